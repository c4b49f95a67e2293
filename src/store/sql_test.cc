// Backend-independent parts of the store module: Row accessors, URL dispatch,
// placeholder rewriting and secret-free connection descriptions.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "store/sql.h"
#include "store/sql_internal.h"
#include "store/store_testing.h"

namespace vt::store {
namespace {

using internal::RewritePlaceholders;

TEST(RowTest, AccessorsReturnTypedValues) {
  Row row({std::monostate{}, int64_t{7}, 2.5, std::string("t"), Blob{"\x01\x00"}});
  EXPECT_TRUE(row.IsNull(0));
  EXPECT_EQ(row.Int(1), 7);
  EXPECT_EQ(row.Double(2), 2.5);
  EXPECT_EQ(row.Double(1), 7.0);  // integers widen (SQLite NUMERIC affinity)
  EXPECT_EQ(row.Text(3), "t");
  EXPECT_EQ(row.Bytes(4), std::string("\x01"));
  EXPECT_EQ(row.OptText(0), std::nullopt);
  EXPECT_EQ(row.OptText(3), "t");
  EXPECT_EQ(row.OptInt(0), std::nullopt);
  EXPECT_EQ(row.OptInt(1), 7);
}

TEST(RowDeathTest, TypeMismatchAborts) {
  Row row({std::string("text"), 1.5});
  EXPECT_DEATH(row.Int(0), "Row::Int\\(0\\): column holds text");
  EXPECT_DEATH(row.Int(1), "holds double");
  EXPECT_DEATH(row.Bytes(0), "holds text");
}

TEST(RewritePlaceholdersTest, NumbersPlaceholdersInCode) {
  EXPECT_EQ(RewritePlaceholders("SELECT ?, ? FROM t WHERE a = ?"),
            std::make_pair(std::string("SELECT $1, $2 FROM t WHERE a = $3"), 3));
  EXPECT_EQ(RewritePlaceholders("SELECT 1"), std::make_pair(std::string("SELECT 1"), 0));
}

TEST(RewritePlaceholdersTest, LeavesLiteralsIdentifiersAndCommentsAlone) {
  const std::pair<std::string, std::string> cases[] = {
      {"SELECT '?', ?", "SELECT '?', $1"},
      {"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"},
      {"SELECT E'\\' ?', ?", "SELECT E'\\' ?', $1"},
      {"SELECT '\\', ?", "SELECT '\\', $1"},  // standard strings: backslash is literal
      {"SELECT \"a?b\" FROM t WHERE x = ?", "SELECT \"a?b\" FROM t WHERE x = $1"},
      {"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"},
      {"SELECT /* a /* nested? */ still? */ ?", "SELECT /* a /* nested? */ still? */ $1"},
      {"SELECT $$ ? $$, $tag$ ?$ $tag$, ?", "SELECT $$ ? $$, $tag$ ?$ $tag$, $1"},
      {"SELECT a$b, ?", "SELECT a$b, $1"},
  };
  for (const auto& [in, out] : cases) {
    EXPECT_EQ(RewritePlaceholders(in).first, out) << in;
  }
  EXPECT_EQ(RewritePlaceholders("SELECT 'unterminated ?").second, 0);
}

TEST(DescribePostgresTest, OmitsPasswordAndOtherOptions) {
  std::string kv = internal::DescribePostgres(
      "host=db.example port=5433 dbname=vt user=alice password=s3cret sslmode=require");
  EXPECT_EQ(kv, "host=db.example port=5433 dbname=vt user=alice");
  std::string uri = internal::DescribePostgres("postgresql://bob:hunter2@10.0.0.1:6000/prod");
  EXPECT_EQ(uri.find("hunter2"), std::string::npos) << uri;
  EXPECT_NE(uri.find("port=6000"), std::string::npos) << uri;
  EXPECT_EQ(internal::DescribePostgres("host='unterminated"), "(invalid connection string)");
}

TEST(PostgresWithSearchPathTest, AddsSearchPathKeepsTheRest) {
  VT_ASSERT_OK_AND_ASSIGN(
      std::string s, internal::PostgresWithSearchPath("host=h port=1 dbname=d user=u", "vt_abc"));
  EXPECT_EQ(internal::DescribePostgres(s), "host=h port=1 dbname=d user=u");
  EXPECT_TRUE(s.ends_with(" options='-c search_path=vt_abc'")) << s;
  VT_ASSERT_OK_AND_ASSIGN(
      std::string with_opts,
      internal::PostgresWithSearchPath("postgresql://u@h/d?options=-c%20geqo%3Doff", "vt_abc"));
  EXPECT_NE(with_opts.find("options='-c geqo=off -c search_path=vt_abc'"), std::string::npos)
      << with_opts;
  VT_EXPECT_CODE(internal::PostgresWithSearchPath("nonsense=1", "x"), StatusCode::kInvalidArgument);
  VT_EXPECT_CODE(internal::PostgresWithSearchPath("host=h", "x;y"), StatusCode::kInvalidArgument);
}

TEST(OpenDatabaseTest, DispatchesOnScheme) {
  VT_EXPECT_CODE(OpenDatabase("mysql://x"), StatusCode::kInvalidArgument);
  VT_EXPECT_CODE(OpenDatabase("sqlite:"), StatusCode::kInvalidArgument);
  // Nothing listens on port 1: a clear Unavailable without the password.
  auto pg = OpenDatabase("postgresql://vt:topsecret@127.0.0.1:1/vt?connect_timeout=2");
  VT_EXPECT_CODE(pg, StatusCode::kUnavailable);
  EXPECT_NE(pg.status().message().find("cannot connect to PostgreSQL at host=127.0.0.1 port=1"),
            std::string::npos)
      << pg.status().message();
  EXPECT_EQ(pg.status().message().find("topsecret"), std::string::npos);
}

TEST(OpenDatabaseTest, SqliteUrlCreatesTheFile) {
  std::string dir = ::testing::TempDir() + "/vt-open-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  VT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, OpenDatabase("sqlite:" + dir + "/a.db"));
  EXPECT_EQ(db->Describe(), "sqlite:" + dir + "/a.db");
  EXPECT_TRUE(std::filesystem::exists(dir + "/a.db"));
  VT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Conn> conn, db->Connect());
  VT_ASSERT_OK_AND_ASSIGN(Row mode, conn->QueryOne("PRAGMA journal_mode"));
  EXPECT_EQ(mode.Text(0), "wal");
  VT_ASSERT_OK_AND_ASSIGN(Row sync, conn->QueryOne("PRAGMA synchronous"));
  EXPECT_EQ(sync.Int(0), 2);  // FULL
  VT_ASSERT_OK_AND_ASSIGN(Row fk, conn->QueryOne("PRAGMA foreign_keys"));
  EXPECT_EQ(fk.Int(0), 1);
  conn.reset();
  db.reset();
  std::filesystem::remove_all(dir);
}

TEST(OpenDatabaseTest, SqliteRefusesAFileThatIsNotADatabase) {
  std::string path = ::testing::TempDir() + "/vt-notadb-" + std::to_string(::getpid());
  { std::ofstream(path) << "this is not an SQLite database, not even close........"; }
  VT_EXPECT_CODE(OpenSqlite(path), StatusCode::kDataLoss);
  std::filesystem::remove(path);
}

TEST(TestBackendsTest, SqliteAlwaysPostgresPerEnvironment) {
  std::vector<BackendParam> backends = TestBackends();
  ASSERT_FALSE(backends.empty());
  EXPECT_EQ(backends[0].name, "sqlite");
  const char* pg = std::getenv("VTRUST_TEST_PG");
  const char* req = std::getenv("VTRUST_REQUIRE_PG");
  bool want_pg = (pg != nullptr && *pg != '\0') || (req != nullptr && std::string(req) == "1");
  EXPECT_EQ(backends.size(), want_pg ? 2u : 1u);
}

// Sets an environment variable for one scope and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = std::getenv(name);
    if (old != nullptr) old_ = old;
    value != nullptr ? setenv(name, value, 1) : unsetenv(name);
  }
  ~ScopedEnv() { old_ ? setenv(name_, old_->c_str(), 1) : unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(TestBackendsTest, RequiredButMissingPostgresIsAFailingBackend) {
  ScopedEnv pg("VTRUST_TEST_PG", nullptr);
  ScopedEnv req("VTRUST_REQUIRE_PG", "1");
  std::vector<BackendParam> backends = TestBackends();
  ASSERT_EQ(backends.size(), 2u);
  EXPECT_EQ(backends[1].name, "postgres");
  EXPECT_NE(backends[1].unusable.find("VTRUST_TEST_PG is not set"), std::string::npos);
}

TEST(TestBackendsTest, WithoutEnvironmentOnlySqlite) {
  ScopedEnv pg("VTRUST_TEST_PG", nullptr);
  ScopedEnv req("VTRUST_REQUIRE_PG", nullptr);
  EXPECT_EQ(TestBackends().size(), 1u);
}

}  // namespace
}  // namespace vt::store
