// The transparency log: C2SP tlog-tiles under /log/ and proofs under /v1/log/.
#include "api/routes.h"
#include "app/access/log_reads.h"
#include "tlog/tile_path.h"

namespace vt::api {
namespace {

using app::LogReads;

StatusOr<int64_t> ParseIndex(const std::string& s, const std::string& field) {
  if (s.empty() || s.size() > 18 || (s.size() > 1 && s[0] == '0'))
    return InvalidArgumentError("'" + field + "' must be a non-negative integer").WithField(field);
  for (char c : s)
    if (c < '0' || c > '9')
      return InvalidArgumentError("'" + field + "' must be a non-negative integer")
          .WithField(field);
  return std::stoll(s);
}

Response Bytes(std::string body, bool immutable) {
  Response r = Response::Text(200, std::move(body), "application/octet-stream");
  r.headers.emplace_back("Cache-Control",
                         immutable ? "public, max-age=31536000, immutable" : "public, max-age=1");
  return r;
}

void AddTileRoutes(Router& r, LogReads& log) {
  r.Add({.method = "GET",
         .path = "/log/checkpoint",
         .operation_id = "logCheckpoint",
         .summary = "The latest signed checkpoint (C2SP tlog-checkpoint)",
         .tag = "log",
         .access = Access::kPublic,
         .handler = [&log](const Request&) -> StatusOr<Response> {
           // With witnesses configured: the latest k-of-n cosigned checkpoint; the
           // signed one until the first is cosigned (docs/witness.md).
           VT_ASSIGN_OR_RETURN(auto cp, log.PublishedCheckpoint());
           Response res = Response::Text(200, cp.note, "text/plain; charset=utf-8");
           res.headers.emplace_back("Cache-Control", "no-cache, max-age=0");
           return res;
         }});
  r.Add({.method = "GET",
         .path = "/log/vkey",
         .operation_id = "logVerifierKey",
         .summary = "The log's verifier key (signed-note vkey)",
         .tag = "log",
         .access = Access::kPublic,
         .handler = [&log](const Request&) -> StatusOr<Response> {
           return Response::Text(200, log.VerifierKey() + "\n", "text/plain; charset=utf-8");
         }});
  r.Add({.method = "GET",
         .path = "/log/tile/{path*}",
         .operation_id = "logTile",
         .summary = "A hash tile or entry bundle (C2SP tlog-tiles)",
         .tag = "log",
         .access = Access::kPublic,
         .handler = [&log](const Request& req) -> StatusOr<Response> {
           auto coord = tlog::ParseTilePath("tile/" + req.params.at("path"));
           if (!coord.ok()) return NotFoundError("not a tile path: " + coord.status().message());
           VT_ASSIGN_OR_RETURN(std::string data, log.Resource(*coord));
           return Bytes(std::move(data), coord->width == 256);
         }});
}

void AddProofRoutes(Router& r, LogReads& log) {
  r.Add({.method = "GET",
         .path = "/v1/log/entries/{index}",
         .operation_id = "logEntry",
         .summary = "One log entry and its leaf hash",
         .tag = "log",
         .access = Access::kPublic,
         .handler = [&log](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(int64_t index, ParseIndex(req.params.at("index"), "index"));
           VT_ASSIGN_OR_RETURN(std::string e, log.Entry(index));
           Json entry = Json::parse(e, nullptr, false);
           return Response::Json(200, {{"index", index},
                                       {"entry", entry},
                                       {"leaf_hash", tlog::HashToBase64(tlog::LeafHash(e))}});
         }});
  r.Add({.method = "GET",
         .path = "/v1/log/entries/{index}/openings",
         .operation_id = "logEntryOpenings",
         .summary = "The openings (salt, value) of the entry's commitments that the caller may see "
                    "(docs/log-entries.md, Commitments)",
         .tag = "log",
         .handler = [&log](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(int64_t index, ParseIndex(req.params.at("index"), "index"));
           VT_ASSIGN_OR_RETURN(Json o, log.Openings(*req.principal, index));
           return Response::Json(200, o);
         }});
  r.Add({.method = "GET",
         .path = "/v1/log/entries/{index}/tlog-proof",
         .operation_id = "logTlogProof",
         .summary = "A C2SP tlog-proof file for the entry against the latest checkpoint",
         .tag = "log",
         .access = Access::kPublic,
         .handler = [&log](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(int64_t index, ParseIndex(req.params.at("index"), "index"));
           // The receipt upgrade: against the cosigned checkpoint when it has the entry.
           VT_ASSIGN_OR_RETURN(std::string file, log.TlogProofFile(index));
           Response res = Response::Text(200, std::move(file), "text/plain; charset=utf-8");
           res.headers.emplace_back(
               "Content-Disposition",
               "attachment; filename=\"entry-" + std::to_string(index) + ".tlog-proof\"");
           return res;
         }});
  r.Add({.method = "GET",
         .path = "/v1/log/proof/inclusion",
         .operation_id = "logInclusionProof",
         .summary = "RFC 6962 inclusion proof (query: index, size)",
         .tag = "log",
         .access = Access::kPublic,
         .handler = [&log](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(int64_t index, ParseIndex(req.Query("index"), "index"));
           VT_ASSIGN_OR_RETURN(int64_t size, ParseIndex(req.Query("size"), "size"));
           VT_ASSIGN_OR_RETURN(Json p, log.InclusionProof(index, size));
           return Response::Json(200, p);
         }});
  r.Add({.method = "GET",
         .path = "/v1/log/proof/consistency",
         .operation_id = "logConsistencyProof",
         .summary = "RFC 6962 consistency proof (query: old, new)",
         .tag = "log",
         .access = Access::kPublic,
         .handler = [&log](const Request& req) -> StatusOr<Response> {
           VT_ASSIGN_OR_RETURN(int64_t old_size, ParseIndex(req.Query("old"), "old"));
           VT_ASSIGN_OR_RETURN(int64_t new_size, ParseIndex(req.Query("new"), "new"));
           VT_ASSIGN_OR_RETURN(Json p, log.ConsistencyProof(old_size, new_size));
           return Response::Json(200, p);
         }});
}

}  // namespace

void AddLogRoutes(Router& r, LogReads& log) {
  AddTileRoutes(r, log);
  AddProofRoutes(r, log);
}

}  // namespace vt::api
