// The tile model of c2sp.org/tlog-tiles ("Merkle Tree" section).
//
// Tile n at level l holds, for i in [0, 256), the hash
//   MTH(D[(n*256 + i) * 256^l : (n*256 + i + 1) * 256^l]),
// i.e. level-l "entries" are the roots of complete subtrees of height 8*l. A
// tree of size s has s >> (8*l) entries at level l; the last tile of a level is
// partial (1..255 hashes) unless the count is a multiple of 256. Partial tiles
// are never hashed into the level above. A tile's bytes are its hashes
// concatenated (width * 32 bytes).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "tlog/hash.h"

namespace vt::tlog {

inline constexpr int kTileHeight = 8;     // levels of the Merkle tree per tile
inline constexpr int kTileWidth = 256;    // hashes in a full tile
inline constexpr int kMaxTileLevel = 63;  // tlog-tiles: L is 0..63
inline constexpr size_t kFullTileBytes = kTileWidth * kHashSize;  // 8192

// A tile to store or serve: its coordinates and its bytes (width * 32).
struct Tile {
  int level = 0;
  int64_t index = 0;
  int width = 0;  // 1..256; 256 = full
  std::string hashes;
  bool operator==(const Tile&) const = default;
};

// Source of stored tiles, implemented by the store (database, file system),
// by an HTTP client, or in memory. Implementations define their own thread
// safety; the algorithms in this module call one reader from one thread.
class TileReader {
 public:
  virtual ~TileReader() = default;
  // Returns exactly width * 32 bytes: the first `width` hashes of tile `index`
  // at `level` (1 <= width <= 256). A store holding a wider version of the same
  // tile may return it truncated. NotFound if the tile (at that width) does
  // not exist; other errors are passed through to the caller.
  virtual StatusOr<std::string> ReadTile(int level, int64_t index, int width) = 0;
};

// Number of level-`level` entries in a tree of `size` leaves: size >> (8*level).
int64_t LevelCount(int level, int64_t size);
// tlog-tiles partial width: floor(size / 256^level) mod 256 (0: no partial tile).
int PartialWidth(int level, int64_t size);
// Width of tile `index` at `level` in a tree of `size` leaves: 256 if full,
// the partial width if it is the last (partial) tile, 0 if it does not exist.
int TileWidthAt(int level, int64_t index, int64_t size);

// Hash number i of a tile's bytes. Precondition: (i+1)*32 <= tile.size().
Hash TileHashAt(std::string_view tile, int i);
void AppendHash(std::string* tile, const Hash& h);

// MTH of the 2^height consecutive hashes of `tile` starting at hash
// `first` (a perfect subtree). Precondition: the hashes exist, height <= 8.
Hash PerfectSubtreeHash(std::string_view tile, int first, int height);

// The hash a full tile contributes to the level above: the root of the
// height-8 subtree over its 256 hashes. Fails unless tile is 8192 bytes.
StatusOr<Hash> FullTileHash(std::string_view tile);

// Checks the link between a tile and the tile above it: hash number
// (child_index mod 256) of `parent` (tile child_index/256 at level+1) must
// equal FullTileHash(child). Fails with DataLoss naming both tiles otherwise.
Status CheckTileAgainstParent(int level, int64_t child_index, std::string_view child,
                              std::string_view parent);

}  // namespace vt::tlog
