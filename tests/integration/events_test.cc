// The integration event feed: user.* events written with the changes they report, paged in seq
// order for the API key's organization only, refused paging, rollback and pruning.
#include <gtest/gtest.h>

#include <regex>

#include "events/event_log.h"
#include "storage/db.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

using nlohmann::json;

class EventsTest : public ::testing::Test {
 protected:
  EventsTest() {
    server.initOrganization("Vendor", "staff@vendor.example");
    key = *server.app().createApiKey("Vendor", "ERP");
    std::tie(company, admin) = server.companyWithAdmin(key, "C-1", "admin@c1.example");
  }

  json feed(const std::string& query, const std::string& api_key) {
    auto r = server.get("/api/v1/integration/events" + query, api_key);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  std::vector<json> all(const std::string& api_key) {
    std::vector<json> out;
    auto page = feed("?limit=500", api_key);  // kept: a loop over a temporary's part dangles
    for (auto& e : page["items"]) out.push_back(e);
    return out;
  }
  std::vector<json> ofType(const std::string& type) {
    std::vector<json> out;
    for (auto& e : all(key))
      if (e["type"] == type) out.push_back(e);
    return out;
  }
  std::int64_t invite(const std::string& email) {
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
    return r.json().value("user_id", std::int64_t{0});
  }
  std::string usersPath() const {
    return "/api/v1/companies/" + std::to_string(company) + "/users";
  }

  TestServer server;
  std::string key, admin;
  std::int64_t company = 0;
};

TEST_F(EventsTest, TheAdminSignupIsAJoinWithTheCompanysExternalId) {
  auto joined = ofType("user.joined");
  ASSERT_EQ(joined.size(), 1u);
  const auto& e = joined[0];
  EXPECT_TRUE(e["id"].get<std::string>().starts_with("evt_"));
  EXPECT_EQ(e["company_id"], company);
  EXPECT_EQ(e["company_external_id"], "C-1");
  EXPECT_EQ(e["subject"]["type"], "user");
  EXPECT_EQ(e["data"]["email"], "admin@c1.example");
  EXPECT_EQ(e["data"]["role"], "administrator");
  EXPECT_EQ(e["data"]["via"], "admin_signup");
  // RFC 3339 in UTC.
  EXPECT_TRUE(std::regex_match(e["time"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)")))
      << e["time"];
}

TEST_F(EventsTest, InvitingChangingAndRemovingAMemberAreEventsInOrder) {
  invite("ivy@c1.example");
  auto members = server.get(usersPath(), admin).json()["items"];
  std::int64_t ivy = 0;
  for (const auto& m : members)
    if (m["email"] == "ivy@c1.example") ivy = m["id"].get<std::int64_t>();
  ASSERT_GT(ivy, 0);
  auto r =
      server.request("PATCH", usersPath() + "/" + std::to_string(ivy), R"({"role":"read_only"})",
                     {"Content-Type: application/json", "Authorization: Bearer " + admin});
  ASSERT_EQ(r.status, 200) << r.body;
  r = server.request("DELETE", usersPath() + "/" + std::to_string(ivy), "",
                     {"Authorization: Bearer " + admin});
  ASSERT_EQ(r.status, 204) << r.body;

  std::vector<std::string> types;
  std::int64_t last_seq = 0;
  for (const auto& e : all(key)) {
    EXPECT_GT(e["seq"].get<std::int64_t>(), last_seq);
    last_seq = e["seq"].get<std::int64_t>();
    if (e["data"].value("email", "") == "ivy@c1.example") types.push_back(e["type"]);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"user.invited", "user.joined", "user.rights_changed",
                                             "user.removed"}));
  auto invited = ofType("user.invited")[0];
  EXPECT_EQ(invited["subject"]["type"], "invitation");
  EXPECT_EQ(invited["data"]["role"], "member");
  EXPECT_EQ(invited["company_external_id"], "C-1");
  auto joined = ofType("user.joined")[1];
  EXPECT_EQ(joined["subject"], (json{{"type", "user"}, {"id", ivy}}));
  EXPECT_EQ(joined["data"]["via"], "invitation");
  auto changed = ofType("user.rights_changed")[0];
  EXPECT_EQ(changed["data"]["role"], "read_only");
  EXPECT_EQ(changed["data"]["previous_role"], "member");
  EXPECT_TRUE(changed["data"]["permissions"].is_array());
  EXPECT_EQ(changed["data"]["sites"], "all");
  EXPECT_EQ(ofType("user.removed")[0]["data"]["user_id"], ivy);
}

TEST_F(EventsTest, TheFeedPagesBySeqWithNextAfter) {
  for (const char* email : {"a@c1.example", "b@c1.example", "c@c1.example"}) invite(email);
  auto everything = all(key);
  ASSERT_EQ(everything.size(), 7u);  // the admin's join, then an invitation and a join each
  std::vector<std::string> paged;
  std::int64_t after = 0;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = feed("?after=" + std::to_string(after) + "&limit=3", key);
    if (page["items"].empty()) {
      EXPECT_EQ(page["next_after"], after);  // polling again from there is safe
      break;
    }
    EXPECT_LE(page["items"].size(), 3u);
    for (const auto& e : page["items"]) paged.push_back(e["id"]);
    EXPECT_EQ(page["next_after"], page["items"].back()["seq"]);
    after = page["next_after"].get<std::int64_t>();
  }
  std::vector<std::string> ids;
  for (const auto& e : everything) ids.push_back(e["id"]);
  EXPECT_EQ(paged, ids);
  EXPECT_EQ(feed("", key)["items"].size(), 7u);  // default limit 100
}

TEST_F(EventsTest, BadPagingIs400AndNamesTheParameter) {
  for (const char* q :
       {"?limit=501", "?limit=0", "?limit=-1", "?limit=ten", "?limit=100000000000"}) {
    auto r = server.get(std::string("/api/v1/integration/events") + q, key);
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_EQ(r.json()["error"]["field"], "limit") << q << r.body;
  }
  for (const char* q : {"?after=-1", "?after=x", "?after=1.5", "?after="}) {
    auto r = server.get(std::string("/api/v1/integration/events") + q, key);
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_EQ(r.json()["error"]["field"], "after") << q << r.body;
  }
  EXPECT_EQ(server.get("/api/v1/integration/events?limit=500", key).status, 200);
  EXPECT_EQ(server.get("/api/v1/integration/events", "").status, 401);
  EXPECT_EQ(server.get("/api/v1/integration/events", admin).status, 401);  // a session is no key
}

TEST_F(EventsTest, AnotherOrganizationSeesNoneOfThem) {
  server.initOrganization("Rival", "owner@rival.example");
  auto rival = *server.app().createApiKey("Rival", "ERP");
  EXPECT_FALSE(all(key).empty());
  EXPECT_TRUE(all(rival).empty());
  EXPECT_TRUE(feed("?after=0", rival)["items"].empty());
}

TEST_F(EventsTest, AnEventVanishesWithARolledBackChangeAndARefusedChangeMakesNone) {
  auto before = all(key).size();
  {
    storage::Transaction tx(server.app().db().connection());
    auto org = core::OrgId{1};
    server.app().events().record({org, "user.joined", core::CompanyId{company}, "user", 1, "{}"});
    // no commit: the change fails, and its event goes with it
  }
  EXPECT_EQ(all(key).size(), before);
  // A refused rights change (an unknown role) records nothing.
  auto members = server.get(usersPath(), admin).json()["items"];
  auto id = members[0]["id"].get<std::int64_t>();
  auto r = server.request("PATCH", usersPath() + "/" + std::to_string(id), R"({"role":"emperor"})",
                          {"Content-Type: application/json", "Authorization: Bearer " + admin});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(all(key).size(), before);
  // A committed one is there.
  {
    storage::Transaction tx(server.app().db().connection());
    server.app().events().record(
        {core::OrgId{1}, "user.joined", core::CompanyId{company}, "user", 1, "{}"});
    tx.commit();
  }
  EXPECT_EQ(all(key).size(), before + 1);
}

TEST_F(EventsTest, EventsOlderThanThirtyDaysArePruned) {
  auto before = all(key).size();
  ASSERT_GT(before, 0u);
  server.clock().advance(29 * 24 * 3600);
  server.app().jobRunner().runHousekeeping();
  EXPECT_EQ(all(key).size(), before);
  {
    storage::Transaction tx(server.app().db().connection());
    server.app().events().record({core::OrgId{1}, "user.removed", core::CompanyId{company}, "user",
                                  1, R"({"email":"late@c1.example"})"});
    tx.commit();
  }
  server.clock().advance(2 * 24 * 3600);
  server.app().jobRunner().runHousekeeping();
  auto left = all(key);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0]["data"]["email"], "late@c1.example");
}

}  // namespace
}  // namespace portico::testing
