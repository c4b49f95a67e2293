// Identifiers and secrets.
#pragma once

#include <string>
#include <string_view>

#include "base/rng.h"

namespace vt::domain {

// "<prefix>_" + 20 characters of lower-case Crockford base32 (100 random bits),
// e.g. "org_5k2m9x0r1q7z3c4v8b6n".
std::string NewId(std::string_view prefix, Rng& rng);

// True if `name` is 1..max_len characters of valid UTF-8 without control
// characters and without leading or trailing spaces.
bool IsValidName(std::string_view name, size_t max_len = 200);

}  // namespace vt::domain
