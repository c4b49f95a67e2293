#include <gtest/gtest.h>

#include "c2pa/cbor_internal.h"
#include "c2pa/cose_internal.h"
#include "crypto/ecdsa_sig.h"
#include "crypto/signer.h"

namespace vt::c2pa::cose {
namespace {

std::unique_ptr<crypto::Signer> NewSigner(crypto::KeyAlg alg) {
  auto key = crypto::PrivateKey::Generate(alg);
  EXPECT_TRUE(key.ok());
  return crypto::MakeSoftwareSigner(*key);
}

TEST(CoseTest, DetachedEs256IsRawAndPaddedToTheReservation) {
  auto signer = NewSigner(crypto::KeyAlg::kP256);
  SignParams p;
  p.signer = signer.get();
  p.chain_der = {"ee certificate bytes"};
  p.ocsp_der = "ocsp";
  p.reserve = ReserveSize(p);
  auto cose = Sign1(p, "claim", /*attach=*/false);
  ASSERT_TRUE(cose.ok()) << cose.status().ToString();
  EXPECT_EQ(cose->size(), p.reserve);
  EXPECT_EQ(static_cast<uint8_t>((*cose)[0]), 0xD2);  // tag 18
  auto parsed = Parse(*cose);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->alg, kAlgEs256);
  EXPECT_EQ(parsed->signature.size(), 64u);  // r||s, not DER
  EXPECT_FALSE(parsed->payload.has_value());
  ASSERT_EQ(parsed->chain_der.size(), 1u);  // one certificate: a single bstr
  EXPECT_EQ(parsed->ocsp_der, std::vector<std::string>{"ocsp"});
  // Verify needs a real certificate for the key; the signature over the
  // Sig_structure is checked directly here.
  std::vector<cbor::Item> a;
  a.push_back(cbor::Item::Text("Signature1"));
  a.push_back(cbor::Item::Bytes(parsed->protected_bytes));
  a.push_back(cbor::Item::Bytes(""));
  a.push_back(cbor::Item::Bytes("claim"));
  std::string tbs = cbor::Item::Array(std::move(a)).Encode();
  auto der = crypto::EcdsaRawToDer(parsed->signature);
  ASSERT_TRUE(der.ok());
  EXPECT_TRUE(signer->public_key().Verify(tbs, *der).ok());
}

TEST(CoseTest, ChainOfTwoIsAnArrayAndEd25519Attached) {
  auto signer = NewSigner(crypto::KeyAlg::kEd25519);
  SignParams p;
  p.signer = signer.get();
  p.chain_der = {"ee", "intermediate"};
  auto cose = Sign1(p, "payload", /*attach=*/true);
  ASSERT_TRUE(cose.ok());
  auto parsed = Parse(*cose);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->alg, kAlgEdDsa);
  EXPECT_EQ(parsed->chain_der, (std::vector<std::string>{"ee", "intermediate"}));
  EXPECT_EQ(parsed->payload.value_or(""), "payload");
}

TEST(CoseTest, ReadsLegacyUnprotectedX5Chain) {
  // 1.x writers: x5chain under the text label in the unprotected header.
  std::vector<std::pair<cbor::Item, cbor::Item>> prot;
  prot.emplace_back(cbor::Item::Int(1), cbor::Item::Int(kAlgEs256));
  std::vector<cbor::Item> a;
  a.push_back(cbor::Item::Bytes(cbor::Item::Map(std::move(prot)).Encode()));
  a.push_back(cbor::Obj().Add("x5chain", cbor::Item::Bytes("ee")).Build());
  a.push_back(cbor::Item::Null());
  a.push_back(cbor::Item::Bytes(std::string(64, 's')));
  auto parsed = Parse(cbor::Item::Array(std::move(a)).Encode());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->chain_der, std::vector<std::string>{"ee"});
}

TEST(CoseTest, RejectsSm2TinyReservationsAndMalformedInput) {
  auto sm2 = NewSigner(crypto::KeyAlg::kSm2);
  SignParams p;
  p.signer = sm2.get();
  p.chain_der = {"ee"};
  EXPECT_FALSE(Sign1(p, "x", false).ok());
  auto ed = NewSigner(crypto::KeyAlg::kEd25519);
  p.signer = ed.get();
  p.reserve = 40;
  EXPECT_EQ(Sign1(p, "x", false).status().code(), StatusCode::kResourceExhausted);
  p.reserve = 0;
  auto cose = Sign1(p, "x", false);
  ASSERT_TRUE(cose.ok());
  for (size_t n = 0; n < cose->size(); ++n) EXPECT_FALSE(Parse(cose->substr(0, n)).ok()) << n;
  EXPECT_FALSE(Parse(cbor::Item::Array({}).Encode()).ok());
  EXPECT_FALSE(Verify(Parsed{}, "x").ok());
}

}  // namespace
}  // namespace vt::c2pa::cose
