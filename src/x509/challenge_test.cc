#include "x509/challenge.h"

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "x509/test_util.h"
#include "x509/verdict.h"

namespace vt::x509 {
namespace {

using crypto::KeyAlg;
using testing::Hierarchy;
using testing::NewKey;
using testing::NoStore;
using testing::SampleCard;

constexpr char kCharacter[] = "VC-0000-0002-1825-0097";
constexpr char kAudience[] = "https://venue.example";

TEST(ChallengeFormatTest, SigningInputKnownAnswer) {
  Challenge c;
  c.id = Base64UrlEncode(std::string(16, '\x01'));
  c.character_id = kCharacter;
  c.nonce = Base64UrlEncode(std::string(32, '\x02'));
  c.audience = kAudience;
  ASSERT_TRUE(ParseRfc3339("2026-11-23T10:00:00.000Z", &c.expires_at));
  auto input = ChallengeSigningInput(c);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(*input,
            "vtrust-challenge/v1\n"
            "{\"audience\":\"https://venue.example\",\"character_id\":\"VC-0000-0002-1825-0097\","
            "\"expires_at\":\"2026-11-23T10:00:00.000Z\",\"id\":\"AQEBAQEBAQEBAQEBAQEBAQ\","
            "\"nonce\":\"AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI\"}");
}

TEST(ChallengeFormatTest, JsonIsStrict) {
  FakeClock clock;
  DeterministicRng rng(1);
  auto c = NewChallenge(kCharacter, kAudience, std::chrono::seconds(60), clock, rng);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*ChallengeFromJson(ChallengeToJson(*c)), *c);
  Json extra = ChallengeToJson(*c);
  extra["more"] = 1;
  EXPECT_FALSE(ChallengeFromJson(extra).ok());
  Json short_nonce = ChallengeToJson(*c);
  short_nonce["nonce"] = Base64UrlEncode("short");
  EXPECT_EQ(ChallengeFromJson(short_nonce).status().field(), "nonce");
  Json loose_time = ChallengeToJson(*c);
  loose_time["expires_at"] = "2023-11-14T22:14:20Z";
  EXPECT_EQ(ChallengeFromJson(loose_time).status().field(), "expires_at");
  Json bad_id = ChallengeToJson(*c);
  bad_id["character_id"] = "VC-0000-0002-1825-0098";
  EXPECT_EQ(ChallengeFromJson(bad_id).status().field(), "character_id");
  EXPECT_FALSE(NewChallenge(kCharacter, kAudience, std::chrono::seconds(3600), clock, rng).ok());
  EXPECT_FALSE(NewChallenge(kCharacter, "", std::chrono::seconds(60), clock, rng).ok());
}

class ProofTest : public ::testing::TestWithParam<KeyAlg> {
 protected:
  ProofTest()
      : h_(GetParam()),
        card_key_(NewKey(GetParam())),
        signer_(crypto::MakeSoftwareSigner(card_key_)) {
    card_ = h_.issuing->IssueIdCard(card_key_.Public(), SampleCard(kCharacter), NoStore)->der;
    challenge_ = *NewChallenge(kCharacter, kAudience, std::chrono::seconds(120), h_.clock, h_.rng);
  }
  Status Verify(const Challenge& issued, const std::string& sig) {
    return VerifyProof(issued, sig, card_, kAudience, h_.clock);
  }

  Hierarchy h_;
  crypto::PrivateKey card_key_;
  std::unique_ptr<crypto::Signer> signer_;
  std::string card_;
  Challenge challenge_;
};

TEST_P(ProofTest, ValidProofIsAccepted) {
  auto proof = ProveChallenge(challenge_, *signer_);
  ASSERT_TRUE(proof.ok());
  auto round = ProofFromJson(ProofToJson(*proof));
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->challenge, challenge_);
  EXPECT_TRUE(Verify(challenge_, round->signature).ok());
}

TEST_P(ProofTest, WrongKeyIsRefused) {
  auto other = crypto::MakeSoftwareSigner(NewKey(GetParam()));
  auto proof = ProveChallenge(challenge_, *other);
  Status s = Verify(challenge_, proof->signature);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.field(), "signature");
}

TEST_P(ProofTest, ExpiredChallengeIsRefused) {
  auto proof = ProveChallenge(challenge_, *signer_);
  h_.clock.Advance(std::chrono::seconds(121));
  Status s = Verify(challenge_, proof->signature);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.field(), "expires_at");
}

TEST_P(ProofTest, WrongAudienceIsRefused) {
  auto proof = ProveChallenge(challenge_, *signer_);
  Status s = VerifyProof(challenge_, proof->signature, card_, "https://other.example", h_.clock);
  EXPECT_EQ(s.field(), "audience");
}

TEST_P(ProofTest, TamperedNonceIsRefused) {
  Challenge tampered = challenge_;
  tampered.nonce = Base64UrlEncode(std::string(32, '\x07'));
  // The holder signed a different nonce than the one issued...
  auto proof = ProveChallenge(tampered, *signer_);
  EXPECT_EQ(Verify(challenge_, proof->signature).field(), "signature");
  // ...or the issued challenge was altered after signing.
  auto honest = ProveChallenge(challenge_, *signer_);
  EXPECT_EQ(Verify(tampered, honest->signature).field(), "signature");
}

TEST_P(ProofTest, AnotherCharactersCardIsRefused) {
  std::string other =
      h_.issuing->IssueIdCard(card_key_.Public(), SampleCard("VC-0000-0002-1694-233X"), NoStore)
          ->der;
  auto proof = ProveChallenge(challenge_, *signer_);
  Status s = VerifyProof(challenge_, proof->signature, other, kAudience, h_.clock);
  EXPECT_EQ(s.field(), "certificate");
}

TEST_P(ProofTest, SignedVerdictVerifiesOfflineAndDetectsTampering) {
  auto operator_signer = crypto::MakeSoftwareSigner(NewKey(GetParam()));
  Verdict v;
  v.valid = true;
  v.challenge_id = challenge_.id;
  v.character_id = kCharacter;
  v.audience = kAudience;
  v.card_serial = "0123456789abcdef0123456789abcdef";
  v.time = std::chrono::time_point_cast<std::chrono::milliseconds>(h_.clock.Now());
  auto signed_json = SignVerdict(v, *operator_signer);
  ASSERT_TRUE(signed_json.ok()) << signed_json.status().ToString();
  auto back = VerifyVerdict(*signed_json, operator_signer->public_key());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, v);

  std::string tampered = *signed_json;
  tampered.replace(tampered.find("\"valid\""), 7, "\"inval\"");
  EXPECT_FALSE(VerifyVerdict(tampered, operator_signer->public_key()).ok());
  std::string serial = *signed_json;
  serial.replace(serial.find("0123456789"), 10, "9999999999");
  EXPECT_EQ(VerifyVerdict(serial, operator_signer->public_key()).status().field(), "signature");
  auto stranger = crypto::MakeSoftwareSigner(NewKey(GetParam()));
  EXPECT_FALSE(VerifyVerdict(*signed_json, stranger->public_key()).ok());

  v.valid = false;
  v.reason = "card revoked";
  auto invalid = SignVerdict(v, *operator_signer);
  auto invalid_back = VerifyVerdict(*invalid, operator_signer->public_key());
  ASSERT_TRUE(invalid_back.ok());
  EXPECT_EQ(invalid_back->reason, "card revoked");
}

INSTANTIATE_TEST_SUITE_P(Algs, ProofTest,
                         ::testing::Values(KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2),
                         [](const auto& info) { return std::string(KeyAlgName(info.param)); });

TEST(VerdictCertTest, VerifiesWithTheOperatorCertificate) {
  Hierarchy h(KeyAlg::kP256);
  auto op_key = NewKey(KeyAlg::kP256);
  auto op_signer = crypto::MakeSoftwareSigner(op_key);
  auto op_cert =
      h.issuing->IssueMember(op_key.Public(), {{"vtrust operator", "vtrust"}, {}, {}}, NoStore);
  ASSERT_TRUE(op_cert.ok());
  Verdict v;
  v.valid = true;
  v.challenge_id = "x";
  v.character_id = kCharacter;
  v.audience = kAudience;
  v.time = std::chrono::time_point_cast<std::chrono::milliseconds>(h.clock.Now());
  auto signed_json = SignVerdict(v, *op_signer);
  EXPECT_TRUE(VerifyVerdictWithCertificate(*signed_json, op_cert->der).ok());
  EXPECT_FALSE(VerifyVerdictWithCertificate(*signed_json, h.issuing_der).ok());
}

}  // namespace
}  // namespace vt::x509
