#pragma once
// `gitops-lint drift`: the objects the repository deploys against what a cluster runs.
#include <optional>
#include <string>
#include <vector>

#include "cli/pipeline.h"
#include "drift/diff.h"
#include "drift/live.h"
#include "drift/report.h"

namespace gl::cli {

struct DriftCommand {
  CheckOptions check;  ///< path, --rev, --config, --strict-repos, --chart-dir
  std::optional<std::string> kubeconfig;
  std::optional<std::string> context;
  std::vector<std::string> live_files;  ///< `kubectl get -o json|yaml` dumps instead of a cluster
  std::vector<std::string> apps;        ///< only these Argo CD applications (and what they deploy)
  std::optional<std::string> env;       ///< the environment (sibling overlay / root directory) the cluster runs
  bool all_kinds = false;               ///< list every kind the cluster serves when looking for extra objects
};

struct DriftOutcome {
  Desired desired;
  drift::LiveSet live;
  drift::DriftResult result;
  drift::ReportInfo info;
};

/// Throws FatalError for run-stopping problems (no live source, unreadable kubeconfig, 401, bad dump).
DriftOutcome run_drift(const DriftCommand& command);

/// The objects of `desired` that `drift` compares: those the chosen applications deploy (every object
/// when the repository has no Argo CD application), in the chosen environment. Notes what it leaves out.
std::vector<const k8s::Object*> select_desired(const Desired& desired, const DriftCommand& command,
                                               std::vector<std::string>& notes);

/// `check --kubeconfig`: the cluster's Nodes replace every node the repository declares (Node objects, config
/// node groups, infrastructure code), each as an object of its own file `cluster/nodes/NAME.json` (labels,
/// taints, allocatable), so findings can point at the live node's line.
void use_live_nodes(const CheckOptions& options, Loaded& loaded, SourceSet& sources);

}  // namespace gl::cli
