// Terraform: root modules, local child modules, variables (defaults, terraform.tfvars, *.auto.tfvars, module
// arguments), locals, count/for_each, a subset of the function library (templatefile, merge, lookup, ...), and the
// resources that make nodes: aws_instance, aws_spot_instance_request, aws_eks_node_group, aws_autoscaling_group
// (through aws_launch_template).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/strings.h"
#include "k8s/infra/facts.h"
#include "k8s/infra/hcl.h"
#include "yaml/parser.h"

namespace gl::k8s::infra::detail {
namespace {

using hcl::Expr;
using hcl::TemplatePart;
using Kind = Value::Kind;

constexpr size_t kMaxModuleDepth = 16;
constexpr size_t kMaxTemplateDepth = 8;
constexpr int64_t kMaxInstances = 1000;
constexpr size_t kMaxCollection = 10000;
constexpr size_t kEvalBudget = 2000000;
/// Nesting of evaluations (an expression, the local it names, that local's expression, ...): bounds the stack.
constexpr size_t kMaxEvalDepth = 300;

Span expr_span(const Expr& e) {
  if (e.file == nullptr) return {};
  return Span{e.file, e.file->mark_at(e.offset), e.file->mark_at(e.end)};
}

std::string display(const Expr& e) {
  std::string s(e.source());
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

struct TfFile {
  const SourceFile* file = nullptr;
  hcl::ParseResult parsed;
};

struct TfModule {
  std::string dir;  ///< repository-relative
  std::vector<const TfFile*> files;
  std::map<std::string, const hcl::Block*> variables;
  std::map<std::string, const hcl::Attribute*> locals;
  std::vector<const hcl::Block*> resources;
  std::vector<const hcl::Block*> modules;
  const hcl::Block* resource(std::string_view type, std::string_view name) const {
    for (const auto* r : resources) {
      if (r->labels.size() == 2 && r->labels[0] == type && r->labels[1] == name) return r;
    }
    return nullptr;
  }
};

/// A module as instantiated: its input values and lazily computed locals.
struct Instance {
  const TfModule* mod = nullptr;
  std::string address;   ///< "" for a root module, else "module.a" or "module.a.module.b[0]"
  std::string root_dir;  ///< the root module's directory (Terraform's working directory)
  std::map<std::string, Value> vars;
  std::map<std::string, Value> locals;
  std::set<std::string> busy;
  std::vector<std::string> chain;  ///< module directories from the root to this one (cycle check)
};

struct Scope {
  Instance* inst = nullptr;
  const Scope* parent = nullptr;
  std::vector<std::pair<std::string, Value>> names;
  bool in_template = false;
  const Value* lookup(std::string_view n) const {
    for (const Scope* s = this; s != nullptr; s = s->parent) {
      for (const auto& [k, v] : s->names) {
        if (k == n) return &v;
      }
      if (s->in_template) break;
    }
    return nullptr;
  }
  /// The module instance whose var.* and local.* are visible (none inside a template).
  Instance* instance() const {
    for (const Scope* s = this; s != nullptr; s = s->parent) {
      if (s->in_template) return nullptr;
      if (s->inst != nullptr) return s->inst;
    }
    return nullptr;
  }
  /// The module instance evaluating this expression, templates included (for resolving file paths).
  Instance* owner() const {
    for (const Scope* s = this; s != nullptr; s = s->parent) {
      if (s->inst != nullptr) return s->inst;
    }
    return nullptr;
  }
};

std::string relative_to(std::string_view path, std::string_view base) {
  if (base.empty()) return std::string(path.empty() ? "." : path);
  if (path == base) return ".";
  if (path.size() > base.size() && path.substr(0, base.size()) == base && path[base.size()] == '/') {
    return std::string(path.substr(base.size() + 1));
  }
  // A module outside the root's directory: climb with "..".
  std::string up;
  std::string_view b = base;
  while (!b.empty() && !(path.size() > b.size() && path.substr(0, b.size()) == b && path[b.size()] == '/')) {
    up += "../";
    b = dirname(b);
  }
  return up + std::string(b.empty() ? path : path.substr(b.size() + 1));
}

bool truthy_known(const Value& v, bool* out) {
  if (v.kind == Kind::kBool) {
    *out = v.boolean;
    return true;
  }
  if (v.kind == Kind::kString && (v.text.str() == "true" || v.text.str() == "false")) {
    *out = v.text.str() == "true";
    return true;
  }
  return false;
}

std::optional<double> to_number(const Value& v) {
  if (v.kind == Kind::kNumber) return v.number;
  if (v.kind == Kind::kString) {
    const std::string& s = v.text.str();
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size()) return std::nullopt;
    return d;
  }
  return std::nullopt;
}

bool equal_values(const Value& a, const Value& b) {
  if (a.kind == Kind::kNull || b.kind == Kind::kNull) return a.kind == b.kind;
  if (a.is_scalar() && b.is_scalar()) {
    if (a.kind != b.kind && (a.kind == Kind::kBool || b.kind == Kind::kBool)) return false;
    return a.as_string() == b.as_string();
  }
  if (a.kind != b.kind || a.items.size() != b.items.size() || a.keys != b.keys) return false;
  for (size_t i = 0; i < a.items.size(); ++i) {
    if (!equal_values(a.items[i], b.items[i])) return false;
  }
  return true;
}

class Terraform {
 public:
  Terraform(const Repo& repo, Sink& sink) : repo_(repo), sink_(sink) {}

  void run() {
    std::set<std::string> dirs;
    for (const auto& p : repo_.paths) {
      if (p.size() > 3 && p.substr(p.size() - 3) == ".tf") dirs.insert(std::string(dirname(p)));
    }
    if (dirs.empty()) return;
    // Directories used as local module sources are children, the rest are roots.
    std::set<std::string> children;
    for (const auto& d : dirs) {
      const TfModule* m = module(d);
      for (const auto* call : m->modules) {
        if (auto src = local_source(*call, d); src && *src != d) children.insert(*src);
      }
    }
    for (const auto& d : dirs) {
      if (children.count(d) > 0) continue;
      Instance root;
      root.mod = module(d);
      root.root_dir = d;
      root.chain.push_back(d);
      root_variables(root);
      instantiate(root);
    }
  }

 private:
  const Repo& repo_;
  Sink& sink_;
  std::map<std::string, std::unique_ptr<TfFile>> files_;
  std::map<std::string, std::unique_ptr<TfModule>> modules_;
  std::map<std::string, std::unique_ptr<hcl::TemplateResult>> templates_;
  std::vector<std::string> template_stack_;
  size_t budget_ = kEvalBudget;
  size_t eval_depth_ = 0;
  bool budget_noted_ = false;

  // ---- loading ----

  const TfFile* file(const std::string& path) {
    auto it = files_.find(path);
    if (it != files_.end()) return it->second.get();
    auto f = std::make_unique<TfFile>();
    f->file = repo_.load(path);
    if (f->file != nullptr && yaml::looks_binary(f->file->text())) {
      sink_.note(Span{f->file, Mark{1, 1}, Mark{1, 1}}, fmt::format("`{}` is not text; it is not read", path));
      f->file = nullptr;
    }
    if (f->file != nullptr) {
      f->parsed = hcl::parse(*f->file);
      for (const auto& e : f->parsed.errors) {
        const Mark m = f->file->mark_at(e.offset);
        sink_.note(Span{f->file, m, m}, fmt::format("terraform syntax: {}; the item is skipped", e.message));
      }
    }
    return (files_[path] = std::move(f)).get();
  }

  const TfModule* module(const std::string& dir) {
    auto it = modules_.find(dir);
    if (it != modules_.end()) return it->second.get();
    auto m = std::make_unique<TfModule>();
    m->dir = dir;
    std::vector<std::string> paths = repo_.files_in(dir, ".tf");
    if (paths.empty()) {
      for (const char* name : {"main.tf", "variables.tf"}) paths.push_back(join_path(dir, name));
    }
    for (const auto& p : paths) {
      const TfFile* f = file(p);
      if (f->file == nullptr) continue;
      m->files.push_back(f);
      for (const auto& b : f->parsed.body.blocks) {
        if (b.type == "variable" && b.labels.size() == 1) m->variables[b.labels[0]] = &b;
        if (b.type == "locals") {
          for (const auto& a : b.body.attributes) m->locals[a.name] = &a;
        }
        if (b.type == "resource" && b.labels.size() == 2) m->resources.push_back(&b);
        if (b.type == "module" && b.labels.size() == 1) m->modules.push_back(&b);
      }
    }
    return (modules_[dir] = std::move(m)).get();
  }

  /// The repository directory of a module call's local source ("./x", "../x"), nullopt for other sources.
  std::optional<std::string> local_source(const hcl::Block& call, const std::string& dir) {
    const hcl::Attribute* src = call.body.attribute("source");
    if (src == nullptr || src->value->kind != Expr::Kind::kTemplate || src->value->parts.size() != 1 ||
        src->value->parts[0].kind != TemplatePart::Kind::kLiteral) {
      return std::nullopt;
    }
    const std::string& s = src->value->parts[0].text;
    if (s.rfind("./", 0) != 0 && s.rfind("../", 0) != 0) return std::nullopt;
    bool ok = true;
    std::string path = normalize_path(join_path(dir, s), &ok);
    if (!ok) return std::nullopt;
    while (!path.empty() && path.back() == '/') path.pop_back();
    return path == "." ? std::string() : path;
  }

  void root_variables(Instance& inst) {
    Scope empty;
    for (const auto& [name, block] : inst.mod->variables) {
      if (const auto* def = block->body.attribute("default")) inst.vars[name] = eval(*def->value, empty);
    }
    std::vector<std::string> tfvars;
    const std::string main_vars = join_path(inst.mod->dir, "terraform.tfvars");
    if (repo_.has(main_vars)) tfvars.push_back(main_vars);
    for (const auto& p : repo_.files_in(inst.mod->dir, ".auto.tfvars")) tfvars.push_back(p);
    for (const auto& p : tfvars) {
      const TfFile* f = file(p);
      if (f->file == nullptr) continue;
      for (const auto& a : f->parsed.body.attributes) inst.vars[a.name] = eval(*a.value, empty);
    }
    // Other *.tfvars files (env/prod.tfvars) are only read with -var-file: say so once each.
    for (const auto& p : repo_.paths) {
      if (p.size() < 7 || p.substr(p.size() - 7) != ".tfvars" || p.find(".auto.tfvars") != std::string::npos) continue;
      if (std::find(tfvars.begin(), tfvars.end(), p) != tfvars.end() || basename(p) == "terraform.tfvars") continue;
      const std::string_view d = dirname(p);
      if (d != inst.mod->dir && dirname(d) != inst.mod->dir) continue;
      const SourceFile* f = repo_.load(p);
      if (f == nullptr) continue;
      sink_.note(Span{f, Mark{1, 1}, Mark{1, 1}},
                 fmt::format("`{}` is read by terraform only with `-var-file`; its values are not used", p));
    }
  }

  // ---- instantiation ----

  void instantiate(Instance& inst) {
    Scope scope;
    scope.inst = &inst;
    for (const auto* r : inst.mod->resources) {
      const std::string& type = r->labels[0];
      if (type == "aws_instance" || type == "aws_spot_instance_request" || type == "aws_eks_node_group" ||
          type == "aws_autoscaling_group") {
        resource(inst, *r, scope);
      }
    }
    for (const auto* call : inst.mod->modules) module_call(inst, *call, scope);
  }

  /// The instances of a block with count/for_each: each entry is the scope names to add and the address suffix.
  std::vector<std::pair<std::vector<std::pair<std::string, Value>>, std::string>> expand(const hcl::Body& body,
                                                                                         const Scope& scope,
                                                                                         const std::string& what) {
    std::vector<std::pair<std::vector<std::pair<std::string, Value>>, std::string>> out;
    if (const auto* count = body.attribute("count")) {
      const Value v = eval(*count->value, scope);
      auto n = v.as_int();
      if (!n) {
        sink_.note(count->span(), fmt::format("count of `{}` is not known ({}); its nodes are not read", what,
                                              v.why.empty() ? display(*count->value) : v.why));
        return out;
      }
      if (*n > kMaxInstances) {
        sink_.note(count->span(),
                   fmt::format("count of `{}` is {}; only the first {} are read", what, *n, kMaxInstances));
        n = kMaxInstances;
      }
      for (int64_t i = 0; i < *n; ++i) {
        Value idx = Value::number_of(static_cast<double>(i), v.at);
        out.push_back({{{"count", Value::map_of({{"index", idx}}, v.at)}}, fmt::format("[{}]", i)});
      }
      return out;
    }
    if (const auto* each = body.attribute("for_each")) {
      const Value v = eval(*each->value, scope);
      if (v.kind == Kind::kMap) {
        for (size_t i = 0; i < v.keys.size() && i < static_cast<size_t>(kMaxInstances); ++i) {
          Value key = Value::string(Text::plain(v.keys[i]));
          key.at = v.items[i].at;
          out.push_back({{{"each", Value::map_of({{"key", key}, {"value", v.items[i]}}, v.at)}},
                         fmt::format("[\"{}\"]", v.keys[i])});
        }
        return out;
      }
      if (v.kind == Kind::kList) {
        std::set<std::string> seen;
        for (const auto& item : v.items) {
          auto s = item.as_string();
          if (!s) {
            sink_.note(each->span(), fmt::format("for_each of `{}` holds a value that is not a string", what));
            return {};
          }
          if (!seen.insert(*s).second || out.size() >= static_cast<size_t>(kMaxInstances)) continue;
          out.push_back(
              {{{"each", Value::map_of({{"key", item}, {"value", item}}, v.at)}}, fmt::format("[\"{}\"]", *s)});
        }
        return out;
      }
      sink_.note(each->span(), fmt::format("for_each of `{}` is not known ({}); its nodes are not read", what,
                                           v.why.empty() ? display(*each->value) : v.why));
      return out;
    }
    out.push_back({{}, ""});
    return out;
  }

  void module_call(Instance& parent, const hcl::Block& call, const Scope& scope) {
    const std::string& name = call.labels[0];
    const std::string address = parent.address.empty() ? "module." + name : parent.address + ".module." + name;
    auto dir = local_source(call, parent.mod->dir);
    if (!dir) {
      const hcl::Attribute* src = call.body.attribute("source");
      const std::string s = src != nullptr ? std::string(src->value->source()) : "";
      static const std::vector<std::string_view> kNodeish = {"eks", "ec2",      "instance", "node",      "kube",
                                                             "k8s", "autoscal", "asg",      "karpenter", "worker"};
      const std::string lower = to_lower(s);
      if (std::any_of(kNodeish.begin(), kNodeish.end(),
                      [&](std::string_view w) { return lower.find(w) != std::string::npos; })) {
        sink_.note(
            src != nullptr ? src->span() : call.span(),
            fmt::format("module `{}` comes from {}, outside the repository; its nodes are not read", address, s));
      }
      return;
    }
    if (parent.chain.size() >= kMaxModuleDepth) {
      sink_.note(call.span(), fmt::format("module `{}` is nested more than {} levels deep; it is not read", address,
                                          kMaxModuleDepth));
      return;
    }
    if (std::find(parent.chain.begin(), parent.chain.end(), *dir) != parent.chain.end()) {
      sink_.note(call.span(),
                 fmt::format("module `{}` includes its own directory `{}`; it is not read", address, *dir));
      return;
    }
    const TfModule* child = module(*dir);
    if (child->files.empty()) {
      sink_.note(call.span(), fmt::format("module `{}`: directory `{}` has no terraform files", address, *dir));
      return;
    }
    static const std::set<std::string, std::less<>> kMeta = {"source",   "version",   "count",
                                                             "for_each", "providers", "depends_on"};
    for (auto& [names, suffix] : expand(call.body, scope, address)) {
      Scope with = scope;
      with.parent = &scope;
      with.names = names;
      Instance inst;
      inst.mod = child;
      inst.address = address + suffix;
      inst.root_dir = parent.root_dir;
      inst.chain = parent.chain;
      inst.chain.push_back(*dir);
      for (const auto& [vname, block] : child->variables) {
        if (const auto* def = block->body.attribute("default")) inst.vars[vname] = eval(*def->value, Scope{});
      }
      for (const auto& a : call.body.attributes) {
        if (kMeta.count(a.name) > 0) continue;
        inst.vars[a.name] = eval(*a.value, with);
      }
      instantiate(inst);
    }
  }

  std::string group_of(const Instance& inst, const hcl::Block& r) const {
    if (!inst.address.empty()) return "terraform " + inst.address;
    return fmt::format("terraform {}.{}", r.labels[0], r.labels[1]);
  }

  /// The launch template a resource names in a `launch_template { id|name = aws_launch_template.X.* }` block.
  const hcl::Block* launch_template(const Instance& inst, const hcl::Body& body) const {
    for (const auto* lt : body.blocks_of("launch_template")) {
      for (const char* key : {"id", "name"}) {
        const auto* a = lt->body.attribute(key);
        if (a == nullptr) continue;
        const Expr* e = a->value.get();
        while (e != nullptr && e->kind == Expr::Kind::kGetAttr && e->a && e->a->kind == Expr::Kind::kGetAttr)
          e = e->a.get();
        if (e != nullptr && e->kind == Expr::Kind::kGetAttr && e->a && e->a->kind == Expr::Kind::kVariable &&
            e->a->name == "aws_launch_template") {
          return inst.mod->resource("aws_launch_template", e->name);
        }
      }
    }
    return nullptr;
  }

  void resource(Instance& inst, const hcl::Block& r, const Scope& scope) {
    const std::string& type = r.labels[0];
    const std::string local_address = type + "." + r.labels[1];
    const std::string address = inst.address.empty() ? local_address : inst.address + "." + local_address;
    auto instances = expand(r.body, scope, address);
    // Instances that share a name (count without count.index in the Name tag) are one group.
    std::map<std::string, int64_t> names;
    struct Made {
      NodeDecl decl;
    };
    std::vector<Made> made;
    for (auto& [names_in, suffix] : instances) {
      Scope with = scope;
      with.parent = &scope;
      with.names = names_in;
      NodeDecl d;
      if (type == "aws_eks_node_group") {
        d = eks_node_group(inst, r, with, address + suffix);
      } else if (type == "aws_autoscaling_group") {
        d = autoscaling_group(inst, r, with, address + suffix);
      } else {
        d = ec2_instance(inst, r, with, address + suffix);
      }
      if (d.name.empty()) continue;
      ++names[d.name];
      made.push_back(Made{std::move(d)});
    }
    std::set<std::string> grouped;
    for (auto& m : made) {
      const int64_t n = names[m.decl.name];
      if (n > 1) {
        if (!grouped.insert(m.decl.name).second) continue;
        sink_.note(r.span(), fmt::format("the {} instances of `{}` share the name `{}`; they are read as one group", n,
                                         address, m.decl.name));
        m.decl.count = n * m.decl.count;
        m.decl.facts.push_back(count_fact(m.decl.count, r.span()));
      }
      sink_.decls.push_back(std::move(m.decl));
    }
  }

  NodeDecl new_decl(std::string name, std::string group, Span at) {
    NodeDecl d;
    d.name = std::move(name);
    d.group = std::move(group);
    d.rank = Rank::kDeclaration;
    d.facts.push_back(name_fact(at));
    return d;
  }

  void user_data(const hcl::Body& body, const Scope& scope, NodeDecl& d, const std::string& address) {
    for (const char* key : {"user_data", "user_data_base64"}) {
      const auto* a = body.attribute(key);
      if (a == nullptr) continue;
      const Value v = eval(*a->value, scope);
      if (v.kind != Kind::kString) {
        if (mentions_kubelet_args(a->value->source()) || v.kind == Kind::kUnknown) {
          sink_.note(a->span(), fmt::format("user data of `{}` is not known ({}); kubelet flags in it are not read",
                                            address, v.why.empty() ? "not a string" : v.why));
        }
        continue;
      }
      scan_kubelet_args(v.text, d, sink_);
    }
  }

  void instance_type(const hcl::Body& body, const Scope& scope, NodeDecl& d, const std::string& address) {
    const auto* a = body.attribute("instance_type");
    if (a == nullptr) return;
    const Value v = eval(*a->value, scope);
    if (v.kind == Kind::kString && !v.partial && !unresolved(v.text.str())) {
      d.facts.push_back(instance_type_fact(v.text.str(), v.at.valid() ? v.at : a->span()));
    } else {
      sink_.note(a->span(), fmt::format("instance type of `{}` is not known ({})", address,
                                        v.why.empty() ? display(*a->value) : v.why));
    }
  }

  NodeDecl ec2_instance(Instance& inst, const hcl::Block& r, const Scope& scope, const std::string& address) {
    std::string name;
    Span name_at = r.span();
    if (const auto* tags = r.body.attribute("tags")) {
      const Value v = eval(*tags->value, scope);
      if (const Value* n = v.get("Name"); n != nullptr && n->kind == Kind::kString && !n->text.empty()) {
        name = n->text.str();
        if (n->at.valid()) name_at = n->at;
        if (n->partial) sink_.note(name_at, fmt::format("node name `{}` of `{}` is not fully known", name, address));
      }
    }
    if (name.empty()) {
      name = address;
      sink_.note(r.span(), fmt::format("`{}` has no `Name` tag; its node is listed under its address", address));
    }
    NodeDecl d = new_decl(name, group_of(inst, r), name_at);
    instance_type(r.body, scope, d, address);
    user_data(r.body, scope, d, address);
    if (const hcl::Block* lt = launch_template(inst, r.body)) {
      Scope lt_scope;
      lt_scope.inst = &inst;
      if (r.body.attribute("instance_type") == nullptr) instance_type(lt->body, lt_scope, d, address);
      if (r.body.attribute("user_data") == nullptr) user_data(lt->body, lt_scope, d, address);
    }
    return d;
  }

  NodeDecl eks_node_group(Instance& inst, const hcl::Block& r, const Scope& scope, const std::string& address) {
    std::string name = r.labels[1];
    Span name_at = r.span();
    for (const char* key : {"node_group_name", "node_group_name_prefix"}) {
      if (const auto* a = r.body.attribute(key)) {
        const Value v = eval(*a->value, scope);
        if (v.kind == Kind::kString && !v.partial) {
          name = v.text.str();
          name_at = v.at.valid() ? v.at : a->span();
        }
        break;
      }
    }
    NodeDecl d = new_decl(name, group_of(inst, r), name_at);
    d.facts.push_back(label_fact("eks.amazonaws.com/nodegroup", name, name_at));
    // Size: scaling_config.desired_size.
    d.autoscaled = true;
    for (const auto* sc : r.body.blocks_of("scaling_config")) {
      if (const auto* a = sc->body.attribute("desired_size")) {
        const Value v = eval(*a->value, scope);
        if (auto n = v.as_int(); n && *n >= 0) {
          d.count = *n;
          d.autoscaled = false;
          d.facts.push_back(count_fact(*n, v.at.valid() ? v.at : a->span()));
        } else {
          sink_.note(a->span(), fmt::format("desired size of `{}` is not known ({})", address, v.why));
        }
      }
    }
    if (const auto* a = r.body.attribute("instance_types")) {
      const Value v = eval(*a->value, scope);
      if (v.kind == Kind::kList) {
        for (const auto& item : v.items) {
          if (item.kind != Kind::kString) continue;
          d.instance_types.push_back(item.text.str());
          d.facts.push_back(instance_type_fact(item.text.str(), item.at.valid() ? item.at : a->span()));
        }
      } else {
        sink_.note(a->span(), fmt::format("instance types of `{}` are not known ({})", address, v.why));
      }
    } else if (const hcl::Block* lt = launch_template(inst, r.body)) {
      Scope lt_scope;
      lt_scope.inst = &inst;
      instance_type(lt->body, lt_scope, d, address);
      user_data(lt->body, lt_scope, d, address);
    } else {
      d.instance_types.push_back("t3.medium");
      d.facts.push_back(instance_type_fact("t3.medium", r.span()));
      sink_.note(r.span(), fmt::format("`{}` sets no instance_types; EKS uses `t3.medium`", address));
    }
    if (const auto* a = r.body.attribute("labels")) {
      const Value v = eval(*a->value, scope);
      if (v.kind == Kind::kMap) {
        for (size_t i = 0; i < v.keys.size(); ++i) {
          auto s = v.items[i].as_string();
          if (!s) continue;
          d.facts.push_back(label_fact(v.keys[i], *s, v.items[i].at.valid() ? v.items[i].at : a->span()));
        }
      } else {
        sink_.note(a->span(), fmt::format("labels of `{}` are not known ({})", address, v.why));
      }
    }
    for (auto& [body, bscope] : blocks(r.body, "taint", scope)) {
      std::string key, value, effect;
      Span at;
      for (const auto& a : body->attributes) {
        const Value v = eval(*a.value, bscope);
        auto s = v.as_string();
        if (!s) continue;
        if (a.name == "key") {
          key = *s;
          at = v.at.valid() ? v.at : a.span();
        }
        if (a.name == "value") value = *s;
        if (a.name == "effect") effect = normalize_effect(*s);
      }
      if (key.empty() || effect.empty()) {
        sink_.note(at.valid() ? at : r.span(), fmt::format("a taint of `{}` is not known", address));
        continue;
      }
      d.facts.push_back(taint_fact(key, value, effect, at));
    }
    return d;
  }

  NodeDecl autoscaling_group(Instance& inst, const hcl::Block& r, const Scope& scope, const std::string& address) {
    std::string name = r.labels[1];
    Span name_at = r.span();
    if (const auto* a = r.body.attribute("name")) {
      const Value v = eval(*a->value, scope);
      if (v.kind == Kind::kString && !v.partial) {
        name = v.text.str();
        name_at = v.at.valid() ? v.at : a->span();
      }
    }
    NodeDecl d = new_decl(name, group_of(inst, r), name_at);
    d.autoscaled = true;
    if (const auto* a = r.body.attribute("desired_capacity")) {
      const Value v = eval(*a->value, scope);
      if (auto n = v.as_int(); n && *n >= 0) {
        d.count = *n;
        d.autoscaled = false;
        d.facts.push_back(count_fact(*n, v.at.valid() ? v.at : a->span()));
      }
    }
    if (const hcl::Block* lt = launch_template(inst, r.body)) {
      Scope lt_scope;
      lt_scope.inst = &inst;
      instance_type(lt->body, lt_scope, d, address);
      user_data(lt->body, lt_scope, d, address);
    } else {
      sink_.note(r.span(), fmt::format("`{}` names no `aws_launch_template` of this module; its instance type is "
                                       "not known",
                                       address));
    }
    return d;
  }

  /// Blocks of `type`, with `dynamic "type"` blocks expanded, each with the scope to evaluate its content in.
  std::vector<std::pair<const hcl::Body*, Scope>> blocks(const hcl::Body& body, std::string_view type,
                                                         const Scope& scope) {
    std::vector<std::pair<const hcl::Body*, Scope>> out;
    for (const auto& b : body.blocks) {
      if (b.type == type) {
        Scope s = scope;
        s.parent = &scope;
        s.names.clear();
        out.emplace_back(&b.body, s);
        continue;
      }
      if (b.type != "dynamic" || b.labels.size() != 1 || b.labels[0] != type) continue;
      const auto* each = b.body.attribute("for_each");
      const auto content = b.body.blocks_of("content");
      if (each == nullptr || content.empty()) continue;
      std::string iter(type);
      if (const auto* it = b.body.attribute("iterator"); it != nullptr && it->value->kind == Expr::Kind::kVariable) {
        iter = it->value->name;
      }
      const Value coll = eval(*each->value, scope);
      if (coll.kind != Kind::kList && coll.kind != Kind::kMap) {
        sink_.note(each->span(), fmt::format("dynamic `{}` blocks: for_each is not known ({})", type, coll.why));
        continue;
      }
      for (size_t i = 0; i < coll.items.size(); ++i) {
        Value key = coll.kind == Kind::kMap ? Value::string(Text::plain(coll.keys[i]))
                                            : Value::number_of(static_cast<double>(i), coll.items[i].at);
        Scope s = scope;
        s.parent = &scope;
        s.names = {{iter, Value::map_of({{"key", key}, {"value", coll.items[i]}}, coll.items[i].at)}};
        out.emplace_back(&content[0]->body, s);
      }
    }
    // Scopes copied into the vector point at `scope`, which outlives them; their own names are held by value.
    return out;
  }

  // ---- evaluation ----

  bool spend() {
    if (budget_ > 0) {
      --budget_;
      return true;
    }
    if (!budget_noted_) {
      budget_noted_ = true;
      sink_.note({}, "terraform evaluation stopped: the configuration needs more than 2000000 steps");
    }
    return false;
  }

  Value eval(const Expr& e, const Scope& scope) {
    if (!spend()) return Value::unknown("evaluation budget exhausted", expr_span(e));
    if (eval_depth_ >= kMaxEvalDepth) {
      sink_.note(expr_span(e), fmt::format("terraform evaluation nests deeper than {} levels (locals referring to "
                                           "locals); the value is not known",
                                           kMaxEvalDepth));
      return Value::unknown("evaluation nests too deep", expr_span(e));
    }
    ++eval_depth_;
    Value v = eval_inner(e, scope);
    --eval_depth_;
    return v;
  }

  Value eval_inner(const Expr& e, const Scope& scope) {
    const Span at = expr_span(e);
    switch (e.kind) {
      case Expr::Kind::kNull:
        return Value::null(at);
      case Expr::Kind::kBool:
        return Value::bool_of(e.boolean, at);
      case Expr::Kind::kNumber: {
        Value v = Value::number_of(e.number, at);
        v.text = Text::from(e.source(), e.file, e.offset, true);
        return v;
      }
      case Expr::Kind::kTemplate:
        return eval_template(e.parts, scope, e.file, at);
      case Expr::Kind::kTuple: {
        std::vector<Value> items;
        for (const auto& item : e.items) items.push_back(eval(*item, scope));
        return Value::list_of(std::move(items), at);
      }
      case Expr::Kind::kObject: {
        std::vector<std::pair<std::string, Value>> entries;
        for (size_t i = 0; i < e.keys.size(); ++i) {
          const Value k = eval(*e.keys[i], scope);
          auto ks = k.as_string();
          if (!ks) return Value::unknown(fmt::format("object key `{}` is not known", display(*e.keys[i])), at);
          entries.emplace_back(*ks, eval(*e.items[i], scope));
        }
        return Value::map_of(std::move(entries), at);
      }
      case Expr::Kind::kParens:
        return eval(*e.a, scope);
      case Expr::Kind::kVariable:
      case Expr::Kind::kGetAttr:
      case Expr::Kind::kIndex:
        return traversal(e, scope);
      case Expr::Kind::kSplat:
        return Value::unknown(fmt::format("splat `{}` is not evaluated", display(e)), at);
      case Expr::Kind::kCall:
        return call(e, scope);
      case Expr::Kind::kCond: {
        const Value c = eval(*e.a, scope);
        bool b = false;
        if (!truthy_known(c, &b)) {
          return Value::unknown(c.why.empty() ? fmt::format("condition `{}` is not known", display(*e.a)) : c.why, at);
        }
        return eval(b ? *e.b : *e.c, scope);
      }
      case Expr::Kind::kUnary: {
        const Value v = eval(*e.a, scope);
        if (e.name == "!") {
          bool b = false;
          if (!truthy_known(v, &b)) return Value::unknown(v.why, at);
          return Value::bool_of(!b, at);
        }
        auto n = to_number(v);
        if (!n) return Value::unknown(v.why, at);
        return Value::number_of(-*n, at);
      }
      case Expr::Kind::kBinary:
        return binary(e, scope);
      case Expr::Kind::kForTuple:
      case Expr::Kind::kForObject:
        return for_expr(e, scope);
    }
    return Value::unknown("unsupported expression", at);
  }

  Value binary(const Expr& e, const Scope& scope) {
    const Span at = expr_span(e);
    const Value l = eval(*e.a, scope);
    if (e.name == "&&" || e.name == "||") {
      bool lb = false;
      if (truthy_known(l, &lb) && ((e.name == "&&" && !lb) || (e.name == "||" && lb))) return Value::bool_of(lb, at);
      const Value r = eval(*e.b, scope);
      bool rb = false;
      if (!truthy_known(l, &lb) || !truthy_known(r, &rb)) return Value::unknown(l.known() ? r.why : l.why, at);
      return Value::bool_of(e.name == "&&" ? (lb && rb) : (lb || rb), at);
    }
    const Value r = eval(*e.b, scope);
    if (!l.known() || !r.known()) return Value::unknown(l.known() ? r.why : l.why, at);
    if (e.name == "==" || e.name == "!=") {
      if (l.partial || r.partial) return Value::unknown("comparison of values not fully known", at);
      const bool eq = equal_values(l, r);
      return Value::bool_of(e.name == "==" ? eq : !eq, at);
    }
    auto a = to_number(l);
    auto b = to_number(r);
    if (!a || !b) return Value::unknown(fmt::format("operands of `{}` are not numbers", e.name), at);
    if (e.name == "<") return Value::bool_of(*a < *b, at);
    if (e.name == ">") return Value::bool_of(*a > *b, at);
    if (e.name == "<=") return Value::bool_of(*a <= *b, at);
    if (e.name == ">=") return Value::bool_of(*a >= *b, at);
    if (e.name == "+") return Value::number_of(*a + *b, at);
    if (e.name == "-") return Value::number_of(*a - *b, at);
    if (e.name == "*") return Value::number_of(*a * *b, at);
    if (*b == 0) return Value::unknown("division by zero", at);
    if (e.name == "/") return Value::number_of(*a / *b, at);
    return Value::number_of(std::fmod(*a, *b), at);
  }

  Value for_expr(const Expr& e, const Scope& scope) {
    const Span at = expr_span(e);
    const Value coll = eval(*e.a, scope);
    if (coll.kind != Kind::kList && coll.kind != Kind::kMap) {
      return Value::unknown(coll.why.empty() ? "for expression over a value that is not a collection" : coll.why, at);
    }
    std::vector<Value> items;
    std::vector<std::pair<std::string, Value>> entries;
    for (size_t i = 0; i < coll.items.size() && i < kMaxCollection; ++i) {
      const Scope s = iteration_scope(scope, coll, i, e.key_var, e.value_var);
      if (e.d) {
        bool keep = false;
        if (!truthy_known(eval(*e.d, s), &keep)) return Value::unknown("for expression filter is not known", at);
        if (!keep) continue;
      }
      if (e.kind == Expr::Kind::kForTuple) {
        items.push_back(eval(*e.b, s));
      } else {
        auto k = eval(*e.b, s).as_string();
        if (!k) return Value::unknown("for expression key is not known", at);
        entries.emplace_back(*k, eval(*e.c, s));
      }
    }
    if (e.kind == Expr::Kind::kForTuple) return Value::list_of(std::move(items), at);
    return Value::map_of(std::move(entries), at);
  }

  /// The scope of item `i` of a `for` over `coll` (a for expression or a template directive): the key (a map's
  /// key, a list's index) under `key_var` when named, the item under `value_var`.
  static Scope iteration_scope(const Scope& parent, const Value& coll, size_t i, const std::string& key_var,
                               const std::string& value_var) {
    Scope s;
    s.parent = &parent;
    if (!key_var.empty()) {
      s.names.emplace_back(key_var, coll.kind == Kind::kMap
                                        ? Value::string(Text::plain(coll.keys[i]))
                                        : Value::number_of(static_cast<double>(i), coll.items[i].at));
    }
    s.names.emplace_back(value_var, coll.items[i]);
    return s;
  }

  Value eval_template(const std::vector<TemplatePart>& parts, const Scope& scope, const SourceFile* file, Span at) {
    // "${x}" alone is x itself, not its string form.
    if (parts.size() == 1 && parts[0].kind == TemplatePart::Kind::kInterp) return eval(*parts[0].expr, scope);
    Text out;
    bool partial = false;
    render_parts(parts, scope, file, out, partial);
    Value v = Value::string(std::move(out));
    v.partial = partial;
    if (!v.at.valid()) v.at = at;
    return v;
  }

  void keep_as_written(const TemplatePart& p, const SourceFile* file, Text& out) {
    if (file == nullptr) return;
    const std::string_view src = std::string_view(file->text()).substr(p.offset, p.end - p.offset);
    out.append(src, file, p.offset, true);
  }

  void render_parts(const std::vector<TemplatePart>& parts, const Scope& scope, const SourceFile* file, Text& out,
                    bool& partial) {
    for (const auto& p : parts) {
      if (out.size() > (64u << 20)) {
        partial = true;
        return;
      }
      switch (p.kind) {
        case TemplatePart::Kind::kLiteral:
          out.append(p.text, file, p.offset, p.exact);
          break;
        case TemplatePart::Kind::kInterp: {
          const Value v = eval(*p.expr, scope);
          if (v.is_scalar()) {
            out.append(v.as_text().substituted());
            partial = partial || v.partial;
          } else if (v.kind != Kind::kNull) {
            keep_as_written(p, file, out);
            partial = true;
          }
          break;
        }
        case TemplatePart::Kind::kIf: {
          bool b = false;
          if (truthy_known(eval(*p.expr, scope), &b)) {
            render_parts(b ? p.then_parts : p.else_parts, scope, file, out, partial);
          } else {
            partial = true;
            render_parts(p.then_parts, scope, file, out, partial);
          }
          break;
        }
        case TemplatePart::Kind::kFor: {
          const Value coll = eval(*p.expr, scope);
          if (coll.kind != Kind::kList && coll.kind != Kind::kMap) {
            partial = true;
            break;
          }
          for (size_t i = 0; i < coll.items.size() && i < kMaxCollection; ++i) {
            const Scope s = iteration_scope(scope, coll, i, p.key_var, p.value_var);
            render_parts(p.then_parts, s, file, out, partial);
          }
          break;
        }
      }
    }
  }

  Value apply_step(const Value& base, const Value& key, const Expr& step) {
    const Span at = expr_span(step);
    if (!base.known()) return base;
    if (!key.known()) return Value::unknown(key.why, at);
    if (base.kind == Kind::kMap) {
      auto k = key.as_string();
      if (!k) return Value::unknown("map key is not a string", at);
      if (const Value* v = base.get(*k)) return *v;
      return Value::unknown(fmt::format("`{}` has no key `{}`", display(step), *k), at);
    }
    if (base.kind == Kind::kList) {
      auto i = key.as_int();
      if (!i || *i < 0 || static_cast<size_t>(*i) >= base.items.size()) {
        return Value::unknown(fmt::format("index of `{}` is out of range", display(step)), at);
      }
      return base.items[static_cast<size_t>(*i)];
    }
    return Value::unknown(fmt::format("`{}` indexes a value that is not a collection", display(step)), at);
  }

  Value traversal(const Expr& e, const Scope& scope) {
    const Span at = expr_span(e);
    // Collect the steps down to the root variable (or another expression).
    std::vector<const Expr*> steps;
    const Expr* root = &e;
    while (root->kind == Expr::Kind::kGetAttr || root->kind == Expr::Kind::kIndex) {
      steps.push_back(root);
      root = root->a.get();
    }
    std::reverse(steps.begin(), steps.end());
    auto step_key = [&](const Expr* s) {
      if (s->kind == Expr::Kind::kGetAttr) return Value::string(Text::plain(s->name));
      return eval(*s->b, scope);
    };
    Value base;
    size_t next = 0;
    if (root->kind != Expr::Kind::kVariable) {
      base = eval(*root, scope);
    } else if (const Value* named = scope.lookup(root->name)) {
      base = *named;
    } else {
      const std::string& r = root->name;
      Instance* inst = scope.instance();
      auto first_attr = [&]() -> std::string {
        if (steps.empty()) return {};
        next = 1;
        auto k = step_key(steps[0]).as_string();
        return k ? *k : std::string();
      };
      if (r == "var" || r == "local") {
        const std::string name = first_attr();
        if (name.empty()) return Value::unknown(fmt::format("`{}` is not a value", display(e)), at);
        if (inst == nullptr) return Value::unknown(fmt::format("`{}.{}` is not available here", r, name), at);
        if (r == "var") {
          auto it = inst->vars.find(name);
          if (it == inst->vars.end()) return Value::unknown(fmt::format("variable `{}` has no value", name), at);
          base = it->second;
        } else {
          base = local(*inst, name, at);
        }
      } else if (r == "path") {
        const std::string name = first_attr();
        if (inst == nullptr) return Value::unknown("`path` is not available here", at);
        if (name == "module") {
          base = Value::string(Text::plain(relative_to(inst->mod->dir, inst->root_dir)));
        } else if (name == "root" || name == "cwd") {
          base = Value::string(Text::plain("."));
        } else {
          return Value::unknown(fmt::format("`path.{}` is not known", name), at);
        }
      } else if (r == "terraform") {
        if (first_attr() != "workspace") return Value::unknown(fmt::format("`{}` is not known", display(e)), at);
        base = Value::string(Text::plain("default"));
      } else if (r == "each" || r == "count") {
        return Value::unknown(fmt::format("`{}` is used outside for_each/count", display(e)), at);
      } else if (r == "module") {
        return Value::unknown(fmt::format("module outputs such as `{}` are not read", display(e)), at);
      } else if (r == "data") {
        return Value::unknown(fmt::format("data source `{}` is known only at plan time", display(e)), at);
      } else {
        return Value::unknown(fmt::format("`{}` is known only after apply", display(e)), at);
      }
    }
    for (size_t i = next; i < steps.size(); ++i) {
      base = apply_step(base, step_key(steps[i]), *steps[i]);
      if (!base.known()) return base;
    }
    return base;
  }

  Value local(Instance& inst, const std::string& name, Span at) {
    auto cached = inst.locals.find(name);
    if (cached != inst.locals.end()) return cached->second;
    auto def = inst.mod->locals.find(name);
    if (def == inst.mod->locals.end()) return Value::unknown(fmt::format("local `{}` is not defined", name), at);
    if (!inst.busy.insert(name).second) {
      sink_.note(def->second->span(), fmt::format("local `{}` refers to itself", name));
      return Value::unknown(fmt::format("local `{}` refers to itself", name), at);
    }
    Scope s;
    s.inst = &inst;
    Value v = eval(*def->second->value, s);
    inst.busy.erase(name);
    inst.locals[name] = v;
    return v;
  }

  // ---- functions ----

  Value call(const Expr& e, const Scope& scope) {
    const Span at = expr_span(e);
    const std::string& f = e.name;
    if (f == "try") {
      for (const auto& a : e.items) {
        Value v = eval(*a, scope);
        if (v.known()) return v;
      }
      return Value::unknown("no argument of `try` is known", at);
    }
    std::vector<Value> args;
    for (const auto& a : e.items) args.push_back(eval(*a, scope));
    if (e.expand_last && !args.empty()) {
      Value last = std::move(args.back());
      args.pop_back();
      if (last.kind != Kind::kList) return Value::unknown(fmt::format("arguments of `{}` are not known", f), at);
      for (auto& v : last.items) args.push_back(std::move(v));
    }
    auto need = [&](size_t n) { return args.size() >= n; };
    auto str = [&](size_t i) -> std::optional<std::string> {
      return i < args.size() ? args[i].as_string() : std::nullopt;
    };
    auto why = [&]() {
      for (const auto& a : args) {
        if (!a.known()) return a.why;
      }
      return fmt::format("arguments of `{}` are not known", f);
    };

    if (f == "templatefile") {
      if (!need(1)) return Value::unknown("templatefile needs a path", at);
      return templatefile(e, args, scope);
    }
    if (f == "file") {
      auto p = str(0);
      if (!p) return Value::unknown(why(), at);
      const SourceFile* src = load_relative(scope.owner(), *p, e);
      if (src == nullptr) return Value::unknown(fmt::format("file `{}` is not in the repository", *p), at);
      return Value::string(Text::from(src->text(), src, 0, true));
    }
    if (f == "base64encode" || f == "base64gzip" || f == "tostring" || f == "chomp" || f == "trimspace" ||
        f == "sensitive" || f == "nonsensitive") {
      if (!need(1) || !args[0].known()) return Value::unknown(why(), at);
      Value v = args[0];
      if (v.kind == Kind::kNumber || v.kind == Kind::kBool) {
        Value s = Value::string(v.as_text());
        s.at = v.at;
        v = s;
      }
      if ((f == "trimspace" || f == "chomp") && v.kind == Kind::kString) {
        Value t = Value::string(v.text.trimmed());
        t.partial = v.partial;
        return t;
      }
      return v;
    }
    if (f == "tonumber") {
      auto n = need(1) ? to_number(args[0]) : std::nullopt;
      if (!n) return Value::unknown(why(), at);
      return Value::number_of(*n, args[0].at);
    }
    if (f == "tobool") {
      bool b = false;
      if (!need(1) || !truthy_known(args[0], &b)) return Value::unknown(why(), at);
      return Value::bool_of(b, args[0].at);
    }
    if (f == "tolist" || f == "tomap" || f == "toset") {
      if (!need(1) || !args[0].known()) return Value::unknown(why(), at);
      if (f != "toset") return args[0];
      if (args[0].kind != Kind::kList) return Value::unknown("toset of a value that is not a list", at);
      std::vector<Value> items;
      std::set<std::string> seen;
      for (const auto& v : args[0].items) {
        auto s = v.as_string();
        if (!s) return Value::unknown("toset of values that are not strings", at);
        if (seen.insert(*s).second) items.push_back(v);
      }
      std::sort(items.begin(), items.end(),
                [](const Value& a, const Value& b) { return a.as_string() < b.as_string(); });
      return Value::list_of(std::move(items), args[0].at);
    }
    if (f == "merge") {
      std::vector<std::pair<std::string, Value>> entries;
      bool partial = false;
      for (const auto& a : args) {
        if (a.kind == Kind::kNull) continue;
        if (a.kind != Kind::kMap) {
          partial = true;
          continue;
        }
        for (size_t i = 0; i < a.keys.size(); ++i) entries.emplace_back(a.keys[i], a.items[i]);
      }
      Value v = Value::map_of(std::move(entries), at);
      v.partial = partial;
      return v;
    }
    if (f == "lookup") {
      if (!need(2) || args[0].kind != Kind::kMap || !str(1)) return Value::unknown(why(), at);
      if (const Value* v = args[0].get(*str(1))) return *v;
      if (need(3)) return args[2];
      return Value::unknown(fmt::format("lookup: no key `{}`", *str(1)), at);
    }
    if (f == "concat" || f == "flatten") {
      std::vector<Value> items;
      if (f == "flatten" && (!need(1) || args[0].kind != Kind::kList)) return Value::unknown(why(), at);
      const std::vector<Value>& lists = f == "concat" ? args : args[0].items;
      for (const auto& l : lists) {
        if (l.kind == Kind::kList) {
          for (const auto& v : l.items) items.push_back(v);
        } else if (f == "flatten") {
          items.push_back(l);
        } else {
          return Value::unknown(why(), at);
        }
      }
      return Value::list_of(std::move(items), at);
    }
    if (f == "length") {
      if (!need(1)) return Value::unknown(why(), at);
      if (args[0].kind == Kind::kList || args[0].kind == Kind::kMap) {
        return Value::number_of(static_cast<double>(args[0].items.size()), at);
      }
      if (args[0].kind == Kind::kString && !args[0].partial) {
        return Value::number_of(static_cast<double>(args[0].text.size()), at);
      }
      return Value::unknown(why(), at);
    }
    if (f == "element") {
      if (!need(2) || args[0].kind != Kind::kList || args[0].items.empty() || !args[1].as_int()) {
        return Value::unknown(why(), at);
      }
      const auto n = static_cast<int64_t>(args[0].items.size());
      return args[0].items[static_cast<size_t>(((*args[1].as_int() % n) + n) % n)];
    }
    if (f == "keys" || f == "values") {
      if (!need(1) || args[0].kind != Kind::kMap) return Value::unknown(why(), at);
      if (f == "values") return Value::list_of(args[0].items, at);
      std::vector<Value> ks;
      for (const auto& k : args[0].keys) ks.push_back(Value::string(Text::plain(k)));
      return Value::list_of(std::move(ks), at);
    }
    if (f == "contains") {
      if (!need(2) || args[0].kind != Kind::kList || !args[1].known()) return Value::unknown(why(), at);
      const bool found = std::any_of(args[0].items.begin(), args[0].items.end(),
                                     [&](const Value& v) { return equal_values(v, args[1]); });
      return Value::bool_of(found, at);
    }
    if (f == "coalesce") {
      for (const auto& a : args) {
        if (!a.known()) return Value::unknown(why(), at);
        if (a.kind != Kind::kNull && !(a.kind == Kind::kString && a.text.empty())) return a;
      }
      return Value::unknown("coalesce: every argument is empty", at);
    }
    if (f == "join") {
      if (!need(2) || !str(0) || args[1].kind != Kind::kList) return Value::unknown(why(), at);
      Text out;
      for (size_t i = 0; i < args[1].items.size(); ++i) {
        if (i > 0) out.append(Text::plain(*str(0)));
        if (!args[1].items[i].is_scalar()) return Value::unknown(why(), at);
        out.append(args[1].items[i].as_text());
      }
      return Value::string(std::move(out));
    }
    if (f == "split") {
      if (!need(2) || !str(0) || args[1].kind != Kind::kString || str(0)->empty()) return Value::unknown(why(), at);
      const std::string sep = *str(0);
      const Text& t = args[1].text;
      std::vector<Value> items;
      size_t i = 0;
      while (items.size() < kMaxCollection) {
        const size_t j = t.str().find(sep, i);
        items.push_back(Value::string(t.slice(i, j == std::string::npos ? t.size() : j)));
        if (j == std::string::npos) break;
        i = j + sep.size();
      }
      return Value::list_of(std::move(items), at);
    }
    if (f == "lower" || f == "upper") {
      auto s = str(0);
      if (!s) return Value::unknown(why(), at);
      Value v = Value::string(Text::plain(f == "lower" ? to_lower(*s) : upper(*s)));
      v.at = args[0].at;
      return v;
    }
    if (f == "replace") {
      auto s = str(0);
      auto from = str(1);
      auto to = str(2);
      if (!s || !from || !to || from->empty() || (from->size() > 1 && from->front() == '/' && from->back() == '/')) {
        return Value::unknown(why(), at);
      }
      std::string out;
      size_t i = 0;
      while (true) {
        const size_t j = s->find(*from, i);
        out += s->substr(i, j == std::string::npos ? std::string::npos : j - i);
        if (j == std::string::npos) break;
        out += *to;
        i = j + from->size();
      }
      Value v = Value::string(Text::plain(out));
      v.at = args[0].at;
      return v;
    }
    if (f == "format") {
      auto fmt_s = str(0);
      if (!fmt_s) return Value::unknown(why(), at);
      Text out;
      size_t next = 1;
      for (size_t i = 0; i < fmt_s->size(); ++i) {
        const char c = (*fmt_s)[i];
        if (c != '%' || i + 1 >= fmt_s->size()) {
          out.append(Text::plain(std::string(1, c)));
          continue;
        }
        const char verb = (*fmt_s)[++i];
        if (verb == '%') {
          out.append(Text::plain("%"));
          continue;
        }
        if ((verb != 's' && verb != 'd' && verb != 'v') || next >= args.size() || !args[next].is_scalar()) {
          return Value::unknown(why(), at);
        }
        out.append(args[next++].as_text());
      }
      return Value::string(std::move(out));
    }
    if (f == "range") {
      std::vector<double> nums;
      for (const auto& a : args) {
        auto n = to_number(a);
        if (!n) return Value::unknown(why(), at);
        nums.push_back(*n);
      }
      double start = 0;
      double stop = 0;
      double step = 1;
      if (nums.size() == 1) stop = nums[0];
      if (nums.size() >= 2) {
        start = nums[0];
        stop = nums[1];
      }
      if (nums.size() >= 3) step = nums[2];
      if (nums.empty() || step == 0) return Value::unknown("range: bad arguments", at);
      std::vector<Value> items;
      for (double x = start; (step > 0 ? x < stop : x > stop) && items.size() < kMaxCollection; x += step) {
        items.push_back(Value::number_of(x, at));
      }
      return Value::list_of(std::move(items), at);
    }
    if (f == "zipmap") {
      if (!need(2) || args[0].kind != Kind::kList || args[1].kind != Kind::kList ||
          args[0].items.size() != args[1].items.size()) {
        return Value::unknown(why(), at);
      }
      std::vector<std::pair<std::string, Value>> entries;
      for (size_t i = 0; i < args[0].items.size(); ++i) {
        auto k = args[0].items[i].as_string();
        if (!k) return Value::unknown(why(), at);
        entries.emplace_back(*k, args[1].items[i]);
      }
      return Value::map_of(std::move(entries), at);
    }
    if (f == "max" || f == "min") {
      std::optional<double> best;
      for (const auto& a : args) {
        auto n = to_number(a);
        if (!n) return Value::unknown(why(), at);
        if (!best || (f == "max" ? *n > *best : *n < *best)) best = n;
      }
      if (!best) return Value::unknown(why(), at);
      return Value::number_of(*best, at);
    }
    return Value::unknown(fmt::format("function `{}` is not evaluated", f), at);
  }

  static std::string upper(std::string s) {
    for (char& c : s) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return s;
  }

  /// A file named relative to Terraform's working directory (the root module), as path.module results are.
  const SourceFile* load_relative(const Instance* inst, const std::string& path, const Expr& e) {
    if (path.empty() || path[0] == '/' || path[0] == '~') return nullptr;
    bool ok = true;
    const std::string root =
        inst != nullptr ? inst->root_dir : std::string(dirname(e.file != nullptr ? e.file->path() : ""));
    std::string full = normalize_path(join_path(root, path), &ok);
    if (!ok) return nullptr;
    if (full.rfind("./", 0) == 0) full = full.substr(2);
    return repo_.load(full);
  }

  Value templatefile(const Expr& e, const std::vector<Value>& args, const Scope& scope) {
    const Span at = expr_span(e);
    auto path = args[0].as_string();
    if (!path || args[0].partial)
      return Value::unknown(fmt::format("template path `{}` is not known", display(*e.items[0])), at);
    // Templates see only the variables given to them, in every nesting.
    Instance* inst = scope.owner();
    const SourceFile* src = load_relative(inst, *path, e);
    if (src == nullptr) {
      sink_.note(at, fmt::format("template `{}` is not in the repository", *path));
      return Value::unknown(fmt::format("template `{}` is not in the repository", *path), at);
    }
    if (std::find(template_stack_.begin(), template_stack_.end(), src->path()) != template_stack_.end()) {
      sink_.note(at, fmt::format("templatefile `{}` includes itself; the inner call is not evaluated", src->path()));
      return Value::unknown(fmt::format("templatefile `{}` includes itself", src->path()), at);
    }
    if (template_stack_.size() >= kMaxTemplateDepth) {
      sink_.note(at, fmt::format("templatefile calls nest more than {} levels", kMaxTemplateDepth));
      return Value::unknown("templatefile calls nest too deep", at);
    }
    auto& parsed = templates_[src->path()];
    if (!parsed) {
      parsed = std::make_unique<hcl::TemplateResult>(hcl::parse_template(*src));
      for (const auto& err : parsed->errors) {
        const Mark m = src->mark_at(err.offset);
        sink_.note(Span{src, m, m}, fmt::format("template syntax: {}", err.message));
      }
    }
    if (!parsed->errors.empty())
      return Value::unknown(fmt::format("template `{}` has a syntax error", src->path()), at);
    Scope ts;
    ts.in_template = true;
    ts.inst = inst;
    if (args.size() > 1) {
      if (args[1].kind != Kind::kMap)
        return Value::unknown(fmt::format("variables of template `{}` are not known", *path), at);
      for (size_t i = 0; i < args[1].keys.size(); ++i) ts.names.emplace_back(args[1].keys[i], args[1].items[i]);
    }
    template_stack_.push_back(src->path());
    Text out;
    bool partial = false;
    render_parts(parsed->parts, ts, src, out, partial);
    template_stack_.pop_back();
    Value v = Value::string(std::move(out));
    v.partial = partial;
    v.at = at;
    return v;
  }
};

}  // namespace

void read_terraform(const Repo& repo, Sink& sink) { Terraform(repo, sink).run(); }

}  // namespace gl::k8s::infra::detail
