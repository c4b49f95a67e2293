// Transfer and licence request bodies and the document JSON form (rights_registry.h).
#include <regex>

#include "app/rights/rights_registry.h"

namespace vt::app {
namespace {

Status Field(const std::string& field, const std::string& what) {
  return InvalidArgumentError(field + " " + what).WithField(field);
}

StatusOr<std::string> Str(const Json& j, const std::string& key, const std::string& prefix = "") {
  std::string field = prefix + key;
  if (!j.contains(key) || !j[key].is_string() || j[key].get<std::string>().empty())
    return Field(field, "is required (a string)");
  return j[key].get<std::string>();
}

Status OnlyKeys(const Json& j, std::initializer_list<const char*> keys, const std::string& prefix) {
  for (const auto& [k, v] : j.items()) {
    bool known = false;
    for (const char* key : keys) known = known || k == key;
    if (!known) return Field(prefix + k, "is not a known member");
  }
  return OkStatus();
}

StatusOr<std::vector<std::string>> Tokens(const Json& j, const std::string& key,
                                          const std::regex& re, const std::string& field) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_array()) return Field(field, "must be an array of strings");
  for (size_t i = 0; i < j[key].size(); ++i) {
    const Json& t = j[key][i];
    std::string f = field + "[" + std::to_string(i) + "]";
    if (!t.is_string() || !std::regex_match(t.get<std::string>(), re))
      return Field(f, "is not a valid code");
    out.push_back(t.get<std::string>());
  }
  return out;
}

bool IsDate(const std::string& s) {
  static const std::regex re("[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])");
  return std::regex_match(s, re);
}

}  // namespace

StatusOr<TransferInput> TransferInputFromJson(const Json& j) {
  if (!j.is_object()) return InvalidArgumentError("a transfer must be a JSON object");
  VT_RETURN_IF_ERROR(OnlyKeys(j, {"right", "from", "to", "share_bp"}, ""));
  TransferInput in;
  VT_ASSIGN_OR_RETURN(in.right, Str(j, "right"));
  VT_ASSIGN_OR_RETURN(in.from, Str(j, "from"));
  VT_ASSIGN_OR_RETURN(in.to, Str(j, "to"));
  if (!j.contains("share_bp") || !j["share_bp"].is_number_integer())
    return Field("share_bp", "is required (an integer number of basis points)");
  in.share_bp = j["share_bp"].get<int64_t>();
  return in;
}

StatusOr<LicenceInput> LicenceInputFromJson(const Json& j) {
  if (!j.is_object()) return InvalidArgumentError("a licence must be a JSON object");
  VT_RETURN_IF_ERROR(OnlyKeys(j, {"licensee", "right", "scope", "exclusive"}, ""));
  LicenceInput in;
  VT_ASSIGN_OR_RETURN(in.licensee, Str(j, "licensee"));
  VT_ASSIGN_OR_RETURN(in.right, Str(j, "right"));
  if (j.contains("exclusive")) {
    if (!j["exclusive"].is_boolean()) return Field("exclusive", "must be true or false");
    in.exclusive = j["exclusive"].get<bool>();
  }
  if (!j.contains("scope") || !j["scope"].is_object())
    return Field("scope", "is required ({territory, channel, period})");
  const Json& s = j["scope"];
  VT_RETURN_IF_ERROR(OnlyKeys(s, {"territory", "channel", "period"}, "scope."));
  static const std::regex territory("[A-Z]{2}"), channel("[a-z0-9_-]{1,32}");
  VT_ASSIGN_OR_RETURN(in.scope.territory, Tokens(s, "territory", territory, "scope.territory"));
  VT_ASSIGN_OR_RETURN(in.scope.channel, Tokens(s, "channel", channel, "scope.channel"));
  if (!s.contains("period") || !s["period"].is_object())
    return Field("scope.period", "is required ({from, to}, dates YYYY-MM-DD)");
  VT_RETURN_IF_ERROR(OnlyKeys(s["period"], {"from", "to"}, "scope.period."));
  VT_ASSIGN_OR_RETURN(in.scope.from, Str(s["period"], "from", "scope.period."));
  VT_ASSIGN_OR_RETURN(in.scope.to, Str(s["period"], "to", "scope.period."));
  if (!IsDate(in.scope.from)) return Field("scope.period.from", "must be a date YYYY-MM-DD");
  if (!IsDate(in.scope.to)) return Field("scope.period.to", "must be a date YYYY-MM-DD");
  if (in.scope.to < in.scope.from)
    return Field("scope.period.to", "must not be before scope.period.from");
  return in;
}

Json WorkDocument::ToJson() const {
  Json j = {{"hash", hash},
            {"work_id", work_id},
            {"kind", store::DocumentKindName(kind)},
            {"right", right},
            {"status", store::DocumentStatusName(status)},
            {"effective_at", nullptr},
            {"created_at", created_at},
            {"log_index", nullptr},
            {"document", document}};
  AddSigningStatus(j, parties, signatures);
  if (effective_at) j["effective_at"] = *effective_at;
  if (log_index) j["log_index"] = *log_index;
  return j;
}

}  // namespace vt::app
