// The web UI without a browser: forms, CSRF, cookies, languages.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "support/browser.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

TEST(PagesTest, SignInWithTotpThroughTheForms) {
  TestServer server;
  std::string secret;
  server.signedInUser("web@acme.example", &secret);
  server.clock().advance(30);
  Browser b(server);
  auto home = b.get("/");
  EXPECT_EQ(home.status, 303);
  EXPECT_EQ(home.header("location"), "/login?next=%2F");
  auto login = b.get("/login");
  EXPECT_EQ(login.status, 200);
  EXPECT_NE(login.body.find("<label for=\"email\">"), std::string::npos);
  auto r = b.post("/login", "email=web%40acme.example&password=violet+harbor+sunrise");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/mfa");
  auto pre_mfa_cookie = b.cookie("portico_session");
  EXPECT_EQ(b.get("/").header("location"), "/mfa");  // data pages wait for the second factor
  b.get("/mfa");
  r = b.post("/mfa", "code=000000");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("role=\"alert\""), std::string::npos);
  r = b.post("/mfa", "code=" + server.totpCode(secret));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_NE(b.cookie("portico_session"), pre_mfa_cookie);  // a new session id after 2FA
  home = b.get("/");
  EXPECT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("Test"), std::string::npos);
  auto account = b.get("/account");
  EXPECT_EQ(account.status, 200);
  EXPECT_NE(account.body.find("web@acme.example"), std::string::npos);
  // The old pre-2FA cookie is worthless.
  EXPECT_EQ(server.request("GET", "/", "", {"Cookie: portico_session=" + pre_mfa_cookie}).status,
            303);
  r = b.post("/logout", "");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(b.get("/").status, 303);
}

TEST(PagesTest, FormsWithoutTheCsrfTokenAreRefused) {
  TestServer server;
  server.signedInUser("csrf@acme.example");
  Browser b(server);
  b.get("/login");
  auto r = b.post("/login", "email=csrf%40acme.example&password=violet+harbor+sunrise",
                  /*with_csrf=*/false);
  EXPECT_EQ(r.status, 403);
  r = b.post("/login", "email=csrf%40acme.example&password=violet+harbor+sunrise&csrf=forged",
             false);
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(b.cookie("portico_session").empty());
  // A cross-site form post is refused even with the token.
  auto h = std::vector<std::string>{"Content-Type: application/x-www-form-urlencoded",
                                    "Cookie: portico_csrf=" + b.cookie("portico_csrf"),
                                    "Sec-Fetch-Site: cross-site"};
  r = server.request("POST", "/login", "email=a%40b.c&password=x&csrf=" + b.cookie("portico_csrf"),
                     h);
  EXPECT_EQ(r.status, 403);
}

TEST(PagesTest, EnrolmentPageShowsQrAndKey) {
  TestServer server;
  auto link = server.initOrganization("Web Org", "enrol@acme.example");
  Browser b(server, "sv-SE,sv;q=0.9");
  auto page = b.get("/signup?token=" + TestServer::tokenOf(link));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("lang=\"sv\""), std::string::npos);
  auto r = b.post("/signup", "token=" + TestServer::tokenOf(link) +
                                 "&first_name=Eva&last_name=Ek&password=violet+harbor+sunrise");
  ASSERT_EQ(r.status, 303) << r.body;
  b.get("/login");
  r = b.post("/login", "email=enrol%40acme.example&password=violet+harbor+sunrise");
  EXPECT_EQ(r.header("location"), "/mfa/enroll");
  auto enrol = b.get("/mfa/enroll");
  ASSERT_EQ(enrol.status, 200);
  EXPECT_NE(enrol.body.find("<svg"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(enrol.body, m, std::regex("id=\"secret\"[^>]*>([A-Z2-7]{32})<")));
  r = b.post("/mfa/enroll", "code=" + server.totpCode(m[1].str()));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("id=\"recovery-codes\""), std::string::npos);
  EXPECT_EQ(b.get("/").status, 200);
}

TEST(PagesTest, AfterSignInOnlySameSitePathsAreFollowed) {
  TestServer server;
  auto link = server.initOrganization("Relaxed Org", "next@acme.example");
  ASSERT_EQ(server
                .post("/api/v1/signup", {{"token", TestServer::tokenOf(link)},
                                         {"first_name", "N"},
                                         {"last_name", "X"},
                                         {"password", TestServer::kPassword}})
                .status,
            201);
  // An organization that does not require 2FA: the password alone signs in, so `next` is used.
  storage::Query(server.app().db().connection(),
                 "UPDATE organizations SET require_mfa = 0 WHERE name = 'Relaxed Org'")
      .run();
  for (const auto& [next, expected] :
       std::vector<std::pair<std::string, std::string>>{{"%2Faccount", "/account"},
                                                        {"%2F%2Fevil.example", "/"},
                                                        {"%2F%5Cevil.example", "/"},
                                                        {"https%3A%2F%2Fevil.example", "/"},
                                                        {"javascript%3Aalert(1)", "/"}}) {
    Browser b(server);
    b.get("/login");
    auto r =
        b.post("/login", "email=next%40acme.example&password=violet+harbor+sunrise&next=" + next);
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("location"), expected) << next;
  }
}

TEST(PagesTest, HomeListsCompaniesAndTheCompanyPageManagesUsers) {
  TestServer server;
  server.initOrganization("Vendor", "staff@vendor.example");
  auto key = *server.app().createApiKey("Vendor", "ERP");
  auto mailedToken = [&](const std::string& path) {
    std::string flat = std::regex_replace(server.mails().back(), std::regex("=\r\n"), "");
    std::smatch m;
    EXPECT_TRUE(std::regex_search(flat, m, std::regex(path + "\\?token=3D([A-Za-z0-9_-]+)")));
    return m.size() > 1 ? m[1].str() : std::string();
  };
  std::int64_t ids[2];
  int n = 0;
  for (const char* ext : {"A", "B"}) {
    ids[n++] = server
                   .post("/api/v1/integration/companies",
                         {{"external_id", ext}, {"name", std::string("Company ") + ext}}, key)
                   .json()["id"]
                   .get<std::int64_t>();
  }
  server.post("/api/v1/integration/companies/A/admin-signup", {{"email", "pa@a.example"}}, key);
  server.post("/api/v1/signup", {{"token", mailedToken("/signup")},
                                 {"first_name", "Pia"},
                                 {"last_name", "Admin"},
                                 {"password", TestServer::kPassword}});
  auto api = server
                 .post("/api/v1/auth/login",
                       {{"email", "pa@a.example"}, {"password", TestServer::kPassword}})
                 .json()["token"]
                 .get<std::string>();
  auto secret = server.post("/api/v1/auth/totp/enroll", nlohmann::json::object(), api)
                    .json()["secret"]
                    .get<std::string>();
  ASSERT_EQ(
      server.post("/api/v1/auth/totp/confirm", {{"code", server.totpCode(secret)}}, api).status,
      200);
  server.clock().advance(30);

  Browser b(server);
  b.get("/login");
  ASSERT_EQ(
      b.post("/login", "email=pa%40a.example&password=violet+harbor+sunrise").header("location"),
      "/mfa");
  b.get("/mfa");
  ASSERT_EQ(b.post("/mfa", "code=" + server.totpCode(secret)).status, 303);
  auto home = b.get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("Company A"), std::string::npos);
  EXPECT_EQ(home.body.find("Company B"), std::string::npos);
  auto page = b.get("/companies/" + std::to_string(ids[0]));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("pa@a.example"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"members\""), std::string::npos);
  auto r = b.post("/companies/" + std::to_string(ids[0]) + "/invitations",
                  "email=new%40a.example&first_name=Nils&last_name=New&language=sv&role=member");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_NE(server.mails().back().find("To: new@a.example"), std::string::npos);
  page = b.get("/companies/" + std::to_string(ids[0]));
  EXPECT_NE(page.body.find("new@a.example"), std::string::npos);  // pending
  r = b.post("/companies/" + std::to_string(ids[0]) + "/invitations",
             "email=bad&first_name=N&last_name=N&language=sv&role=member");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("role=\"alert\""), std::string::npos);
  EXPECT_EQ(b.get("/companies/" + std::to_string(ids[1])).status, 404);  // not hers
  EXPECT_EQ(b.post("/companies/" + std::to_string(ids[1]) + "/invitations",
                   "email=x%40a.example&first_name=X&last_name=X&language=en&role=member")
                .status,
            404);
}

TEST(PagesTest, SeveralInvitationsInOneFormEachIntoSeveralCompanies) {
  TestServer server;
  server.initOrganization("Vendor", "owner@vendor.example");
  auto key = *server.app().createApiKey("Vendor", "ERP");
  std::int64_t ids[3];
  int n = 0;
  for (const char* ext : {"A", "B", "C"}) {
    ids[n++] = server
                   .post("/api/v1/integration/companies",
                         {{"external_id", ext}, {"name", std::string("Company ") + ext}}, key)
                   .json()["id"]
                   .get<std::int64_t>();
  }
  // Pia administers A and B (two admin signup links; the second accepted signed in).
  server.post("/api/v1/integration/companies/A/admin-signup", {{"email", "pa@a.example"}}, key);
  server.post("/api/v1/signup", {{"token", server.mailedToken("/signup")},
                                 {"first_name", "Pia"},
                                 {"last_name", "Admin"},
                                 {"password", TestServer::kPassword}});
  auto api = server
                 .post("/api/v1/auth/login",
                       {{"email", "pa@a.example"}, {"password", TestServer::kPassword}})
                 .json()["token"]
                 .get<std::string>();
  auto secret = server.post("/api/v1/auth/totp/enroll", nlohmann::json::object(), api)
                    .json()["secret"]
                    .get<std::string>();
  ASSERT_EQ(
      server.post("/api/v1/auth/totp/confirm", {{"code", server.totpCode(secret)}}, api).status,
      200);
  server.post("/api/v1/integration/companies/B/admin-signup", {{"email", "pa@a.example"}}, key);
  ASSERT_EQ(server.post("/api/v1/signup", {{"token", server.mailedToken("/signup")}}, api).status,
            200);  // an existing login adds the company
  server.clock().advance(30);

  Browser b(server);
  b.get("/login");
  b.post("/login", "email=pa%40a.example&password=violet+harbor+sunrise");
  b.get("/mfa");
  ASSERT_EQ(b.post("/mfa", "code=" + server.totpCode(secret)).status, 303);
  auto page = b.get("/invitations/new");
  ASSERT_EQ(page.status, 200);
  auto A = std::to_string(ids[0]), B = std::to_string(ids[1]), C = std::to_string(ids[2]);
  EXPECT_NE(page.body.find("name=\"company_" + A + "\""), std::string::npos);
  EXPECT_NE(page.body.find("name=\"company_" + B + "\""), std::string::npos);
  EXPECT_EQ(page.body.find("name=\"company_" + C + "\""), std::string::npos);  // not hers
  EXPECT_NE(page.body.find("for=\"email-0\""), std::string::npos);             // labelled fields
  EXPECT_EQ(page.body.find("role=\"alert\""), std::string::npos);  // no empty alert per row

  // "New invitation" posts back with one more row, keeping what was typed.
  std::string companies =
      "company_" + A + "=on&role_" + A + "=member&company_" + B + "=on&role_" + B + "=all";
  auto r = b.post("/invitations/new",
                  "rows=1&email_0=one%40x.example&first_name_0=One&last_name_0="
                  "O&language_0=sv&action=add&" +
                      companies);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("id=\"email-1\""), std::string::npos);
  EXPECT_NE(r.body.find("value=\"one@x.example\""), std::string::npos);
  EXPECT_EQ(server.mails().size(), 3u);  // nothing sent yet

  // A row with several faults shows every one of them in one alert, and sends nothing.
  r = b.post(
      "/invitations/new",
      "rows=1&email_0=bad&first_name_0=&last_name_0=&language_0=en&action=send&" + companies);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("&apos;email&apos; is not a valid e-mail address"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("&apos;first_name&apos; is required"), std::string::npos);
  EXPECT_NE(r.body.find("&apos;last_name&apos; is required"), std::string::npos);
  EXPECT_EQ(server.mails().size(), 3u);

  // One send: the good rows are sent, the bad one comes back with its reason.
  auto mails = server.mails().size();
  r = b.post("/invitations/new",
             "rows=3&email_0=one%40x.example&first_name_0=One&last_name_0=O&language_0=sv"
             "&email_1=bad&first_name_1=Bad&last_name_1=B&language_1=en"
             "&email_2=two%40x.example&first_name_2=Two&last_name_2=T&language_2=de"
             "&action=send&" +
                 companies);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("value=\"bad\""), std::string::npos);
  EXPECT_EQ(r.body.find("value=\"one@x.example\""), std::string::npos);
  EXPECT_EQ(server.mails().size(), mails + 2);
  auto pending = server.get("/api/v1/invitations", api).json()["items"];
  ASSERT_EQ(pending.size(), 2u);
  for (const auto& inv : pending) {
    ASSERT_EQ(inv["companies"].size(), 2u);  // each into A (member) and B (all permissions)
    for (const auto& company : inv["companies"]) {
      if (company["company_id"] == ids[0]) {
        EXPECT_EQ(company["role"], "member");
      } else {
        EXPECT_EQ(company["role"], "custom");
        auto perms = company["permissions"];
        EXPECT_EQ(std::find(perms.begin(), perms.end(), "users.manage"), perms.end());
        EXPECT_NE(std::find(perms.begin(), perms.end(), "invoices.pay"), perms.end());
      }
    }
  }
  // No company ticked: a clear error, nothing sent; a company that is not hers is ignored.
  r = b.post("/invitations/new",
             "rows=1&email_0=three%40x.example&first_name_0=T&last_name_0=T"
             "&action=send&company_" +
                 C + "=on&role_" + C + "=user");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(server.get("/api/v1/invitations", api).json()["items"].size(), 2u);
}

}  // namespace
}  // namespace portico::testing

namespace portico::testing {
namespace {

// The page asked for survives sign-in and the second factor; a too-old sign-in asks for a new
// one in place (a translated page, not a dead end) and comes back to where the person was.
TEST(PagesTest, ThePageAskedForComesAlongThroughTwoFactorAndReauthentication) {
  TestServer server;
  std::string secret;
  server.signedInUser("place@acme.example", &secret);
  server.clock().advance(60);  // a code of a later step than the enrolment's
  Browser b(server);
  auto start = b.get("/account");
  ASSERT_EQ(start.status, 303);
  EXPECT_EQ(start.header("location"), "/login?next=%2Faccount");
  b.get("/login?next=%2Faccount");
  auto login = b.submit(
      "/login",
      {{"email", "place@acme.example"}, {"password", TestServer::kPassword}, {"next", "/account"}});
  ASSERT_EQ(login.status, 303) << login.body;
  EXPECT_EQ(login.header("location"), "/mfa?next=%2Faccount");
  auto mfa = b.get("/mfa?next=%2Faccount");
  EXPECT_NE(mfa.body.find("name=\"next\" value=\"/account\""), std::string::npos);
  auto done = b.submit("/mfa", {{"code", server.totpCode(secret)}, {"next", "/account"}});
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("location"), "/account");
  // An unsafe next is dropped on the way.
  EXPECT_EQ(b.get("/mfa?next=%2F%2Fevil.example").status, 303);  // already signed in

  // 16 minutes later, new recovery codes first need a new sign-in, asked for on a real page.
  server.clock().advance(16 * 60);
  b.get("/account");
  auto codes = b.submit("/account/recovery-codes");
  EXPECT_EQ(codes.status, 200);
  EXPECT_NE(codes.body.find("<html lang=\"en\""), std::string::npos);
  EXPECT_NE(codes.body.find("action=\"/reauth\""), std::string::npos) << codes.body;
  auto app = b.get("/account/mfa/totp");
  EXPECT_EQ(app.status, 200);
  EXPECT_NE(app.body.find("action=\"/reauth\""), std::string::npos) << app.body;
  auto again = b.submit("/reauth", {{"next", "/account/mfa/totp"}});
  ASSERT_EQ(again.status, 303);
  EXPECT_EQ(again.header("location"),
            "/login?reauth=1&email=place%40acme.example&next=%2Faccount%2Fmfa%2Ftotp");
  EXPECT_EQ(b.get("/account").status, 303) << "the session that asked has ended";
  b.get("/login?reauth=1&email=place%40acme.example&next=%2Faccount%2Fmfa%2Ftotp");
  auto relogin = b.submit("/login", {{"email", "place@acme.example"},
                                     {"password", TestServer::kPassword},
                                     {"next", "/account/mfa/totp"}});
  EXPECT_EQ(relogin.header("location"), "/mfa?next=%2Faccount%2Fmfa%2Ftotp");
  b.get("/mfa?next=%2Faccount%2Fmfa%2Ftotp");
  auto back = b.submit("/mfa", {{"code", server.totpCode(secret)}, {"next", "/account/mfa/totp"}});
  EXPECT_EQ(back.header("location"), "/account/mfa/totp");
  auto enrol = b.get("/account/mfa/totp");
  EXPECT_NE(enrol.body.find("action=\"/mfa/enroll\""), std::string::npos) << enrol.body;
}

}  // namespace
}  // namespace portico::testing
