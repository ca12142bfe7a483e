#pragma once
// `gitops-lint apps`: the Argo CD Applications that would exist, as a table or JSON.
#include <string>
#include <string_view>
#include <vector>

#include "render/argocd/expand.h"

namespace gl::cli {

/// format: "table" or "json" ({"version":1,"applications":[...]}). Deterministic.
std::string render_apps(const std::vector<render::argocd::AppRecord>& apps, std::string_view format);

}  // namespace gl::cli
