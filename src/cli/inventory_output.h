#pragma once
// `gitops-lint inventory`: the nodes the checks assume (Node objects, configured groups, infrastructure code).
#include <string>
#include <string_view>

#include "k8s/inventory.h"

namespace gl::cli {

/// format: "table" or "json" ({"version":1,"nodes":[...]}). Deterministic.
std::string render_inventory(const k8s::Inventory& inventory, std::string_view format);

}  // namespace gl::cli
