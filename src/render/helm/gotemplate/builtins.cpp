#include "render/helm/gotemplate/builtins.h"

#include <array>
#include <cstdio>
#include <vector>

#include "render/helm/gotemplate/function.h"
#include "render/helm/gotemplate/gofmt.h"
#include "render/helm/gotemplate/lex.h"

namespace gl::render::gotemplate {

namespace {

enum class BasicKind : uint8_t { kInvalid, kBool, kInt, kFloat, kString };

BasicKind basic_kind(const Value& v) {
  switch (v.kind()) {
    case Kind::kBool:
      return BasicKind::kBool;
    case Kind::kInt:
      return BasicKind::kInt;
    case Kind::kFloat:
      return BasicKind::kFloat;
    case Kind::kString:
      return BasicKind::kString;
    default:
      return BasicKind::kInvalid;
  }
}

bool elements_are_iface(const Value& list) { return list.go_type() == GoType::kIfaceList; }

/// Go's indexArg: an integer index within [0, cap].
int64_t index_arg(const ExecValue& index, size_t cap) {
  int64_t x = 0;
  switch (index.v.kind()) {
    case Kind::kInt:
      x = index.v.as_int();
      break;
    case Kind::kNil:
      fail("cannot index slice/array with nil");
    default:
      fail("cannot index slice/array with type " + index.v.type_name());
  }
  if (x < 0 || static_cast<uint64_t>(x) > cap) fail("index out of range: " + std::to_string(x));
  return x;
}

ExecValue builtin_index(std::span<const ExecValue> args) {
  ExecValue item = args[0];
  if (item.v.is_nil()) fail("index of untyped nil");
  for (size_t i = 1; i < args.size(); ++i) {
    const ExecValue& index = args[i];
    if (item.v.is_nil()) fail("index of nil pointer");
    switch (item.v.kind()) {
      case Kind::kList: {
        const List& list = item.v.as_list();
        int64_t x = index_arg(index, list.size());
        if (static_cast<size_t>(x) >= list.size()) fail("reflect: slice index out of range");
        bool iface = elements_are_iface(item.v);
        item = ExecValue{list[static_cast<size_t>(x)], iface};
        break;
      }
      case Kind::kString: {
        const std::string& s = item.v.as_string();
        int64_t x = index_arg(index, s.size());
        if (static_cast<size_t>(x) >= s.size()) fail("reflect: string index out of range");
        item = ExecValue{Value::integer(static_cast<uint8_t>(s[static_cast<size_t>(x)])), false};
        break;
      }
      case Kind::kMap: {
        if (index.v.is_nil()) fail("value is nil; should be of type string");
        if (index.v.kind() != Kind::kString) fail("value has type " + index.v.type_name() + "; should be string");
        const Map& m = item.v.as_map();
        auto it = m.find(index.v.as_string());
        if (it != m.end()) {
          item = ExecValue{it->second, true};
        } else if (item.v.go_type() == GoType::kStringMap) {
          item = ExecValue{Value::string(""), false};  // the zero value of a map[string]string element
        } else {
          item = ExecValue{Value(), true};
        }
        break;
      }
      case Kind::kObject:
        if (const Map* entries = item.v.as_object().entries()) {
          if (index.v.is_nil()) fail("value is nil; should be of type string");
          if (index.v.kind() != Kind::kString) fail("value has type " + index.v.type_name() + "; should be string");
          auto it = entries->find(index.v.as_string());
          item = ExecValue{it == entries->end() ? item.v.as_object().zero_entry() : it->second, false};
          break;
        }
        fail("can't index item of type " + item.v.type_name());
      default:
        fail("can't index item of type " + item.v.type_name());
    }
  }
  return item;
}

ExecValue builtin_slice(std::span<const ExecValue> args) {
  const ExecValue& item = args[0];
  if (item.v.is_nil()) fail("slice of untyped nil");
  size_t n_indexes = args.size() - 1;
  if (n_indexes > 3) fail("too many slice indexes: " + std::to_string(n_indexes));
  size_t cap = 0;
  size_t len = 0;
  switch (item.v.kind()) {
    case Kind::kString:
      if (n_indexes == 3) fail("cannot 3-index slice a string");
      cap = len = item.v.as_string().size();
      break;
    case Kind::kList:
      cap = len = item.v.as_list().size();
      break;
    default:
      fail("can't slice item of type " + item.v.type_name());
  }
  std::array<int64_t, 3> idx = {0, static_cast<int64_t>(len), 0};
  for (size_t i = 0; i < n_indexes; ++i) idx[i] = index_arg(args[i + 1], cap);
  if (idx[0] > idx[1]) fail("invalid slice index: " + std::to_string(idx[0]) + " > " + std::to_string(idx[1]));
  if (n_indexes == 3 && idx[1] > idx[2]) {
    fail("invalid slice index: " + std::to_string(idx[1]) + " > " + std::to_string(idx[2]));
  }
  auto lo = static_cast<size_t>(idx[0]);
  auto hi = static_cast<size_t>(idx[1]);
  if (item.v.kind() == Kind::kString) return ExecValue{Value::string(item.v.as_string().substr(lo, hi - lo)), false};
  const List& list = item.v.as_list();
  return ExecValue{
      Value::list(List(list.begin() + static_cast<ptrdiff_t>(lo), list.begin() + static_cast<ptrdiff_t>(hi)),
                  item.v.go_type()),
      false};
}

ExecValue builtin_len(const ExecValue& item) {
  if (item.v.is_nil()) {
    if (item.iface) fail("len of nil pointer");
    fail("reflect: call of reflect.Value.Type on zero Value");
  }
  switch (item.v.kind()) {
    case Kind::kString:
      return ExecValue{Value::integer(static_cast<int64_t>(item.v.as_string().size())), false};
    case Kind::kList:
      return ExecValue{Value::integer(static_cast<int64_t>(item.v.as_list().size())), false};
    case Kind::kMap:
      return ExecValue{Value::integer(static_cast<int64_t>(item.v.as_map().size())), false};
    case Kind::kObject:
      if (const Map* entries = item.v.as_object().entries()) {
        return ExecValue{Value::integer(static_cast<int64_t>(entries->size())), false};
      }
      fail("len of type " + item.v.type_name());
    default:
      fail("len of type " + item.v.type_name());
  }
}

bool equal(const ExecValue& a1, std::span<const ExecValue> rest) {
  BasicKind k1 = basic_kind(a1.v);
  for (const ExecValue& arg : rest) {
    BasicKind k2 = basic_kind(arg.v);
    bool truth = false;
    if (k1 != k2) {
      if (!a1.v.is_nil() && !arg.v.is_nil()) fail("incompatible types for comparison");
    } else {
      switch (k1) {
        case BasicKind::kBool:
          truth = a1.v.as_bool() == arg.v.as_bool();
          break;
        case BasicKind::kFloat:
          truth = a1.v.as_float() == arg.v.as_float();
          break;
        case BasicKind::kInt:
          truth = a1.v.as_int() == arg.v.as_int();
          break;
        case BasicKind::kString:
          truth = a1.v.as_string() == arg.v.as_string();
          break;
        case BasicKind::kInvalid: {
          Kind r1 = a1.v.kind();
          Kind r2 = arg.v.kind();
          if (r1 != r2 && r1 != Kind::kNil && r2 != Kind::kNil) {
            std::vector<Value> fa = {a1.v, Value::string(a1.v.type_name()), Value::string(arg.v.type_name()), arg.v};
            fail(gofmt::sprintf("non-comparable types %s: %v, %s: %v", fa));
          }
          if (a1.v.is_nil() || arg.v.is_nil()) {
            truth = a1.v.is_nil() == arg.v.is_nil();
          } else if (r2 == Kind::kList || r2 == Kind::kMap) {
            std::vector<Value> fa = {arg.v, Value::string(arg.v.type_name())};
            fail(gofmt::sprintf("non-comparable type %s: %v", fa));
          } else {
            truth = a1.v.object_ptr() == arg.v.object_ptr();
          }
          break;
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

bool less(const ExecValue& a, const ExecValue& b) {
  BasicKind k1 = basic_kind(a.v);
  if (k1 == BasicKind::kInvalid) fail("invalid type for comparison");
  BasicKind k2 = basic_kind(b.v);
  if (k2 == BasicKind::kInvalid) fail("invalid type for comparison");
  if (k1 != k2) fail("incompatible types for comparison");
  switch (k1) {
    case BasicKind::kFloat:
      return a.v.as_float() < b.v.as_float();
    case BasicKind::kInt:
      return a.v.as_int() < b.v.as_int();
    case BasicKind::kString:
      return a.v.as_string() < b.v.as_string();
    default:
      fail("invalid type for comparison");
  }
}

ExecValue boolean(bool b) { return ExecValue{Value::boolean(b), false}; }

std::vector<Value> plain(std::span<const ExecValue> args) {
  std::vector<Value> out;
  out.reserve(args.size());
  for (const auto& a : args) out.push_back(a.v);
  return out;
}

/// Go's evalArgs: one string is used as is; otherwise nils print "<no value>" and fmt.Sprint joins them.
std::string eval_args(std::span<const ExecValue> args) {
  if (args.size() == 1 && args[0].v.kind() == Kind::kString) return args[0].v.as_string();
  std::vector<Value> vals;
  for (const auto& a : args) vals.push_back(a.v.is_nil() ? Value::string("<no value>") : a.v);
  return gofmt::sprint(vals);
}

ExecValue text(std::string s) { return ExecValue{Value::string(std::move(s)), false}; }

}  // namespace

bool is_true(const ExecValue& v) { return v.v.truthy(); }

bool is_builtin(std::string_view name) {
  static constexpr std::array<std::string_view, 19> kNames = {
      "and",    "call",    "html",     "index", "slice", "js", "len", "not", "or", "print",
      "printf", "println", "urlquery", "eq",    "ge",    "gt", "le",  "lt",  "ne"};
  for (auto n : kNames) {
    if (n == name) return true;
  }
  return false;
}

void builtin_arity(std::string_view name, int* min_args, int* max_args) {
  if (name == "len" || name == "not") {
    *min_args = *max_args = 1;
  } else if (name == "ne" || name == "lt" || name == "le" || name == "gt" || name == "ge") {
    *min_args = *max_args = 2;
  } else if (name == "html" || name == "js" || name == "urlquery" || name == "print" || name == "println") {
    *min_args = 0;
    *max_args = -1;
  } else {
    *min_args = 1;
    *max_args = -1;
  }
}

ExecValue call_builtin(std::string_view name, std::span<const ExecValue> args) {
  if (name == "not") return boolean(!is_true(args[0]));
  if (name == "len") return builtin_len(args[0]);
  if (name == "index") return builtin_index(args);
  if (name == "slice") return builtin_slice(args);
  if (name == "eq") {
    if (args.size() < 2) fail("missing argument for comparison");
    return boolean(equal(args[0], args.subspan(1)));
  }
  if (name == "ne") return boolean(!equal(args[0], args.subspan(1)));
  if (name == "lt") return boolean(less(args[0], args[1]));
  if (name == "le") return boolean(less(args[0], args[1]) || equal(args[0], args.subspan(1)));
  if (name == "gt") return boolean(!(less(args[0], args[1]) || equal(args[0], args.subspan(1))));
  if (name == "ge") return boolean(!less(args[0], args[1]));
  if (name == "print") return text(gofmt::sprint(plain(args)));
  if (name == "println") return text(gofmt::sprintln(plain(args)));
  if (name == "printf") {
    std::vector<Value> rest = plain(args.subspan(1));
    return text(gofmt::sprintf(args[0].v.as_string(), rest));
  }
  if (name == "html") return text(html_escape(eval_args(args)));
  if (name == "js") return text(js_escape(eval_args(args)));
  if (name == "urlquery") return text(url_query_escape(eval_args(args)));
  if (name == "call") {
    if (args[0].v.is_nil()) fail("call of nil");
    fail("non-function of type " + args[0].v.type_name());
  }
  fail("unknown builtin " + std::string(name));
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\0':
        out += "\xEF\xBF\xBD";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string js_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '\\':
          out += "\\\\";
          break;
        case '\'':
          out += "\\'";
          break;
        case '"':
          out += "\\\"";
          break;
        case '<':
          out += "\\u003C";
          break;
        case '>':
          out += "\\u003E";
          break;
        case '&':
          out += "\\u0026";
          break;
        case '=':
          out += "\\u003D";
          break;
        default:
          if (c < ' ') {
            out += "\\u00";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      continue;
    }
    uint32_t r = 0;
    int w = decode_utf8(s.substr(i), &r);
    if (go_is_print(r)) {
      out.append(s.substr(i, static_cast<size_t>(w)));
    } else {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u%04X", r);
      out += buf;
    }
    i += static_cast<size_t>(w) - 1;
  }
  return out;
}

std::string url_query_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace gl::render::gotemplate
