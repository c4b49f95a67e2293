// End-to-end: the transparency-log tools of docs/tlog.md ("Verification tools" and
// "Must be demonstrated"): `vtrust log vkey`, `log verify` against a live
// server and against a static export served by nginx with the documented
// configuration (docs/nginx-static-log.conf), tampering with every kind of
// resource, fork and rollback detection through --state, and offline receipt
// checking with `log proof verify|get`.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "base/encoding.h"
#include "tests/harness.h"

extern char** environ;

namespace vt::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string Header(const HttpReply& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  return "";
}

// Creates `n` organizations with 8 concurrent clients (writes are group-committed).
void CreateOrgs(const ServerProcess& srv, const std::string& token, const std::string& prefix,
                int n) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Api api = srv.Client(token);
      for (int i = t; i < n; i += 8) {
        HttpReply r = api.Post("/v1/orgs", {{"name", prefix + std::to_string(i)}});
        if (r.status != 201) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
}

CliResult Verify(const std::string& url, const std::string& vkey, const std::string& state = "") {
  std::vector<std::string> args = {"log", "verify", url, "--vkey", vkey, "--json"};
  if (!state.empty()) args.insert(args.end(), {"--state", state});
  return RunCli(args);
}

// The repository's docs/ (tests/CMakeLists.txt passes the source directory: __FILE__
// may be relative when the compiler launcher rewrites paths).
std::string DocsDir() { return std::string(VTRUST_SOURCE_DIR) + "/docs"; }

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// nginx in the foreground with the documented server block, serving `root`
// (which holds log/...) on 127.0.0.1. Killed on destruction.
class Nginx {
 public:
  explicit Nginx(const std::string& root) {
    std::string conf = ReadAll(DocsDir() + "/nginx-static-log.conf");
    port_ = FreePort();
    Replace(&conf, "listen 80;", "listen 127.0.0.1:" + std::to_string(port_) + ";");
    Replace(&conf, "root /srv/vtrust-www;", "root " + root + ";");
    const std::string d = dir_.path();
    WriteAll(dir_.Sub("server.conf"), conf);
    WriteAll(dir_.Sub("nginx.conf"),
             "worker_processes 1;\npid " + d + "/nginx.pid;\nerror_log " + d +
                 "/error.log;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n"
                 "  client_body_temp_path " +
                 d + "/body;\n  proxy_temp_path " + d + "/proxy;\n  fastcgi_temp_path " + d +
                 "/fcgi;\n  uwsgi_temp_path " + d + "/uwsgi;\n  scgi_temp_path " + d +
                 "/scgi;\n  include " + d + "/server.conf;\n}\n");
    std::string globals = geteuid() == 0 ? "daemon off; user root;" : "daemon off;";
    std::vector<std::string> args = {"nginx",          "-p", d,      "-c", d + "/nginx.conf", "-e",
                                     d + "/error.log", "-g", globals};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawnp(&pid_, "nginx", nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
    for (int i = 0; pid_ > 0 && i < 200 && !ready(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ~Nginx() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  bool ready() { return Api("127.0.0.1", port_).Get("/log/vkey").status != 0; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/log"; }
  Api client() const { return Api("127.0.0.1", port_); }
  std::string errors() const { return ReadAll(dir_.Sub("error.log")); }

 private:
  static void Replace(std::string* s, const std::string& from, const std::string& to) {
    size_t at = s->find(from);
    ASSERT_NE(at, std::string::npos) << from;
    s->replace(at, from.size(), to);
  }
  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// One server for the tests that need a live log.
class LogToolsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto info = InitDataDir(dir_->Sub("data"));
    ASSERT_TRUE(info.has_value());
    token_ = info->token;
    std::string error;
    server_ = ServerProcess::Start(dir_->Sub("data"), {"--access-log", "off"}, &error).release();
    ASSERT_NE(server_, nullptr) << error;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  static std::string Data() { return dir_->Sub("data"); }
  static std::string LogUrl() { return server_->url() + "/log"; }
  static std::string Vkey() { return Trim(RunCli({"log", "vkey", "--data", Data()}).out); }
  static std::string Checkpoint() { return server_->Client().Get("/log/checkpoint").body; }
  static int64_t Size() {
    std::string cp = Checkpoint();
    size_t a = cp.find('\n') + 1;
    return std::stoll(cp.substr(a, cp.find('\n', a) - a));
  }

  static TempDir* dir_;
  static ServerProcess* server_;
  static std::string token_;
};
TempDir* LogToolsTest::dir_ = nullptr;
ServerProcess* LogToolsTest::server_ = nullptr;
std::string LogToolsTest::token_;

TEST_F(LogToolsTest, VkeyLocallyRemotelyAndOverHttpAgree) {
  std::string vkey = Vkey();
  EXPECT_NE(vkey.find('+'), std::string::npos) << vkey;
  CliResult remote = RunCli({"log", "vkey", "--server", server_->url()});
  ASSERT_EQ(remote.exit_code, 0) << remote.Describe();
  EXPECT_EQ(Trim(remote.out), vkey);
  EXPECT_EQ(Trim(server_->Client().Get("/log/vkey").body), vkey);
  CliResult bad = Verify(LogUrl(), "not-a-key");
  EXPECT_EQ(bad.exit_code, 2) << bad.Describe();
  EXPECT_NE(bad.err.find("--vkey"), std::string::npos) << bad.Describe();
}

TEST_F(LogToolsTest, VerifiesLiveLogAndProvesConsistencyWithSavedState) {
  TempDir tmp;
  const std::string state = tmp.Sub("state"), vkey_file = tmp.Sub("vkey");
  CreateOrgs(*server_, token_, "live-a-", 5);
  CliResult first = Verify(LogUrl(), Vkey(), state);
  ASSERT_EQ(first.exit_code, 0) << first.Describe();
  const int64_t size1 = first.json()["size"].get<int64_t>();
  EXPECT_EQ(size1, Size());
  EXPECT_EQ(first.json()["entries"], size1);
  EXPECT_TRUE(first.json()["previous"].is_null());
  EXPECT_EQ(ReadAll(state), Checkpoint());  // the verified checkpoint, verbatim

  CreateOrgs(*server_, token_, "live-b-", 3);
  WriteAll(vkey_file, Vkey() + "\n");
  CliResult second = Verify(LogUrl(), "@" + vkey_file, state);
  ASSERT_EQ(second.exit_code, 0) << second.Describe();
  EXPECT_EQ(second.json()["previous"]["size"], size1);
  EXPECT_EQ(second.json()["size"], size1 + 3);
  EXPECT_EQ(ReadAll(state), Checkpoint());
}

struct Flip {
  std::string resource;  // relative to the log prefix
  size_t offset;
  std::string expect;  // in the one-line error
};

TEST_F(LogToolsTest, StaticExportServedByNginxAndTamperingIsCaught) {
  if (system("command -v nginx >/dev/null 2>&1") != 0) GTEST_SKIP() << "nginx not installed";
  CreateOrgs(*server_, token_, "static-", 300);  // > 256 entries: full and partial tiles
  TempDir www;
  const std::string out = www.Sub("log");
  CliResult e1 = RunCli({"log", "export", "--data", Data(), "--out", out, "--json"});
  ASSERT_EQ(e1.exit_code, 0) << e1.Describe();
  const int64_t size1 = e1.json()["size"].get<int64_t>();
  ASSERT_GT(size1, 256);
  CreateOrgs(*server_, token_, "static2-", 20);
  CliResult e2 = RunCli({"log", "export", "--from", LogUrl(), "--out", out, "--json"});
  ASSERT_EQ(e2.exit_code, 0) << e2.Describe();
  const int64_t size = e2.json()["size"].get<int64_t>();
  ASSERT_GT(e2.json()["kept"].get<int>(), 0);  // the full tiles of the first export
  const std::string w1 = std::to_string(size1 - 256), w = std::to_string(size - 256);

  Nginx nginx(www.path());
  ASSERT_TRUE(nginx.ready()) << nginx.errors();
  CliResult ok = Verify(nginx.url(), Vkey());
  ASSERT_EQ(ok.exit_code, 0) << ok.Describe() << nginx.errors();
  EXPECT_EQ(ok.json()["size"], size);

  // The documented headers.
  Api web = nginx.client();
  HttpReply cp = web.Get("/log/checkpoint");
  EXPECT_EQ(cp.content_type, "text/plain; charset=utf-8");
  EXPECT_NE(Header(cp, "Cache-Control").find("no-cache"), std::string::npos);
  HttpReply full = web.Get("/log/tile/0/000");
  EXPECT_EQ(full.content_type, "application/octet-stream");
  EXPECT_NE(Header(full, "Cache-Control").find("immutable"), std::string::npos);
  HttpReply old_partial = web.Get("/log/tile/0/001.p/" + w1);  // an older published size
  EXPECT_EQ(old_partial.status, 200);
  EXPECT_EQ(Header(old_partial, "Cache-Control"), "public, max-age=60");
  HttpReply bundle = web.Send("GET", "/log/tile/entries/000", "", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(Header(bundle, "Content-Encoding"), "gzip");
  EXPECT_EQ(web.Get("/log/tile/0/000.tmp1").status, 404);

  const size_t size_line = ReadAll(out + "/checkpoint").find('\n') + 1;
  const std::vector<Flip> flips = {
      {"tile/0/000", 5 * 32 + 3, "tile/0/000: hash 5 (leaf 5)"},
      {"tile/0/001.p/" + w, 32 + 1, "tile/0/001.p/" + w + ": hash 1 (leaf 257)"},
      {"tile/1/000.p/1", 7, "tile/1/000.p/1: hash 0 (leaves 0..255)"},
      {"tile/entries/000", 12, "so tile/entries/000 was altered"},
      {"tile/entries/000", 0, "tile/entries/000:"},
      {"tile/entries/001.p/" + w, 40, "so tile/entries/001.p/" + w + " was altered"},
      {"checkpoint", size_line, "checkpoint: signature does not verify with"},
      {"checkpoint", size_line + 6, "checkpoint: signature does not verify with"},
  };
  for (const Flip& f : flips) {
    const std::string path = out + "/" + f.resource, good = ReadAll(path);
    std::string bad = good;
    bad[f.offset] ^= 0x01;
    WriteAll(path, bad);
    CliResult r = Verify(nginx.url(), Vkey());
    WriteAll(path, good);
    EXPECT_EQ(r.exit_code, 1) << f.resource << ": " << r.Describe();
    EXPECT_NE(r.err.find(f.expect), std::string::npos) << f.expect << "\n" << r.Describe();
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
  }
  // Any single flipped byte in any served file fails (deterministic sample).
  std::vector<std::string> files = {"checkpoint",        "tile/0/000",
                                    "tile/0/001.p/" + w, "tile/1/000.p/1",
                                    "tile/entries/000",  "tile/entries/001.p/" + w};
  std::mt19937 rng(1234);
  for (int i = 0; i < 12; ++i) {
    const std::string path = out + "/" + files[rng() % files.size()], good = ReadAll(path);
    std::string bad = good;
    bad[rng() % bad.size()] ^= static_cast<char>(1 << (rng() % 8));
    WriteAll(path, bad);
    CliResult r = Verify(nginx.url(), Vkey());
    WriteAll(path, good);
    EXPECT_NE(r.exit_code, 0) << path << ": " << r.Describe();
  }
  CliResult again = Verify(nginx.url(), Vkey());
  EXPECT_EQ(again.exit_code, 0) << again.Describe();
}

// Local-mode helpers for the fork test: no server, the data directory itself.
void LocalOrg(const std::string& data, const std::string& name) {
  CliResult r = RunCli({"org", "create", name, "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
}

void Export(const std::string& data, const std::string& out) {
  CliResult r = RunCli({"log", "export", "--data", data, "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
}

// Two copies of one data directory (same log key) that diverge after size 5.
TEST(LogForkTest, ForkAndRollbackAreCaughtThroughTheSavedState) {
  TempDir tmp;
  const std::string a = tmp.Sub("a"), b = tmp.Sub("b"), state = tmp.Sub("state");
  ASSERT_TRUE(InitDataDir(a).has_value());
  for (int i = 0; i < 3; ++i) LocalOrg(a, "shared-" + std::to_string(i));
  fs::copy(a, b, fs::copy_options::recursive);
  LocalOrg(a, "only-in-a");
  LocalOrg(b, "only-in-b");
  Export(a, tmp.Sub("wa"));
  Export(b, tmp.Sub("wb"));
  const std::string vkey = Trim(RunCli({"log", "vkey", "--data", a}).out);
  ASSERT_EQ(Trim(RunCli({"log", "vkey", "--data", b}).out), vkey);

  CliResult ra = Verify(tmp.Sub("wa"), vkey, state);
  ASSERT_EQ(ra.exit_code, 0) << ra.Describe();
  // init logs org.registered, member.added and ca.initialized; then 3 + 1 orgs.
  ASSERT_EQ(ra.json()["size"], 7);
  const std::string saved = ReadAll(state);
  // B verifies on its own (same key, a valid log) ...
  CliResult alone = Verify("file://" + tmp.Sub("wb"), vkey);
  ASSERT_EQ(alone.exit_code, 0) << alone.Describe();
  // ... but not after A: same size, another root.
  CliResult fork = Verify(tmp.Sub("wb"), vkey, state);
  EXPECT_EQ(fork.exit_code, 1) << fork.Describe();
  EXPECT_NE(fork.err.find("fork detected"), std::string::npos) << fork.Describe();
  EXPECT_NE(fork.err.find("same size 7"), std::string::npos) << fork.Describe();
  EXPECT_EQ(ReadAll(state), saved);  // a failed run never replaces the state
  // B grows: the consistency proof from A's checkpoint does not verify.
  LocalOrg(b, "only-in-b-2");
  Export(b, tmp.Sub("wb"));
  CliResult grown = Verify(tmp.Sub("wb"), vkey, state);
  EXPECT_EQ(grown.exit_code, 1) << grown.Describe();
  EXPECT_NE(grown.err.find("fork detected"), std::string::npos) << grown.Describe();
  EXPECT_NE(grown.err.find("consistency proof does not verify"), std::string::npos)
      << grown.Describe();
  EXPECT_EQ(ReadAll(state), saved);
  // A grows honestly: consistent.
  fs::copy(tmp.Sub("wa"), tmp.Sub("wa6"), fs::copy_options::recursive);
  LocalOrg(a, "only-in-a-2");
  Export(a, tmp.Sub("wa"));
  CliResult next = Verify(tmp.Sub("wa"), vkey, state);
  ASSERT_EQ(next.exit_code, 0) << next.Describe();
  EXPECT_EQ(next.json()["previous"]["size"], 7);
  // Serving the old export after that is a rollback.
  CliResult old = Verify(tmp.Sub("wa6"), vkey, state);
  EXPECT_EQ(old.exit_code, 1) << old.Describe();
  EXPECT_NE(old.err.find("rollback"), std::string::npos) << old.Describe();
}

CliResult ProofVerify(const std::string& file, const std::string& vkey,
                      std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"log", "proof", "verify", file, "--vkey", vkey, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunCli(args);
}

// Replaces line `n` (0-based) of `text`.
std::string WithLine(const std::string& text, size_t n, const std::string& line) {
  size_t start = 0;
  for (size_t i = 0; i < n; ++i) start = text.find('\n', start) + 1;
  return text.substr(0, start) + line + text.substr(text.find('\n', start));
}

std::string LineOf(const std::string& text, size_t n) {
  size_t start = 0;
  for (size_t i = 0; i < n; ++i) start = text.find('\n', start) + 1;
  return text.substr(start, text.find('\n', start) - start);
}

TEST_F(LogToolsTest, ReceiptsVerifyOfflineAndTamperedOnesDoNot) {
  TempDir tmp;
  const std::string vkey = Vkey();
  CreateOrgs(*server_, token_, "proof-pad-", 10);
  HttpReply w = server_->Client(token_).Post("/v1/orgs", {{"name", "proof-org"}});
  ASSERT_EQ(w.status, 201) << w.Describe();
  const Json receipt = w.json()["receipt"];
  const int64_t index = receipt["index"].get<int64_t>();
  WriteAll(tmp.Sub("response.json"), w.body);
  CliResult r = ProofVerify(tmp.Sub("response.json"), vkey);
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.json()["index"], index);

  const std::string proof = tmp.Sub("entry.tlog-proof");
  CliResult got =
      RunCli({"log", "proof", "get", server_->url(), std::to_string(index), "-o", proof});
  ASSERT_EQ(got.exit_code, 0) << got.Describe();
  r = ProofVerify(proof, vkey, {"--entry", proof + ".entry"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  r = ProofVerify(proof, vkey, {"--leaf-hash", receipt["leaf_hash"].get<std::string>()});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  r = ProofVerify(proof, vkey);
  EXPECT_EQ(r.exit_code, 2) << "which entry? " << r.Describe();

  const std::string text = ReadAll(proof);  // header, index, hashes..., blank, checkpoint
  ASSERT_EQ(LineOf(text, 1), "index " + std::to_string(index));
  std::string h = *Base64Decode(LineOf(text, 2));
  h[0] ^= 0x01;
  WriteAll(tmp.Sub("flipped"), WithLine(text, 2, Base64Encode(h)));
  WriteAll(tmp.Sub("index"), WithLine(text, 1, "index " + std::to_string(index - 1)));
  for (const std::string& bad : {tmp.Sub("flipped"), tmp.Sub("index")}) {
    r = ProofVerify(bad, vkey, {"--entry", proof + ".entry"});
    EXPECT_EQ(r.exit_code, 1) << bad << ": " << r.Describe();
    EXPECT_NE(r.err.find("does not verify against the checkpoint"), std::string::npos)
        << r.Describe();
  }
  // Another entry's bytes.
  WriteAll(tmp.Sub("other.entry"), ReadAll(proof + ".entry") + " ");
  r = ProofVerify(proof, vkey, {"--entry", tmp.Sub("other.entry")});
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  // A JSON receipt with a flipped hash.
  Json bad_receipt = receipt;
  bad_receipt["hashes"][0] = Base64Encode(h);
  WriteAll(tmp.Sub("receipt.json"), bad_receipt.dump());
  r = ProofVerify(tmp.Sub("receipt.json"), vkey);
  EXPECT_EQ(r.exit_code, 1) << r.Describe();

  // A checkpoint signed by another log's key (same origin name, another key).
  const std::string other = tmp.Sub("other");
  ASSERT_TRUE(InitDataDir(other).has_value());
  CliResult o = RunCli({"org", "create", "elsewhere", "--data", other, "--json"});
  ASSERT_EQ(o.exit_code, 0) << o.Describe();
  WriteAll(tmp.Sub("other.json"), o.out);
  const std::string other_vkey = Trim(RunCli({"log", "vkey", "--data", other}).out);
  r = ProofVerify(tmp.Sub("other.json"), other_vkey);
  EXPECT_EQ(r.exit_code, 0) << "valid for its own key: " << r.Describe();
  r = ProofVerify(tmp.Sub("other.json"), vkey);
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_NE(r.err.find("signature does not verify with"), std::string::npos) << r.Describe();
  // Our proof with the other log's checkpoint spliced in.
  const std::string other_cp = o.json()["receipt"]["checkpoint"].get<std::string>();
  WriteAll(tmp.Sub("spliced"), text.substr(0, text.find("\n\n") + 2) + other_cp);
  r = ProofVerify(tmp.Sub("spliced"), vkey, {"--entry", proof + ".entry"});
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_NE(r.err.find("signature does not verify with"), std::string::npos) << r.Describe();
}

}  // namespace
}  // namespace vt::testing
