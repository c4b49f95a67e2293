// Writes signed sample assets for checking vtrust's output with another
// validator (e.g. c2pa-rs through @contentauth/c2pa-wasm). Runs only when
// C2PA_INTEROP_OUT names a directory; otherwise it is skipped.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "c2pa/c2pa_test_util.h"
#include "x509/cert.h"

namespace vt::c2pa {
namespace {

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(InteropFixtures, WriteSignedSamples) {
  const char* dir = std::getenv("C2PA_INTEROP_OUT");
  if (dir == nullptr) GTEST_SKIP() << "set C2PA_INTEROP_OUT to write samples";
  std::string out(dir);
  for (crypto::KeyAlg alg : {crypto::KeyAlg::kP256, crypto::KeyAlg::kEd25519}) {
    testing::Pki pki(alg);
    std::string name(crypto::KeyAlgName(alg));
    WriteFile(out + "/root-" + name + ".pem", x509::CertificateToPem(pki.h.root_der));
    const std::pair<Container, std::string> assets[] = {{Container::kJpeg, testing::TinyJpeg()},
                                                        {Container::kPng, testing::TinyPng()},
                                                        {Container::kWav, testing::TinyWav()},
                                                        {Container::kMp4, testing::TinyMp4()}};
    for (const auto& [kind, asset] : assets) {
      for (bool identity : {false, true}) {
        auto signed_asset = testing::SignBytes(kind, asset, pki.Options(identity));
        ASSERT_TRUE(signed_asset.ok()) << signed_asset.status().ToString();
        std::string ext(ContainerName(kind));
        WriteFile(out + "/" + name + (identity ? "-cawg." : ".") + ext, *signed_asset);
      }
    }
    SignOptions big = pki.Options();
    big.registry_json = R"({"blob":")" + std::string(150000, 'x') + R"("})";
    auto multi = testing::SignBytes(Container::kJpeg, testing::TinyJpeg(), big);
    ASSERT_TRUE(multi.ok());
    WriteFile(out + "/" + name + "-3segments.jpeg", *multi);
    std::istringstream in(testing::TinyJpeg());
    auto store = SignSidecar(in, pki.Options());
    ASSERT_TRUE(store.ok());
    WriteFile(out + "/" + name + "-sidecar.jpg", testing::TinyJpeg());
    WriteFile(out + "/" + name + "-sidecar.c2pa", *store);
  }
}

}  // namespace
}  // namespace vt::c2pa
