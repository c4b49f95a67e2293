// The SQL rights repository: works and the derivation graph (rights_repo.h).
#include "store/rights/sql_rights_repo_internal.h"

namespace vt::store {
namespace {

// Columns WorkFromRow reads, in order.
constexpr const char* kWorkCols = "id, record, log_index";

WorkRow WorkFromRow(const Row& r) {
  WorkRow w;
  w.id = r.Text(0);
  w.record = r.Text(1);
  w.log_index = r.OptInt(2);
  if (r.size() > 3) w.org_id = r.Text(3);
  return w;
}

std::vector<WorkLink> Links(const std::vector<Row>& rows) {
  std::vector<WorkLink> out;
  for (const auto& r : rows) out.push_back({r.Text(0), r.Text(1)});
  return out;
}

}  // namespace

std::unique_ptr<RightsWriter> NewSqlRightsRepo(Conn& conn) {
  return std::make_unique<SqlRightsRepo>(conn);
}

StatusOr<std::optional<WorkRow>> SqlRightsRepo::FindWork(std::string_view id) {
  VT_ASSIGN_OR_RETURN(
      auto rows, c_.Query(std::string("SELECT ") + kWorkCols + ", org_id FROM works WHERE id = ?",
                          {Text(id)}));
  if (rows.empty()) return std::optional<WorkRow>();
  return std::optional<WorkRow>(WorkFromRow(rows[0]));
}

StatusOr<std::optional<WorkClaim>> SqlRightsRepo::FindWorkClaim(std::string_view sha256) {
  VT_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT id, log_index FROM works WHERE sha256 = ?", {Text(sha256)}));
  if (rows.empty()) return std::optional<WorkClaim>();
  return std::optional<WorkClaim>(WorkClaim{rows[0].Text(0), rows[0].OptInt(1)});
}

StatusOr<std::vector<WorkRow>> SqlRightsRepo::ListWorks(const std::optional<std::string>& org_id,
                                                        int limit) {
  std::string sql = std::string("SELECT ") + kWorkCols + " FROM works";
  std::vector<Value> params;
  if (org_id) {
    sql += " WHERE org_id = ?";
    params.push_back(*org_id);
  }
  params.push_back(int64_t{limit});
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(sql + " ORDER BY created_at, id LIMIT ?", params));
  std::vector<WorkRow> out;
  for (const auto& r : rows) out.push_back(WorkFromRow(r));
  return out;
}

StatusOr<std::optional<std::string>> SqlRightsRepo::FindUseRole(std::string_view work_id,
                                                                std::string_view used_work_id) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT role FROM work_uses WHERE work_id = ? AND "
                                          "used_work_id = ?",
                                          {Text(work_id), Text(used_work_id)}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].Text(0));
}

StatusOr<std::vector<WorkLink>> SqlRightsRepo::WorksUsedBy(std::string_view work_id) {
  VT_ASSIGN_OR_RETURN(
      auto rows, c_.Query("SELECT used_work_id, role FROM work_uses WHERE work_id = ? ORDER BY 1",
                          {Text(work_id)}));
  return Links(rows);
}

StatusOr<std::vector<WorkLink>> SqlRightsRepo::WorksUsing(std::string_view used_work_id) {
  VT_ASSIGN_OR_RETURN(
      auto rows, c_.Query("SELECT work_id, role FROM work_uses WHERE used_work_id = ? ORDER BY 1",
                          {Text(used_work_id)}));
  return Links(rows);
}

Status SqlRightsRepo::InsertWork(const WorkRow& w) {
  return c_
      .Exec(
          "INSERT INTO works(id,org_id,type,sha256,sm3,record,created_at,created_by) "
          "VALUES(?,?,?,?,?,?,?,?)",
          {w.id, w.org_id, w.type, w.sha256, OptText(w.sm3), w.record, w.created_at, w.created_by})
      .status();
}

Status SqlRightsRepo::SetWorkLogIndex(std::string_view id, int64_t log_index) {
  return c_.Exec("UPDATE works SET log_index = ? WHERE id = ?", {log_index, Text(id)}).status();
}

Status SqlRightsRepo::SetWorkRecord(std::string_view id, const std::string& record) {
  return c_.Exec("UPDATE works SET record = ? WHERE id = ?", {record, Text(id)}).status();
}

Status SqlRightsRepo::InsertWorkUse(const WorkUseRow& u) {
  return c_
      .Exec(
          "INSERT INTO work_uses(work_id,used_work_id,role,created_at,"
          "created_by) VALUES(?,?,?,?,?)",
          {u.work_id, u.used_work_id, u.role, u.created_at, u.created_by})
      .status();
}

}  // namespace vt::store
