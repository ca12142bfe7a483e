// One finding per line: `path:line:col: level[rule] message`, for editors and grep.
#include <string>

#include "report/detail.h"
#include "report/report.h"

namespace gl::report {

std::string render_concise(const std::vector<diag::Diagnostic>& diags, const ReportContext& /*ctx*/) {
  std::string out;
  for (const auto& d : diags) {
    const std::string where = detail::location(d.primary.span);
    out += where.empty() ? "<repo>" : where;
    out += ": ";
    out += to_string(d.severity);
    if (!d.rule.empty()) out += "[" + d.rule + "]";
    out += ' ';
    for (char c : d.message) out += (c == '\n' || c == '\r') ? ' ' : c;
    out += '\n';
  }
  return out;
}

}  // namespace gl::report
