#include "rules/support/secret_patterns.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <unordered_map>

#include "core/strings.h"

namespace gl::rules::support {
namespace {

using WordSet = std::set<std::string, std::less<>>;

/// Words that make a key name a credential on their own (after trailing digits are dropped).
const WordSet& credential_words() {
  static const WordSet kWords = {
      "password",  "passwords", "passwd",       "pwd",       "pass",        "passphrase",   "secret",   "secrets",
      "token",     "tokens",    "apikey",       "apikeys",   "credential",  "credentials",  "creds",    "privatekey",
      "accesskey", "secretkey", "clientsecret", "authtoken", "accesstoken", "refreshtoken", "apitoken", "sessiontoken",
  };
  return kWords;
}

/// Password words: `<password word> secret` names the Secret that holds the password.
const WordSet& password_words() {
  static const WordSet kWords = {"password", "passwords", "passwd", "pwd", "pass", "passphrase"};
  return kWords;
}

/// `<word> secret` names a Secret object for these words (`docker-config-secret`, `tlsSecret`).
const WordSet& secret_object_words() {
  static const WordSet kWords = {"docker", "config", "tls",        "registry", "cert",     "certificate", "pull",
                                 "image",  "kube",   "kubeconfig", "sealed",   "external", "object",      "k8s"};
  return kWords;
}

/// A single word ending in one of these also names a credential (`PGPASSWORD`, `xsrftoken`).
constexpr std::array<std::string_view, 5> kCredentialSuffixes = {"password", "passwd", "secret", "token", "apikey"};

/// `<word> key` names a credential for these words (`api key`, `private key`, `signing key`).
const WordSet& key_qualifiers() {
  static const WordSet kWords = {
      "api",     "private", "access", "secret", "signing", "sign",    "encryption", "encrypt", "master",
      "account", "ssh",     "hmac",   "jwt",    "license", "session", "shared",     "storage", "gpg",
      "pgp",     "auth",    "client", "crypto", "webhook", "admin",   "root",       "deploy",
  };
  return kWords;
}

/// A key ending in one of these words is about a credential, not the credential (`..._NAME`, `...Ref`).
const WordSet& meta_words() {
  static const WordSet kWords = {
      "name",       "names",      "ref",       "refs",     "reference", "file",      "files",       "path",
      "paths",      "dir",        "directory", "location", "mount",     "id",        "ids",         "arn",
      "url",        "uri",        "urls",      "endpoint", "host",      "hostname",  "server",      "port",
      "user",       "username",   "login",     "email",    "mode",      "type",      "kind",        "class",
      "enabled",    "enable",     "disabled",  "required", "optional",  "length",    "size",        "ttl",
      "expiry",     "expiration", "expires",   "expire",   "timeout",   "lifetime",  "duration",    "interval",
      "age",        "period",     "header",    "headers",  "algorithm", "alg",       "format",      "encoding",
      "field",      "fields",     "policy",    "rotation", "version",   "count",     "limit",       "max",
      "min",        "prefix",     "suffix",    "scope",    "scopes",    "issuer",    "audience",    "method",
      "strategy",   "provider",   "store",     "backend",  "source",    "template",  "description", "label",
      "labels",     "annotation", "namespace", "hash",     "digest",    "generator", "env",         "var",
      "variable",   "selector",   "volume",    "checksum", "pattern",   "regex",     "engine",      "manager",
      "controller", "operator",   "cache",     "lookup",   "key",       "mtime",     "time",        "timestamp",
      "date",       "updated",    "created",   "changed"};
  return kWords;
}

/// Words that make an identifier-shaped value a name of something (`db-creds`, `api-token-key`).
const WordSet& name_words() {
  static const WordSet kWords = {
      "password", "passwords",  "passwd",      "pwd",   "pass", "secret", "secrets", "token", "tokens", "key",  "keys",
      "apikey",   "credential", "credentials", "creds", "name", "ref",    "cert",    "certs", "tls",    "auth",
  };
  return kWords;
}

/// Values (letters and digits only, lowercased) that are placeholders on their own.
const WordSet& placeholder_values() {
  static const WordSet kWords = {
      "changeme", "replaceme", "todo",   "tbd",  "fixme",       "example",   "dummy",   "placeholder",
      "redacted", "password",  "passwd", "pass", "pwd",         "secret",    "secrets", "token",
      "apikey",   "key",       "none",   "null", "nil",         "undefined", "notset",  "unset",
      "empty",    "value",     "sample", "fake", "credentials",
  };
  return kWords;
}

/// Fragments (of the lowercased letters and digits) that mark a value as a placeholder anywhere.
constexpr std::array<std::string_view, 16> kPlaceholderFragments = {
    "changeme", "replaceme", "placeholder", "example", "dummy",   "redacted",   "xxxx",     "notreal",
    "yourpass", "yourtoken", "yoursecret",  "yourkey", "yourapi", "insertyour", "fillmein", "putyour",
};

/// Words (split on anything but letters and digits) that mark a value as unfinished.
constexpr std::array<std::string_view, 3> kUnfinishedWords = {"todo", "tbd", "fixme"};

/// A run of this many identical characters, over half the value, is filler (see has_filler_run).
constexpr size_t kFillerRun = 8;
/// Digit-only values up to this length are ports, ids or counts.
constexpr size_t kShortNumber = 6;
/// A private key body shorter than this (in base64 characters) is an elided example.
constexpr size_t kMinKeyBody = 40;
/// Bearer tokens shorter than this are words in prose ("Bearer authentication"), not tokens.
constexpr size_t kMinBearer = 20;
/// No recognised format fits in fewer characters (`a://:p@h` is the shortest).
constexpr size_t kMinTriggerText = 8;

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string alnum_lower(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (is_alnum(c)) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string strip_trailing_digits(std::string w) {
  while (w.size() > 1 && std::isdigit(static_cast<unsigned char>(w.back())) != 0) w.pop_back();
  return w;
}

/// A run of at least kFillerRun identical characters covering half the value (`AKIA0000000000000000`).
/// Real keys have shorter runs among much more text (OpenSSH bodies hold runs of `A`).
bool has_filler_run(std::string_view alnum) {
  size_t run = 0;
  for (size_t i = 0; i < alnum.size(); ++i) {
    run = i > 0 && alnum[i] == alnum[i - 1] ? run + 1 : 1;
    if (run >= kFillerRun && run * 2 >= alnum.size()) return true;
  }
  return false;
}

re2::StringPiece piece(std::string_view s) { return re2::StringPiece(s.data(), s.size()); }

std::string_view view(const re2::StringPiece& p) { return std::string_view(p.data(), p.size()); }

bool has_url_password(std::string_view text);

/// A candidate match before overlaps are resolved: `whole` is the full pattern match.
struct Candidate {
  SecretMatch match;
  size_t whole_begin = 0;
  size_t whole_end = 0;
  size_t priority = 0;
};

/// Runs `re` over `text`, calling `on_match(groups)` for every non-overlapping match.
template <typename Fn>
void for_each_match(const RE2& re, std::string_view text, Fn on_match) {
  constexpr int kMaxGroups = 4;
  const int n = std::min(re.NumberOfCapturingGroups() + 1, kMaxGroups);
  std::array<re2::StringPiece, kMaxGroups> groups;
  const re2::StringPiece input = piece(text);
  size_t pos = 0;
  while (pos <= text.size() && re.Match(input, pos, text.size(), RE2::UNANCHORED, groups.data(), n)) {
    on_match(groups);
    const size_t end = static_cast<size_t>(groups[0].data() - text.data()) + groups[0].size();
    pos = groups[0].empty() ? end + 1 : end;
  }
}

size_t offset_of(std::string_view text, const re2::StringPiece& p) {
  return static_cast<size_t>(p.data() - text.data());
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// `text` at `at` starts with `lower` (lowercase ASCII), ignoring ASCII case.
bool starts_with_ci(std::string_view text, size_t at, std::string_view lower) {
  if (text.size() - at < lower.size()) return false;
  for (size_t i = 0; i < lower.size(); ++i) {
    if (ascii_lower(text[at + i]) != lower[i]) return false;
  }
  return true;
}

/// The character at `at` (lowercased) is one of `set`.
bool char_in_ci(std::string_view text, size_t at, std::string_view set) {
  return at < text.size() && set.find(ascii_lower(text[at])) != std::string_view::npos;
}

/// Indices of the patterns in patterns(), for the trigger bits below.
constexpr uint32_t kPrivateKeyBit = 1U << 0;
constexpr uint32_t kJwtBit = 1U << 1;
constexpr uint32_t kGithubBit = 1U << 2;
constexpr uint32_t kGitlabBit = 1U << 3;
constexpr uint32_t kSlackWebhookBit = 1U << 4;
constexpr uint32_t kSlackTokenBit = 1U << 5;
constexpr uint32_t kStripeBit = 1U << 6;
constexpr uint32_t kAwsKeyIdBit = 1U << 7;
constexpr uint32_t kAwsSecretBit = 1U << 8;
constexpr uint32_t kBearerBit = 1U << 9;
constexpr uint32_t kBasicBit = 1U << 10;
constexpr uint32_t kUrlPasswordBit = 1U << 11;
constexpr uint32_t kConnectionStringBit = 1U << 12;
constexpr uint32_t kAllPatterns = (1U << 13) - 1;

/// The patterns that may match `text`: each needs a fragment (its trigger), and most scalars hold none. The
/// trigger regex below, hand-matched: a byte scan answers several times faster than a regex call, and says
/// which patterns to run, so a URL with a user part runs one regex, not thirteen. Text with non-ASCII bytes
/// goes to the regex (and then to every pattern), whose Unicode case folding (`K` = U+212A, `s` = U+017F) an
/// ASCII scan would not reproduce.
uint32_t triggered_patterns(std::string_view text) {
  static const RE2 kTrigger(
      R"((?i)-----BEGIN|eyJ|gh[pousr]_|github_pat_|glpat-|hooks\.slack\.com|xox[baprs]-|_live_|AKIA|ASIA)"
      R"(|aws_?secret|bearer|basic|://[^\s@/?#]*@|password|pwd)");
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return RE2::PartialMatch(piece(text), kTrigger) ? kAllPatterns : 0;
  }
  uint32_t bits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    switch (ascii_lower(text[i])) {
      case '-':
        if (starts_with_ci(text, i, "-----begin")) bits |= kPrivateKeyBit;
        break;
      case 'e':
        if (starts_with_ci(text, i, "eyj")) bits |= kJwtBit;
        break;
      case 'g':
        if (starts_with_ci(text, i, "gh") && char_in_ci(text, i + 2, "pousr") && i + 3 < text.size() &&
            text[i + 3] == '_')
          bits |= kGithubBit;
        if (starts_with_ci(text, i, "github_pat_")) bits |= kGithubBit;
        if (starts_with_ci(text, i, "glpat-")) bits |= kGitlabBit;
        break;
      case 'h':
        if (starts_with_ci(text, i, "hooks.slack.com")) bits |= kSlackWebhookBit;
        break;
      case 'x':
        if (starts_with_ci(text, i, "xox") && char_in_ci(text, i + 3, "baprs") && i + 4 < text.size() &&
            text[i + 4] == '-')
          bits |= kSlackTokenBit;
        break;
      case '_':
        if (starts_with_ci(text, i, "_live_")) bits |= kStripeBit;
        break;
      case 'a':
        if (starts_with_ci(text, i, "akia") || starts_with_ci(text, i, "asia")) bits |= kAwsKeyIdBit;
        if (starts_with_ci(text, i, "awssecret") || starts_with_ci(text, i, "aws_secret")) bits |= kAwsSecretBit;
        break;
      case 'b':
        if (starts_with_ci(text, i, "bearer")) bits |= kBearerBit;
        if (starts_with_ci(text, i, "basic")) bits |= kBasicBit;
        break;
      case 'p':
        if (starts_with_ci(text, i, "password") || starts_with_ci(text, i, "pwd")) bits |= kConnectionStringBit;
        break;
      case ':':
        if (starts_with_ci(text, i, "://")) {
          // `[^\s@/?#]*@`, where RE2's `\s` is [\t\n\f\r ].
          for (size_t j = i + 3; j < text.size(); ++j) {
            const char c = text[j];
            if (c == '@') {
              bits |= kUrlPasswordBit;
              break;
            }
            if (c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ' || c == '/' || c == '?' || c == '#') break;
          }
        }
        break;
      default:
        break;
    }
  }
  return bits;
}

}  // namespace

std::vector<std::string> key_words(std::string_view key) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(to_lower(cur));
    cur.clear();
  };
  for (size_t i = 0; i < key.size(); ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    if (std::isalnum(c) == 0) {
      flush();
      continue;
    }
    if (std::isupper(c) != 0 && !cur.empty()) {
      const auto prev = static_cast<unsigned char>(cur.back());
      const bool next_lower = i + 1 < key.size() && std::islower(static_cast<unsigned char>(key[i + 1])) != 0;
      if (std::islower(prev) != 0 || std::isdigit(prev) != 0 || (std::isupper(prev) != 0 && next_lower)) flush();
    }
    cur += static_cast<char>(c);
  }
  flush();
  return out;
}

namespace {

bool classify_credential_key(std::string_view key) {
  std::vector<std::string> words = key_words(key);
  if (words.empty()) return false;
  for (auto& w : words) w = strip_trailing_digits(std::move(w));
  if (std::find(words.begin(), words.end(), "existing") != words.end()) return false;
  if (meta_words().count(words.back()) != 0) {
    // `SECRET_KEY`, `API_KEY`: a trailing "key" is the credential itself when qualified.
    const bool qualified_key =
        words.back() == "key" && words.size() > 1 && key_qualifiers().count(words[words.size() - 2]) != 0;
    if (!qualified_key) return false;
  }
  // `DB_PASSWORD_SECRET`: the Secret object holding a password, named by the value.
  const bool names_secret_object = words.size() > 1 && (words.back() == "secret" || words.back() == "secrets") &&
                                   (password_words().count(words[words.size() - 2]) != 0 ||
                                    secret_object_words().count(words[words.size() - 2]) != 0);
  if (names_secret_object) return false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (credential_words().count(w) != 0) return true;
    for (auto suffix : kCredentialSuffixes) {
      if (w.size() > suffix.size() && std::string_view(w).ends_with(suffix)) return true;
    }
    if (w == "key" && i > 0 && key_qualifiers().count(words[i - 1]) != 0) return true;
  }
  return false;
}

struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// Distinct keys remembered per thread before the cache starts over.
constexpr size_t kMaxCachedKeys = 4096;

}  // namespace

bool is_credential_key(std::string_view key) {
  // The same keys (env names, ConfigMap keys) recur in every object: remember the answer, per thread.
  thread_local std::unordered_map<std::string, bool, KeyHash, std::equal_to<>> cache;
  if (const auto it = cache.find(key); it != cache.end()) return it->second;
  const bool credential = classify_credential_key(key);
  if (cache.size() >= kMaxCachedKeys) cache.clear();
  cache.emplace(key, credential);
  return credential;
}

bool is_sops_ciphertext(std::string_view value) {
  if (value.find("ENC[") == std::string_view::npos) return false;
  static const RE2 kSops(R"(\s*ENC\[[A-Z0-9_]+,data:.*\]\s*)");
  return RE2::FullMatch(piece(value), kSops);
}

bool is_placeholder(std::string_view value) {
  const std::string_view t = trim(value);
  if (t.empty()) return true;
  if (is_sops_ciphertext(t)) return true;
  // `${VAR}`, Grafana `$__env{VAR}`, `$(VAR)`, Helm/Go `{{ }}`, Jinja `{% %}`, Spring/Ruby `#{ }`.
  static const RE2 kTemplateRef(R"((?s)\$[A-Za-z_]*\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}|\{%.*%\}|#\{[^}]*\})");
  if (RE2::PartialMatch(piece(t), kTemplateRef)) return true;
  // Code that reads the value from the environment (`os.environ["X"]`, `process.env.X`).
  static const RE2 kEnvLookup(R"(\bos\.environ\b|\bgetenv\s*\(|\bprocess\.env\.|\bENV(?:\[|\.fetch))");
  if (RE2::PartialMatch(piece(t), kEnvLookup)) return true;
  static const RE2 kWholeRef(
      R"(\$[A-Za-z_][A-Za-z0-9_.:\-]*|<[^<>]*>|@[A-Za-z0-9_.\-]+@|__[A-Za-z0-9_.\-]+__|%[A-Za-z0-9_]+%)");
  if (RE2::FullMatch(piece(t), kWholeRef)) return true;

  const std::string alnum = alnum_lower(t);
  if (alnum.empty()) return true;
  if (std::all_of(alnum.begin(), alnum.end(), [&](char c) { return c == alnum.front(); })) return true;
  if (has_filler_run(alnum)) return true;
  if (placeholder_values().count(alnum) != 0) return true;
  for (auto fragment : kPlaceholderFragments) {
    if (alnum.find(fragment) != std::string::npos) return true;
  }
  const std::string lower = to_lower(t);
  std::string word;
  for (size_t i = 0; i <= lower.size(); ++i) {
    if (i < lower.size() && is_alnum(lower[i])) {
      word += lower[i];
      continue;
    }
    if (std::find(kUnfinishedWords.begin(), kUnfinishedWords.end(), word) != kUnfinishedWords.end()) return true;
    word.clear();
  }
  return false;
}

bool is_reference_like(std::string_view value) {
  const std::string_view t = trim(value);
  if (t.empty()) return false;
  if (is_sops_ciphertext(t)) return true;
  const std::string lower = to_lower(t);
  static const WordSet kBooleans = {"true", "false", "yes", "no", "on", "off"};
  if (kBooleans.count(lower) != 0) return true;
  if (t.size() <= kShortNumber &&
      std::all_of(t.begin(), t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }))
    return true;

  static const RE2 kArn(R"(arn:[a-z0-9\-]+:\S*)");
  static const RE2 kUrl(R"([A-Za-z][A-Za-z0-9+.\-]*://\S*)");
  static const RE2 kPath(R"((?:/|\./|\.\./|~/)\S*)");
  static const RE2 kVaultRef(R"(vault:\S+)");
  static const RE2 kTimestamp(R"(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)");
  if (RE2::FullMatch(piece(t), kTimestamp)) return true;
  if (RE2::FullMatch(piece(t), kArn) || RE2::FullMatch(piece(t), kPath) || RE2::FullMatch(piece(t), kVaultRef))
    return true;
  if (RE2::FullMatch(piece(t), kUrl)) return !has_url_password(t);

  static const RE2 kUpperSnake(R"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)");
  if (RE2::FullMatch(piece(t), kUpperSnake)) return true;
  static const RE2 kLowerIdentifier(R"([a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+|[a-z]+(?:[A-Z][a-z0-9]+)+)");
  if (RE2::FullMatch(piece(t), kLowerIdentifier)) {
    for (auto& w : key_words(t)) {
      if (name_words().count(strip_trailing_digits(w)) != 0) return true;
    }
  }
  if (t.find("-----BEGIN ") != std::string_view::npos && t.find("PRIVATE KEY") == std::string_view::npos) return true;
  return false;
}

namespace {

const RE2& url_password_re() {
  static const RE2 kUrlPassword(R"([A-Za-z][A-Za-z0-9+.\-]*://[^\s:@/?#]*:([^\s@/?#]+)@[^\s@/?#]+)");
  return kUrlPassword;
}

bool has_url_password(std::string_view text) {
  re2::StringPiece password;
  return RE2::PartialMatch(piece(text), url_password_re(), &password) && !is_placeholder(view(password));
}

bool is_base64_char(char c) { return is_alnum(c) || c == '+' || c == '/'; }

bool valid_private_key_body(std::string_view block) {
  const size_t header_end = block.find("-----", 5);
  const size_t footer = block.rfind("-----END");
  const size_t body_begin = header_end == std::string_view::npos ? block.size() : header_end + 5;
  const size_t body_end = footer == std::string_view::npos || footer < body_begin ? block.size() : footer;
  const std::string_view body = block.substr(body_begin, body_end - body_begin);
  const auto chars = static_cast<size_t>(std::count_if(body.begin(), body.end(), is_base64_char));
  return chars >= kMinKeyBody && !is_placeholder(body);
}

bool valid_basic_credential(std::string_view encoded) {
  const auto decoded = decode_base64(encoded);
  if (!decoded) return false;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  return !is_placeholder(std::string_view(*decoded).substr(colon + 1));
}

/// One pattern of the scan: what it finds, the regex, and which group is the secret (0 = whole match).
struct Pattern {
  SecretFormat format;
  const RE2* re;
  int secret_group;
};

const std::vector<Pattern>& patterns() {
  static const RE2 kPrivateKey(R"((?s)-----BEGIN(?: [A-Z0-9]+)*? PRIVATE KEY(?: BLOCK)?-----)"
                               R"(.*?(?:-----END(?: [A-Z0-9]+)*? PRIVATE KEY(?: BLOCK)?-----|$))");
  static const RE2 kJwt(R"(\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,})");
  static const RE2 kGithub(R"(\b(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36,251}\b|\bgithub_pat_[A-Za-z0-9_]{22,251})");
  static const RE2 kGitlab(R"(\bglpat-[A-Za-z0-9_\-]{20,})");
  static const RE2 kSlackWebhook(R"(https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/\-]{16,})");
  static const RE2 kSlackToken(R"(\bxox[baprs]-[A-Za-z0-9\-]{10,})");
  static const RE2 kStripe(R"(\b(?:sk|rk)_live_[A-Za-z0-9]{16,})");
  static const RE2 kAwsKeyId(R"(\b(?:AKIA|ASIA)[A-Z0-9]{16}\b)");
  static const RE2 kAwsSecretLabelled(
      R"((?i)aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$))");
  static const RE2 kBearer(R"((?i)\bbearer\s+([A-Za-z0-9._~+/\-]{20,}=*))");
  static const RE2 kBasic(R"((?i)\bbasic\s+([A-Za-z0-9+/]{8,}={0,2}))");
  static const RE2 kConnectionString(R"((?i)(?:^|;)\s*(?:password|pwd)\s*=\s*([^;]*))");
  static const std::vector<Pattern> kPatterns = {
      {SecretFormat::kPrivateKey, &kPrivateKey, 0},
      {SecretFormat::kJwt, &kJwt, 0},
      {SecretFormat::kGithubToken, &kGithub, 0},
      {SecretFormat::kGitlabToken, &kGitlab, 0},
      {SecretFormat::kSlackWebhook, &kSlackWebhook, 0},
      {SecretFormat::kSlackToken, &kSlackToken, 0},
      {SecretFormat::kStripeKey, &kStripe, 0},
      {SecretFormat::kAwsAccessKeyId, &kAwsKeyId, 0},
      {SecretFormat::kAwsSecretKey, &kAwsSecretLabelled, 1},
      {SecretFormat::kHttpAuthorization, &kBearer, 1},
      {SecretFormat::kHttpAuthorization, &kBasic, 1},
      {SecretFormat::kUrlPassword, &url_password_re(), 1},
      {SecretFormat::kConnectionString, &kConnectionString, 1},
  };
  static_assert(kConnectionStringBit == 1U << 12, "one trigger bit per entry of kPatterns, in order");
  return kPatterns;
}

bool looks_like_connection_string(std::string_view text) {
  return std::count(text.begin(), text.end(), '=') >= 2 && text.find(';') != std::string_view::npos;
}

bool has_letter_and_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }) &&
         std::any_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

/// Whether a raw match of `format` is a real credential rather than an elided or templated one.
bool accept(SecretFormat format, std::string_view text, std::string_view secret) {
  switch (format) {
    case SecretFormat::kPrivateKey:
      return valid_private_key_body(secret);
    case SecretFormat::kConnectionString:
      return looks_like_connection_string(text) && !is_placeholder(secret);
    case SecretFormat::kHttpAuthorization:
      if (valid_basic_credential(secret)) return true;
      if (const auto decoded = decode_base64(secret); decoded && decoded->find(':') != std::string::npos) return false;
      return has_letter_and_digit(secret) && secret.size() >= kMinBearer && !is_placeholder(secret);
    default:
      return !is_placeholder(secret);
  }
}

}  // namespace

std::string_view describe(SecretFormat format) {
  switch (format) {
    case SecretFormat::kCredential:
      return "a plaintext credential";
    case SecretFormat::kUrlPassword:
      return "a URL with an embedded password";
    case SecretFormat::kConnectionString:
      return "a connection string with a password";
    case SecretFormat::kAwsAccessKeyId:
      return "an AWS access key id";
    case SecretFormat::kAwsSecretKey:
      return "an AWS secret access key";
    case SecretFormat::kGithubToken:
      return "a GitHub token";
    case SecretFormat::kGitlabToken:
      return "a GitLab token";
    case SecretFormat::kSlackToken:
      return "a Slack token";
    case SecretFormat::kSlackWebhook:
      return "a Slack webhook URL";
    case SecretFormat::kStripeKey:
      return "a Stripe live key";
    case SecretFormat::kPrivateKey:
      return "a private key";
    case SecretFormat::kJwt:
      return "a JSON Web Token";
    case SecretFormat::kHttpAuthorization:
      return "an HTTP authorization credential";
  }
  return "a plaintext credential";
}

std::string_view short_name(SecretFormat format) {
  const std::string_view d = describe(format);
  const size_t space = d.find(' ');
  return space == std::string_view::npos ? d : d.substr(space + 1);
}

std::vector<SecretMatch> find_secrets(std::string_view text) {
  const uint32_t triggered = text.size() < kMinTriggerText ? 0 : triggered_patterns(text);
  if (triggered == 0) return {};
  std::vector<Candidate> candidates;
  const auto& all = patterns();
  for (size_t p = 0; p < all.size(); ++p) {
    if ((triggered & (1U << p)) == 0) continue;
    const Pattern& pattern = all[p];
    for_each_match(*pattern.re, text, [&](const auto& groups) {
      const re2::StringPiece& secret = groups[static_cast<size_t>(pattern.secret_group)];
      if (secret.data() == nullptr) return;
      if (!accept(pattern.format, text, view(secret))) return;
      Candidate c;
      c.match = SecretMatch{pattern.format, offset_of(text, secret), secret.size(), {}};
      c.whole_begin = offset_of(text, groups[0]);
      c.whole_end = c.whole_begin + groups[0].size();
      c.priority = p;
      candidates.push_back(c);
    });
  }
  if (has_aws_access_key_id(text)) {
    static const RE2 kAwsSecretNeighbour(R"((?:^|[^A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$))");
    for_each_match(kAwsSecretNeighbour, text, [&](const auto& groups) {
      if (!looks_like_aws_secret_key(view(groups[1]))) return;
      Candidate c;
      c.match = SecretMatch{SecretFormat::kAwsSecretKey, offset_of(text, groups[1]), groups[1].size(), {}};
      c.whole_begin = c.match.offset;
      c.whole_end = c.match.offset + c.match.length;
      c.priority = all.size();
      candidates.push_back(c);
    });
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.priority < b.priority; });
  std::vector<Candidate> kept;
  for (const auto& c : candidates) {
    const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const Candidate& k) {
      return c.whole_begin < k.whole_end && k.whole_begin < c.whole_end;
    });
    if (!overlaps) kept.push_back(c);
  }
  std::sort(kept.begin(), kept.end(),
            [](const Candidate& a, const Candidate& b) { return a.match.offset < b.match.offset; });
  std::vector<SecretMatch> out;
  out.reserve(kept.size());
  for (const auto& c : kept) out.push_back(c.match);
  return out;
}

bool looks_like_aws_secret_key(std::string_view value) {
  constexpr size_t kAwsSecretLength = 40;
  if (value.size() != kAwsSecretLength) return false;  // the shape below, checked cheaply first
  static const RE2 kShape(R"([A-Za-z0-9/+]{40})");
  return RE2::FullMatch(piece(value), kShape) && has_letter_and_digit(value) && !is_placeholder(value);
}

bool has_aws_access_key_id(std::string_view text) {
  if (text.find("AKIA") == std::string_view::npos && text.find("ASIA") == std::string_view::npos) return false;
  static const RE2 kAwsKeyId(R"(\b((?:AKIA|ASIA)[A-Z0-9]{16})\b)");
  bool found = false;
  for_each_match(kAwsKeyId, text, [&](const auto& groups) { found = found || !is_placeholder(view(groups[1])); });
  return found;
}

std::vector<SecretMatch> find_config_credentials(std::string_view text) {
  static const RE2 kLine(R"(\s*(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.\-]*)["']?\s*[:=]\s*(.*?)\s*)");
  std::vector<SecretMatch> out;
  for (const std::string_view line : split_lines(text)) {
    re2::StringPiece key, value;
    if (RE2::FullMatch(piece(line), kLine, &key, &value) && is_credential_key(view(key))) {
      std::string_view v = view(value);
      const bool quoted = !v.empty() && (v.front() == '"' || v.front() == '\'');
      if (const size_t close = quoted ? v.find(v.front(), 1) : std::string_view::npos;
          close != std::string_view::npos) {
        v = v.substr(1, close - 1);
      } else if (!quoted) {
        if (const size_t hash = v.find(" #"); hash != std::string_view::npos) v = trim(v.substr(0, hash));
        if (!v.empty() && v.back() == ',') v = trim(v.substr(0, v.size() - 1));
      }
      const bool structural = !v.empty() && (v.front() == '{' || v.front() == '[' || v == "|" || v == ">" ||
                                             v == "|-" || v == ">-" || v.front() == '&' || v.front() == '*');
      if (!structural && !is_placeholder(v) && !is_reference_like(v)) {
        out.push_back(
            SecretMatch{SecretFormat::kCredential, static_cast<size_t>(v.data() - text.data()), v.size(), view(key)});
      }
    }
  }
  return out;
}

std::string secret_fingerprint(std::string_view value) {
  constexpr size_t kDigits = 8;
  return hex64(fnv1a64(value)).substr(0, kDigits);
}

}  // namespace gl::rules::support
