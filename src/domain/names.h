// Names as people read them: characters that make a name display differently
// from what it is, and names that mix scripts (docs/api.md "Names").
//
// Every name that enters vtrust (organizations, members, characters and their
// localized names and creators, work titles) goes through IsValidName (ids.h),
// which refuses:
//   - bidirectional formatting characters (Unicode UAX #9 "explicit directional
//     formatting characters" and the implicit marks): U+061C, U+200E, U+200F,
//     U+202A..U+202E, U+2066..U+2069, which reorder what a subject line or a page
//     shows ("CN=Char\u202eAgnol\u202c");
//   - zero-width and invisible characters: U+200B..U+200D, U+2060..U+2064, U+FEFF,
//     U+180E, which make two names that look the same compare different.
//
// Mixed scripts are not refused but flagged for review (Unicode TR 39 section 5.1
// "Mixed-Script Detection", at the "Highly Restrictive" level): a name may use one
// script, or Latin + Han + Hiragana + Katakana, Latin + Han + Bopomofo, or Latin +
// Han + Hangul, with Common and Inherited characters (digits, punctuation,
// combining marks) anywhere. Scripts are classified by code-point blocks (a
// simplification of the Unicode Script property); characters of blocks not
// classified count as Common.
#pragma once

#include <string>
#include <string_view>

namespace vt::domain {

// The first bidirectional formatting or zero-width character of `utf8` (see
// above), or 0 if none. `utf8` must be valid UTF-8.
char32_t FirstHiddenCharacter(std::string_view utf8);

// Why `name` is not a valid name of at most `max_len` characters, as a phrase
// for an error message ("contains the bidirectional formatting character
// U+202E"), or "" if it is valid (IsValidName).
std::string NameProblem(std::string_view name, size_t max_len = 200);

// The review flag of a valid name: "mixed_script" if it mixes scripts beyond
// TR 39's Highly Restrictive level, else "".
std::string_view NameReview(std::string_view name);

}  // namespace vt::domain
