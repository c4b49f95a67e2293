// The RFC 3161 authority and token verification (timestamp.h), checked against
// `openssl ts` as the independent implementation.
#include "x509/timestamp.h"

#include <gtest/gtest.h>

#include "x509/cert.h"
#include "x509/interop_util.h"
#include "x509/lint.h"
#include "x509/test_util.h"

namespace vt::x509 {
namespace {

using crypto::KeyAlg;
using interop::Sh;
using interop::TempDir;
using testing::Hierarchy;
using testing::NewKey;
using testing::NoStore;

class TimeStampTest : public ::testing::Test {
 protected:
  TimeStampTest() : h_(KeyAlg::kP256), key_(NewKey(KeyAlg::kP256)) {
    auto cert = h_.issuing->IssueTimeStamping(key_.Public(), {"vtrust TSA", "vtrust test"},
                                              std::chrono::seconds(0), NoStore);
    EXPECT_TRUE(cert.ok()) << cert.status().ToString();
    cert_der_ = cert->der;
    auto tsa = TimeStampAuthority::Create(key_, cert_der_, {h_.issuing_der}, h_.clock, h_.rng);
    EXPECT_TRUE(tsa.ok()) << tsa.status().ToString();
    tsa_ = std::make_unique<TimeStampAuthority>(*std::move(tsa));
  }

  std::string Token(std::string_view message) {
    auto req = BuildTimeStampRequest(message, h_.rng);
    EXPECT_TRUE(req.ok());
    auto resp = tsa_->Respond(*req);
    EXPECT_TRUE(resp.ok()) << resp.status().ToString();
    auto token = TokenFromResponse(*resp, *req);
    EXPECT_TRUE(token.ok()) << token.status().ToString();
    return token.value_or("");
  }

  Hierarchy h_;
  crypto::PrivateKey key_;
  std::string cert_der_;
  std::unique_ptr<TimeStampAuthority> tsa_;
};

TEST_F(TimeStampTest, CertificateLintsCleanWithCriticalTimeStampingEku) {
  EXPECT_TRUE(LintCertificate(cert_der_, {ProfileId::kTimeStamping, h_.issuing_der}).empty());
  Hierarchy ed(KeyAlg::kEd25519);
  auto refused = ed.issuing->IssueTimeStamping(NewKey(KeyAlg::kEd25519).Public(), {"TSA", "x"},
                                               std::chrono::seconds(0), NoStore);
  EXPECT_FALSE(refused.ok()) << "the profile allows P-256 only";
}

TEST_F(TimeStampTest, TokenVerifiesOverItsMessage) {
  std::string token = Token("the signature bytes");
  TokenReport r = VerifyTimeStampToken(token, "the signature bytes", {h_.root_der});
  EXPECT_EQ(r.check, TokenCheck::kValid) << r.explanation;
  EXPECT_EQ(r.tsa_subject, "CN=vtrust TSA, O=vtrust test");
}

TEST_F(TimeStampTest, OtherMessageIsAMismatch) {
  std::string token = Token("the signature bytes");
  TokenReport r = VerifyTimeStampToken(token, "other bytes", {h_.root_der});
  EXPECT_EQ(r.check, TokenCheck::kMismatch) << r.explanation;
}

TEST_F(TimeStampTest, TamperedTokenSignatureIsAMismatch) {
  std::string token = Token("m");
  // The last bytes of the token are the SignerInfo's signature value.
  token[token.size() - 3] ^= 0x01;
  TokenReport r = VerifyTimeStampToken(token, "m", {h_.root_der});
  EXPECT_NE(r.check, TokenCheck::kValid) << r.explanation;
}

TEST_F(TimeStampTest, UnknownRootIsUntrusted) {
  Hierarchy other(KeyAlg::kP256);
  TokenReport r = VerifyTimeStampToken(Token("m"), "m", {other.root_der});
  EXPECT_EQ(r.check, TokenCheck::kUntrusted) << r.explanation;
  EXPECT_EQ(VerifyTimeStampToken(Token("m"), "m", {}).check, TokenCheck::kUntrusted);
}

TEST_F(TimeStampTest, GarbageIsMalformed) {
  EXPECT_EQ(VerifyTimeStampToken("not a token", "m", {h_.root_der}).check, TokenCheck::kMalformed);
}

TEST_F(TimeStampTest, BadRequestGetsARejection) {
  auto resp = tsa_->Respond("not a request");
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  auto req = BuildTimeStampRequest("m", h_.rng);
  auto token = TokenFromResponse(*resp, *req);
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(TimeStampTest, ReplyToAnotherRequestIsRefused) {
  auto req1 = BuildTimeStampRequest("m", h_.rng);
  auto req2 = BuildTimeStampRequest("m", h_.rng);  // another nonce
  auto resp = tsa_->Respond(*req1);
  ASSERT_TRUE(resp.ok());
  EXPECT_FALSE(TokenFromResponse(*resp, *req2).ok());
}

TEST_F(TimeStampTest, KeyMustMatchACriticalTimeStampingCertificate) {
  EXPECT_FALSE(
      TimeStampAuthority::Create(NewKey(KeyAlg::kP256), cert_der_, {}, h_.clock, h_.rng).ok());
  auto c2pa = h_.issuing->IssueC2paSigning(key_.Public(), {{"Signer", "Studio"}, {}, {}}, NoStore);
  ASSERT_TRUE(c2pa.ok());
  EXPECT_FALSE(TimeStampAuthority::Create(key_, c2pa->der, {}, h_.clock, h_.rng).ok());
}

// `openssl ts -verify` accepts our reply to its own request, with only the
// root as trust anchor (the token carries the issuing CA).
TEST_F(TimeStampTest, OpensslTsVerifyAcceptsTheReply) {
  if (Sh("openssl version").code != 0) GTEST_SKIP() << "no openssl binary";
  TempDir dir;
  std::string data = dir.Write("data.bin", "content to timestamp");
  std::string query = dir / "req.tsq";
  auto made = Sh("openssl ts -query -data " + data + " -sha256 -cert -out " + query);
  ASSERT_EQ(made.code, 0) << made.out;
  auto resp = tsa_->Respond(dir.Read("req.tsq"));
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  std::string reply = dir.Write("reply.tsr", *resp);
  std::string root = dir.Write("root.pem", CertificateToPem(h_.root_der));
  auto by_query =
      Sh("openssl ts -verify -queryfile " + query + " -in " + reply + " -CAfile " + root);
  EXPECT_EQ(by_query.code, 0) << by_query.out;
  EXPECT_TRUE(interop::Contains(by_query.out, "Verification: OK")) << by_query.out;
  auto by_data = Sh("openssl ts -verify -data " + data + " -in " + reply + " -CAfile " + root);
  EXPECT_EQ(by_data.code, 0) << by_data.out;
  // And a different file is refused.
  std::string other = dir.Write("other.bin", "other content");
  EXPECT_NE(Sh("openssl ts -verify -data " + other + " -in " + reply + " -CAfile " + root).code, 0);
  auto text = Sh("openssl ts -reply -in " + reply + " -text");
  EXPECT_TRUE(interop::Contains(text.out, std::string(kTsaPolicyOid))) << text.out;
}

}  // namespace
}  // namespace vt::x509
