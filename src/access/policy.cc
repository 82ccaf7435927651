#include "access/policy.h"

#include <set>

namespace portico::access {
namespace {

PermissionSet views() { return *presetPermissions("read_only"); }

}  // namespace

std::optional<CompanyAccess> Policy::staffAccess(const std::string& role, const Company& company) {
  PermissionSet granted;
  if (role == "admin") {
    granted = company.managed ? PermissionSet::all() : views();
  } else if (role == "content_creator") {
    granted = views();
    if (company.managed) {
      granted.add(Permission::CompanyProfile)
          .add(Permission::ContactsManage)
          .add(Permission::UsersManage);
    }
  } else if (role == "support") {
    granted = views();
    granted.add(Permission::SupportOpen);
  } else {
    return std::nullopt;
  }
  CompanyAccess a;
  a.company = company;
  a.role = "staff:" + role;
  a.permissions = granted;
  return a;
}

std::vector<CompanyAccess> Policy::memberships(const identity::Principal& p) {
  if (!p.mfaDone()) return {};
  return repo_.membershipsOf(p.user.id);
}

std::vector<CompanyAccess> Policy::companies(const identity::Principal& p) {
  auto out = memberships(p);
  if (!p.mfaDone()) return out;
  std::set<std::int64_t> seen;
  for (const auto& a : out) seen.insert(a.company.id.value);
  for (const auto& [org, role] : repo_.staffRoles(p.user.id)) {
    for (const auto& company : repo_.companiesOf(org)) {
      if (seen.count(company.id.value)) continue;
      if (auto a = staffAccess(role, company)) {
        seen.insert(company.id.value);
        out.push_back(std::move(*a));
      }
    }
  }
  return out;
}

std::optional<CompanyAccess> Policy::company(const identity::Principal& p, core::CompanyId id) {
  if (!p.mfaDone()) return std::nullopt;
  if (auto m = repo_.membership(p.user.id, id)) return m;
  auto staff = repo_.staffRoles(p.user.id);
  if (staff.empty()) return std::nullopt;
  auto company = repo_.findCompany(id);
  if (!company) return std::nullopt;
  for (const auto& [org, role] : staff) {
    if (org == company->org_id) return staffAccess(role, *company);
  }
  return std::nullopt;  // another organization's company
}

}  // namespace portico::access
