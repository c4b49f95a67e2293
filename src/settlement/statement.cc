#include "settlement/statement.h"

#include <map>

#include "settlement/amount_sum.h"

namespace vt::settlement {
namespace {

// Tier labels by tier id, pools included.
void IndexLabels(const std::vector<Tier>& tiers, std::map<std::string, std::string>* out) {
  for (const Tier& t : tiers) {
    for (const Share& s : t.shares)
      if (s.pool) IndexLabels(s.pool->tiers, out);
    (*out)[t.id] = t.label;
  }
}

Json AgreementRef(const Agreement& a, std::string_view digest) {
  return {{"id", a.id}, {"version", a.version}, {"digest", std::string(digest)}};
}

Json PayeeJson(const Agreement& a, const std::string& payee) {
  Json j = {{"id", payee}};
  if (const PartyInfo* p = a.FindParty(payee)) {
    j["name"] = p->name;
    if (!p->role.empty()) j["role"] = p->role;
  }
  return j;
}

std::string Row(std::initializer_list<std::string> fields) {
  std::string line;
  for (const std::string& f : fields) {
    if (!line.empty()) line += ',';
    line += CsvField(f);
  }
  return line + "\r\n";
}

StatusOr<std::string> Canonical(const Json& j) { return Canonicalize(j); }

}  // namespace

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

StatusOr<PartyStatement> BuildStatement(const Agreement& agreement, const Settlement& settlement,
                                        std::string_view payee) {
  std::map<std::string, std::string> labels;
  IndexLabels(agreement.tiers, &labels);
  PartyStatement st;
  st.payee = std::string(payee);
  AmountSum total, cumulative_total;
  for (const TraceStep& step : settlement.trace) {
    for (const PayeeAmount& p : step.paid) {
      if (p.payee != payee) continue;
      StatementItem item{step.tier_id,
                         std::string(step.retired ? "retired" : TierKindName(step.kind)),
                         labels[step.tier_id],
                         step.pool,
                         p.amount,
                         0};
      auto t = settlement.state.tiers.find(step.tier_id);
      if (t != settlement.state.tiers.end()) {
        auto c = t->second.paid.find(st.payee);
        if (c != t->second.paid.end()) item.cumulative = c->second;
      }
      total.Add(item.amount);
      cumulative_total.Add(item.cumulative);
      st.items.push_back(std::move(item));
    }
  }
  VT_ASSIGN_OR_RETURN(st.total, total.Total("total"));
  VT_ASSIGN_OR_RETURN(st.cumulative_total, cumulative_total.Total("cumulative_total"));
  if (st.items.empty())
    return NotFoundError("no statement for \"" + st.payee + "\" in this settlement")
        .WithField("payee");
  return st;
}

StatusOr<std::string> StatementJson(const Agreement& agreement, const Settlement& settlement,
                                    std::string_view payee, std::string_view agreement_digest) {
  VT_ASSIGN_OR_RETURN(PartyStatement st, BuildStatement(agreement, settlement, payee));
  Json items = Json::array();
  for (const StatementItem& i : st.items) {
    Json j = {
        {"tier", i.tier_id}, {"kind", i.kind}, {"amount", i.amount}, {"cumulative", i.cumulative}};
    if (!i.label.empty()) j["label"] = i.label;
    if (!i.pool.empty()) j["pool"] = i.pool;
    items.push_back(std::move(j));
  }
  Json doc = {
      {"format", kStatementFormat},
      {"agreement", AgreementRef(agreement, agreement_digest)},
      {"work", agreement.work},
      {"period", settlement.period},
      {"currency", agreement.currency.code},
      {"scale", agreement.currency.scale},
      {"payee", PayeeJson(agreement, st.payee)},
      {"receipts", {{"period", settlement.net_receipts}, {"cumulative", settlement.gross_after}}},
      {"items", std::move(items)},
      {"total", {{"amount", st.total}, {"cumulative", st.cumulative_total}}}};
  return Canonical(doc);
}

StatusOr<std::string> StatementCsv(const Agreement& agreement, const Settlement& settlement,
                                   std::string_view payee) {
  VT_ASSIGN_OR_RETURN(PartyStatement st, BuildStatement(agreement, settlement, payee));
  const int scale = agreement.currency.scale;
  const std::string version = std::to_string(agreement.version);
  const std::string currency(agreement.currency.code);
  std::string out =
      Row({"row", "agreement_id", "agreement_version", "period", "currency", "payee", "tier",
           "kind", "label", "amount_minor", "amount", "cumulative_minor", "cumulative"});
  for (const StatementItem& i : st.items) {
    out += Row({"item", agreement.id, version, settlement.period, currency, st.payee, i.tier_id,
                i.kind, i.label, std::to_string(i.amount), FormatMinor(i.amount, scale),
                std::to_string(i.cumulative), FormatMinor(i.cumulative, scale)});
  }
  out += Row({"total", agreement.id, version, settlement.period, currency, st.payee, "", "", "",
              std::to_string(st.total), FormatMinor(st.total, scale),
              std::to_string(st.cumulative_total), FormatMinor(st.cumulative_total, scale)});
  return out;
}

StatusOr<std::string> SummaryJson(const Agreement& agreement, const Settlement& settlement,
                                  std::string_view agreement_digest) {
  Json payees = Json::array();
  for (const PayeeAmount& p : settlement.payees) {
    Json j = PayeeJson(agreement, p.payee);
    j["amount"] = p.amount;
    j["cumulative"] = settlement.state.PaidTo(p.payee);
    payees.push_back(std::move(j));
  }
  Json tiers = Json::array();
  for (const TraceStep& s : settlement.trace) {
    Json j = {{"tier", s.tier_id},
              {"kind", s.retired ? "retired" : std::string(TierKindName(s.kind))},
              {"input", s.input_after},
              {"taken", s.taken_after},
              {"amount", s.taken_after - s.taken_before}};
    if (!s.pool.empty()) j["pool"] = s.pool;
    tiers.push_back(std::move(j));
  }
  Json doc = {{"format", kSummaryFormat},
              {"agreement", AgreementRef(agreement, agreement_digest)},
              {"work", agreement.work},
              {"period", settlement.period},
              {"currency", agreement.currency.code},
              {"scale", agreement.currency.scale},
              {"receipts",
               {{"period", settlement.net_receipts},
                {"cumulative_before", settlement.gross_before},
                {"cumulative", settlement.gross_after}}},
              {"lines",
               {{"counted", settlement.counted.size()},
                {"out_of_scope", settlement.out_of_scope.size()},
                {"replayed", settlement.replayed.size()}}},
              {"payees", std::move(payees)},
              {"tiers", std::move(tiers)},
              {"total", settlement.net_receipts}};
  return Canonical(doc);
}

std::string SummaryCsv(const Agreement& agreement, const Settlement& settlement) {
  const int scale = agreement.currency.scale;
  const std::string version = std::to_string(agreement.version);
  const std::string currency(agreement.currency.code);
  std::string out = Row({"row", "agreement_id", "agreement_version", "period", "currency", "payee",
                         "name", "amount_minor", "amount", "cumulative_minor", "cumulative"});
  for (const PayeeAmount& p : settlement.payees) {
    const PartyInfo* party = agreement.FindParty(p.payee);
    Amount cumulative = settlement.state.PaidTo(p.payee);
    out += Row({"payee", agreement.id, version, settlement.period, currency, p.payee,
                party ? party->name : "", std::to_string(p.amount), FormatMinor(p.amount, scale),
                std::to_string(cumulative), FormatMinor(cumulative, scale)});
  }
  out += Row({"total", agreement.id, version, settlement.period, currency, "", "",
              std::to_string(settlement.net_receipts), FormatMinor(settlement.net_receipts, scale),
              std::to_string(settlement.gross_after), FormatMinor(settlement.gross_after, scale)});
  return out;
}

}  // namespace vt::settlement
