#pragma once

#include <atomic>
#include <cstdint>

namespace portico::core {

// Wall-clock time in whole seconds since the Unix epoch. The only source of "now" in Portico:
// nothing else calls system_clock::now(), so tests can move time with FakeClock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t now() const override;
};

// A clock that tests set and advance. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start) : now_(start) {}
  std::int64_t now() const override { return now_.load(); }
  void advance(std::int64_t seconds) { now_ += seconds; }
  void set(std::int64_t t) { now_ = t; }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace portico::core
