// A small, dialect-neutral SQL interface with two implementations: SQLite
// (embedded, the default) and PostgreSQL (when several servers share one database).
//
// Domain repositories (store/*_repo.h) are written once against this interface;
// migrations are written per dialect. Statements use `?` placeholders in both
// dialects (the PostgreSQL driver rewrites them to $1, $2, ...). Portable SQL only:
// INTEGER/BIGINT, TEXT, BLOB/BYTEA via the Value type, no RETURNING-dependent logic
// unless both dialects support it (both do support `INSERT ... RETURNING` and
// `ON CONFLICT DO NOTHING`).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace vt::store {

enum class Dialect { kSqlite, kPostgres };

// Binary data, kept distinct from text so that drivers bind it as BLOB/BYTEA.
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};

// A bound parameter or a column value. monostate is SQL NULL.
using Value = std::variant<std::monostate, int64_t, double, std::string, Blob>;

// One result row. Accessors fail (abort) on a type mismatch: the schema is ours.
class Row {
 public:
  explicit Row(std::vector<Value> v) : values_(std::move(v)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  int64_t Int(size_t i) const;
  double Double(size_t i) const;
  const std::string& Text(size_t i) const;
  const std::string& Bytes(size_t i) const;  // BLOB/BYTEA contents
  std::optional<std::string> OptText(size_t i) const;
  std::optional<int64_t> OptInt(size_t i) const;
  const Value& at(size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

// A connection. Not thread-safe: one thread uses a connection at a time.
// Errors: a violated UNIQUE/PRIMARY KEY constraint is kAlreadyExists; a
// serialization failure or busy/locked database is kAborted or kUnavailable; a lost
// server connection is kUnavailable; everything else is kInternal with the
// driver's message.
class Conn {
 public:
  virtual ~Conn() = default;
  virtual Dialect dialect() const = 0;
  // Runs a statement that returns no rows; returns the number of rows changed.
  virtual StatusOr<int64_t> Exec(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  // Runs a query and returns all rows.
  virtual StatusOr<std::vector<Row>> Query(const std::string& sql,
                                           const std::vector<Value>& params = {}) = 0;
  // Runs one or more statements without parameters (migrations).
  virtual Status ExecScript(const std::string& sql) = 0;

  // Transactions. Begin() starts a read-write transaction (on SQLite, BEGIN
  // IMMEDIATE, so the write lock is taken up front). Savepoints nest inside it.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  Status Savepoint(const std::string& name);
  Status ReleaseSavepoint(const std::string& name);
  Status RollbackToSavepoint(const std::string& name);

  // Convenience: first row of a query, NotFound if there is none.
  StatusOr<Row> QueryOne(const std::string& sql, const std::vector<Value>& params = {});
};

// Opens connections to one database. Thread-safe.
class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  virtual StatusOr<std::unique_ptr<Conn>> Connect() = 0;
  // A human-readable description without secrets ("sqlite:/data/vtrust.db").
  virtual std::string Describe() const = 0;
};

// SQLite database file at `path` (created if missing). Every connection uses WAL,
// synchronous=FULL, foreign_keys=ON and a busy timeout.
StatusOr<std::unique_ptr<Database>> OpenSqlite(const std::string& path);

// PostgreSQL, from a libpq connection string ("host=127.0.0.1 port=5433 dbname=vtrust
// user=vtrust" or "postgresql://..."). Fails if the server cannot be reached.
StatusOr<std::unique_ptr<Database>> OpenPostgres(const std::string& conninfo);

// Opens by URL: "sqlite:PATH" or "postgresql://..." / "postgres://...".
StatusOr<std::unique_ptr<Database>> OpenDatabase(const std::string& url);

// A schema migration: the same version number in both dialects.
struct Migration {
  int version;
  std::string name;
  std::string sqlite_sql;
  std::string postgres_sql;
};

// Applies, in one transaction each and in order, every migration newer than the
// database's recorded version (table schema_migrations). Idempotent. Fails if the
// database has a version this binary does not know (a newer vtrust wrote it).
// `clock` stamps each applied version's applied_at.
Status Migrate(Conn& conn, const std::vector<Migration>& migrations, const Clock& clock);

// Runs `fn` inside a transaction: Begin, fn, Commit; rolls back if fn fails or
// commit fails. Retries up to `max_attempts` times when the error is kAborted.
Status InTransaction(Conn& conn, const std::function<Status(Conn&)>& fn, int max_attempts = 3);

}  // namespace vt::store
