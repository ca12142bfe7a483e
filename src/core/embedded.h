#pragma once
// Files from the repository's rules/ folder (docs, instance catalog), compiled into the binary.
#include <optional>
#include <string_view>
#include <vector>

namespace gl {

struct EmbeddedFile {
  std::string_view name;  ///< file name inside rules/, e.g. "node-pinning.md"
  std::string_view data;
};

const std::vector<EmbeddedFile>& embedded_files();

/// The contents of rules/<name>, if it was embedded.
inline std::optional<std::string_view> embedded_file(std::string_view name) {
  for (const auto& f : embedded_files()) {
    if (f.name == name) return f.data;
  }
  return std::nullopt;
}

}  // namespace gl
