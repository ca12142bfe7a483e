#pragma once
// The built-in objects Helm gives templates, with Helm's Go types: `.Chart` (struct { chart.Metadata;
// IsRoot bool }), `.Capabilities` (*chartutil.Capabilities), `.Files` (engine.files, a map[string][]byte with
// methods). Structs expose Go field names to templates and marshal (toJson/toYaml) with Helm's JSON tags, in
// declaration order, omitting empty `omitempty` fields.
#include <map>
#include <string>
#include <vector>

#include "render/helm/chart.h"
#include "render/helm/gotemplate/value.h"

namespace gl::render::helm {

/// `.Chart` of `chart` (after its dependencies were processed: aliases, enabled, import-values rewritten).
gotemplate::Value chart_object(const Chart& chart, bool is_root);

/// `.Capabilities` for a Kubernetes version like "v1.29.0", API versions and Helm version.
gotemplate::Value capabilities_object(const std::string& kube_version, std::vector<std::string> api_versions,
                                      const std::string& helm_version);

/// `.Files` over `files` (chart-relative path -> file).
gotemplate::Value files_object(const std::vector<ChartFile>& files);

}  // namespace gl::render::helm
