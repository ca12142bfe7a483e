#include "rules/support/scheduling.h"

#include <algorithm>

#include "k8s/quantity.h"

namespace gl::rules::support {
namespace {

constexpr size_t kMaxNamesShown = 3;

struct ContainerRequests {
  std::optional<Request> cpu;
  std::optional<Request> memory;
};

std::optional<Request> read_request(const yaml::Node& c, const char* resource, bool memory) {
  for (const char* section : {"requests", "limits"}) {
    const auto* n = c.at({"resources", section, resource});
    if (n == nullptr || !n->is_scalar()) continue;
    auto v = memory ? k8s::parse_memory_bytes(n->value()) : k8s::parse_cpu_milli(n->value());
    if (v) return Request{*v, n, *v};
  }
  return std::nullopt;
}

void add(std::optional<Request>& total, const std::optional<Request>& r) {
  if (!r) return;
  if (!total) {
    total = r;
    return;
  }
  if (r->node_amount > total->node_amount) {  // point at the largest contributor's line
    total->node = r->node;
    total->node_amount = r->node_amount;
  }
  total->amount += r->amount;
}

void max_into(std::optional<Request>& total, const std::optional<Request>& r) {
  if (r && (!total || r->amount > total->amount)) total = r;
}

}  // namespace

Candidates candidate_nodes(const graph::Graph& g, uint32_t workload) {
  Candidates c;
  for (uint32_t e : g.out_edges(workload)) {
    const auto& edge = g.edges[e];
    if (edge.kind != graph::EdgeKind::kSchedulesOn) continue;
    c.admitted.push_back(edge.to);
    if (edge.tolerated && !g.nodes()[edge.to].unschedulable) c.schedulable.push_back(edge.to);
  }
  return c;
}

Candidates candidate_nodes(const graph::Graph& g, const k8s::Placement& p) {
  Candidates c;
  for (uint32_t n = 0; n < g.nodes().size(); ++n) {
    const auto& node = g.nodes()[n];
    if (!p.admits(node.name, node.labels)) continue;
    c.admitted.push_back(n);
    const bool tolerated = std::all_of(node.taints.begin(), node.taints.end(), [&](const k8s::Taint& t) {
      return (t.effect != "NoSchedule" && t.effect != "NoExecute") || t.tolerated_by(p.tolerations);
    });
    if (tolerated && !node.unschedulable) c.schedulable.push_back(n);
  }
  return c;
}

std::string pods_name(const k8s::Object& o, const k8s::PodGroup& group, size_t groups) {
  const std::string id = "`" + o.name_space + "/" + o.name + "`";
  if (k8s::workload_kind(o) != k8s::WorkloadKind::kOperator) return id;
  std::string out = o.kind + " " + id;
  if (groups > 1) out += " (" + group.name + " pods)";
  return out;
}

PodRequests pod_requests(const yaml::Node* spec) {
  PodRequests out;
  if (spec == nullptr) return out;
  std::optional<Request> cpu_sum, mem_sum, cpu_init, mem_init;
  if (const auto* cs = spec->get("containers"); cs != nullptr && cs->is_seq()) {
    for (const auto& c : cs->items()) {
      add(cpu_sum, read_request(c, "cpu", false));
      auto mem = read_request(c, "memory", true);
      if (!mem) out.missing_memory.push_back(c.get("name") != nullptr ? c.get("name") : &c);
      add(mem_sum, mem);
    }
  }
  if (const auto* ics = spec->get("initContainers"); ics != nullptr && ics->is_seq()) {
    for (const auto& c : ics->items()) {
      const auto* policy = c.get("restartPolicy");
      const bool sidecar = policy != nullptr && policy->value() == "Always";
      if (sidecar) {
        add(cpu_sum, read_request(c, "cpu", false));
        add(mem_sum, read_request(c, "memory", true));
      } else {
        max_into(cpu_init, read_request(c, "cpu", false));
        max_into(mem_init, read_request(c, "memory", true));
      }
    }
  }
  out.cpu_milli = cpu_sum;
  max_into(out.cpu_milli, cpu_init);
  out.memory_bytes = mem_sum;
  max_into(out.memory_bytes, mem_init);
  return out;
}

std::string describe_group(const graph::Graph& g, const k8s::Placement& p, const std::vector<uint32_t>& nodes) {
  if (!p.node_selector.empty()) {
    std::string out;
    for (const auto& [k, v] : p.node_selector) out += (out.empty() ? "" : ",") + k + "=" + v;
    return out;
  }
  std::string out;
  for (size_t i = 0; i < nodes.size() && i < kMaxNamesShown; ++i) out += (i == 0 ? "" : ", ") + g.nodes()[nodes[i]].name;
  if (nodes.size() > kMaxNamesShown) out += ", ...";
  return out;
}

}  // namespace gl::rules::support
