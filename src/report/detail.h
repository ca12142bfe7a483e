#pragma once
// Helpers shared by the reporters (not part of the public report.h interface; tests may use them).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/source.h"
#include "diag/diagnostic.h"
#include "rules/rule.h"

namespace gl::report::detail {

/// The exclusive end of a span, never before its begin: a point or an unset end covers one column.
Mark effective_end(const Span& span);

/// "path:line:col" for a valid span, "path" for a span with a file but no line, "" for no file.
std::string location(const Span& span);

/// True when the span covers more than one line.
bool is_multiline(const Span& span);

/// "3 errors, 1 warning, 2 notes" (only non-zero counts), or "" when there are none.
std::string summary_phrase(const diag::Summary& summary);

/// The most severe level present in a summary (kNote when empty).
Severity highest(const diag::Summary& summary);

/// The message followed by "note: ..." and "help: ..." lines, joined with '\n'.
std::string full_message(const diag::Diagnostic& d);

/// Converts a 1-based byte column on `line` of `file` to a 1-based Unicode code point column.
/// Columns past the end of the line keep their distance from it.
uint32_t code_point_column(const SourceFile& file, uint32_t line, uint32_t byte_column);

/// The SARIF reportingDescriptor of a rule, with `doc` (its markdown page) as help and full description.
nlohmann::ordered_json sarif_rule_descriptor(const rules::RuleInfo& rule, std::string_view doc);

/// The first paragraph of the doc's "Why is this bad?" section, or "" when there is none.
std::string doc_rationale(std::string_view doc);

/// Percent-encodes all but ASCII letters, digits and `-._~/` (a relative path as a URI reference); with
/// `keep_reserved`, URL syntax (`:`, `?`, `#`, existing `%` escapes, ...) is left alone too (a link base).
std::string percent_encode(std::string_view text, bool keep_reserved = false);

/// A Markdown code span holding `text` literally (fence longer than any backtick run inside).
std::string markdown_code(std::string_view text);

/// Markdown inline text: backtick pairs stay code spans, everything else is escaped; newlines become spaces.
std::string markdown_inline(std::string_view text);

}  // namespace gl::report::detail
