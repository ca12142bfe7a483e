#pragma once
// Where Argo CD places an object in a sync: hook phase, sync wave, and the kind order inside a wave.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "k8s/object.h"
#include "yaml/node.h"

namespace gl::rules::support {

inline constexpr std::string_view kSyncWaveAnnotation = "argocd.argoproj.io/sync-wave";
inline constexpr std::string_view kArgoHookAnnotation = "argocd.argoproj.io/hook";
inline constexpr std::string_view kHelmHookAnnotation = "helm.sh/hook";
inline constexpr std::string_view kHelmHookWeightAnnotation = "helm.sh/hook-weight";

/// Sync phases in the order Argo CD runs them.
enum class SyncPhase { kPreSync = -1, kSync = 0, kPostSync = 1, kSyncFail = 2 };
std::string_view to_string(SyncPhase phase);

/// Phase first, then wave: the order in which Argo CD waits for objects to become healthy.
struct SyncSlot {
  SyncPhase phase = SyncPhase::kSync;
  int64_t wave = 0;
  friend bool operator==(const SyncSlot&, const SyncSlot&) = default;
  friend auto operator<=>(const SyncSlot&, const SyncSlot&) = default;
};

/// The value node of the object's sync-wave annotation, or null when it has none.
const yaml::Node* sync_wave_node(const k8s::Object& o);

/// The object's slot: hook phase (Argo CD hooks, else supported Helm hooks) and wave (the sync-wave
/// annotation, else the Helm hook weight, else 0). nullopt when Argo CD never applies it during a sync
/// (hook `Skip`, only `PostDelete`, or Helm hooks Argo CD does not run).
std::optional<SyncSlot> sync_slot(const k8s::Object& o);

/// Argo CD's apply order of kinds inside one wave (gitops-engine `kindOrder`): lower applies first;
/// kinds it does not list (custom resources, PriorityClass, ...) share the last place, 0.
int kind_order(std::string_view kind);

/// "wave 2", or "the PreSync phase (wave 2)" for hooks.
std::string describe(const SyncSlot& slot);

}  // namespace gl::rules::support
