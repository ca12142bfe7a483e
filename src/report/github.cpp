// GitHub Actions workflow commands: one `::error|warning|notice ...::message` annotation per finding.
#include <algorithm>
#include <string>

#include "report/detail.h"
#include "report/report.h"

namespace gl::report {
namespace {

constexpr std::string_view kTitle = "gitops-lint";

/// Escapes a command's data (the message).
std::string escape_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

/// Escapes a command property value (file, title): data escapes plus ':' and ','.
std::string escape_property(std::string_view s) {
  std::string out;
  for (char c : escape_data(s)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view command(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "notice";
  }
  return "error";
}

void add_property(std::string& props, std::string_view key, std::string_view value) {
  props += props.empty() ? " " : ",";
  props += key;
  props += '=';
  props += escape_property(value);
}

}  // namespace

std::string render_github(const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx) {
  std::string out;
  for (const auto& d : diags) {
    const Span& span = d.primary.span;
    std::string props;
    if (span.file != nullptr) add_property(props, "file", span.file->path());
    if (span.valid()) {
      const Mark end = detail::effective_end(span);
      add_property(props, "line", std::to_string(span.begin.line));
      add_property(props, "endLine", std::to_string(end.line));
      if (!detail::is_multiline(span) && span.begin.column > 0) {
        // Columns count characters; the annotation's endColumn is the last column covered (inclusive).
        const uint32_t col = detail::code_point_column(*span.file, span.begin.line, span.begin.column);
        const uint32_t end_col = detail::code_point_column(*span.file, end.line, end.column);
        add_property(props, "col", std::to_string(col));
        add_property(props, "endColumn", std::to_string(std::max(col, end_col - 1)));
      }
    }
    std::string title(kTitle);
    if (!d.rule.empty()) title += " (" + d.rule + ")";
    add_property(props, "title", title);
    out += "::";
    out += command(d.severity);
    out += props;
    out += "::";
    out += escape_data(detail::full_message(d));
    out += '\n';
  }
  for (const auto& note : ctx.run_notes) {
    std::string props;
    add_property(props, "title", kTitle);
    out += "::notice";
    out += props;
    out += "::";
    out += escape_data(note);
    out += '\n';
  }
  return out;
}

}  // namespace gl::report
