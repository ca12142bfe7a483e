// Ansible: inventories (INI and YAML) give node names; playbooks and task files give labels and taints through
// `kubectl label|taint node` shell/command tasks, kubernetes.core.k8s Node patches, kubernetes.core.k8s_taint, and
// kubelet flags written to files (copy/lineinfile/blockinfile). Jinja is evaluated for the common subset: variables,
// `item` of literal loops, attribute and key access, `default`, a few filters, `is defined`, comparisons.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/strings.h"
#include "k8s/infra/facts.h"
#include "yaml/parser.h"

namespace gl::k8s::infra::detail {
namespace {

using Kind = Value::Kind;

constexpr size_t kMaxIncludeDepth = 8;
constexpr size_t kMaxRenderDepth = 10;
constexpr size_t kMaxLoopItems = 1000;
constexpr size_t kMaxHostRange = 1000;

bool has_suffix(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool yaml_name(std::string_view p) { return has_suffix(p, ".yml") || has_suffix(p, ".yaml"); }

std::string_view stem(std::string_view path) {
  std::string_view b = basename(path);
  const size_t dot = b.find('.');
  return dot == std::string_view::npos ? b : b.substr(0, dot);
}

// ---------------------------------------------------------------------------------------------------------------
// Inventory

struct Host {
  std::string name;
  Span at;
  std::map<std::string, Value> vars;
  std::vector<std::string> groups;  ///< direct groups
};

struct Inventory {
  std::vector<Host> hosts;  ///< first appearance order
  std::map<std::string, std::vector<std::string>> group_hosts;
  std::map<std::string, std::vector<std::string>> group_children;
  std::map<std::string, std::map<std::string, Value>> group_vars;  ///< from inventories and group_vars files
  std::map<std::string, std::map<std::string, Value>> host_vars;   ///< host_vars files

  Host& host(const std::string& name, Span at) {
    for (auto& h : hosts) {
      if (h.name == name) return h;
    }
    hosts.push_back(Host{name, at, {}, {}});
    return hosts.back();
  }
  const Host* find(std::string_view name) const {
    for (const auto& h : hosts) {
      if (h.name == name) return &h;
    }
    return nullptr;
  }
  void add_to_group(const std::string& group, Host& h) {
    auto& list = group_hosts[group];
    if (std::find(list.begin(), list.end(), h.name) == list.end()) list.push_back(h.name);
    if (std::find(h.groups.begin(), h.groups.end(), group) == h.groups.end()) h.groups.push_back(group);
  }
  bool is_group(std::string_view g) const {
    return g == "all" || group_hosts.count(std::string(g)) > 0 || group_children.count(std::string(g)) > 0;
  }
  /// Hosts of a group, its children included.
  void members(const std::string& group, std::vector<std::string>& out, size_t depth = 0) const {
    if (depth > 50) return;
    if (group == "all") {
      for (const auto& h : hosts) out.push_back(h.name);
      return;
    }
    if (auto it = group_hosts.find(group); it != group_hosts.end()) {
      for (const auto& h : it->second) out.push_back(h);
    }
    if (auto it = group_children.find(group); it != group_children.end()) {
      for (const auto& c : it->second) members(c, out, depth + 1);
    }
  }
  /// Every group a host belongs to, parents included, most general first ("all" first).
  const std::vector<std::string>& groups_of(const std::string& host) const {
    auto cached = groups_cache_.find(host);
    if (cached != groups_cache_.end()) return cached->second;
    std::vector<std::string> out = {"all"};
    std::set<std::string> seen = {"all"};
    for (const auto& [g, list] : group_hosts) {
      (void)list;
      std::vector<std::string> m;
      members(g, m);
      if (std::find(m.begin(), m.end(), host) != m.end() && seen.insert(g).second) out.push_back(g);
    }
    for (const auto& [g, list] : group_children) {
      (void)list;
      std::vector<std::string> m;
      members(g, m);
      if (std::find(m.begin(), m.end(), host) != m.end() && seen.insert(g).second) out.push_back(g);
    }
    return groups_cache_[host] = std::move(out);
  }

 private:
  mutable std::map<std::string, std::vector<std::string>> groups_cache_;
};

/// Expands `web[01:03]` and `db-[a:c]` host ranges.
std::vector<std::string> expand_range(const std::string& pattern) {
  const size_t open = pattern.find('[');
  const size_t close = pattern.find(']', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) return {pattern};
  const std::string inner = pattern.substr(open + 1, close - open - 1);
  const size_t colon = inner.find(':');
  if (colon == std::string::npos) return {pattern};
  const std::string lo = inner.substr(0, colon);
  std::string hi = inner.substr(colon + 1);
  if (const size_t step = hi.find(':'); step != std::string::npos) hi = hi.substr(0, step);
  std::vector<std::string> out;
  const std::string head = pattern.substr(0, open);
  const std::string tail = pattern.substr(close + 1);
  auto numeric = [](const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (numeric(lo) && numeric(hi) && lo.size() <= 9 && hi.size() <= 9) {
    const long a = std::stol(lo);
    const long b = std::stol(hi);
    for (long i = a; i <= b && out.size() < kMaxHostRange; ++i) {
      std::string n = std::to_string(i);
      if (lo.size() > 1 && lo[0] == '0' && n.size() < lo.size()) n = std::string(lo.size() - n.size(), '0') + n;
      for (const auto& rest : expand_range(tail)) out.push_back(head + n + rest);
    }
    return out;
  }
  if (lo.size() == 1 && hi.size() == 1) {
    for (char c = lo[0]; c <= hi[0] && out.size() < kMaxHostRange; ++c) {
      for (const auto& rest : expand_range(tail)) out.push_back(head + c + rest);
    }
    return out;
  }
  return {pattern};
}

/// `key=value` tokens of an INI inventory line (values may be quoted), each with its Text.
std::vector<std::pair<std::string, Text>> ini_pairs(const SourceFile* f, size_t line_offset, std::string_view line) {
  std::vector<std::pair<std::string, Text>> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size() || line[i] == '#') break;
    const size_t start = i;
    const size_t eq = line.find('=', i);
    size_t end = i;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    if (eq == std::string_view::npos || eq > end) {
      i = end;
      continue;
    }
    std::string key(line.substr(start, eq - start));
    size_t vb = eq + 1;
    size_t ve = vb;
    if (vb < line.size() && (line[vb] == '"' || line[vb] == '\'')) {
      const char q = line[vb++];
      ve = line.find(q, vb);
      if (ve == std::string_view::npos) ve = line.size();
      i = std::min(line.size(), ve + 1);
    } else {
      ve = vb;
      while (ve < line.size() && line[ve] != ' ' && line[ve] != '\t') ++ve;
      i = ve;
    }
    out.emplace_back(std::move(key), Text::from(line.substr(vb, ve - vb), f, line_offset + vb, true));
  }
  return out;
}

bool looks_like_ini_inventory(std::string_view text) {
  bool header = false;
  for (auto raw : split(text, '\n')) {
    const std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      header = true;
      continue;
    }
    // /etc/hosts lines ("10.0.0.1 name alias") are not host lines.
    auto words = split(line, ' ');
    if (!header && words.size() > 1 && words[1].find('=') == std::string_view::npos) return false;
  }
  return true;
}

void read_ini_inventory(const SourceFile& f, Inventory& inv) {
  const std::string_view text = f.text();
  std::string section = "ungrouped";
  std::string mode = "hosts";
  size_t offset = 0;
  while (offset < text.size()) {
    size_t nl = text.find('\n', offset);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(offset, nl - offset);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t lead = line.find_first_not_of(" \t");
    const size_t line_offset = offset;
    offset = nl + 1;
    if (lead == std::string_view::npos || line[lead] == '#' || line[lead] == ';') continue;
    const std::string_view body = trim(line);
    if (body.front() == '[') {
      const size_t close = body.find(']');
      std::string name(body.substr(1, close == std::string_view::npos ? body.size() - 1 : close - 1));
      mode = "hosts";
      if (const size_t c = name.find(':'); c != std::string::npos) {
        mode = name.substr(c + 1);
        name = name.substr(0, c);
      }
      section = name;
      if (mode == "children") inv.group_children[section];
      if (mode == "hosts") inv.group_hosts[section];
      continue;
    }
    if (mode == "vars") {
      for (auto& [k, t] : ini_pairs(&f, line_offset, line)) inv.group_vars[section][k] = Value::string(t);
      continue;
    }
    const size_t word_end = line.find_first_of(" \t", lead);
    std::string word(line.substr(lead, (word_end == std::string_view::npos ? line.size() : word_end) - lead));
    if (mode == "children") {
      auto& kids = inv.group_children[section];
      if (std::find(kids.begin(), kids.end(), word) == kids.end()) kids.push_back(word);
      continue;
    }
    if (mode != "hosts") continue;
    // host[:port] (outside a `[a:b]` range); an IPv6 address has several colons and keeps them.
    const size_t range_end = word.rfind(']');
    const size_t port = word.find(':', range_end == std::string::npos ? 0 : range_end);
    if (port != std::string::npos && word.find(':', port + 1) == std::string::npos &&
        (range_end != std::string::npos || std::count(word.begin(), word.end(), ':') == 1)) {
      word = word.substr(0, port);
    }
    const auto pairs = ini_pairs(&f, line_offset, word_end == std::string_view::npos ? "" : line.substr(0));
    const Mark m = f.mark_at(line_offset + lead);
    const Span at{&f, m, Mark{m.line, m.column + static_cast<uint32_t>(word.size())}};
    for (const auto& name : expand_range(word)) {
      Host& h = inv.host(name, at);
      for (const auto& [k, t] : pairs) h.vars[k] = Value::string(t);
      inv.add_to_group(section, h);
    }
  }
}

void read_yaml_group(const yaml::Node& node, const std::string& group, Inventory& inv, size_t depth) {
  if (depth > 50 || !node.is_map()) return;
  if (group != "all") inv.group_hosts[group];
  if (const yaml::Node* hosts = node.get("hosts"); hosts != nullptr && hosts->is_map()) {
    for (size_t i = 0; i < hosts->keys().size(); ++i) {
      for (const auto& name : expand_range(std::string(hosts->keys()[i].str()))) {
        Host& h = inv.host(name, hosts->keys()[i].span());
        const yaml::Node& vars = hosts->items()[i];
        if (vars.is_map()) {
          for (size_t k = 0; k < vars.keys().size(); ++k)
            h.vars[std::string(vars.keys()[k].str())] = Value::from_yaml(vars.items()[k]);
        }
        if (group != "all") inv.add_to_group(group, h);
      }
    }
  }
  if (const yaml::Node* vars = node.get("vars"); vars != nullptr && vars->is_map()) {
    for (size_t k = 0; k < vars->keys().size(); ++k) {
      inv.group_vars[group][std::string(vars->keys()[k].str())] = Value::from_yaml(vars->items()[k]);
    }
  }
  if (const yaml::Node* children = node.get("children"); children != nullptr && children->is_map()) {
    for (size_t i = 0; i < children->keys().size(); ++i) {
      const std::string child(children->keys()[i].str());
      if (group != "all") {
        auto& kids = inv.group_children[group];
        if (std::find(kids.begin(), kids.end(), child) == kids.end()) kids.push_back(child);
      }
      read_yaml_group(children->items()[i], child, inv, depth + 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Jinja (the subset infrastructure playbooks use)

struct JVal {
  Value v;
  bool undefined = false;
};

/// Variables visible to a task: scopes from the innermost out, then the host's inventory variables.
struct Env {
  const Inventory* inv = nullptr;
  std::vector<const std::map<std::string, Value>*> scopes;  ///< innermost first
  const Host* host = nullptr;
  std::string loop_var = "item";
  const Value* item = nullptr;
  bool needs_host = false;  ///< set when a lookup needed the host and none was given
  size_t depth = 0;
};

class Jinja;
Text render(const Text& in, Env& env, bool& unresolved_out);
std::optional<Value> render_value(const Text& in, Env& env, bool& unresolved_out);

bool truthy(const Value& v, bool* out) {
  switch (v.kind) {
    case Kind::kBool:
      *out = v.boolean;
      return true;
    case Kind::kNull:
      *out = false;
      return true;
    case Kind::kNumber:
      *out = v.number != 0;
      return true;
    case Kind::kString: {
      const std::string s = to_lower(v.text.str());
      *out = !(s.empty() || s == "false" || s == "no" || s == "0" || s == "off");
      return true;
    }
    case Kind::kList:
    case Kind::kMap:
      *out = !v.items.empty();
      return true;
    default:
      return false;
  }
}

JVal lookup_var(const std::string& name, Env& env) {
  if (name == env.loop_var && env.item != nullptr) return JVal{*env.item, false};
  if (name == "inventory_hostname" || name == "inventory_hostname_short" || name == "ansible_hostname" ||
      name == "ansible_nodename") {
    if (env.host == nullptr) {
      env.needs_host = true;
      return JVal{Value::unknown("the host is not known"), false};
    }
    Value v = Value::string(Text::from(env.host->name, env.host->at.file,
                                       env.host->at.file != nullptr ? env.host->at.file->offset(env.host->at.begin) : 0,
                                       env.host->at.file != nullptr));
    return JVal{v, false};
  }
  const Value* found = nullptr;
  for (const auto* scope : env.scopes) {
    if (auto it = scope->find(name); it != scope->end()) {
      found = &it->second;
      break;
    }
  }
  if (found == nullptr && env.inv != nullptr) {
    std::vector<std::string> groups = {"all"};
    if (env.host != nullptr) {
      if (auto it = env.inv->host_vars.find(env.host->name); it != env.inv->host_vars.end()) {
        if (auto v = it->second.find(name); v != it->second.end()) found = &v->second;
      }
      if (auto v = env.host->vars.find(name); found == nullptr && v != env.host->vars.end()) found = &v->second;
      groups = env.inv->groups_of(env.host->name);
      std::reverse(groups.begin(), groups.end());  // most specific first
    }
    for (const auto& g : groups) {
      if (found != nullptr) break;
      auto it = env.inv->group_vars.find(g);
      if (it == env.inv->group_vars.end()) continue;
      if (auto v = it->second.find(name); v != it->second.end()) {
        found = &v->second;
      } else if (env.host == nullptr && g == "all") {
        // A variable set only for some groups depends on the host.
        for (const auto& [other, vars] : env.inv->group_vars) {
          if (other != "all" && vars.count(name) > 0) env.needs_host = true;
        }
      }
    }
    if (found == nullptr && name == "groups") {
      std::vector<std::pair<std::string, Value>> entries;
      std::set<std::string> names;
      for (const auto& [g, l] : env.inv->group_hosts) names.insert(g);
      for (const auto& [g, l] : env.inv->group_children) names.insert(g);
      names.insert("all");
      for (const auto& g : names) {
        std::vector<std::string> members;
        env.inv->members(g, members);
        std::vector<Value> items;
        std::set<std::string> seen;
        for (const auto& m : members) {
          if (!seen.insert(m).second) continue;
          const Host* h = env.inv->find(m);
          const Span at = h != nullptr ? h->at : Span{};
          items.push_back(Value::string(
              Text::from(m, at.file, at.file != nullptr ? at.file->offset(at.begin) : 0, at.file != nullptr)));
        }
        entries.emplace_back(g, Value::list_of(std::move(items)));
      }
      return JVal{Value::map_of(std::move(entries)), false};
    }
  }
  if (found == nullptr) return JVal{Value::unknown(fmt::format("variable `{}` is not defined", name)), true};
  // A variable whose value is itself a template.
  if (found->kind == Kind::kString && found->text.str().find("{{") != std::string::npos &&
      env.depth < kMaxRenderDepth) {
    ++env.depth;
    bool unres = false;
    auto v = render_value(found->text, env, unres);
    --env.depth;
    if (!v || unres) return JVal{Value::unknown(fmt::format("variable `{}` is not known", name)), false};
    return JVal{*v, false};
  }
  return JVal{*found, false};
}

/// Evaluates one Jinja expression (the text between `{{` and `}}`, or a `when` condition).
class Jinja {
 public:
  Jinja(std::string_view src, Env& env) : s_(src), env_(env) {}

  JVal run() {
    JVal v = expr();
    skip();
    if (pos_ < s_.size()) return JVal{Value::unknown(fmt::format("expression `{}` is not understood", s_)), false};
    return v;
  }

 private:
  std::string_view s_;
  Env& env_;
  size_t pos_ = 0;
  size_t depth_ = 0;

  void skip() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool word(std::string_view w) {
    skip();
    if (s_.substr(pos_, w.size()) != w) return false;
    const size_t after = pos_ + w.size();
    if (after < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[after])) || s_[after] == '_')) return false;
    pos_ = after;
    return true;
  }
  bool sym(std::string_view w) {
    skip();
    if (s_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }
  static JVal unknown(std::string why) { return JVal{Value::unknown(std::move(why)), false}; }

  JVal expr() {
    if (++depth_ > 64) return unknown("expression nests too deep");
    JVal v = or_expr();
    if (word("if")) {
      JVal c = or_expr();
      JVal other = word("else") ? expr() : JVal{Value::string(Text()), false};
      bool b = false;
      --depth_;
      if (!c.undefined && truthy(c.v, &b)) return b ? v : other;
      return unknown("conditional expression is not known");
    }
    --depth_;
    return v;
  }
  JVal or_expr() {
    JVal l = and_expr();
    while (word("or")) {
      JVal r = and_expr();
      bool a = false;
      bool b = false;
      if (l.undefined || r.undefined || !truthy(l.v, &a) || !truthy(r.v, &b)) {
        l = unknown("condition is not known");
      } else {
        l = JVal{Value::bool_of(a || b), false};
      }
    }
    return l;
  }
  JVal and_expr() {
    JVal l = not_expr();
    while (word("and")) {
      JVal r = not_expr();
      bool a = false;
      bool b = false;
      if (l.undefined || r.undefined || !truthy(l.v, &a) || !truthy(r.v, &b)) {
        l = unknown("condition is not known");
      } else {
        l = JVal{Value::bool_of(a && b), false};
      }
    }
    return l;
  }
  JVal not_expr() {
    if (word("not")) {
      if (++depth_ > 64) return unknown("expression nests too deep");
      JVal v = not_expr();
      --depth_;
      bool b = false;
      if (v.undefined || !truthy(v.v, &b)) return unknown("condition is not known");
      return JVal{Value::bool_of(!b), false};
    }
    return compare();
  }
  JVal compare() {
    JVal l = concat();
    skip();
    if (word("is")) {
      const bool negate = word("not");
      skip();
      const size_t start = pos_;
      while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
      const std::string_view test = s_.substr(start, pos_ - start);
      if (test == "defined" || test == "undefined") {
        if (!l.undefined && !l.v.known()) return unknown("test is not known");
        bool defined = !l.undefined;
        if (test == "undefined") defined = !defined;
        return JVal{Value::bool_of(negate ? !defined : defined), false};
      }
      return unknown(fmt::format("test `{}` is not evaluated", test));
    }
    for (std::string_view op : {"==", "!="}) {
      if (!sym(op)) continue;
      JVal r = concat();
      if (l.undefined || r.undefined || !l.v.is_scalar() || !r.v.is_scalar()) return unknown("comparison is not known");
      const bool eq = l.v.as_string() == r.v.as_string();
      return JVal{Value::bool_of(op == "==" ? eq : !eq), false};
    }
    const size_t save = pos_;
    const bool negate = word("not");
    if (word("in")) {
      JVal r = concat();
      if (l.undefined || r.undefined || !l.v.known() || !r.v.known()) return unknown("`in` is not known");
      auto needle = l.v.as_string();
      bool found = false;
      if (r.v.kind == Kind::kMap && needle) found = r.v.get(*needle) != nullptr;
      if (r.v.kind == Kind::kList && needle) {
        found =
            std::any_of(r.v.items.begin(), r.v.items.end(), [&](const Value& x) { return x.as_string() == needle; });
      }
      if (r.v.kind == Kind::kString && needle) found = r.v.text.str().find(*needle) != std::string::npos;
      return JVal{Value::bool_of(negate ? !found : found), false};
    }
    pos_ = save;
    return l;
  }
  JVal concat() {
    JVal l = filtered();
    while (true) {
      skip();
      if (pos_ < s_.size() && (s_[pos_] == '~' || (s_[pos_] == '+' && l.v.kind == Kind::kString))) {
        ++pos_;
        JVal r = filtered();
        if (l.undefined || r.undefined || !l.v.is_scalar() || !r.v.is_scalar()) {
          l = unknown("concatenation is not known");
          continue;
        }
        Text t = l.v.as_text();
        t.append(r.v.as_text());
        l = JVal{Value::string(std::move(t)), false};
        continue;
      }
      return l;
    }
  }
  JVal filtered() {
    JVal v = postfix();
    while (true) {
      skip();
      if (pos_ >= s_.size() || s_[pos_] != '|') return v;
      ++pos_;
      skip();
      const size_t start = pos_;
      while (pos_ < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' || s_[pos_] == '.'))
        ++pos_;
      std::string name(s_.substr(start, pos_ - start));
      if (const size_t dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
      std::vector<JVal> args;
      if (sym("(")) {
        while (!sym(")")) {
          const size_t before = pos_;
          if (pos_ >= s_.size()) return unknown("filter arguments are not closed");
          args.push_back(expr());
          sym(",");
          if (pos_ == before) return unknown(fmt::format("expression `{}` is not understood", s_));
        }
      }
      v = filter(name, v, args);
    }
  }
  JVal filter(const std::string& name, const JVal& v, const std::vector<JVal>& args) {
    if (name == "default" || name == "d") {
      bool use_default = v.undefined;
      if (args.size() > 1 && args[1].v.kind == Kind::kBool && args[1].v.boolean) {
        bool b = true;
        use_default = use_default || (truthy(v.v, &b) && !b);
      }
      if (use_default) return args.empty() ? JVal{Value::string(Text()), false} : args[0];
      return v;
    }
    if (v.undefined || !v.v.known()) return v.undefined ? unknown(v.v.why) : v;
    const Value& x = v.v;
    if (name == "string" || name == "trim") {
      if (!x.is_scalar()) return unknown("filter of a collection");
      Value s = Value::string(name == "trim" ? x.as_text().trimmed() : x.as_text());
      return JVal{s, false};
    }
    if (name == "lower" || name == "upper") {
      auto s = x.as_string();
      if (!s) return unknown("filter of a collection");
      std::string out = name == "lower" ? to_lower(*s) : *s;
      if (name == "upper") {
        for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      return JVal{Value::string(Text::plain(out)), false};
    }
    if (name == "int") {
      auto n = x.as_int();
      if (!n) return unknown("int of a value that is not a number");
      return JVal{Value::number_of(static_cast<double>(*n), x.at), false};
    }
    if (name == "bool") {
      bool b = false;
      if (!truthy(x, &b)) return unknown("bool is not known");
      return JVal{Value::bool_of(b, x.at), false};
    }
    if (name == "list") return v;
    if ((name == "first" || name == "last") && x.kind == Kind::kList) {
      if (x.items.empty()) return unknown("first/last of an empty list");
      return JVal{name == "first" ? x.items.front() : x.items.back(), false};
    }
    if (name == "join" && x.kind == Kind::kList) {
      Text out;
      const std::string sep = args.empty() ? "" : args[0].v.as_string().value_or("");
      for (size_t i = 0; i < x.items.size(); ++i) {
        if (i > 0) out.append(Text::plain(sep));
        if (!x.items[i].is_scalar()) return unknown("join of collections");
        out.append(x.items[i].as_text());
      }
      return JVal{Value::string(std::move(out)), false};
    }
    if (name == "dict2items" && x.kind == Kind::kMap) {
      std::vector<Value> items;
      for (size_t i = 0; i < x.keys.size(); ++i) {
        Value key = Value::string(Text::plain(x.keys[i]));
        items.push_back(Value::map_of({{"key", key}, {"value", x.items[i]}}, x.items[i].at));
      }
      return JVal{Value::list_of(std::move(items), x.at), false};
    }
    return unknown(fmt::format("filter `{}` is not evaluated", name));
  }
  JVal postfix() {
    JVal v = primary();
    while (true) {
      skip();
      if (pos_ < s_.size() && s_[pos_] == '.' && pos_ + 1 < s_.size() &&
          (std::isalpha(static_cast<unsigned char>(s_[pos_ + 1])) || s_[pos_ + 1] == '_')) {
        ++pos_;
        const size_t start = pos_;
        while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
        v = step(v, Value::string(Text::plain(s_.substr(start, pos_ - start))));
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == '[') {
        ++pos_;
        JVal key = expr();
        if (!sym("]")) return unknown("`[` is not closed");
        if (key.undefined) return key;
        v = step(v, key.v);
        continue;
      }
      return v;
    }
  }
  JVal step(const JVal& base, const Value& key) {
    if (base.undefined) return base;
    if (!base.v.known()) return base;
    if (!key.known()) return unknown(key.why);
    if (base.v.kind == Kind::kMap) {
      auto k = key.as_string();
      if (k) {
        if (const Value* x = base.v.get(*k)) return JVal{*x, false};
      }
      return JVal{Value::unknown(fmt::format("key `{}` is not defined", k.value_or("?"))), true};
    }
    if (base.v.kind == Kind::kList) {
      auto i = key.as_int();
      if (i && *i >= 0 && static_cast<size_t>(*i) < base.v.items.size()) {
        return JVal{base.v.items[static_cast<size_t>(*i)], false};
      }
      return JVal{Value::unknown("index out of range"), true};
    }
    return JVal{Value::unknown("attribute of a value that has none"), true};
  }
  JVal primary() {
    skip();
    if (pos_ >= s_.size()) return unknown("expression ends early");
    const char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      JVal v = expr();
      if (!sym(")")) return unknown("`(` is not closed");
      return v;
    }
    if (c == '\'' || c == '"') {
      const size_t close = s_.find(c, pos_ + 1);
      if (close == std::string_view::npos) return unknown("string is not closed");
      std::string_view lit = s_.substr(pos_ + 1, close - pos_ - 1);
      pos_ = close + 1;
      return JVal{Value::string(Text::plain(lit)), false};
    }
    if (c == '[') {
      ++pos_;
      std::vector<Value> items;
      while (!sym("]")) {
        const size_t before = pos_;
        if (pos_ >= s_.size()) return unknown("`[` is not closed");
        JVal item = expr();
        if (item.undefined) return item;
        items.push_back(item.v);
        sym(",");
        if (pos_ == before) return unknown(fmt::format("expression `{}` is not understood", s_));
      }
      return JVal{Value::list_of(std::move(items)), false};
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '-' && pos_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_ + 1])))) {
      const size_t start = pos_++;
      while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.')) ++pos_;
      return JVal{Value::number_of(std::strtod(std::string(s_.substr(start, pos_ - start)).c_str(), nullptr)), false};
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const size_t start = pos_;
      while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
      const std::string name(s_.substr(start, pos_ - start));
      if (name == "true" || name == "True") return JVal{Value::bool_of(true), false};
      if (name == "false" || name == "False") return JVal{Value::bool_of(false), false};
      if (name == "none" || name == "None") return JVal{Value::null(), false};
      skip();
      if (pos_ < s_.size() && s_[pos_] == '(') return unknown(fmt::format("function `{}` is not evaluated", name));
      return lookup_var(name, env_);
    }
    return unknown(fmt::format("`{}` is not understood", s_));
  }
};

/// Finds the `}}` closing a `{{` at `open`, skipping quoted strings; npos when unclosed.
size_t close_of(const std::string& s, size_t open) {
  char quote = 0;
  for (size_t i = open + 2; i + 1 < s.size(); ++i) {
    const char c = s[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    if (c == '}' && s[i + 1] == '}') return i;
  }
  return std::string::npos;
}

Text render(const Text& in, Env& env, bool& unresolved_out) {
  const std::string& s = in.str();
  Text out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t open = s.find("{{", i);
    const size_t stmt = s.find("{%", i);
    if (stmt != std::string::npos && (open == std::string::npos || stmt < open)) {
      unresolved_out = true;
      out.append(in.slice(i, s.size()));
      return out;
    }
    if (open == std::string::npos) {
      out.append(in.slice(i, s.size()));
      break;
    }
    out.append(in.slice(i, open));
    const size_t close = close_of(s, open);
    if (close == std::string::npos) {
      unresolved_out = true;
      out.append(in.slice(open, s.size()));
      break;
    }
    JVal v = Jinja(std::string_view(s).substr(open + 2, close - open - 2), env).run();
    if (!v.undefined && v.v.is_scalar()) {
      out.append(v.v.as_text().substituted());
    } else {
      unresolved_out = true;
      out.append(in.slice(open, close + 2));
    }
    i = close + 2;
  }
  return out;
}

/// A value: the expression's own value when the text is exactly one `{{ ... }}`, else the rendered string.
std::optional<Value> render_value(const Text& in, Env& env, bool& unresolved_out) {
  const Text t = in.trimmed();
  const std::string& s = t.str();
  if (s.size() > 4 && s.compare(0, 2, "{{") == 0 && close_of(s, 0) == s.size() - 2) {
    JVal v = Jinja(std::string_view(s).substr(2, s.size() - 4), env).run();
    if (v.undefined || !v.v.known()) {
      unresolved_out = true;
      return std::nullopt;
    }
    return v.v;
  }
  Value v = Value::string(render(in, env, unresolved_out));
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Shell and kubectl

/// Splits shell text into commands of words (quotes removed, `\`-newline joined), keeping each word's places.
std::vector<std::vector<Text>> shell_commands(const Text& text) {
  const std::string& s = text.str();
  std::vector<std::vector<Text>> commands(1);
  Text word;
  bool in_word = false;
  char quote = 0;
  auto end_word = [&]() {
    if (in_word) commands.back().push_back(std::move(word));
    word = Text();
    in_word = false;
  };
  auto end_command = [&]() {
    end_word();
    if (!commands.back().empty()) commands.emplace_back();
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < s.size() &&
                 (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == '$')) {
        word.append(text.slice(i + 1, i + 2));
        ++i;
      } else {
        word.append(text.slice(i, i + 1));
      }
      continue;
    }
    if (c == '\\' && i + 1 < s.size()) {
      if (s[i + 1] == '\n') {
        ++i;
        continue;
      }
      if (s[i + 1] == '\r' && i + 2 < s.size() && s[i + 2] == '\n') {
        i += 2;
        continue;
      }
      word.append(text.slice(i + 1, i + 2));
      in_word = true;
      ++i;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      end_word();
      continue;
    }
    if (c == '\n' || c == ';' || c == '|' || c == '&') {
      end_command();
      continue;
    }
    if (c == '{' && i + 1 < s.size() && s[i + 1] == '{') {
      // An unresolved Jinja expression stays one word.
      const size_t close = s.find("}}", i + 2);
      if (close != std::string::npos && s.find('\n', i) > close) {
        word.append(text.slice(i, close + 2));
        in_word = true;
        i = close + 1;
        continue;
      }
    }
    if (c == '#' && !in_word) {
      while (i + 1 < s.size() && s[i + 1] != '\n') ++i;
      continue;
    }
    word.append(text.slice(i, i + 1));
    in_word = true;
  }
  end_command();
  if (commands.back().empty()) commands.pop_back();
  return commands;
}

struct KubectlCall {
  std::string verb;  ///< label | taint
  std::vector<Text> nodes;
  std::vector<Text> specs;
  std::string selector;  ///< -l/--selector/--all: names not known
};

/// Recognizes `[sudo] [env] [VAR=x] kubectl [global flags] label|taint node(s) NAME... SPEC... [flags]`.
std::optional<KubectlCall> parse_kubectl(const std::vector<Text>& words) {
  size_t i = 0;
  auto w = [&](size_t k) -> const std::string& { return words[k].str(); };
  while (i < words.size()) {
    const std::string& x = w(i);
    if (x == "sudo" || x == "env" || x == "command" || x == "exec") {
      ++i;
      while (i < words.size() && !w(i).empty() && w(i)[0] == '-') {
        const bool takes = w(i) == "-u" || w(i) == "-g" || w(i) == "--user" || w(i) == "--group";
        i += takes ? 2 : 1;
      }
      continue;
    }
    if (x.find('=') != std::string::npos && x[0] != '-' && x.find('/') == std::string::npos) {
      ++i;  // VAR=value
      continue;
    }
    if (x == "k3s" || x == "microk8s") {
      ++i;
      continue;
    }
    break;
  }
  if (i >= words.size()) return std::nullopt;
  const std::string& cmd = w(i);
  if (cmd != "kubectl" && cmd != "microk8s.kubectl" && !has_suffix(cmd, "/kubectl")) return std::nullopt;
  ++i;
  static const std::set<std::string, std::less<>> kValued = {"--kubeconfig",
                                                             "--context",
                                                             "--cluster",
                                                             "--user",
                                                             "-n",
                                                             "--namespace",
                                                             "-s",
                                                             "--server",
                                                             "--token",
                                                             "--as",
                                                             "--as-group",
                                                             "--request-timeout",
                                                             "-l",
                                                             "--selector",
                                                             "--field-selector",
                                                             "-o",
                                                             "--output",
                                                             "--resource-version",
                                                             "--dry-run",
                                                             "--field-manager",
                                                             "--template",
                                                             "-f",
                                                             "--filename",
                                                             "-k",
                                                             "--kustomize",
                                                             "--cache-dir",
                                                             "--certificate-authority",
                                                             "--client-certificate",
                                                             "--client-key",
                                                             "-v",
                                                             "--v"};
  KubectlCall call;
  std::vector<const Text*> positional;
  for (; i < words.size(); ++i) {
    const std::string& x = w(i);
    if (x.size() > 1 && x[0] == '-') {  // label keys and taints start with a letter or digit
      const std::string name = x.substr(0, x.find('='));
      std::string value;
      if (x.find('=') != std::string::npos) {
        value = x.substr(x.find('=') + 1);
      } else if (kValued.count(name) > 0 && i + 1 < words.size()) {
        value = w(++i);
      }
      if (name == "-l" || name == "--selector" || name == "--field-selector") call.selector = value;
      if (name == "--all") call.selector = "--all";
      if (name == "--dry-run" && value != "none" && value != "false") return std::nullopt;
      if (name == "-f" || name == "--filename" || name == "-k" || name == "--kustomize") return std::nullopt;
      continue;
    }
    if (call.verb.empty()) {
      if (x != "label" && x != "taint") return std::nullopt;
      call.verb = x;
      continue;
    }
    positional.push_back(&words[i]);
  }
  if (call.verb.empty() || positional.empty()) return std::nullopt;
  // Resource: `node NAME... SPEC...`, or `node/NAME... SPEC...`.
  const auto is_node_type = [](std::string_view t) { return t == "node" || t == "nodes" || t == "no"; };
  const auto is_spec = [&](const std::string& x) {
    if (x.find('=') != std::string::npos || (x.size() > 1 && x.back() == '-')) return true;
    return call.verb == "taint" && x.find(':') != std::string::npos;
  };
  const std::string& type = positional[0]->str();
  size_t k = 0;
  if (is_node_type(type)) {
    k = 1;
  } else if (type.find('/') == std::string::npos || !is_node_type(type.substr(0, type.find('/')))) {
    return std::nullopt;
  }
  for (; k < positional.size(); ++k) {
    const Text& t = *positional[k];
    const std::string& x = t.str();
    const size_t slash = x.find('/');
    if (call.specs.empty() && slash != std::string::npos && is_node_type(x.substr(0, slash)) && !is_spec(x)) {
      call.nodes.push_back(t.slice(slash + 1, x.size()));
    } else if (is_spec(x)) {
      call.specs.push_back(t);
    } else if (call.specs.empty()) {
      call.nodes.push_back(t);
    }
  }
  if (call.specs.empty()) return std::nullopt;  // kubectl refuses a label/taint command that changes nothing
  return call;
}

// ---------------------------------------------------------------------------------------------------------------
// Playbooks and task files

struct TaskFile {
  std::string path;
  const SourceFile* file = nullptr;
  std::vector<yaml::Document> docs;
  const yaml::Node* root = nullptr;  ///< the task or play list (the first document that is not empty)
  bool playbook = false;
  bool included = false;  ///< imported by a play: read there, with its hosts
};

const std::set<std::string, std::less<>>& shell_modules() {
  static const std::set<std::string, std::less<>> kSet = {"shell",
                                                          "command",
                                                          "raw",
                                                          "ansible.builtin.shell",
                                                          "ansible.builtin.command",
                                                          "ansible.builtin.raw",
                                                          "ansible.legacy.shell",
                                                          "ansible.legacy.command",
                                                          "ansible.legacy.raw"};
  return kSet;
}
const std::set<std::string, std::less<>>& k8s_modules() {
  static const std::set<std::string, std::less<>> kSet = {"k8s", "kubernetes.core.k8s", "community.kubernetes.k8s"};
  return kSet;
}
const std::set<std::string, std::less<>>& taint_modules() {
  static const std::set<std::string, std::less<>> kSet = {"k8s_taint", "kubernetes.core.k8s_taint"};
  return kSet;
}
const std::set<std::string, std::less<>>& file_modules() {
  static const std::set<std::string, std::less<>> kSet = {"copy",        "ansible.builtin.copy",
                                                          "lineinfile",  "ansible.builtin.lineinfile",
                                                          "blockinfile", "ansible.builtin.blockinfile"};
  return kSet;
}
bool include_key(std::string_view k) {
  return k == "import_tasks" || k == "include_tasks" || k == "include" || k == "ansible.builtin.import_tasks" ||
         k == "ansible.builtin.include_tasks" || k == "ansible.builtin.include";
}
bool role_key(std::string_view k) {
  return k == "include_role" || k == "import_role" || k == "ansible.builtin.include_role" ||
         k == "ansible.builtin.import_role";
}

std::map<std::string, Value> vars_of(const yaml::Node* node) {
  std::map<std::string, Value> out;
  if (node == nullptr || !node->is_map()) return out;
  for (size_t i = 0; i < node->keys().size(); ++i)
    out[std::string(node->keys()[i].str())] = Value::from_yaml(node->items()[i]);
  return out;
}

std::string task_name(const yaml::Node& task) {
  const yaml::Node* n = task.get("name");
  if (n != nullptr && n->is_scalar()) return std::string(n->str());
  return "unnamed task";
}

class Ansible {
 public:
  Ansible(const Repo& repo, Sink& sink) : repo_(repo), sink_(sink) {}

  void run() {
    read_inventories();
    read_var_files();
    load_task_files();
    mark_includes();
    for (auto& [path, tf] : files_) {
      (void)path;
      if (tf->playbook) {
        run_playbook(*tf);
      } else if (!tf->included) {
        Context ctx;
        ctx.file = tf.get();
        run_tasks(tf->root, ctx);
      }
    }
  }

 private:
  struct Context {
    const TaskFile* file = nullptr;
    std::string playbook_dir;
    std::optional<std::vector<std::string>> hosts;  ///< nullopt: not known
    std::string hosts_pattern;
    std::vector<std::map<std::string, Value>> scopes;  ///< outermost first
    std::vector<std::string> chain;                    ///< included files (cycle check)
  };

  const Repo& repo_;
  Sink& sink_;
  Inventory inv_;
  std::map<std::string, std::unique_ptr<TaskFile>> files_;  ///< by path, sorted

  // ---- loading ----

  void read_inventories() {
    for (const auto& p : repo_.paths) {
      const std::string_view dir = dirname(p);
      const std::string_view dir_name = basename(dir);
      if (p.find("group_vars/") != std::string::npos || p.find("host_vars/") != std::string::npos) continue;
      const std::string_view s = stem(p);
      const std::string_view b = basename(p);
      const std::string_view ext = b.find('.') == std::string_view::npos ? "" : b.substr(b.find('.') + 1);
      const bool named = s == "hosts" || s.rfind("inventory", 0) == 0 ||
                         ((dir_name == "inventory" || dir_name == "inventories") && ext.empty());
      if (!named) continue;
      const bool is_yaml = ext == "yml" || ext == "yaml";
      if (!is_yaml && !(ext.empty() || ext == "ini" || ext == "tmp" || ext == "txt" || ext == "cfg")) continue;
      const SourceFile* f = repo_.load(p);
      if (f == nullptr || yaml::looks_binary(f->text())) continue;
      if (is_yaml) {
        auto parsed = yaml::parse(*f);
        if (parsed.documents.empty() || !parsed.documents[0].root.is_map()) continue;
        const yaml::Node& root = parsed.documents[0].root;
        const yaml::Node* all = root.get("all");
        if (all == nullptr) continue;
        read_yaml_group(*all, "all", inv_, 0);
      } else {
        if (!looks_like_ini_inventory(f->text())) continue;
        read_ini_inventory(*f, inv_);
      }
    }
    for (const auto& h : inv_.hosts) {
      if (h.name == "localhost" || h.name == "127.0.0.1" || unresolved(h.name)) continue;
      NodeDecl& d = sink_.add(h.name, "", Rank::kInventory, h.at);
      if (auto it = h.vars.find("instance_type"); it != h.vars.end() && it->second.is_string() &&
                                                  !unresolved(it->second.text.str()) && !it->second.text.empty()) {
        d.facts.push_back(instance_type_fact(it->second.text.str(), it->second.text.span()));
      }
    }
  }

  void read_var_files() {
    for (const auto& p : repo_.paths) {
      for (std::string_view kind : {std::string_view("group_vars/"), std::string_view("host_vars/")}) {
        const size_t at = p.find(kind);
        if (at == std::string::npos || (at > 0 && p[at - 1] != '/')) continue;
        std::string_view rest = std::string_view(p).substr(at + kind.size());
        std::string owner(rest.substr(0, rest.find('/')));
        if (rest.find('/') == std::string_view::npos) owner = std::string(stem(rest));
        if (!(yaml_name(p) || basename(p).find('.') == std::string_view::npos)) continue;
        const SourceFile* f = repo_.load(p);
        if (f == nullptr) continue;
        auto parsed = yaml::parse(*f);
        if (parsed.documents.empty()) continue;
        auto vars = vars_of(&parsed.documents[0].root);
        auto& into = kind == "group_vars/" ? inv_.group_vars[owner] : inv_.host_vars[owner];
        for (auto& [k, v] : vars) into.emplace(k, std::move(v));
        storage_.push_back(std::move(parsed.documents));
      }
    }
  }
  std::vector<std::vector<yaml::Document>> storage_;

  static bool starts_with_sequence(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
      size_t nl = text.find('\n', i);
      if (nl == std::string_view::npos) nl = text.size();
      const std::string_view line = trim(text.substr(i, nl - i));
      i = nl + 1;
      if (line.empty() || line[0] == '#' || line == "---" || line.rfind("%YAML", 0) == 0) continue;
      return line[0] == '-';
    }
    return false;
  }

  void load_task_files() {
    for (const auto& p : repo_.paths) {
      if (!yaml_name(p)) continue;
      if (p.find("group_vars/") != std::string::npos || p.find("host_vars/") != std::string::npos) continue;
      const SourceFile* f = repo_.load(p);
      if (f == nullptr || !starts_with_sequence(f->text())) continue;
      auto parsed = yaml::parse(*f);
      auto first = std::find_if(parsed.documents.begin(), parsed.documents.end(),
                                [](const yaml::Document& d) { return !d.root.is_null(); });
      if (first == parsed.documents.end() || !first->root.is_seq()) continue;
      auto tf = std::make_unique<TaskFile>();
      tf->path = p;
      tf->file = f;
      const size_t index = static_cast<size_t>(first - parsed.documents.begin());
      tf->docs = std::move(parsed.documents);
      tf->root = &tf->docs[index].root;
      for (const auto& item : tf->root->items()) {
        if (item.is_map() && (item.get("hosts") != nullptr || item.get("import_playbook") != nullptr ||
                              item.get("ansible.builtin.import_playbook") != nullptr)) {
          tf->playbook = true;
        }
      }
      files_[p] = std::move(tf);
    }
  }

  /// Resolves a task file named by an include, relative to the including file, the playbook, or a role.
  std::optional<std::string> resolve(const std::string& name, const Context& ctx) {
    if (name.empty() || name[0] == '/' || unresolved(name)) return std::nullopt;
    std::vector<std::string> bases;
    if (ctx.file != nullptr) bases.emplace_back(dirname(ctx.file->path));
    bases.push_back(ctx.playbook_dir);
    if (ctx.file != nullptr) bases.emplace_back(dirname(dirname(ctx.file->path)));
    for (const auto& b : bases) {
      bool ok = true;
      std::string p = normalize_path(join_path(b, name), &ok);
      if (ok && files_.count(p) > 0) return p;
    }
    return std::nullopt;
  }

  std::optional<std::string> role_tasks(const std::string& role, const Context& ctx) {
    for (const std::string& base : {ctx.playbook_dir, std::string(dirname(ctx.playbook_dir))}) {
      for (const char* main : {"tasks/main.yml", "tasks/main.yaml"}) {
        bool ok = true;
        std::string p = normalize_path(join_path(join_path(base, "roles/" + role), main), &ok);
        if (ok && files_.count(p) > 0) return p;
      }
    }
    for (const auto& [p, tf] : files_) {
      (void)tf;
      if (has_suffix(p, "roles/" + role + "/tasks/main.yml") || has_suffix(p, "roles/" + role + "/tasks/main.yaml")) {
        return p;
      }
    }
    return std::nullopt;
  }

  /// Marks task files imported by plays (they are read there, with the play's hosts) before reading anything.
  void mark_includes() {
    for (auto& [path, tf] : files_) {
      if (!tf->playbook) continue;
      Context ctx;
      ctx.file = tf.get();
      ctx.playbook_dir = std::string(dirname(path));
      for (const auto& play : tf->root->items()) {
        if (!play.is_map()) continue;
        for (const char* key : {"tasks", "pre_tasks", "post_tasks", "handlers"}) mark_in(play.get(key), ctx, 0);
        if (const yaml::Node* roles = play.get("roles"); roles != nullptr && roles->is_seq()) {
          for (const auto& r : roles->items()) {
            const yaml::Node* n = r.is_map() ? (r.get("role") != nullptr ? r.get("role") : r.get("name")) : &r;
            if (n == nullptr) continue;
            if (auto p = role_tasks(std::string(n->str()), ctx)) files_[*p]->included = true;
          }
        }
      }
    }
  }

  void mark_in(const yaml::Node* tasks, Context& ctx, size_t depth) {
    if (tasks == nullptr || !tasks->is_seq() || depth > kMaxIncludeDepth) return;
    for (const auto& t : tasks->items()) {
      if (!t.is_map()) continue;
      for (const char* key : {"block", "rescue", "always"}) mark_in(t.get(key), ctx, depth + 1);
      for (size_t i = 0; i < t.keys().size(); ++i) {
        const std::string_view k = t.keys()[i].str();
        if (include_key(k)) {
          const yaml::Node& v = t.items()[i];
          const yaml::Node* f = v.is_map() ? v.get("file") : &v;
          if (f == nullptr) continue;
          if (auto p = resolve(std::string(f->str()), ctx)) {
            TaskFile& inc = *files_[*p];
            if (inc.included) continue;
            inc.included = true;
            Context inner = ctx;
            inner.file = &inc;
            mark_in(inc.root, inner, depth + 1);
          }
        } else if (role_key(k)) {
          const yaml::Node* n = t.items()[i].is_map() ? t.items()[i].get("name") : nullptr;
          if (n == nullptr) continue;
          if (auto p = role_tasks(std::string(n->str()), ctx)) files_[*p]->included = true;
        }
      }
    }
  }

  // ---- plays ----

  std::optional<std::vector<std::string>> resolve_hosts(const std::string& pattern) {
    if (inv_.hosts.empty() || unresolved(pattern)) return std::nullopt;
    std::vector<std::string> out;
    std::string norm = pattern;
    std::replace(norm.begin(), norm.end(), ':', ',');
    bool known = true;
    for (auto raw : split(norm, ',')) {
      std::string term(trim(raw));
      if (term.empty()) continue;
      char op = 0;
      if (term[0] == '!' || term[0] == '&') {
        op = term[0];
        term = term.substr(1);
      }
      std::vector<std::string> set;
      if (term == "all" || term == "*") {
        inv_.members("all", set);
      } else if (inv_.is_group(term)) {
        inv_.members(term, set);
      } else if (inv_.find(term) != nullptr) {
        set.push_back(term);
      } else if (term.find('*') != std::string::npos) {
        for (const auto& h : inv_.hosts) {
          if (glob_match(term, h.name)) set.push_back(h.name);
        }
        for (const auto& [g, l] : inv_.group_hosts) {
          if (glob_match(term, g)) inv_.members(g, set);
        }
      } else if (term == "localhost") {
        set.push_back(term);
      } else {
        known = false;
      }
      if (op == '!') {
        std::erase_if(out, [&](const std::string& h) { return std::find(set.begin(), set.end(), h) != set.end(); });
      } else if (op == '&') {
        std::erase_if(out, [&](const std::string& h) { return std::find(set.begin(), set.end(), h) == set.end(); });
      } else {
        for (auto& h : set) {
          if (std::find(out.begin(), out.end(), h) == out.end()) out.push_back(h);
        }
      }
    }
    if (!known) return std::nullopt;
    return out;
  }

  void run_playbook(const TaskFile& tf) {
    for (const auto& play : tf.root->items()) {
      if (!play.is_map() || play.get("hosts") == nullptr) continue;
      Context ctx;
      ctx.file = &tf;
      ctx.playbook_dir = std::string(dirname(tf.path));
      ctx.chain.push_back(tf.path);
      const yaml::Node* hosts = play.get("hosts");
      std::string pattern;
      if (hosts->is_seq()) {
        for (const auto& h : hosts->items()) pattern += std::string(h.str()) + ",";
      } else {
        pattern = std::string(hosts->str());
      }
      ctx.scopes.push_back(vars_of(play.get("vars")));
      if (const yaml::Node* vf = play.get("vars_files"); vf != nullptr && vf->is_seq()) {
        for (const auto& f : vf->items()) {
          bool ok = true;
          const std::string p = normalize_path(join_path(ctx.playbook_dir, f.str()), &ok);
          const SourceFile* src = ok && !unresolved(f.str()) ? repo_.load(p) : nullptr;
          if (src == nullptr) continue;
          auto parsed = yaml::parse(*src);
          if (parsed.documents.empty()) continue;
          ctx.scopes.push_back(vars_of(&parsed.documents[0].root));
          storage_.push_back(std::move(parsed.documents));
        }
      }
      if (unresolved(pattern)) {
        Env env = env_for(ctx, nullptr);
        bool unres = false;
        pattern = render(Text::plain(pattern), env, unres).str();
      }
      ctx.hosts_pattern = pattern;
      ctx.hosts = resolve_hosts(pattern);
      run_tasks(play.get("pre_tasks"), ctx);
      if (const yaml::Node* roles = play.get("roles"); roles != nullptr && roles->is_seq()) {
        for (const auto& r : roles->items()) {
          const yaml::Node* n = r.is_map() ? (r.get("role") != nullptr ? r.get("role") : r.get("name")) : &r;
          if (n != nullptr) run_role(std::string(n->str()), r.is_map() ? r.get("vars") : nullptr, ctx);
        }
      }
      for (const char* key : {"tasks", "post_tasks"}) run_tasks(play.get(key), ctx);
    }
  }

  void run_role(const std::string& role, const yaml::Node* vars, const Context& ctx) {
    auto p = role_tasks(role, ctx);
    if (!p) return;
    Context inner = ctx;
    // Role defaults are the weakest variables, role vars stronger than play vars.
    const std::string role_dir(dirname(dirname(*p)));
    for (const char* sub : {"defaults/main.yml", "vars/main.yml"}) {
      const std::string vp = join_path(role_dir, sub);
      if (!repo_.has(vp)) continue;
      const SourceFile* src = repo_.load(vp);
      if (src == nullptr) continue;
      auto parsed = yaml::parse(*src);
      if (parsed.documents.empty()) continue;
      auto scope = vars_of(&parsed.documents[0].root);
      if (std::string_view(sub).rfind("defaults", 0) == 0) {
        inner.scopes.insert(inner.scopes.begin(), std::move(scope));
      } else {
        inner.scopes.push_back(std::move(scope));
      }
      storage_.push_back(std::move(parsed.documents));
    }
    inner.scopes.push_back(vars_of(vars));
    include(*p, inner);
  }

  void include(const std::string& path, Context ctx) {
    if (ctx.chain.size() > kMaxIncludeDepth || std::find(ctx.chain.begin(), ctx.chain.end(), path) != ctx.chain.end()) {
      const TaskFile& tf = *files_[path];
      sink_.note(Span{tf.file, Mark{1, 1}, Mark{1, 1}},
                 fmt::format("`{}` includes itself (or nests more than {} levels); the inner include is skipped", path,
                             kMaxIncludeDepth));
      return;
    }
    const TaskFile& tf = *files_[path];
    ctx.file = &tf;
    ctx.chain.push_back(path);
    run_tasks(tf.root, ctx);
  }

  Env env_for(const Context& ctx, const Host* host) {
    Env env;
    env.inv = &inv_;
    for (auto it = ctx.scopes.rbegin(); it != ctx.scopes.rend(); ++it) env.scopes.push_back(&*it);
    env.host = host;
    return env;
  }

  // ---- tasks ----

  void run_tasks(const yaml::Node* tasks, Context& ctx) {
    if (tasks == nullptr || !tasks->is_seq()) return;
    for (const auto& t : tasks->items()) {
      if (t.is_map()) run_task(t, ctx);
    }
  }

  /// `when:` known to be false on every host (task skipped); unknown conditions run the task.
  bool skipped_by_when(const yaml::Node& task, const Context& ctx) {
    const yaml::Node* when = task.get("when");
    if (when == nullptr) return false;
    std::vector<const yaml::Node*> conds;
    if (when->is_seq()) {
      for (const auto& c : when->items()) conds.push_back(&c);
    } else {
      conds.push_back(when);
    }
    for (const auto* c : conds) {
      if (!c->is_scalar()) continue;
      if (c->as_bool() && !c->is_quoted()) {
        if (!*c->as_bool()) return true;
        continue;
      }
      std::string expr(c->str());
      if (expr.find("{{") != std::string::npos) continue;
      Env env = env_for(ctx, nullptr);
      JVal v = Jinja(expr, env).run();
      bool b = true;
      if (!env.needs_host && !v.undefined && v.v.known() && truthy(v.v, &b) && !b) return true;
    }
    return false;
  }

  void run_task(const yaml::Node& task, Context& ctx) {
    if (skipped_by_when(task, ctx)) return;
    Context inner = ctx;
    inner.scopes.push_back(vars_of(task.get("vars")));
    for (const char* key : {"block", "rescue", "always"}) {
      if (const yaml::Node* b = task.get(key)) run_tasks(b, inner);
    }
    for (size_t i = 0; i < task.keys().size(); ++i) {
      const std::string_view key = task.keys()[i].str();
      const yaml::Node& arg = task.items()[i];
      if (include_key(key)) {
        const yaml::Node* f = arg.is_map() ? arg.get("file") : &arg;
        if (f == nullptr || !f->is_scalar()) continue;
        Env env = env_for(inner, nullptr);
        bool unres = false;
        const std::string name = render(Text::from_yaml(*f), env, unres).str();
        if (auto p = resolve(name, inner)) {
          include(*p, inner);
        } else if (unres) {
          sink_.note(f->span(), fmt::format("included task file `{}` is not known; its tasks are not read", f->str()));
        }
      } else if (role_key(key)) {
        const yaml::Node* n = arg.is_map() ? arg.get("name") : nullptr;
        if (n != nullptr) run_role(std::string(n->str()), nullptr, inner);
      } else if (shell_modules().count(key) > 0) {
        Text cmd;
        if (arg.is_scalar()) {
          cmd = Text::from_yaml(arg);
        } else if (const yaml::Node* c = arg.get("cmd"); c != nullptr) {
          cmd = Text::from_yaml(*c);
        } else if (const yaml::Node* argv = arg.get("argv"); argv != nullptr && argv->is_seq()) {
          for (const auto& a : argv->items()) {
            if (!cmd.empty()) cmd.append(Text::plain(" "));
            cmd.append(Text::plain("'"));
            cmd.append(Text::from_yaml(a));
            cmd.append(Text::plain("'"));
          }
        }
        const std::string& raw = cmd.str();
        const bool kubectl_cmd = raw.find("kubectl") != std::string::npos &&
                                 (raw.find("label") != std::string::npos || raw.find("taint") != std::string::npos);
        if (kubectl_cmd || mentions_kubelet_args(raw) || raw.find("KUBELET_EXTRA_ARGS") != std::string::npos) {
          for_each_item(task, inner, [&](Env& env) { shell_task(task, cmd, env, inner); });
        }
      } else if (k8s_modules().count(key) > 0 && arg.is_map()) {
        for_each_item(task, inner, [&](Env& env) { k8s_task(task, arg, env, inner); });
      } else if (taint_modules().count(key) > 0 && arg.is_map()) {
        for_each_item(task, inner, [&](Env& env) { k8s_taint_task(task, arg, env, inner); });
      } else if (file_modules().count(key) > 0 && arg.is_map()) {
        for (const char* field : {"content", "line", "block"}) {
          const yaml::Node* c = arg.get(field);
          if (c == nullptr || !c->is_scalar()) continue;
          const std::string_view raw = c->str();
          if (!mentions_kubelet_args(raw) && raw.find("KUBELET") == std::string_view::npos) continue;
          const Text content = Text::from_yaml(*c);
          for_each_item(task, inner, [&](Env& env) { kubelet_file_task(task, content, env, inner); });
        }
      }
    }
  }

  /// Runs `fn` once per loop item (or once without a loop), with the item bound.
  void for_each_item(const yaml::Node& task, const Context& ctx, const std::function<void(Env&)>& fn) {
    const yaml::Node* loop = nullptr;
    std::string_view loop_key;
    for (std::string_view k : {"loop", "with_items", "with_list", "with_dict"}) {
      if ((loop = task.get(k)) != nullptr) {
        loop_key = k;
        break;
      }
    }
    std::string loop_var = "item";
    if (const yaml::Node* lv = task.at({"loop_control", "loop_var"}); lv != nullptr && lv->is_scalar()) {
      loop_var = std::string(lv->str());
    }
    if (loop == nullptr) {
      Env env = env_for(ctx, nullptr);
      fn(env);
      return;
    }
    std::optional<Value> items;
    if (loop->is_seq() || loop->is_map()) {
      items = Value::from_yaml(*loop);
    } else if (loop->is_scalar()) {
      Env env = env_for(ctx, nullptr);
      bool unres = false;
      items = render_value(Text::from_yaml(*loop), env, unres);
      if (unres) items.reset();
    }
    if (items && loop_key == "with_dict" && items->kind == Kind::kMap) {
      std::vector<Value> pairs;
      for (size_t i = 0; i < items->keys.size(); ++i) {
        pairs.push_back(Value::map_of({{"key", Value::string(Text::plain(items->keys[i]))}, {"value", items->items[i]}},
                                      items->items[i].at));
      }
      items = Value::list_of(std::move(pairs), loop->span());
    }
    if (!items || items->kind != Kind::kList) {
      sink_.note(loop->span(), fmt::format("loop of task `{}` is not known; the task is not read", task_name(task)));
      return;
    }
    std::vector<Value> flat;
    for (auto& item : items->items) {
      // with_items flattens one level; items that are templates are rendered.
      if (loop_key == "with_items" && item.kind == Kind::kList) {
        for (auto& x : item.items) flat.push_back(x);
      } else {
        flat.push_back(item);
      }
    }
    for (size_t i = 0; i < flat.size() && i < kMaxLoopItems; ++i) {
      Value item = flat[i];
      if (item.kind == Kind::kString && item.text.str().find("{{") != std::string::npos) {
        Env env = env_for(ctx, nullptr);
        bool unres = false;
        if (auto v = render_value(item.text, env, unres); v && !unres) item = *v;
      }
      Env env = env_for(ctx, nullptr);
      env.loop_var = loop_var;
      env.item = &item;
      fn(env);
    }
  }

  /// Renders text for the task: once when it does not depend on the host, else once per host of the play.
  void per_host(const Text& text, Env& env, const Context& ctx, const yaml::Node& task,
                const std::function<void(const Text&, const Host*)>& use) {
    bool unres = false;
    env.needs_host = false;
    Text out = render(text, env, unres);
    if (!env.needs_host) {
      use(out, nullptr);
      return;
    }
    if (!ctx.hosts) {
      sink_.note(task.span(), fmt::format("task `{}` depends on the host, but the hosts of its play are not known{}",
                                          task_name(task),
                                          ctx.hosts_pattern.empty() ? "" : fmt::format(" (`{}`)", ctx.hosts_pattern)));
      return;
    }
    for (const auto& h : *ctx.hosts) {
      const Host* host = inv_.find(h);
      if (host == nullptr) continue;
      Env he = env;
      he.host = host;
      bool u = false;
      use(render(text, he, u), host);
    }
  }

  void shell_task(const yaml::Node& task, const Text& cmd, Env& env, const Context& ctx) {
    per_host(cmd, env, ctx, task, [&](const Text& rendered, const Host* host) {
      for (const auto& words : shell_commands(rendered)) {
        if (auto call = parse_kubectl(words)) kubectl(*call, task);
      }
      if (mentions_kubelet_args(rendered.str())) kubelet_flags(rendered, host, task, ctx);
    });
  }

  void kubelet_file_task(const yaml::Node& task, const Text& content, Env& env, const Context& ctx) {
    per_host(content, env, ctx, task, [&](const Text& rendered, const Host* host) {
      if (mentions_kubelet_args(rendered.str())) kubelet_flags(rendered, host, task, ctx);
    });
  }

  /// Kubelet flags written on a host configure that host's node.
  void kubelet_flags(const Text& text, const Host* host, const yaml::Node& task, const Context& ctx) {
    std::vector<const Host*> hosts;
    if (host != nullptr) {
      hosts.push_back(host);
    } else if (ctx.hosts) {
      for (const auto& h : *ctx.hosts) {
        if (const Host* x = inv_.find(h)) hosts.push_back(x);
      }
    } else {
      sink_.note(task.span(),
                 fmt::format("task `{}` sets kubelet flags, but the hosts of its play are not known", task_name(task)));
      return;
    }
    for (const Host* h : hosts) {
      if (h->name == "localhost") continue;
      NodeDecl& d = sink_.add(h->name, "", Rank::kTask, task.span());
      scan_kubelet_args(text, d, sink_);
    }
  }

  void kubectl(const KubectlCall& call, const yaml::Node& task) {
    if (!call.selector.empty()) {
      sink_.note(task.span(), fmt::format("task `{}` runs `kubectl {}` on nodes chosen by `{}`; which nodes is not "
                                          "known",
                                          task_name(task), call.verb, call.selector));
      return;
    }
    for (const Text& node : call.nodes) {
      const std::string& name = node.str();
      if (unresolved(name) || name.find('$') != std::string::npos || name.find('`') != std::string::npos) {
        sink_.note(node.span(), fmt::format("node name `{}` in task `{}` is not known; its {} not read", name,
                                            task_name(task), call.verb == "label" ? "labels are" : "taints are"));
        continue;
      }
      NodeDecl& d = sink_.add(name, "", Rank::kTask, node.span().valid() ? node.span() : task.span());
      for (const Text& spec : call.specs) {
        const std::string& s = spec.str();
        const Span at = spec.span().valid() ? spec.span() : task.span();
        if (unresolved(s)) {
          sink_.note(at, fmt::format("`{}` in task `{}` is not resolved; it is skipped", s, task_name(task)));
          continue;
        }
        if (call.verb == "label") {
          if (s.size() > 1 && s.back() == '-' && s.find('=') == std::string::npos) {
            d.facts.push_back(label_removed_fact(s.substr(0, s.size() - 1), at));
            continue;
          }
          const size_t eq = s.find('=');
          if (eq == std::string::npos || !valid_label_key(s.substr(0, eq)) || !valid_label_value(s.substr(eq + 1))) {
            sink_.note(at, fmt::format("`{}` is not a valid node label; it is skipped", s));
            continue;
          }
          d.facts.push_back(label_fact(s.substr(0, eq), s.substr(eq + 1), at));
        } else {
          auto t = parse_taint_spec(s);
          if (!t) {
            sink_.note(at, fmt::format("`{}` is not a valid taint; it is skipped", s));
          } else if (t->removal) {
            d.facts.push_back(taint_removed_fact(t->key, t->effect, at));
          } else {
            d.facts.push_back(taint_fact(t->key, t->value, t->effect, at));
          }
        }
      }
    }
  }

  /// A YAML scalar of a task argument, rendered (host-independent only).
  std::optional<Text> arg_text(const yaml::Node* n, Env& env) {
    if (n == nullptr || !n->is_scalar()) return std::nullopt;
    bool unres = false;
    Text t = render(Text::from_yaml(*n), env, unres);
    if (unres) return std::nullopt;
    return t;
  }

  void k8s_task(const yaml::Node& task, const yaml::Node& arg, Env& env, const Context& ctx) {
    (void)ctx;
    const yaml::Node* state = arg.get("state");
    if (state != nullptr && state->str() == "absent") return;
    const yaml::Node* def = arg.get("definition");
    if (def == nullptr) def = arg.get("resource_definition");
    const yaml::Node* kind = def != nullptr && def->is_map() ? def->get("kind") : nullptr;
    if (kind == nullptr) kind = arg.get("kind");
    if (kind == nullptr || kind->str() != "Node") return;
    if (def != nullptr && !def->is_map()) {
      sink_.note(def->span(),
                 fmt::format("the Node definition of task `{}` is not literal YAML; it is not read", task_name(task)));
      return;
    }
    const yaml::Node* name_node = def != nullptr ? def->at({"metadata", "name"}) : nullptr;
    if (name_node == nullptr) name_node = arg.get("name");
    auto name = arg_text(name_node, env);
    if (!name || name->empty()) {
      sink_.note(task.span(), fmt::format("the Node name of task `{}` is not known; it is not read", task_name(task)));
      return;
    }
    NodeDecl& d = sink_.add(name->str(), "", Rank::kTask, name->span());
    if (const yaml::Node* labels = def != nullptr ? def->at({"metadata", "labels"}) : nullptr;
        labels != nullptr && labels->is_map()) {
      for (size_t i = 0; i < labels->keys().size(); ++i) {
        const std::string key(labels->keys()[i].str());
        const yaml::Node& v = labels->items()[i];
        if (v.is_null()) {  // a merge patch with null removes the label
          d.facts.push_back(label_removed_fact(key, labels->keys()[i].span()));
          continue;
        }
        auto value = arg_text(&v, env);
        if (!value || !valid_label_key(key) || !valid_label_value(value->str())) {
          sink_.note(v.span(), fmt::format("label `{}` of task `{}` is not known or not valid; it is skipped", key,
                                           task_name(task)));
          continue;
        }
        d.facts.push_back(label_fact(key, value->str(), value->span().valid() ? value->span() : v.span()));
      }
    }
    if (const yaml::Node* taints = def != nullptr ? def->at({"spec", "taints"}) : nullptr;
        taints != nullptr && taints->is_seq()) {
      for (const auto& t : taints->items()) {
        auto key = arg_text(t.get("key"), env);
        auto effect = arg_text(t.get("effect"), env);
        auto value = t.get("value") != nullptr ? arg_text(t.get("value"), env) : std::optional<Text>(Text());
        const std::string eff = effect ? normalize_effect(effect->str()) : "";
        if (!key || !value || eff.empty()) {
          sink_.note(t.span(), fmt::format("a taint of task `{}` is not known; it is skipped", task_name(task)));
          continue;
        }
        d.facts.push_back(taint_fact(key->str(), value->str(), eff, t.get("key")->span()));
      }
    }
  }

  void k8s_taint_task(const yaml::Node& task, const yaml::Node& arg, Env& env, const Context& ctx) {
    (void)ctx;
    auto name = arg_text(arg.get("name"), env);
    if (!name || name->empty()) {
      sink_.note(task.span(), fmt::format("the node name of task `{}` is not known; it is not read", task_name(task)));
      return;
    }
    const bool absent = arg.get("state") != nullptr && arg.get("state")->str() == "absent";
    NodeDecl& d = sink_.add(name->str(), "", Rank::kTask, name->span());
    const yaml::Node* taints = arg.get("taints");
    if (taints == nullptr || !taints->is_seq()) return;
    for (const auto& t : taints->items()) {
      auto key = arg_text(t.get("key"), env);
      auto effect = t.get("effect") != nullptr ? arg_text(t.get("effect"), env) : std::optional<Text>(Text());
      auto value = t.get("value") != nullptr ? arg_text(t.get("value"), env) : std::optional<Text>(Text());
      if (!key || !effect || !value) {
        sink_.note(t.span(), fmt::format("a taint of task `{}` is not known; it is skipped", task_name(task)));
        continue;
      }
      const std::string eff = normalize_effect(effect->str());
      if (absent) {
        d.facts.push_back(taint_removed_fact(key->str(), eff, t.get("key")->span()));
      } else if (!eff.empty()) {
        d.facts.push_back(taint_fact(key->str(), value->str(), eff, t.get("key")->span()));
      }
    }
  }
};

}  // namespace

void read_ansible(const Repo& repo, Sink& sink) { Ansible(repo, sink).run(); }

}  // namespace gl::k8s::infra::detail
