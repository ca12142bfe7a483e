#include "k8s/object.h"

#include <algorithm>
#include <charconv>
#include <array>

namespace gl::k8s {

std::string_view api_group(std::string_view api_version) {
  const size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
}

std::string_view Object::group() const { return api_group(api_version); }

const yaml::Node& Object::anchor() const {
  const auto* kind_node = root.get("kind");
  if (const auto* md = metadata()) {
    const auto* n = md->get("name");
    // A rendered object's name may have been set elsewhere (a Kustomize namePrefix): findings about the
    // whole object point at where it is defined, the file its `kind` comes from.
    if (n != nullptr && (kind_node == nullptr || n->file == kind_node->file)) return *n;
    if (kind_node != nullptr && n != nullptr) return *kind_node;
    if (n != nullptr) return *n;
    return *md;
  }
  return root;
}

std::optional<std::string_view> Object::annotation(std::string_view key) const {
  auto it = annotations.find(key);
  if (it == annotations.end()) return std::nullopt;
  return std::string_view(it->second);
}

Labels read_string_map(const yaml::Node* node) {
  Labels out;
  if (node == nullptr || !node->is_map()) return out;
  for (size_t i = 0; i < node->keys().size(); ++i) {
    if (!node->keys()[i].is_scalar()) continue;
    out[std::string(node->keys()[i].value())] = std::string(node->items()[i].str());
  }
  return out;
}

bool is_cluster_scoped(std::string_view kind) {
  static constexpr std::array<std::string_view, 26> kKinds = {
      "APIService", "CertificateSigningRequest", "ClusterIssuer", "ClusterRole", "ClusterRoleBinding",
      "ComponentStatus", "CSIDriver", "CSINode", "CustomResourceDefinition", "FlowSchema", "IngressClass",
      "MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume", "PodSecurityPolicy",
      "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass", "StorageClass", "ValidatingAdmissionPolicy",
      "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration", "VolumeAttachment",
      "ClusterSecretStore", "ClusterPolicy"};
  return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end();
}

std::optional<Object> make_object(yaml::Document doc) {
  if (!doc.root.is_map()) return std::nullopt;
  const auto* api = doc.root.get("apiVersion");
  const auto* kind = doc.root.get("kind");
  if (api == nullptr || kind == nullptr || !api->is_scalar() || !kind->is_scalar()) return std::nullopt;
  Object o;
  o.api_version = api->value();
  o.kind = kind->value();
  o.file = doc.file;
  o.doc_index = doc.index;
  o.root = doc.root;
  o.storage = std::move(doc.storage);
  if (const auto* md = o.root.get("metadata")) {
    if (const auto* n = md->get("name"); n != nullptr && n->is_scalar()) o.name = n->value();
    if (o.name.empty()) {
      if (const auto* g = md->get("generateName"); g != nullptr && g->is_scalar()) o.name = g->value();
    }
    if (const auto* ns = md->get("namespace"); ns != nullptr && ns->is_scalar() && !ns->value().empty()) {
      o.name_space = ns->value();
      o.namespace_explicit = true;
    }
    o.labels = read_string_map(md->get("labels"));
    o.annotations = read_string_map(md->get("annotations"));
  }
  if (is_cluster_scoped(o.kind)) {
    o.name_space.clear();
    o.namespace_explicit = false;
  } else if (o.name_space.empty()) {
    o.name_space = "default";
  }
  return o;
}

WorkloadKind workload_kind(const Object& o) {
  if (o.operator_pods != nullptr) return WorkloadKind::kOperator;
  const std::string_view g = o.group();
  const std::string& k = o.kind;
  if (g.empty()) {
    if (k == "Pod") return WorkloadKind::kPod;
    if (k == "ReplicationController") return WorkloadKind::kReplicationController;
    return WorkloadKind::kNone;
  }
  if (g == "apps" || g == "extensions") {
    if (k == "Deployment") return WorkloadKind::kDeployment;
    if (k == "StatefulSet") return WorkloadKind::kStatefulSet;
    if (k == "DaemonSet") return WorkloadKind::kDaemonSet;
    if (k == "ReplicaSet") return WorkloadKind::kReplicaSet;
  }
  if (g == "batch") {
    if (k == "Job") return WorkloadKind::kJob;
    if (k == "CronJob") return WorkloadKind::kCronJob;
  }
  return WorkloadKind::kNone;
}

const yaml::Node* pod_spec(const Object& o) {
  switch (workload_kind(o)) {
    case WorkloadKind::kNone: return nullptr;
    case WorkloadKind::kPod: return o.root.get("spec");
    case WorkloadKind::kOperator:
      return o.operator_pods->groups.empty() ? nullptr : o.operator_pods->groups.front().spec;
    case WorkloadKind::kCronJob: return o.root.at({"spec", "jobTemplate", "spec", "template", "spec"});
    default: return o.root.at({"spec", "template", "spec"});
  }
}

Labels pod_labels(const Object& o) {
  switch (workload_kind(o)) {
    case WorkloadKind::kNone: return {};
    case WorkloadKind::kPod: return o.labels;
    case WorkloadKind::kOperator:
      return o.operator_pods->groups.empty() ? Labels{} : o.operator_pods->groups.front().labels;
    case WorkloadKind::kCronJob:
      return read_string_map(o.root.at({"spec", "jobTemplate", "spec", "template", "metadata", "labels"}));
    default: return read_string_map(o.root.at({"spec", "template", "metadata", "labels"}));
  }
}

int64_t replicas(const Object& o) {
  switch (workload_kind(o)) {
    case WorkloadKind::kDeployment:
    case WorkloadKind::kStatefulSet:
    case WorkloadKind::kReplicaSet:
    case WorkloadKind::kReplicationController: {
      const auto* r = o.root.at({"spec", "replicas"});
      if (r == nullptr) return 1;
      return r->as_int().value_or(1);
    }
    case WorkloadKind::kJob: {
      const auto* p = o.root.at({"spec", "parallelism"});
      return p == nullptr ? 1 : p->as_int().value_or(1);
    }
    case WorkloadKind::kCronJob: {
      const auto* p = o.root.at({"spec", "jobTemplate", "spec", "parallelism"});
      return p == nullptr ? 1 : p->as_int().value_or(1);
    }
    case WorkloadKind::kOperator:
      return o.operator_pods->groups.empty() ? 1 : o.operator_pods->groups.front().replicas;
    case WorkloadKind::kNone:
    case WorkloadKind::kPod:
    case WorkloadKind::kDaemonSet:
      return 1;
  }
  return 1;
}

std::vector<PodGroup> pod_groups(const Object& o) {
  const WorkloadKind kind = workload_kind(o);
  if (kind == WorkloadKind::kNone) return {};
  if (kind == WorkloadKind::kOperator) return o.operator_pods->groups;
  return {PodGroup{"", pod_spec(o), replicas(o), pod_labels(o)}};
}

std::optional<int64_t> parse_sync_wave(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) digits.remove_prefix(1);
  if (digits.empty()) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  // from_chars takes '-' but not '+'; parse the unsigned digits with the sign applied by hand.
  const bool negative = text.front() == '-';
  uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(INT64_MAX);
  if (negative) {
    if (magnitude > kMaxPositive + 1) return std::nullopt;
    return magnitude == kMaxPositive + 1 ? INT64_MIN : -static_cast<int64_t>(magnitude);
  }
  if (magnitude > kMaxPositive) return std::nullopt;
  return static_cast<int64_t>(magnitude);
}

}  // namespace gl::k8s
