// Tests for src/config: every documented key of .gitops-lint.yaml, error messages, and effective rules.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/error.h"
#include "core/source.h"
#include "rules/rule.h"

namespace {

constexpr int64_t kMi = 1024LL * 1024;
constexpr int64_t kGi = 1024LL * kMi;

/// The FatalError message parse_config throws for `text`, or "" when it does not throw.
std::string config_error(const std::string& text, const std::string& path = ".gitops-lint.yaml") {
  const gl::SourceFile file(path, text);
  try {
    gl::config::parse_config(file);
  } catch (const gl::FatalError& e) {
    return e.what();
  }
  return {};
}

const gl::config::EffectiveRule* rule_in(const std::vector<gl::config::EffectiveRule>& rules, const std::string& id) {
  for (const auto& r : rules) {
    if (r.info->id == id) return &r;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("an empty config gives the defaults", "[config]") {
  for (const char* text : {"", "# nothing\n", "---\n", "~\n"}) {
    INFO("`" << text << "`");
    const gl::SourceFile file(".gitops-lint.yaml", text);
    const auto c = gl::config::parse_config(file);
    CHECK(c.file == &file);
    CHECK(c.exclude.empty());
    CHECK(c.max_file_bytes == gl::config::kDefaultMaxFileBytes);
    CHECK(c.max_file_bytes == 5 * 1024 * 1024);
    CHECK(c.limits.max_depth == 128);
    CHECK(c.limits.max_alias_nodes == 1000000);
    CHECK(c.node_groups.empty());
    CHECK(c.reserve.cpu_milli == 100);
    CHECK(c.reserve.memory_bytes == 256 * kMi);
    CHECK(c.extra_instance_types.empty());
    CHECK(c.graph.datastore_ports.at(5432) == "postgresql");
    CHECK(c.rules.empty());
  }
}

TEST_CASE("every documented key is read", "[config]") {
  const gl::SourceFile file("sub/.gitops-lint.yaml",
                            "exclude:\n"
                            "  - vendor/**\n"
                            "  - drafts/**\n"
                            "limits:\n"
                            "  maxFileSize: 1Mi\n"
                            "  maxDepth: 64\n"
                            "  maxAliasNodes: 5000\n"
                            "inventory:\n"
                            "  systemReserved:\n"
                            "    cpu: 250m\n"
                            "    memory: 512Mi\n"
                            "  instanceTypes:\n"
                            "    custom.big: {vcpu: 16, memory: 64Gi}\n"
                            "  nodeGroups:\n"
                            "    - name: api\n"
                            "      count: 3\n"
                            "      instanceType: t3.small\n"
                            "      labels: {role: api}\n"
                            "      taints:\n"
                            "        - {key: dedicated, value: api, effect: NoSchedule}\n"
                            "        - {key: spot, effect: PreferNoSchedule}\n"
                            "    - name: solo\n"
                            "datastores:\n"
                            "  ports:\n"
                            "    \"9200\": elasticsearch\n"
                            "  images:\n"
                            "    opensearch: elasticsearch\n"
                            "rules:\n"
                            "  node-pinning:\n"
                            "    enabled: false\n"
                            "  requests-fit:\n"
                            "    severity: warning\n"
                            "  sync-wave-order:\n"
                            "    enabled: yes\n"
                            "    severity: note\n"
                            "    providedServices: [default/kubernetes, logging/*]\n"
                            "    missingService: error\n");
  const auto c = gl::config::parse_config(file);
  CHECK(c.exclude == std::vector<std::string>{"vendor/**", "drafts/**"});
  CHECK(c.max_file_bytes == static_cast<uint64_t>(kMi));
  CHECK(c.limits.max_depth == 64);
  CHECK(c.limits.max_alias_nodes == 5000);
  CHECK(c.reserve.cpu_milli == 250);
  CHECK(c.reserve.memory_bytes == 512 * kMi);
  REQUIRE(c.extra_instance_types.size() == 1);
  CHECK(c.extra_instance_types[0].name == "custom.big");
  CHECK(c.extra_instance_types[0].cpu_milli == 16000);
  CHECK(c.extra_instance_types[0].memory_bytes == 64 * kGi);

  REQUIRE(c.node_groups.size() == 2);
  const auto& api = c.node_groups[0];
  CHECK(api.name == "api");
  CHECK(api.count == 3);
  CHECK(api.instance_type == "t3.small");
  CHECK(api.labels == gl::k8s::Labels{{"role", "api"}});
  REQUIRE(api.taints.size() == 2);
  CHECK(api.taints[0].display() == "dedicated=api:NoSchedule");
  CHECK(api.taints[1].display() == "spot:PreferNoSchedule");
  CHECK(api.origin.file == &file);
  CHECK(api.origin.begin == gl::Mark{15, 13});  // the name value
  CHECK(c.node_groups[1].name == "solo");
  CHECK(c.node_groups[1].count == 1);

  CHECK(c.graph.datastore_ports.at(9200) == "elasticsearch");
  CHECK(c.graph.datastore_ports.at(5432) == "postgresql");  // defaults kept
  REQUIRE_FALSE(c.graph.datastore_images.empty());
  CHECK(c.graph.datastore_images.front() == std::pair<std::string, std::string>{"opensearch", "elasticsearch"});

  REQUIRE(c.rules.size() == 3);
  CHECK(c.rules.at("node-pinning").enabled == false);
  CHECK_FALSE(c.rules.at("node-pinning").severity.has_value());
  CHECK(c.rules.at("requests-fit").severity == gl::Severity::kWarning);
  CHECK_FALSE(c.rules.at("requests-fit").enabled.has_value());
  const auto& swo = c.rules.at("sync-wave-order");
  CHECK(swo.enabled == true);
  CHECK(swo.severity == gl::Severity::kNote);
  CHECK(swo.options.at("providedServices") == std::vector<std::string>{"default/kubernetes", "logging/*"});
  CHECK(swo.options.at("missingService") == std::vector<std::string>{"error"});
}

TEST_CASE("exclude may be a single string; sizes may be plain bytes", "[config]") {
  const gl::SourceFile file(".gitops-lint.yaml", "exclude: vendor/**\nlimits: {maxFileSize: 1048576}\n");
  const auto c = gl::config::parse_config(file);
  CHECK(c.exclude == std::vector<std::string>{"vendor/**"});
  CHECK(c.max_file_bytes == 1048576);
}

TEST_CASE("unknown keys name file:line:col and suggest the closest key", "[config]") {
  SECTION("top level") {
    const auto msg = config_error("limits: {}\nexclud: [a]\n", "apps/.gitops-lint.yaml");
    CHECK(msg.rfind("apps/.gitops-lint.yaml:2:1: ", 0) == 0);
    CHECK(msg.find("unknown key `exclud`") != std::string::npos);
    CHECK(msg.find("did you mean `exclude`?") != std::string::npos);
  }
  SECTION("nested") {
    const auto msg = config_error("limits:\n  maxDepht: 3\n");
    CHECK(msg.rfind(".gitops-lint.yaml:2:3: ", 0) == 0);
    CHECK(msg.find("`maxDepht`") != std::string::npos);
    CHECK(msg.find("did you mean `maxDepth`?") != std::string::npos);
  }
  SECTION("node group field") {
    const auto msg = config_error("inventory:\n  nodeGroups:\n    - name: a\n      instancetype: t3.small\n");
    CHECK(msg.rfind(".gitops-lint.yaml:4:7: ", 0) == 0);
    CHECK(msg.find("did you mean `instanceType`?") != std::string::npos);
  }
  SECTION("nothing close: no suggestion") {
    const auto msg = config_error("completelyUnrelated: 1\n");
    CHECK(msg.rfind(".gitops-lint.yaml:1:1: ", 0) == 0);
    CHECK(msg.find("unknown key `completelyUnrelated`") != std::string::npos);
    CHECK(msg.find("did you mean") == std::string::npos);
  }
  SECTION("unknown rule id") {
    const auto msg = config_error("rules:\n  node-pining:\n    enabled: false\n");
    CHECK(msg.rfind(".gitops-lint.yaml:2:3: ", 0) == 0);
    CHECK(msg.find("node-pining") != std::string::npos);
    CHECK(msg.find("did you mean `node-pinning`?") != std::string::npos);
  }
  SECTION("unknown rule option") {
    const auto msg = config_error("rules:\n  sync-wave-order:\n    providedService: [a/b]\n");
    CHECK(msg.rfind(".gitops-lint.yaml:3:5: ", 0) == 0);
    CHECK(msg.find("did you mean `providedServices`?") != std::string::npos);
  }
}

TEST_CASE("bad values name file:line:col", "[config]") {
  struct Case {
    const char* text;
    const char* where;
    const char* what;
  };
  for (const Case& c : {
           Case{"rules:\n  node-pinning:\n    severity: fatal\n", ":3:15: ", "`severity` must be error, warning or note"},
           Case{"rules:\n  node-pinning:\n    severity: Error\n", ":3:15: ", "`severity`"},
           Case{"rules:\n  node-pinning:\n    enabled: maybe\n", ":3:14: ", "`enabled` must be true or false"},
           Case{"rules:\n  node-pinning:\n    enabled: 'true'\n", ":3:14: ", "`enabled`"},
           Case{"limits:\n  maxDepth: -1\n", ":2:13: ", "non-negative integer"},
           Case{"limits:\n  maxDepth: deep\n", ":2:13: ", "non-negative integer"},
           Case{"limits:\n  maxAliasNodes:\n", ":2:", "non-negative integer"},
           Case{"limits:\n  maxFileSize: lots\n", ":2:16: ", "`maxFileSize` must be a size"},
           Case{"inventory:\n  systemReserved: {cpu: fast}\n", ":2:25: ", "CPU quantity"},
           Case{"inventory:\n  nodeGroups:\n    - name: a\n      taints: [{key: k, effect: Never}]\n", ":4:", "NoSchedule"},
           Case{"inventory:\n  nodeGroups:\n    - name: a\n      taints: [{effect: NoSchedule}]\n", ":4:", "needs `key` and `effect`"},
           Case{"inventory:\n  nodeGroups:\n    - count: 2\n", ":3:", "needs a `name`"},
           Case{"inventory:\n  nodeGroups:\n    - name: a\n      count: two\n", ":4:14: ", "non-negative integer"},
           Case{"inventory:\n  nodeGroups: {name: a}\n", ":2:15: ", "must be a list"},
           Case{"datastores:\n  ports:\n    http: web\n", ":3:", "`http` is not a port number"},
           Case{"exclude: {a: 1}\n", ":1:10: ", "`exclude` must be a list"},
           Case{"- just\n- a list\n", ":1:1: ", "must be a mapping"},
           Case{"rules: [node-pinning]\n", ":1:8: ", "must be a mapping"},
       }) {
    INFO(c.text);
    const auto msg = config_error(c.text);
    CHECK(msg.rfind(".gitops-lint.yaml:", 0) == 0);
    CHECK(msg.find(c.where) != std::string::npos);
    CHECK(msg.find(c.what) != std::string::npos);
  }
}

TEST_CASE("YAML errors in the config are fatal and located", "[config]") {
  const auto syntax = config_error("exclude: [a\nlimits: {}\n", "x/.gitops-lint.yaml");
  CHECK(syntax.rfind("x/.gitops-lint.yaml:", 0) == 0);
  CHECK_FALSE(syntax.empty());
  const auto dup = config_error("exclude: [a]\nlimits: {}\nexclude: [b]\n");
  CHECK(dup.rfind(".gitops-lint.yaml:3:1: ", 0) == 0);
  CHECK(dup.find("duplicate key `exclude`") != std::string::npos);
}

TEST_CASE("effective_rules: defaults", "[config]") {
  const gl::config::Config c;
  const auto rules = gl::config::effective_rules(c, {}, {});
  REQUIRE(rules.size() == gl::rules::registry().size());
  for (const char* id : {"load-error", "netpol-egress", "node-pinning", "plaintext-secret", "requests-fit",
                         "sync-wave-order"}) {
    INFO(id);
    const auto* r = rule_in(rules, id);
    REQUIRE(r != nullptr);
    CHECK(r->severity == r->info->default_severity);
  }
  const auto* swo = rule_in(rules, "sync-wave-order");
  CHECK(swo->options.list("providedServices") == std::vector<std::string>{"default/kubernetes", "kube-system/*"});
  CHECK(swo->options.get("missingService") == "warning");
}

TEST_CASE("effective_rules: config, then --enable and --disable", "[config]") {
  const gl::SourceFile file(".gitops-lint.yaml",
                            "rules:\n"
                            "  node-pinning: {enabled: false}\n"
                            "  requests-fit: {severity: note}\n"
                            "  plaintext-secret: {enabled: true}\n"
                            "  sync-wave-order: {providedServices: logging/*}\n");
  const auto c = gl::config::parse_config(file);

  auto rules = gl::config::effective_rules(c, {}, {});
  CHECK(rule_in(rules, "node-pinning") == nullptr);
  REQUIRE(rule_in(rules, "requests-fit") != nullptr);
  CHECK(rule_in(rules, "requests-fit")->severity == gl::Severity::kNote);
  CHECK(rule_in(rules, "sync-wave-order")->options.list("providedServices") == std::vector<std::string>{"logging/*"});
  CHECK(rule_in(rules, "sync-wave-order")->options.get("missingService") == "warning");  // default kept

  rules = gl::config::effective_rules(c, {"node-pinning"}, {"plaintext-secret"});
  CHECK(rule_in(rules, "node-pinning") != nullptr);  // --enable wins over the file
  CHECK(rule_in(rules, "plaintext-secret") == nullptr);  // --disable wins over the file

  rules = gl::config::effective_rules(c, {"load-error"}, {"load-error"});
  CHECK(rule_in(rules, "load-error") == nullptr);  // --disable wins over --enable

  // Output stays in registry (id) order.
  for (size_t i = 1; i < rules.size(); ++i) CHECK(rules[i - 1].info->id < rules[i].info->id);
}

TEST_CASE("effective_rules: unknown ids are fatal with a suggestion", "[config]") {
  const gl::config::Config c;
  try {
    gl::config::effective_rules(c, {"node-pining"}, {});
    FAIL("no error");
  } catch (const gl::FatalError& e) {
    const std::string msg = e.what();
    CHECK(msg.find("unknown rule `node-pining`") != std::string::npos);
    CHECK(msg.find("did you mean `node-pinning`?") != std::string::npos);
  }
  CHECK_THROWS_AS(gl::config::effective_rules(c, {}, {"nope"}), gl::FatalError);
  CHECK_THROWS_WITH(gl::config::effective_rules(c, {}, {"Requests-Fit"}), Catch::Contains("unknown rule"));
}

TEST_CASE("helm value sets", "[config]") {
  const gl::SourceFile file(".gitops-lint.yaml", R"(helm:
  charts:
    charts/api:
      - name: dev
      - name: prod
        valueFiles: [envs/prod.yaml, envs/prod-secrets.yaml]
        set: ["replicaCount=3"]
        setString: ["image.tag=1.0"]
        releaseName: api
        namespace: shop
)");
  const auto c = gl::config::parse_config(file);
  REQUIRE(c.helm_charts.count("charts/api") == 1);
  const auto& sets = c.helm_charts.at("charts/api");
  REQUIRE(sets.size() == 2);
  CHECK(sets[0].name == "dev");
  CHECK(sets[0].value_files.empty());
  CHECK(sets[1].name == "prod");
  CHECK(sets[1].value_files == std::vector<std::string>{"envs/prod.yaml", "envs/prod-secrets.yaml"});
  CHECK(sets[1].set == std::vector<std::string>{"replicaCount=3"});
  CHECK(sets[1].set_string == std::vector<std::string>{"image.tag=1.0"});
  CHECK(sets[1].release_name == "api");
  CHECK(sets[1].ns == "shop");
  CHECK(config_error("helm:\n  charts:\n    c:\n      - valuesFiles: [x]\n") ==
        ".gitops-lint.yaml:4:9: unknown key `valuesFiles` in `helm.charts.<chart>[]` (did you mean `valueFiles`?)");
  CHECK(config_error("helm:\n  charts:\n    c:\n      - valueFiles: [x]\n") ==
        ".gitops-lint.yaml:4:9: a value set needs a `name` (the environment it deploys to)");
}
