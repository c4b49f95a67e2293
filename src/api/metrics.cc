#include "api/metrics.h"

#include <cstdio>

namespace vt::api {

Metrics::RouteStats& Metrics::Stats(const std::string& route) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = routes_[route];
  if (!slot) slot = std::make_unique<RouteStats>();
  return *slot;
}

void Metrics::Observe(const std::string& route, int status, double seconds) {
  RouteStats& s = Stats(route);
  if (status >= 100 && status < 600) s.by_status[status].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.count.fetch_add(1, std::memory_order_relaxed);
  s.sum_micros.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Metrics::AddGauge(std::string name, std::string help, std::string type,
                       std::function<double()> value) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(type), std::move(value)});
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  char buf[256];
  out += "# HELP vtrust_http_requests_total HTTP requests by route and status code.\n";
  out += "# TYPE vtrust_http_requests_total counter\n";
  for (const auto& [route, s] : routes_)
    for (int code = 100; code < 600; ++code)
      if (uint64_t n = s->by_status[code].load()) {
        snprintf(buf, sizeof buf, "vtrust_http_requests_total{route=\"%s\",code=\"%d\"} %llu\n",
                 route.c_str(), code, static_cast<unsigned long long>(n));
        out += buf;
      }
  out += "# HELP vtrust_http_request_duration_seconds HTTP request latency by route.\n";
  out += "# TYPE vtrust_http_request_duration_seconds histogram\n";
  for (const auto& [route, s] : routes_) {
    uint64_t cum = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cum += s->buckets[b].load();
      if (b < kBuckets.size())
        snprintf(buf, sizeof buf,
                 "vtrust_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                 route.c_str(), kBuckets[b], static_cast<unsigned long long>(cum));
      else
        snprintf(buf, sizeof buf,
                 "vtrust_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                 route.c_str(), static_cast<unsigned long long>(cum));
      out += buf;
    }
    snprintf(buf, sizeof buf,
             "vtrust_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
             "vtrust_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
             route.c_str(), s->sum_micros.load() / 1e6, route.c_str(),
             static_cast<unsigned long long>(s->count.load()));
    out += buf;
  }
  for (const auto& g : gauges_) {
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " " + g.type + "\n";
    snprintf(buf, sizeof buf, "%s %.17g\n", g.name.c_str(), g.value());
    out += buf;
  }
  return out;
}

}  // namespace vt::api
