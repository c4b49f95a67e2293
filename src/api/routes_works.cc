// The works registry under /v1/works (docs/works.md).
#include <memory>

#include "api/names_json.h"
#include "api/routes.h"
#include "api/schema.h"
#include "app/access/service.h"
#include "app/rights/works.h"

namespace vt::api {
namespace {

using app::WorkRegistry;

Json MapSchema() { return {{"type", "object"}}; }

Json RegisterSchema() {
  std::vector<std::string> types(std::begin(app::kWorkTypes), std::end(app::kWorkTypes));
  Json holder = ObjectSchema({{"party", StringSchema(1, 64)}, {"share_bp", IntegerSchema()}},
                             {"party", "share_bp"});
  Json holders = {{"type", "array"}, {"items", holder}, {"minItems", 1}, {"maxItems", 100}};
  Json rights = Json::object();
  for (const char* t : app::kRightTypes) rights[t] = holders;
  return ObjectSchema(
      {{"type", StringSchema(0, 0, types)},
       {"titles", MapSchema()},
       {"digests", ObjectSchema({{"sha256", StringSchema(64, 64)}, {"sm3", StringSchema(64, 64)}},
                                {"sha256"})},
       {"identifiers", ObjectSchema({{"isrc", StringSchema(1, 20)},
                                     {"iswc", StringSchema(1, 20)},
                                     {"isni", StringSchema(1, 24)},
                                     {"dci", StringSchema(1, 64)},
                                     {"digital_human_code", StringSchema(1, 64)}},
                                    {})},
       {"rights", ObjectSchema(rights, {})}},
      {"type", "titles", "digests", "rights"});
}

int IntQuery(const Request& req, const std::string& name, int fallback) {
  std::string v = req.Query(name);
  if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos)
    return v.empty() ? fallback : -1;
  return std::stoi(v);
}

// A work as the API returns it: "name_review" when a title mixes scripts
// (docs/api.md "Names").
Json WorkJson(const app::Work& w) {
  std::vector<std::string> titles;
  for (const auto& [lang, t] : w.data.titles) titles.push_back(t);
  return WithNameReview(w.ToJson(), titles);
}

}  // namespace

void AddWorkRoutes(Router& r, WorkRegistry& registry) {
  WorkRegistry* reg = &registry;
  r.Add({.method = "POST",
         .path = "/v1/works",
         .operation_id = "registerWork",
         .summary = "Register a work owned by the caller's organization",
         .tag = "works",
         .min_role = "member",
         .body_schema = RegisterSchema(),
         .success_status = 201,
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto in, app::WorkInputFromJson(req.body));
           VT_ASSIGN_OR_RETURN(auto w, reg->Register(*req.principal, std::move(in)));
           return Response::Json(201, WithReceipts(WorkJson(w.value), w.receipts));
         }});
  r.Add({.method = "GET",
         .path = "/v1/works",
         .operation_id = "listWorks",
         .summary = "Works of the caller's organization (?limit=1..1000)",
         .tag = "works",
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto ws, reg->List(*req.principal, IntQuery(req, "limit", 100)));
           Json a = Json::array();
           for (const auto& w : ws) a.push_back(WorkJson(w));
           return Response::Json(200, {{"works", a}});
         }});
  r.Add({.method = "GET",
         .path = "/v1/works/{work}",
         .operation_id = "getWork",
         .summary = "One work",
         .tag = "works",
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto w, reg->Get(*req.principal, req.params.at("work")));
           return Response::Json(200, WorkJson(w));
         }});
  r.Add({.method = "POST",
         .path = "/v1/works/{work}/uses",
         .operation_id = "addWorkUse",
         .summary = "Record that a work uses another (the graph stays acyclic)",
         .tag = "works",
         .min_role = "member",
         .body_schema =
             ObjectSchema({{"used_work_id", StringSchema(1, 64)}, {"role", StringSchema(1, 64)}},
                          {"used_work_id", "role"}),
         .success_status = 201,
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto w, reg->AddUse(*req.principal, req.params.at("work"),
                                                   req.body["used_work_id"].get<std::string>(),
                                                   req.body["role"].get<std::string>()));
           return Response::Json(201, WithReceipts(w.value.ToJson(), w.receipts));
         }});
  r.Add({.method = "GET",
         .path = "/v1/works/{work}/graph",
         .operation_id = "getWorkGraph",
         .summary = "The derivation graph around a work (?depth=1..10, both directions)",
         .tag = "works",
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto g, reg->Graph(*req.principal, req.params.at("work"),
                                                  IntQuery(req, "depth", 3)));
           return Response::Json(200, g.ToJson());
         }});
}

}  // namespace vt::api
