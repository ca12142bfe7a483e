// Only new findings (--base/--baseline), only the changed files' findings (--changed), and repository URLs
// shown without their credentials.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cli/baseline.h"
#include "cli/changed.h"
#include "cli/pipeline.h"
#include "core/error.h"
#include "render/repo_url.h"

namespace fs = std::filesystem;

namespace {

gl::diag::Diagnostic finding(std::string fingerprint, std::string message) {
  gl::diag::Diagnostic d;
  d.rule = "node-pinning";
  d.message = std::move(message);
  d.fingerprint = std::move(fingerprint);
  return d;
}

std::vector<std::string> messages(const std::vector<gl::diag::Diagnostic>& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags) out.push_back(d.message + (d.is_new && *d.is_new ? " (new)" : " (old)"));
  return out;
}

fs::path temp_dir() {
  char tmpl[] = "/tmp/gl-new-findings-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  return fs::path(tmpl);
}

}  // namespace

TEST_CASE("mark_new matches fingerprints as a multiset, in order", "[new-findings]") {
  std::vector<gl::diag::Diagnostic> diags{finding("aa", "a1"), finding("bb", "b1"), finding("aa", "a2"),
                                          finding("cc", "c1")};
  const gl::cli::BaseFingerprints base{{"aa", 1}, {"cc", 1}, {"zz", 3}};
  auto kept = diags;
  gl::cli::mark_new(kept, base, true);
  CHECK(messages(kept) == std::vector<std::string>{"a1 (old)", "b1 (new)", "a2 (new)", "c1 (old)"});
  gl::cli::mark_new(diags, base, false);
  CHECK(messages(diags) == std::vector<std::string>{"b1 (new)", "a2 (new)"});

  std::vector<gl::diag::Diagnostic> none{finding("aa", "a1")};
  gl::cli::mark_new(none, {}, false);
  CHECK(messages(none) == std::vector<std::string>{"a1 (new)"});
}

TEST_CASE("read_baseline reads a JSON report's fingerprints and rejects anything else", "[new-findings]") {
  const fs::path dir = temp_dir();
  std::ofstream(dir / "ok.json") << R"({"version":1,"findings":[{"fingerprint":"aa"},{"fingerprint":"bb"},)"
                                    R"({"fingerprint":"aa"}],"summary":{}})";
  CHECK(gl::cli::read_baseline((dir / "ok.json").string()) == gl::cli::BaseFingerprints{{"aa", 2}, {"bb", 1}});
  std::ofstream(dir / "empty.json") << R"({"findings":[]})";
  CHECK(gl::cli::read_baseline((dir / "empty.json").string()).empty());
  std::ofstream(dir / "array.json") << R"([1,2])";
  CHECK_THROWS_WITH(gl::cli::read_baseline((dir / "array.json").string()),
                    Catch::Contains("has no `findings` list"));
  std::ofstream(dir / "number.json") << R"({"findings":[{"fingerprint":7}]})";
  CHECK_THROWS_WITH(gl::cli::read_baseline((dir / "number.json").string()),
                    Catch::Contains("finding 0 has no `fingerprint` string"));
  std::ofstream(dir / "broken.json") << R"({"findings":[)";
  CHECK_THROWS_WITH(gl::cli::read_baseline((dir / "broken.json").string()), Catch::Contains("is not valid JSON"));
  CHECK_THROWS_WITH(gl::cli::read_baseline((dir / "absent.json").string()), Catch::Contains("cannot read baseline"));
  fs::remove_all(dir);
}

TEST_CASE("--changed keeps findings in, or caused by, the changed files", "[new-findings]") {
  const fs::path dir = temp_dir();
  fs::create_directories(dir / "base");
  fs::create_directories(dir / "overlay");
  fs::create_directories(dir / "plain");
  fs::create_directories(dir / "cluster");
  const std::string deployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: NAME
  namespace: shop
spec:
  template:
    spec:
      nodeSelector: {role: web}
      containers:
        - name: c
          image: nginx:1.25
          resources: {requests: {cpu: 100m, memory: 64Mi}}
)";
  auto named = [&](const std::string& name) {
    std::string s = deployment;
    s.replace(s.find("NAME"), 4, name);
    return s;
  };
  std::ofstream(dir / "cluster/nodes.yaml") << "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels: {role: db}\n";
  std::ofstream(dir / "base/api.yaml") << named("api");
  std::ofstream(dir / "base/kustomization.yaml") << "resources: [api.yaml]\n";
  std::ofstream(dir / "overlay/kustomization.yaml") << "resources: [../base]\nnamePrefix: prod-\n";
  std::ofstream(dir / "plain/web.yaml") << named("web");

  auto files_of = [&](std::vector<std::string> changed) {
    gl::cli::CheckOptions options;
    options.path = dir.string();
    for (auto& f : changed) f = (dir / f).string();
    options.changed = std::move(changed);
    std::vector<std::string> out;
    for (const auto& d : gl::cli::run_check(options).diagnostics) {
      out.push_back(std::string(d.file()) + " " + (d.object ? d.object->name : std::string("-")));
    }
    return out;
  };
  // Both workloads select `role: web`, which no node has.
  CHECK(files_of({"plain/web.yaml"}) == std::vector<std::string>{"plain/web.yaml web"});
  CHECK(files_of({"base/api.yaml"}) == std::vector<std::string>{"base/api.yaml prod-api"});
  // The overlay's kustomization built the object: its finding sits in the base file.
  CHECK(files_of({"overlay/kustomization.yaml"}) == std::vector<std::string>{"base/api.yaml prod-api"});
  // The node inventory changed: every node-pinning finding may be its doing.
  CHECK(files_of({"cluster/nodes.yaml"}) ==
        std::vector<std::string>{"base/api.yaml prod-api", "plain/web.yaml web"});
  CHECK(files_of({"README.md"}).empty());
  std::ofstream(dir / ".gitops-lint.yaml") << "exclude: []\n";
  CHECK(files_of({".gitops-lint.yaml"}).size() == 2);
  CHECK_THROWS_AS(files_of({"../elsewhere.yaml"}), gl::FatalError);
  fs::remove_all(dir);
}

TEST_CASE("repository URLs are shown without passwords or tokens", "[new-findings]") {
  using gl::render::redact_url_credentials;
  CHECK(redact_url_credentials("https://oauth2:glpat-abcdefghijklmnopqrst@gitlab.com/shop/payments.git") ==
        "https://oauth2:***@gitlab.com/shop/payments.git");
  CHECK(redact_url_credentials("https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r") ==
        "https://***@github.com/o/r");
  CHECK(redact_url_credentials("https://alice@bitbucket.org/o/r.git") == "https://alice@bitbucket.org/o/r.git");
  CHECK(redact_url_credentials("ssh://git@github.com/o/r.git") == "ssh://git@github.com/o/r.git");
  CHECK(redact_url_credentials("git@github.com:o/r.git") == "git@github.com:o/r.git");
  CHECK(redact_url_credentials("https://github.com/o/r@v1") == "https://github.com/o/r@v1");
  CHECK(redact_url_credentials("https://u:p@h") == "https://u:***@h");
  CHECK(redact_url_credentials("") == "");
}
