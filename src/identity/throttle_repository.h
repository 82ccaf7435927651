#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/db.h"

namespace portico::identity {

// Storage of throttle hits: the times (in milliseconds) at which something was counted in a named
// bucket. Plain data access: the rules live in Throttle. Uses the calling thread's connection, so
// calls join the caller's open transaction.
class ThrottleRepository {
 public:
  explicit ThrottleRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  void add(const std::string& bucket, std::int64_t at_ms);
  // Hits of the bucket after `since_ms`.
  int count(const std::string& bucket, std::int64_t since_ms);
  // Time of the n-th newest hit (1-based) after `since_ms`, if there are that many.
  std::optional<std::int64_t> nthNewest(const std::string& bucket, std::int64_t since_ms, int n);
  void clear(const std::string& bucket);
  // Deletes every hit before `before_ms`, of all buckets.
  void prune(std::int64_t before_ms);

 private:
  storage::Db& db_;
};

}  // namespace portico::identity
