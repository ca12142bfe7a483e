#include "render/helm/values.h"

#include <charconv>

#include <fmt/format.h>

#include "render/helm/funcs/convert.h"
#include "render/helm/funcs/helm_yaml.h"

namespace gl::render::helm {
namespace {

using convert::deep_copy;
using gotemplate::GoType;
using gotemplate::Kind;
using gotemplate::List;

}  // namespace

std::optional<Map> values_from_yaml(const yaml::Node& root, std::string* error) {
  if (root.is_null()) return Map{};
  if (!root.is_map()) {
    if (error != nullptr) *error = "values must be a mapping at the top level";
    return std::nullopt;
  }
  // Helm reads values files as fromYaml reads text: yaml.v2's types through JSON.
  auto v = from_yaml_node(root, error);
  if (!v) return std::nullopt;
  return v->as_map();
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
  // chartutil's coalesceValues / coalesceTablesFullKey (merge=false): only keys the chart has are looked at. A
  // user null deletes the chart's key; a null the chart itself has, or a user null for a key the chart lacks,
  // stays (a template sees a key holding nil).
  for (const auto& [k, def] : defaults) {
    auto it = values.find(k);
    if (it == values.end()) {
      values.emplace(k, deep_copy(def));
      continue;
    }
    if (it->second.is_nil()) {
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
}

void merge_tables(Map& dst, const Map& src) {
  for (const auto& [k, v] : src) {
    auto it = dst.find(k);
    if (it == dst.end()) {
      dst.emplace(k, deep_copy(v));
      continue;
    }
    if (it->second.kind() == Kind::kMap && v.kind() == Kind::kMap) {
      Map inner = it->second.as_map();
      merge_tables(inner, v.as_map());
      const Span origin = it->second.origin;
      it->second = Value::map(std::move(inner));
      it->second.origin = origin;
    }
  }
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
