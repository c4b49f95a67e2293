// Interop with the tools relying parties run (docs/interop.md): OpenSSL,
// GnuTLS certtool and NSS vfychain against certificates and CRLs vtrust wrote.
#include "x509/interop_fixture.h"

namespace vt::x509::interop {
namespace {

const auto* const kReport = ::testing::AddGlobalTestEnvironment(new ReportEnvironment);

using crypto::KeyAlg;

TEST_P(InteropTest, OpensslVerifiesTheChain) {
  std::string opt = sm2() ? kSm2VfyOpt : "";
  auto full = Sh("openssl verify -CAfile" + P("root.pem") + " -untrusted" + P("issuing.pem") + opt +
                 P("card0.pem"));
  bool full_ok = full.code == 0 && Contains(full.out, "card0.pem: OK");
  Observations::Get().Record("openssl verify -CAfile root -untrusted issuing card", alg(), full_ok,
                             full_ok ? "" : ErrorLine(full.out));
  if (!sm2()) {
    EXPECT_TRUE(full_ok) << full.out;
  } else {
    // OpenSSL 3.0's -vfyopt sets the SM2 ID on the target certificate only, so
    // an SM2 chain verifies link by link, each link with the GM/T ID.
    auto upper = Sh("openssl verify -CAfile" + P("root.pem") + opt + P("issuing.pem"));
    auto lower =
        Sh("openssl verify -partial_chain -CAfile" + P("issuing.pem") + opt + P("card0.pem"));
    EXPECT_EQ(upper.code, 0) << upper.out;
    EXPECT_EQ(lower.code, 0) << lower.out;
    Observations::Get().Record("openssl verify, link by link (root→issuing, issuing→card)", alg(),
                               upper.code == 0 && lower.code == 0, "-vfyopt distid:...");
    // Without the GM/T ID the signature does not verify: the ID is really used.
    auto no_id = Sh("openssl verify -partial_chain -CAfile" + P("issuing.pem") + P("card0.pem"));
    EXPECT_NE(no_id.code, 0) << no_id.out;
  }
  // A different root of the same algorithm does not anchor the card.
  testing::Hierarchy other(GetParam());
  dir_.Write("other-root.pem", CertificateToPem(other.root_der));
  auto wrong = Sh("openssl verify -CAfile" + P("other-root.pem") + " -untrusted" +
                  P("issuing.pem") + opt + P("card0.pem"));
  EXPECT_NE(wrong.code, 0) << wrong.out;
}

TEST_P(InteropTest, OpensslShowsTheProfile) {
  auto text = Sh("openssl x509 -noout -text -in" + P("card0.pem"));
  ASSERT_EQ(text.code, 0) << text.out;
  for (const std::string& want :
       {std::string("URI:urn:vtrust:char:VC-0000-0002-1825-0097"),
        std::string("OCSP - URI:http://127.0.0.1:8080/ocsp"),
        "CA Issuers - URI:http://127.0.0.1:8080/ca/" + alg() + ".der",
        "URI:http://127.0.0.1:8080/crl/" + alg() + ".crl",
        std::string("2.25.3842954383248606839.1.1"), std::string("CA:FALSE"),
        std::string("Digital Signature"), std::string("TLS Web Client Authentication"),
        std::string("Subject: O = Vsinger Studio, CN = Luo Tianyi")}) {
    EXPECT_TRUE(Contains(text.out, want)) << "missing \"" << want << "\" in\n" << text.out;
  }
  // The vtrust extension decodes with OpenSSL's generic ASN.1 parser.
  auto info = InspectCertificate(cards_[0].der);
  ASSERT_TRUE(info.ok());
  dir_.Write("ext.der", *EncodeIdCardExtension(*info->id_card));
  auto parsed = Sh("openssl asn1parse -inform DER -in" + P("ext.der"));
  EXPECT_EQ(parsed.code, 0) << parsed.out;
  for (const char* want : {":VC-0000-0002-1825-0097", ":Vsinger Studio", "BOOLEAN           :255",
                           "ENUMERATED", "cont [ 0 ]"}) {
    EXPECT_TRUE(Contains(parsed.out, want)) << want << " in\n" << parsed.out;
  }
}

TEST_P(InteropTest, OpensslChecksTheCrl) {
  auto crl =
      Sh("openssl crl -in" + P("crl.der") + " -inform DER -CAfile" + P("issuing.pem") + " -noout");
  bool ok = crl.code == 0 && Contains(crl.out, "verify OK");
  Observations::Get().Record("openssl crl -CAfile issuing (CRL signature)", alg(), ok,
                             ok ? "" : ErrorLine(crl.out));
  auto text = Sh("openssl crl -in" + P("crl.der") + " -inform DER -noout -text");
  EXPECT_TRUE(Contains(text.out, "Key Compromise")) << text.out;
  EXPECT_TRUE(Contains(text.out, "X509v3 CRL Number")) << text.out;

  std::string opt = sm2() ? kSm2VfyOpt : "";
  auto revoked = Sh("openssl verify -crl_check -CAfile" + P("chain.pem") + " -CRLfile" +
                    P("crl.pem") + opt + P("card1.pem"));
  bool error23 = Contains(revoked.out, "error 23");
  auto good = Sh("openssl verify -crl_check -CAfile" + P("chain.pem") + " -CRLfile" + P("crl.pem") +
                 opt + P("card0.pem"));
  Observations::Get().Record("openssl verify -crl_check (revoked card → error 23)", alg(),
                             error23 && good.code == 0, error23 ? "" : ErrorLine(revoked.out));
  if (!sm2()) {
    EXPECT_TRUE(ok) << crl.out;
    EXPECT_TRUE(error23) << revoked.out;
    EXPECT_EQ(good.code, 0) << good.out;  // the unrevoked card passes the same check
  }
}

TEST_P(InteropTest, GnutlsCerttoolVerifies) {
  // GnuTLS (libtasn1 4.19) refuses any certificate with an OID arc >= 2^64,
  // which is why vtrust's arc is kept below it (idcard_ext.h).
  auto info = Sh("certtool -i --infile" + P("card0.pem"));
  EXPECT_EQ(info.code, 0) << info.out;
  EXPECT_TRUE(Contains(info.out, "Unknown extension 2.25.3842954383248606839.1.1")) << info.out;
  Observations::Get().Record("certtool -i parses the ID card", alg(), info.code == 0);
  auto run =
      Sh("certtool --verify --load-ca-certificate" + P("chain.pem") + " --infile" + P("card0.pem"));
  bool ok = Contains(run.out, "Chain verification output: Verified.");
  Observations::Get().Record("certtool --verify (GnuTLS)", alg(), ok,
                             ok ? "" : LineWith(run.out, "Chain verification output"));
  if (!sm2()) {
    EXPECT_TRUE(ok) << run.out;
  }
  testing::Hierarchy other(GetParam());
  // Trust only another hierarchy (certtool trusts every loaded CA certificate).
  dir_.Write("other-chain.pem",
             CertificateToPem(other.issuing_der) + CertificateToPem(other.root_der));
  auto wrong = Sh("certtool --verify --load-ca-certificate" + P("other-chain.pem") + " --infile" +
                  P("card0.pem"));
  EXPECT_FALSE(Contains(wrong.out, "output: Verified.")) << wrong.out;
}

TEST_P(InteropTest, NssVfychainVerifies) {
  std::string db = "sql:" + dir_ / "nss";
  Sh("mkdir -p" + P("nss"));
  auto init = Sh("certutil -N -d " + db + " --empty-password");
  ASSERT_EQ(init.code, 0) << init.out;
  auto add = Sh("certutil -A -d " + db + " -n vtrust-root -t CT,C,C -a -i" + P("root.pem"));
  auto chain = Sh("vfychain -d " + db + " -u 0 -pp -a" + P("card0.pem") + " -a" + P("issuing.pem"));
  bool ok = add.code == 0 && chain.code == 0 && Contains(chain.out, "Chain is good!");
  std::string note = add.code != 0 ? "certutil cannot import the root: " + FirstLine(add.out)
                                   : (ok ? "" : FirstLine(chain.out));
  Observations::Get().Record("vfychain -u 0 -pp (NSS)", alg(), ok, note);
  if (GetParam() == KeyAlg::kP256) {
    EXPECT_TRUE(ok) << add.out << chain.out;
    // The revoked-by-nothing control: a card from another hierarchy is bad.
    testing::Hierarchy other(GetParam());
    auto stray =
        other.issuing->IssueIdCard(card_key_.Public(), testing::SampleCard(), testing::NoStore);
    dir_.Write("stray.pem", CertificateToPem(stray->der));
    dir_.Write("stray-issuing.pem", CertificateToPem(other.issuing_der));
    auto bad =
        Sh("vfychain -d " + db + " -u 0 -pp -a" + P("stray.pem") + " -a" + P("stray-issuing.pem"));
    EXPECT_FALSE(Contains(bad.out, "Chain is good!")) << bad.out;
  }
}

TEST_P(InteropTest, OpensslCsrsAreAccepted) {
  std::string genkey = GetParam() == KeyAlg::kP256
                           ? "-algorithm EC -pkeyopt ec_paramgen_curve:P-256"
                       : GetParam() == KeyAlg::kEd25519 ? "-algorithm ED25519"
                                                        : "-algorithm SM2";
  ASSERT_EQ(Sh("openssl genpkey " + genkey + " -out" + P("k.pem")).code, 0);
  std::string sigopt = sm2() ? " -sm3 -sigopt distid:1234567812345678" : "";
  auto req = Sh("openssl req -new -key" + P("k.pem") + " -subj /CN=holder" + sigopt + " -out" +
                P("csr.pem"));
  ASSERT_EQ(req.code, 0) << req.out;
  auto card =
      h_.issuing->IssueIdCardFromCsr(dir_.Read("csr.pem"), testing::SampleCard(), testing::NoStore);
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  Observations::Get().Record("vtrust accepts `openssl req` CSR", alg(), true,
                             sm2() ? "-sigopt distid:1234567812345678" : "");
  // The issued card holds the CSR's key (checked by OpenSSL).
  dir_.Write("from-csr.pem", CertificateToPem(card->der));
  auto pub_card = Sh("openssl x509 -noout -pubkey -in" + P("from-csr.pem"));
  auto pub_key = Sh("openssl pkey -pubout -in" + P("k.pem"));
  EXPECT_EQ(pub_card.out, pub_key.out);
  if (sm2()) {
    // A CSR signed with OpenSSL's default (empty) SM2 ID is not a valid proof.
    Sh("openssl req -new -key" + P("k.pem") + " -subj /CN=holder -sm3 -out" + P("noid.pem"));
    auto refused = h_.issuing->IssueIdCardFromCsr(dir_.Read("noid.pem"), testing::SampleCard(),
                                                  testing::NoStore);
    EXPECT_EQ(refused.status().field(), "csr");
  }
}

INSTANTIATE_TEST_SUITE_P(Algs, InteropTest,
                         ::testing::Values(KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2), AlgName);

}  // namespace
}  // namespace vt::x509::interop
