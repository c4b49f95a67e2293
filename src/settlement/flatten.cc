#include "settlement/flatten.h"

#include <algorithm>
#include <numeric>

#include "settlement/apportion.h"
#include "settlement/json_fields.h"

namespace vt::settlement::internal {
namespace {

using i128 = __int128;
constexpr i128 kLimit = i128{1} << 62;

struct Leaf {
  const Tier* tier;
  const std::string* payee;
  i128 weight;
};

i128 Gcd(i128 a, i128 b) {
  while (b != 0) {
    i128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// Appends the leaves of `tier`; their weights sum to *total.
Status Collect(const Tier& tier, const std::string& path, std::vector<Leaf>* out, i128* total) {
  i128 w_sum = 0;
  for (const Share& s : tier.shares) w_sum += s.weight;
  // Sub-pools first, to find the common multiple of their totals.
  std::vector<std::vector<Leaf>> subs(tier.shares.size());
  std::vector<i128> sub_totals(tier.shares.size(), 1);
  i128 common = 1;
  for (size_t k = 0; k < tier.shares.size(); ++k) {
    const Share& s = tier.shares[k];
    if (!s.pool) continue;
    std::string pp = JoinPath(IndexPath(JoinPath(path, "shares"), k), "pool.tiers");
    if (s.pool->tiers.size() != 1 || s.pool->tiers[0].kind != TierKind::kShares)
      return FieldError(pp, "with nesting \"flattened\", a pool must be a single shares tier");
    VT_RETURN_IF_ERROR(Collect(s.pool->tiers[0], IndexPath(pp, 0), &subs[k], &sub_totals[k]));
    common = common / Gcd(common, sub_totals[k]) * sub_totals[k];
    if (common > kLimit) return FieldError(path, "flattened weights overflow");
  }
  std::vector<Leaf> leaves;
  for (size_t k = 0; k < tier.shares.size(); ++k) {
    const Share& s = tier.shares[k];
    if (!s.pool) {
      leaves.push_back({&tier, &s.payee, i128{s.weight} * common});
      continue;
    }
    for (const Leaf& l : subs[k])
      leaves.push_back({l.tier, l.payee, i128{s.weight} * l.weight * (common / sub_totals[k])});
  }
  i128 t = w_sum * common, g = 0;
  for (const Leaf& l : leaves) g = Gcd(g, l.weight);
  g = Gcd(g, t);
  for (Leaf& l : leaves) {
    l.weight /= g;
    if (l.weight > kLimit) return FieldError(path, "flattened weights overflow");
  }
  *total = t / g;
  out->insert(out->end(), leaves.begin(), leaves.end());
  return OkStatus();
}

}  // namespace

StatusOr<std::vector<FlatShare>> FlattenShares(const Tier& tier, const std::string& path) {
  std::vector<Leaf> leaves;
  i128 total = 0;
  VT_RETURN_IF_ERROR(Collect(tier, path, &leaves, &total));
  std::vector<FlatShare> out;
  std::vector<int64_t> weights;
  for (const Leaf& l : leaves) {
    out.push_back({l.tier, l.payee, static_cast<int64_t>(l.weight)});
  }
  std::sort(out.begin(), out.end(), [](const FlatShare& a, const FlatShare& b) {
    if (*a.payee != *b.payee) return *a.payee < *b.payee;
    return a.tier->id < b.tier->id;
  });
  for (const FlatShare& f : out) weights.push_back(f.weight);
  auto cycle = ApportionCycle(weights);
  if (!cycle.ok()) return FieldError(JoinPath(path, "shares"), cycle.status().message());
  return out;
}

Status ValidateFlattening(const std::vector<Tier>& tiers, const std::string& path) {
  for (size_t i = 0; i < tiers.size(); ++i) {
    if (tiers[i].kind != TierKind::kShares) continue;
    VT_RETURN_IF_ERROR(FlattenShares(tiers[i], IndexPath(path, i)).status());
  }
  return OkStatus();
}

}  // namespace vt::settlement::internal
