#pragma once
// A finding: rule id, severity, message, primary and secondary spans, notes, help, fingerprint.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/object_ref.h"
#include "core/severity.h"
#include "core/source.h"

namespace gl::diag {

struct Label {
  Span span;
  std::string text;  ///< shown next to the carets; may be empty
};

struct Diagnostic {
  std::string rule;
  Severity severity = Severity::kError;
  std::string message;  ///< lowercase, no final period, names in backticks
  Label primary;
  std::vector<Label> secondary;
  std::vector<std::string> notes;
  std::string help;  ///< one imperative sentence
  std::optional<ObjectRef> object;
  /// The Argo CD application chain that deploys the object (root first), empty outside Argo CD.
  std::vector<std::string> application;
  /// Stable identity for baselines and SARIF partialFingerprints; rules may set a key, the sink hashes it.
  std::string fingerprint_key;
  std::string fingerprint;
  /// Source ranges holding secret values. Before reporting, every span of every diagnostic into such a
  /// file is pointed at a copy with these ranges blanked, so no reporter can print the value.
  std::vector<Span> redact;
  /// Set when findings are compared with a base revision or a baseline (`check --base/--baseline`): true
  /// when the finding is not in the base (matched by fingerprint, so line shifts do not make it new).
  std::optional<bool> is_new;

  /// Repository-relative file of the primary span ("" when none).
  std::string_view file() const { return primary.span.file != nullptr ? std::string_view(primary.span.file->path()) : std::string_view(); }
  uint32_t line() const { return primary.span.begin.line; }
  uint32_t column() const { return primary.span.begin.column; }
};

/// Collects diagnostics from rules and loaders (thread-safe).
class DiagnosticSink {
 public:
  void report(Diagnostic d);
  std::vector<Diagnostic> take();
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::vector<Diagnostic> diags_;
};

/// Applies every diagnostic's `redact` ranges: files holding them are copied into `sources` with the ranges'
/// non-blank bytes replaced by `*` (same lines and columns), and all spans into them are re-pointed.
void redact_secrets(std::vector<Diagnostic>& diags, SourceSet& sources);

/// Fills `fingerprint` (hash of rule, file, object and fingerprint_key or message), sorts by
/// (file, line, column, rule, message) and drops exact duplicates. Deterministic.
void finalize(std::vector<Diagnostic>& diags);

struct Summary {
  size_t error = 0;
  size_t warning = 0;
  size_t note = 0;
};
Summary summarize(const std::vector<Diagnostic>& diags);

}  // namespace gl::diag
