#include "k8s/infra/infra.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "k8s/infra/facts.h"

namespace gl::k8s::infra {
namespace {

using detail::NodeDecl;
using detail::Rank;

std::string where(const Span& at) {
  if (!at.valid()) return "an unknown place";
  return fmt::format("{}:{}", at.file->path(), at.begin.line);
}

/// One node's facts as they accumulate, source by source.
struct Acc {
  InfraNode node;
  std::vector<Fact> names;
  std::optional<Fact> type;
  Rank type_rank = Rank::kDeclaration;
  std::optional<Fact> count;
  std::map<std::string, Fact> labels;
  std::map<std::string, Fact> removed_labels;
  std::vector<Fact> taints;
  std::vector<Fact> removed_taints;
};

void apply(const NodeDecl& d, Acc& acc, detail::Sink& sink) {
  InfraNode& n = acc.node;
  if (n.group.empty()) n.group = d.group;
  if (d.is_group()) {
    n.count = d.count;
    n.autoscaled = n.autoscaled || d.autoscaled;
  }
  if (d.instance_types.size() > 1 && n.instance_types.empty()) n.instance_types = d.instance_types;
  for (const Fact& f : d.facts) {
    switch (f.kind) {
      case FactKind::kName:
        if (std::none_of(acc.names.begin(), acc.names.end(), [&](const Fact& x) {
              return x.at.file == f.at.file && x.at.begin == f.at.begin && x.what == f.what;
            })) {
          acc.names.push_back(f);
        }
        break;
      case FactKind::kInstanceType:
        if (d.instance_types.size() > 1) {
          acc.names.push_back(f);  // one of a group's sizes: kept as a source
          break;
        }
        if (!acc.type) {
          acc.type = f;
          acc.type_rank = d.rank;
        } else if (acc.type->key != f.key) {
          // Terraform, eksctl and Karpenter say what is launched; an inventory variable only repeats it.
          const bool wins = d.rank <= acc.type_rank;
          sink.note(f.at, fmt::format("node `{}`: instance type `{}` here differs from `{}` at {}; `{}` is used",
                                      n.name, f.key, acc.type->key, where(acc.type->at), wins ? f.key : acc.type->key));
          if (wins) {
            acc.type = f;
            acc.type_rank = d.rank;
          }
        }
        break;
      case FactKind::kLabel: {
        acc.removed_labels.erase(f.key);
        auto it = acc.labels.find(f.key);
        if (it == acc.labels.end()) {
          acc.labels.emplace(f.key, f);
        } else if (it->second.value != f.value) {
          sink.note(f.at, fmt::format("node `{}`: label `{}` is set to `{}` here after `{}` at {}; the later wins",
                                      n.name, f.key, f.value, it->second.value, where(it->second.at)));
          it->second = f;
        }
        break;
      }
      case FactKind::kLabelRemoved:
        if (acc.labels.erase(f.key) > 0) acc.removed_labels[f.key] = f;
        break;
      case FactKind::kTaint: {
        auto it = std::find_if(acc.taints.begin(), acc.taints.end(),
                               [&](const Fact& t) { return t.key == f.key && t.effect == f.effect; });
        if (it == acc.taints.end()) {
          acc.taints.push_back(f);
        } else if (it->value != f.value) {
          sink.note(f.at, fmt::format("node `{}`: taint `{}:{}` has value `{}` here after `{}` at {}; the later wins",
                                      n.name, f.key, f.effect, f.value, it->value, where(it->at)));
          *it = f;
        }
        break;
      }
      case FactKind::kTaintRemoved: {
        const auto before = acc.taints.size();
        std::erase_if(acc.taints,
                      [&](const Fact& t) { return t.key == f.key && (f.effect.empty() || t.effect == f.effect); });
        if (acc.taints.size() != before) acc.removed_taints.push_back(f);
        break;
      }
      case FactKind::kCount:
        acc.count = f;
        break;
    }
  }
}

InfraNode finish(Acc& acc) {
  InfraNode n = std::move(acc.node);
  for (auto& f : acc.names) n.sources.push_back(f);
  if (acc.type) {
    n.instance_type = acc.type->key;
    n.sources.push_back(*acc.type);
  }
  if (!n.instance_types.empty()) {
    n.instance_type = detail::largest_instance_type(n.instance_types);
    if (n.instance_type.empty()) n.instance_type = n.instance_types.front();
  }
  if (acc.count) n.sources.push_back(*acc.count);
  for (auto& [k, f] : acc.labels) {
    n.labels[k] = f.value;
    n.sources.push_back(f);
  }
  for (auto& f : acc.taints) {
    n.taints.push_back(Taint{f.key, f.value, f.effect});
    n.sources.push_back(f);
  }
  for (auto& [k, f] : acc.removed_labels) n.sources.push_back(f);
  for (auto& f : acc.removed_taints) n.sources.push_back(f);
  return n;
}

}  // namespace

const Fact* InfraNode::label_fact(std::string_view key) const {
  for (const auto& f : sources) {
    if ((f.kind == FactKind::kLabel || f.kind == FactKind::kLabelRemoved) && f.key == key) return &f;
  }
  return nullptr;
}

const Fact* InfraNode::instance_type_fact() const {
  for (const auto& f : sources) {
    if (f.kind == FactKind::kInstanceType && (instance_types.empty() || f.key == instance_type)) return &f;
  }
  return nullptr;
}

Span InfraNode::origin() const {
  for (const auto& f : sources) {
    if (f.kind == FactKind::kName && f.at.valid()) return f.at;
  }
  return sources.empty() ? Span{} : sources.front().at;
}

InfraInventory read_infrastructure(const std::vector<std::string>& paths, const FileLoader& load) {
  std::vector<std::string> sorted = paths;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  const detail::Repo repo{sorted, load};
  detail::Sink sink;
  // Declarations first, then inventories, then tasks: later sources win on labels and taints.
  detail::read_terraform(repo, sink);
  detail::read_kube_configs(repo, sink);
  detail::read_ansible(repo, sink);

  std::map<std::string, Acc> nodes;
  for (const NodeDecl& d : sink.decls) {
    const std::string key = d.is_group() ? "group\x1f" + d.name : d.name;
    auto [it, fresh] = nodes.try_emplace(key);
    if (fresh) it->second.node.name = d.name;
    apply(d, it->second, sink);
  }
  InfraInventory out;
  for (auto& [key, acc] : nodes) out.nodes.push_back(finish(acc));
  std::stable_sort(out.nodes.begin(), out.nodes.end(),
                   [](const InfraNode& a, const InfraNode& b) { return a.name < b.name; });
  out.notes = std::move(sink.notes);
  std::stable_sort(out.notes.begin(), out.notes.end(), [](const Note& a, const Note& b) {
    const std::string pa = a.at.file != nullptr ? a.at.file->path() : "\x7f";
    const std::string pb = b.at.file != nullptr ? b.at.file->path() : "\x7f";
    return std::tie(pa, a.at.begin.line) < std::tie(pb, b.at.begin.line);
  });
  return out;
}

}  // namespace gl::k8s::infra
