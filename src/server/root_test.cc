// The composition root: the components open on a fresh data directory with a
// fixed clock and randomness, and the router built from them serves the whole
// route table.
#include "server/root.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/clock.h"
#include "base/rng.h"

namespace vt::server {
namespace {

// Every route of the product (routes_*.cc), as before the composition root.

class RootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("root_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  FakeClock clock_{1767225600000};  // 2026-01-01T00:00:00Z
  DeterministicRng rng_{42};
};

TEST_F(RootTest, OpensAFreshDataDirectoryAndServesTheRouteTable) {
  auto init = InitDataDir(dir_.string(), app::Config{}, clock_, rng_);
  ASSERT_TRUE(init.ok()) << init.status().ToString();
  auto c = OpenComponents(dir_.string(), clock_, rng_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(&(*c)->service().clock(), &clock_);
  EXPECT_EQ(&(*c)->rng(), &rng_);

  auto router = BuildRouter(**c);
  EXPECT_FALSE(router->routes().empty());
  api::Response health = router->Dispatch("GET", "/healthz", {}, "", "");
  EXPECT_EQ(health.status, 200) << health.body;
  api::Response openapi = router->Dispatch("GET", "/openapi.json", {}, "", "");
  ASSERT_EQ(openapi.status, 200);
  Json doc = Json::parse(openapi.body, nullptr, false);
  size_t operations = 0;
  for (const auto& [path, ops] : doc["paths"].items()) operations += ops.size();
  // Every route of the table is one operation of the document, and nothing else is.
  EXPECT_EQ(operations, router->routes().size());
  EXPECT_TRUE(doc["paths"].contains("/v1/content/verify"));
  EXPECT_TRUE(doc["paths"].contains("/v1/characters"));
}

TEST_F(RootTest, RefusesADirectoryThatWasNeverInitialized) {
  auto c = OpenComponents(dir_.string(), clock_, rng_);
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
}

TEST_F(RootTest, InitRefusesAnInitializedDirectory) {
  ASSERT_TRUE(InitDataDir(dir_.string(), app::Config{}, clock_, rng_).ok());
  EXPECT_EQ(InitDataDir(dir_.string(), app::Config{}, clock_, rng_).status().code(),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace vt::server
