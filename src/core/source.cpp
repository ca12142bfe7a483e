#include "core/source.h"

#include <algorithm>
#include <cstring>

namespace gl {

SourceFile::SourceFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  // memchr rather than a byte loop: every file of the repository passes through here.
  const char* const base = text_.data();
  const char* const stop = base + text_.size();
  for (const char* p = base; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(stop - p)))) != nullptr;) {
    ++p;
    line_starts_.push_back(static_cast<uint32_t>(p - base));
  }
  if (!text_.empty() && text_.back() == '\n') line_starts_.pop_back();
}

std::string_view SourceFile::line(uint32_t n) const {
  if (n == 0 || n > line_starts_.size()) return {};
  const size_t begin = line_starts_[n - 1];
  size_t end = n < line_starts_.size() ? line_starts_[n] : text_.size();
  while (end > begin && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
  return std::string_view(text_).substr(begin, end - begin);
}

size_t SourceFile::offset(Mark m) const {
  if (m.line == 0 || m.line > line_starts_.size()) return text_.size();
  return std::min(text_.size(), static_cast<size_t>(line_starts_[m.line - 1]) + (m.column > 0 ? m.column - 1 : 0));
}

Mark SourceFile::mark_at(size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<uint32_t>(it - line_starts_.begin());
  const uint32_t start = line > 0 ? line_starts_[line - 1] : 0;
  return Mark{std::max<uint32_t>(line, 1), static_cast<uint32_t>(offset - start + 1)};
}

const SourceFile* SourceSet::add(std::string path, std::string text) {
  auto file = std::make_unique<SourceFile>(std::move(path), std::move(text));
  const SourceFile* raw = file.get();
  std::lock_guard<std::mutex> lock(mu_);
  files_.push_back(std::move(file));
  return raw;
}

}  // namespace gl
