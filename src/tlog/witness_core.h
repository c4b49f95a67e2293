// The pure core of a c2sp.org/tlog-witness witness: the add-checkpoint
// request format and the decision whether to cosign, with no I/O, clock or
// keys. witness.h wires it to persistence and cosigning keys.
//
//   POST <prefix>/add-checkpoint
//   old <N>\n  (<= 63 base64 consistency-proof lines)  \n  <signed checkpoint>
//
// Responses: 200 cosignature lines; 400 malformed, or old size > checkpoint
// size (no roll-back); 403 no trusted log signature verifies; 404 unknown
// origin; 409 old size != the latest cosigned size, or same size with a
// different root (both with body "<size>\n", Content-Type text/x.tlog.size);
// 422 consistency proof does not verify. Pure functions; thread-safe.
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

namespace vt::tlog {

inline constexpr size_t kMaxWitnessProofLines = 63;
inline constexpr std::string_view kTlogSizeContentType = "text/x.tlog.size";

struct AddCheckpointRequest {
  int64_t old_size = 0;
  std::vector<Hash> proof;        // consistency proof old_size -> checkpoint size
  std::string signed_checkpoint;  // the checkpoint note, verbatim
  bool operator==(const AddCheckpointRequest&) const = default;
};

// Strict parse of a request body; InvalidArgument describing the problem.
StatusOr<AddCheckpointRequest> ParseAddCheckpointRequest(std::string_view body);
// The request body a log sends. InvalidArgument if the proof has more than 63
// hashes or old_size is negative.
StatusOr<std::string> FormatAddCheckpointRequest(const AddCheckpointRequest& req);

// What a witness knows about one log: its origin and trusted keys.
struct WitnessLogConfig {
  std::string origin;
  NoteVerifiers log_keys;
};

// The latest checkpoint the witness cosigned for an origin.
struct WitnessLogState {
  int64_t size = 0;
  Hash root{};
  bool operator==(const WitnessLogState&) const = default;
};

struct WitnessDecision {
  int http_status = 500;
  Status status;                        // OK iff http_status == 200; the reason otherwise
  int64_t conflict_size = 0;            // 409: the latest cosigned size, to report
  std::string checkpoint_text;          // 200: the note text to cosign
  std::optional<WitnessLogState> next;  // 200: the state to persist before responding
};

// The origin of a request's checkpoint (first line of the note text), for
// looking up the log config and state. InvalidArgument if malformed.
StatusOr<std::string> RequestOrigin(const AddCheckpointRequest& req);

// Decides a parsed request against `log` (nullptr: unknown origin) and the
// latest cosigned state (nullopt: never cosigned, i.e. size 0).
WitnessDecision DecideAddCheckpoint(const AddCheckpointRequest& req, const WitnessLogConfig* log,
                                    const std::optional<WitnessLogState>& state);

// For the log: parses a 409 body "<size>\n".
StatusOr<int64_t> ParseConflictBody(std::string_view body);
// For the log: checks a 200 body (signature lines) with `witness_keys`,
// ignoring lines from unknown keys, and returns `signed_checkpoint` with the
// verified cosignatures appended. PermissionDenied if a known key's
// cosignature fails or none verifies; InvalidArgument if malformed.
StatusOr<std::string> AppendCosignatures(std::string_view signed_checkpoint,
                                         std::string_view response_body,
                                         const NoteVerifiers& witness_keys);

}  // namespace vt::tlog
