// Conformance-test support: run the same GoogleTest suite against every storage
// backend (docs/operations.md: "one conformance test suite runs against both").
//
// Environment contract:
//   VTRUST_TEST_PG     libpq connection string (keyword=value or URI) of a throwaway
//                      PostgreSQL database whose user may CREATE SCHEMA in it
//                      (scripts/with-postgres.sh sets it). When set, every backend
//                      test also runs on PostgreSQL, each test in a fresh schema
//                      vt_<random> (the search_path of its connections), dropped after.
//   VTRUST_REQUIRE_PG  "1": PostgreSQL is mandatory (CI). If VTRUST_TEST_PG is unset,
//                      every postgres test FAILS instead of being left out.
// SQLite always runs, each test on a fresh file in a temporary directory.
//
// Usage in any module's *_test.cc:
//   class WidgetRepoTest : public vt::store::BackendTest {};
//   TEST_P(WidgetRepoTest, Roundtrip) { auto conn = NewConn(); ... }
//   VT_INSTANTIATE_BACKEND_TEST(WidgetRepoTest);
// A fixture that overrides SetUp() must call BackendTest::SetUp() first and return if
// HasFatalFailure().
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/sql.h"

namespace vt::store {

// One backend the conformance tests run on.
struct BackendParam {
  std::string name;  // "sqlite" or "postgres": the test-name suffix
  // Creates a fresh, empty database. Destroying the returned Database (after all its
  // connections are closed) deletes it. Thread-safe.
  std::function<StatusOr<std::unique_ptr<Database>>()> create_fresh;
  // If non-empty, the backend is required but unusable: its tests fail with this text.
  std::string unusable;
  // gtest prints parameters in failure messages.
  friend void PrintTo(const BackendParam& p, std::ostream* os) { *os << p.name; }
};

// A non-owning Database over `db` (which must outlive it): lets a component that
// takes ownership of a Database (a Service, say) run on a fixture's database and be
// re-opened on it without dropping it.
inline std::unique_ptr<Database> BorrowDatabase(Database& db) {
  struct Borrowed final : Database {
    explicit Borrowed(Database& d) : d(d) {}
    Dialect dialect() const override { return d.dialect(); }
    StatusOr<std::unique_ptr<Conn>> Connect() override { return d.Connect(); }
    std::string Describe() const override { return d.Describe(); }
    Database& d;
  };
  return std::make_unique<Borrowed>(db);
}

// SQLite always; PostgreSQL per the environment contract above.
std::vector<BackendParam> TestBackends();

// gtest's name generator for INSTANTIATE_TEST_SUITE_P.
struct BackendParamName {
  template <typename Info>
  std::string operator()(const Info& info) const {
    return info.param.name;
  }
};

// Base fixture: a fresh database per test, dropped after it.
class BackendTest : public ::testing::TestWithParam<BackendParam> {
 protected:
  void SetUp() override {
    if (!GetParam().unusable.empty()) GTEST_FAIL() << GetParam().unusable;
    auto db = GetParam().create_fresh();
    ASSERT_TRUE(db.ok()) << GetParam().name << ": " << db.status().ToString();
    db_ = std::move(db).value();
  }
  void TearDown() override {
    conn_.reset();
    db_.reset();
  }

  Database& db() { return *db_; }
  Dialect dialect() const { return db_->dialect(); }
  // A new connection to the test database. Throws (failing the test) if it cannot.
  std::unique_ptr<Conn> NewConn() {
    auto conn = db_->Connect();
    if (!conn.ok()) throw std::runtime_error("Connect: " + conn.status().ToString());
    return std::move(conn).value();
  }
  // The test's default connection, opened on first use.
  Conn& conn() {
    if (!conn_) conn_ = NewConn();
    return *conn_;
  }

 private:
  std::unique_ptr<Database> db_;  // declared first: outlives conn_
  std::unique_ptr<Conn> conn_;
};

}  // namespace vt::store

namespace vt::store {

// The Status of a Status or StatusOr (for the assertion macros below).
inline Status StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const StatusOr<T>& s) {
  return s.status();
}

}  // namespace vt::store

// Asserts that a Status or StatusOr is OK, printing the error otherwise.
#define VT_ASSERT_OK(expr)                                                                \
  do {                                                                                    \
    const ::vt::Status vt_assert_status_ = ::vt::store::StatusOf(expr);                   \
    ASSERT_TRUE(vt_assert_status_.ok()) << #expr << ": " << vt_assert_status_.ToString(); \
  } while (0)

// `lhs = value of expr` (a StatusOr), or a fatal test failure.
#define VT_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  VT_ASSERT_OK_AND_ASSIGN_IMPL_(VT_CONCAT_(vt_assert_or_, __LINE__), lhs, expr)
#define VT_ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr)                \
  auto tmp = (expr);                                                 \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.status().ToString(); \
  lhs = std::move(tmp).value()

// Expects a Status or StatusOr to fail with `code` (a vt::StatusCode enumerator).
#define VT_EXPECT_CODE(expr, expected_code)                             \
  do {                                                                  \
    const ::vt::Status vt_expect_status_ = ::vt::store::StatusOf(expr); \
    EXPECT_EQ(vt_expect_status_.code(), expected_code)                  \
        << #expr << ": " << vt_expect_status_.ToString();               \
  } while (0)

// Instantiates a TEST_P suite derived from BackendTest over TestBackends().
#define VT_INSTANTIATE_BACKEND_TEST(Suite)                                                    \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::ValuesIn(::vt::store::TestBackends()), \
                           ::vt::store::BackendParamName())
