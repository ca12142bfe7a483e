// Tests for `import-values` of chart dependencies in src/render/helm/render (with chart.cpp reading them).
// The oracle does not implement import-values; expected values follow Helm 3.14's
// pkg/chartutil/dependencies.go (ProcessDependenciesWithMerge, as `helm template` runs it):
// - imports are processed children first, from chart defaults only (MergeValues(chart, nil)): user values
//   play no part;
// - the string form NAME imports the child's `exports.NAME` table into the parent's top level, the
//   {child, parent} form imports the child's table at `child` under the parent's `parent` path;
// - imports are merged in order with MergeTables, so an earlier import wins over a later one on a conflict,
//   and the parent's own values win over every import;
// - disabled dependencies are dropped before imports run.
// The same implementation reproduces every expectation of Helm's TestProcessDependencyImportValues on its
// testdata/subpop chart (checked by hand while writing this test; the chart is not copied here).
#include <catch2/catch.hpp>

#include "helm_test_support.h"
#include <string>
#include <vector>

#include "render/helm/render.h"
#include "repo/file_tree.h"

namespace {

using Files = gl::test::Files;

using Rendered = gl::test::RenderedChart;

const Files kChart = {
    {"c/Chart.yaml",
     "apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n"
     "  - name: child\n    version: 1.2.0\n    import-values:\n      - data\n"
     "      - child: defaults.tuning\n        parent: tuning\n"
     "      - child: defaults.tuning\n        parent: tuning2\n"
     "  - name: child\n    alias: second\n    import-values:\n"
     "      - child: exports.data\n        parent: tuning2\n"
     "      - child: defaults\n        parent: fromSecond\n"
     "      - child: missing.table\n        parent: nothing\n"
     "  - name: legacy\n    condition: legacy.enabled\n    import-values:\n      - data\n"},
    {"c/values.yaml", "tuning:\n  level: 9\nfromSecond:\n  name: mine\nlegacy:\n  enabled: false\n"},
    {"c/templates/cm.yaml",
     "kind: ConfigMap\ndata:\n  port: {{ .Values.port }}\n  name: {{ .Values.name }}\n  mode: {{ .Values.mode }}\n"
     "  offOnly: {{ hasKey .Values \"offOnly\" | quote }}\n  fromGrand: {{ toJson .Values.fromGrand | squote }}\n"
     "  tuning: {{ toJson .Values.tuning | squote }}\n  tuning2: {{ toJson .Values.tuning2 | squote }}\n"
     "  fromSecond: {{ toJson .Values.fromSecond | squote }}\n  nothing: {{ hasKey .Values \"nothing\" | quote }}\n"
     "  childPort: {{ .Values.child.exports.data.port }}\n  secondPort: {{ .Values.second.exports.data.port }}\n"},
    {"c/charts/child/Chart.yaml",
     "apiVersion: v2\nname: child\nversion: 1.2.0\ndependencies:\n  - name: grand\n    import-values:\n"
     "      - child: info\n        parent: exports.data.fromGrand\n"},
    {"c/charts/child/values.yaml",
     "exports:\n  data:\n    port: 8080\n    name: child\n    mode: slow\n"
     "defaults:\n  tuning:\n    level: 1\n    mode: fast\n"},
    {"c/charts/child/charts/grand/Chart.yaml", "apiVersion: v2\nname: grand\nversion: 0.1.0\n"},
    {"c/charts/child/charts/grand/values.yaml", "info:\n  zone: a\n"},
    {"c/charts/legacy/Chart.yaml", "apiVersion: v2\nname: legacy\nversion: 0.1.0\n"},
    {"c/charts/legacy/values.yaml", "exports:\n  data:\n    port: 1\n    offOnly: yes\n"},
};

}  // namespace

TEST_CASE("import-values: string and map forms, nesting, precedence, aliases and disabled dependencies",
          "[helm][import]") {
  Rendered r(kChart);
  INFO(r.errors());
  REQUIRE(r.result.errors.empty());
  CHECK(r.result.text() == R"(---
# Source: c/templates/cm.yaml
kind: ConfigMap
data:
  port: 8080
  name: child
  mode: slow
  offOnly: "false"
  fromGrand: '{"zone":"a"}'
  tuning: '{"level":9,"mode":"fast"}'
  tuning2: '{"fromGrand":{"zone":"a"},"level":1,"mode":"fast","name":"child","port":8080}'
  fromSecond: '{"name":"mine","tuning":{"level":1,"mode":"fast"}}'
  nothing: "false"
  childPort: 8080
  secondPort: 8080
)");
}

TEST_CASE("import-values: user values do not feed imports, but override the imported keys", "[helm][import]") {
  Files files = kChart;
  files.emplace_back("env/prod.yaml", "child:\n  exports:\n    data:\n      port: 1\nmode: manual\n");
  gl::render::helm::RenderOptions options;
  options.value_files = {"env/prod.yaml"};
  Rendered r(files, options);
  INFO(r.errors());
  REQUIRE(r.result.errors.empty());
  const auto* cm = r.object("ConfigMap");
  REQUIRE(cm != nullptr);
  CHECK(cm->at({"data", "port"})->str() == "8080");
  CHECK(cm->at({"data", "childPort"})->str() == "1");
  CHECK(cm->at({"data", "mode"})->str() == "manual");
  // Provenance: an imported value points at the child's values line that set it.
  const auto* port = cm->at({"data", "port"});
  CHECK(port->span.file->path() == "c/charts/child/values.yaml");
  CHECK(port->span.begin.line == 3);
  CHECK(cm->at({"data", "mode"})->span.file->path() == "env/prod.yaml");
}

TEST_CASE("import-values: requirements.yaml dependencies (apiVersion v1) and malformed entries", "[helm][import]") {
  const Files v1 = {
      {"c/Chart.yaml", "apiVersion: v1\nname: c\nversion: 0.1.0\n"},
      {"c/requirements.yaml",
       "dependencies:\n  - name: child\n    import-values:\n      - child: conf\n        parent: fromChild\n"
       "      - child: 3\n        parent: x\n      - 42\n"},
      {"c/templates/cm.yaml", "kind: ConfigMap\ndata: {{ toJson .Values.fromChild }}\n"},
      {"c/charts/child/Chart.yaml", "apiVersion: v1\nname: child\nversion: 0.1.0\n"},
      {"c/charts/child/values.yaml", "conf:\n  a: 1\n"},
  };
  Rendered r(v1);
  // Helm panics on a {child, parent} entry that is not two strings (a type assertion in processImportValues);
  // other kinds of entries are skipped.
  CHECK(r.errors() ==
        "c/requirements.yaml:6: `import-values` entry of dependency `child` needs `child` and `parent` strings: Helm "
        "stops with a panic on it\n");
  CHECK(r.result.text() == "---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\ndata: {\"a\":1}\n");
}
