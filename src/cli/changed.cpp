#include "cli/changed.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "core/error.h"
#include "core/strings.h"

namespace gl::cli {
namespace {

namespace fs = std::filesystem;

/// Files whose change can alter what the files below their directory render to.
bool is_build_file(std::string_view path) {
  const std::string_view name = basename(path);
  return name == "kustomization.yaml" || name == "kustomization.yml" || name == "Kustomization" ||
         name == "Chart.yaml" || name == "Chart.lock" || name == "requirements.yaml" ||
         (name.starts_with("values") && (name.ends_with(".yaml") || name.ends_with(".yml")));
}

/// `path` is `dir` or below it ("" is the root, above everything).
bool at_or_under(std::string_view path, std::string_view dir) {
  return dir.empty() || path == dir || (path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/');
}

void add_file(PathSet& files, const SourceFile* file) {
  if (file != nullptr) files.emplace(file->path());
}

/// Every file an object's lines come from, plus the Applications that deploy it. Files are few per object,
/// and nodes point at the same SourceFile runs, so the previous pointer saves most set lookups.
void object_files(const k8s::Object& o, PathSet& files) {
  const SourceFile* last = nullptr;
  auto walk = [&](const yaml::Node& n, auto& self) -> void {
    if (n.file != last && n.file != nullptr) {
      last = n.file;
      files.emplace(n.file->path());
    }
    for (const auto& k : n.keys()) self(k, self);
    for (const auto& v : n.items()) self(v, self);
  };
  add_file(files, o.file);
  walk(o.root, walk);
  for (const auto& span : o.app_wave_spans) add_file(files, span.file);
}

}  // namespace

PathSet repo_relative_paths(const std::vector<std::string>& files, const std::string& repo_root) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(repo_root, ec);
  if (ec) root = fs::path(repo_root).lexically_normal();
  PathSet out;
  for (const auto& f : files) {
    fs::path p = fs::weakly_canonical(fs::absolute(f, ec), ec);
    if (ec) p = fs::absolute(f).lexically_normal();
    const fs::path rel = p.lexically_relative(root);
    const std::string s = rel.generic_string();
    if (rel.empty() || s == ".." || s.starts_with("../")) {
      throw FatalError(fmt::format("--changed file `{}` is outside the repository `{}`", f, repo_root));
    }
    out.insert(s == "." ? std::string() : s);
  }
  return out;
}

void keep_changed(std::vector<diag::Diagnostic>& diags, const PathSet& changed, const graph::Graph& graph,
                  const config::Config& config) {
  for (const auto& path : changed) {
    if (basename(path) == config::kConfigFileName || (config.file != nullptr && config.file->path() == path)) {
      return;  // the rules' options changed: every finding may be new or gone
    }
  }
  std::vector<std::string_view> build_dirs;
  for (const auto& path : changed) {
    if (is_build_file(path)) build_dirs.push_back(dirname(path));
  }
  auto touched = [&](std::string_view file) {
    if (changed.contains(file)) return true;
    for (const auto dir : build_dirs) {
      if (at_or_under(file, dir)) return true;
    }
    return false;
  };

  bool inventory_changed = false;
  for (const auto& node : graph.nodes()) {
    if (node.origin.file != nullptr && touched(node.origin.file->path())) inventory_changed = true;
    for (const auto& [label, span] : node.label_origins) {
      if (span.file != nullptr && touched(span.file->path())) inventory_changed = true;
    }
  }

  // The objects a finding may name (several with one identity when environments or apps repeat it).
  std::multimap<std::string, uint32_t, std::less<>> by_ref;
  for (uint32_t i = 0; i < graph.objects.size(); ++i) by_ref.emplace(graph.objects[i].ref().display(), i);
  std::map<uint32_t, bool> object_touched;
  auto object_is_touched = [&](uint32_t index) {
    auto [it, fresh] = object_touched.try_emplace(index, false);
    if (!fresh) return it->second;
    const k8s::Object& o = graph.objects[index];
    PathSet files;
    object_files(o, files);
    if (!o.origin.empty()) files.insert(o.origin);
    for (const auto& f : files) {
      if (touched(f)) return it->second = true;
    }
    return false;
  };

  std::erase_if(diags, [&](const diag::Diagnostic& d) {
    if (touched(d.file())) return false;
    for (const auto& label : d.secondary) {
      if (label.span.file != nullptr && touched(label.span.file->path())) return false;
    }
    if (inventory_changed && (d.rule == "node-pinning" || d.rule == "requests-fit")) return false;
    if (d.object) {
      auto [begin, end] = by_ref.equal_range(d.object->display());
      for (auto it = begin; it != end; ++it) {
        if (object_is_touched(it->second)) return false;
      }
    }
    return true;
  });
}

}  // namespace gl::cli
