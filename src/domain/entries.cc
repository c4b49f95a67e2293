#include "domain/entries.h"

namespace vt::domain {

Json Confidential(Json value, const std::string& org_id, const std::string& party) {
  return {{kConfidentialKey, {{"value", std::move(value)}, {"org", org_id}, {"party", party}}}};
}

StatusOr<std::string> MakeEntry(const std::string& type, int version, const Clock& clock,
                                const EntryActor& actor, const Json& subject, const Json& payload) {
  Json e = {{"type", type},
            {"v", version},
            {"time", FormatRfc3339(clock.Now())},
            {"actor", {{"org", actor.org_id}, {"member", actor.member_id}}},
            {"subject", subject},
            {"payload", payload}};
  VT_ASSIGN_OR_RETURN(std::string bytes, Canonicalize(e));
  if (bytes.size() > kMaxEntryBytes)
    return ResourceExhaustedError("log entry of " + std::to_string(bytes.size()) +
                                  " bytes exceeds the 65535-byte limit");
  return bytes;
}

}  // namespace vt::domain
