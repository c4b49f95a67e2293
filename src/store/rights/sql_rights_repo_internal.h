// The SQL rights repository's class, shared by its .cc files. Not a public API.
#pragma once

#include "store/rights/rights_repo.h"

namespace vt::store {

class SqlRightsRepo final : public RightsWriter {
 public:
  explicit SqlRightsRepo(Conn& conn) : c_(conn) {}

  // Works and the derivation graph (sql_rights_repo.cc).
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

  // Transfers, licences and signatures (sql_rights_repo_documents.cc).
  StatusOr<std::optional<WorkDocumentRow>> FindWorkDocument(std::string_view work_id,
                                                            std::string_view hash) override;
  StatusOr<std::vector<WorkDocumentRow>> ListWorkDocuments(std::string_view work_id) override;
  StatusOr<std::vector<WorkDocumentRow>> ListLicences(std::string_view work_id,
                                                      std::string_view right_type) override;
  StatusOr<std::vector<SignatureRow>> ListSignatures(std::string_view hash) override;
  Status InsertWorkDocument(const WorkDocumentRow& row) override;
  Status MarkWorkDocumentEffective(std::string_view hash, const std::string& effective_at) override;
  Status InsertSignature(const SignatureRow& row) override;

  // Agreements and their versions (sql_rights_repo_agreements.cc).
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

  // Party and certificate facts (sql_rights_repo_parties.cc).
  StatusOr<bool> OrgExists(std::string_view id) override;
  StatusOr<bool> MemberExists(std::string_view id, bool active_only) override;
  StatusOr<std::optional<MemberStanding>> FindMember(std::string_view id) override;
  StatusOr<std::optional<IssuedCertificate>> FindCertificate(std::string_view serial_hex) override;
  StatusOr<std::optional<IssuingCa>> FindIssuingCa(std::string_view ca_id) override;
  StatusOr<std::vector<std::string>> RootCertificates(std::string_view alg) override;

 private:
  Conn& c_;
};

// The text of `s` as a bound parameter.
inline Value Text(std::string_view s) { return Value(std::string(s)); }
// `s` or SQL NULL.
inline Value OptText(const std::optional<std::string>& s) { return s ? Value(*s) : Value(); }

}  // namespace vt::store
