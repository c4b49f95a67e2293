// /v1/works through the route table: problem documents of the duplicate-claim and
// cycle rules, and schema-level refusals (SQLite data directory).
#include <gtest/gtest.h>

#include <filesystem>

#include "api/routes.h"
#include "base/clock.h"
#include "base/rng.h"
#include "server/root.h"

namespace vt::api {
namespace {

class WorkRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("wroutes_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(
        server::InitDataDir(dir_.string(), app::Config{}, SystemClock::Get(), SystemRng::Get())
            .ok());
    auto s = server::OpenComponents(dir_.string(), SystemClock::Get(), SystemRng::Get());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    svc_ = std::move(*s);
    router_ = server::BuildRouter(*svc_);
    auto p = svc_->service().LocalPrincipal();
    ASSERT_TRUE(p.ok());
    local_ = *p;
  }
  void TearDown() override {
    router_.reset();
    svc_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::pair<int, Json> Call(const std::string& method, const std::string& path,
                            const Json& body = nullptr) {
    Response r = router_->Dispatch(method, path, {}, body.is_null() ? "" : body.dump(), "", local_);
    return {r.status, Json::parse(r.body, nullptr, false)};
  }
  Json Song(const std::string& sha) {
    return {{"type", "song"},
            {"titles", {{"en", "Starlight"}}},
            {"digests", {{"sha256", sha}}},
            {"rights", {{"copyright", {{{"party", local_.org_id}, {"share_bp", 10000}}}}}}};
  }

  std::filesystem::path dir_;
  std::unique_ptr<server::Components> svc_;
  std::unique_ptr<Router> router_;
  app::Principal local_;
};

TEST_F(WorkRoutesTest, DuplicateAndCycleProblems) {
  auto [s1, w1] = Call("POST", "/v1/works", Song(std::string(64, '1')));
  ASSERT_EQ(s1, 201) << w1.dump();
  auto [s2, dup] = Call("POST", "/v1/works", Song(std::string(64, '1')));
  EXPECT_EQ(s2, 409);
  EXPECT_EQ(dup["existing_work"], w1["id"]);
  EXPECT_EQ(dup["log_index"], w1["log_index"]);
  EXPECT_TRUE(dup["log_index"].is_number_integer());
  auto [s3, w2] = Call("POST", "/v1/works", Song(std::string(64, '2')));
  ASSERT_EQ(s3, 201);
  std::string a = w1["id"], b = w2["id"];
  EXPECT_EQ(Call("POST", "/v1/works/" + a + "/uses", {{"used_work_id", b}, {"role", "song"}}).first,
            201);
  auto [s4, cyc] =
      Call("POST", "/v1/works/" + b + "/uses", {{"used_work_id", a}, {"role", "song"}});
  EXPECT_EQ(s4, 409);
  EXPECT_NE(cyc["detail"].get<std::string>().find(b + " -> " + a + " -> " + b), std::string::npos);
  auto [s5, g] = Call("GET", "/v1/works/" + b + "/graph");
  EXPECT_EQ(s5, 200);
  EXPECT_EQ(g["edges"].size(), 1u);
}

TEST_F(WorkRoutesTest, BadSharesNameTheField) {
  Json body = Song(std::string(64, '3'));
  body["rights"]["copyright"][0]["share_bp"] = 9999;
  auto [s, p] = Call("POST", "/v1/works", body);
  EXPECT_EQ(s, 400);
  EXPECT_EQ(p["field"], "rights.copyright");
  body["type"] = "novel";
  EXPECT_EQ(Call("POST", "/v1/works", body).first, 400);
  EXPECT_EQ(Call("GET", "/v1/works").second["works"].size(), 0u);
}

}  // namespace
}  // namespace vt::api
