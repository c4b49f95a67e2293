// The cumulative settlement state of one agreement: what has been received and paid
// so far, carried from one settlement period to the next (docs/settlement.md, "Revenue and
// settlement"; docs/settlement.md, "State").
#pragma once

#include <map>
#include <string>

#include "base/jcs.h"
#include "base/status.h"
#include "settlement/money.h"

namespace vt::settlement {

// One tier's cumulative figures. Recoupment progress is `taken` (of the tier's cap).
struct TierState {
  Amount input = 0;                    // cumulative amount that reached the tier
  Amount taken = 0;                    // cumulative amount the tier took
  std::map<std::string, Amount> paid;  // cumulative amount paid to each final payee
  friend bool operator==(const TierState&, const TierState&) = default;
};

struct SettlementState {
  Amount gross = 0;                        // cumulative in-scope net receipts
  std::map<std::string, TierState> tiers;  // by tier id (pool tiers included)
  friend bool operator==(const SettlementState&, const SettlementState&) = default;

  // Cumulative amount paid to `payee` over all tiers.
  Amount PaidTo(const std::string& payee) const;
};

// OK if every amount lies within ±kMaxAmount, ids are identifiers and the paid
// amounts sum exactly to `gross` (every unit received was paid to someone).
// InvalidArgument naming the field ("state.tiers.platform-fee.paid") otherwise.
Status ValidateState(const SettlementState& state);

// {"gross": G, "tiers": {"<tier id>": {"input": I, "taken": T, "paid": {"<payee>": A}}}}
Json StateToJson(const SettlementState& state);
// Strict inverse of StateToJson; also runs ValidateState. Field paths start "state.".
StatusOr<SettlementState> StateFromJson(const Json& json);

}  // namespace vt::settlement
