#include "access/policy.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <unordered_map>

namespace portico::access {
namespace {

PermissionSet views() { return *presetPermissions("read_only"); }

std::atomic<std::uint64_t> next_instance{1};

// Per thread: (policy instance, user) -> the user's memberships at an access version. Each I/O
// thread keeps its own, so there is no locking; an entry is used only while the version read
// with the session is unchanged.
struct CacheKey {
  std::uint64_t instance;
  std::int64_t user;
  bool operator==(const CacheKey&) const = default;
};
struct CacheKeyHash {
  std::size_t operator()(const CacheKey& k) const {
    return std::hash<std::uint64_t>{}(k.instance * 1000003u ^ static_cast<std::uint64_t>(k.user));
  }
};
struct CacheEntry {
  std::int64_t version;
  std::vector<CompanyAccess> memberships;
};
constexpr std::size_t kMaxCachedUsers = 10'000;

std::string sitesText(const std::vector<std::int64_t>& sites) {
  std::string out;
  for (auto s : sites) out += (out.empty() ? "" : ", ") + std::to_string(s);
  return out;
}

}  // namespace

bool CompanyAccess::seesSite(std::int64_t site) const {
  return all_sites || std::find(sites.begin(), sites.end(), site) != sites.end();
}

std::string_view capabilityName(StaffCapability c) {
  switch (c) {
    case StaffCapability::Customers:
      return "customers";
    case StaffCapability::Users:
      return "users";
    case StaffCapability::Agents:
      return "agents";
    case StaffCapability::Personnel:
      return "personnel";
    case StaffCapability::Licences:
      return "licences";
    case StaffCapability::Audit:
      return "audit";
    case StaffCapability::Departments:
      return "departments";
    case StaffCapability::Roles:
      return "roles";
    case StaffCapability::Deliveries:
      return "deliveries";
    case StaffCapability::Integration:
      return "integration";
    case StaffCapability::Templates:
      return "templates";
    case StaffCapability::SupportSettings:
      return "support_settings";
    case StaffCapability::DocumentSettings:
      return "document_settings";
    case StaffCapability::Security:
      return "security";
    case StaffCapability::Support:
      return "support";
  }
  return "";
}

Policy::Policy(AccessRepository& repo, const core::Clock& clock)
    : repo_(repo), clock_(clock), instance_(next_instance++) {}

bool Policy::staffMay(const StaffRole& staff, StaffCapability capability) {
  if (staff.role == "admin") return true;
  if (capability == StaffCapability::Support) {
    return staff.role == "support" || staff.role == "department_admin";
  }
  if (capability == StaffCapability::Templates) {
    return staff.role == "support" || staff.role == "department_admin" ||
           staff.role == "content_creator";
  }
  if (staff.role == "department_admin" || staff.role == "content_creator") {
    return capability == StaffCapability::Customers || capability == StaffCapability::Users;
  }
  return false;
}

bool Policy::staffSeesRecords(const StaffRole& staff) { return staff.role != "personnel"; }

std::optional<RecordScope> Policy::recordScope(const identity::Principal& p, Permission view,
                                               std::optional<core::CompanyId> company,
                                               OwnRecords own) {
  RecordScope scope;
  auto staff_role = staff(p);
  if (staff_role && staffSeesRecords(*staff_role)) {
    if (company) {
      auto a = this->company(p, *company);
      if (!a || a->basis != Basis::Staff || !a->can(view)) return std::nullopt;
    }
    scope.org = staff_role->org_id;
    if (staff_role->role == "department_admin") scope.departments = staff_role->departments;
    return scope;
  }
  bool found = !company;
  for (const auto& a : memberships(p)) {
    if (!a.can(view) || (a.own_records_only && own == OwnRecords::None)) continue;
    if (company && a.company.id != *company) continue;
    found = true;
    auto& companies = a.own_records_only ? scope.own_companies : scope.companies;
    auto& sites = a.own_records_only ? scope.own_sites : scope.sites;
    if (a.all_sites) {
      companies.push_back(a.company.id.value);
    } else {
      sites.insert(sites.end(), a.sites.begin(), a.sites.end());
    }
  }
  if (!found) return std::nullopt;
  return scope;
}

std::optional<CompanyAccess> Policy::recordAccess(const identity::Principal& p, Permission view,
                                                  core::CompanyId company,
                                                  std::optional<std::int64_t> site,
                                                  std::optional<core::UserId> owner,
                                                  OwnRecords own) {
  auto a = this->company(p, company);
  if (!a || !a->can(view)) return std::nullopt;
  if (a->basis == Basis::Staff) return a;
  if (!a->all_sites && (!site || !a->seesSite(*site))) return std::nullopt;
  if (a->own_records_only && (own == OwnRecords::None || owner != p.user.id)) return std::nullopt;
  return a;
}

bool Policy::staffReaches(const StaffRole& staff, const Company& company) {
  if (staff.org_id != company.org_id) return false;
  if (staff.role != "department_admin") return true;
  return company.department_id && std::find(staff.departments.begin(), staff.departments.end(),
                                            *company.department_id) != staff.departments.end();
}

std::optional<CompanyAccess> Policy::staffAccess(const StaffRole& staff, const Company& company) {
  if (!staffReaches(staff, company)) return std::nullopt;
  PermissionSet granted;
  if (staff.role == "admin" || staff.role == "department_admin") {
    granted = company.managed ? PermissionSet::all() : views();
  } else if (staff.role == "content_creator") {
    granted = views();
    if (company.managed) {
      granted.add(Permission::CompanyProfile)
          .add(Permission::ContactsManage)
          .add(Permission::UsersManage);
    }
  } else if (staff.role == "support") {
    granted = views();
    granted.add(Permission::SupportOpen);
  } else {
    return std::nullopt;  // personnel
  }
  CompanyAccess a;
  a.company = company;
  a.basis = Basis::Staff;
  a.role = "staff:" + staff.role;
  a.permissions = granted;
  return a;
}

bool Policy::live(const CompanyAccess& a) const {
  return a.basis != Basis::Agent || !a.company.agent_until || *a.company.agent_until > clock_.now();
}

std::vector<CompanyAccess> Policy::memberships(const identity::Principal& p) {
  if (!p.mfaDone()) return {};
  thread_local std::unordered_map<CacheKey, CacheEntry, CacheKeyHash> cache;
  CacheKey key{instance_, p.user.id.value};
  auto it = cache.find(key);
  if (it == cache.end() || it->second.version != p.access_version) {
    auto fresh = repo_.membershipsOf(p.user.id);
    if (cache.size() >= kMaxCachedUsers) cache.clear();
    it = cache.insert_or_assign(key, CacheEntry{p.access_version, std::move(fresh)}).first;
  }
  std::vector<CompanyAccess> out;
  out.reserve(it->second.memberships.size());
  for (const auto& a : it->second.memberships) {
    if (live(a)) out.push_back(a);
  }
  return out;
}

std::optional<StaffRole> Policy::staff(const identity::Principal& p) {
  if (!p.mfaDone()) return std::nullopt;
  auto roles = repo_.staffRoles(p.user.id);
  if (roles.empty()) return std::nullopt;
  return roles.front();
}

std::vector<CompanyAccess> Policy::companies(const identity::Principal& p, std::size_t offset,
                                             std::size_t limit, bool* more) {
  *more = false;
  auto own = memberships(p);
  std::vector<CompanyAccess> out;
  for (std::size_t i = offset; i < own.size() && out.size() < limit; ++i) out.push_back(own[i]);
  if (offset + limit < own.size()) {
    *more = true;
    return out;
  }
  auto staff = this->staff(p);
  if (!staff || staff->role == "personnel") return out;
  std::size_t staff_offset = offset > own.size() ? offset - own.size() : 0;
  std::size_t wanted = limit - out.size();
  auto page = repo_.staffCompaniesPage(p.user.id, *staff, staff_offset, wanted + 1);
  for (const auto& company : page) {
    if (out.size() == limit) {
      *more = true;
      break;
    }
    if (auto a = staffAccess(*staff, company)) out.push_back(std::move(*a));
  }
  return out;
}

std::optional<CompanyAccess> Policy::staffAccessTo(core::UserId user, core::CompanyId id) {
  auto staff = repo_.staffRoles(user);
  if (staff.empty()) return std::nullopt;
  auto company = repo_.findCompany(id);
  if (!company) return std::nullopt;
  for (const auto& role : staff) {
    if (auto a = staffAccess(role, *company)) return a;
  }
  return std::nullopt;  // another organization's company, or not one of their departments
}

std::optional<CompanyAccess> Policy::company(const identity::Principal& p, core::CompanyId id) {
  if (!p.mfaDone()) return std::nullopt;
  for (auto& a : memberships(p)) {
    if (a.company.id == id) return std::move(a);
  }
  return staffAccessTo(p.user.id, id);
}

bool Policy::seesMember(const CompanyAccess& caller, bool all_sites,
                        const std::vector<std::int64_t>& sites) {
  if (caller.all_sites) return true;
  if (all_sites) return false;
  return std::any_of(sites.begin(), sites.end(), [&](auto s) { return caller.seesSite(s); });
}

// Otherwise a lesser administrator could demote, remove or narrow a greater one, whom nobody in an
// independent company could then restore.
bool Policy::mayActOnMember(const CompanyAccess& caller, const PermissionSet& permissions) {
  return caller.basis == Basis::Staff || permissions.subsetOf(caller.permissions);
}

core::Result<Explanation> Policy::explainTo(const CompanyAccess& caller, core::UserId subject,
                                            std::optional<Permission> permission,
                                            std::optional<std::int64_t> site) {
  // A site of another company, or none at all, is not there: it would otherwise be explained
  // as if it were the company's.
  if (site && (!caller.seesSite(*site) || !repo_.sitesBelongTo(caller.company.id, {*site}))) {
    return core::fail(core::Error::notFound("errors.access.no_such_site"));
  }
  if (!caller.all_sites) {
    // Nothing about logins beyond the caller's sites, members or not.
    auto members = repo_.members(caller.company.id);
    auto m = std::find_if(members.begin(), members.end(),
                          [&](const Member& x) { return x.user_id == subject; });
    if (m == members.end() || !seesMember(caller, m->sees_all_sites, m->seen_sites)) {
      return core::fail(core::Error::notFound("errors.access.no_such_member"));
    }
  }
  return explain(subject, caller.company.id, permission, site);
}

Explanation Policy::explain(core::UserId subject, core::CompanyId company,
                            std::optional<Permission> permission,
                            std::optional<std::int64_t> site) {
  Explanation e;
  std::optional<CompanyAccess> access;
  for (auto& a : repo_.membershipsOf(subject)) {
    if (a.company.id != company) continue;
    if (a.basis == Basis::Membership) {
      e.steps.push_back({"membership",
                         true,
                         "Member of " + a.company.name,
                         "member_of",
                         {{"company", a.company.name}}});
      access = std::move(a);
    } else if (live(a)) {
      e.steps.push_back({"membership",
                         false,
                         "No membership in " + a.company.name,
                         "no_membership_in",
                         {{"company", a.company.name}}});
      e.steps.push_back({"agent",
                         true,
                         "Works for the agent " + a.agent_name +
                             ", to which this customer is allocated: read-only access",
                         "agent_allocated",
                         {{"agent", a.agent_name}}});
      access = std::move(a);
    } else {
      e.steps.push_back({"agent",
                         false,
                         "The allocation to the agent " + a.agent_name + " has ended",
                         "agent_ended",
                         {{"agent", a.agent_name}}});
    }
  }
  if (!access) {
    access = staffAccessTo(subject, company);
    if (!access) {
      // Nothing about a login that does not see the company (not even whether it exists).
      e.steps = {{"membership",
                  false,
                  "No membership, agent allocation or staff role gives access to this company",
                  "no_access",
                  {}}};
      return e;
    }
    if (e.steps.empty()) {
      e.steps.push_back(
          {"membership", false, "No membership in this company", "no_membership", {}});
    }
    auto staff_role = access->role.substr(6);
    e.steps.push_back({"staff",
                       true,
                       "Staff role '" + staff_role + "' of the company's organization" +
                           (access->company.managed ? "" : " (independent company: views only)"),
                       access->company.managed ? "staff_role" : "staff_role_independent",
                       {{"role", staff_role}}});
  }
  if (repo_.loginDisabled(subject)) {
    e.steps.push_back(
        {"login", false, "The login is disabled: it reaches nothing", "login_disabled", {}});
    return e;
  }
  e.sees_company = true;
  if (access->basis == Basis::Membership) {
    bool custom = access->role == "custom";
    e.steps.push_back(
        {"role",
         true,
         custom ? "Chosen permissions: " + access->permissions.serialize()
                : "Role preset '" + access->role + "'",
         custom ? "chosen_permissions" : "role_preset",
         {custom ? std::pair{std::string("permissions"), access->permissions.serialize()}
                 : std::pair{std::string("role"), access->role}}});
  }
  bool allowed = true;
  if (permission) {
    bool holds = access->can(*permission);
    std::string name(permissionName(*permission));
    e.steps.push_back(
        {"permission",
         holds,
         std::string(holds ? "Holds" : "Does not hold") + " the permission '" + name + "'",
         holds ? "holds" : "lacks",
         {{"permission", name}}});
    allowed = holds;
  }
  if (access->own_records_only) {
    e.steps.push_back({"visibility",
                       true,
                       "Sees only their own records (the cases they opened or follow), not the "
                       "company's",
                       "own_records",
                       {}});
  }
  if (access->all_sites) {
    e.steps.push_back({"sites", true, "Sees every site of the company", "all_sites", {}});
  } else {
    std::string from = access->sites_from_contacts
                           ? " (from the site contacts the login is linked to)"
                           : " (set on the membership)";
    bool sees = !site || access->seesSite(*site);
    e.steps.push_back({"sites",
                       sees,
                       "Sees only the sites " + sitesText(access->sites) + from,
                       access->sites_from_contacts ? "some_sites_contacts" : "some_sites",
                       {{"sites", sitesText(access->sites)}}});
    allowed = allowed && sees;
  }
  e.allowed = allowed;
  e.access = std::move(access);
  return e;
}

}  // namespace portico::access
