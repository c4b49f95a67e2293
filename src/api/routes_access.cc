// Organizations, members and API tokens under /v1/orgs.
#include "api/names_json.h"
#include "api/routes.h"
#include "api/schema.h"
#include "app/access/service.h"

namespace vt::api {
namespace {

using app::Service;

// An organization or member as the API returns it: with "name_review" when its
// name mixes scripts (docs/api.md "Names").
template <typename T>
Json NamedJson(const T& item) {
  return WithNameReview(item.ToJson(), {item.name});
}

template <typename T>
Json ToJsonArray(const std::vector<T>& items) {
  Json a = Json::array();
  for (const auto& i : items) a.push_back(NamedJson(i));
  return a;
}

Json OrgSchema() {
  return ObjectSchema({{"id", StringSchema()},
                       {"name", StringSchema()},
                       {"kind", StringSchema()},
                       {"created_at", StringSchema()},
                       {"name_review", StringSchema(0, 0, {"mixed_script"})}},
                      {"id", "name", "kind", "created_at"});
}

void AddOrgRoutes(Router& r, Service& svc) {
  r.Add({.method = "POST",
         .path = "/v1/orgs",
         .operation_id = "createOrg",
         .summary = "Register an organization (operator admins only)",
         .tag = "access",
         .min_role = "operator-admin",
         .body_schema = ObjectSchema(
             {{"name", StringSchema(1, 200)},
              {"kind", StringSchema(0, 0, {"studio", "agency", "platform", "talent", "other"})}},
             {"name"}),
         .response_schema = OrgSchema(),
         .success_status = 201,
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto kind, app::ParseOrgKind(req.body.value("kind", "studio")));
           VT_ASSIGN_OR_RETURN(
               auto w, svc.CreateOrg(*req.principal, req.body["name"].get<std::string>(), kind));
           return Response::Json(201, WithReceipts(NamedJson(w.value), w.receipts));
         }});
  r.Add({.method = "GET",
         .path = "/v1/orgs",
         .operation_id = "listOrgs",
         .summary = "Organizations visible to the caller",
         .tag = "access",
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto orgs, svc.ListOrgs(*req.principal));
           return Response::Json(200, {{"orgs", ToJsonArray(orgs)}});
         }});
  r.Add({.method = "GET",
         .path = "/v1/orgs/{org}",
         .operation_id = "getOrg",
         .summary = "One organization",
         .tag = "access",
         .response_schema = OrgSchema(),
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto org, svc.GetOrg(*req.principal, req.params.at("org")));
           return Response::Json(200, NamedJson(org));
         }});
}

void AddMemberRoutes(Router& r, Service& svc) {
  r.Add({.method = "POST",
         .path = "/v1/orgs/{org}/members",
         .operation_id = "addMember",
         .summary = "Add a member to an organization",
         .tag = "access",
         .min_role = "admin",
         .body_schema = ObjectSchema({{"name", StringSchema(1, 200)},
                                      {"email", StringSchema(0, 254)},
                                      {"role", StringSchema(0, 0, {"admin", "member", "auditor"})}},
                                     {"name", "role"}),
         .success_status = 201,
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto role, app::ParseRole(req.body["role"].get<std::string>()));
           VT_ASSIGN_OR_RETURN(auto w, svc.AddMember(*req.principal, req.params.at("org"),
                                                     req.body["name"].get<std::string>(),
                                                     req.body.value("email", ""), role));
           return Response::Json(201, WithReceipts(NamedJson(w.value), w.receipts));
         }});
  r.Add({.method = "GET",
         .path = "/v1/orgs/{org}/members",
         .operation_id = "listMembers",
         .summary = "Members of an organization",
         .tag = "access",
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto ms, svc.ListMembers(*req.principal, req.params.at("org")));
           return Response::Json(200, {{"members", ToJsonArray(ms)}});
         }});
  r.Add({.method = "GET",
         .path = "/v1/orgs/{org}/members/{member}",
         .operation_id = "getMember",
         .summary = "One member",
         .tag = "access",
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto m, svc.GetMember(*req.principal, req.params.at("org"),
                                                     req.params.at("member")));
           return Response::Json(200, NamedJson(m));
         }});
  r.Add({.method = "DELETE",
         .path = "/v1/orgs/{org}/members/{member}",
         .operation_id = "removeMember",
         .summary = "Remove a member and revoke its tokens",
         .tag = "access",
         .min_role = "admin",
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto w, svc.RemoveMember(*req.principal, req.params.at("org"),
                                                        req.params.at("member")));
           return Response::Json(200, WithReceipts(NamedJson(w.value), w.receipts));
         }});
}

void AddTokenRoutes(Router& r, Service& svc) {
  r.Add({.method = "POST",
         .path = "/v1/orgs/{org}/tokens",
         .operation_id = "createToken",
         .summary = "Create an API token for a member (an admin: any member of the "
                    "organization; a member: itself); never outliving or stronger than the "
                    "caller's token; the secret is shown once",
         .tag = "access",
         .min_role = "member",
         .body_schema = ObjectSchema({{"member_id", StringSchema(1, 64)},
                                      {"name", StringSchema(1, 100)},
                                      {"ttl_seconds", IntegerSchema(0, 10LL * 366 * 24 * 3600)}},
                                     {"member_id", "name"}),
         .success_status = 201,
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto w, svc.CreateToken(*req.principal, req.params.at("org"),
                                                       req.body["member_id"].get<std::string>(),
                                                       req.body["name"].get<std::string>(),
                                                       req.body.value("ttl_seconds", int64_t{0})));
           Json body = w.value.info.ToJson();
           body["token"] = w.value.secret;
           return Response::Json(201, body);
         }});
  r.Add({.method = "GET",
         .path = "/v1/orgs/{org}/tokens",
         .operation_id = "listTokens",
         .summary = "API tokens of an organization (never their secrets)",
         .tag = "access",
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto ts, svc.ListTokens(*req.principal, req.params.at("org")));
           return Response::Json(200, {{"tokens", ToJsonArray(ts)}});
         }});
  r.Add({.method = "DELETE",
         .path = "/v1/orgs/{org}/tokens/{token}",
         .operation_id = "revokeToken",
         .summary = "Revoke an API token (an admin: any of the organization; a member: its own)",
         .tag = "access",
         .min_role = "member",
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto w, svc.RevokeToken(*req.principal, req.params.at("org"),
                                                       req.params.at("token")));
           return Response::Json(200, w.value.ToJson());
         }});
}

}  // namespace

void AddAccessRoutes(Router& r, Service& svc) {
  AddOrgRoutes(r, svc);
  AddMemberRoutes(r, svc);
  AddTokenRoutes(r, svc);
}

}  // namespace vt::api
