#include "cli/apps_output.h"

#include "cli/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace gl::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string destination(const render::argocd::AppRecord& a) {
  std::string where = !a.dest_name.empty() ? a.dest_name : a.dest_server;
  if (where == render::argocd::kInClusterServer) where = "in-cluster";
  return a.dest_namespace.empty() ? where : fmt::format("{}/{}", where, a.dest_namespace);
}

std::string json_apps(const std::vector<render::argocd::AppRecord>& apps) {
  Json root = Json::object();
  root["version"] = 1;
  Json list = Json::array();
  for (const auto& a : apps) {
    Json j = Json::object();
    j["name"] = a.name;
    j["namespace"] = a.ns;
    j["project"] = a.project;
    j["generatedBy"] = a.generated_by.empty() ? Json(nullptr) : Json(a.generated_by);
    j["parent"] = a.parent.empty() ? Json(nullptr) : Json(a.parent);
    j["sources"] = a.sources;
    Json dest = Json::object();
    dest["server"] = a.dest_server;
    dest["name"] = a.dest_name;
    dest["namespace"] = a.dest_namespace;
    j["destination"] = std::move(dest);
    j["wave"] = a.wave;
    j["objects"] = a.objects;
    j["status"] = a.status;
    j["chain"] = a.chain;
    j["waves"] = a.waves;
    j["file"] = a.at.file != nullptr ? Json(a.at.file->path()) : Json(nullptr);
    j["line"] = a.at.valid() ? Json(a.at.begin.line) : Json(nullptr);
    list.push_back(std::move(j));
  }
  root["applications"] = std::move(list);
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string table_apps(const std::vector<render::argocd::AppRecord>& apps) {
  const std::vector<std::string> header = {"NAME", "PROJECT", "WAVE", "GENERATED-BY", "DESTINATION", "OBJECTS", "STATUS",
                                           "SOURCE"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : apps) {
    // Nesting shows the app-of-apps tree.
    std::string name(2 * (a.chain.empty() ? 0 : a.chain.size() - 1), ' ');
    name += a.name;
    rows.push_back({name, a.project, std::to_string(a.wave), a.generated_by.empty() ? "-" : a.generated_by,
                    destination(a), std::to_string(a.objects), a.status,
                    a.sources.empty() ? "-" : fmt::format("{}", fmt::join(a.sources, "; "))});
  }
  return format_table(header, rows);
}

}  // namespace

std::string render_apps(const std::vector<render::argocd::AppRecord>& apps, std::string_view format) {
  return format == "json" ? json_apps(apps) : table_apps(apps);
}

}  // namespace gl::cli
