#pragma once
// Template functions: the Go text/template builtins, Sprig and Helm register here with their arity.
// A function reports an error by throwing ExecError (caught where the template is executed and turned
// into a render error at the calling action): template execution unwinds on the first error, as in Go.
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "render/helm/gotemplate/value.h"

namespace gl::render::gotemplate {

/// An execution error ("error calling X: ..." is added by the executor for function failures).
struct ExecError {
  std::string message;
};

/// Throws ExecError (for functions and the executor).
[[noreturn]] void fail(std::string message);

/// What functions may ask of the running template (Helm's include and tpl need the template set).
class CallContext {
 public:
  virtual ~CallContext() = default;
  /// Executes the named template with `data` and returns its output (Helm's `include`).
  virtual std::string include(const std::string& name, const Value& data) = 0;
  /// Parses `text` as a template in a clone of the template set and executes it with `data` (Helm's `tpl`).
  virtual std::string tpl(const std::string& text, const Value& data) = 0;
  /// Seed for the random functions (randAlphaNum, shuffle, uuidv4, ...): fixed so output is reproducible.
  uint64_t seed = 0;
  /// "Now" for the date functions, Unix seconds (fixed by default so output is reproducible).
  int64_t now_unix = 0;
};

struct Function {
  int min_args = 0;
  int max_args = -1;  ///< -1: variadic
  std::function<Value(CallContext&, std::span<const Value>)> call;
};

using FuncMap = std::map<std::string, Function, std::less<>>;

}  // namespace gl::render::gotemplate
