#pragma once
// Reporters: pure functions of (diagnostics, rule registry) -> bytes. One file per format.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"

namespace gl::report {

enum class Format { kText, kConcise, kJson, kSarif, kGithub, kMarkdown };
std::optional<Format> parse_format(std::string_view name);
/// "text|concise|json|sarif|github|markdown"
std::string_view format_names();

struct ReportContext {
  std::string tool_version;  ///< e.g. "0.1.0"
  bool color = false;        ///< ANSI colours in text output (only when writing to a terminal)
  std::vector<std::string> run_notes;  ///< run-wide notes, e.g. "no node inventory found: ..."
  /// Markdown: links findings to `LINK_BASE/FILE#LN` (e.g. https://github.com/o/r/blob/SHA); "" = no links.
  std::string link_base;
};

std::string render(Format format, const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx);

std::string render_text(const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx);
std::string render_concise(const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx);
std::string render_json(const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx);
std::string render_sarif(const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx);
std::string render_github(const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx);
std::string render_markdown(const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx);

}  // namespace gl::report
