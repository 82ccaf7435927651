// Migration 0016 (tenant columns in every key) on a database that already holds rows: the same
// check for SQLite (sqlite_db_test.cc) and PostgreSQL (pg_db_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/db.h"
#include "storage/migrator.h"

namespace portico::storage::checks {

inline std::int64_t scalar(Connection& c, const std::string& sql) {
  Query q(c, sql);
  EXPECT_TRUE(q.next()) << sql;
  return q.getInt(0);
}

// Applies the migrations before 0016, writes two organizations' link rows, applies the rest and
// checks that every row is kept with its tenant filled in and that the keys still hold.
inline void checkTenantKeysMigrationKeepsRows(Db& db) {
  std::vector<core::EmbeddedFile> before;
  for (const auto& f : builtinMigrations()) {
    if (f.name < "0016") before.push_back(f);
  }
  migrate(db, before);
  ASSERT_EQ(schemaVersion(db), 15);
  auto& c = db.connection();
  for (
      const char* sql : {
          "INSERT INTO organizations (id, name, created_at) VALUES (1, 'A', 0), (2, 'B', 0)",
          "INSERT INTO users (id, email, created_at) VALUES (1, 'a@x.test', 0), (2, 'b@x.test', 0)",
          "INSERT INTO companies (id, org_id, name, created_at, updated_at)"
          " VALUES (10, 1, 'A1', 0, 0), (20, 2, 'B1', 0, 0)",
          "INSERT INTO sites (id, company_id, name) VALUES (100, 10, 's'), (200, 20, 't')",
          "INSERT INTO memberships (id, company_id, user_id, role, all_sites, created_at)"
          " VALUES (1000, 10, 1, 'user', 0, 0), (2000, 20, 2, 'user', 0, 0)",
          "INSERT INTO membership_sites (membership_id, site_id) VALUES (1000, 100), (2000, 200)",
          "INSERT INTO agents (id, org_id, name, created_at) VALUES (5, 1, 'a', 0), (6, 2, 'b', 0)",
          "INSERT INTO agent_users (agent_id, user_id) VALUES (5, 1), (6, 2), (6, 1)",
          "INSERT INTO departments (id, org_id, name) VALUES (7, 1, 'd'), (8, 2, 'e')",
          "INSERT INTO staff_departments (user_id, department_id) VALUES (1, 7), (2, 8)",
          "INSERT INTO events (id, org_id, type, subject, data, created_at)"
          " VALUES ('evt_a', 1, 't', '{}', '{}', 0)",
          "INSERT INTO events (id, org_id, type, subject, data, created_at)"
          " VALUES ('evt_b', 2, 't', '{}', '{}', 0)",
          "INSERT INTO events (id, org_id, type, subject, data, created_at)"
          " VALUES ('evt_c', 2, 't', '{}', '{}', 0)",
          "INSERT INTO webhook_endpoints (id, org_id, url, events, secret, created_at)"
          " VALUES (30, 1, 'https://a.test', '[]', 's', 0), (40, 2, 'https://b.test', '[]', 's', "
          "0)",
          "INSERT INTO webhook_deliveries (id, endpoint_id, event_seq, message_id, created_at)"
          " VALUES (300, 30, (SELECT seq FROM events WHERE id = 'evt_a'), 'msg_a', 0),"
          " (400, 40, (SELECT seq FROM events WHERE id = 'evt_b'), 'msg_b', 0)",
      }) {
    c.exec(sql);
  }
  // The newest event is pruned: its number must not come back.
  auto pruned = scalar(c, "SELECT seq FROM events WHERE id = 'evt_c'");
  c.exec("DELETE FROM events WHERE id = 'evt_c'");
  migrate(db, builtinMigrations());
  EXPECT_GE(schemaVersion(db), 16);

  EXPECT_EQ(scalar(c, "SELECT count(*) FROM agent_users"), 3);
  EXPECT_EQ(scalar(c,
                   "SELECT count(*) FROM agent_users au JOIN agents a ON a.id = au.agent_id"
                   " WHERE a.org_id = au.org_id"),
            3);
  EXPECT_EQ(scalar(c, "SELECT org_id FROM staff_departments WHERE department_id = 8"), 2);
  EXPECT_EQ(scalar(c, "SELECT company_id FROM membership_sites WHERE site_id = 200"), 20);
  EXPECT_EQ(scalar(c, "SELECT org_id FROM webhook_deliveries WHERE id = 400"), 2);
  EXPECT_EQ(scalar(c,
                   "SELECT count(*) FROM webhook_deliveries d JOIN events e"
                   " ON e.seq = d.event_seq"),
            2);
  EXPECT_EQ(scalar(c, "SELECT count(*) FROM events"), 2);

  // The access counter still moves when a link row changes (the triggers came along).
  auto version = scalar(c, "SELECT value FROM access_version");
  c.exec("DELETE FROM membership_sites WHERE membership_id = 1000");
  c.exec("DELETE FROM agent_users WHERE agent_id = 6 AND user_id = 1");
  c.exec("DELETE FROM staff_departments WHERE user_id = 1");
  EXPECT_EQ(scalar(c, "SELECT value FROM access_version"), version + 3);

  // Deleting an event still takes its deliveries with it, and a new event continues the sequence.
  c.exec("DELETE FROM events WHERE id = 'evt_a'");
  EXPECT_EQ(scalar(c, "SELECT count(*) FROM webhook_deliveries"), 1);
  c.exec(
      "INSERT INTO events (id, org_id, type, subject, data, created_at)"
      " VALUES ('evt_d', 1, 't', '{}', '{}', 0)");
  EXPECT_GT(scalar(c, "SELECT seq FROM events WHERE id = 'evt_d'"), pruned);

  // The keys still refuse a second copy of a row.
  EXPECT_ANY_THROW(
      c.exec("INSERT INTO events (id, org_id, type, subject, data, created_at)"
             " VALUES ('evt_d', 1, 't', '{}', '{}', 0)"));
  EXPECT_ANY_THROW(c.exec("INSERT INTO agent_users (agent_id, user_id, org_id) VALUES (5, 1, 1)"));
  EXPECT_ANY_THROW(
      c.exec("INSERT INTO membership_sites (membership_id, site_id) VALUES (2000, 200)"));
}

}  // namespace portico::storage::checks
