// Transparency-log entries: typed, canonical (RFC 8785) JSON records of at most
// 64 KiB. Every registry event is one entry; docs/log-entries.md lists the types.
#pragma once

#include <string>

#include "base/clock.h"
#include "base/jcs.h"
#include "base/status.h"

namespace vt::domain {

inline constexpr size_t kMaxEntryBytes = 65535;  // tlog-tiles entry bundles: uint16 length

struct EntryActor {
  std::string org_id;
  std::string member_id;
};

// Builds {"type", "v", "time", "actor": {"org","member"}, "subject": {...},
// "payload": {...}} and canonicalizes it. Fails if the result exceeds
// kMaxEntryBytes (the caller's write is then refused).
// The member name of a confidential-value marker (see Confidential()).
inline constexpr const char* kConfidentialKey = "$confidential";

// Marks a payload value as confidential (docs/log-entries.md "Commitments"): the
// entry built by MakeEntry() holds the marker {"$confidential": {"value", "org",
// "party"}}, and the single writer seals it before sequencing (app/core
// commitments.h): the log gets only the commitment, the database keeps the salt
// and the value. `org_id` is the organization entitled to the opening, `party`
// (may be empty) one more party entitled to it (e.g. the payee of a statement).
Json Confidential(Json value, const std::string& org_id, const std::string& party = "");

StatusOr<std::string> MakeEntry(const std::string& type, int version, const Clock& clock,
                                const EntryActor& actor, const Json& subject, const Json& payload);

}  // namespace vt::domain
