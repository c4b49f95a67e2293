// The settlement run use case (settlements.h): authorize, load the inputs
// through the repository, settle with the settlement library, post the ledger
// movements, sign the statements, log.
#include <algorithm>

#include "app/core/domain_names.h"
#include "app/money/revenue.h"
#include "app/money/settlements.h"
#include "base/encoding.h"
#include "crypto/digest.h"
#include "settlement/state.h"
#include "settlement/statement.h"

namespace vt::app {
namespace {

using settlement::RevenueLine;

bool IsMonth(const std::string& s) {
  if (s.size() != 7 || s[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6})
    if (s[i] < '0' || s[i] > '9') return false;
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  return m >= 1 && m <= 12;
}

Status LogEntry(const Clock& clock, std::vector<std::string>* log, const Principal& p,
                const std::string& type, const Json& subject, const Json& payload,
                int version = 1) {
  VT_ASSIGN_OR_RETURN(std::string e,
                      MakeEntry(type, version, clock, {p.org_id, p.member_id}, subject, payload));
  log->push_back(std::move(e));
  return OkStatus();
}

// What a run reads before it settles.
struct RunInputs {
  InForce version;
  std::string currency;
  std::optional<std::string> replaced;  // the active run of the period (a correction)
  settlement::SettlementState previous;
  int64_t through_batch = 0;
  std::vector<RevenueLine> lines;  // of the agreement's currency
};

// Refuses a run of a settled period (unless a correction), a correction of an
// unsettled one, and any run before a settled period.
Status CheckPeriodOrder(store::MoneyReader& repo, const RunRequest& req,
                        const std::optional<std::string>& same) {
  if (same && !req.correction)
    return AlreadyExistsError("period " + req.period + " of agreement " + req.agreement_id +
                              " is settled (run " + *same + "); run a correction to replace it")
        .WithField("period")
        .WithDetails(Json{{"run", *same}}.dump());
  if (!same && req.correction)
    return FailedPreconditionError("nothing to correct: period " + req.period + " is not settled")
        .WithField("period");
  VT_ASSIGN_OR_RETURN(auto later, repo.FindLaterActivePeriod(req.agreement_id, req.period));
  if (later)
    return FailedPreconditionError("period " + *later +
                                   " is settled already; periods settle in order and only the "
                                   "latest may be corrected")
        .WithField("period");
  return OkStatus();
}

StatusOr<RunInputs> LoadRunInputs(store::MoneyReader& repo, const Principal& p,
                                  const RunRequest& req) {
  RunInputs in;
  VT_ASSIGN_OR_RETURN(in.version, LoadInForce(repo, req.agreement_id));
  if (!p.is_operator && p.org_id != in.version.org_id)
    return NotFoundError("no agreement " + req.agreement_id).WithField("agreement_id");
  in.currency = std::string(in.version.terms.currency.code);
  VT_ASSIGN_OR_RETURN(in.replaced, repo.FindActiveRunId(req.agreement_id, req.period));
  VT_RETURN_IF_ERROR(CheckPeriodOrder(repo, req, in.replaced));
  VT_ASSIGN_OR_RETURN(auto state, repo.PreviousActiveState(req.agreement_id, req.period));
  if (state) {
    VT_ASSIGN_OR_RETURN(Json sj, ParseJsonStrict(*state));
    VT_ASSIGN_OR_RETURN(in.previous, settlement::StateFromJson(sj));
  }
  VT_ASSIGN_OR_RETURN(in.through_batch, repo.LastBatchSeq());
  VT_ASSIGN_OR_RETURN(auto all, repo.LinesOfPeriod(in.version.org_id, in.version.terms.work,
                                                   req.period, in.through_batch));
  for (auto& l : all)
    if (l.currency == in.currency) in.lines.push_back(std::move(l));
  return in;
}

// Movements of a settlement: revenue -> collection, collection -> payables.
std::vector<LedgerMovement> SettlementMovements(const std::string& run_id,
                                                const std::string& agreement,
                                                const std::string& cur,
                                                const settlement::Settlement& s, int64_t first_seq,
                                                std::vector<LedgerAccount>* accounts) {
  std::vector<LedgerMovement> ms;
  LedgerAccount rev = RevenueAccount(agreement, cur), coll = CollectionAccount(agreement, cur);
  accounts->push_back(rev);
  accounts->push_back(coll);
  int64_t seq = first_seq;
  auto add = [&](MovementKind kind, const std::string& from, const std::string& to,
                 int64_t amount) {
    if (amount == 0) return;
    LedgerMovement m{"", run_id, seq, kind, from, to, amount, cur, ""};
    if (amount < 0) m = {"", run_id, seq, kind, to, from, -amount, cur, ""};
    m.id = run_id + "/" + std::to_string(seq++);
    ms.push_back(std::move(m));
  };
  add(MovementKind::kReceipt, rev.id, coll.id, s.net_receipts);
  for (const auto& pa : s.payees) {
    LedgerAccount pay = PayableAccount(agreement, pa.payee, cur);
    accounts->push_back(pay);
    add(MovementKind::kSettlement, coll.id, pay.id, pa.amount);
  }
  return ms;
}

// A correction: reverses every movement of the replaced run (newest first),
// marks it corrected and logs ledger.reversal. Returns the reversing movements.
StatusOr<std::vector<LedgerMovement>> ReverseRun(store::MoneyWriter& repo, const Principal& p,
                                                 const RunInputs& in, const std::string& run_id,
                                                 const Clock& clock,
                                                 std::vector<std::string>* log) {
  const std::string& old = *in.replaced;
  VT_ASSIGN_OR_RETURN(auto olds, repo.RunMovements(old));
  std::vector<LedgerMovement> ms;
  int64_t seq = 1;
  for (auto it = olds.rbegin(); it != olds.rend(); ++it, ++seq)
    ms.push_back({run_id + "/" + std::to_string(seq), run_id, seq, MovementKind::kReversal,
                  it->credit_account, it->debit_account, it->amount, it->currency, it->id});
  VT_RETURN_IF_ERROR(repo.MarkRunCorrected(old));
  VT_RETURN_IF_ERROR(LogEntry(clock, log, p, "ledger.reversal",
                              {{"org", in.version.org_id}, {"run", old}},
                              {{"corrected_by", run_id}, {"transfers", olds.size()}}));
  return ms;
}

RunRecord MakeRecord(const RunRequest& req, const RunInputs& in, const settlement::Settlement& s,
                     const std::string& corrects, const std::string& now) {
  RunRecord run;
  run.id = req.run_id;
  run.org_id = in.version.org_id;
  run.agreement_id = req.agreement_id;
  run.agreement_hash = in.version.hash;
  run.period = req.period;
  run.currency = in.currency;
  run.status = RunStatus::kActive;
  run.corrects = corrects;
  run.through_batch = in.through_batch;
  run.line_count = static_cast<int64_t>(in.lines.size());
  run.net_receipts = s.net_receipts;
  run.lines_sha256 = LinesSha256(in.lines);
  run.created_at = now;
  return run;
}

// Posts the run's movements and its row, checks the ledger balanced and logs
// settlement.run. `ms` holds the reversing movements of a correction, if any.
StatusOr<RunRecord> PostRun(store::MoneyWriter& repo, const Principal& p, const RunRequest& req,
                            const RunInputs& in, const settlement::Settlement& s,
                            std::vector<LedgerMovement> ms, const std::string& corrects,
                            const std::string& now, const Clock& clock,
                            std::vector<std::string>* log) {
  std::vector<LedgerAccount> accounts;
  auto posted = SettlementMovements(req.run_id, req.agreement_id, in.currency, s,
                                    static_cast<int64_t>(ms.size()) + 1, &accounts);
  ms.insert(ms.end(), posted.begin(), posted.end());
  VT_RETURN_IF_ERROR(repo.EnsureAccounts(in.version.org_id, accounts, now));
  VT_RETURN_IF_ERROR(PostMovements(repo, ms, now));
  VT_ASSIGN_OR_RETURN(std::string summary,
                      settlement::SummaryJson(in.version.terms, s, "sha256:" + in.version.hash));
  RunRecord run = MakeRecord(req, in, s, corrects, now);
  run.summary = Json::parse(summary);
  VT_ASSIGN_OR_RETURN(std::string state, Canonicalize(settlement::StateToJson(s.state)));
  VT_RETURN_IF_ERROR(repo.InsertRun({run.id,
                                     run.org_id,
                                     run.agreement_id,
                                     run.agreement_hash,
                                     run.period,
                                     run.currency,
                                     run.status,
                                     run.corrects,
                                     run.through_batch,
                                     run.line_count,
                                     run.net_receipts,
                                     run.lines_sha256,
                                     state,
                                     summary,
                                     now,
                                     p.member_id,
                                     {}}));
  VT_RETURN_IF_ERROR(
      CheckRunBalanced(repo, run.id, CollectionAccount(req.agreement_id, in.currency).id));
  Json payload = {{"agreement", req.agreement_id},
                  {"agreement_hash", in.version.hash},
                  {"period", req.period},
                  {"currency", in.currency},
                  {"lines", run.line_count},
                  {"lines_sha256", run.lines_sha256},
                  {"net_receipts", Confidential(s.net_receipts, in.version.org_id)},
                  {"summary_sha256", HexEncode(crypto::Sha256(summary))},
                  {"transfers", ms.size()}};
  if (req.correction) payload["corrects"] = run.corrects;
  VT_RETURN_IF_ERROR(LogEntry(clock, log, p, "settlement.run",
                              {{"org", in.version.org_id}, {"run", run.id}}, payload, 2));
  return run;
}

// Signs and stores the statement of every payee that has one, logging
// statement.issued for each. Returns the payees, in log order.
StatusOr<std::vector<std::string>> IssueStatements(store::MoneyWriter& repo, const Principal& p,
                                                   const RunInputs& in,
                                                   const settlement::Settlement& s,
                                                   const RunRecord& run, const StatementKey& key,
                                                   const Clock& clock,
                                                   std::vector<std::string>* log) {
  const std::string digest = "sha256:" + in.version.hash;
  std::vector<std::string> payees;
  for (const auto& pa : s.payees) {
    auto doc = settlement::StatementJson(in.version.terms, s, pa.payee, digest);
    if (doc.status().code() == StatusCode::kNotFound) continue;
    VT_RETURN_IF_ERROR(doc.status());
    VT_ASSIGN_OR_RETURN(std::string csv, settlement::StatementCsv(in.version.terms, s, pa.payee));
    VT_ASSIGN_OR_RETURN(std::string sig, key.Sign(*doc));
    std::string sha = HexEncode(crypto::Sha256(*doc));
    VT_RETURN_IF_ERROR(repo.InsertStatement(
        {run.id, pa.payee, sha, *doc, csv, sig, key.key_id(), run.created_at, {}}));
    VT_RETURN_IF_ERROR(LogEntry(clock, log, p, "statement.issued",
                                {{"org", in.version.org_id}, {"run", run.id}, {"payee", pa.payee}},
                                {{"period", run.period},
                                 {"statement_sha256", sha},
                                 {"key_id", key.key_id()},
                                 {"total", Confidential(pa.amount, in.version.org_id, pa.payee)}},
                                2));
    payees.push_back(pa.payee);
  }
  return payees;
}

}  // namespace

Status AuthorizeRun(const Principal& p, const std::string& period) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                 "' may not run settlements");
  if (!IsMonth(period))
    return InvalidArgumentError("period must be a month YYYY-MM").WithField("period");
  return OkStatus();
}

StatusOr<RunOutcome> SettleRun(store::MoneyWriter& repo, const Principal& p, const RunRequest& req,
                               const StatementKey& key, const Clock& clock,
                               std::vector<std::string>* log) {
  VT_ASSIGN_OR_RETURN(RunInputs in, LoadRunInputs(repo, p, req));
  VT_ASSIGN_OR_RETURN(auto s,
                      settlement::Settle(in.version.terms, in.previous, req.period, in.lines));
  const std::string now = FormatRfc3339(clock.Now());
  std::vector<LedgerMovement> reversals;
  std::string corrects;
  if (req.correction) {
    VT_ASSIGN_OR_RETURN(reversals, ReverseRun(repo, p, in, req.run_id, clock, log));
    corrects = *in.replaced;
  }
  RunOutcome out;
  VT_ASSIGN_OR_RETURN(
      out.run, PostRun(repo, p, req, in, s, std::move(reversals), corrects, now, clock, log));
  VT_ASSIGN_OR_RETURN(out.payees, IssueStatements(repo, p, in, s, out.run, key, clock, log));
  return out;
}

Status RecordRunLogIndexes(store::MoneyWriter& repo, const RunOutcome& outcome,
                           const std::vector<Json>& receipts) {
  // Receipts: [ledger.reversal]?, settlement.run, statement.issued per payee.
  size_t at = outcome.run.corrects.empty() ? 0 : 1;
  VT_RETURN_IF_ERROR(repo.SetRunLogIndex(outcome.run.id, receipts.at(at)["index"].get<int64_t>()));
  for (size_t i = 0; i < outcome.payees.size(); ++i)
    VT_RETURN_IF_ERROR(repo.SetStatementLogIndex(outcome.run.id, outcome.payees[i],
                                                 receipts.at(at + 1 + i)["index"].get<int64_t>()));
  return OkStatus();
}

}  // namespace vt::app
