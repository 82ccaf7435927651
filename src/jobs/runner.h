#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "jobs/queue.h"

namespace portico::jobs {

// What a handler made of a job.
struct Outcome {
  enum class Kind { Done, Retry, Failed };
  Kind kind = Kind::Done;
  std::string error;  // English, for operators (portico jobs, the Deliveries page)
  std::optional<std::int64_t> retry_after_ms;  // the peer asked for this wait (Retry-After)

  static Outcome done() { return {}; }
  // A failure worth retrying: the peer is absent, slow or answered 5xx.
  static Outcome retry(std::string error, std::optional<std::int64_t> after_ms = std::nullopt) {
    return {Kind::Retry, std::move(error), after_ms};
  }
  // A failure that retrying cannot mend: a malformed payload, an address refused for good.
  static Outcome failed(std::string error) { return {Kind::Failed, std::move(error), {}}; }
};

// Delivers one job; runs on a worker thread, never on an I/O thread. May throw: an exception is
// a failure worth retrying.
using Handler = std::function<Outcome(const Job&)>;

// Runs the queue's jobs with the handler of their kind: on worker threads (start), or on the
// calling thread (runDue: tests, and commands that deliver what they queued before they exit).
// Thread-safe.
class Runner {
 public:
  struct Options {
    std::int64_t lease_ms = 5 * 60 * 1000;  // longer than any handler's total timeout
    std::int64_t idle_poll_ms = 500;        // how often an idle worker looks for due jobs
    std::int64_t keep_done_ms = 7LL * 24 * 3600 * 1000;  // done jobs are deleted after this
  };
  Runner(Queue& queue, Options options);
  explicit Runner(Queue& queue) : Runner(queue, Options{}) {}
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Registers the handler of `kind` and the retry policy its failures follow. Before start().
  void handle(const std::string& kind, Handler handler, RetryPolicy policy = {});
  // The retry policy of `kind` (the default one for an unknown kind).
  RetryPolicy policyOf(const std::string& kind) const;

  // A periodic task (pruning old rows) that the workers run about every `interval_ms`, besides
  // their jobs; an exception it throws is logged. Before start().
  void every(std::int64_t interval_ms, std::function<void()> task);
  // Runs every periodic task once on this thread (tests, commands).
  void runMaintenance();

  // Claims and runs one due job on this thread; false if none was due.
  bool runOne();
  // Runs due jobs on this thread until none is due, at most `max`. The number run.
  int runDue(int max = 10'000);

  // Starts `threads` workers (0: none). stop() or the destructor ends them after their job.
  void start(int threads);
  void stop();
  // Tells idle workers that a job may be due (one was just committed).
  void wake();

 private:
  struct Kind {
    Handler handler;
    RetryPolicy policy;
  };
  struct Periodic {
    std::int64_t interval_ms;
    std::function<void()> task;
    std::chrono::steady_clock::time_point last;
  };
  void work(const std::string& owner);
  // Runs the periodic tasks that are due (all with `force`); one worker at a time.
  void maintain(bool force);

  Queue& queue_;
  Options options_;
  std::string owner_prefix_;
  std::atomic<int> claims_{0};
  std::map<std::string, Kind> kinds_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::mutex periodic_mutex_;
  std::vector<Periodic> periodic_;
};

}  // namespace portico::jobs
