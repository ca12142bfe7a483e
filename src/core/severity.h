#pragma once
#include <optional>
#include <string_view>

namespace gl {

/// Ordered: a higher value is more severe.
enum class Severity { kNote = 0, kWarning = 1, kError = 2 };

constexpr std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::kNote: return "note";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "error";
}

inline std::optional<Severity> parse_severity(std::string_view s) {
  if (s == "note") return Severity::kNote;
  if (s == "warning") return Severity::kWarning;
  if (s == "error") return Severity::kError;
  return std::nullopt;
}

}  // namespace gl
