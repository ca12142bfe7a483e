// The in-memory FileTree used by tests: path -> contents, "@link:target" for symlinks.
#include <string_view>

#include "repo/file_tree.h"
#include "repo/indexed_tree.h"

namespace gl::repo {

namespace {

constexpr std::string_view kLinkPrefix = "@link:";

class MemoryTree final : public detail::IndexedTree {
 public:
  explicit MemoryTree(std::vector<std::pair<std::string, std::string>> files) {
    for (auto& [path, contents] : files) {
      detail::Node node;
      if (std::string_view(contents).substr(0, kLinkPrefix.size()) == kLinkPrefix) {
        node.type = detail::NodeType::kSymlink;
        node.link_target = contents.substr(kLinkPrefix.size());
        add(path, std::move(node), {});
      } else {
        node.type = detail::NodeType::kFile;
        node.size = contents.size();
        add(path, std::move(node), std::move(contents));
      }
    }
  }

  std::string describe() const override { return "memory"; }

 protected:
  std::optional<std::string> load(const std::string& /*path*/, const Item& item,
                                  std::string& /*error*/) const override {
    return item.payload;
  }
};

}  // namespace

std::unique_ptr<FileTree> open_memory_tree(std::vector<std::pair<std::string, std::string>> files) {
  return std::make_unique<MemoryTree>(std::move(files));
}

}  // namespace gl::repo
