#include "rules/support/sync_wave.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <fmt/format.h>
#include <vector>

#include "core/strings.h"

namespace gl::rules::support {
namespace {

/// gitops-engine `sync/sync_tasks.go` kindOrder (itself taken from Helm's install order).
constexpr std::array<std::string_view, 34> kKindOrder = {
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "Ingress",
    "APIService",
};

const yaml::Node* annotation_node(const k8s::Object& o, std::string_view key) {
  const yaml::Node* annotations = o.root.at({"metadata", "annotations"});
  if (annotations == nullptr || !annotations->is_map()) return nullptr;
  return annotations->get(key);
}

std::vector<std::string_view> csv(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::string_view part : split(text, ',')) {
    part = trim(part);
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

/// The types of an Argo CD hook annotation: phases run during a sync, whether any type is known
/// (then Helm hooks are ignored), and whether `Skip` is among them.
struct HookTypes {
  std::vector<SyncPhase> phases;
  bool recognised = false;
  bool skip = false;
};

HookTypes argo_hook_types(std::string_view text) {
  HookTypes out;
  for (std::string_view t : csv(text)) {
    if (t == "PreSync") {
      out.phases.push_back(SyncPhase::kPreSync);
    } else if (t == "Sync") {
      out.phases.push_back(SyncPhase::kSync);
    } else if (t == "PostSync") {
      out.phases.push_back(SyncPhase::kPostSync);
    } else if (t == "SyncFail") {
      out.phases.push_back(SyncPhase::kSyncFail);
    } else if (t == "Skip") {
      out.skip = true;
    } else if (t != "PostDelete") {
      continue;  // unknown types are ignored, as Argo CD does
    }
    out.recognised = true;
  }
  return out;
}

std::vector<SyncPhase> helm_hook_phases(std::string_view text) {
  std::vector<SyncPhase> out;
  for (std::string_view t : csv(text)) {
    if (t == "pre-install" || t == "pre-upgrade") out.push_back(SyncPhase::kPreSync);
    if (t == "post-install" || t == "post-upgrade") out.push_back(SyncPhase::kPostSync);
  }
  return out;
}

}  // namespace

std::string_view to_string(SyncPhase phase) {
  switch (phase) {
    case SyncPhase::kPreSync: return "PreSync";
    case SyncPhase::kSync: return "Sync";
    case SyncPhase::kPostSync: return "PostSync";
    case SyncPhase::kSyncFail: return "SyncFail";
  }
  return "Sync";
}

const yaml::Node* sync_wave_node(const k8s::Object& o) { return annotation_node(o, kSyncWaveAnnotation); }

std::optional<SyncSlot> sync_slot(const k8s::Object& o) {
  SyncSlot slot;
  std::vector<SyncPhase> phases;
  bool hook = false;
  bool argo_types = false;
  if (auto text = o.annotation(kArgoHookAnnotation)) {
    const HookTypes types = argo_hook_types(*text);
    if (types.skip) return std::nullopt;
    hook = true;
    argo_types = types.recognised;
    phases = types.phases;
  }
  // Argo CD reads Helm hooks only when no Argo CD hook type is recognised.
  if (!argo_types) {
    if (auto text = o.annotation(kHelmHookAnnotation); text && trim(*text) != "crd-install") {
      hook = true;
      phases = helm_hook_phases(*text);
    }
  }
  if (hook) {
    if (phases.empty()) return std::nullopt;
    slot.phase = *std::min_element(phases.begin(), phases.end());
  }
  if (auto text = o.annotation(kSyncWaveAnnotation)) {
    if (auto wave = k8s::parse_sync_wave(*text)) {
      slot.wave = *wave;
      return slot;
    }
  }
  if (argo_types) return slot;
  if (auto text = o.annotation(kHelmHookWeightAnnotation)) slot.wave = k8s::parse_sync_wave(*text).value_or(0);
  return slot;
}

int kind_order(std::string_view kind) {
  for (size_t i = 0; i < kKindOrder.size(); ++i) {
    if (kKindOrder[i] == kind) return static_cast<int>(i) - static_cast<int>(kKindOrder.size());
  }
  return 0;
}

std::string describe(const SyncSlot& slot) {
  if (slot.phase == SyncPhase::kSync) return fmt::format("wave {}", slot.wave);
  return fmt::format("the {} phase (wave {})", to_string(slot.phase), slot.wave);
}

}  // namespace gl::rules::support
