#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "access/access_repository.h"
#include "access/company.h"
#include "identity/user.h"

namespace portico::access {

// The one authorization policy: what a principal may see and do in which company. Every handler
// that touches a company's records asks it. No caching: a removed membership is gone on the
// caller's very next request. Thread-safe.
// Staff act only inside their own organization:
// - admin: every company; in an independent company only the *.view permissions (its users are
//   administered by its own administrators alone).
// - content_creator: customers and invitations: company.profile, contacts.manage, users.manage
//   and the *.view permissions in managed companies; views only in independent ones.
// - support: support.view, support.open and the *.view permissions.
// - department_admin and personnel: nothing yet (departments and jobs come later).
// The role of such access is "staff:<role>".
class Policy {
 public:
  explicit Policy(AccessRepository& repo);

  // The companies the principal is a member of, by name.
  std::vector<CompanyAccess> memberships(const identity::Principal& p);
  // Every company the principal may see: memberships, then the companies their staff roles
  // reach (each company once; a membership wins).
  std::vector<CompanyAccess> companies(const identity::Principal& p);
  // The principal's access to `company`; nullopt if it may not see the company at all, which
  // callers answer with 404 (never 403: ids leak nothing).
  std::optional<CompanyAccess> company(const identity::Principal& p, core::CompanyId company);

 private:
  // What a staff role grants in `company`, if anything.
  static std::optional<CompanyAccess> staffAccess(const std::string& role, const Company& company);

  AccessRepository& repo_;
  std::uint64_t instance_;  // keys this policy's entries in the per-thread cache
};

}  // namespace portico::access
