// Tests for src/render/helm/render: chart rendering as `helm template` does it, and provenance. Expected
// documents were checked against the reference renderer (../shared/oracle).
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
    {"c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n  - name: sub\n    condition: sub.enabled\n"},
    {"c/values.yaml", "global:\n  region: eu\nname: app\nsub:\n  enabled: true\n  size: 3\n"},
    {"c/templates/a.yaml",
     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\ndata:\n  region: {{ .Values.global.region }}\n"
     "  nothing: \"{{ .Values.nope }}\"\n  files: {{ .Files.Get \"conf/x.txt\" | quote }}\n---\n---\napiVersion: v1\n"
     "kind: Namespace\nmetadata:\n  name: {{ .Release.Namespace }}\n"},
    {"c/templates/_h.tpl", "{{ define \"c.x\" }}x{{ end }}\n"},
    {"c/templates/NOTES.txt", "notes {{ .Values.name }}\n"},
    {"c/conf/x.txt", "hello\n"},
    {"c/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n"},
    {"c/charts/sub/values.yaml", "size: 1\n"},
    {"c/charts/sub/templates/s.yaml",
     "apiVersion: v1\nkind: Service\nmetadata:\n  name: sub-{{ .Values.size }}-{{ .Values.global.region }}\n"},
};

}  // namespace

TEST_CASE("helm render: helm template's order, sources, values scoping, files and <no value>", "[helm][render]") {
  gl::render::helm::RenderOptions options;
  options.ns = "prod";
  Rendered r(kChart, "c", options);
  INFO(r.errors());
  REQUIRE(r.result.errors.empty());
  CHECK(r.result.text() == R"(---
# Source: c/templates/a.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: prod
---
# Source: c/templates/a.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  region: eu
  nothing: ""
  files: "hello\n"
---
# Source: c/charts/sub/templates/s.yaml
apiVersion: v1
kind: Service
metadata:
  name: sub-3-eu
)");
}

TEST_CASE("helm render: conditions, --set and -f", "[helm][render]") {
  gl::render::helm::RenderOptions off;
  off.set = {"sub.enabled=false", "name=web"};
  Rendered r(kChart, "c", off);
  REQUIRE(r.result.errors.empty());
  CHECK(r.result.text().find("kind: Service") == std::string::npos);
  CHECK(r.result.text().find("name: web") != std::string::npos);

  Files with_file = kChart;
  with_file.emplace_back("env/prod.yaml", "name: from-file\nsub:\n  size: 9\n");
  gl::render::helm::RenderOptions f;
  f.value_files = {"env/prod.yaml"};
  Rendered rf(with_file, "c", f);
  REQUIRE(rf.result.errors.empty());
  CHECK(rf.result.text().find("name: from-file") != std::string::npos);
  CHECK(rf.result.text().find("name: sub-9-eu") != std::string::npos);
}

TEST_CASE("helm render: provenance to the values line, the template action and the template text", "[helm][render]") {
  Files files = kChart;
  files.emplace_back("env/prod.yaml", "# production\nname: shop\n");
  gl::render::helm::RenderOptions f;
  f.value_files = {"env/prod.yaml"};
  Rendered r(files, "c", f);
  REQUIRE(r.result.errors.empty());
  const gl::render::MNode* cm = nullptr;
  for (const auto& m : r.result.manifests) {
    if (m.object.get("kind")->str() == "ConfigMap") cm = &m.object;
  }
  REQUIRE(cm != nullptr);
  // From a values file: its line.
  const auto* name = cm->at({"metadata", "name"});
  CHECK(name->span.file->path() == "env/prod.yaml");
  CHECK(name->span.begin.line == 2);
  CHECK(name->span.begin.column == 7);
  // From the chart's values.yaml through .Values.global.region.
  CHECK(cm->at({"data", "region"})->span.file->path() == "c/values.yaml");
  CHECK(cm->at({"data", "region"})->span.begin.line == 2);
  // Computed by an action (a function result): the action in the template, whole.
  const auto* files_node = cm->at({"data", "files"});
  CHECK(files_node->span.file->path() == "c/templates/a.yaml");
  CHECK(files_node->span.begin.line == 8);
  CHECK(files_node->span.begin.column == 13);
  CHECK(files_node->span.end.column == 44);
  // Literal template text: the text itself.
  const auto* kind = cm->get("kind");
  CHECK(kind->span.file->path() == "c/templates/a.yaml");
  CHECK(kind->span.begin.line == 2);
  CHECK(kind->span.begin.column == 7);
  CHECK(kind->span.end.column == 16);
}

TEST_CASE("helm render: a failing template is reported, the others still render", "[helm][render][errors]") {
  Files files = kChart;
  files.emplace_back("c/templates/bad.yaml", "kind: ConfigMap\nmetadata:\n  name: {{ include \"nope\" . }}\n");
  files.emplace_back("c/templates/broken.yaml", "kind: {{ .Values.name\n");
  files.emplace_back("c/templates/req.yaml", "x: {{ required \"set image.tag\" .Values.image }}\n");
  Rendered r(files, "c");
  const auto errs = r.errors();
  INFO(errs);
  CHECK(errs.find("c/templates/bad.yaml:3: template: c/templates/bad.yaml:3:11: executing") != std::string::npos);
  CHECK(errs.find("c/templates/broken.yaml:2: template: c/templates/broken.yaml:2: unclosed action started at c/templates/broken.yaml:1") != std::string::npos);
  CHECK(errs.find("c/templates/req.yaml:1:") != std::string::npos);
  CHECK(errs.find("set image.tag") != std::string::npos);
  CHECK(r.result.manifests.size() == 3);
}

TEST_CASE("helm render: hostile charts end with a clear error", "[helm][render][errors]") {
  Files loop = {{"c/Chart.yaml", "name: c\nversion: 1.0.0\n"},
                {"c/templates/a.yaml", "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}x: {{ include \"loop\" . }}\n"}};
  Rendered r(loop, "c");
  REQUIRE(r.result.errors.size() == 1);
  CHECK(r.result.errors[0].message.find("rendering template has a nested reference name: loop") != std::string::npos);

  Files tpl = {{"c/Chart.yaml", "name: c\nversion: 1.0.0\n"},
               {"c/values.yaml", "t: '{{ tpl .Values.t . }}'\n"},
               {"c/templates/a.yaml", "x: {{ tpl .Values.t . }}\n"}};
  Rendered rt(tpl, "c");
  REQUIRE(rt.result.errors.size() == 1);

  Files deps = {{"c/Chart.yaml", "name: c\nversion: 1.0.0\ndependencies:\n  - name: redis\n    repository: https://charts.example.com\n"}};
  Rendered rd(deps, "c");
  REQUIRE(rd.result.errors.size() == 1);
  CHECK(rd.result.errors[0].message ==
        "dependency `redis` (https://charts.example.com) is not in `c/charts/`: gitops-lint does not download charts, "
        "so its objects are not checked");
  CHECK(rd.result.errors[0].lesser);  // Argo CD would fetch it: a gap in the check, not a failed deployment
  CHECK(rd.result.errors[0].at.begin.line == 4);
}

TEST_CASE("hooks come after the release's manifests, each group sorted by kind", "[helm][render]") {
  // helm template: SortManifests sorts manifests by install order, then hooks by install order (Secret before
  // Job), and prints the hooks after the manifests.
  const Files files = {
      {"c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n"},
      {"c/templates/a-job.yaml",
       "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    \"helm.sh/hook\": pre-install\n"},
      {"c/templates/b-cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"},
      {"c/templates/c-secret.yaml",
       "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    \"helm.sh/hook\": post-install\n"},
      {"c/templates/d-sa.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n"},
  };
  Rendered r(files, "c");
  CHECK(r.errors().empty());
  std::vector<std::string> order;
  for (const auto& m : r.result.manifests) order.push_back(m.source);
  CHECK(order == std::vector<std::string>{"c/templates/d-sa.yaml", "c/templates/b-cm.yaml", "c/templates/c-secret.yaml",
                                          "c/templates/a-job.yaml"});
}
