// The sign-in JSON API end to end, against a real server on loopback.
#include <gtest/gtest.h>
#include <sodium.h>

#include <regex>

#include "support/browser.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

using nlohmann::json;

class AuthApiTest : public ::testing::Test {
 protected:
  TestServer server;
  static constexpr const char* kPw = TestServer::kPassword;
};

TEST_F(AuthApiTest, SignupLoginEnrolAndMe) {
  std::vector<std::string> codes;
  auto token = server.signedInUser("anna@acme.example", nullptr, &codes);
  EXPECT_EQ(codes.size(), 10u);
  auto me = server.get("/api/v1/me", token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["user"]["email"], "anna@acme.example");
  EXPECT_EQ(me.json()["user"]["first_name"], "Test");
  EXPECT_TRUE(me.json()["companies"].is_array());
  EXPECT_EQ(me.header("cache-control"), "no-store");
}

TEST_F(AuthApiTest, APasswordHashedBeforeNormalisationStillSignsInAndIsRehashed) {
  server.signedInUser("legacy@example.com");
  // A hash of the bytes as typed, as stored before passwords were normalised: "²" is "2" in NFKC.
  const std::string typed = "violet harbor sunrise²";
  char stored[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str(stored, typed.data(), typed.size(), crypto_pwhash_OPSLIMIT_MIN,
                              crypto_pwhash_MEMLIMIT_MIN),
            0);
  server.sql("UPDATE users SET password_hash = ? WHERE email = ?", {stored, "legacy@example.com"});
  auto login = [&](const std::string& password) {
    return server
        .post("/api/v1/auth/login", {{"email", "legacy@example.com"}, {"password", password}})
        .status;
  };
  EXPECT_EQ(login("violet harbor sunrise2"), 401);  // the old hash knows only the bytes typed
  EXPECT_EQ(login(typed), 200);
  // Rehashed in its normal form: both spellings are now the same password.
  storage::Query q(server.app().db().connection(),
                   "SELECT password_hash FROM users WHERE email = 'legacy@example.com'");
  ASSERT_TRUE(q.next());
  EXPECT_NE(q.getText(0), std::string(stored));
  EXPECT_EQ(login("violet harbor sunrise2"), 200);
  EXPECT_EQ(login(typed), 200);
}

TEST_F(AuthApiTest, ChangingThePasswordNeedsTheCurrentOneAndWrongOnesAreThrottled) {
  auto token = server.signedInUser("change@acme.example");
  auto change = [&](const std::string& current, const std::string& next) {
    return server.post("/api/v1/me/password", {{"current_password", current}, {"password", next}},
                       token);
  };
  // Five wrong current passwords, then the sixth attempt is not even tried — not even the right
  // one.
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(change("wrong guess " + std::to_string(i), "x").status, 403);
  auto held = change(TestServer::kPassword, "a brand new passphrase");
  EXPECT_EQ(held.status, 429);
  EXPECT_FALSE(held.header("retry-after").empty());
  // Once the delay has passed, the right one changes it, and signing in takes the new one.
  server.clock().advance(120);
  EXPECT_EQ(change(TestServer::kPassword, "a brand new passphrase").status, 200);
  EXPECT_EQ(server
                .post("/api/v1/auth/login",
                      {{"email", "change@acme.example"}, {"password", TestServer::kPassword}})
                .status,
            401);
  EXPECT_EQ(server
                .post("/api/v1/auth/login",
                      {{"email", "change@acme.example"}, {"password", "a brand new passphrase"}})
                .status,
            200);
}

TEST_F(AuthApiTest, EmailIsCaseInsensitive) {
  server.signedInUser("case@acme.example");
  auto r =
      server.post("/api/v1/auth/login", {{"email", "  CASE@Acme.Example "}, {"password", kPw}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["mfa"], "verify");
}

TEST_F(AuthApiTest, WrongPasswordAndUnknownUserAnswerTheSame) {
  server.signedInUser("known@acme.example");
  auto wrong = server.post("/api/v1/auth/login",
                           {{"email", "known@acme.example"}, {"password", "nope nope nope"}});
  auto unknown = server.post("/api/v1/auth/login",
                             {{"email", "ghost@acme.example"}, {"password", "nope nope nope"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
}

TEST_F(AuthApiTest, TokenBeforeTwoFactorReachesOnlyTheTwoFactorCalls) {
  std::string secret;
  server.signedInUser("pending@acme.example", &secret);
  auto r =
      server.post("/api/v1/auth/login", {{"email", "pending@acme.example"}, {"password", kPw}});
  auto token = r.json()["token"].get<std::string>();
  EXPECT_EQ(server.get("/api/v1/me", token).status, 403);
  EXPECT_EQ(server.get("/api/v1/sessions", token).status, 403);
  // A password alone never adds a factor.
  EXPECT_EQ(server.post("/api/v1/auth/totp/enroll", json::object(), token).status, 403);
  EXPECT_EQ(server.post("/api/v1/auth/sms/enroll", {{"phone", "+46701234567"}}, token).status, 403);
  server.clock().advance(30);  // the enrolment code's step is used up
  r = server.post("/api/v1/auth/mfa", {{"code", server.totpCode(secret)}}, token);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(server.get("/api/v1/me", token).status, 200);
}

TEST_F(AuthApiTest, WrongAndReusedTotpCodesAreRefused) {
  std::string secret;
  server.signedInUser("totp@acme.example", &secret);
  server.clock().advance(30);
  auto login = [&] {
    return server.post("/api/v1/auth/login", {{"email", "totp@acme.example"}, {"password", kPw}})
        .json()["token"]
        .get<std::string>();
  };
  auto t1 = login();
  auto bad = server.post("/api/v1/auth/mfa", {{"code", "000000"}}, t1);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", "12ab56"}}, t1).status, 400);
  auto code = server.totpCode(secret);
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", code}}, t1).status, 200);
  auto t2 = login();
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", code}}, t2).status, 400);  // no second use
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", server.totpCode(secret, -30)}}, t2).status,
            400);  // older step
  EXPECT_EQ(server.get("/api/v1/me", t2).status, 403);
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", server.totpCode(secret, -90)}}, t2).status,
            400);  // outside window
}

TEST_F(AuthApiTest, ChangingFactorsNeedsARecentSignIn) {
  auto token = server.signedInUser("recent@acme.example");
  EXPECT_EQ(server.post("/api/v1/auth/totp/enroll", json::object(), token).status, 200);
  EXPECT_EQ(server.post("/api/v1/auth/recovery-codes", json::object(), token).status, 200);
  server.clock().advance(16 * 60);
  EXPECT_EQ(server.get("/api/v1/me", token).status, 200);
  EXPECT_EQ(server.post("/api/v1/auth/totp/enroll", json::object(), token).status, 403);
  EXPECT_EQ(server.post("/api/v1/auth/sms/enroll", {{"phone", "+46701234567"}}, token).status, 403);
  EXPECT_EQ(server.post("/api/v1/auth/recovery-codes", json::object(), token).status, 403);
}

TEST_F(AuthApiTest, RecoveryCodeWorksOnce) {
  std::vector<std::string> codes;
  server.signedInUser("rec@acme.example", nullptr, &codes);
  auto login = [&] {
    return server.post("/api/v1/auth/login", {{"email", "rec@acme.example"}, {"password", kPw}})
        .json()["token"]
        .get<std::string>();
  };
  auto t1 = login();
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"recovery_code", codes[3]}}, t1).status, 200);
  auto t2 = login();
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"recovery_code", codes[3]}}, t2).status, 400);
  // lower-case and without dashes is the same code
  std::string relaxed;
  for (char c : codes[4])
    if (c != '-') relaxed.push_back(static_cast<char>(std::tolower(c)));
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"recovery_code", relaxed}}, t2).status, 200);
  auto mails = server.mails();
  ASSERT_FALSE(mails.empty());
  EXPECT_NE(mails.back().find("recovery code"), std::string::npos);
}

TEST_F(AuthApiTest, LogoutEndsTheSession) {
  auto token = server.signedInUser("out@acme.example");
  EXPECT_EQ(server.post("/api/v1/auth/logout", json::object(), token).status, 204);
  auto r = server.get("/api/v1/me", token);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.errorCode(), "unauthenticated");
}

TEST_F(AuthApiTest, SessionsExpireWhenIdleAndAtTheAbsoluteLimit) {
  auto token = server.signedInUser("idle@acme.example");
  server.clock().advance(29 * 60);
  EXPECT_EQ(server.get("/api/v1/me", token).status, 200);  // activity keeps it alive
  server.clock().advance(31 * 60);
  EXPECT_EQ(server.get("/api/v1/me", token).status, 401);

  std::string secret;
  auto t2 = server.signedInUser("abs@acme.example", &secret);
  for (int i = 0; i < 25; ++i) {  // active every 29 minutes for 12 hours and more
    server.clock().advance(29 * 60);
    if (server.get("/api/v1/me", t2).status != 200) break;
  }
  EXPECT_EQ(server.get("/api/v1/me", t2).status, 401);
}

TEST_F(AuthApiTest, PendingSessionExpiresAfterTenMinutes) {
  server.signedInUser("slow@acme.example");
  auto t = server.post("/api/v1/auth/login", {{"email", "slow@acme.example"}, {"password", kPw}})
               .json()["token"]
               .get<std::string>();
  server.clock().advance(11 * 60);
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", "123456"}}, t).status, 401);
}

TEST_F(AuthApiTest, SessionListAndEndingAnother) {
  std::string secret;
  auto t1 = server.signedInUser("multi@acme.example", &secret);
  server.clock().advance(30);
  auto t2 = server.post("/api/v1/auth/login", {{"email", "multi@acme.example"}, {"password", kPw}})
                .json()["token"]
                .get<std::string>();
  ASSERT_EQ(server.post("/api/v1/auth/mfa", {{"code", server.totpCode(secret)}}, t2).status, 200);
  auto list = server.get("/api/v1/sessions", t1).json()["items"];
  ASSERT_EQ(list.size(), 2u);
  std::int64_t other = 0;
  for (const auto& s : list)
    if (!s["current"].get<bool>()) other = s["id"];
  EXPECT_EQ(server
                .request("DELETE", "/api/v1/sessions/" + std::to_string(other), "",
                         {"Authorization: Bearer " + t1})
                .status,
            204);
  EXPECT_EQ(server.get("/api/v1/me", t2).status, 401);
  EXPECT_EQ(server.get("/api/v1/me", t1).status, 200);
  // someone else's or a made-up session id: 404
  auto t3 = server.signedInUser("else@acme.example");
  auto mine = server.get("/api/v1/sessions", t3).json()["items"][0]["id"].get<std::int64_t>();
  EXPECT_EQ(server
                .request("DELETE", "/api/v1/sessions/" + std::to_string(mine), "",
                         {"Authorization: Bearer " + t1})
                .status,
            404);
  EXPECT_EQ(
      server.request("DELETE", "/api/v1/sessions/abc", "", {"Authorization: Bearer " + t1}).status,
      404);
  EXPECT_EQ(server.get("/api/v1/me", t3).status, 200);
}

TEST_F(AuthApiTest, FailedPasswordsAreThrottledPerAccountThenRecover) {
  server.signedInUser("locked@acme.example");
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(server
                  .post("/api/v1/auth/login",
                        {{"email", "locked@acme.example"}, {"password", "wrong wrong"}}, "")
                  .status,
              401);
    server.clock().advance(16);  // past each delay from the 5th failure: this test is the lock
  }
  auto r = server.post("/api/v1/auth/login", {{"email", "locked@acme.example"}, {"password", kPw}});
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), std::to_string(15 * 60 - 10 * 16));  // from the 1st failure
  EXPECT_EQ(r.errorCode(), "rate_limited");
  server.clock().advance(15 * 60 + 1);  // the lock does not last for ever
  EXPECT_EQ(server.post("/api/v1/auth/login", {{"email", "locked@acme.example"}, {"password", kPw}})
                .status,
            200);
}

TEST_F(AuthApiTest, FromTheFifthFailureAnAttemptWaitsAndSuccessResets) {
  server.signedInUser("delay@acme.example");
  auto login = [&](const std::string& password) {
    return server.post("/api/v1/auth/login",
                       {{"email", "delay@acme.example"}, {"password", password}});
  };
  for (int i = 0; i < 4; ++i) EXPECT_EQ(login("wrong wrong").status, 401);
  EXPECT_EQ(login("wrong wrong").status, 401);  // the 5th, right away, is evaluated as usual
  // After the 5th failure the next attempt waits, even with the right password.
  auto r = login(kPw);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.errorCode(), "rate_limited");
  EXPECT_EQ(r.header("retry-after"), "1");
  EXPECT_GE(std::stoi(r.header("retry-after")), 1);
  EXPECT_EQ(r.json().dump().find("token"), std::string::npos);
  server.clock().advance(1);
  r = login(kPw);
  EXPECT_EQ(r.status, 200) << r.body;
  // The success reset the count: five more failures in a row are evaluated right away.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login("wrong wrong").status, 401);
  EXPECT_EQ(login(kPw).status, 429);
}

// Delays are compared in exact time: an attempt 1 ms before its delay has passed is refused and
// not evaluated (not even the right password), however the second boundaries fall.
TEST_F(AuthApiTest, NoAttemptIsEvaluatedBeforeItsDelayHasFullyPassed) {
  server.signedInUser("exact@acme.example");
  auto login = [&](const std::string& password) {
    return server.post("/api/v1/auth/login",
                       {{"email", "exact@acme.example"}, {"password", password}});
  };
  server.clock().advanceMs(500);  // the failures fall mid-second
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login("wrong wrong").status, 401);
  server.clock().advanceMs(999);
  auto r = login(kPw);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "1");  // 1 ms, rounded up
  server.clock().advanceMs(1);
  r = login(kPw);
  EXPECT_EQ(r.status, 200) << r.body;
}

// An attempt refused for its delay is not counted: the next failure is the 6th, not the 7th.
TEST_F(AuthApiTest, AnAttemptRefusedForItsDelayIsNotCounted) {
  server.signedInUser("uncounted@acme.example");
  auto login = [&](const std::string& password) {
    return server.post("/api/v1/auth/login",
                       {{"email", "uncounted@acme.example"}, {"password", password}});
  };
  server.clock().advanceMs(700);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login("wrong wrong").status, 401);
  server.clock().advanceMs(999);
  EXPECT_EQ(login("wrong wrong").status, 429);
  server.clock().advanceMs(1);
  EXPECT_EQ(login("wrong wrong").status, 401);  // the 6th failure: 2 s from now
  server.clock().advanceMs(1001);
  auto r = login(kPw);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "1");  // 999 ms left, rounded up
  server.clock().advanceMs(998);
  EXPECT_EQ(login(kPw).status, 429);
  server.clock().advanceMs(1);
  EXPECT_EQ(login(kPw).status, 200);
}

// A web session answers only through its cookie, an API session only as a bearer token.
TEST_F(AuthApiTest, AWebSessionsCookieIsNoBearerToken) {
  std::string secret;
  server.signedInUser("cookie@acme.example", &secret);
  server.clock().advance(30);
  Browser b(server);
  b.get("/login");
  ASSERT_EQ(b.post("/login", "email=cookie%40acme.example&password=violet+harbor+sunrise").status,
            303);
  b.get("/mfa");
  ASSERT_EQ(b.post("/mfa", "code=" + server.totpCode(secret)).status, 303);
  auto cookie = b.cookie("portico_session");
  ASSERT_EQ(b.get("/account").status, 200);
  auto r = server.get("/api/v1/me", cookie);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.errorCode(), "unauthenticated");
  EXPECT_EQ(server.get("/api/v1/sessions", cookie).status, 401);
  // The calls that read the bearer themselves refuse it too.
  EXPECT_EQ(server.post("/api/v1/signup", {{"token", "unknown"}}, cookie).status, 401);
  EXPECT_EQ(server.post("/api/v1/invitations/accept", {{"token", "unknown"}}, cookie).status, 401);
  EXPECT_EQ(b.get("/account").status, 200);  // the web session itself still works
}

TEST_F(AuthApiTest, AnApiTokenIsNoSessionCookie) {
  auto token = server.signedInUser("bearer@acme.example");
  auto r = server.request("GET", "/account", "", {"Cookie: portico_session=" + token});
  EXPECT_EQ(r.status, 303);  // signed out: off to the login form
  EXPECT_EQ(r.header("location"), "/login?next=%2Faccount");
  r = server.request("GET", "/login", "", {"Cookie: portico_session=" + token});
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<label for=\"email\">"), std::string::npos);
  EXPECT_EQ(server.get("/api/v1/me", token).status, 200);  // still a good bearer token
}

TEST_F(AuthApiTest, TheDelayDoublesWithEachFailureUntilTheLock) {
  server.signedInUser("double@acme.example");
  auto login = [&](const std::string& password) {
    return server.post("/api/v1/auth/login",
                       {{"email", "double@acme.example"}, {"password", password}});
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login("wrong wrong").status, 401);
  for (int delay : {1, 2, 4, 8, 16}) {
    auto r = login("wrong wrong");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.header("retry-after"), std::to_string(delay));
    server.clock().advance(delay - 1);
    EXPECT_EQ(login(kPw).status, 429) << "a second early";  // refusals are not counted
    server.clock().advance(1);
    EXPECT_EQ(login("wrong wrong").status, 401);
  }
  // The 10th failure locks the account for the rest of its 15 minutes.
  auto r = login(kPw);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), std::to_string(15 * 60 - (1 + 2 + 4 + 8 + 16)));
}

TEST_F(AuthApiTest, UnknownEmailsAreDelayedExactlyLikeKnownOnes) {
  server.signedInUser("known2@acme.example");
  // Status, Retry-After and body of each answer to the same story, for one e-mail.
  auto story = [&](const std::string& email) {
    auto login = [&](const std::string& password) {
      auto r = server.post("/api/v1/auth/login", {{"email", email}, {"password", password}});
      return std::to_string(r.status) + " " + r.header("retry-after") + " " + r.body;
    };
    std::vector<std::string> out;
    for (int i = 0; i < 5; ++i) out.push_back(login("wrong wrong"));
    out.push_back(login(kPw));  // delayed: not evaluated
    server.clock().advance(1);
    out.push_back(login("wrong wrong"));  // the 6th failure
    out.push_back(login(kPw));            // delayed 2 s
    server.clock().advance(1);
    out.push_back(login(kPw));  // still 1 s to go
    return out;
  };
  auto known = story("known2@acme.example");
  auto unknown = story("ghost2@acme.example");
  EXPECT_EQ(known, unknown);
  ASSERT_EQ(known.size(), 9u);
  EXPECT_TRUE(known[4].starts_with("401 "));
  EXPECT_TRUE(known[5].starts_with("429 1 "));
  EXPECT_TRUE(known[6].starts_with("401 "));
  EXPECT_TRUE(known[7].starts_with("429 2 "));
  EXPECT_TRUE(known[8].starts_with("429 1 "));
}

TEST_F(AuthApiTest, PasswordsThatAreNotUtf8AreRefusedClearly) {
  server.signedInUser("bytes@acme.example");
  // The API and the forms refuse such bytes before they reach sign-in...
  Browser b(server);
  b.get("/login");
  EXPECT_EQ(b.post("/login", "email=bytes%40acme.example&password=%FF%FEabcdefgh").status, 400);
  // ...and sign-in and the password rules refuse them too, as invalid input, not as a guess.
  auto& identity = server.app().identity();
  for (int i = 0; i < 6; ++i) {
    auto r = identity.login("bytes@acme.example", "violet \xC0\xAF harbor",
                            identity::SessionKind::Api, {"127.0.0.1", "test", "t"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::InvalidInput);
    EXPECT_EQ(r.error().field, "password");
    EXPECT_EQ(r.error().key, "errors.identity.password.not_utf8");
  }
  auto prepared = identity.prepareLogin("new@acme.example", "New", "Login",
                                        "violet \xED\xA0\x80 harbor sunrise", "en");
  ASSERT_FALSE(prepared);
  EXPECT_EQ(prepared.error().field, "password");
  EXPECT_EQ(server.post("/api/v1/auth/login", {{"email", "bytes@acme.example"}, {"password", kPw}})
                .status,
            200);  // not counted: no delay
}

TEST_F(AuthApiTest, FailedPasswordsAreThrottledPerAddress) {
  for (int i = 0; i < 30; ++i) {
    server.post("/api/v1/auth/login",
                {{"email", "u" + std::to_string(i) + "@x.example"}, {"password", "wrong wrong"}});
  }
  auto r = server.post("/api/v1/auth/login",
                       {{"email", "fresh@x.example"}, {"password", "wrong wrong"}});
  EXPECT_EQ(r.status, 429);
  server.clock().advance(5 * 60 + 1);
  EXPECT_EQ(
      server.post("/api/v1/auth/login", {{"email", "fresh@x.example"}, {"password", "wrong wrong"}})
          .status,
      401);
}

TEST_F(AuthApiTest, WrongCodesAreThrottledPerAccount) {
  std::string secret;
  server.signedInUser("guess@acme.example", &secret);
  server.clock().advance(30);
  auto t = server.post("/api/v1/auth/login", {{"email", "guess@acme.example"}, {"password", kPw}})
               .json()["token"]
               .get<std::string>();
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", "000000"}}, t).status, 400);
    server.clock().advance(16);  // past each delay from the 5th failure: this test is the lock
  }
  auto r = server.post("/api/v1/auth/mfa", {{"code", server.totpCode(secret)}}, t);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), std::to_string(15 * 60 - 10 * 16));
}

TEST_F(AuthApiTest, WrongCodesAreDelayedFromTheFifth) {
  std::string secret;
  server.signedInUser("slowcode@acme.example", &secret);
  server.clock().advance(30);
  auto t =
      server.post("/api/v1/auth/login", {{"email", "slowcode@acme.example"}, {"password", kPw}})
          .json()["token"]
          .get<std::string>();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", "000000"}}, t).status, 400);
  }
  auto r = server.post("/api/v1/auth/mfa", {{"code", server.totpCode(secret)}}, t);
  EXPECT_EQ(r.status, 429);  // the right code, not evaluated before the delay has passed
  EXPECT_EQ(r.header("retry-after"), "1");
  server.clock().advance(1);
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", server.totpCode(secret)}}, t).status, 200);
}

TEST_F(AuthApiTest, SmsEnrolmentAndLoginCode) {
  auto link = server.initOrganization("SMS Org", "sms@acme.example");
  ASSERT_EQ(server
                .post("/api/v1/signup", {{"token", TestServer::tokenOf(link)},
                                         {"first_name", "S"},
                                         {"last_name", "M"},
                                         {"password", kPw}})
                .status,
            201);
  auto t = server.post("/api/v1/auth/login", {{"email", "sms@acme.example"}, {"password", kPw}})
               .json()["token"]
               .get<std::string>();
  EXPECT_EQ(server.post("/api/v1/auth/sms/enroll", {{"phone", "0701234567"}}, t).status, 400);
  ASSERT_EQ(server.post("/api/v1/auth/sms/enroll", {{"phone", "+46701234567"}}, t).status, 202);
  auto texts = server.texts();
  ASSERT_EQ(texts.size(), 1u);
  auto sms = json::parse(texts.back());
  EXPECT_EQ(sms["to"], "+46701234567");
  std::smatch m;
  std::string text = sms["text"];
  ASSERT_TRUE(std::regex_search(text, m, std::regex("([0-9]{6})")));
  auto code = m[1].str();
  EXPECT_EQ(
      server.post("/api/v1/auth/sms/confirm", {{"code", code == "000000" ? "111111" : "000000"}}, t)
          .status,
      400);
  auto r = server.post("/api/v1/auth/sms/confirm", {{"code", code}}, t);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["recovery_codes"].size(), 10u);
  EXPECT_EQ(server.get("/api/v1/me", t).status, 200);

  // Next login: a code by SMS, single use, expiring after five minutes.
  auto t2 = server.post("/api/v1/auth/login", {{"email", "sms@acme.example"}, {"password", kPw}})
                .json()["token"]
                .get<std::string>();
  ASSERT_EQ(server.post("/api/v1/auth/sms/send", json::object(), t2).status, 202);
  text = json::parse(server.texts().back())["text"];
  ASSERT_TRUE(std::regex_search(text, m, std::regex("([0-9]{6})")));
  server.clock().advance(5 * 60 + 1);
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", m[1].str()}}, t2).status, 400);
  ASSERT_EQ(server.post("/api/v1/auth/sms/send", json::object(), t2).status, 202);
  text = json::parse(server.texts().back())["text"];
  ASSERT_TRUE(std::regex_search(text, m, std::regex("([0-9]{6})")));
  EXPECT_EQ(server.post("/api/v1/auth/mfa", {{"code", m[1].str()}}, t2).status, 200);
  // At most three texts per user in 15 minutes.
  EXPECT_EQ(server.post("/api/v1/auth/sms/send", json::object(), t2).status, 429);
}

TEST_F(AuthApiTest, PasswordResetWithoutEnumeration) {
  std::string secret;
  auto old_token = server.signedInUser("reset@acme.example", &secret);
  auto known = server.post("/api/v1/auth/password-reset", {{"email", "reset@acme.example"}});
  auto unknown = server.post("/api/v1/auth/password-reset", {{"email", "nobody@acme.example"}});
  EXPECT_EQ(known.status, 202);
  EXPECT_EQ(unknown.status, 202);
  EXPECT_EQ(known.body, unknown.body);
  auto mails = server.mails();
  ASSERT_FALSE(mails.empty());
  const auto& eml = mails.back();
  EXPECT_NE(eml.find("To: reset@acme.example"), std::string::npos);
  EXPECT_NE(eml.find("Content-Type: text/plain"), std::string::npos);
  EXPECT_NE(eml.find("Content-Type: text/html"), std::string::npos);
  std::smatch m;
  std::string flat = std::regex_replace(eml, std::regex("=\r\n"), "");
  ASSERT_TRUE(std::regex_search(
      flat, m, std::regex("http://portal\\.test/password-reset\\?token=3D([A-Za-z0-9_-]+)")));
  auto token = m[1].str();
  EXPECT_EQ(
      server
          .post("/api/v1/auth/password-reset/confirm", {{"token", token}, {"password", "password"}})
          .status,
      400);
  auto r = server.post("/api/v1/auth/password-reset/confirm",
                       {{"token", token}, {"password", "a brand new passphrase"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(server
                .post("/api/v1/auth/password-reset/confirm",
                      {{"token", token}, {"password", "another new passphrase"}})
                .status,
            400);
  EXPECT_EQ(server.get("/api/v1/me", old_token).status, 401);  // signed out everywhere
  auto login = server.post("/api/v1/auth/login", {{"email", "reset@acme.example"},
                                                  {"password", "a brand new passphrase"}});
  EXPECT_EQ(login.status, 200);
  EXPECT_EQ(login.json()["mfa"], "verify");  // 2FA stays
}

TEST_F(AuthApiTest, ExpiredResetLinkIsRefused) {
  server.signedInUser("late@acme.example");
  server.post("/api/v1/auth/password-reset", {{"email", "late@acme.example"}});
  std::string flat = std::regex_replace(server.mails().back(), std::regex("=\r\n"), "");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(flat, m, std::regex("token=3D([A-Za-z0-9_-]+)")));
  server.clock().advance(61 * 60);
  EXPECT_EQ(server
                .post("/api/v1/auth/password-reset/confirm",
                      {{"token", m[1].str()}, {"password", "a brand new passphrase"}})
                .status,
            400);
}

TEST_F(AuthApiTest, SignupLinkWorksOnceAndNotAfterExpiry) {
  auto link = server.initOrganization("Once Org", "once@acme.example");
  auto token = TestServer::tokenOf(link);
  EXPECT_EQ(
      server
          .post("/api/v1/signup",
                {{"token", token}, {"first_name", "A"}, {"last_name", "B"}, {"password", "123"}})
          .status,
      400);
  EXPECT_EQ(
      server
          .post("/api/v1/signup",
                {{"token", token}, {"first_name", "A"}, {"last_name", "B"}, {"password", kPw}})
          .status,
      201);
  EXPECT_EQ(
      server
          .post("/api/v1/signup",
                {{"token", token}, {"first_name", "A"}, {"last_name", "B"}, {"password", kPw}})
          .status,
      404);
  auto late = server.initOrganization("Late Org", "late2@acme.example");
  server.clock().advance(7 * 24 * 3600 + 1);
  EXPECT_EQ(server
                .post("/api/v1/signup", {{"token", TestServer::tokenOf(late)},
                                         {"first_name", "A"},
                                         {"last_name", "B"},
                                         {"password", kPw}})
                .status,
            404);
  EXPECT_EQ(
      server
          .post("/api/v1/signup",
                {{"token", "made-up"}, {"first_name", "A"}, {"last_name", "B"}, {"password", kPw}})
          .status,
      404);
}

TEST_F(AuthApiTest, ExistingLoginTakesALinkForItsOwnEmailOnly) {
  auto token = server.signedInUser("exist@acme.example");
  auto mine = server.initOrganization("Second Org", "exist@acme.example");
  auto theirs = server.initOrganization("Third Org", "other@acme.example");
  EXPECT_EQ(server.post("/api/v1/signup", {{"token", TestServer::tokenOf(theirs)}}, token).status,
            403);
  EXPECT_EQ(server.post("/api/v1/signup", {{"token", TestServer::tokenOf(mine)}}, token).status,
            200);
  EXPECT_EQ(server.post("/api/v1/signup", {{"token", TestServer::tokenOf(mine)}}, token).status,
            404);
}

TEST_F(AuthApiTest, BadInputGetsClearErrors) {
  auto r =
      server.request("POST", "/api/v1/auth/login", "{not json", {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "invalid_input");
  EXPECT_FALSE(r.json()["error"]["message"].get<std::string>().empty());
  r = server.request("POST", "/api/v1/auth/login", R"(["a"])", {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 400);
  r = server.request("POST", "/api/v1/auth/login",
                     R"({"email":"a@b.c","email":"x@y.z","password":"p"})",
                     {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 400);
  r = server.post("/api/v1/auth/login", {{"email", 42}, {"password", "x"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "email");
  r = server.get("/api/v1/nothing-here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.errorCode(), "not_found");
  r = server.request("DELETE", "/api/v1/auth/login");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "POST");
}

TEST_F(AuthApiTest, SecurityEventsAreAudited) {
  auto token = server.signedInUser("audit@acme.example");
  server.post("/api/v1/auth/login", {{"email", "audit@acme.example"}, {"password", "wrong wrong"}});
  server.post("/api/v1/auth/logout", json::object(), token);
  storage::Query q(server.app().db().connection(), "SELECT event FROM audit_log ORDER BY id");
  std::string events;
  while (q.next()) events += q.getText(0) + " ";
  for (const char* e : {"organization.created", "signup.completed", "login.password_ok",
                        "mfa.totp.enrolled", "login.failed", "logout"}) {
    EXPECT_NE(events.find(e), std::string::npos) << e << " in " << events;
  }
}

TEST_F(AuthApiTest, TokensAreStoredOnlyAsHashes) {
  auto token = server.signedInUser("hash@acme.example");
  storage::Query q(server.app().db().connection(),
                   "SELECT COUNT(*) FROM sessions WHERE token_hash = ?");
  q.bind(token);
  ASSERT_TRUE(q.next());
  EXPECT_EQ(q.getInt(0), 0);
  storage::Query s(server.app().db().connection(), "SELECT totp_secret FROM users WHERE email = ?");
  s.bind("hash@acme.example");
  ASSERT_TRUE(s.next());
  EXPECT_FALSE(s.getText(0).empty());
}

}  // namespace
}  // namespace portico::testing
