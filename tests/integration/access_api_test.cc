// Companies, the integration API and the company administrator's signup, end to end.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "support/test_server.h"

namespace portico::testing {
namespace {

using nlohmann::json;

class AccessApiTest : public ::testing::Test {
 protected:
  AccessApiTest() {
    server.initOrganization("Vendor", "staff@vendor.example");
    server.initOrganization("Rival", "staff@rival.example");
    key = *server.app().createApiKey("Vendor", "ERP");
    rival_key = *server.app().createApiKey("Rival", "ERP");
  }
  HttpResult integration(const std::string& path, const json& body, const std::string& k) {
    return server.post(path, body, k);
  }
  std::string lastSignupToken() { return server.mailedToken("/signup"); }
  // Registers a new login through a signup link; the status.
  long signUp(const std::string& token, const std::string& name = "B") {
    return server
        .post("/api/v1/signup", {{"token", token},
                                 {"first_name", name},
                                 {"last_name", name},
                                 {"password", TestServer::kPassword}})
        .status;
  }
  std::pair<std::int64_t, std::string> companyWithAdmin(const std::string& ext,
                                                        const std::string& email) {
    return server.companyWithAdmin(key, ext, email);
  }

  TestServer server;
  std::string key;
  std::string rival_key;
};

TEST_F(AccessApiTest, UpsertByExternalIdCreatesThenUpdates) {
  auto r =
      integration("/api/v1/integration/companies", {{"external_id", "C-1"}, {"name", "Acme"}}, key);
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = r.json()["id"];
  r = integration("/api/v1/integration/companies",
                  {{"external_id", "C-1"}, {"name", "Acme AB"}, {"managed", false}}, key);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["id"], id);
  EXPECT_EQ(r.json()["name"], "Acme AB");
  EXPECT_EQ(r.json()["managed"], false);
  // The same external id in another organization is another company.
  r = integration("/api/v1/integration/companies", {{"external_id", "C-1"}, {"name", "Rival Acme"}},
                  rival_key);
  EXPECT_EQ(r.status, 201);
  EXPECT_NE(r.json()["id"], id);
}

TEST_F(AccessApiTest, UpsertRejectsBadInputAndChangesNothing) {
  EXPECT_EQ(integration("/api/v1/integration/companies", {{"name", "No id"}}, key).status, 400);
  EXPECT_EQ(integration("/api/v1/integration/companies", {{"external_id", "C-2"}}, key).status,
            400);
  EXPECT_EQ(integration("/api/v1/integration/companies", {{"external_id", "C-2"}, {"name", 7}}, key)
                .status,
            400);
  EXPECT_EQ(integration("/api/v1/integration/companies",
                        {{"external_id", "C-2"}, {"name", "X"}, {"managed", "yes"}}, key)
                .status,
            400);
  storage::Query q(server.app().db().connection(), "SELECT COUNT(*) FROM companies");
  ASSERT_TRUE(q.next());
  EXPECT_EQ(q.getInt(0), 0);
}

TEST_F(AccessApiTest, IntegrationCallsNeedAValidKeyInTheHeader) {
  json body = {{"external_id", "C-3"}, {"name", "X"}};
  EXPECT_EQ(integration("/api/v1/integration/companies", body, "").status, 401);
  EXPECT_EQ(integration("/api/v1/integration/companies", body, "pk_made_up").status, 401);
  EXPECT_EQ(server
                .request("POST", "/api/v1/integration/companies?key=" + key, body.dump(),
                         {"Content-Type: application/json"})
                .status,
            401);
  auto session = server.signedInUser("someone@acme.example");
  EXPECT_EQ(integration("/api/v1/integration/companies", body, session).status, 401);
  // and a key is no session
  EXPECT_EQ(server.get("/api/v1/me", key).status, 401);
  storage::Query q(server.app().db().connection(),
                   "SELECT COUNT(*) FROM audit_log WHERE event = 'api_key.used'");
  ASSERT_TRUE(q.next());
  EXPECT_EQ(q.getInt(0), 0);
}

TEST_F(AccessApiTest, AdminSignupMakesTheCompanyAdministrator) {
  auto [company, token] = companyWithAdmin("C-10", "erp.admin@acme.example");
  auto me = server.get("/api/v1/me", token);
  ASSERT_EQ(me.status, 200) << me.body;
  auto companies = me.json()["companies"];
  ASSERT_EQ(companies.size(), 1u);
  EXPECT_EQ(companies[0]["id"], company);
  EXPECT_EQ(companies[0]["role"], "administrator");
  EXPECT_EQ(companies[0]["sites"], "all");
  EXPECT_EQ(companies[0]["permissions"].size(), 21u);
  auto one = server.get("/api/v1/companies/" + std::to_string(company), token);
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(one.json()["name"], "Company C-10");
}

TEST_F(AccessApiTest, AnotherCompanyAnswers404) {
  auto [mine, token] = companyWithAdmin("C-20", "mine@acme.example");
  auto theirs = integration("/api/v1/integration/companies",
                            {{"external_id", "C-21"}, {"name", "Other"}}, key)
                    .json()["id"]
                    .get<std::int64_t>();
  auto rival = integration("/api/v1/integration/companies",
                           {{"external_id", "R-1"}, {"name", "Rival Co"}}, rival_key)
                   .json()["id"]
                   .get<std::int64_t>();
  for (auto id : {theirs, rival, std::int64_t{999999}}) {
    auto r = server.get("/api/v1/companies/" + std::to_string(id), token);
    EXPECT_EQ(r.status, 404) << id;
    EXPECT_EQ(r.errorCode(), "not_found");
  }
  EXPECT_EQ(server.get("/api/v1/companies/abc", token).status, 404);
  auto list = server.get("/api/v1/companies", token).json()["items"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["id"], mine);
}

TEST_F(AccessApiTest, AdminSignupUnhappyPaths) {
  integration("/api/v1/integration/companies", {{"external_id", "C-30"}, {"name", "X"}}, key);
  EXPECT_EQ(integration("/api/v1/integration/companies/NOPE/admin-signup",
                        {{"email", "a@acme.example"}}, key)
                .status,
            404);
  // another organization's company is not reachable with this key
  EXPECT_EQ(integration("/api/v1/integration/companies/C-30/admin-signup",
                        {{"email", "a@acme.example"}}, rival_key)
                .status,
            404);
  EXPECT_EQ(integration("/api/v1/integration/companies/C-30/admin-signup",
                        {{"email", "not-an-email"}}, key)
                .status,
            400);
  // A second request replaces the first link.
  ASSERT_EQ(integration("/api/v1/integration/companies/C-30/admin-signup",
                        {{"email", "b@acme.example"}}, key)
                .status,
            202);
  auto first = lastSignupToken();
  ASSERT_EQ(integration("/api/v1/integration/companies/C-30/admin-signup",
                        {{"email", "b@acme.example"}}, key)
                .status,
            202);
  auto second = lastSignupToken();
  EXPECT_EQ(signUp(first, "B"), 404);
  EXPECT_EQ(signUp(second, "B"), 201);
  EXPECT_EQ(signUp(second, "B"), 404);
}

TEST_F(AccessApiTest, AnExistingLoginAddsTheCompanyAfterSigningIn) {
  auto [first, token] = companyWithAdmin("C-40", "multi@acme.example");
  auto second = integration("/api/v1/integration/companies",
                            {{"external_id", "C-41"}, {"name", "Second"}}, key)
                    .json()["id"]
                    .get<std::int64_t>();
  ASSERT_EQ(integration("/api/v1/integration/companies/C-41/admin-signup",
                        {{"email", "MULTI@acme.example"}}, key)
                .status,
            202);
  auto link = lastSignupToken();
  // Registering anew is refused: the e-mail has a login.
  EXPECT_EQ(signUp(link, "M"), 409);
  EXPECT_EQ(server.post("/api/v1/signup", {{"token", link}}, token).status, 200);
  auto list = server.get("/api/v1/companies", token).json()["items"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(server.get("/api/v1/companies/" + std::to_string(second), token).json()["role"],
            "administrator");
  (void)first;
}

TEST_F(AccessApiTest, CompaniesNeedTwoFactorAndPaginate) {
  auto [a, token] = companyWithAdmin("C-50", "pages@acme.example");
  for (const char* ext : {"C-51", "C-52"}) {
    integration("/api/v1/integration/companies", {{"external_id", ext}, {"name", ext}}, key);
    integration(std::string("/api/v1/integration/companies/") + ext + "/admin-signup",
                {{"email", "pages@acme.example"}}, key);
    ASSERT_EQ(server.post("/api/v1/signup", {{"token", lastSignupToken()}}, token).status, 200);
  }
  auto page1 = server.get("/api/v1/companies?limit=2", token);
  ASSERT_EQ(page1.status, 200);
  EXPECT_EQ(page1.json()["items"].size(), 2u);
  auto cursor = page1.json()["next_cursor"].get<std::string>();
  auto page2 = server.get("/api/v1/companies?limit=2&cursor=" + cursor, token);
  EXPECT_EQ(page2.json()["items"].size(), 1u);
  EXPECT_TRUE(page2.json()["next_cursor"].is_null());
  EXPECT_EQ(server.get("/api/v1/companies?limit=0", token).status, 400);
  EXPECT_EQ(server.get("/api/v1/companies?limit=201", token).status, 400);
  EXPECT_EQ(server.get("/api/v1/companies?cursor=x", token).status, 400);
  EXPECT_EQ(server.get("/api/v1/companies?limit=1&limit=2", token).status, 400);
  auto pending = server
                     .post("/api/v1/auth/login",
                           {{"email", "pages@acme.example"}, {"password", TestServer::kPassword}})
                     .json()["token"]
                     .get<std::string>();
  EXPECT_EQ(server.get("/api/v1/companies", pending).status, 403);
  (void)a;
}

TEST_F(AccessApiTest, StaffActInsideTheirOrganizationAndNotInIndependentCompanies) {
  // Chief signs up through an organization link, then becomes a staff administrator of Vendor.
  auto staff_link =
      server.app().identity().initOrganization("Vendor Three", "chief@vendor.example");
  ASSERT_TRUE(staff_link);
  ASSERT_EQ(server
                .post("/api/v1/signup", {{"token", TestServer::tokenOf(*staff_link)},
                                         {"first_name", "C"},
                                         {"last_name", "Hief"},
                                         {"password", TestServer::kPassword}})
                .status,
            201);
  storage::Query(
      server.app().db().connection(),
      "INSERT INTO staff_members (org_id, user_id, role, created_at) SELECT o.id, u.id, 'admin', 0"
      " FROM organizations o, users u WHERE o.name = 'Vendor' AND u.email = 'chief@vendor.example'")
      .run();
  auto login = server.post("/api/v1/auth/login", {{"email", "chief@vendor.example"},
                                                  {"password", TestServer::kPassword}});
  auto staff = login.json()["token"].get<std::string>();
  auto secret = server.post("/api/v1/auth/totp/enroll", json::object(), staff)
                    .json()["secret"]
                    .get<std::string>();
  ASSERT_EQ(
      server.post("/api/v1/auth/totp/confirm", {{"code", server.totpCode(secret)}}, staff).status,
      200);

  auto managed = integration("/api/v1/integration/companies",
                             {{"external_id", "S-1"}, {"name", "Managed"}}, key)
                     .json()["id"]
                     .get<std::int64_t>();
  auto independent =
      integration("/api/v1/integration/companies",
                  {{"external_id", "S-2"}, {"name", "Independent"}, {"managed", false}}, key)
          .json()["id"]
          .get<std::int64_t>();
  auto rival = integration("/api/v1/integration/companies",
                           {{"external_id", "S-3"}, {"name", "Rival's"}}, rival_key)
                   .json()["id"]
                   .get<std::int64_t>();
  auto path = [](std::int64_t id) { return "/api/v1/companies/" + std::to_string(id); };

  auto list = server.get("/api/v1/companies", staff).json()["items"];
  std::set<std::int64_t> ids;
  for (const auto& c : list) {
    ids.insert(c["id"].get<std::int64_t>());
    EXPECT_EQ(c["role"], "staff:admin");
  }
  EXPECT_TRUE(ids.count(managed));
  EXPECT_TRUE(ids.count(independent));
  EXPECT_FALSE(ids.count(rival));
  EXPECT_EQ(server.get("/api/v1/me", staff).json()["companies"].size(), 0u);  // no memberships

  EXPECT_EQ(server.get(path(managed) + "/users", staff).status, 200);
  EXPECT_EQ(server
                .post("/api/v1/invitations",
                      {{"email", "m@managed.example"},
                       {"first_name", "M"},
                       {"last_name", "M"},
                       {"companies", {{{"company_id", managed}, {"role", "moderator"}}}}},
                      staff)
                .status,
            201);
  // An independent company: visible, but its users are its own administrators' business.
  EXPECT_EQ(server.get(path(independent), staff).status, 200);
  EXPECT_EQ(server.get(path(independent) + "/users", staff).status, 403);
  EXPECT_EQ(server
                .post("/api/v1/invitations",
                      {{"email", "i@ind.example"},
                       {"first_name", "I"},
                       {"last_name", "I"},
                       {"companies", {{{"company_id", independent}, {"role", "member"}}}}},
                      staff)
                .status,
            403);
  // Another organization's company does not exist for them.
  EXPECT_EQ(server.get(path(rival), staff).status, 404);
  EXPECT_EQ(server.get(path(rival) + "/users", staff).status, 404);
}

class MembersApiTest : public AccessApiTest {
 protected:
  MembersApiTest() {
    std::tie(company, admin) = companyWithAdmin("M-1", "admin@members.example");
    std::tie(other_company, other_admin) = companyWithAdmin("M-2", "bob@members.example");
    // Bob joins M-1 too, through a link (as administrator), then is made a member.
    integration("/api/v1/integration/companies/M-1/admin-signup",
                {{"email", "bob@members.example"}}, key);
    EXPECT_EQ(server.post("/api/v1/signup", {{"token", lastSignupToken()}}, other_admin).status,
              200);
    bob = server.get("/api/v1/me", other_admin).json()["user"]["id"].get<std::int64_t>();
    EXPECT_EQ(patch(bob, {{"role", "member"}}).status, 200);
  }
  std::string users(std::int64_t c = 0) {
    return "/api/v1/companies/" + std::to_string(c ? c : company) + "/users";
  }
  HttpResult patch(std::int64_t user, const json& body, const std::string& token = "",
                   std::int64_t c = 0) {
    return server.request("PATCH", users(c) + "/" + std::to_string(user), body.dump(),
                          {"Content-Type: application/json",
                           "Authorization: Bearer " + (token.empty() ? admin : token)});
  }
  HttpResult remove(std::int64_t user, const std::string& token = "", std::int64_t c = 0) {
    return server.request("DELETE", users(c) + "/" + std::to_string(user), "",
                          {"Authorization: Bearer " + (token.empty() ? admin : token)});
  }
  std::int64_t company = 0, other_company = 0, bob = 0;
  std::string admin, other_admin;
};

TEST_F(MembersApiTest, AdministratorSeesMembersWithRightsAndInviter) {
  auto r = server.get(users(), admin);
  ASSERT_EQ(r.status, 200) << r.body;
  auto items = r.json()["items"];
  ASSERT_EQ(items.size(), 2u);
  for (const auto& m : items) {
    EXPECT_TRUE(m["two_factor"].get<bool>());
    if (m["id"] == bob) {
      EXPECT_EQ(m["role"], "member");
      EXPECT_EQ(m["sites"], "all");
    } else {
      EXPECT_EQ(m["role"], "administrator");
    }
  }
}

TEST_F(MembersApiTest, MembersWithoutUsersManageAreRefused) {
  EXPECT_EQ(server.get(users(), other_admin).status, 403);  // a member of M-1
  EXPECT_EQ(server.get("/api/v1/companies/" + std::to_string(company), other_admin).status, 200);
  EXPECT_EQ(patch(bob, {{"role", "administrator"}}, other_admin).status, 403);
  EXPECT_EQ(remove(bob, other_admin).status, 403);
  // Another company's member list: 404 for someone who is not in it.
  EXPECT_EQ(server.get(users(other_company), admin).status, 404);
}

TEST_F(MembersApiTest, ChangingRightsValidatesInput) {
  EXPECT_EQ(patch(bob, {{"role", "superuser"}}).status, 400);
  EXPECT_EQ(patch(bob, {{"permissions", {"invoices.view", "bogus"}}}).status, 400);
  EXPECT_EQ(patch(bob, {{"role", "member"}, {"permissions", {"invoices.view"}}}).status, 400);
  EXPECT_EQ(patch(bob, {{"sites", {999}}}).status, 400);
  EXPECT_EQ(patch(bob, {{"company_id", other_company}}).status, 400);  // no mass assignment
  EXPECT_EQ(patch(bob, json::object()).status, 400);
  EXPECT_EQ(patch(999999, {{"role", "member"}}).status, 404);
  auto r = patch(bob, {{"permissions", {"invoices.view", "support.open"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["role"], "custom");
  EXPECT_EQ(r.json()["permissions"], json({"invoices.view", "support.open"}));
  auto me = server.get("/api/v1/companies/" + std::to_string(company), other_admin).json();
  EXPECT_EQ(me["permissions"], json({"invoices.view", "support.open"}));
}

TEST_F(MembersApiTest, NobodyGrantsMoreThanTheyHold) {
  // Bob manages users but may not pay invoices: he cannot make anyone an administrator.
  ASSERT_EQ(patch(bob, {{"permissions", {"users.manage", "invoices.view"}}}).status, 200);
  auto admin_id = server.get("/api/v1/me", admin).json()["user"]["id"].get<std::int64_t>();
  EXPECT_EQ(patch(admin_id, {{"role", "member"}}, other_admin).status,
            403);  // member has more views than bob
  EXPECT_EQ(patch(bob, {{"role", "administrator"}}, other_admin).status, 403);
  EXPECT_EQ(patch(bob, {{"permissions", {"users.manage"}}}, other_admin).status, 200);
}

TEST_F(MembersApiTest, TheLastUserManagerStays) {
  auto admin_id = server.get("/api/v1/me", admin).json()["user"]["id"].get<std::int64_t>();
  EXPECT_EQ(patch(admin_id, {{"role", "user"}}).status, 409);
  EXPECT_EQ(remove(admin_id).status, 409);
}

TEST_F(MembersApiTest, NobodyChangesOrRemovesAMemberWhoOutranksThem) {
  // Bob manages users and contacts, nothing else; the administrator holds everything.
  ASSERT_EQ(patch(bob, {{"permissions", {"users.manage", "contacts.manage"}}}).status, 200);
  auto admin_id = server.get("/api/v1/me", admin).json()["user"]["id"].get<std::int64_t>();
  auto r = patch(admin_id, {{"permissions", {"users.manage"}}}, other_admin);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("do not hold"), std::string::npos);
  EXPECT_EQ(remove(admin_id, other_admin).status, 403);
  auto items = server.get(users(), admin).json()["items"];
  ASSERT_EQ(items.size(), 2u);
  for (const auto& m : items) {
    if (m["id"] == admin_id) {
      EXPECT_EQ(m["role"], "administrator");
    }
  }
  // Carl holds only what Bob holds: Bob changes and removes him.
  integration("/api/v1/integration/companies/M-1/admin-signup", {{"email", "carl@members.example"}},
              key);
  ASSERT_EQ(signUp(lastSignupToken(), "Carl"), 201);
  std::int64_t carl = 0;
  items = server.get(users(), admin).json()["items"];
  for (const auto& m : items) {
    if (m["email"] == "carl@members.example") carl = m["id"].get<std::int64_t>();
  }
  ASSERT_NE(carl, 0);
  ASSERT_EQ(patch(carl, {{"permissions", {"contacts.manage"}}}).status, 200);
  EXPECT_EQ(patch(carl, {{"permissions", {"users.manage", "contacts.manage"}}}, other_admin).status,
            200);
  EXPECT_EQ(remove(carl, other_admin).status, 204);
}

// A disabled login manages nobody: it is not "another administrator" that would let the last
// active one step down or leave.
TEST_F(MembersApiTest, ADisabledAdministratorIsNotAnotherUserManager) {
  ASSERT_EQ(patch(bob, {{"role", "administrator"}}).status, 200);
  auto admin_id = server.get("/api/v1/me", admin).json()["user"]["id"].get<std::int64_t>();
  auto staff = server.staffMember("Vendor", "helen@vendor.example", "admin");
  auto bob_login = "/api/v1/staff/users/" + std::to_string(bob);
  auto r = server.post(bob_login + "/disable", json::object(), staff);
  ASSERT_EQ(r.status, 200) << r.body;
  r = patch(admin_id, {{"role", "user"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.errorMessage().find("last member"), std::string::npos) << r.body;
  EXPECT_EQ(remove(admin_id).status, 409);
  auto items = server.get(users(), admin).json()["items"];
  ASSERT_EQ(items.size(), 2u);
  for (const auto& m : items) {
    if (m["id"] == admin_id) {
      EXPECT_EQ(m["role"], "administrator");
    }
  }
  // Enabled again, Bob is one.
  ASSERT_EQ(server.post(bob_login + "/enable", json::object(), staff).status, 200);
  EXPECT_EQ(patch(admin_id, {{"role", "user"}}).status, 200);
}

TEST_F(MembersApiTest, OnlyStaffReplaceTheLastUserManagerOfAManagedCompany) {
  auto admin_id = server.get("/api/v1/me", admin).json()["user"]["id"].get<std::int64_t>();
  auto r = patch(admin_id, {{"role", "user"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("last member"), std::string::npos);
  auto staff = server.staffMember("Vendor", "helen@vendor.example", "admin");
  r = patch(admin_id, {{"role", "user"}}, staff);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["role"], "user");
  EXPECT_EQ(remove(admin_id, staff).status, 204);
}

TEST_F(MembersApiTest, UserManagersSeeTheCompanysAuditLog) {
  auto r = server.get(users().substr(0, users().size() - 6) + "/audit", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  bool change = false, login = false;
  auto log = r.json();
  for (const auto& e : log["items"]) {
    if (e["event"] == "membership.changed") {
      change = true;
      EXPECT_EQ(e["actor"], "admin@members.example");
      EXPECT_EQ(e["subject"], "bob@members.example");
      EXPECT_EQ(e["detail"]["new_role"], "member");
    }
    if (e["event"].get<std::string>().starts_with("login.") && e["actor"] == "bob@members.example")
      login = true;
  }
  EXPECT_TRUE(change) << r.body;
  EXPECT_TRUE(login);
  auto base = "/api/v1/companies/" + std::to_string(company);
  auto filtered = server.get(base + "/audit?event=membership.&limit=1", admin).json();
  ASSERT_EQ(filtered["items"].size(), 1u);
  EXPECT_TRUE(filtered["items"][0]["event"].get<std::string>().starts_with("membership."));
  auto older = server
                   .get(base + "/audit?event=membership.&limit=1&cursor=" +
                            filtered["next_cursor"].get<std::string>(),
                        admin)
                   .json();
  ASSERT_EQ(older["items"].size(), 1u);
  EXPECT_LT(older["items"][0]["id"].get<std::int64_t>(),
            filtered["items"][0]["id"].get<std::int64_t>());
  auto csv = server.get(base + "/audit.csv", admin);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.header("content-type").find("text/csv"), std::string::npos);
  EXPECT_NE(csv.header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_TRUE(csv.body.starts_with("time,event,actor,subject,company,ip,detail\r\n"));
  EXPECT_NE(csv.body.find("\"membership.changed\""), std::string::npos);
  EXPECT_EQ(server.get(base + "/audit", other_admin).status, 403);  // bob is a member only
  EXPECT_EQ(
      server.get("/api/v1/companies/" + std::to_string(other_company) + "/audit", admin).status,
      404);
  EXPECT_EQ(server.get(base + "/audit?limit=0", admin).status, 400);
  EXPECT_EQ(server.get(base + "/audit?since=yesterday", admin).status, 400);
  // Another company's events never show.
  auto everything = server.get(base + "/audit?limit=200", admin).json();
  for (const auto& e : everything["items"]) {
    EXPECT_NE(e["actor"], "nobody@else.example");
  }
}

TEST_F(MembersApiTest, RemovingAccessIsImmediateAndReversible) {
  auto company_path = "/api/v1/companies/" + std::to_string(company);
  ASSERT_EQ(server.get(company_path, other_admin).status, 200);
  ASSERT_EQ(server.get("/api/v1/me", other_admin).json()["companies"].size(), 2u);  // now cached
  ASSERT_EQ(remove(bob).status, 204);
  EXPECT_EQ(server.get(company_path, other_admin).status, 404);  // the very next request
  auto mine = server.get("/api/v1/me", other_admin).json()["companies"];
  ASSERT_EQ(mine.size(), 1u);  // other companies untouched
  EXPECT_EQ(mine[0]["id"], other_company);
  EXPECT_EQ(remove(bob).status, 404);
  // Giving access again restores it.
  integration("/api/v1/integration/companies/M-1/admin-signup", {{"email", "bob@members.example"}},
              key);
  EXPECT_EQ(server.post("/api/v1/signup", {{"token", lastSignupToken()}}, other_admin).status, 200);
  EXPECT_EQ(server.get(company_path, other_admin).status, 200);
  storage::Query q(
      server.app().db().connection(),
      "SELECT COUNT(*) FROM audit_log WHERE event IN ('membership.removed', 'membership.changed')");
  ASSERT_TRUE(q.next());
  EXPECT_GE(q.getInt(0), 2);
}

}  // namespace
}  // namespace portico::testing
