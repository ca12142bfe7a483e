#include "cli/drift_run.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/error.h"
#include "drift/cluster_client.h"
#include "drift/kubeconfig.h"
#include "drift/live_file.h"
#include "yaml/parser.h"

namespace gl::cli {

std::vector<const k8s::Object*> select_desired(const Desired& desired, const DriftCommand& command,
                                               std::vector<std::string>& notes) {
  const auto& loaded = desired.loaded;
  std::set<std::string> scopes;
  for (const auto& o : loaded.objects) {
    if (!o.scope.empty()) scopes.insert(o.scope);
  }
  if (command.env && scopes.count(*command.env) == 0) {
    throw FatalError(scopes.empty() ? fmt::format("`--env {}`: the repository has no environments", *command.env)
                                    : fmt::format("unknown environment `{}` (the repository has `{}`)", *command.env,
                                                  fmt::join(scopes, "`, `")));
  }
  if (!command.env && scopes.size() > 1) {
    throw FatalError(fmt::format("the repository deploys several environments (`{}`): name the one this cluster runs "
                                 "with --env",
                                 fmt::join(scopes, "`, `")));
  }
  std::set<std::string, std::less<>> app_names;
  for (const auto& a : loaded.apps) app_names.insert(a.name);
  for (const auto& name : command.apps) {
    if (app_names.count(name) == 0) {
      throw FatalError(fmt::format("`--app {}`: no such Argo CD application in the repository", name));
    }
  }
  std::vector<const k8s::Object*> out;
  size_t undeployed = 0;
  for (const auto& o : loaded.objects) {
    if (!o.scope.empty() && command.env && o.scope != *command.env) continue;
    const bool application = o.kind == "Application" && o.group() == "argoproj.io";
    if (!command.apps.empty()) {
      // An application's objects, and the Application objects of those asked for.
      const bool chosen = std::any_of(command.apps.begin(), command.apps.end(), [&](const std::string& a) {
        return std::find(o.app_chain.begin(), o.app_chain.end(), a) != o.app_chain.end() || (application && o.name == a);
      });
      if (chosen) out.push_back(&o);
      continue;
    }
    // With Argo CD, what no application deploys is not expected in the cluster (root Applications are
    // applied by hand and count).
    if (!app_names.empty() && o.app_chain.empty() && !application) {
      ++undeployed;
      continue;
    }
    out.push_back(&o);
  }
  if (undeployed > 0) {
    notes.push_back(fmt::format("{} object{} no Argo CD application deploys {} not compared", undeployed,
                                undeployed == 1 ? "" : "s", undeployed == 1 ? "was" : "were"));
  }
  return out;
}

namespace {

std::vector<drift::Ignore> ignores_of(const Desired& desired, std::vector<std::string>& notes) {
  std::vector<drift::Ignore> out;
  auto check = [&](const drift::Ignore& ig, const std::string& where) {
    for (const auto& expr : ig.jq_path_expressions) {
      if (auto err = drift::check_jq_path(expr); !err.empty()) notes.push_back(fmt::format("{}: {}; not applied", where, err));
    }
  };
  for (const auto& app : desired.loaded.apps) {
    for (const auto& ig : app.ignore_differences) {
      drift::Ignore x{ig.group, ig.kind, ig.name, ig.name_space, ig.json_pointers, ig.jq_path_expressions,
                      ig.managed_fields_managers, app.name};
      check(x, fmt::format("application `{}` ignoreDifferences", app.name));
      out.push_back(std::move(x));
    }
  }
  for (const auto& ig : desired.config.drift.ignore_differences) {
    drift::Ignore x{ig.group, ig.kind, ig.name, ig.name_space, ig.json_pointers, ig.jq_path_expressions,
                    ig.managed_fields_managers, ""};
    check(x, ig.at.valid() ? fmt::format("{}:{}", ig.at.file->path(), ig.at.begin.line) : "drift.ignoreDifferences");
    out.push_back(std::move(x));
  }
  return out;
}

/// Kinds to list from the cluster: those in Git, the kinds applications commonly leave behind (to find extra
/// objects), the config's `drift.extraKinds`, and Nodes.
std::vector<std::string> kinds_to_list(const std::vector<const k8s::Object*>& selected, const config::Config& config) {
  std::set<std::string> kinds = {"Node", "ConfigMap", "Secret", "Service", "ServiceAccount", "PersistentVolumeClaim",
                                 "apps/Deployment", "apps/StatefulSet", "apps/DaemonSet", "batch/CronJob",
                                 "networking.k8s.io/Ingress", "networking.k8s.io/NetworkPolicy",
                                 "rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/RoleBinding",
                                 "autoscaling/HorizontalPodAutoscaler", "policy/PodDisruptionBudget"};
  for (const auto* o : selected) kinds.insert(drift::kind_key(o->api_version, o->kind));
  for (const auto& k : config.drift.extra_kinds) kinds.insert(k);
  return {kinds.begin(), kinds.end()};
}

/// The live side from the cluster of the kubeconfig context (kubectl's rules for finding it).
drift::LiveSet read_live_cluster(const DriftCommand& command, const std::vector<const k8s::Object*>& selected,
                                 const config::Config& config) {
  drift::ClusterClient client(drift::load_cluster_access(command.kubeconfig, command.context));
  return drift::read_cluster(client, kinds_to_list(selected, config), command.all_kinds);
}

}  // namespace

void use_live_nodes(const CheckOptions& options, Loaded& loaded, SourceSet& sources) {
  drift::ClusterClient client(drift::load_cluster_access(options.kubeconfig, options.context));
  std::vector<std::string> notes;
  auto nodes = drift::read_nodes(client, &notes);
  for (auto& n : notes) loaded.notes.push_back(std::move(n));
  if (nodes.empty()) {
    loaded.notes.push_back(fmt::format("no Node could be read from {}: the repository's node inventory is used",
                                       client.description()));
    return;
  }
  size_t declared = 0;
  std::erase_if(loaded.objects, [&](const k8s::Object& o) {
    const bool node = o.kind == "Node" && o.group().empty();
    declared += node ? 1 : 0;
    return node;
  });
  declared += loaded.infra.nodes.size();
  loaded.infra.nodes.clear();
  loaded.live_nodes = true;
  for (const auto& live : nodes) {
    // Only what scheduling reads, so the lines findings point at are short and stable.
    nlohmann::json node = {{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", live.name}}}};
    const auto& body = live.body;
    if (auto md = body.find("metadata"); md != body.end() && md->contains("labels")) node["metadata"]["labels"] = (*md)["labels"];
    if (auto spec = body.find("spec"); spec != body.end() && spec->is_object()) {
      for (const char* key : {"taints", "unschedulable"}) {
        if (spec->contains(key)) node["spec"][key] = (*spec)[key];
      }
    }
    if (auto status = body.find("status"); status != body.end() && status->is_object()) {
      for (const char* key : {"allocatable", "capacity"}) {
        if (status->contains(key)) node["status"][key] = (*status)[key];
      }
    }
    const SourceFile* file = sources.add(fmt::format("cluster/nodes/{}.json", live.name), node.dump(2) + "\n");
    auto parsed = yaml::parse(*file);
    for (auto& doc : parsed.documents) {
      if (auto o = k8s::make_object(std::move(doc))) loaded.objects.push_back(std::move(*o));
    }
  }
  loaded.notes.push_back(fmt::format("node inventory: {} node{} read from {}{}", nodes.size(), nodes.size() == 1 ? "" : "s",
                                     client.description(),
                                     declared > 0 ? fmt::format("; the {} {} the repository declares {} not used", declared,
                                                                declared == 1 ? "node" : "nodes", declared == 1 ? "is" : "are")
                                                  : std::string()));
}

DriftOutcome run_drift(const DriftCommand& command) {
  DriftOutcome out;
  out.desired = load_desired(command.check);
  std::vector<std::string> notes = out.desired.loaded.notes;
  const auto selected = select_desired(out.desired, command, notes);
  if (!command.live_files.empty()) {
    out.live = drift::read_live_files(command.live_files);
  } else {
    out.live = read_live_cluster(command, selected, out.desired.config);
  }
  drift::DriftOptions options;
  options.ignores = ignores_of(out.desired, notes);
  for (const auto& a : out.desired.loaded.apps) {
    options.applications.push_back(a.name);
    options.application_spans.emplace(a.name, a.at);
  }
  out.result = drift::compare(selected, out.live, options);
  out.info.desired = out.desired.description;
  out.info.live = out.live.description;
  for (auto& n : out.live.notes) notes.push_back(n);
  out.info.notes = std::move(notes);
  return out;
}

}  // namespace gl::cli
