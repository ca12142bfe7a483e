#pragma once
// The lexer of Go's text/template (Go 1.19 parse/lex.go): actions between {{ and }}, trim markers,
// comments, strings, numbers, keywords. Also Go's string quoting helpers (strconv.Quote/Unquote), which
// the parser and the node printer need to reproduce Go's messages byte for byte.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gl::render::gotemplate {

enum class ItemType : uint8_t {
  kError,         ///< error occurred; value is text of error
  kBool,          ///< boolean constant
  kChar,          ///< printable ASCII character; grab bag for comma etc.
  kCharConstant,  ///< character constant
  kComment,       ///< comment text
  kComplex,       ///< complex constant (1+2i)
  kAssign,        ///< '='
  kDeclare,       ///< ':='
  kEof,
  kField,       ///< alphanumeric identifier starting with '.'
  kIdentifier,  ///< alphanumeric identifier not starting with '.'
  kLeftDelim,
  kLeftParen,
  kNumber,
  kPipe,
  kRawString,  ///< raw quoted string (includes quotes)
  kRightDelim,
  kRightParen,
  kSpace,
  kString,  ///< quoted string (includes quotes)
  kText,
  kVariable,  ///< '$', '$x'
  kKeyword,   ///< delimits the keywords below
  kBlock,
  kBreak,
  kContinue,
  kDot,
  kDefine,
  kElse,
  kEnd,
  kIf,
  kNil,
  kRange,
  kTemplate,
  kWith,
};

struct Item {
  ItemType type = ItemType::kError;
  uint32_t pos = 0;  ///< byte offset of the item in the input
  std::string val;
  int line = 0;  ///< 1-based line where the item starts
  /// Go's item.String() (used in "unexpected ..." parse errors).
  std::string str() const;
};

/// Lexes `input` entirely (the items Go's lexer would emit, ending with EOF or an error item).
std::vector<Item> lex_template(std::string_view input, bool break_ok, bool continue_ok);

/// strconv.Quote: a double-quoted Go string literal with Go's escapes.
std::string go_quote(std::string_view s);
/// strconv.Unquote for "..." and `...` literals; false on invalid syntax.
bool go_unquote(std::string_view s, std::string* out);
/// strconv.UnquoteChar: decodes one (possibly escaped) character of a literal quoted by `quote`.
/// Returns false on a syntax error; on success `*rune` and `*rest` are set.
bool go_unquote_char(std::string_view s, char quote, uint32_t* rune, bool* multibyte, std::string_view* rest);
/// Decodes one UTF-8 rune at the start of `s` (U+FFFD with width 1 when invalid); returns its width.
int decode_utf8(std::string_view s, uint32_t* rune);
/// Go's unicode.IsPrint approximation used for quoting (ASCII exact; non-ASCII: most letters/symbols).
bool go_is_print(uint32_t rune);
/// fmt's %#U: "U+0041 'A'" (or just "U+0007" when not printable).
std::string go_format_rune_u(uint32_t rune);

}  // namespace gl::render::gotemplate
