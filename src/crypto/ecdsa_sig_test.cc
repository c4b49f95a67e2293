#include "crypto/ecdsa_sig.h"

#include <gtest/gtest.h>

#include "crypto/key.h"

namespace vt::crypto {
namespace {

TEST(EcdsaSigTest, RoundTripVerifies) {
  auto key = PrivateKey::Generate(KeyAlg::kP256);
  ASSERT_TRUE(key.ok());
  for (int i = 0; i < 20; ++i) {  // covers r or s with a leading zero byte
    std::string msg = "message " + std::to_string(i);
    auto der = key->Sign(msg);
    ASSERT_TRUE(der.ok());
    auto raw = EcdsaDerToRaw(*der, 32);
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    EXPECT_EQ(raw->size(), 64u);
    auto back = EcdsaRawToDer(*raw);
    ASSERT_TRUE(back.ok());
    EXPECT_TRUE(key->Public().Verify(msg, *back).ok());
  }
}

TEST(EcdsaSigTest, RejectsMalformed) {
  EXPECT_FALSE(EcdsaDerToRaw("", 32).ok());
  EXPECT_FALSE(EcdsaDerToRaw("\x30\x03\x02\x01", 32).ok());
  EXPECT_FALSE(EcdsaRawToDer("abc").ok());
  EXPECT_FALSE(EcdsaRawToDer("").ok());
  // r of 33 significant bytes does not fit a P-256 field.
  std::string der = std::string("\x30\x26\x02\x21\x01", 5) + std::string(32, '\x11') +
                    std::string("\x02\x01\x01", 3);
  EXPECT_FALSE(EcdsaDerToRaw(der, 32).ok());
}

}  // namespace
}  // namespace vt::crypto
