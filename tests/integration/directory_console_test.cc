// Contacts and site scope, agents, department administrators, staff roles, the staff console's
// API, explain access and notifications of access changes, end to end over HTTP.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "support/test_server.h"

namespace portico::testing {
namespace {

using nlohmann::json;

class DirectoryConsoleTest : public ::testing::Test {
 protected:
  DirectoryConsoleTest() {
    server.initOrganization("Vendor", "owner@vendor.example");
    server.initOrganization("Rival", "owner@rival.example");
    key = *server.app().createApiKey("Vendor", "ERP");
    rival_key = *server.app().createApiKey("Rival", "ERP");
    std::tie(company, admin) = server.companyWithAdmin(key, "A", "admin@a.example");
    std::tie(other, other_admin) = server.companyWithAdmin(key, "B", "admin@b.example");
    std::tie(rival_company, rival_admin) =
        server.companyWithAdmin(rival_key, "R", "admin@r.example");
    staff = server.staffMember("Vendor", "staff@vendor.example", "admin");
  }

  HttpResult call(const std::string& method, const std::string& path, const json& body,
                  const std::string& token) {
    std::vector<std::string> h = {"Content-Type: application/json"};
    if (!token.empty()) h.push_back("Authorization: Bearer " + token);
    return server.request(method, path, body.is_null() ? "" : body.dump(), h);
  }
  std::string c(std::int64_t id) { return "/api/v1/companies/" + std::to_string(id); }

  // A second login in company `ext` (through an admin signup link), then given `role`.
  std::pair<std::int64_t, std::string> member(const std::string& ext, std::int64_t id,
                                              const std::string& email, const std::string& role) {
    EXPECT_EQ(
        server
            .post("/api/v1/integration/companies/" + ext + "/admin-signup", {{"email", email}}, key)
            .status,
        202);
    EXPECT_EQ(server
                  .post("/api/v1/signup", {{"token", server.mailedToken("/signup")},
                                           {"first_name", "Bo"},
                                           {"last_name", "Berg"},
                                           {"password", TestServer::kPassword}})
                  .status,
              201);
    auto token = server.signInAndEnrol(email);
    auto user = server.get("/api/v1/me", token).json()["user"]["id"].get<std::int64_t>();
    auto r = call("PATCH", c(id) + "/users/" + std::to_string(user), {{"role", role}}, admin);
    EXPECT_EQ(r.status, 200) << r.body;
    return {user, token};
  }

  std::int64_t site(std::int64_t id, const std::string& name, const std::string& token = "") {
    auto r = call("POST", c(id) + "/sites", {{"name", name}, {"address", "Street 1"}},
                  token.empty() ? admin : token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"].get<std::int64_t>();
  }

  TestServer server;
  std::string key, rival_key, admin, other_admin, rival_admin, staff;
  std::int64_t company = 0, other = 0, rival_company = 0;
};

// An address is written on several lines; each fault says what is wrong, and a length error the
// real limit (in characters, not bytes).
TEST_F(DirectoryConsoleTest, ASiteAddressKeepsItsLinesAndErrorsNameTheRealRule) {
  auto r = call("POST", c(company) + "/sites",
                {{"name", "Depå"}, {"address", "Storgatan 1\r\n111 22 Stockholm"}}, admin);
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = r.json()["id"].get<std::int64_t>();
  auto sites = server.get(c(company) + "/sites", admin).json()["items"];
  bool found = false;
  for (const auto& s : sites) {
    if (s["id"] == id) found = s["address"] == "Storgatan 1\n111 22 Stockholm";
  }
  EXPECT_TRUE(found) << sites.dump();
  // 500 characters of "å" are 1,000 bytes, and allowed.
  std::string long_ok;
  for (int i = 0; i < 500; ++i) long_ok += "å";
  EXPECT_EQ(
      call("PATCH", c(company) + "/sites/" + std::to_string(id), {{"address", long_ok}}, admin)
          .status,
      200);
  auto too_long = call("PATCH", c(company) + "/sites/" + std::to_string(id),
                       {{"address", long_ok + "x"}}, admin);
  EXPECT_EQ(too_long.status, 400);
  auto message = too_long.json()["error"]["message"].get<std::string>();
  EXPECT_NE(message.find("500"), std::string::npos) << message;
  EXPECT_NE(message.find("501"), std::string::npos) << message;
  EXPECT_EQ(too_long.json()["error"]["field"], "address");
  auto control = call("PATCH", c(company) + "/sites/" + std::to_string(id),
                      {{"address", "Storgatan\u0001 1"}}, admin);
  EXPECT_EQ(control.status, 400);
  EXPECT_EQ(control.json()["error"]["message"].get<std::string>().find("at most"),
            std::string::npos)
      << "a bad character is not a length error";
  // A name stays on one line.
  EXPECT_EQ(call("POST", c(company) + "/sites", {{"name", "Two\nLines"}}, admin).status, 400);
}

TEST_F(DirectoryConsoleTest, ChangingASiteThatDoesNotExistCreatesNone) {
  auto before = server.get(c(company) + "/sites", admin).json()["items"].size();
  for (const char* id : {"0", "-1", "abc", "999999"}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(call("PATCH", c(company) + "/sites/" + id, {{"name", "Ghost"}}, admin).status, 404);
  }
  EXPECT_EQ(server.get(c(company) + "/sites", admin).json()["items"].size(), before);
}

TEST_F(DirectoryConsoleTest, ContactsAreManagedWithValidationAndStayInTheirCompany) {
  auto s1 = site(company, "Depot");
  auto r = call("POST", c(company) + "/contacts",
                {{"first_name", "Cleo"},
                 {"last_name", "Contact"},
                 {"job_title", "CFO"},
                 {"email", "Cleo@A.example"},
                 {"site_id", s1}},
                admin);
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = r.json()["id"].get<std::int64_t>();
  EXPECT_EQ(r.json()["email"], "cleo@a.example");
  EXPECT_EQ(r.json()["site_id"], s1);

  // Bad input: a clear 400 naming the field, and nothing changes.
  for (const auto& bad : {json{{"first_name", ""}, {"last_name", "X"}},
                          json{{"first_name", "X"}, {"last_name", "Y"}, {"email", "nope"}},
                          json{{"first_name", "X"}, {"last_name", "Y"}, {"site_id", 999}}}) {
    r = call("POST", c(company) + "/contacts", bad, admin);
    EXPECT_EQ(r.status, 400) << bad.dump();
  }
  auto other_site = site(other, "Elsewhere", other_admin);
  r = call("PATCH", c(company) + "/contacts/" + std::to_string(id), {{"site_id", other_site}},
           admin);
  EXPECT_EQ(r.status, 400);  // a site of another company
  r = server.get(c(company) + "/contacts", admin);
  ASSERT_EQ(r.json()["items"].size(), 1u);
  EXPECT_EQ(r.json()["items"][0]["site_id"], s1);

  r = call("PATCH", c(company) + "/contacts/" + std::to_string(id),
           {{"job_title", "CEO"}, {"site_id", nullptr}}, admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["job_title"], "CEO");
  EXPECT_TRUE(r.json()["site_id"].is_null());

  // Another company's administrator does not see it; an id in another company answers 404.
  EXPECT_EQ(server.get(c(other) + "/contacts/" + std::to_string(id), other_admin).status, 404);
  EXPECT_EQ(
      call("DELETE", c(other) + "/contacts/" + std::to_string(id), nullptr, other_admin).status,
      404);
  EXPECT_EQ(server.get(c(company) + "/contacts", other_admin).status, 404);

  EXPECT_EQ(call("DELETE", c(company) + "/contacts/" + std::to_string(id), nullptr, admin).status,
            204);
  EXPECT_EQ(server.get(c(company) + "/contacts", admin).json()["items"].size(), 0u);
}

TEST_F(DirectoryConsoleTest, LinkedSiteContactsNarrowALoginToTheirSites) {
  auto [bob, bob_token] = member("A", company, "bob@a.example", "user");
  auto s1 = site(company, "North");
  auto s2 = site(company, "South");
  auto r = call("POST", c(company) + "/contacts",
                {{"first_name", "Bo"}, {"last_name", "Berg"}, {"site_id", s1}}, admin);
  auto contact = r.json()["id"].get<std::int64_t>();
  // Only a member can be linked.
  r = call("PUT", c(company) + "/contacts/" + std::to_string(contact) + "/login",
           {{"email", "admin@b.example"}}, admin);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(server.get(c(company), bob_token).json()["sites"], "all");

  r = call("PUT", c(company) + "/contacts/" + std::to_string(contact) + "/login",
           {{"email", "BOB@a.example"}}, admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["login"]["user_id"], bob);
  // Linked only to a site contact: Bob sees that site alone, on his very next request.
  EXPECT_EQ(server.get(c(company), bob_token).json()["sites"], json::array({s1}));
  auto sites = server.get(c(company) + "/sites", bob_token).json()["items"];
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0]["id"], s1);
  auto e = server.get(c(company) + "/explain?user_id=" + std::to_string(bob) +
                          "&permission=support.open&site_id=" + std::to_string(s2),
                      admin);
  ASSERT_EQ(e.status, 200) << e.body;
  EXPECT_TRUE(e.json()["sees_company"]);
  EXPECT_FALSE(e.json()["allowed"]);
  EXPECT_EQ(e.json()["steps"].back()["check"], "sites");
  EXPECT_FALSE(e.json()["steps"].back()["passed"]);

  // Also linked to a company contact: every site again.
  r = call("POST", c(company) + "/contacts", {{"first_name", "Bo"}, {"last_name", "Berg"}}, admin);
  call("PUT",
       c(company) + "/contacts/" + std::to_string(r.json()["id"].get<std::int64_t>()) + "/login",
       {{"email", "bob@a.example"}}, admin);
  EXPECT_EQ(server.get(c(company), bob_token).json()["sites"], "all");
  EXPECT_EQ(server.get(c(company) + "/sites", bob_token).json()["items"].size(), 2u);

  // An explicit site scope on the membership wins over contacts.
  r = call("PATCH", c(company) + "/users/" + std::to_string(bob), {{"sites", {s2}}}, admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(server.get(c(company), bob_token).json()["sites"], json::array({s2}));
}

TEST_F(DirectoryConsoleTest, ExplainTellsWhyAndNeedsUserManagement) {
  auto [bob, bob_token] = member("A", company, "bob@a.example", "read_only");
  auto path = c(company) + "/explain?user_id=" + std::to_string(bob) + "&permission=";
  auto e = server.get(path + "invoices.view", admin).json();
  EXPECT_TRUE(e["allowed"]);
  EXPECT_EQ(e["access"]["role"], "read_only");
  EXPECT_EQ(e["steps"][0]["check"], "membership");
  e = server.get(path + "invoices.pay", admin).json();
  EXPECT_FALSE(e["allowed"]);
  auto perm = std::find_if(e["steps"].begin(), e["steps"].end(),
                           [](const json& s) { return s["check"] == "permission"; });
  ASSERT_NE(perm, e["steps"].end());
  EXPECT_FALSE((*perm)["passed"]);
  EXPECT_EQ((*perm)["reason"], "lacks");  // for clients that word it themselves
  EXPECT_EQ((*perm)["args"]["permission"], "invoices.pay");
  // A user of another company: no membership, no staff role.
  auto outsider = server.get("/api/v1/me", other_admin).json()["user"]["id"].get<std::int64_t>();
  e = server.get(c(company) + "/explain?user_id=" + std::to_string(outsider), admin).json();
  EXPECT_FALSE(e["sees_company"]);
  // Staff: explained by their role.
  auto staff_id = server.get("/api/v1/me", staff).json()["user"]["id"].get<std::int64_t>();
  e = server.get(c(company) + "/explain?user_id=" + std::to_string(staff_id), admin).json();
  EXPECT_TRUE(e["sees_company"]);
  EXPECT_EQ(e["access"]["basis"], "staff");
  // Bad input and missing rights.
  EXPECT_EQ(server.get(path + "no.such", admin).status, 400);
  EXPECT_EQ(server.get(c(company) + "/explain", admin).status, 400);
  EXPECT_EQ(server.get(path + "invoices.view", bob_token).status, 403);
  EXPECT_EQ(server.get(c(company) + "/explain?user_id=1", rival_admin).status, 404);
}

TEST_F(DirectoryConsoleTest, ExplainAnswers404ForASiteThatIsNotTheCompanys) {
  auto [bob, bob_token] = member("A", company, "bob@a.example", "user");
  (void)bob_token;
  auto own = site(company, "North");
  auto elsewhere = site(other, "Elsewhere", other_admin);
  auto path =
      c(company) + "/explain?user_id=" + std::to_string(bob) + "&permission=support.open&site_id=";
  auto r = server.get(path + std::to_string(own), admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json()["allowed"]);
  // Another company's site, or none at all: not there, never "allowed".
  r = server.get(path + std::to_string(elsewhere), admin);
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.errorCode(), "not_found");
  EXPECT_EQ(server.get(path + "999999", admin).status, 404);
}

TEST_F(DirectoryConsoleTest, AgentsSeeAllocatedCustomersReadOnlyUntilTheAllocationEnds) {
  auto [agency, agnes] = server.companyWithAdmin(key, "FM", "agnes@fm.example");
  (void)agency;
  auto r = call("POST", "/api/v1/staff/agents", {{"name", "Facility Co"}}, staff);
  ASSERT_EQ(r.status, 201) << r.body;
  auto agent = r.json()["id"].get<std::int64_t>();
  EXPECT_EQ(call("POST", "/api/v1/staff/agents", {{"name", "Facility Co"}}, staff).status, 409);
  auto users = "/api/v1/staff/agents/" + std::to_string(agent) + "/users";
  EXPECT_EQ(call("POST", users, {{"email", "nobody@x.example"}}, staff).status, 400);
  ASSERT_EQ(call("POST", users, {{"email", "agnes@fm.example"}}, staff).status, 200);

  EXPECT_EQ(server.get(c(company), agnes).status, 404);  // not allocated yet
  auto allocation = "/api/v1/staff/customers/" + std::to_string(company) + "/agent";
  EXPECT_EQ(call("PUT", allocation, {{"agent_id", agent}, {"until", 1}}, staff).status, 400);
  auto until = server.clock().now() + 600;
  r = call("PUT", allocation, {{"agent_id", agent}, {"until", until}}, staff);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["agent"]["id"], agent);

  r = server.get(c(company), agnes);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["role"], "agent");
  auto permissions = r.json()["permissions"];
  for (const auto& p : permissions) {
    EXPECT_TRUE(p.get<std::string>().ends_with(".view")) << p;
  }
  // Read-only: an agent trying to write is refused.
  EXPECT_EQ(call("POST", c(company) + "/sites", {{"name", "X"}}, agnes).status, 403);
  EXPECT_EQ(call("POST", c(company) + "/contacts", {{"first_name", "X"}, {"last_name", "Y"}}, agnes)
                .status,
            403);
  EXPECT_EQ(server.get(c(company) + "/users", agnes).status, 403);
  EXPECT_EQ(server
                .post("/api/v1/invitations",
                      {{"email", "x@x.example"},
                       {"first_name", "X"},
                       {"last_name", "Y"},
                       {"companies", {{{"company_id", company}, {"role", "read_only"}}}}},
                      agnes)
                .status,
            403);
  // The customer's administrators can ask why.
  auto agnes_id = server.get("/api/v1/me", agnes).json()["user"]["id"].get<std::int64_t>();
  auto e = server.get(c(company) + "/explain?user_id=" + std::to_string(agnes_id), admin).json();
  EXPECT_EQ(e["access"]["basis"], "agent");
  // The customer's administrators see the agent, its read-only scope, its people and the end;
  // every visit of the agent's people is in the company's audit log.
  r = server.get(c(company) + "/agent", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  auto seen = r.json()["agent"];
  EXPECT_EQ(seen["name"], "Facility Co");
  EXPECT_EQ(seen["until"], until);
  EXPECT_EQ(seen["active"], true);
  EXPECT_EQ(seen["logins"], json::array({"agnes@fm.example"}));
  EXPECT_EQ(seen["permissions"], permissions);
  EXPECT_EQ(server.get(c(other) + "/agent", other_admin).json()["agent"], nullptr);
  EXPECT_EQ(server.get(c(company) + "/agent", agnes).status, 403);
  auto visits = server.get(c(company) + "/audit?event=agent.access", admin).json()["items"];
  // The company, the three refused calls above and the refused look at the agent: newest first.
  ASSERT_EQ(visits.size(), 5u) << visits.dump();
  EXPECT_EQ(visits[0]["actor"], "agnes@fm.example") << visits[0];
  EXPECT_EQ(visits[0]["detail"]["agent"], "Facility Co");
  EXPECT_EQ(visits[0]["detail"]["path"], c(company) + "/agent");
  EXPECT_EQ(visits[0]["detail"]["allowed"], false);
  EXPECT_EQ(visits[4]["detail"]["path"], c(company));
  EXPECT_EQ(visits[4]["detail"]["allowed"], true);
  // Another customer, not allocated, stays invisible; the allocation ends on time.
  EXPECT_EQ(server.get(c(other), agnes).status, 404);
  server.clock().advance(601);  // (sessions stay: 30 minutes idle)
  EXPECT_EQ(server.get(c(company) + "/agent", admin).json()["agent"]["active"], false);
  EXPECT_EQ(server.get(c(company), agnes).status, 404);

  // At most one agent per customer: a new allocation replaces the old one.
  r = call("POST", "/api/v1/staff/agents", {{"name", "Second Co"}}, staff);
  auto second = r.json()["id"].get<std::int64_t>();
  ASSERT_EQ(call("PUT", allocation, {{"agent_id", agent}}, staff).status, 200);
  EXPECT_EQ(server.get(c(company), agnes).status, 200);
  ASSERT_EQ(call("PUT", allocation, {{"agent_id", second}}, staff).status, 200);
  EXPECT_EQ(server.get(c(company), agnes).status, 404);
  // Another organization's agent cannot be named; their staff cannot allocate ours.
  auto rival_staff = server.staffMember("Rival", "staff@rival.example", "admin");
  EXPECT_EQ(call("PUT", allocation, {{"agent_id", agent}}, rival_staff).status, 404);
}

TEST_F(DirectoryConsoleTest, StaffInviteAnAgentsPeopleWhoHaveNoLoginYet) {
  auto r = call("POST", "/api/v1/staff/agents", {{"name", "Facility Co"}}, staff);
  ASSERT_EQ(r.status, 201) << r.body;
  auto agent = r.json()["id"].get<std::int64_t>();
  ASSERT_EQ(call("PUT", "/api/v1/staff/customers/" + std::to_string(company) + "/agent",
                 {{"agent_id", agent}}, staff)
                .status,
            200);
  auto users = "/api/v1/staff/agents/" + std::to_string(agent) + "/users";
  // No login and no name: the error says how to invite.
  r = call("POST", users, {{"email", "fiona@fm.example"}}, staff);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "invalid_input");
  EXPECT_NE(r.json()["error"].value("message", "").find("give a first and last name"),
            std::string::npos)
      << r.body;
  // Bad input, another organization's agent, an e-mail that has a login: refused, nothing sent.
  auto rival_staff = server.staffMember("Rival", "staff@rival.example", "admin");
  auto mails = server.mails().size();
  EXPECT_EQ(call("POST", users, {{"email", "fiona@fm.example"}, {"first_name", ""}}, staff).status,
            400);
  EXPECT_EQ(call("POST", users,
                 {{"email", "admin@a.example"}, {"first_name", "A"}, {"last_name", "B"}}, staff)
                .status,
            409);
  EXPECT_EQ(
      call("POST", users, {{"email", "fiona@fm.example"}, {"first_name", "F"}, {"last_name", "M"}},
           rival_staff)
          .status,
      404);
  EXPECT_EQ(server.mails().size(), mails);

  r = call("POST", users,
           {{"email", "Fiona@FM.example"}, {"first_name", "Fiona"}, {"last_name", "Manager"}},
           staff);
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = r.json()["invitation"]["id"].get<std::int64_t>();
  EXPECT_NE(server.mails().back().find("Facility Co"), std::string::npos);
  auto listed = server.get("/api/v1/staff/invitations", staff).json()["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["agent"]["name"], "Facility Co");
  // Only staff who manage agents may touch it: a portal administrator gets 404.
  auto inv = "/api/v1/invitations/" + std::to_string(id);
  EXPECT_EQ(call("POST", inv + "/resend", json(), admin).status, 404);
  EXPECT_EQ(call("DELETE", inv, json(), admin).status, 404);

  // Accepting creates the login, which then sees the allocated customer read-only.
  r = server.post("/api/v1/invitations/accept",
                  {{"token", server.mailedToken("/invitations/accept")},
                   {"first_name", "Fiona"},
                   {"last_name", "Manager"},
                   {"password", TestServer::kPassword}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto fiona = server.signInAndEnrol("fiona@fm.example");
  r = server.get(c(company), fiona);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["role"], "agent");
  EXPECT_EQ(server.get(c(other), fiona).status, 404);
  EXPECT_EQ(server.get(c(company) + "/agent", admin).json()["agent"]["logins"],
            json::array({"fiona@fm.example"}));
  // Staff find her among the organization's logins.
  EXPECT_EQ(server.get("/api/v1/staff/users?q=fiona", staff).json()["items"].size(), 1u);
  // Deleting the accepted invitation takes her out of the agent again.
  ASSERT_EQ(call("DELETE", "/api/v1/staff/invitations/" + std::to_string(id), json(), staff).status,
            204);
  EXPECT_EQ(server.get(c(company), fiona).status, 404);

  // A staff login, made after the invitation was sent, cannot act for the agent.
  ASSERT_EQ(
      call("POST", users,
           {{"email", "hal@vendor.example"}, {"first_name", "Hal"}, {"last_name", "S"}}, staff)
          .status,
      201);
  auto hal_token = server.mailedToken("/invitations/accept");
  auto hal = server.staffMember("Vendor", "hal@vendor.example", "support");
  EXPECT_EQ(server.post("/api/v1/invitations/accept", {{"token", hal_token}}, hal).status, 409);

  // An invitation whose inviter no longer manages agents lapses.
  ASSERT_EQ(call("POST", users,
                 {{"email", "gus@fm.example"}, {"first_name", "Gus"}, {"last_name", "M"}}, staff)
                .status,
            201);
  auto token = server.mailedToken("/invitations/accept");
  server.sql(
      "UPDATE staff_members SET role = 'support' WHERE user_id ="
      " (SELECT id FROM users WHERE email = 'staff@vendor.example')");
  r = server.post("/api/v1/invitations/accept", {{"token", token},
                                                 {"first_name", "Gus"},
                                                 {"last_name", "M"},
                                                 {"password", TestServer::kPassword}});
  EXPECT_EQ(r.status, 409) << r.body;
}

TEST_F(DirectoryConsoleTest, DepartmentAdministratorsReachOnlyTheirDepartments) {
  auto r = call("POST", "/api/v1/staff/departments", {{"name", "North"}}, staff);
  ASSERT_EQ(r.status, 201) << r.body;
  auto north = r.json()["id"].get<std::int64_t>();
  auto south =
      call("POST", "/api/v1/staff/departments", {{"name", "South"}}, staff).json()["id"].get<int>();
  EXPECT_EQ(call("POST", "/api/v1/staff/departments", {{"name", "North"}}, staff).status, 409);
  ASSERT_EQ(call("PATCH", "/api/v1/staff/customers/" + std::to_string(company),
                 {{"department_id", north}}, staff)
                .status,
            200);
  ASSERT_EQ(call("PATCH", "/api/v1/staff/customers/" + std::to_string(other),
                 {{"department_id", south}}, staff)
                .status,
            200);

  auto dept = server.staffMember("Vendor", "dept@vendor.example", "department_admin");
  EXPECT_EQ(server.get(c(company), dept).status, 404);  // no departments yet
  auto dept_id = server.get("/api/v1/me", dept).json()["user"]["id"].get<std::int64_t>();
  auto assign = "/api/v1/staff/department-admins/" + std::to_string(dept_id);
  EXPECT_EQ(call("PUT", assign, {{"departments", {north}}}, dept).status, 403);
  ASSERT_EQ(call("PUT", assign, {{"departments", {north}}}, staff).status, 204);

  r = server.get(c(company), dept);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["role"], "staff:department_admin");
  EXPECT_EQ(server.get(c(other), dept).status, 404);
  EXPECT_EQ(server.get(c(rival_company), dept).status, 404);
  auto list = server.get("/api/v1/staff/customers", dept).json()["items"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["id"], company);
  // The logins they administer are those of their departments' customers; staff see them all.
  auto logins = server.get("/api/v1/staff/users", dept).json()["items"];
  ASSERT_EQ(logins.size(), 1u) << logins.dump();
  EXPECT_EQ(logins[0]["email"], "admin@a.example");
  EXPECT_GE(server.get("/api/v1/staff/users", staff).json()["items"].size(), 4u);
  EXPECT_EQ(call("PATCH", "/api/v1/staff/customers/" + std::to_string(other), {{"name", "X"}}, dept)
                .status,
            404);
  // A new customer must go to one of their departments.
  EXPECT_EQ(call("POST", "/api/v1/staff/customers", {{"name", "Nowhere"}}, dept).status, 400);
  EXPECT_EQ(call("POST", "/api/v1/staff/customers",
                 {{"name", "Southern"}, {"department_id", south}}, dept)
                .status,
            400);
  EXPECT_EQ(call("POST", "/api/v1/staff/customers",
                 {{"name", "Northern"}, {"department_id", north}}, dept)
                .status,
            201);
  EXPECT_EQ(server.get("/api/v1/staff/licences", dept).status, 403);
}

TEST_F(DirectoryConsoleTest, StaffRolesHaveTheirLimitsAndIndependentCompaniesAreTheirOwn) {
  auto creator = server.staffMember("Vendor", "creator@vendor.example", "content_creator");
  auto support = server.staffMember("Vendor", "support@vendor.example", "support");
  auto personnel = server.staffMember("Vendor", "tech@vendor.example", "personnel");
  json invitation = {{"email", "new@a.example"},
                     {"first_name", "N"},
                     {"last_name", "E"},
                     {"companies", {{{"company_id", company}, {"role", "user"}}}}};
  EXPECT_EQ(server.post("/api/v1/invitations", invitation, creator).status, 201);
  EXPECT_EQ(server.post("/api/v1/invitations", invitation, support).status, 403);
  EXPECT_EQ(server.get(c(company), personnel).status, 404);
  EXPECT_EQ(server.get(c(company), support).json()["role"], "staff:support");
  EXPECT_EQ(server.get("/api/v1/staff/customers", support).status, 403);
  EXPECT_EQ(server.get("/api/v1/staff/customers", creator).status, 200);
  EXPECT_EQ(server.get("/api/v1/staff/agents", creator).status, 403);
  EXPECT_EQ(server.get("/api/v1/staff/customers", admin).status, 403);  // a portal user

  // The company turns independent: staff may look, but not administer its users.
  ASSERT_EQ(call("PATCH", "/api/v1/staff/customers/" + std::to_string(company),
                 {{"managed", false}}, staff)
                .status,
            200);
  invitation["email"] = "other@a.example";
  EXPECT_EQ(server.post("/api/v1/invitations", invitation, staff).status, 403);
  EXPECT_EQ(server.post("/api/v1/invitations", invitation, creator).status, 403);
  EXPECT_EQ(server.get(c(company) + "/users", staff).status, 403);
  EXPECT_EQ(server.get(c(company), staff).status, 200);
  EXPECT_EQ(server.post("/api/v1/invitations", invitation, admin).status, 201);
}

TEST_F(DirectoryConsoleTest, CustomersAreCreatedSearchedAndEditedWithValidation) {
  auto r = call("POST", "/api/v1/staff/customers",
                {{"name", "Zeta 100% AB"}, {"external_id", "Z-1"}, {"org_number", "556677-8899"}},
                staff);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(
      call("POST", "/api/v1/staff/customers", {{"name", "Dup"}, {"external_id", "Z-1"}}, staff)
          .status,
      409);
  EXPECT_EQ(call("POST", "/api/v1/staff/customers", {{"name", ""}}, staff).status, 400);
  EXPECT_EQ(
      call("POST", "/api/v1/staff/customers", {{"name", "X"}, {"managed", "yes"}}, staff).status,
      400);
  EXPECT_EQ(
      call("POST", "/api/v1/staff/customers", {{"name", "X"}, {"colour", "red"}}, staff).status,
      400);
  auto found = server.get("/api/v1/staff/customers?q=100%25", staff).json()["items"];
  ASSERT_EQ(found.size(), 1u);  // % is matched literally
  EXPECT_EQ(found[0]["external_id"], "Z-1");
  EXPECT_EQ(server.get("/api/v1/staff/customers?q=z-1", staff).json()["items"].size(), 1u);
  // Paging.
  auto page = server.get("/api/v1/staff/customers?limit=2", staff).json();
  EXPECT_EQ(page["items"].size(), 2u);
  ASSERT_TRUE(page["next_cursor"].is_string());
  auto rest =
      server
          .get("/api/v1/staff/customers?limit=2&cursor=" + page["next_cursor"].get<std::string>(),
               staff)
          .json();
  EXPECT_EQ(rest["items"].size(), 1u);
  EXPECT_TRUE(rest["next_cursor"].is_null());
  // Another organization's customer is not there.
  EXPECT_EQ(server.get("/api/v1/staff/customers/" + std::to_string(rival_company), staff).status,
            404);
  EXPECT_EQ(call("PATCH", "/api/v1/staff/customers/" + std::to_string(rival_company),
                 {{"name", "Mine"}}, staff)
                .status,
            404);
}

TEST_F(DirectoryConsoleTest, StaffInvitationsAreListedAndDeletingOneRemovesThePerson) {
  // Staff invite one person into A and B; a customer administrator invites another into A.
  auto r = server.post("/api/v1/invitations",
                       {{"email", "ivy@x.example"},
                        {"first_name", "Ivy"},
                        {"last_name", "I"},
                        {"companies",
                         {{{"company_id", company}, {"role", "user"}},
                          {{"company_id", other}, {"role", "member"}}}}},
                       staff);
  ASSERT_EQ(r.status, 201) << r.body;
  auto staff_invitation = r.json()["id"].get<std::int64_t>();
  auto ivy_token = server.mailedToken("/invitations/accept");
  ASSERT_EQ(server
                .post("/api/v1/invitations",
                      {{"email", "kim@x.example"},
                       {"first_name", "Kim"},
                       {"last_name", "K"},
                       {"companies", {{{"company_id", company}, {"role", "user"}}}}},
                      admin)
                .status,
            201);
  auto list = server.get("/api/v1/staff/invitations", staff).json()["items"];
  ASSERT_EQ(list.size(), 1u);  // the customer administrator's invitation is not listed
  EXPECT_EQ(list[0]["email"], "ivy@x.example");
  EXPECT_EQ(list[0]["status"], "pending");

  ASSERT_EQ(server
                .post("/api/v1/invitations/accept", {{"token", ivy_token},
                                                     {"first_name", "Ivy"},
                                                     {"last_name", "I"},
                                                     {"password", TestServer::kPassword}})
                .status,
            201);
  auto ivy = server.signInAndEnrol("ivy@x.example");
  EXPECT_EQ(server.get("/api/v1/companies", ivy).json()["items"].size(), 2u);
  list = server.get("/api/v1/staff/invitations", staff).json()["items"];
  EXPECT_EQ(list[0]["status"], "accepted");

  EXPECT_EQ(call("DELETE", "/api/v1/staff/invitations/" + std::to_string(staff_invitation), nullptr,
                 admin)
                .status,
            403);  // a portal administrator has no console
  auto rival_staff = server.staffMember("Rival", "staff@rival.example", "admin");
  EXPECT_EQ(call("DELETE", "/api/v1/staff/invitations/" + std::to_string(staff_invitation), nullptr,
                 rival_staff)
                .status,
            404);
  ASSERT_EQ(call("DELETE", "/api/v1/staff/invitations/" + std::to_string(staff_invitation), nullptr,
                 staff)
                .status,
            204);
  // Gone from the organization's companies at once; the login itself remains.
  EXPECT_EQ(server.get("/api/v1/companies", ivy).json()["items"].size(), 0u);
  EXPECT_EQ(server.get(c(company), ivy).status, 404);
  EXPECT_EQ(server.get("/api/v1/me", ivy).status, 200);
  EXPECT_EQ(server.get("/api/v1/staff/invitations", staff).json()["items"].size(), 0u);
}

TEST_F(DirectoryConsoleTest, TheContractPathDeletesAStaffInvitationAsTheConsoleDoes) {
  auto r = call("POST", "/api/v1/invitations",
                {{"email", "ivy@x.example"},
                 {"first_name", "Ivy"},
                 {"last_name", "I"},
                 {"companies", {{{"company_id", company}, {"role", "user"}}}}},
                staff);
  ASSERT_EQ(r.status, 201) << r.body;
  auto accepted = "/api/v1/invitations/" + std::to_string(r.json()["id"].get<std::int64_t>());
  ASSERT_EQ(
      server
          .post("/api/v1/invitations/accept", {{"token", server.mailedToken("/invitations/accept")},
                                               {"first_name", "Ivy"},
                                               {"last_name", "I"},
                                               {"password", TestServer::kPassword}})
          .status,
      201);
  auto ivy = server.signInAndEnrol("ivy@x.example");
  ASSERT_EQ(server.get(c(company), ivy).status, 200);
  // Accepted: the company's administrator has nothing to revoke; staff delete it, and with it
  // Ivy's access, as DELETE /api/v1/staff/invitations/{id} does.
  EXPECT_EQ(call("DELETE", accepted, nullptr, admin).status, 404);
  EXPECT_EQ(call("DELETE", accepted, nullptr, rival_admin).status, 404);
  ASSERT_EQ(call("DELETE", accepted, nullptr, staff).status, 204);
  EXPECT_EQ(server.get(c(company), ivy).status, 404);
  EXPECT_EQ(server.get("/api/v1/staff/invitations", staff).json()["items"].size(), 0u);
  EXPECT_EQ(call("DELETE", accepted, nullptr, staff).status, 404);

  // A pending one is revoked by whoever may manage it, here the company's administrator.
  r = call("POST", "/api/v1/invitations",
           {{"email", "jo@x.example"},
            {"first_name", "Jo"},
            {"last_name", "J"},
            {"companies", {{{"company_id", company}, {"role", "member"}}}}},
           staff);
  ASSERT_EQ(r.status, 201) << r.body;
  auto token = server.mailedToken("/invitations/accept");
  ASSERT_EQ(
      call("DELETE", "/api/v1/invitations/" + std::to_string(r.json()["id"].get<std::int64_t>()),
           nullptr, admin)
          .status,
      204);
  EXPECT_EQ(server
                .post("/api/v1/invitations/accept", {{"token", token},
                                                     {"first_name", "Jo"},
                                                     {"last_name", "J"},
                                                     {"password", TestServer::kPassword}})
                .status,
            404);
}

// Accepting skips a company where the person is a member already, leaving their rights there as
// they were: deleting the invitation then takes back only what accepting it gave.
TEST_F(DirectoryConsoleTest, DeletingAnAcceptedInvitationRemovesOnlyTheMembershipsItGave) {
  auto r = server.post("/api/v1/invitations",
                       {{"email", "ivy@x.example"},
                        {"first_name", "Ivy"},
                        {"last_name", "I"},
                        {"companies",
                         {{{"company_id", company}, {"role", "user"}},
                          {{"company_id", other}, {"role", "member"}}}}},
                       staff);
  ASSERT_EQ(r.status, 201) << r.body;
  auto staff_invitation = r.json()["id"].get<std::int64_t>();
  auto staff_token = server.mailedToken("/invitations/accept");
  // Meanwhile B's administrator invites her too, and she accepts that first.
  ASSERT_EQ(server
                .post("/api/v1/invitations",
                      {{"email", "ivy@x.example"},
                       {"first_name", "Ivy"},
                       {"last_name", "I"},
                       {"companies", {{{"company_id", other}, {"role", "user"}}}}},
                      other_admin)
                .status,
            201);
  ASSERT_EQ(
      server
          .post("/api/v1/invitations/accept", {{"token", server.mailedToken("/invitations/accept")},
                                               {"first_name", "Ivy"},
                                               {"last_name", "I"},
                                               {"password", TestServer::kPassword}})
          .status,
      201);
  auto ivy = server.signInAndEnrol("ivy@x.example");
  // Staff's invitation gives A; B it skips, her rights there unchanged.
  ASSERT_EQ(server.post("/api/v1/invitations/accept", {{"token", staff_token}}, ivy).status, 200);
  ASSERT_EQ(server.get(c(company), ivy).status, 200);
  ASSERT_EQ(server.get(c(other), ivy).json()["role"], "user");

  ASSERT_EQ(call("DELETE", "/api/v1/staff/invitations/" + std::to_string(staff_invitation), nullptr,
                 staff)
                .status,
            204);
  EXPECT_EQ(server.get(c(company), ivy).status, 404);
  auto b = server.get(c(other), ivy);
  EXPECT_EQ(b.status, 200) << "deleting staff's invitation took away the membership it skipped";
  EXPECT_EQ(b.json()["role"], "user");
  auto deleted = server.get("/api/v1/staff/audit?event=invitation.deleted", staff).json()["items"];
  ASSERT_EQ(deleted.size(), 1u) << deleted.dump();
  EXPECT_EQ(deleted[0]["detail"]["memberships_removed"], 1) << deleted.dump();
}

// Linking a contact to a login sets what it sees: like changing a member's rights, nobody but
// staff does it to a member who holds a permission they do not hold themselves.
TEST_F(DirectoryConsoleTest, NobodyNarrowsOrWidensTheSitesOfAMemberWhoOutranksThem) {
  auto [bob, bob_token] = member("A", company, "bob@a.example", "user");
  ASSERT_EQ(call("PATCH", c(company) + "/users/" + std::to_string(bob),
                 {{"permissions", {"users.manage", "contacts.manage"}}}, admin)
                .status,
            200);
  auto [dora, dora_token] = member("A", company, "dora@a.example", "administrator");
  auto [carl, carl_token] = member("A", company, "carl@a.example", "user");
  ASSERT_EQ(call("PATCH", c(company) + "/users/" + std::to_string(carl),
                 {{"permissions", {"contacts.manage"}}}, admin)
                .status,
            200);
  auto s1 = site(company, "North");
  auto s2 = site(company, "South");
  auto contact = [&] {
    return call("POST", c(company) + "/contacts",
                {{"first_name", "N"}, {"last_name", "N"}, {"site_id", s1}}, admin)
        .json()["id"]
        .get<std::int64_t>();
  };
  auto path = [&](std::int64_t id) { return c(company) + "/contacts/" + std::to_string(id); };

  // Bob manages users and contacts, but may not narrow an administrator to one site.
  auto north = contact();
  auto r = call("PUT", path(north) + "/login", {{"email", "dora@a.example"}}, bob_token);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.errorMessage().find("do not hold"), std::string::npos) << r.body;
  EXPECT_EQ(call("PUT", path(north) + "/login", {{"email", "admin@a.example"}}, bob_token).status,
            403);
  EXPECT_EQ(server.get(c(company), dora_token).json()["sites"], "all");
  EXPECT_EQ(server.get(c(company), admin).json()["sites"], "all");

  // Nor undo, move or delete a link that narrows one.
  ASSERT_EQ(call("PUT", path(north) + "/login", {{"email", "dora@a.example"}}, admin).status, 200);
  ASSERT_EQ(server.get(c(company), dora_token).json()["sites"], json::array({s1}));
  EXPECT_EQ(call("DELETE", path(north) + "/login", nullptr, bob_token).status, 403);
  EXPECT_EQ(call("PUT", path(north) + "/login", {{"email", "carl@a.example"}}, bob_token).status,
            403);
  EXPECT_EQ(call("PATCH", path(north), {{"site_id", s2}}, bob_token).status, 403);
  EXPECT_EQ(call("DELETE", path(north), nullptr, bob_token).status, 403);
  EXPECT_EQ(server.get(c(company), dora_token).json()["sites"], json::array({s1}));

  // Carl holds nothing Bob does not: Bob links and unlinks him.
  auto carls = contact();
  ASSERT_EQ(call("PUT", path(carls) + "/login", {{"email", "carl@a.example"}}, bob_token).status,
            200);
  EXPECT_EQ(server.get(c(company), carl_token).json()["sites"], json::array({s1}));
  ASSERT_EQ(call("DELETE", path(carls) + "/login", nullptr, bob_token).status, 200);
  EXPECT_EQ(server.get(c(company), carl_token).json()["sites"], "all");
  // Staff may, as they may change anyone's rights.
  EXPECT_EQ(call("DELETE", path(north) + "/login", nullptr, staff).status, 200);
  EXPECT_EQ(server.get(c(company), dora_token).json()["sites"], "all");
}

TEST_F(DirectoryConsoleTest, DisablingALoginEndsItsSessionsAndOnlyStaffOfItsOrganizationMay) {
  auto [bob, bob_token] = member("A", company, "bob@a.example", "user");
  auto disable = "/api/v1/staff/users/" + std::to_string(bob) + "/disable";
  EXPECT_EQ(call("POST", disable, json::object(), admin).status, 403);
  auto rival_staff = server.staffMember("Rival", "staff@rival.example", "admin");
  EXPECT_EQ(call("POST", disable, json::object(), rival_staff).status, 404);
  auto r = call("POST", disable, json::object(), staff);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "disabled");
  EXPECT_EQ(server.get("/api/v1/me", bob_token).status, 401);
  EXPECT_EQ(server
                .post("/api/v1/auth/login",
                      {{"email", "bob@a.example"}, {"password", TestServer::kPassword}})
                .status,
            401);
  auto users = server.get("/api/v1/staff/users?q=bob", staff).json()["items"];
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["status"], "disabled");
  ASSERT_EQ(
      call("POST", "/api/v1/staff/users/" + std::to_string(bob) + "/enable", json::object(), staff)
          .status,
      200);
  EXPECT_EQ(server
                .post("/api/v1/auth/login",
                      {{"email", "bob@a.example"}, {"password", TestServer::kPassword}})
                .status,
            200);
  // Nobody disables their own login, nor a login that belongs to another organization too.
  auto me = server.get("/api/v1/me", staff).json()["user"]["id"].get<std::int64_t>();
  EXPECT_EQ(
      call("POST", "/api/v1/staff/users/" + std::to_string(me) + "/disable", json::object(), staff)
          .status,
      409);
  auto [shared_user, shared] = member("A", company, "shared@x.example", "user");
  (void)shared;
  server.sql(
      "INSERT INTO memberships (company_id, user_id, role, created_at) VALUES (?, ?, 'user', 0)",
      {std::to_string(rival_company), std::to_string(shared_user)});
  EXPECT_EQ(call("POST", "/api/v1/staff/users/" + std::to_string(shared_user) + "/disable",
                 json::object(), staff)
                .status,
            409);
}

TEST_F(DirectoryConsoleTest, LicencesPersonnelAndTheOrganizationsAuditLog) {
  auto r = server.get("/api/v1/staff/licences", staff);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.json()["limit"].is_null());
  auto in_use = r.json()["in_use"].get<int>();
  EXPECT_GE(in_use, 2);
  EXPECT_EQ(call("PUT", "/api/v1/staff/licences", {{"limit", -1}}, staff).status, 400);
  EXPECT_EQ(call("PUT", "/api/v1/staff/licences", {{"limit", "many"}}, staff).status, 400);
  r = call("PUT", "/api/v1/staff/licences", {{"limit", in_use}}, staff);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["limit"], in_use);
  r = server.post("/api/v1/invitations",
                  {{"email", "one.more@a.example"},
                   {"first_name", "O"},
                   {"last_name", "M"},
                   {"companies", {{{"company_id", company}, {"role", "user"}}}}},
                  admin);
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find(std::to_string(in_use)), std::string::npos) << r.body;

  // Personnel: linked only to a staff login of the organization.
  EXPECT_EQ(call("POST", "/api/v1/staff/personnel",
                 {{"name", "Tia Tech"}, {"email", "admin@a.example"}}, staff)
                .status,
            400);
  server.staffMember("Vendor", "tech@vendor.example", "personnel");
  r = call("POST", "/api/v1/staff/personnel",
           {{"name", "Tia Tech"}, {"title", "Technician"}, {"email", "tech@vendor.example"}},
           staff);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["login"]["email"], "tech@vendor.example");
  EXPECT_EQ(call("POST", "/api/v1/staff/personnel",
                 {{"name", "Again"}, {"email", "tech@vendor.example"}}, staff)
                .status,
            409);
  EXPECT_EQ(server.get("/api/v1/staff/personnel", staff).json()["items"].size(), 1u);

  // The organization's audit log: filter by event, actor and company; CSV export.
  auto events = server.get("/api/v1/staff/audit?event=licences.", staff).json()["items"];
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["actor"], "staff@vendor.example");
  auto by_admin = server.get("/api/v1/staff/audit?actor=ADMIN@a.example", staff).json()["items"];
  ASSERT_FALSE(by_admin.empty());
  for (const auto& e : by_admin) EXPECT_EQ(e["actor"], "admin@a.example");
  EXPECT_TRUE(
      server.get("/api/v1/staff/audit?actor=nobody@x.example", staff).json()["items"].empty());
  auto in_b =
      server.get("/api/v1/staff/audit?company=" + std::to_string(other), staff).json()["items"];
  ASSERT_FALSE(in_b.empty());
  for (const auto& e : in_b) EXPECT_EQ(e["company_id"], other);
  // Nothing of the rival organization.
  EXPECT_TRUE(server.get("/api/v1/staff/audit?company=" + std::to_string(rival_company), staff)
                  .json()["items"]
                  .empty());
  auto csv = server.get("/api/v1/staff/audit.csv?event=licences.", staff);
  EXPECT_EQ(csv.status, 200);
  EXPECT_TRUE(csv.header("content-type").starts_with("text/csv"));
  EXPECT_NE(csv.body.find("licences.changed"), std::string::npos);
  EXPECT_EQ(server.get("/api/v1/staff/audit?company=abc", staff).status, 400);
}

TEST_F(DirectoryConsoleTest, MembersAreToldOfAccessChangesUnlessTheyTurnedItOff) {
  auto [bob, bob_token] = member("A", company, "bob@a.example", "user");
  auto mails = server.mails().size();
  ASSERT_EQ(call("PATCH", c(company) + "/users/" + std::to_string(bob), {{"role", "member"}}, admin)
                .status,
            200);
  ASSERT_EQ(server.mails().size(), mails + 1);
  EXPECT_NE(server.mails().back().find("bob@a.example"), std::string::npos);
  ASSERT_EQ(call("PUT", "/api/v1/me/notifications", {{"access.changes", false}}, bob_token).status,
            200);
  ASSERT_EQ(
      call("PATCH", c(company) + "/users/" + std::to_string(bob), {{"role", "user"}}, admin).status,
      200);
  EXPECT_EQ(server.mails().size(), mails + 1);
}

TEST_F(DirectoryConsoleTest, NobodyWidensTheirOwnOrAnothersReachThroughTheSideDoors) {
  auto [bob, bob_token] = member("A", company, "bob@a.example", "user");  // contacts.manage
  auto s1 = site(company, "North");
  auto s2 = site(company, "South");
  auto contact = call("POST", c(company) + "/contacts",
                      {{"first_name", "Bo"}, {"last_name", "Berg"}, {"site_id", s1}}, admin)
                     .json()["id"]
                     .get<std::int64_t>();
  auto link = c(company) + "/contacts/" + std::to_string(contact) + "/login";
  // Linking decides what a login sees: users.manage, and never one's own.
  EXPECT_EQ(call("PUT", link, {{"email", "admin@a.example"}}, bob_token).status, 403);
  EXPECT_EQ(call("PUT", link, {{"email", "admin@a.example"}}, admin).status, 403);
  ASSERT_EQ(call("PUT", link, {{"email", "bob@a.example"}}, admin).status, 200);
  ASSERT_EQ(server.get(c(company), bob_token).json()["sites"], json::array({s1}));
  // Bob cannot free himself by deleting, moving or unlinking his contact, nor by deleting its
  // site; nor can he take over a company-wide contact.
  auto contact_path = c(company) + "/contacts/" + std::to_string(contact);
  EXPECT_EQ(call("DELETE", contact_path, nullptr, bob_token).status, 403);
  EXPECT_EQ(call("PATCH", contact_path, {{"site_id", s2}}, bob_token).status, 400);  // unseen site
  EXPECT_EQ(call("DELETE", link, nullptr, bob_token).status, 403);
  EXPECT_EQ(call("DELETE", c(company) + "/sites/" + std::to_string(s1), nullptr, admin).status,
            409);
  auto wide =
      call("POST", c(company) + "/contacts", {{"first_name", "W"}, {"last_name", "W"}}, admin)
          .json()["id"]
          .get<std::int64_t>();
  EXPECT_EQ(
      call("PATCH", c(company) + "/contacts/" + std::to_string(wide), {{"site_id", s1}}, bob_token)
          .status,
      403);
  EXPECT_EQ(server.get(c(company), bob_token).json()["sites"], json::array({s1}));

  // A site-scoped administrator invites and manages only within their sites.
  ASSERT_EQ(call("PATCH", c(company) + "/users/" + std::to_string(bob),
                 {{"role", "administrator"}, {"sites", {s1}}}, admin)
                .status,
            200);
  json invitation = {{"email", "x@a.example"},
                     {"first_name", "X"},
                     {"last_name", "Y"},
                     {"companies", {{{"company_id", company}, {"role", "user"}}}}};
  EXPECT_EQ(server.post("/api/v1/invitations", invitation, bob_token).status, 403);  // all sites
  invitation["companies"][0]["sites"] = {s2};
  EXPECT_EQ(server.post("/api/v1/invitations", invitation, bob_token).status, 403);
  invitation["companies"][0]["sites"] = {s1};
  EXPECT_EQ(server.post("/api/v1/invitations", invitation, bob_token).status, 201);
  auto admin_id = server.get("/api/v1/me", admin).json()["user"]["id"].get<std::int64_t>();
  EXPECT_EQ(
      call("DELETE", c(company) + "/users/" + std::to_string(admin_id), nullptr, bob_token).status,
      403);  // the company-wide administrator is not within Bob's sites

  // Explain says nothing about a login that does not see the company.
  auto outsider = server.get("/api/v1/me", rival_admin).json()["user"]["id"].get<std::int64_t>();
  auto e = server.get(c(company) + "/explain?user_id=" + std::to_string(outsider), admin).json();
  ASSERT_EQ(e["steps"].size(), 1u);
  EXPECT_FALSE(e["sees_company"]);
}

TEST_F(DirectoryConsoleTest, ASiteScopedAdministratorSeesOnlyMembersOfTheirSitesAndAddsNoSite) {
  auto north = site(company, "North");
  auto south = site(company, "South");
  // Sam administers the North site alone; Nora works at North, Sid at South; Nils sees North
  // through a linked site contact.
  auto [sam, sam_token] = member("A", company, "sam@a.example", "administrator");
  auto [nora, nora_token] = member("A", company, "nora@a.example", "member");
  auto [sid, sid_token] = member("A", company, "sid@a.example", "member");
  auto [nils, nils_token] = member("A", company, "nils@a.example", "member");
  (void)nora_token;
  (void)sid_token;
  (void)nils_token;
  for (auto [user, where] :
       {std::pair{sam, north}, std::pair{nora, north}, std::pair{sid, south}}) {
    ASSERT_EQ(
        call("PATCH", c(company) + "/users/" + std::to_string(user), {{"sites", {where}}}, admin)
            .status,
        200);
  }
  auto contact = call("POST", c(company) + "/contacts",
                      {{"first_name", "Nils"}, {"last_name", "N"}, {"site_id", north}}, admin)
                     .json()["id"]
                     .get<std::int64_t>();
  ASSERT_EQ(call("PUT", c(company) + "/contacts/" + std::to_string(contact) + "/login",
                 {{"email", "nils@a.example"}}, admin)
                .status,
            200);

  // Sam lists himself, Nora and Nils; not Sid, nor the company-wide administrator.
  auto r = server.get(c(company) + "/users", sam_token);
  ASSERT_EQ(r.status, 200) << r.body;
  std::set<std::int64_t> listed;
  auto items = r.json()["items"];
  for (const auto& m : items) listed.insert(m["id"].get<std::int64_t>());
  EXPECT_EQ(listed, (std::set<std::int64_t>{sam, nora, nils}));
  EXPECT_EQ(server.get(c(company) + "/users", admin).json()["items"].size(), 5u);

  // Explain knows nothing of the others, nor of a site Sam does not see.
  auto explain = c(company) + "/explain?user_id=";
  EXPECT_EQ(server.get(explain + std::to_string(sid), sam_token).status, 404);
  EXPECT_EQ(server.get(explain + std::to_string(nora), sam_token).status, 200);
  EXPECT_EQ(
      server.get(explain + std::to_string(nora) + "&site_id=" + std::to_string(south), sam_token)
          .status,
      404);

  // A new site would lie outside Sam's sites: refused, and nothing is made.
  r = call("POST", c(company) + "/sites", {{"name", "East"}}, sam_token);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(server.get(c(company) + "/sites", admin).json()["items"].size(), 2u);

  // Pending invitations: only those to Sam's sites.
  json invitation = {{"email", "all@a.example"},
                     {"first_name", "A"},
                     {"last_name", "A"},
                     {"companies", {{{"company_id", company}, {"role", "member"}}}}};
  r = call("POST", "/api/v1/invitations", invitation, admin);
  ASSERT_EQ(r.status, 201) << r.body;
  auto everywhere = r.json()["id"].get<std::int64_t>();
  invitation["email"] = "north@a.example";
  invitation["companies"][0]["sites"] = {north};
  ASSERT_EQ(call("POST", "/api/v1/invitations", invitation, admin).status, 201);
  auto pending = server.get("/api/v1/invitations", sam_token).json()["items"];
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["email"], "north@a.example");
  EXPECT_EQ(call("DELETE", "/api/v1/invitations/" + std::to_string(everywhere), nullptr, sam_token)
                .status,
            404);
  EXPECT_EQ(server.get("/api/v1/invitations", admin).json()["items"].size(), 2u);
}

TEST_F(DirectoryConsoleTest, StaffBelowAdministratorKeepToWhatTheyAdminister) {
  auto creator = server.staffMember("Vendor", "creator@vendor.example", "content_creator");
  // Only a staff administrator turns a customer independent (or back).
  EXPECT_EQ(call("PATCH", "/api/v1/staff/customers/" + std::to_string(company),
                 {{"managed", false}}, creator)
                .status,
            403);
  EXPECT_EQ(call("PATCH", "/api/v1/staff/customers/" + std::to_string(company),
                 {{"managed", true}, {"name", "Company A"}}, creator)
                .status,
            200);  // unchanged 'managed' is fine
  // Only a staff administrator disables a staff login.
  auto staff_id = server.get("/api/v1/me", staff).json()["user"]["id"].get<std::int64_t>();
  EXPECT_EQ(call("POST", "/api/v1/staff/users/" + std::to_string(staff_id) + "/disable",
                 json::object(), creator)
                .status,
            403);
  // A login of an independent company is its own administrators' to manage.
  auto [bob, bob_token] = member("A", company, "bob@a.example", "user");
  (void)bob_token;
  ASSERT_EQ(call("PATCH", "/api/v1/staff/customers/" + std::to_string(company),
                 {{"managed", false}}, staff)
                .status,
            200);
  EXPECT_EQ(
      call("POST", "/api/v1/staff/users/" + std::to_string(bob) + "/disable", json::object(), staff)
          .status,
      403);
}

TEST_F(DirectoryConsoleTest, AnOrganizationDefinesItsOwnRolePresets) {
  json role = {{"key", "site_manager"},
               {"name", "Site manager"},
               {"permissions", {"devices.manage", "services.view", "support.view"}}};
  auto r = call("POST", "/api/v1/staff/roles", role, staff);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(call("POST", "/api/v1/staff/roles", role, staff).status, 409);
  for (const auto& bad : {json{{"key", "user"}, {"name", "X"}, {"permissions", {"emails.view"}}},
                          json{{"key", "Bad Key"}, {"name", "X"}, {"permissions", {"emails.view"}}},
                          json{{"key", "k"}, {"name", "X"}, {"permissions", {"no.such"}}},
                          json{{"key", "k"}, {"name", "X"}, {"permissions", json::array()}}}) {
    EXPECT_EQ(call("POST", "/api/v1/staff/roles", bad, staff).status, 400) << bad.dump();
  }
  EXPECT_EQ(call("POST", "/api/v1/staff/roles", role, admin).status, 403);  // a portal user
  EXPECT_EQ(server.get("/api/v1/staff/roles", staff).json()["items"].size(), 1u);

  // Administrators use it like a built-in preset, within what they hold.
  auto [bob, bob_token] = member("A", company, "bob@a.example", "user");
  r = call("PATCH", c(company) + "/users/" + std::to_string(bob), {{"role", "site_manager"}},
           admin);
  ASSERT_EQ(r.status, 200) << r.body;
  r = server.get(c(company), bob_token);
  EXPECT_EQ(r.json()["role"], "site_manager");
  EXPECT_EQ(r.json()["permissions"],
            json::array({"services.view", "support.view", "devices.manage"}));
  // Another organization's administrators do not have it.
  EXPECT_EQ(call("PATCH",
                 c(rival_company) + "/users/" +
                     std::to_string(
                         server.get("/api/v1/me", rival_admin).json()["user"]["id"].get<int>()),
                 {{"role", "site_manager"}}, rival_admin)
                .status,
            400);
  // Changing the role changes every membership that has it, on the next request.
  role["permissions"] = {"services.view"};
  role.erase("key");  // the path names the role
  ASSERT_EQ(call("PUT", "/api/v1/staff/roles/site_manager", role, staff).status, 200);
  EXPECT_EQ(server.get(c(company), bob_token).json()["permissions"],
            json::array({"services.view"}));
  EXPECT_EQ(call("PUT", "/api/v1/staff/roles/no_such", role, staff).status, 404);
}

}  // namespace
}  // namespace portico::testing
