// AccessWriter over SQL (both dialects): the queries of the access tables.
#include <string>

#include "store/access/access_repo.h"

namespace vt::store {
namespace {

using domain::Member;
using domain::Org;
using domain::OrgKind;
using domain::Role;
using domain::TokenInfo;

Role RoleOf(const std::string& s) { return domain::ParseRole(s).value_or(Role::kAuditor); }

Org OrgFromRow(const Row& r) {
  return Org{r.Text(0), r.Text(1), domain::ParseOrgKind(r.Text(2)).value_or(OrgKind::kOther),
             r.Text(3)};
}
constexpr const char* kOrgCols = "id, name, kind, created_at";

Member MemberFromRow(const Row& r) {
  return Member{r.Text(0),         r.Text(1), r.Text(2),   r.Text(3),
                RoleOf(r.Text(4)), r.Text(5), r.OptText(6)};
}
constexpr const char* kMemberCols = "id, org_id, name, email, role, created_at, removed_at";

TokenInfo TokenFromRow(const Row& r) {
  return TokenInfo{r.Text(0),         r.Text(1), r.Text(2),    r.Text(3),
                   RoleOf(r.Text(4)), r.Text(5), r.OptText(6), r.OptText(7)};
}
constexpr const char* kTokenCols =
    "id, org_id, member_id, name, role, created_at, expires_at, revoked_at";

class SqlAccessRepo final : public AccessWriter {
 public:
  explicit SqlAccessRepo(Conn& conn) : c_(conn) {}

  Status Ping() override { return c_.QueryOne("SELECT 1").status(); }

  StatusOr<Org> FindOrg(std::string_view id) override {
    auto row = c_.QueryOne(std::string("SELECT ") + kOrgCols + " FROM orgs WHERE id = ?",
                           {std::string(id)});
    if (!row.ok() && row.status().code() == StatusCode::kNotFound)
      return NotFoundError("organization " + std::string(id) + " not found");
    VT_RETURN_IF_ERROR(row.status());
    return OrgFromRow(*row);
  }

  StatusOr<std::vector<Org>> ListOrgs(std::optional<std::string_view> only_id) override {
    std::string sql = std::string("SELECT ") + kOrgCols + " FROM orgs";
    std::vector<Value> params;
    if (only_id) {
      sql += " WHERE id = ?";
      params.push_back(std::string(*only_id));
    }
    VT_ASSIGN_OR_RETURN(auto rows, c_.Query(sql + " ORDER BY created_at, id", params));
    std::vector<Org> out;
    for (const auto& r : rows) out.push_back(OrgFromRow(r));
    return out;
  }

  StatusOr<bool> HasOperatorOrg() override {
    VT_ASSIGN_OR_RETURN(auto existing, c_.Query("SELECT id FROM orgs WHERE kind = 'operator'"));
    return !existing.empty();
  }

  StatusOr<MemberRef> FindFirstOperatorAdmin() override {
    VT_ASSIGN_OR_RETURN(auto row,
                        c_.QueryOne("SELECT m.org_id, m.id FROM members m JOIN orgs o ON "
                                    "o.id = m.org_id WHERE o.kind = 'operator' AND m.role = "
                                    "'admin' AND m.removed_at IS NULL ORDER BY m.created_at "
                                    "LIMIT 1"));
    return MemberRef{row.Text(0), row.Text(1)};
  }

  StatusOr<Member> FindMember(std::string_view org_id, std::string_view id) override {
    auto row = c_.QueryOne(
        std::string("SELECT ") + kMemberCols + " FROM members WHERE id = ? AND org_id = ?",
        {std::string(id), std::string(org_id)});
    if (!row.ok() && row.status().code() == StatusCode::kNotFound)
      return NotFoundError("member " + std::string(id) + " not found in organization " +
                           std::string(org_id));
    VT_RETURN_IF_ERROR(row.status());
    return MemberFromRow(*row);
  }

  StatusOr<std::vector<Member>> ListMembers(std::string_view org_id) override {
    VT_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kMemberCols +
                                                " FROM members WHERE org_id = ? ORDER BY "
                                                "created_at, id",
                                            {std::string(org_id)}));
    std::vector<Member> out;
    for (const auto& r : rows) out.push_back(MemberFromRow(r));
    return out;
  }

  StatusOr<TokenCredential> FindTokenCredential(std::string_view token_id) override {
    VT_ASSIGN_OR_RETURN(
        auto r,
        c_.QueryOne(
            "SELECT t.secret_hash, t.org_id, t.member_id, t.role, t.expires_at, t.revoked_at, "
            "m.role, m.removed_at, o.kind FROM api_tokens t JOIN members m ON m.id = t.member_id "
            "JOIN orgs o ON o.id = t.org_id WHERE t.id = ?",
            {std::string(token_id)}));
    return TokenCredential{
        r.Bytes(0),        r.Text(1),    r.Text(2),
        RoleOf(r.Text(3)), r.OptText(4), r.OptText(5),
        RoleOf(r.Text(6)), r.OptText(7), domain::ParseOrgKind(r.Text(8)).value_or(OrgKind::kOther)};
  }

  StatusOr<TokenInfo> FindToken(std::string_view org_id, std::string_view token_id) override {
    auto row = c_.QueryOne(
        std::string("SELECT ") + kTokenCols + " FROM api_tokens WHERE id = ? AND org_id = ?",
        {std::string(token_id), std::string(org_id)});
    if (!row.ok() && row.status().code() == StatusCode::kNotFound)
      return NotFoundError("token " + std::string(token_id) + " not found in organization " +
                           std::string(org_id));
    VT_RETURN_IF_ERROR(row.status());
    return TokenFromRow(*row);
  }

  StatusOr<std::vector<TokenInfo>> ListTokens(std::string_view org_id) override {
    VT_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kTokenCols +
                                                " FROM api_tokens WHERE org_id = ? ORDER BY "
                                                "created_at, id",
                                            {std::string(org_id)}));
    std::vector<TokenInfo> out;
    for (const auto& r : rows) out.push_back(TokenFromRow(r));
    return out;
  }

  Status InsertOrg(const Org& org) override {
    return c_
        .Exec("INSERT INTO orgs(id,name,kind,created_at) VALUES(?,?,?,?)",
              {org.id, org.name, std::string(domain::OrgKindName(org.kind)), org.created_at})
        .status();
  }

  Status InsertMember(const Member& m) override {
    return c_
        .Exec(
            "INSERT INTO members(id,org_id,name,email,role,created_at) VALUES(?,?,?,?,?,?)",
            {m.id, m.org_id, m.name, m.email, std::string(domain::RoleName(m.role)), m.created_at})
        .status();
  }

  Status SetMemberRemoved(std::string_view member_id, std::string_view removed_at) override {
    return c_
        .Exec("UPDATE members SET removed_at = ? WHERE id = ?",
              {std::string(removed_at), std::string(member_id)})
        .status();
  }

  Status RevokeMemberTokens(std::string_view member_id, std::string_view revoked_at) override {
    return c_
        .Exec(
            "UPDATE api_tokens SET revoked_at = ? WHERE member_id = ? AND "
            "revoked_at IS NULL",
            {std::string(revoked_at), std::string(member_id)})
        .status();
  }

  Status InsertToken(const TokenInfo& t, std::string_view secret_hash) override {
    Value expires = t.expires_at ? Value(*t.expires_at) : Value(std::monostate{});
    return c_
        .Exec(
            "INSERT INTO api_tokens(id,org_id,member_id,name,role,secret_hash,"
            "created_at,expires_at) VALUES(?,?,?,?,?,?,?,?)",
            {t.id, t.org_id, t.member_id, t.name, std::string(domain::RoleName(t.role)),
             Blob{std::string(secret_hash)}, t.created_at, expires})
        .status();
  }

  Status SetTokenRevoked(std::string_view token_id, std::string_view revoked_at) override {
    return c_
        .Exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ?",
              {std::string(revoked_at), std::string(token_id)})
        .status();
  }

 private:
  Conn& c_;
};

}  // namespace

std::unique_ptr<AccessWriter> NewSqlAccessRepo(Conn& conn) {
  return std::make_unique<SqlAccessRepo>(conn);
}

}  // namespace vt::store
