// A small HTTP/1.1 client (over cpp-httplib, the only module besides the API
// server that includes <httplib.h>): one base URL, blocking requests with
// timeouts, replies as plain values and transport failures as Status values
// that say what failed and where.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace vt::net {

// Request or reply header fields, in order; names compare case-insensitively
// (RFC 9110 §5.1) in HttpResponse::Header.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT, PATCH or DELETE
  std::string path;            // "/x?y", appended to the client's base path
  HttpHeaders headers;
  std::string body;          // sent only for methods other than GET
  std::string content_type;  // of `body` ("" = none)
};

// Any reply the server sent, whatever its status (4xx and 5xx included).
struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
  // The value of the first header field named `name` (any case), "" if none.
  std::string Header(std::string_view name) const;
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds read_timeout{60'000};
  std::chrono::milliseconds write_timeout{5'000};
  bool tcp_nodelay = false;       // disable Nagle (a request's head and body are separate writes)
  bool keep_alive = false;        // reuse one connection across requests
  bool follow_redirects = false;  // follow 3xx Location replies
};

// A client bound to one server. Send may be called from several threads.
class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Sends `request` and waits for the whole reply. Unavailable if no reply
  // came: the message is "<METHOD> <url>: <what failed>", what failed being
  // one of "connection refused", "timed out", "TLS handshake failed", "cannot
  // resolve host", "connection failed", "read failed", "write failed", ...,
  // followed by cpp-httplib's own wording in parentheses.
  virtual StatusOr<HttpResponse> Send(const HttpRequest& request) = 0;

  // Send of a GET of `path`.
  StatusOr<HttpResponse> Get(std::string path, HttpHeaders headers = {});
  // Send of a POST of `body` (of type `content_type`) to `path`.
  StatusOr<HttpResponse> Post(std::string path, std::string body, std::string content_type,
                              HttpHeaders headers = {});
};

// A client for `base_url` = http(s)://host[:port][/prefix] (the prefix, if
// any, is put before every request path). InvalidArgument unless the URL is
// http:// or https:// with a host.
StatusOr<std::unique_ptr<HttpClient>> NewHttpClient(std::string_view base_url,
                                                    HttpClientOptions options = {});

// Splits an http(s) URL into "scheme://host[:port]" and its path ("" or
// "/..." without a trailing slash). InvalidArgument as NewHttpClient.
StatusOr<std::pair<std::string, std::string>> SplitBaseUrl(std::string_view url);

// Percent-decodes a URL query component ("+" is a space), as servers do.
std::string DecodeQueryComponent(std::string_view s);

}  // namespace vt::net
