#pragma once
// Reads back a report written by `render_json` (`check --format json`): findings as diagnostics whose spans
// point at files the caller supplies, and the run notes. The inverse of json.cpp for `merge-reports`.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.h"
#include "diag/diagnostic.h"

namespace gl::report {

/// One finding's secret ranges in one file, and the digest of that file as blanked when the report was
/// written (json.cpp): a file on disk is the same one when blanking it the same way gives the same digest.
struct RedactCheck {
  std::string file;
  std::vector<Span> ranges;
  std::string digest;
};

struct JsonReport {
  std::vector<diag::Diagnostic> diagnostics;  ///< in report order, fingerprints as written
  std::vector<std::string> notes;
  std::vector<RedactCheck> redact_checks;
};

/// The SourceFile of a repository path, asked once per path (the file as it is now, or an empty one).
using FileLookup = std::function<const SourceFile*(const std::string& path)>;

/// Parses a JSON report; nullopt with `error` set ("line 3, column 7: ..." for malformed JSON, "at
/// /findings/2/line: ..." for a value of the wrong shape) when it is not one.
std::optional<JsonReport> read_json(std::string_view text, const FileLookup& files, std::string* error);

/// The digest json.cpp writes for a blanked file's text.
std::string redaction_digest(std::string_view blanked_text);

}  // namespace gl::report
