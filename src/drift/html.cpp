// The drift report as one self-contained HTML page (no scripts, no external resources): summary counts, then
// each application with its drifted objects and a coloured field diff, in-sync objects folded away.
#include <fmt/format.h>

#include "drift/report.h"

namespace gl::drift {

namespace {

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr std::string_view kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:16px 24px}
header h1{margin:0 0 4px;font-size:20px}
header p{margin:0;color:#d0d7de}
main{padding:16px 24px;max-width:1200px}
.summary{display:flex;gap:12px;margin:8px 0 20px;flex-wrap:wrap}
.count{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:10px 16px;min-width:110px}
.count .n{display:block;font-size:26px;font-weight:600}
.count.missing .n{color:#cf222e}.count.extra .n{color:#8250df}.count.modified .n{color:#9a6700}.count.in_sync .n{color:#1a7f37}
section.app{background:#fff;border:1px solid #d0d7de;border-radius:8px;margin:0 0 16px;padding:4px 16px 12px}
section.app h2{font-size:16px;margin:12px 0 8px}
.object{border-top:1px solid #eaeef2;padding:8px 0}
.object h3{font-size:14px;margin:0;font-weight:600}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;color:#fff;margin-right:6px}
.badge.missing{background:#cf222e}.badge.extra{background:#8250df}.badge.modified{background:#9a6700}
.where{color:#57606a;font-weight:400;font-family:ui-monospace,monospace;font-size:12px;margin-left:6px}
table.diff{border-collapse:collapse;margin:6px 0 0;width:100%;font-family:ui-monospace,monospace;font-size:12px}
table.diff th{text-align:left;color:#57606a;font-weight:500;padding:2px 6px}
table.diff td{padding:2px 6px;vertical-align:top;word-break:break-all}
td.git{background:#dafbe1}td.live{background:#ffebe9}td.path{white-space:nowrap}
.absent{color:#6e7781;font-style:italic}
details{margin-top:8px;color:#57606a}
ul.nodes li,ul.notes li{margin:4px 0}
.nodrift{font-size:16px;color:#1a7f37}
)css";

std::string cell(const std::optional<nlohmann::json>& v, std::string_view cls, std::string_view absent) {
  if (!v) return fmt::format("<td class=\"{}\"><span class=\"absent\">{}</span></td>", cls, absent);
  return fmt::format("<td class=\"{}\">{}</td>", cls, esc(show_value(*v, 400)));
}

std::string where(const Span& at) {
  return at.valid() ? fmt::format("<span class=\"where\">{}:{}</span>", esc(at.file->path()), at.begin.line) : "";
}

}  // namespace

std::string render_html(const DriftResult& r, const ReportInfo& info) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n";
  out += "<title>gitops-lint drift report</title>\n<style>";
  out += kStyle;
  out += "</style></head><body>\n<header><h1>Drift report</h1>\n";
  out += fmt::format("<p>{} against {}{}</p></header>\n<main>\n", esc(info.desired), esc(info.live),
                     info.tool_version.empty() ? "" : esc(fmt::format(" · gitops-lint {}", info.tool_version)));
  out += "<div class=\"summary\" id=\"summary\">\n";
  const std::pair<const char*, size_t> counts[] = {{"missing", r.summary.missing},
                                                   {"extra", r.summary.extra},
                                                   {"modified", r.summary.modified},
                                                   {"in_sync", r.summary.in_sync}};
  for (const auto& [name, n] : counts) {
    out += fmt::format("<div class=\"count {0}\" id=\"count-{0}\"><span class=\"n\">{1}</span>{2}</div>\n", name, n,
                       std::string_view(name) == "in_sync" ? "in sync" : name);
  }
  out += "</div>\n";
  if (r.summary.missing + r.summary.extra + r.summary.modified == 0 && r.nodes.empty()) {
    out += "<p class=\"nodrift\" id=\"no-drift\">No drift: the cluster runs what Git says.</p>\n";
  }
  // One section per application, in the result's order (sorted by application).
  size_t i = 0;
  while (i < r.objects.size()) {
    const std::string app = r.objects[i].application();
    size_t j = i;
    while (j < r.objects.size() && r.objects[j].application() == app) ++j;
    out += fmt::format("<section class=\"app\" data-app=\"{}\"><h2>{}</h2>\n", esc(app),
                       app.empty() ? std::string("Outside Argo CD applications") : esc("Application " + app));
    std::vector<const ObjectDrift*> in_sync;
    for (size_t k = i; k < j; ++k) {
      const ObjectDrift& d = r.objects[k];
      if (d.status == Status::kInSync) {
        in_sync.push_back(&d);
        continue;
      }
      const std::string status(to_string(d.status));
      out += fmt::format("<div class=\"object\" data-status=\"{}\" data-object=\"{}\">\n", status, esc(object_title(d)));
      out += fmt::format("<h3><span class=\"badge {0}\">{0}</span>{1}{2}</h3>\n", status, esc(object_title(d)), where(d.at));
      if (d.status == Status::kMissing) out += "<div>in Git, not in the cluster</div>\n";
      if (d.status == Status::kExtra) out += "<div>in the cluster, no longer in Git</div>\n";
      if (!d.diffs.empty()) {
        out += "<table class=\"diff\"><tr><th>field</th><th>Git</th><th>live</th><th>line</th></tr>\n";
        for (const auto& f : d.diffs) {
          out += fmt::format("<tr><td class=\"path\">{}</td>{}{}<td>{}</td></tr>\n", esc(path_text(f.path)),
                             cell(f.desired, "git", "not set"), cell(f.live, "live", "absent"), where(f.at));
        }
        out += "</table>\n";
      }
      if (d.ignored > 0) {
        out += fmt::format("<div class=\"absent\">{} difference{} ignored (ignoreDifferences)</div>\n", d.ignored,
                           d.ignored == 1 ? "" : "s");
      }
      out += "</div>\n";
    }
    if (!in_sync.empty()) {
      out += fmt::format("<details><summary>{} object{} in sync</summary><ul>\n", in_sync.size(), in_sync.size() == 1 ? "" : "s");
      for (const auto* d : in_sync) out += fmt::format("<li>{}{}</li>\n", esc(object_title(*d)), where(d->at));
      out += "</ul></details>\n";
    }
    out += "</section>\n";
    i = j;
  }
  if (!r.nodes.empty()) {
    out += "<section class=\"app\" id=\"nodes\"><h2>Nodes</h2><ul class=\"nodes\">\n";
    for (const auto& n : r.nodes) {
      const std::string text = n.what == NodeDrift::What::kUnselectedNode
                                   ? fmt::format("node {} is labelled {} but no workload in Git selects it", n.node, n.selector)
                                   : fmt::format("{} selects {}: no live node has these labels", n.workload, n.selector);
      out += fmt::format("<li>{}{}</li>\n", esc(text), where(n.at));
    }
    out += "</ul></section>\n";
  }
  if (!info.notes.empty() || !r.notes.empty()) {
    out += "<section class=\"app\" id=\"notes\"><h2>Notes</h2><ul class=\"notes\">\n";
    for (const auto& n : info.notes) out += fmt::format("<li>{}</li>\n", esc(n));
    for (const auto& n : r.notes) out += fmt::format("<li>{}</li>\n", esc(n));
    out += "</ul></section>\n";
  }
  out += "</main></body></html>\n";
  return out;
}

}  // namespace gl::drift
