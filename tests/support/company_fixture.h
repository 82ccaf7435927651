#pragma once

// The fixture of the business modules' tests: a vendor with its ERP key and a support agent,
// company A (Ada its administrator, Bob a user, sites North and South) and company B (Olga).
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "support/browser.h"
#include "support/test_server.h"

namespace portico::testing {

class CompanyTest : public ::testing::Test {
 protected:
  using json = nlohmann::json;

  explicit CompanyTest(app::AppConfig config = {}) : server(std::move(config)) {
    server.initOrganization("Vendor", "owner@vendor.example");
    key = *server.app().createApiKey("Vendor", "ERP");
    std::tie(company, ada) = server.companyWithAdmin(key, "A", "ada@a.example", &ada_secret);
    ada_factor_at = server.clock().now();
    std::tie(other_company, olga) = server.companyWithAdmin(key, "B", "olga@b.example");
    bob = member("bob@a.example", &bob_secret);
    bob_id = userId(bob);
    support = server.staffMember("Vendor", "sam@vendor.example", "support", &sam_secret);
    site1 = site("North");
    site2 = site("South");
  }

  HttpResult call(const std::string& method, const std::string& path, const std::string& token,
                  const json& body = nullptr) {
    std::vector<std::string> h = {"Authorization: Bearer " + token};
    if (!body.is_null()) h.push_back("Content-Type: application/json");
    return server.request(method, path, body.is_null() ? "" : body.dump(), h);
  }
  // A login that Ada invites to company A as a user, signed in with 2FA: its token. Ada steps up
  // first when the clock has moved past her last second factor.
  std::string member(const std::string& email, std::string* secret = nullptr) {
    if (server.clock().now() - ada_factor_at >= 5 * 60) {
      server.stepUp(ada, ada_secret);
      ada_factor_at = server.clock().now();
    }
    auto r = call("POST", "/api/v1/invitations", ada,
                  {{"email", email},
                   {"first_name", "Bob"},
                   {"last_name", "Member"},
                   {"language", "en"},
                   {"companies", json::array({{{"company_id", company}, {"role", "user"}}})}});
    EXPECT_EQ(r.status, 201) << r.body;
    r = server.post("/api/v1/invitations/accept",
                    {{"token", server.mailedToken("/invitations/accept")},
                     {"first_name", "Bob"},
                     {"last_name", "Member"},
                     {"password", TestServer::kPassword}});
    EXPECT_EQ(r.status, 201) << r.body;
    return server.signInAndEnrol(email, secret);
  }
  std::int64_t userId(const std::string& token) {
    return server.get("/api/v1/me", token).json()["user"]["id"].get<std::int64_t>();
  }
  std::int64_t site(const std::string& name) {
    auto r = call("POST", "/api/v1/companies/" + std::to_string(company) + "/sites", ada,
                  {{"name", name}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"].get<std::int64_t>();
  }
  // Ada's company admin changes Bob's rights.
  void setBob(const json& rights) {
    auto r =
        call("PATCH",
             "/api/v1/companies/" + std::to_string(company) + "/users/" + std::to_string(bob_id),
             ada, rights);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  std::vector<json> events(const std::string& type) {
    std::vector<json> out;
    auto feed = server.get("/api/v1/integration/events?limit=500", key).json();
    for (const auto& e : feed["items"]) {
      if (e["type"] == type) out.push_back(e);
    }
    return out;
  }
  TestServer server;
  // A browser signed in as `email` with its TOTP secret (a code of the next time step).
  Browser signIn(const std::string& email, const std::string& secret) {
    server.clock().advance(30);
    Browser b(server);
    b.get("/login");
    auto r = b.submit("/login", {{"email", email}, {"password", TestServer::kPassword}});
    EXPECT_EQ(r.header("location"), "/mfa") << r.body;
    b.get("/mfa");
    r = b.submit("/mfa", {{"code", server.totpCode(secret)}});
    EXPECT_EQ(r.status, 303) << r.body;
    b.get("/cases");  // a page with the CSRF token in its forms
    return b;
  }

  std::string key, ada, olga, bob, support, bob_secret, sam_secret, ada_secret;
  std::int64_t ada_factor_at = 0;  // when Ada last entered a second factor
  std::int64_t company = 0, other_company = 0, bob_id = 0, site1 = 0, site2 = 0;
};

}  // namespace portico::testing
