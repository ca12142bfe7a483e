// duplicate-resource: two Argo CD applications deploy the same object (group, kind, namespace, name), or one
// application renders it twice. Argo CD reports SharedResourceWarning (the applications overwrite each other)
// or RepeatedResourceWarning (one copy wins) after the fact.
#include <fmt/format.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "rules/rule.h"

namespace gl::rules {
namespace {

constexpr std::string_view kRuleId = "duplicate-resource";

std::string chain_text(const k8s::Object& o) { return fmt::format("{}", fmt::join(o.app_chain, "` -> `")); }

void check(const RuleContext& ctx) {
  const auto& objects = ctx.graph.objects;
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, std::vector<uint32_t>> by_id;
  for (uint32_t i = 0; i < objects.size(); ++i) {
    const auto& o = objects[i];
    if (o.app_chain.empty() || o.name.empty()) continue;
    by_id[{std::string(o.group()), o.kind, o.name_space, o.name}].push_back(i);
  }
  for (const auto& [key, ids] : by_id) {
    // The first application (in the order applications were expanded) owns it; every other copy is reported.
    const auto& first = objects[ids.front()];
    for (size_t n = 1; n < ids.size(); ++n) {
      const auto& o = objects[ids[n]];
      const std::string display = o.name_space.empty() ? o.name : fmt::format("{}/{}", o.name_space, o.name);
      const bool same_app = o.app_chain == first.app_chain;
      diag::Diagnostic d;
      if (same_app) {
        d = ctx.make(&o,
                     fmt::format("{} `{}` appears twice in Argo CD application `{}`", o.kind, display,
                                 o.app_chain.back()),
                     o.anchor().span(), "second copy here");
        d.secondary.push_back(diag::Label{first.anchor().span(), "first copy here"});
        d.notes.push_back("Argo CD reports RepeatedResourceWarning and applies only one of the copies, so what is "
                          "deployed depends on which one it keeps");
        d.help = "remove one of the copies (or give them different names)";
      } else {
        d = ctx.make(&o,
                     fmt::format("{} `{}` is deployed by two Argo CD applications, `{}` and `{}`", o.kind, display,
                                 first.app_chain.back(), o.app_chain.back()),
                     o.anchor().span(), "deployed again here");
        d.secondary.push_back(
            diag::Label{first.anchor().span(), fmt::format("deployed by `{}` here", first.app_chain.back())});
        d.notes.push_back(fmt::format("`{}` comes through `{}`; `{}` through `{}`", first.app_chain.back(),
                                      chain_text(first), o.app_chain.back(), chain_text(o)));
        d.notes.push_back("Argo CD marks both applications with SharedResourceWarning, and each sync overwrites the "
                          "other's version of the object (and pruning one application can delete it)");
        d.help = "deploy the object from one application only (move it to a shared base the others do not include)";
      }
      d.fingerprint_key = fmt::format("{}/{}/{}/{}|{}|{}", std::get<0>(key), std::get<1>(key), std::get<2>(key),
                                      std::get<3>(key), chain_text(first), chain_text(o));
      ctx.sink.report(std::move(d));
    }
  }
}

const Registrar kRegistrar{RuleInfo{
    .id = std::string(kRuleId),
    .category = "ordering",
    .default_severity = Severity::kError,
    .summary = "two Argo CD applications deploy the same object, and fight over it",
    .options = {},
    .check = check,
}};

}  // namespace
}  // namespace gl::rules
