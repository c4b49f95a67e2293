// Settlements: the in-force agreement version, run records, and the adapters
// of the use cases onto the service's transactions (settlements.h).
#include "app/money/settlements.h"

#include <algorithm>
#include <map>

#include "app/core/domain_names.h"
#include "settlement/lines.h"

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

RunRecord RecordFromRow(const store::SettlementRunRow& row) {
  return RunRecord{row.id,
                   row.org_id,
                   row.agreement_id,
                   row.agreement_hash,
                   row.period,
                   row.currency,
                   row.status,
                   row.corrects,
                   row.through_batch,
                   row.line_count,
                   row.net_receipts,
                   row.lines_sha256,
                   {},
                   row.created_at,
                   row.log_index,
                   nullptr};
}

// The run's summary as `view` allows: a party sees its own payees' figures only
// (no tier figures, which would add up other payees' shares).
StatusOr<Json> SummaryFor(const std::string& run_id, const std::string& text, RunView view,
                          const Principal& p) {
  auto j = ParseJsonStrict(text);
  if (!j.ok() || !j->is_object())
    return InternalError("stored summary of run " + run_id + " is corrupt");
  if (view == RunView::kFull) return std::move(j).value();
  const std::vector<std::string> mine = PayeeIdsOf(p);
  Json payees = Json::array();
  for (const auto& e : (*j)["payees"])
    if (std::find(mine.begin(), mine.end(), e.value("id", "")) != mine.end()) payees.push_back(e);
  (*j)["payees"] = std::move(payees);
  j->erase("tiers");
  j->erase("total");
  return std::move(j).value();
}

// The run `id` as `p` may see it, with its unsettled revenue for a full view if
// `unsettled`; NotFound if `p` may not see it at all.
StatusOr<RunRecord> LoadRun(store::MoneyReader& repo, const Principal& p, const std::string& id,
                            bool unsettled) {
  VT_ASSIGN_OR_RETURN(auto row, repo.FindRun(id));
  if (!row) return NotFoundError("no settlement run " + id).WithField("run");
  VT_ASSIGN_OR_RETURN(RunView view, ViewOfRun(repo, p, *row));
  if (view == RunView::kNone) return NotFoundError("no settlement run " + id).WithField("run");
  RunRecord x = RecordFromRow(*row);
  VT_ASSIGN_OR_RETURN(x.summary, SummaryFor(x.id, row->summary, view, p));
  if (view == RunView::kFull && unsettled) {
    VT_ASSIGN_OR_RETURN(InForce v, LoadVersionByHash(repo, row->agreement_hash));
    VT_ASSIGN_OR_RETURN(x.unsettled, UnsettledRevenue(repo, *row, v.terms));
  }
  return x;
}

Json TotalsJson(const std::vector<store::RevenueTotalRow>& rows) {
  Json a = Json::array();
  for (const auto& t : rows)
    a.push_back({{"currency", t.currency}, {"lines", t.lines}, {"amount", t.amount}});
  return a;
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
  if (!unsettled.is_null()) j["unsettled"] = unsettled;
  return j;
}

std::vector<std::string> PayeeIdsOf(const Principal& p) {
  std::vector<std::string> ids;
  if (!p.member_id.empty()) ids.push_back(p.member_id);
  if (!p.org_id.empty()) ids.push_back(p.org_id);
  return ids;
}

StatusOr<RunView> ViewOfRun(store::MoneyReader& repo, const Principal& p,
                            const store::SettlementRunRow& run) {
  if (p.CanRead(run.org_id)) return RunView::kFull;
  VT_ASSIGN_OR_RETURN(auto v, repo.FindVersionByHash(run.agreement_hash));
  if (!v) return RunView::kNone;
  Json doc = Json::parse(v->document, nullptr, false);
  if (!doc.is_object() || !doc.contains("parties") || !doc["parties"].is_array())
    return RunView::kNone;
  const std::vector<std::string> mine = PayeeIdsOf(p);
  for (const auto& party : doc["parties"])
    if (party.is_string() &&
        std::find(mine.begin(), mine.end(), party.get<std::string>()) != mine.end())
      return RunView::kParty;
  return RunView::kNone;
}

StatusOr<Json> UnsettledRevenue(store::MoneyReader& repo, const store::SettlementRunRow& run,
                                const settlement::Agreement& terms) {
  VT_ASSIGN_OR_RETURN(auto lines,
                      repo.LinesOfPeriod(run.org_id, terms.work, run.period, run.through_batch));
  int64_t out_lines = 0, out_amount = 0;
  std::map<std::string, store::RevenueTotalRow> other;
  for (const auto& l : lines) {
    if (l.currency != run.currency) {
      auto& t = other[l.currency];
      t.currency = l.currency;
      ++t.lines;
      t.amount += l.amount;  // |amount| < 2^53 per line; a period's lines stay far below 2^63
    } else if (!settlement::InScope(terms, l)) {
      ++out_lines;
      out_amount += l.amount;
    }
  }
  std::vector<store::RevenueTotalRow> others;
  for (auto& [c, t] : other) others.push_back(t);
  VT_ASSIGN_OR_RETURN(auto unmatched,
                      repo.UnmatchedTotals(run.org_id, terms.work, run.period, run.through_batch));
  return Json{{"out_of_scope", {{"lines", out_lines}, {"amount", out_amount}}},
              {"other_currencies", TotalsJson(others)},
              {"unmatched", TotalsJson(unmatched)}};
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
    return LoadRun(*repo, p, run_id, /*unsettled=*/true);
  });
}

StatusOr<std::vector<RunRecord>> Settlements::List(const Principal& p,
                                                   const std::string& agreement_id) {
  return svc_.Read<std::vector<RunRecord>>([&](store::Conn& c) -> StatusOr<std::vector<RunRecord>> {
    auto repo = store::NewSqlMoneyRepo(c);
    std::optional<std::string> org;
    if (!p.is_operator) org = p.org_id;
    VT_ASSIGN_OR_RETURN(auto rows, repo->ListRuns(org, agreement_id));
    std::vector<RunRecord> out;
    for (const auto& row : rows) {
      RunRecord x = RecordFromRow(row);
      VT_ASSIGN_OR_RETURN(x.summary, SummaryFor(x.id, row.summary, RunView::kFull, p));
      out.push_back(std::move(x));
    }
    return out;
  });
}

StatusOr<Json> Settlements::StatementsOf(const Principal& p, const std::string& payee) {
  std::vector<std::string> ids = PayeeIdsOf(p);
  if (!payee.empty() && payee != "me") {
    if (std::find(ids.begin(), ids.end(), payee) == ids.end())
      return PermissionDeniedError("payee must be \"me\" or an id that stands for you (" +
                                   p.member_id + ", " + p.org_id + ")")
          .WithField("payee");
    ids = {payee};
  }
  return svc_.Read<Json>([&](store::Conn& c) -> StatusOr<Json> {
    auto repo = store::NewSqlMoneyRepo(c);
    VT_ASSIGN_OR_RETURN(auto rows, repo->StatementsOfPayees(ids));
    Json list = Json::array();
    for (const auto& [run, st] : rows) {
      Json doc = Json::parse(st.document, nullptr, false);
      if (!doc.is_object() || !doc.contains("total"))
        return InternalError("stored statement " + run.id + "/" + st.payee + " is corrupt");
      Json j = {{"run", run.id},
                {"agreement_id", run.agreement_id},
                {"agreement_hash", run.agreement_hash},
                {"period", run.period},
                {"currency", run.currency},
                {"scale", doc.value("scale", 0)},
                {"status", std::string(store::RunStatusName(run.status))},
                {"payee", st.payee},
                {"amount", doc["total"].value("amount", int64_t{0})},
                {"cumulative", doc["total"].value("cumulative", int64_t{0})},
                {"sha256", st.sha256},
                {"log_index", st.log_index ? Json(*st.log_index) : Json(nullptr)},
                {"created_at", st.created_at}};
      list.push_back(std::move(j));
    }
    return Json{{"payees", ids}, {"statements", list}};
  });
}

StatusOr<Json> Settlements::Ledger(const Principal& p, const std::string& run_id) {
  return svc_.Read<Json>([&](store::Conn& c) -> StatusOr<Json> {
    auto repo = store::NewSqlMoneyRepo(c);
    VT_ASSIGN_OR_RETURN(auto row, repo->FindRun(run_id));
    if (!row || !p.CanRead(row->org_id))
      return NotFoundError("no settlement run " + run_id).WithField("run");
    RunRecord r = RecordFromRow(*row);
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
