// SQLite statement plumbing shared by the SQLite driver (sqlite_db.cc): handle
// ownership, error mapping, the per-connection statement cache, and value
// binding/decoding. Internal to the store module.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "base/status.h"
#include "store/sql.h"

namespace vt::store::internal {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// Maps an SQLite result code (extended codes on) to a Status: UNIQUE/PRIMARY KEY
// violations are kAlreadyExists, BUSY/LOCKED kUnavailable, BUSY_SNAPSHOT kAborted,
// CORRUPT/NOTADB kDataLoss, the rest kInternal with sqlite3_errmsg. `db` may be null.
Status MapSqliteError(sqlite3* db, int rc, const std::string& context);

// Prepared statements keyed by SQL text, least recently used evicted beyond 64.
// Not thread-safe (one per connection); must be destroyed before its connection.
class StatementCache {
 public:
  // A prepared statement for `sql`, owned by the cache; the caller resets it after
  // use (StatementLease). InvalidArgument for empty SQL or more than one statement.
  StatusOr<sqlite3_stmt*> Get(sqlite3* db, const std::string& sql);

 private:
  struct Entry {
    StmtPtr stmt;
    uint64_t last_use;
  };
  void EvictOldest();
  std::unordered_map<std::string, Entry> entries_;
  uint64_t clock_ = 0;
};

// Resets a cached statement and drops its bindings when a call is done with it, so
// no statement keeps a read transaction open or points at freed parameters.
class StatementLease {
 public:
  explicit StatementLease(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementLease() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

// Binds `params` to ?1..?n as NULL/INTEGER/REAL/TEXT/BLOB. The values must outlive
// the statement's execution (they are bound without copying).
Status BindParams(sqlite3* db, sqlite3_stmt* stmt, const std::vector<Value>& params);

// The current result row, each column decoded by its storage class.
Row ReadRow(sqlite3_stmt* stmt);

}  // namespace vt::store::internal
