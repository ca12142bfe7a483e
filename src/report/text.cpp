// The rustc-style human format: header, source snippets with carets, notes, help, then a summary line.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "report/detail.h"
#include "report/report.h"

namespace gl::report {
namespace {

constexpr size_t kTabWidth = 4;
/// Source lines longer than this many bytes are shown as a window around the span.
constexpr size_t kMaxLineBytes = 240;
constexpr size_t kWindowLead = 40;
constexpr std::string_view kEllipsis = "...";
constexpr std::string_view kReset = "\x1b[0m";

std::string_view level_color(Severity s) {
  switch (s) {
    case Severity::kError: return "\x1b[1;31m";
    case Severity::kWarning: return "\x1b[1;33m";
    case Severity::kNote: return "\x1b[1;36m";
  }
  return "";
}

std::string paint(std::string_view text, Severity s, bool color) {
  std::string out;
  if (color) out += level_color(s);
  out += text;
  if (color) out += kReset;
  return out;
}

/// Columns a byte occupies on screen: tabs are expanded, UTF-8 continuation bytes take none.
size_t byte_width(char c) {
  if (c == '\t') return kTabWidth;
  if ((static_cast<unsigned char>(c) & 0xC0U) == 0x80U) return 0;
  return 1;
}

/// The on-screen offset of byte offset `offset` of `line`; offsets past the end keep their distance from it.
size_t display_offset(std::string_view line, size_t offset) {
  const size_t in_line = std::min(offset, line.size());
  size_t width = 0;
  for (size_t i = 0; i < in_line; ++i) width += byte_width(line[i]);
  return width + (offset - in_line);
}

std::string expand_tabs(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (char c : line) {
    if (c == '\t') {
      out.append(kTabWidth, ' ');
    } else {
      out += c;
    }
  }
  return out;
}

size_t digits(uint32_t n) { return std::to_string(n).size(); }

/// Where a multi-line span's carets stop on its first line: the end of the content, before a trailing
/// `# comment` and blanks.
size_t content_end(std::string_view line, size_t from) {
  size_t end = line.size();
  const size_t comment = line.find(" #", from);
  if (comment != std::string_view::npos) end = comment;
  while (end > from && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  return std::max(end, from + 1);
}

/// Moves a byte offset back to the start of a UTF-8 character.
size_t char_start(std::string_view line, size_t offset) {
  while (offset > 0 && offset < line.size() && (static_cast<unsigned char>(line[offset]) & 0xC0U) == 0x80U) --offset;
  return offset;
}

/// Writes one diagnostic; `gutter` is the width of the widest line number shown.
class DiagnosticWriter {
 public:
  DiagnosticWriter(std::string& out, size_t gutter) : out_(out), gutter_(gutter) {}

  void arrow(std::string_view marker, std::string_view where) {
    if (shown_any_) empty_gutter();
    out_.append(gutter_, ' ');
    out_ += marker;
    out_ += ' ';
    out_ += where;
    out_ += '\n';
    shown_any_ = true;
  }

  void snippet(const diag::Label& label) {
    const Span& span = label.span;
    const std::string_view line = span.file->line(span.begin.line);
    empty_gutter();

    const std::string number = std::to_string(span.begin.line);
    out_.append(gutter_ - number.size(), ' ');
    out_ += number;
    out_ += " |";

    size_t begin_byte = span.begin.column > 0 ? span.begin.column - 1 : 0;
    const Mark end = detail::effective_end(span);
    size_t end_byte = end.line == span.begin.line ? end.column - 1 : content_end(line, begin_byte);

    // A huge line (minified JSON, a 4 MiB scalar) is shown as a window around the span.
    std::string_view window = line;
    std::string_view lead, trail;
    if (line.size() > kMaxLineBytes) {
      const size_t from = char_start(line, begin_byte > kWindowLead ? begin_byte - kWindowLead : 0);
      const size_t to = char_start(line, std::min(line.size(), from + kMaxLineBytes));
      window = line.substr(from, to - from);
      if (from > 0) lead = kEllipsis;
      if (to < line.size()) trail = kEllipsis;
      begin_byte -= from;
      end_byte = std::min(end_byte - from, window.size() + 1);
    }
    const std::string shown = expand_tabs(window);
    if (!shown.empty()) {
      out_ += ' ';
      out_ += lead;
      out_ += shown;
      out_ += trail;
    }
    out_ += '\n';

    const size_t start = display_offset(window, begin_byte) + lead.size();
    const size_t stop = display_offset(window, end_byte) + lead.size();
    const size_t carets = stop > start ? stop - start : 1;

    out_.append(gutter_ + 1, ' ');
    out_ += "| ";
    out_.append(start, ' ');
    out_.append(carets, '^');
    if (!label.text.empty()) {
      out_ += ' ';
      out_ += label.text;
    }
    out_ += '\n';
  }

  void footer(std::string_view kind, std::string_view text) {
    out_.append(gutter_ + 1, ' ');
    out_ += "= ";
    out_ += kind;
    out_ += ": ";
    const size_t indent = gutter_ + 1 + kind.size() + 4;
    for (size_t i = 0; i < text.size(); ++i) {
      out_ += text[i];
      if (text[i] == '\n') out_.append(indent, ' ');
    }
    out_ += '\n';
  }

 private:
  void empty_gutter() {
    out_.append(gutter_ + 1, ' ');
    out_ += "|\n";
  }

  std::string& out_;
  size_t gutter_;
  bool shown_any_ = false;
};

void write_diagnostic(std::string& out, const diag::Diagnostic& d, bool color) {
  std::string level(to_string(d.severity));
  if (!d.rule.empty()) level += "[" + d.rule + "]";
  out += paint(level, d.severity, color);
  out += ": ";
  out += d.message;
  out += '\n';

  size_t gutter = 1;
  if (d.primary.span.valid()) gutter = std::max(gutter, digits(d.primary.span.begin.line));
  for (const auto& label : d.secondary) {
    if (label.span.valid()) gutter = std::max(gutter, digits(label.span.begin.line));
  }

  DiagnosticWriter writer(out, gutter);
  if (d.primary.span.valid()) {
    writer.arrow("-->", detail::location(d.primary.span));
    writer.snippet(d.primary);
  } else if (d.primary.span.file != nullptr) {
    writer.arrow("-->", d.primary.span.file->path());
  }

  std::vector<std::string_view> unplaced;  // labels of secondary spans with no line to show
  for (const auto& label : d.secondary) {
    if (label.span.valid()) {
      writer.arrow(":::", detail::location(label.span));
      writer.snippet(label);
      continue;
    }
    if (label.span.file != nullptr) writer.arrow(":::", label.span.file->path());
    if (!label.text.empty()) unplaced.push_back(label.text);
  }
  for (const auto text : unplaced) writer.footer("note", text);
  for (const auto& note : d.notes) writer.footer("note", note);
  if (d.is_new && !*d.is_new) writer.footer("note", "not new: the base has it too");
  if (!d.help.empty()) writer.footer("help", d.help);
  out += '\n';
}

}  // namespace

std::string render_text(const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx) {
  std::string out;
  for (const auto& d : diags) write_diagnostic(out, d, ctx.color);
  for (const auto& note : ctx.run_notes) {
    out += paint("note", Severity::kNote, ctx.color);
    out += ": ";
    out += note;
    out += '\n';
  }
  const diag::Summary summary = diag::summarize(diags);
  if (diags.empty()) {
    out += "no findings\n";
  } else {
    const Severity level = detail::highest(summary);
    out += paint(to_string(level), level, ctx.color);
    out += ": ";
    out += detail::summary_phrase(summary);
    out += '\n';
  }
  return out;
}

}  // namespace gl::report
