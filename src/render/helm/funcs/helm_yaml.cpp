#include "render/helm/funcs/helm_yaml.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml.h>

#include "core/source.h"
#include "core/strings.h"
#include "yaml/parser.h"

namespace gl::render::helm {

using gotemplate::GoType;
using gotemplate::Kind;
using gotemplate::List;
using gotemplate::Map;
using gotemplate::Value;

namespace {

// ---------------------------------------------------------------------------------------------------------
// UTF-8 (Go's rules: no surrogates, no overlong forms).


uint32_t decode_rune(std::string_view s, size_t i, size_t n) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (n == 1) return c;
  uint32_t cp = c & (n == 2 ? 0x1FU : n == 3 ? 0x0FU : 0x07U);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3FU);
  return cp;
}


/// The string with every invalid byte replaced by U+FFFD, as encoding/json writes it.
std::string coerce_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Go float formatting (strconv.FormatFloat with precision -1: shortest digits that round-trip).

struct Digits {
  std::string d;  ///< significant digits, no leading zeros ("0" for zero)
  int dp = 0;     ///< decimal point position: value = 0.d * 10^dp
  bool neg = false;
};

Digits shortest_digits(double f) {
  Digits r;
  r.neg = std::signbit(f);
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(f), std::chars_format::scientific);
  const std::string_view s(buf, static_cast<size_t>(res.ptr - buf));
  const size_t e = s.find('e');
  for (size_t i = 0; i < e; ++i) {
    if (s[i] != '.') r.d += s[i];
  }
  int exp = 0;
  std::from_chars(s.data() + e + 1 + (s[e + 1] == '+' ? 1 : 0), s.data() + s.size(), exp);
  while (r.d.size() > 1 && r.d.back() == '0') r.d.pop_back();
  r.dp = exp + 1;
  if (r.d == "0") r.dp = 1;
  return r;
}

std::string fmt_e(const Digits& g) {
  std::string out = g.neg ? "-" : "";
  out += g.d[0];
  if (g.d.size() > 1) {
    out += '.';
    out.append(g.d, 1);
  }
  const int exp = g.d == "0" ? 0 : g.dp - 1;
  out += exp < 0 ? "e-" : "e+";
  const int a = std::abs(exp);
  if (a < 10) out += '0';
  out += std::to_string(a);
  return out;
}

std::string fmt_f(const Digits& g) {
  std::string out = g.neg ? "-" : "";
  if (g.dp <= 0) {
    out += "0";
  } else {
    for (int i = 0; i < g.dp; ++i) out += static_cast<size_t>(i) < g.d.size() ? g.d[static_cast<size_t>(i)] : '0';
  }
  const int frac = std::max(static_cast<int>(g.d.size()) - g.dp, 0);
  if (frac > 0) {
    out += '.';
    for (int i = 0; i < frac; ++i) {
      const int k = g.dp + i;
      out += k >= 0 && static_cast<size_t>(k) < g.d.size() ? g.d[static_cast<size_t>(k)] : '0';
    }
  }
  return out;
}

std::string special_float(double f) {
  if (std::isnan(f)) return "NaN";
  return f > 0 ? "+Inf" : "-Inf";
}

}  // namespace

std::string format_float_g(double f) {
  if (!std::isfinite(f)) return special_float(f);
  const Digits g = shortest_digits(f);
  // Go: with the shortest precision, %e when the decimal exponent is < -4 or >= 6.
  const int exp = g.dp - 1;
  if (g.d != "0" && (exp < -4 || exp >= 6)) return fmt_e(g);
  return fmt_f(g);
}

std::string format_float_json(double f) {
  const Digits g = shortest_digits(f);
  const double a = std::fabs(f);
  if (a != 0 && (a < 1e-6 || a >= 1e21)) {
    std::string s = fmt_e(g);
    const size_t n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s.erase(n - 2, 1);
    return s;
  }
  return fmt_f(g);
}

namespace {

// ---------------------------------------------------------------------------------------------------------
// JSON values as encoding/json sees them: the common model for toJson, toYaml and toToml.

struct JNode {
  enum Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject } type = kNull;
  bool b = false;
  std::string s;  ///< number text or string (valid UTF-8)
  /// For a number: the float64 it came from (int otherwise), so TOML can write 1.0.
  bool is_float = false;
  double f = 0;
  std::vector<JNode> items;
  std::vector<std::pair<std::string, JNode>> fields;  ///< map keys sorted by bytes (json.Marshal); struct fields in order
};

bool to_jnode(const Value& v, JNode& out, std::string* error, int depth = 0) {
  if (depth > 10000) {
    if (error != nullptr) *error = "json: unsupported value: encountered a cycle";
    return false;
  }
  switch (v.kind()) {
    case Kind::kNil:
      out.type = JNode::kNull;
      return true;
    case Kind::kBool:
      out.type = JNode::kBool;
      out.b = v.as_bool();
      return true;
    case Kind::kInt:
      out.type = JNode::kNumber;
      out.s = std::to_string(v.as_int());
      return true;
    case Kind::kFloat: {
      const double f = v.as_float();
      if (!std::isfinite(f)) {
        if (error != nullptr) *error = "json: unsupported value: " + special_float(f);
        return false;
      }
      out.type = JNode::kNumber;
      out.s = format_float_json(f);
      out.is_float = true;
      out.f = f;
      return true;
    }
    case Kind::kString:
      out.type = JNode::kString;
      out.s = v.go_type() == GoType::kBytes ? encode_base64(v.as_string()) : coerce_utf8(v.as_string());
      return true;
    case Kind::kList:
      out.type = JNode::kArray;
      out.items.resize(v.as_list().size());
      for (size_t i = 0; i < out.items.size(); ++i) {
        if (!to_jnode(v.as_list()[i], out.items[i], error, depth + 1)) return false;
      }
      return true;
    case Kind::kMap:
      out.type = JNode::kObject;
      for (const auto& [k, item] : v.as_map()) {
        out.fields.emplace_back(coerce_utf8(k), JNode{});
        if (!to_jnode(item, out.fields.back().second, error, depth + 1)) return false;
      }
      return true;
    case Kind::kObject: {
      const auto* m = dynamic_cast<const JsonMarshaler*>(&v.as_object());
      if (m == nullptr) {
        out.type = JNode::kNull;
        return true;
      }
      if (auto fields = m->json_fields()) {
        out.type = JNode::kObject;
        for (const auto& [k, item] : *fields) {
          out.fields.emplace_back(k, JNode{});
          if (!to_jnode(item, out.fields.back().second, error, depth + 1)) return false;
        }
        return true;
      }
      return to_jnode(m->json_value(), out, error, depth + 1);
    }
  }
  return true;
}

void json_string(std::string& out, std::string_view s, bool escape_html) {
  append_go_json_string(out, s, escape_html, /*short_bf=*/false);
}

void write_json(std::string& out, const JNode& n, bool escape_html, std::string_view indent, int level) {
  const auto newline = [&](int lvl) {
    if (indent.empty()) return;
    out += '\n';
    for (int i = 0; i < lvl; ++i) out.append(indent);
  };
  switch (n.type) {
    case JNode::kNull:
      out += "null";
      return;
    case JNode::kBool:
      out += n.b ? "true" : "false";
      return;
    case JNode::kNumber:
      out += n.s;
      return;
    case JNode::kString:
      json_string(out, n.s, escape_html);
      return;
    case JNode::kArray:
      out += '[';
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out += ',';
        newline(level + 1);
        write_json(out, n.items[i], escape_html, indent, level + 1);
      }
      if (!n.items.empty()) newline(level);
      out += ']';
      return;
    case JNode::kObject:
      out += '{';
      for (size_t i = 0; i < n.fields.size(); ++i) {
        if (i > 0) out += ',';
        newline(level + 1);
        json_string(out, n.fields[i].first, escape_html);
        out += indent.empty() ? ":" : ": ";
        write_json(out, n.fields[i].second, escape_html, indent, level + 1);
      }
      if (!n.fields.empty()) newline(level);
      out += '}';
      return;
  }
}

// ---------------------------------------------------------------------------------------------------------
// JSON decoding (encoding/json's scanner messages).

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}

  std::optional<Value> parse(std::string* error) {
    skip_ws();
    Value v;
    if (!value(v, 0) || (skip_ws(), false)) return fail_out(error);
    if (pos_ < s_.size()) {
      err_ = "invalid character " + quote_char(pos_) + " after top-level value";
      return fail_out(error);
    }
    return v;
  }

 private:
  std::optional<Value> fail_out(std::string* error) {
    if (error != nullptr) *error = err_;
    return std::nullopt;
  }

  /// Go's quoteChar: 'x', '\'' , '"', or strconv.Quote's escape form.
  std::string quote_char(size_t at) const {
    const auto c = static_cast<unsigned char>(s_[at]);
    if (c == '\'') return "'\\''";
    if (c == '"') return "'\"'";
    if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
    if (c == '\n') return "'\\n'";
    if (c == '\r') return "'\\r'";
    if (c == '\t') return "'\\t'";
    if (c < 0x80) return fmt::format("'\\x{:02x}'", c);
    const size_t n = utf8_length(s_, at);
    if (n == 0) return "'\\ufffd'";
    return "'" + std::string(s_.substr(at, n)) + "'";
  }

  bool eof_error() {
    err_ = "unexpected end of JSON input";
    return false;
  }
  bool bad(std::string_view context) {
    if (pos_ >= s_.size()) return eof_error();
    err_ = "invalid character " + quote_char(pos_) + " " + std::string(context);
    return false;
  }

  bool space_error(std::string_view context) {
    err_ = "invalid character ' ' " + std::string(context);
    return false;
  }

  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }

  bool value(Value& out, int depth) {
    if (depth > 10000) {
      err_ = "exceeded max depth";
      return false;
    }
    if (pos_ >= s_.size()) return eof_error();
    const char c = s_[pos_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      std::string str;
      if (!string(str)) return false;
      out = Value::string(std::move(str));
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(out);
    if (c == 't') return literal("true", Value::boolean(true), out);
    if (c == 'f') return literal("false", Value::boolean(false), out);
    if (c == 'n') return literal("null", Value(), out);
    return bad("looking for beginning of value");
  }

  bool literal(std::string_view word, Value v, Value& out) {
    for (size_t i = 0; i < word.size(); ++i) {
      // At the end of the input Go's scanner is fed a space, so a cut literal reports ' '.
      if (pos_ >= s_.size()) {
        err_ = fmt::format("invalid character ' ' in literal {} (expecting '{}')", word, word[i]);
        return false;
      }
      if (s_[pos_] != word[i]) {
        return bad(fmt::format("in literal {} (expecting '{}')", word, word[i]));
      }
      ++pos_;
    }
    out = std::move(v);
    return true;
  }

  bool number(Value& out) {
    const size_t start = pos_;
    const auto digit = [&] { return pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9'; };
    if (s_[pos_] == '-') {
      ++pos_;
      if (pos_ >= s_.size()) return space_error("in numeric literal");
      if (!digit()) return bad("in numeric literal");
    }
    if (s_[pos_] == '0') {
      ++pos_;
    } else {
      while (digit()) ++pos_;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (pos_ >= s_.size()) return space_error("after decimal point in numeric literal");
      if (!digit()) return bad("after decimal point in numeric literal");
      while (digit()) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (pos_ >= s_.size()) return space_error("in exponent of numeric literal");
      if (!digit()) return bad("in exponent of numeric literal");
      while (digit()) ++pos_;
    }
    const std::string text(s_.substr(start, pos_ - start));
    double d = 0;
    const auto res = std::from_chars(text.data(), text.data() + text.size(), d);
    if (res.ec != std::errc() || !std::isfinite(d)) {
      // Deferred in Go (the rest is still checked first); reported as an unmarshal error.
      if (number_error_.empty())
        number_error_ = "json: cannot unmarshal number " + text + " into Go value of type float64";
      out = Value();
      return true;
    }
    out = Value::floating(d);
    return true;
  }

  bool hex4(uint32_t& cp) {
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      if (pos_ >= s_.size()) return eof_error();
      const char h = s_[pos_];
      uint32_t d = 0;
      if (h >= '0' && h <= '9') {
        d = static_cast<uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        d = static_cast<uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        d = static_cast<uint32_t>(h - 'A' + 10);
      } else {
        return bad("in \\u hexadecimal character escape");
      }
      cp = cp * 16 + d;
      ++pos_;
    }
    return true;
  }

  bool string(std::string& out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= s_.size()) return eof_error();
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return bad("in string literal");
      if (c == '\\') {
        ++pos_;
        if (pos_ >= s_.size()) return eof_error();
        const char e = s_[pos_];
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
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
            uint32_t cp = 0;
            if (!hex4(cp)) return false;
            if (cp >= 0xD800 && cp < 0xDC00) {
              // A high surrogate needs a following \uDC00-\uDFFF; otherwise it decodes as U+FFFD.
              if (pos_ + 1 < s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
                const size_t save = pos_;
                pos_ += 2;
                uint32_t lo = 0;
                if (!hex4(lo)) return false;
                if (lo >= 0xDC00 && lo < 0xE000) {
                  gl::append_utf8(out, 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00));
                  continue;
                }
                pos_ = save;
              }
              gl::append_utf8(out, 0xFFFD);
              continue;
            }
            if (cp >= 0xDC00 && cp < 0xE000) cp = 0xFFFD;
            gl::append_utf8(out, cp);
            continue;
          }
          default:
            return bad("in string escape code");
        }
        ++pos_;
        continue;
      }
      if (c < 0x80) {
        out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      const size_t n = utf8_length(s_, pos_);
      if (n == 0) {
        out += "\xEF\xBF\xBD";
        ++pos_;
      } else {
        out.append(s_.substr(pos_, n));
        pos_ += n;
      }
    }
  }

  bool array(Value& out, int depth) {
    ++pos_;
    List items;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      out = Value::list(std::move(items));
      return true;
    }
    while (true) {
      skip_ws();
      Value item;
      if (!value(item, depth + 1)) return false;
      items.push_back(std::move(item));
      skip_ws();
      if (pos_ >= s_.size()) return eof_error();
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == ']') {
        ++pos_;
        out = Value::list(std::move(items));
        return true;
      }
      return bad("after array element");
    }
  }

  bool object(Value& out, int depth) {
    ++pos_;
    Map fields;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      out = Value::map(std::move(fields));
      return true;
    }
    while (true) {
      skip_ws();
      if (pos_ >= s_.size()) return eof_error();
      if (s_[pos_] != '"') return bad("looking for beginning of object key string");
      std::string key;
      if (!string(key)) return false;
      skip_ws();
      if (pos_ >= s_.size()) return eof_error();
      if (s_[pos_] != ':') return bad("after object key");
      ++pos_;
      skip_ws();
      Value item;
      if (!value(item, depth + 1)) return false;
      fields[key] = std::move(item);
      skip_ws();
      if (pos_ >= s_.size()) return eof_error();
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == '}') {
        ++pos_;
        out = Value::map(std::move(fields));
        return true;
      }
      return bad("after object key:value pair");
    }
  }

 public:
  std::string number_error_;

 private:
  std::string_view s_;
  size_t pos_ = 0;
  std::string err_;
};

// ---------------------------------------------------------------------------------------------------------
// yaml.v2's implicit resolution of plain scalars (resolve.go).

enum class V2Tag : uint8_t { kNull, kBool, kInt, kUint, kFloat, kStr, kTimestamp, kMerge };

struct V2Scalar {
  V2Tag tag = V2Tag::kStr;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double f = 0;
};

/// strconv.ParseUint(s, 0, 64) without the sign (base prefixes 0x, 0o, 0b, leading-0 octal).
bool parse_uint_base0(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  int base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    const char p = static_cast<char>(s[1] | 0x20);
    if (p == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (p == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
    if (s.empty()) return false;
  }
  const auto res = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

/// strconv.ParseInt(s, 0, 64).
bool parse_int_base0(std::string_view s, int64_t& out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t u = 0;
  if (!parse_uint_base0(s, u)) return false;
  if (neg) {
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) return false;
    out = static_cast<int64_t>(0 - u);
  } else {
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    out = static_cast<int64_t>(u);
  }
  return true;
}

/// strconv.ParseFloat(s, 64) for decimal text (also "inf", "infinity", "nan" in any case, as Go accepts).
bool parse_float(std::string_view s, double& out) {
  if (s.empty()) return false;
  std::string t(s);
  const std::string low = to_lower(t);
  std::string_view body = low;
  bool neg = false;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "inf" || body == "infinity") {
    out = neg ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (body == "nan" && low.size() == 3) {
    out = std::nan("");
    return true;
  }
  if (body.starts_with("0x")) return false;  // hex floats: not produced by the paths that use this
  const char* b = t.data() + (t[0] == '+' ? 1 : 0);
  const auto res = std::from_chars(b, t.data() + t.size(), out);
  if (res.ec != std::errc() || res.ptr != t.data() + t.size()) return false;
  return std::isfinite(out);
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
bool yaml_style_float(std::string_view s) {
  size_t i = 0;
  const auto digits = [&] {
    const size_t st = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - st;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

/// Go's time.Parse against yaml.v2's timestamp layouts (2006-1-2T15:4:5.999999999Z07:00, the lower-case t
/// form, "2006-1-2 15:4:5.999999999" and 2006-1-2).
bool is_v2_timestamp(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i != 4 || i == s.size() || s[i] != '-') return false;
  const auto num = [&](int max_digits, int& v) {
    const size_t st = i;
    v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && static_cast<int>(i - st) < max_digits)
      v = v * 10 + (s[i++] - '0');
    return i > st;
  };
  const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  ++i;
  int month = 0, day = 0;
  if (!num(2, month) || i >= s.size() || s[i] != '-') return false;
  ++i;
  if (!num(2, day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] || (month == 2 && day == 29 && !leap)) return false;
  if (i == s.size()) return true;
  const char sep = s[i];
  if (sep != 'T' && sep != 't' && sep != ' ') return false;
  ++i;
  int h = 0, m = 0, sec = 0;
  if (!num(2, h) || i >= s.size() || s[i] != ':') return false;
  ++i;
  if (!num(2, m) || i >= s.size() || s[i] != ':') return false;
  ++i;
  if (!num(2, sec)) return false;
  if (h > 23 || m > 59 || sec > 59) return false;
  if (i + 1 < s.size() && (s[i] == '.' || s[i] == ',') && s[i + 1] >= '0' && s[i + 1] <= '9') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  if (sep == ' ') return i == s.size();
  if (i < s.size() && s[i] == 'Z') return i + 1 == s.size();
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    ++i;
    int oh = 0, om = 0;
    if (!num(2, oh) || i >= s.size() || s[i] != ':') return false;
    ++i;
    return num(2, om) && i == s.size() && oh <= 24 && om <= 59;
  }
  return false;
}

V2Scalar resolve_v2(std::string_view in, bool allow_timestamp = true) {
  V2Scalar r;
  static constexpr std::string_view kTrue[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static constexpr std::string_view kFalse[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                                "False", "FALSE", "off", "Off", "OFF"};
  static constexpr std::string_view kNull[] = {"", "~", "null", "Null", "NULL"};
  char hint = 'N';
  if (!in.empty()) {
    const char c = in[0];
    if (c == '+' || c == '-') {
      hint = 'S';
    } else if (c >= '0' && c <= '9') {
      hint = 'D';
    } else if (std::strchr("yYnNtTfFoO~", c) != nullptr) {
      hint = 'M';
    } else if (c == '.') {
      hint = '.';
    } else if (c == '<') {
      hint = 0;
      if (in == "<<") hint = 0;  // '<' is not in the resolve table: "<<" stays a plain string on output
    } else {
      hint = 0;
    }
  }
  if (hint == 0) return r;
  for (auto w : kTrue) {
    if (in == w) {
      r.tag = V2Tag::kBool;
      r.b = true;
      return r;
    }
  }
  for (auto w : kFalse) {
    if (in == w) {
      r.tag = V2Tag::kBool;
      return r;
    }
  }
  for (auto w : kNull) {
    if (in == w) {
      r.tag = V2Tag::kNull;
      return r;
    }
  }
  if (in == ".nan" || in == ".NaN" || in == ".NAN") {
    r.tag = V2Tag::kFloat;
    r.f = std::nan("");
    return r;
  }
  for (auto w : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
    if (in == w) {
      r.tag = V2Tag::kFloat;
      r.f = HUGE_VAL;
      return r;
    }
  }
  for (auto w : {"-.inf", "-.Inf", "-.INF"}) {
    if (in == w) {
      r.tag = V2Tag::kFloat;
      r.f = -HUGE_VAL;
      return r;
    }
  }
  if (hint == '.') {
    double f = 0;
    if (parse_float(in, f)) {
      r.tag = V2Tag::kFloat;
      r.f = f;
    }
    return r;
  }
  if (hint == 'D' || hint == 'S') {
    if (allow_timestamp && is_v2_timestamp(in)) {
      r.tag = V2Tag::kTimestamp;
      return r;
    }
    std::string plain(in);
    plain.erase(std::remove(plain.begin(), plain.end(), '_'), plain.end());
    int64_t i = 0;
    if (parse_int_base0(plain, i)) {
      r.tag = V2Tag::kInt;
      r.i = i;
      return r;
    }
    uint64_t u = 0;
    if (plain[0] != '-' && plain[0] != '+' && parse_uint_base0(plain, u)) {
      r.tag = V2Tag::kUint;
      r.u = u;
      return r;
    }
    if (yaml_style_float(plain)) {
      double f = 0;
      if (parse_float(plain, f)) {
        r.tag = V2Tag::kFloat;
        r.f = f;
        return r;
      }
    }
    const auto parse_bin = [&](std::string_view digits, bool neg) {
      uint64_t v = 0;
      const auto res = std::from_chars(digits.data(), digits.data() + digits.size(), v, 2);
      if (digits.empty() || res.ec != std::errc() || res.ptr != digits.data() + digits.size()) return false;
      if (neg) {
        if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) return false;
        r.tag = V2Tag::kInt;
        r.i = static_cast<int64_t>(0 - v);
      } else if (v <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        r.tag = V2Tag::kInt;
        r.i = static_cast<int64_t>(v);
      } else {
        r.tag = V2Tag::kUint;
        r.u = v;
      }
      return true;
    };
    if (plain.starts_with("0b")) {
      parse_bin(std::string_view(plain).substr(2), false);
    } else if (plain.starts_with("-0b")) {
      parse_bin(std::string_view(plain).substr(3), true);
    }
    return r;
  }
  return r;
}

/// isBase60Float: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$` (yaml.v2 quotes these on output).
bool is_base60_float(std::string_view s) {
  if (s.empty()) return false;
  const char c = s[0];
  if (!(c == '+' || c == '-' || (c >= '0' && c <= '9')) || s.find(':') == std::string_view::npos) return false;
  size_t i = 0;
  if (s[i] == '+' || s[i] == '-') ++i;
  if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
  ++i;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_')) ++i;
  int groups = 0;
  while (i < s.size() && s[i] == ':') {
    ++i;
    size_t d = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && d < 2) {
      ++i;
      ++d;
    }
    if (d == 0) return false;
    if (d == 2 && s[i - 2] > '5') return false;
    ++groups;
  }
  if (groups == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_')) ++i;
  }
  return i == s.size();
}

// ---------------------------------------------------------------------------------------------------------
// yaml.v2's emitter (a port of libyaml's), for the block style Marshal uses.

constexpr int kBestWidth = 80;
constexpr size_t kMaxSimpleKey = 128;

/// Width in bytes of the UTF-8 sequence starting with byte c.
size_t width_of(unsigned char c) {
  if ((c & 0x80) == 0) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

unsigned char byte_at(std::string_view s, size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0; }

bool is_printable(std::string_view s, size_t i) {
  const unsigned char c = byte_at(s, i);
  const unsigned char c1 = byte_at(s, i + 1);
  const unsigned char c2 = byte_at(s, i + 2);
  return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && c1 >= 0xA0) || (c > 0xC2 && c < 0xED) ||
         (c == 0xED && c1 < 0xA0) || c == 0xEE ||
         (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)));
}

bool is_break_at(std::string_view s, size_t i) {
  const unsigned char c = byte_at(s, i);
  return c == '\r' || c == '\n' || (c == 0xC2 && byte_at(s, i + 1) == 0x85) ||
         (c == 0xE2 && byte_at(s, i + 1) == 0x80 && (byte_at(s, i + 2) == 0xA8 || byte_at(s, i + 2) == 0xA9));
}
bool is_space_at(std::string_view s, size_t i) { return byte_at(s, i) == ' '; }
bool is_blank_at(std::string_view s, size_t i) { return byte_at(s, i) == ' ' || byte_at(s, i) == '\t'; }
bool is_blankz_at(std::string_view s, size_t i) {
  return i >= s.size() || is_blank_at(s, i) || is_break_at(s, i) || s[i] == '\0';
}

struct Analysis {
  bool multiline = false;
  bool block_plain_allowed = true;
  bool single_quoted_allowed = true;
  bool block_allowed = true;
};

Analysis analyze_scalar(std::string_view v) {
  Analysis a;
  if (v.empty()) {
    a.block_allowed = false;
    return a;
  }
  bool block_indicators = false, line_breaks = false, special = false;
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
  bool break_space = false, space_break = false, previous_space = false, previous_break = false;
  if (v.size() >= 3 && (v.starts_with("---") || v.starts_with("..."))) block_indicators = true;
  bool preceded_by_whitespace = true;
  for (size_t i = 0; i < v.size();) {
    const size_t w = width_of(static_cast<unsigned char>(v[i]));
    const bool followed_by_whitespace = i + w >= v.size() || is_blank_at(v, i + w) || is_break_at(v, i + w);
    const char c = v[i];
    if (i == 0) {
      if (std::strchr("#,[]{}&*!|>'\"%@`", c) != nullptr && c != '\0') block_indicators = true;
      if ((c == '?' || c == ':') && followed_by_whitespace) block_indicators = true;
      if (c == '-' && followed_by_whitespace) block_indicators = true;
    } else {
      if (c == ':' && followed_by_whitespace) block_indicators = true;
      if (c == '#' && preceded_by_whitespace) block_indicators = true;
    }
    if (!is_printable(v, i)) special = true;
    if (is_space_at(v, i)) {
      if (i == 0) leading_space = true;
      if (i + w == v.size()) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (is_break_at(v, i)) {
      line_breaks = true;
      if (i == 0) leading_break = true;
      if (i + w == v.size()) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = previous_break = false;
    }
    preceded_by_whitespace = is_blankz_at(v, i);
    i += w;
  }
  a.multiline = line_breaks;
  if (leading_space || leading_break || trailing_space || trailing_break) a.block_plain_allowed = false;
  if (trailing_space) a.block_allowed = false;
  if (break_space) a.block_plain_allowed = a.single_quoted_allowed = false;
  if (space_break || special) a.block_plain_allowed = a.single_quoted_allowed = a.block_allowed = false;
  if (line_breaks) a.block_plain_allowed = false;
  if (block_indicators) a.block_plain_allowed = false;
  return a;
}

enum class Style : uint8_t { kPlain, kSingle, kDouble, kLiteral };

/// yaml.v2's key order (sorter.go) for string keys: letters before other runes, digit runs compared as numbers.
bool is_letter(uint32_t r) {
  return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == 0xAA || r == 0xB5 || r == 0xBA ||
         (r >= 0xC0 && r != 0xD7 && r != 0xF7);
}
bool is_digit(uint32_t r) { return r >= '0' && r <= '9'; }

std::vector<uint32_t> runes(std::string_view s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_length(s, i);
    if (n == 0) {
      out.push_back(0xFFFD);
      ++i;
    } else {
      out.push_back(decode_rune(s, i, n));
      i += n;
    }
  }
  return out;
}

bool v2_key_less(const std::vector<uint32_t>& ar, const std::vector<uint32_t>& br) {
  for (size_t i = 0; i < ar.size() && i < br.size(); ++i) {
    if (ar[i] == br[i]) continue;
    const bool al = is_letter(ar[i]);
    const bool bl = is_letter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    int64_t an = 0, bn = 0;
    if (ar[i] == '0' || br[i] == '0') {
      for (size_t j = i; j-- > 0 && is_digit(ar[j]);) {
        if (ar[j] != '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    size_t ai = i, bi = i;
    for (; ai < ar.size() && is_digit(ar[ai]); ++ai) an = an * 10 + static_cast<int64_t>(ar[ai] - '0');
    for (; bi < br.size() && is_digit(br[bi]); ++bi) bn = bn * 10 + static_cast<int64_t>(br[bi] - '0');
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.size() < br.size();
}

class V2Emitter {
 public:
  std::string out;

  void root(const JNode& n) {
    if (n.type == JNode::kObject && !n.fields.empty()) {
      mapping(n, 0, false);
    } else if (n.type == JNode::kArray && !n.items.empty()) {
      sequence(n, 0, false);
    } else {
      scalar_node(n, 2);
    }
    line_break();
  }

 private:
  int col_ = 0;

  void put(std::string_view s) {
    for (const char c : s) {
      if (c == '\n') {
        col_ = 0;
      } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
        ++col_;
      }
    }
    out.append(s);
  }
  void put(char c) { put(std::string_view(&c, 1)); }
  void spaces(int n) {
    for (int i = 0; i < n; ++i) put(' ');
  }
  void write_indent(int indent) {
    put('\n');
    spaces(indent);
  }
  /// libyaml's write_indent between block entries: no new line when a block scalar already ended with one.
  void line_break() {
    if (col_ != 0) put('\n');
  }

  /// Scalars other than strings are plain; strings follow stringv + select_scalar_style.
  void scalar_node(const JNode& n, int indent, bool simple_key = false) {
    switch (n.type) {
      case JNode::kNull:
        put("null");
        return;
      case JNode::kBool:
        put(n.b ? "true" : "false");
        return;
      case JNode::kNumber:
        put(number_text(n.s));
        return;
      case JNode::kObject:
        put("{}");
        return;
      case JNode::kArray:
        put("[]");
        return;
      case JNode::kString:
        string_scalar(n.s, indent, simple_key);
        return;
    }
  }

  /// A JSON number as yaml.v2 re-reads it (int, uint or float64) and prints it.
  static std::string number_text(const std::string& text) {
    const V2Scalar r = resolve_v2(text, false);
    switch (r.tag) {
      case V2Tag::kInt:
        return std::to_string(r.i);
      case V2Tag::kUint:
        return std::to_string(r.u);
      case V2Tag::kFloat: {
        std::string s = format_float_g(r.f);
        if (s == "+Inf") return ".inf";
        if (s == "-Inf") return "-.inf";
        if (s == "NaN") return ".nan";
        return s;
      }
      default:
        return text;
    }
  }

  void string_scalar(std::string_view s, int indent, bool simple_key) {
    const V2Scalar r = resolve_v2(s);
    const bool can_plain = r.tag == V2Tag::kStr && !is_base60_float(s);
    Style style = s.find('\n') != std::string_view::npos ? Style::kLiteral : can_plain ? Style::kPlain : Style::kDouble;
    const Analysis a = analyze_scalar(s);
    if (simple_key && a.multiline) style = Style::kDouble;
    if (style == Style::kPlain) {
      if (!a.block_plain_allowed) style = Style::kSingle;
      if (s.empty() && simple_key) style = Style::kSingle;
    }
    if (style == Style::kSingle && !a.single_quoted_allowed) style = Style::kDouble;
    if (style == Style::kLiteral && (!a.block_allowed || simple_key)) style = Style::kDouble;
    const bool allow_breaks = !simple_key;
    switch (style) {
      case Style::kPlain:
        plain(s, indent, allow_breaks);
        break;
      case Style::kSingle:
        single_quoted(s, indent, allow_breaks);
        break;
      case Style::kDouble:
        double_quoted(s, indent, allow_breaks);
        break;
      case Style::kLiteral:
        literal(s, indent);
        break;
    }
  }

  void plain(std::string_view v, int indent, bool allow_breaks) {
    bool spaces_seen = false;
    for (size_t i = 0; i < v.size();) {
      const size_t w = width_of(static_cast<unsigned char>(v[i]));
      if (is_space_at(v, i)) {
        if (allow_breaks && !spaces_seen && col_ > kBestWidth && !is_space_at(v, i + 1)) {
          write_indent(indent);
        } else {
          put(' ');
        }
        spaces_seen = true;
      } else {
        put(v.substr(i, w));
        spaces_seen = false;
      }
      i += w;
    }
  }

  void single_quoted(std::string_view v, int indent, bool allow_breaks) {
    put('\'');
    bool spaces_seen = false, breaks = false;
    for (size_t i = 0; i < v.size();) {
      const size_t w = width_of(static_cast<unsigned char>(v[i]));
      if (is_space_at(v, i)) {
        if (allow_breaks && !spaces_seen && col_ > kBestWidth && i > 0 && i < v.size() - 1 && !is_space_at(v, i + 1)) {
          write_indent(indent);
        } else {
          put(' ');
        }
        spaces_seen = true;
      } else if (is_break_at(v, i)) {
        if (!breaks && v[i] == '\n') put('\n');
        out.append(v.substr(i, w));
        col_ = 0;
        breaks = true;
      } else {
        if (breaks) spaces(indent);
        if (v[i] == '\'') put('\'');
        put(v.substr(i, w));
        spaces_seen = breaks = false;
      }
      i += w;
    }
    put('\'');
  }

  void double_quoted(std::string_view v, int indent, bool allow_breaks) {
    put('"');
    bool spaces_seen = false;
    for (size_t i = 0; i < v.size();) {
      const auto c = static_cast<unsigned char>(v[i]);
      const size_t w = std::min(width_of(c), v.size() - i);
      // libyaml's is_bom looks at the start of the buffer, not at i: after a leading BOM, everything is escaped.
      const bool bom = byte_at(v, 0) == 0xEF && byte_at(v, 1) == 0xBB && byte_at(v, 2) == 0xBF;
      if (!is_printable(v, i) || bom || is_break_at(v, i) || c == '"' || c == '\\') {
        const uint32_t cp = decode_rune(v, i, w);
        put('\\');
        switch (cp) {
          case 0x00:
            put('0');
            break;
          case 0x07:
            put('a');
            break;
          case 0x08:
            put('b');
            break;
          case 0x09:
            put('t');
            break;
          case 0x0A:
            put('n');
            break;
          case 0x0B:
            put('v');
            break;
          case 0x0C:
            put('f');
            break;
          case 0x0D:
            put('r');
            break;
          case 0x1B:
            put('e');
            break;
          case 0x22:
            put('"');
            break;
          case 0x5C:
            put('\\');
            break;
          case 0x85:
            put('N');
            break;
          case 0xA0:
            put('_');
            break;
          case 0x2028:
            put('L');
            break;
          case 0x2029:
            put('P');
            break;
          default:
            if (cp <= 0xFF) {
              put(fmt::format("x{:02X}", cp));
            } else if (cp <= 0xFFFF) {
              put(fmt::format("u{:04X}", cp));
            } else {
              put(fmt::format("U{:08X}", cp));
            }
        }
        spaces_seen = false;
      } else if (is_space_at(v, i)) {
        if (allow_breaks && !spaces_seen && col_ > kBestWidth && i > 0 && i < v.size() - 1) {
          write_indent(indent);
          if (is_space_at(v, i + 1)) put('\\');
        } else {
          put(' ');
        }
        spaces_seen = true;
      } else {
        put(v.substr(i, w));
        spaces_seen = false;
      }
      i += w;
    }
    put('"');
  }

  void literal(std::string_view v, int indent) {
    put('|');
    if (is_space_at(v, 0) || is_break_at(v, 0)) put('2');
    // Chomping: '-' when the text does not end in a break, '+' when it ends in two (or is one break).
    size_t last = v.size() - 1;
    while (last > 0 && (static_cast<unsigned char>(v[last]) & 0xC0) == 0x80) --last;
    if (!is_break_at(v, last)) {
      put('-');
    } else if (last == 0) {
      put('+');
    } else {
      size_t prev = last - 1;
      while (prev > 0 && (static_cast<unsigned char>(v[prev]) & 0xC0) == 0x80) --prev;
      if (is_break_at(v, prev)) put('+');
    }
    put('\n');
    bool breaks = true;
    for (size_t i = 0; i < v.size();) {
      const size_t w = width_of(static_cast<unsigned char>(v[i]));
      if (is_break_at(v, i)) {
        if (v[i] == '\n') {
          put('\n');
        } else {
          out.append(v.substr(i, w));
          col_ = 0;
        }
        breaks = true;
      } else {
        if (breaks) spaces(indent);
        put(v.substr(i, w));
        breaks = false;
      }
      i += w;
    }
  }

  static bool simple_key_ok(const std::string& k) { return k.size() <= kMaxSimpleKey && !analyze_scalar(k).multiline; }

  /// A value after "key:" (after_dash false) or after "- " / "? ... :" (after_dash true); `indent` is the
  /// indentation of nested block content and of continuation lines.
  void value_after(const JNode& n, int indent, bool after_dash) {
    if (n.type == JNode::kObject && !n.fields.empty()) {
      if (after_dash) {
        mapping(n, indent, true);
      } else {
        put('\n');
        mapping(n, indent, false);
      }
    } else if (n.type == JNode::kArray && !n.items.empty()) {
      if (after_dash) {
        sequence(n, indent, true);
      } else {
        put('\n');
        sequence(n, indent - 2, false);
      }
    } else {
      if (!after_dash) put(' ');
      scalar_node(n, indent);
    }
  }

  void mapping(const JNode& n, int indent, bool first_inline) {
    std::vector<std::vector<uint32_t>> keys;
    keys.reserve(n.fields.size());
    for (const auto& f : n.fields) keys.push_back(runes(f.first));
    std::vector<size_t> order(n.fields.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v2_key_less(keys[a], keys[b]); });
    bool first = true;
    for (const size_t i : order) {
      if (!first) line_break();
      if (!(first && first_inline)) spaces(indent);
      first = false;
      const auto& [key, value] = n.fields[i];
      if (simple_key_ok(key)) {
        string_scalar(key, indent + 2, true);
        put(':');
        value_after(value, indent + 2, false);
      } else {
        put("? ");
        string_scalar(key, indent + 2, false);
        put('\n');
        spaces(indent);
        put(": ");
        value_after(value, indent + 2, true);
      }
    }
  }

  void sequence(const JNode& n, int indent, bool first_inline) {
    bool first = true;
    for (const auto& item : n.items) {
      if (!first) line_break();
      if (!(first && first_inline)) spaces(indent);
      first = false;
      put("- ");
      value_after(item, indent + 2, true);
    }
  }
};

// ---------------------------------------------------------------------------------------------------------
// yaml.v2 decoding (through our libyaml-based parser) into JSON-compatible values.

struct DecodeError {
  std::string message;
};

std::string short_tag(std::string_view tag) {
  constexpr std::string_view kLong = "tag:yaml.org,2002:";
  if (tag.starts_with(kLong)) return "!!" + std::string(tag.substr(kLong.size()));
  return std::string(tag);
}

/// A decoded yaml.v2 value before the JSON round trip (numbers keep their Go type for key conversion).
Value scalar_value(const yaml::Node& n) {
  const std::string tag = short_tag(n.tag());
  const std::string_view text = n.value();
  const bool plain = n.style == yaml::ScalarStyle::kPlain;
  if (tag.empty() && !plain) return Value::string(std::string(text));
  if (!tag.empty() && tag != "!!str" && tag != "!!bool" && tag != "!!int" && tag != "!!float" && tag != "!!null" &&
      tag != "!!timestamp" && tag != "!!binary" && tag != "!!merge" && tag != "!") {
    return Value::string(std::string(text));  // an application tag: the text as written
  }
  if (tag == "!" || tag == "!!str") return Value::string(std::string(text));
  if (tag == "!!binary") {
    auto data = decode_base64(text);
    if (!data) throw DecodeError{"yaml: !!binary value contains invalid base64 data"};
    return Value::string(std::move(*data));
  }
  const V2Scalar r = resolve_v2(text, tag.empty() || tag == "!!timestamp");
  Value v;
  std::string rtag;
  switch (r.tag) {
    case V2Tag::kNull:
      rtag = "!!null";
      break;
    case V2Tag::kBool:
      rtag = "!!bool";
      v = Value::boolean(r.b);
      break;
    case V2Tag::kInt:
      rtag = "!!int";
      v = Value::integer(r.i, GoType::kInt64);
      break;
    case V2Tag::kUint:
      rtag = "!!int";
      v = Value::floating(static_cast<double>(r.u));
      break;
    case V2Tag::kFloat:
      rtag = "!!float";
      v = Value::floating(r.f);
      break;
    case V2Tag::kTimestamp:
      rtag = "!!timestamp";
      v = Value::string(std::string(text));
      break;
    case V2Tag::kMerge:
    case V2Tag::kStr:
      rtag = "!!str";
      v = Value::string(std::string(text));
      break;
  }
  if (!tag.empty() && tag != rtag) {
    if (tag == "!!float" && rtag == "!!int") return Value::floating(static_cast<double>(r.i));
    throw DecodeError{fmt::format("yaml: cannot decode {} `{}` as a {}", rtag, text, tag)};
  }
  return v;
}

/// sigs.k8s.io/yaml's conversion of a key to a JSON object key.
std::string key_string(const yaml::Node& k) {
  if (k.is_seq() || k.is_map()) throw DecodeError{"yaml: invalid map key"};
  if (k.is_null() && k.tag().empty()) {
    throw DecodeError{"error converting YAML to JSON: Unsupported map key of type: %!s(<nil>), key: <nil>"};
  }
  const Value v = scalar_value(k);
  switch (v.kind()) {
    case Kind::kString:
      return v.as_string();
    case Kind::kBool:
      return v.as_bool() ? "true" : "false";
    case Kind::kInt:
      return std::to_string(v.as_int());
    case Kind::kFloat: {
      // strconv.FormatFloat(k, 'g', -1, 32): the float32 nearest to the key.
      const auto f = static_cast<float>(v.as_float());
      if (std::isnan(f)) return ".nan";
      if (std::isinf(f)) return f > 0 ? ".inf" : "-.inf";
      char buf[64];
      const auto res = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
      const double shortest = std::strtod(std::string(buf, res.ptr).c_str(), nullptr);
      return format_float_g(shortest);
    }
    case Kind::kNil:
      throw DecodeError{"error converting YAML to JSON: Unsupported map key of type: %!s(<nil>), key: <nil>"};
    default:
      return "";
  }
}

/// yaml.v2 node -> Value as json.Unmarshal would see it after sigs.k8s.io/yaml's JSON round trip; each value
/// keeps its node's span.
Value decode_node(const yaml::Node& n, int depth) {
  if (depth > 10000) throw DecodeError{"yaml: exceeded max depth"};
  Value v;
  if (n.is_map()) {
    Map m;
    for (size_t i = 0; i < n.keys().size(); ++i) m[key_string(n.keys()[i])] = decode_node(n.items()[i], depth + 1);
    v = Value::map(std::move(m));
  } else if (n.is_seq()) {
    List l;
    l.reserve(n.items().size());
    for (const auto& item : n.items()) l.push_back(decode_node(item, depth + 1));
    v = Value::list(std::move(l));
  } else if (!n.is_null() || !n.tag().empty()) {
    v = scalar_value(n);
    if (v.kind() == Kind::kInt) v = Value::floating(static_cast<double>(v.as_int()));
    if (v.kind() == Kind::kFloat && !std::isfinite(v.as_float())) {
      throw DecodeError{"error converting YAML to JSON: json: unsupported value: " + special_float(v.as_float())};
    }
  }
  v.origin = n.span();
  return v;
}

// ---------------------------------------------------------------------------------------------------------
// BurntSushi/toml's encoder.

struct TomlError {
  std::string message;
};

std::string toml_quote(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string toml_key_part(std::string_view k) {
  if (k.empty()) return "\"\"";
  for (const char c : k) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      return toml_quote(k);
    }
  }
  return std::string(k);
}

class TomlEncoder {
 public:
  std::string out;

  void encode_root(const Value& v) {
    if (v.kind() != Kind::kMap) throw TomlError{"toml: top-level values must be Go maps or structs"};
    table({}, v);
  }

 private:
  bool written_ = false;

  void wf(std::string_view s) {
    out.append(s);
    written_ = true;
  }
  void newline() {
    if (written_) wf("\n");
  }

  static std::string key_string(const std::vector<std::string>& key) {
    std::string s;
    for (size_t i = 0; i < key.size(); ++i) {
      if (i > 0) s += '.';
      s += toml_key_part(key[i]);
    }
    return s;
  }
  static std::string indent_str(const std::vector<std::string>& key) {
    std::string s;
    for (size_t i = 1; i < key.size(); ++i) s += "  ";
    return s;
  }

  static bool is_table(const Value& v) { return v.kind() == Kind::kMap || is_table_array(v); }
  static bool is_table_array(const Value& v) {
    if (v.kind() != Kind::kList || v.as_list().empty()) return false;
    bool ret = true;
    for (const auto& item : v.as_list()) {
      if (item.is_nil()) throw TomlError{"toml: cannot encode array with nil element"};
      if (item.kind() != Kind::kMap) ret = false;
    }
    return ret;
  }

  void encode(const std::vector<std::string>& key, const Value& v) {
    if (v.is_nil()) return;
    if (v.kind() == Kind::kMap) {
      table(key, v);
    } else if (is_table_array(v)) {
      for (const auto& item : v.as_list()) {
        newline();
        wf(indent_str(key) + "[[" + key_string(key) + "]]");
        newline();
        map_body(key, item, false);
      }
    } else {
      key_value(key, v, false);
    }
  }

  void table(const std::vector<std::string>& key, const Value& v) {
    if (key.size() == 1) newline();
    if (!key.empty()) {
      wf(indent_str(key) + "[" + key_string(key) + "]");
      newline();
    }
    map_body(key, v, false);
  }

  void map_body(const std::vector<std::string>& key, const Value& v, bool inline_table) {
    std::vector<std::string> direct, sub;
    for (const auto& [k, item] : v.as_map()) (is_table(item) ? sub : direct).push_back(k);
    const auto write_keys = [&](const std::vector<std::string>& keys, bool trail_comma) {
      for (size_t i = 0; i < keys.size(); ++i) {
        const Value& item = v.as_map().find(keys[i])->second;
        if (item.is_nil()) continue;
        if (inline_table) {
          key_value({keys[i]}, item, true);
          if (trail_comma || i != keys.size() - 1) wf(", ");
        } else {
          std::vector<std::string> k = key;
          k.push_back(keys[i]);
          encode(k, item);
        }
      }
    };
    if (inline_table) wf("{");
    write_keys(direct, !sub.empty());
    write_keys(sub, false);
    if (inline_table) wf("}");
  }

  void key_value(const std::vector<std::string>& key, const Value& v, bool inline_table) {
    wf(indent_str(key) + toml_key_part(key.back()) + " = ");
    element(v);
    if (!inline_table) newline();
  }

  void element(const Value& v) {
    switch (v.kind()) {
      case Kind::kString:
        wf(toml_quote(v.as_string()));
        return;
      case Kind::kBool:
        wf(v.as_bool() ? "true" : "false");
        return;
      case Kind::kInt:
        wf(std::to_string(v.as_int()));
        return;
      case Kind::kFloat: {
        const double f = v.as_float();
        if (std::isnan(f)) {
          wf("nan");
        } else if (std::isinf(f)) {
          wf(f < 0 ? "-inf" : "+inf");
        } else {
          std::string s = fmt_f(shortest_digits(f));
          if (s.find('.') == std::string::npos) s += ".0";
          wf(s);
        }
        return;
      }
      case Kind::kList: {
        wf("[");
        const auto& l = v.as_list();
        for (size_t i = 0; i < l.size(); ++i) {
          if (l[i].is_nil()) throw TomlError{"toml: cannot encode array with nil element"};
          element(l[i]);
          if (i + 1 != l.size()) wf(", ");
        }
        wf("]");
        return;
      }
      case Kind::kMap:
        map_body({}, v, true);
        return;
      case Kind::kObject: {
        const auto* m = dynamic_cast<const JsonMarshaler*>(&v.as_object());
        if (m != nullptr) {
          element(m->json_value());
          return;
        }
        throw TomlError{"toml: unsupported type: " + v.type_name()};
      }
      case Kind::kNil:
        throw TomlError{"toml: cannot encode a nil value"};
    }
  }
};

/// The syntax error yaml.v2 reports for the first document of `text` ("line 2: did not find expected key"):
/// libyaml's problem, with yaml.v2's line rule (0-based problem line, +1 for scanner errors; else the context line).
std::optional<std::string> libyaml_error(std::string_view text) {
  yaml_parser_t parser;
  if (yaml_parser_initialize(&parser) == 0) return std::nullopt;
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  std::optional<std::string> result;
  while (true) {
    yaml_event_t event;
    if (yaml_parser_parse(&parser, &event) == 0) {
      size_t line = 0;
      if (parser.problem_mark.line != 0) {
        line = parser.problem_mark.line + (parser.error == YAML_SCANNER_ERROR ? 1 : 0);
      } else if (parser.context_mark.line != 0) {
        line = parser.context_mark.line;
      }
      const std::string where = line != 0 ? "line " + std::to_string(line) + ": " : "";
      result = where + (parser.problem != nullptr ? parser.problem : "unknown problem parsing YAML content");
      break;
    }
    const yaml_event_type_t type = event.type;
    yaml_event_delete(&event);
    if (type == YAML_DOCUMENT_END_EVENT || type == YAML_STREAM_END_EVENT) break;
  }
  yaml_parser_delete(&parser);
  return result;
}

}  // namespace

std::optional<std::string> to_json(const Value& v, std::string* error, bool escape_html, std::string_view indent) {
  JNode n;
  if (!to_jnode(v, n, error)) return std::nullopt;
  std::string out;
  write_json(out, n, escape_html, indent, 0);
  return out;
}

std::optional<Value> from_json(std::string_view text, std::string* error) {
  JsonParser p(text);
  auto v = p.parse(error);
  if (v && !p.number_error_.empty() && error != nullptr) *error = p.number_error_;
  return v;
}

std::optional<std::string> to_yaml(const Value& v, std::string* error) {
  JNode n;
  std::string err;
  if (!to_jnode(v, n, &err)) {
    if (error != nullptr) *error = "error marshaling into JSON: " + err;
    return std::nullopt;
  }
  V2Emitter e;
  e.root(n);
  return std::move(e.out);
}

std::optional<Value> from_yaml_node(const yaml::Node& node, std::string* error) {
  try {
    return decode_node(node, 0);
  } catch (const DecodeError& e) {
    if (error != nullptr) {
      *error = e.message.starts_with("error converting") ? e.message : "error converting YAML to JSON: " + e.message;
    }
    return std::nullopt;
  }
}

std::optional<Value> from_yaml(std::string_view text, std::string* error) {
  const SourceFile file("<fromYaml>", std::string(text));
  yaml::ParseLimits limits;
  limits.reject_duplicate_keys = false;
  const yaml::ParseResult parsed = yaml::parse(file, limits);
  if (parsed.documents.empty()) {
    if (!parsed.errors.empty()) {
      if (error != nullptr) {
        const auto& e = parsed.errors.front();
        std::string msg = libyaml_error(text).value_or(e.message);
        if (e.message.starts_with("unknown alias `*")) {
          const std::string name = e.message.substr(16, e.message.find('`', 16) - 16);
          msg = "unknown anchor '" + name + "' referenced";
        }
        *error = "error converting YAML to JSON: yaml: " + msg;
      }
      return std::nullopt;
    }
    return Value();
  }
  return from_yaml_node(parsed.documents.front().root, error);
}

std::optional<std::string> to_toml(const Value& v, std::string* error) {
  TomlEncoder enc;
  try {
    enc.encode_root(v);
  } catch (const TomlError& e) {
    if (error != nullptr) *error = e.message;
    return std::nullopt;
  }
  return std::move(enc.out);
}

}  // namespace gl::render::helm
