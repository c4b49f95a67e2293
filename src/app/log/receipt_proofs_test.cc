// ProofBatch must produce exactly tlog::InclusionProof's proofs (and the
// reference root) for every leaf of small trees, and for batches at the right
// edge of larger trees that span tile and level boundaries.
#include "app/log/receipt_proofs.h"

#include <gtest/gtest.h>

#include <random>

#include "tlog/memory_tile_store.h"
#include "tlog/merkle.h"
#include "tlog/proof.h"

namespace vt::app {
namespace {

using tlog::Hash;

Hash Leaf(int64_t i) { return tlog::LeafHash("entry " + std::to_string(i)); }

// A tree grown in appends of the given sizes (so partial tiles are exercised).
struct Tree {
  tlog::MemoryTileStore tiles;
  int64_t size = 0;
  void Append(int64_t n) {
    std::vector<Hash> leaves;
    for (int64_t i = size; i < size + n; ++i) leaves.push_back(Leaf(i));
    auto r = tlog::NewTilesAfterAppend(size, leaves, tiles);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    tiles.PutAll(r->tiles);
    size = r->size;
  }
};

void ExpectSameProofs(Tree& t, int64_t first, int64_t last) {
  ProofBatch batch(t.size, t.tiles);
  auto root = tlog::TreeRoot(t.size, t.tiles);
  ASSERT_TRUE(root.ok());
  auto mth = batch.Subtree(0, t.size);
  ASSERT_TRUE(mth.ok()) << mth.status().ToString();
  EXPECT_EQ(*mth, *root) << "size " << t.size;
  for (int64_t i = first; i < last; ++i) {
    auto want = tlog::InclusionProof(i, t.size, t.tiles);
    auto got = batch.Inclusion(i);
    ASSERT_TRUE(want.ok() && got.ok()) << got.status().ToString();
    ASSERT_EQ(*got, *want) << "index " << i << " size " << t.size;
    ASSERT_TRUE(tlog::VerifyInclusion(i, t.size, Leaf(i), *got, *root).ok());
  }
}

TEST(ProofBatchTest, MatchesTlogForEveryLeafOfSmallTrees) {
  Tree t;
  for (int64_t size = 1; size <= 300; ++size) {
    ASSERT_NO_FATAL_FAILURE(t.Append(1));
    ASSERT_NO_FATAL_FAILURE(ExpectSameProofs(t, 0, t.size));
  }
}

TEST(ProofBatchTest, MatchesTlogForBatchesAtTheRightEdge) {
  std::mt19937_64 rng(7);
  Tree t;
  ASSERT_NO_FATAL_FAILURE(t.Append(65530));  // just below 256^2: level 2 appears soon
  for (int round = 0; round < 12; ++round) {
    const int64_t base = t.size;
    ASSERT_NO_FATAL_FAILURE(t.Append(1 + static_cast<int64_t>(rng() % 700)));
    ASSERT_NO_FATAL_FAILURE(ExpectSameProofs(t, base, t.size));
  }
  // A few older leaves too.
  ASSERT_NO_FATAL_FAILURE(ExpectSameProofs(t, 0, 3));
  ASSERT_NO_FATAL_FAILURE(ExpectSameProofs(t, 65535, 65537));
}

TEST(ProofBatchTest, ReadsEachTileOnceAndRejectsBadIndices) {
  Tree t;
  ASSERT_NO_FATAL_FAILURE(t.Append(70000));
  ProofBatch batch(t.size, t.tiles);
  for (int64_t i = 69000; i < 70000; ++i) ASSERT_TRUE(batch.Inclusion(i).ok());
  // The batch's level-0 tiles, the partial tile of each level and a few siblings.
  EXPECT_LE(batch.tile_reads(), 12);
  EXPECT_FALSE(batch.Inclusion(70000).ok());
  EXPECT_FALSE(batch.Inclusion(-1).ok());
  EXPECT_FALSE(batch.Subtree(5, 5).ok());
  EXPECT_FALSE(batch.Subtree(0, 70001).ok());
}

}  // namespace
}  // namespace vt::app
