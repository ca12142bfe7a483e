#include "drift/diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "core/hash.h"
#include "core/strings.h"
#include "drift/ignore.h"
#include "drift/json_tree.h"
#include "drift/live_file.h"
#include "k8s/quantity.h"
#include "k8s/selector.h"

namespace gl::drift {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::kInSync: return "in_sync";
    case Status::kModified: return "modified";
    case Status::kMissing: return "missing";
    case Status::kExtra: return "extra";
  }
  return "in_sync";
}

std::string fingerprint(std::string_view value) {
  return "sha256:" + hash::sha256_hex(value).substr(0, 8);
}

std::string to_pointer(const FieldPath& path) {
  std::string out;
  for (const auto& step : path) {
    out += '/';
    if (step.key.empty()) {
      out += std::to_string(step.index);
      continue;
    }
    for (char c : step.key) {
      if (c == '~') {
        out += "~0";
      } else if (c == '/') {
        out += "~1";
      } else {
        out += c;
      }
    }
  }
  return out;
}

namespace {

using Key = std::tuple<std::string, std::string, std::string, std::string>;  // group, kind, namespace, name

Key key_of(std::string_view api_version, std::string_view kind, std::string_view ns, std::string_view name) {
  return Key{std::string(k8s::api_group(api_version)), std::string(kind), std::string(ns), std::string(name)};
}

const nlohmann::json* child(const nlohmann::json* j, std::string_view key) {
  if (j == nullptr || !j->is_object()) return nullptr;
  auto it = j->find(key);
  return it == j->end() ? nullptr : &*it;
}

/// Fields the API server owns: never compared even when a manifest sets them.
bool server_owned(const FieldPath& path) {
  if (path.size() == 1) return path[0].key == "status";
  if (path.size() == 2 && path[0].key == "metadata") {
    static const std::set<std::string, std::less<>> kKeys = {
        "creationTimestamp", "resourceVersion", "uid", "generation", "managedFields", "selfLink", "deletionTimestamp"};
    return kKeys.count(path[1].key) != 0;
  }
  return path.size() == 3 && path[0].key == "metadata" && path[1].key == "annotations" &&
         path[2].key == "kubectl.kubernetes.io/last-applied-configuration";
}

/// Values under these keys are resource quantities (`1Gi` = `1073741824`, `500m` = `0.5`).
bool quantity_context(const FieldPath& path) {
  static const std::set<std::string, std::less<>> kParents = {
      "requests", "limits", "hard", "capacity", "allocatable", "default", "defaultRequest", "max", "min",
      "maxLimitRequestRatio", "overhead"};
  if (path.empty()) return false;
  const std::string& last = path.back().key;
  if (last == "sizeLimit" || last == "storage") return true;
  return path.size() >= 2 && kParents.count(path[path.size() - 2].key) != 0;
}

/// Go's zero values, which the API server leaves out of what it returns (omitempty).
bool zero_value(const yaml::Node& d) {
  switch (d.type) {
    case yaml::NodeType::kNull: return true;
    case yaml::NodeType::kSequence:
    case yaml::NodeType::kMapping: return d.size() == 0;
    case yaml::NodeType::kScalar: break;
  }
  const std::string_view kind = d.resolved_kind();
  if (kind == "str") return d.value().empty();
  if (kind == "bool") return d.as_bool() == false;
  if (kind == "int") return d.as_int() == 0;
  if (kind == "float") return d.as_number() == 0.0;
  return false;
}

bool scalar_equal(const yaml::Node& d, const nlohmann::json& live, const FieldPath& path) {
  if (live.is_null()) return zero_value(d);
  if (live.is_object() || live.is_array()) return false;
  const std::string_view text = d.value();
  std::string live_text;
  if (live.is_string()) {
    live_text = live.get<std::string>();
  } else if (live.is_boolean()) {
    const auto b = d.as_bool();
    return b.has_value() && *b == live.get<bool>();
  } else if (live.is_number_integer() || live.is_number_unsigned()) {
    live_text = live.dump();
  } else if (live.is_number_float()) {
    const auto n = d.as_number();
    if (n && *n == live.get<double>()) return true;
    live_text = live.dump();
  }
  // The same text is the same value: `"80"` and `80` on int-or-string fields (targetPort, maxSurge, ...).
  if (text == live_text) return true;
  if (quantity_context(path)) {
    const auto a = k8s::parse_quantity_milli(text);
    const auto b = k8s::parse_quantity_milli(live_text);
    return a && b && *a == *b;
  }
  if (const auto n = d.as_int(); n && !live.is_string()) return live_text == std::to_string(*n);
  return false;
}

bool is_port_key(std::string_view key) { return key == "port" || key == "containerPort"; }

/// How a list item is told apart: its merge key's value, with the protocol for ports ("53/UDP").
std::string item_identity(std::string_view key, std::string_view value, const yaml::Node* protocol) {
  if (!is_port_key(key)) return std::string(value);
  return fmt::format("{}/{}", value, protocol != nullptr && !protocol->str().empty() ? protocol->str() : "TCP");
}

std::string live_identity(const nlohmann::json& item, std::string_view key) {
  const auto* v = child(&item, key);
  if (v == nullptr) return "";
  std::string value = v->is_string() ? v->get<std::string>() : v->dump();
  if (!is_port_key(key)) return value;
  const auto* p = child(&item, "protocol");
  return fmt::format("{}/{}", value, p != nullptr && p->is_string() ? p->get<std::string>() : "TCP");
}

/// The field a list item is identified by (strategic merge patch's patchMergeKey), or "" (match by index).
/// Ports are identified by number and protocol together (TCP when unset), as the API's list-map keys say.
std::string merge_key(const FieldPath& path, const yaml::Node& list) {
  if (path.empty() || list.size() == 0) return "";
  for (const auto& item : list.items()) {
    if (!item.is_map()) return "";
  }
  auto all_have = [&](std::string_view key) {
    return std::all_of(list.items().begin(), list.items().end(), [&](const yaml::Node& item) {
      const auto* v = item.get(key);
      return v != nullptr && v->is_scalar();
    });
  };
  const std::string& field = path.back().key;
  std::string key;
  if (field == "volumeMounts" && all_have("mountPath")) {
    key = "mountPath";
  } else if (field == "volumeDevices" && all_have("devicePath")) {
    key = "devicePath";
  } else if (field == "hostAliases" && all_have("ip")) {
    key = "ip";
  } else if (field == "ports" && path.size() >= 2 && path[path.size() - 2].key.empty() && all_have("containerPort")) {
    key = "containerPort";  // a container's ports
  } else if (field == "ports" && path.size() == 2 && path[0].key == "spec" && all_have("port")) {
    key = "port";  // a Service's ports (a NetworkPolicy's are under egress/ingress rules: atomic)
  } else if (field != "ports" && all_have("name")) {
    key = "name";
  }
  if (key.empty()) return "";
  // Two items with the same identity cannot be matched by it.
  std::set<std::string> values;
  for (const auto& item : list.items()) {
    if (!values.insert(item_identity(key, item.get(key)->value(), item.get("protocol"))).second) return "";
  }
  return key;
}

const nlohmann::json* find_item(const nlohmann::json& live, std::string_view key, std::string_view identity,
                                size_t* index) {
  for (size_t i = 0; i < live.size(); ++i) {
    if (live_identity(live[i], key) == identity) {
      *index = i;
      return &live[i];
    }
  }
  return nullptr;
}

class Comparer {
 public:
  explicit Comparer(std::vector<FieldDiff>& out) : out_(out) {}

  void node(const yaml::Node& d, const nlohmann::json* live, FieldPath& path) {
    if (d.is_null() || server_owned(path)) return;
    if (d.is_map()) {
      map(d, live, path);
    } else if (d.is_seq()) {
      seq(d, live, path);
    } else if (live == nullptr ? !zero_value(d) : !scalar_equal(d, *live, path)) {
      add(path, to_json(d), live, d.span());
    }
  }

 private:
  void add(const FieldPath& path, std::optional<nlohmann::json> desired, const nlohmann::json* live, Span at) {
    FieldDiff f;
    f.path = path;
    f.desired = std::move(desired);
    if (live != nullptr) f.live = *live;
    f.at = at;
    out_.push_back(std::move(f));
  }

  void map(const yaml::Node& d, const nlohmann::json* live, FieldPath& path) {
    if (live != nullptr && !live->is_object() && !live->is_null()) {
      add(path, to_json(d), live, d.span());
      return;
    }
    const size_t before = out_.size();
    for (size_t i = 0; i < d.keys().size(); ++i) {
      path.push_back(PathStep{std::string(d.keys()[i].value()), -1, {}, {}});
      node(d.items()[i], child(live, d.keys()[i].value()), path);
      path.pop_back();
    }
    // A whole section the live object lacks is one difference, not one per leaf.
    if ((live == nullptr || live->is_null()) && out_.size() > before + 1 && !path.empty()) {
      out_.resize(before);
      add(path, to_json(d), nullptr, d.span());
    }
  }

  void seq(const yaml::Node& d, const nlohmann::json* live, FieldPath& path) {
    if (live == nullptr || live->is_null()) {
      if (d.size() != 0) add(path, to_json(d), nullptr, d.span());
      return;
    }
    if (!live->is_array()) {
      add(path, to_json(d), live, d.span());
      return;
    }
    const std::string key = merge_key(path, d);
    if (!key.empty()) {
      std::set<size_t> matched;
      for (size_t i = 0; i < d.size(); ++i) {
        const yaml::Node& item = d.items()[i];
        const std::string value(item.get(key)->value());
        size_t at = 0;
        const nlohmann::json* l = find_item(*live, key, item_identity(key, value, item.get("protocol")), &at);
        path.push_back(PathStep{{}, static_cast<long>(i), key, value});
        if (l == nullptr) {
          add(path, to_json(item), nullptr, item.span());
        } else {
          matched.insert(at);
          node(item, l, path);
        }
        path.pop_back();
      }
      for (size_t i = 0; i < live->size(); ++i) {
        if (matched.count(i) != 0) continue;
        const auto* v = child(&(*live)[i], key);
        std::string value = v == nullptr ? std::string() : v->is_string() ? v->get<std::string>() : v->dump();
        path.push_back(PathStep{{}, static_cast<long>(i), key, std::move(value)});
        add(path, std::nullopt, &(*live)[i], d.span());
        path.pop_back();
      }
      return;
    }
    const bool scalars =
        std::all_of(d.items().begin(), d.items().end(), [](const yaml::Node& n) { return n.is_scalar(); });
    if (scalars || d.size() != live->size()) {
      bool same = d.size() == live->size();
      for (size_t i = 0; same && i < d.size(); ++i) {
        path.push_back(PathStep{{}, static_cast<long>(i), {}, {}});
        const size_t before = out_.size();
        node(d.items()[i], &(*live)[i], path);
        same = out_.size() == before;
        out_.resize(before);
        path.pop_back();
      }
      if (!same) add(path, to_json(d), live, d.span());
      return;
    }
    for (size_t i = 0; i < d.size(); ++i) {
      path.push_back(PathStep{{}, static_cast<long>(i), {}, {}});
      node(d.items()[i], &(*live)[i], path);
      path.pop_back();
    }
  }

  std::vector<FieldDiff>& out_;
};

/// A Secret's data as the API server stores it: `stringData` folded into base64 `data`, compared by the
/// decoded bytes, and shown as fingerprints only.
void compare_secret_data(const k8s::Object& desired, const nlohmann::json& live, std::vector<FieldDiff>& out) {
  struct Value {
    std::string bytes;
    Span at;
  };
  std::map<std::string, Value, std::less<>> want;
  if (const auto* data = desired.root.get("data"); data != nullptr && data->is_map()) {
    for (size_t i = 0; i < data->keys().size(); ++i) {
      auto decoded = decode_base64(data->items()[i].value());
      want[std::string(data->keys()[i].value())] =
          Value{decoded ? *decoded : std::string(data->items()[i].value()), data->items()[i].span()};
    }
  }
  if (const auto* data = desired.root.get("stringData"); data != nullptr && data->is_map()) {
    for (size_t i = 0; i < data->keys().size(); ++i) {
      want[std::string(data->keys()[i].value())] =
          Value{std::string(data->items()[i].value()), data->items()[i].span()};
    }
  }
  std::map<std::string, std::string, std::less<>> have;
  if (const auto* data = child(&live, "data"); data != nullptr && data->is_object()) {
    for (auto it = data->begin(); it != data->end(); ++it) {
      const std::string raw = it->is_string() ? it->get<std::string>() : std::string();
      auto decoded = decode_base64(raw);
      have[it.key()] = decoded ? *decoded : raw;
    }
  }
  const Span data_at = desired.root.get("data") != nullptr ? desired.root.get("data")->span() : desired.anchor().span();
  for (const auto& [key, value] : want) {
    auto it = have.find(key);
    if (it != have.end() && it->second == value.bytes) continue;
    FieldDiff f;
    f.path = {PathStep{"data", -1, {}, {}}, PathStep{key, -1, {}, {}}};
    f.desired = fingerprint(value.bytes);
    if (it != have.end()) f.live = fingerprint(it->second);
    f.at = value.at;
    f.secret = true;
    out.push_back(std::move(f));
  }
  for (const auto& [key, bytes] : have) {
    if (want.count(key) != 0) continue;
    FieldDiff f;
    f.path = {PathStep{"data", -1, {}, {}}, PathStep{key, -1, {}, {}}};
    f.live = fingerprint(bytes);
    f.at = data_at;
    f.secret = true;
    out.push_back(std::move(f));
  }
}

std::vector<FieldDiff> compare_object(const k8s::Object& desired, const nlohmann::json& live) {
  std::vector<FieldDiff> out;
  Comparer cmp(out);
  const bool secret = desired.kind == "Secret" && desired.group().empty();
  FieldPath path;
  for (size_t i = 0; i < desired.root.keys().size(); ++i) {
    const std::string_view key = desired.root.keys()[i].value();
    if (key == "apiVersion" || key == "kind") continue;
    if (secret && (key == "data" || key == "stringData")) continue;
    path.push_back(PathStep{std::string(key), -1, {}, {}});
    cmp.node(desired.root.items()[i], child(&live, key), path);
    path.pop_back();
  }
  if (secret) compare_secret_data(desired, live, out);
  return out;
}

bool is_hook(const k8s::Object& o) {
  return o.annotation("helm.sh/hook").has_value() || o.annotation("argocd.argoproj.io/hook").has_value();
}

/// The application a live object says it belongs to: Argo CD's tracking id or instance label.
std::string live_owner(const LiveObject& o) {
  const auto* md = child(&o.body, "metadata");
  if (const auto* tracking = child(child(md, "annotations"), "argocd.argoproj.io/tracking-id");
      tracking != nullptr && tracking->is_string()) {
    const std::string t = tracking->get<std::string>();
    return t.substr(0, t.find(':'));
  }
  const auto* labels = child(md, "labels");
  for (const char* key : {"argocd.argoproj.io/instance", "app.kubernetes.io/instance"}) {
    if (const auto* v = child(labels, key); v != nullptr && v->is_string()) return v->get<std::string>();
  }
  return "";
}

/// Objects controllers make (pods of a ReplicaSet, endpoints of a Service) are never "extra".
bool controller_made(const LiveObject& o) {
  static const std::set<std::string, std::less<>> kKinds = {"Pod", "ReplicaSet", "Endpoints", "EndpointSlice",
                                                           "Event", "ControllerRevision", "Lease"};
  if (kKinds.count(o.kind) != 0) return true;
  const auto* owners = child(child(&o.body, "metadata"), "ownerReferences");
  if (owners != nullptr && owners->is_array() && !owners->empty()) return true;
  const auto* opts = child(child(child(&o.body, "metadata"), "annotations"), "argocd.argoproj.io/compare-options");
  return opts != nullptr && opts->is_string() && opts->get<std::string>().find("IgnoreExtraneous") != std::string::npos;
}

void compare_nodes(const std::vector<const k8s::Object*>& desired, const LiveSet& live, DriftResult& result) {
  std::vector<std::pair<std::string, k8s::Labels>> nodes;
  for (const auto& o : live.objects) {
    if (o.kind != "Node" || !k8s::api_group(o.api_version).empty()) continue;
    k8s::Labels labels;
    if (const auto* l = child(child(&o.body, "metadata"), "labels"); l != nullptr && l->is_object()) {
      for (auto it = l->begin(); it != l->end(); ++it) {
        if (it->is_string()) labels[it.key()] = it->get<std::string>();
      }
    }
    nodes.emplace_back(o.name, std::move(labels));
  }
  if (nodes.empty()) return;
  std::vector<k8s::LabelSelector> selectors;
  std::set<std::string, std::less<>> pin_keys;
  for (const auto* o : desired) {
    if (!k8s::is_workload(*o)) continue;
    const yaml::Node* spec = k8s::pod_spec(*o);
    const yaml::Node* sel = spec != nullptr ? spec->get("nodeSelector") : nullptr;
    if (sel == nullptr || !sel->is_map() || sel->size() == 0) continue;
    const k8s::Labels wanted = k8s::read_string_map(sel);
    for (const auto& [k, v] : wanted) pin_keys.insert(k);
    k8s::LabelSelector selector = k8s::selector_from_map(wanted);
    const bool any = std::any_of(nodes.begin(), nodes.end(), [&](const auto& n) { return selector.matches(n.second); });
    if (!any) {
      NodeDrift nd;
      nd.what = NodeDrift::What::kUnmatchedSelector;
      nd.workload = fmt::format("{} {}/{}", o->kind, o->name_space, o->name);
      nd.selector = selector.display();
      nd.at = sel->span();
      nd.app_chain = o->app_chain;
      result.nodes.push_back(std::move(nd));
    }
    selectors.push_back(std::move(selector));
  }
  for (const auto& [name, labels] : nodes) {
    std::vector<std::string> pinned;
    for (const auto& [k, v] : labels) {
      if (pin_keys.count(k) != 0) pinned.push_back(fmt::format("{}={}", k, v));
    }
    if (pinned.empty()) continue;
    const bool used = std::any_of(selectors.begin(), selectors.end(), [&](const auto& s) { return s.matches(labels); });
    if (used) continue;
    NodeDrift nd;
    nd.what = NodeDrift::What::kUnselectedNode;
    nd.node = name;
    nd.selector = fmt::format("{}", fmt::join(pinned, ","));
    result.nodes.push_back(std::move(nd));
  }
}

}  // namespace

DriftResult compare(const std::vector<const k8s::Object*>& desired, const LiveSet& live, const DriftOptions& options) {
  DriftResult result;
  std::map<Key, const LiveObject*> live_index;
  for (const auto& o : live.objects) live_index.emplace(key_of(o.api_version, o.kind, o.name_space, o.name), &o);
  const std::set<std::string, std::less<>> complete(live.complete_kinds.begin(), live.complete_kinds.end());
  std::set<const LiveObject*> matched;
  std::set<std::string> not_compared;
  std::set<Key> seen;
  for (const auto* o : desired) {
    if ((o->kind == "Node" && o->group().empty()) || is_hook(*o)) continue;
    Key key = key_of(o->api_version, o->kind, o->name_space, o->name);
    if (!seen.insert(key).second) continue;  // the same object twice (duplicate-resource reports it)
    auto it = live_index.find(key);
    if (it == live_index.end() && !o->namespace_explicit) {
      // A kind this tool does not know to be cluster-scoped (a CRD's): the live object has no namespace.
      it = live_index.find(key_of(o->api_version, o->kind, "", o->name));
    }
    ObjectDrift d;
    d.api_version = o->api_version;
    d.kind = o->kind;
    d.name_space = o->name_space;
    d.name = o->name;
    d.app_chain = o->app_chain;
    d.at = o->anchor().span();
    d.desired = o;
    if (it == live_index.end()) {
      if (complete.count(kind_key(o->api_version, o->kind)) == 0) {
        not_compared.insert(kind_key(o->api_version, o->kind));
        continue;
      }
      d.status = Status::kMissing;
      result.objects.push_back(std::move(d));
      continue;
    }
    matched.insert(it->second);
    d.live = it->second;
    if (!it->second->name_space.empty() || d.name_space.empty()) d.name_space = it->second->name_space;
    std::vector<const Ignore*> applying;
    for (const auto& ig : options.ignores) {
      if (ignore_applies(ig, o->group(), o->kind, d.name_space, o->name, o->app_chain)) applying.push_back(&ig);
    }
    for (auto& f : compare_object(*o, it->second->body)) {
      const bool ignored = std::any_of(applying.begin(), applying.end(), [&](const Ignore* ig) {
        return ignores_path(*ig, f.path, &it->second->body);
      });
      if (ignored) {
        ++d.ignored;
      } else {
        d.diffs.push_back(std::move(f));
      }
    }
    d.status = d.diffs.empty() ? Status::kInSync : Status::kModified;
    result.objects.push_back(std::move(d));
  }
  const std::set<std::string, std::less<>> apps(options.applications.begin(), options.applications.end());
  for (const auto& o : live.objects) {
    if (matched.count(&o) != 0 || controller_made(o)) continue;
    const std::string owner = live_owner(o);
    if (owner.empty() || apps.count(owner) == 0) continue;
    ObjectDrift d;
    d.status = Status::kExtra;
    d.api_version = o.api_version;
    d.kind = o.kind;
    d.name_space = o.name_space;
    d.name = o.name;
    d.app_chain = {owner};
    d.live = &o;
    if (auto at = options.application_spans.find(owner); at != options.application_spans.end()) d.at = at->second;
    result.objects.push_back(std::move(d));
  }
  if (apps.empty()) {
    result.notes.push_back(
        "no Argo CD Application in the repository: live objects cannot be tied to it, so none is reported as extra");
  }
  if (!not_compared.empty()) {
    result.notes.push_back(fmt::format("not compared (the live side has no list of these kinds): {}",
                                       fmt::join(not_compared, ", ")));
  }
  compare_nodes(desired, live, result);
  std::sort(result.objects.begin(), result.objects.end(), [](const ObjectDrift& a, const ObjectDrift& b) {
    const std::string app_a = a.application();
    const std::string app_b = b.application();
    return std::tie(app_a, a.kind, a.name_space, a.name, a.api_version, a.status) <
           std::tie(app_b, b.kind, b.name_space, b.name, b.api_version, b.status);
  });
  for (const auto& d : result.objects) {
    switch (d.status) {
      case Status::kInSync: ++result.summary.in_sync; break;
      case Status::kModified: ++result.summary.modified; break;
      case Status::kMissing: ++result.summary.missing; break;
      case Status::kExtra: ++result.summary.extra; break;
    }
  }
  return result;
}

}  // namespace gl::drift
