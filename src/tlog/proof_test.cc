// Proofs generated from tiles: equal to the RFC 6962 reference, verified by
// the RFC 9162 verifiers, and rejected when tampered with.
#include "tlog/proof.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "tlog/memory_tile_store.h"
#include "tlog/merkle.h"
#include "tlog/reference.h"

namespace vt::tlog {
namespace {

struct TestTree {
  std::vector<Hash> leaves;
  MemoryTileStore store;
  Hash root{};
  explicit TestTree(int64_t n) {
    for (int64_t i = 0; i < n; ++i) leaves.push_back(LeafHash("entry " + std::to_string(i)));
    StatusOr<AppendResult> r = NewTilesAfterAppend(0, leaves, store);
    if (!r.ok()) std::abort();
    store.PutAll(r->tiles);
    root = r->root;
  }
  Hash RootAt(int64_t n) const { return reference::RootHash(std::span(leaves).first(n)); }
};

std::vector<Hash> FlipBit(std::vector<Hash> proof, size_t i, int bit) {
  proof[i][bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
  return proof;
}

TEST(Proof, InclusionForAllIndicesOfAllSmallTrees) {
  TestTree tree(64);
  for (int64_t n = 1; n <= 64; ++n) {
    std::span<const Hash> d = std::span(tree.leaves).first(n);
    const Hash root = tree.RootAt(n);
    for (int64_t i = 0; i < n; ++i) {
      StatusOr<std::vector<Hash>> proof = InclusionProof(i, n, tree.store);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_EQ(*proof, reference::InclusionProof(i, d)) << i << "/" << n;
      ASSERT_TRUE(VerifyInclusion(i, n, d[i], *proof, root).ok()) << i << "/" << n;
      // Negative cases: any flipped bit, wrong leaf, wrong index, wrong size.
      for (size_t k = 0; k < proof->size(); ++k) {
        EXPECT_FALSE(VerifyInclusion(i, n, d[i], FlipBit(*proof, k, (i + k) % 256), root).ok());
      }
      EXPECT_FALSE(VerifyInclusion(i, n, LeafHash("other"), *proof, root).ok());
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion((i + 1) % n, n, d[i], *proof, root).ok());
      }
      // A wrong size fails whenever it changes the proof's shape; otherwise
      // the size is bound by the signed checkpoint, not by the proof.
      for (int64_t other : {n - 1, n + 1}) {
        if (other <= i || other > 64) continue;
        if (reference::InclusionProof(i, std::span(tree.leaves).first(other)).size() !=
            proof->size()) {
          EXPECT_FALSE(VerifyInclusion(i, other, d[i], *proof, root).ok()) << i << "/" << other;
        }
      }
    }
  }
}

TEST(Proof, ConsistencyForAllPairsOfSmallTrees) {
  TestTree tree(64);
  for (int64_t n = 1; n <= 64; ++n) {
    std::span<const Hash> d = std::span(tree.leaves).first(n);
    const Hash new_root = tree.RootAt(n);
    for (int64_t m = 0; m <= n; ++m) {
      const Hash old_root = tree.RootAt(m);
      StatusOr<std::vector<Hash>> proof = ConsistencyProof(m, n, tree.store);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_EQ(*proof, reference::ConsistencyProof(m, d)) << m << "->" << n;
      ASSERT_TRUE(VerifyConsistency(m, n, *proof, old_root, new_root).ok()) << m << "->" << n;
      for (size_t k = 0; k < proof->size(); ++k) {
        EXPECT_FALSE(
            VerifyConsistency(m, n, FlipBit(*proof, k, 7 * k % 256), old_root, new_root).ok())
            << m << "->" << n << " hash " << k;
      }
      if (m > 0 && m < n) {
        EXPECT_FALSE(VerifyConsistency(m, n, *proof, new_root, new_root).ok());
        EXPECT_FALSE(VerifyConsistency(m, n, *proof, old_root, old_root).ok());
        // Wrong sizes fail whenever they change the proof's shape.
        for (auto [m2, n2] : {std::pair{m, n + 1}, std::pair{m - 1, n}, std::pair{m + 1, n}}) {
          if (n2 > 64 || m2 < 1 || m2 >= n2) continue;
          if (reference::ConsistencyProof(m2, std::span(tree.leaves).first(n2)).size() !=
              proof->size()) {
            EXPECT_FALSE(VerifyConsistency(m2, n2, *proof, old_root, new_root).ok());
          }
        }
        std::vector<Hash> longer = *proof;
        longer.push_back(new_root);
        EXPECT_FALSE(VerifyConsistency(m, n, longer, old_root, new_root).ok());
        EXPECT_FALSE(VerifyConsistency(m, n, {}, old_root, new_root).ok());
      }
    }
  }
}

TEST(Proof, EdgeCases) {
  const Hash a = LeafHash("a"), b = LeafHash("b");
  EXPECT_TRUE(VerifyInclusion(0, 1, a, {}, a).ok());
  EXPECT_FALSE(VerifyInclusion(1, 1, a, {}, a).ok());
  EXPECT_FALSE(VerifyInclusion(-1, 1, a, {}, a).ok());
  EXPECT_TRUE(VerifyConsistency(0, 0, {}, EmptyRoot(), EmptyRoot()).ok());
  EXPECT_TRUE(VerifyConsistency(0, 5, {}, EmptyRoot(), a).ok());
  EXPECT_FALSE(VerifyConsistency(0, 5, std::vector<Hash>{a}, EmptyRoot(), a).ok());
  EXPECT_TRUE(VerifyConsistency(3, 3, {}, a, a).ok());
  EXPECT_FALSE(VerifyConsistency(3, 3, {}, a, b).ok());
  EXPECT_FALSE(VerifyConsistency(3, 3, std::vector<Hash>{a}, a, a).ok());
  EXPECT_FALSE(VerifyConsistency(4, 3, {}, a, a).ok());
  MemoryTileStore empty;
  EXPECT_FALSE(InclusionProof(3, 3, empty).ok());
  EXPECT_FALSE(ConsistencyProof(4, 3, empty).ok());
  EXPECT_TRUE(ConsistencyProof(0, 3, empty)->empty());
  EXPECT_TRUE(ConsistencyProof(3, 3, empty)->empty());
}

TEST(Proof, AcrossTileBoundariesAgainstReference) {
  TestTree tree(1100);
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int64_t> pick(1, 1100);
  for (int round = 0; round < 150; ++round) {
    int64_t n = pick(rng), m = pick(rng) % (n + 1), i = pick(rng) % n;
    if (round < 4) n = 256 * (round + 1), m = n - 1, i = 255;  // exact tile edges
    std::span<const Hash> d = std::span(tree.leaves).first(n);
    const Hash root = reference::RootHash(d);
    std::vector<Hash> incl = *InclusionProof(i, n, tree.store);
    ASSERT_EQ(incl, reference::InclusionProof(i, d)) << i << "/" << n;
    ASSERT_TRUE(VerifyInclusion(i, n, d[i], incl, root).ok());
    std::vector<Hash> cons = *ConsistencyProof(m, n, tree.store);
    ASSERT_EQ(cons, reference::ConsistencyProof(m, d)) << m << "->" << n;
    ASSERT_TRUE(VerifyConsistency(m, n, cons, tree.RootAt(m), root).ok());
  }
}

TEST(Proof, ThreeLevelTreeNeedsAtMostFiveTileReads) {
  const int64_t n = 256 * 256 * 3 + 17;  // level-2 tile is partial
  TestTree tree(n);
  std::mt19937_64 rng(2);
  std::vector<int64_t> indices = {0, 255, 256, 65535, 65536, n - 17, n - 1};
  for (int k = 0; k < 300; ++k) indices.push_back(static_cast<int64_t>(rng() % n));
  int64_t max_incl = 0, max_cons = 0;
  for (int64_t i : indices) {
    tree.store.ResetReads();
    std::vector<Hash> proof = *InclusionProof(i, n, tree.store);
    max_incl = std::max(max_incl, tree.store.reads());
    ASSERT_TRUE(VerifyInclusion(i, n, tree.leaves[i], proof, tree.root).ok()) << i;
    const int64_t m = i + 1;
    tree.store.ResetReads();
    std::vector<Hash> cons = *ConsistencyProof(m, n, tree.store);
    max_cons = std::max(max_cons, tree.store.reads());
    ASSERT_TRUE(VerifyConsistency(m, n, cons, *TreeRoot(m, tree.store), tree.root).ok()) << m;
  }
  RecordProperty("max_inclusion_reads", static_cast<int>(max_incl));
  RecordProperty("max_consistency_reads", static_cast<int>(max_cons));
  EXPECT_LE(max_incl, 5);
  EXPECT_LE(max_cons, 6);
  tree.store.ResetReads();
  EXPECT_EQ(*TreeRoot(n, tree.store), tree.root);
  EXPECT_LE(tree.store.reads(), 3);
}

// A lazily synthesized, internally consistent tree of any size: level-0 tile t
// holds the leaf hashes of "leaf <t mod 4>/<j>", so the full tiles of each
// higher level are all equal and every tile costs at most 256 tile hashes to
// derive. Memoized; counts reads.
class SyntheticTiles : public TileReader {
 public:
  StatusOr<std::string> ReadTile(int level, int64_t index, int width) override {
    ++reads;
    return Full(level, index).substr(0, static_cast<size_t>(width) * kHashSize);
  }
  const std::string& Full(int level, int64_t index) {
    const int64_t key = level == 0 ? index % 4 : 0;
    auto it = memo_.find({level, key});
    if (it != memo_.end()) return it->second;
    std::string tile;
    for (int j = 0; j < kTileWidth; ++j) {
      if (level == 0) {
        AppendHash(&tile, LeafHash("leaf " + std::to_string(key) + "/" + std::to_string(j)));
      } else {
        AppendHash(&tile, *FullTileHash(Full(level - 1, j)));
      }
    }
    return memo_[{level, key}] = tile;
  }
  int64_t reads = 0;

 private:
  std::map<std::pair<int, int64_t>, std::string> memo_;
};

TEST(Proof, TenMillionLeavesInclusionFromAtMostFiveTiles) {
  const int64_t n = 10'000'000;
  SyntheticTiles tiles;
  const Hash root = *TreeRoot(n, tiles);
  EXPECT_LE(tiles.reads, 3);
  for (int64_t i : {int64_t{0}, int64_t{123456}, int64_t{5'000'001}, int64_t{9'999'871}, n - 1}) {
    tiles.reads = 0;
    StatusOr<std::vector<Hash>> proof = InclusionProof(i, n, tiles);
    ASSERT_TRUE(proof.ok());
    EXPECT_LE(tiles.reads, 5) << i;
    const Hash leaf = *LeafHashAt(i, n, tiles);
    EXPECT_TRUE(VerifyInclusion(i, n, leaf, *proof, root).ok()) << i;
    EXPECT_FALSE(VerifyInclusion(i, n, LeafHash("x"), *proof, root).ok()) << i;
    tiles.reads = 0;
    const int64_t m = i + 1;
    StatusOr<std::vector<Hash>> cons = ConsistencyProof(m, n, tiles);
    ASSERT_TRUE(cons.ok());
    EXPECT_LE(tiles.reads, 6) << m;
    EXPECT_TRUE(VerifyConsistency(m, n, *cons, *TreeRoot(m, tiles), root).ok()) << m;
  }
}

}  // namespace
}  // namespace vt::tlog
