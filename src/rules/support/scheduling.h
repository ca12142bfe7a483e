#pragma once
// Where a workload's pods can run, and what each pod asks for. Shared by node-pinning and requests-fit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "k8s/selector.h"
#include "yaml/node.h"

namespace gl::rules::support {

struct Candidates {
  std::vector<uint32_t> admitted;     ///< nodes the nodeSelector/affinity admit
  std::vector<uint32_t> schedulable;  ///< admitted, taints tolerated, not cordoned
};
Candidates candidate_nodes(const graph::Graph& g, uint32_t workload);
/// The same for one pod group's placement (operator resources may place each group differently).
Candidates candidate_nodes(const graph::Graph& g, const k8s::Placement& p);

/// How findings name a group of pods: "`ns/name`" for a built-in workload, "Kafka `ns/name`" for a custom
/// resource, with " (zookeeper pods)" when the resource has several groups.
std::string pods_name(const k8s::Object& o, const k8s::PodGroup& group, size_t groups);

/// One resource request of a pod, with the container line that contributes most.
struct Request {
  int64_t amount = 0;
  const yaml::Node* node = nullptr;  ///< the largest container request (or limit used as request)
  int64_t node_amount = 0;           ///< that container's share
};

struct PodRequests {
  std::optional<Request> cpu_milli;
  std::optional<Request> memory_bytes;
  /// Containers (not init) with neither a memory request nor a memory limit: their name nodes.
  std::vector<const yaml::Node*> missing_memory;
};

/// Effective pod requests as the scheduler computes them: containers summed (a request defaults to the
/// limit when only the limit is set), restartable init containers (sidecars) added, other init containers
/// as a max; the larger of the two.
PodRequests pod_requests(const yaml::Node* pod_spec);

/// "role=api" for a nodeSelector, else the node names ("ip-1, ip-2").
std::string describe_group(const graph::Graph& g, const k8s::Placement& p, const std::vector<uint32_t>& nodes);

}  // namespace gl::rules::support
