#pragma once
// Text that remembers where each of its characters is written, and the values the infrastructure readers compute
// from Terraform and Ansible (strings, numbers, lists, maps, or unknown), each with the span that wrote it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.h"
#include "yaml/node.h"

namespace gl::k8s::infra {

/// A string assembled from runs of several files (a template rendered with its variables), each run knowing where
/// it is written, so that a label found anywhere in it can be reported at its own line.
class Text {
 public:
  Text() = default;
  /// Text written verbatim at `offset` of `file` (`exact`: character i is at offset + i; else all at `offset`).
  static Text from(std::string_view s, const SourceFile* file, size_t offset, bool exact);
  /// Text with no place of its own (computed).
  static Text plain(std::string_view s) { return from(s, nullptr, 0, false); }
  /// A YAML scalar's value, each of its words located in the file (block, folded and quoted styles alike).
  static Text from_yaml(const yaml::Node& node);

  const std::string& str() const { return flat_; }
  size_t size() const { return flat_.size(); }
  bool empty() const { return flat_.empty(); }
  void append(const Text& other);
  void append(std::string_view s, const SourceFile* file, size_t offset, bool exact);
  /// Characters [begin, end) with their places.
  Text slice(size_t begin, size_t end) const;
  /// A copy marked as substituted from a variable: spans of text containing it point at the variable's value.
  Text substituted() const;
  /// Where characters [begin, end) are written: at the first substituted character when any (the variable's value
  /// is the interesting line), else at `begin`.
  Span span(size_t begin, size_t end) const;
  Span span() const { return span(0, flat_.size()); }
  /// Drops leading/trailing spaces, tabs and newlines.
  Text trimmed() const;

 private:
  struct Run {
    size_t start = 0;  ///< in flat_
    size_t len = 0;
    const SourceFile* file = nullptr;
    size_t offset = 0;
    bool exact = false;
    bool substituted = false;
  };
  Span run_span(const Run& r, size_t begin, size_t end) const;
  std::string flat_;
  std::vector<Run> runs_;
};

/// A value computed from infrastructure code. Unknown values say why in `why`.
struct Value {
  enum class Kind : uint8_t { kUnknown, kNull, kBool, kNumber, kString, kList, kMap };
  Kind kind = Kind::kUnknown;
  bool boolean = false;
  double number = 0;
  Text text;                      ///< strings; the written form of numbers and bools
  std::vector<Value> items;       ///< list items, or map values (parallel to keys)
  std::vector<std::string> keys;  ///< map keys, sorted
  Span at;                        ///< where the value is written
  std::string why;                ///< unknown: the reason
  bool partial = false;           ///< a string with parts left as written (unknown interpolations)

  static Value unknown(std::string why, Span at = {});
  static Value null(Span at = {});
  static Value string(Text t);
  static Value number_of(double n, Span at = {});
  static Value bool_of(bool b, Span at = {});
  /// A map from keys and values (sorted by key, later duplicates win).
  static Value map_of(std::vector<std::pair<std::string, Value>> entries, Span at = {});
  static Value list_of(std::vector<Value> items, Span at = {});
  /// A value read from YAML (scalars are strings, numbers or bools the way YAML 1.1 resolves them).
  static Value from_yaml(const yaml::Node& node, size_t depth = 0);

  bool known() const { return kind != Kind::kUnknown; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_list() const { return kind == Kind::kList; }
  bool is_map() const { return kind == Kind::kMap; }
  bool is_scalar() const { return kind == Kind::kString || kind == Kind::kNumber || kind == Kind::kBool; }
  /// Map lookup; null when absent or not a map.
  const Value* get(std::string_view key) const;
  /// The string form of a scalar (numbers without a fraction print as integers); nullopt otherwise.
  std::optional<std::string> as_string() const;
  /// The value as text with places (scalars only; an empty plain text otherwise).
  Text as_text() const;
  std::optional<int64_t> as_int() const;
};

/// Formats a number the way Terraform and Jinja print it (integers without a fraction).
std::string format_number(double n);

}  // namespace gl::k8s::infra
