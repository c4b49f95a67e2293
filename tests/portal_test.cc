// The portal and the demo through the real binary: `vtrust serve --demo` on a fresh
// data directory (a free port, not 8080) loads the demo through the use cases, serves
// the embedded portal at "/" and the card's QR target /verify/<id> as a portal page,
// and a restart with --demo writes nothing more (idempotent). Then the browser suite
// (tests/portal/portal.mjs: playwright-core driving Debian's chromium, axe-core)
// walks the pages a person would: search, the QR code's URL, "I am me", the signed
// and the tampered poster, the derivation graph, the settlement and its Sankey, the
// console; its screenshots are kept in the build tree (portal_output/).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/harness.h"

extern char** environ;

namespace vt::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
int Sh(const std::string& cmd) {
  int s = std::system(cmd.c_str());
  return WIFEXITED(s) ? WEXITSTATUS(s) : 128;
}

// A port that was free a moment ago (the kernel's pick for port 0).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// `vtrust serve --demo` on a fixed port (the QR code encodes public_url, which the
// data directory was initialized with), stdout and stderr to files.
class DemoServer {
 public:
  DemoServer(const std::string& data, int port, const std::string& out, const std::string& err)
      : port_(port), out_(out), err_(err) {
    std::vector<std::string> args = {
        VtrustBinary(), "serve",        "--data",
        data,           "--listen",     "127.0.0.1:" + std::to_string(port),
        "--demo",       "--access-log", "off"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
  }
  ~DemoServer() { Stop(); }
  // Waits until /healthz answers (loading the demo signs a few dozen things first).
  bool Ready() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
    while (std::chrono::steady_clock::now() < deadline && pid_ > 0) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      if (Api("127.0.0.1", port_).Get("/healthz").status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }
  int Stop() {
    if (pid_ <= 0) return 0;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  std::string Describe() const { return "stdout:\n" + Slurp(out_) + "\nstderr:\n" + Slurp(err_); }

 private:
  pid_t pid_ = -1;
  int port_;
  std::string out_, err_;
};

int64_t LogSize(Api& api) {
  std::istringstream in(api.Get("/log/checkpoint").body);
  std::string origin, size;
  std::getline(in, origin);
  std::getline(in, size);
  return size.empty() ? -1 : std::stoll(size);
}

// npm ci of tests/portal (playwright-core, axe-core) into the build tree, skipped
// when node_modules is there and the lock file is unchanged.
bool PrepareBrowserSuite(std::string* dir) {
  *dir = VTRUST_PORTAL_TEST_DIR;
  std::string src = std::string(VTRUST_SOURCE_DIR) + "/tests/portal";
  Sh("mkdir -p " + *dir + " && cp " + src + "/portal.mjs " + *dir + "/");
  if (Slurp(*dir + "/package-lock.json") == Slurp(src + "/package-lock.json") &&
      Sh("test -d " + *dir + "/node_modules/playwright-core") == 0)
    return true;
  Sh("cp " + src + "/package.json " + src + "/package-lock.json " + *dir + "/");
  return Sh("cd " + *dir + " && npm ci --no-audit --no-fund >npm-ci.log 2>&1") == 0;
}

TEST(PortalTest, DemoLoadsOnceServesThePortalAndPassesTheBrowserSuite) {
  TempDir tmp;
  const std::string data = tmp.Sub("data");
  const int port = FreePort();
  ASSERT_NE(port, 8080);
  const std::string origin = "http://127.0.0.1:" + std::to_string(port);
  ASSERT_TRUE(InitDataDir(data, {"--public-url", origin}));

  auto server = std::make_unique<DemoServer>(data, port, tmp.Sub("out1"), tmp.Sub("err1"));
  ASSERT_TRUE(server->Ready()) << server->Describe();
  Json demo = Json::parse(Slurp(data + "/demo/demo.json"), nullptr, false);
  ASSERT_TRUE(demo.is_object()) << server->Describe();
  const std::string character = demo.value("character", "");
  const std::string token = demo.value("token", "");
  ASSERT_FALSE(character.empty());
  std::string printed = Slurp(tmp.Sub("out1"));
  EXPECT_NE(printed.find("vtrust demo loaded"), std::string::npos) << printed;
  EXPECT_NE(printed.find(origin + "/"), std::string::npos) << printed;
  EXPECT_NE(printed.find(token), std::string::npos) << printed;
  EXPECT_NE(printed.find(origin + "/verify/" + character), std::string::npos) << printed;

  Api anon("127.0.0.1", port);
  Api op("127.0.0.1", port, token);
  // The portal: index and its assets, under 200 KB for the first load.
  HttpReply index = anon.Get("/");
  ASSERT_EQ(index.status, 200) << index.Describe();
  EXPECT_EQ(index.content_type.rfind("text/html", 0), 0u);
  size_t js = index.body.find("/assets/app-"), css = index.body.find("/assets/app-", js + 1);
  ASSERT_NE(js, std::string::npos) << index.body;
  size_t total = index.body.size();
  for (size_t at : {js, css}) {
    if (at == std::string::npos) continue;
    std::string path = index.body.substr(at, index.body.find('"', at) - at);
    HttpReply a = anon.Get(path);
    ASSERT_EQ(a.status, 200) << path;
    auto cc = a.headers.find("Cache-Control");
    ASSERT_NE(cc, a.headers.end());
    EXPECT_NE(cc->second.find("immutable"), std::string::npos);
    total += a.body.size();
  }
  EXPECT_LT(total, 200u * 1024) << "first page load: " << total << " bytes";
  EXPECT_EQ(anon.Get("/assets/no-such-file.js").status, 404);
  // The card's QR target is a portal page that still reads without scripts.
  HttpReply page = anon.Get("/verify/" + character);
  ASSERT_EQ(page.status, 200) << page.Describe();
  EXPECT_NE(page.body.find("Hoshino Lumi"), std::string::npos);
  EXPECT_NE(page.body.find("<script type=\"module\" src=\"/assets/app-"), std::string::npos);
  EXPECT_NE(page.body.find("valid card " + demo.value("card_serial", "")), std::string::npos);

  // The demo's facts, through the API: the agreement is in force (every party
  // signed), both months are settled, the poster verifies.
  EXPECT_EQ(op.Get("/v1/whoami").status, 200);
  HttpReply agreement = op.Get("/v1/agreements/" + demo.value("agreement", ""));
  ASSERT_EQ(agreement.status, 200) << agreement.Describe();
  EXPECT_TRUE(agreement.json().value("in_force", Json()).is_string()) << agreement.body;
  ASSERT_EQ(demo["runs"].size(), 2u);
  for (const auto& run : demo["runs"]) {
    HttpReply r = op.Get("/v1/settlements/" + run.value("id", ""));
    EXPECT_EQ(r.status, 200) << r.Describe();
    EXPECT_GT(r.json().value("net_receipts", 0), 0) << r.body;
  }
  std::string poster = Slurp(demo.value("poster", ""));
  ASSERT_FALSE(poster.empty());
  HttpReply v = anon.Send("POST", "/v1/content/verify", poster,
                          {{"Content-Type", "application/octet-stream"}});
  ASSERT_EQ(v.status, 200) << v.Describe();
  EXPECT_EQ(v.json().value("verdict", ""), "trusted") << v.body;
  const int64_t size = LogSize(anon);
  EXPECT_GT(size, 40);

  // The browser suite, against this server.
  if (access("/usr/bin/chromium", X_OK) != 0) {
    ADD_FAILURE() << "/usr/bin/chromium is missing (scripts/setup.sh installs it)";
  } else {
    std::string suite;
    ASSERT_TRUE(PrepareBrowserSuite(&suite)) << "npm ci failed; see " << suite << "/npm-ci.log";
    const std::string out = VTRUST_PORTAL_OUTPUT_DIR;
    Sh("rm -rf " + out + " && mkdir -p " + out);
    std::string cmd = "cd " + suite + " && VTRUST_URL=" + origin + " VTRUST_DEMO=" + data +
                      "/demo/demo.json VTRUST_OUT=" + out + " node portal.mjs > " + out +
                      "/browser.log 2>&1";
    int rc = Sh(cmd);
    EXPECT_EQ(rc, 0) << Slurp(out + "/browser.log");
    for (const char* shot : {"character-en.png", "character-zh.png", "work-en.png"})
      EXPECT_EQ(access((out + "/" + shot).c_str(), R_OK), 0) << shot;
  }

  // A restart with --demo loads nothing again.
  const int64_t before = LogSize(anon);
  EXPECT_EQ(server->Stop(), 0) << server->Describe();
  server = std::make_unique<DemoServer>(data, port, tmp.Sub("out2"), tmp.Sub("err2"));
  ASSERT_TRUE(server->Ready()) << server->Describe();
  printed = Slurp(tmp.Sub("out2"));
  EXPECT_NE(printed.find("vtrust demo already loaded"), std::string::npos) << printed;
  EXPECT_EQ(LogSize(anon), before);
  Json again = Json::parse(Slurp(data + "/demo/demo.json"), nullptr, false);
  EXPECT_EQ(again.value("character", ""), character);
}

}  // namespace
}  // namespace vt::testing
