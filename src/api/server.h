// The HTTP server: cpp-httplib in front of the Router.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "api/router.h"
#include "base/status.h"

namespace vt::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = pick a free port
  int threads = 32;
  size_t max_body_bytes = 1 << 20;
  // Access log destination: "-" (stderr), a file path, or "off".
  std::string access_log = "-";
};

class Server {
 public:
  // Binds the listening socket. Fails with Unavailable if the address is taken.
  static StatusOr<std::unique_ptr<Server>> Bind(Router& router, const ServerOptions& options);
  ~Server();
  int port() const { return port_; }
  // Serves until Stop(). In-flight requests finish before it returns.
  Status Run();
  // Thread-safe and async-signal-unsafe: call from a normal thread.
  void Stop();

  struct Impl;

 private:
  Server() = default;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace vt::api
