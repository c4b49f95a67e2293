// Statements: what one payee is owed for a period, and a summary of the whole
// settlement, as canonical JSON and as CSV (docs/settlement.md, "Statements per party and
// period in JSON and CSV"; docs/settlement.md, "Statements").
//
// Every rendering is a pure function of (agreement version, settlement), and the
// settlement is a pure function of (agreement version, previous state, lines):
// re-running gives the same bytes, which is what `vtrust settle verify` compares
// and what the log hashes. Each statement's items sum to its total exactly; the
// summary's payee amounts sum to the period's net receipts. The settlement module
// does not hash or sign: callers pass the agreement's digest in and sign the bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "settlement/engine.h"
#include "settlement/terms.h"

namespace vt::settlement {

inline constexpr std::string_view kStatementFormat = "vtrust-statement/1";
inline constexpr std::string_view kSummaryFormat = "vtrust-settlement/1";

// One tier's contribution to a payee in the period.
struct StatementItem {
  std::string tier_id;
  std::string kind;       // TierKindName, or "retired" for a tier of an earlier version
  std::string label;      // the tier's label, or empty
  std::string pool;       // enclosing pool id, or empty
  Amount amount = 0;      // this period
  Amount cumulative = 0;  // paid by this tier to the payee so far
};

struct PartyStatement {
  std::string payee;
  std::vector<StatementItem> items;  // in waterfall order
  Amount total = 0;                  // sum of items' amounts
  Amount cumulative_total = 0;       // sum of items' cumulative amounts
};

// The statement of `payee`. NotFound (field "payee") if the settlement pays the
// payee nothing in any tier.
StatusOr<PartyStatement> BuildStatement(const Agreement& agreement, const Settlement& settlement,
                                        std::string_view payee);

// RFC 8785 JSON of a party statement. `agreement_digest` identifies the version
// (e.g. "sha256:<hex of the canonical bytes>"); it is copied, not checked.
StatusOr<std::string> StatementJson(const Agreement& agreement, const Settlement& settlement,
                                    std::string_view payee, std::string_view agreement_digest);

// RFC 4180 CSV (CRLF line ends, header line, fixed columns):
//   row,agreement_id,agreement_version,period,currency,payee,tier,kind,label,
//   amount_minor,amount,cumulative_minor,cumulative
// one "item" row per tier, then one "total" row. `amount` and `cumulative` are
// decimals at the currency's scale ("1234.56").
StatusOr<std::string> StatementCsv(const Agreement& agreement, const Settlement& settlement,
                                   std::string_view payee);

// RFC 8785 JSON of the settlement summary: receipts, line counts, every payee's
// amount and cumulative amount, and every tier's figures.
StatusOr<std::string> SummaryJson(const Agreement& agreement, const Settlement& settlement,
                                  std::string_view agreement_digest);

// RFC 4180 CSV of the summary:
//   row,agreement_id,agreement_version,period,currency,payee,name,amount_minor,
//   amount,cumulative_minor,cumulative
// one "payee" row per payee (by id), then one "total" row (net receipts).
std::string SummaryCsv(const Agreement& agreement, const Settlement& settlement);

// Quotes a CSV field per RFC 4180 §2 when it holds a comma, quote, CR or LF.
std::string CsvField(std::string_view value);

}  // namespace vt::settlement
