#include "drift/live_file.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "core/error.h"
#include "core/source.h"
#include "drift/json_tree.h"
#include "k8s/object.h"
#include "yaml/parser.h"

namespace gl::drift {

std::string kind_key(std::string_view api_version, std::string_view kind) {
  const std::string_view group = k8s::api_group(api_version);
  return group.empty() ? std::string(kind) : fmt::format("{}/{}", group, kind);
}

namespace {

std::string text_of(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void add_one(nlohmann::json&& item, std::string api_version, std::string kind, LiveSet& out) {
  if (auto v = text_of(item, "apiVersion"); !v.empty()) api_version = std::move(v);
  if (auto k = text_of(item, "kind"); !k.empty()) kind = std::move(k);
  LiveObject o;
  o.api_version = std::move(api_version);
  o.kind = std::move(kind);
  if (auto md = item.find("metadata"); md != item.end() && md->is_object()) {
    o.name = text_of(*md, "name");
    o.name_space = text_of(*md, "namespace");
  }
  o.body = std::move(item);
  o.body["apiVersion"] = o.api_version;
  o.body["kind"] = o.kind;
  out.objects.push_back(std::move(o));
}

}  // namespace

std::string add_live_objects(nlohmann::json&& object, LiveSet& out) {
  if (!object.is_object()) return "not a Kubernetes object or List";
  const std::string kind = text_of(object, "kind");
  const std::string api_version = text_of(object, "apiVersion");
  auto items = object.find("items");
  if (kind.ends_with("List") && items != object.end()) {
    if (!items->is_array()) return "`items` of a List is not a list";
    // Typed lists from the API (`DeploymentList`) leave apiVersion and kind out of their items.
    const std::string item_kind = kind == "List" ? std::string() : kind.substr(0, kind.size() - 4);
    for (auto& item : *items) {
      if (!item.is_object()) return "an item of the List is not an object";
      if (text_of(item, "kind").empty() && item_kind.empty()) return "an item of the List has no `kind`";
      add_one(std::move(item), api_version, item_kind, out);
    }
    return "";
  }
  if (kind.empty() || api_version.empty()) return "not a Kubernetes object (no `apiVersion` and `kind`)";
  add_one(std::move(object), api_version, kind, out);
  return "";
}

void finish_live_set(LiveSet& live) {
  std::sort(live.objects.begin(), live.objects.end(), [](const LiveObject& a, const LiveObject& b) {
    return std::tie(a.kind, a.api_version, a.name_space, a.name) < std::tie(b.kind, b.api_version, b.name_space, b.name);
  });
  std::set<std::string> kinds(live.complete_kinds.begin(), live.complete_kinds.end());
  for (const auto& o : live.objects) kinds.insert(kind_key(o.api_version, o.kind));
  live.complete_kinds.assign(kinds.begin(), kinds.end());
}

LiveSet read_live_files(const std::vector<std::string>& paths, size_t max_bytes) {
  LiveSet out;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FatalError(fmt::format("{}: cannot read the live objects file", path));
    in.seekg(0, std::ios::end);
    const auto size = static_cast<size_t>(std::max<std::streamoff>(in.tellg(), 0));
    if (size > max_bytes) throw FatalError(fmt::format("{}: {} bytes, over the {} byte limit", path, size, max_bytes));
    in.seekg(0);
    std::string text(size, '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    const SourceFile file(path, std::move(text));
    const std::string_view body = file.text();
    const size_t first = body.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) throw FatalError(fmt::format("{}: empty live objects file", path));
    if (body[first] == '{' || body[first] == '[') {
      nlohmann::json doc;
      try {
        doc = nlohmann::json::parse(body);
      } catch (const nlohmann::json::parse_error& e) {
        const Mark m = file.mark_at(e.byte > 0 ? e.byte - 1 : 0);
        throw FatalError(fmt::format("{}:{}:{}: malformed JSON: {}", path, m.line, m.column, e.what()));
      }
      std::vector<nlohmann::json> docs;
      if (doc.is_array()) {
        for (auto& d : doc) docs.push_back(std::move(d));
      } else {
        docs.push_back(std::move(doc));
      }
      for (auto& d : docs) {
        if (auto err = add_live_objects(std::move(d), out); !err.empty()) throw FatalError(fmt::format("{}: {}", path, err));
      }
    } else {
      const auto parsed = yaml::parse(file);
      if (!parsed.errors.empty()) {
        const auto& e = parsed.errors.front();
        throw FatalError(fmt::format("{}:{}:{}: {}", path, e.mark.line, e.mark.column, e.message));
      }
      for (const auto& d : parsed.documents) {
        if (d.root.is_null()) continue;
        if (auto err = add_live_objects(to_json(d.root), out); !err.empty()) {
          throw FatalError(fmt::format("{}:{}: {}", path, d.root.begin.line, err));
        }
      }
    }
  }
  finish_live_set(out);
  out.description = paths.size() == 1 ? fmt::format("file {}", paths.front())
                                      : fmt::format("{} files ({}, ...)", paths.size(), paths.front());
  return out;
}

}  // namespace gl::drift
