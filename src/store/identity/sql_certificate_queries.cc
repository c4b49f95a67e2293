// The SQL identity repository: CAs and certificates (RFC 5280 serials and
// revocation state). Character queries: sql_identity_repo.cc.
#include "store/identity/sql_identity_repo_internal.h"

namespace vt::store::identity_sql {
namespace {

constexpr const char* kCaCols = "id, alg, kind, cert_der, key_ref, created_at";
constexpr const char* kCertCols =
    "serial, ca_id, profile, alg, character_id, member_id, org_id, cert_der, not_before, "
    "not_after, status, revoked_at, revocation_reason, superseded_by, key_ref, created_at";

Status Corrupt(const std::string& what) { return InternalError("stored " + what + " is corrupt"); }

StatusOr<CaRow> CaFromRow(const Row& r) {
  auto kind = ParseCaKind(r.Text(2));
  if (!kind) return Corrupt("kind of CA " + r.Text(0));
  return CaRow{r.Text(0), r.Text(1), *kind, r.Bytes(3), r.Text(4), r.Text(5)};
}

StatusOr<CertStatus> CertStatusFrom(const Row& r, size_t i, std::string_view serial) {
  auto s = ParseCertStatus(r.Text(i));
  if (!s) return Corrupt("status of certificate " + std::string(serial));
  return *s;
}

StatusOr<CertRow> CertFromRow(const Row& r) {
  CertRow c;
  c.serial = r.Text(0);
  c.ca_id = r.Text(1);
  auto profile = ParseCertProfile(r.Text(2));
  if (!profile) return Corrupt("profile of certificate " + c.serial);
  c.profile = *profile;
  c.alg = r.Text(3);
  c.character_id = r.OptText(4);
  c.member_id = r.OptText(5);
  c.org_id = r.Text(6);
  if (!r.IsNull(7)) c.cert_der = r.Bytes(7);
  c.not_before = r.OptText(8).value_or("");
  c.not_after = r.OptText(9).value_or("");
  VT_ASSIGN_OR_RETURN(c.status, CertStatusFrom(r, 10, c.serial));
  c.revoked_at = r.OptText(11);
  c.revocation_reason = r.OptText(12);
  c.superseded_by = r.OptText(13);
  c.key_ref = r.OptText(14);
  c.created_at = r.Text(15);
  return c;
}

}  // namespace

StatusOr<bool> SqlIdentityRepo::AnyCa() {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id FROM cas LIMIT 1"));
  return !rows.empty();
}

StatusOr<CaRow> SqlIdentityRepo::GetCa(std::string_view ca_id) {
  VT_ASSIGN_OR_RETURN(auto row,
                      c_.QueryOne(std::string("SELECT ") + kCaCols + " FROM cas WHERE id = ?",
                                  {std::string(ca_id)}));
  return CaFromRow(row);
}

StatusOr<std::vector<CaRow>> SqlIdentityRepo::ListCas() {
  VT_ASSIGN_OR_RETURN(
      auto rows, c_.Query(std::string("SELECT ") + kCaCols + " FROM cas ORDER BY created_at, id"));
  std::vector<CaRow> out;
  for (const auto& r : rows) {
    VT_ASSIGN_OR_RETURN(CaRow ca, CaFromRow(r));
    out.push_back(std::move(ca));
  }
  return out;
}

StatusOr<std::vector<CaRow>> SqlIdentityRepo::FindCas(const std::vector<std::string>& ca_ids) {
  std::vector<CaRow> out;
  if (ca_ids.empty()) return out;
  std::string marks;
  std::vector<Value> params;
  for (const auto& id : ca_ids) {
    marks += marks.empty() ? "?" : ", ?";
    params.push_back(id);
  }
  VT_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query(std::string("SELECT ") + kCaCols + " FROM cas WHERE id IN (" + marks + ")", params));
  for (const auto& r : rows) {
    VT_ASSIGN_OR_RETURN(CaRow ca, CaFromRow(r));
    out.push_back(std::move(ca));
  }
  return out;
}

StatusOr<CertRow> SqlIdentityRepo::GetCertificate(std::string_view serial) {
  VT_ASSIGN_OR_RETURN(auto row, c_.QueryOne(std::string("SELECT ") + kCertCols +
                                                " FROM certificates WHERE serial = ?",
                                            {std::string(serial)}));
  return CertFromRow(row);
}

StatusOr<std::vector<CertRow>> SqlIdentityRepo::ListIdCards(std::string_view character_id,
                                                            SerialTieBreak tie_break) {
  std::string order = tie_break == SerialTieBreak::kAscending ? "ORDER BY created_at DESC, serial"
                                                              : "ORDER BY created_at DESC, "
                                                                "serial DESC";
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kCertCols +
                                              " FROM certificates WHERE character_id = ? "
                                              "AND profile = 'id-card' AND cert_der IS NOT "
                                              "NULL " +
                                              order,
                                          {std::string(character_id)}));
  std::vector<CertRow> out;
  for (const auto& r : rows) {
    VT_ASSIGN_OR_RETURN(CertRow c, CertFromRow(r));
    out.push_back(std::move(c));
  }
  return out;
}

StatusOr<std::optional<SerialStateRow>> SqlIdentityRepo::FindSerialState(std::string_view ca_id,
                                                                         std::string_view serial) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT status, revoked_at, revocation_reason, "
                                          "CASE WHEN cert_der IS NULL THEN 1 ELSE 0 END, "
                                          "not_after FROM certificates WHERE serial = ? AND "
                                          "ca_id = ?",
                                          {std::string(serial), std::string(ca_id)}));
  if (rows.empty()) return std::optional<SerialStateRow>();
  const auto& r = rows[0];
  SerialStateRow s;
  VT_ASSIGN_OR_RETURN(s.status, CertStatusFrom(r, 0, serial));
  s.revoked_at = r.OptText(1);
  s.revocation_reason = r.OptText(2);
  s.reserved = r.Int(3) == 1;
  s.not_after = r.OptText(4);
  return std::optional<SerialStateRow>(std::move(s));
}

StatusOr<std::optional<SerialStateRow>> SqlIdentityRepo::FindIssuedSerialState(
    std::string_view ca_id, std::string_view serial) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT status, revoked_at, revocation_reason, "
                                          "not_after FROM certificates WHERE serial = ? AND "
                                          "ca_id = ? AND cert_der IS NOT NULL",
                                          {std::string(serial), std::string(ca_id)}));
  if (rows.empty()) return std::optional<SerialStateRow>();
  const auto& r = rows[0];
  SerialStateRow s;
  VT_ASSIGN_OR_RETURN(s.status, CertStatusFrom(r, 0, serial));
  s.revoked_at = r.OptText(1);
  s.revocation_reason = r.OptText(2);
  s.not_after = r.OptText(3);
  return std::optional<SerialStateRow>(std::move(s));
}

StatusOr<std::vector<RevokedRow>> SqlIdentityRepo::ListRevoked(std::string_view ca_id,
                                                               RevokedOrder order) {
  std::string by = order == RevokedOrder::kByRevocationTime ? "revoked_at, serial" : "serial";
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT serial, revoked_at, revocation_reason FROM "
                                          "certificates WHERE ca_id = ? AND status = "
                                          "'revoked' ORDER BY " +
                                              by,
                                          {std::string(ca_id)}));
  std::vector<RevokedRow> out;
  for (const auto& r : rows) out.push_back({r.Text(0), r.OptText(1), r.OptText(2)});
  return out;
}

Status SqlIdentityRepo::InsertCa(const CaRow& r) {
  return c_
      .Exec(
          "INSERT INTO cas(id, alg, kind, cert_der, key_ref, created_at) VALUES(?,?,?,?,?,?)",
          {r.id, r.alg, std::string(CaKindName(r.kind)), Blob{r.cert_der}, r.key_ref, r.created_at})
      .status();
}

Status SqlIdentityRepo::ReserveSerial(const CertRow& r) {
  return c_
      .Exec(
          "INSERT INTO certificates(serial, ca_id, profile, alg, character_id, member_id, "
          "org_id, status, key_ref, created_at) VALUES(?,?,?,?,?,?,?,?,?,?)",
          {r.serial, r.ca_id, std::string(CertProfileName(r.profile)), r.alg,
           OptValue(r.character_id), OptValue(r.member_id), r.org_id,
           std::string(CertStatusName(CertStatus::kGood)), OptValue(r.key_ref), r.created_at})
      .status();
}

Status SqlIdentityRepo::CompleteCertificate(std::string_view serial, const std::string& cert_der,
                                            const std::string& not_before,
                                            const std::string& not_after) {
  return c_
      .Exec("UPDATE certificates SET cert_der = ?, not_before = ?, not_after = ? WHERE serial = ?",
            {Blob{cert_der}, not_before, not_after, std::string(serial)})
      .status();
}

Status SqlIdentityRepo::MarkSuperseded(std::string_view old_serial, std::string_view new_serial) {
  return c_
      .Exec("UPDATE certificates SET superseded_by = ? WHERE serial = ?",
            {std::string(new_serial), std::string(old_serial)})
      .status();
}

Status SqlIdentityRepo::MarkRevoked(std::string_view serial, const std::string& revoked_at,
                                    const std::string& reason) {
  return c_
      .Exec(
          "UPDATE certificates SET status = 'revoked', revoked_at = ?, "
          "revocation_reason = ? WHERE serial = ? AND status = 'good'",
          {revoked_at, reason, std::string(serial)})
      .status();
}

}  // namespace vt::store::identity_sql
