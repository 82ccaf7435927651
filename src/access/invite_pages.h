#pragma once

#include "access/invitation_service.h"
#include "access/policy.h"
#include "identity/guard.h"
#include "web/views.h"

namespace portico::access {

// Several invitations in one form: GET and POST /invitations/new. The caller ticks the
// companies (where they manage users), each with a role or "All permissions", and fills one row
// per person; "Add a row" brings another row (the form posts back, so it works without
// JavaScript), "Send invitations" sends one invitation per filled row. Rows that fail come back
// with their message; the others are sent.
void registerInvitePages(identity::GuardedRoutes& routes, Policy& policy, AccessRepository& repo,
                         InvitationService& invitations, const web::Views& views);

}  // namespace portico::access
