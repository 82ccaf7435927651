// The staff console and the company pages in the web UI, driven without a browser: forms with
// CSRF, cookies, redirects, error pages, and the same services the API uses.
#include <gtest/gtest.h>

#include <regex>

#include "access/access_pages.h"
#include "http/url.h"
#include "support/browser.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

using nlohmann::json;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The content of the page between <main> and </main>.
std::string mainOf(const std::string& body) {
  auto from = body.find("<main");
  auto to = body.find("</main>");
  return from == std::string::npos || to == std::string::npos ? body : body.substr(from, to - from);
}

class ConsolePagesTest : public ::testing::Test {
 protected:
  ConsolePagesTest() {
    // The staff administrator of the vendor, and one customer with its own administrator.
    std::string secret;
    staff_token = server.signedInUser("chief@vendor.example", &secret);
    secrets["chief@vendor.example"] = secret;
    key = *server.app().createApiKey("Org of chief@vendor.example", "ERP");
    company = server
                  .post("/api/v1/integration/companies",
                        {{"external_id", "C-1"}, {"name", "Acme Widgets"}}, key)
                  .json()["id"]
                  .get<std::int64_t>();
    EXPECT_EQ(server
                  .post("/api/v1/integration/companies/C-1/admin-signup",
                        {{"email", "ada@acme.example"}}, key)
                  .status,
              202);
    EXPECT_EQ(server
                  .post("/api/v1/signup", {{"token", server.mailedToken("/signup")},
                                           {"first_name", "Ada"},
                                           {"last_name", "Admin"},
                                           {"password", TestServer::kPassword}})
                  .status,
              201);
    admin_token = enrol("ada@acme.example");
  }

  // Signs in through the API and enrols TOTP; keeps the secret for page sign-ins. The token.
  std::string enrol(const std::string& email) {
    auto token =
        server.post("/api/v1/auth/login", {{"email", email}, {"password", TestServer::kPassword}})
            .json()
            .value("token", "");
    auto secret =
        server.post("/api/v1/auth/totp/enroll", json::object(), token).json().value("secret", "");
    EXPECT_EQ(
        server.post("/api/v1/auth/totp/confirm", {{"code", server.totpCode(secret)}}, token).status,
        200);
    secrets[email] = secret;
    return token;
  }

  // A browser signed in as `email` (password and a fresh TOTP code).
  Browser signIn(const std::string& email) {
    server.clock().advance(30);  // a code is good once: move to the next one
    Browser b(server);
    b.get("/login");
    auto r = b.submit("/login", {{"email", email}, {"password", TestServer::kPassword}});
    EXPECT_EQ(r.header("location"), "/mfa") << r.body;
    b.get("/mfa");
    r = b.submit("/mfa", {{"code", server.totpCode(secrets[email])}});
    EXPECT_EQ(r.status, 303) << r.body;
    return b;
  }

  // Ada invites `email` as `role`; the invitee accepts with a new login. The invitee's user id.
  std::int64_t member(const std::string& email, const std::string& role) {
    auto r = server.post("/api/v1/invitations",
                         {{"email", email},
                          {"first_name", "Mia"},
                          {"last_name", "Member"},
                          {"companies", {{{"company_id", company}, {"role", role}}}}},
                         admin_token);
    EXPECT_EQ(r.status, 201) << r.body;
    r = server.post("/api/v1/invitations/accept",
                    {{"token", server.mailedToken("/invitations/accept")},
                     {"first_name", "Mia"},
                     {"last_name", "Member"},
                     {"password", TestServer::kPassword}});
    EXPECT_EQ(r.status, 201) << r.body;
    auto users = server.get(companyPath() + "/users", admin_token).json();
    for (const auto& u : users["items"]) {
      if (u["email"] == email) return u["id"].get<std::int64_t>();
    }
    ADD_FAILURE() << "no member " << email << ": " << users.dump();
    return 0;
  }

  void setStaffRole(const std::string& email, const std::string& role) {
    storage::Query q(server.app().db().connection(),
                     "UPDATE staff_members SET role = ? WHERE user_id = "
                     "(SELECT id FROM users WHERE email = ?)");
    q.bind(role, email);
    q.run();
  }

  std::string companyPath() const { return "/api/v1/companies/" + std::to_string(company); }
  std::string page() const { return "/companies/" + std::to_string(company); }

  TestServer server;
  std::map<std::string, std::string> secrets;
  std::string staff_token, admin_token, key;
  std::int64_t company = 0;
};

TEST_F(ConsolePagesTest, StaffAdminCreatesACustomerAndFindsItBySearch) {
  auto b = signIn("chief@vendor.example");
  auto home = b.get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_TRUE(contains(home.body, "href=\"/staff\""));
  auto start = b.get("/staff");
  ASSERT_EQ(start.status, 200);
  for (const char* section :
       {"/staff/customers", "/staff/departments", "/staff/agents", "/staff/personnel",
        "/staff/licences", "/staff/users", "/staff/invitations", "/staff/audit"}) {
    EXPECT_TRUE(contains(start.body, std::string("href=\"") + section + "\"")) << section;
  }

  ASSERT_EQ(b.get("/staff/customers").status, 200);
  auto r = b.submit("/staff/customers", {{"name", "Nordic Gadgets AB"},
                                         {"external_id", "NG-7"},
                                         {"org_number", "556000-1234"},
                                         {"department_id", ""},
                                         {"managed", "independent"}});
  ASSERT_EQ(r.status, 303) << r.body;
  std::smatch m;
  auto location = r.header("location");
  ASSERT_TRUE(std::regex_match(location, m, std::regex("/staff/customers/([0-9]+)\\?saved=1")))
      << location;
  auto customer = b.get("/staff/customers/" + m[1].str());
  ASSERT_EQ(customer.status, 200);
  EXPECT_TRUE(contains(customer.body, "value=\"NG-7\""));
  EXPECT_TRUE(contains(customer.body, "<option value=\"independent\" selected>"));
  EXPECT_TRUE(contains(customer.body, "href=\"/companies/" + m[1].str() + "\""));

  auto found = b.get("/staff/customers?q=gadgets");
  ASSERT_EQ(found.status, 200);
  EXPECT_TRUE(contains(found.body, "Nordic Gadgets AB"));
  EXPECT_FALSE(contains(found.body, "Acme Widgets"));
  EXPECT_TRUE(contains(found.body, "<th scope=\"col\">"));
  auto none = b.get("/staff/customers?q=nothing-like-it");
  EXPECT_TRUE(contains(none.body, "No customers match your search."));
  // The API sees the same customer.
  EXPECT_EQ(server.get("/api/v1/staff/customers?q=NG-7", staff_token).json()["items"].size(), 1u);
}

TEST_F(ConsolePagesTest, FormErrorsKeepTheValuesAndAnswer4xx) {
  auto b = signIn("chief@vendor.example");
  b.get("/staff/customers");
  auto r = b.submit("/staff/customers", {{"name", "  "},
                                         {"external_id", "KEEP-ME"},
                                         {"org_number", "556677-8899"},
                                         {"department_id", ""},
                                         {"managed", "managed"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "role=\"alert\""));
  EXPECT_TRUE(contains(r.body, "value=\"KEEP-ME\""));
  EXPECT_TRUE(contains(r.body, "value=\"556677-8899\""));
  // Another customer has that external id already.
  r = b.submit("/staff/customers", {{"name", "Copy"},
                                    {"external_id", "C-1"},
                                    {"org_number", ""},
                                    {"department_id", ""},
                                    {"managed", "managed"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(contains(r.body, "C-1"));
  EXPECT_TRUE(contains(r.body, "value=\"Copy\""));

  b.get("/staff/licences");
  r = b.submit("/staff/licences", {{"limit", "lots"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "value=\"lots\""));
  EXPECT_TRUE(contains(r.body, "Enter a whole number"));
  r = b.submit("/staff/licences", {{"limit", "25"}});
  EXPECT_EQ(r.status, 303);
  EXPECT_TRUE(contains(b.get("/staff/licences").body, "<strong>25</strong>"));
  r = b.submit("/staff/licences", {{"limit", ""}});
  EXPECT_EQ(r.status, 303);
  EXPECT_TRUE(contains(b.get("/staff/licences").body, "no limit"));

  b.get("/staff/audit");
  auto audit = b.get("/staff/audit?from=2024-02-30&event=login.");
  EXPECT_EQ(audit.status, 400);
  EXPECT_TRUE(contains(audit.body, "value=\"2024-02-30\""));
  EXPECT_TRUE(contains(audit.body, "value=\"login.\""));
}

TEST_F(ConsolePagesTest, AContentCreatorMayNotOpenLicences) {
  setStaffRole("chief@vendor.example", "content_creator");
  auto b = signIn("chief@vendor.example");
  EXPECT_EQ(b.get("/staff/licences").status, 403);
  EXPECT_EQ(b.get("/staff/audit").status, 403);
  EXPECT_EQ(b.get("/staff/audit.csv").status, 403);
  EXPECT_EQ(b.get("/staff/customers").status, 200);
  auto start = b.get("/staff");
  ASSERT_EQ(start.status, 200);
  EXPECT_TRUE(contains(start.body, "href=\"/staff/customers\""));
  EXPECT_FALSE(contains(start.body, "href=\"/staff/licences\""));
  // Forms are refused too, before anything is written.
  b.get("/staff/customers");
  EXPECT_EQ(b.submit("/staff/licences", {{"limit", "1"}}).status, 403);
}

TEST_F(ConsolePagesTest, APortalUserGets403OnTheConsole) {
  auto b = signIn("ada@acme.example");
  auto home = b.get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_TRUE(contains(home.body, "Acme Widgets"));
  EXPECT_FALSE(contains(home.body, "href=\"/staff\""));
  EXPECT_EQ(b.get("/staff").status, 403);
  EXPECT_EQ(b.get("/staff/customers").status, 403);
  EXPECT_EQ(b.get("/staff/customers/" + std::to_string(company)).status, 403);
}

TEST_F(ConsolePagesTest, TheContactsPageCreatesAndLinksAContact) {
  auto b = signIn("ada@acme.example");
  auto sites = b.get(page() + "/sites");
  ASSERT_EQ(sites.status, 200);
  EXPECT_TRUE(contains(sites.body, "No sites yet."));
  auto r = b.submit(page() + "/sites", {{"name", "Harbour depot"}, {"address", "Kajen 1, Gävle"}});
  ASSERT_EQ(r.status, 303) << r.body;
  sites = b.get(page() + "/sites");
  EXPECT_TRUE(contains(sites.body, "Harbour depot"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(sites.body, m, std::regex("/sites/([0-9]+)\">Edit")));
  auto site_id = m[1].str();

  auto contacts = b.get(page() + "/contacts");
  ASSERT_EQ(contacts.status, 200);
  EXPECT_TRUE(contains(contacts.body, "No contacts yet."));
  EXPECT_TRUE(contains(contacts.body, "<option value=\"" + site_id + "\""));
  r = b.submit(page() + "/contacts", {{"first_name", "Carl"},
                                      {"last_name", "Contact"},
                                      {"job_title", "Depot manager"},
                                      {"email", "carl@acme.example"},
                                      {"phone", "+46 70 000 00 00"},
                                      {"site_id", site_id}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto location = r.header("location");
  ASSERT_TRUE(std::regex_match(location, m, std::regex(".*/contacts/([0-9]+)"))) << location;
  auto contact_page = location;
  auto shown = b.get(contact_page).body;
  EXPECT_TRUE(contains(shown, "Not linked to a login"));
  // The page says what happened, once.
  EXPECT_TRUE(contains(
      shown, "<p class=\"notice\" role=\"status\">The contact Carl Contact has been added.</p>"));
  EXPECT_FALSE(contains(b.get(contact_page).body, "has been added"));

  // Only a member can be linked; the form keeps what was typed.
  r = b.submit(contact_page + "/link", {{"email", "stranger@else.example"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "value=\"stranger@else.example\""));
  // Nobody links the contact their own access would depend on.
  EXPECT_EQ(b.submit(contact_page + "/link", {{"email", "ada@acme.example"}}).status, 403);
  member("leo@acme.example", "user");
  r = b.submit(contact_page + "/link", {{"email", "leo@acme.example"}});
  ASSERT_EQ(r.status, 303) << r.body;
  contacts = b.get(page() + "/contacts");
  EXPECT_TRUE(contains(contacts.body, "Carl Contact"));
  EXPECT_TRUE(contains(contacts.body, "<td>Harbour depot</td>"));
  EXPECT_TRUE(contains(contacts.body, "<td>leo@acme.example</td>"));
  auto api = server.get(companyPath() + "/contacts", admin_token).json()["items"];
  ASSERT_EQ(api.size(), 1u);
  EXPECT_EQ(api[0]["login"]["email"], "leo@acme.example");

  // Leo's site scope now comes from the site contact: the access review says so.
  EXPECT_TRUE(contains(b.get(page()).body, "<td>Harbour depot</td>"));

  EXPECT_EQ(b.submit(contact_page + "/unlink").status, 303);
  EXPECT_TRUE(contains(b.get(page() + "/contacts").body, "not linked"));
  // Deleting asks first (a page that works without JavaScript); nothing is deleted until then.
  r = b.submit(contact_page + "/delete");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "<h1>Delete the contact?</h1>"));
  EXPECT_TRUE(contains(r.body, "The contact Carl Contact will be deleted for good."));
  EXPECT_TRUE(contains(r.body, "name=\"confirmed\" value=\"1\""));
  EXPECT_TRUE(contains(r.body, "href=\"" + contact_page + "\""));  // the way back
  EXPECT_TRUE(contains(b.get(page() + "/contacts").body, "Carl Contact"));
  EXPECT_EQ(b.submit(contact_page + "/delete", {{"confirmed", "1"}}).status, 303);
  contacts = b.get(page() + "/contacts");
  EXPECT_TRUE(contains(contacts.body, "No contacts yet."));
  EXPECT_TRUE(contains(contacts.body, "The contact Carl Contact has been deleted."));
}

TEST_F(ConsolePagesTest, CompanyPagesFollowThePermissions) {
  auto mia = member("mia@acme.example", "member");
  enrol("mia@acme.example");
  auto b = signIn("mia@acme.example");
  auto home = b.get(page());
  ASSERT_EQ(home.status, 200);
  EXPECT_TRUE(contains(home.body, "href=\"" + page() + "/sites\""));
  EXPECT_FALSE(contains(home.body, "href=\"" + page() + "/contacts\""));
  EXPECT_FALSE(contains(home.body, "href=\"" + page() + "/audit\""));
  EXPECT_EQ(b.get(page() + "/sites").status, 200);
  EXPECT_EQ(b.get(page() + "/contacts").status, 403);
  EXPECT_EQ(b.get(page() + "/audit").status, 403);
  EXPECT_EQ(b.get(page() + "/explain").status, 403);
  EXPECT_EQ(b.get(page() + "/view-as/" + std::to_string(mia)).status, 403);
  EXPECT_EQ(b.submit(page() + "/sites", {{"name", "Nope"}}).status, 403);
  EXPECT_EQ(b.get("/companies/999999/sites").status, 404);
}

TEST_F(ConsolePagesTest, TheAccessReviewAndExplainShowEachMember) {
  auto mia = member("mia@acme.example", "member");
  auto b = signIn("ada@acme.example");
  auto review = b.get(page());
  ASSERT_EQ(review.status, 200);
  auto members = review.body.substr(review.body.find("id=\"members\""));
  EXPECT_TRUE(contains(members, "mia@acme.example"));
  EXPECT_TRUE(contains(members, "<td>All</td>"));               // sites
  EXPECT_TRUE(contains(members, "<td>ada@acme.example</td>"));  // Mia's inviter
  EXPECT_TRUE(contains(members, "<mark>off</mark>"));           // Mia has no second factor yet
  EXPECT_TRUE(contains(members, "/explain?user_id=" + std::to_string(mia)));
  EXPECT_TRUE(contains(members, "/view-as/" + std::to_string(mia)));
  EXPECT_TRUE(contains(members, "/users/" + std::to_string(mia) + "/remove"));

  auto explain = b.get(page() + "/explain");
  ASSERT_EQ(explain.status, 200);
  EXPECT_TRUE(contains(explain.body, "<label for=\"explain-user\">"));
  explain = b.get(page() + "/explain?user_id=" + std::to_string(mia) +
                  "&permission=users.manage&site_id=");
  ASSERT_EQ(explain.status, 200);
  EXPECT_TRUE(contains(explain.body, "<strong>Membership</strong> — Member of Acme Widgets"));
  EXPECT_TRUE(contains(explain.body, "<strong>Role</strong> — Role preset Member"));
  EXPECT_TRUE(contains(explain.body, "✗"));
  EXPECT_TRUE(contains(explain.body, "No: not allowed."));
  explain = b.get(page() + "/explain?user_id=" + std::to_string(mia) + "&permission=invoices.view");
  EXPECT_TRUE(contains(explain.body, "✓"));
  EXPECT_TRUE(contains(explain.body, "Yes: allowed."));
  // In the reader's language, roles by their names.
  ASSERT_EQ(server
                .request("PATCH", "/api/v1/me", R"({"language":"sv"})",
                         {"Authorization: Bearer " + admin_token})
                .status,
            200);
  explain = b.get(page() + "/explain?user_id=" + std::to_string(mia) + "&permission=users.manage");
  EXPECT_TRUE(contains(explain.body, "Saknar behörigheten users.manage")) << mainOf(explain.body);
  EXPECT_TRUE(contains(explain.body, "Rollen Medlem"));
  ASSERT_EQ(server
                .request("PATCH", "/api/v1/me", R"({"language":"en"})",
                         {"Authorization: Bearer " + admin_token})
                .status,
            200);
  auto bad = b.get(page() + "/explain?user_id=" + std::to_string(mia) + "&permission=fly");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, "role=\"alert\""));
  EXPECT_EQ(b.get(page() + "/explain?user_id=999999").status, 400);

  // Staff disable Mia's login; the review marks it.
  auto staff = signIn("chief@vendor.example");
  staff.get("/staff/users?q=mia");
  auto ask = staff.submit("/staff/users/" + std::to_string(mia) + "/disable", {{"q", "mia"}});
  ASSERT_EQ(ask.status, 200);
  EXPECT_TRUE(
      contains(ask.body, "Mia Member (mia@acme.example) will no longer be able to sign in"));
  EXPECT_TRUE(contains(ask.body, "name=\"q\" value=\"mia\""));  // carried to the confirmation
  EXPECT_FALSE(contains(staff.get("/staff/users?q=mia").body, "<mark>disabled</mark>"));
  ASSERT_EQ(staff
                .submit("/staff/users/" + std::to_string(mia) + "/disable",
                        {{"q", "mia"}, {"confirmed", "1"}})
                .status,
            303);
  auto listed = staff.get("/staff/users?q=mia").body;
  EXPECT_TRUE(contains(listed, "<mark>disabled</mark>"));
  EXPECT_TRUE(contains(listed, "Mia Member can no longer sign in."));
  EXPECT_TRUE(contains(b.get(page()).body, "Login disabled"));
  EXPECT_EQ(staff.submit("/staff/users/" + std::to_string(mia) + "/enable").status, 303);
}

TEST_F(ConsolePagesTest, TheCompanyPageNamesOrganizationRolesAndShowsTheAgent) {
  ASSERT_EQ(server
                .post("/api/v1/staff/roles",
                      {{"key", "site_manager"},
                       {"name", "Site manager"},
                       {"permissions", {"devices.manage", "support.view"}}},
                      staff_token)
                .status,
            201);
  member("mia@acme.example", "site_manager");
  auto b = signIn("ada@acme.example");
  auto body = b.get(page()).body;
  auto members = body.substr(body.find("id=\"members\""));
  EXPECT_TRUE(contains(members, "<td>Site manager</td>")) << members;
  EXPECT_TRUE(contains(members, "<option value=\"site_manager\">Site manager</option>"));
  EXPECT_FALSE(contains(body, "id=\"agent\""));  // no agent yet

  auto agent = server.post("/api/v1/staff/agents", {{"name", "Facility Co"}}, staff_token);
  ASSERT_EQ(agent.status, 201) << agent.body;
  auto until = server.clock().now() + 30 * 86400;
  ASSERT_EQ(server
                .request("PUT", "/api/v1/staff/customers/" + std::to_string(company) + "/agent",
                         json{{"agent_id", agent.json()["id"]}, {"until", until}}.dump(),
                         {"Authorization: Bearer " + staff_token})
                .status,
            200);
  body = b.get(page()).body;
  auto from = body.find("id=\"agent\"");
  ASSERT_NE(from, std::string::npos);
  auto section = body.substr(from, body.find("</article>", from) - from);
  EXPECT_TRUE(contains(section, "<strong>Facility Co</strong>"));
  EXPECT_TRUE(contains(section, "The allocation ends on " + access::dateText(until)));
  EXPECT_TRUE(contains(section, "<li>View invoices</li>"));  // what it allows, not its id
  EXPECT_FALSE(contains(section, "invoices.view"));
  EXPECT_FALSE(contains(section, "<li>Invite users, change their rights, remove access</li>"));
  // A member who does not manage users does not see it.
  enrol("mia@acme.example");
  auto mia = signIn("mia@acme.example");
  EXPECT_FALSE(contains(mia.get(page()).body, "id=\"agent\""));
}

TEST_F(ConsolePagesTest, StaffInviteSomeoneWithoutALoginIntoAnAgent) {
  auto agent = server.post("/api/v1/staff/agents", {{"name", "Facility Co"}}, staff_token);
  ASSERT_EQ(agent.status, 201) << agent.body;
  auto path = "/staff/agents/" + std::to_string(agent.json()["id"].get<std::int64_t>());
  auto b = signIn("chief@vendor.example");
  b.get("/staff/agents");
  auto r = b.submit(path + "/invitations",
                    {{"email", "gil@fm.example"}, {"first_name", ""}, {"last_name", "Ghost"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "role=\"alert\""));
  ASSERT_EQ(b.submit(path + "/invitations",
                     {{"email", "gil@fm.example"}, {"first_name", "Gil"}, {"last_name", "Ghost"}})
                .status,
            303);
  EXPECT_TRUE(contains(b.get("/staff/agents").body, "Invited: <code>gil@fm.example</code>"));
  EXPECT_TRUE(contains(b.get("/staff/invitations").body, "gil@fm.example"));
  // The invitation page names the agent.
  auto page = server.get("/invitations/accept?token=" + server.mailedToken("/invitations/accept"));
  EXPECT_TRUE(contains(page.body, "<strong>Facility Co</strong>"));
}

TEST_F(ConsolePagesTest, ViewAsIsAReadOnlyPreviewWithoutForms) {
  auto mia = member("mia@acme.example", "member");
  auto b = signIn("ada@acme.example");
  auto preview = b.get(page() + "/view-as/" + std::to_string(mia));
  ASSERT_EQ(preview.status, 200);
  EXPECT_FALSE(contains(preview.body, "<form"));
  EXPECT_TRUE(contains(preview.body, "Preview as Mia Member (mia@acme.example)"));
  EXPECT_TRUE(contains(preview.body, "read-only"));
  EXPECT_TRUE(contains(preview.body, "<strong>Member</strong>"));
  EXPECT_TRUE(contains(preview.body, "<li>View invoices</li>"));
  EXPECT_FALSE(contains(preview.body, "<li>Invite users, change their rights, remove access</li>"));
  auto menu = preview.body.substr(preview.body.find("class=\"preview-menu\""));
  menu = menu.substr(0, menu.find("</ul>"));
  EXPECT_TRUE(contains(menu, "<li>Sites</li>"));
  EXPECT_FALSE(contains(menu, "Audit log"));
  EXPECT_EQ(b.get(page() + "/view-as/999999").status, 404);
}

TEST_F(ConsolePagesTest, TheCompanyAuditLogFiltersAndDownloadsCsv) {
  member("mia@acme.example", "member");
  auto b = signIn("ada@acme.example");
  auto audit = b.get(page() + "/audit?event=invitation.");
  ASSERT_EQ(audit.status, 200);
  EXPECT_TRUE(contains(audit.body, "<th scope=\"col\">Event</th>"));
  EXPECT_TRUE(contains(audit.body, "<option value=\"invitation.\" selected>Invitations</option>"));
  EXPECT_TRUE(contains(audit.body, "<td>Invitation sent</td>"));
  EXPECT_FALSE(contains(audit.body, "<td>Access granted</td>"));  // membership., filtered out
  EXPECT_TRUE(contains(audit.body, "href=\"" + page() + "/audit.csv?event=invitation."));
  auto csv = b.get(page() + "/audit.csv?event=invitation.");
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(csv.header("content-type").starts_with("text/csv"));
  EXPECT_TRUE(csv.body.starts_with("time,event,actor,subject,company,ip,detail\r\n"));
  EXPECT_TRUE(contains(csv.body, "mia@acme.example"));
  auto empty = b.get(page() + "/audit?from=2001-01-01&to=2001-01-02");
  EXPECT_EQ(empty.status, 200);
  EXPECT_TRUE(contains(empty.body, "No events match."));
  auto bad = b.get(page() + "/audit?to=tomorrow");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, "value=\"tomorrow\""));

  // The organization's log, for staff, with the same export.
  auto staff = signIn("chief@vendor.example");
  auto org = staff.get("/staff/audit?company=" + std::to_string(company));
  ASSERT_EQ(org.status, 200);
  EXPECT_TRUE(contains(org.body, "<td>Access granted</td>"));
  auto org_csv = staff.get("/staff/audit.csv?event=invitation.&company=" + std::to_string(company));
  ASSERT_EQ(org_csv.status, 200);
  EXPECT_TRUE(org_csv.header("content-type").starts_with("text/csv"));
  EXPECT_TRUE(contains(org_csv.body, "invitation."));
  EXPECT_TRUE(
      contains(staff.get("/staff/audit?actor=nobody@else.example").body, "No events match."));
}

// What the audit pages show people: events by their label and details as a short list, in the
// reader's language, with an event filter of labelled groups; the CSV keeps the codes.
TEST_F(ConsolePagesTest, TheAuditPagesShowLabelsAndReadableDetailsNotCodes) {
  auto mia = member("mia@acme.example", "member");
  ASSERT_EQ(server
                .request("PATCH", companyPath() + "/users/" + std::to_string(mia),
                         json{{"role", "administrator"}}.dump(),
                         {"Content-Type: application/json", "Authorization: Bearer " + admin_token})
                .status,
            200);
  auto noRawCodes = [](const std::string& page) {
    EXPECT_FALSE(contains(page, "membership.changed"));
    EXPECT_FALSE(contains(page, "membership.granted"));
    EXPECT_FALSE(contains(page, "old_role"));
    EXPECT_FALSE(contains(page, "{&quot;"));  // a JSON detail, HTML-escaped
    EXPECT_FALSE(contains(page, "<code>"));
    for (const char* raw_key :
         {"audit.event.", "audit.detail.", "audit.value.", "audit.group.", "audit.choice."}) {
      EXPECT_FALSE(contains(page, raw_key)) << raw_key;  // an untranslated key
    }
  };

  auto b = signIn("ada@acme.example");
  auto audit = b.get(page() + "/audit");
  ASSERT_EQ(audit.status, 200);
  auto shown = mainOf(audit.body);
  EXPECT_TRUE(contains(shown, "<th scope=\"col\">Event</th>"));
  EXPECT_TRUE(contains(shown, "<th scope=\"col\">Detail</th>"));
  EXPECT_TRUE(contains(shown, "<td>Access changed</td>"));
  EXPECT_TRUE(contains(shown, "Old role: Member · New role: Administrator · "));
  EXPECT_TRUE(contains(shown, "Old permissions: View products, services and devices, "));
  EXPECT_TRUE(contains(shown, "New permissions: Edit the company"));
  EXPECT_TRUE(contains(shown,
                       "View and manage contacts, Invite users, change their rights, remove "
                       "access, View products"));
  EXPECT_TRUE(contains(shown, "All sites: yes"));
  EXPECT_TRUE(contains(shown, "<td>Access granted</td>"));
  EXPECT_TRUE(contains(shown, "Role: Member · Invitation: "));
  EXPECT_TRUE(contains(shown, "Through: invitation"));
  EXPECT_TRUE(contains(shown, "<td>Signed in</td>"));
  EXPECT_TRUE(contains(shown, "Second factor: authenticator app"));
  noRawCodes(shown);
  // The filter: groups of labelled choices whose values are the prefixes it takes; a company's
  // log offers only the events it can hold.
  EXPECT_TRUE(contains(shown, "<select id=\"audit-event\" name=\"event\""));
  EXPECT_TRUE(contains(shown, "<option value=\"\" selected>All events</option>"));
  EXPECT_TRUE(contains(shown,
                       "<optgroup label=\"Access\"><option value=\"membership.\">"
                       "Access to the company</option>"));
  EXPECT_TRUE(contains(shown, "<option value=\"login.\">Sign-ins</option>"));
  EXPECT_FALSE(contains(shown, "value=\"password.\""));
  auto filtered = mainOf(b.get(page() + "/audit?event=membership.").body);
  EXPECT_TRUE(contains(filtered, "<option value=\"membership.\" selected>"));
  EXPECT_TRUE(contains(filtered, "<td>Access changed</td>"));
  EXPECT_FALSE(contains(filtered, "<td>Signed in</td>"));
  // An older link naming one event keeps it as the filter's choice, by its label.
  auto one = mainOf(b.get(page() + "/audit?event=membership.changed").body);
  EXPECT_TRUE(
      contains(one, "<option value=\"membership.changed\" selected>Access changed</option>"));
  EXPECT_FALSE(contains(one, "<td>Access granted</td>"));
  // The CSV export is for machines: codes and the JSON detail.
  auto csv = b.get(page() + "/audit.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(contains(csv.body, "\"membership.changed\""));
  EXPECT_TRUE(contains(csv.body, "\"{\"\"all_sites\"\":true,"));

  // In Swedish once Ada chooses it.
  ASSERT_EQ(server
                .request("PATCH", "/api/v1/me", json{{"language", "sv"}}.dump(),
                         {"Content-Type: application/json", "Authorization: Bearer " + admin_token})
                .status,
            200);
  shown = mainOf(b.get(page() + "/audit").body);
  EXPECT_TRUE(contains(shown, "<th scope=\"col\">Händelse</th>"));
  EXPECT_TRUE(contains(shown, "<th scope=\"col\">Detaljer</th>"));
  EXPECT_TRUE(contains(shown, "<td>Åtkomst ändrad</td>"));
  EXPECT_TRUE(contains(shown, "Tidigare roll: Medlem · Ny roll: Administratör · "));
  EXPECT_TRUE(contains(shown, "Tidigare behörigheter: Se produkter, tjänster och enheter, "));
  EXPECT_TRUE(contains(shown,
                       "Nya behörigheter: Redigera företagets grunduppgifter, Se och "
                       "hantera kontakter, Bjuda in användare"));
  EXPECT_TRUE(contains(shown, "Alla platser: ja"));
  EXPECT_TRUE(contains(shown, "Genom: inbjudan"));
  EXPECT_TRUE(contains(shown, "<option value=\"\" selected>Alla händelser</option>"));
  EXPECT_TRUE(contains(shown,
                       "<optgroup label=\"Åtkomst\"><option value=\"membership.\">"
                       "Åtkomst till företaget</option>"));
  EXPECT_FALSE(contains(shown, "Access changed"));
  noRawCodes(shown);

  // The organization's log for staff: the same rows, and every group of events.
  auto staff = signIn("chief@vendor.example");
  auto org = staff.get("/staff/audit?company=" + std::to_string(company));
  ASSERT_EQ(org.status, 200);
  shown = mainOf(org.body);
  EXPECT_TRUE(contains(shown, "<td>Access changed</td>"));
  EXPECT_TRUE(contains(shown, "Old role: Member · New role: Administrator · "));
  EXPECT_TRUE(contains(shown, "<td>Company created by the integration</td>"));
  EXPECT_TRUE(contains(shown, "External id: C-1"));
  // Companies by name, linked to their console page, not as numbers.
  EXPECT_TRUE(contains(
      shown, "<a href=\"/staff/customers/" + std::to_string(company) + "\">Acme Widgets</a>"));
  EXPECT_FALSE(contains(shown, "\">" + std::to_string(company) + "</a>"));
  EXPECT_TRUE(contains(shown, "<option value=\"password.\">Passwords</option>"));
  EXPECT_TRUE(contains(shown, "<option value=\"logout\">Sign-outs</option>"));
  noRawCodes(shown);
  EXPECT_FALSE(contains(shown, "company.created"));
  auto signins = mainOf(staff.get("/staff/audit?event=login.").body);
  EXPECT_TRUE(contains(signins, "<option value=\"login.\" selected>Sign-ins</option>"));
  EXPECT_TRUE(contains(signins, "<td>Signed in</td>"));
  EXPECT_TRUE(contains(signins, "<td>Password accepted, second factor next</td>"));
  EXPECT_TRUE(contains(signins, "Second factor: still to be entered"));
  EXPECT_FALSE(contains(signins, "login.succeeded"));
  EXPECT_FALSE(contains(signins, "login.password_ok"));

  // In German once the staff administrator chooses it.
  ASSERT_EQ(server
                .request("PATCH", "/api/v1/me", json{{"language", "de"}}.dump(),
                         {"Content-Type: application/json", "Authorization: Bearer " + staff_token})
                .status,
            200);
  shown = mainOf(staff.get("/staff/audit?company=" + std::to_string(company)).body);
  EXPECT_TRUE(contains(shown, "<th scope=\"col\">Ereignis</th>"));
  EXPECT_TRUE(contains(shown, "<th scope=\"col\">Details</th>"));
  EXPECT_TRUE(contains(shown, "<td>Zugang geändert</td>"));
  EXPECT_TRUE(contains(shown, "Bisherige Rolle: Mitglied · Neue Rolle: Administrator · "));
  EXPECT_TRUE(contains(shown, "Bisherige Berechtigungen: Produkte, Dienste und Geräte ansehen, "));
  EXPECT_TRUE(contains(shown,
                       "Neue Berechtigungen: Stammdaten des Unternehmens bearbeiten, "
                       "Kontakte ansehen und verwalten, "));
  EXPECT_TRUE(contains(shown, "Alle Standorte: ja"));
  EXPECT_TRUE(contains(shown, "<option value=\"password.\">Passwörter</option>"));
  EXPECT_FALSE(contains(shown, "Access changed"));
  noRawCodes(shown);
}

TEST_F(ConsolePagesTest, AgentsDepartmentsPersonnelAndInvitations) {
  auto b = signIn("chief@vendor.example");
  b.get("/staff/departments");
  ASSERT_EQ(b.submit("/staff/departments", {{"name", "North"}}).status, 303);
  auto departments = b.get("/staff/departments");
  EXPECT_TRUE(contains(departments.body, "North"));
  EXPECT_EQ(b.submit("/staff/departments", {{"name", "North"}}).status, 409);

  EXPECT_TRUE(contains(b.get("/staff/agents").body, "No agents yet."));
  ASSERT_EQ(b.submit("/staff/agents", {{"name", "Facility Partners"}}).status, 303);
  auto agents = b.get("/staff/agents");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(agents.body, m, std::regex("/staff/agents/([0-9]+)/users")));
  auto agent = m[1].str();
  ASSERT_EQ(b.submit("/staff/agents/" + agent + "/users", {{"email", "ada@acme.example"}}).status,
            303);
  auto r = b.submit("/staff/agents/" + agent + "/users", {{"email", "ghost@nowhere.example"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "value=\"ghost@nowhere.example\""));

  // Allocate the customer to the agent until a day, then free it.
  auto customer = "/staff/customers/" + std::to_string(company);
  b.get(customer);
  r = b.submit(customer + "/agent", {{"agent_id", agent}, {"until", "2001-01-01"}});
  EXPECT_EQ(r.status, 400);  // in the past
  EXPECT_TRUE(contains(r.body, "value=\"2001-01-01\""));
  r = b.submit(customer + "/agent", {{"agent_id", agent}, {"until", "2099-12-31"}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto page_after = b.get(customer);
  EXPECT_TRUE(contains(page_after.body,
                       "Allocated to <strong>Facility Partners</strong> until "
                       "2099-12-31"));
  auto api = server.get("/api/v1/staff/customers/" + std::to_string(company), staff_token).json();
  EXPECT_EQ(api["agent"]["until"], 4102444799);  // 2099-12-31 23:59:59 UTC
  EXPECT_TRUE(contains(b.get("/staff/agents").body, "<li>Acme Widgets</li>"));
  auto ask_end = b.submit(customer + "/agent/remove");
  EXPECT_TRUE(contains(ask_end.body, "will no longer see the records of Acme Widgets."))
      << mainOf(ask_end.body);
  EXPECT_TRUE(contains(b.get(customer).body, "Facility Partners"));  // not yet
  ASSERT_EQ(b.submit(customer + "/agent/remove", {{"confirmed", "1"}}).status, 303);
  EXPECT_TRUE(contains(b.get(customer).body, "No agent."));
  EXPECT_TRUE(contains(
      b.submit("/staff/agents/" + agent + "/users/remove", {{"email", "ada@acme.example"}}).body,
      "name=\"email\" value=\"ada@acme.example\""));
  ASSERT_EQ(b.submit("/staff/agents/" + agent + "/users/remove",
                     {{"email", "ada@acme.example"}, {"confirmed", "1"}})
                .status,
            303);
  EXPECT_TRUE(contains(b.get("/staff/agents").body, "No people yet."));

  EXPECT_TRUE(contains(b.get("/staff/personnel").body, "No personnel yet."));
  r = b.submit("/staff/personnel", {{"name", "Tove Tekniker"},
                                    {"title", "Technician"},
                                    {"phone", ""},
                                    {"email", "ada@acme.example"}});  // not staff
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "value=\"Tove Tekniker\""));
  ASSERT_EQ(b.submit("/staff/personnel", {{"name", "Tove Tekniker"},
                                          {"title", "Technician"},
                                          {"phone", ""},
                                          {"email", "chief@vendor.example"}})
                .status,
            303);
  auto personnel = b.get("/staff/personnel");
  EXPECT_TRUE(contains(personnel.body, "<td>chief@vendor.example</td>"));
  ASSERT_TRUE(std::regex_search(personnel.body, m, std::regex("/staff/personnel/([0-9]+)/delete")));
  EXPECT_TRUE(contains(b.submit("/staff/personnel/" + m[1].str() + "/delete").body,
                       "The personnel record of Tove Tekniker will be deleted for good."));
  EXPECT_EQ(b.submit("/staff/personnel/" + m[1].str() + "/delete", {{"confirmed", "1"}}).status,
            303);
  EXPECT_TRUE(contains(b.get("/staff/personnel").body,
                       "The personnel record of Tove Tekniker has been deleted."));

  // A staff invitation, listed on the organization side, deleted with its warning shown.
  EXPECT_TRUE(contains(b.get("/staff/invitations").body, "No invitations yet."));
  ASSERT_EQ(server
                .post("/api/v1/invitations",
                      {{"email", "sam@acme.example"},
                       {"first_name", "Sam"},
                       {"last_name", "Staffed"},
                       {"companies", {{{"company_id", company}, {"role", "user"}}}}},
                      staff_token)
                .status,
            201);
  auto invitations = b.get("/staff/invitations");
  EXPECT_TRUE(contains(invitations.body, "sam@acme.example"));
  EXPECT_TRUE(contains(invitations.body, "removes that person from all of the organization"));
  ASSERT_TRUE(
      std::regex_search(invitations.body, m, std::regex("/staff/invitations/([0-9]+)/delete")));
  auto ask = b.submit("/staff/invitations/" + m[1].str() + "/delete");
  EXPECT_TRUE(contains(ask.body, "The invitation to sam@acme.example will be deleted."));
  EXPECT_TRUE(contains(b.get("/staff/invitations").body, "sam@acme.example"));  // still there
  ASSERT_EQ(b.submit("/staff/invitations/" + m[1].str() + "/delete", {{"confirmed", "1"}}).status,
            303);
  invitations = b.get("/staff/invitations");
  EXPECT_TRUE(contains(invitations.body, "No invitations yet."));
  EXPECT_TRUE(contains(invitations.body, "The invitation to sam@acme.example has been deleted."));
}

TEST_F(ConsolePagesTest, StaffCreateARoleWithChosenPermissionsAndEditIt) {
  auto b = signIn("chief@vendor.example");
  EXPECT_TRUE(contains(b.get("/staff").body, "href=\"/staff/roles\""));
  auto list = b.get("/staff/roles");
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(contains(list.body, "No roles of your own yet."));
  // Each permission is a checkbox labelled with what it allows; its id only names the field.
  EXPECT_TRUE(contains(list.body,
                       "<input type=\"checkbox\" "
                       "name=\"permission.invoices.view\" value=\"on\"> View invoices</label>"));
  EXPECT_FALSE(contains(list.body, "> invoices.view"));

  auto r = b.submit("/staff/roles", {{"name", "Accounts payable"},
                                     {"key", "accounts_payable"},
                                     {"permission.invoices.view", "on"},
                                     {"permission.invoices.pay", "on"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/staff/roles?saved=1");
  list = b.get("/staff/roles?saved=1");
  auto table = mainOf(list.body);
  EXPECT_TRUE(contains(table, "Saved."));
  EXPECT_TRUE(contains(table, "<th scope=\"row\">Accounts payable</th>"));
  EXPECT_TRUE(contains(table, "<code>accounts_payable</code>"));
  EXPECT_TRUE(contains(table, "<li>View invoices</li><li>Pay invoices</li>"));
  EXPECT_TRUE(contains(table, "href=\"/staff/roles/accounts_payable\""));
  auto api = server.get("/api/v1/staff/roles", staff_token).json()["items"];
  ASSERT_EQ(api.size(), 1u);
  EXPECT_EQ(api[0]["name"], "Accounts payable");
  EXPECT_EQ(api[0]["permissions"], json::array({"invoices.view", "invoices.pay"}));

  // The edit form starts from the role as it is.
  auto edit = b.get("/staff/roles/accounts_payable");
  ASSERT_EQ(edit.status, 200);
  EXPECT_TRUE(contains(edit.body, "value=\"Accounts payable\""));
  EXPECT_TRUE(contains(edit.body, "name=\"permission.invoices.pay\" value=\"on\" checked>"));
  EXPECT_TRUE(contains(edit.body, "name=\"permission.quotes.view\" value=\"on\"> View quotes"));
  r = b.submit(
      "/staff/roles/accounts_payable",
      {{"name", "Accounts"}, {"permission.invoices.view", "on"}, {"permission.quotes.view", "on"}});
  ASSERT_EQ(r.status, 303) << r.body;
  api = server.get("/api/v1/staff/roles", staff_token).json()["items"];
  ASSERT_EQ(api.size(), 1u);
  EXPECT_EQ(api[0]["key"], "accounts_payable");
  EXPECT_EQ(api[0]["name"], "Accounts");
  EXPECT_EQ(api[0]["permissions"], json::array({"invoices.view", "quotes.view"}));
  table = mainOf(b.get("/staff/roles").body);
  EXPECT_TRUE(contains(table, "<li>View invoices</li><li>View quotes</li>"));
  EXPECT_FALSE(contains(table, "<li>Pay invoices</li>"));
  EXPECT_EQ(b.get("/staff/roles/no_such_role").status, 404);

  // A reader who chose Swedish reads what the permissions allow in Swedish.
  ASSERT_EQ(server
                .request("PATCH", "/api/v1/me", R"({"language":"sv"})",
                         {"Content-Type: application/json", "Authorization: Bearer " + staff_token})
                .status,
            200);
  table = mainOf(b.get("/staff/roles").body);
  EXPECT_TRUE(contains(table, "<li>Se fakturor</li><li>Se offerter</li>")) << table;
  EXPECT_TRUE(
      contains(table, "name=\"permission.invoices.view\" value=\"on\"> Se fakturor</label>"));
}

TEST_F(ConsolePagesTest, TheRoleFormsRefuseAnEmptyNameOrNoPermissionAndChangeNothing) {
  auto b = signIn("chief@vendor.example");
  b.get("/staff/roles");
  auto r = b.submit("/staff/roles",
                    {{"name", "  "}, {"key", "auditors"}, {"permission.emails.view", "on"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "role=\"alert\">&apos;name&apos; must be given"));
  EXPECT_TRUE(contains(r.body,
                       "name=\"name\" required maxlength=\"100\" value=\"  \" "
                       "aria-invalid=\"true\""));
  EXPECT_TRUE(contains(r.body, "value=\"auditors\""));
  EXPECT_TRUE(contains(r.body, "name=\"permission.emails.view\" value=\"on\" checked>"));
  r = b.submit("/staff/roles", {{"name", "Auditors"}, {"key", "auditors"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "role=\"alert\">Choose at least one permission<"));
  EXPECT_TRUE(contains(r.body, "value=\"Auditors\""));
  EXPECT_TRUE(contains(r.body, "value=\"auditors\""));
  r = b.submit("/staff/roles",
               {{"name", "Auditors"}, {"key", "Not A Key"}, {"permission.emails.view", "on"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body,
                       "value=\"Not A Key\" aria-describedby=\"role-key-help\" "
                       "aria-invalid=\"true\""));
  EXPECT_TRUE(server.get("/api/v1/staff/roles", staff_token).json()["items"].empty());

  ASSERT_EQ(b.submit("/staff/roles",
                     {{"name", "Auditors"}, {"key", "auditors"}, {"permission.emails.view", "on"}})
                .status,
            303);
  r = b.submit("/staff/roles",
               {{"name", "Copy"}, {"key", "auditors"}, {"permission.emails.view", "on"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(contains(r.body, "There is a role &apos;auditors&apos; already"));
  // Editing: the same refusals, the posted values kept, the role as it was.
  b.get("/staff/roles/auditors");
  r = b.submit("/staff/roles/auditors", {{"name", "Auditors and more"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "Choose at least one permission"));
  EXPECT_TRUE(contains(r.body, "value=\"Auditors and more\""));
  EXPECT_TRUE(
      contains(r.body, "name=\"permission.emails.view\" value=\"on\">"));  // unchecked, as posted
  r = b.submit("/staff/roles/auditors", {{"name", ""}, {"permission.invoices.view", "on"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "name=\"permission.invoices.view\" value=\"on\" checked>"));
  r = b.submit("/staff/roles/auditors", {{"name", "X"}, {"permission.no.such", "on"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "Unknown permission"));
  auto api = server.get("/api/v1/staff/roles", staff_token).json()["items"];
  ASSERT_EQ(api.size(), 1u);
  EXPECT_EQ(api[0]["name"], "Auditors");
  EXPECT_EQ(api[0]["permissions"], json::array({"emails.view"}));
  EXPECT_EQ(b.submit("/staff/roles/no_such_role", {{"name", "X"}, {"permission.emails.view", "on"}})
                .status,
            404);
}

TEST_F(ConsolePagesTest, OnlyStaffAdministratorsManageTheOrganizationsRoles) {
  ASSERT_EQ(server
                .post("/api/v1/staff/roles",
                      {{"key", "auditors"}, {"name", "Auditors"}, {"permissions", {"emails.view"}}},
                      staff_token)
                .status,
            201);
  setStaffRole("chief@vendor.example", "support");
  auto b = signIn("chief@vendor.example");
  EXPECT_EQ(b.get("/staff/roles").status, 403);
  EXPECT_EQ(b.get("/staff/roles/auditors").status, 403);
  b.get("/account");
  EXPECT_EQ(b.submit("/staff/roles",
                     {{"name", "Sneaky"}, {"key", "sneaky"}, {"permission.users.manage", "on"}})
                .status,
            403);
  EXPECT_EQ(
      b.submit("/staff/roles/auditors", {{"name", "Auditors"}, {"permission.users.manage", "on"}})
          .status,
      403);
  // A portal user gets the same answer.
  auto ada = signIn("ada@acme.example");
  EXPECT_EQ(ada.get("/staff/roles").status, 403);
  EXPECT_EQ(ada.get("/staff/roles/auditors").status, 403);
  setStaffRole("chief@vendor.example", "admin");
  auto api = server.get("/api/v1/staff/roles", staff_token).json()["items"];
  ASSERT_EQ(api.size(), 1u);
  EXPECT_EQ(api[0]["name"], "Auditors");
  EXPECT_EQ(api[0]["permissions"], json::array({"emails.view"}));
  // A role applies in every customer company: a department administrator or a content creator,
  // who reach only some customers or manage users only, may not change one.
  for (const char* role : {"department_admin", "content_creator"}) {
    setStaffRole("chief@vendor.example", role);
    auto other = signIn("chief@vendor.example");
    EXPECT_FALSE(contains(other.get("/staff").body, "href=\"/staff/roles\"")) << role;
    EXPECT_EQ(other.get("/staff/roles").status, 403) << role;
    other.get("/account");
    EXPECT_EQ(other
                  .submit("/staff/roles/auditors",
                          {{"name", "Auditors"}, {"permission.users.manage", "on"}})
                  .status,
              403)
        << role;
    EXPECT_EQ(
        server
            .request("PUT", "/api/v1/staff/roles/auditors",
                     R"({"name":"Auditors","permissions":["users.manage"]})",
                     {"Content-Type: application/json", "Authorization: Bearer " + staff_token})
            .status,
        403)
        << role;
  }
  setStaffRole("chief@vendor.example", "admin");
  EXPECT_EQ(server.get("/api/v1/staff/roles", staff_token).json()["items"][0]["permissions"],
            json::array({"emails.view"}));
  auto admin = signIn("chief@vendor.example");
  EXPECT_TRUE(contains(admin.get("/staff").body, "href=\"/staff/roles\""));
  EXPECT_EQ(admin.get("/staff/roles").status, 200);
}

TEST_F(ConsolePagesTest, StaffMakeSomeoneADepartmentAdministratorAndUndoIt) {
  auto b = signIn("chief@vendor.example");
  b.get("/staff/departments");
  EXPECT_TRUE(contains(b.get("/staff/departments").body,
                       "No staff member has the department administrator role."));
  ASSERT_EQ(b.submit("/staff/departments", {{"name", "North"}}).status, 303);
  ASSERT_EQ(b.submit("/staff/departments", {{"name", "South"}}).status, 303);
  std::map<std::string, std::string> ids;
  auto listed = server.get("/api/v1/staff/departments", staff_token).json();
  for (const auto& d : listed["items"]) {
    ids[d["name"].get<std::string>()] = std::to_string(d["id"].get<std::int64_t>());
  }
  ASSERT_EQ(ids.size(), 2u) << listed.dump();
  ASSERT_EQ(server
                .request("PATCH", "/api/v1/staff/customers/" + std::to_string(company),
                         json{{"department_id", std::stoll(ids["North"])}}.dump(),
                         {"Authorization: Bearer " + staff_token})
                .status,
            200);
  auto dana =
      server.staffMember("Org of chief@vendor.example", "dana@vendor.example", "department_admin");
  auto dana_id = server.get("/api/v1/me", dana).json()["user"]["id"].get<std::int64_t>();
  auto customers = [&] {
    return server.get("/api/v1/staff/customers", dana).json()["items"].size();
  };
  EXPECT_EQ(customers(), 0u);

  auto form = "/staff/department-admins/" + std::to_string(dana_id);
  auto page_now = mainOf(b.get("/staff/departments").body);
  EXPECT_TRUE(contains(page_now, "dana@vendor.example"));
  EXPECT_TRUE(contains(page_now, "No departments yet: sees no customers."));
  EXPECT_TRUE(contains(page_now, "action=\"" + form + "\""));
  EXPECT_TRUE(
      contains(page_now, "name=\"department." + ids["North"] + "\" value=\"on\"> North</label>"));

  // Make her the administrator of both departments.
  auto r =
      b.submit(form, {{"department." + ids["North"], "on"}, {"department." + ids["South"], "on"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/staff/departments?saved=1");
  page_now = mainOf(b.get("/staff/departments?saved=1").body);
  EXPECT_TRUE(contains(page_now, "Saved."));
  EXPECT_TRUE(contains(
      page_now, "name=\"department." + ids["North"] + "\" value=\"on\" checked> North</label>"));
  EXPECT_TRUE(contains(
      page_now, "name=\"department." + ids["South"] + "\" value=\"on\" checked> South</label>"));
  EXPECT_TRUE(contains(page_now, "<th scope=\"row\">North</th><td>1</td><td><ul><li>Test User"));
  EXPECT_TRUE(contains(page_now, "Remove from all departments"));
  EXPECT_EQ(customers(), 1u);  // Acme Widgets, in North
  auto events = server.get("/api/v1/staff/audit?event=staff.departments_changed", staff_token);
  EXPECT_EQ(events.json()["items"].size(), 1u) << events.body;

  // Only South: she no longer reaches the customer in North.
  ASSERT_EQ(b.submit(form, {{"department." + ids["South"], "on"}}).status, 303);
  EXPECT_EQ(customers(), 0u);
  ASSERT_EQ(b.submit(form, {{"department." + ids["North"], "on"}}).status, 303);
  EXPECT_EQ(customers(), 1u);
  // Undo: no departments at all.
  ASSERT_EQ(b.submit(form, {{"clear", "1"}, {"department." + ids["North"], "on"}}).status, 303);
  EXPECT_EQ(customers(), 0u);
  page_now = mainOf(b.get("/staff/departments").body);
  EXPECT_TRUE(contains(page_now, "No departments yet: sees no customers."));
  EXPECT_TRUE(contains(page_now,
                       "<th scope=\"row\">North</th><td>1</td><td><span class=\"muted\">"
                       "none</span>"));

  // Refused: another department's id, staff of another role, a login that is not staff.
  r = b.submit(form, {{"department.999999", "on"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "role=\"alert\""));
  EXPECT_TRUE(
      contains(r.body, "name=\"department." + ids["North"] + "\" value=\"on\"> North</label>"));
  r = b.submit(form, {{"department.north", "on"}});
  EXPECT_EQ(r.status, 400);
  auto chief_id = server.get("/api/v1/me", staff_token).json()["user"]["id"].get<std::int64_t>();
  r = b.submit("/staff/department-admins/" + std::to_string(chief_id),
               {{"department." + ids["North"], "on"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "Only a department administrator has departments"));
  auto ada_id = server.get("/api/v1/me", admin_token).json()["user"]["id"].get<std::int64_t>();
  EXPECT_EQ(b.submit("/staff/department-admins/" + std::to_string(ada_id),
                     {{"department." + ids["North"], "on"}})
                .status,
            404);
  EXPECT_EQ(customers(), 0u);

  // A department administrator may not choose departments, neither her own nor anyone's.
  setStaffRole("chief@vendor.example", "department_admin");
  auto lesser = signIn("chief@vendor.example");
  EXPECT_EQ(lesser.get("/staff/departments").status, 403);
  lesser.get("/account");
  EXPECT_EQ(lesser.submit(form, {{"department." + ids["North"], "on"}}).status, 403);
  EXPECT_EQ(customers(), 0u);
}

TEST_F(ConsolePagesTest, TheCompanyPageRemovesOnlyMembersWithinTheCallersRights) {
  // Lee manages users and contacts, nothing else.
  auto lee = member("lee@acme.example", "administrator");
  ASSERT_EQ(server
                .request("PATCH", companyPath() + "/users/" + std::to_string(lee),
                         R"({"permissions":["users.manage","contacts.manage"]})",
                         {"Content-Type: application/json", "Authorization: Bearer " + admin_token})
                .status,
            200);
  enrol("lee@acme.example");
  auto ada = server.get("/api/v1/me", admin_token).json()["user"]["id"].get<std::int64_t>();
  auto b = signIn("lee@acme.example");
  b.get(page());
  auto r = b.submit(page() + "/users/" + std::to_string(ada) + "/remove");
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(contains(r.body, "do not hold yourself")) << mainOf(r.body);
  EXPECT_EQ(server.get(companyPath(), admin_token).status, 200);  // Ada is still a member
  // Ada removes Lee; then she is the last who manages users and cannot remove herself.
  auto a = signIn("ada@acme.example");
  a.get(page());
  r = a.submit(page() + "/users/" + std::to_string(lee) + "/remove");  // asks first
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "<h1>Remove access?</h1>"));
  EXPECT_TRUE(contains(r.body, "will no longer have access to Acme Widgets"));
  EXPECT_EQ(
      a.submit(page() + "/users/" + std::to_string(lee) + "/remove", {{"confirmed", "1"}}).status,
      303);
  EXPECT_TRUE(contains(a.get(page()).body, "no longer has access to Acme Widgets."));
  // What would be refused is refused at once, not after a confirmation.
  r = a.submit(page() + "/users/" + std::to_string(ada) + "/remove");
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(contains(r.body, "last member who manages users")) << mainOf(r.body);
  EXPECT_EQ(server.get(companyPath(), admin_token).status, 200);
}

TEST_F(ConsolePagesTest, TheMemberPageChangesRoleChosenPermissionsAndSites) {
  auto mia = member("mia@acme.example", "member");
  auto north = server.post(companyPath() + "/sites", {{"name", "North"}}, admin_token)
                   .json()["id"]
                   .get<std::int64_t>();
  server.post(companyPath() + "/sites", {{"name", "South"}}, admin_token);
  auto b = signIn("ada@acme.example");
  auto user_page = page() + "/users/" + std::to_string(mia);
  EXPECT_TRUE(contains(b.get(page()).body, "href=\"" + user_page + "\""));
  auto form = b.get(user_page);
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(contains(form.body, "<strong>Member</strong>"));
  EXPECT_TRUE(contains(form.body, "value=\"member\" checked"));
  EXPECT_TRUE(
      contains(form.body, "name=\"permission.invoices.view\" value=\"1\" checked> View invoices"));
  EXPECT_TRUE(contains(form.body, "value=\"all\" checked"));

  auto rightsOf = [&] {
    auto users = server.get(companyPath() + "/users", admin_token).json();
    for (const auto& u : users["items"]) {
      if (u["id"] == mia) return u;
    }
    return json();
  };
  auto before = rightsOf();

  // Bad input is refused in place, with what was chosen kept, and changes nothing.
  auto r = b.submit(user_page, {{"role", "custom"}, {"sites", "all"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "Choose at least one permission"));
  r = b.submit(user_page,
               {{"role", "custom"}, {"permission.support.view", "1"}, {"sites", "some"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "Choose at least one site, or all sites"));
  EXPECT_TRUE(contains(r.body, "name=\"permission.support.view\" value=\"1\" checked"));
  EXPECT_TRUE(contains(r.body, "value=\"custom\" checked"));
  r = b.submit(user_page, {{"role", "pilot"}, {"sites", "all"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(rightsOf(), before);

  // Chosen permissions at one site.
  r = b.submit(user_page, {{"role", "custom"},
                           {"permission.support.view", "1"},
                           {"permission.support.open", "1"},
                           {"sites", "some"},
                           {"site." + std::to_string(north), "1"}});
  ASSERT_EQ(r.status, 303) << mainOf(r.body);
  EXPECT_TRUE(
      contains(b.get(page()).body, "The access of Mia Member to Acme Widgets has been changed."));
  auto after = rightsOf();
  EXPECT_EQ(after["role"], "custom");
  EXPECT_EQ(after["permissions"], json({"support.view", "support.open"}));
  EXPECT_EQ(after["sites"], json({north}));
  // A preset again, at every site.
  ASSERT_EQ(b.submit(user_page, {{"role", "read_only"}, {"sites", "all"}}).status, 303);
  EXPECT_EQ(rightsOf()["role"], "read_only");
  EXPECT_EQ(rightsOf()["sites"], "all");

  // Lee manages users and holds what Mia holds, but not invoices.pay: he is offered only what he
  // holds, and cannot touch Ada, who outranks him.
  auto lee = member("lee@acme.example", "administrator");
  auto lee_permissions = rightsOf()["permissions"];
  lee_permissions.push_back("users.manage");
  lee_permissions.push_back("support.open");
  ASSERT_EQ(server
                .request("PATCH", companyPath() + "/users/" + std::to_string(lee),
                         json{{"permissions", lee_permissions}}.dump(),
                         {"Content-Type: application/json", "Authorization: Bearer " + admin_token})
                .status,
            200);
  enrol("lee@acme.example");
  auto l = signIn("lee@acme.example");
  auto offered = l.get(user_page).body;
  EXPECT_TRUE(contains(offered, "name=\"permission.support.open\""));
  EXPECT_FALSE(contains(offered, "name=\"permission.invoices.pay\""));
  EXPECT_FALSE(contains(offered, "value=\"administrator\""));
  EXPECT_EQ(
      l.submit(user_page, {{"role", "custom"}, {"permission.invoices.pay", "1"}, {"sites", "all"}})
          .status,
      403);
  auto ada = server.get("/api/v1/me", admin_token).json()["user"]["id"].get<std::int64_t>();
  auto ada_page = l.get(page() + "/users/" + std::to_string(ada));
  EXPECT_TRUE(contains(ada_page.body, "holds permissions that you do not hold yourself"));
  EXPECT_FALSE(contains(mainOf(ada_page.body), "<form method=\"post\""));
  EXPECT_EQ(l.submit(page() + "/users/" + std::to_string(ada), {{"role", "member"}}).status, 403);

  // Without users.manage the page is refused; a user who is no member is not found.
  enrol("mia@acme.example");
  auto m = signIn("mia@acme.example");
  EXPECT_EQ(m.get(user_page).status, 403);
  EXPECT_EQ(b.get(page() + "/users/999999").status, 404);
}

TEST_F(ConsolePagesTest, OnlyThoseWhoManageUsersAreAskedToRevokeAnInvitation) {
  auto r = server.post("/api/v1/invitations",
                       {{"email", "secret.person@else.example"},
                        {"first_name", "Sam"},
                        {"last_name", "Secret"},
                        {"companies", {{{"company_id", company}, {"role", "member"}}}}},
                       admin_token);
  ASSERT_EQ(r.status, 201) << r.body;
  auto invitation = std::to_string(r.json()["id"].get<std::int64_t>());
  member("mia@acme.example", "read_only");
  enrol("mia@acme.example");
  auto mia = signIn("mia@acme.example");
  mia.get(page());
  auto refused = mia.submit(page() + "/invitations/" + invitation + "/revoke");
  EXPECT_EQ(refused.status, 404);
  EXPECT_FALSE(contains(refused.body, "secret.person@else.example"));  // no name is shown
  auto ada = signIn("ada@acme.example");
  ada.get(page());
  auto ask = ada.submit(page() + "/invitations/" + invitation + "/revoke");
  EXPECT_EQ(ask.status, 200);
  EXPECT_TRUE(contains(ask.body, "The invitation to secret.person@else.example will stop working"));
}

TEST_F(ConsolePagesTest, ASiteScopedAdministratorSeesOnlyTheirSitesMembersAndAddsNoSite) {
  auto addSite = [&](const std::string& name) {
    auto r = server.post(companyPath() + "/sites", {{"name", name}}, admin_token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"].get<std::int64_t>();
  };
  auto north = addSite("North"), south = addSite("South");
  auto sam = member("sam@acme.example", "administrator");
  auto nora = member("nora@acme.example", "member");
  auto sid = member("sid@acme.example", "member");
  for (auto [user, where] :
       {std::pair{sam, north}, std::pair{nora, north}, std::pair{sid, south}}) {
    ASSERT_EQ(
        server
            .request("PATCH", companyPath() + "/users/" + std::to_string(user),
                     json{{"sites", {where}}}.dump(),
                     {"Content-Type: application/json", "Authorization: Bearer " + admin_token})
            .status,
        200);
  }
  enrol("sam@acme.example");
  auto ada = server.get("/api/v1/me", admin_token).json()["user"]["id"].get<std::int64_t>();
  auto b = signIn("sam@acme.example");
  auto review = b.get(page());
  ASSERT_EQ(review.status, 200);
  auto members = review.body.substr(review.body.find("id=\"members\""));
  EXPECT_TRUE(contains(members, "nora@acme.example"));
  EXPECT_TRUE(contains(members, "/explain?user_id=" + std::to_string(nora) + "\""));
  EXPECT_FALSE(contains(members, "sid@acme.example"));
  EXPECT_FALSE(contains(members, "/explain?user_id=" + std::to_string(ada) + "\""));
  // Nor do explain and "view as" show them.
  EXPECT_EQ(b.get(page() + "/explain?user_id=" + std::to_string(sid)).status, 400);
  EXPECT_EQ(b.get(page() + "/view-as/" + std::to_string(sid)).status, 404);
  EXPECT_EQ(b.get(page() + "/explain?user_id=" + std::to_string(nora) +
                  "&site_id=" + std::to_string(south))
                .status,
            404);
  // No site to add: the form is not offered, and posting it is refused.
  auto sites = b.get(page() + "/sites");
  ASSERT_EQ(sites.status, 200);
  EXPECT_FALSE(contains(sites.body, "action=\"" + page() + "/sites\""));
  auto r = b.submit(page() + "/sites", {{"name", "East"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(server.get(companyPath() + "/sites", admin_token).json()["items"].size(), 2u);
}

TEST_F(ConsolePagesTest, TheInviteFormStartsAtMemberInTheInvitersLanguageAndRefusesMembers) {
  member("mia@acme.example", "member");
  ASSERT_EQ(server
                .request("PATCH", "/api/v1/me", R"({"language":"sv"})",
                         {"Content-Type: application/json", "Authorization: Bearer " + admin_token})
                .status,
            200);
  auto b = signIn("ada@acme.example");
  auto form = b.get("/invitations/new");
  ASSERT_EQ(form.status, 200);
  auto id = std::to_string(company);
  auto from = form.body.find("id=\"role-" + id + "\"");
  ASSERT_NE(from, std::string::npos);
  auto roles = form.body.substr(from, form.body.find("</select>", from) - from);
  EXPECT_TRUE(contains(roles, "<option value=\"member\" selected>")) << roles;
  EXPECT_FALSE(contains(roles, "<option value=\"administrator\" selected>")) << roles;
  auto languages = form.body.substr(form.body.find("id=\"lang-0\""));
  languages = languages.substr(0, languages.find("</select>"));
  EXPECT_TRUE(contains(languages, "<option value=\"sv\" selected>")) << languages;

  // Mia is a member already: her row comes back with the reason; the other is sent as a member
  // in Ada's language.
  auto r = b.submit("/invitations/new", {{"rows", "2"},
                                         {"email_0", "mia@acme.example"},
                                         {"first_name_0", "Mia"},
                                         {"last_name_0", "Member"},
                                         {"email_1", "nia@acme.example"},
                                         {"first_name_1", "Nia"},
                                         {"last_name_1", "New"},
                                         {"company_" + id, "on"},
                                         {"action", "send"}});
  EXPECT_EQ(r.status, 409);
  // In the inviter's language (Swedish here), the person and the company named.
  EXPECT_TRUE(contains(r.body, "mia@acme.example är redan medlem i Acme Widgets"))
      << mainOf(r.body);
  EXPECT_TRUE(contains(r.body, "value=\"mia@acme.example\""));
  auto pending = server.get("/api/v1/invitations", admin_token).json()["items"];
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["email"], "nia@acme.example");
  EXPECT_EQ(pending[0]["language"], "sv");
  EXPECT_EQ(pending[0]["companies"][0]["role"], "member");
}

TEST_F(ConsolePagesTest, TheHomePageListsThousandsOfCompaniesAPageAtATime) {
  for (int i = 0; i < 55; ++i) {
    char ext[16];
    std::snprintf(ext, sizeof ext, "P-%03d", i);
    ASSERT_EQ(server
                  .post("/api/v1/integration/companies",
                        {{"external_id", ext}, {"name", std::string("Paged ") + ext}}, key)
                  .status,
              201);
  }
  auto b = signIn("chief@vendor.example");
  auto first = b.get("/");
  ASSERT_EQ(first.status, 200);
  auto count = [](const std::string& body) {
    std::size_t n = 0;
    for (auto pos = body.find("class=\"company-card\""); pos != std::string::npos;
         pos = body.find("class=\"company-card\"", pos + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(count(mainOf(first.body)), 50u);
  EXPECT_TRUE(contains(first.body, "href=\"/?cursor=50\""));
  auto second = b.get("/?cursor=50");
  EXPECT_EQ(count(mainOf(second.body)), 6u);  // 55 + Acme Widgets
  EXPECT_TRUE(contains(second.body, "href=\"/?cursor=0\""));
  EXPECT_FALSE(contains(second.body, "cursor=100"));
}

}  // namespace
}  // namespace portico::testing
