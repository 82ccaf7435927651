#include "identity/throttle.h"

#include <algorithm>

namespace portico::identity {
namespace {

constexpr std::int64_t kMsPerSecond = 1000;
constexpr int kHour = 3600;

}  // namespace

int Wait::seconds() const {
  return static_cast<int>(std::max<std::int64_t>(1, (ms + kMsPerSecond - 1) / kMsPerSecond));
}

std::optional<Wait> Throttle::full(const std::string& bucket, const RateLimit& limit) {
  auto now = clock_.nowMs();
  auto window = limit.window_s * kMsPerSecond;
  auto nth = repo_.nthNewest(bucket, now - window, limit.max);
  if (!nth) return std::nullopt;
  return Wait{*nth + window - now, false};
}

std::optional<Wait> Throttle::guessWait(const std::string& bucket, const GuessLimit& limit) {
  if (auto lock = full(bucket, {limit.failures_to_lock, limit.window_s})) {
    lock->locked = true;
    return lock;
  }
  auto now = clock_.nowMs();
  auto since = now - limit.window_s * kMsPerSecond;
  int failures = repo_.count(bucket, since);
  if (failures < limit.failures_to_delay) return std::nullopt;
  auto last = repo_.nthNewest(bucket, since, 1);
  if (!last) return std::nullopt;
  int doublings = std::min(failures - limit.failures_to_delay, 20);
  std::int64_t delay_s = std::min<std::int64_t>(
      static_cast<std::int64_t>(limit.first_delay_s) << doublings, limit.max_delay_s);
  // Exact times: an attempt 1 ms before the delay has passed is not evaluated.
  std::int64_t until = *last + delay_s * kMsPerSecond;
  if (until <= now) return std::nullopt;
  return Wait{until - now, false};
}

std::optional<Wait> Throttle::takeGuess(const std::string& bucket, const GuessLimit& limit) {
  storage::Transaction tx(repo_.conn());  // a write transaction: one writer at a time
  auto wait = guessWait(bucket, limit);
  if (!wait) repo_.add(bucket, clock_.nowMs());
  tx.commit();
  return wait;
}

core::Status Throttle::take(const std::vector<Quota>& quotas) {
  const Quota* refusing = nullptr;
  std::optional<Wait> longest;
  for (const auto& q : quotas) {
    auto wait = full(q.bucket, q.limit);
    if (wait && (!longest || wait->ms > longest->ms)) {
      longest = wait;
      refusing = &q;
    }
  }
  if (refusing) {
    // A minute or less in seconds, else in minutes (rounded up).
    int s = longest->seconds();
    auto refused = core::Error::rateLimited(s, refusing->key + (s <= 60 ? "_seconds" : "_minutes"));
    return core::fail(std::move(refused).with("max", std::to_string(refusing->limit.max)));
  }
  auto now = clock_.nowMs();
  for (const auto& q : quotas) repo_.add(q.bucket, now);
  return {};
}

core::Status Throttle::takeNow(const std::vector<Quota>& quotas) {
  storage::Transaction tx(repo_.conn());
  auto taken = take(quotas);
  if (taken) tx.commit();
  return taken;
}

std::vector<Throttle::Quota> Throttle::invitationMail(core::UserId actor,
                                                      const std::string& email) const {
  return {
      {"invitation-by:" + std::to_string(actor.value),
       {actions_.invitations_per_actor, kHour},
       "errors.identity.throttle.invitations_by_actor"},
      {"invitation-to:" + email,
       {actions_.invitations_per_address, kHour},
       "errors.identity.throttle.invitations_to_address"},
  };
}

std::vector<Throttle::Quota> Throttle::heavyExport(core::UserId actor) const {
  return {{"export-by:" + std::to_string(actor.value),
           {actions_.exports_per_actor, kHour},
           "errors.identity.throttle.exports"}};
}

bool Throttle::takeResetMail(const std::string& email) {
  return takeNow({{"reset-account:" + email, {actions_.resets_per_address, kHour}, ""}})
      .has_value();
}

void Throttle::hit(const std::string& bucket) { repo_.add(bucket, clock_.nowMs()); }

int Throttle::count(const std::string& bucket, int window_s) {
  return repo_.count(bucket, clock_.nowMs() - window_s * kMsPerSecond);
}

void Throttle::clear(const std::string& bucket) { repo_.clear(bucket); }

void Throttle::pruneNowAndThen() {
  if (clock_.now() % 64 == 0) {
    repo_.prune(clock_.nowMs() - 24 * kHour * kMsPerSecond);
  }
}

}  // namespace portico::identity
