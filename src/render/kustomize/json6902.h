#pragma once
// JSON patches (RFC 6902) as `kubectl kustomize` (v5) applies them, with evanphx/json-patch v4 semantics:
// `add` creates only the last path segment, `replace` of a missing key in a map adds it, `-` and negative
// indexes address array ends, `copy` of a missing key copies null. Values keep the spans of the ops.
#include <optional>

#include "render/render.h"
#include "render/tree.h"

namespace gl::render::kustomize {

/// Applies a list of ops (`op`, `path`, `from`, `value`) to `target` in order. On error target may be
/// partly patched; the error points at the failing op and names its path.
std::optional<RenderError> apply_json6902(MNode& target, const MNode& ops);

}  // namespace gl::render::kustomize
