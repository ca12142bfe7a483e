#include "render/helm/gotemplate/value.h"

#include "render/helm/gotemplate/function.h"

namespace gl::render::gotemplate {

bool Object::has_method(std::string_view) const { return false; }

std::vector<ParamType> Object::method_params(std::string_view) const { return {}; }

Value Object::call_method(std::string_view name, std::span<const Value>, std::string* error) const {
  if (error != nullptr) *error = "can't call method/function \"" + std::string(name) + "\"";
  return Value();
}

std::string Object::format() const { return "{" + type_name() + "}"; }

Value Object::zero_entry() const { return Value(); }

void fail(std::string message) { throw ExecError{std::move(message)}; }

Value Value::boolean(bool b) {
  Value v;
  v.v_ = b;
  v.type_ = GoType::kBool;
  return v;
}

Value Value::integer(int64_t i, GoType t) {
  Value v;
  v.v_ = i;
  v.type_ = t;
  return v;
}

Value Value::floating(double d) {
  Value v;
  v.v_ = d;
  v.type_ = GoType::kFloat64;
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.v_ = std::move(s);
  v.type_ = GoType::kString;
  return v;
}

Value Value::bytes(std::string b) {
  Value v;
  v.v_ = std::move(b);
  v.type_ = GoType::kBytes;
  return v;
}

Value Value::list(List items, GoType t) {
  Value v;
  v.v_ = std::make_shared<List>(std::move(items));
  v.type_ = t;
  return v;
}

Value Value::map(Map m, GoType t) { return map_ref(std::make_shared<Map>(std::move(m)), t); }

Value Value::map_ref(std::shared_ptr<Map> m, GoType t) {
  Value v;
  v.v_ = std::move(m);
  v.type_ = t;
  return v;
}

Value Value::object(std::shared_ptr<const Object> o) {
  Value v;
  v.v_ = std::move(o);
  v.type_ = GoType::kObject;
  return v;
}

Kind Value::kind() const {
  switch (v_.index()) {
    case 0: return Kind::kNil;
    case 1: return Kind::kBool;
    case 2: return Kind::kInt;
    case 3: return Kind::kFloat;
    case 4: return Kind::kString;
    case 5: return Kind::kList;
    case 6: return Kind::kMap;
    default: return Kind::kObject;
  }
}

std::string Value::type_name() const {
  switch (type_) {
    case GoType::kNil: return "<nil>";
    case GoType::kBool: return "bool";
    case GoType::kInt: return "int";
    case GoType::kInt64: return "int64";
    case GoType::kFloat64: return "float64";
    case GoType::kString: return "string";
    case GoType::kBytes: return "[]uint8";
    case GoType::kIfaceList: return "[]interface {}";
    case GoType::kStringList: return "[]string";
    case GoType::kMap: return "map[string]interface {}";
    case GoType::kStringMap: return "map[string]string";
    case GoType::kValues: return "chartutil.Values";
    case GoType::kObject: return as_object().type_name();
  }
  return "?";
}

bool Value::truthy() const {
  switch (kind()) {
    case Kind::kNil: return false;
    case Kind::kBool: return as_bool();
    case Kind::kInt: return as_int() != 0;
    case Kind::kFloat: return as_float() != 0;
    case Kind::kString: return !as_string().empty();
    case Kind::kList: return !as_list().empty();
    case Kind::kMap: return !as_map().empty();
    case Kind::kObject: return as_object().entries() == nullptr || !as_object().entries()->empty();
  }
  return false;
}

}  // namespace gl::render::gotemplate
