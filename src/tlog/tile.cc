#include "tlog/tile.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace vt::tlog {

int64_t LevelCount(int level, int64_t size) {
  const int shift = kTileHeight * level;
  return shift >= 63 ? 0 : (size >> shift);
}

int PartialWidth(int level, int64_t size) {
  return static_cast<int>(LevelCount(level, size) % kTileWidth);
}

int TileWidthAt(int level, int64_t index, int64_t size) {
  const int64_t count = LevelCount(level, size);
  if (index < 0 || index > count / kTileWidth) return 0;
  return static_cast<int>(std::min<int64_t>(kTileWidth, count - index * kTileWidth));
}

Hash TileHashAt(std::string_view tile, int i) {
  const size_t off = static_cast<size_t>(i) * kHashSize;
  if (i < 0 || off + kHashSize > tile.size()) std::abort();
  Hash h;
  std::memcpy(h.data(), tile.data() + off, kHashSize);
  return h;
}

void AppendHash(std::string* tile, const Hash& h) { tile->append(HashView(h)); }

Hash PerfectSubtreeHash(std::string_view tile, int first, int height) {
  if (height < 0 || height > kTileHeight) std::abort();
  std::vector<Hash> level;
  level.reserve(size_t{1} << height);
  for (int i = 0; i < (1 << height); ++i) level.push_back(TileHashAt(tile, first + i));
  while (level.size() > 1) {
    for (size_t i = 0; i < level.size() / 2; ++i) {
      level[i] = NodeHash(level[2 * i], level[2 * i + 1]);
    }
    level.resize(level.size() / 2);
  }
  return level[0];
}

StatusOr<Hash> FullTileHash(std::string_view tile) {
  if (tile.size() != kFullTileBytes) {
    return InvalidArgumentError("full tile must be 8192 bytes, got " + std::to_string(tile.size()));
  }
  return PerfectSubtreeHash(tile, 0, kTileHeight);
}

Status CheckTileAgainstParent(int level, int64_t child_index, std::string_view child,
                              std::string_view parent) {
  VT_ASSIGN_OR_RETURN(Hash child_hash, FullTileHash(child));
  const int slot = static_cast<int>(child_index % kTileWidth);
  const std::string where = "tile " + std::to_string(level) + "/" + std::to_string(child_index) +
                            " vs tile " + std::to_string(level + 1) + "/" +
                            std::to_string(child_index / kTileWidth) + " hash " +
                            std::to_string(slot);
  if (parent.size() < (static_cast<size_t>(slot) + 1) * kHashSize) {
    return DataLossError(where + ": parent tile too short");
  }
  if (TileHashAt(parent, slot) != child_hash) {
    return DataLossError(where + ": parent hash does not match the child tile");
  }
  return OkStatus();
}

}  // namespace vt::tlog
