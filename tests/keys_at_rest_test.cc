// Keys at rest (docs/operations.md, "Key-encryption key" and "Offline roots") on
// the real binary: `vtrust init` puts the key-encryption key outside the data
// directory and records it in config.toml; `vtrust serve` refuses a KEK inside
// the data directory unless --insecure-local-kek (and `vtrust kek move-out`
// fixes such a directory); a copy of the data directory without the KEK opens
// no key; the root keys leave the data directory once they have signed the
// issuing CAs, the server issues cards and CRLs without them, and `vtrust ca
// rotate-issuing --root-key EXPORT` makes a new issuing CA whose cards verify
// with `openssl verify` against the root.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/harness.h"

namespace vt::testing {
namespace {

namespace fs = std::filesystem;

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

// The value of `kek = "..."` (or toml++'s literal string '...') in DIR/config.toml
// ("" if absent).
std::string KekSetting(const std::string& dir) {
  std::istringstream in(Slurp(dir + "/config.toml"));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("kek = ", 0) != 0) continue;
    char q = line.find('\'') != std::string::npos ? '\'' : '"';
    size_t a = line.find(q), b = line.rfind(q);
    if (a != std::string::npos && b > a) return line.substr(a + 1, b - a - 1);
  }
  return "";
}

// Every regular file under `dir`.
std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path().string());
  return out;
}

// The public key (PEM) of a sealed key file opened with `openssl pkey` and the
// passphrase in the file `pass` (the KEK's hex is the passphrase; docs/crypto.md);
// "" if it does not open.
std::string PublicKeyOf(const std::string& key_file, const std::string& pass,
                        const std::string& out) {
  if (Sh("openssl pkey -in " + key_file + " -passin file:" + pass + " -pubout -out " + out) != 0)
    return "";
  return Slurp(out);
}

class KeysAtRestTest : public ::testing::Test {
 protected:
  // `vtrust init --json` with `extra`; returns its JSON.
  Json Init(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"init", "--data", dir_, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    CliResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    token_ = r.json().value("token", "");
    return r.json();
  }
  void Serve(const std::vector<std::string>& extra = {}) {
    std::string error;
    srv_ = ServerProcess::Start(dir_, extra, &error);
    ASSERT_TRUE(srv_) << error;
  }
  CliResult Remote(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", srv_->url(), "--token", token_});
    return RunCli(args);
  }
  // Registers a character and issues it a p256 card from an openssl CSR;
  // writes <name>.pem and <name>-chain.pem and returns the issuance JSON.
  Json IssueCard(const std::string& name) {
    CliResult c = Remote({"character", "register", "--name", name, "--json"});
    EXPECT_EQ(c.exit_code, 0) << c.Describe();
    std::string key = tmp_.Sub(name + ".key"), csr = tmp_.Sub(name + ".csr");
    EXPECT_EQ(Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + key), 0);
    EXPECT_EQ(Sh("openssl req -new -key " + key + " -subj /CN=holder -out " + csr), 0);
    CliResult r = Remote(
        {"card", "issue", c.json().value("id", ""), "--alg", "p256", "--csr", csr, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    Spit(tmp_.Sub(name + ".pem"), r.json().value("certificate", ""));
    Spit(tmp_.Sub(name + "-chain.pem"), r.json().value("chain", ""));
    return r.json();
  }
  // The root certificates, alg -> PEM (GET /v1/ca/roots).
  Json Roots() {
    HttpReply h = srv_->Client(token_).Get("/v1/ca/roots");
    EXPECT_EQ(h.status, 200) << h.Describe();
    return h.json();
  }
  int OpensslVerify(const std::string& root_pem, const std::string& name) {
    std::string root = tmp_.Sub("root.pem");
    Spit(root, root_pem);
    return Sh("openssl verify -CAfile " + root + " -untrusted " + tmp_.Sub(name + "-chain.pem") +
              " " + tmp_.Sub(name + ".pem"));
  }

  TempDir tmp_;
  std::string dir_ = tmp_.Sub("data");
  std::string token_;
  std::unique_ptr<ServerProcess> srv_;
};

// init puts a fresh KEK in $XDG_CONFIG_HOME/vtrust/ (mode 0600), records it in
// config.toml and says where; nothing named kek is left in the data directory,
// and serve starts with no extra flag.
TEST_F(KeysAtRestTest, InitPutsTheKekOutsideTheDataDirectory) {
  Json j = Init();
  std::string kek = KekSetting(dir_);
  ASSERT_EQ(kek.rfind("file:", 0), 0u) << Slurp(dir_ + "/config.toml");
  std::string path = kek.substr(5);
  EXPECT_EQ(path.rfind(UserConfigHome() + "/vtrust/", 0), 0u) << path;
  EXPECT_EQ(j.value("kek", ""), kek) << j.dump();
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0) << path;
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(fs::exists(dir_ + "/secrets/kek"));
  for (const auto& f : FilesUnder(dir_))
    EXPECT_EQ(fs::path(f).filename().string().find("kek"), std::string::npos) << f;
  Serve();
  // The human output names the KEK's place.
  dir_ = tmp_.Sub("data2");
  CliResult r = RunCli({"init", "--data", dir_, "--no-ca"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.out.find("key-encryption key: " + KekSetting(dir_)), std::string::npos)
      << r.Describe();
}

// serve refuses a KEK inside the data directory with one line that says how to
// move it out, starts with --insecure-local-kek, and starts plainly once
// `vtrust kek move-out` has moved it.
TEST_F(KeysAtRestTest, ServeRefusesALocalKekUnlessInsecureLocalKek) {
  Init({"--insecure-local-kek", "--no-ca"});
  ASSERT_TRUE(fs::exists(dir_ + "/secrets/kek"));
  std::string error;
  auto refused = ServerProcess::Start(dir_, {}, &error, std::chrono::seconds(60));
  ASSERT_FALSE(refused) << "serve started with the KEK inside the data directory";
  EXPECT_NE(error.find("--insecure-local-kek"), std::string::npos) << error;
  EXPECT_NE(error.find("vtrust kek move-out --data " + dir_), std::string::npos) << error;
  EXPECT_NE(error.find("inside the data directory"), std::string::npos) << error;
  Serve({"--insecure-local-kek"});
  EXPECT_EQ(srv_->Client().Get("/healthz").status, 200);
  srv_->Stop();
  srv_.reset();
  // A KEK file named inside the data directory is refused the same way.
  CliResult moved = RunCli({"kek", "move-out", "--data", dir_, "--json"});
  ASSERT_EQ(moved.exit_code, 0) << moved.Describe();
  std::string kek = KekSetting(dir_);
  EXPECT_EQ(moved.json().value("kek", ""), kek);
  EXPECT_FALSE(fs::exists(dir_ + "/secrets/kek"));
  ASSERT_TRUE(fs::exists(kek.substr(5))) << kek;
  Serve();
  // The keys made under the local KEK still open: the token still works.
  EXPECT_EQ(srv_->Client(token_).Get("/v1/orgs").status, 200);
}

// A copy of the data directory holds no usable key: no file in it opens any
// sealed key, and the server refuses to start on it without the KEK file; the
// same keys open with the KEK (so the check above can succeed).
TEST_F(KeysAtRestTest, ADataDirectoryCopiedWithoutTheKekCannotDecryptKeys) {
  Init();
  Serve();
  IssueCard("aria");  // a custodial-free card; the CA and log keys exist
  srv_->Stop();
  srv_.reset();
  std::string copy = tmp_.Sub("copy");
  ASSERT_EQ(Sh("cp -a " + dir_ + " " + copy), 0);
  std::vector<std::string> keys;
  for (const auto& f : FilesUnder(copy + "/secrets"))
    if (f.ends_with(".key")) keys.push_back(f);
  ASSERT_GE(keys.size(), 5u);  // log, CA issuing and OCSP keys at least
  std::string kek_file = KekSetting(dir_).substr(5);
  for (const auto& key : keys) {
    SCOPED_TRACE(key);
    EXPECT_NE(PublicKeyOf(key, kek_file, tmp_.Sub("pub.pem")), "");  // the real KEK opens it
    for (const auto& candidate : FilesUnder(copy))
      EXPECT_EQ(PublicKeyOf(key, candidate, tmp_.Sub("pub.pem")), "") << candidate;
  }
  // Without the KEK file (the copy restored on another machine), serve fails
  // and says which KEK is missing.
  ASSERT_EQ(Sh("mv " + kek_file + " " + tmp_.Sub("kek.away")), 0);
  std::string error;
  auto s = ServerProcess::Start(copy, {}, &error, std::chrono::seconds(60));
  EXPECT_FALSE(s);
  EXPECT_NE(error.find(kek_file), std::string::npos) << error;
  EXPECT_NE(error.find("does not exist"), std::string::npos) << error;
}

// After init no root private key is in the data directory (every sealed key
// is opened and compared with the roots' public keys), the export file holds
// them, and the server still issues cards that verify and serves signed CRLs.
TEST_F(KeysAtRestTest, RootsAreOfflineAndTheServerRunsWithoutThem) {
  Json j = Init();
  ASSERT_TRUE(j["root_export"].is_object()) << j.dump();
  std::string export_file = j["root_export"].value("path", "");
  EXPECT_EQ(j["root_export"]["cas"].size(), 3u) << j.dump();
  ASSERT_TRUE(fs::exists(export_file));
  EXPECT_EQ(export_file.find(dir_), std::string::npos) << export_file;
  Serve();
  Json roots = Roots();
  std::set<std::string> root_pubs;
  for (const char* alg : {"p256", "ed25519", "sm2"}) {
    std::string cert = tmp_.Sub(std::string("root-") + alg + ".pem");
    Spit(cert, roots.value(alg, ""));
    ASSERT_EQ(Sh("openssl x509 -in " + cert + " -pubkey -noout -out " + cert + ".pub"), 0);
    root_pubs.insert(Slurp(cert + ".pub"));
  }
  ASSERT_EQ(root_pubs.size(), 3u);
  std::string kek_file = KekSetting(dir_).substr(5);
  int opened = 0;
  for (const auto& f : FilesUnder(dir_ + "/secrets")) {
    EXPECT_EQ(fs::path(f).filename().string().find("root"), std::string::npos) << f;
    std::string pub = PublicKeyOf(f, kek_file, tmp_.Sub("pub.pem"));
    if (pub.empty()) continue;
    ++opened;
    EXPECT_EQ(root_pubs.count(pub), 0u) << f << " is a root key";
  }
  EXPECT_GE(opened, 6);  // issuing and OCSP keys of three algorithms
  // The export file holds the three roots, sealed under the KEK.
  std::string text = Slurp(export_file);
  for (const char* alg : {"p256", "ed25519", "sm2"})
    EXPECT_NE(text.find(std::string("ca: ") + alg + "-root "), std::string::npos) << text;
  // The server issues cards and serves CRLs signed by the issuing CA.
  IssueCard("aria");
  EXPECT_EQ(OpensslVerify(roots.value("p256", ""), "aria"), 0);
  HttpReply crl = srv_->Client().Get("/pki/crl/p256.crl");
  ASSERT_EQ(crl.status, 200) << crl.Describe();
  Spit(tmp_.Sub("p256.crl"), crl.body);
  EXPECT_EQ(Sh("openssl crl -inform DER -in " + tmp_.Sub("p256.crl") + " -CAfile " +
               tmp_.Sub("aria-chain.pem") + " -noout"),
            0);
}

// `vtrust ca rotate-issuing --root-key EXPORT`: a new issuing CA signed by the
// offline root; new cards come from it and verify against the root with
// openssl; cards of the old issuing CA still verify; the root key does not come
// back into the data directory; the new CA has its own CRL.
TEST_F(KeysAtRestTest, RotateIssuingWithTheExportedRootKey) {
  Json j = Init();
  std::string export_file = j["root_export"].value("path", "");
  ASSERT_FALSE(export_file.empty()) << j.dump();
  Serve();
  Json roots = Roots();
  Json before = IssueCard("before");
  srv_->Stop();
  srv_.reset();

  // The wrong file is refused, and nothing changes.
  Spit(tmp_.Sub("not-an-export"), "hello\n");
  CliResult bad = RunCli({"ca", "rotate-issuing", "--data", dir_, "--root-key",
                          tmp_.Sub("not-an-export"), "--alg", "p256"});
  EXPECT_NE(bad.exit_code, 0) << bad.Describe();
  CliResult r = RunCli({"ca", "rotate-issuing", "--data", dir_, "--root-key", export_file, "--alg",
                        "p256", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::string new_id;
  const Json rotated = r.json();
  for (const auto& c : rotated["cas"])
    if (c.value("kind", "") == "issuing") new_id = c.value("id", "");
  ASSERT_FALSE(new_id.empty()) << r.Describe();
  EXPECT_NE(new_id, "p256-issuing");
  for (const auto& f : FilesUnder(dir_ + "/secrets"))
    EXPECT_EQ(fs::path(f).filename().string().find("root"), std::string::npos) << f;

  Serve();
  Json after = IssueCard("after");
  EXPECT_EQ(after["status"].value("ca", ""), new_id) << after.dump();
  EXPECT_NE(after.value("chain", ""), before.value("chain", ""));
  EXPECT_EQ(OpensslVerify(roots.value("p256", ""), "after"), 0);
  EXPECT_EQ(OpensslVerify(roots.value("p256", ""), "before"), 0);  // the old CA still validates
  // The new card points at its own CRL, which the server serves signed by the new CA.
  ASSERT_EQ(Sh("openssl x509 -in " + tmp_.Sub("after.pem") + " -noout -text -out " +
               tmp_.Sub("after.txt")),
            0);
  std::string responder = new_id.substr(0, new_id.size() - std::string("-issuing").size());
  EXPECT_NE(Slurp(tmp_.Sub("after.txt")).find("/pki/crl/" + responder + ".crl"), std::string::npos)
      << Slurp(tmp_.Sub("after.txt"));
  HttpReply crl = srv_->Client().Get("/pki/crl/" + responder + ".crl");
  ASSERT_EQ(crl.status, 200) << crl.Describe();
  Spit(tmp_.Sub("new.crl"), crl.body);
  EXPECT_EQ(Sh("openssl crl -inform DER -in " + tmp_.Sub("new.crl") + " -CAfile " +
               tmp_.Sub("after-chain.pem") + " -noout"),
            0);
  // The old CA's CRL is still served, signed by the old issuing CA.
  HttpReply old_crl = srv_->Client().Get("/pki/crl/p256.crl");
  ASSERT_EQ(old_crl.status, 200) << old_crl.Describe();
  Spit(tmp_.Sub("old.crl"), old_crl.body);
  EXPECT_EQ(Sh("openssl crl -inform DER -in " + tmp_.Sub("old.crl") + " -CAfile " +
               tmp_.Sub("before-chain.pem") + " -noout"),
            0);
}

}  // namespace
}  // namespace vt::testing
