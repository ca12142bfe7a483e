// Machine-readable findings: {"version":1,"findings":[...],"summary":{...}} with a stable key order.
// Keys may be added after the existing ones in later versions, never removed or reordered.
#include <map>
#include <string>

#include "report/detail.h"
#include "report/json_read.h"
#include "report/json_writer.h"
#include "report/report.h"

namespace gl::report {
namespace {

constexpr int kFormatVersion = 1;
constexpr int kIndent = 2;

using detail::JsonWriter;

/// Sets file/line/column; null when the span has no file or no line.
void put_location(JsonWriter& w, const Span& span) {
  w.key("file");
  span.file != nullptr ? w.string(span.file->path()) : w.null();
  w.key("line");
  span.valid() ? w.number(span.begin.line) : w.null();
  w.key("column");
  span.valid() ? w.number(span.begin.column) : w.null();
}

void put_end(JsonWriter& w, const Span& span) {
  const Mark end = detail::effective_end(span);
  w.key("endLine");
  w.number(end.line);
  w.key("endColumn");
  w.number(end.column);
}

/// Digests of blanked files, computed once per file however many findings redact it.
class Digests {
 public:
  const std::string& of(const SourceFile& file) {
    auto [it, fresh] = digests_.try_emplace(&file);
    if (fresh) it->second = redaction_digest(file.text());
    return it->second;
  }

 private:
  std::map<const SourceFile*, std::string> digests_;
};

void finding(JsonWriter& w, const diag::Diagnostic& d, Digests& digests) {
  w.begin_object();
  w.key("rule");
  w.string(d.rule);
  w.key("severity");
  w.string(to_string(d.severity));
  w.key("message");
  w.string(d.message);
  put_location(w, d.primary.span);
  if (d.object) {
    w.key("object");
    w.begin_object();
    w.key("apiVersion");
    w.string(d.object->api_version);
    w.key("kind");
    w.string(d.object->kind);
    w.key("namespace");
    w.string(d.object->name_space);
    w.key("name");
    w.string(d.object->name);
    w.end_object();
  }
  w.key("notes");
  w.strings(d.notes);
  w.key("help");
  w.string(d.help);
  if (!d.application.empty()) {
    // The application that deploys the object, and the app-of-apps chain above it (root first).
    w.key("application");
    w.string(d.application.back());
    w.key("applicationChain");
    w.strings(d.application);
  }
  w.key("fingerprint");
  w.string(d.fingerprint);
  if (d.primary.span.valid()) put_end(w, d.primary.span);
  w.key("related");
  w.begin_array();
  for (const auto& label : d.secondary) {
    w.begin_object();
    put_location(w, label.span);
    w.key("message");
    w.string(label.text);
    if (label.span.valid()) put_end(w, label.span);
    w.end_object();
  }
  w.end_array();
  if (d.is_new) {
    w.key("new");
    w.boolean(*d.is_new);
  }
  if (!d.redact.empty()) {
    // Ranges holding secret values (blanked in every source line a report shows), with a digest of the
    // blanked file so that a report rendered later from the files on disk (merge-reports) can tell whether
    // the file is still the one the ranges were taken from.
    w.key("redact");
    w.begin_array();
    for (const auto& r : d.redact) {
      if (!r.valid()) continue;
      w.begin_object();
      put_location(w, r);
      w.key("endLine");
      w.number(r.end.line);
      w.key("endColumn");
      w.number(r.end.column);
      w.key("digest");
      w.string(digests.of(*r.file));
      w.end_object();
    }
    w.end_array();
  }
  // The text next to the primary span's carets in the text report.
  if (!d.primary.text.empty()) {
    w.key("label");
    w.string(d.primary.text);
  }
  w.end_object();
}

}  // namespace

std::string render_json(const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx) {
  JsonWriter w(kIndent);
  Digests digests;
  w.begin_object();
  w.key("version");
  w.number(kFormatVersion);
  w.key("findings");
  w.begin_array();
  for (const auto& d : diags) finding(w, d, digests);
  w.end_array();
  const diag::Summary summary = diag::summarize(diags);
  w.key("summary");
  w.begin_object();
  w.key("error");
  w.number(static_cast<int64_t>(summary.error));
  w.key("warning");
  w.number(static_cast<int64_t>(summary.warning));
  w.key("note");
  w.number(static_cast<int64_t>(summary.note));
  w.end_object();
  // Run-wide notes (skipped charts, unexpanded Argo CD applications, unknown instance types).
  w.key("notes");
  w.strings(ctx.run_notes);
  w.end_object();
  // Invalid UTF-8 in a message must not abort the report: the writer replaces it with U+FFFD.
  std::string out = w.take();
  out += '\n';
  return out;
}

}  // namespace gl::report
