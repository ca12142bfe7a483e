// netpol-egress: a workload whose egress NetworkPolicy isolates it can still reach its datastores and the cluster DNS.
#include <fmt/format.h>

#include <map>
#include <set>
#include <utility>

#include "k8s/selector.h"
#include "rules/rule.h"
#include "rules/support/netpol.h"

namespace gl::rules {
namespace {

constexpr std::string_view kWarnUnrestricted = "warnUnrestricted";
constexpr int kAnyPort = -1;

using PolicyList = std::vector<const support::NetworkPolicy*>;

std::string who(const k8s::Object& o) { return o.name_space + "/" + o.name; }

std::string policy_names(const PolicyList& policies) {
  std::string out;
  for (const auto* p : policies) out += (out.empty() ? "`" : ", `") + p->object->name + "`";
  return out;
}

std::string labels_text(const k8s::Labels& labels) { return k8s::selector_from_map(labels).display(); }

/// How a help text names a pod port: "5432", "`amqp`", "53/UDP".
std::string port_for_help(const support::PodPort& p) {
  std::string out = p.number ? std::to_string(*p.number) : "`" + p.name.value_or(std::string()) + "`";
  if (p.protocol != "TCP") out += "/" + p.protocol;
  return out;
}

std::string talk_label(const graph::Edge& e) {
  return e.detail.empty() ? std::string("connects here") : fmt::format("named in `{}`", e.detail);
}

void add_policy_spans(diag::Diagnostic& d, const PolicyList& policies, const k8s::Object& w, size_t skip = 0) {
  for (size_t k = skip; k < policies.size(); ++k) {
    d.secondary.push_back({policies[k]->object->anchor().span(), fmt::format("egress policy selecting `{}`", who(w))});
  }
}

void report_unrestricted(const RuleContext& ctx, const support::NetpolIndex& index, const k8s::Object& w,
                         const graph::Edge& edge, std::string_view kind, const std::string& dest,
                         const support::ServiceTarget& target) {
  const auto& svc = ctx.graph.objects[edge.to];
  auto d = ctx.make_lesser(&w, fmt::format("`{}` talks to {} {} but no egress policy restricts it", who(w), kind, dest),
                           edge.evidence, talk_label(edge));
  d.secondary.push_back({svc.anchor().span(), fmt::format("{} service", kind)});
  d.notes.push_back(fmt::format(
      "no NetworkPolicy with `Egress` in its policyTypes selects the pods of `{}`: they may connect anywhere", who(w)));
  bool any_policy = false;
  for (const auto& np : index.policies()) any_policy = any_policy || np.object->name_space == w.name_space;
  if (!any_policy) d.notes.push_back(fmt::format("namespace `{}` has no NetworkPolicy", w.name_space));
  d.help = fmt::format("add an egress NetworkPolicy for `{}` allowing `{}` pods `{}` on port {} and DNS", who(w),
                       svc.name_space, labels_text(k8s::read_string_map(svc.root.at({"spec", "selector"}))),
                       port_for_help(target.dst.port));
  d.fingerprint_key = fmt::format("unrestricted {} -> {}:{}", who(w), who(svc), edge.port.value_or(kAnyPort));
  ctx.sink.report(std::move(d));
}

void check_datastore(const RuleContext& ctx, const support::NetpolIndex& index, const k8s::Object& w,
                     const graph::Edge& edge, std::string_view kind, const PolicyList& policies) {
  const auto& g = ctx.graph;
  const auto& svc = g.objects[edge.to];
  const auto targets = support::service_targets(g, index, edge.to, edge.port);
  if (targets.empty()) return;  // no selector or no such port: the pods cannot be named
  const std::string dest =
      fmt::format("`{}{}`", who(svc), edge.port ? ":" + std::to_string(*edge.port) : std::string());
  if (policies.empty()) {
    if (ctx.options.get_bool(kWarnUnrestricted, true))
      report_unrestricted(ctx, index, w, edge, kind, dest, targets.front());
    return;
  }
  // With no port named, any one Service port the policies fully admit is enough.
  std::map<int, bool> port_ok;
  const support::ServiceTarget* failed = nullptr;
  support::Verdict failed_verdict;
  for (const auto& t : targets) {
    const auto v = support::evaluate_egress(policies, t.dst);
    bool& ok = port_ok.try_emplace(t.service_port, true).first->second;
    ok = ok && v.allowed;
    if (!v.allowed && failed == nullptr) {
      failed = &t;
      failed_verdict = v;
    }
  }
  for (const auto& [port, ok] : port_ok) {
    if (ok) return;
  }
  const auto& t = *failed;
  auto d = ctx.make(&w,
                    fmt::format("`{}` talks to {} {} but its egress {} not allow it", who(w), kind, dest,
                                policies.size() == 1 ? "policy does" : "policies do"),
                    edge.evidence, talk_label(edge));
  d.secondary.push_back({svc.anchor().span(), fmt::format("{} service", kind)});
  add_policy_spans(d, policies, w);
  d.notes.push_back(fmt::format("egress {} selecting `{}`: {}", policies.size() == 1 ? "policy" : "policies", who(w),
                                policy_names(policies)));
  const std::string pods = t.workload != nullptr ? fmt::format("{} `{}`", t.workload->kind, who(*t.workload))
                                                 : fmt::format("Service `{}`", who(svc));
  if (failed_verdict.peer_allowed) {
    d.notes.push_back(fmt::format("a rule admits the pods of {} but not their port {}", pods, t.dst.port.display()));
  } else {
    d.notes.push_back(fmt::format("no egress rule's `to` matches the pods of {} (labels `{}` in namespace `{}`)", pods,
                                  labels_text(t.dst.pod_labels), t.dst.name_space));
  }
  if (!t.dst.port.number || *t.dst.port.number != t.service_port) {
    d.notes.push_back(fmt::format("service port {} forwards to pod port {}; a policy must name the pod port",
                                  t.service_port, t.dst.port.display()));
  }
  if (t.workload == nullptr) {
    d.notes.push_back(fmt::format("the pods of `{}` are not in the repository: judged by its selector", who(svc)));
  }
  for (const auto* p : policies) {
    if (p->has_ip_block) {
      d.notes.push_back("`ipBlock` peers are counted as admitting every pod (pod IPs cannot be resolved offline)");
      break;
    }
  }
  d.help = fmt::format("add an egress rule to `{}` pods `{}` on port {}", svc.name_space,
                       labels_text(k8s::read_string_map(svc.root.at({"spec", "selector"}))), port_for_help(t.dst.port));
  d.fingerprint_key = fmt::format("{} -> {}:{}", who(w), who(svc), edge.port.value_or(kAnyPort));
  ctx.sink.report(std::move(d));
}

/// The first place the workload names a peer by DNS: evidence span and what names it.
struct NamedPeer {
  Span span;
  std::string what;
};

void check_dns(const RuleContext& ctx, const support::NetpolIndex& index, const k8s::Object& w,
               const PolicyList& policies, const NamedPeer& peer) {
  for (const auto& dst : support::dns_destinations(index)) {
    if (support::evaluate_egress(policies, dst).allowed) return;
  }
  const auto* first = policies.front();
  const Span at = first->egress_anchor != nullptr ? first->egress_anchor->span() : first->object->anchor().span();
  std::string message =
      policies.size() == 1
          ? fmt::format("egress policy `{}` selects `{}` but allows no DNS (port 53)", first->object->name, who(w))
          : fmt::format("egress policies {} select `{}` but allow no DNS (port 53)", policy_names(policies), who(w));
  auto d = ctx.make(&w, std::move(message), at, "isolates egress");
  add_policy_spans(d, policies, w, 1);
  d.secondary.push_back({peer.span, "a name to resolve"});
  d.notes.push_back(
      fmt::format("`{}` connects by DNS name ({}), so its pods must reach the cluster DNS", who(w), peer.what));
  d.notes.push_back(
      "DNS counts as allowed when a rule admits UDP or TCP port 53 to every destination, to an `ipBlock`, or to "
      "`kube-system` pods `k8s-app=kube-dns`");
  d.help = "add an egress rule to `kube-system` pods `k8s-app=kube-dns` on UDP and TCP port 53";
  d.fingerprint_key = fmt::format("dns {}", who(w));
  ctx.sink.report(std::move(d));
}

void check(const RuleContext& ctx) {
  const auto& g = ctx.graph;
  const support::NetpolIndex index(g);
  std::map<uint32_t, const graph::UnresolvedTalk*> unresolved;
  for (const auto& u : g.unresolved_talks) unresolved.emplace(u.from, &u);
  for (uint32_t i = 0; i < g.objects.size(); ++i) {
    const auto& w = g.objects[i];
    if (!k8s::is_workload(w)) continue;
    const PolicyList policies = index.egress_policies_for(i);
    std::optional<NamedPeer> named;
    std::set<std::pair<uint32_t, int>> seen;
    for (uint32_t e : g.out_edges(i)) {
      const auto& edge = g.edges[e];
      if (edge.kind != graph::EdgeKind::kTalksTo) continue;
      if (!named)
        named = NamedPeer{edge.evidence, fmt::format("`{}` names `{}`", edge.detail, who(g.objects[edge.to]))};
      const auto kind = g.datastore_kind(edge.to);
      if (!kind || !seen.emplace(edge.to, edge.port.value_or(kAnyPort)).second) continue;
      check_datastore(ctx, index, w, edge, *kind, policies);
    }
    if (auto it = unresolved.find(i); !named && it != unresolved.end()) {
      named = NamedPeer{it->second->evidence, fmt::format("`{}` names `{}`", it->second->detail, it->second->host)};
    }
    if (named && !policies.empty()) check_dns(ctx, index, w, policies, *named);
  }
}

const Registrar kRegistrar{RuleInfo{
    .id = "netpol-egress",
    .category = "network",
    .default_severity = Severity::kError,
    .summary = "an egress NetworkPolicy blocks a workload from a datastore it talks to, or from DNS",
    .options = {{std::string(kWarnUnrestricted), "true",
                 "also warn when a workload talks to a datastore and no egress policy selects it at all"}},
    .check = check,
}};

}  // namespace
}  // namespace gl::rules
