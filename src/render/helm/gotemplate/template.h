#pragma once
// A set of named Go templates sharing one function map, as Helm builds it: every chart file is parsed into
// the set under its path, `define`s become named templates (a later definition replaces an earlier one),
// and any template can be executed by name with option missingkey=zero (or another, see set_missing_key).
#include <string>
#include <string_view>
#include <vector>

#include "render/helm/gotemplate/exec.h"
#include "render/helm/gotemplate/function.h"
#include "render/helm/gotemplate/value.h"

namespace gl::render::gotemplate {

class TemplateSet {
 public:
  /// `funcs` (may be null: builtins only) must outlive the set and its clones.
  explicit TemplateSet(const FuncMap* funcs, std::string root_name = "gotpl");

  /// Parses `text` as template `name` (Go's t.New(name).Parse(text)). Throws ExecError with Go's message,
  /// e.g. `template: NAME:LINE: unexpected "}" in operand`; the set is unchanged on error.
  void parse(const std::string& name, std::string_view text);

  /// Executes template `name` with `data` as dot. Throws ExecError with Go's message; `chunks`, when
  /// given, receives where each piece of output came from. The output keeps Go's "<no value>" text
  /// (Helm removes it afterwards).
  std::string execute(const std::string& name, const Value& data, CallContext& ctx,
                      std::vector<OutputChunk>* chunks = nullptr) const;

  /// True when a template of that name exists.
  bool has(std::string_view name) const;
  /// Names of every template in the set, sorted.
  std::vector<std::string> names() const;
  /// An independent copy (trees are shared, immutable): parsing into it leaves this set alone (Helm's tpl).
  TemplateSet clone() const { return *this; }
  /// The function map the set parses and executes with.
  const FuncMap* funcs() const { return funcs_; }
  /// Go's Option("missingkey=..."): kZero (Helm's, the default here), kInvalid (Go's default) or kError.
  void set_missing_key(MissingKey m) { missing_key_ = m; }
  /// Name of the set itself (Go's root template name, "gotpl" in Helm), used in "no template" errors.
  const std::string& root_name() const { return root_name_; }

 private:
  const FuncMap* funcs_;
  std::string root_name_;
  TreeMap trees_;
  MissingKey missing_key_ = MissingKey::kZero;
};

}  // namespace gl::render::gotemplate
