#include "cli/client.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "api/routes.h"
#include "api/temp_file.h"
#include "app/access/service.h"
#include "app/core/config.h"
#include "net/http_client.h"
#include "server/root.h"

namespace vt::cli {
namespace {

StatusCode CodeForHttp(int status) {
  switch (status) {
    case 400:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
      return StatusCode::kAlreadyExists;
    case 413:
      return StatusCode::kResourceExhausted;
    case 501:
      return StatusCode::kUnimplemented;
    case 503:
      return StatusCode::kUnavailable;
    default:
      return status >= 500 ? StatusCode::kInternal : StatusCode::kInvalidArgument;
  }
}

class Remote final : public Client {
 public:
  Remote(std::unique_ptr<net::HttpClient> http, std::string token)
      : http_(std::move(http)), token_(std::move(token)) {}
  StatusOr<ApiReply> Send(const std::string& method, const std::string& path,
                          const std::string& body, const std::string& content_type) override {
    net::HttpRequest req{method, path, {}, body, content_type};
    if (!token_.empty()) req.headers.emplace_back("Authorization", "Bearer " + token_);
    VT_ASSIGN_OR_RETURN(net::HttpResponse res, http_->Send(req));
    return ApiReply{res.status, res.Header("Content-Type"), std::move(res.body)};
  }

 private:
  std::unique_ptr<net::HttpClient> http_;
  std::string token_;
};

class Local final : public Client {
 public:
  Local(std::unique_ptr<server::Components> components, app::Principal p)
      : components_(std::move(components)),
        principal_(std::move(p)),
        router_(server::BuildRouter(*components_)) {}
  ~Local() override {
    router_.reset();
    components_.reset();
  }
  StatusOr<ApiReply> Send(const std::string& method, const std::string& path,
                          const std::string& body, const std::string& content_type) override {
    // In process: the router takes raw bodies by the route, not by a media type.
    return Dispatch(method, path, body, "", "");
  }
  StatusOr<ApiReply> SendFile(const std::string& method, const std::string& path,
                              const std::string& body_path, const std::string& content_type,
                              const std::string& out_path) override {
    return Dispatch(method, path, "", body_path, out_path);
  }

 private:
  StatusOr<ApiReply> Dispatch(const std::string& method, const std::string& path,
                              const std::string& body, const std::string& body_path,
                              const std::string& out_path) {
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
          query.emplace(
              net::DecodeQueryComponent(kv.substr(0, eq)),
              eq == std::string::npos ? "" : net::DecodeQueryComponent(kv.substr(eq + 1)));
        i = amp + 1;
      }
    }
    api::Response r = router_->Dispatch(method, p, query, body, "", principal_, nullptr, "", body_path);
    bool ok = r.status >= 200 && r.status < 300;
    if (!r.body_file.empty()) {
      api::TempFileGuard file(r.body_file);
      if (ok && !out_path.empty()) {
        VT_RETURN_IF_ERROR(MoveFile(r.body_file, out_path));
        file.Release();
        return ApiReply{r.status, r.content_type, ""};
      }
      VT_ASSIGN_OR_RETURN(r.body, app::ReadFile(r.body_file));
    }
    if (ok && !out_path.empty()) {
      VT_RETURN_IF_ERROR(app::WriteFileAtomic(out_path, r.body, 0644));
      r.body.clear();
    }
    return ApiReply{r.status, r.content_type, r.body};
  }

  // rename(2), or a streamed copy across file systems.
  static Status MoveFile(const std::string& from, const std::string& to) {
    if (rename(from.c_str(), to.c_str()) == 0) {
      chmod(to.c_str(), 0644);  // the temporary file was 0600
      return OkStatus();
    }
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    out << in.rdbuf();
    out.close();
    if (!in || !out) return InternalError("cannot write " + to);
    unlink(from.c_str());
    return OkStatus();
  }

  std::unique_ptr<server::Components> components_;
  app::Principal principal_;
  std::unique_ptr<api::Router> router_;
};

}  // namespace

StatusOr<ApiReply> Client::SendFile(const std::string& method, const std::string& path,
                                    const std::string& body_path, const std::string& content_type,
                                    const std::string& out_path) {
  VT_ASSIGN_OR_RETURN(std::string body, app::ReadFile(body_path));
  VT_ASSIGN_OR_RETURN(ApiReply r, Send(method, path, body, content_type));
  if (r.status >= 200 && r.status < 300 && !out_path.empty()) {
    VT_RETURN_IF_ERROR(app::WriteFileAtomic(out_path, r.body, 0644));
    r.body.clear();
  }
  return r;
}

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
  net::HttpClientOptions options;
  options.connect_timeout = std::chrono::seconds(5);
  options.tcp_nodelay = true;  // a request's head and body are separate writes
  auto http = net::NewHttpClient(server, options);
  if (!http.ok()) return std::move(http).status().WithField("server");
  return std::unique_ptr<Client>(new Remote(std::move(*http), token));
}

StatusOr<std::unique_ptr<Client>> LocalClient(const std::string& data_dir, const Clock& clock,
                                              Rng& rng) {
  VT_ASSIGN_OR_RETURN(auto components, server::OpenComponents(data_dir, clock, rng));
  VT_ASSIGN_OR_RETURN(auto p, components->service().LocalPrincipal());
  return std::unique_ptr<Client>(new Local(std::move(components), std::move(p)));
}

}  // namespace vt::cli
