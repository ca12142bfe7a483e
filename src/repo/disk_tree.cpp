// The working tree on disk. Every path is resolved component by component from a descriptor of the root
// and opened with O_NOFOLLOW, so neither a symlink nor a race can make a read leave the root.
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <unordered_map>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/error.h"
#include "core/strings.h"
#include "repo/file_tree.h"
#include "repo/resolve.h"

namespace gl::repo {

namespace {

constexpr size_t kReadChunk = size_t{64} * 1024;
/// Symlink targets longer than this are not followable anywhere (PATH_MAX on Linux).
constexpr size_t kMaxLinkTarget = 4096;
constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
/// O_NONBLOCK: opening a FIFO for reading must never wait for a writer.
constexpr int kFileFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;

/// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

/// The target of the symlink `name` in `dir_fd`, or nullopt when it cannot be read or is too long.
std::optional<std::string> read_link(int dir_fd, const char* name) {
  std::string buffer(kMaxLinkTarget + 1, '\0');
  const ssize_t n = ::readlinkat(dir_fd, name, buffer.data(), buffer.size());
  if (n < 0 || static_cast<size_t>(n) > kMaxLinkTarget) return std::nullopt;
  buffer.resize(static_cast<size_t>(n));
  return buffer;
}

bool has_git_component(std::string_view path) {
  for (auto part : split(path, '/')) {
    if (part == ".git") return true;
  }
  return false;
}

class DiskTree final : public FileTree {
 public:
  DiskTree(std::string root, std::string real_root, int root_fd, bool use_openat2)
      : root_(std::move(root)), real_root_(std::move(real_root)), root_fd_(root_fd), have_openat2_(use_openat2) {}
  ~DiskTree() override { ::close(root_fd_); }
  DiskTree(const DiskTree&) = delete;
  DiskTree& operator=(const DiskTree&) = delete;

  std::vector<Entry> walk(std::string_view dir) const override {
    std::vector<Entry> out;
    bool inside = true;
    const std::string shown = normalize_path(dir, &inside);
    if (!inside || (!dir.empty() && dir.front() == '/')) return out;
    const detail::Resolved real = resolve(shown, /*follow_last=*/true);
    if (real.status != detail::ResolveStatus::kOk || real.node.type != detail::NodeType::kDirectory) return out;
    const int fd = open_chain(real.path, kDirFlags);
    if (fd < 0) return out;
    walk_dir(fd, real.path, shown, out);
    std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.path < b.path; });
    return out;
  }

  ReadResult read(std::string_view path, uint64_t max_bytes) const override {
    ReadResult result;
    const detail::Resolved real = resolve(path, /*follow_last=*/true);
    if (real.status != detail::ResolveStatus::kOk || real.node.type != detail::NodeType::kFile) {
      result.error = detail::resolve_error(path, real);
      return result;
    }
    if (real.node.size > max_bytes) {
      result.error = detail::too_large_error(path, real.node.size, max_bytes);
      return result;
    }
    const Fd fd(open_chain(real.path, kFileFlags));
    if (fd.get() < 0) {
      result.error = fmt::format("cannot open `{}`: {}", path, std::strerror(errno));
      return result;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      result.error = fmt::format("`{}` is not a regular file", path);
      return result;
    }
    const auto size = static_cast<uint64_t>(st.st_size);
    if (size > max_bytes) {
      result.error = detail::too_large_error(path, size, max_bytes);
      return result;
    }
    std::string data;
    data.reserve(size);
    char chunk[kReadChunk];
    for (;;) {
      const ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        result.error = fmt::format("cannot read `{}`: {}", path, std::strerror(errno));
        return result;
      }
      if (n == 0) break;
      data.append(chunk, static_cast<size_t>(n));
      if (data.size() > max_bytes) {  // the file grew while we read it
        result.error = fmt::format("`{}` is over the limit of {} bytes", path, max_bytes);
        return result;
      }
    }
    result.data = std::move(data);
    return result;
  }

  std::optional<Entry> stat(std::string_view path) const override {
    bool inside = true;
    std::string shown = normalize_path(path, &inside);
    if (!inside || (!path.empty() && path.front() == '/')) return std::nullopt;
    const detail::Resolved real = resolve(shown, /*follow_last=*/false);
    if (real.status != detail::ResolveStatus::kOk) return std::nullopt;
    Entry entry;
    entry.path = std::move(shown);
    switch (real.node.type) {
      case detail::NodeType::kDirectory:
        entry.kind = EntryKind::kDirectory;
        return entry;
      case detail::NodeType::kFile:
        entry.size = real.node.size;
        return entry;
      case detail::NodeType::kSymlink:
        describe_link(entry, real.path, real.node);
        return entry;
      default:
        return std::nullopt;
    }
  }

  std::string describe() const override { return "worktree " + root_; }

 private:
  /// What `path` (parents already resolved) is, without following it. `.git` is never visible. The tree is
  /// read as a snapshot: each path is looked up once (renderers ask for the same chart files many times).
  detail::Node lookup(const std::string& path) const {
    {
      const std::lock_guard lock(cache_mu_);
      if (auto it = lookups_.find(path); it != lookups_.end()) return it->second;
    }
    detail::Node node = lookup_uncached(path);
    const std::lock_guard lock(cache_mu_);
    lookups_.emplace(path, node);
    return node;
  }

  /// Records what a directory listing found, so later lookups need no system call.
  void remember(const std::string& path, const detail::Node& node) const {
    const std::lock_guard lock(cache_mu_);
    lookups_.emplace(path, node);
  }

  detail::Node lookup_uncached(const std::string& path) const {
    detail::Node node;
    if (path.empty()) {
      node.type = detail::NodeType::kDirectory;
      return node;
    }
    if (has_git_component(path)) return node;
    struct stat st {};
    if (::fstatat(root_fd_, path.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return node;
    if (S_ISREG(st.st_mode)) {
      node.type = detail::NodeType::kFile;
      node.size = static_cast<uint64_t>(st.st_size);
    } else if (S_ISDIR(st.st_mode)) {
      node.type = detail::NodeType::kDirectory;
    } else if (S_ISLNK(st.st_mode)) {
      const std::optional<std::string> target = read_link(root_fd_, path.c_str());
      node.type = target ? detail::NodeType::kSymlink : detail::NodeType::kOther;
      if (target) node.link_target = *target;
    } else {
      node.type = detail::NodeType::kOther;
    }
    return node;
  }

  /// An absolute symlink target below the root (as given, or its real path) maps back inside.
  std::optional<std::string> map_absolute(std::string_view target) const {
    if (auto inside = detail::strip_root(target, real_root_)) return inside;
    return detail::strip_root(target, root_);
  }

  detail::Resolved resolve(std::string_view path, bool follow_last) const {
    return detail::resolve_path(path, follow_last, lookup_fn(), absolute_fn());
  }

  void describe_link(Entry& entry, const std::string& real_path, const detail::Node& link) const {
    detail::describe_link(entry, real_path, link, lookup_fn(), absolute_fn());
  }

  detail::NodeLookup lookup_fn() const {
    return [this](const std::string& p) { return lookup(p); };
  }
  detail::AbsoluteMapper absolute_fn() const {
    return [this](std::string_view t) { return map_absolute(t); };
  }

  /// Opens a resolved, symlink-free path below the root. One openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)
  /// when the kernel has it (Linux 5.6): the kernel then refuses `..` out of the root and every symlink.
  /// Otherwise one component at a time with O_NOFOLLOW; the last component gets `last_flags`.
  int open_chain(const std::string& path, int last_flags) const {
    if (path.empty()) return ::openat(root_fd_, ".", last_flags);
    if (have_openat2_.load(std::memory_order_relaxed)) {
      open_how how{};
      how.flags = static_cast<uint64_t>(last_flags);
      how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
      const long fd = ::syscall(SYS_openat2, root_fd_, path.c_str(), &how, sizeof how);
      if (fd >= 0 || (errno != ENOSYS && errno != EPERM)) return static_cast<int>(fd);
      have_openat2_.store(false, std::memory_order_relaxed);  // an old kernel, or a seccomp filter
    }
    const auto parts = split(path, '/');
    int current = -1;
    for (size_t i = 0; i < parts.size(); ++i) {
      const Fd parent(current);
      const std::string name(parts[i]);
      current =
          ::openat(i == 0 ? root_fd_ : parent.get(), name.c_str(), i + 1 == parts.size() ? last_flags : kDirFlags);
      if (current < 0) return -1;
    }
    return current;
  }

  /// Lists `dir_fd` (taking ownership), which is `real` on disk and shown as `shown`, recursively.
  void walk_dir(int dir_fd, const std::string& real, const std::string& shown, std::vector<Entry>& out) const {
    DIR* dir = ::fdopendir(dir_fd);
    if (dir == nullptr) {
      ::close(dir_fd);
      return;
    }
    const int fd = ::dirfd(dir);
    while (const dirent* item = ::readdir(dir)) {
      const std::string name = item->d_name;
      if (name == "." || name == ".." || name == ".git") continue;
      struct stat st {};
      if (::fstatat(fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      Entry entry;
      entry.path = join_path(shown, name);
      const std::string real_path = join_path(real, name);
      if (S_ISREG(st.st_mode)) {
        entry.size = static_cast<uint64_t>(st.st_size);
        remember(real_path, detail::Node{detail::NodeType::kFile, entry.size, {}});
        out.push_back(std::move(entry));
      } else if (S_ISDIR(st.st_mode)) {
        remember(real_path, detail::Node{detail::NodeType::kDirectory, 0, {}});
        entry.kind = EntryKind::kDirectory;
        const std::string child_shown = entry.path;
        out.push_back(std::move(entry));
        const int child = ::openat(fd, name.c_str(), kDirFlags);
        if (child >= 0) walk_dir(child, real_path, child_shown, out);
      } else if (S_ISLNK(st.st_mode)) {
        const std::optional<std::string> target = read_link(fd, name.c_str());
        if (!target) continue;
        describe_link(entry, real_path, detail::Node{detail::NodeType::kSymlink, 0, *target});
        out.push_back(std::move(entry));
      }
      // FIFOs, sockets and devices are not repository files: never listed, never opened.
    }
    ::closedir(dir);
  }

  std::string root_;       ///< absolute, as given
  std::string real_root_;  ///< with symlinks resolved
  int root_fd_;
  mutable std::atomic<bool> have_openat2_;
  mutable std::mutex cache_mu_;
  mutable std::unordered_map<std::string, detail::Node> lookups_;
};

}  // namespace

std::unique_ptr<FileTree> open_disk_tree(const std::string& root, bool use_openat2) {
  std::error_code ec;
  std::string absolute = std::filesystem::absolute(root, ec).lexically_normal().string();
  if (ec) throw FatalError(fmt::format("cannot open directory {}: {}", root, ec.message()));
  while (absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
  std::string real = std::filesystem::canonical(absolute, ec).string();
  if (ec) throw FatalError(fmt::format("cannot open directory {}: {}", root, ec.message()));
  const int fd = ::open(real.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw FatalError(fmt::format("cannot open directory {}: {}", root, std::strerror(errno)));
  return std::make_unique<DiskTree>(std::move(absolute), std::move(real), fd, use_openat2);
}

}  // namespace gl::repo
