// A token bucket per client address, for the public write routes
// (Route::rate_limited): a client may burst, then is held to a steady rate.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vt::api {

// The key of a client address for per-client limits: an IPv4 address as is
// (also when written IPv4-mapped, "::ffff:a.b.c.d"), an IPv6 address as its /64
// prefix ("2001:db8:1:2::/64"): one IPv6 subscriber commonly holds a whole /64
// (RFC 6177), so counting its addresses apart would let one client pass for
// 2^64. Anything unparseable is returned unchanged.
std::string ClientKey(const std::string& address);

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `per_second` tokens are added per second up to `burst`; a new client starts
  // with a full bucket. per_second <= 0 disables the limit. At most `max_clients`
  // addresses are tracked: past that, buckets that are full again are dropped,
  // and if none is, every bucket is (a flood of addresses resets the table
  // rather than growing it).
  RateLimiter(double per_second, double burst, size_t max_clients = 1 << 16);

  // Takes one token for `client` at `now`. Returns 0 when the request may go on,
  // else the whole seconds until a token is back (for Retry-After, RFC 9110
  // §10.2.3; at least 1). Thread-safe.
  int Take(const std::string& client, Clock::time_point now);

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  void Evict(Clock::time_point now);  // requires mu_

  const double per_second_;
  const double burst_;
  const size_t max_clients_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
};

}  // namespace vt::api
