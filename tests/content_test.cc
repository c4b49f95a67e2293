// End-to-end: content credentials through the real binary (docs/c2pa.md).
// A studio's AI-driven character with a custodial ID card signs JPEG, PNG,
// WAV, MP4 and a sidecar (`vtrust content sign`); `content verify` answers
// trusted locally and offline (--trust ROOT.pem); one flipped byte of the
// media, the claim, the identity assertion or the signature answers invalid;
// a signer from another CA (made with openssl) answers valid_untrusted; a
// card revoked after signing is reported with its date; a revoked signer
// makes the verdict invalid. The official C2PA SDK (c2pa-rs as
// @contentauth/c2pa-wasm 0.13.3, tests/c2pa_sdk) validates every signed file:
// Trusted, no failure codes, the CAWG identity trusted.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/encoding.h"
#include "base/rng.h"
#include "c2pa/c2pa.h"
#include "c2pa/test_assets.h"
#include "crypto/key.h"
#include "crypto/signer.h"
#include "store/sql.h"
#include "tests/harness.h"
#include "tests/witness_process.h"
#include "x509/cert.h"

namespace vt::testing {
namespace {

int Sh(const std::string& cmd) { return std::system(cmd.c_str()); }

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Spit(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

void CollectPems(const Json& j, std::string& out) {
  if (j.is_string() && j.get<std::string>().find("BEGIN CERTIFICATE") != std::string::npos)
    out += j.get<std::string>();
  if (j.is_object() || j.is_array())
    for (const auto& v : j) CollectPems(v, out);
}

// Flips one byte of `file` at `offset` into `out`.
void FlipInto(const std::string& file, size_t offset, const std::string& out) {
  std::string b = Slurp(file);
  ASSERT_LT(offset, b.size());
  b[offset] = static_cast<char>(b[offset] ^ 0x55);
  Spit(out, b);
}

// The offset `skip` bytes after the first (or last) occurrence of `label`.
size_t After(const std::string& bytes, const std::string& label, size_t skip, bool last = false) {
  size_t at = last ? bytes.rfind(label) : bytes.find(label);
  EXPECT_NE(at, std::string::npos) << label;
  return at == std::string::npos ? 0 : at + label.size() + skip;
}

std::map<std::string, std::string> ParseConninfo(const std::string& conninfo) {
  std::map<std::string, std::string> kv;
  std::istringstream in(conninfo);
  for (std::string word; in >> word;)
    if (size_t eq = word.find('='); eq != std::string::npos)
      kv[word.substr(0, eq)] = word.substr(eq + 1);
  return kv;
}

// With VTRUST_TEST_PG (scripts/with-postgres.sh) the suite runs on a fresh
// PostgreSQL database: the init arguments naming it. Else SQLite: none.
std::vector<std::string> DatabaseArgs() {
  std::string conninfo = Env("VTRUST_TEST_PG");
  if (conninfo.empty()) return {};
  auto kv = ParseConninfo(conninfo);
  uint8_t raw[6];
  SystemRng::Get().Fill(raw, sizeof raw);
  std::string db = "vt_content_" + HexEncode(std::string(reinterpret_cast<char*>(raw), 6));
  auto admin = store::OpenPostgres(conninfo);
  EXPECT_TRUE(admin.ok()) << admin.status().ToString();
  if (!admin.ok()) return {};
  auto conn = (*admin)->Connect();
  EXPECT_TRUE(conn.ok() && (*conn)->Exec("CREATE DATABASE " + db).ok());
  return {"--database", "postgresql://" + kv["user"] +
                            (kv.count("password") ? ":" + kv["password"] : "") + "@" + kv["host"] +
                            ":" + kv["port"] + "/" + db};
}

class ContentTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    auto init = InitDataDir(data(), DatabaseArgs());
    ASSERT_TRUE(init);
    token_ = init->token;
    CliResult ch = Local({"character", "register", "--name", "Aiko", "--ai-driven", "--json"});
    ASSERT_EQ(ch.exit_code, 0) << ch.Describe();
    character_ = ch.json().value("id", "");
    CliResult card = Local({"card", "issue", character_, "--json"});
    ASSERT_EQ(card.exit_code, 0) << card.Describe();
    card_serial_ = card.json().value("serial", "");
    CliResult work =
        Local({"work", "register", "--type", "song", "--title", "en=Aiko's song", "--sha256",
               std::string(64, 'a'), "--holder", "copyright=" + init->org_id + ":10000", "--json"});
    ASSERT_EQ(work.exit_code, 0) << work.Describe();
    work_ = work.json().value("id", "");
    CliResult roots = Local({"ca", "roots", "--json"});
    ASSERT_EQ(roots.exit_code, 0) << roots.Describe();
    std::string pem;
    CollectPems(roots.json(), pem);
    ASSERT_FALSE(pem.empty()) << roots.Describe();
    Spit(Path("roots.pem"), pem);
    std::string p256;
    Json roots_json = roots.json();
    for (const auto& [alg, v] : roots_json.items())
      if (alg.find("p256") != std::string::npos) CollectPems(v, p256);
    Spit(Path("root-p256.pem"), p256);
    Spit(Path("in.jpg"), c2pa::testing::TinyJpeg());
    Spit(Path("in.png"), c2pa::testing::TinyPng());
    Spit(Path("in.wav"), c2pa::testing::TinyWav());
    Spit(Path("in.mp4"), c2pa::testing::TinyMp4());
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }

  static std::string data() { return tmp_->Sub("data"); }
  static std::string Path(const std::string& name) { return tmp_->Sub(name); }
  static CliResult Local(std::vector<std::string> args) {
    args.insert(args.begin(), {"--data", data()});
    return RunCli(args);
  }
  // `content sign` of in.<ext> into `out`; returns the --json summary.
  static Json Sign(const std::string& ext, const std::string& out) {
    CliResult r = Local({"content", "sign", Path("in." + ext), "--as", character_, "--works", work_,
                         "-o", Path(out), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    return r.json();
  }
  static Json Verify(const std::string& file, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--data", data(), "content", "verify", file, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    CliResult r = RunCli(args);
    Json j = r.json();
    EXPECT_TRUE(j.is_object()) << r.Describe();
    EXPECT_EQ(r.exit_code == 0, j.value("verdict", "") == "trusted") << r.Describe();
    return j;
  }
  static Json VerifyOffline(const std::string& file) {
    CliResult r = RunCli({"content", "verify", file, "--trust", Path("roots.pem"), "--json"});
    return r.json();
  }

  static TempDir* tmp_;
  static std::string character_, card_serial_, work_, token_;
};
TempDir* ContentTest::tmp_ = nullptr;
std::string ContentTest::character_, ContentTest::card_serial_, ContentTest::work_,
    ContentTest::token_;

bool HasCode(const Json& j, const std::string& code) {
  for (const auto& s : j.value("statuses", Json::array()))
    if (s.value("code", "") == code) return true;
  return false;
}

TEST_F(ContentTest, SignsEachFormatTrusted) {
  for (std::string ext : {"jpg", "png", "wav", "mp4"}) {
    SCOPED_TRACE(ext);
    Json s = Sign(ext, "signed." + ext);
    EXPECT_EQ(s.value("identity", false), true) << s.dump();
    EXPECT_GE(s.value("log_index", -1), 0);
    Json v = Verify(Path("signed." + ext));
    EXPECT_EQ(v.value("verdict", ""), "trusted") << v.dump(2);
    EXPECT_EQ(v["character"].value("id", ""), character_);
    EXPECT_EQ(v["character"].value("name", ""), "Aiko");
    EXPECT_EQ(v["character"]["card"].value("serial", ""), card_serial_);
    EXPECT_EQ(v["works"].size(), 1u);
    EXPECT_EQ(v["works"][0].value("id", ""), work_);
    EXPECT_EQ(v["log"].value("included", false), true);
    EXPECT_NE(v.value("digital_source_type", "").find("trainedAlgorithmicMedia"),
              std::string::npos);
    EXPECT_EQ(v["ai_label"].value("Label", ""), "1");
    EXPECT_TRUE(HasCode(v, "cawg.x509.credential.trusted")) << v.dump(2);
    EXPECT_TRUE(HasCode(v, "signingCredential.ocsp.notRevoked")) << v.dump(2);
    Json off = VerifyOffline(Path("signed." + ext));
    EXPECT_EQ(off.value("verdict", ""), "trusted") << off.dump(2);
    Json plain = Verify(Path("in." + ext));
    EXPECT_EQ(plain.value("verdict", ""), "no_manifest");
  }
}

TEST_F(ContentTest, Sidecar) {
  Json s = Sign("png", "in.png.c2pa");
  EXPECT_EQ(s.value("container", ""), "sidecar");
  Json v = Verify(Path("in.png"), {"--sidecar", Path("in.png.c2pa")});
  EXPECT_EQ(v.value("verdict", ""), "trusted") << v.dump(2);
  FlipInto(Path("in.png"), 30, Path("flipped.png"));
  Json bad = Verify(Path("flipped.png"), {"--sidecar", Path("in.png.c2pa")});
  EXPECT_EQ(bad.value("verdict", ""), "invalid") << bad.dump(2);
}

// The official SDK's runner (defined below).
bool PrepareSdk(std::string* dir);
std::vector<Json> SdkValidate(const std::string& sdk, const std::string& root,
                              const std::vector<std::string>& files, const std::string& out);

TEST_F(ContentTest, OneFlippedByteIsInvalid) {
  Sign("jpg", "t.jpg");
  std::string b = Slurp(Path("t.jpg"));
  struct Case {
    std::string name;
    size_t offset;
  } cases[] = {
      {"media", b.size() - 4},
      {"claim", After(b, "c2pa.claim.v2", 40)},
      {"identity", After(b, "cawg.identity", 40)},
      {"signature", After(b, "c2pa.signature", 30, /*last=*/true)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    FlipInto(Path("t.jpg"), c.offset, Path("t-" + c.name + ".jpg"));
    Json v = Verify(Path("t-" + c.name + ".jpg"));
    EXPECT_EQ(v.value("verdict", ""), "invalid") << v.dump(2);
  }
  // The official SDK on the same four copies: never Trusted or Valid, each with
  // a failure code (or an error reading a store whose bytes no longer parse).
  std::string sdk;
  if (!PrepareSdk(&sdk)) GTEST_SKIP() << "node/npm missing or npm ci failed (see " << sdk << ")";
  std::vector<std::string> files;
  for (const auto& c : cases) files.push_back(Path("t-" + c.name + ".jpg"));
  for (const Json& j : SdkValidate(sdk, Path("root-p256.pem"), files, Path("sdk-tampered.jsonl"))) {
    SCOPED_TRACE(j.dump());
    EXPECT_NE(j.value("state", ""), "Trusted");
    EXPECT_NE(j.value("state", ""), "Valid");
    EXPECT_TRUE(j.value("state", "") == "Error" || !j.value("failure", Json::array()).empty());
  }
}

TEST_F(ContentTest, SignerFromAnotherCaIsValidUntrusted) {
  std::string d = tmp_->path();
  ASSERT_EQ(Sh("cd " + d +
               " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
               "-keyout other-root.key -out other-root.pem -days 30 -subj '/CN=Other Root/O=Other' "
               "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign "
               ">/dev/null 2>&1 && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
               "-nodes -keyout other.key -out other.csr -subj '/CN=Other signer/O=Other' "
               ">/dev/null 2>&1 && printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,"
               "digitalSignature\\nextendedKeyUsage=1.3.6.1.4.1.62558.2.1,emailProtection\\n"
               "subjectKeyIdentifier=hash\\nauthorityKeyIdentifier=keyid\\n' > ext.cnf && openssl "
               "x509 -req -in other.csr -CA other-root.pem -CAkey other-root.key -CAcreateserial "
               "-days 30 -extfile ext.cnf -out other.pem >/dev/null 2>&1"),
            0);
  auto key = crypto::PrivateKey::FromPem(Slurp(d + "/other.key"));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  auto signer = crypto::MakeSoftwareSigner(std::move(*key));
  auto cert = x509::CertificateToDer(Slurp(d + "/other.pem"));
  auto root = x509::CertificateToDer(Slurp(d + "/other-root.pem"));
  ASSERT_TRUE(cert.ok() && root.ok());
  c2pa::SignOptions opt;
  opt.claim_signer = signer.get();
  opt.claim_chain_der = {*cert};
  opt.registry_json = Json({{"character_id", character_}, {"log_index", 0}}).dump();
  opt.uuid_bytes = std::string(16, '\x07');
  std::istringstream in(c2pa::testing::TinyJpeg());
  std::ostringstream out;
  ASSERT_TRUE(c2pa::SignStream(c2pa::Container::kJpeg, in, out, opt).ok());
  Spit(Path("other.jpg"), out.str());
  Json v = Verify(Path("other.jpg"));
  EXPECT_EQ(v.value("verdict", ""), "valid_untrusted") << v.dump(2);
  EXPECT_TRUE(HasCode(v, "signingCredential.untrusted")) << v.dump(2);
}

// npm ci of tests/c2pa_sdk into the build tree, skipped when node_modules is
// there and the lock file is unchanged. False if node or npm is missing.
bool PrepareSdk(std::string* dir) {
  *dir = VTRUST_C2PA_SDK_DIR;
  std::string src = VTRUST_C2PA_SDK_SRC;
  if (Sh("command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1") != 0) return false;
  Sh("mkdir -p " + *dir + " && cp " + src + "/validate.mjs " + src + "/build_fixture.mjs " + *dir +
     "/");
  if (Slurp(*dir + "/package-lock.json") == Slurp(src + "/package-lock.json") &&
      Sh("test -d " + *dir + "/node_modules/@contentauth/c2pa-wasm") == 0)
    return true;
  Sh("cp " + src + "/package.json " + src + "/package-lock.json " + *dir + "/");
  return Sh("cd " + *dir + " && npm ci --no-audit --no-fund >npm-ci.log 2>&1") == 0;
}

TEST_F(ContentTest, OfficialSdkTrustsVtrustOutput) {
  std::string sdk;
  if (!PrepareSdk(&sdk)) GTEST_SKIP() << "node/npm missing or npm ci failed (see " << sdk << ")";
  std::string files;
  for (std::string ext : {"jpg", "png", "wav", "mp4"}) {
    Sign(ext, "sdk." + ext);
    files += " " + Path("sdk." + ext);
  }
  std::string out = Path("sdk.jsonl");
  ASSERT_EQ(Sh("cd " + sdk + " && node validate.mjs " + Path("root-p256.pem") + files + " > " +
               out + " 2>&1"),
            0)
      << Slurp(out);
  std::istringstream lines(Slurp(out));
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    Json j = Json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << line;
    SCOPED_TRACE(j.value("file", ""));
    ++n;
    EXPECT_EQ(j.value("state", ""), "Trusted") << line;
    EXPECT_TRUE(j.value("failure", Json::array()).empty()) << line;
    bool cawg = false;
    for (const auto& c : j.value("success", Json::array()))
      cawg = cawg || c.get<std::string>() == "cawg.x509.credential.trusted" ||
             c.get<std::string>() == "cawg.identity.trusted";
    EXPECT_TRUE(cawg) << line;
  }
  EXPECT_EQ(n, 4);
}

// Remote mode: the CLI against `vtrust serve` (POST /v1/content/sign and
// /v1/content/verify with raw bodies), and the public verify without a token.
TEST_F(ContentTest, RemoteSignAndVerify) {
  std::string error;
  auto srv = ServerProcess::Start(data(), {}, &error);
  ASSERT_TRUE(srv) << error;
  CliResult r = RunCli({"--server", srv->url(), "--token", token_, "content", "sign",
                        Path("in.wav"), "--as", character_, "-o", Path("remote.wav"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.json().value("verdict", ""), "trusted") << r.Describe();
  r = RunCli(
      {"--server", srv->url(), "--token", "x", "content", "verify", Path("remote.wav"), "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.json().value("verdict", ""), "trusted") << r.Describe();
  const std::multimap<std::string, std::string> octets = {
      {"Content-Type", "application/octet-stream"}};
  HttpReply anon =
      srv->Client().Send("POST", "/v1/content/verify", Slurp(Path("remote.wav")), octets);
  EXPECT_EQ(anon.status, 200) << anon.Describe();
  EXPECT_EQ(anon.json().value("verdict", ""), "trusted") << anon.Describe();
  HttpReply denied = srv->Client().Send("POST", "/v1/content/sign?as=" + character_,
                                        Slurp(Path("in.wav")), octets);
  EXPECT_EQ(denied.status, 401) << denied.Describe();
  EXPECT_EQ(srv->Stop(), 0);
}

// A manifest the SDK wrote (c2pa-rs fixture, with a CAWG identity): read by
// vtrust, every hash and signature matches; its test CA is not a vtrust root.
TEST_F(ContentTest, ReadsAManifestWrittenByTheSdk) {
  std::string fixture = std::string(VTRUST_C2PA_SDK_SRC) + "/fixtures/C_with_CAWG_data.jpg";
  for (bool offline : {false, true}) {
    SCOPED_TRACE(offline ? "offline" : "local");
    Json v = offline ? VerifyOffline(fixture) : Verify(fixture);
    EXPECT_EQ(v.value("verdict", ""), "valid_untrusted") << v.dump(2);
    EXPECT_TRUE(HasCode(v, "claimSignature.validated")) << v.dump(2);
    EXPECT_TRUE(HasCode(v, "assertion.dataHash.match")) << v.dump(2);
    EXPECT_TRUE(HasCode(v, "cawg.x509.signature.validated")) << v.dump(2);
  }
}

// Runs the official SDK's validate.mjs on `files`; one JSON object per file.
std::vector<Json> SdkValidate(const std::string& sdk, const std::string& root,
                              const std::vector<std::string>& files, const std::string& out) {
  std::string args;
  for (const auto& f : files) args += " " + f;
  EXPECT_EQ(Sh("cd " + sdk + " && node validate.mjs " + root + args + " > " + out + " 2>&1"), 0)
      << Slurp(out);
  std::vector<Json> results;
  std::istringstream lines(Slurp(out));
  for (std::string line; std::getline(lines, line);) {
    Json j = Json::parse(line, nullptr, false);
    EXPECT_TRUE(j.is_object()) << line;
    if (j.is_object()) results.push_back(j);
  }
  EXPECT_EQ(results.size(), files.size());
  return results;
}

bool Contains(const Json& list, const std::string& code) {
  for (const auto& c : list)
    if (c.is_string() && c.get<std::string>() == code) return true;
  return false;
}

// RFC 3161: `vtrust tsa serve` answers `openssl ts -query` with a reply that
// `openssl ts -verify` accepts under the vtrust P-256 root; its certificate
// carries a critical id-kp-timeStamping EKU. A JPEG signed with --tsa carries
// sigTst2 and verifies trusted with timeStamp.validated in vtrust and in the
// official SDK (the vtrust root as anchor, timestamp trust on); the same file
// with one byte of the token's message imprint flipped gives timeStamp.mismatch.
TEST_F(ContentTest, TimestampFromVtrustTsa) {
  std::string error;
  auto tsa = WitnessProcess::Start(data(), &error, "127.0.0.1:0", {"tsa", "serve"});
  ASSERT_TRUE(tsa) << error;
  CliResult cert = Local({"tsa", "cert"});
  ASSERT_EQ(cert.exit_code, 0) << cert.Describe();
  Spit(Path("tsa.pem"), cert.out);
  ASSERT_EQ(Sh("openssl x509 -in " + Path("tsa.pem") + " -noout -text > " + Path("tsa.txt")), 0);
  std::string text = Slurp(Path("tsa.txt"));
  EXPECT_NE(text.find("X509v3 Extended Key Usage: critical"), std::string::npos) << text;
  EXPECT_NE(text.find("Time Stamping"), std::string::npos) << text;

  // openssl's own request, our reply, openssl's verification.
  Spit(Path("ts-data.bin"), "bytes to timestamp");
  ASSERT_EQ(Sh("openssl ts -query -data " + Path("ts-data.bin") + " -sha256 -cert -out " +
               Path("q.tsq") + " 2>/dev/null"),
            0);
  Api api("127.0.0.1", tsa->port());
  HttpReply reply = api.Send("POST", "/", Slurp(Path("q.tsq")),
                             {{"Content-Type", "application/timestamp-query"}});
  ASSERT_EQ(reply.status, 200) << reply.Describe();
  EXPECT_EQ(reply.content_type, "application/timestamp-reply");
  Spit(Path("r.tsr"), reply.body);
  EXPECT_EQ(Sh("openssl ts -verify -queryfile " + Path("q.tsq") + " -in " + Path("r.tsr") +
               " -CAfile " + Path("root-p256.pem") + " > " + Path("ts-verify.txt") + " 2>&1"),
            0)
      << Slurp(Path("ts-verify.txt"));
  HttpReply wrong = api.Send("POST", "/", "x", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(wrong.status, 400) << wrong.Describe();

  // A signed asset with sigTst2.
  CliResult r = Local({"content", "sign", Path("in.jpg"), "--as", character_, "--tsa", tsa->url(),
                       "-o", Path("ts.jpg"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  Json v = Verify(Path("ts.jpg"));
  EXPECT_EQ(v.value("verdict", ""), "trusted") << v.dump(2);
  EXPECT_TRUE(HasCode(v, "timeStamp.validated")) << v.dump(2);
  EXPECT_FALSE(v.value("timestamp", Json::object()).value("tsa", "").empty()) << v.dump(2);
  Json off = VerifyOffline(Path("ts.jpg"));
  EXPECT_EQ(off.value("verdict", ""), "trusted") << off.dump(2);
  EXPECT_TRUE(HasCode(off, "timeStamp.validated")) << off.dump(2);

  // The token's message imprint (SHA-256 AlgorithmIdentifier with NULL
  // parameters, then the 32-byte OCTET STRING) after the TSTInfo content type.
  std::string b = Slurp(Path("ts.jpg"));
  size_t tst = b.find(std::string("\x06\x0b\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x04", 13));
  ASSERT_NE(tst, std::string::npos);
  std::string imprint("\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20", 15);
  size_t at = b.find(imprint, tst);
  ASSERT_NE(at, std::string::npos);
  FlipInto(Path("ts.jpg"), at + imprint.size(), Path("ts-bad.jpg"));
  Json bad = Verify(Path("ts-bad.jpg"));
  EXPECT_EQ(bad.value("verdict", ""), "invalid") << bad.dump(2);
  EXPECT_TRUE(HasCode(bad, "timeStamp.mismatch")) << bad.dump(2);
  EXPECT_FALSE(HasCode(bad, "timeStamp.validated")) << bad.dump(2);

  std::string sdk;
  if (!PrepareSdk(&sdk)) GTEST_SKIP() << "node/npm missing or npm ci failed (see " << sdk << ")";
  auto results = SdkValidate(sdk, Path("root-p256.pem"), {Path("ts.jpg"), Path("ts-bad.jpg")},
                             Path("sdk-ts.jsonl"));
  ASSERT_EQ(results.size(), 2u);
  const Json& good = results[0];
  EXPECT_EQ(good.value("state", ""), "Trusted") << good.dump();
  EXPECT_TRUE(good.value("failure", Json::array()).empty()) << good.dump();
  EXPECT_TRUE(Contains(good.value("success", Json::array()), "timeStamp.validated")) << good.dump();
  // c2pa-rs reports a timestamp that does not match as informational (it then
  // validates the signer at the current time); vtrust counts it a failure.
  EXPECT_TRUE(Contains(results[1].value("informational", Json::array()), "timeStamp.mismatch") ||
              Contains(results[1].value("failure", Json::array()), "timeStamp.mismatch"))
      << results[1].dump();
  EXPECT_FALSE(Contains(results[1].value("success", Json::array()), "timeStamp.validated"))
      << results[1].dump();
}

// Holder signing: a character whose card key is the holder's (a CSR card).
// `content sign --holder-key` runs prepare, signs the identity with the key
// file, and finish; `content prepare` + `content finish --signature` do the
// same in two commands. Both outputs verify trusted in vtrust (identity
// trusted) and in the official SDK. A signature by another key is refused,
// and finish refuses an asset other than the prepared one.
TEST_F(ContentTest, HolderSignsTheIdentity) {
  CliResult ch = Local({"character", "register", "--name", "Mio", "--json"});
  ASSERT_EQ(ch.exit_code, 0) << ch.Describe();
  std::string mio = ch.json().value("id", "");
  std::string key = Path("mio.key"), csr = Path("mio.csr");
  ASSERT_EQ(Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + key +
               " 2>/dev/null && openssl req -new -key " + key + " -subj /CN=holder -out " + csr +
               " 2>/dev/null"),
            0);
  CliResult card = Local({"card", "issue", mio, "--csr", csr, "--json"});
  ASSERT_EQ(card.exit_code, 0) << card.Describe();
  std::string serial = card.json().value("serial", "");

  // Custodial signing skips the identity for this card and says why.
  CliResult no_identity = Local(
      {"content", "sign", Path("in.jpg"), "--as", mio, "-o", Path("mio-plain.jpg"), "--json"});
  ASSERT_EQ(no_identity.exit_code, 0) << no_identity.Describe();
  EXPECT_FALSE(no_identity.json().value("identity", true)) << no_identity.Describe();

  // One command.
  CliResult r = Local({"content", "sign", Path("in.png"), "--as", mio, "--holder-key", key, "-o",
                       Path("mio.png"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  Json v = Verify(Path("mio.png"));
  EXPECT_EQ(v.value("verdict", ""), "trusted") << v.dump(2);
  EXPECT_TRUE(HasCode(v, "cawg.x509.credential.trusted")) << v.dump(2);
  EXPECT_EQ(v["character"]["card"].value("serial", ""), serial) << v.dump(2);

  // Two commands, the signature made by openssl with the key file.
  CliResult prep = Local({"content", "prepare", Path("in.jpg"), "--as", mio, "--json"});
  ASSERT_EQ(prep.exit_code, 0) << prep.Describe();
  Json prepared = prep.json();
  EXPECT_EQ(prepared.value("alg", ""), "p256");
  auto tbs = Base64Decode(prepared.value("to_be_signed", ""));
  ASSERT_TRUE(tbs.ok());
  Spit(Path("tbs.bin"), *tbs);
  ASSERT_EQ(
      Sh("openssl dgst -sha256 -sign " + key + " -out " + Path("tbs.sig") + " " + Path("tbs.bin")),
      0);
  std::string index = std::to_string(prepared.value("log_index", -1));
  // Another key's signature is refused.
  std::string other = Path("other-holder.key");
  ASSERT_EQ(Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + other +
               " 2>/dev/null && openssl dgst -sha256 -sign " + other + " -out " + Path("bad.sig") +
               " " + Path("tbs.bin")),
            0);
  CliResult bad =
      Local({"content", "finish", Path("in.jpg"), "--as", mio, "--log-index", index, "--signature",
             Base64Encode(Slurp(Path("bad.sig"))), "-o", Path("mio-bad.jpg")});
  EXPECT_NE(bad.exit_code, 0) << bad.Describe();
  EXPECT_NE(bad.err.find("signature"), std::string::npos) << bad.Describe();
  // Another asset than the prepared one is refused.
  CliResult wrong =
      Local({"content", "finish", Path("in.png"), "--as", mio, "--log-index", index, "--signature",
             Base64Encode(Slurp(Path("tbs.sig"))), "-o", Path("mio-wrong.png")});
  EXPECT_NE(wrong.exit_code, 0) << wrong.Describe();
  CliResult fin =
      Local({"content", "finish", Path("in.jpg"), "--as", mio, "--log-index", index, "--signature",
             Base64Encode(Slurp(Path("tbs.sig"))), "-o", Path("mio.jpg"), "--json"});
  ASSERT_EQ(fin.exit_code, 0) << fin.Describe();
  Json v2 = Verify(Path("mio.jpg"));
  EXPECT_EQ(v2.value("verdict", ""), "trusted") << v2.dump(2);
  EXPECT_TRUE(HasCode(v2, "cawg.x509.credential.trusted")) << v2.dump(2);
  EXPECT_EQ(v2.value("manifest", ""), prepared.value("manifest", ""));

  std::string sdk;
  if (!PrepareSdk(&sdk)) GTEST_SKIP() << "node/npm missing or npm ci failed (see " << sdk << ")";
  for (const Json& j : SdkValidate(sdk, Path("root-p256.pem"), {Path("mio.png"), Path("mio.jpg")},
                                   Path("sdk-holder.jsonl"))) {
    EXPECT_EQ(j.value("state", ""), "Trusted") << j.dump();
    EXPECT_TRUE(j.value("failure", Json::array()).empty()) << j.dump();
    Json ok = j.value("success", Json::array());
    EXPECT_TRUE(Contains(ok, "cawg.x509.credential.trusted") ||
                Contains(ok, "cawg.identity.trusted"))
        << j.dump();
  }
}

// A manifest written by the SDK's own builder (tests/c2pa_sdk/build_fixture.mjs:
// c2pa-rs makes assertions, claim, store and JPEG embedding; the script
// supplies the COSE_Sign1, as 0.13.3's signer callback requires) and signed
// with an openssl-made chain: the SDK reads it Trusted under that root, and
// vtrust verifies it trusted offline with the same root, valid_untrusted
// against vtrust's roots, every hash and the signature matching.
TEST_F(ContentTest, ReadsAManifestBuiltByTheSdkBuilder) {
  std::string sdk;
  if (!PrepareSdk(&sdk)) GTEST_SKIP() << "node/npm missing or npm ci failed (see " << sdk << ")";
  std::string d = tmp_->path();
  ASSERT_EQ(Sh("cd " + d +
               " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
               "-keyout fx-root.key -out fx-root.pem -days 30 -subj '/CN=Fixture Root/O=Fixture' "
               "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign "
               ">/dev/null 2>&1 && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
               "-nodes -keyout fx.key -out fx.csr -subj '/CN=Fixture signer/O=Fixture' "
               ">/dev/null 2>&1 && printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,"
               "digitalSignature\\nextendedKeyUsage=1.3.6.1.4.1.62558.2.1,emailProtection\\n"
               "subjectKeyIdentifier=hash\\nauthorityKeyIdentifier=keyid\\n' > fx.cnf && openssl "
               "x509 -req -in fx.csr -CA fx-root.pem -CAkey fx-root.key -CAcreateserial "
               "-days 30 -extfile fx.cnf -out fx.pem >/dev/null 2>&1"),
            0);
  ASSERT_EQ(Sh("cd " + sdk + " && node build_fixture.mjs " + d + "/fx.key " + d + "/fx.pem " +
               Path("in.jpg") + " " + Path("sdk-built.jpg") + " > " + Path("fx.log") + " 2>&1"),
            0)
      << Slurp(Path("fx.log"));
  auto sdk_view = SdkValidate(sdk, d + "/fx-root.pem", {Path("sdk-built.jpg")}, Path("fx.jsonl"));
  ASSERT_EQ(sdk_view.size(), 1u);
  EXPECT_EQ(sdk_view[0].value("state", ""), "Trusted") << sdk_view[0].dump();
  CliResult off =
      RunCli({"content", "verify", Path("sdk-built.jpg"), "--trust", d + "/fx-root.pem", "--json"});
  EXPECT_EQ(off.exit_code, 0) << off.Describe();
  Json v = off.json();
  EXPECT_EQ(v.value("verdict", ""), "trusted") << v.dump(2);
  EXPECT_EQ(v.value("claim_generator", ""), "c2pa-wasm fixture") << v.dump(2);
  EXPECT_TRUE(HasCode(v, "claimSignature.validated")) << v.dump(2);
  EXPECT_TRUE(HasCode(v, "assertion.dataHash.match")) << v.dump(2);
  Json local = Verify(Path("sdk-built.jpg"));
  EXPECT_EQ(local.value("verdict", ""), "valid_untrusted") << local.dump(2);
  EXPECT_TRUE(HasCode(local, "signingCredential.untrusted")) << local.dump(2);
}

// The SDK and a vtrust sidecar: 0.13.3 cannot pair a store with its asset, so
// it reads the .c2pa alone (application/c2pa): the claim signature, the
// signer's trust and the CAWG identity validate; the one failure is the hard
// binding, hashed over the store's own bytes for want of the asset.
TEST_F(ContentTest, SdkReadsAVtrustSidecarWithoutItsAsset) {
  std::string sdk;
  if (!PrepareSdk(&sdk)) GTEST_SKIP() << "node/npm missing or npm ci failed (see " << sdk << ")";
  Sign("wav", "sdk-side.wav.c2pa");
  auto r = SdkValidate(sdk, Path("root-p256.pem"), {Path("sdk-side.wav.c2pa")}, Path("side.jsonl"));
  ASSERT_EQ(r.size(), 1u);
  Json ok = r[0].value("success", Json::array());
  EXPECT_TRUE(Contains(ok, "claimSignature.validated")) << r[0].dump();
  EXPECT_TRUE(Contains(ok, "signingCredential.trusted")) << r[0].dump();
  EXPECT_TRUE(Contains(ok, "cawg.x509.credential.trusted") || Contains(ok, "cawg.identity.trusted"))
      << r[0].dump();
  EXPECT_EQ(r[0].value("failure", Json::array()), Json::array({"assertion.dataHash.mismatch"}))
      << r[0].dump();
}

// The peak resident memory (VmHWM, KiB) of process `pid`.
long PeakRssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

// A 20 MB asset through POST /v1/content/sign and /v1/content/verify: above
// the 1 MiB default body limit, streamed to a temporary file (the server's
// peak RSS grows by much less than the asset, which it would hold twice).
TEST_F(ContentTest, TwentyMegabyteAssetThroughTheApi) {
  std::string error;
  auto srv = ServerProcess::Start(data(), {}, &error);
  ASSERT_TRUE(srv) << error;
  std::string asset = c2pa::testing::TinyJpeg(20u << 20);
  const std::multimap<std::string, std::string> octets = {
      {"Content-Type", "application/octet-stream"}};
  Api api = srv->Client(token_);
  // Warm up (first signing issues the claim-signing certificate).
  HttpReply small =
      api.Send("POST", "/v1/content/sign?as=" + character_, c2pa::testing::TinyJpeg(), octets);
  ASSERT_EQ(small.status, 200) << small.Describe();
  long before = PeakRssKib(srv->pid());
  HttpReply signed_reply = api.Send("POST", "/v1/content/sign?as=" + character_, asset, octets);
  ASSERT_EQ(signed_reply.status, 200) << signed_reply.status << " " << signed_reply.error;
  EXPECT_GT(signed_reply.body.size(), asset.size());
  EXPECT_EQ(signed_reply.content_type, "image/jpeg");
  HttpReply v = srv->Client().Send("POST", "/v1/content/verify", signed_reply.body, octets);
  ASSERT_EQ(v.status, 200) << v.status;
  EXPECT_EQ(v.json().value("verdict", ""), "trusted") << v.body.substr(0, 2000);
  long after = PeakRssKib(srv->pid());
  ASSERT_GT(before, 0);
  EXPECT_LT(after - before, 12 * 1024) << "peak RSS grew by " << (after - before) << " KiB";
  // Over the configured limit: 413 before the body is read.
  RawHttp raw(srv->port());
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE(
      raw.Write("POST /v1/content/verify HTTP/1.1\r\nHost: x\r\nContent-Type: "
                "application/octet-stream\r\nContent-Length: 1099511627776\r\n\r\n"));
  EXPECT_EQ(raw.ReadResponse().status, 413);
  EXPECT_EQ(srv->Stop(), 0);
}

// Runs last in this file (GoogleTest keeps definition order): it revokes.
TEST_F(ContentTest, RevocationsAfterSigning) {
  Json s = Sign("jpg", "rev.jpg");
  std::string signer = s.value("signer_serial", "");
  ASSERT_FALSE(signer.empty()) << s.dump();
  CliResult r = Local({"card", "revoke", card_serial_, "--reason", "keyCompromise", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  Json v = Verify(Path("rev.jpg"));
  EXPECT_EQ(v.value("verdict", ""), "trusted") << v.dump(2);
  EXPECT_EQ(v["character"]["card"].value("status", ""), "revoked") << v.dump(2);
  EXPECT_FALSE(v["character"]["card"].value("revoked_at", "").empty()) << v.dump(2);
  EXPECT_TRUE(HasCode(v, "com.vtrust.card.revoked"));
  r = Local({"card", "revoke", signer, "--reason", "keyCompromise", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  v = Verify(Path("rev.jpg"));
  EXPECT_EQ(v.value("verdict", ""), "invalid") << v.dump(2);
  EXPECT_EQ(v["producer"]["signer_status"].value("status", ""), "revoked") << v.dump(2);
  EXPECT_TRUE(HasCode(v, "signingCredential.revoked"));
}

}  // namespace
}  // namespace vt::testing
