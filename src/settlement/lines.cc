#include "settlement/lines.h"

#include <algorithm>

#include "settlement/json_fields.h"

namespace vt::settlement {

using internal::FieldError;
using internal::JoinPath;

Status ValidateRevenueLine(const RevenueLine& line, const std::string& path) {
  if (!internal::IsIdentifier(line.idempotency_key, 200))
    return FieldError(JoinPath(path, "idempotency_key"), "must be 1-200 of [A-Za-z0-9._@:-]");
  if (!line.work.empty() && !internal::IsIdentifier(line.work))
    return FieldError(JoinPath(path, "work"), "must be 1-128 of [A-Za-z0-9._@:-]");
  VT_RETURN_IF_ERROR(CheckAmount(line.amount, JoinPath(path, "amount")));
  auto currency = FindCurrency(line.currency);
  if (!currency.ok()) return FieldError(JoinPath(path, "currency"), currency.status().message());
  if (!internal::IsTerritory(line.territory))
    return FieldError(JoinPath(path, "territory"), "must be an ISO 3166-1 alpha-2 code such as CN");
  if (!internal::IsChannel(line.channel))
    return FieldError(JoinPath(path, "channel"), "must be 1-32 of [a-z0-9_-]");
  if (!internal::IsMonth(line.period))
    return FieldError(JoinPath(path, "period"), "must be a month YYYY-MM");
  if (line.external_ref.size() > 256)
    return FieldError(JoinPath(path, "external_ref"), "longer than 256 bytes");
  return OkStatus();
}

StatusOr<RevenueLine> RevenueLineFromJson(const Json& json, const std::string& path) {
  VT_ASSIGN_OR_RETURN(internal::ObjectReader r, internal::ObjectReader::Open(json, path));
  RevenueLine l;
  VT_ASSIGN_OR_RETURN(l.idempotency_key, r.String("idempotency_key", 200));
  VT_ASSIGN_OR_RETURN(auto work, r.OptString("work", 128));
  l.work = work.value_or("");
  const Json* amount = r.Has("amount") ? &json.at("amount") : nullptr;
  if (amount == nullptr) return FieldError(r.Path("amount"), "is required");
  auto v = internal::ReadInt(*amount, r.Path("amount"), INT64_MIN, INT64_MAX);
  if (!v.ok()) return v.status();
  l.amount = *v;
  VT_ASSIGN_OR_RETURN(l.currency, r.String("currency", 8));
  VT_ASSIGN_OR_RETURN(l.territory, r.String("territory", 8));
  VT_ASSIGN_OR_RETURN(l.channel, r.String("channel", 32));
  VT_ASSIGN_OR_RETURN(l.period, r.String("period", 16));
  VT_ASSIGN_OR_RETURN(auto ref, r.OptString("external_ref", 256));
  l.external_ref = ref.value_or("");
  VT_RETURN_IF_ERROR(r.Finish());
  VT_RETURN_IF_ERROR(ValidateRevenueLine(l, path));
  return l;
}

Json RevenueLineToJson(const RevenueLine& l) {
  Json j = {{"idempotency_key", l.idempotency_key},
            {"amount", l.amount},
            {"currency", l.currency},
            {"territory", l.territory},
            {"channel", l.channel},
            {"period", l.period}};
  if (!l.work.empty()) j["work"] = l.work;
  if (!l.external_ref.empty()) j["external_ref"] = l.external_ref;
  return j;
}

bool InScope(const Agreement& agreement, const RevenueLine& line) {
  if (!agreement.scope) return true;
  const Scope& s = *agreement.scope;
  auto listed = [](const std::vector<std::string>& list, const std::string& v) {
    return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
  };
  if (!listed(s.territories, line.territory) || !listed(s.channels, line.channel)) return false;
  if (!s.period_from.empty() && line.period < s.period_from) return false;
  if (!s.period_to.empty() && line.period > s.period_to) return false;
  return true;
}

}  // namespace vt::settlement
