#pragma once
// Only new findings: compare a run's findings with a base revision's or a saved JSON report's, by fingerprint.
#include <map>
#include <string>
#include <vector>

#include "diag/diagnostic.h"

namespace gl::cli {

/// Fingerprints of a base, with how many findings carry each (a fingerprint can repeat).
using BaseFingerprints = std::map<std::string, size_t, std::less<>>;

/// The fingerprints of `diags` (a base revision's findings).
BaseFingerprints fingerprints_of(const std::vector<diag::Diagnostic>& diags);

/// Reads the fingerprints of a JSON report written by `check --format json` (`findings[].fingerprint`).
/// Throws FatalError naming the file when it cannot be read or is not such a report.
BaseFingerprints read_baseline(const std::string& path);

/// Sets `is_new` on every finding: a finding is old while the base has an unmatched finding with its
/// fingerprint (fingerprints hash rule, file, object and message, not lines, so shifted lines stay old).
/// Findings are matched in order, so of two identical findings where the base had one, the later is new.
/// When `keep_existing` is false, old findings are removed.
void mark_new(std::vector<diag::Diagnostic>& diags, BaseFingerprints base, bool keep_existing);

}  // namespace gl::cli
