#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "access/access_repository.h"
#include "access/company.h"
#include "core/clock.h"
#include "identity/user.h"

namespace portico::access {

// What the staff console lets a staff role do. Each console route names one.
enum class StaffCapability {
  Customers,    // customers, their sites and contacts, departments of a customer
  Users,        // invitations and users of customers, disabling logins
  Agents,       // agents and their allocations
  Personnel,    // personnel records
  Licences,     // the organization's licence limit
  Audit,        // the organization's audit log
  Departments,  // the organization's departments and their administrators
  Roles,        // the organization's own roles: a change applies in every customer company
  Deliveries,   // the organization's mail and its delivery: status, last error, retry
  Integration,  // the organization's webhook endpoints and their deliveries
  // The support inbox: the cases of the customers the staff member reaches (a department
  // administrator: their departments'), replies, internal notes, assignment.
  Support,
  // The support inbox's templates (canned replies, case templates): writing and sharing them.
  // Those of the inbox use them; content creators write them too.
  Templates,
  // The organization's support settings: working calendar, service-level targets, support
  // address. Administrators only.
  SupportSettings,
  // What the organization's documents print about it: letterhead, logo, payment details.
  // Administrators only.
  DocumentSettings,
  // The organization's security settings (step-up before sensitive actions). Administrators only.
  Security,
};
std::string_view capabilityName(StaffCapability capability);

// One step of an explanation of access: what was checked, whether it passed, and the detail:
// in English, and as a reason (a message key: "member_of", "role_preset", …) with its arguments
// ("company", "role", "permission", "sites", …) that the pages translate.
struct ExplainStep {
  std::string check;  // "login", "membership", "agent", "staff", "role", "permission", "sites"
  bool passed = false;
  std::string detail;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> args;
};

// Why a user may or may not do something in a company.
struct Explanation {
  bool sees_company = false;
  bool allowed = false;  // sees the company, holds the permission and (if asked) sees the site
  std::optional<CompanyAccess> access;
  std::vector<ExplainStep> steps;
};

// Which records of a kind a list may show a caller, as the policy decides it, in the shape the
// SQL needs (storage::ListSql::customerScope): a customer's scope is the union of its four lists
// (each may be empty); staff see an organization's records, or only those of some departments'
// companies.
struct RecordScope {
  std::vector<std::int64_t> companies;      // every record of these companies
  std::vector<std::int64_t> sites;          // every record at these sites
  std::vector<std::int64_t> own_companies;  // the caller's own records in these companies
  std::vector<std::int64_t> own_sites;      // … and at these sites
  std::optional<core::OrgId> org;           // staff: every record of the organization …
  std::optional<std::vector<std::int64_t>> departments;  // … in these departments' companies
};
// What a membership that sees only its own records (CompanyAccess::own_records_only) sees of a
// kind: its own records (those it placed, requested or opened), or none of that kind at all
// (records that are the company's and nobody's own: devices, visits).
enum class OwnRecords { Own, None };

// The one authorization policy: what a principal may see and do in which company, and what a
// staff member may do in the console. Every handler that touches a company's records asks it.
// Thread-safe. A user's memberships are cached per thread and checked against the access
// version read with the session, so a removed membership fails on the caller's very next request.
// Access to a company comes from (the first that applies):
// - a membership: its role preset or chosen permissions, and its site scope (explicit, else
//   derived from linked contacts: a company contact sees every site, site contacts only theirs);
// - an agent allocation: the read-only permissions in the customers allocated to the caller's
//   agent, until the allocation ends;
// - a staff role, only inside the staff member's own organization:
//   admin: every company; in an independent company only the *.view permissions (its users are
//     administered by its own administrators alone);
//   department_admin: the same, but only for the companies of their departments;
//   content_creator: company.profile, contacts.manage, users.manage and the *.view permissions
//     in managed companies; views only in independent ones;
//   support: support.open and the *.view permissions;
//   personnel: no customer access (they see the jobs assigned to them).
// The role of staff access is "staff:<role>", of agent access "agent".
class Policy {
 public:
  Policy(AccessRepository& repo, const core::Clock& clock);

  // The companies the principal is a member of or an agent for, by name.
  std::vector<CompanyAccess> memberships(const identity::Principal& p);
  // One page of every company the principal may see: memberships, then the companies their
  // staff role reaches (each company once; a membership wins), `limit` from `offset`; `more`
  // tells whether another page follows.
  // Staff companies are paged in the database, so an organization's thousands of customers
  // cost no more than one page.
  std::vector<CompanyAccess> companies(const identity::Principal& p, std::size_t offset,
                                       std::size_t limit, bool* more);
  // The principal's access to `company`; nullopt if it may not see the company at all, which
  // callers answer with 404 (never 403: ids leak nothing).
  std::optional<CompanyAccess> company(const identity::Principal& p, core::CompanyId company);

  // The principal's staff standing, if they are staff (of their first organization).
  std::optional<StaffRole> staff(const identity::Principal& p);
  static bool staffMay(const StaffRole& staff, StaffCapability capability);
  // True if the staff role reads the records (the *.view permissions) of the customers it
  // reaches: every role but personnel.
  static bool staffSeesRecords(const StaffRole& staff);
  // The records of the kind that `view` guards which a list may show the caller: staff who read
  // records, their organization's (a department administrator's: their departments'); anyone
  // else those of the companies and sites where they hold `view`, as `own` says for memberships
  // that see only their own records. Narrowed to `company` when given: nullopt if the caller does
  // not hold `view` there (callers answer 404).
  std::optional<RecordScope> recordScope(const identity::Principal& p, Permission view,
                                         std::optional<core::CompanyId> company, OwnRecords own);
  // The caller's access to a record of the kind that `view` guards, of `company`, at `site`
  // (none: at no site), placed by `owner`, if the caller may see it: `view` there, and unless
  // staff the site in scope (a record at no site: for those who see every site) and, for a
  // membership that sees only its own records, as `own` says. nullopt otherwise (404).
  std::optional<CompanyAccess> recordAccess(const identity::Principal& p, Permission view,
                                            core::CompanyId company,
                                            std::optional<std::int64_t> site,
                                            std::optional<core::UserId> owner, OwnRecords own);
  // True if the staff member reaches `company` in the console: same organization, and for a
  // department administrator one of their departments.
  static bool staffReaches(const StaffRole& staff, const Company& company);

  // Why `subject` may or may not hold `permission` (and see `site`) in `company`. Reads fresh
  // data (no cache). REQUIRES: the caller was allowed to ask (users.manage there, or staff), and
  // `site`, if given, is a site of `company` (explainTo() checks it).
  Explanation explain(core::UserId subject, core::CompanyId company,
                      std::optional<Permission> permission, std::optional<std::int64_t> site);
  // explain() asked by `caller` about its company, as the explain API and page ask it: NotFound
  // if `site` is not a site of the company that the caller sees, or if the caller sees only some
  // sites and `subject` is no member that it may see (seesMember). REQUIRES: the caller manages
  // users in the company.
  core::Result<Explanation> explainTo(const CompanyAccess& caller, core::UserId subject,
                                      std::optional<Permission> permission,
                                      std::optional<std::int64_t> site);

  // True if `caller` may see (list, explain) a member who sees every site (`all_sites`) or
  // `sites`, that is, the member's actual scope: a caller who sees every site sees every member;
  // one who sees only some sites sees the members who see one of those sites, but none who sees
  // every site (such a member reaches beyond the caller).
  static bool seesMember(const CompanyAccess& caller, bool all_sites,
                         const std::vector<std::int64_t>& sites);
  // True if `caller` may act on a member who holds `permissions`: change their rights, remove
  // them, or change the contacts that set their site scope. Staff may; anyone else only on a
  // member who does not outrank them (every permission the member holds, the caller holds too).
  static bool mayActOnMember(const CompanyAccess& caller, const PermissionSet& permissions);

 private:
  // What a staff role grants in `company`, if anything.
  static std::optional<CompanyAccess> staffAccess(const StaffRole& staff, const Company& company);
  std::optional<CompanyAccess> staffAccessTo(core::UserId user, core::CompanyId company);
  bool live(const CompanyAccess& a) const;

  AccessRepository& repo_;
  const core::Clock& clock_;
  std::uint64_t instance_;  // keys this policy's entries in the per-thread cache
};

}  // namespace portico::access
