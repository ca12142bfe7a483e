// Tests for src/k8s: quantities, selectors, taints and tolerations, objects, the instance catalog and inventory.
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/source.h"
#include "k8s/inventory.h"
#include "k8s/object.h"
#include "k8s/quantity.h"
#include "k8s/selector.h"
#include "yaml/parser.h"

namespace {

constexpr int64_t kMi = 1024LL * 1024;
constexpr int64_t kGi = 1024LL * kMi;

/// Objects parsed from YAML text; owns the SourceFile they point into.
struct Manifest {
  explicit Manifest(std::string text, std::string path = "m.yaml")
      : file(std::make_unique<gl::SourceFile>(std::move(path), std::move(text))) {
    auto parsed = gl::yaml::parse(*file);
    REQUIRE(parsed.errors.empty());
    for (auto& doc : parsed.documents) {
      if (auto o = gl::k8s::make_object(std::move(doc))) objects.push_back(std::move(*o));
    }
  }
  std::vector<const gl::k8s::Object*> pointers() const {
    std::vector<const gl::k8s::Object*> out;
    for (const auto& o : objects) out.push_back(&o);
    return out;
  }
  std::unique_ptr<gl::SourceFile> file;
  std::vector<gl::k8s::Object> objects;
};

/// A parsed YAML node (the root of the first document).
struct Yaml {
  explicit Yaml(std::string text) : file("y.yaml", std::move(text)), parsed(gl::yaml::parse(file)) {
    REQUIRE(parsed.errors.empty());
    REQUIRE_FALSE(parsed.documents.empty());
  }
  const gl::yaml::Node& root() const { return parsed.documents.front().root; }
  gl::SourceFile file;
  gl::yaml::ParseResult parsed;
};

gl::k8s::Requirement req(std::string key, std::string op, std::vector<std::string> values = {}) {
  return gl::k8s::Requirement{std::move(key), std::move(op), std::move(values)};
}

const gl::k8s::NodeInfo* node_named(const gl::k8s::Inventory& inv, const std::string& name) {
  for (const auto& n : inv.nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------------------------- quantities

TEST_CASE("CPU quantities in millicores", "[k8s]") {
  using gl::k8s::parse_cpu_milli;
  CHECK(parse_cpu_milli("100m") == 100);
  CHECK(parse_cpu_milli("1") == 1000);
  CHECK(parse_cpu_milli("0.5") == 500);
  CHECK(parse_cpu_milli("1.5") == 1500);
  CHECK(parse_cpu_milli(".25") == 250);
  CHECK(parse_cpu_milli("2e3") == 2'000'000);
  CHECK(parse_cpu_milli("2E-3") == 2);
  CHECK(parse_cpu_milli("1k") == 1'000'000);
  CHECK(parse_cpu_milli("+2") == 2000);
  CHECK(parse_cpu_milli("-1") == -1000);
  CHECK(parse_cpu_milli("0") == 0);
  // Fractions of a millicore round up.
  CHECK(parse_cpu_milli("0.0001") == 1);
  CHECK(parse_cpu_milli("1500u") == 2);
}

TEST_CASE("memory quantities in bytes", "[k8s]") {
  using gl::k8s::parse_memory_bytes;
  CHECK(parse_memory_bytes("512Mi") == 512 * kMi);
  CHECK(parse_memory_bytes("1.5Gi") == 3 * kGi / 2);
  CHECK(parse_memory_bytes("1Gi") == kGi);
  CHECK(parse_memory_bytes("1G") == 1'000'000'000);
  CHECK(parse_memory_bytes("129M") == 129'000'000);
  CHECK(parse_memory_bytes("1Ki") == 1024);
  CHECK(parse_memory_bytes("0.5Ki") == 512);
  CHECK(parse_memory_bytes("2e3") == 2000);
  CHECK(parse_memory_bytes("1e9") == 1'000'000'000);
  CHECK(parse_memory_bytes("1Ti") == 1024 * kGi);
  CHECK(parse_memory_bytes("1048576") == kMi);
  // A milli-byte quantity is rounded up to a whole byte.
  CHECK(parse_memory_bytes("100m") == 1);
  CHECK(parse_memory_bytes("1500m") == 2);
  CHECK(gl::k8s::parse_quantity_milli("1Mi") == 1000 * kMi);
}

TEST_CASE("invalid quantities", "[k8s]") {
  using gl::k8s::parse_quantity_milli;
  for (const char* bad : {"", " ", "abc", "Gi", "m", "1Gb", "1gi", "1K", "1.2.3", "1 Gi", "--1", "1e", "1e+",
                          "1e3Gi", "0x10", "1,5", "1.5.Gi", ".", "-"}) {
    INFO("`" << bad << "`");
    CHECK_FALSE(parse_quantity_milli(bad).has_value());
    CHECK_FALSE(gl::k8s::parse_memory_bytes(bad).has_value());
  }
  // Too large for 64 bits of milli-units.
  CHECK_FALSE(parse_quantity_milli("99999999Ei").has_value());
  CHECK_FALSE(parse_quantity_milli("1e30").has_value());
}

TEST_CASE("format_memory uses binary units", "[k8s]") {
  using gl::k8s::format_memory;
  CHECK(format_memory(0) == "0");
  CHECK(format_memory(1023) == "1023");
  CHECK(format_memory(1024) == "1Ki");
  CHECK(format_memory(512 * kMi) == "512Mi");
  CHECK(format_memory(768 * kMi) == "768Mi");
  CHECK(format_memory(3 * kGi / 2) == "1.5Gi");
  CHECK(format_memory(2 * kGi - 256 * kMi) == "1.75Gi");
  CHECK(format_memory(8 * kGi) == "8Gi");
  CHECK(format_memory(2 * 1024 * kGi) == "2Ti");
  // Rounding never shows 1024 of a unit.
  CHECK(format_memory(kMi - 1) == "1Mi");
  CHECK(format_memory(kGi - 1) == "1Gi");
  // Round trip of a formatted value.
  CHECK(gl::k8s::parse_memory_bytes(format_memory(3 * kGi / 2)) == 3 * kGi / 2);
}

TEST_CASE("format_cpu", "[k8s]") {
  using gl::k8s::format_cpu;
  CHECK(format_cpu(250) == "250m");
  CHECK(format_cpu(0) == "0");
  CHECK(format_cpu(2000) == "2");
  CHECK(format_cpu(1500) == "1.5");
  CHECK(format_cpu(1900) == "1.9");
  CHECK(format_cpu(1250) == "1.25");
  CHECK(gl::k8s::parse_cpu_milli(format_cpu(1500)) == 1500);
  CHECK(gl::k8s::parse_cpu_milli(format_cpu(250)) == 250);
}

// ---------------------------------------------------------------------------------------------- selectors

TEST_CASE("requirements", "[k8s]") {
  const gl::k8s::Labels labels = {{"app", "web"}, {"tier", "front"}, {"gen", "5"}};
  CHECK(req("app", "=", {"web"}).matches(labels));
  CHECK_FALSE(req("app", "=", {"api"}).matches(labels));
  CHECK_FALSE(req("missing", "=", {"web"}).matches(labels));
  CHECK(req("app", "In", {"api", "web"}).matches(labels));
  CHECK_FALSE(req("app", "In", {"api"}).matches(labels));
  CHECK_FALSE(req("app", "In", {}).matches(labels));
  CHECK(req("app", "NotIn", {"api"}).matches(labels));
  CHECK_FALSE(req("app", "NotIn", {"web"}).matches(labels));
  CHECK(req("missing", "NotIn", {"web"}).matches(labels));  // NotIn holds when the key is absent
  CHECK(req("tier", "Exists").matches(labels));
  CHECK_FALSE(req("missing", "Exists").matches(labels));
  CHECK(req("missing", "DoesNotExist").matches(labels));
  CHECK_FALSE(req("tier", "DoesNotExist").matches(labels));
  CHECK(req("gen", "Gt", {"4"}).matches(labels));
  CHECK_FALSE(req("gen", "Gt", {"5"}).matches(labels));
  CHECK(req("gen", "Lt", {"6"}).matches(labels));
  CHECK_FALSE(req("gen", "Lt", {"5"}).matches(labels));
  CHECK_FALSE(req("app", "Gt", {"1"}).matches(labels));      // not an integer
  CHECK_FALSE(req("missing", "Gt", {"1"}).matches(labels));  // absent
  CHECK_FALSE(req("gen", "Gt", {"x"}).matches(labels));
  CHECK_FALSE(req("gen", "Gt", {"1", "2"}).matches(labels));
  CHECK_FALSE(req("app", "Bogus", {"web"}).matches(labels));
}

TEST_CASE("label selectors from matchLabels and matchExpressions", "[k8s]") {
  const Yaml y(
      "sel:\n"
      "  matchLabels:\n"
      "    app: web\n"
      "  matchExpressions:\n"
      "    - {key: tier, operator: NotIn, values: [db]}\n"
      "    - {key: canary, operator: DoesNotExist}\n"
      "    - {key: env, operator: Exists}\n"
      "empty: {}\n"
      "notmap: [a]\n");
  auto sel = gl::k8s::parse_label_selector(y.root().get("sel"));
  REQUIRE(sel.has_value());
  CHECK(sel->reqs.size() == 4);
  CHECK(sel->matches({{"app", "web"}, {"env", "prod"}}));
  CHECK(sel->matches({{"app", "web"}, {"env", "prod"}, {"tier", "front"}}));
  CHECK_FALSE(sel->matches({{"app", "web"}, {"env", "prod"}, {"tier", "db"}}));
  CHECK_FALSE(sel->matches({{"app", "web"}, {"env", "prod"}, {"canary", "true"}}));
  CHECK_FALSE(sel->matches({{"app", "web"}}));
  CHECK_FALSE(sel->matches({{"app", "api"}, {"env", "prod"}}));
  CHECK(sel->display() == "app=web,tier notin (db),!canary,env");

  auto empty = gl::k8s::parse_label_selector(y.root().get("empty"));
  REQUIRE(empty.has_value());
  CHECK(empty->empty());
  CHECK(empty->matches({}));
  CHECK(empty->matches({{"anything", "x"}}));

  CHECK_FALSE(gl::k8s::parse_label_selector(nullptr).has_value());
  CHECK_FALSE(gl::k8s::parse_label_selector(y.root().get("notmap")).has_value());
}

TEST_CASE("selector_from_map", "[k8s]") {
  const auto sel = gl::k8s::selector_from_map({{"app", "web"}, {"tier", "front"}});
  CHECK(sel.matches({{"app", "web"}, {"tier", "front"}, {"extra", "1"}}));
  CHECK_FALSE(sel.matches({{"app", "web"}}));
  CHECK(sel.display() == "app=web,tier=front");
  CHECK(gl::k8s::selector_from_map({}).matches({{"a", "b"}}));
}

TEST_CASE("node affinity: terms are ORed, expressions ANDed, an empty term matches nothing", "[k8s]") {
  const Yaml y(
      "nodeSelector:\n"
      "  disk: ssd\n"
      "affinity:\n"
      "  nodeAffinity:\n"
      "    requiredDuringSchedulingIgnoredDuringExecution:\n"
      "      nodeSelectorTerms:\n"
      "        - matchExpressions:\n"
      "            - {key: role, operator: In, values: [api]}\n"
      "            - {key: zone, operator: NotIn, values: [b]}\n"
      "        - matchFields:\n"
      "            - {key: metadata.name, operator: In, values: [special]}\n"
      "        - {}\n"
      "tolerations:\n"
      "  - key: dedicated\n"
      "    value: db\n"
      "    effect: NoSchedule\n");
  const auto p = gl::k8s::read_placement(&y.root());
  CHECK(p.pinned());
  REQUIRE(p.required_terms.size() == 3);
  CHECK(p.node_selector == gl::k8s::Labels{{"disk", "ssd"}});
  REQUIRE(p.node_selector_node != nullptr);
  CHECK(p.node_selector_node->begin.line == 2);
  REQUIRE(p.affinity_node != nullptr);
  CHECK(p.affinity_node->begin.line == 6);
  REQUIRE(p.tolerations.size() == 1);
  CHECK(p.tolerations[0].op == "Equal");  // the default operator

  CHECK_FALSE(p.required_terms[2].matches("any", {{"role", "api"}}));  // the empty term
  CHECK(p.required_terms[0].matches("n1", {{"role", "api"}, {"zone", "a"}}));
  CHECK(p.required_terms[0].matches("n1", {{"role", "api"}}));
  CHECK_FALSE(p.required_terms[0].matches("n1", {{"role", "api"}, {"zone", "b"}}));
  CHECK(p.required_terms[1].matches("special", {}));
  CHECK_FALSE(p.required_terms[1].matches("other", {{"role", "api"}}));

  CHECK(p.admits("n1", {{"disk", "ssd"}, {"role", "api"}}));
  CHECK(p.admits("special", {{"disk", "ssd"}}));  // second term
  CHECK_FALSE(p.admits("special", {}));           // nodeSelector is ANDed with the terms
  CHECK_FALSE(p.admits("n1", {{"disk", "ssd"}}));
  CHECK_FALSE(p.admits("n1", {{"disk", "hdd"}, {"role", "api"}}));
}

TEST_CASE("placement without pinning, and nodeName", "[k8s]") {
  const Yaml none("containers: []\n");
  const auto p = gl::k8s::read_placement(&none.root());
  CHECK_FALSE(p.pinned());
  CHECK(p.admits("anything", {}));
  CHECK_FALSE(gl::k8s::read_placement(nullptr).pinned());

  const Yaml named("nodeName: node-a\n");
  const auto q = gl::k8s::read_placement(&named.root());
  CHECK(q.pinned());
  CHECK(q.admits("node-a", {}));
  CHECK_FALSE(q.admits("node-b", {}));

  const Yaml only_empty_terms(
      "affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n"
      "      nodeSelectorTerms: [{}]\n");
  const auto r = gl::k8s::read_placement(&only_empty_terms.root());
  CHECK(r.pinned());
  CHECK_FALSE(r.admits("n", {{"a", "b"}}));
}

TEST_CASE("taints and tolerations", "[k8s]") {
  const gl::k8s::Taint db{"dedicated", "db", "NoSchedule"};
  using Tol = gl::k8s::Toleration;
  CHECK_FALSE(db.tolerated_by({}));
  CHECK(db.tolerated_by({Tol{"dedicated", "Equal", "db", "NoSchedule"}}));
  CHECK_FALSE(db.tolerated_by({Tol{"dedicated", "Equal", "web", "NoSchedule"}}));
  CHECK_FALSE(db.tolerated_by({Tol{"other", "Equal", "db", "NoSchedule"}}));
  CHECK_FALSE(db.tolerated_by({Tol{"dedicated", "Equal", "db", "NoExecute"}}));
  // No effect: tolerates every effect.
  CHECK(db.tolerated_by({Tol{"dedicated", "Equal", "db", ""}}));
  // Exists ignores the value.
  CHECK(db.tolerated_by({Tol{"dedicated", "Exists", "", "NoSchedule"}}));
  CHECK_FALSE(db.tolerated_by({Tol{"other", "Exists", "", ""}}));
  // Exists with an empty key tolerates everything (of its effect, or all).
  CHECK(db.tolerated_by({Tol{"", "Exists", "", ""}}));
  CHECK(db.tolerated_by({Tol{"", "Exists", "", "NoSchedule"}}));
  CHECK_FALSE(db.tolerated_by({Tol{"", "Exists", "", "NoExecute"}}));
  // An Equal toleration with an empty key is not a wildcard.
  CHECK_FALSE(db.tolerated_by({Tol{"", "Equal", "", ""}}));
  // Any one of several tolerations is enough.
  CHECK(db.tolerated_by({Tol{"x", "Equal", "y", ""}, Tol{"dedicated", "Exists", "", ""}}));

  const gl::k8s::Taint bare{"gpu", "", "NoExecute"};
  CHECK(bare.tolerated_by({Tol{"gpu", "Equal", "", ""}}));
  CHECK(bare.display() == "gpu:NoExecute");
  CHECK(db.display() == "dedicated=db:NoSchedule");
}

TEST_CASE("tolerations and taints read from YAML", "[k8s]") {
  const Yaml y(
      "tolerations:\n"
      "  - operator: Exists\n"
      "  - key: gpu\n"
      "    operator: Exists\n"
      "    effect: NoSchedule\n"
      "taints:\n"
      "  - {key: dedicated, value: db, effect: NoSchedule}\n"
      "  - {key: gpu, effect: NoExecute}\n");
  const auto p = gl::k8s::read_placement(&y.root());
  REQUIRE(p.tolerations.size() == 2);
  CHECK(p.tolerations[0].key.empty());
  CHECK(p.tolerations[0].op == "Exists");
  CHECK(p.tolerations[0].effect.empty());
  CHECK(p.tolerations[1].effect == "NoSchedule");
  const auto taints = gl::k8s::parse_taints(y.root().get("taints"));
  REQUIRE(taints.size() == 2);
  CHECK(taints[0].key == "dedicated");
  CHECK(taints[0].value == "db");
  CHECK(taints[0].effect == "NoSchedule");
  CHECK(taints[1].value.empty());
  CHECK(taints[1].tolerated_by(p.tolerations));
  CHECK(gl::k8s::parse_taints(nullptr).empty());
}

// ---------------------------------------------------------------------------------------------- objects

TEST_CASE("make_object: identity, namespace defaulting and cluster-scoped kinds", "[k8s]") {
  const Manifest m(
      "apiVersion: apps/v1\n"
      "kind: Deployment\n"
      "metadata:\n"
      "  name: web\n"
      "  labels: {app: web, replicas: 3}\n"
      "  annotations:\n"
      "    gitops-lint.io/ignore: node-pinning\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Service\n"
      "metadata: {name: web, namespace: shop}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Namespace\n"
      "metadata: {name: shop, namespace: ignored}\n"
      "---\n"
      "apiVersion: rbac.authorization.k8s.io/v1\n"
      "kind: ClusterRole\n"
      "metadata: {name: reader}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Pod\n"
      "metadata: {generateName: job-, namespace: \"\"}\n"
      "---\n"
      "just: data\n"
      "---\n"
      "- a list\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: [not, a, scalar]\n");
  REQUIRE(m.objects.size() == 5);
  const auto& dep = m.objects[0];
  CHECK(dep.api_version == "apps/v1");
  CHECK(dep.group() == "apps");
  CHECK(dep.kind == "Deployment");
  CHECK(dep.name == "web");
  CHECK(dep.name_space == "default");
  CHECK_FALSE(dep.namespace_explicit);
  CHECK(dep.labels.at("app") == "web");
  CHECK(dep.labels.at("replicas") == "3");
  CHECK(dep.annotation("gitops-lint.io/ignore") == std::optional<std::string_view>("node-pinning"));
  CHECK_FALSE(dep.annotation("other").has_value());
  CHECK(dep.file == m.file.get());
  CHECK(dep.doc_index == 0);
  CHECK(dep.anchor().value() == "web");
  CHECK(dep.anchor().begin == gl::Mark{4, 9});
  CHECK(dep.ref() == gl::ObjectRef{"apps/v1", "Deployment", "default", "web"});

  const auto& svc = m.objects[1];
  CHECK(svc.group().empty());
  CHECK(svc.name_space == "shop");
  CHECK(svc.namespace_explicit);
  CHECK(svc.doc_index == 1);

  const auto& ns = m.objects[2];
  CHECK(ns.name_space.empty());
  CHECK_FALSE(ns.namespace_explicit);
  CHECK(m.objects[3].name_space.empty());
  CHECK(m.objects[3].group() == "rbac.authorization.k8s.io");

  const auto& pod = m.objects[4];
  CHECK(pod.name == "job-");
  CHECK(pod.name_space == "default");
  CHECK_FALSE(pod.namespace_explicit);
}

TEST_CASE("anchor falls back to metadata, then the root", "[k8s]") {
  const Manifest m("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n---\napiVersion: v1\nkind: ConfigMap\n");
  REQUIRE(m.objects.size() == 2);
  CHECK(m.objects[0].anchor().is_map());
  CHECK(m.objects[0].anchor().begin.line == 4);
  CHECK(&m.objects[1].anchor() == &m.objects[1].root);
  CHECK(m.objects[1].name.empty());
}

TEST_CASE("cluster-scoped kinds", "[k8s]") {
  for (const char* kind : {"Namespace", "Node", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
                           "StorageClass", "PersistentVolume", "PriorityClass", "IngressClass"}) {
    INFO(kind);
    CHECK(gl::k8s::is_cluster_scoped(kind));
  }
  for (const char* kind : {"Deployment", "Service", "ConfigMap", "Secret", "PersistentVolumeClaim", "Role"}) {
    INFO(kind);
    CHECK_FALSE(gl::k8s::is_cluster_scoped(kind));
  }
}

TEST_CASE("workloads: kinds, pod specs, pod labels and replicas", "[k8s]") {
  const Manifest m(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
      "spec:\n  replicas: 4\n  template:\n    metadata: {labels: {app: d}}\n    spec: {containers: [{name: c}]}\n"
      "---\n"
      "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\n"
      "spec:\n  jobTemplate:\n    spec:\n      parallelism: 3\n      template:\n"
      "        metadata: {labels: {app: cj}}\n        spec: {containers: [{name: c}]}\n"
      "---\n"
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: p}}\nspec: {containers: [{name: c}]}\n"
      "---\n"
      "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {template: {spec: {}}}\n"
      "---\n"
      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec: {replicas: many}\n"
      "---\n"
      "apiVersion: v1\nkind: Deployment\nmetadata: {name: wrong-group}\n"
      "---\n"
      "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds}\nspec: {template: {spec: {}}}\n"
      "---\n"
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n");
  REQUIRE(m.objects.size() == 8);
  using gl::k8s::WorkloadKind;
  CHECK(gl::k8s::workload_kind(m.objects[0]) == WorkloadKind::kDeployment);
  CHECK(gl::k8s::workload_kind(m.objects[1]) == WorkloadKind::kCronJob);
  CHECK(gl::k8s::workload_kind(m.objects[2]) == WorkloadKind::kPod);
  CHECK(gl::k8s::workload_kind(m.objects[3]) == WorkloadKind::kJob);
  CHECK(gl::k8s::workload_kind(m.objects[4]) == WorkloadKind::kStatefulSet);
  CHECK(gl::k8s::workload_kind(m.objects[5]) == WorkloadKind::kNone);
  CHECK(gl::k8s::workload_kind(m.objects[6]) == WorkloadKind::kDaemonSet);
  CHECK_FALSE(gl::k8s::is_workload(m.objects[7]));

  REQUIRE(gl::k8s::pod_spec(m.objects[0]) != nullptr);
  CHECK(gl::k8s::pod_spec(m.objects[0])->begin.line == 8);
  REQUIRE(gl::k8s::pod_spec(m.objects[1]) != nullptr);
  CHECK(gl::k8s::pod_spec(m.objects[1])->get("containers") != nullptr);
  CHECK(gl::k8s::pod_spec(m.objects[2])->get("containers") != nullptr);
  CHECK(gl::k8s::pod_spec(m.objects[5]) == nullptr);
  CHECK(gl::k8s::pod_spec(m.objects[7]) == nullptr);

  CHECK(gl::k8s::pod_labels(m.objects[0]) == gl::k8s::Labels{{"app", "d"}});
  CHECK(gl::k8s::pod_labels(m.objects[1]) == gl::k8s::Labels{{"app", "cj"}});
  CHECK(gl::k8s::pod_labels(m.objects[2]) == gl::k8s::Labels{{"app", "p"}});
  CHECK(gl::k8s::pod_labels(m.objects[7]).empty());

  CHECK(gl::k8s::replicas(m.objects[0]) == 4);
  CHECK(gl::k8s::replicas(m.objects[1]) == 3);
  CHECK(gl::k8s::replicas(m.objects[2]) == 1);
  CHECK(gl::k8s::replicas(m.objects[3]) == 1);
  CHECK(gl::k8s::replicas(m.objects[4]) == 1);  // not a number: the default
  CHECK(gl::k8s::replicas(m.objects[6]) == 1);
}

TEST_CASE("read_string_map stringifies scalars and skips non-scalar keys", "[k8s]") {
  const Yaml y("m:\n  a: 1\n  b: true\n  c: {x: 1}\n  d:\n  ? [k]\n  : v\n");
  const auto m = gl::k8s::read_string_map(y.root().get("m"));
  CHECK(m == gl::k8s::Labels{{"a", "1"}, {"b", "true"}, {"c", ""}, {"d", ""}});
  CHECK(gl::k8s::read_string_map(nullptr).empty());
}

// ---------------------------------------------------------------------------------------------- inventory

TEST_CASE("the built-in instance catalog", "[k8s]") {
  const auto& c = gl::k8s::InstanceCatalog::builtin();
  CHECK(c.size() > 20);
  const auto* micro = c.find("t3.micro");
  REQUIRE(micro != nullptr);
  CHECK(micro->cpu_milli == 2000);
  CHECK(micro->memory_bytes == kGi);
  const auto* large = c.find("m5.large");
  REQUIRE(large != nullptr);
  CHECK(large->cpu_milli == 2000);
  CHECK(large->memory_bytes == 8 * kGi);
  CHECK(c.find("t3.micr") == nullptr);
  CHECK(c.find("") == nullptr);
  CHECK(c.find("zz.huge") == nullptr);
}

TEST_CASE("parsing and extending an instance catalog", "[k8s]") {
  auto c = gl::k8s::InstanceCatalog::parse(
      "instanceTypes:\n  b.small: {vcpu: \"2\", memory: 2Gi}\n  a.big: {vcpu: 500m, memory: 1.5Gi}\n");
  CHECK(c.size() == 2);
  REQUIRE(c.find("a.big") != nullptr);
  CHECK(c.find("a.big")->cpu_milli == 500);
  CHECK(c.find("a.big")->memory_bytes == 3 * kGi / 2);
  c.add({{"b.small", 4000, 4 * kGi}, {"c.new", 1000, kGi}});
  CHECK(c.size() == 3);
  CHECK(c.find("b.small")->cpu_milli == 4000);
  CHECK(c.find("c.new") != nullptr);
  CHECK(c.find("a.big") != nullptr);

  CHECK_THROWS_AS(gl::k8s::InstanceCatalog::parse("instanceTypes: [\n"), gl::FatalError);
  CHECK_THROWS_AS(gl::k8s::InstanceCatalog::parse("other: {}\n"), gl::FatalError);
  CHECK_THROWS_AS(gl::k8s::InstanceCatalog::parse("instanceTypes:\n  x: {vcpu: 1}\n"), gl::FatalError);
  CHECK_THROWS_AS(gl::k8s::InstanceCatalog::parse("instanceTypes:\n  x: {vcpu: lots, memory: 1Gi}\n"),
                  gl::FatalError);
}

TEST_CASE("inventory from Node objects", "[k8s]") {
  const Manifest m(
      "apiVersion: v1\nkind: Node\n"
      "metadata:\n  name: ip-a\n  labels:\n    node.kubernetes.io/instance-type: t3.micro\n    role: worker\n"
      "spec:\n  taints:\n    - {key: dedicated, value: db, effect: NoSchedule}\n"
      "---\n"
      "apiVersion: v1\nkind: Node\n"
      "metadata:\n  name: ip-b\n  labels:\n    node.kubernetes.io/instance-type: t3.micro\n"
      "    kubernetes.io/hostname: custom-host\n"
      "status:\n  allocatable: {cpu: 1930m, memory: 3Gi}\n"
      "---\n"
      "apiVersion: v1\nkind: Node\n"
      "metadata:\n  name: ip-c\n  labels: {beta.kubernetes.io/instance-type: m5.large}\n"
      "spec: {unschedulable: true}\n"
      "---\n"
      "apiVersion: v1\nkind: Node\n"
      "metadata:\n  name: ip-d\n  labels: {node.kubernetes.io/instance-type: x9.mystery}\n"
      "---\n"
      "apiVersion: v1\nkind: Node\nmetadata: {name: ip-e}\n");
  REQUIRE(m.objects.size() == 5);
  const gl::k8s::SystemReserve reserve;  // 100m, 256Mi
  const auto inv = gl::k8s::build_inventory(m.pointers(), {}, gl::k8s::InstanceCatalog::builtin(), reserve);
  REQUIRE(inv.nodes.size() == 5);
  CHECK_FALSE(inv.empty());

  const auto* a = node_named(inv, "ip-a");
  REQUIRE(a != nullptr);
  CHECK(a->instance_type == "t3.micro");
  CHECK(a->cpu_milli == 1900);
  CHECK(a->memory_bytes == 768 * kMi);
  CHECK(a->capacity_source.find("t3.micro") != std::string::npos);
  CHECK(a->labels.at("kubernetes.io/hostname") == "ip-a");
  CHECK(a->labels.at("role") == "worker");
  REQUIRE(a->taints.size() == 1);
  CHECK(a->taints[0].display() == "dedicated=db:NoSchedule");
  CHECK_FALSE(a->unschedulable);
  CHECK(a->group.empty());
  CHECK(a->origin.valid());
  CHECK(a->origin.begin.line == 4);  // metadata.name

  const auto* b = node_named(inv, "ip-b");
  REQUIRE(b != nullptr);
  CHECK(b->cpu_milli == 1930);
  CHECK(b->memory_bytes == 3 * kGi);
  CHECK(b->capacity_source == "status.allocatable");
  CHECK(b->labels.at("kubernetes.io/hostname") == "custom-host");

  const auto* c = node_named(inv, "ip-c");
  REQUIRE(c != nullptr);
  CHECK(c->instance_type == "m5.large");
  CHECK(c->unschedulable);
  CHECK(c->cpu_milli == 1900);
  CHECK(c->memory_bytes == 8 * kGi - 256 * kMi);

  const auto* d = node_named(inv, "ip-d");
  REQUIRE(d != nullptr);
  CHECK_FALSE(d->cpu_milli.has_value());
  CHECK_FALSE(d->memory_bytes.has_value());
  REQUIRE(inv.notes.size() == 1);
  CHECK(inv.notes[0].find("x9.mystery") != std::string::npos);
  CHECK(inv.notes[0].find("ip-d") != std::string::npos);

  const auto* e = node_named(inv, "ip-e");
  REQUIRE(e != nullptr);
  CHECK(e->instance_type.empty());
  CHECK_FALSE(e->cpu_milli.has_value());

  // Sorted by name.
  for (size_t i = 1; i < inv.nodes.size(); ++i) CHECK(inv.nodes[i - 1].name < inv.nodes[i].name);
}

TEST_CASE("inventory from node groups", "[k8s]") {
  gl::k8s::NodeGroupSpec api;
  api.name = "api";
  api.count = 3;
  api.instance_type = "t3.small";
  api.labels = {{"role", "api"}};
  api.taints = {gl::k8s::Taint{"dedicated", "api", "NoSchedule"}};
  gl::k8s::NodeGroupSpec single;
  single.name = "solo";
  single.labels = {{"node.kubernetes.io/instance-type", "t3.medium"}};
  gl::k8s::NodeGroupSpec unknown;
  unknown.name = "odd";
  unknown.count = 2;
  unknown.instance_type = "nope.large";
  gl::k8s::NodeGroupSpec none;
  none.name = "zero";
  none.count = 0;

  gl::k8s::SystemReserve reserve;
  reserve.cpu_milli = 500;
  reserve.memory_bytes = kGi / 2;
  const auto inv =
      gl::k8s::build_inventory({}, {api, single, unknown, none}, gl::k8s::InstanceCatalog::builtin(), reserve);
  REQUIRE(inv.nodes.size() == 6);
  CHECK(inv.nodes[0].name == "api-1");
  CHECK(inv.nodes[1].name == "api-2");
  CHECK(inv.nodes[2].name == "api-3");
  CHECK(inv.nodes[3].name == "odd-1");
  CHECK(inv.nodes[4].name == "odd-2");
  CHECK(inv.nodes[5].name == "solo");

  const auto& a2 = inv.nodes[1];
  CHECK(a2.group == "api");
  CHECK(a2.labels.at("role") == "api");
  CHECK(a2.labels.at("kubernetes.io/hostname") == "api-2");
  CHECK(a2.labels.at("node.kubernetes.io/instance-type") == "t3.small");
  CHECK(a2.cpu_milli == 1500);
  CHECK(a2.memory_bytes == 3 * kGi / 2);
  REQUIRE(a2.taints.size() == 1);
  CHECK(a2.capacity_source.find("t3.small") != std::string::npos);

  const auto& solo = inv.nodes[5];
  CHECK(solo.instance_type == "t3.medium");
  CHECK(solo.memory_bytes == 4 * kGi - kGi / 2);

  CHECK_FALSE(inv.nodes[3].cpu_milli.has_value());
  REQUIRE(inv.notes.size() == 2);  // one per node of the unknown group
  CHECK(inv.notes[0].find("nope.large") != std::string::npos);
}

TEST_CASE("a reserve larger than the instance leaves zero, not a negative", "[k8s]") {
  gl::k8s::NodeGroupSpec g;
  g.name = "tiny";
  g.instance_type = "t3.nano";
  gl::k8s::SystemReserve reserve;
  reserve.memory_bytes = kGi;
  const auto inv = gl::k8s::build_inventory({}, {g}, gl::k8s::InstanceCatalog::builtin(), reserve);
  REQUIRE(inv.nodes.size() == 1);
  CHECK(inv.nodes[0].memory_bytes == 0);
}

TEST_CASE("parse_selector_string: the kubectl -l syntax", "[k8s][selector]") {
  std::string err;
  auto sel = gl::k8s::parse_selector_string("tier=frontend, app notin (legacy,old),!canary,env!=dev,zone", &err);
  REQUIRE(sel);
  REQUIRE(sel->reqs.size() == 5);
  CHECK(sel->matches({{"tier", "frontend"}, {"app", "web"}, {"zone", "a"}}));
  CHECK_FALSE(sel->matches({{"tier", "frontend"}, {"app", "legacy"}, {"zone", "a"}}));
  CHECK_FALSE(sel->matches({{"tier", "frontend"}, {"zone", "a"}, {"canary", "true"}}));
  CHECK_FALSE(sel->matches({{"tier", "frontend"}, {"zone", "a"}, {"env", "dev"}}));
  CHECK_FALSE(sel->matches({{"tier", "frontend"}}));
  CHECK(gl::k8s::parse_selector_string("", &err)->empty());
  CHECK_FALSE(gl::k8s::parse_selector_string("app in legacy", &err));
  CHECK(err.find("app in legacy") != std::string::npos);
  CHECK_FALSE(gl::k8s::parse_selector_string("a=b,,c", &err));
}

TEST_CASE("nodes from infrastructure code join the inventory; declarations win", "[k8s][inventory]") {
  gl::SourceFile tf("terraform/main.tf", "instance_type = \"t3.small\"\nnode_labels = \"role=api\"\n");
  gl::k8s::infra::InfraNode api;
  api.name = "k8s-api";
  api.instance_type = "t3.small";
  api.labels = {{"role", "api"}};
  api.sources.push_back({gl::k8s::infra::FactKind::kInstanceType, "t3.small", "", "", "instance type t3.small",
                         gl::Span{&tf, {1, 17}, {1, 27}}});
  api.sources.push_back({gl::k8s::infra::FactKind::kLabel, "role", "api", "", "label role=api",
                         gl::Span{&tf, {2, 16}, {2, 24}}});
  gl::k8s::infra::InfraNode workers;
  workers.name = "workers";
  workers.count = 2;
  workers.instance_type = "t3.medium";
  gl::k8s::infra::InfraNode taken;
  taken.name = "solo";  // also a configured group of one: the config wins
  taken.instance_type = "t3.nano";
  gl::k8s::NodeGroupSpec solo;
  solo.name = "solo";
  solo.instance_type = "t3.large";
  const auto inv = gl::k8s::build_inventory({}, {solo}, gl::k8s::InstanceCatalog::builtin(), gl::k8s::SystemReserve{},
                                            {api, workers, taken});
  REQUIRE(inv.nodes.size() == 4);
  CHECK(inv.nodes[0].name == "k8s-api");
  CHECK(inv.nodes[1].name == "solo");
  CHECK(inv.nodes[1].instance_type == "t3.large");
  CHECK(inv.nodes[2].name == "workers-1");
  CHECK(inv.nodes[3].name == "workers-2");
  CHECK(inv.nodes[2].group == "workers");
  const auto& a = inv.nodes[0];
  CHECK(a.labels.at("node.kubernetes.io/instance-type") == "t3.small");
  CHECK(a.labels.at("kubernetes.io/hostname") == "k8s-api");
  // Findings about the node point at the line that set its instance type; its labels keep their lines.
  CHECK(a.origin.begin.line == 1);
  CHECK(a.instance_type_origin.begin.line == 1);
  CHECK(a.label_origins.at("role").begin.line == 2);
  CHECK(a.facts.size() == 2);
  REQUIRE(inv.notes.size() == 1);
  CHECK(inv.notes[0].find("node `solo` is declared by a Node object or the config and in infrastructure code") == 0);
}
