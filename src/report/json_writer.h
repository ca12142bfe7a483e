#pragma once
// A streaming JSON writer whose output is byte-identical to nlohmann::json's dump(indent, ' ', false,
// error_handler_t::replace) of the same document: reports of thousands of findings are written without
// building a DOM first (keys stay in the order they are written).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace gl::report::detail {

class JsonWriter {
 public:
  explicit JsonWriter(int indent) : indent_(indent) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  /// The next member's key (inside an object); its value follows.
  void key(std::string_view name);
  void string(std::string_view text);
  void number(int64_t value);
  void null();
  void boolean(bool value);
  /// An array of strings.
  void strings(const std::vector<std::string>& items);
  /// A whole document built with nlohmann::ordered_json (written as its dump would be, only faster).
  void value(const nlohmann::ordered_json& json);

  /// The document written so far (complete once every object and array is closed).
  std::string take() { return std::move(out_); }

 private:
  void open(char bracket);
  void close(char bracket);
  /// The separator and indentation before a member of the open object or array.
  void next_member();
  /// Before a value: next_member() when it is an array item (a member's key already did it).
  void before_value();
  void newline_indent(size_t depth);
  void quoted(std::string_view text);

  int indent_;
  std::string out_;
  std::vector<size_t> counts_;  ///< members written so far in each open object or array
  bool after_key_ = false;
};

/// `json.dump(indent, ' ', false, error_handler_t::replace)`, byte for byte.
std::string dump_json(const nlohmann::ordered_json& json, int indent);

}  // namespace gl::report::detail
