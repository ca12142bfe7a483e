// libFuzzer target: any manifest (and any mix of Nodes, workloads, policies, waves) through the graph
// builder and every registered rule must never crash. Build and run with tests/fuzz/run.sh rules.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "k8s/inventory.h"
#include "k8s/object.h"
#include "rules/rule.h"
#include "yaml/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gl::SourceFile file("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  gl::yaml::ParseLimits limits;
  limits.max_alias_nodes = 20000;
  auto parsed = gl::yaml::parse(file, limits);
  std::vector<gl::k8s::Object> objects;
  for (auto& doc : parsed.documents) {
    if (auto o = gl::k8s::make_object(std::move(doc))) objects.push_back(std::move(*o));
  }
  std::vector<const gl::k8s::Object*> nodes;
  for (const auto& o : objects) {
    if (o.kind == "Node") nodes.push_back(&o);
  }
  auto inventory = gl::k8s::build_inventory(nodes, {}, gl::k8s::InstanceCatalog::builtin(), {});
  auto graph = gl::graph::build_graph(std::move(objects), std::move(inventory), gl::graph::GraphOptions::defaults(), 1);
  gl::diag::DiagnosticSink sink;
  for (const auto& rule : gl::rules::registry()) {
    if (!rule.check) continue;
    gl::rules::RuleOptions options;
    for (const auto& o : rule.options) options.set(o.name, {o.default_value});
    gl::rules::RuleContext ctx{graph, options, sink, rule.default_severity, rule.id};
    rule.check(ctx);
  }
  auto diags = sink.take();
  gl::diag::finalize(diags);
  return 0;
}
