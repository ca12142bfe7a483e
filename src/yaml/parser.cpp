#include "yaml/parser.h"

#include <yaml.h>

#include <algorithm>
#include <memory>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace gl::yaml {
namespace {

constexpr size_t kBinaryProbeBytes = 8192;
constexpr size_t kLinearDupScan = 16;
// Nodes (40 bytes) and their text take about five times the file's size: most files need one block.
constexpr size_t kArenaBytesPerTextByte = 5;
constexpr size_t kMinArenaBlock = 4096;
constexpr size_t kMaxFirstArenaBlock = size_t{64} << 20;

Mark to_mark(const yaml_mark_t& m) {
  return Mark{static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1)};
}

bool is_plain_null(std::string_view v) { return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL"; }

struct Anchored {
  Node node;
  size_t count = 0;
};

class Builder {
 public:
  Builder(const SourceFile& file, const ParseLimits& limits)
      : file_(file),
        limits_(limits),
        arena_(std::make_shared<Arena>(
            std::clamp(file.text().size() * kArenaBytesPerTextByte, kMinArenaBlock, kMaxFirstArenaBlock))) {}

  ParseResult run() {
    yaml_parser_t parser;
    if (yaml_parser_initialize(&parser) == 0) {
      result_.errors.push_back({Mark{1, 1}, "cannot initialise the YAML parser"});
      return std::move(result_);
    }
    const std::string& text = file_.text();
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    bool done = false;
    while (!done) {
      yaml_event_t event;
      if (yaml_parser_parse(&parser, &event) == 0) {
        report_parser_error(parser);
        break;
      }
      done = event.type == YAML_STREAM_END_EVENT;
      const bool ok = handle(event);
      yaml_event_delete(&event);
      if (!ok) break;
    }
    yaml_parser_delete(&parser);
    return std::move(result_);
  }

 private:
  // Children are collected on one scratch stack and copied into the file's arena once, at their exact size:
  // growing each node's vectors one push at a time cost more than the rest of the parse.
  // Scalars are built in place at the end of scratch_; an open collection keeps only what its node needs.
  struct Frame {
    NodeType type = NodeType::kSequence;
    Mark begin;
    std::string_view tag;
    std::string anchor;
    size_t first = 0;  // index of the first child in scratch_
  };

  void report_parser_error(const yaml_parser_t& parser) {
    std::string msg = parser.problem != nullptr ? parser.problem : "invalid YAML";
    if (parser.context != nullptr) {
      const Mark c = to_mark(parser.context_mark);
      msg += " (" + std::string(parser.context) + " that starts at line " + std::to_string(c.line) + ", column " +
             std::to_string(c.column) + ")";
    }
    Mark m = to_mark(parser.problem_mark);
    // Reader errors (bad UTF-8, control characters) carry a byte offset, not a mark.
    if (parser.error == YAML_READER_ERROR) m = offset_mark(parser.problem_offset);
    // End-of-stream problems point past the last line; show them on the last line instead.
    const auto last = static_cast<uint32_t>(std::max<size_t>(1, file_.line_count()));
    if (m.line == 0) m = Mark{1, 1};
    if (m.line > last) m = Mark{last, static_cast<uint32_t>(file_.line(last).size() + 1)};
    result_.errors.push_back({m, std::move(msg)});
  }

  Mark offset_mark(size_t offset) const {
    const std::string_view text = std::string_view(file_.text()).substr(0, std::min(offset, file_.text().size()));
    const size_t nl = text.rfind('\n');
    const auto line = static_cast<uint32_t>(std::count(text.begin(), text.end(), '\n') + 1);
    const auto column = static_cast<uint32_t>(nl == std::string_view::npos ? text.size() + 1 : text.size() - nl);
    return Mark{line, column};
  }

  bool fail(const Mark& mark, std::string message) {
    result_.errors.push_back({mark, std::move(message)});
    return false;
  }

  static std::string_view tag_of(const yaml_char_t* tag) {
    return tag == nullptr ? std::string_view() : intern_tag(reinterpret_cast<const char*>(tag));
  }

  // The slot for the next node: the end of scratch_ inside a collection, else the document root.
  Node& slot() {
    if (stack_.empty()) {
      root_ = Node{};
      has_root_ = true;
      return root_;
    }
    return scratch_.emplace_back();
  }

  bool handle(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT:
        anchors_.clear();
        alias_nodes_ = 0;
        doc_begin_ = to_mark(e.start_mark);
        has_root_ = false;
        return true;
      case YAML_DOCUMENT_END_EVENT: {
        Document doc;
        doc.index = doc_index_++;
        doc.file = &file_;
        doc.storage = arena_;
        if (has_root_) {
          doc.root = root_;
        } else {
          doc.root.file = &file_;
          doc.root.begin = doc.root.end = doc_begin_;
        }
        result_.documents.push_back(std::move(doc));
        return true;
      }
      case YAML_SCALAR_EVENT: {
        if (e.data.scalar.length > UINT32_MAX) return fail(to_mark(e.start_mark), "a scalar of 4 GiB or more");
        Node& n = slot();
        n.type = NodeType::kScalar;
        n.begin = to_mark(e.start_mark);
        n.end = to_mark(e.end_mark);
        n.file = &file_;
        n.set_text(NodeType::kScalar,
                   arena_->copy({reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length}));
        n.set_tag(tag_of(e.data.scalar.tag));
        switch (e.data.scalar.style) {
          case YAML_SINGLE_QUOTED_SCALAR_STYLE: n.style = ScalarStyle::kSingleQuoted; break;
          case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n.style = ScalarStyle::kDoubleQuoted; break;
          case YAML_LITERAL_SCALAR_STYLE: n.style = ScalarStyle::kLiteral; break;
          case YAML_FOLDED_SCALAR_STYLE: n.style = ScalarStyle::kFolded; break;
          default: n.style = ScalarStyle::kPlain; break;
        }
        // A null keeps its text ("~", "null"): switching between scalar and null leaves the payload as it is.
        if (n.style == ScalarStyle::kPlain && n.tag().empty() && is_plain_null(n.value())) n.type = NodeType::kNull;
        if (n.tag() == "!!null" || n.tag() == "tag:yaml.org,2002:null") n.type = NodeType::kNull;
        const char* anchor = reinterpret_cast<const char*>(e.data.scalar.anchor);
        if (anchor != nullptr) remember(anchor, n);
        return true;
      }
      case YAML_ALIAS_EVENT: {
        const std::string name = reinterpret_cast<const char*>(e.data.alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end()) return fail(to_mark(e.start_mark), "unknown alias `*" + name + "`");
        alias_nodes_ += it->second.count;
        if (alias_nodes_ > limits_.max_alias_nodes) {
          return fail(to_mark(e.start_mark), "alias expansion exceeds " + std::to_string(limits_.max_alias_nodes) +
                                                 " nodes (a YAML alias bomb?)");
        }
        return add(Node(it->second.node));
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (stack_.size() >= limits_.max_depth) {
          return fail(to_mark(e.start_mark),
                      "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
        }
        const bool seq = e.type == YAML_SEQUENCE_START_EVENT;
        Frame& f = stack_.emplace_back();
        f.type = seq ? NodeType::kSequence : NodeType::kMapping;
        f.begin = to_mark(e.start_mark);
        f.tag = tag_of(seq ? e.data.sequence_start.tag : e.data.mapping_start.tag);
        const auto* anchor = seq ? e.data.sequence_start.anchor : e.data.mapping_start.anchor;
        if (anchor != nullptr) f.anchor = reinterpret_cast<const char*>(anchor);
        f.first = scratch_.size();
        return true;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Node n;
        n.set_tag(stack_.back().tag);
        n.begin = stack_.back().begin;
        n.end = to_mark(e.end_mark);
        n.file = &file_;
        adopt_children(n, stack_.back().type, stack_.back().first);
        if (n.is_map()) finish_mapping(n);
        if (!stack_.back().anchor.empty()) remember(stack_.back().anchor, n);
        stack_.pop_back();
        return add(n);
      }
      default:
        return true;
    }
  }

  void remember(const std::string& name, const Node& n) {
    Anchored& a = anchors_[name];
    a.node = n;
    a.count = n.count_nodes();
  }

  bool add(Node n) {
    if (stack_.empty()) {
      root_ = n;
      has_root_ = true;
      return true;
    }
    scratch_.push_back(n);
    return true;
  }

  static_assert(std::is_trivially_destructible_v<Node>, "the arena never runs destructors");

  // An array of `count` nodes in the arena (never freed before the arena, never moved).
  std::span<Node> allocate_nodes(size_t count) {
    if (count == 0) return {};
    auto* out = static_cast<Node*>(arena_->allocate(count * sizeof(Node), alignof(Node)));
    std::uninitialized_default_construct_n(out, count);
    return {out, count};
  }

  // Sequence items in order; mapping keys first, then the values in the same order.
  void adopt_children(Node& n, NodeType type, size_t first) {
    const size_t count = scratch_.size() - first;
    const Node* begin = scratch_.data() + first;
    if (type == NodeType::kSequence) {
      const std::span<Node> items = allocate_nodes(count);
      std::copy_n(begin, count, items.begin());
      n.set_sequence(items);
    } else {
      const size_t pairs = count / 2;
      const std::span<Node> all = allocate_nodes(pairs * 2);
      for (size_t i = 0; i < pairs; ++i) {
        all[i] = begin[2 * i];
        all[pairs + i] = begin[2 * i + 1];
      }
      n.set_mapping(all);
    }
    scratch_.resize(first);
  }

  static bool is_merge_key(const Node& k) {
    return k.is_scalar() && k.value() == "<<" && k.style == ScalarStyle::kPlain;
  }

  // Applies `<<` merge keys and reports duplicate keys.
  void finish_mapping(Node& m) {
    bool has_merge = false;
    for (const auto& k : m.keys()) has_merge = has_merge || is_merge_key(k);
    if (limits_.reject_duplicate_keys) check_duplicates(m);
    if (!has_merge) return;
    std::vector<Node> keys;
    std::vector<Node> items;
    auto present = [&](const Node& key) {
      return std::any_of(keys.begin(), keys.end(),
                         [&](const Node& k) { return k.is_scalar() && k.value() == key.value(); });
    };
    std::vector<const Node*> sources;
    for (size_t i = 0; i < m.keys().size(); ++i) {
      if (!is_merge_key(m.keys()[i])) {
        keys.push_back(m.keys()[i]);
        items.push_back(m.items()[i]);
      } else if (m.items()[i].is_map()) {
        sources.push_back(&m.items()[i]);
      } else if (m.items()[i].is_seq()) {
        for (const auto& s : m.items()[i].items()) {
          if (s.is_map()) sources.push_back(&s);
        }
      }
    }
    for (const Node* src : sources) {
      for (size_t j = 0; j < src->keys().size(); ++j) {
        if (src->keys()[j].is_scalar() && present(src->keys()[j])) continue;
        keys.push_back(src->keys()[j]);
        items.push_back(src->items()[j]);
      }
    }
    const std::span<Node> all = allocate_nodes(keys.size() * 2);
    std::copy(keys.begin(), keys.end(), all.begin());
    std::copy(items.begin(), items.end(), all.begin() + static_cast<std::ptrdiff_t>(keys.size()));
    m.set_mapping(all);
  }

  void check_duplicates(const Node& m) {
    const auto& keys = m.keys();
    auto report = [&](size_t first, size_t dup) {
      result_.errors.push_back({keys[dup].begin, "duplicate key `" + std::string(keys[dup].value()) +
                                                     "` (first at line " + std::to_string(keys[first].begin.line) +
                                                     ")"});
    };
    if (keys.size() <= kLinearDupScan) {
      for (size_t i = 1; i < keys.size(); ++i) {
        if (!keys[i].is_scalar() || is_merge_key(keys[i])) continue;
        for (size_t j = 0; j < i; ++j) {
          if (keys[j].is_scalar() && keys[j].value() == keys[i].value()) {
            report(j, i);
            break;
          }
        }
      }
      return;
    }
    std::unordered_map<std::string_view, size_t> seen;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (!keys[i].is_scalar() || is_merge_key(keys[i])) continue;
      auto [it, inserted] = seen.emplace(keys[i].value(), i);
      if (!inserted) report(it->second, i);
    }
  }

  const SourceFile& file_;
  const ParseLimits& limits_;
  std::shared_ptr<Arena> arena_;
  ParseResult result_;
  std::vector<Frame> stack_;
  std::vector<Node> scratch_;
  std::unordered_map<std::string, Anchored> anchors_;
  size_t alias_nodes_ = 0;
  Node root_;
  bool has_root_ = false;
  Mark doc_begin_;
  uint32_t doc_index_ = 0;
};

}  // namespace

bool looks_binary(std::string_view text) {
  return text.substr(0, std::min(text.size(), kBinaryProbeBytes)).find('\0') != std::string_view::npos;
}

ParseResult parse(const SourceFile& file, const ParseLimits& limits) { return Builder(file, limits).run(); }

}  // namespace gl::yaml
