// Exact sums of amounts (docs/settlement.md "Money").
#pragma once

#include <string_view>

#include "base/status.h"
#include "settlement/money.h"

namespace vt::settlement {

// An exact sum of amounts: every sum over amounts (revenue batch totals, payee
// and statement totals, ledger balances) goes through it. Terms are added in 128
// bits, where 2^64 int64 terms cannot overflow; the total is then an amount only
// if it lies within ±kMaxAmount: a sum that would leave it is an error, never a
// wrap. Not thread-safe (a value type).
class AmountSum {
 public:
  void Add(Amount a) { sum_ += a; }
  void Sub(Amount a) { sum_ -= a; }
  // The exact total if |total| <= kMaxAmount; else OutOfRange naming `field`.
  StatusOr<Amount> Total(std::string_view field) const;
  bool operator==(const AmountSum& o) const { return sum_ == o.sum_; }

 private:
  __int128 sum_ = 0;
};

}  // namespace vt::settlement
