#include "render/kustomize/resource.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/strings.h"

namespace gl::render::kustomize {

std::pair<std::string, std::string> split_api_version(std::string_view api_version) {
  const auto slash = api_version.rfind('/');
  if (slash == std::string_view::npos) return {"", std::string(api_version)};
  return {std::string(api_version.substr(0, slash)), std::string(api_version.substr(slash + 1))};
}

void canonicalize_keys(MNode& n, std::span<const std::string_view> known) {
  if (!n.is_map()) return;
  for (auto& k : n.keys) {
    for (auto name : known) {
      if (k.value.size() == name.size() && k.value != name &&
          std::equal(name.begin(), name.end(), k.value.begin(),
                     [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); })) {
        k.value = std::string(name);
      }
    }
  }
}

std::string ResId::display() const {
  return fmt::format("{}.{}.{}/{}.{}", kind.empty() ? "[noKind]" : kind, version.empty() ? "[noVer]" : version,
                     group.empty() ? "[noGrp]" : group, name.empty() ? "[noName]" : name, ns.empty() ? "[noNs]" : ns);
}

bool cluster_scoped(std::string_view kind) {
  static constexpr std::string_view kKinds[] = {
      "APIService", "CSIDriver", "CSINode", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding",
      "ComponentStatus", "CustomResourceDefinition", "FlowSchema", "IngressClass", "MutatingWebhookConfiguration",
      "Namespace", "Node", "NodeProxyOptions", "PersistentVolume", "PodSecurityPolicy", "PriorityClass",
      "PriorityLevelConfiguration", "RuntimeClass", "StorageClass", "ValidatingAdmissionPolicy",
      "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration", "VolumeAttachment"};
  return std::find(std::begin(kKinds), std::end(kKinds), kind) != std::end(kKinds);
}

std::string ResId::effective_ns() const {
  if (cluster_scoped(kind)) return "~X";
  return ns.empty() ? "default" : ns;
}

bool ResId::equals(const ResId& o) const { return same_gvk(o) && name == o.name && effective_ns() == o.effective_ns(); }

ResId id_of(const MNode& root) {
  ResId id;
  if (const auto* av = root.get("apiVersion")) std::tie(id.group, id.version) = split_api_version(av->str());
  if (const auto* k = root.get("kind")) id.kind = std::string(k->str());
  if (const auto* n = root.at({"metadata", "name"})) id.name = std::string(n->str());
  if (const auto* ns = root.at({"metadata", "namespace"})) id.ns = std::string(ns->str());
  return id;
}

std::vector<ResId> Resource::all_ids() const {
  std::vector<ResId> ids{id()};
  ids.insert(ids.end(), prev_ids.begin(), prev_ids.end());
  return ids;
}

bool Resource::matches_any_id(const ResId& want) const {
  if (id().equals(want)) return true;
  for (const auto& p : prev_ids) {
    if (p.equals(want)) return true;
  }
  return false;
}

std::string Resource::name() const {
  const auto* n = root.at({"metadata", "name"});
  return n != nullptr ? std::string(n->str()) : std::string();
}

std::string Resource::kind() const {
  const auto* k = root.get("kind");
  return k != nullptr ? std::string(k->str()) : std::string();
}

std::string Resource::ns() const {
  const auto* n = root.at({"metadata", "namespace"});
  return n != nullptr ? std::string(n->str()) : std::string();
}

void Resource::set_name(const std::string& name, Span at) {
  const ResId before = id();
  if (before.name == name) return;
  prev_ids.push_back(before);
  MNode* meta = root.ensure_map("metadata", at);
  if (meta != nullptr) meta->set("name", MNode::string(name, at));
}

void Resource::set_namespace(const std::string& ns, Span at) {
  const ResId before = id();
  if (before.ns == ns) return;
  prev_ids.push_back(before);
  MNode* meta = root.ensure_map("metadata", at);
  if (meta != nullptr) meta->set("namespace", MNode::string(ns, at));
}

std::optional<std::string> FileLoader::resolve(std::string_view rel, std::string* error) const {
  if (rel.starts_with("/")) {
    if (error != nullptr) *error = fmt::format("absolute path `{}` is not allowed: paths are relative to the kustomization", rel);
    return std::nullopt;
  }
  bool ok = true;
  auto joined = std::optional<std::string>(normalize_path(join_path(dir, rel), &ok));
  if (!ok) {
    if (error != nullptr) *error = fmt::format("`{}` is outside the repository", rel);
    return std::nullopt;
  }
  // kustomize's default load restrictor: files must be in or below the kustomization's directory.
  if (!dir.empty() && *joined != dir && !joined->starts_with(dir + "/")) {
    if (error != nullptr)
      *error = fmt::format("security: file `{}` is not in or below the kustomization directory `{}`", *joined, dir);
    return std::nullopt;
  }
  return joined;
}

const SourceFile* FileLoader::text(std::string_view rel, std::string* error) const {
  auto path = resolve(rel, error);
  if (!path) return nullptr;
  return ctx.source(*path, error);
}

}  // namespace gl::render::kustomize
