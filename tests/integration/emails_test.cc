// The e-mail history: every mail kept as its recipient read it (a sign-in link without its
// token), for the people who may view a company's mail, for the recipient, and on the staff
// console's Deliveries page with its delivery status, last error and a retry.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <regex>

#include "support/browser.h"
#include "support/smtp_sink.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

using nlohmann::json;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// With `smtp`, mail goes to a real SMTP server on loopback, which a test may stop.
app::AppConfig configFor(const std::unique_ptr<SmtpSink>& sink) {
  app::AppConfig c;
  if (sink) c.smtp_url = "smtp://127.0.0.1:" + std::to_string(sink->port());
  return c;
}

class EmailsTest : public ::testing::Test {
 protected:
  explicit EmailsTest(bool smtp = false)
      : sink(smtp ? std::make_unique<SmtpSink>() : nullptr), server(configFor(sink)) {
    server.initOrganization("Vendor", "owner@vendor.example");
    key = *server.app().createApiKey("Vendor", "ERP");
    std::tie(company, admin) = companyAdmin("A", "ada@a.example");
    std::tie(other_company, outsider) = companyAdmin("B", "olga@b.example");
    staff = server.staffMember("Vendor", "chief@vendor.example", "admin",
                               &secrets["chief@vendor.example"]);
  }

  // Company `ext` and its administrator, signed in through the API: {company id, token}.
  std::pair<std::int64_t, std::string> companyAdmin(const std::string& ext,
                                                    const std::string& email) {
    auto id =
        server.post("/api/v1/integration/companies", {{"external_id", ext}, {"name", ext}}, key)
            .json()["id"]
            .get<std::int64_t>();
    EXPECT_EQ(
        server
            .post("/api/v1/integration/companies/" + ext + "/admin-signup", {{"email", email}}, key)
            .status,
        202);
    EXPECT_EQ(server
                  .post("/api/v1/signup", {{"token", signupToken()},
                                           {"first_name", "Ada"},
                                           {"last_name", "Admin"},
                                           {"password", TestServer::kPassword}})
                  .status,
              201);
    return {id, enrol(email)};
  }

  // The token of the newest signup link mailed (to the outbox, or to the SMTP server).
  std::string signupToken() {
    if (!sink) return server.mailedToken("/signup");
    auto before = sink->messages().size();
    server.app().jobRunner().runDue();
    EXPECT_TRUE(sink->waitForMessages(before + 1));
    std::string flat = std::regex_replace(sink->messages().back().data, std::regex("=\r\n"), "");
    std::smatch m;
    EXPECT_TRUE(std::regex_search(flat, m, std::regex("/signup\\?token=(3D)?([A-Za-z0-9_-]+)")));
    return m[2].str();
  }

  // Signs in through the API and enrols TOTP, keeping the secret for page sign-ins. The token.
  std::string enrol(const std::string& email) {
    return server.signInAndEnrol(email, &secrets[email]);
  }

  // A new API session of `email` (password and a fresh TOTP code): after the clock has moved
  // past a session's lifetime.
  std::string freshToken(const std::string& email) {
    server.clock().advance(30);
    auto token =
        server.post("/api/v1/auth/login", {{"email", email}, {"password", TestServer::kPassword}})
            .json()
            .value("token", "");
    EXPECT_EQ(
        server.post("/api/v1/auth/mfa", {{"code", server.totpCode(secrets[email])}}, token).status,
        200);
    return token;
  }

  // A browser signed in as `email`.
  Browser signIn(const std::string& email) {
    return signedInBrowser(server, email, secrets[email]);
  }

  HttpResult invite(const std::string& email, std::int64_t into, const std::string& role,
                    const std::string& token) {
    return server.post("/api/v1/invitations",
                       {{"email", email},
                        {"first_name", "Nora"},
                        {"last_name", "New"},
                        {"language", "en"},
                        {"companies", {{{"company_id", into}, {"role", role}}}}},
                       token);
  }

  // The company's mails as `token` lists them (all statuses).
  json listOf(std::int64_t of, const std::string& token, const std::string& extra = "") {
    auto r = server.get("/api/v1/emails?company_id=" + std::to_string(of) + extra, token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }

  // The newest mail of `kind` about the company.
  json newest(std::int64_t of, const std::string& kind) {
    for (const auto& m : listOf(of, admin)) {
      if (m["kind"] == kind) return m;
    }
    return json();
  }

  std::unique_ptr<SmtpSink> sink;
  TestServer server;
  std::string key;
  std::int64_t company = 0, other_company = 0;
  std::string admin, outsider, staff;
  std::map<std::string, std::string> secrets;
};

TEST_F(EmailsTest, AnInvitationIsKeptForTheCompanyWithoutItsSignInToken) {
  ASSERT_EQ(invite("nora@a.example", company, "member", admin).status, 201);
  auto listed = newest(company, "invitation");
  ASSERT_TRUE(listed.is_object());
  EXPECT_EQ(listed["to"], "nora@a.example");
  EXPECT_EQ(listed["company_id"], company);
  EXPECT_EQ(listed["company_name"], "A");
  EXPECT_EQ(listed["status"], "queued");  // not delivered yet
  EXPECT_TRUE(listed["sent_at"].is_null());
  EXPECT_FALSE(listed.contains("text"));  // a list shows no bodies

  server.mails();  // delivers what is due
  auto token = server.mailedToken("/invitations/accept");
  ASSERT_FALSE(token.empty());
  auto r = server.get("/api/v1/emails/" + std::to_string(listed["id"].get<std::int64_t>()), admin);
  ASSERT_EQ(r.status, 200) << r.body;
  auto mail = r.json();
  EXPECT_EQ(mail["status"], "sent");
  EXPECT_TRUE(mail["sent_at"].is_string());
  EXPECT_TRUE(contains(mail["text"], "/invitations/accept?token=")) << mail["text"];
  EXPECT_FALSE(contains(mail["text"], token));  // the history cannot accept the invitation
  EXPECT_FALSE(contains(mail["html"], token));
  EXPECT_TRUE(contains(mail["subject"].get<std::string>(), "invit") ||
              contains(mail["subject"].get<std::string>(), "Invit"))
      << mail["subject"];
}

TEST_F(EmailsTest, AnotherCompanysMailIsNotListedAndAnswers404) {
  ASSERT_EQ(invite("nora@a.example", company, "member", admin).status, 201);
  auto id = newest(company, "invitation")["id"].get<std::int64_t>();
  EXPECT_EQ(server.get("/api/v1/emails/" + std::to_string(id), outsider).status, 404);
  auto all = server.get("/api/v1/emails", outsider).json()["items"];
  for (const auto& m : all) EXPECT_NE(m["id"], id);
  EXPECT_EQ(server.get("/api/v1/emails?company_id=" + std::to_string(company), outsider).status,
            404);
}

TEST_F(EmailsTest, AMemberWithoutEmailsViewSeesNoCompanyMail) {
  ASSERT_EQ(invite("sam@a.example", company, "support_user", admin).status, 201);
  server.mails();
  auto accepted = server.post("/api/v1/invitations/accept",
                              {{"token", server.mailedToken("/invitations/accept")},
                               {"first_name", "Sam"},
                               {"last_name", "Support"},
                               {"password", TestServer::kPassword}});
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  auto sam = server.signInAndEnrol("sam@a.example");
  auto invitation = newest(company, "invitation");
  ASSERT_TRUE(invitation.is_object());
  auto id = invitation["id"].get<std::int64_t>();
  EXPECT_EQ(server.get("/api/v1/emails/" + std::to_string(id), sam).status, 404);
  EXPECT_EQ(server.get("/api/v1/emails?company_id=" + std::to_string(company), sam).status, 404);
  EXPECT_TRUE(server.get("/api/v1/emails", sam).json()["items"].empty());
  // Their own mail they see: the invitation that was sent to their address.
  auto own = server.get("/api/v1/me/emails", sam);
  ASSERT_EQ(own.status, 200);
  bool found = false;
  auto own_items = own.json()["items"];
  for (const auto& m : own_items) found = found || m["id"] == id;
  EXPECT_TRUE(found) << id << " " << own.body;
  EXPECT_EQ(server.get("/api/v1/me/emails/" + std::to_string(id), sam).status, 200);
  EXPECT_EQ(server.get("/api/v1/me/emails/" + std::to_string(id), admin).status, 404);
}

TEST_F(EmailsTest, ListsPageWithACursorAndRefuseBadQueries) {
  for (auto email : {"a1@a.example", "a2@a.example", "a3@a.example"}) {
    ASSERT_EQ(invite(email, company, "member", admin).status, 201);
  }
  auto first =
      server.get("/api/v1/emails?company_id=" + std::to_string(company) + "&limit=2", admin).json();
  ASSERT_EQ(first["items"].size(), 2u);
  ASSERT_TRUE(first["next_cursor"].is_string());
  auto second = server
                    .get("/api/v1/emails?company_id=" + std::to_string(company) +
                             "&limit=2&cursor=" + first["next_cursor"].get<std::string>(),
                         admin)
                    .json();
  ASSERT_FALSE(second["items"].empty());
  EXPECT_LT(second["items"][0]["id"].get<std::int64_t>(),
            first["items"][1]["id"].get<std::int64_t>());  // newest first, no repeats

  EXPECT_EQ(server.get("/api/v1/emails?limit=201", admin).status, 400);
  EXPECT_EQ(server.get("/api/v1/emails?limit=0", admin).status, 400);
  EXPECT_EQ(server.get("/api/v1/emails?cursor=x", admin).status, 400);
  auto bad = server.get("/api/v1/emails?status=lost", admin);
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.errorMessage(), "lost")) << bad.body;
  EXPECT_EQ(server.get("/api/v1/emails/abc", admin).status, 404);
  auto invitations = [&](const std::string& status) {
    std::size_t n = 0;
    for (const auto& m : listOf(company, admin, "&status=" + status))
      n += m["kind"] == "invitation";
    return n;
  };
  EXPECT_EQ(invitations("queued"), 3u);
  EXPECT_EQ(invitations("sent"), 0u);  // none delivered yet
  server.mails();
  EXPECT_EQ(invitations("sent"), 3u);
  EXPECT_EQ(invitations("queued"), 0u);
}

TEST_F(EmailsTest, MailIsDeletedAfterItsRetention) {
  ASSERT_EQ(invite("nora@a.example", company, "member", admin).status, 201);
  ASSERT_FALSE(listOf(company, admin).empty());
  server.clock().advance(12LL * 31 * 86400);  // a year: still kept
  server.app().jobRunner().runHousekeeping();
  admin = freshToken("ada@a.example");
  ASSERT_FALSE(listOf(company, admin).empty());
  server.clock().advance(62LL * 86400);  // past 13 months
  server.app().jobRunner().runHousekeeping();
  admin = freshToken("ada@a.example");
  EXPECT_TRUE(listOf(company, admin).empty());
}

TEST_F(EmailsTest, PagesShowTheCompanysMailAndTheCallersOwn) {
  ASSERT_EQ(invite("nora@a.example", company, "member", admin).status, 201);
  server.mails();
  Browser b = signIn("ada@a.example");
  auto list = b.get("/companies/" + std::to_string(company) + "/emails");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(contains(list.body, "nora@a.example"));
  auto id = newest(company, "invitation")["id"].get<std::int64_t>();
  auto show = b.get("/companies/" + std::to_string(company) + "/emails/" + std::to_string(id));
  ASSERT_EQ(show.status, 200);
  EXPECT_TRUE(contains(show.body, "/invitations/accept?token="));
  EXPECT_FALSE(contains(show.body, server.mailedToken("/invitations/accept")));
  // Under another company's path, the mail is not there.
  auto elsewhere =
      b.get("/companies/" + std::to_string(other_company) + "/emails/" + std::to_string(id));
  EXPECT_EQ(elsewhere.status, 404);
  auto own = b.get("/account/emails");
  ASSERT_EQ(own.status, 200);
  EXPECT_TRUE(contains(own.body, "ada@a.example"));  // the admin's own signup link mail
  EXPECT_FALSE(contains(own.body, "nora@a.example"));
  EXPECT_EQ(b.get("/account/emails/" + std::to_string(id)).status, 404);
}

// Mail through an SMTP server that stops once the companies and their administrators are set up.
class FailingMailTest : public EmailsTest {
 protected:
  FailingMailTest() : EmailsTest(/*smtp=*/true) {
    server.app().jobRunner().runDue();
    sink.reset();  // nothing listens on its port any more
  }
};

TEST_F(FailingMailTest, TheDeliveriesPageShowsAFailedMailAndRetriesIt) {
  ASSERT_EQ(invite("nora@a.example", company, "member", admin).status, 201);
  server.app().jobRunner().runDue();
  server.clock().advance(3 * 86400);  // past the two days a mail is retried
  server.app().jobRunner().runDue();
  admin = freshToken("ada@a.example");
  auto failed = newest(company, "invitation");
  ASSERT_EQ(failed["status"], "failed") << failed;

  Browser b = signIn("chief@vendor.example");
  auto page = b.get("/staff/deliveries?status=failed");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(contains(page.body, "nora@a.example"));
  EXPECT_TRUE(contains(page.body, "Mail delivery failed")) << page.body;  // the last error
  auto id = std::to_string(failed["id"].get<std::int64_t>());
  auto retried = b.submit("/staff/deliveries/" + id + "/retry");
  EXPECT_EQ(retried.status, 303) << retried.body;
  EXPECT_EQ(newest(company, "invitation")["status"], "queued");
  EXPECT_TRUE(contains(b.get("/staff/audit").body, "E-mail delivery retried"));
  // Nothing to retry twice over: it is queued now, and a sent mail cannot be retried.
  EXPECT_EQ(b.get("/staff/deliveries?status=lost").status, 400);

  // Staff of another organization neither see nor retry it.
  server.initOrganization("Rival", "owner@rival.example");
  server.staffMember("Rival", "rita@rival.example", "admin", &secrets["rita@rival.example"]);
  Browser rb = signIn("rita@rival.example");
  EXPECT_FALSE(contains(rb.get("/staff/deliveries").body, "nora@a.example"));
  EXPECT_EQ(rb.submit("/staff/deliveries/" + id + "/retry").status, 404);
  // A company administrator is no staff.
  Browser ab = signIn("ada@a.example");
  EXPECT_EQ(ab.get("/staff/deliveries").status, 403);
}

}  // namespace
}  // namespace portico::testing
