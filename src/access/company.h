#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/permissions.h"
#include "core/ids.h"

namespace portico::access {

struct Company {
  core::CompanyId id;
  core::OrgId org_id;
  std::optional<std::string> external_id;
  std::string name;
  std::string org_number;
  bool managed = true;  // false: independent, administered only by its own administrators
  std::optional<std::int64_t> department_id;
  std::optional<std::int64_t> agent_id;     // the agent allocated to this customer, if any
  std::optional<std::int64_t> agent_until;  // the end of the agent's allocation, if it has one
};

// Where a caller's access to a company comes from.
enum class Basis {
  Membership,  // a membership: a role preset or chosen permissions
  Agent,       // the company is allocated to an agent the caller works for: read-only
  Staff,       // a staff role of the company's organization
};

// What a caller may do in one company, and why: the basis, the role and permissions and the
// site scope.
struct CompanyAccess {
  Company company;
  Basis basis = Basis::Membership;
  std::string role;  // a preset id, "custom", "agent", or "staff:<role>"
  PermissionSet permissions;
  bool all_sites = true;
  std::vector<std::int64_t> sites;  // when !all_sites
  // The site scope comes from the contacts the login is linked to, not from the membership.
  bool sites_from_contacts = false;
  std::string agent_name;  // Basis::Agent: the agent the caller works for
  // The membership sees only the caller's own records (the cases they opened or follow), not
  // the company's: set by the company's administrators.
  bool own_records_only = false;

  bool can(Permission p) const { return permissions.has(p); }
  bool seesSite(std::int64_t site) const;
};

// A member of a company, as its administrators see it.
struct Member {
  core::UserId user_id;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string role;
  PermissionSet permissions;
  bool all_sites = true;  // the membership's site scope, as set on it
  std::vector<std::int64_t> sites;
  // The sites the member actually sees, as for CompanyAccess: the membership's scope, narrowed
  // (when that is every site) by the contacts the login is linked to.
  bool sees_all_sites = true;
  std::vector<std::int64_t> seen_sites;  // when !sees_all_sites
  std::optional<std::int64_t> last_login_at;
  bool has_second_factor = false;
  std::optional<std::string> invited_by;  // the inviter's e-mail
  bool disabled = false;                  // the login is disabled
  bool own_records_only = false;          // sees only their own records (cases), not the company's
};

// The agent allocated to a company, as the company's administrators see it: who may read the
// company's records on the agent's behalf, with what, and until when.
struct AgentAllocation {
  std::string name;
  std::optional<std::int64_t> until;  // the allocation's end, if it has one
  bool active = true;                 // false once `until` has passed
  PermissionSet permissions;          // read-only: the "read_only" preset
  std::vector<std::string> logins;    // the e-mails of the people working for the agent
};

// A staff member's standing in their organization.
struct StaffRole {
  core::OrgId org_id;
  std::string role;                       // admin, department_admin, content_creator, ...
  std::vector<std::int64_t> departments;  // department_admin: the departments they administer
};

// A change of a membership's rights: a role preset, or chosen permissions, and/or the sites.
struct RightsChange {
  std::optional<std::string> role;
  std::optional<PermissionSet> permissions;
  std::optional<bool> all_sites;
  std::vector<std::int64_t> sites;  // when all_sites == false
  // The company's records, or only the member's own (the cases they opened or follow).
  std::optional<bool> own_records_only;
};

// An upsert from the integration API.
struct CompanyUpsert {
  std::string external_id;
  std::string name;
  std::string org_number;
  std::optional<bool> managed;
  std::optional<std::string> currency;  // what it buys in (the store); left out: kept
};

}  // namespace portico::access
