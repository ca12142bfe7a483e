#include "render/tree.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace gl::render {
namespace {

/// A yaml::Node view of a scalar MNode, to reuse the parser's type resolution.
yaml::Node view(const MNode& n) {
  yaml::Node v;
  v.type = n.type;
  v.style = n.style;
  v.value = n.value;
  v.tag = n.tag;
  return v;
}

bool key_less(const MNode* a, const MNode* b) { return a->value < b->value; }

}  // namespace

MNode MNode::from(const yaml::Node& n) {
  MNode m;
  m.type = n.type;
  m.style = n.style;
  m.value = std::string(n.value);
  m.tag = std::string(n.tag);
  m.span = n.span();
  m.keys.reserve(n.keys.size());
  for (const auto& k : n.keys) m.keys.push_back(from(k));
  m.items.reserve(n.items.size());
  for (const auto& i : n.items) m.items.push_back(from(i));
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
  n.type = type;
  n.style = style;
  n.value = arena.copy(value);
  n.tag = tag.empty() ? std::string_view() : yaml::intern_tag(tag);
  n.file = span.file;
  n.begin = span.begin;
  n.end = span.end;
  auto array = [&](const std::vector<MNode>& src) -> std::span<yaml::Node> {
    if (src.empty()) return {};
    auto* out = static_cast<yaml::Node*>(arena.allocate(sizeof(yaml::Node) * src.size(), alignof(yaml::Node)));
    for (size_t i = 0; i < src.size(); ++i) new (&out[i]) yaml::Node(src[i].freeze(arena));
    return {out, src.size()};
  };
  n.keys = array(keys);
  n.items = array(items);
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

/// Strings a YAML 1.1 or 1.2 reader would take for something else, or that plain style cannot hold.
bool needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  if (s.front() == ' ' || s.back() == ' ' || s.front() == '\t' || s.back() == '\t') return true;
  if (std::strchr("-?:,[]{}#&*!|>'\"%@`", s.front()) != nullptr) {
    // "-x" and ":x" style starts are legal plain scalars only in some cases; quote them all but "-" words.
    if (!(s.front() == '-' && s.size() > 1 && s[1] != ' ' && s[1] != '-' && !(s[1] >= '0' && s[1] <= '9') &&
          s[1] != '.'))
      return true;
  }
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos || s.back() == ':')
    return true;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  static constexpr std::string_view kWords[] = {
      "y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
      "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~", ".inf", ".Inf", ".INF",
      "-.inf", "-.Inf", "-.INF", "+.inf", ".nan", ".NaN", ".NAN", "<<", "="};
  if (std::find(std::begin(kWords), std::end(kWords), s) != std::end(kWords)) return true;
  // Anything number-like (ints, floats, octal, hex, exponents, sexagesimal, underscores) is quoted.
  const bool numberish = std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '_' ||
           c == ':' || c == 'x' || c == 'X' || c == 'o' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
  if (numberish && std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    yaml::Node v;
    v.type = yaml::NodeType::kScalar;
    v.value = s;
    if (v.as_number() || s.find_first_not_of("0123456789") == std::string_view::npos) return true;
    if (s.starts_with("0x") || s.starts_with("0o") || s.find('_') != std::string_view::npos ||
        s.find(':') != std::string_view::npos)
      return true;
  }
  return false;
}

std::string double_quoted(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02X}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

/// A literal block keeps multi-line text readable; it cannot hold trailing spaces on lines or tabs reliably.
bool literal_ok(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return false;
  if (s.front() == ' ' || s.front() == '\n') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = s[i];
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
    if (c == ' ' && (i + 1 == s.size() || s[i + 1] == '\n')) return false;
  }
  return true;
}

class YamlWriter {
 public:
  std::string out;

  void scalar(const MNode& n, int indent) {
    if (n.is_null()) {
      out += "null";
      return;
    }
    const std::string& v = n.value;
    if (!n.is_string()) {
      out += v;
      return;
    }
    if (literal_ok(v)) {
      size_t trailing = 0;
      while (trailing < v.size() && v[v.size() - 1 - trailing] == '\n') ++trailing;
      out += trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
      std::string_view body(v);
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
      return;
    }
    out += needs_quotes(v) ? double_quoted(v) : v;
  }

  void key(const MNode& k) { out += (k.is_scalar() && needs_quotes(k.value)) ? double_quoted(k.value) : k.value; }

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
      key(n.keys[i]);
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
