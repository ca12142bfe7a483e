// Tests for src/render/argocd/appset: ApplicationSet expansion.
#include <catch2/catch.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "render/argocd/appset.h"
#include "render/render.h"
#include "repo/file_tree.h"

namespace {

using Files = std::vector<std::pair<std::string, std::string>>;
using gl::render::argocd::AppSetOptions;

struct Expanded {
  gl::SourceSet sources;
  std::unique_ptr<gl::repo::FileTree> tree;
  gl::render::argocd::AppSetResult result;
  std::string yaml;
  std::string errors;
};

std::unique_ptr<Expanded> expand(const std::string& appset, Files files = {}, AppSetOptions options = {}) {
  auto out = std::make_unique<Expanded>();
  files.emplace_back("appset.yaml", appset);
  out->tree = gl::repo::open_memory_tree(files);
  gl::render::Context ctx(*out->tree, out->sources, 1 << 20, {});
  auto loaded = ctx.yaml("appset.yaml");
  REQUIRE(loaded->errors.empty());
  if (!options.is_local_repo) {
    options.is_local_repo = [](std::string_view url) { return url == "https://github.com/argoproj/argo-cd.git"; };
  }
  out->result = gl::render::argocd::generate(ctx, loaded->documents.at(0).root, options);
  std::vector<const gl::render::MNode*> docs;
  for (const auto& a : out->result.applications) docs.push_back(&a.application);
  out->yaml = gl::render::to_yaml(docs);
  for (const auto& e : out->result.errors) {
    out->errors += (e.at.file != nullptr ? e.at.file->path() : std::string("?")) + ":" +
                   std::to_string(e.at.begin.line) + ": " + e.message + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("dump", "[argocd][appset][dump]") {
  auto e = expand(R"(apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
  namespace: argocd
spec:
  generators:
  - list:
      elements:
      - cluster: engineering-dev
        url: https://1.2.3.4
      - cluster: engineering-prod
        url: https://2.4.6.8
  template:
    metadata:
      name: '{{cluster}}-guestbook'
    spec:
      project: my-project
      source:
        repoURL: https://github.com/infra-team/cluster-deployments.git
        targetRevision: HEAD
        path: guestbook/{{cluster}}
      destination:
        server: '{{url}}'
        namespace: guestbook
)");
  std::cout << e->yaml << e->errors;
}
