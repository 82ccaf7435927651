// The durable job queue, with real peers on loopback: a mail server that is absent, then back; one
// that hangs; and the queue's own rules (a job commits with its change, a lost lease is claimed
// again, retries back off and end, a payload with secrets is sealed).
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "identity/identity_service.h"
#include "jobs/queue.h"
#include "storage/db.h"
#include "support/smtp_sink.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

using nlohmann::json;

app::AppConfig smtpAt(unsigned short port) {
  app::AppConfig c;
  c.smtp_url = "smtp://127.0.0.1:" + std::to_string(port);
  return c;
}

// Mails whose data holds `needle`.
std::size_t mailsWith(const SmtpSink& sink, const std::string& needle) {
  std::size_t n = 0;
  for (const auto& m : sink.messages()) n += m.data.find(needle) != std::string::npos;
  return n;
}

std::vector<jobs::Job> jobsOf(TestServer& server, const std::string& kind) {
  std::vector<jobs::Job> out;
  for (const char* state : {"queued", "failed", "done"}) {
    for (auto& j : server.app().jobs().list(state, 100)) {
      if (j.kind == kind) out.push_back(j);
    }
  }
  return out;
}

TEST(JobsTest, AMailWaitsForAnAbsentMailServerAndArrivesOnceWhenItIsBack) {
  auto port = reservePort();  // nothing listens there yet
  TestServer server(smtpAt(port));
  server.signedInUser("ada@acme.example");
  auto r = server.post("/api/v1/auth/password-reset", {{"email", "ada@acme.example"}});
  ASSERT_EQ(r.status, 202);  // answered, the mail server being absent

  server.app().jobRunner().runDue();  // the reset request makes its mail; the mail cannot go
  auto mails = jobsOf(server, "mail");
  ASSERT_FALSE(mails.empty());
  for (const auto& m : mails) {
    EXPECT_EQ(m.state, "queued");
    EXPECT_EQ(m.attempts, 1);
    EXPECT_NE(m.last_error.find("Mail delivery failed"), std::string::npos) << m.last_error;
    EXPECT_GT(m.run_at_ms, server.clock().nowMs());  // retried later, not at once
  }

  SmtpSink sink(port);
  EXPECT_EQ(server.app().jobRunner().runDue(), 0);  // not due before its backoff
  EXPECT_EQ(sink.messages().size(), 0u);
  server.clock().advance(40);  // the first retry waits 30 s ± 20 %
  EXPECT_GE(server.app().jobRunner().runDue(), 1);
  ASSERT_TRUE(sink.waitForMessages(mails.size()));
  EXPECT_EQ(mailsWith(sink, "password-reset?token"), 1u);
  server.clock().advance(3600);
  EXPECT_EQ(server.app().jobRunner().runDue(), 0);  // delivered once
  EXPECT_EQ(mailsWith(sink, "password-reset?token"), 1u);
  for (const auto& m : jobsOf(server, "mail")) EXPECT_EQ(m.state, "done");
}

TEST(JobsTest, AHungMailServerSlowsNoRequest) {
  SmtpSink sink(0, /*hold_greeting=*/true);
  TestServer server(smtpAt(sink.port()));
  server.app().jobRunner().start(1);  // a real worker, which the hung server holds
  auto token = server.signedInUser("ada@acme.example");  // mails a security notice
  for (int i = 0; i < 50 && sink.connections() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GE(sink.connections(), 1);  // the worker is stuck in the greeting
  // Requests, mail-causing ones included, are answered meanwhile.
  EXPECT_EQ(server.post("/api/v1/auth/password-reset", {{"email", "ada@acme.example"}}).status,
            202);
  EXPECT_EQ(server.get("/healthz").status, 200);
  EXPECT_EQ(server.get("/api/v1/me", token).status, 200);
  EXPECT_EQ(sink.messages().size(), 0u);
  sink.release();
  ASSERT_TRUE(sink.waitForMessages(2));  // the notice, then the reset link
  EXPECT_EQ(mailsWith(sink, "password-reset?token"), 1u);
  server.app().jobRunner().stop();
}

TEST(JobsTest, AJobCommitsOrVanishesWithItsChange) {
  TestServer server;
  auto& queue = server.app().jobs();
  auto& conn = server.app().db().connection();
  {
    storage::Transaction tx(conn);
    queue.enqueue("test", "rolled back");
  }  // not committed
  {
    storage::Transaction tx(conn);
    queue.enqueue("test", "committed");
    tx.commit();
  }
  auto queued = queue.list("queued", 10);
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].payload, "committed");
}

TEST(JobsTest, ALostLeaseIsClaimedAgainAndALateAnswerChangesNothing) {
  TestServer server;
  auto& queue = server.app().jobs();
  auto id = queue.enqueue("test", "x");
  auto first = queue.claim("worker-a", 60'000);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, id);
  EXPECT_FALSE(queue.claim("worker-b", 60'000));  // leased
  server.clock().advance(61);                     // worker-a died
  auto second = queue.claim("worker-b", 60'000);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->attempts, 2);
  queue.complete(id, "worker-a");  // too late: not its claim any more
  EXPECT_EQ(queue.find(id)->state, "running");
  queue.complete(id, "worker-b");
  auto done = queue.find(id);
  EXPECT_EQ(done->state, "done");
  EXPECT_EQ(done->payload, "");  // a done job keeps no payload
  // Done jobs are kept a week, then deleted; a failed one stays for an operator.
  auto failing = queue.enqueue("test", "y");
  ASSERT_TRUE(queue.claim("worker-c", 60'000));
  queue.fail(failing, "worker-c", "no", {}, /*permanent=*/true);
  server.clock().advance(6 * 86400);
  EXPECT_EQ(queue.pruneDone(7LL * 86400 * 1000), 0);
  server.clock().advance(2 * 86400);
  EXPECT_EQ(queue.pruneDone(7LL * 86400 * 1000), 1);
  EXPECT_FALSE(queue.find(id));
  EXPECT_EQ(queue.find(failing)->state, "failed");
}

// Workers on their own connections (as on several nodes) claim at the same moment: every job is
// claimed exactly once. (On PostgreSQL, claims skip the rows other workers hold locked and check
// the row again once they hold it; a claim that lost the race must not take the job too.)
TEST(JobsTest, WorkersClaimingAtOnceNeverTakeTheSameJob) {
  TestServer server;
  auto& queue = server.app().jobs();
  constexpr int kJobs = 200;
  for (int i = 0; i < kJobs; ++i) queue.enqueue("test", std::to_string(i));
  std::mutex mutex;
  std::vector<std::int64_t> claimed;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      int n = 0;
      while (auto job =
                 queue.claim("worker-" + std::to_string(w) + "-" + std::to_string(++n), 60'000)) {
        std::lock_guard lock(mutex);
        claimed.push_back(job->id);
      }
    });
  }
  for (auto& t : workers) t.join();
  std::set<std::int64_t> distinct(claimed.begin(), claimed.end());
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kJobs));
  for (auto id : distinct) EXPECT_EQ(queue.find(id)->attempts, 1) << id;
}

TEST(JobsTest, AJobWhoseWorkerIsLostAfterItsGiveUpTimeIsNotRunAgain) {
  TestServer server;
  auto& queue = server.app().jobs();
  jobs::RetryPolicy policy{120'000, 30'000, 3600'000};  // give up after 2 minutes
  auto id = queue.enqueue("test", "kills its worker", policy);
  ASSERT_TRUE(queue.claim("worker-a", 60'000));
  server.clock().advance(61);
  auto again = queue.claim("worker-b", 60'000);  // once more after the crash
  ASSERT_TRUE(again);
  EXPECT_EQ(again->last_error, "the worker was lost (lease ran out)");
  server.clock().advance(61);  // lost again, now past its give-up time
  EXPECT_FALSE(queue.claim("worker-c", 60'000));
  auto failed = queue.find(id);
  EXPECT_EQ(failed->state, "failed");
  EXPECT_NE(failed->last_error.find("give-up time"), std::string::npos);
}

TEST(JobsTest, RetriesBackOffWithJitterThenFailUntilAnOperatorRetries) {
  TestServer server;
  auto& queue = server.app().jobs();
  jobs::RetryPolicy policy{10 * 60'000, 30'000, 3600'000};  // give up after 10 minutes
  auto id = queue.enqueue("test", "x", policy);
  std::vector<std::int64_t> waits;
  for (;;) {
    auto job = queue.claim("w", 60'000);
    ASSERT_TRUE(job);
    auto before = server.clock().nowMs();
    if (!queue.fail(id, "w", "peer down", policy)) break;
    waits.push_back(queue.find(id)->run_at_ms - before);
    server.clock().advanceMs(waits.back());
  }
  ASSERT_GE(waits.size(), 3u);
  EXPECT_GE(waits[0], 24'000);  // 30 s ± 20 %
  EXPECT_LE(waits[0], 36'000);
  EXPECT_GE(waits[1], 48'000);  // then doubled
  EXPECT_LE(waits[1], 72'000);
  auto failed = queue.find(id);
  EXPECT_EQ(failed->state, "failed");
  EXPECT_EQ(failed->last_error, "peer down");
  EXPECT_EQ(queue.list("failed", 10).size(), 1u);
  EXPECT_FALSE(queue.claim("w", 60'000));  // a failed job is not claimed
  EXPECT_TRUE(queue.retry(id));
  EXPECT_EQ(queue.find(id)->state, "queued");
  EXPECT_TRUE(queue.claim("w", 60'000));
  EXPECT_FALSE(queue.retry(id));  // running
  // Jitter: two jobs failing alike do not come back at the same moment (almost surely).
  std::set<std::int64_t> firsts;
  for (int i = 0; i < 5; ++i) firsts.insert(jobs::Queue::backoffMs(policy, 1));
  EXPECT_GT(firsts.size(), 1u);
}

TEST(JobsTest, QueuedMailAndTextsAreSealedAndTheResetAnswerIsTheSameForEveryAddress) {
  TestServer server;
  server.signedInUser("ada@acme.example");
  server.mails();  // delivers what signing up queued
  auto known = server.post("/api/v1/auth/password-reset", {{"email", "ada@acme.example"}});
  auto unknown = server.post("/api/v1/auth/password-reset", {{"email", "nobody@acme.example"}});
  EXPECT_EQ(known.status, 202);
  EXPECT_EQ(known.body, unknown.body);
  // Both answers queued the same single job, which holds no readable address.
  auto requests = jobsOf(server, std::string(identity::kPasswordResetJob));
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& j : requests) {
    EXPECT_EQ(j.payload.find("acme.example"), std::string::npos);
  }
  EXPECT_TRUE(jobsOf(server, "mail").empty() ||
              jobsOf(server, "mail").back().state == "done");  // no mail before the job runs
  server.app().jobRunner().runOne();
  server.app().jobRunner().runOne();
  // The known address's job queued its mail, sealed: the link's token is not in the database.
  auto mails = server.app().jobs().list("queued", 10);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].kind, "mail");
  EXPECT_EQ(mails[0].payload.find("token"), std::string::npos);
  EXPECT_EQ(mails[0].payload.find("ada@"), std::string::npos);
  EXPECT_FALSE(server.mailedToken("/password-reset").empty());  // and it is delivered
}

}  // namespace
}  // namespace portico::testing
