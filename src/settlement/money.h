// Money: ISO 4217 currencies, integer minor-unit amounts, checked arithmetic and
// exact rationals (notes on exact settlement arithmetic, "Representation").
//
// Amounts are int64 minor units of one currency (CNY fen, USD cents, JPY yen); never
// floating point. Products go through 128-bit intermediates; overflow is an error,
// never a wrap. Everything here is a pure function and thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace vt::settlement {

// An amount in minor units of some currency.
using Amount = int64_t;

// The largest magnitude an amount may have where it is exchanged as JSON: 2^53 - 1,
// the I-JSON (RFC 7493 §2.2) exact-integer limit that RFC 8785 canonical JSON relies
// on. (90 trillion yuan in fen.) Agreements, revenue lines, states and statements
// stay within ±kMaxAmount; checked arithmetic below guards the int64 range.
inline constexpr Amount kMaxAmount = (int64_t{1} << 53) - 1;

// An ISO 4217 currency: alphabetic code and number of minor-unit digits.
struct Currency {
  std::string_view code;  // "CNY"; points into a static table
  int scale = 2;          // minor-unit digits: CNY 2, JPY 0, BHD 3
  friend bool operator==(const Currency& a, const Currency& b) { return a.code == b.code; }
};

// Looks up an active ISO 4217 currency (funds codes and metals excluded).
// Fails with InvalidArgument naming field "currency" for an unknown code (codes are
// upper case; "cny" is unknown).
StatusOr<Currency> FindCurrency(std::string_view code);

// Checked int64 arithmetic. Fail with OutOfRange on overflow.
StatusOr<int64_t> CheckedAdd(int64_t a, int64_t b);
StatusOr<int64_t> CheckedSub(int64_t a, int64_t b);
StatusOr<int64_t> CheckedMul(int64_t a, int64_t b);

// OK if |amount| <= kMaxAmount, else OutOfRange naming `field`.
Status CheckAmount(Amount amount, std::string_view field);

// floor(a * b / c), exact (128-bit intermediate). Fails with InvalidArgument if
// c == 0 and OutOfRange if the result does not fit in int64.
StatusOr<int64_t> MulDivFloor(int64_t a, int64_t b, int64_t c);

// An exact rational number num/den, always normalized: den > 0, gcd(|num|, den) == 1.
class Rational {
 public:
  Rational() = default;  // 0/1
  // Fails with InvalidArgument if den == 0; normalizes sign and common factors.
  // INT64_MIN is refused (its magnitude has no int64 representation).
  static StatusOr<Rational> Create(int64_t num, int64_t den);
  static Rational Integer(int64_t v) { return Rational(v, 1); }

  int64_t num() const { return num_; }
  int64_t den() const { return den_; }
  bool IsZero() const { return num_ == 0; }

  // floor(this * amount), exact. OutOfRange if the result overflows int64.
  StatusOr<int64_t> FloorMul(int64_t amount) const;
  // Truncates toward zero: sign(amount) * floor(this * |amount|) for this >= 0, so a
  // refund mirrors the sale it reverses. OutOfRange on overflow.
  StatusOr<int64_t> MulTowardZero(int64_t amount) const;

  friend bool operator==(const Rational& a, const Rational& b) = default;
  friend std::strong_ordering operator<=>(const Rational& a, const Rational& b);
  // "3/10".
  std::string ToString() const;

 private:
  Rational(int64_t num, int64_t den) : num_(num), den_(den) {}
  int64_t num_ = 0;
  int64_t den_ = 1;
};

// Formats minor units as a plain decimal with exactly `scale` fraction digits and
// no grouping: (-1234, 2) -> "-12.34"; (5, 2) -> "0.05"; (7, 0) -> "7".
std::string FormatMinor(Amount amount, int scale);

// Parses a plain decimal ("12.34", "-0.5", "7") into minor units at `scale`. Refuses
// more fraction digits than the scale (no rounding), exponents, grouping, spaces,
// a leading '+', and values outside ±kMaxAmount, with InvalidArgument.
StatusOr<Amount> ParseMinor(std::string_view text, int scale);

}  // namespace vt::settlement
