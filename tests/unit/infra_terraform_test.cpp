// Tests for the Terraform reader of the infrastructure inventory, from the Terraform documentation's own examples
// (count, for_each, modules and variables, locals, templatefile, aws_instance, aws_eks_node_group).
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "infra_test_support.h"

using gl::test::at;
using gl::test::find_node;
using gl::test::has_note;
using gl::test::InfraRepo;
using gl::test::label_at;
using gl::test::labels_of;
using gl::test::node_names;
using gl::test::notes_of;
using gl::test::taints_of;

TEST_CASE("terraform: aws_instance with count and a Name tag per index", "[infra][terraform]") {
  InfraRepo repo{{"infra/main.tf",
                  "resource \"aws_instance\" \"server\" {\n"
                  "  count = 4 # create four similar EC2 instances\n"
                  "\n"
                  "  ami           = \"ami-a1b2c3d4\"\n"
                  "  instance_type = \"t2.micro\"\n"
                  "\n"
                  "  tags = {\n"
                  "    Name = \"server-${count.index}\"\n"
                  "  }\n"
                  "}\n"}};
  auto inv = repo.read();
  CHECK(node_names(inv) == std::vector<std::string>{"server-0", "server-1", "server-2", "server-3"});
  const auto* n = find_node(inv, "server-2");
  REQUIRE(n != nullptr);
  CHECK(n->instance_type == "t2.micro");
  CHECK(n->group == "terraform aws_instance.server");
  CHECK(n->count == 1);
  CHECK(at(n->instance_type_fact()->at) == "infra/main.tf:5:20");
  CHECK(at(n->origin()) == "infra/main.tf:8:13");
  CHECK(notes_of(inv).empty());
}

TEST_CASE("terraform: for_each over a set and a map", "[infra][terraform]") {
  InfraRepo repo{{"main.tf",
                  "locals {\n"
                  "  sizes = {\n"
                  "    api    = \"t3.small\"\n"
                  "    worker = \"t3.large\"\n"
                  "  }\n"
                  "}\n"
                  "resource \"aws_instance\" \"by_set\" {\n"
                  "  for_each      = toset([\"a\", \"b\", \"a\"])\n"
                  "  instance_type = \"t3.micro\"\n"
                  "  tags          = { Name = \"set-${each.key}\" }\n"
                  "}\n"
                  "resource \"aws_instance\" \"by_map\" {\n"
                  "  for_each      = local.sizes\n"
                  "  instance_type = each.value\n"
                  "  tags          = { Name = \"node-${each.key}\" }\n"
                  "}\n"}};
  auto inv = repo.read();
  CHECK(node_names(inv) == std::vector<std::string>{"node-api", "node-worker", "set-a", "set-b"});
  CHECK(find_node(inv, "node-api")->instance_type == "t3.small");
  CHECK(find_node(inv, "node-worker")->instance_type == "t3.large");
  // The instance type points at the map entry in locals, where it is written (the text inside the quotes).
  CHECK(at(find_node(inv, "node-worker")->instance_type_fact()->at) == "main.tf:4:15");
  CHECK(find_node(inv, "set-b")->instance_type == "t3.micro");
  CHECK(notes_of(inv).empty());
}

TEST_CASE("terraform: a local module, its variables, defaults and terraform.tfvars", "[infra][terraform]") {
  InfraRepo repo{{"tf/main.tf",
                  "module \"api_1\" {\n"
                  "  source        = \"./modules/node\"\n"
                  "  name          = \"k8s-api-1\"\n"
                  "  instance_type = var.api_type\n"
                  "}\n"
                  "module \"db\" {\n"
                  "  source = \"./modules/node\"\n"
                  "  name   = \"k8s-db\"\n"
                  "}\n"
                  "module \"vpc\" {\n"
                  "  source = \"terraform-aws-modules/vpc/aws\"\n"
                  "}\n"
                  "module \"eks\" {\n"
                  "  source = \"terraform-aws-modules/eks/aws\"\n"
                  "}\n"},
                 {"tf/variables.tf", "variable \"api_type\" {\n  default = \"t3.nano\"\n}\n"},
                 {"tf/terraform.tfvars", "api_type = \"t3.medium\" # wins over the default\n"},
                 {"tf/env/prod.tfvars", "api_type = \"m5.large\"\n"},
                 {"tf/modules/node/main.tf",
                  "resource \"aws_instance\" \"this\" {\n"
                  "  instance_type = var.instance_type\n"
                  "  tags = merge({ Name = var.name }, var.tags)\n"
                  "}\n"},
                 {"tf/modules/node/variables.tf",
                  "variable \"name\" { type = string }\n"
                  "variable \"instance_type\" {\n"
                  "  type    = string\n"
                  "  default = \"t3.small\"\n"
                  "}\n"
                  "variable \"tags\" {\n"
                  "  type    = map(string)\n"
                  "  default = {}\n"
                  "}\n"}};
  auto inv = repo.read();
  REQUIRE(node_names(inv) == std::vector<std::string>{"k8s-api-1", "k8s-db"});
  const auto* api = find_node(inv, "k8s-api-1");
  CHECK(api->instance_type == "t3.medium");
  CHECK(at(api->instance_type_fact()->at) == "tf/terraform.tfvars:1:13");
  CHECK(api->group == "terraform module.api_1");
  CHECK(at(api->origin()) == "tf/main.tf:3:20");
  const auto* db = find_node(inv, "k8s-db");
  CHECK(db->instance_type == "t3.small");
  CHECK(at(db->instance_type_fact()->at) == "tf/modules/node/variables.tf:4:14");
  CHECK(notes_of(inv) == std::vector<std::string>{
                             "tf/env/prod.tfvars:1: `tf/env/prod.tfvars` is read by terraform only with `-var-file`; "
                             "its values are not used",
                             "tf/main.tf:14: module `module.eks` comes from \"terraform-aws-modules/eks/aws\", outside "
                             "the repository; its nodes are not read"});
}

TEST_CASE("terraform: kubelet flags from locals through templatefile point at the locals line", "[infra][terraform]") {
  InfraRepo repo{
      {"terraform/main.tf",
       "locals {\n"
       "  kubelet_profiles = {\n"
       "    \"k8s-api\" = \"--node-labels=role=api,tier=web --register-with-taints=dedicated=api:NoSchedule\"\n"
       "    \"k8s-db\"  = \"--node-labels=role=db\"\n"
       "  }\n"
       "}\n"
       "module \"api\" {\n"
       "  source        = \"./modules/ec2\"\n"
       "  instance_name = \"k8s-api\"\n"
       "  instance_type = \"t3.small\"\n"
       "  user_data = templatefile(\"${path.module}/user-data/common.sh\", {\n"
       "    hostname           = \"k8s-api\"\n"
       "    kubelet_extra_args = local.kubelet_profiles[\"k8s-api\"]\n"
       "  })\n"
       "}\n"
       "module \"db\" {\n"
       "  source        = \"./modules/ec2\"\n"
       "  instance_name = \"k8s-db\"\n"
       "  instance_type = \"t3.large\"\n"
       "  user_data = templatefile(\"${path.module}/user-data/common.sh\", {\n"
       "    hostname           = \"k8s-db\"\n"
       "    kubelet_extra_args = local.kubelet_profiles[\"k8s-db\"]\n"
       "  })\n"
       "}\n"},
      {"terraform/modules/ec2/main.tf",
       "resource \"aws_instance\" \"this\" {\n"
       "  instance_type = var.instance_type\n"
       "  user_data     = var.user_data\n"
       "  tags          = { Name = var.instance_name }\n"
       "}\n"
       "variable \"instance_name\" {}\n"
       "variable \"instance_type\" {}\n"
       "variable \"user_data\" { default = \"\" }\n"},
      {"terraform/user-data/common.sh",
       "#!/bin/bash\n"
       "hostnamectl set-hostname ${hostname}\n"
       "%{ if kubelet_extra_args != \"\" }\n"
       "cat <<EOF >/etc/systemd/system/kubelet.service.d/10-node-labels.conf\n"
       "[Service]\n"
       "Environment=\"KUBELET_EXTRA_ARGS=${kubelet_extra_args}\"\n"
       "EOF\n"
       "%{ endif }\n"}};
  auto inv = repo.read();
  REQUIRE(node_names(inv) == std::vector<std::string>{"k8s-api", "k8s-db"});
  const auto* api = find_node(inv, "k8s-api");
  CHECK(labels_of(*api) == "role=api,tier=web");
  CHECK(taints_of(*api) == "dedicated=api:NoSchedule");
  CHECK(label_at(*api, "role") == "terraform/main.tf:3:32");
  CHECK(label_at(*api, "tier") == "terraform/main.tf:3:41");
  const auto* db = find_node(inv, "k8s-db");
  CHECK(labels_of(*db) == "role=db");
  CHECK(taints_of(*db).empty());
  CHECK(db->instance_type == "t3.large");
  CHECK(notes_of(inv).empty());
}

TEST_CASE("terraform: a literal heredoc user data with kubelet flags", "[infra][terraform]") {
  InfraRepo repo{{"main.tf",
                  "resource \"aws_instance\" \"gpu\" {\n"
                  "  instance_type = \"g4dn.xlarge\"\n"
                  "  tags = { Name = \"gpu-1\" }\n"
                  "  user_data = <<-EOT\n"
                  "    #!/bin/bash\n"
                  "    /etc/eks/bootstrap.sh prod \\\n"
                  "      --kubelet-extra-args '--node-labels=accelerator=nvidia,node-role.kubernetes.io/gpu=true "
                  "--register-with-taints=nvidia.com/gpu=present:NoSchedule,spot:PreferNoSchedule'\n"
                  "  EOT\n"
                  "}\n"}};
  auto inv = repo.read();
  const auto* n = find_node(inv, "gpu-1");
  REQUIRE(n != nullptr);
  // Kubelet refuses node-role.kubernetes.io labels: the node does not get it, and a note says why.
  CHECK(labels_of(*n) == "accelerator=nvidia");
  CHECK(taints_of(*n) == "nvidia.com/gpu=present:NoSchedule,spot:PreferNoSchedule");
  CHECK(label_at(*n, "accelerator") == "main.tf:7:43");
  CHECK(notes_of(inv) == std::vector<std::string>{
                             "main.tf:7: kubelet refuses `--node-labels` in the kubernetes.io and k8s.io namespaces: "
                             "`node-role.kubernetes.io/gpu` is not set (kubelet does not start)"});
}

TEST_CASE("terraform: aws_eks_node_group with scaling, labels and taint blocks", "[infra][terraform]") {
  InfraRepo repo{{"eks.tf",
                  "resource \"aws_eks_node_group\" \"example\" {\n"
                  "  cluster_name    = aws_eks_cluster.example.name\n"
                  "  node_group_name = \"example\"\n"
                  "  node_role_arn   = aws_iam_role.example.arn\n"
                  "  subnet_ids      = aws_subnet.example[*].id\n"
                  "  instance_types  = [\"t3.large\", \"m5.xlarge\"]\n"
                  "\n"
                  "  scaling_config {\n"
                  "    desired_size = 3\n"
                  "    max_size     = 5\n"
                  "    min_size     = 1\n"
                  "  }\n"
                  "  labels = {\n"
                  "    role = \"general\"\n"
                  "  }\n"
                  "  taint {\n"
                  "    key    = \"dedicated\"\n"
                  "    value  = \"batch\"\n"
                  "    effect = \"NO_SCHEDULE\"\n"
                  "  }\n"
                  "  dynamic \"taint\" {\n"
                  "    for_each = var.extra_taints\n"
                  "    content {\n"
                  "      key    = taint.value.key\n"
                  "      effect = taint.value.effect\n"
                  "    }\n"
                  "  }\n"
                  "}\n"
                  "variable \"extra_taints\" {\n"
                  "  default = [{ key = \"spot\", effect = \"PREFER_NO_SCHEDULE\" }]\n"
                  "}\n"}};
  auto inv = repo.read();
  REQUIRE(inv.nodes.size() == 1);
  const auto& g = inv.nodes[0];
  CHECK(g.name == "example");
  CHECK(g.is_group());
  CHECK(g.count == 3);
  CHECK(g.instance_types == std::vector<std::string>{"t3.large", "m5.xlarge"});
  CHECK(g.instance_type == "m5.xlarge");  // the largest the catalog knows
  CHECK(labels_of(g) == "eks.amazonaws.com/nodegroup=example,role=general");
  CHECK(taints_of(g) == "dedicated=batch:NoSchedule,spot:PreferNoSchedule");
  CHECK(label_at(g, "role") == "eks.tf:14:13");
  CHECK(g.group == "terraform aws_eks_node_group.example");
  CHECK(notes_of(inv).empty());
}

TEST_CASE("terraform: autoscaling group through its launch template", "[infra][terraform]") {
  InfraRepo repo{{"asg.tf",
                  "resource \"aws_launch_template\" \"workers\" {\n"
                  "  instance_type = \"c5.large\"\n"
                  "  user_data = base64encode(\"--node-labels=pool=workers\")\n"
                  "}\n"
                  "resource \"aws_autoscaling_group\" \"workers\" {\n"
                  "  name             = \"workers\"\n"
                  "  desired_capacity = 4\n"
                  "  launch_template {\n"
                  "    id      = aws_launch_template.workers.id\n"
                  "    version = \"$Latest\"\n"
                  "  }\n"
                  "}\n"}};
  auto inv = repo.read();
  REQUIRE(inv.nodes.size() == 1);
  CHECK(inv.nodes[0].name == "workers");
  CHECK(inv.nodes[0].count == 4);
  CHECK(inv.nodes[0].instance_type == "c5.large");
  CHECK(labels_of(inv.nodes[0]) == "pool=workers");
}

TEST_CASE("terraform: instances sharing one Name tag are a group", "[infra][terraform]") {
  InfraRepo repo{{"main.tf",
                  "resource \"aws_instance\" \"w\" {\n"
                  "  count         = 3\n"
                  "  instance_type = \"t3.small\"\n"
                  "  tags          = { Name = \"worker\" }\n"
                  "}\n"
                  "resource \"aws_instance\" \"off\" {\n"
                  "  count         = var.enabled ? 1 : 0\n"
                  "  instance_type = \"t3.small\"\n"
                  "}\n"
                  "variable \"enabled\" { default = false }\n"}};
  auto inv = repo.read();
  REQUIRE(inv.nodes.size() == 1);
  CHECK(inv.nodes[0].name == "worker");
  CHECK(inv.nodes[0].count == 3);
  CHECK(notes_of(inv) == std::vector<std::string>{
                             "main.tf:1: the 3 instances of `aws_instance.w` share the name `worker`; they are read as "
                             "one group"});
}

TEST_CASE("terraform: unknown values become notes, never guesses", "[infra][terraform]") {
  InfraRepo repo{{"main.tf",
                  "resource \"aws_instance\" \"a\" {\n"
                  "  instance_type = data.aws_ec2_instance_type.x.id\n"
                  "  user_data     = data.template_file.init.rendered\n"
                  "}\n"
                  "resource \"aws_instance\" \"b\" {\n"
                  "  count         = length(data.aws_subnets.x.ids)\n"
                  "  instance_type = \"t3.small\"\n"
                  "}\n"
                  "resource \"aws_instance\" \"c\" {\n"
                  "  instance_type = \"t3.small\"\n"
                  "  tags          = { Name = \"c-${var.env}\" }\n"
                  "}\n"
                  "locals {\n"
                  "  a = local.b\n"
                  "  b = local.a\n"
                  "}\n"
                  "resource \"aws_instance\" \"d\" {\n"
                  "  instance_type = local.a\n"
                  "  tags          = { Name = \"d\" }\n"
                  "}\n"}};
  auto inv = repo.read();
  CHECK(node_names(inv) == std::vector<std::string>{"aws_instance.a", "c-${var.env}", "d"});
  CHECK(find_node(inv, "aws_instance.a")->instance_type.empty());
  CHECK(find_node(inv, "c-${var.env}")->instance_type == "t3.small");
  CHECK(notes_of(inv) ==
        std::vector<std::string>{
            "main.tf:1: `aws_instance.a` has no `Name` tag; its node is listed under its address",
            "main.tf:2: instance type of `aws_instance.a` is not known (data source `data.aws_ec2_instance_type.x.id` "
            "is known only at plan time)",
            "main.tf:3: user data of `aws_instance.a` is not known (data source `data.template_file.init.rendered` is "
            "known only at plan time); kubelet flags in it are not read",
            "main.tf:6: count of `aws_instance.b` is not known (data source `data.aws_subnets.x.ids` is known only at "
            "plan time); its nodes are not read",
            "main.tf:11: node name `c-${var.env}` of `aws_instance.c` is not fully known",
            "main.tf:14: local `a` refers to itself",
            "main.tf:18: instance type of `aws_instance.d` is not known (local `a` refers to itself)"});
}

TEST_CASE("terraform: a templatefile that includes itself is a note, fast", "[infra][terraform]") {
  InfraRepo repo{{"main.tf",
                  "resource \"aws_instance\" \"loop\" {\n"
                  "  instance_type = \"t3.micro\"\n"
                  "  tags          = { Name = \"loop\" }\n"
                  "  user_data     = templatefile(\"${path.module}/loop.tpl\", { n = 1 })\n"
                  "}\n"},
                 {"loop.tpl", "--node-labels=a=b\n${templatefile(\"loop.tpl\", {})}\n"}};
  const auto start = std::chrono::steady_clock::now();
  auto inv = repo.read();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  REQUIRE(inv.nodes.size() == 1);
  CHECK(labels_of(inv.nodes[0]) == "a=b");
  CHECK(notes_of(inv) == std::vector<std::string>{
                             "loop.tpl:2: templatefile `loop.tpl` includes itself; the inner call is not evaluated"});
}

TEST_CASE("terraform: hostile files produce notes and keep the good parts", "[infra][terraform]") {
  std::string deep = "locals {\n  x = " + std::string(10000, '[') + std::string(10000, ']') + "\n}\n";
  std::string huge =
      "resource \"aws_instance\" \"big\" {\n  instance_type = \"t3.small\"\n  tags = { Name = \"big\" }\n"
      "  user_data = <<EOF\n";
  for (int i = 0; i < 100000; ++i) huge += "echo " + std::to_string(i) + "\n";
  huge += "--node-labels=size=huge\nEOF\n}\n";
  InfraRepo repo{
      {"a/unbalanced.tf",
       "resource \"aws_instance\" \"x\" {\n  instance_type = \"t3.small\"\n  tags = { Name = \"x\" }\n"},
      {"b/deep.tf", deep},
      {"c/huge.tf", huge},
      {"d/module_loop.tf", "module \"self\" {\n  source = \"./\"\n}\nmodule \"up\" {\n  source = \"../d\"\n}\n"},
      {"e/binary.tf", std::string("\0\x01\x02garbage{{{", 13)}};
  const auto start = std::chrono::steady_clock::now();
  auto inv = repo.read();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  REQUIRE(node_names(inv) == std::vector<std::string>{"big"});
  CHECK(labels_of(inv.nodes[0]) == "size=huge");
  CHECK(notes_of(inv) == std::vector<std::string>{
                             "a/unbalanced.tf:1: terraform syntax: `{` is not closed; the item is skipped",
                             "b/deep.tf:2: terraform syntax: nesting deeper than 100 levels; the item is skipped",
                             "d/module_loop.tf:1: module `module.self` includes its own directory `d`; it is not read",
                             "d/module_loop.tf:4: module `module.up` includes its own directory `d`; it is not read",
                             "e/binary.tf:1: `e/binary.tf` is not text; it is not read"});
}

TEST_CASE("terraform: a chain of 5000 locals stops at the evaluation depth limit", "[infra][terraform]") {
  std::string tf = "locals {\n  l0 = \"t3.small\"\n";
  for (int i = 1; i <= 5000; ++i) tf += "  l" + std::to_string(i) + " = local.l" + std::to_string(i - 1) + "\n";
  tf +=
      "  short = local.l100\n}\n"
      "resource \"aws_instance\" \"deep\" {\n  instance_type = local.l5000\n  tags = { Name = \"deep\" }\n}\n"
      "resource \"aws_instance\" \"ok\" {\n  instance_type = local.short\n  tags = { Name = \"ok\" }\n}\n";
  InfraRepo repo{{"main.tf", tf}};
  const auto start = std::chrono::steady_clock::now();
  auto inv = repo.read();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  REQUIRE(node_names(inv) == std::vector<std::string>{"deep", "ok"});
  CHECK(find_node(inv, "deep")->instance_type.empty());
  CHECK(find_node(inv, "ok")->instance_type == "t3.small");
  CHECK(at(find_node(inv, "ok")->instance_type_fact()->at) == "main.tf:2:9");
  CHECK(has_note(inv, "terraform evaluation nests deeper than 300 levels"));
  CHECK(has_note(inv, "instance type of `aws_instance.deep` is not known"));
}
