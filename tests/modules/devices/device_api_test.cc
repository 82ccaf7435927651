// Devices as the ERP writes them and as the people of its customers see them: across their
// companies, within their sites and permissions, by id and by scanned code; renamed and moved by
// those who manage devices, given new codes by the vendor's staff.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "modules/devices/device_fixture.h"

namespace portico::testing {
namespace {

class DeviceApiTest : public DeviceTest {};

TEST_F(DeviceApiTest, TheErpWritesADeviceThatGetsACodeAndKeepsItOnUpdate) {
  auto r = upsert({{"external_id", "D1"},
                   {"company_external_id", "A"},
                   {"name", "Chiller"},
                   {"serial", "CH-100"},
                   {"model", "C-2"},
                   {"status", "attention"},
                   {"site_external_id", "S-N"},
                   {"properties", {{"Refrigerant", "R32"}, {"Capacity kW", 12}, {"Indoor", true}}},
                   {"last_service", "2026-06-01"},
                   {"next_service", "2027-06-01"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto d = r.json();
  auto code = d["code"].get<std::string>();
  EXPECT_TRUE(std::regex_match(code, std::regex("[23456789ABCDEFGHJKMNPQRSTWXYZ]{10}"))) << code;
  EXPECT_EQ(d["site_id"], north);
  EXPECT_EQ(d["site_name"], "Site S-N");
  EXPECT_EQ(d["status"], "attention");
  EXPECT_EQ(d["properties"],
            json({{"Capacity kW", "12"}, {"Indoor", "true"}, {"Refrigerant", "R32"}}));
  EXPECT_EQ(d["company_external_id"], "A");

  // Left out: kept. null: cleared. The code stays what it was.
  r = upsert({{"external_id", "D1"},
              {"company_external_id", "A"},
              {"name", "Chiller 1"},
              {"serial", "CH-100"},
              {"status", "ok"},
              {"site_external_id", nullptr},
              {"next_service", nullptr}});
  ASSERT_EQ(r.status, 200) << r.body;
  d = r.json();
  EXPECT_EQ(d["code"], code);
  EXPECT_EQ(d["name"], "Chiller 1");
  EXPECT_EQ(d["model"], "C-2");
  EXPECT_EQ(d["site_id"], nullptr);
  EXPECT_EQ(d["last_service"], "2026-06-01");
  EXPECT_EQ(d["next_service"], nullptr);
  EXPECT_EQ(d["properties"].size(), 3u);
  EXPECT_EQ(count("devices"), 1);
  EXPECT_EQ(server.scalar("SELECT count(*) FROM audit_log WHERE event LIKE 'device.%'"), 2);

  // Two devices never share a code.
  auto other = device("D2");
  EXPECT_NE(other["code"], code);
}

TEST_F(DeviceApiTest, AFaultyRecordIsRefusedNamingItsFieldAndWritesNothing) {
  device("D1");
  struct Bad {
    json change;
    int status;
    std::string field;
  };
  for (const auto& b : std::vector<Bad>{
           {{{"serial", nullptr}}, 400, "serial"},
           {{{"name", ""}}, 400, "name"},
           {{{"status", "broken"}}, 400, "status"},
           {{{"last_service", "2026-13-01"}}, 400, "last_service"},
           {{{"site_external_id", "S-B"}}, 400, "site_external_id"},  // B's site, not A's
           {{{"properties", json::array({"R32"})}}, 400, "properties"},
           {{{"properties", {{"Refrigerant", json::object()}}}}, 400, "properties.Refrigerant"},
           {{{"company_external_id", "nobody"}}, 400, "company_external_id"},
           {{{"serial", "SN-D1"}}, 409, "serial"},  // D1's serial, on another device
       }) {
    SCOPED_TRACE(b.change.dump());
    json r = {
        {"external_id", "D2"}, {"company_external_id", "A"}, {"name", "Pump"}, {"serial", "SN-D2"}};
    for (auto& [k, v] : b.change.items()) r[k] = v;
    auto res = upsert(r);
    EXPECT_EQ(res.status, b.status) << res.body;
    EXPECT_EQ(res.json()["error"]["field"], b.field) << res.body;
  }
  EXPECT_EQ(count("devices"), 1);
  // A device stays with the company it was created in.
  auto res = upsert({{"external_id", "D1"},
                     {"company_external_id", "B"},
                     {"name", "Moved"},
                     {"serial", "SN-D1"}});
  EXPECT_EQ(res.status, 409) << res.body;
  EXPECT_EQ(res.json()["error"]["field"], "company_external_id");
  EXPECT_EQ(call("GET", "/api/v1/devices?q=Moved", ada).json()["items"].size(), 0u);
}

TEST_F(DeviceApiTest, TheBulkCallWritesEachGoodLineAndReportsTheBadOnes) {
  std::string body =
      json({{"external_id", "B1"}, {"company_external_id", "A"}, {"name", "One"}, {"serial", "1"}})
          .dump() +
      "\n" + json({{"external_id", "B2"}, {"company_external_id", "A"}, {"name", "Two"}}).dump() +
      "\n" +
      json(
          {{"external_id", "B3"}, {"company_external_id", "B"}, {"name", "Three"}, {"serial", "3"}})
          .dump() +
      "\n";
  auto r = server.request("POST", "/api/v1/integration/devices/bulk", body,
                          {"Authorization: Bearer " + key, "Content-Type: application/x-ndjson"});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["created"], 2);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["results"][1]["status"], "error");
  EXPECT_EQ(j["results"][1]["line"], 2);
  EXPECT_EQ(count("devices"), 2);
}

TEST_F(DeviceApiTest, AListSpansTheCallersCompaniesWithFiltersSearchAndPages) {
  auto a1 = deviceId("A1", {{"name", "Boiler"}, {"status", "fault"}, {"site_external_id", "S-N"}});
  auto a2 = deviceId("A2", {{"name", "Air handler"}, {"site_external_id", "S-S"}});
  auto a3 = deviceId("A3", {{"name", "Chiller"}, {"model", "XR-77"}});
  auto b1 = deviceId("B1", {{"company_external_id", "B"}, {"name", "Compressor"}});
  // Ada sees company A's by name; Olga company B's only.
  EXPECT_EQ(listed(ada, "/api/v1/devices"), (std::vector<std::int64_t>{a2, a1, a3}));
  EXPECT_EQ(listed(olga, "/api/v1/devices"), std::vector<std::int64_t>{b1});
  auto first = call("GET", "/api/v1/devices", ada).json()["items"][0];
  EXPECT_EQ(first["company_id"], company);
  EXPECT_EQ(first["company_name"], "Company A");
  EXPECT_EQ(first["site_id"], south);
  EXPECT_FALSE(first.contains("properties"));

  EXPECT_EQ(listed(ada, "/api/v1/devices?status=fault"), std::vector<std::int64_t>{a1});
  EXPECT_EQ(listed(ada, "/api/v1/devices?site_id=" + std::to_string(north)),
            std::vector<std::int64_t>{a1});
  EXPECT_EQ(listed(ada, "/api/v1/devices?q=xr-7"), std::vector<std::int64_t>{a3});   // model
  EXPECT_EQ(listed(ada, "/api/v1/devices?q=SN-A2"), std::vector<std::int64_t>{a2});  // serial
  EXPECT_EQ(listed(ada, "/api/v1/devices?q=100%25"), std::vector<std::int64_t>{});   // % literal
  EXPECT_EQ(listed(ada, "/api/v1/devices?company_id=" + std::to_string(company)).size(), 3u);

  // Pages follow each other by the cursor, each device once.
  auto page = call("GET", "/api/v1/devices?limit=2", ada).json();
  ASSERT_EQ(page["items"].size(), 2u);
  ASSERT_TRUE(page["next_cursor"].is_string());
  auto rest =
      listed(ada, "/api/v1/devices?limit=2&cursor=" + page["next_cursor"].get<std::string>());
  EXPECT_EQ(rest, std::vector<std::int64_t>{a3});
  EXPECT_TRUE(call("GET", "/api/v1/devices?limit=3", ada).json()["next_cursor"].is_null());

  for (const char* bad :
       {"?status=broken", "?cursor=nonsense", "?limit=0", "?limit=201", "?site_id=x"}) {
    EXPECT_EQ(call("GET", std::string("/api/v1/devices") + bad, ada).status, 400) << bad;
  }
  EXPECT_EQ(call("GET", "/api/v1/devices?q=" + std::string(201, 'x'), ada).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/devices?company_id=" + std::to_string(other_company), ada).status,
            404);
}

TEST_F(DeviceApiTest, AnotherCompanysDeviceIsNotFoundByIdOrByCode) {
  auto b = device("B1", {{"company_external_id", "B"}});
  auto id = b["id"].get<std::int64_t>();
  EXPECT_EQ(call("GET", path(id), olga).status, 200);
  EXPECT_EQ(call("GET", path(id), ada).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/devices/by-code/" + b["code"].get<std::string>(), ada).status,
            404);
  EXPECT_EQ(call("PATCH", path(id), ada, {{"name", "Mine now"}}).status, 404);
  EXPECT_EQ(call("GET", path(id), olga).json()["name"], "Heat pump B1");
}

TEST_F(DeviceApiTest, SiteScopeLimitsWhatAMemberSeesEverywhere) {
  auto at_north = device("N1", {{"site_external_id", "S-N"}});
  auto at_south = device("S1", {{"site_external_id", "S-S"}});
  auto nowhere = device("X1");
  setBob({{"sites", json::array({north})}});
  EXPECT_EQ(listed(bob, "/api/v1/devices"), std::vector<std::int64_t>{at_north["id"]});
  EXPECT_EQ(call("GET", path(at_north["id"]), bob).status, 200);
  for (const auto& d : {at_south, nowhere}) {
    EXPECT_EQ(call("GET", path(d["id"]), bob).status, 404);
    EXPECT_EQ(call("GET", "/api/v1/devices/by-code/" + d["code"].get<std::string>(), bob).status,
              404);
  }
  EXPECT_EQ(
      call("GET", "/api/v1/devices/by-code/" + at_north["code"].get<std::string>(), bob).status,
      200);
  // The site filter never widens the scope.
  EXPECT_EQ(listed(bob, "/api/v1/devices?site_id=" + std::to_string(south)).size(), 0u);
  // A member who sees only their own records sees no device: a device is the company's.
  setBob({{"sites", "all"}, {"visibility", "own"}});
  EXPECT_EQ(listed(bob, "/api/v1/devices").size(), 0u);
  EXPECT_EQ(call("GET", path(nowhere["id"]), bob).status, 404);
}

TEST_F(DeviceApiTest, ServicesViewShowsDevicesAndDevicesManageChangesThem) {
  auto id = deviceId("D1", {{"site_external_id", "S-N"}});
  setBob({{"permissions", {"support.view"}}});
  EXPECT_EQ(call("GET", path(id), bob).status, 404);
  EXPECT_EQ(listed(bob, "/api/v1/devices").size(), 0u);
  EXPECT_EQ(call("GET", "/api/v1/devices?company_id=" + std::to_string(company), bob).status, 404);

  setBob({{"permissions", {"services.view"}}});
  auto seen = call("GET", path(id), bob).json();
  EXPECT_EQ(seen["may_manage"], false);
  EXPECT_FALSE(seen.contains("sites"));
  auto r = call("PATCH", path(id), bob, {{"name", "Renamed"}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(call("GET", path(id), bob).json()["name"], "Heat pump D1");

  setBob({{"permissions", {"services.view", "devices.manage"}}});
  seen = call("GET", path(id), bob).json();
  EXPECT_EQ(seen["may_manage"], true);
  EXPECT_EQ(seen["may_rotate"], false);
  EXPECT_EQ(seen["sites"].size(), 4u);  // North, South and the two of the ERP
  r = call("PATCH", path(id), bob, {{"name", "Renamed"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["name"], "Renamed");
}

TEST_F(DeviceApiTest, RenamingAndMovingAreAuditedAndTellTheErp) {
  auto id = deviceId("D1", {{"site_external_id", "S-N"}});
  auto r = call("PATCH", path(id), ada, {{"name", "  Main chiller "}, {"site_id", south}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["name"], "Main chiller");
  EXPECT_EQ(r.json()["site_id"], south);
  EXPECT_EQ(r.json()["site_name"], "Site S-S");
  auto sent = events("device.updated");
  ASSERT_EQ(sent.size(), 1u);
  const auto& data = sent[0]["data"];
  EXPECT_EQ(sent[0]["company_external_id"], "A");
  EXPECT_EQ(data["external_id"], "D1");
  EXPECT_EQ(data["changes"]["name"]["from"], "Heat pump D1");
  EXPECT_EQ(data["changes"]["name"]["to"], "Main chiller");
  EXPECT_EQ(data["changes"]["site_id"]["from"], north);
  EXPECT_EQ(data["changes"]["site_id"]["to"], south);
  EXPECT_EQ(data["by"]["email"], "ada@a.example");
  EXPECT_EQ(server.scalar("SELECT count(*) FROM audit_log WHERE event = 'device.changed'"), 1);

  // Nothing changed: no event. At no site: null.
  EXPECT_EQ(call("PATCH", path(id), ada, {{"name", "Main chiller"}}).status, 200);
  EXPECT_EQ(events("device.updated").size(), 1u);
  r = call("PATCH", path(id), ada, {{"site_id", nullptr}});
  EXPECT_EQ(r.json()["site_id"], nullptr) << r.body;
  EXPECT_EQ(events("device.updated").size(), 2u);
}

TEST_F(DeviceApiTest, ABadChangeIsRefusedAndChangesNothing) {
  auto id = deviceId("D1", {{"site_external_id", "S-N"}});
  struct Bad {
    json body;
    std::string field;
  };
  for (const auto& b : std::vector<Bad>{{{{"name", "   "}}, "name"},
                                        {{{"name", std::string(201, 'x')}}, "name"},
                                        {{{"name", 7}}, "name"},
                                        {{{"site_id", b_site}}, "site_id"},  // B's site
                                        {{{"site_id", 999999}}, "site_id"},
                                        {{{"site_id", "north"}}, "site_id"},
                                        {{{"serial", "X"}}, "serial"}}) {
    SCOPED_TRACE(b.body.dump());
    auto r = call("PATCH", path(id), ada, b.body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.json()["error"]["field"], b.field);
  }
  EXPECT_EQ(call("PATCH", path(id), ada, json::array()).status, 400);
  auto d = call("GET", path(id), ada).json();
  EXPECT_EQ(d["name"], "Heat pump D1");
  EXPECT_EQ(d["site_id"], north);
  EXPECT_EQ(events("device.updated").size(), 0u);
  EXPECT_EQ(call("PATCH", path(id), ada, json::object()).status, 400);
  // A manager who sees only North cannot move the device to South, nor take it off every site,
  // nor change a device at South at all (not found).
  auto at_south = deviceId("S1", {{"site_external_id", "S-S"}});
  setBob({{"sites", json::array({north})}});
  EXPECT_EQ(call("PATCH", path(id), bob, {{"site_id", south}}).status, 400);
  EXPECT_EQ(call("PATCH", path(id), bob, {{"site_id", nullptr}}).status, 400);
  EXPECT_EQ(call("PATCH", path(at_south), bob, {{"name", "Mine"}}).status, 404);
  EXPECT_EQ(call("GET", path(id), ada).json()["site_id"], north);
}

TEST_F(DeviceApiTest, ACodeOpensItsDeviceAsTypedUntilStaffRotateIt) {
  auto d = device("D1");
  auto code = d["code"].get<std::string>();
  std::string typed = code.substr(0, 5) + "-" + code.substr(5);
  for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto r = call("GET", "/api/v1/devices/by-code/" + typed, ada);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["id"], d["id"]);
  for (const char* nothing : {"2222222222", "ABC", "0000000000", "%27%20OR%201%3D1"}) {
    EXPECT_EQ(call("GET", std::string("/api/v1/devices/by-code/") + nothing, ada).status, 404)
        << nothing;
  }

  auto id = d["id"].get<std::int64_t>();
  // Customers and support staff may not rotate; the vendor's administrators may.
  EXPECT_EQ(call("POST", path(id) + "/code", ada).status, 403);
  EXPECT_EQ(call("POST", path(id) + "/code", support).status, 403);
  EXPECT_EQ(call("POST", path(id) + "/code", olga).status, 404);
  auto admin = server.staffMember("Vendor", "val@vendor.example", "admin");
  r = call("POST", path(id) + "/code", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  auto fresh = r.json()["code"].get<std::string>();
  EXPECT_NE(fresh, code);
  EXPECT_TRUE(r.json()["code_rotated_at"].is_string());
  EXPECT_EQ(call("GET", "/api/v1/devices/by-code/" + code, ada).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/devices/by-code/" + fresh, ada).status, 200);
  EXPECT_EQ(server.scalar("SELECT count(*) FROM audit_log WHERE event = 'device.code_rotated'"), 1);
  // The ERP's next update keeps the new code.
  EXPECT_EQ(device("D1")["code"], fresh);
}

TEST_F(DeviceApiTest, StaffSeeTheirCustomersDevices) {
  auto a = deviceId("A1");
  auto b = deviceId("B1", {{"company_external_id", "B"}});
  EXPECT_EQ(listed(support, "/api/v1/devices").size(), 2u);
  EXPECT_EQ(listed(support, "/api/v1/devices?company_id=" + std::to_string(company)),
            std::vector<std::int64_t>{a});
  auto seen = call("GET", path(b), support).json();
  EXPECT_EQ(seen["may_manage"], false);  // support staff read
  EXPECT_EQ(call("PATCH", path(b), support, {{"name", "X"}}).status, 403);
}

TEST_F(DeviceApiTest, ACaseOpenedOnADeviceIsAtTheDevicesSite) {
  auto at_north = deviceId("N1", {{"site_external_id", "S-N"}});
  auto at_south = deviceId("S1", {{"site_external_id", "S-S"}});
  auto of_b = deviceId("B1", {{"company_external_id", "B"}});
  setBob({{"sites", json::array({north})}});
  auto r = call("POST", "/api/v1/cases", bob,
                {{"company_id", company},
                 {"subject", "Noisy"},
                 {"description", "It rattles"},
                 {"device_id", at_north}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["device_id"], at_north);
  EXPECT_EQ(r.json()["site_id"], north);
  auto cases = call("GET", "/api/v1/cases?device_id=" + std::to_string(at_north), bob).json();
  EXPECT_EQ(cases["items"].size(), 1u);
  for (auto device : {at_south, of_b, std::int64_t{999999}}) {
    r = call("POST", "/api/v1/cases", bob,
             {{"company_id", company},
              {"subject", "Noisy"},
              {"description", "It rattles"},
              {"device_id", device}});
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.json()["error"]["field"], "device_id");
  }
  // Support cases alone (no services.view): no device to name, and none to learn of by trying.
  setBob({{"sites", "all"}, {"role", "support_user"}});
  r = call("POST", "/api/v1/cases", bob,
           {{"company_id", company},
            {"subject", "Noisy"},
            {"description", "It rattles"},
            {"device_id", at_north}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["field"], "device_id");
  EXPECT_EQ(server.scalar("SELECT count(*) FROM cases"), 1);
}

TEST_F(DeviceApiTest, AnotherOrganizationsCodeNamesNothingHere) {
  server.initOrganization("Rival", "owner@rival.example");
  auto rival_key = *server.app().createApiKey("Rival", "ERP");
  ASSERT_EQ(call("POST", "/api/v1/integration/companies", rival_key,
                 {{"external_id", "R1"}, {"name", "Rival customer"}})
                .status,
            201);
  auto r = call("POST", "/api/v1/integration/devices", rival_key,
                {{"external_id", "D1"},
                 {"company_external_id", "R1"},
                 {"name", "Theirs"},
                 {"serial", "SN-D1"}});  // the same external id and serial as ours may be
  ASSERT_EQ(r.status, 201) << r.body;
  auto theirs = r.json();
  auto ours = device("D1");
  EXPECT_NE(theirs["code"], ours["code"]);
  for (const auto& token : {ada, support}) {
    EXPECT_EQ(
        call("GET", "/api/v1/devices/by-code/" + theirs["code"].get<std::string>(), token).status,
        404);
    EXPECT_EQ(call("GET", path(theirs["id"].get<std::int64_t>()), token).status, 404);
  }
  EXPECT_EQ(listed(support, "/api/v1/devices"), std::vector<std::int64_t>{ours["id"]});
}

}  // namespace
}  // namespace portico::testing
