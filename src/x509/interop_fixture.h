// A CA hierarchy of one algorithm written to a temp dir as PEM/DER files for
// the interop tests. Header-only; tests only.
#pragma once

#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/interop_util.h"
#include "x509/test_util.h"

namespace vt::x509::interop {

inline constexpr char kSm2VfyOpt[] = " -vfyopt distid:1234567812345678";

class InteropTest : public ::testing::TestWithParam<crypto::KeyAlg> {
 protected:
  InteropTest() : h_(GetParam()), card_key_(testing::NewKey(GetParam())) {
    for (int i = 0; i < 3; ++i) {
      auto card =
          h_.issuing->IssueIdCard(card_key_.Public(), testing::SampleCard(), testing::NoStore);
      EXPECT_TRUE(card.ok()) << card.status().ToString();
      cards_.push_back(*card);
      dir_.Write("card" + std::to_string(i) + ".pem", CertificateToPem(card->der));
    }
    dir_.Write("root.pem", CertificateToPem(h_.root_der));
    dir_.Write("issuing.pem", CertificateToPem(h_.issuing_der));
    dir_.Write("chain.pem", CertificateToPem(h_.issuing_der) + CertificateToPem(h_.root_der));
    CrlRequest crl;
    crl.crl_number = 3;
    crl.revoked.push_back({cards_[1].serial_hex, h_.clock.Now(), CrlReason::kKeyCompromise});
    auto der = h_.issuing->SignCrl(crl);
    EXPECT_TRUE(der.ok());
    dir_.Write("crl.der", *der);
    Sh("openssl crl -inform DER -in " + dir_ / "crl.der" + " -out " + dir_ / "crl.pem");
  }

  std::string alg() const { return std::string(crypto::KeyAlgName(GetParam())); }
  bool sm2() const { return GetParam() == crypto::KeyAlg::kSm2; }
  std::string P(const std::string& name) const { return " " + dir_ / name; }

  testing::Hierarchy h_;
  crypto::PrivateKey card_key_;
  std::vector<IssuedCert> cards_;  // [0] good, [1] revoked, [2] "unknown" to OCSP
  TempDir dir_;
};

inline std::string AlgName(const ::testing::TestParamInfo<crypto::KeyAlg>& info) {
  return std::string(crypto::KeyAlgName(info.param));
}

}  // namespace vt::x509::interop
