// The settlement engine: a pure function from (agreement version, cumulative state,
// this period's revenue lines) to what each payee is owed this period, the new
// state, and a trace of which tier took what (docs/settlement.md, "Revenue and settlement";
// docs/settlement.md, "Arithmetic" and "Batching").
//
// Every tier's cumulative take is a function of the cumulative in-scope receipts G
// alone (Evaluate). A period pays the difference between Evaluate(G_k) and what the
// state says was paid up to G_{k-1}. Hence, for one agreement version:
//   * sum of a period's payee amounts == the period's in-scope net receipts;
//   * every tier's and every payee's cumulative total after any sequence of periods
//     depends only on the multiset of lines, not on how they were batched;
//   * fees, corridors, royalties, fixed amounts and recoupment never decrease while
//     G grows, nor do payees of base "remaining" waterfalls (see the docs for the
//     one-unit exception with base "gross");
//   * a refund line reverses exactly the amounts its sale produced.
// No I/O; thread-safe; inputs are not retained.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "settlement/lines.h"
#include "settlement/money.h"
#include "settlement/state.h"
#include "settlement/terms.h"

namespace vt::settlement {

// The cumulative split of cumulative in-scope receipts `gross` (|gross| <=
// kMaxAmount; a negative gross mirrors the positive one). Fails with OutOfRange if
// gross is out of range, InvalidArgument if flattened weights cannot be evaluated.
StatusOr<SettlementState> Evaluate(const Agreement& agreement, Amount gross);
// As Evaluate, for an agreement whose rounding is "largest_remainder": every
// shares tier divides its increment since `previous` (the state of the last
// settled period) by largest remainder and adds it to what `previous` paid, so
// the result depends on `previous` (on batching), not on `gross` alone. With
// rounding "quota" `previous` is ignored.
StatusOr<SettlementState> Evaluate(const Agreement& agreement, Amount gross,
                                   const SettlementState& previous);

struct PayeeAmount {
  std::string payee;
  Amount amount = 0;
  friend bool operator==(const PayeeAmount&, const PayeeAmount&) = default;
};

// What one tier did in the period (before = previous state, after = new state).
struct TraceStep {
  std::string tier_id;
  TierKind kind = TierKind::kFee;
  std::string pool;      // the enclosing pool's id, empty at the top level
  int depth = 0;         // pool nesting depth
  bool retired = false;  // in the previous state but not in this agreement version
  Amount input_before = 0, input_after = 0;
  Amount taken_before = 0, taken_after = 0;
  std::vector<PayeeAmount> paid;   // this period's amount per payee, by payee id
  std::vector<PayeeAmount> pools;  // shares tiers: this period's amount into each pool
};

struct Settlement {
  std::string period;
  Amount net_receipts = 0;  // in-scope lines of this batch (replays counted once)
  Amount gross_before = 0, gross_after = 0;
  std::vector<PayeeAmount> payees;   // this period, by payee id; sums to net_receipts
  std::vector<TraceStep> trace;      // in waterfall order, pools after their parent tier
  SettlementState state;             // pass as `previous` to the next period
  std::vector<size_t> counted;       // indexes of lines counted
  std::vector<size_t> out_of_scope;  // indexes of lines outside the agreement's scope
  std::vector<size_t> replayed;      // indexes of exact repeats of an earlier line

  // This period's amount for a payee (0 if absent).
  Amount AmountFor(std::string_view payee) const;
};

// Settles one period. `previous` is the state returned by the last settlement of
// this agreement (a default SettlementState for the first period); a state carried
// over from an earlier version is allowed: tiers are matched by id, and a tier that
// no longer exists has its payments reversed (see docs).
// Fails with InvalidArgument naming the field: "period" (1-32 of [A-Za-z0-9._-]),
// "lines[i].<field>" (malformed line, currency other than the agreement's, a
// different work), "state..." (inconsistent previous state); AlreadyExists for
// "lines[i].idempotency_key" reused with different content; OutOfRange ("lines")
// if cumulative receipts would exceed ±kMaxAmount.
StatusOr<Settlement> Settle(const Agreement& agreement, const SettlementState& previous,
                            std::string_view period, std::span<const RevenueLine> lines);

}  // namespace vt::settlement
