#pragma once

#include "access/invitation_service.h"
#include "identity/guard.h"
#include "web/views.h"

namespace portico::access {

// POST/GET /api/v1/invitations, DELETE /api/v1/invitations/{id}, POST …/{id}/resend,
// POST /api/v1/invitations/accept; and the page /invitations/accept?token=….
void registerInvitationApi(identity::GuardedRoutes& routes, InvitationService& invitations,
                           identity::IdentityService& identity);
// Creating a login through the page signs it in and goes on to the 2FA set-up.
void registerInvitationPages(identity::GuardedRoutes& routes, InvitationService& invitations,
                             identity::IdentityService& identity, const web::Views& views);

}  // namespace portico::access
