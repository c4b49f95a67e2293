// Message authentication codes: HMAC-SHA256 (RFC 2104, FIPS 198-1).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace vt::crypto {

// HMAC-SHA256 of `message` under `key` (any length; keys longer than the
// 64-byte block are hashed first, RFC 2104 §2): the raw 32-byte tag.
// Internal error only if OpenSSL fails (allocation, or a key over INT_MAX
// bytes). Thread-safe.
StatusOr<std::string> HmacSha256(std::string_view key, std::string_view message);

}  // namespace vt::crypto
