// Repositories of the money tables (revenue_batches, revenue_lines,
// ledger_accounts, ledger_transfers, settlement_runs, statements) and the reads
// of agreements that settlement runs need (docs/settlement.md).
//
// The closed sets of the ledger (account kinds, movement kinds, run status) are
// enums here and strings only in the tables and at the JSON edge.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "settlement/lines.h"
#include "store/sql.h"

namespace vt::store {

// The kind of a ledger account (docs/settlement.md, "Settlement runs and the ledger").
enum class LedgerAccountKind { kRevenue, kCollection, kPayable, kHold };
// The kind of a ledger movement.
enum class MovementKind { kReceipt, kSettlement, kReversal, kHold, kRelease };
// The status of a settlement run: active, or replaced by a correction.
enum class RunStatus { kActive, kCorrected };

// The stored names ("revenue", "receipt", "active", ...), also used in JSON.
std::string_view LedgerAccountKindName(LedgerAccountKind kind);
std::string_view MovementKindName(MovementKind kind);
std::string_view RunStatusName(RunStatus status);
// The enum of a stored name, or nullopt for an unknown name.
std::optional<LedgerAccountKind> ParseLedgerAccountKind(std::string_view name);
std::optional<MovementKind> ParseMovementKind(std::string_view name);
std::optional<RunStatus> ParseRunStatus(std::string_view name);

// A ledger account (one per agreement, currency and, for payable and hold, payee).
struct LedgerAccount {
  std::string id;
  LedgerAccountKind kind = LedgerAccountKind::kRevenue;
  std::string agreement_id;
  std::string payee;  // payable and hold accounts; empty otherwise
  std::string currency;
};

// A double-entry money movement: a positive amount from the debit account to the
// credit account (not a rights transfer).
struct LedgerMovement {
  std::string id;  // "<run id>/<seq>"
  std::string run_id;
  int64_t seq = 0;
  MovementKind kind = MovementKind::kReceipt;
  std::string debit_account;
  std::string credit_account;
  int64_t amount = 0;  // > 0
  std::string currency;
  std::string reverses;  // id of the reversed movement (kind kReversal), or empty
};

// An import request's batch of new revenue lines.
struct RevenueBatchRow {
  std::string id;  // "rvb_..."
  std::string org_id;
  int64_t seq = 0;
  int64_t line_count = 0;  // lines received
  int64_t new_count = 0;   // lines stored
  std::string sha256;
  std::string created_at;
  std::string created_by;
};

// An agreement version with its agreement's organization.
struct MoneyVersionRow {
  std::string org_id;
  std::string hash;
  std::string document;  // canonical JSON
};

// A settlement run as stored.
struct SettlementRunRow {
  std::string id;
  std::string org_id;
  std::string agreement_id;
  std::string agreement_hash;
  std::string period;
  std::string currency;
  RunStatus status = RunStatus::kActive;
  std::string corrects;  // empty if none
  int64_t through_batch = 0;
  int64_t line_count = 0;
  int64_t net_receipts = 0;
  std::string lines_sha256;
  std::string state;    // canonical JSON; written only (reads leave it empty)
  std::string summary;  // JSON text
  std::string created_at;
  std::string created_by;  // written only
  std::optional<int64_t> log_index;
};

// A payee's signed statement of a run.
struct StatementRow {
  std::string run_id;
  std::string payee;
  std::string sha256;
  std::string document;
  std::string csv;
  std::string signature;
  std::string key_id;
  std::string created_at;
  std::optional<int64_t> log_index;
};

// A payee's statement with the run that issued it (the statement's csv is left
// empty).
struct PayeeStatementRow {
  SettlementRunRow run;
  StatementRow statement;
};

// Which revenue lines a listing or a total covers (empty members: all).
struct RevenueFilter {
  std::string work;
  std::string period;
};

// The revenue lines of one period and currency: how many and their sum.
struct RevenueTotalRow {
  std::string period;
  std::string currency;
  int64_t lines = 0;
  int64_t amount = 0;
};

// An agreement's organization and the work it settles (agreements.work_id, or
// the `work` of its latest version's terms when the row names none).
struct AgreementWorkRow {
  std::string org_id;
  std::string work;
};

// Read-only queries over the money tables.
class MoneyReader {
 public:
  virtual ~MoneyReader() = default;

  // ---- revenue ----
  // Stored lines of `org_id` among `keys`, by idempotency key.
  virtual StatusOr<std::map<std::string, settlement::RevenueLine>> FindLinesByKey(
      const std::string& org_id, const std::vector<std::string>& keys) = 0;
  // Lines of `org_id` for `work` in `period` imported in batches <= through_batch,
  // in byte order of idempotency key.
  virtual StatusOr<std::vector<settlement::RevenueLine>> LinesOfPeriod(const std::string& org_id,
                                                                       const std::string& work,
                                                                       const std::string& period,
                                                                       int64_t through_batch) = 0;
  // The highest batch sequence number stored (0 if none).
  virtual StatusOr<int64_t> LastBatchSeq() = 0;
  // Lines of `org_id` matching `filter`, by period then idempotency key (byte
  // order), at most `limit`.
  virtual StatusOr<std::vector<settlement::RevenueLine>> ListLines(const std::string& org_id,
                                                                   const RevenueFilter& filter,
                                                                   int64_t limit) = 0;
  // Count and sum of the lines of `org_id` matching `filter` per (period,
  // currency), ascending. OutOfRange if a sum leaves int64.
  virtual StatusOr<std::vector<RevenueTotalRow>> RevenueTotals(const std::string& org_id,
                                                               const RevenueFilter& filter) = 0;
  // Count and sum per currency (period "" in the rows) of the lines of `org_id`
  // for `period` imported in batches <= through_batch whose work is neither
  // `work` nor the work of any agreement of `org_id`: revenue no agreement settles.
  virtual StatusOr<std::vector<RevenueTotalRow>> UnmatchedTotals(const std::string& org_id,
                                                                 const std::string& work,
                                                                 const std::string& period,
                                                                 int64_t through_batch) = 0;
  // The works among `works` known to `org_id`: registered work ids, and works of
  // agreements of `org_id` (their row's work_id, or for a row without one the
  // `work` of a version's terms).
  virtual StatusOr<std::set<std::string>> KnownWorks(const std::string& org_id,
                                                     const std::vector<std::string>& works) = 0;

  // ---- agreements (read only) ----
  // The version in force of `agreement_id`, or nullopt.
  virtual StatusOr<std::optional<MoneyVersionRow>> FindVersionInForce(
      const std::string& agreement_id) = 0;
  // The version with `hash`, or nullopt.
  virtual StatusOr<std::optional<MoneyVersionRow>> FindVersionByHash(const std::string& hash) = 0;
  // Whether the agreement exists.
  virtual StatusOr<bool> AgreementExists(const std::string& agreement_id) = 0;
  // The agreement's organization and work, or nullopt if it does not exist.
  virtual StatusOr<std::optional<AgreementWorkRow>> FindAgreementWork(
      const std::string& agreement_id) = 0;

  // ---- settlement runs ----
  // The run `run_id` (state and created_by left empty), or nullopt.
  virtual StatusOr<std::optional<SettlementRunRow>> FindRun(const std::string& run_id) = 0;
  // The id of the active run of `agreement_id` for `period`, or nullopt.
  virtual StatusOr<std::optional<std::string>> FindActiveRunId(const std::string& agreement_id,
                                                               const std::string& period) = 0;
  // A period after `period` with an active run of `agreement_id`, or nullopt.
  virtual StatusOr<std::optional<std::string>> FindLaterActivePeriod(
      const std::string& agreement_id, const std::string& period) = 0;
  // The state (JSON text) of the latest active run of a period before `period`,
  // or nullopt.
  virtual StatusOr<std::optional<std::string>> PreviousActiveState(const std::string& agreement_id,
                                                                   const std::string& period) = 0;
  // Runs (state left empty), of `org_id` if given and of `agreement_id` if not
  // empty, by period then creation.
  virtual StatusOr<std::vector<SettlementRunRow>> ListRuns(const std::optional<std::string>& org_id,
                                                           const std::string& agreement_id) = 0;
  // (period, through_batch) of the active runs of periods before `period`, unordered.
  virtual StatusOr<std::vector<std::pair<std::string, int64_t>>> EarlierActivePeriods(
      const std::string& agreement_id, const std::string& period) = 0;

  // ---- ledger and statements ----
  // The movements of run `run_id`, by seq.
  virtual StatusOr<std::vector<LedgerMovement>> RunMovements(const std::string& run_id) = 0;
  // The statement of `payee` in `run_id`, or nullopt.
  virtual StatusOr<std::optional<StatementRow>> FindStatement(const std::string& run_id,
                                                              const std::string& payee) = 0;
  // Every statement issued to one of `payees`, with its run, by period then run
  // creation.
  virtual StatusOr<std::vector<PayeeStatementRow>> StatementsOfPayees(
      const std::vector<std::string>& payees) = 0;
};

// Writes, inside the committer's transaction. Not thread-safe (one writer).
// Ledger rows are append-only (the database refuses changes to them).
class MoneyWriter : public MoneyReader {
 public:
  // Appends `lines` of `org_id` in batch `batch_seq` (bulk inserts).
  virtual Status InsertLines(const std::string& org_id,
                             const std::vector<settlement::RevenueLine>& lines,
                             int64_t batch_seq) = 0;
  virtual Status InsertBatch(const RevenueBatchRow& batch) = 0;
  // Inserts the accounts that do not exist yet.
  virtual Status EnsureAccounts(const std::string& org_id,
                                const std::vector<LedgerAccount>& accounts,
                                const std::string& now) = 0;
  // Appends `movements` (bulk inserts); the caller has checked them.
  virtual Status InsertMovements(const std::vector<LedgerMovement>& movements,
                                 const std::string& now) = 0;
  // Marks run `run_id` corrected.
  virtual Status MarkRunCorrected(const std::string& run_id) = 0;
  // Inserts `run` (log_index is not written).
  virtual Status InsertRun(const SettlementRunRow& run) = 0;
  // Inserts `statement` (log_index is not written).
  virtual Status InsertStatement(const StatementRow& statement) = 0;
  // Records the log indexes of a run's entry and of a statement's entry.
  virtual Status SetRunLogIndex(const std::string& run_id, int64_t log_index) = 0;
  virtual Status SetStatementLogIndex(const std::string& run_id, const std::string& payee,
                                      int64_t log_index) = 0;
};

// The SQL implementation over an open connection (both dialects); `conn` must
// outlive it.
std::unique_ptr<MoneyWriter> NewSqlMoneyRepo(Conn& conn);

}  // namespace vt::store
