#pragma once
// Parse trees of Go's text/template (Go 1.19 parse/node.go). Every node keeps its byte position in the
// source text; `string()` reproduces Go's Node.String(), which execution errors quote ("at <...>").
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "render/helm/gotemplate/lex.h"

namespace gl::render::gotemplate {

enum class NodeType : uint8_t {
  kText,
  kAction,
  kBool,
  kChain,
  kCommand,
  kDot,
  kElse,
  kEnd,
  kField,
  kIdentifier,
  kIf,
  kList,
  kNil,
  kNumber,
  kPipe,
  kRange,
  kString,
  kTemplate,
  kVariable,
  kWith,
  kComment,
  kBreak,
  kContinue,
};

/// The text one `parse` call read: shared by the file's tree and the trees of its `define`s.
struct TemplateSource {
  std::string parse_name;  ///< name given to parse (Go's ParseName), used in error locations
  std::string text;
  std::vector<uint32_t> line_starts;  ///< byte offset of each line

  TemplateSource(std::string name, std::string body) : parse_name(std::move(name)), text(std::move(body)) {
    line_starts.push_back(0);
    for (uint32_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts.push_back(i + 1);
    }
  }
  /// 1-based line and 0-based byte column of an offset (Go's ErrorContext convention).
  void line_col(uint32_t pos, int* line, int* col) const {
    auto it = std::upper_bound(line_starts.begin(), line_starts.end(), pos);
    size_t idx = static_cast<size_t>(it - line_starts.begin()) - 1;
    *line = static_cast<int>(idx) + 1;
    *col = static_cast<int>(pos - line_starts[idx]);
  }
};

struct Node {
  Node(NodeType t, uint32_t p, const TemplateSource* s) : type(t), pos(p), src(s) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  /// Appends Go's String() form.
  virtual void write_to(std::string& out) const = 0;
  std::string string() const {
    std::string s;
    write_to(s);
    return s;
  }
  /// "NAME:LINE:COL" as Go's ErrorContext prints the location.
  std::string location() const {
    int line = 0;
    int col = 0;
    src->line_col(pos, &line, &col);
    return src->parse_name + ":" + std::to_string(line) + ":" + std::to_string(col);
  }
  NodeType type;
  uint32_t pos;               ///< byte offset in src->text
  const TemplateSource* src;  ///< kept alive by the Tree holding the node
};

using NodePtr = std::unique_ptr<Node>;

struct ListNode : Node {
  ListNode(uint32_t p, const TemplateSource* s) : Node(NodeType::kList, p, s) {}
  void write_to(std::string& out) const override {
    for (const auto& n : nodes) n->write_to(out);
  }
  std::vector<NodePtr> nodes;
};

struct TextNode : Node {
  TextNode(uint32_t p, const TemplateSource* s, std::string t) : Node(NodeType::kText, p, s), text(std::move(t)) {}
  void write_to(std::string& out) const override { out += text; }
  std::string text;
};

struct CommentNode : Node {
  CommentNode(uint32_t p, const TemplateSource* s, std::string t)
      : Node(NodeType::kComment, p, s), text(std::move(t)) {}
  void write_to(std::string& out) const override { out += "{{" + text + "}}"; }
  std::string text;
};

struct VariableNode : Node {
  VariableNode(uint32_t p, const TemplateSource* s, std::vector<std::string> id)
      : Node(NodeType::kVariable, p, s), ident(std::move(id)) {}
  void write_to(std::string& out) const override {
    for (size_t i = 0; i < ident.size(); ++i) {
      if (i > 0) out += '.';
      out += ident[i];
    }
  }
  std::vector<std::string> ident;  ///< "$x" then fields
};

struct CommandNode;

struct PipeNode : Node {
  PipeNode(uint32_t p, const TemplateSource* s, int l) : Node(NodeType::kPipe, p, s), line(l) {}
  void write_to(std::string& out) const override;
  int line;
  bool is_assign = false;
  std::vector<std::unique_ptr<VariableNode>> decl;
  std::vector<std::unique_ptr<CommandNode>> cmds;
};

struct CommandNode : Node {
  CommandNode(uint32_t p, const TemplateSource* s) : Node(NodeType::kCommand, p, s) {}
  void write_to(std::string& out) const override {
    for (size_t i = 0; i < args.size(); ++i) {
      if (i > 0) out += ' ';
      if (args[i]->type == NodeType::kPipe) {
        out += '(';
        args[i]->write_to(out);
        out += ')';
        continue;
      }
      args[i]->write_to(out);
    }
  }
  std::vector<NodePtr> args;
};

inline void PipeNode::write_to(std::string& out) const {
  if (!decl.empty()) {
    for (size_t i = 0; i < decl.size(); ++i) {
      if (i > 0) out += ", ";
      decl[i]->write_to(out);
    }
    out += " := ";
  }
  for (size_t i = 0; i < cmds.size(); ++i) {
    if (i > 0) out += " | ";
    cmds[i]->write_to(out);
  }
}

struct ActionNode : Node {
  ActionNode(uint32_t p, const TemplateSource* s, int l, std::unique_ptr<PipeNode> pp)
      : Node(NodeType::kAction, p, s), line(l), pipe(std::move(pp)) {}
  void write_to(std::string& out) const override {
    out += "{{";
    pipe->write_to(out);
    out += "}}";
  }
  int line;
  std::unique_ptr<PipeNode> pipe;
};

struct IdentifierNode : Node {
  IdentifierNode(uint32_t p, const TemplateSource* s, std::string id)
      : Node(NodeType::kIdentifier, p, s), ident(std::move(id)) {}
  void write_to(std::string& out) const override { out += ident; }
  std::string ident;
};

struct DotNode : Node {
  DotNode(uint32_t p, const TemplateSource* s) : Node(NodeType::kDot, p, s) {}
  void write_to(std::string& out) const override { out += '.'; }
};

struct NilNode : Node {
  NilNode(uint32_t p, const TemplateSource* s) : Node(NodeType::kNil, p, s) {}
  void write_to(std::string& out) const override { out += "nil"; }
};

struct FieldNode : Node {
  FieldNode(uint32_t p, const TemplateSource* s, std::vector<std::string> id)
      : Node(NodeType::kField, p, s), ident(std::move(id)) {}
  void write_to(std::string& out) const override {
    for (const auto& id : ident) {
      out += '.';
      out += id;
    }
  }
  std::vector<std::string> ident;
};

struct ChainNode : Node {
  ChainNode(uint32_t p, const TemplateSource* s, NodePtr n) : Node(NodeType::kChain, p, s), node(std::move(n)) {}
  void write_to(std::string& out) const override {
    if (node->type == NodeType::kPipe) {
      out += '(';
      node->write_to(out);
      out += ')';
    } else {
      node->write_to(out);
    }
    for (const auto& f : field) {
      out += '.';
      out += f;
    }
  }
  NodePtr node;
  std::vector<std::string> field;
};

struct BoolNode : Node {
  BoolNode(uint32_t p, const TemplateSource* s, bool v) : Node(NodeType::kBool, p, s), value(v) {}
  void write_to(std::string& out) const override { out += value ? "true" : "false"; }
  bool value;
};

struct NumberNode : Node {
  NumberNode(uint32_t p, const TemplateSource* s, std::string t) : Node(NodeType::kNumber, p, s), text(std::move(t)) {}
  void write_to(std::string& out) const override { out += text; }
  bool is_int = false;
  bool is_uint = false;
  bool is_float = false;
  bool is_complex = false;
  int64_t int64 = 0;
  uint64_t uint64 = 0;
  double float64 = 0;
  double complex_real = 0;
  double complex_imag = 0;
  std::string text;
};

struct StringNode : Node {
  StringNode(uint32_t p, const TemplateSource* s, std::string q, std::string t)
      : Node(NodeType::kString, p, s), quoted(std::move(q)), text(std::move(t)) {}
  void write_to(std::string& out) const override { out += quoted; }
  std::string quoted;
  std::string text;
};

struct EndNode : Node {
  EndNode(uint32_t p, const TemplateSource* s) : Node(NodeType::kEnd, p, s) {}
  void write_to(std::string& out) const override { out += "{{end}}"; }
};

struct ElseNode : Node {
  ElseNode(uint32_t p, const TemplateSource* s, int l) : Node(NodeType::kElse, p, s), line(l) {}
  void write_to(std::string& out) const override { out += "{{else}}"; }
  int line;
};

/// if, range and with.
struct BranchNode : Node {
  BranchNode(NodeType t, uint32_t p, const TemplateSource* s, int l) : Node(t, p, s), line(l) {}
  void write_to(std::string& out) const override {
    out += "{{";
    out += type == NodeType::kIf ? "if" : type == NodeType::kRange ? "range" : "with";
    out += ' ';
    pipe->write_to(out);
    out += "}}";
    list->write_to(out);
    if (else_list) {
      out += "{{else}}";
      else_list->write_to(out);
    }
    out += "{{end}}";
  }
  int line;
  std::unique_ptr<PipeNode> pipe;
  std::unique_ptr<ListNode> list;
  std::unique_ptr<ListNode> else_list;  ///< null when absent
};

struct BreakNode : Node {
  BreakNode(uint32_t p, const TemplateSource* s) : Node(NodeType::kBreak, p, s) {}
  void write_to(std::string& out) const override { out += "{{break}}"; }
};

struct ContinueNode : Node {
  ContinueNode(uint32_t p, const TemplateSource* s) : Node(NodeType::kContinue, p, s) {}
  void write_to(std::string& out) const override { out += "{{continue}}"; }
};

struct TemplateNode : Node {
  TemplateNode(uint32_t p, const TemplateSource* s, int l, std::string n, std::unique_ptr<PipeNode> pp)
      : Node(NodeType::kTemplate, p, s), line(l), name(std::move(n)), pipe(std::move(pp)) {}
  void write_to(std::string& out) const override {
    out += "{{template ";
    out += go_quote(name);
    if (pipe) {
      out += ' ';
      pipe->write_to(out);
    }
    out += "}}";
  }
  int line;
  std::string name;
  std::unique_ptr<PipeNode> pipe;  ///< null when absent
};

/// One named template: its root list and the source it was parsed from.
struct Tree {
  std::string name;
  std::shared_ptr<const TemplateSource> source;
  std::unique_ptr<ListNode> root;
};

}  // namespace gl::render::gotemplate
