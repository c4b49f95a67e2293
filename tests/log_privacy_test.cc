// The public log carries no business secret and no personal name in clear
// (docs/log-entries.md "What is public, and commitments"), through the real binary:
// a full flow writes every entry type the server writes (organizations, members,
// member and claim-signing certificates, characters, cards, revocations, works and
// their uses, agreements and signatures, a transfer, revenue imports, settlement
// runs and a correction, statements, holds, content signing, a member removed, a
// character retired), then every entry is read through the public route
// /v1/log/entries/N without a token and searched for the known names, e-mail
// addresses and amounts (including totals, net receipts and payees' totals). The
// parties entitled to a committed value get its opening (settle verify, the
// statement route, /v1/log/entries/N/openings) and can recompute the commitment
// with standard tools; another organization cannot.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "base/encoding.h"
#include "c2pa/test_assets.h"
#include "crypto/digest.h"
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

std::string ShOut(const std::string& cmd) {
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  if (f == nullptr) return out;
  char buf[256];
  while (size_t n = fread(buf, 1, sizeof buf, f)) out.append(buf, n);
  pclose(f);
  return out;
}

struct Person {
  std::string name, email, id, org, token, key, cert, serial;
};

// Names of people and e-mail addresses used below (none may appear in the log).
constexpr const char* kTalentOrg = "Wang Fang Studio";  // a talent organization named after her
constexpr const char* kCreator = "Liu Yangming";        // a character's creator, not a member
constexpr const char* kTitle = "Starlight split with Wang Fang";
constexpr const char* kHoldReason = "dispute raised by Wang Fang";
constexpr const char* kRetireReason = "voice actor Wang Fang left";
// Revenue amounts (minor units): distinctive, so that a match is no coincidence.
constexpr int64_t kLineA = 12'345'678, kLineB = 8'765'432, kLineC = 3'141'592;

class LogPrivacyTest : public ::testing::Test {
 public:  // the Flow below (not a test body) calls the helpers
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto init = InitDataDir(dir_->Sub("data"));
    ASSERT_TRUE(init);
    std::string err;
    srv_ = ServerProcess::Start(dir_->Sub("data"), {}, &err).release();
    ASSERT_NE(srv_, nullptr) << err;
    op_token_ = init->token;
  }
  static void TearDownTestSuite() {
    delete srv_;
    delete dir_;
  }

  static Api Op() { return srv_->Client(op_token_); }
  static std::string Org(const std::string& name, const std::string& kind) {
    HttpReply r = Op().Post("/v1/orgs", {{"name", name}, {"kind", kind}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json().value("id", "");
  }
  static Person Member(const std::string& org, const std::string& name, const std::string& role) {
    Person p;
    p.name = name;
    p.org = org;
    std::string local = name;
    for (char& c : local) c = c == ' ' ? '.' : static_cast<char>(std::tolower(c));
    p.email = local + "@example.org";
    HttpReply r = Op().Post("/v1/orgs/" + org + "/members",
                            {{"name", name}, {"role", role}, {"email", p.email}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    p.id = r.json().value("id", "");
    r = Op().Post("/v1/orgs/" + org + "/tokens", {{"member_id", p.id}, {"name", "t"}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    p.token = r.json().value("token", "");
    return p;
  }
  static void IssueCert(Person& p, const std::string& suffix) {
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
  static CliResult Cli(const Person& as, std::vector<std::string> args) {
    args.insert(args.end(), {"--server", srv_->url(), "--token", as.token});
    return RunCli(args);
  }
  static int64_t LogSize() {
    HttpReply r = srv_->Client().Get("/log/checkpoint");
    std::istringstream in(r.body);
    std::string origin, size;
    std::getline(in, origin);
    std::getline(in, size);
    return std::atoll(size.c_str());
  }
  // The public entry N (no token), raw body and parsed entry.
  static std::pair<std::string, Json> Entry(int64_t i) {
    HttpReply r = srv_->Client().Get("/v1/log/entries/" + std::to_string(i));
    EXPECT_EQ(r.status, 200) << r.Describe();
    return {r.body, r.json()["entry"]};
  }

  static inline TempDir* dir_ = nullptr;
  static inline ServerProcess* srv_ = nullptr;
  static inline std::string op_token_;
};

// Writes every entry type; returns what must not be in the log, the run whose
// statements the second test opens, and who is who.
struct Flow {
  std::vector<std::string> secrets;  // names, e-mails, amounts as decimal text
  std::string studio, talent, run, corrected_run, character;
  Person sam, fang, zhao, other;
  int64_t net_receipts = 0;
};

Flow RunEveryEntryType() {
  Flow f;
  f.studio = LogPrivacyTest::Org("Lumi Pictures", "studio");
  f.talent = LogPrivacyTest::Org(kTalentOrg, "talent");
  std::string outsider = LogPrivacyTest::Org("Other Studio", "studio");
  f.sam = LogPrivacyTest::Member(f.studio, "Sam Chen", "admin");
  f.fang = LogPrivacyTest::Member(f.talent, "Wang Fang", "admin");
  f.zhao = LogPrivacyTest::Member(f.studio, "Zhao Lei", "member");
  f.other = LogPrivacyTest::Member(outsider, "Qian Hui", "admin");
  for (const Person* p : {&f.sam, &f.fang, &f.zhao, &f.other}) {
    f.secrets.push_back(p->name);
    f.secrets.push_back(p->email);
  }
  f.secrets.push_back(kTalentOrg);
  f.secrets.push_back(kCreator);
  f.secrets.push_back(kTitle);
  f.secrets.push_back(kHoldReason);
  f.secrets.push_back(kRetireReason);
  // Member certificates (certificate.issued), one revoked (certificate.revoked).
  LogPrivacyTest::IssueCert(f.sam, "");
  LogPrivacyTest::IssueCert(f.fang, "");
  Person spare = f.fang;
  LogPrivacyTest::IssueCert(spare, "-spare");
  HttpReply r = LogPrivacyTest::srv_->Client(f.fang.token)
                    .Post("/v1/cards/" + spare.serial + "/revoke", {{"reason", "keyCompromise"}});
  EXPECT_EQ(r.status / 100, 2) << r.Describe();

  Api sam = LogPrivacyTest::srv_->Client(f.sam.token);
  // A character with its creators (character.registered, .updated), two cards, one
  // revoked (card.issued, card.revoked).
  r = sam.Post("/v1/characters", {{"name", "Aria"},
                                  {"creators", {"Wang Fang", kCreator}},
                                  {"description", "A virtual singer"}});
  EXPECT_EQ(r.status, 201) << r.Describe();
  f.character = r.json().value("id", "");
  r = sam.Send("PATCH", "/v1/characters/" + f.character,
               Json{{"description", "A virtual singer and dancer"}}.dump());
  EXPECT_EQ(r.status, 200) << r.Describe();
  r = sam.Post("/v1/characters/" + f.character + "/cards", Json::object());
  EXPECT_EQ(r.status, 201) << r.Describe();
  r = sam.Post("/v1/characters/" + f.character + "/cards", Json::object());
  EXPECT_EQ(r.status, 201) << r.Describe();
  r = sam.Post("/v1/cards/" + r.json().value("serial", "") + "/revoke",
               {{"reason", "keyCompromise"}});
  EXPECT_EQ(r.status / 100, 2) << r.Describe();

  // Works (work.registered, work.derivation_added), a transfer from Wang Fang to the
  // studio signed by her (work.transfer.proposed, .signed, .effective).
  auto work = [&](int n) {
    char digest[65];
    snprintf(digest, sizeof digest, "%064x", 0xb7000 + n);
    HttpReply w =
        sam.Post("/v1/works", {{"type", "concert"},
                               {"titles", {{"en", "Starlight Live " + std::to_string(n)}}},
                               {"digests", {{"sha256", digest}}},
                               {"rights",
                                {{"copyright",
                                  {{{"party", f.studio}, {"share_bp", 6000}},
                                   {{"party", f.fang.id}, {"share_bp", 4000}}}}}}});
    EXPECT_EQ(w.status, 201) << w.Describe();
    return w.json().value("id", "");
  };
  std::string song = work(1), show = work(2);
  r = sam.Post("/v1/works/" + show + "/uses", {{"used_work_id", song}, {"role", "soundtrack"}});
  EXPECT_EQ(r.status / 100, 2) << r.Describe();
  CliResult c =
      LogPrivacyTest::Cli(f.sam, {"work", "transfer", song, "--right", "copyright", "--from",
                                  f.fang.id, "--to", f.studio, "--share-bp", "1000", "--json"});
  EXPECT_EQ(c.exit_code, 0) << c.Describe();
  c = LogPrivacyTest::Cli(
      f.fang, {"work", "sign-document", song, "--document", c.json().value("hash", ""), "--key",
               f.fang.key, "--cert", f.fang.cert, "--json"});
  EXPECT_EQ(c.exit_code, 0) << c.Describe();

  // An agreement between the studio and Wang Fang, signed by both (agreement.created,
  // .signed, .in_force), then amended (agreement.amended).
  auto terms = [&](int studio_bp) {
    return Json{{"currency", "CNY"},
                {"parties",
                 {{{"id", f.studio}, {"name", "Lumi Pictures"}, {"role", "IP owner"}},
                  {{"id", f.fang.id}, {"name", "Wang Fang"}, {"role", "voice actor"}}}},
                {"tiers",
                 {{{"id", "fee"},
                   {"kind", "fee"},
                   {"label", "platform fee"},
                   {"payee", f.studio},
                   {"rate", {{"bp", 1000}}}},
                  {{"id", "split"},
                   {"kind", "shares"},
                   {"unit", "bp"},
                   {"shares",
                    {{{"payee", f.studio}, {"weight", studio_bp}},
                     {{"payee", f.fang.id}, {"weight", 10000 - studio_bp}}}}}}}};
  };
  r = sam.Post("/v1/agreements", {{"work_id", show}, {"title", kTitle}, {"terms", terms(6000)}});
  EXPECT_EQ(r.status, 201) << r.Describe();
  std::string agreement = r.json().value("id", "");
  std::string v1 = r.json()["versions"][0].value("hash", "");
  for (const Person* p : {&f.sam, &f.fang}) {
    c = LogPrivacyTest::Cli(*p, {"agreement", "sign", agreement, "--version", v1, "--key", p->key,
                                 "--cert", p->cert, "--json"});
    EXPECT_EQ(c.exit_code, 0) << c.Describe();
  }

  // Revenue (revenue.imported), a run (settlement.run, statement.issued), a hold and
  // its release (settlement.hold, .release), more revenue and a correction
  // (ledger.reversal).
  auto line = [&](const std::string& key, int64_t amount) {
    return Json{{"idempotency_key", key}, {"work", show},
                {"amount", amount},       {"currency", "CNY"},
                {"territory", "CN"},      {"channel", "ticketing"},
                {"period", "2026-03"},    {"external_ref", "r-" + key}};
  };
  r = sam.Post("/v1/revenue", {{"lines", {line("a", kLineA), line("b", kLineB)}}});
  EXPECT_EQ(r.status / 100, 2) << r.Describe();
  r = sam.Post("/v1/settlements", {{"agreement_id", agreement}, {"period", "2026-03"}});
  EXPECT_EQ(r.status, 201) << r.Describe();
  f.corrected_run = r.json().value("id", "");
  r = sam.Post("/v1/settlements/" + f.corrected_run + "/holds",
               {{"payee", f.fang.id}, {"reason", kHoldReason}});
  EXPECT_EQ(r.status, 201) << r.Describe();
  f.secrets.push_back(std::to_string(r.json().value("amount", int64_t{0})));
  r = sam.Send("POST", "/v1/settlements/" + f.corrected_run + "/holds/" + f.fang.id + "/release",
               "");
  EXPECT_EQ(r.status, 200) << r.Describe();
  r = sam.Post("/v1/revenue", {{"lines", {line("c", kLineC)}}});
  EXPECT_EQ(r.status / 100, 2) << r.Describe();
  r = sam.Post("/v1/settlements",
               {{"agreement_id", agreement}, {"period", "2026-03"}, {"correction", true}});
  EXPECT_EQ(r.status, 201) << r.Describe();
  f.run = r.json().value("id", "");
  f.net_receipts = r.json().value("net_receipts", int64_t{0});
  for (int64_t a : {kLineA, kLineB, kLineC, kLineA + kLineB, kLineA + kLineB + kLineC})
    f.secrets.push_back(std::to_string(a));
  for (const std::string& run : {f.corrected_run, f.run}) {
    r = sam.Get("/v1/settlements/" + run);
    EXPECT_EQ(r.status, 200) << r.Describe();
    f.secrets.push_back(std::to_string(r.json().value("net_receipts", int64_t{0})));
    for (const std::string& payee : {f.studio, f.fang.id}) {
      HttpReply s = sam.Get("/v1/settlements/" + run + "/statements/" + payee + ".json");
      EXPECT_EQ(s.status, 200) << s.Describe();
      f.secrets.push_back(std::to_string(s.json()["statement"]["total"]["amount"].get<int64_t>()));
    }
  }
  r = sam.Post("/v1/agreements/" + agreement + "/versions", {{"terms", terms(5000)}});
  EXPECT_EQ(r.status, 201) << r.Describe();

  // Content signed for the character (content.signed, and the studio's claim-signing
  // certificate.issued).
  r = sam.Send("POST", "/v1/content/sign?as=" + f.character + "&works=" + show,
               c2pa::testing::TinyPng(), {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(r.status, 200) << r.Describe();

  // A member removed (member.removed), the character retired (character.retired).
  r = LogPrivacyTest::Op().Delete("/v1/orgs/" + f.studio + "/members/" + f.zhao.id);
  EXPECT_EQ(r.status / 100, 2) << r.Describe();
  r = sam.Send("POST",
               "/v1/characters/" + f.character +
                   "/retire?reason=" + std::string("voice%20actor%20Wang%20Fang%20left"),
               "");
  EXPECT_EQ(r.status / 100, 2) << r.Describe();
  return f;
}

// Entry bytes plus the DER of any base64 certificate in it (a member certificate
// names the member and its e-mail address).
std::string SearchableBytes(const std::string& body, const Json& entry) {
  std::string out = body;
  const Json& payload = entry["payload"];
  if (payload.is_object() && payload.value("certificate", Json()).is_string()) {
    auto der = Base64Decode(payload["certificate"].get<std::string>());
    if (der.ok()) out += *der;
  }
  return out;
}

// The flow runs once for the suite (names are unique per server).
const Flow& TheFlow() {
  static const Flow* flow = new Flow(RunEveryEntryType());
  return *flow;
}

TEST_F(LogPrivacyTest, NoPublicEntryHoldsAnAmountANameOrAnEmail) {
  const Flow& f = TheFlow();
  ASSERT_FALSE(HasFailure());
  for (const std::string& s : f.secrets) ASSERT_GE(s.size(), 7u) << "too short to search: " << s;

  std::set<std::string> types;
  int64_t size = LogSize();
  ASSERT_GT(size, 30);
  int committed = 0;
  for (int64_t i = 0; i < size; ++i) {
    auto [body, entry] = Entry(i);
    std::string type = entry.value("type", "");
    types.insert(type);
    std::string bytes = SearchableBytes(body, entry);
    for (const std::string& s : f.secrets)
      EXPECT_EQ(bytes.find(s), std::string::npos)
          << "entry " << i << " (" << type << ") holds '" << s << "' in clear: " << body;
    if (body.find("\"sha256:") != std::string::npos) ++committed;
  }
  // Every entry type the server writes was written (and read above).
  for (const char* want : {"ca.initialized",        "org.registered",
                           "member.added",          "member.removed",
                           "certificate.issued",    "certificate.revoked",
                           "character.registered",  "character.updated",
                           "character.retired",     "card.issued",
                           "card.revoked",          "work.registered",
                           "work.derivation_added", "work.transfer.proposed",
                           "work.transfer.signed",  "work.transfer.effective",
                           "agreement.created",     "agreement.signed",
                           "agreement.in_force",    "agreement.amended",
                           "revenue.imported",      "settlement.run",
                           "statement.issued",      "settlement.hold",
                           "settlement.release",    "ledger.reversal",
                           "content.signed"})
    EXPECT_EQ(types.count(want), 1u) << want << " was not written";
  EXPECT_GT(committed, 20);
}

TEST_F(LogPrivacyTest, EntitledPartiesOpenCommitmentsOthersCannot) {
  const Flow& f = TheFlow();
  ASSERT_FALSE(HasFailure());
  Api sam = srv_->Client(f.sam.token);
  Api other = srv_->Client(f.other.token);

  // The studio downloads Wang Fang's statement: it carries the openings of the
  // logged total and net receipts; settle verify checks them against the public log.
  std::string path = "/v1/settlements/" + f.run + "/statements/" + f.fang.id + ".json";
  HttpReply st = sam.Get(path);
  ASSERT_EQ(st.status, 200) << st.Describe();
  Json env = st.json();
  ASSERT_TRUE(env["log_openings"].is_array()) << env.dump();
  ASSERT_EQ(env["log_openings"].size(), 2u) << env.dump();
  int64_t total = env["statement"]["total"]["amount"].get<int64_t>();
  auto [body, entry] = Entry(env["log_index"].get<int64_t>());
  ASSERT_EQ(entry["type"], "statement.issued");
  ASSERT_EQ(entry["v"], 2);
  const std::string commitment = entry["payload"]["total"].get<std::string>();
  EXPECT_EQ(body.find(std::to_string(total)), std::string::npos);
  Json opening;
  for (const Json& o : env["log_openings"])
    if (o["field"] == "/payload/total") opening = o;
  ASSERT_TRUE(opening.is_object()) << env.dump();
  EXPECT_EQ(opening["commitment"], commitment);
  EXPECT_EQ(opening["value"], total);
  // Recomputed here: "sha256:" hex(SHA-256(salt ‖ JCS(value))).
  std::string salt = HexDecode(opening["salt"].get<std::string>()).value();
  ASSERT_EQ(salt.size(), 32u);
  EXPECT_EQ("sha256:" + HexEncode(crypto::Sha256(salt + std::to_string(total))), commitment);
  // ...and with the shell one-liner of docs/log-entries.md.
  std::string line =
      ShOut("{ printf '%s' " + opening["salt"].get<std::string>() + " | xxd -r -p; printf '%s' " +
            std::to_string(total) + "; } | sha256sum");
  EXPECT_EQ("sha256:" + line.substr(0, 64), commitment) << line;
  // A wrong value does not open it.
  EXPECT_NE("sha256:" + HexEncode(crypto::Sha256(salt + std::to_string(total + 1))), commitment);

  std::string file = dir_->Sub("fang-statement.json");
  Spit(file, st.body);
  CliResult v = Cli(f.sam, {"settle", "verify", "--statement", file, "--json"});
  ASSERT_EQ(v.exit_code, 0) << v.Describe();
  EXPECT_EQ(v.json()["log"]["total"], "opened") << v.Describe();
  EXPECT_EQ(v.json()["log"]["net_receipts"], "opened") << v.Describe();
  // A forged opening (another value, the signed statement intact) is refused.
  Json forged = env;
  for (Json& o : forged["log_openings"])
    if (o["field"] == "/payload/total") o["value"] = total + 100;
  Spit(file, forged.dump());
  v = Cli(f.sam, {"settle", "verify", "--statement", file});
  EXPECT_NE(v.exit_code, 0) << v.Describe();

  // The run's net receipts: the studio opens them through the generic route ...
  HttpReply run = sam.Get("/v1/settlements/" + f.run);
  ASSERT_EQ(run.status, 200) << run.Describe();
  int64_t run_index = -1;
  for (const Json& o : env["log_openings"])
    if (o["field"] == "/payload/net_receipts") run_index = o["index"].get<int64_t>();
  ASSERT_GE(run_index, 0);
  std::string openings = "/v1/log/entries/" + std::to_string(run_index) + "/openings";
  HttpReply mine = sam.Get(openings);
  ASSERT_EQ(mine.status, 200) << mine.Describe();
  EXPECT_EQ(mine.json()["type"], "settlement.run");
  ASSERT_EQ(mine.json()["openings"].size(), 1u);
  EXPECT_EQ(mine.json()["openings"][0]["value"], f.net_receipts);
  EXPECT_EQ(mine.json()["openings"][0]["value"], run.json()["net_receipts"]);
  // ... another organization gets nothing: not the opening, not the statement.
  HttpReply theirs = other.Get(openings);
  EXPECT_EQ(theirs.status, 404) << theirs.Describe();
  EXPECT_EQ(theirs.body.find(std::to_string(f.net_receipts)), std::string::npos);
  HttpReply stolen = other.Get(path);
  EXPECT_EQ(stolen.status, 404) << stolen.Describe();
  EXPECT_EQ(stolen.body.find("salt"), std::string::npos);
  EXPECT_EQ(srv_->Client().Get(openings).status, 401);

  // The payee opens its own statement total (it is the party of that opening) but
  // not the studio's run.
  Api fang = srv_->Client(f.fang.token);
  HttpReply own =
      fang.Get("/v1/log/entries/" + std::to_string(env["log_index"].get<int64_t>()) + "/openings");
  ASSERT_EQ(own.status, 200) << own.Describe();
  EXPECT_EQ(own.json()["openings"][0]["value"], total);
  EXPECT_EQ(fang.Get(openings).status, 404);

  // Member names: the studio opens its members' names, the other organization cannot.
  for (int64_t i = 0; i < LogSize(); ++i) {
    auto [b, e] = Entry(i);
    if (e["type"] != "member.added" || e["subject"]["member"] != f.sam.id) continue;
    HttpReply n = sam.Get("/v1/log/entries/" + std::to_string(i) + "/openings");
    ASSERT_EQ(n.status, 200) << n.Describe();
    EXPECT_EQ(n.json()["openings"][0]["value"], f.sam.name);
    EXPECT_EQ(n.json()["openings"][0]["field"], "/payload/name");
    EXPECT_EQ(other.Get("/v1/log/entries/" + std::to_string(i) + "/openings").status, 404);
  }
}

}  // namespace
}  // namespace vt::testing
