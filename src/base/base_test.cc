#include <gtest/gtest.h>

#include "base/clock.h"
#include "base/encoding.h"
#include "base/jcs.h"
#include "base/rng.h"
#include "base/status.h"

namespace vt {
namespace {

StatusOr<int> Half(int x) {
  if (x % 2) return InvalidArgumentError("odd").WithField("x");
  return x / 2;
}
StatusOr<int> Quarter(int x) {
  VT_ASSIGN_OR_RETURN(int h, Half(x));
  VT_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}
Status CheckEven(int x) {
  VT_RETURN_IF_ERROR(Half(x).status());
  return OkStatus();
}

TEST(Status, PropagatesErrorsAndValues) {
  EXPECT_EQ(*Quarter(8), 2);
  auto bad = Quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "x");
  EXPECT_EQ(bad.status().ToString(), "invalid_argument: odd [x]");
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_FALSE(CheckEven(3).ok());
  EXPECT_EQ(NotFoundError("k").Annotate("loading").message(), "loading: k");
}

TEST(Encoding, HexRoundTripAndErrors) {
  EXPECT_EQ(HexEncode(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(*HexDecode("00FF10"), std::string("\x00\xff\x10", 3));
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
}

TEST(Encoding, Base64Rfc4648Vectors) {
  // RFC 4648 §10.
  const char* in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(Base64Encode(in[i]), out[i]);
    EXPECT_EQ(*Base64Decode(out[i]), in[i]);
  }
  EXPECT_FALSE(Base64Decode("Zg=").ok());
  EXPECT_FALSE(Base64Decode("Zh==").ok());  // non-canonical trailing bits
  EXPECT_FALSE(Base64Decode("Zm9v!A==").ok());
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(*Base64UrlDecode("-_8"), "\xfb\xff");
}

TEST(Encoding, ConstantTimeEqualsAndUtf8) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_TRUE(IsValidUtf8("h\xC3\xA9llo \xE4\xB8\xAD\xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE4\xB8"));      // truncated
}

TEST(Jcs, Rfc8785NumberSerialization) {
  // RFC 8785 Appendix B.
  struct {
    double v;
    const char* s;
  } cases[] = {{0.0, "0"},
               {-0.0, "0"},
               {5e-324, "5e-324"},
               {1.7976931348623157e308, "1.7976931348623157e+308"},
               {9007199254740992.0, "9007199254740992"},
               {295147905179352830000.0, "295147905179352830000"},
               {1e21, "1e+21"},
               {1e-7, "1e-7"},
               {0.000001, "0.000001"},
               {333333333.3333333, "333333333.3333333"},
               {-1.5, "-1.5"},
               {100.0, "100"}};
  for (const auto& c : cases) EXPECT_EQ(*Canonicalize(Json(c.v)), c.s) << c.s;
}

TEST(Jcs, Rfc8785SortingAndEscaping) {
  // RFC 8785 §3.2.3 sorting example: ordering by UTF-16 code units.
  Json j = Json::parse(
      R"({"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"})");
  std::string c = *Canonicalize(j);
  std::vector<std::string> order = {
      "\\r", "1", "\xC2\x80", "\xC3\xB6", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xEF\xAC\xB3"};
  size_t pos = 0;
  for (const auto& k : order) {
    size_t p = c.find("\"" + k + "\"");
    ASSERT_NE(p, std::string::npos) << k;
    EXPECT_GE(p, pos) << k;
    pos = p;
  }
  EXPECT_EQ(*Canonicalize(Json::parse(R"({"b":[1,"\u001f\n",true,null],"a":{"z":1,"y":2}})")),
            "{\"a\":{\"y\":2,\"z\":1},\"b\":[1,\"\\u001f\\n\",true,null]}");
}

TEST(Jcs, StrictParsing) {
  EXPECT_TRUE(ParseJsonStrict(R"({"a":1})").ok());
  auto dup = ParseJsonStrict(R"({"a":1,"a":2})");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().field(), "a");
  EXPECT_FALSE(ParseJsonStrict(R"({"a":1,})").ok());
  EXPECT_FALSE(ParseJsonStrict("{\"a\":\"\xC0\xAF\"}").ok());
  EXPECT_FALSE(ParseJsonStrict("").ok());
}

// Found by fuzz/fuzz_json_strict: a number beyond double's range made nlohmann
// throw out_of_range (not a parse_error), which escaped ParseJsonStrict.
TEST(Jcs, StrictParsingRefusesNumberOverflowWithoutThrowing) {
  for (const char* text : {"1e30580", "[-1e400]", R"({"a":1E999})", "123e45678901"}) {
    SCOPED_TRACE(text);
    StatusOr<Json> j = ParseJsonStrict(text);
    ASSERT_FALSE(j.ok());
    EXPECT_EQ(j.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(j.status().message().find("malformed JSON"), std::string::npos)
        << j.status().message();
  }
  EXPECT_TRUE(ParseJsonStrict("1e308").ok());
}

// Duplicate detection per object: only the same name in the same object counts,
// and the first duplicate is named.
TEST(Jcs, StrictParsingDuplicatesPerObject) {
  EXPECT_TRUE(ParseJsonStrict(R"({"a":{"a":1,"b":2},"b":{"a":3}})").ok());
  auto dup = ParseJsonStrict(R"({"x":1,"a":{"b":1,"c":2,"b":3},"x":2})");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().field(), "b");
  std::string many = "{";
  for (int i = 0; i < 20000; ++i) many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
  EXPECT_TRUE(ParseJsonStrict(many + "}").ok());
  EXPECT_EQ(ParseJsonStrict(many + ",\"k77\":1}").status().field(), "k77");
}

TEST(Clock, FakeClockAndRfc3339) {
  FakeClock clock(1'700'000'000'123);
  EXPECT_EQ(FormatRfc3339(clock.Now()), "2023-11-14T22:13:20.123Z");
  clock.Advance(std::chrono::milliseconds(1000));
  EXPECT_EQ(clock.NowUnixSeconds(), 1'700'000'001);
  TimePoint t;
  ASSERT_TRUE(ParseRfc3339("2023-11-14T23:13:20.123+01:00", &t));
  EXPECT_EQ(FormatRfc3339(t), "2023-11-14T22:13:20.123Z");
  EXPECT_FALSE(ParseRfc3339("2023-13-14T23:13:20Z", &t));
  EXPECT_FALSE(ParseRfc3339("yesterday", &t));
}

TEST(Rng, UniformStaysInBoundsAndDeterministicRepeats) {
  DeterministicRng a(7), b(7);
  EXPECT_EQ(a.Bytes(33), b.Bytes(33));
  for (int i = 0; i < 1000; ++i) EXPECT_LT(SystemRng::Get().Uniform(7), 7u);
}

}  // namespace
}  // namespace vt
