#include "render/kustomize/fieldspec.h"

#include <string>
#include <vector>

#include "render/kustomize/resource.h"

namespace gl::render::kustomize {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) out.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

struct Walker {
  const MNode& leaf;
  Span at;
  bool create;
  const std::function<void(MNode&)>& visit;

  void walk(MNode& node, std::span<const std::string_view> path) {
    if (path.empty()) {
      visit(node);
      return;
    }
    if (node.is_null()) return;
    if (node.is_seq()) {
      for (auto& item : node.items) walk(item, path);
      return;
    }
    if (!node.is_map()) return;
    std::string_view field = path.front();
    const bool is_list = field.ends_with("[]");
    if (is_list) field.remove_suffix(2);
    MNode* next = node.get(field);
    if (next == nullptr) {
      if (!create || is_list) return;
      next = &node.set(field, path.size() == 1 ? leaf : MNode::map(at), at);
    } else if (next->is_null() && create && !is_list) {
      const Span keep = next->span;
      *next = path.size() == 1 ? leaf : MNode::map(at);
      if (keep.valid()) next->span = keep;
    }
    walk(*next, path.subspan(1));
  }
};

constexpr std::string_view kApps = "apps";
constexpr std::string_view kBatch = "batch";

// Metadata labels, pod-template labels, volume claim template labels: the pieces kustomize's tables share.
#define GL_METADATA_LABEL_SPECS                                                                  \
  FieldSpec{"metadata/labels", "", "", "", true},                                                \
      FieldSpec{"spec/template/metadata/labels", "ReplicationController", "", "v1", true},       \
      FieldSpec{"spec/template/metadata/labels", "Deployment", "", "", true},                    \
      FieldSpec{"spec/template/metadata/labels", "ReplicaSet", "", "", true},                    \
      FieldSpec{"spec/template/metadata/labels", "DaemonSet", "", "", true},                     \
      FieldSpec{"spec/template/metadata/labels", "StatefulSet", kApps, "", true},                \
      FieldSpec{"spec/template/metadata/labels", "Job", kBatch, "", true},                       \
      FieldSpec{"spec/jobTemplate/metadata/labels", "CronJob", kBatch, "", true},                \
      FieldSpec{"spec/jobTemplate/spec/template/metadata/labels", "CronJob", kBatch, "", true}

#define GL_VCT_LABEL_SPECS FieldSpec{"spec/volumeClaimTemplates[]/metadata/labels", "StatefulSet", kApps, "", true}

constexpr std::string_view kAffinity[] = {
    "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/"
    "labelSelector/matchLabels",
    "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/"
    "matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/"
    "labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/"
    "matchLabels",
    "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
};

const FieldSpec kCommonLabels[] = {
    {"spec/selector", "Service", "", "v1", true},
    {"spec/selector", "ReplicationController", "", "v1", true},
    {"spec/selector/matchLabels", "Deployment", "", "", true},
    {kAffinity[0], "Deployment", kApps, "", false},
    {kAffinity[1], "Deployment", kApps, "", false},
    {kAffinity[2], "Deployment", kApps, "", false},
    {kAffinity[3], "Deployment", kApps, "", false},
    {kAffinity[4], "Deployment", kApps, "", false},
    {"spec/selector/matchLabels", "ReplicaSet", "", "", true},
    {"spec/selector/matchLabels", "DaemonSet", "", "", true},
    {"spec/selector/matchLabels", "StatefulSet", kApps, "", true},
    {kAffinity[0], "StatefulSet", kApps, "", false},
    {kAffinity[1], "StatefulSet", kApps, "", false},
    {kAffinity[2], "StatefulSet", kApps, "", false},
    {kAffinity[3], "StatefulSet", kApps, "", false},
    {kAffinity[4], "StatefulSet", kApps, "", false},
    {"spec/selector/matchLabels", "Job", kBatch, "", false},
    {"spec/jobTemplate/spec/selector/matchLabels", "CronJob", kBatch, "", false},
    {"spec/selector/matchLabels", "PodDisruptionBudget", "policy", "", false},
    {"spec/podSelector/matchLabels", "NetworkPolicy", "networking.k8s.io", "", false},
    {"spec/ingress/from/podSelector/matchLabels", "NetworkPolicy", "networking.k8s.io", "", false},
    {"spec/egress/to/podSelector/matchLabels", "NetworkPolicy", "networking.k8s.io", "", false},
    GL_METADATA_LABEL_SPECS,
    GL_VCT_LABEL_SPECS,
};

const FieldSpec kTemplateLabels[] = {GL_METADATA_LABEL_SPECS};
const FieldSpec kVolumeClaimLabels[] = {GL_VCT_LABEL_SPECS};

#undef GL_METADATA_LABEL_SPECS
#undef GL_VCT_LABEL_SPECS

const FieldSpec kCommonAnnotations[] = {
    {"metadata/annotations", "", "", "", true},
    {"spec/template/metadata/annotations", "ReplicationController", "", "v1", true},
    {"spec/template/metadata/annotations", "Deployment", "", "", true},
    {"spec/template/metadata/annotations", "ReplicaSet", "", "", true},
    {"spec/template/metadata/annotations", "DaemonSet", "", "", true},
    {"spec/template/metadata/annotations", "StatefulSet", "", "", true},
    {"spec/template/metadata/annotations", "Job", kBatch, "", true},
    {"spec/jobTemplate/metadata/annotations", "CronJob", kBatch, "", true},
    {"spec/jobTemplate/spec/template/metadata/annotations", "CronJob", kBatch, "", true},
};

const FieldSpec kNamespace[] = {
    {"spec/service/namespace", "APIService", "apiregistration.k8s.io", "", true},
    {"spec/conversion/webhook/clientConfig/service/namespace", "CustomResourceDefinition", "apiextensions.k8s.io",
     "", false},
};

const FieldSpec kReplicas[] = {
    {"spec/replicas", "Deployment", "", "", true},
    {"spec/replicas", "ReplicationController", "", "", true},
    {"spec/replicas", "ReplicaSet", "", "", true},
    {"spec/replicas", "StatefulSet", "", "", true},
};

}  // namespace

bool fieldspec_matches(const FieldSpec& fs, const MNode& root) {
  const auto* k = root.get("kind");
  if (!fs.kind.empty() && (k == nullptr || k->str() != fs.kind)) return false;
  if (fs.group.empty() && fs.version.empty()) return true;
  const auto* av = root.get("apiVersion");
  const auto [group, version] = split_api_version(av != nullptr ? av->str() : std::string_view());
  if (!fs.group.empty() && group != fs.group) return false;
  if (!fs.version.empty() && version != fs.version) return false;
  return true;
}

void walk_fieldspec(MNode& root, const FieldSpec& fs, const MNode& leaf, Span at,
                    const std::function<void(MNode&)>& visit) {
  if (!fieldspec_matches(fs, root)) return;
  const auto path = split_path(fs.path);
  Walker w{leaf, at, fs.create, visit};
  w.walk(root, path);
}

std::span<const FieldSpec> common_label_specs() { return kCommonLabels; }
std::span<const FieldSpec> template_label_specs() { return kTemplateLabels; }
std::span<const FieldSpec> volume_claim_label_specs() { return kVolumeClaimLabels; }
std::span<const FieldSpec> common_annotation_specs() { return kCommonAnnotations; }
std::span<const FieldSpec> namespace_specs() { return kNamespace; }
std::span<const FieldSpec> replicas_specs() { return kReplicas; }

}  // namespace gl::render::kustomize
