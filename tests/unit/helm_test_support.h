#pragma once
// Shared by the Helm unit tests: renders a chart from an in-memory repository and reads the result.
#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "render/helm/render.h"
#include "render/render.h"
#include "repo/file_tree.h"

namespace gl::test {

using Files = std::vector<std::pair<std::string, std::string>>;

/// A chart rendered from `files` (chart directory `dir`, default "c"); owns everything the result points into.
struct RenderedChart {
  SourceSet sources;
  std::unique_ptr<repo::FileTree> tree;
  std::unique_ptr<render::Context> ctx;
  render::helm::ChartRender result;

  RenderedChart(const Files& files, const std::string& dir, const render::helm::RenderOptions& options = {})
      : tree(repo::open_memory_tree(files)) {
    ctx = std::make_unique<render::Context>(*tree, sources, 1 << 20, yaml::ParseLimits{});
    result = render::helm::render_chart(*ctx, dir, options);
  }
  explicit RenderedChart(const Files& files, const render::helm::RenderOptions& options = {})
      : RenderedChart(files, "c", options) {}

  /// "FILE:LINE: MESSAGE" per error, in the renderer's order.
  std::vector<std::string> error_lines() const {
    std::vector<std::string> out;
    for (const auto& e : result.errors) {
      out.push_back((e.at.file != nullptr ? e.at.file->path() + ":" + std::to_string(e.at.begin.line) : "?") + ": " +
                    e.message);
    }
    return out;
  }
  /// error_lines() joined, one per line.
  std::string errors() const {
    std::string out;
    for (const auto& line : error_lines()) out += line + "\n";
    return out;
  }
  /// The messages alone, one per line.
  std::string messages() const {
    std::string out;
    for (const auto& e : result.errors) out += e.message + "\n";
    return out;
  }
  /// The first rendered object of `kind`, or null.
  const render::MNode* object(std::string_view kind) const {
    for (const auto& m : result.manifests) {
      if (m.object.get("kind") != nullptr && m.object.get("kind")->str() == kind) return &m.object;
    }
    return nullptr;
  }
  /// The text of the manifest from template `source` ("CHART/templates/FILE"), or "(none)".
  std::string manifest(std::string_view source) const {
    for (const auto& m : result.manifests) {
      if (m.source == source) return m.text;
    }
    return "(none)";
  }
};

}  // namespace gl::test
