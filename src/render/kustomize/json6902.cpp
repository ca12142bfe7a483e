#include "render/kustomize/json6902.h"

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "core/strings.h"

namespace gl::render::kustomize {
namespace {

constexpr std::string_view kAppend = "-";

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      out.push_back(path.substr(start));
      return out;
    }
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

/// Go's strconv.Atoi: optional sign, then decimal digits only.
std::optional<long long> parse_index(std::string_view s) {
  std::string_view digits = s;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return std::nullopt;
  long long v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return negative ? -v : v;
}

bool is_nil(const MNode* n) { return n == nullptr || n->is_null(); }

/// Why an operation failed; empty when it did not.
using Failure = std::optional<std::string>;

/// The container of a path's last token and the token, as evanphx's findObject resolves it.
struct Location {
  MNode* container = nullptr;
  std::string key;
};

/// Resolves an array token for reading or replacing: negative counts from the end.
std::variant<size_t, std::string> array_index(const MNode& a, std::string_view key) {
  auto idx = parse_index(key);
  if (!idx) return fmt::format("`{}` is not an array index", key);
  const auto size = static_cast<long long>(a.items.size());
  long long i = *idx;
  if (i < 0) {
    if (i < -size) return fmt::format("index {} is out of range (the array has {} items)", i, size);
    i += size;
  }
  if (i >= size) return fmt::format("index {} is out of range (the array has {} items)", i, size);
  return static_cast<size_t>(i);
}

/// The node at `key` in a container (nullptr when a map lacks it); a failure for a bad array index.
std::pair<MNode*, Failure> get(MNode& c, const std::string& key) {
  if (c.is_map()) return {c.get(key), std::nullopt};
  auto idx = array_index(c, key);
  if (auto* why = std::get_if<std::string>(&idx)) return {nullptr, *why};
  return {&c.items[std::get<size_t>(idx)], std::nullopt};
}

std::optional<Location> locate(MNode& root, std::string_view path) {
  auto tokens = split(path);
  if (tokens.size() < 2) return std::nullopt;
  MNode* doc = &root;
  for (size_t i = 1; i + 1 < tokens.size(); ++i) {
    auto [next, why] = get(*doc, decode_json_pointer_token(tokens[i]));
    if (why || is_nil(next) || !(next->is_map() || next->is_seq())) return std::nullopt;
    doc = next;
  }
  return Location{doc, decode_json_pointer_token(tokens.back())};
}

Failure add(MNode& c, const std::string& key, MNode value, Span key_at) {
  if (c.is_map()) {
    c.set(key, std::move(value), key_at);
    return std::nullopt;
  }
  if (key == kAppend) {
    c.items.push_back(std::move(value));
    return std::nullopt;
  }
  auto idx = parse_index(key);
  if (!idx) return fmt::format("`{}` is not an array index", key);
  const auto size = static_cast<long long>(c.items.size()) + 1;
  long long i = *idx;
  if (i >= size || i < -size) {
    return fmt::format("index {} is out of range (the array has {} items)", i, size - 1);
  }
  if (i < 0) i += size;
  c.items.insert(c.items.begin() + static_cast<std::ptrdiff_t>(i), std::move(value));
  return std::nullopt;
}

Failure remove(MNode& c, const std::string& key) {
  if (c.is_map()) {
    if (!c.erase(key)) return fmt::format("there is no key `{}` to remove", key);
    return std::nullopt;
  }
  auto idx = array_index(c, key);
  if (auto* why = std::get_if<std::string>(&idx)) return *why;
  c.items.erase(c.items.begin() + static_cast<std::ptrdiff_t>(std::get<size_t>(idx)));
  return std::nullopt;
}

/// A string field of an op, or nullptr when absent or not a string.
const MNode* string_field(const MNode& op, std::string_view name) {
  const MNode* f = op.get(name);
  return (f != nullptr && f->is_string()) ? f : nullptr;
}

class Applier {
 public:
  Applier(MNode& root, const MNode& op) : root_(root), op_(op) {}

  std::optional<RenderError> run() {
    const MNode* kind = string_field(op_, "op");
    op_name_ = kind != nullptr ? kind->value : "unknown";
    const MNode* path = string_field(op_, "path");
    if (path != nullptr) path_ = path->value;
    Failure why;
    if (op_name_ == "add" || op_name_ == "remove" || op_name_ == "replace" || op_name_ == "move" ||
        op_name_ == "copy" || op_name_ == "test") {
      if (path == nullptr) return fail("the op has no `path`");
      why = dispatch();
    } else {
      return RenderError{op_.span, fmt::format("json patch: unknown op `{}`", op_name_),
                         "use add, remove, replace, move, copy or test"};
    }
    if (why) return fail(*why);
    return std::nullopt;
  }

 private:
  MNode& root_;
  const MNode& op_;
  std::string op_name_;
  std::string path_;

  RenderError fail(const std::string& why) const {
    return RenderError{op_.span, fmt::format("json patch `{}` at `{}`: {}", op_name_, path_, why),
                       "check the path against the resource the patch targets"};
  }

  MNode value() const {
    const MNode* v = op_.get("value");
    return v != nullptr ? *v : MNode::null(op_.span);
  }

  Failure dispatch() {
    if (op_name_ == "add") return do_add();
    if (op_name_ == "remove") return do_remove();
    if (op_name_ == "replace") return do_replace();
    if (op_name_ == "test") return do_test();
    return do_move_or_copy(op_name_ == "move");
  }

  /// The failure for a path whose parent container does not exist.
  static std::string missing_parent(std::string_view path) {
    const size_t slash = path.rfind('/');
    return fmt::format("`{}` does not exist", slash == std::string_view::npos ? path : path.substr(0, slash));
  }

  Failure do_add() {
    auto loc = locate(root_, path_);
    if (!loc) return path_.empty() ? "the whole document cannot be added to" : missing_parent(path_);
    return add(*loc->container, loc->key, value(), op_.span);
  }

  Failure do_remove() {
    auto loc = locate(root_, path_);
    if (!loc) return missing_parent(path_);
    return remove(*loc->container, loc->key);
  }

  Failure do_replace() {
    auto loc = locate(root_, path_);
    if (!loc) return missing_parent(path_);
    auto [at, why] = get(*loc->container, loc->key);
    if (why) return why;
    if (at != nullptr) {
      *at = value();
    } else {
      loc->container->set(loc->key, value(), op_.span);
    }
    return std::nullopt;
  }

  Failure do_test() {
    auto loc = locate(root_, path_);
    if (!loc) return missing_parent(path_);
    auto [at, why] = get(*loc->container, loc->key);
    if (why) return why;
    const MNode* expected = op_.get("value");
    if (is_nil(at)) {
      if (is_nil(expected)) return std::nullopt;
      return fmt::format("the test failed: `{}` is absent, not {}", path_, to_json(*expected));
    }
    if (expected == nullptr) return "the test failed: the op has no `value`";
    if (at->same_value(*expected)) return std::nullopt;
    return fmt::format("the test failed: the value is {}, not {}", to_json(*at), to_json(*expected));
  }

  Failure do_move_or_copy(bool move) {
    const MNode* from_node = string_field(op_, "from");
    if (from_node == nullptr) return std::string("the op has no `from`");
    const std::string& from = from_node->value;
    auto src = locate(root_, from);
    if (!src) return fmt::format("the `from` path: {}", missing_parent(from));
    auto [at, why] = get(*src->container, src->key);
    if (why) return fmt::format("the `from` path `{}`: {}", from, *why);
    MNode moved = at != nullptr ? *at : MNode::null(op_.span);
    if (move) {
      if (auto removed = remove(*src->container, src->key)) return fmt::format("the `from` path: {}", *removed);
    }
    auto dst = locate(root_, path_);
    if (!dst) return missing_parent(path_);
    return add(*dst->container, dst->key, std::move(moved), op_.span);
  }
};

}  // namespace

std::optional<RenderError> apply_json6902(MNode& target, const MNode& ops) {
  if (!ops.is_seq()) {
    return RenderError{ops.span, "a json patch must be a list of ops", "write `- op: add` entries with a `path`"};
  }
  if (!target.is_map() && !target.is_seq()) return RenderError{ops.span, "the json patch target is not a map", ""};
  for (const auto& op : ops.items) {
    if (!op.is_map()) return RenderError{op.span, "a json patch op must be a map", "write `op`, `path` and `value`"};
    if (auto err = Applier(target, op).run()) return err;
  }
  return std::nullopt;
}

}  // namespace gl::render::kustomize
