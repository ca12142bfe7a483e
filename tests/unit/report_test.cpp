// Reporters: every format against golden files, plus structural checks of JSON and SARIF.
// UPDATE_GOLDEN=1 rewrites tests/golden/report/*; review the diff by eye.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/source.h"
#include "core/strings.h"
#include "diag/diagnostic.h"
#include "report/detail.h"
#include "report/report.h"
#include "rules/rule.h"

namespace {

using gl::Severity;
using gl::Span;
using gl::diag::Diagnostic;
using gl::diag::Label;
using Json = nlohmann::ordered_json;

const std::string kGoldenDir = std::string(GL_SOURCE_DIR) + "/tests/golden/report/";

/// A report case: the sources its diagnostics point into, the diagnostics, and the context.
struct Case {
  std::unique_ptr<gl::SourceSet> sources = std::make_unique<gl::SourceSet>();
  std::vector<Diagnostic> diags;
  gl::report::ReportContext ctx{.tool_version = "0.0.0-test", .color = false, .run_notes = {}, .link_base = {}};
};

/// The span of the first occurrence of `needle` in `file` (single line).
Span span_of(const gl::SourceFile& file, std::string_view needle) {
  for (uint32_t n = 1; n <= file.line_count(); ++n) {
    const size_t pos = file.line(n).find(needle);
    if (pos != std::string_view::npos) {
      const auto column = static_cast<uint32_t>(pos + 1);
      return Span{&file, {n, column}, {n, column + static_cast<uint32_t>(needle.size())}};
    }
  }
  FAIL("needle not found: " << needle);
  return {};
}

Diagnostic make(std::string rule, Severity severity, std::string message, Span span, std::string label = {}) {
  Diagnostic d;
  d.rule = std::move(rule);
  d.severity = severity;
  d.message = std::move(message);
  d.primary = Label{span, std::move(label)};
  return d;
}

constexpr std::string_view kWorkerYaml = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: report-worker
  namespace: shop
  labels:
    app: report-worker
spec:
  replicas: 4
  selector:
    matchLabels:
      app: report-worker
  template:
    metadata:
      labels:
        app: report-worker
    spec:
      nodeSelector:
        role: worker
      containers:
        - name: worker
          image: ghcr.io/shop/report-worker:1.8.2
          args: ["--queue", "reports"]
          resources:
            requests:
              cpu: 500m
              memory: 2Gi
            limits:
              memory: 2Gi
)";

constexpr std::string_view kNodesYaml = R"(apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Node
    metadata:
      name: ip-10-0-1-12
      labels:
        role: web
        node.kubernetes.io/instance-type: t3.medium
  - apiVersion: v1
    kind: Node
    metadata:
      name: ip-10-0-3-31
      labels:
        role: worker
        node.kubernetes.io/instance-type: t3.large
)";

void primary_secondary(Case& c) {
  const auto* worker = c.sources->add("shop/worker.yaml", std::string(kWorkerYaml));
  const auto* nodes = c.sources->add("nodes/nodes.yaml", std::string(kNodesYaml));
  Diagnostic d = make("requests-fit", Severity::kError,
                      "4 pods of `shop/report-worker` request 8Gi but `role=worker` nodes allocate 7.6Gi",
                      span_of(*worker, "2Gi"), "requested here, x4 replicas");
  d.secondary.push_back(Label{span_of(*nodes, "ip-10-0-3-31"), "the only node matching `role=worker`"});
  d.notes.push_back("node `ip-10-0-3-31` (t3.large, 8Gi) is the only node matching `role=worker`");
  d.help = "lower the request, reduce replicas, or add a node to the group";
  d.object = gl::ObjectRef{"apps/v1", "Deployment", "shop", "report-worker"};
  c.diags.push_back(std::move(d));
}

constexpr std::string_view kPdbYaml = R"(apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: api
  namespace: shop
spec:
  maxUnavailable: 0
  selector:
    matchLabels:
      app: api
)";

void multi_line(Case& c) {
  const auto* pdb = c.sources->add("shop/pdb.yaml", std::string(kPdbYaml));
  const Span selector = span_of(*pdb, "selector:");
  const Span end = span_of(*pdb, "app: api");
  Diagnostic d = make("pdb-blocks-eviction", Severity::kWarning,
                      "pod disruption budget `shop/api` allows no voluntary eviction",
                      Span{pdb, selector.begin, end.end}, "selects 3 pods");
  d.secondary.push_back(Label{span_of(*pdb, "maxUnavailable: 0"), "no pod may be unavailable"});
  d.help = "allow at least one unavailable pod";
  d.object = gl::ObjectRef{"policy/v1", "PodDisruptionBudget", "shop", "api"};
  c.diags.push_back(std::move(d));
}

void load_error(Case& c) {
  const auto* broken = c.sources->add("apps/broken.yaml",
                                      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n"
                                      "  key: \"unterminated\n");
  const uint32_t line = 7;
  Diagnostic d = make("load-error", Severity::kError,
                      "cannot parse YAML: found unexpected end of stream while scanning a quoted scalar",
                      Span{broken, {line, 1}, {line, 1}});
  d.secondary.push_back(Label{span_of(*broken, "\"unterminated"), "the quoted scalar starts here"});
  d.notes.push_back("nothing in this file was checked");
  c.diags.push_back(std::move(d));
}

void no_span(Case& c) {
  const auto* big = c.sources->add("charts/blob.yaml", std::string(1, '\xff'));
  Diagnostic unplaced = make("render-error", Severity::kError, "application `argocd/payments` has no source path",
                             Span{});
  unplaced.object = gl::ObjectRef{"argoproj.io/v1alpha1", "Application", "argocd", "payments"};
  unplaced.notes.push_back("generated by ApplicationSet `argocd/services`, element 3");
  unplaced.help = "set `spec.source.path` or `spec.source.chart`";
  c.diags.push_back(std::move(unplaced));
  Diagnostic file_only = make("load-error", Severity::kWarning, "file is not valid UTF-8", Span{big, {}, {}});
  file_only.secondary.push_back(Label{Span{}, "first invalid byte at offset 0"});
  c.diags.push_back(std::move(file_only));
}

void empty(Case& /*c*/) {}

void tabs(Case& c) {
  const auto* file = c.sources->add("apps/tabs.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname:\ttabbed\n");
  Diagnostic tab = make("load-error", Severity::kError,
                        "cannot parse YAML: found a tab character that violates indentation", span_of(*file, "\t"),
                        "tab here");
  Diagnostic value = make("name-format", Severity::kNote, "name `tabbed` follows a tab", span_of(*file, ":\ttabbed"),
                          "separator and value");
  c.diags.push_back(std::move(tab));
  c.diags.push_back(std::move(value));
}

void github_escape(Case& c) {
  const auto* file = c.sources->add("apps/a,b:c%.yaml", "limits:\n  memory: 150%\n");
  Diagnostic d = make("limit-ratio", Severity::kWarning, "limit is 150% of request, key `a:b,c`\nsecond line\r",
                      span_of(*file, "150%"), "ratio");
  d.notes.push_back("ratio: 1.5, max: 1.2");
  d.help = "lower the limit to 120%";
  c.diags.push_back(std::move(d));
}

constexpr std::string_view kMixedYaml = R"(apiVersion: v1
kind: Service
metadata:
  name: menu
  namespace: cafe
  annotations:
    description: café ☕ menu
spec:
  selector:
    app: menu-api
)";

void mixed(Case& c) {
  std::string long_file = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: menu-config\n  namespace: cafe\ndata:\n";
  const int kFillerLines = 113;
  for (int i = 0; i < kFillerLines; ++i) long_file += "  key" + std::to_string(i) + ": value\n";
  long_file += "  MENU_URL: http://menu.cafe.svc:8080\n";
  const auto* config = c.sources->add("cafe/config.yaml", long_file);
  const auto* service = c.sources->add("cafe/service.yaml", std::string(kMixedYaml));

  Diagnostic selector = make("service-selects-nothing", Severity::kError,
                             "service `cafe/menu` selects no pods", span_of(*service, "app: menu-api"),
                             "no workload has this label");
  selector.secondary.push_back(Label{span_of(*config, "http://menu.cafe.svc:8080"), "used by `cafe/menu-config`"});
  selector.object = gl::ObjectRef{"v1", "Service", "cafe", "menu"};
  Diagnostic unicode = make("annotation-style", Severity::kNote, "annotation has non-ASCII text",
                            span_of(*service, "☕ menu"));
  unicode.object = gl::ObjectRef{"v1", "Service", "cafe", "menu"};
  Diagnostic cluster = make("namespace-missing", Severity::kWarning,
                            "namespace `cafe` is not defined in the repository", span_of(*service, "namespace: cafe"));
  cluster.object = gl::ObjectRef{"v1", "Namespace", "", "cafe"};
  Diagnostic pointed = make("port-unnamed", Severity::kWarning, "port has no name", Span{config, {4, 3}, {4, 3}});
  c.diags.push_back(std::move(selector));
  c.diags.push_back(std::move(unicode));
  c.diags.push_back(std::move(cluster));
  c.diags.push_back(std::move(pointed));
  c.ctx.run_notes.push_back("no node inventory found: capacity rules were skipped");
}

const std::map<std::string, std::function<void(Case&)>>& cases() {
  static const std::map<std::string, std::function<void(Case&)>> kCases = {
      {"primary_secondary", primary_secondary}, {"multi_line", multi_line}, {"load_error", load_error},
      {"no_span", no_span}, {"empty", empty}, {"tabs", tabs}, {"github_escape", github_escape}, {"mixed", mixed},
  };
  return kCases;
}

std::unique_ptr<Case> build(const std::string& name) {
  auto c = std::make_unique<Case>();
  cases().at(name)(*c);
  gl::diag::finalize(c->diags);
  return c;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The first line where two texts differ, for a readable failure.
std::string first_difference(const std::string& expected, const std::string& actual) {
  std::istringstream e(expected);
  std::istringstream a(actual);
  std::string el;
  std::string al;
  for (int n = 1;; ++n) {
    const bool more_e = static_cast<bool>(std::getline(e, el));
    const bool more_a = static_cast<bool>(std::getline(a, al));
    if (!more_e && !more_a) return "texts differ only in the final newline";
    if (el != al || more_e != more_a) {
      return "line " + std::to_string(n) + ":\n  expected: " + (more_e ? el : "<end>") + "\n  actual:   " +
             (more_a ? al : "<end>");
    }
  }
}

void check_golden(const std::string& file, const std::string& actual) {
  const std::string path = kGoldenDir + file;
  if (std::getenv("UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
  }
  const std::string expected = read_file(path);
  INFO("golden " << path << " (UPDATE_GOLDEN=1 rewrites it)");
  if (expected != actual) {
    INFO(first_difference(expected, actual));
    CHECK(expected == actual);
  } else {
    SUCCEED();
  }
}

/// SARIF with the registry-dependent parts removed, so goldens do not change when a rule is added.
std::string stable_sarif(const std::string& sarif) {
  Json j = Json::parse(sarif);
  j["runs"][0]["tool"]["driver"]["rules"] = Json::array();
  for (auto& r : j["runs"][0]["results"]) r.erase("ruleIndex");
  return j.dump(2) + "\n";
}

std::vector<std::string> keys(const Json& j) {
  std::vector<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
  return out;
}

}  // namespace

TEST_CASE("every format matches its golden file", "[report]") {
  using gl::report::Format;
  const std::vector<std::pair<Format, std::string>> formats = {
      {Format::kText, "txt"},   {Format::kConcise, "concise"}, {Format::kJson, "json"},
      {Format::kSarif, "sarif"}, {Format::kGithub, "github"},   {Format::kMarkdown, "md"},
  };
  for (const auto& [name, fill] : cases()) {
    const auto c = build(name);
    for (const auto& [format, ext] : formats) {
      SECTION(name + "." + ext) {
        std::string out = gl::report::render(format, c->diags, c->ctx);
        REQUIRE(out == gl::report::render(format, c->diags, c->ctx));
        if (format == Format::kSarif) out = stable_sarif(out);
        check_golden(name + "." + ext, out);
      }
    }
  }
}

TEST_CASE("parse_format accepts exactly the listed names", "[report]") {
  for (const auto name : gl::split(gl::report::format_names(), '|')) {
    const auto format = gl::report::parse_format(name);
    REQUIRE(format.has_value());
    CHECK(gl::report::render(*format, {}, {}) == gl::report::render(*gl::report::parse_format(name), {}, {}));
  }
  CHECK(gl::report::parse_format("text") == gl::report::Format::kText);
  CHECK(gl::report::parse_format("markdown") == gl::report::Format::kMarkdown);
  CHECK_FALSE(gl::report::parse_format("Text").has_value());
  CHECK_FALSE(gl::report::parse_format("yaml").has_value());
  CHECK_FALSE(gl::report::parse_format("").has_value());
}

TEST_CASE("text output follows the rustc layout", "[report]") {
  const auto c = build("primary_secondary");
  const std::string text = gl::report::render_text(c->diags, c->ctx);
  const std::string worker_line =
      "27 |               memory: 2Gi\n"
      "   |                       ^^^ requested here, x4 replicas\n";
  CHECK(text.starts_with("error[requests-fit]: 4 pods of `shop/report-worker` request 8Gi"));
  CHECK(text.find("  --> shop/worker.yaml:27:23\n   |\n" + worker_line) != std::string::npos);
  CHECK(text.find("   |\n  ::: nodes/nodes.yaml:14:13\n   |\n14 |       name: ip-10-0-3-31\n") != std::string::npos);
  CHECK(text.find("   = help: lower the request, reduce replicas, or add a node to the group\n\nerror: 1 error\n") !=
        std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("text carets: tabs, multi-line spans, gutter width, no span", "[report]") {
  SECTION("tabs expand to four spaces and shift the carets") {
    const auto c = build("tabs");
    const std::string text = gl::report::render_text(c->diags, c->ctx);
    CHECK(text.find("4 |     name:    tabbed\n  | ^^^^ tab here\n") != std::string::npos);
    CHECK(text.find("  |         ^^^^^^^^^^^ separator and value\n") != std::string::npos);
  }
  SECTION("a multi-line span is underlined to the end of its first line") {
    const auto c = build("multi_line");
    const std::string text = gl::report::render_text(c->diags, c->ctx);
    CHECK(text.find("8 |   selector:\n  |   ^^^^^^^^^ selects 3 pods\n") != std::string::npos);
  }
  SECTION("the gutter fits the widest line number of the diagnostic") {
    const auto c = build("mixed");
    const std::string text = gl::report::render_text(c->diags, c->ctx);
    CHECK(text.find(" 10 |     app: menu-api\n"
                    "    |     ^^^^^^^^^^^^^ no workload has this label\n") != std::string::npos);
    CHECK(text.find("120 |   MENU_URL: http://menu.cafe.svc:8080\n") != std::string::npos);
    CHECK(text.find("note: no node inventory found: capacity rules were skipped\n"
                    "error: 1 error, 2 warnings, 1 note\n") != std::string::npos);
  }
  SECTION("without a span only the header, notes and help are printed") {
    const auto c = build("no_span");
    const std::string text = gl::report::render_text(c->diags, c->ctx);
    CHECK(text.starts_with("error[render-error]: application `argocd/payments` has no source path\n"
                           "  = note: generated by ApplicationSet `argocd/services`, element 3\n"
                           "  = help: set `spec.source.path` or `spec.source.chart`\n\n"));
  }
  SECTION("no findings") {
    CHECK(gl::report::render_text({}, {}) == "no findings\n");
    gl::report::ReportContext ctx;
    ctx.run_notes = {"nothing to check"};
    CHECK(gl::report::render_text({}, ctx) == "note: nothing to check\nno findings\n");
  }
}

TEST_CASE("text colours levels only when asked", "[report]") {
  auto c = build("mixed");
  c->ctx.color = true;
  const std::string text = gl::report::render_text(c->diags, c->ctx);
  CHECK(text.find("\x1b[1;31merror[service-selects-nothing]\x1b[0m: service") != std::string::npos);
  CHECK(text.find("\x1b[1;33mwarning[namespace-missing]\x1b[0m: ") != std::string::npos);
  CHECK(text.find("\x1b[1;36mnote[annotation-style]\x1b[0m: ") != std::string::npos);
  CHECK(text.find("\x1b[1;36mnote\x1b[0m: no node inventory found") != std::string::npos);
  CHECK(text.ends_with("\x1b[1;31merror\x1b[0m: 1 error, 2 warnings, 1 note\n"));
}

TEST_CASE("concise is one finding per line", "[report]") {
  const auto c = build("no_span");
  CHECK(gl::report::render_concise(c->diags, c->ctx) ==
        "<repo>: error[render-error] application `argocd/payments` has no source path\n"
        "charts/blob.yaml: warning[load-error] file is not valid UTF-8\n");
  const auto g = build("github_escape");
  CHECK(gl::report::render_concise(g->diags, g->ctx) ==
        "apps/a,b:c%.yaml:2:11: warning[limit-ratio] limit is 150% of request, key `a:b,c` second line \n");
}

TEST_CASE("json has the documented keys in order", "[report]") {
  const auto c = build("mixed");
  const Json j = Json::parse(gl::report::render_json(c->diags, c->ctx));
  CHECK(keys(j) == std::vector<std::string>{"version", "findings", "summary", "notes"});
  CHECK(j["version"] == 1);
  CHECK(keys(j["summary"]) == std::vector<std::string>{"error", "warning", "note"});
  CHECK(j["summary"]["error"] == 1);
  CHECK(j["summary"]["warning"] == 2);
  CHECK(j["summary"]["note"] == 1);
  REQUIRE(j["findings"].size() == c->diags.size());
  const std::vector<std::string> full = {"rule", "severity", "message", "file", "line", "column", "object", "notes",
                                         "help", "fingerprint", "endLine", "endColumn", "related"};
  for (size_t i = 0; i < c->diags.size(); ++i) {
    const Json& f = j["findings"][i];
    const Diagnostic& d = c->diags[i];
    std::vector<std::string> expected = full;
    if (!d.object) expected.erase(expected.begin() + 6);
    // Added later, after the others: the secret ranges (merge-reports blanks them) and the primary label.
    if (!d.redact.empty()) expected.push_back("redact");
    if (!d.primary.text.empty()) expected.push_back("label");
    CHECK(keys(f) == expected);
    CHECK(f["rule"] == d.rule);
    CHECK(f["fingerprint"] == d.fingerprint);
    CHECK(f["fingerprint"].get<std::string>().size() == 16);
    CHECK(f["file"] == std::string(d.file()));
    CHECK(f["line"] == d.line());
    CHECK(f["column"] == d.column());
    if (d.object) {
      CHECK(keys(f["object"]) == std::vector<std::string>{"apiVersion", "kind", "namespace", "name"});
      CHECK(f["object"]["namespace"] == d.object->name_space);
    }
  }
  const auto service = std::find_if(j["findings"].begin(), j["findings"].end(),
                                    [](const Json& f) { return f["rule"] == "service-selects-nothing"; });
  REQUIRE(service != j["findings"].end());
  REQUIRE((*service)["related"].size() == 1);
  CHECK(keys((*service)["related"][0]) ==
        std::vector<std::string>{"file", "line", "column", "message", "endLine", "endColumn"});
  CHECK((*service)["related"][0]["line"] == 120);
  const auto cluster = std::find_if(j["findings"].begin(), j["findings"].end(),
                                    [](const Json& f) { return f["rule"] == "namespace-missing"; });
  REQUIRE(cluster != j["findings"].end());
  CHECK((*cluster)["object"]["namespace"] == "");

  SECTION("a load-error has no object and a point span ends one column later") {
    const auto l = build("load_error");
    const Json lj = Json::parse(gl::report::render_json(l->diags, l->ctx));
    const Json& f = lj["findings"][0];
    CHECK_FALSE(f.contains("object"));
    CHECK(f["line"] == 7);
    CHECK(f["endLine"] == 7);
    CHECK(f["endColumn"] == 2);
  }
  SECTION("no span gives null locations") {
    const auto n = build("no_span");
    const Json nj = Json::parse(gl::report::render_json(n->diags, n->ctx));
    CHECK(nj["findings"][0]["file"].is_null());
    CHECK(nj["findings"][0]["line"].is_null());
    CHECK_FALSE(nj["findings"][0].contains("endLine"));
    CHECK(nj["findings"][1]["file"] == "charts/blob.yaml");
    CHECK(nj["findings"][1]["line"].is_null());
  }
  SECTION("invalid UTF-8 in a message does not throw") {
    Diagnostic d;
    d.rule = "load-error";
    d.message = "bad byte \xff here";
    const Json bj = Json::parse(gl::report::render_json({d}, {}));
    CHECK(bj["findings"][0]["message"] == "bad byte \xEF\xBF\xBD here");
  }
}

TEST_CASE("sarif has the required fields", "[report]") {
  const auto c = build("primary_secondary");
  auto mixed_case = build("mixed");
  const auto l = build("load_error");
  const auto n = build("no_span");
  for (const Case* k : {c.get(), mixed_case.get(), l.get(), n.get()}) {
    const Json s = Json::parse(gl::report::render_sarif(k->diags, k->ctx));
    CHECK(s["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
    CHECK(s["version"] == "2.1.0");
    REQUIRE(s["runs"].size() == 1);
    const Json& run = s["runs"][0];
    const Json& driver = run["tool"]["driver"];
    CHECK(driver["name"] == "gitops-lint");
    CHECK(driver["version"] == "0.0.0-test");
    CHECK(driver.contains("informationUri"));
    const auto& registry = gl::rules::registry();
    REQUIRE(driver["rules"].size() == registry.size());
    for (size_t i = 0; i < registry.size(); ++i) {
      const Json& r = driver["rules"][i];
      CHECK(r["id"] == registry[i].id);
      CHECK(r["shortDescription"]["text"] == registry[i].summary);
      CHECK(r["defaultConfiguration"]["level"] == std::string(gl::to_string(registry[i].default_severity)));
      CHECK(r["properties"]["category"] == registry[i].category);
      CHECK(r["help"].contains("text"));
      CHECK(r["help"].contains("markdown"));
    }
    CHECK(run["originalUriBaseIds"].contains("%SRCROOT%"));
    // Findings without a file go to toolExecutionNotifications: GitHub rejects results without a location.
    std::vector<const Diagnostic*> located;
    size_t unlocated = 0;
    for (const auto& d : k->diags) {
      if (d.primary.span.file != nullptr) {
        located.push_back(&d);
      } else {
        ++unlocated;
      }
    }
    const Json& inv = run["invocations"][0];
    const size_t notified = inv.contains("toolExecutionNotifications") ? inv["toolExecutionNotifications"].size() : 0;
    CHECK(notified == unlocated + k->ctx.run_notes.size());
    REQUIRE(run["results"].size() == located.size());
    for (size_t i = 0; i < located.size(); ++i) {
      const Json& r = run["results"][i];
      const Diagnostic& d = *located[i];
      CHECK(r["ruleId"] == d.rule);
      if (gl::rules::find_rule(d.rule) != nullptr) {
        REQUIRE(r.contains("ruleIndex"));
        CHECK(driver["rules"][r["ruleIndex"].get<size_t>()]["id"] == d.rule);
      } else {
        CHECK_FALSE(r.contains("ruleIndex"));
      }
      CHECK(r["level"] == std::string(gl::to_string(d.severity)));
      CHECK(r["message"]["text"].get<std::string>().starts_with(d.message));
      CHECK(r["partialFingerprints"]["gitopsLint/v1"] == d.fingerprint);
      CHECK(r.contains("locations"));
      if (d.primary.span.valid()) {
        const Json& loc = r["locations"][0]["physicalLocation"];
        CHECK(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
        CHECK(loc["artifactLocation"]["uri"] == std::string(d.file()));
        CHECK(keys(loc["region"]) == std::vector<std::string>{"startLine", "startColumn", "endLine", "endColumn"});
        CHECK(loc["region"]["startLine"] == d.line());
      }
    }
  }
  SECTION("related locations, message with notes and help") {
    const Json s = Json::parse(gl::report::render_sarif(c->diags, c->ctx));
    const Json& r = s["runs"][0]["results"][0];
    const Diagnostic& d = c->diags[0];
    CHECK(r["message"]["text"] == d.message + "\nnote: " + d.notes[0] + "\nhelp: " + d.help);
    REQUIRE(r["relatedLocations"].size() == 1);
    CHECK(r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "nodes/nodes.yaml");
    CHECK(r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 14);
    CHECK(r["relatedLocations"][0]["message"]["text"] == "the only node matching `role=worker`");
  }
  SECTION("columns are Unicode code points and URIs are percent-encoded") {
    const Json s = Json::parse(gl::report::render_sarif(mixed_case->diags, mixed_case->ctx));
    CHECK(s["runs"][0]["columnKind"] == "unicodeCodePoints");
    const Json& results = s["runs"][0]["results"];
    const auto it = std::find_if(results.begin(), results.end(),
                                 [](const Json& r) { return r["ruleId"] == "annotation-style"; });
    REQUIRE(it != results.end());
    const Json& unicode = *it;
    const Json& region = unicode["locations"][0]["physicalLocation"]["region"];
    CHECK(region["startColumn"] == 23);  // byte column 24: "é" is two bytes
    CHECK(region["endColumn"] == 29);    // byte column 32: "☕" is three bytes
    const auto g = build("github_escape");
    const Json gs = Json::parse(gl::report::render_sarif(g->diags, g->ctx));
    CHECK(gs["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
          "apps/a%2Cb%3Ac%25.yaml");
  }
}

TEST_CASE("sarif rule descriptors come from rule metadata and docs", "[report]") {
  gl::rules::RuleInfo rule;
  rule.id = "requests-fit";
  rule.category = "capacity";
  rule.default_severity = Severity::kWarning;
  rule.summary = "pod requests must fit the nodes they can schedule on";
  const std::string doc =
      "# requests-fit\n\nPod requests must fit.\n\n## Why is this bad?\n\nPods that do not fit stay\n"
      "Pending forever.\n\nSecond paragraph.\n\n## Example\n\n```yaml\nx: 1\n```\n";
  const Json j = gl::report::detail::sarif_rule_descriptor(rule, doc);
  CHECK(keys(j) == std::vector<std::string>{"id", "name", "shortDescription", "fullDescription", "help",
                                            "defaultConfiguration", "properties"});
  CHECK(j["name"] == "RequestsFit");
  CHECK(j["shortDescription"]["text"] == rule.summary);
  CHECK(j["fullDescription"]["text"] == "Pods that do not fit stay Pending forever.");
  CHECK(j["help"]["markdown"] == doc);
  CHECK(j["help"]["text"] == doc);
  CHECK(j["defaultConfiguration"]["level"] == "warning");
  CHECK(j["properties"]["category"] == "capacity");
  const Json bare = gl::report::detail::sarif_rule_descriptor(rule, "");
  CHECK(bare["fullDescription"]["text"] == rule.summary);
  CHECK(bare["help"]["markdown"] == rule.summary);
}

TEST_CASE("github workflow commands escape data and properties", "[report]") {
  const auto g = build("github_escape");
  CHECK(gl::report::render_github(g->diags, g->ctx) ==
        "::warning file=apps/a%2Cb%3Ac%25.yaml,line=2,endLine=2,col=11,endColumn=14,title=gitops-lint (limit-ratio)::"
        "limit is 150%25 of request, key `a:b,c`%0Asecond line%0D%0Anote: ratio: 1.5, max: 1.2%0Ahelp: lower the "
        "limit to 120%25\n");
  const auto m = build("multi_line");
  const std::string multi = gl::report::render_github(m->diags, m->ctx);
  CHECK(multi.starts_with("::warning file=shop/pdb.yaml,line=8,endLine=10,title=gitops-lint (pdb-blocks-eviction)::"));
  const auto n = build("no_span");
  CHECK(gl::report::render_github(n->diags, n->ctx).starts_with("::error title=gitops-lint (render-error)::"));
}

TEST_CASE("markdown escapes text but keeps code spans", "[report]") {
  using gl::report::detail::markdown_code;
  using gl::report::detail::markdown_inline;
  CHECK(markdown_code("a/b.yaml:3:1") == "`a/b.yaml:3:1`");
  CHECK(markdown_code("we`ird") == "``we`ird``");
  CHECK(markdown_code("`x`") == "`` `x` ``");
  CHECK(markdown_inline("pods of `shop/*_web` use <none> | [x]") == "pods of `shop/*_web` use \\<none\\> \\| \\[x\\]");
  CHECK(markdown_inline("odd ` tick*") == "odd \\` tick\\*");
  CHECK(markdown_inline("two\nlines") == "two lines");
  CHECK(gl::report::render_markdown({}, {}).find("No findings.") != std::string::npos);
}

TEST_CASE("markdown links findings and marks the new ones", "[report][markdown]") {
  auto c = build("mixed");
  c->ctx.link_base = "https://github.com/acme/deploy/blob/0123abc/";
  c->ctx.run_notes.clear();
  c->ctx.tool_version.clear();
  // After finalize the order is config.yaml:4, service.yaml:5, :7, :10; the base had the two warnings' rules.
  for (auto& d : c->diags) d.is_new = d.severity != Severity::kWarning;
  const std::string base = "https://github.com/acme/deploy/blob/0123abc/cafe/";
  CHECK(gl::report::render_markdown(c->diags, c->ctx) ==
        "## gitops-lint report\n\n"
        "| Errors | Warnings | Notes |\n| ---: | ---: | ---: |\n| 1 | 2 | 1 |\n\n"
        "New (not in the base): **2** of 4 findings.\n\n"
        "### By rule\n\n"
        "| Rule | Errors | Warnings | Notes |\n| --- | ---: | ---: | ---: |\n"
        "| `annotation-style` | 0 | 0 | 1 |\n"
        "| `namespace-missing` | 0 | 1 | 0 |\n"
        "| `port-unnamed` | 0 | 1 | 0 |\n"
        "| `service-selects-nothing` | 1 | 0 | 0 |\n\n"
        "### Findings\n\n"
        "| New | Severity | Rule | Location | Message | Object |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| **new** | error | `service-selects-nothing` | [`cafe/service.yaml:10`](" + base + "service.yaml#L10) | "
        "service `cafe/menu` selects no pods | `Service/cafe/menu` |\n"
        "| **new** | note | `annotation-style` | [`cafe/service.yaml:7`](" + base + "service.yaml#L7) | "
        "annotation has non-ASCII text | `Service/cafe/menu` |\n"
        "|  | warning | `port-unnamed` | [`cafe/config.yaml:4`](" + base + "config.yaml#L4) | port has no name |  |\n"
        "|  | warning | `namespace-missing` | [`cafe/service.yaml:5`](" + base + "service.yaml#L5) | "
        "namespace `cafe` is not defined in the repository | `Namespace/cafe` |\n\n"
        "<details>\n<summary>Details: related locations, notes and help</summary>\n\n"
        "- `service-selects-nothing` at [`cafe/service.yaml:10`](" + base + "service.yaml#L10): "
        "service `cafe/menu` selects no pods\n"
        "  - see [`cafe/config.yaml:120`](" + base + "config.yaml#L120): used by `cafe/menu-config`\n\n"
        "</details>\n");
}

TEST_CASE("markdown links: line ranges, files without a line, escaped URLs", "[report][markdown]") {
  SECTION("a multi-line span links its line range") {
    auto c = build("multi_line");
    c->ctx.link_base = "https://example.com/r/blob/main";
    const std::string md = gl::report::render_markdown(c->diags, c->ctx);
    CHECK(md.find("| warning | `pdb-blocks-eviction` | [`shop/pdb.yaml:8`](https://example.com/r/blob/main/shop/pdb.yaml#L8-L10) | ") !=
          std::string::npos);
    CHECK(md.find("  - see [`shop/pdb.yaml:7`](https://example.com/r/blob/main/shop/pdb.yaml#L7): no pod may be unavailable\n") !=
          std::string::npos);
  }
  SECTION("a file without a line links the file; no file, no link") {
    auto c = build("no_span");
    c->ctx.link_base = "https://example.com/r/blob/main";
    const std::string md = gl::report::render_markdown(c->diags, c->ctx);
    CHECK(md.find("| error | `render-error` |  | application `argocd/payments` has no source path | "
                  "`Application/argocd/payments` |\n") != std::string::npos);
    CHECK(md.find("| warning | `load-error` | [`charts/blob.yaml`](https://example.com/r/blob/main/charts/blob.yaml) | ") !=
          std::string::npos);
    CHECK(md.find("- `render-error`: application") != std::string::npos);
  }
  SECTION("paths and the base are percent-encoded where a link or a table would break") {
    auto c = build("github_escape");
    c->ctx.link_base = "https://example.com/a b/(x)|y/blob/v%201";
    const std::string md = gl::report::render_markdown(c->diags, c->ctx);
    CHECK(md.find("| warning | `limit-ratio` | [`apps/a,b:c%.yaml:2`](https://example.com/a%20b/%28x%29%7Cy/blob/v%201/"
                  "apps/a%2Cb%3Ac%25.yaml#L2) | limit is 150% of request, key `a:b,c` second line  |  |\n") !=
          std::string::npos);
  }
}

TEST_CASE("markdown table cells escape pipes, HTML, backticks and newlines", "[report][markdown]") {
  gl::SourceSet sources;
  const auto* file = sources.add("apps/we|rd `name`.yaml", "a: 1\nb: 2\n");
  Diagnostic d = make("pipe-rule", Severity::kError, "value `a|b` of key x|y is <b>bold</b> & *not*\nsecond `c` line",
                      Span{file, {2, 1}, {2, 2}});
  d.object = gl::ObjectRef{"v1", "ConfigMap", "ns", "c|m`1"};
  d.help = "use `--x|y`";
  std::vector<Diagnostic> diags{d};
  gl::diag::finalize(diags);
  const std::string md = gl::report::render_markdown(diags, {});
  // GitHub splits table rows at every `|` not preceded by a backslash, code spans included, and then reads
  // `\|` as `|`: so pipes inside code spans are escaped too. Outside code, Markdown and HTML are escaped.
  CHECK(md ==
        "## gitops-lint report\n\n"
        "| Errors | Warnings | Notes |\n| ---: | ---: | ---: |\n| 1 | 0 | 0 |\n\n"
        "### By rule\n\n"
        "| Rule | Errors | Warnings | Notes |\n| --- | ---: | ---: | ---: |\n"
        "| `pipe-rule` | 1 | 0 | 0 |\n\n"
        "### Findings\n\n"
        "| Severity | Rule | Location | Message | Object |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| error | `pipe-rule` | ``apps/we\\|rd `name`.yaml:2`` | value `a\\|b` of key x\\|y is \\<b\\>bold\\</b\\> \\& "
        "\\*not\\* second `c` line | ``ConfigMap/ns/c\\|m`1`` |\n\n"
        "<details>\n<summary>Details: related locations, notes and help</summary>\n\n"
        "- `pipe-rule` at ``apps/we|rd `name`.yaml:2``: value `a|b` of key x\\|y is \\<b\\>bold\\</b\\> \\& \\*not\\* "
        "second `c` line\n"
        "  - help: use `--x|y`\n\n"
        "</details>\n");
}

TEST_CASE("markdown caps the table and the details for GitHub's 1 MiB job summary", "[report][markdown]") {
  gl::SourceSet sources;
  std::string text;
  const int kLines = 1200;
  for (int i = 0; i < kLines; ++i) text += "k" + std::to_string(i) + ": v\n";
  const auto* file = sources.add("big.yaml", text);
  std::vector<Diagnostic> diags;
  for (uint32_t line = 1; line <= kLines; ++line) {
    Diagnostic d = make("big-rule", line % 2 == 0 ? Severity::kWarning : Severity::kError,
                        "finding " + std::to_string(line) + " " + std::string(1500, 'x') + "é",
                        Span{file, {line, 1}, {line, 2}});
    d.notes.push_back(std::string(2000, 'n'));
    diags.push_back(std::move(d));
  }
  gl::diag::finalize(diags);
  const std::string md = gl::report::render_markdown(diags, {});
  CHECK(md.size() < 1024 * 1024);
  CHECK(md.find("| `big-rule` | 600 | 600 | 0 |\n") != std::string::npos);
  size_t rows = 0;
  for (size_t pos = md.find("\n| error | "); pos != std::string::npos; pos = md.find("\n| error | ", pos + 1)) ++rows;
  CHECK(rows == 500);  // errors come first: 500 of the 600
  CHECK(md.find("\n| warning | ") == std::string::npos);
  // Messages are cut at 1000 bytes in the table, whole in the details.
  CHECK(md.find("| `big.yaml:1` | finding 1 " + std::string(990, 'x') + "… |  |\n") != std::string::npos);
  CHECK(md.find("\n_… and 700 more findings, left out to keep this summary short: the JSON and SARIF reports list every "
                "finding._\n") != std::string::npos);
  const size_t details = md.find("<details>");
  REQUIRE(details != std::string::npos);
  CHECK(md.find("x\u00e9\n  - note: nnn") != std::string::npos);
  CHECK(md.find("\n_… and the details of ") != std::string::npos);
  CHECK(md.ends_with(" more findings, left out for size._\n\n</details>\n"));
  CHECK(md == gl::report::render_markdown(diags, {}));
}

TEST_CASE("markdown without findings", "[report][markdown]") {
  gl::report::ReportContext ctx;
  ctx.tool_version = "1.2.3";
  ctx.run_notes = {"no node inventory found: `requests-fit` skipped", "a | b"};
  CHECK(gl::report::render_markdown({}, ctx) ==
        "## gitops-lint report\n\n"
        "| Errors | Warnings | Notes |\n| ---: | ---: | ---: |\n| 0 | 0 | 0 |\n\n"
        "No findings.\n\n"
        "<details>\n<summary>Run notes (2)</summary>\n\n"
        "- no node inventory found: `requests-fit` skipped\n"
        "- a \\| b\n\n"
        "</details>\n\n"
        "<sub>gitops-lint 1.2.3</sub>\n");
  CHECK(gl::report::render_markdown({}, {}) ==
        "## gitops-lint report\n\n| Errors | Warnings | Notes |\n| ---: | ---: | ---: |\n| 0 | 0 | 0 |\n\nNo findings.\n");
}
