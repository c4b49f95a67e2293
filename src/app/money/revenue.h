// Revenue lines: what works and events earned, as they arrive by API and CSV
// import (docs/settlement.md, "Revenue lines").
//
// A line is stored once per (organization, idempotency key). Importing a line
// whose key is known is a replay: with identical content it is reported as a
// duplicate and not stored again; with different content the whole request is
// refused (AlreadyExists, 409, naming lines[i].idempotency_key). A request is
// all-or-nothing: any bad line refuses it with InvalidArgument naming the field
// ("lines[3].currency") and nothing is written.
//
// One log entry per request (revenue.imported), not one per line: it carries the
// SHA-256 of the canonical JSON array of the new lines in request order (the batch
// hash), so the log grows by one entry per import whatever its size and every
// line stays provable by re-hashing its batch (GET lines of a batch is the same
// order: batch_seq, then position).
//
// Thread-safe: RevenueBook holds no mutable state of its own.
#pragma once

#include <string>
#include <vector>

#include "app/access/service.h"
#include "base/clock.h"
#include "base/rng.h"
#include "settlement/lines.h"
#include "store/money/money_repo.h"

namespace vt::app {

inline constexpr size_t kMaxLinesPerImport = 10000;

struct ImportResult {
  std::string batch_id;  // "rvb_..."; empty when every line was a duplicate
  int64_t batch_seq = 0;
  size_t received = 0;
  size_t imported = 0;
  std::vector<std::string> duplicates;  // idempotency keys already stored, same content
  std::string batch_sha256;             // hex; hash of the new lines (see above)
  Json ToJson() const;
};

// Parses {"lines": [...]} (each line as settlement::RevenueLineFromJson, plus a
// required "work" unless the line names an "agreement"). InvalidArgument naming
// "lines[i].field" or "lines". `agreements`, if given, receives each line's
// "agreement" member ("" if absent), in order.
StatusOr<std::vector<settlement::RevenueLine>> RevenueLinesFromJson(
    const Json& body, std::vector<std::string>* agreements = nullptr);

// Files every line under a work the importing organization can settle
// (docs/settlement.md, "Revenue import"): a line naming an agreement (an
// agreement of `p`'s organization) takes that agreement's work (its own `work`,
// if any, must be the same); any other line's work must be a registered work id
// or the work of an agreement of `p`'s organization. InvalidArgument naming
// "lines[i].work" or "lines[i].agreement" otherwise. `agreements` is empty or
// parallel to `lines`.
Status ResolveLineWorks(store::MoneyReader& repo, const Principal& p,
                        std::vector<settlement::RevenueLine>& lines,
                        const std::vector<std::string>& agreements);

// Checks one line for import: the settlement module's shape checks, a known
// ISO 4217 currency, |amount| <= kMaxAmount and a non-empty work. `path` prefixes
// the field ("lines[3]").
Status ValidateImportLine(const settlement::RevenueLine& line, const std::string& path);

// The canonical JSON array of `lines` and its SHA-256 (hex).
std::string LinesSha256(const std::vector<settlement::RevenueLine>& lines);

// An import request checked before its transaction: the caller may write, the
// size, every line, and repeats of a key within the request (the first
// occurrence counts; a repeat with different content is refused).
struct ImportPlan {
  std::vector<size_t> unique;        // indexes of the first occurrence of each key
  std::vector<std::string> repeats;  // keys repeated within the request, same content
};
// PermissionDenied, InvalidArgument or AlreadyExists as RevenueBook::Import;
// OutOfRange (field "lines") if the lines of one currency sum beyond ±kMaxAmount.
StatusOr<ImportPlan> PlanImport(const Principal& p,
                                const std::vector<settlement::RevenueLine>& lines);

// The import's transaction: finds the stored lines of the plan's keys (a replay
// with the same content is a duplicate, with different content AlreadyExists),
// stores the new lines and their batch `batch_id` through `repo`, and appends
// the revenue.imported entry to `log` (nothing when every line is a duplicate).
// OutOfRange (field "lines"), nothing written, if the new lines of one currency
// sum beyond ±kMaxAmount: the entry's totals are exact or there is no entry.
StatusOr<ImportResult> StoreImport(store::MoneyWriter& repo, const Principal& p,
                                   const std::vector<settlement::RevenueLine>& lines,
                                   const ImportPlan& plan, const std::string& batch_id,
                                   const Clock& clock, std::vector<std::string>* log);

class RevenueBook {
 public:
  // `svc` and `rng` must outlive the book.
  RevenueBook(Service& svc, Rng& rng) : svc_(svc), rng_(rng) {}

  // Imports 1..kMaxLinesPerImport lines for the caller's organization (see the
  // file comment). PermissionDenied for auditors; InvalidArgument for a bad line,
  // an empty or oversized request or a key repeated within the request with
  // different content; AlreadyExists for a stored key with different content.
  // `agreements`: empty, or the agreement each line names ("" for none).
  StatusOr<Written<ImportResult>> Import(const Principal& p,
                                         std::vector<settlement::RevenueLine> lines,
                                         std::vector<std::string> agreements = {});
  // The caller's organization's revenue lines (of `work` and `period` if not
  // empty; at most `limit`, 1..10000, default 1000) with the totals of every
  // matching line per period and currency. JSON {"lines", "truncated",
  // "totals": [{"period", "currency", "lines", "amount"}]}. InvalidArgument
  // (field "limit") for a bad limit.
  StatusOr<Json> List(const Principal& p, const std::string& work, const std::string& period,
                      const std::string& limit);

 private:
  Service& svc_;
  Rng& rng_;
};

}  // namespace vt::app
