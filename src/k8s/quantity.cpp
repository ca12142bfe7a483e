#include "k8s/quantity.h"

#include <cmath>
#include <fmt/format.h>

namespace gl::k8s {
namespace {

constexpr int64_t kKi = 1024;

// Multiplier of a suffix as (numerator, exponent of ten) so that value = number * num * 10^exp10.
bool suffix_factor(std::string_view suffix, long double* factor) {
  static constexpr struct {
    std::string_view s;
    long double f;
  } kSuffixes[] = {
      {"", 1.0L},        {"m", 1e-3L},      {"u", 1e-6L},      {"n", 1e-9L},      {"k", 1e3L},
      {"M", 1e6L},       {"G", 1e9L},       {"T", 1e12L},      {"P", 1e15L},      {"E", 1e18L},
      {"Ki", 1024.0L},   {"Mi", 1048576.0L}, {"Gi", 1073741824.0L}, {"Ti", 1099511627776.0L},
      {"Pi", 1125899906842624.0L}, {"Ei", 1152921504606846976.0L},
  };
  for (const auto& e : kSuffixes) {
    if (e.s == suffix) {
      *factor = e.f;
      return true;
    }
  }
  return false;
}

// "1.50" -> "1.5", "2.00" -> "2".
std::string drop_trailing_zeros(std::string num) {
  if (num.find('.') == std::string::npos) return num;
  while (num.back() == '0') num.pop_back();
  if (num.back() == '.') num.pop_back();
  return num;
}

}  // namespace

std::optional<int64_t> parse_quantity_milli(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  size_t i = 0;
  bool neg = false;
  if (s[i] == '+' || s[i] == '-') {
    neg = s[i] == '-';
    ++i;
  }
  const size_t num_begin = i;
  bool seen_digit = false;
  bool seen_dot = false;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && !seen_dot))) {
    seen_dot = seen_dot || s[i] == '.';
    seen_digit = seen_digit || s[i] != '.';
    ++i;
  }
  if (!seen_digit) return std::nullopt;
  long double value = std::stold(std::string(s.substr(num_begin, i - num_begin)));
  std::string_view rest = s.substr(i);
  long double factor = 1.0L;
  if (!rest.empty() && (rest[0] == 'e' || rest[0] == 'E') && rest.size() > 1 &&
      (rest[1] == '-' || rest[1] == '+' || (rest[1] >= '0' && rest[1] <= '9'))) {
    size_t j = 1;
    if (rest[j] == '+' || rest[j] == '-') ++j;
    const size_t exp_begin = j;
    while (j < rest.size() && rest[j] >= '0' && rest[j] <= '9') ++j;
    if (j == exp_begin || j != rest.size()) return std::nullopt;
    factor = std::pow(10.0L, std::stold(std::string(rest.substr(1))));
  } else if (!suffix_factor(rest, &factor)) {
    return std::nullopt;
  }
  const long double milli = std::ceil(value * factor * 1000.0L - 1e-9L);
  if (milli > 9.2e18L) return std::nullopt;
  const auto out = static_cast<int64_t>(milli);
  return neg ? -out : out;
}

std::optional<int64_t> parse_cpu_milli(std::string_view s) { return parse_quantity_milli(s); }

std::optional<int64_t> parse_memory_bytes(std::string_view s) {
  auto m = parse_quantity_milli(s);
  if (!m) return std::nullopt;
  return (*m + 999) / 1000;
}

std::string format_memory(int64_t bytes) {
  static constexpr const char* kUnits[] = {"", "Ki", "Mi", "Gi", "Ti"};
  auto rounded = [](long double x) { return std::round(x * 100.0L) / 100.0L; };
  long double v = static_cast<long double>(bytes);
  size_t unit = 0;
  // Compare the rounded value so that 1Mi - 1 byte shows as 1Mi, not 1024Ki.
  while (std::fabs(rounded(v)) >= kKi && unit + 1 < std::size(kUnits)) {
    v /= kKi;
    ++unit;
  }
  // Up to two decimals, trailing zeros dropped: 1.75Gi, 1.5Gi, 768Mi.
  return drop_trailing_zeros(fmt::format("{:.2f}", static_cast<double>(rounded(v)))) + kUnits[unit];
}

std::string format_cpu(int64_t milli) {
  if (milli % 1000 == 0) return fmt::format("{}", milli / 1000);
  if (milli < 1000) return fmt::format("{}m", milli);
  return drop_trailing_zeros(fmt::format("{:.2f}", static_cast<double>(milli) / 1000.0));
}

}  // namespace gl::k8s
