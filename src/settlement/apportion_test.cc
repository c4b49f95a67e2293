#include "settlement/apportion.h"

#include <gtest/gtest.h>

#include "base/rng.h"

namespace vt::settlement {
namespace {

using i128 = __int128;

// The quota sequence, unit by unit from zero, as the header describes it (no cycle
// shortcut, no gcd reduction): the reference for the fast implementation.
std::vector<std::vector<Amount>> ReferencePrefixes(const std::vector<int64_t>& w, int64_t upto) {
  int64_t sum = 0;
  for (int64_t x : w) sum += x;
  std::vector<Amount> held(w.size(), 0);
  std::vector<std::vector<Amount>> out = {held};
  for (int64_t t = 1; t <= upto; ++t) {
    size_t best = w.size();
    std::pair<i128, i128> best_key;  // (deadline, -deficit), smallest wins
    for (size_t i = 0; i < w.size(); ++i) {
      i128 deficit = i128{t} * w[i] - i128{held[i]} * sum;
      if (w[i] == 0 || deficit <= 0) continue;
      std::pair<i128, i128> key = {(i128{held[i] + 1} * sum + w[i] - 1) / w[i], -deficit};
      if (best == w.size() || key < best_key) {
        best = i;
        best_key = key;
      }
    }
    EXPECT_LT(best, w.size()) << "no eligible party";
    ++held[best];
    out.push_back(held);
  }
  return out;
}

TEST(Apportion, MatchesReferenceAndKeepsQuotaAndMonotonicity) {
  DeterministicRng rng(42);
  for (int iter = 0; iter < 400; ++iter) {
    size_t n = 1 + rng.Uniform(6);
    std::vector<int64_t> w;
    for (size_t i = 0; i < n; ++i) w.push_back(rng.Uniform(3) == 0 ? 0 : 1 + rng.Uniform(40));
    if (std::all_of(w.begin(), w.end(), [](int64_t x) { return x == 0; })) w[0] = 3;
    int64_t sum = 0;
    for (int64_t x : w) sum += x;
    auto ref = ReferencePrefixes(w, 2 * sum + 3);
    for (int64_t t = 0; t <= 2 * sum + 3; ++t) {
      auto got = Apportion(t, w);
      ASSERT_TRUE(got.ok());
      ASSERT_EQ(*got, ref[t]) << "t=" << t;
      Amount total = 0;
      for (size_t i = 0; i < n; ++i) {
        total += (*got)[i];
        i128 prod = i128{t} * w[i];
        ASSERT_GE((*got)[i], prod / sum);                      // lower quota
        ASSERT_LE((*got)[i], prod / sum + (prod % sum != 0));  // upper quota (exact if exact)
        if (t > 0) {
          ASSERT_GE((*got)[i], ref[t - 1][i]);  // house-monotone
        }
      }
      ASSERT_EQ(total, t);
      auto neg = Apportion(-t, w);
      for (size_t i = 0; i < n; ++i) ASSERT_EQ((*neg)[i], -(*got)[i]);
    }
  }
}

TEST(Apportion, CycleShortcutOnLargeTotals) {
  std::vector<int64_t> w = {4000, 3000, 1000, 1000, 1000};  // reduces to 4,3,1,1,1: cycle 10
  EXPECT_EQ(*ApportionCycle(w), 10);
  auto a = Apportion(kMaxAmount, w);
  ASSERT_TRUE(a.ok());
  Amount sum = 0;
  for (Amount x : *a) sum += x;
  EXPECT_EQ(sum, kMaxAmount);
  // kMaxAmount = 10 * 900719925474099 + 1: one unit past whole cycles, and unit 1 of
  // the sequence goes to the earliest deadline, party 0 (ceil(10/4) = 3).
  EXPECT_EQ((*a)[0], 4 * 900719925474099 + 1);
  EXPECT_EQ((*a)[1], 3 * 900719925474099);
}

TEST(Apportion, AlabamaExampleStaysMonotone) {
  // Largest remainder gives (4,4,2) at 10 and (5,5,1) at 11; the quota sequence
  // never takes a unit back.
  std::vector<int64_t> w = {6, 6, 2};
  auto a10 = *Apportion(10, w);
  auto a11 = *Apportion(11, w);
  for (size_t i = 0; i < 3; ++i) EXPECT_GE(a11[i], a10[i]);
}

TEST(Apportion, BadInput) {
  EXPECT_EQ(Apportion(5, std::vector<int64_t>{1, -1}).status().field(), "weights[1]");
  EXPECT_EQ(Apportion(5, std::vector<int64_t>{0, 0}).status().field(), "weights");
  auto big = Apportion(5, std::vector<int64_t>{1000003, 999983});  // coprime: cycle ~2e6
  EXPECT_EQ(big.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Apportion(INT64_MIN, std::vector<int64_t>{1}).status().code(), StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace vt::settlement
