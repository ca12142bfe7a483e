// libFuzzer target: any bytes as a small repository of kustomizations must build (or fail with render
// errors) without a crash, a hang or an out-of-bounds read. The input is split on lines "--8<--" into the
// files below. Build and run with tests/fuzz/run.sh kustomize.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "render/kustomize/kustomize.h"
#include "render/render.h"
#include "repo/file_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* const kPaths[] = {"app/kustomization.yaml", "app/patch.yaml", "app/res.yaml",
                                       "base/kustomization.yaml", "base/res.yaml", "app/cfg.env"};
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::pair<std::string, std::string>> files;
  size_t start = 0;
  for (const char* path : kPaths) {
    if (start > input.size()) break;
    const size_t cut = input.find("\n--8<--\n", start);
    const size_t end = cut == std::string_view::npos ? input.size() : cut;
    files.emplace_back(path, std::string(input.substr(start, end - start)));
    start = cut == std::string_view::npos ? input.size() + 1 : cut + 8;
  }
  auto tree = gl::repo::open_memory_tree(files);
  gl::SourceSet sources;
  gl::yaml::ParseLimits limits;
  limits.max_alias_nodes = 100000;
  gl::render::Context ctx(*tree, sources, 1 << 20, limits);
  auto built = gl::render::kustomize::build(ctx, "app");
  std::vector<const gl::render::MNode*> docs;
  for (const auto& o : built.objects) docs.push_back(&o);
  volatile size_t sink = gl::render::to_yaml(docs).size();
  for (const auto& o : built.objects) sink = sink + gl::render::to_json(o).size();
  for (const auto& e : built.errors) sink = sink + e.message.size() + (e.at.file != nullptr ? e.at.begin.line : 0);
  (void)sink;
  return 0;
}
