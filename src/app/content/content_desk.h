// Content credentials for media of virtual characters (docs/c2pa.md): a studio
// signs a clip with a C2PA manifest naming the character, the producer and the
// registered works it uses; anyone verifies it against vtrust's roots, its
// revocation data and its transparency log.
//
// Signing: the caller must be a member (role member or admin) of the
// organization that owns the character (or an operator admin). The claim is
// signed with the organization's claim-signing certificate (profile "c2pa",
// issued on first use with a custodial key); the CAWG identity assertion with
// the character's current ID card when its key is custodial. The signer's
// OCSP response from vtrust's own responder is stapled. A `content.signed` log
// entry (asset digest, manifest label, character, organization, signer and
// card serials, works) is written before the manifest is signed, so that the
// manifest's com.vtrust.registry map carries the entry's log index.
//
// Thread-safe (each call uses its own streams).
#pragma once

#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/access/service.h"
#include "c2pa/c2pa.h"

namespace vt::app {

class CharacterRegistry;
class Pki;
class RevocationService;
class WorkRegistry;

// IPTC digital source types written into c2pa.created.
inline constexpr const char* kSourceTrainedAlgorithmic =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
inline constexpr const char* kSourceDigitalCreation =
    "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation";

struct ContentSignRequest {
  std::string character_id;
  std::vector<std::string> work_ids;  // registered works used as ingredients
  bool sidecar = false;               // write the manifest store only (.c2pa)
  std::string title;                  // dc:title ("" = none)
  // The RFC 3161 TSA for the signature's sigTst2 token; "" = the
  // configuration's tsa_url (none when that is empty too). Operator admins only
  // (the server would fetch any URL it is given).
  std::string tsa_url;
};

struct ContentSignResult {
  std::string manifest_label;  // urn:c2pa:...
  int64_t log_index = -1;      // of the content.signed entry
  std::string signer_serial;
  std::string card_serial;    // "" when no identity assertion was written
  std::string identity_note;  // why the identity was skipped, if it was
  c2pa::Container container = c2pa::Container::kSidecar;
  std::string tsa_url;     // the TSA that time-stamped the signature ("" = none)
  std::string holder_alg;  // holder signing: the card's algorithm ("p256", "ed25519")
  Json ToJson() const;
};

// Holder signing, first step (docs/c2pa.md, "Holder signing"): what the
// holder of the character's card signs with its own key, and the handle
// (the content.signed entry's index) of the second step.
struct HolderPrepared {
  std::string manifest_label;
  int64_t log_index = -1;
  std::string card_serial;
  std::string alg;           // the card key's: "p256" (ECDSA SHA-256, DER) or "ed25519"
  std::string to_be_signed;  // the CAWG identity's COSE Sig_structure (RFC 9052 §4.4)
};

// The JSON contract of `content verify` and POST /v1/content/verify:
// {"verdict": trusted|valid_untrusted|invalid|no_manifest, "manifest",
//  "character": {id, name, org, status, card: {serial, status, revoked_at,
//  reason}}, "producer": {org_id, name, signer, signer_serial, signer_status,
//  signer_revoked_at}, "identity", "works": [{id, sha256, title}],
//  "digital_source_type", "ai_label", "log": {index, included, matches},
//  "statuses": [{code, url, explanation, success}]}.
// Converts a library report (offline: no registry facts).
Json VerifyReportToJson(const c2pa::VerifyReport& report);

// Offline verification against `roots_der` (used for claim and CAWG identity
// signers alike) at `now`; stapled OCSP responses are checked against the
// chain in the manifest. Errors as for c2pa::Verify.
StatusOr<Json> VerifyOffline(c2pa::Container kind, std::istream& asset,
                             const std::optional<std::string>& sidecar,
                             const std::vector<std::string>& roots_der, TimePoint now);

class ContentDesk {
 public:
  // Every argument must outlive the desk (the composition root owns them).
  ContentDesk(Service& svc, Pki& pki, RevocationService& revocation, CharacterRegistry& characters,
              WorkRegistry& works);
  ~ContentDesk();

  // Signs `in` (seekable; its container detected from its first bytes) and
  // writes the signed asset, or with req.sidecar the manifest store, to
  // `out`. NotFound: character or work not visible to `p`; PermissionDenied:
  // `p` may not sign for the character's organization; FailedPrecondition:
  // the character is retired, the CA is not initialized, or the asset holds a
  // manifest already; InvalidArgument: unrecognized or malformed asset.
  StatusOr<Written<ContentSignResult>> Sign(const Principal& p, std::istream& in,
                                            const ContentSignRequest& req, std::ostream& out);

  // Holder signing, for a character whose current card's key is the
  // holder's (a CSR card): the CAWG identity is signed by the holder, the
  // claim by the organization as in Sign. First step: writes the
  // content.signed entry and returns the bytes the holder signs. Errors as
  // Sign, plus FailedPrecondition when the character has no current card or
  // its key is custodial or SM2.
  StatusOr<Written<HolderPrepared>> PrepareHolderSigning(const Principal& p, std::istream& in,
                                                         const ContentSignRequest& req);
  // Second step: the same asset and request, the entry's index and the
  // holder's signature (DER ECDSA for P-256, raw for Ed25519) over the
  // prepared bytes; writes the signed asset (or sidecar) to `out`.
  // FailedPrecondition (field log_index) if the entry was not prepared for
  // this asset, character, works and card; InvalidArgument (field signature)
  // if the signature does not verify with the card's key.
  StatusOr<ContentSignResult> FinishHolderSigning(const Principal& p, std::istream& in,
                                                  const ContentSignRequest& req, int64_t log_index,
                                                  const std::string& signature, std::ostream& out);

  // Verifies an asset (embedded manifest, or `sidecar`) against vtrust's roots
  // and registry: the library verdict, then the signer's revocation in the
  // registry (a revoked signer makes the verdict invalid), the character's
  // card status (revocation after signing is reported with its date) and the
  // inclusion of the content.signed entry in the log. The JSON contract above.
  StatusOr<Json> Verify(std::istream& in, const std::optional<std::string>& sidecar);

 private:
  struct Signing;
  enum class HolderStep { kNone, kPrepare, kFinish };
  struct HolderInput {
    int64_t log_index = -1;
    std::string signature;
  };
  StatusOr<Written<ContentSignResult>> Run(const Principal& p, std::istream& in,
                                           const ContentSignRequest& req, std::ostream& out,
                                           HolderStep step, const HolderInput& holder,
                                           std::string* to_be_signed);
  StatusOr<Json> ReadContentEntry(int64_t index);
  StatusOr<Signing> PrepareSigner(const Principal& p, const std::string& org_id);
  Status AddRegistryFacts(Json& out, const c2pa::VerifyReport& report);

  Service& svc_;
  Pki* pki_;
  RevocationService* rev_;
  CharacterRegistry& characters_;
  WorkRegistry& works_;
};

}  // namespace vt::app
