// Each rule runs alone on fixtures/rules/<id>/: findings must land exactly on the `# expect: <id>` lines.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "cli/pipeline.h"
#include "rules/rule.h"

namespace fs = std::filesystem;

namespace {

using Hit = std::tuple<std::string, uint32_t, std::string>;  // file (relative to the fixture dir), line, rule

std::set<Hit> expected_hits(const fs::path& dir) {
  static const std::regex kMarker(R"(#\s*expect:\s*([a-z0-9,\- ]+))");
  std::set<Hit> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const auto ext = entry.path().extension();
    if (ext != ".yaml" && ext != ".yml") continue;
    std::ifstream in(entry.path());
    std::string line;
    uint32_t n = 0;
    while (std::getline(in, line)) {
      ++n;
      std::smatch m;
      if (!std::regex_search(line, m, kMarker)) continue;
      std::stringstream ids(m[1].str());
      std::string id;
      while (std::getline(ids, id, ',')) {
        id.erase(0, id.find_first_not_of(' '));
        id.erase(id.find_last_not_of(' ') + 1);
        if (!id.empty()) out.emplace(fs::relative(entry.path(), dir).generic_string(), n, id);
      }
    }
  }
  return out;
}

std::string strip_to_fixture(const std::string& file, const std::string& id) {
  const std::string marker = "fixtures/rules/" + id + "/";
  const auto pos = file.find(marker);
  return pos == std::string::npos ? file : file.substr(pos + marker.size());
}

std::string show(const std::set<Hit>& hits) {
  std::string out;
  for (const auto& [f, l, r] : hits) out += "  " + f + ":" + std::to_string(l) + " " + r + "\n";
  return out;
}

}  // namespace

TEST_CASE("every rule fixture gets exactly its marked findings", "[rules][fixtures]") {
  const fs::path root = fs::path(GL_SOURCE_DIR) / "fixtures" / "rules";
  REQUIRE(fs::is_directory(root));
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root)) {
    if (e.is_directory()) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  REQUIRE(!dirs.empty());
  for (const auto& dir : dirs) {
    const std::string id = dir.filename().string();
    DYNAMIC_SECTION("fixture " << id) {
      REQUIRE(gl::rules::find_rule(id) != nullptr);
      gl::cli::CheckOptions opts;
      opts.path = dir.string();
      for (const auto& other : gl::rules::rule_ids()) {
        if (other != id && other != "load-error") opts.disable.push_back(other);
      }
      const auto result = gl::cli::run_check(opts);
      std::set<Hit> actual;
      for (const auto& d : result.diagnostics) {
        INFO(id << ": finding on `ok-` object: " << d.message);
        if (d.object) CHECK(d.object->name.rfind("ok-", 0) != 0);
        if (d.line() == 0) continue;  // run-wide notes have no line to mark
        actual.emplace(strip_to_fixture(std::string(d.file()), id), d.line(), d.rule);
      }
      const auto expected = expected_hits(dir);
      REQUIRE(!expected.empty());
      std::set<Hit> missing, unexpected;
      std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                          std::inserter(missing, missing.end()));
      std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                          std::inserter(unexpected, unexpected.end()));
      INFO("missing findings:\n" << show(missing) << "unexpected findings:\n" << show(unexpected));
      CHECK(missing.empty());
      CHECK(unexpected.empty());
    }
  }
}

TEST_CASE("registry, docs and fixtures agree", "[rules][meta]") {
  const fs::path root(GL_SOURCE_DIR);
  for (const auto& r : gl::rules::registry()) {
    INFO("rule " << r.id);
    CHECK(!r.summary.empty());
    CHECK(!r.category.empty());
    const std::string_view doc = gl::rules::rule_doc(r.id);
    CHECK(!doc.empty());
    CHECK(doc.find("# " + r.id) != std::string_view::npos);
    CHECK(doc.find("## Why") != std::string_view::npos);
    CHECK(doc.find("## Example") != std::string_view::npos);
    CHECK(fs::is_directory(root / "fixtures" / "rules" / r.id));
    for (const auto& o : r.options) CHECK(doc.find(o.name) != std::string_view::npos);
  }
}
