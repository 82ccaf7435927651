#include "access/invitation_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "access/member_events.h"
#include "core/random.h"
#include "core/text.h"

namespace portico::access {
namespace {

using core::Error;
using core::fail;

Error lapsed() { return Error::conflict("errors.access.invitation_lapsed"); }

Error invalidToken() { return Error::notFound("errors.access.invitation_invalid"); }

audit::Actor actorOf(const identity::Origin& o, std::optional<core::UserId> user) {
  return {user, o.ip, o.request_id};
}

}  // namespace

std::vector<Error> InvitationService::personErrors(const NewInvitation& n,
                                                   const identity::Principal& inviter) {
  std::vector<Error> errors;
  auto email = core::asciiLower(core::trim(n.email));
  std::string first(core::trim(n.first_name));
  std::string last(core::trim(n.last_name));
  auto language = n.language.empty()
                      ? std::string(identity::languageOrDefault(inviter.user.language))
                      : n.language;
  if (!core::looksLikeEmail(email))
    errors.push_back(Error::invalid("errors.access.bad_email", "email"));
  for (auto [name, value] : {std::pair{"first_name", &first}, std::pair{"last_name", &last}}) {
    if (value->empty() || value->size() > 100 || !core::isCleanUtf8(*value)) {
      errors.push_back(Error::invalid("errors.access.name_required", name)
                           .with("field", name)
                           .with("max", "100"));
    }
  }
  if (!identity::isSupportedLanguage(language)) {
    errors.push_back(Error::invalid("errors.access.bad_language", "language"));
  }
  return errors;
}

core::Result<Invitation> InvitationService::person(const NewInvitation& n,
                                                   const identity::Principal& inviter) {
  if (auto errors = personErrors(n, inviter); !errors.empty()) return fail(std::move(errors[0]));
  Invitation inv;
  inv.email = core::asciiLower(core::trim(n.email));
  inv.first_name = std::string(core::trim(n.first_name));
  inv.last_name = std::string(core::trim(n.last_name));
  inv.language = n.language.empty()
                     ? std::string(identity::languageOrDefault(inviter.user.language))
                     : n.language;
  return inv;
}

core::Result<Invitation> InvitationService::invite(const identity::Principal& p, NewInvitation n,
                                                   const identity::Origin& origin) {
  auto checked = person(n, p);
  if (!checked) return fail(checked.error());
  Invitation inv = std::move(*checked);
  if (n.companies.empty() || n.companies.size() > 50) {
    return fail(Error::invalid("errors.access.company_count", "companies").with("max", "50"));
  }
  std::set<std::int64_t> seen;
  std::optional<core::OrgId> org;
  for (auto& c : n.companies) {
    if (!seen.insert(c.company_id.value).second) {
      return fail(Error::invalid("errors.access.company_twice", "companies"));
    }
    auto access = policy_.company(p, c.company_id);
    if (!access) return fail(Error::notFound("errors.access.no_such_company"));
    if (!access->can(Permission::UsersManage)) {
      return fail(Error::forbidden("errors.access.needs_users_manage")
                      .with("company", access->company.name));
    }
    if (org && *org != access->company.org_id) {
      return fail(Error::invalid("errors.access.one_organization", "companies"));
    }
    org = access->company.org_id;
    if (access_.isMemberByEmail(c.company_id, inv.email)) {
      // An invitation would silently replace their rights on acceptance.
      return fail(Error::conflict("errors.access.already_member")
                      .with("email", inv.email)
                      .with("company", access->company.name));
    }
    if (c.role != "custom") {
      auto preset = access_.rolePermissions(access->company.org_id, c.role);
      if (!preset)
        return fail(Error::invalid("errors.access.unknown_role", "role").with("role", c.role));
      c.permissions = *preset;
    } else if (c.permissions.empty()) {
      return fail(Error::invalid("errors.access.choose_permission", "permissions"));
    }
    if (access->basis != Basis::Staff && !c.permissions.subsetOf(access->permissions)) {
      return fail(Error::forbidden("errors.access.cannot_grant"));
    }
    if (!c.sites.empty() && !access_.sitesBelongTo(c.company_id, c.sites)) {
      return fail(Error::invalid("errors.access.sites_of_company", "sites"));
    }
    if (!access->all_sites &&
        (c.sites.empty() || !std::all_of(c.sites.begin(), c.sites.end(),
                                         [&](auto s) { return access->seesSite(s); }))) {
      return fail(Error::forbidden("errors.access.invite_within_sites")
                      .with("company", access->company.name));
    }
    c.company_name = access->company.name;
    if (access->basis == Basis::Staff) inv.by_staff = true;
  }
  inv.org_id = *org;
  inv.invited_by = p.user.id.value;
  inv.companies = std::move(n.companies);
  return store(p, std::move(inv), origin);
}

core::Result<Invitation> InvitationService::inviteToAgent(
    const identity::Principal& p, const StaffRole& staff, std::int64_t agent,
    const std::string& agent_name, const NewInvitation& n, const identity::Origin& origin) {
  if (!Policy::staffMay(staff, StaffCapability::Agents)) {
    return fail(Error::forbidden("errors.access.staff_no_agents"));
  }
  auto checked = person(n, p);
  if (!checked) return fail(checked.error());
  Invitation inv = std::move(*checked);
  inv.org_id = staff.org_id;
  inv.invited_by = p.user.id.value;
  inv.by_staff = true;
  inv.agent_id = agent;
  inv.agent_name = agent_name;
  return store(p, std::move(inv), origin);
}

core::Result<Invitation> InvitationService::store(const identity::Principal& p, Invitation inv,
                                                  const identity::Origin& origin) {
  // An invitation gives rights: like changing someone's, it needs a recent second factor.
  if (auto s = identity_.requireStepUp(p, inv.org_id); !s) return fail(s.error());
  inv.created_at = clock_.now();
  inv.expires_at = inv.created_at + kExpirySeconds;
  std::string token = core::randomToken(32);

  storage::Transaction tx(repo_.conn());
  // Counted in this transaction: an invitation refused here or below counts nothing.
  if (auto ok = throttle_.take(throttle_.invitationMail(p.user.id, inv.email)); !ok) {
    return fail(ok.error());
  }
  inv.id = repo_.insert(inv, core::sha256Hex(token));
  if (auto limit = repo_.loginLimit(inv.org_id)) {
    if (repo_.seatsInUse(inv.org_id, inv.created_at) > *limit) {
      return fail(
          Error::conflict("errors.access.licence_limit").with("limit", std::to_string(*limit)));
    }
  }
  nlohmann::json companies = nlohmann::json::array();
  for (const auto& c : inv.companies) {
    companies.push_back({{"company_id", c.company_id.value},
                         {"role", c.role},
                         {"permissions", c.permissions.serialize()}});
  }
  audit_.record(
      actorOf(origin, p.user.id),
      {"invitation.created", std::nullopt, inv.org_id,
       inv.companies.size() == 1 ? std::optional(inv.companies[0].company_id) : std::nullopt,
       nlohmann::json{{"invitation", inv.id},
                      {"email", inv.email},
                      {"companies", companies},
                      {"agent", inv.agent_id ? nlohmann::json(*inv.agent_id) : nlohmann::json()}}
           .dump()});
  for (const auto& c : inv.companies) {
    recordMemberEvent(events_, "user.invited", inv.org_id, c.company_id, "invitation", inv.id,
                      inv.email, EventRights{c.role, c.permissions, c.sites.empty(), c.sites},
                      nlohmann::json{{"invitation_id", inv.id},
                                     {"first_name", inv.first_name},
                                     {"last_name", inv.last_name},
                                     {"invited_by", p.user.id.value}}
                          .dump());
  }
  mail(inv, token, p.user.first_name + " " + p.user.last_name);  // queued with the invitation
  tx.commit();
  return inv;
}

void InvitationService::mail(const Invitation& inv, const std::string& token,
                             const std::string& inviter) {
  std::string names = inv.agent_name;  // an invitation into an agent names it alone
  for (const auto& c : inv.companies) names += (names.empty() ? "" : ", ") + c.company_name;
  identity::MailScope scope{inv.org_id, {}, {}};
  for (const auto& c : inv.companies) scope.companies.push_back(c.company_id);
  identity_.mailTo(inv.email, inv.language, "invitation",
                   {{"first_name", inv.first_name},
                    {"inviter", inviter},
                    {"companies", names},
                    {"link", identity_.publicUrl() + "/invitations/accept?token=" + token}},
                   scope);
}

std::vector<Invitation> InvitationService::pending(const identity::Principal& p) {
  std::vector<Invitation> out;
  std::set<std::int64_t> seen;
  // Staff see the organization's staff-made invitations; portal administrators those of the
  // companies where they manage users (and never, on the organization side, theirs to staff).
  if (auto staff = policy_.staff(p); staff && Policy::staffMay(*staff, StaffCapability::Users)) {
    auto now = clock_.now();
    for (auto& inv : repo_.byStaff(staff->org_id, 500)) {
      if (inv.accepted_at || inv.expires_at <= now) continue;
      if (mayManage(p, inv) && seen.insert(inv.id).second) out.push_back(std::move(inv));
    }
  }
  for (const auto& a : policy_.memberships(p)) {
    if (!a.can(Permission::UsersManage)) continue;
    for (auto& inv : pendingIn(a)) {
      if (seen.insert(inv.id).second) out.push_back(std::move(inv));
    }
  }
  return out;
}

std::vector<Invitation> InvitationService::pendingIn(const CompanyAccess& company) {
  auto all = repo_.pendingFor(company.company.id, clock_.now());
  if (company.all_sites) return all;
  // A caller who sees only some sites sees the invitations to those, as it sees members.
  std::vector<Invitation> out;
  for (auto& inv : all) {
    bool seen = std::any_of(inv.companies.begin(), inv.companies.end(), [&](const auto& c) {
      return c.company_id == company.company.id &&
             Policy::seesMember(company, c.sites.empty(), c.sites);
    });
    if (seen) out.push_back(std::move(inv));
  }
  return out;
}

core::Result<Invitation> InvitationService::manageable(const identity::Principal& p,
                                                       std::int64_t id) {
  auto inv = repo_.find(id);
  if (!inv || inv->accepted_at || inv->revoked_at)
    return fail(Error::notFound("errors.access.no_such_invitation"));
  if (auto s = mayManage(p, *inv); !s) return fail(s.error());
  return *inv;
}

core::Status InvitationService::mayManage(const identity::Principal& p, const Invitation& inv) {
  if (inv.agent_id || inv.companies.empty()) {
    // Into an agent: the organization's staff who manage agents.
    auto staff = policy_.staff(p);
    if (!staff || staff->org_id != inv.org_id ||
        !Policy::staffMay(*staff, StaffCapability::Agents)) {
      return fail(Error::notFound("errors.access.no_such_invitation"));
    }
    return {};
  }
  for (const auto& c : inv.companies) {
    auto access = policy_.company(p, c.company_id);
    if (!access) return fail(Error::notFound("errors.access.no_such_invitation"));
    if (!access->can(Permission::UsersManage)) {
      return fail(Error::forbidden("errors.access.needs_users_manage")
                      .with("company", access->company.name));
    }
    if (!access->all_sites) {
      // As for members: unseen beyond the caller's sites, and managed only within them.
      if (!Policy::seesMember(*access, c.sites.empty(), c.sites)) {
        return fail(Error::notFound("errors.access.no_such_invitation"));
      }
      if (!std::all_of(c.sites.begin(), c.sites.end(),
                       [&](auto s) { return access->seesSite(s); })) {
        return fail(Error::forbidden("errors.access.manage_within_sites")
                        .with("company", access->company.name));
      }
    }
  }
  return {};
}

core::Status InvitationService::revoke(const identity::Principal& p, std::int64_t id,
                                       const identity::Origin& o) {
  auto inv = manageable(p, id);
  if (!inv) return fail(inv.error());
  storage::Transaction tx(repo_.conn());
  repo_.revoke(id, clock_.now());
  audit_.record(actorOf(o, p.user.id),
                {"invitation.revoked", std::nullopt, inv->org_id, std::nullopt,
                 nlohmann::json{{"invitation", id}, {"email", inv->email}}.dump()});
  tx.commit();
  return {};
}

core::Status InvitationService::resend(const identity::Principal& p, std::int64_t id,
                                       const identity::Origin& o) {
  auto inv = manageable(p, id);
  if (!inv) return fail(inv.error());
  std::string token = core::randomToken(32);
  storage::Transaction tx(repo_.conn());
  if (auto ok = throttle_.take(throttle_.invitationMail(p.user.id, inv->email)); !ok) {
    return fail(ok.error());
  }
  repo_.renew(id, core::sha256Hex(token), clock_.now() + kExpirySeconds);
  audit_.record(actorOf(o, p.user.id),
                {"invitation.resent", std::nullopt, inv->org_id, std::nullopt,
                 nlohmann::json{{"invitation", id}, {"email", inv->email}}.dump()});
  mail(*inv, token, p.user.first_name + " " + p.user.last_name);
  tx.commit();
  return {};
}

std::vector<Invitation> InvitationService::staffInvitations(const StaffRole& staff) {
  std::vector<Invitation> out;
  for (auto& inv : repo_.byStaff(staff.org_id, 500)) {
    bool reachable = !inv.agent_id || Policy::staffMay(staff, StaffCapability::Agents);
    for (const auto& c : inv.companies) {
      auto company = access_.findCompany(c.company_id);
      if (!company || !Policy::staffReaches(staff, *company)) reachable = false;
    }
    if (reachable) out.push_back(std::move(inv));
  }
  return out;
}

core::Status InvitationService::deleteInvitation(const identity::Principal& p, std::int64_t id,
                                                 const identity::Origin& o) {
  auto inv = repo_.find(id);
  if (!inv || inv->revoked_at) return fail(Error::notFound("errors.access.no_such_invitation"));
  if (auto staff = policy_.staff(p);
      staff && Policy::staffMay(*staff, StaffCapability::Users) && staffDeletes(*staff, *inv)) {
    return deleteStaffMade(*inv, o, p.user.id);
  }
  if (inv->accepted_at) return fail(Error::notFound("errors.access.no_such_invitation"));
  return revoke(p, id, o);
}

bool InvitationService::staffDeletes(const StaffRole& staff, const Invitation& inv) {
  if (!inv.by_staff || inv.org_id != staff.org_id ||
      (inv.agent_id && !Policy::staffMay(staff, StaffCapability::Agents))) {
    return false;
  }
  for (const auto& c : inv.companies) {
    auto company = access_.findCompany(c.company_id);
    if (!company || !Policy::staffReaches(staff, *company)) return false;
  }
  return true;
}

core::Status InvitationService::deleteStaffMade(const Invitation& inv, const identity::Origin& o,
                                                core::UserId actor) {
  storage::Transaction tx(repo_.conn());
  repo_.revoke(inv.id, clock_.now());
  int removed = 0;
  if (inv.accepted_by && inv.agent_id) {
    // The person it brought in no longer acts for the agent.
    removed += repo_.leaveAgent(*inv.agent_id, core::UserId{*inv.accepted_by}) ? 1 : 0;
  }
  if (inv.accepted_by) {
    // The person it brought in leaves the invitation's companies where accepting it gave the
    // membership (never one they held before, which the invitation left as it was) and staff
    // administer (managed ones), never leaving a company without a member who manages users.
    core::UserId user{*inv.accepted_by};
    for (const auto& c : inv.companies) {
      if (!c.granted) continue;
      auto company = access_.findCompany(c.company_id);
      if (!company || !company->managed) continue;
      auto members = access_.members(c.company_id);
      bool manages = false, another = false;
      for (const auto& m : members) {
        bool m_manages = m.permissions.has(Permission::UsersManage) && !m.disabled;
        if (m.user_id == user) {
          manages = m_manages;
        } else if (m_manages) {
          another = true;
        }
      }
      if (manages && !another) continue;
      if (access_.deleteMembership(c.company_id, user)) {
        ++removed;
        recordMemberEvent(
            events_, "user.removed", inv.org_id, c.company_id, "user", user.value, inv.email,
            std::nullopt,
            nlohmann::json{{"via", "invitation_deleted"}, {"invitation_id", inv.id}}.dump());
      }
    }
  }
  audit_.record(actorOf(o, actor),
                {"invitation.deleted",
                 inv.accepted_by ? std::optional(core::UserId{*inv.accepted_by}) : std::nullopt,
                 inv.org_id, std::nullopt,
                 nlohmann::json{
                     {"invitation", inv.id}, {"email", inv.email}, {"memberships_removed", removed}}
                     .dump()});
  tx.commit();
  return {};
}

core::Result<Invitation> InvitationService::byToken(const std::string& token) {
  if (token.empty() || token.size() > 200) return fail(invalidToken());
  auto inv = repo_.findByToken(core::sha256Hex(token));
  if (!inv || inv->accepted_at || inv->revoked_at || inv->expires_at <= clock_.now()) {
    return fail(invalidToken());
  }
  return *inv;
}

core::Result<std::vector<InvitedCompany>> InvitationService::stillGrantable(const Invitation& inv) {
  std::vector<InvitedCompany> out;
  if (inv.agent_id) {
    // Into an agent: its inviter must still be staff of the organization who manages agents, with
    // an enabled login; the agent must still be there (deleting it deletes its invitations).
    if (!inv.invited_by) return fail(lapsed());
    core::UserId inviter{*inv.invited_by};
    bool may = false;
    for (const auto& staff : access_.staffRoles(inviter)) {
      if (staff.org_id == inv.org_id && Policy::staffMay(staff, StaffCapability::Agents)) {
        may = true;
      }
    }
    if (!may || access_.loginDisabled(inviter)) return fail(lapsed());
    return out;
  }
  if (inv.invited_by) {
    core::UserId inviter{*inv.invited_by};
    for (const auto& c : inv.companies) {
      auto e = policy_.explain(inviter, c.company_id, Permission::UsersManage, std::nullopt);
      if (!e.allowed || !e.access) continue;
      const auto& a = *e.access;
      if (a.basis != Basis::Staff && !c.permissions.subsetOf(a.permissions)) continue;
      if (!a.all_sites &&
          (c.sites.empty() ||
           !std::all_of(c.sites.begin(), c.sites.end(), [&](auto s) { return a.seesSite(s); }))) {
        continue;
      }
      out.push_back(c);
    }
  }
  if (out.empty()) return fail(lapsed());
  return out;
}

void InvitationService::grant(const Invitation& inv, const std::vector<InvitedCompany>& companies,
                              core::UserId user, const identity::Origin& origin) {
  auto now = clock_.now();
  std::optional<core::UserId> inviter;
  if (inv.invited_by) inviter = core::UserId{*inv.invited_by};
  for (const auto& c : companies) {
    if (access_.isMember(c.company_id, user)) {
      // A member since the invitation was sent: their rights are their administrators' to
      // change, never replaced by accepting.
      audit_.record(actorOf(origin, user),
                    {"invitation.company_skipped", user, inv.org_id, c.company_id,
                     nlohmann::json{{"invitation", inv.id},
                                    {"reason", "already a member: rights left unchanged"}}
                         .dump()});
      continue;
    }
    access_.putMembership(c.company_id, user, c.role, c.permissions, inviter, now);
    access_.setRights(c.company_id, user, c.role, c.permissions, c.sites.empty(), c.sites);
    repo_.markGranted(inv.id, c.company_id);  // deleting the invitation takes back only these
    recordMemberEvent(events_, "user.joined", inv.org_id, c.company_id, "user", user.value,
                      inv.email, EventRights{c.role, c.permissions, c.sites.empty(), c.sites},
                      nlohmann::json{{"via", "invitation"}, {"invitation_id", inv.id}}.dump());
    audit_.record(
        actorOf(origin, user),
        {"membership.granted", user, inv.org_id, c.company_id,
         nlohmann::json{{"role", c.role}, {"via", "invitation"}, {"invitation", inv.id}}.dump()});
  }
  if (inv.agent_id) {
    repo_.joinAgent(*inv.agent_id, user);
    audit_.record(
        actorOf(origin, user),
        {"agent.user_added", user, inv.org_id, std::nullopt,
         nlohmann::json{{"agent", *inv.agent_id}, {"via", "invitation"}, {"invitation", inv.id}}
             .dump()});
  }
  for (const auto& c : inv.companies) {
    bool granted = std::any_of(companies.begin(), companies.end(),
                               [&](const auto& g) { return g.company_id == c.company_id; });
    if (granted) continue;
    audit_.record(actorOf(origin, user),
                  {"invitation.company_skipped", user, inv.org_id, c.company_id,
                   nlohmann::json{{"invitation", inv.id},
                                  {"reason", "the inviter may no longer grant this access"}}
                       .dump()});
  }
}

core::Result<core::UserId> InvitationService::accept(const std::string& token,
                                                     const std::string& first,
                                                     const std::string& last,
                                                     const std::string& password,
                                                     const identity::Origin& origin) {
  auto inv = byToken(token);
  if (!inv) return fail(inv.error());
  auto companies = stillGrantable(*inv);
  if (!companies) return fail(companies.error());
  auto login =
      identity_.prepareLogin(inv->email, first.empty() ? inv->first_name : first,
                             last.empty() ? inv->last_name : last, password, inv->language);
  if (!login) return fail(login.error());
  storage::Transaction tx(repo_.conn());
  auto user = identity_.insertLogin(*login);
  if (!user) return fail(user.error());
  if (!repo_.accept(inv->id, *user, clock_.now())) return fail(invalidToken());
  grant(*inv, *companies, *user, origin);
  audit_.record(actorOf(origin, *user),
                {"invitation.accepted", std::nullopt, inv->org_id, std::nullopt,
                 nlohmann::json{{"invitation", inv->id}}.dump()});
  tx.commit();
  return *user;
}

core::Status InvitationService::acceptExisting(const identity::Principal& p,
                                               const std::string& token,
                                               const identity::Origin& origin) {
  auto inv = byToken(token);
  if (!inv) return fail(inv.error());
  if (inv->email != p.user.email) {
    return fail(Error::forbidden("errors.access.other_email"));
  }
  if (inv->agent_id) {
    for (const auto& staff : access_.staffRoles(p.user.id)) {
      if (staff.org_id == inv->org_id) {
        return fail(Error::conflict("errors.access.staff_not_agent"));
      }
    }
  }
  auto companies = stillGrantable(*inv);
  if (!companies) return fail(companies.error());
  storage::Transaction tx(repo_.conn());
  if (!repo_.accept(inv->id, p.user.id, clock_.now())) return fail(invalidToken());
  grant(*inv, *companies, p.user.id, origin);
  audit_.record(actorOf(origin, p.user.id),
                {"invitation.accepted", std::nullopt, inv->org_id, std::nullopt,
                 nlohmann::json{{"invitation", inv->id}}.dump()});
  tx.commit();
  return {};
}

}  // namespace portico::access
