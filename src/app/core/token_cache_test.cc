#include "app/core/token_cache.h"

#include <gtest/gtest.h>

namespace vt::app {
namespace {

Principal Alice() { return Principal{"org_a", "mem_alice", "tok_1", Role::kMember, false}; }
constexpr const char* kNow = "2026-01-01T00:00:00.000Z";

TEST(TokenCacheTest, HitOnlyWithTheSameSecretHash) {
  TokenCache cache;
  EXPECT_FALSE(cache.Get("tok_1", "hash", kNow));
  cache.Put("tok_1", "hash", Alice(), std::nullopt, cache.generation());
  auto hit = cache.Get("tok_1", "hash", kNow);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->member_id, "mem_alice");
  EXPECT_EQ(hit->role, Role::kMember);
  EXPECT_FALSE(cache.Get("tok_1", "hasH", kNow));  // wrong secret
  EXPECT_FALSE(cache.Get("tok_2", "hash", kNow));  // other token
}

TEST(TokenCacheTest, ExpiredTokensMiss) {
  TokenCache cache;
  cache.Put("tok_1", "hash", Alice(), "2026-01-01T00:00:01.000Z", cache.generation());
  EXPECT_TRUE(cache.Get("tok_1", "hash", kNow));
  EXPECT_FALSE(cache.Get("tok_1", "hash", "2026-01-01T00:00:01.000Z"));
  EXPECT_FALSE(cache.Get("tok_1", "hash", "2026-01-01T00:00:02.000Z"));
}

TEST(TokenCacheTest, EraseAndEraseMemberInvalidate) {
  TokenCache cache;
  Principal bob{"org_a", "mem_bob", "tok_2", Role::kAdmin, false};
  cache.Put("tok_1", "h1", Alice(), std::nullopt, cache.generation());
  cache.Put("tok_2", "h2", bob, std::nullopt, cache.generation());
  cache.Erase("tok_1");
  EXPECT_FALSE(cache.Get("tok_1", "h1", kNow));
  EXPECT_TRUE(cache.Get("tok_2", "h2", kNow));
  cache.EraseMember("mem_bob");
  EXPECT_FALSE(cache.Get("tok_2", "h2", kNow));
}

TEST(TokenCacheTest, PutRacingAnInvalidationIsDropped) {
  TokenCache cache;
  uint64_t before_read = cache.generation();
  cache.Erase("tok_1");  // e.g. a revocation committed while the store was read
  cache.Put("tok_1", "hash", Alice(), std::nullopt, before_read);
  EXPECT_FALSE(cache.Get("tok_1", "hash", kNow));
}

TEST(TokenCacheTest, ZeroTtlDisablesAndTtlIsCapped) {
  TokenCache off(std::chrono::milliseconds(0));
  off.Put("tok_1", "hash", Alice(), std::nullopt, off.generation());
  EXPECT_FALSE(off.Get("tok_1", "hash", kNow));
  static_assert(TokenCache::kMaxTtl <= std::chrono::seconds(1));
}

TEST(TokenCacheTest, CapacityBoundsTheEntries) {
  TokenCache cache(TokenCache::kMaxTtl, 2);
  for (int i = 0; i < 3; ++i)
    cache.Put("tok_" + std::to_string(i), "h", Alice(), std::nullopt, cache.generation());
  int present = 0;
  for (int i = 0; i < 3; ++i) present += cache.Get("tok_" + std::to_string(i), "h", kNow) ? 1 : 0;
  EXPECT_LE(present, 2);
  EXPECT_TRUE(cache.Get("tok_2", "h", kNow));  // the newest survives
}

}  // namespace
}  // namespace vt::app
