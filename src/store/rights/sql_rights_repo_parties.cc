// The SQL rights repository: the party and certificate facts signatures are
// checked against (rights_repo.h). Read-only over tables other capabilities own.
#include "store/rights/sql_rights_repo_internal.h"

namespace vt::store {

StatusOr<bool> SqlRightsRepo::OrgExists(std::string_view id) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id FROM orgs WHERE id = ?", {Text(id)}));
  return !rows.empty();
}

StatusOr<bool> SqlRightsRepo::MemberExists(std::string_view id, bool active_only) {
  const char* sql = active_only ? "SELECT id FROM members WHERE id = ? AND "
                                  "removed_at IS NULL"
                                : "SELECT id FROM members WHERE id = ?";
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, {Text(id)}));
  return !rows.empty();
}

StatusOr<std::optional<MemberStanding>> SqlRightsRepo::FindMember(std::string_view id) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT org_id, role, removed_at FROM members WHERE "
                                          "id = ?",
                                          {Text(id)}));
  if (rows.empty()) return std::optional<MemberStanding>();
  return std::optional<MemberStanding>(
      MemberStanding{rows[0].Text(0), rows[0].Text(1), !rows[0].IsNull(2)});
}

StatusOr<std::optional<IssuedCertificate>> SqlRightsRepo::FindCertificate(
    std::string_view serial_hex) {
  VT_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT ca_id, profile, member_id, org_id, cert_der, status, "
                               "revocation_reason FROM certificates WHERE serial = ?",
                               {Text(serial_hex)}));
  if (rows.empty()) return std::optional<IssuedCertificate>();
  const Row& r = rows[0];
  IssuedCertificate out{r.Text(0),    r.Text(1), r.OptText(2), r.Text(3),
                        std::nullopt, r.Text(5), r.OptText(6)};
  if (!r.IsNull(4)) out.der = r.Bytes(4);
  return std::optional<IssuedCertificate>(std::move(out));
}

StatusOr<std::optional<IssuingCa>> SqlRightsRepo::FindIssuingCa(std::string_view ca_id) {
  VT_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("SELECT alg, cert_der FROM cas WHERE id = ? AND kind = 'issuing'", {Text(ca_id)}));
  if (rows.empty()) return std::optional<IssuingCa>();
  return std::optional<IssuingCa>(IssuingCa{rows[0].Text(0), rows[0].Bytes(1)});
}

StatusOr<std::vector<std::string>> SqlRightsRepo::RootCertificates(std::string_view alg) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT cert_der FROM cas WHERE alg = ? AND kind = "
                                          "'root'",
                                          {Text(alg)}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Bytes(0));
  return out;
}

}  // namespace vt::store
