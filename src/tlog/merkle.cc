#include "tlog/merkle.h"

#include <map>
#include <string>
#include <utility>

#include "tlog/tile_path.h"

namespace vt::tlog {
namespace {

// A view of the tree of `size` leaves over a reader, memoizing tile reads.
class TreeView {
 public:
  TreeView(int64_t size, TileReader& reader) : size_(size), reader_(reader) {}

  // MTH of the complete subtree of height h whose first leaf is k * 2^h.
  StatusOr<Hash> Subtree(int h, int64_t k) {
    const int level = h / kTileHeight;
    const int r = h % kTileHeight;
    const int64_t first = k << r;  // first level-`level` entry covered
    VT_ASSIGN_OR_RETURN(std::string_view tile, Read(level, first / kTileWidth));
    const int off = static_cast<int>(first % kTileWidth);
    if ((static_cast<size_t>(off) + (size_t{1} << r)) * kHashSize > tile.size()) {
      return InternalError("subtree beyond the tile at level " + std::to_string(level));
    }
    return PerfectSubtreeHash(tile, off, r);
  }

  // MTH(D[lo:hi]) for 0 <= lo < hi <= size (RFC 6962 §2.1 recursion).
  StatusOr<Hash> Range(int64_t lo, int64_t hi) {
    const int64_t n = hi - lo;
    if ((n & (n - 1)) == 0 && lo % n == 0) return Subtree(Log2(n), lo / n);
    const int64_t k = SplitPoint(n);
    VT_ASSIGN_OR_RETURN(Hash left, Range(lo, lo + k));
    VT_ASSIGN_OR_RETURN(Hash right, Range(lo + k, hi));
    return NodeHash(left, right);
  }

  // PATH(m, D[lo:hi]), appended leaf-side first (RFC 6962 §2.1.1).
  Status Path(int64_t m, int64_t lo, int64_t hi, std::vector<Hash>* out) {
    const int64_t n = hi - lo;
    if (n <= 1) return OkStatus();
    const int64_t k = SplitPoint(n);
    if (m < k) {
      VT_RETURN_IF_ERROR(Path(m, lo, lo + k, out));
      return Push(lo + k, hi, out);
    }
    VT_RETURN_IF_ERROR(Path(m - k, lo + k, hi, out));
    return Push(lo, lo + k, out);
  }

  // SUBPROOF(m, D[lo:hi], b) (RFC 6962 §2.1.2).
  Status SubProof(int64_t m, int64_t lo, int64_t hi, bool b, std::vector<Hash>* out) {
    const int64_t n = hi - lo;
    if (m == n) return b ? OkStatus() : Push(lo, hi, out);
    const int64_t k = SplitPoint(n);
    if (m <= k) {
      VT_RETURN_IF_ERROR(SubProof(m, lo, lo + k, b, out));
      return Push(lo + k, hi, out);
    }
    VT_RETURN_IF_ERROR(SubProof(m - k, lo + k, hi, false, out));
    return Push(lo, lo + k, out);
  }

 private:
  static int Log2(int64_t n) {
    int h = 0;
    while ((int64_t{1} << h) < n) ++h;
    return h;
  }

  Status Push(int64_t lo, int64_t hi, std::vector<Hash>* out) {
    VT_ASSIGN_OR_RETURN(Hash h, Range(lo, hi));
    out->push_back(h);
    return OkStatus();
  }

  StatusOr<std::string_view> Read(int level, int64_t index) {
    auto key = std::make_pair(level, index);
    auto it = cache_.find(key);
    if (it != cache_.end()) return std::string_view(it->second);
    const int width = TileWidthAt(level, index, size_);
    if (width == 0) {
      return InternalError("tile " + TilePath(level, index, kTileWidth) + " is beyond size " +
                           std::to_string(size_));
    }
    const std::string path = TilePath(level, index, width);
    StatusOr<std::string> got = reader_.ReadTile(level, index, width);
    if (!got.ok()) return std::move(got).status().Annotate("reading " + path);
    if (got->size() != static_cast<size_t>(width) * kHashSize) {
      return DataLossError("reading " + path + ": got " + std::to_string(got->size()) +
                           " bytes, want " + std::to_string(width * kHashSize));
    }
    it = cache_.emplace(key, std::move(got).value()).first;
    return std::string_view(it->second);
  }

  int64_t size_;
  TileReader& reader_;
  std::map<std::pair<int, int64_t>, std::string> cache_;
};

// Serves the tiles just computed, falling back to the underlying reader.
class OverlayReader : public TileReader {
 public:
  OverlayReader(const std::vector<Tile>& tiles, TileReader& base) : base_(base) {
    for (const Tile& t : tiles) tiles_[{t.level, t.index}] = &t;
  }
  StatusOr<std::string> ReadTile(int level, int64_t index, int width) override {
    auto it = tiles_.find({level, index});
    if (it == tiles_.end() || it->second->width < width) {
      return base_.ReadTile(level, index, width);
    }
    return it->second->hashes.substr(0, static_cast<size_t>(width) * kHashSize);
  }

 private:
  TileReader& base_;
  std::map<std::pair<int, int64_t>, const Tile*> tiles_;
};

// Appends `added` (level-`level` entries) after `old_count` existing entries,
// emitting the changed tiles and returning the entries this adds one level up.
StatusOr<std::vector<Hash>> AppendLevel(int level, int64_t old_count,
                                        const std::vector<Hash>& added, TileReader& reader,
                                        std::vector<Tile>* out) {
  const int64_t first_tile = old_count / kTileWidth;
  const int prefix = static_cast<int>(old_count % kTileWidth);
  std::string buf;
  if (prefix > 0) {
    const std::string path = TilePath(level, first_tile, prefix);
    StatusOr<std::string> got = reader.ReadTile(level, first_tile, prefix);
    if (!got.ok()) return std::move(got).status().Annotate("reading " + path);
    if (got->size() != static_cast<size_t>(prefix) * kHashSize) {
      return DataLossError("reading " + path + ": wrong length " + std::to_string(got->size()));
    }
    buf = std::move(got).value();
  }
  buf.reserve(buf.size() + added.size() * kHashSize);
  for (const Hash& h : added) AppendHash(&buf, h);
  std::vector<Hash> up;
  for (size_t off = 0, i = 0; off < buf.size(); off += kFullTileBytes, ++i) {
    Tile t{level, first_tile + static_cast<int64_t>(i), 0, buf.substr(off, kFullTileBytes)};
    t.width = static_cast<int>(t.hashes.size() / kHashSize);
    if (t.width == kTileWidth) {
      VT_ASSIGN_OR_RETURN(Hash h, FullTileHash(t.hashes));
      up.push_back(h);
    }
    out->push_back(std::move(t));
  }
  return up;
}

}  // namespace

StatusOr<AppendResult> NewTilesAfterAppend(int64_t old_size, std::span<const Hash> new_leaf_hashes,
                                           TileReader& reader) {
  if (old_size < 0) return InvalidArgumentError("negative tree size");
  AppendResult result;
  result.size = old_size + static_cast<int64_t>(new_leaf_hashes.size());
  std::vector<Hash> added(new_leaf_hashes.begin(), new_leaf_hashes.end());
  int64_t old_count = old_size;
  for (int level = 0; !added.empty(); ++level) {
    VT_ASSIGN_OR_RETURN(added, AppendLevel(level, old_count, added, reader, &result.tiles));
    old_count /= kTileWidth;
  }
  OverlayReader overlay(result.tiles, reader);
  VT_ASSIGN_OR_RETURN(result.root, TreeRoot(result.size, overlay));
  return result;
}

StatusOr<Hash> TreeRoot(int64_t size, TileReader& reader) {
  if (size < 0) return InvalidArgumentError("negative tree size");
  if (size == 0) return EmptyRoot();
  TreeView view(size, reader);
  return view.Range(0, size);
}

StatusOr<Hash> LeafHashAt(int64_t index, int64_t size, TileReader& reader) {
  if (index < 0 || index >= size) {
    return InvalidArgumentError("leaf index " + std::to_string(index) + " is not below tree size " +
                                std::to_string(size));
  }
  TreeView view(size, reader);
  return view.Subtree(0, index);
}

StatusOr<std::vector<Hash>> InclusionProof(int64_t index, int64_t size, TileReader& reader) {
  if (index < 0 || index >= size) {
    return InvalidArgumentError("inclusion proof: index " + std::to_string(index) +
                                " is not below tree size " + std::to_string(size));
  }
  TreeView view(size, reader);
  std::vector<Hash> proof;
  VT_RETURN_IF_ERROR(view.Path(index, 0, size, &proof));
  return proof;
}

StatusOr<std::vector<Hash>> ConsistencyProof(int64_t old_size, int64_t new_size,
                                             TileReader& reader) {
  if (old_size < 0 || old_size > new_size) {
    return InvalidArgumentError("consistency proof: old size " + std::to_string(old_size) +
                                " is not in [0, " + std::to_string(new_size) + "]");
  }
  std::vector<Hash> proof;
  if (old_size == 0 || old_size == new_size) return proof;
  TreeView view(new_size, reader);
  VT_RETURN_IF_ERROR(view.SubProof(old_size, 0, new_size, true, &proof));
  return proof;
}

}  // namespace vt::tlog
