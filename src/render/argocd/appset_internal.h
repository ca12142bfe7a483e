#pragma once
// Internals of the ApplicationSet expansion shared by appset.cpp (the set and its template),
// appset_template.cpp (string templating, value conversions) and appset_generators.cpp (the generators).
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "render/argocd/appset.h"
#include "render/helm/gotemplate/template.h"
#include "render/helm/gotemplate/value.h"
#include "render/tree.h"
#include "repo/file_tree.h"

namespace gl::render::argocd::appset {

using gotemplate::Map;
using gotemplate::Value;

/// One parameter set of a generator (Argo CD's map[string]interface{}) and the elements that made it.
struct ParamSet {
  Map params;
  std::vector<Span> elements;
};

/// Renders strings as Argo CD's Render.Replace does: fasttemplate (`{{name}}`, unknown names left as
/// written) or, with goTemplate, Go's text/template with Sprig and Argo CD's functions.
class Templater {
 public:
  Templater(bool go_template, gotemplate::MissingKey missing_key);
  bool go_template() const { return go_template_; }
  /// The rendered text; nullopt with `error` set (Argo CD's message) when the template fails.
  std::optional<std::string> replace(const std::string& text, const Map& params, std::string* error,
                                     std::optional<gotemplate::MissingKey> missing_key = std::nullopt) const;
  /// Replaces every string scalar and mapping key of `node` in place; false with `error` at the failing
  /// string's span on the first failure.
  bool render(MNode& node, const Map& params, RenderError* error) const;

 private:
  struct Parsed {
    std::unique_ptr<gotemplate::TemplateSet> set;
    std::string error;
  };
  bool go_template_;
  gotemplate::MissingKey missing_key_;
  mutable std::map<std::string, Parsed, std::less<>> cache_;  ///< Go templates by text
};

/// A YAML node as encoding/json decodes it into interface{}: numbers as float64, maps sorted; origins kept.
Value to_value(const MNode& n);
/// A decoded value as a YAML node (every node at `at`).
MNode to_node(const Value& v, Span at);
/// Go's fmt %v of a value.
std::string go_string(const Value& v);
/// jeremywohl/flatten in dot style with values as %v: {"a": {"b": 1}} -> {"a.b": "1"}; empty maps and lists vanish.
std::map<std::string, std::string> flatten(const Map& params);
/// mergo.Merge(dst, src, WithOverride) on parameter maps: nested maps merged, non-empty src values win.
void merge_override(Map& dst, const Map& src);
/// Strategic merge patch of an Application (no list merge keys in its schema): maps merged, lists and
/// scalars replaced, null deletes.
void merge_patch(MNode& dst, const MNode& patch);
/// mergo.Merge(dst, src) of templates: fields of `dst` that are empty (absent, null, "", false, 0, {}) take `src`'s.
void merge_defaults(MNode& dst, const MNode& src);

/// Go's path.Match: `*` and `?` stay within a path segment; nullopt for a malformed pattern.
std::optional<bool> path_match(std::string_view pattern, std::string_view name);

/// The state of one expansion: where errors and notes go, and the tree listing read once.
struct Run {
  Run(Context& c, const AppSetOptions& o, const Templater& t, AppSetResult& r)
      : ctx(c), options(o), templater(t), result(r) {}
  Context& ctx;
  const AppSetOptions& options;
  const Templater& templater;
  AppSetResult& result;
  std::string name;     ///< the ApplicationSet's metadata.name, for notes
  bool failed = false;  ///< an error Argo CD fails the whole set for
  std::optional<std::vector<repo::Entry>> listing;
  size_t budget = 0;           ///< parameter sets produced so far (bounded against combinatorial blow-up)
  std::set<std::string> seen;  ///< errors reported (a matrix evaluates its second child once per set)

  /// Reports a problem; `fatal` ones make Argo CD apply nothing.
  void error(Span at, std::string message, std::string help, bool fatal = true);
  void note(std::string text);
  /// Every entry of the tree being checked (walked once).
  const std::vector<repo::Entry>& entries();
};

/// What one generator of an entry produced.
struct Output {
  std::string name;                     ///< "list", "git files", "matrix(git files, list)", ...
  const MNode* own_template = nullptr;  ///< the generator's own `template`, when it has one
  std::vector<ParamSet> sets;
  bool ok = true;  ///< false when it failed or could not be evaluated offline (already reported)
};

/// Evaluates a top-level entry of spec.generators: one output per generator it names, in Argo CD's order.
std::vector<Output> evaluate_entry(Run& run, const MNode& entry);

}  // namespace gl::render::argocd::appset
