#include "settlement/state.h"

#include <map>

#include "settlement/amount_sum.h"
#include "settlement/json_fields.h"

namespace vt::settlement {

using internal::FieldError;
using internal::JoinPath;
using internal::ObjectReader;

Amount SettlementState::PaidTo(const std::string& payee) const {
  Amount sum = 0;
  for (const auto& [id, t] : tiers) {
    auto it = t.paid.find(payee);
    // Within ±kMaxAmount: ValidateState checks it of stored states; the parts of an
    // evaluated state share the sign of its gross.
    if (it != t.paid.end()) sum += it->second;
  }
  return sum;
}

Status ValidateState(const SettlementState& state) {
  VT_RETURN_IF_ERROR(CheckAmount(state.gross, "state.gross"));
  __int128 paid_sum = 0;
  std::map<std::string, AmountSum> per_payee;  // what PaidTo returns, checked here
  for (const auto& [id, t] : state.tiers) {
    std::string tp = JoinPath("state.tiers", id);
    if (!internal::IsIdentifier(id, 64)) return FieldError(tp, "tier id is not an identifier");
    VT_RETURN_IF_ERROR(CheckAmount(t.input, JoinPath(tp, "input")));
    VT_RETURN_IF_ERROR(CheckAmount(t.taken, JoinPath(tp, "taken")));
    for (const auto& [payee, amount] : t.paid) {
      std::string pp = JoinPath(JoinPath(tp, "paid"), payee);
      if (!internal::IsIdentifier(payee, 140)) return FieldError(pp, "payee is not an identifier");
      VT_RETURN_IF_ERROR(CheckAmount(amount, pp));
      paid_sum += amount;
      per_payee[payee].Add(amount);
    }
  }
  for (const auto& [payee, sum] : per_payee)
    VT_RETURN_IF_ERROR(sum.Total(JoinPath("state.paid", payee)).status());
  if (paid_sum != state.gross) {
    return FieldError("state.tiers", "paid amounts sum to " +
                                         std::to_string(static_cast<int64_t>(paid_sum)) +
                                         " but cumulative gross is " + std::to_string(state.gross));
  }
  return OkStatus();
}

Json StateToJson(const SettlementState& state) {
  Json tiers = Json::object();
  for (const auto& [id, t] : state.tiers) {
    Json paid = Json::object();
    for (const auto& [payee, amount] : t.paid) paid[payee] = amount;
    tiers[id] = {{"input", t.input}, {"taken", t.taken}, {"paid", std::move(paid)}};
  }
  return {{"gross", state.gross}, {"tiers", std::move(tiers)}};
}

StatusOr<SettlementState> StateFromJson(const Json& json) {
  VT_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(json, "state"));
  SettlementState s;
  VT_ASSIGN_OR_RETURN(s.gross, r.Int("gross", -kMaxAmount, kMaxAmount));
  VT_ASSIGN_OR_RETURN(const Json* tiers, r.Object("tiers"));
  for (auto it = tiers->begin(); it != tiers->end(); ++it) {
    VT_ASSIGN_OR_RETURN(ObjectReader t, ObjectReader::Open(*it, r.Path("tiers") + "." + it.key()));
    TierState ts;
    VT_ASSIGN_OR_RETURN(ts.input, t.Int("input", -kMaxAmount, kMaxAmount));
    VT_ASSIGN_OR_RETURN(ts.taken, t.Int("taken", -kMaxAmount, kMaxAmount));
    VT_ASSIGN_OR_RETURN(const Json* paid, t.Object("paid"));
    for (auto p = paid->begin(); p != paid->end(); ++p) {
      VT_ASSIGN_OR_RETURN(ts.paid[p.key()], internal::ReadInt(*p, t.Path("paid") + "." + p.key(),
                                                              -kMaxAmount, kMaxAmount));
    }
    VT_RETURN_IF_ERROR(t.Finish());
    s.tiers[it.key()] = std::move(ts);
  }
  VT_RETURN_IF_ERROR(r.Finish());
  VT_RETURN_IF_ERROR(ValidateState(s));
  return s;
}

}  // namespace vt::settlement
