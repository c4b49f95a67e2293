// The in-memory rights repository (memory_rights_repo.h).
#include "store/rights/memory_rights_repo.h"

#include <algorithm>

namespace vt::store {
namespace {

Status Unimplemented(const char* what) {
  return UnimplementedError(std::string("MemoryRightsRepo does not keep ") + what);
}

std::vector<WorkLink> ById(std::vector<WorkLink> links) {
  std::sort(links.begin(), links.end(),
            [](const WorkLink& a, const WorkLink& b) { return a.work_id < b.work_id; });
  return links;
}

}  // namespace

StatusOr<std::optional<WorkRow>> MemoryRightsRepo::FindWork(std::string_view id) {
  auto it = works_.find(std::string(id));
  if (it == works_.end()) return std::optional<WorkRow>();
  return std::optional<WorkRow>(it->second);
}

StatusOr<std::optional<WorkClaim>> MemoryRightsRepo::FindWorkClaim(std::string_view sha256) {
  for (const auto& [id, w] : works_)
    if (w.sha256 == sha256) return std::optional<WorkClaim>(WorkClaim{id, w.log_index});
  return std::optional<WorkClaim>();
}

StatusOr<std::vector<WorkRow>> MemoryRightsRepo::ListWorks(const std::optional<std::string>& org_id,
                                                           int limit) {
  std::vector<WorkRow> out;
  for (const auto& [id, w] : works_)
    if (!org_id || w.org_id == *org_id) out.push_back(w);
  std::sort(out.begin(), out.end(), [](const WorkRow& a, const WorkRow& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  });
  if (out.size() > static_cast<size_t>(limit)) out.resize(limit);
  return out;
}

StatusOr<std::optional<std::string>> MemoryRightsRepo::FindUseRole(std::string_view work_id,
                                                                   std::string_view used_work_id) {
  for (const auto& u : uses_)
    if (u.work_id == work_id && u.used_work_id == used_work_id)
      return std::optional<std::string>(u.role);
  return std::optional<std::string>();
}

StatusOr<std::vector<WorkLink>> MemoryRightsRepo::WorksUsedBy(std::string_view work_id) {
  std::vector<WorkLink> out;
  for (const auto& u : uses_)
    if (u.work_id == work_id) out.push_back({u.used_work_id, u.role});
  return ById(std::move(out));
}

StatusOr<std::vector<WorkLink>> MemoryRightsRepo::WorksUsing(std::string_view used_work_id) {
  std::vector<WorkLink> out;
  for (const auto& u : uses_)
    if (u.used_work_id == used_work_id) out.push_back({u.work_id, u.role});
  return ById(std::move(out));
}

Status MemoryRightsRepo::InsertWork(const WorkRow& row) {
  if (works_.count(row.id) || FindWorkClaim(row.sha256)->has_value())
    return AlreadyExistsError("work " + row.id + " or its sha256 exists");
  works_[row.id] = row;
  return OkStatus();
}

Status MemoryRightsRepo::SetWorkLogIndex(std::string_view id, int64_t log_index) {
  auto it = works_.find(std::string(id));
  if (it != works_.end()) it->second.log_index = log_index;
  return OkStatus();
}

Status MemoryRightsRepo::SetWorkRecord(std::string_view id, const std::string& record) {
  auto it = works_.find(std::string(id));
  if (it != works_.end()) it->second.record = record;
  return OkStatus();
}

Status MemoryRightsRepo::InsertWorkUse(const WorkUseRow& row) {
  if (FindUseRole(row.work_id, row.used_work_id)->has_value())
    return AlreadyExistsError("edge exists");
  uses_.push_back(row);
  return OkStatus();
}

StatusOr<std::optional<WorkDocumentRow>> MemoryRightsRepo::FindWorkDocument(std::string_view,
                                                                            std::string_view) {
  return Unimplemented("work documents");
}
StatusOr<std::vector<WorkDocumentRow>> MemoryRightsRepo::ListWorkDocuments(std::string_view) {
  return Unimplemented("work documents");
}
StatusOr<std::vector<WorkDocumentRow>> MemoryRightsRepo::ListLicences(std::string_view,
                                                                      std::string_view) {
  return Unimplemented("work documents");
}
StatusOr<std::vector<SignatureRow>> MemoryRightsRepo::ListSignatures(std::string_view) {
  return Unimplemented("signatures");
}
Status MemoryRightsRepo::InsertWorkDocument(const WorkDocumentRow&) {
  return Unimplemented("work documents");
}
Status MemoryRightsRepo::MarkWorkDocumentEffective(std::string_view, const std::string&) {
  return Unimplemented("work documents");
}
Status MemoryRightsRepo::InsertSignature(const SignatureRow&) {
  return Unimplemented("signatures");
}

StatusOr<std::optional<AgreementRow>> MemoryRightsRepo::FindAgreement(std::string_view) {
  return Unimplemented("agreements");
}
StatusOr<std::vector<AgreementVersionRow>> MemoryRightsRepo::ListAgreementVersions(
    std::string_view) {
  return Unimplemented("agreements");
}
StatusOr<std::optional<AgreementVersionRow>> MemoryRightsRepo::FindAgreementVersion(
    std::string_view) {
  return Unimplemented("agreements");
}
StatusOr<std::vector<std::string>> MemoryRightsRepo::ListAgreementIds(const AgreementListQuery&) {
  return Unimplemented("agreements");
}
StatusOr<std::optional<AgreementVersionRow>> MemoryRightsRepo::FindInForceVersion(
    std::string_view) {
  return Unimplemented("agreements");
}
Status MemoryRightsRepo::InsertAgreement(const AgreementRow&) {
  return Unimplemented("agreements");
}
Status MemoryRightsRepo::InsertAgreementVersion(const AgreementVersionRow&) {
  return Unimplemented("agreements");
}
Status MemoryRightsRepo::SetVersionLogIndex(std::string_view, int64_t) {
  return Unimplemented("agreements");
}
Status MemoryRightsRepo::WithdrawPendingVersions(std::string_view) {
  return Unimplemented("agreements");
}
Status MemoryRightsRepo::SupersedeInForceVersion(std::string_view) {
  return Unimplemented("agreements");
}
Status MemoryRightsRepo::PutVersionInForce(std::string_view, const std::string&) {
  return Unimplemented("agreements");
}

StatusOr<bool> MemoryRightsRepo::OrgExists(std::string_view id) {
  return orgs_.count(std::string(id)) > 0;
}

StatusOr<bool> MemoryRightsRepo::MemberExists(std::string_view id, bool active_only) {
  auto it = members_.find(std::string(id));
  return it != members_.end() && !(active_only && it->second.removed);
}

StatusOr<std::optional<MemberStanding>> MemoryRightsRepo::FindMember(std::string_view id) {
  auto it = members_.find(std::string(id));
  if (it == members_.end()) return std::optional<MemberStanding>();
  return std::optional<MemberStanding>(it->second);
}

StatusOr<std::optional<IssuedCertificate>> MemoryRightsRepo::FindCertificate(std::string_view) {
  return Unimplemented("certificates");
}
StatusOr<std::optional<IssuingCa>> MemoryRightsRepo::FindIssuingCa(std::string_view) {
  return Unimplemented("CAs");
}
StatusOr<std::vector<std::string>> MemoryRightsRepo::RootCertificates(std::string_view) {
  return Unimplemented("CAs");
}

}  // namespace vt::store
