#include "repo/git_util.h"

#include <fmt/format.h>

namespace gl::repo::detail {

void ensure_libgit2() {
  // Never shut down: other static objects may still hold libgit2 handles at exit.
  static const int kInitialised = [] {
    const int n = git_libgit2_init();
    // We only read objects (no hooks, filters or config-driven commands run), so a checkout owned by another
    // user, common in CI containers, is safe to read; without this libgit2 refuses it.
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    return n;
  }();
  (void)kInitialised;
}

std::string git_error_text(int code) {
  const git_error* error = git_error_last();
  if (error != nullptr && error->message != nullptr && error->message[0] != '\0') return error->message;
  return fmt::format("libgit2 error {}", code);
}

}  // namespace gl::repo::detail
