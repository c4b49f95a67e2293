// Agreement serialization and small accessors (parsing is in terms_parse.cc).
#include <cstdlib>

#include "settlement/terms.h"

namespace vt::settlement {
namespace {

Json RateToJson(const Rate& r) {
  if (r.basis_points) return Json{{"bp", r.num}};
  return Json{{"num", r.num}, {"den", r.den}};
}

Json TiersToJson(const std::vector<Tier>& tiers);

Json ShareToJson(const Share& s) {
  Json j = {{"weight", s.weight}};
  if (!s.pool) {
    j["payee"] = s.payee;
    return j;
  }
  Json pool = {{"id", s.pool->id}, {"tiers", TiersToJson(s.pool->tiers)}};
  if (!s.pool->name.empty()) pool["name"] = s.pool->name;
  j["pool"] = std::move(pool);
  return j;
}

Json TierToJson(const Tier& t) {
  Json j = {{"id", t.id}, {"kind", TierKindName(t.kind)}};
  if (!t.label.empty()) j["label"] = t.label;
  if (t.kind != TierKind::kShares) j["payee"] = t.payee;
  if (t.rate) j["rate"] = RateToJson(*t.rate);
  if (t.base) j["base"] = *t.base == Base::kGross ? "gross" : "remaining";
  if (t.cap) j["cap"] = *t.cap;
  if (t.kind == TierKind::kFixed) j["amount"] = t.amount;
  if (t.kind == TierKind::kShares) {
    j["unit"] = t.unit == ShareUnit::kBasisPoints ? "bp" : "units";
    Json shares = Json::array();
    for (const Share& s : t.shares) shares.push_back(ShareToJson(s));
    j["shares"] = std::move(shares);
  }
  return j;
}

Json TiersToJson(const std::vector<Tier>& tiers) {
  Json out = Json::array();
  for (const Tier& t : tiers) out.push_back(TierToJson(t));
  return out;
}

Json ScopeToJson(const Scope& s) {
  Json j = Json::object();
  if (!s.territories.empty()) j["territories"] = s.territories;
  if (!s.channels.empty()) j["channels"] = s.channels;
  if (!s.period_from.empty()) j["period_from"] = s.period_from;
  if (!s.period_to.empty()) j["period_to"] = s.period_to;
  return j;
}

}  // namespace

std::string_view TierKindName(TierKind kind) {
  switch (kind) {
    case TierKind::kFee:
      return "fee";
    case TierKind::kCorridor:
      return "corridor";
    case TierKind::kRoyalty:
      return "royalty";
    case TierKind::kFixed:
      return "fixed";
    case TierKind::kRecoupment:
      return "recoupment";
    case TierKind::kShares:
      return "shares";
  }
  return "unknown";
}

Rational Rate::value() const {
  auto r = Rational::Create(num, den);
  if (!r.ok()) std::abort();  // parsing guarantees 0 <= num <= den, den > 0
  return *r;
}

Json Agreement::ToJson() const {
  Json j = {{"format", kAgreementFormat},
            {"id", id},
            {"version", version},
            {"work", work},
            {"currency", currency.code}};
  if (!title.empty()) j["title"] = title;
  Json ps = Json::array();
  for (const PartyInfo& p : parties) {
    Json pj = {{"id", p.id}, {"name", p.name}};
    if (!p.role.empty()) pj["role"] = p.role;
    ps.push_back(std::move(pj));
  }
  j["parties"] = std::move(ps);
  if (scope) j["scope"] = ScopeToJson(*scope);
  if (nesting) j["nesting"] = *nesting == Nesting::kFlattened ? "flattened" : "hierarchical";
  if (rounding)
    j["rounding"] = *rounding == Rounding::kLargestRemainder ? "largest_remainder" : "quota";
  j["tiers"] = TiersToJson(tiers);
  return j;
}

std::string Agreement::CanonicalBytes() const {
  auto bytes = Canonicalize(ToJson());
  if (!bytes.ok()) std::abort();  // parsed strings are valid UTF-8 and numbers are integers
  return *std::move(bytes);
}

const PartyInfo* Agreement::FindParty(std::string_view party_id) const {
  for (const PartyInfo& p : parties)
    if (p.id == party_id) return &p;
  return nullptr;
}

std::string Agreement::PayeeDisplayName(std::string_view payee) const {
  if (payee.starts_with(kAgreementPayeePrefix))
    return "the agreement of work " + std::string(payee.substr(kAgreementPayeePrefix.size()));
  const PartyInfo* p = FindParty(payee);
  if (p == nullptr) return std::string(payee);
  return p->name + " (" + p->id + ")";
}

}  // namespace vt::settlement
