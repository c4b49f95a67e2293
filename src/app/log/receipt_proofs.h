// Inclusion proofs for the receipts of one sequencer batch (RFC 6962 §2.1.1
// PATH), computed from tiles with every subtree hash memoized.
//
// tlog::InclusionProof serves one proof from tiles: a sibling subtree of height
// 8L + r (0 < r < 8) inside a tile costs 2^r - 1 node hashes, so one proof
// costs up to ~1,000 SHA-256 at 10^7 leaves (about 0.2-0.5 ms), and a batch of
// B receipts paid that B times. A batch's entries are consecutive leaves at the
// right edge: their paths share almost every sibling, so with memoization the
// whole batch costs O(B + 8 log n) node hashes. Same proofs, byte for byte (the
// unit test compares them with tlog::InclusionProof).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status.h"
#include "tlog/hash.h"
#include "tlog/tile.h"

namespace vt::app {

// Not thread-safe; one batch, one tree size. The reader must outlive it and
// serve every tile of the tree of `size` leaves.
class ProofBatch {
 public:
  ProofBatch(int64_t size, tlog::TileReader& reader) : size_(size), reader_(reader) {}

  // MTH(D[lo:hi]). InvalidArgument unless 0 <= lo < hi <= size; reader errors
  // are passed through.
  StatusOr<tlog::Hash> Subtree(int64_t lo, int64_t hi);
  // PATH(index, D[0:size]), leaf sibling first. InvalidArgument unless
  // 0 <= index < size.
  StatusOr<std::vector<tlog::Hash>> Inclusion(int64_t index);
  // Tile reads so far (each tile is read once).
  int64_t tile_reads() const { return tile_reads_; }

 private:
  struct PairHash {
    size_t operator()(const std::pair<int64_t, int64_t>& p) const {
      return std::hash<int64_t>()(p.first * 1000003 ^ p.second);
    }
  };
  StatusOr<tlog::Hash> LevelHash(int level, int64_t index);

  int64_t size_;
  tlog::TileReader& reader_;
  std::unordered_map<std::pair<int64_t, int64_t>, tlog::Hash, PairHash> memo_;
  std::map<std::pair<int, int64_t>, std::string> tiles_;
  int64_t tile_reads_ = 0;
};

}  // namespace vt::app
