#include "settlement/money.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <numeric>

namespace vt::settlement {
namespace {

// Active ISO 4217 currencies (list one, 2024 edition), sorted by code. Funds codes
// (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW), precious metals and testing codes
// are left out: settlement happens in money that parties can be paid in.
constexpr Currency kCurrencies[] = {
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2},
    {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0},
    {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2},
    {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHF", 2}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"CRC", 2},
    {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2},
    {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2},
    {"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HTG", 2},
    {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2},
    {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0},
    {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2},
    {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2},
    {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2},
    {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2},
    {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2},
    {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2},
    {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2},
    {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2},
    {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"UYU", 2}, {"UZS", 2}, {"VED", 2},
    {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2}, {"XOF", 0}, {"XPF", 0},
    {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
};

constexpr bool TableSorted() {
  for (size_t i = 1; i < std::size(kCurrencies); ++i)
    if (!(kCurrencies[i - 1].code < kCurrencies[i].code)) return false;
  return true;
}
static_assert(TableSorted(), "kCurrencies must stay sorted for binary search");

using i128 = __int128;

StatusOr<int64_t> Narrow(i128 v) {
  if (v > INT64_MAX || v < INT64_MIN) return OutOfRangeError("amount overflows int64");
  return static_cast<int64_t>(v);
}

// floor(n / d) for d > 0.
i128 FloorDiv(i128 n, i128 d) {
  i128 q = n / d;
  if ((n % d != 0) && (n < 0)) --q;
  return q;
}

}  // namespace

StatusOr<Currency> FindCurrency(std::string_view code) {
  auto end = std::end(kCurrencies);
  auto it = std::lower_bound(std::begin(kCurrencies), end, code,
                             [](const Currency& c, std::string_view k) { return c.code < k; });
  if (it == end || it->code != code) {
    return InvalidArgumentError("unknown currency \"" + std::string(code) +
                                "\" (expected an active ISO 4217 code such as CNY)")
        .WithField("currency");
  }
  return *it;
}

StatusOr<int64_t> CheckedAdd(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return OutOfRangeError("amount overflows int64");
  return r;
}

StatusOr<int64_t> CheckedSub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return OutOfRangeError("amount overflows int64");
  return r;
}

StatusOr<int64_t> CheckedMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return OutOfRangeError("amount overflows int64");
  return r;
}

Status CheckAmount(Amount amount, std::string_view field) {
  if (amount > kMaxAmount || amount < -kMaxAmount) {
    return OutOfRangeError("amount " + std::to_string(amount) +
                           " exceeds the largest exact amount " + std::to_string(kMaxAmount))
        .WithField(std::string(field));
  }
  return OkStatus();
}

StatusOr<int64_t> MulDivFloor(int64_t a, int64_t b, int64_t c) {
  if (c == 0) return InvalidArgumentError("division by zero");
  i128 n = i128{a} * b;  // |a*b| < 2^126: never overflows
  i128 d = c;
  if (d < 0) {
    n = -n;
    d = -d;
  }
  return Narrow(FloorDiv(n, d));
}

StatusOr<Rational> Rational::Create(int64_t num, int64_t den) {
  if (den == 0) return InvalidArgumentError("rational with zero denominator");
  if (num == INT64_MIN || den == INT64_MIN) return OutOfRangeError("rational out of range");
  if (den < 0) {
    num = -num;
    den = -den;
  }
  int64_t g = std::gcd(num < 0 ? -num : num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  return Rational(num, den);
}

StatusOr<int64_t> Rational::FloorMul(int64_t amount) const {
  return Narrow(FloorDiv(i128{num_} * amount, den_));
}

StatusOr<int64_t> Rational::MulTowardZero(int64_t amount) const {
  i128 p = i128{num_} * amount;
  return Narrow(p / den_);  // C++ division truncates toward zero
}

std::strong_ordering operator<=>(const Rational& a, const Rational& b) {
  return i128{a.num_} * b.den_ <=> i128{b.num_} * a.den_;
}

std::string Rational::ToString() const { return std::to_string(num_) + "/" + std::to_string(den_); }

std::string FormatMinor(Amount amount, int scale) {
  // Magnitude as unsigned so INT64_MIN formats too.
  uint64_t mag = amount < 0 ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  std::string digits = std::to_string(mag);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale))
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return amount < 0 ? "-" + digits : digits;
}

StatusOr<Amount> ParseMinor(std::string_view text, int scale) {
  auto bad = [&] {
    return InvalidArgumentError("\"" + std::string(text) +
                                "\" is not a decimal amount with at most " + std::to_string(scale) +
                                " fraction digits");
  };
  bool negative = !text.empty() && text[0] == '-';
  std::string_view body = negative ? text.substr(1) : text;
  size_t dot = body.find('.');
  std::string_view whole = body.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? "" : body.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && frac.empty())) return bad();
  if (frac.size() > static_cast<size_t>(scale)) return bad();
  i128 v = 0;
  for (std::string_view part : {whole, frac}) {
    for (char c : part) {
      if (c < '0' || c > '9') return bad();
      v = v * 10 + (c - '0');
      if (v > kMaxAmount) return bad();
    }
  }
  for (size_t k = frac.size(); k < static_cast<size_t>(scale); ++k) {
    v *= 10;
    if (v > kMaxAmount) return bad();
  }
  return static_cast<Amount>(negative ? -v : v);
}

}  // namespace vt::settlement
