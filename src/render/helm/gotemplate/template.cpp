#include "render/helm/gotemplate/template.h"

#include <utility>

#include "render/helm/gotemplate/builtins.h"
#include "render/helm/gotemplate/lex.h"
#include "render/helm/gotemplate/parse.h"

namespace gl::render::gotemplate {

TemplateSet::TemplateSet(const FuncMap* funcs, std::string root_name)
    : funcs_(funcs), root_name_(std::move(root_name)) {}

void TemplateSet::parse(const std::string& name, std::string_view text) {
  HasFunction has_function = [this](std::string_view fn) {
    return (funcs_ != nullptr && funcs_->find(fn) != funcs_->end()) || is_builtin(fn);
  };
  TreeSet parsed = parse_template(name, text, has_function);
  for (auto& [tree_name, tree] : parsed) {
    // Go's associate: a template that exists is not replaced by an empty one.
    auto it = trees_.find(tree_name);
    if (it != trees_.end() && is_empty_tree(tree->root.get()) && it->second->root) continue;
    trees_[tree_name] = std::move(tree);
  }
}

std::string TemplateSet::execute(const std::string& name, const Value& data, CallContext& ctx,
                                 std::vector<OutputChunk>* chunks) const {
  auto it = trees_.find(name);
  if (it == trees_.end()) {
    fail("template: no template " + go_quote(name) + " associated with template " + go_quote(root_name_));
  }
  std::string out;
  execute_tree(*it->second, trees_, funcs_, data, ctx, &out, chunks, missing_key_);
  return out;
}

bool TemplateSet::has(std::string_view name) const { return trees_.find(name) != trees_.end(); }

std::vector<std::string> TemplateSet::names() const {
  std::vector<std::string> out;
  out.reserve(trees_.size());
  for (const auto& [n, t] : trees_) out.push_back(n);
  return out;
}

}  // namespace gl::render::gotemplate
