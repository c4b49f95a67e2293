// Storage layout of the transparency log (schema versions 2 and 8; docs/tlog.md
// "Storage"). Chosen for bytes per entry: the log must stay within 40 bytes of
// overhead per entry beyond the entry itself.
//
//   log_bundles(idx, data)         one row per FULL entry bundle (c2sp.org/tlog-tiles
//                                  "Log entries": uint16 length || entry, 256 times),
//                                  stored exactly as served. Written once.
//   log_entries(idx, data)         entries of the last, incomplete bundle only
//                                  (at most 255 rows). When a bundle fills up, its
//                                  entries move into log_bundles in the same
//                                  transaction.
//   log_tiles(level, idx, data)    FULL hash tiles (8192 bytes), written once, in
//                                  append order (no row ever grows in place, so
//                                  SQLite's b-tree pages stay full).
//   log_edge_tiles(level, idx, data)  the one partial tile of each level, at its
//                                  widest version (a partial tile of width W is
//                                  the first W hashes of any wider version).
//
// The logic below runs against the log repository (store/log/log_repo.h): the SQL
// one over the caller's connection (inside its transaction for the writers), or
// the in-memory one in unit tests. The overloads taking a store::Conn wrap it in
// the SQL repository. None is thread-safe with respect to the connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/log/log_repo.h"
#include "store/sql.h"
#include "tlog/tile.h"

namespace vt::app::logstore {

// The stored bytes of hash tile (level, index) at its widest stored version
// (full or partial). NotFound if neither table holds it.
StatusOr<std::string> ReadTile(store::LogReader& repo, int level, int64_t index);
StatusOr<std::string> ReadTile(store::Conn& conn, int level, int64_t index);

// Stores a tile produced by an append: a full tile goes to log_tiles and
// replaces the partial version of the same tile; a partial tile replaces the
// level's edge tile.
Status WriteTile(store::LogWriter& repo, const tlog::Tile& tile);
Status WriteTile(store::Conn& conn, const tlog::Tile& tile);

// Stores `entries` as leaves base_size, base_size + 1, ...: entries of bundles
// completed by this append are written as bundles (together with the earlier
// entries of the same bundle, moved out of log_entries); the rest go to
// log_entries. Precondition: the log holds exactly base_size entries.
Status AppendEntries(store::LogWriter& repo, int64_t base_size,
                     const std::vector<std::string>& entries);
Status AppendEntries(store::Conn& conn, int64_t base_size, const std::vector<std::string>& entries);

// The first `width` (1..256) entries of bundle `bundle`. NotFound if they are
// not all stored; DataLoss if a stored bundle does not decode.
StatusOr<std::vector<std::string>> ReadBundleEntries(store::LogReader& repo, int64_t bundle,
                                                     int width);
StatusOr<std::vector<std::string>> ReadBundleEntries(store::Conn& conn, int64_t bundle, int width);

// The entry bundle resource (tile/entries/<bundle>[.p/<width>]) bytes: a full
// bundle straight from log_bundles, a partial one re-encoded. Errors as above.
StatusOr<std::string> ReadBundle(store::LogReader& repo, int64_t bundle, int width);
StatusOr<std::string> ReadBundle(store::Conn& conn, int64_t bundle, int width);

// Entry `index`. NotFound if it is not stored.
StatusOr<std::string> ReadEntry(store::LogReader& repo, int64_t index);
StatusOr<std::string> ReadEntry(store::Conn& conn, int64_t index);

// Upgrade step for data directories written before schema version 8 (run in a
// write transaction at startup; idempotent): every full bundle of a log of
// `size` entries whose entries are still rows of log_entries is moved into
// log_bundles. Returns the number of bundles moved.
StatusOr<int64_t> CompactFullBundles(store::LogWriter& repo, int64_t size);
StatusOr<int64_t> CompactFullBundles(store::Conn& conn, int64_t size);

}  // namespace vt::app::logstore
