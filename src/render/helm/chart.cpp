#include "render/helm/chart.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/strings.h"
#include "render/helm/archive.h"
#include "render/helm/values.h"

namespace gl::render::helm {
namespace {

using gotemplate::Kind;
using gotemplate::Map;
using gotemplate::Value;

/// Files of the chart directory that are neither templates nor .Files.
bool is_chart_metadata(std::string_view name) {
  return name == "Chart.yaml" || name == "values.yaml" || name == "Chart.lock" || name == "values.schema.json" ||
         name == "requirements.yaml" || name == "requirements.lock";
}

std::string text_field(const Map& m, std::string_view key) {
  auto it = m.find(key);
  return it != m.end() && it->second.kind() == Kind::kString ? it->second.as_string() : std::string();
}

/// A YAML file of the chart parsed as values (Chart.yaml, values.yaml); nullopt after reporting an error.
std::optional<Map> read_yaml_map(Context& ctx, const std::string& path, const SourceFile** file,
                                 std::vector<RenderError>& errors, bool required) {
  auto loaded = ctx.yaml(path);
  *file = loaded->file;
  if (loaded->file == nullptr) {
    if (!required) return Map{};
    errors.push_back(RenderError{{}, fmt::format("cannot read `{}`: {}", path, loaded->read_error), {}});
    return std::nullopt;
  }
  if (!loaded->errors.empty()) {
    const auto& e = loaded->errors.front();
    errors.push_back(RenderError{Span{loaded->file, e.mark, e.mark}, fmt::format("invalid YAML in `{}`: {}", path, e.message), {}});
    return std::nullopt;
  }
  if (loaded->documents.empty()) return Map{};
  std::string error;
  auto m = values_from_yaml(loaded->documents.front().root, &error);
  if (!m) {
    errors.push_back(RenderError{loaded->documents.front().root.span(), fmt::format("`{}`: {}", path, error), {}});
    return std::nullopt;
  }
  return m;
}

/// A dependency's `import-values`: strings (`exports.NAME` of the child into the parent's top) and
/// {child, parent} maps; other entries are ignored, as Helm's type switch ignores them.
std::vector<ImportValue> read_import_values(const Value& list, const std::string& dep, std::vector<RenderError>& errors) {
  std::vector<ImportValue> out;
  if (list.kind() != Kind::kList) return out;
  for (const auto& iv : list.as_list()) {
    if (iv.kind() == Kind::kString) {
      out.push_back(ImportValue{"exports." + iv.as_string(), ".", iv.origin});
      continue;
    }
    if (iv.kind() != Kind::kMap) continue;
    const Map& m = iv.as_map();
    auto child = m.find("child");
    auto parent = m.find("parent");
    if (child == m.end() || parent == m.end() || child->second.kind() != Kind::kString ||
        parent->second.kind() != Kind::kString) {
      errors.push_back(RenderError{iv.origin,
                                   fmt::format("`import-values` entry of dependency `{}` needs `child` and `parent` "
                                               "strings: Helm stops with a panic on it",
                                               dep),
                                   "write the entry as `{child: PATH, parent: PATH}` or as a plain export name"});
      continue;
    }
    out.push_back(ImportValue{child->second.as_string(), parent->second.as_string(), iv.origin});
  }
  return out;
}

std::vector<Dependency> read_dependencies(const Map& meta, std::vector<RenderError>& errors) {
  std::vector<Dependency> out;
  auto it = meta.find("dependencies");
  if (it == meta.end() || it->second.kind() != Kind::kList) return out;
  for (const auto& d : it->second.as_list()) {
    if (d.kind() != Kind::kMap) continue;
    const Map& m = d.as_map();
    Dependency dep;
    dep.name = text_field(m, "name");
    dep.version = text_field(m, "version");
    dep.alias = text_field(m, "alias");
    dep.condition = text_field(m, "condition");
    dep.repository = text_field(m, "repository");
    if (auto t = m.find("tags"); t != m.end() && t->second.kind() == Kind::kList) {
      for (const auto& tag : t->second.as_list()) {
        if (tag.kind() == Kind::kString) dep.tags.push_back(tag.as_string());
      }
    }
    if (auto iv = m.find("import-values"); iv != m.end()) dep.import_values = read_import_values(iv->second, dep.name, errors);
    dep.at = d.origin;
    out.push_back(std::move(dep));
  }
  return out;
}

std::optional<Chart> load(Context& ctx, const std::string& dir, std::vector<RenderError>& errors,
                          std::vector<std::string>& stack);

}  // namespace

bool is_chart_dir(const repo::FileTree& tree, std::string_view dir) {
  const auto st = tree.stat(join_path(dir, "Chart.yaml"));
  return st && st->kind != repo::EntryKind::kDirectory;
}

std::optional<Chart> load_chart(Context& ctx, const std::string& dir, std::vector<RenderError>& errors) {
  std::vector<std::string> stack;
  return load(ctx, dir, errors, stack);
}

namespace {

std::optional<Chart> load(Context& ctx, const std::string& dir, std::vector<RenderError>& errors,
                          std::vector<std::string>& stack) {
  if (std::find(stack.begin(), stack.end(), dir) != stack.end()) {
    errors.push_back(RenderError{{}, fmt::format("chart dependency cycle: {} -> {}", fmt::join(stack, " -> "), dir), {}});
    return std::nullopt;
  }
  stack.push_back(dir);
  struct Pop {
    std::vector<std::string>& s;
    ~Pop() { s.pop_back(); }
  } pop{stack};
  Chart chart;
  chart.dir = dir;
  const std::string chart_yaml = join_path(dir, "Chart.yaml");
  if (!is_chart_dir(ctx.tree(), dir)) {
    errors.push_back(RenderError{{}, fmt::format("`{}` is not a chart: Chart.yaml is missing", dir.empty() ? "." : dir), {}});
    return std::nullopt;
  }
  auto meta = read_yaml_map(ctx, chart_yaml, &chart.chart_yaml, errors, true);
  if (!meta) return std::nullopt;
  chart.metadata = std::move(*meta);
  chart.name = text_field(chart.metadata, "name");
  chart.type = text_field(chart.metadata, "type");
  if (chart.name.empty()) {
    errors.push_back(RenderError{Span{chart.chart_yaml, {1, 1}, {1, 1}}, "Chart.yaml has no `name`",
                                 "give the chart a name: Helm refuses a chart without one"});
    return std::nullopt;
  }
  auto values = read_yaml_map(ctx, join_path(dir, "values.yaml"), &chart.values_yaml, errors, false);
  if (!values) return std::nullopt;
  chart.values = std::move(*values);
  // Helm's loader reads requirements.yaml (apiVersion v1) into the same metadata: its dependencies win.
  if (auto req = ctx.tree().stat(join_path(dir, "requirements.yaml")); req && req->kind != repo::EntryKind::kDirectory) {
    const SourceFile* req_file = nullptr;
    auto req_meta = read_yaml_map(ctx, join_path(dir, "requirements.yaml"), &req_file, errors, false);
    if (req_meta && req_meta->count("dependencies") != 0) chart.metadata["dependencies"] = req_meta->at("dependencies");
  }
  chart.dependencies = read_dependencies(chart.metadata, errors);
  if (auto st = ctx.tree().stat(join_path(dir, "values.schema.json")); st && st->kind != repo::EntryKind::kDirectory) {
    std::string read_error;
    chart.values_schema = ctx.source(join_path(dir, "values.schema.json"), &read_error);
    if (chart.values_schema == nullptr) {
      errors.push_back(RenderError{Span{chart.chart_yaml, {1, 1}, {1, 1}},
                                   fmt::format("cannot read `{}`: {}", join_path(dir, "values.schema.json"), read_error), {}});
    }
  }

  const std::string prefix = dir.empty() ? "" : dir + "/";
  std::map<std::string, bool> subchart_dirs;
  std::vector<std::string> archives;
  for (const auto& e : ctx.tree().walk(dir)) {
    if (e.kind == repo::EntryKind::kDirectory) continue;
    const std::string name = e.path.substr(prefix.size());
    if (is_chart_metadata(name)) continue;
    if (name.starts_with("charts/")) {
      const std::string rest = name.substr(7);
      if (rest.empty() || rest[0] == '.' || rest[0] == '_') continue;
      const auto slash = rest.find('/');
      if (slash == std::string::npos) {
        if (rest.ends_with(".tgz") || rest.ends_with(".tar.gz")) archives.push_back(e.path);
        continue;
      }
      subchart_dirs[rest.substr(0, slash)] = true;
      continue;
    }
    if (e.kind == repo::EntryKind::kSymlink && e.link_escapes) {
      errors.push_back(RenderError{Span{chart.chart_yaml, {1, 1}, {1, 1}},
                                   fmt::format("`{}` is a symbolic link leading outside the repository; not read", e.path), {}});
      continue;
    }
    std::string read_error;
    const SourceFile* file = ctx.source(e.path, &read_error);
    if (file == nullptr) {
      errors.push_back(RenderError{Span{chart.chart_yaml, {1, 1}, {1, 1}}, fmt::format("cannot read `{}`: {}", e.path, read_error), {}});
      continue;
    }
    if (name.starts_with("templates/")) {
      // Helm's default ignore rule: hidden files in templates/ are not templates.
      if (basename(name).starts_with(".")) continue;
      chart.templates.push_back(ChartFile{name, file});
    } else {
      chart.files.push_back(ChartFile{name, file});
    }
  }
  for (const auto& [sub, unused] : subchart_dirs) {
    const std::string sub_dir = prefix + "charts/" + sub;
    if (!is_chart_dir(ctx.tree(), sub_dir)) continue;
    if (auto sc = load(ctx, sub_dir, errors, stack)) chart.subcharts.push_back(std::move(*sc));
  }
  // charts/*.tgz (what `helm dependency build` writes): unpacked in memory; their files are named
  // `ARCHIVE/member` so findings say where they come from.
  for (const auto& archive : archives) {
    std::string read_error;
    const SourceFile* file = ctx.source(archive, &read_error);
    const Span at{chart.chart_yaml, {1, 1}, {1, 1}};
    if (file == nullptr) {
      errors.push_back(RenderError{at, fmt::format("cannot read `{}`: {}", archive, read_error), {}});
      continue;
    }
    std::string error;
    auto members = read_tgz(file->text(), &error);
    if (!members) {
      errors.push_back(RenderError{at, fmt::format("cannot unpack `{}`: {}", archive, error), {}});
      continue;
    }
    std::string top;
    for (auto& [path, content] : *members) {
      if (top.empty()) top = std::string(path.substr(0, path.find('/')));
      path = archive + "/" + path;
    }
    if (top.empty()) continue;
    auto tree = repo::open_memory_tree(std::move(*members));
    Context inner(*tree, ctx.sources(), ctx.max_file_bytes(), ctx.limits());
    if (auto sc = load(inner, archive + "/" + top, errors, stack)) chart.subcharts.push_back(std::move(*sc));
  }
  // `file://` dependencies not vendored under charts/ are read from the repository, like
  // `helm dependency build` would copy them.
  for (const auto& dep : chart.dependencies) {
    if (!dep.repository.starts_with("file://")) continue;
    const bool vendored = std::any_of(chart.subcharts.begin(), chart.subcharts.end(),
                                      [&](const Chart& c) { return c.name == dep.name; });
    if (vendored) continue;
    bool inside = true;
    const std::string target = normalize_path(join_path(dir, dep.repository.substr(7)), &inside);
    if (!inside) {
      errors.push_back(RenderError{dep.at, fmt::format("dependency `{}` points outside the repository", dep.name), {}});
      continue;
    }
    if (target == dir) {
      errors.push_back(RenderError{dep.at, fmt::format("dependency `{}` points at the chart itself", dep.name), {}});
      continue;
    }
    if (auto sc = load(ctx, target, errors, stack)) chart.subcharts.push_back(std::move(*sc));
  }
  std::sort(chart.subcharts.begin(), chart.subcharts.end(), [](const Chart& a, const Chart& b) { return a.name < b.name; });
  return chart;
}

}  // namespace
}  // namespace gl::render::helm
