#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "identity/guard.h"
#include "identity/secret_box.h"
#include "integration/idempotency_repository.h"

namespace portico::integration {

// Idempotency-Key answers in the database (identity::IdempotencyStore), so that every node on
// one database shares them. A key is claimed in a transaction of its own that commits before
// the handler runs: of two identical requests at once, one runs and the other answers 409
// (InFlight). An answer is kept for kKeep from the first use of its key; keys older than that
// are ignored and deleted (at most once a minute, by the next claim). A claim that was never
// answered (the process died) may be taken over after kAbandoned. Thread-safe.
class Idempotency final : public identity::IdempotencyStore {
 public:
  static constexpr std::int64_t kKeep = 24 * 3600;     // seconds
  static constexpr std::int64_t kAbandoned = 10 * 60;  // seconds
  static constexpr std::int64_t kPruneEvery = 60;      // seconds

  // Stored answers are sealed with `secrets`: an answer may carry a secret shown once (a webhook
  // endpoint's signing secret).
  Idempotency(IdempotencyRepository& repo, const core::Clock& clock,
              const identity::SecretBox& secrets)
      : repo_(repo), clock_(clock), secrets_(secrets) {}

  Claim claim(core::OrgId org, const std::string& key, const std::string& method,
              const std::string& path, const std::string& body_sha256) override;
  void finish(core::OrgId org, const std::string& key, const http::Response& answer) override;
  void abandon(core::OrgId org, const std::string& key) override;

  // An answer as stored (its status, the handler's headers, its body, and the error or message
  // that the server writes in the reader's language), and back.
  static std::string encode(const http::Response& answer);
  static http::Response decode(int status, const std::string& encoded);

 private:
  IdempotencyRepository& repo_;
  const core::Clock& clock_;
  const identity::SecretBox& secrets_;
  std::atomic<std::int64_t> pruned_at_{0};
};

}  // namespace portico::integration
