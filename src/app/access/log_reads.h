// The read side of the transparency log as the API serves it: checkpoints,
// tiles and entry bundles (C2SP tlog-tiles), entries and proofs, each on a
// pooled read connection of the Service (docs/tlog.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "app/access/service.h"
#include "store/log/opening_repo.h"
#include "tlog/tile_path.h"

namespace vt::app {

// Who may open a commitment of the log (docs/log-entries.md "Commitments"): the
// members of the organization that owns the fact (and the operator, which reads
// every organization), and the party the opening names (an organization or a
// member, e.g. the payee of a statement).
bool MayOpen(const Principal& p, const store::LogOpeningRow& o);

// The openings of the commitments in `entry` (the bytes of a log entry) that
// `entitled` allows, in document order, each {"field" (JSON Pointer into the
// entry), "commitment", "salt", "value"}. A commitment this database did not make
// is skipped; a stored opening that does not open its commitment is DataLoss.
StatusOr<Json> OpenCommitments(store::Conn& c, const std::string& entry,
                               const std::function<bool(const store::LogOpeningRow&)>& entitled);

// The checkpoint to publish, given the latest signed one and the latest k-of-n
// cosigned one (null without witnesses): the cosigned one when there is one of
// at least `min_size` entries, else the signed one (docs/witness.md: the
// cosigned checkpoint lags the signed one by a witnessing round trip).
LogCheckpoint PreferCosigned(LogCheckpoint signed_cp, const std::optional<LogCheckpoint>& cosigned,
                             int64_t min_size = 0);

// Thread-safe; `svc` must outlive it.
class LogReads {
 public:
  explicit LogReads(Service& svc) : svc_(svc) {}

  // The log's verifier key (signed-note vkey).
  std::string VerifierKey() { return svc_.log().VerifierKey(); }
  // The latest signed checkpoint.
  StatusOr<LogCheckpoint> SignedCheckpoint();
  // The checkpoint /log/checkpoint serves: PreferCosigned() of the latest.
  StatusOr<LogCheckpoint> PublishedCheckpoint();
  // The tile or entry bundle at `coord` if it exists at `published_size`
  // (NotFound otherwise); -1 = at the size of the latest signed checkpoint.
  StatusOr<std::string> Resource(const tlog::TileCoord& coord, int64_t published_size = -1);
  // The entry at `index`; NotFound past the end.
  StatusOr<std::string> Entry(int64_t index);
  // {"index", "type", "v", "openings"}: the openings of entry `index` that `p` may
  // see (MayOpen). NotFound if the entry has none for `p` (another organization
  // learns nothing, not even whether the entry has commitments).
  StatusOr<Json> Openings(const Principal& p, int64_t index);
  // A C2SP tlog-proof file for entry `index` against the latest checkpoint that
  // contains it, cosigned if possible (the receipt upgrade).
  StatusOr<std::string> TlogProofFile(int64_t index);
  // RFC 6962 inclusion and consistency proofs (the JSON of the API contract).
  StatusOr<Json> InclusionProof(int64_t index, int64_t size);
  StatusOr<Json> ConsistencyProof(int64_t old_size, int64_t new_size);

 private:
  std::optional<LogCheckpoint> Cosigned() const;

  Service& svc_;
};

}  // namespace vt::app
