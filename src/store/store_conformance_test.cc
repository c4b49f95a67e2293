// Conformance of both SQL drivers to store/sql.h: values, errors, transactions.
// Runs on SQLite always and on PostgreSQL under scripts/with-postgres.sh.
#include <gmock/gmock.h>

#include <cmath>
#include <limits>
#include <string>

#include "store/sql.h"
#include "store/store_testing.h"

namespace vt::store {
namespace {

using ::testing::ElementsAre;

class StoreConformanceTest : public BackendTest {
 protected:
  std::string BlobType() const { return dialect() == Dialect::kSqlite ? "BLOB" : "BYTEA"; }
  std::string DoubleType() const {
    return dialect() == Dialect::kSqlite ? "REAL" : "DOUBLE PRECISION";
  }
  void CreateItems(Conn& c) {
    VT_ASSERT_OK(c.Exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT UNIQUE)"));
  }
  std::vector<int64_t> Ids(Conn& c) {
    std::vector<int64_t> ids;
    auto rows = c.Query("SELECT id FROM items ORDER BY id");
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (rows.ok()) {
      for (const Row& r : *rows) ids.push_back(r.Int(0));
    }
    return ids;
  }
};

std::string AllBytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
  return s;
}

std::vector<Value> SampleValues() {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  return {
      std::monostate{},
      std::numeric_limits<int64_t>::min(),
      std::numeric_limits<int64_t>::max(),
      int64_t{0},
      int64_t{-1},
      0.1,
      1.0 / 3.0,
      -1e308,
      std::numeric_limits<double>::denorm_min(),
      kInf,
      -kInf,
      std::string(),
      std::string("h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9d\x84\x9e \xe6\x97\xa5\xe6\x9c\xac '?' \"x\""),
      Blob{},
      Blob{AllBytes()},
      Blob{std::string("\0\0", 2)}};
}

TEST_P(StoreConformanceTest, SelectParameterRoundTripsEveryValueType) {
  for (const Value& v : SampleValues()) {
    VT_ASSERT_OK_AND_ASSIGN(Row row, conn().QueryOne("SELECT ?", {v}));
    ASSERT_EQ(row.size(), 1u);
    EXPECT_EQ(row.at(0), v) << "variant index " << v.index();
  }
}

TEST_P(StoreConformanceTest, TableColumnsRoundTripEveryValueType) {
  VT_ASSERT_OK(conn().Exec("CREATE TABLE v (id BIGINT PRIMARY KEY, i BIGINT, d " + DoubleType() +
                           ", s TEXT, b " + BlobType() + ")"));
  std::vector<Value> values = SampleValues();
  int64_t id = 0;
  for (const Value& v : values) {
    std::vector<Value> row(5, std::monostate{});
    row[0] = ++id;
    if (v.index() > 0) row[v.index()] = v;  // column i, d, s or b by type
    VT_ASSERT_OK(conn().Exec("INSERT INTO v (id, i, d, s, b) VALUES (?, ?, ?, ?, ?)", row));
  }
  VT_ASSERT_OK_AND_ASSIGN(std::vector<Row> rows,
                          conn().Query("SELECT id, i, d, s, b FROM v ORDER BY id"));
  ASSERT_EQ(rows.size(), values.size());
  for (size_t k = 0; k < values.size(); ++k) {
    size_t col = values[k].index();
    for (size_t c = 1; c <= 4; ++c) {
      if (c == col) {
        EXPECT_EQ(rows[k].at(c), values[k]) << "row " << k;
      } else {
        EXPECT_TRUE(rows[k].IsNull(c)) << "row " << k << " col " << c;
      }
    }
  }
  // Accessors on the decoded values.
  EXPECT_EQ(rows[1].Int(1), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(rows[5].Double(2), 0.1);
  EXPECT_EQ(rows[14].Bytes(4), AllBytes());
  EXPECT_EQ(rows[0].OptText(3), std::nullopt);
  EXPECT_EQ(rows[0].OptInt(1), std::nullopt);
}

TEST_P(StoreConformanceTest, EmptyBlobAndEmptyTextAreNotNull) {
  VT_ASSERT_OK_AND_ASSIGN(Row row, conn().QueryOne("SELECT ?, ?", {Blob{}, std::string()}));
  EXPECT_FALSE(row.IsNull(0));
  EXPECT_FALSE(row.IsNull(1));
  EXPECT_EQ(row.Bytes(0), "");
  EXPECT_EQ(row.Text(1), "");
}

// PostgreSQL TEXT cannot hold NUL and must be UTF-8, and SQLite would store NaN as
// NULL: both drivers refuse these parameters up front (bytes belong in a Blob).
TEST_P(StoreConformanceTest, UnportableParametersAreRefused) {
  VT_EXPECT_CODE(conn().Query("SELECT ?", {std::string("a\0b", 3)}), StatusCode::kInvalidArgument);
  VT_EXPECT_CODE(conn().Query("SELECT ?", {std::string("\xff\xfe")}), StatusCode::kInvalidArgument);
  VT_EXPECT_CODE(conn().Query("SELECT ?", {std::nan("")}), StatusCode::kInvalidArgument);
}

TEST_P(StoreConformanceTest, PlaceholdersOutsideLiteralsOnly) {
  VT_ASSERT_OK_AND_ASSIGN(Row row,
                          conn().QueryOne("SELECT '?', ? /* ? */, 'it''s ?' -- ?\n", {int64_t{7}}));
  EXPECT_EQ(row.Text(0), "?");
  EXPECT_EQ(row.Int(1), 7);
  EXPECT_EQ(row.Text(2), "it's ?");
  VT_EXPECT_CODE(conn().Query("SELECT ?, ?", {int64_t{1}}), StatusCode::kInvalidArgument);
}

TEST_P(StoreConformanceTest, ExecReportsChangedRows) {
  CreateItems(conn());
  for (int64_t i = 1; i <= 3; ++i) {
    VT_ASSERT_OK_AND_ASSIGN(int64_t n, conn().Exec("INSERT INTO items (id) VALUES (?)", {i}));
    EXPECT_EQ(n, 1);
  }
  VT_ASSERT_OK_AND_ASSIGN(int64_t updated, conn().Exec("UPDATE items SET name = 'x' || id "
                                                       "WHERE id >= ?",
                                                       {int64_t{2}}));
  EXPECT_EQ(updated, 2);
  VT_ASSERT_OK_AND_ASSIGN(int64_t none, conn().Exec("DELETE FROM items WHERE id > 99"));
  EXPECT_EQ(none, 0);
  VT_ASSERT_OK_AND_ASSIGN(int64_t ddl, conn().Exec("CREATE TABLE other (x INTEGER)"));
  EXPECT_EQ(ddl, 0);
}

TEST_P(StoreConformanceTest, AggregatesDecodeAsIntegers) {
  CreateItems(conn());
  VT_ASSERT_OK(
      conn().Exec("INSERT INTO items (id) VALUES (?), (?)", {int64_t{1} << 40, int64_t{5}}));
  VT_ASSERT_OK_AND_ASSIGN(Row row, conn().QueryOne("SELECT COUNT(*), SUM(id), MAX(id) FROM items"));
  EXPECT_EQ(row.Int(0), 2);
  EXPECT_EQ(row.Int(1), (int64_t{1} << 40) + 5);
  EXPECT_EQ(row.Int(2), int64_t{1} << 40);
}

TEST_P(StoreConformanceTest, InsertReturning) {
  CreateItems(conn());
  VT_ASSERT_OK_AND_ASSIGN(
      Row row, conn().QueryOne("INSERT INTO items (id, name) VALUES (?, ?) RETURNING id, name",
                               {int64_t{9}, std::string("nine")}));
  EXPECT_EQ(row.Int(0), 9);
  EXPECT_EQ(row.Text(1), "nine");
}

TEST_P(StoreConformanceTest, UniqueAndPrimaryKeyViolationsAreAlreadyExists) {
  CreateItems(conn());
  VT_ASSERT_OK(conn().Exec("INSERT INTO items (id, name) VALUES (1, 'a')"));
  VT_EXPECT_CODE(conn().Exec("INSERT INTO items (id, name) VALUES (1, 'b')"),
                 StatusCode::kAlreadyExists);
  VT_EXPECT_CODE(conn().Exec("INSERT INTO items (id, name) VALUES (2, 'a')"),
                 StatusCode::kAlreadyExists);
  VT_ASSERT_OK_AND_ASSIGN(int64_t n, conn().Exec("INSERT INTO items (id, name) VALUES (2, 'a') "
                                                 "ON CONFLICT DO NOTHING"));
  EXPECT_EQ(n, 0);
  EXPECT_THAT(Ids(conn()), ElementsAre(1));
}

TEST_P(StoreConformanceTest, OtherErrorsAreInternal) {
  VT_EXPECT_CODE(conn().Exec("SELECT * FROM no_such_table"), StatusCode::kInternal);
  VT_EXPECT_CODE(conn().Exec("   "), StatusCode::kInvalidArgument);
}

TEST_P(StoreConformanceTest, QueryOneWithoutRowsIsNotFound) {
  CreateItems(conn());
  VT_EXPECT_CODE(conn().QueryOne("SELECT id FROM items WHERE id = ?", {int64_t{1}}),
                 StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, RollbackDiscards) {
  CreateItems(conn());
  VT_ASSERT_OK(conn().Begin());
  VT_ASSERT_OK(conn().Exec("INSERT INTO items (id) VALUES (1)"));
  EXPECT_THAT(Ids(conn()), ElementsAre(1));  // visible inside the transaction
  VT_ASSERT_OK(conn().Rollback());
  EXPECT_TRUE(Ids(conn()).empty());
}

TEST_P(StoreConformanceTest, CommitPersistsAcrossConnections) {
  CreateItems(conn());
  VT_ASSERT_OK(conn().Begin());
  VT_ASSERT_OK(conn().Exec("INSERT INTO items (id) VALUES (1), (2)"));
  auto other = NewConn();
  EXPECT_TRUE(Ids(*other).empty());  // not visible before commit
  VT_ASSERT_OK(conn().Commit());
  EXPECT_THAT(Ids(*other), ElementsAre(1, 2));
  auto fresh = NewConn();
  EXPECT_THAT(Ids(*fresh), ElementsAre(1, 2));
}

TEST_P(StoreConformanceTest, RollbackToSavepointKeepsEarlierWork) {
  CreateItems(conn());
  VT_ASSERT_OK(conn().Begin());
  VT_ASSERT_OK(conn().Exec("INSERT INTO items (id) VALUES (1)"));
  VT_ASSERT_OK(conn().Savepoint("sp1"));
  VT_ASSERT_OK(conn().Exec("INSERT INTO items (id) VALUES (2)"));
  VT_ASSERT_OK(conn().RollbackToSavepoint("sp1"));
  VT_ASSERT_OK(conn().Exec("INSERT INTO items (id) VALUES (3)"));
  VT_ASSERT_OK(conn().ReleaseSavepoint("sp1"));
  VT_ASSERT_OK(conn().Commit());
  EXPECT_THAT(Ids(*NewConn()), ElementsAre(1, 3));
}

TEST_P(StoreConformanceTest, SavepointNamesAndPlacementAreChecked) {
  VT_EXPECT_CODE(conn().Savepoint("sp"), StatusCode::kFailedPrecondition);  // no transaction
  VT_ASSERT_OK(conn().Begin());
  VT_EXPECT_CODE(conn().Savepoint("x; DROP TABLE y"), StatusCode::kInvalidArgument);
  VT_ASSERT_OK(conn().Rollback());
}

TEST_P(StoreConformanceTest, FailedStatementPoisonsTransactionUntilRollback) {
  CreateItems(conn());
  VT_ASSERT_OK(conn().Begin());
  VT_ASSERT_OK(conn().Exec("INSERT INTO items (id) VALUES (1)"));
  VT_EXPECT_CODE(conn().Exec("INSERT INTO items (id) VALUES (1)"), StatusCode::kAlreadyExists);
  VT_EXPECT_CODE(conn().Exec("INSERT INTO items (id) VALUES (2)"), StatusCode::kFailedPrecondition);
  VT_EXPECT_CODE(conn().Commit(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Ids(conn()).empty());
  VT_ASSERT_OK(conn().Exec("INSERT INTO items (id) VALUES (5)"));  // usable again
  EXPECT_THAT(Ids(conn()), ElementsAre(5));
}

TEST_P(StoreConformanceTest, SavepointRecoversFromFailedStatement) {
  CreateItems(conn());
  VT_ASSERT_OK(conn().Begin());
  VT_ASSERT_OK(conn().Exec("INSERT INTO items (id) VALUES (1)"));
  VT_ASSERT_OK(conn().Savepoint("before_dup"));
  VT_EXPECT_CODE(conn().Exec("INSERT INTO items (id) VALUES (1)"), StatusCode::kAlreadyExists);
  VT_ASSERT_OK(conn().RollbackToSavepoint("before_dup"));
  VT_ASSERT_OK(conn().Exec("INSERT INTO items (id) VALUES (2)"));
  VT_ASSERT_OK(conn().Commit());
  EXPECT_THAT(Ids(conn()), ElementsAre(1, 2));
}

TEST_P(StoreConformanceTest, TransactionCallsOutOfOrderAreFailedPrecondition) {
  VT_EXPECT_CODE(conn().Commit(), StatusCode::kFailedPrecondition);
  VT_ASSERT_OK(conn().Rollback());  // nothing to roll back: fine
  VT_ASSERT_OK(conn().Begin());
  VT_EXPECT_CODE(conn().Begin(), StatusCode::kFailedPrecondition);
  VT_ASSERT_OK(conn().Rollback());
}

TEST_P(StoreConformanceTest, ExecScriptRunsSeveralStatements) {
  VT_ASSERT_OK(conn().ExecScript(
      "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);"));
  VT_ASSERT_OK_AND_ASSIGN(Row row, conn().QueryOne("SELECT COUNT(*) FROM a"));
  EXPECT_EQ(row.Int(0), 2);
  VT_EXPECT_CODE(conn().ExecScript("INSERT INTO nowhere VALUES (1)"), StatusCode::kInternal);
}

TEST_P(StoreConformanceTest, DescribeNamesTheBackend) {
  std::string d = db().Describe();
  EXPECT_TRUE(d.starts_with(dialect() == Dialect::kSqlite ? "sqlite:" : "postgresql:")) << d;
  EXPECT_EQ(conn().dialect(), db().dialect());
}

// More distinct statements than the SQLite statement cache holds, each run twice.
TEST_P(StoreConformanceTest, ManyDistinctStatementsStayCorrect) {
  for (int pass = 0; pass < 2; ++pass) {
    for (int64_t k = 0; k < 100; ++k) {
      VT_ASSERT_OK_AND_ASSIGN(Row row,
                              conn().QueryOne("SELECT ? + " + std::to_string(k), {int64_t{1000}}));
      ASSERT_EQ(row.Int(0), 1000 + k);
    }
  }
}

TEST_P(StoreConformanceTest, RepeatedStatementSeesSchemaChanges) {
  CreateItems(conn());
  VT_ASSERT_OK(conn().Exec("INSERT INTO items (id) VALUES (1)"));
  VT_ASSERT_OK_AND_ASSIGN(Row before, conn().QueryOne("SELECT * FROM items"));
  EXPECT_EQ(before.size(), 2u);
  VT_ASSERT_OK(conn().Exec("ALTER TABLE items ADD COLUMN extra TEXT"));
  VT_ASSERT_OK_AND_ASSIGN(Row after, conn().QueryOne("SELECT * FROM items"));
  EXPECT_EQ(after.size(), 3u);
}

TEST_P(StoreConformanceTest, LostServerConnectionIsUnavailable) {
  if (dialect() != Dialect::kPostgres) GTEST_SKIP() << "no server connection to lose";
  auto victim = NewConn();
  VT_ASSERT_OK_AND_ASSIGN(Row pid, victim->QueryOne("SELECT pg_backend_pid()"));
  VT_ASSERT_OK(conn().Query("SELECT pg_terminate_backend(CAST(? AS INTEGER))", {pid.Int(0)}));
  VT_EXPECT_CODE(victim->Query("SELECT 1"), StatusCode::kUnavailable);
  VT_EXPECT_CODE(victim->Query("SELECT 1"), StatusCode::kUnavailable);  // stays dead
  VT_ASSERT_OK(NewConn()->Query("SELECT 1"));                           // others are fine
}

VT_INSTANTIATE_BACKEND_TEST(StoreConformanceTest);

}  // namespace
}  // namespace vt::store
