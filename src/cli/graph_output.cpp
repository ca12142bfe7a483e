#include "cli/graph_output.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace gl::cli {
namespace {

std::string object_id(const k8s::Object& o) { return o.ref().display(); }

std::string node_id(const k8s::NodeInfo& n) { return "Node/" + n.name; }

std::string target_id(const graph::Graph& g, const graph::Edge& e) {
  return e.kind == graph::EdgeKind::kSchedulesOn ? node_id(g.nodes()[e.to]) : object_id(g.objects[e.to]);
}

std::string dot_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string mermaid_id(std::string_view s) {
  std::string out = "n";
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '_';
  return out;
}

}  // namespace

std::string render_graph(const graph::Graph& g, std::string_view format) {
  std::string out;
  if (format == "json") {
    nlohmann::ordered_json j;
    j["objects"] = nlohmann::ordered_json::array();
    for (const auto& o : g.objects) {
      nlohmann::ordered_json obj;
      obj["id"] = object_id(o);
      obj["apiVersion"] = o.api_version;
      obj["kind"] = o.kind;
      obj["namespace"] = o.name_space;
      obj["name"] = o.name;
      obj["file"] = o.file != nullptr ? o.file->path() : "";
      obj["line"] = o.anchor().begin.line;
      j["objects"].push_back(obj);
    }
    j["nodes"] = nlohmann::ordered_json::array();
    for (const auto& n : g.nodes()) {
      nlohmann::ordered_json node;
      node["id"] = node_id(n);
      node["name"] = n.name;
      node["instanceType"] = n.instance_type;
      node["labels"] = n.labels;
      if (n.cpu_milli) node["allocatableCpuMilli"] = *n.cpu_milli;
      if (n.memory_bytes) node["allocatableMemoryBytes"] = *n.memory_bytes;
      j["nodes"].push_back(node);
    }
    j["edges"] = nlohmann::ordered_json::array();
    for (const auto& e : g.edges) {
      nlohmann::ordered_json edge;
      edge["kind"] = std::string(graph::to_string(e.kind));
      edge["from"] = object_id(g.objects[e.from]);
      edge["to"] = target_id(g, e);
      edge["detail"] = e.detail;
      if (e.port) edge["port"] = *e.port;
      if (e.kind == graph::EdgeKind::kSchedulesOn) edge["tolerated"] = e.tolerated;
      if (e.evidence.valid()) {
        edge["file"] = e.evidence.file->path();
        edge["line"] = e.evidence.begin.line;
      }
      j["edges"].push_back(edge);
    }
    j["datastores"] = nlohmann::ordered_json::object();
    for (const auto& [svc, kind] : g.datastores_) j["datastores"][object_id(g.objects[svc])] = kind;
    return j.dump(2) + "\n";
  }
  if (format == "mermaid") {
    out += "graph LR\n";
    for (const auto& o : g.objects) {
      if (o.kind == "Node" && o.group().empty()) continue;  // drawn as inventory nodes below
      out += fmt::format("  {}[\"{}\"]\n", mermaid_id(object_id(o)), object_id(o));
    }
    for (const auto& n : g.nodes()) out += fmt::format("  {}((\"{}\"))\n", mermaid_id(node_id(n)), node_id(n));
    for (const auto& e : g.edges) {
      out += fmt::format("  {} -->|{}| {}\n", mermaid_id(object_id(g.objects[e.from])), graph::to_string(e.kind),
                         mermaid_id(target_id(g, e)));
    }
    return out;
  }
  out += "digraph gitops {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n";
  for (const auto& o : g.objects) out += fmt::format("  \"{}\";\n", dot_escape(object_id(o)));
  for (const auto& n : g.nodes()) out += fmt::format("  \"{}\" [shape=ellipse];\n", dot_escape(node_id(n)));
  for (const auto& e : g.edges) {
    out += fmt::format("  \"{}\" -> \"{}\" [label=\"{}\"{}];\n", dot_escape(object_id(g.objects[e.from])),
                       dot_escape(target_id(g, e)), graph::to_string(e.kind),
                       e.kind == graph::EdgeKind::kSchedulesOn && !e.tolerated ? ", style=dashed" : "");
  }
  out += "}\n";
  return out;
}

}  // namespace gl::cli
