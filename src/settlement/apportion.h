// Cumulative apportionment: the split of a *cumulative* amount among weighted
// shares that the settlement engine uses for proportional tiers, so that every
// party's cumulative total depends only on the cumulative amount (not on how
// revenue lines were batched into periods) and never moves against the amount.
//
// Why not largest remainder on cumulative totals: it is not house-monotone (the
// Alabama paradox). Weights (6, 6, 2): 10 units give (4, 4, 2), 11 units give
// (5, 5, 1); the third party would be paid -1 in a period with positive receipts.
// Why not largest remainder on each period's increment: per-party totals then
// depend on batching (weights (1, 1, 1): three 1-unit periods give (3, 0, 0) after
// tie-breaks, one 3-unit period gives (1, 1, 1)).
//
// The quota sequence used instead hands out units one at a time, t = 1, 2, 3, ...
// Before unit t party i holds a_i. Party i is *eligible* if a_i < t * w_i / W (it is
// strictly below its exact quota for t units). Unit t goes to the eligible party
// with the earliest *deadline* ceil((a_i + 1) * W / w_i) (the first t at which its
// lower quota would force it to hold a_i + 1 units); among equal deadlines, to the
// largest *deficit* t * w_i - a_i * W (the party furthest below its exact share, as
// largest remainder would choose); then to the lower index.
// This is earliest-deadline-first scheduling of each party's units within their
// quota windows (Balinski and Young's quota method with Jefferson priorities; see
// also Tijdeman's chairman assignment). Properties, for every t:
//   * sum a_i == t;
//   * floor(t w_i / W) <= a_i <= ceil(t w_i / W) (quota), so exact shares (weight 0
//     included) are exact;
//   * a_i(t + 1) >= a_i(t) (house-monotone);
//   * the sequence repeats every C = W / gcd(w) units, after which every party holds
//     exactly w_i / gcd(w): a(m*C + s) = m*w/gcd + a(s). The cost is O(s * n) with
//     s < C, so C is limited to kMaxApportionCycle.
// A negative total apportions |total| and negates (refunds mirror sales).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "settlement/money.h"

namespace vt::settlement {

inline constexpr int64_t kMaxApportionCycle = 1'000'000;

// C = W / gcd(w) for the weights. Fails with InvalidArgument (field "weights" or
// "weights[i]") if weights are empty, negative, sum to zero or overflow, and if C
// exceeds kMaxApportionCycle.
StatusOr<int64_t> ApportionCycle(std::span<const int64_t> weights);

// Writes a_i(|total|) * sign(total) into out[i]. Same failures as ApportionCycle;
// OutOfRange if total is INT64_MIN; InvalidArgument if out.size() differs. Pure,
// thread-safe; allocates O(n) scratch memory.
Status ApportionInto(Amount total, std::span<const int64_t> weights, std::span<Amount> out);

// As ApportionInto, returning a new vector.
StatusOr<std::vector<Amount>> Apportion(Amount total, std::span<const int64_t> weights);

}  // namespace vt::settlement
