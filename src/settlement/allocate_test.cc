#include "settlement/allocate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "base/rng.h"

namespace vt::settlement {
namespace {

using i128 = __int128;

// A slow reference written straight from the notes: full sort by (r desc, id asc).
std::vector<Amount> Reference(Amount total, const std::vector<Party>& parties) {
  i128 t = total < 0 ? -i128{total} : i128{total};
  i128 w = 0;
  for (const Party& p : parties) w += p.weight;
  std::vector<Amount> out;
  std::vector<std::tuple<i128, std::string, size_t>> order;
  i128 assigned = 0;
  for (size_t i = 0; i < parties.size(); ++i) {
    i128 prod = t * parties[i].weight;
    out.push_back(static_cast<Amount>(prod / w));
    assigned += prod / w;
    order.emplace_back(-(prod % w), parties[i].id, i);
  }
  std::sort(order.begin(), order.end());
  for (i128 k = 0; k < t - assigned; ++k) {
    EXPECT_LT(std::get<0>(order[k]), 0) << "a party with an exact share won a unit";
    ++out[std::get<2>(order[k])];
  }
  if (total < 0)
    for (Amount& a : out) a = -a;
  return out;
}

std::vector<Party> RandomParties(Rng& rng, size_t n) {
  std::vector<Party> parties;
  for (size_t i = 0; i < n; ++i) {
    int64_t w;
    switch (rng.Uniform(4)) {
      case 0:
        w = 0;
        break;  // zero weight
      case 1:
        w = static_cast<int64_t>(rng.Uniform(10));
        break;  // small, many ties
      case 2:
        w = static_cast<int64_t>(rng.Uniform(10001));
        break;
      default:
        w = static_cast<int64_t>(rng.Uniform(uint64_t{1} << 56));
        break;  // sum < 2^63
    }
    parties.push_back({"p" + std::to_string(rng.Uniform(1000000)) + "_" + std::to_string(i), w});
  }
  if (std::all_of(parties.begin(), parties.end(), [](const Party& p) { return p.weight == 0; }))
    parties[0].weight = 1;
  return parties;
}

Amount RandomTotal(Rng& rng) {
  switch (rng.Uniform(3)) {
    case 0:
      return static_cast<Amount>(rng.Uniform(100));
    case 1:
      return static_cast<Amount>(rng.Uniform(uint64_t{1} << 40)) - (int64_t{1} << 39);
    default:
      return static_cast<Amount>(rng.Uint64() >> 1) * (rng.Uniform(2) ? 1 : -1);
  }
}

TEST(Allocate, NotesExampleAndTieBreak) {
  // 100 fen among three equal parties: 33 each, the remainder unit to the lowest id.
  auto a = Allocate(100, {{"c", 1}, {"a", 1}, {"b", 1}});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (std::vector<Amount>{33, 34, 33}));
  // 10 units, weights 6/6/2 (W=14): quotas 4.29/4.29/1.43 -> (4, 4, 2).
  EXPECT_EQ(*Allocate(10, {{"x", 6}, {"y", 6}, {"z", 2}}), (std::vector<Amount>{4, 4, 2}));
  // 11 units: quotas 4.71/4.71/1.57 -> (5, 5, 1). z lost a unit while the total grew:
  // the Alabama paradox, why the engine never re-runs this on cumulative totals.
  EXPECT_EQ(*Allocate(11, {{"x", 6}, {"y", 6}, {"z", 2}}), (std::vector<Amount>{5, 5, 1}));
}

TEST(Allocate, PropertiesOverRandomInputs) {
  DeterministicRng rng(20250701);
  for (int iter = 0; iter < 5000; ++iter) {
    auto parties = RandomParties(rng, 1 + rng.Uniform(iter % 10 == 0 ? 60 : 8));
    Amount total = RandomTotal(rng);
    auto got = Allocate(total, parties);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(*got, Reference(total, parties));
    // Exact sum.
    i128 sum = 0;
    for (Amount a : *got) sum += a;
    ASSERT_EQ(sum, total);
    // Quota bounds; exact shares (weight 0 included) are exact.
    i128 w = 0;
    for (const Party& p : parties) w += p.weight;
    for (size_t i = 0; i < parties.size(); ++i) {
      i128 prod = (total < 0 ? -i128{total} : i128{total}) * parties[i].weight;
      i128 lo = prod / w, hi = lo + (prod % w != 0);
      i128 mag = total < 0 ? -i128{(*got)[i]} : i128{(*got)[i]};
      ASSERT_GE(mag, lo);
      ASSERT_LE(mag, hi);
      if (parties[i].weight == 0) {
        ASSERT_EQ((*got)[i], 0);
      }
    }
    // Negative totals mirror positive ones.
    if (total != 0) {
      auto mirror = Allocate(-total, parties);
      ASSERT_TRUE(mirror.ok());
      for (size_t i = 0; i < parties.size(); ++i) ASSERT_EQ((*mirror)[i], -(*got)[i]);
    }
    // Order independence: a permutation gives the same amount per id.
    std::vector<Party> shuffled = parties;
    for (size_t i = shuffled.size(); i > 1; --i)
      std::swap(shuffled[i - 1], shuffled[rng.Uniform(i)]);
    auto again = Allocate(total, shuffled);
    ASSERT_TRUE(again.ok());
    std::map<std::string, Amount> by_id;
    for (size_t i = 0; i < parties.size(); ++i) by_id[parties[i].id] = (*got)[i];
    for (size_t i = 0; i < shuffled.size(); ++i) ASSERT_EQ((*again)[i], by_id[shuffled[i].id]);
  }
}

TEST(Allocate, WeightsOverloadBreaksTiesByIndex) {
  DeterministicRng rng(7);
  for (int iter = 0; iter < 2000; ++iter) {
    size_t n = 1 + rng.Uniform(6);
    std::vector<Party> parties;
    std::vector<int64_t> weights;
    for (size_t i = 0; i < n; ++i) {
      weights.push_back(static_cast<int64_t>(rng.Uniform(5)));
      parties.push_back({std::string(1, static_cast<char>('a' + i)), weights.back()});
    }
    if (std::all_of(weights.begin(), weights.end(), [](int64_t w) { return w == 0; })) {
      weights[0] = parties[0].weight = 1;
    }
    Amount total = static_cast<Amount>(rng.Uniform(50)) - 25;
    std::vector<Amount> out(n);
    ASSERT_TRUE(AllocateWeightsInto(total, weights, out).ok());
    EXPECT_EQ(out, *Allocate(total, parties));
  }
}

TEST(Allocate, ExtremeValuesUse128BitIntermediates) {
  auto a = Allocate(INT64_MAX, {{"a", INT64_MAX / 3}, {"b", INT64_MAX / 3}, {"c", 1}});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)[0] + (*a)[1] + (*a)[2], INT64_MAX);
  EXPECT_EQ(*a, Reference(INT64_MAX, {{"a", INT64_MAX / 3}, {"b", INT64_MAX / 3}, {"c", 1}}));
  auto b = Allocate(-INT64_MAX, {{"a", 1}, {"b", 1}});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)[0] + (*b)[1], -INT64_MAX);
}

TEST(Allocate, BadInput) {
  auto neg = Allocate(100, {{"a", 5000}, {"b", -1}});
  EXPECT_EQ(neg.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(neg.status().field(), "parties[1].weight");
  auto zero = Allocate(100, {{"a", 0}, {"b", 0}});
  EXPECT_EQ(zero.status().field(), "parties");
  EXPECT_EQ(Allocate(100, {}).status().field(), "parties");
  auto overflow = Allocate(1, {{"a", INT64_MAX}, {"b", 1}});
  EXPECT_EQ(overflow.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(overflow.status().field(), "parties");
  auto dup = Allocate(1, {{"a", 1}, {"a", 1}});
  EXPECT_EQ(dup.status().field(), "parties[1].id");
  auto min = Allocate(INT64_MIN, {{"a", 1}});
  EXPECT_EQ(min.status().code(), StatusCode::kOutOfRange);
  std::vector<Amount> out(1);
  std::vector<Party> two = {{"a", 1}, {"b", 1}};
  EXPECT_EQ(AllocateInto(5, two, out).field(), "out");
}

TEST(Allocate, ManyPartiesTakeTheHeapPath) {
  std::vector<Party> parties;
  for (int i = 0; i < 100; ++i) parties.push_back({"id" + std::to_string(1000 + i), 1 + i % 7});
  auto a = Allocate(12345, parties);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, Reference(12345, parties));
}

}  // namespace
}  // namespace vt::settlement
