#include "render/helm/gotemplate/lex.h"

#include "core/strings.h"

#include <cstdio>

namespace gl::render::gotemplate {

namespace {

constexpr int32_t kEofRune = -1;
constexpr std::string_view kLeftDelim = "{{";
constexpr std::string_view kRightDelim = "}}";
constexpr std::string_view kLeftComment = "/*";
constexpr std::string_view kRightComment = "*/";
constexpr uint32_t kTrimMarkerLen = 2;

bool is_space(int32_t r) { return r == ' ' || r == '\t' || r == '\r' || r == '\n'; }

/// unicode.IsLetter, approximated for non-ASCII: letters of the common scripts count, the Latin-1
/// symbols, general punctuation and spaces do not.
bool is_letter(int32_t r) {
  if (r < 0) return false;
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  if (r < 0xC0) return r == 0xAA || r == 0xB5 || r == 0xBA;
  if (r == 0xD7 || r == 0xF7) return false;
  if (r >= 0x2000 && r <= 0x2BFF) return false;  // punctuation, symbols, arrows, math
  if (r >= 0x3000 && r <= 0x303F) return false;  // CJK symbols and punctuation
  if (r >= 0xFE00 && r <= 0xFE0F) return false;
  if (r == 0xFEFF || r == 0xFFFD) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;    // private use
  if (r >= 0x1F000 && r <= 0x1FAFF) return false;  // emoji and pictographs
  return true;
}

bool is_digit(int32_t r) { return r >= '0' && r <= '9'; }

bool is_alpha_numeric(int32_t r) { return r == '_' || is_letter(r) || is_digit(r); }

bool has_left_trim_marker(std::string_view s) { return s.size() >= 2 && s[0] == '-' && is_space(s[1]); }

bool has_right_trim_marker(std::string_view s) { return s.size() >= 2 && is_space(s[0]) && s[1] == '-'; }

size_t right_trim_length(std::string_view s) {
  size_t n = s.size();
  while (n > 0 && is_space(s[n - 1])) --n;
  return s.size() - n;
}

size_t left_trim_length(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && is_space(s[n])) ++n;
  return n;
}

bool contains_rune(std::string_view valid, int32_t r) {
  if (r < 0 || r >= 0x80) return false;
  return valid.find(static_cast<char>(r)) != std::string_view::npos;
}

size_t count_newlines(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

enum class State {
  kText,
  kLeftDelim,
  kComment,
  kRightDelim,
  kInsideAction,
  kSpace,
  kIdentifier,
  kField,
  kVariable,
  kChar,
  kNumber,
  kQuote,
  kRawQuote,
  kDone
};

class Lexer {
 public:
  Lexer(std::string_view input, bool break_ok, bool continue_ok)
      : input_(input), break_ok_(break_ok), continue_ok_(continue_ok) {}

  std::vector<Item> run() {
    State state = State::kText;
    while (state != State::kDone) state = step(state);
    return std::move(items_);
  }

 private:
  State step(State s) {
    switch (s) {
      case State::kText:
        return lex_text();
      case State::kLeftDelim:
        return lex_left_delim();
      case State::kComment:
        return lex_comment();
      case State::kRightDelim:
        return lex_right_delim();
      case State::kInsideAction:
        return lex_inside_action();
      case State::kSpace:
        return lex_space();
      case State::kIdentifier:
        return lex_identifier();
      case State::kField:
        return lex_field_or_variable(ItemType::kField);
      case State::kVariable:
        return lex_variable();
      case State::kChar:
        return lex_char();
      case State::kNumber:
        return lex_number();
      case State::kQuote:
        return lex_quote();
      case State::kRawQuote:
        return lex_raw_quote();
      case State::kDone:
        break;
    }
    return State::kDone;
  }

  int32_t next() {
    if (pos_ >= input_.size()) {
      at_eof_ = true;
      return kEofRune;
    }
    uint32_t r = 0;
    int w = decode_utf8(input_.substr(pos_), &r);
    last_width_ = w;
    pos_ += w;
    if (r == '\n') ++line_;
    return static_cast<int32_t>(r);
  }

  int32_t peek() {
    int32_t r = next();
    backup();
    return r;
  }

  void backup() {
    if (!at_eof_ && pos_ > 0) {
      pos_ -= last_width_;
      if (input_[pos_] == '\n') --line_;
    }
  }

  void emit(ItemType t) {
    items_.push_back(
        Item{t, static_cast<uint32_t>(start_), std::string(input_.substr(start_, pos_ - start_)), start_line_});
    start_ = pos_;
    start_line_ = line_;
  }

  void ignore() {
    line_ += static_cast<int>(count_newlines(input_.substr(start_, pos_ - start_)));
    start_ = pos_;
    start_line_ = line_;
  }

  bool accept(std::string_view valid) {
    if (contains_rune(valid, next())) return true;
    backup();
    return false;
  }

  void accept_run(std::string_view valid) {
    while (contains_rune(valid, next())) {
    }
    backup();
  }

  State errorf(std::string message) {
    items_.push_back(Item{ItemType::kError, static_cast<uint32_t>(start_), std::move(message), start_line_});
    return State::kDone;
  }

  std::string_view rest() const { return pos_ <= input_.size() ? input_.substr(pos_) : std::string_view(); }

  State lex_text() {
    size_t x = input_.find(kLeftDelim, pos_);
    if (x != std::string_view::npos) {
      size_t ldn = kLeftDelim.size();
      pos_ = x;
      size_t trim_length = 0;
      if (has_left_trim_marker(input_.substr(pos_ + ldn))) {
        trim_length = right_trim_length(input_.substr(start_, pos_ - start_));
      }
      pos_ -= trim_length;
      if (pos_ > start_) {
        line_ += static_cast<int>(count_newlines(input_.substr(start_, pos_ - start_)));
        emit(ItemType::kText);
      }
      pos_ += trim_length;
      ignore();
      return State::kLeftDelim;
    }
    pos_ = input_.size();
    if (pos_ > start_) {
      line_ += static_cast<int>(count_newlines(input_.substr(start_, pos_ - start_)));
      emit(ItemType::kText);
    }
    emit(ItemType::kEof);
    return State::kDone;
  }

  void at_right_delim(bool* delim, bool* trim_spaces) {
    std::string_view r = rest();
    if (has_right_trim_marker(r) && r.substr(kTrimMarkerLen).starts_with(kRightDelim)) {
      *delim = true;
      *trim_spaces = true;
      return;
    }
    *delim = r.starts_with(kRightDelim);
    *trim_spaces = false;
  }

  State lex_left_delim() {
    pos_ += kLeftDelim.size();
    bool trim_space = has_left_trim_marker(rest());
    size_t after_marker = trim_space ? kTrimMarkerLen : 0;
    if (input_.substr(pos_ + after_marker).starts_with(kLeftComment)) {
      pos_ += after_marker;
      ignore();
      return State::kComment;
    }
    emit(ItemType::kLeftDelim);
    pos_ += after_marker;
    ignore();
    paren_depth_ = 0;
    return State::kInsideAction;
  }

  State lex_comment() {
    pos_ += kLeftComment.size();
    size_t i = input_.find(kRightComment, pos_);
    if (i == std::string_view::npos) return errorf("unclosed comment");
    pos_ = i + kRightComment.size();
    bool delim = false;
    bool trim_space = false;
    at_right_delim(&delim, &trim_space);
    if (!delim) return errorf("comment ends before closing delimiter");
    if (trim_space) pos_ += kTrimMarkerLen;
    pos_ += kRightDelim.size();
    if (trim_space) pos_ += left_trim_length(rest());
    ignore();
    return State::kText;
  }

  State lex_right_delim() {
    bool trim_space = has_right_trim_marker(rest());
    if (trim_space) {
      pos_ += kTrimMarkerLen;
      ignore();
    }
    pos_ += kRightDelim.size();
    emit(ItemType::kRightDelim);
    if (trim_space) {
      pos_ += left_trim_length(rest());
      ignore();
    }
    return State::kText;
  }

  State lex_inside_action() {
    bool delim = false;
    bool trim = false;
    at_right_delim(&delim, &trim);
    if (delim) {
      if (paren_depth_ == 0) return State::kRightDelim;
      return errorf("unclosed left paren");
    }
    int32_t r = next();
    if (r == kEofRune) return errorf("unclosed action");
    if (is_space(r)) {
      backup();
      return State::kSpace;
    }
    switch (r) {
      case '=':
        emit(ItemType::kAssign);
        return State::kInsideAction;
      case ':':
        if (next() != '=') return errorf("expected :=");
        emit(ItemType::kDeclare);
        return State::kInsideAction;
      case '|':
        emit(ItemType::kPipe);
        return State::kInsideAction;
      case '"':
        return State::kQuote;
      case '`':
        return State::kRawQuote;
      case '$':
        return State::kVariable;
      case '\'':
        return State::kChar;
      case '(':
        emit(ItemType::kLeftParen);
        ++paren_depth_;
        return State::kInsideAction;
      case ')':
        emit(ItemType::kRightParen);
        --paren_depth_;
        if (paren_depth_ < 0) return errorf("unexpected right paren " + go_format_rune_u(r));
        return State::kInsideAction;
      default:
        break;
    }
    if (r == '.') {
      if (pos_ < input_.size()) {
        char c = input_[pos_];
        if (c < '0' || c > '9') return State::kField;
      }
      backup();
      return State::kNumber;
    }
    if (r == '+' || r == '-' || is_digit(r)) {
      backup();
      return State::kNumber;
    }
    if (is_alpha_numeric(r)) {
      backup();
      return State::kIdentifier;
    }
    if (r < 0x80 && r >= 0x20 && r < 0x7F) {
      emit(ItemType::kChar);
      return State::kInsideAction;
    }
    return errorf("unrecognized character in action: " + go_format_rune_u(static_cast<uint32_t>(r)));
  }

  State lex_space() {
    int num_spaces = 0;
    while (true) {
      int32_t r = peek();
      if (!is_space(r)) break;
      next();
      ++num_spaces;
    }
    std::string_view before = input_.substr(pos_ - 1);
    if (has_right_trim_marker(before) && before.substr(kTrimMarkerLen).starts_with(kRightDelim)) {
      backup();
      if (num_spaces == 1) return State::kRightDelim;
    }
    emit(ItemType::kSpace);
    return State::kInsideAction;
  }

  bool at_terminator() {
    int32_t r = peek();
    if (is_space(r)) return true;
    switch (r) {
      case kEofRune:
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(':
        return true;
      default:
        break;
    }
    return rest().starts_with(kRightDelim);
  }

  State lex_identifier() {
    while (true) {
      int32_t r = next();
      if (is_alpha_numeric(r)) continue;
      backup();
      std::string_view word = input_.substr(start_, pos_ - start_);
      if (!at_terminator()) return errorf("bad character " + go_format_rune_u(static_cast<uint32_t>(r)));
      ItemType kw = keyword(word);
      if (kw != ItemType::kError) {
        if ((kw == ItemType::kBreak && !break_ok_) || (kw == ItemType::kContinue && !continue_ok_)) {
          emit(ItemType::kIdentifier);
        } else {
          emit(kw);
        }
      } else if (word[0] == '.') {
        emit(ItemType::kField);
      } else if (word == "true" || word == "false") {
        emit(ItemType::kBool);
      } else {
        emit(ItemType::kIdentifier);
      }
      return State::kInsideAction;
    }
  }

  static ItemType keyword(std::string_view w) {
    if (w == ".") return ItemType::kDot;
    if (w == "block") return ItemType::kBlock;
    if (w == "break") return ItemType::kBreak;
    if (w == "continue") return ItemType::kContinue;
    if (w == "define") return ItemType::kDefine;
    if (w == "else") return ItemType::kElse;
    if (w == "end") return ItemType::kEnd;
    if (w == "if") return ItemType::kIf;
    if (w == "range") return ItemType::kRange;
    if (w == "nil") return ItemType::kNil;
    if (w == "template") return ItemType::kTemplate;
    if (w == "with") return ItemType::kWith;
    return ItemType::kError;
  }

  State lex_variable() {
    if (at_terminator()) {
      emit(ItemType::kVariable);
      return State::kInsideAction;
    }
    return lex_field_or_variable(ItemType::kVariable);
  }

  State lex_field_or_variable(ItemType typ) {
    if (at_terminator()) {
      emit(typ == ItemType::kVariable ? ItemType::kVariable : ItemType::kDot);
      return State::kInsideAction;
    }
    int32_t r = 0;
    while (true) {
      r = next();
      if (!is_alpha_numeric(r)) {
        backup();
        break;
      }
    }
    if (!at_terminator()) return errorf("bad character " + go_format_rune_u(static_cast<uint32_t>(r)));
    emit(typ);
    return State::kInsideAction;
  }

  State lex_char() {
    while (true) {
      int32_t r = next();
      if (r == '\\') {
        int32_t r2 = next();
        if (r2 != kEofRune && r2 != '\n') continue;
        return errorf("unterminated character constant");
      }
      if (r == kEofRune || r == '\n') return errorf("unterminated character constant");
      if (r == '\'') break;
    }
    emit(ItemType::kCharConstant);
    return State::kInsideAction;
  }

  State lex_number() {
    if (!scan_number()) return errorf("bad number syntax: " + go_quote(input_.substr(start_, pos_ - start_)));
    int32_t sign = peek();
    if (sign == '+' || sign == '-') {
      if (!scan_number() || input_[pos_ - 1] != 'i') {
        return errorf("bad number syntax: " + go_quote(input_.substr(start_, pos_ - start_)));
      }
      emit(ItemType::kComplex);
    } else {
      emit(ItemType::kNumber);
    }
    return State::kInsideAction;
  }

  bool scan_number() {
    accept("+-");
    std::string_view digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    accept_run(digits);
    if (accept(".")) accept_run(digits);
    if (digits.size() == 10 + 1 && accept("eE")) {
      accept("+-");
      accept_run("0123456789_");
    }
    if (digits.size() == 16 + 6 + 1 && accept("pP")) {
      accept("+-");
      accept_run("0123456789_");
    }
    accept("i");
    if (is_alpha_numeric(peek())) {
      next();
      return false;
    }
    return true;
  }

  State lex_quote() {
    while (true) {
      int32_t r = next();
      if (r == '\\') {
        int32_t r2 = next();
        if (r2 != kEofRune && r2 != '\n') continue;
        return errorf("unterminated quoted string");
      }
      if (r == kEofRune || r == '\n') return errorf("unterminated quoted string");
      if (r == '"') break;
    }
    emit(ItemType::kString);
    return State::kInsideAction;
  }

  State lex_raw_quote() {
    while (true) {
      int32_t r = next();
      if (r == kEofRune) return errorf("unterminated raw quoted string");
      if (r == '`') break;
    }
    emit(ItemType::kRawString);
    return State::kInsideAction;
  }

  std::string_view input_;
  bool break_ok_;
  bool continue_ok_;
  size_t pos_ = 0;
  size_t start_ = 0;
  bool at_eof_ = false;
  int last_width_ = 1;
  int paren_depth_ = 0;
  int line_ = 1;
  int start_line_ = 1;
  std::vector<Item> items_;
};

void append_hex(std::string& out, uint32_t v, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out.push_back(kHex[(v >> (4 * i)) & 0xF]);
}

}  // namespace

std::string Item::str() const {
  if (type == ItemType::kEof) return "EOF";
  if (type == ItemType::kError) return val;
  if (type > ItemType::kKeyword) return "<" + val + ">";
  // %.10q: at most 10 runes, quoted, then "...".
  size_t runes = 0;
  size_t i = 0;
  while (i < val.size() && runes < 10) {
    uint32_t r = 0;
    i += decode_utf8(std::string_view(val).substr(i), &r);
    ++runes;
  }
  if (i < val.size()) return go_quote(std::string_view(val).substr(0, i)) + "...";
  return go_quote(val);
}

std::vector<Item> lex_template(std::string_view input, bool break_ok, bool continue_ok) {
  return Lexer(input, break_ok, continue_ok).run();
}

int decode_utf8(std::string_view s, uint32_t* rune) {
  if (s.empty()) {
    *rune = 0xFFFD;
    return 0;
  }
  auto b = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  uint8_t c = b(0);
  if (c < 0x80) {
    *rune = c;
    return 1;
  }
  auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF && cont(1)) {
    *rune = ((c & 0x1Fu) << 6) | (b(1) & 0x3Fu);
    return 2;
  }
  if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
    uint32_t r = ((c & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
    if (r >= 0x800 && (r < 0xD800 || r > 0xDFFF)) {
      *rune = r;
      return 3;
    }
  }
  if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    uint32_t r = ((c & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
    if (r >= 0x10000 && r <= 0x10FFFF) {
      *rune = r;
      return 4;
    }
  }
  *rune = 0xFFFD;
  return 1;
}


bool go_is_print(uint32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  if (r < 0xA0 || r == 0xAD) return false;
  if (r >= 0x2000 && r <= 0x200F) return false;  // spaces and format characters
  if (r >= 0x2028 && r <= 0x202F) return false;
  if (r >= 0x2060 && r <= 0x206F) return false;
  if (r >= 0xD800 && r <= 0xDFFF) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;
  if (r == 0xFEFF || (r >= 0xFFF0 && r <= 0xFFFB) || r == 0xFFFE || r == 0xFFFF) return false;
  if (r == 0x3000) return false;
  return r <= 0x10FFFF;
}

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    uint32_t r = 0;
    int w = decode_utf8(s.substr(i), &r);
    if (w == 1 && r == 0xFFFD) {
      out += "\\x";
      append_hex(out, static_cast<uint8_t>(s[i]), 2);
      i += 1;
      continue;
    }
    i += w;
    if (r == '"' || r == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
      continue;
    }
    if (go_is_print(r)) {
      gl::append_utf8(out, r);
      continue;
    }
    switch (r) {
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (r < ' ' || r == 0x7F) {
          out += "\\x";
          append_hex(out, r, 2);
        } else if (r < 0x10000) {
          out += "\\u";
          append_hex(out, r, 4);
        } else {
          out += "\\U";
          append_hex(out, r, 8);
        }
    }
  }
  out.push_back('"');
  return out;
}

bool go_unquote_char(std::string_view s, char quote, uint32_t* rune, bool* multibyte, std::string_view* rest) {
  *multibyte = false;
  if (s.empty()) return false;
  auto c = static_cast<uint8_t>(s[0]);
  if (c == static_cast<uint8_t>(quote) && (quote == '\'' || quote == '"')) return false;
  if (c >= 0x80) {
    int w = decode_utf8(s, rune);
    *multibyte = true;
    *rest = s.substr(w);
    return true;
  }
  if (c != '\\') {
    *rune = c;
    *rest = s.substr(1);
    return true;
  }
  if (s.size() <= 1) return false;
  char e = s[1];
  s = s.substr(2);
  uint32_t v = 0;
  switch (e) {
    case 'a':
      v = '\a';
      break;
    case 'b':
      v = '\b';
      break;
    case 'f':
      v = '\f';
      break;
    case 'n':
      v = '\n';
      break;
    case 'r':
      v = '\r';
      break;
    case 't':
      v = '\t';
      break;
    case 'v':
      v = '\v';
      break;
    case 'x':
    case 'u':
    case 'U': {
      size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (s.size() < n) return false;
      for (size_t j = 0; j < n; ++j) {
        char h = s[j];
        uint32_t x = 0;
        if (h >= '0' && h <= '9') {
          x = h - '0';
        } else if (h >= 'a' && h <= 'f') {
          x = h - 'a' + 10;
        } else if (h >= 'A' && h <= 'F') {
          x = h - 'A' + 10;
        } else {
          return false;
        }
        v = (v << 4) | x;
      }
      s = s.substr(n);
      if (e != 'x') {
        if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
        *multibyte = true;
      }
      break;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      v = e - '0';
      if (s.size() < 2) return false;
      for (size_t j = 0; j < 2; ++j) {
        int x = s[j] - '0';
        if (x < 0 || x > 7) return false;
        v = (v << 3) | x;
      }
      s = s.substr(2);
      if (v > 255) return false;
      break;
    }
    case '\\':
      v = '\\';
      break;
    case '\'':
    case '"':
      if (e != quote) return false;
      v = static_cast<uint8_t>(e);
      break;
    default:
      return false;
  }
  *rune = v;
  *rest = s;
  return true;
}

bool go_unquote(std::string_view in, std::string* out) {
  out->clear();
  if (in.size() < 2) return false;
  char quote = in[0];
  if (in.back() != quote) return false;
  std::string_view body = in.substr(1, in.size() - 2);
  if (quote == '`') {
    if (body.find('`') != std::string_view::npos) return false;
    for (char c : body) {
      if (c != '\r') out->push_back(c);
    }
    return true;
  }
  if (quote != '"' && quote != '\'') return false;
  std::string_view s = body;
  while (!s.empty()) {
    if (s[0] == '\n') return false;
    uint32_t r = 0;
    bool mb = false;
    std::string_view rest;
    if (!go_unquote_char(s, quote, &r, &mb, &rest)) return false;
    s = rest;
    if (r < 0x80 || !mb) {
      out->push_back(static_cast<char>(r));
    } else {
      gl::append_utf8(*out, r);
    }
    if (quote == '\'' && !s.empty()) return false;
  }
  return !(quote == '\'' && body.empty());
}

std::string go_format_rune_u(uint32_t r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "U+%04X", r);
  std::string out = buf;
  if (go_is_print(r)) {
    out += " '";
    gl::append_utf8(out, r);
    out += "'";
  }
  return out;
}

}  // namespace gl::render::gotemplate
