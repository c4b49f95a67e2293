#include "net/http_client.h"

#include <fcntl.h>
#include <httplib.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace vt::net {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// The host and port of "scheme://host[:port]" (IPv6 literals lose their brackets).
std::pair<std::string, std::string> HostPortOf(std::string_view origin) {
  const bool https = origin.substr(0, origin.find("://")) == "https";
  std::string_view rest = origin.substr(origin.find("://") + 3);
  std::string host;
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    host = std::string(rest.substr(1, close - 1));
    rest = close == std::string_view::npos ? "" : rest.substr(close + 1);
  } else {
    size_t colon = rest.find(':');
    host = std::string(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? "" : rest.substr(colon);
  }
  std::string port = !rest.empty() && rest.front() == ':' ? std::string(rest.substr(1))
                     : https                              ? "443"
                                                          : "80";
  return {host, port};
}

// Why a connection to `origin` fails, found by trying one (cpp-httplib reports a
// failed lookup, a refused connection, an unreachable network and a connect
// timeout all as Error::Connection): "cannot resolve host H", "connection
// refused", "timed out connecting", or the system's words for errno.
std::string WhyNoConnection(const std::string& origin, std::chrono::milliseconds timeout) {
  auto [host, port] = HostPortOf(origin);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0)
    return "cannot resolve host " + host + " (" + gai_strerror(rc) + ")";
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(res, freeaddrinfo);
  int err = 0;
  for (addrinfo* a = res; a != nullptr; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      err = errno;
      continue;
    }
    int rc = connect(fd, a->ai_addr, a->ai_addrlen);
    err = rc == 0 ? 0 : errno;
    if (err == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int n = poll(&p, 1, static_cast<int>(timeout.count()));
      if (n == 0) {
        err = ETIMEDOUT;
      } else {
        socklen_t len = sizeof err;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
      }
    }
    close(fd);
    if (err == 0) return "connection failed";  // it connects now: the failure was transient
  }
  if (err == ECONNREFUSED) return "connection refused";
  if (err == ETIMEDOUT) return "timed out connecting";
  return std::string("cannot connect: ") + std::strerror(err);
}

// What failed, in words a reader of a log line understands.
std::string Describe(httplib::Error e, const std::string& origin,
                     std::chrono::milliseconds connect_timeout) {
  switch (e) {
    case httplib::Error::Connection:
      return WhyNoConnection(origin, connect_timeout);
    case httplib::Error::ConnectionTimeout:
      return "timed out connecting";
    case httplib::Error::Read:
      return "read failed or timed out";
    case httplib::Error::Write:
      return "write failed or timed out";
    case httplib::Error::SSLConnection:
      return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
      return "TLS: cannot load CA certificates";
    case httplib::Error::SSLServerVerification:
      return "TLS: server certificate not trusted";
    case httplib::Error::Canceled:
      return "canceled";
    default:
      return "request failed";
  }
}

httplib::Headers ToHttplib(const HttpHeaders& headers) {
  httplib::Headers out;
  for (const auto& [name, value] : headers) out.emplace(name, value);
  return out;
}

class HttplibClient final : public HttpClient {
 public:
  HttplibClient(std::string origin, std::string prefix, const HttpClientOptions& o)
      : http_(origin),
        origin_(std::move(origin)),
        prefix_(std::move(prefix)),
        connect_timeout_(o.connect_timeout) {
    http_.set_connection_timeout(
        std::chrono::duration_cast<std::chrono::microseconds>(o.connect_timeout));
    http_.set_read_timeout(std::chrono::duration_cast<std::chrono::microseconds>(o.read_timeout));
    http_.set_write_timeout(std::chrono::duration_cast<std::chrono::microseconds>(o.write_timeout));
    if (o.tcp_nodelay) http_.set_tcp_nodelay(true);
    if (o.keep_alive) http_.set_keep_alive(true);
    if (o.follow_redirects) http_.set_follow_location(true);
  }

  StatusOr<HttpResponse> Send(const HttpRequest& r) override {
    const std::string path = prefix_ + r.path;
    const httplib::Headers h = ToHttplib(r.headers);
    const std::string& m = r.method;
    if (m != "GET" && m != "DELETE" && m != "PUT" && m != "PATCH" && m != "POST")
      return InvalidArgumentError("HTTP method " + m + " not supported");
    httplib::Result res = m == "GET"      ? http_.Get(path, h)
                          : m == "DELETE" ? http_.Delete(path, h, r.body, r.content_type)
                          : m == "PUT"    ? http_.Put(path, h, r.body, r.content_type)
                          : m == "PATCH"  ? http_.Patch(path, h, r.body, r.content_type)
                                          : http_.Post(path, h, r.body, r.content_type);
    if (!res) {
      return UnavailableError(m + " " + origin_ + path + ": " +
                              Describe(res.error(), origin_, connect_timeout_) + " (" +
                              httplib::to_string(res.error()) + ")");
    }
    HttpResponse out{res->status, {}, std::move(res->body)};
    for (const auto& [name, value] : res->headers) out.headers.emplace_back(name, value);
    return out;
  }

 private:
  httplib::Client http_;
  std::string origin_, prefix_;
  std::chrono::milliseconds connect_timeout_;
};

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return "";
}

StatusOr<HttpResponse> HttpClient::Get(std::string path, HttpHeaders headers) {
  return Send(HttpRequest{"GET", std::move(path), std::move(headers), "", ""});
}

StatusOr<HttpResponse> HttpClient::Post(std::string path, std::string body,
                                        std::string content_type, HttpHeaders headers) {
  return Send(HttpRequest{"POST", std::move(path), std::move(headers), std::move(body),
                          std::move(content_type)});
}

StatusOr<std::pair<std::string, std::string>> SplitBaseUrl(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos ||
      (url.substr(0, scheme) != "http" && url.substr(0, scheme) != "https"))
    return InvalidArgumentError("URL must start with http:// or https://");
  size_t slash = url.find('/', scheme + 3);
  std::string origin(url.substr(0, slash));
  std::string prefix = slash == std::string_view::npos ? "" : std::string(url.substr(slash));
  if (origin.size() == scheme + 3) return InvalidArgumentError("URL has no host");
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  return std::make_pair(std::move(origin), std::move(prefix));
}

StatusOr<std::unique_ptr<HttpClient>> NewHttpClient(std::string_view base_url,
                                                    HttpClientOptions options) {
  VT_ASSIGN_OR_RETURN(auto parts, SplitBaseUrl(base_url));
  return std::unique_ptr<HttpClient>(
      std::make_unique<HttplibClient>(std::move(parts.first), std::move(parts.second), options));
}

std::string DecodeQueryComponent(std::string_view s) {
  return httplib::detail::decode_url(std::string(s), /*convert_plus_to_space=*/true);
}

}  // namespace vt::net
