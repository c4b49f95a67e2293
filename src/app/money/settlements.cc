// Settlements: the in-force agreement version, run records, and the adapters
// of the use cases onto the service's transactions (settlements.h).
#include "app/money/settlements.h"

#include "app/core/domain_names.h"

namespace vt::app {
namespace {

StatusOr<InForce> FromVersionRow(const store::MoneyVersionRow& r) {
  InForce v{r.org_id, r.hash, r.document, {}};
  auto doc = ParseJsonStrict(v.document);
  if (!doc.ok() || !doc->is_object() || !doc->contains("terms"))
    return InternalError("stored agreement version " + v.hash + " is corrupt");
  auto terms = settlement::Agreement::FromJson((*doc)["terms"]);
  if (!terms.ok())
    return InternalError("terms of agreement version " + v.hash +
                         " do not parse: " + terms.status().ToString());
  v.terms = std::move(terms).value();
  return v;
}

// The run `id` as the API shows it; NotFound if unknown or not readable by `p`.
StatusOr<RunRecord> LoadRun(store::MoneyReader& repo, const Principal& p, const std::string& id) {
  VT_ASSIGN_OR_RETURN(auto row, repo.FindRun(id));
  if (!row || !p.CanRead(row->org_id))
    return NotFoundError("no settlement run " + id).WithField("run");
  RunRecord x{row->id,
              row->org_id,
              row->agreement_id,
              row->agreement_hash,
              row->period,
              row->currency,
              row->status,
              row->corrects,
              row->through_batch,
              row->line_count,
              row->net_receipts,
              row->lines_sha256,
              {},
              row->created_at,
              row->log_index};
  auto j = ParseJsonStrict(row->summary);
  if (!j.ok()) return InternalError("stored summary of run " + x.id + " is corrupt");
  x.summary = std::move(j).value();
  return x;
}

}  // namespace

Json RunRecord::ToJson() const {
  Json j = {{"id", id},
            {"org_id", org_id},
            {"agreement_id", agreement_id},
            {"agreement_hash", agreement_hash},
            {"period", period},
            {"currency", currency},
            {"status", std::string(store::RunStatusName(status))},
            {"through_batch", through_batch},
            {"line_count", line_count},
            {"net_receipts", net_receipts},
            {"lines_sha256", lines_sha256},
            {"summary", summary},
            {"created_at", created_at},
            {"log_index", log_index ? Json(*log_index) : Json(nullptr)}};
  if (!corrects.empty()) j["corrects"] = corrects;
  return j;
}

StatusOr<InForce> LoadInForce(store::MoneyReader& repo, const std::string& agreement_id) {
  VT_ASSIGN_OR_RETURN(auto row, repo.FindVersionInForce(agreement_id));
  if (!row) {
    VT_ASSIGN_OR_RETURN(bool exists, repo.AgreementExists(agreement_id));
    if (!exists) return NotFoundError("no agreement " + agreement_id).WithField("agreement_id");
    return FailedPreconditionError("agreement " + agreement_id +
                                   " has no version in force (every affected party must sign)")
        .WithField("agreement_id");
  }
  return FromVersionRow(*row);
}

StatusOr<InForce> LoadVersionByHash(store::MoneyReader& repo, const std::string& hash) {
  VT_ASSIGN_OR_RETURN(auto row, repo.FindVersionByHash(hash));
  if (!row) return NotFoundError("no agreement version " + hash);
  return FromVersionRow(*row);
}

StatusOr<StatementKey*> Settlements::Key() {
  std::lock_guard<std::mutex> l(key_mu_);
  if (!key_) {
    VT_ASSIGN_OR_RETURN(StatementKey k, StatementKey::Open(svc_.config()));
    key_ = std::make_unique<StatementKey>(std::move(k));
  }
  return key_.get();
}

StatusOr<Written<RunRecord>> Settlements::Run(const Principal& p, const std::string& agreement_id,
                                              const std::string& period, bool correction) {
  VT_RETURN_IF_ERROR(AuthorizeRun(p, period));
  VT_ASSIGN_OR_RETURN(StatementKey * key, Key());
  RunRequest req{NewId("run", rng_), agreement_id, period, correction};
  RunOutcome outcome;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlMoneyRepo(ctx.conn());
    std::vector<std::string> log;
    VT_ASSIGN_OR_RETURN(outcome, SettleRun(*repo, p, req, *key, ctx.clock(), &log));
    for (std::string& e : log) ctx.AppendLog(std::move(e));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  // The log indexes are known after commit; record them with a second, unlogged write.
  auto fix = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlMoneyRepo(ctx.conn());
    return RecordRunLogIndexes(*repo, outcome, res->receipts);
  });
  VT_RETURN_IF_ERROR(fix.status());
  size_t at = outcome.run.corrects.empty() ? 0 : 1;
  outcome.run.log_index = res->receipts.at(at)["index"].get<int64_t>();
  return Written<RunRecord>{std::move(outcome.run), res->receipts};
}

StatusOr<RunRecord> Settlements::Get(const Principal& p, const std::string& run_id) {
  return svc_.Read<RunRecord>([&](store::Conn& c) {
    auto repo = store::NewSqlMoneyRepo(c);
    return LoadRun(*repo, p, run_id);
  });
}

StatusOr<Json> Settlements::Ledger(const Principal& p, const std::string& run_id) {
  return svc_.Read<Json>([&](store::Conn& c) -> StatusOr<Json> {
    auto repo = store::NewSqlMoneyRepo(c);
    VT_ASSIGN_OR_RETURN(RunRecord r, LoadRun(*repo, p, run_id));
    VT_ASSIGN_OR_RETURN(auto ms, repo->RunMovements(run_id));
    Json a = Json::array();
    for (const auto& m : ms) a.push_back(MovementToJson(m));
    Json b = Json::object();
    VT_ASSIGN_OR_RETURN(auto balances, Balances(ms));
    for (const auto& [acct, bal] : balances) b[acct] = bal;
    return Json{{"run", r.id},
                {"status", std::string(store::RunStatusName(r.status))},
                {"transfers", a},
                {"balances", b}};
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
