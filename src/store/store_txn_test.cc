// Conformance of both SQL drivers: Migrate(), InTransaction() and concurrent writers.
#include <atomic>
#include <string>
#include <thread>

#include "store/sql.h"
#include "store/store_testing.h"

namespace vt::store {
namespace {

class StoreTxnTest : public BackendTest {
 protected:
  static Migration M(int version, const std::string& name, const std::string& sql) {
    return {version, name, sql, sql};
  }
  FakeClock clock_;  // stamps applied_at
  std::vector<Migration> FirstTwo() {
    return {M(1, "widgets", "CREATE TABLE widgets (id BIGINT PRIMARY KEY, name TEXT NOT NULL)"),
            M(2, "seed", "INSERT INTO widgets (id, name) VALUES (1, 'first')")};
  }
  int64_t Count(const std::string& table) {
    auto row = conn().QueryOne("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(row.ok()) << row.status().ToString();
    return row.ok() ? row->Int(0) : -1;
  }
};

TEST_P(StoreTxnTest, MigrateAppliesInOrderAndRecordsVersions) {
  VT_ASSERT_OK(Migrate(conn(), FirstTwo(), clock_));
  EXPECT_EQ(Count("widgets"), 1);
  VT_ASSERT_OK_AND_ASSIGN(std::vector<Row> rows,
                          conn().Query("SELECT version, name, applied_at FROM schema_migrations "
                                       "ORDER BY version"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Int(0), 1);
  EXPECT_EQ(rows[0].Text(1), "widgets");
  EXPECT_EQ(rows[1].Int(0), 2);
  EXPECT_TRUE(rows[1].Text(2).ends_with("Z")) << rows[1].Text(2);  // RFC 3339 UTC
}

TEST_P(StoreTxnTest, MigrateIsIdempotentAndAppliesOnlyNewOnes) {
  VT_ASSERT_OK(Migrate(conn(), FirstTwo(), clock_));
  VT_ASSERT_OK(Migrate(*NewConn(), FirstTwo(), clock_));  // the seed row is not inserted twice
  EXPECT_EQ(Count("widgets"), 1);
  std::vector<Migration> three = FirstTwo();
  three.push_back(M(3, "more", "INSERT INTO widgets (id, name) VALUES (2, 'second')"));
  VT_ASSERT_OK(Migrate(conn(), three, clock_));
  EXPECT_EQ(Count("widgets"), 2);
  EXPECT_EQ(Count("schema_migrations"), 3);
}

TEST_P(StoreTxnTest, MigrateRefusesUnknownFutureVersion) {
  std::vector<Migration> three = FirstTwo();
  three.push_back(M(3, "more", "CREATE TABLE gadgets (id BIGINT)"));
  VT_ASSERT_OK(Migrate(conn(), three, clock_));
  VT_EXPECT_CODE(Migrate(conn(), FirstTwo(), clock_),
                 StatusCode::kFailedPrecondition);  // older binary
}

TEST_P(StoreTxnTest, MigrateRejectsBadVersionSequences) {
  VT_EXPECT_CODE(Migrate(conn(), {M(2, "b", ""), M(1, "a", "")}, clock_),
                 StatusCode::kInvalidArgument);
  VT_EXPECT_CODE(Migrate(conn(), {M(1, "a", ""), M(1, "a", "")}, clock_),
                 StatusCode::kInvalidArgument);
  VT_EXPECT_CODE(Migrate(conn(), {M(0, "zero", "")}, clock_), StatusCode::kInvalidArgument);
}

TEST_P(StoreTxnTest, FailedMigrationLeavesNoTrace) {
  std::vector<Migration> bad = FirstTwo();
  bad.push_back(M(3, "broken", "CREATE TABLE gadgets (id BIGINT); INSERT INTO nowhere VALUES (1)"));
  Status s = Migrate(conn(), bad, clock_);
  VT_EXPECT_CODE(s, StatusCode::kInternal);
  EXPECT_NE(s.message().find("migration 3 (broken)"), std::string::npos) << s.message();
  EXPECT_EQ(Count("schema_migrations"), 2);  // 1 and 2 stay applied
  VT_EXPECT_CODE(conn().Query("SELECT * FROM gadgets"), StatusCode::kInternal);
}

TEST_P(StoreTxnTest, InTransactionCommitsOnSuccess) {
  VT_ASSERT_OK(conn().Exec("CREATE TABLE t (x BIGINT)"));
  VT_ASSERT_OK(InTransaction(
      conn(), [](Conn& c) { return c.Exec("INSERT INTO t (x) VALUES (1)").status(); }));
  EXPECT_EQ(Count("t"), 1);
}

TEST_P(StoreTxnTest, InTransactionRetriesAbortedAndDiscardsTheFailedAttempt) {
  VT_ASSERT_OK(conn().Exec("CREATE TABLE t (x BIGINT)"));
  int calls = 0;
  VT_ASSERT_OK(InTransaction(conn(), [&](Conn& c) -> Status {
    ++calls;
    VT_RETURN_IF_ERROR(c.Exec("INSERT INTO t (x) VALUES (?)", {int64_t{calls}}).status());
    return calls == 1 ? AbortedError("simulated conflict") : OkStatus();
  }));
  EXPECT_EQ(calls, 2);
  VT_ASSERT_OK_AND_ASSIGN(Row row, conn().QueryOne("SELECT x FROM t"));
  EXPECT_EQ(row.Int(0), 2);
  EXPECT_EQ(Count("t"), 1);
}

TEST_P(StoreTxnTest, InTransactionGivesUpAfterMaxAttempts) {
  int calls = 0;
  Status s = InTransaction(
      conn(), [&](Conn&) { return ++calls, AbortedError("always"); }, 4);
  VT_EXPECT_CODE(s, StatusCode::kAborted);
  EXPECT_EQ(calls, 4);
}

TEST_P(StoreTxnTest, InTransactionDoesNotRetryOtherErrors) {
  VT_ASSERT_OK(conn().Exec("CREATE TABLE t (x BIGINT)"));
  int calls = 0;
  Status s = InTransaction(conn(), [&](Conn& c) -> Status {
    ++calls;
    VT_RETURN_IF_ERROR(c.Exec("INSERT INTO t (x) VALUES (1)").status());
    return NotFoundError("no such widget");
  });
  VT_EXPECT_CODE(s, StatusCode::kNotFound);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Count("t"), 0);  // rolled back
}

// Two threads, two connections, read-modify-write transactions on one counter row:
// every increment lands (SQLite: the write lock queues them; PostgreSQL:
// SERIALIZABLE aborts one of a conflicting pair and InTransaction retries it).
TEST_P(StoreTxnTest, ConcurrentWritersBothSucceedAndCountsAddUp) {
  VT_ASSERT_OK(
      conn().ExecScript("CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL);"
                        "CREATE TABLE events (writer BIGINT NOT NULL, seq BIGINT NOT NULL);"
                        "INSERT INTO counter (id, n) VALUES (1, 0);"));
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  auto writer = [&](int64_t id, std::unique_ptr<Conn> c) {
    for (int64_t i = 0; i < kPerThread; ++i) {
      Status s = InTransaction(
          *c,
          [&](Conn& tx) -> Status {
            VT_ASSIGN_OR_RETURN(Row row, tx.QueryOne("SELECT n FROM counter WHERE id = 1"));
            VT_RETURN_IF_ERROR(
                tx.Exec("UPDATE counter SET n = ? WHERE id = 1", {row.Int(0) + 1}).status());
            return tx.Exec("INSERT INTO events (writer, seq) VALUES (?, ?)", {id, i}).status();
          },
          /*max_attempts=*/100);
      if (!s.ok()) {
        ADD_FAILURE() << "writer " << id << ": " << s.ToString();
        ++failures;
      }
    }
  };
  std::thread a(writer, 1, NewConn());
  std::thread b(writer, 2, NewConn());
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0);
  VT_ASSERT_OK_AND_ASSIGN(Row row, conn().QueryOne("SELECT n FROM counter WHERE id = 1"));
  EXPECT_EQ(row.Int(0), 2 * kPerThread);
  EXPECT_EQ(Count("events"), 2 * kPerThread);
}

VT_INSTANTIATE_BACKEND_TEST(StoreTxnTest);

}  // namespace
}  // namespace vt::store
