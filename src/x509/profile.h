// Certificate profiles (docs/id-card-profile.md): what each kind of vtrust certificate
// contains. The builder in ca.h follows a Profile; the linter (lint.h) checks
// every certificate against the canonical profile of its ProfileId, so a
// misconfigured or tampered Profile is refused before anything is signed.
// docs/id-card-profile.md describes the profiles in prose.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/key.h"

namespace vt::x509 {

enum class ProfileId {
  kRootCa,
  kIssuingCa,
  kIdCard,
  kMember,
  kOcspSigning,
  kC2paSigning,
  kTimeStamping,
};

// "root-ca", "issuing-ca", "id-card", "member", "ocsp-signing", "c2pa-signing",
// "time-stamping".
std::string_view ProfileName(ProfileId id);

// KeyUsage bits, numbered as in RFC 5280 §4.2.1.3.
enum KeyUsageBit : uint32_t {
  kKuDigitalSignature = 1u << 0,
  kKuNonRepudiation = 1u << 1,  // contentCommitment
  kKuKeyEncipherment = 1u << 2,
  kKuDataEncipherment = 1u << 3,
  kKuKeyAgreement = 1u << 4,
  kKuKeyCertSign = 1u << 5,
  kKuCrlSign = 1u << 6,
  kKuEncipherOnly = 1u << 7,
  kKuDecipherOnly = 1u << 8,
};

// Extended key usage OIDs used by the profiles.
inline constexpr std::string_view kEkuClientAuth = "1.3.6.1.5.5.7.3.2";
inline constexpr std::string_view kEkuEmailProtection = "1.3.6.1.5.5.7.3.4";
inline constexpr std::string_view kEkuTimeStamping = "1.3.6.1.5.5.7.3.8";
inline constexpr std::string_view kEkuOcspSigning = "1.3.6.1.5.5.7.3.9";
inline constexpr std::string_view kEkuDocumentSigning = "1.3.6.1.5.5.7.3.36";  // RFC 9336
inline constexpr std::string_view kEkuC2paClaimSigning = "1.3.6.1.4.1.62558.2.1";
inline constexpr std::string_view kEkuAny = "2.5.29.37.0";

struct Profile {
  ProfileId id = ProfileId::kIdCard;
  bool is_ca = false;
  std::optional<int> path_len;    // CAs only; nullopt = unlimited
  uint32_t key_usage = 0;         // exact set, KeyUsage is always critical
  std::vector<std::string> ekus;  // exact set (dotted OIDs); empty = no EKU
  bool eku_critical = false;      // RFC 3161 §2.3: critical for time-stamping
  std::chrono::seconds default_lifetime{0};
  std::chrono::seconds max_lifetime{0};
  std::vector<crypto::KeyAlg> key_algs;  // subject key algorithms allowed
  bool requires_org = false;             // subject O present
  bool revocable = false;                // AIA (OCSP + caIssuers) and CRL DP required
  bool character = false;                // SAN urn:vtrust:char: + the ID-card extension
  bool ocsp_nocheck = false;             // id-pkix-ocsp-nocheck present
};

// The canonical profile. Never fails; the reference lives for the program.
const Profile& GetProfile(ProfileId id);

// How long before "now" notBefore is set, to tolerate verifiers' clock skew.
inline constexpr std::chrono::seconds kBackdate{3600};

}  // namespace vt::x509
