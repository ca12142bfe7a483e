#include "report/report.h"

#include <algorithm>
#include <array>
#include <utility>

#include "report/detail.h"

namespace gl::report {
namespace {

constexpr std::array<std::pair<std::string_view, Format>, 6> kFormats = {{
    {"text", Format::kText},
    {"concise", Format::kConcise},
    {"json", Format::kJson},
    {"sarif", Format::kSarif},
    {"github", Format::kGithub},
    {"markdown", Format::kMarkdown},
}};

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

std::string count_phrase(size_t n, std::string_view noun) {
  std::string out = std::to_string(n);
  out += ' ';
  out += noun;
  if (n != 1) out += 's';
  return out;
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  for (const auto& [n, f] : kFormats) {
    if (n == name) return f;
  }
  return std::nullopt;
}

std::string_view format_names() { return "text|concise|json|sarif|github|markdown"; }

std::string render(Format format, const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx) {
  switch (format) {
    case Format::kText: return render_text(diags, ctx);
    case Format::kConcise: return render_concise(diags, ctx);
    case Format::kJson: return render_json(diags, ctx);
    case Format::kSarif: return render_sarif(diags, ctx);
    case Format::kGithub: return render_github(diags, ctx);
    case Format::kMarkdown: return render_markdown(diags, ctx);
  }
  return render_text(diags, ctx);
}

namespace detail {

Mark effective_end(const Span& span) {
  if (span.end.line == 0 || span.end <= span.begin) return Mark{span.begin.line, span.begin.column + 1};
  return span.end;
}

std::string location(const Span& span) {
  if (span.file == nullptr) return {};
  std::string out = span.file->path();
  if (!span.valid()) return out;
  out += ':';
  out += std::to_string(span.begin.line);
  if (span.begin.column > 0) {
    out += ':';
    out += std::to_string(span.begin.column);
  }
  return out;
}

bool is_multiline(const Span& span) { return effective_end(span).line > span.begin.line; }

std::string summary_phrase(const diag::Summary& summary) {
  std::string out;
  auto add = [&](size_t n, std::string_view noun) {
    if (n == 0) return;
    if (!out.empty()) out += ", ";
    out += count_phrase(n, noun);
  };
  add(summary.error, "error");
  add(summary.warning, "warning");
  add(summary.note, "note");
  return out;
}

Severity highest(const diag::Summary& summary) {
  if (summary.error > 0) return Severity::kError;
  if (summary.warning > 0) return Severity::kWarning;
  return Severity::kNote;
}

std::string full_message(const diag::Diagnostic& d) {
  std::string out = d.message;
  for (const auto& note : d.notes) {
    out += "\nnote: ";
    out += note;
  }
  if (!d.help.empty()) {
    out += "\nhelp: ";
    out += d.help;
  }
  return out;
}

uint32_t code_point_column(const SourceFile& file, uint32_t line, uint32_t byte_column) {
  if (byte_column == 0) return 0;
  const std::string_view text = file.line(line);
  const size_t prefix = byte_column - 1;
  const size_t in_line = std::min(prefix, text.size());
  uint32_t column = 1;
  for (size_t i = 0; i < in_line; ++i) {
    if (!is_utf8_continuation(text[i])) ++column;
  }
  return column + static_cast<uint32_t>(prefix - in_line);
}


/// Percent-encodes what may not stand in a Markdown link destination or a table cell; `keep_reserved`
/// leaves the URL syntax of a link base (`:`, `?`, `#`, existing `%` escapes, ...) alone.
std::string percent_encode(std::string_view text, bool keep_reserved) {
  constexpr std::string_view kUnreserved = "-._~/";
  constexpr std::string_view kReserved = ":?#@!$&'*+,;=%[]";
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool alnum = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
    if (alnum || kUnreserved.find(c) != std::string_view::npos ||
        (keep_reserved && kReserved.find(c) != std::string_view::npos)) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4U];
      out += kHex[u & 0xFU];
    }
  }
  return out;
}

}  // namespace detail
}  // namespace gl::report
