// Holds on disputed shares, statement reads and the verification exports
// (settlements.h).
#include <algorithm>

#include "app/access/log_reads.h"
#include "app/core/domain_names.h"
#include "app/money/revenue.h"
#include "app/money/revenue_csv.h"
#include "app/money/settlements.h"
#include "settlement/amount_sum.h"

namespace vt::app {
namespace {

// The run `id`; NotFound (field "run") if unknown or not visible to `p` (as a
// party too when `parties` is set; else in full only). `view` receives how.
StatusOr<store::SettlementRunRow> VisibleRun(store::MoneyReader& repo, const Principal& p,
                                             const std::string& id, bool parties = false,
                                             RunView* view = nullptr) {
  VT_ASSIGN_OR_RETURN(auto row, repo.FindRun(id));
  if (!row) return NotFoundError("no settlement run " + id).WithField("run");
  VT_ASSIGN_OR_RETURN(RunView v, ViewOfRun(repo, p, *row));
  if (v == RunView::kNone || (v == RunView::kParty && !parties))
    return NotFoundError("no settlement run " + id).WithField("run");
  if (view) *view = v;
  return std::move(*row);
}

// Net amounts of the run's movements into the payee's payable (by settlement
// movements) and hold accounts.
struct PayeePosition {
  int64_t settled = 0;
  int64_t held = 0;
  int64_t next_seq = 1;
};

StatusOr<PayeePosition> Position(store::MoneyReader& repo, const std::string& run_id,
                                 const LedgerAccount& payable, const LedgerAccount& hold) {
  VT_ASSIGN_OR_RETURN(auto ms, repo.RunMovements(run_id));
  PayeePosition pos;
  settlement::AmountSum settled, held;  // exact (docs/settlement.md "Money")
  for (const LedgerMovement& m : ms) {
    pos.next_seq = std::max(pos.next_seq, m.seq + 1);
    if (m.kind == MovementKind::kSettlement) {
      if (m.credit_account == payable.id) settled.Add(m.amount);
      if (m.debit_account == payable.id) settled.Sub(m.amount);
    }
    if (m.credit_account == hold.id) held.Add(m.amount);
    if (m.debit_account == hold.id) held.Sub(m.amount);
  }
  VT_ASSIGN_OR_RETURN(pos.settled, settled.Total("payee"));
  VT_ASSIGN_OR_RETURN(pos.held, held.Total("payee"));
  return pos;
}

LedgerMovement Movement(const std::string& run_id, int64_t seq, MovementKind kind,
                        const std::string& from, const std::string& to, int64_t amount,
                        const std::string& currency) {
  return {run_id + "/" + std::to_string(seq), run_id, seq, kind, from, to, amount, currency, ""};
}

}  // namespace

StatusOr<Json> HoldShare(store::MoneyWriter& repo, const Principal& p, const std::string& run_id,
                         const std::string& payee, const std::string& reason, const Clock& clock,
                         std::vector<std::string>* log) {
  VT_ASSIGN_OR_RETURN(store::SettlementRunRow r, VisibleRun(repo, p, run_id));
  if (r.status != RunStatus::kActive)
    return FailedPreconditionError("run " + run_id + " was corrected; hold on its correction")
        .WithField("run");
  LedgerAccount pay = PayableAccount(r.agreement_id, payee, r.currency);
  LedgerAccount hold = HoldAccount(r.agreement_id, payee, r.currency);
  VT_ASSIGN_OR_RETURN(PayeePosition pos, Position(repo, run_id, pay, hold));
  if (pos.settled <= 0)
    return NotFoundError("run " + run_id + " pays nothing to " + payee).WithField("payee");
  if (pos.held > 0)
    return AlreadyExistsError("the share of " + payee + " is held already").WithField("payee");
  const std::string now = FormatRfc3339(clock.Now());
  VT_RETURN_IF_ERROR(repo.EnsureAccounts(r.org_id, {hold}, now));
  LedgerMovement m =
      Movement(run_id, pos.next_seq, MovementKind::kHold, pay.id, hold.id, pos.settled, r.currency);
  VT_RETURN_IF_ERROR(PostMovements(repo, {m}, now));
  VT_ASSIGN_OR_RETURN(std::string e,
                      MakeEntry("settlement.hold", 2, clock, {p.org_id, p.member_id},
                                {{"org", r.org_id}, {"run", run_id}, {"payee", payee}},
                                {{"amount", Confidential(pos.settled, r.org_id, payee)},
                                 {"reason", Confidential(reason, r.org_id, payee)},
                                 {"transfer", m.id}}));
  log->push_back(std::move(e));
  return Json{{"run", run_id}, {"payee", payee},   {"amount", pos.settled},
              {"held", true},  {"reason", reason}, {"transfer", MovementToJson(m)}};
}

StatusOr<Json> ReleaseShare(store::MoneyWriter& repo, const Principal& p, const std::string& run_id,
                            const std::string& payee, const Clock& clock,
                            std::vector<std::string>* log) {
  VT_ASSIGN_OR_RETURN(store::SettlementRunRow r, VisibleRun(repo, p, run_id));
  LedgerAccount pay = PayableAccount(r.agreement_id, payee, r.currency);
  LedgerAccount hold = HoldAccount(r.agreement_id, payee, r.currency);
  VT_ASSIGN_OR_RETURN(PayeePosition pos, Position(repo, run_id, pay, hold));
  if (r.status != RunStatus::kActive || pos.held <= 0)
    return FailedPreconditionError("the share of " + payee + " in run " + run_id + " is not held")
        .WithField("payee");
  const std::string now = FormatRfc3339(clock.Now());
  LedgerMovement m =
      Movement(run_id, pos.next_seq, MovementKind::kRelease, hold.id, pay.id, pos.held, r.currency);
  VT_RETURN_IF_ERROR(PostMovements(repo, {m}, now));
  VT_ASSIGN_OR_RETURN(
      std::string e,
      MakeEntry("settlement.release", 2, clock, {p.org_id, p.member_id},
                {{"org", r.org_id}, {"run", run_id}, {"payee", payee}},
                {{"amount", Confidential(pos.held, r.org_id, payee)}, {"transfer", m.id}}));
  log->push_back(std::move(e));
  return Json{{"run", run_id},
              {"payee", payee},
              {"amount", pos.held},
              {"held", false},
              {"transfer", MovementToJson(m)}};
}

StatusOr<Written<Json>> Settlements::Hold(const Principal& p, const std::string& run_id,
                                          const std::string& payee, const std::string& reason) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) + "' may not hold");
  if (reason.empty() || reason.size() > 500)
    return InvalidArgumentError("reason must be 1-500 characters").WithField("reason");
  Json out;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlMoneyRepo(ctx.conn());
    std::vector<std::string> log;
    VT_ASSIGN_OR_RETURN(out, HoldShare(*repo, p, run_id, payee, reason, ctx.clock(), &log));
    for (std::string& e : log) ctx.AppendLog(std::move(e));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<Json>{out, res->receipts};
}

StatusOr<Written<Json>> Settlements::Release(const Principal& p, const std::string& run_id,
                                             const std::string& payee) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) + "' may not release");
  Json out;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlMoneyRepo(ctx.conn());
    std::vector<std::string> log;
    VT_ASSIGN_OR_RETURN(out, ReleaseShare(*repo, p, run_id, payee, ctx.clock(), &log));
    for (std::string& e : log) ctx.AppendLog(std::move(e));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<Json>{out, res->receipts};
}

namespace {

// The statement of `payee` in a run visible to `p`, or NotFound: a party of the
// run's agreement version reads only the statements of the ids that stand for it.
StatusOr<store::StatementRow> VisibleStatement(store::MoneyReader& repo, const Principal& p,
                                               const std::string& run_id,
                                               const std::string& payee) {
  RunView view = RunView::kNone;
  VT_RETURN_IF_ERROR(VisibleRun(repo, p, run_id, /*parties=*/true, &view).status());
  const std::vector<std::string> mine = PayeeIdsOf(p);
  if (view == RunView::kParty && std::find(mine.begin(), mine.end(), payee) == mine.end())
    return NotFoundError("no statement for " + payee + " in run " + run_id).WithField("payee");
  VT_ASSIGN_OR_RETURN(auto row, repo.FindStatement(run_id, payee));
  if (!row)
    return NotFoundError("no statement for " + payee + " in run " + run_id).WithField("payee");
  return std::move(*row);
}

}  // namespace

StatusOr<Json> Settlements::StatementEnvelope(const Principal& p, const std::string& run_id,
                                              const std::string& payee) {
  return svc_.Read<Json>([&](store::Conn& c) -> StatusOr<Json> {
    auto repo = store::NewSqlMoneyRepo(c);
    VT_ASSIGN_OR_RETURN(store::StatementRow s, VisibleStatement(*repo, p, run_id, payee));
    Json env = SignedStatement(run_id, s.document, s.signature, s.key_id);
    if (s.log_index) env["log_index"] = *s.log_index;
    // The openings of the commitments a reader of this statement is entitled to
    // (it shows both numbers in clear): its statement.issued total and its run's
    // settlement.run net receipts (docs/log-entries.md "Commitments").
    VT_ASSIGN_OR_RETURN(store::SettlementRunRow r, VisibleRun(*repo, p, run_id, /*parties=*/true));
    Json openings = Json::array();
    auto all = [](const store::LogOpeningRow&) { return true; };
    for (std::optional<int64_t> index : {s.log_index, r.log_index}) {
      if (!index) continue;
      VT_ASSIGN_OR_RETURN(std::string entry, TransparencyLog::ReadEntry(c, *index));
      VT_ASSIGN_OR_RETURN(Json os, OpenCommitments(c, entry, all));
      for (Json& o : os) {
        o["index"] = *index;
        openings.push_back(std::move(o));
      }
    }
    if (!openings.empty()) env["log_openings"] = std::move(openings);
    return env;
  });
}

StatusOr<std::string> Settlements::StatementCsvOf(const Principal& p, const std::string& run_id,
                                                  const std::string& payee) {
  return svc_.Read<std::string>([&](store::Conn& c) -> StatusOr<std::string> {
    auto repo = store::NewSqlMoneyRepo(c);
    VT_ASSIGN_OR_RETURN(store::StatementRow s, VisibleStatement(*repo, p, run_id, payee));
    return s.csv;
  });
}

StatusOr<std::string> Settlements::VersionDocument(const Principal& p, const std::string& run_id) {
  return svc_.Read<std::string>([&](store::Conn& c) -> StatusOr<std::string> {
    auto repo = store::NewSqlMoneyRepo(c);
    VT_ASSIGN_OR_RETURN(store::SettlementRunRow r, VisibleRun(*repo, p, run_id, true));
    VT_ASSIGN_OR_RETURN(InForce v, LoadVersionByHash(*repo, r.agreement_hash));
    return v.document;
  });
}

StatusOr<std::string> Settlements::LinesCsv(const Principal& p, const std::string& run_id) {
  return svc_.Read<std::string>([&](store::Conn& c) -> StatusOr<std::string> {
    auto repo = store::NewSqlMoneyRepo(c);
    VT_ASSIGN_OR_RETURN(store::SettlementRunRow r, VisibleRun(*repo, p, run_id, true));
    VT_ASSIGN_OR_RETURN(InForce v, LoadVersionByHash(*repo, r.agreement_hash));
    // This run's period as it counted it, earlier periods as their active runs did.
    VT_ASSIGN_OR_RETURN(auto periods, repo->EarlierActivePeriods(r.agreement_id, r.period));
    periods.emplace_back(r.period, r.through_batch);
    std::sort(periods.begin(), periods.end());
    std::string out = RevenueCsvHeaderLine();
    for (const auto& [period, through] : periods) {
      VT_ASSIGN_OR_RETURN(auto lines, repo->LinesOfPeriod(r.org_id, v.terms.work, period, through));
      for (const auto& l : lines)
        if (l.currency == r.currency) out += RevenueCsvRow(l);
    }
    return out;
  });
}

}  // namespace vt::app
