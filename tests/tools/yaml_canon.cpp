// yaml_canon: prints a YAML stream in a canonical form, so two builds are equal iff the outputs are
// byte-identical. Keys are sorted, documents sorted by (apiVersion, kind, namespace, name), and plain scalars
// are typed the way `kubectl kustomize` (kyaml, yaml.v3, then a JSON round trip) types them: `yes`/`on`/`y`
// stay strings, `010` is octal 8, `1.0` is the number 1, `2024-01-01` becomes "2024-01-01T00:00:00Z".
//
//   yaml_canon [--json|--paths|--order] [FILE|-]
//     --json   (default) one line per document: compact JSON with sorted keys
//     --paths  one line per leaf: `apps/v1 Deployment ns/name: spec.replicas = 3` (readable `diff -u`)
//     --order  one line per document in stream order, `apps/v1 Deployment ns/name` (documents not sorted)
// Exit codes: 0 printed, 2 usage error, unreadable input or a YAML syntax error (message on stderr).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/source.h"
#include "yaml/node.h"
#include "yaml/parser.h"

namespace {

constexpr int kExitUsage = 2;
constexpr double kMaxPlainInteger = 1e21;  // Go's encoding/json switches to exponent form from here on
constexpr int kYearDigits = 4;

/// A JSON value: the meaning of a YAML node once kubectl's typing rules are applied.
struct Value {
  enum class Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  std::string text;  ///< kBool: "true"/"false"; kNumber: canonical digits; kString: the string
  std::vector<Value> items;
  std::map<std::string, Value> fields;
};

std::string json_quote(std::string_view s) {
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
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

/// Canonical text of a float: integral values print as integers (Go's JSON does so), others shortest.
std::string number_text(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return "0";
  if (std::trunc(d) == d && std::fabs(d) < kMaxPlainInteger) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", d);
    return buf;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, res.ptr);
}

std::string strip_underscores(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c != '_') out += c;
  }
  return out;
}

/// Go's strconv.ParseInt(s, 0, 64) / ParseUint after yaml.v3 removed underscores: sign, 0x/0o/0b, legacy 0777.
std::optional<std::string> parse_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    const char p = s[1];
    if (p == 'x' || p == 'X') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'o' || p == 'O') {
      base = 8;
      s.remove_prefix(2);
    } else if (p == 'b' || p == 'B') {
      base = 2;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  constexpr uint64_t kMinInt64Magnitude = uint64_t{1} << 63;
  if (neg) {
    if (v > kMinInt64Magnitude) return std::nullopt;
    return v == 0 ? std::string("0") : "-" + std::to_string(v);
  }
  return std::to_string(v);
}

/// yaml.v3's float form: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool yaml_style_float(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  auto digits = [&] {
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
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

std::optional<double> parse_float(std::string_view s) {
  const std::string text(s);
  char* end = nullptr;
  const double d = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return d;
}

/// Reads up to `max` digits (at least `min`) at s[i]; advances i.
std::optional<int> read_digits(std::string_view s, size_t& i, size_t min, size_t max) {
  int v = 0;
  size_t n = 0;
  while (i < s.size() && n < max && s[i] >= '0' && s[i] <= '9') {
    v = v * 10 + (s[i] - '0');
    ++i;
    ++n;
  }
  if (n < min) return std::nullopt;
  return v;
}

/// yaml.v3 timestamps ("2006-1-2", "2006-1-2T15:4:5.999999999Z07:00", 't' or ' ' separators, no zone = UTC),
/// printed as Go's encoding/json prints a time.Time (RFC 3339, fraction without trailing zeros).
std::optional<std::string> parse_timestamp(std::string_view s) {
  size_t i = 0;
  auto year = read_digits(s, i, kYearDigits, kYearDigits);
  if (!year || i >= s.size() || s[i] != '-') return std::nullopt;
  ++i;
  auto month = read_digits(s, i, 1, 2);
  if (!month || i >= s.size() || s[i] != '-') return std::nullopt;
  ++i;
  auto day = read_digits(s, i, 1, 2);
  if (!day) return std::nullopt;
  constexpr int kMonths = 12;
  constexpr int kDays = 31;
  if (*month < 1 || *month > kMonths || *day < 1 || *day > kDays) return std::nullopt;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::string fraction;
  std::string zone = "Z";
  if (i < s.size()) {
    const char sep = s[i];
    if (sep != 'T' && sep != 't' && sep != ' ') return std::nullopt;
    const bool spaced = sep == ' ';
    ++i;
    auto h = read_digits(s, i, 1, 2);
    if (!h || i >= s.size() || s[i] != ':') return std::nullopt;
    ++i;
    auto m = read_digits(s, i, 1, 2);
    if (!m || i >= s.size() || s[i] != ':') return std::nullopt;
    ++i;
    auto sec = read_digits(s, i, 1, 2);
    if (!sec) return std::nullopt;
    hour = *h;
    minute = *m;
    second = *sec;
    if (i < s.size() && s[i] == '.') {
      ++i;
      const size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == start) return std::nullopt;
      fraction = std::string(s.substr(start, i - start));
      while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    }
    if (i < s.size()) {
      if (spaced) return std::nullopt;  // "2006-1-2 15:4:5" has no zone in yaml.v3's layouts
      if (s[i] == 'Z') {
        ++i;
      } else if (s[i] == '+' || s[i] == '-') {
        const char sign = s[i];
        ++i;
        auto zh = read_digits(s, i, 2, 2);
        if (!zh || i >= s.size() || s[i] != ':') return std::nullopt;
        ++i;
        auto zm = read_digits(s, i, 2, 2);
        if (!zm) return std::nullopt;
        char buf[16];
        std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, *zh, *zm);
        zone = (*zh == 0 && *zm == 0) ? "Z" : buf;
      } else {
        return std::nullopt;
      }
    } else if (!spaced) {
      return std::nullopt;  // "2006-1-2T15:4:5" needs a zone
    }
    if (i != s.size()) return std::nullopt;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", *year, *month, *day, hour, minute, second);
  std::string out = buf;
  if (!fraction.empty()) out += "." + fraction;
  return out + zone;
}

Value make(Value::Type type, std::string text) {
  Value v;
  v.type = type;
  v.text = std::move(text);
  return v;
}

/// Types a scalar as kyaml/yaml.v3 resolves it and as JSON carries it.
Value resolve_scalar(const gl::yaml::Node& n) {
  const std::string_view text = n.value();
  std::string_view tag = n.tag();
  if (tag.starts_with("tag:yaml.org,2002:")) tag.remove_prefix(std::string_view("tag:yaml.org,2002:").size());
  if (tag.starts_with("!!")) tag.remove_prefix(2);
  // An explicit !!int/!!float/!!bool/!!null types even a quoted scalar; any other tag or quoting makes a string.
  const bool typed_tag = tag == "int" || tag == "float" || tag == "bool" || tag == "null";
  if ((n.style != gl::yaml::ScalarStyle::kPlain && !typed_tag) || tag == "str" || tag == "binary") {
    return make(Value::Type::kString, std::string(text));
  }
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL" || tag == "null") {
    return make(Value::Type::kNull, "null");
  }
  if (text == "true" || text == "True" || text == "TRUE") return make(Value::Type::kBool, "true");
  if (text == "false" || text == "False" || text == "FALSE") return make(Value::Type::kBool, "false");
  if (text == ".inf" || text == ".Inf" || text == ".INF" || text == "+.inf" || text == "+.Inf" || text == "+.INF") {
    return make(Value::Type::kNumber, "+Inf");
  }
  if (text == "-.inf" || text == "-.Inf" || text == "-.INF") return make(Value::Type::kNumber, "-Inf");
  if (text == ".nan" || text == ".NaN" || text == ".NAN") return make(Value::Type::kNumber, "NaN");
  const char first = text[0];
  const bool numeric_start = (first >= '0' && first <= '9') || first == '+' || first == '-' || first == '.';
  if (numeric_start) {
    const std::string plain = strip_underscores(text);
    if (auto i = parse_int(plain)) return make(Value::Type::kNumber, *i);
    if (yaml_style_float(plain)) {
      if (auto d = parse_float(plain)) return make(Value::Type::kNumber, number_text(*d));
    }
    if (first >= '0' && first <= '9' && tag.empty()) {
      if (auto t = parse_timestamp(text)) return make(Value::Type::kString, *t);
    }
  }
  return make(Value::Type::kString, std::string(text));
}

Value convert(const gl::yaml::Node& n) {
  Value v;
  switch (n.type) {
    case gl::yaml::NodeType::kNull:
      return make(Value::Type::kNull, "null");
    case gl::yaml::NodeType::kScalar:
      return resolve_scalar(n);
    case gl::yaml::NodeType::kSequence:
      v.type = Value::Type::kArray;
      for (const auto& item : n.items()) v.items.push_back(convert(item));
      return v;
    case gl::yaml::NodeType::kMapping:
      v.type = Value::Type::kObject;
      for (size_t i = 0; i < n.keys().size(); ++i) {
        // JSON keys are strings: a key keeps its text whatever it would resolve to.
        v.fields[std::string(n.keys()[i].value())] = convert(n.items()[i]);
      }
      return v;
  }
  return v;
}

void write_json(const Value& v, std::string& out) {
  switch (v.type) {
    case Value::Type::kNull:
    case Value::Type::kBool:
    case Value::Type::kNumber:
      out += v.text;
      return;
    case Value::Type::kString:
      out += json_quote(v.text);
      return;
    case Value::Type::kArray: {
      out += '[';
      bool first = true;
      for (const auto& item : v.items) {
        if (!first) out += ',';
        first = false;
        write_json(item, out);
      }
      out += ']';
      return;
    }
    case Value::Type::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.fields) {
        if (!first) out += ',';
        first = false;
        out += json_quote(key);
        out += ':';
        write_json(item, out);
      }
      out += '}';
      return;
    }
  }
}

bool is_plain_key(std::string_view key) {
  if (key.empty()) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '$';
  });
}

/// One line per leaf (empty containers included, so the form stays one-to-one with the JSON).
void write_paths(const Value& v, const std::string& prefix, const std::string& path, std::string& out) {
  auto leaf = [&](const std::string& text) {
    out += prefix + ": " + (path.empty() ? "." : path) + " = " + text + "\n";
  };
  if (v.type == Value::Type::kArray) {
    if (v.items.empty()) return leaf("[]");
    for (size_t i = 0; i < v.items.size(); ++i)
      write_paths(v.items[i], prefix, path + "[" + std::to_string(i) + "]", out);
    return;
  }
  if (v.type == Value::Type::kObject) {
    if (v.fields.empty()) return leaf("{}");
    for (const auto& [key, item] : v.fields) {
      const std::string step = is_plain_key(key) ? (path.empty() ? key : "." + key) : "[" + json_quote(key) + "]";
      write_paths(item, prefix, path + step, out);
    }
    return;
  }
  std::string text;
  write_json(v, text);
  leaf(text);
}

std::string field(const Value& v, std::initializer_list<std::string_view> path) {
  const Value* cur = &v;
  for (auto key : path) {
    if (cur->type != Value::Type::kObject) return "";
    auto it = cur->fields.find(std::string(key));
    if (it == cur->fields.end()) return "";
    cur = &it->second;
  }
  return cur->type == Value::Type::kString || cur->type == Value::Type::kNumber || cur->type == Value::Type::kBool
             ? cur->text
             : "";
}

struct Doc {
  std::string api_version, kind, ns, name;
  std::string json;
  Value value;
};

/// `apps/v1 Deployment shop/web`, or `v1 Namespace shop` for an object with no namespace.
std::string doc_label(const Doc& d) {
  std::string label = (d.api_version.empty() ? "?" : d.api_version) + " " + (d.kind.empty() ? "?" : d.kind) + " ";
  if (!d.ns.empty()) label += d.ns + "/";
  return label + (d.name.empty() ? "?" : d.name);
}

int usage() {
  std::cerr << "usage: yaml_canon [--json|--paths|--order] [FILE|-]\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  enum class Mode : uint8_t { kJson, kPaths, kOrder };
  Mode mode = Mode::kJson;
  std::string input = "-";
  bool have_input = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--paths") {
      mode = Mode::kPaths;
    } else if (arg == "--json") {
      mode = Mode::kJson;
    } else if (arg == "--order") {
      mode = Mode::kOrder;
    } else if (arg == "-h" || arg == "--help") {
      usage();
      return 0;
    } else if (arg.starts_with("-") && arg != "-") {
      return usage();
    } else if (!have_input) {
      input = arg;
      have_input = true;
    } else {
      return usage();
    }
  }
  std::string text;
  if (input == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(input, std::ios::binary);
    if (!in) {
      std::cerr << "yaml_canon: cannot read " << input << "\n";
      return kExitUsage;
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const gl::SourceFile file(input == "-" ? "<stdin>" : input, std::move(text));
  const gl::yaml::ParseResult parsed = gl::yaml::parse(file);
  if (!parsed.errors.empty()) {
    for (const auto& e : parsed.errors) {
      std::cerr << "yaml_canon: " << file.path() << ":" << e.mark.line << ":" << e.mark.column << ": " << e.message
                << "\n";
    }
    return kExitUsage;
  }
  std::vector<Doc> docs;
  for (const auto& d : parsed.documents) {
    if (d.root.is_null()) continue;  // an empty document carries no object
    Doc doc;
    doc.value = convert(d.root);
    doc.api_version = field(doc.value, {"apiVersion"});
    doc.kind = field(doc.value, {"kind"});
    doc.ns = field(doc.value, {"metadata", "namespace"});
    doc.name = field(doc.value, {"metadata", "name"});
    write_json(doc.value, doc.json);
    docs.push_back(std::move(doc));
  }
  if (mode != Mode::kOrder) {
    std::sort(docs.begin(), docs.end(), [](const Doc& a, const Doc& b) {
      return std::tie(a.api_version, a.kind, a.ns, a.name, a.json) <
             std::tie(b.api_version, b.kind, b.ns, b.name, b.json);
    });
  }
  std::string out;
  for (const auto& d : docs) {
    if (mode == Mode::kOrder) {
      out += doc_label(d);
      out += '\n';
    } else if (mode == Mode::kPaths) {
      write_paths(d.value, doc_label(d), "", out);
    } else {
      out += d.json;
      out += '\n';
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
