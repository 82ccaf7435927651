#pragma once

#include "access/invitation_service.h"
#include "access/staff_routes.h"
#include "console/console_service.h"

namespace portico::console {

// The staff console's JSON API, under /api/v1/staff (each route names its staff capability):
// customers (list with ?q=, create, edit, agent allocation), departments (and their
// administrators), agents (and their people), personnel, licences, logins (disable, enable) and
// the organization side's invitations (list, delete).
void registerConsoleApi(access::StaffRoutes& routes, ConsoleService& console,
                        access::InvitationService& invitations);

nlohmann::json customerJson(const access::Company& c);

}  // namespace portico::console
