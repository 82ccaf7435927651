#pragma once

#include <optional>
#include <string>
#include <vector>

#include "access/company.h"
#include "console/console.h"
#include "storage/db.h"

namespace portico::console {

// Storage behind the staff console. Plain data access; joins the calling thread's transaction.
class ConsoleRepository {
 public:
  explicit ConsoleRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  // Customers of the organization matching `search` (name or external id, empty: all), only
  // those of `departments` when given, by name.
  std::vector<access::Company> customers(
      core::OrgId org, const std::string& search,
      const std::optional<std::vector<std::int64_t>>& departments, std::size_t offset,
      std::size_t limit);
  std::int64_t insertCustomer(core::OrgId org, const access::Company& c, std::int64_t now);
  void updateCustomer(const access::Company& c, std::int64_t now);
  bool externalIdTaken(core::OrgId org, const std::string& external_id, std::int64_t except);
  void setAgent(core::CompanyId company, std::optional<std::int64_t> agent,
                std::optional<std::int64_t> until, std::int64_t now);

  std::vector<Department> departments(core::OrgId org);
  bool departmentOf(core::OrgId org, std::int64_t department);
  std::optional<std::int64_t> insertDepartment(core::OrgId org, const std::string& name);
  // Replaces the user's departments of the organization `org` (other organizations' stay).
  void setStaffDepartments(core::OrgId org, core::UserId user,
                           const std::vector<std::int64_t>& departments);
  std::optional<std::string> staffRole(core::OrgId org, core::UserId user);
  // The organization's staff with the department_admin role, by e-mail, with their departments.
  std::vector<DepartmentAdmin> departmentAdmins(core::OrgId org);

  std::vector<Agent> agents(core::OrgId org);
  std::optional<Agent> agent(core::OrgId org, std::int64_t id);
  std::optional<std::int64_t> insertAgent(core::OrgId org, const std::string& name,
                                          std::int64_t now);

  std::vector<PersonnelRecord> personnel(core::OrgId org);
  std::int64_t insertPersonnel(core::OrgId org, const PersonnelRecord& p, std::int64_t now);
  bool deletePersonnel(core::OrgId org, std::int64_t id);
  bool personnelLinked(core::OrgId org, core::UserId user);

  // Logins with a membership in the organization's companies, acting for one of its agents, or
  // its staff; by e-mail. With `departments`, only logins with a membership in a company of those
  // departments.
  std::vector<Login> logins(core::OrgId org, const std::string& search,
                            const std::optional<std::vector<std::int64_t>>& departments,
                            std::size_t offset, std::size_t limit);
  std::optional<Login> login(core::OrgId org, core::UserId user);
  // True if the login has memberships in another organization's companies or is staff there.
  bool belongsElsewhere(core::OrgId org, core::UserId user);
  std::optional<core::UserId> userByEmail(const std::string& lower_email);

  void setLoginLimit(core::OrgId org, std::optional<int> limit);

 private:
  void loadAgent(Agent& agent);  // its logins and customers
  storage::Db& db_;
};

}  // namespace portico::console
