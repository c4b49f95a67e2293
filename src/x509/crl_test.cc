#include "x509/crl.h"

#include <gtest/gtest.h>

#include "x509/test_util.h"

namespace vt::x509 {
namespace {

using crypto::KeyAlg;
using testing::Hierarchy;

TEST(CrlReasonTest, NamesAndCodesRoundTrip) {
  for (int code = 0; code <= 10; ++code) {
    auto r = CrlReasonFromCode(code);
    if (code == 7) {
      EXPECT_FALSE(r.ok());
      continue;
    }
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*ParseCrlReason(CrlReasonName(*r)), *r);
  }
  EXPECT_EQ(*ParseCrlReason("keyCompromise"), CrlReason::kKeyCompromise);
  EXPECT_EQ(*ParseCrlReason("KEYCOMPROMISE"), CrlReason::kKeyCompromise);
  EXPECT_EQ(*ParseCrlReason("cACompromise"), CrlReason::kCaCompromise);
  EXPECT_EQ(*ParseCrlReason("removeFromCRL"), CrlReason::kRemoveFromCrl);
  EXPECT_EQ(ParseCrlReason("stolen").status().field(), "reason");
  EXPECT_FALSE(CrlReasonFromCode(11).ok());
}

class CrlTest : public ::testing::TestWithParam<KeyAlg> {};

TEST_P(CrlTest, SignsAndVerifiesWithReasons) {
  Hierarchy h(GetParam());
  TimePoint t =
      std::chrono::time_point_cast<std::chrono::seconds>(h.clock.Now()) - std::chrono::hours(1);
  CrlRequest req;
  req.crl_number = 42;
  req.validity = std::chrono::hours(6);
  req.revoked = {{"1234567890abcdef1234567890abcdef", t, CrlReason::kKeyCompromise},
                 {"2234567890abcdef1234567890abcdef", t, CrlReason::kUnspecified},
                 {"3234567890abcdef1234567890abcdef", t, CrlReason::kCertificateHold},
                 {"4234567890abcdef1234567890abcdef", t, CrlReason::kAaCompromise}};
  int before = h.issuing_signer->count();
  auto crl = h.issuing->SignCrl(req);
  ASSERT_TRUE(crl.ok()) << crl.status().ToString();
  EXPECT_EQ(h.issuing_signer->count(), before + 1);
  auto info = VerifyCrl(*crl, h.issuing_der);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->crl_number, 42u);
  EXPECT_EQ(info->next_update - info->this_update, std::chrono::hours(6));
  ASSERT_EQ(info->revoked.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(info->revoked[i].serial_hex, req.revoked[i].serial_hex);
    EXPECT_EQ(info->revoked[i].reason, req.revoked[i].reason);
    EXPECT_EQ(info->revoked[i].revocation_time, t);
  }
  // Another CA's certificate does not verify it; a flipped byte breaks it.
  EXPECT_FALSE(VerifyCrl(*crl, h.root_der).ok());
  std::string tampered = *crl;
  tampered[tampered.find("\x12\x34\x56\x78")] ^= 0x01;
  EXPECT_FALSE(VerifyCrl(tampered, h.issuing_der).ok());
}

TEST_P(CrlTest, EmptyCrl) {
  Hierarchy h(GetParam());
  auto crl = h.issuing->SignCrl({{}, 1, std::chrono::hours(24)});
  ASSERT_TRUE(crl.ok());
  auto info = VerifyCrl(*crl, h.issuing_der);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->revoked.empty());
}

TEST_P(CrlTest, RefusesBadInput) {
  Hierarchy h(GetParam());
  TimePoint t = h.clock.Now();
  EXPECT_EQ(h.issuing->SignCrl({{{"zz", t, CrlReason::kKeyCompromise}}, 1}).status().field(),
            "serial");
  EXPECT_EQ(h.issuing->SignCrl({{{"01", t, CrlReason::kRemoveFromCrl}}, 1}).status().field(),
            "reason");
  EXPECT_FALSE(h.issuing->SignCrl({{}, 1, std::chrono::seconds(0)}).ok());
}

INSTANTIATE_TEST_SUITE_P(Algs, CrlTest,
                         ::testing::Values(KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2),
                         [](const auto& info) { return std::string(KeyAlgName(info.param)); });

}  // namespace
}  // namespace vt::x509
