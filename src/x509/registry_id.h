// Character registry IDs (docs/id-card-profile.md): "VC-dddd-dddd-dddd-dddC".
//
// Fifteen random decimal digits and one check character computed with
// ISO/IEC 7064 MOD 11-2 (the pure system ISNI and ORCID use: the check is a
// digit or 'X'). Digits read aloud in every language and type on any keypad;
// the check character detects every single-character substitution and every
// transposition of two adjacent characters. The URN form is
// "urn:vtrust:char:VC-dddd-dddd-dddd-dddC" (canonical ID, upper case).
// docs/id-card-profile.md documents the scheme.
#pragma once

#include <string>
#include <string_view>

#include "base/rng.h"
#include "base/status.h"

namespace vt::x509 {

inline constexpr std::string_view kRegistryIdPrefix = "VC";
inline constexpr std::string_view kCharacterUrnPrefix = "urn:vtrust:char:";
// Number of random digits (the check character comes on top).
inline constexpr int kRegistryIdDigits = 15;

// The ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') of a string of
// decimal digits. Precondition: `digits` is non-empty and all '0'..'9'.
char Mod11_2CheckChar(std::string_view digits);

// A fresh canonical ID with digits drawn uniformly from `rng`. Thread-safe if
// `rng` is. Uniqueness is the registry's job (retry on a collision).
std::string GenerateRegistryId(Rng& rng);

// Accepts what people type: any case, with or without the hyphens, spaces
// between groups. Returns the canonical form "VC-dddd-dddd-dddd-dddC".
// InvalidArgument (field "registry_id") on a wrong prefix, length, character
// or check character.
StatusOr<std::string> NormalizeRegistryId(std::string_view text);

// True only for the canonical form with a correct check character.
bool IsCanonicalRegistryId(std::string_view id);

// "urn:vtrust:char:" + id. Precondition: IsCanonicalRegistryId(id).
std::string CharacterUrn(std::string_view id);
// The canonical ID inside a URN. The "urn:vtrust:char:" prefix is matched
// case-insensitively (RFC 8141 §3.1); the ID part must be canonical.
StatusOr<std::string> ParseCharacterUrn(std::string_view urn);

}  // namespace vt::x509
