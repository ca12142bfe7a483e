// Tests for the Ansible reader of the infrastructure inventory, written from the Ansible documentation (inventories,
// loops, variables, import_tasks, roles, kubernetes.core.k8s, kubernetes.core.k8s_taint) and kubectl's usage.
#include <catch2/catch.hpp>
#include <chrono>
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

TEST_CASE("ansible: INI inventory hosts are nodes, with ranges, groups and instance_type", "[infra][ansible]") {
  InfraRepo repo{{"inventory/hosts",
                  "# comment\n"
                  "[all:vars]\n"
                  "ansible_user=ubuntu\n"
                  "\n"
                  "[masters]\n"
                  "k8s-master ansible_host=10.0.0.1 instance_type=t3.large\n"
                  "\n"
                  "[workers]\n"
                  "worker-[01:03] instance_type=\"t3.small\"\n"
                  "; worker-99 is commented out\n"
                  "# worker-98 too\n"
                  "\n"
                  "[k8s:children]\n"
                  "masters\n"
                  "workers\n"},
                 {"etc/hosts", "127.0.0.1 localhost\n10.0.0.5 db.internal db\n"}};
  auto inv = repo.read();
  REQUIRE(node_names(inv) == std::vector<std::string>{"k8s-master", "worker-01", "worker-02", "worker-03"});
  CHECK(find_node(inv, "k8s-master")->instance_type == "t3.large");
  CHECK(at(find_node(inv, "k8s-master")->origin()) == "inventory/hosts:6:1");
  CHECK(at(find_node(inv, "k8s-master")->instance_type_fact()->at) == "inventory/hosts:6:48");
  CHECK(find_node(inv, "worker-02")->instance_type == "t3.small");
  CHECK(at(find_node(inv, "worker-02")->instance_type_fact()->at) == "inventory/hosts:9:31");
  CHECK(notes_of(inv).empty());
}

TEST_CASE("ansible: YAML inventory", "[infra][ansible]") {
  InfraRepo repo{{"inventories/prod/hosts.yml",
                  "all:\n"
                  "  children:\n"
                  "    control_plane:\n"
                  "      hosts:\n"
                  "        cp-1:\n"
                  "          instance_type: m5.large\n"
                  "    nodes:\n"
                  "      hosts:\n"
                  "        node-1:\n"
                  "        node-2:\n"}};
  auto inv = repo.read();
  REQUIRE(node_names(inv) == std::vector<std::string>{"cp-1", "node-1", "node-2"});
  CHECK(find_node(inv, "cp-1")->instance_type == "m5.large");
  CHECK(at(find_node(inv, "node-2")->origin()) == "inventories/prod/hosts.yml:10:9");
}

TEST_CASE("ansible: kubectl label over loop items, continuations and --overwrite", "[infra][ansible]") {
  InfraRepo repo{{"ansible/playbooks/label-nodes.yml",
                  "---\n"
                  "- name: Label Kubernetes Nodes\n"
                  "  hosts: masters\n"
                  "  tasks:\n"
                  "    - name: Label API Nodes\n"
                  "      shell: |\n"
                  "        kubectl label node {{ item.node }} \\\n"
                  "          workload=api \\\n"
                  "          domain={{ item.domain }} \\\n"
                  "          --overwrite\n"
                  "      loop:\n"
                  "        - { node: \"k8s-api-auth\", domain: \"auth\" }\n"
                  "        - { node: \"k8s-api-my\", domain: \"my\" }\n"
                  "    - name: Label one node\n"
                  "      ansible.builtin.command:\n"
                  "        cmd: kubectl label --overwrite nodes/k8s-db tier=data disk=ssd\n"
                  "    - name: Taint infra\n"
                  "      shell: \"kubectl taint node {{ node }} dedicated=infra:NoSchedule --overwrite\"\n"
                  "      loop_control:\n"
                  "        loop_var: node\n"
                  "      with_items:\n"
                  "        - k8s-db\n"
                  "        - [k8s-cache]\n"}};
  auto inv = repo.read();
  REQUIRE(node_names(inv) == std::vector<std::string>{"k8s-api-auth", "k8s-api-my", "k8s-cache", "k8s-db"});
  const auto* auth = find_node(inv, "k8s-api-auth");
  CHECK(labels_of(*auth) == "domain=auth,workload=api");
  // A literal label points at the command; one built from the loop item points at the item's value.
  CHECK(label_at(*auth, "workload") == "ansible/playbooks/label-nodes.yml:8:11");
  CHECK(label_at(*auth, "domain") == "ansible/playbooks/label-nodes.yml:12:44");
  CHECK(at(auth->origin()) == "ansible/playbooks/label-nodes.yml:12:20");
  CHECK(labels_of(*find_node(inv, "k8s-api-my")) == "domain=my,workload=api");
  CHECK(label_at(*find_node(inv, "k8s-api-my"), "domain") == "ansible/playbooks/label-nodes.yml:13:42");
  const auto* db = find_node(inv, "k8s-db");
  CHECK(labels_of(*db) == "disk=ssd,tier=data");
  CHECK(label_at(*db, "disk") == "ansible/playbooks/label-nodes.yml:16:63");
  CHECK(taints_of(*db) == "dedicated=infra:NoSchedule");
  CHECK(taints_of(*find_node(inv, "k8s-cache")) == "dedicated=infra:NoSchedule");
  CHECK(notes_of(inv).empty());
}

TEST_CASE("ansible: later tasks win, removals, and conflicts are notes", "[infra][ansible]") {
  InfraRepo repo{{"a.yml",
                  "- hosts: localhost\n"
                  "  tasks:\n"
                  "    - command: kubectl label node n1 role=api zone=a legacy=yes\n"
                  "    - command: kubectl taint nodes n1 dedicated=api:NoSchedule gpu=true:NoExecute\n"},
                 {"b.yml",
                  "- hosts: localhost\n"
                  "  tasks:\n"
                  "    - command: kubectl label node n1 role=worker legacy- --overwrite\n"
                  "    - command: kubectl taint node n1 gpu:NoExecute- dedicated=batch:NoSchedule\n"}};
  auto inv = repo.read();
  REQUIRE(inv.nodes.size() == 1);
  const auto& n = inv.nodes[0];
  CHECK(labels_of(n) == "role=worker,zone=a");
  CHECK(taints_of(n) == "dedicated=batch:NoSchedule");
  CHECK(label_at(n, "role") == "b.yml:3:38");
  CHECK(label_at(n, "legacy") == "b.yml:3:50");
  CHECK(n.label_fact("legacy")->kind == gl::k8s::infra::FactKind::kLabelRemoved);
  CHECK(notes_of(inv) == std::vector<std::string>{
                             "b.yml:3: node `n1`: label `role` is set to `worker` here after `api` at a.yml:3; the "
                             "later wins",
                             "b.yml:4: node `n1`: taint `dedicated:NoSchedule` has value `batch` here after `api` at "
                             "a.yml:4; the later wins"});
}

TEST_CASE("ansible: variables from the play, vars_files and group_vars", "[infra][ansible]") {
  InfraRepo repo{{"site/group_vars/all.yml", "pool: general\nkubectl_bin: /usr/local/bin/kubectl\n"},
                 {"site/vars/nodes.yml", "gpu_nodes:\n  - gpu-1\n  - gpu-2\n"},
                 {"site/play.yml",
                  "- hosts: all\n"
                  "  vars_files:\n"
                  "    - vars/nodes.yml\n"
                  "  vars:\n"
                  "    label_key: accelerator\n"
                  "  tasks:\n"
                  "    - name: label gpus\n"
                  "      command: \"{{ kubectl_bin }} label node {{ item }} {{ label_key }}=nvidia pool={{ pool }}\"\n"
                  "      loop: \"{{ gpu_nodes }}\"\n"
                  "    - name: not a node\n"
                  "      command: kubectl label pod web app=x\n"
                  "    - name: dry run\n"
                  "      command: kubectl label node gpu-1 x=y --dry-run=client\n"}};
  auto inv = repo.read();
  REQUIRE(node_names(inv) == std::vector<std::string>{"gpu-1", "gpu-2"});
  CHECK(labels_of(*find_node(inv, "gpu-2")) == "accelerator=nvidia,pool=general");
  CHECK(label_at(*find_node(inv, "gpu-2"), "pool") == "site/group_vars/all.yml:1:7");
  CHECK(at(find_node(inv, "gpu-2")->origin()) == "site/vars/nodes.yml:3:5");
  CHECK(notes_of(inv).empty());
}

TEST_CASE("ansible: inventory_hostname through a play's hosts, import_tasks and roles", "[infra][ansible]") {
  InfraRepo repo{
      {"ansible/inventory/hosts", "[masters]\ncp-1\n[workers]\nw-1\nw-2\n[k8s:children]\nmasters\nworkers\n"},
      {"ansible/site.yml",
       "---\n"
       "# the whole cluster\n"
       "---\n"
       "- name: Master\n"
       "  hosts: masters\n"
       "  tasks:\n"
       "    - import_tasks: playbooks/master.yml\n"
       "- name: Workers\n"
       "  hosts: k8s:!masters\n"
       "  roles:\n"
       "    - worker\n"},
      {"ansible/playbooks/master.yml",
       "- name: Control Plane labels\n"
       "  command: >\n"
       "    kubectl label node {{ inventory_hostname }}\n"
       "    role=control-plane\n"
       "    --overwrite\n"
       "- name: Control Plane taint\n"
       "  command: kubectl taint nodes {{ inventory_hostname }} role=control-plane:NoSchedule --overwrite\n"},
      {"ansible/roles/worker/tasks/main.yml",
       "- name: kubelet labels\n"
       "  ansible.builtin.copy:\n"
       "    dest: /etc/default/kubelet\n"
       "    content: |\n"
       "      KUBELET_EXTRA_ARGS=--node-labels={{ node_labels[inventory_hostname] }}\n"},
      {"ansible/roles/worker/defaults/main.yml", "node_labels:\n  w-1: role=worker,size=big\n  w-2: role=worker\n"},
      {"ansible/playbooks/orphan.yml",
       "- name: Label this host\n"
       "  command: kubectl label node {{ inventory_hostname }} x=y\n"}};
  auto inv = repo.read();
  REQUIRE(node_names(inv) == std::vector<std::string>{"cp-1", "w-1", "w-2"});
  const auto* cp = find_node(inv, "cp-1");
  CHECK(labels_of(*cp) == "role=control-plane");
  CHECK(taints_of(*cp) == "role=control-plane:NoSchedule");
  CHECK(label_at(*cp, "role") == "ansible/playbooks/master.yml:4:5");
  CHECK(labels_of(*find_node(inv, "w-1")) == "role=worker,size=big");
  CHECK(label_at(*find_node(inv, "w-1"), "size") == "ansible/roles/worker/defaults/main.yml:2:20");
  CHECK(labels_of(*find_node(inv, "w-2")) == "role=worker");
  CHECK(notes_of(inv) ==
        std::vector<std::string>{"ansible/playbooks/orphan.yml:1: task `Label this host` depends on the host, but the "
                                 "hosts of its play are not known"});
}

TEST_CASE("ansible: kubernetes.core.k8s Node patches and kubernetes.core.k8s_taint", "[infra][ansible]") {
  InfraRepo repo{{"k8s.yml",
                  "- hosts: localhost\n"
                  "  tasks:\n"
                  "    - name: Label node\n"
                  "      kubernetes.core.k8s:\n"
                  "        state: patched\n"
                  "        kind: Node\n"
                  "        name: node-a\n"
                  "        definition:\n"
                  "          metadata:\n"
                  "            labels:\n"
                  "              role: ingress\n"
                  "              old: null\n"
                  "    - name: Full definition\n"
                  "      k8s:\n"
                  "        definition:\n"
                  "          apiVersion: v1\n"
                  "          kind: Node\n"
                  "          metadata:\n"
                  "            name: node-b\n"
                  "            labels: {role: db}\n"
                  "          spec:\n"
                  "            taints:\n"
                  "              - {key: dedicated, value: db, effect: NoSchedule}\n"
                  "    - name: Not a node\n"
                  "      kubernetes.core.k8s:\n"
                  "        definition: {kind: ConfigMap, metadata: {name: x, labels: {a: b}}}\n"
                  "    - name: Taint node \"foo\"\n"
                  "      kubernetes.core.k8s_taint:\n"
                  "        state: present\n"
                  "        name: foo\n"
                  "        taints:\n"
                  "        - effect: NoExecute\n"
                  "          key: \"key1\"\n"
                  "        - effect: NoSchedule\n"
                  "          key: \"key1\"\n"
                  "          value: \"value1\"\n"}};
  auto inv = repo.read();
  REQUIRE(node_names(inv) == std::vector<std::string>{"foo", "node-a", "node-b"});
  CHECK(labels_of(*find_node(inv, "node-a")) == "role=ingress");
  CHECK(label_at(*find_node(inv, "node-a"), "role") == "k8s.yml:11:21");
  CHECK(labels_of(*find_node(inv, "node-b")) == "role=db");
  CHECK(taints_of(*find_node(inv, "node-b")) == "dedicated=db:NoSchedule");
  CHECK(taints_of(*find_node(inv, "foo")) == "key1:NoExecute,key1=value1:NoSchedule");
  CHECK(notes_of(inv).empty());
}

TEST_CASE("ansible: conditions, selectors and unknown names", "[infra][ansible]") {
  InfraRepo repo{{"p.yml",
                  "- hosts: localhost\n"
                  "  vars:\n"
                  "    enabled: false\n"
                  "  tasks:\n"
                  "    - name: skipped\n"
                  "      command: kubectl label node n1 a=b\n"
                  "      when: enabled\n"
                  "    - name: skipped by default\n"
                  "      command: kubectl label node n1 c=d\n"
                  "      when: migrate | default(false)\n"
                  "    - name: runs\n"
                  "      command: kubectl label node n1 e=f\n"
                  "      when: not enabled and n1_ready is not defined\n"
                  "    - name: selector\n"
                  "      command: kubectl label nodes -l role=worker pool=general\n"
                  "    - name: shell name\n"
                  "      shell: kubectl label node $(hostname) x=y\n"
                  "    - name: unknown loop\n"
                  "      command: kubectl label node {{ item }} z=1\n"
                  "      loop: \"{{ lookup('file', 'nodes.txt').splitlines() }}\"\n"
                  "    - name: bad label\n"
                  "      command: kubectl label node n1 -bad=x good=1 'sp ace=1'\n"}};
  auto inv = repo.read();
  REQUIRE(inv.nodes.size() == 1);
  CHECK(labels_of(inv.nodes[0]) == "e=f,good=1");
  CHECK(notes_of(inv) == std::vector<std::string>{
                             "p.yml:14: task `selector` runs `kubectl label` on nodes chosen by `role=worker`; which "
                             "nodes is not known",
                             "p.yml:17: node name `$(hostname)` in task `shell name` is not known; its labels are not "
                             "read",
                             "p.yml:20: loop of task `unknown loop` is not known; the task is not read",
                             "p.yml:22: `sp ace=1` is not a valid node label; it is skipped"});
}

TEST_CASE("ansible: hostile playbooks: self-imports, deep YAML, huge loops", "[infra][ansible]") {
  std::string loop =
      "- hosts: localhost\n  tasks:\n    - command: kubectl label node {{ item }} big=yes\n      loop:\n";
  for (int i = 0; i < 5000; ++i) loop += "        - n" + std::to_string(i) + "\n";
  std::string deep = "- hosts: localhost\n  tasks:\n    - block:\n" + std::string(400, ' ') + "\n";
  for (int i = 0; i < 300; ++i) deep += std::string(static_cast<size_t>(4 + 2 * i), ' ') + "- block:\n";
  InfraRepo repo{
      {"loop.yml", loop},
      {"deep.yml", deep},
      {"self.yml", "- hosts: localhost\n  tasks:\n    - include_tasks: tasks.yml\n"},
      {"tasks.yml",
       "- include_tasks: tasks.yml\n"
       "- command: kubectl label node self x=1\n"},
      {"nots.yml", "- hosts: localhost\n  tasks:\n    - command: kubectl label node nots x=1\n      when: \"" +
                       [] {
                         std::string n;
                         for (int i = 0; i < 10000; ++i) n += "not ";
                         return n;
                       }() +
                       "false\"\n"},
      {"unknown.yml", "- hosts: localhost\n  tasks:\n    - command: kubectl label node {{ missing_var }} x=1\n"}};
  const auto start = std::chrono::steady_clock::now();
  auto inv = repo.read();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  CHECK(inv.nodes.size() == 1002);  // 1000 loop items are read, `self`, and `nots` (its condition is not known)
  CHECK(labels_of(*find_node(inv, "self")) == "x=1");
  CHECK(find_node(inv, "n999") != nullptr);
  CHECK(find_node(inv, "n1000") == nullptr);
  CHECK(
      notes_of(inv) ==
      std::vector<std::string>{
          "tasks.yml:1: `tasks.yml` includes itself (or nests more than 8 levels); the inner "
          "include is skipped",
          "unknown.yml:3: node name `{{ missing_var }}` in task `unnamed task` is not known; its labels are not read"});
}
