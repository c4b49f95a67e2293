// RFC 6962 §2.1 (= RFC 9162 §2.1.1) Merkle tree hashing with SHA-256.
//
// A Hash is a 32-byte SHA-256 value held by value. Leaf and interior node hashes
// are domain-separated by a 0x00 / 0x01 prefix byte. All functions are pure and
// thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace vt::tlog {

inline constexpr size_t kHashSize = 32;
using Hash = std::array<uint8_t, kHashSize>;

// MTH({}) = SHA-256("") (RFC 6962 §2.1), not all zeroes.
Hash EmptyRoot();
// MTH({d}) = SHA-256(0x00 || entry).
Hash LeafHash(std::string_view entry);
// SHA-256(0x01 || left || right).
Hash NodeHash(const Hash& left, const Hash& right);

// The 32 raw bytes as a byte string / view (the view borrows `h`).
std::string HashBytes(const Hash& h);
inline std::string_view HashView(const Hash& h) {
  return std::string_view(reinterpret_cast<const char*>(h.data()), h.size());
}
// Fails with InvalidArgument unless `bytes` is exactly 32 bytes long.
StatusOr<Hash> HashFromBytes(std::string_view bytes);
// Standard padded base64 (RFC 4648 §4), the encoding of checkpoints and proofs.
std::string HashToBase64(const Hash& h);
// Strict base64 that must decode to exactly 32 bytes; InvalidArgument otherwise.
StatusOr<Hash> HashFromBase64(std::string_view b64);
std::string HashToHex(const Hash& h);

// The largest power of two strictly less than n. Precondition: n >= 2.
int64_t SplitPoint(int64_t n);

}  // namespace vt::tlog
