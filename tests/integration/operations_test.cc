// What operators and load balancers rely on: /healthz (alive), /readyz (database and migrations),
// and a lost database connection answering 503 once rather than failing for good.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "storage/migrator.h"
#include "storage/postgres/pg_db.h"
#include "support/raw_socket.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

TEST(OperationsTest, ReadyzSaysWhetherTheDatabaseHasEveryMigrationWhileHealthzAnswers) {
  TestServer server;
  auto ready = server.get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.json()["status"], "ready");
  EXPECT_EQ(ready.json()["schema_version"], storage::latestVersion(storage::builtinMigrations()));
  EXPECT_EQ(ready.header("cache-control"), "no-store");
  // A database behind this build (a migration not applied) is not ready; the process is alive.
  server.sql("DELETE FROM schema_migrations WHERE version = ?",
             {std::to_string(storage::latestVersion(storage::builtinMigrations()))});
  auto behind = server.get("/readyz");
  EXPECT_EQ(behind.status, 503);
  EXPECT_EQ(behind.json()["reason"], "migrations");
  EXPECT_EQ(server.get("/healthz").status, 200);
}

TEST(OperationsTest, MetricsCountAnswersByRoutePatternOnTheirOwnPortOnly) {
  app::AppConfig c;
  c.metrics_listen = "127.0.0.1:0";
  TestServer server(c);
  server.get("/api/v1/me");
  server.get("/api/v1/me");
  server.get("/api/v1/companies/77");
  server.get("/no/such/thing");
  auto port = server.app().metricsPort();
  ASSERT_NE(port, 0);
  EXPECT_NE(port, server.port());
  auto raw = exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto has = [&raw](const std::string& text) { return raw.find(text) != std::string::npos; };
  EXPECT_TRUE(has("HTTP/1.1 200")) << raw.substr(0, 200);
  EXPECT_TRUE(has("text/plain; version=0.0.4"));
  EXPECT_TRUE(
      has("portico_http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"401\"} 2"))
      << raw;
  // The pattern, never the path with its id; a path no route matches counts as "(none)".
  EXPECT_TRUE(has("route=\"/api/v1/companies/{id}\",status=\"401\"} 1"));
  EXPECT_FALSE(has("/api/v1/companies/77"));
  EXPECT_TRUE(has("route=\"(none)\",status=\"404\"} 1"));
  EXPECT_TRUE(
      has("portico_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/me\"} 2"));
  EXPECT_TRUE(
      has("portico_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/"
          "me\",le=\"+Inf\"} 2"));
  EXPECT_TRUE(has("# TYPE portico_http_open_connections gauge"));
  EXPECT_TRUE(has("portico_jobs{state=\"queued\"} "));
  EXPECT_TRUE(has("portico_db_errors_total "));
  EXPECT_TRUE(has("portico_db_reconnects_total "));
  // Not on the public port.
  EXPECT_EQ(server.get("/metrics").status, 404);
}

TEST(OperationsTest, ALostDatabaseConnectionAnswers503AndTheNextRequestWorks) {
  auto admin_url = testPostgresUrl();
  if (admin_url.empty()) GTEST_SKIP() << "SQLite has no connection to lose (the pg. run has)";
  TestServer server;
  auto token = server.signedInUser("ops@acme.example");
  ASSERT_EQ(server.get("/api/v1/me", token).status, 200);
  std::string database;
  {
    storage::Query q(server.app().db().connection(), "SELECT current_database()");
    ASSERT_TRUE(q.next());
    database = q.getText(0);
  }
  // The database server drops every connection of the portal (a restart, a failover).
  storage::PgDb admin(admin_url);
  {
    storage::Query kill(admin.connection(),
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = ? AND pid <> pg_backend_pid()");
    kill.bind(database).run();
  }
  // Each server thread's connection fails one request with 503, then opens a new one.
  std::vector<long> statuses;
  for (int i = 0; i < 20; ++i) {
    auto r = server.get("/api/v1/me", token);
    statuses.push_back(r.status);
    if (r.status == 503) {
      EXPECT_EQ(r.errorCode(), "unavailable");
    }
    EXPECT_TRUE(r.status == 200 || r.status == 503) << r.status << " " << r.body;
  }
  EXPECT_NE(std::count(statuses.begin(), statuses.end(), 503), 0)
      << "the lost connections were not noticed";
  // By then every thread has reconnected.
  for (std::size_t i = 16; i < statuses.size(); ++i) EXPECT_EQ(statuses[i], 200) << i;
}

}  // namespace
}  // namespace portico::testing
