// C2PA content credentials for vtrust assets (C2PA 2.2, CAWG identity 1.1).
//
// Signing writes one standard manifest into a manifest store and embeds it in
// the asset (JPEG APP11, PNG caBX, WAV "C2PA" chunk, MP4 uuid box) or returns
// it as a sidecar `.c2pa`. Each manifest carries c2pa.actions.v2 (first action
// c2pa.created), a hard binding (c2pa.hash.data, or c2pa.hash.bmff.v3 for MP4),
// optional c2pa.ingredient.v3 assertions, a com.vtrust.registry map, and
// optionally a cawg.identity assertion signed by a second key (the character's,
// under a certificate with id-kp-documentSigning). docs/c2pa.md describes the
// layout and the status codes.
//
// Assets are streamed in fixed-size chunks: memory use does not grow with the
// asset (MP4 keeps its `moov` box in memory). Input streams must be seekable;
// they are read more than once. Nothing here touches files or the network.
// All functions are thread-safe as long as each call has its own streams and
// the Signers are thread-safe.
#pragma once

#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "crypto/signer.h"

namespace vt::c2pa {

enum class Container { kJpeg, kPng, kWav, kMp4, kSidecar };

// "jpeg", "png", "wav", "mp4", "sidecar".
std::string_view ContainerName(Container c);
// Recognizes JPEG (FF D8 FF), PNG (signature), WAV (RIFF....WAVE), MP4/ISO BMFF
// (ftyp at offset 4) and a raw manifest store (a jumb box) from the first 16 or
// more bytes. InvalidArgument for anything else.
StatusOr<Container> DetectContainer(std::string_view first_bytes);

// An ingredient (c2pa.ingredient.v3, C2PA 2.2 §18.15): another work this asset
// was made from, e.g. a registered work of the rights registry.
struct Ingredient {
  std::string title;                         // dc:title
  std::string format;                        // media type, e.g. "image/png"
  std::string relationship = "componentOf";  // parentOf | componentOf | inputTo
  std::string work_id;                       // vtrust registry work ID ("" = none)
  std::string content_sha256;                // raw 32-byte digest of the work ("" = none)
};

struct SignOptions {
  // The claim signer (C2PA 2.2 §13.2) and its chain: end-entity first, then
  // intermediates, no root. The end-entity certificate should follow the C2PA
  // profile (EKU 1.3.6.1.4.1.62558.2.1, digitalSignature, not a CA).
  crypto::Signer* claim_signer = nullptr;
  std::vector<std::string> claim_chain_der;
  // Optional CAWG identity signer (cawg.x509.cose) and its chain; the
  // end-entity should carry EKU id-kp-documentSigning (1.3.6.1.5.5.7.3.36).
  crypto::Signer* identity_signer = nullptr;
  std::vector<std::string> identity_chain_der;
  // IPTC digital source type of the c2pa.created action, e.g.
  // "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia".
  std::string digital_source_type =
      "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation";
  // com.vtrust.registry: a JSON object the caller fills (character registry
  // ID, producer organization, work IDs, log index...); stored as CBOR.
  std::string registry_json = "{}";
  std::vector<Ingredient> ingredients;
  std::string title;   // dc:title of the claim ("" = none)
  std::string format;  // media type of the asset, e.g. "image/jpeg"
  std::string claim_generator_name = "vtrust";
  std::string claim_generator_version = "0.1.0";
  // Carried as given in the claim signature's unprotected header: a DER OCSP
  // response for the claim signer (rVals.ocspVals). Not checked when signing.
  std::optional<std::string> ocsp_der;
  // Optional RFC 3161 time-stamping (C2PA 2.2 §10.3.2.5, sigTst2): called
  // once, after the claim is signed, with the bytes to time-stamp (the COSE
  // "CounterSignature" Sig_structure over the signature, as c2pa-rs builds it);
  // returns the DER TimeStampToken, carried in sigTst2.tstTokens[0].val. Its
  // errors fail the signing. The signature reserves `timestamp_reserve` bytes
  // for the token (ResourceExhausted if it is larger).
  std::function<StatusOr<std::string>(std::string_view message)> timestamper;
  size_t timestamp_reserve = 8192;
  // Exactly 16 random bytes for the manifest URN (urn:c2pa:<uuid>) and the
  // instanceID; InvalidArgument otherwise. Callers pass fresh randomness from
  // their Rng (tests pass fixed bytes).
  std::string uuid_bytes;
};

// Signs the asset read from `in` (seekable, read twice) and writes the signed
// asset to `out`. kind must not be kSidecar. InvalidArgument for a malformed
// asset or options; FailedPrecondition if the asset already holds a manifest;
// the signers' errors pass through. On error, `out` may hold partial output.
Status SignStream(Container kind, std::istream& in, std::ostream& out, const SignOptions& options);

// Signs an asset of any format as a sidecar: returns the manifest store
// (application/c2pa) whose c2pa.hash.data covers the whole asset.
StatusOr<std::string> SignSidecar(std::istream& asset, const SignOptions& options);

// Returns the embedded manifest store of a signed asset. NotFound if none;
// InvalidArgument if the container is malformed.
StatusOr<std::string> ExtractManifestStore(Container kind, std::istream& asset);

// Result of checking a stapled OCSP response.
enum class OcspStatus { kGood, kRevoked, kUnknown };

struct VerifyOptions {
  // Trust anchors (DER roots) for claim signers and for CAWG identity signers.
  std::vector<std::string> trust_anchors_der;
  std::vector<std::string> identity_trust_anchors_der;
  // Validation time for certificate validity windows.
  TimePoint now;
  // Checks a stapled OCSP response (DER) for the claim signer's certificate
  // (DER) issued by `issuer_der` ("" when the chain has a single certificate).
  // Unset: stapled responses are reported as signingCredential.ocsp.skipped.
  std::function<OcspStatus(std::string_view ocsp_der, std::string_view cert_der,
                           std::string_view issuer_der)>
      check_ocsp;
  // Trust anchors (DER roots) for time-stamping authorities; empty = the
  // claim signers' anchors. A validated timestamp (timeStamp.validated)
  // moves the claim signer's validity and chain checks to its genTime.
  std::vector<std::string> tsa_trust_anchors_der;
};

// One validation status (C2PA 2.2 §15.2.2): e.g. "claimSignature.validated".
struct StatusEntry {
  std::string code;
  std::string url;  // JUMBF URI of the subject, e.g. "self#jumbf=/c2pa/urn:c2pa:.../c2pa.signature"
  std::string explanation;
  bool success = false;  // false for failure codes; informational codes count as success
};

enum class Verdict { kTrusted, kValidUntrusted, kInvalid, kNoManifest };
std::string_view VerdictName(Verdict v);  // "trusted", "valid_untrusted", "invalid", "no_manifest"

struct ActionInfo {
  std::string action;
  std::string digital_source_type;
};

struct VerifyReport {
  Verdict verdict = Verdict::kNoManifest;
  std::vector<StatusEntry> statuses;
  std::string manifest_label;          // "urn:c2pa:..."
  std::string title;                   // claim dc:title
  std::string claim_generator;         // claim_generator_info.name
  std::string signer_subject;          // CN and O of the claim signer ("CN=..., O=...")
  std::string identity_subject;        // same for the CAWG identity signer, if any
  std::string tsa_subject;             // same for the time-stamping authority, if any
  std::optional<TimePoint> timestamp;  // genTime of a validated timestamp
  std::string registry_json;           // the com.vtrust.registry map as JSON ("" if absent)
  std::vector<ActionInfo> actions;
  std::vector<Ingredient> ingredients;

  // True if any status has this code.
  bool Has(std::string_view code) const;
};

// Validates the active manifest (the last one) of an asset. With `sidecar`
// set, the manifest store is read from it and the asset is only hashed;
// otherwise it is extracted from the asset (kind must not be kSidecar). A
// missing manifest is a report with verdict kNoManifest. A store that does not
// parse is a report with verdict kInvalid and a claim.malformed-style status.
// Errors: InvalidArgument if the container itself is malformed (a truncated
// JPEG/PNG/WAV/MP4 structure, kind kSidecar without `sidecar`), or the stream
// fails. Verifies ES256/384/512, PS256/384/512 and EdDSA signatures.
StatusOr<VerifyReport> Verify(Container kind, std::istream& asset,
                              const std::optional<std::string>& sidecar,
                              const VerifyOptions& options);

}  // namespace vt::c2pa
