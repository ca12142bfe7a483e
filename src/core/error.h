#pragma once
#include <stdexcept>
#include <string>

namespace gl {

/// The one exception type: a failure that stops the run (bad flags, unreadable repository, bad config).
/// Problems in the user's repository are diagnostics, never exceptions.
class FatalError : public std::runtime_error {
 public:
  explicit FatalError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace gl
