// The integration framework end to end: single and bulk upserts of companies, sites and contacts
// by external id, their limits, and Idempotency-Key on integration writes.
#include <gtest/gtest.h>

#include "core/text.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

using nlohmann::json;

class IntegrationApiTest : public ::testing::Test {
 protected:
  IntegrationApiTest() {
    server.initOrganization("Vendor", "staff@vendor.example");
    server.initOrganization("Rival", "staff@rival.example");
    key = *server.app().createApiKey("Vendor", "ERP");
    rival_key = *server.app().createApiKey("Rival", "ERP");
  }

  HttpResult upsert(const std::string& kind, const json& record, const std::string& k,
                    std::vector<std::string> headers = {}) {
    headers.push_back("Content-Type: application/json");
    headers.push_back("Authorization: Bearer " + k);
    return server.request("POST", "/api/v1/integration/" + kind, record.dump(), headers);
  }
  HttpResult bulk(const std::string& kind, const std::string& body, const std::string& k,
                  std::vector<std::string> headers = {},
                  const std::string& type = "application/x-ndjson") {
    headers.push_back("Content-Type: " + type);
    headers.push_back("Authorization: Bearer " + k);
    return server.request("POST", "/api/v1/integration/" + kind + "/bulk", body, headers);
  }
  std::int64_t count(const std::string& sql) {
    storage::Query q(server.app().db().connection(), sql);
    EXPECT_TRUE(q.next());
    return q.getInt(0);
  }
  std::string text(const std::string& sql) {
    storage::Query q(server.app().db().connection(), sql);
    return q.next() ? q.getText(0) : "(none)";
  }
  std::int64_t company(const std::string& ext, const std::string& k) {
    auto r = upsert("companies", {{"external_id", ext}, {"name", "Company " + ext}}, k);
    EXPECT_LT(r.status, 300) << r.body;
    return r.json()["id"].get<std::int64_t>();
  }
  static std::string lines(const std::vector<json>& records) {
    std::string out;
    for (const auto& r : records) out += r.dump() + "\n";
    return out;
  }

  TestServer server;
  std::string key;
  std::string rival_key;
};

TEST_F(IntegrationApiTest, EachKindIsCreatedThenUpdatedByItsExternalId) {
  auto r = upsert("companies", {{"external_id", "C-1"}, {"name", "Acme"}}, key);
  ASSERT_EQ(r.status, 201) << r.body;
  auto company_id = r.json()["id"].get<std::int64_t>();
  r = upsert("companies", {{"external_id", "C-1"}, {"name", "Acme AB"}}, key);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["id"], company_id);
  EXPECT_EQ(text("SELECT name FROM companies WHERE external_id = 'C-1'"), "Acme AB");

  json site = {{"external_id", "S-1"},
               {"company_external_id", "C-1"},
               {"name", "Head office"},
               {"address", "Storgatan 1\r\nStockholm"}};
  r = upsert("sites", site, key);
  ASSERT_EQ(r.status, 201) << r.body;
  auto site_id = r.json()["id"].get<std::int64_t>();
  EXPECT_EQ(r.json()["company_id"], company_id);
  EXPECT_EQ(r.json()["address"], "Storgatan 1\nStockholm");
  site["name"] = "Main office";
  r = upsert("sites", site, key);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["id"], site_id);
  EXPECT_EQ(text("SELECT name FROM sites WHERE external_id = 'S-1'"), "Main office");

  json contact = {{"external_id", "K-1"},      {"company_external_id", "C-1"},
                  {"site_external_id", "S-1"}, {"first_name", "Ada"},
                  {"last_name", "Lovelace"},   {"email", "Ada@Acme.example"},
                  {"phone", "+46 8 123 456"}};
  r = upsert("contacts", contact, key);
  ASSERT_EQ(r.status, 201) << r.body;
  auto contact_id = r.json()["id"].get<std::int64_t>();
  EXPECT_EQ(r.json()["site_id"], site_id);
  EXPECT_EQ(r.json()["email"], "ada@acme.example");
  contact.erase("site_external_id");  // now a contact of the company
  contact["last_name"] = "King";
  r = upsert("contacts", contact, key);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["id"], contact_id);
  EXPECT_TRUE(r.json()["site_id"].is_null());
  EXPECT_EQ(
      text("SELECT last_name || ' ' || COALESCE(CAST(site_id AS TEXT), 'none') FROM contacts"),
      "King none");
  // The directory API shows what the ERP wrote, and every upsert is audited once.
  ASSERT_EQ(server
                .post("/api/v1/integration/companies/C-1/admin-signup",
                      {{"email", "boss@acme.example"}}, key)
                .status,
            202);
  ASSERT_EQ(server
                .post("/api/v1/signup", {{"token", server.mailedToken("/signup")},
                                         {"first_name", "B"},
                                         {"last_name", "B"},
                                         {"password", TestServer::kPassword}})
                .status,
            201);
  auto admin = server.signInAndEnrol("boss@acme.example");
  auto listed = server.get("/api/v1/companies/" + std::to_string(company_id) + "/contacts", admin);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json()["items"].size(), 1u);
  EXPECT_EQ(listed.json()["items"][0]["external_id"], "K-1");
  EXPECT_EQ(listed.json()["items"][0]["last_name"], "King");
  auto sites = server.get("/api/v1/companies/" + std::to_string(company_id) + "/sites", admin);
  EXPECT_EQ(sites.json()["items"][0]["external_id"], "S-1");
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE event IN ('company.created',"
                  " 'company.updated', 'site.created', 'site.updated', 'contact.created',"
                  " 'contact.updated')"),
            6);
}

TEST_F(IntegrationApiTest, AFaultyRecordIs400NamingTheFieldAndWritesNothing) {
  company("C-1", key);
  struct Case {
    std::string kind;
    json record;
    std::string field;
  };
  json contact = {{"external_id", "K-1"},
                  {"company_external_id", "C-1"},
                  {"first_name", "Ada"},
                  {"last_name", "Lovelace"}};
  auto with = [](json j, const std::string& k, const json& v) {
    if (v.is_null()) {
      j.erase(k);
    } else {
      j[k] = v;
    }
    return j;
  };
  json site = {{"external_id", "S-1"}, {"company_external_id", "C-1"}, {"name", "Office"}};
  std::vector<Case> cases = {
      {"sites", with(site, "external_id", nullptr), "external_id"},
      {"sites", with(site, "external_id", "   "), "external_id"},
      {"sites", with(site, "name", nullptr), "name"},
      {"sites", with(site, "name", std::string(201, 'x')), "name"},
      {"sites", with(site, "address", 12), "address"},
      {"sites", with(site, "company_external_id", nullptr), "company_external_id"},
      {"sites", with(site, "company_external_id", "NOPE"), "company_external_id"},
      {"contacts", with(contact, "first_name", 7), "first_name"},
      {"contacts", with(contact, "last_name", nullptr), "last_name"},
      {"contacts", with(contact, "email", "not-an-email"), "email"},
      {"contacts", with(contact, "phone", std::string(41, '1')), "phone"},
      {"contacts", with(contact, "company_external_id", "NOPE"), "company_external_id"},
      {"contacts", with(contact, "site_external_id", "NOPE"), "site_external_id"},
      {"companies", json{{"external_id", "C-2"}}, "name"},
      {"companies", json{{"name", "No id"}}, "external_id"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.kind + " " + c.record.dump());
    auto r = upsert(c.kind, c.record, key);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.json()["error"]["field"], c.field) << r.body;
    EXPECT_FALSE(r.errorMessage().empty());
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM sites"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM companies"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE event LIKE 'site.%'"
                  " OR event LIKE 'contact.%'"),
            0);
  // Not JSON, or not an object: 400 too.
  EXPECT_EQ(server
                .request("POST", "/api/v1/integration/sites", "{nope",
                         {"Content-Type: application/json", "Authorization: Bearer " + key})
                .status,
            400);
  EXPECT_EQ(upsert("sites", json::array({site}), key).status, 400);
}

TEST_F(IntegrationApiTest, ASiteOfAnotherCompanyIsNoSiteOfTheContact) {
  company("C-1", key);
  company("C-2", key);
  ASSERT_EQ(
      upsert("sites", {{"external_id", "S-2"}, {"company_external_id", "C-2"}, {"name", "B"}}, key)
          .status,
      201);
  auto r = upsert("contacts",
                  {{"external_id", "K-1"},
                   {"company_external_id", "C-1"},
                   {"site_external_id", "S-2"},
                   {"first_name", "A"},
                   {"last_name", "B"}},
                  key);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "site_external_id");
  // And a record stays with the company it was created in.
  r = upsert("sites", {{"external_id", "S-2"}, {"company_external_id", "C-1"}, {"name", "B"}}, key);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["field"], "company_external_id");
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts"), 0);
}

TEST_F(IntegrationApiTest, AnUnknownKindIs404) {
  auto r = upsert("spaceships", {{"external_id", "I-1"}}, key);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.errorCode(), "not_found");
  EXPECT_EQ(bulk("spaceships", "{}\n", key).status, 404);
  EXPECT_EQ(bulk("1", "{}\n", key).status, 404);
}

TEST_F(IntegrationApiTest, AnotherOrganizationsRecordsAreUntouched) {
  auto mine = company("C-1", key);
  ASSERT_EQ(upsert("sites",
                   {{"external_id", "S-1"}, {"company_external_id", "C-1"}, {"name", "Mine"}}, key)
                .status,
            201);
  // The rival's ERP uses the same external ids: they name its own records, never ours.
  EXPECT_EQ(
      upsert("sites", {{"external_id", "S-1"}, {"company_external_id", "C-1"}, {"name", "Theirs"}},
             rival_key)
          .status,
      400);  // it has no company C-1 yet
  auto theirs = company("C-1", rival_key);
  EXPECT_NE(theirs, mine);
  auto r =
      upsert("sites", {{"external_id", "S-1"}, {"company_external_id", "C-1"}, {"name", "Theirs"}},
             rival_key);
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["company_id"], theirs);
  auto b = bulk("contacts",
                lines({{{"external_id", "K-1"},
                        {"company_external_id", "C-1"},
                        {"site_external_id", "S-1"},
                        {"first_name", "R"},
                        {"last_name", "R"}}}),
                rival_key);
  EXPECT_EQ(b.json()["created"], 1) << b.body;
  EXPECT_EQ(text("SELECT name FROM sites WHERE company_id = " + std::to_string(mine)), "Mine");
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts WHERE company_id = " + std::to_string(mine)), 0);
  EXPECT_EQ(text("SELECT name FROM companies WHERE id = " + std::to_string(mine)), "Company C-1");
}

TEST_F(IntegrationApiTest, BulkWritesTheGoodLinesAroundTheBadOnes) {
  company("C-1", key);
  std::string body =
      json{{"external_id", "K-1"},
           {"company_external_id", "C-1"},
           {"first_name", "Ada"},
           {"last_name", "Lovelace"}}
          .dump() +
      "\n{not json\n" +
      json{{"external_id", "K-2"},
           {"company_external_id", "C-1"},
           {"first_name", "Alan"},
           {"last_name", "Turing"}}
          .dump() +
      "\r\n" +
      json{{"external_id", "K-3"}, {"company_external_id", "C-1"}, {"first_name", "No last"}}
          .dump() +
      "\n   \n" +
      json{{"external_id", "K-4"},
           {"company_external_id", "NOPE"},
           {"first_name", "A"},
           {"last_name", "B"}}
          .dump() +
      "\n" +
      json{{"external_id", "K-1"},
           {"company_external_id", "C-1"},
           {"first_name", "Ada"},
           {"last_name", "King"}}
          .dump();
  auto r = bulk("contacts", body, key);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["created"], 2);
  EXPECT_EQ(j["updated"], 1);
  EXPECT_EQ(j["failed"], 3);
  auto results = j["results"];
  ASSERT_EQ(results.size(), 6u) << r.body;
  std::vector<std::pair<int, std::string>> seen;
  for (const auto& x : results)
    seen.emplace_back(x["line"].get<int>(), x["status"].get<std::string>());
  EXPECT_EQ(seen, (std::vector<std::pair<int, std::string>>{{1, "created"},
                                                            {2, "error"},
                                                            {3, "created"},
                                                            {4, "error"},
                                                            {6, "error"},
                                                            {7, "updated"}}));
  EXPECT_EQ(results[0]["id"], results[5]["id"]);
  EXPECT_FALSE(results[1].contains("id"));
  EXPECT_EQ(results[1]["error"]["code"], "invalid_input");
  EXPECT_FALSE(results[1]["error"]["message"].get<std::string>().empty());
  EXPECT_EQ(results[3]["error"]["field"], "last_name");
  EXPECT_EQ(results[4]["error"]["field"], "company_external_id");
  EXPECT_NE(results[4]["error"]["message"].get<std::string>().find("NOPE"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts"), 2);
  EXPECT_EQ(text("SELECT last_name FROM contacts WHERE external_id = 'K-1'"), "King");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE event LIKE 'contact.%'"), 3);
  // The messages of the lines are in the reader's language.
  auto sv = bulk("contacts", "{not json\n", key, {"Accept-Language: sv"});
  EXPECT_NE(sv.json()["results"][0]["error"]["message"], results[1]["error"]["message"]);
}

TEST_F(IntegrationApiTest, BulkCommitsInBatchesAndAnswersEveryLine) {
  // More lines than one batch, and more bytes than the server's default body limit (1 MiB).
  std::string body;
  const std::string padding(230, 'p');
  for (int i = 0; i < 5500; ++i) {
    body += json{{"external_id", "B-" + std::to_string(i)}, {"name", padding}}.dump() + "\n";
  }
  ASSERT_GT(body.size(), 1024u * 1024u);
  auto r = bulk("companies", body, key);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(r.json()["created"], 5500);
  EXPECT_EQ(r.json()["results"].size(), 5500u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM companies"), 5500);
  r = bulk("companies", body, key);
  EXPECT_EQ(r.json()["updated"], 5500);
  EXPECT_EQ(count("SELECT COUNT(*) FROM companies"), 5500);
}

TEST_F(IntegrationApiTest, BulkRefusesMoreThanItsLimitsAndOtherContentTypes) {
  std::string body;
  for (int i = 0; i < 10'001; ++i) body += "{\"external_id\":\"X\",\"name\":\"Y\"}\n";
  auto r = bulk("companies", body, key);
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.errorMessage().find("10000"), std::string::npos) << r.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM companies"), 0);

  std::string huge =
      "{\"external_id\":\"X\",\"name\":\"" + std::string(10 * 1024 * 1024, 'a') + "\"}\n";
  r = bulk("companies", huge, key);
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.errorMessage().find("10485760"), std::string::npos) << r.body;

  auto line = std::string("{\"external_id\":\"X\",\"name\":\"Y\"}\n");
  EXPECT_EQ(bulk("companies", line, key, {}, "application/json").status, 415);
  EXPECT_EQ(bulk("companies", line, key, {}, "text/plain").status, 415);
  EXPECT_EQ(count("SELECT COUNT(*) FROM companies"), 0);
  // A single upsert keeps the server's default limit.
  json big = {{"external_id", "X"}, {"name", "Y"}, {"note", std::string(2 * 1024 * 1024, 'n')}};
  EXPECT_EQ(upsert("companies", big, key).status, 413);
}

TEST_F(IntegrationApiTest, SessionTokensAreNoApiKeys) {
  auto session = server.signedInUser("someone@acme.example");
  EXPECT_EQ(upsert("companies", {{"external_id", "C-1"}, {"name", "X"}}, session).status, 401);
  EXPECT_EQ(bulk("companies", "{\"external_id\":\"C-1\",\"name\":\"X\"}\n", session).status, 401);
  EXPECT_EQ(bulk("companies", "{\"external_id\":\"C-1\",\"name\":\"X\"}\n", "").status, 401);
  EXPECT_EQ(count("SELECT COUNT(*) FROM companies"), 0);
}

TEST_F(IntegrationApiTest, AnIdempotencyKeyAnswersTheFirstAnswerAgain) {
  json record = {{"external_id", "C-1"}, {"name", "Acme"}};
  auto first = upsert("companies", record, key, {"Idempotency-Key: order-1"});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.header("idempotent-replayed"), "");
  server.sql("UPDATE companies SET name = 'Changed by staff'");
  auto again = upsert("companies", record, key, {"Idempotency-Key: order-1"});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  EXPECT_EQ(text("SELECT name FROM companies"), "Changed by staff");  // not written again
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE event LIKE 'company.%'"), 1);

  // The same key for another request: 422, and nothing is written.
  auto other = upsert("companies", {{"external_id", "C-1"}, {"name", "Other"}}, key,
                      {"Idempotency-Key: order-1"});
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(other.errorCode(), "unprocessable");
  EXPECT_FALSE(other.errorMessage().empty());
  EXPECT_EQ(upsert("sites", record, key, {"Idempotency-Key: order-1"}).status, 422);
  EXPECT_EQ(text("SELECT name FROM companies"), "Changed by staff");
  // Keys are the organization's own.
  EXPECT_EQ(upsert("companies", record, rival_key, {"Idempotency-Key: order-1"}).status, 201);

  // An error answer is replayed too, as it was.
  auto bad = upsert("sites", {{"external_id", "S-1"}}, key, {"Idempotency-Key: site-1"});
  EXPECT_EQ(bad.status, 400);
  auto bad_again = upsert("sites", {{"external_id", "S-1"}}, key, {"Idempotency-Key: site-1"});
  EXPECT_EQ(bad_again.status, 400);
  EXPECT_EQ(bad_again.body, bad.body);
  EXPECT_EQ(bad_again.header("idempotent-replayed"), "true");

  // After 24 hours the key is forgotten: the request runs again.
  server.clock().advance(24 * 3600 + 1);
  auto later = upsert("companies", record, key, {"Idempotency-Key: order-1"});
  EXPECT_EQ(later.status, 200);
  EXPECT_EQ(later.header("idempotent-replayed"), "");
  EXPECT_EQ(text("SELECT name FROM companies WHERE org_id = (SELECT id FROM organizations"
                 " WHERE name = 'Vendor')"),
            "Acme");
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys WHERE key = 'site-1'"), 0);  // pruned
}

TEST_F(IntegrationApiTest, BulkCallsAndOtherIntegrationWritesHonourTheKeyToo) {
  company("C-1", key);
  std::string body =
      lines({{{"external_id", "S-1"}, {"company_external_id", "C-1"}, {"name", "A"}}});
  auto first = bulk("sites", body, key, {"Idempotency-Key: import-7"});
  ASSERT_EQ(first.status, 200);
  auto again = bulk("sites", body, key, {"Idempotency-Key: import-7"});
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  EXPECT_EQ(bulk("sites", body + body, key, {"Idempotency-Key: import-7"}).status, 422);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE event LIKE 'site.%'"), 1);
  // The admin signup link is mailed once, however often the ERP retries.
  for (int i = 0; i < 2; ++i) {
    auto r = server.request("POST", "/api/v1/integration/companies/C-1/admin-signup",
                            json{{"email", "boss@c1.example"}}.dump(),
                            {"Content-Type: application/json", "Authorization: Bearer " + key,
                             "Idempotency-Key: signup-1"});
    EXPECT_EQ(r.status, 202) << r.body;
  }
  EXPECT_EQ(server.mails().size(), 1u);
}

TEST_F(IntegrationApiTest, AKeyMustBeShortPrintableAndNotInFlight) {
  json record = {{"external_id", "C-1"}, {"name", "Acme"}};
  auto r = upsert("companies", record, key, {"Idempotency-Key: " + std::string(256, 'k')});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "Idempotency-Key");
  EXPECT_EQ(upsert("companies", record, key, {"Idempotency-Key: " + std::string(255, 'k')}).status,
            201);
  // A request with the key still running (its claim is stored, its answer not yet): 409.
  auto org = text("SELECT id FROM organizations WHERE name = 'Vendor'");
  server.sql(
      "INSERT INTO idempotency_keys (org_id, key, method, path, body_sha256, created_at)"
      " VALUES (?, 'busy', 'POST', '/api/v1/integration/companies', ?, ?)",
      {org, core::sha256Hex(record.dump()), std::to_string(server.clock().now())});
  r = upsert("companies", record, key, {"Idempotency-Key: busy"});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE event LIKE 'company.%'"), 1);
  // A claim never answered (its process died) is taken over after a while.
  server.clock().advance(11 * 60);
  EXPECT_EQ(upsert("companies", record, key, {"Idempotency-Key: busy"}).status, 200);
}

}  // namespace
}  // namespace portico::testing
