#include "access/permissions.h"

#include <gtest/gtest.h>

#include "access/audit_api.h"

namespace portico::access {
namespace {

TEST(PermissionsTest, NamesRoundTrip) {
  for (int i = 0; i < kPermissionCount; ++i) {
    auto p = static_cast<Permission>(i);
    EXPECT_EQ(permissionFromName(permissionName(p)), p);
  }
  EXPECT_FALSE(permissionFromName("users.delete_everything"));
  auto set = PermissionSet::parse("invoices.view support.open bogus");
  EXPECT_EQ(set.serialize(), "invoices.view support.open");
}

TEST(PermissionsTest, RolePresetsFollowTheProductRules) {
  auto admin = *presetPermissions("administrator");
  auto user = *presetPermissions("user");
  auto support = *presetPermissions("support_user");
  auto moderator = *presetPermissions("moderator");
  auto member = *presetPermissions("member");
  auto read_only = *presetPermissions("read_only");
  EXPECT_EQ(admin, PermissionSet::all());
  EXPECT_FALSE(user.has(Permission::UsersManage));
  EXPECT_EQ(user, allButUserManagement());
  EXPECT_EQ(support.serialize(), "support.view support.open");
  EXPECT_FALSE(moderator.has(Permission::UsersManage));
  EXPECT_FALSE(moderator.has(Permission::CompanyProfile));
  EXPECT_FALSE(moderator.has(Permission::InvoicesPay));
  EXPECT_TRUE(moderator.has(Permission::QuotesAccept));
  EXPECT_TRUE(member.has(Permission::SupportOpen));
  EXPECT_FALSE(member.has(Permission::OrdersPlace));
  for (auto p : read_only.list()) {
    EXPECT_TRUE(permissionName(p).ends_with(".view")) << permissionName(p);
  }
  EXPECT_TRUE(read_only.subsetOf(member));
  EXPECT_FALSE(presetPermissions("custom"));
  EXPECT_FALSE(presetPermissions("superuser"));
}

TEST(CsvTest, CellsAreQuotedAndFormulasNeutralised) {
  EXPECT_EQ(csvCell("plain"), "\"plain\"");
  EXPECT_EQ(csvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csvCell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(csvCell("+1"), "\"'+1\"");
  EXPECT_EQ(csvCell("@cmd"), "\"'@cmd\"");
}

}  // namespace
}  // namespace portico::access
