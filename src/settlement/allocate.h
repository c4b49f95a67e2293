// Largest-remainder allocation (notes on exact settlement arithmetic, "Allocation:
// largest remainder"): splits an integer amount among weighted parties so that every
// minor unit goes to someone, by a rule anyone can re-compute.
//
//   q_i = (T * w_i) div W ;  r_i = (T * w_i) mod W      (exact, 128-bit)
//   L   = T - sum q_i                                    (0 <= L < number of parties)
//   the first L parties in (r_i descending, id ascending) order get one more unit;
//   only r_i > 0 can win.
//   A negative T allocates |T| and negates, so a refund mirrors the sale.
//
// Guarantees: sum a_i == T; floor(T w_i / W) <= a_i <= ceil(T w_i / W); a party whose
// share is exact (weight 0 included) never gets a remainder unit; the result per id
// does not depend on the order parties are listed in.
//
// All functions are pure and thread-safe. AllocateInto and AllocateWeightsInto do not
// allocate heap memory for up to kAllocateStackParties parties (the benchmarked path:
// one revenue line split among a handful of parties).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "settlement/money.h"

namespace vt::settlement {

// A party to an allocation: an identifier (tie-break key) and a weight >= 0 (basis
// points or units; only ratios matter).
struct Party {
  std::string id;
  int64_t weight = 0;
};

inline constexpr size_t kAllocateStackParties = 32;

// Returns a_i per party, in the order of `parties`.
// Fails with InvalidArgument if parties is empty, a weight is negative (field
// "parties[i].weight"), the weights sum to zero or overflow int64 (field "parties"),
// or two parties share an id (field "parties[i].id"); OutOfRange if total is
// INT64_MIN (field "total").
StatusOr<std::vector<Amount>> Allocate(Amount total, const std::vector<Party>& parties);

// As Allocate, writing a_i into out[i]. out.size() must equal parties.size()
// (InvalidArgument, field "out"). On failure `out` is unspecified.
Status AllocateInto(Amount total, std::span<const Party> parties, std::span<Amount> out);

// As AllocateInto for parties identified by position: equal remainders go to the
// lower index (list parties in ascending id order to get Allocate's tie-break).
Status AllocateWeightsInto(Amount total, std::span<const int64_t> weights, std::span<Amount> out);

}  // namespace vt::settlement
