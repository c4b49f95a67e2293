#include "net/http_client.h"

#include <httplib.h>
#include <netdb.h>

#include <cctype>

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

// The host of "scheme://host[:port]" (IPv6 literals keep their brackets off).
std::string HostOf(std::string_view origin) {
  std::string_view rest = origin.substr(origin.find("://") + 3);
  if (!rest.empty() && rest.front() == '[') return std::string(rest.substr(1, rest.find(']') - 1));
  return std::string(rest.substr(0, rest.find(':')));
}

bool Resolves(const std::string& host) {
  addrinfo* res = nullptr;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0) return false;
  freeaddrinfo(res);
  return true;
}

// What failed, in words a reader of a log line understands.
std::string Describe(httplib::Error e, const std::string& origin) {
  switch (e) {
    case httplib::Error::Connection:
      // cpp-httplib reports a failed lookup and a refused connection alike.
      return Resolves(HostOf(origin)) ? "connection refused" : "cannot resolve host";
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
      : http_(origin), origin_(std::move(origin)), prefix_(std::move(prefix)) {
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
      return UnavailableError(m + " " + origin_ + path + ": " + Describe(res.error(), origin_) +
                              " (" + httplib::to_string(res.error()) + ")");
    }
    HttpResponse out{res->status, {}, std::move(res->body)};
    for (const auto& [name, value] : res->headers) out.headers.emplace_back(name, value);
    return out;
  }

 private:
  httplib::Client http_;
  std::string origin_, prefix_;
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
