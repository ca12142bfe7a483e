// Node declarations in cluster tools' own YAML: kubeadm InitConfiguration/JoinConfiguration, eksctl ClusterConfig
// node groups, Karpenter NodePool (and the older Provisioner).
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/strings.h"
#include "k8s/infra/facts.h"
#include "yaml/parser.h"

namespace gl::k8s::infra::detail {
namespace {

bool yaml_file(std::string_view p) {
  return p.size() > 5 && (p.substr(p.size() - 5) == ".yaml" || p.substr(p.size() - 4) == ".yml");
}

/// Adds the taints of a list of {key, value, effect} (Kubernetes, kubeadm, Karpenter, eksctl) or of an eksctl map
/// `key: "value:Effect"`.
void add_taint_nodes(const yaml::Node* taints, NodeDecl& d, Sink& sink) {
  if (taints == nullptr) return;
  if (taints->is_map()) {
    for (size_t i = 0; i < taints->keys().size(); ++i) {
      const std::string spec = fmt::format("{}={}", taints->keys()[i].str(), taints->items()[i].str());
      auto t = parse_taint_spec(spec);
      if (!t || t->removal) {
        sink.note(taints->items()[i].span(), fmt::format("`{}` is not a valid taint; it is skipped", spec));
        continue;
      }
      d.facts.push_back(taint_fact(t->key, t->value, t->effect, taints->keys()[i].span()));
    }
    return;
  }
  if (!taints->is_seq()) return;
  for (const auto& t : taints->items()) {
    const yaml::Node* key = t.get("key");
    const yaml::Node* effect = t.get("effect");
    const yaml::Node* value = t.get("value");
    const std::string eff = effect != nullptr ? normalize_effect(effect->str()) : "";
    if (key == nullptr || key->str().empty() || eff.empty() || unresolved(key->str())) {
      sink.note(t.span(), "a taint without a valid `key` and `effect` is skipped");
      continue;
    }
    d.facts.push_back(
        taint_fact(std::string(key->str()), value != nullptr ? std::string(value->str()) : "", eff, key->span()));
  }
}

void add_label_nodes(const yaml::Node* labels, NodeDecl& d, Sink& sink) {
  if (labels == nullptr || !labels->is_map()) return;
  for (size_t i = 0; i < labels->keys().size(); ++i) {
    const std::string_view k = labels->keys()[i].str();
    const std::string_view v = labels->items()[i].str();
    if (!valid_label_key(k) || !valid_label_value(v) || unresolved(k) || unresolved(v)) {
      sink.note(labels->keys()[i].span(), fmt::format("`{}={}` is not a valid node label; it is skipped", k, v));
      continue;
    }
    d.facts.push_back(label_fact(std::string(k), std::string(v), labels->keys()[i].span()));
  }
}

void kubeadm(const yaml::Node& root, std::string_view kind, Sink& sink) {
  const yaml::Node* reg = root.get("nodeRegistration");
  const yaml::Node* name = reg != nullptr ? reg->get("name") : nullptr;
  const yaml::Node* kind_node = root.get("kind");
  if (name == nullptr || name->str().empty() || unresolved(name->str())) {
    sink.note(
        kind_node != nullptr ? kind_node->span() : root.span(),
        fmt::format("kubeadm {} sets no `nodeRegistration.name` (the node takes its host name); it is not read", kind));
    return;
  }
  NodeDecl& d = sink.add(std::string(name->str()), fmt::format("kubeadm {}", kind), Rank::kDeclaration, name->span());
  const bool control_plane = kind == "InitConfiguration" || root.get("controlPlane") != nullptr;
  const yaml::Node* taints = reg->get("taints");
  if (control_plane) {
    // kubeadm marks control-plane nodes (phase mark-control-plane): these labels, and this taint unless `taints` is
    // given (an empty list means none).
    const Span at = kind_node != nullptr ? kind_node->span() : name->span();
    d.facts.push_back(label_fact("node-role.kubernetes.io/control-plane", "", at));
    d.facts.push_back(label_fact("node.kubernetes.io/exclude-from-external-load-balancers", "", at));
    if (taints == nullptr || taints->is_null()) {
      d.facts.push_back(taint_fact("node-role.kubernetes.io/control-plane", "", "NoSchedule", at));
    }
  }
  add_taint_nodes(taints, d, sink);
  const yaml::Node* args = reg->get("kubeletExtraArgs");
  if (args == nullptr) return;
  auto flag = [&](std::string_view n, const yaml::Node& value) {
    if (n == "node-labels") add_label_list(Text::from_yaml(value), d, sink);
    if (n == "register-with-taints") add_taint_list(Text::from_yaml(value), d, sink);
  };
  if (args->is_map()) {  // v1beta3: a map
    for (size_t i = 0; i < args->keys().size(); ++i) flag(args->keys()[i].str(), args->items()[i]);
  } else if (args->is_seq()) {  // v1beta4: a list of {name, value}
    for (const auto& a : args->items()) {
      const yaml::Node* n = a.get("name");
      const yaml::Node* v = a.get("value");
      if (n != nullptr && v != nullptr) flag(n->str(), *v);
    }
  }
}

void eksctl(const yaml::Node& root, Sink& sink) {
  for (std::string_view list : {std::string_view("nodeGroups"), std::string_view("managedNodeGroups")}) {
    const yaml::Node* groups = root.get(list);
    if (groups == nullptr || !groups->is_seq()) continue;
    const bool managed = list == "managedNodeGroups";
    for (const auto& g : groups->items()) {
      const yaml::Node* name = g.get("name");
      if (name == nullptr || name->str().empty()) {
        sink.note(g.span(), fmt::format("an eksctl {} entry has no `name`; it is skipped", list));
        continue;
      }
      const std::string n(name->str());
      NodeDecl& d = sink.add(n, fmt::format("eksctl {} {}", managed ? "managedNodeGroup" : "nodeGroup", n),
                             Rank::kDeclaration, name->span());
      d.facts.push_back(label_fact("alpha.eksctl.io/nodegroup-name", n, name->span()));
      if (managed) d.facts.push_back(label_fact("eks.amazonaws.com/nodegroup", n, name->span()));
      // Size: desiredCapacity, else minSize, else eksctl's default of 2.
      const yaml::Node* size = g.get("desiredCapacity");
      if (size == nullptr) size = g.get("minSize");
      if (size != nullptr && size->as_int() && *size->as_int() >= 0) {
        d.count = *size->as_int();
        d.facts.push_back(count_fact(d.count, size->span()));
      } else {
        d.count = 2;
        d.facts.push_back(count_fact(2, name->span()));
      }
      std::vector<const yaml::Node*> types;
      if (const yaml::Node* t = g.get("instanceType"); t != nullptr && t->is_scalar() && t->str() != "mixed") {
        types.push_back(t);
      }
      for (const yaml::Node* list_node : {g.get("instanceTypes"), g.at({"instancesDistribution", "instanceTypes"})}) {
        if (list_node == nullptr || !list_node->is_seq()) continue;
        for (const auto& t : list_node->items()) types.push_back(&t);
      }
      for (const yaml::Node* t : types) {
        d.instance_types.emplace_back(t->str());
        d.facts.push_back(instance_type_fact(std::string(t->str()), t->span()));
      }
      if (types.empty()) {
        d.instance_types.emplace_back("m5.large");
        d.facts.push_back(instance_type_fact("m5.large", name->span()));
        sink.note(name->span(), fmt::format("eksctl node group `{}` sets no instance type; eksctl uses `m5.large`", n));
      }
      add_label_nodes(g.get("labels"), d, sink);
      add_taint_nodes(g.get("taints"), d, sink);
    }
  }
}

void karpenter(const yaml::Node& root, std::string_view kind, Sink& sink) {
  const yaml::Node* name = root.at({"metadata", "name"});
  if (name == nullptr || name->str().empty()) return;
  const std::string n(name->str());
  NodeDecl& d = sink.add(n, fmt::format("karpenter {} {}", kind, n), Rank::kDeclaration, name->span());
  d.autoscaled = true;
  const bool old = kind == "Provisioner";
  d.facts.push_back(label_fact(old ? "karpenter.sh/provisioner-name" : "karpenter.sh/nodepool", n, name->span()));
  const yaml::Node* spec = old ? root.get("spec") : root.at({"spec", "template", "spec"});
  const yaml::Node* labels = old ? root.at({"spec", "labels"}) : root.at({"spec", "template", "metadata", "labels"});
  const yaml::Node* reqs = spec != nullptr ? spec->get("requirements") : nullptr;
  bool typed = false;
  if (reqs != nullptr && reqs->is_seq()) {
    for (const auto& r : reqs->items()) {
      const yaml::Node* key = r.get("key");
      const yaml::Node* op = r.get("operator");
      const yaml::Node* values = r.get("values");
      if (key == nullptr || op == nullptr || op->str() != "In" || values == nullptr || !values->is_seq()) continue;
      if (key->str() == "node.kubernetes.io/instance-type" || key->str() == "beta.kubernetes.io/instance-type") {
        typed = true;
        for (const auto& v : values->items()) {
          d.instance_types.emplace_back(v.str());
          d.facts.push_back(instance_type_fact(std::string(v.str()), v.span()));
        }
      } else if (values->items().size() == 1 && valid_label_key(key->str()) &&
                 valid_label_value(values->items()[0].str())) {
        // A requirement with one value becomes a label of every node Karpenter launches.
        d.facts.push_back(
            label_fact(std::string(key->str()), std::string(values->items()[0].str()), values->items()[0].span()));
      }
    }
  }
  if (!typed) {
    sink.note(name->span(), fmt::format("karpenter {} `{}` does not list its instance types (a requirement on "
                                        "`node.kubernetes.io/instance-type` with `In`); its size is not known",
                                        kind, n));
  }
  add_label_nodes(labels, d, sink);
  add_taint_nodes(spec != nullptr ? spec->get("taints") : nullptr, d, sink);
}

}  // namespace

void read_kube_configs(const Repo& repo, Sink& sink) {
  for (const auto& p : repo.paths) {
    if (!yaml_file(p)) continue;
    const SourceFile* f = repo.load(p);
    if (f == nullptr) continue;
    const std::string& text = f->text();
    if (text.find("kubeadm.k8s.io") == std::string::npos && text.find("eksctl.io") == std::string::npos &&
        text.find("karpenter.sh") == std::string::npos) {
      continue;
    }
    auto parsed = yaml::parse(*f);
    for (const auto& doc : parsed.documents) {
      const yaml::Node& root = doc.root;
      if (!root.is_map()) continue;
      const yaml::Node* api = root.get("apiVersion");
      const yaml::Node* kind = root.get("kind");
      if (api == nullptr || kind == nullptr) continue;
      const std::string_view group = api->str().substr(0, api->str().find('/'));
      const std::string_view k = kind->str();
      if (group == "kubeadm.k8s.io" && (k == "InitConfiguration" || k == "JoinConfiguration")) {
        kubeadm(root, k, sink);
      } else if (group == "eksctl.io" && k == "ClusterConfig") {
        eksctl(root, sink);
      } else if (group == "karpenter.sh" && (k == "NodePool" || k == "Provisioner")) {
        karpenter(root, k, sink);
      }
    }
  }
}

}  // namespace gl::k8s::infra::detail
