// A short-lived cache of verified API tokens, so that an authenticated request does
// not need its own database read transaction for the token (which costs more than
// the rest of a typical read route; see bench/http_bench.sh).
//
// An entry maps a token id to the SHA-256 hash of its verified secret and the
// resulting principal. It is used only if the presented secret hashes to the same
// value (compared in constant time), the token has not expired by the service's
// clock, and the entry is younger than the TTL (at most one second), so a
// revocation made elsewhere (another server on the same PostgreSQL database, or the
// CLI's local mode) takes effect within the TTL. This server's own revocations and
// member removals invalidate at once (Erase, EraseMember); a generation counter
// keeps a lookup that raced with an invalidation from re-inserting stale data.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "app/core/domain_names.h"

namespace vt::app {

class TokenCache {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kMaxTtl{1000};

  // `ttl` is clamped to kMaxTtl; zero disables the cache. `capacity` bounds the
  // number of entries (the cache is emptied when it is full).
  explicit TokenCache(std::chrono::milliseconds ttl = kMaxTtl, size_t capacity = 10000);

  // The current generation: pass it to Put() after reading the token from the store.
  uint64_t generation() const;
  // The cached principal of token `id` if `secret_hash` matches, the entry is fresh
  // and `now_rfc3339` is before the token's expiry (RFC 3339 strings compare in
  // time order: the store writes them in one fixed format).
  std::optional<Principal> Get(const std::string& id, const std::string& secret_hash,
                               const std::string& now_rfc3339) const;
  // Caches a token verified against the store. Ignored if an invalidation happened
  // since `generation` was read.
  void Put(const std::string& id, const std::string& secret_hash, const Principal& principal,
           std::optional<std::string> expires_at, uint64_t generation);
  // Forgets one token / every token of a member.
  void Erase(const std::string& id);
  void EraseMember(const std::string& member_id);

 private:
  struct Entry {
    std::string secret_hash;
    Principal principal;
    std::optional<std::string> expires_at;
    Clock::time_point cached_at;
  };
  const std::chrono::milliseconds ttl_;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  uint64_t generation_ = 0;                         // guarded by mu_
};

}  // namespace vt::app
