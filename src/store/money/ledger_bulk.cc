// Bulk-write helpers (ledger_bulk.h).
#include "store/money/ledger_bulk.h"

namespace vt::store {

std::string PgTextArray(const std::vector<std::optional<std::string>>& elems) {
  std::string s = "{";
  for (size_t i = 0; i < elems.size(); ++i) {
    if (i) s += ',';
    if (!elems[i]) {
      s += "NULL";
      continue;
    }
    s += '"';
    for (char ch : *elems[i]) {
      if (ch == '"' || ch == '\\') s += '\\';
      s += ch;
    }
    s += '"';
  }
  s += '}';
  return s;
}

std::string PgIntArray(const std::vector<int64_t>& elems) {
  std::string s = "{";
  for (size_t i = 0; i < elems.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(elems[i]);
  }
  s += '}';
  return s;
}

std::string RowPlaceholders(size_t n, const std::string& one) {
  std::string s;
  s.reserve(n * (one.size() + 1));
  for (size_t i = 0; i < n; ++i) {
    if (i) s += ',';
    s += one;
  }
  return s;
}

std::vector<Value> MovementColumnArrays(const std::vector<LedgerMovement>& ms) {
  std::vector<std::optional<std::string>> id, run, kind, debit, credit, cur, rev;
  std::vector<int64_t> seq, amount;
  for (const LedgerMovement& t : ms) {
    id.push_back(t.id);
    run.push_back(t.run_id);
    seq.push_back(t.seq);
    kind.push_back(std::string(MovementKindName(t.kind)));
    debit.push_back(t.debit_account);
    credit.push_back(t.credit_account);
    amount.push_back(t.amount);
    cur.push_back(t.currency);
    rev.push_back(t.reverses.empty() ? std::nullopt : std::optional<std::string>(t.reverses));
  }
  return {PgTextArray(id),    PgTextArray(run),   PgIntArray(seq),
          PgTextArray(kind),  PgTextArray(debit), PgTextArray(credit),
          PgIntArray(amount), PgTextArray(cur),   PgTextArray(rev)};
}

void AppendMovementRows(const std::vector<LedgerMovement>& ms, size_t at, size_t n,
                        const std::string& now, std::vector<Value>* params) {
  for (size_t i = 0; i < n; ++i) {
    const LedgerMovement& t = ms[at + i];
    params->insert(params->end(), {t.id, t.run_id, t.seq, std::string(MovementKindName(t.kind)),
                                   t.debit_account, t.credit_account, t.amount, t.currency,
                                   t.reverses.empty() ? Value() : Value(t.reverses), now});
  }
}

}  // namespace vt::store
