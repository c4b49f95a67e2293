#include "qr/qr.h"

#include <gtest/gtest.h>
#include <qrencode.h>

#include <string>

namespace vt::qr {
namespace {

// A 7x7 finder pattern (ISO/IEC 18004 §6.3.3) with its top-left module at (x0, y0).
void ExpectFinder(const QrMatrix& m, int x0, int y0) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      bool ring = x == 0 || y == 0 || x == 6 || y == 6;
      bool core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
      EXPECT_EQ(m.at(x0 + x, y0 + y), ring || core) << "module " << x0 + x << "," << y0 + y;
    }
  }
}

TEST(EncodeQr, ShortTextIsVersion1WithFinderPatterns) {
  auto m = EncodeQr("https://vtrust.example/verify/ch_1", EccLevel::kLow);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  // 34 bytes fit version 3 at L in 8-bit mode; version v is 17 + 4v wide.
  EXPECT_EQ((m->width - 17) % 4, 0);
  EXPECT_EQ(m->dark.size(), static_cast<size_t>(m->width) * m->width);
  ExpectFinder(*m, 0, 0);
  ExpectFinder(*m, m->width - 7, 0);
  ExpectFinder(*m, 0, m->width - 7);
}

TEST(EncodeQr, HelloIsVersion1AtLevelM) {
  auto m = EncodeQr("hello", EccLevel::kMedium);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->width, 21);
}

TEST(EncodeQr, MatchesLibqrencodeStringEncoder) {
  // The module bits equal those of QRcode_encodeString8bit, which the card
  // renderer used before this wrapper.
  const std::string text = "https://vtrust.example/verify/ch_0123456789abcdef";
  auto m = EncodeQr(text, EccLevel::kMedium);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  QRcode* ref = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
  ASSERT_NE(ref, nullptr);
  ASSERT_EQ(m->width, ref->width);
  for (int i = 0; i < ref->width * ref->width; ++i) {
    EXPECT_EQ(m->dark[static_cast<size_t>(i)], (ref->data[i] & 1) != 0) << "module " << i;
  }
  QRcode_free(ref);
}

TEST(EncodeQr, HigherLevelNeedsNoSmallerSymbol) {
  const std::string text(100, 'x');
  auto low = EncodeQr(text, EccLevel::kLow);
  auto high = EncodeQr(text, EccLevel::kHigh);
  ASSERT_TRUE(low.ok() && high.ok());
  EXPECT_GT(high->width, low->width);
}

TEST(EncodeQr, BytesWithNulAreEncoded) {
  auto m = EncodeQr(std::string_view("a\0b", 3), EccLevel::kMedium);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->width, 21);
}

TEST(EncodeQr, TooLongIsInvalidArgument) {
  // Version 40-H holds 1273 bytes in 8-bit mode.
  auto m = EncodeQr(std::string(1274, 'x'), EccLevel::kHigh);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument) << m.status().ToString();
  EXPECT_NE(m.status().ToString().find("1274 bytes"), std::string::npos) << m.status().ToString();
}

}  // namespace
}  // namespace vt::qr
