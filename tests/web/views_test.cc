#include "web/views.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace portico::web {
namespace {

TEST(ViewsTest, ValuesAreHtmlEscaped) {
  Views views;
  auto html = views.page("login", "en", {{"email", "\"><script>alert(1)</script>"}, {"csrf", "x"}});
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

TEST(ViewsTest, TranslationsFollowTheLanguageAndFallBack) {
  Views views;
  EXPECT_EQ(views.translate("en", "login.submit"), "Sign in");
  EXPECT_NE(views.translate("sv", "login.submit"), "Sign in");
  EXPECT_NE(views.translate("de", "login.submit"), "Sign in");
  EXPECT_EQ(views.translate("xx", "login.submit"), "Sign in");
  EXPECT_EQ(views.translate("en", "no.such.key"), "no.such.key");
}

TEST(ViewsTest, LanguageNegotiation) {
  EXPECT_EQ(negotiateLanguage("sv-SE,sv;q=0.9,en;q=0.8"), "sv");
  EXPECT_EQ(negotiateLanguage("fr-FR, de;q=0.5, en;q=0.4"), "de");
  EXPECT_EQ(negotiateLanguage("fr"), "en");
  EXPECT_EQ(negotiateLanguage(""), "en");
}

}  // namespace
}  // namespace portico::web
