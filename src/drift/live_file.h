#pragma once
// Live objects from files: the output of `kubectl get ... -o json` or `-o yaml` (Lists or single objects),
// for nightly jobs that cannot reach the cluster themselves.
#include <cstddef>
#include <string>
#include <vector>

#include "drift/live.h"

namespace gl::drift {

/// Reads every file. A file that cannot be read or parsed stops the run (FatalError with file:line): a partial
/// live side would report everything in it as missing. Kinds present in the files count as complete.
LiveSet read_live_files(const std::vector<std::string>& paths, size_t max_bytes = size_t{1} << 30);

/// Moves `object` (a single object, or a List / `...List` of them) into `out`. Returns an error message, or "".
std::string add_live_objects(nlohmann::json&& object, LiveSet& out);

/// Sorts by kind, namespace, name, and fills complete_kinds from the kinds present.
void finish_live_set(LiveSet& live);

/// "apps/Deployment", or "Service" for the core group: how LiveSet.complete_kinds names a kind.
std::string kind_key(std::string_view api_version, std::string_view kind);

}  // namespace gl::drift
