// requests-fit: pod requests fit the nodes a workload can run on, alone and all together.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "k8s/quantity.h"
#include "rules/rule.h"
#include "rules/support/scheduling.h"

namespace gl::rules {
namespace {

constexpr size_t kMaxContributorsListed = 6;

struct Resource {
  const char* name;  ///< "memory" or "cpu"
  std::optional<support::Request> support::PodRequests::*request;
  std::optional<int64_t> k8s::NodeInfo::*allocatable;
  std::string (*format)(int64_t);
};

const Resource kResources[] = {
    {"memory", &support::PodRequests::memory_bytes, &k8s::NodeInfo::memory_bytes, &k8s::format_memory},
    {"cpu", &support::PodRequests::cpu_milli, &k8s::NodeInfo::cpu_milli, &k8s::format_cpu},
};

struct WorkloadInfo {
  uint32_t index = 0;
  std::string who;        ///< "`ns/name`", or "Kafka `ns/name` (zookeeper pods)" for one group of a custom resource
  std::string group_key;  ///< the group's name when the resource has several (keeps fingerprints apart), else ""
  k8s::Placement placement;
  support::PodRequests requests;
  support::Candidates candidates;
  int64_t replicas = 1;       ///< HPA minReplicas when an HPA targets it
  int64_t max_replicas = 1;   ///< HPA maxReplicas, else replicas
  const k8s::Object* hpa = nullptr;
  bool daemon = false;
  int64_t surge = 0;  ///< extra pods a rolling update starts before old ones stop (Deployments)
  const yaml::Node* surge_node = nullptr;  ///< spec.strategy.rollingUpdate.maxSurge, when written
};

/// A fingerprint key, told apart per pod group for resources with several.
std::string fingerprint(const WorkloadInfo& w, std::string key) {
  return w.group_key.empty() ? key : key + " " + w.group_key;
}

constexpr std::string_view kSurgeOption = "rollingUpdateSurge";
constexpr int64_t kDefaultSurgePercent = 25;
constexpr int64_t kPercent = 100;

/// Pods a Deployment's rolling update adds on top of `replicas` (maxSurge: a count or a percentage,
/// rounded up, 25% by default; none for Recreate and for other kinds).
void read_surge(const k8s::Object& o, WorkloadInfo& w) {
  if (k8s::workload_kind(o) != k8s::WorkloadKind::kDeployment) return;
  const auto* type = o.root.at({"spec", "strategy", "type"});
  if (type != nullptr && type->value() == "Recreate") return;
  w.surge_node = o.root.at({"spec", "strategy", "rollingUpdate", "maxSurge"});
  if (w.surge_node == nullptr || !w.surge_node->is_scalar()) {
    w.surge = (w.replicas * kDefaultSurgePercent + kPercent - 1) / kPercent;
    return;
  }
  std::string_view v = w.surge_node->value();
  if (!v.empty() && v.back() == '%') {
    v.remove_suffix(1);
    int64_t pct = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), pct);
    if (ec == std::errc() && p == v.data() + v.size() && pct > 0) w.surge = (w.replicas * pct + kPercent - 1) / kPercent;
    return;
  }
  w.surge = std::max<int64_t>(0, w.surge_node->as_int().value_or(0));
}

std::string node_desc(const k8s::NodeInfo& n) {
  return n.instance_type.empty() ? fmt::format("`{}`", n.name) : fmt::format("`{}` ({})", n.name, n.instance_type);
}

void hpa_targets(const graph::Graph& g, std::map<uint32_t, uint32_t>& out) {
  for (uint32_t h : g.of_kind("HorizontalPodAutoscaler")) {
    for (uint32_t e : g.out_edges(h)) {
      if (g.edges[e].kind == graph::EdgeKind::kSelects) out[g.edges[e].to] = h;
    }
  }
}

/// One workload's share of a node group.
struct Part {
  const WorkloadInfo* w;
  int64_t pods;
  int64_t amount;  ///< per pod
};

/// The steady state fits the group; does a rolling update of each Deployment that lives only there?
void check_surge(const RuleContext& ctx, const Resource& r, const std::vector<uint32_t>& nodes,
                 const WorkloadInfo* definer, const std::vector<Part>& parts, int64_t total, int64_t capacity) {
  const auto& g = ctx.graph;
  for (const auto& p : parts) {
    // Report each Deployment once, in the group of exactly the nodes it can use.
    if (p.w->daemon || p.w->surge == 0 || p.w->candidates.schedulable != nodes) continue;
    const int64_t need = total + p.w->surge * p.amount;
    if (need <= capacity) continue;
    const auto& o = g.objects[p.w->index];
    const auto& req = p.w->requests.*r.request;
    const std::string group = support::describe_group(g, definer->placement, nodes);
    auto d = ctx.make_lesser(
        &o,
        fmt::format("a rolling update of {} does not fit on `{}` nodes: {} new pod(s) need {} "
                    "{} and {} is free",
                    p.w->who, group, p.w->surge, r.format(p.w->surge * p.amount), r.name, r.format(capacity - total)),
        req->node->span(), fmt::format("x{} replicas + {} surge", p.pods, p.w->surge));
    if (p.w->surge_node != nullptr) d.secondary.push_back({p.w->surge_node->span(), "maxSurge"});
    d.notes.push_back(fmt::format("the group allocates {} {} and its pods request {} at rest; a rollout starts {} "
                                  "new pod(s) of {} before stopping old ones",
                                  r.format(capacity), r.name, r.format(total), p.w->surge, r.format(p.amount)));
    d.notes.push_back("the new pods stay Pending and the rollout never finishes");
    d.help = "set `strategy.rollingUpdate.maxSurge: 0` (with maxUnavailable: 1), use `strategy.type: Recreate`, "
             "or lower the request";
    d.fingerprint_key = fingerprint(*p.w, fmt::format("surge {}", r.name));
    ctx.sink.report(std::move(d));
  }
}

using Flagged =
    std::set<std::pair<const WorkloadInfo*, std::string>>;  // (pod group, resource) with a pod too big for any node

/// A single pod larger than every node it may run on.
void check_single_pod(const RuleContext& ctx, const WorkloadInfo& w, Flagged& flagged) {
  const auto& g = ctx.graph;
  const auto& o = g.objects[w.index];
  for (const auto& r : kResources) {
    const auto& req = w.requests.*r.request;
    if (!req || req->node == nullptr) continue;
    int64_t best = -1;
    uint32_t best_node = 0;
    bool all_known = true;
    for (uint32_t n : w.candidates.schedulable) {
      const auto& alloc = g.nodes()[n].*r.allocatable;
      if (!alloc) {
        all_known = false;
        break;
      }
      if (*alloc > best) {
        best = *alloc;
        best_node = n;
      }
    }
    if (!all_known || best < 0 || req->amount <= best) continue;
    const auto& node = g.nodes()[best_node];
    auto d = ctx.make(&o,
                      fmt::format("a pod of {} requests {} {} but the largest node it can run on allocates {}", w.who,
                                  r.format(req->amount), r.name, r.format(best)),
                      req->node->span(), "requested here");
    if (node.origin.valid()) d.secondary.push_back({node.origin, fmt::format("node `{}`", node.name)});
    d.notes.push_back(fmt::format("{} allocates {} {} ({})", node_desc(node), r.format(best), r.name, node.capacity_source));
    d.notes.push_back("the pod will stay Pending: no node can hold it");
    d.help = fmt::format("lower the {} request, or pin the workload to a larger instance type", r.name);
    d.fingerprint_key = fingerprint(w, fmt::format("single {}", r.name));
    flagged.insert({&w, r.name});
    ctx.sink.report(std::move(d));
  }
}

/// All pods that can only land on one group of nodes (replicas x pod, plus DaemonSet pods on each node).
void check_groups(const RuleContext& ctx, const std::vector<WorkloadInfo>& workloads, const Flagged& flagged) {
  const auto& g = ctx.graph;
  std::map<std::vector<uint32_t>, const WorkloadInfo*> groups;  // candidate set -> the workload that defines it
  for (const auto& w : workloads) {
    if (w.daemon || w.candidates.schedulable.empty() || !w.placement.pinned()) continue;
    groups.emplace(w.candidates.schedulable, &w);
  }
  for (const auto& [nodes, definer] : groups) {
    for (const auto& r : kResources) {
      int64_t capacity = 0;
      bool known = true;
      for (uint32_t n : nodes) {
        const auto& alloc = g.nodes()[n].*r.allocatable;
        if (!alloc) known = false;
        capacity += alloc.value_or(0);
      }
      if (!known) continue;
      std::vector<Part> parts;
      int64_t total_min = 0;
      int64_t total_max = 0;
      const WorkloadInfo* hpa_part = nullptr;
      for (const auto& w : workloads) {
        const auto& req = w.requests.*r.request;
        if (!req || w.candidates.schedulable.empty()) continue;
        if (w.daemon) {
          int64_t on = 0;
          for (uint32_t n : nodes) on += std::count(w.candidates.schedulable.begin(), w.candidates.schedulable.end(), n);
          if (on == 0) continue;
          parts.push_back({&w, on, req->amount});
          total_min += on * req->amount;
          total_max += on * req->amount;
          continue;
        }
        if (!std::includes(nodes.begin(), nodes.end(), w.candidates.schedulable.begin(), w.candidates.schedulable.end())) continue;
        parts.push_back({&w, w.replicas, req->amount});
        total_min += w.replicas * req->amount;
        total_max += w.max_replicas * req->amount;
        if (w.max_replicas > w.replicas && w.hpa != nullptr) hpa_part = &w;
      }
      if (total_min <= capacity && ctx.options.get_bool(kSurgeOption, true)) {
        check_surge(ctx, r, nodes, definer, parts, total_min, capacity);
      }
      if (total_max <= capacity) continue;
      const bool min_fits = total_min <= capacity;
      // Only one finding per group and resource; point at the largest non-DaemonSet contributor.
      const Part* main = nullptr;
      for (const auto& p : parts) {
        if (p.w->daemon) continue;
        if (main == nullptr || p.pods * p.amount > main->pods * main->amount) main = &p;
      }
      if (main == nullptr) continue;
      // A pod that fits no node at all is already reported on its own.
      if (std::all_of(parts.begin(), parts.end(), [&](const Part& p) {
            return p.w->daemon || flagged.count({p.w, r.name}) != 0;
          }))
        continue;
      const std::string group = support::describe_group(g, definer->placement, nodes);
      const auto& mo = g.objects[main->w->index];
      const auto& mreq = main->w->requests.*r.request;
      std::string message;
      diag::Diagnostic d;
      if (min_fits) {
        const auto& ho = *hpa_part->hpa;
        const yaml::Node* max_node = ho.root.at({"spec", "maxReplicas"});
        d = ctx.make_lesser(&ho,
                            fmt::format("at maxReplicas the pods on `{}` nodes request {} {} but the nodes allocate {}", group,
                                        r.format(total_max), r.name, r.format(capacity)),
                            max_node != nullptr ? max_node->span() : ho.anchor().span(), "scales up to here");
        d.notes.push_back(fmt::format("the minimum replicas fit ({} of {}); scaling out will leave pods Pending",
                                      r.format(total_min), r.format(capacity)));
        d.help = "lower maxReplicas, lower the requests, or add nodes to the group";
      } else {
        int64_t pods = 0;
        for (const auto& p : parts) pods += p.pods;
        d = ctx.make(&mo,
                     fmt::format("{} pods on `{}` nodes request {} {} but the nodes allocate {}", pods, group,
                                 r.format(total_min), r.name, r.format(capacity)),
                     mreq->node->span(), fmt::format("requested here, x{} replicas", main->pods));
        d.help = "lower the requests, reduce replicas, or add a node to the group";
      }
      size_t listed = 0;
      for (const auto& p : parts) {
        if (listed++ == kMaxContributorsListed) {
          d.notes.push_back(fmt::format("... and {} more workloads", parts.size() - kMaxContributorsListed));
          break;
        }
        d.notes.push_back(
            fmt::format("{} x {} ({} each{})", p.pods, p.w->who, r.format(p.amount), p.w->daemon ? ", DaemonSet" : ""));
        if (p.w != main->w && (p.w->requests.*r.request)->node != nullptr) {
          d.secondary.push_back({(p.w->requests.*r.request)->node->span(), p.w->who});
        }
      }
      if (nodes.size() <= kMaxContributorsListed) {
        for (uint32_t n : nodes) {
          const auto& node = g.nodes()[n];
          d.notes.push_back(fmt::format("node {} allocates {} {}", node_desc(node), r.format((node.*r.allocatable).value_or(0)), r.name));
        }
      } else {
        d.notes.push_back(fmt::format("{} nodes allocate {} {} together", nodes.size(), r.format(capacity), r.name));
      }
      d.fingerprint_key = fmt::format("group {} {}", group, r.name);
      ctx.sink.report(std::move(d));
    }
  }
}

void check(const RuleContext& ctx) {
  const auto& g = ctx.graph;
  std::map<uint32_t, uint32_t> hpas;
  hpa_targets(g, hpas);
  std::vector<WorkloadInfo> workloads;
  for (uint32_t i = 0; i < g.objects.size(); ++i) {
    const auto& o = g.objects[i];
    const auto kind = k8s::workload_kind(o);
    if (kind == k8s::WorkloadKind::kNone) continue;
    const auto groups = k8s::pod_groups(o);
    for (const auto& group : groups) {
      WorkloadInfo w;
      w.index = i;
      w.who = support::pods_name(o, group, groups.size());
      if (groups.size() > 1) w.group_key = group.name;
      const yaml::Node* spec = group.spec;
      w.placement = k8s::read_placement(spec);
      w.requests = support::pod_requests(spec);
      // Each group of an operator's resource has its own placement; a built-in workload has the graph's edges.
      w.candidates = kind == k8s::WorkloadKind::kOperator ? support::candidate_nodes(g, w.placement)
                                                          : support::candidate_nodes(g, i);
      w.daemon = kind == k8s::WorkloadKind::kDaemonSet;
      w.replicas = w.max_replicas = group.replicas;
      if (auto it = hpas.find(i); it != hpas.end() && groups.size() == 1) {
        const auto& h = g.objects[it->second];
        w.hpa = &h;
        const auto* min = h.root.at({"spec", "minReplicas"});
        const auto* max = h.root.at({"spec", "maxReplicas"});
        w.replicas = min != nullptr ? min->as_int().value_or(1) : 1;
        w.max_replicas = max != nullptr ? max->as_int().value_or(w.replicas) : w.replicas;
      }
      read_surge(o, w);
      if (w.placement.pinned() && !w.requests.missing_memory.empty()) {
        for (const yaml::Node* c : w.requests.missing_memory) {
          auto d =
              ctx.make_lesser(&o, fmt::format("container `{}` of pinned {} has no memory request", c->str(), w.who),
                              c->span(), "no resources.requests.memory");
          d.notes.push_back(
              "whether the workload fits its nodes cannot be judged, and the scheduler will not reserve memory for it");
          d.help = "set resources.requests.memory (and a limit) for this container";
          d.fingerprint_key = fingerprint(w, fmt::format("no memory {}", c->str()));
          ctx.sink.report(std::move(d));
        }
      }
      workloads.push_back(std::move(w));
    }
  }
  if (!g.has_inventory()) return;
  Flagged flagged;
  for (const auto& w : workloads) check_single_pod(ctx, w, flagged);
  check_groups(ctx, workloads, flagged);
}

const Registrar kRegistrar{RuleInfo{
    .id = "requests-fit",
    .category = "capacity",
    .default_severity = Severity::kError,
    .summary = "pod requests exceed what the nodes a workload can run on allocate",
    .options = {{std::string(kSurgeOption), "true",
                 "count the extra pods a Deployment's rolling update starts (maxSurge) against its node group"}},
    .check = check,
}};

}  // namespace
}  // namespace gl::rules
