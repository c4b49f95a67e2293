#include "net/http_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>
#include <vector>

namespace vt::net {
namespace {

// A local cpp-httplib server on an ephemeral port, for the duration of a test.
class LocalServer {
 public:
  LocalServer() {
    server_.Get("/p/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Seen", req.get_header_value("X-Token"));
      res.set_content("got " + req.path, "text/plain");
    });
    server_.Post("/p/post", [](const httplib::Request& req, httplib::Response& res) {
      res.status = 201;
      res.set_content(req.get_header_value("Content-Type") + "|" + req.body, "text/plain");
    });
    server_.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
      res.set_content("late", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LocalServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST(HttpClient, GetWithHeadersAndPrefix) {
  LocalServer server;
  auto client = NewHttpClient(server.url() + "/p/");
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  auto res = (*client)->Get("/echo", {{"X-Token", "abc"}});
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "got /p/echo");
  EXPECT_EQ(res->Header("x-seen"), "abc");
  EXPECT_EQ(res->Header("content-type"), "text/plain");
  EXPECT_EQ(res->Header("X-Absent"), "");
}

TEST(HttpClient, PostSendsBodyAndContentType) {
  LocalServer server;
  auto client = NewHttpClient(server.url());
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Post("/p/post", "hello", "text/plain; charset=utf-8");
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, "text/plain; charset=utf-8|hello");
}

TEST(HttpClient, ErrorStatusIsAReplyNotAnError) {
  LocalServer server;
  auto client = NewHttpClient(server.url());
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Get("/missing");
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->status, 404);
}

TEST(HttpClient, ConnectionRefusedSaysWhatAndWhere) {
  int port;
  {
    LocalServer server;  // a port that was free a moment ago
    port = std::stoi(server.url().substr(server.url().rfind(':') + 1));
  }
  auto client = NewHttpClient("http://127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Get("/x");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kUnavailable);
  const std::string want =
      "GET http://127.0.0.1:" + std::to_string(port) + "/x: connection refused";
  EXPECT_EQ(res.status().message().substr(0, want.size()), want) << res.status().ToString();
}

TEST(HttpClient, ReadTimeoutIsReported) {
  LocalServer server;
  HttpClientOptions o;
  o.read_timeout = std::chrono::milliseconds(100);
  auto client = NewHttpClient(server.url(), o);
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Get("/slow");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(res.status().message().find("/slow: read failed or timed out"), std::string::npos)
      << res.status().ToString();
}

// A listening socket whose accept queue is full (backlog 0, never accepted): the
// kernel drops further SYNs, so a new connection attempt times out.
class FullBacklog {
 public:
  FullBacklog() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd_, 0);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    for (int i = 0; i < 16; ++i) {  // connect until one attempt hangs
      int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a);
      held_.push_back(c);
      pollfd p{c, POLLOUT, 0};
      if (poll(&p, 1, 200) == 0) break;
    }
  }
  ~FullBacklog() {
    for (int c : held_) close(c);
    close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::vector<int> held_;
};

TEST(HttpClient, ConnectTimeoutSaysTimedOut) {
  FullBacklog full;
  HttpClientOptions o;
  o.connect_timeout = std::chrono::milliseconds(300);
  auto client = NewHttpClient("http://127.0.0.1:" + std::to_string(full.port()), o);
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Get("/x");
  ASSERT_FALSE(res.ok());
  const std::string want =
      "GET http://127.0.0.1:" + std::to_string(full.port()) + "/x: timed out connecting";
  EXPECT_EQ(res.status().message().substr(0, want.size()), want) << res.status().ToString();
}

TEST(HttpClient, UnresolvableHostSaysSo) {
  auto client = NewHttpClient("http://no-such-host.invalid:8080");  // RFC 6761: never resolves
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Get("/x");
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.status().message().find(
                "GET http://no-such-host.invalid:8080/x: cannot resolve host no-such-host.invalid"),
            std::string::npos)
      << res.status().ToString();
}

TEST(HttpClient, TlsToAPlainServerSaysTls) {
  LocalServer server;  // speaks plain HTTP
  std::string url = server.url();
  auto client = NewHttpClient("https://" + url.substr(7));
  ASSERT_TRUE(client.ok());
  auto res = (*client)->Get("/p/echo");
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.status().message().find("TLS"), std::string::npos) << res.status().ToString();
}

TEST(HttpClient, RejectsBadUrlsAndMethods) {
  EXPECT_EQ(NewHttpClient("ftp://x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(NewHttpClient("http://").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(NewHttpClient("localhost:80").status().code(), StatusCode::kInvalidArgument);
  auto client = NewHttpClient("http://127.0.0.1:9");
  ASSERT_TRUE(client.ok());
  HttpRequest r;
  r.method = "TRACE";
  EXPECT_EQ((*client)->Send(r).status().code(), StatusCode::kInvalidArgument);
}

TEST(SplitBaseUrl, OriginAndPrefix) {
  auto p = SplitBaseUrl("https://h.example:8443/a/b/");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->first, "https://h.example:8443");
  EXPECT_EQ(p->second, "/a/b");
}

TEST(DecodeQueryComponent, PercentAndPlus) {
  EXPECT_EQ(DecodeQueryComponent("a+b%2Fc%20d"), "a b/c d");
}

}  // namespace
}  // namespace vt::net
