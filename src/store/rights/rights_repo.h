// Repositories of the rights capability: works and the derivation graph
// (works, work_uses), transfers and licences (work_documents), agreements
// (agreements, agreement_versions), the signatures on all of them, and the party
// and certificate facts a signature is checked against (docs/works.md,
// docs/agreements.md).
//
// The identity and access capabilities own certificates, cas, orgs and members;
// the rights repository reads only the few facts it needs of them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/sql.h"

namespace vt::store {

// What a work document is (docs/agreements.md "Transfers and licences").
enum class DocumentKind { kTransfer, kLicence };
// A work document's state: pending until every required party signed.
enum class DocumentStatus { kPending, kEffective };
// An agreement version's state (docs/agreements.md "Versions").
enum class VersionStatus { kPending, kInForce, kSuperseded };

// The stored and API names ("transfer", "in_force", ...).
const char* DocumentKindName(DocumentKind k);
const char* DocumentStatusName(DocumentStatus s);
const char* VersionStatusName(VersionStatus s);
// The enum named `name`, or nullopt for a name outside the set.
std::optional<DocumentKind> ParseDocumentKind(std::string_view name);
std::optional<DocumentStatus> ParseDocumentStatus(std::string_view name);
std::optional<VersionStatus> ParseVersionStatus(std::string_view name);

// One work. `record` is the work's JSON record (the registry's normalized form).
struct WorkRow {
  std::string id;
  std::string org_id;
  std::string type;
  std::string sha256;
  std::optional<std::string> sm3;
  std::string record;
  std::string created_at;
  std::string created_by;
  std::optional<int64_t> log_index;  // of its work.registered entry, once known
};

// The first claim on a content digest.
struct WorkClaim {
  std::string work_id;
  std::optional<int64_t> log_index;
};

// One edge of the derivation graph: `work_id` uses `used_work_id` as `role`.
struct WorkUseRow {
  std::string work_id;
  std::string used_work_id;
  std::string role;
  std::string created_at;
  std::string created_by;
};

// A neighbour in the derivation graph and the role of the edge to it.
struct WorkLink {
  std::string work_id;
  std::string role;
};

// A transfer or licence. `document` is its canonical JSON (the signed bytes).
struct WorkDocumentRow {
  std::string hash;
  std::string work_id;
  DocumentKind kind = DocumentKind::kTransfer;
  std::string right_type;
  bool exclusive = false;
  std::string document;
  DocumentStatus status = DocumentStatus::kPending;
  std::optional<std::string> effective_at;
  std::string created_at;
  std::string created_by;  // written only; reads leave it empty
  std::optional<int64_t> log_index;
};

struct AgreementRow {
  std::string id;
  std::string org_id;
  std::optional<std::string> work_id;
  std::string title;
  std::string created_at;
};

// Which agreements ListAgreementIds returns.
struct AgreementListQuery {
  // Unless `all`: only agreements of `org_id`, or whose versions' documents
  // mention one of `mentions` (party ids).
  bool all = false;
  std::string org_id;
  std::vector<std::string> mentions;
  std::string work_id;  // if not empty: only agreements of this work
  std::string party;    // if not empty: only agreements whose documents mention it
  int64_t limit = 1000;
};

// One version of an agreement. `document` is its canonical JSON.
struct AgreementVersionRow {
  std::string hash;
  std::string agreement_id;
  int64_t version = 1;
  std::string document;
  VersionStatus status = VersionStatus::kPending;
  std::optional<std::string> effective_at;
  std::string created_at;
  std::optional<int64_t> log_index;
};

// One accepted signature on a document (agreement version or work document).
struct SignatureRow {
  std::string document_hash;
  std::string signer_member;
  std::vector<std::string> parties;  // the party ids it stands for
  std::string cert_serial;           // lower-case hex
  std::string signature;             // raw signature bytes
  std::string signed_at;
};

// What a signature check needs of a certificate this vtrust issued.
struct IssuedCertificate {
  std::string ca_id;
  std::string profile;                   // "member" for member certificates
  std::optional<std::string> member_id;  // null unless a member certificate
  std::string org_id;
  std::optional<std::string> der;  // null if the DER was not stored
  std::string status;              // revocation state, "good" when not revoked
  std::optional<std::string> revocation_reason;
};

// An issuing CA: its algorithm and certificate.
struct IssuingCa {
  std::string alg;
  std::string der;
};

// What a signature check needs of a member.
struct MemberStanding {
  std::string org_id;
  std::string role;  // "admin", "member", ...
  bool removed = false;
};

// Read-only queries over the rights tables and the party facts.
class RightsReader {
 public:
  virtual ~RightsReader() = default;

  // The work `id` (id, org_id, record and log_index filled), or nullopt.
  virtual StatusOr<std::optional<WorkRow>> FindWork(std::string_view id) = 0;
  // The work registered with content digest `sha256`, or nullopt.
  virtual StatusOr<std::optional<WorkClaim>> FindWorkClaim(std::string_view sha256) = 0;
  // Works (id, record, log_index filled), of `org_id` if given, oldest first (by
  // created_at, then id), at most `limit`.
  virtual StatusOr<std::vector<WorkRow>> ListWorks(const std::optional<std::string>& org_id,
                                                   int limit) = 0;
  // The role of the edge `work_id` uses `used_work_id`, or nullopt.
  virtual StatusOr<std::optional<std::string>> FindUseRole(std::string_view work_id,
                                                           std::string_view used_work_id) = 0;
  // The works `work_id` uses, by id.
  virtual StatusOr<std::vector<WorkLink>> WorksUsedBy(std::string_view work_id) = 0;
  // The works using `used_work_id`, by id.
  virtual StatusOr<std::vector<WorkLink>> WorksUsing(std::string_view used_work_id) = 0;

  // The document `hash` of work `work_id`, or nullopt.
  virtual StatusOr<std::optional<WorkDocumentRow>> FindWorkDocument(std::string_view work_id,
                                                                    std::string_view hash) = 0;
  // Every document of the work, by created_at then hash.
  virtual StatusOr<std::vector<WorkDocumentRow>> ListWorkDocuments(std::string_view work_id) = 0;
  // The licences (any status) of `right_type` of the work, by created_at.
  virtual StatusOr<std::vector<WorkDocumentRow>> ListLicences(std::string_view work_id,
                                                              std::string_view right_type) = 0;
  // Signatures on document `hash`, by signed_at then signer. Internal if a
  // stored party list is corrupt.
  virtual StatusOr<std::vector<SignatureRow>> ListSignatures(std::string_view hash) = 0;

  // The agreement `id`, or nullopt.
  virtual StatusOr<std::optional<AgreementRow>> FindAgreement(std::string_view id) = 0;
  // Ids of the agreements `q` selects, by creation, at most q.limit. "Mention" is
  // a textual match of the quoted id in a version's canonical document: a
  // prefilter; callers check the parsed parties.
  virtual StatusOr<std::vector<std::string>> ListAgreementIds(const AgreementListQuery& q) = 0;
  // Its versions, ascending.
  virtual StatusOr<std::vector<AgreementVersionRow>> ListAgreementVersions(
      std::string_view agreement_id) = 0;
  // The version `hash` (any agreement, any status), or nullopt.
  virtual StatusOr<std::optional<AgreementVersionRow>> FindAgreementVersion(
      std::string_view hash) = 0;
  // The version of the agreement in force, or nullopt.
  virtual StatusOr<std::optional<AgreementVersionRow>> FindInForceVersion(
      std::string_view agreement_id) = 0;

  // Whether organization `id` exists.
  virtual StatusOr<bool> OrgExists(std::string_view id) = 0;
  // Whether member `id` exists; removed members count unless `active_only`.
  virtual StatusOr<bool> MemberExists(std::string_view id, bool active_only) = 0;
  // The member `id`, or nullopt.
  virtual StatusOr<std::optional<MemberStanding>> FindMember(std::string_view id) = 0;
  // The certificate this vtrust issued with serial `serial_hex`, or nullopt.
  virtual StatusOr<std::optional<IssuedCertificate>> FindCertificate(
      std::string_view serial_hex) = 0;
  // The issuing CA `ca_id`, or nullopt (also for a root).
  virtual StatusOr<std::optional<IssuingCa>> FindIssuingCa(std::string_view ca_id) = 0;
  // The DER of every root CA of algorithm `alg`.
  virtual StatusOr<std::vector<std::string>> RootCertificates(std::string_view alg) = 0;
};

// Writes, inside the committer's transaction. Not thread-safe (one writer).
class RightsWriter : public RightsReader {
 public:
  // AlreadyExists if the id or the sha256 is taken.
  virtual Status InsertWork(const WorkRow& row) = 0;
  virtual Status SetWorkLogIndex(std::string_view id, int64_t log_index) = 0;
  // Replaces the work's record (its holders after a transfer).
  virtual Status SetWorkRecord(std::string_view id, const std::string& record) = 0;
  virtual Status InsertWorkUse(const WorkUseRow& row) = 0;

  virtual Status InsertWorkDocument(const WorkDocumentRow& row) = 0;
  // The document takes effect at `effective_at`.
  virtual Status MarkWorkDocumentEffective(std::string_view hash,
                                           const std::string& effective_at) = 0;
  virtual Status InsertSignature(const SignatureRow& row) = 0;

  virtual Status InsertAgreement(const AgreementRow& row) = 0;
  virtual Status InsertAgreementVersion(const AgreementVersionRow& row) = 0;
  virtual Status SetVersionLogIndex(std::string_view hash, int64_t log_index) = 0;
  // Every pending version of the agreement becomes superseded (withdrawn).
  virtual Status WithdrawPendingVersions(std::string_view agreement_id) = 0;
  // The version in force (if any) becomes superseded.
  virtual Status SupersedeInForceVersion(std::string_view agreement_id) = 0;
  // Version `hash` enters in force at `effective_at`.
  virtual Status PutVersionInForce(std::string_view hash, const std::string& effective_at) = 0;
};

// The SQL implementation over an open connection (both dialects); `conn` must
// outlive it.
std::unique_ptr<RightsWriter> NewSqlRightsRepo(Conn& conn);

}  // namespace vt::store
