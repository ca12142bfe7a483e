#pragma once
// Kustomize field specs: "which field of which kinds" a transformer touches (path "spec/template/metadata/
// labels", group/version/kind filters, create-if-missing), walked the way kustomize's fieldspec filter does.
#include <functional>
#include <span>
#include <string_view>

#include "render/tree.h"

namespace gl::render::kustomize {

struct FieldSpec {
  std::string_view path;  ///< '/'-separated; a "name[]" segment is a list; lists met on the way are walked
  std::string_view kind;  ///< empty: any
  std::string_view group;
  std::string_view version;
  bool create = false;
};

/// True when the spec's group/version/kind filters accept the object `root`.
bool fieldspec_matches(const FieldSpec& fs, const MNode& root);

/// Calls `visit` on every node at fs.path in `root` (when the spec matches its kind). With `create`,
/// missing maps on the way are created (span `at`) and a missing last field is created as `leaf`.
void walk_fieldspec(MNode& root, const FieldSpec& fs, const MNode& leaf, Span at,
                    const std::function<void(MNode&)>& visit);

/// Built-in field-spec tables of kustomize v5 (api/internal/konfig/builtinpluginconsts).
std::span<const FieldSpec> common_label_specs();
std::span<const FieldSpec> template_label_specs();       ///< metadata labels + pod template labels
std::span<const FieldSpec> volume_claim_label_specs();   ///< StatefulSet volumeClaimTemplates labels
std::span<const FieldSpec> common_annotation_specs();
std::span<const FieldSpec> namespace_specs();  ///< besides metadata/namespace
std::span<const FieldSpec> replicas_specs();

}  // namespace gl::render::kustomize
