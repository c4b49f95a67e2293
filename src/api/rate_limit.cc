#include "api/rate_limit.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace vt::api {

std::string ClientKey(const std::string& address) {
  in6_addr a6{};
  if (inet_pton(AF_INET6, address.c_str(), &a6) != 1) return address;
  if (IN6_IS_ADDR_V4MAPPED(&a6)) {
    char buf[INET_ADDRSTRLEN];
    if (inet_ntop(AF_INET, &a6.s6_addr[12], buf, sizeof buf) != nullptr) return buf;
    return address;
  }
  std::memset(&a6.s6_addr[8], 0, 8);
  char buf[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, &a6, buf, sizeof buf) == nullptr) return address;
  return std::string(buf) + "/64";
}

RateLimiter::RateLimiter(double per_second, double burst, size_t max_clients)
    : per_second_(per_second), burst_(std::max(burst, 1.0)), max_clients_(max_clients) {}

int RateLimiter::Take(const std::string& client, Clock::time_point now) {
  if (per_second_ <= 0) return 0;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) Evict(now);
    it = buckets_.emplace(client, Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.last).count();
  b.tokens = std::min(burst_, b.tokens + std::max(elapsed, 0.0) * per_second_);
  b.last = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / per_second_)));
}

void RateLimiter::Evict(Clock::time_point now) {
  std::erase_if(buckets_, [&](const auto& kv) {
    double elapsed = std::chrono::duration<double>(now - kv.second.last).count();
    return kv.second.tokens + elapsed * per_second_ >= burst_;
  });
  if (buckets_.size() >= max_clients_) buckets_.clear();
}

}  // namespace vt::api
