#include "render/kustomize/kustomize.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <re2/re2.h>

#include "core/strings.h"
#include "k8s/selector.h"
#include "render/helm/render.h"
#include "render/repo_url.h"
#include "render/kustomize/fieldspec.h"
#include "render/kustomize/generators.h"
#include "render/kustomize/json6902.h"
#include "render/kustomize/nameref.h"
#include "render/kustomize/replacements.h"
#include "render/kustomize/resource.h"
#include "render/kustomize/smp.h"
#include "render/kustomize/vars.h"

namespace gl::render::kustomize {
namespace {

constexpr std::string_view kKustomizationNames[] = {"kustomization.yaml", "kustomization.yml", "Kustomization"};

/// Fields of a v5 Kustomization (and Component); anything else is an error, as in kustomize.
constexpr std::string_view kKnownFields[] = {
    "apiVersion", "kind", "metadata", "openapi", "namePrefix", "nameSuffix", "namespace", "commonLabels",
    "labels", "commonAnnotations", "patchesStrategicMerge", "patchesJson6902", "patches", "images", "imageTags",
    "replacements", "replicas", "vars", "sortOptions", "resources", "components", "crds", "bases",
    "configMapGenerator", "secretGenerator", "helmGlobals", "helmCharts", "helmChartInflationGenerator",
    "generatorOptions", "configurations", "generators", "transformers", "validators", "buildMetadata"};

/// Fields we read but cannot honour yet: the build fails with a clear error instead of differing silently.
constexpr std::string_view kUnsupportedFields[] = {"openapi",        "crds",       "helmChartInflationGenerator",
                                                    "configurations", "generators", "transformers",
                                                    "validators",     "buildMetadata"};

constexpr std::string_view kLocalConfig = "config.kubernetes.io/local-config";

bool looks_remote(std::string_view path) {
  return path.find("://") != std::string_view::npos || path.starts_with("git@") ||
         path.starts_with("github.com/") || path.starts_with("gitlab.com/") || path.starts_with("bitbucket.org/") ||
         path.find("?ref=") != std::string_view::npos || path.find("?version=") != std::string_view::npos;
}

std::string kind_of(const MNode& root) {
  const auto* k = root.get("kind");
  return k != nullptr ? std::string(k->str()) : std::string();
}

k8s::Labels string_map(const MNode* n) {
  k8s::Labels out;
  if (n == nullptr || !n->is_map()) return out;
  for (size_t i = 0; i < n->keys.size(); ++i) out.emplace(n->keys[i].value, n->items[i].value);
  return out;
}

/// Kind ranks for kustomize's legacy output order: kinds listed first get negative ranks, kinds listed last
/// positive ones, every other kind 0 (kyaml/resid/gvk.go, or sortOptions.legacySortOptions).
struct KindOrder {
  std::vector<std::string> first;
  std::vector<std::string> last;

  static KindOrder builtin() {
    return KindOrder{{"Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
                      "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap",
                      "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume",
                      "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget"},
                     {"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}};
  }

  int rank(std::string_view kind) const {
    // Like the Go map kustomize fills, a kind in both lists takes its orderLast rank.
    for (size_t i = 0; i < last.size(); ++i) {
      if (last[i] == kind) return 1 + static_cast<int>(i);
    }
    for (size_t i = 0; i < first.size(); ++i) {
      if (first[i] == kind) return -static_cast<int>(first.size()) + static_cast<int>(i);
    }
    return 0;
  }
};

std::string gvk_sort_string(const ResId& id) {
  return fmt::format("{}_{}_{}", id.group.empty() ? "~G" : id.group, id.version.empty() ? "~V" : id.version,
                     id.kind.empty() ? "~K" : id.kind);
}

std::string id_sort_string(const ResId& id) {
  return fmt::format("{}.{}.{}|{}|{}", id.kind.empty() ? "[noKind]" : id.kind,
                     id.version.empty() ? "[noVer]" : id.version, id.group.empty() ? "[noGrp]" : id.group,
                     id.ns.empty() ? "~X" : id.ns, id.name.empty() ? "~N" : id.name);
}

bool legacy_less(const KindOrder& order, const ResId& a, const ResId& b) {
  if (!a.same_gvk(b)) {
    const int ra = order.rank(a.kind);
    const int rb = order.rank(b.kind);
    if (ra != rb) return ra < rb;
    if (a.kind == "Namespace" && b.kind == "Namespace" && (a.group.empty() || b.group.empty()))
      return gvk_sort_string(a) > gvk_sort_string(b);
    return gvk_sort_string(a) < gvk_sort_string(b);
  }
  return id_sort_string(a) < id_sort_string(b);
}

/// Applies a JSON 6902 patch as kustomize does. Kustomize's resources always carry internal annotations
/// during a build, so `add /metadata/annotations/x` works on an object that has none: emulate that with an
/// empty map that is dropped again when the patch leaves it empty.
std::optional<RenderError> json6902(MNode& root, const MNode& ops) {
  MNode* meta = root.get("metadata");
  const bool added = meta != nullptr && meta->is_map() && meta->get("annotations") == nullptr;
  if (added) meta->set("annotations", MNode::map(meta->span));
  auto err = apply_json6902(root, ops);
  if (MNode* m = root.get("metadata"); added && m != nullptr) {
    if (const MNode* a = m->get("annotations"); a != nullptr && a->is_map() && a->keys.empty()) m->erase("annotations");
  }
  return err;
}

/// A kustomization being accumulated (one directory).
/// Merges `kustomize edit`-style overrides into a kustomization (see BuildOptions::overrides).
void apply_overrides(MNode& k, const MNode& overrides) {
  if (!overrides.is_map()) return;
  for (size_t i = 0; i < overrides.keys.size(); ++i) {
    const std::string& key = overrides.keys[i].value;
    const MNode& value = overrides.items[i];
    if (key == "images" || key == "replicas") {
      MNode* list = k.get(key);
      if (list == nullptr || !list->is_seq()) list = &k.set(key, MNode::seq(value.span), overrides.keys[i].span);
      for (const auto& entry : value.items) {
        const MNode* name = entry.get("name");
        auto same = std::find_if(list->items.begin(), list->items.end(), [&](const MNode& e) {
          const MNode* n = e.get("name");
          return name != nullptr && n != nullptr && n->str() == name->str();
        });
        if (same != list->items.end()) {
          *same = entry;
        } else {
          list->items.push_back(entry);
        }
      }
    } else if (key == "commonLabels" || key == "commonAnnotations") {
      MNode* map = k.ensure_map(key, overrides.keys[i].span);
      if (map == nullptr || !value.is_map()) continue;
      for (size_t j = 0; j < value.keys.size(); ++j) map->set(value.keys[j].value, value.items[j], value.keys[j].span);
    } else if (key == "labels" || key == "patches" || key == "components") {
      MNode* list = k.get(key);
      if (list == nullptr || !list->is_seq()) list = &k.set(key, MNode::seq(value.span), overrides.keys[i].span);
      for (const auto& entry : value.items) list->items.push_back(entry);
    } else {
      k.set(key, value, overrides.keys[i].span);
    }
  }
}

class Builder {
 public:
  Builder(Context& ctx, const BuildOptions& options, BuildResult& result)
      : ctx_(ctx), options_(options), result_(result) {}

  /// Accumulates the kustomization (or component) in `dir` into `res`; false when it failed.
  bool accumulate(const std::string& dir, std::vector<Resource>& res, std::vector<MNode>& vars, Span from,
                  bool as_component);

  /// The top kustomization's sortOptions (null when it has none).
  const MNode& sort_options() const { return sort_options_; }

  void error(Span at, std::string message, std::string help = {}) {
    result_.errors.push_back(RenderError{at, std::move(message), std::move(help)});
  }

 private:
  bool load_resource_file(const std::string& path, std::vector<Resource>& out, Span from);
  void declare_files(const MNode& k, const std::string& dir);
  bool add_resources(const MNode& list, const std::string& dir, std::vector<Resource>& res,
                     std::vector<MNode>& vars, bool components);
  bool append(std::vector<Resource>& res, Resource r, Span at);
  std::vector<MNode> load_patch_docs(const MNode& entry, const MNode* inline_patch, const MNode* path,
                                     const FileLoader& loader);
  bool apply_patches(const MNode& k, const FileLoader& loader, std::vector<Resource>& res);
  bool apply_legacy_smp(const MNode& k, const FileLoader& loader, std::vector<Resource>& res);
  bool apply_legacy_json6902(const MNode& k, const FileLoader& loader, std::vector<Resource>& res);
  bool smp_without_target(const MNode& patch, std::vector<Resource>& res, Span at, const SmpOptions& options = {});
  bool apply_namespace(const MNode& k, std::vector<Resource>& res);
  bool inflate_helm_charts(const MNode& k, const std::string& dir, std::vector<Resource>& res);
  void apply_prefix_suffix(const MNode& k, std::vector<Resource>& res);
  bool apply_labels(const MNode& k, std::vector<Resource>& res);
  void apply_annotations(const MNode& k, std::vector<Resource>& res);
  bool apply_replicas(const MNode& k, std::vector<Resource>& res);
  void apply_images(const MNode& k, std::vector<Resource>& res);
  std::optional<std::vector<Resource*>> select(const MNode& target, std::vector<Resource>& res);

  Context& ctx_;
  const BuildOptions& options_;
  BuildResult& result_;
  std::vector<std::string> stack_;
  MNode sort_options_;
};

/// Records every file the kustomization names, even if the build stops before reading it, so that patches
/// and generator inputs of a failed build are never mistaken for plain manifests.
void Builder::declare_files(const MNode& k, const std::string& dir) {
  auto add = [&](const MNode* n) {
    if (n == nullptr || !n->is_scalar() || n->value.find('\n') != std::string::npos) return;
    std::string_view rel = n->value;
    if (auto eq = rel.find('='); eq != std::string_view::npos) rel = rel.substr(eq + 1);
    bool inside = true;
    std::string path = normalize_path(join_path(dir, rel), &inside);
    if (inside) result_.files.insert(path);
  };
  for (const char* field : {"resources", "bases", "patchesStrategicMerge"}) {
    if (const auto* list = k.get(field); list != nullptr && list->is_seq()) {
      for (const auto& item : list->items) {
        if (item.is_scalar() && !looks_remote(item.value)) add(&item);
      }
    }
  }
  for (const char* field : {"patches", "patchesJson6902", "replacements"}) {
    if (const auto* list = k.get(field); list != nullptr && list->is_seq()) {
      for (const auto& item : list->items) add(item.get("path"));
    }
  }
  for (const char* field : {"configMapGenerator", "secretGenerator"}) {
    if (const auto* list = k.get(field); list != nullptr && list->is_seq()) {
      for (const auto& gen : list->items) {
        for (const char* key : {"files", "envs"}) {
          if (const auto* files = gen.get(key); files != nullptr && files->is_seq()) {
            for (const auto& f : files->items) add(&f);
          }
        }
        add(gen.get("env"));
      }
    }
  }
}

bool Builder::append(std::vector<Resource>& res, Resource r, Span at) {
  const ResId id = r.id();
  for (const auto& existing : res) {
    if (existing.id().equals(id)) {
      error(at, fmt::format("may not add resource with an already registered id: {}", id.display()),
            "each object may come from only one resource entry; remove the duplicate or rename one");
      return false;
    }
  }
  res.push_back(std::move(r));
  return true;
}

bool Builder::load_resource_file(const std::string& path, std::vector<Resource>& out, Span from) {
  auto loaded = ctx_.yaml(path);
  result_.files.insert(path);
  if (!loaded->read_error.empty()) {
    error(from, fmt::format("cannot read `{}`: {}", path, loaded->read_error));
    return false;
  }
  if (!loaded->errors.empty()) {
    const auto& e = loaded->errors.front();
    error(Span{loaded->file, e.mark, e.mark}, fmt::format("invalid YAML in `{}`: {}", path, e.message));
    return false;
  }
  bool ok = true;
  for (const auto& doc : loaded->documents) {
    if (doc.root.is_null()) continue;
    if (!doc.root.is_map()) {
      error(doc.root.span(), "a resource document must be a mapping (a Kubernetes object)");
      ok = false;
      continue;
    }
    auto add_one = [&](const yaml::Node& node) {
      Resource r;
      r.root = MNode::from(node);
      r.origin = node.span();
      const auto* name = r.root.at({"metadata", "name"});
      if (kind_of(r.root).empty() || r.root.get("apiVersion") == nullptr) {
        error(node.span(), "resource has no `apiVersion` and `kind`", "kustomize resources must be Kubernetes objects");
        ok = false;
        return;
      }
      if (name == nullptr || name->str().empty()) {
        const auto* gen = r.root.at({"metadata", "generateName"});
        if (gen == nullptr) {
          error(node.span(), fmt::format("missing metadata.name in object {}", r.id().display()));
          ok = false;
          return;
        }
      }
      out.push_back(std::move(r));
    };
    const auto* kind = doc.root.get("kind");
    const auto* items = doc.root.get("items");
    if (kind != nullptr && kind->str().ends_with("List") && items != nullptr && items->is_seq()) {
      for (const auto& item : items->items()) {
        if (item.is_map()) add_one(item);
      }
    } else {
      add_one(doc.root);
    }
  }
  return ok;
}

bool Builder::add_resources(const MNode& list, const std::string& dir, std::vector<Resource>& res,
                            std::vector<MNode>& vars, bool components) {
  if (!list.is_seq()) {
    if (!list.is_null()) error(list.span, "expected a list of paths");
    return list.is_null();
  }
  bool ok = true;
  for (const auto& entry : list.items) {
    const std::string rel(entry.str());
    if (rel.empty()) {
      error(entry.span, "empty resource path");
      ok = false;
      continue;
    }
    std::string path;
    std::optional<repo::Entry> st;
    if (!rel.starts_with("/") && !looks_remote(rel)) {
      bool inside = true;
      path = normalize_path(join_path(dir, rel), &inside);
      if (!inside) {
        error(entry.span, fmt::format("`{}` is outside the repository", rel),
              "paths in a kustomization must stay inside the repository being checked");
        ok = false;
        continue;
      }
      st = ctx_.tree().stat(path);
    } else if (looks_remote(rel)) {
      if (auto local = local_path_for(rel, options_.repo_urls ? options_.repo_urls() : std::vector<std::string>{})) {
        path = *local;
        st = ctx_.tree().stat(path);
      } else {
        error(entry.span, fmt::format("remote resource `{}` is not fetched", rel),
              "gitops-lint reads only the repository being checked; vendor the files or check them separately");
        ok = false;
        continue;
      }
    } else {
      error(entry.span, fmt::format("absolute path `{}` is not allowed", rel));
      ok = false;
      continue;
    }
    if (!st) {
      error(entry.span, fmt::format("`{}` does not exist", rel), "fix the path or add the file");
      ok = false;
      continue;
    }
    if (st->kind == repo::EntryKind::kSymlink && st->link_escapes) {
      error(entry.span, fmt::format("`{}` is a symbolic link leading outside the repository", rel));
      ok = false;
      continue;
    }
    const bool is_dir = st->kind == repo::EntryKind::kDirectory ||
                        (st->kind == repo::EntryKind::kSymlink && !st->link_resolved.empty() &&
                         ctx_.tree().stat(st->link_resolved) &&
                         ctx_.tree().stat(st->link_resolved)->kind == repo::EntryKind::kDirectory);
    if (is_dir) {
      if (components) {
        if (!accumulate(path, res, vars, entry.span, true)) ok = false;
      } else {
        std::vector<Resource> sub;
        if (!accumulate(path, sub, vars, entry.span, false)) {
          ok = false;
          continue;
        }
        for (auto& r : sub) {
          if (!append(res, std::move(r), entry.span)) ok = false;
        }
      }
      continue;
    }
    if (components) {
      error(entry.span, fmt::format("component `{}` must be a directory holding a kustomization", rel));
      ok = false;
      continue;
    }
    if (!dir.empty() && path != dir && !path.starts_with(dir + "/")) {
      error(entry.span,
            fmt::format("security: file `{}` is not in or below the kustomization directory `{}`", path, dir),
            "kustomize only loads resource files from the kustomization's own directory tree; "
            "make the other directory a kustomization and list it instead");
      ok = false;
      continue;
    }
    std::vector<Resource> loaded;
    if (!load_resource_file(path, loaded, entry.span)) {
      ok = false;
      continue;
    }
    for (auto& r : loaded) {
      if (!append(res, std::move(r), entry.span)) ok = false;
    }
  }
  return ok;
}

std::optional<std::vector<Resource*>> Builder::select(const MNode& target, std::vector<Resource>& res) {
  auto field = [&](std::string_view key) -> std::string {
    const auto* n = target.get(key);
    return n != nullptr ? std::string(n->str()) : std::string();
  };
  struct Pattern {
    std::unique_ptr<RE2> re;
    bool set = false;
    bool match(std::string_view s) const { return !set || RE2::FullMatch(s, *re); }
  };
  auto compile = [&](std::string_view key, Pattern& p) -> bool {
    const std::string v = field(key);
    if (v.empty()) return true;
    p.set = true;
    p.re = std::make_unique<RE2>(v, RE2::Quiet);
    if (!p.re->ok()) {
      error(target.get(key)->span, fmt::format("invalid regular expression `{}` in patch target", v));
      return false;
    }
    return true;
  };
  Pattern group, version, kind, name, ns;
  if (!compile("group", group) || !compile("version", version) || !compile("kind", kind) ||
      !compile("name", name) || !compile("namespace", ns))
    return std::nullopt;
  std::optional<k8s::LabelSelector> labels, annotations;
  for (auto [key, out] : {std::pair{"labelSelector", &labels}, std::pair{"annotationSelector", &annotations}}) {
    const std::string text = field(key);
    if (text.empty()) continue;
    std::string err;
    *out = k8s::parse_selector_string(text, &err);
    if (!*out) {
      error(target.get(key)->span, err);
      return std::nullopt;
    }
  }
  std::vector<Resource*> out;
  for (auto& r : res) {
    const ResId cur = r.id();
    const ResId org = r.orig_id();
    if (!ns.match(org.effective_ns()) && !ns.match(cur.effective_ns())) continue;
    if (!name.match(org.name) && !name.match(cur.name)) continue;
    if (!group.match(cur.group) || !version.match(cur.version) || !kind.match(cur.kind)) continue;
    if (labels && !labels->matches(string_map(r.root.at({"metadata", "labels"})))) continue;
    if (annotations && !annotations->matches(string_map(r.root.at({"metadata", "annotations"})))) continue;
    out.push_back(&r);
  }
  return out;
}

std::vector<MNode> Builder::load_patch_docs(const MNode& entry, const MNode* inline_patch, const MNode* path,
                                            const FileLoader& loader) {
  std::vector<MNode> docs;
  if (inline_patch != nullptr && inline_patch->is_scalar()) {
    // An inline patch is YAML inside a string: parse it and point its nodes at the kustomization's lines.
    std::string parse_error;
    docs = parse_embedded(*inline_patch, &parse_error);
    if (!parse_error.empty()) {
      error(inline_patch->span, fmt::format("invalid inline patch: {}", parse_error));
      return {};
    }
    return docs;
  }
  if (path != nullptr) {
    std::string err;
    auto resolved = loader.resolve(path->str(), &err);
    if (!resolved) {
      error(path->span, err);
      return {};
    }
    auto loaded = ctx_.yaml(*resolved);
    result_.files.insert(*resolved);
    if (!loaded->read_error.empty()) {
      error(path->span, fmt::format("cannot read patch `{}`: {}", path->str(), loaded->read_error));
      return {};
    }
    if (!loaded->errors.empty()) {
      const auto& e = loaded->errors.front();
      error(Span{loaded->file, e.mark, e.mark}, fmt::format("invalid YAML in patch `{}`: {}", *resolved, e.message));
      return {};
    }
    for (const auto& d : loaded->documents) {
      if (!d.root.is_null()) docs.push_back(MNode::from(d.root));
    }
    return docs;
  }
  error(entry.span, "a patch needs `path` or `patch`");
  return {};
}

bool Builder::smp_without_target(const MNode& patch, std::vector<Resource>& res, Span at,
                                 const SmpOptions& options) {
  const ResId id = id_of(patch);
  std::vector<size_t> hits;
  for (size_t i = 0; i < res.size(); ++i) {
    if (res[i].matches_any_id(id)) hits.push_back(i);
  }
  if (hits.size() != 1) {
    error(at,
          fmt::format("{} resource matches strategic merge patch {}", hits.empty() ? "no" : "more than one",
                      id.display()),
          hits.empty() ? "the patch's apiVersion, kind, name and namespace must match one resource of the build "
                         "(a patch without namespace only matches objects in the default namespace)"
                       : "give the patch a `target` or a namespace that selects one object");
    return false;
  }
  Resource& r = res[hits.front()];
  const auto* directive = patch.get("$patch");
  if (directive != nullptr && directive->str() == "delete") {
    res.erase(res.begin() + static_cast<std::ptrdiff_t>(hits.front()));
    return true;
  }
  if (auto e = apply_smp(r.root, patch, options)) {
    error(e->at.valid() ? e->at : at, e->message, e->help);
    return false;
  }
  if (r.root.is_null()) res.erase(res.begin() + static_cast<std::ptrdiff_t>(hits.front()));
  return true;
}

bool Builder::apply_patches(const MNode& k, const FileLoader& loader, std::vector<Resource>& res) {
  const auto* patches = k.get("patches");
  if (patches == nullptr || patches->is_null()) return true;
  if (!patches->is_seq()) {
    error(patches->span, "`patches` must be a list");
    return false;
  }
  bool ok = true;
  for (const auto& entry : patches->items) {
    if (!entry.is_map()) {
      error(entry.span, "a `patches` entry must be a mapping with `path` or `patch` (and an optional `target`)",
            "in kustomize v5 a bare string is no longer accepted here; write `- path: <file>`");
      ok = false;
      continue;
    }
    const auto* inline_patch = entry.get("patch");
    const auto* path = entry.get("path");
    if (inline_patch != nullptr && path != nullptr) {
      error(entry.span, "patch and path can't be set at the same time");
      ok = false;
      continue;
    }
    auto docs = load_patch_docs(entry, inline_patch, path, loader);
    if (docs.empty()) {
      ok = false;
      continue;
    }
    const Span at = path != nullptr ? path->span : inline_patch->span;
    const bool json = docs.size() == 1 && docs.front().is_seq();
    const auto* target = entry.get("target");
    SmpOptions smp_options;
    if (const auto* opts = entry.get("options")) {
      const auto* name_change = opts->get("allowNameChange");
      const auto* kind_change = opts->get("allowKindChange");
      smp_options.allow_name_change = name_change != nullptr && name_change->str() == "true";
      smp_options.allow_kind_change = kind_change != nullptr && kind_change->str() == "true";
    }
    if (json) {
      if (target == nullptr) {
        error(at, "must specify a target for JSON patch", "add `target:` with the kind and name to patch");
        ok = false;
        continue;
      }
      auto selected = select(*target, res);
      if (!selected) {
        ok = false;
        continue;
      }
      for (Resource* r : *selected) {
        if (auto e = json6902(r->root, docs.front())) {
          error(e->at.valid() ? e->at : at, e->message, e->help);
          ok = false;
        }
      }
      continue;
    }
    for (const auto& d : docs) {
      if (!d.is_map()) {
        error(d.span, "unable to parse the patch as a strategic merge patch or a JSON 6902 patch");
        ok = false;
      }
    }
    if (!ok) continue;
    if (target == nullptr) {
      for (const auto& d : docs) {
        if (!smp_without_target(d, res, at, smp_options)) ok = false;
      }
      continue;
    }
    auto selected = select(*target, res);
    if (!selected) {
      ok = false;
      continue;
    }
    std::vector<const Resource*> doomed;
    for (Resource* r : *selected) {
      for (const auto& d : docs) {
        const auto* directive = d.get("$patch");
        if (directive != nullptr && directive->str() == "delete") {
          doomed.push_back(r);
          break;
        }
        if (auto e = apply_smp(r->root, d, smp_options)) {
          error(e->at.valid() ? e->at : at, e->message, e->help);
          ok = false;
        } else if (r->root.is_null()) {
          doomed.push_back(r);
          break;
        }
      }
    }
    std::erase_if(res, [&](const Resource& r) { return std::find(doomed.begin(), doomed.end(), &r) != doomed.end(); });
  }
  return ok;
}

bool Builder::apply_legacy_smp(const MNode& k, const FileLoader& loader, std::vector<Resource>& res) {
  const auto* list = k.get("patchesStrategicMerge");
  if (list == nullptr || list->is_null()) return true;
  if (!list->is_seq()) {
    error(list->span, "`patchesStrategicMerge` must be a list");
    return false;
  }
  bool ok = true;
  for (const auto& entry : list->items) {
    // Each entry is a file path, or (when it spans lines or starts like YAML) an inline patch.
    const bool is_inline = entry.value.find('\n') != std::string::npos;
    auto docs = is_inline ? load_patch_docs(entry, &entry, nullptr, loader) : load_patch_docs(entry, nullptr, &entry, loader);
    if (docs.empty()) {
      ok = false;
      continue;
    }
    for (const auto& d : docs) {
      if (!d.is_map()) {
        error(d.span, "a strategic merge patch must be a mapping");
        ok = false;
        continue;
      }
      if (!smp_without_target(d, res, entry.span)) ok = false;
    }
  }
  return ok;
}

bool Builder::apply_legacy_json6902(const MNode& k, const FileLoader& loader, std::vector<Resource>& res) {
  const auto* list = k.get("patchesJson6902");
  if (list == nullptr || list->is_null()) return true;
  if (!list->is_seq()) {
    error(list->span, "`patchesJson6902` must be a list");
    return false;
  }
  bool ok = true;
  for (const auto& entry : list->items) {
    const auto* target = entry.get("target");
    if (target == nullptr) {
      error(entry.span, "must specify a target for JSON patch");
      ok = false;
      continue;
    }
    auto docs = load_patch_docs(entry, entry.get("patch"), entry.get("path"), loader);
    if (docs.size() != 1 || !docs.front().is_seq()) {
      if (!docs.empty()) error(entry.span, "a JSON 6902 patch must be a list of operations");
      ok = false;
      continue;
    }
    // Legacy targets name one object exactly (no regular expressions).
    const ResId want{target->get("group") != nullptr ? std::string(target->get("group")->str()) : "",
                     target->get("version") != nullptr ? std::string(target->get("version")->str()) : "",
                     target->get("kind") != nullptr ? std::string(target->get("kind")->str()) : "",
                     target->get("name") != nullptr ? std::string(target->get("name")->str()) : "",
                     target->get("namespace") != nullptr ? std::string(target->get("namespace")->str()) : ""};
    std::vector<Resource*> hits;
    for (auto& r : res) {
      for (const auto& id : r.all_ids()) {
        if (id.kind == want.kind && id.name == want.name && (want.group.empty() || id.group == want.group) &&
            (want.version.empty() || id.version == want.version) && id.effective_ns() == want.effective_ns()) {
          hits.push_back(&r);
          break;
        }
      }
    }
    if (hits.size() != 1) {
      error(target->span, fmt::format("{} resource matches JSON patch target {}", hits.empty() ? "no" : "more than one",
                                      want.display()));
      ok = false;
      continue;
    }
    if (auto e = json6902(hits.front()->root, docs.front())) {
      error(e->at.valid() ? e->at : entry.span, e->message, e->help);
      ok = false;
    }
  }
  return ok;
}

/// `helmCharts`: each chart is rendered with the native Helm renderer, as kustomize's Helm generator runs
/// `helm template` (chart under helmGlobals.chartHome, default `charts/`; values file, valuesInline with
/// valuesMerge, additionalValuesFiles, release name, namespace, includeCRDs). Charts are never pulled.
bool Builder::inflate_helm_charts(const MNode& k, const std::string& dir, std::vector<Resource>& res) {
  const auto* charts = k.get("helmCharts");
  if (charts == nullptr || charts->is_null()) return true;
  if (!charts->is_seq()) {
    error(charts->span, "`helmCharts` must be a list");
    return false;
  }
  std::string chart_home = "charts";
  if (const auto* home = k.at({"helmGlobals", "chartHome"}); home != nullptr && !home->str().empty())
    chart_home = std::string(home->str());
  const FileLoader loader{ctx_, dir};
  bool ok = true;
  for (const auto& entry : charts->items) {
    auto text = [&](std::string_view key) {
      const auto* n = entry.get(key);
      return n != nullptr && n->is_scalar() ? std::string(n->str()) : std::string();
    };
    const std::string name = text("name");
    if (name.empty()) {
      error(entry.span, "chart name cannot be empty");
      ok = false;
      continue;
    }
    std::string home_rel = chart_home;
    if (!text("version").empty() && !text("repo").empty()) home_rel += "/" + name + "-" + text("version");
    std::string err;
    auto chart_dir = loader.resolve(home_rel + "/" + name, &err);
    if (!chart_dir) {
      error(entry.span, err);
      ok = false;
      continue;
    }
    const auto st = ctx_.tree().stat(join_path(*chart_dir, "Chart.yaml"));
    if (!st) {
      error(entry.get("name")->span,
            fmt::format("chart `{}` is not in `{}`: gitops-lint does not pull charts{}", name, *chart_dir,
                        text("repo").empty() ? "" : fmt::format(" (from {})", text("repo"))),
            "vendor the chart under the kustomization's chartHome, as `helm pull --untar` would");
      ok = false;
      continue;
    }
    helm::RenderOptions options;
    options.release_name = text("releaseName").empty() ? "release-name" : text("releaseName");
    options.ns = text("namespace");
    if (options.ns.empty()) {
      if (const auto* ns = k.get("namespace"); ns != nullptr && !ns->str().empty()) options.ns = std::string(ns->str());
    }
    if (options.ns.empty()) options.ns = "default";
    if (!text("kubeVersion").empty()) options.kube_version = text("kubeVersion");
    if (const auto* apis = entry.get("apiVersions"); apis != nullptr && apis->is_seq()) {
      for (const auto& a : apis->items) options.api_versions.emplace_back(a.str());
    }
    if (const auto* crds = entry.get("includeCRDs"); crds != nullptr && crds->str() == "true") options.include_crds = true;
    // The values file (default: the chart's own values.yaml), and valuesInline merged as valuesMerge says.
    std::string values_file = join_path(*chart_dir, "values.yaml");
    if (!text("valuesFile").empty()) {
      auto vf = loader.resolve(text("valuesFile"), &err);
      if (!vf) {
        error(entry.get("valuesFile")->span, err);
        ok = false;
        continue;
      }
      values_file = *vf;
    }
    const std::string merge = text("valuesMerge").empty() ? "override" : text("valuesMerge");
    if (merge != "override" && merge != "merge" && merge != "replace") {
      error(entry.get("valuesMerge")->span,
            fmt::format("valuesMerge must be one of 'override', 'replace', or 'merge', not `{}`", merge));
      ok = false;
      continue;
    }
    const auto* inline_values = entry.get("valuesInline");
    const bool has_inline = inline_values != nullptr && inline_values->is_map() && !inline_values->keys.empty();
    yaml::Arena arena;
    yaml::Node frozen;
    const bool file_exists = ctx_.tree().stat(values_file).has_value();
    if (!has_inline || merge != "replace") {
      if (file_exists) options.value_files.push_back(values_file);
    }
    if (has_inline) {
      frozen = inline_values->freeze(arena);
      options.inline_values = &frozen;
      // override: inline over the file; merge: the file over inline; replace: inline alone.
      options.inline_after = merge == "merge" ? 0 : options.value_files.size();
    }
    if (const auto* more = entry.get("additionalValuesFiles"); more != nullptr && more->is_seq()) {
      for (const auto& f : more->items) {
        auto path = loader.resolve(f.str(), &err);
        if (!path) {
          error(f.span, err);
          ok = false;
          continue;
        }
        options.value_files.push_back(*path);
      }
    }
    result_.helm_charts.insert(*chart_dir);
    auto rendered = helm::render_chart(ctx_, *chart_dir, options);
    // The chart's own files are never plain manifests (the pipeline skips chart directories); its value files
    // belong to this build.
    for (const auto& f : options.value_files) result_.files.insert(f);
    if (!rendered.errors.empty()) {
      for (auto& e : rendered.errors) result_.errors.push_back(std::move(e));
      ok = false;
      continue;
    }
    for (auto& m : rendered.manifests) {
      if (!m.object.is_map()) continue;
      Resource r;
      r.root = std::move(m.object);
      r.origin = entry.span;
      if (!append(res, std::move(r), entry.span)) ok = false;
    }
  }
  return ok;
}

bool Builder::apply_namespace(const MNode& k, std::vector<Resource>& res) {
  const auto* ns_node = k.get("namespace");
  if (ns_node == nullptr || ns_node->str().empty()) return true;
  const std::string ns(ns_node->str());
  const Span at = ns_node->span;
  const MNode leaf = MNode::string(ns, at);
  for (auto& r : res) {
    const ResId id = r.id();
    // Kustomize records a previous id for every object here, changed or not; name references rely on it.
    r.prev_ids.push_back(id);
    if (!cluster_scoped(id.kind)) {
      if (MNode* meta = r.root.ensure_map("metadata", at)) meta->set("namespace", leaf);
    }
    if (id.kind == "Namespace" && id.group.empty() && id.version == "v1") {
      if (MNode* meta = r.root.ensure_map("metadata", at)) meta->set("name", leaf);
    }
    for (const auto& fs : namespace_specs()) {
      walk_fieldspec(r.root, fs, leaf, at, [&](MNode& n) {
        if (n.is_scalar() || n.is_null()) n = leaf;
      });
    }
    if ((id.kind == "RoleBinding" || id.kind == "ClusterRoleBinding")) {
      if (auto* subjects = r.root.get("subjects"); subjects != nullptr && subjects->is_seq()) {
        for (auto& s : subjects->items) {
          const auto* name = s.get("name");
          if (name != nullptr && name->str() == "default") s.set("namespace", leaf);
        }
      }
    }
  }
  return true;
}

void Builder::apply_prefix_suffix(const MNode& k, std::vector<Resource>& res) {
  const auto* prefix = k.get("namePrefix");
  const auto* suffix = k.get("nameSuffix");
  const std::string p = prefix != nullptr ? std::string(prefix->str()) : "";
  const std::string s = suffix != nullptr ? std::string(suffix->str()) : "";
  if (p.empty() && s.empty()) return;
  const Span at = !p.empty() ? prefix->span : suffix->span;
  for (auto& r : res) {
    const ResId org = r.orig_id();
    if (org.kind == "CustomResourceDefinition" || org.kind == "Namespace" ||
        (org.kind == "APIService" && org.group == "apiregistration.k8s.io"))
      continue;
    const std::string name = r.name();
    if (name.empty()) continue;
    r.set_name(p + name + s, at);
  }
}

bool Builder::apply_labels(const MNode& k, std::vector<Resource>& res) {
  auto apply = [&](const MNode& pairs, const std::vector<FieldSpec>& specs) {
    if (!pairs.is_map()) return;
    for (auto& r : res) {
      for (const auto& fs : specs) {
        walk_fieldspec(r.root, fs, MNode::map(pairs.span), pairs.span, [&](MNode& target) {
          if (target.is_null()) target = MNode::map(pairs.span);
          if (!target.is_map()) return;
          for (size_t i = 0; i < pairs.keys.size(); ++i) {
            target.set(pairs.keys[i].value, MNode::string(pairs.items[i].value, pairs.items[i].span),
                       pairs.keys[i].span);
          }
        });
      }
    }
  };
  if (const auto* labels = k.get("labels"); labels != nullptr && labels->is_seq()) {
    for (const auto& entry : labels->items) {
      const auto* pairs = entry.get("pairs");
      if (pairs == nullptr) continue;
      auto flag = [&](std::string_view key) {
        const auto* f = entry.get(key);
        return f != nullptr && f->str() == "true";
      };
      std::vector<FieldSpec> specs;
      if (flag("includeSelectors")) {
        specs.assign(common_label_specs().begin(), common_label_specs().end());
      } else {
        if (flag("includeTemplates")) specs.assign(template_label_specs().begin(), template_label_specs().end());
        if (flag("includeVolumeClaimTemplates"))
          specs.insert(specs.end(), volume_claim_label_specs().begin(), volume_claim_label_specs().end());
        specs.push_back(FieldSpec{"metadata/labels", "", "", "", true});
      }
      std::vector<std::string> extra_paths;  // keep custom fieldSpecs' strings alive while specs point at them
      if (const auto* custom = entry.get("fields"); custom != nullptr && custom->is_seq()) {
        for (const auto& f : custom->items) {
          const auto* path = f.get("path");
          if (path == nullptr) continue;
          auto text = [&](std::string_view key) {
            const auto* n = f.get(key);
            return n != nullptr ? n->str() : std::string_view();
          };
          specs.push_back(FieldSpec{path->str(), text("kind"), text("group"), text("version"), text("create") == "true"});
        }
      }
      apply(*pairs, specs);
    }
  }
  if (const auto* common = k.get("commonLabels"); common != nullptr && common->is_map()) {
    apply(*common, std::vector<FieldSpec>(common_label_specs().begin(), common_label_specs().end()));
  }
  return true;
}

void Builder::apply_annotations(const MNode& k, std::vector<Resource>& res) {
  const auto* common = k.get("commonAnnotations");
  if (common == nullptr || !common->is_map() || common->keys.empty()) return;
  for (auto& r : res) {
    for (const auto& fs : common_annotation_specs()) {
      walk_fieldspec(r.root, fs, MNode::map(common->span), common->span, [&](MNode& target) {
        if (target.is_null()) target = MNode::map(common->span);
        if (!target.is_map()) return;
        for (size_t i = 0; i < common->keys.size(); ++i) {
          target.set(common->keys[i].value, MNode::string(common->items[i].value, common->items[i].span),
                     common->keys[i].span);
        }
      });
    }
  }
}

bool Builder::apply_replicas(const MNode& k, std::vector<Resource>& res) {
  const auto* list = k.get("replicas");
  if (list == nullptr || !list->is_seq()) return true;
  bool ok = true;
  for (const auto& entry : list->items) {
    const auto* name = entry.get("name");
    const auto* count = entry.get("count");
    if (name == nullptr || count == nullptr) {
      error(entry.span, "a `replicas` entry needs `name` and `count`");
      ok = false;
      continue;
    }
    bool found = false;
    for (auto& r : res) {
      const auto ids = r.all_ids();
      const bool named = std::any_of(ids.begin(), ids.end(), [&](const ResId& id) { return id.name == name->str(); });
      if (!named) continue;
      for (const auto& fs : replicas_specs()) {
        if (!fieldspec_matches(fs, r.root)) continue;
        found = true;
        MNode value = MNode::scalar(count->value, count->span);
        walk_fieldspec(r.root, fs, value, count->span, [&](MNode& n) { n = value; });
      }
    }
    if (!found) {
      error(name->span,
            fmt::format("resource with name {} does not match a config with the following GVK "
                        "[Deployment.[noVer].[noGrp] ReplicationController.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] "
                        "StatefulSet.[noVer].[noGrp]]",
                        name->str()));
      ok = false;
    }
  }
  return ok;
}

/// kustomize's image name split: name, tag, digest.
struct ImageParts {
  std::string name, tag, digest;
};

ImageParts split_image(std::string_view image) {
  std::string_view search = image;
  size_t slash = image.find('/');
  if (slash != std::string_view::npos && slash > 0) {
    search = image.substr(slash);
  } else {
    slash = 0;
  }
  const auto at = search.find('@');
  const auto colon = search.find(':');
  if (at == std::string_view::npos && colon == std::string_view::npos) return {std::string(image), "", ""};
  if (at != std::string_view::npos && (colon == std::string_view::npos || at < colon)) {
    return {std::string(image.substr(0, at + slash)), "", std::string(image.substr(at + slash + 1))};
  }
  if (at != std::string_view::npos) {
    return {std::string(image.substr(0, colon + slash)),
            std::string(image.substr(colon + slash + 1, at - colon - 1)),
            std::string(image.substr(at + slash + 1))};
  }
  return {std::string(image.substr(0, colon + slash)), std::string(image.substr(colon + slash + 1)), ""};
}

void Builder::apply_images(const MNode& k, std::vector<Resource>& res) {
  const auto* list = k.get("images");
  if (list == nullptr || !list->is_seq()) return;
  for (const auto& entry : list->items) {
    auto text = [&](std::string_view key) -> const MNode* {
      const auto* n = entry.get(key);
      return n != nullptr && n->is_scalar() ? n : nullptr;
    };
    const MNode* name = text("name");
    if (name == nullptr) continue;
    const MNode* new_name = text("newName");
    const MNode* new_tag = text("newTag");
    const MNode* digest = text("digest");
    const MNode* tag_suffix = text("tagSuffix");
    // The name is used as a regular expression, as kustomize does.
    RE2 pattern("^" + std::string(name->str()) +
                    "(:[a-zA-Z0-9_.{}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{}-]*)?$",
                RE2::Quiet);
    if (!pattern.ok()) continue;
    const Span at = (new_tag != nullptr ? new_tag : new_name != nullptr ? new_name : digest != nullptr ? digest : name)->span;
    auto update = [&](MNode& image) {
      if (!image.is_scalar() || !RE2::FullMatch(image.value, pattern)) return;
      ImageParts parts = split_image(image.value);
      if (new_name != nullptr) parts.name = new_name->value;
      if (new_tag != nullptr && digest != nullptr) {
        parts.tag = new_tag->value;
        parts.digest = digest->value;
      } else if (new_tag != nullptr) {
        parts.tag = new_tag->value;
        parts.digest.clear();
      } else if (digest != nullptr) {
        parts.tag.clear();
        parts.digest = digest->value;
      } else if (tag_suffix != nullptr) {
        parts.tag += tag_suffix->value;
        parts.digest.clear();
      }
      std::string out = parts.name;
      if (!parts.tag.empty()) out += ":" + parts.tag;
      if (!parts.digest.empty()) out += "@" + parts.digest;
      image = MNode::string(out, at);
    };
    // Every containers/initContainers list anywhere in the object (kustomize's legacy image filter), and the
    // image volume sources of pod specs.
    std::function<void(MNode&)> walk = [&](MNode& n) {
      if (n.is_map()) {
        for (size_t i = 0; i < n.keys.size(); ++i) {
          walk(n.items[i]);
          const auto& key = n.keys[i].value;
          if ((key == "containers" || key == "initContainers") && n.items[i].is_seq()) {
            for (auto& c : n.items[i].items) {
              if (auto* img = c.get("image")) update(*img);
            }
          }
        }
      } else if (n.is_seq()) {
        for (auto& item : n.items) walk(item);
      }
    };
    for (auto& r : res) {
      if (r.kind() == "CustomResourceDefinition") continue;
      walk(r.root);
      for (std::string_view path : {"spec/volumes", "spec/template/spec/volumes"}) {
        walk_fieldspec(r.root, FieldSpec{path, "", "", "", false}, MNode::null(), at, [&](MNode& v) {
          if (auto* ref = v.at({"image", "reference"})) update(*ref);
        });
      }
    }
  }
}

bool Builder::accumulate(const std::string& dir, std::vector<Resource>& res, std::vector<MNode>& vars, Span from,
                         bool as_component) {
  if (std::find(stack_.begin(), stack_.end(), dir) != stack_.end()) {
    error(from, fmt::format("cycle detected: `{}` includes itself through {}", dir.empty() ? "." : dir,
                            fmt::join(stack_, " -> ")),
          "a kustomization cannot include itself, directly or through another");
    return false;
  }
  std::vector<std::string> found;
  for (auto name : kKustomizationNames) {
    const std::string path = join_path(dir, name);
    if (auto st = ctx_.tree().stat(path); st && st->kind != repo::EntryKind::kDirectory) found.push_back(path);
  }
  if (found.empty()) {
    error(from,
          fmt::format("unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in "
                      "directory `{}`",
                      dir.empty() ? "." : dir),
          "a directory listed in `resources` must hold a kustomization; list the files instead");
    return false;
  }
  if (found.size() > 1) {
    error(from, fmt::format("found multiple kustomization files in `{}`: {}", dir.empty() ? "." : dir,
                            fmt::join(found, ", ")),
          "keep only one");
    return false;
  }
  const std::string& kpath = found.front();
  result_.files.insert(kpath);
  result_.kustomizations.insert(dir);
  auto loaded = ctx_.yaml(kpath);
  if (!loaded->read_error.empty()) {
    error(from.valid() ? from : Span{loaded->file, {1, 1}, {1, 1}},
          fmt::format("cannot read `{}`: {}", kpath, loaded->read_error));
    return false;
  }
  if (!loaded->errors.empty()) {
    const auto& e = loaded->errors.front();
    error(Span{loaded->file, e.mark, e.mark}, fmt::format("invalid YAML in `{}`: {}", kpath, e.message));
    return false;
  }
  if (loaded->documents.empty() || loaded->documents.front().root.is_null()) {
    // An empty kustomization builds nothing.
    return true;
  }
  MNode k = MNode::from(loaded->documents.front().root);
  // Go's encoding/json matches field names ignoring case, so kustomize accepts `Resources:`.
  canonicalize_keys(k, kKnownFields);
  if (!k.is_map()) {
    error(k.span, fmt::format("`{}` must be a mapping", kpath));
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < k.keys.size(); ++i) {
    const auto& key = k.keys[i].value;
    if (std::find(std::begin(kKnownFields), std::end(kKnownFields), key) == std::end(kKnownFields)) {
      std::vector<std::string> known(std::begin(kKnownFields), std::end(kKnownFields));
      auto close = closest_match(key, known);
      error(k.keys[i].span, fmt::format("invalid Kustomization: unknown field `{}`", key),
            close.empty() ? std::string() : fmt::format("did you mean `{}`?", close));
      ok = false;
    } else if (std::find(std::begin(kUnsupportedFields), std::end(kUnsupportedFields), key) !=
               std::end(kUnsupportedFields)) {
      error(k.keys[i].span, fmt::format("`{}` is not supported by gitops-lint's Kustomize builder yet", key),
            "this build is skipped; its objects are not checked");
      ok = false;
    }
  }
  const auto* kind = k.get("kind");
  const bool is_component = kind != nullptr && kind->str() == "Component";
  if (as_component && !is_component) {
    error(from, fmt::format("`{}` is listed as a component but its kind is not `Component`", kpath));
    return false;
  }
  if (!as_component && is_component && !stack_.empty()) {
    error(from, fmt::format("`{}` is a Component: list it under `components`, not `resources`", kpath));
    return false;
  }
  if (!ok) return false;

  if (stack_.empty()) {
    if (options_.overrides != nullptr) apply_overrides(k, *options_.overrides);
    if (const auto* so = k.get("sortOptions")) sort_options_ = *so;
  }
  declare_files(k, dir);
  stack_.push_back(dir);
  const FileLoader loader{ctx_, dir};
  if (const auto* r = k.get("resources"); r != nullptr && !add_resources(*r, dir, res, vars, false)) ok = false;
  if (const auto* b = k.get("bases"); b != nullptr && !add_resources(*b, dir, res, vars, false)) ok = false;
  if (const auto* c = k.get("components"); c != nullptr && !add_resources(*c, dir, res, vars, true)) ok = false;
  stack_.pop_back();
  if (!ok) return false;

  const size_t errors_before = result_.errors.size();
  run_generators(k, loader, res, result_.errors);
  if (result_.errors.size() != errors_before) return false;
  if (!inflate_helm_charts(k, dir, res)) return false;

  if (!apply_legacy_smp(k, loader, res)) return false;
  if (!apply_patches(k, loader, res)) return false;
  if (!apply_namespace(k, res)) return false;
  apply_prefix_suffix(k, res);
  if (!apply_labels(k, res)) return false;
  apply_annotations(k, res);
  if (!apply_legacy_json6902(k, loader, res)) return false;
  if (!apply_replicas(k, res)) return false;
  apply_images(k, res);
  if (const auto* repl = k.get("replacements"); repl != nullptr && !repl->is_null()) {
    apply_replacements(res, *repl, loader, result_.errors);
    if (result_.errors.size() != errors_before) return false;
  }
  if (const auto* v = k.get("vars"); v != nullptr && v->is_seq()) {
    for (const auto& item : v->items) vars.push_back(item);
  }
  return true;
}

}  // namespace

bool is_kustomization_file(std::string_view path) {
  const auto base = basename(path);
  return std::find(std::begin(kKustomizationNames), std::end(kKustomizationNames), base) !=
         std::end(kKustomizationNames);
}

BuildResult build(Context& ctx, std::string_view dir, const BuildOptions& options) {
  BuildResult result;
  Builder builder(ctx, options, result);
  std::vector<Resource> res;
  std::vector<MNode> vars;
  const std::string d(dir);
  if (!builder.accumulate(d, res, vars, Span{}, false)) {
    if (result.errors.empty()) builder.error(Span{}, fmt::format("kustomization `{}` failed to build", d));
    return result;
  }
  add_hash_suffixes(res);
  fix_name_references(res, result.errors);
  if (!result.errors.empty()) return result;
  if (!vars.empty()) {
    resolve_vars(res, vars, result.errors);
    if (!result.errors.empty()) return result;
  }
  // Objects marked as local configuration are inputs to the build, not outputs.
  std::erase_if(res, [](const Resource& r) {
    const auto* v = r.root.at({"metadata", "annotations", kLocalConfig});
    return v != nullptr && v->str() == "true";
  });
  // Output order: kustomize's legacy kind order unless the top kustomization asks for fifo.
  const MNode& sort = builder.sort_options();
  const auto* mode = sort.get("order");
  const bool fifo = mode != nullptr && mode->str() == "fifo";
  KindOrder order = KindOrder::builtin();
  if (const auto* legacy = sort.get("legacySortOptions"); legacy != nullptr && legacy->is_map()) {
    order = KindOrder{};
    for (auto [key, out] : {std::pair{"orderFirst", &order.first}, std::pair{"orderLast", &order.last}}) {
      if (const auto* list = legacy->get(key); list != nullptr && list->is_seq()) {
        for (const auto& k : list->items) out->emplace_back(k.str());
      }
    }
  }
  std::vector<size_t> idx(res.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  if (!fifo) {
    std::vector<ResId> ids;
    ids.reserve(res.size());
    for (const auto& r : res) ids.push_back(r.id());
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return legacy_less(order, ids[a], ids[b]); });
  }
  result.objects.reserve(res.size());
  for (size_t i : idx) result.objects.push_back(std::move(res[i].root));
  return result;
}

}  // namespace gl::render::kustomize
