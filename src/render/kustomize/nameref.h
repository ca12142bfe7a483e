#pragma once
// Kustomize's name-reference transformer: after prefixes, suffixes, namespaces and hashes renamed objects,
// the fields that refer to them by name (a pod's configMapRef, a RoleBinding's subjects, an Ingress
// backend, ...) are rewritten to the referred object's current name (and namespace, for name+namespace
// references), choosing the referral exactly as kustomize v5 does.
#include <span>
#include <string_view>
#include <vector>

#include "render/kustomize/resource.h"
#include "render/render.h"

namespace gl::render::kustomize {

/// One field that may hold the name of a referral: in objects of kind/group/version (empty: any).
struct NameRefField {
  std::string_view kind;
  std::string_view group;
  std::string_view version;
  std::string_view path;  ///< '/'-separated, `\/` for a slash inside a key; lists met on the way are walked
};

/// The fields that refer to objects of one kind/group/version (empty: any).
struct NameBackRef {
  std::string_view kind;
  std::string_view group;
  std::string_view version;
  std::span<const NameRefField> referrers;
};

/// kustomize v5's built-in nameReference table (api/internal/konfig/builtinpluginconsts/namereference.go).
std::span<const NameBackRef> name_reference_table();

/// Rewrites name references to renamed resources. Kustomize's failures (several referrals that differ, a
/// malformed referring field) are added to `errors` at the referring field and leave it unchanged.
void fix_name_references(std::vector<Resource>& resources, std::vector<RenderError>& errors);
/// As above, dropping the errors.
void fix_name_references(std::vector<Resource>& resources);

}  // namespace gl::render::kustomize
