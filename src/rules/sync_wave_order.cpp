// sync-wave-order: an object Argo CD can apply before what it depends on, and in-cluster hosts that no
// Service of the repository provides.
#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/strings.h"
#include "graph/talk.h"
#include "rules/rule.h"
#include "rules/support/sync_wave.h"

namespace gl::rules {
namespace {

using graph::EdgeKind;
using support::SyncPhase;
using support::SyncSlot;

constexpr std::string_view kRuleId = "sync-wave-order";
constexpr std::string_view kSameWaveTalksTo = "sameWaveTalksTo";
constexpr std::string_view kMissingService = "missingService";
constexpr std::string_view kProvidedServices = "providedServices";

/// How a dependency must be placed against its dependent.
enum class DepClass {
  kUse,          ///< mounted or referenced object: inside one wave the kind order decides
  kService,      ///< the Service a workload talks to: Services apply before workloads in a wave
  kServer,       ///< a workload behind that Service: it must be ready, not merely applied
  kProducer,     ///< SealedSecret/ExternalSecret producing a used Secret: its controller must act first
  kScaleTarget,  ///< what an HPA scales: the HPA only needs it to exist eventually
};

struct Dependency {
  uint32_t object = 0;
  DepClass cls = DepClass::kUse;
  bool behind = false;  ///< an object behind the named one (the server of a Service, the producer of a Secret)
};

/// One dependent and one thing it names (a Service, a Secret, ...), with every object behind that thing.
struct Group {
  std::string what;  ///< "Service `data/postgres`"
  std::string verb;  ///< "talks to", "mounts", "uses", "scales", "is produced by"
  std::vector<Dependency> deps;
  std::vector<Span> evidence;
  std::vector<std::string> details;
};

enum class Verdict { kFine, kSame, kLater };

std::string display(const k8s::Object& o) { return o.name_space.empty() ? o.name : o.name_space + "/" + o.name; }
std::string named(const k8s::Object& o) { return fmt::format("{} `{}`", o.kind, display(o)); }
std::string chain_key(const k8s::Object& o) {
  std::string key;
  for (const auto& app : o.app_chain) key += app + "\n";
  return key;
}

std::string same_slot_text(const SyncSlot& s) {
  if (s.phase == SyncPhase::kSync) return fmt::format("the same wave {}", s.wave);
  return fmt::format("the same {} phase (wave {})", support::to_string(s.phase), s.wave);
}

std::string wave_after(int64_t wave) {
  if (wave == INT64_MAX) return fmt::format("a wave after {}", wave);
  return fmt::format("wave {} or later", wave + 1);
}

std::string wave_before(int64_t wave) {
  if (wave == INT64_MIN) return fmt::format("a wave before {}", wave);
  return fmt::format("wave {} or earlier", wave - 1);
}

bool is_namespace(const k8s::Object& o) { return o.kind == "Namespace" && o.group().empty(); }
bool is_crd(const k8s::Object& o) { return o.kind == "CustomResourceDefinition"; }
bool is_producer_kind(std::string_view kind) { return kind == "SealedSecret" || kind == "ExternalSecret"; }

/// The Secret name a SealedSecret or ExternalSecret writes (its template/target name, else its own name).
std::string produced_name(const k8s::Object& p) {
  const yaml::Node* n = p.kind == "SealedSecret" ? p.root.at({"spec", "template", "metadata", "name"})
                                                 : p.root.at({"spec", "target", "name"});
  if (n != nullptr && n->is_scalar() && !n->value().empty()) return std::string(n->value());
  return p.name;
}

/// A Secret a workload names in its pod spec, with where.
struct SecretRef {
  std::string name;
  const yaml::Node* node = nullptr;
  std::string detail;
  bool mounted = false;  ///< a volume, rather than env or imagePullSecrets
};

bool names_something(const yaml::Node* n) { return n != nullptr && n->is_scalar() && !n->value().empty(); }

/// Adds the reference when `n` names a Secret; `detail()` is only built then.
template <typename Detail>
void add_secret_ref(std::vector<SecretRef>& out, const yaml::Node* n, Detail detail, bool mounted = false) {
  if (names_something(n)) out.push_back(SecretRef{std::string(n->value()), n, std::string(detail()), mounted});
}

std::vector<SecretRef> secret_refs(const k8s::Object& o) {
  std::vector<SecretRef> out;
  const yaml::Node* spec = k8s::pod_spec(o);
  if (spec == nullptr) return out;
  auto fixed = [](std::string_view text) { return [text] { return text; }; };
  if (const auto* ips = spec->get("imagePullSecrets"); ips != nullptr && ips->is_seq()) {
    for (const auto& s : ips->items()) add_secret_ref(out, s.get("name"), fixed("imagePullSecrets"));
  }
  if (const auto* vols = spec->get("volumes"); vols != nullptr && vols->is_seq()) {
    for (const auto& v : vols->items()) {
      const auto detail = [&v] { return "volume " + std::string(v.get("name") != nullptr ? v.get("name")->str() : ""); };
      add_secret_ref(out, v.at({"secret", "secretName"}), detail, true);
      if (const auto* srcs = v.at({"projected", "sources"}); srcs != nullptr && srcs->is_seq()) {
        for (const auto& s : srcs->items()) add_secret_ref(out, s.at({"secret", "name"}), detail, true);
      }
    }
  }
  for (const char* list : {"initContainers", "containers"}) {
    const auto* cs = spec->get(list);
    if (cs == nullptr || !cs->is_seq()) continue;
    for (const auto& c : cs->items()) {
      if (const auto* env = c.get("env"); env != nullptr && env->is_seq()) {
        for (const auto& e : env->items()) {
          add_secret_ref(out, e.at({"valueFrom", "secretKeyRef", "name"}), [&e] {
            return "env " + std::string(e.get("name") != nullptr ? e.get("name")->str() : "");
          });
        }
      }
      if (const auto* ef = c.get("envFrom"); ef != nullptr && ef->is_seq()) {
        for (const auto& e : ef->items()) add_secret_ref(out, e.at({"secretRef", "name"}), fixed("envFrom"));
      }
    }
  }
  return out;
}

struct Settings {
  bool same_wave_talks_to = true;
  std::optional<bool> missing_service_lesser;  ///< nullopt: ignore; true: one level below the rule's severity
  std::vector<std::string> provided_services;
};

std::string choice(const RuleContext& ctx, std::string_view option, std::string_view fallback,
                   std::initializer_list<std::string_view> allowed) {
  const std::string value = ctx.options.get(option, fallback);
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
  std::vector<std::string> names(allowed.begin(), allowed.end());
  throw FatalError(
      fmt::format("rule `{}`: option `{}` must be {}, not `{}`", kRuleId, option, fmt::join(names, ", "), value));
}

Settings read_settings(const RuleContext& ctx) {
  Settings s;
  s.same_wave_talks_to = choice(ctx, kSameWaveTalksTo, "warning", {"warning", "ignore"}) == "warning";
  const std::string missing = choice(ctx, kMissingService, "warning", {"error", "warning", "ignore"});
  if (missing != "ignore") s.missing_service_lesser = missing == "warning";
  s.provided_services = ctx.options.list(kProvidedServices);
  return s;
}

class Checker {
 public:
  Checker(const RuleContext& ctx, Settings settings) : ctx_(ctx), g_(ctx.graph), settings_(std::move(settings)) {
    slots_.reserve(g_.objects.size());
    chains_.reserve(g_.objects.size());
    waves_.reserve(g_.objects.size());
    for (const auto& o : g_.objects) {
      slots_.push_back(support::sync_slot(o));
      chains_.push_back(chain_key(o));
      waves_.push_back(support::sync_wave_node(o));
      if (waves_.back() != nullptr) chains_with_waves_.insert(chains_.back());
      if (slots_.back()) {
        auto [it, inserted] = chain_slots_.try_emplace(chains_.back(), ChainSlots{*slots_.back(), true});
        if (!inserted && it->second.slot != *slots_.back()) it->second.uniform = false;
      }
    }
    for (const char* kind : {"SealedSecret", "ExternalSecret"}) {
      for (uint32_t p : g_.of_kind(kind))
        producers_[{g_.objects[p].name_space, produced_name(g_.objects[p])}].push_back(p);
    }
  }

  void run() {
    for (uint32_t i = 0; i < g_.objects.size(); ++i) check_wave_value(i);
    // Groups are keyed by dependent first, so evaluating each object's groups right after collecting
    // them reports in the same order as one map over all objects would, without holding them all.
    std::map<std::pair<uint32_t, std::string>, Group> groups;
    for (uint32_t i = 0; i < g_.objects.size(); ++i) {
      if (!may_report(i)) continue;
      collect(i, groups);
      for (const auto& [key, group] : groups) evaluate(key.first, group);
      groups.clear();
    }
    for (uint32_t i = 0; i < g_.objects.size(); ++i) {
      if (is_namespace(g_.objects[i]) || is_crd(g_.objects[i])) check_pulled_forward(i);
    }
    if (settings_.missing_service_lesser) check_missing_services();
    for (uint32_t i = 0; i < g_.objects.size(); ++i) check_across_apps(i);
  }

 private:
  static const yaml::Node& wave_or_anchor(const k8s::Object& o) {
    const yaml::Node* n = support::sync_wave_node(o);
    return n != nullptr ? *n : o.anchor();
  }

  bool comparable(uint32_t a, uint32_t b) const {
    // Waves order objects inside one sync; objects of different Argo CD applications sync independently.
    return a != b && chains_[a] == chains_[b] && slots_[a] && slots_[b];
  }

  bool uses_waves(uint32_t a) const { return chains_with_waves_.count(chains_[a]) > 0; }

  /// Whether any group of `a` can get a verdict: it needs a slot, and a comparable dependency in another
  /// slot (later) or in its own slot under waves (same). Without waves in a chain whose objects all share
  /// one slot, neither can happen.
  bool may_report(uint32_t a) const {
    if (!slots_[a]) return false;
    if (uses_waves(a)) return true;
    const auto it = chain_slots_.find(chains_[a]);
    return it == chain_slots_.end() || !it->second.uniform;
  }

  void check_wave_value(uint32_t i) {
    const auto& o = g_.objects[i];
    const yaml::Node* n = waves_[i];
    if (n == nullptr || (n->is_scalar() && k8s::parse_sync_wave(n->value()))) return;
    const std::string text(n->str());
    std::string message = text.empty() && n->is_scalar() ? std::string("sync-wave is empty")
                          : n->is_scalar()               ? fmt::format("sync-wave `{}` is not an integer", text)
                                                         : std::string("sync-wave is not an integer");
    auto d = ctx_.make(&o, std::move(message), n->span(), "not an integer");
    const int64_t used = slots_[i] ? slots_[i]->wave : 0;
    d.notes.push_back(fmt::format("Argo CD ignores the value and syncs `{}` in wave {}", display(o), used));
    d.help = "write the wave as a quoted integer, such as \"1\" or \"-2\"";
    d.fingerprint_key = "not-an-integer";
    ctx_.sink.report(std::move(d));
  }

  static Group& group_for(std::map<std::pair<uint32_t, std::string>, Group>& groups, uint32_t from,
                          const k8s::Object& named_object, std::string_view verb) {
    auto [it, inserted] = groups.try_emplace({from, named_object.ref().display()});
    if (inserted) {
      it->second.what = named(named_object);
      it->second.verb = std::string(verb);
    }
    return it->second;
  }

  static void add_evidence(Group& g, const Span& span, std::string detail) {
    const bool seen = std::any_of(g.evidence.begin(), g.evidence.end(),
                                  [&](const Span& s) { return s.file == span.file && s.begin == span.begin; });
    if (span.valid() && !seen) g.evidence.push_back(span);
    if (std::find(g.details.begin(), g.details.end(), detail) == g.details.end())
      g.details.push_back(std::move(detail));
  }

  static void add_dep(Group& g, uint32_t object, DepClass cls, bool behind = false) {
    const bool seen =
        std::any_of(g.deps.begin(), g.deps.end(), [&](const Dependency& d) { return d.object == object; });
    if (!seen) g.deps.push_back(Dependency{object, cls, behind});
  }

  void add_producers_of_secret(Group& g, uint32_t secret) {
    for (uint32_t e : g_.out_edges(secret)) {
      const auto& edge = g_.edges[e];
      if (edge.kind == EdgeKind::kReferences && is_producer_kind(g_.objects[edge.to].kind)) {
        add_dep(g, edge.to, DepClass::kProducer, true);
      }
    }
  }

  void collect(uint32_t a, std::map<std::pair<uint32_t, std::string>, Group>& groups) {
    const auto& o = g_.objects[a];
    for (uint32_t e : g_.out_edges(a)) {
      const auto& edge = g_.edges[e];
      if (edge.kind == EdgeKind::kSchedulesOn) continue;
      const auto& to = g_.objects[edge.to];
      const auto detail = [&edge] {
        return edge.detail.empty() ? std::string(graph::to_string(edge.kind))
                                   : fmt::format("{} ({})", graph::to_string(edge.kind), edge.detail);
      };
      switch (edge.kind) {
        case EdgeKind::kTalksTo: {
          Group& g = group_for(groups, a, to, "talks to");
          add_dep(g, edge.to, DepClass::kService);
          for (uint32_t se : g_.out_edges(edge.to)) {
            if (g_.edges[se].kind == EdgeKind::kSelects) add_dep(g, g_.edges[se].to, DepClass::kServer, true);
          }
          add_evidence(g, edge.evidence, detail());
          break;
        }
        case EdgeKind::kSelects: {
          if (o.kind != "HorizontalPodAutoscaler") break;
          Group& g = group_for(groups, a, to, "scales");
          add_dep(g, edge.to, DepClass::kScaleTarget);
          add_evidence(g, edge.evidence, detail());
          break;
        }
        case EdgeKind::kMounts:
        case EdgeKind::kReferences: {
          if (is_namespace(to) || is_crd(to)) break;  // Argo CD pulls these forward itself
          if (is_producer_kind(to.kind)) {
            Group& g = group_for(groups, a, to, "is produced by");
            add_dep(g, edge.to, DepClass::kProducer);
            add_evidence(g, edge.evidence, detail());
            break;
          }
          Group& g = group_for(groups, a, to, edge.kind == EdgeKind::kMounts ? "mounts" : "uses");
          add_dep(g, edge.to, DepClass::kUse);
          if (to.kind == "Secret") add_producers_of_secret(g, edge.to);
          add_evidence(g, edge.evidence, detail());
          break;
        }
        case EdgeKind::kSchedulesOn: break;
      }
    }
    // Secrets the repository does not hold but a SealedSecret/ExternalSecret of the namespace produces.
    if (!k8s::is_workload(o)) return;
    for (const auto& ref : secret_refs(o)) {
      if (g_.find("Secret", o.name_space, ref.name)) continue;
      auto it = producers_.find({o.name_space, ref.name});
      if (it == producers_.end()) continue;
      auto [git, inserted] = groups.try_emplace({a, "Secret/" + o.name_space + "/" + ref.name});
      Group& g = git->second;
      if (inserted) {
        g.what = fmt::format("Secret `{}/{}`", o.name_space, ref.name);
        g.verb = "uses";
      }
      for (uint32_t p : it->second) add_dep(g, p, DepClass::kProducer, true);
      add_evidence(g, ref.node->span(), fmt::format("{} ({})", ref.mounted ? "mounts" : "references", ref.detail));
    }
  }

  /// Whether a dependency applied in the same phase and wave as its dependent is a problem.
  bool same_slot_problem(uint32_t a, const Dependency& dep) const {
    switch (dep.cls) {
      case DepClass::kUse:
        return support::kind_order(g_.objects[dep.object].kind) >= support::kind_order(g_.objects[a].kind);
      case DepClass::kServer: return settings_.same_wave_talks_to;
      case DepClass::kProducer: return true;
      case DepClass::kService:
      case DepClass::kScaleTarget: return false;
    }
    return false;
  }

  void evaluate(uint32_t a, const Group& group) {
    if (!slots_[a]) return;
    const SyncSlot sa = *slots_[a];
    std::optional<Dependency> worst;
    Verdict verdict = Verdict::kFine;
    for (const auto& dep : group.deps) {
      if (!comparable(a, dep.object)) continue;
      const SyncSlot sb = *slots_[dep.object];
      if (sb > sa) {
        // The latest dependency decides; on a tie prefer the object behind the named one (server, producer).
        if (verdict != Verdict::kLater || sb > *slots_[worst->object] ||
            (sb == *slots_[worst->object] && dep.behind && !worst->behind)) {
          worst = dep;
        }
        verdict = Verdict::kLater;
      } else if (sb == sa && verdict == Verdict::kFine && uses_waves(a) && same_slot_problem(a, dep)) {
        worst = dep;
        verdict = Verdict::kSame;
      }
    }
    if (verdict == Verdict::kFine) return;
    report(a, group, *worst, verdict);
  }

  std::string relation(const Dependency& dep, const std::string& slot_text) const {
    if (!dep.behind) return fmt::format("which syncs in {}", slot_text);
    const std::string_view how = dep.cls == DepClass::kServer ? "served by" : "produced by";
    return fmt::format("{} {} in {}", how, named(g_.objects[dep.object]), slot_text);
  }

  void report(uint32_t a, const Group& group, const Dependency& dep, Verdict verdict) {
    const auto& ao = g_.objects[a];
    const auto& bo = g_.objects[dep.object];
    const SyncSlot sa = *slots_[a];
    const SyncSlot sb = *slots_[dep.object];
    std::string message;
    std::string fingerprint;
    if (verdict == Verdict::kLater) {
      message = fmt::format("`{}` syncs in {} but {} {}, {}", display(ao), support::describe(sa), group.verb,
                            group.what, relation(dep, support::describe(sb)));
      fingerprint = "later";
    } else {
      std::string tail;
      if (dep.cls == DepClass::kUse) {
        tail = support::kind_order(bo.kind) > support::kind_order(ao.kind)
                   ? fmt::format("which Argo CD applies after it in {}", same_slot_text(sb))
                   : fmt::format("which syncs in {} with no ordering guarantee", same_slot_text(sb));
      } else {
        tail = relation(dep, same_slot_text(sb));
      }
      message = fmt::format("`{}` {} {}, {}", display(ao), group.verb, group.what, tail);
      fingerprint = "same";
    }
    auto d =
        verdict == Verdict::kLater
            ? ctx_.make(&ao, std::move(message), wave_or_anchor(ao).span(), "syncs in " + support::describe(sa))
            : ctx_.make_lesser(&ao, std::move(message), wave_or_anchor(ao).span(), "syncs in " + support::describe(sa));
    d.secondary.push_back(diag::Label{wave_or_anchor(bo).span(),
                                      fmt::format("`{}` syncs in {}", bo.ref().display(), support::describe(sb))});
    for (const auto& span : group.evidence) d.secondary.push_back(diag::Label{span, "referenced here"});
    d.notes.push_back(
        fmt::format("{}: {}", group.details.size() == 1 ? "edge" : "edges", fmt::join(group.details, ", ")));
    d.notes.push_back(why(ao, bo, sa, sb, dep, verdict));
    d.help = help(ao, bo, sa, sb, same_slot_problem(a, dep));
    d.fingerprint_key = fmt::format("{}|{}|{}", fingerprint, group.what, bo.ref().display());
    ctx_.sink.report(std::move(d));
  }

  std::string why(const k8s::Object& ao, const k8s::Object& bo, const SyncSlot& sa, const SyncSlot& sb,
                  const Dependency& dep, Verdict verdict) const {
    if (verdict == Verdict::kLater) {
      if (sa.phase != sb.phase) {
        return fmt::format("Argo CD runs the {} phase to the end before it starts the {} phase, whatever the waves",
                           support::to_string(sa.phase), support::to_string(sb.phase));
      }
      return fmt::format(
          "Argo CD starts wave {} only once everything in earlier waves is healthy, and `{}` may "
          "never get there without `{}`",
          sb.wave, display(ao), display(bo));
    }
    switch (dep.cls) {
      case DepClass::kServer:
        return "workloads of one wave start in parallel: the client may crash-loop until the server is ready";
      case DepClass::kProducer:
        return fmt::format(
            "inside a wave Argo CD applies custom resources after built-in kinds, so the pods can "
            "start before the {} controller has written the Secret",
            bo.kind);
      default: break;
    }
    if (support::kind_order(bo.kind) == support::kind_order(ao.kind)) {
      return fmt::format("inside a wave Argo CD orders {} and {} by name only, without waiting between them", ao.kind,
                         bo.kind);
    }
    return fmt::format(
        "inside a wave Argo CD applies objects by kind ({} before {}), then by name, without waiting "
        "between them",
        ao.kind, bo.kind);
  }

  static std::string help(const k8s::Object& ao, const k8s::Object& bo, const SyncSlot& sa, const SyncSlot& sb,
                          bool strict_order) {
    if (sa.phase != sb.phase) {
      return fmt::format("run `{}` in the {} phase or later, or move `{}` to an earlier phase", display(ao),
                         support::to_string(sb.phase), display(bo));
    }
    if (strict_order) {
      return fmt::format("give `{}` {}, or move `{}` to {}", display(bo), wave_before(sa.wave), display(ao),
                         wave_after(sb.wave));
    }
    return fmt::format("give `{}` wave {} or earlier, or move `{}` to wave {} or later", display(bo), sa.wave,
                       display(ao), sb.wave);
  }

  /// A Namespace or CRD with a later wave than an object that needs it: Argo CD moves it forward within
  /// one sync, so its declared wave is silently overridden. Reported once, at the earliest dependent.
  void check_pulled_forward(uint32_t b) {
    const auto& bo = g_.objects[b];
    if (support::sync_wave_node(bo) == nullptr || !slots_[b]) return;
    const SyncSlot sb = *slots_[b];
    std::optional<uint32_t> first;
    std::optional<Span> first_evidence;
    std::set<uint32_t> dependents;
    for (uint32_t e : g_.in_edges(b)) {
      const auto& edge = g_.edges[e];
      if (edge.kind != EdgeKind::kReferences || !comparable(edge.from, b)) continue;
      // A hook in an earlier phase gets its Namespace or CRD pulled forward too, but no wave could say so.
      const SyncSlot sa = *slots_[edge.from];
      if (sa.phase != sb.phase || sa.wave >= sb.wave) continue;
      dependents.insert(edge.from);
      if (!first || *slots_[edge.from] < *slots_[*first]) {
        first = edge.from;
        first_evidence = edge.evidence;
      }
    }
    if (!first) return;
    const auto& ao = g_.objects[*first];
    const SyncSlot sa = *slots_[*first];
    const std::string what = is_crd(bo) ? "its CustomResourceDefinition" : "its Namespace";
    auto d = ctx_.make_lesser(&ao,
                              fmt::format("`{}` syncs in {} but {} `{}` declares {}", display(ao),
                                          support::describe(sa), what, display(bo), support::describe(sb)),
                              wave_or_anchor(ao).span(), "syncs in " + support::describe(sa));
    d.secondary.push_back(diag::Label{wave_or_anchor(bo).span(),
                                      fmt::format("`{}` declares {}", bo.ref().display(), support::describe(sb))});
    if (first_evidence && first_evidence->valid())
      d.secondary.push_back(diag::Label{*first_evidence, "referenced here"});
    d.notes.push_back(
        fmt::format("within one sync Argo CD moves a {} ahead of the first object that needs it, so "
                    "`{}` is created in {} and its sync-wave has no effect",
                    bo.kind, display(bo), support::describe(sa)));
    if (dependents.size() > 1) {
      d.notes.push_back(
          fmt::format("{} more object(s) syncing before {} need it too", dependents.size() - 1, support::describe(sb)));
    }
    d.help = fmt::format("give `{}` wave {} or earlier so its annotation says what Argo CD does", display(bo), sa.wave);
    d.fingerprint_key = fmt::format("pulled-forward|{}", bo.ref().display());
    ctx_.sink.report(std::move(d));
  }

  /// Where two objects of different Argo CD applications meet: the first application level their chains do
  /// not share, under a common parent. Each side sits there at a wave: the wave of its own application at
  /// that level, or its own sync wave when the parent deploys it directly.
  struct CrossPosition {
    size_t level = 0;
    int64_t wave_a = 0;
    int64_t wave_b = 0;
    std::string app_a;  ///< the application of `a` at that level ("" when the parent deploys `a` itself)
    std::string app_b;
  };

  std::optional<CrossPosition> cross_position(uint32_t a, uint32_t b) const {
    const auto& ca = g_.objects[a].app_chain;
    const auto& cb = g_.objects[b].app_chain;
    size_t p = 0;
    while (p < ca.size() && p < cb.size() && ca[p] == cb[p]) ++p;
    // Different roots sync independently; one chain inside the other is the same application.
    if (p == 0 || (p == ca.size() && p == cb.size())) return std::nullopt;
    auto side = [&](uint32_t x, const std::vector<std::string>& chain) -> std::optional<std::pair<int64_t, std::string>> {
      const auto& o = g_.objects[x];
      if (p < chain.size()) {
        if (p >= o.app_waves.size()) return std::nullopt;
        return std::pair{o.app_waves[p], chain[p]};
      }
      // Deployed by the parent itself: its PreSync hooks run before every wave of the parent, PostSync hooks
      // after the last; inside a child application, hooks run when that application syncs (its wave, above).
      if (!slots_[x]) return std::nullopt;
      switch (slots_[x]->phase) {
        case SyncPhase::kPreSync: return std::pair{INT64_MIN, std::string()};
        case SyncPhase::kSync: return std::pair{slots_[x]->wave, std::string()};
        case SyncPhase::kPostSync: return std::pair{INT64_MAX, std::string()};
        case SyncPhase::kSyncFail: return std::nullopt;
      }
      return std::nullopt;
    };
    auto sa = side(a, ca);
    auto sb = side(b, cb);
    if (!sa || !sb) return std::nullopt;
    return CrossPosition{p, sa->first, sb->first, sa->second, sb->second};
  }

  /// A dependency deployed by another application that Argo CD syncs at the same wave (in parallel) or later
  /// than the dependent's application: Namespaces, CRDs, StorageClasses, Secrets, ConfigMaps, Services and the
  /// workloads behind them. One finding per dependent and other application.
  void check_across_apps(uint32_t a) {
    const auto& ao = g_.objects[a];
    if (ao.app_chain.empty() || !slots_[a]) return;
    struct Worst {
      uint32_t dep = 0;
      CrossPosition pos;
      Verdict verdict = Verdict::kFine;
      std::string verb;
      Span evidence;
    };
    std::map<std::string, Worst> by_app;
    auto consider = [&](uint32_t b, std::string verb, Span evidence, bool same_is_problem) {
      const auto& bo = g_.objects[b];
      if (bo.app_chain.empty() || bo.app_chain == ao.app_chain) return;
      if (is_namespace(bo) && !ao.app_creates_namespace.empty() && ao.app_creates_namespace == bo.name) return;
      const auto pos = cross_position(a, b);
      if (!pos) return;
      Verdict v = pos->wave_b > pos->wave_a ? Verdict::kLater
                  : pos->wave_b == pos->wave_a && same_is_problem && !pos->app_b.empty() ? Verdict::kSame
                                                                                       : Verdict::kFine;
      if (v == Verdict::kFine) return;
      const std::string key = pos->app_b.empty() ? bo.app_chain.back() : pos->app_b;
      auto [it, inserted] = by_app.try_emplace(key, Worst{b, *pos, v, std::move(verb), evidence});
      if (!inserted && (v == Verdict::kLater && (it->second.verdict != Verdict::kLater || pos->wave_b > it->second.pos.wave_b))) {
        it->second = Worst{b, *pos, v, std::move(verb), evidence};
      }
    };
    for (uint32_t e : g_.out_edges(a)) {
      const auto& edge = g_.edges[e];
      const auto& to = g_.objects[edge.to];
      switch (edge.kind) {
        case EdgeKind::kReferences:
        case EdgeKind::kMounts:
          consider(edge.to, is_namespace(to) ? "lives in" : edge.kind == EdgeKind::kMounts ? "mounts" : "uses",
                   edge.evidence, true);
          break;
        case EdgeKind::kTalksTo:
          consider(edge.to, "talks to", edge.evidence, false);
          for (uint32_t se : g_.out_edges(edge.to)) {
            if (g_.edges[se].kind == EdgeKind::kSelects) {
              consider(g_.edges[se].to, "talks to", edge.evidence, settings_.same_wave_talks_to);
            }
          }
          break;
        default: break;
      }
    }
    for (const auto& [app, w] : by_app) {
      const auto& bo = g_.objects[w.dep];
      auto wave_text = [](int64_t wave) {
        return wave == INT64_MIN   ? std::string("its PreSync phase")
               : wave == INT64_MAX ? std::string("its PostSync phase")
                                   : fmt::format("wave {}", wave);
      };
      const std::string where_a = w.pos.app_a.empty()
                                      ? wave_text(w.pos.wave_a)
                                      : fmt::format("application `{}` ({})", w.pos.app_a, wave_text(w.pos.wave_a));
      const std::string where_b = fmt::format("application `{}` ({})", app, wave_text(w.pos.wave_b));
      const std::string parent = ao.app_chain[w.pos.level - 1];
      std::string message =
          w.verdict == Verdict::kLater
              ? fmt::format("`{}` {} {} `{}`, which {} deploys after {}", display(ao), w.verb, bo.kind, display(bo),
                            where_b, where_a)
              : fmt::format("`{}` {} {} `{}`, which {} deploys in the same wave as {}", display(ao), w.verb, bo.kind,
                            display(bo), where_b, where_a);
      const Span primary = w.evidence.valid() ? w.evidence : ao.anchor().span();
      auto d = w.verdict == Verdict::kLater ? ctx_.make(&ao, std::move(message), primary, "needed here")
                                            : ctx_.make_lesser(&ao, std::move(message), primary, "needed here");
      if (!w.pos.app_a.empty() && w.pos.level < ao.app_wave_spans.size()) {
        d.secondary.push_back(diag::Label{ao.app_wave_spans[w.pos.level],
                                          fmt::format("`{}` syncs in wave {}", w.pos.app_a, w.pos.wave_a)});
      }
      if (w.pos.level < bo.app_wave_spans.size()) {
        d.secondary.push_back(
            diag::Label{bo.app_wave_spans[w.pos.level], fmt::format("`{}` syncs in wave {}", app, w.pos.wave_b)});
      }
      d.secondary.push_back(diag::Label{bo.anchor().span(), fmt::format("deployed by `{}`", bo.app_chain.back())});
      d.notes.push_back(
          w.verdict == Verdict::kLater
              ? fmt::format("`{}` syncs its applications wave by wave, so `{}` is created before `{}` exists", parent,
                            display(ao), display(bo))
              : fmt::format("`{}` syncs the applications of one wave in parallel, so `{}` can start before `{}` "
                            "exists",
                            parent, display(ao), display(bo)));
      d.notes.push_back("Argo CD waits for an earlier wave of applications to be healthy only when the health check "
                        "of argoproj.io/Application is enabled (resource.customizations in argocd-cm)");
      d.help = w.pos.app_a.empty()
                   ? fmt::format("give application `{}` a wave before {}", app, w.pos.wave_a)
                   : fmt::format("give application `{}` a wave before {}, or move `{}` into it", app, w.pos.wave_a,
                                 display(bo));
      d.fingerprint_key = fmt::format("cross-app|{}|{}", app, bo.ref().display());
      ctx_.sink.report(std::move(d));
    }
  }

  bool provided_elsewhere(const std::string& id) const {
    return std::any_of(settings_.provided_services.begin(), settings_.provided_services.end(),
                       [&](const std::string& pattern) { return glob_match(pattern, id); });
  }

  /// Charts of Argo CD Applications that come from a chart registry (not rendered here) still deploy
  /// Services: named after the release (`RELEASE`, `RELEASE-headless`, ...) or the chart's fullnameOverride,
  /// in the destination namespace.
  struct ExternalRelease {
    std::string ns;
    std::vector<std::string> prefixes;
    std::string app;
  };

  static std::vector<ExternalRelease> external_releases(const graph::Graph& g) {
    static const RE2 kFullname(R"((?m)^\s*fullnameOverride:\s*["']?([A-Za-z0-9.-]+))");
    std::vector<ExternalRelease> out;
    for (const auto& o : g.objects) {
      if (o.group() != "argoproj.io" || o.kind != "Application") continue;
      const yaml::Node* spec = o.root.get("spec");
      if (spec == nullptr) continue;
      std::vector<const yaml::Node*> sources;
      if (const auto* list = spec->get("sources"); list != nullptr && list->is_seq()) {
        for (const auto& item : list->items()) sources.push_back(&item);
      } else if (const auto* one = spec->get("source")) {
        sources.push_back(one);
      }
      const yaml::Node* dest_ns = spec->at({"destination", "namespace"});
      for (const auto* src : sources) {
        const yaml::Node* chart = src->get("chart");
        if (chart == nullptr || chart->str().empty()) continue;
        ExternalRelease r{dest_ns != nullptr ? std::string(dest_ns->str()) : std::string(), {}, o.name};
        const yaml::Node* release = src->at({"helm", "releaseName"});
        r.prefixes.push_back(release != nullptr && !release->str().empty() ? std::string(release->str()) : o.name);
        if (const auto* values = src->at({"helm", "values"}); values != nullptr && values->is_scalar()) {
          std::string name;
          if (RE2::PartialMatch(values->value(), kFullname, &name)) r.prefixes.push_back(name);
        }
        if (const auto* fn = src->at({"helm", "valuesObject", "fullnameOverride"}); fn != nullptr && fn->is_scalar()) {
          r.prefixes.emplace_back(fn->str());
        }
        out.push_back(std::move(r));
      }
    }
    return out;
  }

  /// The application whose external chart provides Service `name` in `ns`, if any.
  const ExternalRelease* external_provider(std::string_view ns, std::string_view name) const {
    for (const auto& r : external_) {
      if (!r.ns.empty() && r.ns != ns) continue;
      for (const auto& p : r.prefixes) {
        if (name == p || (name.size() > p.size() && name.starts_with(p) && name[p.size()] == '-')) return &r;
      }
    }
    return nullptr;
  }

  void check_missing_services() {
    std::set<std::pair<uint32_t, std::string>> seen;
    for (const auto& talk : g_.unresolved_talks) {
      if (!talk.in_cluster || talk.from >= g_.objects.size() || !slots_[talk.from]) continue;
      const auto& ao = g_.objects[talk.from];
      const auto dns = graph::parse_service_dns(talk.host);
      if (!dns) continue;
      const std::string ns = dns->name_space.empty() ? ao.name_space : dns->name_space;
      const std::string id = ns + "/" + dns->service;
      if (provided_elsewhere(id) || external_provider(ns, dns->service) != nullptr ||
          !seen.emplace(talk.from, id).second) {
        continue;
      }
      std::string message = fmt::format("`{}` talks to `{}` but no Service `{}` is deployed from this repository",
                                        display(ao), talk.host, id);
      const std::string label = "no Service `" + id + "` in this repository";
      auto d = *settings_.missing_service_lesser ? ctx_.make_lesser(&ao, std::move(message), talk.evidence, label)
                                                 : ctx_.make(&ao, std::move(message), talk.evidence, label);
      if (!talk.detail.empty()) d.notes.push_back(fmt::format("the host is named in `{}`", talk.detail));
      d.help = fmt::format("deploy Service `{}` from this repository, correct the host, or add `{}` to the `{}` option",
                           id, id, kProvidedServices);
      d.fingerprint_key = "missing-service|" + id;
      ctx_.sink.report(std::move(d));
    }
  }

  const RuleContext& ctx_;
  const graph::Graph& g_;
  Settings settings_;
  std::vector<std::optional<SyncSlot>> slots_;
  std::vector<std::string> chains_;  ///< Argo CD application chain of each object, as one key
  std::vector<const yaml::Node*> waves_;  ///< each object's sync-wave annotation node, or null
  std::set<std::string> chains_with_waves_;
  /// The slot every object of a chain has, when `uniform`.
  struct ChainSlots {
    SyncSlot slot;
    bool uniform = true;
  };
  std::map<std::string, ChainSlots> chain_slots_;
  std::map<std::pair<std::string, std::string>, std::vector<uint32_t>> producers_;
  std::vector<ExternalRelease> external_ = external_releases(g_);
};

void check(const RuleContext& ctx) { Checker(ctx, read_settings(ctx)).run(); }

const Registrar kRegistrar{RuleInfo{
    .id = std::string(kRuleId),
    .category = "ordering",
    .default_severity = Severity::kError,
    .summary = "an object can sync before something it depends on, or talks to an in-cluster Service the "
               "repository does not deploy",
    .options =
        {
            {std::string(kSameWaveTalksTo), "warning",
             "`warning` or `ignore`: a workload talking to a server workload of the same wave"},
            {std::string(kMissingService), "warning",
             "`error`, `warning` or `ignore`: an in-cluster host that no Service of the repository provides"},
            {std::string(kProvidedServices), "default/kubernetes,kube-system/*",
             "`namespace/name` globs of Services provided outside the repository"},
        },
    .check = check,
}};

}  // namespace
}  // namespace gl::rules
