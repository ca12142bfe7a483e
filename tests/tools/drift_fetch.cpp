// Test driver for the live cluster client: reads a kubeconfig context, lists kinds with read_cluster and prints
// one "Kind namespace/name" line per object, then the complete kinds and the notes. Exit 2 on a run-stopping
// error (as `gitops-lint drift` does). Used by tests/cli/drift_client.sh against tests/drift/fake_apiserver.py.
//
//   drift_fetch [--kubeconfig FILE] [--context NAME] [--page-size N] [--timeout-ms N] [--attempts N]
//               [--backoff-ms N] [--all-kinds] [--nodes] [KIND...]
#include <charconv>
#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "drift/cluster_client.h"
#include "drift/kubeconfig.h"

namespace {

constexpr int kExitError = 2;

long number(std::string_view flag, std::string_view text) {
  long value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) {
    throw gl::FatalError(std::string(flag) + " needs a non-negative number");
  }
  return value;
}

int run(int argc, char** argv) {
  std::optional<std::string> kubeconfig;
  std::optional<std::string> context;
  gl::drift::ClientOptions options;
  bool all_kinds = false;
  bool nodes = false;
  std::vector<std::string> kinds;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw gl::FatalError(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--kubeconfig") {
      kubeconfig = value();
    } else if (arg == "--context") {
      context = value();
    } else if (arg == "--page-size") {
      options.page_size = static_cast<size_t>(number(arg, value()));
    } else if (arg == "--timeout-ms") {
      options.http.timeout = std::chrono::milliseconds(number(arg, value()));
    } else if (arg == "--attempts") {
      options.http.max_attempts = static_cast<int>(number(arg, value()));
    } else if (arg == "--backoff-ms") {
      options.http.backoff = std::chrono::milliseconds(number(arg, value()));
    } else if (arg == "--all-kinds") {
      all_kinds = true;
    } else if (arg == "--nodes") {
      nodes = true;
    } else if (arg.starts_with("--")) {
      throw gl::FatalError("unknown flag " + std::string(arg));
    } else {
      kinds.emplace_back(arg);
    }
  }
  gl::drift::ClusterClient client(gl::drift::load_cluster_access(kubeconfig, context), options);
  if (nodes) {
    std::vector<std::string> notes;
    for (const auto& n : gl::drift::read_nodes(client, &notes)) std::cout << "Node " << n.name << "\n";
    for (const auto& n : notes) std::cout << "note: " << n << "\n";
    return 0;
  }
  const gl::drift::LiveSet live = gl::drift::read_cluster(client, kinds, all_kinds);
  std::cout << "source: " << live.description << "\n";
  for (const auto& o : live.objects) {
    std::cout << o.kind << " " << (o.name_space.empty() ? o.name : o.name_space + "/" + o.name) << " " << o.api_version
              << "\n";
  }
  for (const auto& k : live.complete_kinds) std::cout << "complete: " << k << "\n";
  for (const auto& n : live.notes) std::cout << "note: " << n << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const gl::FatalError& e) {
    std::cerr << "drift_fetch: error: " << e.what() << "\n";
    return kExitError;
  }
}
