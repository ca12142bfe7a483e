#include "k8s/infra/facts.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "core/strings.h"
#include "k8s/inventory.h"

namespace gl::k8s::infra::detail {

void Sink::note(Span at, std::string message) {
  auto key = std::make_tuple(at.file != nullptr ? at.file->path() : std::string(), at.begin.line, message);
  if (!seen_.insert(std::move(key)).second) return;
  notes.push_back(Note{at, std::move(message)});
}

NodeDecl& Sink::add(std::string name, std::string group, Rank rank, Span at) {
  NodeDecl d;
  d.name = std::move(name);
  d.group = std::move(group);
  d.rank = rank;
  d.facts.push_back(name_fact(at));
  decls.push_back(std::move(d));
  return decls.back();
}

std::vector<std::string> Repo::files_in(std::string_view dir, std::string_view suffix) const {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    if (dirname(p) != dir) continue;
    if (p.size() < suffix.size() || std::string_view(p).substr(p.size() - suffix.size()) != suffix) continue;
    out.push_back(p);
  }
  return out;
}

bool Repo::has(std::string_view path) const { return std::binary_search(paths.begin(), paths.end(), path); }

Fact name_fact(Span at) {
  Fact f;
  f.kind = FactKind::kName;
  f.what = "node name";
  f.at = at;
  return f;
}

Fact instance_type_fact(std::string type, Span at) {
  Fact f;
  f.kind = FactKind::kInstanceType;
  f.what = fmt::format("instance type {}", type);
  f.key = std::move(type);
  f.at = at;
  return f;
}

Fact label_fact(std::string key, std::string value, Span at) {
  Fact f;
  f.kind = FactKind::kLabel;
  f.what = fmt::format("label {}={}", key, value);
  f.key = std::move(key);
  f.value = std::move(value);
  f.at = at;
  return f;
}

Fact label_removed_fact(std::string key, Span at) {
  Fact f;
  f.kind = FactKind::kLabelRemoved;
  f.what = fmt::format("label {} removed", key);
  f.key = std::move(key);
  f.at = at;
  return f;
}

Fact taint_fact(std::string key, std::string value, std::string effect, Span at) {
  Fact f;
  f.kind = FactKind::kTaint;
  f.what = value.empty() ? fmt::format("taint {}:{}", key, effect) : fmt::format("taint {}={}:{}", key, value, effect);
  f.key = std::move(key);
  f.value = std::move(value);
  f.effect = std::move(effect);
  f.at = at;
  return f;
}

Fact taint_removed_fact(std::string key, std::string effect, Span at) {
  Fact f;
  f.kind = FactKind::kTaintRemoved;
  f.what = effect.empty() ? fmt::format("taint {} removed", key) : fmt::format("taint {}:{} removed", key, effect);
  f.key = std::move(key);
  f.effect = std::move(effect);
  f.at = at;
  return f;
}

Fact count_fact(int64_t count, Span at) {
  Fact f;
  f.kind = FactKind::kCount;
  f.value = std::to_string(count);
  f.what = fmt::format("count {}", count);
  f.at = at;
  return f;
}

std::string normalize_effect(std::string_view effect) {
  std::string e = to_lower(effect);
  e.erase(std::remove(e.begin(), e.end(), '_'), e.end());
  if (e == "noschedule") return "NoSchedule";
  if (e == "prefernoschedule") return "PreferNoSchedule";
  if (e == "noexecute") return "NoExecute";
  return {};
}

namespace {

bool alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool valid_name_part(std::string_view s) {
  if (s.empty() || s.size() > 63 || !alnum(s.front()) || !alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool valid_dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (auto part : split(s, '.')) {
    if (part.empty() || !alnum(part.front()) || !alnum(part.back())) return false;
    for (char c : part) {
      if (!(alnum(c) && !(c >= 'A' && c <= 'Z')) && c != '-') return false;
    }
  }
  return true;
}

/// The label namespace (DNS prefix) of a key, "" when none.
std::string_view label_prefix(std::string_view key) {
  const size_t slash = key.find('/');
  return slash == std::string_view::npos ? std::string_view() : key.substr(0, slash);
}

bool in_domain(std::string_view prefix, std::string_view domain) {
  return prefix == domain || (prefix.size() > domain.size() && prefix.substr(prefix.size() - domain.size()) == domain &&
                              prefix[prefix.size() - domain.size() - 1] == '.');
}

/// Kubelet refuses to start with --node-labels in the kubernetes.io / k8s.io namespaces except these
/// (k8s.io/kubernetes pkg/kubelet/apis/well_known_labels.go, kubelet --node-labels validation).
bool kubelet_may_set(std::string_view key) {
  static const std::vector<std::string_view> kAllowed = {"kubernetes.io/hostname",
                                                         "topology.kubernetes.io/zone",
                                                         "topology.kubernetes.io/region",
                                                         "failure-domain.beta.kubernetes.io/zone",
                                                         "failure-domain.beta.kubernetes.io/region",
                                                         "beta.kubernetes.io/instance-type",
                                                         "node.kubernetes.io/instance-type",
                                                         "kubernetes.io/os",
                                                         "kubernetes.io/arch",
                                                         "beta.kubernetes.io/os",
                                                         "beta.kubernetes.io/arch"};
  const std::string_view prefix = label_prefix(key);
  if (!in_domain(prefix, "kubernetes.io") && !in_domain(prefix, "k8s.io")) return true;
  if (std::find(kAllowed.begin(), kAllowed.end(), key) != kAllowed.end()) return true;
  return in_domain(prefix, "kubelet.kubernetes.io") || in_domain(prefix, "node.kubernetes.io");
}

}  // namespace

bool valid_label_key(std::string_view key) {
  const size_t slash = key.find('/');
  if (slash == std::string_view::npos) return valid_name_part(key);
  return valid_dns_subdomain(key.substr(0, slash)) && valid_name_part(key.substr(slash + 1));
}

bool valid_label_value(std::string_view value) { return value.empty() || valid_name_part(value); }

bool unresolved(std::string_view text) {
  return text.find("${") != std::string_view::npos || text.find("{{") != std::string_view::npos ||
         text.find("%{") != std::string_view::npos;
}

/// Calls `fn(token, span)` for each non-blank item of a comma-separated list (`k=v,k2=v2`), items trimmed.
template <typename Fn>
void for_each_item(const Text& list, Fn fn) {
  const std::string& s = list.str();
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    size_t b = i;
    size_t e = j;
    while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
    if (b < e) fn(std::string_view(s.data() + b, e - b), list.span(b, e));
    i = j + 1;
  }
}

void add_label_list(const Text& list, NodeDecl& d, Sink& sink) {
  for_each_item(list, [&](std::string_view token, const Span& at) {
    const size_t eq = token.find('=');
    if (unresolved(token)) {
      sink.note(at, fmt::format("label `{}` of node `{}` is not resolved; it is skipped", token, d.name));
    } else if (eq == std::string_view::npos || !valid_label_key(token.substr(0, eq)) ||
               !valid_label_value(token.substr(eq + 1))) {
      sink.note(at, fmt::format("`{}` is not a valid node label `key=value`; it is skipped", token));
    } else {
      d.facts.push_back(label_fact(std::string(token.substr(0, eq)), std::string(token.substr(eq + 1)), at));
    }
  });
}

std::optional<TaintSpec> parse_taint_spec(std::string_view spec) {
  TaintSpec t;
  if (!spec.empty() && spec.back() == '-') {
    t.removal = true;
    spec.remove_suffix(1);
  }
  const size_t colon = spec.rfind(':');
  std::string_view kv = spec;
  if (colon != std::string_view::npos) {
    t.effect = normalize_effect(spec.substr(colon + 1));
    if (t.effect.empty()) return std::nullopt;
    kv = spec.substr(0, colon);
  } else if (!t.removal) {
    return std::nullopt;
  }
  const size_t eq = kv.find('=');
  t.key = std::string(kv.substr(0, eq));
  if (eq != std::string_view::npos) t.value = std::string(kv.substr(eq + 1));
  if (!valid_label_key(t.key) || !valid_label_value(t.value)) return std::nullopt;
  return t;
}

void add_taint_list(const Text& list, NodeDecl& d, Sink& sink) {
  for_each_item(list, [&](std::string_view token, const Span& at) {
    auto t = unresolved(token) ? std::nullopt : parse_taint_spec(token);
    if (unresolved(token)) {
      sink.note(at, fmt::format("taint `{}` of node `{}` is not resolved; it is skipped", token, d.name));
    } else if (!t || t->removal) {
      sink.note(at, fmt::format("`{}` is not a valid taint `key=value:Effect`; it is skipped", token));
    } else {
      d.facts.push_back(taint_fact(t->key, t->value, t->effect, at));
    }
  });
}

bool mentions_kubelet_args(std::string_view text) {
  return text.find("--node-labels") != std::string_view::npos ||
         text.find("--register-with-taints") != std::string_view::npos;
}

bool scan_kubelet_args(const Text& text, NodeDecl& d, Sink& sink) {
  const std::string& s = text.str();
  bool found = false;
  for (std::string_view flag : {std::string_view("--node-labels"), std::string_view("--register-with-taints")}) {
    size_t at = 0;
    while ((at = s.find(flag, at)) != std::string::npos) {
      size_t p = at + flag.size();
      at = p;
      if (p < s.size() && (alnum(s[p]) || s[p] == '-')) continue;  // a longer flag name
      if (p < s.size() && s[p] == '=') {
        ++p;
      } else {
        while (p < s.size() && s[p] == ' ') ++p;
      }
      char quote = 0;
      if (p < s.size() && (s[p] == '"' || s[p] == '\'')) quote = s[p++];
      size_t e = p;
      while (e < s.size()) {
        const char c = s[e];
        if (quote != 0
                ? c == quote
                : (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == ';' || c == '\\')) {
          break;
        }
        ++e;
      }
      found = true;
      const Text value = text.slice(p, e);
      if (flag == "--node-labels") {
        const size_t before = d.facts.size();
        add_label_list(value, d, sink);
        // Kubelet exits at start when asked to set a kubernetes.io/k8s.io label it does not own.
        for (size_t i = before; i < d.facts.size();) {
          if (kubelet_may_set(d.facts[i].key)) {
            ++i;
            continue;
          }
          sink.note(d.facts[i].at, fmt::format("kubelet refuses `--node-labels` in the kubernetes.io and k8s.io "
                                               "namespaces: `{}` is not set (kubelet does not start)",
                                               d.facts[i].key));
          d.facts.erase(d.facts.begin() + static_cast<std::ptrdiff_t>(i));
        }
      } else {
        add_taint_list(value, d, sink);
      }
      at = e;
    }
  }
  return found;
}

std::string largest_instance_type(const std::vector<std::string>& types) {
  const auto& catalog = InstanceCatalog::builtin();
  const InstanceType* best = nullptr;
  for (const auto& t : types) {
    const InstanceType* it = catalog.find(t);
    if (it == nullptr) continue;
    if (best == nullptr || std::tie(it->memory_bytes, it->cpu_milli) > std::tie(best->memory_bytes, best->cpu_milli)) {
      best = it;
    }
  }
  return best != nullptr ? best->name : std::string();
}

}  // namespace gl::k8s::infra::detail
