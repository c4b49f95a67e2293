#include "x509/challenge.h"

#include "base/encoding.h"
#include "x509/cert.h"
#include "x509/registry_id.h"

namespace vt::x509 {
namespace {

constexpr size_t kIdBytes = 16;
constexpr size_t kNonceBytes = 32;

Status Bad(std::string field, std::string msg) {
  return InvalidArgumentError("challenge: " + std::move(msg)).WithField(std::move(field));
}

Status Denied(std::string field, std::string msg) {
  return PermissionDeniedError("proof rejected: " + std::move(msg)).WithField(std::move(field));
}

std::string RandomB64(Rng& rng, size_t n) {
  std::string bytes(n, '\0');
  rng.Fill(reinterpret_cast<uint8_t*>(bytes.data()), n);
  return Base64UrlEncode(bytes);
}

Status CheckB64(const std::string& v, size_t n, const char* field) {
  auto raw = Base64UrlDecode(v);
  if (!raw.ok() || raw->size() != n || Base64UrlEncode(*raw) != v) {
    return Bad(field, std::string(field) + " must be base64url of " + std::to_string(n) + " bytes");
  }
  return OkStatus();
}

Status Validate(const Challenge& c) {
  VT_RETURN_IF_ERROR(CheckB64(c.id, kIdBytes, "id"));
  VT_RETURN_IF_ERROR(CheckB64(c.nonce, kNonceBytes, "nonce"));
  if (!IsCanonicalRegistryId(c.character_id)) return Bad("character_id", "bad character id");
  if (c.audience.empty() || c.audience.size() > 256 || !IsValidUtf8(c.audience)) {
    return Bad("audience", "audience must be 1..256 bytes of UTF-8");
  }
  return OkStatus();
}

StatusOr<std::string> StringMember(const Json& json, const char* name) {
  auto it = json.find(name);
  if (it == json.end() || !it->is_string()) return Bad(name, std::string(name) + " missing");
  return it->get<std::string>();
}

}  // namespace

StatusOr<Challenge> NewChallenge(std::string_view character_id, std::string_view audience,
                                 std::chrono::seconds ttl, const Clock& clock, Rng& rng) {
  if (ttl.count() < 1 || ttl > kMaxChallengeTtl) return Bad("ttl", "ttl must be 1..600 s");
  Challenge c;
  c.id = RandomB64(rng, kIdBytes);
  c.character_id = std::string(character_id);
  c.nonce = RandomB64(rng, kNonceBytes);
  c.audience = std::string(audience);
  c.expires_at = std::chrono::time_point_cast<std::chrono::milliseconds>(clock.Now() + ttl);
  VT_RETURN_IF_ERROR(Validate(c));
  return c;
}

Json ChallengeToJson(const Challenge& c) {
  return Json{{"id", c.id},
              {"character_id", c.character_id},
              {"nonce", c.nonce},
              {"audience", c.audience},
              {"expires_at", FormatRfc3339(c.expires_at)}};
}

StatusOr<Challenge> ChallengeFromJson(const Json& json) {
  if (!json.is_object() || json.size() != 5) {
    return Bad("challenge",
               "must be an object with exactly id, character_id, nonce, audience, "
               "expires_at");
  }
  Challenge c;
  VT_ASSIGN_OR_RETURN(c.id, StringMember(json, "id"));
  VT_ASSIGN_OR_RETURN(c.character_id, StringMember(json, "character_id"));
  VT_ASSIGN_OR_RETURN(c.nonce, StringMember(json, "nonce"));
  VT_ASSIGN_OR_RETURN(c.audience, StringMember(json, "audience"));
  VT_ASSIGN_OR_RETURN(std::string expires, StringMember(json, "expires_at"));
  if (!ParseRfc3339(expires, &c.expires_at) || FormatRfc3339(c.expires_at) != expires) {
    return Bad("expires_at", "expires_at must be RFC 3339 UTC with milliseconds");
  }
  VT_RETURN_IF_ERROR(Validate(c));
  return c;
}

StatusOr<std::string> ChallengeSigningInput(const Challenge& c) {
  VT_RETURN_IF_ERROR(Validate(c));
  VT_ASSIGN_OR_RETURN(std::string jcs, Canonicalize(ChallengeToJson(c)));
  return std::string(kChallengeDomain) + jcs;
}

StatusOr<Proof> ProveChallenge(const Challenge& challenge, crypto::Signer& card_key) {
  VT_ASSIGN_OR_RETURN(std::string input, ChallengeSigningInput(challenge));
  VT_ASSIGN_OR_RETURN(std::string sig, card_key.Sign(input));
  return Proof{challenge, std::move(sig)};
}

Json ProofToJson(const Proof& proof) {
  return Json{{"challenge", ChallengeToJson(proof.challenge)},
              {"signature", Base64UrlEncode(proof.signature)}};
}

StatusOr<Proof> ProofFromJson(const Json& json) {
  if (!json.is_object() || json.size() != 2 || !json.contains("challenge")) {
    return Bad("proof", "a proof is {\"challenge\": ..., \"signature\": ...}");
  }
  Proof proof;
  VT_ASSIGN_OR_RETURN(proof.challenge, ChallengeFromJson(json["challenge"]));
  VT_ASSIGN_OR_RETURN(std::string sig, StringMember(json, "signature"));
  auto raw = Base64UrlDecode(sig);
  if (!raw.ok() || raw->empty()) return Bad("signature", "signature must be base64url");
  proof.signature = std::move(*raw);
  return proof;
}

Status VerifyProof(const Challenge& issued, std::string_view signature, std::string_view card_cert,
                   std::string_view expected_audience, const Clock& clock) {
  VT_ASSIGN_OR_RETURN(std::string input, ChallengeSigningInput(issued));
  TimePoint now = clock.Now();
  if (now >= issued.expires_at) return Denied("expires_at", "challenge expired");
  if (issued.audience != expected_audience) return Denied("audience", "wrong audience");
  VT_ASSIGN_OR_RETURN(CertificateInfo card, InspectCertificate(card_cert));
  if (card.character_id != issued.character_id) {
    return Denied("certificate", "the card is not this character's");
  }
  if (now < card.not_before || now > card.not_after) {
    return Denied("certificate", "the card is not valid now");
  }
  VT_ASSIGN_OR_RETURN(crypto::PublicKey key, crypto::PublicKey::FromDer(card.public_key_der));
  if (!key.Verify(input, signature).ok()) {
    return Denied("signature", "signature does not verify under the card key");
  }
  return OkStatus();
}

}  // namespace vt::x509
