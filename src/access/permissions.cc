#include "access/permissions.h"

#include <array>

namespace portico::access {
namespace {

constexpr std::array<std::string_view, kPermissionCount> kNames = {
    "company.profile", "contacts.manage", "users.manage",   "services.view", "services.credentials",
    "services.sso",    "domains.view",    "domains.manage", "invoices.view", "invoices.pay",
    "quotes.view",     "quotes.accept",   "support.view",   "support.open",  "affiliate.manage",
    "emails.view",     "orders.view",     "orders.place",   "store.view",    "devices.manage",
    "dashboard.view",
};

PermissionSet views() {
  PermissionSet s;
  for (int i = 0; i < kPermissionCount; ++i) {
    if (kNames[static_cast<std::size_t>(i)].ends_with(".view")) s.add(static_cast<Permission>(i));
  }
  return s;
}

std::vector<RolePreset> buildPresets() {
  PermissionSet all = PermissionSet::all();
  PermissionSet user = all;
  user.remove(Permission::UsersManage);
  PermissionSet support;
  support.add(Permission::SupportView).add(Permission::SupportOpen);
  PermissionSet moderator = user;
  moderator.remove(Permission::CompanyProfile).remove(Permission::InvoicesPay);
  PermissionSet member = views();
  member.add(Permission::SupportOpen);
  return {{"administrator", all},   {"user", user},     {"support_user", support},
          {"moderator", moderator}, {"member", member}, {"read_only", views()}};
}

}  // namespace

PermissionSet PermissionSet::all() {
  PermissionSet s;
  for (int i = 0; i < kPermissionCount; ++i) s.add(static_cast<Permission>(i));
  return s;
}

std::vector<Permission> PermissionSet::list() const {
  std::vector<Permission> out;
  for (int i = 0; i < kPermissionCount; ++i) {
    if (has(static_cast<Permission>(i))) out.push_back(static_cast<Permission>(i));
  }
  return out;
}

std::string PermissionSet::serialize() const {
  std::string out;
  for (auto p : list()) {
    if (!out.empty()) out += ' ';
    out += permissionName(p);
  }
  return out;
}

PermissionSet PermissionSet::parse(std::string_view names) {
  PermissionSet s;
  while (!names.empty()) {
    auto space = names.find(' ');
    auto name = names.substr(0, space);
    names = space == std::string_view::npos ? std::string_view{} : names.substr(space + 1);
    if (auto p = permissionFromName(name)) s.add(*p);
  }
  return s;
}

std::string_view permissionName(Permission p) { return kNames[static_cast<std::size_t>(p)]; }

std::optional<Permission> permissionFromName(std::string_view name) {
  for (int i = 0; i < kPermissionCount; ++i) {
    if (kNames[static_cast<std::size_t>(i)] == name) return static_cast<Permission>(i);
  }
  return std::nullopt;
}

std::span<const RolePreset> rolePresets() {
  static const std::vector<RolePreset> presets = buildPresets();
  return presets;
}

std::optional<PermissionSet> presetPermissions(std::string_view role) {
  for (const auto& r : rolePresets()) {
    if (r.id == role) return r.permissions;
  }
  return std::nullopt;
}

PermissionSet allButUserManagement() {
  return PermissionSet::all().remove(Permission::UsersManage);
}

}  // namespace portico::access
