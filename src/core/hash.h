#pragma once
// Small self-contained checksums and digests (no crypto library): SHA-1, SHA-256, SHA-512, Adler-32, CRC-32.
// Used for content hashes (kustomize's generator suffix, Helm's sha256sum / sha1sum / adler32sum).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace gl::hash {

/// SHA-1 digest (FIPS 180-4), 20 raw bytes.
std::array<uint8_t, 20> sha1(std::string_view data);
/// SHA-256 digest (FIPS 180-4), 32 raw bytes.
std::array<uint8_t, 32> sha256(std::string_view data);
/// SHA-512 digest (FIPS 180-4), 64 raw bytes.
std::array<uint8_t, 64> sha512(std::string_view data);
/// Adler-32 checksum (RFC 1950), as Go's hash/adler32.Checksum.
uint32_t adler32(std::string_view data);
/// CRC-32 with the IEEE polynomial, as Go's hash/crc32.ChecksumIEEE and zlib's crc32.
uint32_t crc32(std::string_view data);

/// Lower-case hex of raw bytes.
std::string to_hex(std::string_view bytes);
/// Hex digests, as Go's hex.EncodeToString(sum[:]).
std::string sha1_hex(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string sha512_hex(std::string_view data);

}  // namespace gl::hash
