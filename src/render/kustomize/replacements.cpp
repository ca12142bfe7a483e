#include "render/kustomize/replacements.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "k8s/object.h"
#include "k8s/selector.h"
#include "render/kustomize/fieldpath.h"

namespace gl::render::kustomize {
namespace {

constexpr std::string_view kDefaultFieldPath = "metadata.name";

struct Options {
  std::string delimiter;
  long long index = 0;
  bool create = false;
  /// kustomize's FieldOptions.String(): "" unless a delimiter or create is set.
  std::string display() const {
    if (delimiter.empty() && !create) return "";
    return fmt::format("{}({}), create={}", delimiter, index, create);
  }
};

struct Selector {
  ResId id;
  std::string label_selector;
  std::string annotation_selector;
  Span at;
  bool id_empty() const {
    return id.group.empty() && id.version.empty() && id.kind.empty() && id.name.empty() && id.ns.empty();
  }
};

struct Source {
  ResId id;
  std::string field_path;  ///< as written ("" when absent)
  Span field_path_at;
  Options options;
  Span at;
  /// kustomize's SourceSelector.String().
  std::string display() const {
    std::string out = id.display();
    if (!field_path.empty()) out += ":" + field_path;
    if (const auto o = options.display(); !o.empty()) out += ":" + o;
    return out;
  }
};

struct FieldPath {
  std::string path;
  Span at;
};

struct Target {
  std::optional<Selector> select;
  std::vector<Selector> reject;
  std::vector<FieldPath> field_paths;
  Options options;
  Span at;
};

struct Replacement {
  std::optional<Source> source;
  std::optional<std::vector<Target>> targets;
  Span at;
};

/// Reads replacement entries from YAML; `strict` reports unknown fields (inline entries are part of the
/// kustomization, which kustomize decodes strictly; `path:` files are decoded leniently).
class Reader {
 public:
  Reader(bool strict, std::vector<RenderError>& errors) : strict_(strict), errors_(errors) {}

  std::optional<Replacement> replacement(const MNode& n) {
    if (!n.is_map()) {
      error(n.span, "a replacement must be a mapping with `source` and `targets`");
      return std::nullopt;
    }
    if (!known(n, {"source", "targets", "path"})) return std::nullopt;
    Replacement r;
    r.at = n.span;
    if (const MNode* s = n.get("source"); s != nullptr && !s->is_null()) {
      r.source = source(*s);
      if (!r.source) return std::nullopt;
    }
    if (const MNode* t = n.get("targets"); t != nullptr && !t->is_null()) {
      if (!t->is_seq()) {
        error(t->span, "`targets` must be a list");
        return std::nullopt;
      }
      r.targets.emplace();
      for (const auto& item : t->items) {
        auto target = this->target(item);
        if (!target) return std::nullopt;
        r.targets->push_back(std::move(*target));
      }
    }
    return r;
  }

 private:
  void error(Span at, std::string message, std::string help = {}) {
    errors_.push_back({at, std::move(message), std::move(help)});
  }

  bool known(const MNode& n, std::initializer_list<std::string_view> fields) {
    if (!strict_) return true;
    for (const auto& k : n.keys) {
      if (std::find(fields.begin(), fields.end(), k.value) == fields.end()) {
        error(k.span, fmt::format("unknown field `{}` in replacement", k.value));
        return false;
      }
    }
    return true;
  }

  static std::string text(const MNode& map, std::string_view key) {
    const MNode* v = map.get(key);
    return v != nullptr && v->is_scalar() ? v->value : std::string();
  }

  bool id_fields(const MNode& n, ResId& id) {
    id.group = text(n, "group");
    id.version = text(n, "version");
    id.kind = text(n, "kind");
    id.name = text(n, "name");
    id.ns = text(n, "namespace");
    return true;
  }

  std::optional<Options> options(const MNode* n) {
    Options o;
    if (n == nullptr || n->is_null()) return o;
    if (!n->is_map()) {
      error(n->span, "`options` must be a mapping");
      return std::nullopt;
    }
    if (!known(*n, {"delimiter", "index", "encoding", "create"})) return std::nullopt;
    o.delimiter = text(*n, "delimiter");
    if (const MNode* i = n->get("index"); i != nullptr && !i->is_null()) {
      long long v = 0;
      const auto& s = i->value;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (!i->is_scalar() || scalar_kind(*i) != "int" || ec != std::errc() || p != s.data() + s.size()) {
        error(i->span, fmt::format("`index` must be an integer, not `{}`", i->value));
        return std::nullopt;
      }
      o.index = v;
    }
    if (const MNode* c = n->get("create"); c != nullptr && !c->is_null()) {
      if (scalar_kind(*c) != "bool") {
        error(c->span, fmt::format("`create` must be true or false, not `{}`", c->value));
        return std::nullopt;
      }
      o.create = c->value == "true" || c->value == "True" || c->value == "TRUE";
    }
    return o;
  }

  std::optional<Source> source(const MNode& n) {
    if (!n.is_map()) {
      error(n.span, "`source` must be a mapping");
      return std::nullopt;
    }
    if (!known(n, {"group", "version", "kind", "name", "namespace", "fieldPath", "options"})) return std::nullopt;
    Source s;
    s.at = n.span;
    id_fields(n, s.id);
    s.field_path = text(n, "fieldPath");
    if (const MNode* f = n.get("fieldPath")) s.field_path_at = f->span;
    auto o = options(n.get("options"));
    if (!o) return std::nullopt;
    s.options = std::move(*o);
    return s;
  }

  std::optional<Selector> selector(const MNode& n) {
    if (!n.is_map()) {
      error(n.span, "a selector must be a mapping");
      return std::nullopt;
    }
    if (!known(n, {"group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"})) {
      return std::nullopt;
    }
    Selector s;
    s.at = n.span;
    id_fields(n, s.id);
    s.label_selector = text(n, "labelSelector");
    s.annotation_selector = text(n, "annotationSelector");
    return s;
  }

  std::optional<Target> target(const MNode& n) {
    if (!n.is_map()) {
      error(n.span, "a replacement target must be a mapping with `select` and `fieldPaths`");
      return std::nullopt;
    }
    if (!known(n, {"select", "reject", "fieldPaths", "options"})) return std::nullopt;
    Target t;
    t.at = n.span;
    if (const MNode* s = n.get("select"); s != nullptr && !s->is_null()) {
      t.select = selector(*s);
      if (!t.select) return std::nullopt;
    }
    if (const MNode* r = n.get("reject"); r != nullptr && r->is_seq()) {
      for (const auto& item : r->items) {
        auto sel = selector(item);
        if (!sel) return std::nullopt;
        t.reject.push_back(std::move(*sel));
      }
    }
    if (const MNode* f = n.get("fieldPaths"); f != nullptr && f->is_seq()) {
      for (const auto& item : f->items) t.field_paths.push_back({item.is_scalar() ? item.value : "", item.span});
    }
    auto o = options(n.get("options"));
    if (!o) return std::nullopt;
    t.options = std::move(*o);
    return t;
  }

  bool strict_;
  std::vector<RenderError>& errors_;
};

/// kustomize's ResId.IsSelectedBy: empty selector fields match anything; namespaces compare effectively.
bool selected_by(const ResId& id, const ResId& sel) {
  if (!sel.name.empty() && sel.name != id.name) return false;
  if (!sel.ns.empty() && sel.effective_ns() != id.effective_ns()) return false;
  if (!sel.group.empty() && sel.group != id.group) return false;
  if (!sel.version.empty() && sel.version != id.version) return false;
  if (!sel.kind.empty() && sel.kind != id.kind) return false;
  return true;
}

bool any_selected(const Resource& r, const ResId& sel) {
  const auto ids = r.all_ids();
  return std::any_of(ids.begin(), ids.end(), [&](const ResId& id) { return selected_by(id, sel); });
}

k8s::Labels string_map(const MNode& root, std::string_view field) {
  k8s::Labels out;
  const MNode* m = root.at({"metadata", field});
  if (m == nullptr || !m->is_map()) return out;
  for (size_t i = 0; i < m->keys.size(); ++i) {
    if (m->items[i].is_scalar()) out[m->keys[i].value] = m->items[i].value;
  }
  return out;
}

/// Whether `r` matches a selector's label and annotation selectors (both empty: true).
std::optional<bool> matches_labels(const Resource& r, const Selector& s, std::string* error) {
  if (!s.annotation_selector.empty()) {
    auto sel = k8s::parse_selector_string(s.annotation_selector, error);
    if (!sel) return std::nullopt;
    if (!sel->matches(string_map(r.root, "annotations"))) return false;
  }
  if (!s.label_selector.empty()) {
    auto sel = k8s::parse_selector_string(s.label_selector, error);
    if (!sel) return std::nullopt;
    if (!sel->matches(string_map(r.root, "labels"))) return false;
  }
  return true;
}

std::vector<std::string> split(const std::string& s, const std::string& delim) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(delim, start);
    out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + delim.size();
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& delim) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += delim;
    out += parts[i];
  }
  return out;
}

/// The resolved type of `text` written as a plain scalar.
std::string_view plain_kind(const std::string& text) { return scalar_kind(MNode::scalar(text)); }

class Applier {
 public:
  Applier(std::vector<Resource>& resources, std::vector<RenderError>& errors)
      : resources_(resources), errors_(errors) {}

  void apply(const Replacement& r) {
    if (!r.source || !r.targets) {
      error(r.at, "replacements must specify a source and at least one target");
      return;
    }
    auto value = source_value(*r.source);
    if (!value) return;
    for (const auto& t : *r.targets) {
      if (!apply_target(t, *value)) return;
    }
  }

 private:
  void error(Span at, std::string message, std::string help = {}) {
    errors_.push_back({at, std::move(message), std::move(help)});
  }

  std::optional<MNode> source_value(const Source& s) {
    const Resource* found = nullptr;
    for (const auto& res : resources_) {
      if (!any_selected(res, s.id)) continue;
      if (found != nullptr) {
        error(s.at, fmt::format("multiple matches for replacement source `{}`", s.display()),
              "narrow the source with kind, name and namespace");
        return std::nullopt;
      }
      found = &res;
    }
    if (found == nullptr) {
      error(s.at, fmt::format("nothing selected by replacement source `{}`", s.display()),
            "check the source's kind, name and namespace against the resources of this kustomization");
      return std::nullopt;
    }
    const std::string path = s.field_path.empty() ? std::string(kDefaultFieldPath) : s.field_path;
    const Span at = s.field_path_at.valid() ? s.field_path_at : s.at;
    std::string err;
    const MNode* node = lookup_field(found->root, split_field_path(path), &err);
    if (!err.empty()) {
      error(at, fmt::format("error looking up replacement source: {}", err));
      return std::nullopt;
    }
    if (node == nullptr || node->is_null() || (node->is_map() && node->keys.empty()) ||
        (node->is_seq() && node->items.empty())) {
      error(at, fmt::format("fieldPath `{}` is missing for replacement source `{}`", path, s.id.display()));
      return std::nullopt;
    }
    MNode value = *node;
    if (s.options.delimiter.empty()) return value;
    if (!value.is_scalar()) {
      error(s.at, "delimiter option can only be used with scalar nodes");
      return std::nullopt;
    }
    const auto parts = split(value.value, s.options.delimiter);
    if (s.options.index < 0 || s.options.index >= static_cast<long long>(parts.size())) {
      error(s.at, fmt::format("options.index {} is out of bounds for value `{}`", s.options.index, value.value));
      return std::nullopt;
    }
    // The piece keeps the source's type: a piece of a string stays a string.
    const bool was_string = value.is_string();
    value.value = parts[static_cast<size_t>(s.options.index)];
    value.style = yaml::ScalarStyle::kPlain;
    if (was_string && value.tag.empty() && !value.is_string()) value.style = yaml::ScalarStyle::kDoubleQuoted;
    return value;
  }

  /// False when an error stops the replacement.
  bool apply_target(const Target& t, const MNode& value) {
    if (!t.select) {
      error(t.at, "target must specify resources to select");
      return false;
    }
    std::vector<FieldPath> paths = t.field_paths;
    if (paths.empty()) paths.push_back({std::string(kDefaultFieldPath), t.at});
    for (auto& res : resources_) {
      std::string err;
      auto selected = matches_labels(res, *t.select, &err);
      if (!selected) {
        error(t.select->at, err);
        return false;
      }
      if (!*selected) continue;
      bool rejected = false;
      for (const auto& rej : t.reject) {
        if (rej.label_selector.empty() && rej.annotation_selector.empty()) continue;
        auto m = matches_labels(res, rej, &err);
        if (!m) {
          error(rej.at, err);
          return false;
        }
        if (*m) rejected = true;
      }
      for (const auto& rej : t.reject) {
        if (!rej.id_empty() && any_selected(res, rej.id)) rejected = true;
      }
      if (rejected || !any_selected(res, t.select->id)) continue;
      for (const auto& fp : paths) {
        if (!copy_to(res, fp, t.options, value)) return false;
      }
    }
    return true;
  }

  bool copy_to(Resource& res, const FieldPath& fp, const Options& options, const MNode& value) {
    CreateKind create = CreateKind::kNone;
    if (options.create) {
      create = value.is_map() ? CreateKind::kMap : value.is_seq() ? CreateKind::kSeq : CreateKind::kScalar;
    }
    const std::string what = fmt::format("unable to {} field \"{}\" in replacement target `{}`",
                                         options.create ? "find or create" : "find", fp.path, res.id().display());
    std::vector<FieldMatch> matches;
    std::string err;
    if (!match_fields(res.root, split_field_path(fp.path), create, fp.at, matches, &err)) {
      error(fp.at, fmt::format("{}: {}", what, err));
      return false;
    }
    if (matches.empty()) {
      error(fp.at, what, options.create ? "" : "set `options.create: true` to add the field when it is missing");
      return false;
    }
    for (const auto& m : matches) {
      if (!set_value(*m.node, m.created, options, value, fp.at)) return false;
    }
    return true;
  }

  /// kustomize's setFieldValue: a scalar target takes the new text and keeps its type; any other target
  /// is replaced by the value node.
  bool set_value(MNode& target, bool created, const Options& options, const MNode& value, Span fp_at) {
    const bool target_scalar = target.is_scalar() || target.is_null();
    std::string text = value.is_scalar() ? value.value : std::string();
    if (!options.delimiter.empty()) {
      if (!target_scalar) {
        error(fp_at, "delimiter option can only be used with scalar nodes");
        return false;
      }
      auto parts = split(target.value, options.delimiter);
      if (options.index < 0) {
        parts.insert(parts.begin(), text);
      } else if (options.index >= static_cast<long long>(parts.size())) {
        parts.push_back(text);
      } else {
        parts[static_cast<size_t>(options.index)] = text;
      }
      text = join(parts, options.delimiter);
    }
    if (!target_scalar) {
      target = value;
      return true;
    }
    if (created) {
      target = MNode::scalar(std::move(text), value.span);
      return true;
    }
    const std::string_view want = target.is_null() ? std::string_view("null") : scalar_kind(target);
    const std::string_view got = plain_kind(text);
    if (want == "str") {
      target.type = yaml::NodeType::kScalar;
      target.value = std::move(text);
      if (target.tag.empty() && !target.is_string()) target.style = yaml::ScalarStyle::kDoubleQuoted;
    } else if (got == want || (want == "float" && got == "int")) {
      target.type = yaml::NodeType::kScalar;
      target.style = yaml::ScalarStyle::kPlain;
      target.value = std::move(text);
    } else {
      error(fp_at, fmt::format("cannot decode !!{} `{}` as a !!{}", got, text, want),
            "the target field's type does not accept the replacement value");
      return false;
    }
    target.span = value.span;
    return true;
  }

  std::vector<Resource>& resources_;
  std::vector<RenderError>& errors_;
};

/// Loads the replacements of a `path:` entry: one mapping or a list of them.
std::vector<Replacement> load_path(const MNode& entry, const MNode& path, const FileLoader& loader,
                                   std::vector<RenderError>& errors) {
  std::vector<Replacement> out;
  if (entry.get("source") != nullptr || entry.get("targets") != nullptr) {
    errors.push_back({entry.span, "cannot specify both path and inline replacement", {}});
    return out;
  }
  std::string err;
  const auto resolved = loader.resolve(path.value, &err);
  if (!resolved) {
    errors.push_back({path.span, err, {}});
    return out;
  }
  const auto loaded = loader.ctx.yaml(*resolved);
  if (loaded == nullptr || !loaded->read_error.empty()) {
    errors.push_back({path.span,
                      fmt::format("cannot read replacement file `{}`: {}", path.value,
                                  loaded == nullptr ? std::string("unreadable") : loaded->read_error),
                      {}});
    return out;
  }
  if (!loaded->errors.empty()) {
    errors.push_back({path.span,
                      fmt::format("replacement file `{}` is not valid YAML: line {}: {}", path.value,
                                  loaded->errors.front().mark.line, loaded->errors.front().message),
                      {}});
    return out;
  }
  if (loaded->documents.empty()) return out;
  const MNode doc = MNode::from(loaded->documents.front().root);
  Reader reader(false, errors);
  if (doc.is_seq()) {
    for (const auto& item : doc.items) {
      if (auto r = reader.replacement(item)) out.push_back(std::move(*r));
    }
  } else if (doc.is_map()) {
    if (auto r = reader.replacement(doc)) out.push_back(std::move(*r));
  } else if (!doc.is_null()) {
    errors.push_back({path.span, fmt::format("unsupported replacement type in replacement file `{}`", path.value),
                      "the file must hold one replacement or a list of replacements"});
  }
  return out;
}

}  // namespace

void apply_replacements(std::vector<Resource>& resources, const MNode& replacements, const FileLoader& loader,
                        std::vector<RenderError>& errors) {
  if (replacements.is_null()) return;
  if (!replacements.is_seq()) {
    errors.push_back({replacements.span, "`replacements` must be a list", {}});
    return;
  }
  Applier applier(resources, errors);
  Reader reader(true, errors);
  for (const auto& entry : replacements.items) {
    const MNode* path = entry.is_map() ? entry.get("path") : nullptr;
    if (path != nullptr && path->is_scalar() && !path->value.empty()) {
      for (const auto& r : load_path(entry, *path, loader, errors)) applier.apply(r);
      continue;
    }
    if (auto r = reader.replacement(entry)) applier.apply(*r);
  }
}

}  // namespace gl::render::kustomize
