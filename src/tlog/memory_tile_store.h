// An in-memory tile store for tests and small tools: keeps the widest version
// of each tile and serves narrower reads as prefixes, like a store that only
// keeps the latest partial tile. Counts reads so tests can bound them.
// Not thread-safe.
#pragma once

#include <map>
#include <span>
#include <utility>

#include "tlog/tile.h"

namespace vt::tlog {

class MemoryTileStore : public TileReader {
 public:
  // Stores `tile`, replacing a narrower version of the same tile.
  void Put(const Tile& tile);
  void PutAll(std::span<const Tile> tiles) {
    for (const Tile& t : tiles) Put(t);
  }
  // NotFound if the tile is absent or narrower than `width`.
  StatusOr<std::string> ReadTile(int level, int64_t index, int width) override;

  int64_t reads() const { return reads_; }
  void ResetReads() { reads_ = 0; }
  size_t tile_count() const { return tiles_.size(); }
  // Direct access for tests that tamper with stored tiles; null if absent.
  std::string* Mutable(int level, int64_t index);

 private:
  std::map<std::pair<int, int64_t>, std::string> tiles_;
  int64_t reads_ = 0;
};

}  // namespace vt::tlog
