#include "api/http_head.h"

#include <gtest/gtest.h>

#include "api/rate_limit.h"

namespace vt::api {
namespace {

HeadScan Scan(std::string head, const HttpLimits& limits = {}) {
  HeadScan scan;
  ScanHead(head, head.data(), limits, &scan);
  return scan;
}

TEST(ScanHeadTest, CompleteHeadEndsAfterTheEmptyLine) {
  std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\nNEXT";
  HeadScan s = Scan(head);
  EXPECT_EQ(s.status, 0);
  EXPECT_EQ(s.end, head.size() - 4);
  EXPECT_EQ(s.fields, 1u);
}

TEST(ScanHeadTest, LeadingEmptyLinesAreSkipped) {  // RFC 9112 §2.2
  HeadScan s = Scan("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(s.status, 0);
  EXPECT_EQ(s.begin, 4u);
  EXPECT_GT(s.end, 0u);
}

TEST(ScanHeadTest, IncompleteHeadNeedsMore) {
  HeadScan s = Scan("GET / HTTP/1.1\r\nHost: a\r");
  EXPECT_EQ(s.status, 0);
  EXPECT_EQ(s.end, 0u);
}

TEST(ScanHeadTest, FramingErrorsAre400) {
  for (const char* head :
       {"GET / HTTP/1.1\nHost: a\n\n", "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
        "GET / HTTP/1.1\r\nNoColon\r\n\r\n"}) {
    SCOPED_TRACE(head);
    EXPECT_EQ(Scan(head).status, 400);
  }
}

TEST(ScanHeadTest, LimitsApplyWhileTheHeadArrives) {
  HttpLimits limits;
  limits.max_line_bytes = 100;
  limits.max_header_bytes = 1000;
  limits.max_header_fields = 5;
  EXPECT_EQ(Scan("GET /" + std::string(200, 'a'), limits).status, 414);
  EXPECT_EQ(Scan("GET / HTTP/1.1\r\nX: " + std::string(200, 'a'), limits).status, 400);
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 6; ++i) many += "X" + std::to_string(i) + ": a\r\n";
  EXPECT_EQ(Scan(many, limits).status, 431);
  std::string big = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 5; ++i) big += "X: " + std::string(90, 'a') + "\r\n";
  limits.max_header_bytes = 300;
  EXPECT_EQ(Scan(big, limits).status, 431);
}

TEST(ScanHeadTest, ControlCharactersInAuthorizationAreMasked) {
  const char raw[] = "GET / HTTP/1.1\r\nauthorization: Bearer a\0b\x01\r\n\r\n";
  std::string head(raw, sizeof raw - 1);
  HeadScan s;
  ScanHead(head, head.data(), {}, &s);
  EXPECT_EQ(s.status, 0);
  EXPECT_TRUE(s.suspicious);
  EXPECT_EQ(head.find('\0'), std::string::npos);
  EXPECT_EQ(head.find('\x01'), std::string::npos);
}

TEST(DecodeUrlTest, PercentPlusAndInvalidEscapes) {
  EXPECT_EQ(DecodeUrl("a%2Fb+c", false), "a/b+c");
  EXPECT_EQ(DecodeUrl("a%2Fb+c", true), "a/b c");
  EXPECT_EQ(DecodeUrl("%%%", false), "%%%");
  EXPECT_EQ(DecodeUrl("%u00e9", false), "\xc3\xa9");
  auto q = ParseQuery("a=1&b=x%20y&=z&a=2");
  EXPECT_EQ(q.count("a"), 2u);
  EXPECT_EQ(q.find("b")->second, "x y");
  EXPECT_EQ(q.size(), 3u);
}

TEST(RateLimiterTest, BurstThenSteadyRatePerClient) {
  RateLimiter limiter(2, 3);
  auto t = RateLimiter::Clock::time_point();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("a", t), 0);
  EXPECT_EQ(limiter.Take("a", t), 1);
  EXPECT_EQ(limiter.Take("b", t), 0);  // another address has its own bucket
  EXPECT_EQ(limiter.Take("a", t + std::chrono::milliseconds(500)), 0);
  EXPECT_GE(limiter.Take("a", t + std::chrono::milliseconds(500)), 1);
  RateLimiter off(0, 1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(off.Take("a", t), 0);
}

// Per-client limits key IPv6 clients by their /64 (one subscriber's prefix) and
// IPv4-mapped IPv6 addresses as the IPv4 address they are.
TEST(ClientKeyTest, Ipv4AsIsIpv6ByItsSlash64) {
  EXPECT_EQ(ClientKey("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(ClientKey("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(ClientKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(ClientKey("2001:db8:1:2::1"), ClientKey("2001:db8:1:2:ffff::9"));
  EXPECT_NE(ClientKey("2001:db8:1:2::1"), ClientKey("2001:db8:1:3::1"));
  EXPECT_EQ(ClientKey("-"), "-");
}

}  // namespace
}  // namespace vt::api
