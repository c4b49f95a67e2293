// Revenue, settlement runs, the ledger and signed statements through the real
// binary: the concert example of docs/settlement.md over two periods via the CLI and the API,
// `settle verify` online and offline (and failing on a one-byte change), and bad
// input refused with nothing written.
//
// The agreement is put in force by writing its rows (migration 6 columns) into the
// data directory's database before the server starts: signing agreements is
// tests/agreement_test.cc's subject.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "base/encoding.h"
#include "crypto/digest.h"
#include "settlement/concert_testdata.h"
#include "store/sql.h"
#include "tests/harness.h"

namespace vt::testing {
namespace {

constexpr const char* kAgreement = "agr_lumi_concert";
constexpr const char* kHeader =
    "idempotency_key,work,amount_minor,currency,territory,channel,period,external_ref\n";

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}
std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string Row(const std::string& key, int64_t amount, const std::string& channel,
                const std::string& period, const std::string& currency = "CNY") {
  return key + ",concert:lumi-starlight-2025," + std::to_string(amount) + "," + currency + ",CN," +
         channel + "," + period + ",ref-" + key + "\n";
}

// The lines of src/settlement/concert_test.cc (expected numbers worked out there by
// hand): period 1 ticketing + streaming + an out-of-scope merch line; period 2 a
// sale, a refund, streaming and a replayed line.
std::string ConcertCsv() {
  return std::string(kHeader) + Row("tix-0701", 49'664'000, "ticketing", "2025-07") +
         Row("stream-0701", 44'200'023, "streaming", "2025-07") +
         Row("merch-0701", 1'000'000, "merch", "2025-07") +
         Row("tix-0815", 58'200'000, "ticketing", "2025-08") +
         Row("refund-0816", -1'940'000, "ticketing", "2025-08") +
         Row("stream-0815", 1'200'091, "streaming", "2025-08") +
         Row("tix-0815", 58'200'000, "ticketing", "2025-08");
}

const std::map<std::string, int64_t> kPeriod1 = {
    {"platform", 11'263'682}, {"ipowner", 17'862'324}, {"studio", 51'005'711}, {"voice", 5'885'274},
    {"mocap", 3'923'516},     {"composer", 2'354'110}, {"choreo", 1'569'406}};
const std::map<std::string, int64_t> kPeriod2 = {
    {"platform", 6'895'211}, {"ipowner", 17'995'504}, {"studio", 15'443'855}, {"voice", 7'339'509},
    {"mocap", 4'893'006},    {"composer", 2'935'803}, {"choreo", 1'957'203}};

class SettlementE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.Sub("data");
    auto init = InitDataDir(dir_);
    ASSERT_TRUE(init);
    token_ = init->token;
    PutAgreementInForce();
    if (HasFatalFailure()) return;
    std::string error;
    srv_ = ServerProcess::Start(dir_, {}, &error);
    ASSERT_TRUE(srv_) << error;
  }
  void PutAgreementInForce() {
    auto db = store::OpenSqlite(dir_ + "/vtrust.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    auto c = (*db)->Connect();
    ASSERT_TRUE(c.ok());
    auto org = (*c)->QueryOne("SELECT id FROM orgs WHERE kind = 'operator'");
    ASSERT_TRUE(org.ok()) << org.status().ToString();
    Json terms = Json::parse(settlement::testdata::kConcertAgreement);
    terms["id"] = kAgreement;
    Json doc = {{"type", "vtrust.agreement_version/1"},
                {"agreement", kAgreement},
                {"version", 1},
                {"previous", nullptr},
                {"work", nullptr},
                {"terms", terms},
                {"parties", Json::array()}};
    std::string canonical = *Canonicalize(doc);
    ASSERT_TRUE((*c)->Exec("INSERT INTO agreements(id, org_id, title, created_at) VALUES(?,?,?,?)",
                           {kAgreement, org->Text(0), "concert", "2026-01-01T00:00:00Z"})
                    .ok());
    ASSERT_TRUE((*c)->Exec("INSERT INTO agreement_versions(hash, agreement_id, version, document, "
                           "status, created_at) VALUES(?,?,1,?,'in_force',?)",
                           {HexEncode(crypto::Sha256(canonical)), kAgreement, canonical,
                            "2026-01-01T00:00:00Z"})
                    .ok());
  }
  CliResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", srv_->url(), "--token", token_});
    return RunCli(args);
  }
  int64_t LogSize() {
    HttpReply r = srv_->Client().Get("/log/checkpoint");
    std::istringstream in(r.body);
    std::string origin, size;
    std::getline(in, origin);
    std::getline(in, size);
    return std::stoll(size);
  }
  // Checks every statement of a run against `expected` and returns their sum.
  int64_t CheckStatements(const std::string& run, const std::map<std::string, int64_t>& expected) {
    Api api = srv_->Client(token_);
    int64_t sum = 0;
    for (const auto& [payee, amount] : expected) {
      HttpReply r = api.Get("/v1/settlements/" + run + "/statements/" + payee + ".json");
      EXPECT_EQ(r.status, 200) << r.Describe();
      Json st = r.json()["statement"];
      int64_t items = 0;
      for (const auto& i : st["items"]) items += i["amount"].get<int64_t>();
      EXPECT_EQ(items, st["total"]["amount"].get<int64_t>()) << payee;
      EXPECT_EQ(items, amount) << payee;
      sum += items;
      HttpReply csv = api.Get("/v1/settlements/" + run + "/statements/" + payee + ".csv");
      EXPECT_EQ(csv.status, 200);
      EXPECT_NE(csv.body.find("\r\ntotal,"), std::string::npos) << csv.body;
    }
    return sum;
  }

  TempDir tmp_;
  std::string dir_, token_;
  std::unique_ptr<ServerProcess> srv_;
};

TEST_F(SettlementE2E, ConcertOverTwoPeriodsToTheFen) {
  std::string csv = tmp_.Sub("concert.csv");
  WriteFile(csv, ConcertCsv());
  CliResult imp = Cli({"revenue", "import", csv, "--json"});
  ASSERT_EQ(imp.exit_code, 0) << imp.Describe();
  EXPECT_EQ(imp.json()["imported"], 6);
  EXPECT_EQ(imp.json()["duplicates"], 1);  // tix-0815 twice in the file
  // Importing the same file again is safe: every line is recognized.
  CliResult again = Cli({"revenue", "import", csv, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.Describe();
  EXPECT_EQ(again.json()["imported"], 0);
  EXPECT_EQ(again.json()["duplicates"], 7);

  CliResult run1 =
      Cli({"settle", "run", "--agreement", kAgreement, "--period", "2025-07", "--json"});
  ASSERT_EQ(run1.exit_code, 0) << run1.Describe();
  Json r1 = run1.json();
  EXPECT_EQ(r1["net_receipts"], 93'864'023);
  EXPECT_TRUE(r1.contains("receipt"));
  EXPECT_EQ(CheckStatements(r1["id"], kPeriod1), 93'864'023);

  Api api = srv_->Client(token_);
  HttpReply run2 =
      api.Post("/v1/settlements", {{"agreement_id", kAgreement}, {"period", "2025-08"}});
  ASSERT_EQ(run2.status, 201) << run2.Describe();
  Json r2 = run2.json();
  EXPECT_EQ(r2["net_receipts"], 57'460'091);
  EXPECT_EQ(CheckStatements(r2["id"], kPeriod2), 57'460'091);
  HttpReply twice =
      api.Post("/v1/settlements", {{"agreement_id", kAgreement}, {"period", "2025-08"}});
  EXPECT_EQ(twice.status, 409) << twice.Describe();

  // The ledger of each run is balanced: the collection account ends at zero.
  HttpReply ledger = api.Get("/v1/settlements/" + r2["id"].get<std::string>() + "/ledger");
  ASSERT_EQ(ledger.status, 200);
  EXPECT_EQ(ledger.json()["balances"]["collection:" + std::string(kAgreement) + ":CNY"], 0);

  // Hold and release a disputed share.
  std::string run2_id = r2["id"];
  HttpReply hold = api.Post("/v1/settlements/" + run2_id + "/holds",
                            {{"payee", "voice"}, {"reason", "contract dispute"}});
  EXPECT_EQ(hold.status, 201) << hold.Describe();
  EXPECT_EQ(hold.json()["amount"], 7'339'509);
  HttpReply release = api.Send("POST", "/v1/settlements/" + run2_id + "/holds/voice/release", "");
  EXPECT_EQ(release.status, 200) << release.Describe();

  // settle verify, online (fetching the version, lines and key) and offline.
  std::string st = tmp_.Sub("choreo.json");
  CliResult dl = Cli({"settle", "statement", run2_id, "choreo", "--out", st});
  ASSERT_EQ(dl.exit_code, 0) << dl.Describe();
  CliResult online = Cli({"settle", "verify", "--statement", st});
  EXPECT_EQ(online.exit_code, 0) << online.Describe();
  WriteFile(tmp_.Sub("version.json"),
            api.Get("/v1/settlements/" + run2_id + "/agreement-version").body);
  WriteFile(tmp_.Sub("lines.csv"), api.Get("/v1/settlements/" + run2_id + "/lines").body);
  WriteFile(tmp_.Sub("key.pem"),
            srv_->Client().Get("/v1/statement-key").json()["public_key_pem"].get<std::string>());
  std::vector<std::string> offline = {"settle",
                                      "verify",
                                      "--statement",
                                      st,
                                      "--agreement-version",
                                      tmp_.Sub("version.json"),
                                      "--lines",
                                      tmp_.Sub("lines.csv"),
                                      "--key",
                                      tmp_.Sub("key.pem")};
  CliResult ok = RunCli(offline);
  EXPECT_EQ(ok.exit_code, 0) << ok.Describe();
  // One byte changed in the statement: refused.
  const std::string original = ReadFile(st);
  std::string text = original;
  // In the signed statement itself (the envelope's log_openings repeat the total).
  size_t at = text.find("1957203", text.find("\"statement\""));
  ASSERT_NE(at, std::string::npos) << text;
  text[at + 6] = '4';
  WriteFile(st, text);
  CliResult bad = RunCli(offline);
  EXPECT_NE(bad.exit_code, 0) << bad.Describe();
  // The statement intact, one revenue line changed: the recomputation differs.
  WriteFile(st, original);
  EXPECT_EQ(RunCli(offline).exit_code, 0);
  std::string lines = ReadFile(tmp_.Sub("lines.csv"));
  at = lines.find("1200091");
  ASSERT_NE(at, std::string::npos) << lines;
  lines[at] = '2';
  WriteFile(tmp_.Sub("lines.csv"), lines);
  CliResult differs = RunCli(offline);
  EXPECT_NE(differs.exit_code, 0) << differs.Describe();
  EXPECT_NE(differs.err.find("differs"), std::string::npos) << differs.Describe();
}

TEST_F(SettlementE2E, BadInputIsRefusedAndNothingIsWritten) {
  Api api = srv_->Client(token_);
  int64_t log = LogSize();
  auto line = [](const std::string& key, Json amount, const std::string& currency,
                 const std::string& period) {
    return Json{{"idempotency_key", key}, {"work", "concert:lumi-starlight-2025"},
                {"amount", amount},       {"currency", currency},
                {"territory", "CN"},      {"channel", "ticketing"},
                {"period", period}};
  };
  HttpReply r =
      api.Post("/v1/revenue",
               {{"lines", {line("a", 100, "CNY", "2025-07"), line("b", 100, "XYZ", "2025-07")}}});
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.json()["field"], "lines[1].currency") << r.Describe();
  r = api.Post("/v1/revenue",
               {{"lines", {line("a", int64_t{9'007'199'254'740'992}, "CNY", "2025-07")}}});
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.json()["field"], "lines[0].amount") << r.Describe();
  r = api.Post("/v1/revenue", {{"lines", {line("a", 100, "CNY", "2025-13")}}});
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.json()["field"], "lines[0].period") << r.Describe();
  // 1,100 lines of 2^53 - 1: each line is valid, their sum is not an exact amount
  // (docs/settlement.md "Money"); nothing reaches the permanent log.
  Json big = Json::array();
  for (int i = 0; i < 1100; ++i)
    big.push_back(
        line("max-" + std::to_string(i), int64_t{9'007'199'254'740'991}, "CNY", "2025-07"));
  r = api.Post("/v1/revenue", {{"lines", big}});
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.json()["field"], "lines") << r.Describe();
  EXPECT_EQ(r.json()["type"], "urn:vtrust:problem:out_of_range") << r.Describe();
  std::string csv = tmp_.Sub("bad.csv");
  WriteFile(csv, std::string(kHeader) + Row("ok-1", 100, "ticketing", "2025-07") +
                     "bad-2,concert:lumi-starlight-2025,12x,CNY,CN,ticketing,2025-07,\n");
  CliResult c = Cli({"revenue", "import", csv});
  EXPECT_NE(c.exit_code, 0) << c.Describe();
  EXPECT_NE(c.err.find("row 2, column amount_minor"), std::string::npos) << c.Describe();
  WriteFile(csv, std::string(kHeader) + Row("ok-1", 100, "ticketing", "2025-07", "EUX"));
  c = Cli({"revenue", "import", csv});
  EXPECT_NE(c.exit_code, 0) << c.Describe();
  EXPECT_NE(c.err.find("row 1, column currency"), std::string::npos) << c.Describe();
  EXPECT_EQ(LogSize(), log);
  // Nothing was imported: the period settles with no lines.
  HttpReply run =
      api.Post("/v1/settlements", {{"agreement_id", kAgreement}, {"period", "2025-07"}});
  ASSERT_EQ(run.status, 201) << run.Describe();
  EXPECT_EQ(run.json()["line_count"], 0);
  EXPECT_EQ(run.json()["net_receipts"], 0);
  HttpReply unknown =
      api.Post("/v1/settlements", {{"agreement_id", "agr_nope"}, {"period", "2025-07"}});
  EXPECT_EQ(unknown.status, 404) << unknown.Describe();
}

// A member and its token, made by the operator.
struct Who {
  std::string id, token;
};

// The parties of an agreement read their own statements through the CLI: a
// voice actor (a member of a talent agency) and a platform named as parties
// list, download (JSON and CSV) and verify theirs, online and offline, and
// cannot download another payee's. Revenue names its agreement in the CSV;
// revenue for an unknown work is refused by row; human output is in yuan.
TEST_F(SettlementE2E, PayeesReadAndVerifyTheirOwnStatements) {
  Api op = srv_->Client(token_);
  auto org = [&](const std::string& name) {
    HttpReply r = op.Post("/v1/orgs", {{"name", name}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json().value("id", "");
  };
  auto member = [&](const std::string& o, const std::string& name) {
    HttpReply m = op.Post("/v1/orgs/" + o + "/members", {{"name", name}, {"role", "member"}});
    EXPECT_EQ(m.status, 201) << m.Describe();
    Who w{m.json().value("id", ""), ""};
    HttpReply t = op.Post("/v1/orgs/" + o + "/tokens", {{"member_id", w.id}, {"name", "t"}});
    EXPECT_EQ(t.status, 201) << t.Describe();
    w.token = t.json().value("token", "");
    return w;
  };
  const std::string agency = org("Starlight Talent"), platform = org("Tianyin Live");
  const Who voice = member(agency, "Chen Yu"), clerk = member(platform, "clerk");
  const std::string studio = op.Get("/v1/whoami").json().value("org_id", "");
  const std::string id = "agr_payees", work = "concert:payees";
  Json terms = {
      {"format", "vtrust-agreement/1"},
      {"id", id},
      {"version", 1},
      {"work", work},
      {"currency", "CNY"},
      {"parties",
       {{{"id", platform}, {"name", "Tianyin Live"}},
        {{"id", studio}, {"name", "Studio"}},
        {{"id", voice.id}, {"name", "Chen Yu"}}}},
      {"tiers",
       {{{"id", "fee"},
         {"kind", "fee"},
         {"payee", platform},
         {"rate", {{"bp", 1200}}},
         {"base", "gross"}},
        {{"id", "profit"},
         {"kind", "shares"},
         {"unit", "bp"},
         {"shares",
          {{{"payee", studio}, {"weight", 4000}}, {{"payee", voice.id}, {"weight", 6000}}}}}}}};
  std::vector<std::string> parties = {platform, studio, voice.id};
  std::sort(parties.begin(), parties.end());
  Json doc = {{"type", "vtrust.agreement_version/1"},
              {"agreement", id},
              {"version", 1},
              {"previous", nullptr},
              {"work", nullptr},
              {"terms", terms},
              {"parties", parties}};
  std::string canonical = *Canonicalize(doc);
  {
    auto db = store::OpenSqlite(dir_ + "/vtrust.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    auto c = (*db)->Connect();
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->Exec("INSERT INTO agreements(id, org_id, title, created_at) VALUES(?,?,?,?)",
                           {id, studio, "payees", "2026-01-01T00:00:00Z"})
                    .ok());
    ASSERT_TRUE(
        (*c)->Exec("INSERT INTO agreement_versions(hash, agreement_id, version, document, "
                   "status, created_at) VALUES(?,?,1,?,'in_force',?)",
                   {HexEncode(crypto::Sha256(canonical)), id, canonical, "2026-01-01T00:00:00Z"})
            .ok());
  }

  // Revenue for an unknown work is refused by row, and nothing is written.
  int64_t log = LogSize();
  std::string bad = tmp_.Sub("unknown.csv");
  WriteFile(bad, std::string(kHeader) + Row("ok-1", 100, "ticketing", "2025-07") +
                     "typo-2,wrk_typo,100,CNY,CN,ticketing,2025-07,\n");
  CliResult refused = Cli({"revenue", "import", bad});
  EXPECT_NE(refused.exit_code, 0) << refused.Describe();
  EXPECT_NE(refused.err.find("row 2, column work"), std::string::npos) << refused.Describe();
  EXPECT_NE(refused.err.find("unknown work 'wrk_typo'"), std::string::npos) << refused.Describe();
  EXPECT_EQ(LogSize(), log);
  // Naming the agreement files a row under its work (the work column may be empty).
  std::string csv = tmp_.Sub("payees.csv");
  WriteFile(csv, std::string("idempotency_key,work,amount_minor,currency,territory,channel,period,"
                             "external_ref,agreement\n") +
                     "p-1,,100000000,CNY,CN,ticketing,2025-07,," + id + "\n" + "p-2," + work +
                     ",23456789,CNY,CN,streaming,2025-07,," + id + "\n" +
                     "p-3,concert:lumi,55,CNY,CN,ticketing,2025-07,,agr_nope\n");
  refused = Cli({"revenue", "import", csv});
  EXPECT_NE(refused.exit_code, 0) << refused.Describe();
  EXPECT_NE(refused.err.find("row 3, column agreement"), std::string::npos) << refused.Describe();
  WriteFile(csv, ReadFile(csv).substr(0, ReadFile(csv).find("p-3")));
  CliResult imp = Cli({"revenue", "import", csv, "--json"});
  ASSERT_EQ(imp.exit_code, 0) << imp.Describe();
  EXPECT_EQ(imp.json()["imported"], 2);

  // Human output: amounts in yuan with separators, tables rather than JSON.
  CliResult run = Cli({"settle", "run", "--agreement", id, "--period", "2025-07"});
  ASSERT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_NE(run.out.find("net receipts 1,234,567.89 CNY"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Chen Yu"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find('{'), std::string::npos) << run.out;
  CliResult list = Cli({"settle", "list", "--agreement", id, "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.Describe();
  ASSERT_EQ(list.json()["runs"].size(), 1u) << list.Describe();
  const std::string run_id = list.json()["runs"][0]["id"];
  EXPECT_EQ(list.json()["runs"][0]["net_receipts"], 123'456'789);  // --json: minor units
  for (std::vector<std::string> args : {std::vector<std::string>{"settle", "show", run_id},
                                        {"settle", "ledger", run_id},
                                        {"settle", "list"},
                                        {"revenue", "list", "--period", "2025-07"}}) {
    CliResult r = Cli(args);
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
    EXPECT_NE(r.out.find("CNY"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find('{'), std::string::npos) << r.out;
  }
  CliResult totals = Cli({"revenue", "list", "--work", work});
  EXPECT_NE(totals.out.find("1,234,567.89 CNY"), std::string::npos) << totals.Describe();

  // The voice actor: what pays me, my statement, its verification.
  auto as = [&](const Who& w, std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", srv_->url(), "--token", w.token});
    return RunCli(args);
  };
  CliResult mine = as(voice, {"settle", "statements", "--json"});
  ASSERT_EQ(mine.exit_code, 0) << mine.Describe();
  ASSERT_EQ(mine.json()["statements"].size(), 1u) << mine.Describe();
  EXPECT_EQ(mine.json()["statements"][0]["run"], run_id);
  EXPECT_NE(as(voice, {"settle", "statements"}).out.find(run_id), std::string::npos);
  std::string vjson = tmp_.Sub("voice.json"), vcsv = tmp_.Sub("voice.csv");
  ASSERT_EQ(as(voice, {"settle", "statement", run_id, voice.id, "--out", vjson}).exit_code, 0);
  CliResult csv_out = as(voice, {"settle", "statement", run_id, voice.id, "--out", vcsv});
  ASSERT_EQ(csv_out.exit_code, 0) << csv_out.Describe();
  EXPECT_EQ(ReadFile(vcsv).rfind("row,agreement_id,", 0), 0u) << ReadFile(vcsv);
  CliResult online = as(voice, {"settle", "verify", "--statement", vjson});
  EXPECT_EQ(online.exit_code, 0) << online.Describe();
  Api va = srv_->Client(voice.token);
  WriteFile(tmp_.Sub("v-version.json"),
            va.Get("/v1/settlements/" + run_id + "/agreement-version").body);
  WriteFile(tmp_.Sub("v-lines.csv"), va.Get("/v1/settlements/" + run_id + "/lines").body);
  WriteFile(tmp_.Sub("v-key.pem"),
            srv_->Client().Get("/v1/statement-key").json()["public_key_pem"].get<std::string>());
  CliResult offline = RunCli({"settle", "verify", "--statement", vjson, "--agreement-version",
                              tmp_.Sub("v-version.json"), "--lines", tmp_.Sub("v-lines.csv"),
                              "--key", tmp_.Sub("v-key.pem")});
  EXPECT_EQ(offline.exit_code, 0) << offline.Describe();
  // Never another payee's statement.
  CliResult other =
      as(voice, {"settle", "statement", run_id, platform, "--out", tmp_.Sub("p.json")});
  EXPECT_NE(other.exit_code, 0) << other.Describe();
  // The platform reads and verifies its own.
  std::string pjson = tmp_.Sub("platform.json");
  ASSERT_EQ(as(clerk, {"settle", "statement", run_id, platform, "--out", pjson}).exit_code, 0);
  CliResult pv = as(clerk, {"settle", "verify", "--statement", pjson});
  EXPECT_EQ(pv.exit_code, 0) << pv.Describe();
}

}  // namespace
}  // namespace vt::testing
