#include "x509/idcard_ext.h"

#include <gtest/gtest.h>

#include "base/encoding.h"

namespace vt::x509 {
namespace {

// A deliberately naive DER TLV for building expected bytes independently.
std::string Tlv(unsigned char tag, const std::string& content) {
  std::string out(1, static_cast<char>(tag));
  EXPECT_LT(content.size(), 256u);
  if (content.size() >= 128) out += static_cast<char>(0x81);
  out += static_cast<char>(content.size());
  return out + content;
}

IdCardExtension Sample() {
  IdCardExtension ext;
  ext.registry_id = "VC-0000-0002-1825-0097";
  ext.owner_org = "Studio";
  ext.likeness.push_back({LikenessKind::kVoice, std::string(32, '\x11'), std::string(32, '\x22')});
  ext.ai_driven = true;
  ext.digital_human_code = "CN-1";
  return ext;
}

std::string SampleDer(const std::string& boolean_content = "\xff") {
  std::string fp =
      Tlv(0x0a, "\x02") + Tlv(0x04, std::string(32, '\x11')) + Tlv(0x04, std::string(32, '\x22'));
  std::string body = Tlv(0x02, "\x01") + Tlv(0x0c, "VC-0000-0002-1825-0097") + Tlv(0x0c, "Studio") +
                     Tlv(0x30, Tlv(0x30, fp)) + Tlv(0x01, boolean_content) + Tlv(0x80, "CN-1");
  return Tlv(0x30, body);
}

TEST(IdCardExtTest, EncodesTheDocumentedDer) {
  auto der = EncodeIdCardExtension(Sample());
  ASSERT_TRUE(der.ok()) << der.status().ToString();
  EXPECT_EQ(HexEncode(*der), HexEncode(SampleDer()));
}

TEST(IdCardExtTest, RoundTrips) {
  IdCardExtension ext = Sample();
  ext.likeness.push_back({LikenessKind::kFace, std::string(32, 'a'), std::string(32, 'b')});
  ext.digital_human_code.reset();
  ext.ai_driven = false;
  ext.owner_org = "虚拟偶像工作室";
  auto der = EncodeIdCardExtension(ext);
  ASSERT_TRUE(der.ok());
  auto back = DecodeIdCardExtension(*der);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, ext);
}

TEST(IdCardExtTest, EmptyLikenessList) {
  IdCardExtension ext = Sample();
  ext.likeness.clear();
  auto back = DecodeIdCardExtension(*EncodeIdCardExtension(ext));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->likeness.empty());
}

TEST(IdCardExtTest, DecodeIsStrict) {
  ASSERT_TRUE(DecodeIdCardExtension(SampleDer()).ok());
  // BER boolean TRUE (0x01) is not DER.
  EXPECT_FALSE(DecodeIdCardExtension(SampleDer("\x01")).ok());
  // Trailing garbage.
  EXPECT_FALSE(DecodeIdCardExtension(SampleDer() + std::string(1, '\0')).ok());
  // Truncation.
  std::string der = SampleDer();
  EXPECT_FALSE(DecodeIdCardExtension(der.substr(0, der.size() - 1)).ok());
  EXPECT_FALSE(DecodeIdCardExtension("").ok());
  EXPECT_FALSE(DecodeIdCardExtension("garbage").ok());
}

TEST(IdCardExtTest, DecodeRejectsBadFields) {
  std::string der = SampleDer();
  auto flip = [&](const std::string& from, const std::string& to) {
    std::string copy = der;
    size_t at = copy.find(from);
    EXPECT_NE(at, std::string::npos);
    copy.replace(at, from.size(), to);
    return DecodeIdCardExtension(copy);
  };
  EXPECT_FALSE(flip(std::string("\x02\x01\x01", 3), std::string("\x02\x01\x02", 3)).ok());
  EXPECT_FALSE(flip(std::string("\x0a\x01\x02", 3), std::string("\x0a\x01\x03", 3)).ok());
  EXPECT_FALSE(flip("VC-0000-0002-1825-0097", "VC-0000-0002-1825-0098").ok());
  auto bad = flip("VC-0000-0002-1825-0097", "VC-0000-0002-1825-0098");
  EXPECT_EQ(bad.status().field(), "idcard_extension");
}

TEST(IdCardExtTest, EncodeValidates) {
  IdCardExtension ext = Sample();
  ext.likeness[0].sha256 = std::string(31, 'x');
  EXPECT_FALSE(EncodeIdCardExtension(ext).ok());
  ext = Sample();
  ext.owner_org = "";
  EXPECT_EQ(EncodeIdCardExtension(ext).status().field(), "owner_org");
  ext = Sample();
  ext.owner_org = "\xff\xfe";
  EXPECT_FALSE(EncodeIdCardExtension(ext).ok());
  ext = Sample();
  ext.registry_id = "VC-1";
  EXPECT_EQ(EncodeIdCardExtension(ext).status().field(), "registry_id");
}

TEST(IdCardExtTest, KindNames) {
  EXPECT_EQ(*ParseLikenessKind("model3d"), LikenessKind::kModel3d);
  EXPECT_EQ(LikenessKindName(LikenessKind::kVoice), "voice");
  EXPECT_FALSE(ParseLikenessKind("hologram").ok());
}

}  // namespace
}  // namespace vt::x509
