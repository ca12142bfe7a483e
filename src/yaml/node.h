#pragma once
// Our YAML node tree. Every node keeps the file and 1-based marks it came from (provenance).
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.h"

namespace gl::yaml {

enum class NodeType : uint8_t { kNull, kScalar, kSequence, kMapping };
enum class ScalarStyle : uint8_t { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral, kFolded };

/// Owns the scalar text and child arrays of the nodes parsed from one file; nodes only point into it.
/// Blocks never move, so nodes stay valid while any Document or Object holding the arena lives.
class Arena {
 public:
  Arena() = default;
  explicit Arena(size_t first_block) : next_block_(first_block) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  /// A NUL-terminated copy of `text`, valid for the arena's lifetime.
  std::string_view copy(std::string_view text);
  /// Uninitialised storage of `bytes` bytes aligned to `align` (a power of two).
  void* allocate(size_t bytes, size_t align);
  /// Bytes handed out so far (for tuning and tests).
  size_t used() const { return used_; }

  /// A second source location for the node written at `at` (a rendered value's template line when `at` is
  /// the values line that set it). Renderers record it; findings show it as a secondary span.
  void set_via(const Span& at, const Span& via) { via_.emplace_back(at, via); }
  /// The second location recorded for a node written at `at`, if any.
  const Span* via(const Span& at) const {
    for (const auto& [a, v] : via_) {
      if (a.file == at.file && a.begin == at.begin && a.end == at.end) return &v;
    }
    return nullptr;
  }

 private:
  std::vector<std::pair<Span, Span>> via_;
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* cur_ = nullptr;
  size_t left_ = 0;
  size_t next_block_ = 16384;
  size_t used_ = 0;
};

/// A node is a cheap, trivially copyable value of 40 bytes: its text and children live in the Arena of its
/// file (a copy shares them), so it must not outlive the Document or Object that keeps the arena alive.
/// A scalar (or null) holds its text, a sequence its items, a mapping its keys followed by their values in
/// one array; the size of a node is the length of its text or the number of its items or pairs.
class Node {
 public:
  NodeType type = NodeType::kNull;  ///< set through set_text/set_sequence/set_mapping, which fill the payload
  ScalarStyle style = ScalarStyle::kPlain;

 private:
  static bool is_str_tag(uint16_t id);
  uint16_t tag_ = 0;            ///< interned tag id (intern_tag_id); 0 for none
  uint32_t size_ = 0;           ///< text length, sequence items or mapping pairs
  const void* data_ = nullptr;  ///< text (scalar, null) or children (sequence, mapping) in the arena

 public:
  Mark begin;
  Mark end;
  const SourceFile* file = nullptr;

  bool is_null() const { return type == NodeType::kNull; }
  bool is_scalar() const { return type == NodeType::kScalar; }
  bool is_seq() const { return type == NodeType::kSequence; }
  bool is_map() const { return type == NodeType::kMapping; }
  bool has_children() const { return type == NodeType::kSequence || type == NodeType::kMapping; }

  /// Text as written (for a null: "", "~" or "null"); empty for sequences and mappings.
  std::string_view value() const {
    return has_children() ? std::string_view() : std::string_view(static_cast<const char*>(data_), size_);
  }
  /// Scalar text, or empty for non-scalars and nulls.
  std::string_view str() const { return type == NodeType::kScalar ? value() : std::string_view(); }
  /// Explicit tag such as "!!str", empty when none (interned: valid for the whole run).
  std::string_view tag() const;
  /// Sequence items, or mapping values (parallel to keys()); empty for scalars. Nodes are shallow-const:
  /// a const node's children are reachable for writing, as its builder needs.
  std::span<Node> items() const {
    Node* c = static_cast<Node*>(const_cast<void*>(data_));
    if (type == NodeType::kSequence) return {c, size_};
    if (type == NodeType::kMapping) return {c + size_, size_};
    return {};
  }
  /// Mapping keys; empty for every other node.
  std::span<Node> keys() const {
    if (type != NodeType::kMapping) return {};
    return {static_cast<Node*>(const_cast<void*>(data_)), size_};
  }

  /// Makes this a scalar (or keeps it a null) whose text is `text`, which must outlive the node (arena text).
  void set_text(NodeType scalar_or_null, std::string_view text);
  void set_tag(std::string_view tag);
  /// Makes this a sequence of `items` (storage that outlives the node).
  void set_sequence(std::span<Node> items);
  /// Makes this a mapping; `keys_then_values` holds the keys, then the values in the same order.
  void set_mapping(std::span<Node> keys_then_values);

  /// True for a scalar written with quotes or an explicit !!str tag (never a number or bool).
  bool is_quoted() const { return style != ScalarStyle::kPlain || (tag_ != 0 && is_str_tag(tag_)); }

  /// Mapping lookup by scalar key; null when absent or not a mapping.
  const Node* get(std::string_view key) const;
  Node* get(std::string_view key);
  /// Walks mapping keys; null when any step is missing.
  const Node* at(std::initializer_list<std::string_view> path) const;
  /// Items of a sequence, pairs of a mapping, 0 for scalars.
  size_t size() const { return has_children() ? size_ : 0; }

  /// YAML 1.1 / Kubernetes resolution of plain scalars.
  std::optional<bool> as_bool() const;
  std::optional<int64_t> as_int() const;
  std::optional<double> as_number() const;
  /// Kind of value a plain scalar resolves to: "null", "bool", "int", "float" or "str" (and "seq"/"map").
  std::string_view resolved_kind() const;

  Span span() const { return Span{file, begin, end}; }
  /// Number of nodes in this subtree (keys included).
  size_t count_nodes() const;
};
static_assert(sizeof(Node) == 40, "a node is five words: keep it dense, the tree is most of a run's memory");

/// A stable copy of a tag, shared by every node that carries it (thread-safe; never freed).
std::string_view intern_tag(std::string_view tag);
/// The id of an interned tag (0 for none). A run has room for 65,534 distinct tags; any more share one
/// id whose text is "!" (YAML's non-specific tag), a limit only a hostile input reaches.
uint16_t intern_tag_id(std::string_view tag);

/// One document of a multi-document stream.
struct Document {
  Node root;
  uint32_t index = 0;  ///< 0-based position in its file
  const SourceFile* file = nullptr;
  std::shared_ptr<const Arena> storage;  ///< owns root's text and children (shared by the file's documents)
};

}  // namespace gl::yaml
