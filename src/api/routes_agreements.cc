// Agreements (/v1/agreements) (docs/agreements.md). Transfers and licences of
// works are in routes_rights.cc.
#include <memory>

#include "api/routes.h"
#include "api/schema.h"
#include "app/rights/agreements.h"
#include "app/rights/parties.h"

namespace vt::api {
namespace {

using app::AgreementRegistry;

void AddAgreementRoutes(Router& r, AgreementRegistry* reg) {
  r.Add({.method = "POST",
         .path = "/v1/agreements",
         .operation_id = "createAgreement",
         .summary = "Create an agreement and its version 1 (pending until every party signs)",
         .tag = "agreements",
         .min_role = "member",
         .body_schema = ObjectSchema({{"work_id", StringSchema(1, 64)},
                                      {"title", StringSchema(0, 500)},
                                      {"terms", {{"type", "object"}}}},
                                     {"work_id", "terms"}),
         .success_status = 201,
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto a,
                               reg->Create(*req.principal, req.body["work_id"].get<std::string>(),
                                           req.body.value("title", ""), req.body["terms"]));
           return Created(a.value.ToJson(), a.receipts);
         }});
  r.Add({.method = "GET",
         .path = "/v1/agreements",
         .operation_id = "listAgreements",
         .summary = "Agreements you may read (your organization's and those naming you as a "
                    "party); ?work=ID and ?party=ID filter",
         .tag = "agreements",
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto list,
                               reg->List(*req.principal, req.Query("work"), req.Query("party")));
           Json a = Json::array();
           for (const auto& rec : list) {
             Json j = rec.ToJson();
             // The list shows each version's status and signing state, not its document.
             for (auto& v : j["versions"]) v.erase("document");
             a.push_back(std::move(j));
           }
           return Response::Json(200, Json{{"agreements", a}});
         }});
  r.Add({.method = "GET",
         .path = "/v1/agreements/{agreement}",
         .operation_id = "getAgreement",
         .summary = "An agreement: versions, status, signatures, the version in force",
         .tag = "agreements",
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto a, reg->Get(*req.principal, req.params.at("agreement")));
           return Response::Json(200, a.ToJson());
         }});
  r.Add({.method = "POST",
         .path = "/v1/agreements/{agreement}/versions",
         .operation_id = "amendAgreement",
         .summary = "Propose an amendment (a new pending version; the old one stays in force)",
         .tag = "agreements",
         .min_role = "member",
         .body_schema = ObjectSchema({{"terms", {{"type", "object"}}}}, {"terms"}),
         .success_status = 201,
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(
               auto v, reg->Amend(*req.principal, req.params.at("agreement"), req.body["terms"]));
           return Created(v.value.ToJson(), v.receipts);
         }});
  r.Add({.method = "GET",
         .path = "/v1/agreements/{agreement}/versions/{version}",
         .operation_id = "getAgreementVersion",
         .summary = "One version by number or hash (?format=canonical: the signed bytes)",
         .tag = "agreements",
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto v, reg->GetVersionOf(*req.principal, req.params.at("agreement"),
                                                         req.params.at("version")));
           if (req.Query("format") == "canonical")
             return Response::Text(200, v.canonical, "application/json");
           return Response::Json(200, v.ToJson());
         }});
  r.Add({.method = "POST",
         .path = "/v1/agreements/{agreement}/versions/{version}/signatures",
         .operation_id = "signAgreementVersion",
         .summary = "Add a party's signature (member certificate + signature over the "
                    "canonical document)",
         .tag = "agreements",
         .min_role = "member",
         .body_schema = SignatureSchema(),
         .success_status = 201,
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto sig,
                               app::DecodeSignature(req.body["signature"].get<std::string>()));
           VT_ASSIGN_OR_RETURN(auto v, reg->Sign(*req.principal, req.params.at("agreement"),
                                                 req.params.at("version"),
                                                 req.body["certificate"].get<std::string>(), sig));
           return Created(v.value.ToJson(), v.receipts);
         }});
}

}  // namespace

void AddAgreementRoutes(Router& r, AgreementRegistry& agreements) {
  AddAgreementRoutes(r, &agreements);
}

}  // namespace vt::api
