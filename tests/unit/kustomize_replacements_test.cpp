// Tests for kustomize replacements and vars (src/render/kustomize/{replacements,vars,fieldpath}).
// Every expected output was produced by `kubectl kustomize` (kustomize v5.5.0) on the same files.
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "render/kustomize/fieldpath.h"
#include "render/kustomize/replacements.h"
#include "render/kustomize/resource.h"
#include "render/kustomize/vars.h"
#include "render/render.h"
#include "render/tree.h"
#include "repo/file_tree.h"
#include "yaml/parser.h"

namespace {

namespace kz = gl::render::kustomize;
using gl::render::MNode;
using Files = std::vector<std::pair<std::string, std::string>>;

/// Resources of `res` (every document of the file) and the kustomization of `dir`, read from memory.
struct Fixture {
  gl::SourceSet sources;
  std::unique_ptr<gl::repo::FileTree> tree;
  std::unique_ptr<gl::render::Context> ctx;
  std::vector<kz::Resource> resources;
  MNode kustomization;
  std::vector<gl::render::RenderError> errors;
  std::string dir;

  Fixture(const Files& files, const std::string& res, const std::string& kust_dir) : dir(kust_dir) {
    tree = gl::repo::open_memory_tree(files);
    ctx = std::make_unique<gl::render::Context>(*tree, sources, 1 << 20, gl::yaml::ParseLimits{});
    auto loaded = ctx->yaml(res);
    REQUIRE(loaded->errors.empty());
    for (const auto& d : loaded->documents) {
      kz::Resource r;
      r.root = MNode::from(d.root);
      r.origin = d.root.span();
      resources.push_back(std::move(r));
    }
    auto k = ctx->yaml(dir + "/kustomization.yaml");
    REQUIRE(k->errors.empty());
    REQUIRE(!k->documents.empty());
    kustomization = MNode::from(k->documents.front().root);
  }

  std::string replace() {
    const MNode* list = kustomization.get("replacements");
    REQUIRE(list != nullptr);
    kz::apply_replacements(resources, *list, kz::FileLoader{*ctx, dir}, errors);
    return yaml();
  }

  std::string vars(const std::vector<MNode>& extra = {}) {
    std::vector<MNode> all = extra;
    if (const MNode* v = kustomization.get("vars")) {
      for (const auto& item : v->items) all.push_back(item);
    }
    kz::resolve_vars(resources, all, errors);
    return yaml();
  }

  /// The resources as JSON documents (keys sorted, scalars typed), one a line.
  std::string json() const {
    std::string out;
    for (const auto& r : resources) out += gl::render::to_json(r.root) + "\n";
    return out;
  }

  std::string yaml() const {
    std::vector<const MNode*> docs;
    for (const auto& r : resources) docs.push_back(&r.root);
    return gl::render::to_yaml(docs);
  }

  /// "line: message" for each error.
  std::string error_lines() const {
    std::string out;
    for (const auto& e : errors) out += std::to_string(e.at.begin.line) + ": " + e.message + "\n";
    return out;
  }
};

const Files kR1Files = {
    {"app/res.yaml", R"y(apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  host: db.example.com:5432
  image: nginx:1.25
  port: "8080"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: busybox:1.0
        env:
        - name: DB_HOST
          value: placeholder
        - name: DB_PORT
          value: "1"
        args: ["--port", "x"]
      - name: app-sidecar
        image: envoy:1.0
        env:
        - name: DB_HOST
          value: other
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  labels:
    app: worker
spec:
  template:
    spec:
      containers:
      - name: app
        image: busybox:1.0
        env:
        - name: DB_HOST
          value: placeholder
)y"},
    {"app/kustomization.yaml", R"y(resources:
- res.yaml
replacements:
- source:
    kind: ConfigMap
    name: cfg
    fieldPath: data.host
    options:
      delimiter: ":"
  targets:
  - select:
      kind: Deployment
    fieldPaths:
    - spec.template.spec.containers.[name=app].env.[name=DB_HOST].value
  - select:
      name: web
    fieldPaths:
    - metadata.annotations.[db.host/name]
    - spec.template.spec.containers.*.env.[name=NEW].value
    options:
      create: true
- path: repl-one.yaml
- path: repl-list.yaml
- source:
    kind: ConfigMap
    fieldPath: data.port
  targets:
  - select:
      kind: Deployment
      name: worker
    fieldPaths:
    - spec.replicas
    - metadata.labels.app
    options:
      create: true
      delimiter: "-"
      index: -1
)y"},
    {"app/repl-one.yaml", R"y(source:
  kind: ConfigMap
  name: cfg
  fieldPath: data.port
targets:
- select:
    kind: Deployment
    name: web
  fieldPaths:
  - spec.template.spec.containers.[name=app].args.1
)y"},
    {"app/repl-list.yaml", R"y(- source:
    kind: ConfigMap
    fieldPath: data.image
    options:
      delimiter: ":"
      index: 1
  targets:
  - select:
      kind: Deployment
    reject:
    - name: worker
    fieldPaths:
    - spec.template.spec.containers.0.image
    options:
      delimiter: ":"
      index: 1
)y"},
};

const Files kR2Files = {
    {"app/res.yaml", R"y(apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  host: db.example.com
  num: "3"
  obj: x
  flag: "true"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: nums
data:
  list: [a, b]
  n: 5
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  paused: false
  template:
    metadata:
      labels:
        a: x
    spec:
      containers:
      - name: app
        image: busybox
        args: [x, "y"]
        env:
        - name: A
          value: placeholder
        - name: B
          value: "1"
)y"},
    {"app/kustomization.yaml", R"y(resources:
- res.yaml
replacements:
- source: {kind: ConfigMap, name: cfg, fieldPath: data.num}
  targets:
  - select: {kind: Deployment}
    fieldPaths:
    - spec.replicas
    - spec.template.spec.containers.0.env.[name=A].value
- source: {kind: ConfigMap, name: nums, fieldPath: data.n}
  targets:
  - select: {kind: Deployment}
    fieldPaths:
    - spec.template.spec.containers.0.env.[name=B].value
    - spec.template.spec.containers.0.args.1
- source: {kind: ConfigMap, name: cfg, fieldPath: data.flag}
  targets:
  - select: {kind: Deployment}
    fieldPaths:
    - spec.paused
- source: {kind: ConfigMap, name: nums, fieldPath: data.list}
  targets:
  - select: {kind: Deployment}
    fieldPaths:
    - spec.template.spec.containers.0.command
    - spec.template.metadata.labels
    options: {create: true}
- source: {kind: ConfigMap, name: nums, fieldPath: data.n}
  targets:
  - select: {kind: Deployment}
    fieldPaths:
    - spec.template.spec.containers.0.ports.0.containerPort
    - spec.template.spec.containers.[name=side].image
    - spec.template.spec.containers.0.args.[=x]
    options: {create: true}
)y"},
};

const Files kP1Files = {
    {"base/res.yaml", R"y(apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports:
  - port: 5432
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1
        env:
        - name: DB
          value: x
)y"},
    {"overlay/kustomization.yaml", R"y(namePrefix: p-
namespace: ns1
resources:
- ../base
replacements:
- source:
    kind: Service
    name: db
  targets:
  - select:
      name: web
      namespace: ns1
    fieldPaths:
    - spec.template.spec.containers.[name=app].env.[name=DB].value
- source:
    kind: Service
    name: p-db
    fieldPath: metadata.namespace
  targets:
  - select:
      kind: Deployment
      name: p-web
    fieldPaths:
    - spec.template.metadata.annotations.ns
    options:
      create: true
)y"},
};

const Files kV2Files = {
    {"app/res.yaml", R"y(apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports:
  - port: 5432
    targetPort: $(DB_PORT)
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    svc: $(DB_SVC)
  labels:
    x: $(DB_SVC)
spec:
  replicas: 2
  template:
    metadata:
      annotations:
        a: "$(DB_SVC)-$(UNKNOWN)"
    spec:
      initContainers:
      - name: init
        command: ["wait-for", "$(DB_SVC):$(DB_PORT)"]
      containers:
      - name: app
        image: app:$(DB_SVC)
        command: ["run", "$$(DB_SVC)", "$(DB_SVC)"]
        args:
        - --db=$(DB_SVC).$(DB_NS)
        - --port=$(DB_PORT)
        - $(REPLICAS)
        env:
        - name: DB
          value: $(DB_SVC)
        - name: PORT
          value: $(DB_PORT)
        - name: R
          value: "$(REPLICAS)"
        volumeMounts:
        - name: v
          mountPath: /data/$(DB_SVC)
---
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: other
spec:
  ports:
  - port: 1111
)y"},
};

const Files kV1Files = {
    {"base/res.yaml", R"y(apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports:
  - port: 5432
    targetPort: $(DB_PORT)
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    svc: $(DB_SVC)
  labels:
    x: $(DB_SVC)
spec:
  replicas: 2
  template:
    metadata:
      annotations:
        a: "$(DB_SVC)-$(UNKNOWN)"
    spec:
      initContainers:
      - name: init
        command: ["wait-for", "$(DB_SVC):$(DB_PORT)"]
      containers:
      - name: app
        image: app:$(DB_SVC)
        command: ["run", "$$(DB_SVC)", "$(DB_SVC)"]
        args:
        - --db=$(DB_SVC).$(DB_NS)
        - --port=$(DB_PORT)
        - $(REPLICAS)
        env:
        - name: DB
          value: $(DB_SVC)
        - name: PORT
          value: $(DB_PORT)
        - name: R
          value: "$(REPLICAS)"
        volumeMounts:
        - name: v
          mountPath: /data/$(DB_SVC)
)y"},
    {"base/kustomization.yaml", R"y(resources:
- res.yaml
vars:
- name: DB_SVC
  objref:
    kind: Service
    name: db
    apiVersion: v1
- name: DB_PORT
  objref:
    kind: Service
    name: db
    apiVersion: v1
  fieldref:
    fieldPath: spec.ports[0].port
)y"},
    {"overlay/kustomization.yaml", R"y(namePrefix: p-
namespace: ns1
resources:
- base
vars:
- name: DB_NS
  objref:
    kind: Service
    name: db
    apiVersion: v1
  fieldref:
    fieldPath: metadata.namespace
- name: REPLICAS
  objref:
    kind: Deployment
    name: web
    apiVersion: apps/v1
  fieldref:
    fieldPath: spec.replicas
)y"},
};

const char* const kV2Expected = R"y(apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports:
  - port: 5432
    targetPort: $(DB_PORT)
---
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    svc: db
  labels:
    x: db
  name: web
spec:
  replicas: 2
  template:
    metadata:
      annotations:
        a: db-$(UNKNOWN)
    spec:
      containers:
      - args:
        - --db=db.$(DB_NS)
        - --port=$(DB_PORT)
        - $(REPLICAS)
        command:
        - run
        - $(DB_SVC)
        - db
        env:
        - name: DB
          value: db
        - name: PORT
          value: $(DB_PORT)
        - name: R
          value: $(REPLICAS)
        image: app:$(DB_SVC)
        name: app
        volumeMounts:
        - mountPath: /data/db
          name: v
      initContainers:
      - command:
        - wait-for
        - db:$(DB_PORT)
        name: init
---
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: other
spec:
  ports:
  - port: 1111
)y";

const char* const kR1Expected = R"y(apiVersion: v1
data:
  host: db.example.com:5432
  image: nginx:1.25
  port: "8080"
kind: ConfigMap
metadata:
  name: cfg
---
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    db.host/name: db.example.com
  labels:
    app: web
  name: web
spec:
  template:
    spec:
      containers:
      - args:
        - --port
        - "8080"
        env:
        - name: DB_HOST
          value: db.example.com
        - name: DB_PORT
          value: "1"
        - name: NEW
          value: db.example.com
        image: busybox:1.25
        name: app
      - env:
        - name: DB_HOST
          value: db.example.com
        - name: NEW
          value: db.example.com
        image: envoy:1.0
        name: app-sidecar
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: 8080-worker
  name: worker
spec:
  replicas: 8080-
  template:
    spec:
      containers:
      - env:
        - name: DB_HOST
          value: db.example.com
        image: busybox:1.0
        name: app
)y";

const char* const kR2Expected = R"y(apiVersion: v1
data:
  flag: "true"
  host: db.example.com
  num: "3"
  obj: x
kind: ConfigMap
metadata:
  name: cfg
---
apiVersion: v1
data:
  list:
  - a
  - b
  "n": 5
kind: ConfigMap
metadata:
  name: nums
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  paused: true
  replicas: 3
  template:
    metadata:
      labels:
      - a
      - b
    spec:
      containers:
      - args:
        - "5"
        - "5"
        command:
        - a
        - b
        env:
        - name: A
          value: "3"
        - name: B
          value: "5"
        image: busybox
        name: app
        ports:
        - containerPort: 5
      - image: 5
        name: side
)y";

const char* const kP1Expected = R"y(apiVersion: v1
kind: Service
metadata:
  name: p-db
  namespace: ns1
spec:
  ports:
  - port: 5432
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: p-web
  namespace: ns1
spec:
  template:
    metadata:
      annotations:
        ns: ns1
    spec:
      containers:
      - env:
        - name: DB
          value: p-db
        image: app:1
        name: app
)y";

const char* const kV1Expected = R"y(apiVersion: v1
kind: Service
metadata:
  name: p-db
  namespace: ns1
spec:
  ports:
  - port: 5432
    targetPort: 5432
---
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    svc: p-db
  labels:
    x: p-db
  name: p-web
  namespace: ns1
spec:
  replicas: 2
  template:
    metadata:
      annotations:
        a: p-db-$(UNKNOWN)
    spec:
      containers:
      - args:
        - --db=p-db.ns1
        - --port=5432
        - 2
        command:
        - run
        - $(DB_SVC)
        - p-db
        env:
        - name: DB
          value: p-db
        - name: PORT
          value: 5432
        - name: R
          value: 2
        image: app:$(DB_SVC)
        name: app
        volumeMounts:
        - mountPath: /data/p-db
          name: v
      initContainers:
      - command:
        - wait-for
        - p-db:5432
        name: init
)y";

/// `kubectl kustomize` output as JSON documents, one a line (emitters may quote strings differently).
std::string json_of(const char* yaml_text) {
  gl::SourceFile file("expected.yaml", yaml_text);
  auto parsed = gl::yaml::parse(file);
  REQUIRE(parsed.errors.empty());
  std::string out;
  for (const auto& d : parsed.documents) out += gl::render::to_json(MNode::from(d.root)) + "\n";
  return out;
}

}  // namespace

namespace {

/// The resources of the first replacement fixture with a kustomization made of `replacements`.
std::unique_ptr<Fixture> with_replacements(const std::string& replacements) {
  Files files = {{"app/res.yaml", kR1Files[0].second},
                 {"app/kustomization.yaml", "resources:\n- res.yaml\nreplacements:\n" + replacements}};
  return std::make_unique<Fixture>(files, "app/res.yaml", "app");
}

/// The resources of the vars fixture with `vars` as the kustomization's var list.
std::unique_ptr<Fixture> with_vars(const std::string& vars) {
  Files files = {{"app/res.yaml", kV2Files[0].second},
                 {"app/kustomization.yaml", "resources:\n- res.yaml\nvars:\n" + vars}};
  return std::make_unique<Fixture>(files, "app/res.yaml", "app");
}

void rename_all(std::vector<kz::Resource>& resources, const std::string& prefix, const std::string& ns) {
  // kustomize's namespace transformer runs before the prefix one, so `web` in `ns1` is a previous id.
  for (auto& r : resources) {
    r.set_namespace(ns, r.origin);
    r.set_name(prefix + r.name(), r.origin);
  }
}

}  // namespace

TEST_CASE("replacements: delimiter, index, create, list selectors, wildcards, reject and path files",
          "[kustomize][replacements]") {
  Fixture f(kR1Files, "app/res.yaml", "app");
  f.replace();
  CHECK(f.json() == json_of(kR1Expected));
  CHECK(f.error_lines().empty());

  // Provenance: a replaced value points at the source field it was copied from.
  const MNode* web = f.resources[1].root.at({"spec", "template", "spec", "containers"});
  REQUIRE(web != nullptr);
  const MNode* db_host = web->items[0].at({"env"});
  REQUIRE(db_host != nullptr);
  CHECK(db_host->items[0].get("value")->value == "db.example.com");
  CHECK(db_host->items[0].get("value")->span.file->path() == "app/res.yaml");
  CHECK(db_host->items[0].get("value")->span.begin.line == 6);  // data.host
  const MNode* created = f.resources[1].root.at({"metadata", "annotations", "db.host/name"});
  REQUIRE(created != nullptr);
  CHECK(created->span.begin.line == 6);
  const MNode* port_arg = &web->items[0].get("args")->items[1];
  CHECK(port_arg->span.begin.line == 8);  // data.port, copied through repl-one.yaml
  // A field no replacement touched keeps its own line.
  CHECK(web->items[1].get("image")->span.begin.line == 29);
  const MNode* replicas = f.resources[2].root.at({"spec", "replicas"});
  REQUIRE(replicas != nullptr);
  CHECK(replicas->span.begin.line == 8);
}

TEST_CASE("replacements: scalar targets keep their type, created fields take the value's",
          "[kustomize][replacements]") {
  Fixture f(kR2Files, "app/res.yaml", "app");
  f.replace();
  CHECK(f.json() == json_of(kR2Expected));
  CHECK(f.error_lines().empty());
}

TEST_CASE("replacements: sources and targets are selected by current or previous ids", "[kustomize][replacements]") {
  Fixture f(kP1Files, "base/res.yaml", "overlay");
  rename_all(f.resources, "p-", "ns1");
  f.replace();
  CHECK(f.json() == json_of(kP1Expected));
  CHECK(f.error_lines().empty());
}

TEST_CASE("replacements: label selectors; a reject matches by id or by labels", "[kustomize][replacements]") {
  // kubectl: `app in (web,x)` selects web, and the reject's id part (Deployment web) drops it even though
  // its label part (app=worker) does not match: nothing is written.
  auto f = with_replacements(
      "- source: {kind: ConfigMap, fieldPath: data.port}\n  targets:\n"
      "  - select: {labelSelector: \"app in (web,x)\"}\n"
      "    reject: [{labelSelector: \"app=worker\", kind: Deployment, name: web}]\n"
      "    fieldPaths: [spec.replicas]\n    options: {create: true}\n");
  const std::string before = f->json();
  f->replace();
  CHECK(f->json() == before);
  CHECK(f->error_lines().empty());
  // kubectl: `app` (exists) selects both Deployments; rejecting `worker` leaves web with `replicas: 8080`.
  auto g = with_replacements(
      "- source: {kind: ConfigMap, fieldPath: data.port}\n  targets:\n"
      "  - select: {labelSelector: app}\n    reject: [{name: worker}]\n"
      "    fieldPaths: [spec.replicas]\n    options: {create: true}\n");
  g->replace();
  CHECK(g->error_lines().empty());
  REQUIRE(g->resources[1].root.at({"spec", "replicas"}) != nullptr);
  CHECK(gl::render::to_json(*g->resources[1].root.at({"spec", "replicas"})) == "8080");
  CHECK(g->resources[2].root.at({"spec", "replicas"}) == nullptr);
  CHECK(g->resources[0].root.at({"spec", "replicas"}) == nullptr);
}

TEST_CASE("replacements: errors kustomize reports", "[kustomize][replacements]") {
  SECTION("no source") {
    auto f = with_replacements("- source: {kind: Secret}\n  targets:\n  - select: {kind: Deployment}\n");
    f->replace();
    CHECK(f->error_lines() == "4: nothing selected by replacement source `Secret.[noVer].[noGrp]/[noName].[noNs]`\n");
  }
  SECTION("several sources") {
    auto f = with_replacements("- source: {kind: Deployment}\n  targets:\n  - select: {kind: Deployment}\n");
    const std::string before = f->yaml();
    CHECK(f->replace() == before);
    CHECK(f->error_lines() ==
          "4: multiple matches for replacement source `Deployment.[noVer].[noGrp]/[noName].[noNs]`\n");
  }
  SECTION("source field missing") {
    auto f = with_replacements(
        "- source:\n    kind: ConfigMap\n    fieldPath: data.nope\n  targets:\n  - select: {kind: Deployment}\n");
    f->replace();
    CHECK(f->error_lines() ==
          "6: fieldPath `data.nope` is missing for replacement source `ConfigMap.[noVer].[noGrp]/[noName].[noNs]`\n");
  }
  SECTION("target field missing without create") {
    auto f = with_replacements(
        "- source: {kind: ConfigMap, fieldPath: data.host}\n  targets:\n  - select: {kind: Deployment}\n"
        "    fieldPaths:\n    - spec.foo.bar\n");
    f->replace();
    CHECK(f->error_lines() ==
          "8: unable to find field \"spec.foo.bar\" in replacement target `Deployment.v1.apps/web.[noNs]`\n");
  }
  SECTION("index past the end even with create") {
    auto f = with_replacements(
        "- source: {kind: ConfigMap, fieldPath: data.host}\n  targets:\n  - select: {kind: Deployment}\n"
        "    fieldPaths:\n    - spec.template.spec.containers.5.image\n    options: {create: true}\n");
    f->replace();
    CHECK(f->error_lines() ==
          "8: unable to find or create field \"spec.template.spec.containers.5.image\" in replacement target "
          "`Deployment.v1.apps/web.[noNs]`: index 5 specified but only 2 elements found\n");
  }
  SECTION("target without select, replacement without targets") {
    auto f = with_replacements(
        "- source: {kind: ConfigMap, fieldPath: data.host}\n  targets:\n  - fieldPaths: [spec.foo]\n"
        "- source: {kind: ConfigMap, fieldPath: data.host}\n");
    f->replace();
    CHECK(f->error_lines() ==
          "6: target must specify resources to select\n"
          "7: replacements must specify a source and at least one target\n");
  }
  SECTION("path files") {
    auto f = with_replacements("- path: nope.yaml\n- path: res.yaml\n  source: {kind: ConfigMap}\n");
    f->replace();
    REQUIRE(f->errors.size() == 2);
    CHECK(f->errors[0].at.begin.line == 4);
    CHECK(f->errors[0].message.find("nope.yaml") != std::string::npos);
    CHECK(f->errors[1].at.begin.line == 5);
    CHECK(f->errors[1].message == "cannot specify both path and inline replacement");
  }
  SECTION("delimiter index out of bounds, delimiter on a mapping, wildcard in the source") {
    auto f = with_replacements(
        "- source: {kind: ConfigMap, fieldPath: data.host, options: {delimiter: ':', index: 3}}\n"
        "  targets:\n  - select: {kind: Deployment}\n"
        "- source: {kind: ConfigMap, fieldPath: data, options: {delimiter: ':'}}\n"
        "  targets:\n  - select: {kind: Deployment}\n"
        "- source: {kind: Deployment, name: web, fieldPath: spec.template.spec.containers.*.name}\n"
        "  targets:\n  - select: {kind: Deployment}\n");
    f->replace();
    CHECK(f->error_lines() ==
          "4: options.index 3 is out of bounds for value `db.example.com:5432`\n"
          "7: delimiter option can only be used with scalar nodes\n"
          "10: error looking up replacement source: wildcard is not supported in PathGetter\n");
  }
  SECTION("unknown field in an inline replacement") {
    auto f = with_replacements(
        "- source: {kind: ConfigMap, fieldPath: data.port, bogus: 1}\n  targets:\n  - select: {kind: Deployment}\n");
    f->replace();
    CHECK(f->error_lines() == "4: unknown field `bogus` in replacement\n");
  }
  SECTION("typed targets and created fields (no error)") {
    auto f = with_replacements(
        "- source: {kind: ConfigMap, fieldPath: data.host}\n  targets:\n  - select: {kind: Deployment, name: web}\n"
        "    fieldPaths:\n    - spec.template.spec.containers.0.env.[name=DB_HOST].value\n"
        "- source: {kind: ConfigMap, fieldPath: data.port}\n  targets:\n  - select: {kind: Deployment, name: web}\n"
        "    fieldPaths:\n    - spec.template.spec.containers.0.env.1.name\n"
        "- source: {kind: ConfigMap, fieldPath: data.host}\n  targets:\n  - select: {kind: Deployment, name: web}\n"
        "    fieldPaths:\n    - spec.paused\n    options: {create: true}\n"
        "- source: {kind: ConfigMap, fieldPath: data.port}\n  targets:\n  - select: {kind: ConfigMap}\n"
        "    fieldPaths:\n    - metadata.generation\n    options: {create: true}\n");
    f->replace();
    CHECK(f->error_lines().empty());
    const MNode* env = f->resources[1].root.at({"spec", "template", "spec", "containers"})->items[0].get("env");
    CHECK(env->items[0].get("value")->value == "db.example.com:5432");
    CHECK(env->items[1].get("name")->value == "8080");
    CHECK(env->items[1].get("name")->is_string());
    CHECK(f->resources[1].root.at({"spec", "paused"})->value == "db.example.com:5432");
    CHECK(f->resources[0].root.at({"metadata", "generation"})->value == "8080");
    CHECK(!f->resources[0].root.at({"metadata", "generation"})->is_string());
    // Untouched: the worker is not selected.
    CHECK(f->resources[2]
              .root.at({"spec", "template", "spec", "containers"})
              ->items[0]
              .get("env")
              ->items[0]
              .get("value")
              ->value == "placeholder");
  }
}

TEST_CASE("replacements: a scalar target of another type is an error", "[kustomize][replacements]") {
  Files files = {{"app/res.yaml", R"y(apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  s: abc
  f: "1.5"
  i: "2"
---
apiVersion: example.com/v1
kind: Thing
metadata:
  name: t
spec:
  nul:
  fl: 0.5
  in: 7
  flag: false
)y"},
                 {"app/kustomization.yaml", R"y(replacements:
- source: {kind: ConfigMap, fieldPath: data.s}
  targets:
  - select: {kind: Thing}
    fieldPaths:
    - spec.nul
- source: {kind: ConfigMap, fieldPath: data.f}
  targets:
  - select: {kind: Thing}
    fieldPaths:
    - spec.in
- source: {kind: ConfigMap, fieldPath: data.s}
  targets:
  - select: {kind: Thing}
    fieldPaths:
    - spec.flag
- source: {kind: ConfigMap, fieldPath: data.i}
  targets:
  - select: {kind: Thing}
    fieldPaths:
    - spec.fl
)y"}};
  Fixture f(files, "app/res.yaml", "app");
  f.replace();
  CHECK(f.error_lines() ==
        "6: cannot decode !!str `abc` as a !!null\n"
        "11: cannot decode !!float `1.5` as a !!int\n"
        "16: cannot decode !!str `abc` as a !!bool\n");
  // kubectl: an int into a float field is accepted (`fl: 2`).
  CHECK(f.resources[1].root.at({"spec", "fl"})->value == "2");
}

TEST_CASE("field paths split like kyaml's SmarterPathSplitter", "[kustomize][replacements]") {
  using V = std::vector<std::string>;
  CHECK(kz::split_field_path("metadata.annotations.[a.b/c]") == V{"metadata", "annotations", "a.b/c"});
  CHECK(kz::split_field_path("spec.containers.[name=com.foo.app].image") ==
        V{"spec", "containers", "[name=com.foo.app]", "image"});
  CHECK(kz::split_field_path("data.a\\.b.c") == V{"data", "a.b", "c"});
  CHECK(kz::split_field_path("spec.args.[=-jar]") == V{"spec", "args", "[=-jar]"});
  CHECK(kz::split_slice_indexes({"spec", "ports[0]", "port", "[1]"}) == V{"spec", "ports", "0", "port", "1"});
}

TEST_CASE("vars: command, args, env, mount paths, labels and annotations", "[kustomize][replacements]") {
  Fixture f(kV1Files, "base/res.yaml", "overlay");
  auto base = f.ctx->yaml("base/kustomization.yaml");
  const MNode base_kustomization = MNode::from(base->documents.front().root);
  const std::vector<MNode> base_vars = base_kustomization.get("vars")->items;
  rename_all(f.resources, "p-", "ns1");
  f.vars(base_vars);
  CHECK(f.json() == json_of(kV1Expected));
  CHECK(f.error_lines().empty());
  // `$(DB_SVC)` alone takes the provenance of the Service's name; `$(REPLICAS)` the int type of spec.replicas.
  const MNode* env = f.resources[1].root.at({"spec", "template", "spec", "containers"})->items[0].get("env");
  const MNode* svc_name = f.resources[0].root.at({"metadata", "name"});
  CHECK(env->items[0].get("value")->span.begin.line == svc_name->span.begin.line);
  CHECK(env->items[0].get("value")->span.begin.column == svc_name->span.begin.column);
  // Embedded references keep the line of the string they are in.
  const MNode* args = f.resources[1].root.at({"spec", "template", "spec", "containers"})->items[0].get("args");
  CHECK(args->items[0].value == "--db=p-db.ns1");
  CHECK(args->items[0].span.begin.line == 33);
  CHECK(env->items[2].get("value")->value == "2");
  CHECK(!env->items[2].get("value")->is_string());
}

TEST_CASE("vars: values that are lists stay unreplaced, `$$` escapes", "[kustomize][replacements]") {
  auto f = with_vars(
      "- name: DB_SVC\n  objref: {kind: Service, name: db, version: v1, namespace: other}\n"
      "- name: DB_PORT\n  objref: {kind: Service, name: db, apiVersion: v1, namespace: other}\n"
      "  fieldref: {fieldPath: \"spec.ports\"}\n");
  // Input order differs from kubectl's output order (it sorts); the documents are the same.
  f->vars();
  CHECK(f->json() == json_of(kV2Expected));
  CHECK(f->error_lines().empty());
}

TEST_CASE("vars: errors kustomize reports", "[kustomize][replacements]") {
  SECTION("an objref without apiVersion matches nothing") {
    auto f = with_vars("- name: DB_SVC\n  objref: {kind: Service, name: db}\n");
    f->vars();
    CHECK(f->error_lines() ==
          "4: var `DB_SVC` (Service `db`, fieldPath `metadata.name`) cannot be mapped to a field in the set of "
          "known resources\n");
    // Nothing was resolved, so `$(DB_SVC)` stays, but `$$` escapes still apply.
    const MNode* cmd = f->resources[1].root.at({"spec", "template", "spec", "containers"})->items[0].get("command");
    CHECK(cmd->items[1].value == "$(DB_SVC)");
    CHECK(cmd->items[2].value == "$(DB_SVC)");
  }
  SECTION("ambiguous object") {
    auto f = with_vars("- name: DB_SVC\n  objref: {kind: Service, name: db, apiVersion: v1}\n");
    f->vars();
    CHECK(f->error_lines() ==
          "4: found 2 resId matches for var `DB_SVC` (Service `db`, fieldPath `metadata.name`) (unable to "
          "disambiguate)\n");
  }
  SECTION("duplicate names") {
    auto f = with_vars(
        "- name: DB_SVC\n  objref: {kind: Service, name: db, apiVersion: v1, namespace: default}\n"
        "- name: DB_SVC\n  objref: {kind: Service, name: db, apiVersion: v1, namespace: other}\n");
    f->vars();
    CHECK(f->error_lines() == "6: var `DB_SVC` already encountered\n");
    CHECK(f->resources[1].root.at({"metadata", "annotations", "svc"})->value == "db");
  }
  SECTION("field not in the object") {
    auto f = with_vars(
        "- name: DB_SVC\n  objref: {kind: Service, name: db, apiVersion: v1, namespace: other}\n"
        "  fieldref: {fieldPath: spec.nope}\n");
    f->vars();
    CHECK(f->error_lines() ==
          "6: field specified in var `DB_SVC` (Service `db`, fieldPath `spec.nope`) not found in corresponding "
          "resource\n");
  }
  SECTION("non-string item in a substituted list") {
    Files files = {{"app/res.yaml", R"y(apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    args: [--n, 5]
)y"},
                   {"app/kustomization.yaml", "vars:\n- name: P\n  objref: {kind: Pod, name: p, apiVersion: v1}\n"}};
    Fixture f(files, "app/res.yaml", "app");
    f.vars();
    CHECK(f.error_lines() ==
          "1: considering field `spec/containers/args` of object `Pod.v1.[noGrp]/p.[noNs]`: invalid value type "
          "expect a string\n");
  }
}
