#include "drift/http.h"

#include "drift/curl_api.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "core/error.h"

namespace gl::drift {

namespace {

const char* const kUserAgent = "gitops-lint-drift/0.1 (read-only)";

void global_init() { curl_api(); }

/// Transport failures worth another attempt: the server may be restarting, overloaded or briefly unreachable.
bool retryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

bool retryable_status(long status) { return status == 429 || (status >= 500 && status != 501 && status <= 599); }

struct Body {
  std::string* text;
  size_t max;
  bool too_big = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const size_t n = size * count;
  if (body->text->size() + n > body->max) {
    body->too_big = true;
    return 0;
  }
  body->text->append(data, n);
  return n;
}

std::string url_part(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_api().url_get(url, part, &value, flags) != CURLUE_OK || value == nullptr) return "";
  std::string out(value);
  curl_api().free(value);
  return out;
}

}  // namespace

struct HttpClient::Impl {
  HttpTarget target;
  HttpOptions options;
  CURL* curl = nullptr;
  std::string base;        ///< the URL requests are made to, without a trailing '/'
  std::string connect_to;  ///< "name:port:host:port" when tls-server-name differs from the server's host
  std::string host_header;

  ~Impl() {
    if (curl != nullptr) curl_api().easy_cleanup(curl);
  }

  void parse_server() {
    CURLU* url = curl_api().url();
    const CURLUcode rc = curl_api().url_set(url, CURLUPART_URL, target.server.c_str(), 0);
    if (rc != CURLUE_OK) {
      curl_api().url_cleanup(url);
      throw FatalError(
          fmt::format("the kubeconfig's server `{}` is not a URL ({})", target.server, curl_api().url_strerror(rc)));
    }
    const std::string scheme = url_part(url, CURLUPART_SCHEME);
    const std::string host = url_part(url, CURLUPART_HOST);
    const std::string port = url_part(url, CURLUPART_PORT, CURLU_DEFAULT_PORT);
    std::string path = url_part(url, CURLUPART_PATH);
    curl_api().url_cleanup(url);
    if (scheme != "https" && scheme != "http") {
      throw FatalError(fmt::format("the kubeconfig's server `{}` is not an https:// URL", target.server));
    }
    while (!path.empty() && path.back() == '/') path.pop_back();
    if (!target.tls_server_name.empty() && target.tls_server_name != host) {
      // libcurl checks the certificate against the URL's host: address the URL to the TLS name and connect to
      // the real host, sending the Host header kubectl would send.
      base = fmt::format("{}://{}:{}{}", scheme, target.tls_server_name, port, path);
      connect_to = fmt::format("{}:{}:{}:{}", target.tls_server_name, port, host, port);
      host_header = fmt::format("Host: {}:{}", host, port);
    } else {
      base = fmt::format("{}://{}:{}{}", scheme, host, port, path);
    }
  }
};

HttpClient::HttpClient(HttpTarget target, HttpOptions options) : impl_(std::make_unique<Impl>()) {
  global_init();
  impl_->target = std::move(target);
  impl_->options = options;
  impl_->parse_server();
  impl_->curl = curl_api().easy_init();
  if (impl_->curl == nullptr) throw FatalError("cannot initialise libcurl");
}

HttpClient::~HttpClient() = default;

void HttpClient::set_credentials(std::string bearer_token, std::string client_certificate_pem,
                                 std::string client_key_pem) {
  impl_->target.bearer_token = std::move(bearer_token);
  impl_->target.client_certificate_pem = std::move(client_certificate_pem);
  impl_->target.client_key_pem = std::move(client_key_pem);
}

HttpResponse HttpClient::get(std::string_view path_and_query) {
  Impl& im = *impl_;
  const HttpTarget& t = im.target;
  CURL* c = im.curl;
  const std::string url = im.base + std::string(path_and_query);
  HttpResponse response;
  auto delay = im.options.backoff;
  for (int attempt = 1;; ++attempt) {
    response = HttpResponse{};
    response.attempts = attempt;
    curl_api().easy_reset(c);
    char errbuf[CURL_ERROR_SIZE] = {};
    Body body{&response.body, im.options.max_body};
    curl_api().easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_api().easy_setopt(c, CURLOPT_HTTPGET, 1L);
    curl_api().easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_api().easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_api().easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_api().easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_api().easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_api().easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_api().easy_setopt(c, CURLOPT_USERAGENT, kUserAgent);
    curl_api().easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_api().easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(im.options.connect_timeout.count()));
    curl_api().easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(im.options.timeout.count()));
    curl_slist* connect_to = nullptr;
    if (!im.connect_to.empty()) {
      connect_to = curl_api().slist_append(connect_to, im.connect_to.c_str());
      curl_api().easy_setopt(c, CURLOPT_CONNECT_TO, connect_to);
    }
    if (!t.ca_pem.empty()) {
      curl_blob blob{const_cast<char*>(t.ca_pem.data()), t.ca_pem.size(), CURL_BLOB_COPY};
      curl_api().easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
    }
    if (t.insecure_skip_tls_verify) {
      curl_api().easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_api().easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!t.client_certificate_pem.empty()) {
      curl_blob cert{const_cast<char*>(t.client_certificate_pem.data()), t.client_certificate_pem.size(),
                     CURL_BLOB_COPY};
      curl_blob key{const_cast<char*>(t.client_key_pem.data()), t.client_key_pem.size(), CURL_BLOB_COPY};
      curl_api().easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cert);
      curl_api().easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
      curl_api().easy_setopt(c, CURLOPT_SSLKEY_BLOB, &key);
      curl_api().easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
    }
    if (!t.proxy_url.empty()) {
      // The kubeconfig's proxy-url applies to every request to that cluster, NO_PROXY notwithstanding (as in kubectl).
      curl_api().easy_setopt(c, CURLOPT_PROXY, t.proxy_url.c_str());
      curl_api().easy_setopt(c, CURLOPT_NOPROXY, "");
    }
    curl_slist* headers = nullptr;
    headers = curl_api().slist_append(headers, "Accept: application/json");
    if (!im.host_header.empty()) headers = curl_api().slist_append(headers, im.host_header.c_str());
    std::string auth;
    if (!t.bearer_token.empty()) {
      auth = "Authorization: Bearer " + t.bearer_token;
      headers = curl_api().slist_append(headers, auth.c_str());
    } else if (!t.username.empty() || !t.password.empty()) {
      curl_api().easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_api().easy_setopt(c, CURLOPT_USERNAME, t.username.c_str());
      curl_api().easy_setopt(c, CURLOPT_PASSWORD, t.password.c_str());
    }
    std::vector<std::string> impersonation;
    if (!t.impersonate_user.empty()) impersonation.push_back("Impersonate-User: " + t.impersonate_user);
    if (!t.impersonate_uid.empty()) impersonation.push_back("Impersonate-Uid: " + t.impersonate_uid);
    for (const auto& g : t.impersonate_groups) impersonation.push_back("Impersonate-Group: " + g);
    for (const auto& h : impersonation) headers = curl_api().slist_append(headers, h.c_str());
    curl_api().easy_setopt(c, CURLOPT_HTTPHEADER, headers);

    const CURLcode rc = curl_api().easy_perform(c);
    curl_api().easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
    // The token lives in the header list and in `auth`; drop both from libcurl's hands right away.
    curl_api().easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
    curl_api().slist_free_all(headers);
    std::fill(auth.begin(), auth.end(), '\0');
    curl_api().easy_setopt(c, CURLOPT_CONNECT_TO, nullptr);
    curl_api().slist_free_all(connect_to);
    curl_off_t retry_after = -1;
    bool retry = false;
    if (rc == CURLE_OK) {
      curl_api().easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
      if (retryable_status(response.status)) {
        retry = true;
        curl_api().easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry_after);
      }
    } else {
      response.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
      if (body.too_big) {
        response.error = fmt::format("response larger than {} bytes", im.options.max_body);
      } else {
        response.error = errbuf[0] != '\0' ? std::string(errbuf) : std::string(curl_api().easy_strerror(rc));
        retry = retryable(rc);
      }
    }
    if (!retry || attempt >= im.options.max_attempts) break;
    auto wait = delay;
    if (retry_after > 0) {
      wait = std::max(wait, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::seconds(retry_after)));
    }
    wait = std::min(wait, im.options.max_backoff);
    std::this_thread::sleep_for(wait);
    delay = std::min(delay * 2, im.options.max_backoff);
  }
  return response;
}

std::string status_text(long status) {
  static constexpr std::pair<long, const char*> kReasons[] = {{200, "OK"},
                                                              {301, "Moved Permanently"},
                                                              {302, "Found"},
                                                              {307, "Temporary Redirect"},
                                                              {308, "Permanent Redirect"},
                                                              {400, "Bad Request"},
                                                              {401, "Unauthorized"},
                                                              {403, "Forbidden"},
                                                              {404, "Not Found"},
                                                              {405, "Method Not Allowed"},
                                                              {406, "Not Acceptable"},
                                                              {410, "Gone"},
                                                              {429, "Too Many Requests"},
                                                              {500, "Internal Server Error"},
                                                              {502, "Bad Gateway"},
                                                              {503, "Service Unavailable"},
                                                              {504, "Gateway Timeout"}};
  for (const auto& [code, reason] : kReasons) {
    if (code == status) return fmt::format("{} {}", status, reason);
  }
  return fmt::format("HTTP {}", status);
}

std::string url_encode(std::string_view value) {
  std::string out;
  for (const unsigned char ch : value) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
        ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += fmt::format("%{:02X}", ch);
    }
  }
  return out;
}

}  // namespace gl::drift
