#include "render/kustomize/nameref.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "k8s/object.h"

namespace gl::render::kustomize {
namespace {

// ---------------------------------------------------------------------------------------------------------
// The table. Pod-spec references repeat for every workload kind, so they are written once per pod spec
// location and expanded when the table is first used.

/// Where a pod spec sits in a workload kind.
struct PodSpecAt {
  std::string_view kind;
  std::string_view group;
  std::string_view version;
  std::string_view prefix;
};

constexpr std::string_view kWorkloadSpec = "spec/template/spec/";
constexpr std::string_view kCronJobSpec = "spec/jobTemplate/spec/template/spec/";
constexpr std::string_view kRbac = "rbac.authorization.k8s.io";
constexpr std::string_view kAdmission = "admissionregistration.k8s.io";

/// ConfigMap and Secret references: Pod (v1 only), PodTemplate, the five template workloads, CronJob.
constexpr PodSpecAt kDataRefHolders[] = {{"Pod", "", "v1", "spec/"},
                                         {"PodTemplate", "", "", "template/spec/"},
                                         {"Deployment", "", "", kWorkloadSpec},
                                         {"ReplicaSet", "", "", kWorkloadSpec},
                                         {"DaemonSet", "", "", kWorkloadSpec},
                                         {"StatefulSet", "", "", kWorkloadSpec},
                                         {"Job", "", "", kWorkloadSpec},
                                         {"CronJob", "", "", kCronJobSpec}};

/// ServiceAccount, PersistentVolumeClaim and PriorityClass references.
constexpr PodSpecAt kPodRefHolders[] = {{"Pod", "", "", "spec/"},
                                        {"StatefulSet", "", "", kWorkloadSpec},
                                        {"Deployment", "", "", kWorkloadSpec},
                                        {"ReplicationController", "", "", kWorkloadSpec},
                                        {"CronJob", "", "", kCronJobSpec},
                                        {"Job", "", "", kWorkloadSpec},
                                        {"DaemonSet", "", "", kWorkloadSpec}};

constexpr std::string_view kConfigMapPodFields[] = {"volumes/configMap/name",
                                                    "containers/env/valueFrom/configMapKeyRef/name",
                                                    "initContainers/env/valueFrom/configMapKeyRef/name",
                                                    "containers/envFrom/configMapRef/name",
                                                    "initContainers/envFrom/configMapRef/name",
                                                    "volumes/projected/sources/configMap/name"};

constexpr std::string_view kSecretPodFields[] = {"volumes/secret/secretName",
                                                 "containers/env/valueFrom/secretKeyRef/name",
                                                 "initContainers/env/valueFrom/secretKeyRef/name",
                                                 "containers/envFrom/secretRef/name",
                                                 "initContainers/envFrom/secretRef/name",
                                                 "imagePullSecrets/name",
                                                 "volumes/projected/sources/secret/name"};

constexpr NameRefField kHpaFields[] = {{"HorizontalPodAutoscaler", "", "", "spec/scaleTargetRef/name"}};

constexpr NameRefField kConfigMapOther[] = {
    {"Node", "", "", "spec/configSource/configMap"},
    {"Role", "", "", "rules/resourceNames"},
    {"ClusterRole", "", "", "rules/resourceNames"},
    {"Ingress", "", "", R"(metadata/annotations/nginx.ingress.kubernetes.io\/fastcgi-params-configmap)"}};

constexpr NameRefField kSecretOther[] = {
    {"Ingress", "", "", "spec/tls/secretName"},
    {"Ingress", "", "", R"(metadata/annotations/ingress.kubernetes.io\/auth-secret)"},
    {"Ingress", "", "", R"(metadata/annotations/nginx.ingress.kubernetes.io\/auth-secret)"},
    {"Ingress", "", "", R"(metadata/annotations/nginx.ingress.kubernetes.io\/auth-tls-secret)"},
    {"Ingress", "", "", "spec/tls/secretName"},  // listed twice upstream; harmless
    {"ServiceAccount", "", "", "imagePullSecrets/name"},
    {"StorageClass", "", "", "parameters/secretName"},
    {"StorageClass", "", "", "parameters/adminSecretName"},
    {"StorageClass", "", "", "parameters/userSecretName"},
    {"StorageClass", "", "", "parameters/secretRef"},
    {"Role", "", "", "rules/resourceNames"},
    {"ClusterRole", "", "", "rules/resourceNames"},
    {"Service", "serving.knative.dev", "v1", "spec/template/spec/containers/env/valueFrom/secretKeyRef/name"},
    {"PersistentVolume", "", "", "spec/azureFile/secretName"}};

constexpr NameRefField kServiceFields[] = {
    {"StatefulSet", "apps", "", "spec/serviceName"},
    {"Ingress", "", "", "spec/rules/http/paths/backend/serviceName"},
    {"Ingress", "", "", "spec/backend/serviceName"},
    {"Ingress", "", "", "spec/rules/http/paths/backend/service/name"},
    {"Ingress", "", "", "spec/defaultBackend/service/name"},
    {"APIService", "apiregistration.k8s.io", "", "spec/service/name"},
    {"ValidatingWebhookConfiguration", kAdmission, "", "webhooks/clientConfig/service"},
    {"MutatingWebhookConfiguration", kAdmission, "", "webhooks/clientConfig/service"}};

constexpr NameRefField kRoleFields[] = {{"RoleBinding", kRbac, "", "roleRef/name"}};
constexpr NameRefField kClusterRoleFields[] = {{"RoleBinding", kRbac, "", "roleRef/name"},
                                               {"ClusterRoleBinding", kRbac, "", "roleRef/name"}};
constexpr NameRefField kServiceAccountOther[] = {{"RoleBinding", kRbac, "", "subjects"},
                                                 {"ClusterRoleBinding", kRbac, "", "subjects"}};
constexpr NameRefField kPvFields[] = {{"PersistentVolumeClaim", "", "", "spec/volumeName"},
                                      {"ClusterRole", "", "", "rules/resourceNames"}};
constexpr NameRefField kStorageClassFields[] = {
    {"PersistentVolume", "", "", "spec/storageClassName"},
    {"PersistentVolumeClaim", "", "", "spec/storageClassName"},
    {"StatefulSet", "", "", "spec/volumeClaimTemplates/spec/storageClassName"}};
// Upstream gives IngressClass the group "networking.k8s.io/v1", which no object has: kustomize never
// rewrites ingressClassName, and neither do we.
constexpr NameRefField kIngressClassFields[] = {{"Ingress", "", "", "spec/ingressClassName"}};
constexpr NameRefField kAdmissionPolicyFields[] = {
    {"ValidatingAdmissionPolicyBinding", kAdmission, "", "spec/policyName"}};

struct Table {
  std::deque<std::string> paths;  // storage for expanded pod-spec paths
  std::deque<std::vector<NameRefField>> lists;
  std::vector<NameBackRef> refs;

  std::span<const NameRefField> list(std::vector<NameRefField> fields) {
    lists.push_back(std::move(fields));
    return lists.back();
  }

  void pod_fields(std::vector<NameRefField>& out, std::span<const PodSpecAt> holders,
                  std::span<const std::string_view> fields) {
    for (const auto& h : holders) {
      for (auto f : fields) {
        paths.push_back(std::string(h.prefix) + std::string(f));
        out.push_back({h.kind, h.group, h.version, paths.back()});
      }
    }
  }

  Table() {
    for (std::string_view kind : {"Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"}) {
      refs.push_back({kind, "", "", kHpaFields});
    }
    std::vector<NameRefField> cm;
    pod_fields(cm, kDataRefHolders, kConfigMapPodFields);
    cm.insert(cm.end(), std::begin(kConfigMapOther), std::end(kConfigMapOther));
    refs.push_back({"ConfigMap", "", "v1", list(std::move(cm))});

    std::vector<NameRefField> secret;
    pod_fields(secret, kDataRefHolders, kSecretPodFields);
    secret.insert(secret.end(), std::begin(kSecretOther), std::end(kSecretOther));
    refs.push_back({"Secret", "", "v1", list(std::move(secret))});

    refs.push_back({"Service", "", "v1", kServiceFields});
    refs.push_back({"Role", kRbac, "", kRoleFields});
    refs.push_back({"ClusterRole", kRbac, "", kClusterRoleFields});

    std::vector<NameRefField> sa(std::begin(kServiceAccountOther), std::end(kServiceAccountOther));
    static constexpr std::string_view kSaField[] = {"serviceAccountName"};
    pod_fields(sa, kPodRefHolders, kSaField);
    refs.push_back({"ServiceAccount", "", "v1", list(std::move(sa))});

    std::vector<NameRefField> pvc;
    static constexpr std::string_view kPvcField[] = {"volumes/persistentVolumeClaim/claimName"};
    pod_fields(pvc, kPodRefHolders, kPvcField);
    refs.push_back({"PersistentVolumeClaim", "", "v1", list(std::move(pvc))});

    refs.push_back({"PersistentVolume", "", "v1", kPvFields});
    refs.push_back({"StorageClass", "storage.k8s.io", "v1", kStorageClassFields});

    std::vector<NameRefField> pc;
    static constexpr std::string_view kPcField[] = {"priorityClassName"};
    pod_fields(pc, kPodRefHolders, kPcField);
    refs.push_back({"PriorityClass", "scheduling.k8s.io", "v1", list(std::move(pc))});

    refs.push_back({"IngressClass", "networking.k8s.io/v1", "v1", kIngressClassFields});
    refs.push_back({"ValidatingAdmissionPolicy", kAdmission, "", kAdmissionPolicyFields});
  }
};

// ---------------------------------------------------------------------------------------------------------
// The transformer.

/// kyaml's Gvk.IsSelected: empty selector parts match anything.
bool gvk_selected(std::string_view group, std::string_view version, std::string_view kind, std::string_view sel_group,
                  std::string_view sel_version, std::string_view sel_kind) {
  return (sel_group.empty() || group == sel_group) && (sel_version.empty() || version == sel_version) &&
         (sel_kind.empty() || kind == sel_kind);
}

/// kyaml's PathSplitter: '/'-separated, a segment ending in '\' joins the next one with a '/'.
std::vector<std::string> split_ref_path(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  if (path.starts_with('/') && path.size() > 1) start = 1;
  std::string cur;
  for (size_t i = start; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      if (!cur.empty() && cur.back() == '\\' && i < path.size()) {
        cur.back() = '/';
        continue;
      }
      out.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    cur += path[i];
  }
  return out;
}

/// Prefixes and suffixes kustomize records on a resource (oldest first), read back from its renames:
/// the name before and after each rename. The final hash suffix of a generated object is not one.
struct Affixes {
  std::vector<std::string> prefixes;
  std::vector<std::string> suffixes;
};

constexpr size_t kHashSuffixLength = 11;  // "-" and 10 characters

bool is_hash_suffix(std::string_view s) {
  if (s.size() != kHashSuffixLength || s.front() != '-') return false;
  for (char c : s.substr(1)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

Affixes affixes_of(const Resource& r) {
  Affixes out;
  std::vector<std::string> names;
  for (const auto& id : r.prev_ids) names.push_back(id.name);
  names.push_back(r.name());
  for (size_t i = 1; i < names.size(); ++i) {
    const std::string& before = names[i - 1];
    const std::string& after = names[i];
    if (before == after || before.empty()) continue;
    if (r.needs_hash && i + 1 == names.size() && after.starts_with(before) &&
        is_hash_suffix(std::string_view(after).substr(before.size()))) {
      continue;
    }
    if (after.size() > before.size() && after.ends_with(before)) {
      out.prefixes.push_back(after.substr(0, after.size() - before.size()));
    } else if (after.size() > before.size() && after.starts_with(before)) {
      out.suffixes.push_back(after.substr(before.size()));
    } else if (const size_t at = after.find(before); at != std::string::npos) {
      out.prefixes.push_back(after.substr(0, at));
      out.suffixes.push_back(after.substr(at + before.size()));
    }
  }
  return out;
}

/// kustomize's SameEndingSubSlice: the shorter list is the tail of the longer one (two empty lists match).
bool same_ending(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const auto& shorter = a.size() <= b.size() ? a : b;
  const auto& longer = a.size() <= b.size() ? b : a;
  if (shorter.empty()) return longer.empty();
  return std::equal(shorter.begin(), shorter.end(), longer.end() - static_cast<std::ptrdiff_t>(shorter.size()));
}

bool affixes_equal(const Affixes& a, const Affixes& b, bool allow_empty) {
  if (allow_empty) {
    const bool prefix_ok = a.prefixes.empty() || b.prefixes.empty() || same_ending(a.prefixes, b.prefixes);
    const bool suffix_ok = a.suffixes.empty() || b.suffixes.empty() || same_ending(a.suffixes, b.suffixes);
    return prefix_ok && suffix_ok;
  }
  return same_ending(a.prefixes, b.prefixes) && same_ending(a.suffixes, b.suffixes);
}

std::string describe(const ResId& id) {
  return id.ns.empty() ? fmt::format("{} `{}`", id.kind, id.name) : fmt::format("{} `{}/{}`", id.kind, id.ns, id.name);
}

class Fixer {
 public:
  Fixer(std::vector<Resource>& resources, std::vector<RenderError>& errors) : all_(resources), errors_(errors) {
    // Only referring fields change below, never an object's own id, so ids are read once.
    for (const auto& r : all_) {
      affixes_.push_back(affixes_of(r));
      ids_.push_back(r.id());
      // Previous ids as kustomize reads them back: the current group/version with each previous kind.
      std::vector<ResId> prev = r.prev_ids;
      for (auto& id : prev) {
        id.group = ids_.back().group;
        id.version = ids_.back().version;
      }
      prev_.push_back(std::move(prev));
    }
  }

  void run(const Table& table) {
    for (size_t r = 0; r < all_.size(); ++r) {
      if (!all_[r].root.is_map()) continue;
      const ResId org = all_[r].orig_id();
      bool have_candidates = false;
      for (const auto& back : table.refs) {
        for (const auto& field : back.referrers) {
          if (!gvk_selected(org.group, org.version, org.kind, field.group, field.version, field.kind)) continue;
          if (!have_candidates) {
            candidates_ = subset_for(r);
            have_candidates = true;
          }
          referrer_ = r;
          target_ = &back;
          field_ = &field;
          const auto path = split_ref_path(field.path);
          walk(all_[r].root, path);
        }
      }
    }
  }

 private:
  std::vector<Resource>& all_;
  std::vector<RenderError>& errors_;
  std::vector<Affixes> affixes_;
  std::vector<ResId> ids_;
  std::vector<std::vector<ResId>> prev_;
  std::vector<size_t> candidates_;  // what the current referrer may refer to
  size_t referrer_ = 0;
  const NameBackRef* target_ = nullptr;
  const NameRefField* field_ = nullptr;

  void fail(Span at, std::string message) {
    errors_.push_back(RenderError{
        at,
        fmt::format("name reference in `{}` of {}: {}", field_->path, describe(all_[referrer_].id()), message),
        {}});
  }

  /// kustomize's SubsetThatCouldBeReferencedByResource.
  std::vector<size_t> subset_for(size_t r) const {
    const ResId& me = ids_[r];
    std::vector<size_t> out;
    const bool cluster = k8s::is_cluster_scoped(me.kind);
    std::vector<std::string> binding_namespaces;
    if (!cluster && me.kind == "RoleBinding") {
      if (const auto* subjects = all_[r].root.get("subjects"); subjects != nullptr && subjects->is_seq()) {
        for (const auto& s : subjects->items) {
          const auto* ns = s.get("namespace");
          const auto* kind = s.get("kind");
          if (ns != nullptr && kind != nullptr && kind->str() == "ServiceAccount" && ns->is_scalar()) {
            binding_namespaces.emplace_back(ns->str());
          }
        }
      }
    }
    for (size_t i = 0; i < all_.size(); ++i) {
      if (!all_[i].root.is_map()) continue;
      const ResId& id = ids_[i];
      if (cluster || k8s::is_cluster_scoped(id.kind) || id.effective_ns() == me.effective_ns() ||
          std::find(binding_namespaces.begin(), binding_namespaces.end(), id.ns) != binding_namespaces.end()) {
        out.push_back(i);
      }
    }
    return out;
  }

  void walk(MNode& node, std::span<const std::string> path) {
    if (path.empty()) {
      set(node);
      return;
    }
    if (node.is_null()) return;
    if (node.is_seq()) {
      for (auto& item : node.items) walk(item, path);
      return;
    }
    if (!node.is_map()) {
      fail(node.span, fmt::format("expected a list or a mapping at `{}`", path.front()));
      return;
    }
    MNode* next = node.get(path.front());
    if (next == nullptr) return;
    walk(*next, path.subspan(1));
  }

  void set(MNode& node) {
    if (node.is_null()) return;
    if (node.is_scalar()) {
      set_scalar(node);
    } else if (node.is_map()) {
      set_mapping(node);
    } else {
      for (auto& item : node.items) {
        if (item.is_null()) continue;
        if (item.is_scalar()) {
          set_scalar(item);
        } else if (item.is_map()) {
          set_mapping(item);
        } else {
          fail(item.span, "expected a name or a mapping with a name");
        }
      }
    }
  }

  void set_scalar(MNode& node) {
    const std::string old_name = node.value;
    auto referral = select(old_name, candidates_, false, node.span);
    if (!referral) return;
    const std::string name = all_[*referral].name();
    if (name == old_name) return;
    node = MNode::string(name, node.span);
  }

  void set_mapping(MNode& node) {
    MNode* name_node = node.get("name");
    if (name_node == nullptr) {
      fail(node.span, "the mapping has no `name` field");
      return;
    }
    std::vector<size_t> candidates = candidates_;
    if (const MNode* ns_node = node.get("namespace"); ns_node != nullptr) {
      candidates = by_namespace(std::string(ns_node->str()));
    }
    const std::string old_name(name_node->str());
    auto referral = select(old_name, candidates, true, name_node->span);
    if (!referral) return;
    const std::string name = all_[*referral].name();
    const std::string ns = all_[*referral].ns();
    if (name == old_name && ns.empty()) return;
    *name_node = MNode::string(name, name_node->span);
    if (ns.empty()) return;
    if (MNode* ns_node = node.get("namespace"); ns_node != nullptr) {
      *ns_node = MNode::string(ns, ns_node->span);
    } else {
      node.set("namespace", MNode::string(ns, name_node->span), name_node->span);
    }
  }

  /// kustomize's filterMapCandidatesByNamespace: candidates whose original namespace is `ns`, else those
  /// whose current namespace is (cluster-scoped objects are in neither group).
  std::vector<size_t> by_namespace(const std::string& ns) const {
    std::vector<size_t> out;
    for (size_t i : candidates_) {
      const ResId& org = prev_[i].empty() ? ids_[i] : prev_[i].front();
      if (!k8s::is_cluster_scoped(org.kind) && org.effective_ns() == ns) out.push_back(i);
    }
    if (!out.empty()) return out;
    for (size_t i : candidates_) {
      const ResId& cur = ids_[i];
      if (!k8s::is_cluster_scoped(cur.kind) && cur.effective_ns() == ns) out.push_back(i);
    }
    return out;
  }

  /// kustomize's selectReferral; nullopt when nothing (or, with an error added, too much) matches.
  std::optional<size_t> select(const std::string& old_name, const std::vector<size_t>& from, bool with_namespace,
                               Span at) {
    const ResId& me = ids_[referrer_];
    // The group and kind a RoleBinding's roleRef names narrow its candidates.
    std::optional<std::pair<std::string, std::string>> role_ref;
    if (field_->path.ends_with("roleRef/name")) {
      const MNode* group = all_[referrer_].root.at({"roleRef", "apiGroup"});
      const MNode* kind = all_[referrer_].root.at({"roleRef", "kind"});
      if (group != nullptr && kind != nullptr && !group->is_null() && !kind->is_null()) {
        role_ref.emplace(std::string(group->str()), std::string(kind->str()));
      }
    }
    const bool referrer_cluster = k8s::is_cluster_scoped(me.kind);
    std::vector<size_t> c;
    for (size_t i : from) {
      const auto& ids = prev_[i];
      bool name_hit = false, gvk_hit = false, role_hit = !role_ref.has_value();
      for (const auto& id : ids) name_hit = name_hit || id.name == old_name;
      for (const auto& id : ids) {
        gvk_hit =
            gvk_hit || gvk_selected(id.group, id.version, id.kind, target_->group, target_->version, target_->kind);
        if (role_ref)
          role_hit = role_hit || gvk_selected(id.group, id.version, id.kind, role_ref->first, "", role_ref->second);
      }
      if (!name_hit || !gvk_hit || !role_hit) continue;
      const ResId& cur = ids_[i];
      if (!referrer_cluster && !k8s::is_cluster_scoped(cur.kind) && cur.kind != "ServiceAccount" &&
          cur.effective_ns() != me.effective_ns()) {
        continue;
      }
      c.push_back(i);
    }
    if (c.size() == 1) return c.front();
    auto sieve = [&](bool allow_empty) {
      std::vector<size_t> kept;
      for (size_t i : c) {
        if (affixes_equal(affixes_[i], affixes_[referrer_], allow_empty)) kept.push_back(i);
      }
      c = std::move(kept);
    };
    sieve(true);
    if (c.size() > 1) sieve(false);
    if (c.size() == 1) return c.front();
    if (c.empty()) return std::nullopt;
    bool identical = true;
    for (size_t i : c) {
      identical = identical && all_[i].name() == all_[c.front()].name() &&
                  (!with_namespace || all_[i].ns() == all_[c.front()].ns());
    }
    if (identical) return c.front();
    std::vector<std::string> ids;
    ids.reserve(c.size());
    for (size_t i : c) ids.push_back(describe(all_[i].id()));
    fail(at, fmt::format("`{}` could refer to any of {}", old_name, fmt::join(ids, ", ")));
    return std::nullopt;
  }
};

const Table& table() {
  static const Table kTable;
  return kTable;
}

}  // namespace

std::span<const NameBackRef> name_reference_table() { return table().refs; }

void fix_name_references(std::vector<Resource>& resources, std::vector<RenderError>& errors) {
  Fixer(resources, errors).run(table());
}

void fix_name_references(std::vector<Resource>& resources) {
  std::vector<RenderError> ignored;
  fix_name_references(resources, ignored);
}

}  // namespace gl::render::kustomize
