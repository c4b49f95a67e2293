// JSON forms of works and the shared row helpers.
#include "app/core/domain_names.h"
#include "app/rights/works_internal.h"

namespace vt::app {
namespace {

Json RightsJson(const std::map<std::string, std::vector<RightShare>>& rights) {
  Json out = Json::object();
  for (const auto& [type, holders] : rights) {
    Json a = Json::array();
    for (const auto& h : holders) a.push_back({{"party", h.party}, {"share_bp", h.share_bp}});
    out[type] = a;
  }
  return out;
}

StatusOr<std::map<std::string, std::string>> StringMap(const Json& j, const std::string& field) {
  std::map<std::string, std::string> out;
  if (j.is_null()) return out;
  if (!j.is_object()) return InvalidArgumentError(field + " must be an object").WithField(field);
  for (const auto& [k, v] : j.items()) {
    if (!v.is_string())
      return InvalidArgumentError(field + "." + k + " must be a string").WithField(field + "." + k);
    out[k] = v.get<std::string>();
  }
  return out;
}

StatusOr<std::map<std::string, std::vector<RightShare>>> RightsFromJson(const Json& j) {
  std::map<std::string, std::vector<RightShare>> out;
  if (j.is_null()) return out;
  if (!j.is_object()) return InvalidArgumentError("rights must be an object").WithField("rights");
  for (const auto& [type, holders] : j.items()) {
    std::string field = "rights." + type;
    if (!holders.is_array())
      return InvalidArgumentError(field + " must be an array").WithField(field);
    auto& list = out[type];
    for (size_t i = 0; i < holders.size(); ++i) {
      const Json& h = holders[i];
      std::string f = field + "[" + std::to_string(i) + "]";
      if (!h.is_object() || !h.contains("party") || !h["party"].is_string())
        return InvalidArgumentError(f + ".party must be a string").WithField(f + ".party");
      if (!h.contains("share_bp") || !h["share_bp"].is_number_integer())
        return InvalidArgumentError(f + ".share_bp must be an integer").WithField(f + ".share_bp");
      list.push_back({h["party"].get<std::string>(), h["share_bp"].get<int64_t>()});
    }
  }
  return out;
}

}  // namespace

Json Work::ToJson() const {
  Json digests = {{"sha256", data.sha256}};
  if (!data.sm3.empty()) digests["sm3"] = data.sm3;
  Json j = {{"id", id},
            {"org_id", org_id},
            {"type", data.type},
            {"titles", data.titles},
            {"digests", digests},
            {"identifiers", data.identifiers},
            {"rights", RightsJson(data.rights)},
            {"created_at", created_at},
            {"created_by", created_by},
            {"log_index", nullptr}};
  if (log_index) j["log_index"] = *log_index;
  return j;
}

Json WorkEdge::ToJson() const {
  return {{"work_id", work_id}, {"used_work_id", used_work_id}, {"role", role}};
}

Json WorkGraph::ToJson() const {
  Json e = Json::array();
  for (const auto& edge : edges) e.push_back(edge.ToJson());
  return {{"root", root}, {"depth", depth}, {"nodes", nodes}, {"edges", e}};
}

StatusOr<WorkInput> WorkInputFromJson(const Json& j) {
  if (!j.is_object()) return InvalidArgumentError("a work must be a JSON object");
  WorkInput in;
  if (!j.contains("type") || !j["type"].is_string())
    return InvalidArgumentError("type is required").WithField("type");
  in.type = j["type"].get<std::string>();
  VT_ASSIGN_OR_RETURN(in.titles, StringMap(j.value("titles", Json()), "titles"));
  VT_ASSIGN_OR_RETURN(auto digests, StringMap(j.value("digests", Json()), "digests"));
  for (const auto& [k, v] : digests) {
    if (k == "sha256")
      in.sha256 = v;
    else if (k == "sm3")
      in.sm3 = v;
    else
      return InvalidArgumentError("unknown digest '" + k + "'").WithField("digests." + k);
  }
  if (in.sha256.empty())
    return InvalidArgumentError("digests.sha256 is required").WithField("digests.sha256");
  VT_ASSIGN_OR_RETURN(in.identifiers, StringMap(j.value("identifiers", Json()), "identifiers"));
  VT_ASSIGN_OR_RETURN(in.rights, RightsFromJson(j.value("rights", Json())));
  return in;
}

StatusOr<Work> WorkFromRow(const store::WorkRow& r) {
  Json j = Json::parse(r.record, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return InternalError("stored record of work " + r.id + " is corrupt");
  auto in = WorkInputFromJson(j);
  if (!in.ok()) return InternalError("stored record of work " + r.id + " is corrupt");
  Work w{r.id,
         j.value("org_id", ""),
         std::move(*in),
         j.value("created_at", ""),
         j.value("created_by", ""),
         r.log_index};
  return w;
}

StatusOr<Work> LoadVisibleWork(store::RightsReader& repo, const Principal& p,
                               const std::string& id) {
  VT_ASSIGN_OR_RETURN(auto row, repo.FindWork(id));
  if (!row || !p.CanRead(row->org_id)) return NotFoundError("work " + id + " not found");
  return WorkFromRow(*row);
}

StatusOr<Work> LoadWork(store::RightsReader& repo, const std::string& id) {
  VT_ASSIGN_OR_RETURN(auto row, repo.FindWork(id));
  if (!row) return NotFoundError("work " + id + " not found");
  return WorkFromRow(*row);
}

}  // namespace vt::app
