#pragma once
// A small libcurl client that can only GET (there is no API taking a method): TLS from the kubeconfig, bearer
// token or basic auth, proxy, timeouts, and retries with exponential backoff for connection errors, 429 and 5xx.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gl::drift {

/// Where and how to connect. PEM contents, not file names (the caller reads files, so errors name them).
struct HttpTarget {
  std::string server;  ///< https://host:port, optionally with a path prefix
  std::string ca_pem;  ///< "" = the system's trust store
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;  ///< name checked in the server's certificate and sent as SNI
  std::string proxy_url;        ///< "" = libcurl's own HTTPS_PROXY / NO_PROXY handling
  std::string client_certificate_pem;
  std::string client_key_pem;
  std::string bearer_token;
  std::string username;
  std::string password;
  std::string impersonate_user;
  std::string impersonate_uid;
  std::vector<std::string> impersonate_groups;
};

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};        ///< one attempt, transfer included
  int max_attempts = 4;                                               ///< attempts per request, retries included
  std::chrono::milliseconds backoff{std::chrono::milliseconds(250)};  ///< first retry delay, doubled each time
  std::chrono::milliseconds max_backoff{std::chrono::seconds(10)};    ///< cap, also for Retry-After
  size_t max_body = size_t{1} << 30;                                  ///< larger responses fail
};

struct HttpResponse {
  long status = 0;    ///< HTTP status, 0 when no response arrived
  std::string body;   ///< the response body (also for error statuses)
  std::string error;  ///< why no response arrived (status 0)
  bool timed_out = false;
  int attempts = 0;
};

class HttpClient {
 public:
  /// Throws FatalError when the server URL is malformed or libcurl cannot be set up.
  HttpClient(HttpTarget target, HttpOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// GETs `path_and_query` ("/api/v1/pods?limit=500") below the server URL, retrying transient failures.
  /// Redirects are never followed (a 3xx is returned as it is).
  HttpResponse get(std::string_view path_and_query);

  /// Replaces the bearer token and client certificate (after an exec plugin ran again).
  void set_credentials(std::string bearer_token, std::string client_certificate_pem, std::string client_key_pem);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// "403 Forbidden" style text for a status code.
std::string status_text(long status);

/// Percent-encodes a query parameter value.
std::string url_encode(std::string_view value);

}  // namespace gl::drift
