// Every message a person reads comes from a key, written out at the edge in the reader's
// language: the JSON API's "message" and the HTML error pages alike.
#include <gtest/gtest.h>

#include "support/test_server.h"

namespace portico::testing {
namespace {

std::string messageOf(const HttpResult& r) {
  auto j = r.json();
  return j.is_object() && j.contains("error") ? j["error"].value("message", "") : "";
}

TEST(I18nTest, ApiErrorsAnswerInTheLanguageTheRequestAsksFor) {
  TestServer server;
  auto en = server.request("GET", "/api/v1/nothing");
  EXPECT_EQ(en.status, 404);
  EXPECT_EQ(en.errorCode(), "not_found");
  EXPECT_EQ(messageOf(en), "No such page");
  auto sv = server.request("GET", "/api/v1/nothing", "", {"Accept-Language: sv-SE,sv;q=0.9"});
  EXPECT_EQ(sv.errorCode(), "not_found");  // the code stays the same in every language
  EXPECT_EQ(messageOf(sv), "Sidan finns inte");
  auto de = server.request("GET", "/api/v1/nothing", "", {"Accept-Language: de"});
  EXPECT_EQ(messageOf(de), "Diese Seite gibt es nicht");
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
  EXPECT_FALSE(messageOf(r).empty());
  EXPECT_EQ(messageOf(r),
            messageOf(server.request("GET", "/api/v1/companies/999999", "",
                                     {"Authorization: Bearer " + token, "Accept-Language: en"})))
      << "the user's setting decides, not the header";
  auto english_user = server.signedInUser("en@acme.example");
  auto en = server.get("/api/v1/companies/999999", english_user);
  EXPECT_NE(messageOf(r), messageOf(en)) << messageOf(r);
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

}  // namespace
}  // namespace portico::testing
