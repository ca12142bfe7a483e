#include "repo/resolve.h"

#include <fmt/format.h>

#include <deque>
#include <vector>

#include "core/strings.h"

namespace gl::repo::detail {

namespace {

/// The same bound as Linux's MAXSYMLINKS: more hops than this is treated as a loop.
constexpr int kMaxSymlinkHops = 40;

std::string join_parts(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

Resolved failed(ResolveStatus status) {
  Resolved out;
  out.status = status;
  return out;
}

}  // namespace

Resolved resolve_path(std::string_view path, bool follow_last, const NodeLookup& lookup,
                      const AbsoluteMapper& map_absolute) {
  if (!path.empty() && path.front() == '/') return failed(ResolveStatus::kEscapes);
  std::deque<std::string> pending;
  for (auto part : split(path, '/')) pending.emplace_back(part);
  std::vector<std::string> done;
  Node current{NodeType::kDirectory, 0, {}};
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part.empty() || part == ".") continue;
    if (current.type != NodeType::kDirectory) return failed(ResolveStatus::kNotDirectory);
    if (part == "..") {
      if (done.empty()) return failed(ResolveStatus::kEscapes);
      done.pop_back();
      current = Node{NodeType::kDirectory, 0, {}};
      continue;
    }
    done.push_back(std::move(part));
    Node node = lookup(join_parts(done));
    if (node.type == NodeType::kSymlink && (!pending.empty() || follow_last)) {
      if (++hops > kMaxSymlinkHops) return failed(ResolveStatus::kLoop);
      done.pop_back();
      std::string target = node.link_target;
      if (target.empty()) return failed(ResolveStatus::kMissing);
      if (target.front() == '/') {
        std::optional<std::string> inside = map_absolute ? map_absolute(target) : std::nullopt;
        if (!inside) return failed(ResolveStatus::kEscapes);
        target = std::move(*inside);
        done.clear();
      }
      const auto target_parts = split(target, '/');
      for (auto it = target_parts.rbegin(); it != target_parts.rend(); ++it) pending.emplace_front(*it);
      continue;
    }
    if (node.type == NodeType::kMissing) {
      std::string rest = join_parts(done);
      for (const auto& tail : pending) rest = join_path(rest, tail);
      bool inside = true;
      Resolved out;
      out.path = normalize_path(rest, &inside);
      out.status = inside ? ResolveStatus::kMissing : ResolveStatus::kEscapes;
      if (!inside) out.path.clear();
      return out;
    }
    current = std::move(node);
  }
  Resolved out;
  out.status = ResolveStatus::kOk;
  out.path = join_parts(done);
  out.node = std::move(current);
  return out;
}

void describe_link(Entry& entry, const std::string& link_path, const Node& link, const NodeLookup& lookup,
                   const AbsoluteMapper& map_absolute) {
  entry.kind = EntryKind::kSymlink;
  entry.link_target = link.link_target;
  const Resolved resolved = resolve_path(link_path, /*follow_last=*/true, lookup, map_absolute);
  switch (resolved.status) {
    case ResolveStatus::kEscapes:
      entry.link_escapes = true;
      break;
    case ResolveStatus::kOk:
      entry.link_resolved = resolved.path;
      if (resolved.node.type == NodeType::kFile) entry.size = resolved.node.size;
      break;
    case ResolveStatus::kMissing:
      entry.link_resolved = resolved.path;
      break;
    case ResolveStatus::kNotDirectory:
    case ResolveStatus::kLoop:
      break;
  }
}

std::string resolve_error(std::string_view path, const Resolved& resolved) {
  switch (resolved.status) {
    case ResolveStatus::kEscapes:
      return fmt::format("`{}` resolves outside the repository", path);
    case ResolveStatus::kMissing:
      return fmt::format("`{}` does not exist", path);
    case ResolveStatus::kNotDirectory:
      return fmt::format("`{}` has a component that is not a directory", path);
    case ResolveStatus::kLoop:
      return fmt::format("`{}` has too many levels of symbolic links", path);
    case ResolveStatus::kOk:
      break;
  }
  switch (resolved.node.type) {
    case NodeType::kDirectory:
      return fmt::format("`{}` is a directory", path);
    case NodeType::kFile:
      return {};
    default:
      return fmt::format("`{}` is not a regular file", path);
  }
}

std::string too_large_error(std::string_view path, uint64_t size, uint64_t max_bytes) {
  return fmt::format("`{}` is {} bytes, over the limit of {} bytes", path, size, max_bytes);
}

std::optional<std::string> strip_root(std::string_view target, std::string_view root) {
  std::vector<std::string_view> root_parts;
  for (auto part : split(root, '/')) {
    if (!part.empty() && part != ".") root_parts.push_back(part);
  }
  const auto target_parts = split(target, '/');
  size_t matched = 0;
  size_t i = 0;
  for (; i < target_parts.size() && matched < root_parts.size(); ++i) {
    const auto part = target_parts[i];
    if (part.empty() || part == ".") continue;
    if (part != root_parts[matched]) return std::nullopt;
    ++matched;
  }
  if (matched < root_parts.size()) return std::nullopt;
  std::string rest;
  for (; i < target_parts.size(); ++i) rest = join_path(rest, target_parts[i]);
  return rest;
}

}  // namespace gl::repo::detail
