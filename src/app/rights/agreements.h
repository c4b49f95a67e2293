// Versioned, signed split agreements (docs/agreements.md, docs/settlement.md).
//
// An agreement is a stable id over a sequence of versions. A version is a
// canonical (RFC 8785) JSON document
//   {"type": "vtrust.agreement_version/1", "agreement", "version", "previous"
//    (hash or null), "work" (id or null), "terms" (settlement::Agreement JSON),
//    "parties": [sorted party ids]}
// identified by the lower-case hex SHA-256 of those bytes. It is created pending
// and enters in force only when every affected party (parties.h) has signed its
// canonical bytes with a valid member certificate; the previous in-force version
// is superseded in the same transaction (one log entry agreement.in_force).
//
// Readers (settlement runs) use InForceVersion / GetVersion on a connection of
// their own; the rows are immutable except for status and effective_at.
//
// Thread-safe: AgreementRegistry holds no mutable state of its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/access/service.h"
#include "base/rng.h"
#include "settlement/terms.h"
#include "store/rights/rights_repo.h"
#include "store/sql.h"

namespace vt::app {

using store::VersionStatus;

inline constexpr const char* kAgreementVersionType = "vtrust.agreement_version/1";

// One signature on a document (agreement version, transfer or licence).
struct DocSignature {
  std::string signer_member;         // member id
  std::vector<std::string> parties;  // the party ids this signature stands for
  std::string cert_serial;           // lower-case hex
  std::string signature_b64;         // base64 of the signature bytes
  std::string signed_at;
  Json ToJson() const;
};

// Adds "parties", "awaiting" (parties no signature stands for yet) and
// "signatures" to `j`: the signing status shared by agreement versions and
// work documents.
void AddSigningStatus(Json& j, const std::vector<std::string>& parties,
                      const std::vector<DocSignature>& signatures);

// One row of agreement_versions with its parsed document.
struct AgreementVersion {
  std::string hash;  // sha256 hex of `canonical`
  std::string agreement_id;
  int64_t version = 1;
  std::string canonical;             // the stored RFC 8785 bytes (the signed message)
  Json document;                     // parsed `canonical`
  settlement::Agreement terms;       // parsed document["terms"]
  std::vector<std::string> parties;  // document["parties"]: affected party ids
  VersionStatus status = VersionStatus::kPending;
  std::optional<std::string> effective_at;
  std::string created_at;
  std::optional<int64_t> log_index;
  std::vector<DocSignature> signatures;  // filled by the registry's reads only
  Json ToJson() const;                   // {hash, version, status, ..., document, signatures}
};

struct AgreementRecord {
  std::string id;  // "agr_..."
  std::string org_id;
  std::optional<std::string> work_id;
  std::string title;
  std::string created_at;
  std::vector<AgreementVersion> versions;  // ascending by version
  // The in-force version's hash, if any.
  std::optional<std::string> in_force() const;
  Json ToJson() const;
};

// The version of `agreement_id` in force (status in_force). NotFound if the
// agreement has none (or does not exist). No authorization: callers decide.
StatusOr<AgreementVersion> InForceVersion(store::Conn& c, const std::string& agreement_id);
StatusOr<AgreementVersion> InForceVersion(store::RightsReader& repo,
                                          const std::string& agreement_id);
// The version with this hash (any status). NotFound if unknown; Internal if the
// stored document no longer parses.
StatusOr<AgreementVersion> GetVersion(store::Conn& c, const std::string& hash);
StatusOr<AgreementVersion> GetVersion(store::RightsReader& repo, const std::string& hash);

class AgreementRegistry {
 public:
  // `svc` and `rng` must outlive the registry.
  AgreementRegistry(Service& svc, Rng& rng) : svc_(svc), rng_(rng) {}

  // Creates an agreement and its version 1 (pending). `terms` is the settlement
  // JSON; its "id", "version" and "work" members are filled in (or must match).
  // InvalidArgument naming the field ("terms.tiers[2].shares", "work_id");
  // NotFound for an unknown or unreadable work; PermissionDenied for auditors.
  StatusOr<Written<AgreementRecord>> Create(const Principal& p, const std::string& work_id,
                                            const std::string& title, const Json& terms);
  // A new pending version (amendment) after the latest one. FailedPrecondition if
  // the latest version is still pending.
  StatusOr<Written<AgreementVersion>> Amend(const Principal& p, const std::string& agreement_id,
                                            const Json& terms);
  // Records a signature on version `hash`: `certificate` (PEM or DER) must be a
  // member certificate issued by this vtrust (status good, within validity) of a
  // member standing for at least one affected party that has not signed yet, and
  // `signature` (raw bytes) must verify over the version's canonical bytes.
  // InvalidArgument (field "signature") if it does not verify; PermissionDenied
  // (field "certificate") for a foreign, revoked, expired or unrelated
  // certificate; FailedPrecondition if the version is not pending. When the last
  // affected party signs, the version enters in force in the same write.
  StatusOr<Written<AgreementVersion>> Sign(const Principal& p, const std::string& agreement_id,
                                           const std::string& hash, const std::string& certificate,
                                           const std::string& signature);
  // The agreement with every version and its signatures. NotFound if unknown or
  // not readable by `p`.
  StatusOr<AgreementRecord> Get(const Principal& p, const std::string& agreement_id);
  // The agreements `p` may read (its organization's, those naming it or its
  // organization as a party; every one for the operator), of `work_id` and
  // naming `party` as a party of one of its versions when those are not empty;
  // by creation, at most 1000.
  StatusOr<std::vector<AgreementRecord>> List(const Principal& p, const std::string& work_id,
                                              const std::string& party);
  // One version by number ("2") or hash.
  StatusOr<AgreementVersion> GetVersionOf(const Principal& p, const std::string& agreement_id,
                                          const std::string& version_or_hash);

 private:
  Service& svc_;
  Rng& rng_;
};

}  // namespace vt::app
