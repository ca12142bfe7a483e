// Sprig 3.2.3 beyond strings/lists/dicts/math: encoding, hashes, regular expressions (Go's regexp = RE2), semantic
// versions (Masterminds/semver v3), dates (Go's time formatting), random values (deterministic from the call
// context's seed), paths, URLs, network and crypto. derivePassword and decryptAES are exact, encryptAES is exact
// but for its random IV (seeded); key and certificate generators and bcrypt return fixed, documented
// placeholders: a linter needs their shape, not real key material.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include "core/crypto.h"
#include "core/hash.h"
#include "core/strings.h"
#include "render/helm/funcs/convert.h"
#include "render/helm/funcs/funcs.h"
#include "render/helm/funcs/helm_yaml.h"

namespace gl::render::helm {

using gotemplate::CallContext;
using gotemplate::FuncMap;
using gotemplate::Function;
using gotemplate::GoType;
using gotemplate::Kind;
using gotemplate::List;
using gotemplate::Map;
using gotemplate::Object;
using gotemplate::Value;

namespace {

using Args = std::span<const Value>;

const std::string& sarg(Args a, size_t i) { return convert::arg_string(a, i); }
int64_t iarg(Args a, size_t i) { return convert::arg_int(a, i); }

Value str(std::string s) { return Value::string(std::move(s)); }

// ---------------------------------------------------------------------------------------------------------
// Encoding: Go's encoding/base64 and encoding/base32 (StdEncoding, padded, strict about padding).

constexpr std::string_view kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kB32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string b64_encode(std::string_view in) { return encode_base64(in); }

/// base64.StdEncoding.DecodeString; on error, `err` gets "illegal base64 data at input byte N".
std::string b64_decode(std::string_view src, std::string* err) {
  std::array<int, 256> map{};
  map.fill(-1);
  for (size_t i = 0; i < kB64.size(); ++i) map[static_cast<unsigned char>(kB64[i])] = static_cast<int>(i);
  std::string out;
  size_t si = 0;
  const auto corrupt = [&](size_t at) {
    *err = fmt::format("illegal base64 data at input byte {}", at);
    return out;
  };
  while (si < src.size()) {
    std::array<int, 4> d{};
    size_t dlen = 4;
    bool trailing_error = false;
    size_t trailing_at = 0;
    for (size_t j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return out;
        return corrupt(si - j);
      }
      const auto in = static_cast<unsigned char>(src[si]);
      ++si;
      if (map[in] >= 0) {
        d[j] = map[in];
        continue;
      }
      if (in == '\n' || in == '\r') {
        --j;
        continue;
      }
      if (in != '=') return corrupt(si - 1);
      if (j < 2) return corrupt(si - 1);
      if (j == 2) {
        while (si < src.size() && (src[si] == '\n' || src[si] == '\r')) ++si;
        if (si == src.size()) return corrupt(src.size());
        if (src[si] != '=') return corrupt(si - 1);
        ++si;
      }
      while (si < src.size() && (src[si] == '\n' || src[si] == '\r')) ++si;
      if (si < src.size()) {
        trailing_error = true;
        trailing_at = si;
      }
      dlen = j;
      break;
    }
    const uint32_t val = (static_cast<uint32_t>(d[0]) << 18) | (static_cast<uint32_t>(d[1]) << 12) |
                         (static_cast<uint32_t>(d[2]) << 6) | static_cast<uint32_t>(d[3]);
    if (dlen >= 2) out += static_cast<char>((val >> 16) & 0xFF);
    if (dlen >= 3) out += static_cast<char>((val >> 8) & 0xFF);
    if (dlen >= 4) out += static_cast<char>(val & 0xFF);
    if (trailing_error) return corrupt(trailing_at);
    if (dlen < 4) return out;
  }
  return out;
}

std::string b32_encode(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); i += 5) {
    uint64_t buf = 0;
    const size_t n = std::min<size_t>(5, in.size() - i);
    for (size_t k = 0; k < 5; ++k) buf = (buf << 8) | (k < n ? static_cast<uint8_t>(in[i + k]) : 0U);
    static constexpr size_t kChars[] = {0, 2, 4, 5, 7, 8};
    const size_t chars = kChars[n];
    for (size_t k = 0; k < 8; ++k) out += k < chars ? kB32[(buf >> (35 - 5 * k)) & 0x1F] : '=';
  }
  return out;
}

/// base32.StdEncoding.DecodeString: newlines are removed first and error offsets count bytes of what is left;
/// `err` gets "illegal base32 data at input byte N" where Go's decoder stops (quantum by quantum, byte by byte).
std::string b32_decode(std::string_view raw, std::string* err) {
  std::string src;
  src.reserve(raw.size());
  for (char c : raw) {
    if (c != '\n' && c != '\r') src += c;
  }
  const auto corrupt = [&](size_t at) {
    *err = fmt::format("illegal base32 data at input byte {}", at);
    return std::string();
  };
  const size_t len = src.size();
  std::string out;
  size_t p = 0;  // the next input byte
  bool end = false;
  while (p < len && !end) {
    uint64_t buf = 0;
    size_t dlen = 8;
    for (size_t j = 0; j < 8;) {
      if (p == len) return corrupt(p - j);  // missing padding: Go reports the start of the quantum
      const char c = src[p++];
      const size_t left = len - p;
      if (c == '=' && j >= 2 && left < 8) {
        if (left + j < 7) return corrupt(len);
        for (size_t k = 0; k < 7 - j; ++k) {
          if (left > k && src[p + k] != '=') return corrupt(p + k - 1);
        }
        dlen = j;
        end = true;
        if (dlen == 1 || dlen == 3 || dlen == 6) return corrupt(p - 1);
        break;
      }
      const size_t v = kB32.find(c);
      if (v == std::string_view::npos) return corrupt(p - 1);
      buf |= static_cast<uint64_t>(v) << (35 - 5 * j);
      ++j;
    }
    static constexpr size_t kBytes[] = {0, 0, 1, 0, 2, 3, 0, 4, 5};
    for (size_t k = 0; k < kBytes[dlen]; ++k) out += static_cast<char>((buf >> (32 - 8 * k)) & 0xFF);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Regular expressions: Go's regexp is RE2; the iteration and replacement rules below are Go's.

/// Go's regexp/syntax error text for RE2's error code: "error parsing regexp: missing closing ]: `[`".
std::string go_regexp_error(const RE2& re, const std::string& pattern) {
  std::string code;
  std::string arg = re.error_arg();
  switch (re.error_code()) {
    case RE2::ErrorBadEscape:
      code = "invalid escape sequence";
      break;
    case RE2::ErrorBadCharClass:
      code = "invalid character class";
      break;
    case RE2::ErrorBadCharRange:
      code = "invalid character class range";
      break;
    case RE2::ErrorMissingBracket:
      code = "missing closing ]";
      break;
    case RE2::ErrorMissingParen:
      code = "missing closing )";
      arg = pattern;
      break;
    case RE2::ErrorUnexpectedParen:
      code = "unexpected )";
      arg = pattern;
      break;
    case RE2::ErrorTrailingBackslash:
      code = "trailing backslash at end of expression";
      break;
    case RE2::ErrorRepeatArgument:
      code = "missing argument to repetition operator";
      break;
    case RE2::ErrorRepeatSize:
      code = "invalid repeat count";
      break;
    case RE2::ErrorRepeatOp:
      code = "invalid nested repetition operator";
      break;
    case RE2::ErrorBadPerlOp:
      code = "invalid or unsupported Perl syntax";
      break;
    case RE2::ErrorBadUTF8:
      code = "invalid UTF-8";
      break;
    case RE2::ErrorBadNamedCapture:
      code = "invalid named capture";
      break;
    default:
      code = re.error();
      break;
  }
  if (code == "trailing backslash at end of expression") return "error parsing regexp: " + code + ": ``";
  return "error parsing regexp: " + code + ": `" + arg + "`";
}

std::shared_ptr<const RE2> compile(const std::string& pattern, std::string* error) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const RE2>, std::less<>> cache;
  {
    const std::scoped_lock lock(mu);
    const auto it = cache.find(pattern);
    if (it != cache.end()) return it->second;
  }
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_shared<const RE2>(pattern, opts);
  if (!re->ok()) {
    if (error != nullptr) *error = go_regexp_error(*re, pattern);
    return nullptr;
  }
  const std::scoped_lock lock(mu);
  if (cache.size() > 256) cache.clear();
  cache.emplace(pattern, re);
  return re;
}

/// The regexp, or fail() with Go's message (the non-must variants panic in Go, which is also an error).
std::shared_ptr<const RE2> must_compile(const std::string& pattern) {
  std::string err;
  auto re = compile(pattern, &err);
  if (!re) {
    // regexp.MustCompile's panic text; the pattern in backquotes when it can be.
    const bool backquote = pattern.find('`') == std::string::npos &&
                           std::none_of(pattern.begin(), pattern.end(), [](char c) { return c < ' ' && c != '\t'; });
    gotemplate::fail("regexp: Compile(" + (backquote ? "`" + pattern + "`" : fmt::format("{:?}", pattern)) +
                     "): " + err);
  }
  return re;
}

using Match = std::vector<re2::StringPiece>;  // group 0 and the submatches (data() null when unset)

std::string_view sv(const re2::StringPiece& p) { return {p.data(), p.size()}; }

/// Go's allMatches: successive leftmost-first matches; an empty match right after a match is skipped.
std::vector<Match> find_all(const RE2& re, std::string_view s, int64_t n) {
  std::vector<Match> out;
  const int groups = re.NumberOfCapturingGroups() + 1;
  size_t pos = 0;
  ptrdiff_t prev_end = -1;
  while (pos <= s.size() && (n < 0 || static_cast<int64_t>(out.size()) < n)) {
    Match m(static_cast<size_t>(groups));
    if (!re.Match(s, pos, s.size(), RE2::UNANCHORED, m.data(), groups)) break;
    const size_t start = static_cast<size_t>(m[0].data() - s.data());
    const size_t end = start + m[0].size();
    bool accept = true;
    if (end == pos) {
      if (static_cast<ptrdiff_t>(start) == prev_end) accept = false;
      const size_t w = pos < s.size() ? std::max<size_t>(1, convert::unicode::decode(s, pos).second) : 1;
      pos += w;
    } else {
      pos = end;
    }
    prev_end = static_cast<ptrdiff_t>(end);
    if (accept) out.push_back(std::move(m));
  }
  return out;
}

/// Regexp.Expand's template: $1, ${1}, $name, ${name}, $$ (a name is the longest run of letters, digits, _).
void expand(std::string& out, std::string_view tmpl, const RE2& re, const Match& m) {
  const auto& names = re.NamedCapturingGroups();
  while (!tmpl.empty()) {
    const size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    out.append(tmpl.substr(0, dollar));
    tmpl.remove_prefix(dollar);
    if (tmpl.size() > 1 && tmpl[1] == '$') {
      out += '$';
      tmpl.remove_prefix(2);
      continue;
    }
    std::string_view name;
    size_t consumed = 0;
    const auto is_word = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    };
    if (tmpl.size() > 1 && tmpl[1] == '{') {
      size_t i = 2;
      while (i < tmpl.size() && is_word(tmpl[i])) ++i;
      if (i < tmpl.size() && tmpl[i] == '}' && i > 2) {
        name = tmpl.substr(2, i - 2);
        consumed = i + 1;
      }
    } else {
      size_t i = 1;
      while (i < tmpl.size() && is_word(tmpl[i])) ++i;
      if (i > 1) {
        name = tmpl.substr(1, i - 1);
        consumed = i;
      }
    }
    if (consumed == 0) {  // malformed: the '$' is literal
      out += '$';
      tmpl.remove_prefix(1);
      continue;
    }
    tmpl.remove_prefix(consumed);
    int index = -1;
    if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      index = 0;
      for (const char c : name) {
        index = index * 10 + (c - '0');
        if (index > 100000) break;
      }
    } else {
      const auto it = names.find(std::string(name));
      if (it != names.end()) index = it->second;
    }
    if (index >= 0 && static_cast<size_t>(index) < m.size() && m[static_cast<size_t>(index)].data() != nullptr) {
      out.append(sv(m[static_cast<size_t>(index)]));
    }
  }
  out.append(tmpl);
}

/// Regexp.ReplaceAllString / ReplaceAllLiteralString.
std::string replace_all(const RE2& re, std::string_view s, std::string_view repl, bool literal) {
  std::string out;
  const int groups = re.NumberOfCapturingGroups() + 1;
  size_t last_end = 0, search = 0;
  while (search <= s.size()) {
    Match m(static_cast<size_t>(groups));
    if (!re.Match(s, search, s.size(), RE2::UNANCHORED, m.data(), groups)) break;
    const size_t a0 = static_cast<size_t>(m[0].data() - s.data());
    const size_t a1 = a0 + m[0].size();
    out.append(s.substr(last_end, a0 - last_end));
    if (a1 > last_end || a0 == 0) {
      if (literal) {
        out.append(repl);
      } else {
        expand(out, repl, re, m);
      }
    }
    last_end = a1;
    const size_t w = search < s.size() ? std::max<size_t>(1, convert::unicode::decode(s, search).second) : 1;
    if (search + w > a1) {
      search += w;
    } else if (search + 1 > a1) {
      ++search;
    } else {
      search = a1;
    }
  }
  out.append(s.substr(std::min(last_end, s.size())));
  return out;
}

/// Regexp.Split.
Value regex_split(const RE2& re, const std::string& pattern, std::string_view s, int64_t n) {
  std::vector<std::string> parts;
  if (n == 0) return Value::list({}, GoType::kStringList);
  if (!pattern.empty() && s.empty()) return convert::string_list({""});
  const auto matches = find_all(re, s, n);
  size_t beg = 0, end = 0;
  for (const auto& m : matches) {
    if (n > 0 && static_cast<int64_t>(parts.size()) == n - 1) break;
    end = static_cast<size_t>(m[0].data() - s.data());
    const size_t mend = end + m[0].size();
    if (mend != 0) parts.emplace_back(s.substr(beg, end - beg));
    beg = mend;
  }
  if (end != s.size()) parts.emplace_back(s.substr(beg));
  return convert::string_list(parts);
}

/// regexp.QuoteMeta: a backslash before each of \.+*?()|[]{}^$
std::string quote_meta(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (std::strchr("\\.+*?()|[]{}^$", c) != nullptr && c != '\0') out += '\\';
    out += c;
  }
  return out;
}

Value string_list_or_nil(const std::vector<Match>& ms) {
  std::vector<std::string> out;
  out.reserve(ms.size());
  for (const auto& m : ms) out.emplace_back(sv(m[0]));
  return convert::string_list(out);
}

void add_regex(FuncMap& f) {
  f["regexMatch"] = Function{2, 2, [](CallContext&, Args a) {
                               const auto re = compile(sarg(a, 0), nullptr);
                               const std::string& s = sarg(a, 1);
                               return Value::boolean(re && RE2::PartialMatch(s, *re));
                             }};
  f["mustRegexMatch"] = Function{2, 2, [](CallContext&, Args a) {
                                   std::string err;
                                   const auto re = compile(sarg(a, 0), &err);
                                   if (!re) gotemplate::fail(err);
                                   return Value::boolean(RE2::PartialMatch(sarg(a, 1), *re));
                                 }};
  const auto find_all_fn = [](bool must) {
    return [must](CallContext&, Args a) {
      std::string err;
      const auto re = must ? compile(sarg(a, 0), &err) : must_compile(sarg(a, 0));
      if (!re) gotemplate::fail(err);
      return string_list_or_nil(find_all(*re, sarg(a, 1), iarg(a, 2)));
    };
  };
  f["regexFindAll"] = Function{3, 3, find_all_fn(false)};
  f["mustRegexFindAll"] = Function{3, 3, find_all_fn(true)};
  const auto find_fn = [](bool must) {
    return [must](CallContext&, Args a) {
      std::string err;
      const auto re = must ? compile(sarg(a, 0), &err) : must_compile(sarg(a, 0));
      if (!re) gotemplate::fail(err);
      const auto ms = find_all(*re, sarg(a, 1), 1);
      return str(ms.empty() ? std::string() : std::string(sv(ms[0][0])));
    };
  };
  f["regexFind"] = Function{2, 2, find_fn(false)};
  f["mustRegexFind"] = Function{2, 2, find_fn(true)};
  const auto replace_fn = [](bool must, bool literal) {
    return [must, literal](CallContext&, Args a) {
      std::string err;
      const auto re = must ? compile(sarg(a, 0), &err) : must_compile(sarg(a, 0));
      if (!re) gotemplate::fail(err);
      return str(replace_all(*re, sarg(a, 1), sarg(a, 2), literal));
    };
  };
  f["regexReplaceAll"] = Function{3, 3, replace_fn(false, false)};
  f["mustRegexReplaceAll"] = Function{3, 3, replace_fn(true, false)};
  f["regexReplaceAllLiteral"] = Function{3, 3, replace_fn(false, true)};
  f["mustRegexReplaceAllLiteral"] = Function{3, 3, replace_fn(true, true)};
  const auto split_fn = [](bool must) {
    return [must](CallContext&, Args a) {
      std::string err;
      const auto re = must ? compile(sarg(a, 0), &err) : must_compile(sarg(a, 0));
      if (!re) gotemplate::fail(err);
      return regex_split(*re, sarg(a, 0), sarg(a, 1), iarg(a, 2));
    };
  };
  f["regexSplit"] = Function{3, 3, split_fn(false)};
  f["mustRegexSplit"] = Function{3, 3, split_fn(true)};
  f["regexQuoteMeta"] = Function{1, 1, [](CallContext&, Args a) { return str(quote_meta(sarg(a, 0))); }};
}

// ---------------------------------------------------------------------------------------------------------
// Semantic versions (Masterminds/semver v3.2).

struct Version {
  uint64_t major = 0, minor = 0, patch = 0;
  std::string pre, metadata, original;

  std::string string() const {
    std::string s = fmt::format("{}.{}.{}", major, minor, patch);
    if (!pre.empty()) s += "-" + pre;
    if (!metadata.empty()) s += "+" + metadata;
    return s;
  }
};

bool contains_only(std::string_view s, std::string_view allowed) {
  return std::all_of(s.begin(), s.end(), [&](char c) { return allowed.find(c) != std::string_view::npos; });
}
constexpr std::string_view kNum = "0123456789";
constexpr std::string_view kAllowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

std::optional<std::string> validate_prerelease(std::string_view p) {
  for (const auto part : split(p, '.')) {
    if (contains_only(part, kNum)) {
      if (part.size() > 1 && part[0] == '0') return "Version segment starts with 0";
    } else if (!contains_only(part, kAllowed)) {
      return "Invalid Prerelease string";
    }
  }
  return std::nullopt;
}

std::optional<std::string> validate_metadata(std::string_view m) {
  for (const auto part : split(m, '.')) {
    if (!contains_only(part, kAllowed)) return "Invalid Metadata string";
  }
  return std::nullopt;
}

constexpr std::string_view kSemverRe =
    R"(v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?)"
    R"((-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?)";

bool parse_u64(std::string_view s, uint64_t& out) {
  out = 0;
  if (s.empty()) return false;
  for (const char c : s) {
    const auto d = static_cast<uint64_t>(c - '0');
    if (out > (UINT64_MAX - d) / 10) return false;
    out = out * 10 + d;
  }
  return true;
}

/// semver.NewVersion; nullopt with the error text.
std::optional<Version> new_version(const std::string& v, std::string* error) {
  static const RE2 re("^" + std::string(kSemverRe) + "$");
  std::array<re2::StringPiece, 10> m{};
  if (!RE2::FullMatchN(v, re, nullptr, 0) ||
      !re.Match(v, 0, v.size(), RE2::ANCHOR_BOTH, m.data(), static_cast<int>(m.size()))) {
    *error = "Invalid Semantic Version";
    return std::nullopt;
  }
  Version out;
  out.original = v;
  out.pre = std::string(m[5]);
  out.metadata = std::string(m[8]);
  const auto seg = [&](std::string_view s, uint64_t& dst) {
    if (!s.empty() && s[0] == '.') s.remove_prefix(1);
    if (!parse_u64(s, dst)) {
      *error = "Error parsing version segment: strconv.ParseUint: parsing " + fmt::format("{:?}", std::string(s)) +
               ": value out of range";
      return false;
    }
    return true;
  };
  if (!seg(m[1], out.major)) return std::nullopt;
  if (!m[2].empty() && !seg(m[2], out.minor)) return std::nullopt;
  if (!m[3].empty() && !seg(m[3], out.patch)) return std::nullopt;
  if (!out.pre.empty()) {
    if (auto e = validate_prerelease(out.pre)) {
      *error = *e;
      return std::nullopt;
    }
  }
  if (!out.metadata.empty()) {
    if (auto e = validate_metadata(out.metadata)) {
      *error = *e;
      return std::nullopt;
    }
  }
  return out;
}

int compare_pre_part(std::string_view s, std::string_view o) {
  if (s == o) return 0;
  if (s.empty()) return o.empty() ? 1 : -1;
  if (o.empty()) return 1;
  uint64_t oi = 0, si = 0;
  const bool o_num = contains_only(o, kNum) && parse_u64(o, oi);
  const bool s_num = contains_only(s, kNum) && parse_u64(s, si);
  if (!o_num && !s_num) return s > o ? 1 : -1;
  if (!o_num) return -1;
  if (!s_num) return 1;
  return si > oi ? 1 : -1;
}

int compare_prerelease(std::string_view v, std::string_view o) {
  const auto sp = split(v, '.');
  const auto op = split(o, '.');
  const size_t l = std::max(sp.size(), op.size());
  for (size_t i = 0; i < l; ++i) {
    const int d =
        compare_pre_part(i < sp.size() ? sp[i] : std::string_view(), i < op.size() ? op[i] : std::string_view());
    if (d != 0) return d;
  }
  return 0;
}

int compare(const Version& v, const Version& o) {
  const auto seg = [](uint64_t a, uint64_t b) { return a < b ? -1 : a > b ? 1 : 0; };
  if (int d = seg(v.major, o.major)) return d;
  if (int d = seg(v.minor, o.minor)) return d;
  if (int d = seg(v.patch, o.patch)) return d;
  if (v.pre.empty() && o.pre.empty()) return 0;
  if (v.pre.empty()) return 1;
  if (o.pre.empty()) return -1;
  return compare_prerelease(v.pre, o.pre);
}

struct Constraint {
  Version con;
  std::string orig, op;
  bool minor_dirty = false, patch_dirty = false, dirty = false;
};

bool is_x(std::string_view s) { return s == "x" || s == "*" || s == "X"; }

bool check(const Version& v, const Constraint& c);

bool tilde(const Version& v, const Constraint& c) {
  if (!v.pre.empty() && c.con.pre.empty()) return false;
  if (compare(v, c.con) < 0) return false;
  if (c.con.major == 0 && c.con.minor == 0 && c.con.patch == 0 && !c.minor_dirty && !c.patch_dirty) return true;
  if (v.major != c.con.major) return false;
  if (v.minor != c.con.minor && !c.minor_dirty) return false;
  return true;
}

bool check(const Version& v, const Constraint& c) {
  const bool pre_blocked = !v.pre.empty() && c.con.pre.empty();
  const std::string& op = c.op;
  if (op.empty() || op == "=") {
    if (pre_blocked) return false;
    if (c.dirty) return tilde(v, c);
    return compare(v, c.con) == 0;
  }
  if (op == "!=") {
    if (c.dirty) {
      if (pre_blocked) return false;
      if (c.con.major != v.major) return true;
      if (c.con.minor != v.minor && !c.minor_dirty) return true;
      if (c.minor_dirty) return false;
      if (c.con.patch != v.patch && !c.patch_dirty) return true;
      if (c.patch_dirty) {
        if (!v.pre.empty() || !c.con.pre.empty()) return compare_prerelease(v.pre, c.con.pre) != 0;
        return false;
      }
    }
    return compare(v, c.con) != 0;
  }
  if (pre_blocked) return false;
  if (op == ">") {
    if (!c.dirty) return compare(v, c.con) == 1;
    if (v.major > c.con.major) return true;
    if (v.major < c.con.major) return false;
    if (c.minor_dirty) return false;
    if (c.patch_dirty) return v.minor > c.con.minor;
    return compare(v, c.con) == 1;
  }
  if (op == "<") return compare(v, c.con) < 0;
  if (op == ">=" || op == "=>") return compare(v, c.con) >= 0;
  if (op == "<=" || op == "=<") {
    if (!c.dirty) return compare(v, c.con) <= 0;
    if (v.major > c.con.major) return false;
    if (v.major == c.con.major && v.minor > c.con.minor && !c.minor_dirty) return false;
    return true;
  }
  if (op == "~" || op == "~>") return tilde(v, c);
  if (op == "^") {
    if (compare(v, c.con) < 0) return false;
    if (c.con.major > 0 || c.minor_dirty) return v.major == c.con.major;
    if (c.con.major == 0 && v.major > 0) return false;
    if (c.con.minor > 0 || c.patch_dirty) return v.minor == c.con.minor;
    if (c.con.minor == 0 && v.minor > 0) return false;
    return c.con.patch == v.patch;
  }
  return false;
}

constexpr std::string_view kCvRe =
    R"(v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?)"
    R"((-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?)";
constexpr std::string_view kOps = R"(=||!=|>|<|>=|=>|<=|=<|~|~>|\^)";

std::optional<Constraint> parse_constraint(const std::string& s, std::string* error) {
  static const RE2 re(fmt::format(R"(^\s*({})\s*({})\s*$)", kOps, kCvRe));
  Constraint c;
  if (s.empty()) {
    c.dirty = true;
    return c;
  }
  std::array<re2::StringPiece, 12> m{};
  if (!re.Match(s, 0, s.size(), RE2::ANCHOR_BOTH, m.data(), static_cast<int>(m.size()))) {
    *error = "improper constraint: " + s;
    return std::nullopt;
  }
  c.orig = std::string(m[2]);
  c.op = std::string(m[1]);
  std::string ver = c.orig;
  const auto trim_dot = [](std::string_view x) { return x.empty() ? x : x.substr(1); };
  if (is_x(m[3]) || m[3].empty()) {
    ver = "0.0.0" + std::string(m[6]);
    c.dirty = true;
  } else if (is_x(trim_dot(m[4])) || m[4].empty()) {
    c.minor_dirty = c.dirty = true;
    ver = std::string(m[3]) + ".0.0" + std::string(m[6]);
  } else if (is_x(trim_dot(m[5])) || m[5].empty()) {
    c.dirty = c.patch_dirty = true;
    ver = std::string(m[3]) + std::string(m[4]) + ".0" + std::string(m[6]);
  }
  std::string err;
  auto v = new_version(ver, &err);
  if (!v) {
    *error = "constraint Parser Error";
    return std::nullopt;
  }
  c.con = *v;
  return c;
}

/// semver.NewConstraint: "a - b" ranges, "||" alternatives of comma/space-separated constraints.
std::optional<std::vector<std::vector<Constraint>>> new_constraints(std::string c, std::string* error) {
  static const RE2 range_re(fmt::format(R"(\s*({})\s+-\s+({})\s*)", kCvRe, kCvRe));
  static const RE2 find_re(fmt::format(R"(({})\s*({}))", kOps, kCvRe));
  static const RE2 valid_re(
      fmt::format(R"(^(\s*({})\s*({})\s*)((?:\s+|,\s*)({})\s*({})\s*)*$)", kOps, kCvRe, kOps, kCvRe));
  // rewriteRange
  {
    std::string out = c;
    const int groups = range_re.NumberOfCapturingGroups() + 1;
    size_t pos = 0;
    while (pos <= c.size()) {
      std::vector<re2::StringPiece> m(static_cast<size_t>(groups));
      if (!range_re.Match(c, pos, c.size(), RE2::UNANCHORED, m.data(), groups)) break;
      const std::string whole(m[0]);
      const std::string repl = fmt::format(">= {}, <= {}", m[1], m[11]);
      const size_t at = out.find(whole);
      if (at != std::string::npos) out.replace(at, whole.size(), repl);
      const size_t end = static_cast<size_t>(m[0].data() - c.data()) + m[0].size();
      pos = end > pos ? end : pos + 1;
    }
    c = out;
  }
  std::vector<std::vector<Constraint>> ors;
  size_t start = 0;
  while (true) {
    const size_t bar = c.find("||", start);
    const std::string part = c.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
    if (!RE2::FullMatch(part, valid_re)) {
      *error = "improper constraint: " + part;
      return std::nullopt;
    }
    std::vector<std::string> cs;
    for (const auto& m : find_all(find_re, part, -1)) cs.emplace_back(sv(m[0]));
    if (cs.empty()) cs.push_back(part);
    std::vector<Constraint> group;
    for (const auto& s : cs) {
      auto pc = parse_constraint(s, error);
      if (!pc) return std::nullopt;
      group.push_back(std::move(*pc));
    }
    ors.push_back(std::move(group));
    if (bar == std::string::npos) break;
    start = bar + 2;
  }
  return ors;
}

class SemverObject : public Object, public JsonMarshaler {
 public:
  explicit SemverObject(Version v) : v_(std::move(v)) {}
  std::string type_name() const override { return "*semver.Version"; }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Major") return Value::integer(static_cast<int64_t>(v_.major), GoType::kInt64);
    if (name == "Minor") return Value::integer(static_cast<int64_t>(v_.minor), GoType::kInt64);
    if (name == "Patch") return Value::integer(static_cast<int64_t>(v_.patch), GoType::kInt64);
    if (name == "Prerelease") return str(v_.pre);
    if (name == "Metadata") return str(v_.metadata);
    if (name == "Original") return str(v_.original);
    if (name == "String") return str(v_.string());
    if (name == "IncMajor" || name == "IncMinor" || name == "IncPatch") {
      Version n = v_;
      const std::string prefix = !v_.original.empty() && v_.original[0] == 'v' ? "v" : "";
      n.metadata.clear();
      if (name == "IncPatch") {
        if (v_.pre.empty()) ++n.patch;
        n.pre.clear();
      } else if (name == "IncMinor") {
        n.pre.clear();
        n.patch = 0;
        ++n.minor;
      } else {
        n.pre.clear();
        n.patch = n.minor = 0;
        ++n.major;
      }
      n.original = prefix + n.string();
      return Value::object(std::make_shared<SemverObject>(std::move(n)));
    }
    return std::nullopt;
  }
  bool has_method(std::string_view name) const override {
    return name == "Compare" || name == "LessThan" || name == "GreaterThan" || name == "Equal";
  }
  Value call_method(std::string_view name, std::span<const Value> args, std::string* error) const override {
    const SemverObject* o = args.size() == 1 && args[0].kind() == Kind::kObject
                                ? dynamic_cast<const SemverObject*>(&args[0].as_object())
                                : nullptr;
    if (o == nullptr) {
      if (error != nullptr) *error = "wrong type for value; expected *semver.Version";
      return Value();
    }
    const int d = compare(v_, o->v_);
    if (name == "Compare") return Value::integer(d);
    if (name == "LessThan") return Value::boolean(d < 0);
    if (name == "GreaterThan") return Value::boolean(d > 0);
    return Value::boolean(d == 0);
  }
  std::string format() const override { return v_.string(); }
  Value json_value() const override { return str(v_.string()); }

 private:
  Version v_;
};

void add_semver(FuncMap& f) {
  f["semver"] = Function{1, 1, [](CallContext&, Args a) {
                           std::string err;
                           auto v = new_version(sarg(a, 0), &err);
                           if (!v) gotemplate::fail(err);
                           return Value::object(std::make_shared<SemverObject>(std::move(*v)));
                         }};
  f["semverCompare"] =
      Function{2, 2, [](CallContext&, Args a) {
                 std::string err;
                 auto cs = new_constraints(sarg(a, 0), &err);
                 if (!cs) gotemplate::fail(err);
                 auto v = new_version(sarg(a, 1), &err);
                 if (!v) gotemplate::fail(err);
                 for (const auto& group : *cs) {
                   if (std::all_of(group.begin(), group.end(), [&](const Constraint& c) { return check(*v, c); })) {
                     return Value::boolean(true);
                   }
                 }
                 return Value::boolean(false);
               }};
}

// ---------------------------------------------------------------------------------------------------------
// Time: Go's time.Time with a location (UTC, Local = UTC, or an IANA zone read from the system tzdata).

struct Zone {
  std::string name;
  std::vector<int64_t> transitions;  ///< Unix seconds, ascending
  std::vector<uint8_t> types;        ///< local time type after each transition
  struct Type {
    int32_t offset = 0;
    std::string abbrev;
  };
  std::vector<Type> type_info;

  /// Offset (seconds east of UTC) and abbreviation in effect at `t`.
  std::pair<int32_t, std::string> lookup(int64_t t) const {
    if (type_info.empty()) return {0, "UTC"};
    const auto it = std::upper_bound(transitions.begin(), transitions.end(), t);
    if (it == transitions.begin()) return {type_info[0].offset, type_info[0].abbrev};
    const auto& ty = type_info[types[static_cast<size_t>(it - transitions.begin() - 1)]];
    return {ty.offset, ty.abbrev};
  }
};

std::shared_ptr<const Zone> utc_zone() {
  static const auto z = std::make_shared<const Zone>(Zone{"UTC", {}, {}, {}});
  return z;
}

/// time.LoadLocation: "", "UTC" -> UTC; "Local" -> UTC (the reference machine's zone); else TZif from tzdata.
std::shared_ptr<const Zone> load_location(const std::string& name) {
  if (name.empty() || name == "UTC") return utc_zone();
  if (name == "Local") {
    static const auto local = std::make_shared<const Zone>(Zone{"Local", {}, {}, {}});
    return local;
  }
  if (name.find("..") != std::string::npos || name[0] == '/' || name[0] == '\\') return nullptr;
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const Zone>, std::less<>> cache;
  const std::scoped_lock lock(mu);
  if (const auto it = cache.find(name); it != cache.end()) return it->second;
  std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::shared_ptr<const Zone> zone;
  const auto be = [&](size_t at, size_t n) {
    uint64_t v = 0;
    for (size_t k = 0; k < n; ++k) v = (v << 8) | static_cast<uint8_t>(data[at + k]);
    return v;
  };
  if (data.size() >= 44 && data.starts_with("TZif")) {
    auto parse_block = [&](size_t at, size_t tsize, Zone& z) -> size_t {
      if (data.size() < at + 44) return 0;
      const size_t isut = be(at + 20, 4), isstd = be(at + 24, 4), leap = be(at + 28, 4), timecnt = be(at + 32, 4),
                   typecnt = be(at + 36, 4), charcnt = be(at + 40, 4);
      size_t p = at + 44;
      const size_t need = timecnt * tsize + timecnt + typecnt * 6 + charcnt + leap * (tsize + 4) + isstd + isut;
      if (data.size() < p + need) return 0;
      z.transitions.clear();
      z.types.clear();
      z.type_info.clear();
      for (size_t i = 0; i < timecnt; ++i) {
        const uint64_t raw = be(p + i * tsize, tsize);
        z.transitions.push_back(tsize == 4 ? static_cast<int32_t>(raw) : static_cast<int64_t>(raw));
      }
      p += timecnt * tsize;
      for (size_t i = 0; i < timecnt; ++i) z.types.push_back(static_cast<uint8_t>(data[p + i]));
      p += timecnt;
      const size_t abbr_at = p + typecnt * 6;
      for (size_t i = 0; i < typecnt; ++i) {
        Zone::Type ty;
        ty.offset = static_cast<int32_t>(be(p + i * 6, 4));
        const size_t ai = static_cast<uint8_t>(data[p + i * 6 + 5]);
        if (ai < charcnt) ty.abbrev = std::string(data.c_str() + abbr_at + ai);
        z.type_info.push_back(ty);
      }
      for (const auto t : z.types) {
        if (t >= z.type_info.size()) return 0;
      }
      return p + typecnt * 6 + charcnt + leap * (tsize + 4) + isstd + isut;
    };
    Zone z;
    z.name = name;
    const size_t next = parse_block(0, 4, z);
    if (next != 0 && data[4] >= '2') parse_block(next, 8, z);
    if (next != 0) zone = std::make_shared<const Zone>(std::move(z));
  }
  cache.emplace(name, zone);
  return zone;
}

struct Civil {
  int64_t year;
  int month, day, hour, minute, second, yday, wday;
};

int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<int64_t>(y - era * 400);
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil civil_from_seconds(int64_t t) {
  int64_t days = t / 86400;
  int64_t rem = t % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  Civil c{};
  c.year = y;
  c.month = m;
  c.day = d;
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem % 3600 / 60);
  c.second = static_cast<int>(rem % 60);
  c.yday = static_cast<int>(days - days_from_civil(y, 1, 1)) + 1;
  c.wday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
  return c;
}

struct GoTime {
  int64_t sec = 0;   ///< Unix seconds
  int32_t nsec = 0;  ///< 0..999999999
  std::shared_ptr<const Zone> zone = utc_zone();
  /// Set for a time parsed with a numeric offset that matches no zone (Go's FixedZone("", offset)).
  std::optional<std::pair<int32_t, std::string>> fixed;

  std::pair<int32_t, std::string> offset() const { return fixed ? *fixed : zone->lookup(sec); }
};

constexpr std::array<std::string_view, 12> kMonths = {"January",   "February", "March",    "April",
                                                      "May",       "June",     "July",     "August",
                                                      "September", "October",  "November", "December"};
constexpr std::array<std::string_view, 7> kDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                   "Thursday", "Friday", "Saturday"};

enum class Std : uint8_t {
  kNone,
  kLongMonth,
  kMonth,
  kNumMonth,
  kZeroMonth,
  kLongWeekDay,
  kWeekDay,
  kDay,
  kUnderDay,
  kZeroDay,
  kUnderYearDay,
  kZeroYearDay,
  kHour,
  kHour12,
  kZeroHour12,
  kMinute,
  kZeroMinute,
  kSecond,
  kZeroSecond,
  kLongYear,
  kYear,
  kPM,
  kpm,
  kTZ,
  kISO8601TZ,
  kISO8601SecondsTZ,
  kISO8601ShortTZ,
  kISO8601ColonTZ,
  kISO8601ColonSecondsTZ,
  kNumTZ,
  kNumSecondsTz,
  kNumShortTZ,
  kNumColonTZ,
  kNumColonSecondsTZ,
  kFracSecond0,
  kFracSecond9
};

struct Chunk {
  std::string_view prefix;
  Std std = Std::kNone;
  int frac_digits = 0;
  char frac_sep = '.';
  std::string_view suffix;
};

bool starts_lower(std::string_view s) { return !s.empty() && s[0] >= 'a' && s[0] <= 'z'; }
bool digit_at(std::string_view s, size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

/// time's nextStdChunk.
Chunk next_chunk(std::string_view l) {
  for (size_t i = 0; i < l.size(); ++i) {
    const auto rest = l.substr(i);
    const auto hit = [&](Std s, size_t len) { return Chunk{l.substr(0, i), s, 0, '.', l.substr(i + len)}; };
    switch (l[i]) {
      case 'J':
        if (rest.starts_with("Jan")) {
          if (rest.starts_with("January")) return hit(Std::kLongMonth, 7);
          if (!starts_lower(rest.substr(3))) return hit(Std::kMonth, 3);
        }
        break;
      case 'M':
        if (rest.starts_with("Mon")) {
          if (rest.starts_with("Monday")) return hit(Std::kLongWeekDay, 6);
          if (!starts_lower(rest.substr(3))) return hit(Std::kWeekDay, 3);
        }
        if (rest.starts_with("MST")) return hit(Std::kTZ, 3);
        break;
      case '0':
        if (rest.size() >= 2 && rest[1] >= '1' && rest[1] <= '6') {
          static constexpr Std k0x[] = {Std::kZeroMonth,  Std::kZeroDay,    Std::kZeroHour12,
                                        Std::kZeroMinute, Std::kZeroSecond, Std::kYear};
          return hit(k0x[rest[1] - '1'], 2);
        }
        if (rest.starts_with("002")) return hit(Std::kZeroYearDay, 3);
        break;
      case '1':
        if (rest.starts_with("15")) return hit(Std::kHour, 2);
        return hit(Std::kNumMonth, 1);
      case '2':
        if (rest.starts_with("2006")) return hit(Std::kLongYear, 4);
        return hit(Std::kDay, 1);
      case '_':
        if (rest.size() >= 2 && rest[1] == '2') {
          if (rest.substr(1).starts_with("2006"))
            return Chunk{l.substr(0, i + 1), Std::kLongYear, 0, '.', l.substr(i + 5)};
          return hit(Std::kUnderDay, 2);
        }
        if (rest.starts_with("__2")) return hit(Std::kUnderYearDay, 3);
        break;
      case '3':
        return hit(Std::kHour12, 1);
      case '4':
        return hit(Std::kMinute, 1);
      case '5':
        return hit(Std::kSecond, 1);
      case 'P':
        if (rest.starts_with("PM")) return hit(Std::kPM, 2);
        break;
      case 'p':
        if (rest.starts_with("pm")) return hit(Std::kpm, 2);
        break;
      case '-':
        if (rest.starts_with("-070000")) return hit(Std::kNumSecondsTz, 7);
        if (rest.starts_with("-07:00:00")) return hit(Std::kNumColonSecondsTZ, 9);
        if (rest.starts_with("-0700")) return hit(Std::kNumTZ, 5);
        if (rest.starts_with("-07:00")) return hit(Std::kNumColonTZ, 6);
        if (rest.starts_with("-07")) return hit(Std::kNumShortTZ, 3);
        break;
      case 'Z':
        if (rest.starts_with("Z070000")) return hit(Std::kISO8601SecondsTZ, 7);
        if (rest.starts_with("Z07:00:00")) return hit(Std::kISO8601ColonSecondsTZ, 9);
        if (rest.starts_with("Z0700")) return hit(Std::kISO8601TZ, 5);
        if (rest.starts_with("Z07:00")) return hit(Std::kISO8601ColonTZ, 6);
        if (rest.starts_with("Z07")) return hit(Std::kISO8601ShortTZ, 3);
        break;
      case '.':
      case ',':
        if (rest.size() >= 2 && (rest[1] == '0' || rest[1] == '9')) {
          const char ch = rest[1];
          size_t j = 1;
          while (j < rest.size() && rest[j] == ch) ++j;
          if (!digit_at(rest, j)) {
            Chunk c = hit(ch == '0' ? Std::kFracSecond0 : Std::kFracSecond9, j);
            c.frac_digits = static_cast<int>(j - 1);
            c.frac_sep = l[i];
            return c;
          }
        }
        break;
      default:
        break;
    }
  }
  return Chunk{l, Std::kNone, 0, '.', {}};
}

std::string pad(int64_t v, int width, char fill = '0') {
  std::string s = std::to_string(v < 0 ? -v : v);
  while (static_cast<int>(s.size()) < width) s.insert(s.begin(), fill);
  return v < 0 ? "-" + s : s;
}

std::string zone_text(int32_t off, bool colon, bool seconds, bool hours_only, bool iso) {
  if (iso && off == 0) return "Z";
  std::string s;
  int32_t z = off;
  s += z < 0 ? '-' : '+';
  z = std::abs(z);
  s += pad(z / 3600, 2);
  if (!hours_only) {
    if (colon) s += ':';
    s += pad(z / 60 % 60, 2);
  }
  if (seconds) {
    if (colon) s += ':';
    s += pad(z % 60, 2);
  }
  return s;
}

/// time.Time.Format.
std::string format_time(const GoTime& t, std::string_view layout) {
  const auto [off, abbrev] = t.offset();
  const Civil c = civil_from_seconds(t.sec + off);
  std::string out;
  while (!layout.empty()) {
    const Chunk ch = next_chunk(layout);
    out.append(ch.prefix);
    if (ch.std == Std::kNone) break;
    layout = ch.suffix;
    switch (ch.std) {
      case Std::kYear:
        out += pad(c.year % 100, 2);
        break;
      case Std::kLongYear:
        out += pad(c.year, 4);
        break;
      case Std::kMonth:
        out += kMonths[static_cast<size_t>(c.month - 1)].substr(0, 3);
        break;
      case Std::kLongMonth:
        out += kMonths[static_cast<size_t>(c.month - 1)];
        break;
      case Std::kNumMonth:
        out += std::to_string(c.month);
        break;
      case Std::kZeroMonth:
        out += pad(c.month, 2);
        break;
      case Std::kWeekDay:
        out += kDays[static_cast<size_t>(c.wday)].substr(0, 3);
        break;
      case Std::kLongWeekDay:
        out += kDays[static_cast<size_t>(c.wday)];
        break;
      case Std::kDay:
        out += std::to_string(c.day);
        break;
      case Std::kUnderDay:
        out += pad(c.day, 2, ' ');
        break;
      case Std::kZeroDay:
        out += pad(c.day, 2);
        break;
      case Std::kUnderYearDay:
        out += pad(c.yday, 3, ' ');
        break;
      case Std::kZeroYearDay:
        out += pad(c.yday, 3);
        break;
      case Std::kHour:
        out += pad(c.hour, 2);
        break;
      case Std::kHour12:
        out += std::to_string(c.hour % 12 == 0 ? 12 : c.hour % 12);
        break;
      case Std::kZeroHour12:
        out += pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2);
        break;
      case Std::kMinute:
        out += std::to_string(c.minute);
        break;
      case Std::kZeroMinute:
        out += pad(c.minute, 2);
        break;
      case Std::kSecond:
        out += std::to_string(c.second);
        break;
      case Std::kZeroSecond:
        out += pad(c.second, 2);
        break;
      case Std::kPM:
        out += c.hour >= 12 ? "PM" : "AM";
        break;
      case Std::kpm:
        out += c.hour >= 12 ? "pm" : "am";
        break;
      case Std::kISO8601TZ:
        out += zone_text(off, false, false, false, true);
        break;
      case Std::kISO8601SecondsTZ:
        out += zone_text(off, false, true, false, true);
        break;
      case Std::kISO8601ShortTZ:
        out += zone_text(off, false, false, true, true);
        break;
      case Std::kISO8601ColonTZ:
        out += zone_text(off, true, false, false, true);
        break;
      case Std::kISO8601ColonSecondsTZ:
        out += zone_text(off, true, true, false, true);
        break;
      case Std::kNumTZ:
        out += zone_text(off, false, false, false, false);
        break;
      case Std::kNumSecondsTz:
        out += zone_text(off, false, true, false, false);
        break;
      case Std::kNumShortTZ:
        out += zone_text(off, false, false, true, false);
        break;
      case Std::kNumColonTZ:
        out += zone_text(off, true, false, false, false);
        break;
      case Std::kNumColonSecondsTZ:
        out += zone_text(off, true, true, false, false);
        break;
      case Std::kTZ:
        if (!abbrev.empty()) {
          out += abbrev;
        } else {
          out += zone_text(off, false, false, false, false);
        }
        break;
      case Std::kFracSecond0:
      case Std::kFracSecond9: {
        std::string digits = pad(t.nsec, 9).substr(0, static_cast<size_t>(ch.frac_digits));
        if (ch.std == Std::kFracSecond9) {
          digits = pad(t.nsec, 9);
          while (!digits.empty() && digits.back() == '0') digits.pop_back();
          if (digits.size() > static_cast<size_t>(ch.frac_digits)) digits.resize(static_cast<size_t>(ch.frac_digits));
          if (digits.empty()) break;
        }
        out += ch.frac_sep;
        out += digits;
        break;
      }
      case Std::kNone:
        break;
    }
  }
  return out;
}

/// time.Time.String: "2006-01-02 15:04:05.999999999 -0700 MST".
std::string time_string(const GoTime& t) { return format_time(t, "2006-01-02 15:04:05.999999999 -0700 MST"); }

/// time.ParseInLocation for the layouts templates use; nullopt with Go's error text.
std::optional<GoTime> parse_time(std::string_view layout, std::string_view value, std::string* error) {
  const std::string orig_layout(layout), orig_value(value);
  const auto fail_parse = [&](std::string_view elem, std::string_view rest, std::string_view msg = {}) {
    if (!msg.empty()) {
      *error = fmt::format("parsing time {:?}{}", orig_value, msg);
    } else {
      *error = fmt::format("parsing time {:?} as {:?}: cannot parse {:?} as {:?}", orig_value, orig_layout,
                           std::string(rest), std::string(elem));
    }
    return std::nullopt;
  };
  int64_t year = 1;
  int month = -1, day = -1, yday = -1, hour = 0, minute = 0, second = 0, nsec = 0;
  bool pm_set = false, pm = false;
  std::optional<int32_t> zone_offset;
  std::string zone_name;
  const auto getnum = [&](std::string_view& v, bool fixed, int& out) {
    if (!digit_at(v, 0)) return false;
    if (!digit_at(v, 1)) {
      if (fixed) return false;
      out = v[0] - '0';
      v.remove_prefix(1);
      return true;
    }
    out = (v[0] - '0') * 10 + (v[1] - '0');
    v.remove_prefix(2);
    return true;
  };
  while (true) {
    const Chunk ch = next_chunk(layout);
    const std::string_view std_str =
        layout.substr(ch.prefix.size(), layout.size() - ch.prefix.size() - ch.suffix.size());
    // Skip the literal prefix (spaces in the layout match any run of spaces, as Go's skip does).
    std::string_view p = ch.prefix;
    while (!p.empty()) {
      if (p[0] == ' ') {
        if (!value.empty() && value[0] != ' ') return fail_parse(ch.prefix, value);
        while (!p.empty() && p[0] == ' ') p.remove_prefix(1);
        while (!value.empty() && value[0] == ' ') value.remove_prefix(1);
        continue;
      }
      if (value.empty() || value[0] != p[0]) return fail_parse(ch.prefix, value);
      p.remove_prefix(1);
      value.remove_prefix(1);
    }
    if (ch.std == Std::kNone) {
      if (!value.empty()) return fail_parse("", "", fmt::format(": extra text: {:?}", std::string(value)));
      break;
    }
    layout = ch.suffix;
    const std::string_view hold = value;
    bool ok = true;
    std::string range_err;
    switch (ch.std) {
      case Std::kYear: {
        int v = 0;
        ok = value.size() >= 2 && getnum(value, true, v);
        year = v >= 69 ? v + 1900 : v + 2000;
        break;
      }
      case Std::kLongYear: {
        ok = value.size() >= 4 && digit_at(value, 0) && digit_at(value, 1) && digit_at(value, 2) && digit_at(value, 3);
        if (ok) year = (value[0] - '0') * 1000 + (value[1] - '0') * 100 + (value[2] - '0') * 10 + (value[3] - '0');
        // Go consumes the four bytes before checking them, so its error quotes the text after them.
        if (value.size() >= 4) value.remove_prefix(4);
        if (!ok) return fail_parse(std_str, value);
        break;
      }
      case Std::kMonth:
      case Std::kLongMonth: {
        ok = false;
        for (size_t m = 0; m < 12; ++m) {
          const std::string_view name = ch.std == Std::kMonth ? kMonths[m].substr(0, 3) : kMonths[m];
          if (value.size() >= name.size() && iequals(value.substr(0, name.size()), name)) {
            month = static_cast<int>(m) + 1;
            value.remove_prefix(name.size());
            ok = true;
            break;
          }
        }
        break;
      }
      case Std::kNumMonth:
      case Std::kZeroMonth:
        ok = getnum(value, ch.std == Std::kZeroMonth, month);
        if (ok && (month <= 0 || month > 12)) range_err = "month";
        break;
      case Std::kWeekDay:
      case Std::kLongWeekDay: {
        ok = false;
        for (const auto d : kDays) {
          const std::string_view name = ch.std == Std::kWeekDay ? d.substr(0, 3) : d;
          if (value.size() >= name.size() && iequals(value.substr(0, name.size()), name)) {
            value.remove_prefix(name.size());
            ok = true;
            break;
          }
        }
        break;
      }
      case Std::kDay:
      case Std::kUnderDay:
      case Std::kZeroDay:
        if (ch.std == Std::kUnderDay && !value.empty() && value[0] == ' ') value.remove_prefix(1);
        ok = getnum(value, ch.std == Std::kZeroDay, day);
        break;
      case Std::kUnderYearDay:
      case Std::kZeroYearDay: {
        while (ch.std == Std::kUnderYearDay && !value.empty() && value[0] == ' ') value.remove_prefix(1);
        size_t n = 0;
        yday = 0;
        while (n < 3 && digit_at(value, n)) yday = yday * 10 + (value[n++] - '0');
        ok = n == 3 || (ch.std == Std::kUnderYearDay && n > 0);
        value.remove_prefix(n);
        break;
      }
      case Std::kHour:
        ok = getnum(value, false, hour);
        if (ok && hour > 23) range_err = "hour";
        break;
      case Std::kHour12:
      case Std::kZeroHour12:
        ok = getnum(value, ch.std == Std::kZeroHour12, hour);
        if (ok && hour > 12) range_err = "hour";
        break;
      case Std::kMinute:
      case Std::kZeroMinute:
        ok = getnum(value, ch.std == Std::kZeroMinute, minute);
        if (ok && minute > 59) range_err = "minute";
        break;
      case Std::kSecond:
      case Std::kZeroSecond: {
        ok = getnum(value, ch.std == Std::kZeroSecond, second);
        if (ok && second > 59) range_err = "second";
        // A fractional second in the value after seconds, when the layout has none next.
        if (ok && value.size() >= 2 && (value[0] == '.' || value[0] == ',') && digit_at(value, 1)) {
          const Chunk nx = next_chunk(layout);
          if ((nx.std != Std::kFracSecond0 && nx.std != Std::kFracSecond9) || !nx.prefix.empty()) {
            size_t n = 1;
            while (digit_at(value, n)) ++n;
            std::string digits(value.substr(1, n - 1));
            digits.resize(9, '0');
            nsec = std::stoi(digits.substr(0, 9));
            value.remove_prefix(n);
          }
        }
        break;
      }
      case Std::kPM:
      case Std::kpm:
        ok = value.size() >= 2;
        if (ok) {
          const std::string p2 = to_lower(value.substr(0, 2));
          ok = p2 == "pm" || p2 == "am";
          pm = p2 == "pm";
          pm_set = true;
          value.remove_prefix(2);
        }
        break;
      case Std::kISO8601TZ:
      case Std::kISO8601ColonTZ:
      case Std::kISO8601SecondsTZ:
      case Std::kISO8601ShortTZ:
      case Std::kISO8601ColonSecondsTZ:
      case Std::kNumTZ:
      case Std::kNumShortTZ:
      case Std::kNumColonTZ:
      case Std::kNumSecondsTz:
      case Std::kNumColonSecondsTZ: {
        const bool iso = ch.std <= Std::kISO8601ColonSecondsTZ && ch.std >= Std::kISO8601TZ;
        if (iso && !value.empty() && value[0] == 'Z') {
          value.remove_prefix(1);
          zone_offset = 0;
          zone_name = "UTC";
          break;
        }
        const bool colon = ch.std == Std::kISO8601ColonTZ || ch.std == Std::kNumColonTZ ||
                           ch.std == Std::kISO8601ColonSecondsTZ || ch.std == Std::kNumColonSecondsTZ;
        const bool secs = ch.std == Std::kISO8601SecondsTZ || ch.std == Std::kNumSecondsTz ||
                          ch.std == Std::kISO8601ColonSecondsTZ || ch.std == Std::kNumColonSecondsTZ;
        const bool short_tz = ch.std == Std::kISO8601ShortTZ || ch.std == Std::kNumShortTZ;
        ok = !value.empty() && (value[0] == '+' || value[0] == '-');
        if (!ok) break;
        const int sign = value[0] == '-' ? -1 : 1;
        value.remove_prefix(1);
        int hh = 0, mm = 0, ss = 0;
        ok = getnum(value, true, hh);
        if (ok && !short_tz) {
          if (colon) ok = !value.empty() && value[0] == ':' && (value.remove_prefix(1), true);
          ok = ok && getnum(value, true, mm);
        }
        if (ok && secs) {
          if (colon) ok = !value.empty() && value[0] == ':' && (value.remove_prefix(1), true);
          ok = ok && getnum(value, true, ss);
        }
        zone_offset = sign * (hh * 3600 + mm * 60 + ss);
        break;
      }
      case Std::kTZ: {
        if (value.size() >= 3 && value.substr(0, 3) == "UTC") {
          value.remove_prefix(3);
          zone_name = "UTC";
          zone_offset = 0;
          break;
        }
        size_t n = 0;
        while (n < value.size() && value[n] >= 'A' && value[n] <= 'Z') ++n;
        ok = n >= 3 && n <= 5;
        if (ok) {
          zone_name = std::string(value.substr(0, n));
          value.remove_prefix(n);
        }
        break;
      }
      case Std::kFracSecond0: {
        const size_t n = static_cast<size_t>(ch.frac_digits) + 1;
        ok = value.size() >= n && (value[0] == '.' || value[0] == ',');
        for (size_t k = 1; ok && k < n; ++k) ok = digit_at(value, k);
        if (ok) {
          std::string digits(value.substr(1, n - 1));
          digits.resize(9, '0');
          nsec = std::stoi(digits);
          value.remove_prefix(n);
        }
        break;
      }
      case Std::kFracSecond9: {
        if (value.size() < 2 || (value[0] != '.' && value[0] != ',') || !digit_at(value, 1)) break;
        size_t n = 1;
        while (n < 10 && digit_at(value, n)) ++n;
        std::string digits(value.substr(1, n - 1));
        digits.resize(9, '0');
        nsec = std::stoi(digits);
        value.remove_prefix(n);
        break;
      }
      case Std::kNone:
        break;
    }
    if (!range_err.empty()) return fail_parse("", "", ": " + range_err + " out of range");
    if (!ok) return fail_parse(std_str, hold);
  }
  if (pm_set) {
    if (pm && hour < 12) hour += 12;
    if (!pm && hour == 12) hour = 0;
  }
  if (yday >= 0 && month < 0) {
    // Day of year without month: derive both.
    const int64_t d0 = days_from_civil(year, 1, 1) + yday - 1;
    const Civil c = civil_from_seconds(d0 * 86400);
    month = c.month;
    day = c.day;
  }
  if (month < 0) month = 1;
  if (day < 0) day = 1;
  static constexpr int kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day < 1 || day > kDaysIn[month - 1] || (month == 2 && day == 29 && !leap)) {
    return fail_parse("", "", ": day out of range");
  }
  GoTime t;
  t.sec = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  t.nsec = nsec;
  if (zone_offset) {
    t.sec -= *zone_offset;
    if (*zone_offset != 0) t.fixed = std::make_pair(*zone_offset, zone_name);
  } else if (!zone_name.empty()) {
    t.fixed = std::make_pair(0, zone_name);
  }
  return t;
}

class TimeObject : public Object, public JsonMarshaler {
 public:
  explicit TimeObject(GoTime t) : t_(std::move(t)) {}
  const GoTime& time() const { return t_; }
  std::string type_name() const override { return "time.Time"; }
  std::optional<Value> field(std::string_view name) const override {
    const auto [off, abbrev] = t_.offset();
    const Civil c = civil_from_seconds(t_.sec + off);
    if (name == "Unix") return Value::integer(t_.sec, GoType::kInt64);
    if (name == "UnixMilli") return Value::integer(t_.sec * 1000 + t_.nsec / 1000000, GoType::kInt64);
    if (name == "UnixNano") return Value::integer(t_.sec * 1000000000 + t_.nsec, GoType::kInt64);
    if (name == "Year") return Value::integer(c.year);
    if (name == "Month") return str(std::string(kMonths[static_cast<size_t>(c.month - 1)]));
    if (name == "Day") return Value::integer(c.day);
    if (name == "Hour") return Value::integer(c.hour);
    if (name == "Minute") return Value::integer(c.minute);
    if (name == "Second") return Value::integer(c.second);
    if (name == "Nanosecond") return Value::integer(t_.nsec);
    if (name == "YearDay") return Value::integer(c.yday);
    if (name == "Weekday") return str(std::string(kDays[static_cast<size_t>(c.wday)]));
    if (name == "String") return str(time_string(t_));
    if (name == "IsZero") return Value::boolean(t_.sec == -62135596800 && t_.nsec == 0);
    if (name == "UTC" || name == "Local") {
      GoTime u = t_;
      u.fixed.reset();
      u.zone = name == "UTC" ? utc_zone() : load_location("Local");
      return Value::object(std::make_shared<TimeObject>(std::move(u)));
    }
    return std::nullopt;
  }
  bool has_method(std::string_view name) const override { return name == "Format"; }
  std::vector<gotemplate::ParamType> method_params(std::string_view) const override {
    return {gotemplate::ParamType::kString};
  }
  Value call_method(std::string_view name, std::span<const Value> args, std::string* error) const override {
    if (name == "Format" && args.size() == 1 && args[0].kind() == Kind::kString) {
      return str(format_time(t_, args[0].as_string()));
    }
    if (error != nullptr) *error = "wrong arguments for time.Time." + std::string(name);
    return Value();
  }
  std::string format() const override { return time_string(t_); }
  Value json_value() const override { return str(format_time(t_, "2006-01-02T15:04:05.999999999Z07:00")); }

 private:
  GoTime t_;
};

Value time_value(GoTime t) { return Value::object(std::make_shared<TimeObject>(std::move(t))); }

const TimeObject* as_time(const Value& v) {
  return v.kind() == Kind::kObject ? dynamic_cast<const TimeObject*>(&v.as_object()) : nullptr;
}

const GoTime& time_arg(Args a, size_t i) {
  const TimeObject* t = as_time(a[i]);
  if (t == nullptr) {
    if (a[i].is_nil()) gotemplate::fail("invalid value; expected time.Time");
    convert::wrong_type(a[i], "time.Time");
  }
  return t->time();
}

GoTime now_time(const CallContext& ctx) {
  GoTime t;
  t.sec = ctx.now_unix;
  t.zone = load_location("Local");
  return t;
}

/// Sprig's date argument: a time, an int or int64 of Unix seconds; anything else means now.
GoTime date_arg(const CallContext& ctx, const Value& v) {
  if (const TimeObject* t = as_time(v)) return t->time();
  if (v.kind() == Kind::kInt && (v.go_type() == GoType::kInt || v.go_type() == GoType::kInt64)) {
    GoTime t;
    t.sec = v.as_int();
    t.zone = load_location("Local");
    return t;
  }
  return now_time(ctx);
}

std::string date_in_zone(const CallContext& ctx, const std::string& layout, const Value& date,
                         const std::string& zone) {
  GoTime t = date_arg(ctx, date);
  auto loc = load_location(zone);
  if (!loc) loc = utc_zone();
  t.zone = loc;
  t.fixed.reset();
  return format_time(t, layout);
}

constexpr int64_t kNs = 1;
constexpr int64_t kUs = 1000 * kNs;
constexpr int64_t kMs = 1000 * kUs;
constexpr int64_t kSec = 1000 * kMs;
constexpr int64_t kMin = 60 * kSec;
constexpr int64_t kHour = 60 * kMin;

/// time.Duration.String.
std::string duration_string(int64_t d) {
  if (d == 0) return "0s";
  const bool neg = d < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
  const auto frac = [](uint64_t v, int prec, std::string& tail) {
    // Fraction of v / 10^prec without trailing zeros; returns v / 10^prec.
    std::string digits;
    bool print = false;
    for (int i = 0; i < prec; ++i) {
      const auto digit = static_cast<char>('0' + v % 10);
      print = print || digit != '0';
      if (print) digits.insert(digits.begin(), digit);
      v /= 10;
    }
    if (print) tail = "." + digits + tail;
    return v;
  };
  std::string out;
  if (u < static_cast<uint64_t>(kSec)) {
    std::string unit;
    int prec = 0;
    if (u < static_cast<uint64_t>(kUs)) {
      unit = "ns";
    } else if (u < static_cast<uint64_t>(kMs)) {
      prec = 3;
      unit = "\xC2\xB5s";
    } else {
      prec = 6;
      unit = "ms";
    }
    std::string tail = unit;
    u = frac(u, prec, tail);
    out = std::to_string(u) + tail;
  } else {
    std::string tail = "s";
    u = frac(u, 9, tail);
    out = std::to_string(u % 60) + tail;
    u /= 60;
    if (u > 0) {
      out = std::to_string(u % 60) + "m" + out;
      u /= 60;
      if (u > 0) out = std::to_string(u) + "h" + out;
    }
  }
  return neg ? "-" + out : out;
}

/// time.ParseDuration; nullopt with Go's error text.
std::optional<int64_t> parse_duration(std::string_view s, std::string* error) {
  const std::string orig(s);
  const auto invalid = [&] {
    *error = fmt::format("time: invalid duration {:?}", orig);
    return std::nullopt;
  };
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return invalid();
  long double total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || digit_at(s, 0))) return invalid();
    size_t i = 0;
    long double v = 0;
    while (digit_at(s, i)) v = v * 10 + (s[i++] - '0');
    const bool pre = i > 0;
    long double scale = 1;
    bool post = false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (digit_at(s, i)) {
        scale /= 10;
        v += (s[i++] - '0') * scale;
        post = true;
      }
    }
    if (!pre && !post) return invalid();
    size_t u = i;
    while (u < s.size() && s[u] != '.' && !digit_at(s, u)) ++u;
    const std::string_view unit = s.substr(i, u - i);
    if (unit.empty()) {
      *error = fmt::format("time: missing unit in duration {:?}", orig);
      return std::nullopt;
    }
    int64_t mult = 0;
    if (unit == "ns") {
      mult = kNs;
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      mult = kUs;
    } else if (unit == "ms") {
      mult = kMs;
    } else if (unit == "s") {
      mult = kSec;
    } else if (unit == "m") {
      mult = kMin;
    } else if (unit == "h") {
      mult = kHour;
    } else {
      *error = fmt::format("time: unknown unit {:?} in duration {:?}", std::string(unit), orig);
      return std::nullopt;
    }
    total += v * mult;
    if (total > 9223372036854775807.0L) return invalid();
    s.remove_prefix(u);
  }
  const auto d = static_cast<int64_t>(total);
  return neg ? -d : d;
}

void add_dates(FuncMap& f) {
  f["now"] = Function{0, 0, [](CallContext& ctx, Args) { return time_value(now_time(ctx)); }};
  f["date"] =
      Function{2, 2, [](CallContext& ctx, Args a) { return str(date_in_zone(ctx, sarg(a, 0), a[1], "Local")); }};
  const auto in_zone = [](CallContext& ctx, Args a) { return str(date_in_zone(ctx, sarg(a, 0), a[1], sarg(a, 2))); };
  f["dateInZone"] = Function{3, 3, in_zone};
  f["date_in_zone"] = Function{3, 3, in_zone};
  f["htmlDate"] =
      Function{1, 1, [](CallContext& ctx, Args a) { return str(date_in_zone(ctx, "2006-01-02", a[0], "Local")); }};
  f["htmlDateInZone"] =
      Function{2, 2, [](CallContext& ctx, Args a) { return str(date_in_zone(ctx, "2006-01-02", a[0], sarg(a, 1))); }};
  const auto modify = [](bool must) {
    return [must](CallContext&, Args a) {
      const std::string& spec = sarg(a, 0);
      GoTime t = time_arg(a, 1);
      std::string err;
      const auto d = parse_duration(spec, &err);
      if (!d) {
        if (must) gotemplate::fail(err);
        return time_value(t);
      }
      const int64_t total = t.nsec + *d;
      int64_t secs = total / kSec;
      int64_t ns = total % kSec;
      if (ns < 0) {
        ns += kSec;
        --secs;
      }
      t.sec += secs;
      t.nsec = static_cast<int32_t>(ns);
      return time_value(t);
    };
  };
  f["dateModify"] = Function{2, 2, modify(false)};
  f["date_modify"] = Function{2, 2, modify(false)};
  f["mustDateModify"] = Function{2, 2, modify(true)};
  f["must_date_modify"] = Function{2, 2, modify(true)};
  f["ago"] = Function{1, 1, [](CallContext& ctx, Args a) {
                        GoTime t = now_time(ctx);
                        if (const TimeObject* o = as_time(a[0])) {
                          t = o->time();
                        } else if (a[0].kind() == Kind::kInt) {
                          t.sec = a[0].as_int();
                        }
                        // time.Since(t).Round(time.Second)
                        const int64_t ns = (ctx.now_unix - t.sec) * kSec - t.nsec;
                        int64_t r = ns / kSec;
                        const int64_t rem = ns % kSec;
                        if (rem >= kSec / 2) ++r;
                        if (rem <= -kSec / 2) --r;
                        return str(duration_string(r * kSec));
                      }};
  f["duration"] = Function{1, 1, [](CallContext&, Args a) {
                             int64_t n = 0;
                             if (a[0].kind() == Kind::kString) {
                               n = convert::parse_int(a[0].as_string(), 10).value_or(0);
                             } else if (a[0].kind() == Kind::kInt && a[0].go_type() == GoType::kInt64) {
                               n = a[0].as_int();
                             }
                             return str(duration_string(n * kSec));
                           }};
  f["durationRound"] = Function{1, 1, [](CallContext& ctx, Args a) {
                                  int64_t d = 0;
                                  if (a[0].kind() == Kind::kString) {
                                    std::string err;
                                    d = parse_duration(a[0].as_string(), &err).value_or(0);
                                  } else if (a[0].kind() == Kind::kInt && a[0].go_type() == GoType::kInt64) {
                                    d = a[0].as_int();
                                  } else if (const TimeObject* t = as_time(a[0])) {
                                    d = (ctx.now_unix - t->time().sec) * kSec - t->time().nsec;
                                  }
                                  uint64_t u = d < 0 ? 0 - static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
                                  const uint64_t hour = kHour, minute = kMin, second = kSec;
                                  const uint64_t day = hour * 24, month = day * 30, year = day * 365;
                                  if (u > year) return str(std::to_string(u / year) + "y");
                                  if (u > month) return str(std::to_string(u / month) + "mo");
                                  if (u > day) return str(std::to_string(u / day) + "d");
                                  if (u > hour) return str(std::to_string(u / hour) + "h");
                                  if (u > minute) return str(std::to_string(u / minute) + "m");
                                  if (u > second) return str(std::to_string(u / second) + "s");
                                  return str("0s");
                                }};
  const auto to_date = [](bool must) {
    return [must](CallContext&, Args a) {
      std::string err;
      auto t = parse_time(sarg(a, 0), sarg(a, 1), &err);
      if (!t) {
        if (must) gotemplate::fail(err);
        GoTime zero;
        zero.sec = -62135596800;
        return time_value(zero);
      }
      if (!t->fixed) t->zone = load_location("Local");
      return time_value(*t);
    };
  };
  f["toDate"] = Function{2, 2, to_date(false)};
  f["mustToDate"] = Function{2, 2, to_date(true)};
  f["unixEpoch"] = Function{1, 1, [](CallContext&, Args a) { return str(std::to_string(time_arg(a, 0).sec)); }};
}

// ---------------------------------------------------------------------------------------------------------
// Random values: deterministic from CallContext::seed (each call advances it), so output is reproducible.

uint64_t next_random(CallContext& ctx) {
  ctx.seed += 0x9E3779B97F4A7C15ULL;
  uint64_t z = ctx.seed;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t random_below(CallContext& ctx, uint64_t n) { return n == 0 ? 0 : next_random(ctx) % n; }

std::string random_from(CallContext& ctx, int64_t count, std::string_view alphabet) {
  std::string out;
  for (int64_t i = 0; i < count; ++i) out += alphabet[random_below(ctx, alphabet.size())];
  return out;
}

std::string random_bytes(CallContext& ctx, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += static_cast<char>(next_random(ctx) & 0xFF);
  return out;
}

void add_random(FuncMap& f) {
  constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  constexpr std::string_view kAlnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static const std::string ascii = [] {
    std::string s;
    for (char c = 32; c <= 126; ++c) s += c;
    return s;
  }();
  const auto rand_fn = [](std::string_view alphabet) {
    return [alphabet](CallContext& ctx, Args a) { return str(random_from(ctx, iarg(a, 0), alphabet)); };
  };
  f["randAlphaNum"] = Function{1, 1, rand_fn(kAlnum)};
  f["randAlpha"] = Function{1, 1, rand_fn(kLetters)};
  f["randNumeric"] = Function{1, 1, rand_fn("0123456789")};
  f["randAscii"] = Function{1, 1, rand_fn(ascii)};
  f["randInt"] =
      Function{2, 2, [](CallContext& ctx, Args a) {
                 const int64_t lo = iarg(a, 0), hi = iarg(a, 1);
                 if (hi - lo <= 0) gotemplate::fail("invalid argument to Intn");
                 return Value::integer(lo + static_cast<int64_t>(random_below(ctx, static_cast<uint64_t>(hi - lo))));
               }};
  f["randBytes"] = Function{1, 1, [](CallContext& ctx, Args a) {
                              const int64_t n = iarg(a, 0);
                              if (n < 0) gotemplate::fail("makeslice: len out of range");
                              return str(encode_base64(random_bytes(ctx, static_cast<size_t>(n))));
                            }};
  f["shuffle"] = Function{1, 1, [](CallContext& ctx, Args a) {
                            const std::string& s = sarg(a, 0);
                            std::vector<std::string> runes;
                            for (size_t i = 0; i < s.size();) {
                              const size_t n = std::max<size_t>(1, convert::unicode::decode(s, i).second);
                              runes.emplace_back(s.substr(i, n));
                              i += n;
                            }
                            for (size_t i = runes.size(); i-- > 1;)
                              std::swap(runes[i], runes[random_below(ctx, i + 1)]);
                            std::string out;
                            for (const auto& r : runes) out += r;
                            return str(out);
                          }};
  f["uuidv4"] = Function{0, 0, [](CallContext& ctx, Args) {
                           std::string b = random_bytes(ctx, 16);
                           b[6] = static_cast<char>((b[6] & 0x0F) | 0x40);
                           b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);
                           const std::string h = hash::to_hex(b);
                           return str(h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
                                      h.substr(16, 4) + "-" + h.substr(20));
                         }};
}

// ---------------------------------------------------------------------------------------------------------
// Paths (Go's path package; filepath is the same on Linux).

/// path.Clean.
std::string clean_path(std::string_view p) {
  if (p.empty()) return ".";
  const bool rooted = p[0] == '/';
  std::string out;
  size_t r = 0, dotdot = 0;
  if (rooted) {
    out = "/";
    r = 1;
    dotdot = 1;
  }
  while (r < p.size()) {
    if (p[r] == '/') {
      ++r;
    } else if (p[r] == '.' && (r + 1 == p.size() || p[r + 1] == '/')) {
      ++r;
    } else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == p.size() || p[r + 2] == '/')) {
      r += 2;
      if (out.size() > dotdot) {
        size_t w = out.size() - 1;
        while (w > dotdot && out[w] != '/') --w;
        out.resize(w);
      } else if (!rooted) {
        if (!out.empty()) out += '/';
        out += "..";
        dotdot = out.size();
      }
    } else {
      if ((rooted && out.size() != 1) || (!rooted && !out.empty())) out += '/';
      while (r < p.size() && p[r] != '/') out += p[r++];
    }
  }
  if (out.empty()) return ".";
  return out;
}

std::string base_path(std::string_view p) {
  if (p.empty()) return ".";
  while (p.size() > 0 && p.back() == '/') p.remove_suffix(1);
  const size_t i = p.rfind('/');
  if (i != std::string_view::npos) p.remove_prefix(i + 1);
  if (p.empty()) return "/";
  return std::string(p);
}

std::string dir_path(std::string_view p) {
  const size_t i = p.rfind('/');
  return clean_path(p.substr(0, i == std::string_view::npos ? 0 : i + 1));
}

std::string ext_path(std::string_view p) {
  for (size_t i = p.size(); i-- > 0 && p[i] != '/';) {
    if (p[i] == '.') return std::string(p.substr(i));
  }
  return "";
}

void add_paths(FuncMap& f) {
  for (const char* prefix : {"", "os"}) {
    const std::string pre = prefix;
    const auto name = [&](const char* n) {
      std::string s = n;
      if (!pre.empty()) s[0] = static_cast<char>(s[0] - 'a' + 'A');
      return pre + s;
    };
    f[name("base")] = Function{1, 1, [](CallContext&, Args a) { return str(base_path(sarg(a, 0))); }};
    f[name("dir")] = Function{1, 1, [](CallContext&, Args a) { return str(dir_path(sarg(a, 0))); }};
    f[name("clean")] = Function{1, 1, [](CallContext&, Args a) { return str(clean_path(sarg(a, 0))); }};
    f[name("ext")] = Function{1, 1, [](CallContext&, Args a) { return str(ext_path(sarg(a, 0))); }};
    f[name("isAbs")] = Function{1, 1, [](CallContext&, Args a) {
                                  const std::string& p = sarg(a, 0);
                                  return Value::boolean(!p.empty() && p[0] == '/');
                                }};
  }
}

// ---------------------------------------------------------------------------------------------------------
// URLs (net/url).

bool unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

enum class Enc : uint8_t { kPath, kHost, kUserPassword, kFragment };

/// net/url's shouldEscape.
bool should_escape(char c, Enc mode) {
  if (unreserved(c)) return false;
  if (mode == Enc::kHost) {
    return std::strchr("!$&'()*+,;=:[]<>\"", c) == nullptr || c == '\0';
  }
  switch (c) {
    case '$':
    case '&':
    case '+':
    case ',':
    case '/':
    case ':':
    case ';':
    case '=':
    case '?':
    case '@':
      if (mode == Enc::kPath) return c == '?';
      if (mode == Enc::kUserPassword) return c == '@' || c == '/' || c == '?' || c == ':';
      return false;  // fragment
    default:
      break;
  }
  if (mode == Enc::kFragment) return std::strchr("!()*", c) == nullptr || c == '\0';
  return true;
}

std::string url_escape(std::string_view s, Enc mode) {
  std::string out;
  for (const char c : s) {
    if (should_escape(c, mode)) {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

std::string url_unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() + 0 && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

struct Url {
  std::string scheme, opaque, user, host, path, raw_query, fragment;
  bool has_user = false;
};

Url url_parse(std::string_view raw) {
  Url u;
  const size_t hash = raw.find('#');
  if (hash != std::string_view::npos) {
    u.fragment = url_unescape(raw.substr(hash + 1));
    raw = raw.substr(0, hash);
  }
  // Scheme: a letter, then letters, digits, + - . up to ':'.
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (std::isalpha(static_cast<unsigned char>(c))) continue;
    if ((std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.') && i > 0) continue;
    if (c == ':' && i > 0) {
      u.scheme = to_lower(raw.substr(0, i));
      raw.remove_prefix(i + 1);
    }
    break;
  }
  const size_t q = raw.find('?');
  if (q != std::string_view::npos) {
    u.raw_query = std::string(raw.substr(q + 1));
    raw = raw.substr(0, q);
  }
  if (!raw.starts_with("/") && !u.scheme.empty()) {
    u.opaque = std::string(raw);
    return u;
  }
  if (raw.starts_with("//")) {
    raw.remove_prefix(2);
    const size_t slash = raw.find('/');
    std::string_view authority = raw.substr(0, slash);
    raw = slash == std::string_view::npos ? std::string_view() : raw.substr(slash);
    const size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      u.has_user = true;
      const std::string_view ui = authority.substr(0, at);
      const size_t colon = ui.find(':');
      if (colon == std::string_view::npos) {
        u.user = url_escape(url_unescape(ui), Enc::kUserPassword);
      } else {
        u.user = url_escape(url_unescape(ui.substr(0, colon)), Enc::kUserPassword) + ":" +
                 url_escape(url_unescape(ui.substr(colon + 1)), Enc::kUserPassword);
      }
      authority.remove_prefix(at + 1);
    }
    u.host = url_unescape(authority);
  }
  u.path = url_unescape(raw);
  return u;
}

std::string hostname(const std::string& host) {
  if (host.starts_with("[")) {
    const size_t end = host.find(']');
    return end == std::string::npos ? host.substr(1) : host.substr(1, end - 1);
  }
  const size_t colon = host.rfind(':');
  return colon == std::string::npos ? host : host.substr(0, colon);
}

std::string url_string(const Url& u) {
  std::string out;
  if (!u.scheme.empty()) out += u.scheme + ":";
  if (!u.opaque.empty()) {
    out += u.opaque;
  } else {
    if (!u.scheme.empty() || !u.host.empty() || u.has_user) {
      if (!u.host.empty() || !u.path.empty() || u.has_user) out += "//";
      if (u.has_user) out += u.user + "@";
      if (!u.host.empty()) out += url_escape(u.host, Enc::kHost);
    }
    const std::string path = url_escape(u.path, Enc::kPath);
    if (!path.empty() && path[0] != '/' && !u.host.empty()) out += '/';
    if (out.empty()) {
      const std::string segment = path.substr(0, path.find('/'));
      if (segment.find(':') != std::string::npos) out += "./";
    }
    out += path;
  }
  if (!u.raw_query.empty()) out += "?" + u.raw_query;
  if (!u.fragment.empty()) out += "#" + url_escape(u.fragment, Enc::kFragment);
  return out;
}

void add_urls(FuncMap& f) {
  f["urlParse"] = Function{1, 1, [](CallContext&, Args a) {
                             const Url u = url_parse(sarg(a, 0));
                             Map m;
                             m["scheme"] = str(u.scheme);
                             m["host"] = str(u.host);
                             m["hostname"] = str(hostname(u.host));
                             m["path"] = str(u.path);
                             m["query"] = str(u.raw_query);
                             m["opaque"] = str(u.opaque);
                             m["fragment"] = str(u.fragment);
                             m["userinfo"] = str(u.has_user ? u.user : "");
                             return Value::map(std::move(m));
                           }};
  f["urlJoin"] =
      Function{1, 1, [](CallContext&, Args a) {
                 const auto m = convert::arg_map(a, 0);
                 const auto get = [&](const char* key) -> std::string {
                   if (!m) return "";
                   const auto it = m->find(key);
                   if (it == m->end()) return "";
                   if (it->second.kind() != Kind::kString) {
                     gotemplate::fail(fmt::format("unable to parse {} key, must be of type string, but {} found", key,
                                                  convert::kind_name(it->second)));
                   }
                   return it->second.as_string();
                 };
                 Url u;
                 u.scheme = get("scheme");
                 u.host = get("host");
                 u.path = get("path");
                 u.raw_query = get("query");
                 u.opaque = get("opaque");
                 u.fragment = get("fragment");
                 const std::string ui = get("userinfo");
                 if (!ui.empty()) {
                   u.has_user = true;
                   u.user = url_parse("proto://" + ui + "@host").user;
                 }
                 return str(url_string(u));
               }};
}

// ---------------------------------------------------------------------------------------------------------
// Crypto: placeholders. Real keys and certificates are random per run in Helm, so no output could match; a
// linter only needs well-formed PEM text and the Cert/Key fields.

std::string pem(std::string_view type, std::string_view label) {
  return fmt::format("-----BEGIN {0}-----\nPLACEHOLDER+generated+by+gitops+lint+{1}\n-----END {0}-----\n", type, label);
}

/// Sprig's `certificate` struct (Cert, Key).
class CertificateObject : public Object, public JsonMarshaler {
 public:
  CertificateObject(std::string cert, std::string key) : cert_(std::move(cert)), key_(std::move(key)) {}
  std::string type_name() const override { return "sprig.certificate"; }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Cert") return str(cert_);
    if (name == "Key") return str(key_);
    return std::nullopt;
  }
  std::string format() const override { return "{" + cert_ + " " + key_ + "}"; }
  Value json_value() const override { return Value::map(Map{{"Cert", str(cert_)}, {"Key", str(key_)}}); }

 private:
  std::string cert_, key_;
};

Value placeholder_cert(std::string_view label, std::optional<std::string> key = std::nullopt) {
  return Value::object(std::make_shared<CertificateObject>(pem("CERTIFICATE", label),
                                                           key ? std::move(*key) : pem("RSA PRIVATE KEY", label)));
}

/// A placeholder for a bcrypt hash: "$2a$10$" and 53 characters of bcrypt's base64, derived from the input.
std::string bcrypt_placeholder(std::string_view input) {
  constexpr std::string_view kBcrypt64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const std::string digest = hash::sha512_hex(input);
  std::string out = "$2a$10$";
  for (size_t i = 0; i < 53; ++i) out += kBcrypt64[static_cast<unsigned char>(digest[i * 2 % digest.size()] + i) % 64];
  return out;
}

/// A `[]interface {}` parameter (nil allowed).
void list_arg(Args a, size_t i) {
  if (!a[i].is_nil() && a[i].kind() != Kind::kList) convert::wrong_type(a[i], "[]interface {}");
}

const CertificateObject& cert_arg(Args a, size_t i) {
  const auto* c = a[i].kind() == Kind::kObject ? dynamic_cast<const CertificateObject*>(&a[i].as_object()) : nullptr;
  if (c == nullptr) convert::wrong_type(a[i], "sprig.certificate");
  return *c;
}

constexpr size_t kAesBlockSize = 16;

/// Sprig's AES key: the password's bytes, zero-padded or cut to 32.
std::string aes_key(const std::string& password) {
  std::string key = password.substr(0, 32);
  key.resize(32, '\0');
  return key;
}

/// Sprig's derivePassword: the Master Password algorithm (scrypt of the password salted with the user, an
/// HMAC-SHA256 of the site and counter as the seed, then a character template picked by the seed).
std::string derive_password(uint32_t counter, const std::string& type, const std::string& password,
                            const std::string& user, const std::string& site) {
  static const std::map<std::string, std::vector<std::string_view>, std::less<>> kTemplates = {
      {"maximum", {"anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"}},
      {"long",
       {"CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv", "CvccCvcvCvcvno",
        "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno",
        "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno", "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno",
        "CvccnoCvcvCvcc", "CvccCvcvnoCvcc", "CvccCvcvCvccno"}},
      {"medium", {"CvcnoCvc", "CvcCvcno"}},
      {"short", {"Cvcn"}},
      {"basic", {"aaanaaan", "aannaaan", "aaannaaa"}},
      {"pin", {"nnnn"}},
  };
  auto characters = [](char c) -> std::string_view {
    switch (c) {
      case 'V': return "AEIOU";
      case 'C': return "BCDFGHJKLMNPQRSTVWXYZ";
      case 'v': return "aeiou";
      case 'c': return "bcdfghjklmnpqrstvwxyz";
      case 'A': return "AEIOUBCDFGHJKLMNPQRSTVWXYZ";
      case 'a': return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
      case 'n': return "0123456789";
      case 'o': return "@&%?,=[]_:-+*$#!'^~;()/.";
      default: return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()";  // 'x'
    }
  };
  const auto templates = kTemplates.find(type);
  if (templates == kTemplates.end()) return "cannot find password template " + type;
  constexpr std::string_view kSeed = "com.lyndir.masterpassword";
  auto be32 = [](uint32_t v) {
    std::string out;
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
    return out;
  };
  const std::string salt = std::string(kSeed) + be32(static_cast<uint32_t>(user.size())) + user;
  constexpr uint64_t kN = 32768;
  constexpr uint32_t kR = 8;
  constexpr uint32_t kP = 2;
  constexpr size_t kKeyLength = 64;
  const auto key = crypto::scrypt(password, salt, kN, kR, kP, kKeyLength);
  if (!key) return "failed to derive password";
  const auto seed = crypto::hmac_sha256(*key, std::string(kSeed) + be32(static_cast<uint32_t>(site.size())) + site +
                                                  be32(counter));
  const std::string_view pattern = templates->second[seed[0] % templates->second.size()];
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string_view chars = characters(pattern[i]);
    out += chars[seed[i + 1] % chars.size()];
  }
  return out;
}

void add_crypto(FuncMap& f) {
  f["sha1sum"] = Function{1, 1, [](CallContext&, Args a) { return str(hash::sha1_hex(sarg(a, 0))); }};
  f["sha256sum"] = Function{1, 1, [](CallContext&, Args a) { return str(hash::sha256_hex(sarg(a, 0))); }};
  f["adler32sum"] = Function{1, 1, [](CallContext&, Args a) { return str(std::to_string(hash::adler32(sarg(a, 0)))); }};
  f["bcrypt"] = Function{1, 1, [](CallContext&, Args a) { return str(bcrypt_placeholder(sarg(a, 0))); }};
  f["htpasswd"] = Function{2, 2, [](CallContext&, Args a) {
                             const std::string& user = sarg(a, 0);
                             const std::string& password = sarg(a, 1);
                             if (user.find(':') != std::string::npos) return str("invalid username: " + user);
                             return str(user + ":" + bcrypt_placeholder(password));
                           }};
  f["derivePassword"] = Function{5, 5, [](CallContext&, Args a) {
                                   return str(derive_password(static_cast<uint32_t>(iarg(a, 0)), sarg(a, 1), sarg(a, 2),
                                                              sarg(a, 3), sarg(a, 4)));
                                 }};
  f["genPrivateKey"] = Function{1, 1, [](CallContext&, Args a) {
                                  const std::string& typ = sarg(a, 0);
                                  if (typ.empty() || typ == "rsa") return str(pem("RSA PRIVATE KEY", "rsa"));
                                  if (typ == "dsa") return str(pem("DSA PRIVATE KEY", "dsa"));
                                  if (typ == "ecdsa") return str(pem("EC PRIVATE KEY", "ecdsa"));
                                  if (typ == "ed25519") return str(pem("PRIVATE KEY", "ed25519"));
                                  return str("Unknown type " + typ);
                                }};
  f["genCA"] = Function{2, 2, [](CallContext&, Args a) {
                          sarg(a, 0);
                          iarg(a, 1);
                          return placeholder_cert("ca");
                        }};
  f["genCAWithKey"] = Function{3, 3, [](CallContext&, Args a) {
                                 sarg(a, 0);
                                 iarg(a, 1);
                                 return placeholder_cert("ca", sarg(a, 2));
                               }};
  f["genSelfSignedCert"] = Function{4, 4, [](CallContext&, Args a) {
                                      sarg(a, 0);
                                      list_arg(a, 1);
                                      list_arg(a, 2);
                                      iarg(a, 3);
                                      return placeholder_cert("self+signed");
                                    }};
  f["genSelfSignedCertWithKey"] = Function{5, 5, [](CallContext&, Args a) {
                                             sarg(a, 0);
                                             list_arg(a, 1);
                                             list_arg(a, 2);
                                             iarg(a, 3);
                                             return placeholder_cert("self+signed", sarg(a, 4));
                                           }};
  f["genSignedCert"] = Function{5, 5, [](CallContext&, Args a) {
                                  sarg(a, 0);
                                  list_arg(a, 1);
                                  list_arg(a, 2);
                                  iarg(a, 3);
                                  cert_arg(a, 4);
                                  return placeholder_cert("signed");
                                }};
  f["genSignedCertWithKey"] = Function{6, 6, [](CallContext&, Args a) {
                                         sarg(a, 0);
                                         list_arg(a, 1);
                                         list_arg(a, 2);
                                         iarg(a, 3);
                                         cert_arg(a, 4);
                                         return placeholder_cert("signed", sarg(a, 5));
                                       }};
  f["buildCustomCert"] = Function{2, 2, [](CallContext&, Args a) {
                                    std::string err;
                                    const std::string cert = b64_decode(sarg(a, 0), &err);
                                    if (!err.empty()) gotemplate::fail("unable to decode base64 certificate");
                                    const std::string key = b64_decode(sarg(a, 1), &err);
                                    if (!err.empty()) gotemplate::fail("unable to decode base64 private key");
                                    if (cert.find("-----BEGIN") == std::string::npos) {
                                      gotemplate::fail("unable to decode certificate");
                                    }
                                    return Value::object(std::make_shared<CertificateObject>(cert, key));
                                  }};
  // AES-256-CBC as Sprig does it: the password zero-padded or cut to 32 bytes is the key, PKCS#7 padding, a
  // random IV (from the seeded generator, so output is reproducible under a fixed seed) before the ciphertext.
  f["encryptAES"] = Function{2, 2, [](CallContext& ctx, Args a) {
                               const std::string& plain = sarg(a, 1);
                               if (plain.empty()) return str("");
                               const std::string iv = random_bytes(ctx, kAesBlockSize);
                               std::string padded = plain;
                               const size_t pad = kAesBlockSize - plain.size() % kAesBlockSize;
                               padded.append(pad, static_cast<char>(pad));
                               return str(encode_base64(iv + crypto::aes256_cbc_encrypt(aes_key(sarg(a, 0)), iv, padded)));
                             }};
  f["decryptAES"] = Function{2, 2, [](CallContext&, Args a) {
                               const std::string& text = sarg(a, 1);
                               if (text.empty()) return str("");
                               std::string err;
                               const std::string raw = b64_decode(text, &err);
                               if (!err.empty()) gotemplate::fail(err);
                               if (raw.size() < kAesBlockSize) {
                                 gotemplate::fail(fmt::format("runtime error: slice bounds out of range [:16] with capacity {}",
                                                              raw.size()));
                               }
                               const std::string_view body = std::string_view(raw).substr(kAesBlockSize);
                               if (body.size() % kAesBlockSize != 0) gotemplate::fail("crypto/cipher: input not full blocks");
                               std::string plain = crypto::aes256_cbc_decrypt(aes_key(sarg(a, 0)),
                                                                              std::string_view(raw).substr(0, kAesBlockSize), body);
                               if (plain.empty()) gotemplate::fail("runtime error: index out of range [-1]");
                               const auto pad = static_cast<unsigned char>(plain.back());
                               if (pad > plain.size()) {
                                 gotemplate::fail(fmt::format("runtime error: slice bounds out of range [:{}]",
                                                              static_cast<int64_t>(plain.size()) - pad));
                               }
                               plain.resize(plain.size() - pad);
                               return str(plain);
                             }};
}

void add_encoding(FuncMap& f) {
  f["b64enc"] = Function{1, 1, [](CallContext&, Args a) { return str(b64_encode(sarg(a, 0))); }};
  f["b64dec"] = Function{1, 1, [](CallContext&, Args a) {
                           std::string err;
                           std::string out = b64_decode(sarg(a, 0), &err);
                           return str(err.empty() ? out : err);
                         }};
  f["b32enc"] = Function{1, 1, [](CallContext&, Args a) { return str(b32_encode(sarg(a, 0))); }};
  f["b32dec"] = Function{1, 1, [](CallContext&, Args a) {
                           std::string err;
                           std::string out = b32_decode(sarg(a, 0), &err);
                           return str(err.empty() ? out : err);
                         }};
}

/// The Go parameter types of the functions above whose parameters are not all interface {} (Sprig's
/// signatures): text/template checks and converts the arguments against them before the call.
void add_signatures(FuncMap& f) {
  using P = gotemplate::ParamType;
  using gotemplate::set_params;
  set_params(f, {"b64enc", "b64dec", "b32enc", "b32dec"}, {P::kString});
  set_params(f, {"sha1sum", "sha256sum", "adler32sum", "bcrypt", "genPrivateKey"}, {P::kString});
  set_params(f, {"regexQuoteMeta", "semver", "shuffle", "urlParse", "getHostByName", "fail"}, {P::kString});
  set_params(f, {"base", "dir", "clean", "ext", "isAbs"}, {P::kString});
  set_params(f, {"osBase", "osDir", "osClean", "osExt", "osIsAbs"}, {P::kString});
  set_params(f, {"htpasswd", "buildCustomCert", "encryptAES", "decryptAES"}, {P::kString, P::kString});
  set_params(f, {"regexMatch", "mustRegexMatch", "regexFind", "mustRegexFind"}, {P::kString, P::kString});
  set_params(f, {"semverCompare", "toDate", "mustToDate"}, {P::kString, P::kString});
  set_params(f, {"regexFindAll", "mustRegexFindAll", "regexSplit", "mustRegexSplit"},
             {P::kString, P::kString, P::kInt});
  set_params(f, {"regexReplaceAll", "mustRegexReplaceAll", "regexReplaceAllLiteral", "mustRegexReplaceAllLiteral"},
             {P::kString, P::kString, P::kString});
  set_params(f, {"derivePassword"}, {P::kUint32, P::kString, P::kString, P::kString, P::kString});
  set_params(f, {"genCA"}, {P::kString, P::kInt});
  set_params(f, {"genCAWithKey"}, {P::kString, P::kInt, P::kString});
  set_params(f, {"genSelfSignedCert"}, {P::kString, P::kIfaceList, P::kIfaceList, P::kInt});
  set_params(f, {"genSelfSignedCertWithKey"}, {P::kString, P::kIfaceList, P::kIfaceList, P::kInt, P::kString});
  set_params(f, {"genSignedCert"}, {P::kString, P::kIfaceList, P::kIfaceList, P::kInt, P::kCertificate});
  set_params(f, {"genSignedCertWithKey"},
             {P::kString, P::kIfaceList, P::kIfaceList, P::kInt, P::kCertificate, P::kString});
  set_params(f, {"date"}, {P::kString, P::kAny});
  set_params(f, {"dateInZone", "date_in_zone"}, {P::kString, P::kAny, P::kString});
  set_params(f, {"htmlDateInZone"}, {P::kAny, P::kString});
  set_params(f, {"dateModify", "date_modify", "mustDateModify", "must_date_modify"}, {P::kString, P::kTime});
  set_params(f, {"unixEpoch"}, {P::kTime});
  set_params(f, {"randAlphaNum", "randAlpha", "randNumeric", "randAscii", "randBytes"}, {P::kInt});
  set_params(f, {"randInt"}, {P::kInt, P::kInt});
  set_params(f, {"urlJoin"}, {P::kMap});
}

}  // namespace

void add_sprig_extra(FuncMap& f) {
  add_encoding(f);
  add_crypto(f);
  add_regex(f);
  add_semver(f);
  add_dates(f);
  add_random(f);
  add_paths(f);
  add_urls(f);
  // Sprig resolves the name and picks a random address; offline we never resolve.
  f["getHostByName"] = Function{1, 1, [](CallContext&, Args a) {
                                  sarg(a, 0);
                                  return str("");
                                }};
  f["fail"] = Function{1, 1, [](CallContext&, Args a) -> Value { gotemplate::fail(sarg(a, 0)); }};
  add_signatures(f);
}

}  // namespace gl::render::helm
