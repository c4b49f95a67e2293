// Evaluate: the cumulative waterfall as a function of cumulative receipts.
#include <algorithm>
#include <numeric>

#include "settlement/allocate.h"
#include "settlement/apportion.h"
#include "settlement/engine.h"
#include "settlement/flatten.h"

namespace vt::settlement {
namespace {

class Evaluator {
 public:
  // `previous` (same sign as the receipts being evaluated) is what rounding
  // "largest_remainder" divides increments from; quota ignores it.
  Evaluator(const Agreement& a, const SettlementState& previous, SettlementState* out)
      : agreement_(a), previous_(previous), out_(out) {}

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

  // What the previous state paid `payee` in tier `tier_id` (0 if nothing).
  Amount PreviousPaid(const std::string& tier_id, const std::string& payee) const {
    auto t = previous_.tiers.find(tier_id);
    if (t == previous_.tiers.end()) return 0;
    auto p = t->second.paid.find(payee);
    return p == t->second.paid.end() ? 0 : p->second;
  }
  // What the previous state shows a pool received (its first tier's input).
  Amount PreviousInput(const std::string& tier_id) const {
    auto t = previous_.tiers.find(tier_id);
    return t == previous_.tiers.end() ? 0 : t->second.input;
  }

  // The cumulative split of x among `weights` (ties to the lower index) under
  // the agreement's rounding rule; `before` holds each share's previous
  // cumulative amount (used by largest remainder only).
  StatusOr<std::vector<Amount>> Split(Amount x, const std::vector<int64_t>& weights,
                                      const std::vector<Amount>& before) {
    if (agreement_.effective_rounding() == Rounding::kQuota) return Apportion(x, weights);
    // Largest remainder of the increment since the previous state, added to it.
    __int128 had = 0;
    for (Amount b : before) had += b;
    __int128 delta = static_cast<__int128>(x) - had;
    if (delta > kMaxAmount || delta < -kMaxAmount)
      return OutOfRangeError("period increment of a shares tier is out of range")
          .WithField("gross");
    std::vector<Amount> out(weights.size());
    VT_RETURN_IF_ERROR(AllocateWeightsInto(static_cast<Amount>(delta), weights, out));
    for (size_t i = 0; i < out.size(); ++i) out[i] += before[i];
    return out;
  }

  Status Shares(const Tier& t, Amount x) {
    if (agreement_.effective_nesting() == Nesting::kFlattened) return Flattened(t, x);
    std::vector<size_t> order(t.shares.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return t.shares[a].key() < t.shares[b].key(); });
    std::vector<int64_t> weights;
    std::vector<Amount> before;
    for (size_t k : order) {
      const Share& share = t.shares[k];
      weights.push_back(share.weight);
      before.push_back(share.pool ? PreviousInput(share.pool->tiers.front().id)
                                  : PreviousPaid(t.id, share.payee));
    }
    VT_ASSIGN_OR_RETURN(std::vector<Amount> split, Split(x, weights, before));
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
    std::vector<Amount> before;
    for (const auto& l : leaves) {
      weights.push_back(l.weight);
      before.push_back(PreviousPaid(l.tier->id, *l.payee));
    }
    VT_ASSIGN_OR_RETURN(std::vector<Amount> split, Split(x, weights, before));
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
  const SettlementState& previous_;
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
  return Evaluate(agreement, gross, SettlementState());
}

StatusOr<SettlementState> Evaluate(const Agreement& agreement, Amount gross,
                                   const SettlementState& previous) {
  VT_RETURN_IF_ERROR(CheckAmount(gross, "gross"));
  SettlementState s;
  s.gross = gross < 0 ? -gross : gross;
  SettlementState mirrored;
  if (gross < 0 && agreement.effective_rounding() != Rounding::kQuota) {
    mirrored = previous;
    Negate(&mirrored);
  }
  Evaluator e(agreement, gross < 0 ? mirrored : previous, &s);
  VT_RETURN_IF_ERROR(e.Waterfall(agreement.tiers, s.gross));
  if (gross < 0) Negate(&s);
  __int128 sum = 0;
  for (const auto& [id, t] : s.tiers)
    for (const auto& [payee, amount] : t.paid) sum += amount;
  if (sum != gross) return InternalError("waterfall does not pay out exactly the receipts");
  return s;
}

}  // namespace vt::settlement
