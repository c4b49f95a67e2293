// Tampering, trust and revocation outcomes of Verify.
#include <gtest/gtest.h>

#include <sstream>

#include "c2pa/c2pa.h"
#include "c2pa/c2pa_test_util.h"

namespace vt::c2pa {
namespace {

using testing::Codes;
using testing::Pki;
using testing::SignBytes;
using testing::VerifyBytes;

Pki& SharedPki() {
  static Pki* p = new Pki(crypto::KeyAlg::kP256);
  return *p;
}

const std::string kAsset = "sidecar asset bytes";

std::string Sidecar(const SignOptions& o) {
  std::istringstream in(kAsset);
  auto store = SignSidecar(in, o);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? *store : "";
}

VerifyReport Check(const std::string& store, const VerifyOptions& v) {
  auto r = VerifyBytes(Container::kSidecar, kAsset, v, store);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : VerifyReport{};
}

// Flips one byte of the first occurrence of `needle`.
std::string Flip(std::string s, std::string_view needle) {
  size_t at = s.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  if (at != std::string::npos) s[at] ^= 0x01;
  return s;
}

// Signs like its inner signer, then corrupts the signature.
class CorruptingSigner : public crypto::Signer {
 public:
  explicit CorruptingSigner(crypto::Signer* inner) : inner_(inner) {}
  crypto::KeyAlg alg() const override { return inner_->alg(); }
  const crypto::PublicKey& public_key() const override { return inner_->public_key(); }
  StatusOr<std::string> Sign(std::string_view m) override {
    VT_ASSIGN_OR_RETURN(std::string s, inner_->Sign(m));
    s[s.size() - 1] ^= 0x01;
    return s;
  }
  std::string Describe() const override { return "corrupting"; }

 private:
  crypto::Signer* inner_;
};

TEST(TamperTest, ClaimByte) {
  VerifyReport r =
      Check(Flip(Sidecar(SharedPki().Options()), "test asset"), SharedPki().Verification());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_TRUE(r.Has("claimSignature.mismatch")) << Codes(r);
}

TEST(TamperTest, SignatureByte) {
  std::string store = Sidecar(SharedPki().Options());
  store[store.size() - 1] ^= 0x01;  // the COSE signature ends the store
  VerifyReport r = Check(store, SharedPki().Verification());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_TRUE(r.Has("claimSignature.mismatch")) << Codes(r);
}

TEST(TamperTest, AssertionByte) {
  VerifyReport r =
      Check(Flip(Sidecar(SharedPki().Options()), "VC-0000"), SharedPki().Verification());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_TRUE(r.Has("assertion.hashedURI.mismatch")) << Codes(r);
  EXPECT_TRUE(r.Has("claimSignature.validated")) << Codes(r);
}

TEST(TamperTest, IdentityAssertionByte) {
  VerifyReport r =
      Check(Flip(Sidecar(SharedPki().Options()), "cawg.x509.cose"), SharedPki().Verification());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_TRUE(r.Has("assertion.hashedURI.mismatch")) << Codes(r);
}

TEST(TamperTest, IdentitySignature) {
  SignOptions o = SharedPki().Options();
  CorruptingSigner bad(SharedPki().identity_signer.get());
  o.identity_signer = &bad;
  VerifyReport r = Check(Sidecar(o), SharedPki().Verification());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_TRUE(r.Has("cawg.x509.signature.mismatch")) << Codes(r);
  EXPECT_TRUE(r.Has("claimSignature.validated")) << Codes(r);
}

TEST(TrustTest, UntrustedRootIsValidUntrusted) {
  Pki other(crypto::KeyAlg::kP256);
  VerifyReport r = Check(Sidecar(SharedPki().Options()), other.Verification());
  EXPECT_EQ(r.verdict, Verdict::kValidUntrusted) << Codes(r);
  EXPECT_TRUE(r.Has("signingCredential.untrusted"));
  EXPECT_TRUE(r.Has("cawg.x509.credential.untrusted"));
  VerifyOptions none = SharedPki().Verification();
  none.trust_anchors_der.clear();
  EXPECT_EQ(Check(Sidecar(SharedPki().Options()), none).verdict, Verdict::kValidUntrusted);
}

TEST(TrustTest, OutsideValidity) {
  VerifyOptions v = SharedPki().Verification();
  v.now += std::chrono::hours(24 * 365 * 30);
  VerifyReport r = Check(Sidecar(SharedPki().Options()), v);
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_TRUE(r.Has("claimSignature.outsideValidity")) << Codes(r);
}

// ID cards carry documentSigning (docs/id-card-profile.md): the card key is a
// valid CAWG identity credential. documentSigning is also one of the EKUs C2PA
// accepts for claim signers, so a card could sign the claim itself; vtrust
// signs claims with the organization's c2pa-signing certificate instead.
TEST(TrustTest, IdCardIsAValidIdentity) {
  Pki& pki = SharedPki();
  auto key = crypto::PrivateKey::Generate(crypto::KeyAlg::kP256);
  auto signer = crypto::MakeSoftwareSigner(*key);
  auto card = pki.h.issuing->IssueIdCard(signer->public_key(), x509::testing::SampleCard(),
                                         x509::testing::NoStore);
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  SignOptions o = pki.Options();
  o.identity_signer = signer.get();
  o.identity_chain_der = {card->der, pki.h.issuing_der};
  VerifyReport r = Check(Sidecar(o), pki.Verification());
  EXPECT_TRUE(r.Has("cawg.x509.signature.validated")) << Codes(r);
  EXPECT_TRUE(r.Has("cawg.x509.credential.trusted")) << Codes(r);
  EXPECT_EQ(r.verdict, Verdict::kTrusted) << Codes(r);
  o = pki.Options(false);
  o.claim_signer = signer.get();
  o.claim_chain_der = {card->der, pki.h.issuing_der};
  r = Check(Sidecar(o), pki.Verification());
  EXPECT_TRUE(r.Has("signingCredential.trusted")) << Codes(r);
}

TEST(TrustTest, StapledOcsp) {
  SignOptions o = SharedPki().Options();
  o.ocsp_der = "stapled OCSP response bytes";
  std::string store = Sidecar(o);
  VerifyOptions v = SharedPki().Verification();
  EXPECT_TRUE(Check(store, v).Has("signingCredential.ocsp.skipped"));
  std::string seen;
  v.check_ocsp = [&](std::string_view ocsp, std::string_view cert, std::string_view issuer) {
    seen = std::string(ocsp);
    EXPECT_EQ(cert, SharedPki().claim_chain[0]);
    EXPECT_EQ(issuer, SharedPki().h.issuing_der);
    return OcspStatus::kGood;
  };
  VerifyReport good = Check(store, v);
  EXPECT_EQ(seen, *o.ocsp_der);
  EXPECT_TRUE(good.Has("signingCredential.ocsp.notRevoked"));
  EXPECT_EQ(good.verdict, Verdict::kTrusted) << Codes(good);
  v.check_ocsp = [](auto, auto, auto) { return OcspStatus::kRevoked; };
  VerifyReport revoked = Check(store, v);
  EXPECT_TRUE(revoked.Has("signingCredential.ocsp.revoked"));
  EXPECT_EQ(revoked.verdict, Verdict::kInvalid);
}

TEST(MalformedTest, TruncatedAndGarbageNeverCrash) {
  Pki& pki = SharedPki();
  std::string store = Sidecar(pki.Options());
  for (size_t n = 0; n < store.size(); n += 7) {
    auto r = VerifyBytes(Container::kSidecar, kAsset, pki.Verification(), store.substr(0, n));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->verdict, Verdict::kInvalid) << n;
  }
  for (Container kind : {Container::kJpeg, Container::kPng, Container::kWav, Container::kMp4}) {
    std::string asset = kind == Container::kJpeg  ? testing::TinyJpeg()
                        : kind == Container::kPng ? testing::TinyPng()
                        : kind == Container::kWav ? testing::TinyWav()
                                                  : testing::TinyMp4();
    auto signed_asset = SignBytes(kind, asset, pki.Options());
    ASSERT_TRUE(signed_asset.ok());
    for (size_t n = 0; n < signed_asset->size(); n += 13) {
      auto r = VerifyBytes(kind, signed_asset->substr(0, n), pki.Verification());
      if (r.ok()) EXPECT_NE(r->verdict, Verdict::kTrusted) << ContainerName(kind) << " " << n;
      auto s = SignBytes(kind, asset.substr(0, n * asset.size() / signed_asset->size()),
                         pki.Options(false));
      (void)s;  // a truncated asset may or may not be signable; it must not crash
    }
  }
  EXPECT_FALSE(DetectContainer("garbage").ok());
}

}  // namespace
}  // namespace vt::c2pa
