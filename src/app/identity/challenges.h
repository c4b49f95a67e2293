// "I am me" on the server side (docs/id-card-profile.md; docs/i-am-me.md):
// stateless challenges, single use, and signed verdicts.
//
// Challenges are stateless: the server stores nothing when it issues one. The
// 32-byte nonce is 16 random bytes followed by the first 16 bytes of
//   HMAC-SHA256(K, "vtrust-challenge-mac/v1\n" || JCS({audience, character_id,
//               expires_at, id, nonce_random}))
// where K is derived from a key sealed in the data directory (secrets/
// challenge-mac.key). Verification takes the challenge back from the caller,
// recomputes the MAC and so knows it issued exactly this challenge, with this
// audience, character and expiry. Single use is enforced by the replay set in
// the database (store/identity/challenge_repo.h, migration 9): the ids that
// reached verification, each kept until its expiry, shared by every server
// process on the database and kept across restarts. Each client (source
// address, or its /64 for IPv6) may hold at most `client_quota` unexpired ids:
// a client past its quota is refused (ResourceExhausted) without affecting
// anyone else.
//
// Verdicts are signed by the operator's verdict key, an Ed25519 key sealed in
// the data directory (secrets/verdict.key), whose public half is served at
// GET /v1/verdict-key so anyone can check a verdict offline.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/access/service.h"
#include "base/clock.h"
#include "crypto/key.h"
#include "crypto/signer.h"
#include "store/identity/identity_repo.h"
#include "x509/challenge.h"
#include "x509/verdict.h"

namespace vt::app {

using store::CertStatus;       // kGood | kRevoked
using store::CharacterStatus;  // kActive | kRetired

inline constexpr std::chrono::seconds kDefaultChallengeTtl{120};
// How many unexpired used challenges one client may hold (docs/i-am-me.md): the
// HTTP front's token bucket (2/s, burst 20) lets one address verify at most
// 20 + 2 * 600 challenges within the longest challenge lifetime.
inline constexpr int64_t kDefaultChallengeClientQuota = 1000;

// An issued ID card (a certificate row with profile id-card).
struct CardRow {
  std::string serial;
  crypto::KeyAlg alg = crypto::KeyAlg::kP256;
  std::string character_id;
  std::string org_id;
  std::string cert_der;  // empty while reserved
  TimePoint not_before{}, not_after{};
  CertStatus status = CertStatus::kGood;
  std::optional<std::string> revocation_reason;
  std::optional<std::string> superseded_by;
  std::optional<std::string> key_ref;
  std::string created_at;
};

// Every issued ID card of `character_id`, newest first (reserved rows without a
// certificate are skipped).
StatusOr<std::vector<CardRow>> ListCards(store::IdentityReader& repo,
                                         const std::string& character_id);
// The character's current card as defined in docs/i-am-me.md: the newest
// id-card row that is good, not superseded and not expired at `now`; nullopt if
// there is none.
std::optional<CardRow> CurrentCard(const std::vector<CardRow>& newest_first, TimePoint now);
// Why `card` is not current (a verdict reason), or "" if it is.
std::string WhyNotCurrent(const CardRow& card, TimePoint now);

// The result of a verification: the verdict and its signed JSON text.
struct SignedVerdict {
  x509::Verdict verdict;
  std::string json;  // canonical JSON, signed by the verdict key
};

class ChallengeService {
 public:
  // Loads (or creates on first use) the MAC and verdict keys in the data
  // directory of `svc`. `svc` and `rng` must outlive this object.
  // `client_quota` <= 0 means kDefaultChallengeClientQuota.
  static StatusOr<std::unique_ptr<ChallengeService>> Open(Service& svc, Rng& rng,
                                                          int64_t client_quota = 0);

  // A fresh challenge for an existing, active character (the ID in any typed
  // form). Anyone may ask (a verifier needs no account). NotFound if there is no
  // such character; FailedPrecondition if it is retired; InvalidArgument for a
  // bad audience or ttl (1..600 s).
  StatusOr<x509::Challenge> Create(const std::string& character_id, const std::string& audience,
                                   std::chrono::seconds ttl);

  struct VerifyInput {
    std::string path_id;                     // the {id} of POST /v1/challenges/{id}/verify
    Json challenge;                          // the challenge as issued (ChallengeToJson form)
    std::string signature;                   // base64url or base64 of the card key's signature
    std::optional<std::string> certificate;  // PEM/DER of the card used; default current
    std::optional<std::string> audience;     // what the verifier expects; default: as issued
    std::string client;  // who sends it (api::ClientKey of the address); "" = "local"
  };
  // Checks a proof and returns a signed verdict, valid or invalid (the reason
  // says which check failed: not issued here, expired, replayed, audience,
  // no current card, card revoked/superseded/expired, signature). Errors only
  // for malformed input (InvalidArgument naming the field), a client past its
  // quota of unexpired used challenges (ResourceExhausted; nothing recorded)
  // or storage failures.
  StatusOr<SignedVerdict> Verify(const VerifyInput& in);

  // The verdict key's public half (Ed25519).
  const crypto::PublicKey& verdict_key() const { return verdict_signer_->public_key(); }
  // Test hook: how many challenge ids are remembered as used (expired rows
  // included until the next verification).
  size_t used_count();

 private:
  ChallengeService(Service& svc, Rng& rng, std::string mac_key,
                   std::shared_ptr<crypto::Signer> verdict_signer, int64_t client_quota)
      : svc_(svc),
        rng_(rng),
        mac_key_(std::move(mac_key)),
        verdict_signer_(std::move(verdict_signer)),
        client_quota_(client_quota) {}
  StatusOr<std::string> Mac(const x509::Challenge& c, std::string_view random_half) const;
  bool Authentic(const x509::Challenge& c) const;
  // Records `id` as used by `client`; false if it was used already.
  // ResourceExhausted if `client` holds its quota of unexpired ids.
  StatusOr<bool> MarkUsed(const std::string& id, const std::string& client, TimePoint expires_at,
                          TimePoint now);
  // The verdict's checks after the challenge itself was found authentic and unused.
  StatusOr<x509::Verdict> Judge(const x509::Challenge& c, const VerifyInput& in, TimePoint now,
                                std::string_view signature);
  StatusOr<SignedVerdict> Sign(x509::Verdict v);

  Service& svc_;
  Rng& rng_;
  std::string mac_key_;
  std::shared_ptr<crypto::Signer> verdict_signer_;
  int64_t client_quota_;
};

}  // namespace vt::app
