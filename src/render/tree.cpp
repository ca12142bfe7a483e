#include "render/tree.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "yaml/parser.h"

namespace gl::render {
namespace {

/// A yaml::Node view of a scalar MNode, to reuse the parser's type resolution.
yaml::Node view(const MNode& n) {
  yaml::Node v;
  v.style = n.style;
  v.set_text(n.type == yaml::NodeType::kNull ? yaml::NodeType::kNull : yaml::NodeType::kScalar, n.value);
  v.set_tag(n.tag);
  return v;
}

bool key_less(const MNode* a, const MNode* b) { return a->value < b->value; }

}  // namespace

MNode MNode::from(const yaml::Node& n) {
  MNode m;
  m.type = n.type;
  m.style = n.style;
  m.value = std::string(n.value());
  m.tag = std::string(n.tag());
  m.span = n.span();
  m.keys.reserve(n.keys().size());
  for (const auto& k : n.keys()) m.keys.push_back(from(k));
  m.items.reserve(n.items().size());
  for (const auto& i : n.items()) m.items.push_back(from(i));
  return m;
}

MNode MNode::null(Span at) {
  MNode m;
  m.span = at;
  return m;
}

MNode MNode::scalar(std::string v, Span at) {
  MNode m;
  m.type = yaml::NodeType::kScalar;
  m.value = std::move(v);
  m.span = at;
  return m;
}

MNode MNode::string(std::string v, Span at) {
  MNode m = scalar(std::move(v), at);
  if (scalar_kind(m) != "str") m.style = yaml::ScalarStyle::kDoubleQuoted;
  return m;
}

MNode MNode::map(Span at) {
  MNode m;
  m.type = yaml::NodeType::kMapping;
  m.span = at;
  return m;
}

MNode MNode::seq(Span at) {
  MNode m;
  m.type = yaml::NodeType::kSequence;
  m.span = at;
  return m;
}

bool MNode::is_string() const { return is_scalar() && scalar_kind(*this) == "str"; }

const MNode* MNode::get(std::string_view key) const {
  if (!is_map()) return nullptr;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].value == key) return &items[i];
  }
  return nullptr;
}

MNode* MNode::get(std::string_view key) { return const_cast<MNode*>(std::as_const(*this).get(key)); }

const MNode* MNode::at(std::initializer_list<std::string_view> path) const {
  const MNode* n = this;
  for (auto k : path) {
    n = n->get(k);
    if (n == nullptr) return nullptr;
  }
  return n;
}

MNode* MNode::at(std::initializer_list<std::string_view> path) {
  return const_cast<MNode*>(std::as_const(*this).at(path));
}

MNode& MNode::set(std::string_view key, MNode value, Span key_at) {
  if (!is_map()) {
    const Span keep = span;
    *this = map(keep);
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].value == key) {
      items[i] = std::move(value);
      return items[i];
    }
  }
  keys.push_back(string(std::string(key), key_at.valid() ? key_at : value.span));
  items.push_back(std::move(value));
  return items.back();
}

bool MNode::erase(std::string_view key) {
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].value == key) {
      keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(i));
      items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
  }
  return false;
}

MNode* MNode::ensure_map(std::string_view key, Span at) {
  MNode* v = get(key);
  if (v == nullptr || v->is_null()) return &set(key, map(at), at);
  return v->is_map() ? v : nullptr;
}

void MNode::set_span_deep(Span at) {
  span = at;
  for (auto& k : keys) k.set_span_deep(at);
  for (auto& i : items) i.set_span_deep(at);
}

yaml::Node MNode::freeze(yaml::Arena& arena) const {
  yaml::Node n;
  n.style = style;
  n.set_tag(tag);
  n.file = span.file;
  n.begin = span.begin;
  n.end = span.end;
  if (via.valid() && span.valid()) arena.set_via(span, via);
  if (type == yaml::NodeType::kScalar || type == yaml::NodeType::kNull) {
    n.set_text(type, arena.copy(value));
    return n;
  }
  // A mapping's keys, then its values, in one array (a sequence: its items).
  const bool map = type == yaml::NodeType::kMapping;
  const size_t n_items = map ? std::min(keys.size(), items.size()) : items.size();
  const size_t count = map ? 2 * n_items : n_items;
  auto* out =
      count == 0 ? nullptr : static_cast<yaml::Node*>(arena.allocate(sizeof(yaml::Node) * count, alignof(yaml::Node)));
  size_t at = 0;
  for (size_t i = 0; map && i < n_items; ++i) new (&out[at++]) yaml::Node(keys[i].freeze(arena));
  for (size_t i = 0; i < n_items; ++i) new (&out[at++]) yaml::Node(items[i].freeze(arena));
  if (map) {
    n.set_mapping({out, count});
  } else {
    n.set_sequence({out, count});
  }
  return n;
}

bool MNode::same_value(const MNode& other) const {
  if (type != other.type) return false;
  if (is_scalar()) return value == other.value && scalar_kind(*this) == scalar_kind(other);
  if (is_seq()) {
    if (items.size() != other.items.size()) return false;
    for (size_t i = 0; i < items.size(); ++i) {
      if (!items[i].same_value(other.items[i])) return false;
    }
    return true;
  }
  if (is_map()) {
    if (keys.size() != other.keys.size()) return false;
    for (size_t i = 0; i < keys.size(); ++i) {
      const MNode* o = other.get(keys[i].value);
      if (o == nullptr || !items[i].same_value(*o)) return false;
    }
  }
  return true;
}

std::string_view scalar_kind(const MNode& n) { return view(n).resolved_kind(); }

namespace {

/// Re-points the spans of a tree parsed from a block scalar at the host file's lines.
void remap_embedded(MNode& n, const SourceFile* host, uint32_t first_line, uint32_t indent) {
  if (n.span.file != nullptr) {
    n.span.file = host;
    n.span.begin.line += first_line - 1;
    n.span.end.line += first_line - 1;
    n.span.begin.column += indent;
    n.span.end.column += indent;
  }
  for (auto& k : n.keys) remap_embedded(k, host, first_line, indent);
  for (auto& i : n.items) remap_embedded(i, host, first_line, indent);
}

}  // namespace

std::vector<MNode> parse_embedded(const MNode& scalar, std::string* error) {
  std::vector<MNode> docs;
  const std::string& text = scalar.value;
  SourceFile inner("<embedded>", text);
  auto parsed = yaml::parse(inner);
  if (!parsed.errors.empty()) {
    if (error != nullptr) *error = parsed.errors.front().message;
    return {};
  }
  const SourceFile* host = scalar.span.file;
  const bool block = scalar.style == yaml::ScalarStyle::kLiteral || scalar.style == yaml::ScalarStyle::kFolded;
  uint32_t first = scalar.span.begin.line + 1;
  uint32_t indent = 0;
  if (block && host != nullptr) {
    // The block's content starts on the first non-blank line after the indicator.
    while (first <= host->line_count() && host->line(first).find_first_not_of(' ') == std::string_view::npos) ++first;
    const auto line = host->line(first);
    indent = static_cast<uint32_t>(std::min(line.find_first_not_of(' '), line.size()));
  }
  for (const auto& d : parsed.documents) {
    if (d.root.is_null()) continue;
    MNode m = MNode::from(d.root);
    if (block && host != nullptr) {
      // Blank leading lines of the block are not part of the text.
      uint32_t skipped = 0;
      while (skipped < text.size() && text[skipped] == '\n') ++skipped;
      remap_embedded(m, host, first - skipped, indent);
    } else {
      m.set_span_deep(scalar.span);
    }
    docs.push_back(std::move(m));
  }
  return docs;
}

namespace {

// The scalar emitter follows the YAML emitter kustomize prints with (go-yaml v3, a port of libyaml): a style
// is asked for, an analysis of the text says which styles can hold it, and long lines fold at spaces past
// column 80. Same rules, so `render` output matches `kubectl kustomize` byte for byte.
constexpr int kBestWidth = 80;

/// What the text allows, as libyaml's yaml_emitter_analyze_scalar computes it.
struct ScalarAnalysis {
  bool multiline = false;
  bool block_plain_allowed = true;
  bool single_quoted_allowed = true;
  bool block_allowed = true;
};

/// Length in bytes of the UTF-8 sequence starting with byte `c` (1 for stray continuation bytes).
size_t utf8_width(unsigned char c) {
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

/// go-yaml's is_printable on the character at `i` (tabs and 4-byte characters are not).
bool printable(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  const unsigned char c = b(0);
  return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && b(1) >= 0xA0) || (c > 0xC2 && c < 0xED) ||
         (c == 0xED && b(1) < 0xA0) || c == 0xEE ||
         (c == 0xEF && !(b(1) == 0xBB && b(2) == 0xBF) && !(b(1) == 0xBF && (b(2) == 0xBE || b(2) == 0xBF)));
}

bool is_break(unsigned char c) { return c == '\n' || c == '\r'; }
bool is_blankz(std::string_view s, size_t i) {
  return i >= s.size() || s[i] == ' ' || s[i] == '\t' || is_break(static_cast<unsigned char>(s[i]));
}

ScalarAnalysis analyze(std::string_view s) {
  ScalarAnalysis a;
  if (s.empty()) {
    a.block_allowed = false;
    return a;
  }
  bool block_indicators = s.starts_with("---") || s.starts_with("...");
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
  bool break_space = false, space_break = false, previous_space = false, previous_break = false;
  bool line_breaks = false, special = false;
  bool preceded_by_whitespace = true;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t w = utf8_width(c);
    const bool followed_by_whitespace = is_blankz(s, i + w);
    const bool first = i == 0;
    const bool last = i + w >= s.size();
    if (first) {
      if (std::strchr("#,[]{}&*!|>'\"%@`", c) != nullptr && c != 0) block_indicators = true;
      if ((c == '?' || c == ':') && followed_by_whitespace) block_indicators = true;
      if (c == '-' && followed_by_whitespace) block_indicators = true;
    } else {
      if (c == ':' && followed_by_whitespace) block_indicators = true;
      if (c == '#' && preceded_by_whitespace) block_indicators = true;
    }
    if (!printable(s, i)) special = true;
    if (is_break(c)) line_breaks = true;
    if (c == ' ') {
      if (first) leading_space = true;
      if (last) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (is_break(c)) {
      if (first) leading_break = true;
      if (last) trailing_break = true;
      if (previous_space) space_break = true;
      previous_break = true;
      previous_space = false;
    } else {
      previous_space = previous_break = false;
    }
    preceded_by_whitespace = c == ' ' || c == '\t' || is_break(c);
    i += w;
  }
  a.multiline = line_breaks;
  if (leading_space || leading_break || trailing_space || trailing_break) a.block_plain_allowed = false;
  if (trailing_space) a.block_allowed = false;
  if (break_space) a.block_plain_allowed = a.single_quoted_allowed = false;
  if (space_break || special) a.block_plain_allowed = a.single_quoted_allowed = a.block_allowed = false;
  if (line_breaks || block_indicators) a.block_plain_allowed = false;
  return a;
}

/// The column the next character goes to (characters since the last newline).
int column(const std::string& out) {
  const size_t nl = out.rfind('\n');
  int col = 0;
  for (size_t i = nl == std::string::npos ? 0 : nl + 1; i < out.size(); ++i) {
    if ((static_cast<unsigned char>(out[i]) & 0xC0) != 0x80) ++col;
  }
  return col;
}

class YamlWriter {
 public:
  std::string out;

  /// Writes scalar `n` at the current position; `indent` is the indentation of continuation lines, and
  /// `simple_key` marks a mapping key (one line, no folding, no block styles).
  void scalar(const MNode& n, int indent, bool simple_key = false) {
    if (n.is_null()) {
      out += n.value.empty() ? "null" : n.value;
      return;
    }
    const std::string& v = n.value;
    if (!n.is_string()) {
      out += v;
      return;
    }
    // kustomize does not keep the quoting a string was written with: plain when the text allows it,
    // single quotes when it does not, double quotes for escapes (and for strings that look like numbers,
    // bools or null), a literal block for multi-line text.
    yaml::ScalarStyle style = yaml::ScalarStyle::kPlain;
    // A string a reader would take for a number, bool or null (YAML 1.1 `yes`/`on` too) is double-quoted
    // whatever style it was written in, as go-yaml forces it.
    static constexpr std::string_view kOldBools[] = {"y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no",
                                                     "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF"};
    MNode as_plain;
    as_plain.type = yaml::NodeType::kScalar;
    as_plain.value = v;
    if (v.empty() || scalar_kind(as_plain) != "str" || std::find(std::begin(kOldBools), std::end(kOldBools), v) != std::end(kOldBools))
      style = yaml::ScalarStyle::kDoubleQuoted;
    if (style == yaml::ScalarStyle::kPlain && v.find('\n') != std::string::npos) style = yaml::ScalarStyle::kLiteral;
    const ScalarAnalysis a = analyze(v);
    if (style == yaml::ScalarStyle::kPlain &&
        (!a.block_plain_allowed || (v.empty() && simple_key) || (simple_key && a.multiline)))
      style = yaml::ScalarStyle::kSingleQuoted;
    if (style == yaml::ScalarStyle::kSingleQuoted && (!a.single_quoted_allowed || (simple_key && a.multiline)))
      style = yaml::ScalarStyle::kDoubleQuoted;
    if (style == yaml::ScalarStyle::kLiteral && (!a.block_allowed || simple_key))
      style = yaml::ScalarStyle::kDoubleQuoted;
    switch (style) {
      case yaml::ScalarStyle::kPlain: plain(v, indent, !simple_key); break;
      case yaml::ScalarStyle::kSingleQuoted: single_quoted(v, indent, !simple_key); break;
      case yaml::ScalarStyle::kLiteral: literal(v, indent); break;
      default: double_quoted(v, indent, !simple_key); break;
    }
  }

  void write_indent(int indent) {
    out += '\n';
    out.append(static_cast<size_t>(indent), ' ');
  }

  void plain(std::string_view v, int indent, bool allow_breaks) {
    bool spaces = false;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == ' ') {
        if (allow_breaks && !spaces && column(out) > kBestWidth && !(i + 1 < v.size() && v[i + 1] == ' ')) {
          write_indent(indent);
        } else {
          out += ' ';
        }
        spaces = true;
      } else {
        out += v[i];
        spaces = false;
      }
    }
  }

  void single_quoted(std::string_view v, int indent, bool allow_breaks) {
    out += '\'';
    bool spaces = false;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == ' ') {
        if (allow_breaks && !spaces && column(out) > kBestWidth && i != 0 && i + 1 != v.size() && v[i + 1] != ' ') {
          write_indent(indent);
        } else {
          out += ' ';
        }
        spaces = true;
      } else {
        if (v[i] == '\'') out += '\'';
        out += v[i];
        spaces = false;
      }
    }
    out += '\'';
  }

  void double_quoted(std::string_view v, int indent, bool allow_breaks) {
    out += '"';
    bool spaces = false;
    for (size_t i = 0; i < v.size();) {
      const auto c = static_cast<unsigned char>(v[i]);
      const size_t w = std::min(utf8_width(c), v.size() - i);
      const bool bom = c == 0xEF && i + 2 < v.size() && static_cast<unsigned char>(v[i + 1]) == 0xBB &&
                       static_cast<unsigned char>(v[i + 2]) == 0xBF;
      if (!printable(v, i) || bom || is_break(c) || c == '"' || c == '\\') {
        uint32_t cp = c;
        if (w > 1) {
          cp = c & (w == 2 ? 0x1F : w == 3 ? 0x0F : 0x07);
          for (size_t k = 1; k < w; ++k) cp = (cp << 6) | (static_cast<unsigned char>(v[i + k]) & 0x3F);
        }
        out += '\\';
        switch (cp) {
          case 0x00: out += '0'; break;
          case 0x07: out += 'a'; break;
          case 0x08: out += 'b'; break;
          case 0x09: out += 't'; break;
          case 0x0A: out += 'n'; break;
          case 0x0B: out += 'v'; break;
          case 0x0C: out += 'f'; break;
          case 0x0D: out += 'r'; break;
          case 0x1B: out += 'e'; break;
          case 0x22: out += '"'; break;
          case 0x5C: out += '\\'; break;
          case 0x85: out += 'N'; break;
          case 0xA0: out += '_'; break;
          case 0x2028: out += 'L'; break;
          case 0x2029: out += 'P'; break;
          default:
            if (cp <= 0xFF) {
              out += fmt::format("x{:02X}", cp);
            } else if (cp <= 0xFFFF) {
              out += fmt::format("u{:04X}", cp);
            } else {
              out += fmt::format("U{:08X}", cp);
            }
        }
        spaces = false;
      } else if (c == ' ') {
        if (allow_breaks && !spaces && column(out) > kBestWidth && i != 0 && i + 1 != v.size()) {
          write_indent(indent);
          if (i + 1 < v.size() && v[i + 1] == ' ') out += '\\';
        } else {
          out += ' ';
        }
        spaces = true;
      } else {
        out.append(v.substr(i, w));
        spaces = false;
      }
      i += w;
    }
    out += '"';
  }

  void literal(std::string_view v, int indent) {
    out += '|';
    if (!v.empty() && (v.front() == ' ' || is_break(static_cast<unsigned char>(v.front())))) out += '2';
    size_t trailing = 0;
    while (trailing < v.size() && v[v.size() - 1 - trailing] == '\n') ++trailing;
    if (trailing == 0) {
      out += '-';
    } else if (trailing > 1 || trailing == v.size()) {
      out += '+';
    }
    std::string_view body = v;
    if (trailing > 0) body.remove_suffix(1);
    size_t start = 0;
    for (;;) {
      const size_t nl = body.find('\n', start);
      const std::string_view line = body.substr(start, nl == std::string_view::npos ? body.size() - start : nl - start);
      out += '\n';
      if (!line.empty()) out.append(static_cast<size_t>(indent), ' ').append(line);
      if (nl == std::string_view::npos) break;
      start = nl + 1;
    }
  }

  void key(const MNode& k, int indent) {
    if (k.is_scalar()) {
      scalar(k, indent, true);
    } else {
      out += k.value;
    }
  }

  /// Writes a value that follows "key:" or "- "; `indent` is the column for nested block content.
  void value_after(const MNode& n, int indent, bool after_dash) {
    if (n.is_map() && !n.keys.empty()) {
      if (after_dash) {
        mapping(n, indent, true);
      } else {
        out += '\n';
        mapping(n, indent, false);
      }
    } else if (n.is_seq() && !n.items.empty()) {
      if (after_dash) {
        sequence(n, indent, true);
      } else {
        out += '\n';
        sequence(n, indent - 2, false);
      }
    } else if (n.is_map()) {
      out += after_dash ? "{}" : " {}";
    } else if (n.is_seq()) {
      out += after_dash ? "[]" : " []";
    } else {
      if (!after_dash) out += ' ';
      scalar(n, indent);
    }
  }

  void mapping(const MNode& n, int indent, bool first_inline) {
    std::vector<size_t> order(n.keys.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key_less(&n.keys[a], &n.keys[b]); });
    bool first = true;
    for (size_t i : order) {
      if (!(first && first_inline)) out.append(static_cast<size_t>(indent), ' ');
      first = false;
      key(n.keys[i], indent + 2);
      out += ':';
      value_after(n.items[i], indent + 2, false);
      out += '\n';
    }
    out.pop_back();
  }

  void sequence(const MNode& n, int indent, bool first_inline) {
    bool first = true;
    for (const auto& item : n.items) {
      if (!(first && first_inline)) out.append(static_cast<size_t>(indent), ' ');
      first = false;
      out += "- ";
      value_after(item, indent + 2, true);
      out += '\n';
    }
    out.pop_back();
  }
};

void json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void json(std::string& out, const MNode& n) {
  if (n.is_map()) {
    std::vector<size_t> order(n.keys.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key_less(&n.keys[a], &n.keys[b]); });
    out += '{';
    for (size_t j = 0; j < order.size(); ++j) {
      if (j > 0) out += ',';
      json_string(out, n.keys[order[j]].value);
      out += ':';
      json(out, n.items[order[j]]);
    }
    out += '}';
  } else if (n.is_seq()) {
    out += '[';
    for (size_t j = 0; j < n.items.size(); ++j) {
      if (j > 0) out += ',';
      json(out, n.items[j]);
    }
    out += ']';
  } else if (n.is_null()) {
    out += "null";
  } else {
    const auto kind = scalar_kind(n);
    const yaml::Node v = view(n);
    if (kind == "bool") {
      out += v.as_bool().value_or(false) ? "true" : "false";
    } else if (kind == "null") {
      out += "null";
    } else if (kind == "int" && v.as_int()) {
      out += fmt::format("{}", *v.as_int());
    } else if (kind == "float" && v.as_number()) {
      out += n.value;
    } else {
      json_string(out, n.value);
    }
  }
}

}  // namespace

std::string to_yaml(const std::vector<const MNode*>& docs) {
  YamlWriter w;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (i > 0) w.out += "---\n";
    const MNode& d = *docs[i];
    if (d.is_map() && !d.keys.empty()) {
      w.mapping(d, 0, false);
    } else if (d.is_seq() && !d.items.empty()) {
      w.sequence(d, 0, false);
    } else {
      w.value_after(d, 0, true);
    }
    w.out += '\n';
  }
  return std::move(w.out);
}

std::string to_json(const MNode& n) {
  std::string out;
  json(out, n);
  return out;
}

}  // namespace gl::render
