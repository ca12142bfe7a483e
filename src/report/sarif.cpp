// SARIF 2.1.0 for code-scanning uploads: one run, every registered rule, results with regions and fingerprints.
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/strings.h"
#include "report/detail.h"
#include "report/json_writer.h"
#include "report/report.h"
#include "rules/rule.h"

namespace gl::report {
namespace {

constexpr std::string_view kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr std::string_view kSarifVersion = "2.1.0";
constexpr std::string_view kToolName = "gitops-lint";
constexpr std::string_view kInformationUri = "https://github.com/gitops-lint/gitops-lint";
constexpr std::string_view kSrcRoot = "%SRCROOT%";
constexpr std::string_view kFingerprintKey = "gitopsLint/v1";
constexpr int kIndent = 2;

using Json = nlohmann::ordered_json;

Json text_object(std::string_view text) {
  Json j = Json::object();
  j["text"] = std::string(text);
  return j;
}

/// "requests-fit" -> "RequestsFit".
std::string pascal_case(std::string_view id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (c == '-' || c == '_' || c == '.') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

Json physical_location(const Span& span) {
  Json artifact = Json::object();
  artifact["uri"] = detail::percent_encode(span.file->path());
  artifact["uriBaseId"] = std::string(kSrcRoot);
  Json physical = Json::object();
  physical["artifactLocation"] = std::move(artifact);
  if (span.valid()) {
    const Mark begin = span.begin;
    const Mark end = detail::effective_end(span);
    Json region = Json::object();
    region["startLine"] = begin.line;
    if (begin.column > 0) region["startColumn"] = detail::code_point_column(*span.file, begin.line, begin.column);
    region["endLine"] = end.line;
    if (begin.column > 0) region["endColumn"] = detail::code_point_column(*span.file, end.line, end.column);
    physical["region"] = std::move(region);
  }
  return physical;
}

std::optional<size_t> rule_index(std::string_view id) {
  const auto& all = rules::registry();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].id == id) return i;
  }
  return std::nullopt;
}

Json result(const diag::Diagnostic& d) {
  Json j = Json::object();
  j["ruleId"] = d.rule;
  if (const auto index = rule_index(d.rule)) j["ruleIndex"] = *index;
  j["level"] = std::string(to_string(d.severity));
  j["message"] = text_object(detail::full_message(d));
  if (d.primary.span.file != nullptr) {
    Json location = Json::object();
    location["physicalLocation"] = physical_location(d.primary.span);
    j["locations"] = Json::array({std::move(location)});
  }
  Json related = Json::array();
  for (size_t i = 0; i < d.secondary.size(); ++i) {
    const diag::Label& label = d.secondary[i];
    if (label.span.file == nullptr) continue;
    Json r = Json::object();
    r["id"] = i + 1;
    r["physicalLocation"] = physical_location(label.span);
    if (!label.text.empty()) r["message"] = text_object(label.text);
    related.push_back(std::move(r));
  }
  if (!related.empty()) j["relatedLocations"] = std::move(related);
  if (!d.application.empty()) {
    Json properties = Json::object();
    properties["application"] = d.application.back();
    properties["applicationChain"] = d.application;
    j["properties"] = std::move(properties);
  }
  if (!d.fingerprint.empty()) {
    Json fingerprints = Json::object();
    fingerprints[std::string(kFingerprintKey)] = d.fingerprint;
    j["partialFingerprints"] = std::move(fingerprints);
  }
  // Compared with a base revision or baseline file: SARIF's own field for it.
  if (d.is_new) j["baselineState"] = *d.is_new ? "new" : "unchanged";
  return j;
}

/// Lines of a markdown paragraph joined with spaces.
std::string join_paragraph(const std::vector<std::string_view>& lines) {
  std::string out;
  for (const auto line : lines) {
    if (!out.empty()) out += ' ';
    out += trim(line);
  }
  return out;
}

}  // namespace

namespace detail {

std::string doc_rationale(std::string_view doc) {
  bool in_section = false;
  std::vector<std::string_view> paragraph;
  for (const auto raw : split(doc, '\n')) {
    const std::string_view line = trim(raw);
    if (line.starts_with('#')) {
      if (in_section && !paragraph.empty()) break;
      in_section = icontains(line, "why is this bad");
      continue;
    }
    if (!in_section) continue;
    if (line.empty()) {
      if (!paragraph.empty()) break;
      continue;
    }
    paragraph.push_back(line);
  }
  return join_paragraph(paragraph);
}

Json sarif_rule_descriptor(const rules::RuleInfo& rule, std::string_view doc) {
  const std::string rationale = doc_rationale(doc);
  const std::string help = doc.empty() ? rule.summary : std::string(doc);
  Json j = Json::object();
  j["id"] = rule.id;
  j["name"] = pascal_case(rule.id);
  j["shortDescription"] = text_object(rule.summary);
  j["fullDescription"] = text_object(rationale.empty() ? rule.summary : rationale);
  Json help_object = Json::object();
  help_object["text"] = help;
  help_object["markdown"] = help;
  j["help"] = std::move(help_object);
  Json configuration = Json::object();
  configuration["level"] = std::string(to_string(rule.default_severity));
  j["defaultConfiguration"] = std::move(configuration);
  Json properties = Json::object();
  properties["category"] = rule.category;
  properties["tags"] = Json::array({rule.category});
  j["properties"] = std::move(properties);
  return j;
}

}  // namespace detail

std::string render_sarif(const std::vector<diag::Diagnostic>& diags, const ReportContext& ctx) {
  Json driver = Json::object();
  driver["name"] = std::string(kToolName);
  driver["informationUri"] = std::string(kInformationUri);
  if (!ctx.tool_version.empty()) driver["version"] = ctx.tool_version;
  Json rules_json = Json::array();
  for (const auto& rule : rules::registry()) {
    rules_json.push_back(detail::sarif_rule_descriptor(rule, rules::rule_doc(rule.id)));
  }
  driver["rules"] = std::move(rules_json);

  Json run = Json::object();
  run["tool"] = Json::object({{"driver", std::move(driver)}});

  Json invocation = Json::object();
  invocation["executionSuccessful"] = true;
  // GitHub code scanning rejects a whole upload when one result has no location, so findings without a
  // file travel as tool notifications next to the run notes.
  Json notifications = Json::array();
  for (const auto& note : ctx.run_notes) {
    Json n = Json::object();
    n["level"] = "note";
    n["message"] = text_object(note);
    notifications.push_back(std::move(n));
  }
  for (const auto& d : diags) {
    if (d.primary.span.file != nullptr) continue;
    Json n = Json::object();
    n["level"] = std::string(to_string(d.severity));
    n["message"] = text_object(detail::full_message(d));
    n["descriptor"] = Json::object({{"id", d.rule}});
    notifications.push_back(std::move(n));
  }
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = std::move(notifications);
  run["invocations"] = Json::array({std::move(invocation)});

  Json src_root = Json::object();
  src_root["description"] = text_object("the root of the linted repository");
  run["originalUriBaseIds"] = Json::object({{std::string(kSrcRoot), std::move(src_root)}});
  run["columnKind"] = "unicodeCodePoints";

  Json results = Json::array();
  for (const auto& d : diags) {
    if (d.primary.span.file != nullptr) results.push_back(result(d));
  }
  run["results"] = std::move(results);

  Json root = Json::object();
  root["$schema"] = std::string(kSchema);
  root["version"] = std::string(kSarifVersion);
  root["runs"] = Json::array({std::move(run)});
  std::string out = detail::dump_json(root, kIndent);
  out += '\n';
  return out;
}

}  // namespace gl::report
