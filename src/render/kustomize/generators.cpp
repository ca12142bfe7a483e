#include "render/kustomize/generators.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/hash.h"
#include "core/strings.h"
#include "yaml/node.h"

namespace gl::render::kustomize {
namespace {

// ---------------------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------------------
// UTF-8 and Go's encoding/json string escaping (the hash input must match kustomize's byte for byte).

/// Appends s as the Go behind kustomize's hasher writes a JSON string (HTML-safe, short \b and \f escapes).
void go_json_string(std::string& out, std::string_view s) { append_go_json_string(out, s, true, /*short_bf=*/true); }

yaml::Node scalar_view(const MNode& n) {
  yaml::Node v;
  v.style = n.style;
  v.set_text(n.type == yaml::NodeType::kNull ? yaml::NodeType::kNull : yaml::NodeType::kScalar, n.value);
  v.set_tag(n.tag);
  return v;
}

/// JSON as kustomize gets it from a node (YAML -> JSON, keys sorted as Go sorts map keys).
void go_json(std::string& out, const MNode& n) {
  if (n.is_map()) {
    std::vector<size_t> order(n.keys.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return n.keys[a].value < n.keys[b].value; });
    out += '{';
    for (size_t j = 0; j < order.size(); ++j) {
      if (j > 0) out += ',';
      go_json_string(out, n.keys[order[j]].value);
      out += ':';
      go_json(out, n.items[order[j]]);
    }
    out += '}';
    return;
  }
  if (n.is_seq()) {
    out += '[';
    for (size_t j = 0; j < n.items.size(); ++j) {
      if (j > 0) out += ',';
      go_json(out, n.items[j]);
    }
    out += ']';
    return;
  }
  if (n.is_null()) {
    out += "null";
    return;
  }
  const auto kind = scalar_kind(n);
  const yaml::Node v = scalar_view(n);
  if (kind == "bool" && v.as_bool()) {
    out += *v.as_bool() ? "true" : "false";
  } else if (kind == "null") {
    out += "null";
  } else if (kind == "int" && v.as_int()) {
    out += fmt::format("{}", *v.as_int());
  } else if (kind == "float" && v.as_number()) {
    out += fmt::format("{}", *v.as_number());
  } else {
    go_json_string(out, n.value);
  }
}

/// The value kustomize's hasher reads at `key`: "" when absent, a scalar's text, else the JSON of a map
/// (a list does not decode into a map and becomes null).
std::string hashed_field(const MNode& root, std::string_view key) {
  std::string out;
  const MNode* v = root.get(key);
  if (v == nullptr || v->is_null()) {
    go_json_string(out, "");
  } else if (v->is_scalar()) {
    go_json_string(out, v->value);
  } else if (v->is_map()) {
    go_json(out, *v);
  } else {
    out += "null";
  }
  return out;
}

bool is_collection(const MNode* n) { return n != nullptr && (n->is_map() || n->is_seq()); }

constexpr size_t kHashChars = 10;

/// kustomize's encoding of a hex digest: its first 10 characters with 0,1,3,a,e swapped for g,h,k,m,t.
std::string encode_hash(std::string_view hex) {
  std::string out(hex.substr(0, kHashChars));
  for (char& c : out) {
    switch (c) {
      case '0':
        c = 'g';
        break;
      case '1':
        c = 'h';
        break;
      case '3':
        c = 'k';
        break;
      case 'a':
        c = 'm';
        break;
      case 'e':
        c = 't';
        break;
      default:
        break;
    }
  }
  return out;
}

/// Base64 as kustomize writes generated data: lines of 70 characters, each ending in '\n' once the
/// encoding reaches 70 characters.
constexpr size_t kBase64Line = 70;

std::string kustomize_base64(std::string_view data) {
  std::string enc = encode_base64(data);
  if (enc.size() < kBase64Line) return enc;
  std::string out;
  for (size_t i = 0; i < enc.size(); i += kBase64Line) {
    out.append(enc, i, kBase64Line);
    out += '\n';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Generator entries.

struct Pair {
  std::string key;
  std::string value;
  Span at;
};

/// A label or annotation from generator options, with the node that set it.
struct MetaEntry {
  std::string value;
  Span key_at;
  Span value_at;
};

struct Options {
  bool present = false;
  std::map<std::string, MetaEntry> labels;
  std::map<std::string, MetaEntry> annotations;
  bool disable_hash = false;
  bool immutable = false;
  Span immutable_at;
};

constexpr std::string_view kEntryFields[] = {"name",  "namespace", "behavior", "literals",
                                             "files", "envs",      "env",      "options"};
constexpr std::string_view kOptionFields[] = {"labels", "annotations", "disableNameSuffixHash", "immutable"};

std::string describe(const ResId& id) {
  return id.ns.empty() ? fmt::format("{} `{}`", id.kind, id.name) : fmt::format("{} `{}/{}`", id.kind, id.ns, id.name);
}

/// Go's path.Base: the last element, trailing slashes dropped; "." for an empty path, "/" for slashes only.
std::string path_base(std::string_view p) {
  if (p.empty()) return ".";
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  if (p == "/") return "/";
  return std::string(basename(p));
}

/// Go's unicode.IsSpace for the code point of the valid sequence `seq`.
bool is_unicode_space(std::string_view seq) {
  if (seq.size() == 1) {
    const char c = seq[0];
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
  }
  static constexpr std::string_view kSpaces[] = {
      "\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82", "\xE2\x80\x83",
      "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A",
      "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"};
  return std::find(std::begin(kSpaces), std::end(kSpaces), seq) != std::end(kSpaces);
}

std::string_view trim_left_space(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const size_t n = utf8_length(s, i);
    if (n == 0 || !is_unicode_space(s.substr(i, n))) break;
    i += n;
  }
  return s.substr(i);
}

/// kustomize's removeQuotes: strips one pair of matching surrounding quotes.
std::string remove_quotes(std::string_view v) {
  if (v.size() >= 2 && v.front() == v.back() && (v.front() == '"' || v.front() == '\'')) {
    return std::string(v.substr(1, v.size() - 2));
  }
  return std::string(v);
}

class Generators {
 public:
  Generators(const FileLoader& loader, std::vector<RenderError>& errors) : loader_(loader), errors_(errors) {}

  void run(const MNode& k, std::vector<Resource>& resources) {
    Options global;
    if (const auto* g = k.get("generatorOptions"); g != nullptr && !g->is_null()) {
      if (!read_options(*g, "generatorOptions", global)) return;
    }
    run_list(k, "configMapGenerator", false, global, resources);
    run_list(k, "secretGenerator", true, global, resources);
  }

 private:
  const FileLoader& loader_;
  std::vector<RenderError>& errors_;

  bool fail(Span at, std::string message, std::string help = {}) {
    errors_.push_back(RenderError{at, std::move(message), std::move(help)});
    return false;
  }

  void run_list(const MNode& k, std::string_view field, bool secret, const Options& global,
                std::vector<Resource>& resources) {
    const MNode* list = k.get(field);
    if (list == nullptr || list->is_null()) return;
    if (!list->is_seq()) {
      fail(list->span, fmt::format("`{}` must be a list of generator entries", field));
      return;
    }
    for (const auto& entry : list->items) {
      if (!entry.is_map()) {
        fail(entry.span, fmt::format("each `{}` entry must be a mapping", field));
        continue;
      }
      auto res = generate(entry, field, secret, global);
      if (res) absorb(resources, std::move(*res));
    }
  }

  bool check_fields(const MNode& map, std::span<const std::string_view> allowed, std::string_view where) {
    bool ok = true;
    for (const auto& key : map.keys) {
      if (std::find(allowed.begin(), allowed.end(), key.value) != allowed.end()) continue;
      std::vector<std::string> names(allowed.begin(), allowed.end());
      const std::string near = closest_match(key.value, names);
      ok = fail(key.span, fmt::format("unknown field `{}` in {}", key.value, where),
                near.empty() ? std::string() : fmt::format("did you mean `{}`?", near));
    }
    return ok;
  }

  /// A string field ("" when absent or null); false (error added) when it holds anything but a string.
  bool read_string(const MNode& map, std::string_view key, std::string& out, Span* at = nullptr) {
    const MNode* v = map.get(key);
    if (v == nullptr || v->is_null()) return true;
    if (!v->is_string()) return fail(v->span, fmt::format("`{}` must be a string", key));
    out = v->value;
    if (at != nullptr) *at = v->span;
    return true;
  }

  bool read_bool(const MNode& map, std::string_view key, bool& out, Span* at = nullptr) {
    const MNode* v = map.get(key);
    if (v == nullptr || v->is_null()) return true;
    const yaml::Node view = scalar_view(*v);
    if (!v->is_scalar() || scalar_kind(*v) != "bool" || !view.as_bool()) {
      return fail(v->span, fmt::format("`{}` must be true or false", key));
    }
    out = *view.as_bool();
    if (at != nullptr) *at = v->span;
    return true;
  }

  /// A list of strings; false (error added) when the field or an item has another type.
  bool read_strings(const MNode& map, std::string_view key, std::vector<const MNode*>& out) {
    const MNode* v = map.get(key);
    if (v == nullptr || v->is_null()) return true;
    if (!v->is_seq()) return fail(v->span, fmt::format("`{}` must be a list of strings", key));
    bool ok = true;
    for (const auto& item : v->items) {
      if (!item.is_string()) {
        ok = fail(item.span, fmt::format("each `{}` item must be a string", key));
      } else {
        out.push_back(&item);
      }
    }
    return ok;
  }

  bool read_string_map(const MNode& map, std::string_view key, std::map<std::string, MetaEntry>& out) {
    const MNode* v = map.get(key);
    if (v == nullptr || v->is_null()) return true;
    if (!v->is_map()) return fail(v->span, fmt::format("`{}` must be a mapping of strings", key));
    bool ok = true;
    for (size_t i = 0; i < v->keys.size(); ++i) {
      const MNode& val = v->items[i];
      if (val.is_null()) {
        out[v->keys[i].value] = MetaEntry{"", v->keys[i].span, val.span};
      } else if (!val.is_string()) {
        ok = fail(val.span, fmt::format("the value of `{}` in `{}` must be a string", v->keys[i].value, key),
                  "quote it");
      } else {
        out[v->keys[i].value] = MetaEntry{val.value, v->keys[i].span, val.span};
      }
    }
    return ok;
  }

  bool read_options(const MNode& node, std::string_view where, Options& out) {
    if (!node.is_map()) return fail(node.span, fmt::format("`{}` must be a mapping", where));
    out.present = true;
    bool ok = check_fields(node, kOptionFields, fmt::format("`{}`", where));
    ok = read_string_map(node, "labels", out.labels) && ok;
    ok = read_string_map(node, "annotations", out.annotations) && ok;
    ok = read_bool(node, "disableNameSuffixHash", out.disable_hash) && ok;
    ok = read_bool(node, "immutable", out.immutable, &out.immutable_at) && ok;
    return ok;
  }

  /// kustomize's MergeGlobalOptionsIntoLocal: local labels/annotations win, flags are or-ed.
  static Options merge_options(Options local, const Options& global) {
    if (!global.present) return local;
    local.present = true;
    for (const auto& [k, v] : global.labels) local.labels.emplace(k, v);
    for (const auto& [k, v] : global.annotations) local.annotations.emplace(k, v);
    local.disable_hash = local.disable_hash || global.disable_hash;
    if (!local.immutable && global.immutable) {
      local.immutable = true;
      local.immutable_at = global.immutable_at;
    }
    return local;
  }

  bool literal_pairs(const std::vector<const MNode*>& items, std::vector<Pair>& out) {
    bool ok = true;
    for (const MNode* item : items) {
      const std::string_view s = item->value;
      const size_t eq = s.find('=');
      if (eq == 0 || eq == std::string_view::npos) {
        ok = fail(item->span, fmt::format("invalid literal source `{}`: expected key=value", s));
        continue;
      }
      out.push_back(Pair{std::string(s.substr(0, eq)), remove_quotes(s.substr(eq + 1)), item->span});
    }
    return ok;
  }

  bool file_pairs(const std::vector<const MNode*>& items, std::vector<Pair>& out) {
    bool ok = true;
    for (const MNode* item : items) {
      const std::string_view s = item->value;
      const auto separators = std::count(s.begin(), s.end(), '=');
      std::string key;
      std::string_view path = s;
      if (separators == 0) {
        key = path_base(s);
      } else if (separators == 1 && s.front() == '=') {
        ok = fail(item->span, fmt::format("missing key name for file path `{}` in source `{}`", s.substr(1), s));
        continue;
      } else if (separators == 1 && s.back() == '=') {
        ok = fail(item->span,
                  fmt::format("missing file path for key name `{}` in source `{}`", s.substr(0, s.size() - 1), s));
        continue;
      } else if (separators > 1) {
        ok = fail(item->span, fmt::format("source `{}`: the key name or the file path contains '='", s));
        continue;
      } else {
        const size_t eq = s.find('=');
        key = std::string(s.substr(0, eq));
        path = s.substr(eq + 1);
      }
      std::string error;
      const SourceFile* file = loader_.text(path, &error);
      if (file == nullptr) {
        ok = fail(item->span, fmt::format("cannot read file source `{}`: {}", path, error));
        continue;
      }
      out.push_back(Pair{std::move(key), file->text(), item->span});
    }
    return ok;
  }

  /// Pairs of an .env file: one KEY=VALUE per line; blank lines, `#` comments and lines with an empty key
  /// are skipped, a line without `=` gives an empty value, leading whitespace and the BOM are dropped.
  bool env_pairs(const MNode& item, std::vector<Pair>& out) {
    std::string error;
    const SourceFile* file = loader_.text(item.value, &error);
    if (file == nullptr) return fail(item.span, fmt::format("cannot read env file `{}`: {}", item.value, error));
    const std::string& text = file->text();
    size_t start = 0;
    uint32_t line_no = 0;
    while (start < text.size()) {
      size_t nl = text.find('\n', start);
      const size_t end = nl == std::string::npos ? text.size() : nl;
      std::string_view line(text.data() + start, end - start);
      start = nl == std::string::npos ? text.size() : nl + 1;
      ++line_no;
      if (line.ends_with('\r')) line.remove_suffix(1);
      const Span at{file, Mark{line_no, 1}, Mark{line_no, static_cast<uint32_t>(line.size() + 1)}};
      if (!valid_utf8(line)) return fail(at, fmt::format("line {} of `{}` is not valid UTF-8", line_no, item.value));
      if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
      line = trim_left_space(line);
      if (line.empty() || line.front() == '#') continue;
      const size_t eq = line.find('=');
      std::string key(line.substr(0, eq));
      if (key.empty()) continue;
      out.push_back(Pair{std::move(key), eq == std::string_view::npos ? "" : std::string(line.substr(eq + 1)), at});
    }
    return true;
  }

  std::optional<Resource> generate(const MNode& entry, std::string_view field, bool secret, const Options& global) {
    std::vector<std::string_view> allowed(std::begin(kEntryFields), std::end(kEntryFields));
    if (secret) allowed.push_back("type");
    bool ok = check_fields(entry, allowed, fmt::format("a `{}` entry", field));
    std::string name, ns, behavior, type;
    Span name_at = entry.span, ns_at, type_at;
    ok = read_string(entry, "name", name, &name_at) && ok;
    ok = read_string(entry, "namespace", ns, &ns_at) && ok;
    ok = read_string(entry, "behavior", behavior) && ok;
    if (secret) ok = read_string(entry, "type", type, &type_at) && ok;
    std::vector<const MNode*> literals, files, envs;
    ok = read_strings(entry, "literals", literals) && ok;
    ok = read_strings(entry, "files", files) && ok;
    ok = read_strings(entry, "envs", envs) && ok;
    if (const auto* env = entry.get("env"); env != nullptr && !env->is_null()) {
      if (!env->is_string()) {
        ok = fail(env->span, "`env` must be a string");
      } else if (!env->value.empty()) {
        envs.push_back(env);
      }
    }
    Options local;
    if (const auto* o = entry.get("options"); o != nullptr && !o->is_null()) {
      ok = read_options(*o, "options", local) && ok;
    }
    if (!ok) return std::nullopt;
    const std::string kind = secret ? "Secret" : "ConfigMap";
    if (name.empty()) {
      fail(entry.span, fmt::format("a `{}` entry has no `name`", field), "name the generated object");
      return std::nullopt;
    }
    const Options opts = merge_options(std::move(local), global);

    // Sources in kustomize's order: env files, literals, files.
    std::vector<Pair> pairs;
    for (const MNode* e : envs) ok = env_pairs(*e, pairs) && ok;
    ok = literal_pairs(literals, pairs) && ok;
    ok = file_pairs(files, pairs) && ok;
    if (!ok) return std::nullopt;
    std::map<std::string, const Pair*> by_key;
    for (const auto& p : pairs) {
      if (!by_key.emplace(p.key, &p).second) {
        fail(p.at, fmt::format("{} `{}` repeats the key `{}`", secret ? "secret" : "configmap", name, p.key),
             "each key may appear once across literals, files and env files");
        return std::nullopt;
      }
    }

    Resource res;
    MNode& root = res.root;
    root = MNode::map(name_at);
    root.set("apiVersion", MNode::string("v1", name_at), name_at);
    root.set("kind", MNode::string(kind, name_at), name_at);
    MNode& meta = root.set("metadata", MNode::map(name_at), name_at);
    meta.set("name", MNode::string(name, name_at), name_at);
    if (!ns.empty()) meta.set("namespace", MNode::string(ns, ns_at), ns_at);
    if (!opts.labels.empty()) {
      MNode& labels = meta.set("labels", MNode::map(name_at), name_at);
      for (const auto& [k, v] : opts.labels) labels.set(k, MNode::string(v.value, v.value_at), v.key_at);
    }
    if (!opts.annotations.empty()) {
      MNode& annotations = meta.set("annotations", MNode::map(name_at), name_at);
      for (const auto& [k, v] : opts.annotations) annotations.set(k, MNode::string(v.value, v.value_at), v.key_at);
    }
    // `meta` refers into root's items: no more fields may be added to root before this point.
    if (secret) {
      root.set("type", MNode::string(type.empty() ? "Opaque" : type, type.empty() ? name_at : type_at),
               type.empty() ? name_at : type_at);
      MNode& data = root.set("data", MNode::map(name_at), name_at);
      for (const auto& [key, p] : by_key) data.set(key, MNode::string(kustomize_base64(p->value), p->at), p->at);
    } else {
      for (const auto& [key, p] : by_key) {
        const bool text = valid_utf8(p->value);
        MNode* target = root.ensure_map(text ? "data" : "binaryData", name_at);
        target->set(key, MNode::string(text ? p->value : kustomize_base64(p->value), p->at), p->at);
      }
    }
    if (opts.immutable) root.set("immutable", MNode::scalar("true", opts.immutable_at), opts.immutable_at);
    res.needs_hash = !opts.disable_hash;
    res.behavior = behavior == "merge" || behavior == "replace" ? behavior : "create";
    res.origin = name_at;
    return res;
  }

  /// kustomize's appendReplaceOrMerge.
  void absorb(std::vector<Resource>& resources, Resource res) {
    const ResId id = res.id();
    std::vector<size_t> matches;
    for (size_t i = 0; i < resources.size(); ++i) {
      const MNode& r = resources[i].root;
      if (!r.is_map() || r.keys.empty()) continue;
      if (resources[i].matches_any_id(id)) matches.push_back(i);
    }
    const bool folds = res.behavior == "merge" || res.behavior == "replace";
    if (matches.empty()) {
      if (folds) {
        fail(res.origin,
             fmt::format("cannot {} {}: no such object in the resources so far", res.behavior, describe(id)),
             "generate it with the default behavior `create`, or fix the name");
        return;
      }
      resources.push_back(std::move(res));
      return;
    }
    if (matches.size() > 1) {
      std::vector<std::string> ids;
      ids.reserve(matches.size());
      for (size_t i : matches) ids.push_back(describe(resources[i].id()));
      fail(res.origin, fmt::format("several objects could accept the {} of {}: {}", res.behavior, describe(id),
                                   fmt::join(ids, ", ")));
      return;
    }
    Resource& old = resources[matches.front()];
    if (!folds) {
      fail(res.origin, fmt::format("{} already exists", describe(id)),
           "set `behavior: merge` or `behavior: replace` to change it");
      return;
    }
    copy_merge_metadata(res, old);
    if (res.behavior == "merge") {
      merge_map_field(res.root, old.root, "data");
      merge_map_field(res.root, old.root, "binaryData");
      res.origin = old.origin;
    }
    res.behavior = old.behavior;
    old = std::move(res);
  }

  /// Merges metadata map `key` (labels or annotations): the old entries, then this resource's over them.
  static void merge_meta_map(MNode& meta, const MNode* old_meta, std::string_view key) {
    const MNode* from_old = old_meta != nullptr ? old_meta->get(key) : nullptr;
    MNode merged = MNode::map(meta.span);
    if (from_old != nullptr && from_old->is_map()) {
      merged.span = from_old->span;
      for (size_t i = 0; i < from_old->keys.size(); ++i) {
        merged.set(from_old->keys[i].value, from_old->items[i], from_old->keys[i].span);
      }
    }
    if (const MNode* mine = meta.get(key); mine != nullptr && mine->is_map()) {
      merged.span = mine->span;
      for (size_t i = 0; i < mine->keys.size(); ++i)
        merged.set(mine->keys[i].value, mine->items[i], mine->keys[i].span);
    }
    if (merged.keys.empty()) {
      meta.erase(key);
    } else {
      const Span at = merged.span;
      meta.set(key, std::move(merged), at);
    }
  }

  /// kustomize's CopyMergeMetaDataFieldsFrom: labels and annotations merged (the new ones win), the old
  /// name, namespace and build history kept, a hash suffix only when both sides asked for one.
  static void copy_merge_metadata(Resource& res, const Resource& old) {
    MNode* meta = res.root.ensure_map("metadata", res.origin);
    if (meta == nullptr) return;
    const MNode* old_meta = old.root.get("metadata");
    merge_meta_map(*meta, old_meta, "labels");
    merge_meta_map(*meta, old_meta, "annotations");
    if (const MNode* n = old.root.at({"metadata", "name"}); n != nullptr) meta->set("name", *n);
    const MNode* old_ns = old.root.at({"metadata", "namespace"});
    if (old_ns != nullptr && !old_ns->str().empty()) {
      meta->set("namespace", *old_ns);
    } else {
      meta->erase("namespace");
    }
    res.prev_ids = old.prev_ids;
    res.needs_hash = res.needs_hash && old.needs_hash;
  }

  /// kustomize's MergeDataMapFrom / MergeBinaryDataMapFrom: old entries, then the new ones over them, all
  /// strings; the field disappears when the merged map is empty.
  static void merge_map_field(MNode& root, const MNode& old_root, std::string_view key) {
    std::map<std::string, MNode> merged;
    auto take = [&](const MNode* m) {
      if (m == nullptr || !m->is_map()) return;
      for (size_t i = 0; i < m->keys.size(); ++i) {
        const MNode& v = m->items[i];
        merged.insert_or_assign(m->keys[i].value, v.is_string() ? v : MNode::string(std::string(v.str()), v.span));
      }
    };
    take(old_root.get(key));
    const MNode* mine = root.get(key);
    const Span at = mine != nullptr ? mine->span : root.span;
    take(mine);
    root.erase(key);
    if (merged.empty()) return;
    MNode out = MNode::map(at);
    for (auto& [k, v] : merged) {
      const Span vat = v.span;
      out.set(k, std::move(v), vat);
    }
    root.set(key, std::move(out), at);
  }
};

}  // namespace

void run_generators(const MNode& kustomization, const FileLoader& loader, std::vector<Resource>& resources,
                    std::vector<RenderError>& errors) {
  if (!kustomization.is_map()) return;
  Generators(loader, errors).run(kustomization, resources);
}

std::string content_hash(const MNode& cm_or_secret) {
  const MNode* kind = cm_or_secret.get("kind");
  const std::string_view k = kind != nullptr ? kind->str() : std::string_view();
  std::string json;
  if (k == "ConfigMap") {
    json = "{";
    if (is_collection(cm_or_secret.get("binaryData")))
      json += "\"binaryData\":" + hashed_field(cm_or_secret, "binaryData") + ",";
    json += "\"data\":" + hashed_field(cm_or_secret, "data") + ",\"kind\":\"ConfigMap\",\"name\":\"\"}";
  } else if (k == "Secret") {
    json = "{\"data\":" + hashed_field(cm_or_secret, "data") + ",\"kind\":\"Secret\",\"name\":\"\",";
    if (is_collection(cm_or_secret.get("stringData")))
      json += "\"stringData\":" + hashed_field(cm_or_secret, "stringData") + ",";
    json += "\"type\":" + hashed_field(cm_or_secret, "type") + "}";
  } else {
    go_json(json, cm_or_secret);
  }
  return encode_hash(hash::sha256_hex(json));
}

void add_hash_suffixes(std::vector<Resource>& resources) {
  for (auto& r : resources) {
    if (!r.needs_hash || !r.root.is_map()) continue;
    const MNode* name = r.root.at({"metadata", "name"});
    const Span at = name != nullptr ? name->span : r.origin;
    r.set_name(r.name() + "-" + content_hash(r.root), at);
  }
}

}  // namespace gl::render::kustomize
