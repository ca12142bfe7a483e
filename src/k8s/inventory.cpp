#include "k8s/inventory.h"

#include <algorithm>
#include <set>
#include <fmt/format.h>

#include "core/embedded.h"
#include "core/error.h"
#include "k8s/quantity.h"
#include "yaml/parser.h"

namespace gl::k8s {
namespace {

constexpr std::string_view kInstanceTypeLabels[] = {"node.kubernetes.io/instance-type",
                                                     "beta.kubernetes.io/instance-type"};

void apply_catalog(NodeInfo& n, const InstanceCatalog& catalog, const SystemReserve& reserve,
                   std::vector<std::string>& notes) {
  if (n.instance_type.empty()) return;
  const InstanceType* t = catalog.find(n.instance_type);
  if (t == nullptr) {
    notes.push_back(fmt::format("node `{}` has instance type `{}`, which the instance catalog does not know; its "
                                "capacity is unknown",
                                n.name, n.instance_type));
    return;
  }
  n.cpu_milli = std::max<int64_t>(0, t->cpu_milli - reserve.cpu_milli);
  n.memory_bytes = std::max<int64_t>(0, t->memory_bytes - reserve.memory_bytes);
  n.capacity_source = fmt::format("{} ({} vCPU, {}) minus system reserve ({} CPU, {})", t->name,
                                  format_cpu(t->cpu_milli), format_memory(t->memory_bytes),
                                  format_cpu(reserve.cpu_milli), format_memory(reserve.memory_bytes));
}

}  // namespace

InstanceCatalog InstanceCatalog::parse(std::string_view yaml_text) {
  SourceFile file("rules/instance-types.yaml", std::string(yaml_text));
  auto parsed = yaml::parse(file);
  if (!parsed.errors.empty() || parsed.documents.empty()) throw FatalError("malformed instance catalog");
  InstanceCatalog c;
  const auto* types = parsed.documents.front().root.get("instanceTypes");
  if (types == nullptr || !types->is_map()) throw FatalError("instance catalog has no `instanceTypes` map");
  for (size_t i = 0; i < types->keys().size(); ++i) {
    const auto& v = types->items()[i];
    const auto* cpu = v.get("vcpu");
    const auto* mem = v.get("memory");
    if (cpu == nullptr || mem == nullptr) throw FatalError("instance catalog entry without vcpu/memory");
    auto cpu_m = parse_cpu_milli(cpu->value());
    auto mem_b = parse_memory_bytes(mem->value());
    if (!cpu_m || !mem_b) throw FatalError("instance catalog entry with a bad quantity");
    c.types_.push_back(InstanceType{std::string(types->keys()[i].value()), *cpu_m, *mem_b});
  }
  std::sort(c.types_.begin(), c.types_.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return c;
}

const InstanceCatalog& InstanceCatalog::builtin() {
  static const InstanceCatalog kCatalog = [] {
    auto text = embedded_file("instance-types.yaml");
    if (!text) throw FatalError("instance catalog missing from the binary");
    return parse(*text);
  }();
  return kCatalog;
}

void InstanceCatalog::add(const std::vector<InstanceType>& types) {
  for (const auto& t : types) {
    auto it = std::find_if(types_.begin(), types_.end(), [&](const InstanceType& x) { return x.name == t.name; });
    if (it != types_.end()) {
      *it = t;
    } else {
      types_.push_back(t);
    }
  }
  std::sort(types_.begin(), types_.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

const InstanceType* InstanceCatalog::find(std::string_view name) const {
  auto it = std::lower_bound(types_.begin(), types_.end(), name,
                             [](const InstanceType& t, std::string_view n) { return t.name < n; });
  if (it == types_.end() || it->name != name) return nullptr;
  return &*it;
}

Inventory build_inventory(const std::vector<const Object*>& node_objects, const std::vector<NodeGroupSpec>& groups,
                          const InstanceCatalog& catalog, const SystemReserve& reserve,
                          const std::vector<infra::InfraNode>& infra_nodes) {
  Inventory inv;
  for (const Object* o : node_objects) {
    NodeInfo n;
    n.name = o->name;
    n.labels = o->labels;
    if (n.labels.find("kubernetes.io/hostname") == n.labels.end()) n.labels["kubernetes.io/hostname"] = n.name;
    n.taints = parse_taints(o->root.at({"spec", "taints"}));
    if (const auto* u = o->root.at({"spec", "unschedulable"})) n.unschedulable = u->as_bool().value_or(false);
    for (auto key : kInstanceTypeLabels) {
      auto it = n.labels.find(key);
      if (it != n.labels.end()) {
        n.instance_type = it->second;
        break;
      }
    }
    n.origin = o->anchor().span();
    const auto* alloc = o->root.at({"status", "allocatable"});
    if (alloc != nullptr && alloc->get("cpu") != nullptr && alloc->get("memory") != nullptr) {
      n.cpu_milli = parse_cpu_milli(alloc->get("cpu")->value());
      n.memory_bytes = parse_memory_bytes(alloc->get("memory")->value());
      n.capacity_source = "status.allocatable";
    } else {
      apply_catalog(n, catalog, reserve, inv.notes);
    }
    inv.nodes.push_back(std::move(n));
  }
  for (const auto& g : groups) {
    for (int64_t i = 1; i <= g.count; ++i) {
      NodeInfo n;
      n.name = g.count == 1 ? g.name : fmt::format("{}-{}", g.name, i);
      n.group = g.name;
      n.labels = g.labels;
      if (n.labels.find("kubernetes.io/hostname") == n.labels.end()) n.labels["kubernetes.io/hostname"] = n.name;
      n.instance_type = g.instance_type;
      if (n.instance_type.empty()) {
        for (auto key : kInstanceTypeLabels) {
          auto it = n.labels.find(key);
          if (it != n.labels.end()) n.instance_type = it->second;
        }
      } else if (n.labels.find(kInstanceTypeLabels[0]) == n.labels.end()) {
        n.labels[std::string(kInstanceTypeLabels[0])] = n.instance_type;
      }
      n.taints = g.taints;
      n.origin = g.origin;
      apply_catalog(n, catalog, reserve, inv.notes);
      inv.nodes.push_back(std::move(n));
    }
  }
  std::set<std::string, std::less<>> declared;
  for (const auto& n : inv.nodes) declared.insert(n.name);
  for (const auto& in : infra_nodes) {
    if (declared.count(in.name) != 0) {
      inv.notes.push_back(fmt::format("node `{}` is declared by a Node object or the config and in infrastructure code "
                                      "({}); the declaration wins",
                                      in.name, in.group.empty() ? std::string("infrastructure code") : in.group));
      continue;
    }
    const int64_t count = std::max<int64_t>(in.count, 1);
    for (int64_t i = 1; i <= count; ++i) {
      NodeInfo n;
      n.name = count == 1 ? in.name : fmt::format("{}-{}", in.name, i);
      n.group = in.is_group() ? in.name : std::string();
      n.labels = in.labels;
      if (n.labels.find("kubernetes.io/hostname") == n.labels.end()) n.labels["kubernetes.io/hostname"] = n.name;
      n.instance_type = in.instance_type;
      if (!n.instance_type.empty() && n.labels.find(kInstanceTypeLabels[0]) == n.labels.end()) {
        n.labels[std::string(kInstanceTypeLabels[0])] = n.instance_type;
      }
      n.taints = in.taints;
      for (const auto& [key, value] : in.labels) {
        if (const auto* f = in.label_fact(key)) n.label_origins[key] = f->at;
      }
      if (const auto* f = in.instance_type_fact()) n.instance_type_origin = f->at;
      n.origin = n.instance_type_origin.valid() ? n.instance_type_origin : in.origin();
      n.facts = in.sources;
      apply_catalog(n, catalog, reserve, inv.notes);
      inv.nodes.push_back(std::move(n));
    }
  }
  std::sort(inv.nodes.begin(), inv.nodes.end(), [](const NodeInfo& a, const NodeInfo& b) { return a.name < b.name; });
  std::sort(inv.notes.begin(), inv.notes.end());
  inv.notes.erase(std::unique(inv.notes.begin(), inv.notes.end()), inv.notes.end());
  return inv;
}

}  // namespace gl::k8s
