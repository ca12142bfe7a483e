#pragma once
// The few cryptographic primitives Helm templates reach through Sprig (derivePassword, encryptAES, decryptAES),
// self-contained like hash.h: HMAC-SHA256 (RFC 2104), PBKDF2-HMAC-SHA256 (RFC 8018), scrypt (RFC 7914) and
// AES-256 (FIPS 197) in CBC mode. Written for exact results, not for keeping secrets from an attacker on the
// same machine (no constant-time guarantees).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gl::crypto {

/// HMAC-SHA256 of `data` under `key`: 32 raw bytes.
std::array<uint8_t, 32> hmac_sha256(std::string_view key, std::string_view data);

/// PBKDF2 with HMAC-SHA256: `length` raw bytes.
std::string pbkdf2_sha256(std::string_view password, std::string_view salt, uint32_t iterations, size_t length);

/// scrypt(password, salt, N, r, p, length); nullopt when N is not a power of two above 1, or r * p or the
/// memory it needs (128 * r * N bytes) is too large (over 1 GiB).
std::optional<std::string> scrypt(std::string_view password, std::string_view salt, uint64_t n, uint32_t r,
                                  uint32_t p, size_t length);

/// AES-256-CBC over whole 16-byte blocks (no padding is added or removed). `key` is 32 bytes, `iv` 16;
/// the input's size must be a multiple of 16.
std::string aes256_cbc_encrypt(std::string_view key, std::string_view iv, std::string_view plain);
std::string aes256_cbc_decrypt(std::string_view key, std::string_view iv, std::string_view cipher);

}  // namespace gl::crypto
