#pragma once
// Live objects: what a cluster runs, read from the Kubernetes API or from `kubectl get -o json|yaml` dumps.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gl::drift {

/// One object as the API server returned it.
struct LiveObject {
  std::string api_version;
  std::string kind;
  std::string name_space;  ///< "" for cluster-scoped objects
  std::string name;
  nlohmann::json body;  ///< the whole object (metadata, spec, status, ...)
};

/// Everything read from one live source.
struct LiveSet {
  std::vector<LiveObject> objects;
  /// Kinds that could not be read (403, 404, timeouts) and other things the report should say; the run goes on.
  std::vector<std::string> notes;
  std::string description;  ///< "cluster https://10.0.0.1:6443 (context prod)" or "files live.json"
  /// Kinds (as "group/Kind", "Kind" for the core group) whose every object was read: an object of such a kind
  /// that is in Git but not here is missing; for other kinds nothing can be said.
  std::vector<std::string> complete_kinds;
};

}  // namespace gl::drift
