#include "render/repo_url.h"

#include <algorithm>
#include <cctype>

#include "core/strings.h"

namespace gl::render {

std::string normalize_repo_url(std::string_view url) {
  std::string_view u = trim(url);
  if (u.starts_with("git::")) u.remove_prefix(5);
  if (auto p = u.find("://"); p != std::string_view::npos) u.remove_prefix(p + 3);
  if (auto at = u.find('@'); at != std::string_view::npos && at < u.find('/')) u.remove_prefix(at + 1);
  std::string out(u);
  if (auto colon = out.find(':'); colon != std::string::npos && colon < out.find('/')) {
    // scp form `host:org/repo`; a port (`host:22/org/repo`) is dropped as well.
    size_t end = colon + 1;
    while (end < out.size() && std::isdigit(static_cast<unsigned char>(out[end])) != 0) ++end;
    if (end < out.size() && out[end] == '/' && end > colon + 1) {
      out.erase(colon, end - colon);
    } else {
      out[colon] = '/';
    }
  }
  while (!out.empty() && out.back() == '/') out.pop_back();
  if (out.ends_with(".git")) out.resize(out.size() - 4);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string redact_url_credentials(std::string_view url) {
  constexpr size_t kTokenLength = 20;  // GitHub, GitLab and Bitbucket tokens are longer; user names rarely
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t user = scheme + 3;
  const size_t host_end = std::min(url.find('/', user), url.size());
  const size_t at = url.rfind('@', host_end);
  if (at == std::string_view::npos || at < user) return std::string(url);
  const std::string_view userinfo = url.substr(user, at - user);
  std::string out(url.substr(0, user));
  if (const size_t colon = userinfo.find(':'); colon != std::string_view::npos) {
    out += userinfo.substr(0, colon);
    out += ":***";
  } else if (userinfo.size() >= kTokenLength) {
    out += "***";
  } else {
    out += userinfo;
  }
  out += url.substr(at);
  return out;
}

std::optional<std::string> local_path_for(std::string_view url, const std::vector<std::string>& repo_urls) {
  std::string_view u = url;
  if (auto q = u.find('?'); q != std::string_view::npos) u = u.substr(0, q);
  // Compare lowercased, but keep the path's own case.
  std::string_view raw = u;
  if (raw.starts_with("git::")) raw.remove_prefix(5);
  const std::string norm = normalize_repo_url(u);
  for (const auto& repo : repo_urls) {
    const std::string r = normalize_repo_url(repo);
    if (r.empty()) continue;
    size_t skip = 0;
    if (norm.starts_with(r + ".git//")) {
      skip = r.size() + 6;
    } else if (norm.starts_with(r + "//")) {
      skip = r.size() + 2;
    } else if (norm.starts_with(r + "/")) {
      skip = r.size() + 1;
    } else if (norm != r) {
      continue;
    }
    // The path is the tail of the URL as written (the normal form only lowercased and trimmed it).
    std::string rest;
    if (skip > 0) {
      const std::string tail = norm.substr(skip);
      const std::string_view trimmed = trim(raw);
      std::string_view original = trimmed;
      while (!original.empty() && original.back() == '/') original.remove_suffix(1);
      rest = original.size() >= tail.size() ? std::string(original.substr(original.size() - tail.size())) : tail;
    }
    bool ok = true;
    std::string path = normalize_path(rest, &ok);
    if (ok) return path;
  }
  return std::nullopt;
}

}  // namespace gl::render
