#include "render/render.h"

#include "render/tree.h"

#include <fmt/format.h>

namespace gl::render {

const SourceFile* Context::source(const std::string& path, std::string* error) {
  {
    std::lock_guard lock(mu_);
    if (auto it = texts_.find(path); it != texts_.end()) return it->second;
    if (auto it = text_errors_.find(path); it != text_errors_.end()) {
      if (error != nullptr) *error = it->second;
      return nullptr;
    }
  }
  auto data = tree_.read(path, max_file_bytes_);
  std::lock_guard lock(mu_);
  if (auto it = texts_.find(path); it != texts_.end()) return it->second;
  if (!data.data) {
    text_errors_.emplace(path, data.error);
    if (error != nullptr) *error = data.error;
    return nullptr;
  }
  const SourceFile* file = sources_.add(path, std::move(*data.data));
  texts_.emplace(path, file);
  return file;
}

std::shared_ptr<const LoadedFile> Context::yaml(const std::string& path) {
  {
    std::lock_guard lock(mu_);
    if (auto it = parsed_.find(path); it != parsed_.end()) return it->second;
  }
  auto loaded = std::make_shared<LoadedFile>();
  loaded->file = source(path, &loaded->read_error);
  if (loaded->file != nullptr) {
    if (yaml::looks_binary(loaded->file->text())) {
      loaded->read_error = "binary file";
    } else {
      auto parsed = yaml::parse(*loaded->file, limits_);
      loaded->documents = std::move(parsed.documents);
      loaded->errors = std::move(parsed.errors);
    }
  }
  std::lock_guard lock(mu_);
  auto [it, inserted] = parsed_.emplace(path, std::move(loaded));
  return it->second;
}

std::vector<std::string> Context::files_read() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  out.reserve(texts_.size());
  for (const auto& [path, file] : texts_) out.push_back(path);
  return out;
}

std::optional<k8s::Object> to_object(const MNode& root, uint32_t index) {
  auto arena = std::make_shared<yaml::Arena>();
  const yaml::Node node = root.freeze(*arena);
  return k8s::make_object(yaml::Document{node, index, node.file, std::move(arena)});
}

}  // namespace gl::render
