#pragma once
// YAML, JSON and TOML the way Helm's template functions produce and read them:
// - encoding/json (Go 1.19): sorted keys, HTML-safe escapes, floats in 'f' form below 1e21, no trailing newline;
// - sigs.k8s.io/yaml 1.3.0 over gopkg.in/yaml.v2: Marshal = value -> JSON -> yaml.v2 (YAML 1.1 quoting, keys in
//   yaml.v2's natural order, sequences not indented under their key, folding at 80 columns, literal blocks);
//   Unmarshal = yaml.v2 (YAML 1.1 resolution: yes/on, 0777, 1_000, .inf) -> JSON -> interface{} (every number
//   a float64);
// - BurntSushi/toml's encoder for toToml.
// Errors are returned as Go's message text, never thrown.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "render/helm/gotemplate/value.h"
#include "yaml/node.h"

namespace gl::render::helm {

/// An object encoding/json can marshal (Go's json.Marshaler or a struct): time.Time, *semver.Version, the
/// certificate structs of genCA. Objects without it marshal as null.
class JsonMarshaler {
 public:
  virtual ~JsonMarshaler() = default;
  /// The plain value the object marshals as (a string for time.Time, a map of fields for a struct).
  virtual gotemplate::Value json_value() const = 0;
  /// A struct's JSON fields in declaration order, as encoding/json writes them (omitempty applied); nullopt
  /// when json_value() is all there is.
  virtual std::optional<std::vector<std::pair<std::string, gotemplate::Value>>> json_fields() const {
    return std::nullopt;
  }
};

/// json.Marshal (`indent` non-empty: json.MarshalIndent(v, "", indent)); nullopt with `error` set on an
/// unsupported value (NaN, ±Inf).
std::optional<std::string> to_json(const gotemplate::Value& v, std::string* error, bool escape_html = true,
                                   std::string_view indent = {});
/// json.Unmarshal into interface{}: objects -> map[string]interface {}, arrays -> []interface {}, numbers ->
/// float64. nullopt with Go's error text (e.g. "invalid character 'x' looking for beginning of value"). A number
/// out of float64's range decodes as nil and sets `error` while the value is still returned, as Go does.
std::optional<gotemplate::Value> from_json(std::string_view text, std::string* error);

/// sigs.k8s.io/yaml.Marshal, with its final newline; nullopt with `error` set when JSON marshalling fails.
std::optional<std::string> to_yaml(const gotemplate::Value& v, std::string* error);
/// sigs.k8s.io/yaml.Unmarshal of the first document into interface{} (nil for an empty document); nullopt with
/// the error text sigs.k8s.io/yaml gives (e.g. "error converting YAML to JSON: yaml: line 1: ...").
std::optional<gotemplate::Value> from_yaml(std::string_view text, std::string* error);
/// The same decoding of an already parsed node (how Helm reads values files); every value keeps the span
/// of the node it came from (Value::origin).
std::optional<gotemplate::Value> from_yaml_node(const yaml::Node& node, std::string* error);

/// BurntSushi/toml's Encoder.Encode of a map; nullopt with the error text for values TOML cannot hold.
std::optional<std::string> to_toml(const gotemplate::Value& v, std::string* error);

/// strconv.FormatFloat(f, 'g', -1, 64): shortest round-trip digits, exponent form when the decimal exponent is
/// below -4 or at least 6 (1e+06, 1.234567e+06, 123456, 0.0001, 1e-05); "+Inf", "-Inf", "NaN".
std::string format_float_g(double f);
/// encoding/json's float64 text: 'f' form, 'e' form below 1e-6 or from 1e21 (e-07 written e-7).
std::string format_float_json(double f);

}  // namespace gl::render::helm
