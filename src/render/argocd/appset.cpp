// ApplicationSet expansion: the spec (goTemplate, goTemplateOptions, template, templatePatch, syncPolicy)
// and the Applications each generator's parameter sets render, as Argo CD's GenerateApplications does.
#include "render/argocd/appset.h"

#include <map>
#include <utility>

#include "core/strings.h"
#include "render/argocd/appset_internal.h"
#include "render/helm/funcs/helm_yaml.h"

namespace gl::render::argocd {

namespace {

using appset::Map;
using appset::Run;
namespace gt = gotemplate;

constexpr std::string_view kResourcesFinalizer = "resources-finalizer.argocd.argoproj.io";

std::string text(const MNode* n) { return n != nullptr && n->is_scalar() ? n->value : std::string(); }

/// What the whole set shares while its Applications are rendered.
struct SetSpec {
  const MNode* patch = nullptr;  ///< spec.templatePatch
  bool preserve_resources = false;
  std::string ns;
  Span ns_at;
};

/// One Application from a (merged) template and a parameter set (Argo CD's RenderTemplateParams, then the
/// templatePatch and the set's namespace); nullopt when rendering failed (reported).
std::optional<MNode> render_app(Run& run, const SetSpec& set, const MNode& tmpl, const Map& params) {
  MNode app = MNode::map(tmpl.span);
  app.set("apiVersion", MNode::scalar("argoproj.io/v1alpha1", tmpl.span));
  app.set("kind", MNode::scalar("Application", tmpl.span));
  const MNode* tmeta = tmpl.get("metadata");
  MNode& meta = app.set("metadata", MNode::map(tmeta != nullptr ? tmeta->span : tmpl.span));
  // Only these metadata fields reach the Application (GetTempApplication).
  for (auto key : {"name", "namespace", "labels", "annotations", "finalizers"}) {
    const MNode* v = tmeta != nullptr ? tmeta->get(key) : nullptr;
    if (v != nullptr) meta.set(key, *v);
  }
  const MNode* tspec = tmpl.get("spec");
  app.set("spec", tspec != nullptr ? *tspec : MNode::map(tmpl.span));
  if (!params.empty()) {
    RenderError err;
    if (!run.templater.render(*app.get("metadata"), params, &err) ||
        !run.templater.render(*app.get("spec"), params, &err)) {
      run.error(err.at, std::move(err.message), std::move(err.help));
      return std::nullopt;
    }
    MNode* fin = app.get("metadata")->get("finalizers");
    if (!set.preserve_resources && (fin == nullptr || fin->items.empty())) {
      MNode list = MNode::seq(app.get("metadata")->span);
      list.items.push_back(MNode::string(std::string(kResourcesFinalizer), list.span));
      app.get("metadata")->set("finalizers", std::move(list));
    }
  }
  if (set.patch != nullptr) {
    std::string err;
    auto rendered = run.templater.replace(set.patch->value, params, &err);
    std::optional<gt::Value> patch;
    if (rendered) patch = helm::from_yaml(*rendered, &err);
    if (patch && !patch->is_nil() && patch->kind() != gt::Kind::kMap) err = "the patch is not a mapping";
    if (!rendered || !patch || !err.empty()) {
      run.error(set.patch->span, "error in templatePatch: " + err, "make the rendered templatePatch a YAML mapping");
      return std::nullopt;
    }
    if (!patch->is_nil()) {
      // Argo CD keeps the project of the template whatever the patch says (a guard against escalation).
      const MNode* project = app.at({"spec", "project"});
      std::optional<MNode> keep = project != nullptr ? std::optional<MNode>(*project) : std::nullopt;
      appset::merge_patch(app, appset::to_node(*patch, set.patch->span));
      app.set("apiVersion", MNode::scalar("argoproj.io/v1alpha1", tmpl.span));
      app.set("kind", MNode::scalar("Application", tmpl.span));
      MNode* spec = app.get("spec");
      if (spec != nullptr && spec->is_map()) {
        if (keep) {
          spec->set("project", std::move(*keep));
        } else {
          spec->erase("project");
        }
      }
    }
  }
  MNode* m = app.get("metadata");
  if (m == nullptr || !m->is_map()) m = &app.set("metadata", MNode::map(tmpl.span));
  m->set("namespace", MNode::string(set.ns, set.ns_at));
  return app;
}

}  // namespace

AppSetResult generate(Context& ctx, const yaml::Node& node, const AppSetOptions& options) {
  AppSetResult result;
  const MNode root = MNode::from(node);
  const MNode* spec = root.get("spec");
  gt::MissingKey missing = gt::MissingKey::kInvalid;
  std::vector<std::pair<Span, std::string>> option_errors;
  const MNode* opts = spec != nullptr ? spec->get("goTemplateOptions") : nullptr;
  for (size_t i = 0; opts != nullptr && opts->is_seq() && i < opts->items.size(); ++i) {
    const std::string o = text(&opts->items[i]);
    if (o == "missingkey=default" || o == "missingkey=invalid") {
      missing = gt::MissingKey::kInvalid;
    } else if (o == "missingkey=zero") {
      missing = gt::MissingKey::kZero;
    } else if (o == "missingkey=error") {
      missing = gt::MissingKey::kError;
    } else {
      option_errors.emplace_back(opts->items[i].span, o);
    }
  }
  const MNode* go = spec != nullptr ? spec->get("goTemplate") : nullptr;
  const appset::Templater templater(go != nullptr && to_lower(text(go)) == "true", missing);
  Run run(ctx, options, templater, result);
  run.name = text(root.at({"metadata", "name"}));
  for (const auto& [at, o] : option_errors) {
    run.error(at, "unknown goTemplateOptions entry `" + o + "`",
              "use `missingkey=error`, `missingkey=zero` or `missingkey=default`");
  }
  const MNode* tmpl = spec != nullptr ? spec->get("template") : nullptr;
  const MNode* gens = spec != nullptr ? spec->get("generators") : nullptr;
  if (spec == nullptr || !spec->is_map() || tmpl == nullptr || !tmpl->is_map()) {
    run.error(spec != nullptr ? spec->span : root.span, "ApplicationSet `" + run.name + "` has no `spec.template`",
              "add a template with the Application's metadata and spec");
  } else if (gens != nullptr && !gens->is_null() && !gens->is_seq()) {
    run.error(gens->span, "`spec.generators` must be a list", "write each generator as a list item");
  }
  SetSpec set;
  set.patch = spec != nullptr ? spec->get("templatePatch") : nullptr;
  if (set.patch != nullptr && !set.patch->is_scalar()) {
    run.error(set.patch->span, "`templatePatch` must be a string", "write the patch as a block string (`|`)");
  }
  if (run.failed) {
    result.refused = true;
    return result;
  }
  if (set.patch != nullptr && set.patch->value.empty()) set.patch = nullptr;
  const MNode* preserve = spec->at({"syncPolicy", "preserveResourcesOnDeletion"});
  set.preserve_resources = to_lower(text(preserve)) == "true";
  const MNode* ns = root.at({"metadata", "namespace"});
  set.ns = text(ns).empty() ? options.default_namespace : text(ns);
  set.ns_at = ns != nullptr ? ns->span : root.span;

  for (size_t i = 0; gens != nullptr && i < gens->items.size(); ++i) {
    for (auto& out : appset::evaluate_entry(run, gens->items[i])) {
      if (!out.ok) continue;
      MNode merged = out.own_template != nullptr ? *out.own_template : MNode::map(tmpl->span);
      appset::merge_defaults(merged, *tmpl);
      for (const auto& ps : out.sets) {
        auto app = render_app(run, set, merged, ps.params);
        if (!app) continue;
        GeneratedApp g;
        g.application = std::move(*app);
        g.element = ps.elements.empty() ? gens->items[i].span : ps.elements.front();
        g.elements = ps.elements;
        g.generator = out.name;
        result.applications.push_back(std::move(g));
      }
    }
  }

  // Argo CD tracks generated Applications by name: each needs one, and a unique one.
  std::map<std::string, size_t> names;
  for (const auto& g : result.applications) {
    const MNode* name = g.application.at({"metadata", "name"});
    const Span at = name != nullptr ? name->span : g.application.span;
    if (text(name).empty()) {
      run.error(at, "ApplicationSet `" + run.name + "` generates an application with no name",
                "set `metadata.name` in the template from a parameter");
    } else if (++names[text(name)] == 2) {
      run.error(at, "ApplicationSet `" + run.name + "` generates two applications named `" + text(name) + "`",
                "include a parameter that differs between parameter sets in `metadata.name`");
    }
  }
  if (run.failed) {
    result.refused = true;
    result.applications.clear();
  }
  return result;
}

}  // namespace gl::render::argocd
