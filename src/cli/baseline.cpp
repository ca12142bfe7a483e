#include "cli/baseline.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.h"

namespace gl::cli {

BaseFingerprints fingerprints_of(const std::vector<diag::Diagnostic>& diags) {
  BaseFingerprints out;
  for (const auto& d : diags) ++out[d.fingerprint];
  return out;
}

BaseFingerprints read_baseline(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FatalError(fmt::format("cannot read baseline `{}`", path));
  std::stringstream ss;
  ss << in.rdbuf();
  const auto json = nlohmann::json::parse(ss.str(), nullptr, false);
  if (json.is_discarded()) {
    throw FatalError(fmt::format("baseline `{}` is not valid JSON (write it with `check --format json`)", path));
  }
  const auto findings = json.is_object() ? json.find("findings") : json.end();
  if (findings == json.end() || !findings->is_array()) {
    throw FatalError(fmt::format("baseline `{}` has no `findings` list (write it with `check --format json`)", path));
  }
  BaseFingerprints out;
  size_t index = 0;
  for (const auto& f : *findings) {
    const auto fp = f.is_object() ? f.find("fingerprint") : f.end();
    if (fp == f.end() || !fp->is_string()) {
      throw FatalError(fmt::format("baseline `{}`: finding {} has no `fingerprint` string", path, index));
    }
    ++out[fp->get<std::string>()];
    ++index;
  }
  return out;
}

void mark_new(std::vector<diag::Diagnostic>& diags, BaseFingerprints base, bool keep_existing) {
  for (auto& d : diags) {
    auto it = base.find(d.fingerprint);
    const bool old = it != base.end() && it->second > 0;
    if (old) --it->second;
    d.is_new = !old;
  }
  if (!keep_existing) std::erase_if(diags, [](const diag::Diagnostic& d) { return !*d.is_new; });
}

}  // namespace gl::cli
