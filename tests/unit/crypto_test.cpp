// The primitives behind Sprig's derivePassword / encryptAES / decryptAES, against published test vectors.
#include <catch2/catch.hpp>

#include <string>

#include "core/crypto.h"
#include "core/hash.h"

namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

std::string hex(std::string_view bytes) { return gl::hash::to_hex(bytes); }

template <size_t N>
std::string hex(const std::array<uint8_t, N>& bytes) {
  return gl::hash::to_hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), N));
}

}  // namespace

TEST_CASE("HMAC-SHA256 and PBKDF2-HMAC-SHA256 match RFC 4231 and RFC 7914", "[crypto]") {
  CHECK(hex(gl::crypto::hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hex(gl::crypto::hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // A key longer than the block is hashed first (RFC 4231 test case 6).
  CHECK(hex(gl::crypto::hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK(hex(gl::crypto::pbkdf2_sha256("passwd", "salt", 1, 64)) ==
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
}

TEST_CASE("scrypt matches RFC 7914 and refuses bad parameters", "[crypto]") {
  CHECK(hex(*gl::crypto::scrypt("", "", 16, 1, 1, 64)) ==
        "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
        "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
  CHECK(hex(*gl::crypto::scrypt("password", "NaCl", 1024, 8, 16, 64)) ==
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
        "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
  CHECK_FALSE(gl::crypto::scrypt("p", "s", 1000, 8, 1, 64).has_value());  // N not a power of two
  CHECK_FALSE(gl::crypto::scrypt("p", "s", 1, 8, 1, 64).has_value());
  CHECK_FALSE(gl::crypto::scrypt("p", "s", uint64_t{1} << 40, 8, 1, 64).has_value());  // far over 1 GiB
  CHECK_FALSE(gl::crypto::scrypt("p", "s", 16, 0, 1, 64).has_value());
}

TEST_CASE("AES-256-CBC matches FIPS 197 and NIST SP 800-38A", "[crypto]") {
  const std::string key = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const std::string zero_iv(16, '\0');
  // FIPS 197 appendix C.3: one block, so CBC with a zero IV is the bare cipher.
  CHECK(hex(gl::crypto::aes256_cbc_encrypt(key, zero_iv, unhex("00112233445566778899aabbccddeeff"))) ==
        "8ea2b7ca516745bfeafc49904b496089");
  CHECK(hex(gl::crypto::aes256_cbc_decrypt(key, zero_iv, unhex("8ea2b7ca516745bfeafc49904b496089"))) ==
        "00112233445566778899aabbccddeeff");
  // SP 800-38A F.2.5 (CBC-AES256.Encrypt), first two blocks.
  const std::string nist_key = unhex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
  const std::string iv = unhex("000102030405060708090a0b0c0d0e0f");
  const std::string plain = unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
  const std::string cipher = gl::crypto::aes256_cbc_encrypt(nist_key, iv, plain);
  CHECK(hex(cipher) == "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d");
  CHECK(gl::crypto::aes256_cbc_decrypt(nist_key, iv, cipher) == plain);
}
