// check --shard I/N: parsing, stable assignment of unit keys, the text tests run before parsing, the
// kustomization plan (top-level builds without building), which findings a shard keeps, and shards of the
// example repository splitting its findings without overlap.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "cli/pipeline.h"
#include "cli/shard.h"
#include "render/render.h"
#include "repo/file_tree.h"

namespace {

using gl::cli::Shard;

std::string parse_error(std::string_view text) {
  std::string error;
  REQUIRE_FALSE(gl::cli::parse_shard(text, &error).has_value());
  return error;
}

gl::diag::Diagnostic finding(std::string rule, std::optional<gl::ObjectRef> object, const gl::SourceFile* file,
                             std::string message = "m") {
  gl::diag::Diagnostic d;
  d.rule = std::move(rule);
  d.object = std::move(object);
  d.primary.span = gl::Span{file, {1, 1}, {1, 1}};
  d.message = std::move(message);
  return d;
}

}  // namespace

TEST_CASE("shard: I/N is parsed, anything else is refused", "[shard]") {
  CHECK(gl::cli::parse_shard("1/3", nullptr) == Shard{1, 3});
  CHECK(gl::cli::parse_shard("3/3", nullptr) == Shard{3, 3});
  CHECK(gl::cli::parse_shard("1/1", nullptr) == Shard{1, 1});
  CHECK(parse_error("0/3") == "--shard `0/3`: the shard must be 1 to N and N 1 to 1000");
  CHECK(parse_error("4/3") == "--shard `4/3`: the shard must be 1 to N and N 1 to 1000");
  CHECK(parse_error("1/0") == "--shard `1/0`: the shard must be 1 to N and N 1 to 1000");
  CHECK(parse_error("1/1001") == "--shard `1/1001`: the shard must be 1 to N and N 1 to 1000");
  for (const char* bad : {"x", "", "1", "1/", "/3", "-1/3", "1/3/4", " 1/3", "1/3 ", "+1/3", "1.0/3", "99999/99999"}) {
    INFO(bad);
    CHECK(parse_error(bad) == fmt::format("--shard `{}` is not I/N (for example 2/4)", bad));
  }
}

TEST_CASE("shard: a unit key always goes to the same shard, whatever else is in the repository", "[shard]") {
  // FNV-1a 64 of the key, modulo N: fixed values, so that a change of hash is a deliberate one.
  CHECK(gl::cli::shard_of("ns:shop", 3) == 2);
  CHECK(gl::cli::shard_of("ns:data", 3) == 3);
  CHECK(gl::cli::shard_of("dir:apps/web", 3) == 1);
  CHECK(gl::cli::shard_of("ns:shop", 1) == 1);
  CHECK(gl::cli::shard_of("anything", 0) == 1);
  // Every key lands in 1..N, and N=4 spreads 1000 keys evenly enough.
  std::map<uint32_t, int> counts;
  for (int i = 0; i < 1000; ++i) {
    const uint32_t s = gl::cli::shard_of(fmt::format("ns:team{}", i), 4);
    REQUIRE(s >= 1);
    REQUIRE(s <= 4);
    ++counts[s];
  }
  for (const auto& [s, n] : counts) {
    INFO("shard " << s);
    CHECK(n > 200);
    CHECK(n < 300);
  }
  CHECK(counts.size() == 4);
}

TEST_CASE("shard: unit keys of plain files come from the text, before parsing", "[shard]") {
  CHECK(gl::cli::first_metadata_namespace(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\n") == "shop");
  CHECK(gl::cli::first_metadata_namespace("metadata:\n  namespace: \"data\"  # the datastores\n") == "data");
  // A RoleBinding subject's namespace, or a templated one, is not the object's.
  CHECK(gl::cli::first_metadata_namespace("kind: RoleBinding\nmetadata:\n  name: x\nsubjects:\n- kind: ServiceAccount\n"
                                          "  namespace: other\n") == "");
  CHECK(gl::cli::first_metadata_namespace("metadata:\n  namespace: {{ .Release.Namespace }}\n") == "");
  // Items of a List.
  CHECK(gl::cli::first_metadata_namespace(
            "kind: List\nitems:\n- kind: Service\n  metadata:\n    name: s\n    namespace: web\n") == "web");
  CHECK(gl::cli::plain_file_key("apps/web/a.yaml", "metadata:\n  namespace: shop\n") == "ns:shop");
  CHECK(gl::cli::plain_file_key("apps/web/a.yaml", "kind: Namespace\nmetadata:\n  name: shop\n") == "dir:apps/web");
  CHECK(gl::cli::plain_file_key("top.yaml", "") == "dir:");
  CHECK(gl::cli::app_key("shop", "web") == "ns:shop");
  CHECK(gl::cli::app_key("", "web") == "app:web");

  CHECK(gl::cli::declares_kind("apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n", "Node"));
  CHECK(gl::cli::declares_kind("items:\n- apiVersion: v1\n  kind: \"Node\"\n", "Node"));
  CHECK(gl::cli::declares_kind("---\nkind: DaemonSet # on every node\n", "DaemonSet"));
  CHECK_FALSE(gl::cli::declares_kind("kind: NodePool\n", "Node"));
  CHECK_FALSE(gl::cli::declares_kind("# kind: Node is what kubectl prints\nkind: ConfigMap\n", "Node"));
  const std::map<int, std::string> ports{{5432, "postgresql"}, {6379, "redis"}};
  CHECK(gl::cli::declares_port("kind: Service\nspec:\n  ports:\n  - port: 5432\n", ports));
  CHECK(gl::cli::declares_port("        - containerPort: \"6379\"\n", ports));
  CHECK_FALSE(gl::cli::declares_port("  DATABASE_URL: postgres://db:5432/app\n  - port: 8080\n", ports));
  // A NetworkPolicy that allows the port is not the datastore.
  CHECK_FALSE(
      gl::cli::declares_port("kind: NetworkPolicy\nspec:\n  egress:\n  - to:\n    - podSelector: {}\n    ports:\n"
                             "    - port: 5432\n      protocol: TCP\n",
                             ports));
  CHECK(gl::cli::declares_port("kind: Service\nspec:\n  ports:\n  - name: pg\n    port: 5432\n", ports));
  CHECK(gl::cli::is_shared_kind("", "Node"));
  CHECK(gl::cli::is_shared_kind("apps", "DaemonSet"));
  CHECK(gl::cli::is_shared_kind("argoproj.io", "ApplicationSet"));
  CHECK_FALSE(gl::cli::is_shared_kind("apps", "Deployment"));

  CHECK(gl::cli::mentions_argocd("apiVersion: argoproj.io/v1alpha1\nkind: Application\n"));
  CHECK(gl::cli::mentions_argocd("apiVersion: \"argoproj.io/v1alpha1\"\n"));
  // The sync-wave annotation of any manifest is not an Argo CD object.
  CHECK_FALSE(gl::cli::mentions_argocd("metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: \"2\"\n"));
  CHECK_FALSE(gl::cli::mentions_argocd("kind: ConfigMap\n"));
}

TEST_CASE("shard: the kustomization plan finds top-level builds and the files builds use without building", "[shard]") {
  auto tree = gl::repo::open_memory_tree({
      {"app/base/kustomization.yaml", "resources:\n- deploy.yaml\nnamespace: shop\n"},
      {"app/base/deploy.yaml", "kind: Deployment\n"},
      {"app/overlays/dev/kustomization.yaml",
       "resources:\n- ../../base\npatches:\n- path: patch.yaml\nconfigMapGenerator:\n- name: c\n  files:\n  - "
       "app.conf\n"},
      {"app/overlays/dev/patch.yaml", "kind: Deployment\n"},
      {"app/overlays/prod/kustomization.yaml", "resources:\n- ../../base\n- https://example.com/remote.yaml\n"},
      {"app/overlays/extra/kustomization.yaml", "namespace: extra\nresources:\n- cm.yaml\n"},
      {"empty/kustomization.yaml", "resources: []\n"},
  });
  gl::SourceSet sources;
  gl::render::Context ctx(*tree, sources, 1 << 20, {});
  const std::vector<std::string> dirs{"app/base", "app/overlays/dev", "app/overlays/extra", "app/overlays/prod",
                                      "empty"};
  const auto plan = gl::cli::plan_kustomizations(ctx, dirs);
  CHECK(plan.included == std::set<std::string>{"app/base"});
  CHECK(plan.closure("app/overlays/dev") == std::vector<std::string>{"app/overlays/dev", "app/base"});
  CHECK(plan.dirs.at("app/overlays/dev").files == std::set<std::string>{"app/overlays/dev/app.conf",
                                                                        "app/overlays/dev/kustomization.yaml",
                                                                        "app/overlays/dev/patch.yaml"});
  CHECK(plan.dirs.at("app/base").files == std::set<std::string>{"app/base/deploy.yaml", "app/base/kustomization.yaml"});
  CHECK(plan.build_namespace("app/overlays/prod") == "shop");
  const std::vector<std::string> top{"app/overlays/dev", "app/overlays/extra", "app/overlays/prod", "empty"};
  // Overlays of one base stay together (they may be environments checked apart); the others by namespace or
  // directory.
  CHECK(plan.build_key("app/overlays/dev", top) == "kgroup:app/overlays");
  CHECK(plan.build_key("app/overlays/prod", top) == "kgroup:app/overlays");
  CHECK(plan.build_key("app/overlays/extra", top) == "ns:extra");
  CHECK(plan.build_key("empty", top) == "dir:empty");
  CHECK(plan.produces("app/overlays/prod"));
  CHECK_FALSE(plan.produces("empty"));
}

TEST_CASE("shard: a shard keeps the findings about its own objects, and the others once", "[shard]") {
  const gl::SourceFile mine("apps/a.yaml", "x\n");
  const gl::SourceFile other("apps/b.yaml", "x\n");
  gl::cli::ShardScope scope(Shard{1, 2});
  const gl::ObjectRef web{"apps/v1", "Deployment", "shop", "web"};
  const gl::ObjectRef db{"apps/v1", "StatefulSet", "data", "db"};
  const gl::ObjectRef node{"v1", "Node", "", "n1"};
  scope.add_object(web, true);
  scope.add_object(db, false);
  scope.add_object(node, true);
  scope.add_object(node, false);  // the same identity in two units: decided by the file
  scope.add_file("apps/a.yaml");
  CHECK(scope.keep(finding("node-pinning", web, &other)));
  CHECK_FALSE(scope.keep(finding("node-pinning", db, &mine)));
  CHECK(scope.keep(finding("node-pinning", node, &mine)));
  // No object (or an ambiguous one) in a file of no unit of this shard: by the hash of the file, so exactly one
  // of the shards keeps it.
  const bool in_one = scope.keep(finding("node-pinning", std::nullopt, &other));
  gl::cli::ShardScope second(Shard{2, 2});
  CHECK(second.keep(finding("node-pinning", std::nullopt, &other)) != in_one);
  // "No Service provides this host" may be wrong in a shard: never reported.
  auto missing = finding("sync-wave-order", web, &mine);
  missing.fingerprint_key = "missing-service|data/db";
  CHECK_FALSE(scope.keep(missing));
  missing.fingerprint_key = "talks-to|data/db";
  CHECK(scope.keep(missing));
}

TEST_CASE("shard: the shards of the example repository report disjoint parts of its findings", "[shard]") {
  gl::cli::CheckOptions options;
  options.path = std::string(GL_SOURCE_DIR) + "/fixtures/example";
  const auto all = gl::cli::run_check(options).diagnostics;
  std::set<std::string> unsharded;
  for (const auto& d : all) unsharded.insert(d.fingerprint + "@" + std::to_string(d.line()));
  std::map<std::string, int> seen;
  size_t shared_with_unsharded = 0;
  for (uint32_t i = 1; i <= 3; ++i) {
    options.shard = Shard{i, 3};
    const auto result = gl::cli::run_check(options);
    CHECK(std::count_if(result.notes.begin(), result.notes.end(), [&](const std::string& n) {
            return n.starts_with(fmt::format("shard {}/3 of a sharded run: ", i));
          }) == 1);
    for (const auto& d : result.diagnostics) {
      const std::string key = d.fingerprint + "@" + std::to_string(d.line());
      ++seen[key];
      if (unsharded.count(key) != 0) ++shared_with_unsharded;
    }
    // The same shard twice: the same findings.
    const auto again = gl::cli::run_check(options);
    REQUIRE(again.diagnostics.size() == result.diagnostics.size());
    for (size_t k = 0; k < again.diagnostics.size(); ++k)
      CHECK(again.diagnostics[k].fingerprint == result.diagnostics[k].fingerprint);
  }
  for (const auto& [key, count] : seen) {
    INFO(key);
    CHECK(count == 1);
  }
  // Most findings are exactly the unsharded run's (the rest need evidence from another shard).
  CHECK(shared_with_unsharded * 10 >= all.size() * 8);
}
