// String templating of ApplicationSets (Argo CD's utils.Render), the function map of its Go templates,
// and the conversions and merges between parameter values and YAML nodes.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "core/strings.h"
#include "render/argocd/appset_internal.h"
#include "render/helm/funcs/convert.h"
#include "render/helm/funcs/funcs.h"
#include "render/helm/funcs/helm_yaml.h"
#include "render/helm/gotemplate/function.h"
#include "render/helm/gotemplate/gofmt.h"

namespace gl::render::argocd {

std::string sanitize_name(std::string_view name) {
  constexpr size_t kMaxDnsName = 253;
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    const auto b = static_cast<unsigned char>(name[i]);
    if (b >= 0x80) {  // Go's regexp replaces each non-ASCII rune (or invalid byte) by one '-'
      i += std::max<size_t>(1, utf8_length(name, i)) - 1;
      out.push_back('-');
      continue;
    }
    const char c = static_cast<char>(std::tolower(b));
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    out.push_back(ok ? c : '-');
  }
  if (out.size() > kMaxDnsName) out.resize(kMaxDnsName);
  const size_t b = out.find_first_not_of("-.");
  if (b == std::string::npos) return {};
  return out.substr(b, out.find_last_not_of("-.") - b + 1);
}

namespace appset {
namespace {

namespace gt = gotemplate;
using Args = std::span<const Value>;

/// gosimple/slug.Make on a sanitized name (only [-a-z0-9.] remain): '.' and '-' runs become one '-',
/// trimmed, then truncated to `max` (at the last '-' before it when `smart`).
std::string slugify(std::string_view name, int64_t max, bool smart) {
  std::string s;
  for (char c : sanitize_name(name)) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (word) {
      s.push_back(c);
    } else if (!s.empty() && s.back() != '-') {
      s.push_back('-');
    }
  }
  while (!s.empty() && s.back() == '-') s.pop_back();
  if (max <= 0 || s.size() <= static_cast<size_t>(max)) return s;
  const auto m = static_cast<size_t>(max);
  if (smart) {
    for (size_t i = m + 1; i-- > 0;) {
      if (s[i] == '-') return s.substr(0, i);
    }
  }
  return s.substr(0, m);
}

const gt::FuncMap& argocd_funcs() {
  static const gt::FuncMap funcs = [] {
    // Sprig's function map without env/expandenv/getHostByName (Helm's map minus Helm's own functions),
    // then Argo CD's normalize, slugify, toYaml, fromYaml and fromYamlArray (errors fail the template).
    gt::FuncMap f = helm::helm_func_map();
    for (const char* name :
         {"getHostByName", "include", "tpl", "required", "lookup", "toToml", "fromJsonArray", "mustToYaml"}) {
      f.erase(name);
    }
    f["fromJson"] = gt::Function{1, 1, [](gt::CallContext&, Args a) {
                                   std::string err;
                                   auto v = helm::from_json(helm::convert::arg_string(a, 0), &err);
                                   return v && err.empty() ? *v : Value();
                                 }};
    f["normalize"] = gt::Function{
        1, 1, [](gt::CallContext&, Args a) { return Value::string(sanitize_name(helm::convert::arg_string(a, 0))); }};
    f["slugify"] = gt::Function{0, -1, [](gt::CallContext&, Args a) {
                                  int64_t max = 50;
                                  bool smart = true;
                                  std::string name;
                                  for (size_t i = 0; i < a.size(); ++i) {
                                    if (i + 1 == a.size()) {
                                      if (a[i].kind() != gt::Kind::kString) gt::fail("bad `slugify` arguments");
                                      name = a[i].as_string();
                                    } else if (i == 0 && a[i].kind() == gt::Kind::kInt) {
                                      max = a[i].as_int();
                                    } else if (i == 1 && a[i].kind() == gt::Kind::kBool) {
                                      smart = a[i].as_bool();
                                    } else {
                                      gt::fail("bad `slugify` arguments");
                                    }
                                  }
                                  return Value::string(slugify(name, max, smart));
                                }};
    f["toYaml"] = gt::Function{1, 1, [](gt::CallContext&, Args a) {
                                 std::string err;
                                 auto y = helm::to_yaml(a[0], &err);
                                 if (!y) gt::fail(err);
                                 if (!y->empty() && y->back() == '\n') y->pop_back();
                                 return Value::string(std::move(*y));
                               }};
    const auto from_yaml = [](bool want_map) {
      return [want_map](gt::CallContext&, Args a) {
        std::string err;
        auto v = helm::from_yaml(helm::convert::arg_string(a, 0), &err);
        if (!v) gt::fail(err);
        if (v->is_nil()) return want_map ? Value::map({}) : Value::list({});
        if (want_map != (v->kind() == gt::Kind::kMap) || (!want_map && v->kind() != gt::Kind::kList)) {
          gt::fail(std::string("error unmarshaling JSON: json: cannot unmarshal ") + (want_map ? "array" : "object") +
                   " into Go value of type " + (want_map ? "map[string]interface {}" : "[]interface {}"));
        }
        return *v;
      };
    };
    f["fromYaml"] = gt::Function{1, 1, from_yaml(true)};
    f["fromYamlArray"] = gt::Function{1, 1, from_yaml(false)};
    return f;
  }();
  return funcs;
}

/// Argo CD's templates have no include or tpl.
class NoIncludes : public gt::CallContext {
 public:
  std::string include(const std::string& name, const Value&) override {
    gt::fail("function \"include\" not defined: " + name);
  }
  std::string tpl(const std::string&, const Value&) override { gt::fail("function \"tpl\" not defined"); }
};

/// Argo CD renders a string with fasttemplate only when some line holds `{{...}}` (regexp `.*{{.*}}.*`).
bool fast_templated(std::string_view s) {
  for (auto line : split(s, '\n')) {
    const size_t open = line.find("{{");
    if (open != std::string_view::npos && line.find("}}", open + 2) != std::string_view::npos) return true;
  }
  return false;
}

std::optional<std::string> fast_replace(const std::string& text, const Map& params, std::string* error) {
  if (!fast_templated(text)) return text;
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find("{{", pos);
    if (open == std::string::npos) break;
    const size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) {
      *error = "invalid template: cannot find end tag \"}}\" in " + text;
      return std::nullopt;
    }
    out.append(text, pos, open - pos);
    const std::string_view tag(text.data() + open + 2, close - open - 2);
    auto it = params.find(trim(tag));
    if (!trim(tag).empty() && it != params.end() && it->second.kind() == gt::Kind::kString) {
      out += it->second.as_string();
    } else {
      out.append(text, open, close + 2 - open);
    }
    pos = close + 2;
  }
  out.append(text, pos);
  return out;
}

bool is_empty(const MNode& n) {
  if (n.is_null()) return true;
  if (n.is_scalar()) {
    const auto kind = scalar_kind(n);
    if (kind == "str") return n.value.empty();
    if (kind == "bool") return to_lower(n.value) == "false";
    return (kind == "int" || kind == "float") && std::strtod(n.value.c_str(), nullptr) == 0;
  }
  return n.items.empty();
}

}  // namespace

Templater::Templater(bool go_template, gt::MissingKey missing_key)
    : go_template_(go_template), missing_key_(missing_key) {}

std::optional<std::string> Templater::replace(const std::string& text, const Map& params, std::string* error,
                                              std::optional<gt::MissingKey> missing_key) const {
  if (!go_template_) return fast_replace(text, params, error);
  if (text.find("{{") == std::string::npos) return text;
  constexpr size_t kMaxCached = 4096;
  if (cache_.size() > kMaxCached) cache_.clear();
  auto it = cache_.find(text);
  if (it == cache_.end()) {
    Parsed p;
    p.set = std::make_unique<gt::TemplateSet>(&argocd_funcs(), "base");
    try {
      p.set->parse("base", text);
    } catch (const gt::ExecError& e) {
      p.error = "failed to parse template " + text + ": " + e.message;
      p.set.reset();
    }
    it = cache_.emplace(text, std::move(p)).first;
  }
  if (!it->second.set) {
    *error = it->second.error;
    return std::nullopt;
  }
  it->second.set->set_missing_key(missing_key.value_or(missing_key_));
  NoIncludes call;
  try {
    return it->second.set->execute("base", Value::map(params), call);
  } catch (const gt::ExecError& e) {
    *error = "failed to execute go template " + text + ": " + e.message;
  }
  return std::nullopt;
}

bool Templater::render(MNode& node, const Map& params, RenderError* error) const {
  const auto one = [&](MNode& s) {
    if (!s.is_string() || s.value.find("{{") == std::string::npos) return true;
    std::string err;
    auto out = replace(s.value, params, &err);
    if (!out) {
      error->at = s.span;
      error->message = std::move(err);
      error->help = "fix the template expression or the parameters it uses";
      return false;
    }
    s = MNode::string(std::move(*out), s.span);
    return true;
  };
  if (node.is_scalar()) return one(node);
  for (auto& k : node.keys) {
    if (!one(k)) return false;
  }
  for (auto& i : node.items) {
    if (!render(i, params, error)) return false;
  }
  return true;
}

Value to_value(const MNode& n) {
  Value v;
  if (n.is_map()) {
    Map m;
    for (size_t i = 0; i < n.keys.size(); ++i) m.insert_or_assign(n.keys[i].value, to_value(n.items[i]));
    v = Value::map(std::move(m));
  } else if (n.is_seq()) {
    gt::List l;
    l.reserve(n.items.size());
    for (const auto& i : n.items) l.push_back(to_value(i));
    v = Value::list(std::move(l));
  } else if (n.is_scalar()) {
    const auto kind = scalar_kind(n);
    if (kind == "bool") {
      const std::string t = to_lower(n.value);
      v = Value::boolean(t == "true" || t == "yes" || t == "on" || t == "y");
    } else if (kind == "int") {
      auto i = helm::convert::parse_int(n.value, 0);
      v = Value::floating(i ? static_cast<double>(*i) : std::strtod(n.value.c_str(), nullptr));
    } else if (kind == "float") {
      v = Value::floating(helm::convert::parse_float(n.value).value_or(0));
    } else if (kind == "str") {
      v = Value::string(n.value);
    }
  }
  v.origin = n.span;
  return v;
}

MNode to_node(const Value& v, Span at) {
  switch (v.kind()) {
    case gt::Kind::kBool:
      return MNode::scalar(v.as_bool() ? "true" : "false", at);
    case gt::Kind::kInt:
      return MNode::scalar(std::to_string(v.as_int()), at);
    case gt::Kind::kFloat: {
      constexpr double kExact = 1e15;
      const double d = v.as_float();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < kExact) {
        return MNode::scalar(std::to_string(static_cast<int64_t>(d)), at);
      }
      return MNode::scalar(gt::gofmt::format_float(d, 'g', -1), at);
    }
    case gt::Kind::kString:
      return MNode::string(v.as_string(), at);
    case gt::Kind::kList: {
      MNode s = MNode::seq(at);
      for (const auto& i : v.as_list()) s.items.push_back(to_node(i, at));
      return s;
    }
    case gt::Kind::kMap: {
      MNode m = MNode::map(at);
      for (const auto& [k, i] : v.as_map()) {
        m.keys.push_back(MNode::string(k, at));
        m.items.push_back(to_node(i, at));
      }
      return m;
    }
    default:
      return MNode::null(at);
  }
}

std::string go_string(const Value& v) {
  return v.kind() == gt::Kind::kString ? v.as_string() : gt::gofmt::format_value(v);
}

namespace {

void flatten_into(const Value& v, const std::string& key, std::map<std::string, std::string>& out) {
  const auto child = [&](const std::string& k) { return key.empty() ? k : key + "." + k; };
  if (v.kind() == gt::Kind::kMap) {
    for (const auto& [k, i] : v.as_map()) flatten_into(i, child(k), out);
  } else if (v.kind() == gt::Kind::kList) {
    for (size_t i = 0; i < v.as_list().size(); ++i) flatten_into(v.as_list()[i], child(std::to_string(i)), out);
  } else {
    out[key] = v.is_nil() ? std::string("<nil>") : go_string(v);
  }
}

}  // namespace

std::map<std::string, std::string> flatten(const Map& params) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : params) flatten_into(v, k, out);
  return out;
}

void merge_override(Map& dst, const Map& src) {
  for (const auto& [k, v] : src) {
    auto it = dst.find(k);
    if (it == dst.end()) {
      dst.emplace(k, v);
    } else if (it->second.kind() == gt::Kind::kMap && v.kind() == gt::Kind::kMap) {
      Map merged = it->second.as_map();
      merge_override(merged, v.as_map());
      it->second = Value::map(std::move(merged));
    } else if (!helm::convert::empty(v)) {
      it->second = v;
    }
  }
}

void merge_patch(MNode& dst, const MNode& patch) {
  if (!patch.is_map() || !dst.is_map()) {
    dst = patch;
    return;
  }
  for (size_t i = 0; i < patch.keys.size(); ++i) {
    const std::string& key = patch.keys[i].value;
    const MNode& value = patch.items[i];
    MNode* cur = dst.get(key);
    if (value.is_null()) {
      dst.erase(key);
    } else if (cur != nullptr && cur->is_map() && value.is_map()) {
      merge_patch(*cur, value);
    } else if (value.is_map()) {  // a new mapping: the patch's nulls in it delete nothing and are dropped
      MNode fresh = MNode::map(value.span);
      merge_patch(fresh, value);
      dst.set(key, std::move(fresh), patch.keys[i].span);
    } else {
      dst.set(key, value, patch.keys[i].span);
    }
  }
}

void merge_defaults(MNode& dst, const MNode& src) {
  if (is_empty(dst) && !(dst.is_map() && src.is_map())) {
    dst = src;
    return;
  }
  if (!dst.is_map() || !src.is_map()) return;
  for (size_t i = 0; i < src.keys.size(); ++i) {
    MNode* cur = dst.get(src.keys[i].value);
    if (cur == nullptr) {
      dst.keys.push_back(src.keys[i]);
      dst.items.push_back(src.items[i]);
    } else {
      merge_defaults(*cur, src.items[i]);
    }
  }
}

namespace {

/// One `[...]` class of a path.Match pattern at p[0] == '['; sets `matched` for byte c and returns the
/// length of the class, 0 when malformed.
size_t match_class(std::string_view p, char c, bool* matched) {
  size_t i = 1;
  const bool negate = i < p.size() && p[i] == '^';
  if (negate) ++i;
  bool in = false;
  bool first = true;
  while (true) {
    if (i >= p.size()) return 0;
    if (p[i] == ']' && !first) break;
    first = false;
    const auto read = [&](char* out) {
      if (i >= p.size() || p[i] == '-' || p[i] == ']') return false;
      if (p[i] == '\\') ++i;
      if (i >= p.size()) return false;
      *out = p[i++];
      return true;
    };
    char lo = 0;
    char hi = 0;
    if (!read(&lo)) return 0;
    hi = lo;
    if (i < p.size() && p[i] == '-') {
      ++i;
      if (!read(&hi)) return 0;
    }
    if (lo <= c && c <= hi) in = true;
  }
  *matched = in != negate;
  return i + 1;
}

/// Matches a star-free chunk at the start of `name`; the rest of name, nullopt when it does not match,
/// `bad` set for a malformed chunk.
std::optional<std::string_view> match_chunk(std::string_view chunk, std::string_view name, bool* bad) {
  size_t i = 0;
  bool failed = false;
  while (i < chunk.size()) {
    const char c = name.empty() ? '\0' : name[0];
    if (chunk[i] == '[') {
      bool m = false;
      const size_t len = match_class(chunk.substr(i), c, &m);
      if (len == 0) {
        *bad = true;
        return std::nullopt;
      }
      if (name.empty() || !m) failed = true;
      i += len;
    } else if (chunk[i] == '?') {
      if (name.empty() || c == '/') failed = true;
      ++i;
    } else {
      if (chunk[i] == '\\' && ++i >= chunk.size()) {
        *bad = true;
        return std::nullopt;
      }
      if (name.empty() || chunk[i] != c) failed = true;
      ++i;
    }
    if (!failed) name.remove_prefix(1);
  }
  if (failed) return std::nullopt;
  return name;
}

/// The next chunk of a pattern: whether stars lead it, the chunk up to the next unescaped star outside a class.
std::string_view scan_chunk(std::string_view& p, bool* star) {
  *star = false;
  while (!p.empty() && p[0] == '*') {
    p.remove_prefix(1);
    *star = true;
  }
  bool in_class = false;
  size_t i = 0;
  for (; i < p.size(); ++i) {
    if (p[i] == '\\' && i + 1 < p.size()) {
      ++i;
    } else if (p[i] == '[') {
      in_class = true;
    } else if (p[i] == ']') {
      in_class = false;
    } else if (p[i] == '*' && !in_class) {
      break;
    }
  }
  std::string_view chunk = p.substr(0, i);
  p.remove_prefix(i);
  return chunk;
}

}  // namespace

std::optional<bool> path_match(std::string_view pattern, std::string_view name) {
  // Go's algorithm: chunks separated by stars; a chunk after a star is tried at each later position within
  // the segment, the first fit is kept (the last chunk must end the name).
  while (!pattern.empty()) {
    bool star = false;
    std::string_view chunk = scan_chunk(pattern, &star);
    if (star && chunk.empty()) return name.find('/') == std::string_view::npos;
    bool bad = false;
    auto rest = match_chunk(chunk, name, &bad);
    if (bad) return std::nullopt;
    if (rest && (rest->empty() || !pattern.empty())) {
      name = *rest;
      continue;
    }
    bool found = false;
    if (star) {
      for (size_t i = 0; i < name.size() && name[i] != '/'; ++i) {
        rest = match_chunk(chunk, name.substr(i + 1), &bad);
        if (bad) return std::nullopt;
        if (rest && (pattern.empty() ? rest->empty() : true)) {
          name = *rest;
          found = true;
          break;
        }
      }
    }
    if (found) continue;
    while (!pattern.empty()) {  // the rest of the pattern must still be well-formed
      chunk = scan_chunk(pattern, &star);
      match_chunk(chunk, "", &bad);
      if (bad) return std::nullopt;
    }
    return false;
  }
  return name.empty();
}

}  // namespace appset
}  // namespace gl::render::argocd
