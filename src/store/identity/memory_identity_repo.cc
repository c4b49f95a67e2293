// In-memory identity repository for unit tests (memory_identity_repo.h).
#include "store/identity/memory_identity_repo.h"

#include <algorithm>
#include <tuple>

namespace vt::store {
namespace {

Status Unimplemented(const char* what) {
  return UnimplementedError(std::string("MemoryIdentityRepo::") + what);
}

}  // namespace

StatusOr<CharacterRow> MemoryIdentityRepo::GetCharacter(std::string_view id) {
  auto it = characters_.find(std::string(id));
  if (it == characters_.end()) return NotFoundError("no row");
  return it->second;
}

StatusOr<CharacterStatus> MemoryIdentityRepo::GetCharacterStatus(std::string_view id) {
  VT_ASSIGN_OR_RETURN(CharacterRow row, GetCharacter(id));
  return row.status;
}

StatusOr<bool> MemoryIdentityRepo::CharacterExists(std::string_view id) {
  return characters_.count(std::string(id)) > 0;
}

StatusOr<std::vector<CharacterRow>> MemoryIdentityRepo::ListCharacters(
    const std::optional<std::string>& org_id, int limit) {
  std::vector<CharacterRow> out;
  for (const auto& [id, row] : characters_)
    if (!org_id || row.org_id == *org_id) out.push_back(row);
  std::stable_sort(out.begin(), out.end(), [](const CharacterRow& a, const CharacterRow& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  });
  if (out.size() > static_cast<size_t>(limit)) out.resize(limit);
  return out;
}

StatusOr<bool> MemoryIdentityRepo::OrgExists(std::string_view org_id) {
  return orgs_.count(std::string(org_id)) > 0;
}

StatusOr<std::string> MemoryIdentityRepo::OrgName(std::string_view org_id) {
  auto it = orgs_.find(std::string(org_id));
  if (it == orgs_.end()) return NotFoundError("no row");
  return it->second;
}

StatusOr<MemberFacts> MemoryIdentityRepo::GetMemberOfOrg(std::string_view, std::string_view) {
  return Unimplemented("GetMemberOfOrg");
}
StatusOr<bool> MemoryIdentityRepo::AnyCa() { return Unimplemented("AnyCa"); }
StatusOr<CaRow> MemoryIdentityRepo::GetCa(std::string_view) { return Unimplemented("GetCa"); }
StatusOr<std::vector<CaRow>> MemoryIdentityRepo::FindCas(const std::vector<std::string>&) {
  return Unimplemented("FindCas");
}
StatusOr<std::vector<CaRow>> MemoryIdentityRepo::ListCas() { return Unimplemented("ListCas"); }

StatusOr<CertRow> MemoryIdentityRepo::GetCertificate(std::string_view serial) {
  auto it = certs_.find(std::string(serial));
  if (it == certs_.end()) return NotFoundError("no row");
  return it->second;
}

StatusOr<std::vector<CertRow>> MemoryIdentityRepo::ListIdCards(std::string_view character_id,
                                                               SerialTieBreak tie_break) {
  std::vector<CertRow> out;
  for (const auto& [serial, row] : certs_)
    if (row.character_id == std::string(character_id) && row.profile == CertProfile::kIdCard &&
        !row.cert_der.empty())
      out.push_back(row);
  bool asc = tie_break == SerialTieBreak::kAscending;
  std::sort(out.begin(), out.end(), [asc](const CertRow& a, const CertRow& b) {
    if (a.created_at != b.created_at) return a.created_at > b.created_at;
    return asc ? a.serial < b.serial : a.serial > b.serial;
  });
  return out;
}

StatusOr<std::optional<SerialStateRow>> MemoryIdentityRepo::FindSerialState(std::string_view,
                                                                            std::string_view) {
  return Unimplemented("FindSerialState");
}
StatusOr<std::optional<SerialStateRow>> MemoryIdentityRepo::FindIssuedSerialState(
    std::string_view, std::string_view) {
  return Unimplemented("FindIssuedSerialState");
}
StatusOr<std::vector<RevokedRow>> MemoryIdentityRepo::ListRevoked(std::string_view, RevokedOrder) {
  return Unimplemented("ListRevoked");
}

Status MemoryIdentityRepo::InsertCharacter(const CharacterRow& row) {
  if (!characters_.emplace(row.id, row).second)
    return AlreadyExistsError("character " + row.id + " exists");
  return OkStatus();
}

Status MemoryIdentityRepo::UpdateCharacter(const CharacterRow& row) {
  auto it = characters_.find(row.id);
  if (it == characters_.end()) return OkStatus();  // as an update of no row
  it->second.status = row.status;
  it->second.record = row.record;
  it->second.updated_at = row.updated_at;
  return OkStatus();
}

Status MemoryIdentityRepo::InsertCa(const CaRow&) { return Unimplemented("InsertCa"); }

Status MemoryIdentityRepo::ReserveSerial(const CertRow& row) {
  CertRow r = row;
  r.cert_der.clear();
  r.not_before.clear();
  r.not_after.clear();
  r.status = CertStatus::kGood;
  r.revoked_at.reset();
  r.revocation_reason.reset();
  r.superseded_by.reset();
  if (!certs_.emplace(r.serial, r).second)
    return AlreadyExistsError("serial " + r.serial + " exists");
  return OkStatus();
}

Status MemoryIdentityRepo::CompleteCertificate(std::string_view serial, const std::string& cert_der,
                                               const std::string& not_before,
                                               const std::string& not_after) {
  auto it = certs_.find(std::string(serial));
  if (it == certs_.end()) return OkStatus();
  it->second.cert_der = cert_der;
  it->second.not_before = not_before;
  it->second.not_after = not_after;
  return OkStatus();
}

Status MemoryIdentityRepo::MarkSuperseded(std::string_view old_serial,
                                          std::string_view new_serial) {
  auto it = certs_.find(std::string(old_serial));
  if (it != certs_.end()) it->second.superseded_by = std::string(new_serial);
  return OkStatus();
}

Status MemoryIdentityRepo::MarkRevoked(std::string_view serial, const std::string& revoked_at,
                                       const std::string& reason) {
  auto it = certs_.find(std::string(serial));
  if (it == certs_.end() || it->second.status != CertStatus::kGood) return OkStatus();
  it->second.status = CertStatus::kRevoked;
  it->second.revoked_at = revoked_at;
  it->second.revocation_reason = reason;
  return OkStatus();
}

}  // namespace vt::store
