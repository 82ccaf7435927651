#include "jobs/queue.h"

#include <algorithm>
#include <string>

#include "core/random.h"

namespace portico::jobs {
namespace {

using storage::Query;

constexpr std::string_view kInsert =
    "INSERT INTO jobs (kind, payload, state, run_at, give_up_at, created_at)"
    " VALUES (?, ?, 'queued', ?, ?, ?)";
// One statement: two workers never claim the same row. SQLite writes one at a time; on
// PostgreSQL the subquery skips rows another worker has locked (FOR UPDATE SKIP LOCKED), and the
// outer condition is checked again on the row as it is when its lock is granted, so a claim that
// lost the race changes nothing. Claims take no part in the write lock of use cases.
constexpr std::string_view kClaimUntilLock =
    "UPDATE jobs SET state = 'running', lease_until = ?1, lease_owner = ?2,"
    " attempts = attempts + 1, last_error = CASE WHEN state = 'running'"
    " THEN 'the worker was lost (lease ran out)' ELSE last_error END"
    " WHERE ((state = 'queued' AND run_at <= ?3) OR (state = 'running' AND lease_until < ?3))"
    " AND id = (SELECT id FROM jobs WHERE (state = 'queued' AND run_at <= ?3)"
    " OR (state = 'running' AND lease_until < ?3) ORDER BY run_at, id LIMIT 1";
constexpr std::string_view kClaimAfterLock =
    ") RETURNING id, kind, payload, state, attempts, run_at, give_up_at, created_at, finished_at,"
    " last_error";

const std::string& claimSql(storage::Dialect dialect) {
  static const std::string sqlite = std::string(kClaimUntilLock) + std::string(kClaimAfterLock);
  static const std::string postgres =
      std::string(kClaimUntilLock) + " FOR UPDATE SKIP LOCKED" + std::string(kClaimAfterLock);
  return dialect == storage::Dialect::Postgres ? postgres : sqlite;
}

// A job whose worker was lost (its lease ran out) after its give-up time is not run again.
constexpr std::string_view kAbandon =
    "UPDATE jobs SET state = 'failed', finished_at = ?, lease_until = NULL, lease_owner = NULL,"
    " last_error = 'the worker was lost (lease ran out) after the job''s give-up time'"
    " WHERE state = 'running' AND lease_until < ? AND give_up_at <= ?";
// A read first: an idle worker's poll takes no write lock.
constexpr std::string_view kAnyDue =
    "SELECT 1 FROM jobs WHERE (state = 'queued' AND run_at <= ?)"
    " OR (state = 'running' AND lease_until < ?) LIMIT 1";
constexpr std::string_view kComplete =
    "UPDATE jobs SET state = 'done', payload = '', finished_at = ?, lease_until = NULL,"
    " lease_owner = NULL, last_error = NULL WHERE id = ? AND lease_owner = ? AND state = 'running'";
constexpr std::string_view kRequeue =
    "UPDATE jobs SET state = 'queued', run_at = ?, lease_until = NULL, lease_owner = NULL,"
    " last_error = ? WHERE id = ? AND lease_owner = ? AND state = 'running'";
constexpr std::string_view kFailed =
    "UPDATE jobs SET state = 'failed', finished_at = ?, lease_until = NULL, lease_owner = NULL,"
    " last_error = ? WHERE id = ? AND lease_owner = ? AND state = 'running'";
constexpr std::string_view kRetry =
    "UPDATE jobs SET state = 'queued', run_at = ?, give_up_at = ?, finished_at = NULL"
    " WHERE id = ? AND state IN ('failed', 'queued')";
constexpr std::string_view kColumns =
    "SELECT id, kind, payload, state, attempts, run_at, give_up_at, created_at, finished_at,"
    " last_error FROM jobs";
constexpr std::string_view kCounts = "SELECT state, COUNT(*) FROM jobs GROUP BY state";
constexpr std::string_view kPrune = "DELETE FROM jobs WHERE state = 'done' AND finished_at < ?";

Job readJob(Query& q) {
  Job j;
  j.id = q.getInt(0);
  j.kind = q.getText(1);
  j.payload = q.getText(2);
  j.state = q.getText(3);
  j.attempts = static_cast<int>(q.getInt(4));
  j.run_at_ms = q.getInt(5);
  j.give_up_at_ms = q.getInt(6);
  j.created_at_ms = q.getInt(7);
  j.finished_at_ms = q.getOptInt(8);
  j.last_error = q.getOptText(9).value_or("");
  return j;
}

}  // namespace

std::int64_t Queue::enqueue(const std::string& kind, const std::string& payload,
                            const RetryPolicy& policy, std::int64_t delay_ms) {
  auto now = clock_.nowMs();
  Query(conn(), kInsert)
      .bind(kind, payload, now + delay_ms, now + policy.give_up_after_ms, now)
      .run();
  return conn().lastInsertId();
}

std::optional<Job> Queue::claim(const std::string& owner, std::int64_t lease_ms) {
  auto now = clock_.nowMs();
  {
    Query any(conn(), kAnyDue);
    any.bind(now, now);
    if (!any.next()) return std::nullopt;
  }
  Query(conn(), kAbandon).bind(now, now, now).run();
  Query q(conn(), claimSql(conn().dialect()));
  q.bind(now + lease_ms, owner, now);
  if (!q.next()) return std::nullopt;
  auto job = readJob(q);
  while (q.next()) {
  }
  return job;
}

void Queue::complete(std::int64_t id, const std::string& owner) {
  Query(conn(), kComplete).bind(clock_.nowMs(), id, owner).run();
}

bool Queue::fail(std::int64_t id, const std::string& owner, const std::string& error,
                 const RetryPolicy& policy, bool permanent,
                 std::optional<std::int64_t> retry_after_ms) {
  auto now = clock_.nowMs();
  auto job = find(id);
  if (!job) return false;
  std::int64_t next = now + (retry_after_ms ? std::max<std::int64_t>(*retry_after_ms, 0)
                                            : backoffMs(policy, job->attempts));
  bool schedule_over =
      !policy.schedule_ms.empty() && job->attempts > static_cast<int>(policy.schedule_ms.size());
  if (permanent || schedule_over || next > job->give_up_at_ms) {
    Query(conn(), kFailed).bind(now, error, id, owner).run();
    return false;
  }
  Query(conn(), kRequeue).bind(next, error, id, owner).run();
  return conn().changes() > 0;
}

bool Queue::retry(std::int64_t id, const RetryPolicy& policy) {
  auto now = clock_.nowMs();
  Query(conn(), kRetry).bind(now, now + policy.give_up_after_ms, id).run();
  return conn().changes() > 0;
}

std::vector<Job> Queue::list(const std::string& state, int limit) {
  std::string sql(kColumns);
  sql += state == "queued" ? " WHERE state IN ('queued', 'running')" : " WHERE state = ?";
  sql += " ORDER BY id DESC LIMIT ?";
  Query q(conn(), sql);
  if (state != "queued") q.bind(state);
  q.bind(limit);
  std::vector<Job> out;
  while (q.next()) out.push_back(readJob(q));
  return out;
}

std::optional<Job> Queue::find(std::int64_t id) {
  Query q(conn(), std::string(kColumns) + " WHERE id = ?");
  q.bind(id);
  if (!q.next()) return std::nullopt;
  return readJob(q);
}

Queue::Counts Queue::counts() {
  Counts c;
  Query q(conn(), kCounts);
  while (q.next()) {
    auto state = q.getText(0);
    auto n = q.getInt(1);
    if (state == "queued") c.queued = n;
    if (state == "running") c.running = n;
    if (state == "failed") c.failed = n;
    if (state == "done") c.done = n;
  }
  return c;
}

std::int64_t Queue::pruneDone(std::int64_t keep_ms) {
  Query(conn(), kPrune).bind(clock_.nowMs() - keep_ms).run();
  return conn().changes();
}

RetryPolicy RetryPolicy::scheduled(std::vector<std::int64_t> schedule_ms) {
  RetryPolicy p;
  std::int64_t total = 0;
  for (auto w : schedule_ms) total += w;
  p.give_up_after_ms = total + total / 4 + 3600'000;  // every wait at +20 %, and an hour's slack
  p.schedule_ms = std::move(schedule_ms);
  return p;
}

std::int64_t Queue::backoffMs(const RetryPolicy& policy, int attempt) {
  std::int64_t wait = policy.first_retry_ms;
  if (!policy.schedule_ms.empty()) {
    auto n = static_cast<std::size_t>(std::max(attempt, 1));
    wait = policy.schedule_ms[std::min(n, policy.schedule_ms.size()) - 1];
  } else {
    for (int i = 1; i < attempt && wait < policy.max_retry_ms; ++i) wait *= 2;
    wait = std::min(wait, policy.max_retry_ms);
  }
  // ±20 %: a uniform fraction from two random bytes.
  auto bytes = core::randomBytes(2);
  auto r = (static_cast<unsigned char>(bytes[0]) << 8) | static_cast<unsigned char>(bytes[1]);
  double jitter = 0.8 + 0.4 * (static_cast<double>(r) / 65535.0);
  return static_cast<std::int64_t>(static_cast<double>(wait) * jitter);
}

}  // namespace portico::jobs
