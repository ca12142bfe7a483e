#pragma once
// Shared by the infrastructure inventory tests: an in-memory repository read with read_infrastructure, and compact
// renderings of the nodes it yields.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.h"
#include "k8s/infra/infra.h"

namespace gl::test {

namespace infra = gl::k8s::infra;

/// Repository files held in memory (or read from a directory), loaded through the FileLoader callback.
class InfraRepo {
 public:
  InfraRepo() = default;
  InfraRepo(std::initializer_list<std::pair<std::string, std::string>> files) {
    for (const auto& [p, t] : files) add(p, t);
  }
  void add(const std::string& path, std::string text) {
    files_[path] = std::make_unique<SourceFile>(path, std::move(text));
  }
  /// Every regular file under `root` (read lazily); false when `root` does not exist.
  bool add_directory(const std::string& root) {
    namespace fs = std::filesystem;
    if (!fs::is_directory(root)) return false;
    root_ = root;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (e.is_regular_file()) disk_paths_.push_back(fs::relative(e.path(), root).generic_string());
    }
    return true;
  }
  std::vector<std::string> paths() const {
    std::vector<std::string> out = disk_paths_;
    for (const auto& [p, f] : files_) out.push_back(p);
    std::sort(out.begin(), out.end());
    return out;
  }
  infra::FileLoader loader() const {
    return [this](const std::string& path) -> const SourceFile* {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = files_.find(path);
      if (it != files_.end()) return it->second.get();
      if (root_.empty() || std::find(disk_paths_.begin(), disk_paths_.end(), path) == disk_paths_.end()) return nullptr;
      std::ifstream in(root_ + "/" + path, std::ios::binary);
      if (!in) return nullptr;
      std::stringstream ss;
      ss << in.rdbuf();
      return (files_[path] = std::make_unique<SourceFile>(path, ss.str())).get();
    };
  }
  infra::InfraInventory read() const { return infra::read_infrastructure(paths(), loader()); }

 private:
  mutable std::mutex mu_;
  mutable std::map<std::string, std::unique_ptr<SourceFile>> files_;
  std::vector<std::string> disk_paths_;
  std::string root_;
};

inline const infra::InfraNode* find_node(const infra::InfraInventory& inv, std::string_view name) {
  for (const auto& n : inv.nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

inline std::vector<std::string> node_names(const infra::InfraInventory& inv) {
  std::vector<std::string> out;
  for (const auto& n : inv.nodes) out.push_back(n.name);
  return out;
}

/// "k=v,k2=v2" in key order.
inline std::string labels_of(const infra::InfraNode& n) {
  std::string out;
  for (const auto& [k, v] : n.labels) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

/// "k=v:Effect,k2:Effect" in order.
inline std::string taints_of(const infra::InfraNode& n) {
  std::string out;
  for (const auto& t : n.taints) out += (out.empty() ? "" : ",") + t.display();
  return out;
}

/// "file:line:col" of a span.
inline std::string at(const Span& s) {
  if (!s.valid()) return "-";
  return s.file->path() + ":" + std::to_string(s.begin.line) + ":" + std::to_string(s.begin.column);
}

/// "file:line:col" of the fact that set a label.
inline std::string label_at(const infra::InfraNode& n, std::string_view key) {
  const infra::Fact* f = n.label_fact(key);
  return f != nullptr ? at(f->at) : "none";
}

/// Every note as "file:line: message".
inline std::vector<std::string> notes_of(const infra::InfraInventory& inv) {
  std::vector<std::string> out;
  for (const auto& n : inv.notes) {
    out.push_back((n.at.valid() ? n.at.file->path() + ":" + std::to_string(n.at.begin.line) : std::string("-")) + ": " +
                  n.message);
  }
  return out;
}

inline bool has_note(const infra::InfraInventory& inv, std::string_view part) {
  return std::any_of(inv.notes.begin(), inv.notes.end(),
                     [&](const infra::Note& n) { return n.message.find(part) != std::string::npos; });
}

}  // namespace gl::test
