#include "k8s/infra/text.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace gl::k8s::infra {

Text Text::from(std::string_view s, const SourceFile* file, size_t offset, bool exact) {
  Text t;
  t.append(s, file, offset, exact);
  return t;
}

Text Text::from_yaml(const yaml::Node& node) {
  const std::string_view value = node.str();
  const SourceFile* file = node.file;
  if (file == nullptr) return plain(value);
  const std::string_view src = file->text();
  const size_t begin = file->offset(node.begin);
  const size_t end = std::max(begin, file->offset(node.end));
  if (src.substr(begin, value.size()) == value) return from(value, file, begin, true);
  // Block, folded and quoted scalars: every word of the value is written somewhere in the node's region, in order.
  Text t;
  size_t cursor = begin;
  size_t last = begin;
  size_t i = 0;
  while (i < value.size()) {
    const bool space = value[i] == ' ' || value[i] == '\t' || value[i] == '\n';
    size_t j = i;
    while (j < value.size() && (value[j] == ' ' || value[j] == '\t' || value[j] == '\n') == space) ++j;
    const std::string_view word = value.substr(i, j - i);
    if (space) {
      t.append(word, file, last, false);
    } else {
      const size_t found = src.substr(0, end).find(word, cursor);
      if (found != std::string_view::npos) {
        t.append(word, file, found, true);
        cursor = found + word.size();
        last = cursor;
      } else {
        t.append(word, file, begin, false);
      }
    }
    i = j;
  }
  return t;
}

void Text::append(std::string_view s, const SourceFile* file, size_t offset, bool exact) {
  if (s.empty()) return;
  if (!runs_.empty()) {
    Run& r = runs_.back();
    if (r.exact && exact && !r.substituted && r.file == file && r.offset + r.len == offset) {
      r.len += s.size();
      flat_.append(s);
      return;
    }
  }
  runs_.push_back(Run{flat_.size(), s.size(), file, offset, exact, false});
  flat_.append(s);
}

void Text::append(const Text& other) {
  for (const Run& r : other.runs_) {
    Run copy = r;
    copy.start = flat_.size();
    runs_.push_back(copy);
    flat_.append(other.flat_, r.start, r.len);
  }
}

Text Text::slice(size_t begin, size_t end) const {
  Text t;
  end = std::min(end, flat_.size());
  if (begin >= end) return t;
  for (const Run& r : runs_) {
    const size_t rb = std::max(begin, r.start);
    const size_t re = std::min(end, r.start + r.len);
    if (rb >= re) continue;
    Run copy = r;
    copy.start = t.flat_.size();
    copy.len = re - rb;
    if (r.exact) copy.offset = r.offset + (rb - r.start);
    t.runs_.push_back(copy);
    t.flat_.append(flat_, rb, re - rb);
  }
  return t;
}

Text Text::substituted() const {
  Text t = *this;
  for (Run& r : t.runs_) r.substituted = true;
  return t;
}

Text Text::trimmed() const {
  size_t b = 0;
  size_t e = flat_.size();
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (b < e && ws(flat_[b])) ++b;
  while (e > b && ws(flat_[e - 1])) --e;
  return slice(b, e);
}

Span Text::run_span(const Run& r, size_t begin, size_t end) const {
  if (r.file == nullptr) return {};
  if (!r.exact) {
    const Mark m = r.file->mark_at(r.offset);
    return Span{r.file, m, m};
  }
  const size_t b = r.offset + (begin - r.start);
  const size_t e = r.offset + (std::min(end, r.start + r.len) - r.start);
  return Span{r.file, r.file->mark_at(b), r.file->mark_at(e)};
}

Span Text::span(size_t begin, size_t end) const {
  end = std::min(end, flat_.size());
  const Run* first = nullptr;
  for (const Run& r : runs_) {
    if (r.start + r.len <= begin || (r.start >= end && end > begin)) continue;
    if (r.substituted && r.file != nullptr) {
      return run_span(r, std::max(begin, r.start), end);
    }
    if (first == nullptr && r.file != nullptr) first = &r;
  }
  if (first == nullptr) return {};
  return run_span(*first, std::max(begin, first->start), end);
}

Value Value::unknown(std::string why, Span at) {
  Value v;
  v.why = std::move(why);
  v.at = at;
  return v;
}

Value Value::null(Span at) {
  Value v;
  v.kind = Kind::kNull;
  v.at = at;
  return v;
}

Value Value::string(Text t) {
  Value v;
  v.kind = Kind::kString;
  v.at = t.span();
  v.text = std::move(t);
  return v;
}

Value Value::number_of(double n, Span at) {
  Value v;
  v.kind = Kind::kNumber;
  v.number = n;
  v.at = at;
  v.text = Text::plain(format_number(n));
  return v;
}

Value Value::bool_of(bool b, Span at) {
  Value v;
  v.kind = Kind::kBool;
  v.boolean = b;
  v.at = at;
  v.text = Text::plain(b ? "true" : "false");
  return v;
}

Value Value::map_of(std::vector<std::pair<std::string, Value>> entries, Span at) {
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Value v;
  v.kind = Kind::kMap;
  v.at = at;
  for (auto& [k, x] : entries) {
    if (!v.keys.empty() && v.keys.back() == k) {
      v.items.back() = std::move(x);
      continue;
    }
    v.keys.push_back(k);
    v.items.push_back(std::move(x));
  }
  return v;
}

Value Value::list_of(std::vector<Value> items, Span at) {
  Value v;
  v.kind = Kind::kList;
  v.items = std::move(items);
  v.at = at;
  return v;
}

Value Value::from_yaml(const yaml::Node& node, size_t depth) {
  if (depth > 200) return unknown("nesting too deep", node.span());
  if (node.is_map()) {
    std::vector<std::pair<std::string, Value>> entries;
    for (size_t i = 0; i < node.keys().size(); ++i) {
      entries.emplace_back(std::string(node.keys()[i].str()), from_yaml(node.items()[i], depth + 1));
    }
    return map_of(std::move(entries), node.span());
  }
  if (node.is_seq()) {
    std::vector<Value> items;
    items.reserve(node.items().size());
    for (const auto& item : node.items()) items.push_back(from_yaml(item, depth + 1));
    return list_of(std::move(items), node.span());
  }
  if (node.is_null()) return null(node.span());
  Value v;
  if (!node.is_quoted()) {
    if (auto b = node.as_bool()) {
      v = bool_of(*b, node.span());
    } else if (auto n = node.as_int()) {
      v = number_of(static_cast<double>(*n), node.span());
    }
  }
  v.text = Text::from_yaml(node);
  v.at = node.span();
  if (v.kind == Kind::kUnknown) v.kind = Kind::kString;
  return v;
}

const Value* Value::get(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  auto it =
      std::lower_bound(keys.begin(), keys.end(), key, [](const std::string& a, std::string_view b) { return a < b; });
  if (it == keys.end() || *it != key) return nullptr;
  return &items[static_cast<size_t>(it - keys.begin())];
}

std::optional<std::string> Value::as_string() const {
  switch (kind) {
    case Kind::kString:
      return text.str();
    case Kind::kNumber:
      return format_number(number);
    case Kind::kBool:
      return std::string(boolean ? "true" : "false");
    default:
      return std::nullopt;
  }
}

Text Value::as_text() const {
  if (kind == Kind::kString || (kind == Kind::kNumber && !text.empty()) || (kind == Kind::kBool && !text.empty())) {
    return text;
  }
  if (auto s = as_string()) return Text::plain(*s);
  return {};
}

std::optional<int64_t> Value::as_int() const {
  if (kind == Kind::kNumber) {
    if (std::isfinite(number) && std::floor(number) == number && std::fabs(number) < 9e15) {
      return static_cast<int64_t>(number);
    }
    return std::nullopt;
  }
  if (kind == Kind::kString) {
    const std::string& s = text.str();
    if (s.empty() || s.size() > 15) return std::nullopt;
    int64_t n = 0;
    size_t i = s[0] == '-' ? 1 : 0;
    if (i == s.size()) return std::nullopt;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      n = n * 10 + (s[i] - '0');
    }
    return s[0] == '-' ? -n : n;
  }
  return std::nullopt;
}

std::string format_number(double n) {
  if (std::isfinite(n) && std::floor(n) == n && std::fabs(n) < 1e15) return fmt::format("{}", static_cast<int64_t>(n));
  return fmt::format("{}", n);
}

}  // namespace gl::k8s::infra
