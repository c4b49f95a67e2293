#include "settlement/money.h"

#include <gtest/gtest.h>

namespace vt::settlement {
namespace {

TEST(Money, CurrencyScales) {
  struct Case {
    const char* code;
    int scale;
  };
  for (Case c : {Case{"CNY", 2}, Case{"USD", 2}, Case{"EUR", 2}, Case{"JPY", 0}, Case{"HKD", 2},
                 Case{"GBP", 2}, Case{"KRW", 0}, Case{"TWD", 2}, Case{"SGD", 2}, Case{"BHD", 3},
                 Case{"KWD", 3}, Case{"VND", 0}, Case{"TND", 3}, Case{"CLP", 0}}) {
    auto cur = FindCurrency(c.code);
    ASSERT_TRUE(cur.ok()) << c.code;
    EXPECT_EQ(cur->scale, c.scale) << c.code;
    EXPECT_EQ(cur->code, c.code);
  }
}

TEST(Money, UnknownCurrencyNamesTheField) {
  for (const char* code : {"XYZ", "cny", "", "CNYY", "XAU", "RMB"}) {
    auto cur = FindCurrency(code);
    EXPECT_EQ(cur.status().code(), StatusCode::kInvalidArgument) << code;
    EXPECT_EQ(cur.status().field(), "currency");
  }
}

TEST(Money, CheckedArithmeticNeverWraps) {
  EXPECT_EQ(*CheckedAdd(INT64_MAX - 1, 1), INT64_MAX);
  EXPECT_EQ(CheckedAdd(INT64_MAX, 1).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(CheckedAdd(INT64_MIN, -1).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(CheckedSub(INT64_MIN, 1).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(*CheckedSub(0, INT64_MAX), -INT64_MAX);
  EXPECT_EQ(CheckedMul(int64_t{1} << 32, int64_t{1} << 31).status().code(),
            StatusCode::kOutOfRange);
  EXPECT_EQ(*CheckedMul(-3, 7), -21);
  EXPECT_TRUE(CheckAmount(kMaxAmount, "x").ok());
  Status s = CheckAmount(kMaxAmount + 1, "lines[0].amount");
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(s.field(), "lines[0].amount");
}

TEST(Money, MulDivFloorIsExactWith128BitIntermediates) {
  // (2^62 * 3) / 4 needs 64 bits of headroom.
  EXPECT_EQ(*MulDivFloor(int64_t{1} << 62, 3, 4), 3 * (int64_t{1} << 60));
  EXPECT_EQ(*MulDivFloor(-7, 1, 2), -4);  // floor, not truncation
  EXPECT_EQ(*MulDivFloor(7, 1, -2), -4);
  EXPECT_EQ(MulDivFloor(INT64_MAX, INT64_MAX, 1).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(MulDivFloor(1, 1, 0).status().code(), StatusCode::kInvalidArgument);
}

TEST(Money, RationalNormalizesAndMultipliesExactly) {
  auto r = Rational::Create(30, -100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->num(), -3);
  EXPECT_EQ(r->den(), 10);
  EXPECT_EQ(r->ToString(), "-3/10");
  EXPECT_EQ(Rational::Create(1, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Rational::Create(INT64_MIN, 1).status().code(), StatusCode::kOutOfRange);
  Rational third = *Rational::Create(1, 3);
  EXPECT_EQ(*third.FloorMul(100), 33);
  EXPECT_EQ(*third.FloorMul(-100), -34);
  EXPECT_EQ(*third.MulTowardZero(-100), -33);
  EXPECT_EQ(*Rational::Create(2, 3)->FloorMul(INT64_MAX), INT64_MAX / 3 * 2);
  EXPECT_EQ(Rational::Create(3, 2)->FloorMul(INT64_MAX).status().code(), StatusCode::kOutOfRange);
  EXPECT_LT(third, *Rational::Create(1, 2));
  EXPECT_EQ(*Rational::Create(2, 6), third);
}

TEST(Money, FormatAndParseMinorUnits) {
  EXPECT_EQ(FormatMinor(123456, 2), "1234.56");
  EXPECT_EQ(FormatMinor(-5, 2), "-0.05");
  EXPECT_EQ(FormatMinor(0, 2), "0.00");
  EXPECT_EQ(FormatMinor(7, 0), "7");
  EXPECT_EQ(FormatMinor(1234, 3), "1.234");
  EXPECT_EQ(FormatMinor(INT64_MIN, 2), "-92233720368547758.08");
  EXPECT_EQ(*ParseMinor("1234.56", 2), 123456);
  EXPECT_EQ(*ParseMinor("-0.5", 2), -50);
  EXPECT_EQ(*ParseMinor("7", 0), 7);
  EXPECT_EQ(*ParseMinor("1.2", 3), 1200);
  for (const char* bad : {"1.234", "1e3", "+1", " 1", "1,000", ".5", "1.", "", "-", "abc", "1.2.3",
                          "99999999999999999999"}) {
    EXPECT_FALSE(ParseMinor(bad, 2).ok()) << bad;
  }
  EXPECT_FALSE(ParseMinor("1.5", 0).ok());
}

}  // namespace
}  // namespace vt::settlement
