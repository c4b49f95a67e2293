// Commitments in transparency-log entries (docs/log-entries.md "Commitments").
//
// A confidential value (an amount, a person's name) is logged as its commitment
//   "sha256:" hex(SHA-256(salt ‖ JCS(value)))
// where salt is 32 random bytes drawn for that one field and JCS(value) is the
// value's RFC 8785 encoding. The database keeps the salt and the value (never the
// log); the parties entitled to the value get the opening {"salt", "value"} and
// anyone holding it can recompute the commitment with standard tools.
//
// Entry builders mark confidential values with domain::Confidential(); the
// committer seals every entry (SealEntry) inside the write's savepoint and stores
// the openings in the same transaction.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/jcs.h"
#include "base/rng.h"
#include "base/status.h"

namespace vt::app {

inline constexpr std::string_view kCommitmentPrefix = "sha256:";
inline constexpr size_t kCommitmentSaltBytes = 32;

// The commitment to `value` under `salt` (raw bytes). Fails only if `value` cannot
// be canonicalized (e.g. a non-integral number out of range).
StatusOr<std::string> Commit(std::string_view salt, const Json& value);

// Whether `s` has the shape of a commitment ("sha256:" and 64 lower-case hex digits).
bool IsCommitment(const Json& s);

// The commitments in a parsed entry: (JSON Pointer, commitment) in document order.
std::vector<std::pair<std::string, std::string>> CommitmentsIn(const Json& entry);

// An opening of one commitment, as the database keeps it.
struct Opening {
  std::string commitment;
  std::string salt_hex;  // 64 lower-case hex digits
  Json value;
  std::string org_id;      // the organization entitled to it
  std::string party;       // one more party entitled to it, or ""
  std::string entry_type;  // of the entry that carries the commitment
  std::string field;       // where: a JSON Pointer (RFC 6901) into the entry
};

// {"commitment", "salt", "value", "field"}: what an entitled party receives.
Json OpeningToJson(const Opening& o);

// Checks an opening document {"salt", "value"} against `commitment`: OK if
// Commit(hex-decoded salt, value) equals it, InvalidArgument otherwise.
Status CheckOpening(const Json& opening, const std::string& commitment);

// Replaces every confidential marker (domain::Confidential) of the draft entry
// `draft` (canonical JSON) with a commitment under a fresh salt from `rng`,
// appends the openings to `*openings` and returns the canonical sealed entry.
// An entry without markers is returned unchanged. Fails with ResourceExhausted if
// the sealed entry exceeds domain::kMaxEntryBytes, InvalidArgument on a malformed
// marker.
StatusOr<std::string> SealEntry(const std::string& draft, Rng& rng, std::vector<Opening>* openings);

}  // namespace vt::app
