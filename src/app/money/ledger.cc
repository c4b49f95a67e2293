// The double-entry ledger: accounts, movements, balance checks (ledger.h).
#include "app/money/ledger.h"

#include "settlement/amount_sum.h"

namespace vt::app {
namespace {

LedgerAccount Account(LedgerAccountKind kind, const std::string& agreement,
                      const std::string& payee, const std::string& cur) {
  std::string id = std::string(store::LedgerAccountKindName(kind)) + ":" + agreement +
                   (payee.empty() ? "" : ":" + payee) + ":" + cur;
  return {id, kind, agreement, payee, cur};
}

}  // namespace

LedgerAccount RevenueAccount(const std::string& a, const std::string& cur) {
  return Account(LedgerAccountKind::kRevenue, a, "", cur);
}
LedgerAccount CollectionAccount(const std::string& a, const std::string& cur) {
  return Account(LedgerAccountKind::kCollection, a, "", cur);
}
LedgerAccount PayableAccount(const std::string& a, const std::string& payee,
                             const std::string& cur) {
  return Account(LedgerAccountKind::kPayable, a, payee, cur);
}
LedgerAccount HoldAccount(const std::string& a, const std::string& payee, const std::string& cur) {
  return Account(LedgerAccountKind::kHold, a, payee, cur);
}

Json MovementToJson(const LedgerMovement& m) {
  Json j = {{"id", m.id},
            {"run", m.run_id},
            {"seq", m.seq},
            {"kind", std::string(store::MovementKindName(m.kind))},
            {"debit", m.debit_account},
            {"credit", m.credit_account},
            {"amount", m.amount},
            {"currency", m.currency}};
  if (!m.reverses.empty()) j["reverses"] = m.reverses;
  return j;
}

Status PostMovements(store::MoneyWriter& repo, const std::vector<LedgerMovement>& ms,
                     const std::string& now) {
  for (const LedgerMovement& m : ms)
    if (m.amount <= 0 || m.debit_account == m.credit_account)
      return InvalidArgumentError("transfer " + m.id +
                                  " must move a positive amount between "
                                  "two different accounts");
  if (ms.empty()) return OkStatus();
  return repo.InsertMovements(ms, now);
}

StatusOr<std::map<std::string, int64_t>> Balances(const std::vector<LedgerMovement>& ms) {
  std::map<std::string, settlement::AmountSum> sums;
  for (const LedgerMovement& m : ms) {
    sums[m.debit_account].Sub(m.amount);
    sums[m.credit_account].Add(m.amount);
  }
  std::map<std::string, int64_t> b;
  for (const auto& [account, sum] : sums) {
    VT_ASSIGN_OR_RETURN(b[account], sum.Total("balances." + account));
  }
  return b;
}

Status CheckRunBalanced(store::MoneyReader& repo, const std::string& run_id,
                        const std::string& collection) {
  VT_ASSIGN_OR_RETURN(auto ms, repo.RunMovements(run_id));
  std::map<std::string, __int128> debits, credits;
  for (const LedgerMovement& m : ms) {
    debits[m.currency] += m.amount;
    credits[m.currency] += m.amount;
  }
  // Per account: the sum of all balances is zero and the collection account is empty.
  __int128 total = 0;
  int64_t coll = 0;
  VT_ASSIGN_OR_RETURN(auto balances, Balances(ms));
  for (const auto& [account, balance] : balances) {
    total += balance;
    if (account == collection) coll = balance;
  }
  if (debits != credits || total != 0 || coll != 0)
    return InternalError("ledger of run " + run_id + " is not balanced (collection " +
                         std::to_string(coll) + ")");
  return OkStatus();
}

}  // namespace vt::app
