// What an access review reads in the audit APIs: sign-ins (the first one too, when it ends in 2FA
// enrolment), failed passwords and codes, 2FA changes; and the limit on heavy exports.
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

TEST_F(AuditApiTest, AFirstSignInThatEndsInEnrolmentIsASignIn) {
  server.clock().advance(60);
  newMember("ivy@c1.example");
  auto ivy = member("ivy@c1.example");
  ASSERT_TRUE(ivy.is_object());
  ASSERT_TRUE(ivy["last_login_at"].is_number()) << ivy.dump();
  EXPECT_EQ(ivy["last_login_at"], server.clock().now());
  EXPECT_TRUE(member("admin@c1.example")["last_login_at"].is_number());  // enrolled at sign-in too
  for (const auto& items : {companyAudit("event=login."), staffAudit("event=login.")}) {
    auto signed_in = find(items, "login.succeeded", "ivy@c1.example");
    ASSERT_EQ(signed_in.size(), 1u) << items.dump();
    EXPECT_EQ(signed_in[0]["actor"], "ivy@c1.example");
    EXPECT_EQ(signed_in[0]["detail"]["mfa"], "totp");
    EXPECT_EQ(signed_in[0]["ip"], "127.0.0.1");
  }
}

TEST_F(AuditApiTest, FailedPasswordsAndCodesOfMembersAreInBothAudits) {
  std::string secret;
  server.signedInUser("outsider@else.example", &secret);  // of another organization
  for (const char* email : {"admin@c1.example", "outsider@else.example"}) {
    EXPECT_EQ(
        server.post("/api/v1/auth/login", {{"email", email}, {"password", "wrong wrong"}}).status,
        401);
    auto t =
        server.post("/api/v1/auth/login", {{"email", email}, {"password", TestServer::kPassword}})
            .json()["token"]
            .get<std::string>();
    EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", "000000"}}, t).status, 400);
  }
  for (const auto& items : {companyAudit(), staffAudit()}) {
    auto failed = find(items, "login.failed", "admin@c1.example");
    ASSERT_EQ(failed.size(), 1u) << items.dump();
    EXPECT_EQ(failed[0]["subject"], "admin@c1.example");  // the user, known
    EXPECT_EQ(failed[0]["detail"]["email"], "admin@c1.example");
    EXPECT_EQ(failed[0]["ip"], "127.0.0.1");
    auto code = find(items, "mfa.failed", "admin@c1.example");
    ASSERT_EQ(code.size(), 1u) << items.dump();
    EXPECT_EQ(code[0]["actor"], "admin@c1.example");
    EXPECT_EQ(code[0]["detail"]["email"], "admin@c1.example");
    EXPECT_EQ(code[0]["ip"], "127.0.0.1");
    // Another organization's people stay out.
    EXPECT_TRUE(find(items, "login.failed", "outsider@else.example").empty());
    EXPECT_TRUE(find(items, "mfa.failed", "outsider@else.example").empty());
  }
  auto only_failures = staffAudit("event=login.failed");
  for (const auto& e : only_failures) EXPECT_EQ(e["event"], "login.failed");
  EXPECT_EQ(find(only_failures, "login.failed", "admin@c1.example").size(), 1u);
}

TEST_F(AuditApiTest, SignInsAndTwoFactorChangesAreInTheStaffAudit) {
  // The administrator enrolled at the first sign-in (the fixture) and renews recovery codes.
  EXPECT_EQ(server.post("/api/v1/auth/recovery-codes", json::object(), admin).status, 200);
  auto items = staffAudit();
  EXPECT_EQ(find(items, "login.succeeded", "admin@c1.example").size(), 1u) << items.dump();
  EXPECT_EQ(find(items, "mfa.totp.enrolled", "admin@c1.example").size(), 1u);
  EXPECT_EQ(find(items, "mfa.recovery_codes.regenerated", "admin@c1.example").size(), 1u);
  EXPECT_EQ(find(items, "login.succeeded", "staff@vendor.example").size(), 1u);  // staff too
  // The search filters apply: by event prefix and by actor.
  auto mfa = staffAudit("event=mfa.&actor=admin%40c1.example");
  ASSERT_FALSE(mfa.empty());
  for (const auto& e : mfa) {
    EXPECT_TRUE(e["event"].get<std::string>().starts_with("mfa.")) << e.dump();
    EXPECT_EQ(e["actor"], "admin@c1.example");
  }
  auto company_items = companyAudit("event=mfa.");
  EXPECT_EQ(find(company_items, "mfa.totp.enrolled", "admin@c1.example").size(), 1u);
  EXPECT_TRUE(find(company_items, "mfa.totp.enrolled", "staff@vendor.example").empty());
}

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
