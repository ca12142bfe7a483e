#pragma once
// Argo CD Applications as the repo server reads them: each source (single or multi-source), its type
// (directory, kustomize, helm, plugin), the destination, the sync wave and options.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/object.h"
#include "render/render.h"
#include "yaml/node.h"

namespace gl::render::argocd {

inline constexpr std::string_view kGroup = "argoproj.io";
inline constexpr std::string_view kInClusterServer = "https://kubernetes.default.svc";
inline constexpr std::string_view kDefaultAppNamespace = "argocd";

enum class SourceType { kDirectory, kKustomize, kHelm, kPlugin };
std::string_view to_string(SourceType type);

/// One entry of spec.source / spec.sources.
struct AppSource {
  const yaml::Node* node = nullptr;  ///< the source mapping
  std::string repo_url;
  std::string path;
  std::string chart;  ///< a chart from a Helm repository (repoURL is then a Helm or OCI repository)
  std::string target_revision;
  std::string ref;  ///< multi-source: the name other sources use as `$ref/...`
  /// The type the user asked for (only one of helm/kustomize/directory/plugin may be set); nullopt = detect.
  std::optional<SourceType> explicit_type;
  const yaml::Node* helm = nullptr;       ///< spec.source.helm (non-zero)
  const yaml::Node* kustomize = nullptr;  ///< spec.source.kustomize (non-zero)
  const yaml::Node* directory = nullptr;  ///< spec.source.directory (non-zero)
};

/// One entry of spec.ignoreDifferences (what `drift` leaves out of the comparison, as Argo CD's diff does).
struct IgnoreDifference {
  std::string group;
  std::string kind;
  std::string name;        ///< "" = every name
  std::string name_space;  ///< "" = every namespace
  std::vector<std::string> json_pointers;
  std::vector<std::string> jq_path_expressions;
  std::vector<std::string> managed_fields_managers;
};

struct Application {
  const k8s::Object* object = nullptr;
  std::string name;
  std::string ns;  ///< where the Application object lives (argocd by default)
  std::string project;
  std::vector<AppSource> sources;
  bool multi_source = false;
  std::string dest_server;
  std::string dest_name;
  std::string dest_namespace;
  const yaml::Node* dest_namespace_node = nullptr;
  int64_t wave = 0;
  std::vector<std::string> sync_options;  ///< spec.syncPolicy.syncOptions as written
  bool create_namespace = false;          ///< CreateNamespace=true
  std::vector<IgnoreDifference> ignore_differences;
};

/// Reads an Application object. Problems Argo CD rejects (no source, two source types in one source) are
/// appended to `errors`; the app is still returned when it has a name.
std::optional<Application> parse_application(const k8s::Object& o, std::vector<RenderError>& errors);

/// The span of `key` itself in a mapping (where "this field is wrong" reads best), else the mapping's.
Span key_span(const yaml::Node& map, std::string_view key);

/// True for argoproj.io Application / ApplicationSet objects.
bool is_application(const k8s::Object& o);
bool is_application_set(const k8s::Object& o);

}  // namespace gl::render::argocd
