#include "graph/graph.h"

#include <algorithm>
#include <cassert>
#include <array>
#include <charconv>
#include <iterator>
#include <fmt/format.h>

#include "core/parallel.h"
#include "core/strings.h"
#include "graph/talk.h"
#include "k8s/selector.h"

namespace gl::graph {
namespace {

const std::vector<uint32_t> kEmpty;

/// A configuration value a workload uses, with where it is written.
struct ConfigValue {
  std::string name;  ///< env var or key name
  std::string value;
  const yaml::Node* node = nullptr;
  bool decoded = false;  ///< base64-decoded Secret data: no column mapping
};

/// What every object's edge pass reads besides the graph: built once, before the passes run.
struct SharedIndex {
  std::map<std::string, std::vector<uint32_t>, std::less<>> workloads_by_ns;
  std::map<std::string, uint32_t, std::less<>> crd_by_group_kind;
};

void index(Graph& g, SharedIndex& shared, unsigned threads) {
  for (uint32_t i = 0; i < g.objects.size(); ++i) {
    const auto& o = g.objects[i];
    g.by_id_.emplace(std::make_tuple(o.kind, o.name_space, o.name), i);
    g.by_kind_[o.kind].push_back(i);
    if (!o.name_space.empty()) g.namespaces_[o.name_space] = true;
    if (o.kind == "Namespace") g.namespaces_[o.name] = true;
    if (k8s::is_workload(o)) shared.workloads_by_ns[o.name_space].push_back(i);
  }
  for (uint32_t c : g.of_kind("CustomResourceDefinition")) {
    const auto& crd = g.objects[c];
    const auto* group = crd.root.at({"spec", "group"});
    const auto* kind = crd.root.at({"spec", "names", "kind"});
    if (group != nullptr && kind != nullptr) {
      shared.crd_by_group_kind.emplace(std::string(group->value()) + "/" + std::string(kind->value()), c);
    }
  }
  g.pod_labels_.resize(g.objects.size());
  parallel_for(g.objects.size(), threads, [&](size_t i) {
    if (k8s::is_workload(g.objects[i])) g.pod_labels_[i] = k8s::pod_labels(g.objects[i]);
  });
}

/// Builds the edges leaving a run of objects. Each object's edges depend only on the indexes, so runs are
/// built in parallel into their own vectors and concatenated in object order.
class EdgeBuilder {
 public:
  EdgeBuilder(const Graph& g, const SharedIndex& shared, std::vector<Edge>& edges,
              std::vector<UnresolvedTalk>& talks)
      : g_(g), shared_(shared), edges_(edges), talks_(talks) {}

  void object(uint32_t i) {
    if (k8s::is_workload(g_.objects[i])) workload_edges(i);
    selector_edges(i);
    reference_edges(i);
  }

 private:
  void add(EdgeKind kind, uint32_t from, uint32_t to, Span evidence, std::string detail,
           std::optional<int> port = std::nullopt, bool tolerated = true) {
    edges_.push_back(Edge{kind, from, to, evidence, std::move(detail), port, tolerated});
  }

  std::optional<uint32_t> find(std::string_view kind, std::string_view ns, std::string_view name) const {
    return g_.find(kind, ns, name);
  }

  void ref(uint32_t from, std::string_view kind, std::string_view ns, const yaml::Node* name_node,
           std::string detail, EdgeKind edge = EdgeKind::kReferences) {
    if (name_node == nullptr || !name_node->is_scalar()) return;
    if (auto to = find(kind, ns, name_node->value())) add(edge, from, *to, name_node->span(), std::move(detail));
  }

  // Workload -> nodes, ConfigMaps, Secrets, PVCs, ServiceAccount, PriorityClass, talks-to.
  void workload_edges(uint32_t i) {
    const auto& o = g_.objects[i];
    const yaml::Node* spec = k8s::pod_spec(o);
    if (spec == nullptr) return;
    const std::string& ns = o.name_space;
    if (g_.has_inventory()) {
      // An operator's resource may place each of its pod groups differently: an edge to every node one of them
      // admits, tolerated when one of those groups tolerates it.
      std::vector<k8s::Placement> placements;
      if (k8s::workload_kind(o) == k8s::WorkloadKind::kOperator) {
        for (const auto& group : o.operator_pods->groups) placements.push_back(k8s::read_placement(group.spec));
      } else {
        placements.push_back(k8s::read_placement(spec));
      }
      for (uint32_t n = 0; n < g_.nodes().size(); ++n) {
        const auto& node = g_.nodes()[n];
        const k8s::Placement* admitting = nullptr;
        bool tolerated = false;
        for (const auto& p : placements) {
          if (!p.admits(node.name, node.labels)) continue;
          if (admitting == nullptr) admitting = &p;
          bool ok = true;
          for (const auto& t : node.taints) {
            if ((t.effect == "NoSchedule" || t.effect == "NoExecute") && !t.tolerated_by(p.tolerations)) ok = false;
          }
          tolerated = tolerated || ok;
        }
        if (admitting == nullptr) continue;
        const k8s::Placement& p = *admitting;
        Span ev = p.node_selector_node != nullptr ? p.node_selector_node->span()
                  : p.affinity_node != nullptr    ? p.affinity_node->span()
                                                  : Span{};
        add(EdgeKind::kSchedulesOn, i, n, ev, node.name, std::nullopt, tolerated);
      }
    }
    const yaml::Node* sa = spec->get("serviceAccountName");
    if (sa == nullptr) sa = spec->get("serviceAccount");
    ref(i, "ServiceAccount", ns, sa, "serviceAccountName");
    ref(i, "PriorityClass", "", spec->get("priorityClassName"), "priorityClassName");
    if (const auto* ips = spec->get("imagePullSecrets"); ips != nullptr && ips->is_seq()) {
      for (const auto& s : ips->items()) ref(i, "Secret", ns, s.get("name"), "imagePullSecrets");
    }
    if (const auto* vols = spec->get("volumes"); vols != nullptr && vols->is_seq()) {
      for (const auto& v : vols->items()) volume_edges(i, ns, v);
    }
    if (const auto* vcts = o.root.at({"spec", "volumeClaimTemplates"}); vcts != nullptr && vcts->is_seq()) {
      for (const auto& t : vcts->items())
        ref(i, "StorageClass", "", t.at({"spec", "storageClassName"}), "volumeClaimTemplates");
    }
    std::vector<ConfigValue> values;
    for (const char* list : {"initContainers", "containers"}) {
      const auto* cs = spec->get(list);
      if (cs == nullptr || !cs->is_seq()) continue;
      for (const auto& c : cs->items()) container_edges(i, ns, c, values);
    }
    talks_to(i, ns, values);
  }

  void volume_edges(uint32_t i, const std::string& ns, const yaml::Node& v) {
    const std::string vname(v.get("name") != nullptr ? v.get("name")->value() : std::string_view());
    ref(i, "ConfigMap", ns, v.at({"configMap", "name"}), "volume " + vname, EdgeKind::kMounts);
    ref(i, "Secret", ns, v.at({"secret", "secretName"}), "volume " + vname, EdgeKind::kMounts);
    ref(i, "PersistentVolumeClaim", ns, v.at({"persistentVolumeClaim", "claimName"}), "volume " + vname,
        EdgeKind::kMounts);
    if (const auto* srcs = v.at({"projected", "sources"}); srcs != nullptr && srcs->is_seq()) {
      for (const auto& s : srcs->items()) {
        ref(i, "ConfigMap", ns, s.at({"configMap", "name"}), "volume " + vname, EdgeKind::kMounts);
        ref(i, "Secret", ns, s.at({"secret", "name"}), "volume " + vname, EdgeKind::kMounts);
      }
    }
  }

  // Collects the values a container sees (literal env, referenced ConfigMap/Secret entries) and adds references.
  void container_edges(uint32_t i, const std::string& ns, const yaml::Node& c, std::vector<ConfigValue>& values) {
    if (const auto* env = c.get("env"); env != nullptr && env->is_seq()) {
      for (const auto& e : env->items()) {
        const auto* name = e.get("name");
        const std::string ename(name != nullptr ? name->value() : std::string_view());
        if (const auto* v = e.get("value"); v != nullptr && v->is_scalar()) {
          values.push_back(ConfigValue{ename, std::string(v->value()), v, false});
        }
        if (const auto* r = e.at({"valueFrom", "configMapKeyRef"})) {
          ref(i, "ConfigMap", ns, r->get("name"), "env " + ename);
          if (const auto* key = r->get("key")) collect_key(ns, "ConfigMap", r->get("name"), key->value(), values);
        }
        if (const auto* r = e.at({"valueFrom", "secretKeyRef"})) {
          ref(i, "Secret", ns, r->get("name"), "env " + ename);
          if (const auto* key = r->get("key")) collect_key(ns, "Secret", r->get("name"), key->value(), values);
        }
      }
    }
    if (const auto* ef = c.get("envFrom"); ef != nullptr && ef->is_seq()) {
      for (const auto& e : ef->items()) {
        if (const auto* r = e.get("configMapRef")) {
          ref(i, "ConfigMap", ns, r->get("name"), "envFrom");
          collect_all(ns, "ConfigMap", r->get("name"), values);
        }
        if (const auto* r = e.get("secretRef")) {
          ref(i, "Secret", ns, r->get("name"), "envFrom");
          collect_all(ns, "Secret", r->get("name"), values);
        }
      }
    }
  }

  void collect_entries(const k8s::Object& src, const std::string_view* only_key, std::vector<ConfigValue>& values) {
    for (const char* field : {"data", "stringData"}) {
      const auto* data = src.root.get(field);
      if (data == nullptr || !data->is_map()) continue;
      const bool decode = src.kind == "Secret" && std::string_view(field) == "data";
      for (size_t k = 0; k < data->keys().size(); ++k) {
        if (only_key != nullptr && data->keys()[k].value() != *only_key) continue;
        const auto& v = data->items()[k];
        if (!v.is_scalar()) continue;
        std::string text = decode ? decode_base64(v.value()).value_or(std::string()) : std::string(v.value());
        values.push_back(ConfigValue{std::string(data->keys()[k].value()), std::move(text), &v, decode});
      }
    }
  }

  void collect_key(const std::string& ns, std::string_view kind, const yaml::Node* name, std::string_view key,
                   std::vector<ConfigValue>& values) {
    if (name == nullptr) return;
    if (auto idx = find(kind, ns, name->value())) collect_entries(g_.objects[*idx], &key, values);
  }

  void collect_all(const std::string& ns, std::string_view kind, const yaml::Node* name,
                   std::vector<ConfigValue>& values) {
    if (name == nullptr) return;
    if (auto idx = find(kind, ns, name->value())) collect_entries(g_.objects[*idx], nullptr, values);
  }

  static Span host_span(const ConfigValue& v, const HostMention& m) {
    Span s = v.node->span();
    const bool single_line = v.node->begin.line == v.node->end.line;
    const bool plain_or_quoted = v.node->style == yaml::ScalarStyle::kPlain ||
                                 v.node->style == yaml::ScalarStyle::kSingleQuoted ||
                                 v.node->style == yaml::ScalarStyle::kDoubleQuoted;
    if (v.decoded || !single_line || !plain_or_quoted) return s;
    const uint32_t quote = v.node->style == yaml::ScalarStyle::kPlain ? 0 : 1;
    // Only when the text maps 1:1 to the source (no escapes before the host).
    const std::string_view line = v.node->file != nullptr ? v.node->file->line(s.begin.line) : std::string_view();
    const size_t col0 = s.begin.column - 1 + quote + m.offset;
    if (col0 + m.host.size() > line.size() || !iequals(line.substr(col0, m.host.size()), m.host)) return s;
    s.begin.column = static_cast<uint32_t>(col0 + 1);
    s.end = Mark{s.begin.line, static_cast<uint32_t>(col0 + 1 + m.host.size())};
    return s;
  }

  /// `DB_HOST`, `redisAddr`, `broker-url`, `SPRING_DATASOURCE_URL`: keys whose values name a network peer.
  static bool host_like_key(std::string_view key) {
    static constexpr std::string_view kWords[] = {"host", "hostname", "addr", "address", "server", "servers",
                                                  "url", "uri", "endpoint", "endpoints", "broker", "brokers",
                                                  "dsn", "nodes", "sentinels", "bootstrap"};
    std::string word;
    auto is_host_word = [&] {
      const std::string w = to_lower(word);
      word.clear();
      return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
    };
    for (size_t k = 0; k < key.size(); ++k) {
      const char c = key[k];
      const bool upper = c >= 'A' && c <= 'Z';
      const bool camel_break = upper && k > 0 && key[k - 1] >= 'a' && key[k - 1] <= 'z';
      if (c == '_' || c == '-' || c == '.' || camel_break) {
        if (!word.empty() && is_host_word()) return true;
        if (c == '_' || c == '-' || c == '.') continue;
      }
      word += c;
    }
    return !word.empty() && is_host_word();
  }

  bool selects_self(uint32_t service, uint32_t workload) const {
    const auto& svc = g_.objects[service];
    const auto sel = k8s::read_string_map(svc.root.at({"spec", "selector"}));
    return !sel.empty() && k8s::selector_from_map(sel).matches(g_.pod_labels(workload));
  }

  // Port from a sibling `<PREFIX>_PORT` variable when the value is a bare host (`DB_HOST` + `DB_PORT`).
  static std::optional<int> sibling_port(const std::vector<ConfigValue>& values, const std::string& name) {
    std::string prefix = name;
    for (std::string_view suffix : {"_HOST", "_HOSTNAME", "_ADDR", "_SERVER", "_SERVICE"}) {
      if (std::string_view(prefix).ends_with(suffix)) {
        prefix.resize(prefix.size() - suffix.size());
        for (const auto& v : values) {
          if (v.name == prefix + "_PORT") {
            int p = 0;
            auto [ptr, ec] = std::from_chars(v.value.data(), v.value.data() + v.value.size(), p);
            if (ec == std::errc() && ptr == v.value.data() + v.value.size()) return p;
          }
        }
        break;
      }
    }
    return std::nullopt;
  }

  void talks_to(uint32_t i, const std::string& ns, const std::vector<ConfigValue>& values) {
    for (const auto& v : values) {
      // Cheap filter first: a value with no dot, colon or scheme can only be a bare word.
      const bool maybe_bare_only = v.value.find_first_of(".:") == std::string::npos;
      if (maybe_bare_only && !host_like_key(v.name)) continue;
      for (const auto& m : find_hosts(v.value)) {
        // A bare word (`postgres`) is a host only under a host-like key: `SERVICE_NAME: chat-api` or
        // `username: postgres` name no peer.
        const bool bare = m.scheme.empty() && !m.port && m.host.find('.') == std::string::npos;
        if (bare && !host_like_key(v.name)) continue;
        auto dns = parse_service_dns(m.host);
        if (!dns) continue;
        const std::string target_ns = dns->name_space.empty() ? ns : dns->name_space;
        std::optional<int> port = m.port ? m.port : sibling_port(values, v.name);
        const bool two_labels_known_ns = !dns->name_space.empty() && !dns->certain && g_.knows_namespace(dns->name_space);
        if (auto svc = find("Service", target_ns, dns->service)) {
          if (selects_self(*svc, i)) continue;  // its own Service: a self-reference, not a dependency
          add(EdgeKind::kTalksTo, i, *svc, host_span(v, m), v.name, port);
        } else if (dns->certain || two_labels_known_ns) {
          talks_.push_back(
              UnresolvedTalk{i, m.host, port, m.scheme, host_span(v, m), v.name, true});
        }
      }
    }
  }

  // Service/NetworkPolicy/PDB -> workloads they select; HPA -> scale target.
  void selector_edges(uint32_t i) {
    const auto& o = g_.objects[i];
    std::optional<k8s::LabelSelector> sel;
    const yaml::Node* ev = nullptr;
    if (o.kind == "Service") {
      ev = o.root.at({"spec", "selector"});
      auto m = k8s::read_string_map(ev);
      if (!m.empty()) sel = k8s::selector_from_map(m);
    } else if (o.kind == "NetworkPolicy") {
      ev = o.root.at({"spec", "podSelector"});
      sel = ev != nullptr ? k8s::parse_label_selector(ev) : k8s::LabelSelector{};
      if (!sel) sel = k8s::LabelSelector{};
    } else if (o.kind == "PodDisruptionBudget") {
      ev = o.root.at({"spec", "selector"});
      sel = k8s::parse_label_selector(ev);
    } else if (o.kind == "HorizontalPodAutoscaler") {
      const auto* target = o.root.at({"spec", "scaleTargetRef"});
      if (target != nullptr && target->get("kind") != nullptr && target->get("name") != nullptr) {
        if (auto to = find(target->get("kind")->value(), o.name_space, target->get("name")->value())) {
          add(EdgeKind::kSelects, i, *to, target->get("name")->span(), "scaleTargetRef");
        }
      }
      return;
    }
    if (!sel) return;
    auto it = shared_.workloads_by_ns.find(o.name_space);
    if (it == shared_.workloads_by_ns.end()) return;
    for (uint32_t w : it->second) {
      if (sel->matches(g_.pod_labels(w))) {
        add(EdgeKind::kSelects, i, w, ev != nullptr ? ev->span() : o.anchor().span(), o.kind);
      }
    }
  }

  // Namespaced object -> Namespace; custom resource -> CRD; PVC -> StorageClass; Secret -> its producer.
  void reference_edges(uint32_t i) {
    const auto& o = g_.objects[i];
    if (!o.name_space.empty()) {
      if (auto to = find("Namespace", "", o.name_space)) {
        const yaml::Node* ns_node = o.metadata() != nullptr ? o.metadata()->get("namespace") : nullptr;
        add(EdgeKind::kReferences, i, *to, ns_node != nullptr ? ns_node->span() : o.anchor().span(), "namespace");
      }
    }
    if (!o.group().empty() && !shared_.crd_by_group_kind.empty()) {
      auto it = shared_.crd_by_group_kind.find(std::string(o.group()) + "/" + o.kind);
      if (it != shared_.crd_by_group_kind.end()) {
        const yaml::Node* kind = o.root.get("kind");
        add(EdgeKind::kReferences, i, it->second, kind != nullptr ? kind->span() : o.anchor().span(), "custom resource");
      }
    }
    if (o.kind == "PersistentVolumeClaim") ref(i, "StorageClass", "", o.root.at({"spec", "storageClassName"}), "storageClassName");
    if (o.kind == "Secret") {
      for (const char* producer : {"SealedSecret", "ExternalSecret"}) {
        for (uint32_t p : g_.of_kind(producer)) {
          const auto& po = g_.objects[p];
          if (po.name_space != o.name_space) continue;
          std::string produced = po.name;
          const yaml::Node* tn = std::string_view(producer) == "SealedSecret"
                                     ? po.root.at({"spec", "template", "metadata", "name"})
                                     : po.root.at({"spec", "target", "name"});
          if (tn != nullptr && tn->is_scalar() && !tn->value().empty()) produced = tn->value();
          if (produced == o.name) add(EdgeKind::kReferences, i, p, o.anchor().span(), producer);
        }
      }
    }
  }

  const Graph& g_;
  const SharedIndex& shared_;
  std::vector<Edge>& edges_;
  std::vector<UnresolvedTalk>& talks_;
};

std::string image_kind(const k8s::Object& w, const GraphOptions& opts) {
  const yaml::Node* spec = k8s::pod_spec(w);
  if (spec == nullptr) return {};
  const auto* cs = spec->get("containers");
  if (cs == nullptr || !cs->is_seq()) return {};
  for (const auto& c : cs->items()) {
    const auto* image = c.get("image");
    if (image == nullptr) continue;
    // Match on the repository name, not the registry host or tag.
    std::string_view repo = image->value();
    repo = repo.substr(0, repo.find('@'));
    const size_t slash = repo.rfind('/');
    std::string_view last = slash == std::string_view::npos ? repo : repo.substr(slash + 1);
    last = last.substr(0, last.find(':'));
    for (const auto& [needle, kind] : opts.datastore_images) {
      if (icontains(last, needle)) return kind;
    }
  }
  return {};
}

/// The datastore kind of one Service: a well-known port, else the image of a workload it selects.
std::string datastore_of(const Graph& g, uint32_t s, const GraphOptions& opts) {
  const auto& svc = g.objects[s];
  std::string kind;
  if (const auto* ports = svc.root.at({"spec", "ports"}); ports != nullptr && ports->is_seq()) {
    for (const auto& p : ports->items()) {
      for (const char* field : {"port", "targetPort"}) {
        const auto* n = p.get(field);
        if (n == nullptr) continue;
        if (auto v = n->as_int()) {
          auto it = opts.datastore_ports.find(static_cast<int>(*v));
          if (it != opts.datastore_ports.end() && kind.empty()) kind = it->second;
        }
      }
    }
  }
  if (kind.empty()) {
    for (uint32_t e : g.out_edges(s)) {
      if (g.edges[e].kind != EdgeKind::kSelects) continue;
      kind = image_kind(g.objects[g.edges[e].to], opts);
      if (!kind.empty()) break;
    }
  }
  return kind;
}

void detect_datastores(Graph& g, const GraphOptions& opts, unsigned threads) {
  const auto& services = g.of_kind("Service");
  std::vector<std::string> kinds(services.size());
  parallel_for(services.size(), threads, [&](size_t i) { kinds[i] = datastore_of(g, services[i], opts); });
  for (size_t i = 0; i < services.size(); ++i) {
    if (!kinds[i].empty()) g.datastores_[services[i]] = std::move(kinds[i]);
  }
}

/// The deterministic edge order: by source object, kind, target, evidence position, detail.
bool edge_less(const Edge& a, const Edge& b) {
  return std::tie(a.from, a.kind, a.to, a.evidence.begin.line, a.evidence.begin.column, a.detail) <
         std::tie(b.from, b.kind, b.to, b.evidence.begin.line, b.evidence.begin.column, b.detail);
}

/// Drops duplicate edges (already sorted by edge_less) and builds the per-object indexes.
void finish_edges(Graph& g) {
  assert(std::is_sorted(g.edges.begin(), g.edges.end(), edge_less));
  g.edges.erase(std::unique(g.edges.begin(), g.edges.end(),
                            [](const Edge& a, const Edge& b) {
                              return a.from == b.from && a.kind == b.kind && a.to == b.to &&
                                     a.evidence.file == b.evidence.file && a.evidence.begin == b.evidence.begin &&
                                     a.detail == b.detail;
                            }),
                g.edges.end());
  // Counting sort by object: each list keeps edge order, as one vector per object did.
  const size_t n = g.objects.size();
  g.out_first_.assign(n + 1, 0);
  g.in_first_.assign(n + 1, 0);
  for (const Edge& e : g.edges) {
    ++g.out_first_[e.from + 1];
    if (e.kind != EdgeKind::kSchedulesOn) ++g.in_first_[e.to + 1];
  }
  for (size_t i = 0; i < n; ++i) {
    g.out_first_[i + 1] += g.out_first_[i];
    g.in_first_[i + 1] += g.in_first_[i];
  }
  g.out_ids_.resize(g.out_first_[n]);
  g.in_ids_.resize(g.in_first_[n]);
  std::vector<uint32_t> out_next(g.out_first_.begin(), g.out_first_.end() - 1);
  std::vector<uint32_t> in_next(g.in_first_.begin(), g.in_first_.end() - 1);
  for (uint32_t e = 0; e < g.edges.size(); ++e) {
    g.out_ids_[out_next[g.edges[e].from]++] = e;
    if (g.edges[e].kind != EdgeKind::kSchedulesOn) g.in_ids_[in_next[g.edges[e].to]++] = e;
  }
}

}  // namespace

std::string_view to_string(EdgeKind k) {
  switch (k) {
    case EdgeKind::kSelects: return "selects";
    case EdgeKind::kSchedulesOn: return "schedules-on";
    case EdgeKind::kMounts: return "mounts";
    case EdgeKind::kReferences: return "references";
    case EdgeKind::kTalksTo: return "talks-to";
  }
  return "?";
}

GraphOptions GraphOptions::defaults() {
  GraphOptions o;
  o.datastore_ports = {{5432, "postgresql"}, {6379, "redis"}, {26379, "redis"}, {5672, "rabbitmq"},
                       {5671, "rabbitmq"},   {3306, "mysql"}, {27017, "mongodb"}, {9092, "kafka"}};
  o.datastore_images = {{"postgres", "postgresql"}, {"postgis", "postgresql"}, {"timescaledb", "postgresql"},
                        {"redis", "redis"},         {"valkey", "redis"},       {"rabbitmq", "rabbitmq"},
                        {"mysql", "mysql"},         {"mariadb", "mysql"},      {"mongo", "mongodb"},
                        {"kafka", "kafka"}};
  o.datastore_schemes = {{"postgres", "postgresql"}, {"postgresql", "postgresql"}, {"redis", "redis"},
                         {"rediss", "redis"},        {"amqp", "rabbitmq"},         {"amqps", "rabbitmq"},
                         {"mysql", "mysql"},         {"mongodb", "mongodb"},       {"mongodb+srv", "mongodb"},
                         {"kafka", "kafka"}};
  return o;
}

std::optional<uint32_t> Graph::find(std::string_view kind, std::string_view ns, std::string_view name) const {
  auto it = by_id_.find(IdView{kind, ns, name});
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

const std::vector<uint32_t>& Graph::of_kind(std::string_view kind) const {
  auto it = by_kind_.find(kind);
  return it == by_kind_.end() ? kEmpty : it->second;
}

std::span<const uint32_t> Graph::out_edges(uint32_t object) const {
  if (object + size_t{1} >= out_first_.size()) return {};
  return std::span<const uint32_t>(out_ids_).subspan(out_first_[object], out_first_[object + 1] - out_first_[object]);
}

std::span<const uint32_t> Graph::in_edges(uint32_t object) const {
  if (object + size_t{1} >= in_first_.size()) return {};
  return std::span<const uint32_t>(in_ids_).subspan(in_first_[object], in_first_[object + 1] - in_first_[object]);
}

std::optional<std::string_view> Graph::datastore_kind(uint32_t service) const {
  auto it = datastores_.find(service);
  if (it == datastores_.end()) return std::nullopt;
  return std::string_view(it->second);
}

bool Graph::knows_namespace(std::string_view ns) const { return namespaces_.find(ns) != namespaces_.end(); }

const k8s::Labels& Graph::pod_labels(uint32_t object) const {
  static const k8s::Labels kNone;
  return object < pod_labels_.size() ? pod_labels_[object] : kNone;
}

Graph build_graph(std::vector<k8s::Object> objects, k8s::Inventory inventory, const GraphOptions& options,
                  unsigned threads) {
  Graph g;
  g.objects = std::move(objects);
  g.inventory = std::move(inventory);
  SharedIndex shared;
  index(g, shared, threads);
  // Runs of objects, each with its own output, merged in object order: the result does not depend on threads.
  constexpr size_t kRun = 256;
  const size_t runs = (g.objects.size() + kRun - 1) / kRun;
  std::vector<std::vector<Edge>> edges(runs);
  std::vector<std::vector<UnresolvedTalk>> talks(runs);
  parallel_for(runs, threads, [&](size_t r) {
    EdgeBuilder builder(g, shared, edges[r], talks[r]);
    const size_t end = std::min(g.objects.size(), (r + 1) * kRun);
    for (size_t i = r * kRun; i < end; ++i) builder.object(static_cast<uint32_t>(i));
    // A run's edges all leave its own objects, so sorting runs separately and joining them in run order
    // gives the global edge_less order.
    std::sort(edges[r].begin(), edges[r].end(), edge_less);
  });
  size_t edge_count = 0;
  for (const auto& run : edges) edge_count += run.size();
  g.edges.reserve(edge_count);
  for (size_t r = 0; r < runs; ++r) {
    std::move(edges[r].begin(), edges[r].end(), std::back_inserter(g.edges));
    std::move(talks[r].begin(), talks[r].end(), std::back_inserter(g.unresolved_talks));
  }
  finish_edges(g);
  detect_datastores(g, options, threads);
  return g;
}

}  // namespace gl::graph
