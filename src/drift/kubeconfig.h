#pragma once
// kubeconfig files -> the server, TLS settings and credentials of one context, found by kubectl's rules:
// `--kubeconfig FILE` alone, else the $KUBECONFIG list merged (the first file to set an entry wins), else
// ~/.kube/config. Relative paths in a file are relative to that file's directory.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/source.h"

namespace gl::drift {

/// A credential plugin (`users[].user.exec`), such as `aws eks get-token`.
struct ExecConfig {
  std::string command;  ///< a bare name is looked up in PATH; a relative path is already made absolute
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  ///< added to this process's environment
  std::string api_version;                               ///< client.authentication.k8s.io/v1 or v1beta1
  std::string install_hint;                              ///< shown when the command is not found
  std::string interactive_mode;                          ///< Never, IfAvailable or Always ("" = IfAvailable)
  bool provide_cluster_info = false;                     ///< pass the cluster in KUBERNETES_EXEC_INFO
};

/// Everything needed to reach the API server of one context. File paths are absolute or as written when the
/// kubeconfig itself was given by a relative path; `*_data` fields hold decoded PEM.
struct ClusterAccess {
  std::string context;  ///< context name
  std::string cluster;  ///< cluster entry name
  std::string user;     ///< user entry name
  std::string server;   ///< https://host:port[/prefix]
  std::string ca_file;
  std::string ca_data;
  bool insecure_skip_tls_verify = false;  ///< honoured only when the kubeconfig says `true`
  std::string tls_server_name;
  std::string proxy_url;
  std::string token;
  std::string token_file;
  std::string client_certificate_file;
  std::string client_certificate_data;
  std::string client_key_file;
  std::string client_key_data;
  std::string username;  ///< basic auth (rare)
  std::string password;
  std::string impersonate_user;                 ///< `as`
  std::string impersonate_uid;                  ///< `as-uid`
  std::vector<std::string> impersonate_groups;  ///< `as-groups`
  std::optional<ExecConfig> exec;
  std::string origin;  ///< "file:line" of the context entry, for error messages
};

/// One named entry of a kubeconfig list (`clusters`, `users` or `contexts`) with where it was written.
struct KubeconfigEntry {
  std::string origin;                         ///< "file:line"
  std::map<std::string, std::string> fields;  ///< scalar fields ("server", "token", "cluster", ...)
  std::vector<std::string> as_groups;
  std::optional<ExecConfig> exec;
  std::string exec_error;  ///< a malformed `exec` stanza, reported only when the user entry is used
  bool has_auth_provider = false;
  std::string auth_provider_name;
};

/// The merged content of one or more kubeconfig files.
struct Kubeconfig {
  std::map<std::string, KubeconfigEntry> clusters;
  std::map<std::string, KubeconfigEntry> users;
  std::map<std::string, KubeconfigEntry> contexts;
  std::string current_context;
  std::vector<std::string> files;  ///< the files read, in order
};

/// Parses one kubeconfig. `base_dir` resolves relative file paths ("" keeps them as written). Throws
/// FatalError with file:line on malformed YAML or fields of the wrong shape.
Kubeconfig parse_kubeconfig(const SourceFile& file, std::string_view base_dir);

/// Merges `later` into `into` with kubectl's rule: the first file to set a map entry or current-context wins.
void merge_kubeconfig(Kubeconfig& into, Kubeconfig&& later);

/// The access settings of `context` ("" = current-context). Throws FatalError when the context, its cluster
/// or its user is missing, when an auth-provider is configured, or when credentials are contradictory.
ClusterAccess select_context(const Kubeconfig& config, std::string_view context);

/// The files kubectl would read: the flag alone, else the $KUBECONFIG list (empty entries dropped,
/// duplicates once), else $HOME/.kube/config. `env_kubeconfig`/`home` may be null (unset).
std::vector<std::string> kubeconfig_paths(const std::optional<std::string>& flag, const char* env_kubeconfig,
                                          const char* home);

/// The pod's own service account, as client-go's in-cluster config reads it: KUBERNETES_SERVICE_HOST/PORT and the
/// token and CA in /var/run/secrets/kubernetes.io/serviceaccount (GITOPS_LINT_SERVICEACCOUNT_DIR replaces that
/// directory, for tests). Nullopt outside a pod.
std::optional<ClusterAccess> in_cluster_access();

/// Reads, merges and selects as kubectl does (with no kubeconfig at all, inside a pod: in_cluster_access()): a file named by the flag must exist; files of the $KUBECONFIG
/// list that do not exist are skipped. Throws FatalError when nothing usable is found.
ClusterAccess load_cluster_access(const std::optional<std::string>& kubeconfig,
                                  const std::optional<std::string>& context);

}  // namespace gl::drift
