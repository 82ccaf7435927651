// The staff console's errors in the reader's language: the JSON "message" comes from the error's
// key (errors.console.*) with its arguments filled in. A signed-in reader's own setting decides;
// signing up from a Swedish browser (Accept-Language: sv) makes it Swedish.
#include <gtest/gtest.h>

#include "support/test_server.h"

namespace portico::testing {
namespace {

using nlohmann::json;

TEST(ConsoleI18nTest, ConsoleErrorsAnswerInSwedishForAReaderWhoAsksForIt) {
  TestServer server;
  const std::vector<std::string> swedish = {"Content-Type: application/json",
                                            "Accept-Language: sv-SE,sv;q=0.9,en;q=0.5"};
  auto link = server.initOrganization("Nordvik Service", "chef@nordvik.example");
  auto signup = server.request("POST", "/api/v1/signup",
                               json{{"token", TestServer::tokenOf(link)},
                                    {"first_name", "Sara"},
                                    {"last_name", "Chef"},
                                    {"password", TestServer::kPassword}}
                                   .dump(),
                               swedish);
  ASSERT_EQ(signup.status, 201) << signup.body;
  auto staff = server.signInAndEnrol("chef@nordvik.example");
  auto call = [&](const std::string& method, const std::string& path, const json& body = {}) {
    auto headers = swedish;
    headers.push_back("Authorization: Bearer " + staff);
    return server.request(method, path, body.is_null() ? "" : body.dump(), headers);
  };

  // A customer the organization does not have.
  auto missing = call("GET", "/api/v1/staff/customers/999999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.errorCode(), "not_found");
  EXPECT_EQ(missing.errorMessage(), "Kunden finns inte");

  // Validation errors name their field and fill in their arguments.
  auto r = call("POST", "/api/v1/staff/customers", {{"name", std::string(201, 'x')}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "invalid_input");
  EXPECT_EQ(r.json()["error"].value("field", ""), "name");
  EXPECT_EQ(r.errorMessage(), "'name' måste anges och får vara högst 200 tecken");
  r = call("GET", "/api/v1/staff/customers?limit=500");
  EXPECT_EQ(r.errorCode(), "invalid_input");
  EXPECT_EQ(r.errorMessage(), "'limit' måste vara från 1 till 200");
  ASSERT_EQ(call("POST", "/api/v1/staff/departments", {{"name", "Norr"}}).status, 201);
  r = call("POST", "/api/v1/staff/departments", {{"name", "Norr"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.errorMessage(), "Det finns redan en avdelning som heter 'Norr'");

  // Once she chooses English, the same errors are in English whatever the browser asks for.
  ASSERT_EQ(call("PATCH", "/api/v1/me", {{"language", "en"}}).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/staff/customers/999999").errorMessage(), "No such customer");
  EXPECT_EQ(call("POST", "/api/v1/staff/departments", {{"name", "Norr"}}).errorMessage(),
            "There is a department named 'Norr' already");
}

}  // namespace
}  // namespace portico::testing
