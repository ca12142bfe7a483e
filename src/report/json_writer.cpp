#include "report/json_writer.h"

#include "core/strings.h"

namespace gl::report::detail {

void JsonWriter::newline_indent(size_t depth) {
  out_ += '\n';
  out_.append(depth * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::next_member() {
  if (counts_.back()++ > 0) out_ += ',';
  newline_indent(counts_.size());
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!counts_.empty()) next_member();
}

void JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  counts_.push_back(0);
}

void JsonWriter::close(char bracket) {
  const size_t count = counts_.back();
  counts_.pop_back();
  if (count > 0) newline_indent(counts_.size());
  out_ += bracket;
}

void JsonWriter::key(std::string_view name) {
  next_member();
  quoted(name);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::string(std::string_view text) {
  before_value();
  quoted(text);
}

void JsonWriter::number(int64_t value) {
  before_value();
  out_ += std::to_string(value);
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

void JsonWriter::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
}

void JsonWriter::strings(const std::vector<std::string>& items) {
  begin_array();
  for (const auto& item : items) string(item);
  end_array();
}

void JsonWriter::value(const nlohmann::ordered_json& json) {
  using Type = nlohmann::ordered_json::value_t;
  switch (json.type()) {
    case Type::object:
      begin_object();
      for (const auto& [name, member] : json.items()) {
        key(name);
        value(member);
      }
      end_object();
      return;
    case Type::array:
      begin_array();
      for (const auto& item : json) value(item);
      end_array();
      return;
    case Type::string: string(json.get_ref<const std::string&>()); return;
    case Type::boolean: boolean(json.get<bool>()); return;
    case Type::null: null(); return;
    case Type::number_integer: number(json.get<int64_t>()); return;
    case Type::number_unsigned:
      before_value();
      out_ += std::to_string(json.get<uint64_t>());
      return;
    default:  // floats, binary, discarded: nlohmann's own formatting
      before_value();
      out_ += json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      return;
  }
}

std::string dump_json(const nlohmann::ordered_json& json, int indent) {
  JsonWriter w(indent);
  w.value(json);
  return w.take();
}

void JsonWriter::quoted(std::string_view text) {
  // nlohmann's escapes: the short ones, \u00xx (lower-case) for other control characters, everything else
  // (DEL and valid UTF-8 included) as it is. Invalid UTF-8 goes through nlohmann::json itself, whose
  // replacement of bad sequences with U+FFFD is then exactly its own.
  static constexpr char kHex[] = "0123456789abcdef";
  const size_t start = out_.size();
  out_ += '"';
  size_t plain = 0;  // start of the run of bytes copied as they are
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) continue;
    if (c >= 0x80) {
      const size_t n = gl::utf8_length(text, i);
      if (n == 0) {
        out_.resize(start);
        out_ += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
      }
      i += n - 1;
      continue;
    }
    out_.append(text.substr(plain, i - plain));
    plain = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 0xf];
    }
  }
  out_.append(text.substr(plain));
  out_ += '"';
}

}  // namespace gl::report::detail
