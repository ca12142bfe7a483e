#pragma once
// Renders a Helm chart as `helm template` does (values, import-values, subcharts, each chart's values checked
// against its values.schema.json (reported, and rendering goes on), built-in objects, the shared template
// set, `<no value>` removal, manifests split, sorted by kind and printed with `# Source:` lines), and maps
// every node of every rendered object back to the template line that emitted it, or, for a scalar that came
// from values, to the values line that set it.
#include <string>
#include <vector>

#include "render/render.h"
#include "render/tree.h"
#include "yaml/node.h"

namespace gl::render::helm {

struct RenderOptions {
  std::string release_name = "release-name";
  std::string ns = "default";
  std::string kube_version = "v1.29.0";
  std::vector<std::string> value_files;  ///< repository paths, merged in order over values.yaml
  /// Values written inline (a Kustomize helmCharts entry's valuesInline), merged after the first
  /// `inline_after` value files; must outlive the render.
  const yaml::Node* inline_values = nullptr;
  size_t inline_after = 0;
  bool include_crds = false;  ///< also emit the chart's crds/ files (helm template --include-crds)
  std::vector<std::string> set;          ///< --set expressions, applied in order
  std::vector<std::string> set_string;   ///< --set-string expressions, applied after every --set
  std::vector<std::string> api_versions; ///< extra .Capabilities.APIVersions
  uint64_t seed = 0;                     ///< for random functions
  int64_t now_unix = 0;                  ///< "now" for date functions
  size_t max_output_bytes = 64u << 20;   ///< per template
};

/// One manifest of the output (a YAML document of a rendered template).
struct Manifest {
  std::string source;  ///< "CHART/templates/FILE"
  std::string text;    ///< the document, trimmed
  MNode object;        ///< parsed, with provenance (null when the text is not YAML; an error says so)
};

struct ChartRender {
  std::vector<Manifest> manifests;  ///< in `helm template` order
  std::vector<RenderError> errors;  ///< failing templates, values, dependencies (others still render)
  std::vector<std::string> files;   ///< every file read
  /// The whole output as `helm template` prints it.
  std::string text() const;
};

ChartRender render_chart(Context& ctx, const std::string& dir, const RenderOptions& options);

}  // namespace gl::render::helm
