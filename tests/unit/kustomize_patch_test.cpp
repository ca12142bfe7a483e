// Tests for Kustomize patches: strategic merge (src/render/kustomize/smp.h) and JSON 6902
// (src/render/kustomize/json6902.h). Every expected document is the output of `kubectl kustomize` (v5.5)
// on the same base and patch.
#include <catch2/catch.hpp>
#include <deque>
#include <string>

#include "core/source.h"
#include "render/kustomize/json6902.h"
#include "render/kustomize/schema.h"
#include "render/kustomize/smp.h"
#include "render/tree.h"
#include "yaml/parser.h"

namespace {

using gl::render::MNode;
using gl::render::to_json;
namespace kz = gl::render::kustomize;

/// Keeps the parsed files alive for the spans of the nodes made from them.
struct Files {
  std::deque<gl::SourceFile> files;

  MNode doc(const std::string& path, const std::string& text) {
    files.emplace_back(path, text);
    auto r = gl::yaml::parse(files.back());
    REQUIRE(r.errors.empty());
    REQUIRE(r.documents.size() == 1);
    return MNode::from(r.documents[0].root);
  }
};

/// Applies `patch` to `base` and returns the result as JSON (keys sorted), or "error: <message>".
std::string smp(const std::string& base, const std::string& patch, const kz::SmpOptions& options = {}) {
  Files f;
  MNode target = f.doc("base.yaml", base);
  auto err = kz::apply_smp(target, f.doc("patch.yaml", patch), options);
  if (err) return "error: " + err->message;
  return to_json(target);
}

std::string json6902(const std::string& base, const std::string& ops) {
  Files f;
  MNode target = f.doc("base.yaml", base);
  auto err = kz::apply_json6902(target, f.doc("ops.yaml", ops));
  if (err) return "error: " + err->message;
  return to_json(target);
}

/// The expected document (kubectl's output) as JSON.
std::string expect(const std::string& yaml) {
  Files f;
  return to_json(f.doc("expected.yaml", yaml));
}

const char* const kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, drop: me}
  emptyone:
  nullone: null
spec:
  template:
    spec:
      containers:
      - name: a
        image: a:1
        env:
        - {name: X, value: "1"}
        - {name: Y, value: "2"}
        ports:
        - {containerPort: 80, protocol: TCP}
        - {containerPort: 81}
      - name: b
        image: b:1
      volumes:
      - name: v1
        emptyDir: {}
      - name: v2
        configMap: {name: c}
      tolerations:
      - {key: k1}
)";

}  // namespace

TEST_CASE("smp merges lists by merge key, new patch items first", "[kustomize][patch]") {
  const char* patch = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {drop: null, new: yes}
spec:
  template:
    spec:
      containers:
      - name: c
        image: c:1
      - name: b
        image: b:2
        env:
        - {name: Z, value: "3"}
      - name: a
        env:
        - {name: Y, value: "22"}
        - {name: W, value: "0"}
        ports:
        - {containerPort: 90}
        - {containerPort: 81, name: eighty-one}
        - {containerPort: 80, name: http}
      volumes:
      - name: v2
        $patch: delete
      - name: v3
        secret: {secretName: s}
      tolerations:
      - {key: k2}
)";
  // Port 80 of the patch has no protocol while the target's has one: kustomize does not match them and
  // drops the patch item; `emptyone:` (an empty null) disappears, `nullone: null` stays.
  CHECK(smp(kDeployment, patch) == expect(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
    new: "yes"
  name: web
  nullone: null
spec:
  template:
    spec:
      containers:
      - image: c:1
        name: c
      - env:
        - name: Z
          value: "3"
        image: b:2
        name: b
      - env:
        - name: "Y"
          value: "22"
        - name: W
          value: "0"
        - name: X
          value: "1"
        image: a:1
        name: a
        ports:
        - containerPort: 90
        - containerPort: 80
          protocol: TCP
        - containerPort: 81
          name: eighty-one
      tolerations:
      - key: k2
      volumes:
      - name: v3
        secret:
          secretName: s
      - emptyDir: {}
        name: v1
)"));
}

TEST_CASE("smp merges service ports by port and protocol", "[kustomize][patch]") {
  const char* base = R"(apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports:
  - {name: http, port: 80, targetPort: 8080}
  - {name: dns, port: 53, protocol: UDP}
  - {name: dnstcp, port: 53, protocol: TCP}
)";
  const char* patch = R"(apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports:
  - {port: 53, protocol: TCP, targetPort: 5353}
  - {name: https, port: 443, protocol: TCP}
  - {port: 80, targetPort: 9090}
)";
  CHECK(smp(base, patch) == expect(R"(apiVersion: v1
kind: Service
metadata:
  name: s
spec:
  ports:
  - name: https
    port: 443
    protocol: TCP
  - name: http
    port: 80
    targetPort: 9090
  - name: dns
    port: 53
    protocol: UDP
  - name: dnstcp
    port: 53
    protocol: TCP
    targetPort: 5353
)"));
}

TEST_CASE("smp $patch directives on maps, lists and the whole object", "[kustomize][patch]") {
  SECTION("replace a map and a list item's map, merge the rest") {
    const char* base = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {a: "1", b: "2"}
spec:
  selector: {matchLabels: {a: "1"}}
  template:
    spec:
      securityContext: {runAsUser: 1, fsGroup: 2}
      containers:
      - name: app
        image: app:1
        resources: {limits: {cpu: "1"}, requests: {cpu: "1", memory: 1Gi}}
)";
    const char* patch = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    $patch: replace
    c: "3"
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
      - name: app
        resources:
          requests:
            $patch: replace
            cpu: 500m
)";
    CHECK(smp(base, patch) == expect(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    c: "3"
  name: web
spec:
  selector:
    matchLabels:
      a: "1"
  template:
    spec:
      containers:
      - image: app:1
        name: app
        resources:
          limits:
            cpu: "1"
          requests:
            cpu: 500m
      securityContext:
        fsGroup: 2
        runAsNonRoot: true
        runAsUser: 1
)"));
  }
  SECTION("replace a whole merge list") {
    const char* base = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, finalizers: [a, b]}
spec:
  template:
    spec:
      containers: [{name: a, image: a:1}, {name: b, image: b:1}]
)";
    const char* patch = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - $patch: replace
      - name: z
        image: z
)";
    CHECK(smp(base, patch) == expect(R"(apiVersion: apps/v1
kind: Deployment
metadata: {finalizers: [a, b], name: web}
spec:
  template:
    spec:
      containers:
      - image: z
        name: z
)"));
  }
  SECTION("delete the object") {
    Files f;
    MNode target = f.doc("base.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: \"1\"}\n");
    auto err = kz::apply_smp(target, f.doc("patch.yaml",
                                           "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n"
                                           "$patch: delete\n"));
    CHECK_FALSE(err);
    CHECK(target.is_null());
  }
  SECTION("an unknown directive is an error at the patch line") {
    Files f;
    MNode target = f.doc("base.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: \"1\"}\n");
    auto err = kz::apply_smp(target, f.doc("patch.yaml",
                                           "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n"
                                           "data:\n  $patch: frob\n  b: x\n"));
    REQUIRE(err);
    CHECK(err->message == "unknown patch strategy `frob` at `data`");
    CHECK(err->at.file->path() == "patch.yaml");
    CHECK(err->at.begin.line == 5);
  }
}

TEST_CASE("smp keeps kubectl's handling of other directives, names and primitive lists", "[kustomize][patch]") {
  const char* base = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  finalizers: [a, b]
spec:
  template:
    spec:
      containers:
      - name: a
        image: a:1
        args: [x, y]
      - name: b
        image: b:1
)";
  // kustomize does not act on $setElementOrder, $retainKeys or $deleteFromPrimitiveList: they stay as fields.
  const char* patch = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: renamed
  namespace: foo
  finalizers: [c, a]
spec:
  template:
    spec:
      $setElementOrder/containers:
      - name: b
      - name: a
      $retainKeys: [containers]
      containers:
      - name: a
        $deleteFromPrimitiveList/args: [x]
        image: a:2
)";
  const char* expected = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  finalizers:
  - c
  - a
  - b
  name: web
spec:
  template:
    spec:
      $retainKeys:
      - containers
      $setElementOrder/containers:
      - name: b
      - name: a
      containers:
      - $deleteFromPrimitiveList/args:
        - x
        args:
        - x
        - "y"
        image: a:2
        name: a
      - image: b:1
        name: b
)";
  CHECK(smp(base, patch) == expect(expected));
  kz::SmpOptions rename;
  rename.allow_name_change = true;
  const std::string renamed = smp(base, patch, rename);
  CHECK(renamed.find(R"("name":"renamed")") != std::string::npos);
  CHECK(renamed.find(R"("namespace")") == std::string::npos);
}

TEST_CASE("smp on unknown kinds replaces lists but finds embedded built-in kinds", "[kustomize][patch]") {
  const char* base = R"(apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  items: [{name: a, v: 1}, {name: b, v: 2}]
  nested: {x: 1, y: {z: 2}}
  tolerations: [a]
  template:
    apiVersion: v1
    kind: Pod
    spec:
      containers: [{name: a, image: a}, {name: b, image: b}]
)";
  const char* patch = R"(apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  items: [{name: b, v: 3}]
  nested: {y: {q: 3}, x: null}
  template:
    apiVersion: v1
    kind: Pod
    spec:
      containers: [{name: b, image: b2}]
)";
  CHECK(smp(base, patch) == expect(R"(apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  items:
  - name: b
    v: 3
  nested:
    "y":
      q: 3
      z: 2
  template:
    apiVersion: v1
    kind: Pod
    spec:
      containers:
      - image: b2
        name: b
      - image: a
        name: a
  tolerations:
  - a
)"));
}

TEST_CASE("smp merges new patch lists with themselves like kustomize", "[kustomize][patch]") {
  const char* base = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers: [{name: app, image: app}]
)";
  const char* patch = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata:
      annotations: {a: "1", gone: null}
    spec:
      initContainers:
      - {name: init, image: i1, command: null}
      - {name: init, args: [x]}
      - {name: other, $patch: delete}
      - {name: third, image: t}
)";
  CHECK(smp(base, patch) == expect(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      annotations:
        a: "1"
    spec:
      containers:
      - image: app
        name: app
      initContainers:
      - args:
        - x
        name: init
      - image: t
        name: third
)"));
  // Any merge also collapses duplicate keys in the target's merge lists (the last one wins).
  const char* dup = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
        - {name: A, value: "3"}
)";
  CHECK(smp(dup, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n") ==
        expect(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
      - env:
        - name: A
          value: "3"
        - name: B
          value: "2"
        name: app
)"));
}

TEST_CASE("smp errors", "[kustomize][patch]") {
  CHECK(smp(kDeployment, "- a\n") == "error: a strategic merge patch must be a map");
  CHECK(smp(kDeployment, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template: [1]\n") ==
        "error: cannot merge `spec.template`: it is a map in the resource but a list in the patch");
}

TEST_CASE("smp provenance: patched fields point at the patch, the rest at the base", "[kustomize][patch]") {
  Files f;
  MNode target = f.doc("base.yaml", kDeployment);
  const char* patch = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: a
        image: a:2
      - name: new
        image: n
)";
  REQUIRE_FALSE(kz::apply_smp(target, f.doc("overlay/patch.yaml", patch)));
  const MNode* containers = target.at({"spec", "template", "spec", "containers"});
  REQUIRE(containers != nullptr);
  REQUIRE(containers->size() == 3);
  // Patch items come first, in patch order: the merged `a`, the new container, then the untouched `b`.
  const MNode& merged = containers->items[0];
  const MNode& added = containers->items[1];
  REQUIRE(merged.get("env") != nullptr);
  CHECK(added.get("image")->span.file->path() == "overlay/patch.yaml");
  CHECK(added.get("image")->span.begin.line == 12);
  CHECK(merged.get("image")->span.file->path() == "overlay/patch.yaml");
  CHECK(merged.get("image")->span.begin.line == 10);
  CHECK(merged.get("env")->span.file->path() == "base.yaml");
  CHECK(merged.get("env")->items[0].span.begin.line == 15);
  CHECK(target.at({"metadata", "name"})->span.file->path() == "base.yaml");
  CHECK(containers->items[2].get("image")->span.file->path() == "base.yaml");
}

TEST_CASE("schema table knows the built-in merge keys", "[kustomize][patch]") {
  namespace sc = kz::schema;
  const sc::SchemaId deploy = sc::for_kind("apps/v1", "Deployment");
  REQUIRE(deploy != sc::kNoSchema);
  const sc::SchemaId pod_spec = sc::field(sc::field(sc::field(deploy, "spec"), "template"), "spec");
  const sc::SchemaId containers = sc::field(pod_spec, "containers");
  REQUIRE(sc::is_merge_list(containers));
  CHECK(sc::merge_keys(containers).size() == 1);
  CHECK(sc::merge_keys(containers)[0] == "name");
  const sc::SchemaId ports = sc::field(sc::element(containers), "ports");
  REQUIRE(sc::merge_keys(ports).size() == 2);
  CHECK(sc::merge_keys(ports)[1] == "protocol");
  CHECK(sc::merge_keys(sc::field(sc::element(containers), "volumeMounts"))[0] == "mountPath");
  CHECK_FALSE(sc::is_merge_list(sc::field(pod_spec, "tolerations")));
  CHECK(sc::is_merge_list(sc::field(sc::field(deploy, "metadata"), "finalizers")));
  CHECK(sc::merge_keys(sc::field(sc::field(deploy, "metadata"), "finalizers")).empty());
  const sc::SchemaId cron = sc::for_kind("batch/v1beta1", "CronJob");
  CHECK(sc::is_merge_list(sc::field(
      sc::field(sc::field(sc::field(sc::field(sc::field(cron, "spec"), "jobTemplate"), "spec"), "template"), "spec"),
      "initContainers")));
  CHECK(sc::for_kind("example.com/v1", "Widget") == sc::kNoSchema);
}

namespace {

const char* const kConfigMap = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  labels: {a: "1"}
data:
  k: v
list: [1, 2, 3]
objs:
- {name: a, v: 1}
- {name: b, v: 2}
)";

/// kubectl's output for kConfigMap with `list` and `data` as given.
std::string cm(const std::string& data, const std::string& list, const std::string& labels = "{a: \"1\"}",
               const std::string& objs = "[{name: a, v: 1}, {name: b, v: 2}]") {
  return expect("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels: " + labels + "\ndata: " + data +
                "\nlist: " + list + "\nobjs: " + objs + "\n");
}

}  // namespace

TEST_CASE("json6902 ops", "[kustomize][patch]") {
  CHECK(json6902(kConfigMap, "- {op: add, path: /data/n, value: x}") == cm("{k: v, n: x}", "[1, 2, 3]"));
  CHECK(json6902(kConfigMap, "- {op: add, path: /data/k, value: w}") == cm("{k: w}", "[1, 2, 3]"));
  CHECK(json6902(kConfigMap, "- {op: add, path: /list/-, value: 9}") == cm("{k: v}", "[1, 2, 3, 9]"));
  CHECK(json6902(kConfigMap, "- {op: add, path: /list/0, value: 9}") == cm("{k: v}", "[9, 1, 2, 3]"));
  CHECK(json6902(kConfigMap, "- {op: add, path: /list/3, value: 9}") == cm("{k: v}", "[1, 2, 3, 9]"));
  CHECK(json6902(kConfigMap, "- {op: add, path: /list/-1, value: 9}") == cm("{k: v}", "[1, 2, 3, 9]"));
  CHECK(json6902(kConfigMap, "- {op: remove, path: /list/-1}") == cm("{k: v}", "[1, 2]"));
  CHECK(json6902(kConfigMap, "- {op: remove, path: /list/0}") == cm("{k: v}", "[2, 3]"));
  CHECK(json6902(kConfigMap, "- {op: remove, path: /data/k}") == cm("{}", "[1, 2, 3]"));
  CHECK(json6902(kConfigMap, "- {op: replace, path: /list/-1, value: 7}") == cm("{k: v}", "[1, 2, 7]"));
  CHECK(json6902(kConfigMap, "- {op: replace, path: /data/missing, value: x}") ==
        cm("{k: v, missing: x}", "[1, 2, 3]"));
  CHECK(json6902(kConfigMap, "- {op: replace, path: /objs/1, value: {name: c}}") ==
        cm("{k: v}", "[1, 2, 3]", "{a: \"1\"}", "[{name: a, v: 1}, {name: c}]"));
  CHECK(json6902(kConfigMap, "- {op: move, from: /data/k, path: /metadata/labels/a~1b}") ==
        cm("{}", "[1, 2, 3]", "{a: \"1\", a/b: v}"));
  CHECK(json6902(kConfigMap, "- {op: copy, from: /objs/0, path: /objs/-}") ==
        cm("{k: v}", "[1, 2, 3]", "{a: \"1\"}", "[{name: a, v: 1}, {name: b, v: 2}, {name: a, v: 1}]"));
  CHECK(json6902(kConfigMap, "- {op: copy, from: /data/zz, path: /data/yy}") == cm("{k: v, yy: null}", "[1, 2, 3]"));
  CHECK(json6902(kConfigMap,
                 "- {op: test, path: /data/k, value: v}\n- {op: test, path: /data/zz, value: null}\n"
                 "- {op: test, path: /objs/1, value: {v: 2, name: b}}") == cm("{k: v}", "[1, 2, 3]"));
  CHECK(json6902(kConfigMap, "- {op: add, path: /metadata/labels/x~0y, value: \"1\"}\n- {op: remove, path: /list/1}") ==
        cm("{k: v}", "[1, 3]", "{a: \"1\", x~y: \"1\"}"));
}

TEST_CASE("json6902 errors name the op and path", "[kustomize][patch]") {
  CHECK(json6902(kConfigMap, "- {op: replace, path: /nope/missing, value: x}") ==
        "error: json patch `replace` at `/nope/missing`: `/nope` does not exist");
  CHECK(json6902(kConfigMap, "- {op: add, path: /list/4, value: 9}") ==
        "error: json patch `add` at `/list/4`: index 4 is out of range (the array has 3 items)");
  CHECK(json6902(kConfigMap, "- {op: add, path: /list/x, value: 9}") ==
        "error: json patch `add` at `/list/x`: `x` is not an array index");
  CHECK(json6902(kConfigMap, "- {op: add, path: /list/0/x, value: 9}") ==
        "error: json patch `add` at `/list/0/x`: `/list/0` does not exist");
  CHECK(json6902(kConfigMap, "- {op: remove, path: /data/zz}") ==
        "error: json patch `remove` at `/data/zz`: there is no key `zz` to remove");
  CHECK(json6902(kConfigMap, "- {op: move, from: /data/zz, path: /data/yy}") ==
        "error: json patch `move` at `/data/yy`: the `from` path: there is no key `zz` to remove");
  CHECK(json6902(kConfigMap, "- {op: test, path: /data/k, value: w}") ==
        "error: json patch `test` at `/data/k`: the test failed: the value is \"v\", not \"w\"");
  CHECK(json6902(kConfigMap, "- {op: frob, path: /data/zz}") == "error: json patch: unknown op `frob`");
  CHECK(json6902(kConfigMap, "- {op: add, value: 1}") == "error: json patch `add` at ``: the op has no `path`");
  CHECK(json6902(kConfigMap, "- {op: add, path: \"\", value: 1}") ==
        "error: json patch `add` at ``: the whole document cannot be added to");
  CHECK(json6902(kConfigMap, "op: add") == "error: a json patch must be a list of ops");

  Files f;
  MNode target = f.doc("base.yaml", kConfigMap);
  auto err = kz::apply_json6902(target, f.doc("ops.yaml",
                                              "- op: add\n  path: /data/a\n  value: 1\n"
                                              "- op: remove\n  path: /data/nope\n"));
  REQUIRE(err);
  CHECK(err->at.file->path() == "ops.yaml");
  CHECK(err->at.begin.line == 4);
}

TEST_CASE("json6902 values keep the spans of the ops", "[kustomize][patch]") {
  Files f;
  MNode target = f.doc("base.yaml", kConfigMap);
  REQUIRE_FALSE(
      kz::apply_json6902(target, f.doc("ops.yaml",
                                       "- op: replace\n  path: /data/k\n  value: w\n- op: add\n  path: /objs/-\n"
                                       "  value:\n    name: c\n")));
  CHECK(target.at({"data", "k"})->span.file->path() == "ops.yaml");
  CHECK(target.at({"data", "k"})->span.begin.line == 3);
  CHECK(target.get("objs")->items[2].get("name")->span.begin.line == 7);
  CHECK(target.get("objs")->items[0].get("name")->span.file->path() == "base.yaml");
  CHECK(target.at({"metadata", "labels", "a"})->span.begin.line == 5);
}
