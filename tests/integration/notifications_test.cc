// Notification preferences (API, account page, IdentityService::notify) and disabled logins, end
// to end against a real server on loopback.
#include "identity/notifications.h"

#include <gtest/gtest.h>

#include <regex>

#include "support/browser.h"
#include "support/test_server.h"
#include "web/views.h"

namespace portico::testing {
namespace {

using nlohmann::json;

class NotificationsTest : public ::testing::Test {
 protected:
  HttpResult put(const std::string& body, const std::string& token) {
    return server.request("PUT", "/api/v1/me/notifications", body,
                          {"Content-Type: application/json", "Authorization: Bearer " + token});
  }
  // kind → enabled, from GET /api/v1/me/notifications.
  std::map<std::string, bool> settings(const std::string& token) {
    auto r = server.get("/api/v1/me/notifications", token);
    EXPECT_EQ(r.status, 200) << r.body;
    auto body = r.json();
    std::map<std::string, bool> out;
    for (const auto& n : body["notifications"]) out[n["kind"]] = n["enabled"];
    return out;
  }
  core::UserId userId(const std::string& token) {
    return core::UserId{server.get("/api/v1/me", token).json()["user"]["id"].get<std::int64_t>()};
  }
  int audited(const std::string& event) {
    storage::Query q(server.app().db().connection(),
                     "SELECT COUNT(*) FROM audit_log WHERE event = ?");
    q.bind(event);
    q.next();
    return static_cast<int>(q.getInt(0));
  }
  bool notifyAccessChange(core::UserId user) {
    return server.app().identity().notify(
        user, identity::kAccessChanges, "access_changed",
        {{"company", "Acme Sverige AB"}, {"change", "You are now an administrator."}});
  }
  // The newest mail with quoted-printable soft line breaks undone.
  std::string lastMail() {
    auto all = server.mails();
    return all.empty() ? std::string() : std::regex_replace(all.back(), std::regex("=\r\n"), "");
  }

  TestServer server;
};

TEST(NotificationCatalogTest, EveryKindHasALabelInEveryLanguage) {
  web::Views views;
  ASSERT_EQ(identity::notificationKinds().size(), 6u);
  for (const auto& k : identity::notificationKinds()) {
    EXPECT_TRUE(identity::isNotificationKind(k.id));
    auto en = views.translate("en", k.label_key);
    EXPECT_NE(en, k.label_key);
    for (const char* lang : {"sv", "de"}) {
      EXPECT_NE(views.translate(lang, k.label_key), en) << lang << " " << k.id;
    }
  }
  EXPECT_FALSE(identity::isNotificationKind("bogus"));
  for (const char* lang : {"sv", "de"}) {
    EXPECT_NE(views.translate(lang, "mail.access_changed.subject"),
              views.translate("en", "mail.access_changed.subject"));
  }
}

TEST_F(NotificationsTest, AllKindsAreOnByDefaultInCatalogOrder) {
  auto token = server.signedInUser("defaults@acme.example");
  auto r = server.get("/api/v1/me/notifications", token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = r.json();
  std::vector<std::string> kinds;
  for (const auto& n : body["notifications"]) {
    kinds.push_back(n["kind"]);
    EXPECT_EQ(n["enabled"], true) << n["kind"];
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"access.changes", "support.updates", "invoices.new",
                                             "orders.status", "quotes.new", "news"}));
  EXPECT_TRUE(server.app().identity().wantsNotification(userId(token), "news"));
}

TEST_F(NotificationsTest, PutTurnsOneOffAndGetShowsIt) {
  auto token = server.signedInUser("put@acme.example");
  auto r = put(R"({"news": false})", token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["notifications"].size(), 6u);
  auto s = settings(token);
  EXPECT_FALSE(s["news"]);
  EXPECT_TRUE(s["access.changes"]);
  EXPECT_TRUE(s["invoices.new"]);
  EXPECT_FALSE(server.app().identity().wantsNotification(userId(token), "news"));
  EXPECT_EQ(audited("notifications.updated"), 1);

  // Partial updates leave the other kinds as they were.
  ASSERT_EQ(put(R"({"invoices.new": false})", token).status, 200);
  s = settings(token);
  EXPECT_FALSE(s["news"]);
  EXPECT_FALSE(s["invoices.new"]);
  ASSERT_EQ(put(R"({"news": true})", token).status, 200);
  s = settings(token);
  EXPECT_TRUE(s["news"]);
  EXPECT_FALSE(s["invoices.new"]);
  EXPECT_EQ(audited("notifications.updated"), 3);

  // Saving what is already set stores and audits nothing.
  ASSERT_EQ(put(R"({"news": true, "invoices.new": false})", token).status, 200);
  ASSERT_EQ(put("{}", token).status, 200);
  EXPECT_EQ(audited("notifications.updated"), 3);
  storage::Query q(server.app().db().connection(),
                   "SELECT COUNT(*) FROM notification_preferences WHERE user_id = ?");
  q.bind(userId(token).value);
  ASSERT_TRUE(q.next());
  EXPECT_EQ(q.getInt(0), 2);  // news and invoices.new: the two kinds ever changed
}

TEST_F(NotificationsTest, BadKindOrValueIsRefusedNamingTheFieldAndChangesNothing) {
  auto token = server.signedInUser("bad@acme.example");
  // Validation errors answer 400 invalid_input, as every InvalidInput does
  // (http/error_response.cc); the field names the offending key.
  auto r = put(R"({"news": false, "bogus": true})", token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.errorCode(), "invalid_input");
  EXPECT_EQ(r.json()["error"]["field"], "bogus");
  r = put(R"({"support.updates": false, "news": "no"})", token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["field"], "news");
  r = put(R"({"news": 0})", token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["field"], "news");
  EXPECT_EQ(put(R"({"news": null})", token).status, 400);
  EXPECT_EQ(put(R"([{"news": false}])", token).status, 400);
  EXPECT_EQ(put(R"({"news": false, "news": true})", token).status, 400);
  EXPECT_EQ(put("not json", token).status, 400);
  for (const auto& [kind, enabled] : settings(token)) EXPECT_TRUE(enabled) << kind;
  EXPECT_EQ(audited("notifications.updated"), 0);
}

TEST_F(NotificationsTest, NotifySendsOnlyWhenTheKindIsOn) {
  auto token = server.signedInUser("notify@acme.example");
  auto user = userId(token);
  auto before = server.mails().size();
  EXPECT_TRUE(notifyAccessChange(user));
  ASSERT_EQ(server.mails().size(), before + 1);
  auto mail = lastMail();
  EXPECT_NE(mail.find("To: notify@acme.example"), std::string::npos) << mail;
  EXPECT_NE(mail.find("Subject: Your access in the customer portal has changed"),
            std::string::npos);
  EXPECT_NE(mail.find("Acme Sverige AB"), std::string::npos);
  EXPECT_NE(mail.find("You are now an administrator."), std::string::npos);
  EXPECT_NE(mail.find("http://portal.test/account#notifications"), std::string::npos);

  ASSERT_EQ(put(R"({"access.changes": false})", token).status, 200);
  EXPECT_FALSE(server.app().identity().wantsNotification(user, identity::kAccessChanges));
  EXPECT_FALSE(notifyAccessChange(user));
  EXPECT_EQ(server.mails().size(), before + 1);
  // The other kinds are still on; an unknown kind is never sent.
  EXPECT_TRUE(server.app().identity().wantsNotification(user, identity::kSupportUpdates));
  EXPECT_FALSE(server.app().identity().wantsNotification(user, "bogus"));
  EXPECT_FALSE(server.app().identity().notify(user, "bogus", "access_changed", json::object()));
  EXPECT_FALSE(notifyAccessChange(core::UserId{999999}));
  EXPECT_EQ(server.mails().size(), before + 1);

  ASSERT_EQ(put(R"({"access.changes": true})", token).status, 200);
  EXPECT_TRUE(notifyAccessChange(user));
  EXPECT_EQ(server.mails().size(), before + 2);
}

TEST_F(NotificationsTest, NotifyWritesInTheUsersLanguage) {
  auto token = server.signedInUser("sprak@acme.example");
  auto r = server.request("PATCH", "/api/v1/me", R"({"language":"sv"})",
                          {"Content-Type: application/json", "Authorization: Bearer " + token});
  ASSERT_EQ(r.status, 200) << r.body;
  // The standard sentences come in the user's language.
  EXPECT_TRUE(server.app().identity().notify(userId(token), identity::kAccessChanges,
                                             "access_changed",
                                             {{"company", "Acme AB"}, {"change_removed", true}}));
  auto mail = lastMail();
  EXPECT_NE(mail.find("Hej Test"), std::string::npos) << mail;
  EXPECT_NE(mail.find("kundportalen har =C3=A4ndrats f=C3=B6r Acme AB."), std::string::npos);
  EXPECT_NE(mail.find("har tagits bort."), std::string::npos);
  EXPECT_EQ(mail.find("You are now"), std::string::npos);
}

TEST_F(NotificationsTest, AccountPageFormRoundTrip) {
  std::string secret;
  auto token = server.signedInUser("form@acme.example", &secret);
  server.clock().advance(30);  // the enrolment's code step is used up
  Browser b(server);
  b.get("/login");
  ASSERT_EQ(b.post("/login", "email=form%40acme.example&password=violet+harbor+sunrise").status,
            303);
  b.get("/mfa");  // the signed-in session's CSRF token
  ASSERT_EQ(b.post("/mfa", "code=" + server.totpCode(secret)).status, 303);

  auto page = b.get("/account");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("action=\"/account/notifications\""), std::string::npos);
  EXPECT_NE(page.body.find("name=\"notify.news\" value=\"on\" checked> News from the provider"),
            std::string::npos)
      << page.body;
  EXPECT_NE(
      page.body.find("name=\"notify.access.changes\" value=\"on\" checked> Changes to my access"),
      std::string::npos);
  EXPECT_EQ(page.body.find("role=\"status\""), std::string::npos);

  // Without the CSRF token nothing changes.
  EXPECT_EQ(b.post("/account/notifications", "notify.news=on", /*with_csrf=*/false).status, 403);
  EXPECT_TRUE(settings(token)["access.changes"]);

  // The boxes left unchecked are turned off.
  auto r = b.post("/account/notifications",
                  "notify.access.changes=on&notify.support.updates=on&notify.orders.status=on");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/account?saved=notifications#notifications");
  page = b.get("/account?saved=notifications");
  EXPECT_NE(page.body.find("Your notification settings were saved."), std::string::npos);
  EXPECT_NE(page.body.find("name=\"notify.news\" value=\"on\"> News from the provider"),
            std::string::npos);
  EXPECT_NE(page.body.find("name=\"notify.support.updates\" value=\"on\" checked>"),
            std::string::npos);
  auto s = settings(token);
  EXPECT_TRUE(s["access.changes"]);
  EXPECT_TRUE(s["support.updates"]);
  EXPECT_TRUE(s["orders.status"]);
  EXPECT_FALSE(s["invoices.new"]);
  EXPECT_FALSE(s["quotes.new"]);
  EXPECT_FALSE(s["news"]);

  // A form naming a kind that does not exist changes nothing.
  r = b.post("/account/notifications", "notify.bogus=on");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("role=\"alert\""), std::string::npos);
  EXPECT_TRUE(settings(token)["access.changes"]);

  // An empty form turns everything off.
  ASSERT_EQ(b.post("/account/notifications", "").status, 303);
  for (const auto& [kind, enabled] : settings(token)) EXPECT_FALSE(enabled) << kind;
}

class DisableLoginTest : public NotificationsTest {
 protected:
  audit::Actor staff{std::nullopt, "127.0.0.1", "test"};
};

TEST_F(DisableLoginTest, DisablingEndsSessionsAndRefusesSignIn) {
  auto token = server.signedInUser("gone@acme.example");
  auto user = userId(token);
  auto second = server
                    .post("/api/v1/auth/login",
                          {{"email", "gone@acme.example"}, {"password", TestServer::kPassword}})
                    .json()["token"]
                    .get<std::string>();
  ASSERT_EQ(server.get("/api/v1/me", token).status, 200);

  ASSERT_TRUE(server.app().identity().disableLogin(user, staff));
  auto me = server.get("/api/v1/me", token);
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.errorCode(), "unauthenticated");
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", "123456"}}, second).status, 401);
  EXPECT_EQ(audited("user.disabled"), 1);

  // The right password answers exactly like a wrong one.
  auto login = server.post("/api/v1/auth/login",
                           {{"email", "gone@acme.example"}, {"password", TestServer::kPassword}});
  auto wrong = server.post("/api/v1/auth/login",
                           {{"email", "gone@acme.example"}, {"password", "wrong wrong wrong"}});
  EXPECT_EQ(login.status, 401);
  EXPECT_EQ(login.body, wrong.body);

  // No reset link and no notification reach a disabled login.
  auto mails = server.mails().size();
  auto reset = server.post("/api/v1/auth/password-reset", {{"email", "gone@acme.example"}});
  EXPECT_EQ(reset.status, 202);
  EXPECT_FALSE(server.app().identity().wantsNotification(user, identity::kAccessChanges));
  EXPECT_FALSE(notifyAccessChange(user));
  EXPECT_EQ(server.mails().size(), mails);

  // Disabling twice changes nothing; an unknown login is NotFound.
  EXPECT_TRUE(server.app().identity().disableLogin(user, staff));
  EXPECT_EQ(audited("user.disabled"), 1);
  auto unknown = server.app().identity().disableLogin(core::UserId{999999}, staff);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::NotFound);
}

TEST_F(DisableLoginTest, DisablingEndsAWebSession) {
  std::string secret;
  auto token = server.signedInUser("web-gone@acme.example", &secret);
  server.clock().advance(30);
  Browser b(server);
  b.get("/login");
  ASSERT_EQ(b.post("/login", "email=web-gone%40acme.example&password=violet+harbor+sunrise").status,
            303);
  b.get("/mfa");  // the signed-in session's CSRF token
  ASSERT_EQ(b.post("/mfa", "code=" + server.totpCode(secret)).status, 303);
  ASSERT_EQ(b.get("/account").status, 200);
  ASSERT_TRUE(server.app().identity().disableLogin(userId(token), staff));
  auto r = b.get("/account");
  EXPECT_EQ(r.status, 303);
  EXPECT_TRUE(r.header("location").starts_with("/login")) << r.header("location");
}

TEST_F(DisableLoginTest, ResetLinkMailedBeforeDisablingNoLongerWorks) {
  server.signedInUser("reset@acme.example");
  ASSERT_EQ(server.post("/api/v1/auth/password-reset", {{"email", "reset@acme.example"}}).status,
            202);
  auto reset_token = server.mailedToken("/password-reset");
  ASSERT_FALSE(reset_token.empty());
  auto token = server
                   .post("/api/v1/auth/login",
                         {{"email", "reset@acme.example"}, {"password", TestServer::kPassword}})
                   .json()["token"]
                   .get<std::string>();
  storage::Query q(server.app().db().connection(),
                   "SELECT id FROM users WHERE email = 'reset@acme.example'");
  ASSERT_TRUE(q.next());
  core::UserId user{q.getInt(0)};
  ASSERT_TRUE(server.app().identity().disableLogin(user, staff));
  auto r = server.post("/api/v1/auth/password-reset/confirm",
                       {{"token", reset_token}, {"password", "another fine passphrase"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(server.get("/api/v1/me", token).status, 401);
}

TEST_F(DisableLoginTest, EnablingRestoresSignIn) {
  std::string secret;
  auto token = server.signedInUser("back@acme.example", &secret);
  auto user = userId(token);
  ASSERT_TRUE(server.app().identity().disableLogin(user, staff));
  ASSERT_TRUE(server.app().identity().enableLogin(user, staff));
  EXPECT_EQ(audited("user.enabled"), 1);
  EXPECT_EQ(server.get("/api/v1/me", token).status, 401);  // ended sessions stay ended

  server.clock().advance(30);
  auto login = server.post("/api/v1/auth/login",
                           {{"email", "back@acme.example"}, {"password", TestServer::kPassword}});
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.json()["mfa"], "verify");
  auto fresh = login.json()["token"].get<std::string>();
  ASSERT_EQ(server.post("/api/v1/auth/mfa", {{"code", server.totpCode(secret)}}, fresh).status,
            200);
  EXPECT_EQ(server.get("/api/v1/me", fresh).status, 200);
  EXPECT_TRUE(server.app().identity().wantsNotification(user, identity::kAccessChanges));

  // Enabling an active login changes nothing.
  EXPECT_TRUE(server.app().identity().enableLogin(user, staff));
  EXPECT_EQ(audited("user.enabled"), 1);
}

}  // namespace
}  // namespace portico::testing
