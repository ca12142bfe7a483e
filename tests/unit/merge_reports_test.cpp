// merge-reports: JSON reports read back exactly as written (round trip on the example repository), malformed
// input named by position, duplicates dropped, run notes merged, secret ranges applied to the files on disk.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cli/merge_reports.h"
#include "cli/pipeline.h"
#include "core/error.h"
#include "report/json_read.h"
#include "report/report.h"

namespace fs = std::filesystem;

namespace {

/// A temp directory removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() / fmt::format("gl-merge-{}-{}", getpid(), ++counter);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = path / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

std::string read_error(std::string_view text) {
  gl::SourceSet sources;
  std::string error;
  const auto report = gl::report::read_json(
      text, [&](const std::string& path) { return sources.add(path, ""); }, &error);
  REQUIRE_FALSE(report.has_value());
  return error;
}

std::string merge_error(const std::vector<std::string>& inputs) {
  gl::cli::MergeOptions options;
  options.inputs = inputs;
  try {
    gl::cli::merge_reports(options);
  } catch (const gl::FatalError& e) {
    return e.what();
  }
  FAIL("no error");
  return {};
}

}  // namespace

TEST_CASE("merge-reports: a JSON report of the example repository reads back to the same report", "[merge-reports]") {
  gl::cli::CheckOptions options;
  options.path = std::string(GL_SOURCE_DIR) + "/fixtures/example";
  const auto result = gl::cli::run_check(options);
  REQUIRE(result.diagnostics.size() > 10);
  gl::report::ReportContext ctx;
  ctx.tool_version = "0.1.0";
  ctx.run_notes = result.notes;
  const std::string json = gl::report::render_json(result.diagnostics, ctx);
  // The example has plaintext-secret findings: their ranges and digests are part of what must survive.
  REQUIRE(json.find("\"redact\"") != std::string::npos);
  TempDir dir;
  gl::cli::MergeOptions merge;
  merge.inputs = {dir.write("a.json", json)};
  merge.root = GL_SOURCE_DIR;
  const auto merged = gl::cli::merge_reports(merge);
  gl::report::ReportContext merged_ctx = ctx;
  merged_ctx.run_notes = merged.notes;
  CHECK(gl::report::render_json(merged.diagnostics, merged_ctx) == json);
  // The text report, source lines and carets included, is the one `check` prints.
  CHECK(gl::report::render_text(merged.diagnostics, merged_ctx) == gl::report::render_text(result.diagnostics, ctx));
  CHECK(gl::report::render_sarif(merged.diagnostics, merged_ctx) == gl::report::render_sarif(result.diagnostics, ctx));
  // The same report twice: nothing doubles.
  merge.inputs.push_back(merge.inputs.front());
  CHECK(gl::report::render_json(gl::cli::merge_reports(merge).diagnostics, merged_ctx) == json);
}

TEST_CASE("merge-reports: malformed reports are named by file and position", "[merge-reports]") {
  CHECK(read_error("{\"version\": 1,") ==
        "line 1, column 15: not JSON (syntax error while parsing object key - "
        "unexpected end of input; expected string literal)");
  CHECK(read_error("[]") == "at /: expected an object with `findings`");
  CHECK(read_error("{\"version\": 1}") == "at /findings: missing");
  CHECK(read_error("{\"version\": 2, \"findings\": []}") == "at /version: expected report format version 1");
  CHECK(read_error("{\"version\": 1, \"findings\": [{\"rule\": \"x\", \"severity\": \"fatal\", \"message\": \"m\", "
                   "\"fingerprint\": \"f\"}]}") == "at /findings/0/severity: expected `error`, `warning` or `note`");
  CHECK(read_error("{\"version\": 1, \"findings\": [{\"rule\": \"x\", \"severity\": \"error\", \"message\": \"m\", "
                   "\"fingerprint\": \"f\", \"file\": \"a.yaml\", \"line\": \"7\"}]}") ==
        "at /findings/0/line: expected a positive integer or null");
  CHECK(read_error("{\"version\": 1, \"findings\": [], \"notes\": [1]}") == "at /notes/0: expected a string");
  TempDir dir;
  const std::string bad = dir.write("bad.json", "{\"version\": 1, \"findings\": [{}]}");
  CHECK(merge_error({bad}) ==
        fmt::format("`{}` is not a `check --format json` report: at /findings/0/rule: missing", bad));
  const std::string absent = (dir.path / "absent.json").string();
  CHECK(merge_error({absent}) == fmt::format("cannot read report `{}`", absent));
}

TEST_CASE("merge-reports: run notes merge in order, shard notes become one", "[merge-reports]") {
  const std::string tail = "each shard renders and reports only its own units";
  CHECK(gl::cli::merge_notes({{"a", "shard 1/3 of a sharded run: " + tail, "b"},
                              {"a", "shard 2/3 of a sharded run: " + tail, "c"},
                              {"shard 3/3 of a sharded run: " + tail, "b"}}) ==
        std::vector<std::string>{"a", "shards 1/3, 2/3, 3/3 of a sharded run: " + tail, "b", "c"});
  CHECK(gl::cli::merge_notes({{"shard 2/3 of a sharded run: " + tail}}) ==
        std::vector<std::string>{"shard 2/3 of a sharded run: " + tail + " (not merged: shard 1/3, 3/3)"});
  CHECK(gl::cli::merge_notes({{"x"}, {"x"}, {}}) == std::vector<std::string>{"x"});
}

TEST_CASE("merge-reports: secret ranges blank the files on disk, and a changed file is not shown", "[merge-reports]") {
  TempDir dir;
  const std::string text =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2-hunter2\n";
  dir.write("repo/secret.yaml", text);
  // The blanked file json.cpp saw: the value's bytes as `*`.
  std::string blanked = text;
  const size_t at = blanked.find("hunter2-hunter2");
  blanked.replace(at, 15, std::string(15, '*'));
  const std::string report = fmt::format(
      "{{\"version\": 1, \"findings\": [{{\"rule\": \"plaintext-secret\", \"severity\": \"error\", \"message\": "
      "\"secret "
      "`db` has a plaintext value\", \"file\": \"secret.yaml\", \"line\": 6, \"column\": 13, \"notes\": [], \"help\": "
      "\"\", \"fingerprint\": \"f1\", \"endLine\": 6, \"endColumn\": 28, \"related\": [], \"redact\": [{{\"file\": "
      "\"secret.yaml\", \"line\": 6, \"column\": 13, \"endLine\": 6, \"endColumn\": 28, \"digest\": \"{}\"}}]}}], "
      "\"summary\": {{}}, \"notes\": []}}\n",
      gl::report::redaction_digest(blanked));
  gl::cli::MergeOptions merge;
  merge.inputs = {dir.write("r.json", report)};
  merge.root = (dir.path / "repo").string();
  gl::report::ReportContext ctx;
  const std::string shown = gl::report::render_text(gl::cli::merge_reports(merge).diagnostics, ctx);
  CHECK(shown ==
        "error[plaintext-secret]: secret `db` has a plaintext value\n"
        " --> secret.yaml:6:13\n"
        "  |\n"
        "6 |   password: ***************\n"
        "  |             ^^^^^^^^^^^^^^^\n"
        "\n"
        "error: 1 error\n");
  // The value moved one line down: the ranges no longer cover it, so the file is not shown at all.
  dir.write("repo/secret.yaml", "# moved\n" + text);
  const std::string moved = gl::report::render_text(gl::cli::merge_reports(merge).diagnostics, ctx);
  CHECK(moved.find("hunter2") == std::string::npos);
  CHECK(moved ==
        "error[plaintext-secret]: secret `db` has a plaintext value\n"
        " --> secret.yaml:6:13\n"
        "  |\n"
        "6 |\n"
        "  |             ^^^^^^^^^^^^^^^\n"
        "\n"
        "error: 1 error\n");
}
