#include "render/helm/gotemplate/exec.h"

#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "render/helm/gotemplate/builtins.h"
#include "render/helm/gotemplate/gofmt.h"

namespace gl::render::gotemplate {

namespace {

/// Go allows 100000 nested {{template}} calls on goroutine stacks that grow; a C++ stack does not, so
/// the limit is lower here (a template recursing this deep never terminates in practice).
constexpr int kMaxExecDepth = 1000;

enum class Flow : uint8_t { kNormal, kBreak, kContinue };

using Args = std::vector<NodePtr>;

bool is_hex_int(const std::string& s) {
  return s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s.find_first_of("pP") == std::string::npos;
}

class State {
 public:
  State(const TreeMap& trees, const FuncMap* funcs, CallContext& ctx, std::string* out,
        std::vector<OutputChunk>* chunks, MissingKey missing_key)
      : trees_(trees), funcs_(funcs), ctx_(ctx), out_(*out), chunks_(chunks), missing_key_(missing_key) {}

  void run(const Tree& tree, const Value& data) {
    tmpl_ = &tree;
    ExecValue dot{data, false};
    vars_.emplace_back("$", dot);
    if (!tree.root) errorf(go_quote(tree.name) + " is an incomplete or empty template");
    walk(dot, tree.root.get());
  }

 private:
  [[noreturn, gnu::noinline, gnu::cold]] void errorf(const std::string& msg) const {
    if (node_ == nullptr) fail("template: " + tmpl_->name + ": " + msg);
    fail("template: " + node_->location() + ": executing " + go_quote(tmpl_->name) + " at <" + node_->string() +
         ">: " + msg);
  }

  void at(const Node* n) { node_ = n; }

  [[gnu::noinline]] void emit(const Node* n, std::string_view text, const Span& origin, bool is_text) {
    if (chunks_ != nullptr && !text.empty()) {
      int line = 0;
      int col = 0;
      n->src->line_col(n->pos, &line, &col);
      OutputChunk c;
      c.offset = out_.size();
      c.length = text.size();
      c.source = tmpl_->source;
      c.pos = Mark{static_cast<uint32_t>(line), static_cast<uint32_t>(col + 1)};
      c.origin = origin;
      c.is_text = is_text;
      chunks_->push_back(std::move(c));
    }
    out_.append(text);
    // A runaway loop stops here, not after it has filled memory.
    if (out_.size() > ctx_.max_output) {
      fail("template output is over the " + std::to_string(ctx_.max_output) + " byte limit");
    }
  }

  // ---- variables ----

  void push(std::string_view name, const ExecValue& v) { vars_.emplace_back(name, v); }

  void set_var(std::string_view name, const ExecValue& v) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].first == name) {
        vars_[i].second = v;
        return;
      }
    }
    errorf("undefined variable: " + std::string(name));
  }

  ExecValue var_value(std::string_view name) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].first == name) return vars_[i].second;
    }
    errorf("undefined variable: " + std::string(name));
  }

  // ---- walking ----

  // The walk functions recurse once per nested control and template: the helpers stay out of line so
  // each level costs little stack.
  Flow walk(const ExecValue& dot, const Node* node) {
    at(node);
    switch (node->type) {
      case NodeType::kAction: {
        const auto* a = static_cast<const ActionNode*>(node);
        ExecValue val = eval_pipeline(dot, a->pipe.get());
        if (a->pipe->decl.empty()) print_value(a, val);
        return Flow::kNormal;
      }
      case NodeType::kBreak:
        return Flow::kBreak;
      case NodeType::kContinue:
        return Flow::kContinue;
      case NodeType::kComment:
        return Flow::kNormal;
      case NodeType::kIf:
      case NodeType::kWith:
        return walk_if_or_with(dot, static_cast<const BranchNode*>(node));
      case NodeType::kList:
        for (const auto& n : static_cast<const ListNode*>(node)->nodes) {
          Flow f = walk(dot, n.get());
          if (f != Flow::kNormal) return f;
        }
        return Flow::kNormal;
      case NodeType::kRange:
        return walk_range(dot, static_cast<const BranchNode*>(node));
      case NodeType::kTemplate:
        walk_template(dot, static_cast<const TemplateNode*>(node));
        return Flow::kNormal;
      case NodeType::kText:
        emit(node, static_cast<const TextNode*>(node)->text, Span{}, true);
        return Flow::kNormal;
      default:
        unknown_node(node);
    }
  }

  [[noreturn, gnu::noinline]] void unknown_node(const Node* node) { errorf("unknown node: " + node->string()); }

  [[gnu::noinline]] Flow walk_if_or_with(const ExecValue& dot, const BranchNode* b) {
    size_t mark = vars_.size();
    ExecValue val = eval_pipeline(dot, b->pipe.get());
    Flow f = Flow::kNormal;
    if (is_true(val)) {
      f = walk(b->type == NodeType::kWith ? val : dot, b->list.get());
    } else if (b->else_list) {
      f = walk(dot, b->else_list.get());
    }
    vars_.resize(mark);
    return f;
  }

  [[gnu::noinline]] Flow walk_range(const ExecValue& dot, const BranchNode* r) {
    at(r);
    size_t mark0 = vars_.size();
    ExecValue val = eval_pipeline(dot, r->pipe.get());
    size_t mark = vars_.size();
    size_t ndecl = r->pipe->decl.size();
    // Returns false when the loop must stop ({{break}}).
    auto one_iteration = [&](const ExecValue& index, const ExecValue& elem) {
      if (ndecl > 0) vars_[vars_.size() - 1].second = elem;
      if (ndecl > 1) vars_[vars_.size() - 2].second = index;
      Flow f = walk(elem, r->list.get());
      vars_.resize(mark);
      return f != Flow::kBreak;
    };
    bool iterated = false;
    switch (val.v.kind()) {
      case Kind::kList: {
        Value list = val.v;
        size_t n = list.as_list().size();
        bool iface = list.go_type() == GoType::kIfaceList;
        for (size_t i = 0; i < n && i < list.as_list().size(); ++i) {
          iterated = true;
          if (!one_iteration(ExecValue{Value::integer(static_cast<int64_t>(i)), false},
                             ExecValue{list.as_list()[i], iface})) {
            break;
          }
        }
        break;
      }
      case Kind::kMap: {
        std::vector<std::pair<std::string, Value>> entries(val.v.as_map().begin(), val.v.as_map().end());
        for (const auto& [k, v] : entries) {
          iterated = true;
          if (!one_iteration(ExecValue{Value::string(k), false}, ExecValue{v, true})) break;
        }
        break;
      }
      case Kind::kNil:
        break;
      case Kind::kObject:
        if (const Map* entries = val.v.as_object().entries()) {
          for (const auto& [k, v] : *entries) {
            iterated = true;
            if (!one_iteration(ExecValue{Value::string(k), false}, ExecValue{v, false})) break;
          }
          break;
        }
        errorf("range can't iterate over " + gofmt::format_value(val.v));
      default:
        errorf("range can't iterate over " + gofmt::format_value(val.v));
    }
    Flow f = Flow::kNormal;
    if (!iterated && r->else_list) {
      f = walk(dot, r->else_list.get());
      if (f == Flow::kBreak) f = Flow::kNormal;  // Go's walkRange recovers every break, even the else list's
    }
    vars_.resize(mark0);
    return f;
  }

  [[gnu::noinline]] void walk_template(const ExecValue& dot, const TemplateNode* t) {
    at(t);
    auto it = trees_.find(t->name);
    if (it == trees_.end()) errorf("template " + go_quote(t->name) + " not defined");
    if (depth_ == kMaxExecDepth) errorf("exceeded maximum template depth (" + std::to_string(kMaxExecDepth) + ")");
    ExecValue new_dot = eval_pipeline(dot, t->pipe.get());
    const Tree* saved_tmpl = tmpl_;
    const Node* saved_node = node_;
    std::vector<std::pair<std::string_view, ExecValue>> saved_vars;
    saved_vars.swap(vars_);
    vars_.emplace_back("$", new_dot);
    tmpl_ = it->second.get();
    ++depth_;
    walk(new_dot, tmpl_->root.get());
    --depth_;
    tmpl_ = saved_tmpl;
    node_ = saved_node;
    vars_.swap(saved_vars);
  }

  [[gnu::noinline]] void print_value(const Node* n, const ExecValue& v) {
    at(n);
    std::string text = v.v.is_nil() ? std::string("<no value>") : gofmt::format_value(v.v);
    emit(n, text, v.v.origin, false);
  }

  // ---- evaluation ----

  ExecValue eval_pipeline(const ExecValue& dot, const PipeNode* pipe) {
    if (pipe == nullptr) return {};
    at(pipe);
    std::optional<ExecValue> value;
    for (const auto& cmd : pipe->cmds) {
      value = eval_command(dot, cmd.get(), value ? &*value : nullptr);
      value->iface = false;  // Go digs the concrete value out of an interface{} result
    }
    for (const auto& var : pipe->decl) {
      if (pipe->is_assign) {
        set_var(var->ident[0], *value);
      } else {
        push(var->ident[0], *value);
      }
    }
    return *value;
  }

  void not_a_function(const Args* args, const ExecValue* final) {
    if ((args != nullptr && args->size() > 1) || final != nullptr) {
      errorf("can't give argument to non-function " + (*args)[0]->string());
    }
  }

  ExecValue eval_command(const ExecValue& dot, const CommandNode* cmd, const ExecValue* final) {
    const Node* first = cmd->args[0].get();
    switch (first->type) {
      case NodeType::kField:
        return eval_field_node(dot, static_cast<const FieldNode*>(first), &cmd->args, final);
      case NodeType::kChain:
        return eval_chain_node(dot, static_cast<const ChainNode*>(first), &cmd->args, final);
      case NodeType::kIdentifier:
        return eval_function(dot, static_cast<const IdentifierNode*>(first), cmd, &cmd->args, final);
      case NodeType::kPipe:
        not_a_function(&cmd->args, final);
        return eval_pipeline(dot, static_cast<const PipeNode*>(first));
      case NodeType::kVariable:
        return eval_variable_node(dot, static_cast<const VariableNode*>(first), &cmd->args, final);
      default:
        break;
    }
    at(first);
    not_a_function(&cmd->args, final);
    switch (first->type) {
      case NodeType::kBool:
        return ExecValue{Value::boolean(static_cast<const BoolNode*>(first)->value), false};
      case NodeType::kDot:
        return dot;
      case NodeType::kNil:
        errorf("nil is not a command");
      case NodeType::kNumber:
        return ideal_constant(static_cast<const NumberNode*>(first));
      case NodeType::kString:
        return ExecValue{Value::string(static_cast<const StringNode*>(first)->text), false};
      default:
        errorf("can't evaluate command " + go_quote(first->string()));
    }
  }

  ExecValue ideal_constant(const NumberNode* n) {
    at(n);
    if (n->is_complex) errorf("complex constant " + n->text + " is not supported");
    if (n->is_float && !is_hex_int(n->text) && n->text[0] != '\'' &&
        n->text.find_first_of(".eEpP") != std::string::npos) {
      return ExecValue{Value::floating(n->float64), false};
    }
    if (n->is_int) return ExecValue{Value::integer(n->int64), false};
    if (n->is_uint) errorf(n->text + " overflows int");
    return {};
  }

  ExecValue eval_field_node(const ExecValue& dot, const FieldNode* field, const Args* args, const ExecValue* final) {
    at(field);
    return eval_field_chain(dot, dot, field, field->ident, args, final);
  }

  ExecValue eval_chain_node(const ExecValue& dot, const ChainNode* chain, const Args* args, const ExecValue* final) {
    at(chain);
    if (chain->node->type == NodeType::kNil) errorf("indirection through explicit nil in " + chain->string());
    ExecValue pipe = eval_arg(dot, chain->node.get());
    return eval_field_chain(dot, pipe, chain, chain->field, args, final);
  }

  ExecValue eval_variable_node(const ExecValue& dot, const VariableNode* var, const Args* args,
                               const ExecValue* final) {
    at(var);
    ExecValue value = var_value(var->ident[0]);
    if (var->ident.size() == 1) {
      not_a_function(args, final);
      return value;
    }
    return eval_field_chain(dot, value, var, std::span(var->ident).subspan(1), args, final);
  }

  ExecValue eval_field_chain(const ExecValue& dot, ExecValue receiver, const Node* node,
                             std::span<const std::string> ident, const Args* args, const ExecValue* final) {
    size_t n = ident.size();
    for (size_t i = 0; i + 1 < n; ++i) receiver = eval_field(dot, ident[i], node, nullptr, nullptr, receiver);
    return eval_field(dot, ident[n - 1], node, args, final, receiver);
  }

  ExecValue eval_field(const ExecValue& dot, const std::string& name, const Node* node, const Args* args,
                       const ExecValue* final, const ExecValue& receiver) {
    if (receiver.v.is_nil()) {
      if (!receiver.iface) {
        if (missing_key_ == MissingKey::kError) errorf("nil data; no entry for key " + go_quote(name));
        return {};
      }
      errorf("nil pointer evaluating interface {}." + name);
    }
    bool has_args = (args != nullptr && args->size() > 1) || final != nullptr;
    switch (receiver.v.kind()) {
      case Kind::kMap: {
        if (receiver.v.go_type() == GoType::kValues && name == "AsMap") {
          if (has_args) errorf("wrong number of args for AsMap: want 0 got " + std::to_string(num_args(args, final)));
          return ExecValue{Value::map_ref(receiver.v.map_ptr()), false};
        }
        if (receiver.v.go_type() == GoType::kValues && name == "YAML" && funcs_ != nullptr) {
          // chartutil.Values.YAML(): yaml.Marshal of the map, i.e. toYaml plus its final newline.
          auto fn = funcs_->find("toYaml");
          if (fn != funcs_->end()) {
            if (has_args) errorf("wrong number of args for YAML: want 0 got " + std::to_string(num_args(args, final)));
            Value map = Value::map_ref(receiver.v.map_ptr());
            Value y = fn->second.call(ctx_, std::span<const Value>(&map, 1));
            return ExecValue{Value::string(y.kind() == Kind::kString ? y.as_string() + "\n" : std::string()), false};
          }
        }
        if (has_args) errorf(name + " is not a method but has arguments");
        const Map& m = receiver.v.as_map();
        auto it = m.find(name);
        if (it == m.end()) {
          if (missing_key_ == MissingKey::kError) errorf("map has no entry for key " + go_quote(name));
          if (missing_key_ == MissingKey::kZero && receiver.v.go_type() == GoType::kStringMap) {
            return ExecValue{Value::string(""), false};  // the zero value of a map[string]string element
          }
          return ExecValue{Value(), missing_key_ == MissingKey::kZero};
        }
        return ExecValue{it->second, true};
      }
      case Kind::kObject: {
        const Object& obj = receiver.v.as_object();
        if (obj.has_method(name)) return call_method(dot, obj, name, node, args, final);
        std::optional<Value> f = obj.field(name);
        if (f) {
          if (has_args) errorf(name + " has arguments but cannot be invoked as function");
          return ExecValue{std::move(*f), false};
        }
        if (const Map* entries = obj.entries()) {
          if (has_args) errorf(name + " is not a method but has arguments");
          auto it = entries->find(name);
          return ExecValue{it == entries->end() ? obj.zero_entry() : it->second, false};
        }
        break;
      }
      default:
        break;
    }
    errorf("can't evaluate field " + name + " in type " + receiver.static_type());
  }

  static size_t num_args(const Args* args, const ExecValue* final) {
    return (args != nullptr ? args->size() - 1 : 0) + (final != nullptr ? 1 : 0);
  }

  ExecValue call_method(const ExecValue& dot, const Object& obj, const std::string& name, const Node* node,
                        const Args* args, const ExecValue* final) {
    std::vector<Value> argv;
    if (std::vector<ParamType> params = obj.method_params(name); !params.empty()) {
      // Go checks a method's arguments like a function's (evalCall), before calling it.
      Function signature;
      signature.min_args = signature.max_args = static_cast<int>(params.size());
      signature.params = std::move(params);
      check_arity(name, signature.min_args, signature.max_args, args, final);
      eval_typed_args(dot, signature, args, final, &argv);
    } else {
      if (args != nullptr) {
        for (size_t i = 1; i < args->size(); ++i) argv.push_back(eval_arg(dot, (*args)[i].get()).v);
      }
      if (final != nullptr) argv.push_back(final->v);
    }
    std::string error;
    Value result;
    try {
      result = obj.call_method(name, argv, &error);
    } catch (const ExecError& e) {
      error = e.message;
    }
    if (!error.empty()) {
      at(node);
      errorf("error calling " + name + ": " + error);
    }
    return ExecValue{std::move(result), false};
  }

  void check_arity(const std::string& name, int min_args, int max_args, const Args* args, const ExecValue* final) {
    size_t nargs = args != nullptr ? args->size() - 1 : 0;
    auto num_in = static_cast<int>(num_args(args, final));
    if (max_args < 0) {
      if (num_in < min_args) {
        errorf("wrong number of args for " + name + ": want at least " + std::to_string(min_args) + " got " +
               std::to_string(nargs));
      }
    } else if (num_in < min_args || num_in > max_args) {
      int want = num_in < min_args ? min_args : max_args;
      errorf("wrong number of args for " + name + ": want " + std::to_string(want) + " got " + std::to_string(num_in));
    }
  }

  ExecValue eval_function(const ExecValue& dot, const IdentifierNode* node, const Node* cmd, const Args* args,
                          const ExecValue* final) {
    at(node);
    const std::string& name = node->ident;
    if (funcs_ != nullptr) {
      auto it = funcs_->find(name);
      if (it != funcs_->end()) return eval_call(dot, it->second, cmd, name, args, final);
    }
    if (is_builtin(name)) return eval_builtin(dot, cmd, name, args, final);
    errorf(go_quote(name) + " is not a defined function");
  }

  ExecValue eval_call(const ExecValue& dot, const Function& fn, const Node* node, const std::string& name,
                      const Args* args, const ExecValue* final) {
    check_arity(name, fn.min_args, fn.max_args, args, final);
    std::vector<Value> argv;
    if (!fn.params.empty()) {
      eval_typed_args(dot, fn, args, final, &argv);
    } else {
      if (args != nullptr) {
        argv.reserve(args->size());
        for (size_t i = 1; i < args->size(); ++i) argv.push_back(eval_arg(dot, (*args)[i].get()).v);
      }
      if (final != nullptr) argv.push_back(final->v);
    }
    Value result;
    try {
      result = fn.call(ctx_, argv);
    } catch (const ExecError& e) {
      at(node);
      errorf("error calling " + name + ": " + e.message);
    }
    return ExecValue{std::move(result), false};
  }

  /// The arguments of a function with Go parameter types, evaluated and checked as Go's evalCall does: each
  /// argument against its parameter (the variadic element type past the fixed ones), then the pipeline's
  /// final value against the parameter it lands on, reported at the last node evaluated.
  void eval_typed_args(const ExecValue& dot, const Function& fn, const Args* args, const ExecValue* final,
                       std::vector<Value>* argv) {
    const size_t fixed = fn.max_args < 0 ? fn.params.size() - 1 : fn.params.size();
    const auto param = [&](size_t i) { return i < fixed ? fn.params[i] : fn.params.back(); };
    const size_t nargs = args != nullptr ? args->size() - 1 : 0;
    argv->reserve(nargs + (final != nullptr ? 1 : 0));
    for (size_t i = 0; i < nargs; ++i) {
      const Node* n = (*args)[i + 1].get();
      const ParamType t = param(i);
      if (t == ParamType::kAny || is_computed(n)) {
        ExecValue v = eval_arg(dot, n);
        if (!has_type(v.v, t)) v.v = convert_arg(v, t);
        argv->push_back(std::move(v.v));
      } else {
        argv->push_back(typed_constant(t, n));
      }
    }
    if (final != nullptr) {
      const ParamType t = param(nargs);
      argv->push_back(has_type(final->v, t) ? final->v : convert_arg(*final, t));
    }
  }

  /// Nodes whose value is computed (checked by Go's validateType); the others are constants and nil.
  static bool is_computed(const Node* n) {
    switch (n->type) {
      case NodeType::kDot:
      case NodeType::kField:
      case NodeType::kVariable:
      case NodeType::kPipe:
      case NodeType::kIdentifier:
      case NodeType::kChain:
        return true;
      default:
        return false;
    }
  }

  static bool can_be_nil(ParamType t) {
    return t == ParamType::kAny || t == ParamType::kIfaceList || t == ParamType::kMap;
  }

  /// True when a value may be passed as is to a parameter of type `t` (the common case: no conversion).
  static bool has_type(const Value& v, ParamType t) {
    switch (t) {
      case ParamType::kAny:
        return true;
      case ParamType::kString:
        return v.go_type() == GoType::kString;
      case ParamType::kInt:
        return v.go_type() == GoType::kInt;
      case ParamType::kInt64:
        return v.go_type() == GoType::kInt64;
      case ParamType::kFloat64:
        return v.go_type() == GoType::kFloat64;
      case ParamType::kBool:
        return v.go_type() == GoType::kBool;
      case ParamType::kIfaceList:
        return v.go_type() == GoType::kIfaceList;
      case ParamType::kMap:
        return v.go_type() == GoType::kMap;
      case ParamType::kTime:
        return v.kind() == Kind::kObject && v.as_object().type_name() == "time.Time";
      case ParamType::kCertificate:
        return v.kind() == Kind::kObject && v.as_object().type_name() == "sprig.certificate";
      default:
        return false;
    }
  }

  /// Go's validateType for a computed value `has_type` refused: chartutil.Values becomes a plain
  /// map[string]interface {}, "no value" becomes the parameter's nil where it has one; anything else is an
  /// error. A nil interface (a missing map key) has the static type interface {}, which only interface {}
  /// accepts.
  [[gnu::noinline]] Value convert_arg(const ExecValue& v, ParamType t) {
    if (t == ParamType::kMap && v.v.go_type() == GoType::kValues) {
      Value m = Value::map_ref(v.v.map_ptr());
      m.origin = v.v.origin;
      return m;
    }
    if (v.v.is_nil() && !v.iface && can_be_nil(t)) return Value();
    const std::string type(param_type_name(t));
    if (v.v.is_nil()) {
      if (v.iface) errorf("wrong type for value; expected " + type + "; got interface {}");
      errorf("invalid value; expected " + type);
    }
    errorf("wrong type for value; expected " + type + "; got " + v.v.type_name());
  }

  /// Go's evalArg for a constant or nil passed to a typed parameter: it must suit the type and is converted
  /// to it.
  Value typed_constant(ParamType t, const Node* n) {
    at(n);
    if (n->type == NodeType::kNil) {
      if (can_be_nil(t)) return Value();
      errorf("cannot assign nil to " + std::string(param_type_name(t)));
    }
    switch (t) {
      case ParamType::kBool:
        if (n->type == NodeType::kBool) return Value::boolean(static_cast<const BoolNode*>(n)->value);
        errorf("expected bool; found " + n->string());
      case ParamType::kString:
        if (n->type == NodeType::kString) return Value::string(static_cast<const StringNode*>(n)->text);
        errorf("expected string; found " + n->string());
      case ParamType::kInt:
      case ParamType::kInt64:
        if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_int) {
          return Value::integer(static_cast<const NumberNode*>(n)->int64,
                                t == ParamType::kInt ? GoType::kInt : GoType::kInt64);
        }
        errorf("expected integer; found " + n->string());
      case ParamType::kUint32:
        // reflect's SetUint truncates to the parameter's width.
        if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_uint) {
          return Value::integer(static_cast<uint32_t>(static_cast<const NumberNode*>(n)->uint64));
        }
        errorf("expected unsigned integer; found " + n->string());
      case ParamType::kFloat64:
        if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_float) {
          return Value::floating(static_cast<const NumberNode*>(n)->float64);
        }
        errorf("expected float; found " + n->string());
      default:
        errorf("can't handle " + n->string() + " for arg of type " + std::string(param_type_name(t)));
    }
  }

  ExecValue eval_builtin(const ExecValue& dot, const Node* node, const std::string& name, const Args* args,
                         const ExecValue* final) {
    int min_args = 0;
    int max_args = 0;
    builtin_arity(name, &min_args, &max_args);
    check_arity(name, min_args, max_args, args, final);
    if (name == "and" || name == "or") {
      bool want = name == "or";
      ExecValue v;
      for (size_t i = 1; i < args->size(); ++i) {
        v = eval_arg(dot, (*args)[i].get());
        if (is_true(v) == want) return v;
      }
      if (final != nullptr) v = *final;
      return v;
    }
    std::vector<ExecValue> argv;
    if (args != nullptr) {
      argv.reserve(args->size());
      for (size_t i = 1; i < args->size(); ++i) {
        if (i == 1 && name == "printf") {
          argv.push_back(eval_string_arg(dot, (*args)[i].get()));
        } else {
          argv.push_back(eval_arg(dot, (*args)[i].get()));
        }
      }
    }
    if (final != nullptr) {
      if (argv.empty() && name == "printf") validate_string(*final);
      argv.push_back(*final);
    }
    try {
      return call_builtin(name, argv);
    } catch (const ExecError& e) {
      at(node);
      errorf("error calling " + name + ": " + e.message);
    }
  }

  void validate_string(const ExecValue& v) {
    if (v.v.kind() == Kind::kString) return;
    if (v.v.is_nil() && !v.iface) errorf("invalid value; expected string");
    // A non-nil interface is looked through; a nil one keeps its static type.
    errorf("wrong type for value; expected string; got " + (v.v.is_nil() ? v.static_type() : v.v.type_name()));
  }

  ExecValue eval_string_arg(const ExecValue& dot, const Node* n) {
    at(n);
    switch (n->type) {
      case NodeType::kString:
        return ExecValue{Value::string(static_cast<const StringNode*>(n)->text), false};
      case NodeType::kNil:
        errorf("cannot assign nil to string");
      case NodeType::kBool:
      case NodeType::kNumber:
        errorf("expected string; found " + n->string());
      default:
        break;
    }
    ExecValue v = eval_arg(dot, n);
    validate_string(v);
    return v;
  }

  ExecValue eval_arg(const ExecValue& dot, const Node* n) {
    at(n);
    switch (n->type) {
      case NodeType::kDot:
        return dot;
      case NodeType::kNil:
        return {};
      case NodeType::kField:
        return eval_field_node(dot, static_cast<const FieldNode*>(n), nullptr, nullptr);
      case NodeType::kVariable:
        return eval_variable_node(dot, static_cast<const VariableNode*>(n), nullptr, nullptr);
      case NodeType::kPipe:
        return eval_pipeline(dot, static_cast<const PipeNode*>(n));
      case NodeType::kIdentifier: {
        const auto* id = static_cast<const IdentifierNode*>(n);
        return eval_function(dot, id, id, nullptr, nullptr);
      }
      case NodeType::kChain:
        return eval_chain_node(dot, static_cast<const ChainNode*>(n), nullptr, nullptr);
      case NodeType::kBool:
        return ExecValue{Value::boolean(static_cast<const BoolNode*>(n)->value), false};
      case NodeType::kNumber:
        return ideal_constant(static_cast<const NumberNode*>(n));
      case NodeType::kString:
        return ExecValue{Value::string(static_cast<const StringNode*>(n)->text), false};
      default:
        errorf("can't handle assignment of " + n->string() + " to empty interface argument");
    }
  }

  const TreeMap& trees_;
  const FuncMap* funcs_;
  CallContext& ctx_;
  std::string& out_;
  std::vector<OutputChunk>* chunks_;
  MissingKey missing_key_;
  const Tree* tmpl_ = nullptr;
  const Node* node_ = nullptr;
  std::vector<std::pair<std::string_view, ExecValue>> vars_;
  int depth_ = 0;
};

}  // namespace

std::string_view param_type_name(ParamType t) {
  switch (t) {
    case ParamType::kAny:
      return "interface {}";
    case ParamType::kString:
      return "string";
    case ParamType::kInt:
      return "int";
    case ParamType::kInt64:
      return "int64";
    case ParamType::kUint32:
      return "uint32";
    case ParamType::kFloat64:
      return "float64";
    case ParamType::kBool:
      return "bool";
    case ParamType::kIfaceList:
      return "[]interface {}";
    case ParamType::kMap:
      return "map[string]interface {}";
    case ParamType::kTime:
      return "time.Time";
    case ParamType::kCertificate:
      return "sprig.certificate";
  }
  return "?";
}

bool set_params(FuncMap& funcs, std::initializer_list<std::string_view> names,
                std::initializer_list<ParamType> params) {
  bool all = true;
  const auto n = static_cast<int>(params.size());
  for (std::string_view name : names) {
    auto it = funcs.find(name);
    if (it == funcs.end()) {
      all = false;
      continue;
    }
    Function& fn = it->second;
    if (fn.max_args < 0 ? n != fn.min_args + 1 : (n != fn.min_args || n != fn.max_args)) {
      all = false;
      continue;
    }
    fn.params.assign(params.begin(), params.end());
  }
  return all;
}

void execute_tree(const Tree& tree, const TreeMap& trees, const FuncMap* funcs, const Value& data, CallContext& ctx,
                  std::string* out, std::vector<OutputChunk>* chunks, MissingKey missing_key) {
  State(trees, funcs, ctx, out, chunks, missing_key).run(tree, data);
}

}  // namespace gl::render::gotemplate
