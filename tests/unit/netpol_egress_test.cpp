// netpol-egress: the NetworkPolicy evaluator (src/rules/support/netpol) and the rule end to end.
#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "cli/pipeline.h"
#include "k8s/object.h"
#include "rules/rule.h"
#include "rules/support/netpol.h"
#include "yaml/parser.h"

namespace {

namespace np = gl::rules::support;

/// Objects parsed from one YAML text, with their graph.
struct World {
  std::unique_ptr<gl::SourceFile> file;
  gl::graph::Graph graph;

  explicit World(std::string text) : file(std::make_unique<gl::SourceFile>("world.yaml", std::move(text))) {
    auto parsed = gl::yaml::parse(*file);
    REQUIRE(parsed.errors.empty());
    std::vector<gl::k8s::Object> objects;
    for (auto& doc : parsed.documents) {
      if (auto o = gl::k8s::make_object(std::move(doc))) objects.push_back(std::move(*o));
    }
    graph = gl::graph::build_graph(std::move(objects), {}, gl::graph::GraphOptions::defaults());
  }

  const gl::k8s::Object& object(std::string_view kind, std::string_view ns, std::string_view name) const {
    const auto idx = graph.find(kind, ns, name);
    REQUIRE(idx.has_value());
    return graph.objects[*idx];
  }
  uint32_t index(std::string_view kind, std::string_view ns, std::string_view name) const {
    const auto idx = graph.find(kind, ns, name);
    REQUIRE(idx.has_value());
    return *idx;
  }
  np::NetworkPolicy policy(std::string_view ns, std::string_view name) const {
    return np::parse_network_policy(object("NetworkPolicy", ns, name));
  }
  /// Runs the rule alone with the given options.
  std::vector<gl::diag::Diagnostic> run(const gl::rules::RuleOptions& options = {}) const {
    gl::diag::DiagnosticSink sink;
    const gl::rules::RuleContext ctx{graph, options, sink, gl::Severity::kError, "netpol-egress"};
    gl::rules::find_rule("netpol-egress")->check(ctx);
    return sink.take();
  }
};

std::string netpol(std::string_view ns, std::string_view name, std::string_view spec) {
  return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: " + std::string(name) +
         "\n  namespace: " + std::string(ns) + "\nspec:\n" + std::string(spec) + "\n---\n";
}

np::Destination dest(std::string ns, gl::k8s::Labels pods, gl::k8s::Labels ns_labels, np::PodPort port) {
  ns_labels[std::string(np::kNamespaceNameLabel)] = ns;
  return np::Destination{std::move(ns), std::move(pods), std::move(ns_labels), std::move(port)};
}

np::PodPort tcp(int n, std::string name = "") { return np::PodPort{n, std::move(name), "TCP"}; }

const gl::k8s::Labels kPostgresPods{{"app", "postgres"}, {"tier", "db"}};
const gl::k8s::Labels kDataNs{{"team", "data"}, {"env", "prod"}};

}  // namespace

TEST_CASE("policyTypes and the egress section decide whether a policy isolates egress", "[netpol-egress]") {
  World w(netpol("shop", "deny", "  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress") +
          netpol("shop", "implicit", "  podSelector: {}\n  egress:\n    - to:\n        - podSelector: {}") +
          netpol("shop", "empty-egress", "  podSelector: {}\n  ingress:\n    - {}\n  egress: []") +
          netpol("shop", "ingress-only", "  podSelector: {}\n  policyTypes: [Ingress]\n  egress:\n    - {}") +
          netpol("shop", "no-selector", "  policyTypes: [Egress]\n  egress:\n    - ports:\n        - port: 53"));
  const auto deny = w.policy("shop", "deny");
  CHECK(deny.isolates_egress);
  CHECK(deny.egress.empty());
  REQUIRE(deny.egress_anchor != nullptr);
  CHECK(deny.egress_anchor->value() == "Egress");
  CHECK(deny.egress_anchor->begin.line == 10);

  const auto implicit = w.policy("shop", "implicit");
  CHECK(implicit.isolates_egress);
  REQUIRE(implicit.egress_anchor != nullptr);
  CHECK(implicit.egress_anchor->value() == "egress");
  REQUIRE(implicit.egress.size() == 1);
  CHECK(implicit.egress[0].to.size() == 1);
  CHECK(implicit.egress[0].ports.empty());

  // Kubernetes defaults policyTypes to [Ingress] when `egress` is empty.
  CHECK_FALSE(w.policy("shop", "empty-egress").isolates_egress);
  CHECK_FALSE(w.policy("shop", "ingress-only").isolates_egress);

  const auto no_selector = w.policy("shop", "no-selector");
  CHECK(no_selector.isolates_egress);
  CHECK(no_selector.pod_selector.matches({{"app", "anything"}}));
  REQUIRE(no_selector.egress.size() == 1);
  CHECK(no_selector.egress[0].to.empty());
  REQUIRE(no_selector.egress[0].ports.size() == 1);
  CHECK(no_selector.egress[0].ports[0].protocol == "TCP");
  CHECK(no_selector.egress[0].ports[0].number == 53);
}

TEST_CASE("egress peers: podSelector, namespaceSelector, both, ipBlock", "[netpol-egress]") {
  World w(netpol("shop", "p", R"(  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: postgres
        - namespaceSelector:
            matchExpressions:
              - key: team
                operator: In
                values: [data, platform]
              - key: env
                operator: NotIn
                values: [dev]
        - namespaceSelector:
            matchLabels:
              team: data
          podSelector:
            matchExpressions:
              - key: tier
                operator: Exists
        - podSelector: {}
        - namespaceSelector: {}
        - ipBlock:
            cidr: 10.0.0.0/8
            except: [10.1.0.0/16]
        - {})"));
  const auto p = w.policy("shop", "p");
  REQUIRE(p.egress.size() == 1);
  const auto& to = p.egress[0].to;
  REQUIRE(to.size() == 7);
  CHECK(p.has_ip_block);

  const auto same_ns = dest("shop", kPostgresPods, {}, tcp(5432));
  const auto data_ns = dest("data", kPostgresPods, kDataNs, tcp(5432));

  SECTION("a podSelector alone means pods of the policy's own namespace") {
    CHECK(np::peer_matches(to[0], "shop", same_ns));
    CHECK_FALSE(np::peer_matches(to[0], "shop", data_ns));
    CHECK_FALSE(np::peer_matches(to[0], "shop", dest("shop", {{"app", "redis"}}, {}, tcp(6379))));
  }
  SECTION("a namespaceSelector alone means every pod of matching namespaces") {
    CHECK(np::peer_matches(to[1], "shop", dest("data", {{"app", "anything"}}, kDataNs, tcp(1))));
    CHECK_FALSE(
        np::peer_matches(to[1], "shop", dest("data", kPostgresPods, {{"team", "data"}, {"env", "dev"}}, tcp(1))));
    CHECK_FALSE(np::peer_matches(to[1], "shop", same_ns));
  }
  SECTION("both selectors in one peer are ANDed") {
    CHECK(np::peer_matches(to[2], "shop", data_ns));
    CHECK_FALSE(np::peer_matches(to[2], "shop", dest("data", {{"app", "postgres"}}, kDataNs, tcp(5432))));
    CHECK_FALSE(np::peer_matches(to[2], "shop", dest("other", kPostgresPods, {}, tcp(5432))));
  }
  SECTION("empty selectors") {
    CHECK(np::peer_matches(to[3], "shop", same_ns));
    CHECK_FALSE(np::peer_matches(to[3], "shop", data_ns));
    CHECK(np::peer_matches(to[4], "shop", data_ns));
    CHECK(np::peer_matches(to[4], "shop", dest("kube-system", {}, {}, tcp(53))));
  }
  SECTION("an ipBlock admits anything; an empty peer admits nothing") {
    CHECK(to[5].ip_block);
    CHECK(np::peer_matches(to[5], "shop", data_ns));
    CHECK_FALSE(np::peer_matches(to[6], "shop", same_ns));
    CHECK_FALSE(np::peer_matches(to[6], "shop", data_ns));
  }
}

TEST_CASE("policy ports: numbers, names, endPort, protocols", "[netpol-egress]") {
  World w(netpol("shop", "p", R"(  podSelector: {}
  policyTypes: [Egress]
  egress:
    - ports:
        - port: 5432
        - port: postgres
        - protocol: UDP
          port: 53
        - port: 5400
          endPort: 5500
        - protocol: UDP
        - port: "6379")"));
  const auto policy = w.policy("shop", "p");
  const auto& ports = policy.egress.at(0).ports;
  REQUIRE(ports.size() == 6);
  CHECK(np::port_matches(ports[0], tcp(5432)));
  CHECK_FALSE(np::port_matches(ports[0], tcp(5433)));
  CHECK_FALSE(np::port_matches(ports[0], np::PodPort{5432, std::string(), "UDP"}));

  CHECK(ports[1].name == "postgres");
  CHECK(np::port_matches(ports[1], tcp(15432, "postgres")));
  CHECK_FALSE(np::port_matches(ports[1], tcp(5432)));
  CHECK_FALSE(np::port_matches(ports[1], tcp(5432, "pg")));

  CHECK(np::port_matches(ports[2], np::PodPort{53, std::string("dns"), "UDP"}));
  CHECK_FALSE(np::port_matches(ports[2], tcp(53, "dns-tcp")));

  CHECK(np::port_matches(ports[3], tcp(5400)));
  CHECK(np::port_matches(ports[3], tcp(5432)));
  CHECK(np::port_matches(ports[3], tcp(5500)));
  CHECK_FALSE(np::port_matches(ports[3], tcp(5501)));
  CHECK_FALSE(np::port_matches(ports[3], tcp(5399)));

  CHECK(np::port_matches(ports[4], np::PodPort{9999, std::string(), "UDP"}));
  CHECK_FALSE(np::port_matches(ports[4], tcp(9999)));

  CHECK(np::port_matches(ports[5], tcp(6379)));

  SECTION("what the repository cannot tell gets the benefit of the doubt") {
    const np::PodPort unknown_name{5432, std::nullopt, "TCP"};
    const np::PodPort unknown_number{std::nullopt, std::string("postgres"), "TCP"};
    CHECK(np::port_matches(ports[1], unknown_name));
    CHECK(np::port_matches(ports[0], unknown_number));
    CHECK_FALSE(np::port_matches(ports[2], unknown_number));  // the protocol is still known
  }
}

TEST_CASE("egress policies are additive and default-deny admits nothing", "[netpol-egress]") {
  World w(netpol("shop", "deny", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: []") +
          netpol("shop", "db", R"(  podSelector:
    matchLabels:
      app: orders
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              team: data
          podSelector:
            matchLabels:
              app: postgres
      ports:
        - port: 5433)") +
          netpol("shop", "db-new-port", R"(  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {}
      ports:
        - port: 5432)") +
          netpol("shop", "cidr", R"(  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
      ports:
        - port: 6379)") +
          netpol("shop", "open", "  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - {}"));
  const auto deny = w.policy("shop", "deny");
  const auto db = w.policy("shop", "db");
  const auto db_new_port = w.policy("shop", "db-new-port");
  const auto cidr = w.policy("shop", "cidr");
  const auto open = w.policy("shop", "open");
  const auto pg = dest("data", kPostgresPods, kDataNs, tcp(5432, "postgres"));

  const auto v_deny = np::evaluate_egress({&deny}, pg);
  CHECK_FALSE(v_deny.allowed);
  CHECK_FALSE(v_deny.peer_allowed);

  const auto v_db = np::evaluate_egress({&deny, &db}, pg);
  CHECK_FALSE(v_db.allowed);
  CHECK(v_db.peer_allowed);  // the pods match, the port does not

  const auto v_union = np::evaluate_egress({&deny, &db, &db_new_port}, pg);
  CHECK(v_union.allowed);
  CHECK_FALSE(v_union.via_ip_block);
  REQUIRE(v_union.policy != nullptr);
  CHECK(v_union.policy->object->name == "db-new-port");

  const auto redis = dest("data", {{"app", "redis"}}, kDataNs, tcp(6379));
  const auto v_cidr = np::evaluate_egress({&deny, &cidr}, redis);
  CHECK(v_cidr.allowed);
  CHECK(v_cidr.via_ip_block);
  CHECK_FALSE(np::evaluate_egress({&deny, &cidr}, pg).allowed);

  const auto v_open = np::evaluate_egress({&deny, &open}, pg);
  CHECK(v_open.allowed);
  CHECK_FALSE(v_open.via_ip_block);
}

TEST_CASE("which policies select a workload, and namespace labels", "[netpol-egress]") {
  World w(R"(apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    team: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: orders
        track: stable
---
)" + netpol("shop", "all", "  podSelector: {}\n  policyTypes: [Egress]") +
          netpol("shop", "orders-stable", R"(  podSelector:
    matchExpressions:
      - key: app
        operator: In
        values: [orders, cart]
      - key: track
        operator: NotIn
        values: [canary]
  policyTypes: [Egress])") +
          netpol("shop", "cart", "  podSelector:\n    matchLabels:\n      app: cart\n  policyTypes: [Egress]") +
          netpol("shop", "ingress", "  podSelector: {}\n  policyTypes: [Ingress]") +
          netpol("data", "elsewhere", "  podSelector: {}\n  policyTypes: [Egress]"));
  const np::NetpolIndex index(w.graph);
  const auto selected = index.egress_policies_for(w.index("Deployment", "shop", "orders"));
  std::vector<std::string> names;
  for (const auto* p : selected) names.push_back(p->object->name);
  CHECK(names == std::vector<std::string>{"all", "orders-stable"});

  const auto shop = index.namespace_labels("shop");
  CHECK(shop.at("team") == "shop");
  CHECK(shop.at("kubernetes.io/metadata.name") == "shop");
  const auto undeclared = index.namespace_labels("kube-system");
  CHECK(undeclared.size() == 1);
  CHECK(undeclared.at("kubernetes.io/metadata.name") == "kube-system");
}

TEST_CASE("service ports translate to destination pod ports", "[netpol-egress]") {
  World w(R"(apiVersion: v1
kind: Service
metadata:
  name: pgbouncer
  namespace: data
spec:
  selector:
    app: pgbouncer
  ports:
    - name: postgres
      port: 5432
      targetPort: pgbouncer
    - name: metrics
      port: 9127
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: pgbouncer
  namespace: data
spec:
  template:
    metadata:
      labels:
        app: pgbouncer
    spec:
      containers:
        - name: pgbouncer
          image: bitnami/pgbouncer:1.22.1
          ports:
            - name: pgbouncer
              containerPort: 6432
        - name: exporter
          image: prometheuscommunity/pgbouncer-exporter:0.7.0
          ports:
            - name: metrics
              containerPort: 9127
---
apiVersion: v1
kind: Service
metadata:
  name: cache
  namespace: data
spec:
  selector:
    app: cache
  ports:
    - port: 6379
      targetPort: 16379
---
apiVersion: v1
kind: Service
metadata:
  name: operator-pg
  namespace: data
spec:
  selector:
    cnpg.io/cluster: pg
  ports:
    - port: 5432
      targetPort: postgresql
    - port: 9187
      targetPort: 9187
---
apiVersion: v1
kind: Service
metadata:
  name: external-db
  namespace: data
spec:
  ports:
    - port: 5432
)");
  const np::NetpolIndex index(w.graph);
  const uint32_t pgbouncer = w.index("Service", "data", "pgbouncer");

  SECTION("named targetPort resolves through the selected pods' containerPorts") {
    const auto t = np::service_targets(w.graph, index, pgbouncer, 5432);
    REQUIRE(t.size() == 1);
    REQUIRE(t[0].workload != nullptr);
    CHECK(t[0].workload->name == "pgbouncer");
    CHECK(t[0].service_port == 5432);
    CHECK(t[0].dst.port.number == 6432);
    CHECK(t[0].dst.port.name == "pgbouncer");
    CHECK(t[0].dst.port.protocol == "TCP");
    CHECK(t[0].dst.pod_labels.at("app") == "pgbouncer");
    CHECK(t[0].dst.namespace_labels.at("kubernetes.io/metadata.name") == "data");
    CHECK(t[0].dst.port.display() == "6432/TCP (`pgbouncer`)");
  }
  SECTION("an absent targetPort is the port; its container port name is found") {
    const auto t = np::service_targets(w.graph, index, pgbouncer, 9127);
    REQUIRE(t.size() == 1);
    CHECK(t[0].dst.port.number == 9127);
    CHECK(t[0].dst.port.name == "metrics");
  }
  SECTION("no port named: every Service port") {
    CHECK(np::service_targets(w.graph, index, pgbouncer, std::nullopt).size() == 2);
    CHECK(np::service_targets(w.graph, index, pgbouncer, 1234).empty());
  }
  SECTION("pods outside the repository: the selector stands in, unknown parts stay unknown") {
    const uint32_t cache = w.index("Service", "data", "cache");
    const auto c = np::service_targets(w.graph, index, cache, 6379);
    REQUIRE(c.size() == 1);
    CHECK(c[0].workload == nullptr);
    CHECK(c[0].dst.port.number == 16379);
    CHECK_FALSE(c[0].dst.port.name.has_value());
    CHECK(c[0].dst.pod_labels == gl::k8s::Labels{{"app", "cache"}});

    const uint32_t op = w.index("Service", "data", "operator-pg");
    const auto o = np::service_targets(w.graph, index, op, 5432);
    REQUIRE(o.size() == 1);
    CHECK_FALSE(o[0].dst.port.number.has_value());
    CHECK(o[0].dst.port.name == "postgresql");
  }
  SECTION("a Service without a selector has no pods to name") {
    CHECK(np::service_targets(w.graph, index, w.index("Service", "data", "external-db"), 5432).empty());
  }
}

TEST_CASE("DNS is allowed by port 53 anywhere, to kube-dns pods, or to an ipBlock", "[netpol-egress]") {
  World w(netpol("shop", "deny", "  podSelector: {}\n  policyTypes: [Egress]") +
          netpol("shop", "kube-dns", R"(  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - port: 53
          protocol: UDP)") +
          netpol("shop", "anywhere-tcp",
                 "  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - ports:\n        - port: 53") +
          netpol("shop", "wrong-pods", R"(  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: coredns
      ports:
        - port: 53
          protocol: UDP)") +
          netpol("shop", "web-only", R"(  podSelector: {}
  policyTypes: [Egress]
  egress:
    - ports:
        - port: 443)"));
  const np::NetpolIndex index(w.graph);
  const auto dns = np::dns_destinations(index);
  REQUIRE(dns.size() == 2);
  auto allowed = [&](std::initializer_list<std::string_view> names) {
    std::vector<np::NetworkPolicy> ps;
    for (auto n : names) ps.push_back(w.policy("shop", n));
    std::vector<const np::NetworkPolicy*> ptrs;
    for (const auto& p : ps) ptrs.push_back(&p);
    return std::any_of(dns.begin(), dns.end(), [&](const auto& d) { return np::evaluate_egress(ptrs, d).allowed; });
  };
  CHECK_FALSE(allowed({"deny"}));
  CHECK(allowed({"deny", "kube-dns"}));
  CHECK(allowed({"deny", "anywhere-tcp"}));
  CHECK_FALSE(allowed({"deny", "wrong-pods"}));
  CHECK_FALSE(allowed({"deny", "web-only"}));
}

TEST_CASE("the rule on small repositories", "[netpol-egress]") {
  const std::string datastore = R"(apiVersion: v1
kind: Service
metadata:
  name: redis
  namespace: data
spec:
  selector:
    app: redis
  ports:
    - port: 6379
      targetPort: redis
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis
  namespace: data
spec:
  template:
    metadata:
      labels:
        app: redis
    spec:
      containers:
        - name: redis
          image: redis:7
          ports:
            - name: redis
              containerPort: 6379
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1
          env:
            - name: REDIS_URL
              value: redis://redis.data:6379/0
---
)";

  SECTION("no egress policy: a warning, unless warnUnrestricted is false") {
    World w(datastore);
    const auto diags = w.run();
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].severity == gl::Severity::kWarning);
    CHECK(diags[0].message == "`shop/api` talks to redis `data/redis:6379` but no egress policy restricts it");
    CHECK(diags[0].primary.span.begin.line == 47);  // the host in REDIS_URL
    gl::rules::RuleOptions off;
    off.set("warnUnrestricted", {"false"});
    CHECK(w.run(off).empty());
  }
  SECTION("a named policy port matches the container port name") {
    World w(datastore + netpol("shop", "api", R"(  podSelector:
    matchLabels:
      app: api
  policyTypes: [Egress]
  egress:
    - ports:
        - port: 53
          protocol: UDP
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: data
      ports:
        - port: redis)"));
    CHECK(w.run().empty());
  }
  SECTION("blocked datastore and no DNS: two errors") {
    World w(datastore + netpol("shop", "api", R"(  podSelector:
    matchLabels:
      app: api
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: redis
      ports:
        - port: 6379)"));
    auto diags = w.run();
    REQUIRE(diags.size() == 2);
    std::sort(diags.begin(), diags.end(), [](const auto& a, const auto& b) { return a.message < b.message; });
    CHECK(diags[0].message == "`shop/api` talks to redis `data/redis:6379` but its egress policy does not allow it");
    CHECK(diags[0].severity == gl::Severity::kError);
    CHECK(diags[0].help == "add an egress rule to `data` pods `app=redis` on port 6379");
    CHECK(std::find(diags[0].notes.begin(), diags[0].notes.end(),
                    "no egress rule's `to` matches the pods of Deployment `data/redis` (labels `app=redis` in "
                    "namespace `data`)") != diags[0].notes.end());
    CHECK(diags[1].message == "egress policy `api` selects `shop/api` but allows no DNS (port 53)");
    CHECK(diags[1].primary.span.begin.line == 58);  // `Egress` in policyTypes
    REQUIRE(diags[1].object.has_value());
    CHECK(diags[1].object->name == "api");
  }
}

TEST_CASE("a name outside the repository needs DNS too; no name, no DNS finding", "[netpol-egress]") {
  const std::string policy = netpol("shop", "deny-all", "  podSelector: {}\n  policyTypes: [Egress]");
  auto workload = [](std::string_view name, std::string_view env) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + std::string(name) +
           "\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: " +
           std::string(name) + "\n    spec:\n      containers:\n        - name: app\n          image: app:1\n" +
           std::string(env) + "---\n";
  };
  World w(policy +
          workload("payer", "          env:\n            - name: PAYMENTS_URL\n              value: "
                            "http://payments.billing.svc.cluster.local:8080\n") +
          workload("cron", "          env:\n            - name: MODE\n              value: nightly\n"));
  const auto diags = w.run();
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].message == "egress policy `deny-all` selects `shop/payer` but allows no DNS (port 53)");
  CHECK(diags[0].notes.at(0) ==
        "`shop/payer` connects by DNS name (`PAYMENTS_URL` names `payments.billing.svc.cluster.local`), so its pods "
        "must reach the cluster DNS");
}

TEST_CASE("netpol-egress fixture: messages, notes and help", "[netpol-egress]") {
  gl::cli::CheckOptions opts;
  opts.path = std::string(GL_SOURCE_DIR) + "/fixtures/rules/netpol-egress";
  for (const auto& id : gl::rules::rule_ids()) {
    if (id != "netpol-egress") opts.disable.push_back(id);
  }
  const auto result = gl::cli::run_check(opts);
  auto find = [&](std::string_view needle) -> const gl::diag::Diagnostic* {
    for (const auto& d : result.diagnostics) {
      if (d.message.find(needle) != std::string::npos) return &d;
    }
    return nullptr;
  };
  auto has_note = [](const gl::diag::Diagnostic& d, std::string_view note) {
    return std::find(d.notes.begin(), d.notes.end(), note) != d.notes.end();
  };

  const auto* checkout = find("`shop/fire-checkout`");
  REQUIRE(checkout != nullptr);
  CHECK(checkout->message ==
        "`shop/fire-checkout` talks to postgresql `data/pgbouncer:5432` but its egress policies do not allow it");
  CHECK(checkout->severity == gl::Severity::kError);
  CHECK(checkout->help == "add an egress rule to `data` pods `app.kubernetes.io/name=pgbouncer` on port 6432");
  CHECK(has_note(*checkout,
                 "service port 5432 forwards to pod port 6432/TCP (`pgbouncer`); a policy must name the pod port"));
  CHECK(has_note(*checkout,
                 "egress policies selecting `shop/fire-checkout`: `default-deny-egress`, `allow-dns`, "
                 "`allow-checkout-pgbouncer`"));
  // The datastore Service and the three selecting policies.
  CHECK(checkout->secondary.size() == 4);

  const auto* reports = find("`shop/fire-reports`");
  REQUIRE(reports != nullptr);
  CHECK(has_note(*reports,
                 "a rule admits the pods of StatefulSet `data/postgres` but not their port 5432/TCP (`postgres`)"));

  const auto* invoicer = find("`billing/fire-invoicer`");
  REQUIRE(invoicer != nullptr);
  CHECK(invoicer->message ==
        "egress policy `invoicer-egress` selects `billing/fire-invoicer` but allows no DNS (port 53)");

  const auto* metabase = find("`reporting/fire-metabase`");
  REQUIRE(metabase != nullptr);
  CHECK(metabase->severity == gl::Severity::kWarning);
  CHECK(has_note(*metabase, "namespace `reporting` has no NetworkPolicy"));

  for (const auto& d : result.diagnostics) {
    INFO(d.message);
    REQUIRE(d.object.has_value());
    CHECK(d.object->name.rfind("fire-", 0) == 0);
  }
  CHECK(result.diagnostics.size() == 6);
}
