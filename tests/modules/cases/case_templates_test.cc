// The support inbox's templates: canned replies and case templates that support staff write,
// share and use — through the API and the pages — and that nobody else can see or reach: a
// customer, an agent or another organization's staff gets 404 for every call.
#include <gtest/gtest.h>

#include "modules/cases/case_fixture.h"

namespace portico::testing {
namespace {

using nlohmann::json;

class CaseTemplatesTest : public CaseTest {
 protected:
  CaseTemplatesTest() {
    pia = server.staffMember("Vendor", "pia@vendor.example", "support", &pia_secret);
    boss = server.staffMember("Vendor", "boss@vendor.example", "admin");
  }
  json create(const std::string& token, json body) {
    auto r = call("POST", "/api/v1/case-templates", token, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  json reply(const std::string& name, const std::string& body, bool shared = true) {
    return create(support, {{"kind", "reply"}, {"name", name}, {"body", body}, {"shared", shared}});
  }
  std::string path(const json& t) {
    return "/api/v1/case-templates/" + std::to_string(t["id"].get<std::int64_t>());
  }
  std::vector<std::string> names(const std::string& token, const std::string& query = "") {
    auto r = call("GET", "/api/v1/case-templates" + query, token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    auto j = r.json();
    for (const auto& t : j["items"]) out.push_back(t["name"].get<std::string>());
    return out;
  }
  std::int64_t count(const std::string& sql) {
    storage::Query q(server.app().db().connection(), sql);
    EXPECT_TRUE(q.next());
    return q.getInt(0);
  }

  std::string pia, pia_secret, boss;
};

TEST_F(CaseTemplatesTest, StaffShareTemplatesAndKeepPrivateOnesToThemselves) {
  auto shared = reply("Parts ordered", "Hello {requester_first_name}, parts are ordered.");
  EXPECT_EQ(shared["kind"], "reply");
  EXPECT_TRUE(shared["shared"].get<bool>());
  EXPECT_EQ(shared["owner"]["email"], "sam@vendor.example");
  reply("My own notes", "Check the fuse first.", false);
  auto ct = create(support, {{"kind", "case"},
                             {"name", "Annual service"},
                             {"subject", "Annual service visit"},
                             {"body", "Please book the yearly visit."},
                             {"priority", "low"}});
  EXPECT_EQ(ct["priority"], "low");

  EXPECT_EQ(names(support),
            (std::vector<std::string>{"My own notes", "Parts ordered", "Annual service"}));
  EXPECT_EQ(names(pia), (std::vector<std::string>{"Parts ordered", "Annual service"}));
  EXPECT_EQ(names(pia, "?kind=case"), std::vector<std::string>{"Annual service"});
  EXPECT_EQ(call("GET", "/api/v1/case-templates?kind=letter", pia).status, 400);

  // Its owner changes a shared template; another support member may not, an admin may.
  json changed = {{"kind", "reply"}, {"name", "Parts ordered"}, {"body", "Parts are ordered."}};
  EXPECT_EQ(call("PUT", path(shared), pia, changed).status, 403);
  EXPECT_EQ(call("DELETE", path(shared), pia).status, 403);
  auto r = call("PUT", path(shared), boss, changed);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["body"], "Parts are ordered.");
  EXPECT_EQ(r.json()["owner"]["email"], "sam@vendor.example");
  EXPECT_EQ(call("DELETE", path(shared), support).status, 204);
  EXPECT_EQ(call("GET", path(shared), support).status, 404);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE event LIKE 'case_template.%'"), 5);
}

TEST_F(CaseTemplatesTest, NobodyOutsideTheInboxSeesOrReachesTemplates) {
  auto t = reply("Parts ordered", "Parts are ordered.");
  auto mine = reply("Mine", "Only for Sam.", false);
  server.initOrganization("Rival", "owner@rival.example");
  auto rival = server.staffMember("Rival", "rita@rival.example", "support");
  auto writer = server.staffMember("Vendor", "cc@vendor.example", "content_creator");
  json body = {{"kind", "reply"}, {"name", "X"}, {"body", "Y"}};
  for (const auto& token : {ada, bob, olga}) {
    EXPECT_EQ(call("GET", "/api/v1/case-templates", token).status, 404);
    EXPECT_EQ(call("GET", path(t), token).status, 404);
    EXPECT_EQ(call("POST", "/api/v1/case-templates", token, body).status, 404);
    EXPECT_EQ(call("PUT", path(t), token, body).status, 404);
    EXPECT_EQ(call("DELETE", path(t), token).status, 404);
  }
  // Another organization's staff have their own templates, and none of ours.
  EXPECT_TRUE(names(rival).empty());
  EXPECT_EQ(call("GET", path(t), rival).status, 404);
  EXPECT_EQ(call("PUT", path(t), rival, body).status, 404);
  EXPECT_EQ(call("DELETE", path(t), rival).status, 404);
  // A content creator writes and reads templates, but answers no case with one.
  EXPECT_EQ(names(writer), std::vector<std::string>{"Parts ordered"});
  // Another's private template does not exist for the other staff either.
  EXPECT_EQ(call("GET", path(mine), pia).status, 404);
  EXPECT_EQ(call("PUT", path(mine), boss, body).status, 404);
  // A customer cannot have a template filled in on their own case.
  auto c = open(ada);
  for (const auto& token : {ada, writer}) {
    auto r = call("POST", casePath(c["id"].get<std::int64_t>()) + "/comments", token,
                  {{"template_id", t["id"]}});
    EXPECT_EQ(r.status, 404) << r.body;
  }
  EXPECT_EQ(count("SELECT count(*) FROM case_templates"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM case_comments"), 0);
}

TEST_F(CaseTemplatesTest, AReplyTemplateIsFilledInForTheCase) {
  auto t = reply("Greeting",
                 "Hello {requester_first_name}, about {case_number} ({company}): "
                 "{unknown} stays. Regards, {my_name}");
  auto c = open(ada);
  auto id = c["id"].get<std::int64_t>();
  auto r = call("POST", casePath(id) + "/comments", support, {{"template_id", t["id"]}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["body"], "Hello Ada, about " + c["number"].get<std::string>() +
                                  " (Company A): {unknown} stays. Regards, Test User")
      << r.body;
  // Ada reads it as any reply.
  auto seen = call("GET", casePath(id), ada).json();
  ASSERT_EQ(seen["comments"].size(), 1u);
  EXPECT_EQ(seen["comments"][0]["body"], r.json()["body"]);

  // Used as an internal note it stays internal.
  r = call("POST", casePath(id) + "/comments", support,
           {{"template_id", t["id"]}, {"internal", true}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(call("GET", casePath(id), ada).json()["comments"].size(), 1u);

  auto ct = create(support, {{"kind", "case"}, {"name", "C"}, {"subject", "S"}, {"body", "B"}});
  EXPECT_EQ(call("POST", casePath(id) + "/comments", support, {{"template_id", ct["id"]}}).status,
            400);
  r = call("POST", casePath(id) + "/comments", support, {{"template_id", t["id"]}, {"body", "x"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "template_id");
  EXPECT_EQ(call("POST", casePath(id) + "/comments", support, {{"template_id", 999999}}).status,
            404);
  EXPECT_EQ(count("SELECT count(*) FROM case_comments"), 2);
}

TEST_F(CaseTemplatesTest, AFaultyTemplateIsRefusedWithItsField) {
  struct Bad {
    json body;
    std::string field;
  };
  std::vector<Bad> bad = {
      {{{"kind", "letter"}, {"name", "N"}, {"body", "B"}}, "kind"},
      {{{"kind", "reply"}, {"body", "B"}}, "name"},
      {{{"kind", "reply"}, {"name", "N"}}, "body"},
      {{{"kind", "reply"}, {"name", "N"}, {"body", "B"}, {"subject", "S"}}, "subject"},
      {{{"kind", "reply"}, {"name", "N"}, {"body", "B"}, {"priority", "high"}}, "priority"},
      {{{"kind", "case"}, {"name", "N"}, {"body", "B"}}, "subject"},
      {{{"kind", "case"}, {"name", "N"}, {"body", "B"}, {"subject", "S"}, {"priority", "asap"}},
       "priority"},
      {{{"kind", "case"}, {"name", "N"}, {"body", "B"}, {"subject", "S"}, {"category_id", 424242}},
       "category_id"},
      {{{"kind", "reply"}, {"name", "N"}, {"body", "B"}, {"shared", "yes"}}, "shared"},
      {{{"kind", "reply"}, {"name", "N"}, {"body", "B"}, {"colour", "red"}}, "colour"},
      {{{"kind", "reply"}, {"name", std::string(101, 'n')}, {"body", "B"}}, "name"},
  };
  for (const auto& b : bad) {
    auto r = call("POST", "/api/v1/case-templates", support, b.body);
    EXPECT_EQ(r.status, 400) << b.body.dump() << " " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], b.field) << r.body;
  }
  EXPECT_EQ(count("SELECT count(*) FROM case_templates"), 0);
}

TEST_F(CaseTemplatesTest, ThePagesWriteUseAndDeleteTemplates) {
  auto sam = signIn("sam@vendor.example", sam_secret);
  auto page = sam.get("/cases");
  EXPECT_NE(page.body.find("href=\"/cases/templates\""), std::string::npos);
  EXPECT_EQ(sam.get("/cases/templates").status, 200);
  sam.get("/cases/templates/new?kind=reply");
  auto r = sam.submit("/cases/templates/new", {{"kind", "reply"},
                                               {"name", "Thanks"},
                                               {"body", "Thank you, {requester_first_name}!"},
                                               {"shared", "1"}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto list = sam.get("/cases/templates");
  EXPECT_NE(list.body.find("Thanks"), std::string::npos);
  auto id = server.scalar("SELECT id FROM case_templates WHERE name = 'Thanks'");

  // A refused form comes back with what was typed and the fault.
  r = sam.submit("/cases/templates/new", {{"kind", "case"}, {"name", "No subject"}, {"body", "B"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("No subject"), std::string::npos);

  // On a case, the chosen reply fills the reply box.
  auto c = open(ada);
  auto case_page = "/cases/" + std::to_string(c["id"].get<std::int64_t>());
  auto shown = sam.get(case_page);
  EXPECT_NE(shown.body.find("name=\"template\""), std::string::npos);
  shown = sam.get(case_page + "?template=" + std::to_string(id));
  EXPECT_NE(shown.body.find(">Thank you, Ada!</textarea>"), std::string::npos) << shown.body;

  // Customers meet neither the picker nor the pages.
  auto bob_browser = signIn("bob@a.example", bob_secret);
  EXPECT_EQ(bob_browser.get(case_page).body.find("name=\"template\""), std::string::npos);
  auto asked = bob_browser.get(case_page + "?template=" + std::to_string(id));
  EXPECT_EQ(asked.status, 200);
  EXPECT_EQ(asked.body.find("Thank you"), std::string::npos);
  EXPECT_EQ(bob_browser.get("/cases/templates").status, 404);
  EXPECT_EQ(bob_browser.get("/cases/templates/" + std::to_string(id)).status, 404);

  // A case template starts a new case.
  r = sam.submit("/cases/templates/new", {{"kind", "case"},
                                          {"name", "Yearly"},
                                          {"subject", "Yearly service"},
                                          {"body", "Book the yearly visit."},
                                          {"priority", "low"}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto yearly = server.scalar("SELECT id FROM case_templates WHERE name = 'Yearly'");
  auto start = sam.get("/cases/new?company_id=" + std::to_string(company) +
                       "&template=" + std::to_string(yearly));
  ASSERT_EQ(start.status, 200) << start.body;
  EXPECT_NE(start.body.find("value=\"Yearly service\""), std::string::npos);
  EXPECT_NE(start.body.find(">Book the yearly visit.</textarea>"), std::string::npos);

  // Deleting asks first.
  auto del = "/cases/templates/" + std::to_string(id) + "/delete";
  r = sam.submit(del);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(server.scalar("SELECT count(*) FROM case_templates"), 2);
  r = sam.submit(del, {{"confirmed", "1"}});
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(server.scalar("SELECT count(*) FROM case_templates"), 1);
}

}  // namespace
}  // namespace portico::testing
