#include "drift/cluster_client.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"
#include "drift/live_file.h"

namespace gl::drift {

namespace {

/// Pages of one list before giving up (a server handing out continue tokens forever).
constexpr size_t kMaxPages = 100000;
/// Characters of a non-Status error body quoted in a note.
constexpr size_t kMaxQuoted = 200;

std::string read_credential_file(const std::string& path, std::string_view what, const ClusterAccess& access) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw FatalError(fmt::format("{}: cannot read {} `{}` of context `{}`", access.origin, what, path, access.context));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string text_of(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// "403 Forbidden: secrets is forbidden: ..." from a response: the Status message the API server sends, or the
/// start of whatever else answered (a proxy's HTML page).
std::string describe(const HttpResponse& r) {
  if (r.status == 0) {
    return r.attempts > 1 ? fmt::format("no response after {} attempts: {}", r.attempts, r.error) : r.error;
  }
  std::string detail;
  try {
    const auto j = nlohmann::json::parse(r.body);
    if (j.is_object() && text_of(j, "kind") == "Status") detail = text_of(j, "message");
  } catch (const nlohmann::json::exception&) {
    std::string_view first = trim(r.body);
    first = first.substr(0, std::min(first.find('\n'), kMaxQuoted));
    detail = std::string(first);
  }
  std::string out = status_text(r.status);
  if (!detail.empty()) out += ": " + detail;
  if (r.attempts > 1) out += fmt::format(" (after {} attempts)", r.attempts);
  return out;
}

/// How notes name a resource: `secrets`, `deployments.apps` (as kubectl does).
std::string display(const ApiResource& r) { return r.group.empty() ? r.name : fmt::format("{}.{}", r.name, r.group); }

std::pair<std::string, std::string> split_kind_key(std::string_view key) {
  const size_t slash = key.rfind('/');
  if (slash == std::string_view::npos) return {"", std::string(key)};
  return {std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

}  // namespace

std::string ApiResource::api_version() const { return group.empty() ? version : fmt::format("{}/{}", group, version); }

std::string ApiResource::key() const { return group.empty() ? kind : fmt::format("{}/{}", group, kind); }

bool ApiResource::can(std::string_view verb) const {
  return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

struct ClusterClient::Group {
  std::string name;                   ///< "" for core
  std::vector<std::string> versions;  ///< group versions ("apps/v1"), by the server's priority
  std::string preferred;
  std::set<std::string> fetched;
  bool failed = false;  ///< the preferred version could not be discovered
};

ClusterClient::ClusterClient(ClusterAccess access, ClientOptions options)
    : access_(std::move(access)), options_(std::move(options)) {
  HttpTarget t;
  t.server = access_.server;
  t.ca_pem = access_.ca_data;
  if (t.ca_pem.empty() && !access_.ca_file.empty()) {
    t.ca_pem = read_credential_file(access_.ca_file, "certificate-authority", access_);
  }
  t.insecure_skip_tls_verify = access_.insecure_skip_tls_verify;
  t.tls_server_name = access_.tls_server_name;
  t.proxy_url = access_.proxy_url;
  t.bearer_token = access_.token;
  if (t.bearer_token.empty() && !access_.token_file.empty()) {
    t.bearer_token = std::string(trim(read_credential_file(access_.token_file, "tokenFile", access_)));
  }
  t.client_certificate_pem = access_.client_certificate_data;
  if (t.client_certificate_pem.empty() && !access_.client_certificate_file.empty()) {
    t.client_certificate_pem = read_credential_file(access_.client_certificate_file, "client-certificate", access_);
  }
  t.client_key_pem = access_.client_key_data;
  if (t.client_key_pem.empty() && !access_.client_key_file.empty()) {
    t.client_key_pem = read_credential_file(access_.client_key_file, "client-key", access_);
  }
  // A static token wins over the plugin (kubectl does not call the plugin when a request already carries one).
  if (access_.exec && t.bearer_token.empty()) {
    auto cred = run_exec_plugin(*access_.exec, access_, options_.exec);
    t.bearer_token = std::move(cred.token);
    if (t.client_certificate_pem.empty()) {
      t.client_certificate_pem = std::move(cred.client_certificate_data);
      t.client_key_pem = std::move(cred.client_key_data);
    }
  }
  t.username = access_.username;
  t.password = access_.password;
  t.impersonate_user = access_.impersonate_user;
  t.impersonate_uid = access_.impersonate_uid;
  t.impersonate_groups = access_.impersonate_groups;
  http_ = std::make_unique<HttpClient>(std::move(t), options_.http);
}

ClusterClient::~ClusterClient() = default;

std::string ClusterClient::description() const {
  return fmt::format("cluster {} (context {})", access_.server, access_.context);
}

void ClusterClient::unauthorized(const std::string& detail) const {
  throw FatalError(fmt::format(
      "the API server {} rejected the credentials of {} (context `{}`): {}; check the token, client certificate or "
      "exec plugin of that user",
      access_.server, access_.user.empty() ? std::string("an anonymous user") : fmt::format("user `{}`", access_.user),
      access_.context, detail));
}

ClusterClient::Fetched ClusterClient::fetch(const std::string& path) {
  HttpResponse r = http_->get(path);
  if (r.status == 401 && access_.exec && access_.token.empty() && access_.token_file.empty() &&
      !credentials_refreshed_) {
    // The plugin's credential may have expired during the run: ask it once more, as kubectl does.
    credentials_refreshed_ = true;
    auto cred = run_exec_plugin(*access_.exec, access_, options_.exec);
    http_->set_credentials(std::move(cred.token), std::move(cred.client_certificate_data),
                           std::move(cred.client_key_data));
    r = http_->get(path);
  }
  if (r.status == 401) unauthorized(describe(r));
  Fetched f;
  f.status = r.status;
  if (r.status != 200) {
    f.error = describe(r);
    return f;
  }
  try {
    f.json = nlohmann::json::parse(r.body);
  } catch (const nlohmann::json::parse_error& e) {
    f.error = fmt::format("the server's answer is not JSON (error at byte {})", e.byte);
  }
  return f;
}

void ClusterClient::discover_version(Group& group, const std::string& group_version, bool preferred) {
  group.fetched.insert(group_version);
  const std::string path = group.name.empty() ? "/api/" + group_version : "/apis/" + group_version;
  Fetched f = fetch(path);
  const nlohmann::json* list = f.json ? &*f.json : nullptr;
  const nlohmann::json* items = nullptr;
  if (list != nullptr && list->is_object()) {
    auto it = list->find("resources");
    if (it != list->end() && it->is_array()) items = &*it;
  }
  if (f.error.empty() && items == nullptr) f.error = "not an APIResourceList";
  if (!f.error.empty()) {
    discovery_notes_.push_back(fmt::format("cannot discover `{}` ({})", group_version, f.error));
    if (preferred) group.failed = true;
    return;
  }
  const size_t slash = group_version.find('/');
  const std::string version = slash == std::string::npos ? group_version : group_version.substr(slash + 1);
  for (const auto& item : *items) {
    if (!item.is_object()) continue;
    ApiResource r;
    r.name = text_of(item, "name");
    r.kind = text_of(item, "kind");
    if (r.name.empty() || r.kind.empty() || r.name.find('/') != std::string::npos) continue;  // subresources
    r.group = group.name;
    r.version = version;
    r.preferred = preferred;
    if (auto ns = item.find("namespaced"); ns != item.end() && ns->is_boolean()) r.namespaced = ns->get<bool>();
    if (auto verbs = item.find("verbs"); verbs != item.end() && verbs->is_array()) {
      for (const auto& v : *verbs) {
        if (v.is_string()) r.verbs.push_back(v.get<std::string>());
      }
    }
    resources_.push_back(std::move(r));
  }
}

void ClusterClient::discover() {
  discovered_ = true;
  Fetched core = fetch("/api");
  if (core.error.empty() && !(core.json->is_object() && core.json->contains("versions")))
    core.error = "not APIVersions";
  if (!core.error.empty()) {
    throw FatalError(fmt::format("cannot read the API of {} (GET /api: {})", description(), core.error));
  }
  auto g = std::make_unique<Group>();
  for (const auto& v : (*core.json)["versions"]) {
    if (v.is_string()) g->versions.push_back(v.get<std::string>());
  }
  if (!g->versions.empty()) {
    g->preferred = g->versions.front();
    discover_version(*g, g->preferred, true);
  }
  groups_.push_back(std::move(g));
  Fetched apis = fetch("/apis");
  if (apis.error.empty() && !(apis.json->is_object() && apis.json->contains("groups")))
    apis.error = "not an APIGroupList";
  if (!apis.error.empty()) {
    throw FatalError(fmt::format("cannot read the API groups of {} (GET /apis: {})", description(), apis.error));
  }
  for (const auto& item : (*apis.json)["groups"]) {
    if (!item.is_object()) continue;
    auto group = std::make_unique<Group>();
    group->name = text_of(item, "name");
    if (group->name.empty()) continue;
    if (auto versions = item.find("versions"); versions != item.end() && versions->is_array()) {
      for (const auto& v : *versions) {
        if (v.is_object() && !text_of(v, "groupVersion").empty()) group->versions.push_back(text_of(v, "groupVersion"));
      }
    }
    if (auto pv = item.find("preferredVersion"); pv != item.end() && pv->is_object()) {
      group->preferred = text_of(*pv, "groupVersion");
    }
    if (group->preferred.empty() && !group->versions.empty()) group->preferred = group->versions.front();
    groups_.push_back(std::move(group));
  }
}

void ClusterClient::ensure_preferred(Group& group) {
  if (!group.preferred.empty() && group.fetched.count(group.preferred) == 0) {
    discover_version(group, group.preferred, true);
  }
}

const std::deque<ApiResource>& ClusterClient::resources() {
  if (!discovered_) discover();
  for (auto& g : groups_) ensure_preferred(*g);
  return resources_;
}

const std::vector<std::string>& ClusterClient::discovery_notes() {
  if (!discovered_) discover();
  return discovery_notes_;
}

bool ClusterClient::group_failed(std::string_view group) const {
  for (const auto& g : groups_) {
    if (g->name == group) return g->failed;
  }
  return false;
}

const ApiResource* ClusterClient::find(std::string_view kind_key) {
  if (!discovered_) discover();
  const auto [group, kind] = split_kind_key(kind_key);
  const auto match = [&](bool preferred_only) -> const ApiResource* {
    for (const auto& r : resources_) {
      if (r.group == group && r.kind == kind && (!preferred_only || r.preferred)) return &r;
    }
    return nullptr;
  };
  for (auto& g : groups_) {
    if (g->name != group) continue;
    ensure_preferred(*g);
    if (const auto* r = match(true)) return r;
    for (const auto& gv : g->versions) {
      if (g->fetched.count(gv) == 0) discover_version(*g, gv, false);
    }
    // Another version, in the server's priority order.
    for (const auto& gv : g->versions) {
      const std::string version = gv.substr(gv.find('/') + 1);
      for (const auto& r : resources_) {
        if (r.group == group && r.kind == kind && r.version == version) return &r;
      }
    }
  }
  return nullptr;
}

ListResult ClusterClient::list(const ApiResource& resource) {
  ListResult result;
  const std::string base =
      fmt::format("{}/{}?limit={}",
                  resource.group.empty() ? "/api/" + resource.version
                                         : fmt::format("/apis/{}/{}", resource.group, resource.version),
                  resource.name, std::max<size_t>(options_.page_size, 1));
  LiveSet page_set;
  std::string token;
  bool restarted = false;
  for (size_t page = 0;; ++page) {
    if (page >= kMaxPages) {
      result.note = fmt::format("cannot list `{}` (more than {} pages)", display(resource), kMaxPages);
      return result;
    }
    Fetched f = fetch(token.empty() ? base : fmt::format("{}&continue={}", base, url_encode(token)));
    if (f.status == 410 && !token.empty() && !restarted) {
      // The continue token expired (the list took longer than the server keeps its snapshot): start over once.
      restarted = true;
      token.clear();
      page_set.objects.clear();
      continue;
    }
    if (f.error.empty() && !(f.json->is_object() && f.json->contains("items"))) f.error = "the answer is not a List";
    if (!f.error.empty()) {
      result.note = fmt::format("cannot list `{}` ({})", display(resource), f.error);
      return result;
    }
    std::string next;
    if (auto md = f.json->find("metadata"); md != f.json->end() && md->is_object()) next = text_of(*md, "continue");
    if (auto err = add_live_objects(std::move(*f.json), page_set); !err.empty()) {
      result.note = fmt::format("cannot list `{}` ({})", display(resource), err);
      return result;
    }
    if (next.empty()) break;
    if (next == token) {
      result.note = fmt::format("cannot list `{}` (the server repeated a continue token)", display(resource));
      return result;
    }
    token = std::move(next);
  }
  result.ok = true;
  result.objects = std::move(page_set.objects);
  return result;
}

LiveSet read_cluster(ClusterClient& client, const std::vector<std::string>& kinds, bool all_kinds) {
  LiveSet out;
  out.description = client.description();
  std::vector<const ApiResource*> to_list;
  std::set<std::string> seen;
  std::set<std::string> complete;
  for (const auto& key : std::set<std::string>(kinds.begin(), kinds.end())) {
    if (!seen.insert(key).second) continue;
    const ApiResource* r = client.find(key);
    if (r == nullptr) {
      const std::string group = split_kind_key(key).first;
      if (client.group_failed(group)) {
        out.notes.push_back(fmt::format("cannot list `{}` (its API group `{}` could not be discovered)", key, group));
      } else {
        out.notes.push_back(fmt::format("the cluster does not serve `{}`", key));
        complete.insert(key);
      }
      continue;
    }
    if (!r->can("list")) {
      out.notes.push_back(fmt::format("cannot list `{}` (the API does not offer `list` for it)", display(*r)));
      continue;
    }
    to_list.push_back(r);
  }
  if (all_kinds) {
    const auto& resources = client.resources();
    for (const auto& n : client.discovery_notes()) out.notes.push_back(n);
    for (const auto& r : resources) {
      if (!r.preferred || !r.can("list") || r.kind == "Event") continue;
      if (seen.insert(r.key()).second) to_list.push_back(&r);
    }
  }
  for (const auto* r : to_list) {
    ListResult result = client.list(*r);
    if (!result.ok) {
      out.notes.push_back(std::move(result.note));
      continue;
    }
    complete.insert(r->key());
    for (auto& o : result.objects) out.objects.push_back(std::move(o));
  }
  out.complete_kinds.assign(complete.begin(), complete.end());
  finish_live_set(out);
  return out;
}

std::vector<LiveObject> read_nodes(ClusterClient& client, std::vector<std::string>* notes) {
  const ApiResource* r = client.find("Node");
  if (r == nullptr) {
    if (notes != nullptr) notes->push_back("the cluster does not serve `Node`");
    return {};
  }
  ListResult result = client.list(*r);
  if (!result.ok) {
    if (notes != nullptr) notes->push_back(std::move(result.note));
    return {};
  }
  std::sort(result.objects.begin(), result.objects.end(),
            [](const LiveObject& a, const LiveObject& b) { return a.name < b.name; });
  return std::move(result.objects);
}

}  // namespace gl::drift
