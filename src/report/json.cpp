// Machine-readable findings: {"version":1,"findings":[...],"summary":{...}} with a stable key order.
// Keys may be added after the existing ones in later versions, never removed or reordered.
#include <string>

#include <nlohmann/json.hpp>

#include "report/detail.h"
#include "report/json_read.h"
#include "report/report.h"

namespace gl::report {
namespace {

constexpr int kFormatVersion = 1;
constexpr int kIndent = 2;

using Json = nlohmann::ordered_json;

/// Sets file/line/column; null when the span has no file or no line.
void put_location(Json& j, const Span& span) {
  j["file"] = span.file != nullptr ? Json(span.file->path()) : Json(nullptr);
  j["line"] = span.valid() ? Json(span.begin.line) : Json(nullptr);
  j["column"] = span.valid() ? Json(span.begin.column) : Json(nullptr);
}

Json finding(const diag::Diagnostic& d) {
  Json j = Json::object();
  j["rule"] = d.rule;
  j["severity"] = std::string(to_string(d.severity));
  j["message"] = d.message;
  put_location(j, d.primary.span);
  if (d.object) {
    Json object = Json::object();
    object["apiVersion"] = d.object->api_version;
    object["kind"] = d.object->kind;
    object["namespace"] = d.object->name_space;
    object["name"] = d.object->name;
    j["object"] = std::move(object);
  }
  j["notes"] = d.notes;
  j["help"] = d.help;
  if (!d.application.empty()) {
    // The application that deploys the object, and the app-of-apps chain above it (root first).
    j["application"] = d.application.back();
    j["applicationChain"] = d.application;
  }
  j["fingerprint"] = d.fingerprint;
  if (d.primary.span.valid()) {
    const Mark end = detail::effective_end(d.primary.span);
    j["endLine"] = end.line;
    j["endColumn"] = end.column;
  }
  Json related = Json::array();
  for (const auto& label : d.secondary) {
    Json r = Json::object();
    put_location(r, label.span);
    r["message"] = label.text;
    if (label.span.valid()) {
      const Mark end = detail::effective_end(label.span);
      r["endLine"] = end.line;
      r["endColumn"] = end.column;
    }
    related.push_back(std::move(r));
  }
  j["related"] = std::move(related);
  if (d.is_new) j["new"] = *d.is_new;
  if (!d.redact.empty()) {
    // Ranges holding secret values (blanked in every source line a report shows), with a digest of the
    // blanked file so that a report rendered later from the files on disk (merge-reports) can tell whether
    // the file is still the one the ranges were taken from.
    Json redact = Json::array();
    for (const auto& r : d.redact) {
      if (!r.valid()) continue;
      Json e = Json::object();
      put_location(e, r);
      e["endLine"] = r.end.line;
      e["endColumn"] = r.end.column;
      e["digest"] = redaction_digest(r.file->text());
      redact.push_back(std::move(e));
    }
    j["redact"] = std::move(redact);
  }
  // The text next to the primary span's carets in the text report.
  if (!d.primary.text.empty()) j["label"] = d.primary.text;
  return j;
}

}  // namespace

std::string render_json(const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx) {
  Json root = Json::object();
  root["version"] = kFormatVersion;
  Json findings = Json::array();
  for (const auto& d : diags) findings.push_back(finding(d));
  root["findings"] = std::move(findings);
  const diag::Summary summary = diag::summarize(diags);
  Json counts = Json::object();
  counts["error"] = summary.error;
  counts["warning"] = summary.warning;
  counts["note"] = summary.note;
  root["summary"] = std::move(counts);
  // Run-wide notes (skipped charts, unexpanded Argo CD applications, unknown instance types).
  root["notes"] = ctx.run_notes;
  // Invalid UTF-8 in a message must not abort the report: replace it with U+FFFD.
  std::string out = root.dump(kIndent, ' ', false, Json::error_handler_t::replace);
  out += '\n';
  return out;
}

}  // namespace gl::report
