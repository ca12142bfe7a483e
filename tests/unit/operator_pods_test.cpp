// Tests for src/k8s/operator_pods: the table of field paths, the pod groups read from each operator's custom
// resources (with every node pointing at the resource's own lines), config extension and malformed entries.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/error.h"
#include "core/source.h"
#include "k8s/object.h"
#include "k8s/operator_pods.h"
#include "yaml/parser.h"

namespace {

using gl::k8s::OperatorPodTable;

/// Objects parsed from YAML text with their operator pods read through `table`.
struct Resources {
  explicit Resources(std::string text, const OperatorPodTable& table = OperatorPodTable::builtin())
      : file(std::make_unique<gl::SourceFile>("cr.yaml", std::move(text))) {
    auto parsed = gl::yaml::parse(*file);
    REQUIRE(parsed.errors.empty());
    for (auto& doc : parsed.documents) {
      if (auto o = gl::k8s::make_object(std::move(doc))) objects.push_back(std::move(*o));
    }
    gl::k8s::attach_operator_pods(objects, table);
  }
  std::unique_ptr<gl::SourceFile> file;
  std::vector<gl::k8s::Object> objects;
};

std::string at(const gl::yaml::Node& n) { return fmt::format("@{}", n.begin.line); }

/// One line per pod group: name, replicas, each container's requests (value@line), placement nodes and labels.
std::string describe(const gl::k8s::Object& o) {
  std::string out;
  for (const auto& g : gl::k8s::pod_groups(o)) {
    out += fmt::format("{} x{}", g.name, g.replicas);
    REQUIRE(g.spec != nullptr);
    REQUIRE(g.spec->is_map());
    if (const auto* cs = g.spec->get("containers"); cs != nullptr && cs->is_seq()) {
      for (const auto& c : cs->items()) {
        out += fmt::format(" [{}", c.get("name") != nullptr ? c.get("name")->str() : "?");
        for (const char* r : {"memory", "cpu"}) {
          if (const auto* q = c.at({"resources", "requests", r})) out += fmt::format(" {}={}{}", r, q->str(), at(*q));
        }
        out += "]";
      }
    }
    if (const auto* n = g.spec->get("nodeSelector")) {
      out += " nodeSelector" + at(*n) + "{";
      for (const auto& [k, v] : gl::k8s::read_string_map(n)) out += k + "=" + v + ";";
      out += "}";
    }
    if (const auto* n = g.spec->at({"affinity", "nodeAffinity"})) out += " nodeAffinity" + at(*n);
    if (const auto* n = g.spec->get("tolerations")) out += " tolerations" + at(*n);
    if (!g.labels.empty()) {
      out += " labels{";
      for (const auto& [k, v] : g.labels) out += k + "=" + v + ";";
      out += "}";
    }
    out += "\n";
  }
  return out;
}

std::string describe_one(const std::string& yaml) {
  Resources r(yaml);
  REQUIRE(r.objects.size() == 1);
  return describe(r.objects.front());
}

/// The error of parsing `text` (an `operators:` list) as table entries: "line:col: message".
std::string table_error(const std::string& text) {
  gl::SourceFile file("t.yaml", text);
  auto parsed = gl::yaml::parse(file);
  REQUIRE(parsed.errors.empty());
  std::vector<gl::k8s::OperatorKind> kinds;
  auto err = gl::k8s::parse_operator_kinds(*parsed.documents.front().root.get("operators"), kinds);
  if (!err) return "no error";
  return fmt::format("{}:{}: {}", err->at.begin.line, err->at.begin.column, err->message);
}

}  // namespace

TEST_CASE("operator pods: field paths", "[operator-pods]") {
  auto p = gl::k8s::FieldPath::parse("spec.nodeSets[].podTemplate.spec");
  REQUIRE(p);
  REQUIRE(p->steps.size() == 4);
  CHECK(p->steps[1].key == "nodeSets");
  CHECK(p->steps[1].each);
  CHECK_FALSE(p->steps[2].each);
  CHECK(p->list_prefix() == "spec.nodeSets[]");
  auto plain = gl::k8s::FieldPath::parse("spec.resources");
  REQUIRE(plain);
  CHECK(plain->list_prefix().empty());
  CHECK_FALSE(gl::k8s::FieldPath::parse(""));
  CHECK_FALSE(gl::k8s::FieldPath::parse("spec..resources"));
  CHECK_FALSE(gl::k8s::FieldPath::parse("spec.a[].b[].c"));
  CHECK_FALSE(gl::k8s::FieldPath::parse("spec.a[0]"));
  CHECK_FALSE(gl::k8s::FieldPath::parse("spec."));
}

TEST_CASE("operator pods: the embedded table knows every listed operator", "[operator-pods]") {
  const auto& t = OperatorPodTable::builtin();
  CHECK(t.size() == 12);
  for (const auto& [group, kind] :
       std::vector<std::pair<std::string, std::string>>{{"rabbitmq.com", "RabbitmqCluster"},
                                                        {"postgresql.cnpg.io", "Cluster"},
                                                        {"redis.redis.opstreelabs.in", "Redis"},
                                                        {"redis.redis.opstreelabs.in", "RedisCluster"},
                                                        {"redis.redis.opstreelabs.in", "RedisReplication"},
                                                        {"redis.redis.opstreelabs.in", "RedisSentinel"},
                                                        {"elasticsearch.k8s.elastic.co", "Elasticsearch"},
                                                        {"kibana.k8s.elastic.co", "Kibana"},
                                                        {"kafka.strimzi.io", "Kafka"},
                                                        {"kafka.strimzi.io", "KafkaNodePool"},
                                                        {"monitoring.coreos.com", "Prometheus"},
                                                        {"monitoring.coreos.com", "Alertmanager"}}) {
    INFO(group << "/" << kind);
    CHECK(t.find(group, kind) != nullptr);
  }
  CHECK(t.find("acid.zalan.do", "postgresql") == nullptr);
  CHECK(t.find("rabbitmq.com", "Cluster") == nullptr);
  REQUIRE(t.find("redis.redis.opstreelabs.in", "RedisCluster") != nullptr);
  CHECK(t.find("redis.redis.opstreelabs.in", "RedisCluster")->groups.size() == 2);
}

TEST_CASE("operator pods: RabbitmqCluster and CloudNativePG", "[operator-pods]") {
  // Explicit resources and affinity; the operator's labels merged over the resource's own.
  CHECK(describe_one(R"(apiVersion: rabbitmq.com/v1beta1
kind: RabbitmqCluster
metadata:
  name: mq
  labels: {team: queue}
spec:
  replicas: 3
  resources:
    requests: {memory: 4Gi, cpu: "1"}
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms: [{matchExpressions: [{key: role, operator: In, values: [mq]}]}]
  tolerations: [{key: dedicated, value: mq, effect: NoSchedule}]
)") == "rabbitmq x3 [rabbitmq memory=4Gi@9 cpu=1@9] nodeAffinity@12 tolerations@14 "
       "labels{app.kubernetes.io/component=rabbitmq;app.kubernetes.io/name=mq;app.kubernetes.io/part-of=rabbitmq;"
       "team=queue;}\n");
  // No resources: the CRD default (2Gi) placed at the resource's name; replicas default 1; the StatefulSet
  // override's nodeSelector.
  CHECK(describe_one(R"(apiVersion: rabbitmq.com/v1beta1
kind: RabbitmqCluster
metadata:
  name: small
spec:
  override:
    statefulSet:
      spec:
        template:
          spec:
            nodeSelector: {role: mq}
)") == "rabbitmq x1 [rabbitmq memory=2Gi@4 cpu=1000m@4] nodeSelector@11{role=mq;} "
       "labels{app.kubernetes.io/component=rabbitmq;app.kubernetes.io/name=small;app.kubernetes.io/"
       "part-of=rabbitmq;}\n");
  // CloudNativePG: spec.affinity is not a core Affinity; its nodeSelector, nodeAffinity and tolerations are.
  CHECK(describe_one(R"(apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: pg
spec:
  instances: 3
  resources:
    requests:
      memory: 2Gi
  affinity:
    enablePodAntiAffinity: true
    nodeSelector:
      role: db
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]
    tolerations:
      - {key: dedicated, value: db, effect: NoSchedule}
)") == "postgres x3 [postgres memory=2Gi@9] nodeSelector@13{role=db;} nodeAffinity@15 tolerations@18 "
       "labels{cnpg.io/cluster=pg;cnpg.io/podRole=instance;}\n");
  // No resources and no default: the container is there, without requests (requests-fit warns about it).
  CHECK(describe_one("apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: bare}\nspec: {}\n") ==
        "postgres x1 [postgres] labels{cnpg.io/cluster=bare;cnpg.io/podRole=instance;}\n");
}

TEST_CASE("operator pods: OT redis-operator kinds", "[operator-pods]") {
  // RedisCluster: two groups, each falling back to clusterSize and kubernetesConfig.resources.
  CHECK(describe_one(R"(apiVersion: redis.redis.opstreelabs.in/v1beta2
kind: RedisCluster
metadata:
  name: rc
spec:
  clusterSize: 3
  kubernetesConfig:
    image: quay.io/opstree/redis:v7.0.15
    resources:
      requests: {memory: 512Mi}
  redisLeader:
    replicas: 2
    nodeSelector: {role: cache}
  redisFollower:
    resources:
      requests: {memory: 1Gi}
    tolerations: [{key: spot, operator: Exists}]
)") == "leader x2 [redis memory=512Mi@10] nodeSelector@13{role=cache;} "
       "labels{app=rc-leader;cluster=rc;redis_setup_type=cluster;role=leader;}\n"
       "follower x3 [redis memory=1Gi@16] tolerations@17 "
       "labels{app=rc-follower;cluster=rc;redis_setup_type=cluster;role=follower;}\n");
  // RedisSentinel as the corpus writes it: no resources; clusterSize; nodeSelector and tolerations.
  CHECK(describe_one(R"(apiVersion: redis.redis.opstreelabs.in/v1beta2
kind: RedisSentinel
metadata:
  name: redis-sentinel
  labels: {tier: data}
spec:
  clusterSize: 3
  kubernetesConfig:
    image: quay.io/opstree/redis-sentinel:7.2.4
  nodeSelector:
    infra-type: redis
  tolerations:
  - {key: domain, operator: Equal, value: data, effect: NoSchedule}
)") == "sentinel x3 [sentinel] nodeSelector@11{infra-type=redis;} tolerations@13 "
       "labels{app=redis-sentinel-sentinel;redis_setup_type=sentinel;role=sentinel;tier=data;}\n");
  CHECK(describe_one("apiVersion: redis.redis.opstreelabs.in/v1beta2\nkind: RedisSentinel\nmetadata: {name: s}\n"
                     "spec: {kubernetesConfig: {image: x}}\n") ==
        "sentinel x3 [sentinel] labels{app=s-sentinel;redis_setup_type=sentinel;role=sentinel;}\n");
  CHECK(describe_one("apiVersion: redis.redis.opstreelabs.in/v1beta2\nkind: RedisReplication\nmetadata: {name: r}\n"
                     "spec:\n  clusterSize: 2\n  kubernetesConfig:\n    resources: {requests: {memory: 1Gi}}\n") ==
        "redis x2 [redis memory=1Gi@7] labels{app=r;redis_setup_type=replication;role=replication;}\n");
  CHECK(describe_one("apiVersion: redis.redis.opstreelabs.in/v1beta2\nkind: Redis\nmetadata: {name: one}\n"
                     "spec:\n  clusterSize: 5\n  nodeSelector: {role: cache}\n") ==
        "redis x1 [redis] nodeSelector@6{role=cache;} labels{app=one;redis_setup_type=standalone;role=standalone;}\n");
}

TEST_CASE("operator pods: ECK node sets and Kibana pod templates", "[operator-pods]") {
  // One group per node set, named after it; the elasticsearch container without resources gets ECK's 2Gi,
  // one with resources keeps them; a node set without a pod template gets the default container.
  CHECK(describe_one(R"(apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata:
  name: logs
spec:
  version: 8.14.0
  nodeSets:
    - name: hot
      count: 3
      podTemplate:
        metadata:
          labels: {tier: hot}
        spec:
          nodeSelector: {role: hot}
          containers:
            - name: elasticsearch
              resources:
                requests: {memory: 8Gi, cpu: "2"}
    - name: warm
      count: 2
      podTemplate:
        spec:
          containers:
            - name: elasticsearch
              env: [{name: X, value: "1"}]
          tolerations: [{key: warm, operator: Exists}]
    - name: cold
      count: 1
)") == "hot x3 [elasticsearch memory=8Gi@18 cpu=2@18] nodeSelector@14{role=hot;} "
       "labels{common.k8s.elastic.co/type=elasticsearch;elasticsearch.k8s.elastic.co/cluster-name=logs;"
       "elasticsearch.k8s.elastic.co/statefulset-name=logs-es-hot;tier=hot;}\n"
       "warm x2 [elasticsearch memory=2Gi@24] tolerations@26 "
       "labels{common.k8s.elastic.co/type=elasticsearch;elasticsearch.k8s.elastic.co/cluster-name=logs;"
       "elasticsearch.k8s.elastic.co/statefulset-name=logs-es-warm;}\n"
       "cold x1 [elasticsearch memory=2Gi@4] "
       "labels{common.k8s.elastic.co/type=elasticsearch;elasticsearch.k8s.elastic.co/cluster-name=logs;"
       "elasticsearch.k8s.elastic.co/statefulset-name=logs-es-cold;}\n");
  // Kibana: count has no default (0 pods when unset); a sidecar container is kept next to the defaulted one.
  CHECK(describe_one(R"(apiVersion: kibana.k8s.elastic.co/v1
kind: Kibana
metadata:
  name: kb
spec:
  podTemplate:
    spec:
      containers:
        - name: proxy
          resources: {requests: {memory: 64Mi}}
)") == "kibana x0 [proxy memory=64Mi@10] [kibana memory=2Gi@8] "
       "labels{common.k8s.elastic.co/type=kibana;kibana.k8s.elastic.co/name=kb;}\n");
  // An empty node set list: no group, so not a workload.
  Resources none(
      "apiVersion: elasticsearch.k8s.elastic.co/v1\nkind: Elasticsearch\nmetadata: {name: e}\n"
      "spec: {nodeSets: []}\n");
  CHECK(gl::k8s::workload_kind(none.objects.front()) == gl::k8s::WorkloadKind::kNone);
}

TEST_CASE("operator pods: Strimzi Kafka, node pools and prometheus-operator", "[operator-pods]") {
  CHECK(describe_one(R"(apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata:
  name: events
spec:
  kafka:
    replicas: 3
    resources:
      requests: {memory: 4Gi, cpu: "1"}
    template:
      pod:
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms: [{matchExpressions: [{key: role, operator: In, values: [kafka]}]}]
        tolerations: [{key: kafka, operator: Exists}]
  zookeeper:
    replicas: 3
    resources:
      requests: {memory: 1Gi}
  entityOperator:
    topicOperator:
      resources:
        requests: {memory: 256Mi}
)") == "kafka x3 [kafka memory=4Gi@9 cpu=1@9] nodeAffinity@14 tolerations@16 "
       "labels{strimzi.io/cluster=events;strimzi.io/kind=Kafka;strimzi.io/name=events-kafka;}\n"
       "zookeeper x3 [zookeeper memory=1Gi@20] "
       "labels{strimzi.io/cluster=events;strimzi.io/kind=Kafka;strimzi.io/name=events-zookeeper;}\n"
       "entity-operator x1 [topic-operator memory=256Mi@24] "
       "labels{strimzi.io/cluster=events;strimzi.io/kind=Kafka;strimzi.io/name=events-entity-operator;}\n");
  // KRaft with node pools: the Kafka resource itself has no pods of its own; each pool has.
  Resources kraft(R"(apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata:
  name: k
  annotations: {strimzi.io/node-pools: enabled, strimzi.io/kraft: enabled}
spec:
  kafka:
    listeners: []
---
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaNodePool
metadata:
  name: brokers
  labels: {strimzi.io/cluster: k}
spec:
  replicas: 3
  roles: [broker]
  resources:
    requests: {memory: 2Gi}
)");
  REQUIRE(kraft.objects.size() == 2);
  CHECK(gl::k8s::workload_kind(kraft.objects[0]) == gl::k8s::WorkloadKind::kNone);
  CHECK(describe(kraft.objects[1]) ==
        "kafka x3 [kafka memory=2Gi@19] "
        "labels{strimzi.io/cluster=k;strimzi.io/kind=Kafka;strimzi.io/pool-name=brokers;}\n");
  // Prometheus: replicas x shards pods; Alertmanager's memory default.
  CHECK(describe_one(R"(apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: main
spec:
  replicas: 2
  shards: 2
  resources:
    requests: {memory: 2Gi}
  nodeSelector: {role: monitoring}
  podMetadata:
    labels: {team: sre}
)") == "prometheus x4 [prometheus memory=2Gi@9] nodeSelector@10{role=monitoring;} "
       "labels{app.kubernetes.io/instance=main;app.kubernetes.io/managed-by=prometheus-operator;"
       "app.kubernetes.io/name=prometheus;operator.prometheus.io/name=main;prometheus=main;team=sre;}\n");
  CHECK(describe_one("apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: am}\nspec: {}\n") ==
        "alertmanager x1 [alertmanager memory=200Mi@3] labels{alertmanager=am;app.kubernetes.io/instance=am;"
        "app.kubernetes.io/managed-by=prometheus-operator;app.kubernetes.io/name=alertmanager;}\n");
}

TEST_CASE("operator pods: the workload accessors and provenance", "[operator-pods]") {
  Resources r(R"(apiVersion: redis.redis.opstreelabs.in/v1beta2
kind: RedisCluster
metadata:
  name: rc
  namespace: cache
spec:
  clusterSize: 3
  redisLeader:
    nodeSelector: {role: cache}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {replicas: 3}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: d}}
    spec: {containers: [{name: c}]}
)");
  REQUIRE(r.objects.size() == 3);
  const auto& rc = r.objects[0];
  using gl::k8s::WorkloadKind;
  CHECK(gl::k8s::workload_kind(rc) == WorkloadKind::kOperator);
  CHECK(gl::k8s::is_workload(rc));
  CHECK(gl::k8s::replicas(rc) == 3);
  CHECK(gl::k8s::pod_labels(rc).at("role") == "leader");
  const gl::yaml::Node* spec = gl::k8s::pod_spec(rc);
  REQUIRE(spec != nullptr);
  // The synthetic spec's children are the resource's own nodes: same file, same line.
  const gl::yaml::Node* sel = spec->get("nodeSelector");
  REQUIRE(sel != nullptr);
  CHECK(sel->file == r.file.get());
  CHECK(sel->begin.line == 9);
  CHECK(sel->get("role")->str() == "cache");
  // A group with no placement points at the resource itself.
  CHECK(spec->file == r.file.get());
  const auto groups = gl::k8s::pod_groups(rc);
  REQUIRE(groups.size() == 2);
  CHECK(groups[1].spec->get("nodeSelector") == nullptr);
  // Copies share the groups and keep the nodes alive.
  std::vector<gl::k8s::Object> copies = {rc};
  r.objects.clear();
  CHECK(gl::k8s::pod_spec(copies[0])->get("nodeSelector")->get("role")->str() == "cache");
  // Unknown kinds stay what they were; built-in workloads have one unnamed group.
  Resources again(
      "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {replicas: 3}\n---\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 2\n  template:\n"
      "    metadata: {labels: {app: d}}\n    spec: {containers: [{name: c}]}\n");
  CHECK(gl::k8s::workload_kind(again.objects[0]) == WorkloadKind::kNone);
  CHECK(gl::k8s::pod_groups(again.objects[0]).empty());
  const auto dg = gl::k8s::pod_groups(again.objects[1]);
  REQUIRE(dg.size() == 1);
  CHECK(dg[0].name.empty());
  CHECK(dg[0].replicas == 2);
  CHECK(dg[0].labels == gl::k8s::Labels{{"app", "d"}});
  CHECK(dg[0].spec == gl::k8s::pod_spec(again.objects[1]));
}

TEST_CASE("operator pods: the config adds and replaces kinds", "[operator-pods]") {
  gl::SourceFile cfg(".gitops-lint.yaml", R"(operators:
  - apiGroup: example.com
    kind: Widget
    pods:
      - name: widget
        replicas: spec.size
        defaultReplicas: 2
        containers:
          - {name: main, resources: spec.main.resources}
          - {name: sidecar, resources: spec.sidecar.resources, requires: spec.sidecar}
        nodeSelector: spec.placement.nodeSelector
        labels: {app: "{name}-{group}"}
  - apiGroup: rabbitmq.com
    kind: RabbitmqCluster
    pods:
      - name: broker
        replicas: spec.replicas
        resources: spec.resources
)");
  const auto config = gl::config::parse_config(cfg);
  REQUIRE(config.operators.size() == 2);
  OperatorPodTable table = OperatorPodTable::builtin();
  const size_t before = table.size();
  table.add(config.operators);
  CHECK(table.size() == before + 1);
  Resources r(R"(apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  main:
    resources: {requests: {memory: 1Gi}}
  placement:
    nodeSelector: {role: widgets}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: v}
spec:
  size: 4
  sidecar: {resources: {requests: {memory: 10Mi}}}
---
apiVersion: rabbitmq.com/v1beta1
kind: RabbitmqCluster
metadata: {name: mq}
spec: {replicas: 3}
)",
              table);
  REQUIRE(r.objects.size() == 3);
  CHECK(describe(r.objects[0]) ==
        "widget x2 [main memory=1Gi@6] nodeSelector@8{role=widgets;} labels{app=w-widget;}\n");
  CHECK(describe(r.objects[1]) == "widget x4 [main] [sidecar memory=10Mi@15] labels{app=v-widget;}\n");
  // The replaced RabbitmqCluster entry has no defaults and no labels any more.
  CHECK(describe(r.objects[2]) == "broker x3 [broker]\n");
}

TEST_CASE("operator pods: malformed entries are clear errors", "[operator-pods]") {
  CHECK(table_error("operators: {}\n") == "1:12: `operators` must be a list of `{apiGroup, kind, pods}` entries");
  CHECK(table_error("operators:\n  - kind: X\n    pods: [{name: x}]\n") ==
        "2:5: an operator entry needs `apiGroup` and `kind`");
  CHECK(table_error("operators:\n  - {apiGroup: a, kind: X}\n") ==
        "2:5: an operator entry needs `pods`, a list of pod groups");
  CHECK(table_error("operators:\n  - apiGroup: a\n    kind: X\n    pod: []\n") ==
        "4:5: unknown key `pod` in an operator entry (expected `apiGroup`, `kind`, `pods`)");
  CHECK(table_error("operators:\n  - apiGroup: a\n    kind: X\n    pods:\n      - replicas: spec.size\n") ==
        "5:9: a pod group needs a `name`");
  CHECK(table_error(
            "operators:\n  - apiGroup: a\n    kind: X\n    pods:\n      - name: x\n        replicas: spec..size\n") ==
        "6:19: `replicas` is not a field path: `spec..size` (dotted keys, at most one `[]`)");
  CHECK(
      table_error("operators:\n  - apiGroup: a\n    kind: X\n    pods:\n      - name: x\n        replicas: {a: b}\n") ==
      "6:19: `replicas` must be a field path such as `spec.resources`, or a list of them");
  CHECK(table_error(
            "operators:\n  - apiGroup: a\n    kind: X\n    pods:\n      - name: x\n        defaultReplicas: -1\n") ==
        "6:26: `defaultReplicas` must be a non-negative integer");
  CHECK(table_error("operators:\n  - apiGroup: a\n    kind: X\n    pods:\n      - name: x\n"
                    "        defaultResources: {requests: {memory: lots}}\n") ==
        "6:47: `defaultResources.requests.memory` is not a quantity");
  CHECK(table_error("operators:\n  - apiGroup: a\n    kind: X\n    pods:\n      - name: x\n"
                    "        replicas: spec.a[].n\n        podSpec: spec.b[].spec\n") ==
        "5:9: pod group `x` walks two lists (`spec.a[]` and `spec.b[]`); a group repeats over one");
  CHECK(table_error("operators:\n  - apiGroup: a\n    kind: X\n    pods:\n      - name: x\n"
                    "        resources: spec.r\n        containers: [{name: y}]\n") ==
        "6:20: a pod group takes `resources` or `containers`, not both");
  CHECK_THAT(
      table_error("operators:\n  - apiGroup: a\n    kind: X\n    pods:\n      - name: x\n        replica: spec.n\n"),
      Catch::StartsWith("6:9: unknown key `replica` in a pod group (expected one of `name`, `nameFrom`"));
  CHECK(table_error("operators:\n  - apiGroup: a\n    kind: X\n    pods:\n      - name: x\n"
                    "        containers: [{resources: spec.r}]\n") == "6:22: a container needs a `name`");
  // In the config: a FatalError naming the file and line.
  gl::SourceFile cfg(".gitops-lint.yaml",
                     "operators:\n  - apiGroup: a\n    kind: X\n    pods: [{name: x, nodeSelector: 3.x..}]\n");
  CHECK_THROWS_WITH(
      gl::config::parse_config(cfg),
      ".gitops-lint.yaml:4:36: `nodeSelector` is not a field path: `3.x..` (dotted keys, at most one `[]`)");
  // A malformed table file names its line too.
  CHECK_THROWS_WITH(OperatorPodTable::parse("operators:\n  - apiGroup: a\n", "rules/x.yaml"),
                    "rules/x.yaml:2:5: an operator entry needs `apiGroup` and `kind`");
  CHECK_THROWS_WITH(OperatorPodTable::parse("kinds: []\n", "rules/x.yaml"), "rules/x.yaml: no `operators` list");
}
