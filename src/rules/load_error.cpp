// load-error: reported by the loader (cli/pipeline.cpp), registered here for its id, severity and doc.
#include "rules/rule.h"

namespace gl::rules {
namespace {

const Registrar kRegistrar{RuleInfo{
    .id = "load-error",
    .category = "input",
    .default_severity = Severity::kError,
    .summary = "a file could not be read or parsed, so nothing in it was checked",
    .options = {},
    .check = {},
}};

}  // namespace
}  // namespace gl::rules
