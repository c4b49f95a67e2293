// The CA of the registry on every storage backend (SQLite always, PostgreSQL
// when VTRUST_TEST_PG is set): ca init, ID-card issuance (custodial and CSR)
// chaining to the roots, refusals that write nothing, authorization, renewal,
// revocation and the revocation state read by the CRL/OCSP side, member
// certificates, key references.
#include "app/identity/pki.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "app/identity/ca_keys.h"
#include "app/identity/characters.h"
#include "store/store_testing.h"
#include "x509/cert.h"

namespace vt::app {
namespace {

using crypto::KeyAlg;

// A PKCS#10 request signed by `key` (P-256 or Ed25519), DER; `corrupt` flips a
// bit of the signature.
std::string MakeCsr(const crypto::PrivateKey& key, bool corrupt = false) {
  X509_REQ* req = X509_REQ_new();
  X509_REQ_set_version(req, 0);
  X509_REQ_set_pubkey(req, key.evp());
  X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(req), "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("csr"), -1, -1, 0);
  EXPECT_GT(X509_REQ_sign(req, key.evp(), key.alg() == KeyAlg::kP256 ? EVP_sha256() : nullptr), 0);
  unsigned char* out = nullptr;
  int n = i2d_X509_REQ(req, &out);
  std::string der(reinterpret_cast<char*>(out), n);
  OPENSSL_free(out);
  X509_REQ_free(req);
  if (corrupt) der[der.size() - 3] ^= 0x01;
  return der;
}

class PkiTest : public store::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("pki_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
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
    reg_ = std::make_unique<CharacterRegistry>(*svc_, SystemRng::Get());
    studio_ = svc_->CreateOrg(op_, "Studio A", OrgKind::kStudio)->value.id;
    other_ = svc_->CreateOrg(op_, "Studio B", OrgKind::kStudio)->value.id;
    member_ = As(studio_, "alice", Role::kMember);
    auditor_ = As(studio_, "audrey", Role::kAuditor);
    stranger_ = As(other_, "bob", Role::kAdmin);
    auto cas = pki_->InitCa(op_, {});
    ASSERT_TRUE(cas.ok()) << cas.status().ToString();
    cas_ = cas->value;
    ASSERT_EQ(cas->receipts.size(), 1u);
    CharacterInput in;
    in.name = "Aria";
    in.likeness = {{"face", std::string(64, 'a'), std::string(64, 'b')}};
    in.ai_driven = true;
    character_ = reg_->Register(member_, in)->value.id;
  }
  void TearDown() override {
    reg_.reset();
    pki_.reset();
    svc_.reset();
    BackendTest::TearDown();
    std::filesystem::remove_all(dir_);
  }
  Principal As(const std::string& org, const std::string& name, Role role) {
    auto m = svc_->AddMember(op_, org, name, name + "@example.com", role);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    members_[name] = m->value.id;
    auto t = svc_->CreateToken(op_, org, m->value.id, "t", 0);
    return *svc_->Authenticate(t->value.secret);
  }
  int64_t LogSize() { return svc_->log().Published().size; }
  int64_t Rows() {
    return *svc_->Read<int64_t>([](store::Conn& c) -> StatusOr<int64_t> {
      VT_ASSIGN_OR_RETURN(auto r, c.QueryOne("SELECT COUNT(*) FROM certificates"));
      return r.Int(0);
    });
  }
  std::string RootDer(KeyAlg alg) { return pki_->GetCa(CaId(alg, CaKind::kRoot))->cert_der; }
  // The card chains to its root (and not to another algorithm's root).
  void ExpectChains(const IssuedCertificate& card, KeyAlg alg) {
    auto now = std::chrono::system_clock::now();
    EXPECT_TRUE(
        x509::VerifyCertificateChain(card.certificate_pem, {card.chain_pem}, {RootDer(alg)}, now)
            .ok());
    KeyAlg other = alg == KeyAlg::kP256 ? KeyAlg::kEd25519 : KeyAlg::kP256;
    EXPECT_FALSE(
        x509::VerifyCertificateChain(card.certificate_pem, {card.chain_pem}, {RootDer(other)}, now)
            .ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<Service> svc_;
  std::unique_ptr<Pki> pki_;
  std::unique_ptr<CharacterRegistry> reg_;
  Principal op_, member_, auditor_, stranger_;
  std::string studio_, other_, character_;
  std::map<std::string, std::string> members_;
  std::vector<CaRecord> cas_;
  static inline int counter_ = 0;
};

TEST_P(PkiTest, InitCreatesThreeHierarchiesOnceAndOnlyForOperatorAdmins) {
  ASSERT_EQ(cas_.size(), 9u);
  for (const auto& r : cas_) {
    EXPECT_EQ(r.id, CaId(r.alg, r.kind));
    EXPECT_EQ(r.key_ref.rfind("secrets:", 0), 0u) << r.key_ref;
    auto signer = OpenKeyRef(svc_->config(), r.key_ref);
    ASSERT_TRUE(signer.ok()) << signer.status().ToString();
    EXPECT_EQ((*signer)->public_key(), *x509::CertificatePublicKey(r.cert_der)) << r.id;
  }
  auto roots = pki_->RootsPem();
  ASSERT_TRUE(roots.ok());
  EXPECT_EQ(roots->size(), 3u);
  EXPECT_EQ(pki_->InitCa(op_, {}).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(pki_->InitCa(stranger_, {}).status().code(), StatusCode::kPermissionDenied);
  // The OCSP signer is a serial of the issuing CA and chains to the root.
  auto ocsp = pki_->GetCa("sm2-ocsp");
  ASSERT_TRUE(ocsp.ok());
  EXPECT_TRUE(x509::VerifyCertificateChain(ocsp->cert_der, {pki_->GetCa("sm2-issuing")->cert_der},
                                           {RootDer(KeyAlg::kSm2)},
                                           std::chrono::system_clock::now())
                  .ok());
}

TEST_P(PkiTest, CustodialCardsOfEveryAlgorithmChainAndCarryTheUrls) {
  for (KeyAlg alg : kCaAlgs) {
    int64_t before = LogSize();
    auto w = pki_->IssueCard(member_, character_, {alg, "", 30});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    EXPECT_EQ(w->receipts.size(), 1u);
    EXPECT_EQ(LogSize(), before + 1);
    ExpectChains(w->value, alg);
    auto info = x509::InspectCertificate(w->value.certificate_pem);
    ASSERT_TRUE(info.ok());
    std::string a(crypto::KeyAlgName(alg));
    EXPECT_EQ(info->serial_hex, w->value.record.serial);
    EXPECT_EQ(info->character_id, character_);
    EXPECT_EQ(info->crl_url, "http://ca.example:9000/pki/crl/" + a + ".crl");
    EXPECT_EQ(info->ocsp_url, "http://ca.example:9000/pki/ocsp/" + a);
    EXPECT_EQ(info->ca_issuers_url, "http://ca.example:9000/pki/ca/" + a + "-issuing.der");
    // The custodial key is kept and is the certificate's key.
    ASSERT_TRUE(w->value.record.key_ref.has_value());
    auto signer = OpenKeyRef(svc_->config(), *w->value.record.key_ref);
    ASSERT_TRUE(signer.ok()) << signer.status().ToString();
    EXPECT_EQ((*signer)->public_key(), *x509::CertificatePublicKey(w->value.certificate_pem));
    EXPECT_EQ(pki_->StatusUnder(a + "-issuing", w->value.record.serial)->state,
              SerialStatus::State::kGood);
  }
}

TEST_P(PkiTest, CsrCardsCarryTheRequestersKey) {
  for (KeyAlg alg : {KeyAlg::kP256, KeyAlg::kEd25519}) {
    auto key = *crypto::PrivateKey::Generate(alg);
    auto w = pki_->IssueCard(member_, character_, {alg, MakeCsr(key), 0});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    EXPECT_FALSE(w->value.record.key_ref.has_value());
    EXPECT_EQ(*x509::CertificatePublicKey(w->value.certificate_pem), key.Public());
    ExpectChains(w->value, alg);
  }
}

TEST_P(PkiTest, BadRequestsAreRefusedAndWriteNothing) {
  int64_t log = LogSize(), rows = Rows();
  auto p256 = *crypto::PrivateKey::Generate(KeyAlg::kP256);
  auto expect = [&](StatusOr<Written<IssuedCertificate>> r, StatusCode code, std::string field) {
    EXPECT_EQ(r.status().code(), code) << r.status().ToString();
    EXPECT_EQ(r.status().field(), field) << r.status().ToString();
  };
  expect(pki_->IssueCard(member_, character_, {KeyAlg::kP256, MakeCsr(p256, true), 0}),
         StatusCode::kInvalidArgument, "csr");
  expect(pki_->IssueCard(member_, character_, {KeyAlg::kEd25519, MakeCsr(p256), 0}),
         StatusCode::kInvalidArgument, "csr");
  expect(pki_->IssueCard(member_, character_, {KeyAlg::kP256, "not a csr", 0}),
         StatusCode::kInvalidArgument, "csr");
  expect(pki_->IssueCard(member_, character_, {KeyAlg::kP256, "", 9999}),
         StatusCode::kInvalidArgument, "lifetime_days");
  expect(pki_->IssueCard(member_, "VC-0000-0000-0000-0000", {}), StatusCode::kNotFound, "");
  EXPECT_EQ(ParseCardAlg("rsa").status().field(), "alg");
  ASSERT_TRUE(reg_->Retire(member_, character_).ok());
  log = LogSize();
  expect(pki_->IssueCard(member_, character_, {}), StatusCode::kFailedPrecondition, "");
  EXPECT_EQ(LogSize(), log);
  EXPECT_EQ(Rows(), rows);
}

TEST_P(PkiTest, OwnersIssueAuditorsReadOthersSeeNothing) {
  auto w = pki_->IssueCard(member_, character_, {});
  ASSERT_TRUE(w.ok());
  std::string serial = w->value.record.serial;
  EXPECT_EQ(pki_->IssueCard(auditor_, character_, {}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(pki_->IssueCard(stranger_, character_, {}).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(pki_->GetCertificate(auditor_, serial).ok());
  EXPECT_EQ(pki_->GetCertificate(stranger_, serial).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(pki_->ListCards(stranger_, character_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(pki_->Revoke(stranger_, serial, "keyCompromise").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(pki_->Revoke(auditor_, serial, "keyCompromise").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(pki_->IssueCard(op_, character_, {}).ok());  // operator admin
  EXPECT_EQ(pki_->ListCards(auditor_, character_)->size(), 2u);
}

TEST_P(PkiTest, RevocationIsLoggedOnceAndReadByCrlAndOcspSide) {
  auto w = pki_->IssueCard(member_, character_, {});
  ASSERT_TRUE(w.ok());
  std::string serial = w->value.record.serial;
  std::vector<std::string> heard;
  pki_->AddRevocationListener(
      [&](const std::string& ca, const std::string& s) { heard.push_back(ca + "/" + s); });
  EXPECT_EQ(pki_->Revoke(member_, serial, "noSuchReason").status().field(), "reason");
  EXPECT_EQ(pki_->Revoke(member_, serial, "removeFromCRL").status().field(), "reason");
  int64_t log = LogSize();
  auto r = pki_->Revoke(member_, serial, "keycompromise");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(LogSize(), log + 1);
  EXPECT_EQ(r->value.revocation_reason, "keyCompromise");
  EXPECT_EQ(heard, std::vector<std::string>{"p256-issuing/" + serial});
  auto again = pki_->Revoke(member_, serial, "superseded");
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(LogSize(), log + 1);
  auto rec = pki_->GetCertificate(auditor_, serial);
  EXPECT_EQ(rec->status, CertStatus::kRevoked);
  EXPECT_EQ(rec->ToJson()["reason"], "keyCompromise");
  auto st = pki_->StatusUnder("p256-issuing", serial);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->state, SerialStatus::State::kRevoked);
  EXPECT_EQ(st->reason, x509::CrlReason::kKeyCompromise);
  EXPECT_EQ(pki_->StatusUnder("sm2-issuing", serial)->state, SerialStatus::State::kUnknown);
  EXPECT_EQ(pki_->StatusUnder("p256-issuing", "00ff")->state, SerialStatus::State::kUnknown);
  auto crl = pki_->RevokedUnder("p256-issuing");
  ASSERT_EQ(crl->size(), 1u);
  EXPECT_EQ((*crl)[0].serial_hex, serial);
  EXPECT_TRUE(pki_->RevokedUnder("ed25519-issuing")->empty());
  // A revoked card cannot be renewed; it is no longer current.
  EXPECT_EQ(pki_->RenewCard(member_, serial, std::nullopt, "").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(pki_->CurrentCard(member_, character_).status().code(), StatusCode::kNotFound);
}

TEST_P(PkiTest, RenewalKeepsTheCharacterAndSupersedesTheOldCard) {
  auto first = pki_->IssueCard(member_, character_, {KeyAlg::kP256, "", 0});
  ASSERT_TRUE(first.ok());
  std::string old = first->value.record.serial;
  auto key = *crypto::PrivateKey::Generate(KeyAlg::kEd25519);
  auto next = pki_->RenewCard(member_, old, KeyAlg::kEd25519, MakeCsr(key));
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_NE(next->value.record.serial, old);
  EXPECT_EQ(next->value.record.character_id, character_);
  EXPECT_EQ(next->value.record.alg, KeyAlg::kEd25519);
  EXPECT_EQ(x509::InspectCertificate(next->value.certificate_pem)->character_id, character_);
  EXPECT_EQ(pki_->GetCertificate(member_, old)->superseded_by, next->value.record.serial);
  EXPECT_EQ(pki_->CurrentCard(member_, character_)->serial, next->value.record.serial);
  EXPECT_EQ(pki_->RenewCard(member_, old, std::nullopt, "").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(pki_->RenewCard(stranger_, next->value.record.serial, std::nullopt, "").status().code(),
            StatusCode::kNotFound);
}

TEST_P(PkiTest, MemberCertificatesForTheMemberItselfOrItsAdmins) {
  std::string alice = members_["alice"];
  auto key = *crypto::PrivateKey::Generate(KeyAlg::kP256);
  auto w = pki_->IssueMemberCertificate(member_, studio_, alice, {KeyAlg::kP256, MakeCsr(key), 0});
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->value.record.profile, CertProfile::kMember);
  auto info = x509::InspectCertificate(w->value.certificate_pem);
  EXPECT_EQ(info->subject_cn, "alice");
  EXPECT_EQ(info->subject_org, "Studio A");
  ExpectChains(w->value, KeyAlg::kP256);
  EXPECT_EQ(pki_->IssueMemberCertificate(auditor_, studio_, alice, {}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(pki_->IssueMemberCertificate(stranger_, studio_, alice, {}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(pki_->IssueMemberCertificate(op_, studio_, "mem_nope", {}).status().code(),
            StatusCode::kNotFound);
  auto custodial = pki_->IssueMemberCertificate(op_, studio_, alice, {KeyAlg::kSm2, "", 0});
  ASSERT_TRUE(custodial.ok()) << custodial.status().ToString();
  EXPECT_TRUE(custodial->value.record.key_ref.has_value());
  EXPECT_TRUE(pki_->Revoke(member_, w->value.record.serial, "affiliationChanged").ok());
}

// Revoking a member certificate needs the role that issues one (docs/api.md
// "Role matrix"): a plain member may not revoke the admin's certificate.
TEST_P(PkiTest, MemberCertificateRevocationNeedsTheHolderOrAnAdmin) {
  Principal admin = As(studio_, "ada", Role::kAdmin);
  Principal carol = As(studio_, "carol", Role::kMember);
  auto cert = pki_->IssueMemberCertificate(admin, studio_, members_["ada"], {KeyAlg::kP256, "", 0});
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  const std::string serial = cert->value.record.serial;
  int64_t log_before = LogSize();
  EXPECT_EQ(pki_->Revoke(member_, serial, "keyCompromise").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(pki_->Revoke(auditor_, serial, "keyCompromise").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(pki_->Revoke(stranger_, serial, "keyCompromise").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(pki_->GetCertificate(op_, serial)->status, CertStatus::kGood);
  EXPECT_EQ(LogSize(), log_before);
  // Carol's own certificate: carol herself, or an admin.
  auto own =
      pki_->IssueMemberCertificate(carol, studio_, members_["carol"], {KeyAlg::kP256, "", 0});
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(pki_->Revoke(member_, own->value.record.serial, "keyCompromise").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(pki_->Revoke(carol, own->value.record.serial, "keyCompromise").ok());
  EXPECT_TRUE(pki_->Revoke(admin, serial, "superseded").ok());
}

// Not a test: the in-process issuance rate with durable commits and receipts
// (run with --gtest_also_run_disabled_tests --gtest_filter=*IssueRate*).
TEST_P(PkiTest, DISABLED_IssueRate) {
  constexpr int kThreads = 16, kPerThread = 300;
  std::vector<std::string> csrs;
  for (int i = 0; i < kThreads; ++i)
    csrs.push_back(MakeCsr(*crypto::PrivateKey::Generate(KeyAlg::kP256)));
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i)
        if (!pki_->IssueCard(member_, character_, {KeyAlg::kP256, csrs[t], 0}).ok()) ++failures;
    });
  for (auto& th : threads) th.join();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(failures.load(), 0);
  std::printf("P-256 cards from CSRs: %d in %.2f s = %.0f/s\n", kThreads * kPerThread, s,
              kThreads * kPerThread / s);
}

TEST(KeyRefTest, ParsesBothFormsAndRefusesOthers) {
  auto s = ParseKeyRef("secrets:ca-p256-root");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->secret_name, "ca-p256-root");
  auto p = ParseKeyRef("pkcs11:token=vtrust;object=ca-p256-issuing");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->token, "vtrust");
  EXPECT_EQ(p->object, "ca-p256-issuing");
  EXPECT_EQ(p->ToString(), "pkcs11:token=vtrust;object=ca-p256-issuing");
  for (const char* bad : {"", "file:/x", "secrets:", "secrets:../kek", "secrets:a/b",
                          "pkcs11:token=;object=x", "pkcs11:object=x", "pkcs11:token=t"})
    EXPECT_EQ(ParseKeyRef(bad).status().field(), "key_ref") << bad;
}

TEST(KeyRefTest, Pkcs11WithoutPinIsAPreconditionFailure) {
  unsetenv(kPkcs11PinEnv);
  Config c;
  c.data_dir = ::testing::TempDir();
  EXPECT_EQ(OpenKeyRef(c, "pkcs11:token=t;object=o").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(OpenKeyRef(c, "secrets:no-such-key").status().code(), StatusCode::kNotFound);
}

VT_INSTANTIATE_BACKEND_TEST(PkiTest);

}  // namespace
}  // namespace vt::app
