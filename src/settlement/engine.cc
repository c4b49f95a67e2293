// Settle: one period of one agreement version.
#include "settlement/engine.h"

#include <map>
#include <set>
#include <unordered_map>

#include "settlement/amount_sum.h"
#include "settlement/json_fields.h"

namespace vt::settlement {
namespace {

using internal::FieldError;
using internal::IndexPath;

struct LineSummary {
  __int128 net = 0;
  std::vector<size_t> counted, out_of_scope, replayed;
};

Status CheckLine(const Agreement& a, const RevenueLine& line, const std::string& path) {
  VT_RETURN_IF_ERROR(ValidateRevenueLine(line, path));
  if (line.currency != a.currency.code) {
    return FieldError(path + ".currency", "line is in " + line.currency +
                                              ", the agreement settles in " +
                                              std::string(a.currency.code));
  }
  if (!line.work.empty() && line.work != a.work)
    return FieldError(path + ".work", "line is for work " + line.work + ", not " + a.work);
  return OkStatus();
}

StatusOr<LineSummary> SumLines(const Agreement& a, std::span<const RevenueLine> lines) {
  LineSummary sum;
  std::unordered_map<std::string_view, size_t> seen;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string path = IndexPath("lines", i);
    VT_RETURN_IF_ERROR(CheckLine(a, lines[i], path));
    auto [it, fresh] = seen.emplace(lines[i].idempotency_key, i);
    if (!fresh) {
      if (!(lines[it->second] == lines[i])) {
        return AlreadyExistsError("idempotency key reused by lines[" + std::to_string(it->second) +
                                  "] with different content")
            .WithField(path + ".idempotency_key");
      }
      sum.replayed.push_back(i);
      continue;
    }
    if (!InScope(a, lines[i])) {
      sum.out_of_scope.push_back(i);
      continue;
    }
    sum.counted.push_back(i);
    sum.net += lines[i].amount;  // |amount| < 2^53 and count < 2^64: no overflow
  }
  return sum;
}

Status CheckPeriod(std::string_view period) {
  bool ok = !period.empty() && period.size() <= 32;
  for (char c : period)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-');
  if (!ok) return FieldError("period", "must be 1-32 of [A-Za-z0-9._-], e.g. 2025-07");
  return OkStatus();
}

// Builds trace steps in waterfall order and accumulates payee deltas.
class TraceBuilder {
 public:
  TraceBuilder(const SettlementState& before, const SettlementState& after, Settlement* out)
      : before_(before), after_(after), out_(out) {}

  void Tiers(const std::vector<Tier>& tiers, const std::string& pool, int depth) {
    for (const Tier& t : tiers) {
      Step(t.id, t.kind, pool, depth, false);
      for (const Share& s : t.shares) {
        if (!s.pool) continue;
        const std::string& first = s.pool->tiers.front().id;  // receives the pool's amount
        out_->trace.back().pools.push_back(
            {s.pool->id, Input(after_, first) - Input(before_, first)});
      }
      for (const Share& s : t.shares)
        if (s.pool) Tiers(s.pool->tiers, s.pool->id, depth + 1);
    }
  }

  // Tiers that only the previous state knows (an earlier version's terms).
  void Retired() {
    for (const auto& [id, t] : before_.tiers)
      if (!visited_.contains(id)) Step(id, TierKind::kShares, "", 0, true);
  }

  Status Finish() {
    for (const auto& [payee, sum] : totals_) {
      VT_ASSIGN_OR_RETURN(Amount amount, sum.Total("payees." + payee));
      out_->payees.push_back({payee, amount});
    }
    return OkStatus();
  }

 private:
  static Amount Input(const SettlementState& s, const std::string& tier_id) {
    auto it = s.tiers.find(tier_id);
    return it == s.tiers.end() ? 0 : it->second.input;
  }

  void Step(const std::string& id, TierKind kind, const std::string& pool, int depth,
            bool retired) {
    visited_.insert(id);
    static const TierState kEmpty;
    auto b = before_.tiers.find(id);
    auto a = after_.tiers.find(id);
    const TierState& tb = b == before_.tiers.end() ? kEmpty : b->second;
    const TierState& ta = a == after_.tiers.end() ? kEmpty : a->second;
    TraceStep step{id, kind, pool, depth, retired, tb.input, ta.input, tb.taken, ta.taken, {}, {}};
    std::map<std::string, Amount> delta;
    for (const auto& [payee, amount] : ta.paid) delta[payee] += amount;
    for (const auto& [payee, amount] : tb.paid) delta[payee] -= amount;
    for (const auto& [payee, amount] : delta) {
      step.paid.push_back({payee, amount});
      totals_[payee].Add(amount);
    }
    out_->trace.push_back(std::move(step));
  }

  const SettlementState& before_;
  const SettlementState& after_;
  Settlement* out_;
  std::set<std::string> visited_;
  std::map<std::string, AmountSum> totals_;
};

}  // namespace

Amount Settlement::AmountFor(std::string_view payee) const {
  for (const PayeeAmount& p : payees)
    if (p.payee == payee) return p.amount;
  return 0;
}

StatusOr<Settlement> Settle(const Agreement& agreement, const SettlementState& previous,
                            std::string_view period, std::span<const RevenueLine> lines) {
  VT_RETURN_IF_ERROR(CheckPeriod(period));
  VT_RETURN_IF_ERROR(ValidateState(previous));
  VT_ASSIGN_OR_RETURN(LineSummary sum, SumLines(agreement, lines));
  __int128 gross = sum.net + previous.gross;
  if (gross > kMaxAmount || gross < -kMaxAmount) {
    return OutOfRangeError("cumulative receipts would exceed the largest exact amount " +
                           std::to_string(kMaxAmount))
        .WithField("lines");
  }
  Settlement out;
  out.period = std::string(period);
  out.net_receipts = static_cast<Amount>(gross) - previous.gross;
  out.gross_before = previous.gross;
  out.gross_after = static_cast<Amount>(gross);
  VT_ASSIGN_OR_RETURN(out.state, Evaluate(agreement, out.gross_after, previous));
  TraceBuilder trace(previous, out.state, &out);
  trace.Tiers(agreement.tiers, "", 0);
  trace.Retired();
  VT_RETURN_IF_ERROR(trace.Finish());
  AmountSum total;
  for (const PayeeAmount& p : out.payees) total.Add(p.amount);
  AmountSum net;
  net.Add(out.net_receipts);
  if (!(total == net)) return InternalError("settlement does not sum to net receipts");
  out.counted = std::move(sum.counted);
  out.out_of_scope = std::move(sum.out_of_scope);
  out.replayed = std::move(sum.replayed);
  return out;
}

}  // namespace vt::settlement
