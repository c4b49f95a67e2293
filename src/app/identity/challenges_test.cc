// "I am me" in the service (docs/i-am-me.md) on every storage backend: cards
// are issued with the x509 library and stored as migration 5 rows, so these
// tests do not depend on the issuance service. Also the printable card's
// escaping and QR code.
#include "app/identity/challenges.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "app/identity/card_render.h"
#include "app/identity/characters.h"
#include "base/encoding.h"
#include "store/identity/challenge_repo.h"
#include "store/store_testing.h"
#include "x509/test_util.h"

namespace vt::app {
namespace {

using crypto::KeyAlg;

struct Card {
  std::string serial;
  std::string pem;
  std::shared_ptr<crypto::Signer> key;
};

class ChallengesTest : public store::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("chal_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    Config c;
    c.data_dir = dir_.string();
    c.log_origin = "vtrust.test/log";
    c.public_url = "https://id.example/";
    auto s = Service::OpenWith(c, store::BorrowDatabase(db()), clock_, SystemRng::Get());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    svc_ = std::move(*s);
    auto init = svc_->Bootstrap();
    ASSERT_TRUE(init.ok()) << init.status().ToString();
    op_ = *svc_->Authenticate(init->token_secret);
    CharacterInput in;
    in.name = "Aria";
    in.names = {{"zh-Hans", "艾莉亚"}, {"ja", "アリア"}};
    in.likeness = {{"face", std::string(64, 'a'), std::string(64, 'b')}};
    auto w = CharacterRegistry(*svc_, SystemRng::Get()).Register(op_, in);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    character_ = w->value.id;
    auto cs = ChallengeService::Open(*svc_, SystemRng::Get());
    ASSERT_TRUE(cs.ok()) << cs.status().ToString();
    cs_ = std::move(*cs);
  }
  void TearDown() override {
    cs_.reset();
    svc_.reset();
    BackendTest::TearDown();
    std::filesystem::remove_all(dir_);
  }

  x509::testing::Hierarchy& Ca(KeyAlg alg) {
    auto& h = cas_[alg];
    if (!h) {
      h = std::make_unique<x509::testing::Hierarchy>(alg);
      std::string id = std::string(crypto::KeyAlgName(alg)) + "-issuing";
      Exec(
          "INSERT INTO cas (id, alg, kind, cert_der, key_ref, created_at) VALUES "
          "(?, ?, 'issuing', ?, 'secrets:x', '2026-01-01T00:00:00.000Z')",
          {id, std::string(crypto::KeyAlgName(alg)), store::Blob{h->issuing_der}});
    }
    return *h;
  }
  void Exec(const std::string& sql, const std::vector<store::Value>& params) {
    auto w = svc_->Write([&](WriteContext& ctx) { return ctx.conn().Exec(sql, params).status(); });
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  }
  // Issues a card for the character and stores its row (created `seq` ms apart).
  Card Issue(KeyAlg alg) {
    auto& h = Ca(alg);
    Card card;
    card.key = std::shared_ptr<crypto::Signer>(
        crypto::MakeSoftwareSigner(x509::testing::NewKey(alg), "test"));
    auto req = x509::testing::SampleCard(character_);
    auto issued = h.issuing->IssueIdCard(card.key->public_key(), req, x509::testing::NoStore);
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    card.serial = issued->serial_hex;
    if (clock_.Now() < issued->not_before) {  // the CA's clock ran ahead of ours
      clock_.SetUnixMillis(std::chrono::duration_cast<std::chrono::milliseconds>(
                               issued->not_before.time_since_epoch())
                               .count() +
                           1000);
    }
    card.pem = "-----BEGIN CERTIFICATE-----\n" + Base64Encode(issued->der) +
               "\n-----END CERTIFICATE-----\n";
    std::string alg_name(crypto::KeyAlgName(alg));
    Exec(
        "INSERT INTO certificates (serial, ca_id, profile, alg, character_id, org_id, cert_der, "
        "not_before, not_after, status, created_at) VALUES (?, ?, 'id-card', ?, ?, ?, ?, ?, ?, "
        "'good', ?)",
        {card.serial, alg_name + "-issuing", alg_name, character_, op_.org_id,
         store::Blob{issued->der}, FormatRfc3339(issued->not_before),
         FormatRfc3339(issued->not_after), "2026-01-01T00:00:00." + Seq() + "Z"});
    return card;
  }
  std::string Seq() {
    char b[8];
    snprintf(b, sizeof b, "%03d", ++seq_);
    return b;
  }
  x509::Challenge NewChallenge(const std::string& audience = "https://venue.example") {
    auto c = cs_->Create(character_, audience, std::chrono::seconds(120));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return *c;
  }
  ChallengeService::VerifyInput Proof(const x509::Challenge& c, crypto::Signer& key) {
    auto p = x509::ProveChallenge(c, key);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return {c.id, x509::ChallengeToJson(c), Base64UrlEncode(p->signature), {}, {}, ""};
  }
  // Verifies and checks the verdict's signature; returns the verdict.
  x509::Verdict Verdict(const ChallengeService::VerifyInput& in) {
    auto v = cs_->Verify(in);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    if (!v.ok()) return {};
    auto checked = x509::VerifyVerdict(v->json, cs_->verdict_key());
    EXPECT_TRUE(checked.ok()) << checked.status().ToString();
    EXPECT_EQ(*checked, v->verdict);
    return v->verdict;
  }

  static inline int counter_ = 0;
  int seq_ = 0;
  std::filesystem::path dir_;
  FakeClock clock_{SystemClock::Get().NowUnixMillis()};
  std::unique_ptr<Service> svc_;
  std::unique_ptr<ChallengeService> cs_;
  std::map<KeyAlg, std::unique_ptr<x509::testing::Hierarchy>> cas_;
  Principal op_;
  std::string character_;
};

TEST_P(ChallengesTest, ValidProofForEveryAlgorithm) {
  for (KeyAlg alg : {KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2}) {
    SCOPED_TRACE(crypto::KeyAlgName(alg));
    Card card = Issue(alg);
    x509::Challenge c = NewChallenge();
    x509::Verdict v = Verdict(Proof(c, *card.key));
    EXPECT_TRUE(v.valid) << v.reason;
    EXPECT_EQ(v.card_serial, card.serial);
    EXPECT_EQ(v.character_id, character_);
    EXPECT_EQ(v.challenge_id, c.id);
    EXPECT_EQ(v.audience, "https://venue.example");
  }
}

TEST_P(ChallengesTest, ChallengeIsBoundToCharacterAndExpiry) {
  auto bad_ttl = cs_->Create(character_, "a", std::chrono::seconds(601));
  EXPECT_EQ(bad_ttl.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cs_->Create("VC-0000-0000-0000-0000", "a", std::chrono::seconds(60)).status().code(),
            StatusCode::kNotFound);
  x509::Challenge c = NewChallenge();
  EXPECT_EQ(c.character_id, character_);
  EXPECT_EQ(c.expires_at, std::chrono::time_point_cast<std::chrono::milliseconds>(
                              clock_.Now() + std::chrono::seconds(120)));
}

TEST_P(ChallengesTest, ExpiredChallengeRefused) {
  Card card = Issue(KeyAlg::kP256);
  x509::Challenge c = NewChallenge();
  auto in = Proof(c, *card.key);
  clock_.Advance(std::chrono::seconds(121));
  x509::Verdict v = Verdict(in);
  EXPECT_FALSE(v.valid);
  EXPECT_NE(v.reason.find("expired"), std::string::npos) << v.reason;
}

TEST_P(ChallengesTest, WrongAudienceRefused) {
  Card card = Issue(KeyAlg::kEd25519);
  auto in = Proof(NewChallenge("https://a.example"), *card.key);
  in.audience = "https://b.example";
  x509::Verdict v = Verdict(in);
  EXPECT_FALSE(v.valid);
  EXPECT_NE(v.reason.find("audience"), std::string::npos) << v.reason;
}

TEST_P(ChallengesTest, AlteredChallengeIsNotOurs) {
  Card card = Issue(KeyAlg::kEd25519);
  x509::Challenge c = NewChallenge("https://a.example");
  for (auto field : {"audience", "expires_at", "nonce"}) {
    SCOPED_TRACE(field);
    x509::Challenge altered = c;
    if (std::string(field) == "audience") altered.audience = "https://b.example";
    if (std::string(field) == "expires_at") altered.expires_at += std::chrono::seconds(300);
    if (std::string(field) == "nonce") altered.nonce = Base64UrlEncode(std::string(32, 'x'));
    // The holder signs the altered challenge with the right key: still refused.
    x509::Verdict v = Verdict(Proof(altered, *card.key));
    EXPECT_FALSE(v.valid);
    EXPECT_NE(v.reason.find("not issued by this server"), std::string::npos) << v.reason;
  }
  EXPECT_TRUE(Verdict(Proof(c, *card.key)).valid);  // the original still works once
}

TEST_P(ChallengesTest, ReplayRefused) {
  Card card = Issue(KeyAlg::kP256);
  auto in = Proof(NewChallenge(), *card.key);
  EXPECT_TRUE(Verdict(in).valid);
  x509::Verdict again = Verdict(in);
  EXPECT_FALSE(again.valid);
  EXPECT_NE(again.reason.find("replay"), std::string::npos) << again.reason;
  // The used set forgets ids once they have expired.
  EXPECT_EQ(cs_->used_count(), 1u);
  clock_.Advance(std::chrono::seconds(121));
  Verdict(Proof(NewChallenge(), *card.key));
  EXPECT_EQ(cs_->used_count(), 1u);
}

// The replay set is in the database: a new service over the same database
// (a restart, or another server process) still refuses the used challenge.
TEST_P(ChallengesTest, ReplayRefusedAfterRestart) {
  Card card = Issue(KeyAlg::kP256);
  auto in = Proof(NewChallenge(), *card.key);
  EXPECT_TRUE(Verdict(in).valid);
  cs_.reset();
  Config c = svc_->config();
  svc_.reset();
  auto s = Service::OpenWith(c, store::BorrowDatabase(db()), clock_, SystemRng::Get());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  svc_ = std::move(*s);
  auto cs = ChallengeService::Open(*svc_, SystemRng::Get());
  ASSERT_TRUE(cs.ok()) << cs.status().ToString();
  cs_ = std::move(*cs);
  x509::Verdict again = Verdict(in);
  EXPECT_FALSE(again.valid);
  EXPECT_NE(again.reason.find("replay"), std::string::npos) << again.reason;
}

// A client past its quota of unexpired used challenges is refused alone; the
// quota frees as its challenges expire.
TEST_P(ChallengesTest, QuotaPerClient) {
  auto cs = ChallengeService::Open(*svc_, SystemRng::Get(), /*client_quota=*/3);
  ASSERT_TRUE(cs.ok()) << cs.status().ToString();
  cs_ = std::move(*cs);
  Card card = Issue(KeyAlg::kP256);
  auto from = [&](const std::string& client) {
    auto in = Proof(NewChallenge(), *card.key);
    in.client = client;
    return in;
  };
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(Verdict(from("192.0.2.1")).valid);
  auto flooded = cs_->Verify(from("192.0.2.1"));
  EXPECT_EQ(flooded.status().code(), StatusCode::kResourceExhausted) << flooded.status().ToString();
  EXPECT_TRUE(Verdict(from("192.0.2.2")).valid);
  EXPECT_TRUE(Verdict(from("")).valid);  // the CLI's local mode is a client of its own
  clock_.Advance(std::chrono::seconds(121));
  EXPECT_TRUE(Verdict(from("192.0.2.1")).valid);
}

// The SQL replay set and its in-memory fake keep the same contract.
TEST_P(ChallengesTest, UsedChallengeRepoContract) {
  store::MemoryUsedChallengeRepo fake;
  auto run = [&](auto&& body) {
    body(fake);
    auto w = svc_->Write([&](WriteContext& ctx) -> Status {
      body(*store::NewSqlUsedChallengeRepo(ctx.conn()));
      return OkStatus();
    });
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  };
  run([](store::UsedChallengeWriter& r) {
    using store::ChallengeUse;
    EXPECT_EQ(*r.MarkUsed("a", "c1", 1000, 0, 2), ChallengeUse::kFresh);
    EXPECT_EQ(*r.MarkUsed("a", "c2", 1000, 1, 2), ChallengeUse::kReplay);
    EXPECT_EQ(*r.MarkUsed("b", "c1", 2000, 2, 2), ChallengeUse::kFresh);
    EXPECT_EQ(*r.MarkUsed("c", "c1", 2000, 3, 2), ChallengeUse::kClientQuota);
    EXPECT_EQ(*r.MarkUsed("c", "c2", 2000, 4, 2), ChallengeUse::kFresh);
    EXPECT_EQ(*r.Count(), 3);
    EXPECT_EQ(*r.MarkUsed("d", "c1", 3000, 1000, 2), ChallengeUse::kFresh);  // "a" expired
    EXPECT_EQ(*r.MarkUsed("a", "c1", 3000, 1001, 2), ChallengeUse::kClientQuota);
    EXPECT_EQ(*r.Count(), 3);
  });
}

TEST_P(ChallengesTest, RevokedCardFails) {
  Card card = Issue(KeyAlg::kP256);
  Exec(
      "UPDATE certificates SET status = 'revoked', revocation_reason = 'keyCompromise' "
      "WHERE serial = ?",
      {card.serial});
  x509::Verdict v = Verdict(Proof(NewChallenge(), *card.key));
  EXPECT_FALSE(v.valid);
  EXPECT_NE(v.reason.find("revoked"), std::string::npos) << v.reason;
  // Naming the revoked card explicitly fails too.
  auto in = Proof(NewChallenge(), *card.key);
  in.certificate = card.pem;
  v = Verdict(in);
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.card_serial, card.serial);
  EXPECT_NE(v.reason.find("keyCompromise"), std::string::npos) << v.reason;
}

TEST_P(ChallengesTest, RotatedCardSupersedesTheOld) {
  Card old_card = Issue(KeyAlg::kP256);
  EXPECT_TRUE(Verdict(Proof(NewChallenge(), *old_card.key)).valid);
  Card new_card = Issue(KeyAlg::kEd25519);  // rotation may change the algorithm
  Exec("UPDATE certificates SET superseded_by = ? WHERE serial = ?",
       {new_card.serial, old_card.serial});
  x509::Verdict v = Verdict(Proof(NewChallenge(), *old_card.key));
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.card_serial, new_card.serial);
  auto named = Proof(NewChallenge(), *old_card.key);
  named.certificate = old_card.pem;
  v = Verdict(named);
  EXPECT_FALSE(v.valid);
  EXPECT_NE(v.reason.find("superseded by " + new_card.serial), std::string::npos) << v.reason;
  v = Verdict(Proof(NewChallenge(), *new_card.key));
  EXPECT_TRUE(v.valid) << v.reason;
  EXPECT_EQ(v.card_serial, new_card.serial);
}

TEST_P(ChallengesTest, NoCardAndForeignCertificate) {
  auto key = crypto::MakeSoftwareSigner(x509::testing::NewKey(KeyAlg::kP256));
  x509::Verdict v = Verdict(Proof(NewChallenge(), *key));
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.reason, "the character has no card");
  // A card from a CA this server does not know, for the same character.
  x509::testing::Hierarchy other(KeyAlg::kP256);
  auto issued = other.issuing->IssueIdCard(key->public_key(), x509::testing::SampleCard(character_),
                                           x509::testing::NoStore);
  ASSERT_TRUE(issued.ok());
  Issue(KeyAlg::kP256);
  auto in = Proof(NewChallenge(), *key);
  in.certificate = issued->der;
  v = Verdict(in);
  EXPECT_FALSE(v.valid);
  EXPECT_NE(v.reason.find("not a card of this character"), std::string::npos) << v.reason;
}

TEST_P(ChallengesTest, WrongKeyAndMalformedInput) {
  Issue(KeyAlg::kP256);
  auto stranger = crypto::MakeSoftwareSigner(x509::testing::NewKey(KeyAlg::kP256));
  x509::Verdict v = Verdict(Proof(NewChallenge(), *stranger));
  EXPECT_FALSE(v.valid);
  EXPECT_NE(v.reason.find("signature"), std::string::npos) << v.reason;
  auto in = Proof(NewChallenge(), *stranger);
  in.path_id = "AAAAAAAAAAAAAAAAAAAAAA";
  EXPECT_EQ(cs_->Verify(in).status().field(), "id");
  in = Proof(NewChallenge(), *stranger);
  in.signature = "!!";
  EXPECT_EQ(cs_->Verify(in).status().field(), "signature");
}

TEST_P(ChallengesTest, TamperedVerdictFailsOfflineVerification) {
  Card card = Issue(KeyAlg::kSm2);
  auto v = cs_->Verify(Proof(NewChallenge(), *card.key));
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(x509::VerifyVerdict(v->json, cs_->verdict_key()).ok());
  Json j = Json::parse(v->json);
  for (auto [field, value] : std::vector<std::pair<std::string, std::string>>{
           {"verdict", "invalid"}, {"audience", "https://evil.example"}, {"card_serial", "00"}}) {
    Json t = j;
    t[field] = value;
    EXPECT_EQ(x509::VerifyVerdict(t.dump(), cs_->verdict_key()).status().code(),
              StatusCode::kPermissionDenied)
        << field;
  }
  // Another operator's key does not verify it either.
  auto other = x509::testing::NewKey(KeyAlg::kEd25519);
  EXPECT_FALSE(x509::VerifyVerdict(v->json, other.Public()).ok());
}

TEST_P(ChallengesTest, CardViewAndSvg) {
  auto view = LoadCardView(*svc_, nullptr, character_);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->verify_url, "https://id.example/verify/" + character_);
  EXPECT_FALSE(view->current);
  auto svg = RenderCardSvg(*view);
  ASSERT_TRUE(svg.ok());
  EXPECT_NE(svg->find("no card issued"), std::string::npos);
  EXPECT_NE(svg->find("艾莉亚"), std::string::npos);
  EXPECT_NE(svg->find("Noto Sans CJK SC"), std::string::npos);
  EXPECT_NE(svg->find("face aaaaaaaa"), std::string::npos);
  Card card = Issue(KeyAlg::kEd25519);
  view = LoadCardView(*svc_, nullptr, character_);
  ASSERT_TRUE(view.ok() && view->current);
  EXPECT_EQ(view->current->serial, card.serial);
  svg = RenderCardSvg(*view);
  EXPECT_NE(svg->find(card.serial), std::string::npos);
  EXPECT_NE(RenderVerifyPage(*view).find("valid card " + card.serial), std::string::npos);
}

TEST(CardRenderTest, XmlEscape) {
  EXPECT_EQ(XmlEscape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
  EXPECT_EQ(XmlEscape("a\x01"
                      "b\x7f"
                      "c"),
            "ab\x7f"
            "c");  // C0 controls dropped
  EXPECT_EQ(XmlEscape("初音\tミク"), "初音\tミク");
  EXPECT_EQ(XmlEscape("\xff"), "\uFFFD");
  EXPECT_EQ(XmlEscape("\xef\xbf\xbe"), "");  // U+FFFE is not an XML character
}

// The QR code drawn in the SVG is exactly libqrencode's matrix for the URL.
TEST(CardRenderTest, SvgQrMatchesEncoder) {
  CardView v;
  v.character.id = "VC-0000-0002-1825-0097";
  v.character.urn = "urn:vtrust:char:" + v.character.id;
  v.character.data.name = "<script>&\"'";
  v.character.status = CharacterStatus::kActive;
  v.verify_url = "https://id.example/verify/" + v.character.id;
  auto svg = RenderCardSvg(v);
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(svg->find("<script>"), std::string::npos);
  EXPECT_NE(svg->find("&lt;script&gt;&amp;&quot;&#39;"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(*svg, m, std::regex("<path id=\"qr\" fill=\"#000000\" d=\"([^\"]*)\"")));
  std::string d = m[1];
  std::vector<std::pair<int, int>> squares;
  std::regex sq("M(\\d+) (\\d+)h(\\d+)v\\d+h-\\d+z");
  int module = 0;
  for (auto it = std::sregex_iterator(d.begin(), d.end(), sq); it != std::sregex_iterator(); ++it) {
    squares.emplace_back(std::stoi((*it)[1]), std::stoi((*it)[2]));
    module = std::stoi((*it)[3]);
  }
  auto qr = EncodeQr(v.verify_url);
  ASSERT_TRUE(qr.ok());
  ASSERT_GT(module, 0);
  int x0 = 1 << 30, y0 = 1 << 30;
  for (auto [x, y] : squares) x0 = std::min(x0, x), y0 = std::min(y0, y);
  std::set<std::pair<int, int>> drawn;
  for (auto [x, y] : squares) drawn.insert({(x - x0) / module, (y - y0) / module});
  // The finder pattern's top-left module is dark, so (x0, y0) is module (0, 0).
  std::set<std::pair<int, int>> expected;
  for (int y = 0; y < qr->width; ++y)
    for (int x = 0; x < qr->width; ++x)
      if (qr->at(x, y)) expected.insert({x, y});
  EXPECT_EQ(drawn, expected);
  EXPECT_EQ((qr->width - 17) % 4, 0) << qr->width;  // 17 + 4 * version modules
}

VT_INSTANTIATE_BACKEND_TEST(ChallengesTest);

}  // namespace
}  // namespace vt::app
