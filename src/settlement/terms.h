// Split agreements: one version of the terms that decide who is paid what from a
// work's revenue, as a waterfall of tiers (docs/settlement.md, "Agreements"; docs/settlement.md
// has the JSON format with a full example).
//
// An Agreement is plain data, parsed from and serialized to JSON. Parsing is strict:
// unknown fields, wrong types, unknown currencies or tier kinds, negative or
// mis-summed shares are refused with InvalidArgument naming the JSON field path
// ("tiers[3].shares"). ToJson(FromJson(j)) == j for every accepted j (optional fields
// stay absent), so CanonicalBytes() is the RFC 8785 form of the document as written;
// callers hash it (SHA-256) to identify the version. This module does not hash:
// settlement depends only on base.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/jcs.h"
#include "base/status.h"
#include "settlement/money.h"

namespace vt::settlement {

inline constexpr std::string_view kAgreementFormat = "vtrust-agreement/1";
// Payees of upstream royalties: "agreement:<work id>" (the upstream work's agreement,
// which the caller settles next, in topological order of the derivation graph).
inline constexpr std::string_view kAgreementPayeePrefix = "agreement:";

enum class TierKind { kFee, kCorridor, kRoyalty, kFixed, kRecoupment, kShares };
enum class Base { kRemaining, kGross };
enum class ShareUnit { kBasisPoints, kUnits };
enum class Nesting { kHierarchical, kFlattened };
// How a shares tier divides what it receives (docs/settlement.md, "Rounding rules"):
// kQuota splits the cumulative amount by the quota sequence (batching-invariant,
// never moves against receipts); kLargestRemainder splits each period's increment
// by largest remainder (what most people expect of a one-off split; per-payee
// totals then depend on how revenue was batched into periods).
enum class Rounding { kQuota, kLargestRemainder };

// "fee", "corridor", "royalty", "fixed", "recoupment", "shares".
std::string_view TierKindName(TierKind kind);

// A rate as written: {"bp": n} (n / 10000) or {"num": a, "den": b}; 0 <= rate <= 1.
struct Rate {
  int64_t num = 0;
  int64_t den = 1;
  bool basis_points = false;  // written as {"bp": num}; den is then 10000
  Rational value() const;     // normalized num/den
  friend bool operator==(const Rate&, const Rate&) = default;
};

struct Tier;

// A pool: a share that is itself split among sub-parties by its own waterfall.
struct Pool {
  std::string id;    // unique among pools and tiers of the agreement
  std::string name;  // optional label for statements and explanations
  std::vector<Tier> tiers;
};

// One entry of a shares tier: either a payee or a nested pool, with a weight >= 0.
struct Share {
  std::string payee;  // a party id; empty when `pool` is set
  std::optional<Pool> pool;
  int64_t weight = 0;
  // The tie-break key: the payee id, or the pool id.
  const std::string& key() const { return pool ? pool->id : payee; }
};

// One tier of a waterfall. Which fields apply depends on `kind`:
//   fee, corridor, royalty: payee, rate, base (default remaining), cap (optional)
//   fixed:                  payee, amount
//   recoupment:             payee, cap (required), rate (optional, default 1)
//   shares:                 unit, shares (must be the last tier of its waterfall)
struct Tier {
  std::string id;  // unique within the agreement (pools included); keys the state
  TierKind kind = TierKind::kFee;
  std::string label;  // optional human words ("production cost")
  std::string payee;
  std::optional<Rate> rate;
  std::optional<Base> base;
  std::optional<Amount> cap;
  Amount amount = 0;
  ShareUnit unit = ShareUnit::kBasisPoints;
  std::vector<Share> shares;
};

struct PartyInfo {
  std::string id;  // [A-Za-z0-9._@:-], 1..128 chars, not starting "agreement:"
  std::string name;
  std::string role;  // optional ("voice actor")
};

// Which revenue lines the agreement applies to; an absent list means "all".
struct Scope {
  std::vector<std::string> territories;  // ISO 3166-1 alpha-2 codes
  std::vector<std::string> channels;     // lower-case tokens ("ticketing")
  std::string period_from;               // "YYYY-MM", inclusive; empty = open
  std::string period_to;                 // "YYYY-MM", inclusive; empty = open
};

struct Agreement {
  std::string id;       // the agreement's stable id across versions
  int64_t version = 1;  // >= 1
  std::string work;     // the work or event whose revenue this splits
  std::string title;    // optional
  Currency currency;
  std::vector<PartyInfo> parties;
  std::optional<Scope> scope;
  std::optional<Nesting> nesting;    // default hierarchical
  std::optional<Rounding> rounding;  // default quota
  std::vector<Tier> tiers;

  // Parses and validates. Fails with InvalidArgument naming the field path.
  static StatusOr<Agreement> FromJson(const Json& json);
  // ParseJsonStrict + FromJson.
  static StatusOr<Agreement> Parse(std::string_view text);

  // The document as JSON; FromJson(ToJson()) reproduces *this.
  Json ToJson() const;
  // RFC 8785 bytes of ToJson(): hash these to identify the version.
  std::string CanonicalBytes() const;

  Nesting effective_nesting() const { return nesting.value_or(Nesting::kHierarchical); }
  Rounding effective_rounding() const { return rounding.value_or(Rounding::kQuota); }
  // The party with this id, or nullptr.
  const PartyInfo* FindParty(std::string_view id) const;
  // "Name (id)" for a party, "the agreement of work W" for an upstream payee.
  std::string PayeeDisplayName(std::string_view payee) const;
};

}  // namespace vt::settlement
