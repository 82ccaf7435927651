#pragma once

// The fixture of the support cases' tests (support/company_fixture.h), with a case's helpers.
#include "support/company_fixture.h"

namespace portico::testing {

class CaseTest : public CompanyTest {
 protected:
  json open(const std::string& token, json body = json::object()) {
    if (!body.contains("company_id")) body["company_id"] = company;
    if (!body.contains("subject")) body["subject"] = "Printer jams";
    if (!body.contains("description")) body["description"] = "Every second page.\nSince Monday.";
    auto r = call("POST", "/api/v1/cases", token, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  std::string casePath(std::int64_t id) { return "/api/v1/cases/" + std::to_string(id); }
  std::vector<std::int64_t> listed(const std::string& token, const std::string& query = "") {
    auto r = call("GET", "/api/v1/cases" + query, token);
    EXPECT_EQ(r.status, 200) << r.body;
    auto page = r.json();
    std::vector<std::int64_t> ids;
    for (const auto& c : page["items"]) ids.push_back(c["id"].get<std::int64_t>());
    return ids;
  }
};

}  // namespace portico::testing
