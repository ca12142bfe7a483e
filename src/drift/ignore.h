#pragma once
// ignoreDifferences: which field differences to leave out (JSON pointers, simple jq paths, managed fields).
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "drift/diff.h"

namespace gl::drift {

/// True when `ignore` names this object (group, kind, name, namespace; `*` globs in group and kind).
bool ignore_applies(const Ignore& ignore, std::string_view group, std::string_view kind, std::string_view ns,
                    std::string_view name, const std::vector<std::string>& app_chain);

/// True when the difference at `path` is left out by `ignore` (its pointers, jq paths, or the live fields
/// its managers own according to the live object's metadata.managedFields).
bool ignores_path(const Ignore& ignore, const FieldPath& path, const nlohmann::json* live_object);

}  // namespace gl::drift
