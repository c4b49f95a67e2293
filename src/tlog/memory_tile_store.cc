#include "tlog/memory_tile_store.h"

#include <string>

#include "tlog/tile_path.h"

namespace vt::tlog {

void MemoryTileStore::Put(const Tile& tile) {
  std::string& slot = tiles_[{tile.level, tile.index}];
  if (tile.hashes.size() >= slot.size()) slot = tile.hashes;
}

StatusOr<std::string> MemoryTileStore::ReadTile(int level, int64_t index, int width) {
  ++reads_;
  if (width < 1 || width > kTileWidth) return InvalidArgumentError("tile width must be 1..256");
  auto it = tiles_.find({level, index});
  const size_t want = static_cast<size_t>(width) * kHashSize;
  if (it == tiles_.end() || it->second.size() < want) {
    return NotFoundError("no tile " + TilePath(level, index, width));
  }
  return it->second.substr(0, want);
}

std::string* MemoryTileStore::Mutable(int level, int64_t index) {
  auto it = tiles_.find({level, index});
  return it == tiles_.end() ? nullptr : &it->second;
}

}  // namespace vt::tlog
