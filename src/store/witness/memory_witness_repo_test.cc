// The in-memory and SQL witness repositories agree on the witness_state contract.
#include <gtest/gtest.h>

#include "store/store_testing.h"
#include "store/witness/memory_witness_repo.h"

namespace vt::store {
namespace {

void ExpectContract(WitnessWriter& repo) {
  VT_ASSERT_OK_AND_ASSIGN(auto none, repo.FindState("example.com/log"));
  EXPECT_FALSE(none.has_value());
  VT_ASSERT_OK(repo.PutState("example.com/log", {5, std::string(32, 'a')}));
  VT_ASSERT_OK(repo.PutState("example.com/log", {9, std::string(32, 'b')}));
  VT_ASSERT_OK_AND_ASSIGN(auto got, repo.FindState("example.com/log"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->size, 9);
  EXPECT_EQ(got->root, std::string(32, 'b'));
}

TEST(WitnessRepoTest, MemoryRepository) {
  MemoryWitnessRepo repo;
  ExpectContract(repo);
}

TEST(WitnessRepoTest, SqliteRepository) {
  std::string path = ::testing::TempDir() + "/witness_repo_test.db";
  std::remove(path.c_str());
  VT_ASSERT_OK_AND_ASSIGN(auto db, OpenSqlite(path));
  VT_ASSERT_OK_AND_ASSIGN(auto conn, db->Connect());
  VT_ASSERT_OK(CreateWitnessSchema(*conn));
  VT_ASSERT_OK(CreateWitnessSchema(*conn));  // idempotent
  ExpectContract(*NewSqlWitnessRepo(*conn));
}

}  // namespace
}  // namespace vt::store
