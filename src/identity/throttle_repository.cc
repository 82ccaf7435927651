#include "identity/throttle_repository.h"

namespace portico::identity {
namespace {

using storage::Query;

constexpr std::string_view kAdd = "INSERT INTO throttle_hits (bucket, at_ms) VALUES (?, ?)";
constexpr std::string_view kCount =
    "SELECT COUNT(*) FROM throttle_hits WHERE bucket = ? AND at_ms > ?";
constexpr std::string_view kNthNewest =
    "SELECT at_ms FROM throttle_hits WHERE bucket = ? AND at_ms > ?"
    " ORDER BY at_ms DESC LIMIT 1 OFFSET ?";
constexpr std::string_view kClear = "DELETE FROM throttle_hits WHERE bucket = ?";
constexpr std::string_view kPrune = "DELETE FROM throttle_hits WHERE at_ms < ?";

}  // namespace

void ThrottleRepository::add(const std::string& bucket, std::int64_t at_ms) {
  Query(conn(), kAdd).bind(bucket, at_ms).run();
}

int ThrottleRepository::count(const std::string& bucket, std::int64_t since_ms) {
  Query q(conn(), kCount);
  q.bind(bucket, since_ms);
  q.next();
  return static_cast<int>(q.getInt(0));
}

std::optional<std::int64_t> ThrottleRepository::nthNewest(const std::string& bucket,
                                                          std::int64_t since_ms, int n) {
  Query q(conn(), kNthNewest);
  q.bind(bucket, since_ms, n - 1);
  if (!q.next()) return std::nullopt;
  return q.getInt(0);
}

void ThrottleRepository::clear(const std::string& bucket) {
  Query(conn(), kClear).bind(bucket).run();
}

void ThrottleRepository::prune(std::int64_t before_ms) {
  Query(conn(), kPrune).bind(before_ms).run();
}

}  // namespace portico::identity
