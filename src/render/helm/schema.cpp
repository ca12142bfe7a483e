#include "render/helm/schema.h"

#include <arpa/inet.h>

#include <re2/re2.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "core/strings.h"
#include "render/helm/funcs/helm_yaml.h"
#include "render/helm/gotemplate/gofmt.h"

namespace gl::render::helm {
namespace {

using gotemplate::Kind;
using gotemplate::List;
using gotemplate::Map;
using gotemplate::Value;

// ---------------------------------------------------------------------------------------------------------
// JSON as encoding/json's Decoder (UseNumber) reads it, keeping each value's offset for findings.

constexpr int kMaxJsonDepth = 1000;

struct Json {
  enum class Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  std::string text;  ///< a string's value, or a number's literal
  double number = 0;
  std::vector<Json> items;
  /// Keys in document order; a repeated key keeps its first place and its last value (a Go map's result).
  std::vector<std::pair<std::string, Json>> fields;
  size_t offset = 0;

  bool is(Type t) const { return type == t; }
  const Json* get(std::string_view key) const {
    for (const auto& [k, v] : fields) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

/// Go's quoteChar: how the json scanner names a byte in its errors.
std::string quote_char(char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  switch (c) {
    case '\n':
      return "'\\n'";
    case '\t':
      return "'\\t'";
    case '\r':
      return "'\\r'";
    case '\\':
      return "'\\\\'";
    default:
      break;
  }
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u == 0x7f) return fmt::format("'\\x{:02x}'", u);
  if (u >= 0x80) return "'\\ufffd'";
  return fmt::format("'{}'", c);
}

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}

  /// Reads the first JSON value (a Decoder ignores what follows it); false with `error_` set.
  bool parse(Json& out) {
    skip_space();
    if (pos_ >= s_.size()) return fail("EOF");
    return value(out, 0);
  }
  const std::string& error() const { return error_; }
  size_t error_offset() const { return error_at_; }

 private:
  bool fail(std::string message) {
    error_ = std::move(message);
    error_at_ = std::min(pos_, s_.size());
    return false;
  }
  bool unexpected(std::string_view context) {
    if (pos_ >= s_.size()) return fail("unexpected EOF");
    return fail(fmt::format("invalid character {} {}", quote_char(s_[pos_]), context));
  }
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }

  bool value(Json& out, int depth) {
    if (depth > kMaxJsonDepth) return fail("exceeded max depth");
    out.offset = pos_;
    if (pos_ >= s_.size()) return fail("unexpected EOF");
    const char c = s_[pos_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.type = Json::Type::kString;
      return string(out.text);
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(out);
    if (c == 't') return literal(out, "true");
    if (c == 'f') return literal(out, "false");
    if (c == 'n') return literal(out, "null");
    return unexpected("looking for beginning of value");
  }

  bool literal(Json& out, std::string_view word) {
    for (size_t i = 0; i < word.size(); ++i, ++pos_) {
      if (pos_ >= s_.size()) return fail("unexpected EOF");
      if (s_[pos_] != word[i]) {
        return fail(fmt::format("invalid character {} in literal {} (expecting {})", quote_char(s_[pos_]), word,
                                quote_char(word[i])));
      }
    }
    if (word == "null") {
      out.type = Json::Type::kNull;
    } else {
      out.type = Json::Type::kBool;
      out.boolean = word == "true";
    }
    return true;
  }

  bool digits() {
    const size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool number(Json& out) {
    const size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    if (pos_ >= s_.size()) return fail("unexpected EOF");
    if (s_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return unexpected("in numeric literal");
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!digits()) return unexpected("after decimal point in numeric literal");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!digits()) return unexpected("in exponent of numeric literal");
    }
    out.type = Json::Type::kNumber;
    out.text = std::string(s_.substr(start, pos_ - start));
    out.number = std::strtod(out.text.c_str(), nullptr);
    return true;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool hex4(uint32_t* out) {
    *out = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
      if (pos_ >= s_.size()) return fail("unexpected EOF");
      const int h = hex(s_[pos_]);
      if (h < 0) return unexpected("in \\u hexadecimal character escape");
      *out = *out * 16 + static_cast<uint32_t>(h);
    }
    return true;
  }

  bool string(std::string& out) {
    ++pos_;  // the opening quote
    for (;;) {
      if (pos_ >= s_.size()) return fail("unexpected EOF");
      const char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return unexpected("in string literal");
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= s_.size()) return fail("unexpected EOF");
      const char e = s_[pos_];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          ++pos_;
          uint32_t r = 0;
          if (!hex4(&r)) return false;
          if (r >= 0xD800 && r < 0xDC00 && s_.substr(pos_, 2) == "\\u") {
            const size_t save = pos_;
            pos_ += 2;
            uint32_t lo = 0;
            if (hex4(&lo) && lo >= 0xDC00 && lo < 0xE000) {
              r = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              pos_ = save;
              error_.clear();
              r = 0xFFFD;
            }
          } else if (r >= 0xD800 && r < 0xE000) {
            r = 0xFFFD;
          }
          append_utf8(out, static_cast<char32_t>(r));
          continue;
        }
        default:
          return unexpected("in string escape code");
      }
      ++pos_;
    }
  }

  bool array(Json& out, int depth) {
    out.type = Json::Type::kArray;
    ++pos_;
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_space();
      Json item;
      if (!value(item, depth + 1)) return false;
      out.items.push_back(std::move(item));
      skip_space();
      if (pos_ >= s_.size()) return fail("unexpected EOF");
      if (s_[pos_] == ']') {
        ++pos_;
        return true;
      }
      if (s_[pos_] != ',') return unexpected("after array element");
      ++pos_;
    }
  }

  bool object(Json& out, int depth) {
    out.type = Json::Type::kObject;
    ++pos_;
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    std::map<std::string, size_t, std::less<>> index;
    for (;;) {
      skip_space();
      if (pos_ >= s_.size()) return fail("unexpected EOF");
      if (s_[pos_] != '"') return unexpected("looking for beginning of object key string");
      std::string key;
      if (!string(key)) return false;
      skip_space();
      if (pos_ >= s_.size()) return fail("unexpected EOF");
      if (s_[pos_] != ':') return unexpected("after object key");
      ++pos_;
      skip_space();
      Json v;
      if (!value(v, depth + 1)) return false;
      if (auto it = index.find(key); it != index.end()) {
        out.fields[it->second].second = std::move(v);
      } else {
        index.emplace(key, out.fields.size());
        out.fields.emplace_back(std::move(key), std::move(v));
      }
      skip_space();
      if (pos_ >= s_.size()) return fail("unexpected EOF");
      if (s_[pos_] == '}') {
        ++pos_;
        return true;
      }
      if (s_[pos_] != ',') return unexpected("after object key:value pair");
      ++pos_;
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string error_;
  size_t error_at_ = 0;
};

/// A schema value as json.Unmarshal gives it (numbers float64), for gojsonschema's marshalWithoutNumber.
Value json_to_value(const Json& j) {
  switch (j.type) {
    case Json::Type::kNull:
      return Value();
    case Json::Type::kBool:
      return Value::boolean(j.boolean);
    case Json::Type::kNumber:
      return Value::floating(j.number);
    case Json::Type::kString:
      return Value::string(j.text);
    case Json::Type::kArray: {
      List items;
      for (const auto& i : j.items) items.push_back(json_to_value(i));
      return Value::list(std::move(items));
    }
    case Json::Type::kObject: {
      Map m;
      for (const auto& [k, v] : j.fields) m[k] = json_to_value(v);
      return Value::map(std::move(m));
    }
  }
  return Value();
}

/// A values value with every number a float64, as Helm's YAML -> JSON round trip and json.Unmarshal leave it.
Value as_json_value(const Value& v) {
  switch (v.kind()) {
    case Kind::kInt:
      return Value::floating(static_cast<double>(v.as_int()));
    case Kind::kList: {
      List items;
      for (const auto& i : v.as_list()) items.push_back(as_json_value(i));
      return Value::list(std::move(items));
    }
    case Kind::kMap: {
      Map m;
      for (const auto& [k, i] : v.as_map()) m[k] = as_json_value(i);
      return Value::map(std::move(m));
    }
    case Kind::kObject:
      return Value();
    default:
      return v;
  }
}

/// gojsonschema's marshalWithoutNumber: the canonical JSON text enum, const and uniqueItems compare.
std::string canonical_json(const Value& v) {
  std::string error;
  auto text = to_json(as_json_value(v), &error);
  return text ? *text : std::string();
}

// ---------------------------------------------------------------------------------------------------------
// The compiled schema (gojsonschema's subSchema).

enum class Draft : int { k4 = 4, k6 = 6, k7 = 7, kHybrid = 1 << 30 };

struct Sub;

struct PatternProperty {
  std::string pattern;
  std::unique_ptr<RE2> re;
  const Sub* schema = nullptr;
};

struct PropertyDependency {
  std::string key;
  std::vector<std::string> names;
  const Sub* schema = nullptr;
};

struct Sub {
  const Json* node = nullptr;
  std::optional<bool> pass;  ///< a boolean schema
  const Sub* ref = nullptr;
  bool external_ref = false;  ///< a `$ref` to another document: not checked
  std::vector<std::string> types;
  std::vector<std::pair<std::string, const Sub*>> properties;
  std::optional<bool> additional_properties_allowed;
  const Sub* additional_properties = nullptr;
  std::vector<PatternProperty> pattern_properties;
  const Sub* property_names = nullptr;
  std::vector<PropertyDependency> dependencies;
  std::vector<const Sub*> items;
  bool items_single = false;
  std::optional<bool> additional_items_allowed;
  const Sub* additional_items = nullptr;
  const Json* multiple_of = nullptr;
  const Json* minimum = nullptr;
  const Json* maximum = nullptr;
  const Json* exclusive_minimum = nullptr;
  const Json* exclusive_maximum = nullptr;
  std::optional<int64_t> min_length, max_length, min_items, max_items, min_properties, max_properties;
  std::unique_ptr<RE2> pattern;
  std::string pattern_text;
  std::optional<std::string> format;
  std::vector<std::string> required;
  bool unique_items = false;
  const Sub* contains = nullptr;
  std::optional<std::string> const_json;
  std::vector<std::string> enum_json;
  std::vector<const Sub*> any_of, one_of, all_of;
  const Sub* not_schema = nullptr;
  const Sub* if_schema = nullptr;
  const Sub* then_schema = nullptr;
  const Sub* else_schema = nullptr;

  bool typed() const { return !types.empty(); }
  bool has_type(std::string_view t) const { return std::find(types.begin(), types.end(), t) != types.end(); }
  /// gojsonschema's jsonSchemaType.String(): one name, or [a,b].
  std::string types_string() const {
    if (types.size() == 1) return types[0];
    return "[" + fmt::format("{}", fmt::join(types, ",")) + "]";
  }
};

std::unique_ptr<RE2> compile_regex(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) return nullptr;
  return re;
}

/// gojsonschema's mustBeInteger: a JSON number strconv.ParseInt accepts (so 1.0 and 1e2 are not integers).
std::optional<int64_t> must_be_integer(const Json* j) {
  if (j == nullptr || !j->is(Json::Type::kNumber)) return std::nullopt;
  int64_t out = 0;
  std::string_view t = j->text;
  const bool neg = t.starts_with('-');
  if (neg) t.remove_prefix(1);
  if (t.empty()) return std::nullopt;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
    if (out > (INT64_MAX - (c - '0')) / 10) return std::nullopt;
    out = out * 10 + (c - '0');
  }
  return neg ? -out : out;
}

const std::vector<std::string>& json_types() {
  static const std::vector<std::string> kTypes = {"array", "boolean", "integer", "number", "null", "object", "string"};
  return kTypes;
}

class Compiler {
 public:
  Compiler(const Json& root, Draft draft) : root_(root), draft_(draft) {}

  const Sub* compile(const Json& node) {
    Sub& s = subs_.emplace_back();
    return parse(node, s) ? &s : nullptr;
  }
  const std::string& error() const { return error_; }
  const Json* error_node() const { return error_node_; }

 private:
  bool fail(const Json& at, std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
      error_node_ = &at;
    }
    return false;
  }
  static std::string invalid_type(std::string_view expected, std::string_view given) {
    return fmt::format("Invalid type. Expected: {}, given: {}", expected, given);
  }

  const Sub* child(const Json& node) {
    Sub& s = subs_.emplace_back();
    return parse(node, s) ? &s : nullptr;
  }

  /// A `#...` reference resolved as a JSON pointer into the schema document (gojsonpointer, with its errors).
  const Json* resolve_pointer(std::string_view ref, std::string* error) const {
    std::string decoded;
    for (size_t i = 1; i < ref.size(); ++i) {
      if (ref[i] == '%' && i + 2 < ref.size() && std::isxdigit(static_cast<unsigned char>(ref[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(ref[i + 2]))) {
        decoded += static_cast<char>(std::stoi(std::string(ref.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        decoded += ref[i];
      }
    }
    const Json* cur = &root_;
    if (decoded.empty()) return cur;
    if (decoded[0] != '/') {
      *error = "JSON pointer must be empty or start with a \"/\"";
      return nullptr;
    }
    for (auto part : split(std::string_view(decoded).substr(1), '/')) {
      const std::string token = decode_json_pointer_token(part);
      if (cur->is(Json::Type::kObject)) {
        cur = cur->get(token);
        if (cur == nullptr) *error = fmt::format("Object has no key '{}'", token);
      } else if (cur->is(Json::Type::kArray)) {
        int64_t idx = 0;
        std::string_view digits = part;
        if (digits.starts_with('+')) digits.remove_prefix(1);
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), idx);
        if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size()) {
          *error = fmt::format("Invalid array index '{}'", part);
          return nullptr;
        }
        if (idx < 0 || static_cast<size_t>(idx) >= cur->items.size()) {
          *error = fmt::format("Out of bound array[0,{}] index '{}'", cur->items.size(), idx);
          return nullptr;
        }
        cur = &cur->items[static_cast<size_t>(idx)];
      } else {
        *error = fmt::format("Invalid token reference '{}'", part);
        return nullptr;
      }
      if (cur == nullptr) return nullptr;
    }
    return cur;
  }

  bool number_keyword(const Json& m, std::string_view key, const Json** out) {
    const Json* v = m.get(key);
    if (v == nullptr) return true;
    if (!v->is(Json::Type::kNumber)) return fail(*v, fmt::format("{} must be of a number", key));
    *out = v;
    return true;
  }

  bool exclusive_keyword(const Json& m, std::string_view key, const Json** bound, const Json** exclusive) {
    const Json* v = m.get(key);
    if (v == nullptr) return true;
    const std::string_view base = key == "exclusiveMinimum" ? "minimum" : "maximum";
    const bool as_bool = draft_ == Draft::k4 || (draft_ == Draft::kHybrid && v->is(Json::Type::kBool));
    if (as_bool) {
      if (!v->is(Json::Type::kBool)) return fail(*v, invalid_type("boolean", key));
      if (*bound == nullptr) return fail(*v, fmt::format("{} cannot be used without {}", key, base));
      if (v->boolean) {
        *exclusive = *bound;
        *bound = nullptr;
      }
      return true;
    }
    if (!v->is(Json::Type::kNumber)) {
      return fail(*v, invalid_type(draft_ == Draft::kHybrid ? "boolean/number" : "number", key));
    }
    *exclusive = v;
    return true;
  }

  bool count_keyword(const Json& m, std::string_view key, std::optional<int64_t>* out) {
    const Json* v = m.get(key);
    if (v == nullptr) return true;
    auto n = must_be_integer(v);
    if (!n) return fail(*v, fmt::format("{} must be of an integer", key));
    if (*n < 0) return fail(*v, fmt::format("{} must be greater than or equal to 0", key));
    *out = n;
    return true;
  }

  bool schema_list(const Json& m, std::string_view key, std::string_view name_in_error, std::vector<const Sub*>* out) {
    const Json* v = m.get(key);
    if (v == nullptr) return true;
    if (!v->is(Json::Type::kArray)) return fail(*v, fmt::format("{} must be of an array", name_in_error));
    for (const auto& item : v->items) {
      const Sub* s = child(item);
      if (s == nullptr) return false;
      out->push_back(s);
    }
    return true;
  }

  bool schema_keyword(const Json& m, std::string_view key, std::string_view error, const Sub** out) {
    const Json* v = m.get(key);
    if (v == nullptr) return true;
    if (!v->is(Json::Type::kObject) && !v->is(Json::Type::kBool)) return fail(*v, std::string(error));
    *out = child(*v);
    return *out != nullptr;
  }

  bool parse(const Json& node, Sub& s) {
    s.node = &node;
    if (draft_ >= Draft::k6 && node.is(Json::Type::kBool)) {
      s.pass = node.boolean;
      return true;
    }
    if (!node.is(Json::Type::kObject)) return fail(node, "Expected: valid schema, given: Invalid JSON");
    const Json& m = node;
    const std::string_view id_key =
        draft_ == Draft::k4 || (draft_ == Draft::kHybrid && m.get("id") != nullptr) ? "id" : "$id";
    if (const Json* id = m.get(id_key); id != nullptr && !id->is(Json::Type::kString)) {
      return fail(*id, invalid_type("string", id_key));
    }
    if (const Json* defs = m.get("definitions")) {
      if (!defs->is(Json::Type::kObject)) return fail(*defs, invalid_type("array of schemas", "definitions"));
      for (const auto& [k, d] : defs->fields) {
        if (!d.is(Json::Type::kObject) && !d.is(Json::Type::kBool)) {
          return fail(d, invalid_type("array of schemas", "definitions"));
        }
        if (child(d) == nullptr) return false;
      }
    }
    for (std::string_view key : {"title", "description"}) {
      if (const Json* v = m.get(key); v != nullptr && !v->is(Json::Type::kString))
        return fail(*v, invalid_type("string", key));
    }
    if (const Json* ref = m.get("$ref")) {
      if (!ref->is(Json::Type::kString)) return fail(*ref, invalid_type("string", "$ref"));
      if (!ref->text.starts_with("#")) {
        s.external_ref = true;
        return true;
      }
      if (auto it = refs_.find(ref->text); it != refs_.end()) {
        s.ref = it->second;
      } else {
        std::string pointer_error;
        const Json* target = resolve_pointer(ref->text, &pointer_error);
        if (target == nullptr) return fail(*ref, pointer_error);
        Sub& r = subs_.emplace_back();
        refs_.emplace(ref->text, &r);
        if (!target->is(Json::Type::kObject) && !target->is(Json::Type::kBool)) {
          return fail(*ref, "valid schema must be of type object");
        }
        if (!parse(*target, r)) return false;
        s.ref = &r;
        return true;
      }
    }
    if (const Json* type = m.get("type")) {
      std::vector<const Json*> names;
      if (type->is(Json::Type::kString)) {
        names.push_back(type);
      } else if (type->is(Json::Type::kArray)) {
        for (const auto& t : type->items) {
          if (!t.is(Json::Type::kString)) return fail(t, invalid_type("string/array of strings", "type"));
          names.push_back(&t);
        }
      } else {
        return fail(*type, invalid_type("string/array of strings", "type"));
      }
      for (const Json* t : names) {
        const auto& known = json_types();
        if (std::find(known.begin(), known.end(), t->text) == known.end()) {
          return fail(*t, fmt::format("has a primitive type that is NOT VALID -- given: /{}/ Expected valid values "
                                      "are:[{}]",
                                      t->text, fmt::join(known, " ")));
        }
        if (s.has_type(t->text)) return fail(*t, fmt::format("{} type is duplicated", t->text));
        s.types.push_back(t->text);
      }
    }
    if (const Json* props = m.get("properties")) {
      if (!props->is(Json::Type::kObject)) return fail(*props, "properties must be of type object");
      for (const auto& [k, v] : props->fields) {
        const Sub* p = child(v);
        if (p == nullptr) return false;
        s.properties.emplace_back(k, p);
      }
    }
    if (const Json* ap = m.get("additionalProperties")) {
      if (ap->is(Json::Type::kBool)) {
        s.additional_properties_allowed = ap->boolean;
      } else if (ap->is(Json::Type::kObject)) {
        s.additional_properties = child(*ap);
        if (s.additional_properties == nullptr) return false;
      } else {
        return fail(*ap, invalid_type("boolean/valid schema", "additionalProperties"));
      }
    }
    if (const Json* pp = m.get("patternProperties")) {
      if (!pp->is(Json::Type::kObject)) return fail(*pp, invalid_type("valid schema", "patternProperties"));
      for (const auto& [k, v] : pp->fields) {
        auto re = compile_regex(k);
        if (re == nullptr) return fail(v, fmt::format("Invalid regex pattern '{}'", k));
        const Sub* p = child(v);
        if (p == nullptr) return false;
        s.pattern_properties.push_back(PatternProperty{k, std::move(re), p});
      }
    }
    if (draft_ >= Draft::k6 &&
        !schema_keyword(m, "propertyNames", invalid_type("valid schema", "patternProperties"), &s.property_names)) {
      return false;
    }
    if (const Json* deps = m.get("dependencies")) {
      if (!deps->is(Json::Type::kObject)) return fail(*deps, "dependencies must be of type object");
      for (const auto& [k, v] : deps->fields) {
        PropertyDependency d{k, {}, nullptr};
        if (v.is(Json::Type::kArray)) {
          for (const auto& name : v.items) {
            if (!name.is(Json::Type::kString))
              return fail(name, "dependency must be of type schema or array of strings");
            d.names.push_back(name.text);
          }
        } else if (v.is(Json::Type::kObject) || v.is(Json::Type::kBool)) {
          d.schema = child(v);
          if (d.schema == nullptr) return false;
        } else {
          return fail(v, "dependency must be of type schema or array of strings");
        }
        s.dependencies.push_back(std::move(d));
      }
    }
    if (const Json* items = m.get("items")) {
      if (items->is(Json::Type::kArray)) {
        for (const auto& item : items->items) {
          if (!item.is(Json::Type::kObject) && !item.is(Json::Type::kBool)) {
            return fail(item, invalid_type("valid schema/array of schemas", "items"));
          }
          const Sub* i = child(item);
          if (i == nullptr) return false;
          s.items.push_back(i);
        }
      } else if (items->is(Json::Type::kObject) || items->is(Json::Type::kBool)) {
        const Sub* i = child(*items);
        if (i == nullptr) return false;
        s.items.push_back(i);
        s.items_single = true;
      } else {
        return fail(*items, invalid_type("valid schema/array of schemas", "items"));
      }
    }
    if (const Json* ai = m.get("additionalItems")) {
      if (ai->is(Json::Type::kBool)) {
        s.additional_items_allowed = ai->boolean;
      } else if (ai->is(Json::Type::kObject)) {
        s.additional_items = child(*ai);
        if (s.additional_items == nullptr) return false;
      } else {
        return fail(*ai, invalid_type("boolean/valid schema", "additionalItems"));
      }
    }
    if (const Json* mo = m.get("multipleOf")) {
      if (!mo->is(Json::Type::kNumber)) return fail(*mo, invalid_type("number", "multipleOf"));
      if (!(mo->number > 0)) return fail(*mo, "multipleOf must be strictly greater than 0");
      s.multiple_of = mo;
    }
    if (!number_keyword(m, "minimum", &s.minimum) ||
        !exclusive_keyword(m, "exclusiveMinimum", &s.minimum, &s.exclusive_minimum) ||
        !number_keyword(m, "maximum", &s.maximum) ||
        !exclusive_keyword(m, "exclusiveMaximum", &s.maximum, &s.exclusive_maximum) ||
        !count_keyword(m, "minLength", &s.min_length) || !count_keyword(m, "maxLength", &s.max_length)) {
      return false;
    }
    if (s.min_length && s.max_length && *s.min_length > *s.max_length) {
      return fail(*m.get("minLength"), "minLength cannot be greater than maxLength");
    }
    if (const Json* p = m.get("pattern")) {
      if (!p->is(Json::Type::kString)) return fail(*p, "pattern must be of a string");
      s.pattern = compile_regex(p->text);
      if (s.pattern == nullptr) return fail(*p, "pattern must be a valid regex");
      s.pattern_text = p->text;
    }
    if (const Json* f = m.get("format")) {
      if (!f->is(Json::Type::kString)) return fail(*f, "format must be of type string");
      s.format = f->text;
    }
    if (!count_keyword(m, "minProperties", &s.min_properties) ||
        !count_keyword(m, "maxProperties", &s.max_properties)) {
      return false;
    }
    if (s.min_properties && s.max_properties && *s.min_properties > *s.max_properties) {
      return fail(*m.get("minProperties"), "minProperties cannot be greater than maxProperties");
    }
    if (const Json* req = m.get("required")) {
      if (!req->is(Json::Type::kArray)) return fail(*req, "required must be of an array");
      for (const auto& r : req->items) {
        if (!r.is(Json::Type::kString)) return fail(r, "required items must be string");
        if (std::find(s.required.begin(), s.required.end(), r.text) != s.required.end()) {
          return fail(r, "required items must be unique");
        }
        s.required.push_back(r.text);
      }
    }
    if (!count_keyword(m, "minItems", &s.min_items) || !count_keyword(m, "maxItems", &s.max_items)) return false;
    if (const Json* u = m.get("uniqueItems")) {
      if (!u->is(Json::Type::kBool)) return fail(*u, "uniqueItems must be of a boolean");
      s.unique_items = u->boolean;
    }
    if (draft_ >= Draft::k6) {
      if (const Json* c = m.get("contains")) {
        s.contains = child(*c);
        if (s.contains == nullptr) return false;
      }
      if (const Json* c = m.get("const")) s.const_json = canonical_json(json_to_value(*c));
    }
    if (const Json* e = m.get("enum")) {
      if (!e->is(Json::Type::kArray)) return fail(*e, "enum must be of an array");
      for (const auto& item : e->items) {
        std::string j = canonical_json(json_to_value(item));
        if (std::find(s.enum_json.begin(), s.enum_json.end(), j) != s.enum_json.end()) {
          return fail(item, "enum items must be unique");
        }
        s.enum_json.push_back(std::move(j));
      }
    }
    // gojsonschema names anyOf in allOf's error.
    if (!schema_list(m, "oneOf", "oneOf", &s.one_of) || !schema_list(m, "anyOf", "anyOf", &s.any_of) ||
        !schema_list(m, "allOf", "anyOf", &s.all_of) ||
        !schema_keyword(m, "not", "not must be of an object", &s.not_schema)) {
      return false;
    }
    if (draft_ >= Draft::k7) {
      if (!schema_keyword(m, "if", "if must be of an object", &s.if_schema) ||
          !schema_keyword(m, "then", "then must be of an object", &s.then_schema) ||
          !schema_keyword(m, "else", "else must be of an object", &s.else_schema)) {
        return false;
      }
    }
    return true;
  }

  const Json& root_;
  Draft draft_;
  std::deque<Sub> subs_;
  std::map<std::string, Sub*, std::less<>> refs_;
  std::string error_;
  const Json* error_node_ = nullptr;
};

// ---------------------------------------------------------------------------------------------------------
// Formats (gojsonschema v1.2.0's checkers; unknown formats pass, and a number fails every known format).

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int two_digits(std::string_view s, size_t at) {
  if (at + 2 > s.size() || !all_digits(s.substr(at, 2))) return -1;
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

/// time.Parse("2006-01-02", s) at the start of `s`; the length read, or 0.
size_t parse_date(std::string_view s) {
  if (s.size() < 10 || !all_digits(s.substr(0, 4)) || s[4] != '-' || s[7] != '-') return 0;
  const int year = std::stoi(std::string(s.substr(0, 4)));
  const int month = two_digits(s, 5);
  const int day = two_digits(s, 8);
  if (month < 1 || month > 12 || day < 1) return 0;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int max_day = month == 2 && leap ? 29 : kDays[month - 1];
  return day <= max_day ? 10 : 0;
}

/// time.Parse("15:04:05[Z07:00]", s) (a fraction of a second may follow the seconds); the length read, or 0.
size_t parse_time(std::string_view s, bool zone) {
  if (s.size() < 8 || s[2] != ':' || s[5] != ':') return 0;
  const int h = two_digits(s, 0), m = two_digits(s, 3), sec = two_digits(s, 6);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return 0;
  size_t i = 8;
  if (i < s.size() && (s[i] == '.' || s[i] == ',') && i + 1 < s.size() &&
      std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  if (!zone) return i;
  if (i < s.size() && s[i] == 'Z') return i + 1;
  if (i + 6 <= s.size() && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
    const int zh = two_digits(s, i + 1), zm = two_digits(s, i + 4);
    if (zh >= 0 && zh <= 23 && zm >= 0 && zm <= 59) return i + 6;
  }
  return 0;
}

bool is_time(std::string_view s) { return parse_time(s, true) == s.size() || parse_time(s, false) == s.size(); }
bool is_date(std::string_view s) { return parse_date(s) == s.size() && s.size() == 10; }
bool is_date_time(std::string_view s) {
  if (is_time(s) || is_date(s)) return true;
  return parse_date(s) == 10 && s.size() > 11 && s[10] == 'T' && parse_time(s.substr(11), true) == s.size() - 11;
}

/// net.ParseIP for a dotted IPv4 address (no leading zeros, as Go since 1.17).
bool is_ipv4_text(std::string_view s) {
  const auto parts = split(s, '.');
  if (parts.size() != 4) return false;
  for (auto p : parts) {
    if (!all_digits(p) || p.size() > 3 || (p.size() > 1 && p[0] == '0') || std::stoi(std::string(p)) > 255)
      return false;
  }
  return true;
}

bool is_ip(std::string_view s) {
  if (is_ipv4_text(s)) return true;
  if (s.find('%') != std::string_view::npos) return false;
  in6_addr addr{};
  return inet_pton(AF_INET6, std::string(s).c_str(), &addr) == 1;
}

bool is_hostname(std::string_view s) {
  static const RE2 kHost(
      R"(^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])(\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]{0,61}[a-zA-Z0-9]))*$)");
  return s.size() < 256 && RE2::FullMatch(s, kHost);
}

/// An approximation of net/mail.ParseAddress: `local@domain`, optionally as `Name <local@domain>`.
bool is_email(std::string_view s) {
  s = trim(s);
  if (s.ends_with('>')) {
    const auto open = s.rfind('<');
    if (open == std::string_view::npos) return false;
    s = s.substr(open + 1, s.size() - open - 2);
  }
  static const RE2 kAddr(R"(^([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*|"([^"\\]|\\.)*")@)"
                         R"(([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*|\[[^\[\]\\]*\])$)");
  return RE2::FullMatch(s, kAddr);
}

/// An approximation of url.Parse succeeding: no control characters, valid %-escapes, no space in the host.
bool parses_as_url(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c == '%' && (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
                     !std::isxdigit(static_cast<unsigned char>(s[i + 2])))) {
      return false;
    }
  }
  if (const auto authority = s.find("//"); authority != std::string_view::npos) {
    const auto host = s.substr(authority + 2, s.find_first_of("/?#", authority + 2) - authority - 2);
    if (host.find(' ') != std::string_view::npos) return false;
  }
  return s.find('\\') == std::string_view::npos;
}

bool has_scheme(std::string_view s) {
  static const RE2 kScheme(R"(^[A-Za-z][A-Za-z0-9+.\-]*:)");
  return RE2::PartialMatch(s, kScheme);
}

bool is_format(std::string_view format, std::string_view s) {
  if (format == "date") return is_date(s);
  if (format == "time") return is_time(s);
  if (format == "date-time") return is_date_time(s);
  if (format == "hostname") return is_hostname(s);
  if (format == "email" || format == "idn-email") return is_email(s);
  if (format == "ipv4") return is_ip(s) && s.find('.') != std::string_view::npos;
  if (format == "ipv6") return is_ip(s) && s.find(':') != std::string_view::npos;
  if (format == "uri" || format == "iri") return parses_as_url(s) && has_scheme(s);
  if (format == "uri-reference" || format == "iri-reference") return parses_as_url(s);
  if (format == "uri-template") {
    static const RE2 kTemplate(R"(^([^{]*({[^}]*})?)*$)");
    return parses_as_url(s) && RE2::FullMatch(s, kTemplate);
  }
  if (format == "uuid") {
    static const RE2 kUuid(R"(^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$)");
    return RE2::FullMatch(s, kUuid);
  }
  if (format == "regex") return s.empty() || compile_regex(std::string(s)) != nullptr;
  if (format == "json-pointer") {
    static const RE2 kPointer(R"(^(?:/(?:[^~/]|~0|~1)*)*$)");
    return RE2::FullMatch(s, kPointer);
  }
  if (format == "relative-json-pointer") {
    static const RE2 kRelative(R"(^(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~0|~1)*)*)$)");
    return RE2::FullMatch(s, kRelative);
  }
  return true;
}

bool known_format(std::string_view format) {
  static constexpr std::string_view kKnown[] = {"date",
                                                "time",
                                                "date-time",
                                                "hostname",
                                                "email",
                                                "idn-email",
                                                "ipv4",
                                                "ipv6",
                                                "uri",
                                                "uri-reference",
                                                "iri",
                                                "iri-reference",
                                                "uri-template",
                                                "uuid",
                                                "regex",
                                                "json-pointer",
                                                "relative-json-pointer"};
  return std::find(std::begin(kKnown), std::end(kKnown), format) != std::end(kKnown);
}

// ---------------------------------------------------------------------------------------------------------
// Validation, step for step as gojsonschema v1.2.0 (the scores pick which branch of anyOf/oneOf explains a
// failure).

constexpr int kMaxDepth = 400;
constexpr size_t kMaxSteps = 2'000'000;

struct Path {
  const Path* parent = nullptr;
  std::string_view name;
};

std::string path_string(const Path& p) {
  std::vector<std::string_view> parts;
  for (const Path* c = &p; c != nullptr; c = c->parent) parts.push_back(c->name);
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty()) out += '.';
    out += *it;
  }
  return out;
}

struct Result {
  std::vector<SchemaViolation> errors;
  int score = 0;
  bool valid() const { return errors.empty(); }
  void merge(Result&& other) {
    errors.insert(errors.end(), std::make_move_iterator(other.errors.begin()),
                  std::make_move_iterator(other.errors.end()));
    score += other.score;
  }
};

std::string number_text(const Json* j) { return gotemplate::gofmt::format_float(j->number, 'g', -1); }

/// Exact decimal (mantissa, power of ten) of a number literal, for multipleOf; nullopt when it overflows.
std::optional<std::pair<int64_t, int>> decimal(std::string_view text) {
  int64_t mant = 0;
  int exp = 0;
  size_t i = 0;
  const bool neg = !text.empty() && text[0] == '-';
  if (neg) ++i;
  bool frac = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      frac = true;
      continue;
    }
    if (c == 'e' || c == 'E') {
      const char* from = text.data() + i + 1;
      if (from < text.data() + text.size() && *from == '+') ++from;
      int e = 0;
      auto [p, ec] = std::from_chars(from, text.data() + text.size(), e);
      if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
      exp += e;
      break;
    }
    if (__builtin_mul_overflow(mant, 10, &mant) || __builtin_add_overflow(mant, c - '0', &mant)) return std::nullopt;
    if (frac) --exp;
  }
  return std::pair{neg ? -mant : mant, exp};
}

/// Scales `m` by ten until its exponent is `to`; false on overflow.
bool rescale(int64_t& m, int& e, int to) {
  while (e > to) {
    if (__builtin_mul_overflow(m, 10, &m)) return false;
    --e;
  }
  return true;
}

/// big.Rat's (value / multiple).IsInt(), exactly for decimals that fit in 64 bits.
bool is_multiple(const Value& v, const Json* multiple) {
  const double d = v.kind() == Kind::kInt ? static_cast<double>(v.as_int()) : v.as_float();
  auto value =
      decimal(v.kind() == Kind::kInt ? std::to_string(v.as_int()) : gotemplate::gofmt::format_float(d, 'e', -1));
  auto m = decimal(multiple->text);
  if (value && m && m->first != 0) {
    auto [a, ea] = *value;
    auto [b, eb] = *m;
    const int to = std::min(ea, eb);
    if (rescale(a, ea, to) && rescale(b, eb, to)) return a % b == 0;
  }
  const double q = d / multiple->number;
  return std::isfinite(q) && std::floor(q) == q;
}

class Validator {
 public:
  explicit Validator(const SourceFile& schema) : file_(&schema) {}

  /// False when the schema is too deep or too costly to check (a `$ref` loop).
  bool exhausted() const { return exhausted_; }

  Result sub_validate(const Sub* s, const Value& v, const Path& ctx) {
    Result r;
    recursive(s, v, r, ctx);
    return r;
  }

  void recursive(const Sub* s, const Value& v, Result& r, const Path& ctx) {
    if (exhausted_ || ++steps_ > kMaxSteps || depth_ > kMaxDepth) {
      exhausted_ = true;
      return;
    }
    ++depth_;
    recursive_body(s, v, r, ctx);
    --depth_;
  }

 private:
  void add(Result& r, const Sub* s, std::string_view keyword, const Path& ctx, const Value& v,
           std::string description) {
    SchemaViolation e;
    const std::string context = path_string(ctx);
    e.field = context.starts_with("(root).") ? context.substr(7) : context;
    e.description = std::move(description);
    e.at = v.origin;
    if (!e.at.valid() && s != nullptr && s->node != nullptr) {
      const Json* at = s->node->is(Json::Type::kObject) && !keyword.empty() ? s->node->get(keyword) : nullptr;
      const size_t offset = at != nullptr ? at->offset : s->node->offset;
      const Mark m = file_->mark_at(offset);
      e.at = Span{file_, m, m};
    }
    r.errors.push_back(std::move(e));
    r.score -= 2;
  }

  void invalid_type(Result& r, const Sub* s, const Path& ctx, const Value& v, std::string_view given) {
    add(r, s, "type", ctx, v, fmt::format("Invalid type. Expected: {}, given: {}", s->types_string(), given));
  }

  void recursive_body(const Sub* s, const Value& v, Result& r, const Path& ctx) {
    if (s->pass) {
      if (!*s->pass) add(r, s, "", ctx, v, "False always fails validation");
      return;
    }
    if (s->external_ref) return;
    if (s->ref != nullptr) {
      recursive(s->ref, v, r, ctx);
      return;
    }
    switch (v.kind()) {
      case Kind::kNil:
      case Kind::kObject:
        if (s->typed() && !s->has_type("null")) {
          invalid_type(r, s, ctx, v, "null");
          return;
        }
        validate_schema(s, v, r, ctx);
        validate_common(s, v, r, ctx);
        break;
      case Kind::kInt:
      case Kind::kFloat: {
        const double d = v.kind() == Kind::kInt ? static_cast<double>(v.as_int()) : v.as_float();
        const bool is_int = std::isfinite(d) && std::floor(d) == d;
        if (s->typed() && !(s->has_type("number") || (is_int && s->has_type("integer")))) {
          invalid_type(r, s, ctx, v, is_int ? "integer" : "number");
          return;
        }
        validate_schema(s, v, r, ctx);
        validate_number(s, v, d, r, ctx);
        validate_common(s, v, r, ctx);
        break;
      }
      case Kind::kList:
        if (s->typed() && !s->has_type("array")) {
          invalid_type(r, s, ctx, v, "array");
          return;
        }
        validate_schema(s, v, r, ctx);
        validate_array(s, v, r, ctx);
        validate_common(s, v, r, ctx);
        break;
      case Kind::kMap: {
        if (s->typed() && !s->has_type("object")) {
          invalid_type(r, s, ctx, v, "object");
          return;
        }
        validate_schema(s, v, r, ctx);
        validate_object(s, v, r, ctx);
        validate_common(s, v, r, ctx);
        const Map& m = v.as_map();
        for (const auto& [name, p] : s->properties) {
          auto it = m.find(name);
          if (it == m.end()) continue;
          const Path sub{&ctx, name};
          recursive(p, it->second, r, sub);
        }
        break;
      }
      case Kind::kBool:
        if (s->typed() && !s->has_type("boolean")) {
          invalid_type(r, s, ctx, v, "boolean");
          return;
        }
        validate_schema(s, v, r, ctx);
        validate_common(s, v, r, ctx);
        break;
      case Kind::kString:
        if (s->typed() && !s->has_type("string")) {
          invalid_type(r, s, ctx, v, "string");
          return;
        }
        validate_schema(s, v, r, ctx);
        validate_common(s, v, r, ctx);
        validate_string(s, v, r, ctx);
        break;
    }
    ++r.score;
  }

  void validate_schema(const Sub* s, const Value& v, Result& r, const Path& ctx) {
    if (!s->any_of.empty()) {
      bool valid = false;
      std::optional<Result> best;
      for (const Sub* a : s->any_of) {
        if (valid) break;
        Result sub = sub_validate(a, v, ctx);
        valid = sub.valid();
        if (!valid && (!best || sub.score > best->score)) best = std::move(sub);
      }
      if (!valid) {
        add(r, s, "anyOf", ctx, v, "Must validate at least one schema (anyOf)");
        if (best) r.merge(std::move(*best));
      }
    }
    if (!s->one_of.empty()) {
      int validated = 0;
      std::optional<Result> best;
      for (const Sub* o : s->one_of) {
        Result sub = sub_validate(o, v, ctx);
        if (sub.valid()) {
          ++validated;
        } else if (validated == 0 && (!best || sub.score > best->score)) {
          best = std::move(sub);
        }
      }
      if (validated != 1) {
        add(r, s, "oneOf", ctx, v, "Must validate one and only one schema (oneOf)");
        if (validated == 0 && best) r.merge(std::move(*best));
      }
    }
    if (!s->all_of.empty()) {
      size_t validated = 0;
      for (const Sub* a : s->all_of) {
        Result sub = sub_validate(a, v, ctx);
        if (sub.valid()) ++validated;
        r.merge(std::move(sub));
      }
      if (validated != s->all_of.size()) add(r, s, "allOf", ctx, v, "Must validate all the schemas (allOf)");
    }
    if (s->not_schema != nullptr && sub_validate(s->not_schema, v, ctx).valid()) {
      add(r, s, "not", ctx, v, "Must not validate the schema (not)");
    }
    if (!s->dependencies.empty() && v.kind() == Kind::kMap) {
      const Map& m = v.as_map();
      for (const auto& [key, unused] : m) {
        for (const auto& d : s->dependencies) {
          if (d.key != key) continue;
          if (d.schema != nullptr) {
            recursive(d.schema, v, r, ctx);
            continue;
          }
          for (const auto& name : d.names) {
            if (m.find(name) == m.end()) add(r, s, "dependencies", ctx, v, fmt::format("Has a dependency on {}", name));
          }
        }
      }
    }
    if (s->if_schema != nullptr) {
      const bool if_valid = sub_validate(s->if_schema, v, ctx).valid();
      if (s->then_schema != nullptr && if_valid) {
        Result then = sub_validate(s->then_schema, v, ctx);
        if (!then.valid()) {
          add(r, s, "then", ctx, v, "Must validate \"then\" as \"if\" was valid");
          r.merge(std::move(then));
        }
      }
      if (s->else_schema != nullptr && !if_valid) {
        Result otherwise = sub_validate(s->else_schema, v, ctx);
        if (!otherwise.valid()) {
          add(r, s, "else", ctx, v, "Must validate \"else\" as \"if\" was not valid");
          r.merge(std::move(otherwise));
        }
      }
    }
    ++r.score;
  }

  void validate_common(const Sub* s, const Value& v, Result& r, const Path& ctx) {
    const std::string field = [&] {
      const std::string c = path_string(ctx);
      return c.starts_with("(root).") ? c.substr(7) : c;
    }();
    if (s->const_json && canonical_json(v) != *s->const_json) {
      add(r, s, "const", ctx, v, fmt::format("{} does not match: {}", field, *s->const_json));
    }
    if (!s->enum_json.empty()) {
      const std::string j = canonical_json(v);
      if (std::find(s->enum_json.begin(), s->enum_json.end(), j) == s->enum_json.end()) {
        add(r, s, "enum", ctx, v,
            fmt::format("{} must be one of the following: {}", field, fmt::join(s->enum_json, ", ")));
      }
    }
    ++r.score;
  }

  void validate_array(const Sub* s, const Value& v, Result& r, const Path& ctx) {
    const List& items = v.as_list();
    const size_t n = items.size();
    std::vector<std::string> names;
    names.reserve(n);
    for (size_t i = 0; i < n; ++i) names.push_back(std::to_string(i));
    if (s->items_single) {
      for (size_t i = 0; i < n; ++i) r.merge(sub_validate(s->items[0], items[i], Path{&ctx, names[i]}));
    } else if (!s->items.empty()) {
      const size_t schemas = s->items.size();
      for (size_t i = 0; i < schemas && i < n; ++i) r.merge(sub_validate(s->items[i], items[i], Path{&ctx, names[i]}));
      if (schemas < n) {
        if (s->additional_items_allowed && !*s->additional_items_allowed) {
          add(r, s, "additionalItems", ctx, v, "No additional items allowed on array");
        } else if (s->additional_items != nullptr) {
          for (size_t i = schemas; i < n; ++i)
            r.merge(sub_validate(s->additional_items, items[i], Path{&ctx, names[i]}));
        }
      }
    }
    if (s->min_items && static_cast<int64_t>(n) < *s->min_items) {
      add(r, s, "minItems", ctx, v, fmt::format("Array must have at least {} items", *s->min_items));
    }
    if (s->max_items && static_cast<int64_t>(n) > *s->max_items) {
      add(r, s, "maxItems", ctx, v, fmt::format("Array must have at most {} items", *s->max_items));
    }
    if (s->unique_items) {
      std::map<std::string, size_t> seen;
      for (size_t j = 0; j < n; ++j) {
        std::string key = canonical_json(items[j]);
        if (auto it = seen.find(key); it != seen.end()) {
          add(r, s, "uniqueItems", ctx, v, fmt::format("array items[{},{}] must be unique", it->second, j));
        }
        seen[key] = j;
      }
    }
    if (s->contains != nullptr) {
      bool one = false;
      std::optional<Result> best;
      for (size_t i = 0; i < n; ++i) {
        Result sub = sub_validate(s->contains, items[i], Path{&ctx, names[i]});
        if (sub.valid()) {
          one = true;
          break;
        }
        if (!best || sub.score > best->score) best = std::move(sub);
      }
      if (!one) {
        add(r, s, "contains", ctx, v, "At least one of the items must match");
        if (best) r.merge(std::move(*best));
      }
    }
    ++r.score;
  }

  void validate_object(const Sub* s, const Value& v, Result& r, const Path& ctx) {
    const Map& m = v.as_map();
    const auto n = static_cast<int64_t>(m.size());
    if (s->min_properties && n < *s->min_properties) {
      add(r, s, "minProperties", ctx, v, fmt::format("Must have at least {} properties", *s->min_properties));
    }
    if (s->max_properties && n > *s->max_properties) {
      add(r, s, "maxProperties", ctx, v, fmt::format("Must have at most {} properties", *s->max_properties));
    }
    for (const auto& name : s->required) {
      if (m.find(name) != m.end()) {
        ++r.score;
      } else {
        add(r, s, "required", ctx, v, fmt::format("{} is required", name));
      }
    }
    for (const auto& [key, value] : m) {
      const bool found =
          std::any_of(s->properties.begin(), s->properties.end(), [&](const auto& p) { return p.first == key; });
      bool pattern_match = false;
      for (const auto& pp : s->pattern_properties) {
        if (!RE2::PartialMatch(key, *pp.re)) continue;
        pattern_match = true;
        r.merge(sub_validate(pp.schema, value, Path{&ctx, key}));
      }
      if (pattern_match) ++r.score;
      if (found || pattern_match) continue;
      if (s->additional_properties_allowed && !*s->additional_properties_allowed) {
        add(r, s, "additionalProperties", ctx, value, fmt::format("Additional property {} is not allowed", key));
      } else if (s->additional_properties != nullptr) {
        r.merge(sub_validate(s->additional_properties, value, Path{&ctx, key}));
      }
    }
    if (s->property_names != nullptr) {
      for (const auto& [key, unused] : m) {
        Result sub = sub_validate(s->property_names, Value::string(key), ctx);
        if (!sub.valid()) {
          add(r, s, "propertyNames", ctx, v, fmt::format("Property name of \"{}\" does not match", key));
          r.merge(std::move(sub));
        }
      }
    }
    ++r.score;
  }

  void validate_string(const Sub* s, const Value& v, Result& r, const Path& ctx) {
    const std::string& text = v.as_string();
    if (s->min_length || s->max_length) {
      int64_t runes = 0;
      for (size_t i = 0; i < text.size(); i += std::max<size_t>(1, utf8_length(text, i))) ++runes;
      if (s->min_length && runes < *s->min_length) {
        add(r, s, "minLength", ctx, v,
            fmt::format("String length must be greater than or equal to {}", *s->min_length));
      }
      if (s->max_length && runes > *s->max_length) {
        add(r, s, "maxLength", ctx, v, fmt::format("String length must be less than or equal to {}", *s->max_length));
      }
    }
    if (s->pattern && !RE2::PartialMatch(text, *s->pattern)) {
      add(r, s, "pattern", ctx, v, fmt::format("Does not match pattern '{}'", s->pattern_text));
    }
    if (s->format && !is_format(*s->format, text)) {
      add(r, s, "format", ctx, v, fmt::format("Does not match format '{}'", *s->format));
    }
    ++r.score;
  }

  void validate_number(const Sub* s, const Value& v, double d, Result& r, const Path& ctx) {
    if (s->multiple_of != nullptr && !is_multiple(v, s->multiple_of)) {
      add(r, s, "multipleOf", ctx, v, fmt::format("Must be a multiple of {}", number_text(s->multiple_of)));
    }
    if (s->maximum != nullptr && d > s->maximum->number) {
      add(r, s, "maximum", ctx, v, fmt::format("Must be less than or equal to {}", number_text(s->maximum)));
    }
    if (s->exclusive_maximum != nullptr && d >= s->exclusive_maximum->number) {
      add(r, s, "exclusiveMaximum", ctx, v, fmt::format("Must be less than {}", number_text(s->exclusive_maximum)));
    }
    if (s->minimum != nullptr && d < s->minimum->number) {
      add(r, s, "minimum", ctx, v, fmt::format("Must be greater than or equal to {}", number_text(s->minimum)));
    }
    if (s->exclusive_minimum != nullptr && d <= s->exclusive_minimum->number) {
      add(r, s, "exclusiveMinimum", ctx, v, fmt::format("Must be greater than {}", number_text(s->exclusive_minimum)));
    }
    // gojsonschema v1.2.0 hands a number to the format checkers, and every known checker wants a string.
    if (s->format && known_format(*s->format)) {
      add(r, s, "format", ctx, v, fmt::format("Does not match format '{}'", *s->format));
    }
    ++r.score;
  }

  const SourceFile* file_;

 private:
  size_t steps_ = 0;
  int depth_ = 0;
  bool exhausted_ = false;
};

/// gojsonschema's draft from `$schema` (a URL it does not know, or none, is its hybrid mode).
Draft detect_draft(const Json& root) {
  const Json* schema = root.is(Json::Type::kObject) ? root.get("$schema") : nullptr;
  if (schema == nullptr || !schema->is(Json::Type::kString)) return Draft::kHybrid;
  std::string_view url = schema->text;
  if (url.ends_with('#')) url.remove_suffix(1);
  if (url == "http://json-schema.org/draft-04/schema") return Draft::k4;
  if (url == "http://json-schema.org/draft-06/schema") return Draft::k6;
  if (url == "http://json-schema.org/draft-07/schema") return Draft::k7;
  return Draft::kHybrid;
}

}  // namespace

SchemaCheck check_values_schema(const SourceFile& schema, const Map& values) {
  SchemaCheck out;
  JsonParser parser(schema.text());
  Json root;
  if (!parser.parse(root)) {
    out.schema_error = parser.error();
    out.not_json = true;
    const Mark m = schema.mark_at(parser.error_offset());
    out.schema_error_at = Span{&schema, m, m};
    return out;
  }
  if (!root.is(Json::Type::kObject) && !root.is(Json::Type::kBool)) {
    out.schema_error = "schema is invalid";
    const Mark m = schema.mark_at(root.offset);
    out.schema_error_at = Span{&schema, m, m};
    return out;
  }
  if (const Json* s = root.is(Json::Type::kObject) ? root.get("$schema") : nullptr;
      s != nullptr && !s->is(Json::Type::kString)) {
    out.schema_error = "$schema must be of type string";
    const Mark m = schema.mark_at(s->offset);
    out.schema_error_at = Span{&schema, m, m};
    return out;
  }
  Compiler compiler(root, detect_draft(root));
  const Sub* top = compiler.compile(root);
  if (top == nullptr) {
    out.schema_error = compiler.error();
    const Mark m = schema.mark_at(compiler.error_node() != nullptr ? compiler.error_node()->offset : 0);
    out.schema_error_at = Span{&schema, m, m};
    return out;
  }
  Validator validator(schema);
  const Path root_path{nullptr, "(root)"};
  Value doc = Value::map(values);
  Result result = validator.sub_validate(top, doc, root_path);
  if (validator.exhausted()) {
    out.schema_error = "the schema is too deep or too costly to check (a `$ref` that loops?)";
    const Mark m = schema.mark_at(0);
    out.schema_error_at = Span{&schema, m, m};
    return out;
  }
  out.violations = std::move(result.errors);
  return out;
}

}  // namespace gl::render::helm
