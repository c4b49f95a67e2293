// Transfers and licences of works (/v1/works/{work}/transfers|licences|documents)
// (docs/agreements.md "Transfers and licences").
#include <memory>

#include "api/routes.h"
#include "api/schema.h"
#include "app/rights/parties.h"
#include "app/rights/rights_registry.h"

namespace vt::api {
namespace {

using app::RightsRegistry;

void AddRightsRoutes(Router& r, RightsRegistry* reg) {
  Json scope = ObjectSchema(
      {{"territory", {{"type", "array"}, {"items", StringSchema(2, 2)}, {"maxItems", 250}}},
       {"channel", {{"type", "array"}, {"items", StringSchema(1, 32)}, {"maxItems", 50}}},
       {"period", ObjectSchema({{"from", StringSchema(10, 10)}, {"to", StringSchema(10, 10)}},
                               {"from", "to"})}},
      {"period"});
  r.Add({.method = "POST",
         .path = "/v1/works/{work}/transfers",
         .operation_id = "proposeWorkTransfer",
         .summary = "Propose an ownership transfer (effective once the holder signs)",
         .tag = "works",
         .min_role = "member",
         .body_schema = ObjectSchema({{"right", StringSchema(1, 32)},
                                      {"from", StringSchema(1, 64)},
                                      {"to", StringSchema(1, 64)},
                                      {"share_bp", IntegerSchema()}},
                                     {"right", "from", "to", "share_bp"}),
         .success_status = 201,
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto in, app::TransferInputFromJson(req.body));
           VT_ASSIGN_OR_RETURN(auto d,
                               reg->ProposeTransfer(*req.principal, req.params.at("work"), in));
           return Created(d.value.ToJson(), d.receipts);
         }});
  r.Add({.method = "POST",
         .path = "/v1/works/{work}/licences",
         .operation_id = "proposeWorkLicence",
         .summary = "Propose a licence (effective once every holder of the right signs)",
         .tag = "works",
         .min_role = "member",
         .body_schema = ObjectSchema({{"licensee", StringSchema(1, 64)},
                                      {"right", StringSchema(1, 32)},
                                      {"scope", scope},
                                      {"exclusive", {{"type", "boolean"}}}},
                                     {"licensee", "right", "scope"}),
         .success_status = 201,
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto in, app::LicenceInputFromJson(req.body));
           VT_ASSIGN_OR_RETURN(auto d,
                               reg->ProposeLicence(*req.principal, req.params.at("work"), in));
           return Created(d.value.ToJson(), d.receipts);
         }});
  r.Add({.method = "GET",
         .path = "/v1/works/{work}/documents",
         .operation_id = "listWorkDocuments",
         .summary = "Transfers and licences of a work, pending and effective",
         .tag = "works",
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto ds, reg->List(*req.principal, req.params.at("work")));
           Json a = Json::array();
           for (const auto& d : ds) a.push_back(d.ToJson());
           return Response::Json(200, {{"documents", a}});
         }});
  r.Add({.method = "GET",
         .path = "/v1/works/{work}/documents/{hash}",
         .operation_id = "getWorkDocument",
         .summary = "One transfer or licence (?format=canonical: the signed bytes)",
         .tag = "works",
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(
               auto d, reg->Get(*req.principal, req.params.at("work"), req.params.at("hash")));
           if (req.Query("format") == "canonical")
             return Response::Text(200, d.canonical, "application/json");
           return Response::Json(200, d.ToJson());
         }});
  r.Add({.method = "POST",
         .path = "/v1/works/{work}/documents/{hash}/signatures",
         .operation_id = "signWorkDocument",
         .summary = "Sign a pending transfer or licence with a member certificate",
         .tag = "works",
         .min_role = "member",
         .body_schema = SignatureSchema(),
         .success_status = 201,
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto sig,
                               app::DecodeSignature(req.body["signature"].get<std::string>()));
           VT_ASSIGN_OR_RETURN(
               auto d, reg->Sign(*req.principal, req.params.at("work"), req.params.at("hash"),
                                 req.body["certificate"].get<std::string>(), sig));
           return Created(d.value.ToJson(), d.receipts);
         }});
}

}  // namespace

void AddRightsRoutes(Router& r, RightsRegistry& rights) { AddRightsRoutes(r, &rights); }

}  // namespace vt::api
