#include "app/log/transparency_log.h"

#include "app/log/log_storage.h"
#include "app/log/receipt_proofs.h"
#include "base/encoding.h"
#include "tlog/merkle.h"

namespace vt::app {
namespace {

using tlog::Hash;
using tlog::Tile;

// Reads tiles from (in order) tiles staged in this batch, the right-edge cache,
// and the database, memoizing database reads.
class DbTileReader final : public tlog::TileReader {
 public:
  DbTileReader(store::LogReader& repo,
               const std::map<std::pair<int, int64_t>, std::string>* overlay)
      : repo_(repo), overlay_(overlay) {}
  StatusOr<std::string> ReadTile(int level, int64_t index, int width) override {
    const std::string* data = nullptr;
    auto key = std::make_pair(level, index);
    if (overlay_ != nullptr) {
      if (auto it = overlay_->find(key); it != overlay_->end()) data = &it->second;
    }
    if (data == nullptr) {
      auto it = cache_.find(key);
      if (it == cache_.end()) {
        VT_ASSIGN_OR_RETURN(std::string stored, logstore::ReadTile(repo_, level, index));
        it = cache_.emplace(key, std::move(stored)).first;
      }
      data = &it->second;
    }
    size_t want = static_cast<size_t>(width) * tlog::kHashSize;
    if (data->size() < want)
      return NotFoundError("tile " + tlog::TilePath(level, index, width) + " is not stored");
    return data->substr(0, want);
  }

 private:
  store::LogReader& repo_;
  const std::map<std::pair<int, int64_t>, std::string>* overlay_;
  std::map<std::pair<int, int64_t>, std::string> cache_;
};

std::string CheckpointBody(const std::string& origin, int64_t size, const Hash& root) {
  return origin + "\n" + std::to_string(size) + "\n" + tlog::HashToBase64(root) + "\n";
}

Json ProofJson(int64_t index, int64_t size, const Hash& leaf, const std::vector<Hash>& path,
               const Hash& root) {
  Json hashes = Json::array();
  for (const auto& h : path) hashes.push_back(tlog::HashToBase64(h));
  return {{"index", index},
          {"tree_size", size},
          {"leaf_hash", tlog::HashToBase64(leaf)},
          {"hashes", hashes},
          {"root", tlog::HashToBase64(root)}};
}

// The stored checkpoint, decoded.
StatusOr<LogCheckpoint> CheckpointFrom(store::LogReader& repo) {
  VT_ASSIGN_OR_RETURN(store::StoredCheckpoint stored, repo.GetCheckpoint());
  LogCheckpoint cp;
  cp.size = stored.size;
  VT_ASSIGN_OR_RETURN(cp.root, tlog::HashFromBytes(stored.root));
  cp.note = std::move(stored.note);
  return cp;
}

}  // namespace

StatusOr<std::unique_ptr<TransparencyLog>> TransparencyLog::Open(
    store::Conn& conn, std::string origin, std::unique_ptr<tlog::NoteSigner> signer,
    std::shared_ptr<const tlog::NoteVerifier> verifier) {
  auto log = std::unique_ptr<TransparencyLog>(
      new TransparencyLog(std::move(origin), std::move(signer), std::move(verifier)));
  auto repo = store::NewSqlLogRepo(conn);
  auto cp = CheckpointFrom(*repo);
  if (!cp.ok() && cp.status().code() == StatusCode::kNotFound) {
    Hash empty = tlog::EmptyRoot();
    VT_ASSIGN_OR_RETURN(std::string note, log->SignCheckpoint(0, empty));
    VT_RETURN_IF_ERROR(repo->CreateCheckpoint(tlog::HashBytes(empty), note));
    cp = CheckpointFrom(*repo);
  }
  VT_RETURN_IF_ERROR(cp.status());
  // Recovery check: the stored tiles must reproduce the stored root.
  DbTileReader reader(*repo, nullptr);
  VT_ASSIGN_OR_RETURN(Hash root, tlog::TreeRoot(cp->size, reader));
  if (root != cp->root)
    return DataLossError("transparency log: stored tiles give root " + tlog::HashToBase64(root) +
                         " for size " + std::to_string(cp->size) + " but the checkpoint says " +
                         tlog::HashToBase64(cp->root));
  // Data directories from before schema version 8 keep full bundles as loose
  // entry rows: move them into log_bundles (idempotent; log_storage.h).
  VT_RETURN_IF_ERROR(store::InTransaction(
      conn, [&](store::Conn& c) { return logstore::CompactFullBundles(c, cp->size).status(); }));
  log->published_ = *cp;
  return log;
}

StatusOr<std::string> TransparencyLog::SignCheckpoint(int64_t size, const Hash& root) {
  return tlog::SignNote(CheckpointBody(origin_, size, root), {signer_.get()});
}

StatusOr<LogCheckpoint> TransparencyLog::LoadCheckpoint(store::Conn& conn) {
  return CheckpointFrom(*store::NewSqlLogRepo(conn));
}

StatusOr<std::vector<Json>> TransparencyLog::Stage(store::Conn& conn,
                                                   const std::vector<std::string>& entries) {
  staged_.reset();
  auto repo = store::NewSqlLogRepo(conn);
  VT_ASSIGN_OR_RETURN(LogCheckpoint base, CheckpointFrom(*repo));
  if (base.size != edge_size_) edge_.clear();  // another server appended, or first batch
  std::map<std::pair<int, int64_t>, std::string> overlay;
  for (const auto& [level, t] : edge_) overlay[{t.level, t.index}] = t.hashes;
  DbTileReader reader(*repo, &overlay);

  std::vector<Hash> leaves;
  leaves.reserve(entries.size());
  for (const auto& e : entries) {
    if (e.size() > tlog::kMaxEntrySize)
      return InvalidArgumentError("log entry exceeds 65535 bytes");
    leaves.push_back(tlog::LeafHash(e));
  }
  VT_ASSIGN_OR_RETURN(tlog::AppendResult appended,
                      tlog::NewTilesAfterAppend(base.size, leaves, reader));
  VT_RETURN_IF_ERROR(logstore::AppendEntries(*repo, base.size, entries));
  staged_edge_ = edge_;
  for (const Tile& t : appended.tiles) {
    VT_RETURN_IF_ERROR(logstore::WriteTile(*repo, t));
    overlay[{t.level, t.index}] = t.hashes;
    auto& slot = staged_edge_[t.level];
    if (slot.width == 0 || t.index >= slot.index) slot = t;
  }
  VT_ASSIGN_OR_RETURN(std::string note, SignCheckpoint(appended.size, appended.root));
  // Compare-and-swap: only if nobody else advanced the log since we read it.
  VT_ASSIGN_OR_RETURN(bool advanced, repo->AdvanceCheckpoint(base.size, appended.size,
                                                             tlog::HashBytes(appended.root), note));
  if (!advanced) return AbortedError("transparency log advanced concurrently; retry");
  staged_ = LogCheckpoint{appended.size, appended.root, note};

  std::vector<Json> receipts;
  receipts.reserve(entries.size());
  // One memoized proof builder for the whole batch (see receipt_proofs.h): the
  // receipts' paths share their siblings. Its root must be the appended root.
  ProofBatch proofs(appended.size, reader);
  VT_ASSIGN_OR_RETURN(Hash check, proofs.Subtree(0, appended.size));
  if (check != appended.root) return DataLossError("receipt proofs disagree with the new root");
  for (size_t i = 0; i < entries.size(); ++i) {
    int64_t index = base.size + static_cast<int64_t>(i);
    VT_ASSIGN_OR_RETURN(auto path, proofs.Inclusion(index));
    Json r = ProofJson(index, appended.size, leaves[i], path, appended.root);
    r["checkpoint"] = note;
    receipts.push_back(std::move(r));
  }
  return receipts;
}

void TransparencyLog::Committed() {
  if (!staged_) return;
  edge_ = std::move(staged_edge_);
  edge_size_ = staged_->size;
  std::lock_guard<std::mutex> lock(mu_);
  published_ = std::move(*staged_);
  staged_.reset();
}

void TransparencyLog::RolledBack() {
  staged_.reset();
  staged_edge_.clear();
  edge_.clear();
  edge_size_ = -1;
}

LogCheckpoint TransparencyLog::Published() const {
  std::lock_guard<std::mutex> lock(mu_);
  return published_;
}

StatusOr<std::string> TransparencyLog::ReadEntry(store::Conn& conn, int64_t index) {
  return logstore::ReadEntry(conn, index);
}

StatusOr<std::string> TransparencyLog::ReadResource(store::Conn& conn, const tlog::TileCoord& c,
                                                    int64_t published_size) {
  int level = c.entries() ? 0 : c.level;
  int exists = tlog::TileWidthAt(level, c.index, published_size);
  if (exists == 0 || (c.width == 256 ? exists != 256 : exists < c.width))
    return NotFoundError("no such tile at the published tree size");
  if (!c.entries()) {
    auto repo = store::NewSqlLogRepo(conn);
    DbTileReader reader(*repo, nullptr);
    return reader.ReadTile(c.level, c.index, c.width);
  }
  auto bundle = logstore::ReadBundle(conn, c.index, c.width);
  if (!bundle.ok() && bundle.status().code() == StatusCode::kNotFound)
    return DataLossError("entry bundle " + tlog::PathOf(c) + " is incomplete in the store");
  return bundle;
}

StatusOr<Json> TransparencyLog::InclusionProof(store::Conn& conn, int64_t index, int64_t size) {
  auto repo = store::NewSqlLogRepo(conn);
  VT_ASSIGN_OR_RETURN(LogCheckpoint cp, CheckpointFrom(*repo));
  if (size <= 0 || size > cp.size)
    return InvalidArgumentError("size must be in 1.." + std::to_string(cp.size)).WithField("size");
  if (index < 0 || index >= size)
    return InvalidArgumentError("index must be in 0.." + std::to_string(size - 1))
        .WithField("index");
  DbTileReader reader(*repo, nullptr);
  VT_ASSIGN_OR_RETURN(auto path, tlog::InclusionProof(index, size, reader));
  VT_ASSIGN_OR_RETURN(Hash leaf, tlog::LeafHashAt(index, size, reader));
  VT_ASSIGN_OR_RETURN(Hash root, tlog::TreeRoot(size, reader));
  return ProofJson(index, size, leaf, path, root);
}

StatusOr<Json> TransparencyLog::ConsistencyProof(store::Conn& conn, int64_t old_size,
                                                 int64_t new_size) {
  auto repo = store::NewSqlLogRepo(conn);
  VT_ASSIGN_OR_RETURN(LogCheckpoint cp, CheckpointFrom(*repo));
  if (new_size < 0 || new_size > cp.size)
    return InvalidArgumentError("new must be in 0.." + std::to_string(cp.size)).WithField("new");
  if (old_size < 0 || old_size > new_size)
    return InvalidArgumentError("old must be in 0..new").WithField("old");
  DbTileReader reader(*repo, nullptr);
  VT_ASSIGN_OR_RETURN(auto path, tlog::ConsistencyProof(old_size, new_size, reader));
  VT_ASSIGN_OR_RETURN(Hash old_root, tlog::TreeRoot(old_size, reader));
  VT_ASSIGN_OR_RETURN(Hash new_root, tlog::TreeRoot(new_size, reader));
  Json hashes = Json::array();
  for (const auto& h : path) hashes.push_back(tlog::HashToBase64(h));
  return Json{{"old_size", old_size},
              {"new_size", new_size},
              {"hashes", hashes},
              {"old_root", tlog::HashToBase64(old_root)},
              {"new_root", tlog::HashToBase64(new_root)}};
}

StatusOr<std::string> TransparencyLog::TlogProofFile(store::Conn& conn, int64_t index,
                                                     const LogCheckpoint& cp) {
  if (index < 0 || index >= cp.size)
    return NotFoundError("entry " + std::to_string(index) + " is not covered by the checkpoint");
  auto repo = store::NewSqlLogRepo(conn);
  DbTileReader reader(*repo, nullptr);
  VT_ASSIGN_OR_RETURN(auto path, tlog::InclusionProof(index, cp.size, reader));
  std::string out = "c2sp.org/tlog-proof@v1\nindex " + std::to_string(index) + "\n";
  for (const auto& h : path) out += tlog::HashToBase64(h) + "\n";
  out += "\n" + cp.note;
  return out;
}

}  // namespace vt::app
