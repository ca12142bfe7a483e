#pragma once
// YAML trees as JSON values (for live objects read from YAML dumps, and for printing desired values).
#include <nlohmann/json.hpp>

#include "yaml/node.h"

namespace gl::drift {

/// The JSON value of a YAML node, with plain scalars typed as Kubernetes' YAML reader types them (int, float,
/// bool, null, else string). Mapping keys are their text.
nlohmann::json to_json(const yaml::Node& node);

}  // namespace gl::drift
