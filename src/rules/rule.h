#pragma once
// Rules: metadata, options, and the registry. A rule is one .cpp file that registers itself.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/severity.h"
#include "diag/diagnostic.h"
#include "graph/graph.h"

namespace gl::rules {

struct OptionInfo {
  std::string name;
  std::string default_value;  ///< as YAML scalar text; lists as comma-separated
  std::string description;
};

/// Option values for one rule: name -> scalar text, or list of texts. Defaults are filled in.
class RuleOptions {
 public:
  void set(std::string name, std::vector<std::string> values) { values_[std::move(name)] = std::move(values); }
  /// The first value of an option, or `fallback`.
  std::string get(std::string_view name, std::string_view fallback = {}) const;
  std::vector<std::string> list(std::string_view name) const;
  int64_t get_int(std::string_view name, int64_t fallback) const;
  bool get_bool(std::string_view name, bool fallback) const;

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
};

/// What a check function receives.
struct RuleContext {
  const graph::Graph& graph;
  const RuleOptions& options;
  diag::DiagnosticSink& sink;
  Severity severity;        ///< configured severity for findings at the rule's default level
  std::string_view rule_id;
  unsigned threads = 1;     ///< threads a rule may use for its own work (0 = all cores)

  /// Starts a diagnostic with rule id, configured severity, and the object it concerns.
  diag::Diagnostic make(const k8s::Object* object, std::string message, Span primary, std::string label = {}) const;
  /// A diagnostic one level below the configured severity (error -> warning -> note).
  diag::Diagnostic make_lesser(const k8s::Object* object, std::string message, Span primary, std::string label = {}) const;
};

/// One level below: error -> warning -> note.
Severity lesser(Severity s);

using CheckFn = std::function<void(const RuleContext&)>;

struct RuleInfo {
  std::string id;        ///< kebab-case, names the bad thing
  std::string category;  ///< scheduling, capacity, network, ordering, security, input
  Severity default_severity = Severity::kError;
  std::string summary;   ///< one sentence
  std::vector<OptionInfo> options;
  CheckFn check;         ///< empty for rules reported by the pipeline itself (load-error)
};

/// All registered rules, sorted by id.
const std::vector<RuleInfo>& registry();
const RuleInfo* find_rule(std::string_view id);
std::vector<std::string> rule_ids();

/// The rule's user doc (rules/<id>.md embedded in the binary), empty when missing.
std::string_view rule_doc(std::string_view id);

/// Registers a rule at static-initialisation time: `static const Registrar kReg{RuleInfo{...}};`
struct Registrar {
  explicit Registrar(RuleInfo info);
};

}  // namespace gl::rules
