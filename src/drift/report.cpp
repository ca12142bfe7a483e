#include "drift/report.h"

#include <fmt/format.h>

#include "core/error.h"

namespace gl::drift {

namespace {

std::string location(const Span& at) {
  if (!at.valid()) return "";
  return fmt::format("{}:{}", at.file->path(), at.begin.line);
}

std::string summary_line(const Summary& s) {
  return fmt::format("{} missing, {} extra, {} modified, {} in sync", s.missing, s.extra, s.modified, s.in_sync);
}

std::string item_hint(const PathStep& step) {
  return step.item_key.empty() ? std::string() : fmt::format(" ({}={})", step.item_key, step.item_value);
}

}  // namespace

std::string path_text(const FieldPath& path) {
  std::string hint;
  for (const auto& step : path) {
    if (!step.item_key.empty()) hint = item_hint(step);
  }
  return to_pointer(path) + hint;
}

namespace {

std::string node_text(const NodeDrift& n) {
  if (n.what == NodeDrift::What::kUnselectedNode) {
    return fmt::format("node `{}` is labelled `{}` but no workload in Git selects it", n.node, n.selector);
  }
  return fmt::format("{} selects `{}`: no live node has these labels", n.workload, n.selector);
}

const char* kStatusText[] = {"in sync", "modified", "missing", "extra"};

std::string status_text(Status s) { return kStatusText[static_cast<int>(s)]; }

std::string what_it_means(const ObjectDrift& d) {
  switch (d.status) {
    case Status::kMissing: return "in Git, not in the cluster";
    case Status::kExtra: return fmt::format("in the cluster (application `{}`), not in Git", d.application());
    case Status::kModified: return fmt::format("{} field{} differ{}", d.diffs.size(), d.diffs.size() == 1 ? "" : "s", d.diffs.size() == 1 ? "s" : "");
    case Status::kInSync: return "in sync";
  }
  return "";
}

std::string side(const std::optional<nlohmann::json>& v, std::string_view absent) {
  return v ? show_value(*v) : std::string(absent);
}

nlohmann::json object_json(const ObjectDrift& d) {
  nlohmann::json j = nlohmann::json::object();
  j["status"] = std::string(to_string(d.status));
  j["object"] = {{"apiVersion", d.api_version}, {"kind", d.kind}, {"namespace", d.name_space}, {"name", d.name}};
  j["application"] = d.application();
  j["applicationChain"] = d.app_chain;
  if (d.at.valid()) {
    j["file"] = d.at.file->path();
    j["line"] = d.at.begin.line;
  } else {
    j["file"] = nullptr;
    j["line"] = nullptr;
  }
  if (d.status == Status::kModified) {
    nlohmann::json diffs = nlohmann::json::array();
    for (const auto& f : d.diffs) {
      nlohmann::json x = nlohmann::json::object();
      x["path"] = to_pointer(f.path);
      if (f.desired) x["desired"] = *f.desired;
      if (f.live) x["live"] = *f.live;
      if (f.secret) x["secret"] = true;
      if (f.at.valid()) {
        x["file"] = f.at.file->path();
        x["line"] = f.at.begin.line;
      }
      diffs.push_back(std::move(x));
    }
    j["diffs"] = std::move(diffs);
    if (d.ignored > 0) j["ignoredDifferences"] = d.ignored;
  }
  return j;
}

std::string md_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '*' || c == '_' || c == '<' || c == '>' || c == '[' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

/// Inline code that survives backticks in the value.
std::string md_code(std::string_view s) {
  std::string text(s);
  for (auto& c : text) {
    if (c == '\n') c = ' ';
    if (c == '|') c = '/';
  }
  const std::string fence = text.find('`') != std::string::npos ? "``" : "`";
  return fence + (fence.size() > 1 ? " " : "") + text + (fence.size() > 1 ? " " : "") + fence;
}

}  // namespace

std::string show_value(const nlohmann::json& v, size_t max) {
  std::string s = v.dump();
  if (s.size() > max) s = s.substr(0, max - 3) + "...";
  return s;
}

std::string object_title(const ObjectDrift& d) {
  return d.name_space.empty() ? fmt::format("{} {}", d.kind, d.name) : fmt::format("{} {}/{}", d.kind, d.name_space, d.name);
}

std::string render_text(const DriftResult& r, const ReportInfo& info) {
  std::string out;
  const bool c = info.color;
  auto paint = [&](std::string_view code, std::string_view s) {
    return c ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
  };
  out += fmt::format("drift: {} against {}\n", info.desired, info.live);
  for (const auto& d : r.objects) {
    if (d.status == Status::kInSync) continue;
    const std::string_view colour = d.status == Status::kModified ? "33" : d.status == Status::kMissing ? "31" : "35";
    std::string where = location(d.at);
    out += fmt::format("{} {}{}{}: {}\n", paint(colour, fmt::format("{:<8}", status_text(d.status))), object_title(d),
                       d.application().empty() || d.status == Status::kExtra ? "" : fmt::format(" (app {})", d.application()),
                       where.empty() ? "" : fmt::format(" at {}", where), what_it_means(d));
    for (const auto& f : d.diffs) {
      out += fmt::format("    {}: {} {}, {} {}{}\n", path_text(f.path), paint("32", "git"), side(f.desired, "(not set)"),
                         paint("31", "live"), side(f.live, "(absent)"),
                         f.at.valid() && location(f.at) != where ? fmt::format("  [{}]", location(f.at)) : "");
    }
    if (d.ignored > 0) out += fmt::format("    ({} difference{} ignored by ignoreDifferences)\n", d.ignored, d.ignored == 1 ? "" : "s");
  }
  for (const auto& n : r.nodes) {
    const std::string where = location(n.at);
    out += fmt::format("{} {}{}\n", paint("36", "node    "), node_text(n), where.empty() ? "" : fmt::format(" at {}", where));
  }
  for (const auto& n : info.notes) out += fmt::format("note: {}\n", n);
  for (const auto& n : r.notes) out += fmt::format("note: {}\n", n);
  out += fmt::format("summary: {}\n", summary_line(r.summary));
  return out;
}

std::string render_json(const DriftResult& r, const ReportInfo& info) {
  nlohmann::json j = nlohmann::json::object();
  j["version"] = 1;
  j["desired"] = info.desired;
  j["live"] = info.live;
  nlohmann::json drift = nlohmann::json::array();
  for (const auto& d : r.objects) {
    if (d.status != Status::kInSync) drift.push_back(object_json(d));
  }
  j["drift"] = std::move(drift);
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& n : r.nodes) {
    nlohmann::json x = nlohmann::json::object();
    x["status"] = n.what == NodeDrift::What::kUnselectedNode ? "unselected-node" : "unmatched-selector";
    if (!n.node.empty()) x["node"] = n.node;
    if (!n.workload.empty()) x["workload"] = n.workload;
    x["labels"] = n.selector;
    x["message"] = node_text(n);
    if (n.at.valid()) {
      x["file"] = n.at.file->path();
      x["line"] = n.at.begin.line;
    }
    nodes.push_back(std::move(x));
  }
  j["nodes"] = std::move(nodes);
  j["summary"] = {{"missing", r.summary.missing}, {"extra", r.summary.extra}, {"modified", r.summary.modified},
                  {"in_sync", r.summary.in_sync}};
  nlohmann::json notes = nlohmann::json::array();
  for (const auto& n : info.notes) notes.push_back(n);
  for (const auto& n : r.notes) notes.push_back(n);
  j["notes"] = std::move(notes);
  return j.dump(2) + "\n";
}

std::string render_markdown(const DriftResult& r, const ReportInfo& info) {
  std::string out = "## gitops-lint drift\n\n";
  out += fmt::format("{} against {}\n\n", md_escape(info.desired), md_escape(info.live));
  out += "| missing | extra | modified | in sync |\n| ---: | ---: | ---: | ---: |\n";
  out += fmt::format("| {} | {} | {} | {} |\n\n", r.summary.missing, r.summary.extra, r.summary.modified, r.summary.in_sync);
  std::string app = "\x01";
  for (const auto& d : r.objects) {
    if (d.status == Status::kInSync) continue;
    if (d.application() != app) {
      app = d.application();
      out += fmt::format("### {}\n\n", app.empty() ? std::string("Outside Argo CD applications") : "Application " + md_code(app));
    }
    const std::string where = location(d.at);
    out += fmt::format("- **{}** {}{}: {}\n", status_text(d.status), md_code(object_title(d)),
                       where.empty() ? "" : fmt::format(" ({})", md_code(where)), md_escape(what_it_means(d)));
    if (!d.diffs.empty()) {
      out += "\n  | field | Git | live |\n  | --- | --- | --- |\n";
      for (const auto& f : d.diffs) {
        out += fmt::format("  | {} | {} | {} |\n", md_code(path_text(f.path)), f.desired ? md_code(show_value(*f.desired)) : "*not set*",
                           f.live ? md_code(show_value(*f.live)) : "*absent*");
      }
      out += "\n";
    }
  }
  if (!r.nodes.empty()) {
    out += "### Nodes\n\n";
    for (const auto& n : r.nodes) {
      const std::string where = location(n.at);
      out += fmt::format("- {}{}\n", md_escape(node_text(n)), where.empty() ? "" : fmt::format(" ({})", md_code(where)));
    }
    out += "\n";
  }
  if (r.summary.missing + r.summary.extra + r.summary.modified == 0 && r.nodes.empty()) out += "No drift.\n\n";
  if (!info.notes.empty() || !r.notes.empty()) {
    out += "<details><summary>Notes</summary>\n\n";
    for (const auto& n : info.notes) out += fmt::format("- {}\n", md_escape(n));
    for (const auto& n : r.notes) out += fmt::format("- {}\n", md_escape(n));
    out += "\n</details>\n";
  }
  return out;
}

std::string render_sarif(const DriftResult& r, const ReportInfo& info) {
  struct RuleText {
    const char* id;
    const char* text;
  };
  static const RuleText kRules[] = {
      {"drift-missing", "an object in Git is not in the cluster"},
      {"drift-extra", "an object an application of this repository deployed is still in the cluster but no longer in Git"},
      {"drift-modified", "the cluster's object differs from Git"},
      {"drift-node", "live nodes and the workloads' node selectors no longer agree"},
  };
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& rt : kRules) {
    rules.push_back({{"id", rt.id}, {"shortDescription", {{"text", rt.text}}},
                     {"defaultConfiguration", {{"level", "warning"}}}});
  }
  auto add_location = [](nlohmann::json& result, const Span& at) {
    if (!at.valid()) return;
    result["locations"] = nlohmann::json::array(
        {{{"physicalLocation",
           {{"artifactLocation", {{"uri", at.file->path()}}}, {"region", {{"startLine", at.begin.line}}}}}}});
  };
  nlohmann::json results = nlohmann::json::array();
  for (const auto& d : r.objects) {
    if (d.status == Status::kInSync) continue;
    nlohmann::json x = nlohmann::json::object();
    x["ruleId"] = fmt::format("drift-{}", to_string(d.status));
    x["level"] = "warning";
    std::string message = fmt::format("{}: {}", object_title(d), what_it_means(d));
    for (const auto& f : d.diffs) {
      message += fmt::format("\n{}: git {}, live {}", path_text(f.path), side(f.desired, "(not set)"), side(f.live, "(absent)"));
    }
    x["message"] = {{"text", message}};
    add_location(x, d.diffs.size() == 1 && d.diffs.front().at.valid() ? d.diffs.front().at : d.at);
    results.push_back(std::move(x));
  }
  for (const auto& n : r.nodes) {
    nlohmann::json x = {{"ruleId", "drift-node"}, {"level", "warning"}, {"message", {{"text", node_text(n)}}}};
    add_location(x, n.at);
    results.push_back(std::move(x));
  }
  nlohmann::json driver = {{"name", "gitops-lint"}, {"informationUri", "https://github.com/gitops-lint/gitops-lint"},
                           {"rules", std::move(rules)}};
  if (!info.tool_version.empty()) driver["version"] = info.tool_version;
  nlohmann::json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", nlohmann::json::array({{{"tool", {{"driver", std::move(driver)}}}, {"results", std::move(results)}}})}};
  return sarif.dump(2) + "\n";
}

std::string render(std::string_view format, const DriftResult& r, const ReportInfo& info) {
  if (format == "text") return render_text(r, info);
  if (format == "json") return render_json(r, info);
  if (format == "markdown") return render_markdown(r, info);
  if (format == "html") return render_html(r, info);
  if (format == "sarif") return render_sarif(r, info);
  throw FatalError(fmt::format("unknown drift format `{}` (text, json, markdown, html or sarif)", format));
}

}  // namespace gl::drift
