// plaintext-secret: the pattern helpers, the messages on the fixture, and that no format ever shows a value.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/pipeline.h"
#include "core/strings.h"
#include "report/report.h"
#include "rules/rule.h"
#include "rules/support/secret_patterns.h"

namespace fs = std::filesystem;
namespace sp = gl::rules::support;

namespace {

const fs::path kFixture = fs::path(GL_SOURCE_DIR) / "fixtures" / "rules" / "plaintext-secret";

gl::cli::CheckResult run_fixture() {
  gl::cli::CheckOptions opts;
  opts.path = kFixture.string();
  for (const auto& id : gl::rules::rule_ids()) {
    if (id != "plaintext-secret") opts.disable.push_back(id);
  }
  return gl::cli::run_check(opts);
}

const gl::diag::Diagnostic* find_message(const gl::cli::CheckResult& r, std::string_view message) {
  for (const auto& d : r.diagnostics) {
    if (d.message == message) return &d;
  }
  return nullptr;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string alnum_only(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) out += c;
  }
  return out;
}

/// Every credential written in the fixture's `fire-` objects, as plain text.
const std::vector<std::string>& fixture_secrets() {
  static const std::vector<std::string> kSecrets = {
      "app_user",
      "Wq7#zLp2!vR9",
      "9fT2kLmQ4xZr8vBn",
      "MHcCAQEEIGx0c3RrZXlmaXh0dXJlbm90cmVhbGJ1dGxvb2tzcmVhbG9uZXR3b6AKBggqhkjOPQMBB6FE",
      "Zq4mW8pX2vL6nR0t",
      "Tr0ub4dor&3x",
      "Kx9!mQ2#vLp7",
      "Sup3rS3cretPw",
      "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d",
      "sk_live_FdnXsiVpzz63FfkCzJr4i0B3",
      "AKIAGMXG9EDN581U33XT",
      "FxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KXSc7Tvo",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjaS1ib3QiLCJpYXQiOjE3MDAwMDAwMDB9.NksnRH9ucAUsdMlHUvTCQCyEZDz_"
      "TddJ8HyS5SUkCnD",
      "8xNbe3nNyjOq9wMxEhh2FDEE",
      "xoxb-84656321223-307924402685-NKu8iS2G8NPRVdD53X83RZJz",
      "m41l-R3lay-pw",
      "hunter2-prod",
      "7d3f9a1c5e8b2d4f",
      "R3d1sPassw0rd",
      "Ord3rsPw!",
      "Spr1ngPa55word",
      "EmvnEN5N1aE6PwZPf1Qh6yYTWmE4lBYO",
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
      "glpat-KLzdocJ2isAjIhKtJ0Rl",
      "pgAdm1nPw-77",
      "r3disAuthPw9",
      "Sm7pRelayPw",
      "Upstr3amPw",
  };
  return kSecrets;
}

}  // namespace

TEST_CASE("key names are split into words", "[plaintext-secret]") {
  CHECK(sp::key_words("apiKeyRef") == std::vector<std::string>{"api", "key", "ref"});
  CHECK(sp::key_words("DB_PASSWORD_SECRET_NAME") == std::vector<std::string>{"db", "password", "secret", "name"});
  CHECK(sp::key_words("DBPassword") == std::vector<std::string>{"db", "password"});
  CHECK(sp::key_words("slack.bot-token") == std::vector<std::string>{"slack", "bot", "token"});
  CHECK(sp::key_words("s3SecretKey") == std::vector<std::string>{"s3", "secret", "key"});
}

TEST_CASE("credential keys are told from keys about credentials", "[plaintext-secret]") {
  for (const char* key :
       {"DB_PASSWORD", "PGPASSWORD", "password", "passwd", "SMTP_PASS", "apiKey", "api_key", "API-KEY", "client-secret",
        "clientSecret", "AWS_SECRET_ACCESS_KEY", "SECRET_KEY", "privateKey", "private_key", "credentials",
        "GITHUB_TOKEN", "accessKey", "ENCRYPTION_KEY", "DB_PASSWORD2"}) {
    INFO(key);
    CHECK(sp::is_credential_key(key));
  }
  for (const char* key :
       {"DB_PASSWORD_SECRET_NAME", "apiKeyRef", "REDIS_PASSWORD_FILE", "TOKEN_TTL", "AWS_ACCESS_KEY_ID",
        "existingSecret", "CACHE_KEY", "LOG_LEVEL", "secretName", "OAUTH_TOKEN_URL", "passwordKey",
        "PASSWORD_MIN_LENGTH", "tokenHeader", "bypass", "admin.passwordMtime", "KEYCLOAK_ADMIN_PASSWORD_SECRET",
        "docker-config-secret", "tlsSecret", ""}) {
    INFO(key);
    CHECK_FALSE(sp::is_credential_key(key));
  }
}

TEST_CASE("placeholders are recognised", "[plaintext-secret]") {
  for (const char* v : {"",
                        "   ",
                        "${TOKEN}",
                        "$(DB_PASSWORD)",
                        "$TOKEN",
                        "{{ .Values.password }}",
                        "<your-token>",
                        "changeme",
                        "change-me",
                        "CHANGE_ME",
                        "xxx",
                        "TODO",
                        "todo: fill in",
                        "REPLACE_ME",
                        "example",
                        "dummy",
                        "password",
                        "secret",
                        "aaaaaaaa",
                        "********",
                        "...",
                        "AKIAIOSFODNN7EXAMPLE",
                        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                        "AKIA0000000000000000",
                        "postgres://app:{{ .password }}@db:5432",
                        "ENC[AES256_GCM,data:Zm9v,iv:YQ==,tag:Yg==,type:str]",
                        "$oidc.keycloak.clientSecret",
                        "$dex-secret:github.clientSecret",
                        "$__env{GF_ADMIN_PASSWORD}",
                        "@@TOKEN@@",
                        "__DB_PASSWORD__",
                        "os.environ[\"DJANGO_SECRET_KEY\"]",
                        "process.env.API_TOKEN"}) {
    INFO(v);
    CHECK(sp::is_placeholder(v));
  }
  for (const char* v :
       {"hunter2-prod", "Kx9!mQ2#vLp7", "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d", "admin", "s3cr3t"}) {
    INFO(v);
    CHECK_FALSE(sp::is_placeholder(v));
  }
}

TEST_CASE("names, paths, ARNs and plain URLs are not secrets", "[plaintext-secret]") {
  for (const char* v : {"DB_PASSWORD", "api-token-key", "db-creds", "dbPassword", "arn:aws:iam::123:role/x",
                        "https://example.com/path", "/run/secrets/redis", "./keys/signing.pem", "true", "off", "5432",
                        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                        "vault:secret/data/shop#password", "2024-01-01T00:00:00Z", "2024-05-01"}) {
    INFO(v);
    CHECK(sp::is_reference_like(v));
  }
  for (const char* v : {"hunter2", "https://user:p4ssw0rd@host/x", "Kx9!mQ2#vLp7", "12345678901", "hunter-two"}) {
    INFO(v);
    CHECK_FALSE(sp::is_reference_like(v));
  }
}

TEST_CASE("known credential formats are found with the secret's range", "[plaintext-secret]") {
  struct Case {
    std::string text;
    sp::SecretFormat format;
    std::string secret;
  };
  const std::vector<Case> cases = {
      {"key AKIAGMXG9EDN581U33XT here", sp::SecretFormat::kAwsAccessKeyId, "AKIAGMXG9EDN581U33XT"},
      {"ASIAGMXG9EDN581U33XT", sp::SecretFormat::kAwsAccessKeyId, "ASIAGMXG9EDN581U33XT"},
      {"aws_secret_access_key = FxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KXSc7Tvo\n", sp::SecretFormat::kAwsSecretKey,
       "FxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KXSc7Tvo"},
      {"ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d", sp::SecretFormat::kGithubToken,
       "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"},
      {"t=gho_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d;", sp::SecretFormat::kGithubToken,
       "gho_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"},
      {"github_pat_11ABCDEFG0123456789_abcdefghijKLMNOPQRSTuv", sp::SecretFormat::kGithubToken,
       "github_pat_11ABCDEFG0123456789_abcdefghijKLMNOPQRSTuv"},
      {"glpat-KLzdocJ2isAjIhKtJ0Rl", sp::SecretFormat::kGitlabToken, "glpat-KLzdocJ2isAjIhKtJ0Rl"},
      {"xoxp-84656321223-307924402685-NKu8iS2G8NPRV", sp::SecretFormat::kSlackToken,
       "xoxp-84656321223-307924402685-NKu8iS2G8NPRV"},
      {"https://hooks.slack.com/services/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",
       sp::SecretFormat::kSlackWebhook,
       "https://hooks.slack.com/services/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"},
      {"rk_live_FdnXsiVpzz63FfkCzJr4i0B3", sp::SecretFormat::kStripeKey, "rk_live_FdnXsiVpzz63FfkCzJr4i0B3"},
      {"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaS1ib3QifQ.NksnRH9ucAUsdMlHUvTCQCy", sp::SecretFormat::kJwt,
       "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaS1ib3QifQ.NksnRH9ucAUsdMlHUvTCQCy"},
      {"redis://:R3d1sPassw0rd@cache:6379/0", sp::SecretFormat::kUrlPassword, "R3d1sPassw0rd"},
      {"jdbc:postgresql://app:Sup3rS3cretPw@db/app", sp::SecretFormat::kUrlPassword, "Sup3rS3cretPw"},
      {"Server=sql;Database=orders;Password=Ord3rsPw!;", sp::SecretFormat::kConnectionString, "Ord3rsPw!"},
      {"Authorization: Bearer Zq4mW8pX2vL6nR0tZq4mW8pX", sp::SecretFormat::kHttpAuthorization,
       "Zq4mW8pX2vL6nR0tZq4mW8pX"},
      {"Basic dXNlcjpodW50ZXIy", sp::SecretFormat::kHttpAuthorization, "dXNlcjpodW50ZXIy"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto found = sp::find_secrets(c.text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].format == c.format);
    CHECK(c.text.substr(found[0].offset, found[0].length) == c.secret);
  }

  const std::string pem =
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n"
      "-----END RSA PRIVATE KEY-----\n";
  const auto key = sp::find_secrets("key: |\n" + pem);
  REQUIRE(key.size() == 1);
  CHECK(key[0].format == sp::SecretFormat::kPrivateKey);
  CHECK(key[0].length == pem.size() - 1);
}

TEST_CASE("elided, templated and overlapping matches", "[plaintext-secret]") {
  CHECK(sp::find_secrets("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----").empty());
  CHECK(sp::find_secrets("postgres://app:${DB_PASSWORD}@db:5432/app").empty());
  CHECK(sp::find_secrets("postgres://app:password@db:5432/app").empty());
  CHECK(sp::find_secrets("https://example.com/path?x=1").empty());
  CHECK(sp::find_secrets("sk_live_xxxxxxxxxxxxxxxxxxxxxxxx").empty());
  CHECK(sp::find_secrets("Basic dXNlcjpjaGFuZ2VtZQ==").empty());  // user:changeme
  CHECK(sp::find_secrets("use Bearer authentication").empty());
  // The GitLab token inside a URL is reported once, as the more specific format.
  const auto nested = sp::find_secrets("https://oauth2:glpat-KLzdocJ2isAjIhKtJ0Rl@gitlab.com/x.git");
  REQUIRE(nested.size() == 1);
  CHECK(nested[0].format == sp::SecretFormat::kGitlabToken);
  // A 40-character string is an AWS secret key only next to an access key id.
  CHECK(sp::find_secrets("value: FxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KXSc7Tvo").empty());
  const auto pair = sp::find_secrets("id: AKIAGMXG9EDN581U33XT\nkey: FxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KXSc7Tvo\n");
  REQUIRE(pair.size() == 2);
  CHECK(pair[1].format == sp::SecretFormat::kAwsSecretKey);
}

TEST_CASE("config text is read line by line for credential keys", "[plaintext-secret]") {
  const std::string text =
      "server.port=8080\n"
      "spring.datasource.password=Spr1ngPa55word # keep\n"
      "spring.datasource.username=app\n"
      "export API_KEY=\"EmvnEN5N1aE6\" # note\n"
      "  \"clientSecret\": \"7d3f9a1c\",\n"
      "app.github.token=${GITHUB_TOKEN}\n"
      "db:\n"
      "  password:\n"
      "  passwordFile: /run/secrets/db\n";
  const auto found = sp::find_config_credentials(text);
  REQUIRE(found.size() == 3);
  CHECK(found[0].key == "spring.datasource.password");
  CHECK(text.substr(found[0].offset, found[0].length) == "Spr1ngPa55word");
  CHECK(found[1].key == "API_KEY");
  CHECK(text.substr(found[1].offset, found[1].length) == "EmvnEN5N1aE6");
  CHECK(found[2].key == "clientSecret");
  CHECK(text.substr(found[2].offset, found[2].length) == "7d3f9a1c");
}

TEST_CASE("base64 and fingerprints", "[plaintext-secret]") {
  CHECK(gl::decode_base64("V3E3I3pMcDIhdlI5") == std::optional<std::string>("Wq7#zLp2!vR9"));
  CHECK(gl::decode_base64("cG9z\n dGdyZXM=") == std::optional<std::string>("postgres"));
  CHECK(gl::decode_base64("YQ") == std::optional<std::string>("a"));
  CHECK_FALSE(gl::decode_base64("not base64!").has_value());
  CHECK_FALSE(gl::decode_base64("abcde").has_value());
  for (const std::string s : {"", "a", "ab", "abc", "Wq7#zLp2!vR9", "\x01\xff binary"}) {
    CHECK(gl::decode_base64(gl::encode_base64(s)) == std::optional<std::string>(s));
  }
  CHECK(gl::encode_base64("changeme") == "Y2hhbmdlbWU=");
  CHECK(sp::secret_fingerprint("hunter2") == gl::hex64(gl::fnv1a64("hunter2")).substr(0, 8));
  CHECK(sp::secret_fingerprint("hunter2").size() == 8);
}

TEST_CASE("fixture findings carry the message, fingerprint and help", "[plaintext-secret]") {
  const auto result = run_fixture();
  REQUIRE(!result.diagnostics.empty());

  const auto* secret = find_message(result, "secret `shop/fire-db-creds` holds plaintext value for key `password`");
  REQUIRE(secret != nullptr);
  CHECK(secret->severity == gl::Severity::kError);
  CHECK(secret->line() == 10);
  CHECK(secret->column() == 13);
  REQUIRE(!secret->notes.empty());
  CHECK(secret->notes[0] == "fingerprint: " + sp::secret_fingerprint("Wq7#zLp2!vR9"));
  CHECK(secret->help == "encrypt it with Sealed Secrets or SOPS, or move it to an ExternalSecret");

  const auto* env = find_message(
      result, "deployment `shop/fire-api` holds a plaintext credential in env `DB_PASSWORD` of container `api`");
  REQUIRE(env != nullptr);
  CHECK(env->notes[0] == "fingerprint: " + sp::secret_fingerprint("Kx9!mQ2#vLp7"));
  CHECK(env->help.find("secretKeyRef") != std::string::npos);

  const auto* url = find_message(
      result,
      "deployment `shop/fire-api` holds a URL with an embedded password in env `DATABASE_URL` of container `api`");
  REQUIRE(url != nullptr);
  CHECK(url->notes[0] == "fingerprint: " + sp::secret_fingerprint("Sup3rS3cretPw"));

  // A secret inside a block scalar is reported on its own line, not on the `|` line.
  const auto* line = find_message(result,
                                  "configmap `shop/fire-app-config` holds a plaintext credential for "
                                  "`spring.datasource.password` in key `application.properties`");
  REQUIRE(line != nullptr);
  CHECK(line->line() == 19);
  CHECK(line->column() == 32);
  CHECK(line->primary.span.end.column == 32 + std::string("Spr1ngPa55word").size());

  for (const auto& d : result.diagnostics) {
    INFO(d.message);
    CHECK(d.rule == "plaintext-secret");
    REQUIRE(d.object.has_value());
    CHECK(d.object->name.rfind("fire-", 0) == 0);
    CHECK(std::count_if(d.notes.begin(), d.notes.end(),
                        [](const std::string& n) { return n.rfind("fingerprint: ", 0) == 0; }) == 1);
  }
}

TEST_CASE("no report format shows a secret value", "[plaintext-secret]") {
  // The list must match the fixture: every secret is written there, raw or base64-encoded.
  std::string fixture_text;
  for (const auto& e : fs::directory_iterator(kFixture)) {
    if (e.path().extension() == ".yaml") fixture_text += read_all(e.path());
  }
  std::vector<std::string> needles;
  for (const auto& s : fixture_secrets()) {
    INFO("secret missing from the fixture: " << s);
    CHECK((fixture_text.find(s) != std::string::npos || fixture_text.find(gl::encode_base64(s)) != std::string::npos));
    needles.push_back(s);
    needles.push_back(gl::encode_base64(s));
  }

  const auto result = run_fixture();
  REQUIRE(result.diagnostics.size() >= fixture_secrets().size());
  gl::report::ReportContext ctx;
  ctx.tool_version = "0.0.0-test";
  size_t formats = 0;
  for (const auto name : gl::split(gl::report::format_names(), '|')) {
    const auto format = gl::report::parse_format(name);
    REQUIRE(format.has_value());
    ++formats;
    for (const bool color : {false, true}) {
      ctx.color = color;
      const std::string out = gl::report::render(*format, result.diagnostics, ctx);
      INFO("format " << name << (color ? " (color)" : ""));
      CHECK(out.find("plaintext-secret") != std::string::npos);
      if (*format != gl::report::Format::kConcise)
        CHECK(out.find(sp::secret_fingerprint("Wq7#zLp2!vR9")) != std::string::npos);
      const std::string squeezed = alnum_only(out);
      for (const auto& needle : needles) {
        INFO("leaked: " << needle);
        CHECK(out.find(needle) == std::string::npos);
        // Escaping (JSON, Markdown, %XX) must not smuggle it through either.
        const std::string letters = alnum_only(needle);
        if (letters.size() >= 10) CHECK(squeezed.find(letters) == std::string::npos);
      }
    }
  }
  CHECK(formats == 6);

  // The text format still shows the line, with the value blanked and the key kept.
  ctx.color = false;
  const std::string text = gl::report::render(gl::report::Format::kText, result.diagnostics, ctx);
  CHECK(text.find("password: ****************") != std::string::npos);
  CHECK(text.find("spring.datasource.password=**************") != std::string::npos);
}
