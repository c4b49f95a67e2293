// /v1/content: sign and verify content credentials (docs/c2pa.md). The asset
// travels as the raw request body; the server's body limit applies
// (config max_body_bytes, 1 MiB by default).
#include <sstream>

#include "api/routes.h"
#include "app/content/content_desk.h"

namespace vt::api {
namespace {

using app::ContentDesk;

std::string_view MediaType(c2pa::Container c, bool sidecar) {
  if (sidecar) return "application/c2pa";
  switch (c) {
    case c2pa::Container::kJpeg:
      return "image/jpeg";
    case c2pa::Container::kPng:
      return "image/png";
    case c2pa::Container::kWav:
      return "audio/wav";
    case c2pa::Container::kMp4:
      return "video/mp4";
    default:
      return "application/octet-stream";
  }
}

std::vector<std::string> SplitIds(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string id; std::getline(in, id, ',');)
    if (!id.empty()) out.push_back(id);
  return out;
}

StatusOr<Response> Sign(ContentDesk& desk, const Request& req) {
  if (req.raw_body.empty())
    return InvalidArgumentError("the asset is the request body").WithField("body");
  app::ContentSignRequest in;
  in.character_id = req.Query("as");
  if (in.character_id.empty())
    return InvalidArgumentError("query parameter 'as' is required").WithField("as");
  in.work_ids = SplitIds(req.Query("works"));
  in.sidecar = req.Query("sidecar") == "1" || req.Query("sidecar") == "true";
  in.title = req.Query("title");
  std::istringstream body(req.raw_body);
  std::ostringstream out;
  VT_ASSIGN_OR_RETURN(auto w, desk.Sign(*req.principal, body, in, out));
  Response res =
      Response::Text(200, out.str(), std::string(MediaType(w.value.container, in.sidecar)));
  res.headers.emplace_back("X-Vtrust-Manifest", w.value.manifest_label);
  res.headers.emplace_back("X-Vtrust-Log-Index", std::to_string(w.value.log_index));
  res.headers.emplace_back("X-Vtrust-Signing", w.value.ToJson().dump());
  return res;
}

}  // namespace

void AddContentRoutes(Router& r, ContentDesk& content) {
  ContentDesk* desk = &content;
  r.Add({.method = "POST",
         .path = "/v1/content/sign",
         .operation_id = "signContent",
         .summary = "Sign an asset (raw body) for a character: ?as=CHARACTER&works=W1,W2&sidecar=1",
         .tag = "content",
         .min_role = "member",
         .raw_body_type = "application/octet-stream",
         .handler = [desk](const Request& req) { return Sign(*desk, req); }});
  r.Add({.method = "POST",
         .path = "/v1/content/verify",
         .operation_id = "verifyContent",
         .summary =
             "Verify an asset's content credentials (raw body; ?sidecar_length=N: a .c2pa first)",
         .tag = "content",
         .access = Access::kPublic,
         .safe = true,
         .raw_body_type = "application/octet-stream",
         .handler = [desk](const Request& req) -> StatusOr<Response> {
           if (req.raw_body.empty())
             return InvalidArgumentError("the asset is the request body").WithField("body");
           // ?sidecar_length=N: the body is the N-byte manifest store, then the asset.
           std::optional<std::string> sidecar;
           std::string asset = req.raw_body;
           if (std::string n = req.Query("sidecar_length"); !n.empty()) {
             size_t len = 0;
             try {
               len = std::stoull(n);
             } catch (const std::exception&) {
               len = asset.size() + 1;
             }
             if (len > asset.size())
               return InvalidArgumentError("sidecar_length exceeds the body")
                   .WithField("sidecar_length");
             sidecar = asset.substr(0, len);
             asset.erase(0, len);
           }
           std::istringstream body(asset);
           VT_ASSIGN_OR_RETURN(Json j, desk->Verify(body, sidecar));
           return Response::Json(200, j);
         }});
}

}  // namespace vt::api
