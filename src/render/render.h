#pragma once
// What every renderer (Kustomize, Helm, directory, Argo CD) shares: errors at a source line, and the
// context for reading files from the repository (read once, parsed once, shared by every build).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.h"
#include "k8s/object.h"
#include "repo/file_tree.h"
#include "yaml/node.h"
#include "yaml/parser.h"

namespace gl::render {
class MNode;
}

namespace gl::render {

/// A source that could not be rendered (or part of it): the `render-error` finding.
struct RenderError {
  RenderError() = default;
  RenderError(Span where, std::string what, std::string how = {})
      : at(where), message(std::move(what)), help(std::move(how)) {}

  Span at;  ///< the line that asked for what failed (a kustomization entry, a template line)
  std::string message;
  std::string help;
  std::string rule;  ///< the rule that reports it when not `render-error` (e.g. `app-source-missing`)
  bool lesser = false;  ///< reported one level below the rule's severity
  std::vector<std::string> notes;
};

/// A rendered tree (with provenance) as a Kubernetes Object; nullopt when it is not one.
std::optional<k8s::Object> to_object(const MNode& root, uint32_t index);

/// A file read and parsed for rendering; documents share `storage`.
struct LoadedFile {
  const SourceFile* file = nullptr;
  std::vector<yaml::Document> documents;
  std::vector<yaml::ParseError> errors;
  std::string read_error;  ///< set when the file could not be read at all
};

/// Reads repository files for renderers. Thread-safe; each path is read and parsed at most once.
class Context {
 public:
  Context(const repo::FileTree& tree, SourceSet& sources, uint64_t max_file_bytes, yaml::ParseLimits limits)
      : tree_(tree), sources_(sources), max_file_bytes_(max_file_bytes), limits_(limits) {}
  const repo::FileTree& tree() const { return tree_; }
  SourceSet& sources() { return sources_; }
  uint64_t max_file_bytes() const { return max_file_bytes_; }
  const yaml::ParseLimits& limits() const { return limits_; }
  /// The text of a repository file (nullptr with `error` set when it cannot be read).
  const SourceFile* source(const std::string& path, std::string* error);
  /// The file parsed as a YAML stream.
  std::shared_ptr<const LoadedFile> yaml(const std::string& path);
  /// Every path a renderer read (for "used by a build" bookkeeping), sorted.
  std::vector<std::string> files_read() const;

 private:
  const repo::FileTree& tree_;
  SourceSet& sources_;
  uint64_t max_file_bytes_;
  yaml::ParseLimits limits_;
  mutable std::mutex mu_;
  std::map<std::string, const SourceFile*, std::less<>> texts_;
  std::map<std::string, std::string, std::less<>> text_errors_;
  std::map<std::string, std::shared_ptr<const LoadedFile>, std::less<>> parsed_;
};

}  // namespace gl::render
