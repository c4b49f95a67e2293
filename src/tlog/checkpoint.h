// c2sp.org/tlog-checkpoint v1.0.0: the checkpoint note text
//   <origin>\n<size, decimal, no leading zeroes>\n<base64 root>\n[<extension>\n]*
// and signed checkpoints (a signed note whose text is a checkpoint).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tlog/hash.h"
#include "tlog/note.h"

namespace vt::tlog {

struct Checkpoint {
  std::string origin;
  int64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // NOT RECOMMENDED by the spec; usually empty
  bool operator==(const Checkpoint&) const = default;
};

// The note text. InvalidArgument if the origin is empty, a line contains a
// newline, an extension line is empty, the size is negative, or the result
// is not valid note text (control characters, invalid UTF-8).
StatusOr<std::string> FormatCheckpoint(const Checkpoint& c);

// Strict parse of a checkpoint note text (with its final newline):
// at least three lines, non-empty origin, canonical decimal size within
// int64, canonical base64 of exactly 32 bytes, non-empty extension lines.
// InvalidArgument naming the line otherwise.
StatusOr<Checkpoint> ParseCheckpoint(std::string_view text);

// Formats and signs a checkpoint (e.g. with the log's Ed25519 NoteSigner).
StatusOr<std::string> SignCheckpoint(const Checkpoint& c, const std::vector<NoteSigner*>& signers);

struct VerifiedCheckpoint {
  Checkpoint checkpoint;
  VerifiedNote note;  // text and which known keys signed
};

// Opens a signed checkpoint: OpenNote with `known` (log key and any witness
// keys), then ParseCheckpoint, then requires the origin to equal
// `expected_origin` (InvalidArgument otherwise). Errors as OpenNote.
StatusOr<VerifiedCheckpoint> OpenCheckpoint(std::string_view signed_note,
                                            std::string_view expected_origin,
                                            const NoteVerifiers& known);

// Parses a canonical non-negative decimal (no sign, no leading zeroes unless
// "0") that fits in int64. Shared by the tlog text formats.
StatusOr<int64_t> ParseDecimal(std::string_view s);

}  // namespace vt::tlog
