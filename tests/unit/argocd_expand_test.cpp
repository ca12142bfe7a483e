// Tests for src/render/argocd/expand: Applications found in files, app-of-apps, sources rendered from the tree
// (directory, kustomize with the application's overrides, helm with value files, inline values and
// parameters, multi-source `$ref`), repository matching, errors and environments. The expected results are
// what Argo CD's repo server and controller do with the same files (v2.x semantics, written out by hand).
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "render/argocd/expand.h"
#include "render/render.h"
#include "repo/file_tree.h"

namespace {

using Files = std::vector<std::pair<std::string, std::string>>;
using gl::render::argocd::Expansion;

struct Expanded {
  gl::SourceSet sources;
  std::unique_ptr<gl::repo::FileTree> tree;
  std::vector<gl::k8s::Object> found;
  std::unique_ptr<gl::render::argocd::RepoMatcher> repos;
  Expansion ex;

  const gl::render::argocd::AppRecord* app(std::string_view name) const {
    for (const auto& a : ex.apps) {
      if (a.name == name) return &a;
    }
    return nullptr;
  }
  const gl::k8s::Object* object(std::string_view kind, std::string_view name) const {
    for (const auto& o : ex.objects) {
      if (o.kind == kind && o.name == name) return &o;
    }
    return nullptr;
  }
  std::string errors() const {
    std::string out;
    for (const auto& e : ex.errors) {
      out += (e.at.file != nullptr ? e.at.file->path() : std::string("?")) + ":" + std::to_string(e.at.begin.line) +
             ": [" + (e.rule.empty() ? std::string("render-error") : e.rule) + "] " + e.message + "\n";
    }
    return out;
  }
};

struct Setup {
  std::vector<std::string> remotes;
  std::vector<std::string> aliases;
  std::vector<std::string> external;
  bool strict = false;
};

Setup with_remote(std::string url, std::vector<std::string> aliases = {}) {
  Setup s;
  s.remotes = {std::move(url)};
  s.aliases = std::move(aliases);
  return s;
}

/// Loads every `*.yaml` whose path starts with `apps_dir` as the files the pipeline found, then expands.
std::unique_ptr<Expanded> expand(const Files& files, const std::vector<std::string>& app_files, Setup setup = {}) {
  auto out = std::make_unique<Expanded>();
  out->tree = gl::repo::open_memory_tree(files);
  gl::render::Context ctx(*out->tree, out->sources, 1 << 20, {});
  for (const auto& path : app_files) {
    auto loaded = ctx.yaml(path);
    REQUIRE(loaded->errors.empty());
    for (const auto& doc : loaded->documents) {
      if (auto obj = gl::k8s::make_object(doc)) out->found.push_back(std::move(*obj));
    }
  }
  std::vector<const gl::k8s::Object*> found;
  for (const auto& o : out->found) found.push_back(&o);
  auto remotes = setup.remotes;
  out->repos = std::make_unique<gl::render::argocd::RepoMatcher>([remotes] { return remotes; }, setup.aliases,
                                                                  setup.external, setup.strict);
  gl::render::argocd::ExpandOptions options;
  options.repos = out->repos.get();
  out->ex = gl::render::argocd::expand(ctx, found, options);
  return out;
}

const char* const kRepo = "https://github.com/example/gitops.git";

std::string app_yaml(std::string_view name, std::string_view path, std::string_view extra_source = "",
                     std::string_view ns = "shop", std::string_view wave = "") {
  std::string out = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: " + std::string(name) +
                    "\n  namespace: argocd\n";
  if (!wave.empty()) out += "  annotations:\n    argocd.argoproj.io/sync-wave: \"" + std::string(wave) + "\"\n";
  out += "spec:\n  project: default\n  source:\n    repoURL: " + std::string(kRepo) + "\n    path: " +
         std::string(path) + "\n" + std::string(extra_source) +
         "  destination:\n    server: https://kubernetes.default.svc\n    namespace: " + std::string(ns) + "\n";
  return out;
}

const char* const kConfigMap = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
)";

const char* const kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.25
)";

}  // namespace

TEST_CASE("app of apps: roots, chains, waves and destination namespaces", "[argocd][expand]") {
  const Files files = {
      {"root.yaml", app_yaml("root", "apps", "", "argocd", "-1")},
      {"apps/web.yaml", app_yaml("web", "web", "", "shop", "5")},
      {"apps/data.yaml", app_yaml("data", "data", "", "db", "1")},
      {"web/deployment.yaml", kDeployment},
      {"data/configmap.yaml", kConfigMap},
  };
  auto e = expand(files, {"root.yaml", "apps/web.yaml", "apps/data.yaml"}, with_remote(kRepo));
  CHECK(e->errors().empty());
  REQUIRE(e->ex.apps.size() == 3);
  // Roots first, then children depth first in the parent's output order (files in path order).
  CHECK(e->ex.apps[0].name == "root");
  CHECK(e->ex.apps[1].name == "data");
  CHECK(e->ex.apps[2].name == "web");
  REQUIRE(e->ex.roots.size() == 1);
  CHECK(e->ex.roots[0]->name == "root");
  const auto* web = e->app("web");
  CHECK(web->parent == "root");
  CHECK(web->chain == std::vector<std::string>{"root", "web"});
  CHECK(web->waves == std::vector<int64_t>{-1, 5});
  CHECK(web->status == "rendered");
  CHECK(web->objects == 1);
  CHECK(web->sources == std::vector<std::string>{"web (https://github.com/example/gitops.git) [Directory]"});
  const auto* deployment = e->object("Deployment", "web");
  REQUIRE(deployment != nullptr);
  CHECK(deployment->app_chain == std::vector<std::string>{"root", "web"});
  CHECK(deployment->name_space == "shop");  // the destination namespace, as Argo CD applies it
  CHECK(e->object("ConfigMap", "settings")->name_space == "db");
  // The child Application objects are deployed by the root (into argocd, their own namespace).
  const auto* child = e->object("Application", "web");
  REQUIRE(child != nullptr);
  CHECK(child->app_chain == std::vector<std::string>{"root"});
  CHECK(child->name_space == "argocd");
  CHECK(e->ex.covered.count("web/deployment.yaml") == 1);
  CHECK(e->ex.covered.count("apps/web.yaml") == 1);
}

TEST_CASE("directory sources: recurse, include, exclude, skip marker, lists and kustomization files",
          "[argocd][expand]") {
  const std::string directory = "    directory:\n      recurse: true\n      exclude: '{*-test.yaml,old/*}'\n";
  const Files files = {
      {"app.yaml", app_yaml("web", "web", directory)},
      {"web/a.yaml", kConfigMap},
      {"web/a-test.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\n"},
      {"web/old/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n"},
      {"web/sub/c.yml", "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: s1\n"},
      {"web/sub/d.json", R"({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "sa"}})"},
      {"web/sub/skip.yaml", "# +argocd:skip-file-rendering\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: skipped\n"},
      {"web/sub/notes.txt", "not yaml"},
      {"web/kust/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n"},
  };
  auto e = expand(files, {"app.yaml"}, with_remote(kRepo));
  CHECK(e->object("ConfigMap", "settings") != nullptr);
  CHECK(e->object("ConfigMap", "test") == nullptr);
  CHECK(e->object("ConfigMap", "old") == nullptr);
  CHECK(e->object("Secret", "s1") != nullptr);
  CHECK(e->object("ServiceAccount", "sa") != nullptr);
  CHECK(e->object("ConfigMap", "skipped") == nullptr);
  CHECK(e->errors() ==
        "web/kust/kustomization.yaml:2: [render-error] directory source applies `web/kust/kustomization.yaml` as an "
        "object of kind Kustomization: Argo CD does not run kustomize for a directory application\n");
  CHECK(e->app("web")->status == "error");

  SECTION("without recurse only the top directory is read") {
    auto flat = expand({{"app.yaml", app_yaml("web", "web")}, {"web/a.yaml", kConfigMap}, {"web/sub/c.yaml", kConfigMap}},
                       {"app.yaml"}, with_remote(kRepo));
    CHECK(flat->ex.objects.size() == 1);
    CHECK(flat->errors().empty());
  }
  SECTION("a document that is not an object fails the application") {
    auto bad = expand({{"app.yaml", app_yaml("web", "web")}, {"web/a.yaml", "name: x\nreplicas: 2\n"}}, {"app.yaml"},
                      with_remote(kRepo));
    CHECK(bad->errors() == "web/a.yaml:1: [render-error] `a.yaml`: Object 'Kind' is missing\n");
  }
}

TEST_CASE("directory include/exclude patterns match like Argo CD's globs", "[argocd][expand]") {
  using gl::render::argocd::directory_glob_match;
  CHECK(directory_glob_match("*.yaml", "a.yaml"));
  CHECK(directory_glob_match("*.yaml", "sub/a.yaml"));  // no separators: `*` crosses directories
  CHECK(directory_glob_match("{a,b}.yaml", "b.yaml"));
  CHECK_FALSE(directory_glob_match("{a,b}.yaml", "c.yaml"));
  CHECK(directory_glob_match("config/[a-c]?.json", "config/b1.json"));
  CHECK_FALSE(directory_glob_match("config/[!a-c]?.json", "config/b1.json"));
  CHECK(directory_glob_match("{x/{y,z},w}/*", "x/z/file.yaml"));
  CHECK_FALSE(directory_glob_match("*.yml", "a.yaml"));
}

TEST_CASE("kustomize sources take the application's overrides", "[argocd][expand]") {
  const std::string kustomize = R"(    kustomize:
      namePrefix: prod-
      images:
        - nginx=registry.example.com/nginx:1.27
      commonLabels:
        team: web
      replicas:
        - name: web
          count: 3
)";
  const Files files = {
      {"app.yaml", app_yaml("web", "overlay", kustomize)},
      {"overlay/kustomization.yaml", "resources:\n  - deployment.yaml\n"},
      {"overlay/deployment.yaml", kDeployment},
  };
  auto e = expand(files, {"app.yaml"}, with_remote(kRepo));
  CHECK(e->errors().empty());
  const auto* d = e->object("Deployment", "prod-web");
  REQUIRE(d != nullptr);
  CHECK(d->root.at({"spec", "template", "spec", "containers"})->items()[0].get("image")->str() ==
        "registry.example.com/nginx:1.27");
  CHECK(d->root.at({"spec", "replicas"})->str() == "3");
  CHECK(d->labels.at("team") == "web");
  CHECK(d->root.at({"spec", "selector", "matchLabels", "team"})->str() == "web");
  // Provenance: the image came from the Application's line.
  const auto* image = d->root.at({"spec", "template", "spec", "containers"})->items()[0].get("image");
  CHECK(image->file->path() == "app.yaml");
  CHECK(image->begin.line == 14);
  CHECK(e->app("web")->sources == std::vector<std::string>{"overlay (https://github.com/example/gitops.git) [Kustomize]"});
  CHECK(e->ex.covered.count("overlay") == 1);
}

TEST_CASE("helm sources: value files, inline values with provenance, parameters", "[argocd][expand]") {
  const std::string helm = R"(    helm:
      releaseName: api
      valueFiles:
        - values-prod.yaml
      values: |
        replicas: 4
        name: from-inline
      parameters:
        - name: tag
          value: "1.2,3"
          forceString: true
)";
  const Files files = {
      {"app.yaml", app_yaml("web", "chart", helm)},
      {"chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n"},
      {"chart/values.yaml", "replicas: 1\nname: default\ntag: latest\nenv: dev\n"},
      {"chart/values-prod.yaml", "env: prod\nreplicas: 2\n"},
      {"chart/templates/cm.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-{{ .Values.name }}
  namespace: {{ .Release.Namespace }}
data:
  replicas: {{ .Values.replicas | quote }}
  env: {{ .Values.env }}
  tag: {{ .Values.tag | quote }}
  count: {{ .Values.replicas }}
)"},
  };
  auto e = expand(files, {"app.yaml"}, with_remote(kRepo));
  CHECK(e->errors().empty());
  const auto* cm = e->object("ConfigMap", "api-from-inline");
  REQUIRE(cm != nullptr);
  CHECK(cm->name_space == "shop");
  CHECK(cm->root.at({"data", "env"})->str() == "prod");
  CHECK(cm->root.at({"data", "tag"})->str() == "1.2,3");
  CHECK(cm->root.at({"data", "replicas"})->str() == "4");
  const auto* count = cm->root.at({"data", "count"});
  CHECK(count->str() == "4");
  // The value came from the Application's inline values block: line 16, column 19 of app.yaml.
  CHECK(count->file->path() == "app.yaml");
  CHECK(count->begin.line == 16);
  CHECK(count->begin.column == 19);
  const auto* env = cm->root.at({"data", "env"});
  CHECK(env->file->path() == "chart/values-prod.yaml");
  CHECK(e->app("web")->sources == std::vector<std::string>{"chart (https://github.com/example/gitops.git) [Helm]"});
}

TEST_CASE("multi-source applications read $ref value files", "[argocd][expand]") {
  const std::string app = std::string(R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: default
  sources:
    - repoURL: https://github.com/example/gitops.git
      path: chart
      helm:
        valueFiles:
          - $values/env/prod.yaml
          - $values/env/missing.yaml
    - repoURL: git@github.com:Example/GitOps.git
      targetRevision: main
      ref: values
  destination:
    server: https://kubernetes.default.svc
    namespace: shop
)");
  const Files files = {
      {"app.yaml", app},
      {"chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n"},
      {"chart/values.yaml", "env: dev\n"},
      {"chart/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  env: {{ .Values.env }}\n"},
      {"env/prod.yaml", "env: prod\n"},
  };
  auto e = expand(files, {"app.yaml"}, with_remote(kRepo));
  CHECK(e->errors() ==
        "app.yaml:14: [app-source-missing] value file `env/missing.yaml` does not exist at the revision being checked\n");
  REQUIRE(e->object("ConfigMap", "cm") != nullptr);
  CHECK(e->object("ConfigMap", "cm")->root.at({"data", "env"})->str() == "prod");
  CHECK(e->app("web")->sources.size() == 2);
  CHECK(e->app("web")->sources[1] == "ref values (git@github.com:Example/GitOps.git)");
}

TEST_CASE("repository matching: remotes, aliases, external URLs, fallback and strict mode", "[argocd][expand]") {
  const Files files = {
      {"app.yaml", app_yaml("web", "web")},
      {"web/a.yaml", kConfigMap},
  };
  SECTION("a remote of this checkout, in another URL form") {
    auto e = expand(files, {"app.yaml"}, with_remote("git@github.com:example/gitops"));
    CHECK(e->app("web")->status == "rendered");
    CHECK(e->ex.notes.empty());
  }
  SECTION("an alias from the config") {
    auto e = expand(files, {"app.yaml"}, with_remote("https://github.com/other/repo", {"https://github.com/Example/gitops"}));
    CHECK(e->app("web")->status == "rendered");
    CHECK(e->ex.notes.empty());
  }
  SECTION("unknown URL whose path exists: rendered from this tree, with a note") {
    auto e = expand(files, {"app.yaml"}, with_remote("https://github.com/other/repo"));
    CHECK(e->app("web")->status == "rendered");
    REQUIRE(e->ex.notes.size() == 1);
    CHECK(e->ex.notes[0].starts_with("repoURL `https://github.com/example/gitops.git` is not a remote of this checkout "
                                     "(remotes: github.com/other/repo)"));
  }
  SECTION("strict mode and external URLs are not rendered") {
    auto strict = expand(files, {"app.yaml"}, Setup{{}, {}, {}, true});
    CHECK(strict->app("web")->status == "external");
    CHECK(strict->ex.objects.empty());
    auto external = expand(files, {"app.yaml"}, Setup{{}, {}, {kRepo}, false});
    CHECK(external->app("web")->status == "external");
  }
  SECTION("unknown URL: a missing path is reported once another path under it exists") {
    Files more = files;
    more.emplace_back("b.yaml", app_yaml("gone", "renamed"));
    auto e = expand(more, {"app.yaml", "b.yaml"});
    CHECK(e->app("gone")->status == "error");
    CHECK(e->errors() ==
          "b.yaml:10: [app-source-missing] source path `renamed` does not exist at the revision being checked\n");
  }
}

TEST_CASE("app-of-apps cycles are reported, not followed", "[argocd][expand]") {
  const Files files = {
      {"a/app.yaml", app_yaml("a", "b", "", "argocd")},
      {"b/app.yaml", app_yaml("b", "a", "", "argocd")},
  };
  auto e = expand(files, {"a/app.yaml", "b/app.yaml"}, with_remote(kRepo));
  CHECK(e->ex.roots.empty());
  REQUIRE(e->ex.apps.size() == 2);
  CHECK(e->errors() == "a/app.yaml:4: [render-error] app-of-apps cycle: `a` deploys itself through a -> b\n");
}

TEST_CASE("roots that deploy the same objects are environments", "[argocd][expand]") {
  const Files files = {
      {"clusters/dev/root.yaml", app_yaml("root", "envs/dev", "", "argocd")},
      {"clusters/prod/root.yaml", app_yaml("root", "envs/prod", "", "argocd")},
      {"envs/dev/web.yaml", app_yaml("dev-web", "web", "", "shop")},
      {"envs/prod/web.yaml", app_yaml("prod-web", "web", "", "shop")},
      {"web/a.yaml", kConfigMap},
  };
  auto e = expand(files, {"clusters/dev/root.yaml", "clusters/prod/root.yaml"}, with_remote(kRepo));
  CHECK(e->errors().empty());
  std::vector<std::string> scopes;
  for (const auto& o : e->ex.objects) {
    if (o.kind == "ConfigMap") scopes.push_back(o.scope);
  }
  CHECK(scopes == std::vector<std::string>{"dev", "prod"});
  REQUIRE(e->ex.notes.size() == 2);
  CHECK(e->ex.notes[1] ==
        "2 root applications (deployed by no other application, so applied by hand): root (clusters/dev/root.yaml), "
        "root (clusters/prod/root.yaml); a root that is not applied is a leftover and its objects are checked as if it "
        "were");
  CHECK(e->ex.notes[0] ==
        "root applications in `clusters/dev`, `clusters/prod` deploy objects with the same kind, namespace and name: "
        "each directory is checked as its own cluster (environment `dev`, `prod`)");

  SECTION("roots in one directory are one environment: what both deploy is a duplicate, not an environment") {
    auto same = expand({{"apps.yaml", app_yaml("dev-web", "web") + "---\n" + app_yaml("prod-web", "web")},
                        {"web/a.yaml", kConfigMap}},
                       {"apps.yaml"}, with_remote(kRepo));
    for (const auto& o : same->ex.objects) CHECK(o.scope.empty());
    CHECK(same->ex.objects.size() == 2);
  }
}

TEST_CASE("an application with an unparseable source reports and goes on", "[argocd][expand]") {
  const std::string both = "    helm:\n      releaseName: x\n    directory:\n      recurse: true\n";
  const Files files = {
      {"app.yaml", app_yaml("web", "web", both)},
      {"nosrc.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: empty\nspec:\n  project: x\n"},
      {"web/a.yaml", kConfigMap},
  };
  auto e = expand(files, {"app.yaml", "nosrc.yaml"}, with_remote(kRepo));
  CHECK(e->errors() ==
        "app.yaml:13: [render-error] multiple application sources defined: Helm,Directory\n"
        "nosrc.yaml:5: [render-error] Application `empty` has no source\n");
  CHECK(e->app("empty")->status == "error");
}

TEST_CASE("applications deploying to other clusters are checked as those clusters", "[argocd][expand]") {
  std::string to_a = app_yaml("web-a", "web");
  std::string to_b = app_yaml("web-b", "web");
  to_a.replace(to_a.find("https://kubernetes.default.svc"), 30, "https://a.example.com");
  to_b.replace(to_b.find("server: https://kubernetes.default.svc"), 38, "name: cluster-b");
  const Files files = {
      {"apps.yaml", to_a + "---\n" + to_b + "---\n" + app_yaml("web-local", "web", "", "local")},
      {"web/a.yaml", kConfigMap},
  };
  auto e = expand(files, {"apps.yaml"}, with_remote(kRepo));
  CHECK(e->errors().empty());
  std::vector<std::string> scopes;
  for (const auto& o : e->ex.objects) scopes.push_back(o.scope);
  CHECK(scopes == std::vector<std::string>{"https://a.example.com", "cluster-b", ""});
}
