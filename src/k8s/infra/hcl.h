#pragma once
// A small HCL (HashiCorp Configuration Language, native syntax) reader: bodies of attributes and blocks, and the
// expression language (literals, templates with ${} and %{} directives, heredocs, tuples, objects, references,
// function calls, operators, conditionals, for expressions, splats). Syntax errors end the top-level item they are
// in; the reader resumes at the next line that starts a top-level item.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.h"

namespace gl::k8s::infra::hcl {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// One part of a template: literal text, an interpolation, or an %{if}/%{for} directive with its parts.
struct TemplatePart {
  enum class Kind : uint8_t { kLiteral, kInterp, kIf, kFor };
  Kind kind = Kind::kLiteral;
  std::string text;                      ///< literal
  size_t offset = 0;                     ///< where it is written
  bool exact = true;                     ///< literal: text[i] is at offset + i
  ExprPtr expr;                          ///< interpolation value, if condition, for collection
  std::string key_var;                   ///< for: `k` of `for k, v in`; empty when one variable
  std::string value_var;                 ///< for: the value variable
  std::vector<TemplatePart> then_parts;  ///< if: the then branch; for: the body
  std::vector<TemplatePart> else_parts;  ///< if: the else branch
  size_t end = 0;                        ///< interpolation/directive: end offset (for keeping it as text)
};

struct Expr {
  enum class Kind : uint8_t {
    kNull,
    kBool,
    kNumber,
    kTemplate,
    kTuple,
    kObject,
    kVariable,
    kGetAttr,
    kIndex,
    kSplat,
    kCall,
    kCond,
    kBinary,
    kUnary,
    kForTuple,
    kForObject,
    kParens
  };
  Kind kind = Kind::kNull;
  const SourceFile* file = nullptr;
  size_t offset = 0;  ///< start in the file
  size_t end = 0;     ///< end in the file
  bool boolean = false;
  double number = 0;
  std::string name;                 ///< variable name, attribute name, function name, operator
  std::vector<TemplatePart> parts;  ///< template
  std::vector<ExprPtr> items;       ///< tuple items, call arguments, object values
  std::vector<ExprPtr> keys;        ///< object keys (a bare identifier is a template literal)
  ExprPtr a;                        ///< target (attr/index/splat), condition, left operand, for collection
  ExprPtr b;                        ///< index key, then-value, right operand, for key/value result
  ExprPtr c;                        ///< else-value, for object value result
  ExprPtr d;                        ///< for `if` filter
  std::string key_var;              ///< for: first variable when two
  std::string value_var;            ///< for: the value variable
  bool expand_last = false;         ///< call with `...`
  bool grouping = false;            ///< for object with `...`
  /// The expression as written.
  std::string_view source() const;
};

struct Block;

struct Attribute {
  std::string name;
  ExprPtr value;
  const SourceFile* file = nullptr;
  size_t offset = 0;  ///< the name
  Span span() const;
};

struct Body {
  std::vector<Attribute> attributes;
  std::vector<Block> blocks;
  const Attribute* attribute(std::string_view name) const;
  std::vector<const Block*> blocks_of(std::string_view type) const;
};

struct Block {
  std::string type;
  std::vector<std::string> labels;
  Body body;
  const SourceFile* file = nullptr;
  size_t offset = 0;  ///< the type keyword
  Span span() const;
};

struct Error {
  size_t offset = 0;
  std::string message;
};

struct ParseResult {
  Body body;
  std::vector<Error> errors;
};

/// Nesting deeper than this (blocks, brackets, templates) is a syntax error.
inline constexpr size_t kMaxDepth = 100;

/// Parses a configuration file (*.tf, *.tfvars).
ParseResult parse(const SourceFile& file);

struct TemplateResult {
  std::vector<TemplatePart> parts;
  std::vector<Error> errors;
};

/// Parses a whole file as a template (what templatefile() reads): literal text with ${} and %{} sequences.
TemplateResult parse_template(const SourceFile& file);

}  // namespace gl::k8s::infra::hcl
