// End-to-end "I am me" and the printable card (docs/id-card-profile.md;
// docs/i-am-me.md) on the real binary: cards issued with `vtrust card issue`
// (custodial and from CSRs made with the openssl CLI), challenges asked for with
// `vtrust card challenge`, proofs made with `vtrust card prove` and verified by
// the server, verdicts checked offline with `vtrust card verify-proof`; revoked and
// superseded cards fail; replays, expired challenges and wrong audiences are
// refused; card.svg is well-formed XML with escaped names and a QR code that
// decodes to the verification page (zbarimg, when installed), which is public.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/harness.h"

namespace vt::testing {
namespace {

constexpr const char* kAudience = "https://venue.example";

int Sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()); }

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Spit(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// POSTs `body` to 127.0.0.1:`port` from the source address `from` (any of
// 127.0.0.0/8 is loopback on Linux): another client, as the server sees it.
// Returns {status, body}; status 0 on a transport error.
std::pair<int, std::string> PostFrom(const std::string& from, int port, const std::string& path,
                                     const Json& body) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {0, "socket"};
  sockaddr_in src{}, dst{};
  src.sin_family = dst.sin_family = AF_INET;
  inet_pton(AF_INET, from.c_str(), &src.sin_addr);
  inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
  dst.sin_port = htons(static_cast<uint16_t>(port));
  if (bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
    close(fd);
    return {0, "bind/connect from " + from};
  }
  std::string b = body.dump();
  std::string req = "POST " + path +
                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Content-Length: " +
                    std::to_string(b.size()) + "\r\nConnection: close\r\n\r\n" + b;
  for (size_t off = 0; off < req.size();) {
    ssize_t n = write(fd, req.data() + off, req.size() - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  std::string resp;
  char buf[8192];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) resp.append(buf, static_cast<size_t>(n));
  close(fd);
  int status = 0;
  if (resp.rfind("HTTP/1.1 ", 0) == 0) status = std::atoi(resp.c_str() + 9);
  size_t head_end = resp.find("\r\n\r\n");
  return {status, head_end == std::string::npos ? resp : resp.substr(head_end + 4)};
}

class ChallengeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.Sub("data");
    auto init = InitDataDir(dir_);
    ASSERT_TRUE(init);
    token_ = init->token;
    // `vtrust init` created the CA (all three algorithms).
    std::string error;
    srv_ = ServerProcess::Start(dir_, {}, &error);
    ASSERT_TRUE(srv_) << error;
    HttpReply c = srv_->Client(token_).Post("/v1/characters",
                                            {{"name", "Aria <script>&\"'"},
                                             {"names", {{"zh-Hans", "艾莉亚"}, {"ja", "アリア"}}},
                                             {"ai_driven", true}});
    ASSERT_EQ(c.status, 201) << c.Describe();
    character_ = c.json().value("id", "");
    HttpReply k = srv_->Client().Get("/v1/verdict-key");
    ASSERT_EQ(k.status, 200) << k.Describe();
    vkey_ = tmp_.Sub("verdict-key.json");
    Spit(vkey_, k.body);
  }
  CliResult Remote(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", srv_->url(), "--token", token_});
    return RunCli(args);
  }
  // Issues a card; with `key_file` set, from a CSR over a fresh openssl key
  // written there. Returns the serial.
  std::string Issue(const std::string& alg, const std::string& key_file = "") {
    std::vector<std::string> args = {"card", "issue", character_, "--alg", alg, "--json"};
    if (!key_file.empty()) {
      std::string csr = key_file + ".csr";
      std::string gen =
          alg == "p256" ? "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" : "-algorithm ed25519";
      EXPECT_EQ(Sh("openssl genpkey " + gen + " -out " + key_file), 0);
      EXPECT_EQ(Sh("openssl req -new -key " + key_file + " -subj /CN=holder -out " + csr), 0);
      args.insert(args.end(), {"--csr", csr});
    }
    CliResult r = Remote(args);
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    std::string serial = r.json().value("serial", "");
    EXPECT_FALSE(serial.empty()) << r.Describe();
    cert_[serial] = r.json().value("certificate", "");
    return serial;
  }
  // A challenge file from `vtrust card challenge` (remote).
  std::string Challenge(const std::string& audience = kAudience, int ttl = 0) {
    std::vector<std::string> args = {"card",       "challenge", character_,
                                     "--audience", audience,    "--json"};
    if (ttl) args.insert(args.end(), {"--ttl", std::to_string(ttl)});
    CliResult r = Remote(args);
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    EXPECT_EQ(r.json().value("character_id", ""), character_) << r.Describe();
    std::string path = tmp_.Sub("challenge-" + std::to_string(++n_) + ".json");
    Spit(path, r.out);
    return path;
  }
  // `vtrust card prove` with a key file or (local mode) a custodial serial; returns
  // the proof document.
  Json Prove(const std::string& challenge, const std::string& key_or_serial, bool custodial,
             std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"card", "prove", "--challenge", challenge, "--json"};
    if (custodial) {
      args.insert(args.end(), {"--serial", key_or_serial, "--data", dir_});
    } else {
      args.insert(args.end(), {"--key", key_or_serial});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    CliResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    return r.json();
  }
  // POSTs a proof to the server (no token: the route is public); returns the
  // verdict after checking it offline with `vtrust card verify-proof`.
  Json Verify(const Json& proof, int* offline_exit = nullptr) {
    std::string id = proof["challenge"].value("id", "");
    HttpReply r = srv_->Client().Post("/v1/challenges/" + id + "/verify", proof);
    EXPECT_EQ(r.status, 200) << r.Describe();
    std::string path = tmp_.Sub("verdict-" + std::to_string(++n_) + ".json");
    Spit(path, r.body);
    CliResult v = RunCli({"card", "verify-proof", "--verdict", path, "--vkey", vkey_, "--json"});
    bool valid = r.json().value("verdict", "") == "valid";
    EXPECT_EQ(v.exit_code, valid ? 0 : 1) << v.Describe();
    EXPECT_EQ(v.json().value("signature", ""), "ok") << v.Describe();
    if (offline_exit) *offline_exit = v.exit_code;
    last_verdict_ = path;
    return r.json();
  }

  TempDir tmp_;
  std::string dir_, token_, character_, vkey_, last_verdict_;
  std::map<std::string, std::string> cert_;  // by serial
  std::unique_ptr<ServerProcess> srv_;
  int n_ = 0;
};

TEST_F(ChallengeTest, CustodialAndCsrCardsProveForP256AndEd25519) {
  for (std::string alg : {"p256", "ed25519"}) {
    SCOPED_TRACE(alg);
    std::string custodial = Issue(alg);
    Json v = Verify(Prove(Challenge(), custodial, true));
    EXPECT_EQ(v.value("verdict", ""), "valid") << v.dump();
    EXPECT_EQ(v.value("card_serial", ""), custodial);
    EXPECT_EQ(v.value("character_id", ""), character_);
    EXPECT_EQ(v.value("audience", ""), kAudience);
    EXPECT_EQ(v.value("alg", ""), "ed25519");  // the verdict key
    // Renewal from a CSR: the holder's own key; the custodial card is superseded.
    std::string key = tmp_.Sub(alg + "-holder.pem");
    std::string renewed;
    CliResult r = Remote(
        {"card", "renew", custodial, "--csr",
         [&] {
           std::string gen = alg == "p256" ? "-algorithm EC -pkeyopt ec_paramgen_curve:P-256"
                                           : "-algorithm ed25519";
           EXPECT_EQ(Sh("openssl genpkey " + gen + " -out " + key), 0);
           EXPECT_EQ(Sh("openssl req -new -key " + key + " -subj /CN=holder -out " + key + ".csr"),
                     0);
           return key + ".csr";
         }(),
         "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
    renewed = r.json().value("serial", "");
    v = Verify(Prove(Challenge(), key, false, {"--audience", kAudience}));
    EXPECT_EQ(v.value("verdict", ""), "valid") << v.dump();
    EXPECT_EQ(v.value("card_serial", ""), renewed);
    // Rotated: the old (custodial) key no longer proves anything.
    v = Verify(Prove(Challenge(), custodial, true));
    EXPECT_EQ(v.value("verdict", ""), "invalid") << v.dump();
    EXPECT_NE(v.value("reason", "").find("signature"), std::string::npos) << v.dump();
    // ... not even when it names its old card.
    std::string old_pem = tmp_.Sub(alg + "-old.pem");
    Spit(old_pem, cert_[custodial]);
    v = Verify(Prove(Challenge(), custodial, true, {"--cert", old_pem}));
    EXPECT_EQ(v.value("verdict", ""), "invalid") << v.dump();
    EXPECT_NE(v.value("reason", "").find("superseded by " + renewed), std::string::npos)
        << v.dump();
  }
}

TEST_F(ChallengeTest, RevokedCardFails) {
  std::string key = tmp_.Sub("holder.pem");
  std::string serial = Issue("p256", key);
  EXPECT_EQ(Verify(Prove(Challenge(), key, false)).value("verdict", ""), "valid");
  CliResult r = Remote({"card", "revoke", serial, "--reason", "keyCompromise", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  Json v = Verify(Prove(Challenge(), key, false));
  EXPECT_EQ(v.value("verdict", ""), "invalid") << v.dump();
  EXPECT_NE(v.value("reason", "").find("revoked"), std::string::npos) << v.dump();
  // The verification page says so too (public, no token).
  HttpReply page = srv_->Client().Get("/verify/" + character_);
  ASSERT_EQ(page.status, 200) << page.Describe();
  EXPECT_NE(page.body.find("keyCompromise"), std::string::npos) << page.body;
}

TEST_F(ChallengeTest, ReplayExpiryAudienceAndTampering) {
  std::string key = tmp_.Sub("holder.pem");
  Issue("ed25519", key);
  // Replay: the same proof twice.
  Json proof = Prove(Challenge(), key, false);
  EXPECT_EQ(Verify(proof).value("verdict", ""), "valid");
  Json again = Verify(proof);
  EXPECT_EQ(again.value("verdict", ""), "invalid");
  EXPECT_NE(again.value("reason", "").find("replay"), std::string::npos) << again.dump();
  // Wrong audience: the verifier expects another one.
  Json v = Verify(
      Prove(Challenge("https://a.example"), key, false, {"--audience", "https://b.example"}));
  EXPECT_EQ(v.value("verdict", ""), "invalid");
  EXPECT_NE(v.value("reason", "").find("audience"), std::string::npos) << v.dump();
  // An altered challenge (audience swapped, re-signed by the holder) is not ours.
  Json altered = Json::parse(Slurp(Challenge("https://a.example")));
  altered["audience"] = "https://b.example";
  std::string altered_path = tmp_.Sub("altered.json");
  Spit(altered_path, altered.dump());
  v = Verify(Prove(altered_path, key, false));
  EXPECT_EQ(v.value("verdict", ""), "invalid");
  EXPECT_NE(v.value("reason", "").find("not issued"), std::string::npos) << v.dump();
  // Expired (ttl 1 s; the wait only has to be long enough, never short enough).
  std::string soon = Challenge(kAudience, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  v = Verify(Prove(soon, key, false));
  EXPECT_EQ(v.value("verdict", ""), "invalid");
  EXPECT_NE(v.value("reason", "").find("expired"), std::string::npos) << v.dump();
  // A tampered verdict fails offline verification (a valid one turned invalid
  // and an invalid one turned valid).
  Json verdict = Json::parse(Slurp(last_verdict_));
  verdict["verdict"] = "valid";
  verdict.erase("reason");
  std::string forged = tmp_.Sub("forged.json");
  Spit(forged, verdict.dump());
  CliResult r = RunCli({"card", "verify-proof", "--verdict", forged, "--vkey", vkey_, "--json"});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("signature"), std::string::npos) << r.Describe();
  // ... and a genuine verdict checked against another key fails.
  std::string other = tmp_.Sub("other.pem");
  ASSERT_EQ(Sh("openssl genpkey -algorithm ed25519 | openssl pkey -pubout -out " + other), 0);
  r = RunCli({"card", "verify-proof", "--verdict", last_verdict_, "--vkey", other});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
}

// Single use survives a restart: the replay set is in the database.
TEST_F(ChallengeTest, ReplayRefusedAfterServerRestart) {
  std::string key = tmp_.Sub("holder.pem");
  Issue("p256", key);
  Json proof = Prove(Challenge(), key, false);
  EXPECT_EQ(Verify(proof).value("verdict", ""), "valid");
  ASSERT_EQ(srv_->Stop(), 0) << srv_->Stderr();
  std::string error;
  srv_ = ServerProcess::Start(dir_, {}, &error);
  ASSERT_TRUE(srv_) << error;
  Json again = Verify(proof);
  EXPECT_EQ(again.value("verdict", ""), "invalid") << again.dump();
  EXPECT_NE(again.value("reason", "").find("replay"), std::string::npos) << again.dump();
}

// One client flooding verifications fills only its own quota of used
// challenges (429 for it); another client's verification still gets its
// verdict. Through the real server, with the per-address token bucket off so
// that the quota is what stops the flood.
TEST_F(ChallengeTest, OneClientFloodingDoesNotStopAnotherClientsVerification) {
  std::string key = tmp_.Sub("holder.pem");
  Issue("p256", key);
  ASSERT_EQ(srv_->Stop(), 0) << srv_->Stderr();
  std::ofstream(dir_ + "/config.toml", std::ios::app) << "challenge_quota_per_client = 5\n";
  std::string error;
  srv_ = ServerProcess::Start(dir_, {"--rate-limit", "0"}, &error);
  ASSERT_TRUE(srv_) << error;
  // The flood from 127.0.0.1: authentic challenges verified with a junk
  // signature (each attempt consumes its challenge, whatever the outcome).
  Api flood = srv_->Client();
  int answered = 0, refused = 0;
  for (int i = 0; i < 12; ++i) {
    HttpReply c =
        flood.Post("/v1/characters/" + character_ + "/challenges", {{"audience", kAudience}});
    ASSERT_EQ(c.status, 201) << c.Describe();
    Json challenge = c.json();
    HttpReply v = flood.Post("/v1/challenges/" + challenge.value("id", "") + "/verify",
                             {{"challenge", challenge}, {"signature", "AAAA"}});
    if (v.status == 200) {
      ++answered;
      EXPECT_EQ(v.json().value("verdict", ""), "invalid") << v.Describe();
    } else {
      ++refused;
      EXPECT_EQ(v.status, 429) << v.Describe();
      EXPECT_TRUE(v.IsProblem()) << v.Describe();
      EXPECT_FALSE(v.headers.find("Retry-After") == v.headers.end()) << v.Describe();
    }
  }
  EXPECT_EQ(answered, 5);
  EXPECT_EQ(refused, 7);
  // Another client (127.0.0.2) proves with the card key and gets a valid verdict.
  Json proof = Prove(Challenge(), key, false);
  auto [status, body] =
      PostFrom("127.0.0.2", srv_->port(),
               "/v1/challenges/" + proof["challenge"].value("id", "") + "/verify", proof);
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(Json::parse(body, nullptr, false).value("verdict", ""), "valid") << body;
  // The flooding client is still held to its quota.
  Json more = Prove(Challenge(), key, false);
  HttpReply v = flood.Post("/v1/challenges/" + more["challenge"].value("id", "") + "/verify", more);
  EXPECT_EQ(v.status, 429) << v.Describe();
}

TEST_F(ChallengeTest, ChallengesArePublicAndBounded) {
  Api anon = srv_->Client();
  HttpReply r = anon.Post("/v1/characters/" + character_ + "/challenges", {{"audience", "x"}});
  EXPECT_EQ(r.status, 201) << r.Describe();
  r = anon.Post("/v1/characters/" + character_ + "/challenges",
                {{"audience", "x"}, {"ttl_seconds", 601}});
  EXPECT_EQ(r.status, 400) << r.Describe();
  r = anon.Post("/v1/characters/" + character_ + "/challenges",
                {{"audience", std::string(257, 'a')}});
  EXPECT_EQ(r.status, 400) << r.Describe();
  r = anon.Post("/v1/characters/VC-0000-0000-0000-0000/challenges", {{"audience", "x"}});
  EXPECT_EQ(r.status, 404) << r.Describe();
  r = anon.Post("/v1/challenges/x/verify", {{"challenge", {{"id", "x"}}}, {"signature", "AA"}});
  EXPECT_EQ(r.status, 400) << r.Describe();
}

TEST_F(ChallengeTest, CardSvgIsWellFormedEscapedAndScans) {
  std::string serial = Issue("p256");
  std::string svg = tmp_.Sub("card.svg");
  CliResult r = Remote({"card", "render", character_, "--out", svg});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::string text = Slurp(svg);
  HttpReply http = srv_->Client(token_).Get("/v1/characters/" + character_ + "/card.svg");
  ASSERT_EQ(http.status, 200) << http.Describe();
  EXPECT_EQ(http.content_type.rfind("image/svg+xml", 0), 0u) << http.content_type;
  EXPECT_EQ(http.body, text);
  EXPECT_EQ(srv_->Client().Get("/v1/characters/" + character_ + "/card.svg").status, 401);
  // Well-formed XML (python's expat), and the name is there, escaped.
  EXPECT_EQ(
      Sh("python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' " + svg), 0)
      << text;
  EXPECT_EQ(text.find("<script>"), std::string::npos);
  EXPECT_NE(text.find("Aria &lt;script&gt;&amp;&quot;&#39;"), std::string::npos) << text;
  EXPECT_NE(text.find("艾莉亚"), std::string::npos);
  EXPECT_NE(text.find("アリア"), std::string::npos);
  EXPECT_NE(text.find(character_), std::string::npos);
  EXPECT_NE(text.find(serial), std::string::npos);
  EXPECT_NE(text.find("AI-driven: yes"), std::string::npos);
  // The QR code opens the public verification page of this server: config.toml
  // sets no public_url, so it is derived from the address `vtrust serve` listens on.
  std::string url = srv_->url() + "/verify/" + character_;
  if (Sh("{ command -v zbarimg && command -v rsvg-convert; }") != 0) {
    GTEST_SKIP() << "zbarimg/rsvg-convert not installed (packages zbar-tools, librsvg2-bin): "
                    "QR decoding not checked (the matrix itself is checked in service_test)";
  }
  std::string png = tmp_.Sub("card.png"), decoded = tmp_.Sub("qr.txt");
  ASSERT_EQ(Sh("rsvg-convert -w 1712 -b white -o " + png + " " + svg), 0);
  std::system(("zbarimg -q --raw " + png + " > " + decoded + " 2>/dev/null").c_str());
  std::string got = Slurp(decoded);
  while (!got.empty() && (got.back() == '\n' || got.back() == '\r')) got.pop_back();
  EXPECT_EQ(got, url);
  HttpReply page = srv_->Client().Get("/verify/" + character_);
  ASSERT_EQ(page.status, 200) << page.Describe();
  EXPECT_EQ(page.content_type.rfind("text/html", 0), 0u);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(page.body.find("valid card " + serial), std::string::npos) << page.body;
}

}  // namespace
}  // namespace vt::testing
