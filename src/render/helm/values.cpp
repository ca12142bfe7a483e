#include "render/helm/values.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace gl::render::helm {
namespace {

using gotemplate::GoType;
using gotemplate::Kind;
using gotemplate::List;

bool is_null_word(std::string_view s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

std::optional<bool> yaml11_bool(std::string_view s) {
  static constexpr std::string_view kTrue[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static constexpr std::string_view kFalse[] = {"n",     "N",     "no",  "No",  "NO",  "false",
                                                "False", "FALSE", "off", "Off", "OFF"};
  for (auto t : kTrue) {
    if (s == t) return true;
  }
  for (auto f : kFalse) {
    if (s == f) return false;
  }
  return std::nullopt;
}

/// yaml.v2's integer resolution: underscores dropped, then Go's ParseInt with base prefix (0x, 0o, 0b, and a
/// leading 0 for octal). Values past int64 fall back to unsigned, then to float, as yaml.v2 tries them.
std::optional<double> yaml11_int(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c != '_') s += c;
  }
  if (s.empty()) return std::nullopt;
  bool neg = false;
  std::string_view v = s;
  if (v[0] == '+' || v[0] == '-') {
    neg = v[0] == '-';
    v.remove_prefix(1);
  }
  if (v.empty()) return std::nullopt;
  int base = 10;
  if (v.size() > 1 && v[0] == '0') {
    if (v[1] == 'x' || v[1] == 'X') {
      base = 16;
      v.remove_prefix(2);
    } else if (v[1] == 'o' || v[1] == 'O') {
      base = 8;
      v.remove_prefix(2);
    } else if (v[1] == 'b' || v[1] == 'B') {
      base = 2;
      v.remove_prefix(2);
    } else {
      base = 8;
      v.remove_prefix(1);
    }
  }
  if (v.empty()) return std::nullopt;
  uint64_t out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out, base);
  if (ptr != v.data() + v.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) return std::nullopt;  // a float then
  const double d = static_cast<double>(out);
  return neg ? -d : d;
}

/// yaml.v2's float syntax, [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? after dropping underscores
/// (without .inf/.nan, which JSON cannot carry).
bool yaml11_float(std::string_view s, double* out) {
  std::string plain;
  for (char c : s) {
    if (c != '_') plain += c;
  }
  size_t i = 0;
  const auto digits = [&] {
    const size_t start = i;
    while (i < plain.size() && plain[i] >= '0' && plain[i] <= '9') ++i;
    return i - start;
  };
  if (i < plain.size() && (plain[i] == '+' || plain[i] == '-')) ++i;
  if (i < plain.size() && plain[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < plain.size() && plain[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < plain.size() && (plain[i] == 'e' || plain[i] == 'E')) {
    ++i;
    if (i < plain.size() && (plain[i] == '+' || plain[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  if (i != plain.size()) return false;
  *out = std::strtod(plain.c_str(), nullptr);
  return true;
}

bool is_special_float(std::string_view s) {
  static constexpr std::string_view kWords[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
                                                "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"};
  for (auto w : kWords) {
    if (s == w) return true;
  }
  return false;
}

bool plain_untagged(const yaml::Node& n) { return n.style == yaml::ScalarStyle::kPlain && n.tag.empty(); }

/// A mapping key as the JSON object key Helm ends up with.
std::string key_string(const yaml::Node& k) {
  if (!k.is_scalar()) return std::string(k.value);
  if (!plain_untagged(k)) return std::string(k.value);
  if (auto b = yaml11_bool(k.value)) return *b ? "true" : "false";
  if (auto i = yaml11_int(k.value)) return fmt::format("{}", static_cast<int64_t>(*i));
  if (is_null_word(k.value)) return "null";
  return std::string(k.value);
}

}  // namespace

std::optional<Value> value_from_yaml(const yaml::Node& node, std::string* error) {
  Value out;
  switch (node.type) {
    case yaml::NodeType::kNull:
      break;
    case yaml::NodeType::kScalar: {
      const std::string_view s = node.value;
      if (!plain_untagged(node)) {
        const std::string_view tag = node.tag;
        if (tag.ends_with("int") || tag.ends_with("float")) {
          double d = 0;
          if (auto i = yaml11_int(s)) {
            out = Value::floating(*i);
          } else if (yaml11_float(s, &d)) {
            out = Value::floating(d);
          } else {
            out = Value::string(std::string(s));
          }
        } else if (tag.ends_with("bool") && yaml11_bool(s)) {
          out = Value::boolean(*yaml11_bool(s));
        } else if (tag.ends_with("null")) {
          out = Value::nil();
        } else {
          out = Value::string(std::string(s));
        }
        break;
      }
      if (is_null_word(s)) break;
      if (auto b = yaml11_bool(s)) {
        out = Value::boolean(*b);
        break;
      }
      if (auto i = yaml11_int(s)) {
        out = Value::floating(*i);
        break;
      }
      if (is_special_float(s)) {
        if (error != nullptr) *error = fmt::format("`{}` cannot be a value: JSON has no infinity or NaN", s);
        return std::nullopt;
      }
      double d = 0;
      if (yaml11_float(s, &d)) {
        out = Value::floating(d);
        break;
      }
      out = Value::string(std::string(s));
      break;
    }
    case yaml::NodeType::kSequence: {
      List items;
      items.reserve(node.items.size());
      for (const auto& item : node.items) {
        auto v = value_from_yaml(item, error);
        if (!v) return std::nullopt;
        items.push_back(std::move(*v));
      }
      out = Value::list(std::move(items));
      break;
    }
    case yaml::NodeType::kMapping: {
      Map m;
      for (size_t i = 0; i < node.keys.size(); ++i) {
        auto v = value_from_yaml(node.items[i], error);
        if (!v) return std::nullopt;
        m[key_string(node.keys[i])] = std::move(*v);
      }
      out = Value::map(std::move(m));
      break;
    }
  }
  out.origin = node.span();
  return out;
}

std::optional<Map> values_from_yaml(const yaml::Node& root, std::string* error) {
  if (root.is_null()) return Map{};
  if (!root.is_map()) {
    if (error != nullptr) *error = "values must be a mapping at the top level";
    return std::nullopt;
  }
  auto v = value_from_yaml(root, error);
  if (!v) return std::nullopt;
  return v->as_map();
}

Value deep_copy(const Value& v) {
  Value out;
  switch (v.kind()) {
    case Kind::kList: {
      List items;
      items.reserve(v.as_list().size());
      for (const auto& i : v.as_list()) items.push_back(deep_copy(i));
      out = Value::list(std::move(items), v.go_type());
      break;
    }
    case Kind::kMap: {
      Map m;
      for (const auto& [k, i] : v.as_map()) m.emplace(k, deep_copy(i));
      out = Value::map(std::move(m), v.go_type());
      break;
    }
    default:
      out = v;
  }
  out.origin = v.origin;
  return out;
}

void merge_values(Map& dst, const Map& src) {
  for (const auto& [k, v] : src) {
    auto it = dst.find(k);
    if (it != dst.end() && it->second.kind() == Kind::kMap && v.kind() == Kind::kMap) {
      Map merged = it->second.as_map();
      merge_values(merged, v.as_map());
      const Span origin = it->second.origin;
      it->second = Value::map(std::move(merged));
      it->second.origin = origin;
    } else {
      dst[k] = deep_copy(v);
    }
  }
}

void coalesce_values(Map& values, const Map& defaults) {
  for (const auto& [k, def] : defaults) {
    auto it = values.find(k);
    if (it == values.end()) {
      values.emplace(k, deep_copy(def));
      continue;
    }
    if (it->second.is_nil()) {
      // A user null deletes the chart's default.
      values.erase(it);
      continue;
    }
    if (it->second.kind() == Kind::kMap && def.kind() == Kind::kMap) {
      Map inner = it->second.as_map();
      coalesce_values(inner, def.as_map());
      const Span origin = it->second.origin;
      it->second = Value::map(std::move(inner));
      it->second.origin = origin;
    }
  }
  // Nulls the user set for keys the chart does not have are dropped too.
  std::erase_if(values, [](const auto& kv) { return kv.second.is_nil(); });
}

namespace {

/// Helm's strvals parser, over one `--set` argument.
class SetParser {
 public:
  SetParser(std::string_view text, bool as_string, Span origin) : s_(text), as_string_(as_string), origin_(origin) {}

  bool parse(Map& into, std::string* error) {
    while (pos_ < s_.size()) {
      if (!assign(into, error)) return false;
      if (pos_ < s_.size()) {
        if (s_[pos_] != ',') return fail(error, "expected `,`");
        ++pos_;
      }
    }
    return true;
  }

 private:
  bool fail(std::string* error, std::string_view why) {
    if (error != nullptr) *error = fmt::format("failed parsing --set data `{}`: {}", s_, why);
    return false;
  }

  /// Reads up to one of `stops` (unescaping `\x`); returns the text and the stop character (0 at the end).
  std::pair<std::string, char> token(std::string_view stops) {
    std::string out;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '\\' && pos_ + 1 < s_.size()) {
        out += s_[pos_ + 1];
        pos_ += 2;
        continue;
      }
      if (stops.find(c) != std::string_view::npos) return {out, c};
      out += c;
      ++pos_;
    }
    return {out, 0};
  }

  Value typed(const std::string& v) const {
    Value out;
    if (as_string_) {
      out = Value::string(v);
    } else if (v.size() == 4 && (v[0] == 't' || v[0] == 'T') && (v[1] == 'r' || v[1] == 'R') &&
               (v[2] == 'u' || v[2] == 'U') && (v[3] == 'e' || v[3] == 'E')) {
      out = Value::boolean(true);
    } else if (v.size() == 5 && std::equal(v.begin(), v.end(), "false", [](char a, char b) {
                 return std::tolower(static_cast<unsigned char>(a)) == b;
               })) {
      out = Value::boolean(false);
    } else if (v.size() == 4 && std::equal(v.begin(), v.end(), "null", [](char a, char b) {
                 return std::tolower(static_cast<unsigned char>(a)) == b;
               })) {
      out = Value::nil();
    } else if (int64_t i = 0; !v.empty() && (v == "0" || v[0] != '0') && parse_int(v, &i)) {
      out = Value::integer(i, gotemplate::GoType::kInt64);
    } else {
      out = Value::string(v);
    }
    out.origin = origin_;
    return out;
  }

  static bool parse_int(const std::string& v, int64_t* out) {
    std::string_view t = v;
    if (t.starts_with('+')) t.remove_prefix(1);
    if (t.empty() || t.starts_with("+") || (t.starts_with("-") && t.size() == 1)) return false;
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), *out, 10);
    return ec == std::errc() && ptr == t.data() + t.size();
  }

  /// The value after `=`: a list `{a,b}` or a scalar up to `,`.
  Value value() {
    if (pos_ < s_.size() && s_[pos_] == '{') {
      ++pos_;
      List items;
      for (;;) {
        auto [text, stop] = token(",}");
        items.push_back(typed(text));
        if (stop == 0) break;
        ++pos_;
        if (stop == '}') break;
      }
      Value v = Value::list(std::move(items));
      v.origin = origin_;
      return v;
    }
    auto [text, stop] = token(",");
    return typed(text);
  }

  /// Sets list element `index` of `list` (growing it with nils).
  static void set_index(List& list, size_t index, Value v) {
    if (list.size() <= index) list.resize(index + 1);
    list[index] = std::move(v);
  }

  bool assign(Map& into, std::string* error) {
    auto [key, stop] = token("=.[,");
    if (stop == 0 || stop == ',') {
      if (key.empty()) return true;
      return fail(error, fmt::format("key `{}` has no value", key));
    }
    ++pos_;
    if (stop == '=') {
      into[key] = value();
      return true;
    }
    if (stop == '.') {
      auto it = into.find(key);
      if (it == into.end() || it->second.kind() != Kind::kMap) {
        if (it != into.end() && !it->second.is_nil() && it->second.kind() != Kind::kMap)
          return fail(error, fmt::format("key `{}` is not a map", key));
        into[key] = Value::map(Map{});
        into[key].origin = origin_;
      }
      Map inner = into[key].as_map();
      if (!assign(inner, error)) return false;
      into[key] = Value::map(std::move(inner));
      into[key].origin = origin_;
      return true;
    }
    // `[`: a list index.
    List list;
    if (auto it = into.find(key); it != into.end() && it->second.kind() == Kind::kList) list = it->second.as_list();
    if (!index_assign(list, error)) return false;
    into[key] = Value::list(std::move(list));
    into[key].origin = origin_;
    return true;
  }

  /// After `[`: `N]` then `=value`, `.rest` or `[M]...`.
  bool index_assign(List& list, std::string* error) {
    auto [digits, stop] = token("]");
    if (stop != ']') return fail(error, "missing `]`");
    ++pos_;
    size_t index = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) return fail(error, "bad list index");
    constexpr size_t kMaxIndex = 65536;
    if (index > kMaxIndex) return fail(error, "list index too large");
    if (pos_ >= s_.size()) return fail(error, "missing value");
    const char next = s_[pos_++];
    if (next == '=') {
      set_index(list, index, value());
      return true;
    }
    if (next == '.') {
      Map inner;
      if (index < list.size() && list[index].kind() == Kind::kMap) inner = list[index].as_map();
      if (!assign(inner, error)) return false;
      Value v = Value::map(std::move(inner));
      v.origin = origin_;
      set_index(list, index, std::move(v));
      return true;
    }
    if (next == '[') {
      List inner;
      if (index < list.size() && list[index].kind() == Kind::kList) inner = list[index].as_list();
      if (!index_assign(inner, error)) return false;
      Value v = Value::list(std::move(inner));
      v.origin = origin_;
      set_index(list, index, std::move(v));
      return true;
    }
    return fail(error, "expected `=`, `.` or `[` after an index");
  }

  std::string_view s_;
  bool as_string_;
  Span origin_;
  size_t pos_ = 0;
};

}  // namespace

bool apply_set(Map& values, std::string_view expr, bool as_string, Span origin, std::string* error) {
  SetParser p(expr, as_string, origin);
  return p.parse(values, error);
}

}  // namespace gl::render::helm
