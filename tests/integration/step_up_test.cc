// Step-up: an action that needs a fresh second factor (changing someone's rights, inviting,
// removing someone, changing a role, the payment details on invoices, turning step-up off) is
// refused with 403 step_up_required once the last code is older than 5 minutes, until the
// caller enters one again (POST /api/v1/auth/step-up, or the pages' prompt, which then carries
// on with the action); an organization may turn it off.
#include <regex>

#include "core/text.h"
#include "support/company_fixture.h"

namespace portico::testing {
namespace {

using json = nlohmann::json;

class StepUpTest : public CompanyTest {
 protected:
  StepUpTest() {
    setBob({{"role", "administrator"}});
    carl = member("carl@a.example");
    carl_id = userId(carl);
  }
  HttpResult changeCarl(const std::string& token, const std::string& role) {
    return call(
        "PATCH",
        "/api/v1/companies/" + std::to_string(company) + "/users/" + std::to_string(carl_id), token,
        {{"role", role}});
  }
  std::string carlsRole() {
    auto users = call("GET", "/api/v1/companies/" + std::to_string(company) + "/users", ada).json();
    for (const auto& u : users["items"]) {
      if (u["id"] == carl_id) return u["role"];
    }
    return "";
  }
  std::string carl;
  std::int64_t carl_id = 0;
};

TEST_F(StepUpTest, AStaleSecondFactorIsAskedForAgainBeforeARightsChange) {
  // Just signed in: the sign-in's code counts.
  ASSERT_EQ(changeCarl(bob, "member").status, 200);
  server.clock().advance(6 * 60);
  auto r = changeCarl(bob, "read_only");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.errorCode(), "step_up_required");
  EXPECT_EQ(carlsRole(), "member");  // nothing changed
  // A wrong code is refused; the right one opens 5 minutes.
  r = call("POST", "/api/v1/auth/step-up", bob, {{"code", "000000"}});
  EXPECT_EQ(r.status, 400) << r.body;
  auto code = server.totpCode(bob_secret);
  r = call("POST", "/api/v1/auth/step-up", bob, {{"code", code}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["step_up_until"], core::rfc3339(server.clock().now() + 300));
  // The same code again is a replay.
  EXPECT_EQ(call("POST", "/api/v1/auth/step-up", bob, {{"code", code}}).status, 400);
  EXPECT_EQ(changeCarl(bob, "read_only").status, 200);
  EXPECT_EQ(carlsRole(), "read_only");
  server.clock().advance(4 * 60);
  EXPECT_EQ(changeCarl(bob, "member").status, 200);
  server.clock().advance(2 * 60);
  EXPECT_EQ(changeCarl(bob, "user").errorCode(), "step_up_required");
  // Neither or both of code and recovery code: 400.
  EXPECT_EQ(call("POST", "/api/v1/auth/step-up", bob, json::object()).status, 400);
  auto log = call("GET", "/api/v1/staff/audit?event=mfa.step_up",
                  server.staffMember("Vendor", "audit@vendor.example", "admin"))
                 .json();
  EXPECT_EQ(log["items"].size(), 1u) << log.dump();
}

TEST_F(StepUpTest, ARecoveryCodeStepsUpToo) {
  std::vector<std::string> codes;
  auto token = server.signedInUser("rita@elsewhere.example", nullptr, &codes);
  ASSERT_FALSE(codes.empty());
  server.clock().advance(6 * 60);
  auto r = call("POST", "/api/v1/auth/step-up", token, {{"recovery_code", codes[0]}});
  EXPECT_EQ(r.status, 200) << r.body;
  r = call("POST", "/api/v1/auth/step-up", token, {{"recovery_code", codes[0]}});
  EXPECT_EQ(r.status, 400) << r.body;  // used once
}

TEST_F(StepUpTest, GuessingStepUpCodesIsThrottled) {
  long last = 0;
  for (int i = 0; i < 12 && last != 429; ++i) {
    last = call("POST", "/api/v1/auth/step-up", bob, {{"code", "123456"}}).status;
  }
  EXPECT_EQ(last, 429);
}

TEST_F(StepUpTest, AnOrganizationMayTurnStepUpOff) {
  auto admin = server.staffMember("Vendor", "admin@vendor.example", "admin");
  EXPECT_EQ(call("GET", "/api/v1/staff/security", admin).json()["step_up"], true);
  EXPECT_EQ(call("PUT", "/api/v1/staff/security", admin, {{"step_up", "no"}}).status, 400);
  EXPECT_EQ(call("PUT", "/api/v1/staff/security", support, {{"step_up", false}}).status, 403);
  auto r = call("PUT", "/api/v1/staff/security", admin, {{"step_up", false}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["step_up"], false);
  server.clock().advance(6 * 60);
  EXPECT_EQ(changeCarl(bob, "read_only").status, 200);
  ASSERT_EQ(call("PUT", "/api/v1/staff/security", admin, {{"step_up", true}}).status, 200);
  EXPECT_EQ(changeCarl(bob, "member").errorCode(), "step_up_required");
}

TEST_F(StepUpTest, ThePagesAskForTheCodeInPlaceAndThenCarryOn) {
  auto b = signIn("bob@a.example", bob_secret);
  auto path = "/companies/" + std::to_string(company) + "/users/" + std::to_string(carl_id);
  server.clock().advance(6 * 60);
  auto page = b.get(path);
  ASSERT_EQ(page.status, 200) << page.body;
  auto r = b.submit(path, {{"role", "read_only"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("Confirm it is you"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("name=\"role\" value=\"read_only\""), std::string::npos);
  EXPECT_NE(r.body.find("action=\"" + path + "\""), std::string::npos);
  EXPECT_EQ(carlsRole(), "user");
  // A wrong code: the prompt again, saying so.
  r = b.submit(path, {{"role", "read_only"}, {"step_up_code", "000000"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("Confirm it is you"), std::string::npos);
  EXPECT_NE(r.body.find("role=\"alert\""), std::string::npos) << r.body;
  // The right one: the change is made.
  r = b.submit(path, {{"role", "read_only"}, {"step_up_code", server.totpCode(bob_secret)}});
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(carlsRole(), "read_only");
}

TEST_F(StepUpTest, InvitingAndRemovingSomeoneNeedAFreshSecondFactorButLeavingDoesNot) {
  auto users = "/api/v1/companies/" + std::to_string(company) + "/users/";
  auto invite = [&] {
    return call("POST", "/api/v1/invitations", bob,
                {{"email", "dora@a.example"},
                 {"first_name", "Dora"},
                 {"last_name", "Doe"},
                 {"language", "en"},
                 {"companies", json::array({{{"company_id", company}, {"role", "user"}}})}});
  };
  auto mails = server.mails().size();
  server.clock().advance(6 * 60);
  auto r = invite();
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.errorCode(), "step_up_required");
  EXPECT_EQ(server.mails().size(), mails);  // nobody was invited
  r = call("DELETE", users + std::to_string(carl_id), bob);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.errorCode(), "step_up_required");
  EXPECT_EQ(carlsRole(), "user");  // still a member
  // A refusal for another reason comes first: no prompt for what may not be done at all.
  EXPECT_EQ(call("DELETE", users + "999999", bob).status, 404);

  server.stepUp(bob, bob_secret);
  EXPECT_EQ(invite().status, 201);
  EXPECT_EQ(server.mails().size(), mails + 1);
  EXPECT_EQ(call("DELETE", users + std::to_string(carl_id), bob).status, 204);
  EXPECT_EQ(carlsRole(), "");
  // Leaving a company oneself needs no fresh factor.
  server.clock().advance(6 * 60);
  EXPECT_EQ(call("DELETE", users + std::to_string(bob_id), bob).status, 204);
}

TEST_F(StepUpTest, ARoleThePaymentDetailsAndTurningStepUpOffNeedAFreshSecondFactor) {
  std::string secret;
  auto admin = server.staffMember("Vendor", "admin@vendor.example", "admin", &secret);
  auto role = [&](const std::string& method, const std::string& path, const std::string& name) {
    json body = {{"name", name}, {"permissions", json::array({"support.view"})}};
    if (method == "POST") body["key"] = "field";
    return call(method, path, admin, body);
  };
  auto role_name = [&] {
    auto roles = call("GET", "/api/v1/staff/roles", admin).json();
    for (const auto& r : roles["items"]) {
      if (r["key"] == "field") return r["name"].get<std::string>();
    }
    return std::string();
  };
  auto settings = [&](const std::string& legal_name, const std::string& account) {
    return call("PUT", "/api/v1/staff/document-settings", admin,
                {{"legal_name", legal_name}, {"payment_details", account}});
  };
  ASSERT_EQ(role("POST", "/api/v1/staff/roles", "Field").status, 201);
  ASSERT_EQ(settings("Vendor AB", "Bankgiro 123-4567").status, 200);
  server.clock().advance(6 * 60);
  // What changes nobody's rights or money asks for nothing.
  auto r = settings("Vendor Aktiebolag", "Bankgiro 123-4567");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(call("PUT", "/api/v1/staff/security", admin, {{"step_up", true}}).status, 200);
  // What does is refused and changes nothing.
  for (const auto& refused : std::vector<HttpResult>{
           role("PUT", "/api/v1/staff/roles/field", "Field service"),
           settings("Vendor Aktiebolag", "IBAN SE00 9999 9999"),
           call("PUT", "/api/v1/staff/security", admin, {{"step_up", false}})}) {
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_EQ(refused.errorCode(), "step_up_required");
  }
  EXPECT_EQ(role_name(), "Field");
  EXPECT_EQ(call("GET", "/api/v1/staff/document-settings", admin).json()["payment_details"],
            "Bankgiro 123-4567");
  EXPECT_EQ(call("GET", "/api/v1/staff/security", admin).json()["step_up"], true);

  server.stepUp(admin, secret);
  EXPECT_EQ(role("PUT", "/api/v1/staff/roles/field", "Field service").status, 200);
  EXPECT_EQ(role_name(), "Field service");
  EXPECT_EQ(settings("Vendor Aktiebolag", "IBAN SE00 9999 9999").status, 200);
  EXPECT_EQ(call("PUT", "/api/v1/staff/security", admin, {{"step_up", false}}).status, 200);
  auto log = call("GET", "/api/v1/staff/audit?event=document_settings.updated", admin).json();
  ASSERT_EQ(log["items"].size(), 3u) << log.dump();
  EXPECT_NE(log["items"][0].dump().find("payment_details_changed"), std::string::npos);
}

TEST_F(StepUpTest, GivingOrTakingAnAgentsLoginNeedsAFreshSecondFactor) {
  std::string secret;
  auto admin = server.staffMember("Vendor", "admin@vendor.example", "admin", &secret);
  auto a = call("POST", "/api/v1/staff/agents", admin, {{"name", "Facility Partners"}});
  ASSERT_EQ(a.status, 201) << a.body;
  auto users =
      "/api/v1/staff/agents/" + std::to_string(a.json()["id"].get<std::int64_t>()) + "/users";
  server.clock().advance(6 * 60);
  auto r = call("POST", users, admin, {{"email", "carl@a.example"}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.errorCode(), "step_up_required");
  server.stepUp(admin, secret);
  r = call("POST", users, admin, {{"email", "carl@a.example"}});
  EXPECT_EQ(r.status, 200) << r.body;
  server.clock().advance(6 * 60);
  r = call("DELETE", users + "/" + std::to_string(carl_id), admin);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.errorCode(), "step_up_required");
  server.stepUp(admin, secret);
  EXPECT_EQ(call("DELETE", users + "/" + std::to_string(carl_id), admin).status, 204);
}

TEST_F(StepUpTest, RemovingSomeoneOnThePageAsksForTheCodeAfterTheConfirmation) {
  auto b = signIn("bob@a.example", bob_secret);
  auto path =
      "/companies/" + std::to_string(company) + "/users/" + std::to_string(carl_id) + "/remove";
  server.clock().advance(6 * 60);
  auto r = b.submit(path, {{"confirmed", "1"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("Confirm it is you"), std::string::npos) << r.body;
  EXPECT_EQ(carlsRole(), "user");
  r = b.submit(path, {{"confirmed", "1"}, {"step_up_code", server.totpCode(bob_secret)}});
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(carlsRole(), "");
}

TEST_F(StepUpTest, ThePromptTextsACodeToSomeoneWhoHasAPhoneForIt) {
  auto b = signIn("bob@a.example", bob_secret);
  auto path = "/companies/" + std::to_string(company) + "/users/" + std::to_string(carl_id);
  server.clock().advance(6 * 60);
  auto r = b.submit(path, {{"role", "read_only"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body.find("name=\"step_up_sms\""), std::string::npos);  // no phone: no button
  server.sql("UPDATE users SET sms_phone = '+46701234567' WHERE email = 'bob@a.example'");
  r = b.submit(path, {{"role", "read_only"}});
  ASSERT_NE(r.body.find("name=\"step_up_sms\""), std::string::npos) << r.body;
  auto texts = server.texts().size();
  r = b.submit(path, {{"role", "read_only"}, {"step_up_sms", "1"}, {"step_up_code", ""}});
  EXPECT_EQ(r.status, 403);  // the prompt again, saying the code is on its way
  EXPECT_NE(r.body.find("role=\"status\""), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("role=\"alert\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("name=\"role\" value=\"read_only\""), std::string::npos);
  EXPECT_EQ(carlsRole(), "user");
  ASSERT_EQ(server.texts().size(), texts + 1);
  auto sms = json::parse(server.texts().back());
  EXPECT_EQ(sms["to"], "+46701234567");
  std::smatch m;
  std::string text = sms["text"];
  ASSERT_TRUE(std::regex_search(text, m, std::regex("([0-9]{6})")));
  r = b.submit(path, {{"role", "read_only"}, {"step_up_code", m[1].str()}});
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(carlsRole(), "read_only");
}

}  // namespace
}  // namespace portico::testing
