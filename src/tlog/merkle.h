// A Merkle tree stored as tlog-tiles (c2sp.org/tlog-tiles): appending, root
// computation and RFC 6962 §2.1.1/§2.1.2 proof generation from tiles.
//
// Any complete subtree of height h = 8*L + r (0 <= r < 8) is the MTH of 2^r
// consecutive hashes of one level-L tile, so every hash these functions need
// comes from one tile read; tiles are memoized within one call. An inclusion
// proof reads at most one tile per level on the leaf's path plus the partial
// tiles on the right edge (at most 5 tiles for trees below 256^3 leaves).
//
// The functions are pure apart from the reads through `reader`; they are
// thread-compatible (one call uses its reader from the calling thread).
// Reader errors are returned annotated with the tile; a reader returning the
// wrong number of bytes is DataLoss.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "tlog/hash.h"
#include "tlog/tile.h"

namespace vt::tlog {

struct AppendResult {
  int64_t size = 0;         // the new tree size
  Hash root{};              // MTH of the new tree
  std::vector<Tile> tiles;  // every tile (full or partial, all levels) that changed
};

// Appends `new_leaf_hashes` to the tree of `old_size` leaves whose tiles are
// readable through `reader`, and returns the tiles to write (in increasing
// level, then index order) and the new root. The caller stores the tiles
// before publishing a checkpoint for the new size; older partial tiles stay
// valid for older sizes. Reads only the partial tiles at the old right edge.
// Fails if old_size < 0 or a read fails.
StatusOr<AppendResult> NewTilesAfterAppend(int64_t old_size, std::span<const Hash> new_leaf_hashes,
                                           TileReader& reader);

// MTH of the tree of `size` leaves (EmptyRoot() for 0). Reads only the
// partial tiles of the right edge (at most one per level).
StatusOr<Hash> TreeRoot(int64_t size, TileReader& reader);

// The hash of leaf `index` (from its level-0 tile). Precondition-checked:
// InvalidArgument unless 0 <= index < size.
StatusOr<Hash> LeafHashAt(int64_t index, int64_t size, TileReader& reader);

// PATH(index, D[size]) (RFC 6962 §2.1.1), leaf sibling first.
// InvalidArgument unless 0 <= index < size.
StatusOr<std::vector<Hash>> InclusionProof(int64_t index, int64_t size, TileReader& reader);

// PROOF(old_size, D[new_size]) (RFC 6962 §2.1.2); empty for old_size == 0 or
// old_size == new_size. InvalidArgument unless 0 <= old_size <= new_size.
StatusOr<std::vector<Hash>> ConsistencyProof(int64_t old_size, int64_t new_size,
                                             TileReader& reader);

}  // namespace vt::tlog
