// SM2 distinguishing ID: proves that key.h applies "1234567812345678" on every
// signing and verifying context (OpenSSL 3's own default is the empty ID), and
// cross-checks our signatures with the `openssl` command-line tool.
// The legacy EC_KEY API builds the one kind of key that needs retyping.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/err.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "crypto/key.h"
#include "crypto/key_test_util.h"

namespace vt::crypto {
namespace {

using testutil::RawSm2Sign;
using testutil::RawSm2Verify;

const char kId[] = "1234567812345678";

TEST(Sm2Id, OpenSslDefaultIdSignatureDoesNotVerify) {
  auto key = PrivateKey::Generate(KeyAlg::kSm2);
  ASSERT_TRUE(key.ok());
  std::string default_id_sig = RawSm2Sign(key->evp(), "hello", nullptr);
  // Sanity: the raw signature is valid under OpenSSL's default ID...
  ASSERT_TRUE(RawSm2Verify(key->evp(), "hello", default_id_sig, nullptr));
  // ...but not under ours.
  EXPECT_EQ(key->Public().Verify("hello", default_id_sig).code(), StatusCode::kInvalidArgument);
  // A raw signature made with the explicit ID does verify.
  EXPECT_TRUE(key->Public().Verify("hello", RawSm2Sign(key->evp(), "hello", kId)).ok());
}

TEST(Sm2Id, OurSignatureCarriesTheId) {
  auto key = PrivateKey::Generate(KeyAlg::kSm2);
  ASSERT_TRUE(key.ok());
  auto sig = key->Sign("hello");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(RawSm2Verify(key->Public().evp(), "hello", *sig, kId));
  EXPECT_FALSE(RawSm2Verify(key->Public().evp(), "hello", *sig, nullptr));
  EXPECT_FALSE(RawSm2Verify(key->Public().evp(), "hello", *sig, "ALICE123@YAHOO.COM"));
  ERR_clear_error();
}

TEST(Sm2Id, LegacyEcKeyOnSm2CurveIsDetectedAndSignsSm2) {
  // A key built with the legacy EC_KEY API on the SM2 curve: OpenSSL 3 types
  // it "SM2" (were it "EC", OpenSSL would sign it with plain ECDSA, and
  // DetectAlg would refuse it), and our signatures over it carry the ID.
  EC_KEY* ec = EC_KEY_new_by_curve_name(NID_sm2);
  ASSERT_NE(ec, nullptr);
  ASSERT_EQ(EC_KEY_generate_key(ec), 1);
  EVP_PKEY* legacy = EVP_PKEY_new();
  ASSERT_EQ(EVP_PKEY_assign_EC_KEY(legacy, ec), 1);
  auto key = PrivateKey::FromEvp(legacy);
  auto pub = PublicKey::FromEvp(legacy);
  EVP_PKEY_free(legacy);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_EQ(key->alg(), KeyAlg::kSm2);
  EXPECT_EQ(pub->alg(), KeyAlg::kSm2);
  EXPECT_TRUE(EVP_PKEY_is_a(key->evp(), "SM2"));
  EXPECT_TRUE(EVP_PKEY_is_a(pub->evp(), "SM2"));
  auto sig = key->Sign("retyped");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(pub->Verify("retyped", *sig).ok());
  EXPECT_TRUE(RawSm2Verify(pub->evp(), "retyped", *sig, kId));
}

// Runs a shell command; true if it exited 0.
bool Shell(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0; }

TEST(Sm2Id, OpenSslCliVerifiesOurSignature) {
  if (!Shell("command -v openssl")) GTEST_SKIP() << "openssl CLI not installed";
  auto key = PrivateKey::Generate(KeyAlg::kSm2);
  ASSERT_TRUE(key.ok());
  std::string message = "cross-checked with openssl pkeyutl";
  auto sig = key->Sign(message);
  ASSERT_TRUE(sig.ok());
  std::string dir = ::testing::TempDir();
  std::string pub = dir + "/sm2_pub.pem", msg = dir + "/sm2_msg.bin", sigf = dir + "/sm2_sig.der";
  std::ofstream(pub) << key->Public().ToPem();
  std::ofstream(msg, std::ios::binary) << message;
  std::ofstream(sigf, std::ios::binary) << *sig;
  std::string verify = "openssl pkeyutl -verify -rawin -digest sm3 -pubin -inkey " + pub + " -in " +
                       msg + " -sigfile " + sigf;
  EXPECT_TRUE(Shell(verify + " -pkeyopt distid:" + kId));
  EXPECT_FALSE(Shell(verify));  // the CLI's default (empty) ID
}

}  // namespace
}  // namespace vt::crypto
