// Health, metrics, the OpenAPI document and "who am I".
#include "api/routes.h"
#include "api/schema.h"
#include "app/access/service.h"

namespace vt::api {

Json WithReceipts(Json body, const std::vector<Json>& receipts) {
  if (!receipts.empty()) body["receipt"] = receipts.front();
  if (receipts.size() > 1) body["receipts"] = receipts;
  return body;
}

Json SignatureSchema() {
  return ObjectSchema(
      {{"certificate", StringSchema(1, 16384)}, {"signature", StringSchema(1, 1024)}},
      {"certificate", "signature"});
}

Response Created(const Json& body, const std::vector<Json>& receipts, int status) {
  return Response::Json(status, WithReceipts(body, receipts));
}

void AddSystemRoutes(Router& r, app::Service& svc) {
  r.Add({.method = "GET",
         .path = "/healthz",
         .operation_id = "health",
         .summary = "Liveness and readiness: 200 when the store answers",
         .tag = "system",
         .access = Access::kPublic,
         .handler = [&svc](const Request&) -> StatusOr<Response> {
           VT_RETURN_IF_ERROR(svc.Ping());
           return Response::Json(200, {{"status", "ok"}});
         }});
  r.Add({.method = "GET",
         .path = "/metrics",
         .operation_id = "metrics",
         .summary = "Prometheus metrics",
         .tag = "system",
         .access = Access::kPublic,
         .handler = [&r](const Request&) -> StatusOr<Response> {
           return Response::Text(200, r.metrics().Render(), "text/plain; version=0.0.4");
         }});
  r.Add({.method = "GET",
         .path = "/openapi.json",
         .operation_id = "openapi",
         .summary = "This API's OpenAPI 3.1 description",
         .tag = "system",
         .access = Access::kPublic,
         .handler = [&r](const Request&) -> StatusOr<Response> {
           return Response::Json(200, r.OpenApi());
         }});
  r.Add({.method = "GET",
         .path = "/v1/whoami",
         .operation_id = "whoami",
         .summary = "The principal the presented token acts as",
         .tag = "access",
         .handler = [](const Request& req) -> StatusOr<Response> {
           return Response::Json(200, req.principal->ToJson());
         }});
  r.metrics().AddGauge("vtrust_storage_errors_total", "Storage errors seen by the service.",
                       "counter", [&svc] { return static_cast<double>(svc.storage_errors()); });
}

}  // namespace vt::api
