#include "x509/ocsp.h"

#include <gtest/gtest.h>

#include <openssl/ocsp.h>

#include "crypto/ossl.h"
#include "x509/der.h"
#include "x509/test_util.h"

namespace vt::x509 {
namespace {

using crypto::KeyAlg;
using testing::Hierarchy;
using testing::NewKey;
using testing::NoStore;
using testing::SampleCard;

std::string MakeRequest(const std::vector<std::string>& certs, const std::string& issuer_der,
                        bool nonce, const EVP_MD* md = EVP_sha1()) {
  auto issuer = ossl::ParseDerExact<ossl::X509Ptr>(issuer_der, d2i_X509);
  ossl::OcspReqPtr req(OCSP_REQUEST_new());
  for (const auto& der : certs) {
    auto cert = ossl::ParseDerExact<ossl::X509Ptr>(der, d2i_X509);
    OCSP_CERTID* id = OCSP_cert_to_id(md, cert.get(), issuer.get());
    EXPECT_NE(OCSP_request_add0_id(req.get(), id), nullptr);
  }
  if (nonce) {
    EXPECT_EQ(OCSP_request_add1_nonce(req.get(), nullptr, 16), 1);
  }
  return ossl::ToDer(req.get(), i2d_OCSP_REQUEST);
}

int ResponseStatus(const std::string& der) {
  auto resp = ossl::ParseDerExact<ossl::OcspRespPtr>(der, d2i_OCSP_RESPONSE);
  return resp ? OCSP_response_status(resp.get()) : -1;
}

class OcspTest : public ::testing::TestWithParam<KeyAlg> {
 protected:
  OcspTest() : h_(GetParam()) {
    auto key = NewKey(GetParam());
    for (int i = 0; i < 3; ++i) {
      cards_.push_back(h_.issuing->IssueIdCard(key.Public(), SampleCard(), NoStore).value());
    }
    auto responder_key = NewKey(GetParam());
    responder_cert_ = h_.issuing->IssueOcspSigning(responder_key.Public(), {}, NoStore)->der;
    std::shared_ptr<crypto::Signer> signer = crypto::MakeSoftwareSigner(responder_key);
    auto r = OcspResponder::Create({{h_.issuing_der, responder_cert_, signer}}, h_.clock);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    responder_ = std::make_unique<OcspResponder>(*r);
  }

  // cards_[0] good, cards_[1] revoked (keyCompromise), anything else unknown.
  StatusOr<OcspCertStatus> Lookup(size_t issuer, const std::string& serial) {
    EXPECT_EQ(issuer, 0u);
    if (serial == cards_[0].serial_hex)
      return OcspCertStatus{OcspCertState::kGood, {}, CrlReason::kUnspecified};
    if (serial == cards_[1].serial_hex) {
      return OcspCertStatus{OcspCertState::kRevoked, revoked_at_, CrlReason::kKeyCompromise};
    }
    return OcspCertStatus{OcspCertState::kUnknown, {}, CrlReason::kUnspecified};
  }
  OcspStatusLookup lookup() {
    return [this](size_t i, const std::string& s) { return Lookup(i, s); };
  }
  StatusOr<OcspVerifiedStatus> Check(const std::string& resp, int card) {
    return VerifyOcspResponse(resp, h_.issuing_der, cards_[card].serial_hex, h_.clock.Now());
  }

  Hierarchy h_;
  std::vector<IssuedCert> cards_;
  std::string responder_cert_;
  std::unique_ptr<OcspResponder> responder_;
  TimePoint revoked_at_ =
      std::chrono::time_point_cast<std::chrono::seconds>(h_.clock.Now()) - std::chrono::hours(3);
};

TEST_P(OcspTest, AnswersSeveralCertificatesWithNonce) {
  std::vector<std::string> ders = {cards_[0].der, cards_[1].der, cards_[2].der};
  std::string req = MakeRequest(ders, h_.issuing_der, true);
  auto info = responder_->ParseRequest(req);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(info->has_nonce);
  ASSERT_EQ(info->items.size(), 3u);
  EXPECT_EQ(info->items[1].serial_hex, cards_[1].serial_hex);

  std::string resp = responder_->Respond(req, lookup());
  ASSERT_EQ(ResponseStatus(resp), OCSP_RESPONSE_STATUS_SUCCESSFUL);
  auto good = Check(resp, 0);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(good->status.state, OcspCertState::kGood);
  auto revoked = Check(resp, 1);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->status.state, OcspCertState::kRevoked);
  EXPECT_EQ(revoked->status.reason, CrlReason::kKeyCompromise);
  EXPECT_EQ(revoked->status.revocation_time, revoked_at_);
  EXPECT_EQ(Check(resp, 2)->status.state, OcspCertState::kUnknown);
  EXPECT_EQ(good->next_update - good->this_update, std::chrono::hours(1));

  // The nonce is echoed (OpenSSL's own check).
  auto req_obj = ossl::ParseDerExact<ossl::OcspReqPtr>(req, d2i_OCSP_REQUEST);
  auto resp_obj = ossl::ParseDerExact<ossl::OcspRespPtr>(resp, d2i_OCSP_RESPONSE);
  ossl::OcspBasicPtr bs(OCSP_response_get1_basic(resp_obj.get()));
  EXPECT_EQ(OCSP_check_nonce(req_obj.get(), bs.get()), 1);
  // The delegated responder certificate travels in `certs`.
  ASSERT_EQ(sk_X509_num(OCSP_resp_get0_certs(bs.get())), 1);
  EXPECT_EQ(ossl::ToDer(sk_X509_value(OCSP_resp_get0_certs(bs.get()), 0), i2d_X509),
            responder_cert_);
}

TEST_P(OcspTest, TamperedResponseFailsVerification) {
  std::string resp =
      responder_->Respond(MakeRequest({cards_[0].der}, h_.issuing_der, true), lookup());
  std::string tampered = resp;
  size_t at = tampered.find(internal::der::GeneralizedTime(h_.clock.Now()).substr(2, 6));
  ASSERT_NE(at, std::string::npos);
  tampered[at] ^= 0x01;  // a digit of producedAt
  EXPECT_FALSE(Check(tampered, 0).ok());
  h_.clock.Advance(std::chrono::hours(2));
  EXPECT_FALSE(Check(resp, 0).ok()) << "expired response accepted";
}

TEST_P(OcspTest, Sha256CertIds) {
  std::string req = MakeRequest({cards_[1].der}, h_.issuing_der, false, EVP_sha256());
  EXPECT_EQ(responder_->ParseRequest(req)->items[0].hash, OcspHash::kSha256);
  auto status = Check(responder_->Respond(req, lookup()), 1);
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->status.state, OcspCertState::kRevoked);
}

TEST_P(OcspTest, PreSignedCachedResponse) {
  TimePoint now = h_.clock.Now();
  auto cached = responder_->SignSingleResponse(
      0, cards_[1].serial_hex, {OcspCertState::kRevoked, revoked_at_, CrlReason::kSuperseded}, now,
      now + std::chrono::hours(24));
  ASSERT_TRUE(cached.ok()) << cached.status().ToString();
  auto status = Check(*cached, 1);
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->status.reason, CrlReason::kSuperseded);
  auto resp_obj = ossl::ParseDerExact<ossl::OcspRespPtr>(*cached, d2i_OCSP_RESPONSE);
  ossl::OcspBasicPtr bs(OCSP_response_get1_basic(resp_obj.get()));
  EXPECT_LT(OCSP_BASICRESP_get_ext_by_NID(bs.get(), NID_id_pkix_OCSP_Nonce, -1), 0);
  EXPECT_FALSE(responder_->SignSingleResponse(5, cards_[1].serial_hex, {}, now, now).ok());
}

TEST_P(OcspTest, ErrorResponses) {
  EXPECT_EQ(ResponseStatus(responder_->Respond("garbage", lookup())),
            OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
  EXPECT_EQ(ResponseStatus(responder_->Respond("", lookup())),
            OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
  Hierarchy other(GetParam());
  auto stranger = other.issuing->IssueIdCard(NewKey(GetParam()).Public(), SampleCard(), NoStore);
  std::string foreign = MakeRequest({stranger->der}, other.issuing_der, true);
  EXPECT_EQ(ResponseStatus(responder_->Respond(foreign, lookup())),
            OCSP_RESPONSE_STATUS_UNAUTHORIZED);
  EXPECT_EQ(responder_->ParseRequest(foreign).status().code(), StatusCode::kPermissionDenied);
  std::string ok_req = MakeRequest({cards_[0].der}, h_.issuing_der, true);
  OcspStatusLookup down = [](size_t, const std::string&) -> StatusOr<OcspCertStatus> {
    return UnavailableError("db down");
  };
  EXPECT_EQ(ResponseStatus(responder_->Respond(ok_req, down)), OCSP_RESPONSE_STATUS_TRYLATER);
  OcspStatusLookup broken = [](size_t, const std::string&) -> StatusOr<OcspCertStatus> {
    return InternalError("bug");
  };
  EXPECT_EQ(ResponseStatus(responder_->Respond(ok_req, broken)),
            OCSP_RESPONSE_STATUS_INTERNALERROR);
}

TEST_P(OcspTest, CreateChecksTheResponderCertificate) {
  auto key = NewKey(GetParam());
  std::shared_ptr<crypto::Signer> signer = crypto::MakeSoftwareSigner(key);
  // A card is not an OCSP signer.
  auto card = h_.issuing->IssueIdCard(key.Public(), SampleCard(), NoStore);
  EXPECT_FALSE(OcspResponder::Create({{h_.issuing_der, card->der, signer}}, h_.clock).ok());
  // The signer must hold the responder certificate's key.
  EXPECT_FALSE(OcspResponder::Create({{h_.issuing_der, responder_cert_, signer}}, h_.clock).ok());
  // The responder certificate must come from the issuer it answers for.
  EXPECT_FALSE(OcspResponder::Create({{h_.root_der, responder_cert_, signer}}, h_.clock).ok());
}

INSTANTIATE_TEST_SUITE_P(Algs, OcspTest,
                         ::testing::Values(KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2),
                         [](const auto& info) { return std::string(KeyAlgName(info.param)); });

TEST(OcspErrorTest, ErrorResponseDer) {
  EXPECT_EQ(OcspResponder::ErrorResponse(OcspResponseStatus::kUnauthorized),
            std::string("\x30\x03\x0a\x01\x06", 5));
}

}  // namespace
}  // namespace vt::x509
