// Parties of agreements, transfers and licences (docs/agreements.md "Parties").
//
// A party is not a table of its own: it is an organization id ("org_...") or a
// member id ("mem_...") of vtrust, the same ids works.h records as rights
// holders and settlement terms name as payees. A party signs with the key of a
// MEMBER certificate (profile 'member') issued by this vtrust's issuing CA:
//   - member party M: a certificate whose member_id is M;
//   - organization party O: a certificate of an admin member of O (org_id O).
// The certificate must be status good, within its validity at signing time, its
// DER byte-identical to the one this CA stored, its chain verify to our root, and
// its member must not be removed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "store/rights/rights_repo.h"

namespace vt::app {

// What a party id names, by its prefix.
enum class PartyKind { kOrganization, kMember };

// The kind of party `id` names ("org_..." or "mem_..."), or nullopt.
std::optional<PartyKind> PartyKindOf(std::string_view id);

// InvalidArgument naming `field` unless `party` is an existing organization or
// (not removed) member.
Status CheckParty(store::RightsReader& repo, const std::string& party, const std::string& field);

// A verified signer: who signed and which parties that signature stands for.
struct VerifiedSigner {
  std::string member_id;
  std::string org_id;
  std::string cert_serial;              // lower-case hex
  std::vector<std::string> stands_for;  // {member_id} plus org_id for an org admin
  std::string signature;                // the raw signature bytes
};

// Verifies that `certificate` (PEM or DER) is a valid member certificate of this
// vtrust at `now` and that `signature` (raw bytes: DER ECDSA/SM2, raw Ed25519)
// verifies over `message` with its key (P-256: ECDSA-SHA256; Ed25519: pure;
// SM2: SM3 with the vtrust distinguishing ID).
// Failures (nothing is written by this function):
//   InvalidArgument, field "certificate": not a certificate;
//   PermissionDenied, field "certificate": foreign (not issued by this CA),
//     not a member certificate, revoked, expired/not yet valid, member removed;
//   InvalidArgument, field "signature": the signature does not verify.
StatusOr<VerifiedSigner> VerifyMemberSignature(store::RightsReader& repo, TimePoint now,
                                               std::string_view certificate,
                                               std::string_view message,
                                               std::string_view signature);

// Decodes the API's "signature" member (standard base64, padding optional is
// not accepted). InvalidArgument naming "signature".
StatusOr<std::string> DecodeSignature(std::string_view b64);

}  // namespace vt::app
