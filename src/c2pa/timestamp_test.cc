// sigTst2 (C2PA 2.2 §10.3.2.5): a TimeStampToken over the claim signature,
// written by SignOptions::timestamper and checked by Verify.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "c2pa/c2pa.h"
#include "c2pa/c2pa_test_util.h"
#include "c2pa/cose_internal.h"
#include "x509/cert.h"
#include "x509/timestamp.h"

namespace vt::c2pa {
namespace {

using testing::Codes;
using testing::Pki;
using testing::SignBytes;
using testing::VerifyBytes;
using x509::testing::NewKey;

// A claim-signing PKI plus a TSA under the same issuing CA.
struct TsaPki {
  TsaPki() : pki(crypto::KeyAlg::kP256) {
    crypto::PrivateKey key = NewKey(crypto::KeyAlg::kP256);
    auto cert = pki.h.issuing->IssueTimeStamping(key.Public(), {"vtrust TSA", "vtrust test"},
                                                 std::chrono::seconds(0), x509::testing::NoStore);
    EXPECT_TRUE(cert.ok()) << cert.status().ToString();
    auto t = x509::TimeStampAuthority::Create(key, cert->der, {pki.h.issuing_der}, pki.h.clock,
                                              pki.h.rng);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    tsa = std::make_unique<x509::TimeStampAuthority>(*std::move(t));
  }

  SignOptions Options() {
    SignOptions o = pki.Options();
    o.timestamper = [this](std::string_view message) -> StatusOr<std::string> {
      ++calls;
      last_message = std::string(message);
      VT_ASSIGN_OR_RETURN(std::string req, x509::BuildTimeStampRequest(message, pki.h.rng));
      VT_ASSIGN_OR_RETURN(std::string resp, tsa->Respond(req));
      return x509::TokenFromResponse(resp, req);
    };
    return o;
  }

  Pki pki;
  std::unique_ptr<x509::TimeStampAuthority> tsa;
  int calls = 0;
  std::string last_message;
};

TsaPki& Shared() {
  static TsaPki* p = new TsaPki();
  return *p;
}

TEST(TimestampTest, EmbeddedTimestampValidates) {
  TsaPki& t = Shared();
  for (Container kind : {Container::kJpeg, Container::kMp4}) {
    std::string asset = kind == Container::kJpeg ? testing::TinyJpeg() : testing::TinyMp4();
    int before = t.calls;
    auto signed_asset = SignBytes(kind, asset, t.Options());
    ASSERT_TRUE(signed_asset.ok()) << signed_asset.status().ToString();
    EXPECT_EQ(t.calls, before + 1) << "one token per signature (not for the placeholder pass)";
    auto r = VerifyBytes(kind, *signed_asset, t.pki.Verification());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->Has("timeStamp.validated")) << Codes(*r);
    EXPECT_EQ(r->verdict, Verdict::kTrusted) << Codes(*r);
    EXPECT_TRUE(r->timestamp.has_value());
    EXPECT_EQ(r->tsa_subject, "CN=vtrust TSA, O=vtrust test");
    // The token is over the COSE CounterSignature structure of the signature.
    EXPECT_EQ(t.last_message.find("\x70"
                                  "CounterSignature"),
              1u);
  }
}

TEST(TimestampTest, TokenOverAnotherSignatureIsAMismatch) {
  TsaPki& t = Shared();
  // A token over other bytes, carried as if it were the signature's.
  SignOptions o = t.Options();
  auto real = o.timestamper;
  o.timestamper = [real](std::string_view) { return real("some other signature"); };
  auto signed_asset = SignBytes(Container::kPng, testing::TinyPng(), o);
  ASSERT_TRUE(signed_asset.ok()) << signed_asset.status().ToString();
  auto r = VerifyBytes(Container::kPng, *signed_asset, t.pki.Verification());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->Has("timeStamp.mismatch")) << Codes(*r);
  EXPECT_FALSE(r->Has("timeStamp.validated")) << Codes(*r);
  EXPECT_EQ(r->verdict, Verdict::kInvalid) << Codes(*r);
}

TEST(TimestampTest, TamperedTokenIsAMismatch) {
  TsaPki& t = Shared();
  auto signed_asset = SignBytes(Container::kPng, testing::TinyPng(), t.Options());
  ASSERT_TRUE(signed_asset.ok());
  // Flip a byte of the TSA's signature inside the token: the token is a CMS
  // SignedData whose last SignerInfo field is the ECDSA signature; find the
  // token by its TSTInfo content type OID (1.2.840.113549.1.9.16.1.4).
  std::string oid("\x06\x0b\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x04", 13);
  size_t at = signed_asset->find(oid);
  ASSERT_NE(at, std::string::npos);
  std::string tampered = *signed_asset;
  tampered[at + 40] ^= 0x01;  // inside the TSTInfo (its message imprint or serial)
  auto r = VerifyBytes(Container::kPng, tampered, t.pki.Verification());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->Has("timeStamp.mismatch") || r->Has("timeStamp.malformed")) << Codes(*r);
  EXPECT_EQ(r->verdict, Verdict::kInvalid) << Codes(*r);
}

TEST(TimestampTest, UnknownTsaIsUntrusted) {
  TsaPki& t = Shared();
  auto signed_asset = SignBytes(Container::kWav, testing::TinyWav(), t.Options());
  ASSERT_TRUE(signed_asset.ok());
  VerifyOptions v = t.pki.Verification();
  x509::testing::Hierarchy other(crypto::KeyAlg::kP256);
  v.tsa_trust_anchors_der = {other.root_der};
  auto r = VerifyBytes(Container::kWav, *signed_asset, v);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->Has("timeStamp.untrusted")) << Codes(*r);
  EXPECT_EQ(r->verdict, Verdict::kValidUntrusted) << Codes(*r);
}

TEST(TimestampTest, TimestampMovesTheValidityCheckToGenTime) {
  TsaPki& t = Shared();
  auto signed_asset = SignBytes(Container::kJpeg, testing::TinyJpeg(), t.Options());
  ASSERT_TRUE(signed_asset.ok());
  VerifyOptions v = t.pki.Verification();
  v.now = v.now + std::chrono::hours(24 * 3650);  // the claim signer has long expired
  auto r = VerifyBytes(Container::kJpeg, *signed_asset, v);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->Has("timeStamp.validated")) << Codes(*r);
  EXPECT_TRUE(r->Has("claimSignature.insideValidity")) << Codes(*r);
  // Without the timestamp the same check fails.
  auto plain = SignBytes(Container::kJpeg, testing::TinyJpeg(), t.pki.Options());
  ASSERT_TRUE(plain.ok());
  auto r2 = VerifyBytes(Container::kJpeg, *plain, v);
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->Has("claimSignature.outsideValidity")) << Codes(*r2);
}

// With C2PA_INTEROP_OUT set: a timestamped JPEG and MP4, the same JPEG with
// one byte of the token's message imprint flipped, and the root, for the
// official SDK (tests/c2pa_sdk/validate.mjs ROOT FILE...).
TEST(TimestampTest, WriteInteropSamples) {
  const char* dir = std::getenv("C2PA_INTEROP_OUT");
  if (dir == nullptr) GTEST_SKIP() << "set C2PA_INTEROP_OUT to write samples";
  TsaPki& t = Shared();
  std::string out(dir);
  std::ofstream(out + "/ts-root.pem") << x509::CertificateToPem(t.pki.h.root_der);
  auto jpeg = SignBytes(Container::kJpeg, testing::TinyJpeg(), t.Options());
  auto mp4 = SignBytes(Container::kMp4, testing::TinyMp4(), t.Options());
  ASSERT_TRUE(jpeg.ok() && mp4.ok());
  std::ofstream(out + "/ts.jpeg", std::ios::binary) << *jpeg;
  std::ofstream(out + "/ts.mp4", std::ios::binary) << *mp4;
  std::string imprint("\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20", 15);
  std::string bad = *jpeg;
  size_t at = bad.find(imprint, bad.find("sigTst2"));
  ASSERT_NE(at, std::string::npos);
  bad[at + imprint.size()] ^= 0x55;
  std::ofstream(out + "/ts-bad.jpeg", std::ios::binary) << bad;
  auto r = VerifyBytes(Container::kJpeg, bad, t.pki.Verification());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->Has("timeStamp.mismatch")) << Codes(*r);
}

TEST(TimestampTest, TimestamperErrorFailsTheSigning) {
  SignOptions o = Shared().Options();
  o.timestamper = [](std::string_view) -> StatusOr<std::string> {
    return UnavailableError("TSA down");
  };
  auto s = SignBytes(Container::kJpeg, testing::TinyJpeg(), o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable);
  o.timestamper = [](std::string_view) -> StatusOr<std::string> { return std::string(20000, 'x'); };
  EXPECT_EQ(SignBytes(Container::kJpeg, testing::TinyJpeg(), o).status().code(),
            StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace vt::c2pa
