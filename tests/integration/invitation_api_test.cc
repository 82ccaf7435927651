// Invitations end to end: invite, list, accept (new and existing logins), revoke, resend, expiry,
// rights and the licence limit.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "support/browser.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

using nlohmann::json;

class InvitationApiTest : public ::testing::Test {
 protected:
  InvitationApiTest() {
    server.initOrganization("Vendor", "staff@vendor.example");
    key = *server.app().createApiKey("Vendor", "ERP");
    admin = companyAdmin("A", "admin@a.example", &company, &admin_secret);
    other = companyAdmin("B", "other@b.example", &other_company, &other_secret);
  }

  std::string lastLink(const std::string& path) { return server.mailedToken(path); }
  // Moves the clock on, keeping both administrators' sessions from going idle and their second
  // factor fresh (inviting needs a step-up).
  void wait(int seconds) {
    for (; seconds > 0; seconds -= 20 * 60) {
      server.clock().advance(std::min(seconds, 20 * 60));
      EXPECT_EQ(server.get("/api/v1/me", admin).status, 200);
      EXPECT_EQ(server.get("/api/v1/me", other).status, 200);
    }
    if (server.clock().now() - factor_at >= 60) {  // (a code is good once)
      server.stepUp(admin, admin_secret);
      server.stepUp(other, other_secret);
      factor_at = server.clock().now();
    }
  }
  std::string signIn(const std::string& email) { return server.signInAndEnrol(email); }
  std::string companyAdmin(const std::string& ext, const std::string& email, std::int64_t* id,
                           std::string* secret = nullptr) {
    auto [company_id, token] = server.companyWithAdmin(key, ext, email, secret);
    *id = company_id;
    return token;
  }

  HttpResult invite(const std::string& email, const json& companies,
                    const std::string& token = "") {
    return server.post("/api/v1/invitations",
                       {{"email", email},
                        {"first_name", "Ivy"},
                        {"last_name", "Invitee"},
                        {"language", "sv"},
                        {"companies", companies}},
                       token.empty() ? admin : token);
  }

  TestServer server;
  std::string key, admin, other, admin_secret, other_secret;
  std::int64_t factor_at = 0;  // when both administrators last entered a second factor
  std::int64_t company = 0, other_company = 0;
};

// The page's "Sign in" comes back to the invitation, and creating the login signs it in and goes
// straight on to the 2FA set-up instead of asking for the e-mail and password again.
TEST_F(InvitationApiTest, CreatingALoginOnThePageGoesStraightToTwoFactorSetUp) {
  ASSERT_EQ(
      invite("page@a.example", json::array({{{"company_id", company}, {"role", "member"}}})).status,
      201);
  auto token = lastLink("/invitations/accept");
  Browser b(server);
  auto page = b.get("/invitations/accept?token=" + token);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("href=\"/login?next=%2Finvitations%2Faccept%3Ftoken%3D" + token + "\""),
            std::string::npos);
  auto created = b.submit("/invitations/accept", {{"token", token},
                                                  {"first_name", "Paula"},
                                                  {"last_name", "Page"},
                                                  {"password", TestServer::kPassword}});
  ASSERT_EQ(created.status, 303) << created.body;
  EXPECT_EQ(created.header("location"), "/mfa/enroll");
  auto enrol = b.get("/mfa/enroll");
  EXPECT_EQ(enrol.status, 200);
  EXPECT_NE(enrol.body.find("id=\"secret\""), std::string::npos) << "not signed in";
  // A wrong password at creation signs nobody in and creates nothing.
  ASSERT_EQ(invite("short@a.example", json::array({{{"company_id", company}, {"role", "member"}}}))
                .status,
            201);
  Browser other_browser(server);
  auto short_token = lastLink("/invitations/accept");
  other_browser.get("/invitations/accept?token=" + short_token);
  auto refused = other_browser.submit(
      "/invitations/accept",
      {{"token", short_token}, {"first_name", "S"}, {"last_name", "S"}, {"password", "short"}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(other_browser.cookie("portico_session").empty());
}

TEST_F(InvitationApiTest, InviteAcceptAndSignIn) {
  auto r = invite("ivy@a.example", json::array({{{"company_id", company}, {"role", "member"}}}));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["companies"][0]["role"], "member");
  auto list = server.get("/api/v1/invitations", admin).json()["items"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["email"], "ivy@a.example");
  EXPECT_EQ(server.get("/api/v1/invitations", other).json()["items"].size(), 0u);  // not B's
  auto mail = server.mails().back();
  EXPECT_NE(mail.find("To: ivy@a.example"), std::string::npos);
  auto token = lastLink("/invitations/accept");
  auto page = server.get("/invitations/accept?token=" + token);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Company A"), std::string::npos);
  r = server.post("/api/v1/invitations/accept", {{"token", token},
                                                 {"first_name", "Ivy"},
                                                 {"last_name", "Invitee"},
                                                 {"password", TestServer::kPassword}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(server
                .post("/api/v1/invitations/accept", {{"token", token},
                                                     {"first_name", "I"},
                                                     {"last_name", "I"},
                                                     {"password", TestServer::kPassword}})
                .status,
            404);
  auto ivy = signIn("ivy@a.example");
  auto me = server.get("/api/v1/me", ivy).json();
  EXPECT_EQ(me["user"]["language"], "sv");
  ASSERT_EQ(me["companies"].size(), 1u);
  EXPECT_EQ(me["companies"][0]["role"], "member");
  auto members =
      server.get("/api/v1/companies/" + std::to_string(company) + "/users", admin).json()["items"];
  bool found = false;
  for (const auto& m : members) {
    if (m["email"] == "ivy@a.example") {
      found = true;
      EXPECT_EQ(m["invited_by"], "admin@a.example");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(server.get("/api/v1/invitations", admin).json()["items"].size(), 0u);
}

TEST_F(InvitationApiTest, RightsAreCheckedPerCompany) {
  // A company where the inviter is not a member: 404; two organizations' worth of rules below.
  EXPECT_EQ(
      invite("x@a.example", json::array({{{"company_id", other_company}, {"role", "member"}}}))
          .status,
      404);
  EXPECT_EQ(
      invite("x@a.example", json::array({{{"company_id", company}, {"role", "member"}},
                                         {{"company_id", other_company}, {"role", "member"}}}))
          .status,
      404);
  EXPECT_EQ(
      invite("x@a.example", json::array({{{"company_id", company}, {"role", "custom"}}})).status,
      400);
  EXPECT_EQ(
      invite("x@a.example", json::array({{{"company_id", company}, {"role", "superuser"}}})).status,
      400);
  EXPECT_EQ(invite("x@a.example", json::array({{{"company_id", company}}})).status, 400);
  EXPECT_EQ(invite("x@a.example",
                   json::array({{{"company_id", company}, {"role", "member"}, {"sites", {4242}}}}))
                .status,
            400);
  EXPECT_EQ(
      invite("not-an-email", json::array({{{"company_id", company}, {"role", "member"}}})).status,
      400);
  EXPECT_EQ(invite("x@a.example", json::array()).status, 400);
  auto all =
      invite("all@a.example", json::array({{{"company_id", company}, {"permissions", "all"}}}));
  ASSERT_EQ(all.status, 201);
  EXPECT_EQ(all.json()["companies"][0]["role"], "custom");
  EXPECT_EQ(all.json()["companies"][0]["permissions"].size(), 20u);  // all but users.manage
  // Nothing was stored for the refused ones.
  storage::Query q(server.app().db().connection(), "SELECT COUNT(*) FROM invitations");
  ASSERT_TRUE(q.next());
  EXPECT_EQ(q.getInt(0), 1);
}

TEST_F(InvitationApiTest, InvitersGrantNoMoreThanTheyHold) {
  // Olga (admin of B) joins A through an invitation with only users.manage.
  ASSERT_EQ(invite("other@b.example",
                   json::array({{{"company_id", company}, {"permissions", {"users.manage"}}}}))
                .status,
            201);
  ASSERT_EQ(
      server.post("/api/v1/invitations/accept", {{"token", lastLink("/invitations/accept")}}, other)
          .status,
      200);
  EXPECT_EQ(
      invite("y@a.example", json::array({{{"company_id", company}, {"role", "member"}}}), other)
          .status,
      403);
  EXPECT_EQ(
      invite("y@a.example",
             json::array({{{"company_id", company}, {"permissions", {"users.manage"}}}}), other)
          .status,
      201);
  // A member without users.manage may not invite at all.
  ASSERT_EQ(
      invite("z@a.example", json::array({{{"company_id", company}, {"role", "member"}}})).status,
      201);
  server.post("/api/v1/invitations/accept", {{"token", lastLink("/invitations/accept")},
                                             {"first_name", "Z"},
                                             {"last_name", "Z"},
                                             {"password", TestServer::kPassword}});
  auto z = signIn("z@a.example");
  EXPECT_EQ(
      invite("w@a.example", json::array({{{"company_id", company}, {"role", "read_only"}}}), z)
          .status,
      403);
}

TEST_F(InvitationApiTest, AcceptingChecksWhatTheInviterMayStillGrant) {
  // Olga (admin of B) also administers A; she invites Xena into A and B, and Yann into A alone.
  ASSERT_EQ(
      invite("other@b.example", json::array({{{"company_id", company}, {"role", "administrator"}}}))
          .status,
      201);
  ASSERT_EQ(
      server.post("/api/v1/invitations/accept", {{"token", lastLink("/invitations/accept")}}, other)
          .status,
      200);
  ASSERT_EQ(invite("xena@b.example",
                   json::array({{{"company_id", company}, {"role", "member"}},
                                {{"company_id", other_company}, {"role", "member"}}}),
                   other)
                .status,
            201);
  auto xena_token = lastLink("/invitations/accept");
  ASSERT_EQ(
      invite("yann@b.example", json::array({{{"company_id", company}, {"role", "member"}}}), other)
          .status,
      201);
  auto yann_token = lastLink("/invitations/accept");
  // A's administrator removes Olga from A: what she offered in A is no longer hers to give.
  auto olga = server.get("/api/v1/me", other).json()["user"]["id"].get<std::int64_t>();
  ASSERT_EQ(server
                .request("DELETE",
                         "/api/v1/companies/" + std::to_string(company) + "/users/" +
                             std::to_string(olga),
                         "", {"Authorization: Bearer " + admin})
                .status,
            204);
  auto accept = [&](const std::string& token, const std::string& first) {
    return server.post("/api/v1/invitations/accept", {{"token", token},
                                                      {"first_name", first},
                                                      {"last_name", "Invitee"},
                                                      {"password", TestServer::kPassword}});
  };
  // Yann's invitation named only A: refused, and no login was made.
  auto r = accept(yann_token, "Yann");
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("no longer"), std::string::npos);
  storage::Query q(server.app().db().connection(),
                   "SELECT COUNT(*) FROM users WHERE email = 'yann@b.example'");
  ASSERT_TRUE(q.next());
  EXPECT_EQ(q.getInt(0), 0);
  // Xena's: she joins B only, and A's audit log says why not A.
  r = accept(xena_token, "Xena");
  ASSERT_EQ(r.status, 201) << r.body;
  auto xena = signIn("xena@b.example");
  auto companies = server.get("/api/v1/companies", xena).json()["items"];
  ASSERT_EQ(companies.size(), 1u);
  EXPECT_EQ(companies[0]["id"], other_company);
  auto audit = server
                   .get("/api/v1/companies/" + std::to_string(company) +
                            "/audit?event=invitation.company_skipped",
                        admin)
                   .json()["items"];
  EXPECT_EQ(audit.size(), 1u);
}

TEST_F(InvitationApiTest, AStaffInvitationLapsesWhenItsCompanyBecomesIndependent) {
  auto staff = server.staffMember("Vendor", "helen@vendor.example", "admin");
  ASSERT_EQ(
      invite("pia@a.example", json::array({{{"company_id", company}, {"role", "member"}}}), staff)
          .status,
      201);
  auto token = lastLink("/invitations/accept");
  // The ERP makes A independent: staff no longer administer its users.
  ASSERT_EQ(server
                .post("/api/v1/integration/companies",
                      {{"external_id", "A"}, {"name", "Company A"}, {"managed", false}}, key)
                .status,
            200);
  auto r = server.post("/api/v1/invitations/accept", {{"token", token},
                                                      {"first_name", "Pia"},
                                                      {"last_name", "P"},
                                                      {"password", TestServer::kPassword}});
  EXPECT_EQ(r.status, 409) << r.body;
  auto members =
      server.get("/api/v1/companies/" + std::to_string(company) + "/users", admin).json()["items"];
  EXPECT_EQ(members.size(), 1u);
}

TEST_F(InvitationApiTest, AnExistingLoginAcceptsSignedInForItsOwnEmailOnly) {
  ASSERT_EQ(
      invite("other@b.example", json::array({{{"company_id", company}, {"role", "user"}}})).status,
      201);
  auto token = lastLink("/invitations/accept");
  EXPECT_EQ(server.post("/api/v1/invitations/accept", {{"token", token}}, admin).status,
            403);  // admin@a is not other@b
  EXPECT_EQ(server
                .post("/api/v1/invitations/accept", {{"token", token},
                                                     {"first_name", "O"},
                                                     {"last_name", "O"},
                                                     {"password", TestServer::kPassword}})
                .status,
            409);
  EXPECT_EQ(server.post("/api/v1/invitations/accept", {{"token", token}}, other).status, 200);
  auto companies = server.get("/api/v1/companies", other).json()["items"];
  EXPECT_EQ(companies.size(), 2u);
}

TEST_F(InvitationApiTest, AMemberIsNotInvitedAgainAndAcceptingNeverReplacesAMembership) {
  // Olga (of B) is no member of A yet: invited as a member, and then as an administrator.
  ASSERT_EQ(invite("other@b.example", json::array({{{"company_id", company}, {"role", "member"}}}))
                .status,
            201);
  auto as_member = lastLink("/invitations/accept");
  ASSERT_EQ(
      invite("other@b.example", json::array({{{"company_id", company}, {"role", "administrator"}}}))
          .status,
      201);
  auto as_administrator = lastLink("/invitations/accept");
  ASSERT_EQ(server.post("/api/v1/invitations/accept", {{"token", as_member}}, other).status, 200);

  // Now a member: inviting her again is refused, saying where her rights are changed.
  auto r = invite("Other@B.example", json::array({{{"company_id", company}, {"role", "user"}}}));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find(
                "already a member of Company A: change their rights on the company page"),
            std::string::npos)
      << r.body;
  // The invitation sent before leaves her a member; the audit log says why.
  ASSERT_EQ(server.post("/api/v1/invitations/accept", {{"token", as_administrator}}, other).status,
            200);
  auto mine = server.get("/api/v1/companies/" + std::to_string(company), other).json();
  EXPECT_EQ(mine["role"], "member");
  auto skipped = server
                     .get("/api/v1/companies/" + std::to_string(company) +
                              "/audit?event=invitation.company_skipped",
                          admin)
                     .json()["items"];
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].dump().find("already a member"), std::string::npos) << skipped.dump();
}

TEST_F(InvitationApiTest, TheLanguageIsTheInvitersUnlessChosen) {
  ASSERT_EQ(server
                .request("PATCH", "/api/v1/me", R"({"language":"de"})",
                         {"Content-Type: application/json", "Authorization: Bearer " + admin})
                .status,
            200);
  auto r = server.post("/api/v1/invitations",
                       {{"email", "lang@a.example"},
                        {"first_name", "L"},
                        {"last_name", "L"},
                        {"companies", {{{"company_id", company}, {"role", "member"}}}}},
                       admin);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["language"], "de");
  r = invite("chosen@a.example", json::array({{{"company_id", company}, {"role", "member"}}}));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["language"], "sv");
}

TEST_F(InvitationApiTest, RevokeResendAndExpiry) {
  ASSERT_EQ(
      invite("r@a.example", json::array({{{"company_id", company}, {"role", "member"}}})).status,
      201);
  auto id = server.get("/api/v1/invitations", admin).json()["items"][0]["id"].get<std::int64_t>();
  auto first = lastLink("/invitations/accept");
  EXPECT_EQ(
      server.post("/api/v1/invitations/" + std::to_string(id) + "/resend", json::object(), other)
          .status,
      404);
  ASSERT_EQ(
      server.post("/api/v1/invitations/" + std::to_string(id) + "/resend", json::object(), admin)
          .status,
      202);
  auto second = lastLink("/invitations/accept");
  EXPECT_NE(first, second);
  json accept = {{"first_name", "R"}, {"last_name", "R"}, {"password", TestServer::kPassword}};
  accept["token"] = first;
  EXPECT_EQ(server.post("/api/v1/invitations/accept", accept).status,
            404);  // replaced by the resend
  EXPECT_EQ(server
                .request("DELETE", "/api/v1/invitations/" + std::to_string(id), "",
                         {"Authorization: Bearer " + other})
                .status,
            404);
  EXPECT_EQ(server
                .request("DELETE", "/api/v1/invitations/" + std::to_string(id), "",
                         {"Authorization: Bearer " + admin})
                .status,
            204);
  accept["token"] = second;
  EXPECT_EQ(server.post("/api/v1/invitations/accept", accept).status, 404);  // revoked
  ASSERT_EQ(
      invite("late@a.example", json::array({{{"company_id", company}, {"role", "member"}}})).status,
      201);
  accept["token"] = lastLink("/invitations/accept");
  server.clock().advance(7 * 24 * 3600 + 1);
  EXPECT_EQ(server.post("/api/v1/invitations/accept", accept).status, 404);  // expired
}

TEST_F(InvitationApiTest, TheLicenceLimitIsEnforcedAndNamed) {
  storage::Query(server.app().db().connection(),
                 "UPDATE organizations SET login_limit = 3 WHERE name = 'Vendor'")
      .run();
  // In use: admin@a and other@b. One more fits.
  ASSERT_EQ(invite("third@a.example", json::array({{{"company_id", company}, {"role", "member"}}}))
                .status,
            201);
  auto r = invite("fourth@a.example", json::array({{{"company_id", company}, {"role", "member"}}}));
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("licence limit of 3"),
            std::string::npos);
  // An existing login takes no new seat.
  EXPECT_EQ(invite("other@b.example", json::array({{{"company_id", company}, {"role", "member"}}}))
                .status,
            201);
}

// Invitations are mail to addresses of the inviter's choosing: at most 3 an hour reach one
// address, whoever sends them, resends included. A refused one writes nothing and mails nothing.
TEST_F(InvitationApiTest, AtMostThreeInvitationsAnHourReachOneAddress) {
  auto into = [](std::int64_t c) { return json::array({{{"company_id", c}, {"role", "member"}}}); };
  ASSERT_EQ(invite("target@outside.example", into(company)).status, 201);
  auto id = server.get("/api/v1/invitations", admin).json()["items"][0]["id"].get<std::int64_t>();
  auto resend = [&](const std::string& token) {
    return server.post("/api/v1/invitations/" + std::to_string(id) + "/resend", json::object(),
                       token);
  };
  ASSERT_EQ(resend(admin).status, 202);
  wait(10 * 60);
  ASSERT_EQ(invite("Target@Outside.example", into(other_company), other).status, 201);
  auto rows = [&] {
    storage::Query q(server.app().db().connection(),
                     "SELECT COUNT(*) FROM invitations WHERE email = 'target@outside.example'");
    q.next();
    return q.getInt(0);
  };
  auto mails = server.mails().size();
  ASSERT_EQ(rows(), 2);

  auto r = invite("target@outside.example", into(other_company), other);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.errorCode(), "rate_limited");
  EXPECT_EQ(r.header("retry-after"), std::to_string(50 * 60));  // when the first leaves the hour
  EXPECT_EQ(r.json()["error"]["message"],
            "At most 3 invitations an hour to one address; try again in 50 minutes");
  r = resend(admin);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(rows(), 2);
  EXPECT_EQ(server.mails().size(), mails);
  EXPECT_EQ(invite("someone.else@outside.example", into(company)).status, 201);  // per address

  wait(50 * 60 - 30);  // a minute or less to wait: said in seconds
  r = resend(admin);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.json()["error"]["message"],
            "At most 3 invitations an hour to one address; try again in 30 seconds");
  wait(30);
  EXPECT_EQ(resend(admin).status, 202);
  EXPECT_EQ(server.mails().size(), mails + 2);
}

// The JSON error of a rate limit counts as people do: one second, not "1 seconds", in the
// reader's language.
TEST_F(InvitationApiTest, ARateLimitSaysOneSecondInTheReadersLanguage) {
  auto into = json::array({{{"company_id", company}, {"role", "member"}}});
  ASSERT_EQ(invite("target@outside.example", into).status, 201);
  auto id = server.get("/api/v1/invitations", admin).json()["items"][0]["id"].get<std::int64_t>();
  auto resend = [&] {
    return server.post("/api/v1/invitations/" + std::to_string(id) + "/resend", json::object(),
                       admin);
  };
  ASSERT_EQ(resend().status, 202);
  ASSERT_EQ(resend().status, 202);
  wait(60 * 60 - 2);
  auto r = resend();
  ASSERT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.errorMessage(),
            "At most 3 invitations an hour to one address; try again in 2 seconds");
  wait(1);
  r = resend();
  ASSERT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.header("retry-after"), "1");
  EXPECT_EQ(r.errorMessage(),
            "At most 3 invitations an hour to one address; try again in 1 second");
  ASSERT_EQ(server
                .request("PATCH", "/api/v1/me", R"({"language":"sv"})",
                         {"Content-Type: application/json", "Authorization: Bearer " + admin})
                .status,
            200);
  EXPECT_EQ(resend().errorMessage(),
            "Högst 3 inbjudningar i timmen till samma adress; försök igen om 1 sekund");
}

// At most 30 invitations an hour per inviter, creating and resending alike.
TEST_F(InvitationApiTest, AtMostThirtyInvitationsAnHourPerInviter) {
  auto into = json::array({{{"company_id", company}, {"role", "member"}}});
  for (int i = 0; i < 29; ++i) {
    ASSERT_EQ(invite("p" + std::to_string(i) + "@outside.example", into).status, 201) << i;
  }
  auto id = server.get("/api/v1/invitations", admin).json()["items"][0]["id"].get<std::int64_t>();
  auto resend = [&] {
    return server.post("/api/v1/invitations/" + std::to_string(id) + "/resend", json::object(),
                       admin);
  };
  ASSERT_EQ(resend().status, 202);  // the 30th mail
  auto mails = server.mails().size();
  auto r = invite("p30@outside.example", into);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "3600");
  EXPECT_EQ(r.json()["error"]["message"],
            "At most 30 invitations an hour; try again in 60 minutes");
  EXPECT_EQ(resend().status, 429);
  EXPECT_EQ(server.mails().size(), mails);
  storage::Query q(server.app().db().connection(),
                   "SELECT COUNT(*) FROM invitations WHERE email = 'p30@outside.example'");
  q.next();
  EXPECT_EQ(q.getInt(0), 0);
  // Another inviter is not held back, and the hour ends.
  EXPECT_EQ(invite("p30@outside.example",
                   json::array({{{"company_id", other_company}, {"role", "member"}}}), other)
                .status,
            201);
  wait(3600);
  EXPECT_EQ(invite("p31@outside.example", into).status, 201);
}

}  // namespace
}  // namespace portico::testing
