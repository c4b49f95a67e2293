// The character registry under /v1/characters (docs/id-card-profile.md).
#include <memory>

#include "api/names_json.h"
#include "api/routes.h"
#include "api/schema.h"
#include "app/identity/characters.h"

namespace vt::api {
namespace {

using app::CharacterRegistry;

Json NamesSchema() { return {{"type", "object"}}; }  // language tag -> name; checked by the service

Json LikenessSchema() {
  return {{"type", "array"},
          {"maxItems", 100},
          {"items", ObjectSchema({{"kind", StringSchema(1, 16)},
                                  {"sha256", StringSchema(1, 128)},
                                  {"sm3", StringSchema(1, 128)}},
                                 {"kind", "sha256", "sm3"})}};
}

Json FieldsSchema(bool registration) {
  Json props = {{"name", StringSchema(1, 200)},
                {"names", NamesSchema()},
                {"description", StringSchema(0, 4000)},
                {"creators", {{"type", "array"}, {"maxItems", 50}, {"items", StringSchema()}}},
                {"likeness", LikenessSchema()},
                {"ai_driven", {{"type", "boolean"}}},
                {"digital_human_code", StringSchema(0, 64)}};
  if (registration) props["owner_org"] = StringSchema(1, 64);
  return ObjectSchema(props,
                      registration ? std::vector<std::string>{"name"} : std::vector<std::string>{});
}

Json CharacterSchema() {
  return ObjectSchema({{"id", StringSchema()},
                       {"urn", StringSchema()},
                       {"owner_org", StringSchema()},
                       {"name", StringSchema()},
                       {"status", StringSchema(0, 0, {"active", "retired"})},
                       {"name_review", StringSchema(0, 0, {"mixed_script"})}},
                      {"id", "urn", "owner_org", "name", "status"});
}

// A character as the API returns it: "name_review" when its name or one of its
// localized names mixes scripts (docs/api.md "Names").
Json CharacterJson(const app::Character& c) {
  std::vector<std::string> names = {c.data.name};
  for (const auto& [lang, n] : c.data.names) names.push_back(n);
  return WithNameReview(c.ToJson(), names);
}

}  // namespace

void AddCharacterRoutes(Router& r, CharacterRegistry& registry) {
  CharacterRegistry* reg = &registry;
  r.Add({.method = "POST",
         .path = "/v1/characters",
         .operation_id = "registerCharacter",
         .summary = "Register a virtual character (owner: the caller's organization)",
         .tag = "characters",
         .min_role = "member",
         .body_schema = FieldsSchema(true),
         .response_schema = CharacterSchema(),
         .success_status = 201,
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto in, app::CharacterInputFromJson(req.body));
           VT_ASSIGN_OR_RETURN(auto w, reg->Register(*req.principal, std::move(in),
                                                     req.body.value("owner_org", "")));
           return Response::Json(201, WithReceipts(CharacterJson(w.value), w.receipts));
         }});
  r.Add({.method = "GET",
         .path = "/v1/characters",
         .operation_id = "listCharacters",
         .summary = "Characters of the caller's organization (operator: all)",
         .tag = "characters",
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           int limit = 100;
           try {
             limit = std::stoi(req.Query("limit", "100"));
           } catch (const std::exception&) {
             return InvalidArgumentError("limit must be an integer").WithField("limit");
           }
           VT_ASSIGN_OR_RETURN(auto cs, reg->List(*req.principal, limit));
           Json a = Json::array();
           for (const auto& c : cs) a.push_back(CharacterJson(c));
           return Response::Json(200, {{"characters", a}});
         }});
  r.Add({.method = "GET",
         .path = "/v1/characters/{id}",
         .operation_id = "getCharacter",
         .summary = "One character",
         .tag = "characters",
         .response_schema = CharacterSchema(),
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto c, reg->Get(*req.principal, req.params.at("id")));
           return Response::Json(200, CharacterJson(c));
         }});
  r.Add({.method = "PATCH",
         .path = "/v1/characters/{id}",
         .operation_id = "updateCharacter",
         .summary = "Change a character's names, description, creators, likeness or flags",
         .tag = "characters",
         .min_role = "member",
         .body_schema = FieldsSchema(false),
         .response_schema = CharacterSchema(),
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto w, reg->Update(*req.principal, req.params.at("id"), req.body));
           return Response::Json(200, WithReceipts(CharacterJson(w.value), w.receipts));
         }});
  r.Add({.method = "POST",
         .path = "/v1/characters/{id}/retire",
         .operation_id = "retireCharacter",
         .summary = "Retire a character (optional query parameter reason)",
         .tag = "characters",
         .min_role = "member",
         .response_schema = CharacterSchema(),
         .handler = [reg](const Request& req) -> StatusOr<Response> {
           // No body; an optional ?reason= is recorded in the log entry.
           VT_ASSIGN_OR_RETURN(
               auto w, reg->Retire(*req.principal, req.params.at("id"), req.Query("reason")));
           return Response::Json(200, WithReceipts(CharacterJson(w.value), w.receipts));
         }});
}

}  // namespace vt::api
