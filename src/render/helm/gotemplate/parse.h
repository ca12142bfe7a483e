#pragma once
// The parser of Go's text/template (Go 1.19 parse/parse.go): builds the trees of one template text and of
// the `define`/`block` templates inside it, with Go's parse error messages
// ("template: NAME:LINE: unexpected EOF", "function \"x\" not defined", ...).
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "render/helm/gotemplate/ast.h"

namespace gl::render::gotemplate {

/// Whether a function name is defined (the function map or a builtin); unknown names fail the parse.
using HasFunction = std::function<bool(std::string_view)>;

/// The trees `text` defines: the top-level one under `name`, plus one per define/block (Go's parse.Parse).
using TreeSet = std::map<std::string, std::shared_ptr<Tree>, std::less<>>;

/// Parses one template text. Throws ExecError with Go's message on a syntax error.
TreeSet parse_template(const std::string& name, std::string_view text, const HasFunction& has_function);

/// Go's parse.IsEmptyTree: true when the node holds nothing but spaces and comments.
bool is_empty_tree(const Node* n);

}  // namespace gl::render::gotemplate
