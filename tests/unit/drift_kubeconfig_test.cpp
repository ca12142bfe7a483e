// drift: kubeconfig parsing and merging, exec credential plugins, the small HTTP helpers (src/drift/kubeconfig,
// exec_credential, http). The client against a server is tested by tests/cli/drift_client.sh.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.h"
#include "core/source.h"
#include "drift/exec_credential.h"
#include "drift/http.h"
#include "drift/kubeconfig.h"

namespace {

using gl::drift::ClusterAccess;
using gl::drift::ExecConfig;
using gl::drift::Kubeconfig;

Kubeconfig parse(const std::string& text, const std::string& base_dir = "/home/ops/.kube",
                 const std::string& path = "/home/ops/.kube/config") {
  const gl::SourceFile file(path, text);
  return gl::drift::parse_kubeconfig(file, base_dir);
}

/// The FatalError message of `fn`, or "" when it did not throw.
template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const gl::FatalError& e) {
    return e.what();
  }
  return "";
}

/// A temporary directory removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gl_kubeconfig_XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text, bool executable = false) const {
    const auto file = path / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
    if (executable) ::chmod(file.c_str(), 0755);
    return file.string();
  }
  std::string read(const std::string& name) const {
    std::ifstream in(path / name);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

const char* const kFull = R"(apiVersion: v1
kind: Config
current-context: prod
preferences: {}
clusters:
  - name: prod-eu
    cluster:
      server: https://10.0.0.1:6443
      certificate-authority: pki/ca.crt
      tls-server-name: api.prod.internal
      proxy-url: socks5://bastion:1080
  - name: dev
    cluster:
      server: https://dev.example.com
      certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
      insecure-skip-tls-verify: false
  - name: kind
    cluster:
      server: https://127.0.0.1:34567
      insecure-skip-tls-verify: true
  - name: quoted
    cluster:
      server: https://10.0.0.9
      insecure-skip-tls-verify: "true"
users:
  - name: admin
    user:
      client-certificate: /etc/pki/admin.crt
      client-key: admin.key
  - name: ci
    user:
      tokenFile: ../tokens/ci
      as: drift-reader
      as-groups: [readers, auditors]
  - name: inline
    user:
      client-certificate-data: Y2VydA==
      client-key-data: a2V5
  - name: eks
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: aws
        args: [eks, get-token, --cluster-name, prod]
        env:
          - name: AWS_PROFILE
            value: prod
        installHint: install the AWS CLI
        provideClusterInfo: true
  - name: local-plugin
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: ./bin/get-token
        interactiveMode: Never
  - name: basic
    user:
      username: admin
      password: s3cret
contexts:
  - name: prod
    context: {cluster: prod-eu, user: admin, namespace: shop}
  - name: ci
    context: {cluster: prod-eu, user: ci}
  - name: dev
    context: {cluster: dev, user: inline}
  - name: eks
    context: {cluster: prod-eu, user: eks}
  - name: local
    context: {cluster: kind, user: local-plugin}
  - name: anonymous
    context: {cluster: kind}
  - name: quoted
    context: {cluster: quoted, user: basic}
)";

}  // namespace

TEST_CASE("kubeconfig: the current context with relative paths resolved against the file's directory",
          "[drift-client]") {
  const ClusterAccess a = gl::drift::select_context(parse(kFull), "");
  CHECK(a.context == "prod");
  CHECK(a.cluster == "prod-eu");
  CHECK(a.user == "admin");
  CHECK(a.server == "https://10.0.0.1:6443");
  CHECK(a.ca_file == "/home/ops/.kube/pki/ca.crt");
  CHECK(a.ca_data.empty());
  CHECK(a.tls_server_name == "api.prod.internal");
  CHECK(a.proxy_url == "socks5://bastion:1080");
  CHECK_FALSE(a.insecure_skip_tls_verify);
  CHECK(a.client_certificate_file == "/etc/pki/admin.crt");
  CHECK(a.client_key_file == "/home/ops/.kube/admin.key");
  CHECK(a.token.empty());
  CHECK_FALSE(a.exec.has_value());
  CHECK(a.origin == "/home/ops/.kube/config:61");
}

TEST_CASE("kubeconfig: --context picks token files, impersonation, inline data and basic auth", "[drift-client]") {
  const Kubeconfig config = parse(kFull);
  const ClusterAccess ci = gl::drift::select_context(config, "ci");
  CHECK(ci.token_file == "/home/ops/tokens/ci");
  CHECK(ci.impersonate_user == "drift-reader");
  CHECK(ci.impersonate_groups == std::vector<std::string>{"readers", "auditors"});

  const ClusterAccess dev = gl::drift::select_context(config, "dev");
  CHECK(dev.server == "https://dev.example.com");
  CHECK(dev.ca_data == "-----BEGIN CERTIFICATE-----\n");
  CHECK_FALSE(dev.insecure_skip_tls_verify);
  CHECK(dev.client_certificate_data == "cert");
  CHECK(dev.client_key_data == "key");

  const ClusterAccess anonymous = gl::drift::select_context(config, "anonymous");
  CHECK(anonymous.user.empty());
  CHECK(anonymous.insecure_skip_tls_verify);  // `true` is honoured

  const ClusterAccess quoted = gl::drift::select_context(config, "quoted");
  CHECK_FALSE(quoted.insecure_skip_tls_verify);  // the string "true" is not the boolean
  CHECK(quoted.username == "admin");
  CHECK(quoted.password == "s3cret");
}

TEST_CASE("kubeconfig: exec plugins keep their arguments, env and hint; relative commands resolve", "[drift-client]") {
  const Kubeconfig config = parse(kFull);
  const ClusterAccess eks = gl::drift::select_context(config, "eks");
  REQUIRE(eks.exec.has_value());
  CHECK(eks.exec->command == "aws");  // a bare name is looked up in PATH
  CHECK(eks.exec->args == std::vector<std::string>{"eks", "get-token", "--cluster-name", "prod"});
  REQUIRE(eks.exec->env.size() == 1);
  CHECK(eks.exec->env[0] == std::pair<std::string, std::string>{"AWS_PROFILE", "prod"});
  CHECK(eks.exec->api_version == "client.authentication.k8s.io/v1beta1");
  CHECK(eks.exec->install_hint == "install the AWS CLI");
  CHECK(eks.exec->provide_cluster_info);
  CHECK(eks.exec->interactive_mode.empty());

  const ClusterAccess local = gl::drift::select_context(config, "local");
  REQUIRE(local.exec.has_value());
  CHECK(local.exec->command == "/home/ops/.kube/bin/get-token");
  CHECK(local.exec->interactive_mode == "Never");
  CHECK_FALSE(local.exec->provide_cluster_info);
}

TEST_CASE("kubeconfig: errors name the file and line", "[drift-client]") {
  const Kubeconfig config = parse(kFull);
  CHECK(error_of([&] { gl::drift::select_context(config, "prd"); }) ==
        "context `prd` is not in the kubeconfig (/home/ops/.kube/config); did you mean `prod`?");
  CHECK(error_of([&] { gl::drift::select_context(parse("clusters: []\n"), ""); }) ==
        "the kubeconfig (/home/ops/.kube/config) sets no current-context; pass --context NAME");
  CHECK(error_of([&] {
          gl::drift::select_context(parse("contexts:\n  - name: x\n    context: {cluster: gone, user: u}\n"), "x");
        }) == "/home/ops/.kube/config:2: context `x` names cluster `gone`, which the kubeconfig does not define");
  CHECK(error_of([&] {
          gl::drift::select_context(parse("clusters:\n  - name: c\n    cluster: {server: https://a}\n"
                                          "contexts:\n  - name: x\n    context: {cluster: c, user: gone}\n"),
                                    "x");
        }) == "/home/ops/.kube/config:5: context `x` names user `gone`, which the kubeconfig does not define");
  CHECK(error_of([&] {
          gl::drift::select_context(parse("clusters:\n  - name: c\n    cluster: {certificate-authority: ca}\n"
                                          "contexts:\n  - name: x\n    context: {cluster: c}\n"),
                                    "x");
        }) == "/home/ops/.kube/config:2: cluster `c` has no `server`");
  CHECK(error_of([&] { parse("clusters:\n  - name: c\n    cluster:\n      certificate-authority-data: '%%%'\n"); }) ==
        "/home/ops/.kube/config:4: `certificate-authority-data` is not valid base64");
  CHECK(error_of([&] { parse("clusters: [\n"); }) ==
        "/home/ops/.kube/config:1: did not find expected node content (while parsing a flow node that starts at line "
        "2, column 1)");
  CHECK(error_of([&] { parse("clusters:\n  - name: a\n  - name: a\n"); }) ==
        "/home/ops/.kube/config:3: duplicate name `a` in `clusters`");
  CHECK(error_of([&] { parse("clusters: {a: b}\n"); }) == "/home/ops/.kube/config:1: `clusters` must be a list");
  CHECK(error_of([&] { parse("kind: Deployment\n"); }) ==
        "/home/ops/.kube/config:1: `kind: Deployment` is not a kubeconfig (kind: Config)");
}

TEST_CASE("kubeconfig: unusable users are reported when their context is used", "[drift-client]") {
  const std::string base =
      "clusters:\n  - name: c\n    cluster: {server: 'https://a'}\ncontexts:\n"
      "  - name: x\n    context: {cluster: c, user: u}\nusers:\n  - name: u\n    user:\n";
  const auto select = [&](const std::string& user) {
    return error_of([&] { gl::drift::select_context(parse(base + user), "x"); });
  };
  CHECK(select("      auth-provider:\n        name: gcp\n        config: {cmd-path: gcloud}\n") ==
        "/home/ops/.kube/config:8: user `u` authenticates with auth-provider `gcp`, which gitops-lint does not "
        "support; use an exec credential plugin instead (for GKE: gke-gcloud-auth-plugin, for Azure: kubelogin)");
  CHECK(select("      token: t\n      username: admin\n") ==
        "/home/ops/.kube/config:8: user `u` sets both a token and a username/password; only one is allowed");
  CHECK(select("      client-certificate: a.crt\n") ==
        "/home/ops/.kube/config:8: user `u` sets a client certificate without a client key");
  CHECK(select("      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: aws\n") ==
        "/home/ops/.kube/config:8: user `u`: `exec.interactiveMode` must be set for `aws` "
        "(client.authentication.k8s.io/v1)");
  CHECK(select("      exec:\n        apiVersion: client.authentication.k8s.io/v1alpha1\n        command: aws\n") ==
        "/home/ops/.kube/config:8: user `u`: exec plugin apiVersion `client.authentication.k8s.io/v1alpha1` is not "
        "supported (use client.authentication.k8s.io/v1 or v1beta1)");
  CHECK(select("      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: aws\n"
               "        interactiveMode: Sometimes\n") ==
        "/home/ops/.kube/config:8: user `u`: `exec.interactiveMode` `Sometimes` is not one of Never, IfAvailable, "
        "Always");
  CHECK(select("      token: t\n") == "");
}

TEST_CASE("kubeconfig: merging keeps the first file's entries and current-context", "[drift-client]") {
  Kubeconfig merged = parse(
      "current-context: a\nclusters:\n  - name: shared\n    cluster: {server: 'https://first'}\n"
      "contexts:\n  - name: a\n    context: {cluster: shared, user: u}\n",
      "/one", "/one/config");
  gl::drift::merge_kubeconfig(
      merged, parse("current-context: b\nclusters:\n  - name: shared\n    cluster: {server: 'https://second'}\n"
                    "  - name: other\n    cluster: {server: 'https://other', certificate-authority: ca.pem}\n"
                    "users:\n  - name: u\n    user: {token: from-second}\n"
                    "contexts:\n  - name: b\n    context: {cluster: other, user: u}\n",
                    "/two", "/two/config"));
  CHECK(merged.files == std::vector<std::string>{"/one/config", "/two/config"});
  const ClusterAccess a = gl::drift::select_context(merged, "");
  CHECK(a.context == "a");
  CHECK(a.server == "https://first");
  CHECK(a.token == "from-second");
  const ClusterAccess b = gl::drift::select_context(merged, "b");
  CHECK(b.server == "https://other");
  CHECK(b.ca_file == "/two/ca.pem");  // relative to the file that wrote it
}

TEST_CASE("kubeconfig: which files kubectl reads", "[drift-client]") {
  using V = std::vector<std::string>;
  CHECK(gl::drift::kubeconfig_paths(std::string("/x/kc"), "/a:/b", "/home/u") == V{"/x/kc"});
  CHECK(gl::drift::kubeconfig_paths(std::nullopt, "/a::/b:/a:", "/home/u") == V{"/a", "/b"});
  CHECK(gl::drift::kubeconfig_paths(std::nullopt, "", "/home/u") == V{"/home/u/.kube/config"});
  CHECK(gl::drift::kubeconfig_paths(std::nullopt, nullptr, "/home/u") == V{"/home/u/.kube/config"});
  CHECK(gl::drift::kubeconfig_paths(std::nullopt, nullptr, nullptr).empty());
}

TEST_CASE("kubeconfig: loading files, a missing --kubeconfig is an error, missing list entries are skipped",
          "[drift-client]") {
  const TempDir dir;
  const std::string first = dir.write("a/config",
                                      "current-context: c\ncontexts:\n  - name: c\n"
                                      "    context: {cluster: k}\n");
  const std::string second = dir.write("b/config",
                                       "clusters:\n  - name: k\n"
                                       "    cluster: {server: 'https://k', certificate-authority: ca.crt}\n");
  const std::string missing = (dir.path / "none/config").string();
  const char* old = std::getenv("KUBECONFIG");
  const std::optional<std::string> saved = old != nullptr ? std::optional<std::string>(old) : std::nullopt;
  ::setenv("KUBECONFIG", (first + ":" + missing + ":" + second).c_str(), 1);
  const ClusterAccess a = gl::drift::load_cluster_access(std::nullopt, std::nullopt);
  CHECK(a.server == "https://k");
  CHECK(a.ca_file == (dir.path / "b/ca.crt").string());
  CHECK(error_of([&] { gl::drift::load_cluster_access(missing, std::nullopt); }) ==
        "cannot read kubeconfig `" + missing + "`");
  ::setenv("KUBECONFIG", missing.c_str(), 1);
  CHECK(error_of([&] { gl::drift::load_cluster_access(std::nullopt, std::nullopt); }) ==
        "no kubeconfig found (looked for " + missing + "); pass --kubeconfig FILE or set KUBECONFIG");
  if (saved) {
    ::setenv("KUBECONFIG", saved->c_str(), 1);
  } else {
    ::unsetenv("KUBECONFIG");
  }
}

TEST_CASE("exec credential: KUBERNETES_EXEC_INFO as kubectl sets it", "[drift-client]") {
  ExecConfig exec;
  exec.command = "aws";
  exec.api_version = "client.authentication.k8s.io/v1";
  ClusterAccess cluster;
  cluster.server = "https://10.0.0.1:6443";
  cluster.ca_data = "PEM";
  cluster.tls_server_name = "api.internal";
  CHECK(gl::drift::exec_info_json(exec, cluster) ==
        R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}})");
  exec.provide_cluster_info = true;
  CHECK(gl::drift::exec_info_json(exec, cluster) ==
        R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":)"
        R"({"server":"https://10.0.0.1:6443","tls-server-name":"api.internal","certificate-authority-data":"UEVN"},)"
        R"("interactive":false}})");
}

TEST_CASE("exec credential: parsing what a plugin prints, never quoting it", "[drift-client]") {
  ExecConfig exec;
  exec.command = "aws";
  exec.api_version = "client.authentication.k8s.io/v1beta1";
  const auto cred = gl::drift::parse_exec_credential(
      R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},)"
      R"("status":{"expirationTimestamp":"2024-05-21T02:25:00Z","token":"k8s-aws-v1.abc"}})",
      exec);
  CHECK(cred.token == "k8s-aws-v1.abc");
  CHECK(cred.expiration == "2024-05-21T02:25:00Z");
  CHECK(cred.client_certificate_data.empty());
  const auto certs = gl::drift::parse_exec_credential(
      R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1",)"
      R"("status":{"clientCertificateData":"-----BEGIN CERTIFICATE-----","clientKeyData":"-----BEGIN EC KEY-----"}})",
      exec);
  CHECK(certs.token.empty());
  CHECK(certs.client_certificate_data == "-----BEGIN CERTIFICATE-----");
  CHECK(certs.client_key_data == "-----BEGIN EC KEY-----");

  const auto fails = [&](const std::string& out) {
    return error_of([&] { gl::drift::parse_exec_credential(out, exec); });
  };
  const std::string bad = R"({"kind":"ExecCredential","status":{"token":"sekret-token)";
  const std::string bad_error = fails(bad);
  CHECK(bad_error == fmt::format("exec credential plugin `aws` printed no valid ExecCredential JSON (error at byte "
                                 "{} of {})",
                                 bad.size() + 1, bad.size()));
  CHECK(bad_error.find("sekret") == std::string::npos);
  CHECK(fails(R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"t"}})") ==
        "exec credential plugin `aws` returned apiVersion `client.authentication.k8s.io/v1`, but the kubeconfig asked "
        "for `client.authentication.k8s.io/v1beta1`");
  CHECK(fails(R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1"})") ==
        "exec credential plugin `aws` returned an ExecCredential without `status`");
  CHECK(fails(R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","status":{}})") ==
        "exec credential plugin `aws` returned neither a token nor a client certificate");
  CHECK(fails(R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1",)"
              R"("status":{"clientCertificateData":"c"}})") ==
        "exec credential plugin `aws` returned clientCertificateData without clientKeyData");
  CHECK(fails(R"(["token"])") == "exec credential plugin `aws` printed JSON that is not an ExecCredential");
  CHECK(fails(R"({"kind":"Status"})") == "exec credential plugin `aws` printed kind `Status`, not ExecCredential");
}

TEST_CASE("exec credential: running a plugin script", "[drift-client]") {
  const TempDir dir;
  const std::string info_file = (dir.path / "info").string();
  ExecConfig exec;
  exec.api_version = "client.authentication.k8s.io/v1";
  exec.interactive_mode = "IfAvailable";
  exec.args = {"get-token", "shop"};
  exec.env = {{"PLUGIN_PREFIX", "tok"}};
  ClusterAccess cluster;
  cluster.server = "https://10.0.0.1:6443";

  SECTION("the token from stdout; args, env and KUBERNETES_EXEC_INFO passed; stdin is no terminal") {
    exec.command = dir.write("plugin.sh",
                             "#!/bin/sh\n"
                             "printf '%s' \"$KUBERNETES_EXEC_INFO\" > '" +
                                 info_file +
                                 "'\n"
                                 "[ -t 0 ] && exit 9\n"
                                 "cat <<EOF\n"
                                 "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\","
                                 "\"status\":{\"token\":\"$PLUGIN_PREFIX-$1-$2\"}}\n"
                                 "EOF\n",
                             true);
    const auto cred = gl::drift::run_exec_plugin(exec, cluster);
    CHECK(cred.token == "tok-get-token-shop");
    CHECK(dir.read("info") == gl::drift::exec_info_json(exec, cluster));
  }
  SECTION("a failing plugin: its exit status and the last lines of its stderr") {
    exec.command = dir.write("fail.sh",
                             "#!/bin/sh\nfor i in 1 2 3 4 5 6 7; do echo \"line $i\" >&2; done\n"
                             "echo '{\"token\":\"partial'\nexit 3\n",
                             true);
    CHECK(error_of([&] { gl::drift::run_exec_plugin(exec, cluster); }) ==
          "exec credential plugin `" + exec.command +
              "` failed with exit status 3:\nline 3\nline 4\nline 5\nline 6\nline 7");
  }
  SECTION("a plugin that hangs is killed at the timeout") {
    exec.command = dir.write("hang.sh", "#!/bin/sh\nexec sleep 30\n", true);
    const auto start = std::chrono::steady_clock::now();
    CHECK(error_of([&] {
            gl::drift::run_exec_plugin(exec, cluster, {std::chrono::milliseconds(200), size_t{1} << 20});
          }) == "exec credential plugin `" + exec.command + "` did not finish within 200 ms");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }
  SECTION("a missing plugin shows the install hint") {
    exec.command = "gl-no-such-credential-plugin";
    exec.install_hint = "  install it from https://example.com/plugin\n";
    CHECK(error_of([&] { gl::drift::run_exec_plugin(exec, cluster); }) ==
          "exec credential plugin `gl-no-such-credential-plugin` was not found in PATH\n"
          "install it from https://example.com/plugin");
  }
  SECTION("interactiveMode Always cannot be satisfied") {
    exec.command = "true";
    exec.interactive_mode = "Always";
    CHECK(error_of([&] { gl::drift::run_exec_plugin(exec, cluster); }) ==
          "exec credential plugin `true` needs an interactive terminal (interactiveMode: Always), which gitops-lint "
          "does not give it; use a non-interactive credential");
  }
}

TEST_CASE("http helpers: status texts, query encoding, server URLs", "[drift-client]") {
  CHECK(gl::drift::status_text(403) == "403 Forbidden");
  CHECK(gl::drift::status_text(410) == "410 Gone");
  CHECK(gl::drift::status_text(418) == "HTTP 418");
  CHECK(gl::drift::url_encode("eyJ2Ijo+/=") == "eyJ2Ijo%2B%2F%3D");
  CHECK(gl::drift::url_encode("a-b_c.d~e") == "a-b_c.d~e");
  const auto client_error = [](const std::string& server) {
    gl::drift::HttpTarget target;
    target.server = server;
    return error_of([&] { gl::drift::HttpClient client(target); });
  };
  CHECK(client_error("ftp://files.example.com") ==
        "the kubeconfig's server `ftp://files.example.com` is not an https:// URL");
  CHECK(client_error("https://").starts_with("the kubeconfig's server `https://` is not a URL ("));
  CHECK(client_error("https://10.0.0.1:6443/prefix/") == "");
}
