#include "cli/shard.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/strings.h"
#include "render/kustomize/kustomize.h"

namespace gl::cli {
namespace {

constexpr uint32_t kMaxShards = 1000;

std::optional<uint32_t> parse_number(std::string_view text) {
  uint32_t value = 0;
  if (text.empty() || text.size() > 4) return std::nullopt;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

size_t indent_of(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

/// The line without indentation and a leading `- ` (a sequence item).
std::string_view item_text(std::string_view line) {
  std::string_view t = trim(line);
  while (t.starts_with("- ")) t = trim(t.substr(2));
  return t;
}

/// A scalar as written on a line: quotes and a trailing comment removed.
std::string_view scalar_text(std::string_view v) {
  if (auto hash = v.find(" #"); hash != std::string_view::npos) v = v.substr(0, hash);
  v = trim(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
  return v;
}

bool blank_or_comment(std::string_view line) {
  const std::string_view t = trim(line);
  return t.empty() || t.front() == '#';
}

std::string text_of(const yaml::Node* n) {
  return n != nullptr && n->is_scalar() ? std::string(n->str()) : std::string();
}

}  // namespace

std::optional<Shard> parse_shard(std::string_view text, std::string* error) {
  const auto slash = text.find('/');
  std::optional<uint32_t> index;
  std::optional<uint32_t> count;
  if (slash != std::string_view::npos) {
    index = parse_number(text.substr(0, slash));
    count = parse_number(text.substr(slash + 1));
  }
  if (!index || !count) {
    if (error != nullptr) *error = fmt::format("--shard `{}` is not I/N (for example 2/4)", text);
    return std::nullopt;
  }
  if (*count == 0 || *count > kMaxShards || *index == 0 || *index > *count) {
    if (error != nullptr) {
      *error = fmt::format("--shard `{}`: the shard must be 1 to N and N 1 to {}", text, kMaxShards);
    }
    return std::nullopt;
  }
  return Shard{*index, *count};
}

uint32_t shard_of(std::string_view key, uint32_t count) {
  if (count <= 1) return 1;
  return static_cast<uint32_t>(fnv1a64(key) % count) + 1;
}

std::string shard_note(const Shard& shard) {
  return fmt::format(
      "shard {}/{} of a sharded run: each shard renders and reports only its own Argo CD applications, top-level "
      "builds (kustomizations, Helm charts) and plain manifest files; rules that relate objects (NetworkPolicies "
      "of a namespace, Services and their pods, requests-fit group totals, sync waves, duplicate-resource, "
      "environments) see only the objects of one shard and the Nodes and Argo CD Applications every shard reads, "
      "and `sync-wave-order` does not report in-cluster hosts that no Service provides (the Service may be in "
      "another shard)",
      shard.index, shard.count);
}

std::string app_key(std::string_view dest_namespace, std::string_view name) {
  return dest_namespace.empty() ? fmt::format("app:{}", name) : fmt::format("ns:{}", dest_namespace);
}

std::string plain_file_key(std::string_view path, std::string_view text) {
  const std::string ns = first_metadata_namespace(text);
  return ns.empty() ? fmt::format("dir:{}", dirname(path)) : fmt::format("ns:{}", ns);
}

std::string chart_key(std::string_view dir) { return fmt::format("chart:{}", dir); }

std::string global_object_key(const ObjectRef& ref) {
  return fmt::format("object:{}/{}/{}", ref.kind, ref.name_space, ref.name);
}

std::string first_metadata_namespace(std::string_view text) {
  const auto lines = split_lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view t = item_text(lines[i]);
    if (!t.starts_with("namespace:")) continue;
    const std::string_view value = scalar_text(t.substr(std::string_view("namespace:").size()));
    if (value.empty() || value.find("{{") != std::string_view::npos || value.find('$') != std::string_view::npos) {
      continue;
    }
    // Only a key directly under `metadata:` (not a RoleBinding subject's or a selector's namespace).
    const size_t indent = indent_of(lines[i]) + (trim(lines[i]).starts_with("- ") ? 2 : 0);
    for (size_t j = i; j-- > 0;) {
      if (blank_or_comment(lines[j])) continue;
      const std::string_view pt = trim(lines[j]);
      const size_t pindent = indent_of(lines[j]) + (pt.starts_with("- ") ? 2 : 0);
      if (pindent >= indent) continue;
      if (item_text(lines[j]) == "metadata:") return std::string(value);
      break;
    }
  }
  return {};
}

bool mentions_argocd(std::string_view text) {
  // `apiVersion: argoproj.io/v1alpha1`, not the `argocd.argoproj.io/sync-wave` annotations of any manifest.
  constexpr std::string_view kGroup = "argoproj.io/";
  for (size_t at = text.find(kGroup); at != std::string_view::npos; at = text.find(kGroup, at + 1)) {
    const char before = at == 0 ? ' ' : text[at - 1];
    if (before != '.' && before != '-' && before != '_' && std::isalnum(static_cast<unsigned char>(before)) == 0) {
      return true;
    }
  }
  return false;
}

bool declares_port(std::string_view text, const std::map<int, std::string>& ports) {
  if (ports.empty() || text.find("ort:") == std::string_view::npos) return false;
  const auto lines = split_lines(text);
  // The line a line is nested in (the nearest one above it indented less), or npos.
  auto parent = [&](size_t i) {
    const size_t indent = indent_of(lines[i]) + (trim(lines[i]).starts_with("- ") ? 2 : 0);
    for (size_t j = i; j-- > 0;) {
      if (blank_or_comment(lines[j])) continue;
      const size_t pindent = indent_of(lines[j]) + (trim(lines[j]).starts_with("- ") ? 2 : 0);
      if (pindent < indent ||
          (pindent == indent && trim(lines[j]).starts_with("- ") && !trim(lines[i]).starts_with("- "))) {
        return j;
      }
    }
    return std::string_view::npos;
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view t = item_text(lines[i]);
    for (std::string_view key : {"port:", "containerPort:", "targetPort:"}) {
      if (!t.starts_with(key)) continue;
      const std::string_view value = scalar_text(t.substr(key.size()));
      int port = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), port);
      if (ec != std::errc() || ptr != value.data() + value.size() || ports.count(port) == 0) continue;
      if (key == "containerPort:") return true;
      // A Service's own port (spec.ports), not a NetworkPolicy rule's (spec.egress[].ports).
      // The list item holding the port: this line, or the one it is nested in (`- name: pg` above `port:`).
      size_t item = i;
      if (!trim(lines[i]).starts_with("- ")) {
        item = parent(i);
        if (item == std::string_view::npos || !trim(lines[item]).starts_with("- ")) continue;
      }
      const size_t list = parent(item);
      if (list == std::string_view::npos || item_text(lines[list]) != "ports:") continue;
      const size_t owner = parent(list);
      if (owner != std::string_view::npos && item_text(lines[owner]) == "spec:") return true;
    }
  }
  return false;
}

bool is_shared_kind(std::string_view group, std::string_view kind) {
  if (group.empty()) return kind == "Node";
  if (group == "apps") return kind == "DaemonSet";
  return group == "argoproj.io" && (kind == "Application" || kind == "ApplicationSet");
}

bool declares_kind(std::string_view text, std::string_view kind) {
  for (size_t at = text.find(kind); at != std::string_view::npos; at = text.find(kind, at + 1)) {
    const size_t start = text.rfind('\n', at);
    const size_t end = text.find('\n', at);
    const std::string_view line = text.substr(
        start == std::string_view::npos ? 0 : start + 1,
        (end == std::string_view::npos ? text.size() : end) - (start == std::string_view::npos ? 0 : start + 1));
    const std::string_view t = item_text(line);
    if (t.starts_with("kind:") && scalar_text(t.substr(5)) == kind) return true;
  }
  return false;
}

std::vector<std::string> KustomizePlan::closure(const std::string& dir) const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::vector<std::string> todo{dir};
  while (!todo.empty()) {
    std::string d = std::move(todo.back());
    todo.pop_back();
    if (!seen.insert(d).second) continue;
    out.push_back(d);
    if (auto it = dirs.find(d); it != dirs.end()) {
      for (auto inc = it->second.includes.rbegin(); inc != it->second.includes.rend(); ++inc) todo.push_back(*inc);
    }
  }
  return out;
}

bool KustomizePlan::produces(const std::string& dir) const {
  const auto all = closure(dir);
  return std::any_of(all.begin(), all.end(), [&](const std::string& d) {
    const auto it = dirs.find(d);
    return it != dirs.end() && it->second.produces;
  });
}

std::string KustomizePlan::build_namespace(const std::string& dir) const {
  for (const auto& d : closure(dir)) {
    if (auto it = dirs.find(d); it != dirs.end() && !it->second.ns.empty()) return it->second.ns;
  }
  return {};
}

std::string KustomizePlan::build_key(const std::string& dir, const std::vector<std::string>& top_level) const {
  const std::string_view parent = dirname(dir);
  std::set<std::string> mine;
  for (const auto& d : closure(dir)) {
    if (d != dir) mine.insert(d);
  }
  for (const auto& other : top_level) {
    if (other == dir || dirname(other) != parent) continue;
    for (const auto& d : closure(other)) {
      if (d != other && mine.count(d) != 0) return fmt::format("kgroup:{}", parent);
    }
  }
  const std::string ns = build_namespace(dir);
  return ns.empty() ? fmt::format("dir:{}", dir) : fmt::format("ns:{}", ns);
}

KustomizePlan plan_kustomizations(render::Context& ctx, const std::vector<std::string>& dirs) {
  KustomizePlan plan;
  const std::set<std::string> known(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    KustomizePlan::Dir& entry = plan.dirs[dir];
    std::shared_ptr<const render::LoadedFile> loaded;
    for (auto name : {"kustomization.yaml", "kustomization.yml", "Kustomization"}) {
      const std::string path = join_path(dir, name);
      if (!ctx.tree().stat(path)) continue;
      loaded = ctx.yaml(path);
      entry.files.insert(path);
      break;
    }
    if (!loaded || loaded->documents.empty() || !loaded->documents.front().root.is_map()) continue;
    const yaml::Node& k = loaded->documents.front().root;
    entry.component = text_of(k.get("kind")) == "Component";
    entry.ns = text_of(k.get("namespace"));
    auto resolve = [&](std::string_view rel) -> std::optional<std::string> {
      if (rel.find("://") != std::string_view::npos || rel.starts_with("git@") ||
          rel.find("?ref=") != std::string_view::npos) {
        return std::nullopt;
      }
      if (auto eq = rel.find('='); eq != std::string_view::npos) rel = rel.substr(eq + 1);
      bool inside = true;
      std::string path = normalize_path(join_path(dir, rel), &inside);
      if (!inside) return std::nullopt;
      return path;
    };
    auto add = [&](const yaml::Node* n) {
      if (n == nullptr || !n->is_scalar() || n->str().find('\n') != std::string_view::npos) return;
      if (auto path = resolve(n->str())) entry.files.insert(*path);
    };
    for (const char* field : {"resources", "bases", "components"}) {
      const yaml::Node* list = k.get(field);
      if (list == nullptr || !list->is_seq()) continue;
      for (const auto& item : list->items()) {
        if (!item.is_scalar()) continue;
        auto path = resolve(item.str());
        if (!path) continue;
        if (known.count(*path) != 0) {
          entry.includes.push_back(*path);
        } else {
          entry.files.insert(*path);
          entry.produces = true;
        }
      }
    }
    for (const char* field :
         {"patchesStrategicMerge", "crds", "configurations", "transformers", "generators", "validators"}) {
      if (const auto* list = k.get(field); list != nullptr && list->is_seq()) {
        for (const auto& item : list->items()) add(&item);
      }
    }
    for (const char* field : {"patches", "patchesJson6902", "replacements"}) {
      if (const auto* list = k.get(field); list != nullptr && list->is_seq()) {
        for (const auto& item : list->items()) add(item.get("path"));
      }
    }
    for (const char* field : {"configMapGenerator", "secretGenerator", "generators"}) {
      if (const auto* list = k.get(field); list != nullptr && list->is_seq() && !list->items().empty())
        entry.produces = true;
    }
    for (const char* field : {"configMapGenerator", "secretGenerator"}) {
      if (const auto* list = k.get(field); list != nullptr && list->is_seq()) {
        for (const auto& gen : list->items()) {
          for (const char* key : {"files", "envs"}) {
            if (const auto* files = gen.get(key); files != nullptr && files->is_seq()) {
              for (const auto& f : files->items()) add(&f);
            }
          }
          add(gen.get("env"));
        }
      }
    }
    if (const auto* charts = k.get("helmCharts"); charts != nullptr && charts->is_seq()) {
      entry.produces = entry.produces || !charts->items().empty();
      std::string home = "charts";
      if (const auto* h = k.at({"helmGlobals", "chartHome"}); h != nullptr && h->is_scalar() && !h->str().empty()) {
        home = std::string(h->str());
      }
      for (const auto& c : charts->items()) {
        const std::string name = text_of(c.get("name"));
        if (name.empty()) continue;
        std::string rel = home;
        if (!text_of(c.get("version")).empty() && !text_of(c.get("repo")).empty()) {
          rel += "/" + name + "-" + text_of(c.get("version"));
        }
        if (auto chart = resolve(rel + "/" + name)) {
          entry.charts.insert(*chart);
          entry.files.insert(join_path(*chart, "values.yaml"));
        }
        add(c.get("valuesFile"));
        if (const auto* more = c.get("additionalValuesFiles"); more != nullptr && more->is_seq()) {
          for (const auto& f : more->items()) add(&f);
        }
      }
    }
  }
  for (const auto& [dir, entry] : plan.dirs) {
    for (const auto& inc : entry.includes) {
      if (inc != dir) plan.included.insert(inc);
    }
  }
  return plan;
}

void ShardScope::add_object(const ObjectRef& ref, bool own) { (own ? own_ : foreign_).insert(id_of(ref)); }

std::string ShardScope::id_of(const ObjectRef& ref) {
  return fmt::format("{}/{}/{}", ref.kind, ref.name_space, ref.name);
}

bool ShardScope::keep(const diag::Diagnostic& d) const {
  // Evidence for "nothing in the repository provides this Service" may be in another shard.
  if (d.rule == "sync-wave-order" && d.fingerprint_key.starts_with("missing-service|")) return false;
  if (d.object) {
    const std::string id = id_of(*d.object);
    const bool own = own_.count(id) != 0;
    const bool foreign = foreign_.count(id) != 0;
    if (own != foreign) return own;
  }
  const std::string_view file = d.file();
  if (!file.empty() && files_.find(file) != files_.end()) return true;
  return owns(fmt::format("file:{}", file.empty() ? std::string_view(d.message) : file));
}

}  // namespace gl::cli
