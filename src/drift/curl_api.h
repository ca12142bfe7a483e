#pragma once
// libcurl, loaded when the first request is made rather than when the program starts: linking it drags in
// about twenty shared libraries (TLS, HTTP/2, IDN, LDAP, Kerberos), which doubled the start-up time of every
// command (measured: `gitops-lint rules` 4.7 ms -> 9.9 ms) although only `drift` and `check --kubeconfig` use it.
#include <curl/curl.h>

namespace gl::drift {

/// The libcurl functions this tool calls, resolved from the shared library.
struct CurlApi {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_reset) easy_reset = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_free) free = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
  decltype(&curl_url) url = nullptr;
  decltype(&curl_url_cleanup) url_cleanup = nullptr;
  decltype(&curl_url_get) url_get = nullptr;
  decltype(&curl_url_set) url_set = nullptr;
  decltype(&curl_url_strerror) url_strerror = nullptr;
};

/// libcurl, loaded (and curl_global_init run) on the first call; thread-safe. Throws FatalError naming the
/// package to install when the library or one of its functions cannot be found.
const CurlApi& curl_api();

}  // namespace gl::drift
