// End-to-end: `vtrust init`, `vtrust serve` on a free port, the organization /
// member / token API over HTTP and through the CLI (remote and local mode),
// /metrics, /openapi.json, --help everywhere, CLI error reporting and graceful
// shutdown (docs/api.md). The scenario runs on SQLite and, when
// VTRUST_TEST_PG names a PostgreSQL server, once more on a fresh PostgreSQL database.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "base/encoding.h"
#include "base/rng.h"
#include "store/sql.h"
#include "tests/harness.h"

namespace vt::testing {
namespace {

using std::chrono::milliseconds;

// Runs the remote CLI against `srv` with `token`, asserting nothing.
CliResult Remote(const ServerProcess& srv, const std::string& token,
                 std::vector<std::string> args) {
  args.insert(args.begin(), {"--server", srv.url(), "--token", token});
  return RunCli(args);
}

std::set<std::string> Ids(const Json& items) {
  std::set<std::string> out;
  for (const auto& i : items) out.insert(i.value("id", ""));
  return out;
}

// Expects a 401 problem document.
void ExpectUnauthenticated(Api& api, const std::string& why) {
  HttpReply r = api.Get("/v1/whoami");
  EXPECT_EQ(r.status, 401) << why << ": " << r.Describe();
  EXPECT_TRUE(r.IsProblem()) << why << ": " << r.Describe();
}

struct OrgWorld {
  std::string org;
  std::map<std::string, std::string> member_ids;  // by role
  std::map<std::string, std::string> tokens;      // by role
  std::map<std::string, std::string> token_ids;   // by role
};

// Creates an organization with an admin, a member and an auditor, each with a token.
void BuildOrg(Api& op, const std::string& name, OrgWorld* w) {
  HttpReply r = op.Post("/v1/orgs", {{"name", name}, {"kind", "studio"}});
  ASSERT_EQ(r.status, 201) << r.Describe();
  Json org = r.json();
  ASSERT_EQ(org["name"], name);
  ASSERT_EQ(org["kind"], "studio");
  w->org = org["id"].get<std::string>();
  for (std::string role : {"admin", "member", "auditor"}) {
    r = op.Post("/v1/orgs/" + w->org + "/members",
                {{"name", name + "-" + role}, {"role", role}, {"email", role + "@example.org"}});
    ASSERT_EQ(r.status, 201) << r.Describe();
    ASSERT_EQ(r.json()["role"], role);
    ASSERT_EQ(r.json()["org_id"], w->org);
    w->member_ids[role] = r.json()["id"].get<std::string>();
    r = op.Post("/v1/orgs/" + w->org + "/tokens",
                {{"member_id", w->member_ids[role]}, {"name", role + "-token"}});
    ASSERT_EQ(r.status, 201) << r.Describe();
    std::string token = r.json()["token"].get<std::string>();
    ASSERT_EQ(token.rfind("vtk.", 0), 0u) << token;
    w->tokens[role] = token;
    w->token_ids[role] = r.json()["id"].get<std::string>();
  }
}

void CheckHttpApi(ServerProcess& srv, const InitInfo& init, OrgWorld* w) {
  Api op = srv.Client(init.token);
  HttpReply r = op.Get("/v1/whoami");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json()["org_id"], init.org_id);
  EXPECT_EQ(r.json()["role"], "admin");
  EXPECT_EQ(r.json()["operator"], true);

  ASSERT_NO_FATAL_FAILURE(BuildOrg(op, "Studio Alpha", w));
  for (const auto& [role, token] : w->tokens) {
    Api as = srv.Client(token);
    r = as.Get("/v1/whoami");
    ASSERT_EQ(r.status, 200) << role << ": " << r.Describe();
    EXPECT_EQ(r.json()["role"], role);
    EXPECT_EQ(r.json()["org_id"], w->org);
    EXPECT_EQ(r.json()["member_id"], w->member_ids[role]);
    // A tenant sees only its own organization.
    r = as.Get("/v1/orgs");
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(Ids(r.json()["orgs"]), std::set<std::string>{w->org});
  }
  r = op.Get("/v1/orgs");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(Ids(r.json()["orgs"]), (std::set<std::string>{init.org_id, w->org}));
  r = op.Get("/v1/orgs/" + w->org);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json()["name"], "Studio Alpha");

  r = srv.Client(w->tokens["auditor"]).Get("/v1/orgs/" + w->org + "/members");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json()["members"].size(), 3u);
  r = srv.Client(w->tokens["admin"])
          .Get("/v1/orgs/" + w->org + "/members/" + w->member_ids["member"]);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json()["email"], "member@example.org");

  // Token listings never reveal a secret.
  r = srv.Client(w->tokens["admin"]).Get("/v1/orgs/" + w->org + "/tokens");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json()["tokens"].size(), 3u);
  for (const auto& [role, token] : w->tokens) {
    std::string secret = token.substr(token.rfind('.') + 1);
    EXPECT_EQ(r.body.find(secret), std::string::npos) << "secret of " << role << " listed";
  }
  EXPECT_EQ(r.body.find("secret"), std::string::npos) << r.body;

  // Revocation takes effect at once.
  Api member = srv.Client(w->tokens["member"]);
  r = srv.Client(w->tokens["admin"])
          .Delete("/v1/orgs/" + w->org + "/tokens/" + w->token_ids["member"]);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_TRUE(r.json()["revoked_at"].is_string()) << r.body;
  ExpectUnauthenticated(member, "revoked token");
  r = op.Get("/v1/orgs/" + w->org + "/tokens");
  bool listed_revoked = false;
  Json listed = r.json();
  for (const auto& t : listed["tokens"])
    if (t["id"] == w->token_ids["member"]) listed_revoked = t["revoked_at"].is_string();
  EXPECT_TRUE(listed_revoked) << r.body;

  // Expiry: a token with a one-second lifetime is refused after it.
  r = op.Post("/v1/orgs/" + w->org + "/tokens",
              {{"member_id", w->member_ids["member"]}, {"name", "short"}, {"ttl_seconds", 1}});
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_TRUE(r.json()["expires_at"].is_string()) << r.body;
  Api short_lived = srv.Client(r.json()["token"].get<std::string>());
  std::this_thread::sleep_for(milliseconds(1500));
  ExpectUnauthenticated(short_lived, "expired token");
  // A fresh token for the member works again (the member itself is fine).
  r = op.Post("/v1/orgs/" + w->org + "/tokens",
              {{"member_id", w->member_ids["member"]}, {"name", "long"}, {"ttl_seconds", 3600}});
  ASSERT_EQ(r.status, 201) << r.Describe();
  w->tokens["member"] = r.json()["token"].get<std::string>();
  EXPECT_EQ(srv.Client(w->tokens["member"]).Get("/v1/whoami").status, 200);

  // Removing a member revokes its tokens.
  Api auditor = srv.Client(w->tokens["auditor"]);
  r = srv.Client(w->tokens["admin"])
          .Delete("/v1/orgs/" + w->org + "/members/" + w->member_ids["auditor"]);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_TRUE(r.json()["removed_at"].is_string()) << r.body;
  ExpectUnauthenticated(auditor, "token of a removed member");
}

void CheckRemoteCli(ServerProcess& srv, const InitInfo& init, OrgWorld* w) {
  // The contract form: global flags first, then `org create NAME --json`.
  CliResult c = RunCli({"--server", srv.url(), "--token", init.token, "org", "create", "CLI Agency",
                        "--kind", "agency", "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  Json org = c.json();
  ASSERT_TRUE(org.is_object()) << c.Describe();
  std::string org_id = org["id"].get<std::string>();
  EXPECT_EQ(org["kind"], "agency");
  EXPECT_TRUE(c.err.empty()) << c.err;

  c = Remote(srv, init.token, {"org", "show", org_id, "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  EXPECT_EQ(c.json()["name"], "CLI Agency");

  c = Remote(
      srv, init.token,
      {"member", "add", org_id, "Ada", "--role", "admin", "--email", "ada@example.org", "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  std::string ada = c.json()["id"].get<std::string>();
  c = Remote(srv, init.token, {"member", "add", org_id, "Bob", "--role", "member", "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  std::string bob = c.json()["id"].get<std::string>();

  c = Remote(
      srv, init.token,
      {"token", "create", org_id, "--member", ada, "--name", "ada-cli", "--ttl", "600", "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  std::string ada_token = c.json()["token"].get<std::string>();
  std::string ada_token_id = c.json()["id"].get<std::string>();

  // VTRUST_SERVER / VTRUST_TOKEN instead of flags, acting as Ada.
  std::map<std::string, std::string> env = {{"VTRUST_SERVER", srv.url()},
                                            {"VTRUST_TOKEN", ada_token}};
  c = RunCli({"whoami", "--json"}, env);
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  EXPECT_EQ(c.json()["member_id"], ada);
  EXPECT_EQ(c.json()["role"], "admin");
  c = RunCli({"member", "list", org_id, "--json"}, env);
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  EXPECT_EQ(Ids(c.json()["members"]), (std::set<std::string>{ada, bob}));
  // Ada's token expires in 600 s: the tokens it creates expire no later (docs/api.md
  // "Role matrix"); without --ttl it is refused.
  c = RunCli({"token", "create", org_id, "--member", bob, "--name", "bob-cli", "--json"}, env);
  EXPECT_NE(c.exit_code, 0) << c.Describe();
  EXPECT_NE(c.err.find("ttl_seconds"), std::string::npos) << c.Describe();
  c = RunCli(
      {"token", "create", org_id, "--member", bob, "--name", "bob-cli", "--ttl", "300", "--json"},
      env);
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  std::string bob_token = c.json()["token"].get<std::string>();
  std::string bob_token_id = c.json()["id"].get<std::string>();
  c = RunCli({"token", "list", org_id, "--json"}, env);
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  EXPECT_EQ(Ids(c.json()["tokens"]), (std::set<std::string>{ada_token_id, bob_token_id}));
  c = RunCli({"org", "list", "--json"}, env);
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  EXPECT_EQ(Ids(c.json()["orgs"]), std::set<std::string>{org_id});

  // Bob (a member) may not add members: a one-line error and a non-zero exit.
  c = Remote(srv, bob_token, {"member", "add", org_id, "Eve", "--role", "admin", "--json"});
  EXPECT_NE(c.exit_code, 0) << c.Describe();
  EXPECT_TRUE(c.out.empty()) << c.Describe();
  EXPECT_NE(c.err.find("admin"), std::string::npos) << c.Describe();

  c = RunCli({"token", "revoke", org_id, bob_token_id, "--json"}, env);
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  EXPECT_TRUE(c.json()["revoked_at"].is_string()) << c.Describe();
  c = Remote(srv, bob_token, {"whoami", "--json"});
  EXPECT_NE(c.exit_code, 0) << c.Describe();

  c = RunCli({"member", "remove", org_id, bob, "--json"}, env);
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  EXPECT_TRUE(c.json()["removed_at"].is_string()) << c.Describe();

  // Human (non-JSON) output is printed too.
  c = Remote(srv, init.token, {"org", "list"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  EXPECT_NE(c.out.find(org_id), std::string::npos) << c.Describe();
  EXPECT_NE(c.out.find(w->org), std::string::npos) << c.Describe();
}

// Local mode on the data directory while the server runs on it.
void CheckLocalModeWhileServing(ServerProcess& srv, const std::string& dir, const InitInfo& init,
                                std::string* local_org) {
  CliResult c =
      RunCli({"--data", dir, "org", "create", "Local Platform", "--kind", "platform", "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  *local_org = c.json()["id"].get<std::string>();
  c = RunCli({"--data", dir, "member", "add", *local_org, "Lou", "--role", "auditor", "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  HttpReply r = srv.Client(init.token).Get("/v1/orgs/" + *local_org + "/members");
  ASSERT_EQ(r.status, 200) << r.Describe();
  ASSERT_EQ(r.json()["members"].size(), 1u) << r.body;
  EXPECT_EQ(r.json()["members"][0]["name"], "Lou");
  c = RunCli({"--data", dir, "org", "list", "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  r = srv.Client(init.token).Get("/v1/orgs");
  EXPECT_EQ(Ids(c.json()["orgs"]), Ids(r.json()["orgs"])) << c.out << "\n" << r.body;
}

void CheckMetrics(ServerProcess& srv) {
  HttpReply r = srv.Client().Get("/metrics");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.content_type.rfind("text/plain", 0), 0u) << r.content_type;
  for (std::string route : {"createOrg", "addMember", "createToken", "whoami", "health"}) {
    std::regex line("vtrust_http_requests_total\\{route=\"" + route +
                    "\",code=\"[0-9]{3}\"\\} [1-9][0-9]*");
    EXPECT_TRUE(std::regex_search(r.body, line)) << "no request count for " << route;
  }
  EXPECT_NE(r.body.find("vtrust_http_request_duration_seconds_bucket{route=\"createOrg\""),
            std::string::npos);
  EXPECT_NE(r.body.find("# TYPE vtrust_http_requests_total counter"), std::string::npos);
}

// /openapi.json is OpenAPI 3.1, lists every route of this issue, and every
// operation it lists is served (the document and the dispatcher share one table).
void CheckOpenApi(ServerProcess& srv) {
  HttpReply r = srv.Client().Get("/openapi.json");
  ASSERT_EQ(r.status, 200) << r.Describe();
  Json doc = r.json();
  ASSERT_TRUE(doc.is_object()) << r.body.substr(0, 500);
  EXPECT_EQ(doc.value("openapi", "").rfind("3.1", 0), 0u) << doc.value("openapi", "");
  ASSERT_TRUE(doc["paths"].is_object());
  std::set<std::string> listed, op_ids;
  Api anon = srv.Client();
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      std::string m = method;
      for (auto& ch : m) ch = static_cast<char>(toupper(ch));
      listed.insert(m + " " + path);
      ASSERT_TRUE(op.contains("operationId")) << m << " " << path;
      EXPECT_TRUE(op_ids.insert(op["operationId"].get<std::string>()).second)
          << "duplicate operationId " << op["operationId"];
      EXPECT_TRUE(op.contains("x-vtrust-min-role")) << m << " " << path;
      EXPECT_TRUE(op.contains("responses")) << m << " " << path;
      // Served: any answer but "no such route" / "method not allowed".
      std::string concrete = std::regex_replace(path, std::regex(R"(\{[^}]+\})"), "x1");
      HttpReply got = anon.Send(m, concrete, "");
      EXPECT_NE(got.status, 405) << m << " " << concrete << ": " << got.Describe();
      EXPECT_EQ(got.body.find("no route for"), std::string::npos)
          << m << " " << concrete << ": " << got.Describe();
    }
  }
  for (std::string want :
       {"GET /healthz", "GET /metrics", "GET /openapi.json", "GET /v1/whoami", "POST /v1/orgs",
        "GET /v1/orgs", "GET /v1/orgs/{org}", "POST /v1/orgs/{org}/members",
        "GET /v1/orgs/{org}/members", "GET /v1/orgs/{org}/members/{member}",
        "DELETE /v1/orgs/{org}/members/{member}", "POST /v1/orgs/{org}/tokens",
        "GET /v1/orgs/{org}/tokens", "DELETE /v1/orgs/{org}/tokens/{token}"}) {
    EXPECT_TRUE(listed.count(want)) << want << " missing from /openapi.json";
  }
}

// The whole scenario on one data directory; `init_extra` selects the database.
void RunScenario(const std::vector<std::string>& init_extra) {
  TempDir tmp;
  std::string dir = tmp.Sub("data");
  auto init = InitDataDir(dir, init_extra);
  ASSERT_TRUE(init);
  std::string error;
  auto srv = ServerProcess::Start(dir, {}, &error);
  ASSERT_TRUE(srv) << error;

  OrgWorld w;
  ASSERT_NO_FATAL_FAILURE(CheckHttpApi(*srv, *init, &w));
  ASSERT_NO_FATAL_FAILURE(CheckRemoteCli(*srv, *init, &w));
  std::string local_org;
  ASSERT_NO_FATAL_FAILURE(CheckLocalModeWhileServing(*srv, dir, *init, &local_org));
  ASSERT_NO_FATAL_FAILURE(CheckMetrics(*srv));
  ASSERT_NO_FATAL_FAILURE(CheckOpenApi(*srv));

  HttpReply before = srv->Client(init->token).Get("/v1/orgs");
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(srv->Stop(), 0) << srv->Stderr();
  EXPECT_NE(srv->Stderr().find("stopped cleanly"), std::string::npos) << srv->Stderr();

  // Everything survives a restart; the store opens cleanly.
  CliResult c = RunCli({"--data", dir, "org", "list", "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  EXPECT_EQ(Ids(c.json()["orgs"]), Ids(before.json()["orgs"]));
  srv = ServerProcess::Start(dir, {}, &error);
  ASSERT_TRUE(srv) << error;
  EXPECT_EQ(srv->Client(w.tokens["admin"]).Get("/v1/whoami").status, 200);
  Api removed = srv->Client(w.tokens["auditor"]);
  ExpectUnauthenticated(removed, "removed member after restart");
  HttpReply after = srv->Client(init->token).Get("/v1/orgs");
  EXPECT_EQ(Ids(after.json()["orgs"]), Ids(before.json()["orgs"]));
  EXPECT_EQ(srv->Stop(), 0) << srv->Stderr();
}

TEST(Integration, ScenarioOnSqlite) { RunScenario({}); }

// "host=H port=P dbname=D user=U [password=W]" -> fields.
std::map<std::string, std::string> ParseConninfo(const std::string& conninfo) {
  std::map<std::string, std::string> kv;
  std::istringstream in(conninfo);
  std::string word;
  while (in >> word) {
    size_t eq = word.find('=');
    if (eq != std::string::npos) kv[word.substr(0, eq)] = word.substr(eq + 1);
  }
  return kv;
}

TEST(Integration, ScenarioOnPostgres) {
  std::string conninfo = Env("VTRUST_TEST_PG");
  if (conninfo.empty()) {
    if (Env("VTRUST_REQUIRE_PG") == "1")
      FAIL() << "VTRUST_REQUIRE_PG=1 but VTRUST_TEST_PG is unset (use scripts/with-postgres.sh)";
    GTEST_SKIP() << "VTRUST_TEST_PG is not set";
  }
  auto kv = ParseConninfo(conninfo);
  ASSERT_TRUE(kv.count("host") && kv.count("port") && kv.count("user")) << conninfo;
  uint8_t raw[6];
  SystemRng::Get().Fill(raw, sizeof raw);
  std::string db = "vt_it_" + HexEncode(std::string(reinterpret_cast<char*>(raw), sizeof raw));
  auto admin_exec = [&](const std::string& sql) -> Status {
    VT_ASSIGN_OR_RETURN(auto admin, store::OpenPostgres(conninfo));
    VT_ASSIGN_OR_RETURN(auto conn, admin->Connect());
    return conn->Exec(sql).status();
  };
  Status created = admin_exec("CREATE DATABASE " + db);
  ASSERT_TRUE(created.ok()) << created.ToString();
  std::string url = "postgresql://" + kv["user"] +
                    (kv.count("password") ? ":" + kv["password"] : "") + "@" + kv["host"] + ":" +
                    kv["port"] + "/" + db;
  RunScenario({"--database", url});
  Status dropped = admin_exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  EXPECT_TRUE(dropped.ok()) << dropped.ToString();
}

// Subcommand names listed in a CLI11 help text.
std::vector<std::string> Subcommands(const std::string& help) {
  std::vector<std::string> out;
  size_t at = help.find("Subcommands:");
  if (at == std::string::npos) return out;
  std::istringstream in(help.substr(at));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (line.rfind("  ", 0) != 0) break;
    // A name starts in column 2; a deeper indent continues the description of
    // a long name ("  sign-document, sign-transfer" + a description line).
    if (line.size() > 2 && line[2] == ' ') continue;
    std::istringstream words(line);
    std::string name;
    words >> name;
    if (!name.empty() && name.back() == ',') name.pop_back();  // the first of its aliases
    if (!name.empty()) out.push_back(name);
  }
  return out;
}

TEST(Integration, EverySubcommandHasHelp) {
  std::vector<std::vector<std::string>> todo = {{}};
  std::set<std::string> seen;
  while (!todo.empty()) {
    std::vector<std::string> cmd = todo.back();
    todo.pop_back();
    std::vector<std::string> args = cmd;
    args.push_back("--help");
    CliResult c = RunCli(args);
    std::string name;
    for (const auto& w : cmd) name += (name.empty() ? "" : " ") + w;
    seen.insert(name);
    EXPECT_EQ(c.exit_code, 0) << "vtrust " << name << " --help: " << c.Describe();
    EXPECT_NE(c.out.find("Usage:"), std::string::npos) << name << ": " << c.Describe();
    ASSERT_LT(cmd.size(), 6u) << "help of `vtrust " << name << "` leads into a loop";
    for (const auto& sub : Subcommands(c.out)) {
      auto next = cmd;
      next.push_back(sub);
      todo.push_back(next);
    }
    // Leaf commands document --json (one JSON document on stdout).
    if (Subcommands(c.out).empty() && !cmd.empty())
      EXPECT_NE(c.out.find("--json"), std::string::npos) << name << ": " << c.out;
  }
  for (std::string want : {"init",
                           "serve",
                           "org create",
                           "org list",
                           "org show",
                           "member add",
                           "member list",
                           "member remove",
                           "token create",
                           "token list",
                           "token revoke",
                           "whoami",
                           "ca roots",
                           "card issue",
                           "card revoke",
                           "card prove",
                           "card verify-proof",
                           "card render",
                           "agreement sign",
                           "agreement explain",
                           "revenue import",
                           "settle run",
                           "settle verify",
                           "work sign-document"}) {
    EXPECT_TRUE(seen.count(want)) << "`vtrust " << want << "` not found via --help";
  }
}

// An error is one line on stderr, nothing on stdout, and a non-zero exit.
void ExpectOneLineError(const CliResult& c, const std::string& what) {
  EXPECT_NE(c.exit_code, 0) << what << ": " << c.Describe();
  EXPECT_TRUE(c.out.empty()) << what << ": " << c.Describe();
  ASSERT_FALSE(c.err.empty()) << what;
  EXPECT_EQ(c.err.back(), '\n') << what << ": " << c.Describe();
  EXPECT_EQ(std::count(c.err.begin(), c.err.end(), '\n'), 1) << what << ": " << c.Describe();
}

TEST(Integration, CliErrorsAreOneLineOnStderr) {
  TempDir tmp;
  std::string dir = tmp.Sub("data");
  auto init = InitDataDir(dir);
  ASSERT_TRUE(init);
  ExpectOneLineError(RunCli({"org", "show"}), "missing positional");
  ExpectOneLineError(RunCli({"org", "list", "--json"}), "neither --data nor --server");
  ExpectOneLineError(RunCli({"--data", tmp.Sub("nowhere"), "org", "list"}), "no data dir");
  ExpectOneLineError(RunCli({"--data", dir, "org", "show", "org_doesnotexist", "--json"}),
                     "unknown org (local)");
  ExpectOneLineError(
      RunCli({"--data", dir, "member", "add", init->org_id, "X", "--role", "overlord", "--json"}),
      "bad role");
  ExpectOneLineError(RunCli({"init", "--data", dir, "--json"}), "init twice");
  ExpectOneLineError(
      RunCli({"--server", "http://127.0.0.1:1", "--token", "vtk.x.y", "org", "list", "--json"}),
      "unreachable server");
  ExpectOneLineError(RunCli({"--server", "ftp://x", "--token", "t", "org", "list"}), "bad URL");
  ExpectOneLineError(RunCli({"org", "list"}, {{"VTRUST_SERVER", "http://127.0.0.1:1"}}),
                     "server without token");
  ExpectOneLineError(RunCli({"org", "frobnicate"}), "unknown subcommand");
  ExpectOneLineError(RunCli({"--no-such-flag", "org", "list"}), "unknown flag");

  std::string error;
  auto srv = ServerProcess::Start(dir, {}, &error);
  ASSERT_TRUE(srv) << error;
  ExpectOneLineError(Remote(*srv, "vtk.tok_nope.secret", {"org", "list", "--json"}), "bad token");
  ExpectOneLineError(Remote(*srv, init->token, {"org", "create", "", "--json"}), "empty name");
  CliResult c = Remote(*srv, init->token, {"org", "show", "org_missing", "--json"});
  ExpectOneLineError(c, "unknown org (remote)");
  EXPECT_NE(c.err.find("not found"), std::string::npos) << c.Describe();
  EXPECT_EQ(srv->Stop(), 0) << srv->Stderr();
}

// Sends the first half of a POST on an established keep-alive connection; the
// rest follows after SIGTERM. Every such request must still be answered.
TEST(Integration, GracefulShutdownFinishesInFlightRequests) {
  TempDir tmp;
  std::string dir = tmp.Sub("data");
  auto init = InitDataDir(dir);
  ASSERT_TRUE(init);
  std::string error;
  auto srv = ServerProcess::Start(dir, {}, &error);
  ASSERT_TRUE(srv) << error;

  constexpr int kConns = 8;
  std::vector<std::unique_ptr<RawHttp>> conns;
  std::vector<std::string> rests;
  for (int i = 0; i < kConns; ++i) {
    auto c = std::make_unique<RawHttp>(srv->port());
    ASSERT_TRUE(c->ok());
    // A first request proves a worker owns the connection.
    ASSERT_TRUE(c->Write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    HttpReply h = c->ReadResponse();
    ASSERT_EQ(h.status, 200) << h.Describe();
    std::string body = Json{{"name", "inflight-" + std::to_string(i)}}.dump();
    std::string head =
        "POST /v1/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + init->token +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n";
    size_t half = body.size() / 2;
    ASSERT_TRUE(c->Write(head + body.substr(0, half)));
    rests.push_back(body.substr(half));
    conns.push_back(std::move(c));
  }
  std::this_thread::sleep_for(milliseconds(300));
  srv->SignalTerm();
  std::this_thread::sleep_for(milliseconds(300));
  for (int i = 0; i < kConns; ++i) ASSERT_TRUE(conns[i]->Write(rests[i])) << i;
  std::set<std::string> created;
  for (int i = 0; i < kConns; ++i) {
    HttpReply r = conns[i]->ReadResponse();
    EXPECT_EQ(r.status, 201) << "in-flight request " << i << ": " << r.Describe();
    if (r.status == 201) created.insert(r.json()["id"].get<std::string>());
  }
  EXPECT_EQ(srv->Wait(), 0) << srv->Stderr();
  EXPECT_NE(srv->Stderr().find("stopped cleanly"), std::string::npos) << srv->Stderr();
  // Every acknowledged write is in the store.
  CliResult c = RunCli({"--data", dir, "org", "list", "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  std::set<std::string> stored = Ids(c.json()["orgs"]);
  for (const auto& id : created) EXPECT_TRUE(stored.count(id)) << id << " lost";
  EXPECT_EQ(created.size(), static_cast<size_t>(kConns));
}

}  // namespace
}  // namespace vt::testing
