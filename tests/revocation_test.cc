// End-to-end revocation (docs/id-card-profile.md) against a live `vtrust serve`, with
// the tools a relying party runs: `openssl ocsp` (POST; good, revoked with its
// reason, unknown; nonce echoed; pre-signed no-nonce responses), the GET form
// of RFC 6960 App. A, `openssl crl` verifying the CRL at the URL written in the
// certificate and listing the revoked serial, `openssl verify -crl_check`, and
// the CA certificates at their AIA URL. SM2 responses and CRLs, which OpenSSL
// 3.0 cannot verify (no way to pass the SM2 ID), are checked with vtrust's own
// verifiers. Cards are issued and revoked through the CLI contract:
// `vtrust card issue ID --alg A --json`, `vtrust card revoke SERIAL --reason R`.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include "base/encoding.h"
#include "tests/harness.h"
#include "x509/crl.h"
#include "x509/ocsp.h"

namespace vt::testing {
namespace {

struct Shell {
  int code = -1;
  std::string out;  // stdout and stderr
};

// Runs `cmd` with /bin/sh, stderr folded into stdout.
Shell Sh(const std::string& cmd) {
  Shell r;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

bool Has(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

std::string Percent(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c)) {
      out += static_cast<char>(c);
    } else {
      char b[4];
      snprintf(b, sizeof b, "%%%02X", c);
      out += b;
    }
  }
  return out;
}

// A card issued through the CLI, its files written in the test directory.
struct Card {
  std::string serial;
  std::string pem, chain_pem;
  std::string card_file, issuing_file, root_file;
};

class RevocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.Sub("data");
    auto init = InitDataDir(dir_);
    ASSERT_TRUE(init);
    token_ = init->token;
    // `vtrust init` may create the CA already; otherwise `ca init` does.
    CliResult ca = RunCli({"ca", "init", "--data", dir_, "--json"});
    ASSERT_TRUE(ca.exit_code == 0 || ca.err.find("initialized already") != std::string::npos)
        << ca.Describe();
    std::string error;
    srv_ = ServerProcess::Start(dir_, {}, &error);
    ASSERT_TRUE(srv_) << error;
    CliResult roots = Remote({"ca", "roots", "--json"});
    ASSERT_EQ(roots.exit_code, 0) << roots.Describe();
    for (std::string alg : {"p256", "ed25519", "sm2"}) {
      ASSERT_TRUE(roots.json()[alg].is_string()) << roots.Describe();
      Write(alg + "-root.pem", roots.json()[alg].get<std::string>());
    }
    CliResult ch = Remote({"character", "register", "--name", "Aria", "--json"});
    ASSERT_EQ(ch.exit_code, 0) << ch.Describe();
    character_ = ch.json().value("id", "");
  }

  CliResult Remote(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", srv_->url(), "--token", token_});
    return RunCli(args);
  }
  std::string Write(const std::string& name, const std::string& data) {
    std::string path = tmp_.Sub(name);
    std::ofstream(path, std::ios::binary) << data;
    return path;
  }
  std::string Read(const std::string& name) {
    std::ifstream in(tmp_.Sub(name), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  Card Issue(const std::string& alg) {
    Card c;
    CliResult r = Remote({"card", "issue", character_, "--alg", alg, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    c.serial = r.json().value("serial", "");
    c.pem = r.json().value("certificate", "");
    c.chain_pem = r.json().value("chain", "");
    EXPECT_FALSE(c.serial.empty()) << r.Describe();
    c.card_file = Write(alg + "-card-" + c.serial + ".pem", c.pem);
    c.issuing_file = Write(alg + "-issuing.pem", c.chain_pem);
    c.root_file = tmp_.Sub(alg + "-root.pem");
    return c;
  }
  void Revoke(const std::string& serial, const std::string& reason) {
    CliResult r = Remote({"card", "revoke", serial, "--reason", reason, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
  }
  // `openssl ocsp` against the live responder (POST).
  Shell OpensslOcsp(const Card& c, const std::string& alg, const std::string& extra) {
    return Sh("openssl ocsp -issuer '" + c.issuing_file + "' " + extra + " -url " + srv_->url() +
              "/pki/ocsp/" + alg + " -CAfile '" + c.root_file + "' -resp_text");
  }
  // The URI after `label` (a regex) in `openssl x509 -text` of `pem`.
  std::string Url(const std::string& pem, const std::string& label) {
    Shell s = Sh("printf '%s' '" + pem + "' | openssl x509 -noout -text");
    std::smatch m;
    std::regex re(label + R"(\s*URI:(\S+))");
    return std::regex_search(s.out, m, re) ? m[1].str() : "";
  }

  TempDir tmp_;
  std::string dir_, token_, character_;
  std::unique_ptr<ServerProcess> srv_;
};

class RevocationAlgTest : public RevocationTest,
                          public ::testing::WithParamInterface<std::string> {};

// P-256 and Ed25519: `openssl ocsp` verifies the delegated responder's
// signature up to the root.
TEST_P(RevocationAlgTest, OpensslOcspGoodRevokedUnknown) {
  const std::string alg = GetParam();
  Card card = Issue(alg);
  ASSERT_FALSE(HasFailure());
  // The OCSP URL in the certificate is this route.
  EXPECT_TRUE(Url(card.pem, "OCSP -").ends_with("/pki/ocsp/" + alg)) << card.pem;

  std::string cert = "-cert '" + card.card_file + "'";
  Shell good = OpensslOcsp(card, alg, cert);  // with a nonce (openssl's default)
  EXPECT_EQ(good.code, 0) << good.out;
  EXPECT_TRUE(Has(good.out, "Response verify OK")) << good.out;
  EXPECT_TRUE(Has(good.out, card.card_file + ": good")) << good.out;
  EXPECT_TRUE(Has(good.out, "OCSP Nonce")) << good.out;          // echoed ...
  EXPECT_FALSE(Has(good.out, "WARNING: no nonce")) << good.out;  // ... and checked
  // Without a nonce: the pre-signed response, identical the second time.
  Shell a = OpensslOcsp(card, alg, cert + " -no_nonce -respout '" + tmp_.Sub("a.der") + "'");
  Shell b = OpensslOcsp(card, alg, cert + " -no_nonce -respout '" + tmp_.Sub("b.der") + "'");
  EXPECT_TRUE(Has(a.out, ": good") && Has(b.out, ": good")) << a.out << b.out;
  EXPECT_EQ(Read("a.der"), Read("b.der"));

  Revoke(card.serial, "keyCompromise");
  for (std::string nonce : {"", "-no_nonce"}) {
    Shell revoked = OpensslOcsp(card, alg, cert + " " + nonce);
    EXPECT_TRUE(Has(revoked.out, "Response verify OK")) << revoked.out;
    EXPECT_TRUE(Has(revoked.out, card.card_file + ": revoked")) << revoked.out;
    EXPECT_TRUE(Has(revoked.out, "Reason: keyCompromise")) << revoked.out;
  }

  // A serial this CA never issued.
  Shell unknown = OpensslOcsp(card, alg, "-serial 0x5eed00000000000000000000000000aa");
  EXPECT_TRUE(Has(unknown.out, "Response verify OK")) << unknown.out;
  EXPECT_TRUE(Has(unknown.out, ": unknown")) << unknown.out;
}

// Several certificates in one request, and the GET form (RFC 6960 App. A.1)
// with RFC 5019 caching headers.
TEST_P(RevocationAlgTest, SeveralCertificatesAndGetForm) {
  const std::string alg = GetParam();
  Card c1 = Issue(alg), c2 = Issue(alg);
  ASSERT_FALSE(HasFailure());
  Revoke(c2.serial, "superseded");
  Shell both = OpensslOcsp(c1, alg, "-cert '" + c1.card_file + "' -cert '" + c2.card_file + "'");
  EXPECT_TRUE(Has(both.out, "Response verify OK")) << both.out;
  EXPECT_TRUE(Has(both.out, c1.card_file + ": good")) << both.out;
  EXPECT_TRUE(Has(both.out, c2.card_file + ": revoked")) << both.out;
  EXPECT_TRUE(Has(both.out, "Reason: superseded")) << both.out;

  Shell req = Sh("openssl ocsp -issuer '" + c1.issuing_file + "' -cert '" + c1.card_file +
                 "' -no_nonce -reqout '" + tmp_.Sub("req.der") + "'");
  ASSERT_EQ(req.code, 0) << req.out;
  std::string path = "/pki/ocsp/" + alg + "/" + Percent(Base64Encode(Read("req.der")));
  HttpReply got = srv_->Client().Get(path);
  ASSERT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(got.content_type, "application/ocsp-response");
  auto cc = got.headers.find("Cache-Control");
  ASSERT_NE(cc, got.headers.end());
  EXPECT_TRUE(std::regex_search(cc->second, std::regex(R"(max-age=\d+)"))) << cc->second;
  EXPECT_NE(got.headers.find("Last-Modified"), got.headers.end());
  EXPECT_NE(got.headers.find("Expires"), got.headers.end());
  Write("get.der", got.body);
  Shell check =
      Sh("openssl ocsp -respin '" + tmp_.Sub("get.der") + "' -issuer '" + c1.issuing_file +
         "' -cert '" + c1.card_file + "' -CAfile '" + c1.root_file + "' -no_nonce");
  EXPECT_TRUE(Has(check.out, "Response verify OK")) << check.out;
  EXPECT_TRUE(Has(check.out, c1.card_file + ": good")) << check.out;
  // The same request unescaped ('/' and '+' of base64 left raw in the path).
  HttpReply raw = srv_->Client().Get("/pki/ocsp/" + alg + "/" + Base64Encode(Read("req.der")));
  EXPECT_EQ(raw.status, 200) << raw.Describe();
  EXPECT_EQ(raw.body, got.body);  // both served from the cache
}

// The CRL at the certificate's CRL DP verifies under the issuing CA and lists
// the revoked card; `openssl verify -crl_check` then refuses the card.
TEST_P(RevocationAlgTest, OpensslCrl) {
  const std::string alg = GetParam();
  Card keep = Issue(alg), gone = Issue(alg);
  ASSERT_FALSE(HasFailure());
  std::string crl_url = Url(gone.pem, "Full Name:");
  ASSERT_TRUE(crl_url.ends_with("/pki/crl/" + alg + ".crl")) << gone.pem;
  Revoke(gone.serial, "keyCompromise");
  HttpReply crl = srv_->Client().Get("/pki/crl/" + alg + ".crl");
  ASSERT_EQ(crl.status, 200) << crl.Describe();
  EXPECT_EQ(crl.content_type, "application/pkix-crl");
  Write("crl.der", crl.body);
  Shell v = Sh("openssl crl -in '" + tmp_.Sub("crl.der") + "' -inform DER -CAfile '" +
               gone.issuing_file + "' -noout -text");
  EXPECT_TRUE(Has(v.out, "verify OK")) << v.out;
  std::string upper = gone.serial;
  for (auto& ch : upper) ch = static_cast<char>(toupper(ch));
  EXPECT_TRUE(Has(v.out, "Serial Number: " + upper)) << v.out;
  EXPECT_TRUE(Has(v.out, "Key Compromise")) << v.out;
  EXPECT_FALSE(Has(v.out, keep.serial)) << v.out;

  Sh("openssl crl -in '" + tmp_.Sub("crl.der") + "' -inform DER -out '" + tmp_.Sub("crl.pem") +
     "'");
  Write("chain.pem", Read(alg + "-root.pem") + gone.chain_pem);
  Shell refused = Sh("openssl verify -crl_check -CAfile '" + tmp_.Sub("chain.pem") +
                     "' -CRLfile '" + tmp_.Sub("crl.pem") + "' '" + gone.card_file + "'");
  EXPECT_NE(refused.code, 0) << refused.out;
  EXPECT_TRUE(Has(refused.out, "error 23")) << refused.out;  // certificate revoked
  Shell fine = Sh("openssl verify -crl_check -CAfile '" + tmp_.Sub("chain.pem") + "' -CRLfile '" +
                  tmp_.Sub("crl.pem") + "' '" + keep.card_file + "'");
  EXPECT_EQ(fine.code, 0) << fine.out;
}

INSTANTIATE_TEST_SUITE_P(Algs, RevocationAlgTest, ::testing::Values("p256", "ed25519"));

// SM2: OpenSSL 3.0 cannot pass the SM2 ID to `openssl ocsp` or `openssl crl`,
// so the live responses are checked with vtrust's verifiers (the GM/T 0009 ID).
TEST_F(RevocationTest, Sm2OcspAndCrlVerifyWithTheSm2Id) {
  Card card = Issue("sm2");
  ASSERT_FALSE(HasFailure());
  Shell req = Sh("openssl ocsp -issuer '" + card.issuing_file + "' -cert '" + card.card_file +
                 "' -reqout '" + tmp_.Sub("sm2req.der") + "'");
  ASSERT_EQ(req.code, 0) << req.out;
  std::string issuing = card.chain_pem;
  auto ask = [&] {
    HttpReply r = srv_->Client().Send("POST", "/pki/ocsp/sm2", Read("sm2req.der"),
                                      {{"Content-Type", "application/ocsp-request"}});
    EXPECT_EQ(r.status, 200) << r.Describe();
    return x509::VerifyOcspResponse(r.body, issuing, card.serial, SystemClock::Get().Now());
  };
  auto good = ask();
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(good->status.state, x509::OcspCertState::kGood);
  Revoke(card.serial, "keyCompromise");
  auto revoked = ask();
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->status.state, x509::OcspCertState::kRevoked);
  EXPECT_EQ(revoked->status.reason, x509::CrlReason::kKeyCompromise);

  HttpReply crl = srv_->Client().Get("/pki/crl/sm2.crl");
  ASSERT_EQ(crl.status, 200) << crl.Describe();
  auto info = x509::VerifyCrl(crl.body, issuing);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_EQ(info->revoked.size(), 1u);
  EXPECT_EQ(info->revoked[0].serial_hex, card.serial);
}

// The CA certificates at their AIA URL; garbage and unknown paths; no token
// needed anywhere under /pki.
TEST_F(RevocationTest, CaCertificatesAndBadRequests) {
  Card card = Issue("p256");
  ASSERT_FALSE(HasFailure());
  EXPECT_TRUE(Url(card.pem, "CA Issuers -").ends_with("/pki/ca/p256-issuing.der")) << card.pem;
  Api anon = srv_->Client();
  HttpReply issuing = anon.Get("/pki/ca/p256-issuing.der");
  ASSERT_EQ(issuing.status, 200) << issuing.Describe();
  EXPECT_EQ(issuing.content_type, "application/pkix-cert");
  Write("issuing.der", issuing.body);
  Shell same = Sh("openssl x509 -inform DER -in '" + tmp_.Sub("issuing.der") + "' | cmp - '" +
                  card.issuing_file + "'");
  EXPECT_EQ(same.code, 0) << same.out;
  HttpReply root = anon.Get("/pki/ca/sm2-root.der");
  ASSERT_EQ(root.status, 200) << root.Describe();
  EXPECT_EQ(anon.Get("/pki/ca/rsa-root.der").status, 404);
  EXPECT_EQ(anon.Get("/pki/crl/rsa.crl").status, 404);
  EXPECT_EQ(anon.Get("/pki/ca/p256-issuing.pem").status, 404);

  // malformedRequest (1) for garbage, by POST and by GET.
  const std::string malformed("\x30\x03\x0a\x01\x01", 5);
  HttpReply g = anon.Send("POST", "/pki/ocsp/p256", "garbage",
                          {{"Content-Type", "application/ocsp-request"}});
  EXPECT_EQ(g.status, 200) << g.Describe();
  EXPECT_EQ(g.body, malformed);
  EXPECT_EQ(anon.Get("/pki/ocsp/p256/%%%").body, malformed);
  EXPECT_EQ(anon.Get("/pki/ocsp/p256/AAAA").body, malformed);
  // unauthorized (6): the p256 CertID sent to the Ed25519 responder.
  Shell req = Sh("openssl ocsp -issuer '" + card.issuing_file + "' -cert '" + card.card_file +
                 "' -reqout '" + tmp_.Sub("req.der") + "'");
  ASSERT_EQ(req.code, 0) << req.out;
  HttpReply wrong = anon.Send("POST", "/pki/ocsp/ed25519", Read("req.der"),
                              {{"Content-Type", "application/ocsp-request"}});
  EXPECT_EQ(wrong.body, std::string("\x30\x03\x0a\x01\x06", 5));
}

}  // namespace
}  // namespace vt::testing
