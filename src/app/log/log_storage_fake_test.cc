// The log storage logic (log_storage.h: entry bundles, the loose tail, full and
// edge tiles) against the in-memory log repository: no database. The same
// appends as log_storage_test.cc, checked against tlog's reference tile store.
#include <gtest/gtest.h>

#include "app/log/log_storage.h"
#include "store/log/memory_log_repo.h"
#include "store/store_testing.h"
#include "tlog/memory_tile_store.h"
#include "tlog/merkle.h"
#include "tlog/tile_path.h"

namespace vt::app {
namespace {

using tlog::Hash;

std::string Entry(int64_t i) {
  return "{\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string((i * 37) % 700, 'x') + "\"}";
}

// TileReader over logstore::ReadTile (widest stored version, served as a prefix).
class RepoReader final : public tlog::TileReader {
 public:
  explicit RepoReader(store::LogReader& repo) : repo_(repo) {}
  StatusOr<std::string> ReadTile(int level, int64_t index, int width) override {
    VT_ASSIGN_OR_RETURN(std::string t, logstore::ReadTile(repo_, level, index));
    size_t want = static_cast<size_t>(width) * tlog::kHashSize;
    if (t.size() < want) return NotFoundError("tile too narrow");
    return t.substr(0, want);
  }

 private:
  store::LogReader& repo_;
};

class LogStorageFakeTest : public ::testing::Test {
 protected:
  // Appends entries size_..size_+n-1 and their tiles, as the sequencer does.
  void Append(int64_t n) {
    std::vector<std::string> entries;
    std::vector<Hash> leaves;
    for (int64_t i = size_; i < size_ + n; ++i) {
      entries.push_back(Entry(i));
      leaves.push_back(tlog::LeafHash(Entry(i)));
    }
    auto ref_app = tlog::NewTilesAfterAppend(size_, leaves, ref_);
    ASSERT_TRUE(ref_app.ok());
    ref_.PutAll(ref_app->tiles);
    RepoReader reader(repo_);
    auto app = tlog::NewTilesAfterAppend(size_, leaves, reader);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    EXPECT_EQ(app->root, ref_app->root);
    VT_ASSERT_OK(logstore::AppendEntries(repo_, size_, entries));
    for (const auto& t : app->tiles) VT_ASSERT_OK(logstore::WriteTile(repo_, t));
    size_ += n;
  }

  store::MemoryLogRepo repo_;
  tlog::MemoryTileStore ref_;
  int64_t size_ = 0;
};

TEST_F(LogStorageFakeTest, BundlesFillAndTheLooseTailStaysShort) {
  for (int64_t batch : {1, 1, 254, 1, 255, 256, 300, 511, 3, 700, 1}) {
    ASSERT_NO_FATAL_FAILURE(Append(batch));
    // Only the incomplete last bundle stays loose; one edge tile per level at most.
    EXPECT_EQ(repo_.loose_count(), static_cast<size_t>(size_ % 256)) << size_;
    EXPECT_EQ(repo_.bundle_count(), static_cast<size_t>(size_ / 256)) << size_;
  }
  EXPECT_EQ(size_, 2283);
  RepoReader reader(repo_);
  VT_ASSERT_OK_AND_ASSIGN(Hash root, tlog::TreeRoot(size_, reader));
  VT_ASSERT_OK_AND_ASSIGN(Hash want, tlog::TreeRoot(size_, ref_));
  EXPECT_EQ(root, want);
  for (int64_t i = 0; i < size_; ++i) {
    VT_ASSERT_OK_AND_ASSIGN(std::string e, logstore::ReadEntry(repo_, i));
    ASSERT_EQ(e, Entry(i)) << i;
  }
  VT_EXPECT_CODE(logstore::ReadEntry(repo_, size_), StatusCode::kNotFound);
  VT_EXPECT_CODE(logstore::ReadEntry(repo_, -1), StatusCode::kNotFound);
  for (const tlog::TileCoord& c : tlog::TilesForSize(size_, true)) {
    SCOPED_TRACE(tlog::PathOf(c));
    if (!c.entries()) {
      VT_ASSERT_OK_AND_ASSIGN(std::string got, reader.ReadTile(c.level, c.index, c.width));
      EXPECT_EQ(got, *ref_.ReadTile(c.level, c.index, c.width));
      continue;
    }
    std::vector<std::string> want;
    for (int64_t i = c.index * 256; i < c.index * 256 + c.width; ++i) want.push_back(Entry(i));
    VT_ASSERT_OK_AND_ASSIGN(std::string got, logstore::ReadBundle(repo_, c.index, c.width));
    EXPECT_EQ(got, *tlog::EncodeEntryBundle(want));
  }
  VT_EXPECT_CODE(logstore::ReadBundleEntries(repo_, 0, 0), StatusCode::kInvalidArgument);
  VT_EXPECT_CODE(logstore::ReadBundleEntries(repo_, size_ / 256, 256), StatusCode::kNotFound);
}

TEST_F(LogStorageFakeTest, AFullTileReplacesTheEdgeTile) {
  tlog::Tile partial{0, 3, 10, std::string(10 * tlog::kHashSize, 'a')};
  VT_ASSERT_OK(logstore::WriteTile(repo_, partial));
  EXPECT_EQ(repo_.edge_tile_count(), 1u);
  VT_ASSERT_OK_AND_ASSIGN(std::string got, logstore::ReadTile(repo_, 0, 3));
  EXPECT_EQ(got, partial.hashes);
  tlog::Tile full{0, 3, tlog::kTileWidth, std::string(8192, 'b')};
  VT_ASSERT_OK(logstore::WriteTile(repo_, full));
  EXPECT_EQ(repo_.edge_tile_count(), 0u);
  EXPECT_EQ(repo_.full_tile_count(), 1u);
  VT_ASSERT_OK_AND_ASSIGN(got, logstore::ReadTile(repo_, 0, 3));
  EXPECT_EQ(got, full.hashes);
  VT_EXPECT_CODE(logstore::ReadTile(repo_, 0, 4), StatusCode::kNotFound);
}

TEST_F(LogStorageFakeTest, CompactsFullBundlesLeftAsLooseRows) {
  // The layout before schema version 8: every entry a loose row.
  for (int64_t i = 0; i < 600; ++i) VT_ASSERT_OK(repo_.InsertLooseEntry(i, Entry(i)));
  VT_ASSERT_OK_AND_ASSIGN(int64_t moved, logstore::CompactFullBundles(repo_, 600));
  EXPECT_EQ(moved, 2);
  EXPECT_EQ(repo_.bundle_count(), 2u);
  EXPECT_EQ(repo_.loose_count(), 600u - 512u);
  VT_ASSERT_OK_AND_ASSIGN(moved, logstore::CompactFullBundles(repo_, 600));  // idempotent
  EXPECT_EQ(moved, 0);
  for (int64_t i : {0, 255, 256, 511, 512, 599}) {
    VT_ASSERT_OK_AND_ASSIGN(std::string e, logstore::ReadEntry(repo_, i));
    EXPECT_EQ(e, Entry(i)) << i;
  }
}

}  // namespace
}  // namespace vt::app
