// A Markdown report for pull request job summaries, PR comments and issues: counts by severity and by rule,
// a table of findings (linked to the repository when a link base is given), then their details.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "report/detail.h"
#include "report/report.h"

namespace gl::report {
namespace {

constexpr std::string_view kSpecials = "\\`*_[]<>|~&";
/// Rows of the findings table; the rest are counted ("and N more"). Each rule and severity is still counted.
constexpr size_t kMaxRows = 500;
/// Bytes of table and details beyond which the rest is left out: GitHub job summaries hold at most 1 MiB.
constexpr size_t kMaxBytes = 768 * 1024;
/// A message longer than this is cut (at a character boundary) in the table; details keep it whole.
constexpr size_t kMaxCellText = 1000;

struct RuleCounts {
  size_t error = 0;
  size_t warning = 0;
  size_t note = 0;
};

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

/// At most `limit` bytes of `text`, cut before a UTF-8 continuation byte, with "…" when cut.
std::string clip(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t cut = limit;
  while (cut > 0 && is_utf8_continuation(text[cut])) --cut;
  return std::string(text.substr(0, cut)) + "…";
}


/// The last line a span covers (a span ending at column 1 of a line does not cover that line).
uint32_t last_line(const Span& span) {
  const Mark end = detail::effective_end(span);
  if (end.line > span.begin.line && end.column <= 1) return end.line - 1;
  return end.line;
}

/// "path:line" (no column: readers click through to a line), "path", or "".
std::string short_location(const Span& span) {
  if (span.file == nullptr) return {};
  if (!span.valid()) return span.file->path();
  return span.file->path() + ":" + std::to_string(span.begin.line);
}

/// The location as code, linked to `LINK_BASE/FILE#LLINE` (`#LA-LB` for several lines) when there is a base.
std::string location_markdown(const Span& span, std::string_view link_base) {
  const std::string where = short_location(span);
  if (where.empty()) return {};
  const std::string code = detail::markdown_code(where);
  if (link_base.empty()) return code;
  std::string url = detail::percent_encode(link_base, true);
  url += '/';
  url += detail::percent_encode(span.file->path(), false);
  if (span.valid()) {
    url += "#L" + std::to_string(span.begin.line);
    const uint32_t last = last_line(span);
    if (last > span.begin.line) url += "-L" + std::to_string(last);
  }
  return "[" + code + "](" + url + ")";
}

/// Length of the run of `c` starting at `pos`.
size_t run_length(std::string_view text, size_t pos, char c) {
  size_t n = 0;
  while (pos + n < text.size() && text[pos + n] == c) ++n;
  return n;
}

/// Where the code span opened by a backtick run of `length` ending before `from` closes, or npos.
size_t closing_run(std::string_view text, size_t from, size_t length) {
  for (size_t i = from; i < text.size();) {
    if (text[i] != '`') {
      ++i;
      continue;
    }
    const size_t n = run_length(text, i, '`');
    if (n == length) return i;
    i += n;
  }
  return std::string_view::npos;
}

/// Makes rendered inline Markdown safe in a table cell: GitHub splits cells at every unescaped `|`, code
/// spans included, and turns `\|` back into `|` before reading the cell, so each pipe gets a backslash.
std::string table_cell(std::string_view md) {
  std::string out;
  for (size_t i = 0; i < md.size();) {
    const char c = md[i];
    if (c == '\\' && i + 1 < md.size()) {
      out += md.substr(i, 2);
      i += 2;
    } else if (c == '`') {
      const size_t n = run_length(md, i, '`');
      const size_t close = closing_run(md, i + n, n);
      if (close == std::string_view::npos) {
        out.append(n, '`');
        i += n;
        continue;
      }
      out.append(n, '`');
      for (size_t j = i + n; j < close; ++j) {
        if (md[j] == '|') out += '\\';
        out += md[j];
      }
      out.append(n, '`');
      i = close + n;
    } else {
      if (c == '|') out += '\\';
      out += c;
      ++i;
    }
  }
  return out;
}

std::string_view severity_word(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

std::string plural(size_t n, std::string_view noun) {
  return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

void write_counts(std::string& out, const diag::Summary& summary) {
  out += "| Errors | Warnings | Notes |\n";
  out += "| ---: | ---: | ---: |\n";
  out += "| " + std::to_string(summary.error) + " | " + std::to_string(summary.warning) + " | " +
         std::to_string(summary.note) + " |\n\n";
}

void write_rule_table(std::string& out, const std::vector<diag::Diagnostic>& diags) {
  std::map<std::string, RuleCounts> by_rule;
  for (const auto& d : diags) {
    RuleCounts& counts = by_rule[d.rule];
    switch (d.severity) {
      case Severity::kError: ++counts.error; break;
      case Severity::kWarning: ++counts.warning; break;
      case Severity::kNote: ++counts.note; break;
    }
  }
  out += "### By rule\n\n";
  out += "| Rule | Errors | Warnings | Notes |\n";
  out += "| --- | ---: | ---: | ---: |\n";
  for (const auto& [rule, counts] : by_rule) {
    out += "| " + table_cell(detail::markdown_code(rule)) + " | " + std::to_string(counts.error) + " | " +
           std::to_string(counts.warning) + " | " + std::to_string(counts.note) + " |\n";
  }
  out += '\n';
}

void write_row(std::string& out, const diag::Diagnostic& d, bool new_column, std::string_view link_base) {
  out += "|";
  if (new_column) out += d.is_new.value_or(false) ? " **new** |" : "  |";
  out += " ";
  out += severity_word(d.severity);
  out += " | ";
  out += table_cell(detail::markdown_code(d.rule));
  out += " | ";
  out += table_cell(location_markdown(d.primary.span, link_base));
  out += " | ";
  out += table_cell(detail::markdown_inline(clip(d.message, kMaxCellText)));
  out += " | ";
  if (d.object) out += table_cell(detail::markdown_code(d.object->display()));
  out += " |\n";
}

void write_bullet(std::string& out, std::string_view kind, std::string_view text) {
  out += "  - ";
  out += kind;
  out += ": ";
  out += detail::markdown_inline(text);
  out += '\n';
}

bool has_details(const diag::Diagnostic& d) { return !d.secondary.empty() || !d.notes.empty() || !d.help.empty(); }

void write_details(std::string& out, const diag::Diagnostic& d, std::string_view link_base) {
  out += "- ";
  out += detail::markdown_code(d.rule);
  const std::string where = location_markdown(d.primary.span, link_base);
  if (!where.empty()) {
    out += " at ";
    out += where;
  }
  out += ": ";
  out += detail::markdown_inline(d.message);
  out += '\n';
  for (const auto& label : d.secondary) {
    const std::string related = location_markdown(label.span, link_base);
    if (related.empty()) {
      if (!label.text.empty()) write_bullet(out, "note", label.text);
      continue;
    }
    out += "  - see ";
    out += related;
    if (!label.text.empty()) {
      out += ": ";
      out += detail::markdown_inline(label.text);
    }
    out += '\n';
  }
  for (const auto& note : d.notes) write_bullet(out, "note", note);
  if (!d.help.empty()) write_bullet(out, "help", d.help);
}

/// The findings in table order: new before existing (when compared with a base), then by severity; the
/// input order (file, line, column, rule) within.
std::vector<const diag::Diagnostic*> table_order(const std::vector<diag::Diagnostic>& diags) {
  std::vector<const diag::Diagnostic*> order;
  order.reserve(diags.size());
  for (const auto& d : diags) order.push_back(&d);
  std::stable_sort(order.begin(), order.end(), [](const diag::Diagnostic* a, const diag::Diagnostic* b) {
    const bool a_new = a->is_new.value_or(false);
    const bool b_new = b->is_new.value_or(false);
    if (a_new != b_new) return a_new;
    return a->severity > b->severity;
  });
  return order;
}

void write_more(std::string& out, size_t left_out) {
  if (left_out == 0) return;
  out += "\n_… and " + plural(left_out, "more finding") +
         ", left out to keep this summary short: the JSON and SARIF reports list every finding._\n";
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
  std::string link_base = ctx.link_base;
  while (link_base.ends_with('/')) link_base.pop_back();
  const bool new_column =
      std::any_of(diags.begin(), diags.end(), [](const diag::Diagnostic& d) { return d.is_new.has_value(); });

  std::string out = "## gitops-lint report\n\n";
  write_counts(out, summary);
  if (new_column) {
    const auto fresh = static_cast<size_t>(
        std::count_if(diags.begin(), diags.end(), [](const diag::Diagnostic& d) { return d.is_new.value_or(false); }));
    out += "New (not in the base): **" + std::to_string(fresh) + "** of " + plural(diags.size(), "finding") + ".\n\n";
  }
  if (diags.empty()) out += "No findings.\n\n";

  if (!diags.empty()) {
    write_rule_table(out, diags);
    const std::vector<const diag::Diagnostic*> order = table_order(diags);
    out += "### Findings\n\n";
    out += new_column ? "| New | Severity | Rule | Location | Message | Object |\n"
                      : "| Severity | Rule | Location | Message | Object |\n";
    out += new_column ? "| --- | --- | --- | --- | --- | --- |\n" : "| --- | --- | --- | --- | --- |\n";
    size_t rows = 0;
    for (const auto* d : order) {
      if (rows == kMaxRows || out.size() > kMaxBytes) break;
      write_row(out, *d, new_column, link_base);
      ++rows;
    }
    write_more(out, order.size() - rows);
    out += '\n';

    std::string details;
    size_t details_left_out = 0;
    for (size_t i = 0; i < rows; ++i) {
      if (!has_details(*order[i])) continue;
      if (out.size() + details.size() > kMaxBytes) {
        ++details_left_out;
      } else {
        write_details(details, *order[i], link_base);
      }
    }
    if (!details.empty()) {
      out += "<details>\n<summary>Details: related locations, notes and help</summary>\n\n";
      out += details;
      if (details_left_out > 0) {
        out += "\n_… and the details of " + plural(details_left_out, "more finding") + ", left out for size._\n";
      }
      out += "\n</details>\n\n";
    }
  }

  if (!ctx.run_notes.empty()) {
    out += "<details>\n<summary>Run notes (" + std::to_string(ctx.run_notes.size()) + ")</summary>\n\n";
    for (const auto& note : ctx.run_notes) {
      out += "- ";
      out += detail::markdown_inline(note);
      out += '\n';
    }
    out += "\n</details>\n\n";
  }
  while (out.ends_with("\n\n")) out.pop_back();
  if (!ctx.tool_version.empty()) out += "\n<sub>gitops-lint " + detail::markdown_inline(ctx.tool_version) + "</sub>\n";
  return out;
}

}  // namespace gl::report
