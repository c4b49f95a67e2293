// The SQL rights repository: agreements and their versions (rights_repo.h).
#include "store/rights/sql_rights_repo_internal.h"

namespace vt::store {
namespace {

// Columns VersionFromRow reads, in order.
constexpr const char* kVersionCols =
    "hash, agreement_id, version, document, status, effective_at, created_at, log_index";

StatusOr<AgreementVersionRow> VersionFromRow(const Row& r) {
  AgreementVersionRow v;
  v.hash = r.Text(0);
  v.agreement_id = r.Text(1);
  v.version = r.Int(2);
  v.document = r.Text(3);
  auto status = ParseVersionStatus(r.Text(4));
  if (!status) return InternalError("agreement version " + v.hash + " is corrupt");
  v.status = *status;
  v.effective_at = r.OptText(5);
  v.created_at = r.Text(6);
  v.log_index = r.OptInt(7);
  return v;
}

StatusOr<std::optional<AgreementVersionRow>> FirstVersion(const std::vector<Row>& rows) {
  if (rows.empty()) return std::optional<AgreementVersionRow>();
  VT_ASSIGN_OR_RETURN(AgreementVersionRow v, VersionFromRow(rows[0]));
  return std::optional<AgreementVersionRow>(std::move(v));
}

// A LIKE pattern matching `id` as a quoted JSON string anywhere (ESCAPE '\\').
std::string MentionPattern(const std::string& id) {
  std::string out = "%\"";
  for (char c : id) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"%";
}

constexpr const char* kMentions =
    "EXISTS (SELECT 1 FROM agreement_versions v WHERE v.agreement_id = a.id AND v.document "
    "LIKE ? ESCAPE '\\')";

}  // namespace

StatusOr<std::vector<std::string>> SqlRightsRepo::ListAgreementIds(const AgreementListQuery& q) {
  std::string sql = "SELECT a.id FROM agreements a WHERE 1 = 1";
  std::vector<Value> params;
  if (!q.all) {
    sql += " AND (a.org_id = ?";
    params.push_back(q.org_id);
    for (const auto& m : q.mentions) {
      sql += std::string(" OR ") + kMentions;
      params.push_back(MentionPattern(m));
    }
    sql += ")";
  }
  if (!q.work_id.empty()) {
    sql += " AND a.work_id = ?";
    params.push_back(q.work_id);
  }
  if (!q.party.empty()) {
    sql += std::string(" AND ") + kMentions;
    params.push_back(MentionPattern(q.party));
  }
  sql += " ORDER BY a.created_at, a.id LIMIT ?";
  params.push_back(q.limit);
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, params));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Text(0));
  return out;
}

StatusOr<std::optional<AgreementRow>> SqlRightsRepo::FindAgreement(std::string_view id) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, org_id, work_id, title, created_at FROM "
                                          "agreements WHERE id = ?",
                                          {Text(id)}));
  if (rows.empty()) return std::optional<AgreementRow>();
  const Row& r = rows[0];
  return std::optional<AgreementRow>(
      AgreementRow{r.Text(0), r.Text(1), r.OptText(2), r.Text(3), r.Text(4)});
}

StatusOr<std::vector<AgreementVersionRow>> SqlRightsRepo::ListAgreementVersions(
    std::string_view agreement_id) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kVersionCols +
                                              " FROM agreement_versions WHERE agreement_id = ? "
                                              "ORDER BY version",
                                          {Text(agreement_id)}));
  std::vector<AgreementVersionRow> out;
  for (const auto& r : rows) {
    VT_ASSIGN_OR_RETURN(AgreementVersionRow v, VersionFromRow(r));
    out.push_back(std::move(v));
  }
  return out;
}

StatusOr<std::optional<AgreementVersionRow>> SqlRightsRepo::FindAgreementVersion(
    std::string_view hash) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kVersionCols +
                                              " FROM agreement_versions WHERE hash = ?",
                                          {Text(hash)}));
  return FirstVersion(rows);
}

StatusOr<std::optional<AgreementVersionRow>> SqlRightsRepo::FindInForceVersion(
    std::string_view agreement_id) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kVersionCols +
                                              " FROM agreement_versions WHERE agreement_id = ? AND "
                                              "status = 'in_force'",
                                          {Text(agreement_id)}));
  return FirstVersion(rows);
}

Status SqlRightsRepo::InsertAgreement(const AgreementRow& a) {
  return c_
      .Exec(
          "INSERT INTO agreements(id,org_id,work_id,title,created_at) "
          "VALUES(?,?,?,?,?)",
          {a.id, a.org_id, OptText(a.work_id), a.title, a.created_at})
      .status();
}

Status SqlRightsRepo::InsertAgreementVersion(const AgreementVersionRow& v) {
  return c_
      .Exec(
          "INSERT INTO agreement_versions(hash,agreement_id,version,document,status,"
          "created_at) VALUES(?,?,?,?,?,?)",
          {v.hash, v.agreement_id, v.version, v.document, std::string(VersionStatusName(v.status)),
           v.created_at})
      .status();
}

Status SqlRightsRepo::SetVersionLogIndex(std::string_view hash, int64_t log_index) {
  return c_
      .Exec("UPDATE agreement_versions SET log_index = ? WHERE hash = ?", {log_index, Text(hash)})
      .status();
}

Status SqlRightsRepo::WithdrawPendingVersions(std::string_view agreement_id) {
  return c_
      .Exec(
          "UPDATE agreement_versions SET status = 'superseded' WHERE "
          "agreement_id = ? AND status = 'pending'",
          {Text(agreement_id)})
      .status();
}

Status SqlRightsRepo::SupersedeInForceVersion(std::string_view agreement_id) {
  return c_
      .Exec(
          "UPDATE agreement_versions SET status = 'superseded' WHERE "
          "agreement_id = ? AND status = 'in_force'",
          {Text(agreement_id)})
      .status();
}

Status SqlRightsRepo::PutVersionInForce(std::string_view hash, const std::string& effective_at) {
  return c_
      .Exec(
          "UPDATE agreement_versions SET status = 'in_force', "
          "effective_at = ? WHERE hash = ?",
          {effective_at, Text(hash)})
      .status();
}

}  // namespace vt::store
