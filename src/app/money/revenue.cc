// Revenue lines: validation, idempotent import, reads.
#include "app/money/revenue.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "app/core/domain_names.h"
#include "base/encoding.h"
#include "crypto/digest.h"
#include "settlement/amount_sum.h"

namespace vt::app {
namespace {

using settlement::RevenueLine;

Status KeyConflict(size_t i, const std::string& key) {
  std::string f = "lines[" + std::to_string(i) + "].idempotency_key";
  return AlreadyExistsError(f + " '" + key + "' is already used by a line with different content")
      .WithField(f);
}

// The per-currency totals of `lines[i]` for i in `which`, each within ±kMaxAmount
// (docs/settlement.md "Money": lines whose sum would leave it are refused on
// `lines`, out_of_range, nothing written).
StatusOr<Json> CurrencyTotals(const std::vector<RevenueLine>& lines,
                              const std::vector<size_t>& which) {
  std::map<std::string, settlement::AmountSum> sums;
  for (size_t i : which) sums[lines[i].currency].Add(lines[i].amount);
  Json totals = Json::object();
  for (const auto& [currency, sum] : sums) {
    auto total = sum.Total("lines");
    if (!total.ok())
      return OutOfRangeError("the " + currency +
                             " lines of this import sum beyond the largest exact amount ±" +
                             std::to_string(settlement::kMaxAmount) + "; split the import")
          .WithField("lines");
    totals[currency] = *total;
  }
  return totals;
}

}  // namespace

Json ImportResult::ToJson() const {
  Json j = {{"received", received},
            {"imported", imported},
            {"duplicates", duplicates},
            {"batch_sha256", batch_sha256}};
  if (!batch_id.empty()) {
    j["batch"] = batch_id;
    j["batch_seq"] = batch_seq;
  }
  return j;
}

Status ValidateImportLine(const RevenueLine& line, const std::string& path) {
  VT_RETURN_IF_ERROR(settlement::ValidateRevenueLine(line, path));
  if (line.work.empty())
    return InvalidArgumentError(path + ".work is required (the work or event id)")
        .WithField(path + ".work");
  return OkStatus();
}

StatusOr<std::vector<RevenueLine>> RevenueLinesFromJson(const Json& body,
                                                        std::vector<std::string>* agreements) {
  if (!body.is_object() || !body.contains("lines") || !body["lines"].is_array())
    return InvalidArgumentError("body must be {\"lines\": [...]}").WithField("lines");
  const Json& a = body["lines"];
  if (a.empty() || a.size() > kMaxLinesPerImport)
    return InvalidArgumentError("lines must hold 1-" + std::to_string(kMaxLinesPerImport) +
                                " lines")
        .WithField("lines");
  std::vector<RevenueLine> out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    std::string path = "lines[" + std::to_string(i) + "]";
    Json line = a[i];
    std::string agreement;
    if (line.is_object() && line.contains("agreement")) {
      if (!line["agreement"].is_string() || line["agreement"].get<std::string>().empty() ||
          line["agreement"].get<std::string>().size() > 128)
        return InvalidArgumentError(path + ".agreement must be an agreement id")
            .WithField(path + ".agreement");
      agreement = line["agreement"].get<std::string>();
      line.erase("agreement");
    }
    VT_ASSIGN_OR_RETURN(RevenueLine l, settlement::RevenueLineFromJson(line, path));
    if (agreement.empty()) {
      VT_RETURN_IF_ERROR(ValidateImportLine(l, path));
    } else {
      VT_RETURN_IF_ERROR(settlement::ValidateRevenueLine(l, path));
    }
    if (agreements) agreements->push_back(std::move(agreement));
    out.push_back(std::move(l));
  }
  return out;
}

std::string LinesSha256(const std::vector<RevenueLine>& lines) {
  Json a = Json::array();
  for (const RevenueLine& l : lines) a.push_back(settlement::RevenueLineToJson(l));
  return HexEncode(crypto::Sha256(Canonicalize(a).value()));
}

StatusOr<ImportPlan> PlanImport(const Principal& p, const std::vector<RevenueLine>& lines) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                 "' may not import revenue");
  if (lines.empty() || lines.size() > kMaxLinesPerImport)
    return InvalidArgumentError("lines must hold 1-" + std::to_string(kMaxLinesPerImport) +
                                " lines")
        .WithField("lines");
  for (size_t i = 0; i < lines.size(); ++i)
    VT_RETURN_IF_ERROR(ValidateImportLine(lines[i], "lines[" + std::to_string(i) + "]"));
  // Repeats inside the request: the first occurrence counts.
  std::map<std::string, size_t> first;
  ImportPlan plan;
  for (size_t i = 0; i < lines.size(); ++i) {
    auto [it, fresh] = first.emplace(lines[i].idempotency_key, i);
    if (fresh)
      plan.unique.push_back(i);
    else if (lines[it->second] == lines[i])
      plan.repeats.push_back(lines[i].idempotency_key);
    else
      return KeyConflict(i, lines[i].idempotency_key);
  }
  VT_RETURN_IF_ERROR(CurrencyTotals(lines, plan.unique).status());
  return plan;
}

StatusOr<ImportResult> StoreImport(store::MoneyWriter& repo, const Principal& p,
                                   const std::vector<RevenueLine>& lines, const ImportPlan& plan,
                                   const std::string& batch_id, const Clock& clock,
                                   std::vector<std::string>* log) {
  ImportResult result;
  result.received = lines.size();
  std::vector<std::string> keys;
  for (size_t i : plan.unique) keys.push_back(lines[i].idempotency_key);
  VT_ASSIGN_OR_RETURN(auto stored, repo.FindLinesByKey(p.org_id, keys));
  std::vector<RevenueLine> fresh;
  result.duplicates = plan.repeats;
  for (size_t i : plan.unique) {
    auto s = stored.find(lines[i].idempotency_key);
    if (s == stored.end()) {
      fresh.push_back(lines[i]);
    } else if (s->second == lines[i]) {
      result.duplicates.push_back(lines[i].idempotency_key);
    } else {
      return KeyConflict(i, lines[i].idempotency_key);
    }
  }
  result.imported = fresh.size();
  result.batch_sha256 = LinesSha256(fresh);
  if (fresh.empty()) return result;  // a pure replay writes nothing
  // Checked before anything is written: the entry's totals are permanent.
  std::vector<size_t> all(fresh.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  VT_ASSIGN_OR_RETURN(Json totals, CurrencyTotals(fresh, all));
  VT_ASSIGN_OR_RETURN(int64_t last, repo.LastBatchSeq());
  result.batch_seq = last + 1;
  result.batch_id = batch_id;
  VT_RETURN_IF_ERROR(repo.InsertLines(p.org_id, fresh, result.batch_seq));
  VT_RETURN_IF_ERROR(repo.InsertBatch({batch_id, p.org_id, result.batch_seq, int64_t(lines.size()),
                                       int64_t(fresh.size()), result.batch_sha256,
                                       FormatRfc3339(clock.Now()), p.member_id}));
  VT_ASSIGN_OR_RETURN(std::string e,
                      MakeEntry("revenue.imported", 2, clock, {p.org_id, p.member_id},
                                {{"org", p.org_id}, {"batch", batch_id}},
                                {{"batch_seq", result.batch_seq},
                                 {"lines", result.imported},
                                 {"duplicates", result.duplicates.size()},
                                 {"batch_sha256", result.batch_sha256},
                                 {"totals", Confidential(totals, p.org_id)}}));
  log->push_back(std::move(e));
  return result;
}

Status ResolveLineWorks(store::MoneyReader& repo, const Principal& p,
                        std::vector<RevenueLine>& lines,
                        const std::vector<std::string>& agreements) {
  if (!agreements.empty() && agreements.size() != lines.size())
    return InvalidArgumentError("one agreement (or none) per line").WithField("lines");
  std::map<std::string, std::string> agreement_work;  // agreement -> work ("" if not ours)
  std::set<std::string> asked;
  for (size_t i = 0; i < lines.size(); ++i)
    if (agreements.empty() || agreements[i].empty()) asked.insert(lines[i].work);
  VT_ASSIGN_OR_RETURN(
      std::set<std::string> known,
      repo.KnownWorks(p.org_id, std::vector<std::string>(asked.begin(), asked.end())));
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string path = "lines[" + std::to_string(i) + "]";
    RevenueLine& l = lines[i];
    const std::string named = agreements.empty() ? "" : agreements[i];
    if (!named.empty()) {
      auto it = agreement_work.find(named);
      if (it == agreement_work.end()) {
        VT_ASSIGN_OR_RETURN(auto w, repo.FindAgreementWork(named));
        std::string work = w && w->org_id == p.org_id ? w->work : "";
        it = agreement_work.emplace(named, work).first;
      }
      if (it->second.empty())
        return InvalidArgumentError(path + ".agreement: no agreement " + named +
                                    " of your organization")
            .WithField(path + ".agreement");
      if (!l.work.empty() && l.work != it->second)
        return InvalidArgumentError(path + ".work: agreement " + named + " settles work " +
                                    it->second + ", not " + l.work)
            .WithField(path + ".work");
      l.work = it->second;
      continue;
    }
    if (!known.count(l.work))
      return InvalidArgumentError(path + ".work: unknown work '" + l.work +
                                  "' (neither a registered work nor the work of an agreement of "
                                  "your organization); name the agreement to file it under")
          .WithField(path + ".work");
  }
  return OkStatus();
}

StatusOr<Json> RevenueBook::List(const Principal& p, const std::string& work,
                                 const std::string& period, const std::string& limit_text) {
  int64_t limit = 1000;
  if (!limit_text.empty()) {
    auto [end, ec] =
        std::from_chars(limit_text.data(), limit_text.data() + limit_text.size(), limit);
    if (ec != std::errc() || end != limit_text.data() + limit_text.size() || limit < 1 ||
        limit > static_cast<int64_t>(kMaxLinesPerImport))
      return InvalidArgumentError("limit must be 1-" + std::to_string(kMaxLinesPerImport))
          .WithField("limit");
  }
  store::RevenueFilter filter{work, period};
  return svc_.Read<Json>([&](store::Conn& c) -> StatusOr<Json> {
    auto repo = store::NewSqlMoneyRepo(c);
    VT_ASSIGN_OR_RETURN(auto lines, repo->ListLines(p.org_id, filter, limit + 1));
    bool truncated = static_cast<int64_t>(lines.size()) > limit;
    if (truncated) lines.resize(limit);
    VT_ASSIGN_OR_RETURN(auto totals, repo->RevenueTotals(p.org_id, filter));
    Json ls = Json::array(), ts = Json::array();
    for (const RevenueLine& l : lines) ls.push_back(settlement::RevenueLineToJson(l));
    for (const auto& t : totals)
      ts.push_back({{"period", t.period},
                    {"currency", t.currency},
                    {"scale", settlement::FindCurrency(t.currency).ok()
                                  ? settlement::FindCurrency(t.currency)->scale
                                  : 0},
                    {"lines", t.lines},
                    {"amount", t.amount}});
    return Json{{"lines", ls}, {"truncated", truncated}, {"totals", ts}};
  });
}

StatusOr<Written<ImportResult>> RevenueBook::Import(const Principal& p,
                                                    std::vector<RevenueLine> lines,
                                                    std::vector<std::string> agreements) {
  if (!p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                 "' may not import revenue");
  std::string batch_id = NewId("rvb", rng_);
  ImportResult result;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlMoneyRepo(ctx.conn());
    VT_RETURN_IF_ERROR(ResolveLineWorks(*repo, p, lines, agreements));
    VT_ASSIGN_OR_RETURN(ImportPlan plan, PlanImport(p, lines));
    std::vector<std::string> log;
    VT_ASSIGN_OR_RETURN(result, StoreImport(*repo, p, lines, plan, batch_id, ctx.clock(), &log));
    for (std::string& e : log) ctx.AppendLog(std::move(e));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<ImportResult>{std::move(result), res->receipts};
}

}  // namespace vt::app
