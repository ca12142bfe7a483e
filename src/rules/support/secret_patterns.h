#pragma once
// Recognising credentials in manifest text: credential-named keys, placeholders, name-like values,
// well-known token formats and URLs with embedded passwords. Pure functions; patterns are RE2.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gl::rules::support {

/// Lowercased words of a key name, split on `_`, `-`, `.`, `/`, spaces and camelCase humps.
std::vector<std::string> key_words(std::string_view key);

/// True when a key names a credential (`DB_PASSWORD`, `apiKey`, `client-secret`) rather than something
/// about one (`DB_PASSWORD_SECRET_NAME`, `apiKeyRef`, `REDIS_PASSWORD_FILE`, `TOKEN_TTL`).
bool is_credential_key(std::string_view key);

/// True for values that stand in for a secret: empty, `${VAR}`, `$(VAR)`, `{{ ... }}`, `<...>`, `changeme`,
/// `TODO`, `REPLACE_ME`, `example`, `dummy`, `password`, `secret`, masks like `****`, one repeated character.
bool is_placeholder(std::string_view value);

/// True for values that name or locate something instead of holding a secret: identifiers (`DB_PASSWORD`,
/// `api-token-key`), ARNs, URLs without a password, file paths, booleans, short numbers, SOPS ciphertext,
/// public PEM blocks (certificates, public keys).
bool is_reference_like(std::string_view value);

/// SOPS ciphertext such as `ENC[AES256_GCM,data:...,type:str]`.
bool is_sops_ciphertext(std::string_view value);

enum class SecretFormat {
  kCredential,        ///< a value judged secret by its key name, not by its shape
  kUrlPassword,       ///< `scheme://user:password@host`
  kConnectionString,  ///< `Server=...;Password=...`
  kAwsAccessKeyId,
  kAwsSecretKey,
  kGithubToken,
  kGitlabToken,
  kSlackToken,
  kSlackWebhook,
  kStripeKey,
  kPrivateKey,
  kJwt,
  kHttpAuthorization,  ///< `Bearer <token>` / `Basic <base64 user:password>`
};

/// "a GitHub token", "a URL with an embedded password", ...
std::string_view describe(SecretFormat format);
/// The same without the article: "GitHub token".
std::string_view short_name(SecretFormat format);

/// A credential inside a text: its format and the byte range of the secret part.
struct SecretMatch {
  SecretFormat format = SecretFormat::kCredential;
  size_t offset = 0;
  size_t length = 0;
  std::string_view key;  ///< the key a config-line match was found under (view into the text), else empty
};

/// Credentials in known formats and URL/connection-string passwords in `text`, placeholders left out.
/// Matches do not overlap; the more specific format wins.
std::vector<SecretMatch> find_secrets(std::string_view text);

/// True when `value` is exactly an AWS secret access key in shape (40 base64 characters).
bool looks_like_aws_secret_key(std::string_view value);
/// True when `text` holds an AWS access key id (a hint that 40-character neighbours are secret keys).
bool has_aws_access_key_id(std::string_view text);

/// `key = value` / `key: value` / `export KEY=value` lines of a multi-line config text whose key names a
/// credential and whose value looks real.
std::vector<SecretMatch> find_config_credentials(std::string_view text);

/// The first 8 hex digits of fnv1a64(value): lets people match findings without seeing the value.
std::string secret_fingerprint(std::string_view value);

}  // namespace gl::rules::support
