// Internal: flattened nesting (notes, "Composing a waterfall" 4). With "nesting":
// "flattened", a shares tier and the pools below it are apportioned in one go over
// the products of the weights, instead of each pool dividing the integer amount its
// parent received (hierarchical, the default). Not part of the public API.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "settlement/terms.h"

namespace vt::settlement::internal {

// One payee of a flattened shares tier.
struct FlatShare {
  const Tier* tier;          // the shares tier (top or inside a pool) listing the payee
  const std::string* payee;  // points into that tier
  int64_t weight;            // product weight, over a common denominator, gcd-reduced
};

// The leaves of `tier` (kind shares) with every pool expanded, ordered by (payee,
// tier id). Fails with InvalidArgument (field `path`) if a pool is not a single
// shares tier, or if the product weights overflow or exceed kMaxApportionCycle.
StatusOr<std::vector<FlatShare>> FlattenShares(const Tier& tier, const std::string& path);

// Checks that every shares tier in `tiers` (recursively) can be flattened.
Status ValidateFlattening(const std::vector<Tier>& tiers, const std::string& path);

}  // namespace vt::settlement::internal
