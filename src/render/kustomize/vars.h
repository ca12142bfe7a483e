#pragma once
// Legacy `vars:` (kustomize v5, deprecated in favour of replacements): `$(NAME)` in the fields of
// kustomize's var-reference table (container command, args, env values, mount paths, labels,
// annotations, ...) is replaced by a field of the object the var names. Run once, at the top-level build.
#include <vector>

#include "render/kustomize/resource.h"
#include "render/render.h"
#include "render/tree.h"

namespace gl::render::kustomize {

/// Resolves every var of the build (all levels, in declaration order) against the resources' current
/// and previous ids, then substitutes `$(NAME)` (`$$` escapes a `$`; unknown names stay as written).
/// A missing, ambiguous or duplicate var, or a field it names that is absent, is an error at the var entry.
void resolve_vars(std::vector<Resource>& resources, const std::vector<MNode>& vars, std::vector<RenderError>& errors);

}  // namespace gl::render::kustomize
