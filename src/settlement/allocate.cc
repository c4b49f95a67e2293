#include "settlement/allocate.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

namespace vt::settlement {
namespace {

using i128 = __int128;

// (remainder, index) of a party that may receive a remainder unit.
using Candidate = std::pair<int64_t, uint32_t>;

Status ValidateWeights(std::span<const int64_t> weights, int64_t* sum) {
  if (weights.empty())
    return InvalidArgumentError("no parties to allocate to").WithField("parties");
  int64_t w_sum = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] < 0) {
      return InvalidArgumentError("weight must not be negative, got " + std::to_string(weights[i]))
          .WithField("parties[" + std::to_string(i) + "].weight");
    }
    if (__builtin_add_overflow(w_sum, weights[i], &w_sum))
      return InvalidArgumentError("weights sum overflows int64").WithField("parties");
  }
  if (w_sum == 0) return InvalidArgumentError("weights sum to zero").WithField("parties");
  *sum = w_sum;
  return OkStatus();
}

// q = (t * w) div sum, r = (t * w) mod sum, for t >= 0, w >= 0, sum > 0.
inline void QuotRem(int64_t t, int64_t w, int64_t sum, int64_t* q, int64_t* r) {
  uint64_t p;
  if (!__builtin_mul_overflow(static_cast<uint64_t>(t), static_cast<uint64_t>(w), &p)) {
    *q = static_cast<int64_t>(p / static_cast<uint64_t>(sum));
    *r = static_cast<int64_t>(p % static_cast<uint64_t>(sum));
    return;
  }
  i128 wide = i128{t} * w;
  *q = static_cast<int64_t>(wide / sum);
  *r = static_cast<int64_t>(wide % sum);
}

// The core: `weight(i)` gives w_i, `tie_less(i, j)` orders equal remainders.
template <typename WeightOf, typename TieLess>
Status AllocateCore(Amount total, size_t n, WeightOf weight, int64_t w_sum, TieLess tie_less,
                    std::span<Amount> out) {
  if (total == INT64_MIN) return OutOfRangeError("total out of range").WithField("total");
  int64_t t = total < 0 ? -total : total;
  std::array<Candidate, kAllocateStackParties> small;
  std::vector<Candidate> big;
  std::span<Candidate> cand(small);
  if (n > small.size()) {
    big.resize(n);
    cand = big;
  }
  int64_t assigned = 0;
  size_t n_cand = 0;
  for (size_t i = 0; i < n; ++i) {
    int64_t q, r;
    QuotRem(t, weight(i), w_sum, &q, &r);
    out[i] = q;
    assigned += q;  // sum of floors <= t: no overflow
    if (r > 0) cand[n_cand++] = {r, static_cast<uint32_t>(i)};
  }
  size_t left = static_cast<size_t>(t - assigned);  // < n, and <= n_cand
  if (left > 0) {
    auto better = [&](const Candidate& a, const Candidate& b) {
      if (a.first != b.first) return a.first > b.first;
      return tie_less(a.second, b.second);
    };
    auto first = cand.begin();
    std::partial_sort(first, first + static_cast<ptrdiff_t>(left),
                      first + static_cast<ptrdiff_t>(n_cand), better);
    for (size_t k = 0; k < left; ++k) ++out[cand[k].second];
  }
  if (total < 0)
    for (size_t i = 0; i < n; ++i) out[i] = -out[i];
  return OkStatus();
}

Status CheckDistinctIds(std::span<const Party> parties) {
  auto dup = [](size_t i) {
    return InvalidArgumentError("duplicate party id")
        .WithField("parties[" + std::to_string(i) + "].id");
  };
  if (parties.size() <= 16) {
    for (size_t i = 1; i < parties.size(); ++i)
      for (size_t j = 0; j < i; ++j)
        if (parties[i].id == parties[j].id) return dup(i);
    return OkStatus();
  }
  std::vector<std::pair<std::string_view, size_t>> ids;
  ids.reserve(parties.size());
  for (size_t i = 0; i < parties.size(); ++i) ids.emplace_back(parties[i].id, i);
  std::sort(ids.begin(), ids.end());
  for (size_t k = 1; k < ids.size(); ++k)
    if (ids[k].first == ids[k - 1].first) return dup(std::max(ids[k].second, ids[k - 1].second));
  return OkStatus();
}

}  // namespace

Status AllocateWeightsInto(Amount total, std::span<const int64_t> weights, std::span<Amount> out) {
  if (out.size() != weights.size())
    return InvalidArgumentError("output size differs from the number of parties").WithField("out");
  int64_t w_sum = 0;
  VT_RETURN_IF_ERROR(ValidateWeights(weights, &w_sum));
  return AllocateCore(
      total, weights.size(), [&](size_t i) { return weights[i]; }, w_sum,
      [](uint32_t a, uint32_t b) { return a < b; }, out);
}

Status AllocateInto(Amount total, std::span<const Party> parties, std::span<Amount> out) {
  if (out.size() != parties.size())
    return InvalidArgumentError("output size differs from the number of parties").WithField("out");
  if (parties.empty())
    return InvalidArgumentError("no parties to allocate to").WithField("parties");
  int64_t w_sum = 0;
  for (size_t i = 0; i < parties.size(); ++i) {
    if (parties[i].weight < 0) {
      return InvalidArgumentError("weight must not be negative, got " +
                                  std::to_string(parties[i].weight))
          .WithField("parties[" + std::to_string(i) + "].weight");
    }
    if (__builtin_add_overflow(w_sum, parties[i].weight, &w_sum))
      return InvalidArgumentError("weights sum overflows int64").WithField("parties");
  }
  if (w_sum == 0) return InvalidArgumentError("weights sum to zero").WithField("parties");
  VT_RETURN_IF_ERROR(CheckDistinctIds(parties));
  return AllocateCore(
      total, parties.size(), [&](size_t i) { return parties[i].weight; }, w_sum,
      [&](uint32_t a, uint32_t b) { return parties[a].id < parties[b].id; }, out);
}

StatusOr<std::vector<Amount>> Allocate(Amount total, const std::vector<Party>& parties) {
  std::vector<Amount> out(parties.size());
  VT_RETURN_IF_ERROR(AllocateInto(total, parties, out));
  return out;
}

}  // namespace vt::settlement
