// sync-wave-order: wave/phase/kind-order helpers (src/rules/support/sync_wave) and the rule end to end.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/pipeline.h"
#include "core/error.h"
#include "core/strings.h"
#include "k8s/object.h"
#include "rules/rule.h"
#include "rules/support/sync_wave.h"
#include "yaml/parser.h"

namespace {

namespace sw = gl::rules::support;
using gl::Severity;
using gl::diag::Diagnostic;

constexpr std::string_view kId = "sync-wave-order";

/// Objects parsed from one YAML text (optionally adjusted before the graph is built), with their graph.
struct World {
  std::unique_ptr<gl::SourceFile> file;
  gl::graph::Graph graph;

  explicit World(std::string text, const std::function<void(std::vector<gl::k8s::Object>&)>& adjust = {})
      : file(std::make_unique<gl::SourceFile>("world.yaml", std::move(text))) {
    auto parsed = gl::yaml::parse(*file);
    REQUIRE(parsed.errors.empty());
    std::vector<gl::k8s::Object> objects;
    for (auto& doc : parsed.documents) {
      if (auto o = gl::k8s::make_object(std::move(doc))) objects.push_back(std::move(*o));
    }
    if (adjust) adjust(objects);
    graph = gl::graph::build_graph(std::move(objects), {}, gl::graph::GraphOptions::defaults());
  }

  const gl::k8s::Object& object(std::string_view kind, std::string_view ns, std::string_view name) const {
    const auto idx = graph.find(kind, ns, name);
    REQUIRE(idx.has_value());
    return graph.objects[*idx];
  }

  /// Runs the rule alone with its default options, overridden by `overrides`.
  std::vector<Diagnostic> run(const std::vector<std::pair<std::string, std::string>>& overrides = {}) const {
    const gl::rules::RuleInfo* info = gl::rules::find_rule(kId);
    REQUIRE(info != nullptr);
    gl::rules::RuleOptions options;
    for (const auto& o : info->options) {
      std::vector<std::string> values;
      for (auto part : gl::split(o.default_value, ',')) values.emplace_back(gl::trim(part));
      options.set(o.name, values);
    }
    for (const auto& [k, v] : overrides) options.set(k, {v});
    gl::diag::DiagnosticSink sink;
    const gl::rules::RuleContext ctx{graph, options, sink, Severity::kError, kId};
    info->check(ctx);
    auto out = sink.take();
    std::sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.primary.span.begin.line, a.message) < std::tie(b.primary.span.begin.line, b.message);
    });
    return out;
  }
};

std::string annotations(std::string_view wave) {
  if (wave.empty()) return {};
  return "  annotations:\n    argocd.argoproj.io/sync-wave: \"" + std::string(wave) + "\"\n";
}

std::string deployment(std::string_view ns, std::string_view name, std::string_view wave, std::string_view env = {},
                       std::string_view pod_extra = {}) {
  std::string out = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + std::string(name) +
                    "\n  namespace: " + std::string(ns) + "\n" + annotations(wave) +
                    "spec:\n  selector:\n    matchLabels:\n      app: " + std::string(name) +
                    "\n  template:\n    metadata:\n      labels:\n        app: " + std::string(name) +
                    "\n    spec:\n      containers:\n        - name: main\n          image: example/" +
                    std::string(name) + ":1\n";
  if (!env.empty()) out += "          env:\n" + std::string(env);
  return out + std::string(pod_extra) + "---\n";
}

std::string env(std::string_view name, std::string_view value) {
  return "            - name: " + std::string(name) + "\n              value: " + std::string(value) + "\n";
}

std::string service(std::string_view ns, std::string_view name, std::string_view app, std::string_view wave) {
  return "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + std::string(name) +
         "\n  namespace: " + std::string(ns) + "\n" + annotations(wave) +
         "spec:\n  selector:\n    app: " + std::string(app) + "\n  ports:\n    - port: 8080\n---\n";
}

std::string simple(std::string_view api, std::string_view kind, std::string_view ns, std::string_view name,
                   std::string_view wave, std::string_view body = {}) {
  std::string out = "apiVersion: " + std::string(api) + "\nkind: " + std::string(kind) +
                    "\nmetadata:\n  name: " + std::string(name) + "\n";
  if (!ns.empty()) out += "  namespace: " + std::string(ns) + "\n";
  return out + annotations(wave) + std::string(body) + "---\n";
}

std::optional<sw::SyncSlot> slot_of(std::string_view annotation_lines) {
  World with(std::string("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\n  namespace: shop\n") +
             (annotation_lines.empty() ? std::string() : "  annotations:\n" + std::string(annotation_lines)));
  return sw::sync_slot(with.object("ConfigMap", "shop", "probe"));
}

bool has_note(const Diagnostic& d, std::string_view text) {
  return std::any_of(d.notes.begin(), d.notes.end(),
                     [&](const std::string& n) { return n.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("waves parse like Go's strconv.Atoi", "[sync-wave-order]") {
  CHECK(gl::k8s::parse_sync_wave("0") == 0);
  CHECK(gl::k8s::parse_sync_wave("-2") == -2);
  CHECK(gl::k8s::parse_sync_wave("+3") == 3);
  CHECK(gl::k8s::parse_sync_wave("007") == 7);
  CHECK(gl::k8s::parse_sync_wave("9223372036854775807") == INT64_MAX);
  CHECK(gl::k8s::parse_sync_wave("-9223372036854775808") == INT64_MIN);
  CHECK_FALSE(gl::k8s::parse_sync_wave("9223372036854775808"));
  CHECK_FALSE(gl::k8s::parse_sync_wave(""));
  CHECK_FALSE(gl::k8s::parse_sync_wave("-"));
  CHECK_FALSE(gl::k8s::parse_sync_wave(" 1"));
  CHECK_FALSE(gl::k8s::parse_sync_wave("1 "));
  CHECK_FALSE(gl::k8s::parse_sync_wave("1.5"));
  CHECK_FALSE(gl::k8s::parse_sync_wave("1_000"));
  CHECK_FALSE(gl::k8s::parse_sync_wave("0x10"));
  CHECK_FALSE(gl::k8s::parse_sync_wave("abc"));
}

TEST_CASE("kind order follows gitops-engine inside a wave", "[sync-wave-order]") {
  CHECK(sw::kind_order("Namespace") < sw::kind_order("ServiceAccount"));
  CHECK(sw::kind_order("Secret") < sw::kind_order("ConfigMap"));
  CHECK(sw::kind_order("ConfigMap") < sw::kind_order("PersistentVolumeClaim"));
  CHECK(sw::kind_order("CustomResourceDefinition") < sw::kind_order("Service"));
  CHECK(sw::kind_order("Service") < sw::kind_order("Deployment"));
  CHECK(sw::kind_order("Deployment") < sw::kind_order("HorizontalPodAutoscaler"));
  CHECK(sw::kind_order("HorizontalPodAutoscaler") < sw::kind_order("StatefulSet"));
  CHECK(sw::kind_order("APIService") < 0);
  CHECK(sw::kind_order("PriorityClass") == 0);
  CHECK(sw::kind_order("SealedSecret") == 0);
}

TEST_CASE("the sync slot reads hooks, waves and Helm hook weights", "[sync-wave-order]") {
  using P = sw::SyncPhase;
  CHECK(slot_of("") == sw::SyncSlot{P::kSync, 0});
  CHECK(slot_of("    argocd.argoproj.io/sync-wave: \"-2\"\n") == sw::SyncSlot{P::kSync, -2});
  CHECK(slot_of("    argocd.argoproj.io/sync-wave: \"x\"\n    helm.sh/hook-weight: \"5\"\n") ==
        sw::SyncSlot{P::kSync, 5});
  CHECK(slot_of("    argocd.argoproj.io/hook: PostSync, PreSync\n    argocd.argoproj.io/sync-wave: \"3\"\n") ==
        sw::SyncSlot{P::kPreSync, 3});
  CHECK(slot_of("    argocd.argoproj.io/hook: SyncFail\n") == sw::SyncSlot{P::kSyncFail, 0});
  CHECK_FALSE(slot_of("    argocd.argoproj.io/hook: Skip\n"));
  CHECK_FALSE(slot_of("    argocd.argoproj.io/hook: PostDelete\n"));
  // Argo CD hooks win over Helm hooks, and then the Helm weight is not the wave.
  CHECK(slot_of("    argocd.argoproj.io/hook: Sync\n    helm.sh/hook: pre-install\n    helm.sh/hook-weight: \"4\"\n") ==
        sw::SyncSlot{P::kSync, 0});
  CHECK(slot_of("    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: \"-5\"\n") ==
        sw::SyncSlot{P::kPreSync, -5});
  CHECK(slot_of("    helm.sh/hook: post-upgrade\n") == sw::SyncSlot{P::kPostSync, 0});
  CHECK_FALSE(slot_of("    helm.sh/hook: test\n"));
  CHECK(slot_of("    helm.sh/hook: crd-install\n") == sw::SyncSlot{P::kSync, 0});
  CHECK(sw::describe(sw::SyncSlot{P::kSync, 2}) == "wave 2");
  CHECK(sw::describe(sw::SyncSlot{P::kPreSync, -1}) == "the PreSync phase (wave -1)");
}

TEST_CASE("talking to a server of a later wave is an error with the full story", "[sync-wave-order]") {
  World w(deployment("shop", "orders", "2", env("DATABASE_URL", "postgres://u@postgres.data.svc:5432/x")) +
          service("data", "postgres", "postgres", "1") + deployment("data", "postgres", "3"));
  const auto diags = w.run();
  REQUIRE(diags.size() == 1);
  const auto& d = diags[0];
  CHECK(d.severity == Severity::kError);
  CHECK(d.message ==
        "`shop/orders` syncs in wave 2 but talks to Service `data/postgres`, served by Deployment `data/postgres` in "
        "wave 3");
  CHECK(d.primary.span.begin.line == 7);  // the sync-wave value of shop/orders
  CHECK(d.primary.text == "syncs in wave 2");
  REQUIRE(d.secondary.size() == 2);
  CHECK(d.secondary[0].text == "`Deployment/data/postgres` syncs in wave 3");
  CHECK(d.secondary[1].text == "referenced here");
  CHECK(d.help == "give `data/postgres` wave 1 or earlier, or move `shop/orders` to wave 4 or later");
  CHECK(has_note(d, "talks-to (DATABASE_URL)"));
  CHECK(d.fingerprint_key.find('2') == std::string::npos);
}

TEST_CASE("talks-to in one wave warns unless ignored, and not at all where nobody uses waves", "[sync-wave-order]") {
  const std::string text = deployment("shop", "web", "1", env("API", "http://api:8080")) +
                           service("shop", "api", "api", "1") + deployment("shop", "api", "1");
  World w(text);
  const auto diags = w.run();
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].severity == Severity::kWarning);
  CHECK(diags[0].message ==
        "`shop/web` talks to Service `shop/api`, served by Deployment `shop/api` in the same wave 1");
  CHECK(w.run({{"sameWaveTalksTo", "ignore"}}).empty());

  World no_waves(deployment("shop", "web", "", env("API", "http://api:8080")) + service("shop", "api", "api", "") +
                 deployment("shop", "api", "", env("PAY", "http://pay.shop.svc.cluster.local")));
  const auto only_gap = no_waves.run();
  REQUIRE(only_gap.size() == 1);
  CHECK(only_gap[0].message ==
        "`shop/api` talks to `pay.shop.svc.cluster.local` but no Service `shop/pay` is deployed from this repository");
}

TEST_CASE("the Service alone in the same wave is fine, and talking to yourself is not a dependency",
          "[sync-wave-order]") {
  World w(deployment("shop", "web", "1", env("API", "http://api:8080") + env("SELF", "http://web:8080")) +
          service("shop", "api", "api", "1") + deployment("shop", "api", "0") + service("shop", "web", "web", "1"));
  CHECK(w.run().empty());
}

TEST_CASE("objects of different Argo CD applications are never compared", "[sync-wave-order]") {
  const std::string text = deployment("shop", "web", "0", env("API", "http://api.shop:8080")) +
                           service("shop", "api", "api", "5") + deployment("shop", "api", "5");
  World same(text);
  CHECK(same.run().size() == 1);
  World split(text, [](std::vector<gl::k8s::Object>& objects) {
    for (auto& o : objects) o.app_chain = {"root", o.name == "web" ? "frontend" : "backend"};
  });
  CHECK(split.run().empty());
}

TEST_CASE("missing in-cluster services follow the missingService and providedServices options", "[sync-wave-order]") {
  World w(deployment("shop", "web", "",
                     env("PAY", "http://payments.billing.svc:8080") + env("K8S", "https://kubernetes.default.svc") +
                         env("DNS", "kube-dns.kube-system.svc.cluster.local:53") +
                         env("STRIPE", "https://api.stripe.com/v1")));
  auto diags = w.run();
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].severity == Severity::kWarning);
  CHECK(diags[0].primary.text == "no Service `billing/payments` in this repository");
  CHECK(diags[0].primary.span.begin.column == 29);  // the host inside `http://payments...`
  diags = w.run({{"missingService", "error"}});
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].severity == Severity::kError);
  CHECK(w.run({{"missingService", "ignore"}}).empty());
  CHECK(w.run({{"providedServices", "billing/*"}}).size() == 2);  // overriding the list drops the defaults
  CHECK_THROWS_AS(w.run({{"missingService", "loud"}}), gl::FatalError);
  CHECK_THROWS_AS(w.run({{"sameWaveTalksTo", "error"}}), gl::FatalError);
}

TEST_CASE("references use the kind order inside a wave", "[sync-wave-order]") {
  World w(simple("v1", "ConfigMap", "shop", "cfg", "1", "data:\n  a: b\n") +
          simple("scheduling.k8s.io/v1", "PriorityClass", "", "high", "1", "value: 1000\n") +
          deployment("shop", "web", "1", {},
                     "      priorityClassName: high\n      volumes:\n        - name: cfg\n          configMap:\n"
                     "            name: cfg\n"));
  const auto diags = w.run();
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].severity == Severity::kWarning);
  CHECK(diags[0].message == "`shop/web` uses PriorityClass `high`, which Argo CD applies after it in the same wave 1");
  CHECK(has_note(diags[0], "(Deployment before PriorityClass)"));
}

TEST_CASE("a Secret written by a SealedSecret depends on the SealedSecret", "[sync-wave-order]") {
  const std::string sealed =
      simple("bitnami.com/v1alpha1", "SealedSecret", "shop", "creds-sealed", "3",
             "spec:\n  encryptedData:\n    p: AgB\n  template:\n    metadata:\n      name: creds\n");
  const std::string user =
      deployment("shop", "web", "1", {},
                 "      volumes:\n        - name: creds\n          secret:\n            secretName: creds\n");
  // The Secret is not in the repository: found by its producer's target name.
  World absent(sealed + user);
  auto diags = absent.run();
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].message ==
        "`shop/web` syncs in wave 1 but uses Secret `shop/creds`, produced by SealedSecret `shop/creds-sealed` in wave "
        "3");
  // The Secret is in the repository too: the graph edge Secret -> SealedSecret is followed.
  World present(sealed + simple("v1", "Secret", "shop", "creds", "0", "type: Opaque\n") + user);
  diags = present.run();
  REQUIRE(diags.size() == 2);
  CHECK(diags[0].message.find("`shop/creds` syncs in wave 0 but is produced by SealedSecret") == 0);
  CHECK(diags[1].message ==
        "`shop/web` syncs in wave 1 but mounts Secret `shop/creds`, produced by SealedSecret `shop/creds-sealed` in "
        "wave 3");
}

TEST_CASE("a Namespace or CRD with a later wave is reported once, only when its wave is written", "[sync-wave-order]") {
  const std::string users = simple("v1", "ConfigMap", "tools", "a", "-3", "data:\n  a: b\n") +
                            simple("v1", "ConfigMap", "tools", "b", "-4", "data:\n  a: b\n") +
                            simple("v1", "ConfigMap", "tools", "c", "-1", "data:\n  a: b\n");
  World declared(simple("v1", "Namespace", "", "tools", "-2") + users);
  const auto diags = declared.run();
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].severity == Severity::kWarning);
  CHECK(diags[0].object->name == "b");
  CHECK(diags[0].message == "`tools/b` syncs in wave -4 but its Namespace `tools` declares wave -2");
  CHECK(has_note(diags[0], "1 more object(s)"));
  CHECK(diags[0].help == "give `tools` wave -4 or earlier so its annotation says what Argo CD does");
  World implicit(simple("v1", "Namespace", "", "tools", "") + users);
  CHECK(implicit.run().empty());
}

TEST_CASE("a non-integer wave is reported at its value", "[sync-wave-order]") {
  World w(simple("v1", "ConfigMap", "shop", "cfg", "1.5", "data:\n  a: b\n") +
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: empty\n  namespace: shop\n  annotations:\n"
          "    argocd.argoproj.io/sync-wave: \"\"\n");
  const auto diags = w.run();
  REQUIRE(diags.size() == 2);
  CHECK(diags[0].message == "sync-wave `1.5` is not an integer");
  CHECK(diags[0].primary.span.begin.column == 35);
  CHECK(has_note(diags[0], "syncs `shop/cfg` in wave 0"));
  CHECK(diags[1].message == "sync-wave is empty");
}

TEST_CASE("the fixture reads as the user story", "[sync-wave-order]") {
  gl::cli::CheckOptions opts;
  opts.path = (std::filesystem::path(GL_SOURCE_DIR) / "fixtures" / "rules" / "sync-wave-order").string();
  for (const auto& other : gl::rules::rule_ids()) {
    if (other != kId && other != "load-error") opts.disable.push_back(other);
  }
  const auto result = gl::cli::run_check(opts);
  const auto find = [&](std::string_view name) -> const Diagnostic* {
    for (const auto& d : result.diagnostics) {
      if (d.object && d.object->name == name) return &d;
    }
    return nullptr;
  };
  const Diagnostic* early = find("fire-early-app");
  REQUIRE(early != nullptr);
  CHECK(early->severity == Severity::kError);
  CHECK(early->message ==
        "`shop/fire-early-app` syncs in wave 0 but talks to Service `data/queue`, served by StatefulSet `data/queue` "
        "in wave 1");
  const Diagnostic* migrate = find("fire-migrate");
  REQUIRE(migrate != nullptr);
  CHECK(migrate->message.find("syncs in the PreSync phase (wave 0)") != std::string::npos);
  const Diagnostic* missing = find("fire-missing-service");
  REQUIRE(missing != nullptr);
  CHECK(missing->severity == Severity::kWarning);
  CHECK(missing->message ==
        "`shop/fire-missing-service` talks to `payments.shop.svc.cluster.local` but no Service "
        "`shop/payments` is deployed from this repository");
  for (const auto& d : result.diagnostics) {
    INFO(d.message);
    REQUIRE(d.object.has_value());
    CHECK(d.object->name.rfind("fire-", 0) == 0);
    CHECK(d.message.find("stripe") == std::string::npos);
  }
}
