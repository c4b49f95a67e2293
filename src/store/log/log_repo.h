// Repositories over the transparency log's tables (schema versions 2 and 8;
// docs/tlog.md "Storage"; the layout is explained in app/log/log_storage.h):
// log_state (the latest signed checkpoint), log_entries (the loose tail),
// log_bundles (full entry bundles), log_tiles (full hash tiles) and
// log_edge_tiles (one partial tile per level).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/sql.h"

namespace vt::store {

// The log_state row: the latest signed checkpoint.
struct StoredCheckpoint {
  int64_t size = 0;
  std::string root;  // 32-byte tree hash
  std::string note;  // signed-note text
};

// Read-only queries over the log tables. Thread-compatible: one repository per
// connection.
class LogReader {
 public:
  virtual ~LogReader() = default;
  // The stored checkpoint; NotFound before the log's first checkpoint.
  virtual StatusOr<StoredCheckpoint> GetCheckpoint() = 0;
  // The loose entries with index in [lo, hi), in index order (fewer than hi - lo
  // when some are not stored as loose rows).
  virtual StatusOr<std::vector<std::string>> LooseEntries(int64_t lo, int64_t hi) = 0;
  // Loose entry `index`; NotFound if it is not a loose row.
  virtual StatusOr<std::string> LooseEntry(int64_t index) = 0;
  // The stored bytes of full entry bundle `index`; NotFound if not stored.
  virtual StatusOr<std::string> Bundle(int64_t index) = 0;
  // The bundles (index / 256) of the loose entries with index below `end`, in
  // increasing order, each once.
  virtual StatusOr<std::vector<int64_t>> BundlesOfLooseEntriesBelow(int64_t end) = 0;
  // Full hash tile (level, index); NotFound if not stored.
  virtual StatusOr<std::string> FullTile(int level, int64_t index) = 0;
  // The edge (partial) tile of `level` if its index is `index`; NotFound otherwise.
  virtual StatusOr<std::string> EdgeTile(int level, int64_t index) = 0;
};

// Writes, inside the committer's transaction. Not thread-safe (one writer).
class LogWriter : public LogReader {
 public:
  // Stores the empty log's checkpoint (size 0, `root`, `note`) unless a
  // checkpoint exists already (then does nothing).
  virtual Status CreateCheckpoint(const std::string& root, const std::string& note) = 0;
  // Compare-and-swap: replaces the checkpoint by (size, root, note) only if the
  // stored size is still `base_size`. Returns whether it did.
  virtual StatusOr<bool> AdvanceCheckpoint(int64_t base_size, int64_t size, const std::string& root,
                                           const std::string& note) = 0;
  // Stores entry `index` as a loose row.
  virtual Status InsertLooseEntry(int64_t index, const std::string& data) = 0;
  // Deletes the loose rows with index in [lo, hi).
  virtual Status DeleteLooseEntries(int64_t lo, int64_t hi) = 0;
  // Stores full entry bundle `index` (encoded as served).
  virtual Status InsertBundle(int64_t index, const std::string& data) = 0;
  // Stores (or replaces) full hash tile (level, index).
  virtual Status PutFullTile(int level, int64_t index, const std::string& hashes) = 0;
  // Deletes the edge tile of `level` if its index is `index`.
  virtual Status DropEdgeTile(int level, int64_t index) = 0;
  // Makes (index, hashes) the edge tile of `level`, replacing the previous one.
  virtual Status PutEdgeTile(int level, int64_t index, const std::string& hashes) = 0;
};

// The SQL implementation over an open connection (both dialects); `conn` must
// outlive it.
std::unique_ptr<LogWriter> NewSqlLogRepo(Conn& conn);

}  // namespace vt::store
