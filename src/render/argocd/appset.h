#pragma once
// Argo CD ApplicationSet expansion, offline: the generators (list, clusters, git directories and files read
// from the tree being checked, matrix, merge, selector) produce parameter sets, and each set renders the
// template (fasttemplate or Go template with Sprig, templatePatch) into an Application, as the
// ApplicationSet controller (v2.x) does. Generators that need a server (scmProvider, pullRequest,
// clusterDecisionResource, plugin) or another repository are reported as notes and produce nothing.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.h"
#include "render/render.h"
#include "render/tree.h"
#include "yaml/node.h"

namespace gl::render::argocd {

/// A cluster Argo CD knows (a cluster secret), as the clusters generator sees it.
struct Cluster {
  std::string name;
  std::string server;
  std::map<std::string, std::string> labels, annotations;
  std::string project;  ///< the secret's `project` (scoped cluster), empty when none
  Span at;              ///< where the cluster is configured, when known
};

struct AppSetOptions {
  /// Clusters Argo CD knows (config `clusters:`); when empty, the in-cluster default only
  /// (name `in-cluster`, server `https://kubernetes.default.svc`).
  std::vector<Cluster> clusters;
  /// True when a git generator's repoURL is the repository being checked: its directories/files are then read
  /// from ctx.tree() (the tree being checked), ignoring `revision`. Otherwise the generator is not read (note).
  std::function<bool(std::string_view repo_url)> is_local_repo;
  /// The ApplicationSet controller's --enable-new-git-file-globbing: git files patterns as doublestar globs
  /// (`*` stays in one directory) instead of `git ls-files` pathspecs (`*` crosses directories).
  bool new_git_file_globbing = false;
  /// Namespace of an ApplicationSet whose document names none (where it gets applied).
  std::string default_namespace = "argocd";
};

struct GeneratedApp {
  MNode application;  ///< a whole Application document (apiVersion argoproj.io/v1alpha1, kind Application, metadata,
                      ///< spec)
  Span element;       ///< the generator element / file / directory whose parameters made it
  std::vector<Span> elements;  ///< every element that contributed (matrix and merge: one per child generator)
  std::string generator;       ///< e.g. "list", "git directories", "matrix(git files, list)"
};

struct AppSetResult {
  std::vector<GeneratedApp> applications;  ///< in Argo CD's order; empty when `refused`
  std::vector<RenderError> errors;         ///< at the generator's (or template field's) line
  std::vector<std::string> notes;          ///< e.g. generators that cannot be evaluated offline
  /// True when Argo CD would create or update no Application of this set (a generator or template failed,
  /// or two generated Applications share a name).
  bool refused = false;
};

/// Expands one ApplicationSet document (its root mapping node) as the ApplicationSet controller would.
AppSetResult generate(Context& ctx, const yaml::Node& appset, const AppSetOptions& options);

/// Argo CD's `normalize` (utils.SanitizeName): lowercase, characters other than [-a-z0-9.] replaced by '-',
/// at most 253 characters, leading and trailing '-' and '.' removed.
std::string sanitize_name(std::string_view name);

}  // namespace gl::render::argocd
