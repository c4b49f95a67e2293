// Dialect-neutral parts of store/sql.h: Row accessors, savepoints, migrations,
// transactions with retry, and URL dispatch (docs/operations.md: SQLite by default,
// PostgreSQL when several servers share one database).
#include "store/sql.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/encoding.h"
#include "store/sql_internal.h"

namespace vt::store {
namespace {

const char* TypeName(const Value& v) {
  switch (v.index()) {
    case 0:
      return "NULL";
    case 1:
      return "int64";
    case 2:
      return "double";
    case 3:
      return "text";
    case 4:
      return "blob";
  }
  return "?";
}

// The schema is ours, so a type mismatch is a bug: abort loudly.
[[noreturn]] void TypeMismatch(const char* accessor, size_t i, const Value& v) {
  std::fprintf(stderr, "store::Row::%s(%zu): column holds %s\n", accessor, i, TypeName(v));
  std::abort();
}

}  // namespace

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* p = std::get_if<int64_t>(&v)) return *p;
  TypeMismatch("Int", i, v);
}

double Row::Double(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* p = std::get_if<double>(&v)) return *p;
  // SQLite's NUMERIC affinity stores 3.0 as the integer 3; widening is lossless here.
  if (const auto* p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  TypeMismatch("Double", i, v);
}

const std::string& Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* p = std::get_if<std::string>(&v)) return *p;
  TypeMismatch("Text", i, v);
}

const std::string& Row::Bytes(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* p = std::get_if<Blob>(&v)) return p->bytes;
  TypeMismatch("Bytes", i, v);
}

std::optional<std::string> Row::OptText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

std::optional<int64_t> Row::OptInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

namespace internal {

Status CheckParams(const std::vector<Value>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    if (const auto* s = std::get_if<std::string>(&params[i])) {
      if (s->find('\0') != std::string::npos) {
        return InvalidArgumentError("text parameter " + std::to_string(i + 1) +
                                    " contains a NUL byte (bind bytes as Blob)");
      }
      if (!IsValidUtf8(*s)) {
        return InvalidArgumentError("text parameter " + std::to_string(i + 1) +
                                    " is not valid UTF-8 (bind bytes as Blob)");
      }
    } else if (const auto* d = std::get_if<double>(&params[i]); d && std::isnan(*d)) {
      return InvalidArgumentError("parameter " + std::to_string(i + 1) + " is NaN");
    }
  }
  return OkStatus();
}

std::string FirstKeyword(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      size_t nl = sql.find('\n', i);
      i = nl == std::string_view::npos ? sql.size() : nl + 1;
    } else if (sql.substr(i, 2) == "/*") {
      size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) {
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++])));
  }
  return word;
}

bool IsPlainIdentifier(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace internal

namespace {

Status ExecSavepointCommand(Conn& conn, const std::string& prefix, const std::string& name) {
  if (!internal::IsPlainIdentifier(name)) {
    return InvalidArgumentError("savepoint name must be a plain identifier").WithField("name");
  }
  return conn.Exec(prefix + name).status();
}

}  // namespace

Status Conn::Savepoint(const std::string& name) {
  return ExecSavepointCommand(*this, "SAVEPOINT ", name);
}

Status Conn::ReleaseSavepoint(const std::string& name) {
  return ExecSavepointCommand(*this, "RELEASE SAVEPOINT ", name);
}

Status Conn::RollbackToSavepoint(const std::string& name) {
  return ExecSavepointCommand(*this, "ROLLBACK TO SAVEPOINT ", name);
}

StatusOr<Row> Conn::QueryOne(const std::string& sql, const std::vector<Value>& params) {
  VT_ASSIGN_OR_RETURN(std::vector<Row> rows, Query(sql, params));
  if (rows.empty()) return NotFoundError("no row");
  return std::move(rows.front());
}

Status InTransaction(Conn& conn, const std::function<Status(Conn&)>& fn, int max_attempts) {
  Status last = AbortedError("transaction not attempted (max_attempts < 1)");
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    last = conn.Begin();
    if (last.ok()) {
      last = fn(conn);
      if (last.ok()) {
        last = conn.Commit();
        if (last.ok()) return last;
      }
      // Commit may fail leaving the transaction open (SQLite BUSY): always end it.
      conn.Rollback().IgnoreError();
    }
    if (last.code() != StatusCode::kAborted) return last;
  }
  return std::move(last).Annotate("transaction aborted " + std::to_string(max_attempts) + " times");
}

StatusOr<std::unique_ptr<Database>> OpenDatabase(const std::string& url) {
  if (url.starts_with("sqlite:")) {
    std::string path = url.substr(7);
    // Accept "sqlite:///abs/path" as well as "sqlite:/abs/path" and "sqlite:rel/path".
    if (path.starts_with("//")) path = path.substr(2);
    if (path.empty()) return InvalidArgumentError("sqlite URL has no path").WithField("url");
    return OpenSqlite(path);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgres(url);
  }
  return InvalidArgumentError("unsupported database URL (want sqlite:PATH or postgresql://...)")
      .WithField("url");
}

}  // namespace vt::store
