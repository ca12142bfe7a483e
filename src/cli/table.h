#pragma once
// Plain-text tables for the listing commands (apps, inventory): columns padded to their widest cell.
#include <string>
#include <vector>

namespace gl::cli {

/// One line per row, cells separated by two spaces, the last column unpadded, trailing spaces trimmed.
std::string format_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

}  // namespace gl::cli
