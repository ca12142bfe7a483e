#pragma once
// Repository URLs as Kustomize remote resources and Argo CD sources write them: one normal form so that
// https, ssh and scp-style URLs of one repository compare equal.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gl::render {

/// Strips `git::`, scheme, user, ".git" and trailing slashes, turns scp `host:path` into `host/path` and
/// lowercases: `git@github.com:Org/Repo.git` and `https://github.com/org/repo` both give `github.com/org/repo`.
std::string normalize_repo_url(std::string_view url);

/// The URL as it may be shown: a password in its user part becomes `***` (`https://oauth2:***@host/x`), and so
/// does a user part long enough to be a token (`https://***@github.com/x`). Other text is returned as is.
std::string redact_url_credentials(std::string_view url);

/// For a URL naming a path inside one of `repo_urls` (`https://host/org/repo//sub/dir?ref=x`,
/// `host/org/repo/sub/dir`), the repository-relative path ("" for the root); nullopt when it is not inside.
std::optional<std::string> local_path_for(std::string_view url, const std::vector<std::string>& repo_urls);

}  // namespace gl::render
