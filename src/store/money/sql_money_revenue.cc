// Revenue lines and batches, and the reads of agreements (sql_money_repo.h).
#include <algorithm>
#include <charconv>
#include <tuple>

#include "base/jcs.h"

#include "store/money/ledger_bulk.h"
#include "store/money/sql_money_repo.h"

namespace vt::store {
namespace {

using settlement::RevenueLine;

constexpr size_t kQueryChunk = 500;  // keys per key-list query on SQLite
constexpr const char* kLineCols =
    "idempotency_key, work, amount, currency, territory, channel, period, external_ref";

RevenueLine LineFromRow(const Row& r) {
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

void AddLines(const std::vector<Row>& rows, std::map<std::string, RevenueLine>* out) {
  for (const auto& r : rows) {
    RevenueLine l = LineFromRow(r);
    out->emplace(l.idempotency_key, std::move(l));
  }
}

// PostgreSQL: one query with the keys as an array parameter (ledger_bulk.h).
StatusOr<std::map<std::string, RevenueLine>> LinesByKeyPg(Conn& c, const std::string& org,
                                                          const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> arr(keys.begin(), keys.end());
  VT_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kLineCols +
                                             " FROM revenue_lines WHERE org_id = ? AND "
                                             "idempotency_key = ANY(?::text[])",
                                         {org, PgTextArray(arr)}));
  std::map<std::string, RevenueLine> out;
  AddLines(rows, &out);
  return out;
}

// PostgreSQL: the lines in one statement, columns as arrays (ledger_bulk.h).
Status InsertLinesPg(Conn& c, const std::string& org, const std::vector<RevenueLine>& lines,
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

StatusOr<std::optional<MoneyVersionRow>> VersionRow(StatusOr<std::vector<Row>> rows) {
  VT_RETURN_IF_ERROR(rows.status());
  if (rows->empty()) return std::optional<MoneyVersionRow>();
  const Row& r = (*rows)[0];
  return std::optional<MoneyVersionRow>(MoneyVersionRow{r.Text(0), r.Text(1), r.Text(2)});
}

}  // namespace

StatusOr<std::map<std::string, RevenueLine>> SqlMoneyRepo::FindLinesByKey(
    const std::string& org, const std::vector<std::string>& keys) {
  if (c_.dialect() == Dialect::kPostgres) return LinesByKeyPg(c_, org, keys);
  std::map<std::string, RevenueLine> out;
  for (size_t at = 0; at < keys.size(); at += kQueryChunk) {
    size_t n = std::min(kQueryChunk, keys.size() - at);
    std::vector<Value> params{org};
    for (size_t i = 0; i < n; ++i) params.push_back(keys[at + i]);
    VT_ASSIGN_OR_RETURN(
        auto rows, c_.Query(std::string("SELECT ") + kLineCols +
                                " FROM revenue_lines WHERE org_id = ? AND idempotency_key IN (" +
                                RowPlaceholders(n, "?") + ")",
                            params));
    AddLines(rows, &out);
  }
  return out;
}

StatusOr<std::vector<RevenueLine>> SqlMoneyRepo::LinesOfPeriod(const std::string& org_id,
                                                               const std::string& work,
                                                               const std::string& period,
                                                               int64_t through_batch) {
  VT_ASSIGN_OR_RETURN(
      auto rows, c_.Query(std::string("SELECT ") + kLineCols +
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

StatusOr<int64_t> SqlMoneyRepo::LastBatchSeq() {
  VT_ASSIGN_OR_RETURN(auto row, c_.QueryOne("SELECT COALESCE(MAX(seq), 0) FROM revenue_batches"));
  return row.Int(0);
}

Status SqlMoneyRepo::InsertLines(const std::string& org, const std::vector<RevenueLine>& lines,
                                 int64_t seq) {
  if (c_.dialect() == Dialect::kPostgres) return InsertLinesPg(c_, org, lines, seq);
  for (size_t at = 0; at < lines.size(); at += kBulkRows) {
    size_t n = std::min(kBulkRows, lines.size() - at);
    std::vector<Value> params;
    params.reserve(n * 10);
    for (size_t i = 0; i < n; ++i) {
      const RevenueLine& l = lines[at + i];
      params.insert(params.end(), {org, l.idempotency_key, l.work, int64_t{l.amount}, l.currency,
                                   l.territory, l.channel, l.period,
                                   l.external_ref.empty() ? Value() : Value(l.external_ref), seq});
    }
    VT_RETURN_IF_ERROR(c_.Exec("INSERT INTO revenue_lines(org_id, idempotency_key, work, amount, "
                               "currency, territory, channel, period, external_ref, batch_seq) "
                               "VALUES " +
                                   RowPlaceholders(n, "(?,?,?,?,?,?,?,?,?,?)"),
                               params)
                           .status());
  }
  return OkStatus();
}

Status SqlMoneyRepo::InsertBatch(const RevenueBatchRow& b) {
  return c_
      .Exec(
          "INSERT INTO revenue_batches(id, org_id, seq, line_count, new_count, "
          "sha256, created_at, created_by) VALUES(?,?,?,?,?,?,?,?)",
          {b.id, b.org_id, b.seq, b.line_count, b.new_count, b.sha256, b.created_at, b.created_by})
      .status();
}

StatusOr<std::optional<MoneyVersionRow>> SqlMoneyRepo::FindVersionInForce(
    const std::string& agreement_id) {
  return VersionRow(
      c_.Query("SELECT a.org_id, v.hash, v.document FROM "
               "agreement_versions v JOIN agreements a ON a.id = "
               "v.agreement_id WHERE v.agreement_id = ? AND v.status = "
               "'in_force'",
               {agreement_id}));
}

StatusOr<std::optional<MoneyVersionRow>> SqlMoneyRepo::FindVersionByHash(const std::string& hash) {
  return VersionRow(
      c_.Query("SELECT a.org_id, v.hash, v.document FROM "
               "agreement_versions v JOIN agreements a ON a.id = "
               "v.agreement_id WHERE v.hash = ?",
               {hash}));
}

StatusOr<bool> SqlMoneyRepo::AgreementExists(const std::string& agreement_id) {
  VT_ASSIGN_OR_RETURN(auto a, c_.Query("SELECT id FROM agreements WHERE id = ?", {agreement_id}));
  return !a.empty();
}

namespace {

// " AND work = ? AND period = ?" for the filter's members that are set.
std::string FilterSql(const RevenueFilter& f, std::vector<Value>* params) {
  std::string sql;
  if (!f.work.empty()) {
    sql += " AND work = ?";
    params->push_back(f.work);
  }
  if (!f.period.empty()) {
    sql += " AND period = ?";
    params->push_back(f.period);
  }
  return sql;
}

// The `work` of an agreement version's terms (`v.document`), for agreements
// whose row names no work.
std::string TermsWorkSql(Dialect d) {
  return d == Dialect::kPostgres ? "(v.document::jsonb -> 'terms' ->> 'work')"
                                 : "json_extract(v.document, '$.terms.work')";
}

// Rows of (period?, currency, count, CAST(SUM(amount) AS TEXT)).
StatusOr<std::vector<RevenueTotalRow>> TotalRows(StatusOr<std::vector<Row>> rows,
                                                 bool with_period) {
  VT_RETURN_IF_ERROR(rows.status());
  std::vector<RevenueTotalRow> out;
  for (const auto& r : *rows) {
    size_t i = with_period ? 1 : 0;
    RevenueTotalRow t{with_period ? r.Text(0) : "", r.Text(i), r.Int(i + 1), 0};
    const std::string& sum = r.Text(i + 2);
    auto [end, ec] = std::from_chars(sum.data(), sum.data() + sum.size(), t.amount);
    if (ec != std::errc() || end != sum.data() + sum.size())
      return OutOfRangeError("revenue total " + sum + " of " + t.period + " " + t.currency +
                             " leaves the int64 range");
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const RevenueTotalRow& a, const RevenueTotalRow& b) {
    return std::tie(a.period, a.currency) < std::tie(b.period, b.currency);
  });
  return out;
}

}  // namespace

StatusOr<std::vector<RevenueLine>> SqlMoneyRepo::ListLines(const std::string& org_id,
                                                           const RevenueFilter& filter,
                                                           int64_t limit) {
  std::vector<Value> params{org_id};
  std::string where = FilterSql(filter, &params);
  params.push_back(limit);
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kLineCols +
                                              " FROM revenue_lines WHERE org_id = ?" + where +
                                              " ORDER BY period, batch_seq, idempotency_key "
                                              "LIMIT ?",
                                          params));
  std::vector<RevenueLine> out;
  for (const auto& r : rows) out.push_back(LineFromRow(r));
  std::stable_sort(out.begin(), out.end(), [](const RevenueLine& a, const RevenueLine& b) {
    return std::tie(a.period, a.idempotency_key) < std::tie(b.period, b.idempotency_key);
  });
  return out;
}

StatusOr<std::vector<RevenueTotalRow>> SqlMoneyRepo::RevenueTotals(const std::string& org_id,
                                                                   const RevenueFilter& filter) {
  std::vector<Value> params{org_id};
  std::string where = FilterSql(filter, &params);
  return TotalRows(c_.Query("SELECT period, currency, COUNT(*), CAST(SUM(amount) AS TEXT) FROM "
                            "revenue_lines WHERE org_id = ?" +
                                where + " GROUP BY period, currency",
                            params),
                   true);
}

StatusOr<std::vector<RevenueTotalRow>> SqlMoneyRepo::UnmatchedTotals(const std::string& org_id,
                                                                     const std::string& work,
                                                                     const std::string& period,
                                                                     int64_t through_batch) {
  const std::string terms_work = TermsWorkSql(c_.dialect());
  return TotalRows(
      c_.Query("SELECT currency, COUNT(*), CAST(SUM(amount) AS TEXT) FROM revenue_lines WHERE "
               "org_id = ? AND period = ? AND batch_seq <= ? AND work <> ? AND work NOT IN "
               "(SELECT work_id FROM agreements WHERE org_id = ? AND work_id IS NOT NULL) AND "
               "work NOT IN (SELECT " +
                   terms_work +
                   " FROM agreements a JOIN agreement_versions v ON v.agreement_id = a.id WHERE "
                   "a.org_id = ? AND a.work_id IS NULL AND " +
                   terms_work + " IS NOT NULL) GROUP BY currency",
               {org_id, period, through_batch, work, org_id, org_id}),
      false);
}

StatusOr<std::set<std::string>> SqlMoneyRepo::KnownWorks(const std::string& org_id,
                                                         const std::vector<std::string>& works) {
  const std::string terms_work = TermsWorkSql(c_.dialect());
  std::set<std::string> known;
  for (size_t at = 0; at < works.size(); at += kQueryChunk) {
    size_t n = std::min(kQueryChunk, works.size() - at);
    std::vector<Value> ids(works.begin() + at, works.begin() + at + n);
    std::string in = "(" + RowPlaceholders(n, "?") + ")";
    std::vector<Value> params = ids;
    params.push_back(org_id);
    params.insert(params.end(), ids.begin(), ids.end());
    params.push_back(org_id);
    params.insert(params.end(), ids.begin(), ids.end());
    VT_ASSIGN_OR_RETURN(
        auto rows,
        c_.Query("SELECT id FROM works WHERE id IN " + in +
                     " UNION SELECT work_id FROM agreements WHERE org_id = ? AND work_id IN " + in +
                     " UNION SELECT " + terms_work +
                     " FROM agreements a JOIN agreement_versions v ON v.agreement_id = a.id "
                     "WHERE a.org_id = ? AND a.work_id IS NULL AND " +
                     terms_work + " IN " + in,
                 params));
    for (const auto& r : rows) known.insert(r.Text(0));
  }
  return known;
}

StatusOr<std::optional<AgreementWorkRow>> SqlMoneyRepo::FindAgreementWork(
    const std::string& agreement_id) {
  VT_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT a.org_id, a.work_id, (SELECT v.document FROM "
                               "agreement_versions v WHERE v.agreement_id = a.id ORDER BY "
                               "v.version DESC LIMIT 1) FROM agreements a WHERE a.id = ?",
                               {agreement_id}));
  if (rows.empty()) return std::optional<AgreementWorkRow>();
  AgreementWorkRow out{rows[0].Text(0), rows[0].OptText(1).value_or("")};
  if (out.work.empty()) {
    Json doc = Json::parse(rows[0].OptText(2).value_or(""), nullptr, false);
    if (doc.is_object() && doc.contains("terms") && doc["terms"].is_object())
      out.work = doc["terms"].value("work", "");
  }
  return std::optional<AgreementWorkRow>(std::move(out));
}

std::unique_ptr<MoneyWriter> NewSqlMoneyRepo(Conn& conn) {
  return std::make_unique<SqlMoneyRepo>(conn);
}

}  // namespace vt::store
