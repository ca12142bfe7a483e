#pragma once
// Reading a live cluster over the Kubernetes API, read-only: discovery (/api, /apis) maps kinds to resources,
// then each kind is listed across all namespaces with pagination. Only GET requests are ever made.
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drift/exec_credential.h"
#include "drift/http.h"
#include "drift/kubeconfig.h"
#include "drift/live.h"

namespace gl::drift {

struct ClientOptions {
  size_t page_size = 500;  ///< `limit` of each list request
  HttpOptions http;
  ExecRunOptions exec;
};

/// One resource an API group version serves (an entry of an APIResourceList).
struct ApiResource {
  std::string group;  ///< "" for the core group
  std::string version;
  std::string kind;
  std::string name;  ///< plural resource name, used in URLs
  bool namespaced = false;
  bool preferred = false;  ///< served by the group's preferred version
  std::vector<std::string> verbs;

  /// "apps/v1", or "v1" for the core group.
  std::string api_version() const;
  /// "apps/Deployment", or "Service" for the core group (LiveSet.complete_kinds naming).
  std::string key() const;
  bool can(std::string_view verb) const;
};

/// The objects of one kind, or why they could not be read.
struct ListResult {
  bool ok = false;
  std::vector<LiveObject> objects;
  std::string note;  ///< when !ok: "cannot list `secrets` (403 Forbidden: ...)"
};

class ClusterClient {
 public:
  /// Reads the token file, certificate and key files, runs the exec plugin if the user has one. Throws
  /// FatalError when a file cannot be read or the plugin fails.
  explicit ClusterClient(ClusterAccess access, ClientOptions options = {});
  ~ClusterClient();
  ClusterClient(const ClusterClient&) = delete;
  ClusterClient& operator=(const ClusterClient&) = delete;

  /// "cluster https://10.0.0.1:6443 (context prod)".
  std::string description() const;
  const ClusterAccess& access() const { return access_; }

  /// Every resource of the core group and of each group's preferred version (discovered once), plus those of
  /// other versions find() looked at. find() alone discovers only the group it is asked about. Throws FatalError
  /// on 401 or when /api or /apis cannot be read; a group version that fails is a note.
  const std::deque<ApiResource>& resources();
  /// Notes about group versions whose discovery failed ("cannot discover `metrics.k8s.io/v1beta1` (503 ...)").
  const std::vector<std::string>& discovery_notes();
  /// The resource serving "group/Kind" ("Kind" for core): the preferred version, else another served version.
  /// Null when the cluster does not serve it (or its group could not be discovered: see group_failed).
  const ApiResource* find(std::string_view kind_key);
  /// True when the discovery of `group` failed, so absence from find() means nothing.
  bool group_failed(std::string_view group) const;

  /// Lists every object of `resource` in all namespaces, page by page (a 410 Gone on a continue token restarts
  /// the list once). 401 throws FatalError; 403, 404, timeouts and server errors return a note.
  ListResult list(const ApiResource& resource);

 private:
  struct Group;
  struct Fetched {
    long status = 0;
    std::string error;  ///< "" when ok
    std::optional<nlohmann::json> json;
  };
  Fetched fetch(const std::string& path);
  void discover();
  void discover_version(Group& group, const std::string& group_version, bool preferred);
  void ensure_preferred(Group& group);
  [[noreturn]] void unauthorized(const std::string& detail) const;

  ClusterAccess access_;
  ClientOptions options_;
  std::unique_ptr<HttpClient> http_;
  bool discovered_ = false;
  bool credentials_refreshed_ = false;
  std::deque<ApiResource> resources_;  ///< a deque: find() hands out pointers while it grows
  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<std::string> discovery_notes_;
};

/// Lists `kinds` ("group/Kind", "Kind" for core) in all namespaces, plus with `all_kinds` every discovered
/// resource that can be listed (events and subresources left out). Kinds read fully go to complete_kinds; a kind
/// that cannot be read is a note; a kind the cluster does not serve is complete (nothing of it exists) and noted.
/// Objects are sorted by kind, namespace and name.
LiveSet read_cluster(ClusterClient& client, const std::vector<std::string>& kinds, bool all_kinds);

/// The cluster's Nodes (core/Node), sorted by name. When they cannot be listed, returns none and adds the
/// reason to `notes` (if given).
std::vector<LiveObject> read_nodes(ClusterClient& client, std::vector<std::string>* notes = nullptr);

}  // namespace gl::drift
