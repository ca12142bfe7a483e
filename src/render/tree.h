#pragma once
// A mutable YAML tree for renderers (Kustomize patches, generated objects). Every node keeps the span it
// came from, so a field set by a patch points at the patch line, and a generated field at the line of
// the kustomization that asked for it. `freeze` turns it back into the immutable yaml::Node tree.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/source.h"
#include "yaml/node.h"

namespace gl::render {

class MNode {
 public:
  yaml::NodeType type = yaml::NodeType::kNull;
  yaml::ScalarStyle style = yaml::ScalarStyle::kPlain;
  std::string value;  ///< scalar text (for a null: "" or "null")
  std::string tag;    ///< explicit tag, empty when none
  Span span;          ///< provenance: where this node was written
  Span via;           ///< a second location, when the value passed through one (the template line that printed it)
  std::vector<MNode> keys;   ///< mapping keys (scalars), parallel to items
  std::vector<MNode> items;  ///< sequence items or mapping values

  static MNode from(const yaml::Node& n);
  static MNode null(Span at = {});
  /// A plain scalar (number, bool or string that resolves to a string as written).
  static MNode scalar(std::string v, Span at = {});
  /// A scalar that is a string whatever its text ("1", "true" stay strings: quoted on output).
  static MNode string(std::string v, Span at = {});
  static MNode map(Span at = {});
  static MNode seq(Span at = {});

  bool is_null() const { return type == yaml::NodeType::kNull; }
  bool is_scalar() const { return type == yaml::NodeType::kScalar; }
  bool is_seq() const { return type == yaml::NodeType::kSequence; }
  bool is_map() const { return type == yaml::NodeType::kMapping; }
  std::string_view str() const { return is_scalar() ? std::string_view(value) : std::string_view(); }
  /// True when the scalar is a string (quoted, !!str, or plain text that resolves to no other type).
  bool is_string() const;
  size_t size() const { return items.size(); }

  const MNode* get(std::string_view key) const;
  MNode* get(std::string_view key);
  const MNode* at(std::initializer_list<std::string_view> path) const;
  MNode* at(std::initializer_list<std::string_view> path);
  /// Sets key to value (replacing an existing value in place, else appending); returns the stored value.
  /// References and pointers into this node's keys/items are invalidated when a key is appended.
  MNode& set(std::string_view key, MNode value, Span key_at = {});
  /// Removes key; false when absent.
  bool erase(std::string_view key);
  /// The mapping at key, created (with span `at`) when absent or null; nullptr when present but not a map.
  MNode* ensure_map(std::string_view key, Span at = {});
  /// Sets the provenance of this node and every node below it.
  void set_span_deep(Span at);

  /// Copies the tree into `arena` as an immutable yaml::Node tree (spans kept).
  yaml::Node freeze(yaml::Arena& arena) const;
  /// Structural equality of values (spans, styles of equal strings and key order ignored).
  bool same_value(const MNode& other) const;
};

/// Resolved YAML kind of a scalar written as `text` in `style` with `tag`: "null", "bool", "int", "float", "str".
std::string_view scalar_kind(const MNode& n);

/// Parses YAML written inside a string scalar (an inline patch, Argo CD's `helm.values: |`): one MNode per
/// non-empty document, each node pointing at its line inside the host file's block scalar (a quoted or plain
/// scalar maps every node to the scalar itself). `error` is set, and nothing returned, when it is not YAML.
std::vector<MNode> parse_embedded(const MNode& scalar, std::string* error);

/// Emits documents as YAML the way `kubectl kustomize` does (keys sorted, `---` between documents).
std::string to_yaml(const std::vector<const MNode*>& docs);
/// Emits one node as compact JSON (keys sorted; scalars typed as YAML resolves them).
std::string to_json(const MNode& n);

}  // namespace gl::render
