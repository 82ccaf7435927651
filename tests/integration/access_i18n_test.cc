// A company's access errors in the reader's language: the JSON "message" comes from the error's
// key (errors.access.*) with its arguments filled in. A signed-in reader's saved language decides.
#include <gtest/gtest.h>

#include "support/test_server.h"

namespace portico::testing {
namespace {

using nlohmann::json;

TEST(AccessI18nTest, MemberErrorsAnswerInTheAdministratorsLanguage) {
  TestServer server;
  server.initOrganization("Vendor", "staff@vendor.example");
  auto key = *server.app().createApiKey("Vendor", "ERP");
  auto [company, admin] = server.companyWithAdmin(key, "S-1", "chef@kund.example");
  const std::vector<std::string> swedish = {"Content-Type: application/json",
                                            "Accept-Language: sv-SE,sv;q=0.9,en;q=0.5"};
  auto call = [&](const std::string& method, const std::string& path, const json& body = {}) {
    auto headers = swedish;
    headers.push_back("Authorization: Bearer " + admin);
    return server.request(method, path, body.is_null() ? "" : body.dump(), headers);
  };
  ASSERT_EQ(call("PATCH", "/api/v1/me", {{"language", "sv"}}).status, 200);
  auto me = call("GET", "/api/v1/me").json()["user"]["id"].get<std::int64_t>();
  auto member = "/api/v1/companies/" + std::to_string(company) + "/users/" + std::to_string(me);

  // An unknown role names itself in the Swedish sentence.
  auto r = call("PATCH", member, {{"role", "boss"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "invalid_input");
  EXPECT_EQ(r.json()["error"].value("field", ""), "role");
  EXPECT_EQ(r.errorMessage().rfind("Okänd roll 'boss'; använd administrator", 0), 0u)
      << r.errorMessage();

  // The company's last user manager stays one.
  r = call("PATCH", member, {{"role", "user"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.errorCode(), "conflict");
  EXPECT_EQ(r.errorMessage(),
            "Det här är företagets sista medlem som hanterar användare: ge först en annan medlem "
            "'users.manage'");

  // A member the company does not have.
  r = call("PATCH", "/api/v1/companies/" + std::to_string(company) + "/users/999999",
           {{"role", "user"}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.errorMessage(), "Det finns ingen sådan medlem i företaget");

  // In English once she chooses it, whatever the browser asks for.
  ASSERT_EQ(call("PATCH", "/api/v1/me", {{"language", "en"}}).status, 200);
  EXPECT_EQ(call("PATCH", member, {{"role", "user"}}).errorMessage(),
            "This is the company's last member who manages users: give another member "
            "'users.manage' first");
}

}  // namespace
}  // namespace portico::testing
