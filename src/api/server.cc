#include "api/server.h"

#include <httplib.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "api/problem.h"
#include "base/clock.h"

namespace vt::api {

struct Server::Impl {
  httplib::Server http;
  Router* router = nullptr;
  std::shared_ptr<spdlog::logger> access;
};

namespace {

void Serve(Server::Impl& impl, const httplib::Request& req, httplib::Response& res) {
  auto start = std::chrono::steady_clock::now();
  std::multimap<std::string, std::string> query(req.params.begin(), req.params.end());
  std::string route;
  Response r = impl.router->Dispatch(req.method, req.path, query, req.body,
                                     req.get_header_value("Authorization"), std::nullopt, &route);
  res.status = r.status;
  for (auto& [k, v] : r.headers) res.set_header(k, v);
  res.set_content(std::move(r.body), r.content_type);
  if (impl.access) {
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    impl.access->info(
        R"({{"ts":"{}","remote":"{}","method":"{}","path":{},"route":"{}","status":{},"ms":{:.3f},"bytes":{}}})",
        FormatRfc3339(std::chrono::system_clock::now()), req.remote_addr, req.method,
        Json(req.path).dump(), route, res.status, ms, res.body.size());
  }
}

}  // namespace

StatusOr<std::unique_ptr<Server>> Server::Bind(Router& router, const ServerOptions& o) {
  auto s = std::unique_ptr<Server>(new Server());
  s->impl_ = std::make_unique<Impl>();
  Impl& impl = *s->impl_;
  impl.router = &router;
  if (o.access_log != "off") {
    try {
      impl.access = o.access_log == "-"
                        ? spdlog::stderr_logger_mt("access-" + std::to_string(o.port))
                        : spdlog::basic_logger_mt("access", o.access_log);
      impl.access->set_pattern("%v");
    } catch (const spdlog::spdlog_ex& e) {
      return InvalidArgumentError(std::string("access log: ") + e.what());
    }
  }
  auto& http = impl.http;
  int threads = o.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(o.max_body_bytes);
  http.set_read_timeout(10, 0);
  http.set_write_timeout(10, 0);
  http.set_keep_alive_max_count(10000);
  // httplib writes a response's head and body with separate send() calls; with
  // Nagle's algorithm on, the body waits for the peer's delayed ACK (~40 ms per
  // keep-alive request).
  http.set_tcp_nodelay(true);
  auto handler = [&impl](const httplib::Request& req, httplib::Response& res) {
    Serve(impl, req, res);
  };
  // httplib 0.11 enforces the body limit only on Content-Length bodies: a chunked
  // body would be read without bound. API bodies are small JSON documents, so a
  // request must say its length up front.
  //
  // GET and HEAD requests are served right here: httplib reads no body for them,
  // and this skips its route table (a std::regex match per registered pattern per
  // request). Our Router does the routing either way.
  http.set_pre_routing_handler([&impl](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_header("Transfer-Encoding")) {
      if (req.method != "GET" && req.method != "HEAD")
        return httplib::Server::HandlerResponse::Unhandled;
      Serve(impl, req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    Json p = ProblemFor(InvalidArgumentError("chunked request bodies are not accepted; send "
                                             "Content-Length")
                            .WithField("body"));
    p["status"] = 411;
    res.status = 411;
    res.set_header("Connection", "close");
    res.set_content(p.dump(), kProblemContentType);
    return httplib::Server::HandlerResponse::Handled;
  });
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Patch(".*", handler);
  http.Delete(".*", handler);
  // Errors raised by httplib itself (oversize body or headers, bad request line)
  // still get a problem document.
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    Status s = res.status == 413
                   ? ResourceExhaustedError("request body exceeds the server's limit").WithField("body")
               : res.status == 414 ? ResourceExhaustedError("request URI is too long")
                                   : InvalidArgumentError(
                                         "malformed HTTP request: bad request line, or a "
                                         "header that is malformed or over 8192 bytes");
    Json p = ProblemFor(s);
    p["status"] = res.status;
    res.set_content(p.dump(), kProblemContentType);
  });
  if (o.port == 0) {
    s->port_ = http.bind_to_any_port(o.host);
    if (s->port_ < 0) return UnavailableError("cannot bind " + o.host);
  } else {
    if (!http.bind_to_port(o.host, o.port))
      return UnavailableError("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                              " (address in use?)");
    s->port_ = o.port;
  }
  return s;
}

Server::~Server() = default;

Status Server::Run() {
  if (!impl_->http.listen_after_bind()) return InternalError("HTTP server stopped unexpectedly");
  return OkStatus();
}

void Server::Stop() { impl_->http.stop(); }

}  // namespace vt::api
