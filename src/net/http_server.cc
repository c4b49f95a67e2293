#include "net/http_server.h"

#include <httplib.h>
#include <sys/socket.h>

namespace vt::net {

struct HttpServer::Impl {
  httplib::Server http;
};

HttpServer::HttpServer(HttpServerOptions options) : impl_(std::make_unique<Impl>()) {
  const size_t threads = options.threads;
  impl_->http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  impl_->http.set_payload_max_length(options.max_body_bytes);
  impl_->http.set_read_timeout(
      std::chrono::duration_cast<std::chrono::microseconds>(options.read_timeout));
  impl_->http.set_write_timeout(
      std::chrono::duration_cast<std::chrono::microseconds>(options.write_timeout));
  // SO_REUSEADDR only (a restart binds again past TIME_WAIT). cpp-httplib's default
  // is SO_REUSEPORT, with which a second server binds a port in use without an error
  // and the kernel splits the connections between the two.
  impl_->http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

HttpServer::~HttpServer() = default;

void HttpServer::Post(const std::string& path, HttpHandler handler) {
  impl_->http.Post(
      path, [h = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
        HttpRequest in{req.method, req.path, {}, req.body, req.get_header_value("Content-Type")};
        for (const auto& [name, value] : req.headers) in.headers.emplace_back(name, value);
        HttpResponse out = h(in);
        res.status = out.status;
        std::string content_type = out.Header("Content-Type");
        for (const auto& [name, value] : out.headers) {
          if (name != "Content-Type") res.set_header(name, value);
        }
        res.set_content(out.body, content_type);
      });
}

StatusOr<int> HttpServer::Bind(const std::string& host, int port) {
  if (port == 0) {
    int bound = impl_->http.bind_to_any_port(host);
    if (bound < 0) return UnavailableError("cannot bind " + host);
    return bound;
  }
  if (!impl_->http.bind_to_port(host, port))
    return UnavailableError("cannot listen on " + host + ":" + std::to_string(port) +
                            " (address in use?)");
  return port;
}

Status HttpServer::Serve() {
  return impl_->http.listen_after_bind() ? OkStatus()
                                         : InternalError("HTTP server stopped unexpectedly");
}

void HttpServer::Stop() { impl_->http.stop(); }

}  // namespace vt::net
