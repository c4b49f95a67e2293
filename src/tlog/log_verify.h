// Client-side audit of a whole tiled log (for `vtrust log verify`): recompute
// the tree bottom-up from the entry bundles, check every fetched hash tile
// against the recomputation, and check the root against a checkpoint the
// caller has already verified (OpenCheckpoint). The first mismatch is
// reported precisely (which resource, which hash, which leaves).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "tlog/checkpoint.h"
#include "tlog/tile.h"

namespace vt::tlog {

// Source of entry bundles (tile/entries/<N>[.p/<W>]), e.g. an HTTP client.
class EntryBundleReader {
 public:
  virtual ~EntryBundleReader() = default;
  // The bundle of entries [index*256, index*256 + width) as served (the
  // uint16-length-prefixed encoding). NotFound if absent.
  virtual StatusOr<std::string> ReadEntryBundle(int64_t index, int width) = 0;
};

struct LogAuditReport {
  int64_t entries = 0;        // entries hashed
  int64_t bundles = 0;        // entry bundles read
  int64_t tiles_checked = 0;  // hash tiles compared with the recomputation
};

// Called for each entry once its bundle matched its level-0 tile (or, with
// no tile reader, once read). A non-OK return stops the audit with it.
using EntryVisitor = std::function<Status(int64_t index, std::string_view entry)>;

// Audits the log at `checkpoint` (size and root). With `tiles` null, only the
// entries and the root are checked. Fails with:
//   DataLoss  "tile/0/005: hash 17 (leaf 1297) is X, entry bundle gives Y",
//             "tile/1/000: hash 3 (leaves 768..1023) ...", a malformed bundle
//             ("tile/entries/005: ..."), a tile of the wrong length, or
//             "root: entries give X, checkpoint says Y"; details() holds JSON
//             {"resource":..., "hash_index":..., "first_leaf":..., "last_leaf":...}
//             where applicable;
//   reader errors (annotated with the resource), visitor errors.
// Memory: O(size / 256) hashes. Reads each bundle and tile once.
StatusOr<LogAuditReport> AuditLog(const Checkpoint& checkpoint, TileReader* tiles,
                                  EntryBundleReader& bundles, const EntryVisitor& visit = nullptr);

}  // namespace vt::tlog
