// SQLite statement plumbing (store/sqlite_internal.h).
#include <cctype>

#include "store/sqlite/sqlite_internal.h"

namespace vt::store::internal {
namespace {

constexpr size_t kStatementCacheSize = 64;

bool OnlySeparators(const char* tail) {
  for (; *tail != '\0'; ++tail) {
    if (*tail != ';' && !std::isspace(static_cast<unsigned char>(*tail))) return false;
  }
  return true;
}

int BindOne(sqlite3_stmt* stmt, int i, const Value& v) {
  // SQLITE_STATIC: the parameters outlive the statement's use (see StatementLease).
  // std::string::data() is never null, so empty text/blob bind as empty, not NULL.
  switch (v.index()) {
    case 0:
      return sqlite3_bind_null(stmt, i);
    case 1:
      return sqlite3_bind_int64(stmt, i, std::get<int64_t>(v));
    case 2:
      return sqlite3_bind_double(stmt, i, std::get<double>(v));
    case 3: {
      const std::string& s = std::get<std::string>(v);
      return sqlite3_bind_text64(stmt, i, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
    }
    default: {
      const std::string& b = std::get<Blob>(v).bytes;
      return sqlite3_bind_blob64(stmt, i, b.data(), b.size(), SQLITE_STATIC);
    }
  }
}

Value ReadColumn(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return sqlite3_column_int64(stmt, i);
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(p, sqlite3_column_bytes(stmt, i));
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      int n = sqlite3_column_bytes(stmt, i);
      return Blob{n == 0 ? std::string() : std::string(p, n)};
    }
    default:
      return std::monostate{};
  }
}

}  // namespace

Status MapSqliteError(sqlite3* db, int rc, const std::string& context) {
  std::string msg = context + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return AlreadyExistsError(msg);
  }
  if (rc == SQLITE_BUSY_SNAPSHOT) return AbortedError(msg);  // a stale read snapshot
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return UnavailableError(msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(msg);
    default:
      return InternalError(msg);
  }
}

StatusOr<sqlite3_stmt*> StatementCache::Get(sqlite3* db, const std::string& sql) {
  if (auto it = entries_.find(sql); it != entries_.end()) {
    it->second.last_use = ++clock_;
    return it->second.stmt.get();
  }
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size() + 1),
                              SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  StmtPtr stmt(raw);
  if (rc != SQLITE_OK) return MapSqliteError(db, rc, "preparing statement");
  if (!stmt) return InvalidArgumentError("empty SQL statement");
  if (tail != nullptr && !OnlySeparators(tail)) {
    return InvalidArgumentError("one statement at a time (use ExecScript for scripts)");
  }
  if (entries_.size() >= kStatementCacheSize) EvictOldest();
  sqlite3_stmt* result = stmt.get();
  entries_.emplace(sql, Entry{std::move(stmt), ++clock_});
  return result;
}

void StatementCache::EvictOldest() {
  auto oldest = entries_.begin();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->second.last_use < oldest->second.last_use) oldest = it;
  }
  entries_.erase(oldest);
}

Status BindParams(sqlite3* db, sqlite3_stmt* stmt, const std::vector<Value>& params) {
  if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(params.size())) {
    return InvalidArgumentError(
        "statement has " + std::to_string(sqlite3_bind_parameter_count(stmt)) +
        " placeholders but " + std::to_string(params.size()) + " parameters were given");
  }
  for (size_t i = 0; i < params.size(); ++i) {
    int rc = BindOne(stmt, static_cast<int>(i + 1), params[i]);
    if (rc != SQLITE_OK) return MapSqliteError(db, rc, "binding parameter");
  }
  return OkStatus();
}

Row ReadRow(sqlite3_stmt* stmt) {
  int n = sqlite3_column_count(stmt);
  std::vector<Value> values;
  values.reserve(n);
  for (int i = 0; i < n; ++i) values.push_back(ReadColumn(stmt, i));
  return Row(std::move(values));
}

}  // namespace vt::store::internal
