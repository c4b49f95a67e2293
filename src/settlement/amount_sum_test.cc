// Exact sums of amounts (settlement/amount_sum.h) and the sums that use them,
// at the edges of the exact range (docs/settlement.md "Money").
#include "settlement/amount_sum.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "settlement/state.h"

namespace vt::settlement {
namespace {

TEST(AmountSumTest, EdgesOfTheExactRange) {
  AmountSum s;
  s.Add(kMaxAmount);
  EXPECT_EQ(*s.Total("x"), kMaxAmount);
  s.Add(1);
  EXPECT_EQ(s.Total("x").status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(s.Total("x").status().field(), "x");
  s.Sub(1);
  EXPECT_EQ(*s.Total("x"), kMaxAmount);
  // Terms far outside the range never wrap: 1,100 x (2^53 - 1) is refused, and
  // INT64_MAX + INT64_MAX - INT64_MAX - INT64_MAX comes back to zero.
  AmountSum big;
  for (int i = 0; i < 1100; ++i) big.Add(kMaxAmount);
  EXPECT_EQ(big.Total("lines").status().code(), StatusCode::kOutOfRange);
  AmountSum wide;
  wide.Add(INT64_MAX);
  wide.Add(INT64_MAX);
  EXPECT_EQ(wide.Total("t").status().code(), StatusCode::kOutOfRange);
  wide.Sub(INT64_MAX);
  wide.Sub(INT64_MAX);
  EXPECT_EQ(*wide.Total("t"), 0);
  AmountSum low;
  low.Add(-kMaxAmount);
  EXPECT_EQ(*low.Total("t"), -kMaxAmount);
  low.Sub(1);
  EXPECT_EQ(low.Total("t").status().code(), StatusCode::kOutOfRange);
}

// Property: over random sequences of edge and random terms, Total is the exact
// sum (a 128-bit reference) when it fits and OutOfRange otherwise.
TEST(AmountSumTest, TotalIsExactOrRefused) {
  std::mt19937_64 gen(53);
  const int64_t edges[] = {kMaxAmount, -kMaxAmount, kMaxAmount - 1, 1,
                           -1,         0,           INT64_MAX,      INT64_MIN + 1};
  int fits = 0, refused = 0;
  for (int round = 0; round < 2000; ++round) {
    AmountSum s;
    __int128 want = 0;
    int n = 1 + static_cast<int>(gen() % 20);
    for (int i = 0; i < n; ++i) {
      int64_t a = gen() % 3 == 0 ? static_cast<int64_t>(gen()) : edges[gen() % std::size(edges)];
      if (gen() % 2) {
        s.Add(a);
        want += a;
      } else {
        s.Sub(a);
        want -= a;
      }
    }
    auto total = s.Total("t");
    if (want >= -kMaxAmount && want <= kMaxAmount) {
      ASSERT_TRUE(total.ok()) << round;
      EXPECT_EQ(*total, static_cast<int64_t>(want)) << round;
      ++fits;
    } else {
      EXPECT_EQ(total.status().code(), StatusCode::kOutOfRange) << round;
      ++refused;
    }
  }
  EXPECT_GT(fits, 50);  // both outcomes are exercised
  EXPECT_GT(refused, 50);
}

// A stored state whose per-payee cumulative amount leaves the range is refused,
// though each amount and the total are within it (PaidTo sums per payee).
TEST(AmountSumTest, StateRefusesAPayeeSumBeyondTheRange) {
  SettlementState s;
  s.gross = kMaxAmount;
  s.tiers["a"].input = s.tiers["a"].taken = kMaxAmount;
  s.tiers["a"].paid["x"] = kMaxAmount;
  s.tiers["b"].paid["x"] = kMaxAmount;
  s.tiers["b"].paid["y"] = -kMaxAmount;
  Status st = ValidateState(s);
  EXPECT_EQ(st.code(), StatusCode::kOutOfRange) << st.ToString();
  EXPECT_EQ(st.field().rfind("state.paid", 0), 0u) << st.field();
  s.tiers["b"].paid["x"] = 0;
  s.tiers["b"].paid["y"] = 0;
  EXPECT_TRUE(ValidateState(s).ok()) << ValidateState(s).ToString();
}

}  // namespace
}  // namespace vt::settlement
