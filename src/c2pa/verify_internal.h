// Internal to the c2pa module: the validation steps of C2PA 2.2 §15 over the
// active manifest, each adding status codes (§15.2.2) to a report.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "c2pa/c2pa.h"
#include "c2pa/cbor_internal.h"
#include "c2pa/jumbf_internal.h"

namespace vt::c2pa::internal {

// The parts of the active manifest the checks need. Views point into `store`.
struct ActiveManifest {
  std::string store;
  jumbf::SuperBox root;
  const jumbf::SuperBox* manifest = nullptr;
  const jumbf::SuperBox* assertions = nullptr;
  std::string label;                           // "urn:c2pa:..."
  std::string claim_bytes;                     // content of the claim's cbor box
  cbor::Item claim;                            // decoded claim
  std::string signature_bytes;                 // content of the signature's cbor box
  std::vector<std::string> referenced_labels;  // assertions the claim references

  std::string Url(std::string_view tail) const {
    return "self#jumbf=/c2pa/" + label + "/" + std::string(tail);
  }
  // The assertion superbox labelled `label`, or nullptr.
  const jumbf::SuperBox* Assertion(std::string_view label) const;
  // The decoded CBOR content of an assertion; InvalidArgument if not CBOR.
  static StatusOr<cbor::Item> Content(const jumbf::SuperBox& assertion);
};

// The judgement of a signing credential: its profile, then its chain to one
// of `anchors` at `now`.
enum class Credential { kTrusted, kUntrusted, kInvalid };
struct CredentialResult {
  Credential kind = Credential::kInvalid;
  std::string explanation;
  std::string subject;
};
CredentialResult JudgeCredential(const std::vector<std::string>& chain_der,
                                 const std::vector<std::string>& anchors,
                                 const std::vector<std::string_view>& accepted_ekus, TimePoint now);

void AddStatus(VerifyReport* r, std::string code, std::string url, std::string explanation,
               bool success);

// §15.10: every hashed URI of the claim resolves and matches; every assertion
// is referenced. Fills m->referenced_labels.
void CheckHashedUris(ActiveManifest* m, VerifyReport* r);
// §15.7-15.8 and §14.5: claim signature, validity, credential profile and trust, OCSP.
void CheckClaimSignature(const ActiveManifest& m, const VerifyOptions& o, VerifyReport* r);
// §15.12: exactly one hard binding, and it matches the asset streamed from `asset`.
Status CheckHardBinding(const ActiveManifest& m, std::istream& asset, VerifyReport* r);
// CAWG identity 1.1 §7: each cawg.identity assertion.
void CheckIdentities(const ActiveManifest& m, const VerifyOptions& o, VerifyReport* r);
// Copies actions, ingredients, registry map and title into the report.
void ReadFields(const ActiveManifest& m, VerifyReport* r);

}  // namespace vt::c2pa::internal
