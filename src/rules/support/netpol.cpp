#include "rules/support/netpol.h"

#include <charconv>

namespace gl::rules::support {
namespace {

constexpr int kDnsPort = 53;

std::optional<int> parse_port_number(const yaml::Node* n) {
  if (n == nullptr || !n->is_scalar() || n->value().empty()) return std::nullopt;
  int v = 0;
  const std::string_view s = n->value();
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string protocol_of(const yaml::Node& n) {
  const auto* p = n.get("protocol");
  return std::string(p != nullptr && p->is_scalar() && !p->value().empty() ? p->value() : std::string_view("TCP"));
}

const yaml::Node* key_node(const yaml::Node* map, std::string_view key) {
  if (map == nullptr || !map->is_map()) return nullptr;
  for (const auto& k : map->keys()) {
    if (k.is_scalar() && k.value() == key) return &k;
  }
  return nullptr;
}

NetpolPeer parse_peer(const yaml::Node& n) {
  NetpolPeer peer;
  peer.node = &n;
  peer.pod_selector = k8s::parse_label_selector(n.get("podSelector"));
  peer.namespace_selector = k8s::parse_label_selector(n.get("namespaceSelector"));
  const auto* ip = n.get("ipBlock");
  peer.ip_block = ip != nullptr && !ip->is_null();
  return peer;
}

NetpolPort parse_port(const yaml::Node& n) {
  NetpolPort port;
  port.node = &n;
  port.protocol = protocol_of(n);
  if (const auto* p = n.get("port"); p != nullptr && p->is_scalar() && !p->value().empty()) {
    port.number = parse_port_number(p);
    if (!port.number) port.name = p->value();
  }
  if (port.number) port.end_port = parse_port_number(n.get("endPort"));
  return port;
}

EgressRule parse_rule(const yaml::Node& n) {
  EgressRule rule;
  rule.node = &n;
  if (const auto* to = n.get("to"); to != nullptr && to->is_seq()) {
    for (const auto& peer : to->items()) rule.to.push_back(parse_peer(peer));
  }
  if (const auto* ports = n.get("ports"); ports != nullptr && ports->is_seq()) {
    for (const auto& p : ports->items()) rule.ports.push_back(parse_port(p));
  }
  return rule;
}

struct ContainerPort {
  std::string name;
  int number = 0;
  std::string protocol;
};

std::vector<ContainerPort> container_ports(const k8s::Object& w) {
  std::vector<ContainerPort> out;
  const yaml::Node* spec = k8s::pod_spec(w);
  if (spec == nullptr) return out;
  for (const char* list : {"containers", "initContainers"}) {
    const auto* cs = spec->get(list);
    if (cs == nullptr || !cs->is_seq()) continue;
    for (const auto& c : cs->items()) {
      const auto* ports = c.get("ports");
      if (ports == nullptr || !ports->is_seq()) continue;
      for (const auto& p : ports->items()) {
        auto number = parse_port_number(p.get("containerPort"));
        if (!number) continue;
        const auto* name = p.get("name");
        const std::string_view port_name = name != nullptr ? name->value() : std::string_view();
        out.push_back(ContainerPort{std::string(port_name), *number, protocol_of(p)});
      }
    }
  }
  return out;
}

/// The pod port a Service port reaches on one workload's pods.
PodPort resolve_pod_port(const std::vector<ContainerPort>& cports, const yaml::Node* target_port, int service_port,
                         const std::string& protocol) {
  PodPort out;
  out.protocol = protocol;
  const bool named = target_port != nullptr && target_port->is_scalar() && !target_port->value().empty() &&
                     !parse_port_number(target_port);
  if (named) {
    out.name = target_port->value();
    for (const auto& c : cports) {
      if (c.name == target_port->value() && c.protocol == protocol) out.number = c.number;
    }
    return out;
  }
  out.number = target_port != nullptr ? parse_port_number(target_port).value_or(service_port) : service_port;
  out.name = std::string();
  for (const auto& c : cports) {
    if (c.number == *out.number && c.protocol == protocol) out.name = c.name;
  }
  return out;
}

}  // namespace

NetworkPolicy parse_network_policy(const k8s::Object& o) {
  NetworkPolicy np;
  np.object = &o;
  const yaml::Node* spec = o.root.get("spec");
  if (spec == nullptr || !spec->is_map()) return np;
  np.pod_selector = k8s::parse_label_selector(spec->get("podSelector")).value_or(k8s::LabelSelector{});
  const yaml::Node* egress = spec->get("egress");
  const bool has_rules = egress != nullptr && egress->is_seq() && egress->size() > 0;
  if (const auto* types = spec->get("policyTypes"); types != nullptr && types->is_seq() && types->size() > 0) {
    for (const auto& t : types->items()) {
      if (t.str() == "Egress") {
        np.isolates_egress = true;
        np.egress_anchor = &t;
      }
    }
  } else {
    // Kubernetes defaults policyTypes to Ingress, plus Egress when the policy has at least one egress rule.
    np.isolates_egress = has_rules;
    np.egress_anchor = key_node(spec, "egress");
  }
  if (has_rules) {
    for (const auto& r : egress->items()) np.egress.push_back(parse_rule(r));
  }
  for (const auto& r : np.egress) {
    for (const auto& p : r.to) np.has_ip_block = np.has_ip_block || p.ip_block;
  }
  return np;
}

std::string PodPort::display() const {
  const bool named = name && !name->empty();
  if (!number) return "`" + name.value_or(std::string()) + "`/" + protocol;
  return std::to_string(*number) + "/" + protocol + (named ? " (`" + *name + "`)" : std::string());
}

bool peer_matches(const NetpolPeer& peer, std::string_view policy_ns, const Destination& dst) {
  if (peer.ip_block) return true;
  if (!peer.pod_selector && !peer.namespace_selector) return false;
  if (peer.namespace_selector) {
    if (!peer.namespace_selector->matches(dst.namespace_labels)) return false;
  } else if (dst.name_space != policy_ns) {
    return false;
  }
  return !peer.pod_selector || peer.pod_selector->matches(dst.pod_labels);
}

bool port_matches(const NetpolPort& p, const PodPort& port) {
  if (p.protocol != port.protocol) return false;
  if (p.number) {
    if (!port.number) return true;
    return *port.number >= *p.number && *port.number <= p.end_port.value_or(*p.number);
  }
  if (!p.name.empty()) {
    if (!port.name) return true;
    return *port.name == p.name;
  }
  return true;
}

Verdict evaluate_egress(const std::vector<const NetworkPolicy*>& policies, const Destination& dst) {
  Verdict v;
  for (const NetworkPolicy* np : policies) {
    if (!np->isolates_egress) continue;
    const std::string_view ns = np->object->name_space;
    for (const auto& rule : np->egress) {
      bool by_selector = rule.to.empty();
      bool by_ip_block = false;
      for (const auto& peer : rule.to) {
        if (!peer_matches(peer, ns, dst)) continue;
        (peer.ip_block ? by_ip_block : by_selector) = true;
      }
      if (!by_selector && !by_ip_block) continue;
      v.peer_allowed = true;
      bool port_ok = rule.ports.empty();
      for (const auto& p : rule.ports) port_ok = port_ok || port_matches(p, dst.port);
      if (!port_ok) continue;
      if (by_selector) {
        v.allowed = true;
        v.via_ip_block = false;
        v.policy = np;
        return v;
      }
      if (!v.allowed) {
        v.allowed = true;
        v.via_ip_block = true;
        v.policy = np;
      }
    }
  }
  return v;
}

NetpolIndex::NetpolIndex(const graph::Graph& g) : g_(g) {
  for (uint32_t i : g.of_kind("NetworkPolicy")) policies_.push_back(parse_network_policy(g.objects[i]));
  for (size_t p = 0; p < policies_.size(); ++p) {
    if (policies_[p].isolates_egress) egress_by_namespace_[policies_[p].object->name_space].push_back(p);
  }
  for (uint32_t i : g.of_kind("Namespace")) {
    const auto& ns = g.objects[i];
    auto& labels = namespace_labels_[ns.name];
    for (const auto& [k, v] : ns.labels) labels[k] = v;
  }
}

std::vector<const NetworkPolicy*> NetpolIndex::egress_policies_for(uint32_t workload) const {
  std::vector<const NetworkPolicy*> out;
  auto it = egress_by_namespace_.find(g_.objects[workload].name_space);
  if (it == egress_by_namespace_.end()) return out;
  const k8s::Labels& labels = g_.pod_labels(workload);
  for (size_t p : it->second) {
    if (policies_[p].pod_selector.matches(labels)) out.push_back(&policies_[p]);
  }
  return out;
}

k8s::Labels NetpolIndex::namespace_labels(std::string_view ns) const {
  k8s::Labels out;
  if (auto it = namespace_labels_.find(ns); it != namespace_labels_.end()) out = it->second;
  out[std::string(kNamespaceNameLabel)] = std::string(ns);
  return out;
}

std::vector<ServiceTarget> service_targets(const graph::Graph& g, const NetpolIndex& index, uint32_t service,
                                           std::optional<int> port) {
  std::vector<ServiceTarget> out;
  const auto& svc = g.objects[service];
  const auto* ports = svc.root.at({"spec", "ports"});
  const k8s::Labels selector = k8s::read_string_map(svc.root.at({"spec", "selector"}));
  if (ports == nullptr || !ports->is_seq() || selector.empty()) return out;
  std::vector<uint32_t> workloads;
  for (uint32_t e : g.out_edges(service)) {
    const auto& edge = g.edges[e];
    if (edge.kind == graph::EdgeKind::kSelects && k8s::is_workload(g.objects[edge.to])) workloads.push_back(edge.to);
  }
  const k8s::Labels ns_labels = index.namespace_labels(svc.name_space);
  for (const auto& p : ports->items()) {
    const auto number = parse_port_number(p.get("port"));
    if (!number || (port && *port != *number)) continue;
    const std::string protocol = protocol_of(p);
    const yaml::Node* target = p.get("targetPort");
    if (target != nullptr && (!target->is_scalar() || target->value().empty())) target = nullptr;
    if (workloads.empty()) {
      ServiceTarget t{nullptr, *number, target, Destination{svc.name_space, selector, ns_labels, {}}};
      t.dst.port = resolve_pod_port({}, target, *number, protocol);
      t.dst.port.name.reset();  // without the pods, a numeric port's name is unknown
      if (target != nullptr && !parse_port_number(target)) t.dst.port.name = target->value();
      out.push_back(std::move(t));
      continue;
    }
    for (uint32_t w : workloads) {
      ServiceTarget t{&g.objects[w], *number, target, Destination{svc.name_space, g.pod_labels(w), ns_labels, {}}};
      t.dst.port = resolve_pod_port(container_ports(g.objects[w]), target, *number, protocol);
      out.push_back(std::move(t));
    }
  }
  return out;
}

std::vector<Destination> dns_destinations(const NetpolIndex& index) {
  const k8s::Labels pods{{"k8s-app", "kube-dns"}};
  const k8s::Labels ns = index.namespace_labels("kube-system");
  return {
      Destination{"kube-system", pods, ns, PodPort{kDnsPort, std::string("dns"), "UDP"}},
      Destination{"kube-system", pods, ns, PodPort{kDnsPort, std::string("dns-tcp"), "TCP"}},
  };
}

}  // namespace gl::rules::support
