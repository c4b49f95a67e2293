// "I am me": stateless challenges, the replay set and signed verdicts.
#include "app/identity/challenges.h"

#include "app/core/secrets.h"
#include "base/encoding.h"
#include "base/jcs.h"
#include "crypto/digest.h"
#include "crypto/mac.h"
#include "store/identity/challenge_repo.h"
#include "store/identity/identity_repo.h"
#include "x509/cert.h"
#include "x509/registry_id.h"

namespace vt::app {
namespace {

constexpr size_t kHalf = 16;  // nonce = 16 random bytes || 16 bytes of MAC
constexpr const char* kMacDomain = "vtrust-challenge-mac/v1\n";
TimePoint ParseTime(const std::string& s) {
  TimePoint t{};
  if (!s.empty()) ParseRfc3339(s, &t);
  return t;
}

StatusOr<CardRow> CardFromRow(const store::CertRow& r) {
  CardRow c;
  c.serial = r.serial;
  auto alg = crypto::ParseKeyAlg(r.alg);
  if (!alg.ok())
    return InternalError("stored algorithm of certificate " + r.serial + " is corrupt");
  c.alg = *alg;
  c.character_id = r.character_id.value_or("");
  c.org_id = r.org_id;
  c.cert_der = r.cert_der;
  c.not_before = ParseTime(r.not_before);
  c.not_after = ParseTime(r.not_after);
  c.status = r.status;
  c.revocation_reason = r.revocation_reason;
  c.superseded_by = r.superseded_by;
  c.key_ref = r.key_ref;
  c.created_at = r.created_at;
  return c;
}

// Signatures arrive as base64url (x509::ProofToJson) or standard base64.
StatusOr<std::string> DecodeSignature(const std::string& s) {
  auto raw = Base64UrlDecode(s);
  if (!raw.ok()) raw = Base64Decode(s);
  if (!raw.ok() || raw->empty() || raw->size() > 512) {
    return InvalidArgumentError("signature must be base64url or base64 of a signature")
        .WithField("signature");
  }
  return std::move(*raw);
}

}  // namespace

StatusOr<std::vector<CardRow>> ListCards(store::IdentityReader& repo,
                                         const std::string& character_id) {
  VT_ASSIGN_OR_RETURN(auto rows,
                      repo.ListIdCards(character_id, store::SerialTieBreak::kDescending));
  std::vector<CardRow> out;
  for (const auto& r : rows) {
    VT_ASSIGN_OR_RETURN(CardRow c, CardFromRow(r));
    out.push_back(std::move(c));
  }
  return out;
}

std::string WhyNotCurrent(const CardRow& card, TimePoint now) {
  if (card.status != CertStatus::kGood) {
    return "card " + card.serial + " is revoked" +
           (card.revocation_reason ? " (" + *card.revocation_reason + ")" : "");
  }
  if (card.superseded_by) return "card " + card.serial + " is superseded by " + *card.superseded_by;
  if (now >= card.not_after) return "card " + card.serial + " has expired";
  if (now < card.not_before) return "card " + card.serial + " is not valid yet";
  return "";
}

std::optional<CardRow> CurrentCard(const std::vector<CardRow>& newest_first, TimePoint now) {
  for (const auto& c : newest_first) {
    if (c.status == CertStatus::kGood && !c.superseded_by && now < c.not_after) return c;
  }
  return std::nullopt;
}

StatusOr<std::unique_ptr<ChallengeService>> ChallengeService::Open(Service& svc, Rng& rng,
                                                                   int64_t client_quota) {
  VT_ASSIGN_OR_RETURN(Secrets secrets, Secrets::Open(svc.config()));
  // The MAC key: SHA-256 over a sealed Ed25519 key's PKCS#8 (a persistent 256-bit
  // secret kept like every other key in the data directory).
  VT_ASSIGN_OR_RETURN(auto mac_seed,
                      secrets.LoadOrCreate("challenge-mac", crypto::KeyAlg::kEd25519));
  VT_ASSIGN_OR_RETURN(std::string der, mac_seed.ToDer());
  std::string mac_key = crypto::Sha256("vtrust-challenge-mac-key/v1\n" + der);
  VT_ASSIGN_OR_RETURN(auto vkey, secrets.LoadOrCreate("verdict", crypto::KeyAlg::kEd25519));
  std::shared_ptr<crypto::Signer> signer = crypto::MakeSoftwareSigner(
      std::move(vkey), "file:" + svc.config().data_dir + "/secrets/verdict.key");
  return std::unique_ptr<ChallengeService>(
      new ChallengeService(svc, rng, std::move(mac_key), std::move(signer),
                           client_quota > 0 ? client_quota : kDefaultChallengeClientQuota));
}

StatusOr<std::string> ChallengeService::Mac(const x509::Challenge& c,
                                            std::string_view random_half) const {
  Json j{{"audience", c.audience},
         {"character_id", c.character_id},
         {"expires_at", FormatRfc3339(c.expires_at)},
         {"id", c.id},
         {"nonce_random", Base64UrlEncode(random_half)}};
  VT_ASSIGN_OR_RETURN(std::string jcs, Canonicalize(j));
  std::string input = kMacDomain + jcs;
  VT_ASSIGN_OR_RETURN(std::string tag, crypto::HmacSha256(mac_key_, input));
  return tag.substr(0, kHalf);
}

bool ChallengeService::Authentic(const x509::Challenge& c) const {
  auto nonce = Base64UrlDecode(c.nonce);
  if (!nonce.ok() || nonce->size() != 2 * kHalf) return false;
  auto mac = Mac(c, std::string_view(*nonce).substr(0, kHalf));
  return mac.ok() && ConstantTimeEquals(*mac, std::string_view(*nonce).substr(kHalf));
}

StatusOr<x509::Challenge> ChallengeService::Create(const std::string& character_id,
                                                   const std::string& audience,
                                                   std::chrono::seconds ttl) {
  auto id = x509::NormalizeRegistryId(character_id);
  if (!id.ok()) return NotFoundError("character " + character_id + " not found");
  VT_ASSIGN_OR_RETURN(CharacterStatus status, svc_.Read<CharacterStatus>([&](store::Conn& c) {
    return store::NewSqlIdentityRepo(c)->GetCharacterStatus(*id);
  }));
  if (status != CharacterStatus::kActive)
    return FailedPreconditionError("character " + *id + " is retired");
  VT_ASSIGN_OR_RETURN(x509::Challenge c,
                      x509::NewChallenge(*id, audience, ttl, svc_.clock(), rng_));
  std::string random(kHalf, '\0');
  rng_.Fill(reinterpret_cast<uint8_t*>(random.data()), kHalf);
  VT_ASSIGN_OR_RETURN(std::string mac, Mac(c, random));
  c.nonce = Base64UrlEncode(random + mac);
  return c;
}

StatusOr<bool> ChallengeService::MarkUsed(const std::string& id, const std::string& client,
                                          TimePoint expires_at, TimePoint now) {
  auto ms = [](TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  };
  const std::string who = client.empty() ? "local" : client;
  store::ChallengeUse use = store::ChallengeUse::kFresh;
  VT_RETURN_IF_ERROR(svc_.Write([&](WriteContext& ctx) -> Status {
                           VT_ASSIGN_OR_RETURN(use, store::NewSqlUsedChallengeRepo(ctx.conn())
                                                        ->MarkUsed(id, who, ms(expires_at), ms(now),
                                                                   client_quota_));
                           return OkStatus();
                         })
                         .status());
  if (use == store::ChallengeUse::kClientQuota) {
    return ResourceExhaustedError("client " + who + " has " + std::to_string(client_quota_) +
                                  " unexpired challenges verified already; retry when some "
                                  "expire (at most " +
                                  std::to_string(x509::kMaxChallengeTtl.count()) + " s)");
  }
  return use == store::ChallengeUse::kFresh;
}

size_t ChallengeService::used_count() {
  auto n =
      svc_.Read<int64_t>([](store::Conn& c) { return store::NewSqlUsedChallengeRepo(c)->Count(); });
  return n.ok() ? static_cast<size_t>(*n) : 0;
}

StatusOr<SignedVerdict> ChallengeService::Sign(x509::Verdict v) {
  VT_ASSIGN_OR_RETURN(std::string json, x509::SignVerdict(v, *verdict_signer_));
  return SignedVerdict{std::move(v), std::move(json)};
}

StatusOr<SignedVerdict> ChallengeService::Verify(const VerifyInput& in) {
  VT_ASSIGN_OR_RETURN(x509::Challenge c, x509::ChallengeFromJson(in.challenge));
  if (c.id != in.path_id) {
    return InvalidArgumentError("the challenge's id is not the one in the path").WithField("id");
  }
  VT_ASSIGN_OR_RETURN(std::string signature, DecodeSignature(in.signature));
  TimePoint now = std::chrono::time_point_cast<std::chrono::milliseconds>(svc_.clock().Now());
  x509::Verdict v{false, "", c.id, c.character_id, c.audience, "", now};
  if (!Authentic(c)) {
    v.reason = "the challenge was not issued by this server (or was altered)";
  } else if (now >= c.expires_at) {
    v.reason = "the challenge has expired";
  } else {
    VT_ASSIGN_OR_RETURN(bool fresh, MarkUsed(c.id, in.client, c.expires_at, now));
    if (!fresh) {
      v.reason = "the challenge was used already (replay)";
    } else {
      VT_ASSIGN_OR_RETURN(v, Judge(c, in, now, signature));
    }
  }
  return Sign(std::move(v));
}

StatusOr<x509::Verdict> ChallengeService::Judge(const x509::Challenge& c, const VerifyInput& in,
                                                TimePoint now, std::string_view signature) {
  x509::Verdict v{false, "", c.id, c.character_id, c.audience, "", now};
  if (in.audience && *in.audience != c.audience) {
    v.reason = "wrong audience: the challenge was issued for another audience";
    return v;
  }
  VT_ASSIGN_OR_RETURN(auto cards, svc_.Read<std::vector<CardRow>>([&](store::Conn& conn) {
    return ListCards(*store::NewSqlIdentityRepo(conn), c.character_id);
  }));
  std::optional<CardRow> card = CurrentCard(cards, now);
  if (in.certificate) {
    // The holder named a card: it must be a card of this character, and current.
    auto info = x509::InspectCertificate(*in.certificate);
    if (!info.ok())
      return InvalidArgumentError("certificate does not parse").WithField("certificate");
    const CardRow* named = nullptr;
    for (const auto& row : cards)
      if (row.serial == info->serial_hex) named = &row;
    if (named == nullptr ||
        x509::InspectCertificate(named->cert_der)->public_key_der != info->public_key_der) {
      v.card_serial = info->serial_hex;
      v.reason = "the certificate is not a card of this character issued here";
      return v;
    }
    v.card_serial = named->serial;
    std::string why = WhyNotCurrent(*named, now);
    if (why.empty() && card && card->serial != named->serial)
      why = "card " + named->serial + " is not the current card (" + card->serial + " is)";
    if (!why.empty()) {
      v.reason = why;
      return v;
    }
    card = *named;
  }
  if (!card) {
    v.reason = cards.empty() ? "the character has no card"
                             : "the character has no current card: " + WhyNotCurrent(cards[0], now);
    return v;
  }
  v.card_serial = card->serial;
  Status s = x509::VerifyProof(c, signature, card->cert_der, c.audience, svc_.clock());
  if (!s.ok()) {
    if (s.code() != StatusCode::kPermissionDenied) return s;
    v.reason = s.message();
    return v;
  }
  v.valid = true;
  return v;
}

}  // namespace vt::app
