// Cross-checks the tiled tree against the RFC 6962 reference implementation.
#include "tlog/merkle.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "tlog/memory_tile_store.h"
#include "tlog/proof.h"
#include "tlog/reference.h"
#include "tlog/tile_path.h"

namespace vt::tlog {
namespace {

std::vector<Hash> MakeLeaves(int64_t n) {
  std::vector<Hash> leaves;
  leaves.reserve(n);
  for (int64_t i = 0; i < n; ++i) leaves.push_back(LeafHash("leaf " + std::to_string(i)));
  return leaves;
}

// The tile at (level, index, width) computed from the definition in
// tlog-tiles: hash i is MTH(D[(n*256+i)*256^l : (n*256+i+1)*256^l]).
std::string TileFromScratch(const std::vector<Hash>& leaves, const TileCoord& c) {
  std::string out;
  const int64_t span = int64_t{1} << (kTileHeight * c.level);
  for (int i = 0; i < c.width; ++i) {
    const int64_t lo = (c.index * kTileWidth + i) * span;
    AppendHash(&out, reference::RootHash(std::span(leaves).subspan(lo, span)));
  }
  return out;
}

void ExpectStoreMatchesScratch(MemoryTileStore& store, const std::vector<Hash>& leaves,
                               int64_t size) {
  std::vector<Hash> prefix(leaves.begin(), leaves.begin() + size);
  for (const TileCoord& c : TilesForSize(size, false)) {
    StatusOr<std::string> got = store.ReadTile(c.level, c.index, c.width);
    ASSERT_TRUE(got.ok()) << PathOf(c) << " at size " << size;
    ASSERT_EQ(*got, TileFromScratch(prefix, c)) << PathOf(c) << " at size " << size;
  }
}

// Appends leaves[old_size:new_size]; checks the root against the reference
// and that every written tile is a tile of the new size.
void AppendAndCheck(MemoryTileStore& store, const std::vector<Hash>& leaves, int64_t old_size,
                    int64_t new_size, bool check_root = true) {
  StatusOr<AppendResult> r = NewTilesAfterAppend(
      old_size, std::span(leaves).subspan(old_size, new_size - old_size), store);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size, new_size);
  if (check_root) {
    ASSERT_EQ(r->root, reference::RootHash(std::span(leaves).first(new_size))) << new_size;
  }
  for (const Tile& t : r->tiles) {
    ASSERT_EQ(t.width, TileWidthAt(t.level, t.index, new_size)) << new_size;
    ASSERT_EQ(t.hashes.size(), static_cast<size_t>(t.width) * kHashSize);
  }
  store.PutAll(r->tiles);
  StatusOr<Hash> root = TreeRoot(new_size, store);
  ASSERT_TRUE(root.ok());
  ASSERT_EQ(*root, r->root);
}

TEST(Merkle, EverySizeUpTo1100OneLeafAtATime) {
  std::vector<Hash> leaves = MakeLeaves(1100);
  MemoryTileStore store;
  EXPECT_EQ(*TreeRoot(0, store), EmptyRoot());
  for (int64_t n = 1; n <= 1100; ++n) {
    AppendAndCheck(store, leaves, n - 1, n);
    ExpectStoreMatchesScratch(store, leaves, n);
    if (HasFatalFailure()) return;
  }
}

TEST(Merkle, EverySizeUpTo1100AppendedFromEverySmallerSize) {
  // Each size n is reached from a random earlier size in one batch, so batches
  // cross tile boundaries at both levels.
  std::vector<Hash> leaves = MakeLeaves(1100);
  std::mt19937_64 rng(42);
  for (int64_t n = 1; n <= 1100; ++n) {
    const int64_t m = std::uniform_int_distribution<int64_t>(0, n - 1)(rng);
    MemoryTileStore store;
    if (m > 0) AppendAndCheck(store, leaves, 0, m, false);
    AppendAndCheck(store, leaves, m, n);
    if (n % 37 == 0) ExpectStoreMatchesScratch(store, leaves, n);
    if (HasFatalFailure()) return;
  }
}

void BuildInRandomBatches(int64_t size, int max_batch, uint64_t seed) {
  std::vector<Hash> leaves = MakeLeaves(size);
  std::mt19937_64 rng(seed);
  MemoryTileStore store;
  int64_t n = 0;
  while (n < size) {
    int64_t next = std::min(size, n + std::uniform_int_distribution<int64_t>(1, max_batch)(rng));
    AppendAndCheck(store, leaves, n, next, /*check_root=*/false);
    if (::testing::Test::HasFatalFailure()) return;
    n = next;
  }
  StatusOr<Hash> root = TreeRoot(size, store);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, reference::RootHash(leaves));
  // The same tree appended in one batch has byte-identical tiles.
  MemoryTileStore one_shot;
  StatusOr<AppendResult> all = NewTilesAfterAppend(0, leaves, one_shot);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->root, *root);
  for (const Tile& t : all->tiles) {
    EXPECT_EQ(*store.ReadTile(t.level, t.index, t.width), t.hashes)
        << PathOf({t.level, t.index, t.width});
  }
  EXPECT_EQ(all->tiles.size(), TilesForSize(size, false).size());
}

TEST(Merkle, Size70000InRandomBatches) { BuildInRandomBatches(70000, 3000, 7); }
TEST(Merkle, Size300007InRandomBatches) { BuildInRandomBatches(300007, 40000, 8); }

TEST(Merkle, ReaderErrorsAndShortTilesAreReported) {
  std::vector<Hash> leaves = MakeLeaves(300);
  MemoryTileStore store;
  store.PutAll(NewTilesAfterAppend(0, leaves, store)->tiles);
  MemoryTileStore empty;
  StatusOr<Hash> missing = TreeRoot(300, empty);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("tile/"), std::string::npos);
  // A store whose tile is shorter than requested is DataLoss, not a crash.
  class ShortReader : public TileReader {
   public:
    StatusOr<std::string> ReadTile(int, int64_t, int width) override {
      return std::string(static_cast<size_t>(width) * kHashSize - 1, 'x');
    }
  } short_reader;
  EXPECT_EQ(TreeRoot(300, short_reader).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(NewTilesAfterAppend(300, leaves, short_reader).status().code(), StatusCode::kDataLoss);
}

TEST(Merkle, TileChecksAgainstParent) {
  std::vector<Hash> leaves = MakeLeaves(512);
  MemoryTileStore store;
  store.PutAll(NewTilesAfterAppend(0, leaves, store)->tiles);
  std::string t0 = *store.ReadTile(0, 1, 256), parent = *store.ReadTile(1, 0, 2);
  EXPECT_TRUE(CheckTileAgainstParent(0, 1, t0, parent).ok());
  t0[100] ^= 1;
  EXPECT_EQ(CheckTileAgainstParent(0, 1, t0, parent).code(), StatusCode::kDataLoss);
  EXPECT_FALSE(CheckTileAgainstParent(0, 1, t0.substr(32), parent).ok());
}

}  // namespace
}  // namespace vt::tlog
