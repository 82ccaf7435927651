#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace portico::http {

// Counts of the requests a server answered, for GET /metrics (Prometheus text format): by method,
// route pattern (never the path: its ids would make a series each) and status, with a latency
// histogram per method and route. Thread-safe.
class HttpMetrics {
 public:
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  // `route`: the matched pattern, "" when none matched.
  void observe(std::string_view method, std::string_view route, int status,
               std::chrono::microseconds took);
  // The counters and histograms, and `open_connections`, as Prometheus text.
  std::string text(std::size_t open_connections) const;

 private:
  struct Latency {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum_s = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Latency> latency_;
};

// A label value in Prometheus text: backslash, double quote and line feed escaped.
std::string prometheusLabel(std::string_view value);

}  // namespace portico::http
