// Tests for src/graph: host mentions, service DNS names, and the typed edges built from real YAML.
#include <algorithm>
#include <catch2/catch.hpp>
#include <re2/re2.h>
#include <memory>
#include <string>
#include <vector>

#include "core/source.h"
#include "graph/graph.h"
#include "graph/talk.h"
#include "k8s/inventory.h"
#include "k8s/object.h"
#include "yaml/parser.h"

namespace {

using gl::graph::EdgeKind;

/// Objects parsed from YAML text; owns the SourceFile their nodes point into.
struct Repo {
  explicit Repo(std::string text) : file(std::make_unique<gl::SourceFile>("repo.yaml", std::move(text))) {
    auto parsed = gl::yaml::parse(*file);
    const std::string first_error = parsed.errors.empty() ? std::string() : parsed.errors[0].message;
    INFO(first_error);
    REQUIRE(parsed.errors.empty());
    for (auto& doc : parsed.documents) {
      if (auto o = gl::k8s::make_object(std::move(doc))) objects.push_back(std::move(*o));
    }
  }
  gl::graph::Graph build(const std::vector<gl::k8s::NodeGroupSpec>& groups = {}) const {
    auto inventory =
        gl::k8s::build_inventory({}, groups, gl::k8s::InstanceCatalog::builtin(), gl::k8s::SystemReserve{});
    return gl::graph::build_graph(objects, std::move(inventory), gl::graph::GraphOptions::defaults());
  }
  /// 1-based column of the first occurrence of `needle` on the line holding `anchor`.
  gl::Mark mark_of(const std::string& anchor, const std::string& needle) const {
    for (uint32_t l = 1; l <= file->line_count(); ++l) {
      const auto line = file->line(l);
      if (line.find(anchor) == std::string_view::npos) continue;
      const size_t col = line.find(needle);
      REQUIRE(col != std::string_view::npos);
      return gl::Mark{l, static_cast<uint32_t>(col + 1)};
    }
    FAIL("no line contains " << anchor);
    return {};
  }
  std::unique_ptr<gl::SourceFile> file;
  std::vector<gl::k8s::Object> objects;
};

uint32_t idx(const gl::graph::Graph& g, const std::string& kind, const std::string& ns, const std::string& name) {
  auto i = g.find(kind, ns, name);
  INFO(kind << "/" << ns << "/" << name);
  REQUIRE(i.has_value());
  return *i;
}

std::vector<const gl::graph::Edge*> edges(const gl::graph::Graph& g, EdgeKind kind, uint32_t from, uint32_t to) {
  std::vector<const gl::graph::Edge*> out;
  for (const auto& e : g.edges) {
    if (e.kind == kind && e.from == from && e.to == to) out.push_back(&e);
  }
  return out;
}

bool has_edge(const gl::graph::Graph& g, EdgeKind kind, uint32_t from, uint32_t to) {
  return !edges(g, kind, from, to).empty();
}

size_t count_kind(const gl::graph::Graph& g, EdgeKind kind, uint32_t from) {
  return static_cast<size_t>(
      std::count_if(g.edges.begin(), g.edges.end(), [&](const auto& e) { return e.kind == kind && e.from == from; }));
}

/// A small shop: web talks to postgres (data namespace) and cache, with every kind of edge.
const char* const kShop = R"(apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: data}
---
apiVersion: v1
kind: Service
metadata: {name: postgres, namespace: data}
spec:
  selector: {app: postgres}
  ports: [{port: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: postgres, namespace: data}
spec:
  template:
    metadata: {labels: {app: postgres}}
    spec:
      nodeSelector: {role: db}
      tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}]
      containers: [{name: pg, image: "postgres:15"}]
---
apiVersion: v1
kind: Service
metadata: {name: cache, namespace: shop}
spec:
  selector: {app: cache}
  ports: [{port: 8080, targetPort: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cache, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers: [{name: c, image: "registry.local:5000/bitnami/redis:7.2"}]
---
apiVersion: v1
kind: Service
metadata: {name: headless, namespace: shop}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data:
  CACHE_URL: "redis://cache:8080"
  UNUSED: "http://postgres.data:5432"
---
apiVersion: v1
kind: Secret
metadata: {name: web-secret, namespace: shop}
data:
  DATABASE_URL: cG9zdGdyZXM6Ly91OnBAcG9zdGdyZXMuZGF0YS5zdmMuY2x1c3Rlci5sb2NhbDo1NDMyL2FwcA==
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: web-data, namespace: shop}
spec:
  storageClassName: fast
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      serviceAccountName: web
      priorityClassName: high
      nodeSelector: {role: db}
      containers:
        - name: web
          image: shop/web:1
          env:
            - name: DB_HOST
              value: postgres.data
            - name: DB_PORT
              value: "5432"
            - name: SEARCH_URL
              value: "http://search.search.svc:9200/idx"
            - name: METRICS
              value: http://metrics.monitoring:9090
            - name: AUDIT
              value: audit.shop:7000
            - name: EXTERNAL
              value: https://api.example.com/v1
            - name: FROM_CM
              valueFrom: {configMapKeyRef: {name: web-config, key: CACHE_URL}}
          envFrom:
            - secretRef: {name: web-secret}
      volumes:
        - name: config
          configMap: {name: web-config}
        - name: data
          persistentVolumeClaim: {claimName: web-data}
        - name: missing
          configMap: {name: not-in-repo}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: other}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: shop/web:1}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: front-only, namespace: shop}
spec:
  podSelector:
    matchExpressions: [{key: tier, operator: In, values: [front]}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web-pdb, namespace: shop}
spec:
  selector:
    matchLabels: {app: web}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web-hpa, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: shop}
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: sealed, namespace: shop}
spec:
  template:
    metadata: {name: web-secret}
)";

gl::k8s::NodeGroupSpec group(std::string name, std::string role, std::vector<gl::k8s::Taint> taints = {}) {
  gl::k8s::NodeGroupSpec g;
  g.name = std::move(name);
  g.labels = {{"role", std::move(role)}};
  g.taints = std::move(taints);
  g.instance_type = "t3.large";
  return g;
}

}  // namespace

namespace Catch {
template <>
struct StringMaker<gl::Mark> {
  static std::string convert(const gl::Mark& m) { return std::to_string(m.line) + ":" + std::to_string(m.column); }
};
}  // namespace Catch

// ---------------------------------------------------------------------------------------------- talk.h

TEST_CASE("find_hosts: URLs, with and without credentials", "[graph]") {
  const std::string url = "postgres://user:s3cr:et@DB.Data:5432/app?sslmode=disable";
  auto hosts = gl::graph::find_hosts(url);
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0].scheme == "postgres");
  CHECK(hosts[0].host == "db.data");
  CHECK(hosts[0].port == 5432);
  CHECK(hosts[0].offset == url.find("DB.Data"));

  hosts = gl::graph::find_hosts("redis://redis-master/0");
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0].host == "redis-master");
  CHECK(hosts[0].port == 6379);  // the scheme's default

  hosts = gl::graph::find_hosts("amqp://guest:guest@rabbitmq.messaging.svc.cluster.local.:5672/");
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0].host == "rabbitmq.messaging.svc.cluster.local");  // trailing dot removed
  CHECK(hosts[0].scheme == "amqp");

  hosts = gl::graph::find_hosts("mongodb+srv://u:p@cluster0.mongodb.net/db");
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0].scheme == "mongodb+srv");
  CHECK(hosts[0].port == 27017);

  hosts = gl::graph::find_hosts("HTTPS://api.example.com/v1");
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0].scheme == "https");
  CHECK(hosts[0].port == 443);

  hosts = gl::graph::find_hosts("unknown://thing");
  REQUIRE(hosts.size() == 1);
  CHECK_FALSE(hosts[0].port.has_value());
}

TEST_CASE("find_hosts: several URLs in one value", "[graph]") {
  const std::string v = "primary=http://a.shop:81 replica=http://b.shop:82";
  const auto hosts = gl::graph::find_hosts(v);
  REQUIRE(hosts.size() == 2);
  CHECK(hosts[0].host == "a.shop");
  CHECK(hosts[0].port == 81);
  CHECK(hosts[0].offset == v.find("a.shop"));
  CHECK(hosts[1].host == "b.shop");
  CHECK(hosts[1].port == 82);
  CHECK(hosts[1].offset == v.find("b.shop"));
}

TEST_CASE("find_hosts: host, host:port and comma-separated lists", "[graph]") {
  auto hosts = gl::graph::find_hosts("postgres");
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0].host == "postgres");
  CHECK(hosts[0].scheme.empty());
  CHECK_FALSE(hosts[0].port.has_value());
  CHECK(hosts[0].offset == 0);

  hosts = gl::graph::find_hosts("  db.data:5432  ");
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0].host == "db.data");
  CHECK(hosts[0].port == 5432);
  CHECK(hosts[0].offset == 2);

  const std::string list = "redis-0.redis:26379, redis-1.redis:26379,redis-2.redis";
  hosts = gl::graph::find_hosts(list);
  REQUIRE(hosts.size() == 3);
  CHECK(hosts[0].host == "redis-0.redis");
  CHECK(hosts[0].offset == 0);
  CHECK(hosts[1].host == "redis-1.redis");
  CHECK(hosts[1].port == 26379);
  CHECK(hosts[1].offset == list.find("redis-1"));
  CHECK(hosts[2].host == "redis-2.redis");
  CHECK(hosts[2].offset == list.find("redis-2"));
  CHECK_FALSE(hosts[2].port.has_value());

  // An invalid part of a list is skipped, the rest kept.
  hosts = gl::graph::find_hosts("kafka-0:9092,not a host,kafka-1:9092");
  REQUIRE(hosts.size() == 2);
  CHECK(hosts[1].host == "kafka-1");

  hosts = gl::graph::find_hosts("db:99999");
  REQUIRE(hosts.size() == 1);
  CHECK_FALSE(hosts[0].port.has_value());  // out of range
}

TEST_CASE("find_hosts: values that name no host", "[graph]") {
  CHECK(gl::graph::find_hosts("").empty());
  CHECK(gl::graph::find_hosts("   ").empty());
  CHECK(gl::graph::find_hosts("hello world").empty());
  CHECK(gl::graph::find_hosts("-leading-dash").empty());
  CHECK(gl::graph::find_hosts("a..b").empty());
  CHECK(gl::graph::find_hosts("Capitalised").empty());
  CHECK(gl::graph::find_hosts("/var/lib/data").empty());
  CHECK(gl::graph::find_hosts(std::string(5000, 'a')).empty());
}

TEST_CASE("default_port", "[graph]") {
  CHECK(gl::graph::default_port("postgres") == 5432);
  CHECK(gl::graph::default_port("postgresql") == 5432);
  CHECK(gl::graph::default_port("redis") == 6379);
  CHECK(gl::graph::default_port("amqps") == 5671);
  CHECK(gl::graph::default_port("mysql") == 3306);
  CHECK(gl::graph::default_port("http") == 80);
  CHECK(gl::graph::default_port("https") == 443);
  CHECK_FALSE(gl::graph::default_port("gopher").has_value());
  CHECK_FALSE(gl::graph::default_port("").has_value());
}

TEST_CASE("parse_service_dns: every in-cluster form", "[graph]") {
  struct Case {
    const char* host;
    const char* service;
    const char* ns;
    bool certain;
  };
  for (const Case& c : {
           Case{"db", "db", "", false},
           Case{"db.data", "db", "data", false},
           Case{"db.data.svc", "db", "data", true},
           Case{"db.data.svc.cluster.local", "db", "data", true},
           Case{"db.data.svc.cluster.local.", "db", "data", true},
           Case{"DB.Data.SVC", "db", "data", true},
           Case{"pg-0.db.data.svc.cluster.local", "db", "data", true},
           Case{"pg-0.db.data.svc", "db", "data", true},
       }) {
    INFO(c.host);
    auto dns = gl::graph::parse_service_dns(c.host);
    REQUIRE(dns.has_value());
    CHECK(dns->service == c.service);
    CHECK(dns->name_space == c.ns);
    CHECK(dns->certain == c.certain);
  }
  for (const char* host : {"api.example.com", "a.b.c.d", "x.svc", "svc", "a.b.c.d.svc.cluster.local"}) {
    INFO(host);
    if (std::string(host) == "svc") {
      // A Service may well be called `svc`.
      CHECK(gl::graph::parse_service_dns(host).has_value());
      continue;
    }
    CHECK_FALSE(gl::graph::parse_service_dns(host).has_value());
  }
}

// ---------------------------------------------------------------------------------------------- build_graph

TEST_CASE("indexes: find, of_kind, namespaces", "[graph]") {
  const Repo repo(kShop);
  const auto g = repo.build();
  CHECK(g.objects.size() == repo.objects.size());
  CHECK(g.find("Service", "data", "postgres").has_value());
  CHECK_FALSE(g.find("Service", "shop", "postgres").has_value());
  CHECK(g.find("PriorityClass", "", "high").has_value());
  CHECK(g.find("Deployment", "other", "web").has_value());
  CHECK(g.of_kind("Service").size() == 3);
  CHECK(g.of_kind("Nope").empty());
  CHECK(g.knows_namespace("shop"));
  CHECK(g.knows_namespace("data"));
  CHECK(g.knows_namespace("other"));  // used, not declared
  CHECK_FALSE(g.knows_namespace("monitoring"));
  CHECK_FALSE(g.has_inventory());
  CHECK(g.out_edges(99999).empty());
  CHECK(g.in_edges(99999).empty());
}

TEST_CASE("talks-to edges resolve to the right Service", "[graph]") {
  const Repo repo(kShop);
  const auto g = repo.build();
  const uint32_t web = idx(g, "Deployment", "shop", "web");
  const uint32_t pg = idx(g, "Service", "data", "postgres");
  const uint32_t cache = idx(g, "Service", "shop", "cache");

  SECTION("a bare host with a sibling _PORT variable") {
    auto es = edges(g, EdgeKind::kTalksTo, web, pg);
    auto it = std::find_if(es.begin(), es.end(), [](const auto* e) { return e->detail == "DB_HOST"; });
    REQUIRE(it != es.end());
    CHECK((*it)->port == 5432);
    CHECK((*it)->evidence.file == repo.file.get());
    CHECK((*it)->evidence.begin == repo.mark_of("value: postgres.data", "postgres.data"));
    CHECK((*it)->evidence.end.column == (*it)->evidence.begin.column + 13);
  }
  SECTION("a URL in a ConfigMap entry read through configMapKeyRef") {
    auto es = edges(g, EdgeKind::kTalksTo, web, cache);
    REQUIRE(es.size() == 1);
    CHECK(es[0]->detail == "CACHE_URL");
    CHECK(es[0]->port == 8080);
    CHECK(es[0]->evidence.begin == repo.mark_of("CACHE_URL:", "cache:8080"));
  }
  SECTION("a base64 Secret value read through envFrom points at the whole value") {
    auto es = edges(g, EdgeKind::kTalksTo, web, pg);
    auto it = std::find_if(es.begin(), es.end(), [](const auto* e) { return e->detail == "DATABASE_URL"; });
    REQUIRE(it != es.end());
    CHECK((*it)->port == 5432);
    CHECK((*it)->evidence.begin == repo.mark_of("DATABASE_URL:", "cG9z"));
  }
  SECTION("keys of a ConfigMap that is not read are not talks") {
    for (const auto* e : edges(g, EdgeKind::kTalksTo, web, pg)) CHECK(e->detail != "UNUSED");
    CHECK(count_kind(g, EdgeKind::kTalksTo, web) == 3);
  }
  SECTION("talks-to edges are in the Service's in-edges") {
    size_t talks = 0;
    for (uint32_t e : g.in_edges(pg)) talks += g.edges[e].kind == EdgeKind::kTalksTo ? 1 : 0;
    CHECK(talks == 2);
  }
}

TEST_CASE("unresolved in-cluster talks are recorded; external and unknown-namespace hosts are not", "[graph]") {
  const Repo repo(kShop);
  const auto g = repo.build();
  const uint32_t web = idx(g, "Deployment", "shop", "web");
  REQUIRE(g.unresolved_talks.size() == 2);
  std::vector<std::string> hosts;
  for (const auto& u : g.unresolved_talks) hosts.push_back(u.host);
  CHECK(std::find(hosts.begin(), hosts.end(), "metrics.monitoring") == hosts.end());
  CHECK(std::find(hosts.begin(), hosts.end(), "api.example.com") == hosts.end());

  auto search = std::find_if(g.unresolved_talks.begin(), g.unresolved_talks.end(),
                             [](const auto& u) { return u.host == "search.search.svc"; });
  REQUIRE(search != g.unresolved_talks.end());
  CHECK(search->from == web);
  CHECK(search->in_cluster);
  CHECK(search->port == 9200);
  CHECK(search->scheme == "http");
  CHECK(search->detail == "SEARCH_URL");
  CHECK(search->evidence.begin == repo.mark_of("search.search.svc", "search.search.svc"));

  auto audit = std::find_if(g.unresolved_talks.begin(), g.unresolved_talks.end(),
                            [](const auto& u) { return u.host == "audit.shop"; });
  REQUIRE(audit != g.unresolved_talks.end());
  CHECK(audit->in_cluster);  // `svc.<known namespace>`
  CHECK(audit->port == 7000);
  CHECK(audit->scheme.empty());
}

TEST_CASE("selects edges: Service, NetworkPolicy, PodDisruptionBudget, HPA", "[graph]") {
  const Repo repo(kShop);
  const auto g = repo.build();
  const uint32_t web = idx(g, "Deployment", "shop", "web");
  const uint32_t other_web = idx(g, "Deployment", "other", "web");
  const uint32_t cache = idx(g, "Deployment", "shop", "cache");
  const uint32_t pg = idx(g, "StatefulSet", "data", "postgres");

  CHECK(has_edge(g, EdgeKind::kSelects, idx(g, "Service", "data", "postgres"), pg));
  CHECK(has_edge(g, EdgeKind::kSelects, idx(g, "Service", "shop", "cache"), cache));
  CHECK(count_kind(g, EdgeKind::kSelects, idx(g, "Service", "shop", "cache")) == 1);
  // No selector: selects nothing.
  CHECK(count_kind(g, EdgeKind::kSelects, idx(g, "Service", "shop", "headless")) == 0);

  const uint32_t deny = idx(g, "NetworkPolicy", "shop", "default-deny");
  CHECK(has_edge(g, EdgeKind::kSelects, deny, web));
  CHECK(has_edge(g, EdgeKind::kSelects, deny, cache));
  CHECK_FALSE(has_edge(g, EdgeKind::kSelects, deny, other_web));  // other namespace
  CHECK_FALSE(has_edge(g, EdgeKind::kSelects, deny, pg));
  const auto deny_edges = edges(g, EdgeKind::kSelects, deny, web);
  REQUIRE(deny_edges.size() == 1);
  CHECK(deny_edges[0]->evidence.begin == repo.mark_of("podSelector: {}", "{}"));

  const uint32_t front = idx(g, "NetworkPolicy", "shop", "front-only");
  CHECK(has_edge(g, EdgeKind::kSelects, front, web));
  CHECK_FALSE(has_edge(g, EdgeKind::kSelects, front, cache));

  const uint32_t pdb = idx(g, "PodDisruptionBudget", "shop", "web-pdb");
  CHECK(has_edge(g, EdgeKind::kSelects, pdb, web));
  CHECK(count_kind(g, EdgeKind::kSelects, pdb) == 1);

  const uint32_t hpa = idx(g, "HorizontalPodAutoscaler", "shop", "web-hpa");
  const auto hpa_edges = edges(g, EdgeKind::kSelects, hpa, web);
  REQUIRE(hpa_edges.size() == 1);
  CHECK(hpa_edges[0]->detail == "scaleTargetRef");
  CHECK(count_kind(g, EdgeKind::kSelects, hpa) == 1);
}

TEST_CASE("mounts and references edges", "[graph]") {
  const Repo repo(kShop);
  const auto g = repo.build();
  const uint32_t web = idx(g, "Deployment", "shop", "web");
  const uint32_t cm = idx(g, "ConfigMap", "shop", "web-config");
  const uint32_t secret = idx(g, "Secret", "shop", "web-secret");

  const auto mount = edges(g, EdgeKind::kMounts, web, cm);
  REQUIRE(mount.size() == 1);
  CHECK(mount[0]->detail == "volume config");
  CHECK(mount[0]->evidence.begin == repo.mark_of("configMap: {name: web-config}", "web-config"));
  const auto pvc = edges(g, EdgeKind::kMounts, web, idx(g, "PersistentVolumeClaim", "shop", "web-data"));
  REQUIRE(pvc.size() == 1);
  CHECK(pvc[0]->detail == "volume data");
  CHECK(count_kind(g, EdgeKind::kMounts, web) == 2);  // `not-in-repo` makes no edge

  const auto env_ref = edges(g, EdgeKind::kReferences, web, cm);
  REQUIRE(env_ref.size() == 1);
  CHECK(env_ref[0]->detail == "env FROM_CM");
  const auto from = edges(g, EdgeKind::kReferences, web, secret);
  REQUIRE(from.size() == 1);
  CHECK(from[0]->detail == "envFrom");
  CHECK(has_edge(g, EdgeKind::kReferences, web, idx(g, "ServiceAccount", "shop", "web")));
  CHECK(has_edge(g, EdgeKind::kReferences, web, idx(g, "PriorityClass", "", "high")));
  CHECK(has_edge(g, EdgeKind::kReferences, web, idx(g, "Namespace", "", "shop")));
  CHECK(has_edge(g, EdgeKind::kReferences, idx(g, "PersistentVolumeClaim", "shop", "web-data"),
                 idx(g, "StorageClass", "", "fast")));
  CHECK(has_edge(g, EdgeKind::kReferences, idx(g, "Widget", "shop", "w"),
                 idx(g, "CustomResourceDefinition", "", "widgets.example.com")));
  CHECK(has_edge(g, EdgeKind::kReferences, secret, idx(g, "SealedSecret", "shop", "sealed")));
  // The Deployment in `other` has no Namespace object to reference.
  CHECK(count_kind(g, EdgeKind::kReferences, idx(g, "Deployment", "other", "web")) == 0);
  // Cluster-scoped objects reference no Namespace.
  CHECK(count_kind(g, EdgeKind::kReferences, idx(g, "StorageClass", "", "fast")) == 0);
}

TEST_CASE("datastore detection by port and by image", "[graph]") {
  const Repo repo(kShop);
  const auto g = repo.build();
  CHECK(g.datastore_kind(idx(g, "Service", "data", "postgres")) == std::optional<std::string_view>("postgresql"));
  // Port 8080 is no datastore port; the selected pods run a redis image behind a registry with a port.
  CHECK(g.datastore_kind(idx(g, "Service", "shop", "cache")) == std::optional<std::string_view>("redis"));
  CHECK_FALSE(g.datastore_kind(idx(g, "Service", "shop", "headless")).has_value());
  CHECK_FALSE(g.datastore_kind(idx(g, "Deployment", "shop", "web")).has_value());
}

TEST_CASE("datastore detection ignores the registry host and tag", "[graph]") {
  const Repo repo(R"(apiVersion: v1
kind: Service
metadata: {name: a}
spec: {selector: {app: a}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec:
  template:
    metadata: {labels: {app: a}}
    spec:
      containers: [{name: a, image: "redis.example.com/team/app:redis-7"}]
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec: {selector: {app: b}, ports: [{port: 80, targetPort: 3306}]}
---
apiVersion: v1
kind: Service
metadata: {name: c}
spec: {selector: {app: c}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: c}
spec:
  template:
    metadata: {labels: {app: c}}
    spec:
      containers: [{name: c, image: "docker.io/library/mongo@sha256:abcdef"}]
)");
  const auto g = repo.build();
  CHECK_FALSE(g.datastore_kind(idx(g, "Service", "default", "a")).has_value());
  CHECK(g.datastore_kind(idx(g, "Service", "default", "b")) == std::optional<std::string_view>("mysql"));
  CHECK(g.datastore_kind(idx(g, "Service", "default", "c")) == std::optional<std::string_view>("mongodb"));
}

TEST_CASE("schedules-on edges with the tolerated flag", "[graph]") {
  const Repo repo(kShop);
  const auto g = repo.build({group("api", "api"), group("db", "db", {gl::k8s::Taint{"dedicated", "db", "NoSchedule"}}),
                             group("soft", "soft", {gl::k8s::Taint{"pref", "x", "PreferNoSchedule"}})});
  REQUIRE(g.has_inventory());
  REQUIRE(g.nodes().size() == 3);
  auto node = [&](const std::string& name) {
    for (uint32_t n = 0; n < g.nodes().size(); ++n) {
      if (g.nodes()[n].name == name) return n;
    }
    FAIL("no node " << name);
    return 0u;
  };
  const uint32_t web = idx(g, "Deployment", "shop", "web");
  const uint32_t pg = idx(g, "StatefulSet", "data", "postgres");
  const uint32_t cache = idx(g, "Deployment", "shop", "cache");

  // web: nodeSelector role=db, no toleration.
  CHECK(count_kind(g, EdgeKind::kSchedulesOn, web) == 1);
  auto w = edges(g, EdgeKind::kSchedulesOn, web, node("db"));
  REQUIRE(w.size() == 1);
  CHECK_FALSE(w[0]->tolerated);
  CHECK(w[0]->detail == "db");
  const auto* web_selector = gl::k8s::pod_spec(g.objects[web])->get("nodeSelector");
  REQUIRE(web_selector != nullptr);
  CHECK(w[0]->evidence.begin == web_selector->begin);

  // postgres: same selector, tolerates the taint.
  auto p = edges(g, EdgeKind::kSchedulesOn, pg, node("db"));
  REQUIRE(p.size() == 1);
  CHECK(p[0]->tolerated);

  // cache: unpinned, so every node admits it; only the hard taint is untolerated.
  CHECK(count_kind(g, EdgeKind::kSchedulesOn, cache) == 3);
  CHECK(edges(g, EdgeKind::kSchedulesOn, cache, node("api"))[0]->tolerated);
  CHECK_FALSE(edges(g, EdgeKind::kSchedulesOn, cache, node("db"))[0]->tolerated);
  CHECK(edges(g, EdgeKind::kSchedulesOn, cache, node("soft"))[0]->tolerated);
  CHECK_FALSE(edges(g, EdgeKind::kSchedulesOn, cache, node("api"))[0]->evidence.valid());

  // schedules-on edges point at nodes, not objects: they are not in any object's in-edges.
  for (uint32_t o = 0; o < g.objects.size(); ++o) {
    for (uint32_t e : g.in_edges(o)) CHECK(g.edges[e].kind != EdgeKind::kSchedulesOn);
  }
}

TEST_CASE("no inventory: no schedules-on edges", "[graph]") {
  const Repo repo(kShop);
  const auto g = repo.build();
  for (const auto& e : g.edges) CHECK(e.kind != EdgeKind::kSchedulesOn);
}

TEST_CASE("edges are sorted, unique, indexed, and the build is deterministic", "[graph]") {
  const Repo repo(kShop);
  const auto a = repo.build({group("db", "db")});
  const auto b = repo.build({group("db", "db")});
  REQUIRE(a.edges.size() == b.edges.size());
  for (size_t i = 0; i < a.edges.size(); ++i) {
    CHECK(a.edges[i].kind == b.edges[i].kind);
    CHECK(a.edges[i].from == b.edges[i].from);
    CHECK(a.edges[i].to == b.edges[i].to);
    CHECK(a.edges[i].detail == b.edges[i].detail);
    CHECK(a.edges[i].evidence.begin == b.edges[i].evidence.begin);
  }
  for (size_t i = 1; i < a.edges.size(); ++i) {
    const auto& x = a.edges[i - 1];
    const auto& y = a.edges[i];
    CHECK(std::tie(x.from, x.kind, x.to) <= std::tie(y.from, y.kind, y.to));
    const bool same = x.from == y.from && x.kind == y.kind && x.to == y.to && x.evidence.begin == y.evidence.begin &&
                      x.detail == y.detail;
    CHECK_FALSE(same);
  }
  size_t listed = 0;
  for (uint32_t o = 0; o < a.objects.size(); ++o) {
    for (uint32_t e : a.out_edges(o)) {
      CHECK(a.edges[e].from == o);
      ++listed;
    }
  }
  CHECK(listed == a.edges.size());
  CHECK(std::string(gl::graph::to_string(EdgeKind::kTalksTo)) == "talks-to");
  CHECK(std::string(gl::graph::to_string(EdgeKind::kSchedulesOn)) == "schedules-on");
}

TEST_CASE("a workload's own namespace is used for a one-label host", "[graph]") {
  const Repo repo(R"(apiVersion: v1
kind: Service
metadata: {name: db, namespace: a}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: b}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: b}
spec:
  containers:
    - name: c
      env:
        - {name: DATABASE_HOST, value: db}
        - {name: DATABASE_PORT, value: "5433"}
        - {name: OTHER, value: "db.a:1"}
)");
  const auto g = repo.build();
  const uint32_t pod = idx(g, "Pod", "b", "client");
  auto to_b = edges(g, EdgeKind::kTalksTo, pod, idx(g, "Service", "b", "db"));
  REQUIRE(to_b.size() == 1);
  CHECK(to_b[0]->port == 5433);
  auto to_a = edges(g, EdgeKind::kTalksTo, pod, idx(g, "Service", "a", "db"));
  REQUIRE(to_a.size() == 1);
  CHECK(to_a[0]->port == 1);
  CHECK(g.unresolved_talks.empty());
}

TEST_CASE("find_hosts: bare host[:port] values match the documented pattern exactly", "[graph]") {
  // The hand-written matcher against the regex it replaces, on edge cases of every part of the pattern.
  const RE2 spec(R"(([a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.?)(?::(\d{1,5}))?)");
  size_t compared = 0;
  for (const std::string value :
       {"redis", "redis:6379", "redis-master.cache", "redis-master.cache.svc.cluster.local.", "a.b.:5", "a..b", "a.",
        "a..", ".a", "-a", "a-", "a.-b", "0", "9lives:1", "Redis:6379", "redis:", "redis:123456", "redis:12345",
        "redis:6a79", "redis:6379:1", "a_b", "a b", "a/b", "postgres@db", "1.2.3.4:5432", "::1", ":80", "", "é"}) {
    INFO(value);
    std::string host, port;
    const bool want = RE2::FullMatch(value, spec, &host, &port);
    const auto hosts = gl::graph::find_hosts(value);
    if (!want) {
      CHECK(hosts.empty());
      continue;
    }
    if (!host.empty() && host.back() == '.') host.pop_back();
    // valid_host may still reject what the pattern accepts (e.g. a lone number); never the reverse.
    if (hosts.empty()) continue;
    REQUIRE(hosts.size() == 1);
    CHECK(hosts[0].host == host);
    CHECK(hosts[0].port.has_value() == !port.empty());
    ++compared;
  }
  CHECK(compared == 10);
  const auto list = gl::graph::find_hosts("sentinel-0.redis:26379, sentinel-1.redis:26379,BAD HOST");
  REQUIRE(list.size() == 2);
  CHECK(list[1].host == "sentinel-1.redis");
  CHECK(list[1].port == 26379);
  CHECK(list[1].offset == std::string("sentinel-0.redis:26379, ").size());
}
