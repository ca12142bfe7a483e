#include "k8s/operator_pods.h"

#include <fmt/format.h>
#include <algorithm>
#include <memory>

#include "core/embedded.h"
#include "core/error.h"
#include "k8s/quantity.h"
#include "yaml/parser.h"

namespace gl::k8s {
namespace {

constexpr std::string_view kEach = "[]";

// ---- reading the table ----------------------------------------------------------------------------------------

/// Reads a table entry; each `read_*` returns an error for the first thing wrong.
class EntryReader {
 public:
  std::optional<OperatorTableError> error;

  void fail(const yaml::Node& at, std::string message) {
    if (!error) error = OperatorTableError{at.span(), std::move(message)};
  }

  /// A path, or a list of paths tried in order.
  FieldPaths paths(const yaml::Node& n, std::string_view what) {
    FieldPaths out;
    auto one = [&](const yaml::Node& item) {
      if (!item.is_scalar() || item.value().empty()) {
        fail(item, fmt::format("`{}` must be a field path such as `spec.resources`, or a list of them", what));
        return;
      }
      auto p = FieldPath::parse(item.value());
      if (!p) {
        fail(item, fmt::format("`{}` is not a field path: `{}` (dotted keys, at most one `[]`)", what, item.value()));
        return;
      }
      out.push_back(std::move(*p));
    };
    if (n.is_seq()) {
      for (const auto& item : n.items()) one(item);
    } else {
      one(n);
    }
    return out;
  }

  std::string scalar(const yaml::Node& n, std::string_view what) {
    if (!n.is_scalar() || n.value().empty()) fail(n, fmt::format("`{}` must be a non-empty string", what));
    return std::string(n.str());
  }

  ResourceDefaults resources(const yaml::Node& n) {
    ResourceDefaults out;
    if (!n.is_map()) {
      fail(n, "`defaultResources` must be a mapping of `requests`/`limits` to quantities");
      return out;
    }
    for (size_t i = 0; i < n.keys().size(); ++i) {
      const std::string_view section = n.keys()[i].value();
      const auto& values = n.items()[i];
      if (section != "requests" && section != "limits") {
        fail(n.keys()[i],
             fmt::format("unknown key `{}` in `defaultResources` (expected `requests` or `limits`)", section));
        continue;
      }
      if (!values.is_map()) {
        fail(values, fmt::format("`defaultResources.{}` must be a mapping such as `{{memory: 2Gi}}`", section));
        continue;
      }
      for (size_t k = 0; k < values.keys().size(); ++k) {
        const std::string_view resource = values.keys()[k].value();
        const auto& q = values.items()[k];
        const bool ok = resource == "memory" ? parse_memory_bytes(q.str()).has_value()
                        : resource == "cpu"  ? parse_cpu_milli(q.str()).has_value()
                                             : q.is_scalar();
        if (!q.is_scalar() || !ok) {
          fail(q, fmt::format("`defaultResources.{}.{}` is not a quantity", section, resource));
          continue;
        }
        out[std::string(section)][std::string(resource)] = std::string(q.value());
      }
    }
    return out;
  }

  OperatorContainer container(const yaml::Node& n) {
    OperatorContainer c;
    if (!n.is_map()) {
      fail(n, "a container must be a mapping with `name` and `resources`");
      return c;
    }
    for (size_t i = 0; i < n.keys().size(); ++i) {
      const std::string_view key = n.keys()[i].value();
      const auto& v = n.items()[i];
      if (key == "name") {
        c.name = scalar(v, "name");
      } else if (key == "resources") {
        c.resources = paths(v, "resources");
      } else if (key == "requires") {
        c.requires_ = paths(v, "requires");
      } else {
        fail(n.keys()[i],
             fmt::format("unknown key `{}` in a container (expected `name`, `resources`, `requires`)", key));
      }
    }
    if (c.name.empty()) fail(n, "a container needs a `name`");
    return c;
  }

  OperatorPodGroupSpec group(const yaml::Node& n) {
    OperatorPodGroupSpec g;
    if (!n.is_map()) {
      fail(n, "a pod group must be a mapping");
      return g;
    }
    const yaml::Node* resources = nullptr;
    std::string container_name;
    for (size_t i = 0; i < n.keys().size(); ++i) {
      const std::string_view key = n.keys()[i].value();
      const auto& v = n.items()[i];
      if (key == "name") {
        g.name = scalar(v, "name");
      } else if (key == "nameFrom") {
        auto p = paths(v, "nameFrom");
        if (p.size() == 1) g.name_from = p.front();
        if (p.size() > 1) fail(v, "`nameFrom` takes one path");
      } else if (key == "requires") {
        g.requires_ = paths(v, "requires");
      } else if (key == "replicas") {
        g.replicas = paths(v, "replicas");
      } else if (key == "defaultReplicas") {
        auto r = v.as_int();
        if (!r || *r < 0) fail(v, "`defaultReplicas` must be a non-negative integer");
        g.default_replicas = r.value_or(1);
      } else if (key == "replicasTimes") {
        g.replicas_times = paths(v, "replicasTimes");
      } else if (key == "podSpec") {
        g.pod_spec = paths(v, "podSpec");
      } else if (key == "resources") {
        resources = &v;
      } else if (key == "container") {
        container_name = scalar(v, "container");
      } else if (key == "containers") {
        if (!v.is_seq()) {
          fail(v, "`containers` must be a list of `{name, resources}`");
          continue;
        }
        for (const auto& c : v.items()) g.containers.push_back(container(c));
      } else if (key == "defaultResources") {
        g.default_resources = this->resources(v);
      } else if (key == "nodeSelector") {
        g.node_selector = paths(v, "nodeSelector");
      } else if (key == "affinity") {
        g.affinity = paths(v, "affinity");
      } else if (key == "nodeAffinity") {
        g.node_affinity = paths(v, "nodeAffinity");
      } else if (key == "tolerations") {
        g.tolerations = paths(v, "tolerations");
      } else if (key == "labels") {
        if (!v.is_map()) {
          fail(v, "`labels` must be a mapping of label to value");
          continue;
        }
        g.labels = read_string_map(&v);
      } else if (key == "labelsFrom") {
        g.labels_from = paths(v, "labelsFrom");
      } else {
        static const std::vector<std::string> kKeys = {
            "name",     "nameFrom",     "requires",    "replicas",   "defaultReplicas",  "replicasTimes",
            "podSpec",  "resources",    "container",   "containers", "defaultResources", "nodeSelector",
            "affinity", "nodeAffinity", "tolerations", "labels",     "labelsFrom"};
        fail(n.keys()[i],
             fmt::format("unknown key `{}` in a pod group (expected one of `{}`)", key, fmt::join(kKeys, "`, `")));
      }
    }
    if (g.name.empty()) fail(n, "a pod group needs a `name`");
    if (resources != nullptr) {
      if (!g.containers.empty()) fail(*resources, "a pod group takes `resources` or `containers`, not both");
      g.containers.push_back(
          OperatorContainer{container_name.empty() ? g.name : container_name, paths(*resources, "resources"), {}});
    }
    g.main_container = container_name.empty() ? g.name : container_name;
    if (g.pod_spec.empty() && g.containers.empty() && !g.default_resources.empty()) {
      g.containers.push_back(OperatorContainer{g.main_container, {}, {}});
    }
    check_lists(n, g);
    return g;
  }

  /// Every `[]` path of a group must walk the same list: the group is repeated for each of its items.
  void check_lists(const yaml::Node& at, OperatorPodGroupSpec& g) {
    auto check = [&](const FieldPaths& ps) {
      for (const auto& p : ps) {
        const std::string lp = p.list_prefix();
        if (lp.empty()) continue;
        if (g.each.empty()) g.each = lp;
        if (lp != g.each) {
          fail(at, fmt::format("pod group `{}` walks two lists (`{}` and `{}`); a group repeats over one", g.name,
                               g.each, lp));
        }
      }
    };
    for (const FieldPaths* ps : {&g.requires_, &g.replicas, &g.replicas_times, &g.pod_spec, &g.node_selector,
                                 &g.affinity, &g.node_affinity, &g.tolerations, &g.labels_from}) {
      check(*ps);
    }
    check({g.name_from});
    for (const auto& c : g.containers) {
      check(c.resources);
      check(c.requires_);
    }
  }

  std::optional<OperatorKind> kind(const yaml::Node& n) {
    if (!n.is_map()) {
      fail(n, "an operator entry must be a mapping with `apiGroup`, `kind` and `pods`");
      return std::nullopt;
    }
    OperatorKind k;
    const yaml::Node* pods = nullptr;
    for (size_t i = 0; i < n.keys().size(); ++i) {
      const std::string_view key = n.keys()[i].value();
      const auto& v = n.items()[i];
      if (key == "apiGroup") {
        k.api_group = scalar(v, "apiGroup");
      } else if (key == "kind") {
        k.kind = scalar(v, "kind");
      } else if (key == "pods") {
        pods = &v;
      } else {
        fail(n.keys()[i],
             fmt::format("unknown key `{}` in an operator entry (expected `apiGroup`, `kind`, `pods`)", key));
      }
    }
    if (k.api_group.empty() || k.kind.empty()) fail(n, "an operator entry needs `apiGroup` and `kind`");
    if (pods == nullptr || !pods->is_seq() || pods->items().empty()) {
      fail(pods != nullptr ? *pods : n, "an operator entry needs `pods`, a list of pod groups");
    } else {
      for (const auto& g : pods->items()) k.groups.push_back(group(g));
    }
    if (error) return std::nullopt;
    return k;
  }
};

// ---- reading a resource ---------------------------------------------------------------------------------------

/// Where paths are read: the resource's root, and the current item of the group's list (if any).
struct Scope {
  const yaml::Node* root = nullptr;
  const yaml::Node* item = nullptr;
};

const yaml::Node* walk(const yaml::Node* n, const std::vector<FieldPath::Step>& steps, size_t from) {
  for (size_t i = from; i < steps.size() && n != nullptr; ++i) n = n->get(steps[i].key);
  return n;
}

const yaml::Node* lookup(const Scope& s, const FieldPath& p) {
  if (p.steps.empty()) return nullptr;
  for (size_t i = 0; i < p.steps.size(); ++i) {
    if (!p.steps[i].each) continue;
    // The part after `[]` is read inside the current item.
    return s.item == nullptr ? nullptr : walk(s.item, p.steps, i + 1);
  }
  const yaml::Node* n = walk(s.root, p.steps, 0);
  return n == nullptr || n->is_null() ? nullptr : n;
}

const yaml::Node* first(const Scope& s, const FieldPaths& ps) {
  for (const auto& p : ps) {
    if (const yaml::Node* n = lookup(s, p); n != nullptr && !n->is_null()) return n;
  }
  return nullptr;
}

bool present(const Scope& s, const FieldPaths& ps) { return ps.empty() || first(s, ps) != nullptr; }

/// Builds synthetic nodes in the arena, each placed at `at` (the resource's own line).
class Builder {
 public:
  explicit Builder(yaml::Arena& arena) : arena_(arena) {}

  yaml::Node scalar(std::string_view text, const Span& at) {
    yaml::Node n = placed(at);
    n.set_text(yaml::NodeType::kScalar, arena_.copy(text));
    return n;
  }

  yaml::Node mapping(const std::vector<std::pair<yaml::Node, yaml::Node>>& entries, const Span& at) {
    yaml::Node n = placed(at);
    std::vector<yaml::Node> all(2 * entries.size());  // the keys, then the values
    for (size_t i = 0; i < entries.size(); ++i) {
      all[i] = entries[i].first;
      all[entries.size() + i] = entries[i].second;
    }
    n.set_mapping(array(all));
    return n;
  }

  yaml::Node sequence(const std::vector<yaml::Node>& items, const Span& at) {
    yaml::Node n = placed(at);
    n.set_sequence(array(items));
    return n;
  }

  /// A stable copy of a node value (the PodSpec a group points at).
  const yaml::Node* keep(const yaml::Node& n) { return array({n}).data(); }

 private:
  static yaml::Node placed(const Span& at) {
    yaml::Node n;
    n.file = at.file;
    n.begin = at.begin;
    n.end = at.end;
    return n;
  }

  std::span<yaml::Node> array(const std::vector<yaml::Node>& nodes) {
    if (nodes.empty()) return {};
    void* mem = arena_.allocate(sizeof(yaml::Node) * nodes.size(), alignof(yaml::Node));
    auto* out = static_cast<yaml::Node*>(mem);
    std::uninitialized_copy(nodes.begin(), nodes.end(), out);
    return {out, nodes.size()};
  }

  yaml::Arena& arena_;
};

int64_t read_count(const yaml::Node* n, int64_t fallback) {
  if (n == nullptr) return fallback;
  auto v = n->as_int();
  return v && *v >= 0 ? *v : fallback;
}

std::string expand(std::string_view pattern, std::string_view name, std::string_view group) {
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern.substr(i).starts_with("{name}")) {
      out += name;
      i += std::string_view("{name}").size();
    } else if (pattern.substr(i).starts_with("{group}")) {
      out += group;
      i += std::string_view("{group}").size();
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

/// Reads the groups of one resource into `out`.
class GroupReader {
 public:
  GroupReader(const Object& o, OperatorPods& out) : o_(o), out_(out), build_(out.arena) {}

  void read(const OperatorPodGroupSpec& g) {
    if (g.each.empty()) {
      instance(g, Scope{&o_.root, nullptr});
      return;
    }
    auto p = FieldPath::parse(std::string_view(g.each).substr(0, g.each.size() - kEach.size()));
    const yaml::Node* items = p ? walk(&o_.root, p->steps, 0) : nullptr;
    if (items == nullptr || !items->is_seq()) return;
    for (const auto& item : items->items()) instance(g, Scope{&o_.root, &item});
  }

 private:
  void instance(const OperatorPodGroupSpec& g, const Scope& s) {
    if (!present(s, g.requires_)) return;
    PodGroup group;
    group.name = g.name;
    if (const yaml::Node* n = g.name_from.steps.empty() ? nullptr : lookup(s, g.name_from);
        n != nullptr && n->is_scalar()) {
      group.name = std::string(n->value());
    }
    group.replicas = read_count(first(s, g.replicas), g.default_replicas) * read_count(first(s, g.replicas_times), 1);
    // Findings about the whole group point at the line that introduces it, else at the resource's name.
    const yaml::Node* intro = first(s, g.requires_);
    if (intro == nullptr) intro = first(s, g.pod_spec);
    const Span at = intro != nullptr ? intro->span() : o_.anchor().span();

    std::vector<std::pair<yaml::Node, yaml::Node>> entries;
    auto set = [&](std::string_view key, const yaml::Node& value) {
      auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first.value() == key; });
      if (it != entries.end()) {
        it->second = value;
      } else {
        entries.emplace_back(build_.scalar(key, value.span()), value);
      }
    };
    if (!g.pod_spec.empty()) {
      // A real PodSpec (or none written: the operator's own container alone).
      const yaml::Node* real_spec = first(s, g.pod_spec);
      const yaml::Node empty;
      if (real_spec != nullptr && real_spec->is_map()) {
        for (size_t i = 0; i < real_spec->keys().size(); ++i)
          entries.emplace_back(real_spec->keys()[i], real_spec->items()[i]);
      }
      if (!g.default_resources.empty()) {
        default_main_container(g, real_spec != nullptr && real_spec->is_map() ? *real_spec : empty, at, set);
      }
    }
    if (!g.containers.empty()) {
      std::vector<yaml::Node> containers;
      for (const auto& c : g.containers) {
        if (!present(s, c.requires_)) continue;
        const yaml::Node* res = first(s, c.resources);
        const yaml::Node* where = res != nullptr ? res : first(s, c.requires_);
        const Span cat = where != nullptr ? where->span() : at;
        std::vector<std::pair<yaml::Node, yaml::Node>> fields = {
            {build_.scalar("name", cat), build_.scalar(c.name, cat)}};
        if (res != nullptr) {
          fields.emplace_back(build_.scalar("resources", res->span()), *res);
        } else if (!g.default_resources.empty()) {
          fields.emplace_back(build_.scalar("resources", at), defaults(g.default_resources, o_.anchor().span()));
        }
        containers.push_back(build_.mapping(fields, cat));
      }
      set("containers", build_.sequence(containers, at));
    }
    if (const yaml::Node* n = first(s, g.node_selector)) set("nodeSelector", *n);
    if (const yaml::Node* n = first(s, g.affinity)) {
      set("affinity", *n);
    } else if (const yaml::Node* na = first(s, g.node_affinity)) {
      set("affinity", build_.mapping({{build_.scalar("nodeAffinity", na->span()), *na}}, na->span()));
    }
    if (const yaml::Node* n = first(s, g.tolerations)) set("tolerations", *n);
    group.spec = build_.keep(build_.mapping(entries, at));

    for (const auto& p : g.labels_from) {
      for (auto& [k, v] : read_string_map(lookup(s, p))) group.labels[k] = v;
    }
    for (const auto& [k, v] : g.labels) group.labels[k] = expand(v, o_.name, group.name);
    out_.groups.push_back(std::move(group));
  }

  /// The resources block the operator fills in, placed at `at`.
  yaml::Node defaults(const ResourceDefaults& d, const Span& at) {
    std::vector<std::pair<yaml::Node, yaml::Node>> sections;
    for (const auto& [section, values] : d) {
      std::vector<std::pair<yaml::Node, yaml::Node>> entries;
      for (const auto& [resource, quantity] : values) {
        entries.emplace_back(build_.scalar(resource, at), build_.scalar(quantity, at));
      }
      sections.emplace_back(build_.scalar(section, at), build_.mapping(entries, at));
    }
    return build_.mapping(sections, at);
  }

  /// A real PodSpec whose main container sets no resources gets the operator's defaults (ECK: 2Gi memory).
  template <typename Set>
  void default_main_container(const OperatorPodGroupSpec& g, const yaml::Node& spec, const Span& at, Set set) {
    const yaml::Node* cs = spec.get("containers");
    std::vector<yaml::Node> containers;
    bool found = false;
    if (cs != nullptr && cs->is_seq()) {
      for (const auto& c : cs->items()) {
        const yaml::Node* name = c.get("name");
        if (c.is_map() && name != nullptr && name->value() == g.main_container) {
          found = true;
          if (c.get("resources") == nullptr) {
            std::vector<std::pair<yaml::Node, yaml::Node>> fields;
            for (size_t i = 0; i < c.keys().size(); ++i) fields.emplace_back(c.keys()[i], c.items()[i]);
            fields.emplace_back(build_.scalar("resources", name->span()), defaults(g.default_resources, name->span()));
            containers.push_back(build_.mapping(fields, c.span()));
            continue;
          }
        }
        containers.push_back(c);
      }
    }
    if (!found) {
      containers.push_back(build_.mapping({{build_.scalar("name", at), build_.scalar(g.main_container, at)},
                                           {build_.scalar("resources", at), defaults(g.default_resources, at)}},
                                          at));
    }
    set("containers", build_.sequence(containers, cs != nullptr ? cs->span() : at));
  }

  const Object& o_;
  OperatorPods& out_;
  Builder build_;
};

}  // namespace

std::optional<FieldPath> FieldPath::parse(std::string_view text) {
  FieldPath p;
  p.text = std::string(text);
  bool each_seen = false;
  size_t start = 0;
  while (start <= text.size()) {
    size_t dot = text.find('.', start);
    if (dot == std::string_view::npos) dot = text.size();
    std::string_view key = text.substr(start, dot - start);
    Step step;
    if (key.ends_with(kEach)) {
      if (each_seen) return std::nullopt;
      each_seen = true;
      step.each = true;
      key.remove_suffix(kEach.size());
    }
    if (key.empty() || key.find_first_of("[]") != std::string_view::npos) return std::nullopt;
    step.key = std::string(key);
    p.steps.push_back(std::move(step));
    start = dot + 1;
  }
  return p;
}

std::string FieldPath::list_prefix() const {
  std::string out;
  for (const auto& s : steps) {
    out += (out.empty() ? "" : ".") + s.key;
    if (s.each) return out + std::string(kEach);
  }
  return {};
}

std::optional<OperatorTableError> parse_operator_kinds(const yaml::Node& list, std::vector<OperatorKind>& out) {
  EntryReader r;
  if (!list.is_seq()) {
    r.fail(list, "`operators` must be a list of `{apiGroup, kind, pods}` entries");
    return r.error;
  }
  for (const auto& entry : list.items()) {
    auto k = r.kind(entry);
    if (r.error) return r.error;
    out.push_back(std::move(*k));
  }
  return std::nullopt;
}

OperatorPodTable OperatorPodTable::parse(std::string_view yaml_text, std::string_view name) {
  SourceFile file{std::string(name), std::string(yaml_text)};
  auto parsed = yaml::parse(file);
  if (!parsed.errors.empty() || parsed.documents.empty()) throw FatalError(fmt::format("{}: malformed YAML", name));
  const yaml::Node* list = parsed.documents.front().root.get("operators");
  if (list == nullptr) throw FatalError(fmt::format("{}: no `operators` list", name));
  OperatorPodTable t;
  std::vector<OperatorKind> kinds;
  if (auto err = parse_operator_kinds(*list, kinds)) {
    throw FatalError(fmt::format("{}:{}:{}: {}", name, err->at.begin.line, err->at.begin.column, err->message));
  }
  t.add(kinds);
  return t;
}

const OperatorPodTable& OperatorPodTable::builtin() {
  static const OperatorPodTable kTable = [] {
    auto text = embedded_file("operator-pods.yaml");
    if (!text) throw FatalError("operator pod table missing from the binary");
    return parse(*text, "rules/operator-pods.yaml");
  }();
  return kTable;
}

void OperatorPodTable::add(const std::vector<OperatorKind>& kinds) {
  for (const auto& k : kinds) {
    auto it = std::find_if(kinds_.begin(), kinds_.end(),
                           [&](const OperatorKind& x) { return x.api_group == k.api_group && x.kind == k.kind; });
    if (it != kinds_.end()) {
      *it = k;
    } else {
      kinds_.push_back(k);
    }
  }
}

const OperatorKind* OperatorPodTable::find(std::string_view api_group, std::string_view kind) const {
  for (const auto& k : kinds_) {
    if (k.api_group == api_group && k.kind == kind) return &k;
  }
  return nullptr;
}

std::shared_ptr<const OperatorPods> read_operator_pods(const Object& o, const OperatorPodTable& table) {
  if (o.group().empty() || !o.root.is_map()) return nullptr;
  const OperatorKind* kind = table.find(o.group(), o.kind);
  if (kind == nullptr) return nullptr;
  auto out = std::make_shared<OperatorPods>();
  out->source = o.storage;
  GroupReader reader(o, *out);
  for (const auto& g : kind->groups) reader.read(g);
  if (out->groups.empty()) return nullptr;
  return out;
}

void attach_operator_pods(std::vector<Object>& objects, const OperatorPodTable& table) {
  if (table.size() == 0) return;
  for (auto& o : objects) o.operator_pods = read_operator_pods(o, table);
}

}  // namespace gl::k8s
