// The portal (docs/portal.md): the static files built from portal/ and embedded in the
// binary (portal/assets.h), served publicly at "/" and "/assets/...". The portal is a
// client of the public API and the public log only; it holds no state on the server.
#include <string>

#include "api/routes.h"
#include "portal/assets.h"

namespace vt::api {
namespace {

// The portal's pages load only their own scripts; the API is same-origin.
constexpr const char* kPortalCsp =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const portal::Asset* FindAsset(std::string_view path) {
  for (const auto& a : portal::Assets())
    if (a.path == path) return &a;
  return nullptr;
}

Response AssetResponse(const portal::Asset& a, bool immutable) {
  Response r = Response::Text(200, std::string(a.body), std::string(a.content_type));
  r.headers.emplace_back("Cache-Control",
                         immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Content-Security-Policy", kPortalCsp);
  return r;
}

}  // namespace

std::string WithPortalScripts(std::string html) {
  const portal::Asset* head = FindAsset("/head.html");
  size_t at = html.find("</head>");
  if (head == nullptr || at == std::string::npos) return html;
  html.insert(at, std::string(head->body));
  return html;
}

void AddPortalRoutes(Router& r) {
  r.Add({.method = "GET",
         .path = "/",
         .operation_id = "portal",
         .summary = "Public: the portal (HTML): search, character pages, verification, works, "
                    "the log explorer and the organization console",
         .tag = "portal",
         .access = Access::kPublic,
         .handler = [](const Request&) -> StatusOr<Response> {
           const portal::Asset* index = FindAsset("/index.html");
           if (index == nullptr) return InternalError("the portal was built without index.html");
           return AssetResponse(*index, false);
         }});
  r.Add({.method = "GET",
         .path = "/assets/{file*}",
         .operation_id = "portalAsset",
         .summary = "Public: the portal's scripts and styles (content-hashed names)",
         .tag = "portal",
         .access = Access::kPublic,
         .handler = [](const Request& req) -> StatusOr<Response> {
           const portal::Asset* a = FindAsset("/assets/" + req.params.at("file"));
           if (a == nullptr) return NotFoundError("no such portal asset");
           return AssetResponse(*a, true);
         }});
}

}  // namespace vt::api
