#pragma once
// The node inventory: which nodes exist, their labels, taints and allocatable CPU/memory.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.h"
#include "k8s/infra/infra.h"
#include "k8s/object.h"
#include "k8s/selector.h"

namespace gl::k8s {

struct InstanceType {
  std::string name;
  int64_t cpu_milli = 0;
  int64_t memory_bytes = 0;
};

/// AWS instance types (vCPU, memory as AWS publishes them), from rules/instance-types.yaml.
class InstanceCatalog {
 public:
  /// Parses the catalog YAML; throws FatalError on a malformed catalog (it ships with the binary).
  static InstanceCatalog parse(std::string_view yaml_text);
  /// The catalog embedded in the binary.
  static const InstanceCatalog& builtin();
  const InstanceType* find(std::string_view name) const;
  /// Adds or replaces types (from `inventory.instanceTypes` in the config).
  void add(const std::vector<InstanceType>& types);
  size_t size() const { return types_.size(); }

 private:
  std::vector<InstanceType> types_;  // sorted by name
};

/// Capacity held back for the OS, kubelet and eviction threshold on every node without status.allocatable.
struct SystemReserve {
  int64_t cpu_milli = 100;
  int64_t memory_bytes = 256LL * 1024 * 1024;
};

/// A node group declared in `.gitops-lint.yaml` (`inventory.nodeGroups`).
struct NodeGroupSpec {
  std::string name;
  int64_t count = 1;
  Labels labels;
  std::vector<Taint> taints;
  std::string instance_type;
  Span origin;
};

struct NodeInfo {
  std::string name;
  std::string group;  ///< node group name (config) or "" for Node objects
  Labels labels;
  std::vector<Taint> taints;
  std::string instance_type;
  bool unschedulable = false;
  std::optional<int64_t> cpu_milli;     ///< allocatable
  std::optional<int64_t> memory_bytes;  ///< allocatable
  std::string capacity_source;          ///< "status.allocatable" or "t3.micro (2 vCPU, 1Gi) minus reserve"
  Span origin;                          ///< where the node is declared (for infrastructure code: its instance type)
  /// Nodes read from infrastructure code: where each label and the instance type were set, and every fact.
  std::map<std::string, Span, std::less<>> label_origins;
  Span instance_type_origin;
  std::vector<infra::Fact> facts;
};

struct Inventory {
  std::vector<NodeInfo> nodes;
  std::vector<std::string> notes;  ///< e.g. unknown instance types
  bool empty() const { return nodes.empty(); }
};

/// Builds the inventory from `kind: Node` objects, configured node groups and nodes read from infrastructure
/// code (Terraform, Ansible, ...). Node objects and configured groups win over infrastructure code for a name.
Inventory build_inventory(const std::vector<const Object*>& node_objects, const std::vector<NodeGroupSpec>& groups,
                          const InstanceCatalog& catalog, const SystemReserve& reserve,
                          const std::vector<infra::InfraNode>& infra_nodes = {});

}  // namespace gl::k8s
