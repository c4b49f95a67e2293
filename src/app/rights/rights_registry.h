// Ownership transfers and licences of a work's rights, signed by the current
// holders (docs/agreements.md "Transfers and licences").
//
// Both are PENDING documents in canonical JSON (RFC 8785), identified by the
// lower-case hex SHA-256 of their bytes, that take effect only when every
// required party has signed those bytes with a member certificate (parties.h):
//   transfer {right, from, to, share_bp}: the `from` holder signs; on effect
//     share_bp basis points of `right` move from `from` to `to` in the work's
//     record (holders still sum to 10,000);
//   licence {licensee, right, scope {territory[], channel[], period {from,to}},
//     exclusive}: every current holder of `right` signs.
// A licence whose scope overlaps a pending or effective licence of the same right
// where either is exclusive is refused (AlreadyExists, 409).
//
// Thread-safe: RightsRegistry holds no mutable state of its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/access/service.h"
#include "app/rights/agreements.h"
#include "base/rng.h"
#include "store/rights/rights_repo.h"

namespace vt::app {

using store::DocumentKind;
using store::DocumentStatus;

inline constexpr const char* kTransferType = "vtrust.work_transfer/1";
inline constexpr const char* kLicenceType = "vtrust.work_licence/1";

struct TransferInput {
  std::string right;  // one of kRightTypes
  std::string from;   // a current holder of `right`
  std::string to;     // an organization or member id
  int64_t share_bp = 0;
};

struct LicenceScope {
  std::vector<std::string> territory;  // ISO 3166-1 alpha-2; empty = worldwide
  std::vector<std::string> channel;    // [a-z0-9_-]{1,32}; empty = every channel
  std::string from;                    // "YYYY-MM-DD", inclusive
  std::string to;                      // "YYYY-MM-DD", inclusive
};

struct LicenceInput {
  std::string licensee;
  std::string right;
  LicenceScope scope;
  bool exclusive = false;
};

// Parse the API bodies. InvalidArgument naming the field.
StatusOr<TransferInput> TransferInputFromJson(const Json& j);
StatusOr<LicenceInput> LicenceInputFromJson(const Json& j);

// A transfer or licence document and its state.
struct WorkDocument {
  std::string hash;
  std::string work_id;
  DocumentKind kind = DocumentKind::kTransfer;
  std::string right;
  bool exclusive = false;
  std::string canonical;  // the signed bytes
  Json document;
  std::vector<std::string> parties;  // who must sign (document["parties"])
  DocumentStatus status = DocumentStatus::kPending;
  std::optional<std::string> effective_at;
  std::string created_at;
  std::optional<int64_t> log_index;
  std::vector<DocSignature> signatures;
  Json ToJson() const;
};

class RightsRegistry {
 public:
  RightsRegistry(Service& svc, Rng& rng) : svc_(svc), rng_(rng) {}

  // A pending transfer. Only the work's organization (or the operator) proposes.
  // InvalidArgument naming the field (right not held, from not a holder, share
  // out of 1..held, to unknown or equal to from); NotFound for an unknown work.
  StatusOr<Written<WorkDocument>> ProposeTransfer(const Principal& p, const std::string& work_id,
                                                  const TransferInput& in);
  // A pending licence. AlreadyExists (details {"conflicting": hash}) on an
  // exclusive overlap.
  StatusOr<Written<WorkDocument>> ProposeLicence(const Principal& p, const std::string& work_id,
                                                 const LicenceInput& in);
  // A signature on pending document `hash` of the work (errors as
  // AgreementRegistry::Sign). The last required signature applies the document
  // in the same write (a transfer re-checks that `from` still holds the share:
  // FailedPrecondition otherwise, nothing written).
  StatusOr<Written<WorkDocument>> Sign(const Principal& p, const std::string& work_id,
                                       const std::string& hash, const std::string& certificate,
                                       const std::string& signature);
  // One document, or every document of the work (oldest first).
  StatusOr<WorkDocument> Get(const Principal& p, const std::string& work_id,
                             const std::string& hash);
  StatusOr<std::vector<WorkDocument>> List(const Principal& p, const std::string& work_id);

 private:
  Service& svc_;
  Rng& rng_;
};

}  // namespace vt::app
