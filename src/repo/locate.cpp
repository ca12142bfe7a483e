// Where a user's PATH lives (Git top level or the directory itself), and the repository's remotes.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>

#include "core/error.h"
#include "repo/file_tree.h"
#include "repo/git_util.h"

namespace gl::repo {

namespace {

/// The canonical absolute form of `path` with no trailing '/', or empty when it cannot be resolved.
std::string canonical(const std::string& path) {
  std::error_code ec;
  std::string out = std::filesystem::canonical(path, ec).string();
  if (ec) return {};
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

/// `path` relative to `root` when it lies inside it ("" for the root itself).
std::optional<std::string> relative_to(const std::string& path, const std::string& root) {
  if (path == root) return std::string();
  const std::string prefix = root == "/" ? root : root + "/";
  if (path.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  return path.substr(prefix.size());
}

}  // namespace

Location locate(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) throw FatalError(fmt::format("path `{}` does not exist", path));
  if (!std::filesystem::is_directory(status)) {
    throw FatalError(fmt::format("path `{}` is not a directory (give the directory that holds it)", path));
  }
  const std::string absolute = canonical(path);
  if (absolute.empty()) throw FatalError(fmt::format("cannot resolve path `{}`", path));

  Location location;
  location.root = absolute;

  // Find the working tree the way git does, by walking up to the nearest `.git` (a directory holding HEAD,
  // or a `gitdir:` file for worktrees and submodules). Not through libgit2: its initialisation loads the
  // system's CA certificates, which costs more than rendering a small overlay.
  namespace fs = std::filesystem;
  for (fs::path dir = absolute;; dir = dir.parent_path()) {
    std::error_code git_ec;
    const fs::path git = dir / ".git";
    const auto st = fs::status(git, git_ec);
    const bool repo = !git_ec && ((fs::is_directory(st) && fs::exists(git / "HEAD", git_ec)) || fs::is_regular_file(st));
    if (repo) {
      const std::string top = dir.string();
      const std::optional<std::string> subdir = relative_to(absolute, top);
      // Inside the .git directory itself the files are Git's, not the repository's.
      if (!subdir || *subdir == ".git" || subdir->rfind(".git/", 0) == 0) return location;
      location.root = top;
      location.subdir = *subdir;
      location.is_git = true;
      return location;
    }
    if (dir == dir.root_path() || dir.parent_path() == dir) break;
  }
  return location;
}

std::vector<std::string> git_remote_urls(const std::string& repo_root) {
  std::vector<std::string> urls;
  detail::ensure_libgit2();
  git_repository* raw_repo = nullptr;
  if (git_repository_open_ext(&raw_repo, repo_root.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
    return urls;
  }
  const detail::GitPtr<git_repository> repo(raw_repo);
  git_strarray names{};
  if (git_remote_list(&names, repo.get()) != 0) return urls;
  for (size_t i = 0; i < names.count; ++i) {
    git_remote* raw_remote = nullptr;
    if (git_remote_lookup(&raw_remote, repo.get(), names.strings[i]) != 0) continue;
    const detail::GitPtr<git_remote> remote(raw_remote);
    if (const char* url = git_remote_url(remote.get()); url != nullptr && url[0] != '\0') urls.emplace_back(url);
  }
  git_strarray_dispose(&names);
  std::sort(urls.begin(), urls.end());
  urls.erase(std::unique(urls.begin(), urls.end()), urls.end());
  return urls;
}

}  // namespace gl::repo
