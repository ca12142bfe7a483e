#include "render/helm/gotemplate/parse.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "render/helm/gotemplate/function.h"

namespace gl::render::gotemplate {

namespace {

constexpr int kMaxDepth = 1000;

char lower(char c) { return static_cast<char>(c | ('x' - 'X')); }

/// strconv's underscoreOK: underscores only between digits (or after a base prefix).
bool underscore_ok(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s = s.substr(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    if ((s[i] >= '0' && s[i] <= '9') || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
      saw = '0';
      continue;
    }
    if (s[i] == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

/// strconv.ParseUint(s, 0, 64). `range_error` is set when the syntax is fine but the value overflows.
bool parse_uint0(std::string_view s, uint64_t* out, bool* range_error) {
  *range_error = false;
  if (s.empty()) return false;
  std::string_view s0 = s;
  int base = 10;
  if (s[0] == '0') {
    if (s.size() >= 3 && lower(s[1]) == 'b') {
      base = 2;
      s = s.substr(2);
    } else if (s.size() >= 3 && lower(s[1]) == 'o') {
      base = 8;
      s = s.substr(2);
    } else if (s.size() >= 3 && lower(s[1]) == 'x') {
      base = 16;
      s = s.substr(2);
    } else {
      base = 8;
      s = s.substr(1);
    }
  }
  bool underscores = false;
  uint64_t n = 0;
  for (char c : s) {
    int d = 0;
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (lower(c) >= 'a' && lower(c) <= 'z') {
      d = lower(c) - 'a' + 10;
    } else {
      return false;
    }
    if (d >= base) return false;
    if (*range_error) continue;
    if (n > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) {
      *range_error = true;
      continue;
    }
    n = n * base + d;
  }
  if (underscores && !underscore_ok(s0)) {
    *range_error = false;
    return false;
  }
  if (*range_error) return false;
  *out = n;
  return true;
}

/// strconv.ParseInt(s, 0, 64).
bool parse_int0(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s = s.substr(1);
  }
  uint64_t u = 0;
  bool range_error = false;
  if (!parse_uint0(s, &u, &range_error)) return false;
  constexpr uint64_t kCutoff = uint64_t{1} << 63;
  if (!neg && u >= kCutoff) return false;
  if (neg && u > kCutoff) return false;
  *out = neg ? static_cast<int64_t>(0 - u) : static_cast<int64_t>(u);
  return true;
}

/// strconv.ParseFloat(s, 64) for the syntax the template lexer can produce (no inf/nan).
bool parse_float(std::string_view s, double* out) {
  size_t i = 0;
  bool underscores = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  bool hex = false;
  char exp_char = 'e';
  if (i + 2 < s.size() && s[i] == '0' && lower(s[i + 1]) == 'x') {
    i += 2;
    hex = true;
    exp_char = 'p';
  }
  bool sawdot = false;
  bool sawdigits = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c == '.') {
      if (sawdot) break;
      sawdot = true;
      continue;
    }
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      sawdigits = true;
      continue;
    }
    break;
  }
  if (!sawdigits) return false;
  if (i < s.size() && lower(s[i]) == exp_char) {
    ++i;
    if (i >= s.size()) return false;
    if (s[i] == '+' || s[i] == '-') ++i;
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'); ++i) {
      if (s[i] == '_') underscores = true;
    }
  } else if (hex) {
    return false;
  }
  if (underscores && !underscore_ok(s.substr(0, i))) return false;
  if (i != s.size()) return false;
  std::string clean;
  for (char c : s) {
    if (c != '_') clean.push_back(c);
  }
  errno = 0;
  char* end = nullptr;
  double f = std::strtod(clean.c_str(), &end);
  if (errno == ERANGE && std::isinf(f)) return false;
  *out = f;
  return true;
}

bool fits_int64(double f) { return f >= -9223372036854775808.0 && f < 9223372036854775808.0 && std::trunc(f) == f; }
bool fits_uint64(double f) { return f >= 0 && f < 18446744073709551616.0 && std::trunc(f) == f; }

bool is_text_space(const std::string& s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') return false;
  }
  return true;
}

/// State shared by the parser of a text and the parsers of its define/block bodies (Go shares the lexer).
struct Shared {
  std::vector<Item> items;
  size_t next = 0;
  std::shared_ptr<const TemplateSource> src;
  const HasFunction* has_function = nullptr;
  TreeSet* tree_set = nullptr;
  int depth = 0;

  Item next_item() {
    if (next < items.size()) return items[next++];
    return Item{};
  }
};

class Parser {
 public:
  Parser(Shared* sh, std::string name) : sh_(sh), name_(std::move(name)) { vars_.push_back("$"); }

  /// Go's Tree.parse + add for the top-level text.
  void parse_top() {
    root_ = new_list(peek().pos);
    while (peek().type != ItemType::kEof) {
      if (peek().type == ItemType::kLeftDelim) {
        Item delim = next();
        if (next_non_space().type == ItemType::kDefine) {
          Parser def(sh_, "definition");
          def.parse_definition();
          continue;
        }
        backup2(delim);
      }
      NodePtr n = text_or_action();
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) errorf("unexpected " + n->string());
      root_->nodes.push_back(std::move(n));
    }
    add();
  }

 private:
  [[noreturn]] void errorf(const std::string& msg) {
    fail("template: " + sh_->src->parse_name + ":" + std::to_string(token_[0].line) + ": " + msg);
  }

  Item next() {
    if (peek_count_ > 0) {
      --peek_count_;
    } else {
      token_[0] = sh_->next_item();
    }
    return token_[peek_count_];
  }
  void backup() { ++peek_count_; }
  void backup2(const Item& t1) {
    token_[1] = t1;
    peek_count_ = 2;
  }
  void backup3(const Item& t2, const Item& t1) {
    token_[1] = t1;
    token_[2] = t2;
    peek_count_ = 3;
  }
  Item peek() {
    if (peek_count_ > 0) return token_[peek_count_ - 1];
    peek_count_ = 1;
    token_[0] = sh_->next_item();
    return token_[0];
  }
  Item next_non_space() {
    Item t;
    do {
      t = next();
    } while (t.type == ItemType::kSpace);
    return t;
  }
  Item peek_non_space() {
    Item t = next_non_space();
    backup();
    return t;
  }
  Item expect(ItemType expected, const std::string& context) {
    Item t = next_non_space();
    if (t.type != expected) unexpected(t, context);
    return t;
  }
  Item expect_one_of(ItemType e1, ItemType e2, const std::string& context) {
    Item t = next_non_space();
    if (t.type != e1 && t.type != e2) unexpected(t, context);
    return t;
  }
  [[noreturn]] void unexpected(const Item& token, const std::string& context) {
    if (token.type == ItemType::kError) {
      std::string extra;
      if (action_line_ != 0 && action_line_ != token.line) {
        extra = " in action started at " + sh_->src->parse_name + ":" + std::to_string(action_line_);
        if (token.val.ends_with(" action")) extra = extra.substr(std::string_view(" in action").size());
      }
      errorf(token.str() + extra);
    }
    errorf("unexpected " + token.str() + " in " + context);
  }

  const TemplateSource* src() const { return sh_->src.get(); }
  std::unique_ptr<ListNode> new_list(uint32_t pos) { return std::make_unique<ListNode>(pos, src()); }

  void add() {
    auto it = sh_->tree_set->find(name_);
    if (it == sh_->tree_set->end() || is_empty_tree(it->second->root.get())) {
      auto tree = std::make_shared<Tree>();
      tree->name = name_;
      tree->source = sh_->src;
      tree->root = std::move(root_);
      (*sh_->tree_set)[name_] = std::move(tree);
      return;
    }
    if (!is_empty_tree(root_.get())) errorf("template: multiple definition of template " + go_quote(name_));
  }

  std::string unquote(const Item& token) {
    std::string s;
    if (!go_unquote(token.val, &s)) errorf("invalid syntax");
    return s;
  }

  void parse_definition() {
    const std::string context = "define clause";
    Item name = expect_one_of(ItemType::kString, ItemType::kRawString, context);
    name_ = unquote(name);
    expect(ItemType::kRightDelim, context);
    NodePtr end;
    root_ = item_list(&end);
    if (end->type != NodeType::kEnd) errorf("unexpected " + end->string() + " in " + context);
    add();
  }

  std::unique_ptr<ListNode> item_list(NodePtr* next_node) {
    auto list = new_list(peek_non_space().pos);
    while (peek_non_space().type != ItemType::kEof) {
      NodePtr n = text_or_action();
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) {
        *next_node = std::move(n);
        return list;
      }
      list->nodes.push_back(std::move(n));
    }
    errorf("unexpected EOF");
  }

  NodePtr text_or_action() {
    Item token = next_non_space();
    switch (token.type) {
      case ItemType::kText:
        return std::make_unique<TextNode>(token.pos, src(), token.val);
      case ItemType::kLeftDelim: {
        action_line_ = token.line;
        NodePtr n = action();
        action_line_ = 0;
        return n;
      }
      case ItemType::kComment:
        return std::make_unique<CommentNode>(token.pos, src(), token.val);
      default:
        unexpected(token, "input");
    }
  }

  NodePtr action() {
    Item token = next_non_space();
    switch (token.type) {
      case ItemType::kBlock:
        return block_control();
      case ItemType::kBreak:
        return break_control(token, true);
      case ItemType::kContinue:
        return break_control(token, false);
      case ItemType::kElse:
        return else_control();
      case ItemType::kEnd:
        return std::make_unique<EndNode>(expect(ItemType::kRightDelim, "end").pos, src());
      case ItemType::kIf:
        return control(NodeType::kIf, true, "if");
      case ItemType::kRange:
        return control(NodeType::kRange, false, "range");
      case ItemType::kTemplate:
        return template_control();
      case ItemType::kWith:
        return control(NodeType::kWith, false, "with");
      default:
        break;
    }
    backup();
    Item t = peek();
    auto pipe = pipeline("command", ItemType::kRightDelim);
    return std::make_unique<ActionNode>(t.pos, src(), t.line, std::move(pipe));
  }

  NodePtr break_control(const Item& kw, bool is_break) {
    std::string name = is_break ? "{{break}}" : "{{continue}}";
    Item token = next_non_space();
    if (token.type != ItemType::kRightDelim) unexpected(token, name);
    if (range_depth_ == 0) errorf(name + " outside {{range}}");
    if (is_break) return std::make_unique<BreakNode>(kw.pos, src());
    return std::make_unique<ContinueNode>(kw.pos, src());
  }

  std::unique_ptr<PipeNode> pipeline(const std::string& context, ItemType end) {
    if (++sh_->depth > kMaxDepth) errorf("max expression depth exceeded");
    Item token = peek_non_space();
    auto pipe = std::make_unique<PipeNode>(token.pos, src(), token.line);
    while (true) {  // Go's "decls:" label
      Item v = peek_non_space();
      if (v.type != ItemType::kVariable) break;
      next();
      Item token_after_variable = peek();
      Item nxt = peek_non_space();
      if (nxt.type == ItemType::kAssign || nxt.type == ItemType::kDeclare) {
        pipe->is_assign = nxt.type == ItemType::kAssign;
        next_non_space();
        pipe->decl.push_back(std::make_unique<VariableNode>(v.pos, src(), split_dots(v.val)));
        vars_.push_back(v.val);
        break;
      }
      if (nxt.type == ItemType::kChar && nxt.val == ",") {
        next_non_space();
        pipe->decl.push_back(std::make_unique<VariableNode>(v.pos, src(), split_dots(v.val)));
        vars_.push_back(v.val);
        if (context == "range" && pipe->decl.size() < 2) {
          ItemType t = peek_non_space().type;
          if (t == ItemType::kVariable || t == ItemType::kRightDelim || t == ItemType::kRightParen) continue;
          errorf("range can only initialize variables");
        }
        errorf("too many declarations in " + context);
      }
      if (token_after_variable.type == ItemType::kSpace) {
        backup3(v, token_after_variable);
      } else {
        backup2(v);
      }
      break;
    }
    while (true) {
      Item t = next_non_space();
      if (t.type == end) {
        check_pipeline(*pipe, context);
        --sh_->depth;
        return pipe;
      }
      switch (t.type) {
        case ItemType::kBool:
        case ItemType::kCharConstant:
        case ItemType::kComplex:
        case ItemType::kDot:
        case ItemType::kField:
        case ItemType::kIdentifier:
        case ItemType::kNumber:
        case ItemType::kNil:
        case ItemType::kRawString:
        case ItemType::kString:
        case ItemType::kVariable:
        case ItemType::kLeftParen:
          backup();
          pipe->cmds.push_back(command());
          break;
        default:
          unexpected(t, context);
      }
    }
  }

  void check_pipeline(const PipeNode& pipe, const std::string& context) {
    if (pipe.cmds.empty()) errorf("missing value for " + context);
    for (size_t i = 1; i < pipe.cmds.size(); ++i) {
      switch (pipe.cmds[i]->args[0]->type) {
        case NodeType::kBool:
        case NodeType::kDot:
        case NodeType::kNil:
        case NodeType::kNumber:
        case NodeType::kString:
          errorf("non executable command in pipeline stage " + std::to_string(i + 1));
        default:
          break;
      }
    }
  }

  NodePtr control(NodeType type, bool allow_else_if, const std::string& context) {
    size_t vars_mark = vars_.size();
    auto pipe = pipeline(context, ItemType::kRightDelim);
    if (context == "range") ++range_depth_;
    NodePtr next_node;
    auto list = item_list(&next_node);
    if (context == "range") --range_depth_;
    std::unique_ptr<ListNode> else_list;
    if (next_node->type == NodeType::kElse) {
      if (allow_else_if && peek().type == ItemType::kIf) {
        next();
        else_list = new_list(next_node->pos);
        else_list->nodes.push_back(control(NodeType::kIf, true, "if"));
      } else {
        NodePtr end;
        else_list = item_list(&end);
        if (end->type != NodeType::kEnd) errorf("expected end; found " + end->string());
      }
    }
    vars_.resize(vars_mark);
    auto node = std::make_unique<BranchNode>(type, pipe->pos, src(), pipe->line);
    node->pipe = std::move(pipe);
    node->list = std::move(list);
    node->else_list = std::move(else_list);
    return node;
  }

  NodePtr else_control() {
    Item p = peek_non_space();
    if (p.type == ItemType::kIf) return std::make_unique<ElseNode>(p.pos, src(), p.line);
    Item token = expect(ItemType::kRightDelim, "else");
    return std::make_unique<ElseNode>(token.pos, src(), token.line);
  }

  std::string parse_template_name(const Item& token, const std::string& context) {
    if (token.type == ItemType::kString || token.type == ItemType::kRawString) return unquote(token);
    unexpected(token, context);
  }

  NodePtr block_control() {
    const std::string context = "block clause";
    Item token = next_non_space();
    std::string name = parse_template_name(token, context);
    auto pipe = pipeline(context, ItemType::kRightDelim);
    Parser block(sh_, name);
    NodePtr end;
    block.root_ = block.item_list(&end);
    if (end->type != NodeType::kEnd) errorf("unexpected " + end->string() + " in " + context);
    block.add();
    return std::make_unique<TemplateNode>(token.pos, src(), token.line, name, std::move(pipe));
  }

  NodePtr template_control() {
    const std::string context = "template clause";
    Item token = next_non_space();
    std::string name = parse_template_name(token, context);
    std::unique_ptr<PipeNode> pipe;
    if (next_non_space().type != ItemType::kRightDelim) {
      backup();
      pipe = pipeline(context, ItemType::kRightDelim);
    }
    return std::make_unique<TemplateNode>(token.pos, src(), token.line, name, std::move(pipe));
  }

  std::unique_ptr<CommandNode> command() {
    auto cmd = std::make_unique<CommandNode>(peek_non_space().pos, src());
    while (true) {
      peek_non_space();
      NodePtr op = operand();
      if (op) cmd->args.push_back(std::move(op));
      Item token = next();
      if (token.type == ItemType::kSpace) continue;
      if (token.type == ItemType::kRightDelim || token.type == ItemType::kRightParen) {
        backup();
      } else if (token.type != ItemType::kPipe) {
        unexpected(token, "operand");
      }
      break;
    }
    if (cmd->args.empty()) errorf("empty command");
    return cmd;
  }

  static std::vector<std::string> split_dots(std::string_view s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
      size_t dot = s.find('.', start);
      out.emplace_back(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    return out;
  }

  NodePtr operand() {
    NodePtr node = term();
    if (!node) return nullptr;
    if (peek().type == ItemType::kField) {
      uint32_t chain_pos = peek().pos;
      auto chain = std::make_unique<ChainNode>(chain_pos, src(), nullptr);
      while (peek().type == ItemType::kField) chain->field.push_back(next().val.substr(1));
      switch (node->type) {
        case NodeType::kField: {
          std::vector<std::string> ident = static_cast<FieldNode&>(*node).ident;
          ident.insert(ident.end(), chain->field.begin(), chain->field.end());
          return std::make_unique<FieldNode>(chain_pos, src(), std::move(ident));
        }
        case NodeType::kVariable: {
          std::vector<std::string> ident = static_cast<VariableNode&>(*node).ident;
          ident.insert(ident.end(), chain->field.begin(), chain->field.end());
          return std::make_unique<VariableNode>(chain_pos, src(), std::move(ident));
        }
        case NodeType::kBool:
        case NodeType::kString:
        case NodeType::kNumber:
        case NodeType::kNil:
        case NodeType::kDot:
          errorf("unexpected . after term " + go_quote(node->string()));
        default:
          break;
      }
      chain->node = std::move(node);
      return chain;
    }
    return node;
  }

  NodePtr term() {
    Item token = next_non_space();
    switch (token.type) {
      case ItemType::kIdentifier:
        if (!(*sh_->has_function)(token.val)) errorf("function " + go_quote(token.val) + " not defined");
        return std::make_unique<IdentifierNode>(token.pos, src(), token.val);
      case ItemType::kDot:
        return std::make_unique<DotNode>(token.pos, src());
      case ItemType::kNil:
        return std::make_unique<NilNode>(token.pos, src());
      case ItemType::kVariable:
        return use_var(token);
      case ItemType::kField:
        return std::make_unique<FieldNode>(token.pos, src(), split_dots(token.val.substr(1)));
      case ItemType::kBool:
        return std::make_unique<BoolNode>(token.pos, src(), token.val == "true");
      case ItemType::kCharConstant:
      case ItemType::kComplex:
      case ItemType::kNumber:
        return new_number(token);
      case ItemType::kLeftParen:
        return pipeline("parenthesized pipeline", ItemType::kRightParen);
      case ItemType::kString:
      case ItemType::kRawString: {
        std::string s = unquote(token);
        return std::make_unique<StringNode>(token.pos, src(), token.val, std::move(s));
      }
      default:
        break;
    }
    backup();
    return nullptr;
  }

  NodePtr use_var(const Item& token) {
    auto v = std::make_unique<VariableNode>(token.pos, src(), split_dots(token.val));
    for (const auto& name : vars_) {
      if (name == v->ident[0]) return v;
    }
    errorf("undefined variable " + go_quote(v->ident[0]));
  }

  static void simplify_complex(NumberNode* n) {
    n->is_float = n->complex_imag == 0;
    if (n->is_float) {
      n->float64 = n->complex_real;
      n->is_int = fits_int64(n->float64);
      if (n->is_int) n->int64 = static_cast<int64_t>(n->float64);
      n->is_uint = fits_uint64(n->float64);
      if (n->is_uint) n->uint64 = static_cast<uint64_t>(n->float64);
    }
  }

  NodePtr new_number(const Item& token) {
    const std::string& text = token.val;
    auto n = std::make_unique<NumberNode>(token.pos, src(), text);
    if (token.type == ItemType::kCharConstant) {
      uint32_t r = 0;
      bool mb = false;
      std::string_view tail;
      if (!go_unquote_char(std::string_view(text).substr(1), text[0], &r, &mb, &tail)) errorf("invalid syntax");
      if (tail != "'") errorf("malformed character constant: " + text);
      n->int64 = r;
      n->is_int = true;
      n->uint64 = r;
      n->is_uint = true;
      n->float64 = r;
      n->is_float = true;
      return n;
    }
    if (token.type == ItemType::kComplex) {
      // "re+imi": split at the sign that starts the imaginary part.
      size_t split = std::string::npos;
      for (size_t i = text.size() - 1; i > 0; --i) {
        if ((text[i] == '+' || text[i] == '-') && lower(text[i - 1]) != 'e' && lower(text[i - 1]) != 'p') {
          split = i;
          break;
        }
      }
      double re = 0;
      double im = 0;
      if (split == std::string::npos || !parse_float(std::string_view(text).substr(0, split), &re) ||
          !parse_float(std::string_view(text).substr(split, text.size() - split - 1), &im)) {
        errorf("illegal number syntax: " + go_quote(text));
      }
      n->is_complex = true;
      n->complex_real = re;
      n->complex_imag = im;
      simplify_complex(n.get());
      return n;
    }
    if (!text.empty() && text.back() == 'i') {
      double f = 0;
      if (parse_float(std::string_view(text).substr(0, text.size() - 1), &f)) {
        n->is_complex = true;
        n->complex_imag = f;
        simplify_complex(n.get());
        return n;
      }
    }
    uint64_t u = 0;
    bool range_error = false;
    if (parse_uint0(text, &u, &range_error)) {
      n->is_uint = true;
      n->uint64 = u;
    }
    int64_t i = 0;
    if (parse_int0(text, &i)) {
      n->is_int = true;
      n->int64 = i;
      if (i == 0) {
        n->is_uint = true;
        n->uint64 = u;
      }
    }
    if (n->is_int) {
      n->is_float = true;
      n->float64 = static_cast<double>(n->int64);
    } else if (n->is_uint) {
      n->is_float = true;
      n->float64 = static_cast<double>(n->uint64);
    } else {
      double f = 0;
      if (parse_float(text, &f)) {
        if (text.find_first_of(".eEpP") == std::string::npos) errorf("integer overflow: " + go_quote(text));
        n->is_float = true;
        n->float64 = f;
        if (fits_int64(f)) {
          n->is_int = true;
          n->int64 = static_cast<int64_t>(f);
        }
        if (fits_uint64(f)) {
          n->is_uint = true;
          n->uint64 = static_cast<uint64_t>(f);
        }
      }
    }
    if (!n->is_int && !n->is_uint && !n->is_float) errorf("illegal number syntax: " + go_quote(text));
    return n;
  }

  Shared* sh_;
  std::string name_;
  std::unique_ptr<ListNode> root_;
  Item token_[3];
  int peek_count_ = 0;
  std::vector<std::string> vars_;
  int action_line_ = 0;
  int range_depth_ = 0;
};

}  // namespace

bool is_empty_tree(const Node* n) {
  if (n == nullptr) return true;
  switch (n->type) {
    case NodeType::kComment:
      return true;
    case NodeType::kList:
      for (const auto& c : static_cast<const ListNode*>(n)->nodes) {
        if (!is_empty_tree(c.get())) return false;
      }
      return true;
    case NodeType::kText:
      return is_text_space(static_cast<const TextNode*>(n)->text);
    default:
      return false;
  }
}

TreeSet parse_template(const std::string& name, std::string_view text, const HasFunction& has_function) {
  TreeSet trees;
  Shared sh;
  sh.items = lex_template(text, !has_function("break"), !has_function("continue"));
  sh.src = std::make_shared<const TemplateSource>(name, std::string(text));
  sh.has_function = &has_function;
  sh.tree_set = &trees;
  Parser(&sh, name).parse_top();
  return trees;
}

}  // namespace gl::render::gotemplate
