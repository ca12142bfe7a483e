#pragma once
// Native Kustomize builds (kustomize v5 semantics, as `kubectl kustomize` renders them), with provenance:
// every node of a built object points at the file line that set it.
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "render/render.h"
#include "render/tree.h"

namespace gl::render::kustomize {

/// True for kustomization.yaml, kustomization.yml and Kustomization.
bool is_kustomization_file(std::string_view path);

struct BuildOptions {
  /// URLs of the repository being checked (asked for only when a build meets a remote resource): remote
  /// resources inside it are read locally. Must be thread-safe.
  std::function<std::vector<std::string>()> repo_urls;
  /// Fields merged into the top kustomization before the build, as `kustomize edit` writes them (Argo CD's
  /// `spec.source.kustomize`): namePrefix, nameSuffix and namespace replace; images and replicas replace the
  /// entry of the same name or are appended; commonLabels, commonAnnotations merge; labels, patches and
  /// components are appended. Nodes keep their spans (the Application's lines). Must outlive the build.
  const MNode* overrides = nullptr;
};

struct BuildResult {
  std::vector<MNode> objects;  ///< in kustomize's output order; empty when the build failed
  std::vector<RenderError> errors;
  std::set<std::string> files;           ///< every file the build read (kustomizations, resources, patches, ...)
  std::set<std::string> kustomizations;  ///< directories of every kustomization the build included (itself too)
  std::set<std::string> helm_charts;     ///< chart directories its helmCharts entries rendered
  bool ok() const { return errors.empty(); }
};

/// Builds the kustomization in repository directory `dir` ("" for the root).
BuildResult build(Context& ctx, std::string_view dir, const BuildOptions& options = {});

}  // namespace gl::render::kustomize
