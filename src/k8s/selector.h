#pragma once
// Label selectors, node selectors and affinity terms, taints and tolerations.
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "k8s/object.h"
#include "yaml/node.h"

namespace gl::k8s {

struct Requirement {
  std::string key;
  std::string op;  ///< In, NotIn, Exists, DoesNotExist, Gt, Lt (node affinity); "=" for matchLabels
  std::vector<std::string> values;
  bool matches(const Labels& labels) const;
};

/// metav1.LabelSelector. An empty selector matches everything; a null one (absent) matches nothing.
struct LabelSelector {
  std::vector<Requirement> reqs;
  bool matches(const Labels& labels) const;
  bool empty() const { return reqs.empty(); }
  std::string display() const;
};

/// Parses {matchLabels, matchExpressions}; nullopt when the node is absent or not a mapping.
std::optional<LabelSelector> parse_label_selector(const yaml::Node* node);
/// Parses the string form ("app=web,tier in (a,b),!legacy,env!=dev"), as kubectl -l and Kustomize targets
/// take it; nullopt with `error` set when malformed.
std::optional<LabelSelector> parse_selector_string(std::string_view text, std::string* error);
/// Parses a plain map selector (Service spec.selector, nodeSelector).
LabelSelector selector_from_map(const Labels& m);

/// One nodeSelectorTerm: its expressions and `metadata.name` field requirements are ANDed.
struct NodeSelectorTerm {
  std::vector<Requirement> exprs;
  std::vector<Requirement> fields;  ///< matchFields on metadata.name
  bool matches(const std::string& node_name, const Labels& labels) const;
};

struct Toleration {
  std::string key;  ///< empty with operator Exists tolerates everything
  std::string op = "Equal";
  std::string value;
  std::string effect;  ///< empty = all effects
};

struct Taint {
  std::string key;
  std::string value;
  std::string effect;  ///< NoSchedule, PreferNoSchedule, NoExecute
  bool tolerated_by(const std::vector<Toleration>& tolerations) const;
  std::string display() const;
};

/// What a pod spec says about where it may run.
struct Placement {
  Labels node_selector;
  std::vector<NodeSelectorTerm> required_terms;  ///< ORed; empty = no required node affinity
  std::vector<Toleration> tolerations;
  std::string node_name;  ///< spec.nodeName
  const yaml::Node* node_selector_node = nullptr;
  const yaml::Node* affinity_node = nullptr;  ///< requiredDuringSchedulingIgnoredDuringExecution
  bool pinned() const { return !node_selector.empty() || !required_terms.empty() || !node_name.empty(); }
  bool admits(const std::string& node_name, const Labels& labels) const;
};

Placement read_placement(const yaml::Node* pod_spec);
std::vector<Taint> parse_taints(const yaml::Node* node);

}  // namespace gl::k8s
