// An in-memory LogWriter for unit tests (no database): std::maps standing in
// for the log tables, with the same keys and the same replace rules.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "store/log/log_repo.h"

namespace vt::store {

class MemoryLogRepo final : public LogWriter {
 public:
  StatusOr<StoredCheckpoint> GetCheckpoint() override;
  StatusOr<std::vector<std::string>> LooseEntries(int64_t lo, int64_t hi) override;
  StatusOr<std::string> LooseEntry(int64_t index) override;
  StatusOr<std::string> Bundle(int64_t index) override;
  StatusOr<std::vector<int64_t>> BundlesOfLooseEntriesBelow(int64_t end) override;
  StatusOr<std::string> FullTile(int level, int64_t index) override;
  StatusOr<std::string> EdgeTile(int level, int64_t index) override;

  Status CreateCheckpoint(const std::string& root, const std::string& note) override;
  StatusOr<bool> AdvanceCheckpoint(int64_t base_size, int64_t size, const std::string& root,
                                   const std::string& note) override;
  Status InsertLooseEntry(int64_t index, const std::string& data) override;
  Status DeleteLooseEntries(int64_t lo, int64_t hi) override;
  Status InsertBundle(int64_t index, const std::string& data) override;
  Status PutFullTile(int level, int64_t index, const std::string& hashes) override;
  Status DropEdgeTile(int level, int64_t index) override;
  Status PutEdgeTile(int level, int64_t index, const std::string& hashes) override;

  // Row counts, for tests that check where data went.
  size_t loose_count() const { return loose_.size(); }
  size_t bundle_count() const { return bundles_.size(); }
  size_t full_tile_count() const { return tiles_.size(); }
  size_t edge_tile_count() const { return edges_.size(); }

 private:
  std::optional<StoredCheckpoint> state_;
  std::map<int64_t, std::string> loose_;                  // log_entries
  std::map<int64_t, std::string> bundles_;                // log_bundles
  std::map<std::pair<int, int64_t>, std::string> tiles_;  // log_tiles
  std::map<int, std::pair<int64_t, std::string>> edges_;  // log_edge_tiles by level
};

}  // namespace vt::store
