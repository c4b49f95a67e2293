// Agreement::FromJson: strict parsing and validation of a split agreement version.
#include <set>

#include "settlement/apportion.h"
#include "settlement/flatten.h"
#include "settlement/json_fields.h"
#include "settlement/terms.h"

namespace vt::settlement {
namespace {

using internal::FieldError;
using internal::IndexPath;
using internal::ObjectReader;

constexpr int kMaxDepth = 8;
constexpr int64_t kMaxRateDen = int64_t{1} << 40;

struct ParseContext {
  const Agreement* agreement;              // parties and work are already parsed
  std::set<std::string, std::less<>> ids;  // tier and pool ids seen so far
};

StatusOr<Rate> ParseRate(const Json& json, const std::string& path) {
  VT_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(json, path));
  Rate rate;
  if (r.Has("bp")) {
    if (r.Has("num") || r.Has("den"))
      return FieldError(path, "give either bp or num/den, not both");
    VT_ASSIGN_OR_RETURN(rate.num, r.Int("bp", 0, 10000));
    rate.den = 10000;
    rate.basis_points = true;
  } else {
    VT_ASSIGN_OR_RETURN(rate.den, r.Int("den", 1, kMaxRateDen));
    VT_ASSIGN_OR_RETURN(rate.num, r.Int("num", 0, kMaxRateDen));
    if (rate.num > rate.den)
      return FieldError(r.Path("num"), "rate must not exceed 1 (num <= den)");
  }
  if (rate.num == 0) return FieldError(path, "rate must be positive");
  VT_RETURN_IF_ERROR(r.Finish());
  return rate;
}

Status CheckPartyPayee(const ParseContext& ctx, const std::string& payee, const std::string& path) {
  if (ctx.agreement->FindParty(payee) == nullptr)
    return FieldError(path, "\"" + payee + "\" is not one of the agreement's parties");
  return OkStatus();
}

Status CheckUpstreamPayee(const ParseContext& ctx, const std::string& payee,
                          const std::string& path) {
  std::string_view p = payee;
  if (!p.starts_with(kAgreementPayeePrefix) || p.size() == kAgreementPayeePrefix.size())
    return FieldError(path, "a royalty is paid to \"agreement:<upstream work id>\"");
  if (p.substr(kAgreementPayeePrefix.size()) == ctx.agreement->work)
    return FieldError(path, "a work cannot pay a royalty into its own agreement");
  return OkStatus();
}

StatusOr<TierKind> ParseKind(const std::string& s, const std::string& path) {
  for (TierKind k : {TierKind::kFee, TierKind::kCorridor, TierKind::kRoyalty, TierKind::kFixed,
                     TierKind::kRecoupment, TierKind::kShares}) {
    if (s == TierKindName(k)) return k;
  }
  return FieldError(path, "unknown tier kind \"" + s +
                              "\" (expected fee, corridor, royalty, fixed, recoupment or shares)");
}

StatusOr<std::vector<Tier>> ParseTiers(ParseContext& ctx, const Json& json, const std::string& path,
                                       int depth);

Status ParseShareList(ParseContext& ctx, ObjectReader& r, Tier& tier, int depth) {
  VT_ASSIGN_OR_RETURN(std::string unit, r.String("unit"));
  if (unit == "bp")
    tier.unit = ShareUnit::kBasisPoints;
  else if (unit == "units")
    tier.unit = ShareUnit::kUnits;
  else
    return FieldError(r.Path("unit"), "unit must be \"bp\" or \"units\"");
  VT_ASSIGN_OR_RETURN(const Json* list, r.Array("shares"));
  std::string list_path = r.Path("shares");
  if (list->empty()) return FieldError(list_path, "must list at least one share");
  std::set<std::string, std::less<>> keys;
  __int128 sum = 0;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string sp = IndexPath(list_path, i);
    VT_ASSIGN_OR_RETURN(ObjectReader s, ObjectReader::Open((*list)[i], sp));
    Share share;
    VT_ASSIGN_OR_RETURN(share.weight, s.Int("weight", INT64_MIN, INT64_MAX));
    if (share.weight < 0)
      return FieldError(s.Path("weight"),
                        "share must not be negative, got " + std::to_string(share.weight));
    VT_ASSIGN_OR_RETURN(std::optional<std::string> payee, s.OptString("payee", 128));
    VT_ASSIGN_OR_RETURN(const Json* pool, s.OptObject("pool"));
    if (payee.has_value() == (pool != nullptr))
      return FieldError(sp, "a share has exactly one of payee and pool");
    if (payee) {
      VT_RETURN_IF_ERROR(CheckPartyPayee(ctx, *payee, s.Path("payee")));
      share.payee = *payee;
    } else {
      VT_ASSIGN_OR_RETURN(ObjectReader p, ObjectReader::Open(*pool, s.Path("pool")));
      Pool parsed;
      VT_ASSIGN_OR_RETURN(parsed.id, p.String("id", 64));
      if (!internal::IsIdentifier(parsed.id, 64) || !ctx.ids.insert(parsed.id).second)
        return FieldError(p.Path("id"), "pool id must be a unique identifier");
      VT_ASSIGN_OR_RETURN(auto name, p.OptString("name"));
      parsed.name = name.value_or("");
      VT_ASSIGN_OR_RETURN(const Json* sub, p.Array("tiers"));
      VT_ASSIGN_OR_RETURN(parsed.tiers, ParseTiers(ctx, *sub, p.Path("tiers"), depth + 1));
      VT_RETURN_IF_ERROR(p.Finish());
      share.pool = std::move(parsed);
    }
    if (!keys.insert(share.key()).second)
      return FieldError(sp, "\"" + share.key() + "\" appears twice in this tier");
    VT_RETURN_IF_ERROR(s.Finish());
    sum += share.weight;
    tier.shares.push_back(std::move(share));
  }
  if (tier.unit == ShareUnit::kBasisPoints && sum != 10000) {
    return FieldError(list_path,
                      "shares sum to " +
                          std::to_string(static_cast<int64_t>(sum > INT64_MAX ? INT64_MAX : sum)) +
                          " basis points, expected 10000");
  }
  if (tier.unit == ShareUnit::kUnits && (sum <= 0 || sum > INT64_MAX))
    return FieldError(list_path, "shares must sum to a positive number of units");
  std::vector<int64_t> weights;
  for (const Share& s : tier.shares) weights.push_back(s.weight);
  auto cycle = ApportionCycle(weights);
  if (!cycle.ok()) return FieldError(list_path, cycle.status().message());
  return OkStatus();
}

StatusOr<Tier> ParseTier(ParseContext& ctx, const Json& json, const std::string& path, int depth) {
  VT_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(json, path));
  Tier t;
  VT_ASSIGN_OR_RETURN(t.id, r.String("id", 64));
  if (!internal::IsIdentifier(t.id, 64) || !ctx.ids.insert(t.id).second)
    return FieldError(r.Path("id"), "tier id must be a unique identifier");
  VT_ASSIGN_OR_RETURN(std::string kind, r.String("kind"));
  VT_ASSIGN_OR_RETURN(t.kind, ParseKind(kind, r.Path("kind")));
  VT_ASSIGN_OR_RETURN(auto label, r.OptString("label"));
  t.label = label.value_or("");
  bool takes_rate =
      t.kind == TierKind::kFee || t.kind == TierKind::kCorridor || t.kind == TierKind::kRoyalty;
  if (t.kind != TierKind::kShares) {
    VT_ASSIGN_OR_RETURN(t.payee, r.String("payee", 128));
    VT_RETURN_IF_ERROR(t.kind == TierKind::kRoyalty
                           ? CheckUpstreamPayee(ctx, t.payee, r.Path("payee"))
                           : CheckPartyPayee(ctx, t.payee, r.Path("payee")));
  }
  if (takes_rate || t.kind == TierKind::kRecoupment) {
    VT_ASSIGN_OR_RETURN(const Json* rate, takes_rate ? r.Object("rate") : r.OptObject("rate"));
    if (rate != nullptr) {
      VT_ASSIGN_OR_RETURN(t.rate, ParseRate(*rate, r.Path("rate")));
    }
    if (t.kind == TierKind::kRecoupment) {
      VT_ASSIGN_OR_RETURN(t.cap, r.Int("cap", 1, kMaxAmount));
    } else {
      VT_ASSIGN_OR_RETURN(t.cap, r.OptInt("cap", 0, kMaxAmount));
    }
  }
  if (takes_rate) {
    VT_ASSIGN_OR_RETURN(auto base, r.OptString("base"));
    if (base == "remaining")
      t.base = Base::kRemaining;
    else if (base == "gross")
      t.base = Base::kGross;
    else if (base)
      return FieldError(r.Path("base"), "base must be \"remaining\" or \"gross\"");
  }
  if (t.kind == TierKind::kFixed) {
    VT_ASSIGN_OR_RETURN(t.amount, r.Int("amount", 1, kMaxAmount));
  }
  if (t.kind == TierKind::kShares) VT_RETURN_IF_ERROR(ParseShareList(ctx, r, t, depth));
  VT_RETURN_IF_ERROR(r.Finish());
  return t;
}

StatusOr<std::vector<Tier>> ParseTiers(ParseContext& ctx, const Json& json, const std::string& path,
                                       int depth) {
  if (depth > kMaxDepth) return FieldError(path, "pools nest deeper than 8 levels");
  if (json.empty()) return FieldError(path, "must list at least one tier");
  std::vector<Tier> tiers;
  for (size_t i = 0; i < json.size(); ++i) {
    std::string tp = IndexPath(path, i);
    if (!tiers.empty() && tiers.back().kind == TierKind::kShares)
      return FieldError(tp, "no tier may follow a shares tier (it pays out all that remains)");
    VT_ASSIGN_OR_RETURN(Tier t, ParseTier(ctx, json[i], tp, depth));
    tiers.push_back(std::move(t));
  }
  if (tiers.back().kind != TierKind::kShares)
    return FieldError(path,
                      "the last tier must be a shares tier, so that every minor unit is paid");
  return tiers;
}

Status ParseParties(ObjectReader& r, Agreement& a) {
  VT_ASSIGN_OR_RETURN(const Json* list, r.Array("parties"));
  if (list->empty()) return FieldError(r.Path("parties"), "must list at least one party");
  for (size_t i = 0; i < list->size(); ++i) {
    std::string pp = IndexPath("parties", i);
    VT_ASSIGN_OR_RETURN(ObjectReader p, ObjectReader::Open((*list)[i], pp));
    PartyInfo party;
    VT_ASSIGN_OR_RETURN(party.id, p.String("id", 128));
    if (!internal::IsIdentifier(party.id) || party.id.starts_with(kAgreementPayeePrefix))
      return FieldError(p.Path("id"),
                        "party id must be 1-128 of [A-Za-z0-9._@:-], not agreement:*");
    if (a.FindParty(party.id) != nullptr) return FieldError(p.Path("id"), "duplicate party id");
    VT_ASSIGN_OR_RETURN(party.name, p.String("name"));
    VT_ASSIGN_OR_RETURN(auto role, p.OptString("role"));
    party.role = role.value_or("");
    VT_RETURN_IF_ERROR(p.Finish());
    a.parties.push_back(std::move(party));
  }
  return OkStatus();
}

StatusOr<std::vector<std::string>> ParseCodes(ObjectReader& r, std::string_view key,
                                              bool (*valid)(std::string_view), const char* what) {
  VT_ASSIGN_OR_RETURN(const Json* list, r.OptArray(key));
  std::vector<std::string> out;
  if (list == nullptr) return out;
  if (list->empty()) return FieldError(r.Path(key), "omit the list instead of leaving it empty");
  for (size_t i = 0; i < list->size(); ++i) {
    std::string ip = IndexPath(r.Path(key), i);
    VT_ASSIGN_OR_RETURN(std::string code, internal::ReadString((*list)[i], ip, 32));
    if (!valid(code)) return FieldError(ip, std::string("must be ") + what);
    for (const auto& prev : out)
      if (prev == code) return FieldError(ip, "duplicate \"" + code + "\"");
    out.push_back(code);
  }
  return out;
}

StatusOr<Scope> ParseScope(const Json& json) {
  VT_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(json, "scope"));
  Scope s;
  VT_ASSIGN_OR_RETURN(s.territories, ParseCodes(r, "territories", &internal::IsTerritory,
                                                "an ISO 3166-1 alpha-2 code such as CN"));
  VT_ASSIGN_OR_RETURN(s.channels,
                      ParseCodes(r, "channels", &internal::IsChannel, "1-32 of [a-z0-9_-]"));
  using Slot = std::pair<const char*, std::string*>;
  for (Slot slot : {Slot{"period_from", &s.period_from}, Slot{"period_to", &s.period_to}}) {
    VT_ASSIGN_OR_RETURN(auto v, r.OptString(slot.first, 7));
    if (v && !internal::IsMonth(*v))
      return FieldError(r.Path(slot.first), "must be a month YYYY-MM");
    *slot.second = v.value_or("");
  }
  if (!s.period_from.empty() && !s.period_to.empty() && s.period_from > s.period_to)
    return FieldError("scope.period_to", "period_to is before period_from");
  VT_RETURN_IF_ERROR(r.Finish());
  return s;
}

}  // namespace

StatusOr<Agreement> Agreement::FromJson(const Json& json) {
  VT_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(json, ""));
  Agreement a;
  VT_ASSIGN_OR_RETURN(std::string format, r.String("format"));
  if (format != kAgreementFormat)
    return FieldError("format", "expected \"" + std::string(kAgreementFormat) + "\"");
  VT_ASSIGN_OR_RETURN(a.id, r.String("id", 128));
  if (!internal::IsIdentifier(a.id)) return FieldError("id", "must be 1-128 of [A-Za-z0-9._@:-]");
  VT_ASSIGN_OR_RETURN(a.version, r.Int("version", 1, INT32_MAX));
  VT_ASSIGN_OR_RETURN(a.work, r.String("work", 128));
  if (!internal::IsIdentifier(a.work))
    return FieldError("work", "must be 1-128 of [A-Za-z0-9._@:-]");
  VT_ASSIGN_OR_RETURN(auto title, r.OptString("title"));
  a.title = title.value_or("");
  VT_ASSIGN_OR_RETURN(std::string currency, r.String("currency", 8));
  VT_ASSIGN_OR_RETURN(a.currency, FindCurrency(currency));
  VT_RETURN_IF_ERROR(ParseParties(r, a));
  VT_ASSIGN_OR_RETURN(const Json* scope, r.OptObject("scope"));
  if (scope != nullptr) {
    VT_ASSIGN_OR_RETURN(a.scope, ParseScope(*scope));
  }
  VT_ASSIGN_OR_RETURN(auto nesting, r.OptString("nesting"));
  if (nesting == "hierarchical")
    a.nesting = Nesting::kHierarchical;
  else if (nesting == "flattened")
    a.nesting = Nesting::kFlattened;
  else if (nesting)
    return FieldError("nesting", "must be \"hierarchical\" or \"flattened\"");
  VT_ASSIGN_OR_RETURN(auto rounding, r.OptString("rounding"));
  if (rounding == "quota")
    a.rounding = Rounding::kQuota;
  else if (rounding == "largest_remainder")
    a.rounding = Rounding::kLargestRemainder;
  else if (rounding)
    return FieldError("rounding", "must be \"quota\" or \"largest_remainder\"");
  VT_ASSIGN_OR_RETURN(const Json* tiers, r.Array("tiers"));
  ParseContext ctx{&a, {}};
  VT_ASSIGN_OR_RETURN(a.tiers, ParseTiers(ctx, *tiers, "tiers", 0));
  VT_RETURN_IF_ERROR(r.Finish());
  if (a.effective_nesting() == Nesting::kFlattened)
    VT_RETURN_IF_ERROR(internal::ValidateFlattening(a.tiers, "tiers"));
  return a;
}

StatusOr<Agreement> Agreement::Parse(std::string_view text) {
  VT_ASSIGN_OR_RETURN(Json json, ParseJsonStrict(text));
  return FromJson(json);
}

}  // namespace vt::settlement
