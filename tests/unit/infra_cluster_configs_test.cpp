// Tests for node declarations in cluster tools' YAML, from each tool's documentation: kubeadm Init/JoinConfiguration
// (v1beta3 map and v1beta4 list kubeletExtraArgs), eksctl ClusterConfig node groups, Karpenter NodePool/Provisioner.
#include <catch2/catch.hpp>
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

TEST_CASE("kubeadm: InitConfiguration and JoinConfiguration node registration", "[infra][kubeadm]") {
  InfraRepo repo{{"kubeadm/init.yaml",
                  "apiVersion: kubeadm.k8s.io/v1beta3\n"
                  "kind: InitConfiguration\n"
                  "nodeRegistration:\n"
                  "  name: \"ec2-10-100-0-1\"\n"
                  "  criSocket: \"unix:///var/run/containerd/containerd.sock\"\n"
                  "  kubeletExtraArgs:\n"
                  "    v: \"4\"\n"
                  "    node-labels: \"tier=control,zone=a\"\n"
                  "---\n"
                  "apiVersion: kubeadm.k8s.io/v1beta3\n"
                  "kind: ClusterConfiguration\n"
                  "kubernetesVersion: v1.29.0\n"},
                 {"kubeadm/join.yaml",
                  "apiVersion: kubeadm.k8s.io/v1beta4\n"
                  "kind: JoinConfiguration\n"
                  "nodeRegistration:\n"
                  "  name: worker-1\n"
                  "  taints:\n"
                  "    - key: \"kubeadmNode\"\n"
                  "      value: \"someValue\"\n"
                  "      effect: \"NoSchedule\"\n"
                  "  kubeletExtraArgs:\n"
                  "    - name: node-labels\n"
                  "      value: \"role=worker,disk=ssd\"\n"
                  "    - name: register-with-taints\n"
                  "      value: \"dedicated=batch:NoExecute\"\n"
                  "---\n"
                  "apiVersion: kubeadm.k8s.io/v1beta4\n"
                  "kind: JoinConfiguration\n"
                  "controlPlane: {}\n"
                  "nodeRegistration:\n"
                  "  name: cp-2\n"
                  "  taints: []\n"
                  "---\n"
                  "apiVersion: kubeadm.k8s.io/v1beta4\n"
                  "kind: JoinConfiguration\n"
                  "nodeRegistration: {}\n"}};
  auto inv = repo.read();
  REQUIRE(node_names(inv) == std::vector<std::string>{"cp-2", "ec2-10-100-0-1", "worker-1"});
  const auto* init = find_node(inv, "ec2-10-100-0-1");
  CHECK(labels_of(*init) ==
        "node-role.kubernetes.io/control-plane=,node.kubernetes.io/exclude-from-external-load-balancers=,tier=control,"
        "zone=a");
  CHECK(taints_of(*init) == "node-role.kubernetes.io/control-plane:NoSchedule");
  CHECK(label_at(*init, "zone") == "kubeadm/init.yaml:8:32");
  CHECK(init->group == "kubeadm InitConfiguration");
  const auto* worker = find_node(inv, "worker-1");
  CHECK(labels_of(*worker) == "disk=ssd,role=worker");
  CHECK(taints_of(*worker) == "kubeadmNode=someValue:NoSchedule,dedicated=batch:NoExecute");
  CHECK(label_at(*worker, "disk") == "kubeadm/join.yaml:11:27");
  // A control-plane join with `taints: []` gets the control-plane labels and no taint.
  const auto* cp2 = find_node(inv, "cp-2");
  CHECK(labels_of(*cp2) ==
        "node-role.kubernetes.io/control-plane=,node.kubernetes.io/exclude-from-external-load-balancers=");
  CHECK(taints_of(*cp2).empty());
  CHECK(notes_of(inv) ==
        std::vector<std::string>{"kubeadm/join.yaml:23: kubeadm JoinConfiguration sets no `nodeRegistration.name` (the "
                                 "node takes its host name); it is not read"});
}

TEST_CASE("eksctl: nodeGroups and managedNodeGroups", "[infra][eksctl]") {
  InfraRepo repo{{"cluster.yaml",
                  "apiVersion: eksctl.io/v1alpha5\n"
                  "kind: ClusterConfig\n"
                  "metadata:\n"
                  "  name: cluster-1\n"
                  "  region: eu-north-1\n"
                  "nodeGroups:\n"
                  "  - name: ng-1\n"
                  "    instanceType: m5.large\n"
                  "    desiredCapacity: 10\n"
                  "    labels: {role: workers}\n"
                  "    taints:\n"
                  "      - key: feaster\n"
                  "        value: \"true\"\n"
                  "        effect: NoSchedule\n"
                  "  - name: ng-legacy\n"
                  "    instanceType: c5.large\n"
                  "    taints:\n"
                  "      special: \"true:NoSchedule\"\n"
                  "managedNodeGroups:\n"
                  "  - name: managed-ng-1\n"
                  "    instanceTypes: [\"c5.large\", \"c5.xlarge\"]\n"
                  "    minSize: 2\n"
                  "    labels: {role: worker}\n"
                  "  - name: managed-default\n"}};
  auto inv = repo.read();
  REQUIRE(node_names(inv) == std::vector<std::string>{"managed-default", "managed-ng-1", "ng-1", "ng-legacy"});
  const auto* ng1 = find_node(inv, "ng-1");
  CHECK(ng1->count == 10);
  CHECK(ng1->instance_type == "m5.large");
  CHECK(labels_of(*ng1) == "alpha.eksctl.io/nodegroup-name=ng-1,role=workers");
  CHECK(taints_of(*ng1) == "feaster=true:NoSchedule");
  CHECK(label_at(*ng1, "role") == "cluster.yaml:10:14");
  CHECK(ng1->group == "eksctl nodeGroup ng-1");
  const auto* legacy = find_node(inv, "ng-legacy");
  CHECK(legacy->count == 2);  // eksctl's default
  CHECK(taints_of(*legacy) == "special=true:NoSchedule");
  const auto* managed = find_node(inv, "managed-ng-1");
  CHECK(managed->count == 2);
  CHECK(managed->instance_types == std::vector<std::string>{"c5.large", "c5.xlarge"});
  CHECK(managed->instance_type == "c5.xlarge");
  CHECK(labels_of(*managed) ==
        "alpha.eksctl.io/nodegroup-name=managed-ng-1,eks.amazonaws.com/nodegroup=managed-ng-1,role=worker");
  CHECK(find_node(inv, "managed-default")->instance_type == "m5.large");
  CHECK(notes_of(inv) == std::vector<std::string>{
                             "cluster.yaml:24: eksctl node group `managed-default` sets no instance type; eksctl uses "
                             "`m5.large`"});
}

TEST_CASE("karpenter: NodePool v1 and the older Provisioner", "[infra][karpenter]") {
  InfraRepo repo{{"karpenter/nodepool.yaml",
                  "apiVersion: karpenter.sh/v1\n"
                  "kind: NodePool\n"
                  "metadata:\n"
                  "  name: default\n"
                  "spec:\n"
                  "  template:\n"
                  "    metadata:\n"
                  "      labels:\n"
                  "        billing-team: my-team\n"
                  "    spec:\n"
                  "      requirements:\n"
                  "        - key: kubernetes.io/arch\n"
                  "          operator: In\n"
                  "          values: [\"amd64\"]\n"
                  "        - key: node.kubernetes.io/instance-type\n"
                  "          operator: In\n"
                  "          values: [\"m5.large\", \"m5.2xlarge\", \"m5.xlarge\"]\n"
                  "        - key: karpenter.sh/capacity-type\n"
                  "          operator: In\n"
                  "          values: [\"spot\", \"on-demand\"]\n"
                  "      taints:\n"
                  "        - key: example.com/special-taint\n"
                  "          effect: NoSchedule\n"
                  "  limits:\n"
                  "    cpu: 1000\n"
                  "---\n"
                  "apiVersion: karpenter.sh/v1alpha5\n"
                  "kind: Provisioner\n"
                  "metadata:\n"
                  "  name: old\n"
                  "spec:\n"
                  "  labels: {team: a}\n"
                  "  requirements:\n"
                  "    - key: karpenter.sh/capacity-type\n"
                  "      operator: In\n"
                  "      values: [\"spot\"]\n"}};
  auto inv = repo.read();
  REQUIRE(node_names(inv) == std::vector<std::string>{"default", "old"});
  const auto* np = find_node(inv, "default");
  CHECK(np->autoscaled);
  CHECK(np->is_group());
  CHECK(np->instance_types == std::vector<std::string>{"m5.large", "m5.2xlarge", "m5.xlarge"});
  CHECK(np->instance_type == "m5.2xlarge");
  CHECK(labels_of(*np) == "billing-team=my-team,karpenter.sh/nodepool=default,kubernetes.io/arch=amd64");
  CHECK(taints_of(*np) == "example.com/special-taint:NoSchedule");
  CHECK(label_at(*np, "kubernetes.io/arch") == "karpenter/nodepool.yaml:14:20");
  CHECK(np->group == "karpenter NodePool default");
  const auto* old = find_node(inv, "old");
  CHECK(labels_of(*old) == "karpenter.sh/capacity-type=spot,karpenter.sh/provisioner-name=old,team=a");
  CHECK(old->instance_type.empty());
  CHECK(notes_of(inv) == std::vector<std::string>{
                             "karpenter/nodepool.yaml:30: karpenter Provisioner `old` does not list its instance types "
                             "(a requirement on `node.kubernetes.io/instance-type` with `In`); its size is not known"});
}

TEST_CASE("cluster configs: groups do not merge with same-named nodes; broken YAML is skipped", "[infra][kubeadm]") {
  InfraRepo repo{
      {"a.yaml",
       "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nnodeGroups:\n  - name: web\n"
       "    instanceType: t3.small\n    desiredCapacity: 3\n"},
      {"b.yaml", "apiVersion: kubeadm.k8s.io/v1beta3\nkind: JoinConfiguration\nnodeRegistration:\n  name: web\n"},
      {"c.yaml", "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: [unclosed\n"},
      {"d.yaml", "apiVersion: kubeadm.k8s.io/v1beta3\nkind: JoinConfiguration\nnodeRegistration: " +
                     std::string(5000, '[') + "\n"}};
  auto inv = repo.read();
  REQUIRE(inv.nodes.size() == 2);
  CHECK(inv.nodes[0].name == "web");
  CHECK(inv.nodes[1].name == "web");
  CHECK(inv.nodes[0].is_group() != inv.nodes[1].is_group());
  CHECK(notes_of(inv).empty());
}
