#include "drift/curl_api.h"

#include <dlfcn.h>

#include <string>

#include <fmt/format.h>

#include "core/error.h"

namespace gl::drift {

namespace {

CurlApi load() {
  void* lib = nullptr;
  for (const char* name : {"libcurl.so.4", "libcurl.so"}) {
    lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (lib != nullptr) break;
  }
  if (lib == nullptr) {
    const char* why = dlerror();
    throw FatalError(fmt::format("cannot load libcurl ({}); install the `libcurl4` package to read a cluster",
                                 why != nullptr ? why : "not found"));
  }
  CurlApi api;
  auto bind = [&](auto& fn, const char* symbol) {
    void* p = dlsym(lib, symbol);
    if (p == nullptr) throw FatalError(fmt::format("libcurl has no `{}`: it is older than 7.78", symbol));
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(p);
  };
  bind(api.global_init, "curl_global_init");
  bind(api.easy_init, "curl_easy_init");
  bind(api.easy_cleanup, "curl_easy_cleanup");
  bind(api.easy_reset, "curl_easy_reset");
  bind(api.easy_setopt, "curl_easy_setopt");
  bind(api.easy_getinfo, "curl_easy_getinfo");
  bind(api.easy_perform, "curl_easy_perform");
  bind(api.easy_strerror, "curl_easy_strerror");
  bind(api.free, "curl_free");
  bind(api.slist_append, "curl_slist_append");
  bind(api.slist_free_all, "curl_slist_free_all");
  bind(api.url, "curl_url");
  bind(api.url_cleanup, "curl_url_cleanup");
  bind(api.url_get, "curl_url_get");
  bind(api.url_set, "curl_url_set");
  bind(api.url_strerror, "curl_url_strerror");
  if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw FatalError("libcurl could not be initialised");
  return api;
}

}  // namespace

const CurlApi& curl_api() {
  static const CurlApi api = load();
  return api;
}

}  // namespace gl::drift
