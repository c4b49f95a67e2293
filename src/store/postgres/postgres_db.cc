// The PostgreSQL driver of store/sql.h, on libpq (docs/operations.md: PostgreSQL when several
// servers share one database).
//
// Isolation: Begin() is BEGIN ISOLATION LEVEL SERIALIZABLE. The repositories are
// written once and mostly exercised on SQLite, whose BEGIN IMMEDIATE runs writers one
// at a time (serializable). Under PostgreSQL's default READ COMMITTED, the same
// read-then-write code (read the next log index, then insert at it) would race;
// SERIALIZABLE turns every such race into SQLSTATE 40001, reported as kAborted, which
// InTransaction() retries. The cost is an occasional retry under contention.
//
// Wire formats: parameters are sent as text except Blob, which is sent binary as
// bytea; results come back as text and are decoded by column type (int2/4/8, oid,
// bool -> int64; float4/8 -> double; numeric -> int64 if integral, else double;
// bytea -> Blob; everything else -> text). Each connection sets synchronous_commit=on
// (a commit returns only once its WAL is flushed) and extra_float_digits=3 (exact
// double round trips), and uses client_encoding UTF8.
#include <libpq-fe.h>

#include <memory>
#include <string>

#include "store/postgres/postgres_internal.h"
#include "store/sql.h"
#include "store/sql_internal.h"

namespace vt::store {
namespace {

struct PgConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct PgResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgConnPtr = std::unique_ptr<PGconn, PgConnCloser>;
using PgResultPtr = std::unique_ptr<PGresult, PgResultClearer>;

std::string OneLine(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return s;
}

Status MapError(PGconn* conn, const PGresult* res, const std::string& context) {
  std::string msg =
      context + ": " + OneLine(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  if (PQstatus(conn) == CONNECTION_BAD) {
    return UnavailableError("PostgreSQL connection lost: " + msg);
  }
  const char* raw = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view state = raw != nullptr ? raw : "";
  if (state == "23505") return AlreadyExistsError(msg);
  if (state == "40001" || state == "40P01") return AbortedError(msg);
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03" ||
      state == "53300") {
    return UnavailableError(msg);
  }
  // Failed transaction / no transaction: the same code the SQLite driver reports.
  if (state == "25P02" || state == "25P01" || state == "25001") return FailedPreconditionError(msg);
  return InternalError(msg);
}

class PgConn final : public Conn {
 public:
  explicit PgConn(PgConnPtr conn) : conn_(std::move(conn)) {}
  Dialect dialect() const override { return Dialect::kPostgres; }

  StatusOr<int64_t> Exec(const std::string& sql, const std::vector<Value>& params) override {
    VT_ASSIGN_OR_RETURN(PgResultPtr res, Run(sql, params));
    return internal::ChangedRows(res.get());
  }

  StatusOr<std::vector<Row>> Query(const std::string& sql,
                                   const std::vector<Value>& params) override {
    VT_ASSIGN_OR_RETURN(PgResultPtr res, Run(sql, params));
    return internal::DecodeRows(res.get());
  }

  Status ExecScript(const std::string& sql) override {
    VT_RETURN_IF_ERROR(CheckAlive());
    return Check(PgResultPtr(PQexec(conn_.get(), sql.c_str())), "script").status();
  }

  Status Begin() override {
    VT_RETURN_IF_ERROR(CheckAlive());
    if (PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) {
      return FailedPreconditionError("Begin: a transaction is already in progress");
    }
    return Simple("BEGIN ISOLATION LEVEL SERIALIZABLE").status();
  }

  Status Commit() override {
    VT_RETURN_IF_ERROR(CheckAlive());
    if (PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) {
      return FailedPreconditionError("Commit: no transaction in progress");
    }
    VT_ASSIGN_OR_RETURN(PgResultPtr res, Simple("COMMIT"));
    // COMMIT of a failed transaction "succeeds" with the tag ROLLBACK.
    if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK") {
      return FailedPreconditionError(
          "Commit: the transaction was rolled back because a statement in it failed");
    }
    return OkStatus();
  }

  Status Rollback() override {
    VT_RETURN_IF_ERROR(CheckAlive());
    if (PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) return OkStatus();
    return Simple("ROLLBACK").status();
  }

 private:
  Status CheckAlive() const {
    if (PQstatus(conn_.get()) == CONNECTION_BAD) {
      return UnavailableError("PostgreSQL connection lost (open a new connection)");
    }
    return OkStatus();
  }

  StatusOr<PgResultPtr> Check(PgResultPtr res, const std::string& context) {
    if (res == nullptr) return MapError(conn_.get(), nullptr, context);
    switch (PQresultStatus(res.get())) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
        return res;
      case PGRES_EMPTY_QUERY:
        return InvalidArgumentError("empty SQL statement");
      case PGRES_FATAL_ERROR:
        return MapError(conn_.get(), res.get(), context);
      default:
        return InvalidArgumentError(context + ": unsupported result " +
                                    PQresStatus(PQresultStatus(res.get())));
    }
  }

  StatusOr<PgResultPtr> Simple(const char* sql) {
    return Check(PgResultPtr(PQexec(conn_.get(), sql)), sql);
  }

  StatusOr<PgResultPtr> Run(const std::string& sql, const std::vector<Value>& params) {
    VT_RETURN_IF_ERROR(CheckAlive());
    VT_RETURN_IF_ERROR(internal::CheckParams(params));
    auto [rewritten, count] = internal::RewritePlaceholders(sql);
    if (count != static_cast<int>(params.size())) {
      return InvalidArgumentError("statement has " + std::to_string(count) + " placeholders but " +
                                  std::to_string(params.size()) + " parameters were given");
    }
    internal::EncodedParams e = internal::EncodeParams(params);
    PgResultPtr res(PQexecParams(conn_.get(), rewritten.c_str(), count, e.types.data(),
                                 e.values.data(), e.lengths.data(), e.formats.data(),
                                 /*resultFormat=*/0));
    return Check(std::move(res), "statement");
  }

  PgConnPtr conn_;
};

void IgnoreNotice(void*, const char*) {}  // warnings are not errors; keep stderr clean

StatusOr<PgConnPtr> ConnectPg(const std::string& conninfo) {
  // Defaults first: the connection string (expanded from "dbname") overrides them;
  // client_encoding comes last so that nothing overrides it.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                        nullptr};
  const char* vals[] = {"10", "vtrust", conninfo.c_str(), "UTF8", nullptr};
  PgConnPtr conn(PQconnectdbParams(keys, vals, /*expand_dbname=*/1));
  if (conn == nullptr) return ResourceExhaustedError("libpq could not allocate a connection");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return UnavailableError("cannot connect to PostgreSQL at " +
                            internal::DescribePostgres(conninfo) + ": " +
                            OneLine(PQerrorMessage(conn.get())));
  }
  PQsetNoticeProcessor(conn.get(), &IgnoreNotice, nullptr);
  PgResultPtr res(PQexec(conn.get(), "SET synchronous_commit = on; SET extra_float_digits = 3"));
  if (res == nullptr || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
    return MapError(conn.get(), res.get(), "configuring PostgreSQL session");
  }
  return conn;
}

class PgDatabase final : public Database {
 public:
  explicit PgDatabase(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string Describe() const override {
    return "postgresql: " + internal::DescribePostgres(conninfo_);
  }
  StatusOr<std::unique_ptr<Conn>> Connect() override {
    VT_ASSIGN_OR_RETURN(PgConnPtr conn, ConnectPg(conninfo_));
    return std::unique_ptr<Conn>(std::make_unique<PgConn>(std::move(conn)));
  }

 private:
  std::string conninfo_;  // may hold a password: never print it
};

}  // namespace

StatusOr<std::unique_ptr<Database>> OpenPostgres(const std::string& conninfo) {
  // Validate the syntax first, so a typo is InvalidArgument rather than Unavailable.
  VT_RETURN_IF_ERROR(internal::CheckPostgresConnInfo(conninfo));
  auto db = std::make_unique<PgDatabase>(conninfo);
  VT_ASSIGN_OR_RETURN(std::unique_ptr<Conn> probe, db->Connect());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace vt::store
