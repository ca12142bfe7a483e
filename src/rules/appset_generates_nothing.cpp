// appset-generates-nothing: reported by the Argo CD expansion (src/render/argocd) through cli/pipeline.cpp when
// an ApplicationSet's generators produce no Application; registered here for its id, severity and doc.
#include "rules/rule.h"

namespace gl::rules {
namespace {

const Registrar kRegistrar{RuleInfo{
    .id = "appset-generates-nothing",
    .category = "input",
    .default_severity = Severity::kWarning,
    .summary = "an ApplicationSet's generators produce no Application",
    .options = {},
    .check = {},
}};

}  // namespace
}  // namespace gl::rules
