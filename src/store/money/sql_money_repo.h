// The SQL money repository (money_repo.h), internal to store/money: its methods
// are defined in sql_money_revenue.cc and sql_money_ledger.cc.
#pragma once

#include "store/money/money_repo.h"

namespace vt::store {

class SqlMoneyRepo final : public MoneyWriter {
 public:
  explicit SqlMoneyRepo(Conn& conn) : c_(conn) {}

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
  Conn& c_;
};

}  // namespace vt::store
