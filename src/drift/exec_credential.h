#pragma once
// Exec credential plugins (client.authentication.k8s.io v1 and v1beta1): run the command a kubeconfig user
// names, as kubectl does, and read the ExecCredential it prints. Tokens are never printed.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "drift/kubeconfig.h"

namespace gl::drift {

/// What a plugin returned: a bearer token and/or a client certificate and key (PEM).
struct ExecCredential {
  std::string token;
  std::string client_certificate_data;
  std::string client_key_data;
  std::string expiration;  ///< status.expirationTimestamp (RFC 3339), "" when the credential does not expire
};

struct ExecRunOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};  ///< the plugin is killed after this
  size_t max_output = size_t{1} << 20;                          ///< bytes of stdout accepted
};

/// The KUBERNETES_EXEC_INFO value kubectl passes: the ExecCredential request (never interactive here), with the
/// cluster (server, CA data, TLS and proxy settings) when the plugin asks for it with provideClusterInfo.
std::string exec_info_json(const ExecConfig& exec, const ClusterAccess& cluster);

/// Parses a plugin's stdout. Throws FatalError (never quoting the output) when it is not an ExecCredential of
/// the requested apiVersion with a token or a certificate and key.
ExecCredential parse_exec_credential(std::string_view output, const ExecConfig& exec);

/// Runs the plugin without a shell or a terminal (stdin is /dev/null): environment = this process's + the
/// plugin's `env` + KUBERNETES_EXEC_INFO. Throws FatalError when it is not found (with its installHint), fails
/// (with the last lines of its stderr), times out, needs a terminal (interactiveMode Always) or prints bad JSON.
ExecCredential run_exec_plugin(const ExecConfig& exec, const ClusterAccess& cluster,
                               const ExecRunOptions& options = {});

}  // namespace gl::drift
