#include "render/argocd/expand.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "core/strings.h"
#include "render/helm/archive.h"
#include "render/helm/chart.h"
#include "render/helm/render.h"
#include "render/kustomize/kustomize.h"
#include "render/repo_url.h"
#include "render/tree.h"

namespace gl::render::argocd {
namespace {

constexpr std::string_view kAppSourceMissing = "app-source-missing";
constexpr std::string_view kAppSetGeneratesNothing = "appset-generates-nothing";
constexpr std::string_view kSkipMarker = "+argocd:skip-file-rendering";
constexpr size_t kMaxDepth = 64;  ///< app-of-apps nesting deeper than this is reported, not followed

std::string text_at(const yaml::Node* n) {
  return n != nullptr && n->is_scalar() ? std::string(n->str()) : std::string();
}

bool truthy(const yaml::Node* n) { return n != nullptr && n->is_scalar() && n->str() == "true"; }

Span span_of(const yaml::Node* n, Span fallback) { return n != nullptr ? n->span() : fallback; }

RenderError make_error(Span at, std::string message, std::string help, std::string_view rule = {}) {
  RenderError e(at, std::move(message), std::move(help));
  e.rule = std::string(rule);
  return e;
}

/// Expands `{a,b}` alternatives (nested allowed) into plain patterns.
void expand_braces(std::string_view p, std::vector<std::string>& out, size_t budget = 256) {
  size_t open = std::string_view::npos;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
    } else if (p[i] == '{') {
      open = i;
      break;
    }
  }
  if (open == std::string_view::npos || out.size() >= budget) {
    out.emplace_back(p);
    return;
  }
  int depth = 0;
  size_t close = std::string_view::npos;
  std::vector<size_t> commas;
  for (size_t i = open; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
    } else if (p[i] == '{') {
      ++depth;
    } else if (p[i] == '}') {
      if (--depth == 0) {
        close = i;
        break;
      }
    } else if (p[i] == ',' && depth == 1) {
      commas.push_back(i);
    }
  }
  if (close == std::string_view::npos) {
    out.emplace_back(p);
    return;
  }
  size_t start = open + 1;
  commas.push_back(close);
  for (size_t c : commas) {
    std::string alt(p.substr(0, open));
    alt += p.substr(start, c - start);
    alt += p.substr(close + 1);
    expand_braces(alt, out, budget);
    start = c + 1;
  }
}

/// `*` any run (slashes too), `?` one character, `[...]` a class (`!` negates, ranges), `\` escapes.
bool wildcard(std::string_view p, std::string_view s) {
  size_t pi = 0;
  size_t si = 0;
  size_t star_p = std::string_view::npos;
  size_t star_s = 0;
  while (si < s.size()) {
    if (pi < p.size()) {
      const char c = p[pi];
      if (c == '*') {
        while (pi < p.size() && p[pi] == '*') ++pi;
        star_p = pi;
        star_s = si;
        continue;
      }
      if (c == '[') {
        size_t j = pi + 1;
        const bool negate = j < p.size() && (p[j] == '!' || p[j] == '^');
        if (negate) ++j;
        bool matched = false;
        const size_t first = j;
        while (j < p.size() && (p[j] != ']' || j == first)) {
          if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
            if (s[si] >= p[j] && s[si] <= p[j + 2]) matched = true;
            j += 3;
          } else {
            if (s[si] == p[j]) matched = true;
            ++j;
          }
        }
        if (j < p.size() && matched != negate) {
          pi = j + 1;
          ++si;
          continue;
        }
      } else if (c == '?' || (c == '\\' && pi + 1 < p.size() && p[pi + 1] == s[si]) || (c != '\\' && c == s[si])) {
        pi += c == '\\' ? 2 : 1;
        ++si;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    pi = star_p;
    si = ++star_s;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

/// Argo CD's image override `[old=]new[:tag|@digest]` as a kustomize `images` entry.
MNode image_entry(const yaml::Node& item) {
  const std::string text(item.str());
  MNode e = MNode::map(item.span());
  std::string name = text;
  std::string target = text;
  if (auto eq = text.find('='); eq != std::string::npos) {
    name = text.substr(0, eq);
    target = text.substr(eq + 1);
  }
  std::string new_name = target;
  std::string tag;
  std::string digest;
  if (auto at = target.find('@'); at != std::string::npos) {
    new_name = target.substr(0, at);
    digest = target.substr(at + 1);
  } else if (auto colon = target.rfind(':'); colon != std::string::npos && target.find('/', colon) == std::string::npos) {
    new_name = target.substr(0, colon);
    tag = target.substr(colon + 1);
  }
  if (name == text) {
    // No `old=`: the image keeps its name and gets the tag or digest.
    name = new_name;
  }
  const Span at = item.span();
  e.set("name", MNode::string(name, at), at);
  if (new_name != name) e.set("newName", MNode::string(new_name, at), at);
  if (!tag.empty()) e.set("newTag", MNode::string(tag, at), at);
  if (!digest.empty()) e.set("digest", MNode::string(digest, at), at);
  return e;
}

/// spec.source.kustomize as the overrides `kustomize edit` would write into the kustomization.
MNode kustomize_overrides(const yaml::Node& k) {
  MNode o = MNode::map(k.span());
  for (auto key : {"namePrefix", "nameSuffix", "namespace"}) {
    if (const auto* v = k.get(key); v != nullptr && v->is_scalar() && !v->str().empty()) {
      o.set(key, MNode::from(*v), v->span());
    }
  }
  if (const auto* images = k.get("images"); images != nullptr && images->is_seq()) {
    MNode list = MNode::seq(images->span());
    for (const auto& item : images->items()) {
      if (item.is_scalar()) list.items.push_back(image_entry(item));
    }
    o.set("images", std::move(list), images->span());
  }
  if (const auto* labels = k.get("commonLabels"); labels != nullptr && labels->is_map()) {
    if (truthy(k.get("labelWithoutSelector"))) {
      MNode entry = MNode::map(labels->span());
      entry.set("pairs", MNode::from(*labels), labels->span());
      entry.set("includeSelectors", MNode::scalar("false", labels->span()), labels->span());
      if (truthy(k.get("labelIncludeTemplates"))) {
        entry.set("includeTemplates", MNode::scalar("true", labels->span()), labels->span());
      }
      MNode list = MNode::seq(labels->span());
      list.items.push_back(std::move(entry));
      o.set("labels", std::move(list), labels->span());
    } else {
      o.set("commonLabels", MNode::from(*labels), labels->span());
    }
  }
  for (auto key : {"commonAnnotations", "replicas", "patches", "components"}) {
    if (const auto* v = k.get(key); v != nullptr && !v->is_null()) o.set(key, MNode::from(*v), v->span());
  }
  return o;
}

/// Escapes unescaped commas in a --set value, as Argo CD does for helm parameters.
std::string escape_commas(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == ',' && (i == 0 || v[i - 1] != '\\')) out += '\\';
    out += v[i];
  }
  return out;
}

/// What rendering one source produced.
struct SourceOutput {
  std::vector<MNode> objects;
  std::vector<RenderError> errors;
  std::vector<std::string> notes;
  std::set<std::string> covered;
  bool external = false;
  std::string description;
};

/// Everything an application's sources produced.
struct AppOutput {
  std::optional<Application> app;
  std::vector<MNode> objects;
  std::vector<RenderError> errors;
  std::vector<std::string> notes;
  std::set<std::string> covered;
  std::vector<std::string> sources;
  std::string status;
};

class Expander {
 public:
  Expander(Context& ctx, const ExpandOptions& options) : ctx_(ctx), options_(options) {}

  Expansion run(const std::vector<const k8s::Object*>& found);

 private:
  struct Visit {
    std::string root_dir;  ///< directory of the file defining the root of this tree (environments)
    std::vector<std::string> chain;
    std::vector<int64_t> waves;
    std::vector<Span> wave_spans;
    std::string parent;
    std::string generated_by;
    /// Applications an ApplicationSet generates are created by its controller, not synced by a parent: in
    /// the parent's sync they sit where the ApplicationSet is.
    std::optional<int64_t> wave_override;
    Span wave_override_at;
  };

  static std::string key_of(const k8s::Object& o) {
    const std::string ns = o.namespace_explicit ? o.name_space : std::string(kDefaultAppNamespace);
    return fmt::format("{}/{}/{}", o.kind, ns, o.name);
  }

  const AppOutput& render_app(const k8s::Object& o);
  const AppSetResult& generate_set(const k8s::Object& o);
  void visit(const k8s::Object& o, const Visit& v);
  void visit_app(const k8s::Object& o, const Visit& v);
  void visit_set(const k8s::Object& o, const Visit& v);

  SourceOutput render_source(const Application& app, const AppSource& src);
  void render_directory(const AppSource& src, SourceOutput& out);
  void render_kustomize(const AppSource& src, SourceOutput& out);
  void render_helm(const Application& app, const AppSource& src, SourceOutput& out);
  void render_helm_in(Context& ctx, const std::string& chart_path, const Application& app, const AppSource& src,
                      SourceOutput& out);
  /// A registry chart found in --chart-dir; false when it is not there.
  bool render_chart_dir(const Application& app, const AppSource& src, SourceOutput& out);
  std::optional<std::string> resolve_value_file(Context& ctx, const std::string& chart_path, const Application& app,
                                                const AppSource& src, const yaml::Node& item, SourceOutput& out);
  void note_fallback(std::string_view url);

  Context& ctx_;
  const ExpandOptions& options_;
  Expansion result_;
  std::map<std::string, std::unique_ptr<AppOutput>> apps_;     ///< memo by key + file
  std::map<std::string, std::unique_ptr<AppSetResult>> sets_;  ///< memo by key + file
  std::vector<std::unique_ptr<k8s::Object>> generated_;        ///< Applications generated by ApplicationSets
  std::set<std::string> visited_;
  std::vector<std::string> stack_;
  std::set<std::string> fallback_urls_;
  std::set<std::string> external_urls_;
  struct IgnoredWave {
    Span at;
    std::string set;
    int64_t set_wave = 0;
    std::vector<std::string> apps;
  };
  /// sync-wave annotations on generated Applications (which no parent syncs), by template position.
  std::map<std::tuple<std::string, uint32_t, uint32_t>, IgnoredWave> ignored_waves_;
  std::vector<std::string> object_roots_;
  std::vector<std::string> object_clusters_;  ///< destination cluster of each object ("" = Argo CD's own cluster)  ///< directory of the root file of each object in result_.objects
};

/// The destination cluster of an application: "" for the cluster Argo CD runs in, else its name or server
/// (a configured cluster's name when its server is given).
std::string cluster_of(const Application& app) {
  if (!app.dest_name.empty()) return app.dest_name == "in-cluster" ? std::string() : app.dest_name;
  if (app.dest_server.empty() || app.dest_server == kInClusterServer) return {};
  return app.dest_server;
}

std::string memo_key(const k8s::Object& o) {
  return fmt::format("{}/{}/{}@{}:{}", o.kind, o.name_space, o.name, o.file != nullptr ? o.file->path() : "",
                     o.anchor().span().begin.line);
}

void Expander::note_fallback(std::string_view url) {
  if (!fallback_urls_.insert(std::string(url)).second) return;
  const auto known = options_.repos->known();
  result_.notes.push_back(fmt::format(
      "repoURL `{}` is not a remote of this checkout ({}), but the paths its applications use exist here: they "
      "are rendered from the tree being checked; list it under `argocd.repositories` in .gitops-lint.yaml to "
      "say it is this repository, or under `argocd.external` (or use --strict-repos) to skip it",
      url, known.empty() ? std::string("no remotes") : fmt::format("remotes: {}", fmt::join(known, ", "))));
}

void Expander::render_directory(const AppSource& src, SourceOutput& out) {
  const yaml::Node* dir = src.directory;
  const bool recurse = dir != nullptr && truthy(dir->get("recurse"));
  const std::string include = dir != nullptr ? text_at(dir->get("include")) : std::string();
  const std::string exclude = dir != nullptr ? text_at(dir->get("exclude")) : std::string();
  std::vector<std::string> includes;
  std::vector<std::string> excludes;
  if (!include.empty()) expand_braces(include, includes);
  if (!exclude.empty()) expand_braces(exclude, excludes);
  auto any = [](const std::vector<std::string>& patterns, std::string_view rel) {
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return wildcard(p, rel); });
  };
  out.covered.insert(src.path);
  for (const auto& e : ctx_.tree().walk(src.path)) {
    if (e.kind == repo::EntryKind::kDirectory) continue;
    const std::string_view rel =
        src.path.empty() ? std::string_view(e.path) : std::string_view(e.path).substr(src.path.size() + 1);
    if (!recurse && rel.find('/') != std::string_view::npos) continue;
    const std::string_view base = basename(e.path);
    const bool jsonnet = base.ends_with(".jsonnet");
    if (!(base.ends_with(".yaml") || base.ends_with(".yml") || base.ends_with(".json") || jsonnet)) continue;
    if (!excludes.empty() && any(excludes, rel)) continue;
    if (!includes.empty() && !any(includes, rel)) continue;
    const Span at = span_of(src.node->get("path"), src.node->span());
    if (e.kind == repo::EntryKind::kSymlink && e.link_escapes) {
      out.errors.push_back(make_error(at, fmt::format("illegal filepath in symlink at `{}`", e.path),
                                      "Argo CD refuses symlinks that leave the repository; replace it with the file"));
      continue;
    }
    if (jsonnet) {
      out.errors.push_back(make_error(at, fmt::format("`{}` is jsonnet, which gitops-lint does not evaluate", e.path),
                                      "the application's other files are still checked; exclude it with "
                                      "`directory.exclude` if Argo CD should not read it either"));
      continue;
    }
    auto loaded = ctx_.yaml(e.path);
    out.covered.insert(e.path);
    if (loaded->file != nullptr && loaded->file->text().find(kSkipMarker) != std::string_view::npos) continue;
    if (!loaded->read_error.empty()) {
      out.errors.push_back(make_error(at, fmt::format("cannot read `{}`: {}", e.path, loaded->read_error), {}));
      continue;
    }
    if (!loaded->errors.empty()) {
      const auto& pe = loaded->errors.front();
      out.errors.push_back(make_error(Span{loaded->file, pe.mark, pe.mark},
                                      fmt::format("failed to unmarshal `{}`: {}", base, pe.message),
                                      "fix the YAML: Argo CD fails the whole application on it"));
      continue;
    }
    for (const auto& doc : loaded->documents) {
      if (doc.root.is_null()) continue;
      const yaml::Node* kind = doc.root.is_map() ? doc.root.get("kind") : nullptr;
      const yaml::Node* api = doc.root.is_map() ? doc.root.get("apiVersion") : nullptr;
      if (kind == nullptr || api == nullptr || kind->str().empty()) {
        out.errors.push_back(make_error(
            doc.root.span(),
            fmt::format("`{}`: Object '{}' is missing", base, kind == nullptr || kind->str().empty() ? "Kind" : "apiVersion"),
            "a directory application applies every YAML document it finds: make it a Kubernetes object, or exclude "
            "the file with `directory.exclude`"));
        continue;
      }
      if (api->str().starts_with("kustomize.config.k8s.io/") && (kind->str() == "Kustomization" || kind->str() == "Component")) {
        // A directory source applies files as they are; Argo CD would send this to the API server and fail.
        out.errors.push_back(make_error(
            kind->span(),
            fmt::format("directory source applies `{}` as an object of kind {}: Argo CD does not run kustomize "
                        "for a directory application",
                        e.path, kind->str()),
            "point the application at the kustomization's directory (without `directory:` settings), or exclude "
            "the file with `directory.exclude`"));
        continue;
      }
      if (kind->str() == "List" && api->str() == "v1") {
        if (const auto* items = doc.root.get("items"); items != nullptr && items->is_seq()) {
          for (const auto& item : items->items()) out.objects.push_back(MNode::from(item));
        }
        continue;
      }
      out.objects.push_back(MNode::from(doc.root));
    }
  }
}

void Expander::render_kustomize(const AppSource& src, SourceOutput& out) {
  kustomize::BuildOptions bo;
  bo.repo_urls = options_.repo_urls;
  MNode overrides;
  if (src.kustomize != nullptr) {
    overrides = kustomize_overrides(*src.kustomize);
    bo.overrides = &overrides;
  }
  auto built = kustomize::build(ctx_, src.path, bo);
  for (auto& e : built.errors) out.errors.push_back(std::move(e));
  out.covered.insert(built.kustomizations.begin(), built.kustomizations.end());
  out.covered.insert(built.files.begin(), built.files.end());
  out.covered.insert(built.helm_charts.begin(), built.helm_charts.end());
  out.objects = std::move(built.objects);
}

std::optional<std::string> Expander::resolve_value_file(Context& ctx, const std::string& chart_path,
                                                        const Application& app, const AppSource& src,
                                                        const yaml::Node& item, SourceOutput& out) {
  const std::string file(item.str());
  const bool ignore_missing = src.helm != nullptr && truthy(src.helm->get("ignoreMissingValueFiles"));
  if (file.find("://") != std::string::npos) {
    out.notes.push_back(fmt::format("value file `{}` is a URL; it is not fetched", file));
    return std::nullopt;
  }
  std::string path;
  if (file.starts_with("$")) {
    // Multi-source: `$ref/path` is a path in the source whose `ref` is `ref`.
    const auto slash = file.find('/');
    const std::string ref = file.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    const AppSource* target = nullptr;
    for (const auto& s : app.sources) {
      if (s.ref == ref) target = &s;
    }
    if (target == nullptr) {
      out.errors.push_back(make_error(item.span(), fmt::format("value file `{}` names no source with `ref: {}`", file, ref),
                                      "add `ref` to the source that holds the file", kAppSourceMissing));
      return std::nullopt;
    }
    const std::string rest = slash == std::string::npos ? std::string() : file.substr(slash + 1);
    if (&ctx != &ctx_) {
      out.notes.push_back(fmt::format("value file `{}` is not read for a chart from --chart-dir", file));
      return std::nullopt;
    }
    if (options_.repos->classify(target->repo_url, rest, ctx_.tree()) == RepoMatcher::Verdict::kExternal) {
      out.notes.push_back(fmt::format("value file `{}` is in `{}`, another repository; it is not read", file,
                                      target->repo_url));
      return std::nullopt;
    }
    path = rest;
  } else {
    path = file.starts_with("/") && &ctx == &ctx_ ? file.substr(1) : join_path(chart_path, file);
  }
  bool ok = true;
  path = normalize_path(path, &ok);
  if (!ok) {
    out.errors.push_back(make_error(item.span(), fmt::format("value file `{}` is outside the repository", file),
                                    "keep value files inside the repository", kAppSourceMissing));
    return std::nullopt;
  }
  if (!ctx.tree().stat(path)) {
    if (ignore_missing) {
      out.notes.push_back(fmt::format("value file `{}` does not exist (ignored: ignoreMissingValueFiles)", path));
      return std::nullopt;
    }
    out.errors.push_back(make_error(item.span(), fmt::format("value file `{}` does not exist at the revision being checked", path),
                                    "fix the path, or set `ignoreMissingValueFiles: true` if it is optional",
                                    kAppSourceMissing));
    return std::nullopt;
  }
  if (&ctx == &ctx_) out.covered.insert(path);
  return path;
}

void Expander::render_helm(const Application& app, const AppSource& src, SourceOutput& out) {
  render_helm_in(ctx_, src.path, app, src, out);
}

bool Expander::render_chart_dir(const Application& app, const AppSource& src, SourceOutput& out) {
  if (options_.chart_dir == nullptr) return false;
  const repo::FileTree& dir = *options_.chart_dir;
  const std::string archive = fmt::format("{}-{}.tgz", src.chart, src.target_revision);
  std::vector<std::pair<std::string, std::string>> files;
  std::string root;
  if (auto st = dir.stat(archive); st && st->kind != repo::EntryKind::kDirectory) {
    auto data = dir.read(archive, ctx_.max_file_bytes());
    std::string error;
    std::optional<std::vector<std::pair<std::string, std::string>>> members;
    if (data.data) members = helm::read_tgz(*data.data, &error);
    if (!members) {
      out.errors.push_back(make_error(span_of(src.node->get("chart"), src.node->span()),
                                      fmt::format("cannot unpack `{}` of --chart-dir: {}", archive,
                                                  data.data ? error : data.error),
                                      "replace the archive with the one `helm pull` writes"));
      return true;
    }
    // Members are `NAME/...`; the chart is read from an in-memory tree named after the archive.
    for (auto& [path, text] : *members) files.emplace_back(fmt::format("{}/{}/{}", options_.chart_dir_name, archive, path), std::move(text));
    root = fmt::format("{}/{}/{}", options_.chart_dir_name, archive, src.chart);
  } else if (auto cst = dir.stat(join_path(src.chart, "Chart.yaml")); cst) {
    for (const auto& e : dir.walk(src.chart)) {
      if (e.kind != repo::EntryKind::kFile) continue;
      auto data = dir.read(e.path, ctx_.max_file_bytes());
      if (data.data) files.emplace_back(fmt::format("{}/{}", options_.chart_dir_name, e.path), std::move(*data.data));
    }
    root = fmt::format("{}/{}", options_.chart_dir_name, src.chart);
  } else {
    return false;
  }
  auto tree = repo::open_memory_tree(std::move(files));
  Context chart_ctx(*tree, ctx_.sources(), ctx_.max_file_bytes(), ctx_.limits());
  out.notes.push_back(fmt::format("application `{}`: chart `{}` {} rendered from --chart-dir (`{}`)", app.name,
                                  src.chart, src.target_revision, root));
  render_helm_in(chart_ctx, root, app, src, out);
  return true;
}

void Expander::render_helm_in(Context& ctx, const std::string& chart_path, const Application& app,
                              const AppSource& src, SourceOutput& out) {
  helm::RenderOptions ho;
  const yaml::Node* h = src.helm;
  ho.release_name = app.name;
  ho.ns = app.dest_namespace.empty() ? "default" : app.dest_namespace;
  ho.kube_version = options_.kube_version;
  ho.api_versions = options_.api_versions;
  ho.include_crds = true;
  yaml::Arena arena;
  yaml::Node inline_values;
  if (h != nullptr) {
    if (auto name = text_at(h->get("releaseName")); !name.empty()) ho.release_name = name;
    if (auto ns = text_at(h->get("namespace")); !ns.empty()) ho.ns = ns;
    if (auto kv = text_at(h->get("kubeVersion")); !kv.empty()) ho.kube_version = kv;
    if (truthy(h->get("skipCrds"))) ho.include_crds = false;
    if (const auto* apis = h->get("apiVersions"); apis != nullptr && apis->is_seq()) {
      for (const auto& a : apis->items()) ho.api_versions.emplace_back(a.str());
    }
    if (const auto* files = h->get("valueFiles"); files != nullptr && files->is_seq()) {
      for (const auto& item : files->items()) {
        if (auto path = resolve_value_file(ctx, chart_path, app, src, item, out)) ho.value_files.push_back(*path);
      }
    }
    // valuesObject wins over values; either is merged after the value files.
    const yaml::Node* object = h->get("valuesObject");
    const yaml::Node* text = h->get("values");
    if (object != nullptr && object->is_map()) {
      ho.inline_values = object;
    } else if (text != nullptr && text->is_scalar() && !trim(text->str()).empty()) {
      std::string error;
      auto docs = parse_embedded(MNode::from(*text), &error);
      if (!error.empty()) {
        out.errors.push_back(make_error(text->span(), fmt::format("helm.values is not YAML: {}", error),
                                        "fix the values block"));
      } else if (!docs.empty()) {
        inline_values = docs.front().freeze(arena);
        ho.inline_values = &inline_values;
      }
    } else if (text != nullptr && text->is_map()) {
      ho.inline_values = text;
    }
    ho.inline_after = ho.value_files.size();
    if (const auto* params = h->get("parameters"); params != nullptr && params->is_seq()) {
      for (const auto& p : params->items()) {
        const std::string expr = fmt::format("{}={}", text_at(p.get("name")), escape_commas(text_at(p.get("value"))));
        (truthy(p.get("forceString")) ? ho.set_string : ho.set).push_back(expr);
      }
    }
  }
  auto rendered = helm::render_chart(ctx, chart_path, ho);
  for (auto& e : rendered.errors) out.errors.push_back(std::move(e));
  if (&ctx == &ctx_) out.covered.insert(chart_path);
  for (auto& m : rendered.manifests) {
    if (m.object.is_map()) out.objects.push_back(std::move(m.object));
  }
}

SourceOutput Expander::render_source(const Application& app, const AppSource& src) {
  SourceOutput out;
  const Span at = span_of(src.node->get("repoURL"), src.node->span());
  if (!src.chart.empty()) {
    out.description = fmt::format("chart {} {} from {}", src.chart, src.target_revision, src.repo_url);
    if (render_chart_dir(app, src, out)) return out;
    out.external = true;
    external_urls_.insert(src.repo_url);
    return out;
  }
  out.description = fmt::format("{}{}", src.path.empty() ? "." : src.path,
                                src.repo_url.empty() ? std::string() : fmt::format(" ({})", src.repo_url));
  if (!src.ref.empty() && src.node->get("path") == nullptr) {
    out.description = fmt::format("ref {} ({})", src.ref, src.repo_url);
    return out;  // only provides value files to the other sources
  }
  const auto verdict = options_.repos->classify(src.repo_url, src.path, ctx_.tree());
  if (verdict == RepoMatcher::Verdict::kExternal) {
    out.external = true;
    external_urls_.insert(src.repo_url);
    return out;
  }
  if (verdict == RepoMatcher::Verdict::kFallback) note_fallback(src.repo_url);
  const Span path_at = span_of(src.node->get("path"), at);
  const auto st = ctx_.tree().stat(src.path);
  if (!st || st->kind != repo::EntryKind::kDirectory) {
    out.errors.push_back(make_error(
        path_at,
        st ? fmt::format("source path `{}` is a file, not a directory", src.path)
           : fmt::format("source path `{}` does not exist at the revision being checked", src.path.empty() ? "." : src.path),
        "point `path` at a directory of this repository (Argo CD reports `app path does not exist`)", kAppSourceMissing));
    return out;
  }
  SourceType type = SourceType::kDirectory;
  if (src.explicit_type) {
    type = *src.explicit_type;
  } else if ((ctx_.tree().stat(join_path(src.path, "kustomization.yaml")) ||
              ctx_.tree().stat(join_path(src.path, "kustomization.yml")) ||
              ctx_.tree().stat(join_path(src.path, "Kustomization")))) {
    type = SourceType::kKustomize;
  } else if (ctx_.tree().stat(join_path(src.path, "Chart.yaml"))) {
    type = SourceType::kHelm;
  }
  out.description += fmt::format(" [{}]", to_string(type));
  switch (type) {
    case SourceType::kDirectory: render_directory(src, out); break;
    case SourceType::kKustomize: render_kustomize(src, out); break;
    case SourceType::kHelm: render_helm(app, src, out); break;
    case SourceType::kPlugin:
      out.external = true;
      out.notes.push_back(fmt::format("application `{}` uses a config management plugin; its manifests are not "
                                      "rendered",
                                      app.name));
      break;
  }
  return out;
}

const AppOutput& Expander::render_app(const k8s::Object& o) {
  auto& slot = apps_[memo_key(o)];
  if (slot) return *slot;
  slot = std::make_unique<AppOutput>();
  AppOutput& out = *slot;
  out.app = parse_application(o, out.errors);
  if (!out.app) {
    out.status = "error";
    return out;
  }
  if (options_.render_filter && !options_.render_filter(*out.app, out.covered)) {
    out.status = "skipped";
    return out;
  }
  bool any_local = false;
  bool any_error = !out.errors.empty();
  for (const auto& src : out.app->sources) {
    SourceOutput s = render_source(*out.app, src);
    out.sources.push_back(s.description);
    if (!s.external && (src.ref.empty() || src.node->get("path") != nullptr)) any_local = true;
    // A lesser error (a chart dependency Argo CD would fetch) leaves the application rendered, partly.
    if (std::any_of(s.errors.begin(), s.errors.end(), [](const RenderError& e) { return !e.lesser; })) any_error = true;
    for (auto& m : s.objects) out.objects.push_back(std::move(m));
    for (auto& e : s.errors) out.errors.push_back(std::move(e));
    for (auto& n : s.notes) out.notes.push_back(std::move(n));
    out.covered.insert(s.covered.begin(), s.covered.end());
  }
  out.status = any_error ? "error" : any_local ? "rendered" : "external";
  return out;
}

const AppSetResult& Expander::generate_set(const k8s::Object& o) {
  auto& slot = sets_[memo_key(o)];
  if (slot) return *slot;
  AppSetOptions so;
  so.clusters = options_.clusters;
  const RepoMatcher* repos = options_.repos;
  const repo::FileTree* tree = &ctx_.tree();
  so.is_local_repo = [repos, tree](std::string_view url) {
    return repos->classify(url, "", *tree) != RepoMatcher::Verdict::kExternal;
  };
  slot = std::make_unique<AppSetResult>(generate(ctx_, o.root, so));
  return *slot;
}

void Expander::visit(const k8s::Object& o, const Visit& v) {
  const std::string key = memo_key(o);
  if (std::find(stack_.begin(), stack_.end(), key) != stack_.end()) {
    result_.errors.push_back(make_error(
        o.anchor().span(),
        fmt::format("app-of-apps cycle: `{}` deploys itself through {}", o.name, fmt::join(v.chain, " -> ")),
        "an application must not deploy one of the applications that deploy it"));
    return;
  }
  if (!visited_.insert(key).second) return;
  if (stack_.size() >= kMaxDepth) {
    result_.errors.push_back(make_error(o.anchor().span(),
                                        fmt::format("app-of-apps nesting deeper than {} levels; `{}` is not expanded",
                                                    kMaxDepth, o.name),
                                        "flatten the application tree"));
    return;
  }
  stack_.push_back(key);
  if (is_application(o)) {
    visit_app(o, v);
  } else {
    visit_set(o, v);
  }
  stack_.pop_back();
}

void Expander::visit_app(const k8s::Object& o, const Visit& v) {
  const AppOutput& out = render_app(o);
  if (!out.app) return;
  const Application& app = *out.app;
  AppRecord rec;
  rec.name = app.name;
  rec.ns = app.ns;
  rec.project = app.project;
  rec.generated_by = v.generated_by;
  rec.parent = v.parent;
  rec.chain = v.chain;
  rec.chain.push_back(app.name);
  rec.wave = v.wave_override.value_or(app.wave);
  rec.waves = v.waves;
  rec.waves.push_back(rec.wave);
  rec.sources = out.sources;
  rec.dest_server = app.dest_server;
  rec.dest_name = app.dest_name;
  rec.dest_namespace = app.dest_namespace;
  rec.create_namespace = app.create_namespace;
  rec.ignore_differences = app.ignore_differences;
  rec.objects = out.objects.size();
  rec.status = out.status;
  rec.at = o.anchor().span();
  const yaml::Node* own_wave = o.root.at({"metadata", "annotations", "argocd.argoproj.io/sync-wave"});
  if (v.wave_override) {
    rec.wave_at = v.wave_override_at;
    if (own_wave != nullptr) {
      // One finding per template line, however many applications it generates.
      auto& ignored = ignored_waves_[std::make_tuple(own_wave->file != nullptr ? own_wave->file->path() : "",
                                                     own_wave->begin.line, own_wave->begin.column)];
      if (ignored.apps.empty()) {
        ignored.at = own_wave->span();
        ignored.set = v.generated_by.substr(v.generated_by.find('/') + 1);
        ignored.set_wave = *v.wave_override;
      }
      ignored.apps.push_back(app.name);
    }
  } else if (own_wave != nullptr) {
    rec.wave_at = own_wave->span();
  }
  for (const auto& e : out.errors) {
    RenderError copy = e;
    if (!copy.at.valid()) copy.at = rec.at;
    copy.notes.push_back(fmt::format("in Argo CD application `{}`", fmt::join(rec.chain, "` -> `")));
    result_.errors.push_back(std::move(copy));
  }
  for (const auto& n : out.notes) result_.notes.push_back(n);
  result_.covered.insert(out.covered.begin(), out.covered.end());
  const std::string root = v.root_dir;
  Visit child;
  child.root_dir = v.root_dir;
  child.chain = rec.chain;
  child.waves = rec.waves;
  child.wave_spans = v.wave_spans;
  child.wave_spans.push_back(rec.wave_at.valid() ? rec.wave_at : rec.at);
  child.parent = app.name;
  const size_t first = result_.objects.size();
  uint32_t index = 0;
  for (const auto& m : out.objects) {
    auto obj = to_object(m, index++);
    if (!obj) continue;
    obj->app_chain = child.chain;
    obj->app_waves = child.waves;
    obj->app_wave_spans = child.wave_spans;
    if (app.create_namespace) obj->app_creates_namespace = app.dest_namespace;
    if (!obj->namespace_explicit && !app.dest_namespace.empty() && !obj->name_space.empty()) {
      // Argo CD puts namespaced objects without a namespace into the destination namespace.
      obj->name_space = app.dest_namespace;
    }
    result_.objects.push_back(std::move(*obj));
    object_roots_.push_back(root);
    object_clusters_.push_back(cluster_of(app));
  }
  result_.apps.push_back(std::move(rec));
  // Children after the parent's own record, depth first, in the parent's output order.
  const size_t last = result_.objects.size();
  for (size_t i = first; i < last; ++i) {
    const k8s::Object& obj = result_.objects[i];
    if (is_application(obj) || is_application_set(obj)) {
      // Copy: visiting appends to result_.objects, which may move the vector's elements.
      auto owned = std::make_unique<k8s::Object>(obj);
      generated_.push_back(std::move(owned));
      visit(*generated_.back(), child);
    }
  }
}

void Expander::visit_set(const k8s::Object& o, const Visit& v) {
  const AppSetResult& gen = generate_set(o);
  const std::string chain = v.chain.empty() ? std::string() : fmt::format(" (in `{}`)", fmt::join(v.chain, "` -> `"));
  for (const auto& e : gen.errors) {
    RenderError copy = e;
    if (!copy.at.valid()) copy.at = o.anchor().span();
    if (!chain.empty()) copy.notes.push_back(fmt::format("in Argo CD application{}", chain));
    result_.errors.push_back(std::move(copy));
  }
  for (const auto& n : gen.notes) result_.notes.push_back(fmt::format("ApplicationSet `{}`: {}", o.name, n));
  if (gen.applications.empty() && gen.errors.empty() && gen.notes.empty() && !gen.refused) {
    const yaml::Node* spec = o.root.get("spec");
    result_.errors.push_back(make_error(
        spec != nullptr && spec->is_map() ? key_span(*spec, "generators") : o.anchor().span(), fmt::format("ApplicationSet `{}` generates no Application", o.name),
        "check the generators' inputs (list elements, git paths and files, cluster selectors)",
        kAppSetGeneratesNothing));
  }
  Visit child = v;
  child.parent = v.chain.empty() ? std::string() : v.chain.back();
  child.generated_by = fmt::format("ApplicationSet/{}", o.name);
  const yaml::Node* set_wave = o.root.at({"metadata", "annotations", "argocd.argoproj.io/sync-wave"});
  child.wave_override = set_wave != nullptr && set_wave->is_scalar() ? k8s::parse_sync_wave(set_wave->str()).value_or(0) : 0;
  child.wave_override_at = set_wave != nullptr ? set_wave->span() : o.anchor().span();
  uint32_t index = 0;
  for (const auto& g : gen.applications) {
    auto obj = to_object(g.application, index++);
    if (!obj) continue;
    generated_.push_back(std::make_unique<k8s::Object>(std::move(*obj)));
    visit(*generated_.back(), child);
  }
}

Expansion Expander::run(const std::vector<const k8s::Object*>& found) {
  // An unrecognised Git URL is this repository when any application's path under it exists here: learn
  // that first, so an application whose path is missing is reported as such whatever the visiting order.
  for (const auto* o : found) {
    if (!is_application(*o)) continue;
    std::vector<RenderError> ignored;
    if (auto app = parse_application(*o, ignored)) {
      for (const auto& src : app->sources) {
        if (src.chart.empty() && !src.path.empty()) options_.repos->classify(src.repo_url, src.path, ctx_.tree());
      }
    }
  }
  // Pass 1: what each application found in the files deploys, to tell roots from children.
  std::set<std::string> children;
  for (const auto* o : found) {
    if (is_application(*o)) {
      const AppOutput& out = render_app(*o);
      for (const auto& m : out.objects) {
        if (auto obj = to_object(m, 0); obj && (is_application(*obj) || is_application_set(*obj))) {
          children.insert(key_of(*obj));
        }
      }
    }
  }
  std::vector<const k8s::Object*> order = found;
  std::stable_sort(order.begin(), order.end(), [](const k8s::Object* a, const k8s::Object* b) {
    const std::string_view fa = a->file != nullptr ? std::string_view(a->file->path()) : std::string_view();
    const std::string_view fb = b->file != nullptr ? std::string_view(b->file->path()) : std::string_view();
    return std::tie(fa, a->doc_index) < std::tie(fb, b->doc_index);
  });
  for (const auto* o : order) {
    if (children.count(key_of(*o)) == 0) result_.roots.push_back(o);
  }
  auto root_visit = [](const k8s::Object& o) {
    Visit v;
    v.root_dir = o.file != nullptr ? std::string(dirname(o.file->path())) : std::string();
    return v;
  };
  for (const auto* o : result_.roots) visit(*o, root_visit(*o));
  // Applications that only deploy each other (a cycle with no root) are still expanded, from the first.
  for (const auto* o : order) {
    if (visited_.count(memo_key(*o)) == 0) visit(*o, root_visit(*o));
  }
  // Environments: root applications written in sibling directories (`clusters/dev`, `clusters/prod`) whose
  // trees deploy the same object cannot share a cluster, so each directory is checked as its own cluster.
  // Roots in one directory are one environment: what they both deploy is a duplicate-resource.
  std::map<std::string, std::set<std::string>> dirs_of_id;
  for (size_t i = 0; i < result_.objects.size(); ++i) {
    const auto& obj = result_.objects[i];
    dirs_of_id[fmt::format("{}/{}/{}/{}", obj.group(), obj.kind, obj.name_space, obj.name)].insert(object_roots_[i]);
  }
  std::set<std::string> split;
  for (const auto& [id, dirs] : dirs_of_id) {
    for (const auto& a : dirs) {
      for (const auto& b : dirs) {
        // Sibling directories only (`clusters/dev`, `clusters/prod`): a root elsewhere is not an environment.
        if (a < b && dirname(a) == dirname(b)) {
          split.insert(a);
          split.insert(b);
        }
      }
    }
  }
  std::map<std::string, std::string> scope_of;
  for (const auto& dir : split) {
    std::string name(basename(dir));
    for (const auto& other : split) {
      if (other != dir && basename(other) == name) name = dir;  // two `dev` directories: use the path
    }
    scope_of[dir] = name.empty() ? std::string(".") : name;
  }
  for (size_t i = 0; i < result_.objects.size(); ++i) {
    if (auto it = scope_of.find(object_roots_[i]); it != scope_of.end()) result_.objects[i].scope = it->second;
    // Applications deploying to another cluster than Argo CD's own: that cluster is checked on its own.
    if (!object_clusters_[i].empty()) {
      auto& scope = result_.objects[i].scope;
      scope = scope.empty() ? object_clusters_[i] : scope + "/" + object_clusters_[i];
    }
  }
  if (!split.empty()) {
    std::vector<std::string> names;
    for (const auto& [dir, name] : scope_of) names.push_back(name);
    result_.notes.push_back(fmt::format(
        "root applications in `{}` deploy objects with the same kind, namespace and name: each directory is "
        "checked as its own cluster (environment `{}`)",
        fmt::join(split, "`, `"), fmt::join(names, "`, `")));
  }
  for (const auto& [pos, w] : ignored_waves_) {
    RenderError e(w.at,
                  fmt::format("sync-wave on the Applications that ApplicationSet `{}` generates has no effect: its "
                              "controller creates them, no parent syncs them",
                              w.set),
                  "order generated applications with ApplicationSet progressive syncs (strategy: RollingSync), or "
                  "write them as Applications of an app-of-apps");
    e.rule = "sync-wave-order";
    e.lesser = true;
    e.notes.push_back(fmt::format("generated: `{}`", fmt::join(w.apps, "`, `")));
    e.notes.push_back(fmt::format("in the sync of its parent each sits where the ApplicationSet is: wave {}", w.set_wave));
    result_.errors.push_back(std::move(e));
  }
  if (result_.roots.size() > 1) {
    std::vector<std::string> names;
    for (const auto* r : result_.roots) {
      names.push_back(fmt::format("{} ({})", r->name, r->file != nullptr ? r->file->path() : std::string("?")));
    }
    result_.notes.push_back(fmt::format(
        "{} root applications (deployed by no other application, so applied by hand): {}; a root that is not "
        "applied is a leftover and its objects are checked as if it were",
        names.size(), fmt::join(names, ", ")));
  }
  if (!external_urls_.empty()) {
    result_.notes.push_back(fmt::format("other repositories and chart registries are not read (their applications "
                                        "are listed, not rendered): `{}`",
                                        fmt::join(external_urls_, "`, `")));
  }
  return std::move(result_);
}

}  // namespace

RepoMatcher::RepoMatcher(std::function<std::vector<std::string>()> remotes, std::vector<std::string> aliases,
                         std::vector<std::string> external, bool strict)
    : remotes_(std::move(remotes)), strict_(strict) {
  for (const auto& a : aliases) aliases_.push_back(normalize_repo_url(a));
  for (const auto& e : external) external_.push_back(normalize_repo_url(e));
}

bool RepoMatcher::is_local(std::string_view url) const {
  std::call_once(once_, [&] {
    if (remotes_) {
      for (const auto& r : remotes_()) local_.push_back(normalize_repo_url(r));
    }
    local_.insert(local_.end(), aliases_.begin(), aliases_.end());
  });
  const std::string norm = normalize_repo_url(url);
  return std::find(local_.begin(), local_.end(), norm) != local_.end();
}

std::vector<std::string> RepoMatcher::known() const {
  is_local("");
  return local_;
}

RepoMatcher::Verdict RepoMatcher::classify(std::string_view url, std::string_view path,
                                           const repo::FileTree& tree) const {
  if (is_local(url)) return Verdict::kLocal;
  const std::string norm = normalize_repo_url(url);
  if (strict_ || std::find(external_.begin(), external_.end(), norm) != external_.end()) return Verdict::kExternal;
  // Only Git URLs fall back; Helm and OCI registries never hold this tree.
  if (url.starts_with("oci://") || norm.empty()) return Verdict::kExternal;
  std::lock_guard<std::mutex> lock(mu_);
  if (fallback_.count(norm) != 0) return Verdict::kFallback;
  if (!path.empty() && !tree.stat(path)) return Verdict::kExternal;
  fallback_.insert(norm);
  return Verdict::kFallback;
}

bool directory_glob_match(std::string_view pattern, std::string_view path) {
  std::vector<std::string> alternatives;
  expand_braces(pattern, alternatives);
  return std::any_of(alternatives.begin(), alternatives.end(),
                     [&](const std::string& p) { return wildcard(p, path); });
}

Expansion expand(Context& ctx, const std::vector<const k8s::Object*>& found, const ExpandOptions& options) {
  Expander e(ctx, options);
  return e.run(found);
}

}  // namespace gl::render::argocd
