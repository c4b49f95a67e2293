// Byte encodings. Byte strings in vtrust are std::string (as in leveldb and Tink):
// the container owns arbitrary bytes, not necessarily UTF-8.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace vt {

// Lower-case hex.
std::string HexEncode(std::string_view bytes);
// Accepts upper and lower case; fails on odd length or a non-hex character.
StatusOr<std::string> HexDecode(std::string_view hex);

// RFC 4648 §4 standard alphabet with padding.
std::string Base64Encode(std::string_view bytes);
// Strict: requires canonical padding, rejects characters outside the alphabet.
StatusOr<std::string> Base64Decode(std::string_view b64);
// RFC 4648 §5 URL-safe alphabet, no padding.
std::string Base64UrlEncode(std::string_view bytes);
StatusOr<std::string> Base64UrlDecode(std::string_view b64);

// Compares two byte strings in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

}  // namespace vt
