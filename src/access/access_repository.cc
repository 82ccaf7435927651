#include "access/access_repository.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace portico::access {
namespace {

using storage::Query;

#define COMPANY_COLUMNS                                                                          \
  "c.id, c.org_id, c.external_id, c.name, c.org_number, c.managed, c.department_id, c.agent_id," \
  " c.agent_until"
constexpr int kCompanyColumns = 9;

constexpr std::string_view kMembershipsOf =
    "SELECT " COMPANY_COLUMNS
    ", m.role, m.permissions, m.all_sites, m.id, m.visibility"
    " FROM memberships m JOIN companies c ON c.id = m.company_id"
    " WHERE m.user_id = ? ORDER BY c.name, c.id";
// Companies allocated to an agent the user works for (read-only access).
constexpr std::string_view kAgentCompaniesOf =
    "SELECT " COMPANY_COLUMNS
    ", a.name FROM agent_users au JOIN agents a ON a.id = au.agent_id"
    " JOIN companies c ON c.agent_id = a.id AND c.org_id = a.org_id WHERE au.user_id = ?"
    " ORDER BY c.name, c.id";
// The contacts a login is linked to: (company, site or NULL for a company contact).
constexpr std::string_view kLinkedContacts =
    "SELECT company_id, site_id FROM contacts WHERE user_id = ? ORDER BY company_id, site_id";
// The contacts of a company linked to logins: (login, site or NULL for a company contact).
constexpr std::string_view kCompanyLinkedContacts =
    "SELECT user_id, site_id FROM contacts WHERE company_id = ? AND user_id IS NOT NULL"
    " ORDER BY user_id, site_id";
constexpr std::string_view kMembershipSites =
    "SELECT site_id FROM membership_sites WHERE membership_id = ? ORDER BY site_id";
constexpr std::string_view kPutMembership =
    "INSERT INTO memberships (company_id, user_id, role, permissions, all_sites, invited_by,"
    " created_at) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (user_id, company_id) DO UPDATE SET"
    " role = excluded.role, permissions = excluded.permissions";
constexpr std::string_view kMembers =
    "SELECT u.id, u.email, u.first_name, u.last_name, m.role, m.permissions, m.all_sites, m.id,"
    " u.last_login_at, (u.totp_secret IS NOT NULL OR u.sms_phone IS NOT NULL), i.email,"
    " u.status = 'disabled', m.visibility"
    " FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN users i ON i.id = m.invited_by"
    " WHERE m.company_id = ? ORDER BY u.last_name, u.first_name, u.id";
constexpr std::string_view kSetVisibility =
    "UPDATE memberships SET visibility = ? WHERE company_id = ? AND user_id = ?";
constexpr std::string_view kSetRights =
    "UPDATE memberships SET role = ?, permissions = ?, all_sites = ? WHERE company_id = ?"
    " AND user_id = ?";
constexpr std::string_view kMembershipId =
    "SELECT id FROM memberships WHERE company_id = ? AND user_id = ?";
constexpr std::string_view kMemberByEmail =
    "SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.company_id = ?"
    " AND u.email = ?";
constexpr std::string_view kClearSites = "DELETE FROM membership_sites WHERE membership_id = ?";
constexpr std::string_view kAddSite =
    "INSERT INTO membership_sites (membership_id, site_id, company_id)"
    " SELECT id, ?, company_id FROM memberships WHERE id = ?";
constexpr std::string_view kDeleteMembership =
    "DELETE FROM memberships WHERE company_id = ? AND user_id = ?";
constexpr std::string_view kSiteOfCompany = "SELECT 1 FROM sites WHERE id = ? AND company_id = ?";
constexpr std::string_view kStaffRoles =
    "SELECT org_id, role FROM staff_members WHERE user_id = ? ORDER BY org_id";
constexpr std::string_view kStaffDepartments =
    "SELECT sd.department_id FROM staff_departments sd JOIN departments d"
    " ON d.id = sd.department_id WHERE sd.user_id = ? AND d.org_id = ? ORDER BY 1";
constexpr std::string_view kFindCompany =
    "SELECT " COMPANY_COLUMNS " FROM companies c WHERE c.id = ?";
constexpr std::string_view kFindCompanyByExternal =
    "SELECT " COMPANY_COLUMNS " FROM companies c WHERE c.org_id = ? AND c.external_id = ?";
constexpr std::string_view kInsertCompany =
    "INSERT INTO companies (org_id, external_id, name, org_number, managed, created_at,"
    " updated_at, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdateCompany =
    "UPDATE companies SET name = ?, org_number = ?, managed = ?, updated_at = ?,"
    " currency = COALESCE(?, currency) WHERE id = ?";
constexpr std::string_view kInsertApiKey =
    "INSERT INTO api_keys (org_id, name, key_hash, created_at) VALUES (?, ?, ?, ?)";
constexpr std::string_view kFindApiKey =
    "SELECT id, org_id, name FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL";
constexpr std::string_view kTouchApiKey = "UPDATE api_keys SET last_used_at = ? WHERE id = ?";

// The sites that linked contacts leave to a membership of every site, by login: a company
// contact keeps every site (no entry), site contacts alone give only their sites.
class ContactScopes {
 public:
  void add(std::int64_t key, std::optional<std::int64_t> site) {
    if (site) {
      sites_[key].push_back(*site);
    } else {
      whole_.insert(key);
    }
  }
  // The sites of `key`'s site contacts, if only those narrow it.
  const std::vector<std::int64_t>* narrowed(std::int64_t key) const {
    auto it = sites_.find(key);
    return it == sites_.end() || whole_.count(key) ? nullptr : &it->second;
  }

 private:
  std::map<std::int64_t, std::vector<std::int64_t>> sites_;
  std::set<std::int64_t> whole_;
};

CompanyAccess readAccess(Query& q, std::int64_t* membership_id) {
  CompanyAccess a;
  a.company = readCompany(q);
  constexpr int k = kCompanyColumns;
  a.role = q.getText(k);
  auto preset = presetPermissions(a.role);
  a.permissions = preset ? *preset : PermissionSet::parse(q.getText(k + 1));
  a.all_sites = q.getInt(k + 2) != 0;
  *membership_id = q.getInt(k + 3);
  a.own_records_only = q.getText(k + 4) == "own";
  return a;
}

}  // namespace

std::string_view companyColumns() { return COMPANY_COLUMNS; }

Company readCompany(storage::Query& q) {
  return Company{core::CompanyId{q.getInt(0)},
                 core::OrgId{q.getInt(1)},
                 q.getOptText(2),
                 q.getText(3),
                 q.getText(4),
                 q.getInt(5) != 0,
                 q.getOptInt(6),
                 q.getOptInt(7),
                 q.getOptInt(8)};
}

std::vector<CompanyAccess> AccessRepository::membershipsOf(core::UserId user) {
  std::vector<std::pair<CompanyAccess, std::int64_t>> rows;
  {
    Query q(conn(), kMembershipsOf);
    q.bind(user.value);
    while (q.next()) {
      std::int64_t mid = 0;
      auto a = readAccess(q, &mid);
      rows.emplace_back(std::move(a), mid);
    }
  }
  // Linked contacts narrow a membership without an explicit site scope.
  ContactScopes contact_sites;  // by company
  {
    Query q(conn(), kLinkedContacts);
    q.bind(user.value);
    while (q.next()) contact_sites.add(q.getInt(0), q.getOptInt(1));
  }
  std::vector<CompanyAccess> out;
  out.reserve(rows.size());
  std::set<std::int64_t> seen;
  for (auto& [a, mid] : rows) {
    if (!a.all_sites) {
      Query s(conn(), kMembershipSites);
      s.bind(mid);
      while (s.next()) a.sites.push_back(s.getInt(0));
    } else if (auto narrowed = contact_sites.narrowed(a.company.id.value)) {
      a.all_sites = false;
      a.sites = *narrowed;
      a.sites_from_contacts = true;
    }
    seen.insert(a.company.id.value);
    out.push_back(std::move(a));
  }
  {
    Query q(conn(), kAgentCompaniesOf);
    q.bind(user.value);
    while (q.next()) {
      CompanyAccess a;
      a.company = readCompany(q);
      if (!seen.insert(a.company.id.value).second) continue;  // a membership wins
      a.basis = Basis::Agent;
      a.role = "agent";
      a.permissions = *presetPermissions("read_only");
      a.agent_name = q.getText(kCompanyColumns);
      out.push_back(std::move(a));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const CompanyAccess& x, const CompanyAccess& y) {
    return std::tie(x.company.name, x.company.id.value) <
           std::tie(y.company.name, y.company.id.value);
  });
  return out;
}

void AccessRepository::putMembership(core::CompanyId company, core::UserId user,
                                     const std::string& role, const PermissionSet& permissions,
                                     std::optional<core::UserId> invited_by, std::int64_t now) {
  std::optional<std::int64_t> inviter;
  if (invited_by) inviter = invited_by->value;
  Query(conn(), kPutMembership)
      .bind(company.value, user.value, role, permissions.serialize(), inviter, now)
      .run();
}

std::vector<Member> AccessRepository::members(core::CompanyId company) {
  std::vector<std::pair<Member, std::int64_t>> rows;
  {
    Query q(conn(), kMembers);
    q.bind(company.value);
    while (q.next()) {
      Member m;
      m.user_id = core::UserId{q.getInt(0)};
      m.email = q.getText(1);
      m.first_name = q.getText(2);
      m.last_name = q.getText(3);
      m.role = q.getText(4);
      auto preset = presetPermissions(m.role);
      m.permissions = preset ? *preset : PermissionSet::parse(q.getText(5));
      m.all_sites = q.getInt(6) != 0;
      m.last_login_at = q.getOptInt(8);
      m.has_second_factor = q.getInt(9) != 0;
      m.invited_by = q.getOptText(10);
      m.disabled = q.getInt(11) != 0;
      m.own_records_only = q.getText(12) == "own";
      rows.emplace_back(std::move(m), q.getInt(7));
    }
  }
  ContactScopes contact_sites;  // by login, as membershipsOf() narrows
  {
    Query q(conn(), kCompanyLinkedContacts);
    q.bind(company.value);
    while (q.next()) contact_sites.add(q.getInt(0), q.getOptInt(1));
  }
  std::vector<Member> out;
  for (auto& [m, mid] : rows) {
    if (!m.all_sites) {
      Query s(conn(), kMembershipSites);
      s.bind(mid);
      while (s.next()) m.sites.push_back(s.getInt(0));
    }
    m.sees_all_sites = m.all_sites;
    m.seen_sites = m.sites;
    if (auto narrowed = m.all_sites ? contact_sites.narrowed(m.user_id.value) : nullptr) {
      m.sees_all_sites = false;
      m.seen_sites = *narrowed;
    }
    out.push_back(std::move(m));
  }
  return out;
}

bool AccessRepository::isMember(core::CompanyId company, core::UserId user) {
  Query q(conn(), kMembershipId);
  q.bind(company.value, user.value);
  return q.next();
}

bool AccessRepository::isMemberByEmail(core::CompanyId company, const std::string& email) {
  Query q(conn(), kMemberByEmail);
  q.bind(company.value, email);
  return q.next();
}

void AccessRepository::setVisibility(core::CompanyId company, core::UserId user,
                                     bool own_records_only) {
  Query(conn(), kSetVisibility)
      .bind(own_records_only ? "own" : "company", company.value, user.value)
      .run();
}

bool AccessRepository::setRights(core::CompanyId company, core::UserId user,
                                 const std::string& role, const PermissionSet& permissions,
                                 bool all_sites, const std::vector<std::int64_t>& sites) {
  std::int64_t mid = 0;
  {
    Query q(conn(), kMembershipId);
    q.bind(company.value, user.value);
    if (!q.next()) return false;
    mid = q.getInt(0);
  }
  Query(conn(), kSetRights)
      .bind(role, permissions.serialize(), all_sites, company.value, user.value)
      .run();
  Query(conn(), kClearSites).bind(mid).run();
  if (!all_sites) {
    for (auto site : sites) Query(conn(), kAddSite).bind(site, mid).run();
  }
  return true;
}

bool AccessRepository::deleteMembership(core::CompanyId company, core::UserId user) {
  Query(conn(), kDeleteMembership).bind(company.value, user.value).run();
  return conn().changes() == 1;
}

bool AccessRepository::sitesBelongTo(core::CompanyId company,
                                     const std::vector<std::int64_t>& sites) {
  for (auto site : sites) {
    Query q(conn(), kSiteOfCompany);
    q.bind(site, company.value);
    if (!q.next()) return false;
  }
  return true;
}

std::vector<StaffRole> AccessRepository::staffRoles(core::UserId user) {
  std::vector<StaffRole> out;
  {
    Query q(conn(), kStaffRoles);
    q.bind(user.value);
    while (q.next()) out.push_back({core::OrgId{q.getInt(0)}, q.getText(1), {}});
  }
  for (auto& r : out) {
    if (r.role != "department_admin") continue;
    Query q(conn(), kStaffDepartments);
    q.bind(user.value, r.org_id.value);
    while (q.next()) r.departments.push_back(q.getInt(0));
  }
  return out;
}

std::vector<Company> AccessRepository::staffCompaniesPage(core::UserId user, const StaffRole& staff,
                                                          std::size_t offset, std::size_t limit) {
  Query q(
      conn(),
      "SELECT " COMPANY_COLUMNS
      " FROM companies c WHERE c.org_id = ?"
      " AND (? = 0 OR c.department_id IN (SELECT department_id FROM staff_departments"
      " WHERE user_id = ?))"
      " AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = ? AND m.company_id = c.id)"
      " AND (c.agent_id IS NULL OR NOT EXISTS (SELECT 1 FROM agent_users au"
      " WHERE au.user_id = ? AND au.agent_id = c.agent_id))"
      " ORDER BY c.name, c.id LIMIT ? OFFSET ?");
  q.bind(staff.org_id.value, staff.role == "department_admin", user.value, user.value, user.value,
         static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset));
  std::vector<Company> out;
  while (q.next()) out.push_back(readCompany(q));
  return out;
}

std::optional<PermissionSet> AccessRepository::rolePermissions(core::OrgId org,
                                                               const std::string& role) {
  if (auto preset = presetPermissions(role)) return preset;
  Query q(conn(), "SELECT permissions FROM org_roles WHERE org_id = ? AND key = ?");
  q.bind(org.value, role);
  if (!q.next()) return std::nullopt;
  return PermissionSet::parse(q.getText(0));
}

std::optional<std::pair<std::string, std::vector<std::string>>> AccessRepository::agentWithLogins(
    std::int64_t agent) {
  Query a(conn(), "SELECT name FROM agents WHERE id = ?");
  a.bind(agent);
  if (!a.next()) return std::nullopt;
  std::pair<std::string, std::vector<std::string>> out{a.getText(0), {}};
  Query u(conn(),
          "SELECT u.email FROM agent_users au JOIN users u ON u.id = au.user_id"
          " WHERE au.agent_id = ? ORDER BY u.email");
  u.bind(agent);
  while (u.next()) out.second.push_back(u.getText(0));
  return out;
}

std::vector<std::tuple<std::string, std::string, PermissionSet>> AccessRepository::orgRoles(
    core::OrgId org) {
  Query q(conn(), "SELECT key, name, permissions FROM org_roles WHERE org_id = ? ORDER BY name");
  q.bind(org.value);
  std::vector<std::tuple<std::string, std::string, PermissionSet>> out;
  while (q.next()) out.emplace_back(q.getText(0), q.getText(1), PermissionSet::parse(q.getText(2)));
  return out;
}

bool AccessRepository::insertOrgRole(core::OrgId org, const std::string& key,
                                     const std::string& name, const PermissionSet& permissions,
                                     std::int64_t now) {
  Query(conn(),
        "INSERT INTO org_roles (org_id, key, name, permissions, created_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING")
      .bind(org.value, key, name, permissions.serialize(), now)
      .run();
  return conn().changes() == 1;
}

bool AccessRepository::updateOrgRole(core::OrgId org, const std::string& key,
                                     const std::string& name, const PermissionSet& permissions) {
  Query(conn(), "UPDATE org_roles SET name = ?, permissions = ? WHERE org_id = ? AND key = ?")
      .bind(name, permissions.serialize(), org.value, key)
      .run();
  if (conn().changes() != 1) return false;
  Query(conn(),
        "UPDATE memberships SET permissions = ? WHERE role = ? AND company_id IN (SELECT id FROM"
        " companies WHERE org_id = ?)")
      .bind(permissions.serialize(), key, org.value)
      .run();
  Query(conn(),
        "UPDATE invitation_companies SET permissions = ? WHERE role = ? AND company_id IN (SELECT"
        " id FROM companies WHERE org_id = ?)")
      .bind(permissions.serialize(), key, org.value)
      .run();
  return true;
}

bool AccessRepository::loginDisabled(core::UserId user) {
  Query q(conn(), "SELECT status = 'disabled' FROM users WHERE id = ?");
  q.bind(user.value);
  return q.next() && q.getInt(0) != 0;
}

std::optional<Company> AccessRepository::findCompany(core::CompanyId id) {
  Query q(conn(), kFindCompany);
  q.bind(id.value);
  if (!q.next()) return std::nullopt;
  return readCompany(q);
}

std::optional<Company> AccessRepository::findCompanyByExternalId(core::OrgId org,
                                                                 const std::string& external_id) {
  Query q(conn(), kFindCompanyByExternal);
  q.bind(org.value, external_id);
  if (!q.next()) return std::nullopt;
  return readCompany(q);
}

std::pair<Company, bool> AccessRepository::upsertCompany(core::OrgId org, const CompanyUpsert& u,
                                                         std::int64_t now) {
  if (auto existing = findCompanyByExternalId(org, u.external_id)) {
    bool managed = u.managed.value_or(existing->managed);
    Query(conn(), kUpdateCompany)
        .bind(u.name, u.org_number, managed, now, u.currency, existing->id.value)
        .run();
    existing->name = u.name;
    existing->org_number = u.org_number;
    existing->managed = managed;
    return {*existing, false};
  }
  bool managed = u.managed.value_or(true);
  Query(conn(), kInsertCompany)
      .bind(org.value, u.external_id, u.name, u.org_number, managed, now, now, u.currency)
      .run();
  Company c;
  c.id = core::CompanyId{conn().lastInsertId()};
  c.org_id = org;
  c.external_id = u.external_id;
  c.name = u.name;
  c.org_number = u.org_number;
  c.managed = managed;
  return {c, true};
}

void AccessRepository::insertApiKey(core::OrgId org, const std::string& name,
                                    const std::string& key_hash, std::int64_t now) {
  Query(conn(), kInsertApiKey).bind(org.value, name, key_hash, now).run();
}

std::optional<ApiKey> AccessRepository::findApiKey(const std::string& key_hash) {
  Query q(conn(), kFindApiKey);
  q.bind(key_hash);
  if (!q.next()) return std::nullopt;
  return ApiKey{q.getInt(0), core::OrgId{q.getInt(1)}, q.getText(2)};
}

void AccessRepository::touchApiKey(std::int64_t id, std::int64_t now) {
  Query(conn(), kTouchApiKey).bind(now, id).run();
}

}  // namespace portico::access
