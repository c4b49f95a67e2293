#include "settlement/apportion.h"

#include <numeric>
#include <string>

namespace vt::settlement {
namespace {

// ceil(a / b) for a >= 0, b > 0.
int64_t CeilDiv(int64_t a, int64_t b) { return a / b + (a % b != 0); }

struct Reduced {
  std::vector<int64_t> w;  // weights / gcd
  int64_t cycle = 0;       // sum of w
};

StatusOr<Reduced> Reduce(std::span<const int64_t> weights) {
  if (weights.empty()) return InvalidArgumentError("no shares to apportion").WithField("weights");
  int64_t sum = 0, g = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] < 0) {
      return InvalidArgumentError("weight must not be negative")
          .WithField("weights[" + std::to_string(i) + "]");
    }
    if (__builtin_add_overflow(sum, weights[i], &sum))
      return InvalidArgumentError("weights sum overflows int64").WithField("weights");
    g = std::gcd(g, weights[i]);
  }
  if (sum == 0) return InvalidArgumentError("weights sum to zero").WithField("weights");
  Reduced r;
  r.cycle = sum / g;
  if (r.cycle > kMaxApportionCycle) {
    return InvalidArgumentError("weights reduce to a cycle of " + std::to_string(r.cycle) +
                                " units; at most " + std::to_string(kMaxApportionCycle) +
                                " are supported (use coarser weights)")
        .WithField("weights");
  }
  r.w.reserve(weights.size());
  for (int64_t w : weights) r.w.push_back(w / g);
  return r;
}

// Runs the quota sequence for s < cycle units, adding each party's count to out.
void RunSequence(const Reduced& r, int64_t s, std::span<Amount> out) {
  const size_t n = r.w.size();
  const int64_t c = r.cycle;
  std::vector<int64_t> held(n, 0), deadline(n, 0);
  for (size_t i = 0; i < n; ++i)
    if (r.w[i] > 0) deadline[i] = CeilDiv(c, r.w[i]);
  for (int64_t t = 1; t <= s; ++t) {
    size_t best = n;
    int64_t best_deficit = 0;
    for (size_t i = 0; i < n; ++i) {
      // Eligible: held < t * w / c, i.e. a positive deficit t * w - held * c.
      // Products stay below c^2 <= 10^12.
      int64_t deficit = t * r.w[i] - held[i] * c;
      if (r.w[i] == 0 || deficit <= 0) continue;
      if (best == n || deadline[i] < deadline[best] ||
          (deadline[i] == deadline[best] && deficit > best_deficit)) {
        best = i;
        best_deficit = deficit;
      }
    }
    // Some party is always eligible: sum(held) = t - 1 < t = sum(t * w / c).
    ++held[best];
    deadline[best] = CeilDiv((held[best] + 1) * c, r.w[best]);
  }
  for (size_t i = 0; i < n; ++i) out[i] += held[i];
}

}  // namespace

StatusOr<int64_t> ApportionCycle(std::span<const int64_t> weights) {
  VT_ASSIGN_OR_RETURN(Reduced r, Reduce(weights));
  return r.cycle;
}

Status ApportionInto(Amount total, std::span<const int64_t> weights, std::span<Amount> out) {
  if (out.size() != weights.size())
    return InvalidArgumentError("output size differs from the number of shares").WithField("out");
  if (total == INT64_MIN) return OutOfRangeError("total out of range").WithField("total");
  VT_ASSIGN_OR_RETURN(Reduced r, Reduce(weights));
  int64_t t = total < 0 ? -total : total;
  int64_t cycles = t / r.cycle;
  for (size_t i = 0; i < out.size(); ++i) out[i] = cycles * r.w[i];  // <= t: no overflow
  RunSequence(r, t % r.cycle, out);
  if (total < 0)
    for (Amount& a : out) a = -a;
  return OkStatus();
}

StatusOr<std::vector<Amount>> Apportion(Amount total, std::span<const int64_t> weights) {
  std::vector<Amount> out(weights.size());
  VT_RETURN_IF_ERROR(ApportionInto(total, weights, out));
  return out;
}

}  // namespace vt::settlement
