#include "app/core/commitments.h"

#include "base/encoding.h"
#include "crypto/digest.h"
#include "domain/entries.h"

namespace vt::app {
namespace {

// JSON Pointer escaping (RFC 6901 section 3).
std::string PointerToken(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

bool IsMarker(const Json& j) {
  return j.is_object() && j.size() == 1 && j.contains(domain::kConfidentialKey);
}

Status Seal(Json& j, const std::string& path, const std::string& type, Rng& rng,
            std::vector<Opening>* openings) {
  if (IsMarker(j)) {
    const Json& m = j[domain::kConfidentialKey];
    if (!m.is_object() || !m.contains("value") || !m.value("org", Json()).is_string() ||
        !m.value("party", Json()).is_string() || m["org"].get<std::string>().empty())
      return InvalidArgumentError("malformed confidential marker at " + path);
    Opening o;
    std::vector<uint8_t> salt = rng.Bytes(kCommitmentSaltBytes);
    std::string raw(salt.begin(), salt.end());
    o.salt_hex = HexEncode(raw);
    o.value = m["value"];
    o.org_id = m["org"].get<std::string>();
    o.party = m["party"].get<std::string>();
    o.entry_type = type;
    o.field = path;
    VT_ASSIGN_OR_RETURN(o.commitment, Commit(raw, o.value));
    j = o.commitment;
    openings->push_back(std::move(o));
    return OkStatus();
  }
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      VT_RETURN_IF_ERROR(
          Seal(it.value(), path + "/" + PointerToken(it.key()), type, rng, openings));
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i)
      VT_RETURN_IF_ERROR(Seal(j[i], path + "/" + std::to_string(i), type, rng, openings));
  }
  return OkStatus();
}

void Collect(const Json& j, const std::string& path,
             std::vector<std::pair<std::string, std::string>>* out) {
  if (IsCommitment(j)) {
    out->emplace_back(path, j.get<std::string>());
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items()) Collect(v, path + "/" + PointerToken(k), out);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) Collect(j[i], path + "/" + std::to_string(i), out);
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> CommitmentsIn(const Json& entry) {
  std::vector<std::pair<std::string, std::string>> out;
  // Only payloads carry commitments (docs/log-entries.md); a version-1 entry has none.
  if (entry.is_object() && entry.contains("payload")) Collect(entry["payload"], "/payload", &out);
  return out;
}

StatusOr<std::string> Commit(std::string_view salt, const Json& value) {
  VT_ASSIGN_OR_RETURN(std::string bytes, Canonicalize(value));
  std::string msg(salt);
  msg += bytes;
  return std::string(kCommitmentPrefix) + HexEncode(crypto::Sha256(msg));
}

bool IsCommitment(const Json& s) {
  if (!s.is_string()) return false;
  const std::string& v = s.get_ref<const std::string&>();
  if (v.size() != kCommitmentPrefix.size() + 64 || v.compare(0, 7, kCommitmentPrefix) != 0)
    return false;
  return v.find_first_not_of("0123456789abcdef", kCommitmentPrefix.size()) == std::string::npos;
}

Json OpeningToJson(const Opening& o) {
  return {
      {"commitment", o.commitment}, {"salt", o.salt_hex}, {"value", o.value}, {"field", o.field}};
}

Status CheckOpening(const Json& opening, const std::string& commitment) {
  if (!opening.is_object() || !opening.value("salt", Json()).is_string() ||
      !opening.contains("value"))
    return InvalidArgumentError("an opening is {\"salt\", \"value\"}").WithField("opening");
  auto salt = HexDecode(opening["salt"].get<std::string>());
  if (!salt.ok() || salt->size() != kCommitmentSaltBytes)
    return InvalidArgumentError("opening salt must be 64 hexadecimal digits")
        .WithField("opening.salt");
  VT_ASSIGN_OR_RETURN(std::string c, Commit(*salt, opening["value"]));
  if (c != commitment)
    return InvalidArgumentError("the opening does not match commitment " + commitment)
        .WithField("opening");
  return OkStatus();
}

StatusOr<std::string> SealEntry(const std::string& draft, Rng& rng,
                                std::vector<Opening>* openings) {
  // In canonical JSON a quote inside a string is escaped, so an unescaped
  // "$confidential" can only be a member name: entries without one skip parsing.
  if (draft.find(std::string("\"") + domain::kConfidentialKey + "\"") == std::string::npos)
    return draft;
  VT_ASSIGN_OR_RETURN(Json e, ParseJsonStrict(draft));
  std::string type = e.is_object() ? e.value("type", "") : "";
  std::vector<Opening> made;
  VT_RETURN_IF_ERROR(Seal(e, "", type, rng, &made));
  VT_ASSIGN_OR_RETURN(std::string bytes, Canonicalize(e));
  if (bytes.size() > domain::kMaxEntryBytes)
    return ResourceExhaustedError("log entry of " + std::to_string(bytes.size()) +
                                  " bytes exceeds the 65535-byte limit");
  for (Opening& o : made) openings->push_back(std::move(o));
  return bytes;
}

}  // namespace vt::app
