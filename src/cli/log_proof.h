// `vtrust log proof verify|get`: offline checking of a receipt, either a
// c2sp.org/tlog-proof file or the JSON receipt of a write response
// ({"index","tree_size","leaf_hash","hashes","root","checkpoint"}, alone or
// as the "receipt" member of the response).
#pragma once

#include <memory>
#include <string>

#include "base/jcs.h"
#include "base/status.h"
#include "tlog/note_keys.h"

namespace vt::cli {

struct ProofVerifyOptions {
  std::string file;                               // tlog-proof or JSON receipt
  std::shared_ptr<const tlog::NoteVerifier> key;  // the log's key; its name is the origin
  std::string entry_file;                         // the entry's exact bytes, or ""
  std::string leaf_hash;                          // base64 leaf hash, or ""
};

// Verifies the checkpoint's signature with `key` (origin = key name) and the
// inclusion proof of the entry (RFC 9162 §2.1.3.2) against its root, with
// tlog::VerifyTlogProof. The entry is given by entry_file or leaf_hash; a
// JSON receipt may omit both (its own leaf_hash is then checked). If both a
// receipt's leaf_hash and an entry are given they must agree.
// InvalidArgument for usage errors and malformed files, PermissionDenied for
// a bad signature, DataLoss when the proof does not verify.
// Returns {"index", "tree_size", "root", "leaf_hash", "origin", "witnesses"}.
StatusOr<Json> VerifyProofFile(const ProofVerifyOptions& options);

// Downloads GET <server>/v1/log/entries/<index>/tlog-proof to `proof_file`
// and the entry's canonical bytes to `entry_file` (checked against the
// served leaf hash). Returns {"index", "proof_file", "entry_file", "leaf_hash"}.
StatusOr<Json> DownloadProof(const std::string& server, int64_t index,
                             const std::string& proof_file, const std::string& entry_file);

}  // namespace vt::cli
