#pragma once
// `gitops-lint graph`: the cross-reference graph as Graphviz dot, Mermaid or JSON.
#include <string>
#include <string_view>

#include "graph/graph.h"

namespace gl::cli {

/// format: "dot", "mermaid" or "json". Deterministic.
std::string render_graph(const graph::Graph& g, std::string_view format);

}  // namespace gl::cli
