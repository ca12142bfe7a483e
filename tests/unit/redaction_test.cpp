// Secrets found by plaintext-secret are blanked wherever the file is shown, by any rule, in any format.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cli/pipeline.h"
#include "report/report.h"

namespace fs = std::filesystem;

TEST_CASE("a secret on a line another rule points at is blanked in every format", "[redaction]") {
  char tmpl[] = "/tmp/gl-redact-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const fs::path dir(tmpl);
  // DATABASE_URL is both a plaintext secret and the talks-to evidence of sync-wave-order's missing-service
  // finding, which shows the same line as a primary span.
  std::ofstream(dir / "app.yaml") << R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: api
          image: shop/api:1
          env:
            - name: DATABASE_URL
              value: postgres://app:Zq7vW3nBmT-Lr8@db.data.svc.cluster.local:5432/app
)";
  gl::cli::CheckOptions opts;
  opts.path = dir.string();
  const auto result = gl::cli::run_check(opts);
  bool secret_rule = false;
  bool wave_rule = false;
  for (const auto& d : result.diagnostics) {
    secret_rule = secret_rule || d.rule == "plaintext-secret";
    wave_rule = wave_rule || d.rule == "sync-wave-order";
  }
  REQUIRE(secret_rule);
  REQUIRE(wave_rule);
  for (auto format : {gl::report::Format::kText, gl::report::Format::kConcise, gl::report::Format::kJson,
                      gl::report::Format::kSarif, gl::report::Format::kGithub, gl::report::Format::kMarkdown}) {
    gl::report::ReportContext ctx;
    const std::string out = gl::report::render(format, result.diagnostics, ctx);
    CHECK(out.find("Zq7vW3nB") == std::string::npos);
    CHECK(out.find("mT-Lr8") == std::string::npos);
  }
  // The host is still shown: only the password is blanked.
  gl::report::ReportContext ctx;
  const std::string text = gl::report::render(gl::report::Format::kText, result.diagnostics, ctx);
  INFO(text);
  CHECK(text.find("db.data.svc.cluster.local") != std::string::npos);
  fs::remove_all(dir);
}
