// Service jobs as the ERP writes them and as the people of its customers see them: visits at
// their sites, across their companies, within their site scope and permissions.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/text.h"
#include "support/company_fixture.h"

namespace portico::testing {
namespace {

class ServiceJobApiTest : public CompanyTest {
 protected:
  ServiceJobApiTest() {
    north = erpSite("S-N", "A");
    south = erpSite("S-S", "A");
    erpSite("S-B", "B");
    auto admin = server.staffMember("Vendor", "val@vendor.example", "admin");
    tech = server.staffMember("Vendor", "tove@vendor.example", "personnel");
    auto r = call("POST", "/api/v1/staff/personnel", admin,
                  {{"name", "Tove Tekniker"}, {"email", "tove@vendor.example"}});
    EXPECT_EQ(r.status, 201) << r.body;
    tove = r.json()["id"].get<std::int64_t>();
  }
  std::int64_t erpSite(const std::string& external_id, const std::string& company_external_id) {
    auto r = call("POST", "/api/v1/integration/sites", key,
                  {{"external_id", external_id},
                   {"company_external_id", company_external_id},
                   {"name", "Site " + external_id},
                   {"address", "Street 1, " + external_id}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"].get<std::int64_t>();
  }
  std::string at(int hours) { return core::rfc3339(server.clock().now() + hours * 3600); }
  HttpResult upsert(const json& record) {
    return call("POST", "/api/v1/integration/jobs", key, record);
  }
  json job(const std::string& external_id, json extra = json::object()) {
    json r = {{"external_id", external_id},   {"company_external_id", "A"},
              {"number", "J-" + external_id}, {"title", "Service visit " + external_id},
              {"site_external_id", "S-N"},    {"window_start", at(24)},
              {"window_end", at(26)}};
    for (auto& [k, v] : extra.items()) r[k] = v;
    auto res = upsert(r);
    EXPECT_TRUE(res.status == 201 || res.status == 200) << res.body;
    return res.json();
  }
  std::vector<std::int64_t> listed(const std::string& token, const std::string& path) {
    auto r = call("GET", path, token);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    auto page = r.json();
    std::vector<std::int64_t> ids;
    for (const auto& j : page["items"]) ids.push_back(j["id"].get<std::int64_t>());
    return ids;
  }
  static std::string path(const json& j) {
    return "/api/v1/jobs/" + std::to_string(j["id"].get<std::int64_t>());
  }
  std::string tech;
  std::int64_t north = 0, south = 0, tove = 0;
};

TEST_F(ServiceJobApiTest, TheErpWritesAVisitWithItsTechnicianCaseAndDevices) {
  auto d = call(
      "POST", "/api/v1/integration/devices", key,
      {{"external_id", "D1"}, {"company_external_id", "A"}, {"name", "Pump"}, {"serial", "P1"}});
  ASSERT_EQ(d.status, 201) << d.body;
  auto opened =
      call("POST", "/api/v1/cases", ada,
           {{"company_id", company}, {"subject", "Noisy"}, {"description", "It rattles"}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  auto number = opened.json()["number"].get<std::string>();
  auto r = upsert({{"external_id", "W1"},
                   {"company_external_id", "A"},
                   {"number", "J-100"},
                   {"title", "Annual service"},
                   {"description", "Check the pump\nReplace the filter"},
                   {"site_external_id", "S-N"},
                   {"window_start", at(24)},
                   {"window_end", at(27)},
                   {"personnel_email", "Tove@Vendor.example"},
                   {"case_number", number},
                   {"device_external_ids", {"D1", "D1"}},
                   {"parts", {{{"description", "Filter F7"}, {"quantity", "2"}}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["status"], "scheduled");
  EXPECT_EQ(j["site_id"], north);
  EXPECT_EQ(j["site_address"], "Street 1, S-N");
  EXPECT_EQ(j["personnel"]["id"], tove);
  EXPECT_EQ(j["personnel"]["name"], "Tove Tekniker");
  EXPECT_EQ(j["case_id"], opened.json()["id"]);
  EXPECT_EQ(j["device_ids"], json::array({d.json()["id"]}));
  EXPECT_EQ(j["parts"][0]["description"], "Filter F7");
  EXPECT_EQ(j["window_start"], at(24));
  EXPECT_EQ(j["revision"], 1);

  // Written again: whole, but the notes and parts the portal wrote stay when left out.
  r = upsert({{"external_id", "W1"},
              {"company_external_id", "A"},
              {"number", "J-100"},
              {"title", "Annual service (moved)"},
              {"site_external_id", "S-S"},
              {"window_start", at(48)},
              {"window_end", at(50)},
              {"status", "en_route"}});
  ASSERT_EQ(r.status, 200) << r.body;
  j = r.json();
  EXPECT_EQ(j["site_id"], south);
  EXPECT_EQ(j["status"], "en_route");
  EXPECT_EQ(j["personnel"], nullptr);
  EXPECT_EQ(j["device_ids"], json::array());
  EXPECT_EQ(j["parts"].size(), 1u);
  EXPECT_EQ(j["revision"], 2);
  // The same record again (a re-sync): nothing changes, the revision neither.
  r = upsert({{"external_id", "W1"},
              {"company_external_id", "A"},
              {"number", "J-100"},
              {"title", "Annual service (moved)"},
              {"site_external_id", "S-S"},
              {"window_start", at(48)},
              {"window_end", at(50)},
              {"status", "en_route"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["revision"], 2);
  // Every write of the ERP is in the audit log, the one that changed nothing too.
  EXPECT_EQ(server.scalar("SELECT count(*) FROM audit_log WHERE event LIKE 'job.%'"), 3);
}

TEST_F(ServiceJobApiTest, AFaultyRecordIsRefusedNamingItsFieldAndWritesNothing) {
  job("W1");
  struct Bad {
    json change;
    int status;
    std::string field;
  };
  for (const auto& b : std::vector<Bad>{
           {{{"site_external_id", nullptr}}, 400, "site_external_id"},
           {{{"site_external_id", "S-B"}}, 400, "site_external_id"},  // B's site
           {{{"window_start", "tomorrow"}}, 400, "window_start"},
           {{{"window_end", at(1)}}, 400, "window_end"},  // before the start
           {{{"status", "parked"}}, 400, "status"},
           {{{"personnel_email", "ada@a.example"}}, 400, "personnel_email"},  // no personnel
           {{{"case_number", "T-999999"}}, 400, "case_number"},
           {{{"device_external_ids", {"nope"}}}, 400, "device_external_ids[0]"},
           {{{"minutes_spent", -5}}, 400, "minutes_spent"},
           {{{"parts", {{{"quantity", "1"}}}}}, 400, "parts[0].description"},
           {{{"number", "J-W1"}}, 409, "number"},  // W1's number
       }) {
    SCOPED_TRACE(b.change.dump());
    json r = {{"external_id", "W2"}, {"company_external_id", "A"}, {"number", "J-W2"},
              {"title", "Visit"},    {"site_external_id", "S-N"},  {"window_start", at(2)},
              {"window_end", at(3)}};
    for (auto& [k, v] : b.change.items()) r[k] = v;
    auto res = upsert(r);
    EXPECT_EQ(res.status, b.status) << res.body;
    EXPECT_EQ(res.json()["error"]["field"], b.field) << res.body;
  }
  EXPECT_EQ(server.scalar("SELECT count(*) FROM service_jobs"), 1);
  auto moved = upsert({{"external_id", "W1"},
                       {"company_external_id", "B"},
                       {"number", "J-W1"},
                       {"title", "Visit"},
                       {"site_external_id", "S-B"},
                       {"window_start", at(2)},
                       {"window_end", at(3)}});
  EXPECT_EQ(moved.status, 409) << moved.body;
  EXPECT_EQ(moved.json()["error"]["field"], "company_external_id");
}

TEST_F(ServiceJobApiTest, AListShowsTheVisitsAtTheCallersSitesNewestFirst) {
  auto soon = job("W1", {{"window_start", at(2)}, {"window_end", at(3)}});
  auto later = job("W2", {{"window_start", at(48)},
                          {"window_end", at(50)},
                          {"status", "done"},
                          {"site_external_id", "S-S"}});
  auto theirs = job("B1", {{"company_external_id", "B"}, {"site_external_id", "S-B"}});
  EXPECT_EQ(listed(ada, "/api/v1/jobs"), (std::vector<std::int64_t>{later["id"], soon["id"]}));
  EXPECT_EQ(listed(olga, "/api/v1/jobs"), std::vector<std::int64_t>{theirs["id"]});
  EXPECT_EQ(listed(ada, "/api/v1/jobs?status=done"), std::vector<std::int64_t>{later["id"]});
  EXPECT_EQ(listed(ada, "/api/v1/jobs?q=j-w1"), std::vector<std::int64_t>{soon["id"]});
  EXPECT_EQ(listed(ada, "/api/v1/jobs?site_id=" + std::to_string(south)),
            std::vector<std::int64_t>{later["id"]});
  auto page = call("GET", "/api/v1/jobs?limit=1", ada).json();
  ASSERT_TRUE(page["next_cursor"].is_string());
  EXPECT_EQ(listed(ada, "/api/v1/jobs?limit=1&cursor=" + page["next_cursor"].get<std::string>()),
            std::vector<std::int64_t>{soon["id"]});
  EXPECT_FALSE(page["items"][0].contains("parts"));
  for (const char* bad : {"?status=parked", "?cursor=x", "?limit=0", "?device_id=-1"}) {
    EXPECT_EQ(call("GET", std::string("/api/v1/jobs") + bad, ada).status, 400) << bad;
  }
  EXPECT_EQ(call("GET", "/api/v1/jobs?company_id=" + std::to_string(other_company), ada).status,
            404);
  EXPECT_EQ(call("GET", path(theirs), ada).status, 404);
  EXPECT_EQ(call("GET", path(soon), ada).json()["description"], "");
}

TEST_F(ServiceJobApiTest, SiteScopeAndPermissionsDecideWhoSeesAVisit) {
  auto at_north = job("W1");
  auto at_south = job("W2", {{"site_external_id", "S-S"}});
  setBob({{"sites", json::array({north})}});
  EXPECT_EQ(listed(bob, "/api/v1/jobs"), std::vector<std::int64_t>{at_north["id"]});
  EXPECT_EQ(call("GET", path(at_north), bob).status, 200);
  EXPECT_EQ(call("GET", path(at_south), bob).status, 404);
  setBob({{"sites", "all"}, {"permissions", {"support.view"}}});
  EXPECT_EQ(call("GET", path(at_north), bob).status, 404);
  EXPECT_EQ(listed(bob, "/api/v1/jobs").size(), 0u);
  setBob({{"sites", "all"}, {"visibility", "own"}, {"permissions", {"services.view"}}});
  EXPECT_EQ(listed(bob, "/api/v1/jobs").size(), 0u);
  // Staff who read records see them; a technician's own list is the personnel API's.
  EXPECT_EQ(listed(support, "/api/v1/jobs").size(), 2u);
  EXPECT_EQ(listed(tech, "/api/v1/jobs").size(), 0u);
  EXPECT_EQ(call("GET", path(at_north), tech).status, 404);
}

TEST_F(ServiceJobApiTest, ADevicesVisitsAreFoundByTheDevice) {
  auto d =
      call(
          "POST", "/api/v1/integration/devices", key,
          {{"external_id", "D1"}, {"company_external_id", "A"}, {"name", "Pump"}, {"serial", "P1"}})
          .json();
  auto with = job("W1", {{"device_external_ids", {"D1"}}});
  job("W2");
  EXPECT_EQ(listed(ada, "/api/v1/jobs?device_id=" + std::to_string(d["id"].get<std::int64_t>())),
            std::vector<std::int64_t>{with["id"]});
}

TEST_F(ServiceJobApiTest, APersonReadsTheVisitsAtTheirSitesOnTheirPages) {
  auto d =
      call(
          "POST", "/api/v1/integration/devices", key,
          {{"external_id", "D1"}, {"company_external_id", "A"}, {"name", "Pump"}, {"serial", "P1"}})
          .json();
  auto visit = job("W1", {{"title", "Filter change"},
                          {"personnel_email", "tove@vendor.example"},
                          {"device_external_ids", {"D1"}},
                          {"notes", "Bring the long ladder"},
                          {"parts", {{{"description", "Filter F7"}, {"quantity", "2"}}}}});
  job("B1", {{"company_external_id", "B"}, {"site_external_id", "S-B"}, {"title", "Olga's visit"}});
  auto b = signIn("bob@a.example", bob_secret);
  EXPECT_NE(b.get("/").body.find("href=\"/jobs\""), std::string::npos);
  auto list = b.get("/jobs");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find("Filter change"), std::string::npos);
  EXPECT_NE(list.body.find("Tove Tekniker"), std::string::npos);
  EXPECT_EQ(list.body.find("Olga"), std::string::npos);
  EXPECT_NE(b.get("/jobs?q=nothing-like-this").body.find("No visit matches these filters."),
            std::string::npos);
  auto id = std::to_string(visit["id"].get<std::int64_t>());
  auto page = b.get("/jobs/" + id);
  ASSERT_EQ(page.status, 200) << page.body;
  for (const char* text : {"Street 1, S-N", "openstreetmap.org/search?query=",
                           "Bring the long ladder", "Filter F7", "Scheduled"}) {
    EXPECT_NE(page.body.find(text), std::string::npos) << text;
  }
  auto device = std::to_string(d["id"].get<std::int64_t>());
  EXPECT_NE(page.body.find("href=\"/devices/" + device + "\""), std::string::npos);
  // The device's visits, from its page.
  EXPECT_NE(b.get("/devices/" + device).body.find("href=\"/jobs?device_id=" + device + "\""),
            std::string::npos);
  EXPECT_NE(b.get("/jobs?device_id=" + device).body.find("Filter change"), std::string::npos);
  // Another company's visit, or one without services.view: not found.
  auto theirs = listed(olga, "/api/v1/jobs")[0];
  EXPECT_EQ(b.get("/jobs/" + std::to_string(theirs)).status, 404);
  setBob({{"permissions", {"support.view"}}});
  EXPECT_EQ(b.get("/jobs/" + id).status, 404);
  EXPECT_EQ(b.get("/cases").body.find("href=\"/jobs\""), std::string::npos);
}

}  // namespace
}  // namespace portico::testing
