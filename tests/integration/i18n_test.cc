// Every message a person reads comes from a key, written out at the edge in the reader's
// language: the JSON API's "message" and the HTML error pages alike.
#include <gtest/gtest.h>

#include "support/browser.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

TEST(I18nTest, ApiErrorsAnswerInTheLanguageTheRequestAsksFor) {
  TestServer server;
  auto en = server.request("GET", "/api/v1/nothing");
  EXPECT_EQ(en.status, 404);
  EXPECT_EQ(en.errorCode(), "not_found");
  EXPECT_EQ(en.errorMessage(), "No such page");
  auto sv = server.request("GET", "/api/v1/nothing", "", {"Accept-Language: sv-SE,sv;q=0.9"});
  EXPECT_EQ(sv.errorCode(), "not_found");  // the code stays the same in every language
  EXPECT_EQ(sv.errorMessage(), "Sidan finns inte");
  auto de = server.request("GET", "/api/v1/nothing", "", {"Accept-Language: de"});
  EXPECT_EQ(de.errorMessage(), "Diese Seite gibt es nicht");
}

TEST(I18nTest, SignedInCallersReadErrorsInTheirOwnLanguage) {
  TestServer server;
  auto token = server.signedInUser("lang@acme.example");
  auto set = server.request("PATCH", "/api/v1/me", R"({"language":"de"})",
                            {"Content-Type: application/json", "Authorization: Bearer " + token});
  ASSERT_EQ(set.status, 200) << set.body;
  // A company that is not the caller's: the policy's 404, in German.
  auto r = server.get("/api/v1/companies/999999", token);
  EXPECT_EQ(r.status, 404);
  EXPECT_FALSE(r.errorMessage().empty());
  EXPECT_EQ(r.errorMessage(),
            (server.request("GET", "/api/v1/companies/999999", "",
                            {"Authorization: Bearer " + token, "Accept-Language: en"}))
                .errorMessage())
      << "the user's setting decides, not the header";
  auto english_user = server.signedInUser("en@acme.example");
  auto en = server.get("/api/v1/companies/999999", english_user);
  EXPECT_NE(r.errorMessage(), en.errorMessage()) << r.errorMessage();
}

TEST(I18nTest, HtmlErrorPagesAreTranslatedAndComplete) {
  TestServer server;
  auto de = server.request("GET", "/no/such/page", "", {"Accept-Language: de"});
  EXPECT_EQ(de.status, 404);
  EXPECT_NE(de.body.find("<html lang=\"de\""), std::string::npos) << de.body.substr(0, 300);
  EXPECT_NE(de.body.find("Diese Seite gibt es nicht"), std::string::npos);
  EXPECT_NE(de.body.find("<h1"), std::string::npos);
  EXPECT_NE(de.body.find("href=\"/\""), std::string::npos);  // a way on
}

// Sign-in's errors are keys too: the API answers a wrong password in the language asked for, and
// the login page shows it in the browser's language.
TEST(I18nTest, SignInErrorsAreTranslated) {
  TestServer server;
  server.signedInUser("sprak@acme.example");
  auto de = server.request("POST", "/api/v1/auth/login",
                           R"({"email":"sprak@acme.example","password":"wrong horse battery"})",
                           {"Content-Type: application/json", "Accept-Language: de"});
  EXPECT_EQ(de.status, 401);
  EXPECT_EQ(de.errorCode(), "unauthenticated");
  EXPECT_EQ(de.errorMessage(), "E-Mail-Adresse oder Passwort ist falsch");

  Browser b(server, "sv-SE,sv;q=0.9,en;q=0.5");
  ASSERT_EQ(b.get("/login").status, 200);
  auto page = b.submit("/login", {{"email", "sprak@acme.example"}, {"password", "fel lösenord"}});
  EXPECT_EQ(page.status, 401);
  EXPECT_NE(page.body.find("<html lang=\"sv\""), std::string::npos) << page.body.substr(0, 300);
  EXPECT_NE(page.body.find("Fel e-postadress eller lösenord"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Wrong e-mail or password"), std::string::npos);
}

}  // namespace

// What a call did is said in the caller's language too, beside what went wrong.
TEST(I18nTest, SuccessMessagesOfTheApiAreTranslated) {
  TestServer server;
  server.signedInUser("sprak@acme.example");
  for (const char* email : {"sprak@acme.example", "nobody@acme.example"}) {
    auto sv = server.request("POST", "/api/v1/auth/password-reset",
                             nlohmann::json{{"email", email}}.dump(),
                             {"Content-Type: application/json", "Accept-Language: sv"});
    EXPECT_EQ(sv.status, 202);
    EXPECT_EQ(sv.json()["message"],
              "Om adressen har en inloggning är en återställningslänk på väg.");
  }
  auto en = server.request("POST", "/api/v1/auth/password-reset",
                           R"({"email":"sprak@acme.example"})", {"Content-Type: application/json"});
  EXPECT_EQ(en.json()["message"], "If the address has a login, a reset link is on its way.");
}

}  // namespace portico::testing
