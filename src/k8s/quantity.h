#pragma once
// Kubernetes resource quantities ("100m", "1.5Gi", "2e3") as exact milli-units.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gl::k8s {

/// Parses a quantity into thousandths of its unit (CPU: millicores; memory: millibytes). Nullopt if invalid.
std::optional<int64_t> parse_quantity_milli(std::string_view s);
/// CPU in millicores.
std::optional<int64_t> parse_cpu_milli(std::string_view s);
/// Memory in bytes (rounded up).
std::optional<int64_t> parse_memory_bytes(std::string_view s);

/// "1.75Gi", "512Mi", "857.45Mi": binary units, at most two decimals, for messages.
std::string format_memory(int64_t bytes);
/// "250m", "2", "1.5".
std::string format_cpu(int64_t milli);

}  // namespace gl::k8s
