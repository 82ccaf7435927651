#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace portico::access {

// The permission catalog of PRODUCT.md §3. A membership holds a set of them per company.
enum class Permission : std::uint8_t {
  CompanyProfile,
  ContactsManage,
  UsersManage,
  ServicesView,
  ServicesCredentials,
  ServicesSso,
  DomainsView,
  DomainsManage,
  InvoicesView,
  InvoicesPay,
  QuotesView,
  QuotesAccept,
  SupportView,
  SupportOpen,
  AffiliateManage,
  EmailsView,
  OrdersView,
  OrdersPlace,
  StoreView,
  DevicesManage,
  DashboardView,
};

inline constexpr int kPermissionCount = 21;

// A set of permissions, as bits.
class PermissionSet {
 public:
  PermissionSet() = default;
  static PermissionSet all();
  bool has(Permission p) const { return (bits_ >> static_cast<int>(p)) & 1U; }
  PermissionSet& add(Permission p) {
    bits_ |= 1U << static_cast<int>(p);
    return *this;
  }
  PermissionSet& remove(Permission p) {
    bits_ &= ~(1U << static_cast<int>(p));
    return *this;
  }
  bool empty() const { return bits_ == 0; }
  bool operator==(const PermissionSet&) const = default;
  // Every permission of this set is in `other`.
  bool subsetOf(const PermissionSet& other) const { return (bits_ & ~other.bits_) == 0; }
  std::vector<Permission> list() const;
  // Space-separated API names, in catalog order ("invoices.view support.open").
  std::string serialize() const;
  // Parses space-separated names; unknown names are skipped (a permission since removed).
  static PermissionSet parse(std::string_view names);

 private:
  std::uint32_t bits_ = 0;
};

// "invoices.view" and back.
std::string_view permissionName(Permission p);
std::optional<Permission> permissionFromName(std::string_view name);

// The role presets with their API ids: administrator, user, support_user, moderator, member,
// read_only. "custom" is a membership with chosen permissions.
struct RolePreset {
  std::string_view id;
  PermissionSet permissions;
};
std::span<const RolePreset> rolePresets();
std::optional<PermissionSet> presetPermissions(std::string_view role);

// "All permissions" in an invitation: everything but users.manage.
PermissionSet allButUserManagement();

}  // namespace portico::access
