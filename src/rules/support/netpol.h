#pragma once
// A small NetworkPolicy evaluator: which policies isolate a pod's egress, and whether they admit a destination pod
// port. Follows the networking.k8s.io/v1 semantics: policies are additive, `to`/`ports` absent or empty admit all.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.h"
#include "k8s/object.h"
#include "k8s/selector.h"
#include "yaml/node.h"

namespace gl::rules::support {

/// The label every namespace carries implicitly (Kubernetes 1.21+).
inline constexpr std::string_view kNamespaceNameLabel = "kubernetes.io/metadata.name";

/// One `to` peer of an egress rule. A peer with neither selector nor ipBlock matches nothing (the API rejects it).
struct NetpolPeer {
  std::optional<k8s::LabelSelector> pod_selector;
  std::optional<k8s::LabelSelector> namespace_selector;
  bool ip_block = false;
  const yaml::Node* node = nullptr;
};

/// One `ports` entry: a number (with optional endPort), a container port name, or neither (every port).
struct NetpolPort {
  std::string protocol = "TCP";
  std::optional<int> number;
  std::optional<int> end_port;
  std::string name;
  const yaml::Node* node = nullptr;
};

struct EgressRule {
  std::vector<NetpolPeer> to;     ///< empty: every destination
  std::vector<NetpolPort> ports;  ///< empty: every port
  const yaml::Node* node = nullptr;
};

struct NetworkPolicy {
  const k8s::Object* object = nullptr;
  k8s::LabelSelector pod_selector;  ///< spec.podSelector (absent: every pod of the namespace)
  bool isolates_egress = false;     ///< `Egress` in policyTypes, or policyTypes absent and `egress` non-empty
  std::vector<EgressRule> egress;
  const yaml::Node* egress_anchor = nullptr;  ///< the `Egress` policyTypes item, else the `egress` key
  bool has_ip_block = false;                  ///< some egress peer is an ipBlock
};

/// Reads a NetworkPolicy object (never fails: odd fields are read as Kubernetes would default them).
NetworkPolicy parse_network_policy(const k8s::Object& o);

/// A port on the destination pod. Unknown parts are given the benefit of the doubt when matched.
struct PodPort {
  std::optional<int> number;        ///< nullopt: a named targetPort whose pods are not in the repository
  std::optional<std::string> name;  ///< the containerPort name ("" unnamed); nullopt: the pods are unknown
  std::string protocol = "TCP";
  std::string display() const;  ///< "5432/TCP", "5432/TCP (`postgres`)", "`postgres`/TCP"
};

/// A destination pod (set) with one of its ports.
struct Destination {
  std::string name_space;
  k8s::Labels pod_labels;
  k8s::Labels namespace_labels;
  PodPort port;
};

/// Whether an egress peer of a policy living in `policy_ns` matches the destination pods.
bool peer_matches(const NetpolPeer& peer, std::string_view policy_ns, const Destination& dst);
/// Whether a policy port entry matches a destination pod port.
bool port_matches(const NetpolPort& p, const PodPort& port);

struct Verdict {
  bool allowed = false;
  bool peer_allowed = false;              ///< some rule's `to` matches the pods (whatever its ports)
  bool via_ip_block = false;              ///< allowed only through an ipBlock peer
  const NetworkPolicy* policy = nullptr;  ///< the policy that admits (first one), when allowed
};

/// Egress from pods selected by `policies` (all in the source namespace) to `dst`: the union of their rules.
Verdict evaluate_egress(const std::vector<const NetworkPolicy*>& policies, const Destination& dst);

/// Every NetworkPolicy of the graph, parsed once, plus namespace labels.
class NetpolIndex {
 public:
  explicit NetpolIndex(const graph::Graph& g);
  /// Egress-isolating policies that select the pods of the graph's object `workload` (same namespace,
  /// podSelector matches its pod labels).
  std::vector<const NetworkPolicy*> egress_policies_for(uint32_t workload) const;
  /// Labels of a namespace: its Namespace objects' labels plus `kubernetes.io/metadata.name`.
  k8s::Labels namespace_labels(std::string_view ns) const;
  const std::vector<NetworkPolicy>& policies() const { return policies_; }

 private:
  const graph::Graph& g_;
  std::vector<NetworkPolicy> policies_;
  std::map<std::string, std::vector<size_t>, std::less<>> egress_by_namespace_;  ///< indices into policies_
  std::map<std::string, k8s::Labels, std::less<>> namespace_labels_;
};

/// One pod set behind a Service port.
struct ServiceTarget {
  const k8s::Object* workload = nullptr;  ///< null when the Service's pods are not in the repository
  int service_port = 0;
  const yaml::Node* target_port = nullptr;  ///< the Service's targetPort node, when written
  Destination dst;
};

/// The pods and pod ports behind a Service: for the Service port `port` (every port when nullopt), each workload
/// the Service selects with its targetPort resolved (a named one via containerPorts). With no workload in the
/// repository, the Service selector stands in for the pod labels. Empty when the Service has no selector or no
/// such port.
std::vector<ServiceTarget> service_targets(const graph::Graph& g, const NetpolIndex& index, uint32_t service,
                                           std::optional<int> port);

/// The cluster DNS pods (`kube-system` pods `k8s-app=kube-dns`) on UDP and TCP port 53.
std::vector<Destination> dns_destinations(const NetpolIndex& index);

}  // namespace gl::rules::support
