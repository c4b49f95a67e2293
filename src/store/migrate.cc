// Migrate() from store/sql.h: versioned schema migrations recorded in
// schema_migrations(version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT).
#include <string>

#include "base/clock.h"
#include "store/sql.h"

namespace vt::store {
namespace {

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

Status ValidateMigrations(const std::vector<Migration>& migrations) {
  int previous = 0;
  for (const Migration& m : migrations) {
    if (m.version <= previous) {
      return InvalidArgumentError("migration versions must be positive and strictly increasing (" +
                                  std::to_string(m.version) + " after " + std::to_string(previous) +
                                  ")");
    }
    previous = m.version;
  }
  return OkStatus();
}

Status EnsureTable(Conn& conn) {
  Status s = conn.Exec(kCreateTable).status();
  // Two PostgreSQL servers creating the table at once: one loses on the catalog's
  // unique index. The table exists afterwards, so a second try succeeds.
  if (s.code() == StatusCode::kAlreadyExists) s = conn.Exec(kCreateTable).status();
  return s;
}

// The highest recorded version, 0 for an empty table.
StatusOr<int64_t> CurrentVersion(Conn& conn) {
  VT_ASSIGN_OR_RETURN(Row row, conn.QueryOne("SELECT MAX(version) FROM schema_migrations"));
  return row.OptInt(0).value_or(0);
}

// A database whose newest version this binary does not know was written by another
// (probably newer) vtrust: refuse to touch it.
Status CheckKnown(int64_t current, const std::vector<Migration>& migrations) {
  if (current == 0) return OkStatus();
  for (const Migration& m : migrations) {
    if (m.version == current) return OkStatus();
  }
  return FailedPreconditionError(
      "database schema version " + std::to_string(current) +
      " is unknown to this vtrust (it knows up to " +
      std::to_string(migrations.empty() ? 0 : migrations.back().version) +
      "); was it written by a newer version?");
}

Status ApplyOne(Conn& conn, const Migration& m, const std::vector<Migration>& all,
                const Clock& clock) {
  if (conn.dialect() == Dialect::kPostgres) {
    // Serializes concurrent migrators (SQLite's BEGIN IMMEDIATE already does).
    VT_RETURN_IF_ERROR(conn.Exec("LOCK TABLE schema_migrations IN EXCLUSIVE MODE").status());
  }
  VT_ASSIGN_OR_RETURN(int64_t current, CurrentVersion(conn));
  VT_RETURN_IF_ERROR(CheckKnown(current, all));
  if (current >= m.version) return OkStatus();  // another process applied it meanwhile
  const std::string& sql = conn.dialect() == Dialect::kPostgres ? m.postgres_sql : m.sqlite_sql;
  if (!sql.empty()) VT_RETURN_IF_ERROR(conn.ExecScript(sql));
  return conn
      .Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            {int64_t{m.version}, m.name, FormatRfc3339(clock.Now())})
      .status();
}

}  // namespace

Status Migrate(Conn& conn, const std::vector<Migration>& migrations, const Clock& clock) {
  VT_RETURN_IF_ERROR(ValidateMigrations(migrations));
  VT_RETURN_IF_ERROR(EnsureTable(conn));
  VT_ASSIGN_OR_RETURN(int64_t current, CurrentVersion(conn));
  VT_RETURN_IF_ERROR(CheckKnown(current, migrations));
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    Status s = InTransaction(conn, [&](Conn& c) { return ApplyOne(c, m, migrations, clock); });
    if (!s.ok()) {
      return std::move(s).Annotate("migration " + std::to_string(m.version) + " (" + m.name + ")");
    }
  }
  return OkStatus();
}

}  // namespace vt::store
