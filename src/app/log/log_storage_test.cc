// Log storage (log_storage.h, schema version 8) on SQLite and PostgreSQL:
// entries and tiles written through the new layout read back exactly like the
// reference (every entry, every bundle at every width, the tree root), loose
// rows never exceed one incomplete bundle, and a database written in the
// layout of schema versions 2..7 is upgraded by the migration plus
// TransparencyLog::Open (bundles compacted, partial tiles moved) without
// changing a byte that the log serves.
#include "app/log/log_storage.h"

#include <gtest/gtest.h>

#include <random>

#include "app/log/transparency_log.h"
#include "crypto/signer.h"
#include "store/migrations/migrations.h"
#include "store/store_testing.h"
#include "tlog/memory_tile_store.h"
#include "tlog/merkle.h"
#include "tlog/note_keys.h"
#include "tlog/tile_path.h"

namespace vt::app {
namespace {

using tlog::Hash;

std::string Entry(int64_t i) {
  // Varying lengths (including empty and long) so bundle offsets are exercised.
  return "{\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string((i * 37) % 700, 'x') + "\"}";
}

// TileReader over logstore::ReadTile (widest stored version, served as a prefix).
class StoreReader final : public tlog::TileReader {
 public:
  explicit StoreReader(store::Conn& c) : c_(c) {}
  StatusOr<std::string> ReadTile(int level, int64_t index, int width) override {
    VT_ASSIGN_OR_RETURN(std::string t, logstore::ReadTile(c_, level, index));
    size_t want = static_cast<size_t>(width) * tlog::kHashSize;
    if (t.size() < want) return NotFoundError("tile too narrow");
    return t.substr(0, want);
  }

 private:
  store::Conn& c_;
};

int64_t Count(store::Conn& c, const std::string& sql) {
  auto r = c.QueryOne(sql);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r->Int(0) : -1;
}

class LogStorageTest : public store::BackendTest {
 protected:
  FakeClock clock_;  // stamps the migrations' applied_at
  void MigrateUpTo(int version) {
    std::vector<store::Migration> some;
    for (const auto& m : Migrations())
      if (m.version <= version) some.push_back(m);
    VT_ASSERT_OK(store::Migrate(conn(), some, clock_));
  }

  // Everything the log serves for `size` entries must match the reference.
  void ExpectServes(int64_t size, tlog::MemoryTileStore& ref_tiles) {
    for (int64_t i = 0; i < size; ++i) {
      auto e = logstore::ReadEntry(conn(), i);
      ASSERT_TRUE(e.ok()) << i << ": " << e.status().ToString();
      ASSERT_EQ(*e, Entry(i)) << i;
    }
    EXPECT_EQ(logstore::ReadEntry(conn(), size).status().code(), StatusCode::kNotFound);
    for (const tlog::TileCoord& c : tlog::TilesForSize(size, true)) {
      SCOPED_TRACE(tlog::PathOf(c));
      if (c.entries()) {
        std::vector<std::string> want;
        for (int64_t i = c.index * 256; i < c.index * 256 + c.width; ++i) want.push_back(Entry(i));
        auto got = logstore::ReadBundle(conn(), c.index, c.width);
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        EXPECT_EQ(*got, *tlog::EncodeEntryBundle(want));
        // A narrower view of a full bundle (served for older sizes) too.
        if (c.width == 256) {
          auto part = logstore::ReadBundle(conn(), c.index, 17);
          ASSERT_TRUE(part.ok());
          want.resize(17);
          EXPECT_EQ(*part, *tlog::EncodeEntryBundle(want));
        }
      } else {
        auto want = ref_tiles.ReadTile(c.level, c.index, c.width);
        StoreReader reader(conn());
        auto got = reader.ReadTile(c.level, c.index, c.width);
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        EXPECT_EQ(*got, *want);
      }
    }
    // Loose rows: only the incomplete last bundle. Full tiles only in log_tiles.
    EXPECT_EQ(Count(conn(), "SELECT COUNT(*) FROM log_entries"), size % 256);
    EXPECT_EQ(Count(conn(), "SELECT COUNT(*) FROM log_bundles"), size / 256);
    EXPECT_EQ(Count(conn(), "SELECT COUNT(*) FROM log_tiles WHERE length(data) <> 8192"), 0);
    EXPECT_EQ(Count(conn(), "SELECT COUNT(*) FROM log_edge_tiles WHERE length(data) >= 8192"), 0);
  }
};

TEST_P(LogStorageTest, AppendsInAnyBatchSizesReadBackExactly) {
  MigrateUpTo(1 << 30);
  tlog::MemoryTileStore ref;
  int64_t size = 0;
  std::mt19937_64 rng(3);
  for (int64_t batch : {1, 1, 254, 1, 255, 256, 300, 511, 3, 700, 1}) {
    std::vector<std::string> entries;
    std::vector<Hash> leaves;
    for (int64_t i = size; i < size + batch; ++i) {
      entries.push_back(Entry(i));
      leaves.push_back(tlog::LeafHash(Entry(i)));
    }
    auto ref_app = tlog::NewTilesAfterAppend(size, leaves, ref);
    ASSERT_TRUE(ref_app.ok());
    ref.PutAll(ref_app->tiles);
    VT_ASSERT_OK(conn().Begin());
    StoreReader reader(conn());
    auto app = tlog::NewTilesAfterAppend(size, leaves, reader);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    EXPECT_EQ(app->root, ref_app->root);
    VT_ASSERT_OK(logstore::AppendEntries(conn(), size, entries));
    for (const auto& t : app->tiles) VT_ASSERT_OK(logstore::WriteTile(conn(), t));
    VT_ASSERT_OK(conn().Commit());
    size += batch;
    StoreReader after(conn());
    auto root = tlog::TreeRoot(size, after);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(*root, ref_app->root) << size;
  }
  ASSERT_NO_FATAL_FAILURE(ExpectServes(size, ref));
  EXPECT_EQ(size, 2283);
}

// The layout of schema versions 2..7: one row per entry, every tile (partial
// ones included) in log_tiles at its widest version. Migration 8 plus
// TransparencyLog::Open must turn it into the new layout without changing a
// byte of what the log serves, and the upgraded log keeps appending.
TEST_P(LogStorageTest, UpgradesAVersion7Database) {
  MigrateUpTo(7);
  tlog::MemoryTileStore ref;
  const int64_t size = 256 * 3 + 77;
  int64_t done = 0;
  for (int64_t batch : {5, 300, 1, 200, 339}) {  // several appends: partial tiles widen
    std::vector<Hash> leaves;
    for (int64_t i = done; i < done + batch; ++i) {
      leaves.push_back(tlog::LeafHash(Entry(i)));
      VT_ASSERT_OK(conn().Exec("INSERT INTO log_entries(idx, data) VALUES(?, ?)",
                               {i, store::Blob{Entry(i)}}));
    }
    auto app = tlog::NewTilesAfterAppend(done, leaves, ref);
    ASSERT_TRUE(app.ok());
    ref.PutAll(app->tiles);
    for (const auto& t : app->tiles)
      VT_ASSERT_OK(
          conn().Exec("INSERT INTO log_tiles(level, idx, data) VALUES(?, ?, ?) "
                      "ON CONFLICT (level, idx) DO UPDATE SET data = excluded.data",
                      {int64_t{t.level}, t.index, store::Blob{t.hashes}}));
    done += batch;
  }
  ASSERT_EQ(done, size);
  auto root = tlog::TreeRoot(size, ref);
  ASSERT_TRUE(root.ok());
  VT_ASSERT_OK(conn().Exec("INSERT INTO log_state(id, size, root, checkpoint) VALUES(1, ?, ?, ?)",
                           {size, store::Blob{tlog::HashBytes(*root)}, std::string("old note")}));

  MigrateUpTo(1 << 30);
  EXPECT_GT(Count(conn(), "SELECT COUNT(*) FROM log_edge_tiles"), 0);
  std::string seed(32, '\x07');
  auto key = crypto::PrivateKey::FromEd25519Seed(seed);
  ASSERT_TRUE(key.ok());
  auto verifier = tlog::NewEd25519NoteVerifier("test.example/log", key->Public());
  auto signer = tlog::NewEd25519NoteSigner(
      "test.example/log", std::shared_ptr<crypto::Signer>(crypto::MakeSoftwareSigner(*key)));
  ASSERT_TRUE(verifier.ok() && signer.ok());
  auto log = TransparencyLog::Open(conn(), "test.example/log", std::move(*signer), *verifier);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ((*log)->Published().size, size);
  EXPECT_EQ((*log)->Published().root, *root);
  ASSERT_NO_FATAL_FAILURE(ExpectServes(size, ref));

  // The upgraded log appends (through the sequencer) and stays consistent.
  std::vector<std::string> more;
  std::vector<Hash> leaves;
  for (int64_t i = size; i < size + 200; ++i) {
    more.push_back(Entry(i));
    leaves.push_back(tlog::LeafHash(Entry(i)));
  }
  VT_ASSERT_OK(conn().Begin());
  auto receipts = (*log)->Stage(conn(), more);
  ASSERT_TRUE(receipts.ok()) << receipts.status().ToString();
  VT_ASSERT_OK(conn().Commit());
  (*log)->Committed();
  auto app = tlog::NewTilesAfterAppend(size, leaves, ref);
  ASSERT_TRUE(app.ok());
  ref.PutAll(app->tiles);
  EXPECT_EQ((*log)->Published().root, app->root);
  ASSERT_NO_FATAL_FAILURE(ExpectServes(size + 200, ref));
  // Opening again finds nothing left to compact and the same root.
  auto again = TransparencyLog::Open(
      conn(), "test.example/log",
      *tlog::NewEd25519NoteSigner(
          "test.example/log", std::shared_ptr<crypto::Signer>(crypto::MakeSoftwareSigner(*key))),
      *verifier);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)->Published().root, app->root);
}

// A damaged stored bundle is reported as data loss, never served.
TEST_P(LogStorageTest, UndecodableBundleIsDataLoss) {
  MigrateUpTo(1 << 30);
  std::vector<std::string> entries;
  for (int64_t i = 0; i < 256; ++i) entries.push_back(Entry(i));
  VT_ASSERT_OK(logstore::AppendEntries(conn(), 0, entries));
  VT_ASSERT_OK(conn().Exec("UPDATE log_bundles SET data = ? WHERE idx = 0",
                           {store::Blob{std::string("\xff\xff", 2)}}));
  EXPECT_EQ(logstore::ReadEntry(conn(), 3).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(logstore::ReadBundle(conn(), 0, 5).status().code(), StatusCode::kDataLoss);
}

VT_INSTANTIATE_BACKEND_TEST(LogStorageTest);

}  // namespace
}  // namespace vt::app
