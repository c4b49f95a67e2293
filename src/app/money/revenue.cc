// Revenue lines: validation, idempotent import, reads.
#include "app/money/revenue.h"

#include <algorithm>
#include <map>

#include "base/encoding.h"
#include "crypto/digest.h"
#include "app/core/domain_names.h"
#include "app/money/ledger_sql.h"

namespace vt::app {
namespace {

using settlement::RevenueLine;

constexpr size_t kQueryChunk = 500;  // keys per SELECT ... IN (...) on SQLite
constexpr const char* kLineCols =
    "idempotency_key, work, amount, currency, territory, channel, period, external_ref";

RevenueLine LineFromRow(const store::Row& r) {
  RevenueLine l;
  l.idempotency_key = r.Text(0);
  l.work = r.Text(1);
  l.amount = r.Int(2);
  l.currency = r.Text(3);
  l.territory = r.Text(4);
  l.channel = r.Text(5);
  l.period = r.Text(6);
  l.external_ref = r.OptText(7).value_or("");
  return l;
}

std::string Placeholders(size_t n, const std::string& one) { return RowPlaceholders(n, one); }

// Stored lines of `org` among `keys` on PostgreSQL: one SELECT with the keys as
// an array parameter (ledger_sql.h).
StatusOr<std::map<std::string, RevenueLine>> StoredLinesPg(store::Conn& c, const std::string& org,
                                                           const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> arr(keys.begin(), keys.end());
  VT_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kLineCols +
                                             " FROM revenue_lines WHERE org_id = ? AND "
                                             "idempotency_key = ANY(?::text[])",
                                         {org, PgTextArray(arr)}));
  std::map<std::string, RevenueLine> out;
  for (const auto& r : rows) {
    RevenueLine l = LineFromRow(r);
    out.emplace(l.idempotency_key, std::move(l));
  }
  return out;
}

// The lines in one INSERT on PostgreSQL, columns as arrays (ledger_sql.h).
Status InsertLinesPg(store::Conn& c, const std::string& org, const std::vector<RevenueLine>& lines,
                     int64_t seq) {
  std::vector<std::optional<std::string>> key, work, cur, terr, chan, period, ext;
  std::vector<int64_t> amount;
  for (const RevenueLine& l : lines) {
    key.push_back(l.idempotency_key);
    work.push_back(l.work);
    amount.push_back(l.amount);
    cur.push_back(l.currency);
    terr.push_back(l.territory);
    chan.push_back(l.channel);
    period.push_back(l.period);
    ext.push_back(l.external_ref.empty() ? std::nullopt
                                         : std::optional<std::string>(l.external_ref));
  }
  return c
      .Exec(
          "INSERT INTO revenue_lines(org_id, idempotency_key, work, amount, currency, territory, "
          "channel, period, external_ref, batch_seq) SELECT ?::text, k, w, a, cu, t, ch, p, e, "
          "?::bigint FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], "
          "?::text[], ?::text[], ?::text[]) AS u(k, w, a, cu, t, ch, p, e)",
          {org, seq, PgTextArray(key), PgTextArray(work), PgIntArray(amount), PgTextArray(cur),
           PgTextArray(terr), PgTextArray(chan), PgTextArray(period), PgTextArray(ext)})
      .status();
}

// Stored lines of `org` among `keys`, by key.
StatusOr<std::map<std::string, RevenueLine>> StoredLines(store::Conn& c, const std::string& org,
                                                         const std::vector<std::string>& keys) {
  if (c.dialect() == store::Dialect::kPostgres) return StoredLinesPg(c, org, keys);
  std::map<std::string, RevenueLine> out;
  for (size_t at = 0; at < keys.size(); at += kQueryChunk) {
    size_t n = std::min(kQueryChunk, keys.size() - at);
    std::vector<store::Value> params{org};
    for (size_t i = 0; i < n; ++i) params.push_back(keys[at + i]);
    VT_ASSIGN_OR_RETURN(
        auto rows, c.Query(std::string("SELECT ") + kLineCols +
                               " FROM revenue_lines WHERE org_id = ? AND idempotency_key IN (" +
                               Placeholders(n, "?") + ")",
                           params));
    for (const auto& r : rows) {
      RevenueLine l = LineFromRow(r);
      out.emplace(l.idempotency_key, std::move(l));
    }
  }
  return out;
}

Status InsertLines(store::Conn& c, const std::string& org, const std::vector<RevenueLine>& lines,
                   int64_t seq) {
  if (c.dialect() == store::Dialect::kPostgres) return InsertLinesPg(c, org, lines, seq);
  for (size_t at = 0; at < lines.size(); at += kBulkRows) {
    size_t n = std::min(kBulkRows, lines.size() - at);
    std::vector<store::Value> params;
    params.reserve(n * 10);
    for (size_t i = 0; i < n; ++i) {
      const RevenueLine& l = lines[at + i];
      params.insert(
          params.end(),
          {org, l.idempotency_key, l.work, int64_t{l.amount}, l.currency, l.territory, l.channel,
           l.period, l.external_ref.empty() ? store::Value() : store::Value(l.external_ref), seq});
    }
    VT_RETURN_IF_ERROR(c.Exec("INSERT INTO revenue_lines(org_id, idempotency_key, work, amount, "
                              "currency, territory, channel, period, external_ref, batch_seq) "
                              "VALUES " +
                                  Placeholders(n, "(?,?,?,?,?,?,?,?,?,?)"),
                              params)
                           .status());
  }
  return OkStatus();
}

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

StatusOr<Written<ImportResult>> RevenueBook::Import(const Principal& p,
                                                    std::vector<RevenueLine> lines) {
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
  std::vector<size_t> unique;
  std::vector<std::string> repeats;  // replays within the request
  for (size_t i = 0; i < lines.size(); ++i) {
    auto [it, fresh] = first.emplace(lines[i].idempotency_key, i);
    if (fresh)
      unique.push_back(i);
    else if (lines[it->second] == lines[i])
      repeats.push_back(lines[i].idempotency_key);
    else
      return KeyConflict(i, lines[i].idempotency_key);
  }
  ImportResult result;
  result.received = lines.size();
  std::string batch_id = NewId("rvb", rng_);
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    store::Conn& c = ctx.conn();
    std::vector<std::string> keys;
    for (size_t i : unique) keys.push_back(lines[i].idempotency_key);
    VT_ASSIGN_OR_RETURN(auto stored, StoredLines(c, p.org_id, keys));
    std::vector<RevenueLine> fresh;
    result.duplicates = repeats;
    for (size_t i : unique) {
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
    if (fresh.empty()) return OkStatus();  // a pure replay writes nothing
    VT_ASSIGN_OR_RETURN(int64_t last, LastBatchSeq(c));
    result.batch_seq = last + 1;
    result.batch_id = batch_id;
    VT_RETURN_IF_ERROR(InsertLines(c, p.org_id, fresh, result.batch_seq));
    VT_RETURN_IF_ERROR(
        c.Exec("INSERT INTO revenue_batches(id, org_id, seq, line_count, new_count, "
               "sha256, created_at, created_by) VALUES(?,?,?,?,?,?,?,?)",
               {batch_id, p.org_id, result.batch_seq, int64_t(lines.size()), int64_t(fresh.size()),
                result.batch_sha256, FormatRfc3339(ctx.clock().Now()), p.member_id})
            .status());
    Json totals = Json::object();
    for (const RevenueLine& l : fresh) {
      int64_t t = totals.value(l.currency, int64_t{0});
      totals[l.currency] = t + l.amount;  // |sum| <= 10^4 * 2^53 fits int64
    }
    VT_ASSIGN_OR_RETURN(std::string e,
                        MakeEntry("revenue.imported", 1, ctx.clock(), {p.org_id, p.member_id},
                                  {{"org", p.org_id}, {"batch", batch_id}},
                                  {{"batch_seq", result.batch_seq},
                                   {"lines", result.imported},
                                   {"duplicates", result.duplicates.size()},
                                   {"batch_sha256", result.batch_sha256},
                                   {"totals", totals}}));
    ctx.AppendLog(std::move(e));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  return Written<ImportResult>{std::move(result), res->receipts};
}

StatusOr<std::vector<RevenueLine>> LoadLines(store::Conn& c, const std::string& org_id,
                                             const std::string& work, const std::string& period,
                                             int64_t through_batch) {
  VT_ASSIGN_OR_RETURN(
      auto rows, c.Query(std::string("SELECT ") + kLineCols +
                             " FROM revenue_lines WHERE org_id = ? AND work = ? AND period = ? "
                             "AND batch_seq <= ?",
                         {org_id, work, period, through_batch}));
  std::vector<RevenueLine> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(LineFromRow(r));
  // Byte order in code: PostgreSQL's ORDER BY follows the database collation.
  std::sort(out.begin(), out.end(), [](const RevenueLine& a, const RevenueLine& b) {
    return a.idempotency_key < b.idempotency_key;
  });
  return out;
}

StatusOr<int64_t> LastBatchSeq(store::Conn& c) {
  VT_ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COALESCE(MAX(seq), 0) FROM revenue_batches"));
  return row.Int(0);
}

}  // namespace vt::app
