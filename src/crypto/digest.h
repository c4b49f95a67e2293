// Message digests: SHA-256 and SM3 (GB/T 32905), one-shot and streaming.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace vt::crypto {

enum class HashAlg { kSha256, kSm3 };

// 32-byte digests. Never fail (the algorithms are built into OpenSSL 3).
std::string Sha256(std::string_view data);
std::string Sm3(std::string_view data);
std::string Digest(HashAlg alg, std::string_view data);

// Incremental hashing. Not thread-safe; one object per stream.
class Hasher {
 public:
  explicit Hasher(HashAlg alg);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  void Update(std::string_view data);
  // Returns the digest; the hasher is reset and may be reused.
  std::string Final();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  HashAlg alg_;
};

struct FileDigests {
  std::string sha256;  // raw 32 bytes
  std::string sm3;     // raw 32 bytes
  uint64_t size = 0;
};

// Reads `path` once, in fixed-size chunks (constant memory), computing both digests.
// Fails with NotFound or Internal (with the OS error) if the file cannot be read.
StatusOr<FileDigests> DigestFile(const std::string& path);

}  // namespace vt::crypto
