#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/invitation_repository.h"
#include "access/policy.h"
#include "audit/audit_log.h"
#include "console/console_repository.h"
#include "core/clock.h"
#include "core/result.h"
#include "identity/identity_service.h"

namespace portico::console {

// The staff console's use cases: customers, departments, agents and allocations, personnel,
// licences and logins of one organization. StaffRoutes checked the capability; these keep every
// read and write inside the staff member's organization (and a department administrator inside
// their departments: another department's customer answers 404). Every change is audited.
class ConsoleService {
 public:
  ConsoleService(ConsoleRepository& repo, access::AccessRepository& access,
                 access::InvitationRepository& invitations, identity::IdentityService& identity,
                 audit::AuditLog& audit, const core::Clock& clock)
      : repo_(repo),
        access_(access),
        invitations_(invitations),
        identity_(identity),
        audit_(audit),
        clock_(clock) {}

  std::vector<access::Company> customers(const access::StaffRole& staff, const std::string& search,
                                         std::size_t offset, std::size_t limit);
  core::Result<access::Company> customer(const access::StaffRole& staff, core::CompanyId id);
  // Creates (id empty) or updates a customer from name, external_id, org_number, managed,
  // department_id.
  core::Result<access::Company> saveCustomer(const access::StaffRole& staff,
                                             std::optional<core::CompanyId> id,
                                             const nlohmann::json& body, const audit::Actor& actor);
  // Allocates the customer to an agent (until a time, optional), or frees it (agent empty).
  core::Result<access::Company> allocate(const access::StaffRole& staff, core::CompanyId id,
                                         std::optional<std::int64_t> agent,
                                         std::optional<std::int64_t> until,
                                         const audit::Actor& actor);

  std::vector<Department> departments(const access::StaffRole& staff);
  core::Result<Department> createDepartment(const access::StaffRole& staff, const std::string& name,
                                            const audit::Actor& actor);
  // The staff with the department administrator role, and their departments.
  std::vector<DepartmentAdmin> departmentAdmins(const access::StaffRole& staff);
  // Sets the departments a department administrator administers (none: they reach no customer).
  // NotFound if `user` is not staff of the organization; InvalidInput if their role is not
  // department_admin or a department is not the organization's.
  // Needs a step-up of `p` (it changes what the department administrator may do).
  core::Status setDepartments(const identity::Principal& p, const access::StaffRole& staff,
                              core::UserId user, const std::vector<std::int64_t>& departments,
                              const audit::Actor& actor);

  std::vector<Agent> agents(const access::StaffRole& staff);
  core::Result<Agent> createAgent(const access::StaffRole& staff, const std::string& name,
                                  const audit::Actor& actor);
  // Adds the login with that e-mail to the agent's people (it must exist and must not be staff).
  // The name of the agent, to invite `email` into it: NotFound for another organization's agent,
  // Conflict if the e-mail has a login already (add that login instead).
  core::Result<std::string> agentToInvite(const access::StaffRole& staff, std::int64_t agent,
                                          const std::string& email);
  // Adding and removing an agent's login give and take its customers' access: a step-up of `p`
  // first (StepUpRequired, nothing changed), once the change is found allowed.
  core::Result<Agent> addAgentUser(const identity::Principal& p, const access::StaffRole& staff,
                                   std::int64_t agent, const std::string& email,
                                   const audit::Actor& actor);
  core::Status removeAgentUser(const identity::Principal& p, const access::StaffRole& staff,
                               std::int64_t agent, core::UserId user, const audit::Actor& actor);

  std::vector<PersonnelRecord> personnel(const access::StaffRole& staff);
  // name, title, phone, and optionally the e-mail of a staff login of the organization to link.
  core::Result<PersonnelRecord> createPersonnel(const access::StaffRole& staff,
                                                const nlohmann::json& body,
                                                const audit::Actor& actor);
  core::Status deletePersonnel(const access::StaffRole& staff, std::int64_t id,
                               const audit::Actor& actor);

  // The organization's own role presets.
  std::vector<OrgRole> roles(const access::StaffRole& staff);
  // One of them; NotFound if the organization has no role `key`.
  core::Result<OrgRole> role(const access::StaffRole& staff, const std::string& key);
  // Creates (`create`) or changes a role from key, name and permissions (at least one); changing
  // one rewrites the permissions of every membership that has it, so it needs a step-up of
  // `principal` (StepUpRequired). InvalidInput naming the field at fault, Conflict for a key
  // taken, NotFound for changing a role that does not exist.
  core::Result<OrgRole> saveRole(const identity::Principal& principal,
                                 const access::StaffRole& staff, bool create,
                                 const nlohmann::json& body, const audit::Actor& actor);

  Licences licences(const access::StaffRole& staff);
  // Whether the organization asks for a step-up (a second factor in the last 5 minutes) before
  // paying, accepting a quote, revealing a credential or changing someone's rights: on by
  // default. Administrators only (StaffCapability::Security). Audited (organization.step_up).
  bool stepUpRequired(const access::StaffRole& staff);
  // Turning it off needs a step-up of `p` (StepUpRequired, nothing changed).
  core::Status setStepUpRequired(const identity::Principal& p, const access::StaffRole& staff,
                                 bool on, const audit::Actor& actor);
  core::Result<Licences> setLicenceLimit(const access::StaffRole& staff, std::optional<int> limit,
                                         const audit::Actor& actor);

  std::vector<Login> logins(const access::StaffRole& staff, const std::string& search,
                            std::size_t offset, std::size_t limit);
  // Disables (ending its sessions) or enables a login of the organization. A login that belongs
  // to other organizations too, or the caller's own, is refused (409).
  core::Result<Login> setLoginEnabled(const access::StaffRole& staff, core::UserId user,
                                      bool enabled, const audit::Actor& actor);

 private:
  void record(const audit::Actor& actor, const access::StaffRole& staff, const std::string& event,
              std::optional<core::CompanyId> company, const nlohmann::json& detail,
              std::optional<core::UserId> subject = std::nullopt);

  ConsoleRepository& repo_;
  access::AccessRepository& access_;
  access::InvitationRepository& invitations_;
  identity::IdentityService& identity_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace portico::console
