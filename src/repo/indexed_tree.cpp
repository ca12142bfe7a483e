#include "repo/indexed_tree.h"

#include "core/strings.h"

namespace gl::repo::detail {

bool IndexedTree::add(std::string_view path, Node node, std::string payload) {
  if (path.empty() || path.front() == '/') return false;
  bool inside = true;
  std::string normal = normalize_path(path, &inside);
  if (!inside || normal.empty()) return false;
  for (auto part : split(normal, '/')) {
    if (part == ".git") return false;
  }
  for (std::string_view parent = dirname(normal); !parent.empty(); parent = dirname(parent)) {
    const auto [it, inserted] = items_.try_emplace(std::string(parent), Item{Node{NodeType::kDirectory, 0, {}}, {}});
    if (!inserted && it->second.node.type != NodeType::kDirectory) return false;
  }
  const bool is_directory = node.type == NodeType::kDirectory;
  const auto [it, inserted] = items_.try_emplace(normal, Item{std::move(node), std::move(payload)});
  return inserted || (is_directory && it->second.node.type == NodeType::kDirectory);
}

Node IndexedTree::lookup(const std::string& path) const {
  const auto it = items_.find(path);
  return it == items_.end() ? Node{} : it->second.node;
}

Resolved IndexedTree::resolve(std::string_view path, bool follow_last) const {
  return resolve_path(
      path, follow_last, [this](const std::string& p) { return lookup(p); }, nullptr);
}

Entry IndexedTree::make_entry(std::string shown, const std::string& real, const Item& item) const {
  Entry entry;
  entry.path = std::move(shown);
  switch (item.node.type) {
    case NodeType::kDirectory:
      entry.kind = EntryKind::kDirectory;
      break;
    case NodeType::kSymlink:
      // Resolved from the link's real location: the shown path may run through a symlinked directory.
      describe_link(
          entry, real, item.node, [this](const std::string& p) { return lookup(p); }, nullptr);
      break;
    default:
      entry.kind = EntryKind::kFile;
      entry.size = item.node.size;
      break;
  }
  return entry;
}

std::vector<Entry> IndexedTree::walk(std::string_view dir) const {
  std::vector<Entry> out;
  bool inside = true;
  const std::string shown = normalize_path(dir, &inside);
  if (!inside || (!dir.empty() && dir.front() == '/')) return out;
  const Resolved real = resolve(shown, /*follow_last=*/true);
  if (real.status != ResolveStatus::kOk || real.node.type != NodeType::kDirectory) return out;
  const std::string prefix = real.path.empty() ? std::string() : real.path + "/";
  for (auto it = items_.lower_bound(prefix); it != items_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    const std::string relative = it->first.substr(prefix.size());
    out.push_back(make_entry(join_path(shown, relative), it->first, it->second));
  }
  return out;
}

std::optional<Entry> IndexedTree::stat(std::string_view path) const {
  bool inside = true;
  std::string shown = normalize_path(path, &inside);
  if (!inside || (!path.empty() && path.front() == '/')) return std::nullopt;
  const Resolved real = resolve(shown, /*follow_last=*/false);
  if (real.status != ResolveStatus::kOk) return std::nullopt;
  if (real.path.empty()) {
    Entry root;
    root.kind = EntryKind::kDirectory;
    return root;
  }
  return make_entry(std::move(shown), real.path, items_.at(real.path));
}

ReadResult IndexedTree::read(std::string_view path, uint64_t max_bytes) const {
  ReadResult result;
  const Resolved real = resolve(path, /*follow_last=*/true);
  if (real.status != ResolveStatus::kOk || real.node.type != NodeType::kFile) {
    result.error = resolve_error(path, real);
    return result;
  }
  if (real.node.size > max_bytes) {
    result.error = too_large_error(path, real.node.size, max_bytes);
    return result;
  }
  result.data = load(real.path, items_.at(real.path), result.error);
  return result;
}

}  // namespace gl::repo::detail
