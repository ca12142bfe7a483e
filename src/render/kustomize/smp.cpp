#include "render/kustomize/smp.h"

#include <algorithm>
#include <array>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "render/kustomize/schema.h"

// The merge follows kyaml's merge2 walk step by step, including its quirks, because users' overlays are
// built by it: new list items go before the kept ones, a patch item matches a target item only when every
// merge key present anywhere in the list matches, and a map or list taken from the patch is merged with
// itself (which drops `null` fields and `$patch: delete` items inside it). The walk shares and mutates
// nodes the way kyaml does, so the tree is copied into a pointer graph first and back afterwards.

namespace gl::render::kustomize {
namespace {

using schema::SchemaId;

struct Node;
using NodeP = std::shared_ptr<Node>;

struct Node {
  yaml::NodeType type = yaml::NodeType::kNull;
  yaml::ScalarStyle style = yaml::ScalarStyle::kPlain;
  std::string value;
  std::string tag;
  Span span;
  bool keep = false;           ///< a null written in the target that an untouched merge keeps
  std::vector<NodeP> content;  ///< sequences: items; mappings: key, value, key, value, ...
};

NodeP to_graph(const MNode& m) {
  auto n = std::make_shared<Node>();
  n->type = m.type;
  n->style = m.style;
  n->value = m.value;
  n->tag = m.tag;
  n->span = m.span;
  if (m.is_map()) {
    n->content.reserve(m.keys.size() * 2);
    for (size_t i = 0; i < m.keys.size(); ++i) {
      n->content.push_back(to_graph(m.keys[i]));
      n->content.push_back(to_graph(m.items[i]));
    }
  } else if (m.is_seq()) {
    n->content.reserve(m.items.size());
    for (const auto& i : m.items) n->content.push_back(to_graph(i));
  }
  return n;
}

MNode to_tree(const Node& n) {
  MNode m;
  m.type = n.type;
  m.style = n.style;
  m.value = n.value;
  m.tag = n.tag;
  m.span = n.span;
  if (n.type == yaml::NodeType::kMapping) {
    for (size_t i = 0; i + 1 < n.content.size(); i += 2) {
      m.keys.push_back(to_tree(*n.content[i]));
      m.items.push_back(to_tree(*n.content[i + 1]));
    }
  } else if (n.type == yaml::NodeType::kSequence) {
    for (const auto& i : n.content) m.items.push_back(to_tree(*i));
  }
  return m;
}

bool missing_or_null(const NodeP& n) { return !n || n->type == yaml::NodeType::kNull; }
bool is_map(const NodeP& n) { return n && n->type == yaml::NodeType::kMapping; }
bool is_seq(const NodeP& n) { return n && n->type == yaml::NodeType::kSequence; }
bool empty_map(const NodeP& n) { return missing_or_null(n) || (is_map(n) && n->content.empty()); }
bool nil_or_empty(const NodeP& n) {
  return missing_or_null(n) ||
         ((n->type == yaml::NodeType::kMapping || n->type == yaml::NodeType::kSequence) && n->content.empty());
}

/// The value of `name` in a mapping (the last one when a key repeats, as kyaml reads it), else null.
NodeP field_of(const NodeP& n, std::string_view name) {
  if (!is_map(n)) return nullptr;
  NodeP found;
  for (size_t i = 0; i + 1 < n->content.size(); i += 2) {
    if (n->content[i]->value == name) found = n->content[i + 1];
  }
  return found;
}

std::string_view kind_name(yaml::NodeType t) {
  switch (t) {
    case yaml::NodeType::kMapping:
      return "a map";
    case yaml::NodeType::kSequence:
      return "a list";
    default:
      return "a scalar";
  }
}

enum class Directive { kMerge, kReplace, kDelete, kUnknown };

using Sources = std::array<NodeP, 2>;  // {dest (the target), origin (the patch)}

class Merger {
 public:
  std::optional<RenderError> error;

  NodeP walk(Sources s, SchemaId sch, const std::string& path) {
    if (error) return nullptr;
    sch = schema_of(s, sch);
    yaml::NodeType kind = yaml::NodeType::kNull;
    for (const auto& n : s) {
      if (!missing_or_null(n)) {
        kind = n->type;
        break;
      }
    }
    for (const auto& n : s) {
      if (!missing_or_null(n) && n->type != kind) {
        fail(s, path,
             fmt::format("cannot merge `{}`: it is {} in the resource but {} in the patch", display(path),
                         kind_name(s[0] ? s[0]->type : kind), kind_name(s[1] ? s[1]->type : kind)));
        return nullptr;
      }
    }
    switch (kind) {
      case yaml::NodeType::kMapping:
      case yaml::NodeType::kNull:
        return walk_map(s, sch, path);
      case yaml::NodeType::kSequence:
        if (schema::is_merge_list(sch)) return walk_merge_list(s, sch, path);
        return s[1] ? s[1] : s[0];
      default:
        return s[1] ? s[1] : s[0];
    }
  }

 private:
  static std::string display(const std::string& path) { return path.empty() ? std::string(".") : path; }

  void fail(const Sources& s, const std::string& path, std::string message) {
    if (error) return;
    Span at = s[1] ? s[1]->span : (s[0] ? s[0]->span : Span{});
    error = RenderError{at, std::move(message),
                        path.empty() ? "" : fmt::format("check `{}` in the patch against the resource", path)};
  }

  /// The walk's schema: the one inherited from the parent, else the one of an embedded apiVersion/kind.
  static SchemaId schema_of(const Sources& s, SchemaId inherited) {
    if (inherited != schema::kNoSchema) return inherited;
    for (const auto& n : s) {
      if (!is_map(n)) continue;
      NodeP api = field_of(n, "apiVersion");
      NodeP kind = field_of(n, "kind");
      if (!api || !kind || api->value.empty() || kind->value.empty()) continue;
      SchemaId found = schema::for_kind(api->value, kind->value);
      if (found != schema::kNoSchema) return found;
    }
    return schema::kNoSchema;
  }

  // ---- directives ----

  Directive directive(const NodeP& patch, const std::string& path, bool report) {
    if (!patch) return Directive::kMerge;
    std::string v;
    if (is_seq(patch)) {
      NodeP holder;
      for (const auto& e : patch->content) {
        if (is_map(e) && field_of(e, "$patch")) {
          holder = e;
          break;
        }
      }
      if (!holder || holder->content.size() > 2) return Directive::kMerge;
      v = field_of(holder, "$patch")->value;
      Directive d = parse_directive(v);
      if (d == Directive::kUnknown) return unknown_directive(patch, path, v, report);
      if (!set_element(patch, nullptr, {"$patch"}, {v}, path)) return Directive::kUnknown;
      return d;
    }
    if (is_map(patch)) {
      NodeP value = field_of(patch, "$patch");
      if (!value) return Directive::kMerge;
      v = value->value;
      Directive d = parse_directive(v);
      if (d == Directive::kUnknown) return unknown_directive(patch, path, v, report);
      clear_field(patch, "$patch");
      return d;
    }
    return Directive::kUnknown;
  }

  static Directive parse_directive(std::string_view v) {
    if (v == "delete") return Directive::kDelete;
    if (v == "replace") return Directive::kReplace;
    if (v == "merge") return Directive::kMerge;
    return Directive::kUnknown;
  }

  Directive unknown_directive(const NodeP& patch, const std::string& path, const std::string& v, bool report) {
    if (report && !error) {
      error = RenderError{patch->span, fmt::format("unknown patch strategy `{}` at `{}`", v, display(path)),
                          "use `$patch: merge`, `$patch: replace` or `$patch: delete`"};
    }
    return Directive::kUnknown;
  }

  // ---- maps ----

  NodeP visit_map(const Sources& s, const std::string& path) {
    const NodeP& dest = s[0];
    const NodeP& origin = s[1];
    if (missing_or_null(dest)) {
      if (directive(origin, path, false) == Directive::kDelete) return nullptr;
      if (!origin && dest && !dest->value.empty()) {
        auto keep = std::make_shared<Node>(*dest);
        keep->keep = true;
        return keep;
      }
      return origin;
    }
    if (origin && origin->type == yaml::NodeType::kNull) return nullptr;
    switch (directive(origin, path, true)) {
      case Directive::kDelete:
        return nullptr;
      case Directive::kReplace:
        return origin;
      default:
        return dest;
    }
  }

  NodeP walk_map(Sources s, SchemaId sch, const std::string& path) {
    NodeP dest = visit_map(s, path);
    if (error) return nullptr;
    s[0] = dest;
    if (!dest) return nullptr;
    std::set<std::string> names;
    for (const auto& n : s) {
      if (!is_map(n)) continue;
      for (size_t i = 0; i + 1 < n->content.size(); i += 2) names.insert(n->content[i]->value);
    }
    for (const auto& name : names) {
      SchemaId child = schema::kNoSchema;
      if (sch != schema::kNoSchema) child = schema::is_merge_list(sch) ? schema::kNoSchema : schema::field(sch, name);
      Sources fv{field_of(s[0], name), field_of(s[1], name)};
      Span key_at = key_span(s[1], name);
      std::string child_path = path;
      if (!child_path.empty()) child_path += '.';
      child_path += name;
      NodeP val = walk(fv, child, child_path);
      if (error) return nullptr;
      set_field(dest, name, val, key_at);
    }
    return dest;
  }

  static Span key_span(const NodeP& n, std::string_view name) {
    if (!is_map(n)) return {};
    for (size_t i = 0; i + 1 < n->content.size(); i += 2) {
      if (n->content[i]->value == name) return n->content[i]->span;
    }
    return {};
  }

  static void clear_field(const NodeP& n, std::string_view name) {
    if (!is_map(n)) return;
    for (size_t i = 0; i + 1 < n->content.size(); i += 2) {
      if (n->content[i]->value == name) {
        n->content.erase(n->content.begin() + static_cast<std::ptrdiff_t>(i),
                         n->content.begin() + static_cast<std::ptrdiff_t>(i + 2));
        return;
      }
    }
  }

  /// kyaml's FieldSetter: clears the field for a missing or null value, overwrites an existing value node
  /// in place (so every holder of it sees the change), else appends the field.
  static void set_field(const NodeP& n, std::string_view name, const NodeP& value, Span key_at) {
    if (!value || (value->type == yaml::NodeType::kNull && !value->keep)) {
      clear_field(n, name);
      return;
    }
    if (!is_map(n)) return;
    NodeP existing = field_of(n, name);
    if (existing) {
      if (existing != value) *existing = *value;
      return;
    }
    auto key = std::make_shared<Node>();
    key->type = yaml::NodeType::kScalar;
    key->value = std::string(name);
    key->span = key_at.valid() ? key_at : value->span;
    n->content.push_back(std::move(key));
    n->content.push_back(value);
  }

  // ---- merge lists ----

  NodeP visit_merge_list(const Sources& s, const std::string& path) {
    const NodeP& dest = s[0];
    const NodeP& origin = s[1];
    if (missing_or_null(dest)) return origin;
    if (origin && origin->type == yaml::NodeType::kNull) return nullptr;
    switch (directive(origin, path, true)) {
      case Directive::kDelete:
        return nullptr;
      case Directive::kReplace:
        return origin;
      default:
        return dest;
    }
  }

  NodeP walk_merge_list(Sources s, SchemaId sch, const std::string& path) {
    NodeP dest = visit_merge_list(s, path);
    if (error) return nullptr;
    s[0] = dest;
    if (!dest) return nullptr;
    std::vector<std::string> keys;
    for (auto k : schema::merge_keys(sch)) keys.emplace_back(k);
    std::vector<std::vector<std::string>> values = element_values(s, keys);
    if (!values.empty() || !keys.empty()) return set_elements(s, values, keys, dest, sch, path);
    return set_elements(s, primitive_values(s), {""}, dest, sch, path);
  }

  /// The merge-key values of every item, patch items first, each distinct tuple once.
  static std::vector<std::vector<std::string>> element_values(const Sources& s, const std::vector<std::string>& keys) {
    std::vector<std::vector<std::string>> out;
    for (const NodeP& src : {s[1], s[0]}) {
      if (!is_seq(src)) continue;
      for (const auto& e : src->content) {
        std::vector<std::string> vals;
        for (const auto& k : keys) {
          NodeP f = field_of(e, k);
          vals.push_back(nil_or_empty(f) ? std::string() : f->value);
        }
        if (vals.empty() || std::find(out.begin(), out.end(), vals) != out.end()) continue;
        out.push_back(std::move(vals));
      }
    }
    return out;
  }

  static std::vector<std::vector<std::string>> primitive_values(const Sources& s) {
    std::vector<std::vector<std::string>> out;
    std::set<std::string> seen;
    for (const NodeP& src : {s[1], s[0]}) {
      if (!src) continue;
      for (const auto& e : src->content) {
        if (!seen.insert(e->value).second) continue;
        out.push_back({e->value});
      }
    }
    return out;
  }

  /// The keys (and their values) that identify an item: those with a value somewhere in `all`.
  static std::pair<std::vector<std::string>, std::vector<std::string>> valid_keys(
      const std::vector<std::vector<std::string>>& all, const std::vector<std::string>& values,
      const std::vector<std::string>& keys) {
    std::set<std::string> valid;
    for (const auto& vs : all) {
      for (size_t i = 0; i < vs.size() && i < keys.size(); ++i) {
        if (!vs[i].empty()) valid.insert(keys[i]);
      }
    }
    if (valid.empty()) return {keys, values};
    std::vector<std::string> out_keys;
    std::vector<std::string> out_values;
    for (const auto& k : keys) {
      if (valid.count(k) != 0) out_keys.push_back(k);
    }
    for (size_t i = 0; i < values.size(); ++i) {
      if (!values[i].empty() || (i < keys.size() && valid.count(keys[i]) != 0)) out_values.push_back(values[i]);
    }
    return {out_keys, out_values};
  }

  /// Tuples that agree where both have a value take each other's values (a key missing on one side).
  static void merge_values(std::vector<std::vector<std::string>>& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      const std::vector<std::string> a = list[i];
      for (size_t j = 0; j < list.size(); ++j) {
        const std::vector<std::string>& b = list[j];
        if (a.size() != b.size()) continue;
        bool common = false;
        bool clash = false;
        std::vector<std::string> res;
        for (size_t k = 0; k < a.size(); ++k) {
          if (a[k] == b[k]) {
            common = true;
            res.push_back(a[k]);
          } else if (!a[k].empty() && !b[k].empty()) {
            clash = true;
            break;
          } else {
            res.push_back(a[k].empty() ? b[k] : a[k]);
          }
        }
        if (clash || !common) continue;
        list[i] = res;
        list[j] = res;
      }
    }
  }

  /// The first item whose keys have exactly these values (for primitives: the item equal to the value).
  static NodeP find_element(const NodeP& list, std::vector<std::string> keys, std::vector<std::string> values) {
    if (!is_seq(list)) return nullptr;
    if (keys.empty()) keys.emplace_back();
    if (values.empty()) values.emplace_back();
    if (keys[0].empty()) {
      for (const auto& e : list->content) {
        if (e->value == values[0]) return e;
      }
      return nullptr;
    }
    for (const auto& e : list->content) {
      if (!is_map(e)) continue;
      bool match = true;
      for (size_t i = 0; i < keys.size() && match; ++i) {
        bool found = false;
        for (size_t j = 0; j + 1 < e->content.size(); j += 2) {
          if (e->content[j]->value == keys[i] && i < values.size() && e->content[j + 1]->value == values[i]) {
            found = true;
          }
        }
        match = found;
      }
      if (match) return e;
    }
    return nullptr;
  }

  /// kyaml's FieldMatcher used by ElementSetter: nullopt on a kind error, else the match (or null).
  std::optional<NodeP> match_field(const NodeP& e, const std::string& name, const std::string& value,
                                   const std::string& path) {
    if (missing_or_null(e)) return NodeP{};
    if (name.empty()) {
      if (e->type != yaml::NodeType::kScalar) {
        error = RenderError{e->span, fmt::format("cannot merge `{}`: expected a scalar item", display(path)), ""};
        return std::nullopt;
      }
      return e->value == value ? e : NodeP{};
    }
    if (!is_map(e)) {
      error = RenderError{e->span, fmt::format("cannot merge `{}`: expected a map item", display(path)), ""};
      return std::nullopt;
    }
    NodeP found;
    for (size_t j = 0; j + 1 < e->content.size(); j += 2) {
      if (e->content[j]->value == name && (value.empty() || e->content[j + 1]->value == value)) {
        found = e->content[j + 1];
      }
    }
    return found;
  }

  /// kyaml's ElementSetter: replaces the items matching keys=values by `element` (removes them when null),
  /// drops null and empty-map items, and appends `element` when nothing matched. False on error.
  bool set_element(const NodeP& list, const NodeP& element, std::vector<std::string> keys,
                   const std::vector<std::string>& values, const std::string& path) {
    if (keys.empty()) keys.emplace_back();
    if (!is_seq(list)) return true;
    const bool mapping_setter = !keys[0].empty() && !values.empty() && !values[0].empty();
    std::vector<NodeP> kept;
    bool matched = false;
    for (const auto& e : list->content) {
      if (missing_or_null(e) || empty_map(e)) continue;
      if (!is_map(e) && mapping_setter) {
        kept.push_back(e);
        continue;
      }
      NodeP val;
      bool found = true;
      for (size_t j = 0; j < keys.size(); ++j) {
        if (j < values.size()) {
          auto m = match_field(e, keys[j], values[j], path);
          if (!m) return false;
          val = *m;
        }
        if (!val) {
          found = false;
          break;
        }
      }
      if (!found) {
        if (!values.empty()) kept.push_back(e);
        continue;
      }
      matched = true;
      if (element) kept.push_back(element);
    }
    list->content = std::move(kept);
    if (missing_or_null(element)) return true;
    if (!matched) list->content.push_back(element);
    return true;
  }

  NodeP set_elements(const Sources& s, std::vector<std::vector<std::string>> values_list,
                     const std::vector<std::string>& keys, NodeP dest, SchemaId sch, const std::string& path) {
    auto added = std::make_shared<Node>();
    added->type = yaml::NodeType::kSequence;
    added->span = dest->span;
    const SchemaId elem_schema = schema::element(sch);
    if (keys.size() > 1) merge_values(values_list);
    std::vector<std::string> vkeys;
    std::vector<std::string> vvalues;
    for (const auto& values : values_list) {
      if (values.empty()) continue;
      std::tie(vkeys, vvalues) = valid_keys(values_list, values, keys);
      auto [mkeys, mvalues] = valid_keys({values}, values, keys);
      Sources items{find_element(s[0], mkeys, mvalues), find_element(s[1], mkeys, mvalues)};
      std::string item_path = path + "[";
      for (size_t i = 0; i < vkeys.size(); ++i) {
        item_path += fmt::format("{}{}={}", i == 0 ? "" : ",", vkeys[i], i < vvalues.size() ? vvalues[i] : "");
      }
      item_path += "]";
      NodeP val = walk(items, elem_schema, item_path);
      if (error) return nullptr;
      bool removed = false;
      for (size_t i = 0; i < vkeys.size(); ++i) {
        if (missing_or_null(val) || empty_map(val)) {
          if (!set_element(dest, nullptr, vkeys, vvalues, path)) return nullptr;
          removed = true;
        } else if (is_map(val) && !field_of(val, vkeys[i]) && i < vvalues.size() && !vvalues[i].empty()) {
          auto k = std::make_shared<Node>();
          k->type = yaml::NodeType::kScalar;
          k->value = vkeys[i];
          k->span = val->span;
          auto v = std::make_shared<Node>(*k);
          v->value = vvalues[i];
          val->content.push_back(std::move(k));
          val->content.push_back(std::move(v));
        }
      }
      if (removed) continue;
      if (!set_element(added, val, vkeys, vvalues, path)) return nullptr;
    }
    if (!values_list.empty()) {
      if (!append_list(added, dest, vkeys, path)) return nullptr;
      dest = added;
    }
    if (missing_or_null(dest)) return nullptr;
    return dest;
  }

  /// Puts every remaining target item into `dst`: in place of its merged copy, else at the end.
  bool append_list(const NodeP& dst, const NodeP& src, const std::vector<std::string>& keys, const std::string& path) {
    if (keys.empty()) return true;
    const std::vector<NodeP> items = src->content;
    for (const auto& e : items) {
      if (keys[0].empty()) {
        if (!set_element(dst, e, {""}, {e->value}, path)) return false;
        continue;
      }
      std::vector<std::string> v;
      for (const auto& k : keys) {
        auto f = match_field(e, k, "", path);
        if (!f) return false;
        if (!*f) {
          dst->content.push_back(e);
          continue;
        }
        v.push_back((*f)->value);
      }
      if (keys.size() > 1 && !set_element(dst, nullptr, keys, v, path)) return false;
      if (!set_element(dst, e, keys, v, path)) return false;
    }
    return true;
  }
};

/// Restores a metadata field the merge may not change (kustomize resets name, kind and namespace).
void restore(MNode& root, std::initializer_list<std::string_view> path, const std::optional<MNode>& original) {
  MNode* parent = &root;
  auto it = path.begin();
  for (; std::next(it) != path.end(); ++it) {
    MNode* next = parent->get(*it);
    if (next == nullptr || !next->is_map()) {
      if (!original) return;
      next = parent->ensure_map(*it, original->span);
      if (next == nullptr) return;
    }
    parent = next;
  }
  if (original) {
    parent->set(*it, *original);
  } else {
    parent->erase(*it);
  }
}

std::optional<MNode> copy_of(const MNode& root, std::initializer_list<std::string_view> path) {
  const MNode* n = root.at(path);
  if (n == nullptr) return std::nullopt;
  return *n;
}

}  // namespace

std::optional<RenderError> apply_smp(MNode& target, const MNode& patch, const SmpOptions& options) {
  if (!patch.is_map()) {
    return RenderError{patch.span, "a strategic merge patch must be a map",
                       "write the patch as a partial resource with apiVersion, kind and metadata.name"};
  }
  if (!target.is_map()) return RenderError{patch.span, "the patch target is not a map", ""};
  const std::optional<MNode> api_version = copy_of(target, {"apiVersion"});
  const std::optional<MNode> kind = copy_of(target, {"kind"});
  const std::optional<MNode> name = copy_of(target, {"metadata", "name"});
  const std::optional<MNode> ns = copy_of(target, {"metadata", "namespace"});

  Merger merger;
  NodeP result = merger.walk({to_graph(target), to_graph(patch)}, schema::kNoSchema, "");
  if (merger.error) return merger.error;
  if (!result || (result->type == yaml::NodeType::kMapping && result->content.empty()) ||
      result->type == yaml::NodeType::kNull) {
    target = MNode::null(patch.span);
    return std::nullopt;
  }
  target = to_tree(*result);
  if (api_version) restore(target, {"apiVersion"}, api_version);
  if (!options.allow_kind_change) restore(target, {"kind"}, kind);
  if (!options.allow_name_change) restore(target, {"metadata", "name"}, name);
  const bool has_ns = ns && ns->is_scalar() && !ns->value.empty();
  restore(target, {"metadata", "namespace"}, has_ns ? ns : std::nullopt);
  return std::nullopt;
}

}  // namespace gl::render::kustomize
