// Identifier and content-digest checks for the works registry (SPEC: works,
// rights and settlement). Pure functions: no I/O, thread-safe.
//
// Each Normalize* function accepts the usual printed forms of an identifier,
// verifies its syntax (and check character where the scheme has one) and returns
// the canonical form that is stored and logged. On failure it returns
// InvalidArgument naming `field`.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace vt::domain {

// ISRC (ISO 3901): CC-XXX-YY-NNNNN — country code (2 letters), registrant (3
// letters or digits), year (2 digits), designation (5 digits); 12 characters once
// the optional hyphens are removed. Canonical form: the 12 characters, upper case.
StatusOr<std::string> NormalizeIsrc(std::string_view s, const std::string& field);

// ISWC (ISO 15707) check digit of the nine work digits d1..d9:
// sum = 1 + Σ i·d_i (i = 1..9); check = (10 − sum mod 10) mod 10.
// `nine_digits` must be exactly nine ASCII digits (else -1).
int IswcCheckDigit(std::string_view nine_digits);

// ISWC: "T-DDD.DDD.DDD-C" or "T" followed by ten digits; the last digit must be
// the check digit. Canonical form: "T-DDD.DDD.DDD-C".
StatusOr<std::string> NormalizeIswc(std::string_view s, const std::string& field);

// ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') of a string of digits
// (used by ISNI and ORCID). Returns '\0' if `digits` holds a non-digit.
char Mod11_2CheckChar(std::string_view digits);

// ISNI (ISO 27729): 15 digits and a MOD 11-2 check character, 16 characters once
// spaces and hyphens are removed. Canonical form: the 16 characters ('X' upper case).
StatusOr<std::string> NormalizeIsni(std::string_view s, const std::string& field);

// Identifiers without a published check algorithm (DCI, digital-human codes):
// 1..64 printable ASCII characters without spaces.
StatusOr<std::string> NormalizeOpaqueId(std::string_view s, const std::string& field);

// A SHA-256 or SM3 digest given as 64 hex digits (either case). Canonical form:
// lower-case hex.
StatusOr<std::string> NormalizeDigestHex(std::string_view s, const std::string& field);

}  // namespace vt::domain
