#pragma once

#include <memory>

#include "access/invitation_service.h"
#include "access/membership_service.h"
#include "access/policy.h"
#include "identity/guard.h"
#include "web/views.h"

namespace portico::access {

// The signed-in home (every company of the caller on one page), a company's page (the caller's
// rights there; for those who manage users: members, pending invitations, remove access, invite).
// The returned object holds the handlers' state: keep it for as long as the routes serve.
std::shared_ptr<void> registerAccessPages(identity::GuardedRoutes& routes, Policy& policy,
                                          MembershipService& members,
                                          InvitationService& invitations, const web::Views& views);

}  // namespace portico::access
