#pragma once
// `.gitops-lint.yaml` + CLI overrides -> enabled rules, severities, options, excludes, inventory, limits.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/severity.h"
#include "core/source.h"
#include "graph/graph.h"
#include "k8s/inventory.h"
#include "k8s/operator_pods.h"
#include "rules/rule.h"
#include "yaml/parser.h"

namespace gl::config {

inline constexpr const char* kConfigFileName = ".gitops-lint.yaml";
inline constexpr uint64_t kDefaultMaxFileBytes = 5ULL * 1024 * 1024;

struct RuleConfig {
  std::optional<bool> enabled;
  std::optional<Severity> severity;
  std::map<std::string, std::vector<std::string>> options;
};

/// One way a chart is deployed (an environment): its values, as `helm template` flags would give them.
struct HelmValueSet {
  std::string name;                      ///< the environment name (objects are checked per environment)
  std::vector<std::string> value_files;  ///< repository-relative
  std::vector<std::string> set;
  std::vector<std::string> set_string;
  std::string release_name;
  std::string ns;
};

/// A cluster Argo CD knows (a cluster secret), for ApplicationSet cluster generators.
struct ArgoCluster {
  std::string name;
  std::string server;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  Span at;
};

/// `argocd:`: how Argo CD Applications are read.
struct ArgoConfig {
  std::vector<std::string> repositories;  ///< other URLs of this repository (renamed repos, mirrors)
  std::vector<std::string> external;      ///< URLs never rendered from this tree
  bool strict_repos = false;              ///< unknown Git URLs are external even when their paths exist here
  std::vector<ArgoCluster> clusters;      ///< default: the in-cluster destination only
  std::string kube_version = "v1.29.0";   ///< .Capabilities.KubeVersion for Helm sources
  /// Check manifests no Application deploys (listed in a run note); `undeployed: skip` leaves them out.
  bool check_undeployed = true;
};

/// `drift.ignoreDifferences[]`: differences `drift` leaves out for every application (Argo CD's shape).
struct DriftIgnore {
  std::string group;
  std::string kind;
  std::string name;
  std::string name_space;
  std::vector<std::string> json_pointers;
  std::vector<std::string> jq_path_expressions;
  std::vector<std::string> managed_fields_managers;
  Span at;
};

/// `drift:`: how the live cluster is compared.
struct DriftConfig {
  std::vector<DriftIgnore> ignore_differences;
  /// Kinds ("apps/Deployment", "ConfigMap") listed from the cluster to find extra objects, besides those in Git.
  std::vector<std::string> extra_kinds;
};

struct Config {
  const SourceFile* file = nullptr;  ///< the config file, when one was read
  std::string base_dir;              ///< repository-relative directory of the config file; `exclude` is relative to it
  std::vector<std::string> exclude;  ///< globs
  uint64_t max_file_bytes = kDefaultMaxFileBytes;
  yaml::ParseLimits limits;
  std::vector<k8s::NodeGroupSpec> node_groups;
  k8s::SystemReserve reserve;
  std::vector<k8s::InstanceType> extra_instance_types;
  /// `operators:` custom resource kinds whose pods are read from field paths (added to rules/operator-pods.yaml).
  std::vector<k8s::OperatorKind> operators;
  graph::GraphOptions graph = graph::GraphOptions::defaults();
  std::map<std::string, RuleConfig> rules;
  /// helm.charts: chart directory (repository-relative) -> the value sets it is rendered with. A chart not
  /// listed is rendered once with its default values.
  std::map<std::string, std::vector<HelmValueSet>> helm_charts;
  ArgoConfig argocd;
  DriftConfig drift;
};

/// Parses a config file. Unknown keys, unknown rule ids and bad values throw FatalError naming
/// file:line and, where one is close, "did you mean `x`?".
Config parse_config(const SourceFile& file);

/// A rule as it will run: enabled, severity, options with defaults applied.
struct EffectiveRule {
  const rules::RuleInfo* info = nullptr;
  Severity severity = Severity::kError;
  rules::RuleOptions options;
};

/// Applies config and --enable/--disable (which win over the file). Unknown ids throw FatalError.
std::vector<EffectiveRule> effective_rules(const Config& config, const std::vector<std::string>& enable,
                                           const std::vector<std::string>& disable);

}  // namespace gl::config
