// The transparency log inside vtrust: the sequencer (a BatchHook of the
// Committer, so a registry change and its log entry commit in one transaction)
// and the read side (checkpoint, tiles, entries, proofs) served under /log/ and
// /v1/log/.
//
// Sequencing (per committed batch): read the stored size (compare-and-swap base),
// append the leaf hashes to the tiled tree, write the entries and every changed
// tile, sign the checkpoint for the new size with the log's Ed25519 key, update
// log_state only if its size is still the base size, and compute one receipt per
// entry (index, inclusion proof, the signed checkpoint). Nothing is published until
// the transaction commits. After a crash the database holds exactly the last
// committed batch: recovery is opening it (Open() checks the stored root against
// the tiles). Table layout: app/log/log_storage.h (entries as full bundles plus the
// loose tail, full tiles written once, one partial edge tile per level).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "app/core/committer.h"
#include "base/jcs.h"
#include "store/sql.h"
#include "tlog/hash.h"
#include "tlog/note_keys.h"
#include "tlog/tile.h"
#include "tlog/tile_path.h"

namespace vt::app {

struct LogCheckpoint {
  int64_t size = 0;
  tlog::Hash root{};
  std::string note;  // the signed checkpoint (signed-note text)
};

class TransparencyLog final : public BatchHook {
 public:
  // Loads the log state with `conn` (creating the empty tree's checkpoint on first
  // use), moves full bundles still stored as loose entry rows (data written before
  // schema version 8) into log_bundles, and verifies the stored root against the
  // stored tiles (DataLoss if they disagree). `conn` must not be in a transaction.
  // `signer` is the log's Ed25519 key named `origin`.
  static StatusOr<std::unique_ptr<TransparencyLog>> Open(
      store::Conn& conn, std::string origin, std::unique_ptr<tlog::NoteSigner> signer,
      std::shared_ptr<const tlog::NoteVerifier> verifier);

  // BatchHook (writer thread only).
  StatusOr<std::vector<Json>> Stage(store::Conn& conn,
                                    const std::vector<std::string>& entries) override;
  void Committed() override;
  void RolledBack() override;

  // Read side. Thread-safe.
  LogCheckpoint Published() const;
  const std::string& origin() const { return origin_; }
  std::string VerifierKey() const { return verifier_->VerifierKey(); }
  std::shared_ptr<const tlog::NoteVerifier> verifier() const { return verifier_; }

  // The latest checkpoint as stored (may be newer than Published() when several
  // servers share one PostgreSQL database).
  static StatusOr<LogCheckpoint> LoadCheckpoint(store::Conn& conn);
  // A tile or entry bundle at `coord`, if it exists at a published size.
  static StatusOr<std::string> ReadResource(store::Conn& conn, const tlog::TileCoord& coord,
                                            int64_t published_size);
  static StatusOr<std::string> ReadEntry(store::Conn& conn, int64_t index);
  // Proof documents (the JSON of the API contract).
  static StatusOr<Json> InclusionProof(store::Conn& conn, int64_t index, int64_t size);
  static StatusOr<Json> ConsistencyProof(store::Conn& conn, int64_t old_size, int64_t new_size);
  // C2SP tlog-proof file for entry `index` against checkpoint `cp`.
  static StatusOr<std::string> TlogProofFile(store::Conn& conn, int64_t index,
                                             const LogCheckpoint& cp);

 private:
  TransparencyLog(std::string origin, std::unique_ptr<tlog::NoteSigner> signer,
                  std::shared_ptr<const tlog::NoteVerifier> verifier)
      : origin_(std::move(origin)), signer_(std::move(signer)), verifier_(std::move(verifier)) {}
  StatusOr<std::string> SignCheckpoint(int64_t size, const tlog::Hash& root);

  std::string origin_;
  std::unique_ptr<tlog::NoteSigner> signer_;
  std::shared_ptr<const tlog::NoteVerifier> verifier_;

  // Writer-thread state.
  int64_t edge_size_ = -1;          // size the edge cache describes (-1: none)
  std::map<int, tlog::Tile> edge_;  // last tile of each level at edge_size_
  std::optional<LogCheckpoint> staged_;
  std::map<int, tlog::Tile> staged_edge_;

  mutable std::mutex mu_;
  LogCheckpoint published_;  // guarded by mu_
};

}  // namespace vt::app
