#include "k8s/infra/hcl.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include <fmt/format.h>

#include "core/strings.h"

namespace gl::k8s::infra::hcl {
namespace {

constexpr size_t kMaxErrors = 20;
/// Longest chain of operators or traversal steps (each one deepens the tree the evaluator walks).
constexpr size_t kMaxChain = 1000;

bool ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '-'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

enum class TemplateMode : uint8_t { kQuoted, kHeredoc, kFile };

class Parser {
 public:
  explicit Parser(const SourceFile& file) : file_(file), s_(file.text()) {}

  ParseResult parse_file() {
    ParseResult out;
    while (true) {
      Body part = parse_body(true, 0);
      for (auto& a : part.attributes) out.body.attributes.push_back(std::move(a));
      for (auto& b : part.blocks) out.body.blocks.push_back(std::move(b));
      if (!failed_) break;
      out.errors.push_back(error_);
      if (fatal_) break;  // past the depth limit: the rest is more of the same
      if (out.errors.size() >= kMaxErrors) {
        out.errors.push_back(Error{pos_, "too many syntax errors; the rest of the file is skipped"});
        break;
      }
      resync();
    }
    return out;
  }

  TemplateResult parse_template_file() {
    TemplateResult out;
    out.parts = template_parts(TemplateMode::kFile, s_.size(), 0);
    if (failed_) out.errors.push_back(error_);
    return out;
  }

 private:
  const SourceFile& file_;
  std::string_view s_;
  size_t pos_ = 0;
  size_t depth_ = 0;
  int newline_ok_ = 0;
  bool failed_ = false;
  bool fatal_ = false;
  Error error_;

  char peek(size_t k = 0) const { return pos_ + k < s_.size() ? s_[pos_ + k] : '\0'; }
  bool at_end() const { return pos_ >= s_.size(); }
  bool starts(std::string_view t) const { return s_.substr(pos_, t.size()) == t; }

  /// What is at the current position, for messages.
  std::string found() const {
    if (at_end()) return "end of file";
    const char c = s_[pos_];
    if (c == '\n') return "a newline";
    if (static_cast<unsigned char>(c) < 0x20) return fmt::format("byte 0x{:02x}", static_cast<unsigned>(c));
    return fmt::format("`{}`", c);
  }

  std::nullptr_t fail(std::string message, size_t at) {
    if (!failed_) {
      failed_ = true;
      error_ = Error{at, std::move(message)};
    }
    return nullptr;
  }

  /// Skips to the next line that starts (column 1) with an identifier, after the error.
  void resync() {
    failed_ = false;
    depth_ = 0;
    newline_ok_ = 0;
    size_t p = std::max(pos_, error_.offset);
    while (true) {
      const size_t nl = s_.find('\n', p);
      if (nl == std::string_view::npos) {
        pos_ = s_.size();
        return;
      }
      p = nl + 1;
      if (p < s_.size() && ident_start(s_[p])) {
        pos_ = p;
        return;
      }
    }
  }

  void skip_space(bool newlines) {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == '\n') {
        if (!newlines) return;
        ++pos_;
      } else if (c == '#' || (c == '/' && peek(1) == '/')) {
        const size_t nl = s_.find('\n', pos_);
        pos_ = nl == std::string_view::npos ? s_.size() : nl;
      } else if (c == '/' && peek(1) == '*') {
        const size_t close = s_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) {
          fail("comment `/*` is not closed", pos_);
          pos_ = s_.size();
          return;
        }
        pos_ = close + 2;
      } else {
        return;
      }
    }
  }
  void ws() { skip_space(newline_ok_ > 0); }

  std::string ident() {
    const size_t start = pos_;
    while (pos_ < s_.size() && ident_char(s_[pos_])) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }

  bool enter(size_t at) {
    if (++depth_ > kMaxDepth) {
      fail(fmt::format("nesting deeper than {} levels", kMaxDepth), at);
      fatal_ = true;
      return false;
    }
    return true;
  }

  // ---- bodies ----

  Body parse_body(bool top, size_t open_at) {
    Body body;
    while (!failed_) {
      skip_space(true);
      if (failed_) break;
      if (at_end()) {
        if (!top) fail("`{` is not closed", open_at);
        break;
      }
      if (peek() == '}') {
        if (top) {
          fail("unexpected `}`", pos_);
          break;
        }
        ++pos_;
        break;
      }
      const size_t start = pos_;
      if (!ident_start(peek())) {
        fail(fmt::format("expected an attribute or a block, found {}", found()), pos_);
        break;
      }
      std::string name = ident();
      skip_space(false);
      if (peek() == '=' && peek(1) != '=') {
        ++pos_;
        ExprPtr value = parse_expr();
        if (failed_) break;
        skip_space(false);
        if (!(at_end() || peek() == '\n' || (!top && peek() == '}'))) {
          fail(fmt::format("expected a newline after the value of `{}`, found {}", name, found()), pos_);
          break;
        }
        body.attributes.push_back(Attribute{std::move(name), std::move(value), &file_, start});
        continue;
      }
      Block block;
      block.type = std::move(name);
      block.file = &file_;
      block.offset = start;
      while (!failed_ && peek() != '{') {
        if (peek() == '"') {
          block.labels.push_back(quoted_label());
        } else if (ident_start(peek())) {
          block.labels.push_back(ident());
        } else {
          fail(fmt::format("expected `=` or a block after `{}`, found {}", block.type, found()), pos_);
        }
        skip_space(false);
      }
      if (failed_) break;
      const size_t open = pos_++;
      if (!enter(open)) break;
      block.body = parse_body(false, open);
      --depth_;
      if (failed_) break;
      body.blocks.push_back(std::move(block));
    }
    return body;
  }

  std::string quoted_label() {
    const size_t start = pos_++;
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      if (s_[pos_] == '\n') {
        fail("string is not closed", start);
        return out;
      }
      if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
      out += s_[pos_++];
    }
    if (at_end()) {
      fail("string is not closed", start);
      return out;
    }
    ++pos_;
    return out;
  }

  // ---- expressions ----

  ExprPtr make(Expr::Kind kind, size_t start) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->file = &file_;
    e->offset = start;
    e->end = pos_;
    return e;
  }

  ExprPtr parse_expr() {
    const size_t start = pos_;
    if (!enter(start)) return nullptr;
    ExprPtr e = parse_cond();
    --depth_;
    return e;
  }

  ExprPtr parse_cond() {
    ws();
    const size_t start = pos_;
    ExprPtr cond = parse_binary(0);
    if (failed_) return nullptr;
    ws();
    if (peek() != '?') return cond;
    ++pos_;
    ExprPtr then_value = parse_expr();
    if (failed_) return nullptr;
    ws();
    if (peek() != ':') return fail(fmt::format("expected `:` in a conditional, found {}", found()), pos_);
    ++pos_;
    ExprPtr else_value = parse_expr();
    if (failed_) return nullptr;
    auto e = make(Expr::Kind::kCond, start);
    e->a = std::move(cond);
    e->b = std::move(then_value);
    e->c = std::move(else_value);
    return e;
  }

  std::string binary_op(int level) {
    static const std::vector<std::vector<std::string_view>> kOps = {
        {"||"}, {"&&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"+", "-"}, {"*", "/", "%"}};
    for (std::string_view op : kOps[static_cast<size_t>(level)]) {
      if (!starts(op)) continue;
      // `=>` of a for-object and `...` of calls are not operators; a lone `<` followed by `<` is a heredoc.
      if (op == ">" && peek(1) == '=') continue;
      if (op == "*" && peek(1) == ']') continue;
      return std::string(op);
    }
    return {};
  }

  ExprPtr parse_binary(int level) {
    if (level > 5) return parse_unary();
    const size_t start = pos_;
    ExprPtr left = parse_binary(level + 1);
    size_t steps = 0;
    while (!failed_) {
      ws();
      std::string op = binary_op(level);
      if (op.empty()) break;
      if (++steps > kMaxChain) return fail(fmt::format("more than {} operators in a row", kMaxChain), pos_);
      pos_ += op.size();
      ExprPtr right = parse_binary(level + 1);
      if (failed_) return nullptr;
      auto e = make(Expr::Kind::kBinary, start);
      e->name = std::move(op);
      e->a = std::move(left);
      e->b = std::move(right);
      left = std::move(e);
    }
    return failed_ ? nullptr : std::move(left);
  }

  ExprPtr parse_unary() {
    ws();
    const size_t start = pos_;
    if ((peek() == '!' && peek(1) != '=') || peek() == '-') {
      const char op = peek();
      ++pos_;
      if (!enter(start)) return nullptr;
      ExprPtr operand = parse_unary();
      --depth_;
      if (failed_) return nullptr;
      auto e = make(Expr::Kind::kUnary, start);
      e->name = std::string(1, op);
      e->a = std::move(operand);
      return e;
    }
    return parse_postfix();
  }

  ExprPtr parse_postfix() {
    const size_t start = pos_;
    ExprPtr e = parse_primary();
    size_t steps = 0;
    while (!failed_) {
      if (++steps > kMaxChain)
        return fail(fmt::format("more than {} attribute or index steps in a row", kMaxChain), pos_);
      if (peek() == '.' && peek(1) == '*') {
        pos_ += 2;
        auto s = make(Expr::Kind::kSplat, start);
        s->a = std::move(e);
        e = std::move(s);
      } else if (peek() == '.' && ident_start(peek(1))) {
        ++pos_;
        auto g = make(Expr::Kind::kGetAttr, start);
        g->name = ident();
        g->end = pos_;
        g->a = std::move(e);
        e = std::move(g);
      } else if (peek() == '.' && digit(peek(1))) {
        ++pos_;
        const size_t n = pos_;
        while (digit(peek())) ++pos_;
        auto idx = make(Expr::Kind::kNumber, n);
        idx->number = std::strtod(std::string(s_.substr(n, pos_ - n)).c_str(), nullptr);
        auto g = make(Expr::Kind::kIndex, start);
        g->a = std::move(e);
        g->b = std::move(idx);
        e = std::move(g);
      } else if (peek() == '[') {
        ++pos_;
        ++newline_ok_;
        ws();
        if (peek() == '*') {
          ++pos_;
          ws();
          if (peek() != ']') return fail(fmt::format("expected `]` after `[*`, found {}", found()), pos_);
          ++pos_;
          --newline_ok_;
          auto s = make(Expr::Kind::kSplat, start);
          s->a = std::move(e);
          e = std::move(s);
          continue;
        }
        ExprPtr key = parse_expr();
        if (failed_) return nullptr;
        ws();
        if (peek() != ']') return fail(fmt::format("expected `]` after an index, found {}", found()), pos_);
        ++pos_;
        --newline_ok_;
        auto g = make(Expr::Kind::kIndex, start);
        g->a = std::move(e);
        g->b = std::move(key);
        e = std::move(g);
      } else {
        break;
      }
    }
    return failed_ ? nullptr : std::move(e);
  }

  ExprPtr parse_primary() {
    ws();
    const size_t start = pos_;
    const char c = peek();
    if (digit(c)) return parse_number();
    if (c == '"') {
      ++pos_;
      auto e = make(Expr::Kind::kTemplate, start);
      e->parts = template_parts(TemplateMode::kQuoted, s_.size(), 0);
      if (failed_) return nullptr;
      if (peek() != '"') return fail("string is not closed", start);
      ++pos_;
      e->end = pos_;
      return e;
    }
    if (c == '<' && peek(1) == '<') return parse_heredoc();
    if (c == '[') return parse_tuple();
    if (c == '{') return parse_object();
    if (c == '(') {
      ++pos_;
      ++newline_ok_;
      ExprPtr inner = parse_expr();
      if (failed_) return nullptr;
      ws();
      if (peek() != ')') return fail(fmt::format("expected `)`, found {}", found()), pos_);
      ++pos_;
      --newline_ok_;
      auto e = make(Expr::Kind::kParens, start);
      e->a = std::move(inner);
      return e;
    }
    if (ident_start(c)) {
      std::string name = ident();
      while (peek() == ':' && peek(1) == ':' && ident_start(peek(2))) {
        pos_ += 2;
        name += "::" + ident();
      }
      if (name == "true" || name == "false") {
        auto e = make(Expr::Kind::kBool, start);
        e->boolean = name == "true";
        return e;
      }
      if (name == "null") return make(Expr::Kind::kNull, start);
      const size_t after = pos_;
      skip_space(false);
      if (peek() == '(') return parse_call(std::move(name), start);
      pos_ = after;
      auto e = make(Expr::Kind::kVariable, start);
      e->name = std::move(name);
      return e;
    }
    return fail(fmt::format("expected an expression, found {}", found()), pos_);
  }

  ExprPtr parse_number() {
    const size_t start = pos_;
    while (digit(peek())) ++pos_;
    if (peek() == '.' && digit(peek(1))) {
      ++pos_;
      while (digit(peek())) ++pos_;
    }
    if ((peek() == 'e' || peek() == 'E') &&
        (digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && digit(peek(2))))) {
      pos_ += 2;
      while (digit(peek())) ++pos_;
    }
    auto e = make(Expr::Kind::kNumber, start);
    e->number = std::strtod(std::string(s_.substr(start, pos_ - start)).c_str(), nullptr);
    return e;
  }

  ExprPtr parse_call(std::string name, size_t start) {
    ++pos_;  // (
    ++newline_ok_;
    auto e = make(Expr::Kind::kCall, start);
    e->name = std::move(name);
    while (!failed_) {
      ws();
      if (peek() == ')') break;
      e->items.push_back(parse_expr());
      if (failed_) return nullptr;
      ws();
      if (starts("...")) {
        pos_ += 3;
        e->expand_last = true;
        ws();
      }
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != ')')
        return fail(fmt::format("expected `,` or `)` in a call of `{}`, found {}", e->name, found()), pos_);
    }
    if (failed_) return nullptr;
    ++pos_;
    --newline_ok_;
    e->end = pos_;
    return e;
  }

  bool keyword(std::string_view word) {
    if (!starts(word) || ident_char(peek(word.size()))) return false;
    pos_ += word.size();
    return true;
  }

  /// `for k, v in coll :` (after `[` or `{`); fills the variables and the collection.
  bool for_head(Expr& e) {
    ws();
    if (!ident_start(peek()))
      return fail(fmt::format("expected a variable after `for`, found {}", found()), pos_), false;
    std::string first = ident();
    ws();
    if (peek() == ',') {
      ++pos_;
      ws();
      if (!ident_start(peek())) return fail("expected a second variable after `,`", pos_), false;
      e.key_var = std::move(first);
      e.value_var = ident();
    } else {
      e.value_var = std::move(first);
    }
    ws();
    if (!keyword("in")) return fail(fmt::format("expected `in` in a for expression, found {}", found()), pos_), false;
    e.a = parse_expr();
    if (failed_) return false;
    ws();
    if (peek() != ':') return fail(fmt::format("expected `:` in a for expression, found {}", found()), pos_), false;
    ++pos_;
    return true;
  }

  ExprPtr parse_tuple() {
    const size_t start = pos_++;
    ++newline_ok_;
    ws();
    if (keyword("for")) {
      auto e = make(Expr::Kind::kForTuple, start);
      if (!for_head(*e)) return nullptr;
      e->b = parse_expr();
      if (failed_) return nullptr;
      ws();
      if (keyword("if")) {
        e->d = parse_expr();
        if (failed_) return nullptr;
        ws();
      }
      if (peek() != ']') return fail(fmt::format("expected `]` to close a for expression, found {}", found()), pos_);
      ++pos_;
      --newline_ok_;
      e->end = pos_;
      return e;
    }
    auto e = make(Expr::Kind::kTuple, start);
    while (!failed_) {
      ws();
      if (peek() == ']') break;
      e->items.push_back(parse_expr());
      if (failed_) return nullptr;
      ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != ']') return fail(fmt::format("expected `,` or `]` in a list, found {}", found()), pos_);
    }
    if (failed_) return nullptr;
    ++pos_;
    --newline_ok_;
    e->end = pos_;
    return e;
  }

  ExprPtr parse_object() {
    const size_t start = pos_++;
    const int saved = newline_ok_;
    newline_ok_ = 0;
    skip_space(true);
    if (keyword("for")) {
      newline_ok_ = 1;
      auto e = make(Expr::Kind::kForObject, start);
      if (!for_head(*e)) return nullptr;
      e->b = parse_expr();
      if (failed_) return nullptr;
      ws();
      if (!starts("=>")) return fail(fmt::format("expected `=>` in a for expression, found {}", found()), pos_);
      pos_ += 2;
      e->c = parse_expr();
      if (failed_) return nullptr;
      ws();
      if (starts("...")) {
        pos_ += 3;
        e->grouping = true;
        ws();
      }
      if (keyword("if")) {
        e->d = parse_expr();
        if (failed_) return nullptr;
        ws();
      }
      if (peek() != '}') return fail(fmt::format("expected `}}` to close a for expression, found {}", found()), pos_);
      ++pos_;
      newline_ok_ = saved;
      e->end = pos_;
      return e;
    }
    auto e = make(Expr::Kind::kObject, start);
    while (!failed_) {
      skip_space(true);
      if (failed_) return nullptr;
      if (peek() == '}') break;
      const size_t key_start = pos_;
      ExprPtr key;
      if (ident_start(peek())) {
        std::string name = ident();
        const size_t after = pos_;
        skip_space(false);
        if (peek() == '=' || peek() == ':') {
          key = make(Expr::Kind::kTemplate, key_start);
          TemplatePart lit;
          lit.text = std::move(name);
          lit.offset = key_start;
          key->parts.push_back(std::move(lit));
          key->end = after;
        } else {
          pos_ = key_start;
        }
      }
      if (!key) key = parse_expr();
      if (failed_) return nullptr;
      skip_space(false);
      if ((peek() != '=' && peek() != ':') || peek(1) == '=') {
        return fail(fmt::format("expected `=` or `:` after an object key, found {}", found()), pos_);
      }
      ++pos_;
      ExprPtr value = parse_expr();
      if (failed_) return nullptr;
      e->keys.push_back(std::move(key));
      e->items.push_back(std::move(value));
      skip_space(false);
      if (peek() == ',') {
        ++pos_;
      } else if (peek() != '\n' && peek() != '}') {
        return fail(fmt::format("expected `,`, a newline or `}}` after an object item, found {}", found()), pos_);
      }
    }
    if (failed_) return nullptr;
    ++pos_;
    newline_ok_ = saved;
    e->end = pos_;
    return e;
  }

  ExprPtr parse_heredoc() {
    const size_t start = pos_;
    pos_ += 2;
    const bool indented = peek() == '-';
    if (indented) ++pos_;
    if (!ident_start(peek())) return fail("expected a heredoc marker after `<<`", pos_);
    const std::string marker = ident();
    while (peek() == ' ' || peek() == '\t' || peek() == '\r') ++pos_;
    if (peek() != '\n') return fail(fmt::format("expected a newline after the heredoc marker `{}`", marker), pos_);
    ++pos_;
    const size_t content = pos_;
    // Find the closing marker: a line holding only the marker (leading spaces allowed).
    size_t line = content;
    size_t close_line = std::string_view::npos;
    size_t close_end = 0;
    while (line <= s_.size()) {
      size_t nl = s_.find('\n', line);
      if (nl == std::string_view::npos) nl = s_.size();
      std::string_view text = s_.substr(line, nl - line);
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      if (trim(text) == marker) {
        close_line = line;
        close_end = nl;
        break;
      }
      if (nl >= s_.size()) break;
      line = nl + 1;
    }
    if (close_line == std::string_view::npos) return fail(fmt::format("heredoc `{}` is not closed", marker), start);
    size_t indent = 0;
    if (indented) {
      indent = std::string_view::npos;
      for (size_t p = content; p < close_line;) {
        size_t nl = s_.find('\n', p);
        if (nl == std::string_view::npos || nl > close_line) nl = close_line;
        size_t k = p;
        while (k < nl && (s_[k] == ' ' || s_[k] == '\t')) ++k;
        if (k < nl && s_[k] != '\r') indent = std::min(indent, k - p);
        p = nl + 1;
      }
      if (indent == std::string_view::npos) indent = 0;
    }
    auto e = make(Expr::Kind::kTemplate, start);
    e->parts = template_parts(TemplateMode::kHeredoc, close_line, indent);
    if (failed_) return nullptr;
    pos_ = close_end;
    e->end = pos_;
    return e;
  }

  // ---- templates ----

  struct Frame {
    TemplatePart part;
    bool in_else = false;
    size_t at = 0;
  };

  std::vector<TemplatePart>& target(std::vector<TemplatePart>& out, std::vector<Frame>& stack) {
    if (stack.empty()) return out;
    Frame& f = stack.back();
    return f.in_else ? f.part.else_parts : f.part.then_parts;
  }

  static void add_literal(std::vector<TemplatePart>& to, std::string text, size_t offset, bool exact) {
    if (text.empty()) return;
    TemplatePart p;
    p.text = std::move(text);
    p.offset = offset;
    p.exact = exact;
    to.push_back(std::move(p));
  }

  std::vector<TemplatePart> template_parts(TemplateMode mode, size_t end, size_t indent) {
    std::vector<TemplatePart> out;
    std::vector<Frame> stack;
    std::string lit;
    size_t lit_at = pos_;
    auto flush = [&]() {
      add_literal(target(out, stack), std::move(lit), lit_at, true);
      lit.clear();
    };
    auto skip_indent = [&]() {
      for (size_t k = 0; k < indent && pos_ < end && (s_[pos_] == ' ' || s_[pos_] == '\t'); ++k) ++pos_;
    };
    if (indent > 0) skip_indent();
    while (!failed_ && pos_ < end) {
      const char c = s_[pos_];
      if (mode == TemplateMode::kQuoted) {
        if (c == '"') break;
        if (c == '\n') return fail("string is not closed", pos_), std::vector<TemplatePart>{};
        if (c == '\\') {
          flush();
          const size_t at = pos_;
          std::string decoded = escape();
          add_literal(target(out, stack), std::move(decoded), at, false);
          lit_at = pos_;
          continue;
        }
      }
      if ((c == '$' || c == '%') && peek(1) == c && peek(2) == '{') {
        flush();
        add_literal(target(out, stack), std::string(1, c) + "{", pos_, false);
        pos_ += 3;
        lit_at = pos_;
        continue;
      }
      if ((c == '$' || c == '%') && peek(1) == '{') {
        flush();
        sequence(out, stack, c == '%');
        lit_at = pos_;
        continue;
      }
      if (lit.empty()) lit_at = pos_;
      lit += c;
      ++pos_;
      if (c == '\n' && indent > 0) {
        flush();
        skip_indent();
        lit_at = pos_;
      }
    }
    if (failed_) return {};
    flush();
    if (!stack.empty()) {
      fail(fmt::format("`%{{{}}}` is not closed", stack.back().part.kind == TemplatePart::Kind::kIf ? "if" : "for"),
           stack.back().at);
      return {};
    }
    return out;
  }

  std::string escape() {
    const size_t at = pos_;
    ++pos_;
    const char c = peek();
    ++pos_;
    switch (c) {
      case 'n':
        return "\n";
      case 'r':
        return "\r";
      case 't':
        return "\t";
      case '"':
        return "\"";
      case '\\':
        return "\\";
      case 'u':
      case 'U': {
        const size_t n = c == 'u' ? 4 : 8;
        std::string hex(s_.substr(pos_, n));
        if (hex.size() != n || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
          fail("invalid unicode escape", at);
          return {};
        }
        pos_ += n;
        std::string out;
        append_utf8(out, static_cast<char32_t>(std::strtoul(hex.c_str(), nullptr, 16)));
        return out;
      }
      default:
        fail(fmt::format("invalid escape `\\{}`", c), at);
        return {};
    }
  }

  /// `${ expr }` or `%{ directive }` at pos_.
  void sequence(std::vector<TemplatePart>& out, std::vector<Frame>& stack, bool directive) {
    const size_t start = pos_;
    pos_ += 2;
    if (peek() == '~') {
      ++pos_;
      auto& to = target(out, stack);
      if (!to.empty() && to.back().kind == TemplatePart::Kind::kLiteral) {
        std::string& t = to.back().text;
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\n' || t.back() == '\r'))
          t.pop_back();
        if (t.empty()) to.pop_back();
      }
    }
    ++newline_ok_;
    if (!enter(start)) return;
    auto close = [&]() {
      ws();
      bool strip = false;
      if (peek() == '~') {
        ++pos_;
        strip = true;
      }
      if (peek() != '}') {
        fail(fmt::format("expected `}}` to close `{}{{`, found {}", directive ? '%' : '$', found()), pos_);
        return;
      }
      ++pos_;
      --newline_ok_;
      --depth_;
      if (strip) {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
          ++pos_;
      }
    };
    if (!directive) {
      TemplatePart p;
      p.kind = TemplatePart::Kind::kInterp;
      p.offset = start;
      p.expr = parse_expr();
      if (failed_) return;
      close();
      p.end = pos_;
      target(out, stack).push_back(std::move(p));
      return;
    }
    ws();
    const size_t kw_at = pos_;
    const std::string kw = ident();
    if (kw == "if") {
      Frame f;
      f.at = start;
      f.part.kind = TemplatePart::Kind::kIf;
      f.part.offset = start;
      f.part.expr = parse_expr();
      if (failed_) return;
      close();
      f.part.end = pos_;
      stack.push_back(std::move(f));
    } else if (kw == "else") {
      if (stack.empty() || stack.back().part.kind != TemplatePart::Kind::kIf || stack.back().in_else) {
        fail("`%{else}` without `%{if}`", start);
        return;
      }
      close();
      stack.back().in_else = true;
    } else if (kw == "endif" || kw == "endfor") {
      const auto want = kw == "endif" ? TemplatePart::Kind::kIf : TemplatePart::Kind::kFor;
      if (stack.empty() || stack.back().part.kind != want) {
        fail(fmt::format("`%{{{}}}` without its opening directive", kw), start);
        return;
      }
      close();
      TemplatePart done = std::move(stack.back().part);
      stack.pop_back();
      target(out, stack).push_back(std::move(done));
    } else if (kw == "for") {
      Frame f;
      f.at = start;
      f.part.kind = TemplatePart::Kind::kFor;
      f.part.offset = start;
      Expr head;
      ws();
      if (!ident_start(peek())) {
        fail("expected a variable after `%{for`", pos_);
        return;
      }
      std::string first = ident();
      ws();
      if (peek() == ',') {
        ++pos_;
        ws();
        f.part.key_var = std::move(first);
        f.part.value_var = ident();
      } else {
        f.part.value_var = std::move(first);
      }
      ws();
      if (!keyword("in")) {
        fail("expected `in` in `%{for}`", pos_);
        return;
      }
      f.part.expr = parse_expr();
      if (failed_) return;
      close();
      f.part.end = pos_;
      stack.push_back(std::move(f));
    } else {
      fail(fmt::format("unknown template directive `{}`", kw), kw_at);
    }
  }
};

}  // namespace

std::string_view Expr::source() const {
  if (file == nullptr) return {};
  return std::string_view(file->text()).substr(offset, end > offset ? end - offset : 0);
}

Span Attribute::span() const {
  if (file == nullptr) return {};
  const Mark m = file->mark_at(offset);
  return Span{file, m, Mark{m.line, m.column + static_cast<uint32_t>(name.size())}};
}

Span Block::span() const {
  if (file == nullptr) return {};
  const Mark m = file->mark_at(offset);
  return Span{file, m, Mark{m.line, m.column + static_cast<uint32_t>(type.size())}};
}

const Attribute* Body::attribute(std::string_view name) const {
  for (const auto& a : attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::vector<const Block*> Body::blocks_of(std::string_view type) const {
  std::vector<const Block*> out;
  for (const auto& b : blocks) {
    if (b.type == type) out.push_back(&b);
  }
  return out;
}

ParseResult parse(const SourceFile& file) { return Parser(file).parse_file(); }

TemplateResult parse_template(const SourceFile& file) { return Parser(file).parse_template_file(); }

}  // namespace gl::k8s::infra::hcl
