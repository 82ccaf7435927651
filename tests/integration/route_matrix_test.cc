// The authorization matrix: every registered route, against every kind of caller. A route added
// without a policy decision (not declared through GuardedRoutes or CompanyRoutes) fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "support/browser.h"
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
    // Staff of the company's organization, one per role; staff of another organization; an
    // agent's login with company A allocated to its agent.
    for (const char* role :
         {"admin", "department_admin", "content_creator", "support", "personnel"}) {
      auto email = std::string(role) + "@vendor.example";
      staff[role] = server.staffMember("Vendor", email, role, &secrets[email]);
    }
    server.initOrganization("Rival", "owner@rival.example");
    rival_staff = server.staffMember("Rival", "admin@rival.example", "admin");
    agent = companyAdmin("FM", "agnes@fm.example", nullptr);
    auto a = server.request(
        "POST", "/api/v1/staff/agents", R"({"name":"FM"})",
        {"Content-Type: application/json", "Authorization: Bearer " + staff["admin"]});
    auto agent_id = a.json()["id"].get<std::int64_t>();
    server.request("POST", "/api/v1/staff/agents/" + std::to_string(agent_id) + "/users",
                   R"({"email":"agnes@fm.example"})",
                   {"Content-Type: application/json", "Authorization: Bearer " + staff["admin"]});
    r = server.request(
        "PUT", "/api/v1/staff/customers/" + std::to_string(company) + "/agent",
        json{{"agent_id", agent_id}}.dump(),
        {"Content-Type: application/json", "Authorization: Bearer " + staff["admin"]});
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
    secrets[email] = secret;
    return token;
  }

  // A browser signed in as `email` (password, then a TOTP code of the next time step).
  Browser signIn(const std::string& email) {
    server.clock().advance(30);  // a code is good once: move to the next one
    Browser b(server);
    b.get("/login");
    auto r = b.submit("/login", {{"email", email}, {"password", TestServer::kPassword}});
    EXPECT_EQ(r.header("location"), "/mfa") << email << ": " << r.body;
    b.get("/mfa");
    r = b.submit("/mfa", {{"code", server.totpCode(secrets[email])}});
    EXPECT_EQ(r.status, 303) << email << ": " << r.body;
    b.get("/");  // a page with the CSRF token in its forms
    return b;
  }

  std::string path(std::string pattern, std::int64_t company_id) const {
    pattern = std::regex_replace(pattern, std::regex("\\{id\\}"), std::to_string(company_id));
    pattern = std::regex_replace(pattern, std::regex("\\{user_id\\}"), "999999");
    pattern = std::regex_replace(pattern, std::regex("\\{external_id\\}"), "A");
    pattern = std::regex_replace(pattern, std::regex("\\{kind\\}"), "companies");
    return std::regex_replace(pattern, std::regex("\\{[a-z_]+\\}"), "1");
  }

  long call(const std::string& method, const std::string& p, const std::string& token) {
    std::vector<std::string> h = {"Content-Type: application/json"};
    if (!token.empty()) h.push_back("Authorization: Bearer " + token);
    return server.request(method, p, method == "GET" || method == "DELETE" ? "" : "{}", h).status;
  }

  TestServer server;
  std::string key, admin, outsider, bob_token, pending, agent, rival_staff;
  std::map<std::string, std::string> staff;    // staff role -> token
  std::map<std::string, std::string> secrets;  // e-mail -> TOTP secret
  std::int64_t company = 0, other_company = 0, bob = 0;
};

TEST_F(RouteMatrixTest, EveryRouteIsDeclaredWithAPolicy) {
  std::set<std::pair<std::string, std::string>> declared;
  for (const auto& d : server.app().routes().declared()) declared.insert({d.method, d.pattern});
  std::size_t checked = 0;
  for (const auto& route : server.app().router().routes()) {
    if (route->pattern == "/healthz" || route->pattern == "/readyz" ||
        route->pattern.starts_with("/static/"))
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
      case Access::ApiKey: {
        EXPECT_EQ(call(d.method, own, ""), 401);
        EXPECT_EQ(call(d.method, own, admin), 401);  // a session is no API key
        auto with_key = call(d.method, own, key);
        EXPECT_NE(with_key, 401);
        EXPECT_NE(with_key, 403);
        EXPECT_LT(with_key, 500);
        break;
      }
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

// Every integration write (an API key's POST, PUT or PATCH) answers a repeated Idempotency-Key
// with its first answer, and the key with another body 422.
TEST_F(RouteMatrixTest, IntegrationWritesHonourTheIdempotencyKey) {
  std::size_t writes = 0;
  for (const auto& d : server.app().routes().declared()) {
    if (d.access != Access::ApiKey || d.method == "GET" || d.method == "DELETE") continue;
    SCOPED_TRACE(d.method + " " + d.pattern);
    ++writes;
    auto p = path(d.pattern, company);
    std::vector<std::string> h = {"Content-Type: application/json", "Authorization: Bearer " + key,
                                  "Idempotency-Key: matrix " + d.method + " " + d.pattern};
    auto first = server.request(d.method, p, R"({"probe":1})", h);
    auto again = server.request(d.method, p, R"({"probe":1})", h);
    EXPECT_EQ(again.status, first.status);
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.header("idempotent-replayed"), "true");
    EXPECT_EQ(server.request(d.method, p, R"({"probe":2})", h).status, 422);
  }
  EXPECT_GE(writes, 3u);
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

// What each staff role, an agent and another organization's staff get on every company route.
TEST_F(RouteMatrixTest, CompanyRoutesFollowTheStaffRolesAndAgentAllocations) {
  auto views = *access::presetPermissions("read_only");
  for (const auto& d : server.app().companyRoutes().declared()) {
    SCOPED_TRACE(d.method + " " + d.pattern);
    auto own = path(d.pattern, company);
    // A route naming a record below the company ({contact_id}, …) may answer 404 for the
    // made-up record once the policy let the caller in; 403 is the policy's answer alone.
    bool names_record = std::count(d.pattern.begin(), d.pattern.end(), '{') > 1;
    auto needs = [&](const access::PermissionSet& held) {
      return !d.permission || held.has(*d.permission);
    };
    // Agents: read-only over the customers allocated to their agent.
    auto status = call(d.method, own, agent);
    if (!names_record) {
      EXPECT_NE(status, 404) << "agent";
    }
    EXPECT_EQ(status == 403, !needs(views)) << "agent, status " << status;
    // Staff of the organization, by role; company A is managed.
    for (const auto& [role, token] : staff) {
      status = call(d.method, own, token);
      if (role == "personnel" || role == "department_admin") {  // no departments: no customers
        EXPECT_EQ(status, 404) << role;
        continue;
      }
      access::PermissionSet held = access::PermissionSet::all();
      if (role == "content_creator") {
        held = views;
        held.add(access::Permission::CompanyProfile)
            .add(access::Permission::ContactsManage)
            .add(access::Permission::UsersManage);
      } else if (role == "support") {
        held = views;
        held.add(access::Permission::SupportOpen);
      }
      if (!names_record) {
        EXPECT_NE(status, 404) << role;
      }
      EXPECT_EQ(status == 403, !needs(held)) << role << ", status " << status;
    }
    EXPECT_EQ(call(d.method, own, rival_staff), 404) << "another organization's staff";
  }
}

// Every console route: only staff whose role includes the route's capability get past the
// policy; portal users, agents and callers without a session never do.
TEST_F(RouteMatrixTest, StaffRoutesFollowTheCapabilityOfEachStaffRole) {
  const auto& declared = server.app().staffRoutes().declared();
  EXPECT_GT(declared.size(), 15u);
  for (const auto& d : declared) {
    SCOPED_TRACE(d.method + " " + d.pattern);
    auto own = path(d.pattern, company);
    if (!d.pattern.starts_with("/api/")) continue;  // pages: see the page test below
    EXPECT_EQ(call(d.method, own, ""), 401);
    EXPECT_EQ(call(d.method, own, admin), 403);  // a portal administrator
    EXPECT_EQ(call(d.method, own, agent), 403);
    for (const auto& [role, token] : staff) {
      access::StaffRole s{core::OrgId{0}, role, {}};
      auto status = call(d.method, own, token);
      if (access::Policy::staffMay(s, d.capability)) {
        EXPECT_NE(status, 403) << role;
        EXPECT_NE(status, 401) << role;
      } else {
        EXPECT_EQ(status, 403) << role;
      }
    }
    // Another organization's staff admin passes the capability check but never reaches this
    // organization's records: routes naming a record answer 404.
    if (d.pattern.find('{') != std::string::npos) {
      auto status = call(d.method, own, rival_staff);
      EXPECT_TRUE(status == 404 || status == 400) << "rival staff, status " << status;
    }
  }
}

// Every console page, in a signed-in browser: staff whose role lacks the page's capability get
// the 403 page (forms too, with a valid CSRF token), and so do portal users and agents.
TEST_F(RouteMatrixTest, StaffPagesFollowTheCapabilityOfEachStaffRole) {
  std::vector<std::pair<std::string, Browser>> browsers;  // staff role ("" for none) -> browser
  for (const auto& [role, token] : staff)
    browsers.emplace_back(role, signIn(role + "@vendor.example"));
  browsers.emplace_back("", signIn("admin@a.example"));   // a portal administrator
  browsers.emplace_back("", signIn("agnes@fm.example"));  // an agent's login
  std::size_t pages = 0;
  for (const auto& d : server.app().staffRoutes().declared()) {
    if (d.pattern.starts_with("/api/")) continue;
    SCOPED_TRACE(d.method + " " + d.pattern);
    ++pages;
    auto p = path(d.pattern, company);
    for (auto& [role, b] : browsers) {
      auto status = d.method == "GET" ? b.get(p).status : b.post(p, "").status;
      access::StaffRole s{core::OrgId{0}, role, {}};
      if (!role.empty() && access::Policy::staffMay(s, d.capability)) {
        EXPECT_NE(status, 403) << role;
        EXPECT_LT(status, 500) << role;
      } else {
        EXPECT_EQ(status, 403) << (role.empty() ? "not staff" : role);
      }
    }
  }
  EXPECT_GT(pages, 20u);
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
