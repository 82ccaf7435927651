#include "jobs/runner.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <exception>

#include "core/random.h"
#include "core/text.h"

namespace portico::jobs {

Runner::Runner(Queue& queue, Options options)
    : queue_(queue),
      options_(options),
      owner_prefix_(std::to_string(getpid()) + ":" + core::randomToken(6) + ":") {}

Runner::~Runner() { stop(); }

void Runner::handle(const std::string& kind, Handler handler, RetryPolicy policy) {
  kinds_[kind] = Kind{std::move(handler), policy};
}

RetryPolicy Runner::policyOf(const std::string& kind) const {
  auto it = kinds_.find(kind);
  return it == kinds_.end() ? RetryPolicy{} : it->second.policy;
}

bool Runner::runOne() {
  // Each claim has its own owner, so that a late answer of a lost lease changes nothing.
  std::string owner = owner_prefix_ + std::to_string(++claims_);
  auto job = queue_.claim(owner, options_.lease_ms);
  if (!job) return false;
  auto kind = kinds_.find(job->kind);
  if (kind == kinds_.end()) {  // another version's kind: left for a process that has it
    queue_.fail(job->id, owner, "no handler for jobs of kind '" + job->kind + "' in this process",
                {}, false, 60'000);
    return true;
  }
  Outcome outcome;
  try {
    outcome = kind->second.handler(*job);
  } catch (const std::exception& e) {
    outcome = Outcome::retry(e.what());
  }
  if (outcome.kind == Outcome::Kind::Done) {
    // Delivered: record it even if the database is busy for a while, or it runs again later.
    for (int attempt = 1;; ++attempt) {
      try {
        queue_.complete(job->id, owner);
        break;
      } catch (const std::exception& e) {
        if (attempt == 5) {
          spdlog::error(
              R"({{"event":"job_complete_failed","job":{},"error":"{}","note":"it may run again"}})",
              job->id, e.what());
          throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
      }
    }
    return true;
  }
  bool again = queue_.fail(job->id, owner, outcome.error, kind->second.policy,
                           outcome.kind == Outcome::Kind::Failed, outcome.retry_after_ms);
  std::string error;
  core::appendJsonEscaped(error, outcome.error);
  spdlog::warn(
      R"({{"event":"job_failed","job":{},"kind":"{}","attempt":{},"retry":{},"error":"{}"}})",
      job->id, job->kind, job->attempts, again, error);
  return true;
}

int Runner::runDue(int max) {
  int n = 0;
  while (n < max && runOne()) ++n;
  return n;
}

void Runner::start(int threads) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      // Deliveries are never urgent next to a request: a worker yields the CPUs to the I/O and
      // request threads (Linux: a thread's own nice value), so that a queue being retried does
      // not slow the portal.
      if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10) != 0) {
        spdlog::warn(R"({{"event":"job_worker_priority_unchanged"}})");
      }
      work(owner_prefix_);
    });
  }
}

void Runner::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void Runner::wake() { wake_.notify_all(); }

void Runner::housekeeping(const std::string& name, std::function<void()> task) {
  housekeeping_.emplace_back(name, std::move(task));
}

void Runner::runHousekeeping() {
  try {
    queue_.pruneDone(options_.keep_done_ms);
  } catch (const std::exception& e) {
    spdlog::error(R"({{"event":"job_prune_failed","error":"{}"}})", e.what());
  }
  for (const auto& [name, task] : housekeeping_) {
    try {
      task();
    } catch (const std::exception& e) {
      spdlog::error(R"({{"event":"housekeeping_failed","task":"{}","error":"{}"}})", name,
                    e.what());
    }
  }
}

void Runner::work(const std::string&) {
  auto pruned = std::chrono::steady_clock::now();
  for (;;) {
    if (std::chrono::steady_clock::now() - pruned > std::chrono::minutes(10)) {
      pruned = std::chrono::steady_clock::now();
      runHousekeeping();
    }
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    bool ran = false;
    try {
      ran = runOne();
    } catch (const std::exception& e) {  // the database itself failed: wait, then try again
      spdlog::error(R"({{"event":"job_claim_failed","error":"{}"}})", e.what());
    }
    if (ran) continue;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(options_.idle_poll_ms),
                   [this] { return stopping_; });
  }
}

}  // namespace portico::jobs
