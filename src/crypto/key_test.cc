// Known-answer and negative tests for signing (key.h): RFC 8032 §7.1 Ed25519,
// RFC 6979 §A.2.5 ECDSA P-256, the GM/T 0003.5-2012 / GB/T 32918.5-2017 SM2
// example on the recommended curve, and the explicit SM2 distinguishing ID.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <thread>
#include <vector>

#include "base/encoding.h"
#include "crypto/digest.h"
#include "crypto/key.h"
#include "crypto/key_test_util.h"

namespace vt::crypto {
namespace {

using testutil::EcdsaDer;
using testutil::EcPkcs8;
using testutil::H;

struct Ed25519Vector {
  const char* seed;
  const char* pub;
  const char* msg;
  const char* sig;
};

// RFC 8032 §7.1, TEST 1, 2 and 3.
const Ed25519Vector kRfc8032[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

TEST(KeyAlg, NamesRoundTrip) {
  for (KeyAlg a : {KeyAlg::kP256, KeyAlg::kEd25519, KeyAlg::kSm2}) {
    EXPECT_EQ(*ParseKeyAlg(KeyAlgName(a)), a);
  }
  EXPECT_EQ(ParseKeyAlg("rsa").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseKeyAlg("P256").status().code(), StatusCode::kInvalidArgument);
}

TEST(Ed25519, Rfc8032Section7_1) {
  for (const auto& v : kRfc8032) {
    SCOPED_TRACE(v.seed);
    auto key = PrivateKey::FromEd25519Seed(H(v.seed));
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(key->alg(), KeyAlg::kEd25519);
    EXPECT_EQ(HexEncode(key->Public().RawBytes()), v.pub);
    auto sig = key->Sign(H(v.msg));
    ASSERT_TRUE(sig.ok());
    EXPECT_EQ(HexEncode(*sig), v.sig);  // Ed25519 is deterministic
    auto pub = PublicKey::FromEd25519Raw(H(v.pub));
    ASSERT_TRUE(pub.ok());
    EXPECT_TRUE(pub->Verify(H(v.msg), H(v.sig)).ok());
    EXPECT_FALSE(pub->Verify(H(v.msg) + "x", H(v.sig)).ok());
  }
}

TEST(Ed25519, VtrustSeedVector) {
  std::string seed;
  for (int i = 0; i < 32; ++i) seed.push_back(static_cast<char>(i));
  auto key = PrivateKey::FromEd25519Seed(seed);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(HexEncode(key->Public().RawBytes()),
            "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
}

TEST(Ed25519, RejectsBadLengths) {
  EXPECT_EQ(PrivateKey::FromEd25519Seed("short").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PublicKey::FromEd25519Raw(std::string(31, 'a')).status().code(),
            StatusCode::kInvalidArgument);
}

// RFC 6979 §A.2.5: P-256 key, message "sample", SHA-256.
const char kP256D[] = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
const char kP256Ux[] = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6";
const char kP256Uy[] = "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";
const char kP256R[] = "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716";
const char kP256S[] = "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8";

TEST(P256, Rfc6979KeyAndSignatureVerify) {
  auto key = PrivateKey::FromDer(EcPkcs8(testutil::kP256Oid, H(kP256D)));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->alg(), KeyAlg::kP256);
  PublicKey pub = key->Public();
  EXPECT_EQ(HexEncode(pub.RawBytes()), std::string("04") + kP256Ux + kP256Uy);
  std::string sig = EcdsaDer(H(kP256R), H(kP256S));
  EXPECT_TRUE(pub.Verify("sample", sig).ok());
  EXPECT_FALSE(pub.Verify("samplf", sig).ok());
  // Our own signatures (random k) verify too.
  auto ours = key->Sign("sample");
  ASSERT_TRUE(ours.ok());
  EXPECT_TRUE(pub.Verify("sample", *ours).ok());
}

TEST(P256, CompressedPointImportsAndExportsUncompressed) {
  // Uy is odd, so the compressed form is 03 || Ux.
  auto pub = PublicKey::FromRawBytes(KeyAlg::kP256, H(std::string("03") + kP256Ux));
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_EQ(HexEncode(pub->RawBytes()), std::string("04") + kP256Ux + kP256Uy);
  EXPECT_TRUE(pub->Verify("sample", EcdsaDer(H(kP256R), H(kP256S))).ok());
  std::string off_curve = H(std::string("04") + kP256Ux + kP256Ux);
  EXPECT_EQ(PublicKey::FromRawBytes(KeyAlg::kP256, off_curve).status().code(),
            StatusCode::kInvalidArgument);
}

// GM/T 0003.5-2012 / GB/T 32918.5-2017 example on the recommended curve:
// ID "1234567812345678", message "message digest".
const char kSm2D[] = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8";
const char kSm2X[] = "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020";
const char kSm2Y[] = "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13";
const char kSm2R[] = "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3";
const char kSm2S[] = "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa";

TEST(Sm2, StandardExampleZaAndDigest) {
  // Pins down that the example is computed with our ID (ENTL = 128 bits).
  std::string za_input = H("0080") + std::string(kSm2DistinguishingId) +
                         H("fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc"
                           "28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93"
                           "32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7"
                           "bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0") +
                         H(kSm2X) + H(kSm2Y);
  std::string za = Sm3(za_input);
  EXPECT_EQ(HexEncode(za), "b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3");
  EXPECT_EQ(HexEncode(Sm3(za + "message digest")),
            "f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640");
}

TEST(Sm2, StandardExampleVerifies) {
  auto key = PrivateKey::FromDer(EcPkcs8(testutil::kSm2Oid, H(kSm2D)));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->alg(), KeyAlg::kSm2);
  PublicKey pub = key->Public();
  EXPECT_EQ(HexEncode(pub.RawBytes()), std::string("04") + kSm2X + kSm2Y);
  std::string sig = EcdsaDer(H(kSm2R), H(kSm2S));
  EXPECT_TRUE(pub.Verify("message digest", sig).ok());
  EXPECT_FALSE(pub.Verify("message digesu", sig).ok());
  auto raw = PublicKey::FromRawBytes(KeyAlg::kSm2, H(std::string("04") + kSm2X + kSm2Y));
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_TRUE(raw->Verify("message digest", sig).ok());
  EXPECT_TRUE(*raw == pub);
}

}  // namespace
}  // namespace vt::crypto
