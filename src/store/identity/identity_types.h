// Closed sets of the identity tables (migration 5) and their stored names.
// Conversions happen only in the repositories and at the JSON edge.
#pragma once

#include <optional>
#include <string_view>

namespace vt::store {

// characters.status
enum class CharacterStatus { kActive, kRetired };
// certificates.status (RFC 5280 revocation; "on hold" is not used)
enum class CertStatus { kGood, kRevoked };
// certificates.profile
enum class CertProfile { kIdCard, kMember, kOcsp, kC2pa, kTsa };
// The kind part of cas.id and cas.kind.
enum class CaKind { kRoot, kIssuing, kOcsp };

// Stored names: "active" | "retired".
std::string_view CharacterStatusName(CharacterStatus s);
std::optional<CharacterStatus> ParseCharacterStatus(std::string_view name);
// Stored names: "good" | "revoked".
std::string_view CertStatusName(CertStatus s);
std::optional<CertStatus> ParseCertStatus(std::string_view name);
// Stored names: "id-card" | "member" | "ocsp" | "c2pa".
std::string_view CertProfileName(CertProfile p);
std::optional<CertProfile> ParseCertProfile(std::string_view name);
// Stored names: "root" | "issuing" | "ocsp".
std::string_view CaKindName(CaKind k);
std::optional<CaKind> ParseCaKind(std::string_view name);

}  // namespace vt::store
