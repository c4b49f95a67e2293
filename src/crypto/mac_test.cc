#include "crypto/mac.h"

#include <gtest/gtest.h>

#include "base/encoding.h"

namespace vt::crypto {
namespace {

std::string Tag(std::string_view key, std::string_view message) {
  auto tag = HmacSha256(key, message);
  EXPECT_TRUE(tag.ok()) << tag.status().ToString();
  return tag.ok() ? HexEncode(*tag) : "";
}

// RFC 4231 §4.2: 20-byte key.
TEST(HmacSha256, Rfc4231TestCase1) {
  EXPECT_EQ(Tag(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

// RFC 4231 §4.3: a key shorter than the output.
TEST(HmacSha256, Rfc4231TestCase2) {
  EXPECT_EQ(Tag("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// RFC 4231 §4.7: a 131-byte key, longer than the block, is hashed first.
TEST(HmacSha256, Rfc4231TestCase6) {
  EXPECT_EQ(Tag(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256, EmptyKeyAndMessage) {
  // Known answer for HMAC-SHA256("", "").
  EXPECT_EQ(Tag("", ""), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

}  // namespace
}  // namespace vt::crypto
