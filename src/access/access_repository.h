#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "access/company.h"
#include "core/result.h"
#include "storage/db.h"

namespace portico::access {

struct ApiKey {
  std::int64_t id = 0;
  core::OrgId org_id;
  std::string name;
};

// The columns of a company row over "companies c" ("c.id, c.org_id, …"), and reading them from
// the first columns of a result row: for every query that returns companies.
std::string_view companyColumns();
Company readCompany(storage::Query& q);

// Storage of companies, memberships and API keys. Plain data access; the rules live in Policy
// and the services. Joins the calling thread's open transaction.
class AccessRepository {
 public:
  explicit AccessRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  // Every membership of `user` (site scope narrowed by linked contacts), and the companies
  // allocated to the agents `user` works for, by company name; agent allocations may have
  // expired (CompanyAccess::company.agent_until), which the policy checks.
  std::vector<CompanyAccess> membershipsOf(core::UserId user);
  // Adds (or replaces) the membership.
  void putMembership(core::CompanyId company, core::UserId user, const std::string& role,
                     const PermissionSet& permissions, std::optional<core::UserId> invited_by,
                     std::int64_t now);

  // The members of `company`, by last and first name, with the membership's site scope and the
  // one they actually have (narrowed by linked contacts, as in membershipsOf()).
  std::vector<Member> members(core::CompanyId company);
  // True if `user` is a member of `company`.
  bool isMember(core::CompanyId company, core::UserId user);
  // True if the login with that (lower-case) e-mail is a member of `company`.
  bool isMemberByEmail(core::CompanyId company, const std::string& email);
  // Sets role, permissions and site scope of an existing membership; false if there is none.
  bool setRights(core::CompanyId company, core::UserId user, const std::string& role,
                 const PermissionSet& permissions, bool all_sites,
                 const std::vector<std::int64_t>& sites);
  // Whether the membership sees only the member's own records, or the company's.
  void setVisibility(core::CompanyId company, core::UserId user, bool own_records_only);
  // Deletes the membership; false if there was none.
  bool deleteMembership(core::CompanyId company, core::UserId user);
  // True if every id is a site of `company`.
  bool sitesBelongTo(core::CompanyId company, const std::vector<std::int64_t>& sites);

  // The staff roles of `user`, with the departments of a department administrator.
  std::vector<StaffRole> staffRoles(core::UserId user);
  // A page of the companies a staff member reaches (their organization's, a department
  // administrator's departments'), by name, leaving out those `user` is a member of or an agent
  // for (memberships come first in a listing).
  std::vector<Company> staffCompaniesPage(core::UserId user, const StaffRole& staff,
                                          std::size_t offset, std::size_t limit);
  // The permissions of a role: a built-in preset, else a role the organization defined.
  std::optional<PermissionSet> rolePermissions(core::OrgId org, const std::string& role);
  // The roles the organization defined: (key, name, permissions), by name.
  std::vector<std::tuple<std::string, std::string, PermissionSet>> orgRoles(core::OrgId org);
  // Adds a role; false if the key is taken.
  bool insertOrgRole(core::OrgId org, const std::string& key, const std::string& name,
                     const PermissionSet& permissions, std::int64_t now);
  // Changes a role's name and permissions and rewrites the copies in its memberships; false if
  // there is no such role.
  bool updateOrgRole(core::OrgId org, const std::string& key, const std::string& name,
                     const PermissionSet& permissions);
  // The name of an agent and the e-mails of its logins, by e-mail; nullopt if there is none.
  std::optional<std::pair<std::string, std::vector<std::string>>> agentWithLogins(
      std::int64_t agent);
  // True if the login is disabled.
  bool loginDisabled(core::UserId user);

  std::optional<Company> findCompany(core::CompanyId id);
  std::optional<Company> findCompanyByExternalId(core::OrgId org, const std::string& external_id);
  // Inserts or updates by (org, external id); `.second` is true when inserted.
  std::pair<Company, bool> upsertCompany(core::OrgId org, const CompanyUpsert& upsert,
                                         std::int64_t now);

  void insertApiKey(core::OrgId org, const std::string& name, const std::string& key_hash,
                    std::int64_t now);
  // The live (not revoked) key with that hash.
  std::optional<ApiKey> findApiKey(const std::string& key_hash);
  void touchApiKey(std::int64_t id, std::int64_t now);

 private:
  storage::Db& db_;
};

}  // namespace portico::access
