// `openssl ocsp` against the OCSP responder core: requests written by the
// tool, answered in-process, checked by the tool (the live HTTP responder is
// the integration suite's job).
#include "x509/interop_fixture.h"
#include "x509/ocsp.h"

namespace vt::x509::interop {
namespace {

using crypto::KeyAlg;

std::string VerifyNote(const std::string& out) {
  return Contains(out, "Response Verify Failure") ? "Response Verify Failure"
                                                  : LineWith(out, "Verif");
}

class OcspInteropTest : public InteropTest {
 protected:
  OcspInteropTest() {
    auto key = testing::NewKey(GetParam());
    auto cert = h_.issuing->IssueOcspSigning(key.Public(), {}, testing::NoStore);
    EXPECT_TRUE(cert.ok());
    std::shared_ptr<crypto::Signer> signer = crypto::MakeSoftwareSigner(key);
    responder_ = std::make_unique<OcspResponder>(
        OcspResponder::Create({{h_.issuing_der, cert->der, signer}}, h_.clock).value());
  }

  StatusOr<OcspCertStatus> Lookup(const std::string& serial) const {
    if (serial == cards_[0].serial_hex)
      return OcspCertStatus{OcspCertState::kGood, {}, CrlReason::kUnspecified};
    if (serial == cards_[1].serial_hex) {
      return OcspCertStatus{OcspCertState::kRevoked, h_.clock.Now() - std::chrono::hours(1),
                            CrlReason::kKeyCompromise};
    }
    return OcspCertStatus{OcspCertState::kUnknown, {}, CrlReason::kUnspecified};
  }
  OcspStatusLookup lookup() const {
    return [this](size_t, const std::string& s) { return Lookup(s); };
  }
  std::string Certs() const {
    return " -cert" + P("card0.pem") + " -cert" + P("card1.pem") + " -cert" + P("card2.pem");
  }
  // `openssl ocsp` verifying `resp` and printing the status of `certs`.
  // (With -cert, openssl builds a fresh request, so -no_nonce.)
  RunResult Statuses(const std::string& resp, const std::string& certs) {
    return Sh("openssl ocsp -respin" + P(resp) + " -no_nonce -issuer" + P("issuing.pem") + certs +
              " -CAfile" + P("root.pem") + " -resp_text");
  }
  // `openssl ocsp` verifying `resp` and its nonce against the request file
  // `req` (only without -cert does it keep the request's own nonce).
  RunResult NonceCheck(const std::string& resp, const std::string& req) {
    return Sh("openssl ocsp -respin" + P(resp) + " -reqin" + P(req) + " -issuer" +
              P("issuing.pem") + " -CAfile" + P("root.pem"));
  }

  std::unique_ptr<OcspResponder> responder_;
};

TEST_P(OcspInteropTest, GoodRevokedUnknownWithNonce) {
  auto req = Sh("openssl ocsp -issuer" + P("issuing.pem") + Certs() + " -reqout" + P("req.der"));
  ASSERT_EQ(req.code, 0) << req.out;
  dir_.Write("resp.der", responder_->Respond(dir_.Read("req.der"), lookup()));
  auto out = Statuses("resp.der", Certs());
  auto nonce = NonceCheck("resp.der", "req.der");
  bool ok = Contains(out.out, "Response verify OK") && Contains(out.out, "card0.pem: good") &&
            Contains(out.out, "card1.pem: revoked") && Contains(out.out, "Reason: keyCompromise") &&
            Contains(out.out, "card2.pem: unknown") && Contains(out.out, "OCSP Nonce") &&
            Contains(nonce.out, "Response verify OK") && !Contains(nonce.out, "Nonce Verify error");
  Observations::Get().Record("openssl ocsp -respin (good, revoked keyCompromise, unknown, nonce)",
                             alg(), ok, ok ? "" : VerifyNote(out.out));
  if (!sm2()) {
    EXPECT_TRUE(ok) << out.out << nonce.out;
    // A response to another request fails OpenSSL's nonce check.
    Sh("openssl ocsp -issuer" + P("issuing.pem") + Certs() + " -reqout" + P("req2.der"));
    auto mismatch = NonceCheck("resp.der", "req2.der");
    EXPECT_TRUE(Contains(mismatch.out, "Nonce Verify error")) << mismatch.out;
  }
  // Our own client check handles every algorithm, SM2 included.
  auto own = VerifyOcspResponse(dir_.Read("resp.der"), h_.issuing_der, cards_[1].serial_hex,
                                h_.clock.Now());
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->status.reason, CrlReason::kKeyCompromise);
}

TEST_P(OcspInteropTest, Sha256CertIdAndCachedResponse) {
  auto req = Sh("openssl ocsp -sha256 -no_nonce -issuer" + P("issuing.pem") + " -cert" +
                P("card1.pem") + " -reqout" + P("req.der"));
  ASSERT_EQ(req.code, 0) << req.out;
  auto info = responder_->ParseRequest(dir_.Read("req.der"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_FALSE(info->has_nonce);
  ASSERT_EQ(info->items.size(), 1u);
  EXPECT_EQ(info->items[0].hash, OcspHash::kSha256);
  // The caller would serve this from its cache for nonce-less requests.
  TimePoint now = h_.clock.Now();
  auto cached = responder_->SignSingleResponse(info->issuer_index, info->items[0].serial_hex,
                                               *Lookup(info->items[0].serial_hex), now,
                                               now + std::chrono::hours(12), info->items[0].hash);
  ASSERT_TRUE(cached.ok());
  dir_.Write("cached.der", *cached);
  auto out = Sh("openssl ocsp -sha256 -respin" + P("cached.der") + " -no_nonce -issuer" +
                P("issuing.pem") + " -cert" + P("card1.pem") + " -CAfile" + P("root.pem"));
  bool ok = Contains(out.out, "Response verify OK") && Contains(out.out, "card1.pem: revoked");
  Observations::Get().Record("openssl ocsp -respin, pre-signed cached response (SHA-256 CertID)",
                             alg(), ok, ok ? "" : VerifyNote(out.out));
  if (!sm2()) {
    EXPECT_TRUE(ok) << out.out;
  }
}

TEST_P(OcspInteropTest, GarbageAndForeignRequests) {
  dir_.Write("garbage.der", OcspResponder::ErrorResponse(OcspResponseStatus::kMalformedRequest));
  auto out = Sh("openssl ocsp -respin" + P("garbage.der") + " -resp_text -noverify");
  EXPECT_TRUE(Contains(out.out, "malformedrequest")) << out.out;
  testing::Hierarchy other(GetParam());
  dir_.Write("other-issuing.pem", CertificateToPem(other.issuing_der));
  Sh("openssl ocsp -issuer" + P("other-issuing.pem") + " -cert" + P("card0.pem") + " -reqout" +
     P("foreign.der"));
  dir_.Write("foreign-resp.der", responder_->Respond(dir_.Read("foreign.der"), lookup()));
  auto foreign = Sh("openssl ocsp -respin" + P("foreign-resp.der") + " -resp_text -noverify");
  EXPECT_TRUE(Contains(foreign.out, "unauthorized")) << foreign.out;
}

INSTANTIATE_TEST_SUITE_P(Algs, OcspInteropTest,
                         ::testing::Values(KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2), AlgName);

}  // namespace
}  // namespace vt::x509::interop
