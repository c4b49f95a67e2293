// Certificate rows: reads, revocation (docs/id-card-profile.md) and the revocation state
// that the CRL and OCSP side reads.
#include <algorithm>
#include <cctype>

#include "app/core/domain_names.h"
#include "app/identity/pki.h"
#include "app/identity/pki_internal.h"
#include "base/encoding.h"
#include "store/identity/identity_repo.h"
#include "x509/registry_id.h"

namespace vt::app {
namespace pki_internal {

namespace {

StatusOr<crypto::KeyAlg> StoredAlg(const std::string& name, const std::string& of) {
  auto a = crypto::ParseKeyAlg(name);
  if (!a.ok()) return InternalError("stored algorithm of " + of + " is corrupt");
  return *a;
}

}  // namespace

StatusOr<CertRecord> CertFromRow(const store::CertRow& r) {
  CertRecord c;
  c.serial = r.serial;
  c.ca_id = r.ca_id;
  c.profile = r.profile;
  VT_ASSIGN_OR_RETURN(c.alg, StoredAlg(r.alg, "certificate " + r.serial));
  c.character_id = r.character_id;
  c.member_id = r.member_id;
  c.org_id = r.org_id;
  c.cert_der = r.cert_der;
  c.not_before = r.not_before;
  c.not_after = r.not_after;
  c.status = r.status;
  c.revoked_at = r.revoked_at;
  c.revocation_reason = r.revocation_reason;
  c.superseded_by = r.superseded_by;
  c.key_ref = r.key_ref;
  c.created_at = r.created_at;
  return c;
}

store::CertRow CertToRow(const CertRecord& c) {
  store::CertRow r;
  r.serial = c.serial;
  r.ca_id = c.ca_id;
  r.profile = c.profile;
  r.alg = std::string(crypto::KeyAlgName(c.alg));
  r.character_id = c.character_id;
  r.member_id = c.member_id;
  r.org_id = c.org_id;
  r.cert_der = c.cert_der;
  r.not_before = c.not_before;
  r.not_after = c.not_after;
  r.status = c.status;
  r.revoked_at = c.revoked_at;
  r.revocation_reason = c.revocation_reason;
  r.superseded_by = c.superseded_by;
  r.key_ref = c.key_ref;
  r.created_at = c.created_at;
  return r;
}

StatusOr<CaRecord> CaFromRow(const store::CaRow& r) {
  VT_ASSIGN_OR_RETURN(crypto::KeyAlg alg, StoredAlg(r.alg, "CA " + r.id));
  return CaRecord{r.id, alg, r.kind, r.cert_der, r.key_ref, r.created_at};
}

store::CaRow CaToRow(const CaRecord& r) {
  return {r.id,        std::string(crypto::KeyAlgName(r.alg)), r.kind, r.cert_der, r.key_ref,
          r.created_at};
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

StatusOr<CertRecord> LoadVisibleCert(store::IdentityReader& repo, const Principal& p,
                                     const std::string& serial) {
  auto not_found = [&] { return NotFoundError("certificate " + serial + " not found"); };
  auto s = NormalizeSerial(serial);
  if (!s.ok()) return not_found();
  auto row = repo.GetCertificate(*s);
  if (!row.ok() && row.status().code() == StatusCode::kNotFound) return not_found();
  VT_RETURN_IF_ERROR(row.status());
  VT_ASSIGN_OR_RETURN(CertRecord rec, CertFromRow(*row));
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

Status CheckMemberCertAuthority(const Principal& p, const std::string& org,
                                const std::string& member_id, const Status& not_found) {
  if (!p.CanRead(org)) return not_found;
  bool holder = p.org_id == org && p.member_id == member_id && p.CanWrite();
  bool admin = (p.org_id == org || p.is_operator) && p.IsAdmin();
  if (!holder && !admin)
    return PermissionDeniedError("only member " + member_id + " itself or an admin of " + org +
                                 " may issue or revoke its member certificates");
  return OkStatus();
}

}  // namespace pki_internal

using pki_internal::CertFromRow;

Json CertRecord::ToJson() const {
  auto opt = [](const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); };
  return {{"serial", serial},
          {"status", store::CertStatusName(status)},
          {"reason", opt(revocation_reason)},
          {"revoked_at", opt(revoked_at)},
          {"not_before", not_before},
          {"not_after", not_after},
          {"character", opt(character_id)},
          {"member", opt(member_id)},
          {"org", org_id},
          {"alg", crypto::KeyAlgName(alg)},
          {"profile", store::CertProfileName(profile)},
          {"ca", ca_id},
          {"superseded_by", opt(superseded_by)},
          {"custodial", key_ref.has_value()},
          {"created_at", created_at}};
}

StatusOr<CertRecord> Pki::GetCertificate(const Principal& p, const std::string& serial) {
  return svc_.Read<CertRecord>([&](store::Conn& c) {
    return pki_internal::LoadVisibleCert(*store::NewSqlIdentityRepo(c), p, serial);
  });
}

StatusOr<std::vector<CertRecord>> Pki::ListCards(const Principal& p,
                                                 const std::string& character_id) {
  return svc_.Read<std::vector<CertRecord>>(
      [&](store::Conn& c) -> StatusOr<std::vector<CertRecord>> {
        auto not_found = NotFoundError("character " + character_id + " not found");
        auto id = x509::NormalizeRegistryId(character_id);
        if (!id.ok()) return not_found;
        auto repo = store::NewSqlIdentityRepo(c);
        auto ch = repo->GetCharacter(*id);
        if (!ch.ok() && ch.status().code() == StatusCode::kNotFound) return not_found;
        VT_RETURN_IF_ERROR(ch.status());
        if (!p.CanRead(ch->org_id)) return not_found;
        VT_ASSIGN_OR_RETURN(auto rows, repo->ListIdCards(*id, store::SerialTieBreak::kAscending));
        std::vector<CertRecord> out;
        for (const auto& r : rows) {
          VT_ASSIGN_OR_RETURN(CertRecord rec, CertFromRow(r));
          out.push_back(std::move(rec));
        }
        return out;
      });
}

StatusOr<CertRecord> Pki::CurrentCard(const Principal& p, const std::string& character_id) {
  VT_ASSIGN_OR_RETURN(auto cards, ListCards(p, character_id));
  std::string now = FormatRfc3339(svc_.clock().Now());
  for (const auto& c : cards)  // newest first
    if (c.status == CertStatus::kGood && !c.superseded_by && c.not_after > now) return c;
  return NotFoundError("character " + character_id + " has no current card");
}

StatusOr<Written<CertRecord>> Pki::Revoke(const Principal& p, const std::string& serial,
                                          const std::string& reason) {
  VT_ASSIGN_OR_RETURN(x509::CrlReason r, x509::ParseCrlReason(reason));
  if (r == x509::CrlReason::kRemoveFromCrl)
    return InvalidArgumentError("removeFromCRL is for delta CRLs only").WithField("reason");
  CertRecord rec;
  auto res = svc_.Write([&](WriteContext& ctx) -> Status {
    auto repo = store::NewSqlIdentityRepo(ctx.conn());
    VT_ASSIGN_OR_RETURN(rec, pki_internal::LoadVisibleCert(*repo, p, serial));
    auto not_found = NotFoundError("certificate " + serial + " not found");
    if (rec.profile == CertProfile::kMember) {
      // The same authority as issuing one: the holder or an admin.
      VT_RETURN_IF_ERROR(pki_internal::CheckMemberCertAuthority(
          p, rec.org_id, rec.member_id.value_or(""), not_found));
    } else {
      VT_RETURN_IF_ERROR(pki_internal::CheckOrgWriter(p, rec.org_id, not_found));
    }
    if (rec.status == CertStatus::kRevoked)
      return FailedPreconditionError("certificate " + rec.serial + " is revoked already");
    rec.status = CertStatus::kRevoked;
    rec.revoked_at = FormatRfc3339(ctx.clock().Now());
    rec.revocation_reason = std::string(x509::CrlReasonName(r));
    VT_RETURN_IF_ERROR(repo->MarkRevoked(rec.serial, *rec.revoked_at, *rec.revocation_reason));
    Json subject = {{"org", rec.org_id}, {"serial", rec.serial}};
    if (rec.character_id) subject["character"] = *rec.character_id;
    if (rec.member_id) subject["member"] = *rec.member_id;
    std::string type = rec.profile == CertProfile::kIdCard ? "card.revoked" : "certificate.revoked";
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
    VT_ASSIGN_OR_RETURN(auto row, store::NewSqlIdentityRepo(c)->FindIssuedSerialState(ca_id, *s));
    if (!row) return out;
    ParseRfc3339(row->not_after.value_or(""), &out.not_after);
    if (row->status != CertStatus::kRevoked) {
      out.state = SerialStatus::State::kGood;
      return out;
    }
    out.state = SerialStatus::State::kRevoked;
    ParseRfc3339(row->revoked_at.value_or(""), &out.revoked_at);
    auto reason = x509::ParseCrlReason(row->revocation_reason.value_or("unspecified"));
    if (reason.ok()) out.reason = *reason;
    return out;
  });
}

StatusOr<std::vector<x509::RevokedCert>> Pki::RevokedUnder(const std::string& ca_id) {
  return svc_.Read<std::vector<x509::RevokedCert>>(
      [&](store::Conn& c) -> StatusOr<std::vector<x509::RevokedCert>> {
        VT_ASSIGN_OR_RETURN(auto rows, store::NewSqlIdentityRepo(c)->ListRevoked(
                                           ca_id, store::RevokedOrder::kByRevocationTime));
        std::vector<x509::RevokedCert> out;
        for (const auto& r : rows) {
          x509::RevokedCert rc;
          rc.serial_hex = r.serial;
          ParseRfc3339(r.revoked_at.value_or(""), &rc.revocation_time);
          auto reason = x509::ParseCrlReason(r.revocation_reason.value_or("unspecified"));
          if (reason.ok()) rc.reason = *reason;
          out.push_back(std::move(rc));
        }
        return out;
      });
}

}  // namespace vt::app
