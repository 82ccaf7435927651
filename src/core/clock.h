#pragma once

#include <atomic>
#include <cstdint>

namespace portico::core {

// Wall-clock time since the Unix epoch, in milliseconds (nowMs) and in whole seconds (now, rounded
// down). The only source of "now" in Portico: nothing else calls system_clock::now(), so tests can
// move time with FakeClock. Limits that must not be passed early (throttle delays) compare
// milliseconds; everything stored as a timestamp uses seconds.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t nowMs() const = 0;
  std::int64_t now() const {
    std::int64_t ms = nowMs();
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  }
};

class SystemClock final : public Clock {
 public:
  std::int64_t nowMs() const override;
};

// A clock that tests set and advance. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start_s) : now_ms_(start_s * 1000) {}
  std::int64_t nowMs() const override { return now_ms_.load(); }
  void advance(std::int64_t seconds) { now_ms_ += seconds * 1000; }
  void advanceMs(std::int64_t ms) { now_ms_ += ms; }
  void set(std::int64_t t_s) { now_ms_ = t_s * 1000; }

 private:
  std::atomic<std::int64_t> now_ms_;
};

}  // namespace portico::core
