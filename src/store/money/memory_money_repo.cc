// The in-memory money repository (memory_money_repo.h).
#include "store/money/memory_money_repo.h"

#include <algorithm>
#include <tuple>

#include "base/jcs.h"

namespace vt::store {

void MemoryMoneyRepo::AddAgreementVersion(const std::string& agreement_id, const MoneyVersionRow& v,
                                          bool in_force) {
  agreements_.insert(agreement_id);
  versions_[v.hash] = {agreement_id, v};
  if (in_force) in_force_[agreement_id] = v.hash;
}

StatusOr<std::map<std::string, settlement::RevenueLine>> MemoryMoneyRepo::FindLinesByKey(
    const std::string& org_id, const std::vector<std::string>& keys) {
  std::map<std::string, settlement::RevenueLine> out;
  for (const auto& k : keys)
    if (auto it = lines_.find({org_id, k}); it != lines_.end()) out.emplace(k, it->second.line);
  return out;
}

StatusOr<std::vector<settlement::RevenueLine>> MemoryMoneyRepo::LinesOfPeriod(
    const std::string& org_id, const std::string& work, const std::string& period,
    int64_t through_batch) {
  std::vector<settlement::RevenueLine> out;  // the map's key order is key byte order
  for (const auto& [key, s] : lines_)
    if (s.org_id == org_id && s.line.work == work && s.line.period == period &&
        s.batch_seq <= through_batch)
      out.push_back(s.line);
  return out;
}

StatusOr<int64_t> MemoryMoneyRepo::LastBatchSeq() {
  int64_t last = 0;
  for (const auto& b : batches_) last = std::max(last, b.seq);
  return last;
}

StatusOr<std::optional<MoneyVersionRow>> MemoryMoneyRepo::FindVersionInForce(
    const std::string& agreement_id) {
  auto it = in_force_.find(agreement_id);
  if (it == in_force_.end()) return std::optional<MoneyVersionRow>();
  return std::optional<MoneyVersionRow>(versions_.at(it->second).second);
}

StatusOr<std::optional<MoneyVersionRow>> MemoryMoneyRepo::FindVersionByHash(
    const std::string& hash) {
  auto it = versions_.find(hash);
  if (it == versions_.end()) return std::optional<MoneyVersionRow>();
  return std::optional<MoneyVersionRow>(it->second.second);
}

StatusOr<bool> MemoryMoneyRepo::AgreementExists(const std::string& agreement_id) {
  return agreements_.count(agreement_id) > 0;
}

StatusOr<std::optional<SettlementRunRow>> MemoryMoneyRepo::FindRun(const std::string& run_id) {
  auto it = runs_.find(run_id);
  if (it == runs_.end()) return std::optional<SettlementRunRow>();
  SettlementRunRow r = it->second;
  r.state.clear();
  r.created_by.clear();
  return std::optional<SettlementRunRow>(std::move(r));
}

StatusOr<std::optional<std::string>> MemoryMoneyRepo::FindActiveRunId(
    const std::string& agreement_id, const std::string& period) {
  for (const auto& [id, r] : runs_)
    if (r.agreement_id == agreement_id && r.period == period && r.status == RunStatus::kActive)
      return std::optional<std::string>(id);
  return std::optional<std::string>();
}

StatusOr<std::optional<std::string>> MemoryMoneyRepo::FindLaterActivePeriod(
    const std::string& agreement_id, const std::string& period) {
  for (const auto& [id, r] : runs_)
    if (r.agreement_id == agreement_id && r.period > period && r.status == RunStatus::kActive)
      return std::optional<std::string>(r.period);
  return std::optional<std::string>();
}

StatusOr<std::optional<std::string>> MemoryMoneyRepo::PreviousActiveState(
    const std::string& agreement_id, const std::string& period) {
  const SettlementRunRow* best = nullptr;
  for (const auto& [id, r] : runs_)
    if (r.agreement_id == agreement_id && r.period < period && r.status == RunStatus::kActive &&
        (!best || r.period > best->period))
      best = &r;
  if (!best) return std::optional<std::string>();
  return std::optional<std::string>(best->state);
}

StatusOr<std::vector<std::pair<std::string, int64_t>>> MemoryMoneyRepo::EarlierActivePeriods(
    const std::string& agreement_id, const std::string& period) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& [id, r] : runs_)
    if (r.agreement_id == agreement_id && r.period < period && r.status == RunStatus::kActive)
      out.emplace_back(r.period, r.through_batch);
  return out;
}

StatusOr<std::vector<LedgerMovement>> MemoryMoneyRepo::RunMovements(const std::string& run_id) {
  std::vector<LedgerMovement> out;
  for (const auto& m : movements_)
    if (m.run_id == run_id) out.push_back(m);
  std::sort(out.begin(), out.end(),
            [](const LedgerMovement& a, const LedgerMovement& b) { return a.seq < b.seq; });
  return out;
}

StatusOr<std::optional<StatementRow>> MemoryMoneyRepo::FindStatement(const std::string& run_id,
                                                                     const std::string& payee) {
  auto it = statements_.find({run_id, payee});
  if (it == statements_.end()) return std::optional<StatementRow>();
  return std::optional<StatementRow>(it->second);
}

Status MemoryMoneyRepo::InsertLines(const std::string& org_id,
                                    const std::vector<settlement::RevenueLine>& lines,
                                    int64_t batch_seq) {
  for (const auto& l : lines)
    if (!lines_.emplace(std::pair(org_id, l.idempotency_key), StoredLine{org_id, batch_seq, l})
             .second)
      return AlreadyExistsError("line " + l.idempotency_key + " is stored");
  return OkStatus();
}

Status MemoryMoneyRepo::InsertBatch(const RevenueBatchRow& batch) {
  batches_.push_back(batch);
  return OkStatus();
}

Status MemoryMoneyRepo::EnsureAccounts(const std::string&,
                                       const std::vector<LedgerAccount>& accounts,
                                       const std::string&) {
  for (const auto& a : accounts) accounts_.emplace(a.id, a);
  return OkStatus();
}

Status MemoryMoneyRepo::InsertMovements(const std::vector<LedgerMovement>& ms, const std::string&) {
  for (const auto& m : ms) {
    if (!accounts_.count(m.debit_account) || !accounts_.count(m.credit_account))
      return FailedPreconditionError("movement " + m.id + " names an unknown account");
    movements_.push_back(m);
  }
  return OkStatus();
}

Status MemoryMoneyRepo::MarkRunCorrected(const std::string& run_id) {
  auto it = runs_.find(run_id);
  if (it != runs_.end()) it->second.status = RunStatus::kCorrected;
  return OkStatus();
}

Status MemoryMoneyRepo::InsertRun(const SettlementRunRow& run) {
  if (!runs_.emplace(run.id, run).second) return AlreadyExistsError("run " + run.id);
  return OkStatus();
}

Status MemoryMoneyRepo::InsertStatement(const StatementRow& s) {
  if (!statements_.emplace(std::pair(s.run_id, s.payee), s).second)
    return AlreadyExistsError("statement " + s.run_id + "/" + s.payee);
  return OkStatus();
}

Status MemoryMoneyRepo::SetRunLogIndex(const std::string& run_id, int64_t log_index) {
  if (auto it = runs_.find(run_id); it != runs_.end()) it->second.log_index = log_index;
  return OkStatus();
}

Status MemoryMoneyRepo::SetStatementLogIndex(const std::string& run_id, const std::string& payee,
                                             int64_t log_index) {
  if (auto it = statements_.find({run_id, payee}); it != statements_.end())
    it->second.log_index = log_index;
  return OkStatus();
}

namespace {

// The `work` of a stored version document's terms, or empty.
std::string TermsWork(const MoneyVersionRow& v) {
  Json doc = Json::parse(v.document, nullptr, false);
  if (!doc.is_object() || !doc.contains("terms") || !doc["terms"].is_object()) return "";
  return doc["terms"].value("work", "");
}

bool Matches(const settlement::RevenueLine& l, const RevenueFilter& f) {
  return (f.work.empty() || l.work == f.work) && (f.period.empty() || l.period == f.period);
}

}  // namespace

StatusOr<std::vector<settlement::RevenueLine>> MemoryMoneyRepo::ListLines(
    const std::string& org_id, const RevenueFilter& filter, int64_t limit) {
  std::vector<settlement::RevenueLine> out;
  for (const auto& [key, s] : lines_)
    if (s.org_id == org_id && Matches(s.line, filter)) out.push_back(s.line);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.period < b.period; });
  if (static_cast<int64_t>(out.size()) > limit) out.resize(limit);
  return out;
}

StatusOr<std::vector<RevenueTotalRow>> MemoryMoneyRepo::RevenueTotals(const std::string& org_id,
                                                                      const RevenueFilter& filter) {
  std::map<std::pair<std::string, std::string>, RevenueTotalRow> sums;
  for (const auto& [key, s] : lines_) {
    if (s.org_id != org_id || !Matches(s.line, filter)) continue;
    RevenueTotalRow& t = sums[{s.line.period, s.line.currency}];
    t.period = s.line.period;
    t.currency = s.line.currency;
    ++t.lines;
    if (__builtin_add_overflow(t.amount, s.line.amount, &t.amount))
      return OutOfRangeError("revenue total of " + t.period + " leaves the int64 range");
  }
  std::vector<RevenueTotalRow> out;
  for (auto& [k, t] : sums) out.push_back(t);
  return out;
}

StatusOr<std::vector<RevenueTotalRow>> MemoryMoneyRepo::UnmatchedTotals(const std::string& org_id,
                                                                        const std::string& work,
                                                                        const std::string& period,
                                                                        int64_t through_batch) {
  std::set<std::string> settled{work};
  for (const auto& id : agreements_) {
    auto w = FindAgreementWork(id);
    if (w.ok() && *w && (*w)->org_id == org_id) settled.insert((*w)->work);
  }
  std::map<std::string, RevenueTotalRow> sums;
  for (const auto& [key, s] : lines_) {
    if (s.org_id != org_id || s.line.period != period || s.batch_seq > through_batch ||
        settled.count(s.line.work))
      continue;
    RevenueTotalRow& t = sums[s.line.currency];
    t.currency = s.line.currency;
    ++t.lines;
    if (__builtin_add_overflow(t.amount, s.line.amount, &t.amount))
      return OutOfRangeError("unmatched revenue of " + period + " leaves the int64 range");
  }
  std::vector<RevenueTotalRow> out;
  for (auto& [k, t] : sums) out.push_back(t);
  return out;
}

StatusOr<std::set<std::string>> MemoryMoneyRepo::KnownWorks(const std::string& org_id,
                                                            const std::vector<std::string>& works) {
  std::set<std::string> known;
  for (const auto& w : works)
    if (works_.count(w)) known.insert(w);
  for (const auto& id : agreements_) {
    VT_ASSIGN_OR_RETURN(auto w, FindAgreementWork(id));
    if (w && w->org_id == org_id && std::find(works.begin(), works.end(), w->work) != works.end())
      known.insert(w->work);
  }
  return known;
}

StatusOr<std::optional<AgreementWorkRow>> MemoryMoneyRepo::FindAgreementWork(
    const std::string& agreement_id) {
  if (!agreements_.count(agreement_id)) return std::optional<AgreementWorkRow>();
  std::optional<AgreementWorkRow> out;
  for (const auto& [hash, v] : versions_)
    if (v.first == agreement_id) out = AgreementWorkRow{v.second.org_id, TermsWork(v.second)};
  return out;
}

StatusOr<std::vector<SettlementRunRow>> MemoryMoneyRepo::ListRuns(
    const std::optional<std::string>& org_id, const std::string& agreement_id) {
  std::vector<SettlementRunRow> out;
  for (const auto& [id, r] : runs_) {
    if ((org_id && r.org_id != *org_id) ||
        (!agreement_id.empty() && r.agreement_id != agreement_id))
      continue;
    out.push_back(r);
    out.back().state.clear();
    out.back().created_by.clear();
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.period, a.created_at) < std::tie(b.period, b.created_at);
  });
  return out;
}

StatusOr<std::vector<PayeeStatementRow>> MemoryMoneyRepo::StatementsOfPayees(
    const std::vector<std::string>& payees) {
  std::vector<PayeeStatementRow> out;
  for (const auto& [key, s] : statements_) {
    if (std::find(payees.begin(), payees.end(), s.payee) == payees.end()) continue;
    auto run = runs_.find(s.run_id);
    if (run == runs_.end()) continue;
    PayeeStatementRow row{run->second, s};
    row.run.state.clear();
    row.run.created_by.clear();
    row.statement.csv.clear();
    out.push_back(std::move(row));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.run.period, a.run.created_at) < std::tie(b.run.period, b.run.created_at);
  });
  return out;
}

}  // namespace vt::store
