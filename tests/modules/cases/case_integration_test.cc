// The ERP's side of support cases: upserting cases with their comments through the integration
// framework (`POST /api/v1/integration/cases` and `/bulk`), what the customer and staff then see,
// what is refused with the field at fault (and leaves nothing behind), and that a case stays in
// its company.
#include <gtest/gtest.h>

#include "modules/cases/case_fixture.h"

namespace portico::testing {
namespace {

using nlohmann::json;

class CaseIntegrationTest : public CaseTest {
 protected:
  HttpResult upsert(const json& record) {
    return server.request("POST", "/api/v1/integration/cases", record.dump(),
                          {"Content-Type: application/json", "Authorization: Bearer " + key});
  }
  json record(json extra = json::object()) {
    json r = {{"external_id", "ERP-77"},
              {"company_external_id", "A"},
              {"subject", "Annual service"},
              {"description", "Booked by phone.\nBring the filters."}};
    for (auto& [k, v] : extra.items()) r[k] = v;
    return r;
  }
  json detail(const std::string& token, std::int64_t id) {
    auto r = call("GET", casePath(id), token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  std::int64_t count(const std::string& sql) {
    storage::Query q(server.app().db().connection(), sql);
    EXPECT_TRUE(q.next());
    return q.getInt(0);
  }
};

TEST_F(CaseIntegrationTest, TheErpCreatesACaseWithCommentsAndUpdatesItByExternalId) {
  auto r = upsert(record({{"priority", "high"},
                          {"category", "Maintenance"},
                          {"requester_email", "ADA@a.example"},
                          {"comments",
                           {{{"external_id", "m1"},
                             {"body", "We will call you."},
                             {"author_name", "Erik (service desk)"},
                             {"created_at", "2026-11-30T08:00:00Z"}}}}}));
  ASSERT_EQ(r.status, 201) << r.body;
  auto created = r.json();
  auto id = created["id"].get<std::int64_t>();
  EXPECT_EQ(created["external_id"], "ERP-77");
  EXPECT_EQ(created["company_id"], company);
  EXPECT_EQ(created["company_external_id"], "A");
  EXPECT_EQ(created["status"], "new");
  EXPECT_EQ(created["priority"], "high");
  EXPECT_EQ(created["category"]["name"], "Maintenance");
  EXPECT_EQ(created["requester"]["email"], "ada@a.example");
  EXPECT_EQ(created["comments_added"], 1);
  EXPECT_EQ(created["number"].get<std::string>().rfind("T-", 0), 0u);

  // The company's people see it as any other case, the ERP's comment as staff's.
  auto seen = detail(ada, id);
  EXPECT_EQ(seen["subject"], "Annual service");
  EXPECT_EQ(seen["description"], "Booked by phone.\nBring the filters.");
  ASSERT_EQ(seen["comments"].size(), 1u);
  EXPECT_EQ(seen["comments"][0]["body"], "We will call you.");
  EXPECT_EQ(seen["comments"][0]["author_name"], "Erik (service desk)");
  EXPECT_TRUE(seen["comments"][0]["by_staff"].get<bool>());
  EXPECT_TRUE(seen["comments"][0]["author"].is_null());
  EXPECT_EQ(seen["comments"][0]["created_at"], "2026-11-30T08:00:00Z");
  auto found = listed(ada, "?q=filters");
  EXPECT_EQ(found, std::vector<std::int64_t>{id}) << "the ERP's text is searchable";

  // The same external id updates it: fields left out stay, the status is the ERP's to set, a
  // comment of the same external id is rewritten, and a new one added.
  r = upsert({{"external_id", "ERP-77"},
              {"company_external_id", "A"},
              {"subject", "Annual service, 3 December"},
              {"status", "waiting_customer"},
              {"assignee_email", "sam@vendor.example"},
              {"comments",
               {{{"external_id", "m1"}, {"body", "We will call you tomorrow."}},
                {{"external_id", "m2"}, {"body", "Which door?"}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["id"], id);
  EXPECT_EQ(r.json()["comments_added"], 1);
  seen = detail(ada, id);
  EXPECT_EQ(seen["subject"], "Annual service, 3 December");
  EXPECT_EQ(seen["description"], "Booked by phone.\nBring the filters.");
  EXPECT_EQ(seen["priority"], "high");
  EXPECT_EQ(seen["category"]["name"], "Maintenance");
  EXPECT_EQ(seen["status"], "waiting_customer");
  EXPECT_EQ(seen["assignee"]["email"], "sam@vendor.example");
  ASSERT_EQ(seen["comments"].size(), 2u);
  EXPECT_EQ(seen["comments"][0]["body"], "We will call you tomorrow.");
  EXPECT_EQ(seen["comments"][1]["body"], "Which door?");
  bool status_change = false;
  for (const auto& h : seen["changes"]) {
    if (h["field"] == "status" && h["from"] == "new" && h["to"] == "waiting_customer") {
      status_change = h["by"].is_null();
    }
  }
  EXPECT_TRUE(status_change) << seen["changes"].dump();

  // The customer answers as on any case: the waiting case opens again.
  ASSERT_EQ(call("POST", casePath(id) + "/comments", ada, {{"body", "The back door."}}).status,
            201);
  EXPECT_EQ(detail(ada, id)["status"], "open");

  // null clears what may be cleared; the same record again changes nothing more.
  r = upsert(record({{"category", nullptr}, {"requester_email", nullptr}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json()["category"].is_null());
  EXPECT_TRUE(r.json()["requester"].is_null());
  EXPECT_EQ(count("SELECT count(*) FROM cases"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM case_comments"), 3);

  // Audited as the integration's; no event echoes the ERP's own writes back to it.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE event = 'case.created'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE event = 'case.updated'"), 2);
  EXPECT_TRUE(events("case.created").empty());
  EXPECT_EQ(events("case.commented").size(), 1u) << "Ada's own comment is an event";
}

TEST_F(CaseIntegrationTest, AnInternalNoteFromTheErpIsForStaffOnlyAndItsRepliesAreMailed) {
  auto r = upsert(record({{"requester_email", "ada@a.example"},
                          {"comments",
                           {{{"external_id", "n1"},
                             {"body", "Customer owes us money, go slowly"},
                             {"internal", true}}}}}));
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = r.json()["id"].get<std::int64_t>();
  EXPECT_TRUE(detail(ada, id)["comments"].empty());
  EXPECT_EQ(detail(support, id)["comments"].size(), 1u);
  EXPECT_TRUE(listed(ada, "?q=slowly").empty());
  EXPECT_EQ(listed(support, "?q=slowly"), std::vector<std::int64_t>{id});
  auto before = server.mails().size();
  for (const auto& m : server.mails()) {
    EXPECT_EQ(m.find("go slowly"), std::string::npos) << "an internal note is never mailed";
  }

  r = upsert(
      record({{"comments", {{{"external_id", "p1"}, {"body", "Parts are on their way."}}}}}));
  ASSERT_EQ(r.status, 200) << r.body;
  auto mails = server.mails();
  ASSERT_EQ(mails.size(), before + 1);
  EXPECT_NE(mails.back().find("To: ada@a.example"), std::string::npos);
  EXPECT_NE(mails.back().find("Parts are on their way."), std::string::npos);
  // A comment already there is not mailed again.
  ASSERT_EQ(
      upsert(record({{"comments", {{{"external_id", "p1"}, {"body", "Parts are on their way."}}}}}))
          .status,
      200);
  EXPECT_EQ(server.mails().size(), before + 1);
}

TEST_F(CaseIntegrationTest, AFaultyRecordIsRefusedWithTheFieldAtFaultAndWritesNothing) {
  struct Bad {
    json record;
    std::string field;
  };
  std::vector<Bad> bad = {
      {record({{"company_external_id", "nope"}}), "company_external_id"},
      {record({{"subject", ""}}), "subject"},
      {record({{"status", "pending"}}), "status"},
      {record({{"priority", "critical"}}), "priority"},
      {record({{"requester_email", "olga@b.example"}}), "requester_email"},
      {record({{"requester_email", "not-an-address"}}), "requester_email"},
      {record({{"assignee_email", "ada@a.example"}}), "assignee_email"},
      {record({{"site_external_id", "S-404"}}), "site_external_id"},
      {record({{"comments", "hello"}}), "comments"},
      {record({{"comments", {{{"external_id", "a"}, {"body", "x"}}, {{"external_id", "b"}}}}}),
       "comments[1].body"},
      {record({{"comments",
                {{{"external_id", "a"}, {"body", "x"}, {"internal", true}, {"by_staff", false}}}}}),
       "comments[0].internal"},
      {record({{"comments", {{{"external_id", "a"}, {"body", "x"}, {"created_at", "yesterday"}}}}}),
       "comments[0].created_at"},
      {record({{"comments",
                {{{"external_id", "a"}, {"body", "x"}}, {{"external_id", "a"}, {"body", "y"}}}}}),
       "comments[1].external_id"},
  };
  for (const auto& b : bad) {
    auto r = upsert(b.record);
    EXPECT_EQ(r.status, 400) << b.record.dump() << " " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], b.field) << r.body;
  }
  EXPECT_EQ(count("SELECT count(*) FROM cases"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM case_comments"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM case_categories"), 0);
}

TEST_F(CaseIntegrationTest, ACaseStaysInItsCompanyAndAtASiteOfIt) {
  auto s = server.request(
      "POST", "/api/v1/integration/sites",
      json{{"external_id", "S-1"}, {"company_external_id", "A"}, {"name", "Depot"}}.dump(),
      {"Content-Type: application/json", "Authorization: Bearer " + key});
  ASSERT_EQ(s.status, 201) << s.body;
  auto r = upsert(record({{"site_external_id", "S-1"}}));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["site_id"], s.json()["id"]);
  auto id = r.json()["id"].get<std::int64_t>();

  r = upsert(record({{"company_external_id", "B"}}));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["field"], "company_external_id");
  // Company B's site of the same external id is not company A's.
  EXPECT_EQ(call("GET", casePath(id), olga).status, 404);
  EXPECT_EQ(detail(ada, id)["company_id"], company);
}

TEST_F(CaseIntegrationTest, BulkUpsertsEachLineOnItsOwn) {
  std::string body =
      record({{"external_id", "ERP-1"}}).dump() + "\n" +
      record({{"external_id", "ERP-2"}, {"status", "bogus"}}).dump() + "\n" +
      record({{"external_id", "ERP-3"}, {"company_external_id", "B"}, {"status", "resolved"}})
          .dump() +
      "\n" + record({{"external_id", "ERP-1"}, {"priority", "urgent"}}).dump() + "\n";
  auto r = server.request("POST", "/api/v1/integration/cases/bulk", body,
                          {"Content-Type: application/x-ndjson", "Authorization: Bearer " + key});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["created"], 2);
  EXPECT_EQ(j["updated"], 1);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["results"][1]["status"], "error");
  EXPECT_EQ(j["results"][1]["error"]["field"], "status");
  EXPECT_EQ(listed(ada).size(), 1u);
  auto b = listed(olga);
  ASSERT_EQ(b.size(), 1u);
  auto seen = detail(olga, b[0]);
  EXPECT_EQ(seen["status"], "resolved");
  EXPECT_FALSE(seen["resolved_at"].is_null());
  EXPECT_EQ(detail(ada, listed(ada)[0])["priority"], "urgent");
}

}  // namespace
}  // namespace portico::testing
