// Tests for src/render/helm/objects: `.Files` as the map[string][]byte Helm gives templates (len, range,
// index, truth, `.key`) with its methods, and toJson/toYaml of `.Chart` and `.Capabilities` with Helm's JSON
// field names. Expected output is the reference renderer's (../shared/oracle, `helm-oracle template`) except
// where it differs from Helm's source, as noted: %T of Helm's types (the oracle's are in package main), the
// JSON of chartutil.KubeVersion (no JSON tags in Helm: "Version", "Major", "Minor"), and Chart.Dependencies
// after Helm's ProcessDependencies (pkg/chartutil/dependencies.go: named by alias, enabled, import-values
// rewritten as {child, parent}), which the oracle does not do.
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
     "apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: \"1.0\"\ndescription: demo\nkeywords: [a, b]\nhome: "
     "https://x.io\nmaintainers:\n  - name: ann\n    email: ann@x.io\n  - name: bob\n    url: "
     "https://bob.io\nannotations:\n  team: web\n"},
    {"c/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.2.0\n"},
    {"c/charts/sub/templates/s.yaml",
     "kind: Service\ndata:\n  out: |\n    len={{ len .Files }} truthy={{ if .Files }}yes{{ else }}no{{ end }} "
     "config=[{{ .Files.AsConfig }}] root={{ .Chart.IsRoot }}\n    chart={{ toJson .Chart }}\n    print={{ .Files }} "
     "{{ range .Files }}never{{ else }}empty{{ end }}\n"},
    {"c/conf/x.txt", "hello\n"},
    {"c/conf/y.txt", "b\nc\n"},
    {"c/notes.md", "k: v\n"},
    {"c/templates/chart.yaml",
     "kind: Secret\ndata:\n  out: |\n    json: {{ toJson .Chart }}\n    yaml: {{- toYaml .Chart | nindent 6 }}\n"
     "    maintainer: {{ (index .Chart.Maintainers 1).Name }} {{ (index .Chart.Maintainers 1).URL }} {{ typeOf "
     "(index .Chart.Maintainers 0) }}\n    fields: {{ .Chart.Name }} {{ .Chart.AppVersion }} {{ .Chart.Keywords }} "
     "{{ typeOf .Chart.Keywords }} {{ .Chart.Annotations.team }} [{{ .Chart.Icon }}] {{ .Chart.Deprecated }} {{ "
     ".Chart.IsRoot }}\n    kube: {{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Major }} {{ "
     ".Capabilities.KubeVersion.GitVersion }}\n    kube json: {{ toJson .Capabilities.KubeVersion }}\n"
     "    kube yaml: {{ toYaml .Capabilities.KubeVersion | nindent 6 }}\n"
     "    helm: {{ toJson .Capabilities.HelmVersion }} {{ typeOf .Capabilities.HelmVersion }}\n"},
    {"c/templates/files.yaml",
     "kind: ConfigMap\ndata:\n  out: |\n    len: {{ len .Files }} {{ if .Files }}truthy{{ end }}\n    {{- range $path, "
     "$bytes := .Files }}\n    - {{ $path }}: {{ $bytes }} {{ printf \"%s\" $bytes | quote }} {{ typeOf $bytes "
     "}}\n    {{- end }}\n    index: {{ index .Files \"conf/x.txt\" }} missing: {{ index .Files \"nope\" }} {{ typeOf "
     "(index .Files \"nope\") }}\n    field: {{ .Files.nope }} {{ if .Files.nope }}set{{ else }}empty{{ end }}\n    "
     "get: {{ .Files.Get \"conf/x.txt\" | quote }} {{ .Files.GetBytes \"conf/y.txt\" }} {{ .Files.Lines "
     "\"conf/y.txt\" }}\n    print: {{ .Files }}\n    glob: {{ .Files.Glob \"conf/*\" }} {{ len (.Files.Glob "
     "\"conf/x*\") }} {{ range $p, $_ := .Files.Glob \"**.md\" }}{{ $p }}{{ end }}\n    empty glob: [{{ "
     "(.Files.Glob \"none/*\").AsConfig }}] {{ if .Files.Glob \"none/*\" }}yes{{ else }}no{{ end }}\n    config: {{ "
     "(.Files.Glob \"conf/*\").AsConfig | nindent 6 }}\n\n"},
};

}  // namespace

TEST_CASE("objects: .Files is a map of paths to bytes, with Helm's methods", "[helm][objects]") {
  gl::render::helm::RenderOptions options;
  options.kube_version = "v1.28.3";
  Rendered r(kChart, options);
  INFO(r.messages());
  REQUIRE(r.result.errors.empty());
  CHECK(r.manifest("c/templates/files.yaml") == R"(kind: ConfigMap
data:
  out: |
    len: 3 truthy
    - conf/x.txt: [104 101 108 108 111 10] "hello\n" []uint8
    - conf/y.txt: [98 10 99 10] "b\nc\n" []uint8
    - notes.md: [107 58 32 118 10] "k: v\n" []uint8
    index: [104 101 108 108 111 10] missing: [] []uint8
    field: [] empty
    get: "hello\n" [98 10 99 10] [b c]
    print: map[conf/x.txt:[104 101 108 108 111 10] conf/y.txt:[98 10 99 10] notes.md:[107 58 32 118 10]]
    glob: map[conf/x.txt:[104 101 108 108 111 10] conf/y.txt:[98 10 99 10]] 1 notes.md
    empty glob: [{}] no
    config: 
      x.txt: |
        hello
      y.txt: |
        b
        c)");
  // A chart without files: an empty (not nil) map, so AsConfig gives "{}".
  CHECK(r.manifest("c/charts/sub/templates/s.yaml") == R"(kind: Service
data:
  out: |
    len=0 truthy=no config=[{}] root=false
    chart={"name":"sub","version":"0.2.0","apiVersion":"v2","IsRoot":false}
    print=map[] empty)");
}

TEST_CASE("objects: toJson/toYaml of .Chart and .Capabilities use Helm's field names", "[helm][objects]") {
  gl::render::helm::RenderOptions options;
  options.kube_version = "v1.28.3";
  Rendered r(kChart, options);
  INFO(r.messages());
  REQUIRE(r.result.errors.empty());
  // The oracle prints `*main.Maintainer` for %T; Helm's type is chart.Maintainer. "kube json"/"kube yaml" follow
  // Helm's chartutil.KubeVersion, which has no JSON tags (the oracle's has).
  CHECK(r.manifest("c/templates/chart.yaml") == R"(kind: Secret
data:
  out: |
    json: {"name":"c","home":"https://x.io","version":"0.1.0","description":"demo","keywords":["a","b"],"maintainers":[{"name":"ann","email":"ann@x.io"},{"name":"bob","url":"https://bob.io"}],"apiVersion":"v2","appVersion":"1.0","annotations":{"team":"web"},"IsRoot":true}
    yaml:
      IsRoot: true
      annotations:
        team: web
      apiVersion: v2
      appVersion: "1.0"
      description: demo
      home: https://x.io
      keywords:
      - a
      - b
      maintainers:
      - email: ann@x.io
        name: ann
      - name: bob
        url: https://bob.io
      name: c
      version: 0.1.0
    maintainer: bob https://bob.io *chart.Maintainer
    fields: c 1.0 [a b] []string web [] false true
    kube: v1.28.3 1 v1.28.3
    kube json: {"Version":"v1.28.3","Major":"1","Minor":"28"}
    kube yaml: 
      Major: "1"
      Minor: "28"
      Version: v1.28.3
    helm: {"version":"v3.14.0","git_tree_state":"clean","go_version":"go1.21"} version.BuildInfo)");
}

TEST_CASE("objects: .Chart.Dependencies as Helm leaves them after processing dependencies", "[helm][objects]") {
  const Files files = {
      {"c/Chart.yaml",
       "apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n"
       "  - name: sub\n    version: 0.2.0\n    repository: file://charts/sub\n    alias: db\n    tags: [data]\n"
       "    import-values:\n      - exported\n      - child: a.b\n        parent: c\n"
       "  - name: sub\n    condition: second.enabled\n"},
      {"c/values.yaml", "second:\n  enabled: false\n"},
      {"c/templates/cm.yaml",
       "kind: ConfigMap\ndeps: {{ toJson .Chart.Dependencies }}\nfirst: {{ (index .Chart.Dependencies 0).Name }} {{ "
       "(index .Chart.Dependencies 0).Enabled }} {{ (index .Chart.Dependencies 0).Tags }}\n"},
      {"c/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.2.0\n"},
  };
  Rendered r(files);
  INFO(r.messages());
  REQUIRE(r.result.errors.empty());
  // The disabled second entry is gone; the first is named by its alias and marked enabled.
  CHECK(r.manifest("c/templates/cm.yaml") ==
        R"(kind: ConfigMap
deps: [{"name":"db","version":"0.2.0","repository":"file://charts/sub","tags":["data"],"enabled":true,"import-values":[{"child":"exports.exported","parent":"."},{"child":"a.b","parent":"c"}],"alias":"db"}]
first: db true [data])");
}

TEST_CASE("objects: .Files.Lines of an empty file fails as in Helm", "[helm][objects]") {
  // Helm's files.Lines reads the last byte without a length check; Go's text/template turns the panic into an
  // error (the oracle's Lines differs here and prints []).
  const Files files = {{"c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n"},
                       {"c/empty.txt", ""},
                       {"c/templates/a.yaml", "x: {{ .Files.Lines \"empty.txt\" }}\n"}};
  Rendered r(files);
  CHECK(r.messages() ==
        "template: c/templates/a.yaml:1:12: executing \"c/templates/a.yaml\" at <.Files.Lines>: error calling Lines: "
        "runtime error: index out of range [-1]\n");
}

TEST_CASE("objects: method arguments are checked as Go checks them before the call", "[helm][objects]") {
  // Each message is the reference renderer's for the same template (helm-oracle template).
  const std::vector<std::pair<std::string, std::string>> cases = {
      {".Files.Get 1", "1:17: executing \"c/templates/a.yaml\" at <1>: expected string; found 1"},
      {".Files.Get", "1:12: executing \"c/templates/a.yaml\" at <.Files.Get>: wrong number of args for Get: want 1 got 0"},
      {".Files.Get \"a\" \"b\"",
       "1:12: executing \"c/templates/a.yaml\" at <.Files.Get>: wrong number of args for Get: want 1 got 2"},
      {".Files.Get nil", "1:17: executing \"c/templates/a.yaml\" at <nil>: cannot assign nil to string"},
      {".Files.Lines 1.5", "1:19: executing \"c/templates/a.yaml\" at <1.5>: expected string; found 1.5"},
      {"1 | .Files.Get", "1:16: executing \"c/templates/a.yaml\" at <.Files.Get>: wrong type for value; expected string; got int"},
      {".Capabilities.APIVersions.Has 1", "1:36: executing \"c/templates/a.yaml\" at <1>: expected string; found 1"},
      {".Capabilities.APIVersions.Has",
       "1:19: executing \"c/templates/a.yaml\" at <.Capabilities.APIVersions.Has>: wrong number of args for Has: want 1 "
       "got 0"},
      {"(now).Format 1", "1:19: executing \"c/templates/a.yaml\" at <1>: expected string; found 1"},
  };
  for (const auto& [expr, message] : cases) {
    INFO(expr);
    const Files files = {{"c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n"},
                         {"c/templates/a.yaml", "x: {{ " + expr + " }}\n"}};
    Rendered r(files);
    CHECK(r.messages() == "template: c/templates/a.yaml:" + message + "\n");
  }
  const Files ok = {{"c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n"},
                    {"c/f.txt", "hi\n"},
                    {"c/templates/a.yaml", "x: {{ .Files.Get \"f.txt\" | trim }} {{ .Capabilities.APIVersions.Has \"v1\" }}\n"}};
  Rendered r(ok);
  CHECK(r.messages().empty());
}
