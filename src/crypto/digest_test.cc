#include "crypto/digest.h"

#include <gtest/gtest.h>

#include <fstream>

#include "base/encoding.h"

namespace vt::crypto {
namespace {

TEST(Digest, Sha256KnownAnswers) {
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, Sm3GbT32905Vectors) {
  // GB/T 32905-2016 Appendix A, examples 1 and 2.
  EXPECT_EQ(HexEncode(Sm3("abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string abcd;
  for (int i = 0; i < 16; ++i) abcd += "abcd";
  EXPECT_EQ(HexEncode(Sm3(abcd)),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

TEST(Digest, StreamingMatchesOneShotAndFile) {
  std::string data(3 * 1000 * 1000 + 7, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 131 + 7);
  Hasher h(HashAlg::kSha256);
  for (size_t i = 0; i < data.size(); i += 4096) h.Update(std::string_view(data).substr(i, 4096));
  EXPECT_EQ(h.Final(), Sha256(data));
  std::string path = ::testing::TempDir() + "/digest_test.bin";
  std::ofstream(path, std::ios::binary) << data;
  auto d = DigestFile(path);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->sha256, Sha256(data));
  EXPECT_EQ(d->sm3, Sm3(data));
  EXPECT_EQ(d->size, data.size());
  EXPECT_EQ(DigestFile(path + ".missing").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace vt::crypto
