#pragma once
// Argo CD, offline: from the Applications and ApplicationSets found in the repository, every Application
// that would exist (app-of-apps followed, ApplicationSets generated), each source rendered from the tree
// being checked, and every object tagged with the chain of applications that deploys it.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/object.h"
#include "render/argocd/application.h"
#include "render/argocd/appset.h"
#include "render/render.h"

namespace gl::render::argocd {

/// Decides which repoURLs are the repository being checked.
class RepoMatcher {
 public:
  /// `remotes` is asked once, on first need (reading remotes initialises libgit2). `aliases` are other URLs
  /// of this repository (renamed repos, mirrors); `external` URLs are never rendered from this tree; with
  /// `strict`, an unknown Git URL is external even when its path exists here.
  RepoMatcher(std::function<std::vector<std::string>()> remotes, std::vector<std::string> aliases,
              std::vector<std::string> external, bool strict);

  enum class Verdict {
    kLocal,     ///< a remote or alias of this repository
    kFallback,  ///< not recognised, but its path exists in the tree being checked: rendered from it, with a note
    kExternal,  ///< another repository, a Helm or OCI registry
  };
  Verdict classify(std::string_view url, std::string_view path, const repo::FileTree& tree) const;
  /// True when `url` is known to be this repository (remote or alias).
  bool is_local(std::string_view url) const;
  /// The URLs of this repository (remotes and aliases), for notes.
  std::vector<std::string> known() const;

 private:
  std::function<std::vector<std::string>()> remotes_;
  std::vector<std::string> aliases_;  ///< normalised
  std::vector<std::string> external_;  ///< normalised
  bool strict_;
  mutable std::once_flag once_;
  mutable std::vector<std::string> local_;  ///< normalised remotes + aliases
  mutable std::mutex mu_;
  mutable std::set<std::string> fallback_;  ///< unrecognised URLs seen with a path that exists here
};

struct ExpandOptions {
  const RepoMatcher* repos = nullptr;
  std::vector<Cluster> clusters;
  std::string kube_version = "v1.29.0";
  std::vector<std::string> api_versions;
  /// For Kustomize remote resources that point into this repository.
  std::function<std::vector<std::string>()> repo_urls;
  /// `--chart-dir`: charts of registries, as `NAME-VERSION.tgz` or `NAME/` (any version); null when not given.
  const repo::FileTree* chart_dir = nullptr;
  std::string chart_dir_name;  ///< how the chart directory's files are named in findings
  /// `check --shard`: asked before an application's sources are rendered; false skips them (the application
  /// is still listed, with status `skipped`, deploys nothing, and what the hook puts in `covered` counts as
  /// rendered by it). Unset: every application is rendered.
  std::function<bool(const Application& app, std::set<std::string>& covered)> render_filter;
};

/// One Application that would exist, as `gitops-lint apps` lists it.
struct AppRecord {
  std::string name;
  std::string ns;
  std::string project;
  std::string generated_by;  ///< "ApplicationSet/NAME", or "" for an Application written in the repository
  std::string parent;        ///< the application that deploys it (or its ApplicationSet), "" for a root
  std::vector<std::string> chain;  ///< applications from the root down to this one (itself last)
  std::vector<std::string> sources;  ///< one description per source ("path k8s/app (Kustomize)", ...)
  std::string dest_server;
  std::string dest_name;
  std::string dest_namespace;
  int64_t wave = 0;
  std::vector<int64_t> waves;  ///< the waves of the chain, root first (itself last)
  bool create_namespace = false;
  size_t objects = 0;
  std::string status;  ///< rendered | external | error
  Span at;             ///< where the Application is written (its name; for generated apps, the template)
  Span wave_at;        ///< its sync-wave annotation, when it has one
  std::vector<IgnoreDifference> ignore_differences;  ///< spec.ignoreDifferences
};

struct Expansion {
  std::vector<AppRecord> apps;  ///< every Application, in visiting order (roots in path order, depth first)
  std::vector<k8s::Object> objects;  ///< every object the applications deploy (app_chain, scope and namespace set)
  std::vector<RenderError> errors;   ///< render-error, app-source-missing, appset-generates-nothing, ...
  std::vector<std::string> notes;
  /// What the applications render: files and directories (kustomizations, charts) of this repository, so
  /// the pipeline does not also check them on their own.
  std::set<std::string> covered;
  /// Applications/ApplicationSets written in the repository that no other application deploys.
  std::vector<const k8s::Object*> roots;
};

/// Expands `found` (Application and ApplicationSet objects loaded from the repository's files).
Expansion expand(Context& ctx, const std::vector<const k8s::Object*>& found, const ExpandOptions& options);

/// Argo CD's directory include/exclude patterns (gobwas/glob without separators: `*` also matches `/`;
/// `?`, `[a-z]`, `[!x]`, `{a,b}` alternatives).
bool directory_glob_match(std::string_view pattern, std::string_view path);

}  // namespace gl::render::argocd
