#include "app/core/token_cache.h"

#include <algorithm>

#include "base/encoding.h"

namespace vt::app {

TokenCache::TokenCache(std::chrono::milliseconds ttl, size_t capacity)
    : ttl_(std::min(ttl, kMaxTtl)), capacity_(capacity) {}

uint64_t TokenCache::generation() const {
  std::lock_guard<std::mutex> lock(mu_);
  return generation_;
}

std::optional<Principal> TokenCache::Get(const std::string& id, const std::string& secret_hash,
                                         const std::string& now_rfc3339) const {
  if (ttl_.count() <= 0) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  const Entry& e = it->second;
  if (Clock::now() - e.cached_at >= ttl_) return std::nullopt;
  if (!ConstantTimeEquals(e.secret_hash, secret_hash)) return std::nullopt;
  if (e.expires_at && *e.expires_at <= now_rfc3339) return std::nullopt;
  return e.principal;
}

void TokenCache::Put(const std::string& id, const std::string& secret_hash,
                     const Principal& principal, std::optional<std::string> expires_at,
                     uint64_t generation) {
  if (ttl_.count() <= 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (generation != generation_) return;  // an invalidation raced with the store read
  if (entries_.size() >= capacity_) entries_.clear();
  entries_[id] = Entry{secret_hash, principal, std::move(expires_at), Clock::now()};
}

void TokenCache::Erase(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++generation_;
  entries_.erase(id);
}

void TokenCache::EraseMember(const std::string& member_id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++generation_;
  std::erase_if(entries_,
                [&](const auto& kv) { return kv.second.principal.member_id == member_id; });
}

}  // namespace vt::app
