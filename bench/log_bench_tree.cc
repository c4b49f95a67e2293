// log_bench: anchors (SHA-256 rate, fsync latency) and inclusion proofs at 10^7.
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <random>

#include "bench/log_bench.h"
#include "crypto/digest.h"
#include "store/sql.h"
#include "tlog/memory_tile_store.h"
#include "tlog/merkle.h"
#include "tlog/proof.h"
#include "tlog/tile_path.h"

namespace vt::bench {
namespace {

// TileReader over a SQLite log_tiles table (the server's schema and query),
// counting reads.
class SqliteTiles final : public tlog::TileReader {
 public:
  explicit SqliteTiles(store::Conn& c) : conn_(c) {}
  StatusOr<std::string> ReadTile(int level, int64_t index, int width) override {
    ++reads;
    VT_ASSIGN_OR_RETURN(auto row, conn_.QueryOne("SELECT data FROM log_tiles WHERE level = ? "
                                                 "AND idx = ?",
                                                 {int64_t{level}, index}));
    return row.Bytes(0).substr(0, static_cast<size_t>(width) * tlog::kHashSize);
  }
  int64_t reads = 0;

 private:
  store::Conn& conn_;
};

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "log_bench: %s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

// 4 KiB writes, each followed by fdatasync: in place (offset 0) or appended.
void FsyncLoop(const std::string& path, bool append, double* p50, double* mean) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::perror(path.c_str());
    return;
  }
  std::vector<char> page(4096, 'y');
  std::vector<double> ms;
  auto t0 = Steady::now();
  while (ms.size() < 2000 && (ms.size() < 20 || SecondsSince(t0) < 2.0)) {
    auto t = Steady::now();
    off_t at = append ? static_cast<off_t>(ms.size() * page.size()) : 0;
    if (pwrite(fd, page.data(), page.size(), at) != 4096 || fdatasync(fd) != 0) break;
    ms.push_back(SecondsSince(t) * 1e3);
  }
  close(fd);
  unlink(path.c_str());
  double sum = 0;
  for (double x : ms) sum += x;
  *mean = ms.empty() ? 0 : sum / static_cast<double>(ms.size());
  *p50 = Percentile(ms, 50);
}

}  // namespace

Anchors MeasureAnchors(const std::string& dir) {
  Anchors a;
  std::string block(64, 'x');
  int64_t n = 0;
  auto t0 = Steady::now();
  while (SecondsSince(t0) < 1.0) {
    for (int i = 0; i < 10000; ++i) {
      block[0] = static_cast<char>(i);
      block = crypto::Sha256(block) + crypto::Sha256(block);  // keep 64 bytes, no dead code
    }
    n += 20000;
  }
  a.sha256_per_s = static_cast<double>(n) / SecondsSince(t0);

  FsyncLoop(dir + "/fsync-probe", false, &a.fsync_p50_ms, &a.fsync_mean_ms);
  FsyncLoop(dir + "/fsync-append-probe", true, &a.append_fsync_p50_ms, &a.append_fsync_mean_ms);
  return a;
}

ProofFigures MeasureProofs(int64_t size, const std::string& dir, bool with_db) {
  ProofFigures f;
  f.size = size;
  tlog::MemoryTileStore tiles;
  auto t0 = Steady::now();
  const int64_t kBatch = 1 << 20;
  for (int64_t done = 0; done < size;) {
    std::vector<tlog::Hash> leaves;
    int64_t n = std::min(kBatch, size - done);
    leaves.reserve(static_cast<size_t>(n));
    for (int64_t i = done; i < done + n; ++i) {
      uint64_t be = __builtin_bswap64(static_cast<uint64_t>(i));
      leaves.push_back(tlog::LeafHash(std::string_view(reinterpret_cast<char*>(&be), 8)));
    }
    auto r = tlog::NewTilesAfterAppend(done, leaves, tiles);
    Check(r.status(), "append");
    tiles.PutAll(r->tiles);
    done = r->size;
  }
  f.build_s = SecondsSince(t0);
  auto root = tlog::TreeRoot(size, tiles);
  Check(root.status(), "root");

  std::mt19937_64 rng(42);
  const int kProofs = 20000;
  std::vector<int64_t> idx(kProofs);
  for (auto& i : idx) i = static_cast<int64_t>(rng() % static_cast<uint64_t>(size));
  tiles.ResetReads();
  t0 = Steady::now();
  for (int64_t i : idx) {
    int64_t before = tiles.reads();
    auto p = tlog::InclusionProof(i, size, tiles);
    Check(p.status(), "inclusion proof");
    f.max_tile_reads = std::max(f.max_tile_reads, tiles.reads() - before);
  }
  f.mem_proof_us = SecondsSince(t0) * 1e6 / kProofs;
  f.tile_reads = static_cast<double>(tiles.reads()) / kProofs;
  // One proof, checked end to end (the measurement is of real proofs).
  auto leaf = tlog::LeafHashAt(idx[0], size, tiles);
  auto proof = tlog::InclusionProof(idx[0], size, tiles);
  Check(tlog::VerifyInclusion(idx[0], size, *leaf, *proof, *root), "verify inclusion");
  tiles.ResetReads();
  for (int k = 0; k < 1000; ++k) {
    int64_t old = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(size - 1));
    Check(tlog::ConsistencyProof(old, size, tiles).status(), "consistency proof");
  }
  f.consistency_reads = static_cast<double>(tiles.reads()) / 1000;
  if (!with_db) return f;

  // The same tiles in SQLite (the server's table and lookup), proofs from there.
  std::string db_path = dir + "/proof-bench.db";
  unlink(db_path.c_str());
  auto db = store::OpenSqlite(db_path);
  Check(db.status(), "open sqlite");
  auto conn = (*db)->Connect();
  Check(conn.status(), "connect");
  store::Conn& c = **conn;
  Check(c.ExecScript("PRAGMA synchronous=OFF; CREATE TABLE log_tiles (level INTEGER NOT NULL, "
                     "idx BIGINT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (level, idx));"),
        "schema");
  Check(c.Begin(), "begin");
  for (const auto& coord : tlog::TilesForSize(size, false)) {
    auto data = tiles.ReadTile(coord.level, coord.index, coord.width);
    Check(data.status(), "tile");
    Check(c.Exec("INSERT INTO log_tiles(level, idx, data) VALUES(?, ?, ?)",
                 {int64_t{coord.level}, coord.index, store::Blob{*data}})
              .status(),
          "insert tile");
  }
  Check(c.Commit(), "commit");
  SqliteTiles reader(c);
  const int kDbProofs = 5000;
  t0 = Steady::now();
  for (int k = 0; k < kDbProofs; ++k)
    Check(tlog::InclusionProof(idx[k], size, reader).status(), "db inclusion proof");
  f.db_proof_us = SecondsSince(t0) * 1e6 / kDbProofs;
  conn->reset();
  db->reset();
  unlink(db_path.c_str());
  unlink((db_path + "-wal").c_str());
  unlink((db_path + "-shm").c_str());
  return f;
}

}  // namespace vt::bench
