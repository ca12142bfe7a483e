// The text report shows a window of a huge source line, not the whole line.
#include <catch2/catch.hpp>

#include "core/source.h"
#include "report/report.h"

TEST_CASE("a finding on a 4 MiB line prints a short window with the carets under the span", "[report]") {
  constexpr size_t kSize = 4u << 20;
  constexpr uint32_t kColumn = 2'000'001;
  std::string text(kSize, 'a');
  text.replace(kColumn - 1, 5, "ERROR");
  gl::SourceFile file("big.yaml", text + "\n");
  gl::diag::Diagnostic d;
  d.rule = "load-error";
  d.message = "something is wrong here";
  d.primary = {gl::Span{&file, {1, kColumn}, {1, kColumn + 5}}, "here"};
  const std::string out = gl::report::render_text({d}, gl::report::ReportContext{});
  CHECK(out.size() < 2048);
  // The caret row points exactly under "ERROR" in the shown window.
  const size_t shown = out.find("ERROR");
  REQUIRE(shown != std::string::npos);
  const size_t line_start = out.rfind('\n', shown) + 1;
  const size_t caret = out.find("^^^^^", shown);
  REQUIRE(caret != std::string::npos);
  const size_t caret_line_start = out.rfind('\n', caret) + 1;
  CHECK(caret - caret_line_start == shown - line_start);
  CHECK(out.find("...aaa") != std::string::npos);
  CHECK(out.find("aaa...") != std::string::npos);
}

TEST_CASE("a multi-line span's carets stop before a trailing comment", "[report]") {
  gl::SourceFile file("x.yaml", "sel:\n  role: api   # pinned here\n  zone: a\n");
  gl::diag::Diagnostic d;
  d.rule = "node-pinning";
  d.message = "m";
  d.primary = {gl::Span{&file, {2, 3}, {3, 10}}, "label"};
  const std::string out = gl::report::render_text({d}, gl::report::ReportContext{});
  INFO(out);
  CHECK(out.find("|   ^^^^^^^^^ label") != std::string::npos);
}
