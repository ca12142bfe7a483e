#pragma once
// Kustomize field paths (`spec.containers.[name=app].image`, `metadata.annotations.[a.b/c]`, `args.0`, `*`):
// splitting, reading one node (kyaml's PathGetter) and matching every node, optionally creating what is
// missing (kyaml's PathMatcher), as replacements, vars and other transformers use them.
#include <string>
#include <string_view>
#include <vector>

#include "render/tree.h"

namespace gl::render::kustomize {

/// Splits on dots, honouring `\.` escapes; `[k=v]` list selectors stay whole (brackets kept) and other
/// bracketed parts (`[a.b/c]`) become one map key without brackets.
std::vector<std::string> split_field_path(std::string_view path);

/// Splits `ports[0]` style parts into `ports`, `0` (the legacy vars fieldPath syntax).
std::vector<std::string> split_slice_indexes(const std::vector<std::string>& parts);

/// The node at `parts`: map keys, `[k=v]` (first element whose field k equals v exactly; `[=v]` for
/// scalars), `N` (index), `-` (last element). nullptr when absent; nullptr with `error` set on a
/// malformed part or a node of the wrong kind on the way.
const MNode* lookup_field(const MNode& root, const std::vector<std::string>& parts, std::string* error);

/// Kind of the leaf node created for a missing path (kNone: create nothing).
enum class CreateKind { kNone, kScalar, kMap, kSeq };

/// One node matched by match_fields.
struct FieldMatch {
  MNode* node = nullptr;
  bool created = false;  ///< the leaf did not exist and was made empty by this match
};

/// Every node at `parts`, where `[k=v]` matches elements whose field k matches the regular expression v
/// (unanchored), `*` every element and `N` the element at index N. With `create`, missing map keys,
/// `[k=v]` elements and the element at index == size are added (spans `at`), the leaf of kind `create`.
/// False with `error` set on a malformed part, an index out of range or a node of the wrong kind.
bool match_fields(MNode& root, const std::vector<std::string>& parts, CreateKind create, Span at,
                  std::vector<FieldMatch>& out, std::string* error);

}  // namespace gl::render::kustomize
