// An in-memory money repository for unit tests (no database), like leveldb's
// helpers/memenv. Not thread-safe. Agreement versions are seeded with
// AddAgreementVersion (the agreements capability writes them in production).
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/money/money_repo.h"

namespace vt::store {

class MemoryMoneyRepo final : public MoneyWriter {
 public:
  // Seeds agreement `agreement_id` and its version `v` (in force if `in_force`).
  void AddAgreementVersion(const std::string& agreement_id, const MoneyVersionRow& v,
                           bool in_force);
  // Seeds a registered work id (the rights capability writes works in production).
  void AddWork(const std::string& work_id) { works_.insert(work_id); }
  // What was stored, for assertions.
  const std::vector<LedgerMovement>& movements() const { return movements_; }
  const std::map<std::string, SettlementRunRow>& runs() const { return runs_; }
  const std::vector<RevenueBatchRow>& batches() const { return batches_; }
  const std::map<std::string, LedgerAccount>& accounts() const { return accounts_; }
  size_t line_count() const { return lines_.size(); }

  StatusOr<std::map<std::string, settlement::RevenueLine>> FindLinesByKey(
      const std::string& org_id, const std::vector<std::string>& keys) override;
  StatusOr<std::vector<settlement::RevenueLine>> LinesOfPeriod(const std::string& org_id,
                                                               const std::string& work,
                                                               const std::string& period,
                                                               int64_t through_batch) override;
  StatusOr<int64_t> LastBatchSeq() override;
  StatusOr<std::vector<settlement::RevenueLine>> ListLines(const std::string& org_id,
                                                           const RevenueFilter& filter,
                                                           int64_t limit) override;
  StatusOr<std::vector<RevenueTotalRow>> RevenueTotals(const std::string& org_id,
                                                       const RevenueFilter& filter) override;
  StatusOr<std::vector<RevenueTotalRow>> UnmatchedTotals(const std::string& org_id,
                                                         const std::string& work,
                                                         const std::string& period,
                                                         int64_t through_batch) override;
  StatusOr<std::set<std::string>> KnownWorks(const std::string& org_id,
                                             const std::vector<std::string>& works) override;
  StatusOr<std::optional<AgreementWorkRow>> FindAgreementWork(
      const std::string& agreement_id) override;
  StatusOr<std::vector<SettlementRunRow>> ListRuns(const std::optional<std::string>& org_id,
                                                   const std::string& agreement_id) override;
  StatusOr<std::vector<PayeeStatementRow>> StatementsOfPayees(
      const std::vector<std::string>& payees) override;
  StatusOr<std::optional<MoneyVersionRow>> FindVersionInForce(
      const std::string& agreement_id) override;
  StatusOr<std::optional<MoneyVersionRow>> FindVersionByHash(const std::string& hash) override;
  StatusOr<bool> AgreementExists(const std::string& agreement_id) override;
  StatusOr<std::optional<SettlementRunRow>> FindRun(const std::string& run_id) override;
  StatusOr<std::optional<std::string>> FindActiveRunId(const std::string& agreement_id,
                                                       const std::string& period) override;
  StatusOr<std::optional<std::string>> FindLaterActivePeriod(const std::string& agreement_id,
                                                             const std::string& period) override;
  StatusOr<std::optional<std::string>> PreviousActiveState(const std::string& agreement_id,
                                                           const std::string& period) override;
  StatusOr<std::vector<std::pair<std::string, int64_t>>> EarlierActivePeriods(
      const std::string& agreement_id, const std::string& period) override;
  StatusOr<std::vector<LedgerMovement>> RunMovements(const std::string& run_id) override;
  StatusOr<std::optional<StatementRow>> FindStatement(const std::string& run_id,
                                                      const std::string& payee) override;

  Status InsertLines(const std::string& org_id, const std::vector<settlement::RevenueLine>& lines,
                     int64_t batch_seq) override;
  Status InsertBatch(const RevenueBatchRow& batch) override;
  Status EnsureAccounts(const std::string& org_id, const std::vector<LedgerAccount>& accounts,
                        const std::string& now) override;
  Status InsertMovements(const std::vector<LedgerMovement>& movements,
                         const std::string& now) override;
  Status MarkRunCorrected(const std::string& run_id) override;
  Status InsertRun(const SettlementRunRow& run) override;
  Status InsertStatement(const StatementRow& statement) override;
  Status SetRunLogIndex(const std::string& run_id, int64_t log_index) override;
  Status SetStatementLogIndex(const std::string& run_id, const std::string& payee,
                              int64_t log_index) override;

 private:
  struct StoredLine {
    std::string org_id;
    int64_t batch_seq;
    settlement::RevenueLine line;
  };
  std::map<std::pair<std::string, std::string>, StoredLine> lines_;  // (org, key)
  std::vector<RevenueBatchRow> batches_;
  std::set<std::string> agreements_;
  std::set<std::string> works_;
  std::map<std::string, std::pair<std::string, MoneyVersionRow>> versions_;  // hash
  std::map<std::string, std::string> in_force_;                              // agreement -> hash
  std::map<std::string, LedgerAccount> accounts_;
  std::vector<LedgerMovement> movements_;
  std::map<std::string, SettlementRunRow> runs_;
  std::map<std::pair<std::string, std::string>, StatementRow> statements_;
};

}  // namespace vt::store
