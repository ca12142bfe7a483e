// A Git revision's tree read from the object store: no checkout, the work tree and index are never touched.
#include <fmt/format.h>

#include <mutex>

#include "core/error.h"
#include "repo/file_tree.h"
#include "repo/git_util.h"
#include "repo/indexed_tree.h"

namespace gl::repo {

namespace {

/// Symlink targets longer than PATH_MAX cannot be followed by any system; such entries are left out.
constexpr size_t kMaxLinkTarget = 4096;
constexpr size_t kShortShaLength = 7;

class GitTree final : public detail::IndexedTree {
 public:
  GitTree(detail::GitPtr<git_repository> repo, std::string description)
      : repo_(std::move(repo)), description_(std::move(description)) {}

  /// Indexes every entry of `tree`; throws FatalError when the object store cannot be read.
  void index(git_tree* tree) {
    git_odb* raw_odb = nullptr;
    if (const int rc = git_repository_odb(&raw_odb, repo_.get()); rc != 0) {
      throw FatalError(fmt::format("cannot read the Git object store: {}", detail::git_error_text(rc)));
    }
    odb_.reset(raw_odb);
    const int rc = git_tree_walk(tree, GIT_TREEWALK_PRE, &GitTree::visit, this);
    if (rc != 0) {
      throw FatalError(
          fmt::format("cannot read Git tree: {}", walk_error_.empty() ? detail::git_error_text(rc) : walk_error_));
    }
    odb_.reset();
  }

  std::string describe() const override { return description_; }

 protected:
  std::optional<std::string> load(const std::string& path, const Item& item, std::string& error) const override {
    git_oid oid;
    if (git_oid_fromstr(&oid, item.payload.c_str()) != 0) {
      error = fmt::format("`{}`: bad object id", path);
      return std::nullopt;
    }
    std::lock_guard<std::mutex> lock(mu_);
    git_blob* raw_blob = nullptr;
    if (const int rc = git_blob_lookup(&raw_blob, repo_.get(), &oid); rc != 0) {
      error = fmt::format("cannot read `{}` from Git: {}", path, detail::git_error_text(rc));
      return std::nullopt;
    }
    const detail::GitPtr<git_blob> blob(raw_blob);
    const auto* bytes = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    return std::string(bytes, static_cast<size_t>(git_blob_rawsize(blob.get())));
  }

 private:
  static int visit(const char* root, const git_tree_entry* entry, void* payload) {
    return static_cast<GitTree*>(payload)->visit_entry(root, entry);
  }

  /// git_tree_walk callback: 0 continues, 1 skips a subtree, negative stops the walk.
  int visit_entry(const char* root, const git_tree_entry* entry) {
    const std::string name = git_tree_entry_name(entry);
    // A crafted tree may hold names no checkout would accept; they are never indexed.
    if (name.empty() || name == "." || name == ".." || name == ".git" || name.find('/') != std::string::npos) {
      return 1;
    }
    const std::string path = std::string(root) + name;
    const git_oid* oid = git_tree_entry_id(entry);
    detail::Node node;
    switch (git_tree_entry_type(entry)) {
      case GIT_OBJECT_TREE:
        node.type = detail::NodeType::kDirectory;
        return add(path, std::move(node), {}) ? 0 : 1;
      case GIT_OBJECT_BLOB:
        break;
      default:
        return 0;  // submodules (commit entries) are not part of this repository's files
    }
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, oid);
    if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK) {
      git_blob* raw_blob = nullptr;
      if (const int rc = git_blob_lookup(&raw_blob, repo_.get(), oid); rc != 0) {
        walk_error_ = fmt::format("cannot read symlink `{}`: {}", path, detail::git_error_text(rc));
        return -1;
      }
      const detail::GitPtr<git_blob> blob(raw_blob);
      const auto size = static_cast<size_t>(git_blob_rawsize(blob.get()));
      if (size > kMaxLinkTarget) return 0;
      node.type = detail::NodeType::kSymlink;
      node.link_target.assign(static_cast<const char*>(git_blob_rawcontent(blob.get())), size);
      add(path, std::move(node), {});
      return 0;
    }
    size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (const int rc = git_odb_read_header(&size, &type, odb_.get(), oid); rc != 0) {
      walk_error_ = fmt::format("cannot read `{}`: {}", path, detail::git_error_text(rc));
      return -1;
    }
    node.type = detail::NodeType::kFile;
    node.size = size;
    add(path, std::move(node), hex);
    return 0;
  }

  detail::GitPtr<git_repository> repo_;
  detail::GitPtr<git_odb> odb_;  ///< only while indexing
  std::string description_;
  std::string walk_error_;
  /// libgit2 repository handles are not safe for concurrent use; `load` takes this lock (indexing runs
  /// in the constructor's thread before the tree is shared).
  mutable std::mutex mu_;
};

}  // namespace

std::unique_ptr<FileTree> open_git_tree(const std::string& repo_root, const std::string& rev) {
  detail::ensure_libgit2();
  const std::string spec = rev.empty() ? "HEAD" : rev;
  git_repository* raw_repo = nullptr;
  if (const int rc = git_repository_open_ext(&raw_repo, repo_root.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
      rc != 0) {
    throw FatalError(fmt::format("cannot open Git repository at {}: {}", repo_root, detail::git_error_text(rc)));
  }
  detail::GitPtr<git_repository> repo(raw_repo);
  std::unique_ptr<GitTree> result;
  {
    // Objects live in this block so they are always freed before the repository that owns them.
    git_object* raw_object = nullptr;
    if (const int rc = git_revparse_single(&raw_object, repo.get(), spec.c_str()); rc != 0) {
      throw FatalError(fmt::format("unknown revision `{}`: {}", spec, detail::git_error_text(rc)));
    }
    const detail::GitPtr<git_object> object(raw_object);
    git_object* raw_peeled = nullptr;
    if (const int rc = git_object_peel(&raw_peeled, object.get(), GIT_OBJECT_TREE); rc != 0) {
      throw FatalError(fmt::format("revision `{}` does not name a tree: {}", spec, detail::git_error_text(rc)));
    }
    const detail::GitPtr<git_object> peeled(raw_peeled);
    git_tree* raw_tree = nullptr;
    if (const int rc = git_tree_lookup(&raw_tree, repo.get(), git_object_id(peeled.get())); rc != 0) {
      throw FatalError(fmt::format("cannot read the tree of `{}`: {}", spec, detail::git_error_text(rc)));
    }
    const detail::GitPtr<git_tree> tree(raw_tree);

    // Name the commit when there is one (a tag peels to it); a bare tree id names itself.
    const git_oid* named = git_object_id(object.get());
    git_object* raw_commit = nullptr;
    detail::GitPtr<git_object> commit;
    if (git_object_peel(&raw_commit, object.get(), GIT_OBJECT_COMMIT) == 0) {
      commit.reset(raw_commit);
      named = git_object_id(commit.get());
    }
    char short_sha[kShortShaLength + 1];
    git_oid_tostr(short_sha, sizeof short_sha, named);

    result =
        std::make_unique<GitTree>(std::move(repo), fmt::format("revision {} ({}) of {}", short_sha, spec, repo_root));
    result->index(tree.get());
  }
  return result;
}

}  // namespace gl::repo
