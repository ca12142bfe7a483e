// gitops-lint: reads a GitOps repository the way Argo CD would and reports what will go wrong.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <iostream>

#include "cli/apps_output.h"
#include "cli/drift_run.h"
#include "cli/graph_output.h"
#include "cli/inventory_output.h"
#include "cli/merge_reports.h"
#include "cli/pipeline.h"
#include "core/error.h"
#include "report/report.h"
#include "rules/rule.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFindings = 1;
constexpr int kExitError = 2;
constexpr const char* kVersion = "0.1.0";

void write_output(const std::string& text, const std::string& path) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw gl::FatalError(fmt::format("cannot write `{}`", path));
  out << text;
}

int cmd_rules() {
  std::string out;
  size_t width = 0;
  for (const auto& r : gl::rules::registry()) width = std::max(width, r.id.size());
  for (const auto& r : gl::rules::registry()) {
    out += fmt::format("{:<{}}  {:<7}  {:<10}  {}\n", r.id, width, gl::to_string(r.default_severity), r.category, r.summary);
  }
  write_output(out, "");
  return kExitOk;
}

int cmd_explain(const std::string& id) {
  const auto* rule = gl::rules::find_rule(id);
  if (rule == nullptr) {
    throw gl::FatalError(fmt::format("unknown rule `{}`; `gitops-lint rules` lists them", id));
  }
  std::string doc(gl::rules::rule_doc(id));
  if (doc.empty()) doc = fmt::format("# {}\n\n{}\n", rule->id, rule->summary);
  write_output(doc, "");
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gitops-lint: checks a GitOps repository before it reaches your cluster"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);

  gl::cli::CheckOptions check;
  std::string format = "text";
  std::string fail_on = "error";
  std::string output;
  std::string link_base;
  auto* check_cmd = app.add_subcommand("check", "check a repository and report findings");
  check_cmd->add_option("path", check.path, "repository or a directory inside it")->capture_default_str();
  check_cmd->add_option("--rev", check.rev, "read this Git revision from the object store instead of the worktree");
  check_cmd->add_option("--format", format, "text|concise|json|sarif|github|markdown")->capture_default_str();
  check_cmd->add_option("--fail-on", fail_on, "error|warning|note|never")->capture_default_str();
  check_cmd->add_option("--config", check.config_path, "config file (default: .gitops-lint.yaml at the root)");
  check_cmd->add_option("--enable", check.enable, "enable a rule (repeatable)");
  check_cmd->add_option("--disable", check.disable, "disable a rule (repeatable)");
  check_cmd->add_option("--output,-o", output, "write the report to a file");
  check_cmd->add_option("--threads", check.threads, "parser threads (default: all cores)");
  check_cmd->add_flag("--strict-repos", check.strict_repos,
                      "Argo CD: render only sources whose repoURL is a remote of this repository or listed in the config");
  check_cmd->add_option("--kubeconfig", check.kubeconfig,
                        "take the node inventory from this cluster's Nodes (read-only; default context)");
  check_cmd->add_option("--context", check.context, "kubeconfig context for --kubeconfig");
  check_cmd->add_option("--chart-dir", check.chart_dir,
                        "Argo CD: directory of registry charts (NAME-VERSION.tgz from `helm pull`, or NAME/)");
  check_cmd->add_option("--base", check.base,
                        "also check this revision (same process) and report only findings new since it");
  check_cmd->add_option("--baseline", check.baseline,
                        "a saved `check --format json` report: report only findings not in it");
  check_cmd->add_flag("--include-existing", check.include_existing,
                      "with --base/--baseline: also report the findings that already existed (marked as not new)");
  check_cmd->add_option("--changed", check.changed,
                        "report only findings in, or caused by, these files (the pre-commit hook passes the staged files)")
      ->expected(1, -1);
  std::string shard_text;
  check_cmd->add_option("--shard", shard_text,
                        "I/N: render and report only shard I of N (applications and top-level builds split by a "
                        "stable hash); merge the JSON reports with `merge-reports`");
  check_cmd->add_option("--link-base", link_base,
                        "markdown: link findings to URL/FILE#LLINE (e.g. https://github.com/OWNER/REPO/blob/SHA)");

  gl::cli::RenderOptions render_opts;
  auto* render_cmd = app.add_subcommand(
      "render", "build a kustomization (like kubectl kustomize) or render a Helm chart (like helm template)");
  std::vector<std::string> render_dirs;
  render_cmd->add_option("dir", render_dirs, "directories holding a kustomization (one build each)")->required();
  render_cmd->add_option("--rev", render_opts.rev, "Git revision to read");
  render_cmd->add_option("--config", render_opts.config_path, "config file");
  render_cmd->add_option("--root", render_opts.root, "repository root (default: Git top level, else the current directory)");
  render_cmd->add_option("--format", render_opts.format, "yaml|json (kustomizations)")->capture_default_str();
  render_cmd->add_option("-f,--values", render_opts.value_files, "Helm: values file (repeatable)");
  render_cmd->add_option("--set", render_opts.set, "Helm: set a value (repeatable)");
  render_cmd->add_option("--set-string", render_opts.set_string, "Helm: set a string value (repeatable)");
  render_cmd->add_option("--release-name", render_opts.release_name, "Helm: release name")->capture_default_str();
  render_cmd->add_option("--namespace,-n", render_opts.ns, "Helm: release namespace")->capture_default_str();
  render_cmd->add_option("--kube-version", render_opts.kube_version, "Helm: .Capabilities.KubeVersion")->capture_default_str();

  gl::cli::MergeOptions merge_opts;
  std::string merge_format = "text";
  std::string merge_fail_on = "error";
  auto* merge_cmd = app.add_subcommand(
      "merge-reports", "merge JSON reports of `check` (the shards of a --shard run) and render them in any format");
  merge_cmd->add_option("reports", merge_opts.inputs, "JSON reports written by `check --format json`")->required();
  merge_cmd->add_option("--format", merge_format, "text|concise|json|sarif|github|markdown")->capture_default_str();
  merge_cmd->add_option("--output,-o", output, "write the report to a file");
  merge_cmd->add_option("--fail-on", merge_fail_on, "error|warning|note|never")->capture_default_str();
  merge_cmd->add_option("--root", merge_opts.root,
                        "where the reported files are, for source lines (default: the current directory)");
  merge_cmd->add_option("--link-base", link_base, "markdown: link findings to URL/FILE#LLINE");

  auto* rules_cmd = app.add_subcommand("rules", "list the rules");
  std::string explain_id;
  auto* explain_cmd = app.add_subcommand("explain", "print a rule's documentation");
  explain_cmd->add_option("id", explain_id, "rule id")->required();

  gl::cli::CheckOptions graph_opts;
  std::string graph_format = "dot";
  auto* graph_cmd = app.add_subcommand("graph", "print the cross-reference graph");
  graph_cmd->add_option("path", graph_opts.path, "repository or a directory inside it")->capture_default_str();
  graph_cmd->add_option("--rev", graph_opts.rev, "Git revision to read");
  graph_cmd->add_option("--config", graph_opts.config_path, "config file");
  graph_cmd->add_option("--format", graph_format, "dot|mermaid|json")->capture_default_str();
  graph_cmd->add_option("--output,-o", output, "write to a file");
  graph_cmd->add_flag("--strict-repos", graph_opts.strict_repos, "Argo CD: render only sources of known repository URLs");
  graph_cmd->add_option("--chart-dir", graph_opts.chart_dir, "Argo CD: directory of registry charts");

  gl::cli::CheckOptions apps_opts;
  std::string apps_format = "table";
  auto* apps_cmd = app.add_subcommand("apps", "list the Argo CD Applications the repository would create");
  apps_cmd->add_option("path", apps_opts.path, "repository or a directory inside it")->capture_default_str();
  apps_cmd->add_option("--rev", apps_opts.rev, "Git revision to read");
  apps_cmd->add_option("--config", apps_opts.config_path, "config file");
  apps_cmd->add_option("--format", apps_format, "table|json")->capture_default_str();
  apps_cmd->add_flag("--strict-repos", apps_opts.strict_repos, "render only sources of known repository URLs");
  apps_cmd->add_option("--chart-dir", apps_opts.chart_dir, "directory of registry charts (NAME-VERSION.tgz or NAME/)");
  apps_cmd->add_option("--output,-o", output, "write to a file");

  gl::cli::CheckOptions inventory_opts;
  std::string inventory_format = "table";
  auto* inventory_cmd = app.add_subcommand(
      "inventory", "list the nodes the checks assume (Node objects, config, Terraform, Ansible, kubeadm, eksctl, Karpenter)");
  inventory_cmd->add_option("path", inventory_opts.path, "repository or a directory inside it")->capture_default_str();
  inventory_cmd->add_option("--rev", inventory_opts.rev, "Git revision to read");
  inventory_cmd->add_option("--config", inventory_opts.config_path, "config file");
  inventory_cmd->add_option("--format", inventory_format, "table|json")->capture_default_str();
  inventory_cmd->add_option("--output,-o", output, "write to a file");

  gl::cli::DriftCommand drift_opts;
  std::string drift_format = "text";
  std::string drift_fail_on = "drift";
  auto* drift_cmd = app.add_subcommand(
      "drift", "compare what the repository deploys with what a cluster runs (read-only: GET requests only)");
  drift_cmd->add_option("path", drift_opts.check.path, "repository or a directory inside it")->capture_default_str();
  drift_cmd->add_option("--rev", drift_opts.check.rev, "Git revision to read");
  drift_cmd->add_option("--config", drift_opts.check.config_path, "config file");
  drift_cmd->add_option("--kubeconfig", drift_opts.kubeconfig, "kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)");
  drift_cmd->add_option("--context", drift_opts.context, "kubeconfig context (default: current-context)");
  drift_cmd->add_option("--live-file", drift_opts.live_files,
                        "live objects from `kubectl get -o json|yaml` instead of a cluster (repeatable)");
  drift_cmd->add_option("--app", drift_opts.apps, "only this Argo CD application and what it deploys (repeatable)");
  drift_cmd->add_option("--env", drift_opts.env, "the environment the cluster runs, when the repository has several");
  drift_cmd->add_flag("--all-kinds", drift_opts.all_kinds, "list every kind the cluster serves when looking for extra objects");
  drift_cmd->add_option("--format", drift_format, "text|json|markdown|html|sarif")->capture_default_str();
  drift_cmd->add_option("--fail-on", drift_fail_on, "drift (missing, extra or modified objects)|nodes (also node drift)|never")
      ->capture_default_str();
  drift_cmd->add_option("--output,-o", output, "write the report to a file");
  drift_cmd->add_flag("--strict-repos", drift_opts.check.strict_repos, "Argo CD: render only sources of known repository URLs");
  drift_cmd->add_option("--chart-dir", drift_opts.check.chart_dir, "Argo CD: directory of registry charts");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "gitops-lint: error: " << e.what() << "\n";
    return kExitError;
  }

  try {
    if (rules_cmd->parsed()) return cmd_rules();
    if (render_cmd->parsed()) {
      // One build per directory, printed in order (YAML streams joined by `---`, one JSON array per line).
      bool failed = false;
      bool printed = false;
      for (const auto& dir : render_dirs) {
        render_opts.path = dir;
        auto out = gl::cli::run_render(render_opts);
        if (!out.text.empty()) {
          if (printed && render_opts.format == "yaml") write_output("---\n", "");
          write_output(out.text, "");
          printed = true;
        }
        if (!out.diagnostics.empty()) {
          failed = true;
          gl::report::ReportContext ctx;
          ctx.tool_version = kVersion;
          ctx.color = isatty(STDERR_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
          const std::string report = gl::report::render(gl::report::Format::kText, out.diagnostics, ctx);
          std::fwrite(report.data(), 1, report.size(), stderr);
        }
      }
      std::fflush(nullptr);
      std::_Exit(failed ? kExitFindings : kExitOk);
    }
    if (explain_cmd->parsed()) return cmd_explain(explain_id);
    if (inventory_cmd->parsed()) {
      if (inventory_format != "table" && inventory_format != "json") {
        throw gl::FatalError(fmt::format("unknown inventory format `{}` (table or json)", inventory_format));
      }
      auto result = gl::cli::run_inventory(inventory_opts);
      write_output(gl::cli::render_inventory(result.inventory, inventory_format), output);
      std::string notes;
      for (const auto& note : result.notes) notes += fmt::format("note: {}\n", note);
      std::fwrite(notes.data(), 1, notes.size(), stderr);
      return kExitOk;
    }
    if (apps_cmd->parsed()) {
      if (apps_format != "table" && apps_format != "json") {
        throw gl::FatalError(fmt::format("unknown apps format `{}` (table or json)", apps_format));
      }
      auto result = gl::cli::run_apps(apps_opts);
      write_output(gl::cli::render_apps(result.apps, apps_format), output);
      // What went wrong while expanding, and the run notes, go to stderr: stdout stays the list.
      gl::report::ReportContext ctx;
      ctx.tool_version = kVersion;
      std::string report = result.diagnostics.empty()
                               ? std::string()
                               : gl::report::render(gl::report::Format::kConcise, result.diagnostics, ctx);
      for (const auto& note : result.notes) report += fmt::format("note: {}\n", note);
      std::fwrite(report.data(), 1, report.size(), stderr);
      return kExitOk;
    }
    if (drift_cmd->parsed()) {
      if (drift_fail_on != "drift" && drift_fail_on != "nodes" && drift_fail_on != "never") {
        throw gl::FatalError(fmt::format("unknown --fail-on level `{}` (drift, nodes or never)", drift_fail_on));
      }
      auto outcome = gl::cli::run_drift(drift_opts);
      outcome.info.tool_version = kVersion;
      outcome.info.color = drift_format == "text" && output.empty() && isatty(STDOUT_FILENO) != 0 &&
                           std::getenv("NO_COLOR") == nullptr;
      write_output(gl::drift::render(drift_format, outcome.result, outcome.info), output);
      const auto& s = outcome.result.summary;
      const bool drifted = s.missing + s.extra + s.modified > 0 ||
                           (drift_fail_on == "nodes" && !outcome.result.nodes.empty());
      std::fflush(nullptr);
      std::_Exit(drift_fail_on != "never" && drifted ? kExitFindings : kExitOk);
    }
    if (merge_cmd->parsed()) {
      const auto kind = gl::report::parse_format(merge_format);
      if (!kind) {
        throw gl::FatalError(fmt::format("unknown format `{}` ({})", merge_format, gl::report::format_names()));
      }
      std::optional<gl::Severity> merge_threshold;
      if (merge_fail_on != "never") {
        merge_threshold = gl::parse_severity(merge_fail_on);
        if (!merge_threshold) {
          throw gl::FatalError(
              fmt::format("unknown --fail-on level `{}` (error, warning, note or never)", merge_fail_on));
        }
      }
      const auto merged = gl::cli::merge_reports(merge_opts);
      gl::report::ReportContext ctx;
      ctx.tool_version = kVersion;
      ctx.run_notes = merged.notes;
      ctx.link_base = link_base;
      ctx.color = *kind == gl::report::Format::kText && output.empty() && isatty(STDOUT_FILENO) != 0 &&
                  std::getenv("NO_COLOR") == nullptr;
      write_output(gl::report::render(*kind, merged.diagnostics, ctx), output);
      bool failed = false;
      for (const auto& d : merged.diagnostics) {
        if (merge_threshold && d.severity >= *merge_threshold && d.is_new.value_or(true)) failed = true;
      }
      return failed ? kExitFindings : kExitOk;
    }
    if (graph_cmd->parsed()) {
      if (graph_format != "dot" && graph_format != "mermaid" && graph_format != "json") {
        throw gl::FatalError(fmt::format("unknown graph format `{}` (dot, mermaid or json)", graph_format));
      }
      auto result = gl::cli::run_check(graph_opts);
      write_output(gl::cli::render_graph(result.graph, graph_format), output);
      return kExitOk;
    }
    auto fmt_kind = gl::report::parse_format(format);
    if (!fmt_kind) {
      throw gl::FatalError(fmt::format("unknown format `{}` ({})", format, gl::report::format_names()));
    }
    std::optional<gl::Severity> threshold;
    if (fail_on != "never") {
      threshold = gl::parse_severity(fail_on);
      if (!threshold) throw gl::FatalError(fmt::format("unknown --fail-on level `{}` (error, warning, note or never)", fail_on));
    }
    if (!shard_text.empty()) {
      std::string shard_error;
      check.shard = gl::cli::parse_shard(shard_text, &shard_error);
      if (!check.shard) throw gl::FatalError(shard_error);
      if (check.shard->count == 1) check.shard.reset();  // one shard is the whole run
    }
    auto result = gl::cli::run_check(check);
    gl::report::ReportContext ctx;
    ctx.tool_version = kVersion;
    ctx.run_notes = result.notes;
    ctx.link_base = link_base;
    ctx.color = *fmt_kind == gl::report::Format::kText && output.empty() && isatty(STDOUT_FILENO) != 0 &&
                std::getenv("NO_COLOR") == nullptr;
    write_output(gl::report::render(*fmt_kind, result.diagnostics, ctx), output);
    int code = kExitOk;
    if (threshold) {
      for (const auto& d : result.diagnostics) {
        // With --base/--baseline only new findings fail the run (--include-existing shows the others).
        if (d.severity >= *threshold && d.is_new.value_or(true)) code = kExitFindings;
      }
    }
    // Freeing the object trees of a large repository takes longer than the report: let the OS do it.
    std::fflush(nullptr);
    std::_Exit(code);
  } catch (const gl::FatalError& e) {
    std::cerr << "gitops-lint: error: " << e.what() << "\n";
    return kExitError;
  } catch (const std::exception& e) {
    std::cerr << "gitops-lint: error: internal error: " << e.what() << "\n";
    return kExitError;
  }
}
