// The double-entry ledger: accounts, transfers, balance checks.
#include "app/money/ledger.h"

#include <algorithm>
#include <map>

#include "app/money/ledger_sql.h"

namespace vt::app {
namespace {

constexpr size_t kTransferChunk = 100;  // accounts per multi-row INSERT

std::string Rows(size_t n, const char* one) { return RowPlaceholders(n, one); }

LedgerAccount Account(const char* kind, const std::string& agreement, const std::string& payee,
                      const std::string& cur) {
  std::string id =
      std::string(kind) + ":" + agreement + (payee.empty() ? "" : ":" + payee) + ":" + cur;
  return {id, kind, agreement, payee, cur};
}

// PostgreSQL: every transfer in one statement, columns as arrays (ledger_sql.h).
Status PostTransfersPg(store::Conn& c, const std::vector<Transfer>& ts, const std::string& now) {
  std::vector<std::optional<std::string>> id, run, kind, debit, credit, cur, rev;
  std::vector<int64_t> seq, amount;
  for (const Transfer& t : ts) {
    id.push_back(t.id);
    run.push_back(t.run_id);
    seq.push_back(t.seq);
    kind.push_back(t.kind);
    debit.push_back(t.debit_account);
    credit.push_back(t.credit_account);
    amount.push_back(t.amount);
    cur.push_back(t.currency);
    rev.push_back(t.reverses.empty() ? std::nullopt : std::optional<std::string>(t.reverses));
  }
  return c
      .Exec(
          "INSERT INTO ledger_transfers(id, run_id, seq, kind, debit_account, credit_account, "
          "amount, currency, reverses, created_at) SELECT *, ?::text FROM unnest(?::text[], "
          "?::text[], "
          "?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])",
          {now, PgTextArray(id), PgTextArray(run), PgIntArray(seq), PgTextArray(kind),
           PgTextArray(debit), PgTextArray(credit), PgIntArray(amount), PgTextArray(cur),
           PgTextArray(rev)})
      .status();
}

}  // namespace

LedgerAccount RevenueAccount(const std::string& a, const std::string& cur) {
  return Account("revenue", a, "", cur);
}
LedgerAccount CollectionAccount(const std::string& a, const std::string& cur) {
  return Account("collection", a, "", cur);
}
LedgerAccount PayableAccount(const std::string& a, const std::string& payee,
                             const std::string& cur) {
  return Account("payable", a, payee, cur);
}
LedgerAccount HoldAccount(const std::string& a, const std::string& payee, const std::string& cur) {
  return Account("hold", a, payee, cur);
}

Json Transfer::ToJson() const {
  Json j = {{"id", id},         {"run", run_id},          {"seq", seq},
            {"kind", kind},     {"debit", debit_account}, {"credit", credit_account},
            {"amount", amount}, {"currency", currency}};
  if (!reverses.empty()) j["reverses"] = reverses;
  return j;
}

Status EnsureAccounts(store::Conn& c, const std::string& org_id,
                      const std::vector<LedgerAccount>& accounts, const std::string& now) {
  for (size_t at = 0; at < accounts.size(); at += kTransferChunk) {
    size_t n = std::min(kTransferChunk, accounts.size() - at);
    std::vector<store::Value> params;
    for (size_t i = 0; i < n; ++i) {
      const LedgerAccount& a = accounts[at + i];
      params.insert(params.end(),
                    {a.id, org_id, a.kind, a.agreement_id,
                     a.payee.empty() ? store::Value() : store::Value(a.payee), a.currency, now});
    }
    VT_RETURN_IF_ERROR(c.Exec("INSERT INTO ledger_accounts(id, org_id, kind, agreement_id, payee, "
                              "currency, created_at) VALUES " +
                                  Rows(n, "(?,?,?,?,?,?,?)") + " ON CONFLICT (id) DO NOTHING",
                              params)
                           .status());
  }
  return OkStatus();
}

Status PostTransfers(store::Conn& c, const std::vector<Transfer>& ts, const std::string& now) {
  for (const Transfer& t : ts)
    if (t.amount <= 0 || t.debit_account == t.credit_account)
      return InvalidArgumentError("transfer " + t.id +
                                  " must move a positive amount between "
                                  "two different accounts");
  if (ts.empty()) return OkStatus();
  if (c.dialect() == store::Dialect::kPostgres) return PostTransfersPg(c, ts, now);
  for (size_t at = 0; at < ts.size(); at += kBulkRows) {
    size_t n = std::min(kBulkRows, ts.size() - at);
    std::vector<store::Value> params;
    params.reserve(n * 10);
    for (size_t i = 0; i < n; ++i) {
      const Transfer& t = ts[at + i];
      params.insert(
          params.end(),
          {t.id, t.run_id, t.seq, t.kind, t.debit_account, t.credit_account, t.amount, t.currency,
           t.reverses.empty() ? store::Value() : store::Value(t.reverses), now});
    }
    VT_RETURN_IF_ERROR(c.Exec("INSERT INTO ledger_transfers(id, run_id, seq, kind, debit_account, "
                              "credit_account, amount, currency, reverses, created_at) VALUES " +
                                  RowPlaceholders(n, "(?,?,?,?,?,?,?,?,?,?)"),
                              params)
                           .status());
  }
  return OkStatus();
}

StatusOr<std::vector<Transfer>> RunTransfers(store::Conn& c, const std::string& run_id) {
  VT_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, run_id, seq, kind, debit_account, "
                                         "credit_account, amount, currency, reverses FROM "
                                         "ledger_transfers WHERE run_id = ? ORDER BY seq",
                                         {run_id}));
  std::vector<Transfer> out;
  for (const auto& r : rows)
    out.push_back({r.Text(0), r.Text(1), r.Int(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6),
                   r.Text(7), r.OptText(8).value_or("")});
  return out;
}

std::map<std::string, int64_t> Balances(const std::vector<Transfer>& ts) {
  std::map<std::string, int64_t> b;
  for (const Transfer& t : ts) {
    b[t.debit_account] -= t.amount;
    b[t.credit_account] += t.amount;
  }
  return b;
}

Status CheckRunBalanced(store::Conn& c, const std::string& run_id, const std::string& collection) {
  VT_ASSIGN_OR_RETURN(auto ts, RunTransfers(c, run_id));
  std::map<std::string, __int128> debits, credits;
  for (const Transfer& t : ts) {
    debits[t.currency] += t.amount;
    credits[t.currency] += t.amount;
  }
  // Per account: the sum of all balances is zero and the collection account is empty.
  __int128 total = 0;
  int64_t coll = 0;
  for (const auto& [account, balance] : Balances(ts)) {
    total += balance;
    if (account == collection) coll = balance;
  }
  if (debits != credits || total != 0 || coll != 0)
    return InternalError("ledger of run " + run_id + " is not balanced (collection " +
                         std::to_string(coll) + ")");
  return OkStatus();
}

}  // namespace vt::app
