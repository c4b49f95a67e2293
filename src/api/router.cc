#include "api/router.h"

#include <cctype>
#include <chrono>

#include "api/problem.h"
#include "api/schema.h"
#include "app/access/service.h"

namespace vt::api {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool EqualsIgnoreCase(const std::string& a, const char* b) {
  size_t n = std::char_traits<char>::length(b);
  if (a.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}

}  // namespace

std::string Request::Query(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

Response Response::Json(int status, const vt::Json& body) {
  Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

Response ProblemResponse(const Status& s) {
  Response r = Response::Json(HttpStatusFor(s.code()), ProblemFor(s));
  r.content_type = kProblemContentType;
  if (s.code() == StatusCode::kUnauthenticated)
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"vtrust\"");
  return r;
}

Router::Router(app::Service& svc) : svc_(svc) {}

void Router::Add(Route route) {
  segments_.push_back(Split(route.path));
  routes_.push_back(std::move(route));
}

const Route* Router::Match(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>* params, bool* path_exists) const {
  if (path.empty() || path[0] != '/') return nullptr;
  std::vector<std::string> parts = Split(path);
  for (size_t r = 0; r < routes_.size(); ++r) {
    const auto& tpl = segments_[r];
    std::map<std::string, std::string> got;
    bool ok = true;
    size_t i = 0;
    for (; i < tpl.size() && ok; ++i) {
      const std::string& t = tpl[i];
      bool is_param = t.size() > 2 && t.front() == '{' && t.back() == '}';
      if (is_param && t[t.size() - 2] == '*') {  // rest of the path
        std::string rest;
        for (size_t k = i; k < parts.size(); ++k) rest += (k > i ? "/" : "") + parts[k];
        if (rest.empty()) ok = false;
        got[t.substr(1, t.size() - 3)] = rest;
        i = tpl.size();
        break;
      }
      if (i >= parts.size()) {
        ok = false;
        break;
      }
      if (is_param) {
        if (parts[i].empty()) ok = false;
        got[t.substr(1, t.size() - 2)] = parts[i];
      } else if (t != parts[i]) {
        ok = false;
      }
    }
    bool rest_route =
        !tpl.empty() && tpl.back().size() > 2 && tpl.back()[tpl.back().size() - 2] == '*';
    if (!ok || (!rest_route && parts.size() != tpl.size())) continue;
    *path_exists = true;
    if (routes_[r].method != method && !(method == "HEAD" && routes_[r].method == "GET")) continue;
    *params = std::move(got);
    return &routes_[r];
  }
  return nullptr;
}

const Route* Router::Find(const std::string& method, const std::string& path) const {
  std::map<std::string, std::string> params;
  bool path_exists = false;
  return Match(method, path, &params, &path_exists);
}

Status CheckContentType(const Route& route, std::string_view content_type) {
  std::string want = !route.body_schema.is_null() ? "application/json" : route.raw_body_type;
  if (want.empty()) return OkStatus();
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  std::string got(type);
  if (!EqualsIgnoreCase(got, want.c_str()))
    return InvalidArgumentError("this operation reads " + want +
                                " bodies; the request's "
                                "Content-Type is " +
                                (content_type.empty() ? std::string("missing") : "'" + got + "'"))
        .WithField("Content-Type");
  return OkStatus();
}

Response Router::Dispatch(const std::string& method, const std::string& path,
                          const std::multimap<std::string, std::string>& query,
                          const std::string& body, const std::string& authorization,
                          const std::optional<app::Principal>& local, std::string* route_id,
                          const std::string& client, const std::string& body_file) {
  auto start = std::chrono::steady_clock::now();
  Request req;
  req.client = client;
  req.method = method;
  req.path = path;
  req.query = query;
  req.raw_body = body;
  req.body_file = body_file;
  bool path_exists = false;
  const Route* route = Match(method, path, &req.params, &path_exists);
  Response res;
  std::string id = route ? route->operation_id : "unmatched";
  if (route == nullptr) {
    if (path_exists) {
      Json p = ProblemFor(InvalidArgumentError("method " + method + " is not allowed on " + path));
      p["status"] = 405;  // the document's status must match the response's
      res = Response::Json(405, p);
      res.content_type = kProblemContentType;
    } else {
      res = ProblemResponse(NotFoundError("no route for " + path));
    }
  } else {
    StatusOr<Response> r = [&]() -> StatusOr<Response> {
      try {
        return Handle(*route, req, authorization, local);
      } catch (const std::exception& e) {
        return InternalError(std::string("unhandled exception: ") + e.what());
      }
    }();
    res = r.ok() ? std::move(*r) : ProblemResponse(r.status());
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.Observe(id, res.status, secs);
  if (route_id) *route_id = id;
  return res;
}

StatusOr<Response> Router::Handle(const Route& route, Request& req,
                                  const std::string& authorization,
                                  const std::optional<app::Principal>& local) {
  if (route.access == Access::kAuthenticated) {
    if (local) {
      req.principal = *local;
    } else {
      if (authorization.empty())
        return UnauthenticatedError(
            "this operation needs an API token: send "
            "'Authorization: Bearer <token>'");
      // RFC 7235 §2.1: the auth-scheme is case-insensitive ("bearer", "BEARER"),
      // followed by one or more spaces and the token.
      size_t sp = authorization.find(' ');
      if (sp == std::string::npos || !EqualsIgnoreCase(authorization.substr(0, sp), "bearer"))
        return UnauthenticatedError("the Authorization header must use the Bearer scheme");
      size_t token = authorization.find_first_not_of(' ', sp);
      if (token == std::string::npos)
        return UnauthenticatedError("the Authorization header has no token after 'Bearer'");
      // RFC 6750 §2.1: a b64token is visible ASCII. Anything else (a control
      // character, a NUL and trailing bytes) is refused like any other bad token,
      // with the same detail, so that the refusal tells nothing.
      for (size_t i = token; i < authorization.size(); ++i) {
        auto c = static_cast<unsigned char>(authorization[i]);
        if (c <= 0x20 || c >= 0x7f) return svc_.Authenticate("").status();
      }
      VT_ASSIGN_OR_RETURN(req.principal, svc_.Authenticate(authorization.substr(token)));
    }
    // docs/api.md "Role matrix": auditors are read-only everywhere. The use cases
    // refuse them too; this is the backstop for every mutating route at once.
    if (route.mutating() && !req.principal->CanWrite())
      return PermissionDeniedError("role '" + std::string(app::RoleName(req.principal->role)) +
                                   "' is read-only and may not call " + route.operation_id);
  }
  if (!route.body_schema.is_null()) {
    if (req.raw_body.empty())
      return InvalidArgumentError("a JSON request body is required").WithField("body");
    // RFC 8259 §2: the JSON text is the whole body; a NUL (and whatever follows
    // it) is not whitespace and must not be dropped by a lower layer.
    if (size_t nul = req.raw_body.find('\0'); nul != std::string::npos)
      return InvalidArgumentError("the JSON body has a NUL byte at offset " + std::to_string(nul) +
                                  "; a JSON body must end at its last byte")
          .WithField("body");
    auto parsed = ParseJsonStrict(req.raw_body);
    if (!parsed.ok()) {
      if (!parsed.status().field().empty()) return parsed.status();
      return Status(parsed.status()).WithField("body");
    }
    req.body = std::move(*parsed);
    VT_RETURN_IF_ERROR(ValidateSchema(route.body_schema, req.body));
  } else if (!req.raw_body.empty() && route.mutating() && route.raw_body_type.empty()) {
    return InvalidArgumentError("this operation takes no request body").WithField("body");
  }
  return route.handler(req);
}

Json Router::OpenApi() const {
  Json paths = Json::object();
  for (const auto& r : routes_) {
    std::string path = r.path;
    for (size_t p; (p = path.find("*}")) != std::string::npos;) path.replace(p, 2, "}");
    Json op = {{"operationId", r.operation_id},
               {"summary", r.summary},
               {"tags", {r.tag}},
               {"x-vtrust-min-role", r.access == Access::kPublic ? "public" : r.min_role}};
    Json params = Json::array();
    for (const auto& seg : Split(r.path))
      if (seg.size() > 2 && seg.front() == '{') {
        std::string name = seg.substr(1, seg.size() - 2);
        if (name.back() == '*') name.pop_back();
        params.push_back(
            {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
      }
    if (!params.empty()) op["parameters"] = params;
    op["security"] =
        r.access == Access::kPublic ? Json::array() : Json::array({{{"bearer", Json::array()}}});
    if (!r.body_schema.is_null())
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", r.body_schema}}}}}};
    if (!r.raw_body_type.empty()) {
      Json binary = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
      op["requestBody"] = {{"required", true}, {"content", {{r.raw_body_type, binary}}}};
    }
    if (r.safe) op["x-vtrust-safe"] = true;  // reads only, though not a GET
    Json ok = {{"description", "success"}};
    if (!r.response_schema.is_null())
      ok["content"] = {{"application/json", {{"schema", r.response_schema}}}};
    Json problem = {
        {"description", "error"},
        {"content",
         {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
    op["responses"] = {{std::to_string(r.success_status), ok}, {"default", problem}};
    std::string m = r.method;
    for (auto& c : m) c = static_cast<char>(tolower(c));
    paths[path][m] = op;
  }
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "vtrust API"},
            {"version", "1"},
            {"description",
             "Digital trust for virtual people: ID cards, registry, "
             "settlement and a transparency log."}}},
          {"paths", paths},
          {"components",
           {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas",
             {{"Problem",
               {{"type", "object"},
                {"properties",
                 {{"type", {{"type", "string"}}},
                  {"title", {{"type", "string"}}},
                  {"status", {{"type", "integer"}}},
                  {"detail", {{"type", "string"}}},
                  {"field", {{"type", "string"}}}}},
                {"required", {"type", "title", "status"}}}}}}}}};
}

}  // namespace vt::api
