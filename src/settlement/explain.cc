#include "settlement/explain.h"

#include <numeric>

namespace vt::settlement {
namespace {

// "12%", "12.5%", or "1/3" when the percentage is not a short decimal.
std::string FormatRate(const Rate& rate) {
  Rational r = rate.value();
  __int128 scaled = __int128{r.num()} * 1000000;  // percent with 4 decimals
  if (scaled % r.den() != 0) return r.ToString();
  std::string digits = FormatMinor(static_cast<int64_t>(scaled / r.den()), 4);
  while (digits.back() == '0') digits.pop_back();
  if (digits.back() == '.') digits.pop_back();
  return digits + "%";
}

std::string Payee(const Agreement& a, const std::string& id) { return a.PayeeDisplayName(id); }

std::string BaseWords(const Tier& t) {
  return t.base.value_or(Base::kRemaining) == Base::kGross ? "gross receipts" : "what remains";
}

std::string ShareWords(const Agreement& a, const Tier& t, const Share& s) {
  std::string who = s.pool ? "the " + (s.pool->name.empty() ? s.pool->id : s.pool->name) +
                                 " (pool " + s.pool->id + ")"
                           : Payee(a, s.payee);
  if (t.unit == ShareUnit::kBasisPoints) {
    Rate r{s.weight, 10000, true};
    return who + " " + (s.weight == 0 ? "0%" : FormatRate(r));
  }
  int64_t sum = 0;
  for (const Share& x : t.shares) sum += x.weight;
  return who + " " + std::to_string(s.weight) + " of " + std::to_string(sum) + " units";
}

std::string Label(const Tier& t) { return t.label.empty() ? "" : " (" + t.label + ")"; }

std::string TierSentence(const Agreement& a, const Tier& t) {
  const Currency& c = a.currency;
  std::string cap = t.cap ? ", up to " + FormatMoney(*t.cap, c) + " in total" : "";
  switch (t.kind) {
    case TierKind::kFee:
      return Payee(a, t.payee) + " takes a fee of " + FormatRate(*t.rate) + " of " + BaseWords(t) +
             cap + Label(t) + ".";
    case TierKind::kCorridor:
      return Payee(a, t.payee) + " takes a corridor of " + FormatRate(*t.rate) + " of " +
             BaseWords(t) + cap + Label(t) + ".";
    case TierKind::kRoyalty:
      return "An upstream royalty of " + FormatRate(*t.rate) + " of " + BaseWords(t) + cap +
             Label(t) + " is paid into " + Payee(a, t.payee) + ", which is settled next.";
    case TierKind::kFixed:
      return Payee(a, t.payee) + " receives a fixed " + FormatMoney(t.amount, c) + Label(t) +
             " from the first receipts.";
    case TierKind::kRecoupment:
      return Payee(a, t.payee) + " recoups " + FormatMoney(*t.cap, c) + Label(t) + " from " +
             (t.rate ? FormatRate(*t.rate) + " of what remains" : "all that remains") +
             " until recouped.";
    case TierKind::kShares: {
      std::string s = "What remains is shared" + Label(t) + ": ";
      for (size_t i = 0; i < t.shares.size(); ++i)
        s += (i ? ", " : "") + ShareWords(a, t, t.shares[i]);
      return s + ".";
    }
  }
  return "";
}

void ExplainTiers(const Agreement& a, const std::vector<Tier>& tiers, const std::string& prefix,
                  std::string* out) {
  for (size_t i = 0; i < tiers.size(); ++i) {
    std::string number = prefix + std::to_string(i + 1) + ".";
    std::string indent(prefix.size() / 2 * 2, ' ');
    *out += indent + number + " " + TierSentence(a, tiers[i]) + "\n";
    for (const Share& s : tiers[i].shares) {
      if (!s.pool) continue;
      *out += indent + "   Within the " + (s.pool->name.empty() ? s.pool->id : s.pool->name) +
              " (pool " + s.pool->id + "), its amount is divided again:\n";
      ExplainTiers(a, s.pool->tiers, number, out);
    }
  }
}

bool HasPools(const std::vector<Tier>& tiers) {
  for (const Tier& t : tiers)
    for (const Share& s : t.shares)
      if (s.pool) return true;
  return false;
}

std::string ScopeWords(const Agreement& a) {
  if (!a.scope) return "Applies to all revenue lines of the work.\n";
  const Scope& s = *a.scope;
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out;
  };
  std::string out = "Applies to revenue";
  out += s.territories.empty() ? " in all territories" : " in territories " + join(s.territories);
  out += s.channels.empty() ? ", on all channels" : ", on channels " + join(s.channels);
  if (!s.period_from.empty() || !s.period_to.empty()) {
    out += ", earned " + (s.period_from.empty() ? std::string("up") : "from " + s.period_from) +
           (s.period_to.empty() ? " on" : " to " + s.period_to);
  }
  return out + ".\n";
}

}  // namespace

std::string FormatMoney(Amount amount, const Currency& currency) {
  std::string plain = FormatMinor(amount, currency.scale);
  size_t start = plain[0] == '-' ? 1 : 0;
  size_t end = plain.find('.');
  if (end == std::string::npos) end = plain.size();
  for (size_t i = end; i > start + 3; i -= 3) plain.insert(i - 3, ",");
  return plain + " " + std::string(currency.code);
}

std::string ExplainAgreement(const Agreement& a) {
  std::string out = "Agreement " + a.id + ", version " + std::to_string(a.version) +
                    (a.title.empty() ? "" : ": " + a.title) + "\n";
  out += "Work " + a.work + "; amounts in " + std::string(a.currency.code) + " with " +
         std::to_string(a.currency.scale) + " decimal places.\n";
  out += ScopeWords(a);
  out += "Each tier works on cumulative receipts; each period pays what changed.\n";
  ExplainTiers(a, a.tiers, "", &out);
  if (HasPools(a.tiers)) {
    out += a.effective_nesting() == Nesting::kFlattened
               ? "Pools are flattened: a pool's members are divided together with the other "
                 "shares, by the products of their weights.\n"
               : "Pools are hierarchical: each pool divides the whole amount it received.\n";
  }
  out += a.effective_rounding() == Rounding::kLargestRemainder
             ? "Rounding: percentages round down on cumulative amounts; each period's increase "
               "of a shared amount is divided by largest remainder (everyone gets the whole "
               "units of their exact share, and the units left over go to the largest "
               "fractions), so every minor unit is paid to someone. Totals can differ by a unit "
               "depending on how revenue is grouped into periods.\n"
             : "Rounding: percentages round down on cumulative amounts; shares are divided unit "
               "by unit by the quota rule, so every minor unit is paid to someone.\n";
  return out;
}

std::string ExplainSettlement(const Agreement& a, const Settlement& s) {
  const Currency& c = a.currency;
  std::string out = "Settlement of period " + s.period + " under " + a.id + " version " +
                    std::to_string(a.version) + ".\n";
  out += "Net receipts this period: " + FormatMoney(s.net_receipts, c) + " (" +
         std::to_string(s.counted.size()) + " lines counted, " +
         std::to_string(s.out_of_scope.size()) + " outside the scope, " +
         std::to_string(s.replayed.size()) + " replays ignored); cumulative " +
         FormatMoney(s.gross_after, c) + ", before " + FormatMoney(s.gross_before, c) + ".\n";
  for (size_t i = 0; i < s.trace.size(); ++i) {
    const TraceStep& t = s.trace[i];
    out += std::string(2 * t.depth, ' ') + std::to_string(i + 1) + ". " + t.tier_id + " (" +
           (t.retired ? "retired" : std::string(TierKindName(t.kind))) + "): received " +
           FormatMoney(t.input_after, c) + " in total, took " + FormatMoney(t.taken_after, c) +
           " in total (before " + FormatMoney(t.taken_before, c) + ")";
    std::string paid;
    for (const PayeeAmount& p : t.paid)
      if (p.amount != 0)
        paid += (paid.empty() ? "" : ", ") + Payee(a, p.payee) + " " + FormatMoney(p.amount, c);
    for (const PayeeAmount& p : t.pools)
      if (p.amount != 0)
        paid += (paid.empty() ? "" : ", ") + std::string("pool ") + p.payee + " " +
                FormatMoney(p.amount, c);
    out += paid.empty() ? "; nothing to pay this period.\n" : "; this period " + paid + ".\n";
  }
  out += "Paid this period:\n";
  for (const PayeeAmount& p : s.payees)
    out += "  " + Payee(a, p.payee) + ": " + FormatMoney(p.amount, c) + "\n";
  out += "  Total: " + FormatMoney(s.net_receipts, c) + "\n";
  return out;
}

}  // namespace vt::settlement
