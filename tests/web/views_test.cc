#include "web/views.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "web/user_agent.h"

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

// A plural text's form follows the argument it counts by: one second, two seconds; a message
// that names another number too ("At most {max}") counts by the one its text says.
TEST(ViewsTest, PluralTextsChooseTheirFormByTheArgumentTheyCount) {
  Views views;
  EXPECT_EQ(views.message("en", core::Error::rateLimited(1)),
            "Too many attempts; try again in 1 second");
  EXPECT_EQ(views.message("en", core::Error::rateLimited(2)),
            "Too many attempts; try again in 2 seconds");
  EXPECT_EQ(views.message("en", core::Error::rateLimited(0)),  // said as a wait of one second
            "Too many attempts; try again in 1 second");
  EXPECT_EQ(views.message("sv", core::Error::rateLimited(1)),
            "För många försök; försök igen om 1 sekund");
  EXPECT_EQ(views.message("sv", core::Error::rateLimited(11)),
            "För många försök; försök igen om 11 sekunder");
  EXPECT_EQ(views.message("de", core::Error::rateLimited(1)),
            "Zu viele Versuche; bitte in 1 Sekunde erneut versuchen");
  auto exports = [](int seconds, const char* unit) {
    return core::Error::rateLimited(seconds,
                                    std::string("errors.identity.throttle.exports_") + unit)
        .with("max", "10");
  };
  EXPECT_EQ(views.message("en", exports(60, "minutes")),
            "At most 10 exports an hour; try again in 1 minute");
  EXPECT_EQ(views.message("en", exports(61, "minutes")),
            "At most 10 exports an hour; try again in 2 minutes");
  EXPECT_EQ(views.message("de", exports(1, "seconds")),
            "Höchstens 10 Exporte pro Stunde; versuchen Sie es in 1 Sekunde erneut");
  // Without its counting argument, and where no form can be chosen, the "other" form.
  EXPECT_EQ(views.message("en", "errors.too_many_attempts", {}),
            "Too many attempts; try again in {seconds} seconds");
  EXPECT_EQ(views.translate("sv", "errors.too_many_attempts"),
            "För många försök; försök igen om {seconds} sekunder");
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

namespace portico::web {
namespace {

TEST(UserAgentTest, NamesTheBrowserAndSystemAsPeopleDo) {
  auto chrome = deviceOf(
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 "
      "Safari/537.36");
  EXPECT_EQ(chrome.browser, "Chrome");
  EXPECT_EQ(chrome.system, "Linux");
  auto iphone = deviceOf(
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
      "Gecko) Version/17.0 Mobile/15E148 Safari/604.1");
  EXPECT_EQ(iphone.browser, "Safari");
  EXPECT_EQ(iphone.system, "iPhone");
  auto edge = deviceOf(
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/120.0 Safari/537.36 Edg/120.0");
  EXPECT_EQ(edge.browser, "Edge");
  EXPECT_EQ(edge.system, "Windows");
  auto android = deviceOf("Mozilla/5.0 (Linux; Android 14) Gecko/20100101 Firefox/121.0");
  EXPECT_EQ(android.browser, "Firefox");
  EXPECT_EQ(android.system, "Android");
  auto unknown = deviceOf("");
  EXPECT_TRUE(unknown.browser.empty() && unknown.system.empty());
  EXPECT_EQ(deviceOf("curl/8.0").browser, "curl");
}

}  // namespace
}  // namespace portico::web
