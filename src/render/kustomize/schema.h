#pragma once
// Strategic-merge metadata of the built-in Kubernetes kinds, as kustomize v5 sees them: it merges with the
// Kubernetes v1.21.2 OpenAPI it bundles, where a list merges by key only when its field says
// `x-kubernetes-patch-strategy: merge` (keys: `x-kubernetes-list-map-keys`, else the patch merge key).
// Only what a merge can observe is kept: types with such a list somewhere below them, and the lists.
#include <span>
#include <string_view>

namespace gl::render::kustomize::schema {

/// A node of the schema walk: an object type, a merge list, or a type known to hold no merge list.
using SchemaId = int;
/// No schema at all (a kind the table does not know, such as a CRD): lists are replaced.
constexpr SchemaId kNoSchema = -1;
/// A known type with nothing mergeable below it.
constexpr SchemaId kOpaque = 0;

/// The schema of a top-level kind, or kNoSchema.
SchemaId for_kind(std::string_view api_version, std::string_view kind);
/// The schema of `field` inside an object schema (kOpaque for fields without merge lists below them).
SchemaId field(SchemaId s, std::string_view name);
/// The schema of the items of a merge list.
SchemaId element(SchemaId s);
/// True for a list field whose patch strategy includes `merge` (items merge by key, or primitives union).
bool is_merge_list(SchemaId s);
/// The merge keys of a merge list (empty for a list of primitives).
std::span<const std::string_view> merge_keys(SchemaId s);

}  // namespace gl::render::kustomize::schema
