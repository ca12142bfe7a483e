#include "drift/exec_credential.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/strings.h"

extern char** environ;

namespace gl::drift {

namespace {

/// Lines of a failed plugin's stderr quoted in the error.
constexpr size_t kStderrLines = 5;
/// Bytes of stderr kept (the tail).
constexpr size_t kStderrKeep = 8192;

std::string plugin_name(const ExecConfig& exec) { return fmt::format("exec credential plugin `{}`", exec.command); }

std::string last_lines(std::string_view text, size_t n) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  size_t start = text.size();
  for (size_t lines = 0; start > 0 && lines < n;) {
    --start;
    if (text[start] == '\n' && ++lines == n) {
      ++start;
      break;
    }
  }
  return std::string(text.substr(start));
}

/// A pipe whose ends are closed on destruction.
struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (pipe2(fd, O_CLOEXEC) != 0) throw FatalError(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    close_end(0);
    close_end(1);
  }
  void close_end(int i) {
    if (fd[i] >= 0) close(fd[i]);
    fd[i] = -1;
  }
};

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FatalError(fmt::format("cannot read certificate-authority `{}`", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string exec_info_json(const ExecConfig& exec, const ClusterAccess& cluster) {
  nlohmann::ordered_json info;
  info["kind"] = "ExecCredential";
  info["apiVersion"] = exec.api_version;
  nlohmann::ordered_json spec = nlohmann::ordered_json::object();
  if (exec.provide_cluster_info) {
    nlohmann::ordered_json c;
    c["server"] = cluster.server;
    if (!cluster.tls_server_name.empty()) c["tls-server-name"] = cluster.tls_server_name;
    if (cluster.insecure_skip_tls_verify) c["insecure-skip-tls-verify"] = true;
    std::string ca = cluster.ca_data;
    if (ca.empty() && !cluster.ca_file.empty()) ca = read_text_file(cluster.ca_file);
    if (!ca.empty()) c["certificate-authority-data"] = encode_base64(ca);
    if (!cluster.proxy_url.empty()) c["proxy-url"] = cluster.proxy_url;
    spec["cluster"] = std::move(c);
  }
  spec["interactive"] = false;
  info["spec"] = std::move(spec);
  return info.dump();
}

ExecCredential parse_exec_credential(std::string_view output, const ExecConfig& exec) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(output);
  } catch (const nlohmann::json::parse_error& e) {
    // The message of a parse error quotes the text around it, which may be a token: give the offset only.
    throw FatalError(fmt::format("{} printed no valid ExecCredential JSON (error at byte {} of {})", plugin_name(exec),
                                 e.byte, output.size()));
  }
  if (!j.is_object()) throw FatalError(fmt::format("{} printed JSON that is not an ExecCredential", plugin_name(exec)));
  const auto text = [](const nlohmann::json& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (text(j, "kind") != "ExecCredential") {
    throw FatalError(fmt::format("{} printed kind `{}`, not ExecCredential", plugin_name(exec), text(j, "kind")));
  }
  if (text(j, "apiVersion") != exec.api_version) {
    throw FatalError(fmt::format("{} returned apiVersion `{}`, but the kubeconfig asked for `{}`", plugin_name(exec),
                                 text(j, "apiVersion"), exec.api_version));
  }
  auto status = j.find("status");
  if (status == j.end() || !status->is_object()) {
    throw FatalError(fmt::format("{} returned an ExecCredential without `status`", plugin_name(exec)));
  }
  ExecCredential cred;
  cred.token = text(*status, "token");
  cred.client_certificate_data = text(*status, "clientCertificateData");
  cred.client_key_data = text(*status, "clientKeyData");
  cred.expiration = text(*status, "expirationTimestamp");
  if (cred.client_certificate_data.empty() != cred.client_key_data.empty()) {
    throw FatalError(fmt::format("{} returned {} without {}", plugin_name(exec),
                                 cred.client_key_data.empty() ? "clientCertificateData" : "clientKeyData",
                                 cred.client_key_data.empty() ? "clientKeyData" : "clientCertificateData"));
  }
  if (cred.token.empty() && cred.client_certificate_data.empty()) {
    throw FatalError(fmt::format("{} returned neither a token nor a client certificate", plugin_name(exec)));
  }
  return cred;
}

ExecCredential run_exec_plugin(const ExecConfig& exec, const ClusterAccess& cluster, const ExecRunOptions& options) {
  if (exec.interactive_mode == "Always") {
    throw FatalError(
        fmt::format("{} needs an interactive terminal (interactiveMode: Always), which gitops-lint does "
                    "not give it; use a non-interactive credential",
                    plugin_name(exec)));
  }
  std::vector<std::string> env_strings;
  const auto overridden = [&](std::string_view entry) {
    const std::string_view name = entry.substr(0, entry.find('='));
    if (name == "KUBERNETES_EXEC_INFO") return true;
    for (const auto& [k, v] : exec.env) {
      if (k == name) return true;
    }
    return false;
  };
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (!overridden(*e)) env_strings.emplace_back(*e);
  }
  for (const auto& [k, v] : exec.env) env_strings.push_back(k + "=" + v);
  env_strings.push_back("KUBERNETES_EXEC_INFO=" + exec_info_json(exec, cluster));
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> arg_strings = {exec.command};
  for (const auto& a : exec.args) arg_strings.push_back(a);
  std::vector<char*> argv;
  for (auto& s : arg_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  Pipe out;
  Pipe err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, exec.command.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    if (rc == ENOENT) {
      std::string msg = fmt::format("{} was not found{}", plugin_name(exec),
                                    exec.command.find('/') == std::string::npos ? " in PATH" : "");
      if (!exec.install_hint.empty()) msg += fmt::format("\n{}", trim(exec.install_hint));
      throw FatalError(msg);
    }
    throw FatalError(fmt::format("cannot run {}: {}", plugin_name(exec), std::strerror(rc)));
  }
  out.close_end(1);
  err.close_end(1);

  std::string stdout_text;
  std::string stderr_text;
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  bool timed_out = false;
  bool too_big = false;
  int open_fds = 2;
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[2] = {{out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}};
    const int n = poll(fds, 2, static_cast<int>(left));
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[8192];
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got <= 0) {
        if (got < 0 && errno == EINTR) continue;
        (i == 0 ? out : err).close_end(0);
        --open_fds;
        continue;
      }
      std::string& sink = i == 0 ? stdout_text : stderr_text;
      sink.append(buf, static_cast<size_t>(got));
      if (i == 1 && stderr_text.size() > 2 * kStderrKeep) stderr_text.erase(0, stderr_text.size() - kStderrKeep);
      if (i == 0 && stdout_text.size() > options.max_output) too_big = true;
    }
    if (too_big) break;
  }
  if (timed_out || too_big) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    throw FatalError(fmt::format("{} did not finish within {} ms", plugin_name(exec), options.timeout.count()));
  }
  if (too_big) throw FatalError(fmt::format("{} printed more than {} bytes", plugin_name(exec), options.max_output));
  if (WIFSIGNALED(status)) {
    throw FatalError(fmt::format("{} was killed by signal {}", plugin_name(exec), WTERMSIG(status)));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    const std::string tail = last_lines(stderr_text, kStderrLines);
    throw FatalError(fmt::format("{} failed with exit status {}{}{}", plugin_name(exec), WEXITSTATUS(status),
                                 tail.empty() ? "" : ":\n", tail));
  }
  return parse_exec_credential(stdout_text, exec);
}

}  // namespace gl::drift
