#pragma once
// `gitops-lint merge-reports A.json B.json ...`: JSON reports of `check` (shards of one run, or several runs)
// merged into one set of findings that any reporter can render.
#include <memory>
#include <string>
#include <vector>

#include "core/source.h"
#include "diag/diagnostic.h"

namespace gl::cli {

struct MergeOptions {
  std::vector<std::string> inputs;  ///< JSON report files
  /// Where the reported files are read from, for the reporters that show source lines ("" = current directory).
  std::string root;
};

struct MergeResult {
  std::unique_ptr<SourceSet> sources;
  std::vector<diag::Diagnostic> diagnostics;  ///< deduplicated and sorted as `check` sorts them
  std::vector<std::string> notes;
};

/// Reads and merges the reports. Files under `root` that still hold what a report's secret ranges were taken
/// from are shown blanked there; any other file with secret ranges is not shown at all. Throws FatalError for an
/// unreadable or malformed report (naming the file and the position in it).
MergeResult merge_reports(const MergeOptions& options);

/// Run notes of several reports: in order of first appearance, without duplicates; the notes of a sharded
/// run's shards ("shard I/N of a sharded run: ...") become one that names the shards merged.
std::vector<std::string> merge_notes(const std::vector<std::vector<std::string>>& notes);

}  // namespace gl::cli
