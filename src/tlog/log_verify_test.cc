#include "tlog/log_verify.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tlog/memory_tile_store.h"
#include "tlog/merkle.h"
#include "tlog/tile_path.h"

namespace vt::tlog {
namespace {

class MapBundles : public EntryBundleReader {
 public:
  StatusOr<std::string> ReadEntryBundle(int64_t index, int width) override {
    auto it = bundles.find({index, width});
    if (it == bundles.end()) return NotFoundError(EntriesPath(index, width));
    return it->second;
  }
  std::map<std::pair<int64_t, int>, std::string> bundles;
};

class AuditTest : public ::testing::Test {
 protected:
  static constexpr int64_t kSize = 256 * 256 + 300;  // three levels, partial at each
  AuditTest() {
    for (int64_t i = 0; i < kSize; ++i) entries_.push_back("e" + std::to_string(i));
    std::vector<Hash> leaves;
    for (const auto& e : entries_) leaves.push_back(LeafHash(e));
    AppendResult r = *NewTilesAfterAppend(0, leaves, tiles_);
    tiles_.PutAll(r.tiles);
    checkpoint_ = {"vtrust.example/log", kSize, r.root, {}};
    for (const TileCoord& c : TilesForSize(kSize, true)) {
      if (!c.entries()) continue;
      std::vector<std::string> chunk(entries_.begin() + c.index * 256,
                                     entries_.begin() + c.index * 256 + c.width);
      bundles_.bundles[{c.index, c.width}] = *EncodeEntryBundle(chunk);
    }
  }
  void FlipTileHash(int level, int64_t index, int i) {
    (*tiles_.Mutable(level, index))[i * 32] ^= 1;
  }
  void SetEntry(int64_t i, const std::string& e) {
    entries_[i] = e;
    const int64_t t = i / 256;
    const int width = TileWidthAt(0, t, kSize);
    std::vector<std::string> chunk(entries_.begin() + t * 256, entries_.begin() + t * 256 + width);
    bundles_.bundles[{t, width}] = *EncodeEntryBundle(chunk);
  }

  std::vector<std::string> entries_;
  MemoryTileStore tiles_;
  MapBundles bundles_;
  Checkpoint checkpoint_;
};

TEST_F(AuditTest, CleanLogPassesAndVisitsEveryEntryInOrder) {
  int64_t next = 0;
  StatusOr<LogAuditReport> r =
      AuditLog(checkpoint_, &tiles_, bundles_, [&](int64_t i, std::string_view e) {
        if (i != next++ || e != entries_[i]) return InternalError("out of order");
        return OkStatus();
      });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(next, kSize);
  EXPECT_EQ(r->entries, kSize);
  EXPECT_EQ(r->bundles, 258);
  EXPECT_EQ(r->tiles_checked, 258 + 2 + 1);  // every tile of TilesForSize
  EXPECT_TRUE(AuditLog(checkpoint_, nullptr, bundles_).ok());
  EXPECT_TRUE(AuditLog({"o", 0, EmptyRoot(), {}}, &tiles_, bundles_).ok());
}

TEST_F(AuditTest, ReportsATamperedLeafTile) {
  FlipTileHash(0, 5, 17);
  Status s = AuditLog(checkpoint_, &tiles_, bundles_).status();
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_TRUE(s.message().starts_with("tile/0/005: hash 17 (leaf 1297) is ")) << s.message();
  EXPECT_NE(s.details().find("\"first_leaf\":1297"), std::string::npos) << s.details();
}

TEST_F(AuditTest, ReportsATamperedEntry) {
  SetEntry(65800, "evil");  // in the partial bundle 257 (width 44)
  Status s = AuditLog(checkpoint_, &tiles_, bundles_).status();
  EXPECT_TRUE(s.message().starts_with("tile/0/257.p/44: hash 8 (leaf 65800)")) << s.message();
  // Without tiles, the changed entry shows up as a root mismatch.
  s = AuditLog(checkpoint_, nullptr, bundles_).status();
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_TRUE(s.message().starts_with("root: entries give ")) << s.message();
}

TEST_F(AuditTest, ReportsUpperLevelTilesAndRoot) {
  FlipTileHash(1, 0, 3);
  Status s = AuditLog(checkpoint_, &tiles_, bundles_).status();
  EXPECT_TRUE(s.message().starts_with("tile/1/000: hash 3 (leaves 768..1023)")) << s.message();
  FlipTileHash(1, 0, 3);  // restore
  FlipTileHash(2, 0, 0);  // the level-2 partial tile tile/2/000.p/1
  s = AuditLog(checkpoint_, &tiles_, bundles_).status();
  EXPECT_TRUE(s.message().starts_with("tile/2/000.p/1: hash 0 (leaves 0..65535)")) << s.message();
  FlipTileHash(2, 0, 0);
  Checkpoint wrong = checkpoint_;
  wrong.root = LeafHash("x");
  EXPECT_TRUE(AuditLog(wrong, &tiles_, bundles_).status().message().starts_with("root:"));
}

TEST_F(AuditTest, ReportsMalformedOrMissingResources) {
  bundles_.bundles[{3, 256}] += "x";
  Status s = AuditLog(checkpoint_, &tiles_, bundles_).status();
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_TRUE(s.message().starts_with("tile/entries/003: entry bundle: trailing")) << s.message();
  bundles_.bundles.erase({3, 256});
  EXPECT_EQ(AuditLog(checkpoint_, &tiles_, bundles_).status().code(), StatusCode::kNotFound);
  MemoryTileStore no_tiles;
  SetEntry(3 * 256, entries_[3 * 256]);  // restore bundle 3
  EXPECT_EQ(AuditLog(checkpoint_, &no_tiles, bundles_).status().code(), StatusCode::kNotFound);
  int64_t visited = 0;
  s = AuditLog(checkpoint_, &tiles_, bundles_, [&](int64_t i, std::string_view) {
        return ++visited == 10 ? AbortedError("stop") : OkStatus();
      }).status();
  EXPECT_EQ(s.code(), StatusCode::kAborted);
}

}  // namespace
}  // namespace vt::tlog
