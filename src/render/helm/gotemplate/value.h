#pragma once
// The values a Go template computes with, modelled on what Helm charts see: Go's dynamic types
// (interface{} holding bool, int, int64, float64, string, []interface{}, map[string]interface{}, nil),
// plus objects with fields and methods (.Release, .Chart, .Files, .Capabilities). Every value may carry
// the span of the values-file line it came from, so output can be traced back to it (provenance).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/source.h"

namespace gl::render::gotemplate {

/// The Go type of a function or method parameter, for the checks text/template makes before a call (exec.go evalArg,
/// validateType): a constant must suit the type ("expected string; found 1"), a computed value must have it
/// ("wrong type for value; expected string; got float64"), nil only fits the types that can be nil.
enum class ParamType : uint8_t {
  kAny,          ///< interface {}: anything (constants become int, float64, string or bool)
  kString,       ///< string
  kInt,          ///< int
  kInt64,        ///< int64
  kUint32,       ///< uint32 (no template value has it: only constants fit)
  kFloat64,      ///< float64
  kBool,         ///< bool
  kIfaceList,    ///< []interface {}
  kMap,          ///< map[string]interface {} (chartutil.Values is assignable to it)
  kTime,         ///< time.Time (an object whose type is time.Time)
  kCertificate,  ///< sprig.certificate (an object whose type is sprig.certificate)
};

/// Go's name of a parameter type, as the checks print it ("map[string]interface {}").
std::string_view param_type_name(ParamType t);

class Value;
using List = std::vector<Value>;
/// Go maps iterate in sorted key order in templates and print sorted: std::map keeps that order.
using Map = std::map<std::string, Value, std::less<>>;

/// A Go object with named fields and methods (a struct or a type with methods), e.g. `.Files`.
class Object {
 public:
  virtual ~Object() = default;
  /// Go type name as `printf "%T"` prints it, e.g. "chartutil.Capabilities".
  virtual std::string type_name() const = 0;
  /// A field or a method without arguments; nullopt when there is none (an error in Go).
  virtual std::optional<Value> field(std::string_view name) const = 0;
  /// True when `name` is a method taking arguments (called with `call_method`).
  virtual bool has_method(std::string_view name) const;
  /// The Go parameter types of a method taking arguments: the executor checks the count and each argument as
  /// it does a function's ("wrong number of args for Get: want 1 got 0", "expected string; found 1") before
  /// call_method. Empty: the method checks its own arguments.
  virtual std::vector<ParamType> method_params(std::string_view name) const;
  /// Calls a method; `error` is set on failure.
  virtual Value call_method(std::string_view name, std::span<const Value> args, std::string* error) const;
  /// `%v` formatting of the object (Go prints structs as {a b}); most Helm objects print fields.
  virtual std::string format() const;
  /// For a Go map type with methods (Helm's `.Files`, a map[string][]byte): the entries that len, index, range,
  /// truth and `.key` lookups see; nullptr for other objects.
  virtual const Map* entries() const { return nullptr; }
  /// What a missing key of `entries()` gives (the map's zero element).
  virtual Value zero_entry() const;
};

enum class Kind : uint8_t { kNil, kBool, kInt, kFloat, kString, kList, kMap, kObject };

/// The Go type a value holds, where templates can observe it (printf %T, typeOf, kindIs, int vs int64
/// formatting is the same, but `typeOf` differs). Lists from Sprig's splitList are []string, not
/// []interface {}; maps from `dict` are map[string]interface {}.
enum class GoType : uint8_t {
  kNil,
  kBool,
  kInt,       ///< int (template integer constants, len, sprig int)
  kInt64,     ///< int64 (sprig int64, --set integers)
  kFloat64,   ///< float64 (every number from YAML or JSON)
  kString,
  kBytes,     ///< []uint8 (.Files.GetBytes)
  kIfaceList, ///< []interface {}
  kStringList,///< []string
  kMap,       ///< map[string]interface {}
  kStringMap, ///< map[string]string (sprig's split and splitn)
  kValues,    ///< chartutil.Values (.Values: a map with methods)
  kObject,
};

class Value {
 public:
  Value() = default;
  static Value nil() { return Value(); }
  static Value boolean(bool b);
  static Value integer(int64_t i, GoType t = GoType::kInt);
  static Value floating(double d);
  static Value string(std::string s);
  /// A Go []byte (`.Files.GetBytes`): held as a string, printed as [104 105].
  static Value bytes(std::string b);
  static Value list(List items, GoType t = GoType::kIfaceList);
  static Value map(Map m, GoType t = GoType::kMap);
  /// A shared map (Go maps are references: `set` on it is seen by every holder).
  static Value map_ref(std::shared_ptr<Map> m, GoType t = GoType::kMap);
  static Value object(std::shared_ptr<const Object> o);

  Kind kind() const;
  GoType go_type() const { return type_; }
  /// Go type name as printf %T prints it ("int", "float64", "[]interface {}", "map[string]interface {}").
  std::string type_name() const;

  bool is_nil() const { return kind() == Kind::kNil; }
  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  double as_float() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const List& as_list() const { return *std::get<std::shared_ptr<List>>(v_); }
  List& mutable_list() { return *std::get<std::shared_ptr<List>>(v_); }
  const Map& as_map() const { return *std::get<std::shared_ptr<Map>>(v_); }
  /// The shared map itself (mutations are visible through every copy of this Value).
  const std::shared_ptr<Map>& map_ptr() const { return std::get<std::shared_ptr<Map>>(v_); }
  const Object& as_object() const { return *std::get<std::shared_ptr<const Object>>(v_); }
  const std::shared_ptr<const Object>& object_ptr() const { return std::get<std::shared_ptr<const Object>>(v_); }

  /// Go's truth for if/with/and/or/not: false, 0, nil, "" and empty collections are false.
  bool truthy() const;

  /// Where this value was written (a values file line, a --set flag), when known.
  Span origin;

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string, std::shared_ptr<List>, std::shared_ptr<Map>,
               std::shared_ptr<const Object>>
      v_;
  GoType type_ = GoType::kNil;
};

}  // namespace gl::render::gotemplate
