#pragma once

// The fixture of the documents' tests (support/company_fixture.h): the ERP's records of company A
// and B, and the lists that people see.
#include <string>
#include <vector>

#include "core/business_hours.h"
#include "support/company_fixture.h"

namespace portico::testing {

class DocumentTest : public CompanyTest {
 protected:
  explicit DocumentTest(app::AppConfig config = {}) : CompanyTest(std::move(config)) {}
  // The date `days` from the fake clock's today ("YYYY-MM-DD").
  std::string day(int days = 0) {
    return core::dateText(static_cast<std::int32_t>(server.clock().now() / 86400 + days));
  }
  // An upsert of a record of `kind` ("invoices", …) as the ERP sends it: its answer.
  HttpResult upsert(const std::string& kind, const json& record) {
    return call("POST", "/api/v1/integration/" + kind, key, record);
  }
  // An invoice of company A (or `company_external_id`) with two lines, upserted: its id.
  std::int64_t invoice(const std::string& external_id, json extra = json::object()) {
    json r = {{"external_id", external_id},
              {"company_external_id", "A"},
              {"number", "F-" + external_id},
              {"currency", "SEK"},
              {"date", day(-10)},
              {"due_date", day(20)},
              {"lines",
               {{{"description", "Service visit"},
                 {"quantity", "2"},
                 {"unit_price", "450.00"},
                 {"vat_rate", "25"}},
                {{"description", "Filter"}, {"unit_price", "99.90"}, {"vat_rate", 25}}}}};
    for (auto& [k, v] : extra.items()) r[k] = v;
    auto res = upsert("invoices", r);
    EXPECT_TRUE(res.status == 201 || res.status == 200) << res.body;
    return res.json()["id"].get<std::int64_t>();
  }
  std::vector<std::int64_t> listed(const std::string& token, const std::string& path) {
    auto r = call("GET", path, token);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    auto page = r.json();
    std::vector<std::int64_t> ids;
    for (const auto& d : page["items"]) ids.push_back(d["id"].get<std::int64_t>());
    return ids;
  }
  std::string path(const std::string& kind, std::int64_t id) {
    return "/api/v1/" + kind + "/" + std::to_string(id);
  }
};

}  // namespace portico::testing
