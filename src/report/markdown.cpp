// A Markdown report for PR comments and nightly runs: summary table, then findings by severity and file.
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "report/detail.h"
#include "report/report.h"

namespace gl::report {
namespace {

constexpr std::string_view kSpecials = "\\`*_[]<>|~&";

struct FileGroup {
  std::string file;  ///< "" for findings with no file
  std::vector<const diag::Diagnostic*> diags;
};

std::string_view section_title(Severity s) {
  switch (s) {
    case Severity::kError: return "Errors";
    case Severity::kWarning: return "Warnings";
    case Severity::kNote: return "Notes";
  }
  return "Errors";
}

/// Groups one severity's findings by file, in order of first appearance (the input is sorted by file).
std::vector<FileGroup> group_by_file(const std::vector<diag::Diagnostic>& diags, Severity severity) {
  std::vector<FileGroup> groups;
  for (const auto& d : diags) {
    if (d.severity != severity) continue;
    const std::string file(d.file());
    auto it = std::find_if(groups.begin(), groups.end(), [&](const FileGroup& g) { return g.file == file; });
    if (it == groups.end()) {
      groups.push_back(FileGroup{file, {}});
      it = std::prev(groups.end());
    }
    it->diags.push_back(&d);
  }
  return groups;
}

/// "path:line" (no column: the comment reader clicks through to a line), "path", or "".
std::string short_location(const Span& span) {
  if (span.file == nullptr) return {};
  if (!span.valid()) return span.file->path();
  return span.file->path() + ":" + std::to_string(span.begin.line);
}

void write_bullet(std::string& out, std::string_view kind, std::string_view text) {
  out += "  - ";
  out += kind;
  out += ": ";
  out += detail::markdown_inline(text);
  out += '\n';
}

void write_finding(std::string& out, const diag::Diagnostic& d) {
  out += "- **";
  out += detail::markdown_inline(d.rule);
  out += "**";
  const std::string where = short_location(d.primary.span);
  if (!where.empty()) {
    out += ' ';
    out += detail::markdown_code(where);
  }
  out += " — ";
  out += detail::markdown_inline(d.message);
  out += '\n';
  for (const auto& label : d.secondary) {
    const std::string related = short_location(label.span);
    if (related.empty()) {
      if (!label.text.empty()) write_bullet(out, "note", label.text);
      continue;
    }
    out += "  - see ";
    out += detail::markdown_code(related);
    if (!label.text.empty()) {
      out += ": ";
      out += detail::markdown_inline(label.text);
    }
    out += '\n';
  }
  for (const auto& note : d.notes) write_bullet(out, "note", note);
  if (!d.help.empty()) write_bullet(out, "help", d.help);
}

}  // namespace

namespace detail {

std::string markdown_code(std::string_view text) {
  size_t longest = 0;
  size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = text.empty() || text.front() == '`' || text.back() == '`';
  std::string out = fence;
  if (pad) out += ' ';
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  if (pad) out += ' ';
  out += fence;
  return out;
}

std::string markdown_inline(std::string_view text) {
  const bool paired = std::count(text.begin(), text.end(), '`') % 2 == 0;
  std::string out;
  bool in_code = false;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (paired && c == '`') {
      out += c;
      in_code = !in_code;
    } else if (!in_code && kSpecials.find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace detail

std::string render_markdown(const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx) {
  const diag::Summary summary = diag::summarize(diags);
  std::string out = "## gitops-lint report\n\n";
  out += "| Errors | Warnings | Notes |\n";
  out += "| ---: | ---: | ---: |\n";
  out += "| " + std::to_string(summary.error) + " | " + std::to_string(summary.warning) + " | " +
         std::to_string(summary.note) + " |\n\n";
  for (const auto& note : ctx.run_notes) {
    out += "> **note:** ";
    out += detail::markdown_inline(note);
    out += "\n\n";
  }
  if (diags.empty()) out += "No findings.\n\n";

  for (const Severity severity : {Severity::kError, Severity::kWarning, Severity::kNote}) {
    const std::vector<FileGroup> groups = group_by_file(diags, severity);
    if (groups.empty()) continue;
    out += "### ";
    out += section_title(severity);
    out += "\n\n";
    for (const auto& group : groups) {
      out += "#### ";
      out += group.file.empty() ? std::string("Repository") : detail::markdown_code(group.file);
      out += "\n\n";
      for (const auto* d : group.diags) write_finding(out, *d);
      out += '\n';
    }
  }
  while (out.ends_with("\n\n")) out.pop_back();
  if (!ctx.tool_version.empty()) out += "\n<sub>gitops-lint " + detail::markdown_inline(ctx.tool_version) + "</sub>\n";
  return out;
}

}  // namespace gl::report
