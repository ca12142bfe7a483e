#pragma once
// `check --shard I/N`: which units (Argo CD applications, top-level builds, plain-manifest files) one of N jobs
// renders and reports on. Every job discovers the same units; a unit belongs to the job its key hashes to.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/object_ref.h"
#include "diag/diagnostic.h"
#include "render/render.h"

namespace gl::cli {

/// Shard `index` (1-based) of `count`.
struct Shard {
  uint32_t index = 1;
  uint32_t count = 1;
  friend bool operator==(const Shard&, const Shard&) = default;
};

/// Parses `I/N` with 1 <= I <= N; nullopt with `error` set otherwise.
std::optional<Shard> parse_shard(std::string_view text, std::string* error);

/// The 1-based shard of `count` a unit key belongs to: FNV-1a 64 of the key, modulo `count`.
uint32_t shard_of(std::string_view key, uint32_t count);

/// The run note of a sharded run: what it checks and what can differ from an unsharded run.
std::string shard_note(const Shard& shard);

/// Unit keys keep related objects together: the namespace when one is known, else the directory.
/// An Argo CD application: its destination namespace, else its name.
std::string app_key(std::string_view dest_namespace, std::string_view name);
/// A plain manifest file: the first `namespace:` of an object's metadata in its text, else its directory.
std::string plain_file_key(std::string_view path, std::string_view text);
/// A top-level Helm chart: its directory.
std::string chart_key(std::string_view dir);
/// Objects every shard keeps as evidence (Node, Application, ApplicationSet): one shard reports on each.
std::string global_object_key(const ObjectRef& ref);

/// Cheap text tests, run before parsing.
std::string first_metadata_namespace(std::string_view text);
/// True when the text may hold Argo CD objects (`argoproj.io/` as an API group, not in an annotation key).
bool mentions_argocd(std::string_view text);
/// True when the text has a `kind: KIND` line (an object, or an item of a List).
bool declares_kind(std::string_view text, std::string_view kind);
/// True when a line sets `port`, `containerPort` or `targetPort` to one of `ports` (a datastore's: every shard
/// keeps such Services and workloads as evidence of what talks to a datastore).
bool declares_port(std::string_view text, const std::map<int, std::string>& ports);
/// Kinds every shard keeps as evidence when a file or build every shard reads has them: Nodes (the
/// inventory), DaemonSets (they run on every node), Argo CD Applications and ApplicationSets (sync waves).
bool is_shared_kind(std::string_view group, std::string_view kind);

/// Every kustomization of the repository as its files say, without building it: what it includes, which
/// files it names, its namespace. Lets each shard know the top-level builds and the files builds use without
/// building the builds of other shards.
struct KustomizePlan {
  struct Dir {
    bool component = false;
    std::string ns;                     ///< its `namespace:`
    std::vector<std::string> includes;  ///< kustomization directories among its resources, bases, components
    std::set<std::string> files;        ///< files it names (resources, patches, generator inputs, crds, values)
    std::set<std::string> charts;       ///< chart directories of its helmCharts
    bool produces = false;              ///< names resources, generators or charts (may build objects)
  };
  std::map<std::string, Dir> dirs;
  std::set<std::string> included;  ///< directories another kustomization includes

  /// `dir` and every kustomization it includes, transitively, in a stable order.
  std::vector<std::string> closure(const std::string& dir) const;
  /// True when the build or what it includes names anything that makes objects.
  bool produces(const std::string& dir) const;
  /// The namespace of a build: its own `namespace:`, else the first one among what it includes.
  std::string build_namespace(const std::string& dir) const;
  /// A top-level build's unit key: sibling builds sharing a base (overlays of one app, which may be
  /// environments checked apart) share the parent directory's key; others use their namespace, else directory.
  std::string build_key(const std::string& dir, const std::vector<std::string>& top_level) const;
};

/// Reads the kustomization file of each directory in `dirs` (through `ctx`, parsed once for the builds too).
KustomizePlan plan_kustomizations(render::Context& ctx, const std::vector<std::string>& dirs);

/// What one shard reports. Rule findings are kept when they are about an object of this shard's units, else
/// (no object, or an object every shard has) when their file belongs to this shard.
class ShardScope {
 public:
  explicit ShardScope(Shard shard) : shard_(shard) {}
  const Shard& shard() const { return shard_; }
  bool owns(std::string_view key) const { return shard_of(key, shard_.count) == shard_.index; }
  /// Records an object of the graph and whether this shard reports on it.
  void add_object(const ObjectRef& ref, bool own);
  /// Records a file read by one of this shard's units.
  void add_file(std::string path) { files_.insert(std::move(path)); }
  /// True when this shard reports the rule finding `d`.
  bool keep(const diag::Diagnostic& d) const;
  /// Counts for the run note.
  size_t own_objects() const { return own_.size(); }

 private:
  static std::string id_of(const ObjectRef& ref);
  Shard shard_;
  std::set<std::string> own_;
  std::set<std::string> foreign_;
  std::set<std::string, std::less<>> files_;
};

}  // namespace gl::cli
