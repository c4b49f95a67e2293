// The HTTP server: an event-driven HTTP/1.1 front (Boost.Beast on Asio) in front
// of the Router. A few I/O threads run every connection's reads, writes and
// deadlines; route handlers that may block (writes wait for the group commit) run
// on a bounded worker pool. docs/http.md describes the limits.
#pragma once

#include <memory>
#include <string>

#include "api/http_limits.h"
#include "api/router.h"
#include "base/status.h"

namespace vt::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = pick a free port
  // Worker threads for handlers that may block (mutating routes).
  int threads = 32;
  // I/O threads (event loops); 0 = one per core.
  int io_threads = 0;
  // Read-only routes (GET, HEAD, safe POST) run on the I/O thread when true
  // (no hand-off: they read pooled connections and caches), else on the workers.
  bool inline_reads = true;
  HttpLimits limits;
  // Access log destination: "-" (stderr), a file path, or "off".
  std::string access_log = "-";
};

class Server {
 public:
  // Binds the listening socket (without SO_REUSEPORT: a second server on the same
  // port fails). Fails with Unavailable ("address in use") if the address is
  // taken, InvalidArgument for a bad host or access log.
  static StatusOr<std::unique_ptr<Server>> Bind(Router& router, const ServerOptions& options);
  ~Server();
  int port() const { return port_; }
  // Serves until Stop(). In-flight requests finish (and are answered with
  // "Connection: close") before it returns; idle connections are closed.
  Status Run();
  // Thread-safe; not async-signal-safe: call from a normal thread.
  void Stop();

  struct Impl;

 private:
  Server() = default;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace vt::api
