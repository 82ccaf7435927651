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

TEST(ViewsTest, MessagesPutTheirArgumentsInOnce) {
  Views views;
  auto e = core::Error::internal("errors.internal").with("request_id", "{request_id} <x>");
  EXPECT_EQ(views.message("en", e),
            "Something went wrong; the error was logged as {request_id} <x>");
  EXPECT_EQ(views.message("sv", e), "Något gick fel; felet loggades som {request_id} <x>");
  EXPECT_EQ(views.message("de", core::Error::rateLimited(61)),
            "Zu viele Versuche; bitte in 61 Sekunden erneut versuchen");
  // An argument the text does not name, and a placeholder without an argument, stay as they are.
  EXPECT_EQ(views.message("en", "errors.internal", {{"other", "1"}}),
            "Something went wrong; the error was logged as {request_id}");
  EXPECT_EQ(views.message("en", "no.such.key", {}), "no.such.key");
}

TEST(ViewsTest, TheInvitationMailReadsAsASentenceInEveryLanguage) {
  Views views;
  nlohmann::json data = {{"first_name", "Ivy"},
                         {"inviter", "Ada Admin"},
                         {"companies", "Acme AB"},
                         {"link", "https://portal.example/invitations/accept?token=t"}};
  auto line = [&](const char* lang) {
    auto text = views.render("mail/invitation.text", lang, data);
    auto from = text.find("Ada Admin");
    return from == std::string::npos ? text : text.substr(from, text.find('\n', from) - from);
  };
  EXPECT_EQ(line("en"), "Ada Admin invites you to the customer portal of Acme AB.");
  EXPECT_EQ(line("sv"), "Ada Admin bjuder in dig till kundportalen för Acme AB.");
  EXPECT_EQ(line("de"), "Ada Admin sendet Ihnen eine Einladung zum Kundenportal von Acme AB.");
}

TEST(ViewsTest, LanguageNegotiation) {
  EXPECT_EQ(negotiateLanguage("sv-SE,sv;q=0.9,en;q=0.8"), "sv");
  EXPECT_EQ(negotiateLanguage("fr-FR, de;q=0.5, en;q=0.4"), "de");
  EXPECT_EQ(negotiateLanguage("fr"), "en");
  EXPECT_EQ(negotiateLanguage(""), "en");
}

}  // namespace
}  // namespace portico::web
