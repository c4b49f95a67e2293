// The SQLite driver of store/sql.h, on the SQLite C API (docs/operations.md: the default
// storage, nothing to install or start).
//
// Every connection runs in WAL mode with synchronous=FULL (a committed transaction
// survives power loss), foreign_keys=ON and a 5 s busy timeout. Begin() is BEGIN
// IMMEDIATE, so writers queue on the write lock up front instead of failing at their
// first write; SQLite transactions are therefore serializable.
//
// To behave like PostgreSQL (so code tested on SQLite alone is right on both), a
// statement that fails inside a transaction marks the transaction failed: every
// later statement is refused with kFailedPrecondition until Rollback() or ROLLBACK
// TO SAVEPOINT, and Commit() rolls back and reports kFailedPrecondition.
#include <sqlite3.h>

#include <memory>
#include <string>

#include "store/sql.h"
#include "store/sql_internal.h"
#include "store/sqlite/sqlite_internal.h"

namespace vt::store {
namespace {

constexpr int kBusyTimeoutMs = 5000;

using internal::DbPtr;
using internal::MapSqliteError;
using internal::StmtPtr;

class SqliteConn final : public Conn {
 public:
  explicit SqliteConn(DbPtr db) : db_(std::move(db)) {}
  Dialect dialect() const override { return Dialect::kSqlite; }

  StatusOr<int64_t> Exec(const std::string& sql, const std::vector<Value>& params) override {
    int64_t changes = 0;
    VT_RETURN_IF_ERROR(Run(sql, params, nullptr, &changes));
    return changes;
  }

  StatusOr<std::vector<Row>> Query(const std::string& sql,
                                   const std::vector<Value>& params) override {
    std::vector<Row> rows;
    int64_t changes = 0;
    VT_RETURN_IF_ERROR(Run(sql, params, &rows, &changes));
    return rows;
  }

  Status ExecScript(const std::string& sql) override {
    VT_RETURN_IF_ERROR(CheckTransactionState(sql));
    bool in_txn = InTxn();
    char* err = nullptr;
    int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &err);
    std::unique_ptr<char, decltype(&sqlite3_free)> err_owner(err, &sqlite3_free);
    if (rc == SQLITE_OK) return OkStatus();
    if (in_txn) failed_ = true;
    return MapSqliteError(db_.get(), rc, "script");
  }

  Status Begin() override {
    if (InTxn()) return FailedPreconditionError("Begin: a transaction is already in progress");
    failed_ = false;
    return Simple("BEGIN IMMEDIATE");
  }

  Status Commit() override {
    if (!InTxn()) return FailedPreconditionError("Commit: no transaction in progress");
    if (failed_) {
      Rollback().IgnoreError();
      return FailedPreconditionError(
          "Commit: the transaction was rolled back because a statement in it failed");
    }
    return Simple("COMMIT");  // on failure the transaction stays open: Rollback()
  }

  Status Rollback() override {
    failed_ = false;
    if (!InTxn()) return OkStatus();  // SQLite may already have rolled back on error
    return Simple("ROLLBACK");
  }

 private:
  bool InTxn() const { return sqlite3_get_autocommit(db_.get()) == 0; }

  Status Simple(const char* sql) {
    int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? OkStatus() : MapSqliteError(db_.get(), rc, sql);
  }

  // Mirrors PostgreSQL: savepoint commands need a transaction, and a failed
  // transaction accepts nothing but a rollback.
  Status CheckTransactionState(const std::string& sql) const {
    std::string keyword = internal::FirstKeyword(sql);
    if (failed_ && keyword != "ROLLBACK") {
      return FailedPreconditionError(
          "current transaction is aborted (a statement failed); roll back first");
    }
    if (!InTxn() && !failed_ &&
        (keyword == "SAVEPOINT" || keyword == "RELEASE" || keyword == "ROLLBACK")) {
      return FailedPreconditionError(keyword + " outside a transaction");
    }
    return OkStatus();
  }

  Status Run(const std::string& sql, const std::vector<Value>& params, std::vector<Row>* rows,
             int64_t* changes) {
    VT_RETURN_IF_ERROR(internal::CheckParams(params));
    VT_RETURN_IF_ERROR(CheckTransactionState(sql));
    bool in_txn = InTxn();
    StatusOr<sqlite3_stmt*> prepared = cache_.Get(db_.get(), sql);
    if (!prepared.ok()) {
      if (in_txn) failed_ = true;  // PostgreSQL fails the transaction on a parse error
      return prepared.status();
    }
    sqlite3_stmt* stmt = *prepared;
    internal::StatementLease lease(stmt);
    VT_RETURN_IF_ERROR(internal::BindParams(db_.get(), stmt, params));
    int64_t before = sqlite3_total_changes64(db_.get());
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (rows != nullptr) rows->push_back(internal::ReadRow(stmt));
    }
    if (rc != SQLITE_DONE) {
      if (in_txn) failed_ = true;
      return MapSqliteError(db_.get(), rc, "statement");
    }
    if (failed_) failed_ = false;  // only a ROLLBACK TO got here: the error is undone
    // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE; report it
    // only if this statement changed something.
    *changes = sqlite3_total_changes64(db_.get()) != before ? sqlite3_changes64(db_.get()) : 0;
    return OkStatus();
  }

  DbPtr db_;  // declared first: destroyed after the cached statements
  internal::StatementCache cache_;
  bool failed_ = false;
};

StatusOr<std::string> QueryPragmaText(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  StmtPtr stmt(raw);
  if (rc != SQLITE_OK) return MapSqliteError(db, rc, sql);
  rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return MapSqliteError(db, rc, sql);
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
  return std::string(text != nullptr ? text : "");
}

Status Configure(sqlite3* db, const std::string& path) {
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  VT_ASSIGN_OR_RETURN(std::string mode, QueryPragmaText(db, "PRAGMA journal_mode=WAL"));
  if (mode != "wal" && path != ":memory:") {
    return InternalError("SQLite refused WAL mode (journal_mode=" + mode + ")");
  }
  int rc = sqlite3_exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", nullptr, nullptr,
                        nullptr);
  return rc == SQLITE_OK ? OkStatus() : MapSqliteError(db, rc, "configuring connection");
}

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(std::string path) : path_(std::move(path)) {}
  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string Describe() const override { return "sqlite:" + path_; }

  StatusOr<std::unique_ptr<Conn>> Connect() override {
    sqlite3* raw = nullptr;
    int rc =
        sqlite3_open_v2(path_.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    DbPtr db(raw);  // the handle exists (and must be closed) even when open fails
    if (rc != SQLITE_OK) {
      return MapSqliteError(db.get(), rc, "cannot open SQLite database " + path_);
    }
    Status s = Configure(db.get(), path_);
    if (!s.ok()) return std::move(s).Annotate("SQLite database " + path_);
    return std::unique_ptr<Conn>(std::make_unique<SqliteConn>(std::move(db)));
  }

 private:
  std::string path_;
};

}  // namespace

StatusOr<std::unique_ptr<Database>> OpenSqlite(const std::string& path) {
  auto db = std::make_unique<SqliteDatabase>(path);
  VT_ASSIGN_OR_RETURN(std::unique_ptr<Conn> probe, db->Connect());  // creates the file
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace vt::store
