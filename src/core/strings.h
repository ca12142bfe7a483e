#pragma once
// Small string helpers shared across folders.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gl {

std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);
/// split(s, '\n') with a trailing '\r' dropped from each line (CRLF text); "a\n" gives {"a", ""}.
std::vector<std::string_view> split_lines(std::string_view s);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool icontains(std::string_view haystack, std::string_view needle);

/// Shell-style glob: `*` (not '/'), `**` (any, including '/'), `?`, `[abc]`. Used for exclude patterns.
bool glob_match(std::string_view pattern, std::string_view path);

/// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);
/// The candidate closest to `word` (distance <= 1/3 of its length, at least 2), or empty.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// FNV-1a 64-bit hash, rendered as 16 hex digits. Stable across runs and platforms.
uint64_t fnv1a64(std::string_view data, uint64_t seed = 14695981039346656037ULL);
std::string hex64(uint64_t v);

/// Decodes standard base64 (whitespace ignored, padding optional); nullopt when the text is not base64.
std::optional<std::string> decode_base64(std::string_view text);
/// Encodes standard base64 with padding.
std::string encode_base64(std::string_view data);

/// Normalises "." and ".." segments and repeated '/'. `ok` is set to false when the path climbs above its
/// root (the result then has those leading ".." dropped and must not be used to read anything).
std::string normalize_path(std::string_view path, bool* ok = nullptr);
/// Length of the valid UTF-8 sequence starting at s[i] under Go's rules (no surrogates, no overlong forms),
/// 0 when it is invalid.
size_t utf8_length(std::string_view s, size_t i);
/// True when all of `s` is valid UTF-8 (Go's utf8.ValidString).
bool valid_utf8(std::string_view s);
/// Appends `s` as a JSON string the way Go's encoding/json writes it: U+FFFD for invalid UTF-8, \u2028 and
/// \u2029 escaped, `<`, `>` and `&` escaped when `escape_html`; `\b` and `\f` as short escapes when
/// `short_bf` (Go 1.22 and later) or as \u0008 and \u000c (Go 1.19, which the Helm oracle uses).
void append_go_json_string(std::string& out, std::string_view s, bool escape_html, bool short_bf);
/// Appends the UTF-8 encoding of a code point (surrogates and values past U+10FFFF as U+FFFD, as Go does).
void append_utf8(std::string& out, char32_t rune);
/// One reference token of a JSON pointer, unescaped as RFC 6901 says (`~1` is `/`, `~0` is `~`).
std::string decode_json_pointer_token(std::string_view token);
std::string join_path(std::string_view dir, std::string_view rel);
std::string_view dirname(std::string_view path);
std::string_view basename(std::string_view path);

}  // namespace gl
