// node-pinning: every workload is pinned to nodes that exist and that it tolerates.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "k8s/selector.h"
#include "rules/rule.h"
#include "rules/support/scheduling.h"

namespace gl::rules {
namespace {

constexpr size_t kMaxSecondary = 3;
constexpr size_t kMaxValuesListed = 8;

std::string selector_text(const k8s::Placement& p) {
  std::string out;
  for (const auto& [k, v] : p.node_selector) out += (out.empty() ? "" : ",") + k + "=" + v;
  std::string terms;
  for (const auto& t : p.required_terms) {
    std::string term;
    for (const auto& e : t.exprs) term += (term.empty() ? "" : ",") + k8s::LabelSelector{{e}}.display();
    for (const auto& f : t.fields) term += (term.empty() ? "" : ",") + k8s::LabelSelector{{f}}.display();
    terms += (terms.empty() ? "" : " or ") + term;
  }
  if (!terms.empty()) out += std::string(out.empty() ? "" : " and ") + "affinity " + terms;
  if (!p.node_name.empty()) out += std::string(out.empty() ? "" : " and ") + "nodeName " + p.node_name;
  return out;
}

Span placement_span(const k8s::Placement& p, const k8s::Object& o) {
  if (p.node_selector_node != nullptr) return p.node_selector_node->span();
  if (p.affinity_node != nullptr) return p.affinity_node->span();
  return o.anchor().span();
}

/// The values nodes of the inventory carry for a label key.
std::set<std::string, std::less<>> label_values(const graph::Graph& g, std::string_view key) {
  std::set<std::string, std::less<>> values;
  for (const auto& n : g.nodes()) {
    if (auto it = n.labels.find(key); it != n.labels.end()) values.insert(it->second);
  }
  return values;
}

/// Which values the inventory has for the selector's keys, to help spot a typo.
std::vector<std::string> known_values(const graph::Graph& g, const k8s::Placement& p) {
  std::vector<std::string> notes;
  for (const auto& [key, value] : p.node_selector) {
    const auto values = label_values(g, key);
    if (values.count(value) != 0) continue;
    if (values.empty()) {
      notes.push_back(fmt::format("no node has a label `{}`", key));
      continue;
    }
    std::string list;
    size_t shown = 0;
    for (const auto& v : values) {
      if (shown++ == kMaxValuesListed) {
        list += ", ...";
        break;
      }
      list += (list.empty() ? "`" : ", `") + v + "`";
    }
    notes.push_back(fmt::format("nodes have `{}` values {}", key, list));
  }
  return notes;
}

/// Checks one group of pods of workload `i`.
void check_group(const RuleContext& ctx, uint32_t i, const k8s::PodGroup& group, size_t groups) {
  const auto& g = ctx.graph;
  const auto& o = g.objects[i];
  const auto kind = k8s::workload_kind(o);
  const yaml::Node* spec = group.spec;
  if (spec == nullptr) return;
  const k8s::Placement p = k8s::read_placement(spec);
  const bool daemon = kind == k8s::WorkloadKind::kDaemonSet;
  const bool custom = kind == k8s::WorkloadKind::kOperator;
  const std::string who = support::pods_name(o, group, groups);
  if (!p.pinned()) {
    if (daemon) {
      // A DaemonSet without a selector runs on every node that it tolerates; checked below.
    } else {
      auto d = ctx.make(&o, fmt::format("{} is not pinned to any node", who), o.anchor().span(),
                        "no nodeSelector or required node affinity");
      d.notes.push_back("the scheduler may put its pods on any node, next to the workloads each node was sized for");
      if (custom) {
        d.notes.push_back(
            fmt::format("its operator creates {} pod(s) from it; gitops-lint reads their placement "
                        "from the fields listed for `{}` in rules/operator-pods.yaml",
                        group.replicas, o.kind));
      }
      d.help = "add a nodeSelector (or required node affinity) for the node group this workload is meant for";
      ctx.sink.report(std::move(d));
      return;
    }
  }
  if (!g.has_inventory()) return;
  const auto cands = custom ? support::candidate_nodes(g, p) : support::candidate_nodes(g, i);
  if (cands.admitted.empty()) {
    // Point at the label no node carries, when one entry alone explains it (usually a typo).
    Span span = placement_span(p, o);
    std::string label = "matches no node";
    if (const yaml::Node* sel = p.node_selector_node; sel != nullptr && sel->is_map()) {
      for (size_t k = 0; k < sel->keys().size(); ++k) {
        const std::string_view key = sel->keys()[k].value();
        const std::string_view value = sel->items()[k].value();
        if (label_values(g, key).count(value) == 0) {
          span = Span{sel->keys()[k].file, sel->keys()[k].begin, sel->items()[k].end};
          label = fmt::format("no node has `{}={}`", key, value);
          break;
        }
      }
    }
    auto d =
        ctx.make(&o, fmt::format("node selection of {} (`{}`) matches no node in the inventory", who, selector_text(p)),
                 span, label);
    // The closest node: one that has the key with another value, at the line that labels it (nodes read
    // from infrastructure code know that line: a Terraform locals entry, an Ansible `kubectl label` task).
    if (const yaml::Node* sel = p.node_selector_node; sel != nullptr && sel->is_map()) {
      for (size_t k = 0; k < sel->keys().size(); ++k) {
        const std::string_view key = sel->keys()[k].value();
        const std::string_view value = sel->items()[k].value();
        if (label_values(g, key).count(value) != 0) continue;
        for (const auto& node : g.nodes()) {
          auto lo = node.label_origins.find(key);
          auto lv = node.labels.find(key);
          if (lo == node.label_origins.end() || lv == node.labels.end()) continue;
          d.secondary.push_back(
              {lo->second, fmt::format("node `{}` is labelled `{}={}` here", node.name, key, lv->second)});
          break;
        }
        break;
      }
    }
    d.notes = known_values(g, p);
    d.help = "fix the selector, or add nodes with these labels to the inventory";
    ctx.sink.report(std::move(d));
    return;
  }
  if (!cands.schedulable.empty()) return;
  // Every admitted node repels the pod (taint not tolerated) or is cordoned.
  std::set<std::string> taints;
  for (uint32_t n : cands.admitted) {
    for (const auto& t : g.nodes()[n].taints) {
      if ((t.effect == "NoSchedule" || t.effect == "NoExecute") && !t.tolerated_by(p.tolerations))
        taints.insert(t.display());
    }
  }
  std::string taint_list;
  for (const auto& t : taints) taint_list += (taint_list.empty() ? "`" : ", `") + t + "`";
  const yaml::Node* tol = spec->get("tolerations");
  std::string message =
      taints.empty() ? fmt::format("every node {} can run on is cordoned (unschedulable)", who)
                     : fmt::format("{} can only run on nodes tainted {} and does not tolerate it", who, taint_list);
  auto d = ctx.make(&o, std::move(message), tol != nullptr ? tol->span() : placement_span(p, o),
                    tol != nullptr   ? "these tolerations do not match"
                    : taints.empty() ? "selects only cordoned nodes"
                                     : "selects only tainted nodes");
  for (size_t k = 0; k < cands.admitted.size() && k < kMaxSecondary; ++k) {
    const auto& node = g.nodes()[cands.admitted[k]];
    if (node.origin.valid()) d.secondary.push_back({node.origin, fmt::format("node `{}`", node.name)});
  }
  d.notes.push_back(cands.admitted.size() == 1
                        ? std::string("1 node matches the selection and it does not accept the pod")
                        : fmt::format("{} nodes match the selection; none accepts the pod", cands.admitted.size()));
  d.help = taints.empty() ? "uncordon a node or pin the workload elsewhere"
                          : fmt::format("add a toleration for {}, or pin the workload to other nodes", taint_list);
  ctx.sink.report(std::move(d));
}

void check(const RuleContext& ctx) {
  const auto& g = ctx.graph;
  bool any_workload = false;
  for (uint32_t i = 0; i < g.objects.size(); ++i) {
    const auto& o = g.objects[i];
    if (!k8s::is_workload(o)) continue;
    any_workload = true;
    const auto groups = k8s::pod_groups(o);
    for (const auto& group : groups) check_group(ctx, i, group, groups.size());
  }
  if (any_workload && !g.has_inventory()) {
    diag::Diagnostic d = ctx.make(nullptr, "no node inventory: only the missing-pinning check ran", Span{});
    d.severity = Severity::kNote;
    d.notes.push_back("no `kind: Node` objects in the repository and no `inventory.nodeGroups` in .gitops-lint.yaml");
    d.help = "commit `kubectl get nodes -o yaml` output, or describe node groups in .gitops-lint.yaml";
    ctx.sink.report(std::move(d));
  }
}

const Registrar kRegistrar{RuleInfo{
    .id = "node-pinning",
    .category = "scheduling",
    .default_severity = Severity::kError,
    .summary = "a workload is not pinned to a node group, or its pinning matches no node it can run on",
    .options = {},
    .check = check,
}};

}  // namespace
}  // namespace gl::rules
