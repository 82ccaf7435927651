#pragma once

#include <memory>

#include "access/invitation_service.h"
#include "access/staff_routes.h"
#include "audit/audit_log.h"
#include "console/console_service.h"
#include "identity/identity_repository.h"
#include "identity/throttle.h"
#include "web/views.h"

namespace portico::console {

// The staff console in the web UI, on the same services as /api/v1/staff (each page names its
// staff capability, so the policy decides who may open it): /staff (the sections the caller's
// role may use), customers (search, pages, create, edit, agent allocation), departments (and the
// departments each department administrator administers), agents (and their people), personnel,
// licences, users (disable, enable), the organization's own roles (list, create, edit), the
// organization side's invitations, and the audit log (filters, CSV export as /staff/audit.csv).
// The returned object holds the handlers' state: keep it for as long as the routes serve.
std::shared_ptr<void> registerConsolePages(access::StaffRoutes& routes, ConsoleService& console,
                                           access::InvitationService& invitations,
                                           audit::AuditLog& audit,
                                           identity::IdentityRepository& users,
                                           identity::Throttle& throttle, const web::Views& views);

}  // namespace portico::console
