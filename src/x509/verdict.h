// Signed verdicts of "I am me" checks (docs/id-card-profile.md): the operator signs what it
// concluded, so anyone can check the verdict offline with the operator's
// public key or certificate (`vtrust card verify-proof`).
//
// A signed verdict is one canonical JSON object (RFC 8785):
//   {"alg": "p256"|"ed25519"|"sm2", "audience": "...", "card_serial": "<hex>",
//    "challenge_id": "...", "character_id": "VC-...", "reason": "<why not>"
//    (only when invalid), "signature": "<base64url>", "time": "<RFC 3339>",
//    "type": "vtrust-verdict/v1", "verdict": "valid"|"invalid"}
// The signature covers "vtrust-verdict/v1\n" || JCS(the object without
// "signature"), signed by the operator's crypto::Signer.
#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "crypto/key.h"
#include "crypto/signer.h"

namespace vt::x509 {

inline constexpr std::string_view kVerdictType = "vtrust-verdict/v1";

struct Verdict {
  bool valid = false;
  std::string reason;  // empty when valid
  std::string challenge_id;
  std::string character_id;
  std::string audience;
  std::string card_serial;  // hex; may be empty if no card was found
  TimePoint time;           // whole milliseconds
  bool operator==(const Verdict&) const = default;
};

// The signed JSON text. Fails only if the signer fails or a string is not UTF-8.
StatusOr<std::string> SignVerdict(const Verdict& verdict, crypto::Signer& operator_signer);

// Parses and verifies a signed verdict. InvalidArgument if malformed,
// PermissionDenied (field "signature") if the signature or the algorithm does
// not match `operator_key`.
StatusOr<Verdict> VerifyVerdict(std::string_view signed_json,
                                const crypto::PublicKey& operator_key);
// Same with the operator's certificate (PEM or DER) holding the key.
StatusOr<Verdict> VerifyVerdictWithCertificate(std::string_view signed_json,
                                               std::string_view operator_cert);

}  // namespace vt::x509
