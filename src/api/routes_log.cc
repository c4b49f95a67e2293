// The transparency log: C2SP tlog-tiles under /log/ and proofs under /v1/log/.
#include "api/routes.h"
#include "app/access/service.h"
#include "tlog/tile_path.h"

namespace vt::api {
namespace {

using app::Service;
using app::TransparencyLog;

StatusOr<int64_t> ParseIndex(const std::string& s, const std::string& field) {
  if (s.empty() || s.size() > 18 || (s.size() > 1 && s[0] == '0'))
    return InvalidArgumentError("'" + field + "' must be a non-negative integer").WithField(field);
  for (char c : s)
    if (c < '0' || c > '9')
      return InvalidArgumentError("'" + field + "' must be a non-negative integer").WithField(field);
  return std::stoll(s);
}

Response Bytes(std::string body, bool immutable) {
  Response r = Response::Text(200, std::move(body), "application/octet-stream");
  r.headers.emplace_back("Cache-Control", immutable ? "public, max-age=31536000, immutable"
                                                    : "public, max-age=1");
  return r;
}

void AddTileRoutes(Router& r, Service& svc) {
  r.Add({.method = "GET", .path = "/log/checkpoint", .operation_id = "logCheckpoint",
         .summary = "The latest signed checkpoint (C2SP tlog-checkpoint)", .tag = "log",
         .access = Access::kPublic,
         .handler = [&svc](const Request&) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(auto cp, svc.Read<app::LogCheckpoint>(
                                            [](store::Conn& c) {
                                              return TransparencyLog::LoadCheckpoint(c);
                                            }));
           // With witnesses configured: the latest k-of-n cosigned checkpoint (it
           // lags the latest signed one by a witnessing round trip); the signed one
           // until the first is cosigned (docs/witness.md).
           if (const auto* w = svc.witnessing()) cp = w->Cosigned().value_or(cp);
           Response res = Response::Text(200, cp.note, "text/plain; charset=utf-8");
           res.headers.emplace_back("Cache-Control", "no-cache, max-age=0");
           return res;
         }});
  r.Add({.method = "GET", .path = "/log/vkey", .operation_id = "logVerifierKey",
         .summary = "The log's verifier key (signed-note vkey)", .tag = "log",
         .access = Access::kPublic,
         .handler = [&svc](const Request&) -> StatusOr<Response> {
           return Response::Text(200, svc.log().VerifierKey() + "\n", "text/plain; charset=utf-8");
         }});
  r.Add({.method = "GET", .path = "/log/tile/{path*}", .operation_id = "logTile",
         .summary = "A hash tile or entry bundle (C2SP tlog-tiles)", .tag = "log",
         .access = Access::kPublic,
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           auto coord = tlog::ParseTilePath("tile/" + req.params.at("path"));
           if (!coord.ok()) return NotFoundError("not a tile path: " + coord.status().message());
           VT_ASSIGN_OR_RETURN(std::string data,
                               svc.Read<std::string>([&](store::Conn& c) -> StatusOr<std::string> {
                                 VT_ASSIGN_OR_RETURN(auto cp, TransparencyLog::LoadCheckpoint(c));
                                 return TransparencyLog::ReadResource(c, *coord, cp.size);
                               }));
           return Bytes(std::move(data), coord->width == 256);
         }});
}

void AddProofRoutes(Router& r, Service& svc) {
  r.Add({.method = "GET", .path = "/v1/log/entries/{index}", .operation_id = "logEntry",
         .summary = "One log entry and its leaf hash", .tag = "log", .access = Access::kPublic,
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(int64_t index, ParseIndex(req.params.at("index"), "index"));
           VT_ASSIGN_OR_RETURN(std::string e, svc.Read<std::string>([&](store::Conn& c) {
                                 return TransparencyLog::ReadEntry(c, index);
                               }));
           Json entry = Json::parse(e, nullptr, false);
           return Response::Json(200, {{"index", index},
                                       {"entry", entry},
                                       {"leaf_hash", tlog::HashToBase64(tlog::LeafHash(e))}});
         }});
  r.Add({.method = "GET", .path = "/v1/log/entries/{index}/tlog-proof",
         .operation_id = "logTlogProof",
         .summary = "A C2SP tlog-proof file for the entry against the latest checkpoint",
         .tag = "log", .access = Access::kPublic,
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(int64_t index, ParseIndex(req.params.at("index"), "index"));
           VT_ASSIGN_OR_RETURN(std::string file,
                               svc.Read<std::string>([&](store::Conn& c) -> StatusOr<std::string> {
                                 VT_ASSIGN_OR_RETURN(auto cp, TransparencyLog::LoadCheckpoint(c));
                                 // The receipt upgrade: prefer the cosigned checkpoint.
                                 auto* w = svc.witnessing();
                                 if (auto cs = w ? w->Cosigned() : std::nullopt; cs && index < cs->size)
                                   cp = *cs;
                                 return TransparencyLog::TlogProofFile(c, index, cp);
                               }));
           Response res = Response::Text(200, std::move(file), "text/plain; charset=utf-8");
           res.headers.emplace_back("Content-Disposition", "attachment; filename=\"entry-" +
                                                               std::to_string(index) +
                                                               ".tlog-proof\"");
           return res;
         }});
  r.Add({.method = "GET", .path = "/v1/log/proof/inclusion", .operation_id = "logInclusionProof",
         .summary = "RFC 6962 inclusion proof (query: index, size)", .tag = "log",
         .access = Access::kPublic,
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(int64_t index, ParseIndex(req.Query("index"), "index"));
           VT_ASSIGN_OR_RETURN(int64_t size, ParseIndex(req.Query("size"), "size"));
           VT_ASSIGN_OR_RETURN(Json p, svc.Read<Json>([&](store::Conn& c) {
                                 return TransparencyLog::InclusionProof(c, index, size);
                               }));
           return Response::Json(200, p);
         }});
  r.Add({.method = "GET", .path = "/v1/log/proof/consistency",
         .operation_id = "logConsistencyProof",
         .summary = "RFC 6962 consistency proof (query: old, new)", .tag = "log",
         .access = Access::kPublic,
         .handler = [&svc](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(int64_t old_size, ParseIndex(req.Query("old"), "old"));
           VT_ASSIGN_OR_RETURN(int64_t new_size, ParseIndex(req.Query("new"), "new"));
           VT_ASSIGN_OR_RETURN(Json p, svc.Read<Json>([&](store::Conn& c) {
                                 return TransparencyLog::ConsistencyProof(c, old_size, new_size);
                               }));
           return Response::Json(200, p);
         }});
}

}  // namespace

void AddLogRoutes(Router& r, app::Service& svc) {
  AddTileRoutes(r, svc);
  AddProofRoutes(r, svc);
}

}  // namespace vt::api
