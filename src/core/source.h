#pragma once
// A file's text with a line index, and spans into it. Every diagnostic points at one of these.
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace gl {

/// 1-based line and column (column counts bytes, as libyaml and most editors' "col" do for ASCII).
struct Mark {
  uint32_t line = 0;
  uint32_t column = 0;
  friend bool operator==(const Mark&, const Mark&) = default;
  friend auto operator<=>(const Mark&, const Mark&) = default;
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);
  /// Path relative to the repository root, '/'-separated.
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  size_t line_count() const { return line_starts_.size(); }
  /// The text of 1-based line n without its line ending; empty when out of range.
  std::string_view line(uint32_t n) const;
  /// Byte offset of a mark (clamped to the text); the inverse of mark_at.
  size_t offset(Mark m) const;
  Mark mark_at(size_t offset) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

/// A region of a source file. `file` is null for findings with no location (e.g. a run-wide note).
struct Span {
  const SourceFile* file = nullptr;
  Mark begin;
  Mark end;  ///< exclusive end column on end.line; equal to begin for a point
  bool valid() const { return file != nullptr && begin.line > 0; }
};

/// Owns every SourceFile of a run; pointers stay valid for the set's lifetime. Thread-safe adds.
class SourceSet {
 public:
  const SourceFile* add(std::string path, std::string text);

 private:
  std::mutex mu_;
  std::deque<std::unique_ptr<SourceFile>> files_;
};

}  // namespace gl
