#pragma once
// Read-only view of a repository's files: the working tree on disk, a Git revision, or memory (tests).
// Paths are repository-relative, '/'-separated, normalised; nothing outside the root is ever read.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gl::repo {

enum class EntryKind { kFile, kDirectory, kSymlink };

struct Entry {
  std::string path;  ///< repository-relative
  EntryKind kind = EntryKind::kFile;
  uint64_t size = 0;            ///< bytes, for files (and resolved symlinks)
  std::string link_target;      ///< for symlinks: the target as written
  bool link_escapes = false;    ///< the symlink resolves outside the repository root (never followed)
  std::string link_resolved;    ///< for symlinks inside the root: the repository-relative target
};

struct ReadResult {
  std::optional<std::string> data;
  std::string error;  ///< set when data is empty
};

class FileTree {
 public:
  virtual ~FileTree() = default;
  /// Lists entries under `dir` ("" = root) recursively, sorted by path. Directory symlinks are listed as
  /// symlinks and not descended into. `.git` is never listed.
  virtual std::vector<Entry> walk(std::string_view dir) const = 0;
  /// Reads a file (following a symlink only when it stays inside the root). Fails past `max_bytes`.
  virtual ReadResult read(std::string_view path, uint64_t max_bytes) const = 0;
  virtual std::optional<Entry> stat(std::string_view path) const = 0;
  /// Human description of where the files come from, e.g. "worktree /src/x" or "revision 1a2b3c4 of /src/x".
  virtual std::string describe() const = 0;
};

/// The working tree as it is on disk, uncommitted changes included, rooted at `root`. Files are opened with
/// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) when the kernel allows it, else one component at a time
/// (`use_openat2` false forces the latter, for tests).
std::unique_ptr<FileTree> open_disk_tree(const std::string& root, bool use_openat2 = true);

/// The tree of revision `rev` read from the Git object store of the repository at `repo_root`.
/// Throws FatalError when the repository or revision cannot be opened.
std::unique_ptr<FileTree> open_git_tree(const std::string& repo_root, const std::string& rev);

/// An in-memory tree for tests: path -> contents. Symlinks: path -> "@link:target".
std::unique_ptr<FileTree> open_memory_tree(std::vector<std::pair<std::string, std::string>> files);

/// Where a user's PATH lives: the repository root (Git top level, or PATH itself without Git) and the
/// PATH relative to it.
struct Location {
  std::string root;    ///< absolute
  std::string subdir;  ///< repository-relative, "" for the root
  bool is_git = false;
};
/// Throws FatalError when PATH does not exist.
Location locate(const std::string& path);

/// The repository's remote URLs (for matching Argo CD repoURLs); empty without Git.
std::vector<std::string> git_remote_urls(const std::string& repo_root);

}  // namespace gl::repo
