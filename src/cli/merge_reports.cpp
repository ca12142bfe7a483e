#include "cli/merge_reports.h"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config/config.h"
#include "core/error.h"
#include "core/strings.h"
#include "repo/file_tree.h"
#include "report/json_read.h"

namespace gl::cli {
namespace {

constexpr std::string_view kShardMarker = " of a sharded run: ";

/// "shard I/N of a sharded run: TAIL" -> (I, N, TAIL).
std::optional<std::tuple<uint32_t, uint32_t, std::string>> shard_note_parts(std::string_view note) {
  if (!note.starts_with("shard ")) return std::nullopt;
  const size_t marker = note.find(kShardMarker);
  if (marker == std::string_view::npos) return std::nullopt;
  const std::string_view id = note.substr(6, marker - 6);
  const size_t slash = id.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  uint32_t index = 0;
  uint32_t count = 0;
  const auto a = std::from_chars(id.data(), id.data() + slash, index);
  const auto b = std::from_chars(id.data() + slash + 1, id.data() + id.size(), count);
  if (a.ec != std::errc() || b.ec != std::errc() || a.ptr != id.data() + slash || b.ptr != id.data() + id.size()) {
    return std::nullopt;
  }
  return std::make_tuple(index, count, std::string(note.substr(marker + kShardMarker.size())));
}

std::string read_report_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FatalError(fmt::format("cannot read report `{}`", path));
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw FatalError(fmt::format("cannot read report `{}`", path));
  return ss.str();
}

/// The digest of `file` blanked with `ranges`, the way `check` blanked it before writing the report.
std::string blanked_digest(const SourceFile& file, const std::vector<Span>& ranges) {
  SourceSet scratch;
  std::vector<diag::Diagnostic> one(1);
  for (Span r : ranges) {
    r.file = &file;
    one.front().redact.push_back(r);
  }
  diag::redact_secrets(one, scratch);
  return report::redaction_digest(one.front().redact.front().file->text());
}

}  // namespace

std::vector<std::string> merge_notes(const std::vector<std::vector<std::string>>& notes) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  // Shard notes with the same N and text: one note at the place of the first.
  struct ShardGroup {
    size_t position = 0;
    uint32_t count = 0;
    std::set<uint32_t> shards;
  };
  std::map<std::pair<uint32_t, std::string>, ShardGroup> groups;
  for (const auto& list : notes) {
    for (const auto& note : list) {
      if (auto parts = shard_note_parts(note)) {
        auto& [index, count, tail] = *parts;
        auto [it, fresh] = groups.try_emplace({count, tail});
        if (fresh) {
          it->second.position = out.size();
          it->second.count = count;
          out.emplace_back();
        }
        it->second.shards.insert(index);
        continue;
      }
      if (seen.insert(note).second) out.push_back(note);
    }
  }
  for (const auto& [key, group] : groups) {
    std::vector<std::string> ids;
    std::vector<std::string> absent;
    for (uint32_t i = 1; i <= group.count; ++i) {
      (group.shards.count(i) != 0 ? ids : absent).push_back(fmt::format("{}/{}", i, group.count));
    }
    for (uint32_t i : group.shards) {
      if (i == 0 || i > group.count) ids.push_back(fmt::format("{}/{}", i, group.count));
    }
    out[group.position] =
        fmt::format("shard{} {}{}{}", ids.size() == 1 ? "" : "s", fmt::join(ids, ", "), kShardMarker, key.second);
    if (!absent.empty()) out[group.position] += fmt::format(" (not merged: shard {})", fmt::join(absent, ", "));
  }
  return out;
}

MergeResult merge_reports(const MergeOptions& options) {
  namespace fs = std::filesystem;
  MergeResult out;
  out.sources = std::make_unique<SourceSet>();
  const std::string root = options.root.empty() ? std::string(".") : options.root;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw FatalError(fmt::format("--root `{}` is not a directory", root));
  const auto tree = repo::open_disk_tree(fs::absolute(root, ec).lexically_normal().string());
  // One SourceFile per path for all reports (redaction works per file); absent or outside files are empty.
  std::map<std::string, const SourceFile*> files;
  const report::FileLookup lookup = [&](const std::string& path) -> const SourceFile* {
    if (auto it = files.find(path); it != files.end()) return it->second;
    bool inside = true;
    const std::string normal = normalize_path(path, &inside);
    std::string text;
    if (inside && normal == path && !path.empty()) {
      auto data = tree->read(path, config::kDefaultMaxFileBytes);
      if (data.data) text = std::move(*data.data);
    }
    const SourceFile* f = out.sources->add(path, std::move(text));
    files.emplace(path, f);
    return f;
  };
  std::vector<std::vector<std::string>> notes;
  std::set<std::string> untrusted;
  for (const auto& input : options.inputs) {
    const std::string text = read_report_file(input);
    std::string error;
    auto report = report::read_json(text, lookup, &error);
    if (!report) throw FatalError(fmt::format("`{}` is not a `check --format json` report: {}", input, error));
    // Each report's secret ranges, file by file: the file on disk must blank to what the report saw.
    std::map<std::string, std::pair<std::vector<Span>, std::set<std::string>>> by_file;
    for (const auto& c : report->redact_checks) {
      auto& [ranges, digests] = by_file[c.file];
      ranges.insert(ranges.end(), c.ranges.begin(), c.ranges.end());
      digests.insert(c.digest);
    }
    for (const auto& [path, check] : by_file) {
      const SourceFile* f = lookup(path);
      if (check.second.size() != 1 || f->text().empty() || blanked_digest(*f, check.first) != *check.second.begin()) {
        untrusted.insert(path);
      }
    }
    for (auto& d : report->diagnostics) out.diagnostics.push_back(std::move(d));
    notes.push_back(std::move(report->notes));
  }
  // A file whose secrets may no longer be where the reports say is not shown at all.
  std::map<const SourceFile*, const SourceFile*> hidden;
  for (const auto& path : untrusted) hidden[files.at(path)] = out.sources->add(path, "");
  auto repoint = [&](Span& s) {
    if (auto it = hidden.find(s.file); it != hidden.end()) s.file = it->second;
  };
  for (auto& d : out.diagnostics) {
    repoint(d.primary.span);
    for (auto& l : d.secondary) repoint(l.span);
    for (auto& r : d.redact) repoint(r);
  }
  diag::redact_secrets(out.diagnostics, *out.sources);
  diag::finalize(out.diagnostics);
  out.notes = merge_notes(notes);
  return out;
}

}  // namespace gl::cli
