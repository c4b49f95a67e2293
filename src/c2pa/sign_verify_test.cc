#include <gtest/gtest.h>

#include <sstream>

#include "c2pa/c2pa.h"
#include "c2pa/c2pa_test_util.h"
#include "crypto/digest.h"

namespace vt::c2pa {
namespace {

using testing::Codes;
using testing::Pki;
using testing::SignBytes;
using testing::VerifyBytes;

class SignVerifyTest : public ::testing::TestWithParam<crypto::KeyAlg> {
 protected:
  static Pki& pki(crypto::KeyAlg alg) {
    static Pki* p256 = new Pki(crypto::KeyAlg::kP256);
    static Pki* ed = new Pki(crypto::KeyAlg::kEd25519);
    return alg == crypto::KeyAlg::kP256 ? *p256 : *ed;
  }
  Pki& pki() { return pki(GetParam()); }

  void RoundTrip(Container kind, const std::string& asset) {
    auto signed_asset = SignBytes(kind, asset, pki().Options());
    ASSERT_TRUE(signed_asset.ok()) << signed_asset.status().ToString();
    EXPECT_GT(signed_asset->size(), asset.size());
    auto report = VerifyBytes(kind, *signed_asset, pki().Verification());
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_EQ(report->verdict, Verdict::kTrusted) << Codes(*report);
    EXPECT_TRUE(report->Has(kind == Container::kMp4 ? "assertion.bmffHash.match"
                                                    : "assertion.dataHash.match"))
        << Codes(*report);
    EXPECT_TRUE(report->Has("cawg.x509.credential.trusted")) << Codes(*report);
    EXPECT_EQ(report->signer_subject, "CN=vtrust Studio C2PA, O=vtrust test");
    EXPECT_EQ(report->identity_subject, "CN=Luo Tianyi, O=Vsinger Studio");
    ASSERT_FALSE(report->actions.empty());
    EXPECT_EQ(report->actions[0].action, "c2pa.created");
    ASSERT_EQ(report->ingredients.size(), 1u);
    EXPECT_EQ(report->ingredients[0].work_id, "W-42");
    EXPECT_NE(report->registry_json.find("VC-0000-0002-1825-0097"), std::string::npos);
    EXPECT_EQ(report->title, "test asset");

    // A second signature is refused rather than stacking stores.
    EXPECT_EQ(SignBytes(kind, *signed_asset, pki().Options()).status().code(),
              StatusCode::kFailedPrecondition);
    // The original asset has no manifest.
    auto none = VerifyBytes(kind, asset, pki().Verification());
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(none->verdict, Verdict::kNoManifest);

    // One media byte changed (outside the store: WAV puts it last) -> dataHash.mismatch.
    std::string tampered = *signed_asset;
    tampered[(kind == Container::kWav ? asset.size() : tampered.size()) - 3] ^= 0x01;
    auto bad = VerifyBytes(kind, tampered, pki().Verification());
    ASSERT_TRUE(bad.ok()) << bad.status().ToString();
    EXPECT_EQ(bad->verdict, Verdict::kInvalid);
    EXPECT_TRUE(bad->Has(kind == Container::kMp4 ? "assertion.bmffHash.mismatch"
                                                 : "assertion.dataHash.mismatch"))
        << Codes(*bad);
  }
};

TEST_P(SignVerifyTest, Jpeg) { RoundTrip(Container::kJpeg, testing::TinyJpeg()); }
TEST_P(SignVerifyTest, Png) { RoundTrip(Container::kPng, testing::TinyPng()); }
TEST_P(SignVerifyTest, Wav) { RoundTrip(Container::kWav, testing::TinyWav()); }
TEST_P(SignVerifyTest, Mp4) { RoundTrip(Container::kMp4, testing::TinyMp4()); }

TEST_P(SignVerifyTest, Sidecar) {
  std::string asset = "any bytes at all, e.g. a model file";
  std::istringstream in(asset);
  auto store = SignSidecar(in, pki().Options());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(DetectContainer(*store).value(), Container::kSidecar);
  auto report = VerifyBytes(Container::kSidecar, asset, pki().Verification(), *store);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->verdict, Verdict::kTrusted) << Codes(*report);
  auto bad = VerifyBytes(Container::kSidecar, asset + "!", pki().Verification(), *store);
  ASSERT_TRUE(bad.ok());
  EXPECT_TRUE(bad->Has("assertion.dataHash.mismatch"));
}

INSTANTIATE_TEST_SUITE_P(Algs, SignVerifyTest,
                         ::testing::Values(crypto::KeyAlg::kP256, crypto::KeyAlg::kEd25519),
                         [](const auto& info) { return std::string(KeyAlgName(info.param)); });

TEST(SignVerify, JpegDataHashIsHashOfOriginal) {
  Pki pki(crypto::KeyAlg::kP256);
  std::string asset = testing::TinyJpeg();
  auto signed_asset = SignBytes(Container::kJpeg, asset, pki.Options(false));
  ASSERT_TRUE(signed_asset.ok());
  // The store starts right after SOI + APP0 (offset 20); the original is intact around it.
  EXPECT_EQ(signed_asset->substr(0, 20), asset.substr(0, 20));
  EXPECT_EQ(signed_asset->substr(20, 2), "\xFF\xEB");
  EXPECT_EQ(signed_asset->substr(signed_asset->size() - (asset.size() - 20)), asset.substr(20));
  std::string digest = crypto::Sha256(asset);
  EXPECT_NE(signed_asset->find(digest), std::string::npos);
}

TEST(SignVerify, LargeAssetsHashAcrossChunks) {
  Pki pki(crypto::KeyAlg::kEd25519);
  const std::pair<Container, std::string> assets[] = {
      {Container::kJpeg, testing::TinyJpeg(1 << 20)}, {Container::kWav, testing::TinyWav(1 << 20)}};
  for (const auto& [kind, asset] : assets) {
    auto signed_asset = SignBytes(kind, asset, pki.Options());
    ASSERT_TRUE(signed_asset.ok()) << signed_asset.status().ToString();
    auto report = VerifyBytes(kind, *signed_asset, pki.Verification());
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->verdict, Verdict::kTrusted) << Codes(*report);
  }
}

TEST(SignVerify, JpegStoreOverSeveralSegments) {
  Pki pki(crypto::KeyAlg::kP256);
  SignOptions o = pki.Options();
  o.registry_json = R"({"blob":")" + std::string(150000, 'x') + R"("})";
  auto signed_asset = SignBytes(Container::kJpeg, testing::TinyJpeg(), o);
  ASSERT_TRUE(signed_asset.ok()) << signed_asset.status().ToString();
  std::istringstream in(*signed_asset);
  auto store = ExtractManifestStore(Container::kJpeg, in);
  ASSERT_TRUE(store.ok());
  EXPECT_GT(store->size(), 150000u);
  auto report = VerifyBytes(Container::kJpeg, *signed_asset, pki.Verification());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->verdict, Verdict::kTrusted) << Codes(*report);
}

TEST(SignVerify, Mp4ChunkOffsetsFollowTheInsertedBox) {
  Pki pki(crypto::KeyAlg::kEd25519);
  std::string asset = testing::TinyMp4();
  auto signed_asset = SignBytes(Container::kMp4, asset, pki.Options(false));
  ASSERT_TRUE(signed_asset.ok()) << signed_asset.status().ToString();
  EXPECT_EQ(signed_asset->substr(24, 4), "uuid");  // right after the 20-byte ftyp
  size_t stco = signed_asset->find("stco");
  ASSERT_NE(stco, std::string::npos);
  uint32_t offset = 0;
  for (int i = 0; i < 4; ++i)
    offset = (offset << 8) | static_cast<uint8_t>((*signed_asset)[stco + 12 + i]);
  EXPECT_EQ(signed_asset->substr(offset, sizeof(testing::kMp4Sample) - 1), testing::kMp4Sample);
  // Changing only the free box (excluded by default) keeps the hash valid.
  std::string edited = *signed_asset;
  edited[edited.find("padding")] = 'P';
  auto report = VerifyBytes(Container::kMp4, edited, pki.Verification());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->Has("assertion.bmffHash.match")) << Codes(*report);
}

}  // namespace
}  // namespace vt::c2pa
