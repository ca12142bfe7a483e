#include "render/helm/objects.h"

#include <algorithm>
#include <memory>
#include <span>

#include <fmt/format.h>

#include "core/strings.h"
#include "render/helm/funcs/convert.h"
#include "render/helm/funcs/helm_yaml.h"
#include "render/helm/gotemplate/gofmt.h"

namespace gl::render::helm {
namespace {

using gotemplate::GoType;
using gotemplate::Kind;
using gotemplate::List;
using gotemplate::Map;
using gotemplate::Object;
using gotemplate::ParamType;
using gotemplate::Value;

/// One field of a Go struct: the name templates use, and its encoding/json key.
struct StructField {
  std::string name;
  std::string json;  ///< empty: a method, not marshalled
  bool omitempty = false;
  Value value;
};

/// A Go struct value (or pointer to one): fields by Go name, JSON with its tags in declaration order.
class GoStruct final : public Object, public JsonMarshaler {
 public:
  GoStruct(std::string type, std::vector<StructField> fields, std::optional<std::string> prints_as = std::nullopt)
      : type_(std::move(type)), fields_(std::move(fields)), prints_as_(std::move(prints_as)) {}

  std::string type_name() const override { return type_; }
  std::optional<Value> field(std::string_view name) const override {
    for (const auto& f : fields_) {
      if (f.name == name) return f.value;
    }
    return std::nullopt;
  }
  std::string format() const override {
    if (prints_as_) return *prints_as_;
    std::string out = "{";
    bool first = true;
    for (const auto& f : fields_) {
      if (f.json.empty()) continue;
      if (!first) out += ' ';
      first = false;
      out += gotemplate::gofmt::format_value(f.value);
    }
    return out + "}";
  }
  Value json_value() const override {
    Map m;
    const auto fields = json_fields();
    for (const auto& [k, v] : *fields) m[k] = v;
    return Value::map(std::move(m));
  }
  std::optional<std::vector<std::pair<std::string, Value>>> json_fields() const override {
    std::vector<std::pair<std::string, Value>> out;
    for (const auto& f : fields_) {
      // encoding/json's isEmptyValue agrees with Sprig's empty on every kind these fields hold.
      if (f.json.empty() || (f.omitempty && convert::empty(f.value))) continue;
      out.emplace_back(f.json, f.value);
    }
    return out;
  }

 private:
  std::string type_;
  std::vector<StructField> fields_;
  std::optional<std::string> prints_as_;
};

/// chartutil.VersionSet: a []string with a Has method.
class VersionSet final : public Object, public JsonMarshaler {
 public:
  explicit VersionSet(std::vector<std::string> versions) : versions_(std::move(versions)) {}
  std::string type_name() const override { return "chartutil.VersionSet"; }
  std::optional<Value> field(std::string_view) const override { return std::nullopt; }
  bool has_method(std::string_view name) const override { return name == "Has"; }
  std::vector<ParamType> method_params(std::string_view) const override { return {ParamType::kString}; }
  Value call_method(std::string_view name, std::span<const Value> args, std::string* error) const override {
    if (name != "Has" || args.size() != 1 || args[0].kind() != Kind::kString) {
      if (error != nullptr) *error = "wrong number or type of args for Has: want 1 string";
      return Value();
    }
    return Value::boolean(std::find(versions_.begin(), versions_.end(), args[0].as_string()) != versions_.end());
  }
  std::string format() const override { return "[" + fmt::format("{}", fmt::join(versions_, " ")) + "]"; }
  Value json_value() const override {
    List items;
    for (const auto& v : versions_) items.push_back(Value::string(v));
    return Value::list(std::move(items), GoType::kStringList);
  }

 private:
  std::vector<std::string> versions_;
};

/// Expands `{a,b}` alternatives of a gobwas glob into plain globs.
void expand_braces(const std::string& pattern, std::vector<std::string>& out) {
  const auto open = pattern.find('{');
  if (open == std::string::npos) {
    out.push_back(pattern);
    return;
  }
  int depth = 0;
  size_t close = std::string::npos;
  std::vector<size_t> commas;
  for (size_t i = open; i < pattern.size(); ++i) {
    if (pattern[i] == '{') ++depth;
    if (pattern[i] == '}' && --depth == 0) {
      close = i;
      break;
    }
    if (pattern[i] == ',' && depth == 1) commas.push_back(i);
  }
  if (close == std::string::npos) {
    out.push_back(pattern);
    return;
  }
  size_t start = open + 1;
  commas.push_back(close);
  for (size_t c : commas) {
    expand_braces(pattern.substr(0, open) + pattern.substr(start, c - start) + pattern.substr(close + 1), out);
    start = c + 1;
  }
}

/// engine.files: a map[string][]byte (len, index, range and `.path` see the files) with Get, GetBytes, Glob,
/// Lines, AsConfig and AsSecrets.
class Files final : public Object {
 public:
  explicit Files(Map files) : files_(std::move(files)) {}
  std::string type_name() const override { return "engine.files"; }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "AsConfig") return Value::string(as_map(false));
    if (name == "AsSecrets") return Value::string(as_map(true));
    return std::nullopt;
  }
  bool has_method(std::string_view name) const override {
    return name == "Get" || name == "GetBytes" || name == "Glob" || name == "Lines";
  }
  std::vector<ParamType> method_params(std::string_view) const override { return {ParamType::kString}; }
  Value call_method(std::string_view name, std::span<const Value> args, std::string* error) const override {
    if (args.size() != 1 || args[0].kind() != Kind::kString) {
      if (error != nullptr) *error = fmt::format("wrong number of args for {}: want 1 got {}", name, args.size());
      return Value();
    }
    const std::string& arg = args[0].as_string();
    auto it = files_.find(arg);
    const std::string empty;
    const std::string& content = it != files_.end() ? it->second.as_string() : empty;
    if (name == "Get") return Value::string(content);
    if (name == "GetBytes") return Value::bytes(content);
    if (name == "Lines") {
      List lines;
      if (it != files_.end()) {
        if (content.empty()) {
          // Helm reads the last byte of the file without a check: text/template reports the panic.
          if (error != nullptr) *error = "runtime error: index out of range [-1]";
          return Value();
        }
        std::string_view text = content;
        if (text.ends_with('\n')) text.remove_suffix(1);
        for (auto line : split(text, '\n')) lines.push_back(Value::string(std::string(line)));
      }
      return Value::list(std::move(lines), GoType::kStringList);
    }
    // Glob (gobwas/glob with '/' as the separator, as Helm compiles it).
    std::vector<std::string> patterns;
    expand_braces(arg, patterns);
    Map matched;
    for (const auto& [path, file] : files_) {
      for (const auto& p : patterns) {
        if (glob_match(p, path)) {
          matched.emplace(path, file);
          break;
        }
      }
    }
    return Value::object(std::make_shared<Files>(std::move(matched)));
  }
  std::string format() const override { return gotemplate::gofmt::format_value(Value::map(files_)); }
  const Map* entries() const override { return &files_; }
  Value zero_entry() const override { return Value::bytes(std::string()); }

 private:
  /// AsConfig/AsSecrets: the files by base name as YAML (toYAML: no final newline).
  std::string as_map(bool base64) const {
    Map m;
    for (const auto& [path, file] : files_) {
      const std::string& text = file.as_string();
      m[std::string(basename(path))] = Value::string(base64 ? encode_base64(text) : text);
    }
    std::string error;
    auto yaml = to_yaml(Value::map(std::move(m)), &error);
    if (!yaml) return "";
    if (yaml->ends_with('\n')) yaml->pop_back();
    return *yaml;
  }

  Map files_;
};

std::string text_of(const Map& m, std::string_view key) {
  auto it = m.find(key);
  return it != m.end() && it->second.kind() == Kind::kString ? it->second.as_string() : std::string();
}

/// A Chart.yaml field as the Go type of its chart.Metadata field reads it.
Value string_field(const Map& meta, std::string_view key) {
  auto it = meta.find(key);
  if (it == meta.end() || it->second.is_nil()) return Value::string("");
  return it->second;
}

Value string_list_field(const Map& meta, std::string_view key) {
  auto it = meta.find(key);
  if (it == meta.end() || it->second.kind() != Kind::kList) return it == meta.end() ? Value() : it->second;
  return Value::list(it->second.as_list(), GoType::kStringList);
}

Value maintainers(const Map& meta) {
  auto it = meta.find("maintainers");
  if (it == meta.end() || it->second.kind() != Kind::kList) return Value();
  List out;
  for (const auto& m : it->second.as_list()) {
    if (m.kind() != Kind::kMap) {
      out.push_back(Value());
      continue;
    }
    const Map& f = m.as_map();
    out.push_back(Value::object(std::make_shared<GoStruct>(
        "*chart.Maintainer", std::vector<StructField>{{"Name", "name", true, Value::string(text_of(f, "name"))},
                                                      {"Email", "email", true, Value::string(text_of(f, "email"))},
                                                      {"URL", "url", true, Value::string(text_of(f, "url"))}})));
  }
  return Value::list(std::move(out));
}

/// Metadata.Dependencies after Helm's ProcessDependencies: disabled ones dropped, each named by its alias,
/// enabled, and its import-values rewritten as {child, parent} maps.
Value dependencies(const Chart& chart) {
  if (chart.metadata.find("dependencies") == chart.metadata.end()) return Value();
  List out;
  for (const auto& d : chart.dependencies) {
    List tags;
    for (const auto& t : d.tags) tags.push_back(Value::string(t));
    Value imports;
    if (!d.import_values.empty()) {
      List items;
      for (const auto& iv : d.import_values) {
        items.push_back(Value::map(Map{{"child", Value::string(iv.child)}, {"parent", Value::string(iv.parent)}}));
      }
      imports = Value::list(std::move(items));
    }
    out.push_back(Value::object(std::make_shared<GoStruct>(
        "*chart.Dependency",
        std::vector<StructField>{
            {"Name", "name", false, Value::string(d.alias.empty() ? d.name : d.alias)},
            {"Version", "version", true, Value::string(d.version)},
            {"Repository", "repository", false, Value::string(d.repository)},
            {"Condition", "condition", true, Value::string(d.condition)},
            {"Tags", "tags", true, d.tags.empty() ? Value() : Value::list(std::move(tags), GoType::kStringList)},
            {"Enabled", "enabled", true, Value::boolean(true)},
            {"ImportValues", "import-values", true, imports},
            {"Alias", "alias", true, Value::string(d.alias)}})));
  }
  return Value::list(std::move(out));
}

}  // namespace

Value chart_object(const Chart& chart, bool is_root) {
  const Map& m = chart.metadata;
  auto deprecated = m.find("deprecated");
  auto annotations = m.find("annotations");
  std::vector<StructField> fields = {
      {"Name", "name", true, Value::string(chart.name)},
      {"Home", "home", true, string_field(m, "home")},
      {"Sources", "sources", true, string_list_field(m, "sources")},
      {"Version", "version", true, string_field(m, "version")},
      {"Description", "description", true, string_field(m, "description")},
      {"Keywords", "keywords", true, string_list_field(m, "keywords")},
      {"Maintainers", "maintainers", true, maintainers(m)},
      {"Icon", "icon", true, string_field(m, "icon")},
      {"APIVersion", "apiVersion", true, string_field(m, "apiVersion")},
      {"Condition", "condition", true, string_field(m, "condition")},
      {"Tags", "tags", true, string_field(m, "tags")},
      {"AppVersion", "appVersion", true, string_field(m, "appVersion")},
      {"Deprecated", "deprecated", true, deprecated != m.end() ? deprecated->second : Value::boolean(false)},
      {"Annotations", "annotations", true, annotations != m.end() ? annotations->second : Value()},
      {"KubeVersion", "kubeVersion", true, string_field(m, "kubeVersion")},
      {"Dependencies", "dependencies", true, dependencies(chart)},
      {"Type", "type", true, string_field(m, "type")},
      {"IsRoot", "IsRoot", false, Value::boolean(is_root)},
  };
  return Value::object(std::make_shared<GoStruct>("struct { chart.Metadata; IsRoot bool }", std::move(fields)));
}

Value capabilities_object(const std::string& kube_version, std::vector<std::string> api_versions,
                          const std::string& helm_version) {
  std::string kv = kube_version;
  if (!kv.starts_with("v")) kv = "v" + kv;
  const auto parts = split(std::string_view(kv).substr(1), '.');
  const std::string major = parts.empty() ? "" : std::string(parts[0]);
  const std::string minor = parts.size() < 2 ? "" : std::string(parts[1]);
  // KubeVersion has no JSON tags (Go names); GitVersion is a method; it prints as its String().
  auto kube = std::make_shared<GoStruct>("chartutil.KubeVersion",
                                         std::vector<StructField>{{"Version", "Version", false, Value::string(kv)},
                                                                  {"Major", "Major", false, Value::string(major)},
                                                                  {"Minor", "Minor", false, Value::string(minor)},
                                                                  {"GitVersion", "", false, Value::string(kv)}},
                                         kv);
  auto helm = std::make_shared<GoStruct>(
      "version.BuildInfo", std::vector<StructField>{{"Version", "version", true, Value::string(helm_version)},
                                                    {"GitCommit", "git_commit", true, Value::string("")},
                                                    {"GitTreeState", "git_tree_state", true, Value::string("clean")},
                                                    {"GoVersion", "go_version", true, Value::string("go1.21")}});
  return Value::object(std::make_shared<GoStruct>(
      "*chartutil.Capabilities",
      std::vector<StructField>{
          {"KubeVersion", "KubeVersion", false, Value::object(std::move(kube))},
          {"APIVersions", "APIVersions", false, Value::object(std::make_shared<VersionSet>(std::move(api_versions)))},
          {"HelmVersion", "HelmVersion", false, Value::object(std::move(helm))}}));
}

Value files_object(const std::vector<ChartFile>& files) {
  Map m;
  for (const auto& f : files) m.emplace(f.name, Value::bytes(f.file->text()));
  return Value::object(std::make_shared<Files>(std::move(m)));
}

}  // namespace gl::render::helm
