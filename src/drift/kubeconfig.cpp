#include "drift/kubeconfig.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"
#include "yaml/parser.h"

namespace gl::drift {

namespace {

/// The largest kubeconfig read (real ones are a few KiB; inline certificates make them tens of KiB).
constexpr size_t kMaxKubeconfigBytes = size_t{16} << 20;

std::string where(const yaml::Node& node) {
  return fmt::format("{}:{}", node.file != nullptr ? node.file->path() : std::string("?"), node.begin.line);
}

[[noreturn]] void fail_at(const yaml::Node& node, std::string_view message) {
  throw FatalError(fmt::format("{}: {}", where(node), message));
}

/// A scalar's text; null is "", anything else is an error.
std::string scalar_text(const yaml::Node& node, std::string_view field) {
  if (node.is_null()) return "";
  if (!node.is_scalar()) fail_at(node, fmt::format("`{}` must be a string", field));
  return std::string(node.value());
}

bool is_path_field(std::string_view key) {
  return key == "certificate-authority" || key == "client-certificate" || key == "client-key" || key == "tokenFile";
}

bool is_data_field(std::string_view key) {
  return key == "certificate-authority-data" || key == "client-certificate-data" || key == "client-key-data";
}

std::string resolve_path(std::string_view path, std::string_view base_dir) {
  if (path.empty() || path.front() == '/' || base_dir.empty()) return std::string(path);
  return (std::filesystem::path(base_dir) / std::filesystem::path(path)).lexically_normal().string();
}

ExecConfig parse_exec(const yaml::Node& node, std::string_view base_dir) {
  if (!node.is_map()) fail_at(node, "`exec` must be a mapping");
  ExecConfig exec;
  for (size_t i = 0; i < node.keys().size(); ++i) {
    const std::string_view key = node.keys()[i].str();
    const yaml::Node& value = node.items()[i];
    if (key == "command") {
      exec.command = scalar_text(value, key);
    } else if (key == "apiVersion") {
      exec.api_version = scalar_text(value, key);
    } else if (key == "installHint") {
      exec.install_hint = scalar_text(value, key);
    } else if (key == "interactiveMode") {
      exec.interactive_mode = scalar_text(value, key);
    } else if (key == "provideClusterInfo") {
      exec.provide_cluster_info = value.as_bool().value_or(false);
    } else if (key == "args") {
      if (value.is_null()) continue;
      if (!value.is_seq()) fail_at(value, "`exec.args` must be a list of strings");
      for (const auto& arg : value.items()) exec.args.push_back(scalar_text(arg, "exec.args"));
    } else if (key == "env") {
      if (value.is_null()) continue;
      if (!value.is_seq()) fail_at(value, "`exec.env` must be a list of `name`/`value` pairs");
      for (const auto& item : value.items()) {
        const yaml::Node* name = item.is_map() ? item.get("name") : nullptr;
        const yaml::Node* val = item.is_map() ? item.get("value") : nullptr;
        if (name == nullptr || scalar_text(*name, "exec.env.name").empty()) {
          fail_at(item, "an `exec.env` entry needs a `name`");
        }
        exec.env.emplace_back(scalar_text(*name, "exec.env.name"),
                              val != nullptr ? scalar_text(*val, "exec.env.value") : std::string());
      }
    }
  }
  // kubectl resolves a command given as a relative path (one with a '/') against the kubeconfig's directory;
  // a bare name is looked up in PATH.
  if (exec.command.find('/') != std::string::npos) exec.command = resolve_path(exec.command, base_dir);
  return exec;
}

/// The semantic checks kubectl makes on an exec stanza when the user entry is used.
std::string check_exec(const ExecConfig& exec) {
  if (exec.command.empty()) return "`exec.command` is not set";
  if (exec.api_version != "client.authentication.k8s.io/v1" &&
      exec.api_version != "client.authentication.k8s.io/v1beta1") {
    if (exec.api_version.empty()) return "`exec.apiVersion` is not set";
    return fmt::format("exec plugin apiVersion `{}` is not supported (use client.authentication.k8s.io/v1 or v1beta1)",
                       exec.api_version);
  }
  if (exec.interactive_mode.empty() && exec.api_version == "client.authentication.k8s.io/v1") {
    return fmt::format("`exec.interactiveMode` must be set for `{}` (client.authentication.k8s.io/v1)", exec.command);
  }
  if (!exec.interactive_mode.empty() && exec.interactive_mode != "Never" && exec.interactive_mode != "IfAvailable" &&
      exec.interactive_mode != "Always") {
    return fmt::format("`exec.interactiveMode` `{}` is not one of Never, IfAvailable, Always", exec.interactive_mode);
  }
  return "";
}

KubeconfigEntry parse_inner(const yaml::Node& inner, std::string_view list, std::string_view base_dir) {
  KubeconfigEntry entry;
  if (inner.is_null()) return entry;
  if (!inner.is_map()) fail_at(inner, fmt::format("the `{}` entry's body must be a mapping", list));
  for (size_t i = 0; i < inner.keys().size(); ++i) {
    const std::string key(inner.keys()[i].str());
    const yaml::Node& value = inner.items()[i];
    if (key == "exec") {
      if (value.is_null()) continue;
      entry.exec = parse_exec(value, base_dir);
      entry.exec_error = check_exec(*entry.exec);
    } else if (key == "auth-provider") {
      if (value.is_null()) continue;
      entry.has_auth_provider = true;
      if (const auto* name = value.is_map() ? value.get("name") : nullptr) entry.auth_provider_name = name->str();
    } else if (key == "as-groups") {
      if (value.is_null()) continue;
      if (!value.is_seq()) fail_at(value, "`as-groups` must be a list of strings");
      for (const auto& g : value.items()) entry.as_groups.push_back(scalar_text(g, key));
    } else if (key == "insecure-skip-tls-verify") {
      // Honoured only when set to true; any other value (false, a string) leaves verification on.
      if (value.as_bool().value_or(false)) entry.fields[key] = "true";
    } else if (value.is_scalar() || value.is_null()) {
      std::string text = scalar_text(value, key);
      if (is_path_field(key)) text = resolve_path(text, base_dir);
      if (is_data_field(key) && !text.empty()) {
        auto decoded = decode_base64(text);
        if (!decoded) fail_at(value, fmt::format("`{}` is not valid base64", key));
        text = std::move(*decoded);
      }
      entry.fields[key] = std::move(text);
    }
    // Other fields (extensions, preferences, as-user-extra, ...) do not change how objects are read.
  }
  return entry;
}

void parse_list(const yaml::Node& node, std::string_view list, std::string_view inner_key, std::string_view base_dir,
                std::map<std::string, KubeconfigEntry>& out) {
  if (node.is_null()) return;
  if (!node.is_seq()) fail_at(node, fmt::format("`{}` must be a list", list));
  for (const auto& item : node.items()) {
    if (!item.is_map()) fail_at(item, fmt::format("an entry of `{}` must be a mapping", list));
    const yaml::Node* name = item.get("name");
    if (name == nullptr || scalar_text(*name, "name").empty())
      fail_at(item, fmt::format("an entry of `{}` has no `name`", list));
    KubeconfigEntry entry;
    if (const yaml::Node* inner = item.get(inner_key)) entry = parse_inner(*inner, list, base_dir);
    entry.origin = where(item);
    if (!out.emplace(std::string(name->value()), std::move(entry)).second) {
      fail_at(item, fmt::format("duplicate name `{}` in `{}`", name->value(), list));
    }
  }
}

std::string field(const KubeconfigEntry& entry, const std::string& key) {
  auto it = entry.fields.find(key);
  return it == entry.fields.end() ? std::string() : it->second;
}

std::string read_file_or_empty(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  if (!ok) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string absolute_dir_of(const std::string& path) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec);
  if (ec) return std::string(dirname(path));
  return abs.lexically_normal().parent_path().string();
}

}  // namespace

Kubeconfig parse_kubeconfig(const SourceFile& file, std::string_view base_dir) {
  Kubeconfig config;
  config.files.push_back(file.path());
  if (file.text().size() > kMaxKubeconfigBytes) {
    throw FatalError(fmt::format("{}: kubeconfig larger than {} bytes", file.path(), kMaxKubeconfigBytes));
  }
  const auto parsed = yaml::parse(file);
  if (!parsed.errors.empty()) {
    const auto& e = parsed.errors.front();
    throw FatalError(fmt::format("{}:{}: {}", file.path(), e.mark.line, e.message));
  }
  if (parsed.documents.empty() || parsed.documents.front().root.is_null()) return config;  // an empty file is allowed
  const yaml::Node& root = parsed.documents.front().root;
  if (!root.is_map()) fail_at(root, "a kubeconfig must be a mapping (kind: Config)");
  if (const auto* kind = root.get("kind"); kind != nullptr && !kind->str().empty() && kind->str() != "Config") {
    fail_at(*kind, fmt::format("`kind: {}` is not a kubeconfig (kind: Config)", kind->str()));
  }
  if (const auto* n = root.get("clusters")) parse_list(*n, "clusters", "cluster", base_dir, config.clusters);
  if (const auto* n = root.get("users")) parse_list(*n, "users", "user", base_dir, config.users);
  if (const auto* n = root.get("contexts")) parse_list(*n, "contexts", "context", base_dir, config.contexts);
  if (const auto* n = root.get("current-context")) config.current_context = scalar_text(*n, "current-context");
  return config;
}

void merge_kubeconfig(Kubeconfig& into, Kubeconfig&& later) {
  for (auto& [name, entry] : later.clusters) into.clusters.emplace(name, std::move(entry));
  for (auto& [name, entry] : later.users) into.users.emplace(name, std::move(entry));
  for (auto& [name, entry] : later.contexts) into.contexts.emplace(name, std::move(entry));
  if (into.current_context.empty()) into.current_context = std::move(later.current_context);
  for (auto& f : later.files) into.files.push_back(std::move(f));
}

ClusterAccess select_context(const Kubeconfig& config, std::string_view context) {
  const std::string files =
      config.files.empty() ? std::string("no file") : fmt::format("{}", fmt::join(config.files, ", "));
  const std::string name(context.empty() ? std::string_view(config.current_context) : context);
  if (name.empty()) {
    throw FatalError(fmt::format("the kubeconfig ({}) sets no current-context; pass --context NAME", files));
  }
  auto ctx = config.contexts.find(name);
  if (ctx == config.contexts.end()) {
    std::vector<std::string> known;
    for (const auto& [n, e] : config.contexts) known.push_back(n);
    std::string hint;
    if (auto close = closest_match(name, known); !close.empty()) hint = fmt::format("; did you mean `{}`?", close);
    throw FatalError(fmt::format("context `{}` is not in the kubeconfig ({}){}", name, files, hint));
  }
  const KubeconfigEntry& c = ctx->second;
  ClusterAccess access;
  access.context = name;
  access.origin = c.origin;
  access.cluster = field(c, "cluster");
  access.user = field(c, "user");
  auto cl = config.clusters.find(access.cluster);
  if (access.cluster.empty() || cl == config.clusters.end()) {
    throw FatalError(fmt::format("{}: context `{}` names cluster `{}`, which the kubeconfig does not define", c.origin,
                                 name, access.cluster));
  }
  const KubeconfigEntry& cluster = cl->second;
  access.server = field(cluster, "server");
  if (access.server.empty())
    throw FatalError(fmt::format("{}: cluster `{}` has no `server`", cluster.origin, access.cluster));
  access.ca_file = field(cluster, "certificate-authority");
  access.ca_data = field(cluster, "certificate-authority-data");
  access.insecure_skip_tls_verify = field(cluster, "insecure-skip-tls-verify") == "true";
  access.tls_server_name = field(cluster, "tls-server-name");
  access.proxy_url = field(cluster, "proxy-url");
  if (access.user.empty()) return access;  // a context without a user talks to the server anonymously
  auto us = config.users.find(access.user);
  if (us == config.users.end()) {
    throw FatalError(fmt::format("{}: context `{}` names user `{}`, which the kubeconfig does not define", c.origin,
                                 name, access.user));
  }
  const KubeconfigEntry& user = us->second;
  if (user.has_auth_provider) {
    throw FatalError(fmt::format(
        "{}: user `{}` authenticates with auth-provider `{}`, which gitops-lint does not support; use an exec "
        "credential plugin instead (for GKE: gke-gcloud-auth-plugin, for Azure: kubelogin)",
        user.origin, access.user, user.auth_provider_name.empty() ? std::string("?") : user.auth_provider_name));
  }
  if (!user.exec_error.empty())
    throw FatalError(fmt::format("{}: user `{}`: {}", user.origin, access.user, user.exec_error));
  access.token = field(user, "token");
  access.token_file = field(user, "tokenFile");
  access.client_certificate_file = field(user, "client-certificate");
  access.client_certificate_data = field(user, "client-certificate-data");
  access.client_key_file = field(user, "client-key");
  access.client_key_data = field(user, "client-key-data");
  access.username = field(user, "username");
  access.password = field(user, "password");
  access.impersonate_user = field(user, "as");
  access.impersonate_uid = field(user, "as-uid");
  access.impersonate_groups = user.as_groups;
  access.exec = user.exec;
  const bool has_token = !access.token.empty() || !access.token_file.empty();
  const bool has_basic = !access.username.empty() || !access.password.empty();
  if (has_token && has_basic) {
    throw FatalError(fmt::format("{}: user `{}` sets both a token and a username/password; only one is allowed",
                                 user.origin, access.user));
  }
  const bool has_cert = !access.client_certificate_file.empty() || !access.client_certificate_data.empty();
  const bool has_key = !access.client_key_file.empty() || !access.client_key_data.empty();
  if (has_cert != has_key) {
    throw FatalError(fmt::format("{}: user `{}` sets a client {} without a client {}", user.origin, access.user,
                                 has_cert ? "certificate" : "key", has_cert ? "key" : "certificate"));
  }
  return access;
}

std::vector<std::string> kubeconfig_paths(const std::optional<std::string>& flag, const char* env_kubeconfig,
                                          const char* home) {
  if (flag) return {*flag};
  std::vector<std::string> out;
  if (env_kubeconfig != nullptr && *env_kubeconfig != '\0') {
    std::set<std::string> seen;
    for (auto part : split(env_kubeconfig, ':')) {
      if (part.empty()) continue;
      if (seen.insert(std::string(part)).second) out.emplace_back(part);
    }
    return out;
  }
  if (home != nullptr && *home != '\0') out.push_back(join_path(home, ".kube/config"));
  return out;
}

std::optional<ClusterAccess> in_cluster_access() {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || port == nullptr || *host == '\0' || *port == '\0') return std::nullopt;
  const char* dir_env = std::getenv("GITOPS_LINT_SERVICEACCOUNT_DIR");
  const std::string dir = dir_env != nullptr && *dir_env != '\0' ? dir_env : "/var/run/secrets/kubernetes.io/serviceaccount";
  std::error_code ec;
  if (!std::filesystem::exists(join_path(dir, "token"), ec)) return std::nullopt;
  ClusterAccess access;
  access.context = "in-cluster";
  access.cluster = "in-cluster";
  access.user = "service account";
  const std::string_view h(host);
  access.server = fmt::format("https://{}:{}", h.find(':') != std::string_view::npos ? fmt::format("[{}]", h) : std::string(h), port);
  access.token_file = join_path(dir, "token");
  if (std::filesystem::exists(join_path(dir, "ca.crt"), ec)) access.ca_file = join_path(dir, "ca.crt");
  access.origin = fmt::format("{} (in-cluster service account)", dir);
  return access;
}

ClusterAccess load_cluster_access(const std::optional<std::string>& kubeconfig,
                                  const std::optional<std::string>& context) {
  const auto paths = kubeconfig_paths(kubeconfig, std::getenv("KUBECONFIG"), std::getenv("HOME"));
  Kubeconfig merged;
  bool any = false;
  for (const auto& path : paths) {
    std::error_code ec;
    if (!kubeconfig && !std::filesystem::exists(path, ec)) continue;  // kubectl skips missing list entries
    bool ok = false;
    std::string text = read_file_or_empty(path, ok);
    if (!ok) throw FatalError(fmt::format("cannot read kubeconfig `{}`", path));
    const SourceFile file(path, std::move(text));
    Kubeconfig one = parse_kubeconfig(file, absolute_dir_of(path));
    if (!any) {
      merged = std::move(one);
      any = true;
    } else {
      merge_kubeconfig(merged, std::move(one));
    }
  }
  if (!any && !kubeconfig && !context) {
    if (auto in_cluster = in_cluster_access()) return *in_cluster;
  }
  if (!any) {
    throw FatalError(
        fmt::format("no kubeconfig found (looked for {}); pass --kubeconfig FILE or set KUBECONFIG",
                    paths.empty() ? std::string("$HOME/.kube/config") : fmt::format("{}", fmt::join(paths, ", "))));
  }
  return select_context(merged, context.value_or(""));
}

}  // namespace gl::drift
