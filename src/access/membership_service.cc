#include "access/membership_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "access/member_events.h"
#include "access/policy.h"
#include "identity/notifications.h"

namespace portico::access {
namespace {

using core::Error;
using core::fail;

const Member* find(const std::vector<Member>& members, core::UserId user) {
  for (const auto& m : members) {
    if (m.user_id == user) return &m;
  }
  return nullptr;
}

}  // namespace

std::vector<Member> MembershipService::members(const CompanyAccess& caller) {
  auto all = repo_.members(caller.company.id);
  if (caller.all_sites) return all;
  std::vector<Member> out;
  for (auto& m : all) {
    if (Policy::seesMember(caller, m.sees_all_sites, m.seen_sites)) out.push_back(std::move(m));
  }
  return out;
}

std::optional<AgentAllocation> MembershipService::agent(const CompanyAccess& caller) {
  if (!caller.company.agent_id) return std::nullopt;
  auto agent = repo_.agentWithLogins(*caller.company.agent_id);
  if (!agent) return std::nullopt;
  AgentAllocation out;
  out.name = std::move(agent->first);
  out.logins = std::move(agent->second);
  out.until = caller.company.agent_until;
  out.active = !out.until || *out.until > clock_.now();
  out.permissions = *presetPermissions("read_only");
  return out;
}

// A disabled login manages nobody: it does not count, or the last active administrator could
// leave the company with only one who cannot sign in.
bool MembershipService::anotherManager(const std::vector<Member>& members,
                                       core::UserId except) const {
  for (const auto& m : members) {
    if (m.user_id != except && !m.disabled && m.permissions.has(Permission::UsersManage)) {
      return true;
    }
  }
  return false;
}

// Whoever is not staff acts only on members who do not outrank them (Policy::mayActOnMember).
core::Status MembershipService::mayActOn(const CompanyAccess& caller, const Member& target) {
  if (Policy::mayActOnMember(caller, target.permissions)) return {};
  return fail(Error::forbidden("errors.access.outranked"));
}

// The last member who manages users stays one; staff (who administer managed companies) may
// still change them, since staff can appoint another.
core::Status MembershipService::keepsUserManager(const CompanyAccess& caller,
                                                 const std::vector<Member>& members,
                                                 const Member& target) const {
  if (caller.basis == Basis::Staff || !target.permissions.has(Permission::UsersManage) ||
      anotherManager(members, target.user_id)) {
    return {};
  }
  return fail(Error::conflict("errors.access.last_user_manager"));
}

// A caller who sees only some sites manages only members whose scope lies within them, and
// gives no more than those sites.
bool MembershipService::withinSites(const CompanyAccess& caller, const Member& target,
                                    bool all_sites, const std::vector<std::int64_t>& sites) {
  auto inside = [&](const std::vector<std::int64_t>& list) {
    return std::all_of(list.begin(), list.end(), [&](auto s) { return caller.seesSite(s); });
  };
  return !target.all_sites && inside(target.sites) && !all_sites && inside(sites);
}

core::Status MembershipService::changeRights(const identity::Principal& p,
                                             const CompanyAccess& caller, core::UserId target,
                                             const RightsChange& change,
                                             const audit::Actor& actor) {
  if (change.role && change.permissions) {
    return fail(Error::invalid("errors.access.role_and_permissions", "role"));
  }
  if (!change.role && !change.permissions && !change.all_sites && !change.own_records_only) {
    return fail(Error::invalid("errors.access.nothing_to_change"));
  }
  storage::Transaction tx(repo_.conn());
  auto all = repo_.members(caller.company.id);
  const Member* current = find(all, target);
  if (!current) return fail(Error::notFound("errors.access.no_such_member"));
  if (auto s = mayActOn(caller, *current); !s) return s;

  std::string role = current->role;
  PermissionSet permissions = current->permissions;
  if (change.role) {
    auto preset = repo_.rolePermissions(caller.company.org_id, *change.role);
    if (!preset) {
      return fail(
          Error::invalid("errors.access.unknown_role_hint", "role").with("role", *change.role));
    }
    role = *change.role;
    permissions = *preset;
  } else if (change.permissions) {
    role = "custom";
    permissions = *change.permissions;
  }
  if (caller.basis != Basis::Staff && !permissions.subsetOf(caller.permissions)) {
    return fail(Error::forbidden("errors.access.cannot_grant"));
  }
  if (!permissions.has(Permission::UsersManage)) {
    if (auto s = keepsUserManager(caller, all, *current); !s) return s;
  }
  bool all_sites = change.all_sites.value_or(current->all_sites);
  const auto& sites = change.all_sites ? change.sites : current->sites;
  if (!all_sites && (sites.empty() || !repo_.sitesBelongTo(caller.company.id, sites))) {
    return fail(Error::invalid("errors.access.sites_all_or_company_list", "sites"));
  }
  if (!caller.all_sites && !withinSites(caller, *current, all_sites, sites)) {
    return fail(Error::forbidden("errors.access.change_within_sites"));
  }
  if (step_up_) {
    if (auto s = step_up_->requireStepUp(p, caller.company.org_id); !s) return s;
  }
  repo_.setRights(caller.company.id, target, role, permissions, all_sites, sites);
  bool own = change.own_records_only.value_or(current->own_records_only);
  if (own != current->own_records_only) repo_.setVisibility(caller.company.id, target, own);
  audit_.record(actor, {"membership.changed", target, caller.company.org_id, caller.company.id,
                        nlohmann::json{{"old_role", current->role},
                                       {"new_role", role},
                                       {"old_permissions", current->permissions.serialize()},
                                       {"new_permissions", permissions.serialize()},
                                       {"all_sites", all_sites},
                                       {"visibility", own ? "own" : "company"}}
                            .dump()});
  recordMemberEvent(
      events_, "user.rights_changed", caller.company.org_id, caller.company.id, "user",
      target.value, current->email,
      EventRights{role, permissions, all_sites, all_sites ? std::vector<std::int64_t>{} : sites},
      nlohmann::json{{"previous_role", current->role}, {"visibility", own ? "own" : "company"}}
          .dump());
  if (notifier_) {  // the mail is queued with the change
    notifier_->notify(target, identity::kAccessChanges, "access_changed",
                      {{"company", caller.company.name}, {"change_changed", true}},
                      identity::MailScope{caller.company.org_id, {caller.company.id}, {}});
  }
  tx.commit();
  return {};
}

core::Result<Member> MembershipService::removable(const CompanyAccess& caller,
                                                  const std::vector<Member>& members,
                                                  core::UserId target) const {
  const Member* current = find(members, target);
  if (!current) return fail(Error::notFound("errors.access.no_such_member"));
  if (auto s = mayActOn(caller, *current); !s) return fail(s.error());
  if (auto s = keepsUserManager(caller, members, *current); !s) return fail(s.error());
  if (!caller.all_sites && !withinSites(caller, *current, false, caller.sites)) {
    return fail(Error::forbidden("errors.access.remove_within_sites"));
  }
  return *current;
}

core::Status MembershipService::mayRemove(const CompanyAccess& caller, core::UserId target) {
  auto m = removable(caller, repo_.members(caller.company.id), target);
  if (!m) return fail(m.error());
  return {};
}

core::Status MembershipService::remove(const identity::Principal& p, const CompanyAccess& caller,
                                       core::UserId target, const audit::Actor& actor) {
  storage::Transaction tx(repo_.conn());
  auto all = repo_.members(caller.company.id);
  auto found = removable(caller, all, target);
  if (!found) return fail(found.error());
  if (step_up_ && target != p.user.id) {
    if (auto s = step_up_->requireStepUp(p, caller.company.org_id); !s) return s;
  }
  const Member* current = &*found;
  repo_.deleteMembership(caller.company.id, target);
  audit_.record(actor, {"membership.removed", target, caller.company.org_id, caller.company.id,
                        nlohmann::json{{"role", current->role}}.dump()});
  recordMemberEvent(events_, "user.removed", caller.company.org_id, caller.company.id, "user",
                    target.value, current->email, std::nullopt,
                    nlohmann::json{{"role", current->role}}.dump());
  if (notifier_) {
    notifier_->notify(target, identity::kAccessChanges, "access_changed",
                      {{"company", caller.company.name}, {"change_removed", true}},
                      identity::MailScope{caller.company.org_id, {caller.company.id}, {}});
  }
  tx.commit();
  return {};
}

}  // namespace portico::access
