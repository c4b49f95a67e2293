// What a newcomer (and a payee) meets first, through the real binary: the URLs
// certificates and QR codes point at follow the port `vtrust serve` listens on
// (docs/operations.md "public_url"); remote commands read VTRUST_SERVER, accept a
// trailing slash and say what failed and where; mistyped commands are named with
// their nearest match; `--version`; CSV files with a byte order mark; one row
// numbering in import errors; `card prove --submit` exits 1 on an invalid verdict;
// `agreement sign --version N` names the hash; plurals; a witness refuses a port in
// use; long names (CJK and Latin) stay inside the printed card (docs/i-am-me.md).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <png.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "tests/harness.h"
#include "tests/witness_process.h"

namespace vt::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Spit(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}

// Runs a shell command; its stdout (stderr discarded), without a trailing newline.
std::string Sh(const std::string& cmd, int* status = nullptr) {
  std::string out;
  FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  if (status != nullptr) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// A TCP port on 127.0.0.1 that was free a moment ago (bound to 0, then closed).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  close(fd);
  return port;
}

void ExpectErrorLine(const CliResult& r, const std::string& want) {
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find(want), std::string::npos) << "want: " << want << "\n" << r.Describe();
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.Describe();
}

// One initialized data directory and `vtrust serve` on it (port 0: a free port,
// never 8080), shared by the tests that need a server.
class NewcomerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    auto init = InitDataDir(tmp_->Sub("data"));
    ASSERT_TRUE(init);
    token_ = init->token;
    org_ = init->org_id;
    member_ = init->member_id;
    std::string error;
    srv_ = ServerProcess::Start(tmp_->Sub("data"), {"--access-log", "off"}, &error).release();
    ASSERT_NE(srv_, nullptr) << error;
  }
  static void TearDownTestSuite() {
    delete srv_;
    delete tmp_;
  }
  static std::string Dir() { return tmp_->Sub("data"); }
  // `vtrust ARGS --server URL --token T`.
  static CliResult Remote(std::vector<std::string> args) {
    args.insert(args.end(), {"--server", srv_->url(), "--token", token_});
    return RunCli(args);
  }
  // Registers a character (remote); returns its id.
  static std::string Character(const std::string& name) {
    CliResult r = Remote({"character", "register", "--name", name, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    return r.json().value("id", "");
  }

  static TempDir* tmp_;
  static ServerProcess* srv_;
  static std::string token_, org_, member_;
};
TempDir* NewcomerTest::tmp_ = nullptr;
ServerProcess* NewcomerTest::srv_ = nullptr;
std::string NewcomerTest::token_, NewcomerTest::org_, NewcomerTest::member_;

// ---- public_url follows --listen ----------------------------------------------------

// init sets no public_url, so a server on any port (here a free one, not 8080) writes
// its own address into the cards: OCSP and CA-issuer URLs answer, the QR code too.
TEST_F(NewcomerTest, CardUrlsPointAtTheServedPort) {
  EXPECT_EQ(Slurp(Dir() + "/config.toml").find("\npublic_url"), std::string::npos)
      << Slurp(Dir() + "/config.toml");
  std::string id = Character("Port Test");
  std::string card = tmp_->Sub("port-card.pem");
  CliResult r = Remote({"card", "issue", id, "--alg", "p256", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  Spit(card, r.json().value("certificate", ""));
  Spit(tmp_->Sub("port-chain.pem"), r.json().value("chain", ""));
  EXPECT_EQ(Sh("openssl x509 -in " + card + " -noout -ocsp_uri"), srv_->url() + "/pki/ocsp/p256");
  std::string crl = Sh("openssl x509 -in " + card + " -noout -ext crlDistributionPoints");
  EXPECT_NE(crl.find("URI:" + srv_->url() + "/pki/crl/p256.crl"), std::string::npos) << crl;
  // The OCSP URL in the card answers: openssl asks it.
  std::string roots = tmp_->Sub("port-root.pem");
  CliResult ca = Remote({"ca", "roots", "--json"});
  ASSERT_EQ(ca.exit_code, 0) << ca.Describe();
  Spit(roots, ca.json().value("p256", ""));
  std::string ocsp =
      Sh("openssl ocsp -issuer " + tmp_->Sub("port-chain.pem") + " -cert " + card + " -CAfile " +
         roots + " -url $(openssl x509 -in " + card + " -noout -ocsp_uri) 2>&1");
  EXPECT_NE(ocsp.find(": good"), std::string::npos) << ocsp;
  // Local mode on the same directory uses the address the server was last served at.
  r = RunCli({"card", "issue", Character("Port Test Local"), "--data", Dir(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  Spit(card, r.json().value("certificate", ""));
  EXPECT_EQ(Sh("openssl x509 -in " + card + " -noout -ocsp_uri"), srv_->url() + "/pki/ocsp/p256");
  // No warning: the derived URL is this server's.
  EXPECT_EQ(srv_->Stderr().find("warning: public_url"), std::string::npos) << srv_->Stderr();
}

// A configured public_url wins, and `serve` says when it is not where it listens.
TEST(PublicUrl, ConfiguredUrlIsKeptAndServeWarnsWhenItDisagrees) {
  TempDir tmp;
  auto init = InitDataDir(tmp.Sub("d"), {"--public-url", "http://id.example"});
  ASSERT_TRUE(init);
  std::string error;
  auto srv = ServerProcess::Start(tmp.Sub("d"), {"--access-log", "off"}, &error);
  ASSERT_TRUE(srv) << error;
  CliResult r = RunCli({"character", "register", "--name", "Far", "--json", "--server", srv->url(),
                        "--token", init->token});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  r = RunCli({"card", "issue", r.json().value("id", ""), "--json", "--server", srv->url(),
              "--token", init->token});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  Spit(tmp.Sub("c.pem"), r.json().value("certificate", ""));
  EXPECT_EQ(Sh("openssl x509 -in " + tmp.Sub("c.pem") + " -noout -ocsp_uri"),
            "http://id.example/pki/ocsp/p256");
  EXPECT_EQ(srv->Stop(), 0);
  std::string err = srv->Stderr();
  EXPECT_NE(err.find("warning: public_url http://id.example"), std::string::npos) << err;
  EXPECT_NE(err.find(srv->url()), std::string::npos) << err;
}

// ---- remote mode: VTRUST_SERVER, trailing slashes, what failed -------------------------

TEST_F(NewcomerTest, LogVkeyReadsVtrustServer) {
  CliResult local = RunCli({"log", "vkey", "--data", Dir()});
  ASSERT_EQ(local.exit_code, 0) << local.Describe();
  CliResult env = RunCli({"log", "vkey"}, {{"VTRUST_SERVER", srv_->url()}});
  EXPECT_EQ(env.exit_code, 0) << env.Describe();
  EXPECT_EQ(env.out, local.out);
  // --data on the command line beats the environment: local mode.
  CliResult both =
      RunCli({"org", "list", "--data", Dir(), "--json"}, {{"VTRUST_SERVER", "http://127.0.0.1:1"}});
  EXPECT_EQ(both.exit_code, 0) << both.Describe();
}

TEST_F(NewcomerTest, TrailingSlashInServerUrl) {
  for (std::string url : {srv_->url() + "/", srv_->url() + "//"}) {
    SCOPED_TRACE(url);
    CliResult r = RunCli({"org", "list", "--json", "--server", url, "--token", token_});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    r = RunCli({"whoami", "--json"}, {{"VTRUST_SERVER", url}, {"VTRUST_TOKEN", token_}});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    r = RunCli({"log", "vkey", "--server", url});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
  }
}

TEST_F(NewcomerTest, UnreachableServerSaysWhatFailedAndWhere) {
  // Refused: a port nobody listens on.
  const int closed = FreePort();
  const std::string refused = "http://127.0.0.1:" + std::to_string(closed);
  ExpectErrorLine(RunCli({"org", "list", "--server", refused, "--token", token_}),
                  "GET " + refused + "/v1/orgs: connection refused");
  // DNS: a name that never resolves (RFC 6761).
  ExpectErrorLine(
      RunCli({"org", "list", "--server", "http://no-such-host.invalid:8080", "--token", token_}),
      "GET http://no-such-host.invalid:8080/v1/orgs: cannot resolve host no-such-host.invalid");
  // TLS: https to a server that speaks plain HTTP.
  std::string https = "https://127.0.0.1:" + std::to_string(srv_->port());
  ExpectErrorLine(RunCli({"org", "list", "--server", https, "--token", token_}),
                  "GET " + https + "/v1/orgs: TLS");
  // The same words from `log vkey`.
  ExpectErrorLine(RunCli({"log", "vkey", "--server", refused}),
                  "GET " + refused + "/log/vkey: connection refused");
}

// ---- the command line itself ------------------------------------------------------------

TEST(CommandLine, UnknownCommandNamesTheNearestOne) {
  ExpectErrorLine(RunCli({"charcter", "list"}),
                  "unknown command 'charcter' (did you mean 'character'?)");
  ExpectErrorLine(RunCli({"card", "isue", "VC-1"}),
                  "unknown command 'isue' for 'vtrust card' (did you mean 'issue'?)");
  ExpectErrorLine(RunCli({"--json", "card", "--data", "/nowhere", "revok", "AB"}),
                  "unknown command 'revok' for 'vtrust card' (did you mean 'revoke'?)");
  ExpectErrorLine(RunCli({"settle", "runn"}),
                  "unknown command 'runn' for 'vtrust settle' (did you mean 'run'?)");
  // Far from every command: the list of commands instead of a guess.
  CliResult r = RunCli({"org", "frobnicate"});
  ExpectErrorLine(r, "unknown command 'frobnicate' for 'vtrust org'; commands: ");
  EXPECT_NE(r.err.find("create"), std::string::npos) << r.Describe();
  // Not a command typo: the parser's own words stay.
  ExpectErrorLine(RunCli({"org", "show"}), "ORG");
  EXPECT_EQ(RunCli({"character", "--help"}).exit_code, 0);
}

TEST(CommandLine, VersionNamesTheGitCommit) {
  CliResult r = RunCli({"--version"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  int status = 0;
  std::string head =
      Sh("git -C " + std::string(VTRUST_SOURCE_DIR) + " rev-parse --short=12 HEAD", &status);
  std::string want = status == 0 && !head.empty() ? head : "unknown";
  EXPECT_NE(r.out.find("vtrust "), std::string::npos) << r.Describe();
  EXPECT_NE(r.out.find("(git " + want), std::string::npos) << "want " << want << "\n"
                                                           << r.Describe();
}

// ---- revenue files ------------------------------------------------------------------------

constexpr const char* kHeader =
    "idempotency_key,work,amount_minor,currency,territory,channel,period,external_ref";

TEST_F(NewcomerTest, CsvImportAcceptsABomAndNumbersRowsOneWay) {
  // Revenue is for a registered work (docs/settlement.md, "Revenue import").
  CliResult w = RunCli({"work", "register", "--type", "concert", "--title", "en=Rows", "--sha256",
                        std::string(64, 'c'), "--holder", "copyright=" + org_ + ":10000", "--data",
                        Dir(), "--json"});
  ASSERT_EQ(w.exit_code, 0) << w.Describe();
  const std::string work = w.json().value("id", "");
  auto in_work = [&](std::string csv) {
    for (size_t at; (at = csv.find("wrk_x")) != std::string::npos;) csv.replace(at, 5, work);
    return csv;
  };
  std::string bom = tmp_->Sub("bom.csv");
  Spit(bom, in_work("\xEF\xBB\xBF" + std::string(kHeader) +
                    "\r\nbom-1,wrk_x,100,CNY,CN,ticketing,2026-10,\r\n"));
  CliResult r = RunCli({"revenue", "import", bom, "--data", Dir()});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.out, "imported 1 of 1 line (0 already known) in 1 logged batch\n");
  // Two rows with one key and different content: refused before anything is sent,
  // naming both rows as the reader numbers them (header = row 0).
  std::string dup = tmp_->Sub("dup.csv");
  Spit(dup, in_work(std::string(kHeader) + "\ndup-1,wrk_x,100,CNY,CN,ticketing,2026-10,\n"
                                           "dup-2,wrk_x,100,CNY,CN,ticketing,2026-10,\n"
                                           "dup-3,wrk_x,100,CNY,CN,ticketing,2026-10,\n"
                                           "dup-1,wrk_x,999,CNY,CN,ticketing,2026-10,\n"));
  ExpectErrorLine(RunCli({"revenue", "import", dup, "--data", Dir()}),
                  "row 4, column idempotency_key: 'dup-1' is already used by row 1");
  // A key already stored with other content: the server's refusal, in rows too.
  std::string clash = tmp_->Sub("clash.csv");
  Spit(clash, in_work(std::string(kHeader) + "\nnew-1,wrk_x,100,CNY,CN,ticketing,2026-10,\n"
                                             "bom-1,wrk_x,555,CNY,CN,ticketing,2026-10,\n"));
  r = RunCli({"revenue", "import", clash, "--data", Dir()});
  ExpectErrorLine(r, "row 2, column idempotency_key: 'bom-1' is already used");
  EXPECT_EQ(r.err.find("lines["), std::string::npos) << r.Describe();
}

// ---- "I am me" and agreements -----------------------------------------------------------

TEST_F(NewcomerTest, ProveSubmitExitsNonZeroOnAnInvalidVerdict) {
  std::string id = Character("Prover");
  CliResult r = Remote({"card", "issue", id, "--alg", "ed25519", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::string serial = r.json().value("serial", "");
  auto challenge = [&] {
    CliResult c = Remote({"card", "challenge", id, "--audience", "https://a.example", "--json"});
    EXPECT_EQ(c.exit_code, 0) << c.Describe();
    std::string path = tmp_->Sub("ch-" + std::to_string(rand()) + ".json");
    Spit(path, c.out);
    return path;
  };
  r = RunCli({"card", "prove", "--challenge", challenge(), "--serial", serial, "--data", Dir(),
              "--submit", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.json().value("verdict", ""), "valid") << r.Describe();
  // The verifier expects another audience: a signed "invalid" verdict, exit 1.
  r = RunCli({"card", "prove", "--challenge", challenge(), "--serial", serial, "--data", Dir(),
              "--audience", "https://b.example", "--submit", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_EQ(r.json().value("verdict", ""), "invalid") << r.Describe();
}

TEST_F(NewcomerTest, AgreementSignByNumberNamesTheHash) {
  CliResult w = RunCli({"work", "register", "--type", "concert", "--title", "en=Numbers",
                        "--sha256", std::string(64, 'b'), "--holder",
                        "copyright=" + org_ + ":10000", "--data", Dir(), "--json"});
  ASSERT_EQ(w.exit_code, 0) << w.Describe();
  Json terms = {{"currency", "CNY"},
                {"parties", {{{"id", org_}, {"name", "Operator"}, {"role", "IP owner"}}}},
                {"tiers",
                 {{{"id", "all"},
                   {"kind", "shares"},
                   {"unit", "bp"},
                   {"shares", {{{"payee", org_}, {"weight", 10000}}}}}}}};
  Spit(tmp_->Sub("terms.json"), terms.dump());
  CliResult a = RunCli({"agreement", "create", "--work", w.json().value("id", ""), "--terms",
                        tmp_->Sub("terms.json"), "--data", Dir(), "--json"});
  ASSERT_EQ(a.exit_code, 0) << a.Describe();
  std::string id = a.json().value("id", "");
  std::string hash = a.json()["versions"][0].value("hash", "");
  ASSERT_EQ(hash.size(), 64u) << a.Describe();
  Spit(tmp_->Sub("nokey.pem"), "");
  CliResult r = RunCli({"agreement", "sign", id, "--version", "1", "--key", tmp_->Sub("nokey.pem"),
                        "--cert", tmp_->Sub("nokey.pem"), "--data", Dir()});
  ExpectErrorLine(r, "version 1 of " + id + " is --version " + hash);
  r = RunCli({"agreement", "sign", id, "--version", "7", "--key", tmp_->Sub("nokey.pem"), "--cert",
              tmp_->Sub("nokey.pem"), "--data", Dir()});
  ExpectErrorLine(r, "--version takes the version's hash");
}

// ---- the witness's port -----------------------------------------------------------------

TEST_F(NewcomerTest, SecondWitnessOnATakenPortFails) {
  TempDir w;
  std::string vkey = Sh(VtrustBinary() + " log vkey --data " + Dir());
  for (const char* name : {"w1", "w2"}) {
    ASSERT_EQ(RunCli({"witness", "init", "--data", w.Sub(name), "--name",
                      std::string("w.example/") + name})
                  .exit_code,
              0);
    ASSERT_EQ(RunCli({"witness", "add-log", "--data", w.Sub(name), "--vkey", vkey}).exit_code, 0);
  }
  std::string error;
  auto first = WitnessProcess::Start(w.Sub("w1"), &error);
  ASSERT_TRUE(first) << error;
  const std::string taken = "127.0.0.1:" + std::to_string(first->port());
  CliResult r = RunCli({"witness", "serve", "--data", w.Sub("w2"), "--listen", taken}, {},
                       std::chrono::seconds(30));
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("address in use"), std::string::npos) << r.Describe();
}

// ---- the printed card -----------------------------------------------------------------

// An RGB image read with libpng's simplified API.
struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;
  bool Dark(int x, int y) const {
    const unsigned char* p = &rgb[3 * (static_cast<size_t>(y) * width + x)];
    return p[0] * 299 + p[1] * 587 + p[2] * 114 < 110 * 1000;  // luma below 110
  }
};

bool ReadPng(const std::string& path, Image* out) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&img, path.c_str())) return false;
  img.format = PNG_FORMAT_RGB;
  out->width = static_cast<int>(img.width);
  out->height = static_cast<int>(img.height);
  out->rgb.resize(PNG_IMAGE_SIZE(img));
  if (!png_image_finish_read(&img, nullptr, out->rgb.data(), 0, nullptr)) return false;
  return true;
}

// The card is 856 x 540 user units with 32 of margin; the name's line is the band
// between the header (ends at y 72) and the next line (y 142). Rendered 1:1 by
// rsvg-convert with the system's fonts (a CJK font: fonts-wqy-microhei), no name
// may reach into the right margin, and every name must be on the card at all.
TEST_F(NewcomerTest, LongNamesStayInsideThePrintedCard) {
  if (Sh("command -v rsvg-convert").empty()) GTEST_SKIP() << "rsvg-convert (librsvg2-bin) missing";
  const std::vector<std::string> names = {
      // 24 CJK ideographs: 24 em wide, twice the room of 24 Latin letters.
      "星光闪耀的虚拟偶像歌姬初音未来艾莉亚星河璀璨永恒之歌",
      // Wide Latin letters past the old 28-character cut.
      "Wolfgang Maximilian Wuthering-Montgomery",
      "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
  };
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    std::string id = Character(name);
    ASSERT_FALSE(id.empty());
    std::string svg = tmp_->Sub(id + ".svg"), png = tmp_->Sub(id + ".png");
    CliResult r = RunCli({"card", "render", id, "--out", svg, "--data", Dir()});
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
    int status = -1;
    Sh("rsvg-convert -w 856 -h 540 -b white -o " + png + " " + svg, &status);
    ASSERT_EQ(status, 0);
    Image img;
    ASSERT_TRUE(ReadPng(png, &img));
    ASSERT_EQ(img.width, 856);
    ASSERT_EQ(img.height, 540);
    int rightmost = -1, inked = 0;
    for (int y = 78; y < 140; ++y) {
      for (int x = 200; x < img.width; ++x) {
        if (!img.Dark(x, y)) continue;
        ++inked;
        rightmost = std::max(rightmost, x);
      }
    }
    EXPECT_GT(inked, 200) << "the name is not drawn";
    EXPECT_LE(rightmost, 856 - 32) << "the name runs into the card's right margin or off it";
  }
}

}  // namespace
}  // namespace vt::testing
