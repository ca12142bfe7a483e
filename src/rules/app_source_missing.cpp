// app-source-missing: reported by the Argo CD expansion (src/render/argocd) through cli/pipeline.cpp when an
// Application's path or value file does not exist at the revision being checked; registered here for its id,
// severity and doc.
#include "rules/rule.h"

namespace gl::rules {
namespace {

const Registrar kRegistrar{RuleInfo{
    .id = "app-source-missing",
    .category = "input",
    .default_severity = Severity::kError,
    .summary = "an Argo CD Application points at a path or value file that does not exist at this revision",
    .options = {},
    .check = {},
}};

}  // namespace
}  // namespace gl::rules
