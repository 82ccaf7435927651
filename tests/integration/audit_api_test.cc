// The audit APIs: the limit on heavy exports.
#include <gtest/gtest.h>

#include "support/test_server.h"

namespace portico::testing {
namespace {

using nlohmann::json;

class AuditApiTest : public ::testing::Test {
 protected:
  AuditApiTest() {
    auto link = server.initOrganization("Vendor", "staff@vendor.example");
    EXPECT_EQ(server
                  .post("/api/v1/signup", {{"token", TestServer::tokenOf(link)},
                                           {"first_name", "Sam"},
                                           {"last_name", "Staff"},
                                           {"password", TestServer::kPassword}})
                  .status,
              201);
    staff = server.signInAndEnrol("staff@vendor.example");
    key = *server.app().createApiKey("Vendor", "ERP");
    std::tie(company, admin) = server.companyWithAdmin(key, "C-1", "admin@c1.example");
  }

  json staffAudit(const std::string& query = "") {
    auto r = server.get("/api/v1/staff/audit?limit=200&" + query, staff);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }
  json companyAudit(const std::string& query = "") {
    auto r = server.get(companyPath() + "/audit?limit=200&" + query, admin);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }
  std::string companyPath() const { return "/api/v1/companies/" + std::to_string(company); }
  // The items named `event` by or about `email`.
  static std::vector<json> find(const json& items, const std::string& event,
                                const std::string& email) {
    std::vector<json> out;
    for (const auto& e : items) {
      if (e["event"] == event && (e["actor"] == email || e["subject"] == email)) out.push_back(e);
    }
    return out;
  }
  // A member invited by the company's administrator who accepts and signs in for the first time,
  // enrolling TOTP: the session token.
  std::string newMember(const std::string& email) {
    auto r =
        server.post("/api/v1/invitations",
                    {{"email", email},
                     {"first_name", "Ivy"},
                     {"last_name", "Invitee"},
                     {"companies", json::array({{{"company_id", company}, {"role", "member"}}})}},
                    admin);
    EXPECT_EQ(r.status, 201) << r.body;
    r = server.post("/api/v1/invitations/accept",
                    {{"token", server.mailedToken("/invitations/accept")},
                     {"password", TestServer::kPassword}});
    EXPECT_EQ(r.status, 201) << r.body;
    return server.signInAndEnrol(email);
  }
  json member(const std::string& email) {
    auto members = server.get(companyPath() + "/users", admin).json();
    for (const auto& m : members["items"]) {
      if (m["email"] == email) return m;
    }
    return json();
  }

  TestServer server;
  std::string staff, key, admin;
  std::int64_t company = 0;
};

// The CSV exports are heavy: at most 10 an hour per caller, company and staff exports together.
TEST_F(AuditApiTest, HeavyExportsAreLimitedPerCaller) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(server.get(companyPath() + "/audit.csv", admin).status, 200) << i;
  }
  auto r = server.get(companyPath() + "/audit.csv", admin);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.errorCode(), "rate_limited");
  EXPECT_EQ(r.header("retry-after"), "3600");
  EXPECT_EQ(r.json()["error"]["message"], "At most 10 exports an hour; try again in 60 minutes");
  EXPECT_EQ(server.get(companyPath() + "/audit", admin).status, 200);  // reading is not exporting

  for (int i = 0; i < 9; ++i) {
    ASSERT_EQ(server.get("/api/v1/staff/audit.csv", staff).status, 200) << i;
  }
  server.clock().advance(30 * 60);
  ASSERT_EQ(server.get("/api/v1/staff/audit.csv", staff).status, 200);
  r = server.get("/api/v1/staff/audit.csv?event=login.", staff);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.json()["error"]["message"], "At most 10 exports an hour; try again in 30 minutes");
  EXPECT_EQ(server.get(companyPath() + "/audit.csv", admin).status, 429);
  server.clock().advance(30 * 60);
  EXPECT_EQ(server.get(companyPath() + "/audit.csv", admin).status, 200);
  EXPECT_EQ(server.get("/api/v1/staff/audit.csv", staff).status, 200);  // 1 in the last hour
}

}  // namespace
}  // namespace portico::testing
