#pragma once
// Internal to src/repo: symlink-aware path resolution shared by the disk, Git and memory trees.
// Resolution is component by component, so a path never passes through a point outside the root.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "repo/file_tree.h"

namespace gl::repo::detail {

enum class NodeType { kMissing, kFile, kDirectory, kSymlink, kOther };

struct Node {
  NodeType type = NodeType::kMissing;
  uint64_t size = 0;        ///< bytes, for files
  std::string link_target;  ///< for symlinks, as written
};

/// Looks up one repository-relative path (its parents are real directories) without following it.
using NodeLookup = std::function<Node(const std::string& path)>;
/// Maps an absolute symlink target to a repository-relative path; nullopt when it lies outside the root.
using AbsoluteMapper = std::function<std::optional<std::string>(std::string_view target)>;

enum class ResolveStatus { kOk, kEscapes, kMissing, kNotDirectory, kLoop };

struct Resolved {
  ResolveStatus status = ResolveStatus::kMissing;
  std::string path;  ///< repository-relative, symlink-free (lexical for the missing tail); empty on escape
  Node node;         ///< what `path` is (kMissing unless status is kOk)
};

/// Resolves `path` from the root, following in-root symlinks in every parent component and, when
/// `follow_last`, in the final one. An absolute `path`, or any step above the root, escapes.
Resolved resolve_path(std::string_view path, bool follow_last, const NodeLookup& lookup,
                      const AbsoluteMapper& map_absolute);

/// Fills the symlink fields of `entry` (kind kSymlink) by resolving the link at `link_path` to its end.
void describe_link(Entry& entry, const std::string& link_path, const Node& link, const NodeLookup& lookup,
                   const AbsoluteMapper& map_absolute);

/// A short reason for a failed resolution of `path`, for ReadResult::error.
std::string resolve_error(std::string_view path, const Resolved& resolved);

/// The error for a file of `size` bytes over `max_bytes`.
std::string too_large_error(std::string_view path, uint64_t size, uint64_t max_bytes);

/// The root-relative remainder of `target` when it starts with `root` (both absolute), compared by component.
std::optional<std::string> strip_root(std::string_view target, std::string_view root);

}  // namespace gl::repo::detail
