// Revenue lines: validation, idempotent import, reads.
#include "app/money/revenue.h"

#include <algorithm>
#include <map>

#include "app/core/domain_names.h"
#include "base/encoding.h"
#include "crypto/digest.h"

namespace vt::app {
namespace {

using settlement::RevenueLine;

Status KeyConflict(size_t i, const std::string& key) {
  std::string f = "lines[" + std::to_string(i) + "].idempotency_key";
  return AlreadyExistsError(f + " '" + key + "' is already used by a line with different content")
      .WithField(f);
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

StatusOr<std::vector<RevenueLine>> RevenueLinesFromJson(const Json& body) {
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
    VT_ASSIGN_OR_RETURN(RevenueLine l, settlement::RevenueLineFromJson(a[i], path));
    VT_RETURN_IF_ERROR(ValidateImportLine(l, path));
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
  VT_ASSIGN_OR_RETURN(int64_t last, repo.LastBatchSeq());
  result.batch_seq = last + 1;
  result.batch_id = batch_id;
  VT_RETURN_IF_ERROR(repo.InsertLines(p.org_id, fresh, result.batch_seq));
  VT_RETURN_IF_ERROR(repo.InsertBatch({batch_id, p.org_id, result.batch_seq, int64_t(lines.size()),
                                       int64_t(fresh.size()), result.batch_sha256,
                                       FormatRfc3339(clock.Now()), p.member_id}));
  Json totals = Json::object();
  for (const RevenueLine& l : fresh) {
    int64_t t = totals.value(l.currency, int64_t{0});
    totals[l.currency] = t + l.amount;  // |sum| <= 10^4 * 2^53 fits int64
  }
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

StatusOr<Written<ImportResult>> RevenueBook::Import(const Principal& p,
                                                    std::vector<RevenueLine> lines) {
  VT_ASSIGN_OR_RETURN(ImportPlan plan, PlanImport(p, lines));
  std::string batch_id = NewId("rvb", rng_);
  ImportResult result;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlMoneyRepo(ctx.conn());
    std::vector<std::string> log;
    VT_ASSIGN_OR_RETURN(result, StoreImport(*repo, p, lines, plan, batch_id, ctx.clock(), &log));
    for (std::string& e : log) ctx.AppendLog(std::move(e));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<ImportResult>{std::move(result), res->receipts};
}

}  // namespace vt::app
