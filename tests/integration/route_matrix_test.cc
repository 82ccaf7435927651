// The authorization matrix: every registered route, against every kind of caller. A route added
// without a policy decision (not declared through GuardedRoutes or CompanyRoutes) fails here.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "support/test_server.h"

namespace portico::testing {
namespace {

using identity::Access;
using nlohmann::json;

class RouteMatrixTest : public ::testing::Test {
 protected:
  RouteMatrixTest() {
    server.initOrganization("Vendor", "staff@vendor.example");
    key = *server.app().createApiKey("Vendor", "ERP");
    // Company A with its administrator; Bob is a read-only member of A; Olga belongs elsewhere.
    admin = companyAdmin("A", "admin@a.example", &company);
    outsider = companyAdmin("B", "olga@b.example", &other_company);
    bob_token = companyAdmin("A", "bob@a.example", nullptr);
    bob = server.get("/api/v1/me", bob_token).json()["user"]["id"].get<std::int64_t>();
    auto r = server.request(
        "PATCH", "/api/v1/companies/" + std::to_string(company) + "/users/" + std::to_string(bob),
        R"({"role":"read_only"})",
        {"Content-Type: application/json", "Authorization: Bearer " + admin});
    EXPECT_EQ(r.status, 200) << r.body;
    pending = server
                  .post("/api/v1/auth/login",
                        {{"email", "bob@a.example"}, {"password", TestServer::kPassword}})
                  .json()["token"]
                  .get<std::string>();
  }

  std::string companyAdmin(const std::string& ext, const std::string& email,
                           std::int64_t* company_out) {
    auto c =
        server.post("/api/v1/integration/companies", {{"external_id", ext}, {"name", ext}}, key);
    if (company_out) *company_out = c.json()["id"].get<std::int64_t>();
    server.post("/api/v1/integration/companies/" + ext + "/admin-signup", {{"email", email}}, key);
    std::string flat = std::regex_replace(server.mails().back(), std::regex("=\r\n"), "");
    std::smatch m;
    EXPECT_TRUE(std::regex_search(flat, m, std::regex("/signup\\?token=3D([A-Za-z0-9_-]+)")));
    server.post("/api/v1/signup", {{"token", m[1].str()},
                                   {"first_name", "F"},
                                   {"last_name", "L"},
                                   {"password", TestServer::kPassword}});
    auto token =
        server.post("/api/v1/auth/login", {{"email", email}, {"password", TestServer::kPassword}})
            .json()["token"]
            .get<std::string>();
    auto secret = server.post("/api/v1/auth/totp/enroll", json::object(), token)
                      .json()["secret"]
                      .get<std::string>();
    server.post("/api/v1/auth/totp/confirm", {{"code", server.totpCode(secret)}}, token);
    return token;
  }

  std::string path(std::string pattern, std::int64_t company_id) const {
    pattern = std::regex_replace(pattern, std::regex("\\{id\\}"), std::to_string(company_id));
    pattern = std::regex_replace(pattern, std::regex("\\{user_id\\}"), "999999");
    pattern = std::regex_replace(pattern, std::regex("\\{external_id\\}"), "A");
    return std::regex_replace(pattern, std::regex("\\{[a-z_]+\\}"), "1");
  }

  long call(const std::string& method, const std::string& p, const std::string& token) {
    std::vector<std::string> h = {"Content-Type: application/json"};
    if (!token.empty()) h.push_back("Authorization: Bearer " + token);
    return server.request(method, p, method == "GET" || method == "DELETE" ? "" : "{}", h).status;
  }

  TestServer server;
  std::string key, admin, outsider, bob_token, pending;
  std::int64_t company = 0, other_company = 0, bob = 0;
};

TEST_F(RouteMatrixTest, EveryRouteIsDeclaredWithAPolicy) {
  std::set<std::pair<std::string, std::string>> declared;
  for (const auto& d : server.app().routes().declared()) declared.insert({d.method, d.pattern});
  std::size_t checked = 0;
  for (const auto& route : server.app().router().routes()) {
    if (route->pattern == "/healthz" || route->pattern.starts_with("/static/"))
      continue;  // public by design
    EXPECT_TRUE(declared.count({route->method, route->pattern}))
        << route->method << " " << route->pattern << " has no access rule";
    ++checked;
  }
  EXPECT_GT(checked, 20u);
}

TEST_F(RouteMatrixTest, ApiRoutesRefuseCallersWithoutTheRightAccess) {
  std::set<std::pair<std::string, std::string>> company_routes;
  for (const auto& d : server.app().companyRoutes().declared())
    company_routes.insert({d.method, d.pattern});
  for (const auto& d : server.app().routes().declared()) {
    if (!d.pattern.starts_with("/api/")) continue;
    SCOPED_TRACE(d.method + " " + d.pattern);
    auto own = path(d.pattern, company);
    switch (d.access) {
      case Access::Public:
        EXPECT_LT(call(d.method, own, ""), 500);
        break;
      case Access::ApiKey:
        EXPECT_EQ(call(d.method, own, ""), 401);
        EXPECT_EQ(call(d.method, own, admin), 401);  // a session is no API key
        break;
      case Access::PendingMfa:
        EXPECT_EQ(call(d.method, own, ""), 401);
        EXPECT_EQ(call(d.method, own, "not-a-token"), 401);
        break;
      case Access::SignedIn:
        EXPECT_EQ(call(d.method, own, ""), 401);
        EXPECT_EQ(call(d.method, own, pending), 403);  // before the second factor
        EXPECT_EQ(call(d.method, own, key), 401);      // an API key is no session
        if (company_routes.count({d.method, d.pattern})) {
          EXPECT_EQ(call(d.method, own, outsider), 404);                          // not a member
          EXPECT_EQ(call(d.method, path(d.pattern, other_company), admin), 404);  // another company
          EXPECT_EQ(call(d.method, path(d.pattern, 999999), admin), 404);         // no such company
          auto as_admin = call(d.method, own, admin);
          EXPECT_NE(as_admin, 401);
          EXPECT_NE(as_admin, 403);
        }
        break;
    }
  }
}

TEST_F(RouteMatrixTest, CompanyRoutesNeedTheirPermission) {
  for (const auto& d : server.app().companyRoutes().declared()) {
    SCOPED_TRACE(d.method + " " + d.pattern);
    auto own = path(d.pattern, company);
    // Bob is read-only: he holds exactly the *.view permissions.
    bool bob_may =
        !d.permission || std::string(access::permissionName(*d.permission)).ends_with(".view");
    auto status = call(d.method, own, bob_token);
    if (bob_may) {
      EXPECT_NE(status, 403);
    } else {
      EXPECT_EQ(status, 403);
    }
  }
}

TEST_F(RouteMatrixTest, PagesRedirectAnonymousCallersAndRefuseFormsWithoutCsrf) {
  for (const auto& d : server.app().routes().declared()) {
    if (d.pattern.starts_with("/api/")) continue;
    SCOPED_TRACE(d.method + " " + d.pattern);
    auto p = path(d.pattern, company);
    auto r = server.request(d.method, p, "", {"Content-Type: application/x-www-form-urlencoded"});
    if (d.method == "POST") {
      EXPECT_EQ(r.status, 403);  // no CSRF cookie or token
    } else if (d.access != Access::Public) {
      EXPECT_EQ(r.status, 303);
      EXPECT_TRUE(r.header("location").starts_with("/login")) << r.header("location");
    } else {
      EXPECT_LT(r.status, 500);
    }
  }
}

}  // namespace
}  // namespace portico::testing
