#pragma once
// Internal to src/repo: libgit2 set-up, owning pointers and error text.
#include <git2.h>

#include <memory>
#include <string>

namespace gl::repo::detail {

/// Initialises libgit2 once per process (thread-safe); call before any other libgit2 function.
void ensure_libgit2();

/// libgit2's message for the last failed call on this thread, or a generic one naming `code`.
std::string git_error_text(int code);

struct GitFree {
  void operator()(git_repository* p) const { git_repository_free(p); }
  void operator()(git_object* p) const { git_object_free(p); }
  void operator()(git_tree* p) const { git_tree_free(p); }
  void operator()(git_blob* p) const { git_blob_free(p); }
  void operator()(git_odb* p) const { git_odb_free(p); }
  void operator()(git_remote* p) const { git_remote_free(p); }
};

template <typename T>
using GitPtr = std::unique_ptr<T, GitFree>;

}  // namespace gl::repo::detail
