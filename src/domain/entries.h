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
StatusOr<std::string> MakeEntry(const std::string& type, int version, const Clock& clock,
                                const EntryActor& actor, const Json& subject, const Json& payload);

}  // namespace vt::domain
