#pragma once
// Chart archives (charts/*.tgz, what `helm dependency build` writes): gzip-compressed tar read in memory,
// with limits against archive bombs and member paths that climb out of the archive.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gl::render::helm {

struct ArchiveLimits {
  size_t max_total_bytes = 64u << 20;  ///< uncompressed
  size_t max_members = 10000;
};

/// The regular files of a .tgz as (path, content), in archive order; nullopt with `error` set when the data
/// is not a gzip'd tar or breaks a limit. Members with absolute or `..` paths are an error.
std::optional<std::vector<std::pair<std::string, std::string>>> read_tgz(std::string_view data, std::string* error,
                                                                         const ArchiveLimits& limits = {});

}  // namespace gl::render::helm
