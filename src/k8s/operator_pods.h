#pragma once
// Pods made by operators: custom resources (RabbitmqCluster, CloudNativePG Cluster, Kafka, ...) whose replicas,
// resources and placement are read from a table of field paths (rules/operator-pods.yaml, extended from the
// config's `operators:`), so scheduling rules judge them like Deployments.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.h"
#include "k8s/object.h"
#include "yaml/node.h"

namespace gl::k8s {

/// A dotted field path; a key written `name[]` stands for every item of that list (`spec.nodeSets[].count`).
struct FieldPath {
  struct Step {
    std::string key;
    bool each = false;  ///< `key[]`: the path continues inside each item of the list
  };
  std::vector<Step> steps;
  std::string text;  ///< as written

  /// Parses `a.b[].c`; nullopt when a key is empty or more than one `[]` is used.
  static std::optional<FieldPath> parse(std::string_view text);
  /// The path up to and including its `[]` step ("spec.nodeSets[]"), "" when it has none.
  std::string list_prefix() const;
};

/// Paths tried in order: the first present wins.
using FieldPaths = std::vector<FieldPath>;

/// One container of a synthetic pod: its name and where its resources are.
struct OperatorContainer {
  std::string name;
  FieldPaths resources;
  FieldPaths requires_;  ///< the container exists only when one of these is present (none: always)
};

/// Requests and limits the operator sets when the resource has no resources block (section -> resource -> quantity).
using ResourceDefaults = std::map<std::string, std::map<std::string, std::string>>;

/// One group of identical pods the operator creates from a resource.
struct OperatorPodGroupSpec {
  std::string name;
  FieldPath name_from;   ///< for groups repeated per list item: the item's name (e.g. spec.nodeSets[].name)
  FieldPaths requires_;  ///< the group exists only when one of these is present (none: always)
  FieldPaths replicas;
  int64_t default_replicas = 1;
  FieldPaths replicas_times;  ///< a multiplier (Prometheus shards); 1 when absent
  FieldPaths pod_spec;        ///< a real PodSpec (ECK podTemplate.spec)
  std::vector<OperatorContainer> containers;
  ResourceDefaults default_resources;
  std::string main_container;  ///< the container defaults apply to when pod_spec is used
  FieldPaths node_selector;
  FieldPaths affinity;       ///< a core Affinity
  FieldPaths node_affinity;  ///< a core NodeAffinity (CloudNativePG's spec.affinity.nodeAffinity)
  FieldPaths tolerations;
  Labels labels;           ///< values may use `{name}` (the resource's name) and `{group}` (the group's name)
  FieldPaths labels_from;  ///< label maps merged first (podMetadata.labels, metadata.labels); `labels` win
  std::string each;        ///< the list its `[]` paths walk ("spec.nodeSets[]"): one group per item; "" for one group
};

/// The pod groups of one custom resource kind.
struct OperatorKind {
  std::string api_group;
  std::string kind;
  std::vector<OperatorPodGroupSpec> groups;
};

/// A malformed table entry: where, and what is wrong.
struct OperatorTableError {
  Span at;
  std::string message;
};

/// Reads a list of operator kinds (the shape of rules/operator-pods.yaml's `operators:` and of the config's
/// `operators:`), appending to `out`; the first problem found is returned.
std::optional<OperatorTableError> parse_operator_kinds(const yaml::Node& list, std::vector<OperatorKind>& out);

/// Custom resource kinds an operator turns into pods, by (apiGroup, kind).
class OperatorPodTable {
 public:
  /// The table embedded in the binary (rules/operator-pods.yaml); throws FatalError when it is malformed.
  static const OperatorPodTable& builtin();
  /// Parses a table file (`operators:` list); throws FatalError naming file:line on a malformed entry.
  static OperatorPodTable parse(std::string_view yaml_text, std::string_view name);
  /// Adds kinds, replacing those with the same (apiGroup, kind) (from the config).
  void add(const std::vector<OperatorKind>& kinds);
  const OperatorKind* find(std::string_view api_group, std::string_view kind) const;
  size_t size() const { return kinds_.size(); }

 private:
  std::vector<OperatorKind> kinds_;
};

/// The pod groups the operator creates for `o`, read through the table; null when its kind is not in the table
/// or no group applies.
std::shared_ptr<const OperatorPods> read_operator_pods(const Object& o, const OperatorPodTable& table);

/// Sets `operator_pods` on every object whose kind is in the table.
void attach_operator_pods(std::vector<Object>& objects, const OperatorPodTable& table);

}  // namespace gl::k8s
