#pragma once

// The fixture of the devices' tests (support/company_fixture.h): sites of company A (S-N and S-S to
// the ERP, besides the fixture's North and South) and of B (S-B), and the ERP's devices.
#include <string>
#include <vector>

#include "support/company_fixture.h"

namespace portico::testing {

class DeviceTest : public CompanyTest {
 protected:
  DeviceTest() {
    north = erpSite("S-N", "A");
    south = erpSite("S-S", "A");
    b_site = erpSite("S-B", "B");
  }
  // A site the ERP writes for company `company_external_id`: its id.
  std::int64_t erpSite(const std::string& external_id, const std::string& company_external_id) {
    auto r = call("POST", "/api/v1/integration/sites", key,
                  {{"external_id", external_id},
                   {"company_external_id", company_external_id},
                   {"name", "Site " + external_id}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"].get<std::int64_t>();
  }
  HttpResult upsert(const json& record) {
    return call("POST", "/api/v1/integration/devices", key, record);
  }
  // A device of company A (or as `extra` says), upserted: its answer.
  json device(const std::string& external_id, json extra = json::object()) {
    json r = {{"external_id", external_id},
              {"company_external_id", "A"},
              {"name", "Heat pump " + external_id},
              {"serial", "SN-" + external_id},
              {"model", "HP-9"}};
    for (auto& [k, v] : extra.items()) r[k] = v;
    auto res = upsert(r);
    EXPECT_TRUE(res.status == 201 || res.status == 200) << res.body;
    return res.json();
  }
  std::int64_t deviceId(const std::string& external_id, json extra = json::object()) {
    return device(external_id, std::move(extra))["id"].get<std::int64_t>();
  }
  std::vector<std::int64_t> listed(const std::string& token, const std::string& path) {
    auto r = call("GET", path, token);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    auto page = r.json();  // kept: a temporary's member would not outlive the loop's start
    std::vector<std::int64_t> ids;
    for (const auto& d : page["items"]) ids.push_back(d["id"].get<std::int64_t>());
    return ids;
  }
  static std::string path(std::int64_t id) { return "/api/v1/devices/" + std::to_string(id); }
  std::int64_t count(const std::string& table) {
    return server.scalar("SELECT count(*) FROM " + table);
  }
  std::int64_t north = 0, south = 0, b_site = 0;
};

}  // namespace portico::testing
