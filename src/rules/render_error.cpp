// render-error: reported by the renderers (Kustomize today; Helm and Argo CD later) through cli/pipeline.cpp,
// registered here for its id, severity and doc.
#include "rules/rule.h"

namespace gl::rules {
namespace {

const Registrar kRegistrar{RuleInfo{
    .id = "render-error",
    .category = "input",
    .default_severity = Severity::kError,
    .summary = "a kustomization (or other source) failed to render, so none of its objects were checked",
    .options = {},
    .check = {},
}};

}  // namespace
}  // namespace gl::rules
