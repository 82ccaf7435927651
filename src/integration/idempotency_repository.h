#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.h"
#include "storage/db.h"

namespace portico::integration {

// A stored Idempotency-Key: the request it was first used for and, once answered, the answer.
struct IdempotencyRecord {
  std::string method;
  std::string path;
  std::string body_sha256;
  std::optional<int> status;  // empty while the first request runs
  std::string answer;         // the answer as encoded by Idempotency (JSON)
  std::int64_t created_at = 0;
};

// Storage of idempotency keys (table idempotency_keys). Plain data access on the calling
// thread's connection; joins its transaction.
class IdempotencyRepository {
 public:
  explicit IdempotencyRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  std::optional<IdempotencyRecord> find(core::OrgId org, const std::string& key);
  // Inserts the claim of a first request, or replaces an expired or abandoned one.
  void put(core::OrgId org, const std::string& key, const IdempotencyRecord& claim);
  void answer(core::OrgId org, const std::string& key, int status, const std::string& answer);
  void remove(core::OrgId org, const std::string& key);
  // Deletes the keys created before `before`; the number deleted.
  std::int64_t prune(std::int64_t before);

 private:
  storage::Db& db_;
};

}  // namespace portico::integration
