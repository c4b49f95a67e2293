// `vtrust log verify`: a full client-side audit of a published log
// (c2sp.org/tlog-checkpoint, signed-note, tlog-tiles; RFC 6962 §2.1), with
// fork detection against a checkpoint saved by an earlier run.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/jcs.h"
#include "base/status.h"
#include "tlog/checkpoint.h"
#include "tlog/note_keys.h"

namespace vt::cli {

// Parses a verifier key given as the vkey text itself or as "@FILE" (the file
// holds the vkey, surrounding whitespace ignored). InvalidArgument if the key
// is malformed; NotFound if the file is missing.
StatusOr<std::shared_ptr<const tlog::NoteVerifier>> LoadVerifierKey(const std::string& arg);

// "<name>+<hex8 key ID>", how messages name a key.
std::string KeyLabel(const tlog::NoteVerifier& key);

// Opens a signed checkpoint with the log key (its name is the origin);
// `what` names the checkpoint's source in messages. PermissionDenied
// "<what>: signature does not verify with <key label> (...)" or DataLoss
// "<what>: not a valid signed checkpoint ..." otherwise.
StatusOr<tlog::Checkpoint> OpenLogCheckpoint(const std::string& note,
                                             const std::shared_ptr<const tlog::NoteVerifier>& key,
                                             const std::string& what);

// Checks that `entry` is a vtrust log entry (docs/log-entries.md): strict JSON,
// an object with a string "type" and an integer "v", in RFC 8785 canonical
// form (re-canonicalizing gives the same bytes), at most 65535 bytes.
// InvalidArgument naming the problem otherwise.
Status CheckVtrustEntry(std::string_view entry);

struct LogVerifyOptions {
  std::string source;                             // log prefix URL or exported directory
  std::string state_file;                         // "" = no saved state
  std::shared_ptr<const tlog::NoteVerifier> key;  // the log's key; its name is the origin
};

// Fetches and verifies the checkpoint, every entry bundle and hash tile of its
// size, the root, every entry's format, and (with a state file that exists)
// the consistency of the saved checkpoint with the new one, which is then
// saved atomically. Returns a summary:
//   {"origin", "size", "root", "entries", "bundles", "tiles", "bytes",
//    "previous": {"size", "root"} | null, "state_saved": bool}.
// Failures carry one precise line naming the resource, e.g.
//   PermissionDenied "checkpoint: signature does not verify with log.example+1a2b3c4d: ..."
//   DataLoss "tile/0/001.p/17: hash 5 (leaf 261) is ..., entry bundle gives ..."
//   DataLoss "fork detected: ..." / "consistency: ..." / "rollback: ..."
StatusOr<Json> VerifyPublishedLog(const LogVerifyOptions& options);

}  // namespace vt::cli
