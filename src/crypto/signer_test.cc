// Sign/verify round trips and rejections for every algorithm, and the
// software Signer (signer.h).
#include "crypto/signer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "crypto/key.h"

namespace vt::crypto {
namespace {

class SignTest : public ::testing::TestWithParam<KeyAlg> {};

INSTANTIATE_TEST_SUITE_P(AllAlgs, SignTest,
                         ::testing::Values(KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2),
                         [](const auto& info) { return std::string(KeyAlgName(info.param)); });

TEST_P(SignTest, RoundTripAndRejections) {
  auto key = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->alg(), GetParam());
  PublicKey pub = key->Public();
  const std::string msg = "The quick brown fox jumps over the lazy dog";
  auto sig = key->Sign(msg);
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  if (GetParam() == KeyAlg::kEd25519) {
    EXPECT_EQ(sig->size(), 64u);
  } else {
    EXPECT_EQ((*sig)[0], '\x30');  // DER SEQUENCE
  }
  EXPECT_TRUE(pub.Verify(msg, *sig).ok());
  EXPECT_TRUE(pub.Verify("", *key->Sign("")).ok());

  // A modified message.
  std::string other = msg;
  other[4] ^= 0x01;
  Status st = pub.Verify(other, *sig);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("signature mismatch"), std::string::npos);
  EXPECT_FALSE(pub.Verify(msg + ".", *sig).ok());
  // A modified signature: flip one bit at every byte position.
  for (size_t i = 0; i < sig->size(); ++i) {
    std::string bad = *sig;
    bad[i] ^= 0x01;
    EXPECT_FALSE(pub.Verify(msg, bad).ok()) << "byte " << i;
  }
  EXPECT_FALSE(pub.Verify(msg, sig->substr(0, sig->size() - 1)).ok());
  EXPECT_FALSE(pub.Verify(msg, *sig + std::string(1, '\0')).ok());
  EXPECT_FALSE(pub.Verify(msg, "").ok());
  // Another key's signature.
  auto stranger = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(stranger.ok());
  EXPECT_FALSE(pub.Verify(msg, *stranger->Sign(msg)).ok());
}

TEST_P(SignTest, SoftwareSigner) {
  auto key = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.ok());
  std::unique_ptr<Signer> signer = MakeSoftwareSigner(*key, "file:/data/keys/test.pem");
  EXPECT_EQ(signer->alg(), GetParam());
  EXPECT_TRUE(signer->public_key() == key->Public());
  EXPECT_EQ(signer->Describe(), "file:/data/keys/test.pem");
  EXPECT_EQ(MakeSoftwareSigner(*key)->Describe(), "software");
  // Concurrent use of one Signer.
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        std::string m = "message " + std::to_string(t) + "/" + std::to_string(i);
        auto sig = signer->Sign(m);
        if (sig.ok() && signer->public_key().Verify(m, *sig).ok()) ++good;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), 100);
}

}  // namespace
}  // namespace vt::crypto
