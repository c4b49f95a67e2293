// The SQL identity repository: characters and the organization/member facts
// that identity reads. CA and certificate queries: sql_certificate_queries.cc.
#include "store/identity/sql_identity_repo_internal.h"

namespace vt::store {
namespace identity_sql {
namespace {

constexpr const char* kCharacterCols = "id, org_id, status, record";

StatusOr<CharacterStatus> StatusFrom(const Row& r, size_t i, const std::string& id) {
  auto s = ParseCharacterStatus(r.Text(i));
  if (!s) return InternalError("stored status of character " + id + " is corrupt");
  return *s;
}

StatusOr<CharacterRow> CharacterFromRow(const Row& r) {
  CharacterRow c;
  c.id = r.Text(0);
  c.org_id = r.Text(1);
  VT_ASSIGN_OR_RETURN(c.status, StatusFrom(r, 2, c.id));
  c.record = r.Text(3);
  return c;
}

}  // namespace

StatusOr<CharacterRow> SqlIdentityRepo::GetCharacter(std::string_view id) {
  VT_ASSIGN_OR_RETURN(auto row, c_.QueryOne(std::string("SELECT ") + kCharacterCols +
                                                " FROM characters WHERE id = ?",
                                            {std::string(id)}));
  return CharacterFromRow(row);
}

StatusOr<CharacterStatus> SqlIdentityRepo::GetCharacterStatus(std::string_view id) {
  VT_ASSIGN_OR_RETURN(auto row,
                      c_.QueryOne("SELECT status FROM characters WHERE id = ?", {std::string(id)}));
  return StatusFrom(row, 0, std::string(id));
}

StatusOr<bool> SqlIdentityRepo::CharacterExists(std::string_view id) {
  VT_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT id FROM characters WHERE id = ?", {std::string(id)}));
  return !rows.empty();
}

StatusOr<std::vector<CharacterRow>> SqlIdentityRepo::ListCharacters(
    const std::optional<std::string>& org_id, int limit) {
  std::string sql = std::string("SELECT ") + kCharacterCols + " FROM characters";
  std::vector<Value> params;
  if (org_id) {
    sql += " WHERE org_id = ?";
    params.push_back(*org_id);
  }
  params.push_back(int64_t{limit});
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(sql + " ORDER BY created_at, id LIMIT ?", params));
  std::vector<CharacterRow> out;
  for (const auto& r : rows) {
    VT_ASSIGN_OR_RETURN(CharacterRow ch, CharacterFromRow(r));
    out.push_back(std::move(ch));
  }
  return out;
}

StatusOr<bool> SqlIdentityRepo::OrgExists(std::string_view org_id) {
  VT_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT id FROM orgs WHERE id = ?", {std::string(org_id)}));
  return !rows.empty();
}

StatusOr<std::string> SqlIdentityRepo::OrgName(std::string_view org_id) {
  VT_ASSIGN_OR_RETURN(auto row,
                      c_.QueryOne("SELECT name FROM orgs WHERE id = ?", {std::string(org_id)}));
  return row.Text(0);
}

StatusOr<MemberFacts> SqlIdentityRepo::GetMemberOfOrg(std::string_view org_id,
                                                      std::string_view member_id) {
  VT_ASSIGN_OR_RETURN(
      auto r, c_.QueryOne("SELECT m.name, m.email, m.removed_at, o.name FROM members m JOIN orgs o "
                          "ON o.id = m.org_id WHERE m.id = ? AND m.org_id = ?",
                          {std::string(member_id), std::string(org_id)}));
  return MemberFacts{r.Text(0), r.Text(1), r.OptText(2), r.Text(3)};
}

Status SqlIdentityRepo::InsertCharacter(const CharacterRow& row) {
  return c_
      .Exec(
          "INSERT INTO characters(id,org_id,status,record,created_at,"
          "updated_at) VALUES(?,?,?,?,?,?)",
          {row.id, row.org_id, std::string(CharacterStatusName(row.status)), row.record,
           row.created_at, row.updated_at})
      .status();
}

Status SqlIdentityRepo::UpdateCharacter(const CharacterRow& row) {
  return c_
      .Exec("UPDATE characters SET status = ?, record = ?, updated_at = ? WHERE id = ?",
            {std::string(CharacterStatusName(row.status)), row.record, row.updated_at, row.id})
      .status();
}

}  // namespace identity_sql

std::unique_ptr<IdentityWriter> NewSqlIdentityRepo(Conn& conn) {
  return std::make_unique<identity_sql::SqlIdentityRepo>(conn);
}

}  // namespace vt::store
