#include "integration/idempotency_repository.h"

namespace portico::integration {
namespace {

using storage::Query;

constexpr std::string_view kFind =
    "SELECT method, path, body_sha256, status, answer, created_at FROM idempotency_keys"
    " WHERE org_id = ? AND key = ?";
constexpr std::string_view kPut =
    "INSERT INTO idempotency_keys (org_id, key, method, path, body_sha256, status, answer,"
    " created_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?) ON CONFLICT (org_id, key) DO UPDATE SET"
    " method = excluded.method, path = excluded.path, body_sha256 = excluded.body_sha256,"
    " status = NULL, answer = NULL, created_at = excluded.created_at";
constexpr std::string_view kAnswer =
    "UPDATE idempotency_keys SET status = ?, answer = ? WHERE org_id = ? AND key = ?";
constexpr std::string_view kRemove = "DELETE FROM idempotency_keys WHERE org_id = ? AND key = ?";
constexpr std::string_view kPrune = "DELETE FROM idempotency_keys WHERE created_at < ?";

}  // namespace

std::optional<IdempotencyRecord> IdempotencyRepository::find(core::OrgId org,
                                                             const std::string& key) {
  Query q(conn(), kFind);
  q.bind(org.value, key);
  if (!q.next()) return std::nullopt;
  IdempotencyRecord r;
  r.method = q.getText(0);
  r.path = q.getText(1);
  r.body_sha256 = q.getText(2);
  if (auto status = q.getOptInt(3)) r.status = static_cast<int>(*status);
  r.answer = q.getText(4);
  r.created_at = q.getInt(5);
  return r;
}

void IdempotencyRepository::put(core::OrgId org, const std::string& key,
                                const IdempotencyRecord& c) {
  Query(conn(), kPut).bind(org.value, key, c.method, c.path, c.body_sha256, c.created_at).run();
}

void IdempotencyRepository::answer(core::OrgId org, const std::string& key, int status,
                                   const std::string& answer) {
  Query(conn(), kAnswer).bind(status, answer, org.value, key).run();
}

void IdempotencyRepository::remove(core::OrgId org, const std::string& key) {
  Query(conn(), kRemove).bind(org.value, key).run();
}

std::int64_t IdempotencyRepository::prune(std::int64_t before) {
  Query(conn(), kPrune).bind(before).run();
  return conn().changes();
}

}  // namespace portico::integration
