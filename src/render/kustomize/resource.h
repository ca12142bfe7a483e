#pragma once
// Internal model of a Kustomize build: resources with their current and previous ids (names change under
// prefixes, suffixes, namespaces and hashes; references and patches still find them by older ids).
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "render/render.h"
#include "render/tree.h"

namespace gl::render::kustomize {

/// group/version/kind + namespace + name, as kustomize's ResId.
struct ResId {
  std::string group;
  std::string version;
  std::string kind;
  std::string name;
  std::string ns;  ///< as written ("" when absent)

  /// "kind.version.group/name.ns" as kustomize prints ids in errors ("[noNs]" when ns is empty).
  std::string display() const;
  /// Namespace with "" read as "default" for namespaced kinds, "" for cluster-scoped kinds.
  std::string effective_ns() const;
  bool same_gvk(const ResId& o) const { return group == o.group && version == o.version && kind == o.kind; }
  /// Kustomize's ResId.Equals: same GVK, name and effective namespace.
  bool equals(const ResId& o) const;
};

ResId id_of(const MNode& root);

/// Kinds kustomize knows to be cluster-scoped (its built-in OpenAPI schema). Custom kinds such as
/// ClusterIssuer are namespaced to kustomize: `namespace:` is added to them, as `kubectl kustomize` does.
bool cluster_scoped(std::string_view kind);

/// Renames the keys of mapping `n` that equal a `known` field name ignoring case to that spelling: kustomize
/// decodes its configuration with Go's encoding/json, which matches field names case-insensitively.
void canonicalize_keys(MNode& n, std::span<const std::string_view> known);

/// Splits an apiVersion into (group, version): "apps/v1" -> ("apps","v1"), "v1" -> ("","v1").
std::pair<std::string, std::string> split_api_version(std::string_view api_version);

struct Resource {
  MNode root;
  std::vector<ResId> prev_ids;  ///< ids this resource had before renames, oldest first
  /// For generated ConfigMaps/Secrets: whether a content-hash suffix is appended at the top-level build.
  bool needs_hash = false;
  /// Generator behavior ("create", "merge", "replace"); empty for ordinary resources.
  std::string behavior;
  /// Where the resource entered the build (its file, or the generator entry): for errors and ordering.
  Span origin;

  ResId id() const { return id_of(root); }
  ResId orig_id() const { return prev_ids.empty() ? id() : prev_ids.front(); }
  /// The current id, then every previous one (oldest first).
  std::vector<ResId> all_ids() const;
  /// True when `id` equals the current id or any previous one.
  bool matches_any_id(const ResId& id) const;
  std::string name() const;
  std::string kind() const;
  std::string ns() const;
  /// Renames (recording the previous id); `at` is the provenance of the new name.
  void set_name(const std::string& name, Span at);
  void set_namespace(const std::string& ns, Span at);
};

/// A file loader for generators and patches: reads a path relative to the kustomization directory,
/// enforcing kustomize's load restrictions. Returns nullptr with `error` set on failure.
struct FileLoader {
  Context& ctx;
  std::string dir;  ///< repository-relative directory of the kustomization
  /// Resolves `rel` against dir; nullopt (error set) when it leaves the kustomization root or the repo.
  std::optional<std::string> resolve(std::string_view rel, std::string* error) const;
  const SourceFile* text(std::string_view rel, std::string* error) const;
};

}  // namespace gl::render::kustomize
