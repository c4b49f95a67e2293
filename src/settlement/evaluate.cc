// Evaluate: the cumulative waterfall as a function of cumulative receipts.
#include <algorithm>
#include <numeric>

#include "settlement/apportion.h"
#include "settlement/engine.h"
#include "settlement/flatten.h"

namespace vt::settlement {
namespace {

class Evaluator {
 public:
  Evaluator(const Agreement& a, SettlementState* out) : agreement_(a), out_(out) {}

  // Runs `tiers` on cumulative input x >= 0 (x is also the waterfall's gross).
  Status Waterfall(const std::vector<Tier>& tiers, Amount x) {
    Amount remaining = x;
    for (const Tier& t : tiers) {
      TierState& s = out_->tiers[t.id];
      s.input = remaining;
      VT_ASSIGN_OR_RETURN(s.taken, Take(t, x, remaining));
      if (t.kind == TierKind::kShares) {
        VT_RETURN_IF_ERROR(Shares(t, remaining));
      } else {
        s.paid[t.payee] = s.taken;
      }
      remaining -= s.taken;
    }
    return OkStatus();
  }

 private:
  // The cumulative amount tier `t` takes from `remaining` of a waterfall with gross x.
  StatusOr<Amount> Take(const Tier& t, Amount x, Amount remaining) {
    Amount take = remaining;
    switch (t.kind) {
      case TierKind::kFee:
      case TierKind::kCorridor:
      case TierKind::kRoyalty: {
        Amount base = t.base.value_or(Base::kRemaining) == Base::kGross ? x : remaining;
        VT_ASSIGN_OR_RETURN(take, t.rate->value().FloorMul(base));
        break;
      }
      case TierKind::kRecoupment:
        if (t.rate) {
          VT_ASSIGN_OR_RETURN(take, t.rate->value().FloorMul(remaining));
        }
        break;
      case TierKind::kFixed:
        take = t.amount;
        break;
      case TierKind::kShares:
        return remaining;
    }
    if (t.cap) take = std::min(take, *t.cap);
    return std::min(take, remaining);
  }

  Status Shares(const Tier& t, Amount x) {
    if (agreement_.effective_nesting() == Nesting::kFlattened) return Flattened(t, x);
    std::vector<size_t> order(t.shares.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return t.shares[a].key() < t.shares[b].key(); });
    std::vector<int64_t> weights;
    for (size_t k : order) weights.push_back(t.shares[k].weight);
    VT_ASSIGN_OR_RETURN(std::vector<Amount> split, Apportion(x, weights));
    TierState& s = out_->tiers[t.id];
    for (size_t j = 0; j < order.size(); ++j) {
      const Share& share = t.shares[order[j]];
      if (share.pool) {
        VT_RETURN_IF_ERROR(Waterfall(share.pool->tiers, split[j]));
      } else {
        s.paid[share.payee] = split[j];
      }
    }
    return OkStatus();
  }

  Status Flattened(const Tier& t, Amount x) {
    VT_ASSIGN_OR_RETURN(auto leaves, internal::FlattenShares(t, t.id));
    std::vector<int64_t> weights;
    for (const auto& l : leaves) weights.push_back(l.weight);
    VT_ASSIGN_OR_RETURN(std::vector<Amount> split, Apportion(x, weights));
    for (size_t j = 0; j < leaves.size(); ++j)
      out_->tiers[leaves[j].tier->id].paid[*leaves[j].payee] = split[j];
    PoolTotals(t, /*top=*/true);
    return OkStatus();
  }

  // Sets a flattened pool tier's input and taken to everything paid below it.
  Amount PoolTotals(const Tier& t, bool top) {
    TierState& s = out_->tiers[t.id];  // std::map references survive insertions
    Amount sum = 0;
    for (const auto& [payee, amount] : s.paid) sum += amount;
    for (const Share& share : t.shares)
      if (share.pool) sum += PoolTotals(share.pool->tiers[0], false);
    if (!top) s.input = s.taken = sum;
    return sum;
  }

  const Agreement& agreement_;
  SettlementState* out_;
};

void Negate(SettlementState* s) {
  s->gross = -s->gross;
  for (auto& [id, t] : s->tiers) {
    t.input = -t.input;
    t.taken = -t.taken;
    for (auto& [payee, amount] : t.paid) amount = -amount;
  }
}

}  // namespace

StatusOr<SettlementState> Evaluate(const Agreement& agreement, Amount gross) {
  VT_RETURN_IF_ERROR(CheckAmount(gross, "gross"));
  SettlementState s;
  s.gross = gross < 0 ? -gross : gross;
  Evaluator e(agreement, &s);
  VT_RETURN_IF_ERROR(e.Waterfall(agreement.tiers, s.gross));
  if (gross < 0) Negate(&s);
  __int128 sum = 0;
  for (const auto& [id, t] : s.tiers)
    for (const auto& [payee, amount] : t.paid) sum += amount;
  if (sum != gross) return InternalError("waterfall does not pay out exactly the receipts");
  return s;
}

}  // namespace vt::settlement
