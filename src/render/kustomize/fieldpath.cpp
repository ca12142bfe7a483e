#include "render/kustomize/fieldpath.h"

#include <charconv>
#include <optional>
#include <span>

#include <fmt/format.h>
#include <re2/re2.h>

namespace gl::render::kustomize {
namespace {

bool is_list_selector(std::string_view p) { return p.size() >= 2 && p.front() == '[' && p.back() == ']'; }

/// Go's strconv.Atoi: optional sign, decimal digits only.
std::optional<long long> parse_int(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

/// kyaml's IsIdxNumber: a non-negative integer.
bool is_index(std::string_view p) {
  const auto v = parse_int(p);
  return v && *v >= 0;
}

/// "[k=v]" -> (k, v); false without '='.
bool split_selector(std::string_view part, std::string& key, std::string& value) {
  std::string_view inner = part;
  if (inner.ends_with("]")) inner.remove_suffix(1);
  if (inner.starts_with("[")) inner.remove_prefix(1);
  const auto eq = inner.find('=');
  if (eq == std::string_view::npos) return false;
  key = std::string(inner.substr(0, eq));
  value = std::string(inner.substr(eq + 1));
  return true;
}

std::string_view kind_name(const MNode& n) {
  if (n.is_map()) return "mapping";
  if (n.is_seq()) return "sequence";
  return "scalar";
}

std::string wrong_kind(std::string_view want, const MNode& n) {
  return fmt::format("wrong node kind: expected a {} but got a {}", want, kind_name(n));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

/// kyaml's getPathPartKind: what a missing node must be for the next part to apply to it.
CreateKind part_kind(std::string_view next, CreateKind leaf) {
  if (is_list_selector(next) || is_index(next)) return CreateKind::kSeq;
  if (next.empty()) return leaf;
  return CreateKind::kMap;
}

MNode make_node(CreateKind kind, Span at) {
  switch (kind) {
    case CreateKind::kMap:
      return MNode::map(at);
    case CreateKind::kSeq:
      return MNode::seq(at);
    case CreateKind::kScalar:
      return MNode::scalar("", at);
    case CreateKind::kNone:
      break;
  }
  return MNode::null(at);
}

class Matcher {
 public:
  Matcher(CreateKind create, Span at, std::vector<FieldMatch>& out, std::string* error)
      : create_(create), at_(at), out_(out), error_(error) {}

  bool match(MNode& n, std::span<const std::string> parts, bool created) {
    if (parts.empty()) {
      out_.push_back({&n, created});
      return true;
    }
    const std::string& part = parts.front();
    const std::string_view next = parts.size() > 1 ? std::string_view(parts[1]) : std::string_view();
    if (is_index(part)) return index(n, parts, next);
    if (is_list_selector(part)) return select(n, parts);
    if (part == "*") {
      if (n.is_null()) return true;
      if (!n.is_seq()) return fail(wrong_kind("sequence", n));
      for (auto& item : n.items) {
        if (!match(item, parts.subspan(1), false)) return false;
      }
      return true;
    }
    if (!n.is_map() && !n.is_null()) return fail(wrong_kind("mapping", n));
    if (MNode* v = n.get(part)) return match(*v, parts.subspan(1), false);
    if (create_ == CreateKind::kNone) return true;
    const CreateKind kind = part_kind(next, create_);
    MNode& added = n.set(part, make_node(kind, at_), at_);
    return match(added, parts.subspan(1), parts.size() == 1);
  }

 private:
  bool fail(std::string message) {
    if (error_ != nullptr) *error_ = std::move(message);
    return false;
  }

  bool index(MNode& n, std::span<const std::string> parts, std::string_view next) {
    const auto idx = static_cast<size_t>(*parse_int(parts.front()));
    if (!n.is_seq() && !n.is_null()) return fail(wrong_kind("sequence", n));
    bool created = false;
    if (n.items.size() == idx && create_ != CreateKind::kNone) {
      if (n.is_null()) n = MNode::seq(at_);
      n.items.push_back(make_node(part_kind(next, create_), at_));
      created = parts.size() == 1;
    }
    if (n.items.size() < idx + 1) {
      return fail(fmt::format("index {} specified but only {} elements found", idx, n.items.size()));
    }
    return match(n.items[idx], parts.subspan(1), created);
  }

  bool select(MNode& n, std::span<const std::string> parts) {
    std::string key;
    std::string pattern;
    if (!split_selector(parts.front(), key, pattern)) {
      return fail("list path element must contain fieldName=fieldValue for element to match");
    }
    RE2 re(pattern, RE2::Quiet);
    if (!re.ok()) return fail(fmt::format("invalid regular expression `{}`: {}", pattern, re.error()));
    if (!n.is_seq() && !n.is_null()) return fail(wrong_kind("sequence", n));
    const size_t before = out_.size();
    if (!visit(n, parts, key, re)) return false;
    if (out_.size() != before || create_ == CreateKind::kNone) return true;
    if (n.is_null()) n = MNode::seq(at_);
    if (key.empty()) {
      n.items.push_back(MNode::string(pattern, at_));
    } else {
      MNode elem = MNode::map(at_);
      elem.set(key, MNode::string(pattern, at_), at_);
      n.items.push_back(std::move(elem));
    }
    // Search again: the element just added matches unless the pattern does not match its own text.
    return visit(n, parts, key, re, true);
  }

  bool visit(MNode& n, std::span<const std::string> parts, const std::string& key, const RE2& re, bool added = false) {
    for (auto& elem : n.items) {
      if (key.empty()) {
        // A primitive element that matches is the result itself, whatever follows in the path; one just
        // added is untyped, like a created leaf.
        if (elem.is_scalar() && RE2::PartialMatch(trim(elem.value), re)) {
          out_.push_back({&elem, added && &elem == &n.items.back()});
        }
        continue;
      }
      const MNode* field = elem.is_map() ? elem.get(key) : nullptr;
      if (field == nullptr || !field->is_scalar() || !RE2::PartialMatch(trim(field->value), re)) continue;
      if (!match(elem, parts.subspan(1), false)) return false;
    }
    return true;
  }

  CreateKind create_;
  Span at_;
  std::vector<FieldMatch>& out_;
  std::string* error_;
};

}  // namespace

std::vector<std::string> split_field_path(std::string_view path) {
  // Split on '.', joining a part that ends in '\' with the next (the escape is dropped).
  std::vector<std::string> raw;
  size_t start = 0;
  for (;;) {
    const size_t dot = path.find('.', start);
    raw.emplace_back(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (raw.size() > 1 && raw.front().empty()) raw.erase(raw.begin());
  std::vector<std::string> parts;
  for (auto& r : raw) {
    if (!parts.empty() && parts.back().ends_with("\\")) {
      parts.back().pop_back();
      parts.back() += "." + r;
    } else {
      parts.push_back(std::move(r));
    }
  }
  // Rejoin bracketed parts that contained dots.
  std::vector<std::string> out;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (!p.starts_with("[") || p.ends_with("]")) {
      out.push_back(p);
      continue;
    }
    std::string joined = p;
    while (i + 1 < parts.size()) {
      ++i;
      joined += "." + parts[i];
      if (parts[i].ends_with("]")) break;
    }
    if (joined.find('=') != std::string::npos) {
      out.push_back(std::move(joined));
    } else {
      const size_t b = joined.find_first_not_of('[');
      const size_t e = joined.find_last_not_of(']');
      out.push_back(b == std::string::npos || e < b ? std::string() : joined.substr(b, e - b + 1));
    }
  }
  return out;
}

std::vector<std::string> split_slice_indexes(const std::vector<std::string>& parts) {
  static const RE2 kSlice(R"(^(.*)\[(\d+)\]$)");
  std::vector<std::string> out;
  for (const auto& p : parts) {
    std::string head;
    std::string idx;
    if (p.ends_with("]") && RE2::FullMatch(p, kSlice, &head, &idx)) {
      if (!head.empty()) out.push_back(std::move(head));
      out.push_back(std::move(idx));
    } else {
      out.push_back(p);
    }
  }
  return out;
}

const MNode* lookup_field(const MNode& root, const std::vector<std::string>& parts, std::string* error) {
  auto fail = [&](std::string message) -> const MNode* {
    if (error != nullptr) *error = std::move(message);
    return nullptr;
  };
  const MNode* n = &root;
  for (const auto& raw : parts) {
    const std::string_view part = trim(raw);
    if (part.empty()) continue;
    if (const auto idx = parse_int(part)) {
      if (*idx < 0) return fail(fmt::format("array index {} cannot be negative", *idx));
      if (n->is_null()) return nullptr;
      if (!n->is_seq()) return fail(wrong_kind("sequence", *n));
      if (static_cast<size_t>(*idx) >= n->items.size()) return nullptr;
      n = &n->items[static_cast<size_t>(*idx)];
    } else if (part == "-") {
      if (n->is_null()) return nullptr;
      if (!n->is_seq()) return fail(wrong_kind("sequence", *n));
      if (n->items.empty()) return nullptr;
      n = &n->items.back();
    } else if (part == "*") {
      return fail("wildcard is not supported in PathGetter");
    } else if (is_list_selector(part)) {
      std::string key;
      std::string value;
      if (!split_selector(part, key, value)) {
        return fail("list path element must contain fieldName=fieldValue for element to match");
      }
      if (n->is_null()) return nullptr;
      if (!n->is_seq()) return fail(wrong_kind("sequence", *n));
      const MNode* found = nullptr;
      for (const auto& elem : n->items) {
        if (key.empty()) {
          if (elem.is_scalar() && elem.value == value) found = &elem;
        } else if (elem.is_map()) {
          const MNode* f = elem.get(key);
          if (f != nullptr && (f->is_scalar() ? f->value == value : value.empty())) found = &elem;
        }
        if (found != nullptr) break;
      }
      if (found == nullptr) return nullptr;
      n = found;
    } else {
      if (n->is_null()) return nullptr;
      if (!n->is_map()) return fail(wrong_kind("mapping", *n));
      n = n->get(part);
      if (n == nullptr) return nullptr;
    }
  }
  return n;
}

bool match_fields(MNode& root, const std::vector<std::string>& parts, CreateKind create, Span at,
                  std::vector<FieldMatch>& out, std::string* error) {
  Matcher m(create, at, out, error);
  return m.match(root, parts, false);
}

}  // namespace gl::render::kustomize
