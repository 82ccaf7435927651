#include "http/metrics.h"

#include <fmt/format.h>

namespace portico::http {

std::string prometheusLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void HttpMetrics::observe(std::string_view method, std::string_view route, int status,
                          std::chrono::microseconds took) {
  std::string r = route.empty() ? "(none)" : std::string(route);
  double seconds = static_cast<double>(took.count()) / 1e6;
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(method), r, status}];
  auto& l = latency_[{std::string(method), r}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++l.buckets[i];
  }
  ++l.count;
  l.sum_s += seconds;
}

std::string HttpMetrics::text(std::size_t open_connections) const {
  std::string out;
  out +=
      "# HELP portico_http_requests_total Requests answered, by method, route pattern and status.\n"
      "# TYPE portico_http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out +=
        fmt::format("portico_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                    prometheusLabel(method), prometheusLabel(route), status, n);
  }
  out +=
      "# HELP portico_http_request_duration_seconds Time from a request's first byte to its "
      "answer.\n"
      "# TYPE portico_http_request_duration_seconds histogram\n";
  for (const auto& [key, l] : latency_) {
    auto labels = fmt::format("method=\"{}\",route=\"{}\"", prometheusLabel(key.first),
                              prometheusLabel(key.second));
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("portico_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                         labels, kBuckets[i], l.buckets[i]);
    }
    out += fmt::format("portico_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n",
                       labels, l.count);
    out += fmt::format("portico_http_request_duration_seconds_sum{{{}}} {}\n", labels, l.sum_s);
    out += fmt::format("portico_http_request_duration_seconds_count{{{}}} {}\n", labels, l.count);
  }
  out += fmt::format(
      "# HELP portico_http_open_connections Connections open now.\n"
      "# TYPE portico_http_open_connections gauge\n"
      "portico_http_open_connections {}\n",
      open_connections);
  return out;
}

}  // namespace portico::http
