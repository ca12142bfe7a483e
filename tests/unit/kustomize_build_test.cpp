// Tests for src/render/kustomize: whole builds on in-memory trees. Expected outputs were produced by
// `kubectl kustomize` (kustomize v5.5) on the same files.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "render/kustomize/kustomize.h"
#include "render/render.h"
#include "repo/file_tree.h"

namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

struct Built {
  gl::SourceSet sources;
  gl::render::kustomize::BuildResult result;
  std::string yaml;
};

std::unique_ptr<Built> build(const Files& files, const std::string& dir) {
  auto out = std::make_unique<Built>();
  auto tree = gl::repo::open_memory_tree(files);
  gl::render::Context ctx(*tree, out->sources, 1 << 20, {});
  out->result = gl::render::kustomize::build(ctx, dir);
  std::vector<const gl::render::MNode*> docs;
  for (const auto& o : out->result.objects) docs.push_back(&o);
  out->yaml = gl::render::to_yaml(docs);
  return out;
}

std::string errors_of(const Built& b) {
  std::string out;
  for (const auto& e : b.result.errors) {
    out += (e.at.file != nullptr ? e.at.file->path() : std::string("?")) + ":" + std::to_string(e.at.begin.line) +
           ": " + e.message + "\n";
  }
  return out;
}

const gl::render::MNode* find(const Built& b, std::string_view kind, std::string_view name) {
  for (const auto& o : b.result.objects) {
    if (o.get("kind")->str() == kind && o.at({"metadata", "name"})->str() == name) return &o;
  }
  return nullptr;
}

const Files kWebBase = {
    {"base/kustomization.yaml", "resources:\n  - deployment.yaml\n  - service.yaml\n"},
    {"base/deployment.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: nginx:1.25
          envFrom:
            - configMapRef:
                name: settings
        - name: sidecar
          image: registry.example.com/tools/proxy@sha256:abc
)"},
    {"base/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n"},
};

Files with(Files base, const Files& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

}  // namespace

TEST_CASE("kustomize: namespace, prefix, labels, annotations, images, replicas and order", "[kustomize][build]") {
  const Files files = with(kWebBase, {{"dev/kustomization.yaml", R"(namespace: shop-dev
namePrefix: dev-
commonLabels:
  env: dev
labels:
  - pairs:
      team: shop
commonAnnotations:
  owner: "42"
images:
  - name: nginx
    newName: registry.example.com/nginx
    newTag: "1.27"
  - name: registry.example.com/tools/proxy
    newTag: v2
replicas:
  - name: web
    count: 3
resources:
  - ../base
  - ns.yaml
)"},
                                      {"dev/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: whatever\n"}});
  auto b = build(files, "dev");
  INFO(errors_of(*b));
  REQUIRE(b->result.ok());
  CHECK(b->yaml == R"(apiVersion: v1
kind: Namespace
metadata:
  annotations:
    owner: "42"
  labels:
    env: dev
    team: shop
  name: shop-dev
---
apiVersion: v1
kind: Service
metadata:
  annotations:
    owner: "42"
  labels:
    env: dev
    team: shop
  name: dev-web
  namespace: shop-dev
spec:
  ports:
  - port: 80
  selector:
    env: dev
---
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    owner: "42"
  labels:
    env: dev
    team: shop
  name: dev-web
  namespace: shop-dev
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
      env: dev
  template:
    metadata:
      annotations:
        owner: "42"
      labels:
        app: web
        env: dev
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: settings
        image: registry.example.com/nginx:1.27
        name: web
      - image: registry.example.com/tools/proxy:v2
        name: sidecar
      serviceAccountName: web
)");
  CHECK(b->result.kustomizations == std::set<std::string>{"base", "dev"});
  CHECK(b->result.files.count("base/deployment.yaml") == 1);

  // Provenance: the image points at the `newTag` line of the overlay, the name at the prefix line, the
  // untouched container name at the base file.
  const auto* dep = find(*b, "Deployment", "dev-web");
  REQUIRE(dep != nullptr);
  const auto& c0 = dep->at({"spec", "template", "spec", "containers"})->items[0];
  CHECK(c0.get("image")->span.file->path() == "dev/kustomization.yaml");
  CHECK(c0.get("image")->span.begin.line == 13);
  CHECK(c0.get("name")->span.file->path() == "base/deployment.yaml");
  CHECK(c0.get("name")->span.begin.line == 16);
  CHECK(dep->at({"metadata", "name"})->span.begin.line == 2);
  CHECK(dep->at({"spec", "replicas"})->span.begin.line == 18);
  CHECK(dep->at({"metadata", "namespace"})->span.begin.line == 1);
}

TEST_CASE("kustomize: patches by file, inline JSON 6902 with target, and their provenance", "[kustomize][build]") {
  const Files files = with(kWebBase, {{"prod/kustomization.yaml", R"(resources:
  - ../base
patches:
  - path: resources.yaml
  - target:
      kind: Deployment
      name: w.b
    patch: |-
      - op: replace
        path: /spec/template/spec/containers/0/image
        value: nginx:1.27-alpine
)"},
                                       {"prod/resources.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          resources:
            requests:
              memory: 256Mi
)"}});
  auto b = build(files, "prod");
  INFO(errors_of(*b));
  REQUIRE(b->result.ok());
  const auto* dep = find(*b, "Deployment", "web");
  REQUIRE(dep != nullptr);
  const auto& c0 = dep->at({"spec", "template", "spec", "containers"})->items[0];
  CHECK(c0.get("image")->str() == "nginx:1.27-alpine");
  // The inline patch's value line, inside the block scalar of the kustomization.
  CHECK(c0.get("image")->span.file->path() == "prod/kustomization.yaml");
  CHECK(c0.get("image")->span.begin.line == 11);
  CHECK(c0.get("image")->span.begin.column == 16);
  const auto* mem = c0.at({"resources", "requests", "memory"});
  REQUIRE(mem != nullptr);
  CHECK(mem->span.file->path() == "prod/resources.yaml");
  CHECK(mem->span.begin.line == 12);
  // The second container is untouched.
  CHECK(dep->at({"spec", "template", "spec", "containers"})->items.size() == 2);
  CHECK(b->result.files.count("prod/resources.yaml") == 1);
}

TEST_CASE("kustomize: errors kustomize raises, at the kustomization line", "[kustomize][build][errors]") {
  SECTION("missing resource") {
    auto b = build({{"app/kustomization.yaml", "resources:\n  - deployment.yaml\n  - ../gone\n"},
                    {"app/deployment.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"}},
                   "app");
    CHECK(errors_of(*b) == "app/kustomization.yaml:3: `../gone` does not exist\n");
    CHECK(b->result.objects.empty());
  }
  SECTION("a patch that matches nothing") {
    auto b = build(with(kWebBase, {{"o/kustomization.yaml", "resources:\n  - ../base\npatches:\n  - path: p.yaml\n"},
                                   {"o/p.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n"}}),
                   "o");
    CHECK(errors_of(*b) ==
          "o/kustomization.yaml:4: no resource matches strategic merge patch Deployment.v1.apps/api.[noNs]\n");
  }
  SECTION("cycle") {
    auto b = build({{"a/kustomization.yaml", "resources:\n  - ../b\n"}, {"b/kustomization.yaml", "resources:\n  - ../a\n"}},
                   "a");
    REQUIRE(b->result.errors.size() == 1);
    CHECK(b->result.errors[0].message.starts_with("cycle detected"));
    CHECK(b->result.errors[0].at.file->path() == "b/kustomization.yaml");
  }
  SECTION("duplicate ids") {
    auto b = build({{"a/kustomization.yaml", "resources:\n  - x.yaml\n  - y.yaml\n"},
                    {"a/x.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"},
                    {"a/y.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"}},
                   "a");
    CHECK(errors_of(*b) ==
          "a/kustomization.yaml:3: may not add resource with an already registered id: ConfigMap.v1.[noGrp]/c.[noNs]\n");
  }
  SECTION("file outside the kustomization root, path outside the repository, remote URL, unknown field") {
    auto b = build({{"a/kustomization.yaml",
                     "resources:\n  - ../shared.yaml\n  - ../../../etc/passwd\n  - https://example.com/x.yaml\n"},
                    {"shared.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n"}},
                   "a");
    const auto errs = errors_of(*b);
    CHECK(errs.find("a/kustomization.yaml:2: security: file `shared.yaml` is not in or below") != std::string::npos);
    CHECK(errs.find("a/kustomization.yaml:3: `../../../etc/passwd` is outside the repository") != std::string::npos);
    CHECK(errs.find("a/kustomization.yaml:4: remote resource `https://example.com/x.yaml` is not fetched") !=
          std::string::npos);
    auto u = build({{"a/kustomization.yaml", "resourcs:\n  - x.yaml\n"}}, "a");
    CHECK(errors_of(*u) == "a/kustomization.yaml:1: invalid Kustomization: unknown field `resourcs`\n");
    CHECK(u->result.errors[0].help == "did you mean `resources`?");
  }
}

TEST_CASE("kustomize: a remote URL into the repository being checked is read locally", "[kustomize][build]") {
  auto tree = gl::repo::open_memory_tree(
      {{"a/kustomization.yaml", "resources:\n  - https://github.com/acme/gitops//shared?ref=main\n"},
       {"shared/kustomization.yaml", "resources:\n  - cm.yaml\n"},
       {"shared/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n"}});
  gl::SourceSet sources;
  gl::render::Context ctx(*tree, sources, 1 << 20, {});
  gl::render::kustomize::BuildOptions options;
  options.repo_urls = [] { return std::vector<std::string>{"git@github.com:acme/gitops.git"}; };
  auto r = gl::render::kustomize::build(ctx, "a", options);
  REQUIRE(r.ok());
  REQUIRE(r.objects.size() == 1);
  CHECK(r.objects[0].at({"metadata", "name"})->str() == "s");
}

TEST_CASE("kustomize: helmCharts are rendered natively, values inline and from files", "[kustomize][build][helm]") {
  const Files chart = {
      {"app/charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n"},
      {"app/charts/web/values.yaml", "replicas: 1\nimage: nginx:1.25\nport: 80\n"},
      {"app/charts/web/templates/deploy.yaml",
       "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\n"
       "spec:\n  replicas: {{ .Values.replicas }}\n  template:\n    spec:\n      containers:\n        - name: web\n"
       "          image: {{ .Values.image }}\n"},
      {"app/charts/web/crds/crd.yaml",
       "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n"},
      {"app/prod.yaml", "image: nginx:1.27\n"},
  };
  Files files = chart;
  files.emplace_back("app/kustomization.yaml", R"(namespace: shop
helmCharts:
  - name: web
    releaseName: api
    includeCRDs: true
    additionalValuesFiles: [prod.yaml]
    valuesInline:
      replicas: 3
)");
  auto b = build(files, "app");
  INFO(errors_of(*b));
  REQUIRE(b->result.ok());
  const auto* dep = find(*b, "Deployment", "api");
  REQUIRE(dep != nullptr);
  CHECK(dep->at({"spec", "replicas"})->str() == "3");
  // The inline value points at the kustomization line that set it.
  CHECK(dep->at({"spec", "replicas"})->span.file->path() == "app/kustomization.yaml");
  CHECK(dep->at({"spec", "replicas"})->span.begin.line == 8);
  const auto& image = *dep->at({"spec", "template", "spec", "containers"})->items[0].get("image");
  CHECK(image.str() == "nginx:1.27");
  CHECK(image.span.file->path() == "app/prod.yaml");
  CHECK(dep->at({"metadata", "namespace"})->str() == "shop");
  CHECK(find(*b, "CustomResourceDefinition", "widgets.example.com") != nullptr);

  // valuesMerge: merge keeps the values file over the inline values.
  Files merged = chart;
  merged.emplace_back("app/kustomization.yaml",
                      "helmCharts:\n  - name: web\n    valuesMerge: merge\n    valuesInline:\n      replicas: 3\n");
  auto m = build(merged, "app");
  REQUIRE(m->result.ok());
  CHECK(find(*m, "Deployment", "release-name")->at({"spec", "replicas"})->str() == "1");

  // A chart that is not vendored is a render error at its entry.
  auto missing = build({{"app/kustomization.yaml",
                         "helmCharts:\n  - name: redis\n    repo: https://charts.example.com\n    version: 1.2.3\n"}},
                       "app");
  CHECK(errors_of(*missing) ==
        "app/kustomization.yaml:2: chart `redis` is not in `app/charts/redis-1.2.3/redis`: gitops-lint does not pull "
        "charts (from https://charts.example.com)\n");
}
