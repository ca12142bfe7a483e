#pragma once
// The `replacements:` field of a kustomization (kustomize v5): copy a value from one field of a source
// resource into fields of target resources. Entries are inline or `path:` to a file holding one
// replacement or a list. Replaced values keep the span of the source node they were copied from.
#include <vector>

#include "render/kustomize/resource.h"
#include "render/render.h"
#include "render/tree.h"

namespace gl::render::kustomize {

/// Applies the `replacements` list to `resources` in order (a later entry sees what earlier ones wrote).
/// Problems kustomize would fail on (no or several sources, a missing source or target field, a bad
/// selector or file) are added to `errors` at the entry's line, and that replacement is skipped.
void apply_replacements(std::vector<Resource>& resources, const MNode& replacements, const FileLoader& loader,
                        std::vector<RenderError>& errors);

}  // namespace gl::render::kustomize
