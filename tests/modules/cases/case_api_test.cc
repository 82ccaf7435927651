// Support cases through the JSON API, end to end on a real server: who sees which case (company,
// site, own cases only, agents, staff), the conversation with internal notes that never reach
// the customer or the ERP, status changes and reopening, and refused input that changes nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "modules/cases/case_fixture.h"
#include "support/multipart_body.h"

namespace portico::testing {
namespace {

using nlohmann::json;
using CaseApiTest = CaseTest;

TEST_F(CaseApiTest, ACustomerOpensACaseThatTheirCompanyAndTheVendorSee) {
  auto c = open(ada, {{"priority", "high"}, {"site_id", site1}});
  EXPECT_EQ(c["number"], "T-1001");
  EXPECT_EQ(c["status"], "new");
  EXPECT_EQ(c["priority"], "high");
  EXPECT_EQ(c["site_id"], site1);
  EXPECT_EQ(c["company_name"], "Company A");
  EXPECT_EQ(c["requester"]["email"], "ada@a.example");
  EXPECT_EQ(c["description"], "Every second page.\nSince Monday.");
  EXPECT_EQ(open(bob)["number"], "T-1002");  // numbered per organization

  auto page = call("GET", "/api/v1/cases", bob).json();
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["number"], "T-1002");  // newest first
  EXPECT_EQ(page["counts"]["new"], 2);
  EXPECT_EQ(page["counts"]["closed"], 0);
  EXPECT_EQ(call("GET", casePath(c["id"]), support).status, 200);

  auto created = events("case.created");
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0]["data"]["number"], "T-1001");
  EXPECT_EQ(created[0]["company_external_id"], "A");
}

TEST_F(CaseApiTest, AnotherCompanysCaseAnswers404ToEveryCall) {
  auto id = open(ada)["id"].get<std::int64_t>();
  EXPECT_EQ(call("GET", casePath(id), olga).status, 404);
  EXPECT_EQ(call("PATCH", casePath(id), olga, {{"status", "closed"}}).status, 404);
  EXPECT_EQ(call("POST", casePath(id) + "/comments", olga, {{"body", "mine now"}}).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/cases?company_id=" + std::to_string(company), olga).status, 404);
  EXPECT_TRUE(listed(olga).empty());
  auto r = call("POST", "/api/v1/cases", olga,
                {{"company_id", company}, {"subject", "x"}, {"description", "y"}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(call("GET", casePath(999999), ada).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/cases/abc", ada).status, 404);
  EXPECT_EQ(call("GET", casePath(id), "").status, 401);
}

TEST_F(CaseApiTest, AReadOnlyMemberSeesCasesButNeitherOpensNorAnswersThem) {
  auto id = open(ada)["id"].get<std::int64_t>();
  setBob({{"role", "read_only"}});
  EXPECT_EQ(call("GET", casePath(id), bob).status, 200);
  EXPECT_EQ(call("GET", casePath(id), bob).json()["may_answer"], false);
  auto r = call("POST", casePath(id) + "/comments", bob, {{"body", "me too"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.errorCode(), "forbidden");
  EXPECT_EQ(call("PATCH", casePath(id), bob, {{"status", "closed"}}).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/cases", bob,
                 {{"company_id", company}, {"subject", "x"}, {"description", "y"}})
                .status,
            403);
  // Without support.view the company's cases are not there at all.
  setBob({{"permissions", json::array({"invoices.view"})}});
  EXPECT_EQ(call("GET", casePath(id), bob).status, 404);
  EXPECT_TRUE(listed(bob).empty());
}

TEST_F(CaseApiTest, ACaseAtASiteOutsideTheCallersScopeIs404) {
  auto north = open(ada, {{"site_id", site1}})["id"].get<std::int64_t>();
  auto south = open(ada, {{"site_id", site2}})["id"].get<std::int64_t>();
  auto company_wide = open(ada)["id"].get<std::int64_t>();
  setBob({{"sites", json::array({site1})}});
  EXPECT_EQ(call("GET", casePath(north), bob).status, 200);
  EXPECT_EQ(call("GET", casePath(south), bob).status, 404);
  EXPECT_EQ(call("GET", casePath(company_wide), bob).status, 404);
  EXPECT_EQ(listed(bob), std::vector<std::int64_t>{north});
  EXPECT_EQ(call("GET", "/api/v1/cases", bob).json()["counts"]["new"], 1);
  // Bob must name one of his sites, and only one of his.
  auto r = call("POST", "/api/v1/cases", bob,
                {{"company_id", company}, {"subject", "x"}, {"description", "y"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "site_id");
  r = call("POST", "/api/v1/cases", bob,
           {{"company_id", company}, {"subject", "x"}, {"description", "y"}, {"site_id", site2}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(open(bob, {{"site_id", site1}})["site_id"], site1);
}

TEST_F(CaseApiTest, AMemberWhoSeesOnlyTheirOwnCasesSeesThoseTheyOpenedOrFollow) {
  auto adas = open(ada)["id"].get<std::int64_t>();
  auto followed = open(ada)["id"].get<std::int64_t>();
  setBob({{"visibility", "own"}});
  auto members = call("GET", "/api/v1/companies/" + std::to_string(company) + "/users", ada).json();
  for (const auto& m : members["items"]) {
    EXPECT_EQ(m["visibility"], m["id"] == bob_id ? "own" : "company") << m.dump();
  }
  // Explain access says why.
  auto why = call("GET",
                  "/api/v1/companies/" + std::to_string(company) +
                      "/explain?permission=support.view&user_id=" + std::to_string(bob_id),
                  ada)
                 .json();
  bool explained = false;
  for (const auto& step : why["steps"]) explained |= step["check"] == "visibility";
  EXPECT_TRUE(explained) << why.dump();
  auto bobs = open(bob)["id"].get<std::int64_t>();
  EXPECT_EQ(listed(bob), std::vector<std::int64_t>{bobs});
  EXPECT_EQ(call("GET", casePath(adas), bob).status, 404);
  server.sql("INSERT INTO case_participants (case_id, user_id, company_id) VALUES (?, ?, ?)",
             {std::to_string(followed), std::to_string(bob_id), std::to_string(company)});
  EXPECT_EQ(call("GET", casePath(followed), bob).status, 200);
  EXPECT_EQ(listed(bob), (std::vector<std::int64_t>{bobs, followed}));
  EXPECT_EQ(listed(bob, "?mine=true"), (std::vector<std::int64_t>{bobs, followed}));
  auto bad = call(
      "PATCH", "/api/v1/companies/" + std::to_string(company) + "/users/" + std::to_string(bob_id),
      ada, {{"visibility", "mine"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["field"], "visibility");
  // Back to the company's cases.
  setBob({{"visibility", "company"}});
  EXPECT_EQ(listed(bob).size(), 3u);
  // Ada still sees the company's cases.
  EXPECT_EQ(listed(ada).size(), 3u);
  EXPECT_EQ(listed(ada, "?mine=true"), (std::vector<std::int64_t>{followed, adas}));
}

TEST_F(CaseApiTest, InternalNotesReachNoCustomerAnswerAndNoEvent) {
  auto id = open(ada)["id"].get<std::int64_t>();
  auto note = call("POST", casePath(id) + "/comments", support,
                   {{"body", "Customer is on the old firmware"}, {"internal", true}});
  ASSERT_EQ(note.status, 201) << note.body;
  EXPECT_EQ(note.json()["internal"], true);
  auto reply = call("POST", casePath(id) + "/comments", support, {{"body", "Please update."}});
  ASSERT_EQ(reply.status, 201);
  EXPECT_EQ(reply.json()["by_staff"], true);

  auto seen = call("GET", casePath(id), ada);
  EXPECT_EQ(seen.body.find("old firmware"), std::string::npos) << seen.body;
  ASSERT_EQ(seen.json()["comments"].size(), 1u);
  EXPECT_EQ(seen.json()["comments"][0]["body"], "Please update.");
  EXPECT_EQ(seen.json()["status"], "open");  // the vendor's first reply opens a new case
  auto staff_view = call("GET", casePath(id), support).json();
  EXPECT_EQ(staff_view["comments"].size(), 2u);

  auto commented = events("case.commented");
  ASSERT_EQ(commented.size(), 1u);
  EXPECT_EQ(commented[0]["data"]["comment"]["body"], "Please update.");
  auto feed = server.get("/api/v1/integration/events?limit=500", key).body;
  EXPECT_EQ(feed.find("old firmware"), std::string::npos);

  // A customer cannot write one.
  auto r = call("POST", casePath(id) + "/comments", ada, {{"body", "psst"}, {"internal", true}});
  EXPECT_EQ(r.status, 403);
}

TEST_F(CaseApiTest, ACustomersCommentReopensAWaitingOrResolvedCase) {
  auto id = open(ada)["id"].get<std::int64_t>();
  auto r = call("PATCH", casePath(id), support, {{"status", "waiting_customer"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "waiting_customer");
  call("POST", casePath(id) + "/comments", bob, {{"body", "Here is the log."}});
  auto seen = call("GET", casePath(id), ada).json();
  EXPECT_EQ(seen["status"], "open");
  // Bob commented, so he now follows it.
  ASSERT_EQ(seen["participants"].size(), 1u);
  EXPECT_EQ(seen["participants"][0]["email"], "bob@a.example");

  EXPECT_EQ(call("PATCH", casePath(id), support, {{"status", "resolved"}}).json()["status"],
            "resolved");
  EXPECT_FALSE(call("GET", casePath(id), ada).json()["resolved_at"].is_null());
  EXPECT_EQ(call("PATCH", casePath(id), ada, {{"status", "open"}}).json()["status"], "open");
  EXPECT_EQ(call("PATCH", casePath(id), ada, {{"status", "closed"}}).json()["status"], "closed");

  auto changed = events("case.status_changed");
  ASSERT_EQ(changed.size(), 5u);
  EXPECT_EQ(changed[1]["data"]["from"], "waiting_customer");
  EXPECT_EQ(changed[1]["data"]["to"], "open");
  auto history = call("GET", casePath(id), ada).json()["changes"];
  EXPECT_EQ(history.size(), 5u);
  EXPECT_EQ(history[0]["by"]["email"], "sam@vendor.example");
}

TEST_F(CaseApiTest, ACommentOnAClosedCaseOpensANewCaseThatFollowsIt) {
  auto first = open(ada, {{"site_id", site1}, {"priority", "urgent"}});
  auto id = first["id"].get<std::int64_t>();
  ASSERT_EQ(call("PATCH", casePath(id), ada, {{"status", "closed"}}).status, 200);
  EXPECT_EQ(call("PATCH", casePath(id), ada, {{"status", "open"}}).status, 409);
  auto r = call("POST", casePath(id) + "/comments", bob, {{"body", "It is back."}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto next_id = r.json()["case_id"].get<std::int64_t>();
  EXPECT_NE(next_id, id);
  EXPECT_EQ(r.json()["opened_case"]["number"], "T-1002");
  auto next = call("GET", casePath(next_id), ada).json();
  EXPECT_EQ(next["follows_case_id"], id);
  EXPECT_EQ(next["status"], "new");
  EXPECT_EQ(next["site_id"], site1);
  EXPECT_EQ(next["requester"]["email"], "bob@a.example");
  ASSERT_EQ(next["comments"].size(), 1u);
  EXPECT_EQ(next["comments"][0]["body"], "It is back.");
  EXPECT_EQ(call("GET", casePath(id), ada).json()["status"], "closed");
  EXPECT_TRUE(call("GET", casePath(id), ada).json()["comments"].empty());
}

TEST_F(CaseApiTest, AResolvedCaseClosesByItselfAfterFourteenDays) {
  auto id = open(ada)["id"].get<std::int64_t>();
  open(ada);  // never resolved: stays as it is
  ASSERT_EQ(call("PATCH", casePath(id), support, {{"status", "resolved"}}).status, 200);
  // Sessions do not last two weeks: the ERP's event feed (an API key) tells what happened.
  auto closings = [&] {
    int n = 0;
    for (const auto& e : events("case.status_changed")) {
      if (e["data"]["to"] == "closed") {
        EXPECT_EQ(e["data"]["case"]["id"], id);
        ++n;
      }
    }
    return n;
  };
  server.clock().advance(13 * 24 * 3600);
  server.app().jobRunner().runHousekeeping();
  EXPECT_EQ(closings(), 0);
  server.clock().advance(24 * 3600);
  server.app().jobRunner().runHousekeeping();
  EXPECT_EQ(closings(), 1);
  server.app().jobRunner().runHousekeeping();  // once only
  EXPECT_EQ(closings(), 1);
}

TEST_F(CaseApiTest, OnlyStaffChangePriorityAndAssigneeAndOnlyToSupportStaff) {
  auto id = open(ada)["id"].get<std::int64_t>();
  EXPECT_EQ(call("PATCH", casePath(id), ada, {{"priority", "urgent"}}).status, 403);
  auto sam = userId(support);
  auto r = call("PATCH", casePath(id), support, {{"priority", "urgent"}, {"assignee_id", sam}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["assignee"]["email"], "sam@vendor.example");
  EXPECT_EQ(r.json()["priority"], "urgent");
  EXPECT_EQ(listed(support, "?mine=true"), std::vector<std::int64_t>{id});
  // A customer is no assignee.
  r = call("PATCH", casePath(id), support, {{"assignee_id", bob_id}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "assignee_id");
  r = call("PATCH", casePath(id), support, {{"assignee_id", nullptr}});
  EXPECT_TRUE(r.json()["assignee"].is_null());
}

TEST_F(CaseApiTest, BadInputIsRefusedWithTheFieldAndWritesNothing) {
  struct Bad {
    json body;
    std::string field;
  };
  for (const auto& bad : std::vector<Bad>{
           {{{"company_id", company}, {"description", "y"}}, "subject"},
           {{{"company_id", company}, {"subject", "x"}}, "description"},
           {{{"company_id", company}, {"subject", std::string(201, 'x')}, {"description", "y"}},
            "subject"},
           {{{"company_id", company}, {"subject", "x"}, {"description", "y"}, {"priority", "asap"}},
            "priority"},
           {{{"company_id", company}, {"subject", "x"}, {"description", "y"}, {"site_id", -3}},
            "site_id"},
           {{{"company_id", company}, {"subject", "x"}, {"description", "y"}, {"category_id", 5}},
            "category_id"},
           {{{"company_id", company}, {"subject", "x"}, {"description", "y"}, {"colour", "red"}},
            "colour"},
           {{{"subject", "x"}, {"description", "y"}}, "company_id"},
       }) {
    SCOPED_TRACE(bad.body.dump());
    auto r = call("POST", "/api/v1/cases", ada, bad.body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.json()["error"]["field"], bad.field);
    EXPECT_FALSE(r.errorMessage().empty());
  }
  EXPECT_TRUE(listed(ada).empty());
  EXPECT_TRUE(events("case.created").empty());
  EXPECT_EQ(call("GET", "/api/v1/cases?status=pending", ada).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/cases?limit=500", ada).status, 400);
  auto id = open(ada)["id"].get<std::int64_t>();
  EXPECT_EQ(call("PATCH", casePath(id), ada, json::object()).status, 400);
  EXPECT_EQ(call("POST", casePath(id) + "/comments", ada, {{"body", "  "}}).status, 400);
  EXPECT_TRUE(call("GET", casePath(id), ada).json()["comments"].empty());
}

TEST_F(CaseApiTest, ListsFilterAndPageWithACursor) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(open(ada, {{"site_id", i % 2 ? site1 : site2}})["id"]);
  call("PATCH", casePath(ids[0]), support, {{"status", "resolved"}});
  EXPECT_EQ(listed(ada, "?status=resolved"), std::vector<std::int64_t>{ids[0]});
  EXPECT_EQ(listed(ada, "?site_id=" + std::to_string(site1)),
            (std::vector<std::int64_t>{ids[3], ids[1]}));
  auto page = call("GET", "/api/v1/cases?limit=2", ada).json();
  ASSERT_EQ(page["items"].size(), 2u);
  auto cursor = page["next_cursor"].get<std::string>();
  auto second = listed(ada, "?limit=2&cursor=" + cursor);
  EXPECT_EQ(second, (std::vector<std::int64_t>{ids[2], ids[1]}));
  auto last = call("GET", "/api/v1/cases?limit=2&cursor=" + std::to_string(ids[1]), ada).json();
  EXPECT_EQ(last["items"].size(), 1u);
  EXPECT_TRUE(last["next_cursor"].is_null());
  auto counted = page["counts"];
  EXPECT_EQ(counted["new"], 4);
  EXPECT_EQ(counted["resolved"], 1);
  // The staff inbox spans the organization's companies.
  open(olga, {{"company_id", other_company}});
  EXPECT_EQ(listed(support).size(), 6u);
  EXPECT_EQ(listed(support, "?company_id=" + std::to_string(other_company)).size(), 1u);
}

// Every case call, for each kind of caller: the company's own people by their permissions, an
// agent (reads, never writes), each staff role, and another organization's staff.
TEST_F(CaseApiTest, EachCallerGetsWhatItsRoleAllowsOnEveryCall) {
  auto id = open(ada)["id"].get<std::int64_t>();
  std::map<std::string, std::string> staff;
  for (const char* role : {"admin", "department_admin", "content_creator", "personnel"}) {
    staff[role] = server.staffMember("Vendor", std::string(role) + "@vendor.example", role);
  }
  staff["support"] = support;
  server.initOrganization("Rival", "owner@rival.example");
  auto rival = server.staffMember("Rival", "admin@rival.example", "admin");
  // An agent's login, with company A allocated to its agent.
  auto agent = server.companyWithAdmin(key, "FM", "agnes@fm.example").second;
  auto a = call("POST", "/api/v1/staff/agents", staff["admin"], {{"name", "FM"}});
  ASSERT_EQ(a.status, 201) << a.body;
  auto agent_id = a.json()["id"].get<std::int64_t>();
  call("POST", "/api/v1/staff/agents/" + std::to_string(agent_id) + "/users", staff["admin"],
       {{"email", "agnes@fm.example"}});
  ASSERT_EQ(call("PUT", "/api/v1/staff/customers/" + std::to_string(company) + "/agent",
                 staff["admin"], {{"agent_id", agent_id}})
                .status,
            200);

  struct Expect {
    std::string who, token;
    long read, comment, patch, open, upload, download;
  };
  auto path = casePath(id);
  MultipartBody file;
  file.files.push_back({"file", "notes.txt", "text/plain", "a line of text\n"});
  auto upload = [&](const std::string& token) {
    return server
        .request("POST", path + "/attachments", file.str(),
                 {"Authorization: Bearer " + token, "Content-Type: " + file.contentType()})
        .status;
  };
  ASSERT_EQ(upload(ada), 201);
  auto attachment = call("GET", path, ada).json()["attachments"][0]["url"].get<std::string>();
  for (const auto& e : std::vector<Expect>{
           {"company admin", ada, 200, 201, 200, 201, 201, 200},
           {"agent", agent, 200, 403, 403, 403, 403, 200},
           {"staff admin", staff["admin"], 200, 201, 200, 201, 201, 200},
           {"staff support", staff["support"], 200, 201, 200, 201, 201, 200},
           {"content creator", staff["content_creator"], 200, 403, 403, 403, 403, 200},
           // A department administrator without departments reaches no customer.
           {"department admin", staff["department_admin"], 404, 404, 404, 404, 404, 404},
           {"personnel", staff["personnel"], 404, 404, 404, 404, 404, 404},
           {"another organization's admin", rival, 404, 404, 404, 404, 404, 404},
           {"another company's admin", olga, 404, 404, 404, 404, 404, 404},
       }) {
    SCOPED_TRACE(e.who);
    EXPECT_EQ(call("GET", path, e.token).status, e.read);
    EXPECT_EQ(call("GET", attachment, e.token).status, e.download);
    EXPECT_EQ(upload(e.token), e.upload);
    EXPECT_EQ(call("POST", path + "/comments", e.token, {{"body", "hello"}}).status, e.comment);
    EXPECT_EQ(call("PATCH", path, e.token, {{"status", "closed"}}).status, e.patch);
    EXPECT_EQ(call("POST", "/api/v1/cases", e.token,
                   {{"company_id", company}, {"subject", "s"}, {"description", "d"}})
                  .status,
              e.open);
    auto listed_ids = listed(e.token);
    bool sees = std::find(listed_ids.begin(), listed_ids.end(), id) != listed_ids.end();
    EXPECT_EQ(sees, e.read == 200);
  }
  // Internal notes: staff of the inbox see them, a content creator (no inbox) does not.
  call("POST", path + "/comments", support, {{"body", "between us"}, {"internal", true}});
  EXPECT_NE(call("GET", path, staff["admin"]).body.find("between us"), std::string::npos);
  EXPECT_EQ(call("GET", path, staff["content_creator"]).body.find("between us"), std::string::npos);
  EXPECT_EQ(call("GET", path, agent).body.find("between us"), std::string::npos);
}

// The pages: a customer opens a case and follows the conversation; staff answer from the inbox
// with a reply and an internal note that the customer never sees.
TEST_F(CaseApiTest, TheWholeConversationRunsInThePages) {
  auto customer = signIn("bob@a.example", bob_secret);
  auto home = customer.get("/");
  EXPECT_NE(home.body.find("href=\"/cases\""), std::string::npos);  // Support in the menu
  auto empty = customer.get("/cases");
  EXPECT_EQ(empty.status, 200);
  EXPECT_NE(empty.body.find("No cases here yet."), std::string::npos);
  // A subject is needed: the form comes back with the message and what was typed.
  auto bad = customer.submit("/cases/new", {{"company_id", std::to_string(company)},
                                            {"subject", ""},
                                            {"description", "Smoke from the fan"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("Smoke from the fan"), std::string::npos);
  auto made = customer.submit("/cases/new", {{"company_id", std::to_string(company)},
                                             {"subject", "Fan <b>noise</b>"},
                                             {"description", "Smoke from the fan"},
                                             {"priority", "high"},
                                             {"site_id", std::to_string(site1)}});
  ASSERT_EQ(made.status, 303) << made.body;
  auto where = made.header("location");
  auto page = customer.get(where);
  EXPECT_NE(page.body.find("T-1001"), std::string::npos);
  EXPECT_NE(page.body.find("Fan &lt;b&gt;noise&lt;/b&gt;"), std::string::npos);  // escaped
  EXPECT_NE(page.body.find("is open"), std::string::npos);                       // the notice
  EXPECT_EQ(page.body.find("Internal note: only"), std::string::npos);  // no staff controls

  auto staff = signIn("sam@vendor.example", sam_secret);
  EXPECT_NE(staff.get("/cases").body.find(where), std::string::npos);  // in the inbox
  ASSERT_EQ(
      staff.submit(where + "/comments", {{"body", "Fan model is EOL"}, {"internal", "1"}}).status,
      303);
  ASSERT_EQ(staff.submit(where + "/comments", {{"body", "A technician is on the way."}}).status,
            303);
  auto sam = std::to_string(userId(support));
  ASSERT_EQ(
      staff
          .submit(where,
                  {{"status", "waiting_customer"}, {"priority", "urgent"}, {"assignee_id", sam}})
          .status,
      303);
  auto staff_page = staff.get(where).body;
  EXPECT_NE(staff_page.find("Fan model is EOL"), std::string::npos);

  page = customer.get(where);
  EXPECT_NE(page.body.find("A technician is on the way."), std::string::npos);
  EXPECT_EQ(page.body.find("Fan model is EOL"), std::string::npos);
  EXPECT_NE(page.body.find("Waiting for your reply"), std::string::npos);
  // The customer answers (the case opens again), then closes it; a later message follows up.
  ASSERT_EQ(customer.submit(where + "/comments", {{"body", "Thanks!"}}).status, 303);
  EXPECT_NE(customer.get(where).body.find("In progress"), std::string::npos);
  ASSERT_EQ(customer.submit(where, {{"status", "closed"}}).status, 303);
  auto follow = customer.submit(where + "/comments", {{"body", "It is back."}});
  ASSERT_EQ(follow.status, 303);
  EXPECT_NE(follow.header("location"), where);
  EXPECT_NE(customer.get(follow.header("location")).body.find("T-1002"), std::string::npos);

  // Another company's case is the 404 page, its forms too; a form without a CSRF token is
  // refused.
  auto theirs =
      "/cases/" +
      std::to_string(open(olga, {{"company_id", other_company}})["id"].get<std::int64_t>());
  EXPECT_EQ(customer.get(theirs).status, 404);
  EXPECT_EQ(customer.submit(theirs + "/comments", {{"body", "hi"}}).status, 404);
  auto anonymous = server.request("POST", where + "/comments", "body=x",
                                  {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(anonymous.status, 403);
}

}  // namespace
}  // namespace portico::testing
