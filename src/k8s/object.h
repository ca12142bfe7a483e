#pragma once
// The Kubernetes object model: an object is its YAML tree plus identity, with provenance in every node.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/object_ref.h"
#include "core/source.h"
#include "yaml/node.h"

namespace gl::k8s {

using Labels = std::map<std::string, std::string, std::less<>>;

/// One set of identical pods a workload runs: a Deployment's pods, or one group of an operator's custom
/// resource (the brokers of a Kafka, one node set of an Elasticsearch).
struct PodGroup {
  std::string name;                  ///< "" for built-in workloads; the operator's group ("kafka", a node set)
  const yaml::Node* spec = nullptr;  ///< its PodSpec; for custom resources built from the resource's own nodes
  int64_t replicas = 1;
  Labels labels;  ///< the pods' labels, when known
};

/// The pods an operator creates for a custom resource (k8s/operator_pods.h reads them). The synthetic PodSpec
/// mappings live in `arena`; their children are the resource's own nodes, so every span points at its lines.
struct OperatorPods {
  yaml::Arena arena;
  std::shared_ptr<const yaml::Arena> source;  ///< keeps the resource's nodes alive
  std::vector<PodGroup> groups;
};

struct Object {
  yaml::Node root;  ///< the whole document (mapping)
  std::shared_ptr<const yaml::Arena> storage;  ///< owns the text and children of root's tree
  std::string api_version;
  std::string kind;
  std::string name;
  std::string name_space;  ///< effective namespace: explicit, else "default" for namespaced kinds, "" otherwise
  bool namespace_explicit = false;
  Labels labels;
  Labels annotations;
  const SourceFile* file = nullptr;
  uint32_t doc_index = 0;
  std::vector<std::string> app_chain;  ///< Argo CD applications that produced it (outermost first)
  /// Sync wave of each application of app_chain (the Application object's wave in its parent's sync), and
  /// where each is written (its sync-wave annotation, else its name).
  std::vector<int64_t> app_waves;
  std::vector<Span> app_wave_spans;
  /// The namespace the deploying application creates (CreateNamespace=true), "" when none.
  std::string app_creates_namespace;
  /// The environment it is deployed to when sibling overlays (dev/prod) build the same objects; empty
  /// for objects every environment shares. Each environment is checked as its own cluster.
  std::string scope;
  /// What it was loaded or rendered from: its file, or the kustomization or chart directory that built it.
  std::string origin;
  /// Set for custom resources an operator turns into pods (RabbitmqCluster, Kafka, ...): their pod groups.
  std::shared_ptr<const OperatorPods> operator_pods;

  ObjectRef ref() const { return ObjectRef{api_version, kind, name_space, name}; }
  std::string_view group() const;  ///< "" for the core group
  const yaml::Node* metadata() const { return root.get("metadata"); }
  /// The node to point at for findings about the whole object: metadata.name (or, when a renderer set the
  /// name in another file, the `kind` of the file that defines the object), else metadata, else root.
  const yaml::Node& anchor() const;
  std::optional<std::string_view> annotation(std::string_view key) const;
};

/// The API group of an apiVersion ("apps" of "apps/v1"; "" for the core group's "v1").
std::string_view api_group(std::string_view api_version);

/// Builds an Object from a document; nullopt when it has no apiVersion/kind (not a Kubernetes object).
std::optional<Object> make_object(yaml::Document doc);

/// Parses a sync wave the way Argo CD does (Go's strconv.Atoi): an optional sign and decimal digits only.
std::optional<int64_t> parse_sync_wave(std::string_view text);

/// Cluster-scoped kinds known to the tool (Namespace, Node, ClusterRole, CRD, StorageClass, ...).
bool is_cluster_scoped(std::string_view kind);

/// Kinds whose pod template we understand; kOperator: a custom resource with operator_pods.
enum class WorkloadKind {
  kNone,
  kPod,
  kDeployment,
  kStatefulSet,
  kDaemonSet,
  kReplicaSet,
  kJob,
  kCronJob,
  kReplicationController,
  kOperator
};
WorkloadKind workload_kind(const Object& o);
inline bool is_workload(const Object& o) { return workload_kind(o) != WorkloadKind::kNone; }

/// The PodSpec node of a workload (spec.template.spec, spec.jobTemplate.spec.template.spec, or spec for Pod;
/// for an operator's custom resource, the first pod group's synthetic spec).
const yaml::Node* pod_spec(const Object& o);
/// The pod template metadata labels of a workload (spec.template.metadata.labels), or the Pod's labels.
Labels pod_labels(const Object& o);
/// Replicas of a workload (spec.replicas, default 1; Jobs: parallelism; DaemonSet: 1 per node; CronJob: 1).
int64_t replicas(const Object& o);
/// Every pod group of a workload: one for built-in kinds (named ""), one or more for operator custom
/// resources, none for other objects.
std::vector<PodGroup> pod_groups(const Object& o);

/// Reads a mapping of string -> string (labels, nodeSelector). Non-string values are stringified.
Labels read_string_map(const yaml::Node* node);

}  // namespace gl::k8s
