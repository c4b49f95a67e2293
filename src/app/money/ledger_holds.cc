// Holds on disputed shares, statement reads and the verification exports (ledger.h).
#include <algorithm>

#include "app/core/domain_names.h"
#include "app/money/ledger.h"
#include "app/money/revenue.h"

namespace vt::app {
namespace {

StatusOr<store::Row> RunRow(store::Conn& c, const Principal& p, const std::string& id) {
  VT_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT org_id, agreement_id, currency, status, period, "
                                         "through_batch, agreement_hash FROM settlement_runs "
                                         "WHERE id = ?",
                                         {id}));
  if (rows.empty() || !p.CanRead(rows[0].Text(0)))
    return NotFoundError("no settlement run " + id).WithField("run");
  return rows[0];
}

// Net amounts of the run's transfers into the payee's payable (by settlement
// transfers) and hold accounts.
struct PayeePosition {
  int64_t settled = 0;
  int64_t held = 0;
  int64_t next_seq = 1;
};

StatusOr<PayeePosition> Position(store::Conn& c, const std::string& run_id,
                                 const LedgerAccount& payable, const LedgerAccount& hold) {
  VT_ASSIGN_OR_RETURN(auto ts, RunTransfers(c, run_id));
  PayeePosition pos;
  for (const Transfer& t : ts) {
    pos.next_seq = std::max(pos.next_seq, t.seq + 1);
    if (t.kind == "settlement") {
      if (t.credit_account == payable.id) pos.settled += t.amount;
      if (t.debit_account == payable.id) pos.settled -= t.amount;
    }
    if (t.credit_account == hold.id) pos.held += t.amount;
    if (t.debit_account == hold.id) pos.held -= t.amount;
  }
  return pos;
}

}  // namespace

StatusOr<Written<Json>> Settlements::Hold(const Principal& p, const std::string& run_id,
                                          const std::string& payee, const std::string& reason) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) + "' may not hold");
  if (reason.empty() || reason.size() > 500)
    return InvalidArgumentError("reason must be 1-500 characters").WithField("reason");
  Json out;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    store::Conn& c = ctx.conn();
    VT_ASSIGN_OR_RETURN(store::Row r, RunRow(c, p, run_id));
    if (r.Text(3) != "active")
      return FailedPreconditionError("run " + run_id + " was corrected; hold on its correction")
          .WithField("run");
    LedgerAccount pay = PayableAccount(r.Text(1), payee, r.Text(2));
    LedgerAccount hold = HoldAccount(r.Text(1), payee, r.Text(2));
    VT_ASSIGN_OR_RETURN(PayeePosition pos, Position(c, run_id, pay, hold));
    if (pos.settled <= 0)
      return NotFoundError("run " + run_id + " pays nothing to " + payee).WithField("payee");
    if (pos.held > 0)
      return AlreadyExistsError("the share of " + payee + " is held already").WithField("payee");
    const std::string now = FormatRfc3339(ctx.clock().Now());
    VT_RETURN_IF_ERROR(EnsureAccounts(c, r.Text(0), {hold}, now));
    Transfer t{run_id + "/" + std::to_string(pos.next_seq),
               run_id,
               pos.next_seq,
               "hold",
               pay.id,
               hold.id,
               pos.settled,
               r.Text(2),
               ""};
    VT_RETURN_IF_ERROR(PostTransfers(c, {t}, now));
    out = {{"run", run_id}, {"payee", payee},   {"amount", pos.settled},
           {"held", true},  {"reason", reason}, {"transfer", t.ToJson()}};
    VT_ASSIGN_OR_RETURN(
        std::string e,
        MakeEntry("settlement.hold", 1, ctx.clock(), {p.org_id, p.member_id},
                  {{"org", r.Text(0)}, {"run", run_id}, {"payee", payee}},
                  {{"amount", pos.settled}, {"reason", reason}, {"transfer", t.id}}));
    ctx.AppendLog(std::move(e));
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
    store::Conn& c = ctx.conn();
    VT_ASSIGN_OR_RETURN(store::Row r, RunRow(c, p, run_id));
    LedgerAccount pay = PayableAccount(r.Text(1), payee, r.Text(2));
    LedgerAccount hold = HoldAccount(r.Text(1), payee, r.Text(2));
    VT_ASSIGN_OR_RETURN(PayeePosition pos, Position(c, run_id, pay, hold));
    if (r.Text(3) != "active" || pos.held <= 0)
      return FailedPreconditionError("the share of " + payee + " in run " + run_id + " is not held")
          .WithField("payee");
    const std::string now = FormatRfc3339(ctx.clock().Now());
    Transfer t{run_id + "/" + std::to_string(pos.next_seq),
               run_id,
               pos.next_seq,
               "release",
               hold.id,
               pay.id,
               pos.held,
               r.Text(2),
               ""};
    VT_RETURN_IF_ERROR(PostTransfers(c, {t}, now));
    out = {{"run", run_id},
           {"payee", payee},
           {"amount", pos.held},
           {"held", false},
           {"transfer", t.ToJson()}};
    VT_ASSIGN_OR_RETURN(std::string e,
                        MakeEntry("settlement.release", 1, ctx.clock(), {p.org_id, p.member_id},
                                  {{"org", r.Text(0)}, {"run", run_id}, {"payee", payee}},
                                  {{"amount", pos.held}, {"transfer", t.id}}));
    ctx.AppendLog(std::move(e));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<Json>{out, res->receipts};
}

StatusOr<Json> Settlements::StatementEnvelope(const Principal& p, const std::string& run_id,
                                              const std::string& payee) {
  return svc_.Read<Json>([&](store::Conn& c) -> StatusOr<Json> {
    VT_RETURN_IF_ERROR(RunRow(c, p, run_id).status());
    VT_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT document, signature, key_id, log_index FROM "
                                           "statements WHERE run_id = ? AND payee = ?",
                                           {run_id, payee}));
    if (rows.empty())
      return NotFoundError("no statement for " + payee + " in run " + run_id).WithField("payee");
    Json env = SignedStatement(run_id, rows[0].Text(0), rows[0].Text(1), rows[0].Text(2));
    if (auto idx = rows[0].OptInt(3)) env["log_index"] = *idx;
    return env;
  });
}

StatusOr<std::string> Settlements::StatementCsvOf(const Principal& p, const std::string& run_id,
                                                  const std::string& payee) {
  return svc_.Read<std::string>([&](store::Conn& c) -> StatusOr<std::string> {
    VT_RETURN_IF_ERROR(RunRow(c, p, run_id).status());
    VT_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT csv FROM statements WHERE run_id = ? AND "
                                           "payee = ?",
                                           {run_id, payee}));
    if (rows.empty())
      return NotFoundError("no statement for " + payee + " in run " + run_id).WithField("payee");
    return rows[0].Text(0);
  });
}

StatusOr<std::string> Settlements::VersionDocument(const Principal& p, const std::string& run_id) {
  return svc_.Read<std::string>([&](store::Conn& c) -> StatusOr<std::string> {
    VT_ASSIGN_OR_RETURN(store::Row r, RunRow(c, p, run_id));
    VT_ASSIGN_OR_RETURN(InForce v, LoadVersionByHash(c, r.Text(6)));
    return v.document;
  });
}

StatusOr<std::string> Settlements::LinesCsv(const Principal& p, const std::string& run_id) {
  return svc_.Read<std::string>([&](store::Conn& c) -> StatusOr<std::string> {
    VT_ASSIGN_OR_RETURN(store::Row r, RunRow(c, p, run_id));
    VT_ASSIGN_OR_RETURN(InForce v, LoadVersionByHash(c, r.Text(6)));
    // This run's period as it counted it, earlier periods as their active runs did.
    VT_ASSIGN_OR_RETURN(auto chain, c.Query("SELECT period, through_batch FROM settlement_runs "
                                            "WHERE agreement_id = ? AND period < ? AND status = "
                                            "'active'",
                                            {r.Text(1), r.Text(4)}));
    std::vector<std::pair<std::string, int64_t>> periods;
    for (const auto& row : chain) periods.emplace_back(row.Text(0), row.Int(1));
    periods.emplace_back(r.Text(4), r.Int(5));
    std::sort(periods.begin(), periods.end());
    std::string out = RevenueCsvHeaderLine();
    for (const auto& [period, through] : periods) {
      VT_ASSIGN_OR_RETURN(auto lines, LoadLines(c, r.Text(0), v.terms.work, period, through));
      for (const auto& l : lines)
        if (l.currency == r.Text(2)) out += RevenueCsvRow(l);
    }
    return out;
  });
}

StatusOr<Json> Settlements::StatementKeyJson() {
  VT_ASSIGN_OR_RETURN(StatementKey * key, Key());
  return Json{{"alg", "ed25519"},
              {"key_id", key->key_id()},
              {"public_key_pem", key->PublicPem()},
              {"signature_context", std::string(kStatementSignatureContext)}};
}

}  // namespace vt::app
