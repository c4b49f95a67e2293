// The lint refuses profile violations before the real Signer is called, and
// flags RFC 5280 violations in certificates built behind its back.
#include "x509/lint.h"

#include <gtest/gtest.h>

#include <functional>

#include "crypto/ossl.h"
#include "x509/sign_internal.h"
#include "x509/test_util.h"

namespace vt::x509 {
namespace {

using crypto::KeyAlg;
using testing::Hierarchy;
using testing::NewKey;
using testing::NoStore;
using testing::SampleCard;

bool HasFinding(const std::vector<std::string>& findings, const std::string& needle) {
  for (const auto& f : findings) {
    if (f.find(needle) != std::string::npos) return true;
  }
  return false;
}

class LintRefusalTest : public ::testing::Test {
 protected:
  LintRefusalTest() : h_(KeyAlg::kP256), key_(NewKey(KeyAlg::kP256).Public()) {}

  // Issues with `profile` and `request`; expects a refusal naming `needle`
  // with neither the serial callback nor the real Signer called.
  void ExpectRefused(const Profile& profile, const CertRequest& request,
                     const std::string& needle) {
    int before = h_.issuing_signer->count();
    bool stored = false;
    auto out = h_.issuing->Issue(profile, key_, request, [&](const std::string&) {
      stored = true;
      return OkStatus();
    });
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(out.status().message().find(needle), std::string::npos) << out.status().message();
    EXPECT_FALSE(stored);
    EXPECT_EQ(h_.issuing_signer->count(), before) << "the real Signer was called";
  }

  CertRequest CardRequest() {
    IdCardRequest card = SampleCard();
    CertRequest req;
    req.subject = {card.primary_name, card.card.owner_org};
    req.san_uris = {CharacterUrn(card.card.registry_id)};
    req.id_card = card.card;
    return req;
  }

  Hierarchy h_;
  crypto::PublicKey key_;
};

TEST_F(LintRefusalTest, CorrectRequestPasses) {
  int before = h_.issuing_signer->count();
  auto out = h_.issuing->Issue(GetProfile(ProfileId::kIdCard), key_, CardRequest(), NoStore);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(h_.issuing_signer->count(), before + 1);
}

TEST_F(LintRefusalTest, KeyCertSignOnEndEntity) {
  Profile bad = GetProfile(ProfileId::kIdCard);
  bad.key_usage |= kKuKeyCertSign;
  ExpectRefused(bad, CardRequest(), "keyCertSign/cRLSign on a non-CA certificate");
}

TEST_F(LintRefusalTest, OverLongValidity) {
  CertRequest req = CardRequest();
  req.lifetime = std::chrono::hours(24 * 900);
  ExpectRefused(GetProfile(ProfileId::kIdCard), req, "exceeds the id-card maximum of 825 days");
}

TEST_F(LintRefusalTest, BadUrnCheckCharacter) {
  CertRequest req = CardRequest();
  req.san_uris = {"urn:vtrust:char:VC-0000-0002-1825-0098"};
  ExpectRefused(GetProfile(ProfileId::kIdCard), req, "bad character URN");
}

TEST_F(LintRefusalTest, UrnDisagreesWithExtension) {
  CertRequest req = CardRequest();
  req.san_uris = {"urn:vtrust:char:VC-0000-0002-1694-233X"};
  ExpectRefused(GetProfile(ProfileId::kIdCard), req, "registryId differs");
}

TEST_F(LintRefusalTest, CaFlagOnEndEntity) {
  Profile bad = GetProfile(ProfileId::kIdCard);
  bad.is_ca = true;
  ExpectRefused(bad, CardRequest(), "cA TRUE on an end-entity profile");
}

TEST_F(LintRefusalTest, MissingRevocationPointers) {
  Profile bad = GetProfile(ProfileId::kIdCard);
  bad.revocable = false;
  ExpectRefused(bad, CardRequest(), "authorityInfoAccess: missing");
}

TEST_F(LintRefusalTest, AnyEkuOnC2paSigner) {
  Profile bad = GetProfile(ProfileId::kC2paSigning);
  bad.ekus.push_back(std::string(kEkuAny));
  CertRequest req;
  req.subject = {"Signer", "Studio"};
  ExpectRefused(bad, req, "anyExtendedKeyUsage");
}

TEST_F(LintRefusalTest, C2paWithoutClaimSigning) {
  Profile bad = GetProfile(ProfileId::kC2paSigning);
  bad.ekus = {std::string(kEkuEmailProtection)};
  CertRequest req;
  req.subject = {"Signer", "Studio"};
  ExpectRefused(bad, req, "without c2pa-kp-claimSigning");
}

TEST_F(LintRefusalTest, TsaEkuNotCritical) {
  Profile bad = GetProfile(ProfileId::kTimeStamping);
  bad.eku_critical = false;
  CertRequest req;
  req.subject = {"vtrust TSA", "Studio"};
  ExpectRefused(bad, req, "extKeyUsage: must be critical");
}

TEST_F(LintRefusalTest, TsaWithASecondEku) {
  Profile bad = GetProfile(ProfileId::kTimeStamping);
  bad.ekus.push_back(std::string(kEkuClientAuth));
  CertRequest req;
  req.subject = {"vtrust TSA", "Studio"};
  ExpectRefused(bad, req, "id-kp-timeStamping alone");
}

TEST_F(LintRefusalTest, MissingOrganization) {
  CertRequest req = CardRequest();
  req.subject.organization.clear();
  ExpectRefused(GetProfile(ProfileId::kIdCard), req, "no organizationName");
}

TEST_F(LintRefusalTest, IdCardExtensionOnMemberCertificate) {
  CertRequest req = CardRequest();
  ExpectRefused(GetProfile(ProfileId::kMember), req, "is not allowed in this profile");
}

TEST_F(LintRefusalTest, SerialCallbackFailureMeansNothingSigned) {
  int before = h_.issuing_signer->count();
  auto out = h_.issuing->IssueIdCard(
      key_, SampleCard(), [](const std::string&) { return UnavailableError("database down"); });
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(h_.issuing_signer->count(), before);
}

// Re-signs a mutated copy of `der` with a throwaway key of `alg`.
std::string Mutate(const std::string& der, const std::function<void(X509*)>& change,
                   KeyAlg alg = KeyAlg::kP256) {
  auto x = ossl::ParseDerExact<ossl::X509Ptr>(der, d2i_X509);
  change(x.get());
  auto key = internal::ThrowawayKey::Generate(alg);
  auto mctx = key->NewSignContext();
  EXPECT_GT(X509_sign_ctx(x.get(), mctx->get()), 0);
  return ossl::ToDer(x.get(), i2d_X509);
}

class LintDirectTest : public ::testing::Test {
 protected:
  LintDirectTest() : h_(KeyAlg::kP256) {
    card_ = h_.issuing->IssueIdCard(NewKey(KeyAlg::kP256).Public(), SampleCard(), NoStore)->der;
  }
  std::vector<std::string> Lint(const std::string& der) {
    return LintCertificate(der, {ProfileId::kIdCard, h_.issuing_der});
  }
  Hierarchy h_;
  std::string card_;
};

TEST_F(LintDirectTest, UnchangedCopyPasses) {
  EXPECT_TRUE(Lint(Mutate(card_, [](X509*) {})).empty());
}

TEST_F(LintDirectTest, SmallSerial) {
  auto f = Lint(Mutate(card_, [](X509* x) { ASN1_INTEGER_set(X509_get_serialNumber(x), 1); }));
  EXPECT_TRUE(HasFinding(f, "serial: not a 16-octet random value"));
}

TEST_F(LintDirectTest, NegativeSerial) {
  auto f = Lint(Mutate(card_, [](X509* x) { ASN1_INTEGER_set(X509_get_serialNumber(x), -5); }));
  EXPECT_TRUE(HasFinding(f, "serial: not positive"));
}

TEST_F(LintDirectTest, GeneralizedTimeBefore2050) {
  auto f = Lint(Mutate(card_, [](X509* x) {
    ASN1_TIME* t = ASN1_TIME_new();
    ASN1_GENERALIZEDTIME_set_string(t, "20300101000000Z");
    X509_set1_notAfter(x, t);
    ASN1_TIME_free(t);
  }));
  EXPECT_TRUE(HasFinding(f, "notAfter must be UTCTime for year 2030"));
}

TEST_F(LintDirectTest, NotAfterBeforeNotBefore) {
  auto f =
      Lint(Mutate(card_, [](X509* x) { X509_gmtime_adj(X509_getm_notAfter(x), -86400 * 10); }));
  EXPECT_TRUE(HasFinding(f, "notAfter is not after notBefore"));
}

TEST_F(LintDirectTest, OutlivesTheIssuer) {
  auto f = Lint(
      Mutate(card_, [](X509* x) { X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365 * 6); }));
  EXPECT_TRUE(HasFinding(f, "later than the issuer's notAfter"));
}

TEST_F(LintDirectTest, WrongSignatureAlgorithmForIssuer) {
  // An Ed25519 signature on a certificate from a P-256 issuing CA.
  auto f = Lint(Mutate(
      card_, [](X509*) {}, KeyAlg::kEd25519));
  EXPECT_TRUE(HasFinding(f, "does not match the issuer's p256 key"));
}

TEST_F(LintDirectTest, VersionOne) {
  auto f = Lint(Mutate(card_, [](X509* x) { X509_set_version(x, X509_VERSION_1); }));
  EXPECT_TRUE(HasFinding(f, "version: not v3"));
}

TEST_F(LintDirectTest, NonCriticalKeyUsage) {
  auto f = Lint(Mutate(card_, [](X509* x) {
    X509_EXTENSION* ext = X509_get_ext(x, X509_get_ext_by_NID(x, NID_key_usage, -1));
    X509_EXTENSION_set_critical(ext, 0);
  }));
  EXPECT_TRUE(HasFinding(f, "keyUsage: must be critical"));
}

TEST_F(LintDirectTest, MissingSki) {
  auto f = Lint(Mutate(card_, [](X509* x) {
    X509_EXTENSION_free(X509_delete_ext(x, X509_get_ext_by_NID(x, NID_subject_key_identifier, -1)));
  }));
  EXPECT_TRUE(HasFinding(f, "subjectKeyIdentifier: missing"));
}

TEST_F(LintDirectTest, WrongIssuerName) {
  auto f = LintCertificate(card_, {ProfileId::kIdCard, h_.root_der});
  EXPECT_TRUE(HasFinding(f, "issuer: name differs"));
  EXPECT_TRUE(HasFinding(f, "authorityKeyIdentifier: does not match"));
}

TEST_F(LintDirectTest, GarbageIsAFinding) {
  EXPECT_EQ(Lint("not a certificate"), std::vector<std::string>{"der: not a certificate"});
}

TEST(LintTimeTest, RootPast2049UsesGeneralizedTime) {
  FakeClock clock(2'040'000'000'000);  // 2034-08: a 25-year root ends in 2059
  DeterministicRng rng(5);
  testing::CountingSigner signer(NewKey(KeyAlg::kEd25519));
  auto root = Ca::CreateRoot(signer, {"Root", "Org"}, std::chrono::hours(24 * 365 * 25), clock, rng,
                             NoStore);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  auto x = ossl::ParseDerExact<ossl::X509Ptr>(root->der, d2i_X509);
  EXPECT_EQ(ASN1_STRING_type(X509_get0_notBefore(x.get())), V_ASN1_UTCTIME);
  EXPECT_EQ(ASN1_STRING_type(X509_get0_notAfter(x.get())), V_ASN1_GENERALIZEDTIME);
}

}  // namespace
}  // namespace vt::x509
