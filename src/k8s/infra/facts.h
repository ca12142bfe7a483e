#pragma once
// What the infrastructure readers share: the node declarations they produce before merging, the note sink, and
// parsers for the label and taint syntaxes of kubelet flags, kubeadm and kubectl.
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "k8s/infra/infra.h"
#include "k8s/infra/text.h"

namespace gl::k8s::infra::detail {

/// How much a source's labels count when merging: later ranks win (declarations < inventories < tasks).
enum class Rank : uint8_t { kDeclaration = 0, kInventory = 1, kTask = 2 };

/// One source's facts about one node or node group, in the order it states them.
struct NodeDecl {
  std::string name;
  std::string group;
  int64_t count = 1;
  bool autoscaled = false;
  std::vector<std::string> instance_types;  ///< group sizes (more than one: any of them)
  Rank rank = Rank::kDeclaration;
  std::vector<Fact> facts;
  bool is_group() const { return count != 1 || autoscaled; }
};

/// Collects declarations and notes from every reader.
class Sink {
 public:
  void note(Span at, std::string message);
  NodeDecl& add(std::string name, std::string group, Rank rank, Span at);
  std::deque<NodeDecl> decls;  /// a deque: references from add() stay valid
  std::vector<Note> notes;

 private:
  std::set<std::tuple<std::string, uint32_t, std::string>> seen_;
};

/// Shared reading state of one run: the file list and loader.
struct Repo {
  const std::vector<std::string>& paths;
  const FileLoader& load;
  /// Files directly in `dir` (repository-relative, "" for the root) whose names end with `suffix`.
  std::vector<std::string> files_in(std::string_view dir, std::string_view suffix) const;
  bool has(std::string_view path) const;
};

Fact name_fact(Span at);
Fact instance_type_fact(std::string type, Span at);
Fact label_fact(std::string key, std::string value, Span at);
Fact label_removed_fact(std::string key, Span at);
Fact taint_fact(std::string key, std::string value, std::string effect, Span at);
Fact taint_removed_fact(std::string key, std::string effect, Span at);
Fact count_fact(int64_t count, Span at);

/// "NoSchedule" for NoSchedule, NO_SCHEDULE (AWS) and noschedule; "" when not a taint effect.
std::string normalize_effect(std::string_view effect);
/// True when `key` is a valid label key (optional DNS prefix and `/`, then a name of at most 63 characters).
bool valid_label_key(std::string_view key);
/// True when `value` is a valid label value (empty, or at most 63 alphanumerics with `-`, `_`, `.` inside).
bool valid_label_value(std::string_view value);
/// True when text still holds a template reference (`${`, `{{`, `%{`) that was not resolved.
bool unresolved(std::string_view text);

/// A taint as kubectl and kubelet write it: `key=value:Effect`, `key:Effect`, with a trailing `-` for removal.
struct TaintSpec {
  std::string key;
  std::string value;
  std::string effect;  ///< normalized; "" only for removals of every effect (`key-`)
  bool removal = false;
};
/// Parses a taint spec; nullopt when malformed.
std::optional<TaintSpec> parse_taint_spec(std::string_view spec);

/// Adds the labels of `k=v,k2=v2` (kubelet --node-labels, kubeadm node-labels) to `d`.
void add_label_list(const Text& list, NodeDecl& d, Sink& sink);
/// Adds the taints of `k=v:Effect,k2:Effect` (kubelet --register-with-taints) to `d`.
void add_taint_list(const Text& list, NodeDecl& d, Sink& sink);
/// Finds kubelet `--node-labels` and `--register-with-taints` flags anywhere in text (user data, drop-ins, args) and
/// adds what they set to `d`. Returns true when it found any.
bool scan_kubelet_args(const Text& text, NodeDecl& d, Sink& sink);
/// True when text mentions a kubelet label or taint flag.
bool mentions_kubelet_args(std::string_view text);

/// The largest instance type of `types` by the builtin catalog's memory then CPU ("" when none is known).
std::string largest_instance_type(const std::vector<std::string>& types);

void read_terraform(const Repo& repo, Sink& sink);
void read_kube_configs(const Repo& repo, Sink& sink);
/// Inventories first (their hosts are node names), then playbooks and task files.
void read_ansible(const Repo& repo, Sink& sink);

}  // namespace gl::k8s::infra::detail
