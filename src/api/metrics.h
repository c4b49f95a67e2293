// Prometheus metrics (text exposition format 0.0.4): request counts by route and
// status, latency histograms by route, and gauges supplied by the caller.
#pragma once

#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace vt::api {

class Metrics {
 public:
  // Records one request. Thread-safe, lock-free after a route's first request.
  void Observe(const std::string& route, int status, double seconds);
  // Adds a gauge/counter computed at scrape time.
  void AddGauge(std::string name, std::string help, std::string type,
                std::function<double()> value);
  std::string Render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};
  struct RouteStats {
    std::array<std::atomic<uint64_t>, 600> by_status{};
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_micros{0};
  };
  struct Gauge {
    std::string name, help, type;
    std::function<double()> value;
  };
  RouteStats& Stats(const std::string& route);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<RouteStats>> routes_;  // guarded by mu_
  std::deque<Gauge> gauges_;                                   // guarded by mu_
};

}  // namespace vt::api
