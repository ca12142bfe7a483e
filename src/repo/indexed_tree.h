#pragma once
// Internal to src/repo: a FileTree over a complete in-memory index of paths (Git revisions, tests).
// Subclasses fill the index once; walk and stat never touch the source again, only `load` does.
#include <map>
#include <string>

#include "repo/file_tree.h"
#include "repo/resolve.h"

namespace gl::repo::detail {

class IndexedTree : public FileTree {
 public:
  std::vector<Entry> walk(std::string_view dir) const override;
  ReadResult read(std::string_view path, uint64_t max_bytes) const override;
  std::optional<Entry> stat(std::string_view path) const override;

 protected:
  struct Item {
    Node node;
    std::string payload;  ///< whatever `load` needs: the contents, or an object id
  };
  /// Adds `path` (normalised, inside the root) and its parent directories. False for an unusable path.
  bool add(std::string_view path, Node node, std::string payload);
  /// The contents of the file `item` at `path`, or nullopt with `error` set.
  virtual std::optional<std::string> load(const std::string& path, const Item& item, std::string& error) const = 0;

 private:
  Node lookup(const std::string& path) const;
  /// The entry for `item`, listed as `shown`, which really lives at `real`.
  Entry make_entry(std::string shown, const std::string& real, const Item& item) const;
  Resolved resolve(std::string_view path, bool follow_last) const;

  std::map<std::string, Item> items_;
};

}  // namespace gl::repo::detail
