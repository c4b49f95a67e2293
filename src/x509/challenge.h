// "I am me" (docs/id-card-profile.md): a challenge–response proof that a live party holds
// the key of a character's current ID card.
//
// Challenge (canonical JSON, RFC 8785), all members required, no others:
//   {"audience": "<who asks>", "character_id": "VC-....", "expires_at":
//    "<RFC 3339 UTC, milliseconds, e.g. 2026-11-23T10:00:00.000Z>",
//    "id": "<16 random bytes, base64url>", "nonce": "<32 random bytes, base64url>"}
// The holder signs the bytes "vtrust-challenge/v1\n" || JCS(challenge) with
// the card key (P-256: ECDSA/SHA-256 DER; Ed25519: pure; SM2: SM3 with ID
// 1234567812345678) — no pre-hashing by vtrust. A proof is
//   {"challenge": <challenge>, "signature": "<base64url>"}.
// The server keeps the challenges it issued, verifies a proof against its own
// stored copy (by id), uses each challenge once, and checks that the card is
// the character's current unrevoked card; those checks need storage and live
// in the service layer. docs/id-card-profile.md describes the format.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/jcs.h"
#include "base/rng.h"
#include "base/status.h"
#include "crypto/signer.h"

namespace vt::x509 {

inline constexpr std::string_view kChallengeDomain = "vtrust-challenge/v1\n";
inline constexpr std::chrono::seconds kMaxChallengeTtl{600};

struct Challenge {
  std::string id;            // base64url of 16 random bytes
  std::string character_id;  // canonical registry id
  std::string nonce;         // base64url of 32 random bytes
  std::string audience;      // 1..256 bytes of UTF-8, e.g. "https://venue.example"
  TimePoint expires_at;      // whole milliseconds
  bool operator==(const Challenge&) const = default;
};

// A fresh challenge expiring `ttl` from now (1 s .. kMaxChallengeTtl).
// InvalidArgument for a bad character id, audience or ttl.
StatusOr<Challenge> NewChallenge(std::string_view character_id, std::string_view audience,
                                 std::chrono::seconds ttl, const Clock& clock, Rng& rng);

Json ChallengeToJson(const Challenge& c);
// Strict: exactly the five members, canonical forms (the id and nonce decode
// to 16 and 32 bytes, the time is as FormatRfc3339 writes it).
// InvalidArgument naming the field otherwise.
StatusOr<Challenge> ChallengeFromJson(const Json& json);

// "vtrust-challenge/v1\n" || JCS(ChallengeToJson(c)).
StatusOr<std::string> ChallengeSigningInput(const Challenge& c);

struct Proof {
  Challenge challenge;
  std::string signature;  // raw signature bytes
};

// The holder's side (`vtrust card prove`): signs with the card key.
StatusOr<Proof> ProveChallenge(const Challenge& challenge, crypto::Signer& card_key);
Json ProofToJson(const Proof& proof);
StatusOr<Proof> ProofFromJson(const Json& json);

// The verifier's side. `issued` is the challenge as the verifier issued it
// (never the holder's copy); `card_cert` the character's current card (PEM
// or DER). Checks, at clock time: the challenge has not expired, its audience
// is `expected_audience`, the card names the challenge's character in its SAN
// and is within its validity, and `signature` verifies under the card key.
// PermissionDenied with field "expires_at", "audience", "certificate" or
// "signature" on a failed check; InvalidArgument for malformed input.
Status VerifyProof(const Challenge& issued, std::string_view signature, std::string_view card_cert,
                   std::string_view expected_audience, const Clock& clock);

}  // namespace vt::x509
