#pragma once
// The check pipeline: FileTree -> Documents -> Objects -> Inventory -> Graph -> Rules -> Diagnostics.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/shard.h"
#include "config/config.h"
#include "core/source.h"
#include "diag/diagnostic.h"
#include "graph/graph.h"
#include "k8s/infra/infra.h"
#include "render/argocd/expand.h"
#include "repo/file_tree.h"

namespace gl::cli {

struct CheckOptions {
  std::string path = ".";
  std::optional<std::string> rev;
  std::optional<std::string> config_path;  ///< --config FILE (on disk); default: .gitops-lint.yaml at the root
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  unsigned threads = 0;  ///< 0 = hardware concurrency
  bool strict_repos = false;  ///< --strict-repos: unknown Argo CD repoURLs are never rendered from this tree
  std::optional<std::string> chart_dir;  ///< --chart-dir: registry charts as NAME-VERSION.tgz or NAME/
  /// --kubeconfig / --context: the node inventory is the live cluster's Nodes (read-only), not the repository's.
  std::optional<std::string> kubeconfig;
  std::optional<std::string> context;
  /// --base REV / --baseline FILE: report only findings that are not in that revision's run (or saved JSON
  /// report), unless include_existing; every finding then says whether it is new.
  std::optional<std::string> base;
  std::optional<std::string> baseline;
  bool include_existing = false;
  /// --changed FILE...: report only findings in, or caused by, these files (paths from the current directory).
  std::vector<std::string> changed;
  /// The config to use instead of reading one (the base run of --base uses the checked tree's config).
  const config::Config* config_override = nullptr;
  /// --shard I/N: render and report only this shard's units (cli/shard.h).
  std::optional<Shard> shard;
};

struct CheckResult {
  std::unique_ptr<SourceSet> sources;
  config::Config config;
  graph::Graph graph;
  std::vector<diag::Diagnostic> diagnostics;  ///< finalized: suppressed removed, sorted, fingerprinted
  std::vector<std::string> notes;             ///< run-wide notes (skipped charts, unknown instance types)
  std::string description;                    ///< what was read ("worktree ...", "revision ...")
  std::vector<render::argocd::AppRecord> apps;  ///< Argo CD Applications that would exist
};

/// Runs the whole pipeline. Throws FatalError for run-stopping failures (bad path, bad revision, bad config).
CheckResult run_check(const CheckOptions& options);

struct AppsResult {
  std::unique_ptr<SourceSet> sources;
  std::vector<render::argocd::AppRecord> apps;
  std::vector<diag::Diagnostic> diagnostics;  ///< render problems of the applications (render-error, app-source-missing, ...)
  std::vector<std::string> notes;
};

/// `gitops-lint apps`: every Argo CD Application that would exist, and what rendering them found.
AppsResult run_apps(const CheckOptions& options);

struct InventoryResult {
  std::unique_ptr<SourceSet> sources;
  k8s::Inventory inventory;
  std::vector<std::string> notes;
};

/// `gitops-lint inventory`: the nodes the checks assume, with the lines that declare them.
InventoryResult run_inventory(const CheckOptions& options);

struct RenderOptions {
  std::string path = ".";  ///< a directory holding a kustomization (the CLI renders several, one at a time)
  std::optional<std::string> rev;
  std::optional<std::string> config_path;
  std::string format = "yaml";  ///< yaml | json
  /// The repository root (nothing outside it is read). Default: the Git top level, else the current
  /// directory when DIR is inside it, else DIR.
  std::optional<std::string> root;
  // Helm charts (a DIR holding Chart.yaml):
  std::vector<std::string> value_files;  ///< -f, paths as given (relative to the current directory)
  std::vector<std::string> set;
  std::vector<std::string> set_string;
  std::string release_name = "release-name";
  std::string ns = "default";
  std::string kube_version = "v1.29.0";
};

struct RenderOutput {
  std::unique_ptr<SourceSet> sources;
  std::string text;                           ///< the built objects (empty when the build failed)
  std::vector<diag::Diagnostic> diagnostics;  ///< render-error findings
};

/// `gitops-lint render DIR`: builds one kustomization as `kubectl kustomize DIR` would, or renders one Helm
/// chart as `helm template` would. Throws FatalError when DIR holds neither.
RenderOutput run_render(const RenderOptions& options);

/// Loads only: files -> objects, reporting load-error diagnostics (used by run_check and `graph`).
struct Loaded {
  std::vector<k8s::Object> objects;
  std::vector<diag::Diagnostic> diagnostics;
  std::vector<std::string> notes;
  std::vector<render::argocd::AppRecord> apps;  ///< Argo CD Applications that would exist (expanded)
  k8s::infra::InfraInventory infra;             ///< nodes declared in infrastructure code (Terraform, Ansible, ...)
  bool live_nodes = false;  ///< the Node objects are the live cluster's: configured node groups do not apply
  /// Set in a sharded run: which rule findings this shard reports (loader findings are already filtered).
  std::shared_ptr<const ShardScope> shard;
};
struct LoadOptions {
  unsigned threads = 0;
  std::function<std::vector<std::string>()> repo_urls;  ///< the repository's remotes, read on first need
  bool strict_repos = false;
  std::optional<std::string> chart_dir;
  std::optional<Shard> shard;  ///< render only this shard's units
};
/// When the files hold Argo CD Applications, they are expanded: the objects are then what the applications
/// deploy (each with its application chain), plus the root applications themselves.
Loaded load_objects(const repo::FileTree& tree, std::string_view subdir, const config::Config& config,
                    SourceSet& sources, const LoadOptions& options);

/// The repository as a command that compares it with something else sees it (drift): its config and every
/// object it deploys, without running the rules.
struct Desired {
  std::unique_ptr<SourceSet> sources;
  config::Config config;
  Loaded loaded;
  std::string description;  ///< what was read ("worktree ...", "revision ...")
};
Desired load_desired(const CheckOptions& options);

}  // namespace gl::cli
