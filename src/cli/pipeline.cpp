#include "cli/pipeline.h"
#include "cli/baseline.h"
#include "cli/changed.h"
#include "cli/drift_run.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <tuple>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>
#include <unordered_set>

#include "core/error.h"
#include "core/parallel.h"
#include "core/strings.h"
#include "k8s/operator_pods.h"
#include "k8s/quantity.h"
#include "render/helm/chart.h"
#include "render/helm/render.h"
#include "render/kustomize/kustomize.h"
#include "render/render.h"
#include "yaml/parser.h"

namespace gl::cli {
namespace {

constexpr std::string_view kLoadError = "load-error";
constexpr std::string_view kRenderError = "render-error";

/// With GITOPS_LINT_TIMING set, prints how long each phase took to stderr (for the benchmark).
class PhaseTimer {
 public:
  PhaseTimer() : enabled_(std::getenv("GITOPS_LINT_TIMING") != nullptr), last_(std::chrono::steady_clock::now()) {}
  void lap(std::string_view phase) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "timing: %-16.*s %8.1f ms\n", static_cast<int>(phase.size()), phase.data(),
                 std::chrono::duration<double, std::milli>(now - last_).count());
    last_ = now;
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_;
};
constexpr std::string_view kIgnoreAnnotation = "gitops-lint.io/ignore";

bool is_yaml_path(std::string_view p) { return p.ends_with(".yaml") || p.ends_with(".yml"); }

bool is_kustomization(std::string_view p) { return render::kustomize::is_kustomization_file(p); }

/// Kinds that configure build tools rather than describe cluster objects.
bool is_build_config(const k8s::Object& o) {
  return o.group() == "kustomize.config.k8s.io" || o.group() == "config.kubernetes.io" ||
         (o.group().empty() && o.kind == "Kustomization");
}

diag::Diagnostic load_error(Span span, std::string message, std::string help = {},
                            std::string_view rule = kLoadError) {
  diag::Diagnostic d;
  d.rule = std::string(rule);
  d.severity = Severity::kError;
  d.message = std::move(message);
  d.primary = diag::Label{span, {}};
  d.help = std::move(help);
  return d;
}

/// A renderer's error as a `render-error` finding; `fallback` when the error has no line of its own.
diag::Diagnostic render_error(render::RenderError e, Span fallback = {}) {
  const std::string rule = e.rule.empty() ? std::string(kRenderError) : std::move(e.rule);
  auto d = load_error(e.at.valid() ? e.at : fallback, std::move(e.message), std::move(e.help), rule);
  d.notes = std::move(e.notes);
  // Loader findings are errors of their rule; a warning here means "one level below the rule's severity".
  if (e.lesser) d.severity = Severity::kWarning;
  return d;
}

/// A rendered object (MNode tree with provenance) as a k8s Object in an environment.
std::optional<k8s::Object> rendered_object(const render::MNode& root, uint32_t index, const std::string& scope) {
  auto obj = render::to_object(root, index);
  if (obj) obj->scope = scope;
  return obj;
}

/// One file's outcome, merged in path order so output does not depend on thread timing.
struct FileResult {
  std::vector<k8s::Object> objects;
  std::vector<diag::Diagnostic> diags;
};

void parse_file(const SourceFile& file, const config::Config& config, FileResult& out) {
  if (yaml::looks_binary(file.text())) {
    out.diags.push_back(load_error(Span{&file, {1, 1}, {1, 1}}, "binary file with a YAML extension",
                                   "remove the file or exclude it with `exclude` in .gitops-lint.yaml"));
    return;
  }
  auto parsed = yaml::parse(file, config.limits);
  for (const auto& e : parsed.errors) {
    out.diags.push_back(load_error(Span{&file, e.mark, e.mark}, e.message, "fix the YAML; the rest of the repository is still checked"));
  }
  out.objects.reserve(parsed.documents.size());
  for (auto& doc : parsed.documents) {
    auto obj = k8s::make_object(std::move(doc));
    if (!obj || is_build_config(*obj)) continue;
    // `kubectl get ... -o yaml` writes a v1 List: its items are the objects.
    if (obj->group().empty() && obj->kind == "List") {
      if (auto* items = obj->root.get("items"); items != nullptr && items->is_seq()) {
        for (auto& item : items->items()) {
          if (auto inner = k8s::make_object(yaml::Document{item, obj->doc_index, &file, obj->storage})) {
            out.objects.push_back(std::move(*inner));
          }
        }
      }
      continue;
    }
    out.objects.push_back(std::move(*obj));
  }
}

bool under(std::string_view path, std::string_view dir) {
  if (dir.empty()) return true;
  return path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/';
}

/// `exclude` globs match paths relative to the config file's directory.
bool excluded(const config::Config& config, std::string_view path) {
  if (config.exclude.empty() || !under(path, config.base_dir)) return false;
  const std::string_view rel = config.base_dir.empty() ? path : path.substr(config.base_dir.size() + 1);
  return std::any_of(config.exclude.begin(), config.exclude.end(),
                     [&](const std::string& g) { return glob_match(g, rel); });
}

/// Every kustomization directory built natively. Files a build reads are not also checked as plain
/// manifests; builds included by another build are not reported on their own (their objects arrive through
/// the build that includes them), but their errors are, once.
struct KustomizeOutcome {
  std::set<std::string> used_files;
  std::set<std::string> helm_charts;  ///< charts rendered through kustomizations' helmCharts
  std::vector<k8s::Object> objects;
  std::vector<diag::Diagnostic> diags;
  std::vector<std::string> notes;
};

/// A sharded run's bookkeeping while loading: which units are this shard's, and what the others render.
struct ShardLoad {
  Shard shard;
  std::shared_ptr<ShardScope> scope;
  KustomizePlan plan;
  std::map<std::string, std::string, std::less<>> origin_keys;  ///< build or chart directory -> unit key
  std::map<std::string, std::string, std::less<>> file_keys;    ///< plain file -> unit key
  std::set<std::string> foreign_origins;  ///< top-level builds and charts rendered by other shards only
  std::set<std::string> own_apps;         ///< names of the Argo CD applications this shard renders as its own
  std::set<std::string> shared_apps;      ///< applications every shard renders (they deploy applications)
  std::set<std::string, std::less<>> shared_sources;  ///< plain files, builds and charts every shard reads
  bool argocd = false;                    ///< some unit may hold Argo CD objects: every plain file is parsed
  bool owns(std::string_view key) const { return shard_of(key, shard.count) == shard.index; }
};

/// True when any of these repository files may hold Argo CD objects (read, not parsed).
bool any_mentions_argocd(render::Context& ctx, const std::vector<std::string>& paths) {
  return std::any_of(paths.begin(), paths.end(), [&](const std::string& p) {
    std::string error;
    const SourceFile* f = ctx.source(p, &error);
    return f != nullptr && mentions_argocd(f->text());
  });
}

/// Every file under a directory (a chart: its templates, values and subcharts).
std::vector<std::string> files_under(const repo::FileTree& tree, const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : tree.walk(dir)) {
    if (e.kind == repo::EntryKind::kFile) out.push_back(e.path);
  }
  return out;
}

/// Environments of top-level builds: when sibling overlays (`app/dev`, `app/prod`) build an object with
/// the same kind, namespace and name, they cannot share a cluster, so each is named after its directory
/// (`dev`, `prod`) and checked apart. Builds that collide with no sibling get "" (every environment).
std::vector<std::string> environments(const std::vector<std::string>& dirs,
                                      const std::vector<render::kustomize::BuildResult>& builds,
                                      const std::set<std::string>& included) {
  std::vector<std::string> env(dirs.size());
  std::map<std::string, std::vector<size_t>> by_parent;
  for (size_t i = 0; i < dirs.size(); ++i) {
    if (included.count(dirs[i]) == 0 && builds[i].ok()) by_parent[std::string(dirname(dirs[i]))].push_back(i);
  }
  auto ids = [&](size_t i) {
    std::set<std::string> out;
    for (const auto& o : builds[i].objects) {
      auto text = [&](std::initializer_list<std::string_view> path) {
        const auto* n = o.at(path);
        return n != nullptr ? std::string(n->str()) : std::string();
      };
      const std::string kind = text({"kind"});
      std::string ns = text({"metadata", "namespace"});
      if (ns.empty() && !k8s::is_cluster_scoped(kind)) ns = "default";
      out.insert(fmt::format("{}/{}/{}", kind, ns, text({"metadata", "name"})));
    }
    return out;
  };
  for (const auto& [parent, members] : by_parent) {
    if (members.size() < 2) continue;
    std::vector<std::set<std::string>> sets;
    for (size_t i : members) sets.push_back(ids(i));
    bool collide = false;
    for (size_t a = 0; a < sets.size() && !collide; ++a) {
      for (size_t b = a + 1; b < sets.size() && !collide; ++b) {
        collide = std::any_of(sets[a].begin(), sets[a].end(), [&](const std::string& id) { return sets[b].count(id) != 0; });
      }
    }
    if (!collide) continue;
    for (size_t i : members) env[i] = std::string(basename(dirs[i]));
  }
  return env;
}

KustomizeOutcome build_kustomizations(render::Context& ctx, const std::vector<repo::Entry>& entries,
                                      const config::Config& config, unsigned threads,
                                      const render::kustomize::BuildOptions& options, ShardLoad* shard) {
  const repo::FileTree& tree = ctx.tree();
  KustomizeOutcome out;
  std::vector<std::string> dirs;
  for (const auto& e : entries) {
    if (e.kind == repo::EntryKind::kFile && is_kustomization(e.path) && !excluded(config, e.path))
      dirs.emplace_back(dirname(e.path));
  }
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  if (dirs.empty()) return out;
  // Sharded: which kustomizations include which, read from their files, so that each shard builds only its
  // top-level builds (and those that may deploy Argo CD applications, which every shard needs).
  if (shard != nullptr) shard->plan = plan_kustomizations(ctx, dirs);
  // A Component only builds inside the kustomization that lists it (kustomize refuses it alone).
  std::erase_if(dirs, [&](const std::string& dir) {
    for (auto name : {"kustomization.yaml", "kustomization.yml", "Kustomization"}) {
      const std::string path = join_path(dir, name);
      if (!tree.stat(path)) continue;
      auto loaded = ctx.yaml(path);
      if (loaded->documents.empty()) return false;
      const auto* kind = loaded->documents.front().root.get("kind");
      return kind != nullptr && kind->str() == "Component";
    }
    return false;
  });
  std::vector<render::kustomize::BuildResult> builds(dirs.size());
  std::vector<char> wanted(dirs.size(), 1);  // built here
  std::vector<char> reported(dirs.size(), 1);  // its findings and objects are this shard's
  std::set<std::string> included;
  if (shard != nullptr) {
    const KustomizePlan& plan = shard->plan;
    included = plan.included;
    std::vector<std::string> top;
    for (const auto& d : dirs) {
      if (included.count(d) == 0) top.push_back(d);
    }
    for (const auto& [dir, entry] : plan.dirs) {
      out.used_files.insert(entry.files.begin(), entry.files.end());
      out.helm_charts.insert(entry.charts.begin(), entry.charts.end());
    }
    for (size_t i = 0; i < dirs.size(); ++i) {
      if (included.count(dirs[i]) != 0) {
        // Built on its own only for its errors: by one shard.
        reported[i] = wanted[i] = shard->owns(fmt::format("kustomize:{}", dirs[i])) ? 1 : 0;
        continue;
      }
      const std::string key = plan.build_key(dirs[i], top);
      shard->origin_keys[dirs[i]] = key;
      reported[i] = shard->owns(key) ? 1 : 0;
      std::vector<std::string> files;
      for (const auto& d : plan.closure(dirs[i])) {
        if (auto it = plan.dirs.find(d); it != plan.dirs.end()) {
          files.insert(files.end(), it->second.files.begin(), it->second.files.end());
        }
      }
      const bool global = any_mentions_argocd(ctx, files);
      shard->argocd = shard->argocd || global;
      if (global) shard->shared_sources.insert(dirs[i]);
      wanted[i] = reported[i] != 0 || global ? 1 : 0;
      if (wanted[i] == 0 && plan.produces(dirs[i])) shard->foreign_origins.insert(dirs[i]);
    }
  }
  parallel_for(dirs.size(), threads, [&](size_t i) {
    if (wanted[i] != 0) builds[i] = render::kustomize::build(ctx, dirs[i], options);
  });
  for (size_t i = 0; i < dirs.size(); ++i) {
    for (const auto& k : builds[i].kustomizations) {
      if (k != dirs[i]) included.insert(k);
    }
    out.used_files.insert(builds[i].files.begin(), builds[i].files.end());
    out.helm_charts.insert(builds[i].helm_charts.begin(), builds[i].helm_charts.end());
  }
  const auto envs = environments(dirs, builds, included);
  for (size_t i = 0; i < dirs.size(); ++i) {
    auto& b = builds[i];
    if (wanted[i] == 0) continue;
    const Span fallback{ctx.source(join_path(dirs[i], "kustomization.yaml"), nullptr), {1, 1}, {1, 1}};
    if (reported[i] != 0) {
      for (auto& e : b.errors) out.diags.push_back(render_error(std::move(e), fallback));
      if (shard != nullptr) {
        for (const auto& f : b.files) shard->scope->add_file(f);
      }
    }
    if (included.count(dirs[i]) != 0) continue;
    uint32_t index = 0;
    for (const auto& root : b.objects) {
      if (auto obj = rendered_object(root, index++, envs[i])) {
        obj->origin = dirs[i];
        out.objects.push_back(std::move(*obj));
      }
    }
  }
  return out;
}

/// Directories holding a Chart.yaml: Helm charts (their files are never read as plain manifests).
std::vector<std::string> chart_dirs(const std::vector<repo::Entry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) {
    if (e.kind == repo::EntryKind::kFile && basename(e.path) == "Chart.yaml") out.emplace_back(dirname(e.path));
  }
  return out;
}

/// Renders every top-level chart (not a subchart under another chart's charts/) with its default values,
/// in parallel: objects with provenance, and render-errors for what fails.
void render_charts(render::Context& ctx, const std::vector<std::string>& charts, const config::Config& config,
                   unsigned threads, const std::set<std::string>& via_kustomize, Loaded& out, ShardLoad* shard) {
  std::vector<std::string> top;
  for (const auto& c : charts) {
    // A chart a kustomization renders (helmCharts) is checked as that build renders it, not on its own.
    if (via_kustomize.count(c) != 0) continue;
    const bool sub = std::any_of(charts.begin(), charts.end(), [&](const std::string& other) {
      return other != c && under(c, join_path(other, "charts"));
    });
    if (!sub) top.push_back(c);
  }
  // One render per value set in .gitops-lint.yaml (each an environment), else one with the defaults.
  struct Job {
    std::string dir;
    render::helm::RenderOptions options;
    std::string scope;
  };
  std::vector<Job> jobs;
  std::set<std::string> configured;
  for (const auto& [rel_dir, sets] : config.helm_charts) {
    bool inside = true;
    const std::string dir = normalize_path(join_path(config.base_dir, rel_dir), &inside);
    if (!inside || std::find(top.begin(), top.end(), dir) == top.end()) {
      out.notes.push_back(fmt::format("helm.charts in .gitops-lint.yaml names `{}`, which is not a chart here", rel_dir));
      continue;
    }
    configured.insert(dir);
    for (const auto& vs : sets) {
      Job job{dir, {}, vs.name};
      for (const auto& f : vs.value_files) {
        bool ok = true;
        job.options.value_files.push_back(normalize_path(join_path(config.base_dir, f), &ok));
      }
      job.options.set = vs.set;
      job.options.set_string = vs.set_string;
      if (!vs.release_name.empty()) job.options.release_name = vs.release_name;
      if (!vs.ns.empty()) job.options.ns = vs.ns;
      jobs.push_back(std::move(job));
    }
  }
  for (const auto& dir : top) {
    if (configured.count(dir) == 0) jobs.push_back(Job{dir, {}, ""});
  }
  std::vector<render::helm::ChartRender> rendered(jobs.size());
  std::vector<char> wanted(jobs.size(), 1);
  std::vector<char> reported(jobs.size(), 1);
  if (shard != nullptr) {
    // Every value set of a chart goes to the chart's shard; a chart that may deploy Argo CD applications is
    // rendered by every shard.
    std::map<std::string, bool> global;
    for (size_t i = 0; i < jobs.size(); ++i) {
      const std::string& dir = jobs[i].dir;
      const std::string key = chart_key(dir);
      shard->origin_keys[dir] = key;
      if (global.count(dir) == 0) global[dir] = any_mentions_argocd(ctx, files_under(ctx.tree(), dir));
      shard->argocd = shard->argocd || global[dir];
      if (global[dir]) shard->shared_sources.insert(dir);
      reported[i] = shard->owns(key) ? 1 : 0;
      wanted[i] = reported[i] != 0 || global[dir] ? 1 : 0;
      if (wanted[i] == 0) shard->foreign_origins.insert(dir);
      if (reported[i] != 0) {
        for (auto& f : files_under(ctx.tree(), dir)) shard->scope->add_file(std::move(f));
      }
    }
  }
  parallel_for(jobs.size(), threads, [&](size_t i) {
    if (wanted[i] != 0) rendered[i] = render::helm::render_chart(ctx, jobs[i].dir, jobs[i].options);
  });
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (wanted[i] == 0) continue;
    const Span fallback{ctx.source(join_path(jobs[i].dir, "Chart.yaml"), nullptr), {1, 1}, {1, 1}};
    if (reported[i] == 0) rendered[i].errors.clear();
    for (auto& e : rendered[i].errors) {
      if (!jobs[i].scope.empty()) e.message += fmt::format(" (value set `{}`)", jobs[i].scope);
      out.diagnostics.push_back(render_error(std::move(e), fallback));
    }
    uint32_t index = 0;
    for (const auto& m : rendered[i].manifests) {
      if (!m.object.is_map()) continue;
      if (auto obj = rendered_object(m.object, index++, jobs[i].scope)) {
        obj->origin = jobs[i].dir;
        out.objects.push_back(std::move(*obj));
      }
    }
  }
}

std::unique_ptr<repo::FileTree> open_tree(const repo::Location& loc, const std::optional<std::string>& rev) {
  if (!rev) return repo::open_disk_tree(loc.root);
  if (!loc.is_git) throw FatalError(fmt::format("--rev needs a Git repository, and `{}` is not in one", loc.root));
  return repo::open_git_tree(loc.root, *rev);
}

config::Config read_config(const CheckOptions& options, const repo::FileTree& tree, const std::string& subdir,
                           SourceSet& sources) {
  if (options.config_path) {
    std::ifstream in(*options.config_path, std::ios::binary);
    if (!in) throw FatalError(fmt::format("cannot read config file `{}`", *options.config_path));
    std::stringstream ss;
    ss << in.rdbuf();
    return config::parse_config(*sources.add(*options.config_path, ss.str()));
  }
  // The nearest .gitops-lint.yaml from PATH up to the repository root, like ruff or eslint.
  std::string dir = subdir;
  for (;;) {
    const std::string path = join_path(dir, config::kConfigFileName);
    if (tree.stat(path)) {
      auto data = tree.read(path, config::kDefaultMaxFileBytes);
      if (!data.data) throw FatalError(fmt::format("cannot read {}: {}", path, data.error));
      config::Config c = config::parse_config(*sources.add(path, std::move(*data.data)));
      c.base_dir = dir;
      return c;
    }
    if (dir.empty()) return config::Config{};
    dir = std::string(dirname(dir));
  }
}

/// The repository's remote URLs, read once and only if a build asks (reading them initialises libgit2).
std::function<std::vector<std::string>()> lazy_remote_urls(const repo::Location& loc) {
  if (!loc.is_git) return {};
  struct Cache {
    std::once_flag once;
    std::vector<std::string> urls;
  };
  auto cache = std::make_shared<Cache>();
  return [cache, root = loc.root] {
    std::call_once(cache->once, [&] { cache->urls = repo::git_remote_urls(root); });
    return cache->urls;
  };
}

void apply_suppressions(std::vector<diag::Diagnostic>& diags, const graph::Graph& g) {
  diags.erase(std::remove_if(diags.begin(), diags.end(),
                             [&](const diag::Diagnostic& d) {
                               if (!d.object) return false;
                               auto idx = g.find(d.object->kind, d.object->name_space, d.object->name);
                               if (!idx) return false;
                               auto ann = g.objects[*idx].annotation(kIgnoreAnnotation);
                               if (!ann) return false;
                               for (auto id : split(*ann, ',')) {
                                 if (trim(id) == d.rule || trim(id) == "all") return true;
                               }
                               return false;
                             }),
              diags.end());
}

bool infra_text_marker(std::string_view t);

/// Infrastructure code that may declare nodes: Terraform, Ansible (playbooks, inventories, vars), kubeadm,
/// eksctl and Karpenter. YAML files are passed only when they look like one of those (a cheap text test), so
/// a repository of manifests is not parsed twice.
bool infra_candidate(std::string_view path, const SourceFile* text) {
  const std::string_view base = basename(path);
  if (base.ends_with(".tf") || base.ends_with(".tfvars") || base.starts_with("hosts") || base.starts_with("inventory")) {
    return true;
  }
  if (!is_yaml_path(path)) return false;
  for (std::string_view dir : {"ansible/", "playbooks/", "roles/", "group_vars/", "host_vars/", "inventory/"}) {
    if (path.starts_with(dir) || path.find(std::string("/") + std::string(dir)) != std::string_view::npos) return true;
  }
  return text != nullptr && infra_text_marker(text->text());
}

/// Text that only infrastructure code has (kubectl label/taint commands, kubeadm/eksctl/Karpenter kinds, ...).
bool infra_text_marker(std::string_view t) {
  for (std::string_view marker : {"kubectl label", "kubectl taint", "JoinConfiguration", "InitConfiguration",
                                  "kind: ClusterConfig", "kind: NodePool", "kubernetes.core.k8s", "hosts:"}) {
    if (t.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

/// Text of the kinds below, which make a file of objects infrastructure code.
bool infra_kind_marker(std::string_view t) {
  for (std::string_view marker : {"JoinConfiguration", "InitConfiguration", "kind: ClusterConfig", "kind: NodePool"}) {
    if (t.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

/// Text that parses to Kubernetes objects, most likely (a cheap test before parsing).
bool looks_like_objects(std::string_view t) {
  return t.find("apiVersion:") != std::string_view::npos && t.find("kind:") != std::string_view::npos;
}

/// Kinds of YAML infrastructure configuration that parse as Kubernetes-style objects.
bool is_infra_kind(std::string_view kind) {
  return kind == "JoinConfiguration" || kind == "InitConfiguration" || kind == "ClusterConfig" || kind == "NodePool";
}

/// `candidates`: the plainly loaded YAML files that may be infrastructure code (decided while parsing them);
/// `plain`: every plainly loaded file. Other YAML (read by renderers, or not loaded) counts by its directory.
k8s::infra::InfraInventory read_infrastructure(render::Context& ctx, const std::vector<repo::Entry>& entries,
                                               const config::Config& config,
                                               const std::map<std::string, const SourceFile*, std::less<>>& candidates,
                                               const std::unordered_set<const repo::Entry*>& plain) {
  std::vector<std::string> paths;
  for (const auto& e : entries) {
    if (e.kind != repo::EntryKind::kFile || excluded(config, e.path) || e.size > config.max_file_bytes) continue;
    if (is_yaml_path(e.path)) {
      if (candidates.count(e.path) == 0 && (plain.count(&e) != 0 || !infra_candidate(e.path, nullptr))) continue;
    } else if (!infra_candidate(e.path, nullptr)) {
      continue;
    }
    paths.push_back(e.path);
  }
  if (paths.empty()) return {};
  k8s::infra::FileLoader load = [&ctx, &candidates](const std::string& path) -> const SourceFile* {
    if (auto it = candidates.find(path); it != candidates.end()) return it->second;
    std::string error;
    return ctx.source(path, &error);
  };
  return k8s::infra::read_infrastructure(paths, load);
}

/// What an application's local sources would render (files and directories, as the expander records them).
/// True when every shard should render it all the same: when any of it may hold Argo CD objects (an app of
/// apps: its children are units too), or when a source is not rendered from this tree (another repository,
/// a registry chart, a plugin: nothing to render, and the run note that lists them is then the same in every
/// shard).
bool app_sources(render::Context& ctx, const KustomizePlan& plan, const render::argocd::RepoMatcher& repos,
                 const render::argocd::Application& app, std::set<std::string>& covered) {
  using render::argocd::SourceType;
  const repo::FileTree& tree = ctx.tree();
  bool argocd = false;
  auto check = [&](const std::string& path) {
    if (argocd) return;
    std::string error;
    const SourceFile* f = ctx.source(path, &error);
    argocd = f != nullptr && mentions_argocd(f->text());
  };
  auto scan = [&](const std::string& path) {
    covered.insert(path);
    check(path);
  };
  for (const auto& src : app.sources) {
    if (!src.chart.empty()) {
      argocd = true;
      continue;
    }
    if (!src.ref.empty() && src.node->get("path") == nullptr) continue;
    if (repos.classify(src.repo_url, src.path, tree) == render::argocd::RepoMatcher::Verdict::kExternal) {
      argocd = true;
      continue;
    }
    const auto st = tree.stat(src.path);
    if (!st || st->kind != repo::EntryKind::kDirectory) continue;
    SourceType type = SourceType::kDirectory;
    if (src.explicit_type) {
      type = *src.explicit_type;
    } else if (tree.stat(join_path(src.path, "kustomization.yaml")) ||
               tree.stat(join_path(src.path, "kustomization.yml")) || tree.stat(join_path(src.path, "Kustomization"))) {
      type = SourceType::kKustomize;
    } else if (tree.stat(join_path(src.path, "Chart.yaml"))) {
      type = SourceType::kHelm;
    }
    covered.insert(src.path);
    switch (type) {
      case SourceType::kKustomize:
        if (plan.dirs.count(src.path) == 0) {
          for (const auto& f : files_under(tree, src.path)) scan(f);
          break;
        }
        for (const auto& d : plan.closure(src.path)) {
          covered.insert(d);
          const auto it = plan.dirs.find(d);
          if (it == plan.dirs.end()) continue;
          for (const auto& f : it->second.files) scan(f);
          for (const auto& c : it->second.charts) {
            covered.insert(c);
            for (const auto& f : files_under(tree, c)) check(f);
          }
        }
        break;
      case SourceType::kHelm:
        for (const auto& f : files_under(tree, src.path)) check(f);
        if (const auto* files = src.helm != nullptr ? src.helm->get("valueFiles") : nullptr;
            files != nullptr && files->is_seq()) {
          for (const auto& item : files->items()) {
            const std::string file(item.str());
            if (file.find("://") != std::string::npos) continue;
            // `$ref/path` (multi-source), `/path` (from the repository root), else relative to the chart.
            const size_t slash = file.find('/');
            const std::string ref_path = slash == std::string::npos ? std::string() : file.substr(slash + 1);
            std::string path = file.starts_with("$")   ? ref_path
                               : file.starts_with("/") ? file.substr(1)
                                                       : join_path(src.path, file);
            bool inside = true;
            path = normalize_path(path, &inside);
            if (inside && !path.empty()) covered.insert(path);
          }
        }
        break;
      case SourceType::kDirectory: {
        const bool recurse = src.directory != nullptr && src.directory->get("recurse") != nullptr &&
                             src.directory->get("recurse")->str() == "true";
        for (const auto& e : tree.walk(src.path)) {
          if (e.kind == repo::EntryKind::kDirectory) continue;
          const std::string_view rel =
              src.path.empty() ? std::string_view(e.path) : std::string_view(e.path).substr(src.path.size() + 1);
          if (!recurse && rel.find('/') != std::string_view::npos) continue;
          if (is_yaml_path(e.path) || e.path.ends_with(".json")) scan(e.path);
        }
        break;
      }
      case SourceType::kPlugin: argocd = true; break;
    }
  }
  return argocd;
}

/// Sharded: an Argo CD error is this shard's when the application it names (last in its "in Argo CD
/// application" note) is, else when its file hashes here (errors every shard meets: ApplicationSets, cycles).
bool shard_reports(const ShardLoad& shard, const render::RenderError& e) {
  constexpr std::string_view kInApp = "in Argo CD application";
  for (const auto& n : e.notes) {
    if (!n.starts_with(kInApp)) continue;
    const size_t close = n.rfind('`');
    const size_t open = close == std::string::npos || close == 0 ? std::string::npos : n.rfind('`', close - 1);
    if (open == std::string::npos) break;
    return shard.own_apps.count(n.substr(open + 1, close - open - 1)) != 0;
  }
  return shard.owns(fmt::format("file:{}", e.at.file != nullptr ? e.at.file->path() : e.message));
}

/// Argo CD: expands the Applications and ApplicationSets among the loaded objects. What the applications
/// deploy replaces what was loaded on its own; manifests no application deploys are left out (listed in a
/// note) unless the config asks to check them.
void expand_argocd(render::Context& ctx, const config::Config& config, const LoadOptions& options, Loaded& out,
                   ShardLoad* shard) {
  std::vector<const k8s::Object*> found;
  for (const auto& o : out.objects) {
    if (render::argocd::is_application(o) || render::argocd::is_application_set(o)) found.push_back(&o);
  }
  if (found.empty()) return;
  const render::argocd::RepoMatcher repos(options.repo_urls, config.argocd.repositories, config.argocd.external,
                                          config.argocd.strict_repos || options.strict_repos);
  render::argocd::ExpandOptions eo;
  eo.repos = &repos;
  eo.kube_version = config.argocd.kube_version;
  eo.repo_urls = options.repo_urls;
  std::unique_ptr<repo::FileTree> chart_dir;
  if (options.chart_dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(*options.chart_dir, ec)) {
      throw FatalError(fmt::format("--chart-dir `{}` is not a directory", *options.chart_dir));
    }
    chart_dir = repo::open_disk_tree(*options.chart_dir);
    eo.chart_dir = chart_dir.get();
    // Findings in these charts are named `chart-dir/NAME-VERSION.tgz/NAME/...`: not a repository path.
    eo.chart_dir_name = "chart-dir";
  }
  for (const auto& c : config.argocd.clusters) {
    eo.clusters.push_back(render::argocd::Cluster{c.name, c.server, c.labels, c.annotations, {}, c.at});
  }
  if (shard != nullptr) {
    // Each shard renders its own applications, and every application that may deploy others (its children
    // are units too); for the others it only records what they would render.
    eo.render_filter = [&ctx, &repos, shard](const render::argocd::Application& app, std::set<std::string>& covered) {
      std::set<std::string> would;
      const bool parent = app_sources(ctx, shard->plan, repos, app, would);
      const bool own = shard->owns(app_key(app.dest_namespace, app.name));
      if (own) shard->own_apps.insert(app.name);
      if (parent) shard->shared_apps.insert(app.name);
      if (own || parent) return true;
      covered.insert(would.begin(), would.end());
      return false;
    };
  }
  auto ex = render::argocd::expand(ctx, found, eo);
  for (auto& e : ex.errors) {
    if (shard != nullptr && !shard_reports(*shard, e)) continue;
    out.diagnostics.push_back(render_error(std::move(e)));
  }
  const std::set<const k8s::Object*> roots(ex.roots.begin(), ex.roots.end());
  std::vector<k8s::Object> kept;
  std::set<std::string> undeployed;
  for (auto& o : out.objects) {
    const std::string origin = !o.origin.empty() ? o.origin : o.file != nullptr ? o.file->path() : std::string();
    if (roots.count(&o) != 0) {
      kept.push_back(std::move(o));
    } else if (ex.covered.count(origin) != 0) {
      continue;
    } else {
      undeployed.insert(origin);
      if (config.argocd.check_undeployed) kept.push_back(std::move(o));
    }
  }
  if (shard != nullptr) {
    // Builds and charts only other shards rendered: undeployed here too when no application covers them.
    for (const auto& origin : shard->foreign_origins) {
      if (ex.covered.count(origin) == 0) undeployed.insert(origin);
    }
  }
  for (auto& o : ex.objects) kept.push_back(std::move(o));
  out.objects = std::move(kept);
  size_t generated = 0;
  for (const auto& a : ex.apps) generated += a.generated_by.empty() ? 0 : 1;
  out.notes.push_back(fmt::format("Argo CD: {} application(s) ({} generated by ApplicationSets) from {} root(s); "
                                  "objects are checked as the applications deploy them",
                                  ex.apps.size(), generated, ex.roots.size()));
  if (!undeployed.empty()) {
    std::vector<std::string> shown(undeployed.begin(), undeployed.end());
    constexpr size_t kShown = 8;
    const size_t more = shown.size() > kShown ? shown.size() - kShown : 0;
    if (more > 0) shown.resize(kShown);
    out.notes.push_back(fmt::format(
        "{} manifest source(s) that no Argo CD application deploys {}: `{}`{}{}", undeployed.size(),
        config.argocd.check_undeployed ? "were checked on their own" : "were not checked", fmt::join(shown, "`, `"),
        more > 0 ? fmt::format(" and {} more", more) : std::string(),
        config.argocd.check_undeployed ? " (set `argocd.undeployed: skip` in .gitops-lint.yaml to leave them out)"
                                       : ""));
  }
  for (auto& n : ex.notes) out.notes.push_back(std::move(n));
  out.apps = std::move(ex.apps);
}

/// Sharded: records which loaded objects this shard reports on: those of its units, and one shard's share of
/// the shared kinds (Nodes, DaemonSets, Applications) that every shard reads; and says what the shard checked.
void finish_shard(ShardLoad& shard, Loaded& out) {
  for (const auto& o : out.objects) {
    bool own = true;
    const bool everywhere = !o.app_chain.empty() ? shard.shared_apps.count(o.app_chain.back()) != 0
                            : !o.origin.empty()  ? shard.shared_sources.count(o.origin) != 0
                                                 : o.file != nullptr && shard.shared_sources.count(o.file->path()) != 0;
    if (everywhere && is_shared_kind(o.group(), o.kind)) {
      own = shard.owns(global_object_key(o.ref()));
    } else if (!o.app_chain.empty()) {
      own = shard.own_apps.count(o.app_chain.back()) != 0;
    } else if (auto it = shard.origin_keys.find(o.origin); !o.origin.empty() && it != shard.origin_keys.end()) {
      own = shard.owns(it->second);
    } else if (o.file != nullptr) {
      const auto key = shard.file_keys.find(o.file->path());
      own = shard.owns(key != shard.file_keys.end() ? key->second : plain_file_key(o.file->path(), o.file->text()));
    }
    shard.scope->add_object(o.ref(), own);
  }
  out.notes.push_back(shard_note(shard.shard));
  out.shard = shard.scope;
}

/// The node inventory: Node objects, configured node groups, and nodes declared in infrastructure code.
k8s::Inventory make_inventory(const Loaded& loaded, const config::Config& config, std::vector<std::string>& notes) {
  std::vector<const k8s::Object*> node_objects;
  for (const auto& o : loaded.objects) {
    if (o.kind == "Node" && o.group().empty()) node_objects.push_back(&o);
  }
  k8s::InstanceCatalog catalog = k8s::InstanceCatalog::builtin();
  catalog.add(config.extra_instance_types);
  k8s::Inventory inventory =
      k8s::build_inventory(node_objects, loaded.live_nodes ? std::vector<k8s::NodeGroupSpec>{} : config.node_groups, catalog, config.reserve, loaded.infra.nodes);
  for (const auto& n : loaded.infra.notes) {
    notes.push_back(n.at.file != nullptr ? fmt::format("{}:{}: {}", n.at.file->path(), n.at.begin.line, n.message)
                                         : n.message);
  }
  for (const auto& n : inventory.notes) notes.push_back(n);
  return inventory;
}

}  // namespace

Loaded load_objects(const repo::FileTree& tree, std::string_view subdir, const config::Config& config,
                    SourceSet& sources, const LoadOptions& options) {
  Loaded out;
  const unsigned threads = options.threads;
  const auto entries = tree.walk(subdir);
  render::Context ctx(tree, sources, config.max_file_bytes, config.limits);
  render::kustomize::BuildOptions build_options;
  build_options.repo_urls = options.repo_urls;
  std::unique_ptr<ShardLoad> shard;
  if (options.shard) {
    shard = std::make_unique<ShardLoad>();
    shard->shard = *options.shard;
    shard->scope = std::make_shared<ShardScope>(*options.shard);
  }
  // Sharded: a file no unit renders (a plain file, a bad symlink) is reported by the shard of its unit key.
  auto file_is_mine = [&](const std::string& path, std::string_view text) {
    return shard == nullptr || shard->owns(plain_file_key(path, text));
  };
  KustomizeOutcome kustomize = build_kustomizations(ctx, entries, config, threads, build_options, shard.get());
  out.objects = std::move(kustomize.objects);
  out.diagnostics = std::move(kustomize.diags);
  out.notes = std::move(kustomize.notes);
  const auto charts = chart_dirs(entries);
  std::vector<const repo::Entry*> files;
  for (const auto& e : entries) {
    if (excluded(config, e.path)) continue;
    // Any out-of-bounds symlink, not only a `.yaml` one: a directory link may hide manifests, and Argo CD
    // refuses to generate manifests from a repository that has one.
    if (e.kind == repo::EntryKind::kSymlink && e.link_escapes) {
      if (!file_is_mine(e.path, "")) continue;
      const SourceFile* f = sources.add(e.path, "");
      out.diagnostics.push_back(load_error(Span{f, {1, 1}, {1, 1}},
                                           fmt::format("symlink points outside the repository (`{}`); not followed", e.link_target),
                                           "replace the symlink with the file, or exclude it"));
      continue;
    }
    if (!is_yaml_path(e.path) || is_kustomization(e.path)) continue;
    if (kustomize.used_files.count(e.path) != 0) continue;
    if (std::any_of(charts.begin(), charts.end(), [&](const std::string& c) { return under(e.path, c); })) continue;
    if (e.kind == repo::EntryKind::kDirectory) continue;
    if (e.size > config.max_file_bytes) {
      if (!file_is_mine(e.path, "")) continue;
      const SourceFile* f = sources.add(e.path, "");
      out.diagnostics.push_back(load_error(Span{f, {1, 1}, {1, 1}},
                                           fmt::format("file is {} bytes, over the {} limit; not read", e.size,
                                                       k8s::format_memory(static_cast<int64_t>(config.max_file_bytes))),
                                           "split the file, or raise `limits.maxFileSize` in .gitops-lint.yaml"));
      continue;
    }
    files.push_back(&e);
  }
  render_charts(ctx, charts, config, threads, kustomize.helm_charts, out, shard.get());

  std::vector<FileResult> results(files.size());
  // Plain files that may be infrastructure code (Ansible, kubeadm, eksctl, Karpenter), decided while the file
  // is at hand: a file of Kubernetes objects is not, unless of those kinds; a file of none is tested by text.
  std::vector<const SourceFile*> infra_texts(files.size(), nullptr);
  // Sharded: every file is read, and parsed when it is this shard's, or holds what every shard needs (Nodes,
  // Argo CD objects, infrastructure code), or when the repository has Argo CD applications (which decide what
  // is deployed, so that every shard sees the same undeployed files).
  std::vector<repo::ReadResult> texts(shard != nullptr ? files.size() : 0);
  std::vector<char> parse(files.size(), 1);
  std::vector<char> mine(files.size(), 1);
  if (shard != nullptr) {
    std::vector<char> global(files.size(), 0);
    std::vector<std::string> keys(files.size());
    parallel_for(files.size(), threads, [&](size_t i) {
      const auto& e = *files[i];
      texts[i] = tree.read(e.path, config.max_file_bytes);
      const std::string_view text = texts[i].data ? std::string_view(*texts[i].data) : std::string_view();
      keys[i] = plain_file_key(e.path, text);
      if (mentions_argocd(text)) {
        global[i] = 2;
      } else if (declares_kind(text, "Node") || declares_kind(text, "DaemonSet") ||
                 declares_port(text, config.graph.datastore_ports) || infra_candidate(e.path, nullptr) ||
                 infra_kind_marker(text) ||
                 (!looks_like_objects(text) && infra_text_marker(text))) {
        global[i] = 1;
      }
    });
    for (size_t i = 0; i < files.size(); ++i) {
      shard->file_keys[files[i]->path] = keys[i];
      mine[i] = shard->owns(keys[i]) ? 1 : 0;
      if (mine[i] != 0) shard->scope->add_file(files[i]->path);
      if (global[i] != 0) shard->shared_sources.insert(files[i]->path);
      shard->argocd = shard->argocd || global[i] == 2;
    }
    for (size_t i = 0; i < files.size(); ++i) parse[i] = mine[i] != 0 || global[i] != 0 || shard->argocd ? 1 : 0;
  }
  parallel_for(files.size(), threads, [&](size_t i) {
    if (parse[i] == 0) return;
    {
      const auto& e = *files[i];
      auto data = shard != nullptr ? std::move(texts[i]) : tree.read(e.path, config.max_file_bytes);
      if (!data.data) {
        const SourceFile* f = sources.add(e.path, "");
        results[i].diags.push_back(load_error(Span{f, {1, 1}, {1, 1}}, fmt::format("cannot read file: {}", data.error)));
        return;
      }
      const SourceFile* f = sources.add(e.path, std::move(*data.data));
      parse_file(*f, config, results[i]);
      const auto& objs = results[i].objects;
      const bool infra = objs.empty() ? infra_candidate(e.path, f)
                                      : std::any_of(objs.begin(), objs.end(), [](const k8s::Object& o) {
                                          return is_infra_kind(o.kind);
                                        });
      if (infra) infra_texts[i] = f;
    }
  });
  size_t total = out.objects.size();
  for (const auto& r : results) total += r.objects.size();
  out.objects.reserve(total);
  for (size_t i = 0; i < results.size(); ++i) {
    for (auto& o : results[i].objects) out.objects.push_back(std::move(o));
    if (mine[i] == 0) continue;
    for (auto& d : results[i].diags) out.diagnostics.push_back(std::move(d));
  }
  expand_argocd(ctx, config, options, out, shard.get());
  std::map<std::string, const SourceFile*, std::less<>> candidates;
  std::unordered_set<const repo::Entry*> plain(files.begin(), files.end());
  for (size_t i = 0; i < files.size(); ++i) {
    if (infra_texts[i] != nullptr) candidates.emplace(files[i]->path, infra_texts[i]);
  }
  out.infra = read_infrastructure(ctx, entries, config, candidates, plain);
  // Custom resources an operator turns into pods (RabbitmqCluster, Kafka, ...): their pod groups, read through
  // rules/operator-pods.yaml and the config's `operators:`.
  k8s::OperatorPodTable operator_table = k8s::OperatorPodTable::builtin();
  operator_table.add(config.operators);
  k8s::attach_operator_pods(out.objects, operator_table);
  std::set<std::string> environments;
  for (const auto& o : out.objects) {
    if (o.app_chain.empty() && !o.scope.empty()) environments.insert(o.scope);
  }
  if (!environments.empty()) {
    out.notes.push_back(fmt::format(
        "sibling kustomize overlays (or Helm value sets) build the same objects, so each environment (`{}`) was "
        "checked as its own cluster; objects outside those overlays are part of every environment",
        fmt::join(environments, "`, `")));
  }
  if (shard != nullptr) finish_shard(*shard, out);
  return out;
}

namespace {

/// The repository (work tree or revision) a command reads, and its config.
struct Session {
  repo::Location loc;
  std::unique_ptr<repo::FileTree> tree;
  config::Config config;
};

Session open_session(const CheckOptions& options, SourceSet& sources) {
  Session s;
  s.loc = repo::locate(options.path);
  s.tree = open_tree(s.loc, options.rev);
  s.config = options.config_override != nullptr ? *options.config_override
                                                 : read_config(options, *s.tree, s.loc.subdir, sources);
  return s;
}

Loaded load_session(const Session& s, const CheckOptions& options, SourceSet& sources) {
  LoadOptions load_options;
  load_options.threads = options.threads;
  load_options.repo_urls = lazy_remote_urls(s.loc);
  load_options.strict_repos = options.strict_repos;
  load_options.chart_dir = options.chart_dir;
  load_options.shard = options.shard;
  return load_objects(*s.tree, s.loc.subdir, s.config, sources, load_options);
}

}  // namespace

CheckResult run_check(const CheckOptions& options) {
  CheckResult result;
  result.sources = std::make_unique<SourceSet>();
  Session session = open_session(options, *result.sources);
  result.description = session.tree->describe();
  result.config = session.config;
  const auto rules = config::effective_rules(result.config, options.enable, options.disable);

  PhaseTimer timer;
  Loaded loaded = load_session(session, options, *result.sources);
  result.apps = std::move(loaded.apps);
  timer.lap("load");
  if (options.kubeconfig || options.context) use_live_nodes(options, loaded, *result.sources);
  result.notes = std::move(loaded.notes);

  k8s::Inventory inventory = make_inventory(loaded, result.config, result.notes);
  // Rules are pure functions of the graph: run them on all cores. The sink is thread-safe and
  // finalize() sorts, so the output does not depend on which rule finished first.
  diag::DiagnosticSink sink;
  std::vector<const config::EffectiveRule*> checks;
  for (const auto& r : rules) {
    // Findings of the loader and renderers (load-error, render-error, Argo CD rules, ...).
    for (auto& d : loaded.diagnostics) {
      if (d.rule != r.info->id) continue;
      d.severity = d.severity == Severity::kWarning ? rules::lesser(r.severity) : r.severity;
      sink.report(std::move(d));
    }
    if (r.info->check) checks.push_back(&r);
  }
  auto run_rules = [&](const graph::Graph& g) {
    diag::DiagnosticSink scope_sink;
    parallel_for(checks.size(), options.threads, [&](size_t i) {
      PhaseTimer rule_timer;
      rules::RuleContext ctx{g, checks[i]->options, scope_sink, checks[i]->severity, checks[i]->info->id,
                             options.threads};
      checks[i]->info->check(ctx);
      rule_timer.lap(checks[i]->info->id);
    });
    auto diags = scope_sink.take();
    apply_suppressions(diags, g);
    if (loaded.shard) std::erase_if(diags, [&](const diag::Diagnostic& d) { return !loaded.shard->keep(d); });
    return diags;
  };

  std::set<std::string> scopes;
  for (const auto& o : loaded.objects) {
    if (!o.scope.empty()) scopes.insert(o.scope);
  }
  if (scopes.empty()) {
    result.graph = graph::build_graph(std::move(loaded.objects), std::move(inventory), result.config.graph,
                                      options.threads);
    timer.lap("graph");
    for (auto& d : run_rules(result.graph)) sink.report(std::move(d));
  } else {
    // One graph per environment (its own objects plus the shared ones); a finding that only some
    // environments have says which.
    struct Seen {
      diag::Diagnostic diag;
      std::vector<std::string> scopes;
    };
    std::map<std::tuple<std::string, std::string, uint32_t, uint32_t, std::string>, Seen> seen;
    for (const auto& scope : scopes) {
      std::vector<k8s::Object> objects;
      for (const auto& o : loaded.objects) {
        if (o.scope.empty() || o.scope == scope) objects.push_back(o);
      }
      const graph::Graph g = graph::build_graph(std::move(objects), inventory, result.config.graph, options.threads);
      for (auto& d : run_rules(g)) {
        auto key = std::make_tuple(d.rule, std::string(d.file()), d.line(), d.column(), d.message);
        auto [it, fresh] = seen.try_emplace(std::move(key), Seen{std::move(d), {}});
        it->second.scopes.push_back(scope);
      }
    }
    for (auto& [key, s] : seen) {
      if (s.scopes.size() < scopes.size()) {
        s.diag.notes.push_back(fmt::format("only in the `{}` environment{} (sibling overlays, Helm value sets or Argo CD root applications)",
                                           fmt::join(s.scopes, "`, `"), s.scopes.size() > 1 ? "s" : ""));
      }
      sink.report(std::move(s.diag));
    }
    result.graph = graph::build_graph(std::move(loaded.objects), std::move(inventory), result.config.graph,
                                      options.threads);
    timer.lap("graph+rules");
  }
  timer.lap("rules");
  result.diagnostics = sink.take();
  for (auto& d : result.diagnostics) {
    if (d.application.empty()) continue;
    d.notes.push_back(d.application.size() == 1
                          ? fmt::format("deployed by Argo CD application `{}`", d.application.front())
                          : fmt::format("deployed by Argo CD application `{}` (through `{}`)", d.application.back(),
                                        fmt::join(d.application.begin(), d.application.end() - 1, "` -> `")));
  }
  diag::redact_secrets(result.diagnostics, *result.sources);
  diag::finalize(result.diagnostics);
  timer.lap("finalize");
  if (!options.changed.empty()) {
    keep_changed(result.diagnostics, repo_relative_paths(options.changed, session.loc.root), result.graph,
                 result.config);
  }
  if (options.base || options.baseline) {
    BaseFingerprints base;
    if (options.baseline) base = read_baseline(*options.baseline);
    if (options.base) {
      // The same check of the base revision, with this tree's config, so only the manifests' change counts.
      CheckOptions base_options = options;
      base_options.rev = *options.base;
      base_options.base.reset();
      base_options.baseline.reset();
      base_options.changed.clear();
      base_options.config_override = &result.config;
      const CheckResult base_result = run_check(base_options);
      for (const auto& [fingerprint, count] : fingerprints_of(base_result.diagnostics)) base[fingerprint] += count;
      timer.lap("base");
    }
    mark_new(result.diagnostics, std::move(base), options.include_existing);
  }
  return result;
}

Desired load_desired(const CheckOptions& options) {
  Desired d;
  d.sources = std::make_unique<SourceSet>();
  const Session session = open_session(options, *d.sources);
  d.description = session.tree->describe();
  d.config = session.config;
  d.loaded = load_session(session, options, *d.sources);
  return d;
}

AppsResult run_apps(const CheckOptions& options) {
  AppsResult result;
  result.sources = std::make_unique<SourceSet>();
  const Session session = open_session(options, *result.sources);
  Loaded loaded = load_session(session, options, *result.sources);
  result.apps = std::move(loaded.apps);
  result.notes = std::move(loaded.notes);
  for (auto& d : loaded.diagnostics) {
    if (d.rule != kLoadError) result.diagnostics.push_back(std::move(d));
  }
  diag::redact_secrets(result.diagnostics, *result.sources);
  diag::finalize(result.diagnostics);
  return result;
}

InventoryResult run_inventory(const CheckOptions& options) {
  InventoryResult result;
  result.sources = std::make_unique<SourceSet>();
  const Session session = open_session(options, *result.sources);
  const Loaded loaded = load_session(session, options, *result.sources);
  result.inventory = make_inventory(loaded, session.config, result.notes);
  return result;
}

RenderOutput run_render(const RenderOptions& options) {
  if (options.format != "yaml" && options.format != "json")
    throw FatalError(fmt::format("unknown render format `{}` (yaml or json)", options.format));
  RenderOutput out;
  out.sources = std::make_unique<SourceSet>();
  repo::Location loc = repo::locate(options.path);
  if (options.root || !loc.is_git) {
    // Outside Git, bases in sibling directories (`../base`) are still part of the repository: take the
    // given root, or the current directory when it holds DIR.
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path root = fs::canonical(options.root ? fs::path(*options.root) : fs::current_path(), ec);
    const fs::path dir = fs::canonical(options.path, ec);
    const auto rel = dir.lexically_relative(root).generic_string();
    if (!ec && !rel.empty() && !rel.starts_with("..")) {
      loc.root = root.string();
      loc.subdir = rel == "." ? "" : rel;
    } else if (options.root) {
      throw FatalError(fmt::format("`{}` is not inside --root `{}`", options.path, *options.root));
    }
  }
  auto tree = open_tree(loc, options.rev);
  CheckOptions copts;
  copts.config_path = options.config_path;
  const config::Config config = read_config(copts, *tree, loc.subdir, *out.sources);
  bool found = false;
  for (auto name : {"kustomization.yaml", "kustomization.yml", "Kustomization"}) {
    if (tree->stat(join_path(loc.subdir, name))) found = true;
  }
  render::Context ctx(*tree, *out.sources, config.max_file_bytes, config.limits);
  if (!found && render::helm::is_chart_dir(*tree, loc.subdir)) {
    render::helm::RenderOptions hopts;
    hopts.release_name = options.release_name;
    hopts.ns = options.ns;
    hopts.kube_version = options.kube_version;
    hopts.set = options.set;
    hopts.set_string = options.set_string;
    namespace fs = std::filesystem;
    for (const auto& f : options.value_files) {
      // -f paths are given relative to the current directory; the chart reads them from the repository.
      std::error_code ec;
      const auto abs = fs::weakly_canonical(fs::absolute(f), ec);
      const auto rel = abs.lexically_relative(loc.root).generic_string();
      if (ec || rel.empty() || rel.starts_with("..")) {
        throw FatalError(fmt::format("values file `{}` is outside the repository `{}`", f, loc.root));
      }
      hopts.value_files.push_back(rel);
    }
    auto rendered = render::helm::render_chart(ctx, loc.subdir, hopts);
    for (auto& e : rendered.errors) {
      out.diagnostics.push_back(render_error(std::move(e)));
    }
    diag::redact_secrets(out.diagnostics, *out.sources);
    diag::finalize(out.diagnostics);
    out.text = rendered.text();
    return out;
  }
  if (!found) {
    throw FatalError(fmt::format(
        "`{}` holds no kustomization.yaml, kustomization.yml or Kustomization, and no Chart.yaml", options.path));
  }
  render::kustomize::BuildOptions build_options;
  build_options.repo_urls = lazy_remote_urls(loc);
  auto built = render::kustomize::build(ctx, loc.subdir, build_options);
  for (auto& e : built.errors) {
    out.diagnostics.push_back(render_error(std::move(e)));
  }
  diag::redact_secrets(out.diagnostics, *out.sources);
  diag::finalize(out.diagnostics);
  if (!built.ok()) return out;
  if (options.format == "json") {
    // One JSON array of objects, like `kubectl get -o json` lists' items.
    out.text = "[";
    for (size_t i = 0; i < built.objects.size(); ++i) {
      if (i > 0) out.text += ",\n";
      out.text += render::to_json(built.objects[i]);
    }
    out.text += "]\n";
  } else {
    std::vector<const render::MNode*> docs;
    docs.reserve(built.objects.size());
    for (const auto& o : built.objects) docs.push_back(&o);
    out.text = render::to_yaml(docs);
  }
  return out;
}

}  // namespace gl::cli
