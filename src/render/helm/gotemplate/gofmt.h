#pragma once
// Go's fmt package on template values: Sprint, Sprintln, Sprintf with Go's verbs, flags and error forms
// (%!d(string=x), %!(EXTRA ...), %!v(MISSING)), and Go's value formatting (maps as map[a:1 b:2] with sorted
// keys, []interface{} as [a b], nil as <nil>, float64 in strconv's shortest form: 1e+06, 0.5, 3.14).
#include <span>
#include <string>
#include <string_view>

#include "render/helm/gotemplate/value.h"

namespace gl::render::gotemplate::gofmt {

/// fmt.Sprint: operands formatted with %v, a space between two operands when neither is a string.
std::string sprint(std::span<const Value> args);
/// fmt.Sprintln: spaces between all operands and a final newline.
std::string sprintln(std::span<const Value> args);
/// fmt.Sprintf.
std::string sprintf(std::string_view format, std::span<const Value> args);
/// One value as %v prints it.
std::string format_value(const Value& v);
/// A float64 as strconv.FormatFloat(f, fmt, prec, 64) (fmt 'g', 'e', 'f'; prec -1 = shortest).
std::string format_float(double f, char fmt, int prec);

}  // namespace gl::render::gotemplate::gofmt
