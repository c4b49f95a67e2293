// End-to-end: ID cards through the real binary against a live `vtrust serve`
// (docs/id-card-profile.md): `ca roots`, `card issue` for p256, ed25519 and
// sm2 with a CSR made by `openssl req` and with a custodial key, `openssl
// verify` of every card against the root and chain (SM2 with the GM/T 0009
// distinguishing ID), refusal of a CSR with a broken signature or the wrong key
// type (nothing written), revoke + status, renewal (same character, old card
// superseded), downloads; and a CA whose p256/ed25519 keys live in a SoftHSM2
// token, with the non-extractability of the token keys checked by pkcs11-tool.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/harness.h"

namespace vt::testing {
namespace {

constexpr const char* kDistId = "distid:1234567812345678";

int Sh(const std::string& cmd) { return std::system(cmd.c_str()); }

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Spit(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

class CardCliTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  // init (with or without the CA) and serve; `env` for the server process.
  void Start(const std::vector<std::string>& init_extra) {
    dir_ = tmp_.Sub("data");
    auto init = InitDataDir(dir_, init_extra);
    ASSERT_TRUE(init);
    token_ = init->token;
  }
  void Serve() {
    std::string error;
    srv_ = ServerProcess::Start(dir_, {}, &error);
    ASSERT_TRUE(srv_) << error;
  }
  CliResult Remote(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", srv_->url(), "--token", token_});
    return RunCli(args);
  }
  std::string Register(const std::string& name) {
    CliResult r = Remote({"character", "register", "--name", name, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    return r.json().value("id", "");
  }
  // Writes the roots to ROOT-<alg>.pem.
  void SaveRoots() {
    CliResult r = Remote({"ca", "roots", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
    for (const char* alg : {"p256", "ed25519", "sm2"}) {
      ASSERT_TRUE(r.json()[alg].is_string()) << r.Describe();
      Spit(tmp_.Sub(std::string("root-") + alg + ".pem"), r.json()[alg].get<std::string>());
    }
  }
  // A key and CSR made by openssl: <name>.key, <name>.csr.
  std::string Csr(const std::string& alg, const std::string& name) {
    std::string key = tmp_.Sub(name + ".key"), csr = tmp_.Sub(name + ".csr");
    std::string gen = alg == "p256"      ? "-algorithm EC -pkeyopt ec_paramgen_curve:P-256"
                      : alg == "ed25519" ? "-algorithm ED25519"
                                         : "-algorithm EC -pkeyopt ec_paramgen_curve:SM2";
    std::string sigopt = alg == "sm2" ? std::string(" -sm3 -sigopt ") + kDistId : "";
    EXPECT_EQ(Sh("openssl genpkey " + gen + " -out " + key + " 2>/dev/null"), 0);
    EXPECT_EQ(Sh("openssl req -new -key " + key + " -subj /CN=holder" + sigopt + " -out " + csr +
                 " 2>/dev/null"),
              0);
    return csr;
  }
  // `card issue`; saves <name>.pem and <name>-chain.pem; returns the JSON.
  Json Issue(const std::string& id, const std::string& alg, const std::string& csr,
             const std::string& name) {
    std::vector<std::string> args = {"card", "issue", id, "--alg", alg, "--json"};
    if (!csr.empty()) args.insert(args.end(), {"--csr", csr});
    CliResult r = Remote(args);
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    Json j = r.json();
    Spit(tmp_.Sub(name + ".pem"), j.value("certificate", ""));
    Spit(tmp_.Sub(name + "-chain.pem"), j.value("chain", ""));
    return j;
  }
  // openssl verify of <name>.pem against root-<alg>.pem through <name>-chain.pem.
  // OpenSSL 3.0's -vfyopt sets the SM2 ID on the target certificate only, so an
  // SM2 chain is verified link by link (root -> issuing, issuing -> card), each
  // with the GM/T 0009 ID.
  int Verify(const std::string& alg, const std::string& name) {
    std::string root = tmp_.Sub("root-" + alg + ".pem"), chain = tmp_.Sub(name + "-chain.pem");
    std::string leaf = tmp_.Sub(name + ".pem"), out = " >" + tmp_.Sub("verify.out") + " 2>&1";
    if (alg != "sm2")
      return Sh("openssl verify -CAfile " + root + " -untrusted " + chain + " " + leaf + out);
    std::string vfy = std::string(" -vfyopt ") + kDistId + " ";
    int upper = Sh("openssl verify -CAfile " + root + vfy + chain + out);
    if (upper != 0) return upper;
    return Sh("openssl verify -partial_chain -CAfile " + chain + vfy + leaf + out);
  }

  TempDir tmp_;
  std::string dir_, token_;
  std::unique_ptr<ServerProcess> srv_;
};

TEST_F(CardCliTest, IssueForEveryAlgorithmWithAndWithoutCsrVerifiesWithOpenssl) {
  Serve();
  SaveRoots();
  std::string id = Register("Aria");
  for (const std::string alg : {"p256", "ed25519", "sm2"}) {
    for (bool with_csr : {true, false}) {
      std::string name = alg + (with_csr ? "-csr" : "-custodial");
      Json j = Issue(id, alg, with_csr ? Csr(alg, name) : "", name);
      ASSERT_TRUE(j["serial"].is_string()) << j.dump();
      EXPECT_EQ(j["serial"].get<std::string>().size(), 32u);
      EXPECT_TRUE(j["receipt"].is_object()) << j.dump();
      EXPECT_EQ(j["status"]["custodial"], !with_csr);
      EXPECT_EQ(Verify(alg, name), 0) << name << ": " << Slurp(tmp_.Sub("verify.out"));
      // The chain is the issuing CA only: it does not verify as its own root.
      EXPECT_EQ(j["chain"].get<std::string>().find("BEGIN CERTIFICATE"),
                j["chain"].get<std::string>().rfind("BEGIN CERTIFICATE"));
      if (with_csr) {  // the certificate's key is the CSR's
        std::string a = tmp_.Sub("a.pub"), b = tmp_.Sub("b.pub");
        Sh("openssl x509 -in " + tmp_.Sub(name + ".pem") + " -pubkey -noout >" + a);
        Sh("openssl pkey -in " + tmp_.Sub(name + ".key") + " -pubout >" + b);
        EXPECT_EQ(Slurp(a), Slurp(b)) << name;
      }
    }
  }
  // The URLs inside the certificate name this server's /pki paths.
  std::string text = tmp_.Sub("text");
  Sh("openssl x509 -in " + tmp_.Sub("p256-csr.pem") + " -noout -text >" + text);
  std::string t = Slurp(text);
  EXPECT_NE(t.find("/pki/ocsp/p256"), std::string::npos) << t;
  EXPECT_NE(t.find("/pki/crl/p256.crl"), std::string::npos) << t;
  EXPECT_NE(t.find("/pki/ca/p256-issuing.der"), std::string::npos) << t;
  EXPECT_NE(t.find("URI:urn:vtrust:char:" + id), std::string::npos) << t;
  // A wrong root does not verify the card (the check can fail).
  Sh("cp " + tmp_.Sub("root-ed25519.pem") + " " + tmp_.Sub("root-wrong.pem"));
  EXPECT_NE(
      Sh("openssl verify -CAfile " + tmp_.Sub("root-wrong.pem") + " -untrusted " +
         tmp_.Sub("p256-csr-chain.pem") + " " + tmp_.Sub("p256-csr.pem") + " >/dev/null 2>&1"),
      0);
}

TEST_F(CardCliTest, BadCsrsAreRefusedAndNothingIsWritten) {
  Serve();
  std::string id = Register("Aria");
  Api api = srv_->Client(token_);
  auto log_size = [&] {
    std::string cp = api.Get("/log/checkpoint").body;
    std::istringstream in(cp);
    std::string origin, n;
    std::getline(in, origin);
    std::getline(in, n);
    return n;
  };
  std::string before = log_size();
  // A CSR whose signature is broken: flip a byte near the end of the DER.
  std::string csr = Csr("p256", "broken");
  std::string der = tmp_.Sub("broken.der");
  ASSERT_EQ(Sh("openssl req -in " + csr + " -outform DER -out " + der), 0);
  std::string bytes = Slurp(der);
  bytes[bytes.size() - 4] ^= 0x01;
  Spit(der, bytes);
  CliResult r = Remote({"card", "issue", id, "--alg", "p256", "--csr", der, "--json"});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("csr"), std::string::npos) << r.Describe();
  // The wrong key type for the algorithm.
  r = Remote({"card", "issue", id, "--alg", "ed25519", "--csr", Csr("p256", "p"), "--json"});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  HttpReply h = api.Post("/v1/characters/" + id + "/cards",
                         {{"alg", "sm2"}, {"csr", Slurp(Csr("ed25519", "e"))}});
  EXPECT_EQ(h.status, 400) << h.Describe();
  EXPECT_EQ(h.json().value("field", ""), "csr") << h.Describe();
  h = api.Post("/v1/characters/" + id + "/cards", {{"alg", "rsa"}});
  EXPECT_EQ(h.status, 400) << h.Describe();
  h = api.Post("/v1/characters/VC-0000-0000-0000-0000/cards", {{"alg", "p256"}});
  EXPECT_EQ(h.status, 404) << h.Describe();
  EXPECT_EQ(log_size(), before);
  h = api.Get("/v1/characters/" + id + "/cards");
  EXPECT_EQ(h.json()["cards"].size(), 0u) << h.Describe();
  // A retired character gets no card (409).
  ASSERT_EQ(Remote({"character", "retire", id}).exit_code, 0);
  h = api.Post("/v1/characters/" + id + "/cards", {{"alg", "p256"}});
  EXPECT_EQ(h.status, 409) << h.Describe();
}

TEST_F(CardCliTest, RevokeStatusRenewAndDownloads) {
  Serve();
  SaveRoots();
  std::string id = Register("Aria");
  Json first = Issue(id, "p256", "", "first");
  std::string serial = first.value("serial", "");
  // Downloads: PEM, DER and the full chain.
  CliResult r = Remote({"card", "get", serial, "--format", "der", "--out", tmp_.Sub("c.der")});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(Sh("openssl x509 -inform DER -in " + tmp_.Sub("c.der") + " -noout"), 0);
  r = Remote({"card", "get", serial, "--format", "chain", "--out", tmp_.Sub("full.pem")});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(Sh("openssl verify -CAfile " + tmp_.Sub("root-p256.pem") + " -untrusted " +
               tmp_.Sub("full.pem") + " " + tmp_.Sub("full.pem") + " >/dev/null"),
            0);
  r = Remote({"card", "get", serial, "--format", "pem"});
  EXPECT_EQ(r.out, first.value("certificate", ""));

  // Renewal: same character, a new serial, the old card superseded.
  r = Remote({"card", "renew", serial, "--alg", "sm2", "--csr", Csr("sm2", "next"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::string next = r.json().value("serial", "");
  EXPECT_NE(next, serial);
  EXPECT_EQ(r.json()["status"]["character"], id);
  EXPECT_TRUE(r.json()["receipt"].is_object());
  Spit(tmp_.Sub("next.pem"), r.json().value("certificate", ""));
  Spit(tmp_.Sub("next-chain.pem"), r.json().value("chain", ""));
  EXPECT_EQ(Verify("sm2", "next"), 0) << Slurp(tmp_.Sub("verify.out"));
  r = Remote({"card", "status", serial, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.json()["superseded_by"], next);
  r = Remote({"card", "renew", serial, "--json"});
  EXPECT_NE(r.exit_code, 0) << r.Describe();  // superseded already

  // Revocation with a reason; a second revocation is refused (409).
  r = Remote({"card", "revoke", next, "--reason", "keyCompromise", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.json()["status"], "revoked");
  EXPECT_TRUE(r.json()["receipt"].is_object());
  r = Remote({"card", "status", next, "--json"});
  EXPECT_EQ(r.json()["status"], "revoked");
  EXPECT_EQ(r.json()["reason"], "keyCompromise");
  EXPECT_TRUE(r.json()["revoked_at"].is_string());
  Api api = srv_->Client(token_);
  HttpReply h = api.Post("/v1/cards/" + next + "/revoke", {{"reason", "superseded"}});
  EXPECT_EQ(h.status, 409) << h.Describe();
  h = api.Post("/v1/cards/" + serial + "/revoke", {{"reason", "bogus"}});
  EXPECT_EQ(h.status, 400) << h.Describe();
  h = api.Get("/v1/characters/" + id + "/cards");
  EXPECT_EQ(h.json()["cards"].size(), 2u) << h.Describe();
  EXPECT_EQ(api.Get("/v1/cards/00/certificate.pem").status, 404);
}

TEST_F(CardCliTest, CaInitRefusesASecondTime) {
  CliResult r = RunCli({"ca", "init", "--data", dir_, "--json"});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("initialized already"), std::string::npos) << r.Describe();
}

// The HSM variant: `vtrust init --no-ca` then `ca init --pkcs11-token` on a
// fresh SoftHSM2 token.
class CardHsmTest : public CardCliTest {
 protected:
  void SetUp() override {
    if (access("/usr/lib/softhsm/libsofthsm2.so", R_OK) != 0 ||
        Sh("command -v softhsm2-util >/dev/null 2>&1") != 0)
      GTEST_SKIP() << "SoftHSM2 not installed (apt-get install softhsm2)";
    std::string conf = tmp_.Sub("softhsm2.conf");
    Sh("mkdir -p " + tmp_.Sub("tokens"));
    Spit(conf, "directories.tokendir = " + tmp_.Sub("tokens") +
                   "\nobjectstore.backend = file\nlog.level = ERROR\n");
    setenv("SOFTHSM2_CONF", conf.c_str(), 1);  // inherited by vtrust and the tools
    setenv("VTRUST_PKCS11_PIN", "8765", 1);
    ASSERT_EQ(Sh("softhsm2-util --init-token --free --label vtrust-ca --so-pin 1234 --pin 8765 "
                 ">/dev/null"),
              0);
    Start({"--no-ca"});
  }
  void TearDown() override {
    unsetenv("SOFTHSM2_CONF");
    unsetenv("VTRUST_PKCS11_PIN");
  }
};

TEST_F(CardHsmTest, TokenHeldIssuingKeysIssueVerifiableCardsAndStayInside) {
  CliResult r = RunCli({"ca", "init", "--data", dir_, "--pkcs11-token", "vtrust-ca", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::map<std::string, std::string> refs;
  Json out = r.json();
  for (const auto& c : out["cas"]) refs[c.value("id", "")] = c.value("key_ref", "");
  ASSERT_EQ(refs.size(), 9u) << r.Describe();
  EXPECT_EQ(refs["p256-issuing"].rfind("pkcs11:token=vtrust-ca;object=", 0), 0u);
  EXPECT_EQ(refs["ed25519-root"].rfind("pkcs11:token=vtrust-ca;object=", 0), 0u);
  EXPECT_EQ(refs["sm2-issuing"].rfind("secrets:", 0), 0u);  // PKCS#11 has no SM2
  Serve();
  SaveRoots();
  std::string id = Register("Aria");
  for (const std::string alg : {"p256", "ed25519"}) {
    Json j = Issue(id, alg, Csr(alg, "hsm-" + alg), "hsm-" + alg);
    EXPECT_EQ(Verify(alg, "hsm-" + alg), 0) << alg << ": " << Slurp(tmp_.Sub("verify.out"));
  }
  // The private keys are in the token and cannot be read out: pkcs11-tool
  // lists them as sensitive and never extractable.
  if (Sh("command -v pkcs11-tool >/dev/null 2>&1") != 0) GTEST_SKIP() << "no pkcs11-tool";
  std::string object = refs["p256-issuing"].substr(refs["p256-issuing"].find("object=") + 7);
  std::string list = tmp_.Sub("objects.txt");
  ASSERT_EQ(Sh("pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label vtrust-ca "
               "--login --pin 8765 --list-objects --type privkey >" +
               list + " 2>&1"),
            0);
  std::string objects = Slurp(list);
  size_t at = objects.find("label:      " + object);
  ASSERT_NE(at, std::string::npos) << objects;
  std::string block = objects.substr(at, objects.find("Private Key Object", at) - at);
  EXPECT_NE(block.find("sensitive"), std::string::npos) << block;
  EXPECT_NE(block.find("never extractable"), std::string::npos) << block;
  // Asking for the key's value gets nothing out of the token.
  std::string stolen = tmp_.Sub("stolen.der");
  Sh("pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label vtrust-ca --login "
     "--pin 8765 --read-object --type privkey --label " +
     object + " -o " + stolen + " >/dev/null 2>&1");
  EXPECT_TRUE(Slurp(stolen).empty());
}

}  // namespace
}  // namespace vt::testing
