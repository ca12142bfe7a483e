// plaintext-secret: credentials committed in clear text: unencrypted Secret data, credential-named env values
// and ConfigMap entries, URLs with passwords, and well-known token formats anywhere. Values are never printed.
#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/parallel.h"
#include "core/strings.h"
#include "rules/rule.h"
#include "rules/support/secret_patterns.h"

namespace gl::rules {
namespace {

using support::SecretFormat;
using support::SecretMatch;

constexpr std::string_view kSecretHelp = "encrypt it with Sealed Secrets or SOPS, or move it to an ExternalSecret";
constexpr std::string_view kEnvHelp =
    "move the value into an encrypted Secret and read it with `valueFrom.secretKeyRef`";
constexpr std::string_view kExternalHelp = "keep the value in the external secret store and template it from `data`";
constexpr std::string_view kMoveHelp =
    "move the value into an encrypted Secret (Sealed Secrets, SOPS or ExternalSecret) and reference it";

/// One offending value.
struct Finding {
  const k8s::Object* object = nullptr;
  std::string message;
  std::string label;
  Span primary;
  Span node;        ///< the whole value node
  Span masked;      ///< what to blank when the secret is not found verbatim: the node, minus a block header
  std::string raw;  ///< the secret as written in the file, to blank out of the displayed copy
  std::vector<std::string> notes;
  std::string help;
};

std::string object_phrase(const k8s::Object& o) {
  std::string out = to_lower(o.kind);
  out += " `";
  if (!o.name_space.empty()) out += o.name_space + "/";
  out += o.name;
  out += '`';
  return out;
}

std::string code(std::string_view s) {
  std::string out = "`";
  out += s;
  out += '`';
  return out;
}

std::string fingerprint_note(std::string_view secret) { return "fingerprint: " + support::secret_fingerprint(secret); }

bool is_core_kind(const k8s::Object& o, std::string_view kind) { return o.kind == kind && o.group().empty(); }

bool is_block_scalar(const yaml::Node& n) {
  return n.style == yaml::ScalarStyle::kLiteral || n.style == yaml::ScalarStyle::kFolded;
}

/// The node's span without the header line of a block scalar (`|`, `>-`), which holds no content.
Span value_body(const yaml::Node& node) {
  Span s = node.span();
  if (is_block_scalar(node) && s.end.line > s.begin.line) s.begin = Mark{s.begin.line + 1, 1};
  return s;
}

/// The first place `needle` is written inside the node's source range, when it is written verbatim on one line.
std::optional<Span> locate(const yaml::Node& node, std::string_view needle) {
  if (node.file == nullptr || needle.empty() || needle.find('\n') != std::string_view::npos) return std::nullopt;
  for (uint32_t line = node.begin.line; line <= node.end.line && line > 0; ++line) {
    const std::string_view text = node.file->line(line);
    const size_t from = line == node.begin.line ? node.begin.column - 1 : 0;
    const size_t to = line == node.end.line ? std::min<size_t>(node.end.column - 1, text.size()) : text.size();
    if (from >= to) continue;
    const size_t at = text.substr(0, to).find(needle, from);
    if (at == std::string_view::npos) continue;
    const auto col = static_cast<uint32_t>(at + 1);
    return Span{node.file, Mark{line, col}, Mark{line, col + static_cast<uint32_t>(needle.size())}};
  }
  return std::nullopt;
}

/// One step from the object root: a mapping key or a sequence index.
struct Segment {
  std::string_view key;
  size_t index = 0;
  bool is_index = false;
};
using Path = std::vector<Segment>;

std::string field_path(const Path& path, size_t length) {
  std::string out;
  for (size_t i = 0; i < length && i < path.size(); ++i) {
    if (path[i].is_index) {
      out += "[" + std::to_string(path[i].index) + "]";
      continue;
    }
    if (!out.empty()) out += '.';
    out += path[i].key;
  }
  return out;
}

bool path_is(const Path& path, std::initializer_list<std::string_view> want) {
  if (path.size() != want.size()) return false;
  size_t i = 0;
  for (auto w : want) {
    if (path[i].is_index || path[i].key != w) return false;
    ++i;
  }
  return true;
}

bool last_key_is(const Path& path, std::string_view key, size_t from_end = 1) {
  if (path.size() < from_end) return false;
  const Segment& s = path[path.size() - from_end];
  return !s.is_index && s.key == key;
}

/// How a scalar is named in messages.
enum class Place { kField, kAnnotation, kMapKey, kEnv, kEntry };

/// Where a scalar sits and how strictly it is judged. Messages are built only for findings.
struct Scope {
  Place place = Place::kField;
  std::string_view key;                  ///< map key or `name` of a name/value entry
  std::string_view noun;                 ///< for kMapKey: "key", "template key"
  std::string_view container;            ///< for kEnv, when known
  bool credential_key = false;           ///< the key names a credential, in a place where key names are trusted
  bool config_text = false;              ///< a multi-line value is a config file: scan its `key = value` lines
  const yaml::Node* siblings = nullptr;  ///< the mapping, or the name/value sequence, the scalar belongs to
  std::string_view help = kMoveHelp;
};

/// Walks one object and collects its findings.
class ObjectScanner {
 public:
  ObjectScanner(const k8s::Object& object, std::vector<Finding>& out)
      : object_(object),
        out_(out),
        secret_(is_core_kind(object, "Secret")),
        config_map_(is_core_kind(object, "ConfigMap")) {}

  void run() {
    if (secret_ && object_.root.get("sops") == nullptr) check_secret_data();
    walk(object_.root, Context{});
  }

 private:
  /// What the mapping being walked is: whether its keys are trusted credential names, and for whom.
  struct Context {
    bool credential_map = false;
    bool recursive = false;  ///< nested mappings are credential maps too (Helm values)
    bool config_text = false;
    std::string_view key_noun;  ///< "key", "template key"; empty: describe by field path
    std::string_view help = kMoveHelp;
    std::string_view container;
  };

  bool skipped(std::string_view key) const {
    if (path_.empty() && key == "sops") return true;
    if (path_.empty() && secret_ && (key == "data" || key == "stringData")) return true;
    return object_.kind == "SealedSecret" && path_is(path_, {"spec"}) && key == "encryptedData";
  }

  /// The context of the collection under `key` of the mapping at path_.
  Context child_context(std::string_view key, const Context& parent) const {
    if (parent.recursive) return parent;
    Context c;
    c.container = parent.container;
    if (config_map_ && path_.empty() && key == "data") {
      c.credential_map = true;
      c.config_text = true;
      c.key_noun = "key";
    } else if (object_.kind == "ExternalSecret" && path_is(path_, {"spec", "target", "template"}) && key == "data") {
      c.credential_map = true;
      c.config_text = true;
      c.key_noun = "template key";
      c.help = kExternalHelp;
    } else if ((object_.kind == "Application" && last_key_is(path_, "helm") && key == "valuesObject") ||
               (object_.kind == "HelmRelease" && path_is(path_, {"spec"}) && key == "values")) {
      c.credential_map = true;
      c.recursive = true;
    }
    return c;
  }

  void walk(const yaml::Node& node, const Context& ctx, std::string_view skip_key = {}) {
    if (node.is_map()) {
      walk_map(node, ctx, skip_key);
    } else if (node.is_seq()) {
      walk_seq(node, ctx);
    }
  }

  void walk_map(const yaml::Node& node, const Context& ctx, std::string_view skip_key) {
    const bool annotations = path_is(path_, {"metadata", "annotations"});
    for (size_t i = 0; i < node.keys().size(); ++i) {
      const std::string_view key = node.keys()[i].str();
      const yaml::Node& value = node.items()[i];
      if ((!skip_key.empty() && key == skip_key) || skipped(key)) continue;
      if (!value.is_scalar()) {
        const Context child = child_context(key, ctx);
        path_.push_back(Segment{key});
        walk(value, child);
        path_.pop_back();
        continue;
      }
      path_.push_back(Segment{key});
      Scope scope;
      scope.key = key;
      scope.siblings = &node;
      scope.help = ctx.help;
      if (annotations) {
        scope.place = Place::kAnnotation;
      } else if (!ctx.key_noun.empty()) {
        scope.place = Place::kMapKey;
        scope.noun = ctx.key_noun;
      }
      scope.credential_key = ctx.credential_map && support::is_credential_key(key);
      scope.config_text =
          ctx.config_text || (object_.kind == "Application" && last_key_is(path_, "helm", 2) && key == "values");
      check_scalar(value, scope);
      path_.pop_back();
    }
  }

  void walk_seq(const yaml::Node& node, const Context& ctx) {
    const bool env = last_key_is(path_, "env");
    for (size_t i = 0; i < node.items().size(); ++i) {
      const yaml::Node& item = node.items()[i];
      path_.push_back(Segment{{}, i, true});
      Context item_ctx = ctx;
      const yaml::Node* name = item.get("name");
      const bool named = name != nullptr && name->is_scalar();
      if (named && item.get("image") != nullptr) item_ctx.container = name->str();
      const yaml::Node* value = item.get("value");
      if (named && value != nullptr && value->is_scalar()) {
        // `name`/`value` pairs (env, Helm parameters): the name is a trusted key for the value.
        Scope scope;
        scope.place = env ? Place::kEnv : Place::kEntry;
        scope.key = name->str();
        scope.container = ctx.container;
        scope.siblings = &node;
        scope.credential_key = support::is_credential_key(name->str());
        scope.help = env ? kEnvHelp : ctx.help;
        check_scalar(*value, scope);
        walk(item, item_ctx, "value");
      } else if (item.is_scalar()) {
        Scope scope;
        scope.help = ctx.help;
        check_scalar(item, scope);
      } else {
        walk(item, item_ctx);
      }
      path_.pop_back();
    }
  }

  std::string where(const Scope& scope) const {
    switch (scope.place) {
      case Place::kAnnotation:
        return "annotation " + code(scope.key);
      case Place::kMapKey:
        return std::string(scope.noun) + " " + code(scope.key);
      case Place::kEnv: {
        std::string out = "env " + code(scope.key);
        if (!scope.container.empty()) out += " of container " + code(scope.container);
        return out;
      }
      case Place::kEntry:
        return "entry " + code(scope.key) + " of " + code(field_path(path_, path_.size() - 1));
      case Place::kField:
        break;
    }
    return "field " + code(field_path(path_, path_.size()));
  }

  /// The value of every sibling scalar (mapping values, or `value` of name/value entries).
  template <typename Fn>
  static bool any_sibling(const yaml::Node& siblings, Fn fn) {
    if (siblings.is_map()) return std::any_of(siblings.items().begin(), siblings.items().end(), fn);
    return std::any_of(siblings.items().begin(), siblings.items().end(), [&](const yaml::Node& item) {
      const yaml::Node* v = item.get("value");
      return v != nullptr && fn(*v);
    });
  }

  /// True when the value is just the name of another key of the same map (`password: DB_PASSWORD`).
  static bool names_a_sibling(const yaml::Node& siblings, std::string_view value) {
    if (siblings.is_map()) {
      return std::any_of(siblings.keys().begin(), siblings.keys().end(),
                         [&](const yaml::Node& k) { return k.str() == value; });
    }
    return std::any_of(siblings.items().begin(), siblings.items().end(), [&](const yaml::Node& item) {
      const yaml::Node* n = item.get("name");
      return n != nullptr && n->str() == value;
    });
  }

  void check_scalar(const yaml::Node& node, const Scope& scope) {
    const std::string_view text = node.value();
    if (support::is_sops_ciphertext(text)) return;
    std::vector<SecretMatch> matches = support::find_secrets(text);
    if (scope.config_text && text.find('\n') != std::string_view::npos) {
      for (const auto& m : support::find_config_credentials(text)) {
        const bool overlaps = std::any_of(matches.begin(), matches.end(), [&](const SecretMatch& o) {
          return m.offset < o.offset + o.length && o.offset < m.offset + m.length;
        });
        if (!overlaps) matches.push_back(m);
      }
    }
    const std::string_view trimmed = trim(text);
    const auto whole = [&](SecretFormat format) {
      return SecretMatch{format, static_cast<size_t>(trimmed.data() - text.data()), trimmed.size(), {}};
    };
    if (matches.empty() && scope.siblings != nullptr && support::looks_like_aws_secret_key(trimmed) &&
        any_sibling(*scope.siblings,
                    [](const yaml::Node& v) { return v.is_scalar() && support::has_aws_access_key_id(v.value()); })) {
      matches.push_back(whole(SecretFormat::kAwsSecretKey));
    }
    if (matches.empty() && scope.credential_key && !support::is_placeholder(text) &&
        !support::is_reference_like(text) &&
        (scope.siblings == nullptr || !names_a_sibling(*scope.siblings, trimmed))) {
      matches.push_back(whole(SecretFormat::kCredential));
    }
    for (const auto& m : matches) report(node, text.substr(m.offset, m.length), m, scope);
  }

  void report(const yaml::Node& node, std::string_view secret, const SecretMatch& m, const Scope& scope) {
    Finding f;
    f.object = &object_;
    f.message = object_phrase(object_) + " holds " + std::string(support::describe(m.format));
    if (!m.key.empty()) f.message += " for " + code(m.key);
    f.message += " in " + where(scope);
    f.label = std::string(support::short_name(m.format));
    f.node = node.span();
    f.masked = value_body(node);
    f.primary = f.node;
    if (is_block_scalar(node)) {
      if (auto at = locate(node, secret)) f.primary = *at;
    }
    f.raw = std::string(secret);
    f.notes.push_back(fingerprint_note(secret));
    f.help = std::string(scope.help);
    out_.push_back(std::move(f));
  }

  void check_secret_data() {
    for (const std::string_view field : {"data", "stringData"}) {
      const yaml::Node* map = object_.root.get(field);
      if (map == nullptr || !map->is_map()) continue;
      for (size_t i = 0; i < map->keys().size(); ++i) {
        const yaml::Node& value = map->items()[i];
        if (!value.is_scalar() || support::is_sops_ciphertext(value.value())) continue;
        std::string plain(value.value());
        const bool encoded = field == "data";
        if (encoded) {
          if (auto decoded = decode_base64(value.value())) plain = std::move(*decoded);
        }
        const std::string_view trimmed = trim(plain);
        if (support::is_placeholder(plain) || support::is_reference_like(plain) || names_a_sibling(*map, trimmed))
          continue;
        Finding f;
        f.object = &object_;
        f.message = object_phrase(object_) + " holds plaintext value for key " + code(map->keys()[i].str());
        f.label = "plaintext value";
        f.node = value.span();
        f.masked = value_body(value);
        f.primary = f.node;
        f.raw = value.value();
        f.notes.push_back(fingerprint_note(plain));
        if (encoded) f.notes.emplace_back("`data` values are only base64-encoded, which anyone can decode");
        if (const auto found = support::find_secrets(plain); !found.empty()) {
          f.notes.push_back("the value looks like " + std::string(support::describe(found.front().format)));
        }
        f.help = std::string(kSecretHelp);
        out_.push_back(std::move(f));
      }
    }
  }

  const k8s::Object& object_;
  std::vector<Finding>& out_;
  const bool secret_;
  const bool config_map_;
  Path path_;
};

/// The ranges to blank wherever the finding's file is shown: each verbatim occurrence of the secret inside
/// the value node, else the value's body.
std::vector<Span> redactions(const Finding& f) {
  std::vector<Span> out;
  const SourceFile* file = f.node.file;
  if (file == nullptr) return out;
  const std::string& text = file->text();
  const size_t begin = file->offset(f.node.begin);
  const size_t end = std::max(begin, file->offset(f.node.end));
  for (size_t at = f.raw.empty() ? std::string::npos : text.find(f.raw, begin);
       at != std::string::npos && at + f.raw.size() <= end; at = text.find(f.raw, at + f.raw.size())) {
    out.push_back(Span{file, file->mark_at(at), file->mark_at(at + f.raw.size())});
  }
  if (out.empty()) out.push_back(f.masked);
  return out;
}

void report_all(const RuleContext& ctx, std::vector<Finding>& findings) {
  for (auto& f : findings) {
    diag::Diagnostic d = ctx.make(f.object, std::move(f.message), f.primary, std::move(f.label));
    d.redact = redactions(f);
    d.notes = std::move(f.notes);
    d.help = std::move(f.help);
    ctx.sink.report(std::move(d));
  }
}

void check(const RuleContext& ctx) {
  // Every scalar of every object is scanned: runs of objects go to the rule's threads, and their findings
  // are reported in object order.
  constexpr size_t kRun = 256;
  const auto& objects = ctx.graph.objects;
  std::vector<std::vector<Finding>> runs((objects.size() + kRun - 1) / kRun);
  parallel_for(runs.size(), ctx.threads, [&](size_t r) {
    const size_t end = std::min(objects.size(), (r + 1) * kRun);
    for (size_t i = r * kRun; i < end; ++i) ObjectScanner(objects[i], runs[r]).run();
  });
  for (auto& run : runs) report_all(ctx, run);
}

const Registrar kRegistrar{RuleInfo{
    .id = "plaintext-secret",
    .category = "security",
    .default_severity = Severity::kError,
    .summary =
        "a credential is committed in clear text (Secret data, env value, ConfigMap entry or known token format)",
    .options = {},
    .check = check,
}};

}  // namespace
}  // namespace gl::rules
