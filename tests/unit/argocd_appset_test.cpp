// Tests for src/render/argocd/appset: ApplicationSet expansion. The ApplicationSets follow the examples of
// Argo CD's documentation (docs/operator-manual/applicationset); the expected Applications are written
// from the controller's semantics (applicationset/generators, applicationset/utils).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "render/argocd/appset.h"
#include "render/argocd/appset_internal.h"
#include "render/render.h"
#include "repo/file_tree.h"

namespace {

using Files = std::vector<std::pair<std::string, std::string>>;
using gl::render::MNode;
using gl::render::argocd::AppSetOptions;
using gl::render::argocd::Cluster;

struct Expanded {
  gl::SourceSet sources;
  std::unique_ptr<gl::repo::FileTree> tree;
  gl::render::argocd::AppSetResult result;
  std::string yaml;
  std::string errors;  ///< "path:line: message" per error
  std::string text;    ///< the ApplicationSet

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& a : result.applications) out.push_back(a.application.at({"metadata", "name"})->value);
    return out;
  }
  std::string field(size_t app, std::initializer_list<std::string_view> path) const {
    const MNode* n = result.applications.at(app).application.at(path);
    return n != nullptr ? n->value : std::string("<absent>");
  }
  /// 1-based line of the first line of the ApplicationSet containing `needle`.
  uint32_t line(std::string_view needle) const {
    const size_t at = text.find(needle);
    REQUIRE(at != std::string::npos);
    return static_cast<uint32_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1);
  }
};

const char* const kRepo = "https://github.com/argoproj/argo-cd.git";

std::unique_ptr<Expanded> expand(const std::string& appset, Files files = {}, AppSetOptions options = {}) {
  auto out = std::make_unique<Expanded>();
  out->text = appset;
  files.emplace_back("appset.yaml", appset);
  out->tree = gl::repo::open_memory_tree(files);
  gl::render::Context ctx(*out->tree, out->sources, 1 << 20, {});
  auto loaded = ctx.yaml("appset.yaml");
  REQUIRE(loaded->errors.empty());
  if (!options.is_local_repo) options.is_local_repo = [](std::string_view url) { return url == kRepo; };
  out->result = gl::render::argocd::generate(ctx, loaded->documents.at(0).root, options);
  std::vector<const MNode*> docs;
  for (const auto& a : out->result.applications) docs.push_back(&a.application);
  out->yaml = gl::render::to_yaml(docs);
  for (const auto& e : out->result.errors) {
    out->errors += (e.at.file != nullptr ? e.at.file->path() : std::string("?")) + ":" +
                   std::to_string(e.at.begin.line) + ": " + e.message + "\n";
  }
  return out;
}

AppSetOptions with_clusters() {
  AppSetOptions o;
  o.clusters = {Cluster{"staging", "https://1.2.3.4", {{"environment", "staging"}, {"use-kafka", "false"}}, {}, "", {}},
                Cluster{"production", "https://2.4.6.8", {{"environment", "production"}}, {{"team", "core"}}, "", {}}};
  return o;
}

std::string with_body(std::string_view header, std::string_view generators, std::string_view tmpl) {
  return "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: test\n  namespace: "
         "argocd\nspec:\n" +
         std::string(header) + "  generators:\n" + std::string(generators) + "  template:\n" + std::string(tmpl);
}

}  // namespace

TEST_CASE("list generator with fasttemplate renders every string of the template", "[argocd][appset]") {
  auto e = expand(R"(apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
  namespace: argocd
spec:
  generators:
  - list:
      elements:
      - cluster: engineering-dev
        url: https://1.2.3.4
      - cluster: engineering-prod
        url: https://2.4.6.8
        values:
          tier: gold
  template:
    metadata:
      name: '{{cluster}}-guestbook'
      labels:
        tier: '{{ values.tier }}'
        '{{cluster}}': 'yes'
    spec:
      project: my-project
      source:
        repoURL: https://github.com/infra-team/cluster-deployments.git
        targetRevision: HEAD
        path: guestbook/{{cluster}}/{{unknown}}
      destination:
        server: '{{url}}'
        namespace: guestbook
)");
  CHECK(e->errors.empty());
  CHECK_FALSE(e->result.refused);
  CHECK(e->yaml == R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  finalizers:
  - resources-finalizer.argocd.argoproj.io
  labels:
    engineering-dev: "yes"
    tier: '{{ values.tier }}'
  name: engineering-dev-guestbook
  namespace: argocd
spec:
  destination:
    namespace: guestbook
    server: https://1.2.3.4
  project: my-project
  source:
    path: guestbook/engineering-dev/{{unknown}}
    repoURL: https://github.com/infra-team/cluster-deployments.git
    targetRevision: HEAD
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  finalizers:
  - resources-finalizer.argocd.argoproj.io
  labels:
    engineering-prod: "yes"
    tier: gold
  name: engineering-prod-guestbook
  namespace: argocd
spec:
  destination:
    namespace: guestbook
    server: https://2.4.6.8
  project: my-project
  source:
    path: guestbook/engineering-prod/{{unknown}}
    repoURL: https://github.com/infra-team/cluster-deployments.git
    targetRevision: HEAD
)");
  // Provenance: substituted strings keep the template line; each app knows its element.
  const auto& app = e->result.applications.at(1);
  CHECK(app.generator == "list");
  CHECK(app.element.begin.line == e->line("- cluster: engineering-prod"));
  CHECK(app.application.at({"spec", "source", "path"})->span.begin.line == e->line("path: guestbook"));
  CHECK(app.application.at({"metadata", "name"})->span.begin.line == e->line("name: '{{cluster}}"));
  CHECK(app.application.at({"metadata", "namespace"})->span.begin.line == e->line("namespace: argocd"));
}

TEST_CASE("list generator: fasttemplate wants string values, elementsYaml appends", "[argocd][appset]") {
  SECTION("a number is refused, as Argo CD's list generator does") {
    auto e = expand(with_body("", R"(  - list:
      elements:
      - cluster: dev
        replicas: 3
)",
                              "    metadata:\n      name: '{{cluster}}'\n    spec:\n      project: default\n"));
    CHECK(e->errors == "appset.yaml:" + std::to_string(e->line("replicas: 3")) +
                           ": list element value `replicas` is not a string\n");
    CHECK(e->result.refused);
    CHECK(e->result.applications.empty());
  }
  SECTION("elementsYaml elements come after elements") {
    auto e = expand(with_body("  goTemplate: true\n", R"(  - list:
      elements:
      - cluster: a
      elementsYaml: |
        - cluster: b
        - cluster: c
)",
                              "    metadata:\n      name: '{{.cluster}}'\n    spec:\n      project: default\n"));
    CHECK(e->errors.empty());
    CHECK(e->names() == std::vector<std::string>{"a", "b", "c"});
    CHECK(e->result.applications.at(2).element.begin.line == e->line("elementsYaml"));
  }
}

TEST_CASE("clusters generator: configured clusters, the in-cluster default, selector and values", "[argocd][appset]") {
  const std::string tmpl = R"(    metadata:
      name: '{{name}}-guestbook'
      annotations:
        team: '{{metadata.annotations.team}}'
    spec:
      project: '{{metadata.labels.environment}}'
      source:
        repoURL: https://github.com/argoproj/argocd-example-apps/
        targetRevision: HEAD
        path: guestbook
      destination:
        server: '{{server}}'
        namespace: '{{values.ns}}'
)";
  SECTION("no selector: every cluster, then in-cluster") {
    auto e = expand(with_body("", "  - clusters:\n      values:\n        ns: 'ns-{{nameNormalized}}'\n", tmpl), {},
                    with_clusters());
    CHECK(e->errors.empty());
    CHECK(e->names() == std::vector<std::string>{"staging-guestbook", "production-guestbook", "in-cluster-guestbook"});
    CHECK(e->field(0, {"spec", "project"}) == "staging");
    CHECK(e->field(0, {"spec", "destination", "server"}) == "https://1.2.3.4");
    CHECK(e->field(0, {"spec", "destination", "namespace"}) == "ns-staging");
    CHECK(e->field(0, {"metadata", "annotations", "team"}) == "{{metadata.annotations.team}}");
    CHECK(e->field(1, {"metadata", "annotations", "team"}) == "core");
    // The in-cluster destination has no labels: fasttemplate leaves the name as written.
    CHECK(e->field(2, {"spec", "project"}) == "{{metadata.labels.environment}}");
    CHECK(e->field(2, {"spec", "destination", "server"}) == "https://kubernetes.default.svc");
    CHECK(e->result.applications.at(2).generator == "clusters");
  }
  SECTION("a selector matches the cluster secrets' labels and skips in-cluster") {
    auto e = expand(with_body("", R"(  - clusters:
      selector:
        matchExpressions:
        - key: environment
          operator: In
          values: [production, qa]
)",
                              tmpl),
                    {}, with_clusters());
    CHECK(e->errors.empty());
    CHECK(e->names() == std::vector<std::string>{"production-guestbook"});
  }
  SECTION("no clusters configured: in-cluster only") {
    auto e = expand(with_body("", "  - clusters: {}\n", tmpl));
    CHECK(e->names() == std::vector<std::string>{"in-cluster-guestbook"});
  }
  SECTION("goTemplate: metadata is a map, values a map") {
    auto e = expand(with_body("  goTemplate: true\n", R"(  - clusters:
      selector:
        matchLabels:
          argocd.argoproj.io/secret-type: cluster
      values:
        revision: '{{ .name | upper }}'
)",
                              R"(    metadata:
      name: '{{.nameNormalized}}'
    spec:
      project: '{{index .metadata.labels "environment"}}'
      source:
        repoURL: https://github.com/argoproj/argocd-example-apps/
        targetRevision: '{{.values.revision}}'
        path: guestbook
      destination:
        server: '{{.server}}'
)"),
                    {}, with_clusters());
    CHECK(e->errors.empty());
    CHECK(e->names() == std::vector<std::string>{"staging", "production"});
    CHECK(e->field(1, {"spec", "project"}) == "production");
    CHECK(e->field(1, {"spec", "source", "targetRevision"}) == "PRODUCTION");
  }
}

namespace {

const Files kAddons = {
    {"cluster-addons/argo-workflows/kustomization.yaml", "resources: []\n"},
    {"cluster-addons/exclude-helm-guestbook/Chart.yaml", "name: guestbook\n"},
    {"cluster-addons/prometheus-operator/Chart.yaml", "name: prometheus\n"},
    {"cluster-addons/prometheus-operator/charts/sub/Chart.yaml", "name: sub\n"},
    {"cluster-addons/my_app/kustomization.yaml", "resources: []\n"},
    {"cluster-addons/.hidden/x.yaml", "a: 1\n"},
    {"cluster-addons-old/x/kustomization.yaml", "resources: []\n"},
};

}  // namespace

TEST_CASE("git directories generator: path.Match globs, exclude entries, hidden directories", "[argocd][appset]") {
  SECTION("fasttemplate parameters, exclude wins over include") {
    auto e = expand(with_body("", R"(  - git:
      repoURL: https://github.com/argoproj/argo-cd.git
      revision: HEAD
      directories:
      - path: cluster-addons/*
      - path: cluster-addons/exclude-helm-guestbook
        exclude: true
)",
                              R"(    metadata:
      name: '{{path.basenameNormalized}}'
    spec:
      project: my-project
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: '{{path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{path[0]}}-{{path.basename}}'
)"),
                    kAddons);
    CHECK(e->errors.empty());
    CHECK(e->names() == std::vector<std::string>{"argo-workflows", "my-app", "prometheus-operator"});
    CHECK(e->field(1, {"spec", "source", "path"}) == "cluster-addons/my_app");
    CHECK(e->field(1, {"spec", "destination", "namespace"}) == "cluster-addons-my_app");
    CHECK(e->result.applications.at(0).generator == "git directories");
    CHECK(e->result.applications.at(0).element.begin.line == e->line("- path: cluster-addons/*"));
  }
  SECTION("goTemplate parameters and `**` as path.Match sees it (one segment)") {
    auto e = expand(with_body("  goTemplate: true\n  goTemplateOptions: [\"missingkey=error\"]\n", R"(  - git:
      repoURL: https://github.com/argoproj/argo-cd.git
      directories:
      - path: cluster-addons/**/charts
      - path: '*'
)",
                              R"(    metadata:
      name: '{{.path.basename}}-{{len .path.segments}}'
    spec:
      project: default
      source:
        path: '{{.path.path}}'
)"),
                    kAddons);
    CHECK(e->errors.empty());
    CHECK(e->names() == std::vector<std::string>{"cluster-addons-1", "charts-3", "cluster-addons-old-1"});
  }
  SECTION("a repository other than the one checked is not read") {
    auto e = expand(
        with_body("", "  - git:\n      repoURL: https://example.com/other.git\n      directories:\n      - path: '*'\n",
                  "    metadata:\n      name: '{{path.basename}}'\n    spec:\n      project: default\n"),
        kAddons);
    CHECK(e->errors.empty());
    CHECK_FALSE(e->result.refused);
    CHECK(e->result.applications.empty());
    REQUIRE(e->result.notes.size() == 1);
    CHECK(e->result.notes[0] ==
          "ApplicationSet `test`: the git generator reads `https://example.com/other.git`, which is not the repository "
          "being checked; its applications are not generated");
  }
}

namespace {

const Files kClusterConfig = {
    {"cluster-config/engineering/dev/config.json",
     R"({"aws_account": "123456", "asset_id": 11223344,
  "cluster": {"owner": "cluster-admin@company.com", "name": "engineering-dev", "address": "https://1.2.3.4"}})"},
    {"cluster-config/engineering/prod/config.json",
     R"({"aws_account": "123456", "asset_id": 11223345,
  "cluster": {"owner": "cluster-admin@company.com", "name": "engineering-prod", "address": "https://2.4.6.8"}})"},
    {"cluster-config/teams.yaml", "- team: a\n  size: 1000000\n- team: b\n  tags: [x, y]\n"},
};

}  // namespace

TEST_CASE("git files generator: flattened or nested parameters, exclude, globbing modes", "[argocd][appset]") {
  SECTION("goTemplate, with an excluded file") {
    auto e = expand(with_body("  goTemplate: true\n  goTemplateOptions: [\"missingkey=error\"]\n", R"(  - git:
      repoURL: https://github.com/argoproj/argo-cd.git
      revision: HEAD
      files:
      - path: "cluster-config/**/config.json"
      - path: "cluster-config/*/dev/config.json"
        exclude: true
)",
                              R"(    metadata:
      name: '{{.cluster.name}}-guestbook'
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: "apps/guestbook/{{.path.filename}}/{{index .path.segments 2}}/{{.asset_id}}"
      destination:
        server: '{{.cluster.address}}'
        namespace: guestbook
)"),
                    kClusterConfig);
    CHECK(e->errors.empty());
    CHECK(e->yaml == R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  finalizers:
  - resources-finalizer.argocd.argoproj.io
  name: engineering-prod-guestbook
  namespace: argocd
spec:
  destination:
    namespace: guestbook
    server: https://2.4.6.8
  project: default
  source:
    path: apps/guestbook/config.json/prod/1.1223345e+07
    repoURL: https://github.com/argoproj/argo-cd.git
    targetRevision: HEAD
)");
    CHECK(e->result.applications.at(0).generator == "git files");
    CHECK(e->result.applications.at(0).element.file->path() == "cluster-config/engineering/prod/config.json");
  }
  SECTION("fasttemplate: flattened keys, path params, a file holding a list") {
    auto e = expand(with_body("", R"(  - git:
      repoURL: https://github.com/argoproj/argo-cd.git
      files:
      - path: "cluster-config/*"
      values:
        owner: '{{cluster.owner}}'
)",
                              R"(    metadata:
      name: '{{path.filenameNormalized}}-{{path[2]}}{{team}}'
      annotations:
        info: '{{cluster.name}} {{asset_id}} {{size}} {{tags.1}} {{path.basename}} {{values.owner}}'
    spec:
      project: default
)"),
                    kClusterConfig);
    CHECK(e->errors.empty());
    CHECK(e->names() == std::vector<std::string>{"config.json-dev{{team}}", "config.json-prod{{team}}",
                                                 "teams.yaml-{{path[2]}}a", "teams.yaml-{{path[2]}}b"});
    CHECK(e->field(0, {"metadata", "annotations", "info"}) ==
          "engineering-dev 1.1223344e+07 {{size}} {{tags.1}} dev cluster-admin@company.com");
    CHECK(e->field(2, {"metadata", "annotations", "info"}) ==
          "{{cluster.name}} {{asset_id}} 1e+06 {{tags.1}} cluster-config {{cluster.owner}}");
    CHECK(e->field(3, {"metadata", "annotations", "info"}) ==
          "{{cluster.name}} {{asset_id}} {{size}} true cluster-config {{cluster.owner}}");  // YAML 1.1: y is a bool
    CHECK(e->result.applications.at(3).element.begin.line == 3);
  }
  SECTION("new globbing: `*` stays within a directory") {
    AppSetOptions o;
    o.new_git_file_globbing = true;
    const std::string set =
        with_body("", R"(  - git:
      repoURL: https://github.com/argoproj/argo-cd.git
      files:
      - path: "cluster-config/*/config.json"
      - path: "cluster-config/**/prod/*.json"
)",
                  "    metadata:\n      name: '{{cluster.name}}'\n    spec:\n      project: default\n");
    CHECK(expand(set, kClusterConfig, o)->names() == std::vector<std::string>{"engineering-prod"});
    CHECK(expand(set, kClusterConfig)->names() == std::vector<std::string>{"engineering-dev", "engineering-prod"});
  }
  SECTION("a file that is not YAML fails the set at the files entry") {
    Files files = kClusterConfig;
    files.emplace_back("cluster-config/broken/config.json", "{\"a\": [1,\n");
    auto e = expand(with_body("", R"(  - git:
      repoURL: https://github.com/argoproj/argo-cd.git
      files:
      - path: "cluster-config/**/config.json"
)",
                              "    metadata:\n      name: '{{cluster.name}}'\n    spec:\n      project: default\n"),
                    files);
    CHECK(e->result.refused);
    REQUIRE(e->result.errors.size() == 1);
    CHECK(e->result.errors[0].at.begin.line == e->line("- path: \"cluster-config"));
    CHECK(e->result.errors[0].message.rfind("cannot read `cluster-config/broken/config.json`: ", 0) == 0);
  }
}

TEST_CASE("matrix generator: every combination, second child sees the first's parameters", "[argocd][appset]") {
  SECTION("git directories x clusters (documented example)") {
    auto e = expand(with_body("  goTemplate: true\n  goTemplateOptions: [\"missingkey=error\"]\n", R"(    - matrix:
        generators:
          - git:
              repoURL: https://github.com/argoproj/argo-cd.git
              revision: HEAD
              directories:
                - path: cluster-addons/*
                - path: cluster-addons/[em]*
                  exclude: true
          - clusters:
              selector:
                matchLabels:
                  argocd.argoproj.io/secret-type: cluster
)",
                              R"(    metadata:
      name: '{{.path.basename}}-{{.name}}'
    spec:
      project: '{{index .metadata.labels "environment"}}'
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: '{{.path.path}}'
      destination:
        server: '{{.server}}'
        namespace: '{{.path.basename}}'
)"),
                    kAddons, with_clusters());
    CHECK(e->errors.empty());
    CHECK(e->names() == std::vector<std::string>{"argo-workflows-staging", "argo-workflows-production",
                                                 "prometheus-operator-staging", "prometheus-operator-production"});
    CHECK(e->field(3, {"spec", "project"}) == "production");
    CHECK(e->field(3, {"spec", "destination", "server"}) == "https://2.4.6.8");
    CHECK(e->field(3, {"spec", "source", "path"}) == "cluster-addons/prometheus-operator");
    const auto& app = e->result.applications.at(3);
    CHECK(app.generator == "matrix(git directories, clusters)");
    CHECK(app.elements.size() == 2);
    CHECK(app.element.begin.line == e->line("- path: cluster-addons/*"));
  }
  SECTION("the clusters selector uses the git file's path (documented example)") {
    AppSetOptions o;
    o.clusters = {Cluster{"dev-1", "https://1.1.1.1", {{"kubernetes.io/environment", "dev"}}, {}, "", {}},
                  Cluster{"prod-1", "https://2.2.2.2", {{"kubernetes.io/environment", "prod"}}, {}, "", {}},
                  Cluster{"prod-2", "https://3.3.3.3", {{"kubernetes.io/environment", "prod"}}, {}, "", {}}};
    auto e = expand(with_body("  goTemplate: true\n  goTemplateOptions: [\"missingkey=error\"]\n", R"(    - matrix:
        generators:
          - git:
              repoURL: https://github.com/argoproj/argo-cd.git
              files:
                - path: "cluster-config/**/config.json"
          - clusters:
              selector:
                matchLabels:
                  kubernetes.io/environment: '{{.path.basename}}'
              values:
                owner: '{{.cluster.owner}}'
                label: '{{.name}}'
)",
                              R"(    metadata:
      name: '{{.name}}-{{.cluster.name}}'
      labels:
        owner: '{{.values.owner}}-{{.values.label}}'
    spec:
      project: default
)"),
                    kClusterConfig, o);
    CHECK(e->errors.empty());
    CHECK(e->names() ==
          std::vector<std::string>{"dev-1-engineering-dev", "prod-1-engineering-prod", "prod-2-engineering-prod"});
    CHECK(e->field(2, {"metadata", "labels", "owner"}) == "cluster-admin@company.com-prod-2");
  }
  SECTION("fasttemplate: the same parameter with two values is an error") {
    auto e = expand(with_body("", R"(    - matrix:
        generators:
          - list:
              elements:
              - env: dev
          - list:
              elements:
              - env: prod
)",
                              "    metadata:\n      name: '{{env}}'\n    spec:\n      project: default\n"));
    CHECK(e->errors == "appset.yaml:" + std::to_string(e->line("- matrix:")) +
                           ": the matrix children both set `env`: `dev` and `prod`\n");
    CHECK(e->result.refused);
  }
  SECTION("list x list with interpolation in fasttemplate") {
    auto e = expand(with_body("", R"(    - matrix:
        generators:
          - list:
              elements:
              - env: dev
              - env: prod
          - list:
              elements:
              - app: web
                ns: '{{env}}-web'
              - app: db
                ns: '{{env}}-db'
)",
                              "    metadata:\n      name: '{{app}}-{{env}}'\n    spec:\n      project: default\n"
                              "      destination:\n        namespace: '{{ns}}'\n"));
    CHECK(e->errors.empty());
    CHECK(e->names() == std::vector<std::string>{"web-dev", "db-dev", "web-prod", "db-prod"});
    CHECK(e->field(3, {"spec", "destination", "namespace"}) == "prod-db");
    CHECK(e->result.applications.at(3).generator == "matrix(list, list)");
  }
}

TEST_CASE("merge generator: base sets overridden by matching sets of later generators", "[argocd][appset]") {
  auto e = expand(with_body("", R"(    - merge:
        mergeKeys:
          - server
        generators:
          - clusters:
              values:
                kafka: 'true'
                redis: 'false'
          - clusters:
              selector:
                matchLabels:
                  use-kafka: 'false'
              values:
                kafka: 'false'
          - list:
              elements:
                - server: https://2.4.6.8
                  values.redis: 'true'
)",
                            R"(    metadata:
      name: '{{name}}'
    spec:
      project: '{{metadata.labels.environment}}'
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: app
        helm:
          parameters:
            - name: kafka
              value: '{{values.kafka}}'
            - name: redis
              value: '{{values.redis}}'
      destination:
        server: '{{server}}'
        namespace: default
)"),
                  {}, with_clusters());
  CHECK(e->errors.empty());
  CHECK(e->names() == std::vector<std::string>{"staging", "production", "in-cluster"});
  const auto params = [&](size_t i) {
    const MNode* p = e->result.applications.at(i).application.at({"spec", "source", "helm", "parameters"});
    return p->items.at(0).get("value")->value + "," + p->items.at(1).get("value")->value;
  };
  CHECK(params(0) == "false,false");
  CHECK(params(1) == "true,true");
  CHECK(params(2) == "true,false");
  CHECK(e->field(2, {"spec", "project"}) == "{{metadata.labels.environment}}");
  CHECK(e->result.applications.at(1).elements.size() == 2);
  CHECK(e->result.applications.at(1).generator == "merge(clusters, clusters, list)");

  auto dup = expand(with_body("", R"(    - merge:
        mergeKeys: [env]
        generators:
          - list:
              elements: [{env: a}, {env: a}]
          - list:
              elements: [{env: a}]
)",
                              "    metadata:\n      name: '{{env}}'\n    spec:\n      project: default\n"));
  CHECK(dup->errors == "appset.yaml:" + std::to_string(dup->line("- merge:")) +
                           ": two parameter sets of a merge child have the same merge key {\"env\":\"a\"}\n");
}

TEST_CASE("goTemplate: Sprig and Argo CD's functions, missingkey options", "[argocd][appset]") {
  const std::string gens = R"(  - list:
      elements:
      - cluster: engineering-dev
        url: https://kubernetes.default.svc
        branch: Feature/New_Login-Page
        replicas: 3
      - cluster: engineering-prod
        url: https://kubernetes.default.svc
        nameSuffix: -my-name-suffix
        branch: main
        replicas: 1
)";
  const std::string tmpl = R"(    metadata:
      name: '{{.cluster}}{{dig "nameSuffix" "" .}}'
      annotations:
        upper: '{{ .cluster | upper | replace "-" "_" }}'
        slug: '{{ .branch | slugify 12 }}'
        normalized: '{{ normalize .branch }}'
        double: '{{ mul .replicas 2 }}'
        yaml: '{{ dict "a" .replicas | toYaml }}'
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: applicationset/examples/list-generator/guestbook/{{.cluster}}
      destination:
        server: '{{.url}}'
        namespace: guestbook
)";
  auto e = expand(with_body("  goTemplate: true\n  goTemplateOptions: [\"missingkey=error\"]\n", gens, tmpl));
  CHECK(e->errors.empty());
  CHECK(e->names() == std::vector<std::string>{"engineering-dev", "engineering-prod-my-name-suffix"});
  CHECK(e->field(0, {"metadata", "annotations", "upper"}) == "ENGINEERING_DEV");
  CHECK(e->field(0, {"metadata", "annotations", "slug"}) == "feature-new");
  CHECK(e->field(0, {"metadata", "annotations", "normalized"}) == "feature-new-login-page");
  CHECK(e->field(0, {"metadata", "annotations", "double"}) == "6");
  CHECK(e->field(0, {"metadata", "annotations", "yaml"}) == "a: 3");
  CHECK(e->field(1, {"spec", "source", "path"}) == "applicationset/examples/list-generator/guestbook/engineering-prod");

  const std::string missing = R"(    metadata:
      name: '{{.cluster}}'
    spec:
      project: default
      destination:
        namespace: '{{.namespace}}'
)";
  SECTION("missingkey=error fails the set at the template field") {
    auto m = expand(with_body("  goTemplate: true\n  goTemplateOptions: [\"missingkey=error\"]\n", gens, missing));
    CHECK(m->result.refused);
    CHECK(m->result.applications.empty());
    CHECK(m->errors == "appset.yaml:" + std::to_string(m->line("namespace: '{{.namespace}}'")) +
                           ": failed to execute go template {{.namespace}}: template: base:1:2: executing \"base\" at "
                           "<.namespace>: map has no entry for key \"namespace\"\n");
  }
  SECTION("without it Go prints <no value>") {
    auto m = expand(with_body("  goTemplate: true\n", gens, missing));
    CHECK(m->errors.empty());
    CHECK(m->field(0, {"spec", "destination", "namespace"}) == "<no value>");
  }
  SECTION("an unknown option is an error") {
    auto m = expand(with_body("  goTemplate: true\n  goTemplateOptions: [\"missingkey=maybe\"]\n", gens, missing));
    CHECK(m->errors == "appset.yaml:" + std::to_string(m->line("goTemplateOptions")) +
                           ": unknown goTemplateOptions entry `missingkey=maybe`\n");
  }
}

TEST_CASE("templatePatch: rendered, then merged into each Application", "[argocd][appset]") {
  auto e = expand(R"(apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  goTemplate: true
  generators:
  - list:
      elements:
        - cluster: engineering-dev
          url: https://kubernetes.default.svc
          autoSync: true
          prune: true
          valueFiles:
            - values.large.yaml
            - values.debug.yaml
        - cluster: engineering-prod
          url: https://kubernetes.default.svc
          autoSync: false
  template:
    metadata:
      name: '{{ .cluster }}-deployment'
    spec:
      project: "default"
      source:
        repoURL: https://github.com/infra-team/cluster-deployments.git
        targetRevision: HEAD
        path: guestbook/{{ .cluster }}
      destination:
        server: '{{ .url }}'
        namespace: guestbook
  templatePatch: |
    spec:
      project: escalated
      source:
        helm:
          valueFiles:
          {{- range $valueFile := .valueFiles }}
            - {{ $valueFile }}
          {{- end }}
    {{- if .autoSync }}
      syncPolicy:
        automated:
          prune: {{ .prune }}
    {{- end }}
)");
  CHECK(e->errors.empty());
  CHECK(e->yaml == R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  finalizers:
  - resources-finalizer.argocd.argoproj.io
  name: engineering-dev-deployment
  namespace: argocd
spec:
  destination:
    namespace: guestbook
    server: https://kubernetes.default.svc
  project: default
  source:
    helm:
      valueFiles:
      - values.large.yaml
      - values.debug.yaml
    path: guestbook/engineering-dev
    repoURL: https://github.com/infra-team/cluster-deployments.git
    targetRevision: HEAD
  syncPolicy:
    automated:
      prune: true
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  finalizers:
  - resources-finalizer.argocd.argoproj.io
  name: engineering-prod-deployment
  namespace: argocd
spec:
  destination:
    namespace: guestbook
    server: https://kubernetes.default.svc
  project: default
  source:
    helm: {}
    path: guestbook/engineering-prod
    repoURL: https://github.com/infra-team/cluster-deployments.git
    targetRevision: HEAD
)");
  const auto& app = e->result.applications.at(0).application;
  CHECK(app.at({"spec", "syncPolicy", "automated", "prune"})->span.begin.line == e->line("templatePatch"));

  auto bad = expand(with_body("  goTemplate: true\n", "  - list:\n      elements:\n      - a: b\n",
                              "    metadata:\n      name: x\n    spec:\n      project: p\n") +
                    "  templatePatch: |\n    spec: [\n");
  CHECK(bad->result.refused);
  REQUIRE(bad->result.errors.size() == 1);
  CHECK(bad->result.errors[0].at.begin.line == bad->line("templatePatch"));
}

TEST_CASE("selector post-filters any generator; generator templates override the spec template", "[argocd][appset]") {
  const std::string list = R"(  - list:
      elements:
        - cluster: engineering-dev
          url: https://kubernetes.default.svc
          env: staging
        - cluster: engineering-prod
          url: https://kubernetes.default.svc
          env: prod
)";
  const std::string tmpl = R"(    metadata:
      name: '{{cluster}}-guestbook'
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: applicationset/examples/template-override/default
      destination:
        server: '{{url}}'
        namespace: guestbook
)";
  CHECK(expand(with_body("", list + "    selector:\n      matchLabels:\n        env: staging\n", tmpl))->names() ==
        std::vector<std::string>{"engineering-dev-guestbook"});
  CHECK(
      expand(with_body("",
                       list + "    selector:\n      matchExpressions:\n        - key: env\n          operator: NotIn\n"
                              "          values: [staging]\n",
                       tmpl))
          ->names() == std::vector<std::string>{"engineering-prod-guestbook"});
  auto bad = expand(with_body(
      "", list + "    selector:\n      matchExpressions:\n        - key: env\n          operator: Near\n", tmpl));
  CHECK(bad->errors ==
        "appset.yaml:" + std::to_string(bad->line("- key: env")) + ": `Near` is not a valid selector operator\n");

  auto over = expand(with_body("", R"(  - list:
      elements:
        - cluster: engineering-dev
          url: https://kubernetes.default.svc
      template:
        metadata: {}
        spec:
          project: "default"
          source:
            targetRevision: HEAD
            repoURL: https://github.com/argoproj/argo-cd.git
            path: 'applicationset/examples/template-override/{{cluster}}-override'
          destination: {}
)",
                               tmpl));
  CHECK(over->errors.empty());
  CHECK(over->names() == std::vector<std::string>{"engineering-dev-guestbook"});
  CHECK(over->field(0, {"spec", "source", "path"}) ==
        "applicationset/examples/template-override/engineering-dev-override");
  CHECK(over->field(0, {"spec", "destination", "server"}) == "https://kubernetes.default.svc");
  CHECK(over->field(0, {"spec", "destination", "namespace"}) == "guestbook");
}

TEST_CASE("hostile ApplicationSets: errors at the line, never a crash", "[argocd][appset]") {
  const std::string tmpl = "    metadata:\n      name: '{{.name}}'\n    spec:\n      project: default\n";
  SECTION("a template that does not parse") {
    auto e =
        expand(with_body("  goTemplate: true\n", "  - list:\n      elements:\n      - name: a\n",
                         "    metadata:\n      name: '{{ .name | nosuch }}'\n    spec:\n      project: default\n"));
    CHECK(e->result.refused);
    REQUIRE(e->result.errors.size() == 1);
    CHECK(e->result.errors[0].at.begin.line == e->line("name: '{{ .name | nosuch }}'"));
    CHECK(e->result.errors[0].message ==
          "failed to parse template {{ .name | nosuch }}: template: base:1: function \"nosuch\" not defined");
  }
  SECTION("an unterminated fasttemplate tag") {
    auto e = expand(with_body("", "  - list:\n      elements:\n      - name: a\n",
                              "    metadata:\n      name: '{{name}}-{{name'\n    spec:\n      project: default\n"));
    CHECK(e->result.refused);
    CHECK(e->result.errors.size() == 1);
  }
  SECTION("an unknown generator is reported; the others still generate") {
    auto e = expand(with_body("  goTemplate: true\n",
                              "  - lsit:\n      elements: []\n  - list:\n      elements:\n      - name: a\n", tmpl));
    CHECK(e->errors == "appset.yaml:" + std::to_string(e->line("- lsit:")) + ": unknown generator `lsit`\n");
    CHECK(e->result.errors[0].help == "did you mean `list`?");
    CHECK_FALSE(e->result.refused);
    CHECK(e->names() == std::vector<std::string>{"a"});
  }
  SECTION("a matrix of three generators") {
    auto e = expand(with_body("  goTemplate: true\n", R"(  - matrix:
      generators:
      - list: {elements: [{name: a}]}
      - list: {elements: [{x: b}]}
      - list: {elements: [{y: c}]}
)",
                              tmpl));
    CHECK(e->errors == "appset.yaml:" + std::to_string(e->line("- matrix:")) +
                           ": a matrix generator needs exactly two child generators, found 3\n");
    CHECK(e->result.refused);
  }
  SECTION("matrices nested three levels deep") {
    auto e = expand(with_body("  goTemplate: true\n", R"(  - matrix:
      generators:
      - list: {elements: [{name: a}]}
      - matrix:
          generators:
          - list: {elements: [{x: b}]}
          - matrix:
              generators:
              - list: {elements: [{y: c}]}
              - list: {elements: [{z: d}]}
)",
                              tmpl));
    CHECK(e->errors == "appset.yaml:" + std::to_string(e->line("          - matrix:")) +
                           ": `matrix` is nested more than two levels deep\n");
    CHECK(e->result.refused);
  }
  SECTION("two levels are fine") {
    auto e =
        expand(with_body("  goTemplate: true\n", R"(  - matrix:
      generators:
      - list: {elements: [{name: a}, {name: b}]}
      - matrix:
          generators:
          - list: {elements: [{x: "1"}]}
          - list: {elements: [{y: "2"}, {y: "3"}]}
)",
                         "    metadata:\n      name: '{{.name}}{{.x}}{{.y}}'\n    spec:\n      project: default\n"));
    CHECK(e->errors.empty());
    CHECK(e->names() == std::vector<std::string>{"a12", "a13", "b12", "b13"});
    CHECK(e->result.applications[0].generator == "matrix(list, matrix(list, list))");
  }
  SECTION("duplicate names refuse the whole set") {
    auto e = expand(
        with_body("  goTemplate: true\n", "  - list:\n      elements: [{name: a}, {name: b}, {name: a}]\n", tmpl));
    CHECK(e->errors == "appset.yaml:" + std::to_string(e->line("name: '{{.name}}'")) +
                           ": ApplicationSet `test` generates two applications named `a`\n");
    CHECK(e->result.refused);
    CHECK(e->result.applications.empty());
  }
  SECTION("generators that need a server are noted") {
    auto e =
        expand(with_body("", "  - scmProvider:\n      github:\n        organization: x\n  - pullRequest: {}\n", tmpl));
    CHECK(e->errors.empty());
    CHECK(e->result.applications.empty());
    CHECK(e->result.notes ==
          std::vector<std::string>{
              "ApplicationSet `test`: the `scmProvider` generator needs a server and is not evaluated offline",
              "ApplicationSet `test`: the `pullRequest` generator needs a server and is not evaluated offline"});
  }
  SECTION("a huge list") {
    std::string elements;
    constexpr int kCount = 10000;
    for (int i = 0; i < kCount; ++i) elements += "      - name: app-" + std::to_string(i) + "\n";
    auto e = expand(with_body("  goTemplate: true\n", "  - list:\n      elements:\n" + elements, tmpl));
    CHECK(e->errors.empty());
    REQUIRE(e->result.applications.size() == kCount);
    CHECK(e->names().back() == "app-9999");
  }
  SECTION("a matrix that would explode is bounded") {
    std::string elements;
    for (int i = 0; i < 400; ++i) elements += "{n" + std::to_string(i % 2) + ": \"" + std::to_string(i) + "\"}, ";
    auto e = expand(with_body("  goTemplate: true\n",
                              "  - matrix:\n      generators:\n      - list: {elements: [" + elements +
                                  "]}\n      - list: {elements: [" + elements + "]}\n",
                              tmpl));
    CHECK(e->result.refused);
    CHECK(e->errors == "appset.yaml:" + std::to_string(e->line("- matrix:")) +
                           ": the generators make more than 100000 parameter sets\n");
  }
  SECTION("no template, generators not a list") {
    CHECK(expand("kind: ApplicationSet\nmetadata:\n  name: x\nspec:\n  generators: []\n")->errors ==
          "appset.yaml:5: ApplicationSet `x` has no `spec.template`\n");
    CHECK(expand(with_body("", "    list: {}\n", tmpl))->errors.find("`spec.generators` must be a list") !=
          std::string::npos);
  }
}

TEST_CASE("normalize and path.Match as Argo CD has them", "[argocd][appset]") {
  using gl::render::argocd::sanitize_name;
  using gl::render::argocd::appset::path_match;
  CHECK(sanitize_name("My_App.v2--") == "my-app.v2");
  CHECK(sanitize_name("-.Ünïcode") == "n-code");
  CHECK(sanitize_name(std::string(300, 'a')).size() == 253);
  CHECK(path_match("a/*", "a/b") == std::optional<bool>(true));
  CHECK(path_match("a/*", "a/b/c") == std::optional<bool>(false));
  CHECK(path_match("*", "a") == std::optional<bool>(true));
  CHECK(path_match("a/[fg]", "a/g") == std::optional<bool>(true));
  CHECK(path_match("a/[^fg]", "a/g") == std::optional<bool>(false));
  CHECK(path_match("a/?x*z", "a/yxabcz") == std::optional<bool>(true));
  CHECK(path_match("a/\\*", "a/*") == std::optional<bool>(true));
  CHECK(path_match("a/[", "a/b") == std::nullopt);
  CHECK(path_match("a/*/[", "b/c") == std::nullopt);
  CHECK(path_match(std::string(40, '*') + "b", std::string(5000, 'a')) == std::optional<bool>(false));
}
