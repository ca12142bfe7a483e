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

struct Config {
  const SourceFile* file = nullptr;  ///< the config file, when one was read
  std::string base_dir;              ///< repository-relative directory of the config file; `exclude` is relative to it
  std::vector<std::string> exclude;  ///< globs
  uint64_t max_file_bytes = kDefaultMaxFileBytes;
  yaml::ParseLimits limits;
  std::vector<k8s::NodeGroupSpec> node_groups;
  k8s::SystemReserve reserve;
  std::vector<k8s::InstanceType> extra_instance_types;
  graph::GraphOptions graph = graph::GraphOptions::defaults();
  std::map<std::string, RuleConfig> rules;
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
