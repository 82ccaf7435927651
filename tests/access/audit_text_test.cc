#include "access/audit_text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/random.h"
#include "storage/sqlite/sqlite_db.h"

namespace portico::access {
namespace {

// The audit pages' texts, as a reader in `lang` sees them. Nothing here reads the database: the
// page renderer only needs a policy for whole pages.
class AuditTextTest : public ::testing::Test {
 protected:
  static std::string tempDb() {
    core::initCrypto();
    auto dir = std::filesystem::temp_directory_path() / ("portico-audit-" + core::randomToken(6));
    std::filesystem::create_directories(dir);
    return (dir / "a.db").string();
  }

  identity::Context reader(const std::string& lang) const {
    identity::Context c;
    c.lang = lang;
    return c;
  }
  std::string detail(const std::string& json, const std::string& lang = "en",
                     const RoleNames& org_roles = {}) const {
    return auditDetailText(pages, reader(lang), json, org_roles);
  }

  storage::SqliteDb db{tempDb()};
  AccessRepository repo{db};
  core::FakeClock clock{1'700'000'000};
  Policy policy{repo, clock};
  web::Views views;
  PageRenderer pages{views, policy};
};

TEST_F(AuditTextTest, EventsShowTheirLabelOrElseTheirCode) {
  EXPECT_EQ(auditEventLabel(pages, reader("en"), "membership.changed"), "Access changed");
  EXPECT_EQ(auditEventLabel(pages, reader("en"), "mfa.totp.enrolled"), "Authenticator app set up");
  EXPECT_EQ(auditEventLabel(pages, reader("en"), "logout"), "Signed out");
  EXPECT_EQ(auditEventLabel(pages, reader("sv"), "logout"), "Utloggad");
  EXPECT_EQ(auditEventLabel(pages, reader("de"), "membership.changed"), "Zugang geändert");
  EXPECT_EQ(auditEventLabel(pages, reader("en"), "widget.frobbed"), "widget.frobbed");
  EXPECT_EQ(auditEventLabel(pages, reader("en"), "mfa"), "mfa");  // a group, not an event
}

TEST_F(AuditTextTest, RolesAndPermissionsReadAsTheyDoElsewhere) {
  EXPECT_EQ(detail(R"({"all_sites":false,"new_permissions":"invoices.view support.open",)"
                   R"("new_role":"custom","old_permissions":"","old_role":"member"})"),
            "Old role: Member · New role: Chosen permissions · Old permissions: — · "
            "New permissions: View invoices, Open and answer support cases · All sites: no");
  EXPECT_EQ(detail(R"({"role":"wardens"})", "en", {{"wardens", "Night wardens"}}),
            "Role: Night wardens");
  EXPECT_EQ(detail(R"({"role":"staff:admin"})", "sv"), "Roll: Personal (admin)");
  EXPECT_EQ(detail(R"({"old_role":"member","new_role":"administrator"})", "de"),
            "Bisherige Rolle: Mitglied · Neue Rolle: Administrator");
}

TEST_F(AuditTextTest, ValuesAreTranslatedWhereTheyHaveATranslation) {
  EXPECT_EQ(detail(R"({"mfa":"verify"})"), "Second factor: still to be entered");
  EXPECT_EQ(detail(R"({"mfa":"totp","via":"enrolment"})", "de"),
            "Zweiter Faktor: Authenticator-App · Über: Einrichtung der "
            "Zwei-Faktor-Authentifizierung");
  EXPECT_EQ(detail(R"({"agent":"Facility Co","allowed":true,"method":"GET","path":"/x"})", "sv"),
            "Ombud: Facility Co · Tillåten: ja · Metod: GET · Sida: /x");
  EXPECT_EQ(detail(R"({"limit":null})"), "Limit: —");
  EXPECT_EQ(detail(R"({"agent":3,"name":"Facility Co","until":1735689600})"),
            "Name: Facility Co · Agent: 3 · Until: 2025-01-01 00:00 UTC");
  EXPECT_EQ(detail(R"({"departments":[4,7]})"), "Departments: 4, 7");
  EXPECT_EQ(detail(R"({"email":"a@b.example","requested_by":""})"), "E-mail: a@b.example");
}

TEST_F(AuditTextTest, NestedCompaniesAndNotificationKindsAreLabelled) {
  EXPECT_EQ(detail(R"({"companies":[{"company_id":3,"permissions":"","role":"member"},)"
                   R"({"company_id":4,"permissions":"invoices.view","role":"custom"}]})"),
            "Companies: Company: 3, Role: Member, Permissions: —; Company: 4, Role: Chosen "
            "permissions, Permissions: View invoices");
  EXPECT_EQ(detail(R"({"access.changes":false,"news":true})", "en"),
            "Changes to my access to a company (granted, changed or removed): no · News from the "
            "provider: yes");
}

TEST_F(AuditTextTest, WhatItDoesNotKnowIsShownAsItIs) {
  EXPECT_EQ(detail(R"({"colour":"blue"})"), "colour: blue");
  EXPECT_EQ(detail(R"({"reason":"already a member: rights left unchanged"})"),
            "Reason: already a member: rights left unchanged");
  EXPECT_EQ(detail("{}"), "");
  EXPECT_EQ(detail("[1,2]"), "[1,2]");
  EXPECT_EQ(detail("not json"), "not json");
}

TEST_F(AuditTextTest, TheEventFilterOffersGroupsOfPrefixes) {
  auto all = auditEventChoices(pages, reader("en"), "", false);
  EXPECT_TRUE(all["all_selected"].get<bool>());
  EXPECT_TRUE(all["other"].is_null());
  ASSERT_FALSE(all["groups"].empty());
  EXPECT_EQ(all["groups"][0]["label"], "Sign-in and two-factor authentication");
  std::vector<std::string> values;
  for (const auto& g : all["groups"]) {
    for (const auto& o : g["options"]) values.push_back(o["value"]);
  }
  for (const char* prefix : {"login.", "mfa.", "logout", "session.", "membership.", "site.",
                             "contact.", "password.", "profile.", "notifications."}) {
    EXPECT_NE(std::find(values.begin(), values.end(), prefix), values.end()) << prefix;
  }

  auto company = auditEventChoices(pages, reader("sv"), "membership.", true);
  EXPECT_FALSE(company["all_selected"].get<bool>());
  bool selected = false;
  for (const auto& g : company["groups"]) {
    for (const auto& o : g["options"]) {
      EXPECT_NE(o["value"], "password.");  // never in a company's log
      if (o["selected"].get<bool>()) {
        selected = true;
        EXPECT_EQ(o["value"], "membership.");
        EXPECT_EQ(o["label"], "Åtkomst till företaget");
      }
    }
  }
  EXPECT_TRUE(selected);

  auto one = auditEventChoices(pages, reader("de"), "membership.changed", true);
  EXPECT_EQ(one["other"]["value"], "membership.changed");
  EXPECT_EQ(one["other"]["label"], "Zugang geändert");
}

}  // namespace
}  // namespace portico::access
