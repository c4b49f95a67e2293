// RevocationService on every storage backend: OCSP answers from the
// certificates table (good, revoked with reason, unknown, reserved), the
// pre-signed cache and its invalidation (a revoked serial is never served as
// good after the revocation committed, even from another process's write), the
// nonce and multi-CertID paths, malformed requests, and CRLs regenerated on
// revocation with increasing CRL numbers.
#include "app/identity/revocation.h"

#include <gtest/gtest.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include <filesystem>

#include "app/access/service.h"
#include "app/identity/ca_keys.h"
#include "base/encoding.h"
#include "store/store_testing.h"
#include "x509/ca.h"

namespace vt::app {
namespace {

using x509::OcspCertState;

Status NoStore(const std::string&) { return OkStatus(); }

struct OcspReqDeleter {
  void operator()(OCSP_REQUEST* r) const { OCSP_REQUEST_free(r); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct OcspRespDeleter {
  void operator()(OCSP_RESPONSE* r) const { OCSP_RESPONSE_free(r); }
};

// A DER OCSPRequest for `serials` (hex) of `issuer_der`.
std::string MakeRequest(const std::string& issuer_der, const std::vector<std::string>& serials,
                        bool nonce, const EVP_MD* md = EVP_sha1()) {
  const auto* p = reinterpret_cast<const unsigned char*>(issuer_der.data());
  std::unique_ptr<X509, X509Deleter> issuer(d2i_X509(nullptr, &p, long(issuer_der.size())));
  EXPECT_TRUE(issuer);
  std::unique_ptr<OCSP_REQUEST, OcspReqDeleter> req(OCSP_REQUEST_new());
  for (const auto& hex : serials) {
    BIGNUM* bn = nullptr;
    EXPECT_GT(BN_hex2bn(&bn, hex.c_str()), 0);
    ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
    OCSP_CERTID* id = OCSP_cert_id_new(md, X509_get_subject_name(issuer.get()),
                                       X509_get0_pubkey_bitstr(issuer.get()), serial);
    EXPECT_NE(OCSP_request_add0_id(req.get(), id), nullptr);
    ASN1_INTEGER_free(serial);
    BN_free(bn);
  }
  if (nonce) EXPECT_EQ(OCSP_request_add1_nonce(req.get(), nullptr, 16), 1);
  unsigned char* out = nullptr;
  int n = i2d_OCSP_REQUEST(req.get(), &out);
  std::string der(reinterpret_cast<char*>(out), n);
  OPENSSL_free(out);
  return der;
}

int ResponseStatus(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<OCSP_RESPONSE, OcspRespDeleter> r(
      d2i_OCSP_RESPONSE(nullptr, &p, long(der.size())));
  return r ? OCSP_response_status(r.get()) : -1;
}

class RevocationTest : public store::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("revocation_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    Config c;
    c.data_dir = dir_.string();
    c.log_origin = "vtrust.test/log";
    auto s = Service::OpenWith(c, store::BorrowDatabase(db()), clock_, SystemRng::Get());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    svc_ = std::move(*s);
    auto init = svc_->Bootstrap();
    ASSERT_TRUE(init.ok()) << init.status().ToString();
    org_ = init->org.id;
    ASSERT_NO_FATAL_FAILURE(MakeCa(crypto::KeyAlg::kP256));
    rev_ = std::make_unique<RevocationService>(*svc_);
  }
  void TearDown() override {
    rev_.reset();
    svc_.reset();
    BackendTest::TearDown();
    std::filesystem::remove_all(dir_);
  }

  // Root, issuing CA and OCSP-signing certificate of `alg`, keys sealed in the
  // data directory, rows in cas (as `vtrust ca init` leaves them).
  void MakeCa(crypto::KeyAlg alg) {
    std::string a(crypto::KeyAlgName(alg));
    auto root_key = CreateKey(svc_->config(), alg, a + "-root");
    auto issuing_key = CreateKey(svc_->config(), alg, a + "-issuing");
    auto ocsp_key = CreateKey(svc_->config(), alg, a + "-ocsp");
    ASSERT_TRUE(root_key.ok() && issuing_key.ok() && ocsp_key.ok());
    auto root = x509::Ca::CreateRoot(*root_key->signer, {"Test Root " + a, "vtrust test"},
                                     std::chrono::seconds(0), clock_, rng_, NoStore);
    ASSERT_TRUE(root.ok()) << root.status().ToString();
    auto root_ca = x509::Ca::Create(root->der, root_key->signer, {}, clock_, rng_);
    ASSERT_TRUE(root_ca.ok());
    auto issuing = root_ca->IssueIssuingCa(issuing_key->signer->public_key(),
                                           {"Test Issuing " + a, "vtrust test"},
                                           std::chrono::seconds(0), NoStore);
    ASSERT_TRUE(issuing.ok()) << issuing.status().ToString();
    auto issuing_ca = x509::Ca::Create(issuing->der, issuing_key->signer, {}, clock_, rng_);
    ASSERT_TRUE(issuing_ca.ok());
    auto ocsp = issuing_ca->IssueOcspSigning(ocsp_key->signer->public_key(),
                                             std::chrono::seconds(0), NoStore);
    ASSERT_TRUE(ocsp.ok()) << ocsp.status().ToString();
    issuing_der_[a] = issuing->der;
    auto conn = db().Connect();
    ASSERT_TRUE(conn.ok());
    for (auto [kind, der, ref] : {std::tuple{"root", root->der, root_key->key_ref},
                                  std::tuple{"issuing", issuing->der, issuing_key->key_ref},
                                  std::tuple{"ocsp", ocsp->der, ocsp_key->key_ref}}) {
      auto r = (*conn)->Exec(
          "INSERT INTO cas (id, alg, kind, cert_der, key_ref, created_at) VALUES (?,?,?,?,?,?)",
          {a + "-" + kind, a, std::string(kind), store::Blob{der}, ref, Now()});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
  }

  std::string Now() { return FormatRfc3339(clock_.Now()); }

  // A certificates row under "<alg>-issuing"; `issued` false leaves it reserved.
  std::string AddCert(const std::string& alg = "p256", bool issued = true) {
    char serial[33];
    snprintf(serial, sizeof serial, "4%031x", ++serials_);
    auto conn = db().Connect();
    EXPECT_TRUE(conn.ok());
    auto r = (*conn)->Exec(
        "INSERT INTO certificates (serial, ca_id, profile, alg, org_id, cert_der, not_before, "
        "not_after, status, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        {std::string(serial), alg + "-issuing", std::string("id-card"), alg, org_,
         issued ? store::Value(store::Blob{"not a real certificate"}) : store::Value(), Now(),
         Now(), std::string("good"), Now()});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return serial;
  }

  // Revokes as the CA does: the status change and a log entry in one commit.
  void Revoke(const std::string& serial, const std::string& reason) {
    auto w = svc_->Write([&](WriteContext& ctx) -> Status {
      VT_RETURN_IF_ERROR(ctx.conn()
                             .Exec("UPDATE certificates SET status = 'revoked', revoked_at = ?, "
                                   "revocation_reason = ? WHERE serial = ?",
                                   {Now(), reason, serial})
                             .status());
      ctx.AppendLog(Json{{"type", "test.revoked"}, {"serial", serial}}.dump());
      return OkStatus();
    });
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  }

  // The verified status of `serial` in `response` (fails the test if it does not verify).
  x509::OcspVerifiedStatus Check(const RevocationBytes& response, const std::string& serial,
                                 const std::string& alg = "p256") {
    auto v = x509::VerifyOcspResponse(response.der, issuing_der_[alg], serial, clock_.Now());
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : x509::OcspVerifiedStatus{};
  }
  RevocationBytes Ask(const std::string& serial, bool nonce = false) {
    return rev_->Ocsp("p256", MakeRequest(issuing_der_["p256"], {serial}, nonce));
  }

  inline static int counter_ = 0;
  FakeClock clock_{SystemClock::Get().NowUnixMillis()};
  DeterministicRng rng_{42};
  std::filesystem::path dir_;
  std::unique_ptr<Service> svc_;
  std::unique_ptr<RevocationService> rev_;
  std::string org_;
  std::map<std::string, std::string> issuing_der_;
  int serials_ = 0;
};

TEST_P(RevocationTest, GoodRevokedUnknownAndReserved) {
  std::string good = AddCert(), revoked = AddCert(), reserved = AddCert("p256", false);
  Revoke(revoked, "keyCompromise");
  EXPECT_EQ(Check(Ask(good), good).status.state, OcspCertState::kGood);
  auto r = Check(Ask(revoked), revoked);
  EXPECT_EQ(r.status.state, OcspCertState::kRevoked);
  EXPECT_EQ(r.status.reason, x509::CrlReason::kKeyCompromise);
  EXPECT_EQ(Check(Ask(reserved), reserved).status.state, OcspCertState::kUnknown);
  std::string never = "7" + std::string(31, 'e');
  EXPECT_EQ(Check(Ask(never), never).status.state, OcspCertState::kUnknown);
}

TEST_P(RevocationTest, CachedGoodIsNeverServedAfterRevocation) {
  std::string serial = AddCert();
  RevocationBytes first = Ask(serial);
  EXPECT_EQ(Check(first, serial).status.state, OcspCertState::kGood);
  EXPECT_EQ(Ask(serial).der, first.der);  // served from the cache: the same bytes
  EXPECT_EQ(rev_->counters().cache_hits, 1u);
  Revoke(serial, "cessationOfOperation");
  RevocationBytes after = Ask(serial);
  EXPECT_NE(after.der, first.der);
  auto v = Check(after, serial);
  EXPECT_EQ(v.status.state, OcspCertState::kRevoked);
  EXPECT_EQ(v.status.reason, x509::CrlReason::kCessationOfOperation);
  EXPECT_EQ(Ask(serial).der, after.der);  // the revoked response is cached in turn
}

TEST_P(RevocationTest, RevocationByAnotherWriterIsSeenWithoutNotice) {
  // A revocation committed on another connection (another process, say) with
  // no log entry and no call into this service: still never "good" again.
  std::string serial = AddCert();
  EXPECT_EQ(Check(Ask(serial), serial).status.state, OcspCertState::kGood);
  auto conn = db().Connect();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)
                  ->Exec("UPDATE certificates SET status = 'revoked', revoked_at = ?, "
                         "revocation_reason = 'superseded' WHERE serial = ?",
                         {Now(), serial})
                  .ok());
  EXPECT_EQ(Check(Ask(serial), serial).status.state, OcspCertState::kRevoked);
}

TEST_P(RevocationTest, CachedResponsesAreResignedAtHalfTheirValidity) {
  std::string serial = AddCert();
  RevocationBytes first = Ask(serial);
  EXPECT_EQ(first.next_update - first.this_update, std::chrono::hours(1));
  clock_.Advance(std::chrono::minutes(29));
  EXPECT_EQ(Ask(serial).der, first.der);
  clock_.Advance(std::chrono::minutes(2));
  RevocationBytes second = Ask(serial);
  EXPECT_NE(second.der, first.der);
  EXPECT_GT(second.this_update, first.this_update);
  EXPECT_EQ(Check(second, serial).status.state, OcspCertState::kGood);
}

TEST_P(RevocationTest, NonceRequestsAreSignedFreshAndNotCached) {
  std::string serial = AddCert();
  RevocationBytes a = Ask(serial, /*nonce=*/true), b = Ask(serial, /*nonce=*/true);
  EXPECT_NE(a.der, b.der);  // different nonces echoed
  EXPECT_FALSE(a.cacheable);
  EXPECT_EQ(Check(a, serial).status.state, OcspCertState::kGood);
  EXPECT_EQ(rev_->counters().fresh_signs, 2u);
  EXPECT_EQ(rev_->counters().cache_hits, 0u);
}

TEST_P(RevocationTest, SeveralCertificatesInOneRequest) {
  std::string a = AddCert(), b = AddCert(), unknown = "5" + std::string(31, 'a');
  Revoke(b, "affiliationChanged");
  RevocationBytes r = rev_->Ocsp("p256", MakeRequest(issuing_der_["p256"], {a, b, unknown}, false));
  EXPECT_EQ(Check(r, a).status.state, OcspCertState::kGood);
  EXPECT_EQ(Check(r, b).status.state, OcspCertState::kRevoked);
  EXPECT_EQ(Check(r, unknown).status.state, OcspCertState::kUnknown);
}

TEST_P(RevocationTest, MalformedAndForeignRequests) {
  EXPECT_EQ(ResponseStatus(rev_->Ocsp("p256", "garbage").der), 1);  // malformedRequest
  EXPECT_EQ(ResponseStatus(rev_->Ocsp("p256", "").der), 1);
  // A CertID of the p256 issuer sent to the (uninitialized) ed25519 responder,
  // and to an alg that does not exist: unauthorized.
  std::string req = MakeRequest(issuing_der_["p256"], {AddCert()}, false);
  EXPECT_EQ(ResponseStatus(rev_->Ocsp("ed25519", req).der), 6);
  EXPECT_EQ(ResponseStatus(rev_->Ocsp("rsa", req).der), 6);
  ASSERT_NO_FATAL_FAILURE(MakeCa(crypto::KeyAlg::kEd25519));
  rev_->Invalidate();                                            // (or wait for ca_reload)
  EXPECT_EQ(ResponseStatus(rev_->Ocsp("ed25519", req).der), 6);  // not its issuer
  EXPECT_EQ(ResponseStatus(rev_->Ocsp("p256", req).der), 0);
}

TEST_P(RevocationTest, Sha256CertIdsAreCachedSeparately) {
  std::string serial = AddCert();
  RevocationBytes sha1 = Ask(serial);
  RevocationBytes sha256 =
      rev_->Ocsp("p256", MakeRequest(issuing_der_["p256"], {serial}, false, EVP_sha256()));
  EXPECT_NE(sha1.der, sha256.der);
  EXPECT_EQ(Check(sha256, serial).status.state, OcspCertState::kGood);
  EXPECT_EQ(rev_->counters().cache_signs, 2u);
}

TEST_P(RevocationTest, CrlListsRevocationsAndIsRegeneratedOnRevocation) {
  std::string a = AddCert(), b = AddCert();
  auto first = rev_->Crl("p256");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto info = x509::VerifyCrl(first->der, issuing_der_["p256"]);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(info->revoked.empty());
  EXPECT_EQ(info->next_update - info->this_update, std::chrono::hours(24));
  EXPECT_EQ(rev_->Crl("p256")->der, first->der);  // cached
  Revoke(a, "keyCompromise");
  auto second = rev_->Crl("p256");
  ASSERT_TRUE(second.ok());
  auto info2 = x509::VerifyCrl(second->der, issuing_der_["p256"]);
  ASSERT_TRUE(info2.ok());
  ASSERT_EQ(info2->revoked.size(), 1u);
  EXPECT_EQ(info2->revoked[0].serial_hex, a);
  EXPECT_EQ(info2->revoked[0].reason, x509::CrlReason::kKeyCompromise);
  EXPECT_GT(info2->crl_number, info->crl_number);
  // Half the validity later a new CRL (new number) even without revocations.
  clock_.Advance(std::chrono::hours(13));
  auto third = x509::VerifyCrl(rev_->Crl("p256")->der, issuing_der_["p256"]);
  ASSERT_TRUE(third.ok());
  EXPECT_GT(third->crl_number, info2->crl_number);
  EXPECT_EQ(third->revoked.size(), 1u);
  EXPECT_EQ(rev_->counters().crl_signs, 3u);
  (void)b;
}

TEST_P(RevocationTest, UninitializedCaIsNotFound) {
  EXPECT_EQ(rev_->Crl("sm2").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(rev_->Crl("rsa").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(rev_->CaCertificate("sm2-root").status().code(), StatusCode::kNotFound);
  auto der = rev_->CaCertificate("p256-issuing");
  ASSERT_TRUE(der.ok());
  EXPECT_EQ(*der, issuing_der_["p256"]);
}

TEST_P(RevocationTest, Sm2ResponsesAndCrlVerifyWithTheVtrustId) {
  ASSERT_NO_FATAL_FAILURE(MakeCa(crypto::KeyAlg::kSm2));
  std::string a = AddCert("sm2"), b = AddCert("sm2");
  Revoke(b, "keyCompromise");
  auto ask = [&](const std::string& s) {
    return rev_->Ocsp("sm2", MakeRequest(issuing_der_["sm2"], {s}, false));
  };
  EXPECT_EQ(Check(ask(a), a, "sm2").status.state, OcspCertState::kGood);
  EXPECT_EQ(Check(ask(b), b, "sm2").status.state, OcspCertState::kRevoked);
  auto crl = rev_->Crl("sm2");
  ASSERT_TRUE(crl.ok()) << crl.status().ToString();
  auto info = x509::VerifyCrl(crl->der, issuing_der_["sm2"]);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_EQ(info->revoked.size(), 1u);
  EXPECT_EQ(info->revoked[0].serial_hex, b);
}

VT_INSTANTIATE_BACKEND_TEST(RevocationTest);

}  // namespace
}  // namespace vt::app
