// Revenue lines: what a work earned, as it arrives from ticketing, streaming or
// merchandise systems (docs/settlement.md, "Revenue and settlement").
#pragma once

#include <string>

#include "base/jcs.h"
#include "base/status.h"
#include "settlement/money.h"
#include "settlement/terms.h"

namespace vt::settlement {

struct RevenueLine {
  std::string idempotency_key;  // the same key twice is one line (a replay)
  std::string work;             // optional: the work or event the revenue belongs to
  Amount amount = 0;            // minor units; negative for refunds and chargebacks
  std::string currency;         // ISO 4217 code, must equal the agreement's
  std::string territory;        // ISO 3166-1 alpha-2 ("CN")
  std::string channel;          // lower-case token ("ticketing")
  std::string period;           // month the revenue was earned, "YYYY-MM"
  std::string external_ref;     // optional: the source system's reference
  friend bool operator==(const RevenueLine&, const RevenueLine&) = default;
};

// Parses {"idempotency_key", "work"?, "amount", "currency", "territory", "channel",
// "period", "external_ref"?}. Fails with InvalidArgument naming `path`.field for a
// missing or malformed field, an unknown field, an unknown currency or an amount
// outside ±kMaxAmount.
StatusOr<RevenueLine> RevenueLineFromJson(const Json& json, const std::string& path = "");
Json RevenueLineToJson(const RevenueLine& line);

// Checks one line's shape (as RevenueLineFromJson does) for lines built in code.
Status ValidateRevenueLine(const RevenueLine& line, const std::string& path);

// True if the agreement's scope covers the line (no scope covers everything).
bool InScope(const Agreement& agreement, const RevenueLine& line);

}  // namespace vt::settlement
