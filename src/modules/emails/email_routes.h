#pragma once

#include <memory>

#include "access/policy.h"
#include "audit/audit_log.h"
#include "identity/guard.h"
#include "modules/emails/email_service.h"
#include "web/views.h"

namespace portico::emails {

// The e-mail history's routes:
//   GET /api/v1/emails (company_id, status, limit ≤ 200, cursor), GET /api/v1/emails/{id}
//     — the mail of the caller's companies where they hold emails.view;
//   GET /api/v1/me/emails, GET /api/v1/me/emails/{id} — the caller's own mail;
//   pages /companies/{id}/emails[/{email_id}] (emails.view) and /account/emails[/{email_id}].
// Returns the pages' state, which must live as long as the routes.
std::shared_ptr<void> registerEmailRoutes(identity::GuardedRoutes& routes, access::Policy& policy,
                                          EmailService& emails, audit::AuditLog& audit,
                                          const web::Views& views);

}  // namespace portico::emails
