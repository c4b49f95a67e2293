// Agreements, transfers and licences on every storage backend, with member
// certificates issued through the real Pki path: versions enter in force only
// when every affected party signed; amendments keep the old version in force
// until then; revoked, foreign and unrelated certificates and bad signatures are
// refused with nothing written; bad terms are refused naming the field.
#include "app/rights/agreements.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <filesystem>

#include "app/identity/pki.h"
#include "app/rights/rights_registry.h"
#include "app/rights/works.h"
#include "store/store_testing.h"
#include "x509/ca.h"
#include "x509/cert.h"

namespace vt::app {
namespace {

using crypto::KeyAlg;
using crypto::PrivateKey;

// A PKCS#10 request signed by `key` (P-256 or Ed25519), DER.
std::string MakeCsr(const PrivateKey& key) {
  X509_REQ* req = X509_REQ_new();
  X509_REQ_set_version(req, 0);
  X509_REQ_set_pubkey(req, key.evp());
  X509_REQ_sign(req, key.evp(), key.alg() == KeyAlg::kP256 ? EVP_sha256() : nullptr);
  unsigned char* out = nullptr;
  int n = i2d_X509_REQ(req, &out);
  std::string der(reinterpret_cast<char*>(out), n);
  OPENSSL_free(out);
  X509_REQ_free(req);
  return der;
}

// A member's key and the certificate vtrust issued for it.
struct Signer {
  Principal who;
  std::shared_ptr<PrivateKey> key;
  std::string cert_pem;
  std::string serial;
  std::string Sign(const std::string& message) const { return *key->Sign(message); }
};

class AgreementsTest : public store::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("agr_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    Config c;
    c.data_dir = dir_.string();
    c.log_origin = "vtrust.test/log";
    c.public_url = "http://ca.example:9000/";
    auto s =
        Service::OpenWith(c, store::BorrowDatabase(db()), SystemClock::Get(), SystemRng::Get());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    svc_ = std::move(*s);
    auto init = svc_->Bootstrap();
    ASSERT_TRUE(init.ok()) << init.status().ToString();
    op_ = *svc_->Authenticate(init->token_secret);
    pki_ = std::make_unique<Pki>(*svc_, SystemRng::Get());
    ASSERT_TRUE(pki_->InitCa(op_, {}).ok());
    works_ = std::make_unique<WorkRegistry>(*svc_, SystemRng::Get());
    agreements_ = std::make_unique<AgreementRegistry>(*svc_, SystemRng::Get());
    rights_ = std::make_unique<RightsRegistry>(*svc_, SystemRng::Get());
    studio_ = svc_->CreateOrg(op_, "Studio A", OrgKind::kStudio)->value.id;
    talent_ = svc_->CreateOrg(op_, "Talent B", OrgKind::kTalent)->value.id;
    sam_ = Member(studio_, "sam", Role::kAdmin, KeyAlg::kP256);          // signs for the studio
    alice_ = Member(talent_, "alice", Role::kMember, KeyAlg::kEd25519);  // a person party
    eve_ = Member(studio_, "eve", Role::kMember, KeyAlg::kP256);  // reads, but is not a party
    WorkInput in;
    in.type = "concert";
    in.titles = {{"en", "Starlight Live"}};
    in.sha256 = std::string(64, 'c');
    in.rights = {{"copyright", {{studio_, 6000}, {alice_.who.member_id, 4000}}}};
    auto w = works_->Register(sam_.who, in);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    work_ = w->value.id;
  }
  void TearDown() override {
    rights_.reset();
    agreements_.reset();
    works_.reset();
    pki_.reset();
    svc_.reset();
    BackendTest::TearDown();
    std::filesystem::remove_all(dir_);
  }
  Signer Member(const std::string& org, const std::string& name, Role role, KeyAlg alg) {
    auto m = svc_->AddMember(op_, org, name, name + "@example.com", role);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    auto t = svc_->CreateToken(op_, org, m->value.id, "t", 0);
    Principal p = *svc_->Authenticate(t->value.secret);
    PrivateKey key = *PrivateKey::Generate(alg);
    auto cert = pki_->IssueMemberCertificate(p, org, m->value.id, {alg, MakeCsr(key), 0});
    EXPECT_TRUE(cert.ok()) << cert.status().ToString();
    return Signer{p, std::make_shared<PrivateKey>(key), cert->value.certificate_pem,
                  cert->value.record.serial};
  }
  // A 60/40 split of CNY between the studio and alice (weights as given).
  Json Terms(int64_t studio_bp, int64_t alice_bp) {
    return {{"currency", "CNY"},
            {"parties",
             {{{"id", studio_}, {"name", "Studio A"}},
              {{"id", alice_.who.member_id}, {"name", "Alice"}}}},
            {"tiers",
             {{{"id", "split"},
               {"kind", "shares"},
               {"unit", "bp"},
               {"shares",
                {{{"payee", studio_}, {"weight", studio_bp}},
                 {{"payee", alice_.who.member_id}, {"weight", alice_bp}}}}}}}};
  }
  StatusOr<Written<AgreementVersion>> SignVersion(const Signer& s, const std::string& id,
                                                  const AgreementVersion& v) {
    return agreements_->Sign(s.who, id, v.hash, s.cert_pem, s.Sign(v.canonical));
  }
  StatusOr<AgreementVersion> InForce(const std::string& id) {
    return svc_->Read<AgreementVersion>([&](store::Conn& c) { return InForceVersion(c, id); });
  }
  int64_t Count(const std::string& table) {
    return *svc_->Read<int64_t>([&](store::Conn& c) -> StatusOr<int64_t> {
      VT_ASSIGN_OR_RETURN(auto r, c.QueryOne("SELECT COUNT(*) FROM " + table));
      return r.Int(0);
    });
  }
  int64_t LogSize() { return svc_->log().Published().size; }
  // Creates version 1 and returns {agreement id, version}.
  std::pair<std::string, AgreementVersion> CreateV1() {
    auto a = agreements_->Create(sam_.who, work_, "Starlight split", Terms(6000, 4000));
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return {a->value.id, a->value.versions.at(0)};
  }

  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::unique_ptr<Service> svc_;
  std::unique_ptr<Pki> pki_;
  std::unique_ptr<WorkRegistry> works_;
  std::unique_ptr<AgreementRegistry> agreements_;
  std::unique_ptr<RightsRegistry> rights_;
  Principal op_;
  std::string studio_, talent_, work_;
  Signer sam_, alice_, eve_;
};

TEST_P(AgreementsTest, VersionIsCanonicalHashedAndPendingUntilEveryPartySigned) {
  auto [id, v1] = CreateV1();
  EXPECT_EQ(v1.status, VersionStatus::kPending);
  EXPECT_EQ(v1.hash.size(), 64u);
  EXPECT_EQ(*Canonicalize(*ParseJsonStrict(v1.canonical)), v1.canonical);
  EXPECT_EQ(v1.document["type"], kAgreementVersionType);
  EXPECT_TRUE(v1.document["previous"].is_null());
  EXPECT_EQ(v1.document["terms"]["id"], id);
  std::vector<std::string> parties = {alice_.who.member_id, studio_};
  std::sort(parties.begin(), parties.end());
  EXPECT_EQ(v1.parties, parties);
  EXPECT_EQ(InForce(id).status().code(), StatusCode::kNotFound);  // unsigned: not applied

  auto s1 = SignVersion(sam_, id, v1);
  ASSERT_TRUE(s1.ok()) << s1.status().ToString();
  EXPECT_EQ(s1->value.status, VersionStatus::kPending);
  EXPECT_EQ(s1->receipts.size(), 1u);  // agreement.signed only
  EXPECT_EQ(InForce(id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(SignVersion(sam_, id, v1).status().code(), StatusCode::kAlreadyExists);

  auto s2 = SignVersion(alice_, id, v1);
  ASSERT_TRUE(s2.ok()) << s2.status().ToString();
  EXPECT_EQ(s2->value.status, VersionStatus::kInForce);
  EXPECT_EQ(s2->receipts.size(), 2u);  // agreement.signed + agreement.in_force
  auto f = InForce(id);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->hash, v1.hash);
  EXPECT_EQ(f->terms.tiers.at(0).shares.at(0).weight, 6000);
}

TEST_P(AgreementsTest, PendingAmendmentKeepsTheOldVersionInForceUntilSigned) {
  auto [id, v1] = CreateV1();
  ASSERT_TRUE(SignVersion(sam_, id, v1).ok());
  ASSERT_TRUE(SignVersion(alice_, id, v1).ok());
  auto v2 = agreements_->Amend(sam_.who, id, Terms(5000, 5000));
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->value.version, 2);
  EXPECT_EQ(v2->value.document["previous"], v1.hash);
  EXPECT_EQ(InForce(id)->hash, v1.hash);
  ASSERT_TRUE(SignVersion(alice_, id, v2->value).ok());
  EXPECT_EQ(InForce(id)->hash, v1.hash);  // one of two parties: still the old terms
  auto done = SignVersion(sam_, id, v2->value);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(InForce(id)->hash, v2->value.hash);
  auto rec = agreements_->Get(alice_.who, id);  // a party of another org may read it
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(rec->versions.at(0).status, VersionStatus::kSuperseded);
  EXPECT_EQ(rec->versions.at(1).status, VersionStatus::kInForce);
  EXPECT_EQ(*rec->in_force(), v2->value.hash);
  // A superseded version can no longer be signed.
  EXPECT_EQ(SignVersion(eve_, id, v1).status().code(), StatusCode::kFailedPrecondition);
}

TEST_P(AgreementsTest, RefusedSignaturesWriteNothing) {
  auto [id, v1] = CreateV1();
  int64_t log = LogSize(), sigs = Count("signatures");
  // Not an affected party.
  auto r = SignVersion(eve_, id, v1);
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << r.status().ToString();
  EXPECT_EQ(r.status().field(), "certificate");
  // Signature by another key / over other bytes.
  r = agreements_->Sign(alice_.who, id, v1.hash, alice_.cert_pem, alice_.Sign(v1.canonical + " "));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().ToString();
  EXPECT_EQ(r.status().field(), "signature");
  r = agreements_->Sign(alice_.who, id, v1.hash, alice_.cert_pem, eve_.Sign(v1.canonical));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  // Not a certificate.
  r = agreements_->Sign(alice_.who, id, v1.hash, "junk", alice_.Sign(v1.canonical));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  // Revoked.
  ASSERT_TRUE(pki_->Revoke(op_, alice_.serial, "keyCompromise").ok());
  log = LogSize();
  r = SignVersion(alice_, id, v1);
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << r.status().ToString();
  EXPECT_NE(r.status().message().find("revoked"), std::string::npos);
  EXPECT_EQ(LogSize(), log);
  EXPECT_EQ(Count("signatures"), sigs);
  EXPECT_EQ(InForce(id).status().code(), StatusCode::kNotFound);
}

TEST_P(AgreementsTest, ForeignCertificateIsRefused) {
  auto [id, v1] = CreateV1();
  // A self-made CA issuing a member certificate for alice's name and key.
  static Rng& rng = SystemRng::Get();
  auto root_signer = std::shared_ptr<crypto::Signer>(
      crypto::MakeSoftwareSigner(*PrivateKey::Generate(KeyAlg::kP256)));
  auto noop = [](const std::string&) { return OkStatus(); };
  auto root = x509::Ca::CreateRoot(*root_signer, {"Evil Root", "Evil"}, std::chrono::seconds(0),
                                   SystemClock::Get(), rng, noop);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  x509::CaUrls urls{"http://evil.example/ocsp", "http://evil.example/ca.der",
                    "http://evil.example/ca.crl"};
  auto root_ca = *x509::Ca::Create(root->der, root_signer, urls, SystemClock::Get(), rng);
  auto issuing_key = *PrivateKey::Generate(KeyAlg::kP256);
  auto issuing = root_ca.IssueIssuingCa(issuing_key.Public(), {"Evil Issuing", "Evil"},
                                        std::chrono::seconds(0), noop);
  ASSERT_TRUE(issuing.ok()) << issuing.status().ToString();
  auto issuing_ca = *x509::Ca::Create(
      issuing->der, std::shared_ptr<crypto::Signer>(crypto::MakeSoftwareSigner(issuing_key)), urls,
      SystemClock::Get(), rng);
  auto key = *PrivateKey::Generate(KeyAlg::kP256);
  auto cert = issuing_ca.IssueMember(key.Public(),
                                     {{"alice", "Talent B"}, {"alice@example.com"}, {}}, noop);
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  int64_t log = LogSize();
  auto r = agreements_->Sign(alice_.who, id, v1.hash, x509::CertificateToPem(cert->der),
                             *key.Sign(v1.canonical));
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << r.status().ToString();
  EXPECT_NE(r.status().message().find("not issued by this vtrust CA"), std::string::npos);
  EXPECT_EQ(LogSize(), log);
}

TEST_P(AgreementsTest, BadInputIsRefusedNamingTheFieldAndWritesNothing) {
  int64_t log = LogSize(), n = Count("agreements"), v = Count("agreement_versions");
  auto r = agreements_->Create(sam_.who, "wrk_nope", "", Terms(6000, 4000));
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  r = agreements_->Create(sam_.who, work_, "", Terms(6000, 3000));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "terms.tiers[0].shares") << r.status().ToString();
  Json t = Terms(6000, 4000);
  t["currency"] = "XYZ";
  r = agreements_->Create(sam_.who, work_, "", t);
  EXPECT_EQ(r.status().field(), "terms.currency") << r.status().ToString();
  t = Terms(6000, 4000);
  t["parties"][1]["id"] = "mem_nobody";
  t["tiers"][0]["shares"][1]["payee"] = "mem_nobody";
  r = agreements_->Create(sam_.who, work_, "", t);
  EXPECT_EQ(r.status().field(), "terms.parties[1].id") << r.status().ToString();
  t = Terms(6000, 4000);
  t["work"] = "wrk_other";
  r = agreements_->Create(sam_.who, work_, "", t);
  EXPECT_EQ(r.status().field(), "terms.work") << r.status().ToString();
  EXPECT_EQ(LogSize(), log);
  EXPECT_EQ(Count("agreements"), n);
  EXPECT_EQ(Count("agreement_versions"), v);
}

TEST_P(AgreementsTest, TransferTakesEffectOnlyWhenTheHolderSigned) {
  TransferInput in{"copyright", alice_.who.member_id, talent_, 1500};
  auto d = rights_->ProposeTransfer(sam_.who, work_, in);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->value.status, DocumentStatus::kPending);
  EXPECT_EQ(d->value.parties, std::vector<std::string>{alice_.who.member_id});
  auto holders = [&] { return works_->Get(op_, work_)->data.rights.at("copyright"); };
  EXPECT_EQ(holders().size(), 2u);  // unchanged while pending
  // The studio is not the holder whose share moves.
  auto r =
      rights_->Sign(sam_.who, work_, d->value.hash, sam_.cert_pem, sam_.Sign(d->value.canonical));
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << r.status().ToString();
  r = rights_->Sign(alice_.who, work_, d->value.hash, alice_.cert_pem,
                    alice_.Sign(d->value.canonical));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->value.status, DocumentStatus::kEffective);
  auto h = holders();
  ASSERT_EQ(h.size(), 3u);
  int64_t sum = 0;
  for (const auto& x : h) {
    sum += x.share_bp;
    if (x.party == talent_) EXPECT_EQ(x.share_bp, 1500);
    if (x.party == alice_.who.member_id) EXPECT_EQ(x.share_bp, 2500);
  }
  EXPECT_EQ(sum, 10000);
  // Bad transfers: more than held, unknown right, unknown recipient.
  EXPECT_EQ(rights_->ProposeTransfer(sam_.who, work_, {"copyright", talent_, studio_, 1501})
                .status()
                .field(),
            "share_bp");
  EXPECT_EQ(
      rights_->ProposeTransfer(sam_.who, work_, {"likeness", studio_, talent_, 1}).status().field(),
      "right");
  EXPECT_EQ(rights_->ProposeTransfer(sam_.who, work_, {"copyright", studio_, "org_nope", 1})
                .status()
                .field(),
            "to");
}

TEST_P(AgreementsTest, ExclusiveLicencesMustNotOverlap) {
  LicenceInput in{talent_, "copyright", {{"CN"}, {"streaming"}, "2026-01-01", "2026-12-31"}, true};
  auto l1 = rights_->ProposeLicence(sam_.who, work_, in);
  ASSERT_TRUE(l1.ok()) << l1.status().ToString();
  std::vector<std::string> holders = {alice_.who.member_id, studio_};
  std::sort(holders.begin(), holders.end());
  EXPECT_EQ(l1->value.parties, holders);
  LicenceInput overlap = in;
  overlap.scope.territory = {};  // worldwide includes CN
  overlap.scope.from = "2026-06-01";
  overlap.scope.to = "2027-06-01";
  EXPECT_EQ(rights_->ProposeLicence(sam_.who, work_, overlap).status().code(),
            StatusCode::kAlreadyExists);
  LicenceInput other_channel = in;
  other_channel.scope.channel = {"ticketing"};
  EXPECT_TRUE(rights_->ProposeLicence(sam_.who, work_, other_channel).ok());
  LicenceInput later = in;
  later.scope.from = "2027-01-01";
  later.scope.to = "2027-12-31";
  EXPECT_TRUE(rights_->ProposeLicence(sam_.who, work_, later).ok());
  // Effective only once both holders signed.
  const auto& doc = l1->value;
  auto s = rights_->Sign(sam_.who, work_, doc.hash, sam_.cert_pem, sam_.Sign(doc.canonical));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->value.status, DocumentStatus::kPending);
  s = rights_->Sign(alice_.who, work_, doc.hash, alice_.cert_pem, alice_.Sign(doc.canonical));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->value.status, DocumentStatus::kEffective);
}

VT_INSTANTIATE_BACKEND_TEST(AgreementsTest);

}  // namespace
}  // namespace vt::app
