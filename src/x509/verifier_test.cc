#include "x509/verifier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "x509/cert.h"
#include "x509/test_util.h"

namespace vt::x509 {
namespace {

using crypto::KeyAlg;
using testing::Hierarchy;
using testing::NewKey;
using testing::NoStore;
using testing::SampleCard;

class LeafVerifierTest : public ::testing::TestWithParam<KeyAlg> {};

TEST_P(LeafVerifierTest, AgreesWithOpenSsl) {
  Hierarchy h(GetParam());
  auto verifier = LeafVerifier::Create(h.issuing_der, h.root_der, h.clock.Now());
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  auto card = h.issuing->IssueIdCard(NewKey(GetParam()).Public(), SampleCard(), NoStore);
  ASSERT_TRUE(card.ok());
  auto leaf = verifier->Verify(card->der, h.clock.Now());
  ASSERT_TRUE(leaf.ok()) << leaf.status().ToString();
  EXPECT_EQ(leaf->serial_hex, card->serial_hex);
  EXPECT_EQ(leaf->not_after, card->not_after);
  EXPECT_TRUE(VerifyCertificateChain(card->der, {h.issuing_der}, {h.root_der}, h.clock.Now()).ok());

  // Tampered TBS (a byte of the subject name), expired, foreign issuer, garbage.
  std::string tampered = card->der;
  tampered[tampered.find("Luo Tianyi")] ^= 0x01;
  EXPECT_FALSE(verifier->Verify(tampered, h.clock.Now()).ok());
  EXPECT_FALSE(VerifyCertificateChain(tampered, {h.issuing_der}, {h.root_der}, h.clock.Now()).ok());
  EXPECT_FALSE(verifier->Verify(card->der, card->not_after + std::chrono::seconds(1)).ok());
  EXPECT_FALSE(verifier->Verify(card->der, card->not_before - std::chrono::seconds(1)).ok());
  Hierarchy other(GetParam());
  auto foreign = other.issuing->IssueIdCard(NewKey(GetParam()).Public(), SampleCard(), NoStore);
  EXPECT_FALSE(verifier->Verify(foreign->der, h.clock.Now()).ok());
  EXPECT_FALSE(verifier->Verify("garbage", h.clock.Now()).ok());
  EXPECT_FALSE(verifier->Verify(h.issuing_der, h.clock.Now()).ok());  // issued by the root
}

TEST_P(LeafVerifierTest, CreateChecksTheIssuingCa) {
  Hierarchy h(GetParam());
  Hierarchy other(GetParam());
  EXPECT_FALSE(LeafVerifier::Create(h.issuing_der, other.root_der, h.clock.Now()).ok());
}

// Verify is const and thread-safe: a rejected signature leaves no state
// behind, and concurrent callers each get their own verdict.
TEST_P(LeafVerifierTest, ConcurrentCallsKeepTheirVerdicts) {
  Hierarchy h(GetParam());
  auto verifier = LeafVerifier::Create(h.issuing_der, h.root_der, h.clock.Now());
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  auto card = h.issuing->IssueIdCard(NewKey(GetParam()).Public(), SampleCard(), NoStore);
  ASSERT_TRUE(card.ok());
  std::string bad_sig = card->der;
  bad_sig[bad_sig.size() - 2] ^= 0x01;  // inside the signature value
  const TimePoint now = h.clock.Now();
  std::atomic<int> wrong{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < 4; ++t) {
    pool.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (!verifier->Verify(card->der, now).ok()) ++wrong;
        if (verifier->Verify(bad_sig, now).ok()) ++wrong;
      }
    });
  }
  for (auto& th : pool) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_TRUE(verifier->Verify(card->der, now).ok());
}

// The issuing CA is validated when the verifier is built, at the time given.
TEST_P(LeafVerifierTest, CreateRefusesAnExpiredIssuingCa) {
  Hierarchy h(GetParam());
  auto info = InspectCertificate(h.issuing_der);
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(
      LeafVerifier::Create(h.issuing_der, h.root_der, info->not_after + std::chrono::seconds(1))
          .ok());
}

INSTANTIATE_TEST_SUITE_P(Algs, LeafVerifierTest,
                         ::testing::Values(KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2),
                         [](const auto& info) { return std::string(KeyAlgName(info.param)); });

}  // namespace
}  // namespace vt::x509
