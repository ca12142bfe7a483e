#pragma once
// Conversions shared by the Sprig and Helm functions, with the semantics of the Go code they replace:
// Sprig's strval/strslice/empty, spf13/cast's ToInt64/ToFloat64 (errors give 0), reflect.DeepEqual,
// copystructure's deep copy, reflect.Kind names, text/template's checks of typed function parameters,
// and the unicode-package character classes and case mappings that Go's strings functions use.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "render/helm/gotemplate/value.h"

namespace gl::render::helm::convert {

using gotemplate::Value;

/// Sprig's strval: strings and []byte as their text, everything else as fmt's %v.
std::string strval(const Value& v);
/// Sprig's strslice (toStrings): []string as is, list elements through strval with nils dropped,
/// nil as an empty list, any other value as a one-element list.
std::vector<std::string> to_strings(const Value& v);
/// A []string Value.
Value string_list(const std::vector<std::string>& items);

/// cast.ToInt64 (and cast.ToInt: int is 64 bits): ints, floats truncated (Go's conversion: out of range
/// and NaN give INT64_MIN), bools 0/1, strings parsed by strconv.ParseInt(s, 0, 64) after removing a
/// trailing ".0...", nil and anything unparsable 0.
int64_t to_int64(const Value& v);
/// cast.ToFloat64: numbers, bools 0/1, strings by strconv.ParseFloat, anything else 0.
double to_float64(const Value& v);
/// strconv.ParseInt(s, base, 64); nullopt on a syntax or range error. Base 0 accepts 0x/0o/0b/0 prefixes
/// and underscores between digits.
std::optional<int64_t> parse_int(std::string_view s, int base);
/// Sprig's atoi: strconv.Atoi with the error ignored (0 on a syntax error, INT64_MAX/INT64_MIN when out of range).
int64_t atoi(std::string_view s);
/// strconv.ParseFloat(s, 64); nullopt on a syntax or range error (Inf/NaN spellings are accepted).
std::optional<double> parse_float(std::string_view s);

/// Sprig's empty: nil, false, 0, 0.0, "" and empty lists and maps; objects are never empty.
bool empty(const Value& v);
/// reflect.DeepEqual: same Go type and deeply equal contents (int 1 and int64 1 differ, NaN != NaN).
bool deep_equal(const Value& a, const Value& b);
/// copystructure.Copy: fresh lists and maps all the way down, same Go types.
Value deep_copy(const Value& v);
/// reflect.Kind name as Sprig's kindOf prints it: "invalid" for nil, "int", "int64", "float64", "string",
/// "bool", "slice", "map", "struct" or "ptr" for objects (by their %T name).
std::string kind_name(const Value& v);
/// True for lists of any Go type ([]interface {}, []string, []uint8).
bool is_slice(const Value& v);

/// text/template's check of an argument passed to a typed parameter, as Go reports it
/// ("wrong type for value; expected string; got float64"); thrown as gotemplate::ExecError.
[[noreturn]] void wrong_type(const Value& v, std::string_view expected);
/// The argument for a `string` parameter.
const std::string& arg_string(std::span<const Value> args, size_t i);
/// The argument for an `int` parameter (only Go int values: template integer constants, len, int).
int64_t arg_int(std::span<const Value> args, size_t i);
/// The argument for a `bool` parameter.
bool arg_bool(std::span<const Value> args, size_t i);
/// The argument for a `map[string]interface {}` parameter; nil (a nil map) gives nullptr.
std::shared_ptr<gotemplate::Map> arg_map(std::span<const Value> args, size_t i);

/// Go's unicode package on code points.
namespace unicode {
bool is_upper(char32_t r);
bool is_lower(char32_t r);
bool is_title(char32_t r);
bool is_letter(char32_t r);
bool is_digit(char32_t r);
bool is_number(char32_t r);
bool is_punct(char32_t r);
bool is_space(char32_t r);
char32_t to_upper(char32_t r);
char32_t to_lower(char32_t r);
char32_t to_title(char32_t r);
/// utf8.DecodeRuneInString: the rune at `pos` and its length; invalid bytes give (U+FFFD, 1).
std::pair<char32_t, size_t> decode(std::string_view s, size_t pos);
}  // namespace unicode

}  // namespace gl::render::helm::convert
