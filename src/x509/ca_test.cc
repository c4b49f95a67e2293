#include "x509/ca.h"

#include <gtest/gtest.h>

#include "crypto/ossl.h"
#include "x509/cert.h"
#include "x509/csr.h"
#include "x509/lint.h"
#include "x509/sign_internal.h"
#include "x509/test_util.h"

namespace vt::x509 {
namespace {

using crypto::KeyAlg;
using testing::CountingSigner;
using testing::Hierarchy;
using testing::NewKey;
using testing::NoStore;
using testing::SampleCard;

constexpr KeyAlg kAllAlgs[] = {KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2};

std::string MakeCsr(const crypto::PrivateKey& key) {
  ossl::X509ReqPtr req(X509_REQ_new());
  X509_REQ_set_version(req.get(), 0);
  X509_REQ_set_pubkey(req.get(), key.evp());
  X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(req.get()), "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("csr"), -1, -1, 0);
  ossl::EvpMdCtxPtr mctx(EVP_MD_CTX_new());
  EXPECT_TRUE(internal::InitDigestSign(mctx.get(), key.evp(), key.alg()).ok());
  EXPECT_GT(X509_REQ_sign_ctx(req.get(), mctx.get()), 0);
  return ossl::ToDer(req.get(), i2d_X509_REQ);
}

class CaTest : public ::testing::TestWithParam<KeyAlg> {};

TEST_P(CaTest, IssuesLintCleanChainedIdCard) {
  Hierarchy h(GetParam());
  std::string stored;
  auto card_key = NewKey(GetParam());
  auto card = h.issuing->IssueIdCard(card_key.Public(), SampleCard(), [&](const std::string& s) {
    stored = s;
    return OkStatus();
  });
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  EXPECT_EQ(stored, card->serial_hex);
  EXPECT_EQ(card->serial_hex.size(), 32u);
  EXPECT_TRUE(LintCertificate(card->der, {ProfileId::kIdCard, h.issuing_der}).empty());
  EXPECT_TRUE(LintCertificate(h.issuing_der, {ProfileId::kIssuingCa, h.root_der}).empty());
  EXPECT_TRUE(LintCertificate(h.root_der, {ProfileId::kRootCa, ""}).empty());
  EXPECT_TRUE(VerifyCertificateChain(card->der, {h.issuing_der}, {h.root_der}, h.clock.Now()).ok());
  // Another root of the same algorithm does not anchor it.
  Hierarchy other(GetParam());
  EXPECT_FALSE(
      VerifyCertificateChain(card->der, {h.issuing_der}, {other.root_der}, h.clock.Now()).ok());
  auto info = InspectCertificate(card->der);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->serial_hex, card->serial_hex);
  EXPECT_EQ(info->subject_cn, "Luo Tianyi");
  EXPECT_EQ(info->subject_org, "Vsinger Studio");
  EXPECT_EQ(info->character_id, "VC-0000-0002-1825-0097");
  ASSERT_TRUE(info->id_card.has_value());
  EXPECT_EQ(*info->id_card, SampleCard().card);
  EXPECT_EQ(info->ocsp_url, "http://127.0.0.1:8080/ocsp");
  EXPECT_FALSE(info->crl_url.empty());
  EXPECT_FALSE(info->is_ca);
  EXPECT_EQ(info->key_alg, GetParam());
  EXPECT_EQ(info->not_after - info->not_before, GetProfile(ProfileId::kIdCard).default_lifetime);
  // The SubjectPublicKeyInfo, written from raw key bytes, is exactly OpenSSL's.
  auto x = ossl::ParseDerExact<ossl::X509Ptr>(card->der, d2i_X509);
  EXPECT_EQ(ossl::ToDer(X509_get_X509_PUBKEY(x.get()), i2d_X509_PUBKEY), card_key.Public().ToDer());
}

TEST_P(CaTest, EveryEndEntityProfileLintsClean) {
  Hierarchy h(GetParam());
  auto key = NewKey(GetParam()).Public();
  auto member =
      h.issuing->IssueMember(key, {{"Alice", "Vsinger Studio"}, {"a@example.com"}, {}}, NoStore);
  ASSERT_TRUE(member.ok()) << member.status().ToString();
  EXPECT_TRUE(LintCertificate(member->der, {ProfileId::kMember, h.issuing_der}).empty());
  auto ocsp = h.issuing->IssueOcspSigning(key, std::chrono::seconds(0), NoStore);
  ASSERT_TRUE(ocsp.ok()) << ocsp.status().ToString();
  EXPECT_TRUE(LintCertificate(ocsp->der, {ProfileId::kOcspSigning, h.issuing_der}).empty());
  auto c2pa = h.issuing->IssueC2paSigning(
      key, {{"Luo Tianyi", "Vsinger Studio"}, "VC-0000-0002-1825-0097", {}}, NoStore);
  if (GetParam() == KeyAlg::kSm2) {
    // C2PA defines no SM2 algorithm: the profile refuses the key.
    ASSERT_FALSE(c2pa.ok());
    EXPECT_EQ(c2pa.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(c2pa.status().message().find("not allowed"), std::string::npos);
  } else {
    ASSERT_TRUE(c2pa.ok()) << c2pa.status().ToString();
    EXPECT_TRUE(LintCertificate(c2pa->der, {ProfileId::kC2paSigning, h.issuing_der}).empty());
  }
  // Lint findings are profile-specific: a member certificate is not an ID card.
  EXPECT_FALSE(LintCertificate(member->der, {ProfileId::kIdCard, h.issuing_der}).empty());
}

TEST_P(CaTest, CsrProofOfPossession) {
  Hierarchy h(GetParam());
  auto key = NewKey(GetParam());
  std::string csr = MakeCsr(key);
  auto card = h.issuing->IssueIdCardFromCsr(csr, SampleCard(), NoStore);
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  auto card_key = CertificatePublicKey(card->der);
  ASSERT_TRUE(card_key.ok());
  EXPECT_TRUE(*card_key == key.Public());

  int signed_before = h.issuing_signer->count();
  std::string bad = csr;
  bad[bad.size() - 3] ^= 0x01;  // inside the signature
  auto refused = h.issuing->IssueIdCardFromCsr(bad, SampleCard(), NoStore);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "csr");
  EXPECT_EQ(h.issuing_signer->count(), signed_before);
}

TEST_P(CaTest, CsrKeyTypeMustMatch) {
  Hierarchy h(GetParam());
  KeyAlg other = GetParam() == KeyAlg::kP256 ? KeyAlg::kEd25519 : KeyAlg::kP256;
  auto refused = h.issuing->IssueIdCardFromCsr(MakeCsr(NewKey(other)), SampleCard(), NoStore);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "csr");
  EXPECT_NE(refused.status().message().find("csr"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Algs, CaTest, ::testing::ValuesIn(kAllAlgs),
                         [](const auto& info) { return std::string(KeyAlgName(info.param)); });

TEST(CaRulesTest, RootsAndIssuingCasHaveSeparateJobs) {
  Hierarchy h(KeyAlg::kP256);
  auto key = NewKey(KeyAlg::kP256).Public();
  EXPECT_TRUE(h.root->is_root());
  EXPECT_FALSE(h.issuing->is_root());
  EXPECT_EQ(h.root->IssueIdCard(key, SampleCard(), NoStore).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(h.issuing->IssueIssuingCa(key, {"x", "y"}, {}, NoStore).status().code(),
            StatusCode::kFailedPrecondition);
  auto wrong_alg = h.issuing->IssueIdCard(NewKey(KeyAlg::kEd25519).Public(), SampleCard(), NoStore);
  EXPECT_EQ(wrong_alg.status().code(), StatusCode::kInvalidArgument);
}

TEST(CaRulesTest, CreateChecksTheSignerKey) {
  Hierarchy h(KeyAlg::kP256);
  auto stranger = std::make_shared<CountingSigner>(NewKey(KeyAlg::kP256));
  auto ca = Ca::Create(h.issuing_der, stranger, {}, h.clock, h.rng);
  EXPECT_EQ(ca.status().code(), StatusCode::kFailedPrecondition);
  auto not_ca = h.issuing->IssueMember(stranger->public_key(), {{"Bob", "Org"}, {}, {}}, NoStore);
  ASSERT_TRUE(not_ca.ok());
  EXPECT_EQ(Ca::Create(not_ca->der, stranger, {}, h.clock, h.rng).status().code(),
            StatusCode::kInvalidArgument);
  auto pem = Ca::Create(h.issuing->certificate_pem(), h.issuing_signer, {}, h.clock, h.rng);
  EXPECT_TRUE(pem.ok()) << pem.status().ToString();
}

TEST(CaRulesTest, SerialsAreRandomPositiveSixteenOctets) {
  Hierarchy h(KeyAlg::kP256);
  auto key = NewKey(KeyAlg::kP256).Public();
  std::set<std::string> serials;
  for (int i = 0; i < 50; ++i) {
    auto card = h.issuing->IssueIdCard(key, SampleCard(), NoStore);
    ASSERT_TRUE(card.ok());
    EXPECT_LT(std::stoi(card->serial_hex.substr(0, 2), nullptr, 16), 0x80);
    EXPECT_NE(card->serial_hex.substr(0, 2), "00");
    serials.insert(card->serial_hex);
  }
  EXPECT_EQ(serials.size(), 50u);
}

}  // namespace
}  // namespace vt::x509
