#include "app/log/receipt_proofs.h"

#include <algorithm>

#include "tlog/tile_path.h"

namespace vt::app {

StatusOr<tlog::Hash> ProofBatch::LevelHash(int level, int64_t index) {
  const int64_t tile = index / tlog::kTileWidth;
  const int pos = static_cast<int>(index % tlog::kTileWidth);
  auto key = std::make_pair(level, tile);
  auto it = tiles_.find(key);
  if (it == tiles_.end()) {
    const int width = tlog::TileWidthAt(level, tile, size_);
    if (pos >= width)
      return InternalError("hash " + std::to_string(index) + " at level " + std::to_string(level) +
                           " is not in the tree of size " + std::to_string(size_));
    ++tile_reads_;
    VT_ASSIGN_OR_RETURN(std::string data, reader_.ReadTile(level, tile, width));
    if (data.size() != static_cast<size_t>(width) * tlog::kHashSize)
      return DataLossError("tile " + tlog::TilePath(level, tile, width) + " has " +
                           std::to_string(data.size()) + " bytes");
    it = tiles_.emplace(key, std::move(data)).first;
  }
  return tlog::TileHashAt(it->second, pos);
}

StatusOr<tlog::Hash> ProofBatch::Subtree(int64_t lo, int64_t hi) {
  if (lo < 0 || lo >= hi || hi > size_)
    return InvalidArgumentError("subtree [" + std::to_string(lo) + ", " + std::to_string(hi) +
                                ") is not in the tree of size " + std::to_string(size_));
  const int64_t n = hi - lo;
  const bool perfect = (n & (n - 1)) == 0 && lo % n == 0;
  if (perfect) {
    const int height = __builtin_ctzll(static_cast<uint64_t>(n));
    if (height % tlog::kTileHeight == 0) return LevelHash(height / tlog::kTileHeight, lo >> height);
  }
  auto key = std::make_pair(lo, hi);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const int64_t k = tlog::SplitPoint(n);  // n >= 2 here: a single leaf is perfect at height 0
  VT_ASSIGN_OR_RETURN(tlog::Hash left, Subtree(lo, lo + k));
  VT_ASSIGN_OR_RETURN(tlog::Hash right, Subtree(lo + k, hi));
  tlog::Hash h = tlog::NodeHash(left, right);
  memo_.emplace(key, h);
  return h;
}

StatusOr<std::vector<tlog::Hash>> ProofBatch::Inclusion(int64_t index) {
  if (index < 0 || index >= size_)
    return InvalidArgumentError("index " + std::to_string(index) + " is not in the tree of size " +
                                std::to_string(size_));
  std::vector<tlog::Hash> path;  // collected root side first
  int64_t lo = 0, hi = size_;
  while (hi - lo > 1) {
    const int64_t k = tlog::SplitPoint(hi - lo);
    if (index < lo + k) {
      VT_ASSIGN_OR_RETURN(tlog::Hash h, Subtree(lo + k, hi));
      path.push_back(h);
      hi = lo + k;
    } else {
      VT_ASSIGN_OR_RETURN(tlog::Hash h, Subtree(lo, lo + k));
      path.push_back(h);
      lo += k;
    }
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace vt::app
