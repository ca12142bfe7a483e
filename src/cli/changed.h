#pragma once
// `check --changed FILE...` (the pre-commit hook): the whole repository is checked, because rendering needs
// all of it, but only findings in, or caused by, the changed files are reported.
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "diag/diagnostic.h"
#include "graph/graph.h"

namespace gl::cli {

using PathSet = std::set<std::string, std::less<>>;

/// Repository-relative paths of FILES given relative to the current directory (as pre-commit passes them).
/// Throws FatalError for a file outside the repository root.
PathSet repo_relative_paths(const std::vector<std::string>& files, const std::string& repo_root);

/// Keeps the findings a change to `changed` can be blamed for. A finding is kept when
/// - one of its spans (primary or secondary) is in a changed file;
/// - its object was built from a changed file: any line of the object (a manifest, a kustomize patch or
///   base, a Helm template or values file), or the Argo CD Application that deploys it;
/// - a changed build file (kustomization, Chart.yaml, values*.yaml, Chart.lock, requirements.yaml) sits in a
///   directory above its files or the kustomization/chart that built its object;
/// - it is a node-pinning or requests-fit finding and a changed file declares nodes (the node inventory);
/// - the changed files include the config file (everything may change).
void keep_changed(std::vector<diag::Diagnostic>& diags, const PathSet& changed, const graph::Graph& graph,
                  const config::Config& config);

}  // namespace gl::cli
