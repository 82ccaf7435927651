// Webhooks with a real receiver on loopback: signed deliveries (checked by the npm package
// standardwebhooks too), retries on the schedule with the same webhook-id, Retry-After, 410,
// the SSRF rule, secret rotation, replay, and the endpoints' API with its refusals.
#include "events/webhooks.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include "events/event_log.h"
#include "storage/db.h"
#include "support/browser.h"
#include "support/test_server.h"
#include "support/webhook_receiver.h"

namespace portico::testing {
namespace {

using nlohmann::json;

app::AppConfig privateAllowed() {
  app::AppConfig c;
  c.allow_private_webhooks = true;
  return c;
}

class WebhooksTest : public ::testing::Test {
 protected:
  explicit WebhooksTest(app::AppConfig config = privateAllowed()) : server(std::move(config)) {
    server.initOrganization("Vendor", "staff@vendor.example");
    key = *server.app().createApiKey("Vendor", "ERP");
    std::tie(company, admin) = server.companyWithAdmin(key, "C-1", "admin@c1.example");
    server.mails();  // the set-up's mail is delivered: run() below counts webhook jobs alone
  }

  HttpResult create(const json& body, const std::string& api_key = "") {
    return server.post("/api/v1/integration/webhooks", body, api_key.empty() ? key : api_key);
  }
  // An endpoint at the receiver for user.joined: {id, secret}.
  std::pair<std::int64_t, std::string> endpoint(const std::string& url) {
    auto r = create({{"url", url}, {"events", {"user.joined"}}});
    EXPECT_EQ(r.status, 201) << r.body;
    return {r.json()["id"].get<std::int64_t>(), r.json()["secret"].get<std::string>()};
  }
  // A user.joined event of the organization, committed.
  void event(const std::string& email = "new@c1.example") {
    storage::Transaction tx(server.app().db().connection());
    server.app().events().record({core::OrgId{1}, "user.joined", core::CompanyId{company}, "user",
                                  42, json{{"email", email}}.dump()});
    tx.commit();
  }
  json deliveries(std::int64_t id, const std::string& query = "") {
    auto r = server.get(
        "/api/v1/integration/webhooks/" + std::to_string(id) + "/deliveries" + query, key);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  int run() { return server.app().jobRunner().runDue(); }
  std::vector<jobs::Job> webhookJobs(const std::string& state) {
    std::vector<jobs::Job> out;
    for (auto& j : server.app().jobs().list(state, 100))
      if (j.kind == "webhook") out.push_back(j);
    return out;
  }

  TestServer server;
  WebhookReceiver receiver;
  std::string key, admin;
  std::int64_t company = 0;
};

TEST_F(WebhooksTest, ASignedDeliveryFollowsTheStandardWebhooksShape) {
  auto [id, secret] = endpoint(receiver.url());
  EXPECT_TRUE(secret.starts_with("whsec_"));
  event("ada@c1.example");
  EXPECT_EQ(run(), 1);
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  const auto& r = got[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/hooks");
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_TRUE(r.header("webhook-id").starts_with("msg_"));
  EXPECT_EQ(r.header("webhook-timestamp"), std::to_string(server.clock().now()));
  auto body = json::parse(r.body);
  EXPECT_EQ(body["type"], "user.joined");
  EXPECT_TRUE(body["timestamp"].is_string());
  EXPECT_EQ(body["data"]["type"], "user.joined");
  EXPECT_EQ(body["data"]["company_external_id"], "C-1");
  EXPECT_EQ(body["data"]["data"]["email"], "ada@c1.example");
  auto expected = events::signature(secret, r.header("webhook-id"),
                                    std::stoll(r.header("webhook-timestamp")), r.body);
  EXPECT_EQ(r.header("webhook-signature"), *expected);
  auto list = deliveries(id);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["status"], "delivered");
  EXPECT_EQ(list["items"][0]["response_code"], 200);
  EXPECT_EQ(list["items"][0]["attempts"], 1);
  EXPECT_EQ(list["items"][0]["webhook_id"], r.header("webhook-id"));
}

// Runs tests/integration/verify_webhook.cjs: the npm package standardwebhooks verifies the
// captured request with each secret, and refuses it with its body altered.
int verifyWithStandardWebhooks(const std::string& dir, const WebhookReceiver::Request& r,
                               const std::vector<std::string>& secrets) {
  json captured = {{"secrets", secrets},
                   {"body", r.body},
                   {"headers",
                    {{"webhook-id", r.header("webhook-id")},
                     {"webhook-timestamp", r.header("webhook-timestamp")},
                     {"webhook-signature", r.header("webhook-signature")}}}};
  std::string file = dir + "/captured.json";
  std::ofstream(file) << captured.dump();
  std::string command = std::string(PORTICO_NODE) + " " + PORTICO_SOURCE_DIR +
                        "/tests/integration/verify_webhook.cjs " + file;
  return std::system(command.c_str());
}

TEST_F(WebhooksTest, AnIndependentImplementationVerifiesTheSignature) {
  auto [id, secret] = endpoint(receiver.url());
  event();
  run();
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(verifyWithStandardWebhooks(server.dir(), receiver.requests()[0], {secret}), 0);
  // Another secret does not verify it.
  EXPECT_NE(verifyWithStandardWebhooks(server.dir(), receiver.requests()[0], {events::newSecret()}),
            0);
}

TEST_F(WebhooksTest, ARotatedSecretSignsBesideTheOldOneFor24Hours) {
  auto [id, old_secret] = endpoint(receiver.url());
  auto r = server.post("/api/v1/integration/webhooks/" + std::to_string(id) + "/rotate-secret",
                       json::object(), key);
  ASSERT_EQ(r.status, 200) << r.body;
  auto new_secret = r.json()["secret"].get<std::string>();
  EXPECT_NE(new_secret, old_secret);
  EXPECT_TRUE(r.json()["previous_secret_expires_at"].is_string());
  event();
  run();
  ASSERT_EQ(receiver.requests().size(), 1u);
  auto sig = receiver.requests()[0].header("webhook-signature");
  auto space = sig.find(' ');
  ASSERT_NE(space, std::string::npos) << sig;
  EXPECT_TRUE(sig.starts_with("v1,"));
  EXPECT_EQ(sig.substr(space + 1, 3), "v1,");
  EXPECT_EQ(
      verifyWithStandardWebhooks(server.dir(), receiver.requests()[0], {new_secret, old_secret}),
      0);
  // A day later the old one no longer signs.
  server.clock().advance(24 * 3600 + 1);
  event();
  run();
  ASSERT_EQ(receiver.requests().size(), 2u);
  auto later = receiver.requests()[1];
  EXPECT_EQ(later.header("webhook-signature").find(' '), std::string::npos);
  EXPECT_EQ(later.header("webhook-signature"),
            *events::signature(new_secret, later.header("webhook-id"),
                               std::stoll(later.header("webhook-timestamp")), later.body));
}

TEST_F(WebhooksTest, AReceiverThatFailsTwiceGetsTheSameMessageOnTheSchedule) {
  receiver.script({{500, {}}, {500, {}}});
  auto [id, secret] = endpoint(receiver.url());
  event();
  EXPECT_EQ(run(), 1);
  ASSERT_EQ(receiver.requests().size(), 1u);
  auto list = deliveries(id);
  EXPECT_EQ(list["items"][0]["status"], "pending");
  EXPECT_EQ(list["items"][0]["response_code"], 500);
  EXPECT_EQ(list["items"][0]["attempts"], 1);
  server.clock().advance(3);  // the first retry waits 5 s ± 20 %
  EXPECT_EQ(run(), 0);
  server.clock().advance(4);
  EXPECT_EQ(run(), 1);
  ASSERT_EQ(receiver.requests().size(), 2u);
  server.clock().advance(230);  // the second waits 5 min ± 20 %: not before 240 s
  EXPECT_EQ(run(), 0);
  server.clock().advance(140);
  EXPECT_EQ(run(), 1);
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 3u);
  for (const auto& r : got) EXPECT_EQ(r.header("webhook-id"), got[0].header("webhook-id"));
  EXPECT_NE(got[0].header("webhook-timestamp"), got[2].header("webhook-timestamp"));
  list = deliveries(id);
  EXPECT_EQ(list["items"][0]["status"], "delivered");
  EXPECT_EQ(list["items"][0]["attempts"], 3);
  EXPECT_EQ(list["items"][0]["response_code"], 200);
  server.clock().advance(24 * 3600);
  EXPECT_EQ(run(), 0);  // delivered once
  EXPECT_EQ(receiver.requests().size(), 3u);
}

TEST_F(WebhooksTest, RetriesEndAfterTheLastWaitOfTheSchedule) {
  std::vector<WebhookReceiver::Answer> failures(20, {502, {}});
  receiver.script(failures);
  auto [id, secret] = endpoint(receiver.url());
  event();
  // 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: ten attempts in all.
  for (std::int64_t wait : {0, 6, 360, 2160, 8640, 21600, 43200, 60480, 86400, 103680}) {
    server.clock().advance(wait);
    EXPECT_EQ(run(), 1) << "after " << wait << " s";
  }
  EXPECT_EQ(receiver.requests().size(), 10u);
  server.clock().advance(7 * 24 * 3600);
  EXPECT_EQ(run(), 0);
  EXPECT_EQ(receiver.requests().size(), 10u);
  EXPECT_EQ(webhookJobs("failed").size(), 1u);
  EXPECT_EQ(deliveries(id)["items"][0]["status"], "failed");
  EXPECT_EQ(deliveries(id)["items"][0]["attempts"], 10);
}

TEST_F(WebhooksTest, RetryAfterIsHonoured) {
  receiver.script({{503, {"Retry-After: 120"}}});
  auto [id, secret] = endpoint(receiver.url());
  event();
  EXPECT_EQ(run(), 1);
  server.clock().advance(60);  // the schedule alone would have tried again after 5 s
  EXPECT_EQ(run(), 0);
  server.clock().advance(61);
  EXPECT_EQ(run(), 1);
  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(deliveries(id)["items"][0]["status"], "delivered");
}

TEST_F(WebhooksTest, ARedirectIsAFailureAndIsNotFollowed) {
  WebhookReceiver elsewhere;
  receiver.script({{302, {"Location: " + elsewhere.url()}}});
  auto [id, secret] = endpoint(receiver.url());
  event();
  run();
  EXPECT_EQ(elsewhere.connections(), 0);
  EXPECT_EQ(deliveries(id)["items"][0]["status"], "pending");
  EXPECT_EQ(deliveries(id)["items"][0]["response_code"], 302);
}

TEST_F(WebhooksTest, GoneDisablesTheEndpointAndMailsTheStaffAdministrators) {
  server.staffMember("Vendor", "boss@vendor.example", "admin");
  server.staffMember("Vendor", "helper@vendor.example", "support");
  auto mails_before = server.mails().size();
  receiver.script({{410, {}}});
  auto [id, secret] = endpoint(receiver.url());
  event();
  EXPECT_EQ(run(), 2);  // the delivery, then the mail it queued
  auto e = server.get("/api/v1/integration/webhooks/" + std::to_string(id), key).json();
  EXPECT_EQ(e["status"], "disabled");
  EXPECT_TRUE(e["disabled_at"].is_string());
  EXPECT_EQ(webhookJobs("failed").size(), 1u);
  EXPECT_EQ(deliveries(id)["items"][0]["status"], "failed");
  EXPECT_EQ(deliveries(id)["items"][0]["response_code"], 410);
  auto mails = server.mails();
  ASSERT_EQ(mails.size(), mails_before + 1);  // the administrator, not the support staff
  int found = 0;
  for (const auto& raw : mails) {                                         // each mail's text
    std::string mail = std::regex_replace(raw, std::regex("=\r\n"), "");  // quoted-printable
    if (mail.find("410 Gone") == std::string::npos) continue;
    ++found;
    EXPECT_NE(mail.find("To: boss@vendor.example"), std::string::npos) << mail;
    EXPECT_NE(mail.find("/staff/webhooks"), std::string::npos) << mail;
  }
  EXPECT_EQ(found, 1);
  // No more deliveries to it, and no replay.
  event();
  EXPECT_EQ(run(), 0);
  EXPECT_EQ(receiver.requests().size(), 1u);
  auto d = deliveries(id)["items"][0]["id"].get<std::int64_t>();
  auto r = server.post("/api/v1/integration/webhooks/" + std::to_string(id) + "/deliveries/" +
                           std::to_string(d) + "/replay",
                       json::object(), key);
  EXPECT_EQ(r.status, 409);
}

TEST_F(WebhooksTest, AReplayResendsTheSameMessage) {
  auto [id, secret] = endpoint(receiver.url());
  event();
  run();
  auto d = deliveries(id)["items"][0]["id"].get<std::int64_t>();
  auto path = "/api/v1/integration/webhooks/" + std::to_string(id) + "/deliveries/" +
              std::to_string(d) + "/replay";
  auto r = server.post(path, json::object(), key);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.json()["status"], "pending");
  EXPECT_EQ(run(), 1);
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].header("webhook-id"), got[1].header("webhook-id"));
  EXPECT_EQ(got[0].body, got[1].body);
  auto list = deliveries(id);
  EXPECT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["attempts"], 2);
  EXPECT_EQ(list["items"][0]["status"], "delivered");
  // Unknown deliveries, and deliveries of another endpoint, are not found.
  auto [other, other_secret] = endpoint(receiver.url("/other"));
  EXPECT_EQ(server
                .post("/api/v1/integration/webhooks/" + std::to_string(other) + "/deliveries/" +
                          std::to_string(d) + "/replay",
                      json::object(), key)
                .status,
            404);
  EXPECT_EQ(
      server
          .post("/api/v1/integration/webhooks/" + std::to_string(id) + "/deliveries/999999/replay",
                json::object(), key)
          .status,
      404);
}

TEST_F(WebhooksTest, DeliveriesArePagedNewestFirst) {
  auto [id, secret] = endpoint(receiver.url());
  for (int i = 0; i < 5; ++i) event("u" + std::to_string(i) + "@c1.example");
  run();
  std::vector<std::int64_t> seen;
  std::string cursor;
  for (int pages = 0; pages < 5; ++pages) {
    auto page = deliveries(id, "?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const auto& d : page["items"]) seen.push_back(d["id"].get<std::int64_t>());
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"].get<std::string>();
  }
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend()));
  for (const char* q : {"?limit=0", "?limit=201", "?cursor=x", "?cursor=-3"}) {
    auto r =
        server.get("/api/v1/integration/webhooks/" + std::to_string(id) + "/deliveries" + q, key);
    EXPECT_EQ(r.status, 400) << q;
  }
}

TEST_F(WebhooksTest, EndpointsAreCheckedListedWithoutSecretsAndDeleted) {
  auto r =
      create({{"url", receiver.url()}, {"events", {"user.joined", "user.removed", "user.joined"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = r.json()["id"].get<std::int64_t>();
  EXPECT_EQ(r.json()["events"], json({"user.joined", "user.removed"}));
  EXPECT_EQ(r.json()["url"], receiver.url());
  EXPECT_EQ(r.json()["status"], "enabled");
  auto secret = r.json()["secret"].get<std::string>();
  EXPECT_GE(secret.size(), 6u + 32u);
  // Bad input: 400 naming the field, and nothing is created.
  struct Bad {
    json body;
    const char* field;
  };
  std::vector<Bad> bad = {
      {{{"url", receiver.url()}, {"events", {"user.exploded"}}}, "events"},
      {{{"url", receiver.url()}, {"events", json::array()}}, "events"},
      {{{"url", receiver.url()}}, "events"},
      {{{"url", receiver.url()}, {"events", "user.joined"}}, "events"},
      {{{"url", receiver.url()}, {"events", {1}}}, "events"},
      {{{"url", "ftp://erp.example/x"}, {"events", {"user.joined"}}}, "url"},
      {{{"url", "https://user:pw@erp.example/x"}, {"events", {"user.joined"}}}, "url"},
      {{{"url", "erp.example/hooks"}, {"events", {"user.joined"}}}, "url"},
      {{{"url", ""}, {"events", {"user.joined"}}}, "url"},
      {{{"url", 7}, {"events", {"user.joined"}}}, "url"},
  };
  for (const auto& b : bad) {
    auto res = create(b.body);
    EXPECT_EQ(res.status, 400) << b.body.dump();
    EXPECT_EQ(res.json()["error"]["field"], b.field) << b.body.dump() << " " << res.body;
  }
  auto unknown = create(bad[0].body);
  EXPECT_NE(unknown.errorMessage().find("user.exploded"), std::string::npos) << unknown.body;
  auto list = server.get("/api/v1/integration/webhooks", key).json();
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_FALSE(list["items"][0].contains("secret"));
  auto one = server.get("/api/v1/integration/webhooks/" + std::to_string(id), key);
  EXPECT_EQ(one.status, 200);
  EXPECT_FALSE(one.json().contains("secret"));
  EXPECT_EQ(one.body.find(secret.substr(6)), std::string::npos);
  auto del = server.request("DELETE", "/api/v1/integration/webhooks/" + std::to_string(id), "",
                            {"Authorization: Bearer " + key});
  EXPECT_EQ(del.status, 204);
  EXPECT_EQ(server.get("/api/v1/integration/webhooks/" + std::to_string(id), key).status, 404);
  EXPECT_TRUE(server.get("/api/v1/integration/webhooks", key).json()["items"].empty());
}

TEST_F(WebhooksTest, AnotherOrganizationsEndpointIsNotFound) {
  auto [id, secret] = endpoint(receiver.url());
  event();
  run();
  auto d = deliveries(id)["items"][0]["id"].get<std::int64_t>();
  server.initOrganization("Rival", "owner@rival.example");
  auto rival = *server.app().createApiKey("Rival", "ERP");
  auto base = "/api/v1/integration/webhooks/" + std::to_string(id);
  EXPECT_EQ(server.get(base, rival).status, 404);
  EXPECT_EQ(server.get(base + "/deliveries", rival).status, 404);
  EXPECT_EQ(server.post(base + "/rotate-secret", json::object(), rival).status, 404);
  EXPECT_EQ(
      server.post(base + "/deliveries/" + std::to_string(d) + "/replay", json::object(), rival)
          .status,
      404);
  EXPECT_EQ(server.request("DELETE", base, "", {"Authorization: Bearer " + rival}).status, 404);
  EXPECT_TRUE(server.get("/api/v1/integration/webhooks", rival).json()["items"].empty());
  // Still there for its own organization, and its events reach no other organization's endpoint.
  EXPECT_EQ(server.get(base, key).status, 200);
  auto r = create({{"url", receiver.url("/rival")}, {"events", {"user.joined"}}}, rival);
  ASSERT_EQ(r.status, 201);
  event();
  run();
  for (const auto& req : receiver.requests()) EXPECT_NE(req.path, "/rival");
}

TEST_F(WebhooksTest, AnEventOfARolledBackChangeIsNeverDelivered) {
  auto [id, secret] = endpoint(receiver.url());
  {
    storage::Transaction tx(server.app().db().connection());
    server.app().events().record(
        {core::OrgId{1}, "user.joined", core::CompanyId{company}, "user", 1, "{}"});
  }
  EXPECT_EQ(run(), 0);
  EXPECT_EQ(receiver.connections(), 0);
  EXPECT_TRUE(deliveries(id)["items"].empty());
}

TEST_F(WebhooksTest, AnInvitationIsDeliveredToASubscribedEndpointOnly) {
  auto r = create({{"url", receiver.url("/invited")}, {"events", {"user.invited"}}});
  ASSERT_EQ(r.status, 201);
  endpoint(receiver.url("/joined"));  // user.joined only
  r = server.post("/api/v1/invitations",
                  {{"email", "ivy@c1.example"},
                   {"first_name", "Ivy"},
                   {"last_name", "Invitee"},
                   {"companies", json::array({{{"company_id", company}, {"role", "member"}}})}},
                  admin);
  ASSERT_EQ(r.status, 201) << r.body;
  run();
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].path, "/invited");
  EXPECT_EQ(json::parse(got[0].body)["type"], "user.invited");
  EXPECT_EQ(json::parse(got[0].body)["data"]["data"]["email"], "ivy@c1.example");
}

// The console page: staff administrators add an endpoint (the secret shown once), see its
// deliveries, replay one and delete the endpoint after a confirmation; other staff get 403.
TEST_F(WebhooksTest, TheConsolePageAddsListsReplaysAndDeletes) {
  std::string secret;
  auto boss = server.staffMember("Vendor", "boss@vendor.example", "admin", &secret);
  std::string support_secret;
  server.staffMember("Vendor", "help@vendor.example", "support", &support_secret);
  auto signIn = [&](const std::string& email, const std::string& totp) {
    server.clock().advance(30);
    Browser b(server);
    b.get("/login");
    b.submit("/login", {{"email", email}, {"password", TestServer::kPassword}});
    b.get("/mfa");
    auto r = b.submit("/mfa", {{"code", server.totpCode(totp)}});
    EXPECT_EQ(r.status, 303) << r.body;
    b.get("/staff");
    return b;
  };
  auto helper = signIn("help@vendor.example", support_secret);
  EXPECT_EQ(helper.get("/staff/webhooks").status, 403);
  auto b = signIn("boss@vendor.example", secret);
  auto page = b.get("/staff/webhooks");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("name=\"event.user.joined\""), std::string::npos);
  // A bad URL: the form again with the error, nothing added.
  auto bad =
      b.submit("/staff/webhooks", {{"url", "ftp://erp.example/"}, {"event.user.joined", "on"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("role=\"alert\""), std::string::npos);
  EXPECT_NE(bad.body.find("ftp://erp.example/"), std::string::npos);  // kept in the form
  EXPECT_TRUE(server.app().webhooks().list(core::OrgId{1}).empty());
  auto made = b.submit("/staff/webhooks", {{"url", receiver.url()}, {"event.user.joined", "on"}});
  ASSERT_EQ(made.status, 201) << made.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(made.body, m, std::regex("value=\"(whsec_[A-Za-z0-9+/=]+)\"")));
  auto whsec = m[1].str();
  auto listed = server.app().webhooks().list(core::OrgId{1});
  ASSERT_EQ(listed.size(), 1u);
  auto id = listed[0].id;
  EXPECT_EQ(b.get("/staff/webhooks").body.find(whsec), std::string::npos);  // shown once
  event();
  run();
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].header("webhook-signature"),
            *events::signature(whsec, receiver.requests()[0].header("webhook-id"),
                               std::stoll(receiver.requests()[0].header("webhook-timestamp")),
                               receiver.requests()[0].body));
  auto endpoint_path = "/staff/webhooks/" + std::to_string(id);
  auto detail = b.get(endpoint_path);
  ASSERT_EQ(detail.status, 200);
  EXPECT_NE(detail.body.find("user.joined"), std::string::npos);
  EXPECT_NE(detail.body.find("Delivered"), std::string::npos);
  auto d = deliveries(id)["items"][0]["id"].get<std::int64_t>();
  auto replayed = b.submit(endpoint_path + "/deliveries/" + std::to_string(d) + "/replay", {});
  EXPECT_EQ(replayed.status, 303);
  EXPECT_EQ(replayed.header("location"), endpoint_path);
  EXPECT_EQ(run(), 1);
  EXPECT_EQ(receiver.requests().size(), 2u);
  // Another organization's endpoint is not found.
  EXPECT_EQ(b.get("/staff/webhooks/999999").status, 404);
  // Delete: first the confirmation, then the deletion.
  auto ask = b.submit(endpoint_path + "/delete", {});
  EXPECT_EQ(ask.status, 200);
  EXPECT_NE(ask.body.find("confirmed"), std::string::npos);
  EXPECT_EQ(server.app().webhooks().list(core::OrgId{1}).size(), 1u);
  auto gone = b.submit(endpoint_path + "/delete", {{"confirmed", "1"}});
  EXPECT_EQ(gone.status, 303);
  EXPECT_TRUE(server.app().webhooks().list(core::OrgId{1}).empty());
  // Each change is in the organization's audit log, with the staff member who made it.
  auto audit = server.get("/api/v1/staff/audit?event=webhook.", boss).json();
  std::vector<std::string> recorded;
  for (const auto& e : audit["items"]) recorded.push_back(e["event"]);
  EXPECT_EQ(recorded,
            (std::vector<std::string>{"webhook.deleted", "webhook.replayed", "webhook.created"}))
      << audit.dump();
}

// Without --allow-private-webhooks.
class PublicOnlyWebhooksTest : public WebhooksTest {
 protected:
  PublicOnlyWebhooksTest() : WebhooksTest(app::AppConfig{}) {}
};

TEST_F(PublicOnlyWebhooksTest, PrivateAddressesAreRefusedAtCreation) {
  for (const char* url :
       {"http://127.0.0.1:9/x", "http://localhost/x", "http://LOCALHOST./x", "http://10.1.2.3/",
        "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data", "http://[::1]/",
        "http://[::ffff:127.0.0.1]/", "http://[fd00::1]/", "http://100.64.0.1/", "http://0.0.0.0/",
        "http://2130706433/", "http://0x7f.1/", "http://[fe80::1]/"}) {
    auto r = create({{"url", url}, {"events", {"user.joined"}}});
    EXPECT_EQ(r.status, 400) << url << " " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], "url") << url;
  }
  EXPECT_TRUE(server.get("/api/v1/integration/webhooks", key).json()["items"].empty());
  EXPECT_EQ(create({{"url", "https://erp.example/hooks"}, {"events", {"user.joined"}}}).status,
            201);
}

TEST_F(PublicOnlyWebhooksTest, AnAddressThatTurnsOutPrivateIsRefusedBeforeConnecting) {
  // A name that resolved to a public address at creation and resolves to loopback now (DNS
  // rebinding): the check on the address connected to refuses it.
  auto r = create({{"url", "https://erp.example/hooks"}, {"events", {"user.joined"}}});
  ASSERT_EQ(r.status, 201);
  auto id = r.json()["id"].get<std::int64_t>();
  server.sql("UPDATE webhook_endpoints SET url = ? WHERE id = ?",
             {receiver.url(), std::to_string(id)});
  event();
  EXPECT_EQ(run(), 1);
  EXPECT_EQ(receiver.connections(), 0);
  auto d = deliveries(id)["items"][0];
  EXPECT_EQ(d["status"], "failed");
  EXPECT_TRUE(d["response_code"].is_null());
  EXPECT_NE(d["last_error"].get<std::string>().find("not public"), std::string::npos) << d;
  auto failed = webhookJobs("failed");
  ASSERT_EQ(failed.size(), 1u);  // failed for good at once
  EXPECT_EQ(failed[0].attempts, 1);
  // With a host name, too: "localhost" resolves to loopback.
  server.sql(
      "UPDATE webhook_endpoints SET url = ? WHERE id = ?",
      {"http://localhost:" + std::to_string(receiver.port()) + "/hooks", std::to_string(id)});
  event();
  EXPECT_EQ(run(), 1);
  EXPECT_EQ(receiver.connections(), 0);
}

}  // namespace
}  // namespace portico::testing

namespace portico::testing {
namespace {

TEST_F(WebhooksTest, AnIdempotentCreateReplaysItsSecretButNeverStoresItInTheClear) {
  auto body = json{{"url", receiver.url()}, {"events", {"user.joined"}}}.dump();
  std::vector<std::string> h = {"Content-Type: application/json", "Authorization: Bearer " + key,
                                "Idempotency-Key: create-hook-1"};
  auto first = server.request("POST", "/api/v1/integration/webhooks", body, h);
  ASSERT_EQ(first.status, 201) << first.body;
  auto secret = first.json()["secret"].get<std::string>();
  auto again = server.request("POST", "/api/v1/integration/webhooks", body, h);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.json()["secret"], secret);  // the first answer, not a second endpoint
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  storage::Query q(server.app().db().connection(), "SELECT answer FROM idempotency_keys");
  int rows = 0;
  while (q.next()) {
    ++rows;
    EXPECT_EQ(q.getText(0).find("whsec_"), std::string::npos);
    EXPECT_EQ(q.getText(0).find(secret.substr(6)), std::string::npos);
  }
  EXPECT_EQ(rows, 1);
}

}  // namespace
}  // namespace portico::testing
