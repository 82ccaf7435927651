#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "identity/throttle_repository.h"

namespace portico::identity {

// At most `max` hits within any `window_s` seconds.
struct RateLimit {
  int max = 0;
  int window_s = 0;
};

// The growing delay and the lock of a bucket of guesses (SECURITY.md AUTH-05): from
// `failures_to_delay` failures within `window_s`, the next attempt waits `first_delay_s` after
// the newest failure, doubling with each further failure up to `max_delay_s`; at
// `failures_to_lock` failures the bucket is locked until the oldest of them leaves the window.
struct GuessLimit {
  int failures_to_lock = 10;
  int window_s = 15 * 60;
  int failures_to_delay = 5;
  int first_delay_s = 1;
  int max_delay_s = 60;
};

// The limits, per hour, of the actions that send mail to an address of the caller's choosing or
// cost much (SECURITY.md HTTP-02).
struct ActionLimits {
  int invitations_per_actor = 30;   // created and resent alike
  int invitations_per_address = 3;  // whoever sends them
  int resets_per_address = 3;       // password reset mails
  int exports_per_actor = 10;       // audit CSV exports, company and organization together
};

// How long a bucket refuses: exact, in milliseconds.
struct Wait {
  std::int64_t ms = 0;
  bool locked = false;  // a guessing bucket's lock, not its delay
  // For Retry-After: whole seconds, rounded up (at least 1), so a client that waits that long is
  // never early.
  int seconds() const;
};

// The one throttle of Portico: hits counted in named buckets ("login-account:<e-mail>",
// "invitation-to:<e-mail>", "export-by:<user>", …) over sliding windows, compared in exact
// (millisecond) time. The hits live in the database, so every node serving the same database
// counts the same hits. Thread-safe.
class Throttle {
 public:
  Throttle(ThrottleRepository& repo, const core::Clock& clock, ActionLimits actions = {})
      : repo_(repo), clock_(clock), actions_(actions) {}

  // How long `bucket` refuses another hit under `limit` (until its limit.max-th newest hit leaves
  // the window), or nullopt if it has room.
  std::optional<Wait> full(const std::string& bucket, const RateLimit& limit);
  // How long a bucket of guesses refuses the next attempt, or nullopt if it may be evaluated now.
  std::optional<Wait> guessWait(const std::string& bucket, const GuessLimit& limit);
  // In a write transaction of its own: the bucket's wait if it has one; else counts the attempt
  // as a failure before it is evaluated, so that parallel guesses cannot race past the delay or
  // the lock (a success clears the bucket). REQUIRES: no transaction open on this thread.
  std::optional<Wait> takeGuess(const std::string& bucket, const GuessLimit& limit);

  // One bucket of a limited action, with its limit and the message that names it to the caller:
  // `key` + "_seconds" or "_minutes" is a message key saying the limit ({max}) and the wait
  // ("At most {max} invitations an hour to one address; try again in {minutes} minutes").
  struct Quota {
    std::string bucket;
    RateLimit limit;
    std::string key;
  };
  // If every bucket has room, counts one hit in each. Otherwise RateLimited with the longest wait
  // and the message of its quota with the limit and the wait ({max}; {seconds} for a minute or
  // less, else {minutes}), and nothing is counted. REQUIRES: called inside the write transaction of
  // the action it limits, so that an action refused or failing later counts nothing, and parallel
  // actions cannot pass together.
  core::Status take(const std::vector<Quota>& quotas);
  // take() in a write transaction of its own, for an action that writes nothing else (an
  // export). REQUIRES: no transaction open on this thread.
  core::Status takeNow(const std::vector<Quota>& quotas);

  // The quotas of one mail of an invitation (created or resent) from `actor` to `email`.
  std::vector<Quota> invitationMail(core::UserId actor, const std::string& email) const;
  // The quota of one heavy export (an audit CSV, company or organization) by `actor`.
  std::vector<Quota> heavyExport(core::UserId actor) const;
  // Whether a password reset link may be mailed to `email` now (at most resets_per_address an
  // hour), counting it if so. In a write transaction of its own (REQUIRES: none open).
  bool takeResetMail(const std::string& email);

  void hit(const std::string& bucket);
  // Hits of the bucket within the last `window_s` seconds.
  int count(const std::string& bucket, int window_s);
  void clear(const std::string& bucket);
  // Now and then, deletes hits older than any window (a day).
  void pruneNowAndThen();

 private:
  ThrottleRepository& repo_;
  const core::Clock& clock_;
  ActionLimits actions_;
};

}  // namespace portico::identity
