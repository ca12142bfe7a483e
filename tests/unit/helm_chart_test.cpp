// Tests for src/render/helm/chart: loading charts, subcharts and file:// dependencies from a repository.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "render/helm/chart.h"
#include "repo/file_tree.h"

namespace {

struct Loaded {
  gl::SourceSet sources;
  std::unique_ptr<gl::repo::FileTree> tree;
  std::unique_ptr<gl::render::Context> ctx;
  std::vector<gl::render::RenderError> errors;
  std::optional<gl::render::helm::Chart> chart;
  Loaded(std::vector<std::pair<std::string, std::string>> files, const std::string& dir)
      : tree(gl::repo::open_memory_tree(std::move(files))) {
    ctx = std::make_unique<gl::render::Context>(*tree, sources, 1 << 20, gl::yaml::ParseLimits{});
    chart = gl::render::helm::load_chart(*ctx, dir, errors);
  }
};

std::vector<std::string> names(const std::vector<gl::render::helm::ChartFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.name);
  return out;
}

}  // namespace

TEST_CASE("chart: templates, files, values, subcharts and file:// dependencies", "[helm][chart]") {
  Loaded l({{"charts/web/Chart.yaml",
             "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 1.x\n"
             "    condition: redis.enabled\n    tags: [cache]\n  - name: common\n    repository: file://../common\n"},
            {"charts/web/values.yaml", "replicas: 2\nredis:\n  enabled: true\n"},
            {"charts/web/templates/deployment.yaml", "kind: Deployment\n"},
            {"charts/web/templates/_helpers.tpl", "{{ define \"x\" }}{{ end }}"},
            {"charts/web/templates/.hidden.yaml", "x"},
            {"charts/web/templates/NOTES.txt", "hi"},
            {"charts/web/files/app.conf", "port=80\n"},
            {"charts/web/Chart.lock", "x"},
            {"charts/web/charts/redis/Chart.yaml", "apiVersion: v2\nname: redis\nversion: 1.2.0\n"},
            {"charts/web/charts/redis/templates/sts.yaml", "kind: StatefulSet\n"},
            {"charts/web/charts/.ignored/Chart.yaml", "name: nope\n"},
            {"charts/common/Chart.yaml", "apiVersion: v2\nname: common\nversion: 0.1.0\ntype: library\n"},
            {"charts/common/templates/_labels.tpl", "{{ define \"common.labels\" }}{{ end }}"}},
           "charts/web");
  INFO((l.errors.empty() ? std::string() : l.errors.front().message));
  REQUIRE(l.chart);
  CHECK(l.errors.empty());
  CHECK(l.chart->name == "web");
  CHECK(names(l.chart->templates) ==
        std::vector<std::string>{"templates/NOTES.txt", "templates/_helpers.tpl", "templates/deployment.yaml"});
  CHECK(names(l.chart->files) == std::vector<std::string>{"files/app.conf"});
  CHECK(l.chart->values.at("replicas").as_float() == 2);
  REQUIRE(l.chart->dependencies.size() == 2);
  CHECK(l.chart->dependencies[0].condition == "redis.enabled");
  CHECK(l.chart->dependencies[0].tags == std::vector<std::string>{"cache"});
  REQUIRE(l.chart->subcharts.size() == 2);
  CHECK(l.chart->subcharts[0].name == "common");
  CHECK(l.chart->subcharts[0].type == "library");
  CHECK(l.chart->subcharts[1].name == "redis");
  CHECK(names(l.chart->subcharts[1].templates) == std::vector<std::string>{"templates/sts.yaml"});
}

TEST_CASE("chart: what cannot be loaded is reported", "[helm][chart]") {
  Loaded none({{"x/values.yaml", "a: 1\n"}}, "x");
  CHECK_FALSE(none.chart);
  REQUIRE(none.errors.size() == 1);
  CHECK(none.errors[0].message == "`x` is not a chart: Chart.yaml is missing");

  Loaded noname({{"x/Chart.yaml", "apiVersion: v2\nversion: 1.0.0\n"}}, "x");
  CHECK_FALSE(noname.chart);
  CHECK(noname.errors.at(0).message == "Chart.yaml has no `name`");

  Loaded badvalues({{"x/Chart.yaml", "name: x\n"}, {"x/values.yaml", "a: [1\n"}}, "x");
  CHECK_FALSE(badvalues.chart);
  CHECK(badvalues.errors.at(0).message.find("invalid YAML in `x/values.yaml`") == 0);

  Loaded cycle({{"a/Chart.yaml", "name: a\ndependencies:\n  - name: b\n    repository: file://../b\n"},
                {"b/Chart.yaml", "name: b\ndependencies:\n  - name: a\n    repository: file://../a\n"}},
               "a");
  REQUIRE(cycle.chart);
  REQUIRE(cycle.errors.size() == 1);
  CHECK(cycle.errors[0].message == "chart dependency cycle: a -> b -> a");

  Loaded outside({{"a/Chart.yaml", "name: a\ndependencies:\n  - name: b\n    repository: file://../../../b\n"}}, "a");
  REQUIRE(outside.errors.size() == 1);
  CHECK(outside.errors[0].message == "dependency `b` points outside the repository");
  CHECK(outside.errors[0].at.begin.line == 3);
}
