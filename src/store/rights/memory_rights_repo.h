// An in-memory RightsWriter for unit tests (no database), in the spirit of
// leveldb's helpers/memenv. It keeps works, the derivation graph and the party
// facts; the other methods return Unimplemented.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/rights/rights_repo.h"

namespace vt::store {

class MemoryRightsRepo final : public RightsWriter {
 public:
  // Test setup: an organization, or a member (removed if `removed`).
  void AddOrg(const std::string& id) { orgs_.insert(id); }
  void AddMember(const std::string& id, const std::string& org_id, const std::string& role,
                 bool removed = false) {
    members_[id] = MemberStanding{org_id, role, removed};
  }
  // Every work written, by id.
  const std::map<std::string, WorkRow>& works() const { return works_; }
  // Every edge written, in order.
  const std::vector<WorkUseRow>& uses() const { return uses_; }

  StatusOr<std::optional<WorkRow>> FindWork(std::string_view id) override;
  StatusOr<std::optional<WorkClaim>> FindWorkClaim(std::string_view sha256) override;
  StatusOr<std::vector<WorkRow>> ListWorks(const std::optional<std::string>& org_id,
                                           int limit) override;
  StatusOr<std::optional<std::string>> FindUseRole(std::string_view work_id,
                                                   std::string_view used_work_id) override;
  StatusOr<std::vector<WorkLink>> WorksUsedBy(std::string_view work_id) override;
  StatusOr<std::vector<WorkLink>> WorksUsing(std::string_view used_work_id) override;
  Status InsertWork(const WorkRow& row) override;
  Status SetWorkLogIndex(std::string_view id, int64_t log_index) override;
  Status SetWorkRecord(std::string_view id, const std::string& record) override;
  Status InsertWorkUse(const WorkUseRow& row) override;

  StatusOr<std::optional<WorkDocumentRow>> FindWorkDocument(std::string_view work_id,
                                                            std::string_view hash) override;
  StatusOr<std::vector<WorkDocumentRow>> ListWorkDocuments(std::string_view work_id) override;
  StatusOr<std::vector<WorkDocumentRow>> ListLicences(std::string_view work_id,
                                                      std::string_view right_type) override;
  StatusOr<std::vector<SignatureRow>> ListSignatures(std::string_view hash) override;
  Status InsertWorkDocument(const WorkDocumentRow& row) override;
  Status MarkWorkDocumentEffective(std::string_view hash, const std::string& effective_at) override;
  Status InsertSignature(const SignatureRow& row) override;

  StatusOr<std::optional<AgreementRow>> FindAgreement(std::string_view id) override;
  StatusOr<std::vector<AgreementVersionRow>> ListAgreementVersions(
      std::string_view agreement_id) override;
  StatusOr<std::optional<AgreementVersionRow>> FindAgreementVersion(std::string_view hash) override;
  StatusOr<std::vector<std::string>> ListAgreementIds(const AgreementListQuery& q) override;
  StatusOr<std::optional<AgreementVersionRow>> FindInForceVersion(
      std::string_view agreement_id) override;
  Status InsertAgreement(const AgreementRow& row) override;
  Status InsertAgreementVersion(const AgreementVersionRow& row) override;
  Status SetVersionLogIndex(std::string_view hash, int64_t log_index) override;
  Status WithdrawPendingVersions(std::string_view agreement_id) override;
  Status SupersedeInForceVersion(std::string_view agreement_id) override;
  Status PutVersionInForce(std::string_view hash, const std::string& effective_at) override;

  StatusOr<bool> OrgExists(std::string_view id) override;
  StatusOr<bool> MemberExists(std::string_view id, bool active_only) override;
  StatusOr<std::optional<MemberStanding>> FindMember(std::string_view id) override;
  StatusOr<std::optional<IssuedCertificate>> FindCertificate(std::string_view serial_hex) override;
  StatusOr<std::optional<IssuingCa>> FindIssuingCa(std::string_view ca_id) override;
  StatusOr<std::vector<std::string>> RootCertificates(std::string_view alg) override;

 private:
  std::map<std::string, WorkRow> works_;
  std::vector<WorkUseRow> uses_;
  std::set<std::string> orgs_;
  std::map<std::string, MemberStanding> members_;
};

}  // namespace vt::store
