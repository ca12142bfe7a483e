#pragma once
// Go text/template's builtin functions (funcs.go): and, or, not, len, index, slice, eq, ne, lt, le, gt, ge,
// print, printf, println, html, js, urlquery, call. They see values as the executor does, including whether
// a nil came from an interface{} slot (a missing map key) or is "no value" at all, which Go reports
// differently ("len of nil pointer" vs a reflect error).
#include <span>
#include <string>
#include <string_view>

#include "render/helm/gotemplate/value.h"

namespace gl::render::gotemplate {

/// A value during execution: `iface` is true when it sits in an interface{} slot (a map element, a list
/// element): a nil then is a nil interface (Go: "nil pointer evaluating interface {}.x"), otherwise it is
/// the invalid "no value" (a field of it is simply no value).
struct ExecValue {
  Value v;
  bool iface = false;
  /// Go's static type name for messages: "interface {}" for interface slots.
  std::string static_type() const { return iface ? "interface {}" : v.type_name(); }
};

/// Go's truth of a value (if, with, and, or, not).
bool is_true(const ExecValue& v);

/// True for the names Go's builtins() map defines.
bool is_builtin(std::string_view name);
/// The arity of a builtin: `max_args` is -1 for variadic ones.
void builtin_arity(std::string_view name, int* min_args, int* max_args);
/// Calls a builtin other than and/or (the executor short-circuits those). Throws ExecError with the bare
/// message (the executor adds "error calling NAME: ").
ExecValue call_builtin(std::string_view name, std::span<const ExecValue> args);

/// template.HTMLEscapeString.
std::string html_escape(std::string_view s);
/// template.JSEscapeString.
std::string js_escape(std::string_view s);
/// url.QueryEscape.
std::string url_query_escape(std::string_view s);

}  // namespace gl::render::gotemplate
