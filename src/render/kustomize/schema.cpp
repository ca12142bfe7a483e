#include "render/kustomize/schema.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>

namespace gl::render::kustomize::schema {
namespace {

enum class SchemaKind { kOpaque, kObject, kMergeList };

constexpr size_t kMaxKeys = 2;

struct FieldEntry {
  std::string_view name;
  SchemaId schema;
};

struct SchemaEntry {
  SchemaKind kind;
  int first_field;  ///< objects: index of the first field in kFields (fields sorted by name)
  int field_count;
  SchemaId element;  ///< merge lists: the item schema
  std::array<std::string_view, kMaxKeys> keys;
  size_t key_count;
};

struct ResourceEntry {
  std::string_view api_version;
  std::string_view kind;
  SchemaId schema;
};

// Derived from the Kubernetes v1.21.2 OpenAPI definitions kustomize v5 bundles: for every definition with a
// merge list below it, the fields that lead there (sorted by name), then one entry per merge list.
// clang-format off
constexpr FieldEntry kFields[] = {
    {"metadata", 122},
    {"webhooks", 127},
    {"metadata", 122},
    {"webhooks", 128},
    {"metadata", 122},
    {"webhooks", 129},
    {"metadata", 122},
    {"webhooks", 130},
    {"metadata", 122},
    {"metadata", 122},
    {"spec", 7},
    {"status", 8},
    {"template", 68},
    {"conditions", 131},
    {"metadata", 122},
    {"spec", 10},
    {"status", 11},
    {"template", 68},
    {"conditions", 132},
    {"metadata", 122},
    {"spec", 13},
    {"status", 14},
    {"template", 68},
    {"conditions", 133},
    {"metadata", 122},
    {"spec", 16},
    {"status", 17},
    {"template", 68},
    {"conditions", 134},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"spec", 34},
    {"jobTemplate", 38},
    {"metadata", 122},
    {"spec", 36},
    {"status", 37},
    {"template", 68},
    {"conditions", 135},
    {"metadata", 122},
    {"spec", 36},
    {"metadata", 122},
    {"spec", 40},
    {"jobTemplate", 41},
    {"metadata", 122},
    {"spec", 36},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"conditions", 136},
    {"metadata", 122},
    {"metadata", 122},
    {"env", 137},
    {"ports", 138},
    {"volumeDevices", 139},
    {"volumeMounts", 140},
    {"metadata", 122},
    {"env", 141},
    {"volumeDevices", 142},
    {"volumeMounts", 143},
    {"volumeClaimTemplate", 63},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"status", 56},
    {"conditions", 144},
    {"metadata", 122},
    {"spec", 58},
    {"status", 59},
    {"podCIDRs", 145},
    {"addresses", 146},
    {"conditions", 147},
    {"metadata", 122},
    {"metadata", 122},
    {"status", 62},
    {"conditions", 148},
    {"metadata", 122},
    {"metadata", 122},
    {"spec", 65},
    {"status", 66},
    {"containers", 149},
    {"ephemeralContainers", 150},
    {"hostAliases", 151},
    {"imagePullSecrets", 152},
    {"initContainers", 153},
    {"topologySpreadConstraints", 154},
    {"volumes", 155},
    {"conditions", 156},
    {"podIPs", 157},
    {"metadata", 122},
    {"template", 68},
    {"metadata", 122},
    {"spec", 65},
    {"metadata", 122},
    {"spec", 70},
    {"status", 71},
    {"template", 68},
    {"conditions", 158},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"spec", 76},
    {"status", 77},
    {"metadata", 122},
    {"secrets", 159},
    {"ports", 160},
    {"conditions", 161},
    {"ephemeral", 52},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"status", 94},
    {"conditions", 162},
    {"metadata", 122},
    {"metadata", 122},
    {"status", 97},
    {"conditions", 163},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"spec", 111},
    {"drivers", 164},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"spec", 116},
    {"drivers", 165},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"metadata", 122},
    {"finalizers", 166},
    {"ownerReferences", 167},
    {"metadata", 122},
    {"status", 124},
    {"conditions", 168},
    {"metadata", 122},
    {"status", 126},
    {"conditions", 169},
};
constexpr SchemaEntry kSchemas[] = {
    {SchemaKind::kOpaque, 0, 0, 0, {}, 0},  // 0: a known type without merge metadata below it
    {SchemaKind::kObject, 0, 2, 0, {}, 0},  // 1: api.admissionregistration.v1.MutatingWebhookConfiguration
    {SchemaKind::kObject, 2, 2, 0, {}, 0},  // 2: api.admissionregistration.v1.ValidatingWebhookConfiguration
    {SchemaKind::kObject, 4, 2, 0, {}, 0},  // 3: api.admissionregistration.v1beta1.MutatingWebhookConfiguration
    {SchemaKind::kObject, 6, 2, 0, {}, 0},  // 4: api.admissionregistration.v1beta1.ValidatingWebhookConfiguration
    {SchemaKind::kObject, 8, 1, 0, {}, 0},  // 5: api.apps.v1.ControllerRevision
    {SchemaKind::kObject, 9, 3, 0, {}, 0},  // 6: api.apps.v1.DaemonSet
    {SchemaKind::kObject, 12, 1, 0, {}, 0},  // 7: api.apps.v1.DaemonSetSpec
    {SchemaKind::kObject, 13, 1, 0, {}, 0},  // 8: api.apps.v1.DaemonSetStatus
    {SchemaKind::kObject, 14, 3, 0, {}, 0},  // 9: api.apps.v1.Deployment
    {SchemaKind::kObject, 17, 1, 0, {}, 0},  // 10: api.apps.v1.DeploymentSpec
    {SchemaKind::kObject, 18, 1, 0, {}, 0},  // 11: api.apps.v1.DeploymentStatus
    {SchemaKind::kObject, 19, 3, 0, {}, 0},  // 12: api.apps.v1.ReplicaSet
    {SchemaKind::kObject, 22, 1, 0, {}, 0},  // 13: api.apps.v1.ReplicaSetSpec
    {SchemaKind::kObject, 23, 1, 0, {}, 0},  // 14: api.apps.v1.ReplicaSetStatus
    {SchemaKind::kObject, 24, 3, 0, {}, 0},  // 15: api.apps.v1.StatefulSet
    {SchemaKind::kObject, 27, 1, 0, {}, 0},  // 16: api.apps.v1.StatefulSetSpec
    {SchemaKind::kObject, 28, 1, 0, {}, 0},  // 17: api.apps.v1.StatefulSetStatus
    {SchemaKind::kObject, 29, 1, 0, {}, 0},  // 18: api.authentication.v1.TokenRequest
    {SchemaKind::kObject, 30, 1, 0, {}, 0},  // 19: api.authentication.v1.TokenReview
    {SchemaKind::kObject, 31, 1, 0, {}, 0},  // 20: api.authentication.v1beta1.TokenReview
    {SchemaKind::kObject, 32, 1, 0, {}, 0},  // 21: api.authorization.v1.LocalSubjectAccessReview
    {SchemaKind::kObject, 33, 1, 0, {}, 0},  // 22: api.authorization.v1.SelfSubjectAccessReview
    {SchemaKind::kObject, 34, 1, 0, {}, 0},  // 23: api.authorization.v1.SelfSubjectRulesReview
    {SchemaKind::kObject, 35, 1, 0, {}, 0},  // 24: api.authorization.v1.SubjectAccessReview
    {SchemaKind::kObject, 36, 1, 0, {}, 0},  // 25: api.authorization.v1beta1.LocalSubjectAccessReview
    {SchemaKind::kObject, 37, 1, 0, {}, 0},  // 26: api.authorization.v1beta1.SelfSubjectAccessReview
    {SchemaKind::kObject, 38, 1, 0, {}, 0},  // 27: api.authorization.v1beta1.SelfSubjectRulesReview
    {SchemaKind::kObject, 39, 1, 0, {}, 0},  // 28: api.authorization.v1beta1.SubjectAccessReview
    {SchemaKind::kObject, 40, 1, 0, {}, 0},  // 29: api.autoscaling.v1.HorizontalPodAutoscaler
    {SchemaKind::kObject, 41, 1, 0, {}, 0},  // 30: api.autoscaling.v1.Scale
    {SchemaKind::kObject, 42, 1, 0, {}, 0},  // 31: api.autoscaling.v2beta1.HorizontalPodAutoscaler
    {SchemaKind::kObject, 43, 1, 0, {}, 0},  // 32: api.autoscaling.v2beta2.HorizontalPodAutoscaler
    {SchemaKind::kObject, 44, 2, 0, {}, 0},  // 33: api.batch.v1.CronJob
    {SchemaKind::kObject, 46, 1, 0, {}, 0},  // 34: api.batch.v1.CronJobSpec
    {SchemaKind::kObject, 47, 3, 0, {}, 0},  // 35: api.batch.v1.Job
    {SchemaKind::kObject, 50, 1, 0, {}, 0},  // 36: api.batch.v1.JobSpec
    {SchemaKind::kObject, 51, 1, 0, {}, 0},  // 37: api.batch.v1.JobStatus
    {SchemaKind::kObject, 52, 2, 0, {}, 0},  // 38: api.batch.v1.JobTemplateSpec
    {SchemaKind::kObject, 54, 2, 0, {}, 0},  // 39: api.batch.v1beta1.CronJob
    {SchemaKind::kObject, 56, 1, 0, {}, 0},  // 40: api.batch.v1beta1.CronJobSpec
    {SchemaKind::kObject, 57, 2, 0, {}, 0},  // 41: api.batch.v1beta1.JobTemplateSpec
    {SchemaKind::kObject, 59, 1, 0, {}, 0},  // 42: api.certificates.v1.CertificateSigningRequest
    {SchemaKind::kObject, 60, 1, 0, {}, 0},  // 43: api.certificates.v1beta1.CertificateSigningRequest
    {SchemaKind::kObject, 61, 1, 0, {}, 0},  // 44: api.coordination.v1.Lease
    {SchemaKind::kObject, 62, 1, 0, {}, 0},  // 45: api.coordination.v1beta1.Lease
    {SchemaKind::kObject, 63, 1, 0, {}, 0},  // 46: api.core.v1.Binding
    {SchemaKind::kObject, 64, 2, 0, {}, 0},  // 47: api.core.v1.ComponentStatus
    {SchemaKind::kObject, 66, 1, 0, {}, 0},  // 48: api.core.v1.ConfigMap
    {SchemaKind::kObject, 67, 4, 0, {}, 0},  // 49: api.core.v1.Container
    {SchemaKind::kObject, 71, 1, 0, {}, 0},  // 50: api.core.v1.Endpoints
    {SchemaKind::kObject, 72, 3, 0, {}, 0},  // 51: api.core.v1.EphemeralContainer
    {SchemaKind::kObject, 75, 1, 0, {}, 0},  // 52: api.core.v1.EphemeralVolumeSource
    {SchemaKind::kObject, 76, 1, 0, {}, 0},  // 53: api.core.v1.Event
    {SchemaKind::kObject, 77, 1, 0, {}, 0},  // 54: api.core.v1.LimitRange
    {SchemaKind::kObject, 78, 2, 0, {}, 0},  // 55: api.core.v1.Namespace
    {SchemaKind::kObject, 80, 1, 0, {}, 0},  // 56: api.core.v1.NamespaceStatus
    {SchemaKind::kObject, 81, 3, 0, {}, 0},  // 57: api.core.v1.Node
    {SchemaKind::kObject, 84, 1, 0, {}, 0},  // 58: api.core.v1.NodeSpec
    {SchemaKind::kObject, 85, 2, 0, {}, 0},  // 59: api.core.v1.NodeStatus
    {SchemaKind::kObject, 87, 1, 0, {}, 0},  // 60: api.core.v1.PersistentVolume
    {SchemaKind::kObject, 88, 2, 0, {}, 0},  // 61: api.core.v1.PersistentVolumeClaim
    {SchemaKind::kObject, 90, 1, 0, {}, 0},  // 62: api.core.v1.PersistentVolumeClaimStatus
    {SchemaKind::kObject, 91, 1, 0, {}, 0},  // 63: api.core.v1.PersistentVolumeClaimTemplate
    {SchemaKind::kObject, 92, 3, 0, {}, 0},  // 64: api.core.v1.Pod
    {SchemaKind::kObject, 95, 7, 0, {}, 0},  // 65: api.core.v1.PodSpec
    {SchemaKind::kObject, 102, 2, 0, {}, 0},  // 66: api.core.v1.PodStatus
    {SchemaKind::kObject, 104, 2, 0, {}, 0},  // 67: api.core.v1.PodTemplate
    {SchemaKind::kObject, 106, 2, 0, {}, 0},  // 68: api.core.v1.PodTemplateSpec
    {SchemaKind::kObject, 108, 3, 0, {}, 0},  // 69: api.core.v1.ReplicationController
    {SchemaKind::kObject, 111, 1, 0, {}, 0},  // 70: api.core.v1.ReplicationControllerSpec
    {SchemaKind::kObject, 112, 1, 0, {}, 0},  // 71: api.core.v1.ReplicationControllerStatus
    {SchemaKind::kObject, 113, 1, 0, {}, 0},  // 72: api.core.v1.ResourceQuota
    {SchemaKind::kObject, 114, 1, 0, {}, 0},  // 73: api.core.v1.Secret
    {SchemaKind::kObject, 115, 3, 0, {}, 0},  // 74: api.core.v1.Service
    {SchemaKind::kObject, 118, 2, 0, {}, 0},  // 75: api.core.v1.ServiceAccount
    {SchemaKind::kObject, 120, 1, 0, {}, 0},  // 76: api.core.v1.ServiceSpec
    {SchemaKind::kObject, 121, 1, 0, {}, 0},  // 77: api.core.v1.ServiceStatus
    {SchemaKind::kObject, 122, 1, 0, {}, 0},  // 78: api.core.v1.Volume
    {SchemaKind::kObject, 123, 1, 0, {}, 0},  // 79: api.discovery.v1.EndpointSlice
    {SchemaKind::kObject, 124, 1, 0, {}, 0},  // 80: api.discovery.v1beta1.EndpointSlice
    {SchemaKind::kObject, 125, 1, 0, {}, 0},  // 81: api.events.v1.Event
    {SchemaKind::kObject, 126, 1, 0, {}, 0},  // 82: api.events.v1beta1.Event
    {SchemaKind::kObject, 127, 1, 0, {}, 0},  // 83: api.extensions.v1beta1.Ingress
    {SchemaKind::kObject, 128, 1, 0, {}, 0},  // 84: api.flowcontrol.v1beta1.FlowSchema
    {SchemaKind::kObject, 129, 1, 0, {}, 0},  // 85: api.flowcontrol.v1beta1.PriorityLevelConfiguration
    {SchemaKind::kObject, 130, 1, 0, {}, 0},  // 86: api.networking.v1.Ingress
    {SchemaKind::kObject, 131, 1, 0, {}, 0},  // 87: api.networking.v1.IngressClass
    {SchemaKind::kObject, 132, 1, 0, {}, 0},  // 88: api.networking.v1.NetworkPolicy
    {SchemaKind::kObject, 133, 1, 0, {}, 0},  // 89: api.networking.v1beta1.Ingress
    {SchemaKind::kObject, 134, 1, 0, {}, 0},  // 90: api.networking.v1beta1.IngressClass
    {SchemaKind::kObject, 135, 1, 0, {}, 0},  // 91: api.node.v1.RuntimeClass
    {SchemaKind::kObject, 136, 1, 0, {}, 0},  // 92: api.node.v1beta1.RuntimeClass
    {SchemaKind::kObject, 137, 2, 0, {}, 0},  // 93: api.policy.v1.PodDisruptionBudget
    {SchemaKind::kObject, 139, 1, 0, {}, 0},  // 94: api.policy.v1.PodDisruptionBudgetStatus
    {SchemaKind::kObject, 140, 1, 0, {}, 0},  // 95: api.policy.v1beta1.Eviction
    {SchemaKind::kObject, 141, 2, 0, {}, 0},  // 96: api.policy.v1beta1.PodDisruptionBudget
    {SchemaKind::kObject, 143, 1, 0, {}, 0},  // 97: api.policy.v1beta1.PodDisruptionBudgetStatus
    {SchemaKind::kObject, 144, 1, 0, {}, 0},  // 98: api.policy.v1beta1.PodSecurityPolicy
    {SchemaKind::kObject, 145, 1, 0, {}, 0},  // 99: api.rbac.v1.ClusterRole
    {SchemaKind::kObject, 146, 1, 0, {}, 0},  // 100: api.rbac.v1.ClusterRoleBinding
    {SchemaKind::kObject, 147, 1, 0, {}, 0},  // 101: api.rbac.v1.Role
    {SchemaKind::kObject, 148, 1, 0, {}, 0},  // 102: api.rbac.v1.RoleBinding
    {SchemaKind::kObject, 149, 1, 0, {}, 0},  // 103: api.rbac.v1beta1.ClusterRole
    {SchemaKind::kObject, 150, 1, 0, {}, 0},  // 104: api.rbac.v1beta1.ClusterRoleBinding
    {SchemaKind::kObject, 151, 1, 0, {}, 0},  // 105: api.rbac.v1beta1.Role
    {SchemaKind::kObject, 152, 1, 0, {}, 0},  // 106: api.rbac.v1beta1.RoleBinding
    {SchemaKind::kObject, 153, 1, 0, {}, 0},  // 107: api.scheduling.v1.PriorityClass
    {SchemaKind::kObject, 154, 1, 0, {}, 0},  // 108: api.scheduling.v1beta1.PriorityClass
    {SchemaKind::kObject, 155, 1, 0, {}, 0},  // 109: api.storage.v1.CSIDriver
    {SchemaKind::kObject, 156, 2, 0, {}, 0},  // 110: api.storage.v1.CSINode
    {SchemaKind::kObject, 158, 1, 0, {}, 0},  // 111: api.storage.v1.CSINodeSpec
    {SchemaKind::kObject, 159, 1, 0, {}, 0},  // 112: api.storage.v1.StorageClass
    {SchemaKind::kObject, 160, 1, 0, {}, 0},  // 113: api.storage.v1.VolumeAttachment
    {SchemaKind::kObject, 161, 1, 0, {}, 0},  // 114: api.storage.v1beta1.CSIDriver
    {SchemaKind::kObject, 162, 2, 0, {}, 0},  // 115: api.storage.v1beta1.CSINode
    {SchemaKind::kObject, 164, 1, 0, {}, 0},  // 116: api.storage.v1beta1.CSINodeSpec
    {SchemaKind::kObject, 165, 1, 0, {}, 0},  // 117: api.storage.v1beta1.CSIStorageCapacity
    {SchemaKind::kObject, 166, 1, 0, {}, 0},  // 118: api.storage.v1beta1.StorageClass
    {SchemaKind::kObject, 167, 1, 0, {}, 0},  // 119: api.storage.v1beta1.VolumeAttachment
    {SchemaKind::kObject, 168, 1, 0, {}, 0},  // 120: apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition
    {SchemaKind::kObject, 169, 1, 0, {}, 0},  // 121: apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.CustomResourceDefinition
    {SchemaKind::kObject, 170, 2, 0, {}, 0},  // 122: apimachinery.pkg.apis.meta.v1.ObjectMeta
    {SchemaKind::kObject, 172, 2, 0, {}, 0},  // 123: kube-aggregator.pkg.apis.apiregistration.v1.APIService
    {SchemaKind::kObject, 174, 1, 0, {}, 0},  // 124: kube-aggregator.pkg.apis.apiregistration.v1.APIServiceStatus
    {SchemaKind::kObject, 175, 2, 0, {}, 0},  // 125: kube-aggregator.pkg.apis.apiregistration.v1beta1.APIService
    {SchemaKind::kObject, 177, 1, 0, {}, 0},  // 126: kube-aggregator.pkg.apis.apiregistration.v1beta1.APIServiceStatus
    {SchemaKind::kMergeList, 0, 0, 0, {"name"}, 1},  // 127: merge list of io.k8s.api.admissionregistration.v1.MutatingWebhook
    {SchemaKind::kMergeList, 0, 0, 0, {"name"}, 1},  // 128: merge list of io.k8s.api.admissionregistration.v1.ValidatingWebhook
    {SchemaKind::kMergeList, 0, 0, 0, {"name"}, 1},  // 129: merge list of io.k8s.api.admissionregistration.v1beta1.MutatingWebhook
    {SchemaKind::kMergeList, 0, 0, 0, {"name"}, 1},  // 130: merge list of io.k8s.api.admissionregistration.v1beta1.ValidatingWebhook
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 131: merge list of io.k8s.api.apps.v1.DaemonSetCondition
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 132: merge list of io.k8s.api.apps.v1.DeploymentCondition
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 133: merge list of io.k8s.api.apps.v1.ReplicaSetCondition
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 134: merge list of io.k8s.api.apps.v1.StatefulSetCondition
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 135: merge list of io.k8s.api.batch.v1.JobCondition
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 136: merge list of io.k8s.api.core.v1.ComponentCondition
    {SchemaKind::kMergeList, 0, 0, 0, {"name"}, 1},  // 137: merge list of io.k8s.api.core.v1.EnvVar
    {SchemaKind::kMergeList, 0, 0, 0, {"containerPort", "protocol"}, 2},  // 138: merge list of io.k8s.api.core.v1.ContainerPort
    {SchemaKind::kMergeList, 0, 0, 0, {"devicePath"}, 1},  // 139: merge list of io.k8s.api.core.v1.VolumeDevice
    {SchemaKind::kMergeList, 0, 0, 0, {"mountPath"}, 1},  // 140: merge list of io.k8s.api.core.v1.VolumeMount
    {SchemaKind::kMergeList, 0, 0, 0, {"name"}, 1},  // 141: merge list of io.k8s.api.core.v1.EnvVar
    {SchemaKind::kMergeList, 0, 0, 0, {"devicePath"}, 1},  // 142: merge list of io.k8s.api.core.v1.VolumeDevice
    {SchemaKind::kMergeList, 0, 0, 0, {"mountPath"}, 1},  // 143: merge list of io.k8s.api.core.v1.VolumeMount
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 144: merge list of io.k8s.api.core.v1.NamespaceCondition
    {SchemaKind::kMergeList, 0, 0, 0, {}, 0},  // 145: merge list of None
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 146: merge list of io.k8s.api.core.v1.NodeAddress
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 147: merge list of io.k8s.api.core.v1.NodeCondition
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 148: merge list of io.k8s.api.core.v1.PersistentVolumeClaimCondition
    {SchemaKind::kMergeList, 0, 0, 49, {"name"}, 1},  // 149: merge list of io.k8s.api.core.v1.Container
    {SchemaKind::kMergeList, 0, 0, 51, {"name"}, 1},  // 150: merge list of io.k8s.api.core.v1.EphemeralContainer
    {SchemaKind::kMergeList, 0, 0, 0, {"ip"}, 1},  // 151: merge list of io.k8s.api.core.v1.HostAlias
    {SchemaKind::kMergeList, 0, 0, 0, {"name"}, 1},  // 152: merge list of io.k8s.api.core.v1.LocalObjectReference
    {SchemaKind::kMergeList, 0, 0, 49, {"name"}, 1},  // 153: merge list of io.k8s.api.core.v1.Container
    {SchemaKind::kMergeList, 0, 0, 0, {"topologyKey", "whenUnsatisfiable"}, 2},  // 154: merge list of io.k8s.api.core.v1.TopologySpreadConstraint
    {SchemaKind::kMergeList, 0, 0, 78, {"name"}, 1},  // 155: merge list of io.k8s.api.core.v1.Volume
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 156: merge list of io.k8s.api.core.v1.PodCondition
    {SchemaKind::kMergeList, 0, 0, 0, {"ip"}, 1},  // 157: merge list of io.k8s.api.core.v1.PodIP
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 158: merge list of io.k8s.api.core.v1.ReplicationControllerCondition
    {SchemaKind::kMergeList, 0, 0, 0, {"name"}, 1},  // 159: merge list of io.k8s.api.core.v1.ObjectReference
    {SchemaKind::kMergeList, 0, 0, 0, {"port", "protocol"}, 2},  // 160: merge list of io.k8s.api.core.v1.ServicePort
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 161: merge list of io.k8s.apimachinery.pkg.apis.meta.v1.Condition
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 162: merge list of io.k8s.apimachinery.pkg.apis.meta.v1.Condition
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 163: merge list of io.k8s.apimachinery.pkg.apis.meta.v1.Condition
    {SchemaKind::kMergeList, 0, 0, 0, {"name"}, 1},  // 164: merge list of io.k8s.api.storage.v1.CSINodeDriver
    {SchemaKind::kMergeList, 0, 0, 0, {"name"}, 1},  // 165: merge list of io.k8s.api.storage.v1beta1.CSINodeDriver
    {SchemaKind::kMergeList, 0, 0, 0, {}, 0},  // 166: merge list of None
    {SchemaKind::kMergeList, 0, 0, 0, {"uid"}, 1},  // 167: merge list of io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 168: merge list of io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceCondition
    {SchemaKind::kMergeList, 0, 0, 0, {"type"}, 1},  // 169: merge list of io.k8s.kube-aggregator.pkg.apis.apiregistration.v1beta1.APIServiceCondition
};
constexpr ResourceEntry kResources[] = {
    {"admission.k8s.io/v1", "DeleteOptions", 0},
    {"admission.k8s.io/v1", "WatchEvent", 0},
    {"admission.k8s.io/v1beta1", "DeleteOptions", 0},
    {"admission.k8s.io/v1beta1", "WatchEvent", 0},
    {"admissionregistration.k8s.io/v1", "DeleteOptions", 0},
    {"admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", 1},
    {"admissionregistration.k8s.io/v1", "MutatingWebhookConfigurationList", 0},
    {"admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", 2},
    {"admissionregistration.k8s.io/v1", "ValidatingWebhookConfigurationList", 0},
    {"admissionregistration.k8s.io/v1", "WatchEvent", 0},
    {"admissionregistration.k8s.io/v1beta1", "DeleteOptions", 0},
    {"admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", 3},
    {"admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfigurationList", 0},
    {"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", 4},
    {"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfigurationList", 0},
    {"admissionregistration.k8s.io/v1beta1", "WatchEvent", 0},
    {"apiextensions.k8s.io/v1", "CustomResourceDefinition", 120},
    {"apiextensions.k8s.io/v1", "CustomResourceDefinitionList", 0},
    {"apiextensions.k8s.io/v1", "DeleteOptions", 0},
    {"apiextensions.k8s.io/v1", "WatchEvent", 0},
    {"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", 121},
    {"apiextensions.k8s.io/v1beta1", "CustomResourceDefinitionList", 0},
    {"apiextensions.k8s.io/v1beta1", "DeleteOptions", 0},
    {"apiextensions.k8s.io/v1beta1", "WatchEvent", 0},
    {"apiregistration.k8s.io/v1", "APIService", 123},
    {"apiregistration.k8s.io/v1", "APIServiceList", 0},
    {"apiregistration.k8s.io/v1", "DeleteOptions", 0},
    {"apiregistration.k8s.io/v1", "WatchEvent", 0},
    {"apiregistration.k8s.io/v1beta1", "APIService", 125},
    {"apiregistration.k8s.io/v1beta1", "APIServiceList", 0},
    {"apiregistration.k8s.io/v1beta1", "DeleteOptions", 0},
    {"apiregistration.k8s.io/v1beta1", "WatchEvent", 0},
    {"apps/v1", "ControllerRevision", 5},
    {"apps/v1", "ControllerRevisionList", 0},
    {"apps/v1", "DaemonSet", 6},
    {"apps/v1", "DaemonSetList", 0},
    {"apps/v1", "DeleteOptions", 0},
    {"apps/v1", "Deployment", 9},
    {"apps/v1", "DeploymentList", 0},
    {"apps/v1", "ReplicaSet", 12},
    {"apps/v1", "ReplicaSetList", 0},
    {"apps/v1", "StatefulSet", 15},
    {"apps/v1", "StatefulSetList", 0},
    {"apps/v1", "WatchEvent", 0},
    {"apps/v1beta1", "DeleteOptions", 0},
    {"apps/v1beta1", "WatchEvent", 0},
    {"apps/v1beta2", "DeleteOptions", 0},
    {"apps/v1beta2", "WatchEvent", 0},
    {"authentication.k8s.io/v1", "DeleteOptions", 0},
    {"authentication.k8s.io/v1", "TokenRequest", 18},
    {"authentication.k8s.io/v1", "TokenReview", 19},
    {"authentication.k8s.io/v1", "WatchEvent", 0},
    {"authentication.k8s.io/v1beta1", "DeleteOptions", 0},
    {"authentication.k8s.io/v1beta1", "TokenReview", 20},
    {"authentication.k8s.io/v1beta1", "WatchEvent", 0},
    {"authorization.k8s.io/v1", "DeleteOptions", 0},
    {"authorization.k8s.io/v1", "LocalSubjectAccessReview", 21},
    {"authorization.k8s.io/v1", "SelfSubjectAccessReview", 22},
    {"authorization.k8s.io/v1", "SelfSubjectRulesReview", 23},
    {"authorization.k8s.io/v1", "SubjectAccessReview", 24},
    {"authorization.k8s.io/v1", "WatchEvent", 0},
    {"authorization.k8s.io/v1beta1", "DeleteOptions", 0},
    {"authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", 25},
    {"authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", 26},
    {"authorization.k8s.io/v1beta1", "SelfSubjectRulesReview", 27},
    {"authorization.k8s.io/v1beta1", "SubjectAccessReview", 28},
    {"authorization.k8s.io/v1beta1", "WatchEvent", 0},
    {"autoscaling/v1", "DeleteOptions", 0},
    {"autoscaling/v1", "HorizontalPodAutoscaler", 29},
    {"autoscaling/v1", "HorizontalPodAutoscalerList", 0},
    {"autoscaling/v1", "Scale", 30},
    {"autoscaling/v1", "WatchEvent", 0},
    {"autoscaling/v2beta1", "DeleteOptions", 0},
    {"autoscaling/v2beta1", "HorizontalPodAutoscaler", 31},
    {"autoscaling/v2beta1", "HorizontalPodAutoscalerList", 0},
    {"autoscaling/v2beta1", "WatchEvent", 0},
    {"autoscaling/v2beta2", "DeleteOptions", 0},
    {"autoscaling/v2beta2", "HorizontalPodAutoscaler", 32},
    {"autoscaling/v2beta2", "HorizontalPodAutoscalerList", 0},
    {"autoscaling/v2beta2", "WatchEvent", 0},
    {"batch/v1", "CronJob", 33},
    {"batch/v1", "CronJobList", 0},
    {"batch/v1", "DeleteOptions", 0},
    {"batch/v1", "Job", 35},
    {"batch/v1", "JobList", 0},
    {"batch/v1", "WatchEvent", 0},
    {"batch/v1beta1", "CronJob", 39},
    {"batch/v1beta1", "CronJobList", 0},
    {"batch/v1beta1", "DeleteOptions", 0},
    {"batch/v1beta1", "WatchEvent", 0},
    {"certificates.k8s.io/v1", "CertificateSigningRequest", 42},
    {"certificates.k8s.io/v1", "CertificateSigningRequestList", 0},
    {"certificates.k8s.io/v1", "DeleteOptions", 0},
    {"certificates.k8s.io/v1", "WatchEvent", 0},
    {"certificates.k8s.io/v1beta1", "CertificateSigningRequest", 43},
    {"certificates.k8s.io/v1beta1", "CertificateSigningRequestList", 0},
    {"certificates.k8s.io/v1beta1", "DeleteOptions", 0},
    {"certificates.k8s.io/v1beta1", "WatchEvent", 0},
    {"coordination.k8s.io/v1", "DeleteOptions", 0},
    {"coordination.k8s.io/v1", "Lease", 44},
    {"coordination.k8s.io/v1", "LeaseList", 0},
    {"coordination.k8s.io/v1", "WatchEvent", 0},
    {"coordination.k8s.io/v1beta1", "DeleteOptions", 0},
    {"coordination.k8s.io/v1beta1", "Lease", 45},
    {"coordination.k8s.io/v1beta1", "LeaseList", 0},
    {"coordination.k8s.io/v1beta1", "WatchEvent", 0},
    {"discovery.k8s.io/v1", "DeleteOptions", 0},
    {"discovery.k8s.io/v1", "EndpointSlice", 79},
    {"discovery.k8s.io/v1", "EndpointSliceList", 0},
    {"discovery.k8s.io/v1", "WatchEvent", 0},
    {"discovery.k8s.io/v1beta1", "DeleteOptions", 0},
    {"discovery.k8s.io/v1beta1", "EndpointSlice", 80},
    {"discovery.k8s.io/v1beta1", "EndpointSliceList", 0},
    {"discovery.k8s.io/v1beta1", "WatchEvent", 0},
    {"events.k8s.io/v1", "DeleteOptions", 0},
    {"events.k8s.io/v1", "Event", 81},
    {"events.k8s.io/v1", "EventList", 0},
    {"events.k8s.io/v1", "WatchEvent", 0},
    {"events.k8s.io/v1beta1", "DeleteOptions", 0},
    {"events.k8s.io/v1beta1", "Event", 82},
    {"events.k8s.io/v1beta1", "EventList", 0},
    {"events.k8s.io/v1beta1", "WatchEvent", 0},
    {"extensions/v1beta1", "DeleteOptions", 0},
    {"extensions/v1beta1", "Ingress", 83},
    {"extensions/v1beta1", "IngressList", 0},
    {"extensions/v1beta1", "WatchEvent", 0},
    {"flowcontrol.apiserver.k8s.io/v1alpha1", "DeleteOptions", 0},
    {"flowcontrol.apiserver.k8s.io/v1alpha1", "WatchEvent", 0},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "DeleteOptions", 0},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 84},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchemaList", 0},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", 85},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfigurationList", 0},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "WatchEvent", 0},
    {"imagepolicy.k8s.io/v1alpha1", "DeleteOptions", 0},
    {"imagepolicy.k8s.io/v1alpha1", "WatchEvent", 0},
    {"internal.apiserver.k8s.io/v1alpha1", "DeleteOptions", 0},
    {"internal.apiserver.k8s.io/v1alpha1", "WatchEvent", 0},
    {"networking.k8s.io/v1", "DeleteOptions", 0},
    {"networking.k8s.io/v1", "Ingress", 86},
    {"networking.k8s.io/v1", "IngressClass", 87},
    {"networking.k8s.io/v1", "IngressClassList", 0},
    {"networking.k8s.io/v1", "IngressList", 0},
    {"networking.k8s.io/v1", "NetworkPolicy", 88},
    {"networking.k8s.io/v1", "NetworkPolicyList", 0},
    {"networking.k8s.io/v1", "WatchEvent", 0},
    {"networking.k8s.io/v1beta1", "DeleteOptions", 0},
    {"networking.k8s.io/v1beta1", "Ingress", 89},
    {"networking.k8s.io/v1beta1", "IngressClass", 90},
    {"networking.k8s.io/v1beta1", "IngressClassList", 0},
    {"networking.k8s.io/v1beta1", "IngressList", 0},
    {"networking.k8s.io/v1beta1", "WatchEvent", 0},
    {"node.k8s.io/v1", "DeleteOptions", 0},
    {"node.k8s.io/v1", "RuntimeClass", 91},
    {"node.k8s.io/v1", "RuntimeClassList", 0},
    {"node.k8s.io/v1", "WatchEvent", 0},
    {"node.k8s.io/v1alpha1", "DeleteOptions", 0},
    {"node.k8s.io/v1alpha1", "WatchEvent", 0},
    {"node.k8s.io/v1beta1", "DeleteOptions", 0},
    {"node.k8s.io/v1beta1", "RuntimeClass", 92},
    {"node.k8s.io/v1beta1", "RuntimeClassList", 0},
    {"node.k8s.io/v1beta1", "WatchEvent", 0},
    {"policy/v1", "DeleteOptions", 0},
    {"policy/v1", "PodDisruptionBudget", 93},
    {"policy/v1", "PodDisruptionBudgetList", 0},
    {"policy/v1", "WatchEvent", 0},
    {"policy/v1beta1", "DeleteOptions", 0},
    {"policy/v1beta1", "Eviction", 95},
    {"policy/v1beta1", "PodDisruptionBudget", 96},
    {"policy/v1beta1", "PodDisruptionBudgetList", 0},
    {"policy/v1beta1", "PodSecurityPolicy", 98},
    {"policy/v1beta1", "PodSecurityPolicyList", 0},
    {"policy/v1beta1", "WatchEvent", 0},
    {"rbac.authorization.k8s.io/v1", "ClusterRole", 99},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding", 100},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBindingList", 0},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleList", 0},
    {"rbac.authorization.k8s.io/v1", "DeleteOptions", 0},
    {"rbac.authorization.k8s.io/v1", "Role", 101},
    {"rbac.authorization.k8s.io/v1", "RoleBinding", 102},
    {"rbac.authorization.k8s.io/v1", "RoleBindingList", 0},
    {"rbac.authorization.k8s.io/v1", "RoleList", 0},
    {"rbac.authorization.k8s.io/v1", "WatchEvent", 0},
    {"rbac.authorization.k8s.io/v1alpha1", "DeleteOptions", 0},
    {"rbac.authorization.k8s.io/v1alpha1", "WatchEvent", 0},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRole", 103},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", 104},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRoleBindingList", 0},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRoleList", 0},
    {"rbac.authorization.k8s.io/v1beta1", "DeleteOptions", 0},
    {"rbac.authorization.k8s.io/v1beta1", "Role", 105},
    {"rbac.authorization.k8s.io/v1beta1", "RoleBinding", 106},
    {"rbac.authorization.k8s.io/v1beta1", "RoleBindingList", 0},
    {"rbac.authorization.k8s.io/v1beta1", "RoleList", 0},
    {"rbac.authorization.k8s.io/v1beta1", "WatchEvent", 0},
    {"scheduling.k8s.io/v1", "DeleteOptions", 0},
    {"scheduling.k8s.io/v1", "PriorityClass", 107},
    {"scheduling.k8s.io/v1", "PriorityClassList", 0},
    {"scheduling.k8s.io/v1", "WatchEvent", 0},
    {"scheduling.k8s.io/v1alpha1", "DeleteOptions", 0},
    {"scheduling.k8s.io/v1alpha1", "WatchEvent", 0},
    {"scheduling.k8s.io/v1beta1", "DeleteOptions", 0},
    {"scheduling.k8s.io/v1beta1", "PriorityClass", 108},
    {"scheduling.k8s.io/v1beta1", "PriorityClassList", 0},
    {"scheduling.k8s.io/v1beta1", "WatchEvent", 0},
    {"storage.k8s.io/v1", "CSIDriver", 109},
    {"storage.k8s.io/v1", "CSIDriverList", 0},
    {"storage.k8s.io/v1", "CSINode", 110},
    {"storage.k8s.io/v1", "CSINodeList", 0},
    {"storage.k8s.io/v1", "DeleteOptions", 0},
    {"storage.k8s.io/v1", "StorageClass", 112},
    {"storage.k8s.io/v1", "StorageClassList", 0},
    {"storage.k8s.io/v1", "VolumeAttachment", 113},
    {"storage.k8s.io/v1", "VolumeAttachmentList", 0},
    {"storage.k8s.io/v1", "WatchEvent", 0},
    {"storage.k8s.io/v1alpha1", "DeleteOptions", 0},
    {"storage.k8s.io/v1alpha1", "WatchEvent", 0},
    {"storage.k8s.io/v1beta1", "CSIDriver", 114},
    {"storage.k8s.io/v1beta1", "CSIDriverList", 0},
    {"storage.k8s.io/v1beta1", "CSINode", 115},
    {"storage.k8s.io/v1beta1", "CSINodeList", 0},
    {"storage.k8s.io/v1beta1", "CSIStorageCapacity", 117},
    {"storage.k8s.io/v1beta1", "CSIStorageCapacityList", 0},
    {"storage.k8s.io/v1beta1", "DeleteOptions", 0},
    {"storage.k8s.io/v1beta1", "StorageClass", 118},
    {"storage.k8s.io/v1beta1", "StorageClassList", 0},
    {"storage.k8s.io/v1beta1", "VolumeAttachment", 119},
    {"storage.k8s.io/v1beta1", "VolumeAttachmentList", 0},
    {"storage.k8s.io/v1beta1", "WatchEvent", 0},
    {"v1", "APIGroup", 0},
    {"v1", "APIGroupList", 0},
    {"v1", "APIResourceList", 0},
    {"v1", "APIVersions", 0},
    {"v1", "Binding", 46},
    {"v1", "ComponentStatus", 47},
    {"v1", "ComponentStatusList", 0},
    {"v1", "ConfigMap", 48},
    {"v1", "ConfigMapList", 0},
    {"v1", "DeleteOptions", 0},
    {"v1", "Endpoints", 50},
    {"v1", "EndpointsList", 0},
    {"v1", "Event", 53},
    {"v1", "EventList", 0},
    {"v1", "LimitRange", 54},
    {"v1", "LimitRangeList", 0},
    {"v1", "Namespace", 55},
    {"v1", "NamespaceList", 0},
    {"v1", "Node", 57},
    {"v1", "NodeList", 0},
    {"v1", "PersistentVolume", 60},
    {"v1", "PersistentVolumeClaim", 61},
    {"v1", "PersistentVolumeClaimList", 0},
    {"v1", "PersistentVolumeList", 0},
    {"v1", "Pod", 64},
    {"v1", "PodList", 0},
    {"v1", "PodTemplate", 67},
    {"v1", "PodTemplateList", 0},
    {"v1", "ReplicationController", 69},
    {"v1", "ReplicationControllerList", 0},
    {"v1", "ResourceQuota", 72},
    {"v1", "ResourceQuotaList", 0},
    {"v1", "Secret", 73},
    {"v1", "SecretList", 0},
    {"v1", "Service", 74},
    {"v1", "ServiceAccount", 75},
    {"v1", "ServiceAccountList", 0},
    {"v1", "ServiceList", 0},
    {"v1", "Status", 0},
    {"v1", "WatchEvent", 0},
};
// clang-format on

bool valid(SchemaId s) { return s >= 0 && static_cast<size_t>(s) < std::size(kSchemas); }

}  // namespace

SchemaId for_kind(std::string_view api_version, std::string_view kind) {
  const auto* end = std::end(kResources);
  const auto* it = std::lower_bound(std::begin(kResources), end, std::pair(api_version, kind),
                                    [](const ResourceEntry& e, const std::pair<std::string_view, std::string_view>& k) {
                                      return std::pair(e.api_version, e.kind) < k;
                                    });
  if (it == end || it->api_version != api_version || it->kind != kind) return kNoSchema;
  return it->schema;
}

SchemaId field(SchemaId s, std::string_view name) {
  if (!valid(s)) return kNoSchema;
  const SchemaEntry& e = kSchemas[s];
  if (e.kind != SchemaKind::kObject) return kOpaque;
  const auto* begin = std::begin(kFields) + e.first_field;
  const auto* end = begin + e.field_count;
  const auto* it =
      std::lower_bound(begin, end, name, [](const FieldEntry& f, std::string_view n) { return f.name < n; });
  return (it != end && it->name == name) ? it->schema : kOpaque;
}

SchemaId element(SchemaId s) {
  if (!valid(s)) return kNoSchema;
  return kSchemas[s].kind == SchemaKind::kMergeList ? kSchemas[s].element : kOpaque;
}

bool is_merge_list(SchemaId s) { return valid(s) && kSchemas[s].kind == SchemaKind::kMergeList; }

std::span<const std::string_view> merge_keys(SchemaId s) {
  if (!is_merge_list(s)) return {};
  return {kSchemas[s].keys.data(), kSchemas[s].key_count};
}

}  // namespace gl::render::kustomize::schema
