// Certificate rows: reads, revocation (issue 4 item 4) and the revocation state
// that the CRL and OCSP side reads.
#include <algorithm>
#include <cctype>

#include "base/encoding.h"
#include "app/core/domain_names.h"
#include "app/identity/pki.h"
#include "app/identity/pki_internal.h"
#include "x509/registry_id.h"

namespace vt::app {
namespace pki_internal {

CertRecord CertFromRow(const store::Row& r) {
  CertRecord c;
  c.serial = r.Text(0);
  c.ca_id = r.Text(1);
  c.profile = r.Text(2);
  c.alg = r.Text(3);
  c.character_id = r.OptText(4);
  c.member_id = r.OptText(5);
  c.org_id = r.Text(6);
  if (!r.IsNull(7)) c.cert_der = r.Bytes(7);
  c.not_before = r.OptText(8).value_or("");
  c.not_after = r.OptText(9).value_or("");
  c.status = r.Text(10);
  c.revoked_at = r.OptText(11);
  c.revocation_reason = r.OptText(12);
  c.superseded_by = r.OptText(13);
  c.key_ref = r.OptText(14);
  c.created_at = r.Text(15);
  return c;
}

CaRecord CaFromRow(const store::Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Bytes(3), r.Text(4), r.Text(5)};
}

StatusOr<std::string> NormalizeSerial(const std::string& serial) {
  std::string s = serial;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  bool hex = !s.empty() && s.size() <= 40 &&
             std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
  if (!hex) return InvalidArgumentError("serial must be 1-40 hex digits").WithField("serial");
  // Serials are stored as 32 digits (16 octets, first octet 01..7f); accept the
  // magnitude without leading zeros, as ASN.1 INTEGER printers write it.
  size_t nz = s.find_first_not_of('0');
  s = nz == std::string::npos ? "0" : s.substr(nz);
  if (s.size() < 32) s.insert(0, 32 - s.size(), '0');
  return s;
}

StatusOr<CertRecord> LoadVisibleCert(store::Conn& c, const Principal& p,
                                     const std::string& serial) {
  auto not_found = [&] { return NotFoundError("certificate " + serial + " not found"); };
  auto s = NormalizeSerial(serial);
  if (!s.ok()) return not_found();
  auto row =
      c.QueryOne(std::string("SELECT ") + kCertCols + " FROM certificates WHERE serial = ?", {*s});
  if (!row.ok() && row.status().code() == StatusCode::kNotFound) return not_found();
  VT_RETURN_IF_ERROR(row.status());
  CertRecord rec = CertFromRow(*row);
  if (!p.CanRead(rec.org_id) || rec.cert_der.empty()) return not_found();
  return rec;
}

Status CheckOrgWriter(const Principal& p, const std::string& org, const Status& not_found) {
  if (p.is_operator && p.IsAdmin()) return OkStatus();
  if (!p.CanRead(org)) return not_found;
  if (p.org_id != org || !p.CanWrite())
    return PermissionDeniedError("role '" + std::string(RoleName(p.role)) +
                                 "' may not change certificates of organization " + org);
  return OkStatus();
}

}  // namespace pki_internal

using pki_internal::CertFromRow;
using pki_internal::kCertCols;

Json CertRecord::ToJson() const {
  auto opt = [](const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); };
  return {{"serial", serial},
          {"status", status},
          {"reason", opt(revocation_reason)},
          {"revoked_at", opt(revoked_at)},
          {"not_before", not_before},
          {"not_after", not_after},
          {"character", opt(character_id)},
          {"member", opt(member_id)},
          {"org", org_id},
          {"alg", alg},
          {"profile", profile},
          {"ca", ca_id},
          {"superseded_by", opt(superseded_by)},
          {"custodial", key_ref.has_value()},
          {"created_at", created_at}};
}

StatusOr<CertRecord> Pki::GetCertificate(const Principal& p, const std::string& serial) {
  return svc_.Read<CertRecord>(
      [&](store::Conn& c) { return pki_internal::LoadVisibleCert(c, p, serial); });
}

StatusOr<std::vector<CertRecord>> Pki::ListCards(const Principal& p,
                                                 const std::string& character_id) {
  return svc_.Read<std::vector<CertRecord>>(
      [&](store::Conn& c) -> StatusOr<std::vector<CertRecord>> {
        auto not_found = NotFoundError("character " + character_id + " not found");
        auto id = x509::NormalizeRegistryId(character_id);
        if (!id.ok()) return not_found;
        auto ch = c.QueryOne("SELECT org_id FROM characters WHERE id = ?", {*id});
        if (!ch.ok() && ch.status().code() == StatusCode::kNotFound) return not_found;
        VT_RETURN_IF_ERROR(ch.status());
        if (!p.CanRead(ch->Text(0))) return not_found;
        VT_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kCertCols +
                                                   " FROM certificates WHERE character_id = ? "
                                                   "AND profile = 'id-card' AND cert_der IS NOT "
                                                   "NULL ORDER BY created_at DESC, serial",
                                               {*id}));
        std::vector<CertRecord> out;
        for (const auto& r : rows) out.push_back(CertFromRow(r));
        return out;
      });
}

StatusOr<CertRecord> Pki::CurrentCard(const Principal& p, const std::string& character_id) {
  VT_ASSIGN_OR_RETURN(auto cards, ListCards(p, character_id));
  std::string now = FormatRfc3339(svc_.clock().Now());
  for (const auto& c : cards)  // newest first
    if (c.status == "good" && !c.superseded_by && c.not_after > now) return c;
  return NotFoundError("character " + character_id + " has no current card");
}

StatusOr<Written<CertRecord>> Pki::Revoke(const Principal& p, const std::string& serial,
                                          const std::string& reason) {
  VT_ASSIGN_OR_RETURN(x509::CrlReason r, x509::ParseCrlReason(reason));
  if (r == x509::CrlReason::kRemoveFromCrl)
    return InvalidArgumentError("removeFromCRL is for delta CRLs only").WithField("reason");
  CertRecord rec;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    VT_ASSIGN_OR_RETURN(rec, pki_internal::LoadVisibleCert(ctx.conn(), p, serial));
    auto not_found = NotFoundError("certificate " + serial + " not found");
    if (rec.profile == "member" && p.org_id == rec.org_id && p.member_id == rec.member_id &&
        p.CanWrite()) {
      // A member may revoke its own certificate.
    } else {
      VT_RETURN_IF_ERROR(pki_internal::CheckOrgWriter(p, rec.org_id, not_found));
    }
    if (rec.status == "revoked")
      return FailedPreconditionError("certificate " + rec.serial + " is revoked already");
    rec.status = "revoked";
    rec.revoked_at = FormatRfc3339(ctx.clock().Now());
    rec.revocation_reason = std::string(x509::CrlReasonName(r));
    VT_RETURN_IF_ERROR(ctx.conn()
                           .Exec("UPDATE certificates SET status = 'revoked', revoked_at = ?, "
                                 "revocation_reason = ? WHERE serial = ? AND status = 'good'",
                                 {*rec.revoked_at, *rec.revocation_reason, rec.serial})
                           .status());
    Json subject = {{"org", rec.org_id}, {"serial", rec.serial}};
    if (rec.character_id) subject["character"] = *rec.character_id;
    if (rec.member_id) subject["member"] = *rec.member_id;
    std::string type = rec.profile == "id-card" ? "card.revoked" : "certificate.revoked";
    VT_ASSIGN_OR_RETURN(std::string e,
                        MakeEntry(type, 1, ctx.clock(), {p.org_id, p.member_id}, subject,
                                  {{"serial", rec.serial},
                                   {"ca", rec.ca_id},
                                   {"reason", *rec.revocation_reason},
                                   {"revoked_at", *rec.revoked_at}}));
    ctx.AppendLog(std::move(e));
    return OkStatus();
  });
  VT_RETURN_IF_ERROR(res.status());
  std::vector<std::function<void(const std::string&, const std::string&)>> listeners;
  {
    std::lock_guard<std::mutex> lock(mu_);
    listeners = listeners_;
  }
  for (const auto& fn : listeners) fn(rec.ca_id, rec.serial);
  return Written<CertRecord>{rec, res->receipts};
}

StatusOr<SerialStatus> Pki::StatusUnder(const std::string& ca_id, const std::string& serial_hex) {
  SerialStatus out;
  auto s = pki_internal::NormalizeSerial(serial_hex);
  if (!s.ok()) return out;  // unknown
  return svc_.Read<SerialStatus>([&](store::Conn& c) -> StatusOr<SerialStatus> {
    VT_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT status, revoked_at, revocation_reason, "
                                           "not_after FROM certificates WHERE serial = ? AND "
                                           "ca_id = ? AND cert_der IS NOT NULL",
                                           {*s, ca_id}));
    if (rows.empty()) return out;
    const auto& r = rows[0];
    ParseRfc3339(r.OptText(3).value_or(""), &out.not_after);
    if (r.Text(0) != "revoked") {
      out.state = SerialStatus::State::kGood;
      return out;
    }
    out.state = SerialStatus::State::kRevoked;
    ParseRfc3339(r.OptText(1).value_or(""), &out.revoked_at);
    auto reason = x509::ParseCrlReason(r.OptText(2).value_or("unspecified"));
    if (reason.ok()) out.reason = *reason;
    return out;
  });
}

StatusOr<std::vector<x509::RevokedCert>> Pki::RevokedUnder(const std::string& ca_id) {
  return svc_.Read<std::vector<x509::RevokedCert>>(
      [&](store::Conn& c) -> StatusOr<std::vector<x509::RevokedCert>> {
        VT_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT serial, revoked_at, revocation_reason FROM "
                                               "certificates WHERE ca_id = ? AND status = "
                                               "'revoked' ORDER BY revoked_at, serial",
                                               {ca_id}));
        std::vector<x509::RevokedCert> out;
        for (const auto& r : rows) {
          x509::RevokedCert rc;
          rc.serial_hex = r.Text(0);
          ParseRfc3339(r.OptText(1).value_or(""), &rc.revocation_time);
          auto reason = x509::ParseCrlReason(r.OptText(2).value_or("unspecified"));
          if (reason.ok()) rc.reason = *reason;
          out.push_back(std::move(rc));
        }
        return out;
      });
}

}  // namespace vt::app
