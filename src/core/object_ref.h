#pragma once
#include <string>

namespace gl {

/// Identifies a Kubernetes object in reports. Lives in core so diag and report need not know k8s.
struct ObjectRef {
  std::string api_version;
  std::string kind;
  std::string name_space;  ///< empty for cluster-scoped objects
  std::string name;
  friend bool operator==(const ObjectRef&, const ObjectRef&) = default;
  friend auto operator<=>(const ObjectRef&, const ObjectRef&) = default;
  /// "kind/ns/name" or "kind/name".
  std::string display() const {
    return name_space.empty() ? kind + "/" + name : kind + "/" + name_space + "/" + name;
  }
};

}  // namespace gl
