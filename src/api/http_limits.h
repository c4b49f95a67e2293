// The HTTP front's limits: what an anonymous client may hold, send and ask for.
// docs/http.md explains each default and the config keys and flags that set them.
#pragma once

#include <chrono>
#include <cstddef>

namespace vt::api {

struct HttpLimits {
  // The whole request head (request line and fields), from its first byte
  // (nginx: client_header_timeout, 60 s). A slow client is closed when it runs out.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(20)};
  // The whole request body, from the end of the head (nginx: client_body_timeout).
  std::chrono::milliseconds body_timeout{std::chrono::seconds(30)};
  // An idle keep-alive connection waiting for its next request (nginx:
  // keepalive_timeout, 75 s).
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(75)};
  // Writing one response (nginx: send_timeout, 60 s).
  std::chrono::milliseconds send_timeout{std::chrono::seconds(60)};

  // The request head in bytes: over it, 431 (RFC 6585 §5).
  size_t max_header_bytes = 64 << 10;
  // Header field lines: over it, 431.
  size_t max_header_fields = 100;
  // One field line (400) or the request line (414, RFC 9112 §3).
  size_t max_line_bytes = 8 << 10;
  // Request bodies, for routes that do not set Route::max_body_bytes (413).
  size_t max_body_bytes = 1 << 20;

  // Open connections; the next one gets a 503 and is closed.
  size_t max_connections = 20000;
  // Requests on one keep-alive connection; the last answer says "Connection: close".
  size_t max_requests_per_connection = 10000;
  // Requests waiting for a worker thread; beyond it, 503 with Retry-After.
  size_t max_queued_requests = 4096;

  // The per-client-address token bucket of Route::rate_limited routes: tokens
  // added per second and the bucket size (a client's burst). 0 per second = off.
  double rate_per_second = 2;
  double rate_burst = 20;
};

}  // namespace vt::api
