#include "tlog/hash.h"

#include <cstring>

#include "base/encoding.h"
#include "crypto/digest.h"

namespace vt::tlog {
namespace {

Hash FromDigest(const std::string& d) {
  Hash h;
  std::memcpy(h.data(), d.data(), kHashSize);
  return h;
}

}  // namespace

Hash EmptyRoot() {
  static const Hash kEmpty = FromDigest(crypto::Sha256(""));
  return kEmpty;
}

Hash LeafHash(std::string_view entry) {
  if (entry.size() < 512) {  // the common case: no hasher allocation
    char buf[513];
    buf[0] = 0x00;
    std::memcpy(buf + 1, entry.data(), entry.size());
    return FromDigest(crypto::Sha256(std::string_view(buf, entry.size() + 1)));
  }
  crypto::Hasher hasher(crypto::HashAlg::kSha256);
  hasher.Update(std::string_view("\x00", 1));
  hasher.Update(entry);
  return FromDigest(hasher.Final());
}

Hash NodeHash(const Hash& left, const Hash& right) {
  char buf[1 + 2 * kHashSize];
  buf[0] = 0x01;
  std::memcpy(buf + 1, left.data(), kHashSize);
  std::memcpy(buf + 1 + kHashSize, right.data(), kHashSize);
  return FromDigest(crypto::Sha256(std::string_view(buf, sizeof(buf))));
}

std::string HashBytes(const Hash& h) { return std::string(HashView(h)); }

StatusOr<Hash> HashFromBytes(std::string_view bytes) {
  if (bytes.size() != kHashSize) {
    return InvalidArgumentError("hash must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  Hash h;
  std::memcpy(h.data(), bytes.data(), kHashSize);
  return h;
}

std::string HashToBase64(const Hash& h) { return Base64Encode(HashView(h)); }

StatusOr<Hash> HashFromBase64(std::string_view b64) {
  VT_ASSIGN_OR_RETURN(std::string raw, Base64Decode(b64));
  return HashFromBytes(raw);
}

std::string HashToHex(const Hash& h) { return HexEncode(HashView(h)); }

int64_t SplitPoint(int64_t n) {
  int64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

}  // namespace vt::tlog
