#include "core/crypto.h"

#include <cstring>
#include <vector>

#include "core/hash.h"

namespace gl::crypto {
namespace {

constexpr size_t kShaBlock = 64;
constexpr size_t kAesBlock = 16;
constexpr int kAesRounds = 14;  // AES-256
constexpr uint64_t kMaxScryptBytes = uint64_t{1} << 30;

std::string_view as_view(const std::array<uint8_t, 32>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// --- AES (FIPS 197) -----------------------------------------------------------------------------------------

uint8_t xtime(uint8_t x) { return static_cast<uint8_t>((x << 1) ^ ((x & 0x80) != 0 ? 0x1b : 0)); }

uint8_t gmul(uint8_t a, uint8_t b) {
  uint8_t out = 0;
  while (b != 0) {
    if ((b & 1) != 0) out ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return out;
}

/// The S-box and its inverse, computed from their definition (inverse in GF(2^8), then the affine map).
struct SBoxes {
  std::array<uint8_t, 256> fwd{};
  std::array<uint8_t, 256> inv{};
  SBoxes() {
    for (int x = 0; x < 256; ++x) {
      uint8_t inverse = 0;
      for (int y = 1; y < 256 && x != 0; ++y) {
        if (gmul(static_cast<uint8_t>(x), static_cast<uint8_t>(y)) == 1) {
          inverse = static_cast<uint8_t>(y);
          break;
        }
      }
      auto rotl = [](uint8_t v, int n) { return static_cast<uint8_t>((v << n) | (v >> (8 - n))); };
      const auto s = static_cast<uint8_t>(inverse ^ rotl(inverse, 1) ^ rotl(inverse, 2) ^ rotl(inverse, 3) ^
                                          rotl(inverse, 4) ^ 0x63);
      fwd[static_cast<size_t>(x)] = s;
      inv[s] = static_cast<uint8_t>(x);
    }
  }
};

const SBoxes& sboxes() {
  static const SBoxes boxes;
  return boxes;
}

using Block = std::array<uint8_t, kAesBlock>;
using RoundKeys = std::array<uint8_t, kAesBlock*(kAesRounds + 1)>;

RoundKeys expand_key(std::string_view key) {
  const auto& s = sboxes().fwd;
  RoundKeys w{};
  std::memcpy(w.data(), key.data(), 32);
  uint8_t rcon = 1;
  for (size_t i = 8; i < 4 * (kAesRounds + 1); ++i) {
    std::array<uint8_t, 4> t{w[4 * i - 4], w[4 * i - 3], w[4 * i - 2], w[4 * i - 1]};
    if (i % 8 == 0) {
      t = {static_cast<uint8_t>(s[t[1]] ^ rcon), s[t[2]], s[t[3]], s[t[0]]};
      rcon = xtime(rcon);
    } else if (i % 8 == 4) {
      t = {s[t[0]], s[t[1]], s[t[2]], s[t[3]]};
    }
    for (size_t b = 0; b < 4; ++b) w[4 * i + b] = static_cast<uint8_t>(w[4 * (i - 8) + b] ^ t[b]);
  }
  return w;
}

void add_round_key(Block& state, const RoundKeys& w, int round) {
  for (size_t i = 0; i < kAesBlock; ++i) state[i] ^= w[kAesBlock * static_cast<size_t>(round) + i];
}

void encrypt_block(Block& st, const RoundKeys& w) {
  const auto& s = sboxes().fwd;
  add_round_key(st, w, 0);
  for (int round = 1; round <= kAesRounds; ++round) {
    Block t{};
    for (size_t c = 0; c < 4; ++c) {
      for (size_t r = 0; r < 4; ++r) t[r + 4 * c] = s[st[r + 4 * ((c + r) % 4)]];  // SubBytes, ShiftRows
    }
    if (round != kAesRounds) {
      for (size_t c = 0; c < 4; ++c) {  // MixColumns
        const uint8_t a0 = t[4 * c], a1 = t[4 * c + 1], a2 = t[4 * c + 2], a3 = t[4 * c + 3];
        t[4 * c] = static_cast<uint8_t>(xtime(a0) ^ xtime(a1) ^ a1 ^ a2 ^ a3);
        t[4 * c + 1] = static_cast<uint8_t>(a0 ^ xtime(a1) ^ xtime(a2) ^ a2 ^ a3);
        t[4 * c + 2] = static_cast<uint8_t>(a0 ^ a1 ^ xtime(a2) ^ xtime(a3) ^ a3);
        t[4 * c + 3] = static_cast<uint8_t>(xtime(a0) ^ a0 ^ a1 ^ a2 ^ xtime(a3));
      }
    }
    st = t;
    add_round_key(st, w, round);
  }
}

void decrypt_block(Block& st, const RoundKeys& w) {
  const auto& inv = sboxes().inv;
  add_round_key(st, w, kAesRounds);
  for (int round = kAesRounds - 1; round >= 0; --round) {
    Block t{};
    for (size_t c = 0; c < 4; ++c) {
      for (size_t r = 0; r < 4; ++r) t[r + 4 * ((c + r) % 4)] = inv[st[r + 4 * c]];  // InvShiftRows, InvSubBytes
    }
    st = t;
    add_round_key(st, w, round);
    if (round == 0) break;
    for (size_t c = 0; c < 4; ++c) {  // InvMixColumns
      const uint8_t a0 = st[4 * c], a1 = st[4 * c + 1], a2 = st[4 * c + 2], a3 = st[4 * c + 3];
      st[4 * c] = static_cast<uint8_t>(gmul(a0, 14) ^ gmul(a1, 11) ^ gmul(a2, 13) ^ gmul(a3, 9));
      st[4 * c + 1] = static_cast<uint8_t>(gmul(a0, 9) ^ gmul(a1, 14) ^ gmul(a2, 11) ^ gmul(a3, 13));
      st[4 * c + 2] = static_cast<uint8_t>(gmul(a0, 13) ^ gmul(a1, 9) ^ gmul(a2, 14) ^ gmul(a3, 11));
      st[4 * c + 3] = static_cast<uint8_t>(gmul(a0, 11) ^ gmul(a1, 13) ^ gmul(a2, 9) ^ gmul(a3, 14));
    }
  }
}

Block load_block(std::string_view bytes, size_t offset) {
  Block b{};
  std::memcpy(b.data(), bytes.data() + offset, kAesBlock);
  return b;
}

// --- scrypt (RFC 7914) --------------------------------------------------------------------------------------

uint32_t rotl32(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

/// Salsa20/8 core on 16 words, in place.
void salsa20_8(uint32_t b[16]) {
  uint32_t x[16];
  std::memcpy(x, b, sizeof x);
  for (int i = 0; i < 8; i += 2) {
    x[4] ^= rotl32(x[0] + x[12], 7), x[8] ^= rotl32(x[4] + x[0], 9);
    x[12] ^= rotl32(x[8] + x[4], 13), x[0] ^= rotl32(x[12] + x[8], 18);
    x[9] ^= rotl32(x[5] + x[1], 7), x[13] ^= rotl32(x[9] + x[5], 9);
    x[1] ^= rotl32(x[13] + x[9], 13), x[5] ^= rotl32(x[1] + x[13], 18);
    x[14] ^= rotl32(x[10] + x[6], 7), x[2] ^= rotl32(x[14] + x[10], 9);
    x[6] ^= rotl32(x[2] + x[14], 13), x[10] ^= rotl32(x[6] + x[2], 18);
    x[3] ^= rotl32(x[15] + x[11], 7), x[7] ^= rotl32(x[3] + x[15], 9);
    x[11] ^= rotl32(x[7] + x[3], 13), x[15] ^= rotl32(x[11] + x[7], 18);
    x[1] ^= rotl32(x[0] + x[3], 7), x[2] ^= rotl32(x[1] + x[0], 9);
    x[3] ^= rotl32(x[2] + x[1], 13), x[0] ^= rotl32(x[3] + x[2], 18);
    x[6] ^= rotl32(x[5] + x[4], 7), x[7] ^= rotl32(x[6] + x[5], 9);
    x[4] ^= rotl32(x[7] + x[6], 13), x[5] ^= rotl32(x[4] + x[7], 18);
    x[11] ^= rotl32(x[10] + x[9], 7), x[8] ^= rotl32(x[11] + x[10], 9);
    x[9] ^= rotl32(x[8] + x[11], 13), x[10] ^= rotl32(x[9] + x[8], 18);
    x[12] ^= rotl32(x[15] + x[14], 7), x[13] ^= rotl32(x[12] + x[15], 9);
    x[14] ^= rotl32(x[13] + x[12], 13), x[15] ^= rotl32(x[14] + x[13], 18);
  }
  for (int i = 0; i < 16; ++i) b[i] += x[i];
}

/// BlockMix with Salsa20/8 over 2r 64-byte blocks (16 words each): `in` -> `out`.
void block_mix(const uint32_t* in, uint32_t* out, uint32_t r) {
  uint32_t x[16];
  std::memcpy(x, in + (2 * r - 1) * 16, sizeof x);
  for (uint32_t i = 0; i < 2 * r; ++i) {
    for (int k = 0; k < 16; ++k) x[k] ^= in[i * 16 + k];
    salsa20_8(x);
    // Even blocks go to the first half, odd ones to the second.
    std::memcpy(out + ((i % 2) * r + i / 2) * 16, x, sizeof x);
  }
}

void ro_mix(uint8_t* bytes, uint32_t r, uint64_t n, std::vector<uint32_t>& v) {
  const size_t words = 32 * static_cast<size_t>(r);
  std::vector<uint32_t> x(words);
  std::vector<uint32_t> y(words);
  for (size_t k = 0; k < words; ++k) {
    const uint8_t* p = bytes + 4 * k;
    x[k] = static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
           static_cast<uint32_t>(p[3]) << 24;
  }
  for (uint64_t i = 0; i < n; ++i) {
    std::memcpy(v.data() + i * words, x.data(), words * sizeof(uint32_t));
    block_mix(x.data(), y.data(), r);
    x.swap(y);
  }
  for (uint64_t i = 0; i < n; ++i) {
    const uint32_t* last = x.data() + (2 * r - 1) * 16;
    const uint64_t j = (static_cast<uint64_t>(last[0]) | static_cast<uint64_t>(last[1]) << 32) & (n - 1);
    for (size_t k = 0; k < words; ++k) x[k] ^= v[j * words + k];
    block_mix(x.data(), y.data(), r);
    x.swap(y);
  }
  for (size_t k = 0; k < words; ++k) {
    for (int b = 0; b < 4; ++b) bytes[4 * k + static_cast<size_t>(b)] = static_cast<uint8_t>(x[k] >> (8 * b));
  }
}

}  // namespace

std::array<uint8_t, 32> hmac_sha256(std::string_view key, std::string_view data) {
  std::string k(key);
  if (k.size() > kShaBlock) k = std::string(as_view(hash::sha256(k)));
  k.resize(kShaBlock, '\0');
  std::string inner(kShaBlock, '\0');
  std::string outer(kShaBlock, '\0');
  for (size_t i = 0; i < kShaBlock; ++i) {
    inner[i] = static_cast<char>(k[i] ^ 0x36);
    outer[i] = static_cast<char>(k[i] ^ 0x5c);
  }
  inner += data;
  outer += as_view(hash::sha256(inner));
  return hash::sha256(outer);
}

std::string pbkdf2_sha256(std::string_view password, std::string_view salt, uint32_t iterations, size_t length) {
  std::string out;
  for (uint32_t block = 1; out.size() < length; ++block) {
    std::string s(salt);
    for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((block >> shift) & 0xff);
    auto u = hmac_sha256(password, s);
    auto t = u;
    for (uint32_t i = 1; i < iterations; ++i) {
      u = hmac_sha256(password, as_view(u));
      for (size_t k = 0; k < t.size(); ++k) t[k] ^= u[k];
    }
    out += as_view(t);
  }
  out.resize(length);
  return out;
}

std::optional<std::string> scrypt(std::string_view password, std::string_view salt, uint64_t n, uint32_t r,
                                  uint32_t p, size_t length) {
  if (n < 2 || (n & (n - 1)) != 0 || r == 0 || p == 0) return std::nullopt;
  const uint64_t block = uint64_t{128} * r;
  if (block * p > kMaxScryptBytes || n > kMaxScryptBytes / block) return std::nullopt;
  std::string b = pbkdf2_sha256(password, salt, 1, static_cast<size_t>(block * p));
  std::vector<uint32_t> v(static_cast<size_t>(n * block / 4));
  for (uint32_t i = 0; i < p; ++i) ro_mix(reinterpret_cast<uint8_t*>(b.data()) + i * block, r, n, v);
  return pbkdf2_sha256(password, b, 1, length);
}

std::string aes256_cbc_encrypt(std::string_view key, std::string_view iv, std::string_view plain) {
  const RoundKeys w = expand_key(key);
  Block chain = load_block(iv, 0);
  std::string out;
  out.reserve(plain.size());
  for (size_t off = 0; off + kAesBlock <= plain.size(); off += kAesBlock) {
    Block b = load_block(plain, off);
    for (size_t i = 0; i < kAesBlock; ++i) b[i] ^= chain[i];
    encrypt_block(b, w);
    chain = b;
    out.append(reinterpret_cast<const char*>(b.data()), kAesBlock);
  }
  return out;
}

std::string aes256_cbc_decrypt(std::string_view key, std::string_view iv, std::string_view cipher) {
  const RoundKeys w = expand_key(key);
  Block chain = load_block(iv, 0);
  std::string out;
  out.reserve(cipher.size());
  for (size_t off = 0; off + kAesBlock <= cipher.size(); off += kAesBlock) {
    const Block c = load_block(cipher, off);
    Block b = c;
    decrypt_block(b, w);
    for (size_t i = 0; i < kAesBlock; ++i) b[i] ^= chain[i];
    chain = c;
    out.append(reinterpret_cast<const char*>(b.data()), kAesBlock);
  }
  return out;
}

}  // namespace gl::crypto
