#include "crypto/spki_verify.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "crypto/ossl.h"

namespace vt::crypto {
namespace {

std::string Spki(EVP_PKEY* key) {
  int n = i2d_PUBKEY(key, nullptr);
  std::string out(static_cast<size_t>(n), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  i2d_PUBKEY(key, &p);
  return out;
}

std::string SignWith(EVP_PKEY* key, const EVP_MD* md, bool pss, std::string_view msg) {
  ossl::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  EXPECT_EQ(EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key), 1);
  if (pss) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md);
  }
  size_t len = 0;
  const auto* m = reinterpret_cast<const unsigned char*>(msg.data());
  EVP_DigestSign(ctx.get(), nullptr, &len, m, msg.size());
  std::string sig(len, '\0');
  EXPECT_EQ(
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, m, msg.size()),
      1);
  sig.resize(len);
  return sig;
}

TEST(SpkiVerifyTest, Ps256AndEs384) {
  ossl::EvpPkeyPtr rsa(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  ASSERT_NE(rsa, nullptr);
  std::string sig = SignWith(rsa.get(), EVP_sha256(), true, "claim");
  EXPECT_TRUE(VerifyWithSpki(Spki(rsa.get()), SigScheme::kPssSha256, "claim", sig).ok());
  EXPECT_FALSE(VerifyWithSpki(Spki(rsa.get()), SigScheme::kPssSha256, "claim!", sig).ok());
  EXPECT_FALSE(VerifyWithSpki(Spki(rsa.get()), SigScheme::kEcdsaSha256, "claim", sig).ok());

  ossl::EvpPkeyPtr ec(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
  ASSERT_NE(ec, nullptr);
  std::string der = SignWith(ec.get(), EVP_sha384(), false, "claim");
  EXPECT_TRUE(VerifyWithSpki(Spki(ec.get()), SigScheme::kEcdsaSha384, "claim", der).ok());
  EXPECT_FALSE(VerifyWithSpki(Spki(ec.get()), SigScheme::kPssSha384, "claim", der).ok());
  EXPECT_FALSE(VerifyWithSpki("not a key", SigScheme::kEcdsaSha384, "claim", der).ok());
}

}  // namespace
}  // namespace vt::crypto
