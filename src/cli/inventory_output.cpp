#include "cli/inventory_output.h"

#include "cli/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "k8s/quantity.h"

namespace gl::cli {
namespace {

using Json = nlohmann::ordered_json;

Json location(const Span& at) {
  Json j = Json::object();
  j["file"] = at.file != nullptr ? Json(at.file->path()) : Json(nullptr);
  j["line"] = at.valid() ? Json(at.begin.line) : Json(nullptr);
  return j;
}

std::string json_inventory(const k8s::Inventory& inv) {
  Json root = Json::object();
  root["version"] = 1;
  Json nodes = Json::array();
  for (const auto& n : inv.nodes) {
    Json j = Json::object();
    j["name"] = n.name;
    j["group"] = n.group.empty() ? Json(nullptr) : Json(n.group);
    j["instanceType"] = n.instance_type.empty() ? Json(nullptr) : Json(n.instance_type);
    Json labels = Json::object();
    for (const auto& [k, v] : n.labels) labels[k] = v;
    j["labels"] = std::move(labels);
    Json taints = Json::array();
    for (const auto& t : n.taints) taints.push_back(Json{{"key", t.key}, {"value", t.value}, {"effect", t.effect}});
    j["taints"] = std::move(taints);
    Json alloc = Json::object();
    alloc["memory"] = n.memory_bytes ? Json(k8s::format_memory(*n.memory_bytes)) : Json(nullptr);
    alloc["cpu"] = n.cpu_milli ? Json(k8s::format_cpu(*n.cpu_milli)) : Json(nullptr);
    j["allocatable"] = std::move(alloc);
    j["unschedulable"] = n.unschedulable;
    Json sources = Json::array();
    if (n.facts.empty()) {
      Json s = location(n.origin);
      s["what"] = "declared";
      sources.push_back(std::move(s));
    }
    for (const auto& f : n.facts) {
      Json s = location(f.at);
      s["what"] = f.what;
      sources.push_back(std::move(s));
    }
    j["sources"] = std::move(sources);
    nodes.push_back(std::move(j));
  }
  root["nodes"] = std::move(nodes);
  root["notes"] = inv.notes;
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string table_inventory(const k8s::Inventory& inv) {
  const std::vector<std::string> header = {"NODE", "INSTANCE", "CPU", "MEMORY", "LABELS", "TAINTS", "SOURCE"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& n : inv.nodes) {
    std::vector<std::string> labels;
    for (const auto& [k, v] : n.labels) {
      // Well-known labels the kubelet sets (hostname, arch, os, instance type, zone) are in the JSON only.
      if (k.starts_with("kubernetes.io/") || k.starts_with("beta.kubernetes.io/") ||
          k.starts_with("topology.kubernetes.io/") || k.starts_with("failure-domain.beta.kubernetes.io/") ||
          k == "node.kubernetes.io/instance-type") {
        continue;
      }
      labels.push_back(fmt::format("{}={}", k, v));
    }
    std::vector<std::string> taints;
    for (const auto& t : n.taints) taints.push_back(t.display());
    const Span at = n.origin;
    rows.push_back({n.name, n.instance_type.empty() ? "-" : n.instance_type,
                    n.cpu_milli ? k8s::format_cpu(*n.cpu_milli) : "-",
                    n.memory_bytes ? k8s::format_memory(*n.memory_bytes) : "-",
                    labels.empty() ? "-" : fmt::format("{}", fmt::join(labels, ",")),
                    taints.empty() ? "-" : fmt::format("{}", fmt::join(taints, ",")),
                    at.file != nullptr ? fmt::format("{}:{}", at.file->path(), at.begin.line) : "-"});
  }
  return format_table(header, rows);
}

}  // namespace

std::string render_inventory(const k8s::Inventory& inventory, std::string_view format) {
  return format == "json" ? json_inventory(inventory) : table_inventory(inventory);
}

}  // namespace gl::cli
