// End-to-end: the character registry's CLI contract (docs/id-card-profile.md):
// `vtrust [--server URL --token T | --data DIR] character register --name NAME --json`
// prints {"id", "receipt", ...}; likeness fingerprints are computed by the CLI
// from files; show, list, update and retire; HTTP authorization (other
// organization 404, auditor 403).
#include <gtest/gtest.h>

#include <fstream>

#include "tests/harness.h"

namespace vt::testing {
namespace {

// SHA-256 and SM3 of "abc" (FIPS 180-2 and GB/T 32905-2016 test vectors).
constexpr const char* kAbcSha256 =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kAbcSm3 = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0";

class CharacterCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.Sub("data");
    auto init = InitDataDir(dir_);
    ASSERT_TRUE(init);
    token_ = init->token;
    std::string error;
    srv_ = ServerProcess::Start(dir_, {}, &error);
    ASSERT_TRUE(srv_) << error;
  }
  CliResult Remote(std::vector<std::string> args, const std::string& token = "") {
    args.insert(args.begin(), {"--server", srv_->url(), "--token", token.empty() ? token_ : token});
    return RunCli(args);
  }
  std::string Token(const std::string& org, const std::string& name, const std::string& role) {
    Api op = srv_->Client(token_);
    HttpReply m = op.Post("/v1/orgs/" + org + "/members", {{"name", name}, {"role", role}});
    EXPECT_EQ(m.status, 201) << m.Describe();
    HttpReply t = op.Post("/v1/orgs/" + org + "/tokens",
                          {{"member_id", m.json().value("id", "")}, {"name", "t"}});
    EXPECT_EQ(t.status, 201) << t.Describe();
    return t.json().value("token", "");
  }

  TempDir tmp_;
  std::string dir_, token_;
  std::unique_ptr<ServerProcess> srv_;
};

TEST_F(CharacterCliTest, RegisterShowUpdateRetireRemote) {
  std::string face = tmp_.Sub("face.png");
  std::ofstream(face) << "abc";
  CliResult r = Remote({"character", "register", "--name", "Aria", "--name-lang", "zh-Hans=艾莉亚",
                        "--face", face, "--ai-driven", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  Json j = r.json();
  std::string id = j.value("id", "");
  ASSERT_EQ(id.rfind("VC-", 0), 0u) << r.Describe();
  EXPECT_EQ(id.size(), 22u);
  ASSERT_TRUE(j["receipt"].is_object()) << r.Describe();
  EXPECT_TRUE(j["receipt"].contains("index"));
  EXPECT_EQ(j["urn"], "urn:vtrust:char:" + id);
  EXPECT_EQ(j["names"]["zh-Hans"], "艾莉亚");
  EXPECT_EQ(j["ai_driven"], true);
  ASSERT_EQ(j["likeness"].size(), 1u);
  EXPECT_EQ(j["likeness"][0]["kind"], "face");
  EXPECT_EQ(j["likeness"][0]["sha256"], kAbcSha256);
  EXPECT_EQ(j["likeness"][0]["sm3"], kAbcSm3);

  r = Remote({"character", "show", id, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.json()["id"], id);
  r = Remote(
      {"character", "update", id, "--description", "A singer", "--ai-driven", "false", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.json()["description"], "A singer");
  EXPECT_EQ(r.json()["ai_driven"], false);
  EXPECT_TRUE(r.json()["receipt"].is_object());
  r = Remote({"character", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.json()["characters"].size(), 1u);
  r = Remote({"character", "retire", id, "--reason", "end of series", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.json()["status"], "retired");
  r = Remote({"character", "retire", id, "--json"});
  EXPECT_NE(r.exit_code, 0) << r.Describe();

  // A missing file is an error before anything is sent.
  r = Remote({"character", "register", "--name", "Ghost", "--voice", tmp_.Sub("nope"), "--json"});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
}

TEST_F(CharacterCliTest, LocalModeAndHttpAuthorization) {
  CliResult r = RunCli({"--data", dir_, "character", "register", "--name", "Local", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::string id = r.json().value("id", "");
  ASSERT_FALSE(id.empty());

  Api op = srv_->Client(token_);
  HttpReply org = op.Post("/v1/orgs", {{"name", "Other Studio"}});
  ASSERT_EQ(org.status, 201) << org.Describe();
  std::string stranger = Token(org.json().value("id", ""), "bob", "admin");
  std::string op_org = op.Get("/v1/whoami").json().value("org_id", "");
  std::string auditor = Token(op_org, "audrey", "auditor");

  EXPECT_EQ(srv_->Client(stranger).Get("/v1/characters/" + id).status, 404);
  EXPECT_EQ(srv_->Client(stranger).Send("PATCH", "/v1/characters/" + id, R"({"name":"X"})").status,
            404);
  EXPECT_EQ(srv_->Client(auditor).Get("/v1/characters/" + id).status, 200);
  EXPECT_EQ(srv_->Client(auditor).Post("/v1/characters", {{"name", "X"}}).status, 403);
  EXPECT_EQ(srv_->Client("").Post("/v1/characters", {{"name", "X"}}).status, 401);
  HttpReply bad = op.Post(
      "/v1/characters",
      {{"name", "X"}, {"likeness", {{{"kind", "face"}, {"sha256", "zz"}, {"sm3", kAbcSm3}}}}});
  EXPECT_EQ(bad.status, 400) << bad.Describe();
  EXPECT_NE(bad.body.find("likeness[0].sha256"), std::string::npos) << bad.Describe();
}

}  // namespace
}  // namespace vt::testing
