#pragma once

#include <string>
#include <vector>

#include "access/access_repository.h"
#include "access/invitation.h"
#include "access/invitation_repository.h"
#include "access/policy.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "events/event_log.h"
#include "identity/identity_service.h"
#include "identity/throttle.h"

namespace portico::access {

struct NewInvitation {
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string language;                   // empty: the inviter's language
  std::vector<InvitedCompany> companies;  // company_id, role ("custom" with permissions), sites
};

// Inviting people into companies: invite (one e-mail, several companies), list, revoke, resend,
// accept (a new login, or an existing one adding the memberships). The inviter needs users.manage
// in every named company and grants no more than they hold there; the organization's licence
// limit is enforced; at acceptance the inviter's rights are checked again. Every invitation mail,
// created or resent, counts against the throttle's invitation limits per inviter and per address
// (a refused one writes and mails nothing). Thread-safe; accept() hashes a password (worker
// threads).
class InvitationService {
 public:
  InvitationService(InvitationRepository& repo, AccessRepository& access, Policy& policy,
                    identity::IdentityService& identity, identity::Throttle& throttle,
                    audit::AuditLog& audit, const core::Clock& clock)
      : repo_(repo),
        access_(access),
        policy_(policy),
        identity_(identity),
        throttle_(throttle),
        audit_(audit),
        clock_(clock) {}

  static constexpr int kExpirySeconds = 7 * 24 * 3600;
  // Records user.invited (per company of an invitation), user.joined (per membership an
  // acceptance gives) and user.removed events, if set.
  void setEvents(events::EventLog* events) { events_ = events; }

  core::Result<Invitation> invite(const identity::Principal& p, NewInvitation invitation,
                                  const identity::Origin& origin);
  // Staff invite a person without a login into one of their organization's agents (REQUIRES:
  // `agent` is an agent of staff.org_id, named `agent_name`); `invitation.companies` is ignored.
  core::Result<Invitation> inviteToAgent(const identity::Principal& p, const StaffRole& staff,
                                         std::int64_t agent, const std::string& agent_name,
                                         const NewInvitation& invitation,
                                         const identity::Origin& origin);
  // Pending invitations of the companies where the caller manages users.
  std::vector<Invitation> pending(const identity::Principal& p);
  // Pending invitations naming one company (REQUIRES: the caller manages users there); for a
  // caller who sees only some sites, those to one of them (as Policy::seesMember).
  std::vector<Invitation> pendingIn(const CompanyAccess& company);
  // Revokes a pending invitation that the caller may manage: users.manage in each of its
  // companies and, for a caller who sees only some sites, to those sites alone (else NotFound or
  // Forbidden); into an agent, staff who manage agents.
  core::Status revoke(const identity::Principal& p, std::int64_t id, const identity::Origin& o);
  // The staff-made invitations of the staff member's organization (pending and accepted) that
  // reach only companies they reach: the organization side's list.
  std::vector<Invitation> staffInvitations(const StaffRole& staff);
  // Deletes an invitation: DELETE /api/v1/invitations/{id} and the staff console's
  // DELETE /api/v1/staff/invitations/{id} (and its page) alike. Staff who manage users delete a
  // staff-made invitation of their organization that reaches only companies they reach (and
  // agents only if they manage agents): a pending one is revoked; an accepted one also removes
  // the person it brought in from the invitation's companies where accepting it gave the
  // membership (InvitedCompany::granted: never one they held already) and that staff administer
  // (managed ones), keeping a member who manages users in each. Anyone else who may manage a
  // pending invitation (see revoke) revokes it. NotFound for any other (an accepted one among
  // them).
  core::Status deleteInvitation(const identity::Principal& p, std::int64_t id,
                                const identity::Origin& o);
  // Mails the invitation again with a new link. RateLimited (nothing changes) past the
  // invitation limits, as for a new invitation.
  core::Status resend(const identity::Principal& p, std::int64_t id, const identity::Origin& o);
  core::Result<core::UserId> accept(const std::string& token, const std::string& first,
                                    const std::string& last, const std::string& password,
                                    const identity::Origin& origin);
  core::Status acceptExisting(const identity::Principal& p, const std::string& token,
                              const identity::Origin& origin);
  // The pending invitation of a token, or NotFound.
  core::Result<Invitation> byToken(const std::string& token);
  // Every fault of the invitee's e-mail, names and language, in the order of the form's fields.
  static std::vector<core::Error> personErrors(const NewInvitation& n,
                                               const identity::Principal& inviter);

 private:
  // The invitee's e-mail, names and language (by default the inviter's), checked.
  static core::Result<Invitation> person(const NewInvitation& n,
                                         const identity::Principal& inviter);
  // True if the staff member may delete `invitation` as the organization's (see deleteInvitation).
  bool staffDeletes(const StaffRole& staff, const Invitation& invitation);
  core::Status deleteStaffMade(const Invitation& invitation, const identity::Origin& o,
                               core::UserId actor);
  // Stores a checked invitation within the licence limit, audits and mails it.
  // Mails the invitation again with a new link. RateLimited (nothing changes) past the
  // invitation limits, as for a new invitation.
  core::Result<Invitation> store(const identity::Principal& p, Invitation invitation,
                                 const identity::Origin& origin);
  // OK if the caller manages users in each of the invitation's companies.
  core::Status mayManage(const identity::Principal& p, const Invitation& invitation);
  // The invitation if the caller may manage it (users.manage in each of its companies).
  core::Result<Invitation> manageable(const identity::Principal& p, std::int64_t id);
  // The invitation's companies that its inviter may still grant at acceptance: they still see
  // the company and manage users there, hold every permission it grants (staff aside) and see
  // its sites. Rights lost since (removed, disabled, a company gone independent) are not passed
  // on. Conflict if none is left.
  core::Result<std::vector<InvitedCompany>> stillGrantable(const Invitation& invitation);
  void grant(const Invitation& invitation, const std::vector<InvitedCompany>& companies,
             core::UserId user, const identity::Origin& origin);
  void mail(const Invitation& invitation, const std::string& token, const std::string& inviter);

  InvitationRepository& repo_;
  AccessRepository& access_;
  Policy& policy_;
  identity::IdentityService& identity_;
  identity::Throttle& throttle_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  events::EventLog* events_ = nullptr;
};

}  // namespace portico::access
