// The mails of support cases, end to end through the job queue to the outbox: who is mailed about
// a reply, a status change and an assignment (never the author, never about an internal note),
// each in their language, threaded per case, with the link to the case; a turned-off preference
// and a lost right to see the case stop the mail.
#include <gtest/gtest.h>

#include <regex>

#include "modules/cases/case_fixture.h"

namespace portico::testing {
namespace {

using nlohmann::json;

class CaseNotificationsTest : public CaseTest {
 protected:
  CaseNotificationsTest() {
    c = open(ada);
    id = c["id"].get<std::int64_t>();
    // Bob follows the case: he wrote in it.
    comment(bob, "Same here on the third floor.");
    seen = server.mails().size();
  }
  void comment(const std::string& token, const std::string& body, bool internal = false) {
    auto r =
        call("POST", casePath(id) + "/comments", token, {{"body", body}, {"internal", internal}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
  // The mails since the last call, their soft line breaks undone (quoted-printable).
  std::vector<std::string> newMails() {
    auto all = server.mails();
    std::vector<std::string> out;
    for (auto i = seen; i < all.size(); ++i) {
      out.push_back(std::regex_replace(all[i], std::regex("=\r\n"), ""));
    }
    seen = all.size();
    return out;
  }
  static std::vector<std::string> to(const std::vector<std::string>& mails,
                                     const std::string& address) {
    std::vector<std::string> out;
    for (const auto& m : mails) {
      if (m.find("To: " + address + "\r\n") != std::string::npos) out.push_back(m);
    }
    return out;
  }
  std::string samEmail() { return "sam@vendor.example"; }

  json c;
  std::int64_t id = 0;
  std::size_t seen = 0;
};

TEST_F(CaseNotificationsTest, AStaffReplyMailsTheRequesterAndTheFollowersInThreadAndLanguage) {
  ASSERT_EQ(call("PATCH", "/api/v1/me", bob, {{"language", "sv"}}).status, 200);
  comment(support, "A technician comes on Thursday.");
  auto mails = newMails();
  ASSERT_EQ(mails.size(), 2u);
  auto ada_mail = to(mails, "ada@a.example");
  auto bob_mail = to(mails, "bob@a.example");
  ASSERT_EQ(ada_mail.size(), 1u);
  ASSERT_EQ(bob_mail.size(), 1u);
  for (const auto& m : mails) {
    EXPECT_NE(m.find("A technician comes on Thursday."), std::string::npos);
    EXPECT_NE(m.find("In-Reply-To: <case-" + std::to_string(id) + "@"), std::string::npos);
    EXPECT_NE(m.find("References: <case-" + std::to_string(id) + "@"), std::string::npos);
    EXPECT_NE(m.find("/cases/" + std::to_string(id)), std::string::npos);
  }
  EXPECT_NE(ada_mail[0].find("wrote in the support case"), std::string::npos);
  EXPECT_NE(bob_mail[0].find("skrev i support=C3=A4rendet"), std::string::npos);  // Swedish
  // The subject names the case, the same for every mail of it.
  EXPECT_NE(ada_mail[0].find("Subject: [T-1001] Printer jams\r\n"), std::string::npos);
}

TEST_F(CaseNotificationsTest, InternalNotesAreNeverMailed) {
  ASSERT_EQ(
      call("PATCH", casePath(id), support, {{"assignee_id", userId(support)}, {"status", "open"}})
          .status,
      200);
  newMails();
  comment(support, "Customer is on the recall list", true);
  EXPECT_TRUE(newMails().empty());
  // Nor does a later mail quote it.
  comment(support, "Please restart the printer.");
  for (const auto& m : newMails()) {
    EXPECT_EQ(m.find("recall list"), std::string::npos);
  }
}

TEST_F(CaseNotificationsTest, ACustomersReplyMailsTheAssigneeAndTheOtherFollowersNotTheAuthor) {
  ASSERT_EQ(call("PATCH", casePath(id), support, {{"assignee_id", userId(support)}}).status, 200);
  EXPECT_TRUE(newMails().empty());  // Sam assigned the case to himself
  comment(bob, "It also smells of smoke.");
  auto mails = newMails();
  EXPECT_EQ(to(mails, samEmail()).size(), 1u);
  EXPECT_EQ(to(mails, "ada@a.example").size(), 1u);
  EXPECT_TRUE(to(mails, "bob@a.example").empty());
  EXPECT_EQ(mails.size(), 2u);
}

TEST_F(CaseNotificationsTest, StatusChangesByStaffAndAssignmentsAreMailed) {
  auto admin = server.staffMember("Vendor", "alex@vendor.example", "admin");
  newMails();  // Alex's own sign-up
  ASSERT_EQ(call("PATCH", casePath(id), admin, {{"assignee_id", userId(support)}}).status, 200);
  auto mails = newMails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(to(mails, samEmail()).size(), 1u);
  EXPECT_NE(mails[0].find("now assigned to you"), std::string::npos);

  ASSERT_EQ(call("PATCH", casePath(id), support, {{"status", "resolved"}}).status, 200);
  mails = newMails();
  EXPECT_EQ(to(mails, "ada@a.example").size(), 1u);
  EXPECT_EQ(to(mails, "bob@a.example").size(), 1u);
  EXPECT_NE(mails[0].find("Resolved"), std::string::npos);
  // A customer's own change mails nobody of the company back.
  ASSERT_EQ(call("PATCH", casePath(id), ada, {{"status", "closed"}}).status, 200);
  EXPECT_TRUE(newMails().empty());
}

TEST_F(CaseNotificationsTest, APreferenceTurnedOffOrALostRightStopsTheMail) {
  ASSERT_EQ(server
                .request("PUT", "/api/v1/me/notifications", R"({"support.updates": false})",
                         {"Content-Type: application/json", "Authorization: Bearer " + ada})
                .status,
            200);
  comment(support, "First answer.");
  auto mails = newMails();
  EXPECT_TRUE(to(mails, "ada@a.example").empty());
  EXPECT_EQ(to(mails, "bob@a.example").size(), 1u);

  // Bob may no longer see support cases: he is not mailed about them either.
  setBob({{"permissions", json::array({"invoices.view"})}});
  newMails();  // the mail about his changed access
  comment(support, "Second answer.");
  EXPECT_TRUE(to(newMails(), "bob@a.example").empty());
  // Nor when he sees only a site the case is not at.
  setBob({{"role", "user"}, {"sites", json::array({site2})}});
  newMails();
  comment(support, "Third answer.");
  EXPECT_TRUE(to(newMails(), "bob@a.example").empty());
}

TEST_F(CaseNotificationsTest, NewCasesAreMailedToTheSupportAddressOfTheSettings) {
  auto admin = server.staffMember("Vendor", "alex@vendor.example", "admin");
  newMails();
  open(bob, {{"subject", "Nobody hears"}});
  EXPECT_TRUE(newMails().empty());  // no support address yet

  auto r = call("PUT", "/api/v1/staff/support-settings", admin,
                {{"time_zone", "UTC"},
                 {"work_days", {1, 2, 3, 4, 5}},
                 {"day_start", "08:00"},
                 {"day_end", "17:00"},
                 {"support_email", "helpdesk@vendor.example"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto fresh = open(bob, {{"subject", "Scanner offline"},
                          {"description", "Since the power cut."},
                          {"priority", "high"}});
  auto mails = to(newMails(), "helpdesk@vendor.example");
  ASSERT_EQ(mails.size(), 1u);
  const auto& m = mails[0];
  auto number = fresh["number"].get<std::string>();
  EXPECT_NE(m.find("Subject: [" + number + "] New case: Scanner offline\r\n"), std::string::npos)
      << m;
  EXPECT_NE(m.find("Since the power cut."), std::string::npos);
  EXPECT_NE(m.find("Bob Member"), std::string::npos);
  EXPECT_NE(m.find("High"), std::string::npos);
  auto fresh_id = std::to_string(fresh["id"].get<std::int64_t>());
  EXPECT_NE(m.find("/cases/" + fresh_id), std::string::npos);
  EXPECT_NE(m.find("In-Reply-To: <case-" + fresh_id + "@"), std::string::npos) << m;

  // The ERP's new cases too; its update of a known case is no new case.
  auto erp = server.request("POST", "/api/v1/integration/cases",
                            json({{"external_id", "ERP-77"},
                                  {"company_external_id", "A"},
                                  {"subject", "From the ERP"},
                                  {"description", "Filed by phone."}})
                                .dump(),
                            {"Authorization: Bearer " + key, "Content-Type: application/json"});
  ASSERT_EQ(erp.status, 201) << erp.body;  // created
  EXPECT_EQ(to(newMails(), "helpdesk@vendor.example").size(), 1u);
  erp = server.request("POST", "/api/v1/integration/cases",
                       json({{"external_id", "ERP-77"},
                             {"company_external_id", "A"},
                             {"subject", "From the ERP, again"}})
                           .dump(),
                       {"Authorization: Bearer " + key, "Content-Type: application/json"});
  ASSERT_EQ(erp.status, 200) << erp.body;
  EXPECT_TRUE(to(newMails(), "helpdesk@vendor.example").empty());
}

}  // namespace
}  // namespace portico::testing
