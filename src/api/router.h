// The route table: the single description of the HTTP API. The server dispatches
// from it, /openapi.json is generated from it, the CLI's local mode calls it
// in-process, and the authorization test walks it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/metrics.h"
#include "app/core/domain_names.h"
#include "base/jcs.h"
#include "base/status.h"

namespace vt::app {
class Service;
}

namespace vt::api {

struct Request {
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;  // path parameters by name
  std::multimap<std::string, std::string> query;
  Json body;  // parsed and schema-validated body
  std::string raw_body;
  // Routes with Route::body_to_file: the path of the file holding the body
  // (raw_body is then empty); removed by the server after the handler returns.
  std::string body_file;
  std::optional<app::Principal> principal;  // set when the route requires auth
  std::string accept;
  // Who sent it: api::ClientKey of the peer address ("" in the CLI's local mode).
  // Per-client quotas key on it (the "I am me" replay set).
  std::string client;

  // The query parameter `name`, or `fallback`.
  std::string Query(const std::string& name, const std::string& fallback = "") const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Non-empty: the body is this file's content (body is ignored); the server
  // streams it and then removes the file.
  std::string body_file;

  static Response Json(int status, const vt::Json& body);
  static Response Text(int status, std::string body, std::string content_type);
};

enum class Access {
  kPublic,         // no token needed (health, metrics, log tiles, OCSP)
  kAuthenticated,  // a valid token; the handler applies role and organization rules
};

struct Route {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  // Path template: literal segments, {name} parameters, and an optional final
  // {name*} that matches the rest of the path.
  std::string path;
  std::string operation_id;
  std::string summary;
  std::string tag;
  Access access = Access::kAuthenticated;
  // The least role that may call it ("admin", "member", "auditor"), for the docs and
  // the authorization test. Enforcement lives in the Service.
  std::string min_role = "auditor";
  Json body_schema;      // null: the route takes no body
  Json response_schema;  // documentation
  int success_status = 200;
  // A POST that reads and changes nothing, like a GET (the OCSP responder, RFC
  // 6960 App. A.1): not mutating() for authorization and the authz test, and its
  // body, of media type `raw_body_type`, reaches the handler unparsed in
  // Request::raw_body.
  bool safe = false;
  // Non-empty: the body is of this media type and reaches the handler unparsed
  // in Request::raw_body (OCSP requests, media assets).
  std::string raw_body_type;
  // The largest request body the server reads for this route; 0 = the server's
  // default (ServerOptions::limits.max_body_bytes). Checked against Content-Length
  // before the body is read (413).
  size_t max_body_bytes = 0;
  // Raw-body routes for large assets: the server streams the body to a
  // temporary file (Request::body_file) instead of memory, and runs the
  // handler on a worker thread even when the route is safe.
  bool body_to_file = false;
  // Public write routes that do signing work for anonymous callers: the server
  // applies its per-client-address token bucket before reading the body (429).
  bool rate_limited = false;
  std::function<StatusOr<Response>(const Request&)> handler;

  bool mutating() const { return !safe && method != "GET" && method != "HEAD"; }
};

class Router {
 public:
  explicit Router(app::Service& svc);
  void Add(Route route);
  const std::vector<Route>& routes() const { return routes_; }

  // Handles one request end to end: route matching, authentication (from the
  // "Bearer" header value, or `local` when set: the CLI's in-process principal),
  // body parsing and validation, the handler, and the problem document on errors.
  // Never throws. Records metrics.
  Response Dispatch(const std::string& method, const std::string& path,
                    const std::multimap<std::string, std::string>& query, const std::string& body,
                    const std::string& authorization,
                    const std::optional<app::Principal>& local = std::nullopt,
                    std::string* route_id = nullptr, const std::string& client = "",
                    const std::string& body_file = "");

  // The route `method` `path` dispatches to, or null (404/405: Dispatch says
  // which). For the server's checks before it reads a body. Thread-safe.
  const Route* Find(const std::string& method, const std::string& path) const;

  // The OpenAPI 3.1 document describing every route.
  Json OpenApi() const;
  Metrics& metrics() { return metrics_; }

 private:
  const Route* Match(const std::string& method, const std::string& path,
                     std::map<std::string, std::string>* params, bool* path_exists) const;
  StatusOr<Response> Handle(const Route& route, Request& req, const std::string& authorization,
                            const std::optional<app::Principal>& local);

  app::Service& svc_;
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // parsed templates, parallel to routes_
  Metrics metrics_;
};

// Response for a non-OK status.
Response ProblemResponse(const Status& s);

// Checks a request's Content-Type against what `route` reads (RFC 9110 §8.3):
// application/json for routes with a body schema, `raw_body_type` for raw-body
// routes; the media type is compared case-insensitively, parameters (charset)
// are ignored. OK when the route takes no body. InvalidArgument otherwise (the
// server answers 415).
Status CheckContentType(const Route& route, std::string_view content_type);

}  // namespace vt::api
