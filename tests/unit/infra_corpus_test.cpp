// The infrastructure inventory of the real repository snapshots in ../shared/corpora/ (SeSACTHON/backend): every
// node, instance type, label and taint below was checked by hand against the files named in the comments.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "infra_test_support.h"

using gl::test::at;
using gl::test::find_node;
using gl::test::InfraRepo;
using gl::test::label_at;
using gl::test::labels_of;
using gl::test::node_names;
using gl::test::notes_of;
using gl::test::taints_of;

namespace {

std::string corpus(const std::string& name) {
  const char* env = std::getenv("GL_CORPUS_DIR");
  return (env != nullptr ? std::string(env) : std::string(GL_SOURCE_DIR) + "/../shared/corpora") + "/" + name;
}

struct Expected {
  std::string type;
  std::string labels;
  std::string taints;
};

}  // namespace

TEST_CASE("infra corpus: sesacthon-c2afd9df (Terraform instances, Ansible labels and taints)", "[infra][corpus]") {
  InfraRepo repo;
  if (!repo.add_directory(corpus("sesacthon-c2afd9df"))) {
    WARN("corpus sesacthon-c2afd9df is absent (set GL_CORPUS_DIR or check out ../shared/corpora); skipped");
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  auto inv = repo.read();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  // Instance types: terraform/main.tf module calls (`instance_type = "t3.micro"`); labels and taints:
  // ansible/playbooks/label-nodes.yml (`kubectl label node {{ item.node }} ...` over `loop:` items, literal
  // `kubectl label node k8s-worker-storage ...`, `kubectl taint node {{ item }} ...`). The master is not labelled.
  const std::string api = "node-role.kubernetes.io/api=";
  const std::string infra = "node-role.kubernetes.io/infrastructure=";
  const std::string taint = "node-role.kubernetes.io/infrastructure=true:NoSchedule";
  const std::map<std::string, Expected> expected = {
      {"k8s-master", {"t3.large", "", ""}},
      {"k8s-api-auth", {"t3.micro", "domain=auth," + api + "auth,phase=1,workload=api", ""}},
      {"k8s-api-my", {"t3.micro", "domain=my," + api + "my,phase=1,workload=api", ""}},
      {"k8s-api-scan", {"t3.small", "domain=scan," + api + "scan,phase=2,workload=api", ""}},
      {"k8s-api-character", {"t3.micro", "domain=character," + api + "character,phase=2,workload=api", ""}},
      {"k8s-api-location", {"t3.micro", "domain=location," + api + "location,phase=2,workload=api", ""}},
      {"k8s-api-info", {"t3.micro", "domain=info," + api + "info,phase=3,workload=api", ""}},
      {"k8s-api-chat", {"t3.small", "domain=chat," + api + "chat,phase=3,workload=api", ""}},
      {"k8s-worker-storage",
       {"t3.small",
        "domain=scan,node-role.kubernetes.io/worker=storage,phase=4,pool-type=eventlet,worker-type=io-bound,"
        "workload=worker-storage",
        ""}},
      {"k8s-worker-ai",
       {"t3.small",
        "domain=ai,node-role.kubernetes.io/worker=ai,phase=4,pool-type=prefork,worker-type=network-bound,"
        "workload=worker-ai",
        ""}},
      {"k8s-rabbitmq", {"t3.small", infra + "rabbitmq,phase=4,workload=message-queue", taint}},
      {"k8s-postgresql", {"t3.medium", infra + "postgresql,phase=1,workload=database", taint}},
      {"k8s-redis", {"t3.small", infra + "redis,phase=1,workload=cache", taint}},
      {"k8s-monitoring", {"t3.medium", infra + "monitoring,phase=4,workload=monitoring", taint}},
  };
  REQUIRE(inv.nodes.size() == expected.size());
  for (const auto& n : inv.nodes) {
    INFO(n.name);
    auto it = expected.find(n.name);
    REQUIRE(it != expected.end());
    CHECK(n.instance_type == it->second.type);
    CHECK(labels_of(n) == it->second.labels);
    CHECK(taints_of(n) == it->second.taints);
    CHECK(n.count == 1);
    CHECK_FALSE(n.is_group());
  }
  // Lines, checked in the files.
  const auto* auth = find_node(inv, "k8s-api-auth");
  CHECK(auth->group == "terraform module.api_auth");
  CHECK(at(auth->instance_type_fact()->at) == "terraform/main.tf:124:27");
  CHECK(label_at(*auth, "workload") == "ansible/playbooks/label-nodes.yml:25:11");
  CHECK(label_at(*auth, "domain") == "ansible/playbooks/label-nodes.yml:31:44");
  CHECK(label_at(*auth, "phase") == "ansible/playbooks/label-nodes.yml:31:59");
  const auto* ai = find_node(inv, "k8s-worker-ai");
  CHECK(label_at(*ai, "pool-type") == "ansible/playbooks/label-nodes.yml:76:11");
  const auto* redis = find_node(inv, "k8s-redis");
  const gl::k8s::infra::Fact* redis_taint = nullptr;
  for (const auto& f : redis->sources) {
    if (f.kind == gl::k8s::infra::FactKind::kTaint) redis_taint = &f;
  }
  REQUIRE(redis_taint != nullptr);
  CHECK(at(redis_taint->at) == "ansible/playbooks/label-nodes.yml:134:11");
  CHECK(notes_of(inv).empty());
}

TEST_CASE("infra corpus: sesacthon-9a0c35f9 (kubelet flags from Terraform locals through templatefile)",
          "[infra][corpus]") {
  InfraRepo repo;
  if (!repo.add_directory(corpus("sesacthon-9a0c35f9"))) {
    WARN("corpus sesacthon-9a0c35f9 is absent (set GL_CORPUS_DIR or check out ../shared/corpora); skipped");
    return;
  }
  auto inv = repo.read();
  // terraform/main.tf: `locals { kubelet_profiles = {...} }` (lines 69-84) passed as `kubelet_extra_args` to
  // templatefile("${path.module}/user-data/common.sh"), which writes KUBELET_EXTRA_ARGS=${kubelet_extra_args}.
  CHECK(node_names(inv) == std::vector<std::string>{"k8s-api-auth", "k8s-api-character", "k8s-api-chat",
                                                    "k8s-api-image", "k8s-api-location", "k8s-api-my", "k8s-api-scan",
                                                    "k8s-master", "k8s-monitoring", "k8s-postgresql", "k8s-rabbitmq",
                                                    "k8s-redis", "k8s-worker-ai", "k8s-worker-storage"});
  const auto* master = find_node(inv, "k8s-master");
  CHECK(master->instance_type == "t3.xlarge");
  CHECK(labels_of(*master) ==
        "domain=control-plane,phase=0,role=control-plane,service=platform-system,tier=platform,workload=control-plane");
  CHECK(taints_of(*master) == "role=control-plane:NoSchedule");
  CHECK(label_at(*master, "role") == "terraform/main.tf:70:43");
  const auto* pg = find_node(inv, "k8s-postgresql");
  CHECK(pg->instance_type == "t3.large");
  CHECK(labels_of(*pg) == "domain=data,infra-type=postgresql,phase=1,role=infrastructure,tier=data,workload=database");
  CHECK(taints_of(*pg) == "domain=data:NoSchedule");
  CHECK(label_at(*pg, "infra-type") == "terraform/main.tf:81:75");
  const auto* storage = find_node(inv, "k8s-worker-storage");
  CHECK(storage->instance_type == "t3.medium");
  CHECK(labels_of(*storage) ==
        "domain=worker-storage,phase=4,role=worker,tier=worker,worker-type=storage,workload=worker-storage");
  CHECK(taints_of(*storage).empty());
  // The Ansible inventories (ansible/inventory/hosts, terraform/hosts; read as one, the later file's host variables
  // winning) still list the older, smaller sizes: all 14 nodes differ from Terraform, which wins.
  const auto notes = notes_of(inv);
  CHECK(std::count_if(notes.begin(), notes.end(),
                      [](const std::string& n) { return n.find("differs from") != std::string::npos; }) == 14);
  CHECK(std::find(notes.begin(), notes.end(),
                  "terraform/hosts:13: node `k8s-master`: instance type `t3.large` here differs from `t3.xlarge` at "
                  "terraform/main.tf:120; `t3.xlarge` is used") != notes.end());
}
