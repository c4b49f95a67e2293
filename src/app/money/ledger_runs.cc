// Settlement runs: the in-force agreement, the period's lines, Settle, the ledger
// transfers, signed statements and their log entries (ledger.h).
#include <algorithm>
#include <map>

#include "base/encoding.h"
#include "crypto/digest.h"
#include "app/core/domain_names.h"
#include "app/money/ledger.h"
#include "app/money/revenue.h"
#include "settlement/state.h"
#include "settlement/statement.h"

namespace vt::app {
namespace {

using settlement::RevenueLine;

constexpr const char* kRunCols =
    "id, org_id, agreement_id, agreement_hash, period, currency, status, corrects, "
    "through_batch, line_count, net_receipts, lines_sha256, summary, created_at, log_index";

bool IsMonth(const std::string& s) {
  if (s.size() != 7 || s[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6})
    if (s[i] < '0' || s[i] > '9') return false;
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  return m >= 1 && m <= 12;
}

StatusOr<RunRecord> RunFromRow(const store::Row& r) {
  RunRecord x;
  x.id = r.Text(0);
  x.org_id = r.Text(1);
  x.agreement_id = r.Text(2);
  x.agreement_hash = r.Text(3);
  x.period = r.Text(4);
  x.currency = r.Text(5);
  x.status = r.Text(6);
  x.corrects = r.OptText(7).value_or("");
  x.through_batch = r.Int(8);
  x.line_count = r.Int(9);
  x.net_receipts = r.Int(10);
  x.lines_sha256 = r.Text(11);
  auto j = ParseJsonStrict(r.Text(12));
  if (!j.ok()) return InternalError("stored summary of run " + x.id + " is corrupt");
  x.summary = std::move(j).value();
  x.created_at = r.Text(13);
  x.log_index = r.OptInt(14);
  return x;
}

StatusOr<RunRecord> LoadRun(store::Conn& c, const Principal& p, const std::string& id) {
  VT_ASSIGN_OR_RETURN(
      auto rows,
      c.Query(std::string("SELECT ") + kRunCols + " FROM settlement_runs WHERE id = ?", {id}));
  if (rows.empty() || !p.CanRead(rows[0].Text(1)))
    return NotFoundError("no settlement run " + id).WithField("run");
  return RunFromRow(rows[0]);
}

StatusOr<InForce> FromVersionRow(const store::Row& r) {
  InForce v{r.Text(0), r.Text(1), r.Text(2), {}};
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

Status LogEntry(WriteContext& ctx, const Principal& p, const std::string& type, const Json& subject,
                const Json& payload) {
  VT_ASSIGN_OR_RETURN(std::string e,
                      MakeEntry(type, 1, ctx.clock(), {p.org_id, p.member_id}, subject, payload));
  ctx.AppendLog(std::move(e));
  return OkStatus();
}

// Transfers of a settlement: revenue -> collection, collection -> payables.
std::vector<Transfer> SettlementTransfers(const std::string& run_id, const std::string& agreement,
                                          const std::string& cur, const settlement::Settlement& s,
                                          int64_t first_seq, std::vector<LedgerAccount>* accounts) {
  std::vector<Transfer> ts;
  LedgerAccount rev = RevenueAccount(agreement, cur), coll = CollectionAccount(agreement, cur);
  accounts->push_back(rev);
  accounts->push_back(coll);
  int64_t seq = first_seq;
  auto add = [&](const std::string& kind, const std::string& from, const std::string& to,
                 int64_t amount) {
    if (amount == 0) return;
    Transfer t{"", run_id, seq, kind, from, to, amount, cur, ""};
    if (amount < 0) t = {"", run_id, seq, kind, to, from, -amount, cur, ""};
    t.id = run_id + "/" + std::to_string(seq++);
    ts.push_back(std::move(t));
  };
  add("receipt", rev.id, coll.id, s.net_receipts);
  for (const auto& pa : s.payees) {
    LedgerAccount pay = PayableAccount(agreement, pa.payee, cur);
    accounts->push_back(pay);
    add("settlement", coll.id, pay.id, pa.amount);
  }
  return ts;
}

}  // namespace

Json RunRecord::ToJson() const {
  Json j = {{"id", id},
            {"org_id", org_id},
            {"agreement_id", agreement_id},
            {"agreement_hash", agreement_hash},
            {"period", period},
            {"currency", currency},
            {"status", status},
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

StatusOr<InForce> LoadInForce(store::Conn& c, const std::string& agreement_id) {
  VT_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT a.org_id, v.hash, v.document FROM "
                                         "agreement_versions v JOIN agreements a ON a.id = "
                                         "v.agreement_id WHERE v.agreement_id = ? AND v.status = "
                                         "'in_force'",
                                         {agreement_id}));
  if (rows.empty()) {
    VT_ASSIGN_OR_RETURN(auto a, c.Query("SELECT id FROM agreements WHERE id = ?", {agreement_id}));
    if (a.empty()) return NotFoundError("no agreement " + agreement_id).WithField("agreement_id");
    return FailedPreconditionError("agreement " + agreement_id +
                                   " has no version in force (every affected party must sign)")
        .WithField("agreement_id");
  }
  return FromVersionRow(rows[0]);
}

StatusOr<InForce> LoadVersionByHash(store::Conn& c, const std::string& hash) {
  VT_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT a.org_id, v.hash, v.document FROM "
                                         "agreement_versions v JOIN agreements a ON a.id = "
                                         "v.agreement_id WHERE v.hash = ?",
                                         {hash}));
  if (rows.empty()) return NotFoundError("no agreement version " + hash);
  return FromVersionRow(rows[0]);
}

StatusOr<StatementKey*> Settlements::Key() {
  std::lock_guard<std::mutex> l(key_mu_);
  if (!key_) {
    VT_ASSIGN_OR_RETURN(StatementKey k, StatementKey::Open(svc_.config().data_dir));
    key_ = std::make_unique<StatementKey>(std::move(k));
  }
  return key_.get();
}

StatusOr<Written<RunRecord>> Settlements::Run(const Principal& p, const std::string& agreement_id,
                                              const std::string& period, bool correction) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                 "' may not run settlements");
  if (!IsMonth(period))
    return InvalidArgumentError("period must be a month YYYY-MM").WithField("period");
  VT_ASSIGN_OR_RETURN(StatementKey * key, Key());
  RunRecord run;
  run.id = NewId("run", rng_);
  std::vector<std::string> payees;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    store::Conn& c = ctx.conn();
    payees.clear();
    VT_ASSIGN_OR_RETURN(InForce v, LoadInForce(c, agreement_id));
    if (!p.is_operator && p.org_id != v.org_id)
      return NotFoundError("no agreement " + agreement_id).WithField("agreement_id");
    const std::string cur(v.terms.currency.code);
    VT_ASSIGN_OR_RETURN(auto same, c.Query("SELECT id FROM settlement_runs WHERE agreement_id = ? "
                                           "AND period = ? AND status = 'active'",
                                           {agreement_id, period}));
    if (!same.empty() && !correction)
      return AlreadyExistsError("period " + period + " of agreement " + agreement_id +
                                " is settled (run " + same[0].Text(0) +
                                "); run a correction to replace it")
          .WithField("period")
          .WithDetails(Json{{"run", same[0].Text(0)}}.dump());
    if (same.empty() && correction)
      return FailedPreconditionError("nothing to correct: period " + period + " is not settled")
          .WithField("period");
    VT_ASSIGN_OR_RETURN(auto later, c.Query("SELECT period FROM settlement_runs WHERE agreement_id "
                                            "= ? AND period > ? AND status = 'active'",
                                            {agreement_id, period}));
    if (!later.empty())
      return FailedPreconditionError("period " + later[0].Text(0) +
                                     " is settled already; periods settle in order and only the "
                                     "latest may be corrected")
          .WithField("period");
    settlement::SettlementState prev;
    VT_ASSIGN_OR_RETURN(auto before, c.Query("SELECT state, period FROM settlement_runs WHERE "
                                             "agreement_id = ? AND period < ? AND status = "
                                             "'active' ORDER BY period DESC LIMIT 1",
                                             {agreement_id, period}));
    if (!before.empty()) {
      VT_ASSIGN_OR_RETURN(Json sj, ParseJsonStrict(before[0].Text(0)));
      VT_ASSIGN_OR_RETURN(prev, settlement::StateFromJson(sj));
    }
    VT_ASSIGN_OR_RETURN(int64_t through, LastBatchSeq(c));
    VT_ASSIGN_OR_RETURN(auto all, LoadLines(c, v.org_id, v.terms.work, period, through));
    std::vector<RevenueLine> lines;
    for (auto& l : all)
      if (l.currency == cur) lines.push_back(std::move(l));
    VT_ASSIGN_OR_RETURN(auto s, settlement::Settle(v.terms, prev, period, lines));
    const std::string now = FormatRfc3339(ctx.clock().Now());
    const std::string digest = "sha256:" + v.hash;
    std::vector<Transfer> ts;
    std::vector<LedgerAccount> accounts;
    int64_t seq = 1;
    if (correction) {  // reverse every transfer of the old run, newest first
      const std::string old = same[0].Text(0);
      VT_ASSIGN_OR_RETURN(auto olds, RunTransfers(c, old));
      for (auto it = olds.rbegin(); it != olds.rend(); ++it) {
        ts.push_back({run.id + "/" + std::to_string(seq), run.id, seq, "reversal",
                      it->credit_account, it->debit_account, it->amount, it->currency, it->id});
        ++seq;
      }
      VT_RETURN_IF_ERROR(
          c.Exec("UPDATE settlement_runs SET status = 'corrected' WHERE id = ?", {old}).status());
      VT_RETURN_IF_ERROR(LogEntry(ctx, p, "ledger.reversal", {{"org", v.org_id}, {"run", old}},
                                  {{"corrected_by", run.id}, {"transfers", olds.size()}}));
      run.corrects = old;
    }
    auto posted = SettlementTransfers(run.id, agreement_id, cur, s, seq, &accounts);
    ts.insert(ts.end(), posted.begin(), posted.end());
    VT_RETURN_IF_ERROR(EnsureAccounts(c, v.org_id, accounts, now));
    VT_RETURN_IF_ERROR(PostTransfers(c, ts, now));
    VT_ASSIGN_OR_RETURN(std::string summary, settlement::SummaryJson(v.terms, s, digest));
    run.org_id = v.org_id;
    run.agreement_id = agreement_id;
    run.agreement_hash = v.hash;
    run.period = period;
    run.currency = cur;
    run.status = "active";
    run.through_batch = through;
    run.line_count = static_cast<int64_t>(lines.size());
    run.net_receipts = s.net_receipts;
    run.lines_sha256 = LinesSha256(lines);
    run.summary = Json::parse(summary);
    run.created_at = now;
    VT_ASSIGN_OR_RETURN(std::string state, Canonicalize(settlement::StateToJson(s.state)));
    VT_RETURN_IF_ERROR(
        c.Exec(
             "INSERT INTO settlement_runs(id, org_id, agreement_id, agreement_hash, period, "
             "currency, status, corrects, through_batch, line_count, net_receipts, lines_sha256, "
             "state, summary, created_at, created_by) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
             {run.id, run.org_id, agreement_id, v.hash, period, cur, run.status,
              run.corrects.empty() ? store::Value() : store::Value(run.corrects), through,
              run.line_count, run.net_receipts, run.lines_sha256, state, summary, now, p.member_id})
            .status());
    VT_RETURN_IF_ERROR(CheckRunBalanced(c, run.id, CollectionAccount(agreement_id, cur).id));
    Json run_payload = {{"agreement", agreement_id},
                        {"agreement_hash", v.hash},
                        {"period", period},
                        {"currency", cur},
                        {"lines", run.line_count},
                        {"lines_sha256", run.lines_sha256},
                        {"net_receipts", s.net_receipts},
                        {"summary_sha256", HexEncode(crypto::Sha256(summary))},
                        {"transfers", ts.size()}};
    if (correction) run_payload["corrects"] = run.corrects;
    VT_RETURN_IF_ERROR(
        LogEntry(ctx, p, "settlement.run", {{"org", v.org_id}, {"run", run.id}}, run_payload));
    for (const auto& pa : s.payees) {
      auto doc = settlement::StatementJson(v.terms, s, pa.payee, digest);
      if (doc.status().code() == StatusCode::kNotFound) continue;
      VT_RETURN_IF_ERROR(doc.status());
      VT_ASSIGN_OR_RETURN(std::string csv, settlement::StatementCsv(v.terms, s, pa.payee));
      VT_ASSIGN_OR_RETURN(std::string sig, key->Sign(*doc));
      std::string sha = HexEncode(crypto::Sha256(*doc));
      VT_RETURN_IF_ERROR(c.Exec("INSERT INTO statements(run_id, payee, sha256, document, csv, "
                                "signature, key_id, created_at) VALUES(?,?,?,?,?,?,?,?)",
                                {run.id, pa.payee, sha, *doc, csv, sig, key->key_id(), now})
                             .status());
      VT_RETURN_IF_ERROR(LogEntry(ctx, p, "statement.issued",
                                  {{"org", v.org_id}, {"run", run.id}, {"payee", pa.payee}},
                                  {{"period", period},
                                   {"statement_sha256", sha},
                                   {"key_id", key->key_id()},
                                   {"total", pa.amount}}));
      payees.push_back(pa.payee);
    }
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  // Receipts: [ledger.reversal]?, settlement.run, statement.issued per payee. The
  // indexes are known after commit; record them with a second, unlogged write.
  size_t at = run.corrects.empty() ? 0 : 1;
  run.log_index = res->receipts.at(at)["index"].get<int64_t>();
  auto fix = svc_.Write([&](WriteContext& ctx) -> Status {
    VT_RETURN_IF_ERROR(
        ctx.conn()
            .Exec("UPDATE settlement_runs SET log_index = ? WHERE id = ?", {*run.log_index, run.id})
            .status());
    for (size_t i = 0; i < payees.size(); ++i)
      VT_RETURN_IF_ERROR(
          ctx.conn()
              .Exec("UPDATE statements SET log_index = ? WHERE run_id = ? AND payee = ?",
                    {res->receipts.at(at + 1 + i)["index"].get<int64_t>(), run.id, payees[i]})
              .status());
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(fix.status());
  return Written<RunRecord>{std::move(run), res->receipts};
}

StatusOr<RunRecord> Settlements::Get(const Principal& p, const std::string& run_id) {
  return svc_.Read<RunRecord>([&](store::Conn& c) { return LoadRun(c, p, run_id); });
}

StatusOr<Json> Settlements::Ledger(const Principal& p, const std::string& run_id) {
  return svc_.Read<Json>([&](store::Conn& c) -> StatusOr<Json> {
    VT_ASSIGN_OR_RETURN(RunRecord r, LoadRun(c, p, run_id));
    VT_ASSIGN_OR_RETURN(auto ts, RunTransfers(c, run_id));
    Json a = Json::array();
    for (const auto& t : ts) a.push_back(t.ToJson());
    Json b = Json::object();
    for (const auto& [acct, bal] : Balances(ts)) b[acct] = bal;
    return Json{{"run", r.id}, {"status", r.status}, {"transfers", a}, {"balances", b}};
  });
}

}  // namespace vt::app
