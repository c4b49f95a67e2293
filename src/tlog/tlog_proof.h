// c2sp.org/tlog-proof v1: an offline-verifiable proof that an entry is in a
// log, as a text file (extension .tlog-proof):
//   c2sp.org/tlog-proof@v1\n
//   [extra <base64 opaque data>\n]
//   index <decimal, no leading zeroes>\n
//   <base64 inclusion proof hash>\n ...   (leaf sibling first; zero or more)
//   \n
//   <the (cosigned) signed checkpoint, verbatim>
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tlog/checkpoint.h"
#include "tlog/hash.h"
#include "tlog/note.h"
#include "tlog/tile.h"

namespace vt::tlog {

inline constexpr std::string_view kTlogProofHeader = "c2sp.org/tlog-proof@v1";

struct TlogProof {
  std::optional<std::string> extra;  // raw bytes; NOT authenticated
  int64_t index = 0;
  std::vector<Hash> inclusion_proof;
  std::string signed_checkpoint;  // verbatim note, with any cosignatures
  bool operator==(const TlogProof&) const = default;
};

// InvalidArgument if index < 0, the checkpoint is empty, or the proof has
// more than 63 hashes (no int64-sized tree needs more).
StatusOr<std::string> FormatTlogProof(const TlogProof& proof);
// Strict parse; InvalidArgument naming the bad line. The checkpoint is only
// split off here; VerifyTlogProof checks it.
StatusOr<TlogProof> ParseTlogProof(std::string_view file);

// Builds the proof of entry `index` against `signed_checkpoint` (whose size
// bounds the tree) from the log's tiles.
StatusOr<std::string> MakeTlogProof(int64_t index, std::string_view signed_checkpoint,
                                    TileReader& tiles,
                                    std::optional<std::string> extra = std::nullopt);

// What a verifier trusts: the log's origin and keys, and a witness quorum.
struct TlogProofPolicy {
  std::string origin;
  NoteVerifiers log_keys;      // at least one must have signed
  NoteVerifiers witness_keys;  // cosigners (type 0x04 verifiers)
  size_t min_witnesses = 0;    // distinct known cosigners required
};

struct VerifiedTlogProof {
  TlogProof proof;
  Checkpoint checkpoint;
  std::vector<std::string> witnesses;  // names of the cosigners that verified
};

// Verifies a proof file for the entry whose leaf hash is `leaf_hash`:
// signatures per signed-note rules over log_keys + witness_keys (any known
// signature that fails rejects: PermissionDenied), >= 1 log signature and
// >= min_witnesses cosignatures (PermissionDenied), the origin
// (InvalidArgument), and the inclusion proof (InvalidArgument).
StatusOr<VerifiedTlogProof> VerifyTlogProof(std::string_view file, const Hash& leaf_hash,
                                            const TlogProofPolicy& policy);
// The same for the entry bytes (leaf hash = RFC 6962 LeafHash(entry)).
StatusOr<VerifiedTlogProof> VerifyTlogProofForEntry(std::string_view file, std::string_view entry,
                                                    const TlogProofPolicy& policy);

}  // namespace vt::tlog
