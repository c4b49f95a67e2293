// The HTTP front against anonymous clients on loopback: slow and idle
// connections do not starve others, header floods are cut off early, malformed
// framing is refused and writes nothing, keep-alive writers see no errors, the
// public challenge routes are rate limited per client address, and a second
// server on a taken port fails. Every test bounds its own time.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "tests/harness.h"

namespace vt::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A raw client socket from `source` (a loopback address) to 127.0.0.1:port.
class Conn {
 public:
  explicit Conn(int port, const char* source = nullptr) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (source != nullptr) {
      sockaddr_in src{};
      src.sin_family = AF_INET;
      inet_pton(AF_INET, source, &src.sin_addr);
      if (bind(fd_, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
        Reset();
        return;
      }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) Reset();
  }
  ~Conn() { Reset(); }
  Conn(Conn&& o) noexcept : fd_(o.fd_), buf_(std::move(o.buf_)) { o.fd_ = -1; }
  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  bool Write(const std::string& bytes) {
    for (size_t done = 0; done < bytes.size();) {
      ssize_t n = send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  // Reads one response; status 0 on error or timeout.
  HttpReply Read(milliseconds timeout = milliseconds(10000)) {
    HttpReply r;
    auto deadline = Clock::now() + timeout;
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!Fill(deadline)) return r.error = "no response head", r;
    std::istringstream lines(buf_.substr(0, end));
    buf_.erase(0, end + 4);
    std::string line;
    std::getline(lines, line);
    if (line.size() < 12) return r.error = "bad status line", r;
    int status = std::atoi(line.substr(9, 3).c_str());
    size_t length = 0;
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string key = line.substr(0, colon), value = line.substr(colon + 2);
      r.headers.emplace(key, value);
      if (strcasecmp(key.c_str(), "Content-Length") == 0) length = std::stoul(value);
      if (strcasecmp(key.c_str(), "Content-Type") == 0) r.content_type = value;
    }
    while (buf_.size() < length)
      if (!Fill(deadline)) return r.error = "short body", r;
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    r.status = status;
    return r;
  }

  // True when the server closed the connection (EOF or reset) within `timeout`.
  bool ClosedByPeer(milliseconds timeout = milliseconds(5000)) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      int left = static_cast<int>(
          std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count());
      if (left <= 0 || poll(&p, 1, left) <= 0) return false;
      char b[4096];
      ssize_t n = recv(fd_, b, sizeof b, 0);
      if (n <= 0) return true;
    }
  }

 private:
  bool Fill(Clock::time_point deadline) {
    pollfd p{fd_, POLLIN, 0};
    int left =
        static_cast<int>(std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count());
    if (left <= 0 || poll(&p, 1, left) <= 0) return false;
    char b[16384];
    ssize_t n = recv(fd_, b, sizeof b, 0);
    if (n <= 0) return false;
    buf_.append(b, static_cast<size_t>(n));
    return true;
  }
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  int fd_ = -1;
  std::string buf_;
};

void RaiseFileLimit() {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
}

long RssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One server for the suite: an operator token, an org, a character with a P-256
// card and a DER OCSP request for it.
class HttpFrontTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    RaiseFileLimit();
    tmp_ = new TempDir();
    dir_ = tmp_->Sub("data");
    auto init = InitDataDir(dir_);
    ASSERT_TRUE(init);
    token_ = init->token;
    std::string error;
    srv_ = ServerProcess::Start(dir_, {}, &error).release();
    ASSERT_TRUE(srv_) << error;
    HttpReply r = srv_->Client(token_).Post("/v1/orgs", {{"name", "Front"}});
    ASSERT_EQ(r.status, 201) << r.Describe();
    org_ = r.json().value("id", "");
    auto cli = [](std::vector<std::string> args) {
      args.insert(args.begin(), {"--server", srv_->url(), "--token", token_});
      return RunCli(args);
    };
    CliResult ch = cli({"character", "register", "--name", "Aria", "--json"});
    ASSERT_EQ(ch.exit_code, 0) << ch.Describe();
    character_ = ch.json().value("id", "");
    CliResult card = cli({"card", "issue", character_, "--alg", "p256", "--json"});
    ASSERT_EQ(card.exit_code, 0) << card.Describe();
    std::ofstream(tmp_->Sub("card.pem")) << card.json().value("certificate", "");
    std::ofstream(tmp_->Sub("issuing.pem")) << card.json().value("chain", "");
    std::string cmd = "openssl ocsp -issuer '" + tmp_->Sub("issuing.pem") + "' -cert '" +
                      tmp_->Sub("card.pem") + "' -no_nonce -reqout '" + tmp_->Sub("req.der") +
                      "' >/dev/null 2>&1";
    ASSERT_EQ(system(cmd.c_str()), 0) << cmd;
    ocsp_request_ = Slurp(tmp_->Sub("req.der"));
    ASSERT_FALSE(ocsp_request_.empty());
  }
  static void TearDownTestSuite() {
    delete srv_;
    delete tmp_;
  }

  // The three probes of a loaded server, each on a fresh connection.
  static std::string HealthRequest() { return "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"; }
  static std::string OcspRequest() {
    return "POST /pki/ocsp/p256 HTTP/1.1\r\nHost: t\r\nContent-Type: application/ocsp-request\r\n"
           "Content-Length: " +
           std::to_string(ocsp_request_.size()) + "\r\n\r\n" + ocsp_request_;
  }
  static std::string OrgRequest() {
    return "GET /v1/orgs/" + org_ + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + token_ +
           "\r\n\r\n";
  }
  // What writes would change: the org list and the log's checkpoint.
  static std::pair<std::string, std::string> WrittenState() {
    Api api = srv_->Client(token_);
    std::string orgs = api.Get("/v1/orgs").body;
    std::string cp = api.Get("/log/checkpoint").body;
    return {orgs, cp.substr(0, cp.find("\n\n"))};
  }

  static TempDir* tmp_;
  static ServerProcess* srv_;
  static std::string dir_, token_, org_, character_, ocsp_request_;
};

TempDir* HttpFrontTest::tmp_ = nullptr;
ServerProcess* HttpFrontTest::srv_ = nullptr;
std::string HttpFrontTest::dir_, HttpFrontTest::token_, HttpFrontTest::org_,
    HttpFrontTest::character_, HttpFrontTest::ocsp_request_;

// Slowloris: 200 connections dribble a header line each second and 2,000 idle
// keep-alive connections sit after one request, while /healthz, OCSP and an
// authenticated read each answer within 100 ms.
TEST_F(HttpFrontTest, SlowAndIdleClientsDoNotStallOthers) {
  std::vector<Conn> idle;
  for (int i = 0; i < 2000; ++i) {
    idle.emplace_back(srv_->port());
    ASSERT_TRUE(idle.back().ok()) << "connection " << i << ": " << strerror(errno);
    ASSERT_TRUE(idle.back().Write(HealthRequest()));
  }
  for (auto& c : idle) ASSERT_EQ(c.Read().status, 200);
  std::vector<Conn> slow;
  for (int i = 0; i < 200; ++i) {
    slow.emplace_back(srv_->port());
    ASSERT_TRUE(slow.back().ok());
    ASSERT_TRUE(slow.back().Write("GET /healthz HTTP/1.1\r\nHost: t\r\n"));
  }
  std::atomic<bool> done{false};
  std::thread dribbler([&] {
    for (int line = 0; !done; ++line) {
      for (auto& c : slow) c.Write("X-Slow-" + std::to_string(line) + ": x\r\n");
      for (int i = 0; i < 10 && !done; ++i) std::this_thread::sleep_for(milliseconds(100));
    }
  });
  std::vector<std::pair<std::string, std::string>> probes = {
      {"healthz", HealthRequest()}, {"ocsp", OcspRequest()}, {"org", OrgRequest()}};
  std::this_thread::sleep_for(milliseconds(1500));  // a few dribbled lines first
  for (int round = 0; round < 5; ++round) {
    for (const auto& [name, request] : probes) {
      SCOPED_TRACE(name);
      Conn c(srv_->port());
      ASSERT_TRUE(c.ok());
      auto start = Clock::now();
      ASSERT_TRUE(c.Write(request));
      HttpReply r = c.Read(milliseconds(5000));
      auto ms = std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
      EXPECT_EQ(r.status, 200) << r.Describe();
      EXPECT_LT(ms, 100) << name << " took " << ms << " ms with 200 slow and 2,000 idle clients";
    }
    std::this_thread::sleep_for(milliseconds(300));
  }
  done = true;
  dribbler.join();
  // The idle connections are still open and usable.
  ASSERT_TRUE(idle.front().Write(HealthRequest()));
  EXPECT_EQ(idle.front().Read().status, 200);
}

// 100 MB of header lines on one connection: refused once the head passes its
// limit (431) and closed; the server's memory barely moves and the refusal is
// in the access log.
TEST_F(HttpFrontTest, HeaderFloodIsCutOffEarly) {
  long before = RssKib(srv_->pid());
  ASSERT_GT(before, 0);
  Conn c(srv_->port());
  ASSERT_TRUE(c.ok());
  std::atomic<size_t> sent{0};
  std::thread writer([&] {
    if (!c.Write("GET /healthz HTTP/1.1\r\nHost: t\r\n")) return;
    std::string lines;
    for (int i = 0; i < 1000; ++i)
      lines += "X-Flood-" + std::to_string(i) + ": " + std::string(90, 'f') + "\r\n";
    while (sent < (100u << 20) && c.Write(lines)) sent += lines.size();
  });
  HttpReply r = c.Read(milliseconds(20000));
  EXPECT_TRUE(r.status == 431 || r.status == 400) << r.Describe();
  EXPECT_TRUE(r.IsProblem()) << r.Describe();
  EXPECT_TRUE(c.ClosedByPeer(milliseconds(10000)));
  shutdown(c.fd(), SHUT_RDWR);
  writer.join();
  EXPECT_LT(sent.load(), 100u << 20) << "the server read the whole flood";
  long after = RssKib(srv_->pid());
  EXPECT_LT(after - before, 50 * 1024) << "RSS " << before << " -> " << after << " KiB";
  EXPECT_NE(srv_->Stderr().find("\"status\":" + std::to_string(r.status)), std::string::npos);
  EXPECT_EQ(srv_->Client().Get("/healthz").status, 200);
}

// RFC 9112 framing errors and bodies the route does not read: each is a 4xx
// problem, the connection is closed, and nothing is written.
TEST_F(HttpFrontTest, MalformedFramingIsRefusedAndWritesNothing) {
  auto before = WrittenState();
  std::string auth = "Authorization: Bearer " + token_ + "\r\n";
  std::string post = "POST /v1/orgs HTTP/1.1\r\nHost: t\r\n" + auth;
  std::string json = R"({"name":"never"})";
  std::string len = "Content-Length: " + std::to_string(json.size()) + "\r\n";
  std::string type = "Content-Type: application/json\r\n";
  auto with_body = [&](const std::string& body, const std::string& ct = "application/json") {
    return post + "Content-Type: " + ct + "\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
  };
  std::string nul_body = R"({"name":"x"})" + std::string(1, '\0') + "{{{garbage";
  std::vector<std::pair<std::string, std::string>> cases = {
      {"two different Content-Length", post + type + len +
                                           "Content-Length: " + std::to_string(json.size() + 1) +
                                           "\r\n\r\n" + json + " "},
      {"invalid Content-Length", post + type + "Content-Length: 1x6\r\n\r\n" + json},
      {"negative Content-Length", post + type + "Content-Length: -16\r\n\r\n" + json},
      {"Content-Length and chunked",
       post + type + len + "Transfer-Encoding: chunked\r\n\r\n10\r\n" + json + "\r\n0\r\n\r\n"},
      {"obs-fold", post + type + "X-Folded: a\r\n b\r\n" + len + "\r\n" + json},
      {"bare LF", "POST /v1/orgs HTTP/1.1\nHost: t\n" + auth + type + len + "\r\n" + json},
      {"bare CR", post + "X-A: a\rX-B: b\r\n" + type + len + "\r\n" + json},
      {"header without colon", post + "X-No-Colon\r\n" + type + len + "\r\n" + json},
      {"NUL after the JSON", with_body(nul_body)},
      {"garbage after the JSON", with_body(R"({"name":"x"}garbage)")},
      {"text/plain body", with_body(json, "text/plain")},
      {"XML body", with_body("<org><name>x</name></org>", "application/xml")},
      {"form body", with_body("name=never", "application/x-www-form-urlencoded")},
      {"NUL and junk after the token",
       "POST /v1/orgs HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + token_ +
           std::string(1, '\0') + "junk\r\n" + type + len + "\r\n" + json},
      {"control character in the token",
       "POST /v1/orgs HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + token_ + "\x01\r\n" + type +
           len + "\r\n" + json},
  };
  for (const auto& [label, request] : cases) {
    SCOPED_TRACE(label);
    Conn c(srv_->port());
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c.Write(request));
    HttpReply r = c.Read();
    EXPECT_GE(r.status, 400) << r.Describe();
    EXPECT_LT(r.status, 500) << r.Describe();
    EXPECT_TRUE(r.IsProblem()) << r.Describe();
    // Bad JSON in a well-framed request leaves the connection usable.
    if (label != "garbage after the JSON") EXPECT_TRUE(c.ClosedByPeer()) << "connection left open";
  }
  // The body cases name the body; Content-Type is 415.
  {
    Conn c(srv_->port());
    ASSERT_TRUE(c.Write(with_body(nul_body)));
    HttpReply r = c.Read();
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.json().value("field", ""), "body") << r.body;
  }
  {
    Conn c(srv_->port());
    ASSERT_TRUE(c.Write(with_body(json, "text/plain")));
    EXPECT_EQ(c.Read().status, 415);
  }
  EXPECT_EQ(WrittenState(), before);
  // The raw-body OCSP route still takes its own media type.
  Conn c(srv_->port());
  ASSERT_TRUE(c.Write(OcspRequest()));
  HttpReply r = c.Read();
  EXPECT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.content_type, "application/ocsp-response");
}

// 256 keep-alive clients writing for 10 s: no transport errors, no 5xx.
TEST_F(HttpFrontTest, KeepAliveWritersSeeNoErrors) {
  std::atomic<int> ok{0}, transport{0}, server{0}, other{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < 256; ++t) {
    clients.emplace_back([&, t] {
      Api api = srv_->Client(token_);
      for (int i = 0; !stop; ++i) {
        HttpReply r =
            api.Post("/v1/orgs", {{"name", "w" + std::to_string(t) + "-" + std::to_string(i)}});
        if (r.status == 201)
          ++ok;
        else if (r.status == 0)
          ++transport;
        else if (r.status >= 500)
          ++server;
        else
          ++other;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(10));
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(transport.load(), 0);
  EXPECT_EQ(server.load(), 0);
  EXPECT_EQ(other.load(), 0);
  EXPECT_GT(ok.load(), 256);
  std::cout << "256 keep-alive writers, 10 s: " << ok.load() << " orgs created (" << ok.load() / 10
            << "/s)\n";
}

// A burst on a public challenge route from one address ends in 429 with
// Retry-After; another address is served meanwhile.
TEST_F(HttpFrontTest, ChallengeRoutesAreRateLimitedPerAddress) {
  std::string body = R"({"audience":"https://rp.example"})";
  auto request = "POST /v1/characters/" + character_ +
                 "/challenges HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                 "Content-Length: " +
                 std::to_string(body.size()) + "\r\n\r\n" + body;
  int created = 0, limited = 0;
  HttpReply refused;
  Conn c(srv_->port(), "127.0.0.1");
  for (int i = 0; i < 60 && limited == 0; ++i) {
    ASSERT_TRUE(c.Write(request));
    HttpReply r = c.Read();
    if (r.status == 201) ++created;
    if (r.status == 429) {
      ++limited;
      refused = r;
    }
  }
  EXPECT_GT(created, 0);
  ASSERT_EQ(limited, 1) << "no 429 after " << created << " challenges";
  EXPECT_TRUE(refused.IsProblem()) << refused.Describe();
  auto retry = refused.headers.find("Retry-After");
  ASSERT_NE(retry, refused.headers.end()) << refused.Describe();
  EXPECT_GE(std::atoi(retry->second.c_str()), 1);
  // Another client address still gets its challenge.
  Conn other(srv_->port(), "127.0.0.2");
  ASSERT_TRUE(other.ok()) << strerror(errno);
  ASSERT_TRUE(other.Write(request));
  EXPECT_EQ(other.Read().status, 201);
  // Unlimited routes are not affected for the limited address.
  Conn same(srv_->port(), "127.0.0.1");
  ASSERT_TRUE(same.Write(HealthRequest()));
  EXPECT_EQ(same.Read().status, 200);
}

// Too many connections: the next one gets a 503 problem and is closed.
TEST_F(HttpFrontTest, ConnectionCapAnswers503) {
  TempDir tmp;
  auto init = InitDataDir(tmp.Sub("data"));
  ASSERT_TRUE(init);
  std::string error;
  auto srv = ServerProcess::Start(tmp.Sub("data"), {"--max-connections", "20"}, &error);
  ASSERT_TRUE(srv) << error;
  std::vector<Conn> held;
  for (int i = 0; i < 20; ++i) held.emplace_back(srv->port());
  std::this_thread::sleep_for(milliseconds(300));
  Conn extra(srv->port());
  ASSERT_TRUE(extra.ok());
  HttpReply r = extra.Read();
  EXPECT_EQ(r.status, 503) << r.Describe();
  EXPECT_TRUE(r.IsProblem()) << r.Describe();
  EXPECT_TRUE(extra.ClosedByPeer());
  held.clear();
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(srv->Client().Get("/healthz").status, 200);
  EXPECT_EQ(srv->Stop(), 0);
}

// A second server on a port already in use fails with "address in use".
TEST_F(HttpFrontTest, SecondServerOnTakenPortFails) {
  CliResult r = RunCli({"serve", "--data", dir_, "--listen",
                        "127.0.0.1:" + std::to_string(srv_->port()), "--access-log", "off"},
                       {}, std::chrono::seconds(30));
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("address in use"), std::string::npos) << r.Describe();
  EXPECT_EQ(srv_->Client().Get("/healthz").status, 200);
}

}  // namespace
}  // namespace vt::testing
