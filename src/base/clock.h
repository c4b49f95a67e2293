// Injected time. Production code takes a Clock&; tests pass a FakeClock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace vt {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  // Current wall-clock time. Thread-safe.
  virtual TimePoint Now() const = 0;
  int64_t NowUnixMillis() const;
  int64_t NowUnixSeconds() const;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  // A process-wide instance.
  static SystemClock& Get();
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t unix_millis = 1'700'000'000'000) : ms_(unix_millis) {}
  TimePoint Now() const override;
  void Advance(std::chrono::milliseconds d) { ms_ += d.count(); }
  void SetUnixMillis(int64_t ms) { ms_ = ms; }

 private:
  std::atomic<int64_t> ms_;
};

// RFC 3339 UTC with millisecond precision: "2026-11-23T10:00:00.123Z".
std::string FormatRfc3339(TimePoint t);
// Parses RFC 3339 ("Z" or "+hh:mm" offsets, optional fraction). Returns false on error.
bool ParseRfc3339(const std::string& s, TimePoint* out);

}  // namespace vt
