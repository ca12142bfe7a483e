#pragma once
// Strategic merge patches as `kubectl kustomize` (v5) applies them: kyaml's merge2 walk, with the merge
// keys of the built-in kinds (schema.h), new list items placed before the kept ones, `$patch`
// directives, `null` deletion, and kind, name and namespace kept from the target.
#include <optional>

#include "render/render.h"
#include "render/tree.h"

namespace gl::render::kustomize {

/// Options of a `patches` entry that change what a strategic merge may touch.
struct SmpOptions {
  bool allow_name_change = false;  ///< `options.allowNameChange`
  bool allow_kind_change = false;  ///< `options.allowKindChange`
};

/// Merges one patch document into `target` (whose apiVersion and kind pick the merge keys). Nodes taken
/// from the patch keep the patch's spans. When the patch deletes the object (`$patch: delete`), target
/// becomes a null node. Errors point at the patch node that could not be merged.
std::optional<RenderError> apply_smp(MNode& target, const MNode& patch, const SmpOptions& options = {});

}  // namespace gl::render::kustomize
