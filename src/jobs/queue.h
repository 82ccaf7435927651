#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "storage/db.h"

namespace portico::jobs {

// A job as the queue keeps it.
struct Job {
  std::int64_t id = 0;
  std::string kind;
  std::string payload;
  std::string state;  // queued | running | done | failed
  int attempts = 0;   // claims so far, this one included
  std::int64_t run_at_ms = 0;
  std::int64_t give_up_at_ms = 0;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> finished_at_ms;
  std::string last_error;
};

// How long a kind of job keeps being retried, and how retries are spaced: the n-th retry waits
// `first_retry_ms` · 2^(n-1), at most `max_retry_ms`, each ±20 % at random (jitter, so that many
// failed jobs do not all come back at once). A kind with a `schedule` waits its n-th entry before
// the n-th retry instead (±20 % too), and fails for good after the last one.
struct RetryPolicy {
  RetryPolicy() = default;
  RetryPolicy(std::int64_t give_up_after, std::int64_t first_retry, std::int64_t max_retry)
      : give_up_after_ms(give_up_after), first_retry_ms(first_retry), max_retry_ms(max_retry) {}

  std::int64_t give_up_after_ms = 2LL * 24 * 3600 * 1000;  // mail and SMS: 2 days
  std::int64_t first_retry_ms = 30'000;
  std::int64_t max_retry_ms = 3600'000;
  std::vector<std::int64_t> schedule_ms;  // empty: exponential backoff

  // A policy that retries after each wait of `schedule_ms` and then gives up; its give-up time
  // leaves room for every wait at its longest.
  static RetryPolicy scheduled(std::vector<std::int64_t> schedule_ms);
};

// The queue in the database. Every call uses the calling thread's connection, so enqueue() joins
// the caller's open transaction: the job commits, or vanishes, with the change that caused it.
// Claims are single UPDATE statements, safe with several processes on one database.
// Thread-safe.
class Queue {
 public:
  Queue(storage::Db& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Adds a job due at once (or after `delay_ms`). Its id.
  std::int64_t enqueue(const std::string& kind, const std::string& payload,
                       const RetryPolicy& policy = {}, std::int64_t delay_ms = 0);
  // Claims the due job that has waited longest, for `lease_ms`, as `owner`: queued and due, or
  // running with its lease run out (its worker died). nullopt if none is due.
  std::optional<Job> claim(const std::string& owner, std::int64_t lease_ms);
  // The claimed job succeeded: done, its payload cleared (it may hold secrets).
  void complete(std::int64_t id, const std::string& owner);
  // The claimed job failed with `error` (English, for operators). It is retried after the
  // policy's wait, or `retry_after_ms` when the peer named one, unless that would be after its
  // give-up time or `permanent` is set: then it is failed for good. True if it will be retried.
  bool fail(std::int64_t id, const std::string& owner, const std::string& error,
            const RetryPolicy& policy, bool permanent = false,
            std::optional<std::int64_t> retry_after_ms = std::nullopt);
  // Makes a failed (or queued) job due now, with a new give-up time; false if there is no such
  // job or it is running or done.
  bool retry(std::int64_t id, const RetryPolicy& policy = {});

  // Jobs in `state` ("queued" includes running ones), newest first.
  std::vector<Job> list(const std::string& state, int limit);
  std::optional<Job> find(std::int64_t id);
  // Counts by state: queued, running, failed, done.
  struct Counts {
    std::int64_t queued = 0, running = 0, failed = 0, done = 0;
  };
  Counts counts();
  // Deletes done jobs finished more than `keep_ms` ago. The number deleted.
  std::int64_t pruneDone(std::int64_t keep_ms);

  // The wait before retry `attempt` (1 for the first retry), with jitter.
  static std::int64_t backoffMs(const RetryPolicy& policy, int attempt);

 private:
  storage::Connection& conn() { return db_.connection(); }
  storage::Db& db_;
  const core::Clock& clock_;
};

}  // namespace portico::jobs
