#include "cli/client.h"

#include <httplib.h>

#include "api/routes.h"
#include "app/access/service.h"

namespace vt::cli {
namespace {

StatusCode CodeForHttp(int status) {
  switch (status) {
    case 400: return StatusCode::kInvalidArgument;
    case 401: return StatusCode::kUnauthenticated;
    case 403: return StatusCode::kPermissionDenied;
    case 404: return StatusCode::kNotFound;
    case 409: return StatusCode::kAlreadyExists;
    case 413: return StatusCode::kResourceExhausted;
    case 501: return StatusCode::kUnimplemented;
    case 503: return StatusCode::kUnavailable;
    default: return status >= 500 ? StatusCode::kInternal : StatusCode::kInvalidArgument;
  }
}

class Remote final : public Client {
 public:
  Remote(std::string server, std::string token)
      : http_(server), server_(std::move(server)), token_(std::move(token)) {
    http_.set_connection_timeout(5, 0);
    http_.set_read_timeout(60, 0);
    http_.set_tcp_nodelay(true);  // a request's head and body are separate writes
  }
  StatusOr<ApiReply> Send(const std::string& method, const std::string& path,
                          const std::string& body) override {
    httplib::Headers headers;
    if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
    httplib::Result res = method == "GET"      ? http_.Get(path, headers)
                          : method == "DELETE" ? http_.Delete(path, headers, body, "application/json")
                          : method == "PUT"    ? http_.Put(path, headers, body, "application/json")
                          : method == "PATCH"  ? http_.Patch(path, headers, body, "application/json")
                                               : http_.Post(path, headers, body, "application/json");
    if (!res)
      return UnavailableError("cannot reach " + server_ + ": " + httplib::to_string(res.error()));
    return ApiReply{res->status, res->get_header_value("Content-Type"), res->body};
  }

 private:
  httplib::Client http_;
  std::string server_, token_;
};

class Local final : public Client {
 public:
  Local(std::unique_ptr<app::Service> svc, app::Principal p)
      : svc_(std::move(svc)), principal_(std::move(p)), router_(api::BuildRouter(*svc_)) {}
  ~Local() override {
    router_.reset();
    svc_.reset();
  }
  StatusOr<ApiReply> Send(const std::string& method, const std::string& path,
                          const std::string& body) override {
    std::string p = path;
    std::multimap<std::string, std::string> query;
    if (size_t q = p.find('?'); q != std::string::npos) {
      std::string qs = p.substr(q + 1);
      p = p.substr(0, q);
      size_t i = 0;
      while (i <= qs.size()) {
        size_t amp = qs.find('&', i);
        if (amp == std::string::npos) amp = qs.size();
        std::string kv = qs.substr(i, amp - i);
        size_t eq = kv.find('=');
        if (!kv.empty())
          query.emplace(httplib::detail::decode_url(kv.substr(0, eq), true),
                        eq == std::string::npos ? ""
                                                : httplib::detail::decode_url(kv.substr(eq + 1), true));
        i = amp + 1;
      }
    }
    api::Response r = router_->Dispatch(method, p, query, body, "", principal_);
    return ApiReply{r.status, r.content_type, r.body};
  }

 private:
  std::unique_ptr<app::Service> svc_;
  app::Principal principal_;
  std::unique_ptr<api::Router> router_;
};

}  // namespace

StatusOr<Json> Client::Call(const std::string& method, const std::string& path, const Json& body) {
  VT_ASSIGN_OR_RETURN(ApiReply r, Send(method, path, body.is_null() ? "" : body.dump()));
  Json j = Json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (r.status >= 200 && r.status < 300) {
    if (j.is_discarded()) return Json(r.body);
    return j;
  }
  std::string detail = "HTTP " + std::to_string(r.status);
  std::string field;
  if (j.is_object()) {
    detail = j.value("detail", detail);
    field = j.value("field", "");
  }
  if (!field.empty()) return Status(CodeForHttp(r.status), detail).WithField(field);
  return Status(CodeForHttp(r.status), detail);
}

StatusOr<std::unique_ptr<Client>> RemoteClient(const std::string& server,
                                               const std::string& token) {
  if (server.rfind("http://", 0) != 0 && server.rfind("https://", 0) != 0)
    return InvalidArgumentError("--server must be an http:// or https:// URL").WithField("server");
  return std::unique_ptr<Client>(new Remote(server, token));
}

StatusOr<std::unique_ptr<Client>> LocalClient(const std::string& data_dir) {
  VT_ASSIGN_OR_RETURN(auto svc, app::Service::Open(data_dir));
  VT_ASSIGN_OR_RETURN(auto p, svc->LocalPrincipal());
  return std::unique_ptr<Client>(new Local(std::move(svc), std::move(p)));
}

}  // namespace vt::cli
