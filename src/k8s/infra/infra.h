#pragma once
// The node inventory read from infrastructure code: Terraform (aws_instance, local modules, aws_eks_node_group),
// Ansible (kubectl label/taint tasks, kubernetes.core.k8s Node patches, inventories), kubeadm, eksctl and Karpenter.
// Pure: files are read through a callback; every label, taint and instance type keeps the line that set it.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/source.h"
#include "k8s/object.h"
#include "k8s/selector.h"

namespace gl::k8s::infra {

/// Loads a repository file by repository-relative path (nullptr when missing/unreadable). Thread-safe.
using FileLoader = std::function<const SourceFile*(const std::string& path)>;

enum class FactKind : uint8_t {
  kName,          ///< the node (or node group) is declared here
  kInstanceType,  ///< key = the instance type
  kLabel,         ///< key = label key, value = label value
  kLabelRemoved,  ///< key = label key (`kubectl label node x key-`)
  kTaint,         ///< key, value, effect
  kTaintRemoved,  ///< key, effect ("" = every effect)
  kCount,         ///< value = number of nodes in the group
};

/// One fact about a node and the line that states it.
struct Fact {
  FactKind kind = FactKind::kName;
  std::string key;
  std::string value;
  std::string effect;
  std::string what;  ///< "label role=api", "taint dedicated=api:NoSchedule", "instance type t3.small", "node name"
  Span at;
};

struct InfraNode {
  std::string name;           ///< node name (Terraform Name tag, Ansible inventory host, ...); a group name for groups
  std::string instance_type;  ///< "" when unknown; for groups of several sizes, the largest the catalog knows
  std::vector<std::string> instance_types;  ///< every size a group may use (Karpenter, EKS instance_types)
  Labels labels;
  std::vector<Taint> taints;
  int64_t count = 1;          ///< >1 for node groups (EKS desired size, eksctl desiredCapacity)
  bool autoscaled = false;    ///< a group whose size is decided at run time (Karpenter NodePool, no desired size)
  std::vector<Fact> sources;  ///< every fact kept (the one that won for each label/taint/type), with its file:line
  std::string group;          ///< e.g. "terraform module.api_auth", "karpenter NodePool default"
  bool is_group() const { return count != 1 || autoscaled; }
  /// The fact that set a label (or removed it), null when none.
  const Fact* label_fact(std::string_view key) const;
  /// The fact that set the instance type, null when none.
  const Fact* instance_type_fact() const;
  /// The first place the node is declared (its name fact), else its first fact.
  Span origin() const;
};

/// Something the readers skipped or could not decide (unknown constructs, conflicts, unresolved names).
struct Note {
  Span at;
  std::string message;  ///< lowercase, names in backticks
};

struct InfraInventory {
  std::vector<InfraNode> nodes;  ///< sorted by name
  std::vector<Note> notes;       ///< in file order, no duplicates
};

/// Reads every Terraform (*.tf, *.tfvars), Ansible (playbooks, task files, group_vars, INI/YAML inventories named
/// `hosts*`/`inventory*`), kubeadm/eksctl/Karpenter YAML among `paths` (repository-relative, sorted), following local
/// Terraform modules, templatefile() templates and Ansible imports through `load`. Facts about the same node name are
/// merged: labels and taints from later sources win (declarations, then inventories, then Ansible tasks in file and
/// task order); the instance type from Terraform/eksctl/Karpenter wins over inventory variables; conflicts are notes.
InfraInventory read_infrastructure(const std::vector<std::string>& paths, const FileLoader& load);

}  // namespace gl::k8s::infra
