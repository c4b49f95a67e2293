// Plain-words explanations of an agreement's waterfall and of a settlement, for
// `vtrust agreement explain` and for statements (docs/settlement.md, "Agreements").
#pragma once

#include <string>

#include "settlement/engine.h"
#include "settlement/terms.h"

namespace vt::settlement {

// The waterfall as numbered English sentences, e.g.
//   "1. Tianyin Live (platform) takes a platform fee of 12% of gross receipts."
// Amounts are formatted with the currency's scale and thousands separators. Pure.
std::string ExplainAgreement(const Agreement& agreement);

// The settlement's trace in words: receipts, then each tier's cumulative figures
// and what it paid to whom this period, then the totals. Pure.
std::string ExplainSettlement(const Agreement& agreement, const Settlement& settlement);

// "1,234,567.89 CNY" (grouped, at the currency's scale).
std::string FormatMoney(Amount amount, const Currency& currency);

}  // namespace vt::settlement
