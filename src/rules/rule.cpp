#include "rules/rule.h"

#include <algorithm>
#include <charconv>

#include "core/embedded.h"

namespace gl::rules {
namespace {

std::vector<RuleInfo>& mutable_registry() {
  static std::vector<RuleInfo> rules;
  return rules;
}

}  // namespace

Severity lesser(Severity s) {
  switch (s) {
    case Severity::kError: return Severity::kWarning;
    default: return Severity::kNote;
  }
}

Registrar::Registrar(RuleInfo info) {
  auto& rules = mutable_registry();
  rules.push_back(std::move(info));
  std::sort(rules.begin(), rules.end(), [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
}

const std::vector<RuleInfo>& registry() { return mutable_registry(); }

const RuleInfo* find_rule(std::string_view id) {
  for (const auto& r : registry()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::vector<std::string> rule_ids() {
  std::vector<std::string> out;
  for (const auto& r : registry()) out.push_back(r.id);
  return out;
}

std::string_view rule_doc(std::string_view id) {
  std::string name(id);
  name += ".md";
  return embedded_file(name).value_or(std::string_view());
}

std::string RuleOptions::get(std::string_view name, std::string_view fallback) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::string(fallback);
  return it->second.front();
}

std::vector<std::string> RuleOptions::list(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

int64_t RuleOptions::get_int(std::string_view name, int64_t fallback) const {
  const std::string v = get(name);
  int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) return fallback;
  return out;
}

bool RuleOptions::get_bool(std::string_view name, bool fallback) const {
  const std::string v = get(name);
  if (v == "true") return true;
  if (v == "false") return false;
  return fallback;
}

diag::Diagnostic RuleContext::make(const k8s::Object* object, std::string message, Span primary,
                                   std::string label) const {
  diag::Diagnostic d;
  d.rule = std::string(rule_id);
  d.severity = severity;
  d.message = std::move(message);
  d.primary = diag::Label{primary, std::move(label)};
  if (object != nullptr) {
    d.object = object->ref();
    d.application = object->app_chain;
    // A value set in a values file and printed by a template: show the template line too.
    if (object->storage != nullptr) {
      if (const Span* via = object->storage->via(primary)) {
        d.secondary.push_back(diag::Label{*via, "rendered by this template line"});
      }
    }
  }
  return d;
}

diag::Diagnostic RuleContext::make_lesser(const k8s::Object* object, std::string message, Span primary,
                                          std::string label) const {
  diag::Diagnostic d = make(object, std::move(message), primary, std::move(label));
  d.severity = lesser(severity);
  return d;
}

}  // namespace gl::rules
