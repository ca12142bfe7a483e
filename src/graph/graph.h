#pragma once
// The cross-reference graph: objects and nodes with typed edges, plus the indexes rules need.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/source.h"
#include "k8s/inventory.h"
#include "k8s/object.h"

namespace gl::graph {

enum class EdgeKind {
  kSelects,      ///< Service/NetworkPolicy/PDB -> workload; HPA -> its scale target
  kSchedulesOn,  ///< workload -> node its placement admits (taints not considered; see Edge::tolerated)
  kMounts,       ///< workload -> ConfigMap/Secret/PVC volume
  kReferences,   ///< workload -> ConfigMap/Secret (env), ServiceAccount, PriorityClass; PVC -> StorageClass;
                 ///< custom resource -> CRD; namespaced object -> Namespace; Secret -> SealedSecret/ExternalSecret
  kTalksTo,      ///< workload -> Service it connects to (env or ConfigMap value)
};
std::string_view to_string(EdgeKind k);

struct Edge {
  EdgeKind kind;
  uint32_t from = 0;  ///< object index
  uint32_t to = 0;    ///< object index, or node index for kSchedulesOn
  Span evidence;      ///< where the reference is written (env value, volume name, selector)
  std::string detail; ///< e.g. "env DATABASE_URL", "volume config"
  std::optional<int> port;  ///< talks-to: the port named, if any
  bool tolerated = true;    ///< schedules-on: the pod tolerates the node's NoSchedule/NoExecute taints
};

/// A talks-to whose host names no Service of the repository.
struct UnresolvedTalk {
  uint32_t from = 0;
  std::string host;
  std::optional<int> port;
  std::string scheme;
  Span evidence;
  std::string detail;
  bool in_cluster = false;  ///< the host is certainly an in-cluster DNS name (`*.svc[.cluster.local]` or `svc.<known ns>`)
};

struct GraphOptions {
  /// port -> datastore kind ("postgresql", "redis", ...)
  std::map<int, std::string> datastore_ports;
  /// image substring -> datastore kind
  std::vector<std::pair<std::string, std::string>> datastore_images;
  /// URL scheme -> datastore kind
  std::map<std::string, std::string, std::less<>> datastore_schemes;
  static GraphOptions defaults();
};

class Graph {
 public:
  std::vector<k8s::Object> objects;
  k8s::Inventory inventory;
  std::vector<Edge> edges;
  std::vector<UnresolvedTalk> unresolved_talks;

  const std::vector<k8s::NodeInfo>& nodes() const { return inventory.nodes; }
  bool has_inventory() const { return !inventory.nodes.empty(); }

  /// Object index by (kind, namespace, name); namespace "" for cluster-scoped kinds.
  std::optional<uint32_t> find(std::string_view kind, std::string_view ns, std::string_view name) const;
  /// Indices of objects of a kind, in object order.
  const std::vector<uint32_t>& of_kind(std::string_view kind) const;
  /// Edge indices leaving / entering an object.
  std::span<const uint32_t> out_edges(uint32_t object) const;
  std::span<const uint32_t> in_edges(uint32_t object) const;
  /// The datastore kind of a Service ("postgresql", "redis", ...), if it is one.
  std::optional<std::string_view> datastore_kind(uint32_t service) const;
  /// Namespaces that appear in the repository (declared or used).
  bool knows_namespace(std::string_view ns) const;
  /// Pod template labels of a workload (empty for other objects), computed once.
  const k8s::Labels& pod_labels(uint32_t object) const;

  // Filled by build_graph.
  /// Orders (kind, namespace, name) keys and looks them up by string_views without allocating.
  using IdView = std::tuple<std::string_view, std::string_view, std::string_view>;
  struct IdLess {
    using is_transparent = void;
    static IdView view(const IdView& v) { return v; }
    static IdView view(const std::tuple<std::string, std::string, std::string>& t) {
      return {std::get<0>(t), std::get<1>(t), std::get<2>(t)};
    }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return view(a) < view(b);
    }
  };
  std::map<std::tuple<std::string, std::string, std::string>, uint32_t, IdLess> by_id_;
  std::map<std::string, std::vector<uint32_t>, std::less<>> by_kind_;
  // Per-object edge lists in one array each: object i's edges are ids_[first_[i]..first_[i + 1]).
  std::vector<uint32_t> out_ids_;
  std::vector<uint32_t> out_first_;
  std::vector<uint32_t> in_ids_;
  std::vector<uint32_t> in_first_;
  std::map<uint32_t, std::string> datastores_;
  std::map<std::string, bool, std::less<>> namespaces_;
  std::vector<k8s::Labels> pod_labels_;
};

/// Builds indexes and edges on up to `threads` threads (0 = all cores). Deterministic: edges are ordered by
/// (from, kind, to, evidence), whatever the thread count.
Graph build_graph(std::vector<k8s::Object> objects, k8s::Inventory inventory, const GraphOptions& options,
                  unsigned threads = 1);

}  // namespace gl::graph
