// Agreements, transfers and licences end to end through the real binary (docs/settlement.md
// "Signatures and versions"): member certificates issued by `vtrust serve` for
// keys made with the openssl command line, signatures made locally by
// `vtrust agreement sign` / `vtrust work sign-document`, refusals over HTTP.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/harness.h"

namespace vt::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Spit(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}

bool Sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0; }

// A member with a token, a P-256 key (PKCS#8 PEM file) and, once issued, a
// member certificate (PEM file).
struct Party {
  std::string id, org, token, key, cert, serial;
};

class AgreementE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto init = InitDataDir(dir_->Sub("data"));
    ASSERT_TRUE(init);
    // `vtrust init` creates the CA (roots, issuing CAs) as well.
    std::string err;
    srv_ = ServerProcess::Start(dir_->Sub("data"), {}, &err).release();
    ASSERT_NE(srv_, nullptr) << err;
    op_token_ = init->token;
    Api op = srv_->Client(op_token_);
    studio_ = Org(op, "Studio A");
    talent_ = Org(op, "Talent B");
    sam_ = Member(op, studio_, "sam", "admin");
    alice_ = Member(op, talent_, "alice", "member");
    eve_ = Member(op, studio_, "eve", "member");
    for (Party* p : {&sam_, &alice_, &eve_}) IssueCert(*p, "");
  }
  static void TearDownTestSuite() {
    delete srv_;
    delete dir_;
  }

  static std::string Org(Api& op, const std::string& name) {
    HttpReply r = op.Post("/v1/orgs", {{"name", name}, {"kind", "studio"}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json().value("id", "");
  }
  static Party Member(Api& op, const std::string& org, const std::string& name,
                      const std::string& role) {
    Party p;
    p.org = org;
    HttpReply r = op.Post("/v1/orgs/" + org + "/members",
                          {{"name", name}, {"role", role}, {"email", name + "@example.org"}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    p.id = r.json().value("id", "");
    r = op.Post("/v1/orgs/" + org + "/tokens", {{"member_id", p.id}, {"name", "t"}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    p.token = r.json().value("token", "");
    return p;
  }
  // A fresh key and a member certificate for it, requested by the member itself.
  static void IssueCert(Party& p, const std::string& suffix) {
    std::string base = dir_->Sub(p.id + suffix);
    p.key = base + ".key";
    p.cert = base + ".crt";
    ASSERT_TRUE(Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + p.key));
    ASSERT_TRUE(Sh("openssl req -new -key " + p.key + " -subj /CN=csr -out " + base + ".csr"));
    HttpReply r =
        srv_->Client(p.token).Post("/v1/orgs/" + p.org + "/members/" + p.id + "/certificates",
                                   {{"alg", "p256"}, {"csr", Slurp(base + ".csr")}});
    ASSERT_EQ(r.status, 201) << r.Describe();
    Spit(p.cert, r.json().value("certificate", ""));
    p.serial = r.json().value("serial", "");
  }
  static CliResult Cli(const Party& as, std::vector<std::string> args) {
    args.insert(args.end(), {"--server", srv_->url(), "--token", as.token});
    return RunCli(args);
  }
  std::string Work(int n) {
    char digest[65];
    snprintf(digest, sizeof digest, "%064x", 0xa9000 + n);
    HttpReply r = srv_->Client(sam_.token)
                      .Post("/v1/works", {{"type", "concert"},
                                          {"titles", {{"en", "Starlight " + std::to_string(n)}}},
                                          {"digests", {{"sha256", digest}}},
                                          {"rights",
                                           {{"copyright",
                                             {{{"party", studio_}, {"share_bp", 6000}},
                                              {{"party", alice_.id}, {"share_bp", 4000}}}}}}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json().value("id", "");
  }
  std::string TermsFile(int64_t studio_bp, int64_t alice_bp, const std::string& rounding = "") {
    Json t = {{"currency", "CNY"},
              {"parties",
               {{{"id", studio_}, {"name", "Studio A"}, {"role", "IP owner"}},
                {{"id", alice_.id}, {"name", "Alice"}, {"role", "voice actor"}}}},
              {"tiers",
               {{{"id", "fee"},
                 {"kind", "fee"},
                 {"label", "platform fee"},
                 {"payee", studio_},
                 {"rate", {{"bp", 1000}}}},
                {{"id", "split"},
                 {"kind", "shares"},
                 {"unit", "bp"},
                 {"shares",
                  {{{"payee", studio_}, {"weight", studio_bp}},
                   {{"payee", alice_.id}, {"weight", alice_bp}}}}}}}};
    if (!rounding.empty()) t["rounding"] = rounding;
    std::string path = dir_->Sub("terms" + std::to_string(++files_) + ".json");
    Spit(path, t.dump(2));
    return path;
  }
  Json Agreement(const std::string& id) {
    HttpReply r = srv_->Client(sam_.token).Get("/v1/agreements/" + id);
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.json();
  }
  // Creates an agreement through the CLI; returns {id, version-1 hash}.
  std::pair<std::string, std::string> Create(const std::string& work) {
    CliResult c = Cli(sam_, {"agreement", "create", "--work", work, "--terms",
                             TermsFile(6000, 4000), "--title", "Starlight split", "--json"});
    EXPECT_EQ(c.exit_code, 0) << c.Describe();
    return {c.json().value("id", ""), c.json()["versions"][0].value("hash", "")};
  }
  CliResult Sign(const Party& p, const std::string& id, const std::string& hash,
                 const std::string& cert = "") {
    return Cli(p, {"agreement", "sign", id, "--version", hash, "--key", p.key, "--cert",
                   cert.empty() ? p.cert : cert, "--json"});
  }
  int64_t LogSize() {
    HttpReply r = srv_->Client().Get("/log/checkpoint");
    std::istringstream in(r.body);
    std::string origin, size;
    std::getline(in, origin);
    std::getline(in, size);
    return std::atoll(size.c_str());
  }

  static inline TempDir* dir_ = nullptr;
  static inline ServerProcess* srv_ = nullptr;
  static inline std::string op_token_, studio_, talent_;
  static inline Party sam_, alice_, eve_;
  static inline int files_ = 0, works_ = 0;
};

TEST_F(AgreementE2eTest, UnsignedVersionIsNotAppliedUntilEveryPartySigned) {
  auto [id, v1] = Create(Work(++works_));
  ASSERT_EQ(v1.size(), 64u);
  Json a = Agreement(id);
  EXPECT_TRUE(a["in_force"].is_null()) << a.dump();
  EXPECT_EQ(a["versions"][0]["status"], "pending");
  CliResult explain = Cli(sam_, {"agreement", "explain", id});
  EXPECT_NE(explain.exit_code, 0) << "nothing in force yet: " << explain.Describe();

  CliResult s = Sign(sam_, id, v1);
  ASSERT_EQ(s.exit_code, 0) << s.Describe();
  EXPECT_EQ(s.json()["status"], "pending");
  EXPECT_TRUE(Agreement(id)["in_force"].is_null());
  s = Sign(alice_, id, v1);
  ASSERT_EQ(s.exit_code, 0) << s.Describe();
  EXPECT_EQ(s.json()["status"], "in_force");
  EXPECT_EQ(s.json()["receipts"].size(), 2u);  // agreement.signed + agreement.in_force
  a = Agreement(id);
  EXPECT_EQ(a["in_force"], v1);
  EXPECT_EQ(a["versions"][0]["signatures"].size(), 2u);
  explain = Cli(sam_, {"agreement", "explain", id});
  ASSERT_EQ(explain.exit_code, 0) << explain.Describe();
  EXPECT_NE(explain.out.find("Alice"), std::string::npos) << explain.out;
  EXPECT_NE(explain.out.find("in_force"), std::string::npos) << explain.out;
}

TEST_F(AgreementE2eTest, PendingAmendmentKeepsTheOldTermsInForce) {
  auto [id, v1] = Create(Work(++works_));
  ASSERT_EQ(Sign(sam_, id, v1).exit_code, 0);
  ASSERT_EQ(Sign(alice_, id, v1).exit_code, 0);
  CliResult am = Cli(sam_, {"agreement", "amend", id, "--terms", TermsFile(5000, 5000), "--json"});
  ASSERT_EQ(am.exit_code, 0) << am.Describe();
  std::string v2 = am.json().value("hash", "");
  EXPECT_EQ(am.json()["document"]["previous"], v1);
  Json a = Agreement(id);
  EXPECT_EQ(a["in_force"], v1);
  EXPECT_EQ(a["versions"][1]["status"], "pending");
  ASSERT_EQ(Sign(alice_, id, v2).exit_code, 0);
  EXPECT_EQ(Agreement(id)["in_force"], v1);  // still awaiting the studio
  HttpReply one = srv_->Client(alice_.token).Get("/v1/agreements/" + id + "/versions/2");
  ASSERT_EQ(one.status, 200) << one.Describe();
  EXPECT_EQ(one.json()["awaiting"], Json::array({studio_}));
  ASSERT_EQ(Sign(sam_, id, v2).exit_code, 0);
  a = Agreement(id);
  EXPECT_EQ(a["in_force"], v2);
  EXPECT_EQ(a["versions"][0]["status"], "superseded");
  EXPECT_EQ(a["versions"][1]["status"], "in_force");
}

TEST_F(AgreementE2eTest, RevokedForeignAndUnrelatedCertificatesAreRefused) {
  auto [id, v1] = Create(Work(++works_));
  // Revoked: a second certificate of alice, revoked before use.
  Party old = alice_;
  IssueCert(old, "-revoked");
  HttpReply r = srv_->Client(alice_.token)
                    .Post("/v1/cards/" + old.serial + "/revoke", {{"reason", "keyCompromise"}});
  ASSERT_EQ(r.status / 100, 2) << r.Describe();
  int64_t log = LogSize();
  CliResult s = Sign(old, id, v1);
  EXPECT_NE(s.exit_code, 0) << s.Describe();
  EXPECT_NE(s.err.find("revoked"), std::string::npos) << s.Describe();
  // Foreign: alice's key certified by a self-made CA.
  std::string ca = dir_->Sub("evil");
  ASSERT_TRUE(
      Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + ca + ".key"));
  ASSERT_TRUE(
      Sh("openssl req -x509 -new -key " + ca + ".key -subj /CN=Evil -days 30 -out " + ca + ".crt"));
  ASSERT_TRUE(
      Sh("openssl req -new -key " + alice_.key + " -subj /CN=alice -out " + ca + "-alice.csr"));
  ASSERT_TRUE(Sh("openssl x509 -req -in " + ca + "-alice.csr -CA " + ca + ".crt -CAkey " + ca +
                 ".key -set_serial 7 -days 30 -out " + ca + "-alice.crt"));
  s = Sign(alice_, id, v1, ca + "-alice.crt");
  EXPECT_NE(s.exit_code, 0) << s.Describe();
  EXPECT_NE(s.err.find("not issued by this vtrust CA"), std::string::npos) << s.Describe();
  // Unrelated: eve may read the studio's agreement but is no party to it.
  s = Sign(eve_, id, v1);
  EXPECT_NE(s.exit_code, 0) << s.Describe();
  // A signature that does not verify (over other bytes), straight to the API.
  std::string doc = dir_->Sub("other.bin");
  Spit(doc, "not the document");
  ASSERT_TRUE(Sh("openssl dgst -sha256 -sign " + alice_.key + " -out " + doc + ".sig " + doc));
  ASSERT_TRUE(Sh("openssl base64 -A -in " + doc + ".sig -out " + doc + ".b64"));
  r = srv_->Client(alice_.token)
          .Post("/v1/agreements/" + id + "/versions/" + v1 + "/signatures",
                {{"certificate", Slurp(alice_.cert)}, {"signature", Slurp(doc + ".b64")}});
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.json()["field"], "signature") << r.Describe();
  r = srv_->Client(alice_.token)
          .Post("/v1/agreements/" + id + "/versions/" + v1 + "/signatures",
                {{"certificate", Slurp(ca + "-alice.crt")}, {"signature", Slurp(doc + ".b64")}});
  EXPECT_EQ(r.status, 403) << r.Describe();
  EXPECT_EQ(LogSize(), log);
  Json a = Agreement(id);
  EXPECT_EQ(a["versions"][0]["signatures"].size(), 0u);
  EXPECT_TRUE(a["in_force"].is_null());
}

TEST_F(AgreementE2eTest, TransferTakesEffectOnlyAfterTheHolderSigned) {
  std::string work = Work(++works_);
  CliResult t = Cli(sam_, {"work", "transfer", work, "--right", "copyright", "--from", alice_.id,
                           "--to", talent_, "--share-bp", "1000", "--json"});
  ASSERT_EQ(t.exit_code, 0) << t.Describe();
  std::string hash = t.json().value("hash", "");
  EXPECT_EQ(t.json()["status"], "pending");
  auto holders = [&] {
    return srv_->Client(sam_.token).Get("/v1/works/" + work).json()["rights"]["copyright"];
  };
  EXPECT_EQ(holders().size(), 2u);
  CliResult s = Cli(sam_, {"work", "sign-document", work, "--document", hash, "--key", sam_.key,
                           "--cert", sam_.cert});
  EXPECT_NE(s.exit_code, 0) << "the studio's share does not move: " << s.Describe();
  EXPECT_EQ(holders().size(), 2u);
  s = Cli(alice_, {"work", "sign-document", work, "--document", hash, "--key", alice_.key, "--cert",
                   alice_.cert, "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.Describe();
  EXPECT_EQ(s.json()["status"], "effective");
  Json h = holders();
  ASSERT_EQ(h.size(), 3u) << h.dump();
  EXPECT_EQ(h[1]["party"], alice_.id);
  EXPECT_EQ(h[1]["share_bp"], 3000);
  EXPECT_EQ(h[2]["party"], talent_);
  EXPECT_EQ(h[2]["share_bp"], 1000);
}

TEST_F(AgreementE2eTest, BadInputIsA4xxAndWritesNothing) {
  std::string work = Work(++works_);
  Api sam = srv_->Client(sam_.token);
  Json terms = ParseJsonStrict(Slurp(TermsFile(6000, 3000))).value();
  int64_t log = LogSize();
  HttpReply r = sam.Post("/v1/agreements", {{"work_id", "wrk_unknown"}, {"terms", terms}});
  EXPECT_EQ(r.status, 404) << r.Describe();
  r = sam.Post("/v1/agreements", {{"work_id", work}, {"terms", terms}});
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.json()["field"], "terms.tiers[1].shares") << r.Describe();
  EXPECT_NE(r.json().value("detail", "").find("10000"), std::string::npos) << r.Describe();
  terms["tiers"][0]["colour"] = "blue";
  r = sam.Post("/v1/agreements", {{"work_id", work}, {"terms", terms}});
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.json()["field"].get<std::string>().rfind("terms.tiers[0]", 0), 0u) << r.Describe();
  r = sam.Post("/v1/works/" + work + "/transfers",
               {{"right", "copyright"}, {"from", alice_.id}, {"to", talent_}, {"share_bp", 4001}});
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.json()["field"], "share_bp");
  EXPECT_EQ(LogSize(), log);
}

TEST_F(AgreementE2eTest, OverlappingExclusiveLicenceIs409) {
  std::string work = Work(++works_);
  auto licence = [&](const std::string& from, const std::string& to) {
    return Cli(sam_, {"work", "licence", work, "--right", "copyright", "--licensee", talent_,
                      "--territory", "CN", "--channel", "streaming", "--from", from, "--to", to,
                      "--exclusive", "--json"});
  };
  CliResult l = licence("2026-01-01", "2026-12-31");
  ASSERT_EQ(l.exit_code, 0) << l.Describe();
  HttpReply r = srv_->Client(sam_.token)
                    .Post("/v1/works/" + work + "/licences",
                          {{"licensee", talent_},
                           {"right", "copyright"},
                           {"scope", {{"period", {{"from", "2026-06-01"}, {"to", "2027-01-31"}}}}},
                           {"exclusive", true}});
  EXPECT_EQ(r.status, 409) << r.Describe();
  EXPECT_EQ(r.json()["conflicting"], l.json()["hash"]) << r.Describe();
  EXPECT_EQ(licence("2027-01-01", "2027-12-31").exit_code, 0);
}

// One command makes a member's key pair locally, gets its member certificate and
// writes both files; they sign as they are. The terms choose their rounding
// rule and `agreement explain` says which; `agreement list` finds the agreement
// for its parties.
TEST_F(AgreementE2eTest, MemberCertNewKeyWritesKeyAndCertificateThatSign) {
  std::string work = Work(++works_);
  CliResult c = Cli(sam_, {"agreement", "create", "--work", work, "--terms",
                           TermsFile(6000, 4000, "largest_remainder"), "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  std::string id = c.json().value("id", ""), v1 = c.json()["versions"][0].value("hash", "");
  Party fresh = alice_;
  fresh.key = dir_->Sub("alice-new.key");
  fresh.cert = dir_->Sub("alice-new.pem");
  CliResult mc =
      Cli(alice_, {"member-cert", "--new-key", fresh.key, "--out", fresh.cert, "--json"});
  ASSERT_EQ(mc.exit_code, 0) << mc.Describe();
  EXPECT_EQ(Slurp(fresh.cert).rfind("-----BEGIN CERTIFICATE-----", 0), 0u) << Slurp(fresh.cert);
  EXPECT_NE(Slurp(fresh.key).find("PRIVATE KEY"), std::string::npos);
  std::filesystem::perms perms = std::filesystem::status(fresh.key).permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  // An existing key file is never overwritten (and nothing is issued).
  CliResult again = Cli(alice_, {"member-cert", "--new-key", fresh.key, "--out", fresh.cert});
  EXPECT_NE(again.exit_code, 0) << again.Describe();
  EXPECT_NE(again.err.find("exists"), std::string::npos) << again.Describe();
  ASSERT_EQ(Sign(sam_, id, v1).exit_code, 0);
  CliResult s = Sign(fresh, id, v1);
  ASSERT_EQ(s.exit_code, 0) << s.Describe();
  EXPECT_EQ(s.json()["status"], "in_force");

  CliResult explain = Cli(alice_, {"agreement", "explain", id});
  ASSERT_EQ(explain.exit_code, 0) << explain.Describe();
  EXPECT_NE(explain.out.find("largest remainder"), std::string::npos) << explain.out;

  CliResult list = Cli(alice_, {"agreement", "list", "--work", work, "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.Describe();
  ASSERT_EQ(list.json()["agreements"].size(), 1u) << list.Describe();
  EXPECT_EQ(list.json()["agreements"][0]["id"], id);
  CliResult table = Cli(alice_, {"agreement", "list", "--party", alice_.id});
  ASSERT_EQ(table.exit_code, 0) << table.Describe();
  EXPECT_NE(table.out.find(id), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find('{'), std::string::npos) << table.out;
}

}  // namespace
}  // namespace vt::testing
