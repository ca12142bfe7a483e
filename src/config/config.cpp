#include "config/config.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "core/error.h"
#include "core/strings.h"
#include "k8s/quantity.h"

namespace gl::config {
namespace {

[[noreturn]] void fail(const yaml::Node& at, const std::string& message) {
  const std::string where = at.file != nullptr ? at.file->path() : std::string(kConfigFileName);
  throw FatalError(fmt::format("{}:{}:{}: {}", where, at.begin.line, at.begin.column, message));
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string best = closest_match(word, candidates);
  return best.empty() ? std::string() : fmt::format(" (did you mean `{}`?)", best);
}

const yaml::Node& expect(const yaml::Node& n, yaml::NodeType type, std::string_view what) {
  if (n.type != type) {
    static constexpr std::string_view kNames[] = {"null", "a scalar", "a list", "a mapping"};
    fail(n, fmt::format("`{}` must be {}", what, kNames[static_cast<int>(type)]));
  }
  return n;
}

/// Calls `fn(key, value)` for each entry, rejecting keys not in `allowed`.
template <typename Fn>
void for_each_key(const yaml::Node& map, std::string_view what, const std::vector<std::string>& allowed, Fn fn) {
  expect(map, yaml::NodeType::kMapping, what);
  for (size_t i = 0; i < map.keys().size(); ++i) {
    const auto& key = map.keys()[i];
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key.value()) == allowed.end()) {
      fail(key, fmt::format("unknown key `{}` in `{}`{}", key.value(), what, did_you_mean(key.value(), allowed)));
    }
    fn(std::string(key.value()), map.items()[i]);
  }
}

std::vector<std::string> scalar_list(const yaml::Node& n, std::string_view what) {
  std::vector<std::string> out;
  if (n.is_scalar()) return {std::string(n.value())};
  expect(n, yaml::NodeType::kSequence, what);
  for (const auto& item : n.items()) out.emplace_back(expect(item, yaml::NodeType::kScalar, what).value());
  return out;
}

int64_t parse_int(const yaml::Node& n, std::string_view what) {
  auto v = n.as_int();
  if (!v || *v < 0) fail(n, fmt::format("`{}` must be a non-negative integer", what));
  return *v;
}

int64_t parse_bytes(const yaml::Node& n, std::string_view what) {
  auto v = k8s::parse_memory_bytes(n.value());
  if (!n.is_scalar() || !v || *v < 0) fail(n, fmt::format("`{}` must be a size such as `5Mi` or `1048576`", what));
  return *v;
}

int64_t parse_cpu(const yaml::Node& n, std::string_view what) {
  auto v = k8s::parse_cpu_milli(n.value());
  if (!n.is_scalar() || !v || *v < 0) fail(n, fmt::format("`{}` must be a CPU quantity such as `100m` or `2`", what));
  return *v;
}

std::vector<k8s::Taint> parse_taints(const yaml::Node& n) {
  std::vector<k8s::Taint> out;
  expect(n, yaml::NodeType::kSequence, "taints");
  for (const auto& t : n.items()) {
    k8s::Taint taint;
    for_each_key(t, "taints", {"key", "value", "effect"}, [&](const std::string& k, const yaml::Node& v) {
      if (k == "key") taint.key = v.value();
      if (k == "value") taint.value = v.value();
      if (k == "effect") {
        if (v.value() != "NoSchedule" && v.value() != "PreferNoSchedule" && v.value() != "NoExecute") {
          fail(v, "taint `effect` must be NoSchedule, PreferNoSchedule or NoExecute");
        }
        taint.effect = v.value();
      }
    });
    if (taint.key.empty() || taint.effect.empty()) fail(t, "a taint needs `key` and `effect`");
    out.push_back(std::move(taint));
  }
  return out;
}

void parse_inventory(const yaml::Node& n, Config& c) {
  for_each_key(n, "inventory", {"nodeGroups", "systemReserved", "instanceTypes"},
               [&](const std::string& key, const yaml::Node& v) {
    if (key == "systemReserved") {
      for_each_key(v, "inventory.systemReserved", {"cpu", "memory"}, [&](const std::string& k, const yaml::Node& q) {
        if (k == "cpu") c.reserve.cpu_milli = parse_cpu(q, "systemReserved.cpu");
        if (k == "memory") c.reserve.memory_bytes = parse_bytes(q, "systemReserved.memory");
      });
    } else if (key == "instanceTypes") {
      for_each_key(v, "inventory.instanceTypes", {}, [&](const std::string& name, const yaml::Node& t) {
        k8s::InstanceType it;
        it.name = name;
        for_each_key(t, "instanceTypes." + name, {"vcpu", "memory"}, [&](const std::string& k, const yaml::Node& q) {
          if (k == "vcpu") it.cpu_milli = parse_cpu(q, "vcpu");
          if (k == "memory") it.memory_bytes = parse_bytes(q, "memory");
        });
        c.extra_instance_types.push_back(it);
      });
    } else {
      expect(v, yaml::NodeType::kSequence, "inventory.nodeGroups");
      for (const auto& g : v.items()) {
        k8s::NodeGroupSpec spec;
        spec.origin = g.span();
        for_each_key(g, "nodeGroups", {"name", "count", "labels", "taints", "instanceType"},
                     [&](const std::string& k, const yaml::Node& f) {
          if (k == "name") {
            spec.name = f.value();
            spec.origin = f.span();
          }
          if (k == "count") spec.count = parse_int(f, "count");
          if (k == "labels") spec.labels = k8s::read_string_map(&expect(f, yaml::NodeType::kMapping, "labels"));
          if (k == "taints") spec.taints = parse_taints(f);
          if (k == "instanceType") spec.instance_type = f.value();
        });
        if (spec.name.empty()) fail(g, "a node group needs a `name`");
        c.node_groups.push_back(std::move(spec));
      }
    }
  });
}

/// Paths in the config are relative to its directory; the repository-relative form is resolved when the
/// config's location is known (pipeline), so they are kept as written here.
void parse_helm(const yaml::Node& n, Config& c) {
  for_each_key(n, "helm", {"charts"}, [&](const std::string&, const yaml::Node& charts) {
    for_each_key(charts, "helm.charts", {}, [&](const std::string& dir, const yaml::Node& sets) {
      expect(sets, yaml::NodeType::kSequence, "helm.charts.<chart>");
      std::vector<HelmValueSet>& out = c.helm_charts[dir];
      for (const auto& item : sets.items()) {
        HelmValueSet vs;
        for_each_key(item, "helm.charts.<chart>[]",
                     {"name", "valueFiles", "set", "setString", "releaseName", "namespace"},
                     [&](const std::string& k, const yaml::Node& v) {
                       if (k == "name") vs.name = expect(v, yaml::NodeType::kScalar, "name").value();
                       if (k == "valueFiles") vs.value_files = scalar_list(v, "valueFiles");
                       if (k == "set") vs.set = scalar_list(v, "set");
                       if (k == "setString") vs.set_string = scalar_list(v, "setString");
                       if (k == "releaseName")
                         vs.release_name = expect(v, yaml::NodeType::kScalar, "releaseName").value();
                       if (k == "namespace") vs.ns = expect(v, yaml::NodeType::kScalar, "namespace").value();
                     });
        if (vs.name.empty()) fail(item, "a value set needs a `name` (the environment it deploys to)");
        out.push_back(std::move(vs));
      }
    });
  });
}

void parse_argocd(const yaml::Node& n, Config& c) {
  for_each_key(n, "argocd", {"repositories", "external", "strictRepos", "clusters", "kubeVersion", "undeployed"},
               [&](const std::string& k, const yaml::Node& v) {
                 if (k == "repositories") c.argocd.repositories = scalar_list(v, "repositories");
                 if (k == "external") c.argocd.external = scalar_list(v, "external");
                 if (k == "kubeVersion")
                   c.argocd.kube_version = expect(v, yaml::NodeType::kScalar, "kubeVersion").value();
                 if (k == "strictRepos") {
                   auto b = v.as_bool();
                   if (!b) fail(v, "`strictRepos` must be true or false");
                   c.argocd.strict_repos = *b;
                 }
                 if (k == "undeployed") {
                   if (v.value() != "check" && v.value() != "skip") fail(v, "`undeployed` must be `check` or `skip`");
                   c.argocd.check_undeployed = v.value() == "check";
                 }
                 if (k == "clusters") {
                   expect(v, yaml::NodeType::kSequence, "argocd.clusters");
                   for (const auto& item : v.items()) {
                     ArgoCluster cl;
                     cl.at = item.span();
                     for_each_key(item, "argocd.clusters[]", {"name", "server", "labels", "annotations"},
                                  [&](const std::string& f, const yaml::Node& fv) {
                                    if (f == "name") cl.name = expect(fv, yaml::NodeType::kScalar, "name").value();
                                    if (f == "server")
                                      cl.server = expect(fv, yaml::NodeType::kScalar, "server").value();
                                    if (f == "labels" || f == "annotations") {
                                      auto m = k8s::read_string_map(&expect(fv, yaml::NodeType::kMapping, f));
                                      (f == "labels" ? cl.labels : cl.annotations) =
                                          std::map<std::string, std::string>(m.begin(), m.end());
                                    }
                                  });
                     if (cl.name.empty() || cl.server.empty()) fail(item, "a cluster needs a `name` and a `server`");
                     c.argocd.clusters.push_back(std::move(cl));
                   }
                 }
               });
}

void parse_drift(const yaml::Node& n, Config& c) {
  for_each_key(n, "drift", {"ignoreDifferences", "extraKinds"}, [&](const std::string& k, const yaml::Node& v) {
    if (k == "extraKinds") c.drift.extra_kinds = scalar_list(v, "extraKinds");
    if (k != "ignoreDifferences") return;
    expect(v, yaml::NodeType::kSequence, "drift.ignoreDifferences");
    for (const auto& item : v.items()) {
      DriftIgnore ig;
      ig.at = item.span();
      for_each_key(item, "drift.ignoreDifferences[]",
                   {"group", "kind", "name", "namespace", "jsonPointers", "jqPathExpressions", "managedFieldsManagers"},
                   [&](const std::string& f, const yaml::Node& fv) {
                     if (f == "group") ig.group = expect(fv, yaml::NodeType::kScalar, "group").value();
                     if (f == "kind") ig.kind = expect(fv, yaml::NodeType::kScalar, "kind").value();
                     if (f == "name") ig.name = expect(fv, yaml::NodeType::kScalar, "name").value();
                     if (f == "namespace") ig.name_space = expect(fv, yaml::NodeType::kScalar, "namespace").value();
                     if (f == "jsonPointers") ig.json_pointers = scalar_list(fv, "jsonPointers");
                     if (f == "jqPathExpressions") ig.jq_path_expressions = scalar_list(fv, "jqPathExpressions");
                     if (f == "managedFieldsManagers")
                       ig.managed_fields_managers = scalar_list(fv, "managedFieldsManagers");
                   });
      if (ig.kind.empty()) fail(item, "an ignoreDifferences entry needs a `kind` (`*` for every kind)");
      c.drift.ignore_differences.push_back(std::move(ig));
    }
  });
}

void parse_datastores(const yaml::Node& n, Config& c) {
  for_each_key(n, "datastores", {"ports", "images"}, [&](const std::string& key, const yaml::Node& v) {
    if (key == "ports") {
      for_each_key(v, "datastores.ports", {}, [&](const std::string& port, const yaml::Node& kind) {
        const bool digits = !port.empty() && port.size() <= 5 &&
                            std::all_of(port.begin(), port.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
        if (!digits) fail(v, fmt::format("`{}` is not a port number", port));
        c.graph.datastore_ports[std::stoi(port)] = kind.value();
      });
    } else {
      for_each_key(v, "datastores.images", {}, [&](const std::string& needle, const yaml::Node& kind) {
        c.graph.datastore_images.insert(c.graph.datastore_images.begin(), {needle, std::string(kind.value())});
      });
    }
  });
}

void parse_rules(const yaml::Node& n, Config& c) {
  const auto ids = rules::rule_ids();
  for_each_key(n, "rules", ids, [&](const std::string& id, const yaml::Node& v) {
    const rules::RuleInfo* info = rules::find_rule(id);
    RuleConfig rc;
    std::vector<std::string> allowed = {"enabled", "severity"};
    for (const auto& o : info->options) allowed.push_back(o.name);
    for_each_key(v, "rules." + id, allowed, [&](const std::string& k, const yaml::Node& f) {
      if (k == "enabled") {
        auto b = f.as_bool();
        if (!b) fail(f, "`enabled` must be true or false");
        rc.enabled = *b;
      } else if (k == "severity") {
        auto s = parse_severity(f.value());
        if (!s) fail(f, "`severity` must be error, warning or note");
        rc.severity = *s;
      } else {
        rc.options[k] = scalar_list(f, k);
      }
    });
    c.rules[id] = std::move(rc);
  });
}

}  // namespace

Config parse_config(const SourceFile& file) {
  Config c;
  c.file = &file;
  auto parsed = yaml::parse(file);
  if (!parsed.errors.empty()) {
    const auto& e = parsed.errors.front();
    throw FatalError(fmt::format("{}:{}:{}: {}", file.path(), e.mark.line, e.mark.column, e.message));
  }
  if (parsed.documents.empty() || parsed.documents.front().root.is_null()) return c;
  const yaml::Node& root = parsed.documents.front().root;
  for_each_key(root, "config", {"exclude", "limits", "inventory", "operators", "datastores", "rules", "helm", "argocd", "drift"},
               [&](const std::string& key, const yaml::Node& v) {
    if (key == "exclude") c.exclude = scalar_list(v, "exclude");
    if (key == "limits") {
      for_each_key(v, "limits", {"maxFileSize", "maxDepth", "maxAliasNodes"}, [&](const std::string& k, const yaml::Node& f) {
        if (k == "maxFileSize") c.max_file_bytes = static_cast<uint64_t>(parse_bytes(f, "maxFileSize"));
        if (k == "maxDepth") c.limits.max_depth = static_cast<size_t>(parse_int(f, "maxDepth"));
        if (k == "maxAliasNodes") c.limits.max_alias_nodes = static_cast<size_t>(parse_int(f, "maxAliasNodes"));
      });
    }
    if (key == "inventory") parse_inventory(v, c);
    if (key == "operators") {
      if (auto err = k8s::parse_operator_kinds(v, c.operators)) {
        throw FatalError(
            fmt::format("{}:{}:{}: {}", file.path(), err->at.begin.line, err->at.begin.column, err->message));
      }
    }
    if (key == "datastores") parse_datastores(v, c);
    if (key == "rules") parse_rules(v, c);
    if (key == "helm") parse_helm(v, c);
    if (key == "argocd") parse_argocd(v, c);
    if (key == "drift") parse_drift(v, c);
  });
  return c;
}

std::vector<EffectiveRule> effective_rules(const Config& config, const std::vector<std::string>& enable,
                                           const std::vector<std::string>& disable) {
  const auto ids = rules::rule_ids();
  auto check_id = [&](const std::string& id) {
    if (rules::find_rule(id) == nullptr) {
      throw FatalError(fmt::format("unknown rule `{}`{}", id, did_you_mean(id, ids)));
    }
  };
  for (const auto& id : enable) check_id(id);
  for (const auto& id : disable) check_id(id);
  std::vector<EffectiveRule> out;
  for (const auto& info : rules::registry()) {
    bool on = true;
    EffectiveRule r;
    r.info = &info;
    r.severity = info.default_severity;
    for (const auto& o : info.options) {
      std::vector<std::string> vals;
      if (!o.default_value.empty()) {
        for (auto part : split(o.default_value, ',')) vals.emplace_back(trim(part));
      }
      r.options.set(o.name, vals);
    }
    if (auto it = config.rules.find(info.id); it != config.rules.end()) {
      if (it->second.enabled) on = *it->second.enabled;
      if (it->second.severity) r.severity = *it->second.severity;
      for (const auto& [k, v] : it->second.options) r.options.set(k, v);
    }
    if (std::find(enable.begin(), enable.end(), info.id) != enable.end()) on = true;
    if (std::find(disable.begin(), disable.end(), info.id) != disable.end()) on = false;
    if (on) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace gl::config
