// Authorization of every route (docs/api.md): reads the route table from /openapi.json
// and, for EVERY mutating operation, checks that the server refuses
//   - a request without a token (401 problem document),
//   - a token of another organization (403 or 404),
//   - every role below the operation's "x-vtrust-min-role" (403),
// and that no refused request changed anything. A mutating operation that this
// file does not know how to call makes the test fail, so a new route cannot be
// added without being covered here.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "c2pa/test_assets.h"
#include "store/sql.h"
#include "tests/harness.h"

namespace vt::testing {
namespace {

struct Principal {
  std::string label;
  std::string token;
  int rank;  // 0 auditor, 1 member, 2 admin, 3 operator admin
};

int RankOf(const std::string& min_role) {
  if (min_role == "auditor") return 0;
  if (min_role == "member") return 1;
  if (min_role == "admin") return 2;
  if (min_role == "operator-admin") return 3;
  return -1;
}

// The fixture's world: the operator, organization A (admin, member, auditor and a
// "victim" member with a token for the DELETE routes) and organization B (admin).
struct World {
  std::string op_token;
  std::string a, b;
  std::map<std::string, std::string> a_tokens;  // by role
  std::string b_admin_token;
  std::vector<std::string> victims;        // members of A that a request may remove
  std::vector<std::string> victim_tokens;  // token ids in A that a request may revoke
  int counter = 0;
  std::string character, character_to_retire;  // characters of A (registry IDs)
  ServerProcess* srv = nullptr;
  std::string data_dir;  // the server's data directory (settlement entries write rows)

  // Settlement (docs/settlement.md): an agreement of A in force, written as rows of
  // migration 6 (signing is the agreements suite's subject); with `lines`, revenue
  // for it imported and period 2025-07 settled, returning the run id instead.
  // `x` and `y` are the two payees (party ids); the version's document names
  // them as its parties.
  std::string SettlementInA(bool settled, const std::string& x = "x", const std::string& y = "y") {
    std::string id = "agr_authz_" + std::to_string(++counter);
    std::string terms =
        R"({"format":"vtrust-agreement/1","id":")" + id + R"(","version":1,"work":"work-)" + id +
        R"(","currency":"CNY","parties":[{"id":")" + x + R"(","name":"X"},{"id":")" + y +
        R"(","name":"Y"}],"tiers":[{"id":"s","kind":"shares","unit":"bp","shares":[)"
        R"({"payee":")" +
        x + R"(","weight":5000},{"payee":")" + y + R"(","weight":5000}]}]})";
    std::string doc = R"({"agreement":")" + id + R"(","parties":[")" + std::min(x, y) + R"(",")" +
                      std::max(x, y) + R"("],"terms":)" + terms + "}";
    auto db = store::OpenSqlite(data_dir + "/vtrust.db");
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    auto c = (*db)->Connect();
    EXPECT_TRUE(c.ok());
    EXPECT_TRUE((*c)->Exec("INSERT INTO agreements(id, org_id, title, created_at) VALUES(?,?,?,?)",
                           {id, a, "authz", "2026-01-01T00:00:00Z"})
                    .ok());
    EXPECT_TRUE((*c)->Exec("INSERT INTO agreement_versions(hash, agreement_id, version, document, "
                           "status, created_at) VALUES(?,?,1,?,'in_force',?)",
                           {"hash-" + id, id, doc, "2026-01-01T00:00:00Z"})
                    .ok());
    if (!settled) return id;
    HttpReply r = srv->Client(a_tokens["admin"])
                      .Post("/v1/revenue", {{"lines",
                                             {{{"idempotency_key", "k-" + id},
                                               {"work", "work-" + id},
                                               {"amount", 1001},
                                               {"currency", "CNY"},
                                               {"territory", "CN"},
                                               {"channel", "ticketing"},
                                               {"period", "2025-07"}}}}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    last_agreement = id;
    return CreateInA("/v1/settlements", {{"agreement_id", id}, {"period", "2025-07"}});
  }
  std::string last_agreement;  // of the last settled SettlementInA

  // Creates an object in A as A's admin (for routes that act on an existing one)
  // and returns its "id".
  std::string CreateInA(const std::string& path, const Json& body) {
    HttpReply r = srv->Client(a_tokens["admin"]).Post(path, body);
    EXPECT_EQ(r.status / 100, 2) << path << ": " << r.Describe();
    return r.json().value("id", "");
  }
  // A fresh custodial P-256 card of A's character, issued by A's admin; its serial.
  std::string IssueCardInA() {
    HttpReply r = srv->Client(a_tokens["admin"])
                      .Post("/v1/characters/" + character + "/cards", {{"alg", "p256"}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json().value("serial", "");
  }
  // A song of A with a digest of its own (works are unique by digest).
  Json Song() {
    char digest[65];
    snprintf(digest, sizeof digest, "%064x", ++counter);
    return {{"type", "song"},
            {"titles", {{"en", "Song " + std::to_string(counter)}}},
            {"digests", {{"sha256", digest}}},
            {"rights", {{"copyright", {{{"party", a}, {"share_bp", 10000}}}}}}};
  }
};

// How to build a valid request for one operation: path parameters and a body.
struct Call {
  // Path parameters; "?": a query string to append; "<raw>": a raw body sent
  // instead of `body` (media for /v1/content).
  std::map<std::string, std::string> params;
  Json body;  // null: no body
};
struct Covered {
  template <typename F>
  Covered(F f, bool cross = true) : build(std::move(f)), cross_org(cross) {}  // NOLINT
  std::function<Call(World&)> build;
  // False for operations that only ever act on the caller's own organization and
  // name no other organization's object: the "other organization" check then has
  // nothing to refuse (the table says why).
  bool cross_org = true;
};

// Agreements and rights documents (docs/agreements.md): A's member is the party
// and signs with a P-256 key made by the openssl command line and a member
// certificate vtrust issued for it; the signature is over the canonical bytes.
std::string AuthzSlurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
// {certificate PEM, base64 signature} of A's member over the document at `doc_path`.
Json AuthzSignature(World& w, const std::string& doc_path) {
  static TempDir dir;
  std::string base = dir.Sub("k" + std::to_string(++w.counter));
  Json me = w.srv->Client(w.a_tokens["member"]).Get("/v1/whoami").json();
  std::string sh = "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + base +
                   ".key && openssl req -new -key " + base + ".key -subj /CN=m -out " + base +
                   ".csr >/dev/null 2>&1";
  EXPECT_EQ(std::system(sh.c_str()), 0);
  HttpReply c =
      w.srv->Client(w.a_tokens["member"])
          .Post("/v1/orgs/" + w.a + "/members/" + me.value("member_id", "") + "/certificates",
                {{"alg", "p256"}, {"csr", AuthzSlurp(base + ".csr")}});
  EXPECT_EQ(c.status, 201) << c.Describe();
  HttpReply d = w.srv->Client(w.a_tokens["admin"]).Get(doc_path + "?format=canonical");
  EXPECT_EQ(d.status, 200) << d.Describe();
  std::ofstream(base + ".doc", std::ios::binary) << d.body;
  sh = "openssl dgst -sha256 -sign " + base + ".key -out " + base + ".sig " + base +
       ".doc && openssl base64 -A -in " + base + ".sig -out " + base + ".b64";
  EXPECT_EQ(std::system(sh.c_str()), 0);
  return {{"certificate", c.json().value("certificate", "")},
          {"signature", AuthzSlurp(base + ".b64")}};
}
// Holder signing (docs/c2pa.md): a new character of A with a card issued from
// a CSR (the holder's key stays in `*key`); its registry ID.
std::string AuthzHolderCharacter(World& w, std::string* key) {
  static TempDir dir;
  std::string base = dir.Sub("h" + std::to_string(++w.counter));
  HttpReply ch = w.srv->Client(w.a_tokens["admin"])
                     .Post("/v1/characters", {{"name", "holder-" + std::to_string(w.counter)}});
  EXPECT_EQ(ch.status, 201) << ch.Describe();
  std::string id = ch.json().value("id", "");
  std::string sh = "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + base +
                   ".key && openssl req -new -key " + base + ".key -subj /CN=h -out " + base +
                   ".csr >/dev/null 2>&1";
  EXPECT_EQ(std::system(sh.c_str()), 0);
  HttpReply card = w.srv->Client(w.a_tokens["admin"])
                       .Post("/v1/characters/" + id + "/cards",
                             {{"alg", "p256"}, {"csr", AuthzSlurp(base + ".csr")}});
  EXPECT_EQ(card.status, 201) << card.Describe();
  *key = base + ".key";
  return id;
}
// Prepares holder signing of a JPEG for a holder character and signs the
// prepared bytes with the holder's key: the query of the finish step.
std::string AuthzHolderFinishQuery(World& w) {
  std::string key;
  std::string id = AuthzHolderCharacter(w, &key);
  HttpReply prep =
      w.srv->Client(w.a_tokens["member"])
          .Send("POST", "/v1/content/holder/prepare?as=" + id, c2pa::testing::TinyJpeg(),
                {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(prep.status, 200) << prep.Describe();
  std::string tbs = key + ".tbs";
  std::ofstream(tbs + ".b64") << prep.json().value("to_be_signed", "");
  std::string sh = "openssl base64 -d -A -in " + tbs + ".b64 -out " + tbs +
                   " && openssl dgst -sha256 -sign " + key + " -out " + tbs + ".sig " + tbs +
                   " && openssl base64 -A -in " + tbs + ".sig -out " + tbs + ".sig.b64";
  EXPECT_EQ(std::system(sh.c_str()), 0);
  std::string sig = AuthzSlurp(tbs + ".sig.b64");
  for (char& c : sig) c = c == '+' ? '-' : c == '/' ? '_' : c;  // base64url
  while (!sig.empty() && (sig.back() == '=' || sig.back() == '\n')) sig.pop_back();
  return "as=" + id + "&log_index=" + std::to_string(prep.json().value("log_index", -1)) +
         "&signature=" + sig;
}
// A work of A whose copyright A's member holds in full.
std::string AuthzMemberWork(World& w) {
  Json me = w.srv->Client(w.a_tokens["member"]).Get("/v1/whoami").json();
  Json song = w.Song();
  song["rights"] = {{"copyright", {{{"party", me.value("member_id", "")}, {"share_bp", 10000}}}}};
  return w.CreateInA("/v1/works", song);
}
// Terms paying everything to A's member.
Json AuthzTerms(World& w) {
  Json me = w.srv->Client(w.a_tokens["member"]).Get("/v1/whoami").json();
  std::string m = me.value("member_id", "");
  return {{"currency", "CNY"},
          {"parties", {{{"id", m}, {"name", "member"}}}},
          {"tiers",
           {{{"id", "all"},
             {"kind", "shares"},
             {"unit", "bp"},
             {"shares", {{{"payee", m}, {"weight", 10000}}}}}}}};
}

// Every mutating operation of the API. Add an entry when you add a route.
const std::map<std::string, Covered>& CoveredOperations() {
  static const auto* table = new std::map<std::string, Covered>{
      {"createOrg",
       [](World& w) {
         return Call{{}, {{"name", "authz-org-" + std::to_string(++w.counter)}}};
       }},
      {"addMember",
       [](World& w) {
         return Call{{{"org", w.a}},
                     {{"name", "authz-member-" + std::to_string(++w.counter)}, {"role", "admin"}}};
       }},
      {"removeMember",
       [](World& w) {
         return Call{{{"org", w.a}, {"member", w.victims.back()}}, nullptr};
       }},
      // Tokens: the least role allowed (member) acts on its own tokens; the role
      // matrix (RoleMatrixOfDocsApiMd) covers tokens of other members.
      {"createToken",
       [](World& w) {
         Json me = w.srv->Client(w.a_tokens["member"]).Get("/v1/whoami").json();
         return Call{{{"org", w.a}},
                     {{"member_id", me.value("member_id", "")},
                      {"name", "authz-token-" + std::to_string(++w.counter)}}};
       }},
      {"revokeToken",
       [](World& w) {
         Json me = w.srv->Client(w.a_tokens["member"]).Get("/v1/whoami").json();
         HttpReply t = w.srv->Client(w.op_token)
                           .Post("/v1/orgs/" + w.a + "/tokens",
                                 {{"member_id", me.value("member_id", "")}, {"name", "spare"}});
         EXPECT_EQ(t.status, 201) << t.Describe();
         return Call{{{"org", w.a}, {"token", t.json().value("id", "")}}, nullptr};
       }},
      {"registerCharacter",
       [](World& w) {
         return Call{{},
                     {{"name", "authz-char-" + std::to_string(++w.counter)}, {"owner_org", w.a}}};
       }},
      {"updateCharacter",
       [](World& w) {
         return Call{{{"id", w.character}}, {{"description", "changed"}}};
       }},
      {"retireCharacter",
       [](World& w) {
         return Call{{{"id", w.character_to_retire}}, nullptr};
       }},
      // Works (docs/works.md): registered for the caller's own organization.
      {"registerWork",
       {[](World& w) {
          return Call{{}, w.Song()};
        },
        /*cross_org=*/false}},
      {"addWorkUse",
       [](World& w) {
         std::string used = w.CreateInA("/v1/works", w.Song());
         std::string user = w.CreateInA("/v1/works", w.Song());
         return Call{{{"work", user}}, {{"used_work_id", used}, {"role", "song"}}};
       }},
      // Settlement (docs/settlement.md). Revenue is imported for the caller's own
      // organization: no other organization's object is named.
      {"importRevenue",
       {[](World& w) {
          std::string k = "authz-line-" + std::to_string(++w.counter);
          return Call{{},
                      {{"lines",
                        {{{"idempotency_key", k},
                          {"work", "work-" + w.SettlementInA(false)},
                          {"amount", 100},
                          {"currency", "CNY"},
                          {"territory", "CN"},
                          {"channel", "ticketing"},
                          {"period", "2025-07"}}}}}};
        },
        /*cross_org=*/false}},
      {"runSettlement",
       [](World& w) {
         return Call{{}, {{"agreement_id", w.SettlementInA(false)}, {"period", "2025-07"}}};
       }},
      {"holdShare",
       [](World& w) {
         return Call{{{"run", w.SettlementInA(true)}}, {{"payee", "x"}, {"reason", "dispute"}}};
       }},
      {"releaseShare",
       [](World& w) {
         std::string run = w.SettlementInA(true);
         HttpReply h = w.srv->Client(w.a_tokens["admin"])
                           .Post("/v1/settlements/" + run + "/holds",
                                 {{"payee", "x"}, {"reason", "dispute"}});
         EXPECT_EQ(h.status, 201) << h.Describe();
         return Call{{{"run", run}, {"payee", "x"}}, nullptr};
       }},
      {"createAgreement",
       [](World& w) {
         return Call{{},
                     {{"work_id", w.CreateInA("/v1/works", w.Song())}, {"terms", AuthzTerms(w)}}};
       }},
      {"amendAgreement",
       [](World& w) {
         std::string id = w.CreateInA(
             "/v1/agreements",
             {{"work_id", w.CreateInA("/v1/works", w.Song())}, {"terms", AuthzTerms(w)}});
         return Call{{{"agreement", id}}, {{"terms", AuthzTerms(w)}}};
       }},
      {"signAgreementVersion",
       [](World& w) {
         HttpReply r = w.srv->Client(w.a_tokens["admin"])
                           .Post("/v1/agreements", {{"work_id", w.CreateInA("/v1/works", w.Song())},
                                                    {"terms", AuthzTerms(w)}});
         std::string id = r.json().value("id", "");
         std::string hash = r.json()["versions"][0].value("hash", "");
         return Call{{{"agreement", id}, {"version", hash}},
                     AuthzSignature(w, "/v1/agreements/" + id + "/versions/" + hash)};
       }},
      {"proposeWorkTransfer",
       [](World& w) {
         Json me = w.srv->Client(w.a_tokens["member"]).Get("/v1/whoami").json();
         return Call{{{"work", w.CreateInA("/v1/works", w.Song())}},
                     {{"right", "copyright"},
                      {"from", w.a},
                      {"to", me.value("member_id", "")},
                      {"share_bp", 100}}};
       }},
      {"proposeWorkLicence",
       [](World& w) {
         return Call{{{"work", w.CreateInA("/v1/works", w.Song())}},
                     {{"right", "copyright"},
                      {"licensee", w.a},
                      {"scope", {{"period", {{"from", "2026-01-01"}, {"to", "2026-12-31"}}}}}}};
       }},
      {"signWorkDocument",
       [](World& w) {
         std::string work = AuthzMemberWork(w);
         HttpReply r = w.srv->Client(w.a_tokens["admin"])
                           .Post("/v1/works/" + work + "/transfers",
                                 {{"right", "copyright"},
                                  {"from", AuthzTerms(w)["parties"][0]["id"]},
                                  {"to", w.a},
                                  {"share_bp", 100}});
         std::string hash = r.json().value("hash", "");
         return Call{{{"work", work}, {"hash", hash}},
                     AuthzSignature(w, "/v1/works/" + work + "/documents/" + hash)};
       }},
      // ID cards (docs/api.md "ID cards"): custodial P-256 keys, on A's character.
      {"issueCard",
       [](World& w) {
         return Call{{{"id", w.character}}, {{"alg", "p256"}}};
       }},
      {"renewCard",
       [](World& w) {
         return Call{{{"serial", w.IssueCardInA()}}, Json::object()};
       }},
      {"revokeCard",
       [](World& w) {
         return Call{{{"serial", w.IssueCardInA()}}, {{"reason", "keyCompromise"}}};
       }},
      // A member certificate for A's member itself (the least role allowed: a
      // member may request its own; auditors and other members may not).
      // Content credentials (docs/c2pa.md): a JPEG signed for A's character.
      {"signContent",
       [](World& w) {
         return Call{{{"?", "as=" + w.character}, {"<raw>", c2pa::testing::TinyJpeg()}}, nullptr};
       }},
      {"prepareHolderSigning",
       [](World& w) {
         std::string key;
         std::string id = AuthzHolderCharacter(w, &key);
         return Call{{{"?", "as=" + id}, {"<raw>", c2pa::testing::TinyJpeg()}}, nullptr};
       }},
      {"finishHolderSigning",
       [](World& w) {
         return Call{{{"?", AuthzHolderFinishQuery(w)}, {"<raw>", c2pa::testing::TinyJpeg()}},
                     nullptr};
       }},
      {"issueMemberCertificate",
       [](World& w) {
         Json me = w.srv->Client(w.a_tokens["member"]).Get("/v1/whoami").json();
         return Call{{{"org", w.a}, {"member", me.value("member_id", "")}}, {{"alg", "p256"}}};
       }},
  };
  return *table;
}

// The ONLY mutating operations that are public by design (no token): the "I am
// me" challenge and its verification (docs/i-am-me.md). A verifier and a holder
// need no vtrust account; both routes write nothing to the database (stateless
// challenges, in-memory replay set). The test checks that they are indeed
// unauthenticated in /openapi.json and change no stored state, and skips the
// token and role checks for them only.
const std::set<std::string>& PublicMutatingOperations() {
  static const auto* ops = new std::set<std::string>{"createChallenge", "verifyChallenge"};
  return *ops;
}

class AuthzTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = tmp_.Sub("data");
    auto init = InitDataDir(dir);
    ASSERT_TRUE(init);
    std::string error;
    srv_ = ServerProcess::Start(dir, {}, &error);
    ASSERT_TRUE(srv_) << error;
    w_.op_token = init->token;
    w_.srv = srv_.get();
    w_.data_dir = dir;
    ASSERT_NO_FATAL_FAILURE(w_.a = CreateOrg("Org A"));
    ASSERT_NO_FATAL_FAILURE(w_.b = CreateOrg("Org B"));
    for (std::string role : {"admin", "member", "auditor"}) {
      std::string id;
      ASSERT_NO_FATAL_FAILURE(id = AddMember(w_.a, "a-" + role, role));
      ASSERT_NO_FATAL_FAILURE(w_.a_tokens[role] = CreateToken(w_.a, id, nullptr));
    }
    std::string b_admin;
    ASSERT_NO_FATAL_FAILURE(b_admin = AddMember(w_.b, "b-admin", "admin"));
    ASSERT_NO_FATAL_FAILURE(w_.b_admin_token = CreateToken(w_.b, b_admin, nullptr));
    ASSERT_NO_FATAL_FAILURE(AddVictim());
    ASSERT_NO_FATAL_FAILURE(w_.character = AddCharacter());
    ASSERT_NO_FATAL_FAILURE(w_.character_to_retire = AddCharacter());
  }
  // A character of A, registered by A's admin.
  std::string AddCharacter() {
    HttpReply r = srv_->Client(w_.a_tokens["admin"])
                      .Post("/v1/characters", {{"name", "c-" + std::to_string(++w_.counter)}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json().value("id", "");
  }

  std::string CreateOrg(const std::string& name) {
    HttpReply r = srv_->Client(w_.op_token).Post("/v1/orgs", {{"name", name}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json().value("id", "");
  }
  std::string AddMember(const std::string& org, const std::string& name, const std::string& role) {
    HttpReply r = srv_->Client(w_.op_token)
                      .Post("/v1/orgs/" + org + "/members", {{"name", name}, {"role", role}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json().value("id", "");
  }
  // Returns the secret; stores the token id in *id if given.
  std::string CreateToken(const std::string& org, const std::string& member, std::string* id) {
    HttpReply r = srv_->Client(w_.op_token)
                      .Post("/v1/orgs/" + org + "/tokens", {{"member_id", member}, {"name", "t"}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    if (id) *id = r.json().value("id", "");
    return r.json().value("token", "");
  }
  // A fresh member of A with a token: the target of removeMember / revokeToken.
  void AddVictim() {
    std::string m = AddMember(w_.a, "victim-" + std::to_string(++w_.counter), "member");
    std::string tok_id;
    CreateToken(w_.a, m, &tok_id);
    w_.victims.push_back(m);
    w_.victim_tokens.push_back(tok_id);
  }

  // Everything a refused request could have changed, as the operator sees it.
  std::string Snapshot() {
    Api op = srv_->Client(w_.op_token);
    HttpReply orgs = op.Get("/v1/orgs");
    EXPECT_EQ(orgs.status, 200) << orgs.Describe();
    std::string out = orgs.body;
    Json list = orgs.json();
    for (const auto& o : list["orgs"]) {
      std::string id = o["id"].get<std::string>();
      out += "\n" + op.Get("/v1/orgs/" + id + "/members").body;
      out += "\n" + op.Get("/v1/orgs/" + id + "/tokens").body;
    }
    // The registries of later issues.
    for (std::string path : {"/v1/works", "/v1/characters"}) out += "\n" + op.Get(path).body;
    return out;
  }

  TempDir tmp_;
  std::unique_ptr<ServerProcess> srv_;
  World w_;
};

struct Operation {
  std::string method, path, id, min_role;
  bool authenticated = true;
  bool safe = false;  // "x-vtrust-safe": a POST that reads only (OCSP, RFC 6960 App. A)
};

std::vector<Operation> ReadOperations(const Json& doc) {
  std::vector<Operation> ops;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      Operation o;
      o.method = method;
      for (auto& c : o.method) c = static_cast<char>(toupper(c));
      o.path = path;
      o.id = op.value("operationId", "");
      o.min_role = op.value("x-vtrust-min-role", "");
      o.authenticated = op.contains("security") && !op["security"].empty();
      o.safe = op.value("x-vtrust-safe", false);
      ops.push_back(o);
    }
  }
  return ops;
}

// A route declared safe is not mutating, but EveryMutatingRouteRefusesWhatItMust
// checks that it is public and that calling it changes nothing.
bool Mutating(const Operation& o) { return o.method != "GET" && o.method != "HEAD" && !o.safe; }

// The path template with its parameters filled in; empty if one is missing.
std::string Expand(const std::string& tpl, const std::map<std::string, std::string>& params) {
  std::string out;
  std::regex param(R"(\{([^}]+)\})");
  auto begin = std::sregex_iterator(tpl.begin(), tpl.end(), param);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += tpl.substr(last, it->position() - last);
    auto p = params.find((*it)[1].str());
    if (p == params.end()) return "";
    out += p->second;
    last = it->position() + it->length();
  }
  return out + tpl.substr(last);
}

std::string Raw(const Call& call) {
  auto raw = call.params.find("<raw>");
  return raw == call.params.end() ? "" : raw->second;
}

HttpReply Send(ServerProcess& srv, const std::string& token, const Operation& op,
               const std::string& path, const Json& body, const std::string& raw = "") {
  Api api = srv.Client(token);
  if (!raw.empty())  // raw-body routes take the bytes as application/octet-stream
    return api.Send(op.method, path, raw, {{"Content-Type", "application/octet-stream"}});
  return api.Send(op.method, path, body.is_null() ? "" : body.dump());
}

TEST_F(AuthzTest, EveryMutatingRouteRefusesWhatItMust) {
  HttpReply r = srv_->Client().Get("/openapi.json");
  ASSERT_EQ(r.status, 200) << r.Describe();
  std::vector<Operation> ops = ReadOperations(r.json());
  ASSERT_FALSE(ops.empty());
  const auto& table = CoveredOperations();
  std::vector<Principal> a_roles = {{"A auditor", w_.a_tokens["auditor"], 0},
                                    {"A member", w_.a_tokens["member"], 1},
                                    {"A admin", w_.a_tokens["admin"], 2}};
  int checked = 0;
  for (const Operation& op : ops) {
    if (op.safe && op.method != "GET") {
      SCOPED_TRACE(op.id + " (safe " + op.method + " " + op.path + ")");
      EXPECT_FALSE(op.authenticated) << "only public routes may be declared safe";
      std::string before = Snapshot();
      std::string path = std::regex_replace(op.path, std::regex(R"(\{[^}]+\})"), "p256");
      HttpReply got = Send(*srv_, w_.a_tokens["admin"], op, path, {{"x", 1}});
      EXPECT_LT(got.status, 500) << got.Describe();
      EXPECT_EQ(Snapshot(), before) << "a route declared safe changed the stored state";
    }
    if (!Mutating(op)) continue;
    SCOPED_TRACE(op.id + " (" + op.method + " " + op.path + ")");
    if (PublicMutatingOperations().count(op.id)) {
      EXPECT_FALSE(op.authenticated) << "listed as public but requires a token";
      std::string before = Snapshot();
      std::string path = std::regex_replace(op.path, std::regex(R"(\{id\})"), w_.character);
      Send(*srv_, "", op, path, Json{{"audience", "authz"}});
      EXPECT_EQ(Snapshot(), before) << "a public route changed the stored state";
      continue;
    }
    auto builder = table.find(op.id);
    if (builder == table.end()) {
      ADD_FAILURE() << "route " << op.id << " (" << op.method << " " << op.path
                    << ") is not covered by the authorization test (tests/authz_test.cc)";
      continue;
    }
    int min_rank = RankOf(op.min_role);
    EXPECT_GE(min_rank, 0) << "x-vtrust-min-role '" << op.min_role << "' is not a known role";
    EXPECT_TRUE(op.authenticated) << "mutating route without bearer security";
    Call call = builder->second.build(w_);
    std::string path = Expand(op.path, call.params);
    ASSERT_FALSE(path.empty()) << "the table gives no value for a parameter of " << op.path;
    if (call.params.count("?")) path += "?" + call.params.at("?");
    std::string before = Snapshot();

    // 1. No token.
    HttpReply got = Send(*srv_, "", op, path, call.body, Raw(call));
    EXPECT_EQ(got.status, 401) << "no token: " << got.Describe();
    EXPECT_TRUE(got.IsProblem()) << "no token: " << got.Describe();
    // 2. An admin of another organization.
    if (builder->second.cross_org) {
      got = Send(*srv_, w_.b_admin_token, op, path, call.body, Raw(call));
      EXPECT_TRUE(got.status == 403 || got.status == 404) << "B admin: " << got.Describe();
      EXPECT_TRUE(got.IsProblem()) << "B admin: " << got.Describe();
    }
    // 3. Every role of A below the minimum.
    for (const auto& p : a_roles) {
      if (p.rank >= min_rank) continue;
      got = Send(*srv_, p.token, op, path, call.body, Raw(call));
      EXPECT_EQ(got.status, 403) << p.label << ": " << got.Describe();
      EXPECT_TRUE(got.IsProblem()) << p.label << ": " << got.Describe();
    }
    EXPECT_EQ(Snapshot(), before) << "a refused request changed the stored state";

    // Control: the same request from the least principal allowed succeeds, so the
    // refusals above were about authority, not about a malformed request.
    std::string allowed = w_.op_token;
    for (const auto& p : a_roles)
      if (p.rank >= min_rank) {
        allowed = p.token;
        break;
      }
    got = Send(*srv_, allowed, op, path, call.body, Raw(call));
    EXPECT_GE(got.status, 200) << "allowed principal: " << got.Describe();
    EXPECT_LT(got.status, 300) << "allowed principal: " << got.Describe();
    ASSERT_NO_FATAL_FAILURE(AddVictim());
    ++checked;
  }
  EXPECT_GE(checked, 5) << "fewer mutating routes than the API has always had";
}

// Every authenticated route (reads too) refuses a missing or malformed token.
TEST_F(AuthzTest, EveryAuthenticatedRouteNeedsAToken) {
  HttpReply r = srv_->Client().Get("/openapi.json");
  ASSERT_EQ(r.status, 200) << r.Describe();
  std::map<std::string, std::string> params = {
      {"org", w_.a}, {"member", w_.victims.back()}, {"token", w_.victim_tokens.back()}};
  for (const Operation& op : ReadOperations(r.json())) {
    if (!op.authenticated) continue;
    SCOPED_TRACE(op.id + " (" + op.method + " " + op.path + ")");
    std::string path = std::regex_replace(op.path, std::regex(R"(\{[^}]+\})"), "x1");
    std::string filled = Expand(op.path, params);
    if (!filled.empty()) path = filled;
    for (const std::string& header :
         std::vector<std::string>{"", "Bearer", "Basic dXNlcjpwYXNz", "Bearer vtk.tok_x.y",
                                  "Bearer " + w_.a_tokens["admin"] + "x"}) {
      Api api = srv_->Client();
      std::multimap<std::string, std::string> h;
      if (!header.empty()) h.emplace("Authorization", header);
      HttpReply got = api.Send(op.method, path, "", h);
      EXPECT_EQ(got.status, 401) << "Authorization: '" << header << "': " << got.Describe();
      EXPECT_TRUE(got.IsProblem()) << got.Describe();
    }
  }
}

// Tenants are isolated for reads as well: B's admin learns nothing about A.
TEST_F(AuthzTest, OtherOrganizationCannotRead) {
  Api b = srv_->Client(w_.b_admin_token);
  for (std::string path :
       {"/v1/orgs/" + w_.a, "/v1/orgs/" + w_.a + "/members", "/v1/orgs/" + w_.a + "/tokens",
        "/v1/orgs/" + w_.a + "/members/" + w_.victims.back()}) {
    HttpReply got = b.Get(path);
    EXPECT_TRUE(got.status == 403 || got.status == 404) << path << ": " << got.Describe();
    EXPECT_EQ(got.body.find("a-admin"), std::string::npos) << got.body;
  }
  HttpReply list = b.Get("/v1/orgs");
  ASSERT_EQ(list.status, 200) << list.Describe();
  EXPECT_EQ(list.body.find(w_.a), std::string::npos) << list.body;
}

// Auditors are read-only everywhere (docs/api.md "Role matrix"): A's auditor gets
// 403 on EVERY mutating route of the route table, whatever its least role, and
// changes nothing.
TEST_F(AuthzTest, AuditorsGet403OnEveryMutatingRoute) {
  HttpReply r = srv_->Client().Get("/openapi.json");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const auto& table = CoveredOperations();
  const std::string auditor_id =
      srv_->Client(w_.a_tokens["auditor"]).Get("/v1/whoami").json().value("member_id", "");
  int checked = 0;
  for (const Operation& op : ReadOperations(r.json())) {
    if (!Mutating(op) || PublicMutatingOperations().count(op.id)) continue;
    SCOPED_TRACE(op.id + " (" + op.method + " " + op.path + ")");
    auto builder = table.find(op.id);
    if (builder == table.end()) {
      ADD_FAILURE() << "route " << op.id << " is not covered by the authorization test";
      continue;
    }
    Call call = builder->second.build(w_);
    // Tokens: the auditor acts on its own (a token for itself, its own token
    // revoked), which a member may do; an auditor may not.
    if (op.id == "createToken") call.body["member_id"] = auditor_id;
    if (op.id == "revokeToken") {
      HttpReply t =
          srv_->Client(w_.op_token)
              .Post("/v1/orgs/" + w_.a + "/tokens", {{"member_id", auditor_id}, {"name", "own"}});
      ASSERT_EQ(t.status, 201) << t.Describe();
      call.params["token"] = t.json().value("id", "");
    }
    std::string path = Expand(op.path, call.params);
    ASSERT_FALSE(path.empty()) << "the table gives no value for a parameter of " << op.path;
    if (call.params.count("?")) path += "?" + call.params.at("?");
    std::string before = Snapshot();
    HttpReply got = Send(*srv_, w_.a_tokens["auditor"], op, path, call.body, Raw(call));
    EXPECT_EQ(got.status, 403) << got.Describe();
    EXPECT_TRUE(got.IsProblem()) << got.Describe();
    EXPECT_EQ(Snapshot(), before) << "an auditor's request changed the stored state";
    ++checked;
  }
  EXPECT_GE(checked, 20) << "fewer mutating routes than the API has";
}

// The role matrix for tokens and member certificates, read from docs/api.md
// ("Role matrix"), one request per cell. Columns: the holder itself (the member
// the token or certificate is for), another admin, member and auditor of the
// same organization, an admin of another organization, an operator admin.
// "yes" is a 2xx answer, a number the refusal's status; a refusal writes nothing.
struct MatrixRow {
  std::string action, holder_role;
  std::vector<std::string> cells;  // by column
};

std::vector<MatrixRow> ReadRoleMatrix(std::vector<std::string>* columns) {
  std::ifstream in(std::string(VTRUST_SOURCE_DIR) + "/docs/api.md");
  std::string line;
  std::vector<MatrixRow> rows;
  bool in_table = false;
  auto cells_of = [](const std::string& l) {
    std::vector<std::string> out;
    std::stringstream ss(l.substr(1));
    std::string c;
    while (std::getline(ss, c, '|')) {
      size_t b = c.find_first_not_of(' '), e = c.find_last_not_of(' ');
      out.push_back(b == std::string::npos ? "" : c.substr(b, e - b + 1));
    }
    return out;
  };
  while (std::getline(in, line)) {
    if (!in_table) {
      if (line.rfind("| action | holder's role |", 0) == 0) {
        in_table = true;
        auto head = cells_of(line);
        columns->assign(head.begin() + 2, head.end());
        std::getline(in, line);  // |---|...
      }
      continue;
    }
    if (line.empty() || line[0] != '|') break;
    auto c = cells_of(line);
    if (c.size() < 3) continue;
    MatrixRow row;
    size_t b = c[0].find('`'), e = c[0].find('`', b + 1);
    row.action =
        b == std::string::npos || e == std::string::npos ? c[0] : c[0].substr(b + 1, e - b - 1);
    row.holder_role = c[1];
    row.cells.assign(c.begin() + 2, c.end());
    rows.push_back(row);
  }
  return rows;
}

TEST_F(AuthzTest, RoleMatrixOfDocsApiMd) {
  std::vector<std::string> columns;
  std::vector<MatrixRow> rows = ReadRoleMatrix(&columns);
  ASSERT_EQ(columns, (std::vector<std::string>{"holder", "admin", "member", "auditor", "other org",
                                               "operator admin"}))
      << "docs/api.md has no role matrix with the expected columns";
  const std::set<std::string> actions = {"token",         "token-outliving", "token-longer",
                                         "token-shorter", "revoke-token",    "issue-cert",
                                         "revoke-cert"};
  std::set<std::string> seen;
  for (const auto& row : rows) seen.insert(row.action);
  EXPECT_EQ(seen, actions) << "the role matrix in docs/api.md and this test disagree on actions";

  Api op = srv_->Client(w_.op_token);
  std::string op_member = op.Get("/v1/whoami").json().value("member_id", "");
  // Two members of A per role: the holder and "another" one of the same role.
  std::map<std::string, std::string> holder_id, other_token;
  std::map<std::string, std::string> holder_token;
  for (std::string role : {"admin", "member", "auditor"}) {
    std::string h, o;
    ASSERT_NO_FATAL_FAILURE(h = AddMember(w_.a, "matrix-holder-" + role, role));
    ASSERT_NO_FATAL_FAILURE(o = AddMember(w_.a, "matrix-other-" + role, role));
    holder_id[role] = h;
    ASSERT_NO_FATAL_FAILURE(holder_token[role] = CreateToken(w_.a, h, nullptr));
    ASSERT_NO_FATAL_FAILURE(other_token[role] = CreateToken(w_.a, o, nullptr));
  }
  std::string b_admin_id =
      srv_->Client(w_.b_admin_token).Get("/v1/whoami").json().value("member_id", "");
  // The caller of a column: its org, member id and a token without expiry.
  struct Caller {
    std::string org, member, token;
  };
  auto caller_of = [&](const std::string& column, const std::string& holder_role) -> Caller {
    if (column == "holder") return {w_.a, holder_id[holder_role], holder_token[holder_role]};
    if (column == "other org") return {w_.b, b_admin_id, w_.b_admin_token};
    if (column == "operator admin") return {"", op_member, w_.op_token};
    Json me = srv_->Client(other_token[column]).Get("/v1/whoami").json();
    return {w_.a, me.value("member_id", ""), other_token[column]};
  };
  // A token of `c` expiring in one hour, made by the operator admin.
  auto hour_token = [&](const Caller& c) {
    std::string org = c.org.empty() ? op.Get("/v1/whoami").json().value("org_id", "") : c.org;
    HttpReply t = op.Post("/v1/orgs/" + org + "/tokens",
                          {{"member_id", c.member}, {"name", "hour"}, {"ttl_seconds", 3600}});
    EXPECT_EQ(t.status, 201) << t.Describe();
    return t.json().value("token", "");
  };
  auto tokens_of = [&](const std::string& member) {
    HttpReply l = op.Get("/v1/orgs/" + w_.a + "/tokens");
    std::string out;
    const Json listed = l.json();
    for (const auto& t : listed["tokens"])
      if (t.value("member_id", "") == member) out += t.dump();
    return out;
  };

  int cells = 0;
  for (const MatrixRow& row : rows) {
    ASSERT_EQ(row.cells.size(), columns.size()) << row.action;
    ASSERT_TRUE(holder_id.count(row.holder_role)) << "unknown holder role " << row.holder_role;
    const std::string holder = holder_id[row.holder_role];
    for (size_t col = 0; col < columns.size(); ++col) {
      SCOPED_TRACE(row.action + " / holder " + row.holder_role + " / caller " + columns[col]);
      Caller c = caller_of(columns[col], row.holder_role);
      const std::string& want = row.cells[col];
      HttpReply got;
      std::string before, after;
      if (row.action.rfind("token", 0) == 0) {
        Json body = {{"member_id", holder}, {"name", "matrix-" + std::to_string(++w_.counter)}};
        std::string token = c.token;
        if (row.action != "token") token = hour_token(c);
        if (row.action == "token-longer") body["ttl_seconds"] = 7200;
        if (row.action == "token-shorter") body["ttl_seconds"] = 60;
        before = tokens_of(holder);
        got = srv_->Client(token).Post("/v1/orgs/" + w_.a + "/tokens", body);
        after = tokens_of(holder);
        if (got.status == 201 && row.action != "token") {
          // Never outliving the creating token.
          EXPECT_TRUE(got.json().contains("expires_at")) << got.Describe();
        }
      } else if (row.action == "revoke-token") {
        HttpReply t =
            op.Post("/v1/orgs/" + w_.a + "/tokens", {{"member_id", holder}, {"name", "r"}});
        ASSERT_EQ(t.status, 201) << t.Describe();
        before = tokens_of(holder);
        got = srv_->Client(c.token).Delete("/v1/orgs/" + w_.a + "/tokens/" +
                                           t.json().value("id", ""));
        after = tokens_of(holder);
      } else if (row.action == "issue-cert") {
        // Every issued certificate is a log entry: the log's size (the second line
        // of its checkpoint) says whether one was.
        auto log_size = [&] {
          std::stringstream note(op.Get("/log/checkpoint").body);
          std::string origin, size;
          std::getline(note, origin);
          std::getline(note, size);
          return size;
        };
        before = log_size();
        got = srv_->Client(c.token).Post(
            "/v1/orgs/" + w_.a + "/members/" + holder + "/certificates", {{"alg", "p256"}});
        after = log_size();
      } else if (row.action == "revoke-cert") {
        HttpReply cert =
            op.Post("/v1/orgs/" + w_.a + "/members/" + holder + "/certificates", {{"alg", "p256"}});
        ASSERT_EQ(cert.status, 201) << cert.Describe();
        std::string serial = cert.json().value("serial", "");
        got = srv_->Client(c.token).Post("/v1/cards/" + serial + "/revoke",
                                         {{"reason", "keyCompromise"}});
        before = "good";
        after = op.Get("/v1/cards/" + serial).json().value("status", "");
        if (got.status / 100 == 2) {
          EXPECT_EQ(after, "revoked");
        }
      } else {
        ADD_FAILURE() << "unknown action " << row.action;
        continue;
      }
      if (want == "yes") {
        EXPECT_EQ(got.status / 100, 2) << got.Describe();
      } else {
        EXPECT_EQ(std::to_string(got.status), want) << got.Describe();
        EXPECT_TRUE(got.IsProblem()) << got.Describe();
        EXPECT_EQ(after, before) << "a refused request changed something";
      }
      ++cells;
    }
  }
  EXPECT_GE(cells, 40);
}

// Statements are read by the parties they pay (docs/settlement.md, "Who reads a
// run"): a voice actor (a member of a talent agency) and a platform named as
// parties read their own statements, the version and the lines, and can list
// them across agreements; nobody reads another payee's statement; an
// organization that is not a party reads nothing.
TEST_F(AuthzTest, PayeesReadTheirOwnStatementsOnly) {
  Api op = srv_->Client(w_.op_token);
  auto member = [&](const std::string& org, const std::string& name) {
    HttpReply m = op.Post("/v1/orgs/" + org + "/members", {{"name", name}, {"role", "auditor"}});
    EXPECT_EQ(m.status, 201) << m.Describe();
    std::string id = m.json().value("id", "");
    HttpReply t = op.Post("/v1/orgs/" + org + "/tokens", {{"member_id", id}, {"name", "t"}});
    EXPECT_EQ(t.status, 201) << t.Describe();
    return std::pair(id, t.json().value("token", ""));
  };
  std::string platform, stranger_org;
  ASSERT_NO_FATAL_FAILURE(platform = CreateOrg("Platform"));
  ASSERT_NO_FATAL_FAILURE(stranger_org = CreateOrg("Stranger"));
  auto [voice_id, voice_token] = member(w_.b, "voice actor");  // B is a talent agency
  auto [pat_id, platform_token] = member(platform, "platform clerk");
  auto [eve_id, stranger_token] = member(stranger_org, "eve");
  std::string run = w_.SettlementInA(true, voice_id, platform);
  std::string agreement = w_.last_agreement;
  ASSERT_FALSE(run.empty());
  Api voice = srv_->Client(voice_token), plat = srv_->Client(platform_token);
  Api stranger = srv_->Client(stranger_token), b_admin = srv_->Client(w_.b_admin_token);
  const std::string base = "/v1/settlements/" + run;

  // The voice actor lists what pays them, and reads and downloads it.
  HttpReply mine = voice.Get("/v1/statements?payee=me");
  ASSERT_EQ(mine.status, 200) << mine.Describe();
  ASSERT_EQ(mine.json()["statements"].size(), 1u) << mine.Describe();
  const Json s = mine.json()["statements"][0];
  EXPECT_EQ(s["run"], run);
  EXPECT_EQ(s["agreement_id"], agreement);
  EXPECT_EQ(s["payee"], voice_id);
  EXPECT_EQ(s["amount"], s["cumulative"]);  // the first period
  for (const std::string& path :
       {base + "/statements/" + voice_id + ".json", base + "/statements/" + voice_id + ".csv", base,
        base + "/agreement-version", base + "/lines"}) {
    HttpReply got = voice.Get(path);
    EXPECT_EQ(got.status, 200) << path << ": " << got.Describe();
  }
  // The run as a party sees it: its own payee only.
  Json seen = voice.Get(base).json();
  ASSERT_EQ(seen["summary"]["payees"].size(), 1u) << seen.dump();
  EXPECT_EQ(seen["summary"]["payees"][0]["id"], voice_id);
  // The platform (an organization named as a party) reads its own.
  EXPECT_EQ(plat.Get(base + "/statements/" + platform + ".json").status, 200);
  EXPECT_EQ(plat.Get("/v1/statements?payee=me").json()["statements"].size(), 1u);

  // Never another payee's statement, nor the ledger of the whole run.
  for (const auto& [who, api, path] : std::vector<std::tuple<std::string, Api*, std::string>>{
           {"voice", &voice, base + "/statements/" + platform + ".json"},
           {"voice", &voice, base + "/statements/" + platform + ".csv"},
           {"voice", &voice, base + "/ledger"},
           {"platform", &plat, base + "/statements/" + voice_id + ".json"},
           {"platform", &plat, base + "/ledger"},
           // B's admin: the voice actor's agency, but B itself is not a party.
           {"B admin", &b_admin, base + "/statements/" + voice_id + ".json"},
           {"B admin", &b_admin, base},
           {"stranger", &stranger, base},
           {"stranger", &stranger, base + "/statements/" + voice_id + ".json"},
           {"stranger", &stranger, base + "/agreement-version"},
           {"stranger", &stranger, base + "/lines"}}) {
    HttpReply got = api->Get(path);
    EXPECT_EQ(got.status, 404) << who << " " << path << ": " << got.Describe();
    EXPECT_TRUE(got.IsProblem()) << got.Describe();
  }
  HttpReply other = voice.Get("/v1/statements?payee=" + platform);
  EXPECT_EQ(other.status, 403) << other.Describe();
  EXPECT_EQ(other.json().value("field", ""), "payee") << other.Describe();
  EXPECT_TRUE(stranger.Get("/v1/statements?payee=me").json()["statements"].empty());
  // Runs are listed for the agreement's organization (and the operator) only.
  EXPECT_TRUE(plat.Get("/v1/settlements").json()["runs"].empty());
  HttpReply listed =
      srv_->Client(w_.a_tokens["auditor"]).Get("/v1/settlements?agreement=" + agreement);
  ASSERT_EQ(listed.status, 200) << listed.Describe();
  ASSERT_EQ(listed.json()["runs"].size(), 1u);
  EXPECT_EQ(listed.json()["runs"][0]["id"], run);
  // Agreements are listed for their parties too.
  HttpReply agreements = voice.Get("/v1/agreements?party=" + voice_id);
  ASSERT_EQ(agreements.status, 200) << agreements.Describe();
  ASSERT_EQ(agreements.json()["agreements"].size(), 1u) << agreements.Describe();
  EXPECT_EQ(agreements.json()["agreements"][0]["id"], agreement);
  EXPECT_TRUE(stranger.Get("/v1/agreements").json()["agreements"].empty());
}

}  // namespace
}  // namespace vt::testing
