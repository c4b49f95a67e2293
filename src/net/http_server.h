// A small HTTP/1.1 server (over cpp-httplib) for side endpoints such as the
// witness's POST /add-checkpoint (c2sp.org/tlog-witness). The API server is
// separate (src/api/).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "net/http_client.h"

namespace vt::net {

struct HttpServerOptions {
  size_t threads = 8;                              // handler threads
  size_t max_body_bytes = 8 * 1024 * 1024;         // larger requests get 413
  std::chrono::milliseconds read_timeout{5'000};   // per request
  std::chrono::milliseconds write_timeout{5'000};  // per reply
};

// Handles one request; `request.path` is the path without the query.
using HttpHandler = std::function<HttpResponse(const HttpRequest& request)>;

// Usage: construct, Post() the routes, Bind(), then Serve() until Stop().
class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Routes POST requests for exactly `path` to `handler` (called from the
  // handler threads, so it must be thread-safe). Before Bind only.
  void Post(const std::string& path, HttpHandler handler);
  // Binds `host`:`port` (port 0: any free port) and returns the port bound.
  // Unavailable if the address cannot be bound (in use, no such address).
  StatusOr<int> Bind(const std::string& host, int port);
  // Serves until Stop(); Internal if the server stopped for another reason.
  Status Serve();
  // Makes Serve return. Thread-safe; may be called from a signal thread.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vt::net
