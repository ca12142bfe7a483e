// Parallel graph building and rule scanning give the same result as one thread; the fast paths that skip
// work (secret trigger scan, interned tags) answer exactly as the slow paths they stand in for.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/pipeline.h"
#include "core/parallel.h"
#include "core/source.h"
#include "graph/graph.h"
#include "k8s/inventory.h"
#include "k8s/object.h"
#include "rules/support/secret_patterns.h"
#include "yaml/parser.h"

namespace {

namespace sp = gl::rules::support;

/// Many namespaces of a Service, a ConfigMap and a Deployment that use each other, plus two nodes: enough
/// objects for several runs of the parallel edge pass.
std::string many_apps(int count) {
  std::string out = R"(apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {pool: general}
---
apiVersion: v1
kind: Node
metadata:
  name: node-b
  labels: {pool: db}
)";
  for (int i = 0; i < count; ++i) {
    const std::string ns = "ns" + std::to_string(i % 37);
    const std::string app = "app" + std::to_string(i);
    out += "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + app + ", namespace: " + ns +
           "}\nspec:\n  selector: {app: " + app + "}\n  ports: [{port: " + (i % 5 == 0 ? "5432" : "80") + "}]\n";
    out += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + app + "-config, namespace: " + ns +
           "}\ndata:\n  PEER_URL: http://app" + std::to_string((i + 37) % count) + "." + ns + ".svc:80\n";
    out += "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + app + ", namespace: " + ns +
           "}\nspec:\n  template:\n    metadata:\n      labels: {app: " + app +
           "}\n    spec:\n      nodeSelector: {pool: general}\n      containers:\n      - name: main\n        image: "
           "postgres:16\n        envFrom: [{configMapRef: {name: " + app +
           "-config}}]\n        env:\n        - {name: OTHER_HOST, value: app" + std::to_string((i + 74) % count) +
           "}\n        - {name: MISSING, value: \"http://nowhere." + ns + ".svc.cluster.local\"}\n" +
           "      volumes: [{name: config, configMap: {name: " + app + "-config}}]\n";
  }
  return out;
}

struct Repo {
  explicit Repo(std::string text) : file(std::make_unique<gl::SourceFile>("repo.yaml", std::move(text))) {
    auto parsed = gl::yaml::parse(*file);
    REQUIRE(parsed.errors.empty());
    for (auto& doc : parsed.documents) {
      if (auto o = gl::k8s::make_object(std::move(doc))) objects.push_back(std::move(*o));
    }
  }
  gl::graph::Graph build(unsigned threads) const {
    std::vector<const gl::k8s::Object*> nodes;
    for (const auto& o : objects) {
      if (o.kind == "Node") nodes.push_back(&o);
    }
    auto inventory =
        gl::k8s::build_inventory(nodes, {}, gl::k8s::InstanceCatalog::builtin(), gl::k8s::SystemReserve{});
    return gl::graph::build_graph(objects, std::move(inventory), gl::graph::GraphOptions::defaults(), threads);
  }
  std::unique_ptr<gl::SourceFile> file;
  std::vector<gl::k8s::Object> objects;
};

bool same_edge(const gl::graph::Edge& a, const gl::graph::Edge& b) {
  return a.kind == b.kind && a.from == b.from && a.to == b.to && a.evidence.file == b.evidence.file &&
         a.evidence.begin == b.evidence.begin && a.evidence.end == b.evidence.end && a.detail == b.detail &&
         a.port == b.port && a.tolerated == b.tolerated;
}

}  // namespace

TEST_CASE("parallel_for visits every index exactly once", "[parallel]") {
  for (unsigned threads : {0U, 1U, 3U}) {
    std::vector<int> seen(1000, 0);
    gl::parallel_for(seen.size(), threads, [&](size_t i) { ++seen[i]; });
    CHECK(std::count(seen.begin(), seen.end(), 1) == 1000);
  }
  int calls = 0;
  gl::parallel_for(0, 2, [&](size_t) { ++calls; });
  CHECK(calls == 0);
}

TEST_CASE("the graph does not depend on the thread count", "[parallel][graph]") {
  const Repo repo(many_apps(700));
  const auto one = repo.build(1);
  std::map<gl::graph::EdgeKind, int> kinds;
  for (const auto& e : one.edges) ++kinds[e.kind];
  CHECK(kinds.size() == 5);
  REQUIRE(one.edges.size() > 3000);
  REQUIRE(!one.unresolved_talks.empty());
  for (unsigned threads : {2U, 5U}) {
    const auto many = repo.build(threads);
    REQUIRE(many.edges.size() == one.edges.size());
    for (size_t e = 0; e < one.edges.size(); ++e) {
      INFO("edge " << e);
      CHECK(same_edge(one.edges[e], many.edges[e]));
    }
    REQUIRE(many.unresolved_talks.size() == one.unresolved_talks.size());
    for (size_t t = 0; t < one.unresolved_talks.size(); ++t) {
      CHECK(many.unresolved_talks[t].from == one.unresolved_talks[t].from);
      CHECK(many.unresolved_talks[t].host == one.unresolved_talks[t].host);
      CHECK(many.unresolved_talks[t].evidence.begin == one.unresolved_talks[t].evidence.begin);
    }
    CHECK(many.datastores_ == one.datastores_);
    for (uint32_t i = 0; i < one.objects.size(); ++i) {
      CHECK(std::ranges::equal(many.out_edges(i), one.out_edges(i)));
      CHECK(std::ranges::equal(many.in_edges(i), one.in_edges(i)));
      CHECK(many.pod_labels(i) == one.pod_labels(i));
    }
    CHECK(many.find("Deployment", "ns3", "app3") == one.find("Deployment", "ns3", "app3"));
  }
}

TEST_CASE("check reports the same findings on one thread and on several", "[parallel]") {
  gl::cli::CheckOptions opts;
  opts.path = std::string(GL_SOURCE_DIR) + "/fixtures/example";
  opts.threads = 1;
  const auto one = gl::cli::run_check(opts);
  REQUIRE(!one.diagnostics.empty());
  opts.threads = 3;
  const auto many = gl::cli::run_check(opts);
  REQUIRE(many.diagnostics.size() == one.diagnostics.size());
  for (size_t i = 0; i < one.diagnostics.size(); ++i) {
    CHECK(many.diagnostics[i].rule == one.diagnostics[i].rule);
    CHECK(many.diagnostics[i].message == one.diagnostics[i].message);
    CHECK(many.diagnostics[i].primary.span.begin == one.diagnostics[i].primary.span.begin);
  }
}

TEST_CASE("the secret trigger scan keeps the regex's Unicode case folding", "[parallel][secret]") {
  // `ſ` (U+017F) folds to `s` and `K` (U+212A) to `k` under RE2's (?i): such text takes the regex path.
  CHECK(!sp::find_secrets("Server=db;Pa\xC5\xBF\xC5\xBFword=Vq8rT2mLx9;").empty());
  CHECK(!sp::find_secrets("Server=db;PASSWORD=Vq8rT2mLx9;").empty());
  CHECK(!sp::find_secrets("postgres://app:Vq8rT2mLx9@db.data:5432/app").empty());
  CHECK(sp::find_secrets("postgres://db.data:5432/app?user=app").empty());
  CHECK(sp::find_secrets("an ordinary sentence with no credential in it").empty());
  CHECK(!sp::looks_like_aws_secret_key("FxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KXSc7Tv"));   // 39 characters
  CHECK(sp::looks_like_aws_secret_key("FxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KXSc7Tvo"));   // 40
  CHECK(!sp::looks_like_aws_secret_key("FxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KXSc7Tvoo"));  // 41
}

TEST_CASE("credential key answers are stable when cached", "[parallel][secret]") {
  for (int round = 0; round < 2; ++round) {
    CHECK(sp::is_credential_key("DB_PASSWORD"));
    CHECK(sp::is_credential_key("apiKey"));
    CHECK_FALSE(sp::is_credential_key("DB_PASSWORD_FILE"));
    CHECK_FALSE(sp::is_credential_key("username"));
  }
}

TEST_CASE("tags are interned and compare by text", "[parallel][yaml]") {
  const gl::SourceFile file("t.yaml", "a: !!str 1\nb: !!str 2\nc: !custom {x: 1}\nd: 3\n");
  const auto parsed = gl::yaml::parse(file);
  REQUIRE(parsed.documents.size() == 1);
  const auto& root = parsed.documents[0].root;
  CHECK(root.get("a")->tag() == "tag:yaml.org,2002:str");
  CHECK(root.get("a")->tag().data() == root.get("b")->tag().data());
  CHECK(root.get("a")->is_quoted());
  CHECK(root.get("c")->tag() == "!custom");
  CHECK(root.get("d")->tag().empty());
  CHECK(gl::yaml::intern_tag("!x").data() == gl::yaml::intern_tag(std::string("!x")).data());
}
