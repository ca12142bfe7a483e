// Helm's own template functions (pkg/engine/funcs.go) and Sprig's JSON helpers (defaults.go), which share the
// encoders in helm_yaml.cpp.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "render/helm/funcs/convert.h"
#include "render/helm/funcs/funcs.h"
#include "render/helm/funcs/helm_yaml.h"

namespace gl::render::helm {

using gotemplate::CallContext;
using gotemplate::FuncMap;
using gotemplate::Function;
using gotemplate::Kind;
using gotemplate::List;
using gotemplate::Map;
using gotemplate::Value;

namespace {

using Args = std::span<const Value>;

const std::string& str_arg(Args args, size_t i) { return convert::arg_string(args, i); }

std::string trim_one_newline(std::string s) {
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

/// json.Unmarshal of `text` into a value of the Go type `want` ("map" or "array"); the decoded value or
/// the error text.
std::optional<Value> decode_into(const std::optional<Value>& decoded, bool want_map, std::string* error,
                                 std::string_view prefix) {
  if (!decoded) return std::nullopt;
  const Value& v = *decoded;
  if (v.is_nil()) return want_map ? Value::map({}) : Value::list({});
  if ((want_map && v.kind() == Kind::kMap) || (!want_map && v.kind() == Kind::kList)) return v;
  std::string found;
  switch (v.kind()) {
    case Kind::kMap:
      found = "object";
      break;
    case Kind::kList:
      found = "array";
      break;
    case Kind::kString:
      found = "string";
      break;
    case Kind::kBool:
      found = "bool";
      break;
    default:
      found = "number";
      break;
  }
  if (error != nullptr) {
    *error = std::string(prefix) + "json: cannot unmarshal " + found + " into Go value of type " +
             (want_map ? "map[string]interface {}" : "[]interface {}");
  }
  return std::nullopt;
}

Value from_yaml_map(const std::string& text) {
  std::string err;
  auto v = decode_into(from_yaml(text, &err), true, &err, "error unmarshaling JSON: while decoding JSON: ");
  if (!v) return Value::map(Map{{"Error", Value::string(err)}});
  return *v;
}

Value from_yaml_array(const std::string& text) {
  std::string err;
  auto v = decode_into(from_yaml(text, &err), false, &err, "error unmarshaling JSON: while decoding JSON: ");
  if (!v) return Value::list(List{Value::string(err)});
  return *v;
}

Value from_json_map(const std::string& text) {
  std::string err;
  auto decoded = from_json(text, &err);
  const std::string late_error = decoded ? err : std::string();  // a number out of range: decoding went on
  auto v = decode_into(decoded, true, &err, "");
  if (!v) return Value::map(Map{{"Error", Value::string(err)}});
  if (!late_error.empty()) v->map_ptr()->insert_or_assign("Error", Value::string(late_error));
  return *v;
}

Value from_json_array(const std::string& text) {
  std::string err;
  auto v = decode_into(from_json(text, &err), false, &err, "");
  if (!v) return Value::list(List{Value::string(err)});
  return *v;
}

}  // namespace

void add_helm_functions(FuncMap& f) {
  // YAML (sigs.k8s.io/yaml): errors give "" (toYaml) or fail (mustToYaml); the final newline is dropped.
  f["toYaml"] = Function{1, 1, [](CallContext&, Args a) {
                           std::string err;
                           auto y = to_yaml(a[0], &err);
                           return Value::string(y ? trim_one_newline(std::move(*y)) : std::string());
                         }};
  f["mustToYaml"] = Function{1, 1, [](CallContext&, Args a) {
                               std::string err;
                               auto y = to_yaml(a[0], &err);
                               if (!y) gotemplate::fail(err);
                               return Value::string(trim_one_newline(std::move(*y)));
                             }};
  f["fromYaml"] = Function{1, 1, [](CallContext&, Args a) { return from_yaml_map(str_arg(a, 0)); }};
  f["fromYamlArray"] = Function{1, 1, [](CallContext&, Args a) { return from_yaml_array(str_arg(a, 0)); }};

  // JSON (encoding/json): Helm's toJson/fromJson/fromJsonArray, Sprig's pretty/raw/must variants.
  f["toJson"] = Function{1, 1, [](CallContext&, Args a) {
                           std::string err;
                           auto j = to_json(a[0], &err);
                           return Value::string(j ? std::move(*j) : std::string());
                         }};
  f["mustToJson"] = Function{1, 1, [](CallContext&, Args a) {
                               std::string err;
                               auto j = to_json(a[0], &err);
                               if (!j) gotemplate::fail(err);
                               return Value::string(std::move(*j));
                             }};
  f["toPrettyJson"] = Function{1, 1, [](CallContext&, Args a) {
                                 std::string err;
                                 auto j = to_json(a[0], &err, true, "  ");
                                 return Value::string(j ? std::move(*j) : std::string());
                               }};
  f["mustToPrettyJson"] = Function{1, 1, [](CallContext&, Args a) {
                                     std::string err;
                                     auto j = to_json(a[0], &err, true, "  ");
                                     if (!j) gotemplate::fail(err);
                                     return Value::string(std::move(*j));
                                   }};
  const auto raw_json = [](CallContext&, Args a) {
    std::string err;
    auto j = to_json(a[0], &err, false);
    if (!j) gotemplate::fail(err);
    return Value::string(std::move(*j));
  };
  f["toRawJson"] = Function{1, 1, raw_json};
  f["mustToRawJson"] = Function{1, 1, raw_json};
  f["fromJson"] = Function{1, 1, [](CallContext&, Args a) { return from_json_map(str_arg(a, 0)); }};
  f["fromJsonArray"] = Function{1, 1, [](CallContext&, Args a) { return from_json_array(str_arg(a, 0)); }};
  f["mustFromJson"] = Function{1, 1, [](CallContext&, Args a) {
                                 std::string err;
                                 auto v = from_json(str_arg(a, 0), &err);
                                 if (!v || !err.empty()) gotemplate::fail(err);
                                 return *v;
                               }};

  // TOML (BurntSushi/toml): an error gives its message as the output, as Helm does.
  f["toToml"] = Function{1, 1, [](CallContext&, Args a) {
                           std::string err;
                           auto t = to_toml(a[0], &err);
                           return Value::string(t ? std::move(*t) : err);
                         }};

  // Templates.
  f["include"] =
      Function{2, 2, [](CallContext& ctx, Args a) { return Value::string(ctx.include(str_arg(a, 0), a[1])); }};
  f["tpl"] = Function{2, 2, [](CallContext& ctx, Args a) { return Value::string(ctx.tpl(str_arg(a, 0), a[1])); }};

  // Flow control and cluster access.
  f["required"] = Function{2, 2, [](CallContext&, Args a) {
                             const std::string& warn = str_arg(a, 0);
                             const Value& v = a[1];
                             if (v.is_nil() || (v.kind() == Kind::kString && v.as_string().empty()))
                               gotemplate::fail(warn);
                             return v;
                           }};
  f["fail"] = Function{1, 1, [](CallContext&, Args a) -> Value { gotemplate::fail(str_arg(a, 0)); }};
  // `lookup` needs a cluster; offline (helm template) it always returns an empty map.
  f["lookup"] = Function{4, 4, [](CallContext&, Args a) {
                           for (size_t i = 0; i < 4; ++i) str_arg(a, i);
                           return Value::map({});
                         }};

  // Go parameter types where they are not interface {}: text/template checks the arguments before the call.
  using P = gotemplate::ParamType;
  gotemplate::set_params(f, {"fromYaml", "fromYamlArray", "fromJson", "fromJsonArray", "mustFromJson", "fail"},
                         {P::kString});
  gotemplate::set_params(f, {"include", "tpl", "required"}, {P::kString, P::kAny});
  gotemplate::set_params(f, {"lookup"}, {P::kString, P::kString, P::kString, P::kString});
}

}  // namespace gl::render::helm
