#include "render/kustomize/vars.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "k8s/object.h"
#include "render/kustomize/fieldpath.h"

namespace gl::render::kustomize {
namespace {

/// Where kustomize looks for `$(VAR)` references: a kind ("" for every kind) and a '/'-separated path
/// in which sequences are walked element by element.
struct VarField {
  std::string_view kind;
  std::string_view path;
};

// kustomize's default var-reference field specs (builtinpluginconsts/varreference.go), as data.
constexpr VarField kVarFields[] = {
    {"CronJob", "spec/jobTemplate/spec/template/spec/containers/args"},
    {"CronJob", "spec/jobTemplate/spec/template/spec/containers/command"},
    {"CronJob", "spec/jobTemplate/spec/template/spec/containers/env/value"},
    {"CronJob", "spec/jobTemplate/spec/template/spec/containers/volumeMounts/mountPath"},
    {"CronJob", "spec/jobTemplate/spec/template/spec/initContainers/args"},
    {"CronJob", "spec/jobTemplate/spec/template/spec/initContainers/command"},
    {"CronJob", "spec/jobTemplate/spec/template/spec/initContainers/env/value"},
    {"CronJob", "spec/jobTemplate/spec/template/spec/initContainers/volumeMounts/mountPath"},
    // Upstream names this path without `spec/`, so CronJob NFS servers are in effect never substituted.
    {"CronJob", "spec/jobTemplate/spec/template/volumes/nfs/server"},
    {"DaemonSet", "spec/template/spec/containers/args"},
    {"DaemonSet", "spec/template/spec/containers/command"},
    {"DaemonSet", "spec/template/spec/containers/env/value"},
    {"DaemonSet", "spec/template/spec/containers/volumeMounts/mountPath"},
    {"DaemonSet", "spec/template/spec/initContainers/args"},
    {"DaemonSet", "spec/template/spec/initContainers/command"},
    {"DaemonSet", "spec/template/spec/initContainers/env/value"},
    {"DaemonSet", "spec/template/spec/initContainers/volumeMounts/mountPath"},
    {"DaemonSet", "spec/template/spec/volumes/nfs/server"},
    {"Deployment", "spec/template/spec/containers/args"},
    {"Deployment", "spec/template/spec/containers/command"},
    {"Deployment", "spec/template/spec/containers/env/value"},
    {"Deployment", "spec/template/spec/containers/volumeMounts/mountPath"},
    {"Deployment", "spec/template/spec/initContainers/args"},
    {"Deployment", "spec/template/spec/initContainers/command"},
    {"Deployment", "spec/template/spec/initContainers/env/value"},
    {"Deployment", "spec/template/spec/initContainers/volumeMounts/mountPath"},
    {"Deployment", "spec/template/spec/volumes/nfs/server"},
    {"Deployment", "spec/template/metadata/annotations"},
    {"Ingress", "spec/rules/host"},
    {"Ingress", "spec/tls/hosts"},
    {"Ingress", "spec/tls/secretName"},
    {"Job", "spec/template/spec/containers/args"},
    {"Job", "spec/template/spec/containers/command"},
    {"Job", "spec/template/spec/containers/env/value"},
    {"Job", "spec/template/spec/containers/volumeMounts/mountPath"},
    {"Job", "spec/template/spec/initContainers/args"},
    {"Job", "spec/template/spec/initContainers/command"},
    {"Job", "spec/template/spec/initContainers/env/value"},
    {"Job", "spec/template/spec/initContainers/volumeMounts/mountPath"},
    {"Job", "spec/template/spec/volumes/nfs/server"},
    {"Pod", "spec/containers/args"},
    {"Pod", "spec/containers/command"},
    {"Pod", "spec/containers/env/value"},
    {"Pod", "spec/containers/volumeMounts/mountPath"},
    {"Pod", "spec/initContainers/args"},
    {"Pod", "spec/initContainers/command"},
    {"Pod", "spec/initContainers/env/value"},
    {"Pod", "spec/initContainers/volumeMounts/mountPath"},
    {"Pod", "spec/volumes/nfs/server"},
    {"ReplicaSet", "spec/template/spec/containers/args"},
    {"ReplicaSet", "spec/template/spec/containers/command"},
    {"ReplicaSet", "spec/template/spec/containers/env/value"},
    {"ReplicaSet", "spec/template/spec/containers/volumeMounts/mountPath"},
    {"ReplicaSet", "spec/template/spec/initContainers/args"},
    {"ReplicaSet", "spec/template/spec/initContainers/command"},
    {"ReplicaSet", "spec/template/spec/initContainers/env/value"},
    {"ReplicaSet", "spec/template/spec/initContainers/volumeMounts/mountPath"},
    {"ReplicaSet", "spec/template/spec/volumes/nfs/server"},
    {"Service", "spec/ports/port"},
    {"Service", "spec/ports/targetPort"},
    {"StatefulSet", "spec/template/spec/containers/args"},
    {"StatefulSet", "spec/template/spec/containers/command"},
    {"StatefulSet", "spec/template/spec/containers/env/value"},
    {"StatefulSet", "spec/template/spec/containers/volumeMounts/mountPath"},
    {"StatefulSet", "spec/template/spec/initContainers/args"},
    {"StatefulSet", "spec/template/spec/initContainers/command"},
    {"StatefulSet", "spec/template/spec/initContainers/env/value"},
    {"StatefulSet", "spec/template/spec/initContainers/volumeMounts/mountPath"},
    {"StatefulSet", "spec/volumeClaimTemplates/spec/nfs/server"},
    {"PersistentVolume", "spec/nfs/server"},
    {"", "metadata/labels"},
    {"", "metadata/annotations"},
};

struct Var {
  std::string name;
  ResId target;
  std::string field_path;
  Span at;
  Span field_path_at;
};

/// A resolved value: its YAML type decides the type of a field that is exactly `$(NAME)`.
struct VarValue {
  std::string text;
  std::string_view kind;  ///< "str", "int", "float" or "bool"
  Span at;
};

std::string text_of(const MNode* map, std::string_view key) {
  const MNode* v = map != nullptr ? map->get(key) : nullptr;
  return v != nullptr && v->is_scalar() ? v->value : std::string();
}

bool check_fields(const MNode& n, std::initializer_list<std::string_view> fields, std::vector<RenderError>& errors) {
  for (const auto& k : n.keys) {
    if (std::find(fields.begin(), fields.end(), k.value) == fields.end()) {
      errors.push_back({k.span, fmt::format("unknown field `{}` in var", k.value), {}});
      return false;
    }
  }
  return true;
}

std::optional<Var> read_var(const MNode& written, std::vector<RenderError>& errors) {
  static constexpr std::string_view kVarFields[] = {"name", "objref", "fieldref"};
  static constexpr std::string_view kObjRefFields[] = {"apiVersion", "group", "version", "kind", "name", "namespace"};
  static constexpr std::string_view kFieldRefFields[] = {"fieldPath"};
  MNode n = written;
  canonicalize_keys(n, kVarFields);
  if (MNode* obj = n.get("objref")) canonicalize_keys(*obj, kObjRefFields);
  if (MNode* field = n.get("fieldref")) canonicalize_keys(*field, kFieldRefFields);
  if (!n.is_map()) {
    errors.push_back({n.span, "a var must be a mapping with `name`, `objref` and `fieldref`", {}});
    return std::nullopt;
  }
  if (!check_fields(n, {"name", "objref", "fieldref"}, errors)) return std::nullopt;
  Var v;
  v.at = n.span;
  v.name = text_of(&n, "name");
  const MNode* obj = n.get("objref");
  if (obj != nullptr && obj->is_map()) {
    if (!check_fields(*obj, {"apiVersion", "group", "version", "kind", "name", "namespace"}, errors)) {
      return std::nullopt;
    }
    v.target.group = text_of(obj, "group");
    v.target.version = text_of(obj, "version");
    v.target.kind = text_of(obj, "kind");
    v.target.name = text_of(obj, "name");
    v.target.ns = text_of(obj, "namespace");
    // apiVersion overrides group/version when it has one or two parts, as kustomize's Target.GVK().
    const std::string api = text_of(obj, "apiVersion");
    if (!api.empty()) {
      const auto slash = api.find('/');
      if (slash == std::string::npos) {
        v.target.version = api;
      } else if (api.find('/', slash + 1) == std::string::npos) {
        v.target.group = api.substr(0, slash);
        v.target.version = api.substr(slash + 1);
      }
    }
  }
  const MNode* field = n.get("fieldref");
  if (field != nullptr && field->is_map()) {
    if (!check_fields(*field, {"fieldPath"}, errors)) return std::nullopt;
    v.field_path = text_of(field, "fieldPath");
    if (const MNode* fp = field->get("fieldPath")) v.field_path_at = fp->span;
  }
  if (v.field_path.empty()) v.field_path = "metadata.name";
  return v;
}

/// kustomize's "{NAME GVK {fieldPath}}" rendering of a var in its error messages, in our words.
std::string describe(const Var& v) {
  ResId shown = v.target;
  return fmt::format("`{}` ({} `{}`, fieldPath `{}`)", v.name, shown.kind.empty() ? "object" : shown.kind, shown.name,
                     v.field_path);
}

bool gvk_equal(const ResId& a, const ResId& b) { return a.same_gvk(b); }

/// Resources whose current or any previous id is the var's object: GVK and name, and the namespace too
/// when the var gives one or the kind is cluster-scoped.
std::vector<const Resource*> matching(const std::vector<Resource>& resources, const ResId& target) {
  const bool with_ns = !target.ns.empty() || k8s::is_cluster_scoped(target.kind);
  auto same = [&](const ResId& id) {
    if (!gvk_equal(id, target) || id.name != target.name) return false;
    return !with_ns || id.effective_ns() == target.effective_ns();
  };
  std::vector<const Resource*> out;
  for (const auto& r : resources) {
    bool hit = same(r.id());
    for (const auto& p : r.prev_ids) hit = hit || same(p);
    if (hit) out.push_back(&r);
  }
  return out;
}

/// The value of the var's field, typed as kustomize reads it; nullopt for a mapping or list (kustomize
/// then leaves `$(NAME)` as written). `found` is false when the field is absent or unreadable.
std::optional<VarValue> field_value(const Resource& r, const Var& v, bool& found) {
  std::string err;
  const MNode* node = lookup_field(r.root, split_slice_indexes(split_field_path(v.field_path)), &err);
  found = err.empty() && node != nullptr;
  if (!found) return std::nullopt;
  if (node->is_map() || node->is_seq()) return std::nullopt;
  VarValue out{node->value, "str", node->span};
  if (node->is_null()) return out;
  const auto kind = scalar_kind(*node);
  if (kind == "int") {
    long long i = 0;
    std::string_view s = node->value;
    if (s.starts_with("+")) s.remove_prefix(1);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
    if (ec != std::errc() || p != s.data() + s.size()) {
      found = false;
      return std::nullopt;
    }
    out.text = fmt::format("{}", i);
    out.kind = "int";
  } else if (kind == "float") {
    char* end = nullptr;
    const double d = std::strtod(node->value.c_str(), &end);
    if (end != node->value.c_str() + node->value.size()) {
      found = false;
      return std::nullopt;
    }
    out.text = fmt::format("{}", d);
    out.kind = "float";
  } else if (kind == "bool") {
    const auto& t = node->value;
    out.text = (t == "true" || t == "True" || t == "TRUE" || t == "1" || t == "t" || t == "T") ? "true" : "false";
    out.kind = "bool";
  }
  return out;
}

class Substituter {
 public:
  Substituter(const std::map<std::string, VarValue, std::less<>>& values, std::vector<RenderError>& errors)
      : values_(values), errors_(errors) {}

  void resource(Resource& r) {
    const std::string kind = r.kind();
    for (const auto& f : kVarFields) {
      if (!f.kind.empty() && f.kind != kind) continue;
      std::vector<std::string_view> parts;
      size_t start = 0;
      for (;;) {
        const size_t slash = f.path.find('/', start);
        parts.push_back(f.path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
      }
      if (!walk(r.root, parts, 0)) {
        errors_.push_back(
            {r.origin, fmt::format("considering field `{}` of object `{}`: {}", f.path, r.id().display(), error_), {}});
        return;
      }
    }
  }

 private:
  bool walk(MNode& n, const std::vector<std::string_view>& parts, size_t i) {
    if (i == parts.size()) return set(n);
    if (n.is_null()) return true;
    if (n.is_seq()) {
      for (auto& item : n.items) {
        if (!walk(item, parts, i)) return false;
      }
      return true;
    }
    if (n.is_map()) {
      MNode* field = n.get(parts[i]);
      return field == nullptr || walk(*field, parts, i + 1);
    }
    error_ = "expected sequence or mapping node";
    return false;
  }

  bool set(MNode& n) {
    if (n.is_null()) return true;
    if (n.is_scalar()) {
      if (n.is_string()) replace(n);
      return true;
    }
    if (n.is_map()) {
      for (size_t i = 0; i < n.keys.size(); ++i) {
        if (!n.keys[i].is_string()) {
          error_ = fmt::format("invalid map key `{}`", n.keys[i].value);
          return false;
        }
        if (n.items[i].is_string()) replace(n.items[i]);
      }
      return true;
    }
    for (auto& item : n.items) {
      if (!item.is_string()) {
        error_ = "invalid value type expect a string";
        return false;
      }
      replace(item);
    }
    return true;
  }

  /// kustomize's DoReplacements: `$(NAME)` -> value, `$$` -> `$`, anything else as written.
  void replace(MNode& n) {
    const std::string& in = n.value;
    std::string out;
    size_t checkpoint = 0;
    for (size_t cursor = 0; cursor < in.size(); ++cursor) {
      if (in[cursor] != '$' || cursor + 1 >= in.size()) continue;
      out.append(in, checkpoint, cursor - checkpoint);
      const char next = in[cursor + 1];
      size_t advance = 1;
      if (next == '$') {
        out += '$';
      } else if (next == '(') {
        const size_t close = in.find(')', cursor + 2);
        if (close == std::string::npos) {
          out += "$(";
        } else {
          const std::string name = in.substr(cursor + 2, close - cursor - 2);
          advance = close - cursor;
          const auto it = values_.find(name);
          if (it != values_.end() && cursor == 0 && close + 1 == in.size()) {
            whole(n, it->second);
            return;
          }
          out += it != values_.end() ? it->second.text : "$(" + name + ")";
        }
      } else {
        out += '$';
        out += next;
      }
      cursor += advance;
      checkpoint = cursor + 1;
    }
    if (checkpoint == 0) return;
    out.append(in, checkpoint, std::string::npos);
    if (out == in) return;
    n.value = std::move(out);
    n.tag.clear();
    n.style = yaml::ScalarStyle::kPlain;
    if (!n.is_string()) n.style = yaml::ScalarStyle::kDoubleQuoted;
  }

  /// A field that is exactly `$(NAME)` takes the value with its type and its provenance.
  static void whole(MNode& n, const VarValue& v) {
    n.type = yaml::NodeType::kScalar;
    n.value = v.text;
    n.tag.clear();
    n.style = yaml::ScalarStyle::kPlain;
    if (v.kind == "str" && !n.is_string()) n.style = yaml::ScalarStyle::kDoubleQuoted;
    n.span = v.at;
  }

  const std::map<std::string, VarValue, std::less<>>& values_;
  std::vector<RenderError>& errors_;
  std::string error_;
};

}  // namespace

void resolve_vars(std::vector<Resource>& resources, const std::vector<MNode>& vars, std::vector<RenderError>& errors) {
  if (vars.empty()) return;
  std::map<std::string, Var, std::less<>> by_name;
  for (const auto& n : vars) {
    auto v = read_var(n, errors);
    if (!v) continue;
    if (by_name.count(v->name) != 0) {
      errors.push_back({v->at, fmt::format("var `{}` already encountered", v->name),
                        "give each var a unique name across the kustomizations of the build"});
      continue;
    }
    by_name.emplace(v->name, std::move(*v));
  }
  std::map<std::string, VarValue, std::less<>> values;
  for (const auto& [name, v] : by_name) {
    const auto found = matching(resources, v.target);
    if (found.size() > 1) {
      errors.push_back(
          {v.at, fmt::format("found {} resId matches for var {} (unable to disambiguate)", found.size(), describe(v)),
           "add `namespace` to the var's objref"});
      continue;
    }
    if (found.empty()) {
      errors.push_back({v.at,
                        fmt::format("var {} cannot be mapped to a field in the set of known resources", describe(v)),
                        "the objref needs the object's exact apiVersion, kind and name"});
      continue;
    }
    bool present = false;
    auto value = field_value(*found.front(), v, present);
    if (!present) {
      errors.push_back({v.field_path_at.valid() ? v.field_path_at : v.at,
                        fmt::format("field specified in var {} not found in corresponding resource", describe(v)),
                        {}});
      continue;
    }
    if (value) values.emplace(name, std::move(*value));
  }
  if (by_name.empty()) return;
  Substituter sub(values, errors);
  for (auto& r : resources) sub.resource(r);
}

}  // namespace gl::render::kustomize
