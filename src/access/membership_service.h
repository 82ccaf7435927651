#pragma once

#include <optional>
#include <vector>

#include "access/access_repository.h"
#include "access/company.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "events/event_log.h"
#include "identity/identity_service.h"

namespace portico::access {

// Managing the members of a company: list, change rights, remove access. The caller's access
// (from CompanyRoutes, which checked users.manage) is given; these add the finer rules, for the
// API and the pages alike: nobody but staff changes or removes a member who holds a permission
// the caller does not hold, nobody grants a permission they do not hold, and a company keeps at
// least one member with an enabled login who manages users (unless staff change it). Every change
// is audited with its owner. Thread-safe.
class MembershipService {
 public:
  MembershipService(AccessRepository& repo, audit::AuditLog& audit, const core::Clock& clock)
      : repo_(repo), audit_(audit), clock_(clock) {}
  // Tells members of changes to their access (kind access.changes), if set.
  void setNotifier(identity::IdentityService* notifier) { notifier_ = notifier; }
  // Records user.rights_changed and user.removed events with the changes, if set.
  void setEvents(events::EventLog* events) { events_ = events; }
  // The step-up check of changeRights (none: no step-up asked).
  void setStepUp(identity::StepUp* step_up) { step_up_ = step_up; }

  // The members the caller may see: all of them, or for a caller who sees only some sites those
  // who see one of them (Policy::seesMember).
  std::vector<Member> members(const CompanyAccess& caller);
  // The agent allocated to the caller's company, if any (active or ended).
  std::optional<AgentAllocation> agent(const CompanyAccess& caller);
  // NotFound if `target` is not a member; InvalidInput for an unknown role, a bad permission or
  // a site of another company; Forbidden when the target holds a permission the caller does not
  // (callers who are not staff), when granting more than the caller holds or outside the caller's
  // sites; Conflict when a caller who is not staff would leave the company without a member who
  // manages users.
  // Once the change is found allowed, it needs a step-up of `p` (identity::StepUp:
  // StepUpRequired, nothing changed).
  core::Status changeRights(const identity::Principal& p, const CompanyAccess& caller,
                            core::UserId target, const RightsChange& change,
                            const audit::Actor& actor);
  // Removes the membership at once: the user's next request already fails for this company.
  // The same rules (NotFound, Forbidden, Conflict) as changeRights; removing oneself too.
  // Removing someone else needs a step-up of `p`, as changeRights does; leaving does not.
  core::Status remove(const identity::Principal& p, const CompanyAccess& caller,
                      core::UserId target, const audit::Actor& actor);
  // What remove() would answer, without removing: a page asks for confirmation only of what it
  // may do.
  core::Status mayRemove(const CompanyAccess& caller, core::UserId target);

 private:
  static bool withinSites(const CompanyAccess& caller, const Member& target, bool all_sites,
                          const std::vector<std::int64_t>& sites);
  // True if some member other than `except`, with a login that is not disabled, manages users.
  bool anotherManager(const std::vector<Member>& members, core::UserId except) const;
  // Forbidden if `target` holds a permission that `caller` (not staff) does not.
  static core::Status mayActOn(const CompanyAccess& caller, const Member& target);
  // The rules of remove(): NotFound, Forbidden, Conflict; the member found, else.
  core::Result<Member> removable(const CompanyAccess& caller, const std::vector<Member>& members,
                                 core::UserId target) const;
  // Conflict if `target` is the last member who manages users and `caller` is not staff.
  core::Status keepsUserManager(const CompanyAccess& caller, const std::vector<Member>& members,
                                const Member& target) const;

  AccessRepository& repo_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  identity::IdentityService* notifier_ = nullptr;
  events::EventLog* events_ = nullptr;
  identity::StepUp* step_up_ = nullptr;
};

}  // namespace portico::access
