#pragma once
// Template functions: the Go text/template builtins, Sprig and Helm register here with their arity and, where
// Go's text/template checks them before the call, their parameter types.
// A function reports an error by throwing ExecError (caught where the template is executed and turned
// into a render error at the calling action): template execution unwinds on the first error, as in Go.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  /// Execution stops with an error once one template's output grows past this many bytes.
  size_t max_output = SIZE_MAX;
};


/// A template function: its arity, its body and, where Go checks them, its parameter types.
struct Function {
  /// The body: takes the evaluated (and, with `params`, checked) arguments.
  using Call = std::function<Value(CallContext&, std::span<const Value>)>;
  Function() = default;
  /// A function of `min` to `max` arguments (`max` -1: variadic) with unchecked parameters (see set_params).
  Function(int min, int max, Call fn) : min_args(min), max_args(max), call(std::move(fn)) {}

  int min_args = 0;
  int max_args = -1;  ///< -1: variadic
  Call call;
  /// The Go parameter types, checked and converted by the executor before the call; empty: no check (every
  /// argument is passed as evaluated). For a variadic function the last entry is the element type of its
  /// `...` parameter, and the entries before it are the min_args fixed parameters.
  std::vector<ParamType> params;
};

using FuncMap = std::map<std::string, Function, std::less<>>;

/// Declares the Go parameter types of the registered functions `names` (see Function::params). Returns false
/// when one of them is not registered or has an arity the types do not agree with (it is then left as it was).
bool set_params(FuncMap& funcs, std::initializer_list<std::string_view> names, std::initializer_list<ParamType> params);

}  // namespace gl::render::gotemplate
