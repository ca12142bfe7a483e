#include "yaml/node.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace gl::yaml {

namespace {

constexpr size_t kMaxTags = 65536;
constexpr uint16_t kOverflowTag = kMaxTags - 1;

// Interned tags by id. A slot is written once, under the mutex, before its id is handed out; a node carries
// the id to other threads only through the synchronisation that hands over the node itself.
struct TagTable {
  std::mutex mu;
  std::unordered_map<std::string, uint16_t> ids;
  std::string_view text[kMaxTags];
  uint16_t next = 1;
  uint16_t str_ids[2] = {0, 0};  ///< ids of "!!str" and "tag:yaml.org,2002:str", once interned
};

TagTable& tags() {
  static auto* table = new TagTable();  // never destroyed: views must outlive every node
  return *table;
}

}  // namespace

uint16_t intern_tag_id(std::string_view tag) {
  if (tag.empty()) return 0;
  TagTable& t = tags();
  const std::lock_guard<std::mutex> lock(t.mu);
  if (auto it = t.ids.find(std::string(tag)); it != t.ids.end()) return it->second;
  if (t.next == kOverflowTag) {
    t.text[kOverflowTag] = "!";
    return kOverflowTag;
  }
  const uint16_t id = t.next++;
  auto it = t.ids.emplace(std::string(tag), id).first;
  t.text[id] = it->first;
  if (tag == "!!str") t.str_ids[0] = id;
  if (tag == "tag:yaml.org,2002:str") t.str_ids[1] = id;
  return id;
}

std::string_view intern_tag(std::string_view tag) { return tags().text[intern_tag_id(tag)]; }

std::string_view Node::tag() const { return tag_ == 0 ? std::string_view() : tags().text[tag_]; }

bool Node::is_str_tag(uint16_t id) {
  const TagTable& t = tags();
  return id == t.str_ids[0] || id == t.str_ids[1];
}

void Node::set_tag(std::string_view tag) { tag_ = intern_tag_id(tag); }

void Node::set_text(NodeType scalar_or_null, std::string_view text) {
  if (text.size() > UINT32_MAX) throw std::length_error("a YAML scalar of 4 GiB or more");
  type = scalar_or_null == NodeType::kNull ? NodeType::kNull : NodeType::kScalar;
  data_ = text.data();
  size_ = static_cast<uint32_t>(text.size());
}

void Node::set_sequence(std::span<Node> items) {
  if (items.size() > UINT32_MAX) throw std::length_error("a YAML sequence of 2^32 items or more");
  type = NodeType::kSequence;
  data_ = items.data();
  size_ = static_cast<uint32_t>(items.size());
}

void Node::set_mapping(std::span<Node> keys_then_values) {
  if (keys_then_values.size() / 2 > UINT32_MAX) throw std::length_error("a YAML mapping of 2^32 pairs or more");
  type = NodeType::kMapping;
  data_ = keys_then_values.data();
  size_ = static_cast<uint32_t>(keys_then_values.size() / 2);
}

namespace {
constexpr size_t kMaxArenaBlock = size_t{1} << 20;
}  // namespace

void* Arena::allocate(size_t bytes, size_t align) {
  const size_t pad = (align - reinterpret_cast<uintptr_t>(cur_) % align) % align;
  if (cur_ == nullptr || pad + bytes > left_) {
    const size_t size = std::max(next_block_, bytes + align);
    next_block_ = std::min(next_block_ * 2, kMaxArenaBlock);
    blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(size));
    cur_ = blocks_.back().get();
    left_ = size;
    return allocate(bytes, align);
  }
  std::byte* out = cur_ + pad;
  cur_ = out + bytes;
  left_ -= pad + bytes;
  used_ += pad + bytes;
  return out;
}

std::string_view Arena::copy(std::string_view text) {
  if (text.empty()) return std::string_view("", 0);
  auto* out = static_cast<char*>(allocate(text.size() + 1, 1));
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return {out, text.size()};
}

const Node* Node::get(std::string_view key) const {
  if (type != NodeType::kMapping) return nullptr;
  // The hottest function of a run: compare size and first byte before calling memcmp.
  const size_t n = key.size();
  const Node* ks = static_cast<const Node*>(data_);
  for (size_t i = 0; i < size_; ++i) {
    const Node& k = ks[i];
    if (k.size_ != n || k.type != NodeType::kScalar) continue;
    const char* text = static_cast<const char*>(k.data_);
    if (n == 0 || (text[0] == key[0] && std::memcmp(text, key.data(), n) == 0)) return ks + size_ + i;
  }
  return nullptr;
}

Node* Node::get(std::string_view key) {
  return const_cast<Node*>(static_cast<const Node*>(this)->get(key));
}

const Node* Node::at(std::initializer_list<std::string_view> path) const {
  const Node* cur = this;
  for (auto key : path) {
    cur = cur->get(key);
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

std::optional<bool> Node::as_bool() const {
  if (type != NodeType::kScalar) return std::nullopt;
  if (is_quoted()) return std::nullopt;
  const std::string_view v = value();
  if (v == "true" || v == "True" || v == "TRUE" || v == "yes" || v == "Yes" || v == "YES" || v == "on" ||
      v == "On" || v == "ON" || v == "y" || v == "Y")
    return true;
  if (v == "false" || v == "False" || v == "FALSE" || v == "no" || v == "No" || v == "NO" || v == "off" ||
      v == "Off" || v == "OFF" || v == "n" || v == "N")
    return false;
  return std::nullopt;
}

std::optional<int64_t> Node::as_int() const {
  if (type != NodeType::kScalar || value().empty()) return std::nullopt;
  std::string_view v = value();
  bool neg = false;
  if (v[0] == '+' || v[0] == '-') {
    neg = v[0] == '-';
    v.remove_prefix(1);
  }
  int base = 10;
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
    base = 16;
    v.remove_prefix(2);
  } else if (v.size() > 2 && v[0] == '0' && (v[1] == 'o' || v[1] == 'O')) {
    base = 8;
    v.remove_prefix(2);
  }
  std::string digits;
  for (char c : v) {
    if (c != '_') digits += c;
  }
  if (digits.empty()) return std::nullopt;
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out, base);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return neg ? -out : out;
}

std::optional<double> Node::as_number() const {
  if (auto i = as_int()) return static_cast<double>(*i);
  if (type != NodeType::kScalar || value().empty()) return std::nullopt;
  const std::string text(value());  // strtod needs a terminated string
  const char* begin = text.c_str();
  char* end = nullptr;
  const double d = std::strtod(begin, &end);
  if (end != begin + value().size()) return std::nullopt;
  // strtod accepts "inf"/"nan" spellings YAML does not; keep only digits, sign, dot and exponent.
  for (char c : value()) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return std::nullopt;
  }
  return d;
}

std::string_view Node::resolved_kind() const {
  switch (type) {
    case NodeType::kNull: return "null";
    case NodeType::kSequence: return "seq";
    case NodeType::kMapping: return "map";
    case NodeType::kScalar: break;
  }
  if (is_quoted() || style != ScalarStyle::kPlain) return "str";
  if (!tag().empty()) {
    if (tag().ends_with("int")) return "int";
    if (tag().ends_with("float")) return "float";
    if (tag().ends_with("bool")) return "bool";
    return "str";
  }
  if (value() == "true" || value() == "false" || value() == "True" || value() == "False" || value() == "TRUE" ||
      value() == "FALSE")
    return "bool";
  if (as_int()) return "int";
  if (as_number()) return "float";
  return "str";
}

size_t Node::count_nodes() const {
  size_t n = 1;
  for (const auto& k : keys()) n += k.count_nodes();
  for (const auto& i : items()) n += i.count_nodes();
  return n;
}

}  // namespace gl::yaml
