// Bad input (docs/api.md): malformed JSON, wrong types, unknown, missing and duplicate
// fields, invalid UTF-8, oversize bodies, headers and URIs, and bad tokens each get
// a 4xx application/problem+json document whose "detail" or "field" names the
// problem, and none of them writes anything: the lists are unchanged over HTTP and,
// after the server stopped, through the local-mode CLI on the data directory.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include "tests/harness.h"

namespace vt::testing {
namespace {

struct Case {
  std::string label;
  std::string method;
  std::string path;  // {org}, {member}, {token} are filled in
  std::string body;
  int status;
  std::string field;   // expected "field" ("" = not checked)
  std::string detail;  // expected substring of "detail", case-insensitive ("" = not checked)
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Fill(std::string s, const std::map<std::string, std::string>& vars) {
  for (const auto& [k, v] : vars) {
    std::string key = "{" + k + "}";
    for (size_t p; (p = s.find(key)) != std::string::npos;) s.replace(p, key.size(), v);
  }
  return s;
}

// Checks one refused request's reply.
void ExpectProblem(const HttpReply& r, int status, const std::string& field,
                   const std::string& detail) {
  EXPECT_EQ(r.status, status) << r.Describe();
  ASSERT_TRUE(r.IsProblem()) << r.Describe();
  Json p = r.json();
  EXPECT_EQ(p.value("status", 0), r.status) << r.body;
  EXPECT_EQ(p.value("type", "").rfind("urn:vtrust:problem:", 0), 0u) << r.body;
  EXPECT_FALSE(p.value("title", "").empty()) << r.body;
  EXPECT_FALSE(p.value("detail", "").empty()) << r.body;
  if (!field.empty()) EXPECT_EQ(p.value("field", ""), field) << r.body;
  if (!detail.empty())
    EXPECT_NE(Lower(p.value("detail", "")).find(Lower(detail)), std::string::npos)
        << "detail should mention '" << detail << "': " << r.body;
}

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.Sub("data");
    auto init = InitDataDir(dir_);
    ASSERT_TRUE(init);
    op_token_ = init->token;
    std::string error;
    srv_ = ServerProcess::Start(dir_, {}, &error);
    ASSERT_TRUE(srv_) << error;
    Api op = srv_->Client(op_token_);
    HttpReply r = op.Post("/v1/orgs", {{"name", "Studio"}});
    ASSERT_EQ(r.status, 201) << r.Describe();
    vars_["org"] = r.json()["id"].get<std::string>();
    r = op.Post("/v1/orgs/" + vars_["org"] + "/members", {{"name", "Mia"}, {"role", "member"}});
    ASSERT_EQ(r.status, 201) << r.Describe();
    vars_["member"] = r.json()["id"].get<std::string>();
    r = op.Post("/v1/orgs/" + vars_["org"] + "/tokens",
                {{"member_id", vars_["member"]}, {"name", "mia"}});
    ASSERT_EQ(r.status, 201) << r.Describe();
    vars_["token"] = r.json()["id"].get<std::string>();
    member_token_ = r.json()["token"].get<std::string>();
  }

  // The stored state as the operator sees it over HTTP: the org list and the
  // member and token lists of every organization.
  std::vector<Json> HttpState() {
    Api op = srv_->Client(op_token_);
    std::vector<Json> out;
    Json orgs = op.Get("/v1/orgs").json();
    out.push_back(orgs["orgs"]);
    for (const auto& o : orgs["orgs"]) {
      std::string id = o["id"].get<std::string>();
      out.push_back(op.Get("/v1/orgs/" + id + "/members").json()["members"]);
      out.push_back(op.Get("/v1/orgs/" + id + "/tokens").json()["tokens"]);
    }
    return out;
  }

  // The same, read through the local-mode CLI on the data directory.
  std::vector<Json> LocalState() {
    std::vector<Json> out;
    CliResult c = RunCli({"--data", dir_, "org", "list", "--json"});
    EXPECT_EQ(c.exit_code, 0) << c.Describe();
    Json orgs = c.json();
    out.push_back(orgs["orgs"]);
    for (const auto& o : orgs["orgs"]) {
      std::string id = o["id"].get<std::string>();
      out.push_back(RunCli({"--data", dir_, "member", "list", id, "--json"}).json()["members"]);
      out.push_back(RunCli({"--data", dir_, "token", "list", id, "--json"}).json()["tokens"]);
    }
    return out;
  }

  void RunCases(const std::vector<Case>& cases, const std::string& token) {
    Api api = srv_->Client(token);
    for (const Case& c : cases) {
      SCOPED_TRACE(c.label);
      HttpReply r = api.Send(c.method, Fill(c.path, vars_), c.body);
      ExpectProblem(r, c.status, c.field, c.detail);
    }
  }

  TempDir tmp_;
  std::string dir_;
  std::string op_token_, member_token_;
  std::map<std::string, std::string> vars_;
  std::unique_ptr<ServerProcess> srv_;
};

TEST_F(BadInputTest, EveryBadRequestIsAProblemAndWritesNothing) {
  std::vector<Json> before = HttpState();
  const std::string orgs = "/v1/orgs", members = "/v1/orgs/{org}/members",
                    tokens = "/v1/orgs/{org}/tokens";
  const std::string long_name(201, 'n');
  std::vector<Case> cases = {
      // Malformed JSON.
      {"truncated JSON", "POST", orgs, R"({"name":)", 400, "", "JSON"},
      {"trailing garbage", "POST", orgs, R"({"name":"a"} x)", 400, "", "JSON"},
      {"single quotes", "POST", orgs, R"({'name':'a'})", 400, "", "JSON"},
      {"trailing comma", "POST", members, R"({"name":"a","role":"admin",})", 400, "", "JSON"},
      {"lone surrogate", "POST", orgs, R"({"name":"\ud800"})", 400, "", "surrogate"},
      {"not an object", "POST", orgs, "[]", 400, "body", "object"},
      {"null body", "POST", orgs, "null", 400, "body", "object"},
      {"empty body", "POST", orgs, "", 400, "body", "body"},
      {"body on DELETE", "DELETE", "/v1/orgs/{org}/tokens/{token}", R"({"x":1})", 400, "body",
       "body"},
      // Invalid UTF-8 (a raw 0xFF byte, and an overlong encoding of '/').
      {"invalid UTF-8", "POST", orgs, "{\"name\":\"\xff\"}", 400, "", "UTF-8"},
      {"overlong UTF-8", "POST", orgs, "{\"name\":\"\xc0\xaf\"}", 400, "", "UTF-8"},
      // Wrong types.
      {"name is a number", "POST", orgs, R"({"name":5})", 400, "name", "string"},
      {"kind is a number", "POST", orgs, R"({"name":"x","kind":7})", 400, "kind", "string"},
      {"name is an object", "POST", members, R"({"name":{"a":1},"role":"admin"})", 400, "name",
       "string"},
      {"member_id is an array", "POST", tokens, R"({"member_id":["m"],"name":"t"})", 400,
       "member_id", "string"},
      {"ttl is a string", "POST", tokens,
       R"({"member_id":"{member}","name":"t","ttl_seconds":"9"})", 400, "ttl_seconds", "integer"},
      {"ttl is fractional", "POST", tokens,
       R"({"member_id":"{member}","name":"t","ttl_seconds":1.5})", 400, "ttl_seconds", "integer"},
      {"ttl overflows", "POST", tokens,
       R"({"member_id":"{member}","name":"t","ttl_seconds":99999999999999999999})", 400,
       "ttl_seconds", ""},
      {"ttl negative", "POST", tokens, R"({"member_id":"{member}","name":"t","ttl_seconds":-1})",
       400, "ttl_seconds", "ttl_seconds"},
      {"ttl is a bool", "POST", tokens, R"({"member_id":"{member}","name":"t","ttl_seconds":true})",
       400, "ttl_seconds", ""},
      // Values out of their domain.
      {"unknown kind", "POST", orgs, R"({"name":"x","kind":"pirate"})", 400, "kind", "kind"},
      {"operator kind", "POST", orgs, R"({"name":"x","kind":"operator"})", 400, "kind", ""},
      {"unknown role", "POST", members, R"({"name":"x","role":"overlord"})", 400, "role", "role"},
      {"empty name", "POST", orgs, R"({"name":""})", 400, "name", "name"},
      {"name too long", "POST", orgs, R"({"name":")" + long_name + R"("})", 400, "name", "name"},
      {"control character", "POST", orgs, R"({"name":"a\u0007b"})", 400, "name", "name"},
      {"bad email", "POST", members, R"({"name":"x","role":"admin","email":"nope"})", 400, "email",
       "email"},
      // Unknown and missing fields.
      {"unknown field", "POST", orgs, R"({"name":"x","admin":true})", 400, "admin", "admin"},
      {"unknown null field", "POST", members, R"({"name":"x","role":"admin","extra":null})", 400,
       "extra", "extra"},
      {"missing name", "POST", orgs, R"({})", 400, "name", "name"},
      {"missing role", "POST", members, R"({"name":"x"})", 400, "role", "role"},
      {"missing member_id", "POST", tokens, R"({"name":"t"})", 400, "member_id", "member_id"},
      // Duplicate keys (last-one-wins parsers would accept these).
      {"duplicate key", "POST", orgs, R"({"name":"a","name":"b"})", 400, "name", "duplicate"},
      {"duplicate role", "POST", members, R"({"name":"x","role":"auditor","role":"admin"})", 400,
       "role", "duplicate"},
      // References to objects that do not exist.
      {"unknown org", "POST", "/v1/orgs/org_nope/members", R"({"name":"x","role":"admin"})", 404,
       "", "org_nope"},
      {"unknown member", "POST", tokens, R"({"member_id":"mem_nope","name":"t"})", 404, "",
       "mem_nope"},
      {"unknown member (delete)", "DELETE", "/v1/orgs/{org}/members/mem_nope", "", 404, "",
       "mem_nope"},
      {"unknown token", "DELETE", "/v1/orgs/{org}/tokens/tok_nope", "", 404, "", "tok_nope"},
      {"unknown route", "GET", "/v1/nothing-here", "", 404, "", "/v1/nothing-here"},
      {"wrong method", "PUT", orgs, R"({"name":"x"})", 405, "", "PUT"},
  };
  RunCases(cases, op_token_);
  EXPECT_EQ(HttpState(), before);
}

// Names (docs/api.md "Names"): bidirectional formatting and zero-width characters
// are refused wherever a name enters, naming the field, and nothing is written;
// names that mix scripts (Unicode TR 39) are accepted with a review flag.
TEST_F(BadInputTest, HiddenCharactersInNamesAreRefusedMixedScriptsFlagged) {
  std::vector<Json> before = HttpState();
  Api member = srv_->Client(member_token_);
  std::string characters_before = member.Get("/v1/characters").body;
  std::string works_before = member.Get("/v1/works").body;
  const std::string song_tail =
      R"(,"digests":{"sha256":")" + std::string(64, 'a') +
      R"("},"rights":{"copyright":[{"party":"{org}","share_bp":10000}]}})";
  std::vector<Case> op_cases = {
      {"RLO in an org name", "POST", "/v1/orgs", R"({"name":"Char\u202eAgnol\u202c"})", 400, "name",
       "U+202E"},
      {"isolate in an org name", "POST", "/v1/orgs", R"({"name":"Acme\u2067"})", 400, "name",
       "U+2067"},
      {"zero-width space in a member name", "POST", "/v1/orgs/{org}/members",
       R"({"name":"Mi\u200ba","role":"member"})", 400, "name", "U+200B"},
      {"byte order mark in a member name", "POST", "/v1/orgs/{org}/members",
       R"({"name":"\ufeffMia","role":"member"})", 400, "name", "U+FEFF"},
  };
  RunCases(op_cases, op_token_);
  std::vector<Case> member_cases = {
      {"RLO in a character name", "POST", "/v1/characters", R"({"name":"Char\u202eAgnol\u202c"})",
       400, "name", "bidirectional"},
      {"LRM in a localized name", "POST", "/v1/characters",
       R"({"name":"Aria","names":{"en":"Ar\u200eia"}})", 400, "names.en", "U+200E"},
      {"ZWJ in a creator", "POST", "/v1/characters", R"({"name":"Aria","creators":["Ana\u200d"]})",
       400, "creators[0]", "zero-width"},
      {"ALM in a work title", "POST", "/v1/works",
       R"({"type":"song","titles":{"en":"Song\u061c"})" + song_tail, 400, "titles.en", "U+061C"},
      {"word joiner in a character name", "POST", "/v1/characters", R"({"name":"Ar\u2060ia"})", 400,
       "name", "U+2060"},
  };
  RunCases(member_cases, member_token_);
  EXPECT_EQ(HttpState(), before);
  EXPECT_EQ(member.Get("/v1/characters").body, characters_before);
  EXPECT_EQ(member.Get("/v1/works").body, works_before);

  // Mixed scripts: accepted, flagged in the answer and in later reads.
  HttpReply c = member.Post("/v1/characters", {{"name", "P\u0430ypal"}});  // Cyrillic a
  ASSERT_EQ(c.status, 201) << c.Describe();
  EXPECT_EQ(c.json().value("name_review", ""), "mixed_script") << c.body;
  HttpReply got = member.Get("/v1/characters/" + c.json().value("id", ""));
  EXPECT_EQ(got.json().value("name_review", ""), "mixed_script") << got.body;
  for (std::string name : {"Aria Plain", "初音ミク", "아리아 Aria"}) {
    HttpReply ok = member.Post("/v1/characters", {{"name", name}});
    ASSERT_EQ(ok.status, 201) << ok.Describe();
    EXPECT_FALSE(ok.json().contains("name_review")) << ok.body;
  }
  HttpReply org = srv_->Client(op_token_).Post("/v1/orgs", {{"name", "\u0410cme Studio"}});
  ASSERT_EQ(org.status, 201) << org.Describe();
  EXPECT_EQ(org.json().value("name_review", ""), "mixed_script") << org.body;
  HttpReply m =
      srv_->Client(op_token_).Post("/v1/orgs/" + vars_["org"] + "/members",
                                   {{"name", "\u0391lice"}, {"role", "member"}});  // Greek Alpha
  ASSERT_EQ(m.status, 201) << m.Describe();
  EXPECT_EQ(m.json().value("name_review", ""), "mixed_script") << m.body;
}

TEST_F(BadInputTest, OversizeRequestsAreRefused) {
  std::vector<Json> before = HttpState();
  Api api = srv_->Client(op_token_);
  // Over the default max_body_bytes (1 MiB), with and without a token: the limit
  // applies before anything else.
  std::string big = R"({"name":")" + std::string((1 << 20) + 16, 'a') + R"("})";
  ExpectProblem(api.Send("POST", "/v1/orgs", big), 413, "body", "limit");
  ExpectProblem(srv_->Client().Send("POST", "/v1/orgs", big), 413, "body", "limit");
  // The same over a raw connection with chunked transfer encoding: refused as too
  // large (413) or for want of a Content-Length (411), never read without bound.
  {
    RawHttp raw(srv_->port());
    ASSERT_TRUE(raw.ok());
    std::string req = "POST /v1/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + op_token_ +
                      "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (size_t sent = 0; sent < big.size(); sent += 65536) {
      std::string chunk = big.substr(sent, 65536);
      char len[32];
      snprintf(len, sizeof len, "%zx\r\n", chunk.size());
      req += len + chunk + "\r\n";
    }
    req += "0\r\n\r\n";
    // The server may answer before reading the body and close: write from another
    // thread (a failed write is fine), the reply is what counts.
    std::thread writer([&raw, &req] { raw.Write(req); });
    HttpReply r = raw.ReadResponse();
    writer.join();
    EXPECT_TRUE(r.status == 411 || r.status == 413) << r.Describe();
    ExpectProblem(r, r.status, "body", "");
  }
  // Just under the limit is parsed (and refused for its content, not its size).
  std::string fits = R"({"name":")" + std::string((1 << 20) - 64, 'a') + R"("})";
  ExpectProblem(api.Send("POST", "/v1/orgs", fits), 400, "name", "");
  // A header line over httplib's 8 KiB limit, and an over-long URI.
  ExpectProblem(api.Send("GET", "/v1/whoami", "", {{"X-Padding", std::string(10000, 'h')}}), 400,
                "", "header");
  {
    HttpReply r = api.Get("/v1/orgs?" + std::string(10000, 'q'));
    ExpectProblem(r, 414, "", "URI");
  }
  // The server is still fine and nothing was written.
  EXPECT_EQ(api.Get("/healthz").status, 200);
  EXPECT_EQ(HttpState(), before);
}

TEST_F(BadInputTest, BadTokensAreRefusedAlike) {
  std::vector<Json> before = HttpState();
  Api op = srv_->Client(op_token_);
  // A revoked token.
  HttpReply r = op.Post("/v1/orgs/" + vars_["org"] + "/tokens",
                        {{"member_id", vars_["member"]}, {"name", "to-revoke"}});
  ASSERT_EQ(r.status, 201) << r.Describe();
  std::string revoked = r.json()["token"].get<std::string>();
  ASSERT_EQ(
      op.Delete("/v1/orgs/" + vars_["org"] + "/tokens/" + r.json()["id"].get<std::string>()).status,
      200);
  before = HttpState();

  std::string id_part = member_token_.substr(0, member_token_.rfind('.') + 1);
  std::string secret = member_token_.substr(member_token_.rfind('.') + 1);
  std::string flipped = secret;
  flipped[0] = flipped[0] == 'A' ? 'B' : 'A';
  std::vector<std::pair<std::string, std::string>> bad = {
      {"garbage", "Bearer garbage"},
      {"empty bearer", "Bearer "},
      {"prefix only", "Bearer vtk."},
      {"unknown id", "Bearer vtk.tok_doesnotexist." + secret},
      {"wrong secret for a real id", "Bearer " + id_part + flipped},
      {"truncated secret", "Bearer " + id_part + secret.substr(0, secret.size() - 1)},
      {"extended secret", "Bearer " + member_token_ + "A"},
      {"no secret", "Bearer " + id_part},
      {"huge token", "Bearer vtk." + std::string(4000, 'x') + ".y"},
      {"binary token", "Bearer vtk.\x01\x02.\x7f"},
      {"revoked", "Bearer " + revoked},
      {"wrong scheme", "Basic " + member_token_},
  };
  std::string common_detail;
  for (const auto& [label, header] : bad) {
    SCOPED_TRACE(label);
    Api anon = srv_->Client();
    for (const std::string& path :
         {std::string("/v1/whoami"), "/v1/orgs/" + vars_["org"] + "/members"}) {
      HttpReply got = anon.Send("GET", path, "", {{"Authorization", header}});
      bool has_token = header.rfind("Bearer ", 0) == 0 && header.size() > 7;
      ExpectProblem(got, 401, "", has_token ? "token" : "Bearer");
      EXPECT_NE(got.headers.find("WWW-Authenticate"), got.headers.end()) << got.Describe();
    }
    // A write with a bad token is refused before its body is looked at.
    HttpReply got =
        anon.Send("POST", "/v1/orgs", R"({"name":"never"})", {{"Authorization", header}});
    ExpectProblem(got, 401, "", "");
    // Token failures must not tell which part was wrong.
    if (header.rfind("Bearer ", 0) == 0 && header.size() > 7) {
      std::string d = got.json().value("detail", "");
      if (common_detail.empty()) common_detail = d;
      EXPECT_EQ(d, common_detail) << "token errors differ: an oracle";
    }
  }
  // The real token still works.
  EXPECT_EQ(srv_->Client(member_token_).Get("/v1/whoami").status, 200);
  EXPECT_EQ(HttpState(), before);
}

// RFC 7235 §2.1: the auth-scheme name is case-insensitive; one or more spaces
// separate it from the token. Anything else is still refused.
TEST_F(BadInputTest, BearerSchemeIsCaseInsensitive) {
  std::vector<Json> before = HttpState();
  Api anon = srv_->Client();
  for (const char* scheme : {"Bearer ", "bearer ", "BEARER ", "bEaReR ", "Bearer   "}) {
    SCOPED_TRACE(scheme);
    HttpReply got = anon.Send("GET", "/v1/whoami", "",
                              {{"Authorization", std::string(scheme) + member_token_}});
    EXPECT_EQ(got.status, 200) << got.Describe();
  }
  for (const std::string& header :
       {"Bearer" + member_token_, "Bearer\t" + member_token_, "Bearerx " + member_token_,
        "earer " + member_token_, std::string("bearer")}) {
    SCOPED_TRACE(header);
    HttpReply got = anon.Send("GET", "/v1/whoami", "", {{"Authorization", header}});
    ExpectProblem(got, 401, "", "");
  }
  EXPECT_EQ(HttpState(), before);
}

// Nothing the bad requests did reached the database: after a clean stop the data
// directory, read in local mode, holds exactly what the server showed before.
TEST_F(BadInputTest, StoreUnchangedAfterStop) {
  std::vector<Json> before = HttpState();
  Api api = srv_->Client(op_token_);
  ExpectProblem(api.Send("POST", "/v1/orgs", R"({"name":"x","name":"y"})"), 400, "name", "");
  ExpectProblem(api.Send("POST", "/v1/orgs", "{\"name\":\"\xff\"}"), 400, "", "UTF-8");
  ExpectProblem(api.Send("POST", "/v1/orgs/" + vars_["org"] + "/members",
                         R"({"name":"x","role":"admin","sudo":true})"),
                400, "sudo", "");
  ExpectProblem(api.Send("POST", "/v1/orgs", R"({"name":")" + std::string(2 << 20, 'z') + "\"}"),
                413, "body", "");
  ExpectProblem(srv_->Client("vtk.tok_x.y").Send("POST", "/v1/orgs", R"({"name":"x"})"), 401, "",
                "");
  ASSERT_EQ(srv_->Stop(), 0) << srv_->Stderr();
  std::vector<Json> local = LocalState();
  EXPECT_EQ(local, before);
}

}  // namespace
}  // namespace vt::testing
