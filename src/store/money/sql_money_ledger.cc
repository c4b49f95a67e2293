// Ledger accounts and movements, settlement runs and statements (sql_money_repo.h).
#include <algorithm>

#include "store/money/ledger_bulk.h"
#include "store/money/sql_money_repo.h"

namespace vt::store {
namespace {

constexpr size_t kAccountChunk = 100;  // accounts per multi-row insert

constexpr const char* kRunCols =
    "id, org_id, agreement_id, agreement_hash, period, currency, status, corrects, "
    "through_batch, line_count, net_receipts, lines_sha256, summary, created_at, log_index";

StatusOr<SettlementRunRow> RunFromRow(const Row& r) {
  SettlementRunRow x;
  x.id = r.Text(0);
  x.org_id = r.Text(1);
  x.agreement_id = r.Text(2);
  x.agreement_hash = r.Text(3);
  x.period = r.Text(4);
  x.currency = r.Text(5);
  auto status = ParseRunStatus(r.Text(6));
  if (!status) return InternalError("stored status of run " + x.id + " is unknown");
  x.status = *status;
  x.corrects = r.OptText(7).value_or("");
  x.through_batch = r.Int(8);
  x.line_count = r.Int(9);
  x.net_receipts = r.Int(10);
  x.lines_sha256 = r.Text(11);
  x.summary = r.Text(12);
  x.created_at = r.Text(13);
  x.log_index = r.OptInt(14);
  return x;
}

StatusOr<std::optional<std::string>> FirstText(StatusOr<std::vector<Row>> rows) {
  VT_RETURN_IF_ERROR(rows.status());
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>((*rows)[0].Text(0));
}

}  // namespace

Status SqlMoneyRepo::EnsureAccounts(const std::string& org_id,
                                    const std::vector<LedgerAccount>& accounts,
                                    const std::string& now) {
  for (size_t at = 0; at < accounts.size(); at += kAccountChunk) {
    size_t n = std::min(kAccountChunk, accounts.size() - at);
    std::vector<Value> params;
    for (size_t i = 0; i < n; ++i) {
      const LedgerAccount& a = accounts[at + i];
      params.insert(params.end(),
                    {a.id, org_id, std::string(LedgerAccountKindName(a.kind)), a.agreement_id,
                     a.payee.empty() ? Value() : Value(a.payee), a.currency, now});
    }
    VT_RETURN_IF_ERROR(c_.Exec("INSERT INTO ledger_accounts(id, org_id, kind, agreement_id, payee, "
                               "currency, created_at) VALUES " +
                                   RowPlaceholders(n, "(?,?,?,?,?,?,?)") +
                                   " ON CONFLICT (id) DO NOTHING",
                               params)
                           .status());
  }
  return OkStatus();
}

Status SqlMoneyRepo::InsertMovements(const std::vector<LedgerMovement>& ms,
                                     const std::string& now) {
  if (ms.empty()) return OkStatus();
  if (c_.dialect() == Dialect::kPostgres) {  // every movement in one statement (ledger_bulk.h)
    std::vector<Value> params{now};
    for (Value& v : MovementColumnArrays(ms)) params.push_back(std::move(v));
    return c_
        .Exec(
            "INSERT INTO ledger_transfers(id, run_id, seq, kind, debit_account, credit_account, "
            "amount, currency, reverses, created_at) SELECT *, ?::text FROM unnest(?::text[], "
            "?::text[], "
            "?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])",
            params)
        .status();
  }
  for (size_t at = 0; at < ms.size(); at += kBulkRows) {
    size_t n = std::min(kBulkRows, ms.size() - at);
    std::vector<Value> params;
    params.reserve(n * 10);
    AppendMovementRows(ms, at, n, now, &params);
    VT_RETURN_IF_ERROR(c_.Exec("INSERT INTO ledger_transfers(id, run_id, seq, kind, debit_account, "
                               "credit_account, amount, currency, reverses, created_at) VALUES " +
                                   RowPlaceholders(n, "(?,?,?,?,?,?,?,?,?,?)"),
                               params)
                           .status());
  }
  return OkStatus();
}

StatusOr<std::vector<LedgerMovement>> SqlMoneyRepo::RunMovements(const std::string& run_id) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, run_id, seq, kind, debit_account, "
                                          "credit_account, amount, currency, reverses FROM "
                                          "ledger_transfers WHERE run_id = ? ORDER BY seq",
                                          {run_id}));
  std::vector<LedgerMovement> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    auto kind = ParseMovementKind(r.Text(3));
    if (!kind) return InternalError("stored kind of ledger movement " + r.Text(0) + " is unknown");
    out.push_back({r.Text(0), r.Text(1), r.Int(2), *kind, r.Text(4), r.Text(5), r.Int(6), r.Text(7),
                   r.OptText(8).value_or("")});
  }
  return out;
}

StatusOr<std::optional<SettlementRunRow>> SqlMoneyRepo::FindRun(const std::string& run_id) {
  VT_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query(std::string("SELECT ") + kRunCols + " FROM settlement_runs WHERE id = ?", {run_id}));
  if (rows.empty()) return std::optional<SettlementRunRow>();
  VT_ASSIGN_OR_RETURN(SettlementRunRow run, RunFromRow(rows[0]));
  return std::optional<SettlementRunRow>(std::move(run));
}

StatusOr<std::optional<std::string>> SqlMoneyRepo::FindActiveRunId(const std::string& agreement_id,
                                                                   const std::string& period) {
  return FirstText(
      c_.Query("SELECT id FROM settlement_runs WHERE agreement_id = ? "
               "AND period = ? AND status = 'active'",
               {agreement_id, period}));
}

StatusOr<std::optional<std::string>> SqlMoneyRepo::FindLaterActivePeriod(
    const std::string& agreement_id, const std::string& period) {
  return FirstText(
      c_.Query("SELECT period FROM settlement_runs WHERE agreement_id "
               "= ? AND period > ? AND status = 'active'",
               {agreement_id, period}));
}

StatusOr<std::optional<std::string>> SqlMoneyRepo::PreviousActiveState(
    const std::string& agreement_id, const std::string& period) {
  return FirstText(
      c_.Query("SELECT state, period FROM settlement_runs WHERE "
               "agreement_id = ? AND period < ? AND status = "
               "'active' ORDER BY period DESC LIMIT 1",
               {agreement_id, period}));
}

StatusOr<std::vector<std::pair<std::string, int64_t>>> SqlMoneyRepo::EarlierActivePeriods(
    const std::string& agreement_id, const std::string& period) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT period, through_batch FROM settlement_runs "
                                          "WHERE agreement_id = ? AND period < ? AND status = "
                                          "'active'",
                                          {agreement_id, period}));
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& r : rows) out.emplace_back(r.Text(0), r.Int(1));
  return out;
}

Status SqlMoneyRepo::MarkRunCorrected(const std::string& run_id) {
  return c_.Exec("UPDATE settlement_runs SET status = 'corrected' WHERE id = ?", {run_id}).status();
}

Status SqlMoneyRepo::InsertRun(const SettlementRunRow& r) {
  return c_
      .Exec(
          "INSERT INTO settlement_runs(id, org_id, agreement_id, agreement_hash, period, "
          "currency, status, corrects, through_batch, line_count, net_receipts, lines_sha256, "
          "state, summary, created_at, created_by) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
          {r.id, r.org_id, r.agreement_id, r.agreement_hash, r.period, r.currency,
           std::string(RunStatusName(r.status)), r.corrects.empty() ? Value() : Value(r.corrects),
           r.through_batch, r.line_count, r.net_receipts, r.lines_sha256, r.state, r.summary,
           r.created_at, r.created_by})
      .status();
}

Status SqlMoneyRepo::InsertStatement(const StatementRow& s) {
  return c_
      .Exec(
          "INSERT INTO statements(run_id, payee, sha256, document, csv, "
          "signature, key_id, created_at) VALUES(?,?,?,?,?,?,?,?)",
          {s.run_id, s.payee, s.sha256, s.document, s.csv, s.signature, s.key_id, s.created_at})
      .status();
}

StatusOr<std::optional<StatementRow>> SqlMoneyRepo::FindStatement(const std::string& run_id,
                                                                  const std::string& payee) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT document, signature, key_id, log_index, csv, "
                                          "sha256, created_at FROM statements WHERE run_id = ? "
                                          "AND payee = ?",
                                          {run_id, payee}));
  if (rows.empty()) return std::optional<StatementRow>();
  const Row& r = rows[0];
  StatementRow s{run_id,    payee,     r.Text(5), r.Text(0),  r.Text(4),
                 r.Text(1), r.Text(2), r.Text(6), r.OptInt(3)};
  return std::optional<StatementRow>(std::move(s));
}

StatusOr<std::vector<SettlementRunRow>> SqlMoneyRepo::ListRuns(
    const std::optional<std::string>& org_id, const std::string& agreement_id) {
  std::string sql = std::string("SELECT ") + kRunCols + " FROM settlement_runs WHERE 1 = 1";
  std::vector<Value> params;
  if (org_id) {
    sql += " AND org_id = ?";
    params.push_back(*org_id);
  }
  if (!agreement_id.empty()) {
    sql += " AND agreement_id = ?";
    params.push_back(agreement_id);
  }
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(sql + " ORDER BY period, created_at, id", params));
  std::vector<SettlementRunRow> out;
  for (const auto& r : rows) {
    VT_ASSIGN_OR_RETURN(SettlementRunRow run, RunFromRow(r));
    out.push_back(std::move(run));
  }
  return out;
}

StatusOr<std::vector<PayeeStatementRow>> SqlMoneyRepo::StatementsOfPayees(
    const std::vector<std::string>& payees) {
  std::vector<PayeeStatementRow> out;
  if (payees.empty()) return out;
  std::string cols = std::string("r.") + kRunCols;
  for (size_t at = cols.find(", "); at != std::string::npos; at = cols.find(", ", at + 2))
    cols.replace(at, 2, ", r.");
  std::vector<Value> params(payees.begin(), payees.end());
  VT_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("SELECT " + cols +
                   ", s.payee, s.sha256, s.document, s.signature, s.key_id, s.created_at, "
                   "s.log_index FROM statements s JOIN settlement_runs r ON r.id = s.run_id "
                   "WHERE s.payee IN (" +
                   RowPlaceholders(payees.size(), "?") + ") ORDER BY r.period, r.created_at, r.id",
               params));
  for (const auto& r : rows) {
    VT_ASSIGN_OR_RETURN(SettlementRunRow run, RunFromRow(r));
    StatementRow s{run.id,     r.Text(15), r.Text(16), r.Text(17),  "",
                   r.Text(18), r.Text(19), r.Text(20), r.OptInt(21)};
    out.push_back({std::move(run), std::move(s)});
  }
  return out;
}

Status SqlMoneyRepo::SetRunLogIndex(const std::string& run_id, int64_t log_index) {
  return c_.Exec("UPDATE settlement_runs SET log_index = ? WHERE id = ?", {log_index, run_id})
      .status();
}

Status SqlMoneyRepo::SetStatementLogIndex(const std::string& run_id, const std::string& payee,
                                          int64_t log_index) {
  return c_
      .Exec("UPDATE statements SET log_index = ? WHERE run_id = ? AND payee = ?",
            {log_index, run_id, payee})
      .status();
}

}  // namespace vt::store
