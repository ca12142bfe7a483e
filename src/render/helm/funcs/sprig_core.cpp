// Sprig 3.2.3's core functions (strings, lists, dicts, defaults, math, conversions, reflection) with the
// semantics of the Go code Helm runs: Go's strings package, Masterminds/goutils, huandu/xstrings,
// spf13/cast, imdario/mergo and shopspring/decimal. Panics of the Go functions are execution errors here,
// with the panic's message, as text/template reports them ("error calling first: ...").
#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/strings.h"
#include "render/helm/funcs/convert.h"
#include "render/helm/funcs/funcs.h"
#include "render/helm/gotemplate/function.h"
#include "render/helm/gotemplate/gofmt.h"

namespace gl::render::helm {

namespace {

using gotemplate::CallContext;
using gotemplate::fail;
using gotemplate::FuncMap;
using gotemplate::Function;
using gotemplate::GoType;
using gotemplate::Kind;
using gotemplate::List;
using gotemplate::Map;
using gotemplate::Value;
using Args = std::span<const Value>;

namespace uc = convert::unicode;

/// Guards against templates that ask for absurd amounts of memory (Go would try, and exhaust it).
constexpr size_t kMaxElements = 10'000'000;
constexpr size_t kMaxStringBytes = size_t{256} << 20;

void def(FuncMap& funcs, const char* name, int min_args, int max_args, std::function<Value(Args)> fn) {
  funcs[name] = Function{min_args, max_args, [fn = std::move(fn)](CallContext&, Args args) { return fn(args); }};
}

Value str(std::string s) { return Value::string(std::move(s)); }
Value i64(int64_t i) { return Value::integer(i, GoType::kInt64); }
Value go_int(int64_t i) { return Value::integer(i, GoType::kInt); }

// ----- strings -----

/// strings.Map with a rune mapping (invalid UTF-8 bytes become U+FFFD, as Go's Map does).
template <typename F>
std::string map_runes(std::string_view s, F f) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto [r, n] = uc::decode(s, i);
    gl::append_utf8(out, f(r));
    i += n;
  }
  return out;
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string go_to_upper(std::string_view s) {
  if (is_ascii(s)) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    }
    return out;
  }
  return map_runes(s, uc::to_upper);
}

std::string go_to_lower(std::string_view s) {
  if (is_ascii(s)) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return out;
  }
  return map_runes(s, uc::to_lower);
}

// strings.Title's word separators.
bool title_separator(char32_t r) {
  if (r <= 0x7F) {
    return !((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_');
  }
  if (uc::is_letter(r) || uc::is_digit(r)) return false;
  return uc::is_space(r);
}

std::string go_title(std::string_view s) {
  char32_t prev = ' ';
  return map_runes(s, [&prev](char32_t r) {
    bool sep = title_separator(prev);
    prev = r;
    return sep ? uc::to_title(r) : r;
  });
}

std::vector<char32_t> to_runes(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    auto [r, n] = uc::decode(s, i);
    out.push_back(r);
    i += n;
  }
  return out;
}

std::string from_runes(const std::vector<char32_t>& runes) {
  std::string out;
  for (char32_t r : runes) gl::append_utf8(out, r);
  return out;
}

// goutils.Uncapitalize with whitespace delimiters.
std::string untitle(std::string_view s) {
  if (s.empty()) return std::string(s);
  auto runes = to_runes(s);
  bool next = true;
  for (char32_t& r : runes) {
    if (uc::is_space(r)) {
      next = true;
    } else if (next) {
      r = uc::to_lower(r);
      next = false;
    }
  }
  return from_runes(runes);
}

// goutils.SwapCase.
std::string swapcase(std::string_view s) {
  if (s.empty()) return std::string(s);
  auto runes = to_runes(s);
  bool whitespace = true;
  for (char32_t& r : runes) {
    if (uc::is_upper(r) || uc::is_title(r)) {
      r = uc::to_lower(r);
      whitespace = false;
    } else if (uc::is_lower(r)) {
      r = whitespace ? uc::to_title(r) : uc::to_upper(r);
      whitespace = false;
    } else {
      whitespace = uc::is_space(r);
    }
  }
  return from_runes(runes);
}

// goutils.DeleteWhiteSpace: works on bytes, each byte written back as the rune of its value.
std::string nospace(std::string_view s) {
  std::string out;
  size_t count = 0;
  for (unsigned char c : s) {
    if (!uc::is_space(c)) {
      gl::append_utf8(out, c);
      ++count;
    }
  }
  if (count == s.size()) return std::string(s);
  return out;
}

// goutils.Initials: byte-wise like nospace.
std::string initials(std::string_view s) {
  std::string out;
  bool last_was_gap = true;
  for (unsigned char c : s) {
    if (uc::is_space(c)) {
      last_was_gap = true;
    } else if (last_was_gap) {
      gl::append_utf8(out, c);
      last_was_gap = false;
    }
  }
  return out;
}

// goutils.AbbreviateFull; nullopt stands for its error (Sprig then returns "").
std::optional<std::string> abbreviate_full(std::string_view s, int64_t offset, int64_t max_width) {
  if (s.empty()) return std::string();
  if (max_width < 4) return std::nullopt;
  const auto len = static_cast<int64_t>(s.size());
  if (len <= max_width) return std::string(s);
  if (offset > len) offset = len;
  if (len - offset < max_width - 3) offset = len - (max_width - 3);
  if (offset <= 4) return std::string(s.substr(0, static_cast<size_t>(max_width - 3))) + "...";
  if (max_width < 7) return std::nullopt;
  if (offset + max_width - 3 < len) {
    auto rest = abbreviate_full(s.substr(static_cast<size_t>(offset)), 0, max_width - 3);
    return "..." + rest.value_or("");
  }
  return "..." + std::string(s.substr(static_cast<size_t>(len - (max_width - 3))));
}

// goutils.WrapCustom.
std::string wrap_custom(std::string_view s, int64_t wrap_length, std::string new_line, bool wrap_long_words) {
  if (s.empty()) return "";
  if (new_line.empty()) new_line = "\n";
  if (wrap_length < 1) wrap_length = 1;
  const auto wl = static_cast<size_t>(wrap_length);
  const size_t len = s.size();
  size_t offset = 0;
  std::string out;
  while (len - offset > wl) {
    if (s[offset] == ' ') {
      ++offset;
      continue;
    }
    size_t end = wl + offset + 1;
    size_t space = s.substr(offset, end - offset).rfind(' ');
    if (space != std::string_view::npos) {
      space += offset;
      out.append(s.substr(offset, space - offset));
      out += new_line;
      offset = space + 1;
    } else if (wrap_long_words) {
      out.append(s.substr(offset, wl));
      out += new_line;
      offset += wl;
    } else {
      size_t index = s.find(' ', wl + offset);
      if (index == std::string_view::npos) {
        out.append(s.substr(offset));
        offset = len;
      } else {
        out.append(s.substr(offset, index - offset));
        out += new_line;
        offset = index + 1;
      }
    }
  }
  out.append(s.substr(offset));
  return out;
}

std::string repeat(std::string_view s, int64_t count) {
  if (count < 0) fail("strings: negative Repeat count");
  if (count > 0 && s.size() > std::numeric_limits<int64_t>::max() / static_cast<uint64_t>(count)) {
    fail("strings: Repeat count causes overflow");
  }
  if (s.size() * static_cast<size_t>(count) > kMaxStringBytes) fail("strings: Repeat result too large");
  std::string out;
  out.reserve(s.size() * static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) out.append(s);
  return out;
}

std::string replace_all(std::string_view s, std::string_view old_s, std::string_view new_s) {
  if (old_s == new_s) return std::string(s);
  std::string out;
  if (old_s.empty()) {
    // Matches at the start and after each UTF-8 sequence.
    out.append(new_s);
    for (size_t i = 0; i < s.size();) {
      size_t n = uc::decode(s, i).second;
      out.append(s.substr(i, n));
      out.append(new_s);
      i += n;
    }
    return out;
  }
  size_t start = 0;
  for (size_t j = s.find(old_s); j != std::string_view::npos; j = s.find(old_s, start)) {
    out.append(s.substr(start, j - start));
    out.append(new_s);
    start = j + old_s.size();
  }
  out.append(s.substr(start));
  return out;
}

std::string indent(int64_t spaces, std::string_view s) {
  std::string pad = repeat(" ", spaces);
  return pad + replace_all(s, "\n", "\n" + pad);
}

// strings.SplitN (n < 0: all pieces); Split is SplitN(s, sep, -1).
std::vector<std::string> split_n(std::string_view s, std::string_view sep, int64_t n) {
  std::vector<std::string> out;
  if (n == 0) return out;
  if (sep.empty()) {
    std::vector<std::pair<size_t, size_t>> runes;
    std::vector<bool> bad;
    for (size_t i = 0; i < s.size();) {
      auto [r, w] = uc::decode(s, i);
      runes.emplace_back(i, w);
      bad.push_back(r == 0xFFFD);
      i += w;
    }
    auto l = static_cast<int64_t>(runes.size());
    if (n < 0 || n > l) n = l;
    // Go's explode: pieces that decode as U+FFFD (invalid bytes included) become U+FFFD, except the last.
    for (int64_t i = 0; i < n - 1; ++i) {
      const auto k = static_cast<size_t>(i);
      out.emplace_back(bad[k] ? "\xEF\xBF\xBD" : std::string(s.substr(runes[k].first, runes[k].second)));
    }
    if (n > 0) out.emplace_back(s.substr(runes[static_cast<size_t>(n - 1)].first));
    return out;
  }
  size_t start = 0;
  while (n < 0 || static_cast<int64_t>(out.size()) < n - 1) {
    size_t j = s.find(sep, start);
    if (j == std::string_view::npos) break;
    out.emplace_back(s.substr(start, j - start));
    start = j + sep.size();
  }
  out.emplace_back(s.substr(start));
  return out;
}

Value split_map(const std::vector<std::string>& parts) {
  Map m;
  for (size_t i = 0; i < parts.size(); ++i) m.emplace("_" + std::to_string(i), str(parts[i]));
  return Value::map(std::move(m), GoType::kStringMap);
}

template <typename Pred>
std::string trim_runes(std::string_view s, Pred in_set) {
  std::vector<std::pair<size_t, size_t>> runes;
  std::vector<char32_t> values;
  for (size_t i = 0; i < s.size();) {
    auto [r, w] = uc::decode(s, i);
    runes.emplace_back(i, w);
    values.push_back(r);
    i += w;
  }
  size_t b = 0;
  size_t e = runes.size();
  while (b < e && in_set(values[b])) ++b;
  while (e > b && in_set(values[e - 1])) --e;
  if (b == e) return "";
  return std::string(s.substr(runes[b].first, runes[e - 1].first + runes[e - 1].second - runes[b].first));
}

std::string trim_cutset(std::string_view s, std::string_view cutset) {
  if (s.empty() || cutset.empty()) return std::string(s);
  auto set = to_runes(cutset);
  return trim_runes(s, [&set](char32_t r) { return std::find(set.begin(), set.end(), r) != set.end(); });
}

std::string trim_space(std::string_view s) { return trim_runes(s, uc::is_space); }

std::string substr(int64_t start, int64_t end, std::string_view s) {
  const auto len = static_cast<int64_t>(s.size());
  auto bounds = [](const std::string& detail) { fail("runtime error: slice bounds out of range " + detail); };
  if (start < 0) {
    if (end < 0) bounds("[:" + std::to_string(end) + "]");
    if (end > len) bounds("[:" + std::to_string(end) + "] with length " + std::to_string(len));
    return std::string(s.substr(0, static_cast<size_t>(end)));
  }
  if (end < 0 || end > len) {
    if (start > len) bounds("[" + std::to_string(start) + ":" + std::to_string(len) + "]");
    return std::string(s.substr(static_cast<size_t>(start)));
  }
  if (start > end) bounds("[" + std::to_string(start) + ":" + std::to_string(end) + "]");
  return std::string(s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)));
}

std::string trunc(int64_t c, std::string_view s) {
  const auto len = static_cast<int64_t>(s.size());
  if (c < 0 && len + c > 0) return std::string(s.substr(static_cast<size_t>(len + c)));
  if (c >= 0 && len > c) return std::string(s.substr(0, static_cast<size_t>(c)));
  return std::string(s);
}

// ----- huandu/xstrings case conversions -----

bool is_connector(char32_t r) { return r == '-' || r == '_' || uc::is_space(r); }

bool is_alphabet(char32_t r) {
  if (!uc::is_letter(r)) return false;
  if (r < 0x3400) return true;
  if (r >= 0x4E00 && r <= 0x9FCC) return false;
  if (r >= 0x3400 && r <= 0x4D85) return false;
  if (r >= 0x20000 && r <= 0x2B81D) return false;
  return true;
}

enum class WordType { kInvalid, kNumber, kUpperCase, kAlphabet, kConnector, kPunct, kOther };

struct Word {
  WordType type = WordType::kInvalid;
  std::string_view word;
  std::string_view remaining;
};

std::pair<char32_t, size_t> next_valid_rune(std::string_view s, char32_t prev) {
  size_t size = 0;
  while (!s.empty()) {
    auto [r, n] = uc::decode(s, 0);
    size += n;
    if (r != 0xFFFD) return {r, size};
    s.remove_prefix(n);
  }
  return {prev, size};
}

Word next_word(std::string_view s) {
  Word w;
  if (s.empty()) return w;
  std::string_view remaining = s;
  auto [r, size] = next_valid_rune(remaining, 0xFFFD);
  size_t offset = size;
  if (r == 0xFFFD) return {WordType::kInvalid, s.substr(0, offset), s.substr(offset)};
  // Consumes following runes while `keep` holds.
  auto run = [&](auto keep) {
    remaining.remove_prefix(size);
    while (!remaining.empty()) {
      std::tie(r, size) = next_valid_rune(remaining, r);
      if (!keep(r)) break;
      offset += size;
      remaining.remove_prefix(size);
    }
  };
  if (is_connector(r)) {
    w.type = WordType::kConnector;
    run(is_connector);
  } else if (uc::is_punct(r)) {
    w.type = WordType::kPunct;
    run(uc::is_punct);
  } else if (uc::is_upper(r)) {
    w.type = WordType::kUpperCase;
    remaining.remove_prefix(size);
    if (!remaining.empty()) {
      std::tie(r, size) = next_valid_rune(remaining, r);
      if (uc::is_upper(r)) {
        size_t prev_size = size;
        offset += size;
        remaining.remove_prefix(size);
        while (!remaining.empty()) {
          std::tie(r, size) = next_valid_rune(remaining, r);
          if (!uc::is_upper(r)) break;
          prev_size = size;
          offset += size;
          remaining.remove_prefix(size);
        }
        // "HTTPStatus" splits into "HTTP" and "Status".
        if (!remaining.empty() && is_alphabet(r)) {
          offset -= prev_size;
          remaining = s.substr(offset);
        }
      } else if (is_alphabet(r)) {
        offset += size;
        run([](char32_t c) { return is_alphabet(c) && !uc::is_upper(c); });
      }
    }
  } else if (is_alphabet(r)) {
    w.type = WordType::kAlphabet;
    run([](char32_t c) { return is_alphabet(c) && !uc::is_upper(c); });
  } else if (uc::is_number(r)) {
    w.type = WordType::kNumber;
    run(uc::is_number);
  } else {
    w.type = WordType::kOther;
    remaining.remove_prefix(size);
    while (!remaining.empty()) {
      std::tie(r, size) = next_valid_rune(remaining, r);
      if (size == 0 || is_connector(r) || is_alphabet(r) || uc::is_number(r) || uc::is_punct(r)) break;
      offset += size;
      remaining.remove_prefix(size);
    }
  }
  w.word = s.substr(0, offset);
  w.remaining = remaining;
  return w;
}

void write_lower(std::string& out, WordType type, std::string_view word, char32_t connector) {
  if (type != WordType::kUpperCase && type != WordType::kConnector) {
    out.append(word);
    return;
  }
  for (size_t i = 0; i < word.size();) {
    auto [r, n] = uc::decode(word, i);
    i += n;
    if (is_connector(r)) {
      gl::append_utf8(out, connector);
    } else if (uc::is_upper(r)) {
      gl::append_utf8(out, uc::to_lower(r));
    } else {
      gl::append_utf8(out, r);
    }
  }
}

std::string camel_to_lower(std::string_view s, char32_t connector) {
  if (s.empty()) return "";
  std::string out;
  auto put_connector = [&] { gl::append_utf8(out, connector); };
  Word w = next_word(s);
  while (!w.remaining.empty()) {
    if (w.type != WordType::kConnector) write_lower(out, w.type, w.word, connector);
    const WordType prev = w.type;
    const std::string_view last = w.word;
    w = next_word(w.remaining);
    switch (prev) {
      case WordType::kNumber:
        while (w.type == WordType::kAlphabet || w.type == WordType::kNumber) {
          write_lower(out, w.type, w.word, connector);
          w = next_word(w.remaining);
        }
        if (w.type != WordType::kInvalid && w.type != WordType::kPunct && w.type != WordType::kConnector) {
          put_connector();
        }
        break;
      case WordType::kConnector:
        write_lower(out, prev, last, connector);
        break;
      case WordType::kPunct:
        break;
      default: {
        if (w.type != WordType::kNumber) {
          if (w.type != WordType::kConnector && w.type != WordType::kPunct) put_connector();
          break;
        }
        if (w.remaining.empty()) break;
        const std::string_view number = w.word;
        w = next_word(w.remaining);
        // A number is part of the previous word ("Bld4Floor" -> "bld4_floor") unless lower case letters
        // follow it ("HTTP2xx" -> "http_2xx").
        if (w.type != WordType::kAlphabet) {
          write_lower(out, WordType::kNumber, number, connector);
          if (w.type != WordType::kConnector && w.type != WordType::kPunct) put_connector();
          break;
        }
        put_connector();
        write_lower(out, WordType::kNumber, number, connector);
        while (w.type == WordType::kAlphabet || w.type == WordType::kNumber) {
          write_lower(out, w.type, w.word, connector);
          w = next_word(w.remaining);
        }
        if (w.type != WordType::kInvalid && w.type != WordType::kConnector && w.type != WordType::kPunct) {
          put_connector();
        }
        break;
      }
    }
  }
  write_lower(out, w.type, w.word, connector);
  return out;
}

std::string camelcase(std::string_view s) {
  if (s.empty()) return "";
  std::string out;
  char32_t r0 = 0;
  size_t size = 0;
  size_t i = 0;
  while (i < s.size()) {
    std::tie(r0, size) = uc::decode(s, i);
    i += size;
    if (!is_connector(r0)) {
      r0 = uc::to_upper(r0);
      break;
    }
    gl::append_utf8(out, r0);
  }
  if (i >= s.size()) {
    if (size != 0) gl::append_utf8(out, r0);
    return out;
  }
  while (i < s.size()) {
    char32_t r1 = r0;
    std::tie(r0, size) = uc::decode(s, i);
    i += size;
    if (is_connector(r0) && is_connector(r1)) {
      gl::append_utf8(out, r1);
      continue;
    }
    if (is_connector(r1)) {
      r0 = uc::to_upper(r0);
    } else {
      r0 = uc::to_lower(r0);
      gl::append_utf8(out, r1);
    }
  }
  gl::append_utf8(out, r0);
  return out;
}

// ----- lists -----

[[noreturn]] void nil_deref() { fail("runtime error: invalid memory address or nil pointer dereference"); }

/// The elements of a slice argument (Sprig's reflect-based list functions); nil panics in Go
/// (reflect.TypeOf(nil).Kind()), other kinds give `error` with the kind name.
List list_items(const Value& v, const std::string& error_prefix, const std::string& error_suffix = "") {
  if (v.is_nil()) nil_deref();
  if (v.kind() == Kind::kList) return v.as_list();
  if (v.go_type() == GoType::kBytes) {
    List out;
    for (unsigned char c : v.as_string()) out.push_back(go_int(c));
    return out;
  }
  fail(error_prefix + convert::kind_name(v) + error_suffix);
}

Value iface_list(List items) { return Value::list(std::move(items)); }

bool in_list(const List& haystack, const Value& needle) {
  return std::any_of(haystack.begin(), haystack.end(), [&](const Value& h) { return convert::deep_equal(needle, h); });
}

Value chunk(int64_t size, const Value& list) {
  List items = list_items(list, "Cannot chunk type ");
  const auto l = static_cast<int64_t>(items.size());
  // Go computes the chunk count in float64: a zero or negative size makes an impossible length.
  double count = std::floor(static_cast<double>(l - 1) / static_cast<double>(size)) + 1;
  if (!(count >= 0) || count > static_cast<double>(kMaxElements)) fail("runtime error: makeslice: len out of range");
  const auto cs = static_cast<int64_t>(count);
  List out;
  for (int64_t i = 0; i < cs; ++i) {
    int64_t clen = size;
    if (i == cs - 1) {
      clen = l % size;
      if (clen == 0) clen = size;
    }
    if (clen < 0) fail("runtime error: makeslice: len out of range");
    List part;
    for (int64_t j = 0; j < clen; ++j) part.push_back(items[static_cast<size_t>(i * size + j)]);
    out.push_back(iface_list(std::move(part)));
  }
  return iface_list(std::move(out));
}

Value slice(const Value& list, Args indices) {
  if (list.is_nil()) nil_deref();
  if (!convert::is_slice(list)) fail("list should be type of slice or array but " + convert::kind_name(list));
  List items = list_items(list, "");
  const auto l = static_cast<int64_t>(items.size());
  if (l == 0) return Value::nil();
  int64_t start = indices.empty() ? 0 : convert::to_int64(indices[0]);
  int64_t end = indices.size() < 2 ? l : convert::to_int64(indices[1]);
  if (start < 0 || end < start || end > l) fail("reflect.Value.Slice: slice index out of bounds");
  List out(items.begin() + start, items.begin() + end);
  return Value::list(std::move(out), list.kind() == Kind::kList ? list.go_type() : GoType::kIfaceList);
}

std::vector<int64_t> until_step(int64_t start, int64_t stop, int64_t step) {
  std::vector<int64_t> v;
  auto push = [&v](int64_t i) {
    if (v.size() >= kMaxElements) fail("untilStep: too many elements");
    v.push_back(i);
  };
  if (stop < start) {
    if (step >= 0) return v;
    for (int64_t i = start; i > stop; i += step) push(i);
    return v;
  }
  if (step <= 0) return v;
  for (int64_t i = start; i < stop; i += step) {
    push(i);
    if (i > std::numeric_limits<int64_t>::max() - step) break;
  }
  return v;
}

Value int_list(const std::vector<int64_t>& v) {
  List out;
  out.reserve(v.size());
  for (int64_t i : v) out.push_back(go_int(i));
  return iface_list(std::move(out));
}

std::string join_ints(const std::vector<int64_t>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ' ';
    out += std::to_string(v[i]);
  }
  return out;
}

std::string seq(Args args) {
  std::vector<int64_t> p;
  for (size_t i = 0; i < args.size(); ++i) p.push_back(convert::arg_int(args, i));
  switch (p.size()) {
    case 1: {
      int64_t inc = p[0] < 1 ? -1 : 1;
      return join_ints(until_step(1, p[0] + inc, inc));
    }
    case 2: {
      int64_t step = p[1] < p[0] ? -1 : 1;
      return join_ints(until_step(p[0], p[1] + step, step));
    }
    case 3: {
      int64_t inc = 1;
      if (p[2] < p[0]) {
        inc = -1;
        if (p[1] > 0) return "";
      }
      return join_ints(until_step(p[0], p[2] + inc, p[1]));
    }
    default:
      return "";
  }
}

// ----- dicts -----

void mergo_merge(Map& dst, const Map& src, bool overwrite) {
  for (const auto& [key, s] : src) {
    auto it = dst.find(key);
    const bool has_dst = it != dst.end();
    if (s.is_nil()) {
      if (overwrite) dst[key] = s;
      continue;
    }
    if (s.kind() == Kind::kMap) {
      if (has_dst && it->second.kind() == Kind::kMap) mergo_merge(*it->second.map_ptr(), s.as_map(), overwrite);
      if (has_dst && !convert::empty(it->second)) continue;
      dst[key] = s;
      continue;
    }
    if (s.kind() == Kind::kList) {
      if (has_dst && !convert::empty(it->second)) {
        if (overwrite) it->second = s;
        continue;
      }
      dst[key] = s;
      continue;
    }
    if (overwrite || !has_dst || convert::empty(it->second)) dst[key] = s;
  }
}

Value merge(Args args, bool overwrite) {
  std::shared_ptr<Map> dst = convert::arg_map(args, 0);
  std::vector<std::shared_ptr<Map>> srcs;
  for (size_t i = 1; i < args.size(); ++i) srcs.push_back(convert::arg_map(args, i));
  for (const auto& src : srcs) {
    if (!src) continue;
    if (!dst) dst = std::make_shared<Map>();
    mergo_merge(*dst, *src, overwrite);
  }
  if (!dst) return Value::map(Map{});
  return Value::map_ref(dst);
}

const Map& map_or_empty(const std::shared_ptr<Map>& m) {
  static const Map kEmpty;
  return m ? *m : kEmpty;
}

[[noreturn]] void interface_conversion(const Value& v, const char* want) {
  fail(std::string("interface conversion: interface {} is ") + (v.is_nil() ? "nil" : v.type_name()) + ", not " + want);
}

Value dig(Args args) {
  if (args.size() < 3) fail("dig needs at least three arguments");
  const Value& last = args.back();
  if (last.go_type() != GoType::kMap) interface_conversion(last, "map[string]interface {}");
  const Value& def_value = args[args.size() - 2];
  std::vector<std::string> keys;
  for (size_t i = 0; i + 2 < args.size(); ++i) {
    if (args[i].go_type() != GoType::kString) interface_conversion(args[i], "string");
    keys.push_back(args[i].as_string());
  }
  const Map* m = &last.as_map();
  for (size_t i = 0; i < keys.size(); ++i) {
    auto it = m->find(keys[i]);
    if (it == m->end()) return def_value;
    if (i + 1 == keys.size()) return it->second;
    if (it->second.go_type() != GoType::kMap) interface_conversion(it->second, "map[string]interface {}");
    m = &it->second.as_map();
  }
  return def_value;
}

// ----- math -----

/// shopspring/decimal: an exact decimal coefficient * 10^exp, as Sprig's *f functions compute with.
class Decimal {
 public:
  /// decimal.NewFromFloat: the shortest decimal that round-trips.
  static Decimal from_float(double f) {
    if (std::isnan(f)) fail("Cannot create a Decimal from NaN");
    if (std::isinf(f)) fail(f > 0 ? "Cannot create a Decimal from +Inf" : "Cannot create a Decimal from -Inf");
    Decimal d;
    if (f == 0) return d;
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof(buf), f, std::chars_format::scientific);  // shortest: -d.ddde±XX
    std::string e(buf, res.ptr);
    size_t i = 0;
    if (e[i] == '-') {
      d.neg_ = true;
      ++i;
    }
    size_t epos = e.find('e');
    std::string mant;
    int frac_digits = 0;
    bool after_dot = false;
    for (size_t j = i; j < epos; ++j) {
      if (e[j] == '.') {
        after_dot = true;
      } else {
        mant += e[j];
        if (after_dot) ++frac_digits;
      }
    }
    d.digits_ = strip(mant);
    d.exp_ = std::stoi(e.substr(epos + 1)) - frac_digits;
    return d;
  }

  Decimal add(const Decimal& o, bool subtract) const {
    int e = std::min(exp_, o.exp_);
    std::string a = scaled(exp_ - e);
    std::string b = o.scaled(o.exp_ - e);
    bool bneg = subtract ? !o.neg_ : o.neg_;
    Decimal r;
    r.exp_ = e;
    if (neg_ == bneg) {
      r.digits_ = add_digits(a, b);
      r.neg_ = neg_;
    } else if (cmp(a, b) >= 0) {
      r.digits_ = sub_digits(a, b);
      r.neg_ = neg_;
    } else {
      r.digits_ = sub_digits(b, a);
      r.neg_ = bneg;
    }
    if (r.digits_ == "0") r.neg_ = false;
    return r;
  }

  Decimal mul(const Decimal& o) const {
    Decimal r;
    r.digits_ = mul_digits(digits_, o.digits_);
    r.exp_ = exp_ + o.exp_;
    r.neg_ = r.digits_ != "0" && neg_ != o.neg_;
    return r;
  }

  /// Decimal.Div: DivRound(d2, 16), halves rounded away from zero.
  Decimal div(const Decimal& o) const {
    if (o.digits_ == "0") fail("decimal division by 0");
    constexpr int kPrecision = 16;
    // q = trunc(a*10^ea / (b*10^eb) * 10^16), as an integer scaled by 10^-16.
    int e = exp_ - o.exp_ + kPrecision;
    std::string num = digits_;
    std::string den = o.digits_;
    if (e >= 0) {
      num += std::string(static_cast<size_t>(e), '0');
    } else {
      den += std::string(static_cast<size_t>(-e), '0');
    }
    auto [q, r] = divmod(strip(num), strip(den));
    // Round: compare 2*r with the divisor.
    std::string r2 = add_digits(r, r);
    Decimal out;
    out.exp_ = -kPrecision;
    out.digits_ = q;
    if (cmp(r2, strip(den)) >= 0) out.digits_ = add_digits(q, "1");
    out.neg_ = out.digits_ != "0" && neg_ != o.neg_;
    return out;
  }

  /// Decimal.Float64: the nearest float64.
  double to_float() const {
    std::string s = (neg_ ? "-" : "") + digits_ + "e" + std::to_string(exp_);
    return convert::parse_float(s).value_or(neg_ ? -std::numeric_limits<double>::infinity()
                                                 : std::numeric_limits<double>::infinity());
  }

 private:
  static std::string strip(const std::string& s) {
    size_t i = s.find_first_not_of('0');
    return i == std::string::npos ? "0" : s.substr(i);
  }
  std::string scaled(int zeros) const {
    if (digits_ == "0") return "0";
    return digits_ + std::string(static_cast<size_t>(zeros), '0');
  }
  static int cmp(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  }
  static std::string add_digits(const std::string& a, const std::string& b) {
    std::string out;
    int carry = 0;
    for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
      int d = carry;
      if (i < a.size()) d += a[a.size() - 1 - i] - '0';
      if (i < b.size()) d += b[b.size() - 1 - i] - '0';
      out += static_cast<char>('0' + d % 10);
      carry = d / 10;
    }
    std::reverse(out.begin(), out.end());
    return strip(out);
  }
  static std::string sub_digits(const std::string& a, const std::string& b) {  // a >= b
    std::string out;
    int borrow = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      int d = a[a.size() - 1 - i] - '0' - borrow;
      if (i < b.size()) d -= b[b.size() - 1 - i] - '0';
      borrow = d < 0 ? 1 : 0;
      out += static_cast<char>('0' + d + 10 * borrow);
    }
    std::reverse(out.begin(), out.end());
    return strip(out);
  }
  static std::string mul_digits(const std::string& a, const std::string& b) {
    std::vector<int> acc(a.size() + b.size(), 0);
    for (size_t i = 0; i < a.size(); ++i) {
      for (size_t j = 0; j < b.size(); ++j) {
        acc[i + j + 1] += (a[i] - '0') * (b[j] - '0');
      }
    }
    for (size_t k = acc.size() - 1; k > 0; --k) {
      acc[k - 1] += acc[k] / 10;
      acc[k] %= 10;
    }
    std::string out;
    for (int d : acc) out += static_cast<char>('0' + d);
    return strip(out);
  }
  static std::pair<std::string, std::string> divmod(const std::string& a, const std::string& b) {
    std::string q;
    std::string r = "0";
    for (char c : a) {
      r = strip(r + c);
      int d = 0;
      while (cmp(r, b) >= 0) {
        r = sub_digits(r, b);
        ++d;
      }
      q += static_cast<char>('0' + d);
    }
    return {strip(q), r};
  }

  bool neg_ = false;
  std::string digits_ = "0";
  int exp_ = 0;
};

enum class DecOp { kAdd, kSub, kMul, kDiv };

double decimal_op(const Value& first, Args rest, DecOp op) {
  Decimal acc = Decimal::from_float(convert::to_float64(first));
  for (const Value& v : rest) {
    Decimal d = Decimal::from_float(convert::to_float64(v));
    switch (op) {
      case DecOp::kAdd:
        acc = acc.add(d, false);
        break;
      case DecOp::kSub:
        acc = acc.add(d, true);
        break;
      case DecOp::kMul:
        acc = acc.mul(d);
        break;
      case DecOp::kDiv:
        acc = acc.div(d);
        break;
    }
  }
  return acc.to_float();
}

int64_t wrap_add(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

int64_t wrap_mul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}

int64_t go_div(int64_t a, int64_t b) {
  if (b == 0) fail("runtime error: integer divide by zero");
  if (b == -1) return static_cast<int64_t>(0 - static_cast<uint64_t>(a));
  return a / b;
}

int64_t go_mod(int64_t a, int64_t b) {
  if (b == 0) fail("runtime error: integer divide by zero");
  if (b == -1) return 0;
  return a % b;
}

/// A float64 parameter: float values, and integer constants (Go converts those).
double arg_float(Args args, size_t i) {
  if (args[i].go_type() == GoType::kFloat64) return args[i].as_float();
  if (args[i].go_type() == GoType::kInt) return static_cast<double>(args[i].as_int());
  convert::wrong_type(args[i], "float64");
}

double go_round(const Value& a, int64_t places, double round_on) {
  double val = convert::to_float64(a);
  double pow = std::pow(10.0, static_cast<double>(places));
  double digit = pow * val;
  double int_part = 0;
  double frac = std::modf(digit, &int_part);
  double r = frac >= round_on ? std::ceil(digit) : std::floor(digit);
  return r / pow;
}

// ----- registration -----

void add_strings(FuncMap& f) {
  using convert::arg_int;
  using convert::arg_string;
  def(f, "hello", 0, 0, [](Args) { return str("Hello!"); });
  def(f, "abbrev", 2, 2, [](Args a) {
    int64_t width = arg_int(a, 0);
    const std::string& s = arg_string(a, 1);
    if (width < 4) return str(s);
    return str(abbreviate_full(s, 0, width).value_or(""));
  });
  def(f, "abbrevboth", 3, 3, [](Args a) {
    int64_t left = arg_int(a, 0);
    int64_t right = arg_int(a, 1);
    const std::string& s = arg_string(a, 2);
    if (right < 4 || (left > 0 && right < 7)) return str(s);
    return str(abbreviate_full(s, left, right).value_or(""));
  });
  def(f, "trunc", 2, 2, [](Args a) { return str(trunc(arg_int(a, 0), arg_string(a, 1))); });
  def(f, "trim", 1, 1, [](Args a) { return str(trim_space(arg_string(a, 0))); });
  def(f, "upper", 1, 1, [](Args a) { return str(go_to_upper(arg_string(a, 0))); });
  def(f, "lower", 1, 1, [](Args a) { return str(go_to_lower(arg_string(a, 0))); });
  def(f, "title", 1, 1, [](Args a) { return str(go_title(arg_string(a, 0))); });
  def(f, "untitle", 1, 1, [](Args a) { return str(untitle(arg_string(a, 0))); });
  def(f, "substr", 3, 3, [](Args a) { return str(substr(arg_int(a, 0), arg_int(a, 1), arg_string(a, 2))); });
  def(f, "repeat", 2, 2, [](Args a) { return str(repeat(arg_string(a, 1), arg_int(a, 0))); });
  auto trim_all = [](Args a) { return str(trim_cutset(arg_string(a, 1), arg_string(a, 0))); };
  def(f, "trimall", 2, 2, trim_all);
  def(f, "trimAll", 2, 2, trim_all);
  def(f, "trimSuffix", 2, 2, [](Args a) {
    const std::string& suffix = arg_string(a, 0);
    const std::string& s = arg_string(a, 1);
    return str(s.ends_with(suffix) ? s.substr(0, s.size() - suffix.size()) : s);
  });
  def(f, "trimPrefix", 2, 2, [](Args a) {
    const std::string& prefix = arg_string(a, 0);
    const std::string& s = arg_string(a, 1);
    return str(s.starts_with(prefix) ? s.substr(prefix.size()) : s);
  });
  def(f, "nospace", 1, 1, [](Args a) { return str(nospace(arg_string(a, 0))); });
  def(f, "initials", 1, 1, [](Args a) { return str(initials(arg_string(a, 0))); });
  def(f, "swapcase", 1, 1, [](Args a) { return str(swapcase(arg_string(a, 0))); });
  def(f, "snakecase", 1, 1, [](Args a) { return str(camel_to_lower(arg_string(a, 0), '_')); });
  def(f, "kebabcase", 1, 1, [](Args a) { return str(camel_to_lower(arg_string(a, 0), '-')); });
  def(f, "camelcase", 1, 1, [](Args a) { return str(camelcase(arg_string(a, 0))); });
  def(f, "wrap", 2, 2, [](Args a) { return str(wrap_custom(arg_string(a, 1), arg_int(a, 0), "", false)); });
  def(f, "wrapWith", 3, 3,
      [](Args a) { return str(wrap_custom(arg_string(a, 2), arg_int(a, 0), arg_string(a, 1), true)); });
  def(f, "contains", 2, 2,
      [](Args a) { return Value::boolean(arg_string(a, 1).find(arg_string(a, 0)) != std::string::npos); });
  def(f, "hasPrefix", 2, 2, [](Args a) { return Value::boolean(arg_string(a, 1).starts_with(arg_string(a, 0))); });
  def(f, "hasSuffix", 2, 2, [](Args a) { return Value::boolean(arg_string(a, 1).ends_with(arg_string(a, 0))); });
  def(f, "quote", 0, -1, [](Args a) {
    std::string out;
    bool first = true;
    for (const Value& v : a) {
      if (v.is_nil()) continue;
      if (!first) out += ' ';
      first = false;
      Value s = str(convert::strval(v));
      out += gotemplate::gofmt::sprintf("%q", std::span<const Value>(&s, 1));
    }
    return str(out);
  });
  def(f, "squote", 0, -1, [](Args a) {
    std::string out;
    bool first = true;
    for (const Value& v : a) {
      if (v.is_nil()) continue;
      if (!first) out += ' ';
      first = false;
      out += "'" + gotemplate::gofmt::format_value(v) + "'";
    }
    return str(out);
  });
  def(f, "cat", 0, -1, [](Args a) {
    std::string out;
    bool first = true;
    for (const Value& v : a) {
      if (v.is_nil()) continue;
      if (!first) out += ' ';
      first = false;
      out += gotemplate::gofmt::format_value(v);
    }
    return str(out);
  });
  def(f, "indent", 2, 2, [](Args a) { return str(indent(arg_int(a, 0), arg_string(a, 1))); });
  def(f, "nindent", 2, 2, [](Args a) { return str("\n" + indent(arg_int(a, 0), arg_string(a, 1))); });
  def(f, "replace", 3, 3,
      [](Args a) { return str(replace_all(arg_string(a, 2), arg_string(a, 0), arg_string(a, 1))); });
  def(f, "plural", 3, 3, [](Args a) {
    const std::string& one = arg_string(a, 0);
    const std::string& many = arg_string(a, 1);
    return str(arg_int(a, 2) == 1 ? one : many);
  });
  def(f, "toString", 1, 1, [](Args a) { return str(convert::strval(a[0])); });
  def(f, "split", 2, 2, [](Args a) { return split_map(split_n(arg_string(a, 1), arg_string(a, 0), -1)); });
  def(f, "splitList", 2, 2,
      [](Args a) { return convert::string_list(split_n(arg_string(a, 1), arg_string(a, 0), -1)); });
  def(f, "splitn", 3, 3, [](Args a) {
    const std::string& sep = arg_string(a, 0);
    int64_t n = arg_int(a, 1);
    return split_map(split_n(arg_string(a, 2), sep, n));
  });
  def(f, "toStrings", 1, 1, [](Args a) { return convert::string_list(convert::to_strings(a[0])); });
  def(f, "join", 2, 2, [](Args a) {
    const std::string& sep = arg_string(a, 0);
    std::string out;
    bool first = true;
    for (const auto& s : convert::to_strings(a[1])) {
      if (!first) out += sep;
      first = false;
      out += s;
    }
    return str(out);
  });
  def(f, "sortAlpha", 1, 1, [](Args a) {
    if (!convert::is_slice(a[0])) return convert::string_list({convert::strval(a[0])});
    auto items = convert::to_strings(a[0]);
    std::sort(items.begin(), items.end());
    return convert::string_list(items);
  });
}

void add_math(FuncMap& f) {
  using convert::arg_int;
  using convert::to_float64;
  using convert::to_int64;
  def(f, "atoi", 1, 1, [](Args a) { return go_int(convert::atoi(convert::arg_string(a, 0))); });
  def(f, "int64", 1, 1, [](Args a) { return i64(to_int64(a[0])); });
  def(f, "int", 1, 1, [](Args a) { return go_int(to_int64(a[0])); });
  def(f, "float64", 1, 1, [](Args a) { return Value::floating(to_float64(a[0])); });
  def(f, "seq", 0, -1, [](Args a) { return str(seq(a)); });
  def(f, "toDecimal", 1, 1,
      [](Args a) { return i64(convert::parse_int(gotemplate::gofmt::format_value(a[0]), 8).value_or(0)); });
  def(f, "until", 1, 1, [](Args a) {
    int64_t count = arg_int(a, 0);
    return int_list(until_step(0, count, count < 0 ? -1 : 1));
  });
  def(f, "untilStep", 3, 3, [](Args a) { return int_list(until_step(arg_int(a, 0), arg_int(a, 1), arg_int(a, 2))); });
  def(f, "add1", 1, 1, [](Args a) { return i64(wrap_add(to_int64(a[0]), 1)); });
  def(f, "add", 0, -1, [](Args a) {
    int64_t sum = 0;
    for (const Value& v : a) sum = wrap_add(sum, to_int64(v));
    return i64(sum);
  });
  def(f, "sub", 2, 2, [](Args a) { return i64(wrap_add(to_int64(a[0]), wrap_mul(to_int64(a[1]), -1))); });
  def(f, "div", 2, 2, [](Args a) { return i64(go_div(to_int64(a[0]), to_int64(a[1]))); });
  def(f, "mod", 2, 2, [](Args a) { return i64(go_mod(to_int64(a[0]), to_int64(a[1]))); });
  def(f, "mul", 1, -1, [](Args a) {
    int64_t product = to_int64(a[0]);
    for (size_t i = 1; i < a.size(); ++i) product = wrap_mul(product, to_int64(a[i]));
    return i64(product);
  });
  def(f, "add1f", 1, 1, [](Args a) {
    Value one = go_int(1);
    return Value::floating(decimal_op(a[0], std::span<const Value>(&one, 1), DecOp::kAdd));
  });
  def(f, "addf", 0, -1, [](Args a) { return Value::floating(decimal_op(Value::floating(0), a, DecOp::kAdd)); });
  def(f, "subf", 1, -1, [](Args a) { return Value::floating(decimal_op(a[0], a.subspan(1), DecOp::kSub)); });
  def(f, "mulf", 1, -1, [](Args a) { return Value::floating(decimal_op(a[0], a.subspan(1), DecOp::kMul)); });
  def(f, "divf", 1, -1, [](Args a) { return Value::floating(decimal_op(a[0], a.subspan(1), DecOp::kDiv)); });
  auto max_fn = [](Args a) {
    int64_t m = to_int64(a[0]);
    for (size_t i = 1; i < a.size(); ++i) m = std::max(m, to_int64(a[i]));
    return i64(m);
  };
  def(f, "biggest", 1, -1, max_fn);
  def(f, "max", 1, -1, max_fn);
  def(f, "min", 1, -1, [](Args a) {
    int64_t m = to_int64(a[0]);
    for (size_t i = 1; i < a.size(); ++i) m = std::min(m, to_int64(a[i]));
    return i64(m);
  });
  // math.Max / math.Min: NaN wins, and +0 beats -0 (Max) or -0 beats +0 (Min).
  def(f, "maxf", 1, -1, [](Args a) {
    double m = to_float64(a[0]);
    for (size_t i = 1; i < a.size(); ++i) {
      double b = to_float64(a[i]);
      if (std::isinf(m) && m > 0) continue;
      if (std::isinf(b) && b > 0) {
        m = b;
      } else if (std::isnan(m) || std::isnan(b)) {
        m = std::numeric_limits<double>::quiet_NaN();
      } else if (m == 0 && b == 0) {
        m = std::signbit(m) ? b : m;
      } else if (b > m) {
        m = b;
      }
    }
    return Value::floating(m);
  });
  def(f, "minf", 1, -1, [](Args a) {
    double m = to_float64(a[0]);
    for (size_t i = 1; i < a.size(); ++i) {
      double b = to_float64(a[i]);
      if (std::isinf(m) && m < 0) continue;
      if (std::isinf(b) && b < 0) {
        m = b;
      } else if (std::isnan(m) || std::isnan(b)) {
        m = std::numeric_limits<double>::quiet_NaN();
      } else if (m == 0 && b == 0) {
        m = std::signbit(m) ? m : b;
      } else if (b < m) {
        m = b;
      }
    }
    return Value::floating(m);
  });
  def(f, "ceil", 1, 1, [](Args a) { return Value::floating(std::ceil(to_float64(a[0]))); });
  def(f, "floor", 1, 1, [](Args a) { return Value::floating(std::floor(to_float64(a[0]))); });
  def(f, "round", 2, -1, [](Args a) {
    int64_t places = arg_int(a, 1);
    double round_on = a.size() > 2 ? arg_float(a, 2) : 0.5;
    for (size_t i = 3; i < a.size(); ++i) arg_float(a, i);
    return Value::floating(go_round(a[0], places, round_on));
  });
}

void add_defaults(FuncMap& f) {
  def(f, "default", 1, -1, [](Args a) {
    if (a.size() < 2 || convert::empty(a[1])) return a[0];
    return a[1];
  });
  def(f, "empty", 1, 1, [](Args a) { return Value::boolean(convert::empty(a[0])); });
  def(f, "coalesce", 0, -1, [](Args a) {
    for (const Value& v : a) {
      if (!convert::empty(v)) return v;
    }
    return Value::nil();
  });
  def(f, "all", 0, -1, [](Args a) {
    return Value::boolean(std::none_of(a.begin(), a.end(), [](const Value& v) { return convert::empty(v); }));
  });
  def(f, "any", 0, -1, [](Args a) {
    return Value::boolean(std::any_of(a.begin(), a.end(), [](const Value& v) { return !convert::empty(v); }));
  });
  auto compact = [](Args a) {
    List out;
    for (const Value& v : list_items(a[0], "Cannot compact on type ")) {
      if (!convert::empty(v)) out.push_back(v);
    }
    return iface_list(std::move(out));
  };
  def(f, "compact", 1, 1, compact);
  def(f, "mustCompact", 1, 1, compact);
  def(f, "ternary", 3, 3, [](Args a) { return convert::arg_bool(a, 2) ? a[0] : a[1]; });
  auto deep_copy = [](Args a) {
    if (a[0].is_nil()) fail("reflect: call of reflect.Value.Type on zero Value");
    return convert::deep_copy(a[0]);
  };
  def(f, "deepCopy", 1, 1, deep_copy);
  def(f, "mustDeepCopy", 1, 1, deep_copy);
}

void add_reflection(FuncMap& f) {
  def(f, "typeOf", 1, 1, [](Args a) { return str(a[0].type_name()); });
  def(f, "typeIs", 2, 2, [](Args a) { return Value::boolean(convert::arg_string(a, 0) == a[1].type_name()); });
  def(f, "typeIsLike", 2, 2, [](Args a) {
    const std::string& target = convert::arg_string(a, 0);
    std::string t = a[1].type_name();
    return Value::boolean(target == t || "*" + target == t);
  });
  def(f, "kindOf", 1, 1, [](Args a) { return str(convert::kind_name(a[0])); });
  def(f, "kindIs", 2, 2, [](Args a) { return Value::boolean(convert::arg_string(a, 0) == convert::kind_name(a[1])); });
  def(f, "deepEqual", 2, 2, [](Args a) { return Value::boolean(convert::deep_equal(a[0], a[1])); });
}

void add_lists(FuncMap& f) {
  auto list = [](Args a) { return iface_list(List(a.begin(), a.end())); };
  def(f, "list", 0, -1, list);
  def(f, "tuple", 0, -1, list);
  auto push = [](Args a) {
    List out = list_items(a[0], "Cannot push on type ");
    out.push_back(a[1]);
    return iface_list(std::move(out));
  };
  for (const char* name : {"append", "push", "mustAppend", "mustPush"}) def(f, name, 2, 2, push);
  auto prepend = [](Args a) {
    List out = list_items(a[0], "Cannot prepend on type ");
    out.insert(out.begin(), a[1]);
    return iface_list(std::move(out));
  };
  for (const char* name : {"prepend", "mustPrepend"}) def(f, name, 2, 2, prepend);
  auto first = [](Args a) {
    List items = list_items(a[0], "Cannot find first on type ");
    return items.empty() ? Value::nil() : items.front();
  };
  for (const char* name : {"first", "mustFirst"}) def(f, name, 1, 1, first);
  auto last = [](Args a) {
    List items = list_items(a[0], "Cannot find last on type ");
    return items.empty() ? Value::nil() : items.back();
  };
  for (const char* name : {"last", "mustLast"}) def(f, name, 1, 1, last);
  auto rest = [](Args a) {
    List items = list_items(a[0], "Cannot find rest on type ");
    if (!items.empty()) items.erase(items.begin());
    return iface_list(std::move(items));
  };
  for (const char* name : {"rest", "mustRest"}) def(f, name, 1, 1, rest);
  auto initial = [](Args a) {
    List items = list_items(a[0], "Cannot find initial on type ");
    if (!items.empty()) items.pop_back();
    return iface_list(std::move(items));
  };
  for (const char* name : {"initial", "mustInitial"}) def(f, name, 1, 1, initial);
  auto reverse = [](Args a) {
    List items = list_items(a[0], "Cannot find reverse on type ");
    std::reverse(items.begin(), items.end());
    return iface_list(std::move(items));
  };
  for (const char* name : {"reverse", "mustReverse"}) def(f, name, 1, 1, reverse);
  auto uniq = [](Args a) {
    List out;
    for (const Value& v : list_items(a[0], "Cannot find uniq on type ")) {
      if (!in_list(out, v)) out.push_back(v);
    }
    return iface_list(std::move(out));
  };
  for (const char* name : {"uniq", "mustUniq"}) def(f, name, 1, 1, uniq);
  auto without = [](Args a) {
    List omit(a.begin() + 1, a.end());
    List out;
    for (const Value& v : list_items(a[0], "Cannot find without on type ")) {
      if (!in_list(omit, v)) out.push_back(v);
    }
    return iface_list(std::move(out));
  };
  for (const char* name : {"without", "mustWithout"}) def(f, name, 1, -1, without);
  auto has = [](Args a) {
    if (a[1].is_nil()) return Value::boolean(false);
    return Value::boolean(in_list(list_items(a[1], "Cannot find has on type "), a[0]));
  };
  for (const char* name : {"has", "mustHas"}) def(f, name, 2, 2, has);
  auto slice_fn = [](Args a) { return slice(a[0], a.subspan(1)); };
  for (const char* name : {"slice", "mustSlice"}) def(f, name, 1, -1, slice_fn);
  def(f, "concat", 0, -1, [](Args a) {
    List out;
    for (const Value& v : a) {
      List items = list_items(v, "Cannot concat type ", " as list");
      out.insert(out.end(), items.begin(), items.end());
    }
    return iface_list(std::move(out));
  });
  auto chunk_fn = [](Args a) { return chunk(convert::arg_int(a, 0), a[1]); };
  for (const char* name : {"chunk", "mustChunk"}) def(f, name, 2, 2, chunk_fn);
}

void add_dicts(FuncMap& f) {
  using convert::arg_map;
  using convert::arg_string;
  def(f, "dict", 0, -1, [](Args a) {
    Map m;
    for (size_t i = 0; i < a.size(); i += 2) {
      m[convert::strval(a[i])] = i + 1 < a.size() ? a[i + 1] : str("");
    }
    return Value::map(std::move(m));
  });
  def(f, "get", 2, 2, [](Args a) {
    const Map& m = map_or_empty(arg_map(a, 0));
    auto it = m.find(arg_string(a, 1));
    return it == m.end() ? str("") : it->second;
  });
  def(f, "set", 3, 3, [](Args a) {
    auto m = arg_map(a, 0);
    const std::string& key = arg_string(a, 1);
    if (!m) fail("assignment to entry in nil map");
    (*m)[key] = a[2];
    return Value::map_ref(m);
  });
  def(f, "unset", 2, 2, [](Args a) {
    auto m = arg_map(a, 0);
    const std::string& key = arg_string(a, 1);
    if (!m) return Value::map(Map{});
    auto it = m->find(key);
    if (it != m->end()) m->erase(it);
    return Value::map_ref(m);
  });
  def(f, "hasKey", 2, 2, [](Args a) {
    const Map& m = map_or_empty(arg_map(a, 0));
    return Value::boolean(m.find(arg_string(a, 1)) != m.end());
  });
  def(f, "pluck", 1, -1, [](Args a) {
    const std::string& key = arg_string(a, 0);
    List out;
    for (size_t i = 1; i < a.size(); ++i) {
      const Map& m = map_or_empty(arg_map(a, i));
      auto it = m.find(key);
      if (it != m.end()) out.push_back(it->second);
    }
    return iface_list(std::move(out));
  });
  // Go's map order is random; keys come out sorted per map here.
  def(f, "keys", 0, -1, [](Args a) {
    std::vector<std::string> out;
    for (size_t i = 0; i < a.size(); ++i) {
      for (const auto& [k, v] : map_or_empty(arg_map(a, i))) out.push_back(k);
    }
    return convert::string_list(out);
  });
  def(f, "pick", 1, -1, [](Args a) {
    const Map& m = map_or_empty(arg_map(a, 0));
    Map out;
    for (size_t i = 1; i < a.size(); ++i) {
      auto it = m.find(arg_string(a, i));
      if (it != m.end()) out[it->first] = it->second;
    }
    return Value::map(std::move(out));
  });
  def(f, "omit", 1, -1, [](Args a) {
    const Map& m = map_or_empty(arg_map(a, 0));
    std::vector<std::string> omit;
    for (size_t i = 1; i < a.size(); ++i) omit.push_back(arg_string(a, i));
    Map out;
    for (const auto& [k, v] : m) {
      if (std::find(omit.begin(), omit.end(), k) == omit.end()) out.emplace(k, v);
    }
    return Value::map(std::move(out));
  });
  def(f, "values", 1, 1, [](Args a) {
    List out;
    for (const auto& [k, v] : map_or_empty(arg_map(a, 0))) out.push_back(v);
    return iface_list(std::move(out));
  });
  auto merge_fn = [](Args a) { return merge(a, false); };
  auto merge_overwrite_fn = [](Args a) { return merge(a, true); };
  def(f, "merge", 1, -1, merge_fn);
  def(f, "mustMerge", 1, -1, merge_fn);
  def(f, "mergeOverwrite", 1, -1, merge_overwrite_fn);
  def(f, "mustMergeOverwrite", 1, -1, merge_overwrite_fn);
  def(f, "dig", 0, -1, dig);
}

/// The Go parameter types of the functions above whose parameters are not all interface {} (Sprig's
/// signatures): text/template checks and converts the arguments against them before the call.
void add_signatures(FuncMap& f) {
  using P = gotemplate::ParamType;
  using gotemplate::set_params;
  set_params(f, {"trim", "upper", "lower", "title", "untitle", "nospace", "initials", "atoi"}, {P::kString});
  set_params(f, {"swapcase", "snakecase", "camelcase", "kebabcase"}, {P::kString});
  set_params(f, {"trunc", "repeat", "wrap", "indent", "nindent", "abbrev"}, {P::kInt, P::kString});
  set_params(f, {"abbrevboth", "substr"}, {P::kInt, P::kInt, P::kString});
  set_params(f, {"trimall", "trimAll", "trimSuffix", "trimPrefix"}, {P::kString, P::kString});
  set_params(f, {"contains", "hasPrefix", "hasSuffix", "split", "splitList"}, {P::kString, P::kString});
  set_params(f, {"wrapWith"}, {P::kInt, P::kString, P::kString});
  set_params(f, {"replace"}, {P::kString, P::kString, P::kString});
  set_params(f, {"plural"}, {P::kString, P::kString, P::kInt});
  set_params(f, {"splitn"}, {P::kString, P::kInt, P::kString});
  set_params(f, {"join", "typeIs", "typeIsLike", "kindIs"}, {P::kString, P::kAny});
  set_params(f, {"seq"}, {P::kInt});
  set_params(f, {"until"}, {P::kInt});
  set_params(f, {"untilStep"}, {P::kInt, P::kInt, P::kInt});
  set_params(f, {"round"}, {P::kAny, P::kInt, P::kFloat64});
  set_params(f, {"ternary"}, {P::kAny, P::kAny, P::kBool});
  set_params(f, {"chunk", "mustChunk"}, {P::kInt, P::kAny});
  set_params(f, {"get", "unset", "hasKey"}, {P::kMap, P::kString});
  set_params(f, {"set"}, {P::kMap, P::kString, P::kAny});
  set_params(f, {"values"}, {P::kMap});
  set_params(f, {"pluck"}, {P::kString, P::kMap});
  set_params(f, {"keys"}, {P::kMap});
  set_params(f, {"pick", "omit"}, {P::kMap, P::kString});
  set_params(f, {"merge", "mustMerge", "mergeOverwrite", "mustMergeOverwrite"}, {P::kMap, P::kMap});
}

}  // namespace

void add_sprig_core(FuncMap& funcs) {
  add_strings(funcs);
  add_math(funcs);
  add_defaults(funcs);
  add_reflection(funcs);
  add_lists(funcs);
  add_dicts(funcs);
  add_signatures(funcs);
}

}  // namespace gl::render::helm
