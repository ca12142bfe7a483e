#pragma once
// The executor of Go's text/template (Go 1.19 exec.go) on the Value model; Helm runs it with option
// missingkey=zero, Argo CD's ApplicationSets with the default (invalid) or missingkey=error.
// Errors are thrown as ExecError with Go's text:
//   template: FILE:LINE:COL: executing "NAME" at <NODE>: MESSAGE
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/source.h"
#include "render/helm/gotemplate/ast.h"
#include "render/helm/gotemplate/function.h"
#include "render/helm/gotemplate/value.h"

namespace gl::render::gotemplate {

/// The named templates an execution can reach through {{template}}.
using TreeMap = std::map<std::string, std::shared_ptr<const Tree>, std::less<>>;

/// One piece of output and where it came from: a text node or an action of a template, and for an action
/// the origin of the printed value (a values-file line) when known.
struct OutputChunk {
  size_t offset = 0;  ///< byte offset in the output
  size_t length = 0;
  std::shared_ptr<const TemplateSource> source;  ///< the template text (source->parse_name is its file)
  Mark pos;                                      ///< 1-based line and 1-based byte column of the node in source->text
  Span origin;           ///< Value::origin of the printed value; invalid for text and computed values
  bool is_text = false;  ///< true for literal template text, false for an action's output
};

/// Go's Option("missingkey=..."): what a map lookup of a missing key gives.
enum class MissingKey : uint8_t {
  kZero,     ///< the zero value of the element type (a nil interface{}): Helm's choice
  kInvalid,  ///< "no value" (Go's default, also spelled missingkey=default)
  kError,    ///< an execution error: map has no entry for key "x"
};

/// Runs `tree` (named templates looked up in `trees`) with `data` as dot and $, appending to `out`.
/// `chunks`, when not null, receives one entry per piece of output.
void execute_tree(const Tree& tree, const TreeMap& trees, const FuncMap* funcs, const Value& data, CallContext& ctx,
                  std::string* out, std::vector<OutputChunk>* chunks, MissingKey missing_key = MissingKey::kZero);

}  // namespace gl::render::gotemplate
