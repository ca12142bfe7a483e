#pragma once
// Desired (rendered from Git) against live (from the cluster): which objects are missing, extra or modified,
// field by field, compared as Argo CD's diff does: only the fields Git sets, list items by their merge key,
// quantities and int-or-string values by meaning, Secret values never shown.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/source.h"
#include "drift/live.h"
#include "k8s/object.h"

namespace gl::drift {

/// One step of a field path: a mapping key, or a list item (its index in Git, and its merge key when the
/// list is matched by one, such as a container's name).
struct PathStep {
  std::string key;     ///< mapping key; empty for a list item
  long index = -1;     ///< list item index (in the desired list; in the live list for live-only items)
  std::string item_key;    ///< merge key field of the item ("name", "mountPath", ...), or empty
  std::string item_value;  ///< its value
};
using FieldPath = std::vector<PathStep>;

/// The path as a JSON pointer (`/spec/template/spec/containers/0/image`).
std::string to_pointer(const FieldPath& path);

/// What to leave out of the comparison: an Application's spec.ignoreDifferences entry, or one from the config.
struct Ignore {
  std::string group;       ///< "" = core; "*" = every group
  std::string kind;        ///< "*" = every kind
  std::string name;        ///< "" = every name
  std::string name_space;  ///< "" = every namespace
  std::vector<std::string> json_pointers;
  std::vector<std::string> jq_path_expressions;  ///< simple paths: `.a.b`, `.a[]`, `.a[0]`, `.a["k"]`, `select(.name == "x")`
  std::vector<std::string> managed_fields_managers;
  std::string application;  ///< the Application it belongs to; "" = every object (config)
};

/// Checks jq path expressions; returns an error message for one this tool cannot evaluate, else "".
std::string check_jq_path(std::string_view expression);

struct FieldDiff {
  FieldPath path;
  std::optional<nlohmann::json> desired;  ///< nullopt: Git does not set it (an item only live)
  std::optional<nlohmann::json> live;     ///< nullopt: not in the live object
  Span at;              ///< the desired value's line
  bool secret = false;  ///< a Secret's data: values are fingerprints (`sha256:0123abcd`), never the data
};

enum class Status { kInSync, kModified, kMissing, kExtra };
std::string_view to_string(Status s);

struct ObjectDrift {
  Status status = Status::kInSync;
  std::string api_version;
  std::string kind;
  std::string name_space;
  std::string name;
  std::vector<std::string> app_chain;  ///< desired: the applications that deploy it; extra: the app that owned it
  Span at;                             ///< the desired object's anchor (its name line)
  std::vector<FieldDiff> diffs;        ///< modified only
  size_t ignored = 0;                  ///< differences left out by ignoreDifferences
  const k8s::Object* desired = nullptr;
  const LiveObject* live = nullptr;
  std::string application() const { return app_chain.empty() ? std::string() : app_chain.back(); }
};

/// Live nodes against the workloads' node selectors.
struct NodeDrift {
  enum class What { kUnselectedNode, kUnmatchedSelector };
  What what = What::kUnselectedNode;
  std::string node;      ///< kUnselectedNode: the live node
  std::string workload;  ///< kUnmatchedSelector: "Deployment ns/name"
  std::string selector;  ///< the labels involved ("role=api")
  Span at;               ///< the workload's nodeSelector line
  std::vector<std::string> app_chain;
};

struct DriftOptions {
  std::vector<Ignore> ignores;
  /// Application names of this repository: live objects that carry one as their instance label or tracking id,
  /// but are not in Git, are extra.
  std::vector<std::string> applications;
  /// Where each application is written: extra objects point there (they have no line in Git).
  std::map<std::string, Span, std::less<>> application_spans;
};

struct Summary {
  size_t missing = 0;
  size_t extra = 0;
  size_t modified = 0;
  size_t in_sync = 0;
};

struct DriftResult {
  std::vector<ObjectDrift> objects;  ///< every compared object (in sync too), sorted by application, kind, namespace, name
  std::vector<NodeDrift> nodes;
  Summary summary;
  std::vector<std::string> notes;
};

/// Compares. `desired` are the objects Git deploys (hooks and Node objects are left out here).
DriftResult compare(const std::vector<const k8s::Object*>& desired, const LiveSet& live, const DriftOptions& options);

/// A short, stable fingerprint of a secret value: `sha256:` and the first 8 hex digits of its digest.
std::string fingerprint(std::string_view value);

}  // namespace gl::drift
