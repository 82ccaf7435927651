// The organization's categories of support cases: administrators add, rename and delete them in
// the console and through the API; customers file cases under them; a deleted category leaves
// its cases without one.
#include <gtest/gtest.h>

#include <string>

#include "modules/cases/case_fixture.h"

namespace portico::testing {
namespace {

using json = nlohmann::json;

class CaseCategoriesTest : public CaseTest {
 protected:
  CaseCategoriesTest() {
    boss = server.staffMember("Vendor", "boss@vendor.example", "admin", &boss_secret);
  }
  HttpResult add(const std::string& name, const std::string& token = "") {
    return call("POST", "/api/v1/staff/case-categories", token.empty() ? boss : token,
                {{"name", name}});
  }
  json list() {
    auto r = call("GET", "/api/v1/staff/case-categories", boss);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }
  std::string path(std::int64_t id) {
    return "/api/v1/staff/case-categories/" + std::to_string(id);
  }

  std::string boss, boss_secret;
};

TEST_F(CaseCategoriesTest, AdministratorsAddRenameAndDeleteCategories) {
  EXPECT_EQ(list(), json::array());
  auto r = add("  Printers ");
  ASSERT_EQ(r.status, 201) << r.body;
  auto printers = r.json()["id"].get<std::int64_t>();
  EXPECT_EQ(r.json(), json({{"id", printers}, {"name", "Printers"}, {"cases", 0}}));
  ASSERT_EQ(add("Coffee machines").status, 201);
  EXPECT_EQ(list()[0]["name"], "Coffee machines");  // by name
  EXPECT_EQ(list()[1]["name"], "Printers");

  // Customers file cases under them; the list counts them.
  auto c = open(bob, {{"category_id", printers}});
  EXPECT_EQ(c["category"], json({{"id", printers}, {"name", "Printers"}}));
  EXPECT_EQ(list()[1]["cases"], 1);

  r = call("PATCH", path(printers), boss, {{"name", "Printers and copiers"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["name"], "Printers and copiers");
  auto id = c["id"].get<std::int64_t>();
  EXPECT_EQ(call("GET", casePath(id), bob).json()["category"]["name"], "Printers and copiers");

  ASSERT_EQ(call("DELETE", path(printers), boss).status, 204);
  EXPECT_TRUE(call("GET", casePath(id), bob).json()["category"].is_null());
  EXPECT_EQ(list().size(), 1u);
  EXPECT_EQ(call("DELETE", path(printers), boss).status, 404);

  auto audit = call("GET", "/api/v1/staff/audit?event=case_category.", boss).json()["items"];
  std::vector<std::string> events;
  for (const auto& e : audit) events.push_back(e["event"].get<std::string>());
  std::sort(events.begin(), events.end());
  EXPECT_EQ(events, (std::vector<std::string>{"case_category.created", "case_category.created",
                                              "case_category.removed", "case_category.renamed"}));
}

TEST_F(CaseCategoriesTest, BadOrTakenNamesAreRefusedAndChangeNothing) {
  auto printers = add("Printers").json()["id"].get<std::int64_t>();
  auto coffee = add("Coffee").json()["id"].get<std::int64_t>();
  for (const auto& bad : {std::string(""), std::string("   "), std::string(101, 'x')}) {
    auto r = add(bad);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.json()["error"]["field"], "name");
  }
  EXPECT_EQ(call("POST", "/api/v1/staff/case-categories", boss, {{"name", 7}}).status, 400);
  EXPECT_EQ(call("POST", "/api/v1/staff/case-categories", boss, {{"name", "A"}, {"x", 1}}).status,
            400);
  EXPECT_EQ(add("Printers").status, 409);
  EXPECT_EQ(call("PATCH", path(coffee), boss, {{"name", "Printers"}}).status, 409);
  EXPECT_EQ(call("PATCH", path(coffee), boss, {{"name", ""}}).status, 400);
  EXPECT_EQ(call("PATCH", path(printers), boss, {{"name", "Printers"}}).status, 200);  // no change
  EXPECT_EQ(call("PATCH", path(999999), boss, {{"name", "Gone"}}).status, 404);
  auto names = list();
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0]["name"], "Coffee");
  EXPECT_EQ(names[1]["name"], "Printers");
}

TEST_F(CaseCategoriesTest, OnlyTheOrganizationsAdministratorsReachThem) {
  auto printers = add("Printers").json()["id"].get<std::int64_t>();
  for (const auto* token : {&support, &ada, &bob}) {
    EXPECT_EQ(call("GET", "/api/v1/staff/case-categories", *token).status, 403);
    EXPECT_EQ(add("Mine", *token).status, 403);
    EXPECT_EQ(call("PATCH", path(printers), *token, {{"name", "Mine"}}).status, 403);
    EXPECT_EQ(call("DELETE", path(printers), *token).status, 403);
  }
  server.initOrganization("Rival", "owner@rival.example");
  auto rival = server.staffMember("Rival", "rita@rival.example", "admin");
  EXPECT_EQ(call("GET", "/api/v1/staff/case-categories", rival).json()["items"], json::array());
  EXPECT_EQ(call("PATCH", path(printers), rival, {{"name", "Ours"}}).status, 404);
  EXPECT_EQ(call("DELETE", path(printers), rival).status, 404);
  EXPECT_EQ(list()[0]["name"], "Printers");
  // The rival's category of the same name is its own.
  EXPECT_EQ(add("Printers", rival).status, 201);
}

TEST_F(CaseCategoriesTest, TheConsolePageAddsRenamesAndDeletesAfterAConfirmation) {
  auto b = signIn("boss@vendor.example", boss_secret);
  auto r = b.get("/staff/case-categories");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("No categories yet"), std::string::npos);

  r = b.submit("/staff/case-categories", {{"name", ""}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("A category&apos;s name is 1 to 100 characters."), std::string::npos)
      << r.body;
  ASSERT_EQ(b.submit("/staff/case-categories", {{"name", "Printers"}}).status, 303);
  r = b.get("/staff/case-categories");
  EXPECT_NE(r.body.find("Category Printers added"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("0 cases"), std::string::npos);
  auto id = list()[0]["id"].get<std::int64_t>();
  open(bob, {{"category_id", id}});
  EXPECT_NE(b.get("/staff/case-categories").body.find("1 case<"), std::string::npos);

  r = b.submit("/staff/case-categories", {{"name", "Printers"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("There is a category named Printers already."), std::string::npos);

  auto page = "/staff/case-categories/" + std::to_string(id);
  ASSERT_EQ(b.submit(page, {{"name", "Copiers"}}).status, 303);
  EXPECT_EQ(list()[0]["name"], "Copiers");

  // Deleting asks first, naming the cases it touches; nothing is deleted until confirmed.
  r = b.submit(page + "/delete");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("its 1 case keeps no category"), std::string::npos) << r.body;
  EXPECT_EQ(list().size(), 1u);
  ASSERT_EQ(b.submit(page + "/delete", {{"confirmed", "1"}}).status, 303);
  EXPECT_EQ(list(), json::array());
  EXPECT_EQ(b.submit(page + "/delete", {{"confirmed", "1"}}).status, 404);

  auto sam = signIn("sam@vendor.example", sam_secret);
  EXPECT_EQ(sam.get("/staff/case-categories").status, 403);
}

}  // namespace
}  // namespace portico::testing
