#include "render/argocd/application.h"

#include <fmt/format.h>

#include "core/strings.h"
#include "render/repo_url.h"

namespace gl::render::argocd {
namespace {

std::string text_at(const yaml::Node* n) {
  return n != nullptr && n->is_scalar() ? std::string(n->str()) : std::string();
}

/// Argo CD nils a source section whose fields are all zero (NormalizeSource), so `directory: {recurse:
/// false}` does not make a source a directory source.
bool is_zero(const yaml::Node& n) {
  if (n.is_null()) return true;
  if (n.is_scalar()) return n.str().empty() || n.str() == "false" || n.str() == "0";
  for (const auto& item : n.items()) {
    if (!is_zero(item)) return false;
  }
  return true;
}

/// A directory section keeps include/exclude even when otherwise zero.
bool directory_is_zero(const yaml::Node& n) {
  if (!n.is_map()) return is_zero(n);
  for (size_t i = 0; i < n.keys().size(); ++i) {
    const auto key = n.keys()[i].str();
    if ((key == "include" || key == "exclude") && !n.items()[i].str().empty()) return false;
    if (!is_zero(n.items()[i])) return false;
  }
  return true;
}

AppSource read_source(const yaml::Node& s, std::vector<RenderError>& errors) {
  AppSource src;
  src.node = &s;
  // Kept only as it may be shown: matching ignores the user part, and a token in it must never be printed.
  src.repo_url = redact_url_credentials(text_at(s.get("repoURL")));
  src.path = text_at(s.get("path"));
  src.chart = text_at(s.get("chart"));
  src.target_revision = text_at(s.get("targetRevision"));
  src.ref = text_at(s.get("ref"));
  // Paths are relative to the repository root; Argo CD treats "." and "" as the root.
  std::string_view p = src.path;
  while (p.starts_with("./")) p.remove_prefix(2);
  while (p.starts_with("/")) p.remove_prefix(1);
  while (p.ends_with("/")) p.remove_suffix(1);
  src.path = p == "." ? std::string() : std::string(p);
  if (src.repo_url.empty()) {
    errors.push_back(RenderError{s.span(), "source has no `repoURL`",
                                 "set `repoURL` to the Git repository (or Helm registry) the source comes from"});
  }
  std::vector<std::pair<SourceType, std::string_view>> types;
  if (const auto* k = s.get("kustomize"); k != nullptr && !is_zero(*k)) {
    types.emplace_back(SourceType::kKustomize, "kustomize");
    src.kustomize = k;
  }
  if (const auto* h = s.get("helm"); h != nullptr && !is_zero(*h)) {
    types.emplace_back(SourceType::kHelm, "helm");
    src.helm = h;
  }
  if (const auto* d = s.get("directory"); d != nullptr && !directory_is_zero(*d)) {
    types.emplace_back(SourceType::kDirectory, "directory");
    src.directory = d;
  }
  if (const auto* pl = s.get("plugin"); pl != nullptr) types.emplace_back(SourceType::kPlugin, "plugin");
  if (types.size() > 1) {
    std::vector<std::string> names;
    for (const auto& [t, n] : types) names.emplace_back(to_string(t));
    errors.push_back(RenderError{key_span(s, types[1].second),
                                 fmt::format("multiple application sources defined: {}", fmt::join(names, ",")),
                                 "keep one of `helm`, `kustomize`, `directory` and `plugin` per source"});
  } else if (types.size() == 1) {
    src.explicit_type = types.front().first;
  }
  return src;
}

}  // namespace

std::string_view to_string(SourceType type) {
  switch (type) {
    case SourceType::kDirectory: return "Directory";
    case SourceType::kKustomize: return "Kustomize";
    case SourceType::kHelm: return "Helm";
    case SourceType::kPlugin: return "Plugin";
  }
  return "Directory";
}

Span key_span(const yaml::Node& map, std::string_view key) {
  for (const auto& k : map.keys()) {
    if (k.str() == key) return k.span();
  }
  return map.span();
}

bool is_application(const k8s::Object& o) { return o.group() == kGroup && o.kind == "Application"; }
bool is_application_set(const k8s::Object& o) { return o.group() == kGroup && o.kind == "ApplicationSet"; }

std::optional<Application> parse_application(const k8s::Object& o, std::vector<RenderError>& errors) {
  if (o.name.empty()) return std::nullopt;
  Application app;
  app.object = &o;
  app.name = o.name;
  app.ns = o.namespace_explicit ? o.name_space : std::string(kDefaultAppNamespace);
  const yaml::Node* spec = o.root.get("spec");
  if (spec == nullptr || !spec->is_map()) {
    errors.push_back(RenderError{o.anchor().span(), fmt::format("Application `{}` has no spec", o.name),
                                 "add spec.source, spec.destination and spec.project"});
    return app;
  }
  app.project = text_at(spec->get("project"));
  if (app.project.empty()) app.project = "default";
  if (const auto* sources = spec->get("sources");
      sources != nullptr && sources->is_seq() && !sources->items().empty()) {
    // Argo CD uses spec.sources and ignores spec.source when both are set.
    app.multi_source = true;
    for (const auto& s : sources->items()) {
      if (s.is_map()) app.sources.push_back(read_source(s, errors));
    }
  } else if (const auto* source = spec->get("source"); source != nullptr && source->is_map()) {
    app.sources.push_back(read_source(*source, errors));
  } else {
    errors.push_back(RenderError{key_span(o.root, "spec"),
                                 fmt::format("Application `{}` has no source", o.name),
                                 "set spec.source (or spec.sources) to what the application deploys"});
  }
  if (const auto* dest = spec->get("destination"); dest != nullptr && dest->is_map()) {
    app.dest_server = text_at(dest->get("server"));
    app.dest_name = text_at(dest->get("name"));
    app.dest_namespace_node = dest->get("namespace");
    app.dest_namespace = text_at(app.dest_namespace_node);
  }
  if (const auto w = o.annotation("argocd.argoproj.io/sync-wave")) {
    // Anything but an integer counts as wave 0 (sync-wave-order reports the bad value).
    app.wave = k8s::parse_sync_wave(*w).value_or(0);
  }
  if (const auto* opts = spec->at({"syncPolicy", "syncOptions"}); opts != nullptr && opts->is_seq()) {
    for (const auto& item : opts->items()) {
      app.sync_options.emplace_back(item.str());
      if (trim(item.str()) == "CreateNamespace=true") app.create_namespace = true;
    }
  }
  if (const auto* ignores = spec->get("ignoreDifferences"); ignores != nullptr && ignores->is_seq()) {
    auto strings = [](const yaml::Node* list) {
      std::vector<std::string> out;
      if (list != nullptr && list->is_seq()) {
        for (const auto& item : list->items()) out.emplace_back(item.str());
      }
      return out;
    };
    for (const auto& item : ignores->items()) {
      if (!item.is_map()) continue;
      IgnoreDifference ig;
      ig.group = text_at(item.get("group"));
      ig.kind = text_at(item.get("kind"));
      ig.name = text_at(item.get("name"));
      ig.name_space = text_at(item.get("namespace"));
      ig.json_pointers = strings(item.get("jsonPointers"));
      ig.jq_path_expressions = strings(item.get("jqPathExpressions"));
      ig.managed_fields_managers = strings(item.get("managedFieldsManagers"));
      app.ignore_differences.push_back(std::move(ig));
    }
  }
  return app;
}

}  // namespace gl::render::argocd
