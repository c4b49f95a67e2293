// Encodings (key.h): SPKI and PKCS#8 in PEM and DER, encrypted PKCS#8 (scrypt),
// sealing under a KEK, and rejection of garbage and unsupported keys.
#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/encoding.h"
#include "crypto/key.h"
#include "crypto/key_test_util.h"

namespace vt::crypto {
namespace {

using testutil::H;

class CodecTest : public ::testing::TestWithParam<KeyAlg> {};

INSTANTIATE_TEST_SUITE_P(AllAlgs, CodecTest,
                         ::testing::Values(KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2),
                         [](const auto& info) { return std::string(KeyAlgName(info.param)); });

// Two keys sign the same way iff each verifies the other's signatures.
void ExpectSameKey(const PrivateKey& a, const PrivateKey& b) {
  EXPECT_EQ(a.alg(), b.alg());
  EXPECT_TRUE(a.Public() == b.Public());
  auto sig = b.Sign("same key?");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(a.Public().Verify("same key?", *sig).ok());
}

TEST_P(CodecTest, PublicPemAndDerRoundTrip) {
  auto key = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.ok());
  PublicKey pub = key->Public();
  std::string pem = pub.ToPem();
  EXPECT_EQ(pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
  auto from_pem = PublicKey::FromPem(pem);
  ASSERT_TRUE(from_pem.ok()) << from_pem.status().ToString();
  EXPECT_TRUE(*from_pem == pub);
  EXPECT_EQ(from_pem->alg(), GetParam());
  auto from_der = PublicKey::FromDer(pub.ToDer());
  ASSERT_TRUE(from_der.ok());
  EXPECT_EQ(from_der->ToDer(), pub.ToDer());
  auto from_raw = PublicKey::FromRawBytes(GetParam(), pub.RawBytes());
  ASSERT_TRUE(from_raw.ok()) << from_raw.status().ToString();
  EXPECT_TRUE(*from_raw == pub);
  EXPECT_EQ(pub.RawBytes().size(), GetParam() == KeyAlg::kEd25519 ? 32u : 65u);
  auto other = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->Public() == pub);
}

TEST_P(CodecTest, PrivatePemAndDerRoundTrip) {
  auto key = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.ok());
  auto der = key->ToDer();
  ASSERT_TRUE(der.ok());
  auto from_der = PrivateKey::FromDer(*der);
  ASSERT_TRUE(from_der.ok()) << from_der.status().ToString();
  ExpectSameKey(*key, *from_der);
  auto pem = key->ToPem("");
  ASSERT_TRUE(pem.ok());
  EXPECT_EQ(pem->rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u);
  auto from_pem = PrivateKey::FromPem(*pem);
  ASSERT_TRUE(from_pem.ok()) << from_pem.status().ToString();
  ExpectSameKey(*key, *from_pem);
  // Copies share the key.
  PrivateKey copy = *key;
  EXPECT_EQ(copy.evp(), key->evp());
}

TEST_P(CodecTest, EncryptedPemUsesScryptAndNeedsThePassphrase) {
  auto key = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.ok());
  auto pem = key->ToPem("correct horse");
  ASSERT_TRUE(pem.ok());
  EXPECT_EQ(pem->rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----\n", 0), 0u);
  // The DER carries the id-scrypt (1.3.6.1.4.1.11591.4.11) and aes256-CBC OIDs.
  std::string body = *pem;
  auto begin = body.find('\n') + 1, end = body.find("-----END");
  std::string b64 = body.substr(begin, end - begin);
  std::erase(b64, '\n');
  auto der = Base64Decode(b64);
  ASSERT_TRUE(der.ok());
  EXPECT_NE(der->find(H("06092b06010401da47040b")), std::string::npos);
  EXPECT_NE(der->find(H("060960864801650304012a")), std::string::npos);
  auto back = PrivateKey::FromPem(*pem, "correct horse");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameKey(*key, *back);
  EXPECT_EQ(PrivateKey::FromPem(*pem, "wrong horse").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(PrivateKey::FromPem(*pem).status().code(), StatusCode::kPermissionDenied);
}

TEST(Codec, ReadsPbkdf2EncryptedPemFromOpenSsl) {
  // OpenSSL's own default for encrypted PKCS#8 (PBES2 with PBKDF2).
  auto key = PrivateKey::Generate(KeyAlg::kP256);
  ASSERT_TRUE(key.ok());
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(bio, key->evp(), EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                          const_cast<char*>("pw")),
            1);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, n);
  BIO_free(bio);
  auto back = PrivateKey::FromPem(pem, "pw");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameKey(*key, *back);
  EXPECT_EQ(PrivateKey::FromPem(pem, "pv").status().code(), StatusCode::kPermissionDenied);
}

TEST(Codec, OpenSslCliOpensOurEncryptedPem) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl CLI";
  auto key = PrivateKey::Generate(KeyAlg::kSm2);
  ASSERT_TRUE(key.ok());
  std::string in = ::testing::TempDir() + "/enc_key.pem";
  std::string out = ::testing::TempDir() + "/enc_key_pub.pem";
  std::ofstream(in) << *key->ToPem("s3cret");
  std::string cmd = "openssl pkey -in " + in + " -passin pass:s3cret -pubout -out " + out;
  ASSERT_EQ(std::system((cmd + " 2>/dev/null").c_str()), 0);
  std::stringstream pub;
  pub << std::ifstream(out).rdbuf();
  EXPECT_EQ(pub.str(), key->Public().ToPem());
  cmd = "openssl pkey -in " + in + " -passin pass:wrong -pubout -out " + out;
  EXPECT_NE(std::system((cmd + " 2>/dev/null").c_str()), 0);
}

TEST(Codec, SealUnderKek) {
  auto key = PrivateKey::Generate(KeyAlg::kEd25519);
  ASSERT_TRUE(key.ok());
  std::string kek = H("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  auto sealed = SealKeyPem(*key, kek);
  ASSERT_TRUE(sealed.ok());
  auto back = UnsealKeyPem(*sealed, kek);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameKey(*key, *back);
  // Documented format: the passphrase is the hex of the KEK.
  EXPECT_TRUE(PrivateKey::FromPem(*sealed, HexEncode(kek)).ok());
  std::string other = kek;
  other[0] ^= 1;
  EXPECT_EQ(UnsealKeyPem(*sealed, other).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(SealKeyPem(*key, "short").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(UnsealKeyPem(*key->ToPem(""), kek).status().code(), StatusCode::kInvalidArgument);
}

// The DER inside the first PEM block of `pem`.
std::string PemBody(const std::string& pem) {
  auto begin = pem.find('\n') + 1, end = pem.find("-----END");
  std::string b64 = pem.substr(begin, end - begin);
  std::erase(b64, '\n');
  auto der = Base64Decode(b64);
  return der.ok() ? *der : std::string();
}

TEST(Codec, SealUsesCheapPbkdf2NotScrypt) {
  auto key = PrivateKey::Generate(KeyAlg::kP256);
  ASSERT_TRUE(key.ok());
  std::string kek = H("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  auto sealed = SealKeyPem(*key, kek);
  ASSERT_TRUE(sealed.ok());
  std::string der = PemBody(*sealed);
  // id-PBKDF2 (1.2.840.113549.1.5.12), hmacWithSHA256, aes256-CBC; no id-scrypt.
  EXPECT_NE(der.find(H("06092a864886f70d01050c")), std::string::npos);
  EXPECT_NE(der.find(H("06082a864886f70d0209")), std::string::npos);
  EXPECT_NE(der.find(H("060960864801650304012a")), std::string::npos);
  EXPECT_EQ(der.find(H("06092b06010401da47040b")), std::string::npos);
  // Fresh salt per seal.
  EXPECT_NE(*sealed, *SealKeyPem(*key, kek));
}

TEST(Codec, UnsealsKeysSealedWithTheOldScryptParameters) {
  // Before the switch to PBKDF2, SealKeyPem was ToPem(hex(kek)): scrypt N=2^14.
  auto key = PrivateKey::Generate(KeyAlg::kP256);
  ASSERT_TRUE(key.ok());
  std::string kek = H("1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100");
  auto old = key->ToPem(HexEncode(kek));
  ASSERT_TRUE(old.ok());
  ASSERT_NE(PemBody(*old).find(H("06092b06010401da47040b")), std::string::npos);
  auto back = UnsealKeyPem(*old, kek);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameKey(*key, *back);
  std::string other = kek;
  other[5] ^= 1;
  EXPECT_EQ(UnsealKeyPem(*old, other).status().code(), StatusCode::kPermissionDenied);
}

TEST(Codec, GarbageIsInvalidArgument) {
  auto key = PrivateKey::Generate(KeyAlg::kP256);
  ASSERT_TRUE(key.ok());
  std::string pub_der = key->Public().ToDer();
  std::string priv_der = *key->ToDer();
  for (std::string_view bad : {std::string_view(""), std::string_view("garbage"),
                               std::string_view("\x30\x03\x02\x01\x00", 5)}) {
    EXPECT_EQ(PublicKey::FromPem(bad).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(PublicKey::FromDer(bad).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(PrivateKey::FromPem(bad).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(PrivateKey::FromDer(bad).status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(PublicKey::FromDer(pub_der + "x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PrivateKey::FromDer(priv_der + "x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PublicKey::FromDer(pub_der.substr(0, pub_der.size() - 1)).status().code(),
            StatusCode::kInvalidArgument);
  // Wrong PEM labels.
  EXPECT_EQ(PublicKey::FromPem(*key->ToPem("")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PrivateKey::FromPem(key->Public().ToPem()).status().code(),
            StatusCode::kInvalidArgument);
  // A public key is not a private key.
  EXPECT_EQ(PrivateKey::FromEvp(key->Public().evp()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PublicKey::FromEvp(nullptr).status().code(), StatusCode::kInvalidArgument);
}

TEST(Codec, UnsupportedKeysAreRefused) {
  EVP_PKEY* p384 = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp384r1");
  ASSERT_NE(p384, nullptr);
  EXPECT_EQ(PrivateKey::FromEvp(p384).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PublicKey::FromEvp(p384).status().code(), StatusCode::kInvalidArgument);
  EVP_PKEY_free(p384);
  EVP_PKEY* x25519 = EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519");
  ASSERT_NE(x25519, nullptr);
  EXPECT_EQ(PublicKey::FromEvp(x25519).status().code(), StatusCode::kInvalidArgument);
  EVP_PKEY_free(x25519);
}

TEST(Codec, FromEvpTakesItsOwnReference) {
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  auto key = PrivateKey::FromEvp(raw);
  EVP_PKEY_free(raw);  // the caller's reference; the key keeps its own
  ASSERT_TRUE(key.ok());
  auto sig = key->Sign("still alive");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(key->Public().Verify("still alive", *sig).ok());
  auto pub = PublicKey::FromEvp(key->evp());  // a private EVP_PKEY is accepted too
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(*pub == key->Public());
}

}  // namespace
}  // namespace vt::crypto
