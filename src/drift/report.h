#pragma once
// Drift reports: text (terminal), JSON (machines), Markdown (a PR or issue), HTML (a self-contained page),
// SARIF (code scanning). Pure functions of the result: same input, same bytes.
#include <string>
#include <string_view>
#include <vector>

#include "drift/diff.h"

namespace gl::drift {

struct ReportInfo {
  std::string tool_version;
  std::string desired;  ///< what Git side was read ("worktree /repo", "revision abc123")
  std::string live;     ///< LiveSet.description
  std::vector<std::string> notes;  ///< run notes (live side and comparison)
  bool color = false;
};

std::string render_text(const DriftResult& r, const ReportInfo& info);
std::string render_json(const DriftResult& r, const ReportInfo& info);
std::string render_markdown(const DriftResult& r, const ReportInfo& info);
std::string render_html(const DriftResult& r, const ReportInfo& info);
std::string render_sarif(const DriftResult& r, const ReportInfo& info);

/// The report in `format` (text, json, markdown, html, sarif); throws FatalError for an unknown format.
std::string render(std::string_view format, const DriftResult& r, const ReportInfo& info);

/// A value as the reports print it: JSON text, with long values shortened.
std::string show_value(const nlohmann::json& v, size_t max = 120);

/// The pointer, with the merge key of the last list item it passes through (`.../containers/0/image (name=api)`).
std::string path_text(const FieldPath& path);

/// "Deployment shop/api" (no namespace for cluster-scoped objects).
std::string object_title(const ObjectDrift& d);

}  // namespace gl::drift
