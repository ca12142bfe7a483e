#pragma once
// A Helm chart read from the repository: Chart.yaml (dependencies with their import-values; requirements.yaml's
// win, as in Helm's loader), values.yaml, values.schema.json, templates/, the other files (.Files), and its
// subcharts (charts/<name>/ directories, and `file://` dependencies resolved inside the repository).
#include <optional>
#include <string>
#include <vector>

#include "render/helm/gotemplate/value.h"
#include "render/render.h"

namespace gl::render::helm {

struct ChartFile {
  std::string name;  ///< chart-relative path, e.g. "templates/deployment.yaml"
  const SourceFile* file = nullptr;
};

/// One `import-values` entry of a dependency: the string form NAME is {child: exports.NAME, parent: .}.
struct ImportValue {
  std::string child;   ///< a path in the subchart's values, e.g. "exports.data" or "default.data"
  std::string parent;  ///< where it goes in the parent's values ("." for the top)
  Span at;
};

struct Dependency {
  std::string name;
  std::string version;
  std::string alias;
  std::string condition;
  std::vector<std::string> tags;
  std::string repository;
  std::vector<ImportValue> import_values;
  Span at;  ///< the entry in Chart.yaml (or requirements.yaml)
};

struct Chart {
  std::string dir;  ///< repository-relative directory
  const SourceFile* chart_yaml = nullptr;
  gotemplate::Map metadata;  ///< Chart.yaml as read (apiVersion, name, version, appVersion, type, ...)
  std::string name;
  std::string type;  ///< "application" (default) or "library"
  gotemplate::Map values;  ///< values.yaml
  const SourceFile* values_yaml = nullptr;
  const SourceFile* values_schema = nullptr;  ///< values.schema.json, when the chart has one
  std::vector<ChartFile> templates;  ///< templates/** except hidden files, sorted by name
  std::vector<ChartFile> files;      ///< every other file, for .Files
  std::vector<Dependency> dependencies;
  std::vector<Chart> subcharts;  ///< sorted by directory name
};

/// True for a directory holding Chart.yaml.
bool is_chart_dir(const repo::FileTree& tree, std::string_view dir);

/// Loads the chart in `dir`; nullopt (errors added) when it cannot be read as a chart.
std::optional<Chart> load_chart(Context& ctx, const std::string& dir, std::vector<RenderError>& errors);

}  // namespace gl::render::helm
